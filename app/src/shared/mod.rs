//! The shared layer every feature uses: who is signed in, the error type's
//! helpers, the audit log, the database handle. It depends only on the
//! database and i18n modules, never on a feature.

pub mod session;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod db;
pub mod forms;
pub mod messages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod state;

/// The signed-in user for the page being rendered. The layout resolves it
/// once, in a single suspense boundary around the whole page, and provides
/// it to everything below: pages read it synchronously instead of each
/// suspending on a shared resource (several boundaries sharing resources
/// can deadlock leptos 0.8's SSR, leptos issues 4578 and 4673).
#[derive(Debug, Clone, Default)]
pub struct SignedIn(pub Option<session::CurrentUser>);

/// Who is signed in, for a component under the layout.
pub fn signed_in() -> Option<session::CurrentUser> {
    leptos::prelude::use_context::<SignedIn>().and_then(|s| s.0)
}

/// Sets the HTTP status of the page being rendered on the server (pages
/// render fully before sending, so this works inside `Suspense` too); a
/// no-op in the browser.
pub fn set_page_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

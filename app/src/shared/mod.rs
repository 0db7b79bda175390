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

/// The signed-in user for the page being rendered, provided at the root and
/// fetched again on every navigation (so logging in or out elsewhere shows).
#[derive(Clone, Copy)]
pub struct CurrentUserResource(
    pub leptos::prelude::Resource<Result<Option<session::CurrentUser>, crate::error::AppError>>,
);

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

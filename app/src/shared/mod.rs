//! The shared layer every feature uses: who is signed in, the error type's
//! helpers, the audit log, the database handle. It depends only on the
//! database and i18n modules, never on a feature.

pub mod session;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
pub mod forms;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod media;
pub mod messages;
#[cfg(feature = "ssr")]
pub mod outbound;
#[cfg(feature = "ssr")]
pub mod password;
pub mod paths;
pub mod regions;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod state;
pub mod ui;

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

/// Marks the page being rendered as personal: `Cache-Control: no-store`,
/// so neither the browser nor a proxy keeps a copy. A no-op in the browser.
pub fn private_page() {
    #[cfg(feature = "ssr")]
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
}

/// For a page that needs a signed-in user: the user, or `None` after
/// answering the request (on the server) with a 303 to the login page that
/// comes back here, or 401 when the client does not accept HTML. The page
/// is also marked private ([`private_page`]).
pub fn require_signed_in_page() -> Option<session::CurrentUser> {
    private_page();
    let me = signed_in();
    #[cfg(feature = "ssr")]
    if me.is_none() {
        send_to_login();
    }
    me
}

#[cfg(feature = "ssr")]
fn send_to_login() {
    use axum::http::{header, request::Parts, HeaderValue, StatusCode};
    use leptos::prelude::use_context;
    let (Some(parts), Some(res)) = (
        use_context::<Parts>(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let accept = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let wants_html = accept.is_empty()
        || accept.contains("text/html")
        || accept.contains("*/*")
        || accept.contains("text/*");
    if !wants_html {
        res.set_status(StatusCode::UNAUTHORIZED);
        return;
    }
    let here = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    if let Ok(location) = HeaderValue::from_str(&paths::login_then(here)) {
        res.set_status(StatusCode::SEE_OTHER);
        res.insert_header(header::LOCATION, location);
    }
}

/// Answers the page being rendered with 503 and `Retry-After` (the
/// database is briefly unavailable). A no-op in the browser.
pub fn set_unavailable() {
    set_page_status(503);
    #[cfg(feature = "ssr")]
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(crate::error::RETRY_AFTER_SECS),
        );
    }
}

/// The language of the page being rendered (decided once per request by
/// the shell, see [`request_locale`]).
pub fn page_locale() -> crate::i18n::Locale {
    leptos::prelude::use_context::<crate::i18n::Locale>().unwrap_or_default()
}

/// The request's language: the `i18n_pref_locale` cookie (set by the
/// language switch), else the browser's `Accept-Language`, else Bahasa
/// Indonesia. Outside a request (and in the browser): Bahasa Indonesia.
pub fn request_locale() -> crate::i18n::Locale {
    #[cfg(feature = "ssr")]
    if let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() {
        return locale_from_headers(&parts.headers);
    }
    crate::i18n::Locale::default()
}

/// [`request_locale`] from a request's headers (also the page cache's key).
#[cfg(feature = "ssr")]
pub fn locale_from_headers(headers: &axum::http::HeaderMap) -> crate::i18n::Locale {
    use axum::http::header;
    let joined = |name: header::HeaderName, sep: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(sep)
    };
    choose_locale(
        &joined(header::COOKIE, ";"),
        &joined(header::ACCEPT_LANGUAGE, ","),
    )
}

/// [`request_locale`]'s rule on the raw `Cookie` and `Accept-Language`
/// values.
pub fn choose_locale(cookie: &str, accept_language: &str) -> crate::i18n::Locale {
    use crate::i18n::Locale;
    let from_cookie = cookie.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == "i18n_pref_locale")
            .then(|| value.trim().parse::<Locale>().ok())
            .flatten()
    });
    if let Some(locale) = from_cookie {
        return locale;
    }
    let mut ranges: Vec<(f32, usize, &str)> = accept_language
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, i, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges
        .iter()
        .find_map(|(_, _, tag)| {
            let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
            match primary.as_str() {
                "id" | "in" => Some(Locale::id),
                "en" => Some(Locale::en),
                _ => None,
            }
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::choose_locale;
    use crate::i18n::Locale;

    #[test]
    fn the_cookie_then_the_browser_then_indonesian() {
        assert_eq!(choose_locale("", ""), Locale::id);
        assert_eq!(choose_locale("", "en-US,en;q=0.9"), Locale::en);
        assert_eq!(choose_locale("", "fr-FR, en;q=0.5, id;q=0.8"), Locale::id);
        assert_eq!(choose_locale("", "de, fr"), Locale::id);
        assert_eq!(choose_locale("", "en;q=0, id"), Locale::id);
        assert_eq!(choose_locale("a=b; i18n_pref_locale=en", "id"), Locale::en);
        assert_eq!(choose_locale("i18n_pref_locale=xx", "en"), Locale::en);
    }
}

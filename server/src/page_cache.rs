//! A micro-cache for the pages anonymous visitors see (home, login,
//! register): rendered once per path and language, then served for a few
//! seconds without rendering. Most visitors arrive anonymous on a phone;
//! rendering the same page thousands of times a second is wasted CPU.
//!
//! What keeps it correct:
//! - only a GET without a query string and without a session cookie is
//!   served from it (a signed-in user's pages are never cached), and only
//!   a 200 HTML answer without `Set-Cookie` is stored;
//! - the key is the path and the language the page would be rendered in
//!   (the same rule as the renderer: `app::shared::choose_locale`);
//! - every answer still gets a fresh CSP nonce: the stored page's nonce is
//!   replaced in the body and in the `Content-Security-Policy` header;
//! - entries live `TTL` (so data shown to anonymous visitors is at most that
//!   stale) and the map is bounded.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 256;
const MAX_PAGE_BYTES: usize = 512 * 1024;

struct Entry {
    at: Instant,
    headers: HeaderMap,
    body: String,
    nonce: String,
}

/// (path, language).
type Key = (String, String);

#[derive(Clone, Default)]
pub struct PageCache {
    entries: Arc<RwLock<HashMap<Key, Arc<Entry>>>>,
}

/// The cache key, or `None` when the request must be rendered.
fn key(req: &Request, session_cookie: &str) -> Option<Key> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let path = req.uri().path();
    if ["/api/", "/pkg/", "/healthz", "/readyz"]
        .iter()
        .any(|p| path.starts_with(p))
    {
        return None;
    }
    let signed_in = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim().starts_with(&format!("{session_cookie}=")));
    if signed_in {
        return None;
    }
    // The language the page would be rendered in (the renderer's rule).
    let locale = app::shared::locale_from_headers(req.headers());
    Some((path.to_string(), locale.to_string()))
}

/// The nonce of a rendered page, from its CSP header.
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(csp[start..start + len].to_string())
}

fn fresh_nonce() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(app::shared::secret::random_bytes::<16>())
}

fn serve(entry: &Entry) -> Response {
    let nonce = fresh_nonce();
    let mut res = Response::new(Body::from(entry.body.replace(&entry.nonce, &nonce)));
    *res.headers_mut() = entry.headers.clone();
    if let Some(csp) = entry
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| HeaderValue::from_str(&v.replace(&entry.nonce, &nonce)).ok())
    {
        res.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    res
}

pub async fn middleware(
    State((cache, session_cookie)): State<(PageCache, &'static str)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(key) = key(&req, session_cookie) else {
        return next.run(req).await;
    };
    let hit = cache
        .entries
        .read()
        .ok()
        .and_then(|m| m.get(&key).cloned())
        .filter(|e| e.at.elapsed() < TTL);
    if let Some(entry) = hit {
        return serve(&entry);
    }
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let Some(nonce) = nonce_of(res.headers()) else {
        return res;
    };
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let entry = Arc::new(Entry {
        at: Instant::now(),
        headers: parts.headers.clone(),
        body: text,
        nonce,
    });
    if let Ok(mut map) = cache.entries.write() {
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, e| e.at.elapsed() < TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(key, entry);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_found_in_the_policy() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'nonce-abc+/=' 'strict-dynamic'",
            ),
        );
        assert_eq!(nonce_of(&h).as_deref(), Some("abc+/="));
        assert_ne!(fresh_nonce(), fresh_nonce());
    }
}

//! Cross-cutting HTTP concerns written here because they are ours: the
//! client address, the cross-site request check, the per-request log line
//! and the mapping of server-function errors to their HTTP status.
//! Headers, body limits and compression come from tower-http.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use app::error::AppError;
use app::shared::state::ClientIp;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Decides the client address once per request: the peer address, or,
/// behind a trusted proxy, the last `X-Forwarded-For` entry (the one the
/// proxy itself appended; earlier entries are client-controlled).
pub async fn client_ip(State(trust_proxy): State<bool>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    let forwarded = trust_proxy
        .then(|| {
            req.headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|v| v.parse::<std::net::IpAddr>().is_ok())
                .map(str::to_string)
        })
        .flatten();
    let ip = forwarded.or(peer).unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// One structured line per request: method, path (never the query, which
/// can carry entered values), status, duration, client address.
pub async fn request_log(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map(|c| c.0.clone())
        .unwrap_or_default();
    let res = next.run(req).await;
    tracing::info!(
        target: "http",
        %method,
        path,
        status = res.status().as_u16(),
        duration_ms = start.elapsed().as_secs_f64() * 1000.0,
        client = ip,
        "request"
    );
    res
}

/// Refuses state-changing requests that another site could have sent:
/// allowed only when the browser says `Sec-Fetch-Site: same-origin` or
/// `none`, or `Origin` is our own base URL.
pub async fn cross_site_guard(
    State(base_url): State<Arc<str>>,
    req: Request,
    next: Next,
) -> Response {
    if is_safe_method(req.method()) || is_same_site(req.headers(), &base_url) {
        return next.run(req).await;
    }
    tracing::warn!(path = req.uri().path(), "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"code":"forbidden","reason":"cross_site_request"}"#,
    )
        .into_response()
}

fn is_safe_method(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

pub fn is_same_site(headers: &HeaderMap, base_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "same-origin" || site == "none" {
            return true;
        }
    }
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|origin| origin.trim_end_matches('/') == base_url)
}

/// Server-function errors leave leptos as 500 with the error body; a
/// browser without JavaScript gets a redirect instead and is untouched.
/// Here the error's own status replaces the 500 (422 for bad input, 401,
/// 403, 429 …), so API clients and tests see the right status.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `Strict-Transport-Security` on every response when the portal is
/// served over HTTPS (its `BASE_URL` is https).
pub async fn hsts(State(https): State<bool>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if https {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// The flood limiter's key: the client address decided by [`client_ip`].
#[derive(Debug, Clone, Copy)]
pub struct ClientIpKey;

impl tower_governor::key_extractor::KeyExtractor for ClientIpKey {
    type Key = String;

    fn extract<T>(
        &self,
        req: &axum::http::Request<T>,
    ) -> Result<Self::Key, tower_governor::GovernorError> {
        req.extensions()
            .get::<ClientIp>()
            .map(|c| c.0.clone())
            .ok_or(tower_governor::GovernorError::UnableToExtractKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn same_site_rules() {
        let base = "http://127.0.0.1:3000";
        let mut h = HeaderMap::new();
        assert!(!is_same_site(&h, base));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!is_same_site(&h, base));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:3000"),
        );
        assert!(is_same_site(&h, base));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:3000.evil.id"),
        );
        assert!(!is_same_site(&h, base));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(is_same_site(&h, base));
    }
}

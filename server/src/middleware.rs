//! Cross-cutting HTTP concerns written here because they are ours: the
//! client address, the cross-site request check, the per-request log line
//! and the mapping of server-function errors to their HTTP status.
//! Headers, body limits and compression come from tower-http.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use app::error::AppError;
use app::shared::state::ClientIp;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

/// Decides the client once per request. The peer address, unless the peer
/// is one of `TRUSTED_PROXIES`: then `X-Forwarded-For` is walked from the
/// right (each proxy appends the address it received the request from),
/// skipping trusted proxies, and the first untrusted address is the
/// client. Entries left of it were written by the client and are ignored.
pub async fn client_ip(
    State(trusted): State<Arc<[IpNet]>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let client = match peer {
        Some(peer) => {
            let forwarded = req
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect::<Vec<_>>();
            Some(client_addr(peer, &forwarded, &trusted))
        }
        None => None,
    };
    let client_ip = match client {
        Some(ip) => ClientIp {
            addr: ip.to_string(),
            limit_key: limit_key(ip),
        },
        None => ClientIp {
            addr: "unknown".into(),
            limit_key: "unknown".into(),
        },
    };
    req.extensions_mut().insert(client_ip);
    next.run(req).await
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// One `X-Forwarded-For` entry: an address, or an address with a port
/// (`1.2.3.4:5678`, `[2001:db8::1]:443`), as some proxies write.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .map(|ip| ip.to_canonical())
}

/// The client address: see [`client_ip`]. `forwarded` is the
/// `X-Forwarded-For` entries in order (leftmost first). When an entry
/// cannot be parsed, or every entry is a trusted proxy, the last address
/// reached (the leftmost one that a trusted proxy vouched for) is taken.
pub fn client_addr(peer: IpAddr, forwarded: &[&str], trusted: &[IpNet]) -> IpAddr {
    let mut client = peer.to_canonical();
    if !is_trusted(client, trusted) {
        return client;
    }
    for entry in forwarded.iter().rev() {
        let Some(ip) = parse_entry(entry) else {
            break;
        };
        client = ip;
        if !is_trusted(ip, trusted) {
            break;
        }
    }
    client
}

/// The key for per-client limits: an IPv4 address as is, an IPv6 address
/// by its /64 (one host, or one household's router, owns a whole /64).
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are IPv4.
pub fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{net}/64")
        }
    }
}

/// Resolves who is signed in once per page request, before rendering, so
/// pages read it synchronously (see `app::Frame`). Server functions,
/// static files and probes resolve nothing here.
pub async fn page_user(
    State(state): State<app::shared::state::AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let page = matches!(*req.method(), Method::GET | Method::HEAD)
        && !["/api/", "/pkg/", "/healthz", "/readyz", "/favicon"]
            .iter()
            .any(|p| path.starts_with(p));
    if page {
        if let Some(session) = req.extensions().get::<tower_sessions::Session>().cloned() {
            let user = app::shared::session::server::resolve_page_user(&state, &session).await;
            req.extensions_mut().insert(user);
        }
    }
    next.run(req).await
}

/// Personal data may come back from any server function: nothing under
/// `/api/` is stored by the browser or a proxy. A 503 (database briefly
/// unavailable) says when to try again.
pub async fn api_headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    if api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if res.status() == StatusCode::SERVICE_UNAVAILABLE
        && !res.headers().contains_key(header::RETRY_AFTER)
    {
        res.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(app::error::RETRY_AFTER_SECS),
        );
    }
    res
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
        .map(|c| c.addr.clone())
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
            .map(|c| c.limit_key.clone())
            .ok_or(tower_governor::GovernorError::UnableToExtractKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_addr(ip("203.0.113.9"), &["1.1.1.1"], &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_addr(ip("203.0.113.9"), &["1.1.1.1"], &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn spoofed_left_entries_are_ignored() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client wrote "6.6.6.6"; the proxy appended the real peer.
        assert_eq!(
            client_addr(ip("10.0.0.2"), &["6.6.6.6", "198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn chains_of_trusted_proxies_are_skipped() {
        let trusted = nets(&["10.0.0.0/8", "192.168.1.1/32"]);
        assert_eq!(
            client_addr(
                ip("10.0.0.2"),
                &["6.6.6.6", "198.51.100.7", "192.168.1.1", "10.1.2.3"],
                &trusted
            ),
            ip("198.51.100.7")
        );
        // Every entry trusted: the leftmost one a proxy vouched for.
        assert_eq!(
            client_addr(ip("10.0.0.2"), &["10.9.9.9", "10.1.2.3"], &trusted),
            ip("10.9.9.9")
        );
        // No header at all from a trusted proxy: the proxy itself.
        assert_eq!(client_addr(ip("10.0.0.2"), &[], &trusted), ip("10.0.0.2"));
    }

    #[test]
    fn unparsable_entries_stop_the_walk() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_addr(
                ip("10.0.0.2"),
                &["198.51.100.7", "garbage", "10.1.1.1"],
                &trusted
            ),
            ip("10.1.1.1")
        );
        assert_eq!(
            client_addr(ip("10.0.0.2"), &["unknown"], &trusted),
            ip("10.0.0.2")
        );
        // Ports, as some proxies write them.
        assert_eq!(
            client_addr(ip("10.0.0.2"), &["198.51.100.7:5123"], &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_addr(ip("10.0.0.2"), &["[2001:db8::5]:443"], &trusted),
            ip("2001:db8::5")
        );
    }

    #[test]
    fn ipv6_clients_and_mapped_ipv4() {
        let trusted = nets(&["::1/128", "fd00::/8"]);
        assert_eq!(
            client_addr(ip("fd00::2"), &["2001:db8:1:2:3:4:5:6"], &trusted),
            ip("2001:db8:1:2:3:4:5:6")
        );
        // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d.
        assert_eq!(
            client_addr(ip("::ffff:203.0.113.9"), &[], &trusted),
            ip("203.0.113.9")
        );
        let trusted_v4 = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_addr(ip("::ffff:10.0.0.2"), &["198.51.100.7"], &trusted_v4),
            ip("198.51.100.7")
        );
        assert_eq!(limit_key(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
        assert_eq!(limit_key(ip("2001:db8:1:2:ffff::1")), "2001:db8:1:2::/64");
        assert_eq!(limit_key(ip("::ffff:203.0.113.9")), "203.0.113.9");
        assert_eq!(limit_key(ip("203.0.113.9")), "203.0.113.9");
    }

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

/// Body limits by path: `MAX_BODY_BYTES` everywhere, and the image upload
/// its own (`MEDIA_MAX_BYTES`).
#[derive(Clone)]
pub struct BodyLimits {
    pub default: usize,
    pub upload_path: &'static str,
    pub upload: usize,
}

/// Answers 413 when `Content-Length` is over the path's limit, and cuts
/// any body off at it (a chunked body without a length included), as
/// tower-http's `RequestBodyLimit` does, with a limit chosen per path.
pub async fn body_limit(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    let limit = if req.uri().path() == limits.upload_path {
        limits.upload
    } else {
        limits.default
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

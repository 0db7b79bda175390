//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
//! Cookies"): a browser that has signed in to an account keeps its own
//! small allowance of failed sign-ins for that account, so a stranger who
//! locks the account out with wrong passwords does not lock out its owner.
//!
//! The cookie names the account and a random nonce, signed with the
//! server's `SECRET_KEY` (HMAC-SHA256): `v1.<user id>.<nonce>.<signature>`.
//! It is HttpOnly, set at every successful sign-in (with a fresh nonce),
//! kept at logout, and lives a year. Failures from a browser presenting a
//! valid cookie for the account count against `device:<nonce>`, not
//! against the account's limit that strangers share.

use axum::http::{header, HeaderMap, HeaderValue};
use leptos::prelude::use_context;
use tower_sessions::cookie::{time::Duration, Cookie, SameSite};

use crate::shared::secret::SecretKey;

pub const COOKIE: &str = "nk_device";
const PURPOSE: &str = "device-cookie";
const VERSION: &str = "v1";

/// A valid device cookie: this browser signed in to `user_id` before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub user_id: i64,
    pub nonce: String,
}

impl Device {
    /// The limiter key for this browser's own allowance.
    pub fn limit_key(&self) -> String {
        format!("device:{}", self.nonce)
    }
}

/// Parses and checks a cookie value; `None` unless the signature is ours.
pub fn parse(value: &str, key: &SecretKey) -> Option<Device> {
    let (message, signature) = value.rsplit_once('.')?;
    if !key.verify(PURPOSE, message, signature) {
        return None;
    }
    let mut parts = message.split('.');
    let (Some(VERSION), Some(id), Some(nonce), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(Device {
        user_id: id.parse().ok()?,
        nonce: nonce.to_string(),
    })
}

/// A new signed cookie value for `user_id` with a fresh nonce.
pub fn value_for(user_id: i64, key: &SecretKey) -> String {
    let nonce = crate::shared::secret::random_hex();
    let message = format!("{VERSION}.{user_id}.{nonce}");
    let signature = key.sign(PURPOSE, &message);
    format!("{message}.{signature}")
}

/// The device cookie the request carries, if it is valid.
pub fn from_request(key: &SecretKey) -> Option<Device> {
    let parts = use_context::<axum::http::request::Parts>()?;
    from_headers(&parts.headers, key)
}

pub fn from_headers(headers: &HeaderMap, key: &SecretKey) -> Option<Device> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == COOKIE)
        .find_map(|c| parse(c.value(), key))
}

/// Sets a fresh device cookie for `user_id` on the response.
pub fn issue(user_id: i64, key: &SecretKey, secure: bool) {
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let cookie = Cookie::build((COOKIE, value_for(user_id, key)))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(Duration::days(365))
        .build();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        res.append_header(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_valid_only_with_our_signature() {
        let key = SecretKey::generate();
        let value = value_for(42, &key);
        let device = parse(&value, &key).expect("valid");
        assert_eq!(device.user_id, 42);
        assert_eq!(device.nonce.len(), 32);
        assert!(parse(&value, &SecretKey::generate()).is_none());
        let forged = value.replacen("v1.42.", "v1.43.", 1);
        assert!(parse(&forged, &key).is_none());
        assert!(parse("v1.42", &key).is_none());
        assert!(parse("", &key).is_none());
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE}={value}; c=d")).unwrap(),
        );
        assert_eq!(from_headers(&headers, &key), Some(device));
    }
}

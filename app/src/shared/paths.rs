//! URLs the portal builds: query values, and the page to come back to
//! after signing in, which must be one of ours.

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The return path if it is a path on this site: it starts with one `/`
/// and is not `//…` or `/\…` (both of which browsers treat as another
/// host), holds no backslash, whitespace or control character, and is not
/// absurdly long. Anything else (a full URL, `javascript:`, …) is refused.
pub fn safe_return_path(path: &str) -> Option<&str> {
    let ok = path.len() <= 1024
        && path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(path)
}

/// The login page that comes back to `path` after signing in.
pub fn login_then(path: &str) -> String {
    match safe_return_path(path) {
        Some(p) if p != "/" && !p.starts_with("/login") => format!("/login?next={}", encode(p)),
        _ => "/login".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("siti & co"), "siti%20%26%20co");
        assert_eq!(encode("+62812"), "%2B62812");
    }

    #[test]
    fn only_same_site_paths_are_return_paths() {
        for good in ["/account", "/admin/users?q=sari&page=2", "/"] {
            assert_eq!(safe_return_path(good), Some(good), "{good}");
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "account",
            "",
            "/ok\r\nSet-Cookie: x=1",
            "/a b",
            "/\t/evil.example",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn login_links_carry_the_return_path() {
        assert_eq!(login_then("/account"), "/login?next=%2Faccount");
        assert_eq!(login_then("//evil"), "/login");
        assert_eq!(login_then("/"), "/login");
    }
}

//! Cookies, read and written with the `cookie` crate: every `Cookie` header the server
//! reads and every `Set-Cookie` it sends goes through here.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// How a cookie is sent: always `Path=/` and `SameSite=Lax`.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Seconds to keep it; 0 removes it.
    pub max_age: u64,
    /// Hidden from page scripts (the session).
    pub http_only: bool,
    /// Only over HTTPS.
    pub secure: bool,
}

/// A `Set-Cookie` value.
pub fn set(name: &str, value: &str, policy: Policy) -> Option<HeaderValue> {
    let cookie = Cookie::build((name, value))
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(policy.http_only)
        .secure(policy.secure)
        .max_age(cookie::time::Duration::seconds(i64::try_from(policy.max_age).unwrap_or(i64::MAX)))
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("bm_lang=en; bm_session=abc"));
        headers.append(COOKIE, HeaderValue::from_static("other=1"));
        assert_eq!(get(&headers, "bm_session").as_deref(), Some("abc"));
        assert_eq!(get(&headers, "other").as_deref(), Some("1"));
        assert_eq!(get(&headers, "bm_sess"), None, "a prefix is not a name");
    }

    #[test]
    fn writes_the_attributes_asked_for() {
        let value = set("bm_session", "t", Policy { max_age: 60, http_only: true, secure: true }).expect("header");
        let text = value.to_str().expect("ascii");
        for part in ["bm_session=t", "Path=/", "SameSite=Lax", "HttpOnly", "Secure", "Max-Age=60"] {
            assert!(text.contains(part), "{text}");
        }
        let plain = set("bm_lang", "en", Policy { max_age: 0, http_only: false, secure: false }).expect("header");
        assert!(!plain.to_str().expect("ascii").contains("HttpOnly") && plain.to_str().expect("ascii").contains("Max-Age=0"));
    }
}

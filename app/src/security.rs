//! Content-Security-Policy with a per-response nonce for the inline hydration script,
//! and the check that keeps redirects on this site.

/// `target` if following it as a redirect stays on this site, else `None`.
///
/// A browser resolves a redirect against the current origin after dropping tabs
/// and newlines and reading `\\` as `/`: `/\t/evil.example` becomes
/// `//evil.example`, another site. So a target must be a path that starts with one
/// `/`, followed by neither `/` nor `\\`, and contain no whitespace, control
/// character or backslash anywhere; every other form (schemes, `//host`, relative
/// paths) is refused rather than repaired.
pub fn same_site_path(target: &str) -> Option<&str> {
    let mut chars = target.chars();
    let starts_right = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    let clean = !target.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\' || c == '\u{feff}');
    (starts_right && clean && target.len() <= 2048).then_some(target)
}

/// Whether a request is for a guide page as every visitor sees it: a GET of
/// `/guides` or below without a session cookie. Those pages are cached whole (see
/// `server/src/page_cache.rs`) without their nonce: their CSP lists the hashes of
/// their inline scripts instead.
#[cfg(feature = "ssr")]
pub fn is_shared_page(method: &axum::http::Method, path: &str, headers: &axum::http::HeaderMap) -> bool {
    let guides = path == "/guides" || path.starts_with("/guides/");
    let signed_in = crate::ssr::cookies::get(headers, crate::ssr::auth::SESSION_COOKIE).is_some();
    method == axum::http::Method::GET && guides && !signed_in
}

/// Creates the nonce for this page and sends the matching CSP header.
#[cfg(feature = "ssr")]
pub fn page_nonce() -> Option<String> {
    use leptos::nonce::{provide_nonce, use_nonce};
    use leptos::prelude::use_context;
    provide_nonce();
    let nonce = use_nonce().map(|n| n.to_string())?;
    if let (Some(options), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), axum::http::HeaderValue::from_str(&csp(Some(&nonce)))) {
        options.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
    Some(nonce)
}

#[cfg(not(feature = "ssr"))]
pub fn page_nonce() -> Option<String> {
    None
}

/// The policy: only this origin, scripts only with the page's nonce (and WASM).
pub fn csp(nonce: Option<&str>) -> String {
    csp_allowing(&nonce.map(|n| format!("'nonce-{n}'")).unwrap_or_default())
}

/// The policy with the inline scripts allowed by `sources` (a nonce or hashes).
pub fn csp_allowing(sources: &str) -> String {
    let script = if sources.is_empty() { "'self' 'wasm-unsafe-eval'".to_owned() } else { format!("'self' {sources} 'wasm-unsafe-eval'") };
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn redirect_targets_stay_on_this_site() {
        for good in ["/", "/me", "/staff/cases?filter=overdue", "/feedback/new?restore=1#form", "/guides/SB-004", "/a/%2F%2Fevil.example"] {
            assert_eq!(same_site_path(good), Some(good), "{good:?}");
        }
        let tricks = [
            "",
            "me",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            " /evil",
            "/ /evil",
            "/%09/evil.example\t",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "data:text/html,x",
            "/\u{0}/evil",
            "/\u{7f}",
            "/\u{3000}/evil",
            "/\u{a0}evil",
            "/\u{feff}/evil",
            "/a\\b",
            "//",
            "/\\",
            "mailto:a@b.c",
            "//evil.example/%2F..",
        ];
        for trick in tricks {
            assert_eq!(same_site_path(trick), None, "{trick:?}");
        }
        assert_eq!(same_site_path(&format!("/{}", "a".repeat(4096))), None, "absurdly long");
    }
}

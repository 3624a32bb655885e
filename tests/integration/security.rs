//! Headers, same-origin checks, no-JavaScript form posts, pages and errors.

use crate::helpers::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn state_changes_need_a_same_origin_request() {
    crate::helpers::within_limit("state_changes_need_a_same_origin_request", async {
    let app = spawn_app(Backend::Sqlite).await;
    let form = form_urlencode(&[("phone", "13800138000"), ("password", PASSWORD), ("email", ""), ("name", "")]);
    let attempts = [
        ("no origin", vec![]),
        ("foreign origin", vec![(header::ORIGIN.as_str(), "https://evil.example")]),
        ("cross-site fetch", vec![("sec-fetch-site", "cross-site"), (header::ORIGIN.as_str(), ORIGIN)]),
    ];
    for (what, headers) in attempts {
        let mut builder = Request::post("/api/register").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            builder = builder.header(k, v);
        }
        let res = app.send(builder.body(Body::from(form.clone())).expect("request")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}");
        assert!(res.body.contains("请求来源异常"), "{what}: {}", res.body);
    }
    assert_eq!(app.count("users").await, 0, "nothing written");

    // Same-origin by Sec-Fetch-Site works.
    let res = app
        .send(
            Request::post("/api/register")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .header(header::ACCEPT, "application/json")
                .body(Body::from(form))
                .expect("request"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
})
    .await
}

#[tokio::test]
async fn server_functions_change_nothing_on_get() {
    crate::helpers::within_limit("server_functions_change_nothing_on_get", async {
    let app = spawn_app(Backend::Sqlite).await;
    let res = app.get("/api/register?phone=13800138000&password=x&email=&name=", None).await;
    assert_ne!(res.status, StatusCode::OK);
    assert_eq!(app.count("users").await, 0);
})
    .await
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_csp_nonce() {
    crate::helpers::within_limit("pages_carry_security_headers_and_a_csp_nonce", async {
    let app = spawn_app(Backend::Sqlite).await;
    let page = app.get("/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.header("content-security-policy").expect("csp");
    let nonce = csp.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).expect("nonce in CSP");
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "hydration script carries the nonce");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("strict-origin-when-cross-origin"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert!(page.header("x-request-id").is_some());
    assert!(page.header("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    assert!(page.body.contains("首页") && page.body.contains("办事") && page.body.contains("预约") && page.body.contains("我的"));

    let https = spawn_app_with(Backend::Sqlite, &[("BIANMIN_PUBLIC_URL", "https://bianmin.example.gov.cn")]).await;
    let page = https.get("/", None).await;
    assert!(page.header("strict-transport-security").is_some());
    let res = https.call("register", &[("phone", "13800138000"), ("password", PASSWORD), ("email", ""), ("name", "")], None).await;
    // Origin differs from the public URL and no Host header: refused.
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = https
        .send({
            let mut r = server_fn_request("register", &[("phone", "13800138000"), ("password", PASSWORD), ("email", ""), ("name", "")], None);
            r.headers_mut().insert(header::ORIGIN, "https://bianmin.example.gov.cn".parse().expect("origin"));
            r
        })
        .await;
    assert!(res.set_cookies().iter().any(|c| c.starts_with("bm_session=") && c.contains("; Secure")), "Secure cookie over HTTPS");
})
    .await
}

#[tokio::test]
async fn responses_are_compressed_and_unknown_pages_are_404() {
    crate::helpers::within_limit("responses_are_compressed_and_unknown_pages_are_404", async {
    let app = spawn_app(Backend::Sqlite).await;
    let res = app.send(Request::get("/login").header(header::ACCEPT_ENCODING, "br").body(Body::empty()).expect("request")).await;
    assert_eq!(res.header("content-encoding"), Some("br"));
    let res = app.get("/no-such-page", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains("页面不存在"));
})
    .await
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    crate::helpers::within_limit("oversized_bodies_are_refused", async {
    let app = spawn_app(Backend::Sqlite).await;
    let big = "x".repeat(300 * 1024);
    let res = app.call("register", &[("phone", "13800138000"), ("password", PASSWORD), ("email", ""), ("name", &big)], None).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("users").await, 0);
})
    .await
}

/// Without JavaScript a form posts and the server redirects: back to the form with the
/// error in the URL, or on to the next page.
#[tokio::test]
async fn forms_work_without_javascript() {
    crate::helpers::within_limit("forms_work_without_javascript", async {
    let app = spawn_app(Backend::Sqlite).await;
    app.register("13800138000").await;
    let post = |form: Vec<(&'static str, &'static str)>| {
        Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::ORIGIN, ORIGIN)
            .header(header::REFERER, format!("{ORIGIN}/login"))
            .body(Body::from(form_urlencode(&form)))
            .expect("request")
    };
    let res = app.send(post(vec![("phone", "13800138000"), ("password", "wrong-password"), ("next", "/me")])).await;
    assert_eq!(res.status, StatusCode::FOUND);
    let location = res.header("location").expect("location").to_owned();
    assert!(location.starts_with(&format!("{ORIGIN}/login?")) && location.contains("__err="), "{location}");

    // The login page rendered at that URL shows the Chinese message.
    let path = location.trim_start_matches(ORIGIN);
    let page = app.get(path, None).await;
    assert!(page.body.contains("手机号或密码错误"), "error shown without JS");

    let res = app.send(post(vec![("phone", "13800138000"), ("password", PASSWORD), ("next", "/staff")])).await;
    assert_eq!(res.status, StatusCode::FOUND);
    assert_eq!(res.header("location"), Some("/staff"));
    assert!(res.session_cookie().is_some());
})
    .await
}

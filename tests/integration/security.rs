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
        // A form that registers when posted (below): refused as a GET for its method alone.
        let fields = [("phone", "13800138000"), ("password", PASSWORD), ("email", ""), ("name", "")];
        let res = app.get(&format!("/api/register?{}", form_urlencode(&fields)), None).await;
        assert_ne!(res.status, StatusCode::OK, "{}", res.body);
        assert!(res.session_cookie().is_none());
        assert_eq!(app.count("users").await, 0);
        let res = app.call("register", &fields, None).await;
        assert_eq!(res.status, StatusCode::OK, "the same form posted registers: {}", res.body);
        assert_eq!(app.count("users").await, 1);
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

crate::on_both_databases!(malformed_server_function_calls_are_bad_requests_never_500s, streamed_bodies_are_limited_as_they_arrive_and_never_collected,);

/// Every server function the router knows, called without its fields and with bytes
/// that are not UTF-8, as a visitor and as a resident: a 4xx with a Chinese message,
/// never a 500, and nothing written.
async fn malformed_server_function_calls_are_bad_requests_never_500s(backend: Backend) {
    let app = spawn_app(backend).await;
    let resident = app.register("13800138000").await;
    let (users, sessions) = (app.count("users").await, app.count("sessions").await);
    let paths: Vec<(String, axum::http::Method)> = server_fn::axum::server_fn_paths().map(|(path, method)| (path.to_owned(), method)).collect();
    assert!(paths.len() > 60, "the router's server functions: {}", paths.len());
    let mut bad_requests = 0;
    for (path, method) in &paths {
        let bodies: [&[u8]; 3] = [b"", b"\xff\xfe=\xc3\x28&phone=\xff", b"phone=13800138000"];
        for (n, body) in bodies.iter().enumerate() {
            for cookie in [None, Some(resident.as_str())] {
                if cookie.is_some() && (path.ends_with("/logout") || path.ends_with("/logout_everywhere")) {
                    continue; // would end the resident's session the loop goes on with
                }
                let mut builder = Request::builder()
                    .method(method.clone())
                    .uri(if *method == axum::http::Method::GET { format!("{path}?{}", String::from_utf8_lossy(body)) } else { path.clone() })
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .header(header::ORIGIN, ORIGIN);
                if let Some(cookie) = cookie {
                    builder = builder.header(header::COOKIE, cookie);
                }
                let res = app.send(builder.body(Body::from(body.to_vec())).expect("request")).await;
                assert_ne!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{path} body #{n}: {}", res.body);
                if res.status == StatusCode::BAD_REQUEST {
                    bad_requests += 1;
                    assert_eq!(res.app_error(), app::error::AppError::BadRequest, "{path}");
                    assert!(res.message().contains("格式有误"), "{path}: a Chinese message: {}", res.body);
                }
            }
        }
    }
    assert!(bad_requests > 2 * paths.len(), "most malformed calls are refused as such: {bad_requests}");
    assert_eq!((app.count("users").await, app.count("sessions").await), (users, sessions), "nothing written");
}

/// A chunked body (no Content-Length) is never collected in memory: an anonymous
/// upload is sent to log in without a byte of its file read, a signed-in one is cut
/// off at its field's limit, and a server function gets 413 at its limit.
async fn streamed_bodies_are_limited_as_they_arrive_and_never_collected(backend: Backend) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = spawn_app(backend).await;
    let resident = app.register("13800138000").await;
    // A 50 MB multipart body, streamed in 64 KB chunks, counting what the server pulls.
    let streamed = |pulled: Arc<AtomicUsize>, head: String| {
        let chunk = vec![b'x'; 64 * 1024];
        let chunks = std::iter::once(head.into_bytes()).chain(std::iter::repeat_n(chunk, 800)).map(move |bytes| {
            pulled.fetch_add(bytes.len(), Ordering::Relaxed);
            Ok::<_, std::io::Error>(bytes)
        });
        Body::from_stream(futures::stream::iter(chunks))
    };
    let boundary = "----bianmin-chunked";
    let head = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n");
    let post = |cookie: Option<&str>, body: Body| {
        let mut builder =
            Request::post("/feedback/submit").header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}")).header(header::ORIGIN, ORIGIN);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(body).expect("request")
    };

    let pulled = Arc::new(AtomicUsize::new(0));
    let res = app.send(post(None, streamed(pulled.clone(), head.clone()))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").is_some_and(|l| l.starts_with("/login?next=")), "{:?}", res.header("location"));
    assert!(pulled.load(Ordering::Relaxed) <= 256 * 1024, "anonymous: nothing read, {} bytes pulled", pulled.load(Ordering::Relaxed));

    let pulled = Arc::new(AtomicUsize::new(0));
    let res = app.send(post(Some(&resident), streamed(pulled.clone(), head))).await;
    assert!(res.header("location").is_some_and(|l| l.starts_with("/feedback/new?error=")), "refused: {:?} {}", res.header("location"), res.body);
    assert!(pulled.load(Ordering::Relaxed) <= 1024 * 1024, "signed in: cut at the field limit, {} bytes pulled", pulled.load(Ordering::Relaxed));
    assert_eq!(app.count("feedback").await, 0);

    let pulled = Arc::new(AtomicUsize::new(0));
    let request = Request::post("/api/register")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, ORIGIN)
        .body(streamed(pulled.clone(), "phone=13900000000&name=".to_owned()))
        .expect("request");
    let res = app.send(request).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.message().contains("过大"), "{}", res.body);
    assert!(pulled.load(Ordering::Relaxed) <= 1024 * 1024, "{} bytes pulled", pulled.load(Ordering::Relaxed));
    assert_eq!(app.count("users").await, 1);
}

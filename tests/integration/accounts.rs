//! Registration, login, sessions, preferences: each test on SQLite and PostgreSQL.

use crate::helpers::*;
use crate::on_both_databases;
use app::accounts::Me;
use app::error::AppError;
use app::i18n::Msg;
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_databases!(
    register_signs_in_and_me_shows_the_profile,
    bad_registrations_say_why_and_write_nothing,
    five_wrong_passwords_lock_the_account_on_every_server,
    an_address_with_many_failures_is_slowed_not_refused,
    forty_concurrent_wrong_passwords_are_checked_at_most_five_times,
    a_stranger_locks_neither_other_accounts_nor_other_addresses,
    the_chief_sees_and_lifts_login_locks,
    registrations_from_one_address_are_limited_under_concurrency,
    a_login_never_redirects_off_site,
    login_gives_a_new_token_and_logout_ends_it_server_side,
    logout_everywhere_ends_every_session,
    a_remembered_session_ends_on_every_server,
    an_expired_session_says_so,
    preferences_follow_the_user,
    profile_changes_are_validated,
    demo_seed_is_idempotent,
);

async fn register_signs_in_and_me_shows_the_profile(backend: Backend) {
    let app = spawn_app(backend).await;

    let res = app.call("register", &[("phone", "138 0013 8000"), ("password", PASSWORD), ("email", ""), ("name", "王秀兰")], None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let cookie = res.session_cookie().expect("session cookie");
    let set = res.set_cookies().join("\n");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    assert!(!set.contains("Secure"), "no Secure flag over plain HTTP");

    let me: Option<Me> = app.call("me", &[], Some(&cookie)).await.json();
    let me = me.expect("signed in");
    assert_eq!(me.phone_masked, "138****8000");
    assert_eq!(me.name.as_deref(), Some("王秀兰"));
    assert_eq!(me.role, app::domain::Role::Resident);

    let anonymous: Option<Me> = app.call("me", &[], None).await.json();
    assert_eq!(anonymous, None);
}

async fn bad_registrations_say_why_and_write_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.register("13800138000").await;
    let users = app.count("users").await;
    let sessions = app.count("sessions").await;

    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, Msg);
    let cases: [Case; 5] = [
        (&[("phone", "1380013800"), ("password", PASSWORD), ("email", ""), ("name", "")], "phone", Msg::ErrPhoneInvalid),
        (&[("phone", "13900139000"), ("password", "short"), ("email", ""), ("name", "")], "password", Msg::ErrPasswordShort),
        (&[("phone", "13900139000"), ("password", "woaini1314"), ("email", ""), ("name", "")], "password", Msg::ErrPasswordCommon),
        (&[("phone", "13900139000"), ("password", PASSWORD), ("email", "li@"), ("name", "")], "email", Msg::ErrEmailInvalid),
        (&[("phone", "+86 138-0013-8000"), ("password", PASSWORD), ("email", ""), ("name", "")], "phone", Msg::ErrPhoneTaken),
    ];
    for (form, field, msg) in cases {
        let res = app.call("register", form, None).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", res.body);
        assert!(res.session_cookie().is_none());
        let err = res.app_error();
        assert_eq!(err.field_msg(field), Some(msg), "{err:?}");
        assert!(!msg.zh().is_empty() && msg.zh().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "message in Chinese");
    }
    assert_eq!(app.count("users").await, users, "no user written");
    assert_eq!(app.count("sessions").await, sessions, "no session written");
}

async fn five_wrong_passwords_lock_the_account_on_every_server(backend: Backend) {
    let app = spawn_app(backend).await;
    app.register("13800138000").await;

    for attempt in 1..=4 {
        let err = app.login("13800138000", "wrong-password").await.app_error();
        assert_eq!(err, AppError::Unauthorized(Msg::ErrLoginFailed), "attempt {attempt}");
    }
    let fifth = app.login("13800138000", "wrong-password").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(fifth.app_error(), AppError::TooManyRequests(Msg::ErrLoginLocked));
    assert_eq!(Msg::ErrLoginLocked.zh(), "登录失败次数过多，请15分钟后再试");

    // The right password is refused too, here and on another app server.
    let right = app.login("13800138000", PASSWORD).await;
    assert_eq!(right.app_error(), AppError::TooManyRequests(Msg::ErrLoginLocked));
    assert!(right.session_cookie().is_none());
    let other = app.second_server().await;
    let res = send(&other, server_fn_request("login", &[("phone", "13800138000"), ("password", PASSWORD), ("next", "/me")], None)).await;
    assert_eq!(res.app_error(), AppError::TooManyRequests(Msg::ErrLoginLocked));
}

/// Failures from one address over many accounts slow every later try from it, but a
/// correct password still gets in: residents behind one station's or one carrier's
/// address are never refused because of someone else.
async fn an_address_with_many_failures_is_slowed_not_refused(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[("BIANMIN_TRUST_PROXY", "true"), ("BIANMIN_LOGIN_SLOW_AFTER", "3"), ("BIANMIN_LOGIN_DELAY_MS", "300"), ("BIANMIN_LOGIN_DELAY_MAX_MS", "2000")],
    )
    .await;
    app.register("13800138000").await;
    let shared = "203.0.113.9";
    for n in 0..6 {
        let res = app.login_from(&format!("1390000000{n}"), "whatever-password", shared).await;
        assert_eq!(res.app_error(), AppError::Unauthorized(Msg::ErrLoginFailed), "unknown number {n}: one try each, no lock");
    }
    // Six failures, three over the free ones: 300 ms doubled twice.
    assert_eq!(app::accounts::service::address_delay(&app.state.config, 6), std::time::Duration::from_millis(1200));
    assert_eq!(app::accounts::service::address_delay(&app.state.config, 60), std::time::Duration::from_millis(2000), "capped");
    assert_eq!(app::accounts::service::address_delay(&app.state.config, 3), std::time::Duration::ZERO);
    let started = std::time::Instant::now();
    let res = app.login_from("13800138000", PASSWORD, shared).await;
    assert_eq!(res.status, StatusCode::OK, "the right password is let in: {}", res.body);
    assert!(res.session_cookie().is_some());
    assert!(started.elapsed() >= std::time::Duration::from_millis(1200), "slowed by the address's failures: {:?}", started.elapsed());
}

/// Every try is counted in one atomic statement before its password is checked, so a
/// burst of 40 gets exactly five password checks (four "wrong", one "locked") and 35
/// refusals that cost no hashing.
async fn forty_concurrent_wrong_passwords_are_checked_at_most_five_times(backend: Backend) {
    let app = spawn_app_with(backend, &[("BIANMIN_LOGIN_DELAY_MS", "1")]).await;
    app.register("13800138000").await;
    let tries = (0..40).map(|i| {
        let router = app.router.clone();
        async move { send(&router, server_fn_request("login", &[("phone", "13800138000"), ("password", &format!("wrong-{i}")), ("next", "/me")], None)).await }
    });
    let answers = futures::future::join_all(tries).await;
    let errors: Vec<AppError> = answers.iter().map(|r| r.app_error()).collect();
    let wrong = errors.iter().filter(|e| **e == AppError::Unauthorized(Msg::ErrLoginFailed)).count();
    let locked = errors.iter().filter(|e| **e == AppError::TooManyRequests(Msg::ErrLoginLocked)).count();
    assert_eq!((wrong, locked), (4, 36), "{errors:?}");
    // Failures counted against the address: only tries whose password was checked.
    let checked = app::ssr::entities::throttle::Entity::find_by_id("login-addr:local".to_owned()).one(&app.state.db).await.expect("q").expect("row");
    assert_eq!(checked.hits, 5, "five password checks, not forty");
    let right = app.login("13800138000", PASSWORD).await;
    assert_eq!(right.app_error(), AppError::TooManyRequests(Msg::ErrLoginLocked), "locked for this address");
}

/// 40 wrong passwords for the handler from one address lock that handler on that
/// address only: the station helper next to the stranger, and the handler at home,
/// sign in with their passwords.
async fn a_stranger_locks_neither_other_accounts_nor_other_addresses(backend: Backend) {
    let app = spawn_app_with(backend, &[("BIANMIN_TRUST_PROXY", "true"), ("BIANMIN_LOGIN_DELAY_MS", "1"), ("BIANMIN_LOGIN_DELAY_MAX_MS", "5")]).await;
    app.user_with_role("13800000003", app::domain::Role::Handler).await;
    app.user_with_role("13800000004", app::domain::Role::Helper).await;
    let village = "203.0.113.20";
    let tries = (0..40).map(|i| {
        let app = &app;
        async move { app.login_from("13800000003", &format!("guess-{i}"), village).await }
    });
    futures::future::join_all(tries).await;
    let helper = app.login_from("13800000004", PASSWORD, village).await;
    assert_eq!(helper.status, StatusCode::OK, "another account at the same address: {}", helper.body);
    let at_home = app.login_from("13800000003", PASSWORD, "198.51.100.7").await;
    assert_eq!(at_home.status, StatusCode::OK, "the same account from another address: {}", at_home.body);
    let there = app.login_from("13800000003", PASSWORD, village).await;
    assert_eq!(there.app_error(), AppError::TooManyRequests(Msg::ErrLoginLocked), "the attacked pair stays locked");
}

async fn the_chief_sees_and_lifts_login_locks(backend: Backend) {
    let app = spawn_app(backend).await;
    app.register("13800138000").await;
    let resident = app.register("13800138001").await;
    for _ in 0..5 {
        app.login("13800138000", "wrong-password").await;
    }
    let chief = app.user_with_role("13800000009", app::domain::Role::Chief).await;
    let locks: Vec<app::accounts::LoginLock> = app.call("login_locks", &[], Some(&chief)).await.json();
    assert_eq!(locks.len(), 1, "{locks:?}");
    assert_eq!((locks[0].phone_masked.as_str(), locks[0].addr.as_str()), ("138****8000", "local"));
    assert!(!locks[0].id.contains("13800138000"), "the page never carries the number");
    let page = app.get("/staff/users", Some(&chief)).await;
    assert!(page.body.contains("登录锁定") && page.body.contains("138****8000"), "shown on 人员管理");
    // Nobody else sees or lifts them.
    assert_eq!(app.call("login_locks", &[], Some(&resident)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call("login_unlock", &[("id", &locks[0].id)], Some(&resident)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call("login_unlock", &[("id", &locks[0].id)], None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("13800138000", PASSWORD).await.app_error(), AppError::TooManyRequests(Msg::ErrLoginLocked));
    assert_eq!(app.call("login_unlock", &[("id", "no-such-lock")], Some(&chief)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call("login_unlock", &[("id", &locks[0].id)], Some(&chief)).await.status, StatusCode::OK);
    assert_eq!(app.login("13800138000", PASSWORD).await.status, StatusCode::OK, "lifted");
    let audited = app::ssr::entities::audit_log::Entity::find()
        .filter(app::ssr::entities::audit_log::Column::Action.eq("user.login_unlock"))
        .count(&app.state.db)
        .await
        .expect("q");
    assert_eq!(audited, 1);
}

/// 60 registrations from one address at once: exactly the configured five succeed.
async fn registrations_from_one_address_are_limited_under_concurrency(backend: Backend) {
    let app = spawn_app_with(backend, &[("BIANMIN_REGISTER_PER_HOUR", "5")]).await;
    let tries = (0..60).map(|i| {
        let router = app.router.clone();
        async move {
            let phone = format!("139{i:08}");
            send(&router, server_fn_request("register", &[("phone", &phone), ("password", PASSWORD), ("email", ""), ("name", "")], None)).await
        }
    });
    let answers = futures::future::join_all(tries).await;
    let ok = answers.iter().filter(|r| r.status == StatusCode::OK).count();
    let limited: Vec<&TestResponse> = answers.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).collect();
    assert_eq!((ok, limited.len()), (5, 55));
    assert_eq!(limited[0].app_error(), AppError::TooManyRequests(Msg::ErrRegisterLimited));
    assert!(limited[0].message().contains("注册账号过于频繁"), "{}", limited[0].body);
    assert_eq!(app.count("users").await, 5);
    assert_eq!(app.count("sessions").await, 5);
}

/// `next=` tricks that browsers would resolve to another site land on 我的.
async fn a_login_never_redirects_off_site(backend: Backend) {
    let app = spawn_app(backend).await;
    app.register("13800138000").await;
    for next in ["\t//evil.example", "/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/\n/evil.example", "/staff"] {
        let request = axum::http::Request::post("/api/login")
            .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(axum::http::header::ACCEPT, "text/html")
            .header(axum::http::header::ORIGIN, ORIGIN)
            .header(axum::http::header::REFERER, format!("{ORIGIN}/login"))
            .body(axum::body::Body::from(form_urlencode(&[("phone", "13800138000"), ("password", PASSWORD), ("next", next)])))
            .expect("request");
        let res = app.send(request).await;
        assert_eq!(res.status, StatusCode::FOUND, "{next:?}");
        let expected = if next == "/staff" { "/staff" } else { "/me" };
        assert_eq!(res.header("location"), Some(expected), "{next:?}");
    }
}

async fn login_gives_a_new_token_and_logout_ends_it_server_side(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.register("13800138000").await;
    let second = app.login("13800138000", PASSWORD).await.session_cookie().expect("login");
    assert_ne!(first, second, "a new token on every login");

    let res = app.call("logout", &[], Some(&second)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.set_cookies().iter().any(|c| c.starts_with("bm_session=;") && c.contains("Max-Age=0")));
    // The old cookie no longer works even if the browser kept it.
    let me: Option<Me> = app.call("me", &[], Some(&second)).await.json();
    assert_eq!(me, None);
    let me: Option<Me> = app.call("me", &[], Some(&first)).await.json();
    assert!(me.is_some(), "other sessions stay");
}

async fn logout_everywhere_ends_every_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let phone = app.register("13800138000").await;
    let laptop = app.login("13800138000", PASSWORD).await.session_cookie().expect("login");
    let res = app.call("logout_everywhere", &[], Some(&laptop)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    for cookie in [phone, laptop] {
        let me: Option<Me> = app.call("me", &[], Some(&cookie)).await.json();
        assert_eq!(me, None);
    }
    assert_eq!(app.count("sessions").await, 0);
}

/// `me` as server `router` answers it for `cookie`.
async fn me_on(router: &axum::Router, cookie: &str) -> Option<Me> {
    send(router, server_fn_request("me", &[], Some(cookie))).await.json()
}

async fn a_remembered_session_ends_on_every_server(backend: Backend) {
    let app = spawn_app(backend).await;
    let other = app.second_server().await;
    let phone = app.register("13800138000").await;
    let laptop = app.login("13800138000", PASSWORD).await.session_cookie().expect("login");
    for cookie in [&phone, &laptop] {
        assert!(me_on(&app.router, cookie).await.is_some());
        assert!(me_on(&other, cookie).await.is_some());
    }
    assert_eq!(app.state.sessions.len(), 2, "both sessions remembered");

    // Logging out on this server ends the session here at once…
    app.call("logout", &[], Some(&laptop)).await;
    assert!(app.state.sessions.is_empty(), "this server forgets at once");
    assert_eq!(me_on(&app.router, &laptop).await, None);
    // …and on the other server within a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(me_on(&other, &laptop).await, None);
    assert!(me_on(&other, &phone).await.is_some(), "the other session stays");

    // Logging out everywhere from the other server reaches this one within a second.
    assert!(me_on(&app.router, &phone).await.is_some());
    let res = send(&other, server_fn_request("logout_everywhere", &[], Some(&phone))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(me_on(&app.router, &phone).await, None);

    // A profile change (the name every page shows) is forgotten at once too.
    let cookie = app.login("13800138000", PASSWORD).await.session_cookie().expect("login");
    assert!(me_on(&app.router, &cookie).await.is_some());
    assert_eq!(app.state.sessions.len(), 1);
    let res = app.call("profile", &[("name", "王秀兰"), ("email", "")], Some(&cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(app.state.sessions.is_empty());
}

async fn an_expired_session_says_so(backend: Backend) {
    use app::ssr::entities::session;
    use sea_orm::{EntityTrait, sea_query::Expr};
    let app = spawn_app(backend).await;
    let cookie = app.register("13800138000").await;
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(chrono::Utc::now() - chrono::Duration::days(30)))
        .exec(&app.state.db)
        .await
        .expect("age the session");

    let res = app.call("logout_everywhere", &[], Some(&cookie)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.app_error(), AppError::Unauthorized(Msg::ErrSessionExpired));
    assert_eq!(app.count("sessions").await, 0, "expired session deleted");
}

async fn preferences_follow_the_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let cookie = app.register("13800138000").await;

    let res = app.call("elder_mode", &[("on", "true")], Some(&cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.set_cookies().iter().any(|c| c.starts_with("bm_elder=1")));
    let res = app.call("language", &[("lang", "en")], Some(&cookie)).await;
    assert!(res.set_cookies().iter().any(|c| c.starts_with("bm_lang=en")));

    // A new device: logging in brings the preferences back as cookies.
    let res = app.login("13800138000", PASSWORD).await;
    let cookies = res.set_cookies().join("\n");
    assert!(cookies.contains("bm_elder=1") && cookies.contains("bm_lang=en"), "{cookies}");

    // The server renders elder mode and the language on the first byte.
    let page = app.get("/me", Some("bm_elder=1; bm_lang=en")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"<html lang="en" class="elder""#), "{}", &page.body[..200.min(page.body.len())]);
    let page = app.get("/me", None).await;
    assert!(page.body.contains(r#"<html lang="zh-CN""#));
    assert!(page.body.contains("我的"));

    let bad = app.call("language", &[("lang", "fr")], Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

async fn profile_changes_are_validated(backend: Backend) {
    let app = spawn_app(backend).await;
    let cookie = app.register("13800138000").await;
    let res = app.call("profile", &[("name", &"长".repeat(31)), ("email", "nope")], Some(&cookie)).await;
    let err = res.app_error();
    assert_eq!(err.field_msg("name"), Some(Msg::ErrNameTooLong));
    assert_eq!(err.field_msg("email"), Some(Msg::ErrEmailInvalid));
    let me: Option<Me> = app.call("me", &[], Some(&cookie)).await.json();
    assert_eq!(me.expect("me").name.as_deref(), Some("王秀兰"), "unchanged");

    let res = app.call("profile", &[("name", "王秀英"), ("email", "")], Some(&cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let me: Option<Me> = app.call("me", &[], Some(&cookie)).await.json();
    assert_eq!(me.expect("me").name.as_deref(), Some("王秀英"));

    let res = app.call("profile", &[("name", "王秀英"), ("email", "")], None).await;
    assert_eq!(res.app_error(), AppError::unauthorized());
}

async fn demo_seed_is_idempotent(backend: Backend) {
    let app = spawn_app(backend).await;
    app::seed::seed_demo(&app.state.db).await.expect("seed");
    app::seed::seed_demo(&app.state.db).await.expect("seed again");
    assert_eq!(app.count("users").await, app::seed::DEMO_USERS.len() as i64);
    assert_eq!(app.count("stations").await, 3);
    for (phone, _, role, _) in app::seed::DEMO_USERS {
        let res = app.login(phone, app::seed::DEMO_PASSWORD).await;
        let me: Option<Me> = app.call("me", &[], res.session_cookie().as_deref()).await.json();
        assert_eq!(me.expect("demo login").role, role);
    }
}

//! Every role reaches only its own pages and server functions.

use crate::helpers::*;
use crate::on_both_databases;
use app::domain::Role;
use app::error::AppError;
use axum::http::StatusCode;

on_both_databases!(each_role_reaches_only_its_own_functions_and_pages, the_chief_creates_staff_accounts);

async fn each_role_reaches_only_its_own_functions_and_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut cookies = vec![(None, None::<String>)];
    for (i, role) in Role::ALL.into_iter().enumerate() {
        let cookie = app.user_with_role(&format!("1370000000{i}"), role).await;
        cookies.push((Some(role), Some(cookie)));
    }
    let station = app.station().await.to_string();
    let create = [("phone", "13600000009"), ("name", "新同事"), ("role", "clerk"), ("station_id", station.as_str()), ("password", PASSWORD)];

    for (role, cookie) in &cookies {
        let cookie = cookie.as_deref();
        let staff = matches!(role, Some(Role::Clerk | Role::Handler | Role::Chief));
        let chief = *role == Some(Role::Chief);
        let expected = |allowed: bool| match (role, allowed) {
            (_, true) => StatusCode::OK,
            (None, false) => StatusCode::UNAUTHORIZED,
            (Some(_), false) => StatusCode::FORBIDDEN,
        };

        let res = app.call("staff_overview", &[], cookie).await;
        assert_eq!(res.status, expected(staff), "{role:?} staff_overview: {}", res.body);
        let res = app.call("staff_list", &[], cookie).await;
        assert_eq!(res.status, expected(chief), "{role:?} staff_list");
        if !chief {
            assert!(matches!(res.app_error(), AppError::Forbidden | AppError::Unauthorized(_)));
        }
        let res = app.call("station_list", &[], cookie).await;
        assert_eq!(res.status, expected(chief), "{role:?} station_list");
        let res = app.call("login_locks", &[], cookie).await;
        assert_eq!(res.status, expected(chief), "{role:?} login_locks");
        if !chief {
            let before = app.count("users").await;
            let res = app.call("staff_create", &create, cookie).await;
            assert_eq!(res.status, expected(false), "{role:?} staff_create");
            assert_eq!(app.count("users").await, before, "{role:?} wrote nothing");
        }
        // Everyone signed in reaches their own profile.
        let res = app.call("me", &[], cookie).await;
        assert_eq!(res.status, StatusCode::OK);

        // Pages: the console answers 403 to the wrong role, with a Chinese explanation.
        let page = app.get("/staff", cookie).await;
        match role {
            None => assert!(page.body.contains("请先登录"), "anonymous sees the login prompt"),
            Some(_) if staff => assert_eq!(page.status, StatusCode::OK),
            Some(_) => {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role:?} /staff");
                assert!(page.body.contains("无权访问"));
            }
        }
        let page = app.get("/staff/users", cookie).await;
        if chief {
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains("新增工作人员"));
        } else if role.is_some() {
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{role:?} /staff/users");
            assert!(!page.body.contains("新增工作人员"));
        }
    }
}

async fn the_chief_creates_staff_accounts(backend: Backend) {
    let app = spawn_app(backend).await;
    let chief = app.user_with_role("13700000005", Role::Chief).await;
    let station = app.station().await.to_string();

    let res = app
        .call("staff_create", &[("phone", "13600000001"), ("name", "李芳"), ("role", "helper"), ("station_id", ""), ("password", PASSWORD)], Some(&chief))
        .await;
    assert_eq!(res.app_error().field_msg("station_id"), Some(app::i18n::Msg::ErrStationRequired));
    let res = app
        .call("staff_create", &[("phone", "13600000001"), ("name", "李芳"), ("role", "helper"), ("station_id", "9999"), ("password", PASSWORD)], Some(&chief))
        .await;
    assert_eq!(res.app_error().field_msg("station_id"), Some(app::i18n::Msg::ErrStationInvalid));

    let res = app
        .call("staff_create", &[("phone", "13600000001"), ("name", "李芳"), ("role", "helper"), ("station_id", &station), ("password", PASSWORD)], Some(&chief))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let staff: Vec<app::staff::StaffMember> = app.call("staff_list", &[], Some(&chief)).await.json();
    let helper = staff.iter().find(|s| s.name == "李芳").expect("listed");
    assert_eq!(helper.role, Role::Helper);
    assert_eq!(helper.station.as_deref(), Some("东山村便民服务站"));
    assert_eq!(helper.phone_masked, "136****0001");

    // The new helper can log in; the audit log names the chief as the actor.
    assert!(app.login("13600000001", PASSWORD).await.session_cookie().is_some());
    use app::ssr::entities::audit_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let entries = audit_log::Entity::find().filter(audit_log::Column::Action.eq("user.create")).all(&app.state.db).await.expect("audit");
    assert!(entries.iter().any(|e| e.actor_id != e.entity_id.as_deref().and_then(|id| id.parse().ok())), "chief recorded as actor");
}

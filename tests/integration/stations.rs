//! Stations and 帮办代办: the chief's stations, helpers acting for residents only
//! inside an authorisation (委托) — the full matrix of who may read and write what —
//! residents without accounts and their later claim, the station channel's check-in
//! and no-show rule, and bookings on a day made a holiday.

use crate::helpers::*;
use crate::on_both_databases;
use app::booking::{BookingOptions, SlotOption};
use app::cases::{CaseView, MyCases};
use app::domain::Role;
use app::error::AppError;
use app::i18n::StationReason;
use app::ssr::entities::{audit_log, authorisation, booking, notification, station, user};
use app::stations::{AuthorisationView, ResidentDesk, ResidentMatch, StationInfo};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use test_support::cases::{ID, PDF, World, act, case_of, current, decide, jpeg_with_gps, upload, uploaded, view, world};
use test_support::stations::{decide_authorisation, file_for, filed, request, until};

on_both_databases!(
    the_chief_keeps_stations_and_moves_helpers_on_record,
    helpers_act_only_inside_a_valid_authorisation_in_scope,
    a_resident_without_an_account_is_registered_helped_and_later_claims_the_records,
    station_bookings_are_checked_in_at_the_station_and_no_shows_follow_the_station,
    bookings_on_a_day_made_a_holiday_are_notified_and_rebooked_ahead,
);

const IN_SCOPE: &str = "LC-005";
const OUT_OF_SCOPE: &str = "LC-001";
const BOOKABLE: &str = "SB-004";

async fn other_station(app: &TestApp, name: &str) -> i32 {
    station::ActiveModel { name: Set(name.into()), address: Set("西岭村".into()), created_at: Set(Utc::now()), ..Default::default() }
        .insert(&app.state.db)
        .await
        .expect("station")
        .id
}

async fn move_to(app: &TestApp, phone: &str, station: i32) {
    use app::ssr::freshness::{SESSIONS, bump};
    let db = &app.state.db;
    app.as_request(async {
        user::Entity::update_many().col_expr(user::Column::StationId, Expr::value(station)).filter(user::Column::Phone.eq(phone)).exec(db).await.expect("move");
        // Sessions carry the station, as `move_helper` does.
        bump(db, SESSIONS).await.expect("bump");
    })
    .await;
}

fn file_url(c: &CaseView) -> String {
    let file = c.materials.iter().flat_map(|m| m.files.iter()).next().expect("a file");
    format!("/cases/{}/files/{}", c.number, file.id)
}

async fn book_for(app: &TestApp, helper: &str, resident: i32, station_id: i32, key: &str) -> TestResponse {
    let r = resident.to_string();
    let options: BookingOptions = app.call("booking_options", &[("code", BOOKABLE), ("for_resident", r.as_str())], Some(helper)).await.json();
    let day = options.days.iter().find(|d| d.open && d.left > 0).expect("an open day").date.clone();
    let slots: Vec<SlotOption> =
        app.call("booking_slots", &[("code", BOOKABLE), ("day", day.as_str()), ("for_resident", r.as_str())], Some(helper)).await.json();
    let slot = slots.iter().find(|s| s.left > 0).expect("a free slot").id.to_string();
    let station = station_id.to_string();
    app.call(
        "book",
        &[("code", BOOKABLE), ("slot", slot.as_str()), ("channel", "station"), ("station", station.as_str()), ("key", key), ("for_resident", r.as_str())],
        Some(helper),
    )
    .await
}

async fn the_chief_keeps_stations_and_moves_helpers_on_record(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let helper = app.user_with_role("13700000021", Role::Helper).await;
    // Items are checkboxes named items[n]; a code that no helper may file is refused.
    let form = [
        ("id", ""),
        ("name", "南湖社区便民服务站"),
        ("village", "南湖社区"),
        ("address", "南湖路8号"),
        ("phone", "0571-8888666"),
        ("hours", "周一至周五 8:30-17:30"),
        ("items[0]", IN_SCOPE),
        ("items[2]", BOOKABLE),
    ];
    let res = app.call("station_save", &form, Some(&w.chief)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let created = station::Entity::find().filter(station::Column::Name.eq("南湖社区便民服务站")).one(&app.state.db).await.expect("query").expect("created");
    assert_eq!(created.item_codes.as_deref(), Some("LC-005 SB-004"));
    let bad = [("id", ""), ("name", "北山村便民服务站"), ("village", ""), ("address", "北山"), ("phone", "abc"), ("hours", "全天"), ("items[0]", "SB-003")];
    let before = app.count("stations").await;
    let err = app.call("station_save", &bad, Some(&w.chief)).await.app_error();
    assert_eq!(err.field_msg("village"), Some(app::i18n::Msg::ErrRequired));
    assert_eq!(err.field_msg("phone"), Some(app::i18n::Msg::ErrStationPhone));
    assert_eq!(err.field_msg("items"), Some(app::i18n::Msg::ErrStationItems));
    assert_eq!(app.count("stations").await, before, "nothing written");
    // Only the chief manages stations.
    for cookie in [&w.resident, &w.clerk, &helper] {
        assert_eq!(app.call("station_save", &form, Some(cookie)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call("stations_admin", &[], Some(cookie)).await.status, StatusCode::FORBIDDEN);
    }
    // The public page lists what the station does, with a link to book at it.
    let info: StationInfo = app.call("station", &[("id", &created.id.to_string())], None).await.json();
    assert_eq!(info.items.len(), 2);
    assert_eq!(info.bookable.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(), vec![BOOKABLE]);
    let page = app.get(&format!("/stations/{}", created.id), None).await;
    assert!(page.body.contains("南湖路8号") && page.body.contains(&format!("station={}", created.id)), "{}", page.body);

    // A helper moves on record; their old station's residents are no longer theirs.
    let helper_id = current(app, "13700000021").await.id;
    let res = app.call("helper_move", &[("helper", &helper_id.to_string()), ("station", &created.id.to_string())], Some(&w.chief)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let moved = audit_log::Entity::find().filter(audit_log::Column::Action.eq("helper.move")).one(&app.state.db).await.expect("query").expect("on record");
    assert!(moved.detail.contains(&format!("\"to\":{}", created.id)), "{}", moved.detail);
    // Closing the station: off the public list, and its helpers can no longer act.
    let res = app.call("station_close", &[("id", &created.id.to_string()), ("open", "false")], Some(&w.chief)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(app.call("station", &[("id", &created.id.to_string())], None).await.status, StatusCode::NOT_FOUND);
    let list: Vec<StationInfo> = app.call("stations", &[], None).await.json();
    assert!(list.iter().all(|s| s.id != created.id));
    let res = app.call("resident_find", &[("q", "13800138000")], Some(&helper)).await;
    assert_eq!(res.app_error(), AppError::refused(StationReason::NotAtOpenStation), "{}", res.body);
    // History stays: the station row and its audit trail.
    assert!(station::Entity::find_by_id(created.id).one(&app.state.db).await.expect("query").is_some());
}

async fn helpers_act_only_inside_a_valid_authorisation_in_scope(backend: Backend) {
    let w: World = world(backend).await;
    let app = &w.app;
    let home = app.station().await;
    let h1 = app.user_with_role("13700000021", Role::Helper).await;
    let h2 = app.user_with_role("13700000022", Role::Helper).await;
    let far = app.user_with_role("13700000023", Role::Helper).await;
    let far_station = other_station(app, "西岭村便民服务站").await;
    move_to(app, "13700000023", far_station).await;
    let stranger = app.register("13800138001").await;
    let resident = current(app, "13800138000").await.id;

    // Exact match only: a partial number finds nobody and says so.
    let found: Vec<ResidentMatch> = app.call("resident_find", &[("q", "13800138000")], Some(&h1)).await.json();
    assert_eq!(found.len(), 1);
    assert!(found[0].name.ends_with('*') && found[0].has_account, "{found:?}");
    assert!(matches!(app.call("resident_find", &[("q", "1380013")], Some(&h1)).await.app_error(), AppError::Rejected(_)));
    // Without an authorisation nothing can be filed; another station's helper cannot even open the desk.
    assert_eq!(file_for(app, &h1, resident, IN_SCOPE, "k0").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call("resident_desk", &[("id", &resident.to_string())], Some(&far)).await.status, StatusCode::NOT_FOUND);

    // h1 asks; the resident sees the request in 消息 and in 委托记录, and accepts.
    let a1 = request(app, &h1, resident, &[IN_SCOPE, BOOKABLE], false, "app", "a1").await;
    let asked = notification::Entity::find()
        .filter(notification::Column::UserId.eq(resident))
        .order_by_desc(notification::Column::Id)
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("message");
    assert_eq!(asked.title, "帮办委托待确认");
    assert_eq!(file_for(app, &h1, resident, IN_SCOPE, "k1").await.status, StatusCode::NOT_FOUND, "pending is not in force");
    assert_eq!(decide_authorisation(app, &stranger, a1, "accept").await.status, StatusCode::NOT_FOUND, "not theirs to accept");
    assert_eq!(decide_authorisation(app, &w.resident, a1, "accept").await.status, StatusCode::OK);
    let mine: Vec<AuthorisationView> = app.call("my_authorisations", &[], Some(&w.resident)).await.json();
    assert!(mine[0].in_force && mine[0].can_revoke && mine[0].helper.is_some(), "{mine:?}");

    // In scope: the case is the resident's, recorded as assisted, audited on their behalf.
    let n1 = filed(app, &h1, resident, IN_SCOPE, "k2").await;
    let seen = case_of(app, &w.resident, &n1).await;
    assert_eq!(seen.helper.as_deref(), Some("由「东山村便民服务站」帮办员「测试人员」代办"));
    let theirs: MyCases = app.call("my_cases", &[("page", "0")], Some(&w.resident)).await.json();
    assert!(theirs.cases.iter().any(|c| c.number == n1 && c.assisted));
    let logged = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("case.create"))
        .filter(audit_log::Column::EntityId.eq(&n1))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("audited");
    assert_eq!((logged.actor_id, logged.on_behalf_of), (Some(current(app, "13700000021").await.id), Some(resident)));
    uploaded(app, &h1, &n1, 0, "身份证.jpg", &jpeg_with_gps()).await;
    uploaded(app, &h1, &n1, 1, "照片.pdf", PDF).await;
    let file = file_url(&case_of(app, &h1, &n1).await);
    assert_eq!(app.get(&file, Some(&h1)).await.status, StatusCode::OK);
    // Out of scope, a colleague not named, another station: not found, nothing written.
    let cases_before = app.count("cases").await;
    assert_eq!(file_for(app, &h1, resident, OUT_OF_SCOPE, "k3").await.status, StatusCode::NOT_FOUND, "item out of scope");
    assert_eq!(file_for(app, &h2, resident, IN_SCOPE, "k4").await.status, StatusCode::NOT_FOUND, "colleague not named");
    assert_eq!(file_for(app, &far, resident, IN_SCOPE, "k5").await.status, StatusCode::NOT_FOUND, "other station");
    assert_eq!(app.count("cases").await, cases_before);
    for (who, cookie) in [("colleague", &h2), ("other station", &far), ("stranger", &stranger)] {
        assert_eq!(view(app, cookie, &n1).await.status, StatusCode::NOT_FOUND, "{who} reads the case");
        assert_eq!(app.get(&file, Some(cookie)).await.status, StatusCode::NOT_FOUND, "{who} reads the file");
        assert_eq!(upload(app, cookie, &n1, 0, "x.jpg", &jpeg_with_gps()).await.status, StatusCode::NOT_FOUND, "{who} uploads");
        assert_eq!(act(app, cookie, &n1, "submit").await.status, StatusCode::NOT_FOUND, "{who} submits");
    }

    // Bookings: the helper books a station slot for the resident; it is the resident's.
    let res = book_for(app, &h1, resident, home, "b1").await;
    assert_eq!(res.status, StatusCode::OK, "book for: {}", res.body);
    let code: String = res.json();
    let row = booking::Entity::find().filter(booking::Column::Code.eq(&code)).one(&app.state.db).await.expect("query").expect("booked");
    assert_eq!((row.resident_id, row.booked_by), (resident, current(app, "13700000021").await.id));
    let theirs: app::booking::MyBookings = app.call("my_bookings", &[], Some(&w.resident)).await.json();
    assert!(theirs.upcoming.iter().any(|b| b.code == code && b.assisted_by.is_some()));
    assert_eq!(book_for_status(app, &h2, resident, home).await, StatusCode::NOT_FOUND, "colleague books");
    for (who, cookie) in [("colleague", &h2), ("other station", &far), ("stranger", &stranger)] {
        assert_eq!(app.call("booking", &[("code", &code)], Some(cookie)).await.status, StatusCode::NOT_FOUND, "{who} reads the booking");
        assert_eq!(app.call("booking_cancel", &[("code", &code)], Some(cookie)).await.status, StatusCode::NOT_FOUND, "{who} cancels");
    }
    assert_eq!(app.call("booking_cancel", &[("code", &code)], Some(&h1)).await.status, StatusCode::OK, "the named helper cancels");

    // A station-wide authorisation on paper: in force once the photo is stored, then any
    // helper of the station may act, and still no one elsewhere.
    let a2 = request(app, &h1, resident, &[OUT_OF_SCOPE], true, "paper", "a2").await;
    assert_eq!(file_for(app, &h2, resident, OUT_OF_SCOPE, "k6").await.status, StatusCode::NOT_FOUND, "no photo yet");
    let form = app.get(&format!("/station/authorisations/{a2}"), Some(&h1)).await;
    assert!(form.body.contains("帮办代办委托书") && form.body.contains("王秀兰"), "the form carries the resident's details: {}", form.body);
    let res = app.send(multipart_upload(&format!("/station/authorisations/{a2}/paper"), "委托书.jpg", &[0u8; 16], &h1)).await;
    assert!(res.header("location").unwrap_or_default().contains("upload_error"), "not an image: refused");
    let res = app.send(multipart_upload(&format!("/station/authorisations/{a2}/paper"), "委托书.jpg", &jpeg_with_gps(), &h1)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!res.header("location").unwrap_or_default().contains("upload_error"));
    assert_eq!(app.get(&format!("/station/authorisations/{a2}/photo"), Some(&w.resident)).await.status, StatusCode::OK, "the resident sees the paper");
    assert_eq!(app.get(&format!("/station/authorisations/{a2}/photo"), Some(&far)).await.status, StatusCode::NOT_FOUND);
    let n2 = filed(app, &h2, resident, OUT_OF_SCOPE, "k7").await;
    assert_eq!(view(app, &h1, &n2).await.status, StatusCode::OK, "station-wide: a colleague's filing is visible");
    assert_eq!(view(app, &far, &n2).await.status, StatusCode::NOT_FOUND);

    // Completion, paper rating and the hand-offs, inside the authorisation.
    assert_eq!(act(app, &h1, &n1, "submit").await.status, StatusCode::OK);
    assert_eq!(decide(app, &w.clerk, &n1, "accept", "").await.status, StatusCode::OK);
    let staff_view = case_of(app, &w.clerk, &n1).await;
    assert!(staff_view.helper.is_some(), "the clerk sees 代办");
    assert_eq!(decide(app, &w.clerk, &n1, "complete", "已制作完成").await.status, StatusCode::OK);
    let handoff = |cookie: &str, step: &str| {
        let (cookie, step, n1) = (cookie.to_owned(), step.to_owned(), n1.clone());
        async move { app.call(&format!("case_{step}"), &[("number", n1.as_str()), ("day", ""), ("note", "已电话回访，群众满意")], Some(&cookie)).await }
    };
    assert_eq!(handoff(&h2, "deliver").await.status, StatusCode::NOT_FOUND, "colleague outside a1");
    assert!(matches!(handoff(&h1, "follow_up").await.app_error(), AppError::Rejected(_)), "follow-up before signature");
    assert_eq!(handoff(&h1, "deliver").await.status, StatusCode::OK);
    assert_eq!(handoff(&w.resident, "deliver").await.status, StatusCode::NOT_FOUND, "only the station delivers");
    assert_eq!(handoff(&w.resident, "receive").await.status, StatusCode::OK);
    assert_eq!(handoff(&h1, "follow_up").await.status, StatusCode::OK);
    let done = case_of(app, &w.resident, &n1).await;
    let kinds: Vec<&str> = done.timeline.iter().rev().map(|e| e.message.split('：').next().unwrap_or("")).collect();
    for step in ["委托", "代办受理", "送达服务站", "群众签收", "回访"] {
        assert!(kinds.iter().any(|k| k.starts_with(step)), "timeline has {step}: {kinds:?}");
    }
    let res = app.call("rate", &[("kind", "case"), ("key", n1.as_str()), ("level", "5"), ("comment", "老人说很满意"), ("tag_0", "办事效率")], Some(&h2)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "a colleague outside the scope cannot rate");
    let res = app.call("rate", &[("kind", "case"), ("key", n1.as_str()), ("level", "5"), ("comment", "老人说很满意"), ("tag_0", "办事效率")], Some(&h1)).await;
    assert_eq!(res.status, StatusCode::OK, "paper rating: {}", res.body);

    // Revoked: the next request of the helper sees a summary only; nothing can be changed.
    assert_eq!(decide_authorisation(app, &w.resident, a1, "revoke").await.status, StatusCode::OK);
    let summary = case_of(app, &h1, &n1).await;
    assert!(summary.limited && summary.materials.is_empty() && summary.timeline.is_empty() && summary.applicant_name.is_empty());
    assert_eq!(summary.number, n1);
    assert_eq!(app.get(&file, Some(&h1)).await.status, StatusCode::NOT_FOUND, "no materials after revocation");
    assert_eq!(file_for(app, &h1, resident, IN_SCOPE, "k8").await.status, StatusCode::NOT_FOUND);
    let second = app.second_server().await;
    let res = send(&second, server_fn_request("case", &[("number", n1.as_str())], Some(&h1))).await;
    assert!(res.json::<CaseView>().limited, "another app server agrees at once");
    // Expired: the station-wide one ends; its filer keeps a summary, the colleague nothing.
    authorisation::Entity::update_many()
        .col_expr(authorisation::Column::ValidUntil, Expr::value(Utc::now() - Duration::minutes(1)))
        .filter(authorisation::Column::Id.eq(a2))
        .exec(&app.state.db)
        .await
        .expect("expire");
    assert!(case_of(app, &h2, &n2).await.limited, "the filer keeps a summary");
    assert_eq!(view(app, &h1, &n2).await.status, StatusCode::NOT_FOUND, "colleague loses it");
    assert_eq!(file_for(app, &h2, resident, OUT_OF_SCOPE, "k9").await.status, StatusCode::NOT_FOUND);
    // The resident keeps everything.
    assert!(!case_of(app, &w.resident, &n1).await.limited);
}

async fn book_for_status(app: &TestApp, helper: &str, resident: i32, _station: i32) -> StatusCode {
    app.call("booking_options", &[("code", BOOKABLE), ("for_resident", &resident.to_string())], Some(helper)).await.status
}

async fn a_resident_without_an_account_is_registered_helped_and_later_claims_the_records(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let helper = app.user_with_role("13700000021", Role::Helper).await;
    // Bad input: a malformed ID number and a phone that is not one; nothing is written.
    let before = app.count("users").await;
    let err = app
        .call("resident_register", &[("name", "李大爷"), ("id_number", "110105194912310021"), ("phone", "12345"), ("address", "")], Some(&helper))
        .await
        .app_error();
    assert!(err.field_msg("id_number").is_some() && err.field_msg("phone").is_some() && err.field_msg("address").is_some(), "{err:?}");
    assert_eq!(app.count("users").await, before);
    let res = app
        .call("resident_register", &[("name", "李大爷"), ("id_number", "320102196503151231"), ("phone", ""), ("address", "东山村3组12号")], Some(&helper))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let elder: i32 = res.json();
    let again: i32 = app
        .call("resident_register", &[("name", "李大爷"), ("id_number", "320102 196503151231"), ("phone", ""), ("address", "东山村3组12号")], Some(&helper))
        .await
        .json();
    assert_eq!(again, elder, "the same ID number opens the same resident");
    // Sealed ID, no login possible.
    let person = user::Entity::find_by_id(elder).one(&app.state.db).await.expect("query").expect("row");
    assert!(person.password_hash.is_empty() && app::domain::PhoneNumber::parse(&person.phone).is_err());
    let profile = app::ssr::entities::applicant_profile::Entity::find_by_id(elder).one(&app.state.db).await.expect("query").expect("profile");
    assert!(!profile.id_cipher.contains("320102196503151231") && profile.id_masked == "3201**********1231");
    // No account: the app method is refused; a paper authorisation it is.
    let e = elder.to_string();
    let until = until(400);
    let err = app
        .call(
            "authorisation_request",
            &[
                ("resident", e.as_str()),
                ("scope", "items"),
                ("items[0]", IN_SCOPE),
                ("case_number", ""),
                ("until", until.as_str()),
                ("method", "app"),
                ("key", "x"),
            ],
            Some(&helper),
        )
        .await
        .app_error();
    assert_eq!(err.field_msg("method"), Some(app::i18n::Msg::ErrAuthorisationMethod));
    assert_eq!(err.field_msg("until"), Some(app::i18n::Msg::ErrAuthorisationUntil), "at most a year");
    let paper = request(app, &helper, elder, &[IN_SCOPE], false, "paper", "p1").await;
    let res = app.send(multipart_upload(&format!("/station/authorisations/{paper}/paper"), "委托书.jpg", &jpeg_with_gps(), &helper)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let desk: ResidentDesk = app.call("resident_desk", &[("id", e.as_str())], Some(&helper)).await.json();
    assert!(!desk.has_account && desk.allowed.iter().any(|(c, ..)| c == IN_SCOPE));
    // No phone: the helper files with none.
    let res = app
        .call(
            "case_create",
            &[
                ("code", IN_SCOPE),
                ("name", "李大爷"),
                ("phone", ""),
                ("id_number", "320102196503151231"),
                ("notes", ""),
                ("key", "e1"),
                ("for_resident", e.as_str()),
            ],
            Some(&helper),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let number: String = res.json();

    // Later the family signs him up; a claim with the ID number, the same answer either way.
    let family = app.register("13800138077").await;
    assert_eq!(app.call("claim_request", &[("id_number", "320102196503151231")], Some(&family)).await.status, StatusCode::OK);
    assert_eq!(app.call("claim_request", &[("id_number", ID)], Some(&family)).await.status, StatusCode::OK, "no hint for an unknown number");
    assert_eq!(view(app, &family, &number).await.status, StatusCode::NOT_FOUND, "not before staff confirm");
    let other = app.register("13800138078").await;
    assert_eq!(app.call("claim_confirm", &[("resident", e.as_str())], Some(&other)).await.status, StatusCode::FORBIDDEN, "residents cannot confirm");
    let claims: Vec<app::stations::ClaimView> = app.call("claims", &[], Some(&w.clerk)).await.json();
    assert_eq!(claims.len(), 1);
    assert_eq!(app.call("claim_confirm", &[("resident", e.as_str())], Some(&w.clerk)).await.status, StatusCode::OK);
    let theirs: MyCases = app.call("my_cases", &[("page", "0")], Some(&family)).await.json();
    assert!(theirs.cases.iter().any(|c| c.number == number), "the case appears in the new account");
    let mine: Vec<AuthorisationView> = app.call("my_authorisations", &[], Some(&family)).await.json();
    assert_eq!(mine.len(), 1, "and the authorisation");
    assert_eq!(view(app, &helper, &number).await.status, StatusCode::OK, "the helper keeps acting under it");
    assert_eq!(app.call("claim_confirm", &[("resident", e.as_str())], Some(&w.clerk)).await.status, StatusCode::NOT_FOUND, "once only");
}

async fn station_bookings_are_checked_in_at_the_station_and_no_shows_follow_the_station(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let home = app.station().await;
    let helper = app.user_with_role("13700000021", Role::Helper).await;
    let far = app.user_with_role("13700000023", Role::Helper).await;
    let far_station = other_station(app, "西岭村便民服务站").await;
    move_to(app, "13700000023", far_station).await;
    let resident = current(app, "13800138000").await.id;
    let by = helper.as_str();
    let find = |phone: &'static str| async move { app.call("resident_find", &[("q", phone)], Some(by)).await.json::<Vec<ResidentMatch>>() };
    assert_eq!(find("13800138000").await.len(), 1, "the helper finds the resident first");
    let a = request(app, &helper, resident, &[BOOKABLE], false, "app", "s1").await;
    assert_eq!(decide_authorisation(app, &w.resident, a, "accept").await.status, StatusCode::OK);
    let code: String = book_for(app, &helper, resident, home, "sb1").await.json();
    let second: String = {
        let other = app.register("13800138002").await;
        let other_id = current(app, "13800138002").await.id;
        assert_eq!(find("13800138002").await.len(), 1);
        let a = request(app, &helper, other_id, &[BOOKABLE], false, "app", "s2").await;
        assert_eq!(decide_authorisation(app, &other, a, "accept").await.status, StatusCode::OK);
        book_for(app, &helper, other_id, home, "sb2").await.json()
    };
    let third: String = {
        let other = app.register("13800138003").await;
        let other_id = current(app, "13800138003").await.id;
        assert_eq!(find("13800138003").await.len(), 1);
        let a = request(app, &helper, other_id, &[BOOKABLE], false, "app", "s3").await;
        assert_eq!(decide_authorisation(app, &other, a, "accept").await.status, StatusCode::OK);
        book_for(app, &helper, other_id, home, "sb3").await.json()
    };
    // Move the three bookings to today, so the station's list and check-in apply.
    let today = app::time::cst_today(Utc::now());
    booking::Entity::update_many()
        .col_expr(booking::Column::Day, Expr::value(today))
        .filter(booking::Column::Code.is_in([&code, &second, &third]))
        .exec(&app.state.db)
        .await
        .expect("today");
    let day: app::booking::StationDay = app.call("station_day", &[], Some(&helper)).await.json();
    assert_eq!(day.bookings.len(), 3);
    assert!(day.bookings.iter().all(|b| b.resident.contains('*')), "names are masked on the list");
    let mark = |cookie: &str, code: &str, outcome: &str| {
        let (cookie, code, outcome) = (cookie.to_owned(), code.to_owned(), outcome.to_owned());
        async move { app.call(&format!("station_{outcome}"), &[("code", code.as_str())], Some(&cookie)).await }
    };
    assert_eq!(mark(&far, &code, "check_in").await.status, StatusCode::NOT_FOUND, "another station cannot check it in");
    assert_eq!(mark(&helper, &code.to_lowercase(), "check_in").await.status, StatusCode::OK, "typed in lower case");
    assert_eq!(mark(&helper, &code, "check_in").await.status, StatusCode::OK, "twice is harmless");
    assert!(matches!(mark(&helper, &code, "absent").await.app_error(), AppError::Rejected(_)), "checked in cannot be absent");
    assert_eq!(mark(&helper, &code, "served").await.status, StatusCode::OK);
    assert_eq!(mark(&helper, &second, "absent").await.status, StatusCode::OK);
    // The no-show job: after the day ends, the absent one and the one never checked in
    // at an open station are no-shows; the served one is not. A closed station's are spared.
    let fourth: String = {
        let other = app.register("13800138004").await;
        let other_id = current(app, "13800138004").await.id;
        assert_eq!(find("13800138004").await.len(), 1);
        let a = request(app, &helper, other_id, &[BOOKABLE], false, "app", "s4").await;
        assert_eq!(decide_authorisation(app, &other, a, "accept").await.status, StatusCode::OK);
        book_for(app, &helper, other_id, home, "sb4").await.json()
    };
    let closed = other_station(app, "北山村便民服务站").await;
    booking::Entity::update_many()
        .col_expr(booking::Column::Day, Expr::value(today))
        .col_expr(booking::Column::StationId, Expr::value(closed))
        .filter(booking::Column::Code.eq(&fourth))
        .exec(&app.state.db)
        .await
        .expect("closed station booking");
    station::Entity::update_many()
        .col_expr(station::Column::ClosedAt, Expr::value(Utc::now() - Duration::days(1)))
        .filter(station::Column::Id.eq(closed))
        .exec(&app.state.db)
        .await
        .expect("close");
    // Their slots ended: move them into today's past.
    for c in [&code, &second, &third, &fourth] {
        let b = booking::Entity::find().filter(booking::Column::Code.eq(c.as_str())).one(&app.state.db).await.expect("q").expect("b");
        app::ssr::entities::slot::Entity::update_many()
            .col_expr(app::ssr::entities::slot::Column::EndsAt, Expr::value(app::time::cst_midnight(today) + Duration::hours(10)))
            .filter(app::ssr::entities::slot::Column::Id.eq(b.slot_id))
            .exec(&app.state.db)
            .await
            .expect("slot");
    }
    let during_the_day = app::time::cst_midnight(today) + Duration::hours(12);
    let calendar_open = app::calendar::load(&app.state.db).await.expect("calendar").is_working_day(today);
    app::booking::service::mark_no_shows(&app.state.db, during_the_day).await.expect("job");
    let status = |c: String| async move { booking::Entity::find().filter(booking::Column::Code.eq(c)).one(&app.state.db).await.expect("q").expect("b").status };
    if calendar_open {
        assert_eq!(status(second.clone()).await, app::domain::BookingStatus::NoShow, "recorded absent: no-show at once");
        assert_eq!(status(third.clone()).await, app::domain::BookingStatus::Booked, "not before the day ends");
    }
    app::booking::service::mark_no_shows(&app.state.db, app::time::cst_midnight(today + Duration::days(1)) + Duration::hours(1)).await.expect("job");
    assert_eq!(status(code.clone()).await, app::domain::BookingStatus::Served);
    if calendar_open {
        assert_eq!(status(second).await, app::domain::BookingStatus::NoShow);
        assert_eq!(status(third).await, app::domain::BookingStatus::NoShow, "the day ended without a check-in at an open station");
    }
    assert_eq!(status(fourth).await, app::domain::BookingStatus::Booked, "a closed station could not check anyone in");
}

async fn bookings_on_a_day_made_a_holiday_are_notified_and_rebooked_ahead(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let options: BookingOptions = app.call("booking_options", &[("code", BOOKABLE)], Some(&w.resident)).await.json();
    assert!(!options.rebook);
    let normal_last = options.days.last().expect("days").date.clone();
    let day = options.days.iter().find(|d| d.open && d.left > 0).expect("open").date.clone();
    let slots: Vec<SlotOption> = app.call("booking_slots", &[("code", BOOKABLE), ("day", day.as_str())], Some(&w.resident)).await.json();
    let res = app
        .call("book", &[("code", BOOKABLE), ("slot", &slots[0].id.to_string()), ("channel", "center"), ("station", ""), ("key", "h1")], Some(&w.resident))
        .await;
    let code: String = res.json();
    // The chief makes that day a holiday; the booking is never a no-show.
    assert_eq!(app.call("holiday_save", &[("date", day.as_str()), ("kind", "holiday"), ("name", "临时调整")], Some(&w.chief)).await.status, StatusCode::OK);
    let admin: app::booking::ScheduleAdmin = app.call("schedule_admin", &[], Some(&w.chief)).await.json();
    let affected = admin.affected.iter().find(|a| a.code == code).expect("listed");
    assert_eq!(affected.phone, "13800138000");
    assert!(!affected.notified);
    // One action notifies all; only the chief may.
    assert_eq!(app.call("affected_notify", &[], Some(&w.clerk)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call("affected_notify", &[], Some(&w.chief)).await.status, StatusCode::OK);
    assert_eq!(app.call("affected_notify", &[], Some(&w.chief)).await.status, StatusCode::OK, "a second tap sends nothing more");
    let resident = current(app, "13800138000").await.id;
    let told = notification::Entity::find()
        .filter(notification::Column::UserId.eq(resident))
        .filter(notification::Column::Title.eq("预约日调整为节假日"))
        .all(&app.state.db)
        .await
        .expect("q");
    assert_eq!(told.len(), 1);
    // Rebooking ahead of the window: later days open for this resident only.
    let options: BookingOptions = app.call("booking_options", &[("code", BOOKABLE)], Some(&w.resident)).await.json();
    assert!(options.rebook);
    let later = options.days.iter().rev().find(|d| d.open && d.left > 0 && d.date > normal_last).expect("a day beyond the normal window").date.clone();
    let someone = app.register("13800138009").await;
    let theirs: Vec<SlotOption> = app.call("booking_slots", &[("code", BOOKABLE), ("day", later.as_str())], Some(&someone)).await.json();
    assert!(theirs.is_empty(), "not open to everyone yet");
    let slots: Vec<SlotOption> = app.call("booking_slots", &[("code", BOOKABLE), ("day", later.as_str())], Some(&w.resident)).await.json();
    let res = app
        .call("book", &[("code", BOOKABLE), ("slot", &slots[0].id.to_string()), ("channel", "center"), ("station", ""), ("key", "h2")], Some(&w.resident))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let old = booking::Entity::find().filter(booking::Column::Code.eq(&code)).one(&app.state.db).await.expect("q").expect("b");
    assert_eq!(old.status, app::domain::BookingStatus::Cancelled, "the old booking gives way");
    app::booking::service::mark_no_shows(&app.state.db, Utc::now() + Duration::days(30)).await.expect("job");
    assert_ne!(
        booking::Entity::find().filter(booking::Column::Code.eq(&code)).one(&app.state.db).await.expect("q").expect("b").status,
        app::domain::BookingStatus::NoShow
    );
}

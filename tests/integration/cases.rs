//! Cases and materials: the lifecycle and every illegal step, deadlines paused over
//! holidays, AB posts, who may see what, upload checks, ID numbers at rest, the public
//! lookup and the one-time notice rule.

use crate::helpers::*;
use crate::on_both_databases;
use app::cases::service;
use app::cases::{CaseStatus, CaseView, MessageView, PublicStatus};
use app::domain::Role;
use app::error::AppError;
use app::i18n::{CaseReason, Reason};
use app::ssr::entities::{audit_log, case, user};
use axum::http::{StatusCode, header};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use test_support::cases::{ID, ITEM, PDF, act, case_of, create, current, decide, jpeg_with_gps, submitted, upload, uploaded, view, world, world_with};

on_both_databases!(
    a_case_goes_from_draft_to_completed_with_its_timeline,
    illegal_steps_are_refused_and_change_nothing,
    deadlines_pause_for_supplements_across_holidays,
    ab_posts_route_work_to_the_backup_during_leave_and_back,
    others_get_not_found_for_the_case_and_its_files,
    uploads_are_checked_by_content_and_stored_whole,
    id_numbers_are_sealed_and_every_look_is_audited,
    a_notice_beyond_the_first_needs_the_chief,
    the_public_lookup_shows_status_only_and_is_rate_limited,
    fifty_lookups_at_once_get_exactly_ten_answers,
    only_the_chief_manages_ab_posts_and_messages_are_private,
    case_files_live_in_an_s3_bucket_when_configured,
    my_cases_come_in_pages_of_twenty,
);

async fn notice(app: &TestApp, cookie: &str, number: &str, items: &[(u32, &str)]) -> TestResponse {
    let mut form = Vec::new();
    let owned: Vec<(String, String)> = items.iter().flat_map(|(i, r)| [("m".to_owned(), i.to_string()), (format!("reason_{i}"), (*r).to_owned())]).collect();
    for (k, v) in &owned {
        form.push((k.as_str(), v.as_str()));
    }
    let request = axum::http::Request::post(format!("/staff/cases/{number}/supplement"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .body(axum::body::Body::from(form_urlencode(&form)))
        .expect("request");
    app.send(request).await
}

fn status(app_view: &CaseView) -> CaseStatus {
    app_view.status
}

async fn a_case_goes_from_draft_to_completed_with_its_timeline(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    // 智能填表: the form starts from the profile; the next one from the last case.
    let form: app::cases::NewCaseForm = app.call("case_form", &[("code", ITEM)], Some(&w.resident)).await.json();
    assert_eq!((form.phone.as_str(), form.id_number.as_str()), ("13800138000", ""));
    let number = create(app, &w.resident, "first").await;
    assert!(number.starts_with("BM") && number.ends_with("-0001"), "{number}");
    let form: app::cases::NewCaseForm = app.call("case_form", &[("code", ITEM)], Some(&w.resident)).await.json();
    assert_eq!(form.id_number, ID, "remembered for next time");

    uploaded(app, &w.resident, &number, 0, "身份证.jpg", &jpeg_with_gps()).await;
    uploaded(app, &w.resident, &number, 1, "照片.pdf", PDF).await;
    assert_eq!(status(&case_of(app, &w.resident, &number).await), CaseStatus::Draft);
    assert_eq!(act(app, &w.resident, &number, "submit").await.status, StatusCode::OK);

    // The clerk of the routed window sees it, accepts it: the deadline is set.
    let inbox: Vec<app::cases::CaseSummary> = app.call("case_inbox", &[("filter", "all")], Some(&w.clerk)).await.json();
    assert_eq!(inbox.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(), [number.as_str()]);
    assert_eq!(inbox[0].id_masked, "1101**********002X", "lists mask the ID number");
    // The resident gave an email address: changes reach it too.
    user::Entity::update_many()
        .col_expr(user::Column::Email, sea_orm::sea_query::Expr::value("wang@example.com"))
        .filter(user::Column::Phone.eq("13800138000"))
        .exec(&app.state.db)
        .await
        .expect("email");
    assert_eq!(decide(app, &w.clerk, &number, "accept", "").await.status, StatusCode::OK);
    let sent = app.state.mailer.sent();
    let accepted_mail = sent.iter().find(|m| m.to == "wang@example.com").expect("an email to the resident");
    assert!(accepted_mail.email.subject.contains("申请已受理"), "{}", accepted_mail.email.subject);
    assert!(accepted_mail.email.text.contains(&number) && accepted_mail.email.html.contains(&format!("/cases/{number}")));
    let accepted = case_of(app, &w.clerk, &number).await;
    assert_eq!(accepted.status, CaseStatus::Accepted);
    assert!(accepted.deadline.is_some());

    // 一次性告知: the photo is unclear; the resident is told in the message list.
    let res = notice(app, &w.clerk, &number, &[(0, "复印件不清晰，请重新拍摄")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!res.header("location").unwrap_or_default().contains("notice_error"));
    let mine = case_of(app, &w.resident, &number).await;
    assert_eq!(mine.status, CaseStatus::SupplementRequested);
    assert!(mine.paused);
    assert_eq!(mine.notices[0].items[0].reason, "复印件不清晰，请重新拍摄");
    assert!(mine.materials[0].can_upload && !mine.materials[1].can_upload, "only the listed material");
    let messages: Vec<MessageView> = app.call("messages", &[], Some(&w.resident)).await.json();
    assert!(messages.iter().any(|m| m.title.contains("补正") && m.body.contains("复印件不清晰") && m.unread));
    let unread: u64 = app.call("unread", &[], Some(&w.resident)).await.json();
    assert_eq!(unread, 0, "opening the list marks them read");

    // Resubmitting without a new file is refused; with one it goes back to accepted.
    let res = act(app, &w.resident, &number, "resubmit").await;
    assert!(matches!(res.app_error(), AppError::Rejected(r) if r.iter().any(|m| matches!(m, Reason::Case(CaseReason::ReuploadMaterial { .. })))));
    uploaded(app, &w.resident, &number, 0, "身份证-清晰.jpg", &jpeg_with_gps()).await;
    assert_eq!(act(app, &w.resident, &number, "resubmit").await.status, StatusCode::OK);
    let back = case_of(app, &w.resident, &number).await;
    assert_eq!(back.status, CaseStatus::Accepted);
    assert_eq!(back.materials[0].files.len(), 1, "the replaced file no longer counts");

    assert_eq!(decide(app, &w.clerk, &number, "process", "").await.status, StatusCode::OK);
    assert_eq!(decide(app, &w.clerk, &number, "complete", "已制发老年人优待证").await.status, StatusCode::OK);
    let done = case_of(app, &w.resident, &number).await;
    assert_eq!(done.status, CaseStatus::Completed);
    assert_eq!(done.result.as_deref(), Some("已制发老年人优待证"));
    assert_eq!(done.pickup.as_deref(), Some("窗口领取"));
    let steps: Vec<&str> = done.timeline.iter().rev().map(|e| e.message.as_str()).collect();
    for expected in ["创建申请草稿", "上传材料", "提交申请", "受理", "一次性告知", "重新提交", "开始办理", "办结"] {
        assert!(steps.iter().any(|s| s.contains(expected)), "timeline has {expected}: {steps:?}");
    }
    assert!(done.timeline.iter().any(|e| e.actor.starts_with("窗口人员")), "who");
    // Every step is in the audit log.
    let audited = audit_log::Entity::find().filter(audit_log::Column::EntityId.eq(number.clone())).all(&app.state.db).await.expect("audit");
    for action in ["case.create", "case.upload", "case.submit", "case.accept", "case.notice", "case.resubmit", "case.process", "case.complete"] {
        assert!(audited.iter().any(|a| a.action == action), "audit has {action}");
    }
}

async fn illegal_steps_are_refused_and_change_nothing(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    // A malformed ID number: a field message, nothing written.
    let res = app
        .call(
            "case_create",
            &[("code", ITEM), ("name", "王秀兰"), ("phone", "13800138000"), ("id_number", "110105194912310021"), ("notes", ""), ("key", "k")],
            Some(&w.resident),
        )
        .await;
    assert_eq!(res.app_error().field_msg("id_number"), Some(app::i18n::Msg::ErrIdNumberChecksum));
    assert_eq!(app.count("cases").await, 0);
    // A double tap makes one case.
    let number = create(app, &w.resident, "same").await;
    assert_eq!(create(app, &w.resident, "same").await, number);
    assert_eq!(app.count("cases").await, 1);

    let events = app.count("case_events").await;
    // Submitting without every material names what is missing.
    let res = act(app, &w.resident, &number, "submit").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(res.app_error(), AppError::Rejected(r) if r.len() == 2 && matches!(&r[0], Reason::Case(CaseReason::UploadMaterial { .. }))));
    assert_eq!(act(app, &w.resident, &number, "resubmit").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Staff never see drafts.
    assert_eq!(decide(app, &w.clerk, &number, "accept", "").await.app_error(), AppError::NotFound);
    assert_eq!(app.count("case_events").await, events, "nothing recorded");
    assert_eq!(status(&case_of(app, &w.resident, &number).await), CaseStatus::Draft);

    let number = submitted(&w, "second").await;
    for (action, text) in [("process", ""), ("complete", "办好了"), ("reject", "")] {
        let res = decide(app, &w.clerk, &number, action, text).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{action} on a submitted case: {}", res.body);
    }
    assert_eq!(decide(app, &w.clerk, &number, "accept", "").await.status, StatusCode::OK);
    let again = decide(app, &w.clerk, &number, "accept", "").await;
    assert!(matches!(again.app_error(), AppError::Rejected(r) if r[0].zh().contains("已受理")), "accepting twice");
    assert_eq!(act(app, &w.resident, &number, "withdraw").await.status, StatusCode::UNPROCESSABLE_ENTITY, "no withdrawing once accepted");
    let res = notice(app, &w.clerk, &number, &[]).await;
    assert!(res.header("location").unwrap_or_default().contains("notice_error"), "an empty notice is refused");
    let res = notice(app, &w.clerk, &number, &[(1, "")]).await;
    assert!(res.header("location").unwrap_or_default().contains("notice_error"), "a notice without reasons is refused");
    // Residents cannot do staff things, nor upload once it is submitted.
    assert_eq!(decide(app, &w.resident, &number, "complete", "x").await.status, StatusCode::FORBIDDEN);
    let res = upload(app, &w.resident, &number, 0, "再来一张.jpg", &jpeg_with_gps()).await;
    assert!(res.header("location").unwrap_or_default().contains("upload_error"));
    let after = case_of(app, &w.resident, &number).await;
    assert_eq!(after.status, CaseStatus::Accepted);
    assert_eq!(after.materials.iter().map(|m| m.files.len()).sum::<usize>(), 2, "no file added");

    // A withdrawn case stays withdrawn.
    let third = create(app, &w.resident, "third").await;
    assert_eq!(act(app, &w.resident, &third, "withdraw").await.status, StatusCode::OK);
    assert_eq!(act(app, &w.resident, &third, "withdraw").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(act(app, &w.resident, &third, "submit").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

fn cst(day: &str, hour: u32) -> DateTime<Utc> {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day");
    app::time::cst().from_local_datetime(&day.and_hms_opt(hour, 0, 0).expect("time")).single().expect("instant").with_timezone(&Utc)
}

async fn deadlines_pause_for_supplements_across_holidays(backend: Backend) {
    let w = world(backend).await;
    let (state, app) = (&w.app.state, &w.app);
    let resident = current(app, "13800138000").await;
    let clerk = current(app, "13700000011").await;
    let number = submitted(&w, "dates").await;
    // Accepted on Wednesday 23 September 2026: 3 working days, over 中秋 (25–27), due Tuesday 29th.
    service::accept(state, &clerk, &number, cst("2026-09-23", 10)).await.expect("accept");
    let found = case::Entity::find().filter(case::Column::Number.eq(number.clone())).one(&state.db).await.expect("q").expect("case");
    assert_eq!(found.deadline, NaiveDate::from_ymd_opt(2026, 9, 29));
    // Paused on Thursday 24th, resumed on Friday 9 October: 5 working days waited
    // (28, 29, 30 September; 8, 9 October). The deadline moves from 29 September by 5:
    // 30th, 8th, 9th, Saturday 10th (调休 working day), Monday 12th.
    service::request_supplement(state, &clerk, &number, &[(0, "照片不清晰".to_owned())], cst("2026-09-24", 15)).await.expect("notice");
    uploaded(app, &w.resident, &number, 0, "新照片.jpg", &jpeg_with_gps()).await;
    service::resubmit(state, &resident, &number, cst("2026-10-09", 9)).await.expect("resubmit");
    let found = case::Entity::find().filter(case::Column::Number.eq(number.clone())).one(&state.db).await.expect("q").expect("case");
    assert_eq!(found.deadline, NaiveDate::from_ymd_opt(2026, 10, 12));
    assert_eq!(found.status, app::domain::CaseStatus::Accepted);
    let view = case_of(app, &w.resident, &number).await;
    assert!(view.timeline.iter().any(|e| e.message.contains("顺延5个工作日至2026-10-12")), "{:?}", view.timeline);
    // The unit function on its own, too.
    let calendar = app::calendar::Calendar::official();
    let (deadline, waited) = service::resume_deadline(&calendar, NaiveDate::from_ymd_opt(2026, 9, 29), Some(cst("2026-09-24", 15)), cst("2026-10-09", 9));
    assert_eq!((deadline, waited), (NaiveDate::from_ymd_opt(2026, 10, 12), 5));
}

async fn ab_posts_route_work_to_the_backup_during_leave_and_back(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let backup = app.user_with_role("13700000012", Role::Clerk).await;
    let (a, b) = (current(app, "13700000011").await, current(app, "13700000012").await);
    let chief = current(app, "13700000015").await;
    let today = app::booking::service::cst_today(Utc::now()).to_string();
    service::set_backup(&app.state.db, &chief, a.id, Some(b.id)).await.expect("pair");
    service::add_leave(&app.state.db, &chief, a.id, &today, &today, Utc::now()).await.expect("leave");

    let number = submitted(&w, "ab").await;
    let inbox = |cookie: String| async move { app.call("case_inbox", &[("filter", "all")], Some(&cookie)).await.json::<Vec<app::cases::CaseSummary>>() };
    let b_inbox = inbox(backup.clone()).await;
    assert_eq!(b_inbox.len(), 1, "A's new case is in B's inbox");
    assert_eq!(b_inbox[0].backup_for.as_deref(), Some("测试人员"));
    // A (on leave) may look but not act; B acts, and A stays the owner on record.
    assert_eq!(decide(app, &w.clerk, &number, "accept", "").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(decide(app, &backup, &number, "accept", "").await.status, StatusCode::OK);
    let found = case::Entity::find().filter(case::Column::Number.eq(number.clone())).one(&app.state.db).await.expect("q").expect("case");
    assert_eq!(found.owner_id, Some(a.id));
    let timeline = case_of(app, &w.resident, &number).await.timeline;
    assert!(timeline.iter().any(|e| e.message.contains("AB岗")), "routing recorded");
    assert!(timeline.iter().any(|e| e.message.contains("B岗代A岗")), "B's act recorded as backup");

    // A comes back: the case routes back to A, out of B's inbox.
    let admin = service::ab_admin(&app.state.db, Utc::now()).await.expect("admin");
    service::remove_leave(&app.state.db, &chief, admin.leave[0].0).await.expect("back");
    assert!(inbox(backup.clone()).await.is_empty());
    assert_eq!(inbox(w.clerk.clone()).await.len(), 1);
    assert_eq!(decide(app, &backup, &number, "process", "").await.app_error(), AppError::NotFound);
    assert_eq!(decide(app, &w.clerk, &number, "process", "").await.status, StatusCode::OK);
    // Leave needs a backup first; the pair cannot be oneself.
    assert!(service::set_backup(&app.state.db, &chief, a.id, Some(a.id)).await.is_err());
    service::set_backup(&app.state.db, &chief, b.id, None).await.expect("clear");
    assert!(matches!(service::add_leave(&app.state.db, &chief, b.id, &today, &today, Utc::now()).await, Err(AppError::Rejected(_))));
}

async fn others_get_not_found_for_the_case_and_its_files(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let number = submitted(&w, "mine").await;
    let file_id = case_of(app, &w.resident, &number).await.materials[0].files[0].id;
    let file_url = format!("/cases/{number}/files/{file_id}");
    assert_eq!(app.get(&file_url, Some(&w.resident)).await.status, StatusCode::OK);
    assert_eq!(app.get(&file_url, Some(&w.clerk)).await.status, StatusCode::OK);

    // Another resident, a helper of a station, a clerk of another window, a handler.
    let other = app.register("13800138001").await;
    let helper = app.user_with_role("13700000021", Role::Helper).await;
    let other_clerk = app.user_with_role("13700000013", Role::Clerk).await;
    let handler = app.user_with_role("13700000014", Role::Handler).await;
    use app::ssr::entities::window;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let other_id = current(app, "13700000013").await.id;
    window::ActiveModel { name: Set("9号窗口".into()), clerk_id: Set(Some(other_id)), active: Set(true), ..Default::default() }
        .insert(&app.state.db)
        .await
        .expect("window");
    for (who, cookie) in [("resident", &other), ("helper", &helper), ("clerk of another window", &other_clerk), ("handler", &handler)] {
        let res = view(app, cookie, &number).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{who} reads the case");
        assert!(!res.body.contains("王秀兰"));
        assert_eq!(app.get(&file_url, Some(cookie)).await.status, StatusCode::NOT_FOUND, "{who} reads the file");
        assert_eq!(app.get(&format!("/cases/{number}"), Some(cookie)).await.status, StatusCode::NOT_FOUND, "{who} opens the page");
    }
    assert_eq!(app.get(&file_url, None).await.status, StatusCode::UNAUTHORIZED, "visitors");
    // Nor may they change it.
    assert_eq!(act(app, &other, &number, "withdraw").await.status, StatusCode::NOT_FOUND);
    assert_eq!(decide(app, &other_clerk, &number, "accept", "").await.status, StatusCode::NOT_FOUND);
    let res = upload(app, &other, &number, 0, "x.jpg", &jpeg_with_gps()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // A helper files only for a resident who authorised them (see stations.rs).
    let res = app
        .call("case_create", &[("code", ITEM), ("name", "张大爷"), ("phone", "13900000001"), ("id_number", ID), ("notes", ""), ("key", "h1")], Some(&helper))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "no resident, no authorisation: {}", res.body);
    // Items a helper may not file are refused in words.
    let res = app
        .call(
            "case_create",
            &[("code", "SB-003"), ("name", "张大爷"), ("phone", "13900000001"), ("id_number", ID), ("notes", ""), ("key", "h2")],
            Some(&helper),
        )
        .await;
    assert!(matches!(res.app_error(), AppError::Rejected(r) if r == [Reason::from(CaseReason::NotForHelpers)]));
}

pub fn stored_objects(app: &TestApp) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map(|entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()).unwrap_or(0)
    }
    walk(&app.state.config.upload_dir.join("case"))
}

async fn uploads_are_checked_by_content_and_stored_whole(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let number = create(app, &w.resident, "files").await;
    let refused = |res: TestResponse| {
        let location = res.header("location").unwrap_or_default().to_owned();
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(location.contains("upload_error"), "refused: {location}");
        location
    };
    // A program renamed to .jpg; a file over the limit; a JPEG cut off before its end.
    let exe = [b"MZ\x90\x00\x03\x00\x00\x00".as_slice(), &[0u8; 512]].concat();
    refused(upload(app, &w.resident, &number, 0, "photo.jpg", &exe).await);
    let mut big = jpeg_with_gps();
    big.splice(2..2, std::iter::repeat_n(0u8, service::FILE_LIMIT_BYTES));
    let location = refused(upload(app, &w.resident, &number, 0, "big.jpg", &big).await);
    assert!(refusal_in(&location, "upload_error").contains("超过10MB"), "{location}");
    let whole = jpeg_with_gps();
    refused(upload(app, &w.resident, &number, 0, "cut.jpg", &whole[..whole.len() - 6]).await);
    // An upload whose body breaks off (no closing boundary).
    let boundary = "----bianmin-test-boundary";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes();
    body.extend_from_slice(&whole[..10]);
    let broken = axum::http::Request::post(format!("/cases/{number}/materials/0"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, &w.resident)
        .body(axum::body::Body::from(body))
        .expect("request");
    refused(app.send(broken).await);
    assert_eq!(app.count("case_files").await, 0);
    assert_eq!(app.count("stored_files").await, 0);
    assert_eq!(stored_objects(app), 0, "nothing kept in the store");
    let temp = app::ssr::files::temp_dir(&app.state.config.data_dir);
    assert_eq!(std::fs::read_dir(&temp).map(|d| d.count()).unwrap_or(0), 0, "no temporary files left");

    // A photo with a GPS position is kept without it; JSON for the page's script.
    let mut request = multipart_upload(&format!("/cases/{number}/materials/0"), "gps.jpg", &jpeg_with_gps(), &w.resident);
    request.headers_mut().insert(header::ACCEPT, "application/json".parse().expect("header"));
    let res = app.send(request).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let file_id = case_of(app, &w.resident, &number).await.materials[0].files[0].id;
    let file = app.get(&format!("/cases/{number}/files/{file_id}"), Some(&w.resident)).await;
    assert_eq!(file.header("content-type"), Some("image/jpeg"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));
    assert!(file.header("content-disposition").unwrap_or_default().starts_with("inline"));
    assert!(!file.raw.windows(4).any(|w| w == b"Exif") && !file.raw.windows(3).any(|w| w == b"GPS"), "location removed");
    assert!(file.raw.ends_with(&[0x55, 0x66, 0x77, 0xFF, 0xD9]), "picture kept");
    assert_eq!(stored_objects(app), 1);
    // A JSON caller gets the refusal as JSON with the reason.
    let mut request = multipart_upload(&format!("/cases/{number}/materials/0"), "x.jpg", &exe, &w.resident);
    request.headers_mut().insert(header::ACCEPT, "application/json".parse().expect("header"));
    let res = app.send(request).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("不支持这种文件"));
    // A straggler (stored, never recorded) is removed by the startup cleanup.
    let straggler = app::ssr::files::TempFile { path: temp.join("s.part"), size: 3, sha256: String::new() };
    std::fs::create_dir_all(&temp).expect("dir");
    std::fs::write(&straggler.path, b"abc").expect("write");
    app::ssr::files::put_temp(&app.state.files, "case", &straggler).await.expect("put");
    assert_eq!(stored_objects(app), 2);
    let removed = app::ssr::files::cleanup_stragglers(&app.state.db, &app.state.files, &temp, &app.state.config.upload_dir).await.expect("cleanup");
    assert_eq!(removed, 0, "young objects may be another server's upload in flight");
    assert!(!temp.exists(), "the temporary folder is emptied");
}

async fn id_numbers_are_sealed_and_every_look_is_audited(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let number = submitted(&w, "id").await;
    let row = case::Entity::find().filter(case::Column::Number.eq(number.clone())).one(&app.state.db).await.expect("q").expect("case");
    assert!(!row.id_cipher.contains("19491231") && !row.id_lookup.contains(ID));
    assert_eq!(row.id_masked, "1101**********002X");
    let resident_view = case_of(app, &w.resident, &number).await;
    assert_eq!(resident_view.id_masked, "1101**********002X");
    let before = audit_log::Entity::find().filter(audit_log::Column::Action.eq("case.id.view")).all(&app.state.db).await.expect("q").len();
    let res = app.call("case_reveal_id", &[("number", &number)], Some(&w.clerk)).await;
    assert_eq!(res.json::<String>(), ID);
    let after = audit_log::Entity::find().filter(audit_log::Column::Action.eq("case.id.view")).all(&app.state.db).await.expect("q");
    assert_eq!(after.len(), before + 1);
    assert_eq!(after.last().and_then(|a| a.entity_id.clone()), Some(number.clone()));
    // Residents may not call it; the audit log keeps no way to change it.
    assert_eq!(app.call("case_reveal_id", &[("number", &number)], Some(&w.resident)).await.status, StatusCode::FORBIDDEN);
    let backend_name = app.state.db.get_database_backend();
    use sea_orm::ConnectionTrait;
    let tampered = app.state.db.execute_unprepared("UPDATE audit_log SET action = 'x' WHERE action = 'case.id.view'").await;
    assert!(tampered.is_err(), "{backend_name:?}: the audit log refuses updates");
}

async fn a_notice_beyond_the_first_needs_the_chief(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let number = submitted(&w, "extra").await;
    assert_eq!(decide(app, &w.clerk, &number, "accept", "").await.status, StatusCode::OK);
    notice(app, &w.clerk, &number, &[(0, "照片不清晰")]).await;
    uploaded(app, &w.resident, &number, 0, "新.jpg", &jpeg_with_gps()).await;
    assert_eq!(act(app, &w.resident, &number, "resubmit").await.status, StatusCode::OK);
    // Asking again for the same material is allowed; asking for another needs the chief.
    let res = notice(app, &w.clerk, &number, &[(1, "照片背景不是白色")]).await;
    assert!(!res.header("location").unwrap_or_default().contains("notice_error"));
    let pending = case_of(app, &w.clerk, &number).await;
    assert_eq!(pending.status, CaseStatus::Accepted, "unchanged until approved");
    assert!(pending.notices.iter().any(|n| n.status == "pending" && n.extra));
    assert!(case_of(app, &w.resident, &number).await.notices.iter().all(|n| n.status != "pending"), "the resident is not told yet");
    let audited = audit_log::Entity::find().filter(audit_log::Column::Action.eq("case.notice.extra")).all(&app.state.db).await.expect("q");
    assert_eq!(audited.len(), 1, "counted against the clerk");
    assert_eq!(decide(app, &w.clerk, &number, "approve", "").await.status, StatusCode::FORBIDDEN, "clerks cannot approve");
    let inbox: Vec<app::cases::CaseSummary> = app.call("case_inbox", &[("filter", "approval")], Some(&w.chief)).await.json();
    assert_eq!(inbox.len(), 1);
    assert_eq!(decide(app, &w.chief, &number, "approve", "").await.status, StatusCode::OK);
    let now = case_of(app, &w.resident, &number).await;
    assert_eq!(now.status, CaseStatus::SupplementRequested);
    assert!(now.materials[1].requested.is_some());
}

async fn the_public_lookup_shows_status_only_and_is_rate_limited(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let number = submitted(&w, "public").await;
    decide(app, &w.clerk, &number, "accept", "").await;
    let res = app.call("case_lookup", &[("number", &number), ("phone_last4", "8000")], None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let found: PublicStatus = res.json();
    assert_eq!(found.status, CaseStatus::Accepted);
    assert!(found.timeline.iter().any(|e| e.message == "受理" && e.actor == "窗口人员"));
    for secret in ["王秀兰", "测试人员", "002X", "13800138000", "身份证"] {
        assert!(!res.body.contains(secret), "no personal data: {secret}");
    }
    let wrong = app.call("case_lookup", &[("number", &number), ("phone_last4", "1234")], None).await;
    assert!(matches!(wrong.app_error(), AppError::Rejected(r) if r == [Reason::from(CaseReason::LookupNotFound)]));
    let page = app.get(&format!("/track?number={number}&last4=8000"), None).await;
    assert!(page.body.contains("已受理"), "works as a plain GET page");
    // Ten tries per address in ten minutes (two above, one page, seven more), then a clear refusal.
    for _ in 0..7 {
        app.call("case_lookup", &[("number", &number), ("phone_last4", "0000")], None).await;
    }
    let limited = app.call("case_lookup", &[("number", &number), ("phone_last4", "8000")], None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.app_error(), AppError::TooManyRequests(app::i18n::Msg::ErrLookupLimited));
}

async fn only_the_chief_manages_ab_posts_and_messages_are_private(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let helper = app.user_with_role("13700000021", Role::Helper).await;
    let handler = app.user_with_role("13700000014", Role::Handler).await;
    let backup = current(app, "13700000015").await; // any other user id will do: the call must be refused first
    let clerk_id = current(app, "13700000011").await.id.to_string();
    let backup_id = backup.id.to_string();
    for (who, cookie, status) in [
        ("visitor", None, StatusCode::UNAUTHORIZED),
        ("resident", Some(&w.resident), StatusCode::FORBIDDEN),
        ("helper", Some(&helper), StatusCode::FORBIDDEN),
        ("clerk", Some(&w.clerk), StatusCode::FORBIDDEN),
        ("handler", Some(&handler), StatusCode::FORBIDDEN),
    ] {
        let cookie = cookie.map(String::as_str);
        assert_eq!(app.call("ab_admin", &[], cookie).await.status, status, "{who} ab_admin");
        assert_eq!(app.call("ab_pair", &[("clerk", &clerk_id), ("backup", &backup_id)], cookie).await.status, status, "{who} ab_pair");
        assert_eq!(app.call("ab_leave", &[("clerk", &clerk_id), ("from", "2026-12-01"), ("to", "2026-12-02")], cookie).await.status, status, "{who} ab_leave");
        assert_eq!(app.call("ab_leave_remove", &[("id", "1")], cookie).await.status, status, "{who} ab_leave_remove");
        assert_eq!(app.call("case_inbox", &[("filter", "all")], cookie).await.status == StatusCode::OK, who == "clerk", "{who} case_inbox");
    }
    assert_eq!(app.count("clerk_backups").await, 0);
    assert_eq!(app.count("staff_leave").await, 0);
    assert_eq!(app.call("ab_admin", &[], Some(&w.chief)).await.status, StatusCode::OK);
    // Messages are the caller's own.
    submitted(&w, "msg").await;
    let other = app.register("13800138009").await;
    let theirs: Vec<MessageView> = app.call("messages", &[], Some(&other)).await.json();
    assert!(theirs.is_empty());
    let mine: Vec<MessageView> = app.call("messages", &[], Some(&w.resident)).await.json();
    assert_eq!(mine.len(), 1);
    assert_eq!(app.call("messages", &[], None).await.status, StatusCode::UNAUTHORIZED);
}

/// With `BIANMIN_STORAGE_URL=s3://…` the same uploads go to an S3-compatible bucket (a
/// real one: `.ci/test` starts moto's server and names it in BIANMIN_TEST_S3_ENDPOINT),
/// in parts when large, under the configured prefix, and come back byte for byte.
async fn case_files_live_in_an_s3_bucket_when_configured(backend: Backend) {
    use futures::StreamExt;
    let endpoint = std::env::var("BIANMIN_TEST_S3_ENDPOINT").expect(
        "BIANMIN_TEST_S3_ENDPOINT is not set: run the tests through .ci/test, or `source .ci/lib.sh && start_s3` first. \
         Tests never skip the S3 store.",
    );
    let prefix = format!("it-{}-{backend:?}-{}", std::process::id(), Utc::now().timestamp_micros());
    let url = format!("s3://bianmin-test/{prefix}");
    let s3 = [("BIANMIN_S3_ENDPOINT", endpoint.as_str()), ("BIANMIN_S3_ACCESS_KEY_ID", "test"), ("BIANMIN_S3_SECRET_ACCESS_KEY", "test")];
    let mut vars = vec![("BIANMIN_STORAGE_URL", url.as_str())];
    vars.extend(s3);
    let w = world_with(backend, &vars).await;
    let app = &w.app;
    assert!(matches!(app.state.config.storage, app::ssr::config::Storage::S3(_)));
    let number = create(app, &w.resident, "s3").await;
    uploaded(app, &w.resident, &number, 0, "身份证.jpg", &jpeg_with_gps()).await;
    // Over 5 MiB: sent as a multipart upload of two parts.
    let big_pdf = [b"%PDF-1.4\n%".as_slice(), &vec![b'x'; 6 * 1024 * 1024], b"\n%%EOF\n"].concat();
    uploaded(app, &w.resident, &number, 1, "照片.pdf", &big_pdf).await;

    let view = case_of(app, &w.resident, &number).await;
    let (jpeg_id, pdf_id) = (view.materials[0].files[0].id, view.materials[1].files[0].id);
    let jpeg = app.get(&format!("/cases/{number}/files/{jpeg_id}"), Some(&w.resident)).await;
    assert_eq!(jpeg.status, StatusCode::OK);
    assert!(!jpeg.raw.windows(3).any(|w| w == b"GPS") && jpeg.raw.ends_with(&[0xFF, 0xD9]));
    let pdf = app.get(&format!("/cases/{number}/files/{pdf_id}"), Some(&w.resident)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.raw == big_pdf, "the large file comes back whole ({} of {} bytes)", pdf.raw.len(), big_pdf.len());
    // Nobody else gets them.
    let other = app.register("13800138999").await;
    assert_eq!(app.get(&format!("/cases/{number}/files/{pdf_id}"), Some(&other)).await.status, StatusCode::NOT_FOUND);

    // The objects are in the bucket under the prefix, and nowhere on local disk.
    let mut bare = app.state.config.as_ref().clone();
    bare.storage = match bare.storage {
        app::ssr::config::Storage::S3(mut c) => {
            c.prefix = String::new();
            app::ssr::config::Storage::S3(c)
        }
        other => other,
    };
    let bucket = app::ssr::files::open_store(&bare).expect("bucket");
    let keys: Vec<String> =
        bucket.list(Some(&object_store::path::Path::from(prefix.as_str()))).map(|m| m.expect("listing").location.to_string()).collect().await;
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.iter().all(|k| k.starts_with(&format!("{prefix}/case/"))), "{keys:?}");
    assert_eq!(stored_objects(app), 0, "nothing on local disk");
}

async fn my_cases_come_in_pages_of_twenty(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let mut numbers = Vec::new();
    for i in 0..21 {
        numbers.push(create(app, &w.resident, &format!("page-{i}")).await);
    }
    let page = |n: &'static str, cookie: String| async move { app.call("my_cases", &[("page", n)], Some(&cookie)).await.json::<app::cases::MyCases>() };
    let first = page("0", w.resident.clone()).await;
    assert_eq!((first.cases.len(), first.more), (20, true));
    assert_eq!(first.cases[0].number, numbers[20], "newest first");
    let second = page("1", w.resident.clone()).await;
    assert_eq!((second.cases.len(), second.more), (1, false));
    assert_eq!(second.cases[0].number, numbers[0]);
    let other = app.register("13800138444").await;
    assert!(page("0", other).await.cases.is_empty(), "nobody else's");
    let html = app.get("/cases?page=1", Some(&w.resident)).await;
    assert!(html.body.contains(&numbers[0]) && !html.body.contains(&numbers[20]) && html.body.contains("上一页"));
}

/// The lookup limit is counted before the search, in one atomic statement: of 50 tries
/// at once from one address, ten are answered and forty refused.
async fn fifty_lookups_at_once_get_exactly_ten_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    let tries = (0..50).map(|i| {
        let router = app.router.clone();
        async move { send(&router, server_fn_request("case_lookup", &[("number", &format!("BM20261202-{i:04}")), ("phone_last4", "0000")], None)).await }
    });
    let answers = futures::future::join_all(tries).await;
    let answered = answers.iter().filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY).count();
    let limited = answers.iter().filter(|r| r.app_error() == AppError::TooManyRequests(app::i18n::Msg::ErrLookupLimited)).count();
    assert_eq!((answered, limited), (10, 40), "{:?}", answers.iter().map(|r| r.status).collect::<Vec<_>>());
}

//! Feedback: the complaint loop with reopen, deadlines over holidays, who may see
//! what, anonymity and its rate limit, photos checked like materials, and free text
//! rendered escaped on every page that shows it back.

use crate::helpers::*;
use crate::on_both_databases;
use crate::ratings::{completed, refused};
use app::domain::Role;
use app::error::AppError;
use app::feedback::service;
use app::feedback::{FeedbackStatus, FeedbackSummary, FeedbackView, HandlerInbox};
use app::ssr::entities::{audit_log, feedback, rectification};
use axum::http::{StatusCode, header};
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use test_support::cases::{current, jpeg_with_gps, world};

on_both_databases!(
    a_complaint_with_a_photo_is_replied_reopened_once_and_confirmed,
    feedback_deadlines_count_working_days_over_holidays,
    residents_see_only_their_own_and_clerks_only_when_allowed,
    anonymous_suggestions_hide_the_author_and_are_rate_limited,
    staff_enter_paper_and_phone_feedback_and_bad_input_changes_nothing,
    free_text_is_shown_escaped_everywhere,
    handlers_hand_over_link_use_templates_and_close_on_record,
    fifty_submissions_at_once_file_exactly_the_hourly_limit,
);

pub(crate) const HANDLER: &str = "13700000021";

/// A browser's multipart post of the feedback form: text fields, then photos.
fn feedback_post(path: &str, fields: &[(&str, &str)], photos: &[(&str, &[u8])], cookie: Option<&str>) -> axum::http::Request<axum::body::Body> {
    let boundary = "----bianmin-feedback-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    for (file, bytes) in photos {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{file}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut request =
        axum::http::Request::post(path).header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}")).header(header::ORIGIN, ORIGIN);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(axum::body::Body::from(body)).expect("request")
}

/// Posts the form and returns the new number (or panics with the refusal).
async fn file_feedback(app: &TestApp, cookie: &str, fields: &[(&str, &str)], photos: &[(&str, &[u8])]) -> String {
    let res = app.send(feedback_post("/feedback/submit", fields, photos, Some(cookie))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.header("location").unwrap_or_default().to_owned();
    location.strip_prefix("/feedback/").filter(|n| n.starts_with("YJ")).unwrap_or_else(|| panic!("refused: {location}")).to_owned()
}

/// A handler's step (`feedback_{action}`, each its own server function); `text` goes
/// to the steps that take words and is ignored by the others.
async fn handler_act(app: &TestApp, cookie: &str, number: &str, action: &str, text: &str) -> TestResponse {
    let field = if action == "link_case" { "case" } else { "text" };
    app.call(&format!("feedback_{action}"), &[("number", number), (field, text)], Some(cookie)).await
}

async fn view(app: &TestApp, cookie: &str, number: &str) -> FeedbackView {
    let res = app.call("feedback", &[("number", number)], Some(cookie)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

async fn a_complaint_with_a_photo_is_replied_reopened_once_and_confirmed(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let handler = app.user_with_role(HANDLER, Role::Handler).await;
    let case_number = completed(&w, "c1").await;
    let fields = [
        ("key", "k1"),
        ("kind", "complaint"),
        ("body", "窗口工作人员态度生硬，让我来回跑了三趟。"),
        ("about_case", case_number.as_str()),
        ("about_station", ""),
    ];
    let number = file_feedback(app, &w.resident, &fields, &[("现场.jpg", &jpeg_with_gps())]).await;
    // A double tap (same form key) files nothing new.
    assert_eq!(file_feedback(app, &w.resident, &fields, &[("现场.jpg", &jpeg_with_gps())]).await, number);
    assert_eq!(app.count("feedback").await, 1);
    assert_eq!(app.count("feedback_files").await, 1);

    let mine: Vec<FeedbackSummary> = app.call("my_feedback", &[], Some(&w.resident)).await.json();
    assert_eq!(mine.len(), 1);
    let seen = view(app, &handler, &number).await;
    assert_eq!(seen.status, FeedbackStatus::Submitted);
    assert!(seen.about[0].contains(&case_number));
    assert!(seen.author.is_some(), "the author is named to handlers");
    assert!(seen.contact.as_deref().is_some_and(|c| c.contains("13800138000")));
    // The photo: metadata gone, private.
    let photo = app.get(&format!("/feedback/{number}/photos/{}", seen.files[0]), Some(&handler)).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert!(!photo.raw.windows(3).any(|w| w == b"GPS"));
    let stranger = app.register("13800138222").await;
    assert_eq!(app.get(&format!("/feedback/{number}/photos/{}", seen.files[0]), Some(&stranger)).await.status, StatusCode::NOT_FOUND);

    // The resident cannot confirm before a reply.
    let confirm = |level: &'static str| {
        let (number, resident) = (number.clone(), w.resident.clone());
        async move { app.call("feedback_confirm", &[("number", number.as_str()), ("level", level)], Some(&resident)).await }
    };
    refused(&confirm("5").await, "不能进行此操作");
    assert_eq!(handler_act(app, &handler, &number, "take", "").await.status, StatusCode::OK);
    assert_eq!(handler_act(app, &handler, &number, "contact", "已电话联系群众，了解情况").await.status, StatusCode::OK);
    assert_eq!(handler_act(app, &handler, &number, "note", "内部：已约谈窗口负责人").await.status, StatusCode::OK);
    assert_eq!(handler_act(app, &handler, &number, "reply", "经核实，已对相关人员批评教育。").await.status, StatusCode::OK);
    let messages: Vec<app::cases::MessageView> = app.call("messages", &[], Some(&w.resident)).await.json();
    assert!(messages.iter().any(|m| m.title == "意见已答复"));

    // The resident's view hides internal notes; they reopen once with a reason.
    let theirs = view(app, &w.resident, &number).await;
    assert!(theirs.timeline.iter().all(|e| !e.message.contains("内部")), "{:?}", theirs.timeline);
    assert!(theirs.author.is_none() && theirs.staff.is_none());
    refused(&app.call("feedback_reopen", &[("number", number.as_str()), ("text", "")], Some(&w.resident)).await, "理由");
    let reopen = app.call("feedback_reopen", &[("number", number.as_str()), ("text", "没有解决我的问题")], Some(&w.resident)).await;
    assert_eq!(reopen.status, StatusCode::OK, "{}", reopen.body);
    assert_eq!(view(app, &handler, &number).await.status, FeedbackStatus::Reopened);
    assert_eq!(handler_act(app, &handler, &number, "reply", "已为您加急补办，请到3号窗口领取。").await.status, StatusCode::OK);
    refused(&app.call("feedback_reopen", &[("number", number.as_str()), ("text", "还是不行")], Some(&w.resident)).await, "只能重新办理一次");
    assert_eq!(confirm("4").await.status, StatusCode::OK);
    let done = view(app, &w.resident, &number).await;
    assert_eq!((done.status, done.outcome), (FeedbackStatus::Closed, Some(app::ratings::Level::Satisfied)));
    refused(&confirm("5").await, "不能进行此操作");
    refused(&handler_act(app, &handler, &number, "reply", "再答复").await, "不能进行此操作");
}

async fn feedback_deadlines_count_working_days_over_holidays(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let resident = current(app, "13800138000").await;
    // Filed on Wednesday 30 September 2026: National Day runs 1–7 October, Saturday 10
    // October is a working day (调休).
    let filed = app::time::cst().with_ymd_and_hms(2026, 9, 30, 15, 0, 0).single().expect("time").with_timezone(&Utc);
    let input =
        service::NewFeedback { kind: "suggestion".into(), body: "建议国庆假期安排值班窗口。".into(), key: "d1".into(), ..Default::default() };
    let number = service::submit(&app.state, &resident, &input, vec![], filed).await.expect("filed");
    let row = feedback::Entity::find().filter(feedback::Column::Number.eq(&number)).one(&app.state.db).await.expect("q").expect("row");
    assert!(number.starts_with("YJ20260930-"));
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    // 1 working day: Thursday 8 October. 5 working days: 8, 9, 10 (Sat, worked), 12, 13.
    assert_eq!(row.contact_due, day("2026-10-08"));
    assert_eq!(row.reply_due, day("2026-10-13"));
    // Marked complex: 15 working days from filing.
    let handler_cookie = app.user_with_role(HANDLER, Role::Handler).await;
    assert_eq!(handler_act(app, &handler_cookie, &number, "complex", "").await.status, StatusCode::OK);
    let row = feedback::Entity::find().filter(feedback::Column::Number.eq(&number)).one(&app.state.db).await.expect("q").expect("row");
    assert_eq!(row.reply_due, day("2026-10-27"));
    refused(&handler_act(app, &handler_cookie, &number, "complex", "").await, "已是复杂件");
    // Nobody called by Friday 9 October: overdue for first contact; after a call, not.
    let desk = current(app, HANDLER).await;
    let on = |d: u32| app::time::cst().with_ymd_and_hms(2026, 10, d, 10, 0, 0).single().expect("time").with_timezone(&Utc);
    let flags = |inbox: app::feedback::HandlerInbox| (inbox.feedback[0].overdue, inbox.feedback[0].due_soon);
    let all = service::InboxFilter::default();
    assert_eq!(flags(service::inbox(&app.state, &desk, &all, on(2)).await.expect("inbox")), (false, true), "contact due on the next working day");
    assert_eq!(flags(service::inbox(&app.state, &desk, &all, on(8)).await.expect("inbox")), (false, true), "contact due today");
    assert_eq!(flags(service::inbox(&app.state, &desk, &all, on(9)).await.expect("inbox")), (true, false), "no contact by the 8th");
    let act = service::HandlerAct::Contact { text: "已电话联系".into() };
    service::act(&app.state, &desk, &number, &act, on(9)).await.expect("contact");
    assert_eq!(flags(service::inbox(&app.state, &desk, &all, on(9)).await.expect("inbox")), (false, false), "reply due on the 27th");
}

async fn residents_see_only_their_own_and_clerks_only_when_allowed(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let handler = app.user_with_role(HANDLER, Role::Handler).await;
    let case_number = completed(&w, "a1").await; // owned by the world's clerk
    let about_case = [("key", "a"), ("kind", "complaint"), ("body", "办件拖延，请核查原因。"), ("about_case", case_number.as_str())];
    let mine = file_feedback(app, &w.resident, &about_case, &[]).await;
    let other = app.register("13800138333").await;
    let theirs = file_feedback(app, &other, &[("key", "b"), ("kind", "suggestion"), ("body", "建议增加自助打印机。")], &[]).await;

    // Residents: their own only; others' are "not found", and acting is refused.
    assert_eq!(app.call("feedback", &[("number", theirs.as_str())], Some(&w.resident)).await.app_error(), AppError::NotFound);
    let mine_list: Vec<FeedbackSummary> = app.call("my_feedback", &[], Some(&w.resident)).await.json();
    assert_eq!(mine_list.iter().map(|f| f.number.clone()).collect::<Vec<_>>(), vec![mine.clone()]);
    assert_eq!(app.call("feedback_reopen", &[("number", theirs.as_str()), ("text", "x")], Some(&w.resident)).await.app_error(), AppError::NotFound);
    assert_eq!(handler_act(app, &w.resident, &mine, "reply", "自己答复").await.status, StatusCode::FORBIDDEN);
    // Naming someone else's case is refused as if it did not exist.
    let res = app
        .send(feedback_post(
            "/feedback/submit",
            &[("key", "c"), ("kind", "complaint"), ("body", "关于别人的办件的投诉"), ("about_case", case_number.as_str())],
            &[],
            Some(&other),
        ))
        .await;
    assert!(res.header("location").unwrap_or_default().contains("error="), "{:?}", res.header("location"));

    // Handlers see all.
    let inbox: HandlerInbox = app.call("feedback_inbox", &[], Some(&handler)).await.json();
    assert_eq!(inbox.feedback.len(), 2);
    let only_suggestions: HandlerInbox = app.call("feedback_inbox", &[("kind", "suggestion")], Some(&handler)).await.json();
    assert_eq!(only_suggestions.feedback.len(), 1);

    // Clerks: nothing until the chief allows it, then only feedback about their own cases.
    let inbox_of = |cookie: &str| {
        let cookie = cookie.to_owned();
        async move { app.call("feedback_inbox", &[], Some(&cookie)).await }
    };
    assert_eq!(inbox_of(&w.clerk).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call("feedback", &[("number", mine.as_str())], Some(&w.clerk)).await.app_error(), AppError::NotFound);
    assert_eq!(app.call("feedback_clerk_access", &[("allow", "true")], Some(&handler)).await.status, StatusCode::FORBIDDEN, "the chief's switch");
    assert_eq!(app.call("feedback_clerk_access", &[("allow", "true")], Some(&w.chief)).await.status, StatusCode::OK);
    let clerk_inbox: HandlerInbox = inbox_of(&w.clerk).await.json();
    assert_eq!(clerk_inbox.feedback.iter().map(|f| f.number.clone()).collect::<Vec<_>>(), vec![mine.clone()]);
    assert!(clerk_inbox.rectifications.is_empty());
    let seen = view(app, &w.clerk, &mine).await;
    assert!(seen.staff.is_none(), "clerks read, they do not act");
    assert_eq!(app.call("feedback", &[("number", theirs.as_str())], Some(&w.clerk)).await.app_error(), AppError::NotFound);
    assert_eq!(handler_act(app, &w.clerk, &mine, "reply", "窗口自己答复").await.status, StatusCode::FORBIDDEN);
}

async fn anonymous_suggestions_hide_the_author_and_are_rate_limited(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let handler = app.user_with_role(HANDLER, Role::Handler).await;
    let number = file_feedback(
        app,
        &w.resident,
        &[("key", "n1"), ("kind", "suggestion"), ("anonymous", "true"), ("publish", "true"), ("body", "建议大厅增设老花镜和放大镜。")],
        &[],
    )
    .await;
    let seen = view(app, &handler, &number).await;
    assert!(seen.anonymous && seen.author.is_none() && seen.contact.is_none());
    assert!(seen.timeline.iter().all(|e| e.actor == "匿名群众"), "{:?}", seen.timeline);
    let row = feedback::Entity::find().filter(feedback::Column::Number.eq(&number)).one(&app.state.db).await.expect("q").expect("row");
    assert_eq!((row.author_id, row.entered_by), (None, None), "no account on record");
    let audit = audit_log::Entity::find().filter(audit_log::Column::EntityId.eq(&number)).one(&app.state.db).await.expect("q").expect("audited");
    assert_eq!(audit.actor_id, None);
    let staff_page = app.get(&format!("/staff/feedback/{number}"), Some(&handler)).await;
    assert!(!staff_page.body.contains("13800138000"), "no phone number on the handler's page");
    // The author still follows it.
    let mine: Vec<FeedbackSummary> = app.call("my_feedback", &[], Some(&w.resident)).await.json();
    assert_eq!(mine.len(), 1);
    // Complaints cannot be anonymous.
    let res = app
        .send(feedback_post(
            "/feedback/submit",
            &[("key", "n2"), ("kind", "complaint"), ("anonymous", "true"), ("body", "匿名投诉某窗口。")],
            &[],
            Some(&w.resident),
        ))
        .await;
    assert!(res.header("location").unwrap_or_default().contains("error="));
    // Published after the reply, on the public 意见簿, for visitors.
    assert!(!app.get("/opinions", None).await.body.contains("老花镜"));
    assert_eq!(handler_act(app, &handler, &number, "reply", "已采纳，下周配备。").await.status, StatusCode::OK);
    let public = app.get("/opinions", None).await;
    assert!(public.body.contains("建议大厅增设老花镜和放大镜") && public.body.contains("已采纳，下周配备"));
    // Five an hour per account, then a clear refusal that writes nothing.
    for i in 2..=5 {
        file_feedback(app, &w.resident, &[("key", &format!("m{i}")), ("kind", "suggestion"), ("anonymous", "true"), ("body", "又一条匿名建议内容")], &[]).await;
    }
    let before = app.count("feedback").await;
    let res = app
        .send(feedback_post(
            "/feedback/submit",
            &[("key", "m6"), ("kind", "suggestion"), ("anonymous", "true"), ("body", "第六条匿名建议内容")],
            &[],
            Some(&w.resident),
        ))
        .await;
    let location = res.header("location").unwrap_or_default().to_owned();
    assert!(refusal_in(&location, "error").contains("提交过于频繁"), "{location}");
    assert_eq!(app.count("feedback").await, before);
}

async fn staff_enter_paper_and_phone_feedback_and_bad_input_changes_nothing(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let handler = app.user_with_role(HANDLER, Role::Handler).await;
    let fields = [
        ("key", "p1"),
        ("kind", "complaint"),
        ("source", "phone"),
        ("contact_name", "赵大爷"),
        ("contact_phone", "13900001111"),
        ("body", "监督电话：反映西岭村服务站周六无人值守。"),
    ];
    let res = app.send(feedback_post("/staff/feedback/submit", &fields, &[], Some(&handler))).await;
    let location = res.header("location").unwrap_or_default().to_owned();
    let number = location.strip_prefix("/staff/feedback/").unwrap_or_else(|| panic!("{location}")).to_owned();
    let seen = view(app, &handler, &number).await;
    assert_eq!(seen.source, app::feedback::Source::Phone);
    assert!(seen.contact.as_deref().is_some_and(|c| c.contains("赵大爷") && c.contains("13900001111")));
    // A resident may not use the staff entry's sources; staff must name one.
    let res = app
        .send(feedback_post(
            "/staff/feedback/submit",
            &[("key", "p2"), ("kind", "complaint"), ("source", "online"), ("body", "没有来源的录入内容")],
            &[],
            Some(&handler),
        ))
        .await;
    assert!(res.header("location").unwrap_or_default().contains("error="));

    let before = (app.count("feedback").await, app.count("stored_files").await);
    let post = |fields: Vec<(&'static str, &'static str)>, photos: Vec<(&'static str, Vec<u8>)>| {
        let photos: Vec<(&str, &[u8])> = photos.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        app.send(feedback_post("/feedback/submit", &fields, &photos, Some(&w.resident)))
    };
    let good = vec![("key", "x1"), ("kind", "complaint"), ("body", "正常的投诉内容，足够长。")];
    // A program renamed to .jpg; a photo over the limit; too short; an unknown kind; a bad phone.
    let exe = [b"MZ\x90\x00".as_slice(), &[0u8; 256]].concat();
    let mut big = jpeg_with_gps();
    big.splice(2..2, std::iter::repeat_n(0u8, service::PHOTO_LIMIT_BYTES));
    for (fields, photos, reason) in [
        (good.clone(), vec![("a.jpg", exe)], "不支持"),
        (good.clone(), vec![("big.jpg", big)], "超过10MB"),
        (vec![("key", "x2"), ("kind", "complaint"), ("body", "太短")], vec![], "至少5个字"),
        (vec![("key", "x3"), ("kind", "rumour"), ("body", "不知道是什么类型的意见")], vec![], "请选择"),
        (vec![("key", "x4"), ("kind", "complaint"), ("body", "居民不该填联系人"), ("contact_phone", "12")], vec![], ""),
    ] {
        let res = post(fields, photos).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let location = res.header("location").unwrap_or_default().to_owned();
        assert!(location.starts_with("/feedback/new?error=") && refusal_in(&location, "error").contains(reason), "{location}");
    }
    assert_eq!((app.count("feedback").await, app.count("stored_files").await), before, "nothing written");
    let temp = app::ssr::files::temp_dir(&app.state.config.data_dir);
    assert_eq!(std::fs::read_dir(&temp).map(|d| d.count()).unwrap_or(0), 0, "no temporary files left");
    // An expired session is sent to log in again, back to the form with what was typed.
    let res = app.send(feedback_post("/feedback/submit", &good, &[], None)).await;
    assert_eq!(res.header("location"), Some(format!("/login?next={}", server::routes::encode("/feedback/new?restore=1")).as_str()));
}

/// Payloads that would run script if shown unescaped.
const XSS: [&str; 5] = [
    "<script>alert('x1')</script>",
    "\"><img src=x onerror=alert('x2')>",
    "</script><script>alert('x3')</script>",
    "<svg/onload=alert('x4')>",
    "'\"--><iframe src=javascript:alert('x5')>",
];

/// The page's markup outside `<script>` elements, and whether any script element
/// (as the browser would split them) starts with a payload.
fn markup_and_injected_scripts(html: &str) -> (String, bool) {
    let (mut markup, mut injected, mut rest) = (String::new(), false, html);
    while let Some(start) = rest.find("<script") {
        markup.push_str(&rest[..start]);
        let after = &rest[start..];
        let body_start = after.find('>').map_or(after.len(), |i| i + 1);
        let end = after.find("</script").unwrap_or(after.len());
        let body = &after[body_start.min(end)..end];
        injected |= body.trim_start().starts_with("alert(");
        rest = after.get(end + "</script>".len()..).unwrap_or("");
    }
    markup.push_str(rest);
    (markup, injected)
}

fn assert_escaped(page: &TestResponse, what: &str) {
    assert_eq!(page.status, StatusCode::OK, "{what}: {}", page.status);
    let (markup, injected) = markup_and_injected_scripts(&page.body);
    assert!(!injected, "{what}: a payload opened a script element");
    for tag in ["<img src=x", "<svg/onload", "<iframe", "<script>alert"] {
        assert!(!markup.contains(tag), "{what}: raw {tag} in the markup");
    }
    assert!(markup.contains("&lt;script&gt;alert(") || markup.contains("&lt;svg/onload"), "{what}: the text is shown, escaped");
}

async fn free_text_is_shown_escaped_everywhere(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let handler = app.user_with_role(HANDLER, Role::Handler).await;
    let text = XSS.join(" ");
    // A rating comment, and everything of its rectification.
    let case_number = completed(&w, "x").await;
    let res = app.call("rate", &[("kind", "case"), ("key", &case_number), ("level", "1"), ("comment", &text)], Some(&w.resident)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let task = rectification::Entity::find().one(&app.state.db).await.expect("q").expect("task").id.to_string();
    for action in ["callback", "fix"] {
        assert_eq!(app.call(&format!("rectification_{action}"), &[("id", &task), ("text", &text)], Some(&handler)).await.status, StatusCode::OK);
    }
    assert_escaped(&app.get(&format!("/rate/case/{case_number}"), Some(&w.resident)).await, "rating page");
    assert_escaped(&app.get(&format!("/staff/rectifications/{task}"), Some(&handler)).await, "rectification page");
    // A published suggestion: body, reply, note, reopen reason, a template.
    let number = file_feedback(app, &w.resident, &[("key", "x"), ("kind", "suggestion"), ("publish", "true"), ("body", &text)], &[]).await;
    for action in ["note", "reply"] {
        assert_eq!(handler_act(app, &handler, &number, action, &text).await.status, StatusCode::OK);
    }
    assert_escaped(&app.get("/opinions", None).await, "public 意见簿");
    assert_eq!(app.call("feedback_reopen", &[("number", number.as_str()), ("text", &text)], Some(&w.resident)).await.status, StatusCode::OK);
    assert_eq!(
        app.call("reply_template_add", &[("title", "<b>模板</b><script>alert('x6')</script>"), ("body", &text)], Some(&handler)).await.status,
        StatusCode::OK
    );
    assert_escaped(&app.get(&format!("/feedback/{number}"), Some(&w.resident)).await, "resident's feedback page");
    assert_escaped(&app.get(&format!("/staff/feedback/{number}"), Some(&handler)).await, "handler's feedback page");
    assert_escaped(&app.get("/staff/feedback", Some(&handler)).await, "handler's inbox");
    let feedback_rows = feedback::Entity::find().order_by_asc(feedback::Column::Id).all(&app.state.db).await.expect("rows");
    assert_eq!(feedback_rows[0].body, text.trim(), "stored as typed");
}

async fn handlers_hand_over_link_use_templates_and_close_on_record(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    app::feedback::service::seed_reply_templates(&app.state.db).await.expect("templates");
    let first = app.user_with_role(HANDLER, Role::Handler).await;
    let second = app.user_with_role("13700000022", Role::Handler).await;
    let case_number = completed(&w, "h").await;

    // The form offers the resident's own cases; the staff entry form is for the desk only.
    let form: app::feedback::FeedbackForm = app.call("feedback_form", &[("staff", "false")], Some(&w.resident)).await.json();
    assert_eq!(form.cases.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), vec![case_number.clone()]);
    assert_eq!(app.call("feedback_form", &[("staff", "true")], Some(&w.resident)).await.status, StatusCode::FORBIDDEN);
    let desk: app::feedback::FeedbackForm = app.call("feedback_form", &[("staff", "true")], Some(&first)).await.json();
    assert!(desk.staff_entry && desk.cases.is_empty());

    let number = file_feedback(app, &w.resident, &[("key", "h1"), ("kind", "complaint"), ("body", "预约后到现场还要重新排队。")], &[]).await;
    assert_eq!(handler_act(app, &first, &number, "take", "").await.status, StatusCode::OK);
    refused(&handler_act(app, &second, &number, "take", "").await, "已有处理员负责");
    refused(&handler_act(app, &second, &number, "reply", "抢答").await, "首问负责");
    assert_eq!(handler_act(app, &second, &number, "note", "我了解这个情况").await.status, StatusCode::OK, "anyone on the desk may add a note");
    // Handed over on record, then the first may no longer reply.
    let second_id = current(app, "13700000022").await.id.to_string();
    let res = app.call("feedback_reassign", &[("number", number.as_str()), ("to", second_id.as_str())], Some(&first)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    refused(&handler_act(app, &first, &number, "reply", "还是我来").await, "首问负责");
    // Links: a bad case number is refused; a good one shows on the item.
    refused(&handler_act(app, &second, &number, "link_case", "BM2026").await, "办件编号");
    assert_eq!(handler_act(app, &second, &number, "link_case", &case_number).await.status, StatusCode::OK);
    let clerk_id = current(app, "13700000011").await.id.to_string();
    assert_eq!(app.call("feedback_link_staff", &[("number", number.as_str()), ("to", clerk_id.as_str())], Some(&second)).await.status, StatusCode::OK);
    let seen = view(app, &second, &number).await;
    assert!(seen.about.iter().any(|a| a.contains(&case_number)) && seen.about.iter().any(|a| a.starts_with("工作人员")), "{:?}", seen.about);
    assert!(seen.owner.is_some());
    // Close only after a reply; the reply may come from a template.
    refused(&handler_act(app, &second, &number, "close", "").await, "答复后才能办结");
    let template = seen.staff.expect("desk actions").templates[0].clone();
    let res = app.call("feedback_reply", &[("number", number.as_str()), ("text", ""), ("template", &template.0.to_string())], Some(&second)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(view(app, &w.resident, &number).await.reply.as_deref(), Some(template.2.as_str()));
    assert_eq!(handler_act(app, &second, &number, "close", "群众未再回复").await.status, StatusCode::OK);
    assert_eq!(view(app, &w.resident, &number).await.status, FeedbackStatus::Closed);
    // Praise may be closed without a reply.
    let praise = file_feedback(app, &w.resident, &[("key", "h2"), ("kind", "praise"), ("body", "张敏同志耐心细致，点赞！")], &[]).await;
    assert_eq!(handler_act(app, &first, &praise, "close", "已转达").await.status, StatusCode::OK);
    let timeline = view(app, &w.resident, &number).await.timeline;
    assert!(timeline.iter().any(|e| e.message.contains("转交")), "handover on record: {timeline:?}");
    assert!(timeline.iter().all(|e| !e.message.contains("我了解这个情况")), "notes stay internal");
}

/// The hourly limit is counted atomically before the photos are stored: 50 different
/// forms sent at once by one resident file exactly five.
async fn fifty_submissions_at_once_file_exactly_the_hourly_limit(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let tries = (0..50).map(|i| {
        let router = app.router.clone();
        let request = feedback_post(
            "/feedback/submit",
            &[("key", &format!("burst{i}")), ("kind", "suggestion"), ("body", "建议延长周六的办公时间。")],
            &[],
            Some(&w.resident),
        );
        async move { send(&router, request).await }
    });
    let answers = futures::future::join_all(tries).await;
    let filed = answers.iter().filter(|r| r.header("location").is_some_and(|l| l.starts_with("/feedback/YJ"))).count();
    let limited = answers.iter().filter(|r| r.header("location").is_some_and(|l| refusal_in(l, "error").contains("提交过于频繁"))).count();
    assert_eq!((filed, limited), (5, 45));
    assert_eq!(app.count("feedback").await, 5);
}

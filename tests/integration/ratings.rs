//! Ratings (好差评): one rating per case or visit while the period is open, bad rating
//! → rectification → rating of the fix, a visit rated against its window clerk, and
//! the figures against a direct count.

use crate::feedback::HANDLER;
use crate::helpers::*;
use crate::on_both_databases;
use app::domain::Role;
use app::error::AppError;
use app::feedback::HandlerInbox;
use app::ratings::service::{self, NewRating};
use app::ratings::{Level, RatingKind, RatingTarget};
use app::ssr::entities::{rating, rectification};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use test_support::cases::{PDF, World, act, current, decide, jpeg_with_gps, submitted, uploaded, world};

on_both_databases!(
    ratings_are_once_per_case_and_only_while_open,
    a_bad_rating_is_put_right_and_the_fix_rated,
    a_served_visit_is_rated_against_its_window_clerk,
    figures_match_a_direct_count,
);

pub(crate) async fn completed(w: &World, key: &str) -> String {
    let number = submitted(w, key).await;
    assert_eq!(decide(&w.app, &w.clerk, &number, "accept", "").await.status, StatusCode::OK);
    let res = decide(&w.app, &w.clerk, &number, "complete", "已办结，证件已制作完成").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    number
}

pub(crate) async fn rate(app: &TestApp, cookie: &str, kind: &str, key: &str, level: &str, fix: bool) -> TestResponse {
    let mut form = vec![("kind", kind), ("key", key), ("level", level), ("comment", "窗口服务"), ("tag_0", "办事效率")];
    if fix {
        form.push(("fix", "true"));
    }
    app.call("rate", &form, Some(cookie)).await
}

pub(crate) fn refused(res: &TestResponse, part: &str) {
    match res.app_error() {
        AppError::Rejected(reasons) => assert!(reasons.iter().any(|r| r.zh().contains(part)), "{reasons:?} should mention {part}"),
        other => panic!("expected a refusal mentioning {part}, got {other:?} ({})", res.status),
    }
}

async fn ratings_are_once_per_case_and_only_while_open(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let number = completed(&w, "r1").await;
    let target: RatingTarget = app.call("rating_target", &[("kind", "case"), ("key", &number)], Some(&w.resident)).await.json();
    assert!(target.can_rate && target.rating.is_none());

    // Bad input first: nothing is written.
    refused(&rate(app, &w.resident, "case", &number, "7", false).await, "满意程度");
    let res = app.call("rate", &[("kind", "case"), ("key", &number), ("level", "4"), ("comment", ""), ("tag_0", "随便")], Some(&w.resident)).await;
    refused(&res, "评价标签");
    assert_eq!(app.count("ratings").await, 0);

    assert_eq!(rate(app, &w.resident, "case", &number, "4", false).await.status, StatusCode::OK);
    // 一事一评: the second is refused, also as a double tap.
    refused(&rate(app, &w.resident, "case", &number, "5", false).await, "只能评价一次");
    assert_eq!(app.count("ratings").await, 1);
    let target: RatingTarget = app.call("rating_target", &[("kind", "case"), ("key", &number)], Some(&w.resident)).await.json();
    assert!(!target.can_rate);
    assert_eq!(target.rating.expect("rated").tags, vec!["办事效率".to_owned()]);
    assert_eq!(app.count("rectifications").await, 0, "a good rating opens no task");

    // Someone else's case is "not found"; an open case cannot be rated yet.
    let other = app.register("13800138111").await;
    assert_eq!(rate(app, &other, "case", &number, "1", false).await.app_error(), AppError::NotFound);
    assert_eq!(app.call("rating_target", &[("kind", "case"), ("key", &number)], Some(&other)).await.app_error(), AppError::NotFound);
    // The desk's functions refuse residents and write nothing.
    let templates = app.count("reply_templates").await;
    assert_eq!(app.call("feedback_inbox", &[], Some(&other)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call("rectification", &[("id", "1")], Some(&other)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call("reply_template_add", &[("title", "模板"), ("body", "内容")], Some(&other)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("reply_templates").await, templates);
    let open = submitted(&w, "r2").await;
    refused(&rate(app, &w.resident, "case", &open, "5", false).await, "办结后才能评价");

    // The period (15 days by default) closes.
    let late = completed(&w, "r3").await;
    let resident = current(app, "13800138000").await;
    let input = NewRating { kind: RatingKind::Case, key: late.clone(), level: 5, tags: vec![], comment: String::new(), fix: false };
    let after = Utc::now() + Duration::days(16);
    match service::rate(&app.state, &resident, &input, after).await {
        Err(AppError::Rejected(r)) => assert!(r[0].zh().contains("评价期已过"), "{r:?}"),
        other => panic!("expected the period to be closed, got {other:?}"),
    }
    service::rate(&app.state, &resident, &input, Utc::now() + Duration::days(14)).await.expect("still open on day 14");
    assert_eq!(app.count("ratings").await, 2);

    // A helper records the paper rating of a resident they filed for: marked as such.
    let helper = app.user_with_role("13700000031", Role::Helper).await;
    let resident_id = current(app, "13800138000").await.id;
    assert_eq!(app.call("resident_find", &[("q", "13800138000")], Some(&helper)).await.status, StatusCode::OK);
    let asked = test_support::stations::request(app, &helper, resident_id, &["LC-005"], false, "app", "fb-a1").await;
    assert_eq!(test_support::stations::decide_authorisation(app, &w.resident, asked, "accept").await.status, StatusCode::OK);
    let filed = test_support::stations::filed(app, &helper, resident_id, "LC-005", "helper-case").await;
    uploaded(app, &helper, &filed, 0, "身份证.jpg", &jpeg_with_gps()).await;
    uploaded(app, &helper, &filed, 1, "照片.pdf", PDF).await;
    assert_eq!(act(app, &helper, &filed, "submit").await.status, StatusCode::OK);
    assert_eq!(decide(app, &w.clerk, &filed, "accept", "").await.status, StatusCode::OK);
    assert_eq!(decide(app, &w.clerk, &filed, "complete", "已办结").await.status, StatusCode::OK);
    let target: RatingTarget = app.call("rating_target", &[("kind", "case"), ("key", &filed)], Some(&helper)).await.json();
    assert!(target.can_rate && target.on_paper);
    assert_eq!(rate(app, &helper, "case", &filed, "5", false).await.status, StatusCode::OK);
    let paper = rating::Entity::find().order_by_desc(rating::Column::Id).one(&app.state.db).await.expect("q").expect("rating");
    assert!(paper.on_paper, "a helper's rating is the resident's paper form");
    assert!(app.get(&format!("/rate/case/{filed}"), Some(&helper)).await.body.contains("帮办员代录纸质评价"));
}

async fn a_bad_rating_is_put_right_and_the_fix_rated(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let handler = app.user_with_role(HANDLER, Role::Handler).await;
    let other_handler = app.user_with_role("13700000022", Role::Handler).await;
    let number = completed(&w, "bad").await;
    assert_eq!(rate(app, &w.resident, "case", &number, "2", false).await.status, StatusCode::OK);
    let task = rectification::Entity::find().one(&app.state.db).await.expect("q").expect("a task opens");
    assert_eq!(task.status, "open");
    let calendar = app::calendar::load(&app.state.db).await.expect("calendar");
    assert_eq!(task.deadline, calendar.add_working_days(app::booking::service::cst_today(Utc::now()), 15));

    // The handler sees it in the console; a resident cannot touch it.
    let inbox: HandlerInbox = app.call("feedback_inbox", &[], Some(&handler)).await.json();
    assert_eq!(inbox.rectifications.len(), 1);
    assert_eq!(inbox.rectifications[0].rating.level, Level::Unsatisfied);
    let id = task.id.to_string();
    let act_on = |cookie: &str, action: &'static str, text: &'static str| {
        let (id, cookie) = (id.clone(), cookie.to_owned());
        async move { app.call(&format!("rectification_{action}"), &[("id", id.as_str()), ("text", text)], Some(&cookie)).await }
    };
    assert_eq!(act_on(&w.resident, "callback", "x").await.status, StatusCode::FORBIDDEN);
    // Out of order, and the fix cannot be rated before it is done.
    refused(&act_on(&handler, "fix", "已整改").await, "请先回访");
    refused(&rate(app, &w.resident, "case", &number, "4", true).await, "整改完成后");

    assert_eq!(act_on(&handler, "callback", "已电话回访，群众反映等候时间长").await.status, StatusCode::OK);
    // 首问负责: another handler may not take over the task.
    refused(&act_on(&other_handler, "fix", "抢着整改").await, "首问负责");
    refused(&act_on(&handler, "callback", "再回访").await, "已回访过");
    assert_eq!(act_on(&handler, "fix", "已增开一个综合窗口，高峰时段引导分流").await.status, StatusCode::OK);
    let messages: Vec<app::cases::MessageView> = app.call("messages", &[], Some(&w.resident)).await.json();
    assert!(messages.iter().any(|m| m.title == "整改结果" && m.link == format!("/rate/case/{number}")), "{messages:?}");

    let target: RatingTarget = app.call("rating_target", &[("kind", "case"), ("key", &number)], Some(&w.resident)).await.json();
    assert!(target.can_rate_fix);
    let fix = target.rectification.expect("shown to the resident");
    assert_eq!(fix.fix_note.as_deref(), Some("已增开一个综合窗口，高峰时段引导分流"));
    assert!(fix.resident.is_none(), "the resident's own page shows no staff details");

    assert_eq!(rate(app, &w.resident, "case", &number, "4", true).await.status, StatusCode::OK);
    refused(&rate(app, &w.resident, "case", &number, "5", true).await, "整改完成后");
    let task = rectification::Entity::find_by_id(task.id).one(&app.state.db).await.expect("q").expect("task");
    assert_eq!(task.status, "closed");
    let second = rating::Entity::find().filter(rating::Column::Round.eq(2)).one(&app.state.db).await.expect("q").expect("round 2");
    assert_eq!(second.level, 4);
    let page = app.get(&format!("/rate/case/{number}"), Some(&w.resident)).await;
    assert!(page.body.contains("已增开一个综合窗口") && page.body.contains("对整改结果的评价"));
}

async fn a_served_visit_is_rated_against_its_window_clerk(backend: Backend) {
    use test_support::booking::{WEDNESDAY, booking_app, residents};
    use test_support::queue::{at, book_at, clerk_with_window};
    let app = booking_app(backend, 4).await;
    let (clerk, window) = clerk_with_window(&app, "13700000011", "1号窗口").await;
    let people = residents(&app, 2).await;
    let served = book_at(&app, people[0], 9, 0, "center").await;
    let waiting = book_at(&app, people[1], 9, 30, "center").await;
    let now = at(WEDNESDAY, 9, 5);
    app::queue::service::check_in(&app.state, &clerk, &served, false, now).await.expect("check in");
    app::queue::service::call_next(&app.state, &clerk, window, now).await.expect("call");
    app::queue::service::finish(&app.state, &clerk, window, app::queue::Outcome::Served, now).await.expect("served");

    let resident = app::ssr::auth::CurrentUser { id: people[0], session_id: 0, role: Role::Resident, station_id: None, name: None };
    let visit = |key: &str, level: i32| NewRating {
        kind: RatingKind::Visit,
        key: key.into(),
        level,
        tags: vec!["服务态度".into()],
        comment: String::new(),
        fix: false,
    };
    let target = service::rating_target(&app.state, &resident, RatingKind::Visit, &served, now).await.expect("target");
    assert!(target.can_rate);
    service::rate(&app.state, &resident, &visit(&served, 1), now).await.expect("rated");
    let row = rating::Entity::find().one(&app.state.db).await.expect("q").expect("rating");
    assert_eq!((row.booking_id.is_some(), row.staff_id, row.on_paper), (true, Some(clerk.id), false));
    assert_eq!(app.count("rectifications").await, 1, "非常不满意 opens a task");
    assert!(matches!(service::rate(&app.state, &resident, &visit(&served, 5), now).await, Err(AppError::Rejected(_))), "一次一评");
    // A visit not yet served, and someone else's visit.
    let other = app::ssr::auth::CurrentUser { id: people[1], ..resident.clone() };
    assert!(matches!(service::rate(&app.state, &other, &visit(&waiting, 5), now).await, Err(AppError::Rejected(_))));
    assert_eq!(service::rate(&app.state, &other, &visit(&served, 5), now).await.err(), Some(AppError::NotFound));
    assert_eq!(app.count("ratings").await, 1);
}

async fn figures_match_a_direct_count(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let levels = ["5", "4", "3", "2", "1", "5"];
    for (i, level) in levels.iter().enumerate() {
        let number = completed(&w, &format!("f{i}")).await;
        assert_eq!(rate(app, &w.resident, "case", &number, level, false).await.status, StatusCode::OK);
    }
    completed(&w, "unrated-1").await;
    completed(&w, "unrated-2").await;
    let figures = service::figures(&app.state.db, Utc::now() - Duration::days(1), Utc::now() + Duration::days(1), None).await.expect("figures");
    let direct = |sql: &'static str| app.count(sql);
    assert_eq!(figures.completed as i64, direct("cases WHERE status = 'completed'").await);
    assert_eq!(figures.completed_rated as i64, direct("ratings WHERE round = 1 AND case_id IS NOT NULL").await);
    assert_eq!(figures.ratings as i64, direct("ratings WHERE round = 1").await);
    assert_eq!(figures.satisfied as i64, direct("ratings WHERE round = 1 AND level >= 3").await);
    assert_eq!((figures.completed, figures.completed_rated, figures.ratings, figures.satisfied), (8, 6, 6, 4));
    assert_eq!(figures.evaluation_rate(), Some(75.0));
    assert_eq!(figures.satisfaction(), Some(66.7));
    assert_eq!(figures.levels, [2, 1, 1, 1, 1], "the distribution, best first");
    // The console shows the same.
    let handler = app.user_with_role(HANDLER, Role::Handler).await;
    let page = app.get("/staff/feedback", Some(&handler)).await;
    assert!(page.body.contains("75.0%") && page.body.contains("66.7%"), "figures on the console");
}

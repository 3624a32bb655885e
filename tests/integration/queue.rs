//! The hall queue: check-in and tickets, calling order, windows that belong to their
//! clerks, race safety of calling, the live board stream (also across two servers),
//! the resident's ticket, video links, and the chief's schedules, windows and calendar.

use crate::helpers::*;
use crate::on_both_databases;
use app::booking::service::{self as booking_service, BookRequest};
use app::domain::Role;
use app::error::AppError;
use app::queue::service;
use app::queue::{BoardView, ConsoleView, Outcome, TicketStatus, TicketView};
use app::ssr::auth::CurrentUser;
use app::ssr::entities::{booking, queue_ticket, user};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use test_support::booking::{WEDNESDAY, at_ten, booking_app, residents};
use test_support::queue::{at, book_at, clerk_with_window, staff};
use tower::ServiceExt;

on_both_databases!(
    check_in_issues_numbered_tickets_and_refuses_in_chinese,
    windows_call_the_priority_lane_first_then_by_queue_time,
    two_windows_calling_at_once_never_share_a_ticket,
    clerks_work_only_their_own_windows,
    the_board_stream_shows_a_call_within_a_second_on_every_server,
    residents_see_their_place_live_and_video_links,
    the_chief_edits_windows_schedules_and_the_calendar,
);

async fn user_id(app: &TestApp, phone: &str) -> i32 {
    user::Entity::find().filter(user::Column::Phone.eq(phone)).one(&app.state.db).await.expect("query").expect("user").id
}

fn rejected(result: Result<impl std::fmt::Debug, AppError>, part: &str) {
    match result {
        Err(AppError::Rejected(reasons)) => assert!(reasons.iter().any(|r| r.zh().contains(part)), "{reasons:?} should mention {part}"),
        other => panic!("expected a refusal mentioning {part}, got {other:?}"),
    }
}

async fn booking_status(app: &TestApp, code: &str) -> String {
    booking::Entity::find().filter(booking::Column::Code.eq(code)).one(&app.state.db).await.expect("query").expect("booking").status.as_str().to_owned()
}

async fn check_in_issues_numbered_tickets_and_refuses_in_chinese(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let (clerk, _) = clerk_with_window(&app, "13700000011", "1号窗口").await;
    let people = residents(&app, 5).await;
    let first = book_at(&app, people[0], 9, 0, "center").await;
    let second = book_at(&app, people[1], 10, 0, "center").await;
    let video = book_at(&app, people[2], 10, 0, "video").await;
    let cancelled = book_at(&app, people[3], 10, 30, "center").await;
    booking_service::cancel(&app.state, &staff(people[3], Role::Resident), &cancelled, at_ten("2026-12-01")).await.expect("cancel");
    let now = at(WEDNESDAY, 8, 50);

    assert_eq!(service::check_in(&app.state, &clerk, &first.to_lowercase(), false, now).await.expect("first"), "A001", "codes are case-insensitive");
    assert_eq!(service::check_in(&app.state, &clerk, &second, true, now).await.expect("priority"), "V001");
    assert_eq!(booking_status(&app, &first).await, "checked_in");
    let tickets_before = app.count("queue_tickets").await;
    rejected(service::check_in(&app.state, &clerk, &first, false, now).await, "已签到");
    rejected(service::check_in(&app.state, &clerk, &cancelled, false, now).await, "已取消");
    rejected(service::check_in(&app.state, &clerk, &video, false, now).await, "视频");
    rejected(service::check_in(&app.state, &clerk, "ZZZZ9999", false, now).await, "没有预约码");
    rejected(service::check_in(&app.state, &clerk, "  ", false, now).await, "请输入");
    rejected(service::check_in(&app.state, &clerk, &book_at_thursday(&app, people[4]).await, false, now).await, "不是今天");
    assert_eq!(app.count("queue_tickets").await, tickets_before, "refusals write nothing");

    assert_eq!(service::walk_in(&app.state, &clerk, "", false, now).await.expect("walk-in"), "B001");
    assert_eq!(service::walk_in(&app.state, &clerk, "老年证", true, now).await.expect("priority walk-in"), "V002");
    assert_eq!(service::walk_in(&app.state, &clerk, "咨询", false, now).await.expect("walk-in"), "B002");
    rejected(service::walk_in(&app.state, &clerk, &"长".repeat(41), false, now).await, "40个字");
    // The next day starts again at 001.
    assert_eq!(service::walk_in(&app.state, &clerk, "", false, now + Duration::days(1)).await.expect("tomorrow"), "B001");

    // Twenty check-ins and walk-ins at once: twenty distinct numbers.
    let mut tasks = Vec::new();
    for n in 0..20 {
        let (state, clerk) = (app.state.clone(), clerk.clone());
        tasks.push(tokio::spawn(async move { service::walk_in(&state, &clerk, &format!("并发{n}"), false, now).await }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.expect("task").expect("issued"));
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 20, "no number issued twice");
}

async fn book_at_thursday(app: &TestApp, resident: i32) -> String {
    let before = at_ten("2026-12-02");
    let slots = booking_service::day_slots(&app.state.db, &app.state.config.booking, "SB-004", "2026-12-03", before).await.expect("slots");
    let request = BookRequest { item_code: "SB-004".into(), slot_id: slots[0].id, channel: "center".into(), station_id: None, key: "thursday".into() };
    booking_service::book(&app.state, resident, &request, before).await.expect("booked")
}

async fn windows_call_the_priority_lane_first_then_by_queue_time(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let (clerk, window) = clerk_with_window(&app, "13700000011", "1号窗口").await;
    let people = residents(&app, 3).await;
    let early_for_ten = book_at(&app, people[0], 10, 0, "center").await;
    let nine = book_at(&app, people[1], 9, 0, "center").await;
    let late_for_nine = book_at(&app, people[2], 9, 30, "center").await;

    // 09:00 arrives for 10:00 (queues at 10:00); a walk-in at 09:05; the 09:00 booking
    // arrives at 09:10 (within the grace: queues at 09:00); 09:30's arrives at 09:50
    // (late: queues at 09:50); a priority walk-in at 09:20.
    assert_eq!(service::check_in(&app.state, &clerk, &early_for_ten, false, at(WEDNESDAY, 9, 0)).await.expect("a"), "A001");
    assert_eq!(service::walk_in(&app.state, &clerk, "", false, at(WEDNESDAY, 9, 5)).await.expect("b"), "B001");
    assert_eq!(service::check_in(&app.state, &clerk, &nine, false, at(WEDNESDAY, 9, 10)).await.expect("a"), "A002");
    assert_eq!(service::walk_in(&app.state, &clerk, "", true, at(WEDNESDAY, 9, 20)).await.expect("v"), "V001");
    assert_eq!(service::check_in(&app.state, &clerk, &late_for_nine, false, at(WEDNESDAY, 9, 50)).await.expect("a"), "A003");

    let now = at(WEDNESDAY, 9, 55);
    let console = service::console(&app.state, &clerk, now).await.expect("console");
    let order: Vec<&str> = console.waiting.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(order, ["V001", "A002", "B001", "A003", "A001"]);

    let mut called = Vec::new();
    while let Some(number) = service::call_next(&app.state, &clerk, window, now).await.expect("call") {
        // A second call before finishing is refused and changes nothing.
        rejected(service::call_next(&app.state, &clerk, window, now).await, "还在办理中");
        if number == "A002" {
            assert_eq!(service::recall(&app.state, &clerk, window, now).await.expect("recall"), "A002");
            assert_eq!(booking_status(&app, &nine).await, "called");
            service::finish(&app.state, &clerk, window, Outcome::NoShow, now).await.expect("no-show");
        } else {
            service::finish(&app.state, &clerk, window, Outcome::Served, now).await.expect("served");
        }
        called.push(number);
    }
    assert_eq!(called, ["V001", "A002", "B001", "A003", "A001"]);
    assert_eq!(booking_status(&app, &nine).await, "no_show", "过号 ends the booking as a no-show");
    assert_eq!(booking_status(&app, &early_for_ten).await, "served");
    let recalled = queue_ticket::Entity::find().filter(queue_ticket::Column::Number.eq("A002")).one(&app.state.db).await.expect("q").expect("t");
    assert_eq!(recalled.recalls, 1);
    rejected(service::recall(&app.state, &clerk, window, now).await, "没有正在呼叫");
    rejected(service::finish(&app.state, &clerk, window, Outcome::Served, now).await, "没有正在办理");
}

async fn two_windows_calling_at_once_never_share_a_ticket(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let (one, w1) = clerk_with_window(&app, "13700000011", "1号窗口").await;
    let (two, w2) = clerk_with_window(&app, "13700000012", "2号窗口").await;
    let now = at(WEDNESDAY, 9, 0);
    for _ in 0..20 {
        service::walk_in(&app.state, &one, "", false, now).await.expect("ticket");
    }
    let desk = |clerk: CurrentUser, window: i32| {
        let state = app.state.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            while let Some(number) = service::call_next(&state, &clerk, window, now).await.expect("call") {
                service::finish(&state, &clerk, window, Outcome::Served, now).await.expect("served");
                mine.push(number);
            }
            mine
        })
    };
    let (a, b) = (desk(one.clone(), w1), desk(two.clone(), w2));
    let (a, b) = (a.await.expect("desk 1"), b.await.expect("desk 2"));
    let mut all: Vec<String> = a.iter().chain(&b).cloned().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 20, "every ticket called exactly once: {a:?} {b:?}");
    assert_eq!(a.len() + b.len(), 20);

    // A double tap on 叫号: five calls at one window at once call one resident.
    for _ in 0..5 {
        service::walk_in(&app.state, &one, "", false, now).await.expect("ticket");
    }
    let taps: Vec<_> = (0..5)
        .map(|_| {
            let (state, clerk) = (app.state.clone(), one.clone());
            tokio::spawn(async move { service::call_next(&state, &clerk, w1, now).await })
        })
        .collect();
    let mut ok = 0;
    for tap in taps {
        match tap.await.expect("task") {
            Ok(Some(_)) => ok += 1,
            other => rejected(other, "还在办理中"),
        }
    }
    assert_eq!(ok, 1, "one call per window at a time");
    let called = queue_ticket::Entity::find().filter(queue_ticket::Column::Status.eq("called")).all(&app.state.db).await.expect("q");
    assert_eq!(called.len(), 1);
}

async fn clerks_work_only_their_own_windows(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let clerk_a = app.user_with_role("13700000011", Role::Clerk).await;
    let clerk_b = app.user_with_role("13700000012", Role::Clerk).await;
    let chief = app.user_with_role("13700000005", Role::Chief).await;
    let handler = app.user_with_role("13700000013", Role::Handler).await;
    let resident = app.register("13800138001").await;
    let a_id = user_id(&app, "13700000011").await;
    let window = booking_service::save_window(&app.state.db, None, "1号窗口", Some(a_id), true, 0).await.expect("window").to_string();

    let issued: String = app.call("queue_walk_in", &[("label", "咨询")], Some(&clerk_a)).await.json();
    assert!(issued.starts_with('B'), "{issued}");
    let priority: String = app.call("queue_walk_in", &[("label", ""), ("priority", "on")], Some(&clerk_a)).await.json();
    assert!(priority.starts_with('V'), "{priority}");

    // Another clerk, a handler, a resident and a visitor cannot call at A's window.
    let call = [("window", window.as_str())];
    assert_eq!(app.call("queue_next", &call, Some(&clerk_b)).await.status, StatusCode::FORBIDDEN);
    for who in [Some(handler.as_str()), Some(resident.as_str())] {
        assert_eq!(app.call("queue_next", &call, who).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call("queue_walk_in", &[("label", "")], who).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call("queue_check_in", &[("code", "ABCD2345")], who).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.call("queue_console", &[], who).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.call("queue_next", &call, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("queue_tickets").await, 2);
    let waiting = queue_ticket::Entity::find().filter(queue_ticket::Column::Status.eq("waiting")).all(&app.state.db).await.expect("q");
    assert_eq!(waiting.len(), 2, "nothing was called");

    // B's console has no desks; A's has one; the chief sees every window.
    let b_console: ConsoleView = app.call("queue_console", &[], Some(&clerk_b)).await.json();
    assert!(b_console.desks.is_empty() && b_console.waiting.len() == 2);
    let called: Option<String> = app.call("queue_next", &call, Some(&clerk_a)).await.json();
    assert_eq!(called.as_deref(), Some(priority.as_str()), "the priority lane first");
    let chief_console: ConsoleView = app.call("queue_console", &[], Some(&chief)).await.json();
    assert_eq!(chief_console.desks.len(), 1);
    assert_eq!(chief_console.desks[0].current.as_ref().map(|t| t.number.as_str()), Some(priority.as_str()));
    let served: Option<String> = app.call("queue_served", &[("window", window.as_str())], Some(&chief)).await.json();
    assert_eq!(served.as_deref(), Some(priority.as_str()), "the chief may act at any window");
    // Typed arguments: a window that is not a number is refused while the request is read.
    let bogus = app.call("queue_next", &[("window", "explode")], Some(&clerk_a)).await;
    assert_eq!(bogus.app_error(), AppError::BadRequest);

    // The board is public and shows numbers and window names only.
    let board = app.get("/board", None).await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("1号窗口") && board.body.contains(&priority), "window and last call on the board");
    assert!(!board.body.contains("13700000011") && !board.body.contains("咨询"), "no personal data or labels on the board");
    let json: BoardView = app.call("queue_board", &[], None).await.json();
    assert_eq!(json.waiting, 1);

    // Console pages: the clerk's renders; a resident's is refused.
    let page = app.get("/staff/queue", Some(&clerk_a)).await;
    assert!(page.status == StatusCode::OK && page.body.contains("1号窗口") && page.body.contains(&issued));
    assert_eq!(app.get("/staff/queue", Some(&resident)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/staff/checkin", Some(&handler)).await.status, StatusCode::FORBIDDEN);
}

/// Reads SSE events from a streaming response until one contains `needle`.
async fn next_event_with(body: &mut Body, needle: &str, within: std::time::Duration) -> Option<String> {
    let deadline = tokio::time::Instant::now() + within;
    let mut seen = String::new();
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame()).await.ok()??.ok()?;
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
            while let Some(end) = seen.find("\n\n") {
                let event: String = seen.drain(..end + 2).collect();
                if event.contains(needle) {
                    return Some(event);
                }
            }
        }
    }
}

async fn open_stream(router: &axum::Router, path: &str, cookie: Option<&str>) -> Body {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = router.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("text/event-stream"));
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none(), "events are not buffered by compression");
    response.into_body()
}

async fn the_board_stream_shows_a_call_within_a_second_on_every_server(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let clerk = app.user_with_role("13700000011", Role::Clerk).await;
    let clerk_id = user_id(&app, "13700000011").await;
    let window = booking_service::save_window(&app.state.db, None, "1号窗口", Some(clerk_id), true, 0).await.expect("window").to_string();
    let other_server = app.second_server().await;

    let mut here = open_stream(&app.router, "/board/events", None).await;
    let mut there = open_stream(&other_server, "/board/events", None).await;
    let first = next_event_with(&mut here, "event: board", std::time::Duration::from_secs(5)).await.expect("the current board at once");
    assert!(first.contains("retry: 1000"), "asks browsers to reconnect after a second: {first}");
    next_event_with(&mut there, "event: board", std::time::Duration::from_secs(5)).await.expect("the other server's board");

    let number: String = app.call("queue_walk_in", &[("label", "")], Some(&clerk)).await.json();
    let called: Option<String> = app.call("queue_next", &[("window", window.as_str())], Some(&clerk)).await.json();
    assert_eq!(called.as_deref(), Some(number.as_str()));
    let needle = format!("\"number\":\"{number}\"");
    let one_second = std::time::Duration::from_secs(1);
    next_event_with(&mut here, &needle, one_second).await.expect("the calling server's board within 1 s");
    next_event_with(&mut there, &needle, one_second).await.expect("another server's board within 1 s");

    // A resident's stream needs a session.
    let anonymous = app.get("/queue/mine/events", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn residents_see_their_place_live_and_video_links(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let (clerk, window) = clerk_with_window(&app, "13700000011", "1号窗口").await;
    let alice = app.register("13800138001").await;
    let bob = app.register("13800138002").await;
    let alice_id = user_id(&app, "13800138001").await;
    let bob_id = user_id(&app, "13800138002").await;
    let code = book_at(&app, alice_id, 9, 0, "center").await;
    let video = book_at(&app, bob_id, 9, 30, "video").await;
    let now = Utc::now();
    // Tickets for "today" so that the HTTP calls (which use the clock) see them.
    for _ in 0..3 {
        service::walk_in(&app.state, &clerk, "", false, now).await.expect("ahead");
    }
    booking::Entity::update_many()
        .col_expr(booking::Column::Day, sea_orm::sea_query::Expr::value(app::booking::service::cst_today(now)))
        .filter(booking::Column::Code.eq(&code))
        .exec(&app.state.db)
        .await
        .expect("move the booking to today");
    let number = service::check_in(&app.state, &clerk, &code, false, now).await.expect("check in");

    let mine: Vec<TicketView> = app.call("queue_mine", &[], Some(&alice)).await.json();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].number.as_str(), mine[0].status, mine[0].ahead), (number.as_str(), TicketStatus::Waiting, 3));
    assert!(mine[0].wait_minutes > 0, "an estimate");
    let theirs: Vec<TicketView> = app.call("queue_mine", &[], Some(&bob)).await.json();
    assert!(theirs.is_empty(), "Bob sees nothing of Alice's");
    let page = app.get("/queue", Some(&alice)).await;
    assert!(page.body.contains(&number) && page.body.contains("前面还有"), "the ticket page");

    // Live: Alice's stream moves as the window calls.
    let mut stream = open_stream(&app.router, "/queue/mine/events", Some(&alice)).await;
    next_event_with(&mut stream, "\"ahead\":3", std::time::Duration::from_secs(5)).await.expect("current place");
    service::call_next(&app.state, &clerk, window, now).await.expect("call");
    next_event_with(&mut stream, "\"ahead\":2", std::time::Duration::from_secs(1)).await.expect("moved up within 1 s");

    // Video: a clerk attaches the meeting; Bob sees it; bad input changes nothing.
    let clerk_cookie = app.user_with_role("13700000019", Role::Clerk).await;
    let bad = app.call("booking_video", &[("code", &video), ("link", "javascript:alert(1)"), ("at", "明天")], Some(&clerk_cookie)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(bad.app_error(), AppError::Rejected(r) if r.len() == 2));
    let not_video =
        app.call("booking_video", &[("code", &code), ("link", "https://meeting.example.cn/j/1"), ("at", "2026-12-02T10:00")], Some(&clerk_cookie)).await;
    assert_eq!(not_video.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.call("booking_video", &[("code", &video), ("link", "https://meeting.example.cn/j/1"), ("at", "2026-12-02T10:00")], Some(&bob)).await.status,
        StatusCode::FORBIDDEN
    );
    let ok = app.call("booking_video", &[("code", &video), ("link", "https://meeting.example.cn/j/1"), ("at", "2026-12-02T10:00")], Some(&clerk_cookie)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let view: app::booking::BookingView = app.call("booking", &[("code", &video)], Some(&bob)).await.json();
    assert_eq!(view.video_link.as_deref(), Some("https://meeting.example.cn/j/1"));
    assert_eq!(view.video_at.map(|at| at.text(app::i18n::Lang::Zh)).as_deref(), Some("2026年12月02日（周三）10:00"));
    let page = app.get(&format!("/bookings/{video}"), Some(&bob)).await;
    assert!(page.body.contains("https://meeting.example.cn/j/1"));
}

async fn the_chief_edits_windows_schedules_and_the_calendar(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let chief = app.user_with_role("13700000005", Role::Chief).await;
    let clerk = app.user_with_role("13700000011", Role::Clerk).await;
    let resident_id = residents(&app, 1).await[0];
    let before = at_ten("2026-12-01");
    let rules = app.state.config.booking;
    assert!(!booking_service::day_slots(&app.state.db, &rules, "SB-004", WEDNESDAY, before).await.expect("slots").is_empty());

    // Only the chief.
    for who in [Some(clerk.as_str()), None] {
        let res = app.call("holiday_save", &[("date", WEDNESDAY), ("kind", "holiday"), ("name", "停电")], who).await;
        assert!(matches!(res.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED), "{}", res.status);
        assert!(matches!(app.call("schedule_admin", &[], who).await.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED));
    }
    let bad = app.call("holiday_save", &[("date", "2026-13-01"), ("kind", "holiday"), ("name", "")], Some(&chief)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let days = app.count("holidays").await;
    let bad_kind = app.call("holiday_save", &[("date", WEDNESDAY), ("kind", "explode"), ("name", "停电")], Some(&chief)).await;
    assert_eq!(bad_kind.app_error(), AppError::BadRequest, "a kind is holiday or workday");
    assert_eq!(app.count("holidays").await, days, "nothing written");

    // A day off closes the day; bookings for it are refused even by slot id.
    let slot = booking_service::day_slots(&app.state.db, &rules, "SB-004", WEDNESDAY, before).await.expect("slots")[0].id;
    let res = app.call("holiday_save", &[("date", WEDNESDAY), ("kind", "holiday"), ("name", "临时停业")], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(booking_service::day_slots(&app.state.db, &rules, "SB-004", WEDNESDAY, before).await.expect("slots").is_empty());
    let request = BookRequest { item_code: "SB-004".into(), slot_id: slot, channel: "center".into(), station_id: None, key: "k".into() };
    assert!(booking_service::book(&app.state, resident_id, &request, before).await.is_err());
    let res = app.call("holiday_remove", &[("date", WEDNESDAY)], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK);
    booking_service::book(&app.state, resident_id, &request, before).await.expect("open again");

    // Import: a file with bad lines writes nothing and names the lines; a good one writes.
    let holidays = app.count("holidays").await;
    let file = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,错\n2027-02-06,上班,春节\n";
    let res = app.send(multipart_upload("/staff/holidays/import", "2027.csv", file.as_bytes(), &chief)).await;
    let location = res.header("location").expect("redirect").to_owned();
    assert!(location.contains("import_error="), "{location}");
    let page = app.get(&location, Some(&chief)).await;
    assert!(page.body.contains("第3行") && page.body.contains("第4行"), "both bad lines named");
    assert_eq!(app.count("holidays").await, holidays, "nothing written");
    let good = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n";
    let res = app.send(multipart_upload("/staff/holidays/import", "2027.csv", good.as_bytes(), &chief)).await;
    assert_eq!(res.header("location"), Some("/staff/schedules?imported=2#calendar"));
    assert_eq!(app.count("holidays").await, holidays + 2);
    let clerk_upload = app.send(multipart_upload("/staff/holidays/import", "2027.csv", good.as_bytes(), &clerk)).await;
    assert_eq!(clerk_upload.status, StatusCode::FORBIDDEN);

    // Windows belong to clerks only; a schedule edit is validated.
    let res = app.call("window_save", &[("id", ""), ("name", "4号窗口"), ("clerk", &user_id(&app, "13700000005").await.to_string())], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the chief is not a clerk");
    let clerk_id = user_id(&app, "13700000011").await.to_string();
    let res = app.call("window_save", &[("id", ""), ("name", "4号窗口"), ("clerk", &clerk_id)], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let form = [
        ("id", ""),
        ("name", "周末"),
        ("window", ""),
        ("weekdays", "67"),
        ("periods", "9:00-8:00"),
        ("slot_minutes", "30"),
        ("capacity", "0"),
        ("item_codes", "NOPE-1"),
    ];
    let res = app.call("schedule_save", &form, Some(&chief)).await;
    match res.app_error() {
        AppError::Rejected(reasons) => assert!(reasons.len() >= 3, "{reasons:?}"),
        other => panic!("{other:?}"),
    }
    let admin: app::booking::ScheduleAdmin = app.call("schedule_admin", &[], Some(&chief)).await.json();
    assert_eq!(admin.schedules.len(), 1);
    assert!(admin.windows.iter().any(|w| w.name == "4号窗口"));
    assert!(admin.holidays.iter().any(|h| h.date == "2027-02-06" && h.kind == "workday"));
    let page = app.get("/staff/schedules", Some(&chief)).await;
    assert!(page.status == StatusCode::OK && page.body.contains("4号窗口") && page.body.contains("2027-02-06"));
}

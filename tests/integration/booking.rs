//! Booking: race safety enforced by the database, idempotent submissions, every rule
//! and its Chinese refusal, ownership, emails and the reminder job's lease.

use crate::helpers::*;
use crate::on_both_databases;
use app::booking::service::{self, BookRequest};
use app::booking::{BookingOptions, BookingView, MyBookings, SlotOption};
use app::domain::Role;
use app::error::AppError;
use app::i18n::{BookingReason, Msg, Reason};
use app::ssr::entities::{booking, slot, user};
use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use test_support::booking::{WEDNESDAY, at_ten, booking_app, residents};

on_both_databases!(
    two_hundred_attempts_fill_ten_places_exactly,
    fifty_residents_trying_twice_get_one_booking_each,
    a_repeated_submission_books_once,
    a_full_slot_answers_from_memory_and_offers_a_freed_seat_again,
    every_rule_refuses_in_chinese,
    the_calendar_closes_the_spring_festival_and_opens_adjusted_saturdays,
    residents_book_through_the_app_and_see_only_their_own,
    emails_confirm_remind_once_and_cancel,
    one_server_holds_the_job_lease,
    the_no_show_job_spares_station_bookings_and_days_made_holidays,
    the_jobs_run_over_a_hundred_thousand_past_slots,
);

/// The first slot of `day` for SB-004, as seen at `now`.
async fn first_slot(app: &TestApp, day: &str, now: DateTime<Utc>) -> i32 {
    let slots = service::day_slots(&app.state.db, &app.state.config.booking, "SB-004", day, now).await.expect("slots");
    slots.first().unwrap_or_else(|| panic!("no slots on {day}")).id
}

fn request(slot: i32, key: &str) -> BookRequest {
    BookRequest { item_code: "SB-004".into(), slot_id: slot, channel: "center".into(), station_id: None, key: key.into() }
}

async fn booked(app: &TestApp, slot_id: i32) -> i32 {
    slot::Entity::find_by_id(slot_id).one(&app.state.db).await.expect("slot").expect("exists").booked
}

async fn two_hundred_attempts_fill_ten_places_exactly(backend: Backend) {
    let app = booking_app(backend, 10).await;
    let now = at_ten(WEDNESDAY);
    let slot = first_slot(&app, "2026-12-03", now).await;
    let people = residents(&app, 200).await;
    let attempts: Vec<_> = people
        .into_iter()
        .map(|resident| {
            let state = app.state.clone();
            tokio::spawn(async move { service::book(&state, resident, &request(slot, &format!("k{resident}")), now).await })
        })
        .collect();
    let mut made = 0;
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(_) => made += 1,
            Err(err) => assert_eq!(err, AppError::Conflict(Msg::ErrSlotFull)),
        }
    }
    assert_eq!(made, 10, "exactly the capacity");
    assert_eq!(app.count("bookings").await, 10);
    assert_eq!(booked(&app, slot).await, 10);
}

async fn fifty_residents_trying_twice_get_one_booking_each(backend: Backend) {
    let app = booking_app(backend, 10).await;
    let now = at_ten(WEDNESDAY);
    let slots = service::day_slots(&app.state.db, &app.state.config.booking, "SB-004", "2026-12-03", now).await.expect("slots");
    let people = residents(&app, 50).await;
    let mut attempts = Vec::new();
    for resident in &people {
        // Each tries two different slots of the same day, with two different keys.
        for (n, slot) in slots.iter().take(2).enumerate() {
            let (state, resident, slot) = (app.state.clone(), *resident, slot.id);
            attempts.push(tokio::spawn(async move { service::book(&state, resident, &request(slot, &format!("k{resident}-{n}")), now).await }));
        }
    }
    for attempt in attempts {
        if let Err(err) = attempt.await.expect("task") {
            assert!(matches!(err, AppError::Conflict(Msg::ErrSlotFull | Msg::ErrBookingSameDay)), "{err:?}");
        }
    }
    let rows = booking::Entity::find().all(&app.state.db).await.expect("bookings");
    let mut who: Vec<i32> = rows.iter().map(|b| b.resident_id).collect();
    who.sort();
    who.dedup();
    assert_eq!(who.len(), rows.len(), "nobody has two bookings for the item that day");
    assert_eq!(rows.len(), 20, "both slots full, 10 each");
    assert_eq!(booked(&app, slots[0].id).await + booked(&app, slots[1].id).await, 20);
}

async fn a_repeated_submission_books_once(backend: Backend) {
    let app = booking_app(backend, 10).await;
    let now = at_ten(WEDNESDAY);
    let slot = first_slot(&app, "2026-12-03", now).await;
    let resident = residents(&app, 1).await[0];
    let twins: Vec<_> = (0..8)
        .map(|_| {
            let state = app.state.clone();
            tokio::spawn(async move { service::book(&state, resident, &request(slot, "same-form"), now).await })
        })
        .collect();
    let mut codes = Vec::new();
    for twin in twins {
        codes.push(twin.await.expect("task").expect("booked or replayed"));
    }
    codes.dedup();
    assert_eq!(codes.len(), 1, "every replay returns the same booking");
    let again = service::book(&app.state, resident, &request(slot, "same-form"), now).await.expect("replay");
    assert_eq!(again, codes[0]);
    assert_eq!((app.count("bookings").await, booked(&app, slot).await), (1, 1));
}

async fn a_full_slot_answers_from_memory_and_offers_a_freed_seat_again(backend: Backend) {
    let app = booking_app(backend, 2).await;
    let (other, queries) = app.counted_state().await;
    let now = at_ten(WEDNESDAY);
    let slot = first_slot(&app, "2026-12-03", now).await;
    let people = residents(&app, 3).await;
    let (a, b, c) = (people[0], people[1], people[2]);
    let code_a = service::book(&app.state, a, &request(slot, "a"), now).await.expect("a books");
    service::book(&other, b, &request(slot, "b"), now).await.expect("b books on the other server");

    // Both servers learn the slot is full: a newcomer is refused, a replay still gets
    // its booking.
    for state in [&app.state, &other] {
        assert_eq!(service::book(state, c, &request(slot, "c"), now).await, Err(AppError::Conflict(Msg::ErrSlotFull)));
        assert_eq!(service::book(state, a, &request(slot, "a"), now).await.as_deref(), Ok(code_a.as_str()), "a replay");
    }
    // From then on a server that knows answers both from memory, without a query
    // (the seats counter just read, it is not due for a second).
    other.watches.get(app::ssr::freshness::SEATS).read_now(&other.db).await.expect("seats counter");
    let before = queries.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(service::book(&other, c, &request(slot, "c"), now).await, Err(AppError::Conflict(Msg::ErrSlotFull)));
    assert_eq!(service::book(&other, a, &request(slot, "a"), now).await.as_deref(), Ok(code_a.as_str()));
    assert_eq!(queries.load(std::sync::atomic::Ordering::SeqCst), before, "answered from memory");
    assert_eq!((app.count("bookings").await, booked(&app, slot).await), (2, 2));

    // A cancellation on the first server frees the seat there at once, and on the
    // other within a second.
    let resident_a = app::ssr::auth::CurrentUser { id: a, session_id: 0, role: Role::Resident, station_id: None, name: None };
    service::cancel(&app.state, &resident_a, &code_a, now).await.expect("cancel");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let code_c = service::book(&other, c, &request(slot, "c"), now).await.expect("the freed seat is offered again");
    assert_ne!(code_c, code_a);
    assert_eq!(booked(&app, slot).await, 2);
    assert_eq!(service::book(&app.state, a, &request(slot, "a2"), now).await, Err(AppError::Conflict(Msg::ErrSlotFull)));
    assert_eq!(app.count("bookings").await, 3, "the cancelled booking stays on record");
}

async fn every_rule_refuses_in_chinese(backend: Backend) {
    let app = booking_app(backend, 1).await;
    let state = &app.state;
    let now = at_ten(WEDNESDAY);
    let people = residents(&app, 3).await;
    let (a, b, c) = (people[0], people[1], people[2]);
    let slots = service::day_slots(&state.db, &state.config.booking, "SB-004", "2026-12-03", now).await.expect("slots");
    let code = service::book(state, a, &request(slots[0].id, "a1"), now).await.expect("first booking");

    // Full slot; same item same day; outside the 1-7 day window; an unknown channel.
    assert_eq!(service::book(state, b, &request(slots[0].id, "b1"), now).await, Err(AppError::Conflict(Msg::ErrSlotFull)));
    assert_eq!(service::book(state, a, &request(slots[1].id, "a2"), now).await, Err(AppError::Conflict(Msg::ErrBookingSameDay)));
    let later = at_ten("2026-12-10");
    let far = first_slot(&app, "2026-12-11", later).await;
    match service::book(state, b, &request(far, "b2"), now).await {
        Err(AppError::Rejected(reasons)) => {
            assert_eq!(reasons, [Reason::from(BookingReason::OutsideWindow { min_days: 1, max_days: 7 })]);
            assert_eq!(reasons[0].zh(), "只能预约1至7天内的时段，请重新选择");
        }
        other => panic!("{other:?}"),
    }
    let mut video = request(slots[2].id, "b3");
    video.channel = "carrier-pigeon".into();
    assert_eq!(service::book(state, b, &video, now).await, Err(AppError::Conflict(Msg::ErrBookingChannel)));
    let mut station = request(slots[2].id, "b4");
    station.channel = "station".into();
    assert_eq!(service::book(state, b, &station, now).await, Err(AppError::Conflict(Msg::ErrBookingStation)));
    let mut not_bookable = request(slots[2].id, "b5");
    not_bookable.item_code = "MZ-001".into();
    assert_eq!(service::book(state, b, &not_bookable, now).await, Err(AppError::Conflict(Msg::ErrNotBookable)));

    // Cancelling: not within 2 hours of the slot; twice is harmless; the place frees up.
    let starts = booking::Entity::find().filter(booking::Column::Code.eq(&code)).one(&state.db).await.expect("q").expect("row").starts_at;
    let resident_a = app::ssr::auth::CurrentUser { id: a, session_id: 0, role: Role::Resident, station_id: None, name: None };
    match service::cancel(state, &resident_a, &code, starts - Duration::minutes(90)).await {
        Err(AppError::Rejected(reasons)) => assert_eq!(reasons, [Reason::from(BookingReason::TooLateToCancel { hours: 2 })]),
        other => panic!("{other:?}"),
    }
    // (As a request would: the freed seat is offered again on this server at once.)
    app.as_request(service::cancel(state, &resident_a, &code, now)).await.expect("cancel");
    app.as_request(service::cancel(state, &resident_a, &code, now)).await.expect("cancelling twice is harmless");
    assert_eq!(booked(&app, slots[0].id).await, 0);
    service::book(state, b, &request(slots[0].id, "b6"), now).await.expect("the freed place is bookable");

    // No-shows: a warning after the first; suspended at the second.
    for (n, day) in ["2026-11-20", "2026-11-25"].into_iter().enumerate() {
        booking::ActiveModel {
            code: Set(format!("NOSHOW{n}")),
            resident_id: Set(c),
            booked_by: Set(c),
            item_code: Set("SB-001".into()),
            item_name: Set("x".into()),
            slot_id: Set(slots[3].id),
            day: Set(NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day")),
            starts_at: Set(at_ten(day)),
            channel: Set(app::domain::Channel::Center),
            status: Set(app::domain::BookingStatus::NoShow),
            idempotency_key: Set(format!("ns{n}")),
            created_at: Set(at_ten(day)),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .expect("no-show");
        let options = service::options(&state.db, &state.config.booking, c, "SB-004", now).await.expect("options");
        if n == 0 {
            assert!(options.warning.as_ref().is_some_and(|w| w.zh().contains("1次预约未到")), "{:?}", options.warning);
            assert!(options.suspended.is_none());
        } else {
            assert_eq!(
                options.suspended.as_ref().map(|r| r.zh()).as_deref(),
                Some("您近30天内有2次预约未到，在线预约已暂停至2026年12月25日。如需办理，请直接到窗口取号。")
            );
        }
    }
    match service::book(state, c, &request(slots[4].id, "c1"), now).await {
        Err(AppError::Rejected(reasons)) => assert!(reasons[0].zh().contains("在线预约已暂停"), "{reasons:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(app.count("bookings").await, 4, "a's cancelled, b's, and c's two no-shows: nothing else written");
}

async fn the_calendar_closes_the_spring_festival_and_opens_adjusted_saturdays(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let resident = residents(&app, 1).await[0];
    let state = &app.state;
    // Thursday 2026-02-12: the window runs 02-13 to 02-19.
    let options = service::options(&state.db, &state.config.booking, resident, "SB-004", at_ten("2026-02-12")).await.expect("options");
    let open: Vec<(&str, bool)> = options.days.iter().map(|d| (d.date.as_str(), d.open)).collect();
    assert_eq!(
        open,
        vec![
            ("2026-02-13", true),
            ("2026-02-14", true),
            ("2026-02-15", false),
            ("2026-02-16", false),
            ("2026-02-17", false),
            ("2026-02-18", false),
            ("2026-02-19", false)
        ]
    );
    assert_eq!(app::time::day_label(options.days[1].day, app::i18n::Lang::Zh), "2月14日 周六");
    assert_eq!(app::time::day_label(options.days[1].day, app::i18n::Lang::En), "Sat 14 Feb");
    assert_eq!(options.days[1].left, 13 * 4, "13 half-hour slots of 4 on the adjusted Saturday");
    let slots: Vec<SlotOption> = service::day_slots(&state.db, &state.config.booking, "SB-004", "2026-02-14", at_ten("2026-02-12")).await.expect("slots");
    assert_eq!(slots.first().map(|s| s.time.as_str()), Some("09:00-09:30"), "China Standard Time");
    assert_eq!(slots.last().map(|s| s.time.as_str()), Some("16:30-17:00"));
    assert!(service::day_slots(&state.db, &state.config.booking, "SB-004", "2026-02-17", at_ten("2026-02-12")).await.expect("slots").is_empty());
}

async fn residents_book_through_the_app_and_see_only_their_own(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let alice = app.register("13800138001").await;
    let bob = app.register("13800138002").await;
    let clerk = app.user_with_role("13700000003", Role::Clerk).await;
    let helper = app.user_with_role("13700000002", Role::Helper).await;

    let options: BookingOptions = app.call("booking_options", &[("code", "SB-004")], Some(&alice)).await.json();
    let day = options.days.iter().find(|d| d.open && d.left > 0).expect("an open day").date.clone();
    let slots: Vec<SlotOption> = app.call("booking_slots", &[("code", "SB-004"), ("day", &day)], Some(&alice)).await.json();
    let slot = slots[0].id.to_string();
    let form = [("code", "SB-004"), ("slot", slot.as_str()), ("channel", "center"), ("station", ""), ("key", options.key.as_str())];
    let code: String = app.call("book", &form, Some(&alice)).await.json();
    let again: String = app.call("book", &form, Some(&alice)).await.json();
    assert_eq!(code, again, "a double tap books once");

    // Alice's page shows the code, the QR code and what to bring; the .ics is hers.
    let page = app.get(&format!("/bookings/{code}"), Some(&alice)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&code) && page.body.contains("<svg") && page.body.contains("居民身份证"), "code, QR and materials");
    let ics = app.get(&format!("/bookings/{code}/booking.ics"), Some(&alice)).await;
    assert_eq!(ics.header("content-type"), Some("text/calendar; charset=utf-8"));
    assert!(ics.body.contains("BEGIN:VEVENT") && ics.body.contains(&format!("UID:{code}@bianmin")) && ics.body.contains("DTSTART:"));
    // RFC 5545: CRLF line ends, long text folded onto continuation lines (the crate
    // folds at 75 octets; a last continuation can carry one more).
    assert!(ics.body.ends_with("\r\n") && ics.body.split("\r\n").all(|line| line.len() <= 76), "{}", ics.body);
    assert!(ics.body.contains("BEGIN:VALARM"));
    let mine: MyBookings = app.call("my_bookings", &[], Some(&alice)).await.json();
    assert_eq!(mine.upcoming.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), vec![code.as_str()]);

    // Bob sees none of it and cannot cancel it; the clerk can look it up; a helper cannot.
    assert_eq!(app.call("booking", &[("code", &code)], Some(&bob)).await.app_error(), AppError::NotFound);
    assert_eq!(app.call("booking_cancel", &[("code", &code)], Some(&bob)).await.app_error(), AppError::NotFound);
    assert_eq!(app.get(&format!("/bookings/{code}/booking.ics"), Some(&bob)).await.status, StatusCode::NOT_FOUND);
    assert!(app.call("my_bookings", &[], Some(&bob)).await.json::<MyBookings>().upcoming.is_empty());
    let seen: BookingView = app.call("booking", &[("code", &code.to_lowercase())], Some(&clerk)).await.json();
    assert_eq!(seen.code, code);
    assert_eq!(app.call("booking", &[("code", &code)], Some(&helper)).await.app_error(), AppError::NotFound);
    // Only residents see booking options and slots.
    for endpoint in ["booking_options", "booking_slots"] {
        let form = [("code", "SB-004"), ("day", day.as_str())];
        assert_eq!(app.call(endpoint, &form, Some(&clerk)).await.app_error(), AppError::Forbidden, "{endpoint}");
        assert!(matches!(app.call(endpoint, &form, None).await.app_error(), AppError::Unauthorized(_)), "{endpoint}");
    }
    // Staff cannot book as residents; nobody books signed out.
    assert_eq!(app.call("book", &form, Some(&clerk)).await.app_error(), AppError::Forbidden);
    assert!(matches!(app.call("book", &form, None).await.app_error(), AppError::Unauthorized(_)));
    assert_eq!(app.count("bookings").await, 1);

    let res = app.call("booking_cancel", &[("code", &code)], Some(&alice)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let view: BookingView = app.call("booking", &[("code", &code)], Some(&alice)).await.json();
    assert_eq!(view.status, app::booking::Status::Cancelled);
}

async fn emails_confirm_remind_once_and_cancel(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let resident = residents(&app, 1).await[0];
    let mut row: user::ActiveModel = user::Entity::find_by_id(resident).one(&app.state.db).await.expect("q").expect("user").into();
    row.email = Set(Some("wang@example.com".into()));
    row.update(&app.state.db).await.expect("email");
    let now = at_ten(WEDNESDAY);
    let slot = first_slot(&app, "2026-12-03", now).await;
    let code = service::book(&app.state, resident, &request(slot, "e1"), now).await.expect("book");
    let sent = app.state.mailer.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "wang@example.com");
    assert!(sent[0].email.subject.starts_with("预约成功：社会保障卡申领"), "{}", sent[0].email.subject);
    assert!(sent[0].email.text.contains(&code) && sent[0].email.text.contains("2026年12月03日（周四）09:00-09:30"));

    // The reminder job, the day before at 10:00: sends once, whoever runs it again.
    let reminder_time = at_ten(WEDNESDAY);
    assert_eq!(app::jobs::run_booking_jobs(&app.state, "server-a", reminder_time).await.expect("jobs"), Some((0, 1)));
    assert_eq!(app::jobs::run_booking_jobs(&app.state, "server-b", reminder_time).await.expect("jobs"), None, "lease held by a");
    assert_eq!(app::jobs::run_booking_jobs(&app.state, "server-a", reminder_time + Duration::minutes(1)).await.expect("jobs"), Some((0, 0)));
    assert_eq!(
        app::jobs::run_booking_jobs(&app.state, "server-b", reminder_time + Duration::minutes(10)).await.expect("jobs"),
        Some((0, 0)),
        "after expiry, b; still nothing twice"
    );
    let sent = app.state.mailer.sent();
    assert_eq!(sent.iter().filter(|m| m.email.subject.starts_with("明天办事提醒")).count(), 1);

    let user = app::ssr::auth::CurrentUser { id: resident, session_id: 0, role: Role::Resident, station_id: None, name: None };
    service::cancel(&app.state, &user, &code, now).await.expect("cancel");
    assert!(app.state.mailer.sent().last().is_some_and(|m| m.email.subject.starts_with("预约已取消")));

    // A booking nobody came to becomes a no-show once its slot has ended.
    let other = service::book(&app.state, resident, &BookRequest { item_code: "SB-001".into(), ..request(slot + 1, "e2") }, now).await;
    let other = other.expect("book SB-001");
    let after = at_ten("2026-12-03") + Duration::hours(8);
    assert_eq!(app::jobs::run_booking_jobs(&app.state, "server-a", after).await.expect("jobs"), Some((1, 0)));
    let row = booking::Entity::find().filter(booking::Column::Code.eq(&other)).one(&app.state.db).await.expect("q").expect("row");
    assert_eq!(row.status, app::domain::BookingStatus::NoShow);
}

async fn one_server_holds_the_job_lease(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = Utc::now();
    let ttl = Duration::minutes(5);
    let take = |holder: &'static str, at: DateTime<Utc>| {
        let db = app.state.db.clone();
        async move { app::jobs::take_lease(&db, "test-job", holder, ttl, at).await.expect("lease") }
    };
    let racers: Vec<_> = (0..10)
        .map(|n| {
            let db = app.state.db.clone();
            tokio::spawn(async move { app::jobs::take_lease(&db, "race", if n % 2 == 0 { "x" } else { "y" }, ttl, now).await.expect("lease") })
        })
        .collect();
    let mut winners = Vec::new();
    for (n, racer) in racers.into_iter().enumerate() {
        if racer.await.expect("task") {
            winners.push(if n % 2 == 0 { "x" } else { "y" });
        }
    }
    winners.sort();
    winners.dedup();
    assert_eq!(winners.len(), 1, "one holder wins the race: {winners:?}");
    assert!(take("a", now).await);
    assert!(!take("b", now + Duration::minutes(1)).await);
    assert!(take("a", now + Duration::minutes(2)).await, "the holder renews");
    assert!(take("b", now + Duration::minutes(8)).await, "expired: another takes it");
}

/// A booking at a station that was closed that day cannot be missed (no one could check
/// it in), nor can one on a day made a holiday after it was booked (closed for
/// everyone). The chief sees whom to call about the holiday. (Stations that were open
/// follow the station rule: see `stations::station_bookings_are_checked_in…`.)
async fn the_no_show_job_spares_station_bookings_and_days_made_holidays(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let people = residents(&app, 3).await;
    let now = at_ten(WEDNESDAY);
    let thursday = first_slot(&app, "2026-12-03", now).await;
    let friday = first_slot(&app, "2026-12-04", now).await;
    let at_center = service::book(&app.state, people[0], &request(thursday, "c1"), now).await.expect("center");
    let at_station = service::book(&app.state, people[1], &request(thursday, "s1"), now).await.expect("booked");
    let station = app.station().await;
    let mut row: booking::ActiveModel =
        booking::Entity::find().filter(booking::Column::Code.eq(&at_station)).one(&app.state.db).await.expect("q").expect("row").into();
    row.channel = Set(app::domain::Channel::Station);
    row.station_id = Set(Some(station));
    row.update(&app.state.db).await.expect("station booking");
    // The station closed before that day.
    let mut closed: app::ssr::entities::station::ActiveModel =
        app::ssr::entities::station::Entity::find_by_id(station).one(&app.state.db).await.expect("q").expect("station").into();
    closed.closed_at = Set(Some(now));
    closed.update(&app.state.db).await.expect("close the station");
    let on_holiday = service::book(&app.state, people[2], &request(friday, "h1"), now).await.expect("friday");
    // Friday becomes a holiday after it was booked.
    service::save_holiday(&app.state.db, "2026-12-04", app::calendar::DayKind::Holiday, "临时调整", 1).await.expect("holiday");

    let after = at_ten("2026-12-05");
    assert_eq!(app::jobs::run_booking_jobs(&app.state, "server-a", after).await.expect("jobs"), Some((1, 0)));
    let status = |code: String| {
        let db = app.state.db.clone();
        async move { booking::Entity::find().filter(booking::Column::Code.eq(code)).one(&db).await.expect("q").expect("row").status }
    };
    assert_eq!(status(at_center).await, app::domain::BookingStatus::NoShow);
    assert_eq!(status(at_station.clone()).await, app::domain::BookingStatus::Booked, "the station was closed: no one could check it in");
    assert_eq!(status(on_holiday.clone()).await, app::domain::BookingStatus::Booked, "the center was closed that day");

    let affected = service::bookings_on_closed_days(&app.state.db, after).await.expect("list");
    assert_eq!(affected.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), vec![on_holiday.as_str()]);
    assert_eq!((affected[0].resident.as_str(), affected[0].phone.as_str()), ("居民2", "13500000002"));
    let chief = app.user_with_role("13800000009", Role::Chief).await;
    let page = app.get("/staff/schedules", Some(&chief)).await;
    assert!(page.body.contains("放假日已有的预约") && page.body.contains("13500000002") && page.body.contains(&on_holiday), "listed on 排班与日历");
}

/// A year of history must not stop the jobs: the no-show step reads only recent slots
/// in bounded batches (a 100,000-item `IN` list broke both databases), and the
/// reminders run whatever the step before them did.
async fn the_jobs_run_over_a_hundred_thousand_past_slots(backend: Backend) {
    let app = booking_app(backend, 4).await;
    let people = residents(&app, 2).await;
    let now = at_ten(WEDNESDAY);
    let thursday = first_slot(&app, "2026-12-03", now).await;
    let friday = first_slot(&app, "2026-12-04", now).await;
    let schedule = slot::Entity::find_by_id(thursday).one(&app.state.db).await.expect("q").expect("slot").schedule_id;
    let start = Utc.with_ymd_and_hms(2020, 1, 1, 1, 0, 0).single().expect("instant");
    for chunk in 0..100 {
        let rows = (0..1000).map(|i| {
            let at = start + Duration::minutes(30 * (chunk * 1000 + i));
            slot::ActiveModel {
                schedule_id: Set(schedule),
                day: Set(at.date_naive()),
                starts_at: Set(at),
                ends_at: Set(at + Duration::minutes(30)),
                capacity: Set(1),
                booked: Set(1),
                ..Default::default()
            }
        });
        slot::Entity::insert_many(rows).exec_without_returning(&app.state.db).await.expect("past slots");
    }
    service::book(&app.state, people[0], &request(thursday, "t1"), now).await.expect("thursday");
    service::book(&app.state, people[1], &request(friday, "f1"), now).await.expect("friday");
    // Thursday 18:00: Thursday's booking was missed, Friday's is reminded.
    let evening = at_ten("2026-12-03") + Duration::hours(8);
    assert_eq!(app::jobs::run_booking_jobs(&app.state, "server-a", evening).await.expect("jobs"), Some((1, 1)));
}

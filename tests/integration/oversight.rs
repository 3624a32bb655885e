//! Oversight: every figure against a direct count or a hand count on a hand-built
//! fixture (a case completed late on its deadline day, one late across the National
//! Day holiday and its 调休 Saturday, rated and unrated cases, a window visit, a
//! no-show), the records behind a figure saying why, and who may see which figures.

use crate::helpers::*;
use crate::on_both_databases;
use crate::ratings::{completed, rate};
use app::domain::{BookingStatus, Role};
use app::error::AppError;
use app::oversight::service;
use app::oversight::{Figure, Period, Preset, Scope, Why};
use app::ssr::entities::{booking, case};
use axum::http::StatusCode;
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use test_support::cases::{current, world};

on_both_databases!(
    figures_equal_their_direct_counts,
    each_sees_only_their_own_figures,
    the_dashboard_draws_its_charts_on_the_server,
    exports_open_in_a_spreadsheet_and_follow_the_permissions,
);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Moves a completed case's deadline and completion to the given China times.
async fn backdate(app: &TestApp, number: &str, deadline: NaiveDate, completed: (i32, u32, u32, u32, u32)) {
    let (y, m, d, hh, mm) = completed;
    let at = app::time::cst().with_ymd_and_hms(y, m, d, hh, mm, 0).single().expect("time").with_timezone(&Utc);
    case::Entity::update_many()
        .col_expr(case::Column::Deadline, Expr::value(deadline))
        .col_expr(case::Column::CompletedAt, Expr::value(at))
        .filter(case::Column::Number.eq(number))
        .exec(&app.state.db)
        .await
        .expect("backdate");
}

fn autumn() -> Period {
    Period { from: day(2026, 9, 1), to: day(2026, 12, 31), preset: None }
}

async fn figures_equal_their_direct_counts(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let (a, b, c, d) = (completed(&w, "a").await, completed(&w, "b").await, completed(&w, "c").await, completed(&w, "d").await);
    // Rated while the rating period is open; B and D are never rated.
    assert_eq!(rate(app, &w.resident, "case", &a, "5", false).await.status, StatusCode::OK);
    assert_eq!(rate(app, &w.resident, "case", &c, "2", false).await.status, StatusCode::OK);
    // A: completed at 23:30 on its deadline day (China time) — on time.
    backdate(app, &a, day(2026, 11, 20), (2026, 11, 20, 23, 30)).await;
    // B: due Wed 30 Sep, completed Sat 10 Oct, a 调休 working day: 8, 9 and 10 Oct
    // are worked (1–7 Oct are the holiday), so three working days late.
    backdate(app, &b, day(2026, 9, 30), (2026, 10, 10, 10, 0)).await;
    // C: due Fri 20 Nov, completed 00:10 on Mon 23 Nov — one working day late.
    backdate(app, &c, day(2026, 11, 20), (2026, 11, 23, 0, 10)).await;
    // D: completed now, well within its deadline.
    // A window visit and a no-show.
    let (clerk, window) = test_support::queue::clerk_with_window(app, "13700000031", "9号窗口").await;
    app::queue::service::walk_in(&app.state, &clerk, "咨询", false, Utc::now()).await.expect("ticket");
    app::queue::service::call_next(&app.state, &clerk, window, Utc::now()).await.expect("call");
    app::queue::service::finish(&app.state, &clerk, window, app::queue::Outcome::Served, Utc::now()).await.expect("served");

    let chief = current(app, "13700000015").await;
    let dash = service::dashboard(&app.state.db, &chief, autumn(), Utc::now()).await.expect("dashboard");
    let f = &dash.figures;
    assert_eq!(dash.scope, Scope::Center);
    assert_eq!(f.completed as i64, app.count("cases WHERE status = 'completed'").await);
    assert_eq!((f.completed, f.completed_on_time), (4, 2), "A on its deadline day and D count; B and C are late");
    assert_eq!(f.on_time_rate(), Some(50.0));
    assert_eq!(f.ratings.completed_rated as i64, app.count("ratings WHERE round = 1 AND case_id IS NOT NULL").await);
    assert_eq!(f.ratings.evaluation_rate(), Some(50.0));
    assert_eq!((f.ratings.ratings, f.ratings.satisfied), (2, 1));
    assert_eq!(f.ratings.levels, [1, 0, 0, 1, 0]);
    assert_eq!(f.visits as i64, app.count("queue_tickets WHERE status = 'served'").await);
    assert_eq!(f.visits, 1);
    assert_eq!(f.calls, 1);
    assert_eq!(f.cases_accepted as i64, app.count("cases WHERE accepted_at IS NOT NULL").await);
    assert_eq!(f.second_notices as i64, app.count("supplement_notices WHERE extra = TRUE").await);
    assert_eq!(f.rectifications_due as i64, app.count("rectifications").await, "C's bad rating opened one, due within the period");
    assert_eq!((f.rectifications_due, f.rectifications_on_time), (1, 0), "not fixed yet");
    assert!(f.working_days > 50, "September to today has over 50 working days: {}", f.working_days);
    // The breakdown by item adds up to the total, and the trend lines to theirs.
    assert_eq!(dash.by_item.iter().map(|r| r.completed).sum::<u64>(), f.completed);
    assert_eq!(dash.daily.iter().map(|p| p.completed).sum::<u64>(), f.completed);
    assert_eq!(dash.daily.iter().map(|p| p.visits).sum::<u64>(), f.visits);
    assert_eq!(dash.by_window.iter().find(|r| r.label == "9号窗口").map(|r| r.other), Some(1));

    // The records behind the on-time rate say why each case counts or not.
    let on_time = service::records(&app.state.db, &chief, Figure::OnTime, autumn()).await.expect("records");
    let why = |n: &str| on_time.rows.iter().find(|r| r.key == n).map(|r| (r.counts, r.why.clone())).expect("row");
    assert_eq!(why(&a), (true, Why::OnTime { deadline: day(2026, 11, 20), completed: day(2026, 11, 20) }));
    assert_eq!(why(&b), (false, Why::Late { deadline: day(2026, 9, 30), completed: day(2026, 10, 10), days: 3 }));
    assert_eq!(why(&c), (false, Why::Late { deadline: day(2026, 11, 20), completed: day(2026, 11, 23), days: 1 }));
    assert!(why(&d).0);
    assert_eq!(on_time.rows.iter().filter(|r| r.counts).count() as u64, f.completed_on_time);
    let rated = service::records(&app.state.db, &chief, Figure::Evaluation, autumn()).await.expect("records");
    assert_eq!(rated.rows.iter().filter(|r| r.counts).count() as u64, f.ratings.completed_rated);
    assert!(rated.rows.iter().any(|r| r.key == b && r.why == Why::NotRated));

    // A period that holds none of it counts none of it.
    let summer = Period { from: day(2026, 6, 1), to: day(2026, 6, 30), preset: None };
    let empty = service::dashboard(&app.state.db, &chief, summer, Utc::now()).await.expect("dashboard");
    assert_eq!((empty.figures.completed, empty.figures.on_time_rate()), (0, None));

    // No booking was missed: the no-show list is as empty as the count.
    let bookings = booking::Entity::find().all(&app.state.db).await.expect("bookings");
    assert!(bookings.iter().all(|b| b.status != BookingStatus::NoShow));
    let shows = service::records(&app.state.db, &chief, Figure::NoShows, autumn()).await.expect("records");
    assert_eq!(shows.rows.len() as u64, dash.figures.no_shows);

    // The public page shows this year's figures from the same module.
    let public = service::public_figures(&app.state.db, Utc::now()).await.expect("public");
    assert_eq!(public.year.completed, 4);
    assert_eq!(public.year.on_time_rate(), Some(50.0));
}

async fn each_sees_only_their_own_figures(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let mine = completed(&w, "mine").await;
    let handler = app.user_with_role("13700000021", Role::Handler).await;
    let helper = app.user_with_role("13700000041", Role::Helper).await;

    // Residents, helpers and visitors get no figures; the records page likewise.
    for who in [Some(w.resident.as_str()), Some(helper.as_str())] {
        assert_eq!(app.call("dashboard", &[], who).await.app_error(), AppError::Forbidden);
        assert_eq!(app.call("figure_records", &[("figure", "on_time")], who).await.app_error(), AppError::Forbidden);
    }
    assert_eq!(app.call("dashboard", &[], None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call("figure_records", &[("figure", "nonsense")], Some(&w.chief)).await.app_error(), AppError::BadRequest);
    assert!(matches!(app.call("dashboard", &[("from", "2026-12-31"), ("to", "2026-01-01")], Some(&w.chief)).await.app_error(), AppError::Rejected(_)));

    // The clerk who completed the case sees it as theirs; another clerk sees none.
    let own: app::oversight::Dashboard = app.call("dashboard", &[("preset", "this_year")], Some(&w.clerk)).await.json();
    assert!(matches!(own.scope, Scope::Own(_)));
    assert_eq!(own.figures.completed, 1);
    let other = app.user_with_role("13700000012", Role::Clerk).await;
    let theirs: app::oversight::Dashboard = app.call("dashboard", &[("preset", "this_year")], Some(&other)).await.json();
    assert_eq!((theirs.figures.completed, theirs.figures.bookings), (0, 0));
    let records: app::oversight::FigureRecords = app.call("figure_records", &[("figure", "on_time"), ("preset", "this_year")], Some(&other)).await.json();
    assert!(records.rows.is_empty(), "not their case");
    let records: app::oversight::FigureRecords = app.call("figure_records", &[("figure", "on_time"), ("preset", "this_year")], Some(&w.clerk)).await.json();
    assert_eq!(records.rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), vec![mine.as_str()]);
    // A handler sees feedback figures only; the chief the whole center.
    let desk: app::oversight::Dashboard = app.call("dashboard", &[("preset", "this_year")], Some(&handler)).await.json();
    assert_eq!(desk.figures.completed, 0);
    let all: app::oversight::Dashboard = app.call("dashboard", &[("preset", "this_year")], Some(&w.chief)).await.json();
    assert_eq!((all.scope, all.figures.completed), (Scope::Center, 1));
    assert_eq!(all.period.preset, Some(Preset::ThisYear));
    // Anyone reads the public figures.
    let public: app::oversight::PublicFigures = app.call("public_figures", &[], None).await.json();
    assert_eq!(public.year.completed, 1);
}

async fn the_dashboard_draws_its_charts_on_the_server(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    completed(&w, "chart").await;
    let page = app.get("/staff/dashboard?preset=this_month", Some(&w.chief)).await;
    assert_eq!(page.status, StatusCode::OK);
    for part in ["id=\"chart-trend\"", "<svg", "<polyline", "id=\"chart-levels\"", "class=\"visually-hidden\"", "id=\"fig-on-time\"", "100.0%"] {
        assert!(page.body.contains(part), "{part} on the dashboard");
    }
    let records = app.get("/staff/dashboard/records?figure=on_time&preset=this_month", Some(&w.chief)).await;
    assert!(records.body.contains("id=\"records-count\"") && records.body.contains("1 / 1"), "the records page");
    let public = app.get("/public", None).await;
    assert!(public.body.contains("id=\"public-figures\"") && public.body.contains("100.0%"), "live figures on 四个公开");
    let resident = app.get("/staff/dashboard", Some(&w.resident)).await;
    assert!(!resident.body.contains("id=\"fig-on-time\""), "no figures for a resident");
}

async fn exports_open_in_a_spreadsheet_and_follow_the_permissions(backend: Backend) {
    use calamine::{Data, Reader, Xlsx};
    let w = world(backend).await;
    let app = &w.app;
    let number = completed(&w, "export").await;

    // CSV: a byte-order mark, Chinese headers, one line per record.
    let csv = app.get("/staff/dashboard/records/export.csv?figure=on_time&preset=this_year", Some(&w.chief)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/csv")));
    assert!(csv.raw.starts_with("\u{feff}".as_bytes()), "UTF-8 with BOM");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "编号,名称,是否计入,依据");
    assert!(lines[1].starts_with(&format!("{number},")) && lines[1].contains(",计入,"), "{lines:?}");

    // XLSX: the figures sheet and one sheet per breakdown, all cells text.
    let xlsx = app.get("/staff/dashboard/export.xlsx?preset=this_year", Some(&w.chief)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.raw.clone())).expect("an xlsx file");
    assert_eq!(book.sheet_names(), vec!["数据看板", "按事项", "按类别", "按服务站", "按窗口", "按工作人员"]);
    let figures = book.worksheet_range("数据看板").expect("sheet");
    let cell = |r: u32, c: u32| figures.get_value((r, c)).cloned();
    assert_eq!(cell(0, 0), Some(Data::String("指标".into())));
    assert_eq!((cell(1, 0), cell(1, 1)), (Some(Data::String("按时办结率".into())), Some(Data::String("100.0%".into()))));

    // The same permissions as the pages.
    for who in [Some(w.resident.as_str()), None] {
        for path in ["/staff/dashboard/export.xlsx", "/staff/dashboard/export.csv", "/staff/dashboard/records/export.csv?figure=on_time"] {
            let res = app.get(path, who).await;
            assert!(matches!(res.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED), "{path}: {}", res.status);
            assert!(!res.body.contains(&number));
        }
    }
    let other = app.user_with_role("13700000012", Role::Clerk).await;
    let theirs = app.get("/staff/dashboard/records/export.csv?figure=on_time&preset=this_year", Some(&other)).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains(&number), "another clerk's export holds none of this clerk's cases");
    assert_eq!(app.get("/staff/dashboard/records/export.csv?figure=nonsense", Some(&w.chief)).await.status, StatusCode::BAD_REQUEST);
}

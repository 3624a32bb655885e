//! The booking rush against a real server process.

use super::*;

/// A real `server serve` process on a fresh database and a free loopback port.
pub(super) struct ServerProcess {
    pub(super) child: tokio::process::Child,
    pub(super) pid: u32,
    pub(super) addr: SocketAddr,
    pub(super) url: String,
    pub(super) cleanup: helpers::Cleanup,
}

pub(super) async fn start_server(backend: Backend) -> ServerProcess {
    start_server_with(backend, &[]).await
}

pub(super) async fn start_server_with(backend: Backend, env: &[(&str, &str)]) -> ServerProcess {
    let (url, cleanup) = helpers::fresh_database(backend).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    // `BIANMIN_BENCH_SERVER` runs another build of the server (e.g. another allocator).
    let bin = std::env::var("BIANMIN_BENCH_SERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_server").to_owned());
    let child = tokio::process::Command::new(bin)
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("BIANMIN_DATA_DIR", &cleanup.dir)
        .env("BIANMIN_MAIL", "memory")
        .env("BIANMIN_SECRET_KEY", "42".repeat(32))
        .env("BIANMIN_BIND", addr.to_string())
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    let pid = child.id().expect("pid");
    let mut up = false;
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "server did not start");
    ServerProcess { child, pid, addr, url, cleanup }
}

/// Booking rush: `RUSH_CLIENTS` signed-in residents, each on its own connection to a
/// real `server serve` process, book the same 50-seat slot at once. With `page_open`
/// each has first opened the booking page (one untimed page view), as when people wait
/// for the hour; without it every tap is its session's first request, so the server
/// reads every session from the database (shown for comparison, no targets). Compared, in the same
/// run, with the database's own rate for the conditional update that guards capacity.
pub(super) const RUSH_CLIENTS: usize = 1000;
pub(super) const RUSH_SEATS: i32 = 50;

pub(super) async fn rush(backend: Backend, page_open: bool, out: &mut String) {
    use app::booking::service as booking;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let db_name = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let bench = if page_open {
        format!("booking rush ({RUSH_CLIENTS} clients with the page open, {RUSH_SEATS} seats)")
    } else {
        format!("booking rush ({RUSH_CLIENTS} clients, each tap a session's first request, {RUSH_SEATS} seats)")
    };
    let target = |figure: &str, target: &str| if page_open { format!("{figure} ({target})") } else { figure.to_owned() };
    let ServerProcess { mut child, pid, addr, url, cleanup } = start_server(backend).await;

    // Fixtures straight into the database the server uses.
    let db = app::ssr::db::connect(&url).await.expect("connect");
    let config = helpers::test_config(&url, &cleanup.dir, &[]);
    app::guides::service::seed_demo_catalogue(&db).await.expect("catalogue");
    let input = booking::ScheduleInput {
        name: "抢号".into(),
        window_id: None,
        weekdays: "1234567".into(),
        periods: "09:00-13:00".into(),
        slot_minutes: 240,
        capacity: RUSH_SEATS,
        item_codes: "SB-004".into(),
    };
    booking::save_schedule(&db, None, &input, None, chrono::Utc::now()).await.expect("schedule");
    let now = chrono::Utc::now();
    let rules = app::booking::BookingRules::default();
    let mut slot_id = None;
    for ahead in 1..=7 {
        let day = (booking::cst_today(now) + chrono::Duration::days(ahead)).to_string();
        if let Some(slot) = booking::day_slots(&db, &rules, "SB-004", &day, now).await.expect("slots").first() {
            slot_id = Some(slot.id);
            break;
        }
    }
    let slot_id = slot_id.expect("an open day within a week");
    let mut cookies = Vec::with_capacity(RUSH_CLIENTS);
    for n in 0..RUSH_CLIENTS {
        let resident = helpers::insert_user(&db, &format!("139{n:08}"), None, app::domain::Role::Resident).await;
        let token = app::accounts::service::insert_session(&db, &config, resident).await.expect("session");
        cookies.push(format!("bm_session={token}"));
    }

    // Every client connects first, then all send at once.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RUSH_CLIENTS + 1));
    let clients: Vec<_> = cookies
        .into_iter()
        .enumerate()
        .map(|(n, cookie)| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
                let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
                tokio::spawn(conn);
                if page_open {
                    // Signed in, the booking page open, waiting for the hour.
                    let page = Request::get("/booking?item=SB-004")
                        .header(header::HOST, addr.to_string())
                        .header(header::COOKIE, &cookie)
                        .body(Body::empty())
                        .expect("request");
                    let opened = sender.send_request(page).await.expect("booking page");
                    assert_eq!(opened.status(), hyper::StatusCode::OK, "booking page");
                    opened.into_body().collect().await.expect("page");
                }
                let body = format!("code=SB-004&slot={slot_id}&channel=center&station=&key=rush-{n}");
                let request = Request::post("/api/book")
                    .header(header::HOST, addr.to_string())
                    .header(header::ORIGIN, format!("http://{addr}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .header(header::COOKIE, &cookie)
                    .body(Body::from(body))
                    .expect("request");
                barrier.wait().await;
                let started = Instant::now();
                let response = sender.send_request(request).await.expect("response");
                let status = response.status();
                response.into_body().collect().await.expect("body");
                (status, started.elapsed())
            })
        })
        .collect();
    barrier.wait().await;
    let pg_before = postgres_cpu_ms();
    let me_before = cpu_ms(std::process::id());
    let cpu_before = cpu_ms(pid);
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(RUSH_CLIENTS);
    let (mut made, mut full, mut other) = (0, 0, 0);
    for client in clients {
        let (status, took) = client.await.expect("client");
        latencies.push(took);
        match status.as_u16() {
            200 => made += 1,
            409 => full += 1,
            _ => other += 1,
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = cpu_ms(pid) - cpu_before;
    let database_cpu = postgres_cpu_ms() - pg_before;
    let client_cpu = cpu_ms(std::process::id()) - me_before;
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    let peak_kib = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<u64>().ok()))
        .unwrap_or(0);
    let _ = child.kill().await;
    let rows = app::ssr::entities::booking::Entity::find().filter(app::ssr::entities::booking::Column::SlotId.eq(slot_id)).all(&db).await.expect("bookings");
    let booked = app::ssr::entities::slot::Entity::find_by_id(slot_id).one(&db).await.expect("slot").expect("slot").booked;
    let oversells = (rows.len() as i64 - i64::from(RUSH_SEATS)).max(0) + i64::from((booked - RUSH_SEATS).max(0));
    assert_eq!(oversells, 0, "never more bookings than seats");
    assert_eq!((made, rows.len()), (RUSH_SEATS as usize, RUSH_SEATS as usize), "every seat taken once ({full} full, {other} other)");
    assert_eq!(other, 0, "every other request is a clear refusal");
    let app_rate = RUSH_CLIENTS as f64 / elapsed;

    // The database's own rate for the guarding update, one transaction each, with as
    // many concurrent writers as the rush had pool connections.
    let raw_slot = app::ssr::entities::slot::ActiveModel {
        schedule_id: Set(1),
        day: Set(booking::cst_today(now) + chrono::Duration::days(30)),
        starts_at: Set(now + chrono::Duration::days(30)),
        ends_at: Set(now + chrono::Duration::days(30) + chrono::Duration::minutes(30)),
        capacity: Set(i32::MAX),
        booked: Set(0),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("raw slot")
    .id;
    let deadline = Instant::now() + Duration::from_secs(3);
    let writers: Vec<_> = (0..32)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                use app::ssr::entities::slot;
                use sea_orm::sea_query::{Expr, ExprTrait};
                let mut done = 0u64;
                while Instant::now() < deadline {
                    let txn = app::ssr::db::begin_write(&db).await.expect("txn");
                    slot::Entity::update_many()
                        .col_expr(slot::Column::Booked, Expr::col(slot::Column::Booked).add(1))
                        .filter(slot::Column::Id.eq(raw_slot))
                        .filter(Expr::col(slot::Column::Booked).lt(Expr::col(slot::Column::Capacity)))
                        .exec(&txn)
                        .await
                        .expect("update");
                    txn.commit().await.expect("commit");
                    done += 1;
                }
                done
            })
        })
        .collect();
    let raw_started = Instant::now();
    let mut raw = 0u64;
    for writer in writers {
        raw += writer.await.expect("writer");
    }
    let raw_rate = raw as f64 / raw_started.elapsed().as_secs_f64();

    row(out, &bench, db_name, "bookings made (must be 50)", made.to_string(), "bookings");
    row(out, &bench, db_name, "oversells (must be 0)", oversells.to_string(), "bookings");
    row(out, &bench, db_name, "refused as full", full.to_string(), "requests");
    row(out, &bench, db_name, "latency p50", format!("{:.1}", pct(0.5)), "ms");
    row(out, &bench, db_name, &target("latency p99", "target < 250"), format!("{:.1}", pct(0.99)), "ms");
    row(out, &bench, db_name, "throughput", format!("{app_rate:.0}"), "requests/s");
    row(out, &bench, db_name, "raw conditional update, 1 per transaction (32 writers)", format!("{raw_rate:.0}"), "updates/s");
    row(out, &bench, db_name, &target("ratio to raw database rate", "target >= 50"), format!("{:.1}", 100.0 * app_rate / raw_rate), "%");
    row(out, &bench, db_name, "server CPU per request", format!("{:.3}", server_cpu / RUSH_CLIENTS as f64), "ms");
    row(out, &bench, db_name, "server CPU busy during the rush (of 2 cores = 200)", format!("{:.0}", 100.0 * server_cpu / 1000.0 / elapsed), "%");
    if backend == Backend::Postgres {
        row(out, &bench, db_name, "PostgreSQL server processes' CPU per request", format!("{:.3}", database_cpu / RUSH_CLIENTS as f64), "ms");
    }
    row(out, &bench, db_name, "client (1000 connections) CPU per request", format!("{:.3}", client_cpu / RUSH_CLIENTS as f64), "ms");
    row(out, &bench, db_name, "server peak memory (VmHWM)", format!("{:.1}", peak_kib as f64 / 1024.0), "MiB");
    drop(cleanup);
}

//! `bash .ci/bench`: HTTP benchmarks over loopback TCP, on SQLite and PostgreSQL.
//!
//! Each page is compared, in the same run, with a ceiling: axum returning the very same
//! bytes from memory over the same kind of connection. The machines are noisy, so the
//! ratio to that ceiling is the figure to watch; absolute numbers are for context.
//! Results are appended to BENCHMARKS.md as one table row per figure.

#[path = "../../tests/integration/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, header};
use helpers::{Backend, PASSWORD, spawn_app};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 16;
const DURATION: Duration = Duration::from_secs(4);

struct Load {
    requests: usize,
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    addr
}

/// `CONNECTIONS` keep-alive connections send GET `path` for `DURATION`; bounded in time.
async fn load(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Load {
    let deadline = Instant::now() + DURATION;
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (path, cookie) = (path.to_owned(), cookie.map(str::to_owned));
            tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
                let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
                tokio::spawn(conn);
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let mut request = Request::get(&path).header(header::HOST, addr.to_string());
                    if let Some(cookie) = &cookie {
                        request = request.header(header::COOKIE, cookie);
                    }
                    let started = Instant::now();
                    let response = sender.send_request(request.body(Body::empty()).expect("request")).await.expect("response");
                    assert!(response.status().is_success(), "{path}: {}", response.status());
                    response.into_body().collect().await.expect("body");
                    latencies.push(started.elapsed());
                }
                latencies
            })
        })
        .collect();
    let started = Instant::now();
    let mut all: Vec<Duration> = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("load task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0);
    Load { requests: all.len(), per_sec: all.len() as f64 / elapsed, p50_ms: pct(0.50), p99_ms: pct(0.99) }
}

/// The ceiling for a page: the same bytes and content type, straight from memory.
async fn ceiling(bytes: Bytes) -> SocketAddr {
    let router = Router::new().fallback(move || {
        let bytes = bytes.clone();
        async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes) }
    });
    serve(router).await
}

async fn fetch(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Bytes {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(conn);
    let mut request = Request::get(path).header(header::HOST, addr.to_string());
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = sender.send_request(request.body(Body::empty()).expect("request")).await.expect("response");
    response.into_body().collect().await.expect("body").to_bytes()
}

fn row(out: &mut String, bench: &str, db: &str, figure: &str, value: String, unit: &str) {
    let _ = writeln!(out, "| {bench} | {db} | {figure} | {value} | {unit} |");
    println!("{bench:<32} {db:<10} {figure:<34} {value:>12} {unit}");
}

/// The figures of one page measured against its ceiling.
fn page_rows(out: &mut String, bench: &str, db: &str, page: &Load, top: &Load, size: usize) {
    row(out, bench, db, "throughput", format!("{:.0}", page.per_sec), "requests/s");
    row(out, bench, db, "ceiling: same bytes from memory", format!("{:.0}", top.per_sec), "requests/s");
    row(out, bench, db, "ratio to ceiling", format!("{:.1}", 100.0 * page.per_sec / top.per_sec), "%");
    row(out, bench, db, &format!("latency p50 ({CONNECTIONS} connections)"), format!("{:.2}", page.p50_ms), "ms");
    row(out, bench, db, &format!("latency p99 ({CONNECTIONS} connections)"), format!("{:.2}", page.p99_ms), "ms");
    row(out, bench, db, "page size (uncompressed)", format!("{size}"), "bytes");
}

async fn pages(backend: Backend, out: &mut String) {
    let db = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let app = spawn_app(backend).await;
    let cookie = app.register("13800138000").await;
    let _ = PASSWORD;
    app::guides::service::seed_demo_catalogue(&app.state.db).await.expect("seed catalogue");
    let addr = serve(app.router.clone()).await;

    let pages = [
        ("page / (home, visitor)", "/", None),
        ("page /me (signed in)", "/me", Some(cookie.as_str())),
        ("page /guides (办事 list)", "/guides", None),
        ("page /guides/SB-004 (guide)", "/guides/SB-004", None),
    ];
    for (bench, path, cookie) in pages {
        let bytes = fetch(addr, path, cookie).await;
        let ceiling_addr = ceiling(bytes.clone()).await;
        let page = load(addr, path, cookie).await;
        let top = load(ceiling_addr, path, None).await;
        page_rows(out, bench, db, &page, &top, bytes.len());
        assert!(page.requests > 0 && top.requests > 0);
    }
}

/// Search over 300 published items, timed in-process (server-side time only).
async fn search(backend: Backend, out: &mut String) {
    use app::guides::service::{DEMO_CATALOGUE_CSV, parse_csv, save_guide_in, search};
    let db_name = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let app = spawn_app(backend).await;
    let demo = parse_csv(DEMO_CATALOGUE_CSV.as_bytes()).expect("demo");
    let txn = app::ssr::db::begin_write(&app.state.db).await.expect("txn");
    for n in 0..300 {
        let (_, code, content) = &demo.guides[n % demo.guides.len()];
        let mut content = content.clone();
        if n >= demo.guides.len() {
            content.name = format!("{}（{}）", content.name, n / demo.guides.len());
        }
        save_guide_in(&txn, &format!("{code}-{n:03}"), &content, None, "seed").await.expect("save");
    }
    txn.commit().await.expect("commit");
    let queries = ["sb", "shebao", "社保", "低保", "dibao", "yb", "残疾人证", "canji", "摊贩", "营业执照", "jy", "退役"];
    let mut times = Vec::new();
    for round in 0..100 {
        for q in queries {
            let started = Instant::now();
            let hits = search(&app.state.db, &app.state.search, q, 30).await.expect("search");
            times.push(started.elapsed());
            assert!(round > 0 || !hits.is_empty(), "{q} finds something");
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
    row(out, "search over 300 items (12 queries x 100)", db_name, "p50", format!("{:.2}", pct(0.5)), "ms");
    row(out, "search over 300 items (12 queries x 100)", db_name, "p99 (target < 5)", format!("{:.2}", pct(0.99)), "ms");
}

/// A real `server serve` process on a fresh database and a free loopback port.
struct ServerProcess {
    child: tokio::process::Child,
    pid: u32,
    addr: SocketAddr,
    url: String,
    cleanup: helpers::Cleanup,
}

async fn start_server(backend: Backend) -> ServerProcess {
    start_server_with(backend, &[]).await
}

async fn start_server_with(backend: Backend, env: &[(&str, &str)]) -> ServerProcess {
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
const RUSH_CLIENTS: usize = 1000;
const RUSH_SEATS: i32 = 50;

async fn rush(backend: Backend, page_open: bool, out: &mut String) {
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
        let resident = app::ssr::entities::user::ActiveModel {
            phone: Set(format!("139{n:08}")),
            password_hash: Set("unusable".into()),
            role: Set("resident".into()),
            lang: Set("zh".into()),
            elder_mode: Set(false),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("resident");
        let token = app::accounts::service::insert_session(&db, &config, resident.id).await.expect("session");
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

/// 我的办件 for a resident with 200 cases, against the same bytes from memory.
async fn case_list(backend: Backend, out: &mut String) {
    use app::ssr::entities::case;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let db = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let app = spawn_app(backend).await;
    app::guides::service::seed_demo_catalogue(&app.state.db).await.expect("seed catalogue");
    let cookie = app.register("13800138000").await;
    let resident = <app::ssr::entities::user::Entity as sea_orm::EntityTrait>::find().one(&app.state.db).await.expect("q").expect("resident").id;
    let statuses = ["draft", "submitted", "accepted", "processing", "supplement_requested", "completed", "rejected", "withdrawn"];
    let now = chrono::Utc::now();
    for n in 0..200 {
        case::ActiveModel {
            number: Set(format!("BM20261129-{:04}", n + 1)),
            item_code: Set("LC-005".into()),
            item_name: Set("老年人优待证办理".into()),
            guide_version: Set(1),
            applicant_id: Set(Some(resident)),
            filed_by: Set(resident),
            applicant_name: Set("王秀兰".into()),
            applicant_phone: Set("13800138000".into()),
            id_cipher: Set("sealed".into()),
            id_lookup: Set(format!("{n:064}")),
            id_masked: Set("1101**********002X".into()),
            notes: Set(String::new()),
            status: Set(statuses[n % statuses.len()].into()),
            deadline: Set((n % 3 == 0).then(|| now.date_naive() + chrono::Duration::days(5))),
            idempotency_key: Set(format!("k{n}")),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.state.db)
        .await
        .expect("case");
    }
    let addr = serve(app.router.clone()).await;
    let bench = "page /cases (我的办件, 200 cases, first page of 20)";
    let bytes = fetch(addr, "/cases", Some(&cookie)).await;
    assert!(String::from_utf8_lossy(&bytes).contains("BM20261129-0200"), "the list renders every case");
    let ceiling_addr = ceiling(bytes.clone()).await;
    let page = load(addr, "/cases", Some(&cookie)).await;
    let top = load(ceiling_addr, "/cases", None).await;
    page_rows(out, bench, db, &page, &top, bytes.len());
}

/// A structurally whole JPEG of about `size` bytes, with an EXIF block to strip.
fn photo(size: usize) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0];
    let exif = b"Exif\0\0GPSLatitude=30.57N";
    jpeg.extend_from_slice(&[0xFF, 0xE1]);
    jpeg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(exif);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 1, 2]);
    jpeg.resize(size - 2, 0x55);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

fn proc_status(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// CPU time (user + system) the process has used, in milliseconds.
/// CPU time of every PostgreSQL server process on this machine, in ms.
fn postgres_cpu_ms() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else { return 0.0 };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "postgres"))
        .map(cpu_ms)
        .sum()
}

fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // After the name: state is field 0, utime 11, stime 12 (clock ticks of 10 ms).
    (ticks(11) + ticks(12)) * 10.0
}

/// Uploads of photos of 1, 5 and 9 MB to a real `server serve` process over loopback:
/// files per second, server CPU per MB, and the server's peak memory after each size
/// (flat when files are streamed, not buffered).
async fn uploads(backend: Backend, out: &mut String) {
    let db_name = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let ServerProcess { mut child, pid, addr, url, cleanup } = start_server(backend).await;
    let db = app::ssr::db::connect(&url).await.expect("connect");
    let config = helpers::test_config(&url, &cleanup.dir, &[]);
    app::guides::service::seed_demo_catalogue(&db).await.expect("catalogue");
    let resident = bench_resident(&db).await;
    let cookie = format!("bm_session={}", app::accounts::service::insert_session(&db, &config, resident).await.expect("session"));
    let post = move |path: String, content_type: String, body: Vec<u8>, cookie: String| async move {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
        tokio::spawn(conn);
        let request = Request::post(path)
            .header(header::HOST, addr.to_string())
            .header(header::ORIGIN, format!("http://{addr}"))
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_LENGTH, body.len())
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .expect("request");
        let response = sender.send_request(request).await.expect("response");
        let status = response.status();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        (status, bytes)
    };
    const FILES: usize = 16;
    const UPLOADERS: usize = 4;
    for mb in [1usize, 5, 9] {
        // One draft per file: a case holds at most 60 MB.
        let mut numbers = Vec::new();
        for n in 0..FILES {
            let form = format!("code=LC-005&name=%E7%8E%8B&phone=13900000001&id_number=11010519491231002X&notes=&key=b{mb}-{n}");
            let (status, body) = post("/api/case_create".into(), "application/x-www-form-urlencoded".into(), form.into_bytes(), cookie.clone()).await;
            assert!(status.is_success(), "create: {status} {}", String::from_utf8_lossy(&body));
            numbers.push(serde_json::from_slice::<String>(&body).expect("number"));
        }
        let image = photo(mb * 1024 * 1024);
        let boundary = "----bianmin-bench";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes();
        body.extend_from_slice(&image);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let cpu_before = cpu_ms(pid);
        let started = Instant::now();
        let tasks: Vec<_> = numbers
            .chunks(FILES / UPLOADERS)
            .map(|chunk| {
                let (chunk, body, cookie) = (chunk.to_vec(), body.clone(), cookie.clone());
                let post = post.clone();
                tokio::spawn(async move {
                    for number in chunk {
                        let (status, reply) = post(format!("/cases/{number}/materials/0"), format!("multipart/form-data; boundary={boundary}"), body.clone(), cookie.clone()).await;
                        assert!(status.is_success(), "upload: {status} {}", String::from_utf8_lossy(&reply));
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("uploader");
        }
        let seconds = started.elapsed().as_secs_f64();
        let cpu = cpu_ms(pid) - cpu_before;
        let bench = format!("upload {mb} MB photos ({FILES} files, {UPLOADERS} at a time)");
        row(out, &bench, db_name, "files per second", format!("{:.1}", FILES as f64 / seconds), "files/s");
        row(out, &bench, db_name, "throughput", format!("{:.1}", (FILES * mb) as f64 / seconds), "MB/s");
        row(out, &bench, db_name, "server CPU per MB", format!("{:.2}", cpu / (FILES * mb) as f64), "ms/MB");
        row(out, &bench, db_name, "server peak memory so far (VmHWM)", format!("{:.1}", proc_status(pid, "VmHWM:") as f64 / 1024.0), "MiB");
    }
    let _ = child.kill().await;
    drop(cleanup);
}

/// Resident memory of a process now, in MiB.
fn rss_mib(pid: u32) -> f64 {
    proc_status(pid, "VmRSS:") as f64 / 1024.0
}

/// Samples a process's resident memory every 20 ms until stopped; returns the peak.
fn sample_peak(pid: u32) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<f64>) {
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let sampler = tokio::spawn(async move {
        let mut peak: f64 = 0.0;
        loop {
            peak = peak.max(rss_mib(pid));
            tokio::select! {
                _ = &mut stopped => return peak.max(rss_mib(pid)),
                _ = tokio::time::sleep(Duration::from_millis(20)) => {}
            }
        }
    });
    (stop, sampler)
}

/// One request on a fresh connection; `None` when the connection broke (a server
/// that answers early and closes while the client is still sending).
async fn one_request(addr: SocketAddr, request: Request<Body>) -> Option<(axum::http::StatusCode, axum::http::HeaderMap, Bytes)> {
    let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.ok()?;
    tokio::spawn(conn);
    let response = tokio::time::timeout(Duration::from_secs(120), sender.send_request(request)).await.ok()?.ok()?;
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    Some((status, headers, bytes))
}

/// What the memory benches report: idle, peak and after, and the growth left after
/// the load against its ceiling.
fn memory_rows(out: &mut String, bench: &str, db: &str, idle: f64, peak: f64, after: f64, ceiling_mib: f64) {
    // Which allocator the measured server was built with (`BIANMIN_BENCH_ALLOCATOR`).
    let allocator = std::env::var("BIANMIN_BENCH_ALLOCATOR").unwrap_or_else(|_| "system allocator".to_owned());
    let bench = &format!("{bench} ({allocator})");
    row(out, bench, db, "server memory idle (VmRSS)", format!("{idle:.1}"), "MiB");
    row(out, bench, db, "server memory peak (VmRSS)", format!("{peak:.1}"), "MiB");
    row(out, bench, db, "server memory after (VmRSS)", format!("{after:.1}"), "MiB");
    row(out, bench, db, &format!("growth left after, of the {ceiling_mib:.0} MiB ceiling"), format!("{:.1}", 100.0 * (after - idle) / ceiling_mib), "%");
    row(out, bench, db, &format!("peak growth, of the {ceiling_mib:.0} MiB ceiling"), format!("{:.1}", 100.0 * (peak - idle) / ceiling_mib), "%");
}

const HASH_USERS: usize = 500;
const HASH_AT_ONCE: usize = 64;

/// Password hashing memory: 500 registrations, then 500 logins, 64 at a time, against
/// a real `server serve`. Target: memory after within 150 MiB of idle.
async fn password_memory(backend: Backend, out: &mut String) {
    let db_name = db_label(backend);
    let ServerProcess { mut child, pid, addr, cleanup, .. } = start_server_with(backend, &[("BIANMIN_REGISTER_PER_HOUR", "100000")]).await;
    let _ = one_request(addr, Request::get("/").header(header::HOST, addr.to_string()).body(Body::empty()).expect("request")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = rss_mib(pid);
    let (stop, sampler) = sample_peak(pid);
    let call = move |endpoint: &'static str, form: String| {
        let request = Request::post(format!("/api/{endpoint}"))
            .header(header::HOST, addr.to_string())
            .header(header::ORIGIN, format!("http://{addr}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(form))
            .expect("request");
        one_request(addr, request)
    };
    let password = helpers::form_urlencode(&[("password", PASSWORD)]);
    let started = Instant::now();
    for endpoint in ["register", "login"] {
        let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(HASH_AT_ONCE));
        let tasks: Vec<_> = (0..HASH_USERS)
            .map(|i| {
                let (semaphore, password) = (semaphore.clone(), password.clone());
                tokio::spawn(async move {
                    let _permit = semaphore.acquire_owned().await.expect("permit");
                    let form = format!("phone=137{i:08}&{password}&email=&name=&next=%2Fme");
                    let answer = call(endpoint, form).await;
                    answer.is_some_and(|(status, _, _)| status.is_success())
                })
            })
            .collect();
        let mut ok = 0;
        for task in tasks {
            ok += usize::from(task.await.expect("task"));
        }
        assert_eq!(ok, HASH_USERS, "every {endpoint} succeeded");
    }
    let seconds = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_mib(pid);
    let _ = stop.send(());
    let peak = sampler.await.expect("sampler");
    let bench = format!("password hashing: {HASH_USERS} registrations then {HASH_USERS} logins, {HASH_AT_ONCE} at a time");
    memory_rows(out, &bench, db_name, idle, peak, after, 150.0);
    row(out, &bench, db_name, "hashes per second", format!("{:.1}", (2 * HASH_USERS) as f64 / seconds), "hashes/s");
    let _ = child.kill().await;
    drop(cleanup);
}

const FLOOD_UPLOADS: usize = 50;
const FLOOD_BYTES: usize = 60 * 1024 * 1024;

/// Upload flood: 50 concurrent 60 MB chunked uploads (no Content-Length) to
/// `/feedback/submit`, anonymous and then signed in, against a real `server serve`.
/// Target: memory within 100 MiB of idle.
async fn upload_flood(backend: Backend, out: &mut String) {
    let db_name = db_label(backend);
    let ServerProcess { mut child, pid, addr, url, cleanup } = start_server(backend).await;
    let db = app::ssr::db::connect(&url).await.expect("connect");
    let config = helpers::test_config(&url, &cleanup.dir, &[]);
    let resident = bench_resident(&db).await;
    let cookie = format!("bm_session={}", app::accounts::service::insert_session(&db, &config, resident).await.expect("session"));
    let _ = one_request(addr, Request::get("/").header(header::HOST, addr.to_string()).body(Body::empty()).expect("request")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for signed_in in [false, true] {
        let idle = rss_mib(pid);
        let (stop, sampler) = sample_peak(pid);
        let boundary = "----bianmin-flood";
        let tasks: Vec<_> = (0..FLOOD_UPLOADS)
            .map(|i| {
                let cookie = cookie.clone();
                tokio::spawn(async move {
                    let head = format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nflood{i}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nsuggestion\r\n\
                         --{boundary}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n建议增加周末办理时间。\r\n\
                         --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                    );
                    let chunk = Bytes::from(vec![0x55u8; 64 * 1024]);
                    let chunks = std::iter::once(Bytes::from(head)).chain(std::iter::repeat_n(chunk, FLOOD_BYTES / (64 * 1024)));
                    let body = Body::from_stream(futures::stream::iter(chunks.map(Ok::<_, std::io::Error>)));
                    let mut request = Request::post("/feedback/submit")
                        .header(header::HOST, addr.to_string())
                        .header(header::ORIGIN, format!("http://{addr}"))
                        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
                    if signed_in {
                        request = request.header(header::COOKIE, cookie);
                    }
                    one_request(addr, request.body(body).expect("request")).await.map(|(status, _, _)| status)
                })
            })
            .collect();
        // A refusal is an answer (redirect or 4xx), or the server closing the
        // connection once it has answered, before the client finished sending.
        let mut accepted = 0;
        for task in tasks {
            accepted += usize::from(task.await.expect("task").is_some_and(|s| s.is_success()));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        let after = rss_mib(pid);
        let _ = stop.send(());
        let peak = sampler.await.expect("sampler");
        let who = if signed_in { "signed in" } else { "anonymous" };
        let bench = format!("upload flood: {FLOOD_UPLOADS} chunked 60 MB posts at once, {who}");
        memory_rows(out, &bench, db_name, idle, peak, after, 100.0);
        row(out, &bench, db_name, "posts accepted (must be 0)", accepted.to_string(), "posts");
    }
    let _ = child.kill().await;
    drop(cleanup);
}

fn db_label(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    }
}

/// A resident inserted directly (no password hashing), for benches that sign in.
async fn bench_resident(db: &sea_orm::DatabaseConnection) -> i32 {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    app::ssr::entities::user::ActiveModel {
        phone: Set("13900000001".into()),
        password_hash: Set("unusable".into()),
        name: Set(Some("王秀兰".into())),
        role: Set("resident".into()),
        lang: Set("zh".into()),
        elder_mode: Set(false),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("resident")
    .id
}

fn asset_sizes(out: &mut String) {
    let pkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site/pkg");
    for file in ["bianmin.wasm", "bianmin.js", "bianmin.css"] {
        for (suffix, label) in [("", "raw"), (".gz", "gzip"), (".br", "brotli")] {
            let size = std::fs::metadata(pkg.join(format!("{file}{suffix}"))).map(|m| m.len().to_string()).unwrap_or_else(|_| "missing (run a release build)".into());
            row(out, &format!("release asset {file}"), "-", label, size, "bytes");
        }
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())).unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo").ok().and_then(|s| s.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0) / 1024 / 1024)).unwrap_or(0);
    format!("{cpu}, {cores} cores, {mem} GiB")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let mut rows = String::new();
    // `BIANMIN_BENCH=rush,uploads` runs only those groups (default: all).
    let only = std::env::var("BIANMIN_BENCH").unwrap_or_default();
    let wanted = |group: &str| only.is_empty() || only.split(',').any(|g| g.trim() == group);
    // `BIANMIN_BENCH_DB=postgres` runs on that database only (default: both).
    let only_db = std::env::var("BIANMIN_BENCH_DB").unwrap_or_default().to_lowercase();
    let backends: Vec<Backend> = [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .filter(|b| only_db.is_empty() || only_db == if matches!(b, Backend::Sqlite) { "sqlite" } else { "postgres" })
        .collect();
    runtime.block_on(async {
        for &backend in &backends {
            if wanted("pages") {
                pages(backend, &mut rows).await;
            }
            if wanted("cases") {
                case_list(backend, &mut rows).await;
            }
        }
        for &backend in &backends {
            if wanted("search") {
                search(backend, &mut rows).await;
            }
        }
        for &backend in &backends {
            if wanted("rush") {
                rush(backend, true, &mut rows).await;
                rush(backend, false, &mut rows).await;
            }
        }
        for &backend in &backends {
            if wanted("uploads") {
                uploads(backend, &mut rows).await;
            }
        }
        for &backend in &backends {
            if wanted("memory") {
                password_memory(backend, &mut rows).await;
                upload_flood(backend, &mut rows).await;
            }
        }
    });
    if wanted("assets") {
        asset_sizes(&mut rows);
    }
    // Rows measured outside this process (the first-load figures from headless
    // Chromium, `tests/bench/first-load.mjs`), when `.ci/bench` ran it.
    if let Ok(path) = std::env::var("BIANMIN_BENCH_EXTRA")
        && let Ok(extra) = std::fs::read_to_string(path)
    {
        rows.push_str(extra.trim_end());
        rows.push('\n');
    }

    let commit = std::env::var("BIANMIN_COMMIT").unwrap_or_else(|_| "unknown".into());
    let date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    let section = format!(
        "\n## {date} · commit {commit}\n\nMachine: {}. Load: {CONNECTIONS} keep-alive connections for {} s per figure, \
         client and server in one process over loopback TCP (release build).\n\n\
         | benchmark | database | figure | value | unit |\n|---|---|---|---|---|\n{rows}",
        machine(),
        DURATION.as_secs()
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        "# Benchmarks\n\nWritten by `bash .ci/bench`; newest run first. Compare ratios to the ceiling measured in \
         the same run, not absolute numbers across runs: the machines are shared and noisy.\n"
            .to_owned()
    });
    let (head, runs) = existing.split_once("\n## ").map(|(h, r)| (h.to_owned(), format!("\n## {r}"))).unwrap_or((existing.trim_end().to_owned() + "\n", String::new()));
    std::fs::write(&path, format!("{head}{section}{runs}")).expect("write BENCHMARKS.md");
    println!("\nwritten to BENCHMARKS.md");
}

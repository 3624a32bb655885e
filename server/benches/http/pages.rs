//! Pages and search against an in-memory ceiling, and 我的办件 with 200 cases.

use super::*;

pub(super) const CONNECTIONS: usize = 16;
pub(super) const DURATION: Duration = Duration::from_secs(4);

pub(super) struct Load {
    requests: usize,
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

pub(super) async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    addr
}

/// `CONNECTIONS` keep-alive connections send GET `path` for `DURATION`; bounded in time.
pub(super) async fn load(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Load {
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
pub(super) async fn ceiling(bytes: Bytes) -> SocketAddr {
    let router = Router::new().fallback(move || {
        let bytes = bytes.clone();
        async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes) }
    });
    serve(router).await
}

pub(super) async fn fetch(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Bytes {
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

/// The figures of one page measured against its ceiling.
pub(super) fn page_rows(out: &mut String, bench: &str, db: &str, page: &Load, top: &Load, size: usize) {
    row(out, bench, db, "throughput", format!("{:.0}", page.per_sec), "requests/s");
    row(out, bench, db, "ceiling: same bytes from memory", format!("{:.0}", top.per_sec), "requests/s");
    row(out, bench, db, "ratio to ceiling", format!("{:.1}", 100.0 * page.per_sec / top.per_sec), "%");
    row(out, bench, db, &format!("latency p50 ({CONNECTIONS} connections)"), format!("{:.2}", page.p50_ms), "ms");
    row(out, bench, db, &format!("latency p99 ({CONNECTIONS} connections)"), format!("{:.2}", page.p99_ms), "ms");
    row(out, bench, db, "page size (uncompressed)", format!("{size}"), "bytes");
}

pub(super) async fn pages(backend: Backend, out: &mut String) {
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
pub(super) async fn search(backend: Backend, out: &mut String) {
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
            let hits = search(&app.state, q, 30).await.expect("search");
            times.push(started.elapsed());
            assert!(round > 0 || !hits.is_empty(), "{q} finds something");
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
    row(out, "search over 300 items (12 queries x 100)", db_name, "p50", format!("{:.2}", pct(0.5)), "ms");
    row(out, "search over 300 items (12 queries x 100)", db_name, "p99 (target < 5)", format!("{:.2}", pct(0.99)), "ms");
}

/// 我的办件 for a resident with 200 cases, against the same bytes from memory.
pub(super) async fn case_list(backend: Backend, out: &mut String) {
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
    let statuses = app::domain::CaseStatus::ALL;
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
            status: Set(statuses[n % statuses.len()]),
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

/// A resident inserted directly (no password hashing), for benches that sign in.
pub(super) async fn bench_resident(db: &sea_orm::DatabaseConnection) -> i32 {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    app::ssr::entities::user::ActiveModel {
        phone: Set("13900000001".into()),
        password_hash: Set("unusable".into()),
        name: Set(Some("王秀兰".into())),
        role: Set(app::domain::Role::Resident),
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

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
        row(out, bench, db, "throughput", format!("{:.0}", page.per_sec), "requests/s");
        row(out, bench, db, "ceiling: same bytes from memory", format!("{:.0}", top.per_sec), "requests/s");
        row(out, bench, db, "ratio to ceiling", format!("{:.1}", 100.0 * page.per_sec / top.per_sec), "%");
        row(out, bench, db, &format!("latency p50 ({CONNECTIONS} connections)"), format!("{:.2}", page.p50_ms), "ms");
        row(out, bench, db, &format!("latency p99 ({CONNECTIONS} connections)"), format!("{:.2}", page.p99_ms), "ms");
        row(out, bench, db, "page size (uncompressed)", format!("{}", bytes.len()), "bytes");
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
            let hits = search(&app.state.db, q, 30).await.expect("search");
            times.push(started.elapsed());
            assert!(round > 0 || !hits.is_empty(), "{q} finds something");
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
    row(out, "search over 300 items (12 queries x 100)", db_name, "p50", format!("{:.2}", pct(0.5)), "ms");
    row(out, "search over 300 items (12 queries x 100)", db_name, "p99 (target < 5)", format!("{:.2}", pct(0.99)), "ms");
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
    runtime.block_on(async {
        pages(Backend::Sqlite, &mut rows).await;
        pages(Backend::Postgres, &mut rows).await;
        search(Backend::Sqlite, &mut rows).await;
        search(Backend::Postgres, &mut rows).await;
    });
    asset_sizes(&mut rows);

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

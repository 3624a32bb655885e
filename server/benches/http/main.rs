//! `bash .ci/bench`: HTTP benchmarks over loopback TCP, on SQLite and PostgreSQL.
//!
//! Each page is compared, in the same run, with a ceiling: axum returning the very same
//! bytes from memory over the same kind of connection. The machines are noisy, so the
//! ratio to that ceiling is the figure to watch; absolute numbers are for context.
//! Results are appended to BENCHMARKS.md as one table row per figure.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, header};
use helpers::{Backend, PASSWORD, spawn_app};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use test_support as helpers;

mod memory;
mod pages;
mod report;
mod rush;
mod uploads;

use memory::*;
use pages::*;
use report::*;
use rush::*;
use uploads::*;

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
    let (head, runs) =
        existing.split_once("\n## ").map(|(h, r)| (h.to_owned(), format!("\n## {r}"))).unwrap_or((existing.trim_end().to_owned() + "\n", String::new()));
    std::fs::write(&path, format!("{head}{section}{runs}")).expect("write BENCHMARKS.md");
    println!("\nwritten to BENCHMARKS.md");
}

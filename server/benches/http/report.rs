//! Rows of the report, database labels, asset sizes and the machine line.

use super::*;

pub(super) fn row(out: &mut String, bench: &str, db: &str, figure: &str, value: String, unit: &str) {
    let _ = writeln!(out, "| {bench} | {db} | {figure} | {value} | {unit} |");
    println!("{bench:<32} {db:<10} {figure:<34} {value:>12} {unit}");
}

pub(super) fn db_label(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    }
}

pub(super) fn asset_sizes(out: &mut String) {
    let pkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site/pkg");
    for file in ["bianmin.wasm", "bianmin.js", "bianmin.css"] {
        for (suffix, label) in [("", "raw"), (".gz", "gzip"), (".br", "brotli")] {
            let size =
                std::fs::metadata(pkg.join(format!("{file}{suffix}"))).map(|m| m.len().to_string()).unwrap_or_else(|_| "missing (run a release build)".into());
            row(out, &format!("release asset {file}"), "-", label, size, "bytes");
        }
    }
}

pub(super) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned()))
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0) / 1024 / 1024))
        .unwrap_or(0);
    format!("{cpu}, {cores} cores, {mem} GiB")
}

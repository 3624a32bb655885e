//! Photo uploads to a real server process, with CPU and memory per size.

use super::*;

/// A structurally whole JPEG of about `size` bytes, with an EXIF block to strip.
pub(super) fn photo(size: usize) -> Vec<u8> {
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

pub(super) fn proc_status(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// CPU time (user + system) the process has used, in milliseconds.
/// CPU time of every PostgreSQL server process on this machine, in ms.
pub(super) fn postgres_cpu_ms() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else { return 0.0 };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "postgres"))
        .map(cpu_ms)
        .sum()
}

pub(super) fn cpu_ms(pid: u32) -> f64 {
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
pub(super) async fn uploads(backend: Backend, out: &mut String) {
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
        let mut body =
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes();
        body.extend_from_slice(&image);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let cpu_before = cpu_ms(pid);
        let started = Instant::now();
        let tasks: Vec<_> = numbers
            .chunks(FILES / UPLOADERS)
            .map(|chunk| {
                let (chunk, body, cookie) = (chunk.to_vec(), body.clone(), cookie.clone());
                tokio::spawn(async move {
                    for number in chunk {
                        let (status, reply) =
                            post(format!("/cases/{number}/materials/0"), format!("multipart/form-data; boundary={boundary}"), body.clone(), cookie.clone())
                                .await;
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

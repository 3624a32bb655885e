//! Memory while residents register and log in, and while large uploads arrive at once.

use super::*;

/// Resident memory of a process now, in MiB.
pub(super) fn rss_mib(pid: u32) -> f64 {
    proc_status(pid, "VmRSS:") as f64 / 1024.0
}

/// Samples a process's resident memory every 20 ms until stopped; returns the peak.
pub(super) fn sample_peak(pid: u32) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<f64>) {
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
pub(super) async fn one_request(addr: SocketAddr, request: Request<Body>) -> Option<(axum::http::StatusCode, axum::http::HeaderMap, Bytes)> {
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
pub(super) fn memory_rows(out: &mut String, bench: &str, db: &str, idle: f64, peak: f64, after: f64, ceiling_mib: f64) {
    // Which allocator the measured server was built with (`BIANMIN_BENCH_ALLOCATOR`).
    let allocator = std::env::var("BIANMIN_BENCH_ALLOCATOR").unwrap_or_else(|_| "system allocator".to_owned());
    let bench = &format!("{bench} ({allocator})");
    row(out, bench, db, "server memory idle (VmRSS)", format!("{idle:.1}"), "MiB");
    row(out, bench, db, "server memory peak (VmRSS)", format!("{peak:.1}"), "MiB");
    row(out, bench, db, "server memory after (VmRSS)", format!("{after:.1}"), "MiB");
    row(out, bench, db, &format!("growth left after, of the {ceiling_mib:.0} MiB ceiling"), format!("{:.1}", 100.0 * (after - idle) / ceiling_mib), "%");
    row(out, bench, db, &format!("peak growth, of the {ceiling_mib:.0} MiB ceiling"), format!("{:.1}", 100.0 * (peak - idle) / ceiling_mib), "%");
}

pub(super) const HASH_USERS: usize = 500;
pub(super) const HASH_AT_ONCE: usize = 64;

/// Password hashing memory: 500 registrations, then 500 logins, 64 at a time, against
/// a real `server serve`. Target: memory after within 150 MiB of idle.
pub(super) async fn password_memory(backend: Backend, out: &mut String) {
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

pub(super) const FLOOD_UPLOADS: usize = 50;
pub(super) const FLOOD_BYTES: usize = 60 * 1024 * 1024;

/// Upload flood: 50 concurrent 60 MB chunked uploads (no Content-Length) to
/// `/feedback/submit`, anonymous and then signed in, against a real `server serve`.
/// Target: memory within 100 MiB of idle.
pub(super) async fn upload_flood(backend: Backend, out: &mut String) {
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

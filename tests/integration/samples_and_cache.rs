//! Sample images and blank forms on guide materials (checked by content, size-limited,
//! EXIF stripped, public), and the visitor page cache (identical bytes, inline scripts allowed by hash,
//! emptied by catalogue changes on any server).

use crate::helpers::*;
use crate::on_both_databases;
use app::domain::Role;
use app::error::AppError;
use app::guides::service;
use axum::http::StatusCode;
use test_support::catalogue::chief_app;

on_both_databases!(
    the_chief_attaches_a_sample_that_visitors_can_open,
    bad_sample_files_are_refused_and_change_nothing,
    only_the_chief_changes_samples_and_only_samples_are_public,
    visitors_get_cached_pages_whose_csp_lists_their_script_hashes,
    a_catalogue_change_on_another_server_reaches_cached_pages,
);

/// A JPEG whose EXIF block carries a GPS marker.
fn photo_with_location() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]);
    jpeg.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x0C, b'E', b'x', b'i', b'f', 0, 0, b'G', b'P', b'S', b'!']);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 1, 2, 0x55, 0x66, 0xFF, 0xD9]);
    jpeg
}

fn sample_path(code: &str, index: usize) -> String {
    format!("/staff/items/{code}/materials/{index}/sample")
}

fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location").expect("location").to_owned()
}

async fn the_chief_attaches_a_sample_that_visitors_can_open(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let before = service::guide(&app.state.db, "SB-004", None).await.expect("guide");
    let res = app.send(multipart_upload(&sample_path("SB-004", 0), "照片样例.jpg", &photo_with_location(), &chief)).await;
    assert_eq!(location(&res), "/staff/items/SB-004/edit?sample_saved=1#samples");

    let after = service::guide(&app.state.db, "SB-004", None).await.expect("guide");
    assert_eq!(after.version, before.version + 1, "a new version");
    let sample = after.content.materials[0].sample.clone().expect("sample attached");
    assert_eq!((sample.name.as_str(), sample.content_type.as_str()), ("照片样例.jpg", "image/jpeg"));
    assert!(after.content.materials[1..].iter().all(|m| m.sample.is_none()));

    // Anyone opens it; the location data is gone, the picture is not.
    let file = app.get(&sample.href(), None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header("content-type"), Some("image/jpeg"));
    assert!(file.header("content-disposition").is_some_and(|d| d.starts_with("inline")));
    assert!(!file.raw.windows(4).any(|w| w == b"Exif") && !file.raw.windows(3).any(|w| w == b"GPS"), "EXIF stripped");
    assert!(file.raw.ends_with(&[0x55, 0x66, 0xFF, 0xD9]), "image data kept");
    let page = app.get("/guides/SB-004", None).await;
    assert!(page.body.contains(&format!("href=\"/files/{}\"", sample.id)) && page.body.contains("查看样表"), "linked from the guide");

    // Editing the guide's text keeps the sample; the old version keeps its own state.
    let mut edited = after.content.clone();
    edited.materials[0].sample = None;
    edited.fee = "不收取任何费用".into();
    service::save_guide(&app.state.db, "SB-004", &edited, None, "console").await.expect("save");
    let edited = service::guide(&app.state.db, "SB-004", None).await.expect("guide");
    assert_eq!(edited.content.materials[0].sample.as_ref(), Some(&sample), "kept across an edit");

    // A blank form (PDF) on another material, then removing the photo.
    let res = app.send(multipart_upload(&sample_path("SB-004", 1), "空白表.pdf", b"%PDF-1.7\n1 0 obj\n", &chief)).await;
    location(&res);
    let res = app.call("item_sample_remove", &[("code", "SB-004"), ("index", "0")], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let now = service::guide(&app.state.db, "SB-004", None).await.expect("guide");
    assert!(now.content.materials[0].sample.is_none());
    assert_eq!(now.content.materials[1].sample.as_ref().map(|s| s.content_type.as_str()), Some("application/pdf"));
    let old = service::guide(&app.state.db, "SB-004", Some(after.version)).await.expect("old version");
    assert_eq!(old.content.materials[0].sample.as_ref(), Some(&sample), "older versions keep their sample");
    assert_eq!(app.get(&sample.href(), None).await.status, StatusCode::OK, "files are never deleted under old versions");
}

async fn bad_sample_files_are_refused_and_change_nothing(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let versions = app.count("item_versions").await;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("伪装.jpg", b"<html><script>alert(1)</script></html>".to_vec(), "不支持"),
        ("程序.pdf", b"MZ\x90\x00\x03".to_vec(), "不支持"),
        ("坏图.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00".to_vec(), "损坏"),
        ("太大.pdf", [b"%PDF-1.4\n".as_slice(), &vec![b'0'; app::ssr::files::SAMPLE_LIMIT_BYTES]].concat(), "超过5MB"),
    ];
    for (name, bytes, reason) in cases {
        let res = app.send(multipart_upload(&sample_path("SB-004", 0), name, &bytes, &chief)).await;
        let to = location(&res);
        assert!(to.starts_with("/staff/items/SB-004/edit?sample_error="), "{name}: {to}");
        let page = app.get(&to, Some(&chief)).await;
        assert!(page.body.contains(reason), "{name}: the page says {reason}");
    }
    // Larger than any upload route takes: refused before it is read.
    let huge = vec![b'0'; server::routes::UPLOAD_LIMIT_BYTES + 1];
    let res = app.send(multipart_upload(&sample_path("SB-004", 0), "huge.pdf", &huge, &chief)).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.body.contains("过大"));
    // No such material or item.
    let res = app.send(multipart_upload(&sample_path("SB-004", 99), "a.pdf", b"%PDF-1.4", &chief)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app.send(multipart_upload(&sample_path("NO-SUCH", 0), "a.pdf", b"%PDF-1.4", &chief)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("item_versions").await, versions, "no version written");
    let versions_of_sb004 = service::history(&app.state.db, "SB-004").await.expect("history").len();
    assert_eq!(versions_of_sb004, 1);
}

async fn only_the_chief_changes_samples_and_only_samples_are_public(backend: Backend) {
    let (app, chief) = chief_app(backend).await;
    let res = app.send(multipart_upload(&sample_path("SB-004", 0), "a.pdf", b"%PDF-1.4\n", &chief)).await;
    location(&res);
    for role in [Role::Resident, Role::Helper, Role::Clerk, Role::Handler] {
        let phone = format!("1390000000{}", role as u8);
        let cookie = app.user_with_role(&phone, role).await;
        let res = app.send(multipart_upload(&sample_path("SB-004", 0), "b.pdf", b"%PDF-1.4\n", &cookie)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{role:?} uploads");
        let res = app.call("item_sample_remove", &[("code", "SB-004"), ("index", "0")], Some(&cookie)).await;
        assert_eq!(res.app_error(), AppError::Forbidden, "{role:?} removes");
    }
    let res = app.send(multipart_upload(&sample_path("SB-004", 0), "c.pdf", b"%PDF-1.4\n", "bm_session=expired")).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let guide = service::guide(&app.state.db, "SB-004", None).await.expect("guide");
    assert_eq!(guide.content.materials[0].sample.as_ref().map(|s| s.name.as_str()), Some("a.pdf"), "unchanged");

    // A file kept for another purpose (a case's material) is not served here.
    let private = app::ssr::files::save(&app.state.db, &app.state.files, "material", "id.jpg", app::ssr::files::Kind::Pdf, b"%PDF-1.4".to_vec(), None)
        .await
        .expect("stored");
    assert_eq!(app.get(&format!("/files/{}", private.id), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/files/{}", private.id), Some(&chief)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/files/999999", None).await.status, StatusCode::NOT_FOUND);
}

/// Every inline script body of a page.
fn inline_scripts(body: &str) -> Vec<String> {
    body.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, after) = rest.split_once('>')?;
            let (script, _) = after.split_once("</script>")?;
            (!tag.contains(" src=")).then(|| script.to_owned())
        })
        .collect()
}

async fn visitors_get_cached_pages_whose_csp_lists_their_script_hashes(backend: Backend) {
    use base64::Engine as _;
    use sha2::Digest as _;
    let (app, chief) = chief_app(backend).await;
    let first = app.get("/guides/SB-004", None).await;
    let second = app.get("/guides/SB-004", None).await;
    assert_eq!((first.status, second.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(first.body, second.body, "a visitor page is the same for everyone");
    let policy = second.header("content-security-policy").expect("csp").to_owned();
    assert!(!policy.contains("'nonce-") && !second.body.contains("nonce="), "no nonce on a shared page");
    let scripts = inline_scripts(&second.body);
    assert!(!scripts.is_empty(), "the hydration script is inline");
    for script in &scripts {
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
        assert!(policy.contains(&format!("'sha256-{hash}'")), "script allowed by its hash: {script}");
    }
    assert!(policy.contains("frame-ancestors 'none'") && !policy.contains("'unsafe-inline' 'wasm"), "{policy}");
    assert_eq!(second.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(second.header("x-frame-options"), Some("DENY"));

    // Compressed once, sent as the client accepts.
    let mut request = axum::http::Request::get("/guides/SB-004").header("accept-encoding", "gzip, deflate, br");
    request = request.header("accept", "text/html");
    let br = app.send(request.body(axum::body::Body::empty()).expect("request")).await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut &br.raw[..], &mut unpacked).expect("brotli");
    assert_eq!(String::from_utf8(unpacked).expect("utf-8"), second.body);
    let gz = app.send(axum::http::Request::get("/guides").header("accept-encoding", "gzip").body(axum::body::Body::empty()).expect("request")).await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));

    // Signed-in pages are not shared: they keep a fresh nonce each.
    let resident = app.register("13800138077").await;
    let mine = app.get("/guides/SB-004", Some(&resident)).await;
    assert!(mine.header("content-security-policy").is_some_and(|p| p.contains("'nonce-")));
    assert!(mine.body.contains("nonce="));

    // Preferences are part of the key: elder mode and English are their own pages.
    let elder = app.get("/guides/SB-004", Some("bm_elder=1")).await;
    assert!(elder.body.contains("class=\"elder\""), "elder page, not the cached one");
    let english = app.get("/guides/SB-004", Some("bm_lang=en")).await;
    assert!(english.body.contains("lang=\"en\""));

    // A change made through this server shows at once.
    let res = app.call("item_publish", &[("code", "SB-004"), ("published", "false")], Some(&chief)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(app.get("/guides/SB-004", None).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get("/guides", None).await.body.contains("/guides/SB-004\""), "gone from the list");
}

async fn a_catalogue_change_on_another_server_reaches_cached_pages(backend: Backend) {
    let (app, _chief) = chief_app(backend).await;
    assert!(app.get("/guides", None).await.body.contains("社会保障卡申领"));
    // Another server (here: the service on the same database) renames the item.
    let mut content = service::guide(&app.state.db, "SB-004", None).await.expect("guide").content;
    content.name = "社会保障卡申领（新版）".into();
    service::save_guide(&app.state.db, "SB-004", &content, None, "console").await.expect("save");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(app.get("/guides", None).await.body.contains("社会保障卡申领（新版）"), "seen within a second");
    assert!(app.get("/guides/SB-004", None).await.body.contains("社会保障卡申领（新版）"));
}

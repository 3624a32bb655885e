//! Cases: a world with a resident, a clerk and the chief on the demo catalogue, and the
//! steps of a case (create, upload, submit, act, decide, view).

use crate::{Backend, TestApp, TestResponse, multipart_upload, spawn_app_with};
use app::cases::CaseView;
use app::domain::Role;
use app::ssr::auth::CurrentUser;
use app::ssr::entities::user;
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The demo item used throughout: online, helper-eligible, two materials, 3 working days.
pub const ITEM: &str = "LC-005";
pub const ID: &str = "11010519491231002X";

pub struct World {
    pub app: TestApp,
    pub resident: String,
    pub clerk: String,
    pub chief: String,
}

pub async fn world(backend: Backend) -> World {
    world_with(backend, &[]).await
}

pub async fn world_with(backend: Backend, extra: &[(&str, &str)]) -> World {
    let app = spawn_app_with(backend, extra).await;
    app::guides::service::seed_demo_catalogue(&app.state.db).await.expect("catalogue");
    let clerk = app.user_with_role("13700000011", Role::Clerk).await;
    app::booking::service::seed_demo_schedules(&app.state.db).await.expect("windows");
    let chief = app.user_with_role("13700000015", Role::Chief).await;
    let resident = app.register("13800138000").await;
    World { app, resident, clerk, chief }
}

pub async fn current(app: &TestApp, phone: &str) -> CurrentUser {
    let u = user::Entity::find().filter(user::Column::Phone.eq(phone)).one(&app.state.db).await.expect("query").expect("user");
    CurrentUser { id: u.id, session_id: 0, role: u.role, station_id: u.station_id, name: u.name }
}

/// A small JPEG with an EXIF block that carries a GPS position.
pub fn jpeg_with_gps() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]);
    let exif = b"Exif\0\0GPSLatitude=30.57N;GPSLongitude=104.06E";
    jpeg.extend_from_slice(&[0xFF, 0xE1]);
    jpeg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(exif);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 1, 2, 0x55, 0x66, 0x77, 0xFF, 0xD9]);
    jpeg
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

pub async fn create(app: &TestApp, cookie: &str, key: &str) -> String {
    let res = app
        .call(
            "case_create",
            &[("code", ITEM), ("name", "王秀兰"), ("phone", "13800138000"), ("id_number", ID), ("notes", "家中老人"), ("key", key)],
            Some(cookie),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "create: {}", res.body);
    res.json()
}

pub async fn upload(app: &TestApp, cookie: &str, number: &str, index: u32, name: &str, bytes: &[u8]) -> TestResponse {
    app.send(multipart_upload(&format!("/cases/{number}/materials/{index}"), name, bytes, cookie)).await
}

pub async fn uploaded(app: &TestApp, cookie: &str, number: &str, index: u32, name: &str, bytes: &[u8]) {
    let res = upload(app, cookie, number, index, name, bytes).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.header("location").unwrap_or_default();
    assert!(!location.contains("upload_error"), "refused: {location}");
}

pub async fn view(app: &TestApp, cookie: &str, number: &str) -> TestResponse {
    app.call("case", &[("number", number)], Some(cookie)).await
}

pub async fn case_of(app: &TestApp, cookie: &str, number: &str) -> CaseView {
    let res = view(app, cookie, number).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// The applicant's step on a case: `submit`, `withdraw` or `resubmit` (each its own
/// server function, `case_{action}`).
pub async fn act(app: &TestApp, cookie: &str, number: &str, action: &str) -> TestResponse {
    app.call(&format!("case_{action}"), &[("number", number)], Some(cookie)).await
}

/// A window's step on a case (`case_{action}`): `accept`, `process`, `approve` and
/// `decline` take the number only; `complete` takes `text` as its result (collected at
/// the window) and `reject` as its reason.
pub async fn decide(app: &TestApp, cookie: &str, number: &str, action: &str, text: &str) -> TestResponse {
    let endpoint = format!("case_{action}");
    match action {
        "complete" => app.call(&endpoint, &[("number", number), ("result", text), ("pickup", "窗口领取")], Some(cookie)).await,
        "reject" => app.call(&endpoint, &[("number", number), ("reason", text)], Some(cookie)).await,
        _ => app.call(&endpoint, &[("number", number)], Some(cookie)).await,
    }
}

/// A draft with a file for every material, submitted.
pub async fn submitted(w: &World, key: &str) -> String {
    let number = create(&w.app, &w.resident, key).await;
    uploaded(&w.app, &w.resident, &number, 0, "身份证.jpg", &jpeg_with_gps()).await;
    uploaded(&w.app, &w.resident, &number, 1, "照片.pdf", PDF).await;
    let res = act(&w.app, &w.resident, &number, "submit").await;
    assert_eq!(res.status, StatusCode::OK, "submit: {}", res.body);
    number
}

//! Plain HTTP routes beside the Leptos pages: file upload and download, where a
//! server function is the wrong shape.

use app::domain::Role;
use app::error::AppError;
use app::guides::{import, service::DEMO_CATALOGUE_CSV};
use app::ssr::AppState;
use app::ssr::auth::CurrentUser;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Largest catalogue file accepted for import.
pub const IMPORT_LIMIT_BYTES: usize = 5 * 1024 * 1024;

/// Routes that take uploads (their own, larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/staff/items/import", post(import_upload)).layer(DefaultBodyLimit::max(IMPORT_LIMIT_BYTES))
}

/// Downloads.
pub fn downloads() -> Router<AppState> {
    Router::new()
        .route("/staff/items/export.xlsx", get(export_xlsx))
        .route("/staff/items/sample.csv", get(sample_csv))
}

fn require_chief(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Chief { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Receives a catalogue file, keeps its preview and shows it; writes nothing else.
async fn import_upload(State(state): State<AppState>, user: CurrentUser, mut multipart: Multipart) -> Response {
    if let Err(err) = require_chief(&user) {
        return err.into_response();
    }
    let back_with = |reason: &str| Redirect::to(&format!("/staff/items?import_error={}", encode(reason))).into_response();
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(_) => return back_with("文件过大或上传中断，请重试（最大5MB）"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back_with("文件过大或上传中断，请重试（最大5MB）"),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return back_with("请选择要导入的文件");
    };
    match import::preview(&state.db, &name, &bytes, user.id).await {
        Ok(id) => Redirect::to(&format!("/staff/items/import/{id}")).into_response(),
        Err(AppError::Rejected(reasons)) => back_with(&reasons.join("；")),
        Err(err) => err.into_response(),
    }
}

async fn export_xlsx(State(state): State<AppState>, user: CurrentUser) -> Response {
    if let Err(err) = require_chief(&user) {
        return err.into_response();
    }
    match import::export_xlsx(&state.db).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"catalogue.xlsx\""),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => err.into_response(),
    }
}

/// The sample import file (the demo catalogue), for anyone who manages a catalogue.
async fn sample_csv() -> Response {
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"catalogue-sample.csv\"")],
        DEMO_CATALOGUE_CSV,
    )
        .into_response()
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

//! Plain HTTP routes beside the Leptos pages: file upload and download, where a
//! server function is the wrong shape.

use app::domain::Role;
use app::error::AppError;
use app::guides::{import, service::DEMO_CATALOGUE_CSV};
use app::ssr::AppState;
use app::ssr::auth::CurrentUser;
use axum::Router;
use app::ssr::files;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Largest catalogue file accepted for import.
pub const IMPORT_LIMIT_BYTES: usize = 5 * 1024 * 1024;

/// The body limit of the upload routes: the largest file any of them takes, plus room
/// for the multipart framing. Each route checks its own file limit.
pub const UPLOAD_LIMIT_BYTES: usize =
    if IMPORT_LIMIT_BYTES > files::SAMPLE_LIMIT_BYTES { IMPORT_LIMIT_BYTES } else { files::SAMPLE_LIMIT_BYTES } + 64 * 1024;

/// Routes that take uploads (their own, larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new()
        .route("/staff/items/import", post(import_upload))
        .route("/staff/items/{code}/materials/{index}/sample", post(sample_upload))
        .route("/staff/holidays/import", post(holiday_import))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT_BYTES))
}

/// Downloads.
pub fn downloads() -> Router<AppState> {
    Router::new()
        .route("/staff/items/export.xlsx", get(export_xlsx))
        .route("/staff/items/sample.csv", get(sample_csv))
        .route("/files/{id}", get(public_file))
        .route("/bookings/{code}/booking.ics", get(booking_ics))
}

/// The one file field of a multipart form, as (file name, bytes); `Err` with a Chinese
/// reason when the upload broke off or was too large.
async fn file_field(multipart: &mut Multipart, too_large: &str) -> Result<Option<(String, axum::body::Bytes)>, String> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(_) => return Err(too_large.to_owned()),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(file.filter(|(_, b)| !b.is_empty())),
            Err(_) => return Err(too_large.to_owned()),
        }
    }
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
    let (name, bytes) = match file_field(&mut multipart, "文件过大或上传中断，请重试（最大5MB）").await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with("请选择要导入的文件"),
        Err(reason) => return back_with(&reason),
    };
    match import::preview(&state.db, &name, &bytes, user.id).await {
        Ok(id) => Redirect::to(&format!("/staff/items/import/{id}")).into_response(),
        Err(AppError::Rejected(reasons)) => back_with(&reasons.join("；")),
        Err(err) => err.into_response(),
    }
}

/// Attaches a sample image or blank form to material `index` of item `code` (a new
/// guide version). The file is checked by its bytes and size; images lose their EXIF.
async fn sample_upload(State(state): State<AppState>, user: CurrentUser, Path((code, index)): Path<(String, usize)>, mut multipart: Multipart) -> Response {
    if let Err(err) = require_chief(&user) {
        return err.into_response();
    }
    let edit = format!("/staff/items/{}/edit", encode(&code));
    let back_with = |reason: &str| Redirect::to(&format!("{edit}?sample_error={}#samples", encode(reason))).into_response();
    let (name, bytes) = match file_field(&mut multipart, "文件过大或上传中断，请重试（最大5MB）").await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with("请选择要上传的文件"),
        Err(reason) => return back_with(&reason),
    };
    let (kind, kept) = match files::check(&bytes, files::SAMPLE_KINDS, files::SAMPLE_LIMIT_BYTES) {
        Ok(checked) => checked,
        Err(AppError::Rejected(reasons)) => return back_with(&reasons.join("；")),
        Err(err) => return err.into_response(),
    };
    let stored = match files::save(&state.db, &state.files, "sample", &name, kind, kept, Some(user.id)).await {
        Ok(stored) => stored,
        Err(err) => return err.into_response(),
    };
    let sample = app::guides::SampleFile { id: stored.id, name: stored.original_name, content_type: stored.content_type };
    match app::guides::service::set_sample(&state.db, &code, index, Some(sample), user.id).await {
        Ok(()) => Redirect::to(&format!("{edit}?sample_saved=1#samples")).into_response(),
        Err(err) => err.into_response(),
    }
}

/// Imports a calendar file: all or nothing, every bad line named.
async fn holiday_import(State(state): State<AppState>, user: CurrentUser, mut multipart: Multipart) -> Response {
    if let Err(err) = require_chief(&user) {
        return err.into_response();
    }
    let back_with = |reason: &str| Redirect::to(&format!("/staff/schedules?import_error={}#calendar", encode(reason))).into_response();
    let (_, bytes) = match file_field(&mut multipart, "文件过大或上传中断，请重试（最大5MB）").await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with("请选择要导入的日历文件"),
        Err(reason) => return back_with(&reason),
    };
    match app::booking::service::import_holidays(&state.db, &bytes, user.id).await {
        Ok(n) => Redirect::to(&format!("/staff/schedules?imported={n}#calendar")).into_response(),
        Err(AppError::Rejected(reasons)) => back_with(&reasons.join("；")),
        Err(err) => err.into_response(),
    }
}

/// A guide's sample or blank form, for anyone (guides are public). Files of any other
/// purpose are never served here.
async fn public_file(State(state): State<AppState>, Path(id): Path<i32>) -> Response {
    match files::load(&state.db, &state.files, id).await {
        Ok((row, bytes)) if row.purpose == "sample" => {
            let disposition = if files::Kind::inline(&row.content_type) { "inline" } else { "attachment" };
            let name = encode(&row.original_name);
            (
                [
                    (header::CONTENT_TYPE, row.content_type),
                    (header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{name}")),
                    (header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(_) => AppError::NotFound.into_response(),
        Err(err) => err.into_response(),
    }
}

/// "Add to calendar": the booking as an iCalendar file, for its resident only.
async fn booking_ics(State(state): State<AppState>, user: CurrentUser, Path(code): Path<String>) -> Response {
    match app::booking::service::ics(&state, &user, &code).await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"booking-{}.ics\"", encode(&code))),
            ],
            text,
        )
            .into_response(),
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

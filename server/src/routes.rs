//! Plain HTTP routes beside the Leptos pages: file upload and download, where a
//! server function is the wrong shape.

use app::domain::Role;
use app::error::AppError;
use app::cases::service as case_service;
use app::feedback::service as feedback_service;
use app::guides::{import, service::DEMO_CATALOGUE_CSV};
use app::ssr::AppState;
use app::ssr::auth::CurrentUser;
use axum::Router;
use app::ssr::files;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Largest catalogue file accepted for import.
pub const IMPORT_LIMIT_BYTES: usize = 5 * 1024 * 1024;

/// The body limit of the upload routes: the largest file any of them takes, plus room
/// for the multipart framing. Each route checks its own file limit.
pub const UPLOAD_LIMIT_BYTES: usize =
    max(max(max(IMPORT_LIMIT_BYTES, files::SAMPLE_LIMIT_BYTES), case_service::FILE_LIMIT_BYTES), feedback_service::PHOTO_COUNT * feedback_service::PHOTO_LIMIT_BYTES) + 64 * 1024;

/// The most the chief's import and sample routes read of a file into memory: their
/// limit and a little more, so a file just over it gets its own reason from the check.
const SMALL_FILE_LIMIT_BYTES: usize = max(IMPORT_LIMIT_BYTES, files::SAMPLE_LIMIT_BYTES) + 64 * 1024;

const fn max(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

/// Routes that take uploads (their own, larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new()
        .route("/staff/items/import", post(import_upload))
        .route("/staff/items/{code}/materials/{index}/sample", post(sample_upload))
        .route("/staff/holidays/import", post(holiday_import))
        .route("/cases/{number}/materials/{index}", post(case_upload))
        .route("/feedback/submit", post(feedback_submit))
        .route("/staff/feedback/submit", post(feedback_submit))
        .route("/station/authorisations/{id}/paper", post(paper_upload))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT_BYTES))
}

/// Downloads.
pub fn downloads() -> Router<AppState> {
    Router::new()
        .route("/staff/items/export.xlsx", get(export_xlsx))
        .route("/staff/items/sample.csv", get(sample_csv))
        .route("/files/{id}", get(public_file))
        .route("/bookings/{code}/booking.ics", get(booking_ics))
        .route("/cases/{number}/files/{id}", get(case_file))
        .route("/feedback/{number}/photos/{id}", get(feedback_photo))
        .route("/station/authorisations/{id}/photo", get(paper_photo))
        .route("/staff/cases/{number}/supplement", post(case_supplement))
}

/// The one file field of a multipart form, as (file name, bytes); `Err` with a Chinese
/// reason when the upload broke off or was too large.
async fn file_field(multipart: &mut Multipart, too_large: &str) -> Result<Option<(String, axum::body::Bytes)>, String> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                match read_limited(field, SMALL_FILE_LIMIT_BYTES).await {
                    Some(bytes) => file = Some((name, axum::body::Bytes::from(bytes))),
                    None => return Err(too_large.to_owned()),
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

/// Whether the caller is the page's upload script (it wants JSON, not a redirect).
fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"))
}

/// Adds one or more files (field `file`, repeated) to material `index` of a case. Each
/// file streams to a temporary file (never whole in memory), is checked by its bytes
/// and for completeness, loses its metadata, goes to the object store, and only then
/// is recorded. The page's script posts one file at a time and reads JSON; a plain
/// form post gets a redirect back to the case.
async fn case_upload(State(state): State<AppState>, user: CurrentUser, Path((number, index)): Path<(String, u32)>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    let json = wants_json(&headers);
    let back = format!("/cases/{}", encode(&number));
    let fail = |err: AppError| match err {
        AppError::Rejected(reasons) if !json => Redirect::to(&format!("{back}?upload_error={}#material-{index}", encode(&reasons.join("；")))).into_response(),
        other => other.into_response(),
    };
    if let Err(err) = case_service::check_upload(&state.db, &user, &number, index, 0).await {
        return fail(err);
    }
    let temp_dir = files::temp_dir(&state.config.data_dir);
    let mut saved = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                if name.is_empty() {
                    continue; // an empty file input of a plain form
                }
                let received = match files::receive(&mut field, &temp_dir, case_service::FILE_LIMIT_BYTES).await {
                    Ok(received) => received,
                    Err(err) => return fail(err),
                };
                let (kind, cleaned) = match files::clean(received, case_service::CASE_KINDS).await {
                    Ok(cleaned) => cleaned,
                    Err(err) => return fail(err),
                };
                let upload = case_service::Upload { name, kind, temp: cleaned };
                match case_service::attach(&state, &user, &number, index, upload, chrono::Utc::now()).await {
                    Ok(id) => saved.push(id),
                    Err(err) => return fail(err),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return fail(files::refuse("上传中断，文件不完整，请重新上传")),
        }
    }
    if saved.is_empty() {
        return fail(files::refuse("请选择要上传的文件"));
    }
    if json {
        axum::Json(serde_json::json!({ "saved": saved })).into_response()
    } else {
        Redirect::to(&format!("{back}#material-{index}")).into_response()
    }
}

/// A case file, for those who may see the case ("not found" for anyone else).
async fn case_file(State(state): State<AppState>, user: CurrentUser, Path((number, id)): Path<(String, i32)>) -> Response {
    stored_file(case_service::file_for(&state, &user, &number, id, chrono::Utc::now()).await)
}

/// The photo of a signed 委托书 (field `file`): checked and stripped like case
/// materials; the authorisation is in force once it is stored.
async fn paper_upload(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i32>, mut multipart: Multipart) -> Response {
    let back = format!("/station/authorisations/{id}");
    let fail = |err: AppError| match err {
        AppError::Rejected(reasons) => Redirect::to(&format!("{back}?upload_error={}", encode(&reasons.join("；")))).into_response(),
        other => other.into_response(),
    };
    if user.role != Role::Helper {
        return AppError::NotFound.into_response();
    }
    let temp_dir = files::temp_dir(&state.config.data_dir);
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("委托书").to_owned();
                if name.is_empty() {
                    continue;
                }
                let received = match files::receive(&mut field, &temp_dir, case_service::FILE_LIMIT_BYTES).await {
                    Ok(received) => received,
                    Err(err) => return fail(err),
                };
                let (kind, cleaned) = match files::clean(received, app::stations::service::PAPER_KINDS).await {
                    Ok(cleaned) => cleaned,
                    Err(err) => return fail(err),
                };
                return match app::stations::service::attach_paper(&state, &user, id, &name, kind, cleaned, chrono::Utc::now()).await {
                    Ok(()) => Redirect::to(&back).into_response(),
                    Err(err) => fail(err),
                };
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return fail(files::refuse("上传中断，文件不完整，请重新上传")),
        }
    }
    fail(files::refuse("请选择委托书照片"))
}

/// The photo of a signed 委托书: the resident, the station's helpers, the chief.
async fn paper_photo(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i32>) -> Response {
    stored_file(app::stations::service::paper_file(&state, &user, id).await)
}

/// A feedback photo, for those who may see the feedback.
async fn feedback_photo(State(state): State<AppState>, user: CurrentUser, Path((number, id)): Path<(String, i32)>) -> Response {
    stored_file(feedback_service::photo_for(&state, &user, &number, id).await)
}

/// A stored file as a private download: its own type, `nosniff` (set for every
/// response), a file name, never cached by proxies.
fn stored_file(found: Result<(app::ssr::entities::stored_file::Model, files::Body), AppError>) -> Response {
    match found {
        Ok((row, body)) => {
            let disposition = if files::Kind::inline(&row.content_type) { "inline" } else { "attachment" };
            (
                [
                    (header::CONTENT_TYPE, row.content_type.clone()),
                    (header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{}", encode(&row.original_name))),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => err.into_response(),
    }
}

/// 一次性告知 from the clerk's form: every ticked material (`m`, repeated) with its
/// reason (`reason_<index>`), in one notice.
async fn case_supplement(State(state): State<AppState>, user: CurrentUser, Path(number): Path<String>, Form(fields): Form<Vec<(String, String)>>) -> Response {
    let back = format!("/staff/cases/{}", encode(&number));
    let mut items = Vec::new();
    for (name, value) in &fields {
        if name == "m"
            && let Ok(index) = value.trim().parse::<u32>()
        {
            let reason = fields.iter().find(|(n, _)| *n == format!("reason_{index}")).map(|(_, v)| v.clone()).unwrap_or_default();
            items.push((index, reason));
        }
    }
    match case_service::request_supplement(&state, &user, &number, &items, chrono::Utc::now()).await {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(AppError::Rejected(reasons)) => Redirect::to(&format!("{back}?notice_error={}#supplement", encode(&reasons.join("；")))).into_response(),
        Err(err) => err.into_response(),
    }
}

/// Files feedback from the multipart form: the text fields, then up to
/// [`feedback_service::PHOTO_COUNT`] photos (field `photo`), each streamed to a
/// temporary file and checked like case materials. The same route serves staff
/// entering paper or phone feedback (`/staff/feedback/submit`). A refusal returns to
/// the form with the reason; success goes to the new item.
async fn feedback_submit(State(state): State<AppState>, user: Result<CurrentUser, AppError>, uri: axum::http::Uri, mut multipart: Multipart) -> Response {
    let staff = uri.path().starts_with("/staff/");
    let form_page = if staff { "/staff/feedback/new" } else { "/feedback/new" };
    let Ok(user) = user else {
        // The session ended while the form was open: sign in again, then back to it.
        // Back to the form after logging in, with what was typed (see upload.js).
        return Redirect::to(&format!("/login?next={}", encode(&format!("{form_page}?restore=1")))).into_response();
    };
    let fail = |err: AppError| match err {
        AppError::Rejected(reasons) => Redirect::to(&format!("{form_page}?error={}", encode(&reasons.join("；")))).into_response(),
        AppError::TooManyRequests(msg) => Redirect::to(&format!("{form_page}?error={}", encode(msg.zh()))).into_response(),
        other => other.into_response(),
    };
    let temp_dir = files::temp_dir(&state.config.data_dir);
    let mut input = feedback_service::NewFeedback::default();
    let mut photos = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("photo") => {
                let name = field.file_name().unwrap_or("photo").to_owned();
                if name.is_empty() {
                    continue; // an empty file input
                }
                if photos.len() == feedback_service::PHOTO_COUNT {
                    return fail(files::refuse(&format!("最多上传{}张照片", feedback_service::PHOTO_COUNT)));
                }
                // The fields come before the photos: refuse bad input before storing anything.
                if photos.is_empty()
                    && let Err(err) = feedback_service::check_submission(&state, &user, &input, chrono::Utc::now()).await
                {
                    return fail(err);
                }
                let received = match files::receive(&mut field, &temp_dir, feedback_service::PHOTO_LIMIT_BYTES).await {
                    Ok(received) => received,
                    Err(err) => return fail(err),
                };
                match files::clean(received, feedback_service::PHOTO_KINDS).await {
                    Ok((kind, temp)) => photos.push(feedback_service::Photo { name, kind, temp }),
                    Err(err) => return fail(err),
                }
            }
            Ok(Some(field)) => {
                let Some(name) = field.name().map(str::to_owned) else { continue };
                let Some(value) = small_text(field).await else {
                    return fail(files::refuse("提交中断或内容过长，请重新提交"));
                };
                let id = || value.trim().parse::<i32>().ok();
                match name.as_str() {
                    "kind" => input.kind = value,
                    "body" => input.body = value,
                    "anonymous" => input.anonymous = value == "true",
                    "publish" => input.publish = value == "true",
                    "about_case" => input.about_case = value,
                    "about_staff" => input.about_staff = id(),
                    "about_station" => input.about_station = id(),
                    "about_window" => input.about_window = id(),
                    "source" => input.source = value,
                    "contact_name" => input.contact_name = value,
                    "contact_phone" => input.contact_phone = value,
                    "key" => input.key = value,
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return fail(files::refuse("提交中断，文件不完整，请重新提交")),
        }
    }
    match feedback_service::submit(&state, &user, &input, photos, chrono::Utc::now()).await {
        Ok(number) => Redirect::to(&format!("{}/{}", if staff { "/staff/feedback" } else { "/feedback" }, encode(&number))).into_response(),
        Err(err) => fail(err),
    }
}

/// The largest text field of a multipart form (the longest feedback is far shorter).
const TEXT_FIELD_LIMIT: usize = 64 * 1024;

/// A text field of a multipart form, read chunk by chunk and refused past
/// [`TEXT_FIELD_LIMIT`]: a 60 MB "text" field never sits in memory.
async fn small_text(field: axum::extract::multipart::Field<'_>) -> Option<String> {
    String::from_utf8(read_limited(field, TEXT_FIELD_LIMIT).await?).ok()
}

/// A field's bytes, read chunk by chunk; `None` past `limit` or when the body broke off.
async fn read_limited(mut field: axum::extract::multipart::Field<'_>, limit: usize) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.ok()? {
        if bytes.len() + chunk.len() > limit {
            return None;
        }
        bytes.extend_from_slice(&chunk);
    }
    Some(bytes)
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

//! Cases' plain HTTP routes: material uploads (streamed), case files, and the clerk's
//! 一次性告知 form.

use super::service as case_service;
use crate::error::AppError;
use crate::i18n::{UploadReason, to_query};
use crate::ssr::AppState;
use crate::ssr::auth::CurrentUser;
use crate::ssr::files;
use crate::ssr::http::{encode, stored_file, wants_json};
use axum::Router;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Routes that take uploads (mounted with the larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/cases/{number}/materials/{index}", post(case_upload))
}

/// Downloads and the supplement form.
pub fn routes() -> Router<AppState> {
    Router::new().route("/cases/{number}/files/{id}", get(case_file)).route("/staff/cases/{number}/supplement", post(case_supplement))
}

/// Adds one or more files (field `file`, repeated) to material `index` of a case. Each
/// file streams to a temporary file (never whole in memory), is checked by its bytes
/// and for completeness, loses its metadata, goes to the object store, and only then
/// is recorded. The page's script posts one file at a time and reads JSON; a plain
/// form post gets a redirect back to the case.
async fn case_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((number, index)): Path<(String, u32)>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let back = format!("/cases/{}", encode(&number));
    let fail = |err: AppError| match err {
        AppError::Rejected(reasons) if !json => Redirect::to(&format!("{back}?upload_error={}#material-{index}", encode(&to_query(&reasons)))).into_response(),
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
            Err(_) => return fail(AppError::refused(UploadReason::Interrupted)),
        }
    }
    if saved.is_empty() {
        return fail(AppError::refused(UploadReason::NoFileChosen));
    }
    if json { axum::Json(serde_json::json!({ "saved": saved })).into_response() } else { Redirect::to(&format!("{back}#material-{index}")).into_response() }
}

/// A case file, for those who may see the case ("not found" for anyone else).
async fn case_file(State(state): State<AppState>, user: CurrentUser, Path((number, id)): Path<(String, i32)>) -> Response {
    stored_file(case_service::file_for(&state, &user, &number, id, chrono::Utc::now()).await)
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
        Err(AppError::Rejected(reasons)) => Redirect::to(&format!("{back}?notice_error={}#supplement", encode(&to_query(&reasons)))).into_response(),
        Err(err) => err.into_response(),
    }
}

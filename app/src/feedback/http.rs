//! Feedback's plain HTTP routes: the multipart submission with photos, and photos.

use super::service as feedback_service;
use crate::error::AppError;
use crate::i18n::{Reason, UploadReason, to_query};
use crate::ssr::AppState;
use crate::ssr::auth::CurrentUser;
use crate::ssr::files;
use crate::ssr::http::{encode, small_text, stored_file};
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Routes that take uploads (mounted with the larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/feedback/submit", post(feedback_submit)).route("/staff/feedback/submit", post(feedback_submit))
}

/// Downloads.
pub fn routes() -> Router<AppState> {
    Router::new().route("/feedback/{number}/photos/{id}", get(feedback_photo))
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
        AppError::Rejected(reasons) => Redirect::to(&format!("{form_page}?error={}", encode(&to_query(&reasons)))).into_response(),
        AppError::TooManyRequests(msg) => Redirect::to(&format!("{form_page}?error={}", encode(&to_query(&[Reason::of(msg)])))).into_response(),
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
                    return fail(AppError::refused(UploadReason::TooManyPhotos { max: feedback_service::PHOTO_COUNT }));
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
                    return fail(AppError::refused(UploadReason::SubmitTooLong));
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
            Err(_) => return fail(AppError::refused(UploadReason::SubmitInterrupted)),
        }
    }
    match feedback_service::submit(&state, &user, &input, photos, chrono::Utc::now()).await {
        Ok(number) => Redirect::to(&format!("{}/{}", if staff { "/staff/feedback" } else { "/feedback" }, encode(&number))).into_response(),
        Err(err) => fail(err),
    }
}

/// A feedback photo, for those who may see the feedback.
async fn feedback_photo(State(state): State<AppState>, user: CurrentUser, Path((number, id)): Path<(String, i32)>) -> Response {
    stored_file(feedback_service::photo_for(&state, &user, &number, id).await)
}

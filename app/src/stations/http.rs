//! Stations' plain HTTP routes: the photo of a signed 委托书, up and down.

use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{UploadReason, to_query};
use crate::ssr::AppState;
use crate::ssr::auth::CurrentUser;
use crate::ssr::files;
use crate::ssr::http::{encode, stored_file};
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Routes that take uploads (mounted with the larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/station/authorisations/{id}/paper", post(paper_upload))
}

/// Downloads.
pub fn routes() -> Router<AppState> {
    Router::new().route("/station/authorisations/{id}/photo", get(paper_photo))
}

/// The photo of a signed 委托书 (field `file`): checked and stripped like case
/// materials; the authorisation is in force once it is stored.
async fn paper_upload(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i32>, mut multipart: Multipart) -> Response {
    let back = format!("/station/authorisations/{id}");
    let fail = |err: AppError| match err {
        AppError::Rejected(reasons) => Redirect::to(&format!("{back}?upload_error={}", encode(&to_query(&reasons)))).into_response(),
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
                let received = match files::receive(&mut field, &temp_dir, super::service::PAPER_LIMIT_BYTES).await {
                    Ok(received) => received,
                    Err(err) => return fail(err),
                };
                let (kind, cleaned) = match files::clean(received, super::service::PAPER_KINDS).await {
                    Ok(cleaned) => cleaned,
                    Err(err) => return fail(err),
                };
                return match super::service::attach_paper(&state, &user, id, &name, kind, cleaned, chrono::Utc::now()).await {
                    Ok(()) => Redirect::to(&back).into_response(),
                    Err(err) => fail(err),
                };
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return fail(AppError::refused(UploadReason::Interrupted)),
        }
    }
    fail(AppError::refused(UploadReason::NoPowerOfAttorneyPhoto))
}

/// The photo of a signed 委托书: the resident, the station's helpers, the chief.
async fn paper_photo(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i32>) -> Response {
    stored_file(super::service::paper_file(&state, &user, id).await)
}

//! The catalogue's plain HTTP routes: import and sample uploads, the export, the
//! sample import file and guides' public files.

use super::{import, service::DEMO_CATALOGUE_CSV};
use crate::error::AppError;
use crate::i18n::{Reason, UploadReason, to_query};
use crate::ssr::AppState;
use crate::ssr::auth::CurrentUser;
use crate::ssr::files;
use crate::ssr::http::{SMALL_FILE_LIMIT_BYTES, encode, file_field, require_chief};
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

/// Largest catalogue file accepted for import.
pub const IMPORT_LIMIT_BYTES: usize = 5 * 1024 * 1024;

/// Routes that take uploads (mounted with the larger body limit).
pub fn uploads() -> Router<AppState> {
    Router::new().route("/staff/items/import", post(import_upload)).route("/staff/items/{code}/materials/{index}/sample", post(sample_upload))
}

/// Downloads.
pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/items/export.xlsx", get(export_xlsx)).route("/staff/items/sample.csv", get(sample_csv)).route("/files/{id}", get(public_file))
}

/// Receives a catalogue file, keeps its preview and shows it; writes nothing else.
async fn import_upload(State(state): State<AppState>, user: CurrentUser, mut multipart: Multipart) -> Response {
    if let Err(err) = require_chief(&user) {
        return err.into_response();
    }
    let back_with = |reasons: &[Reason]| Redirect::to(&format!("/staff/items?import_error={}", encode(&to_query(reasons)))).into_response();
    let too_large = UploadReason::TooLargeOrInterrupted { limit_mb: files::megabytes(IMPORT_LIMIT_BYTES) };
    let (name, bytes) = match file_field(&mut multipart, SMALL_FILE_LIMIT_BYTES, too_large.into()).await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with(&[UploadReason::NoImportFile.into()]),
        Err(reason) => return back_with(&[reason]),
    };
    match import::preview(&state.db, &name, &bytes, user.id).await {
        Ok(id) => Redirect::to(&format!("/staff/items/import/{id}")).into_response(),
        Err(AppError::Rejected(reasons)) => back_with(&reasons),
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
    let back_with = |reasons: &[Reason]| Redirect::to(&format!("{edit}?sample_error={}#samples", encode(&to_query(reasons)))).into_response();
    let too_large = UploadReason::TooLargeOrInterrupted { limit_mb: files::megabytes(files::SAMPLE_LIMIT_BYTES) };
    let (name, bytes) = match file_field(&mut multipart, SMALL_FILE_LIMIT_BYTES, too_large.into()).await {
        Ok(Some(file)) => file,
        Ok(None) => return back_with(&[UploadReason::NoFileChosen.into()]),
        Err(reason) => return back_with(&[reason]),
    };
    let (kind, kept) = match files::check(&bytes, files::SAMPLE_KINDS, files::SAMPLE_LIMIT_BYTES) {
        Ok(checked) => checked,
        Err(AppError::Rejected(reasons)) => return back_with(&reasons),
        Err(err) => return err.into_response(),
    };
    let stored = match files::save(&state.db, &state.files, "sample", &name, kind, kept, Some(user.id)).await {
        Ok(stored) => stored,
        Err(err) => return err.into_response(),
    };
    let sample = crate::guides::SampleFile { id: stored.id, name: stored.original_name, content_type: stored.content_type };
    match crate::guides::service::set_sample(&state.db, &code, index, Some(sample), user.id).await {
        Ok(()) => Redirect::to(&format!("{edit}?sample_saved=1#samples")).into_response(),
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
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"catalogue-sample.csv\"")], DEMO_CATALOGUE_CSV)
        .into_response()
}

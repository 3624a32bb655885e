//! Oversight's plain HTTP routes: the dashboard and a figure's records as `.xlsx` or
//! `.csv`, with the same permissions as the pages (the chief the center, a clerk or
//! handler their own; anyone else 403).

use super::export::{self, Sheet};
use super::{Figure, Period, Preset, service};
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::auth::CurrentUser;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/dashboard/export.xlsx", get(async |s: State<AppState>, u: CurrentUser, q: Query<Wanted>| dashboard(s, u, q, Format::Xlsx).await))
        .route("/staff/dashboard/export.csv", get(async |s: State<AppState>, u: CurrentUser, q: Query<Wanted>| dashboard(s, u, q, Format::Csv).await))
        .route("/staff/dashboard/records/export.xlsx", get(async |s: State<AppState>, u: CurrentUser, q: Query<Wanted>| records(s, u, q, Format::Xlsx).await))
        .route("/staff/dashboard/records/export.csv", get(async |s: State<AppState>, u: CurrentUser, q: Query<Wanted>| records(s, u, q, Format::Csv).await))
}

/// The period (and, for records, the figure) as the page's query names them.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Wanted {
    figure: Option<String>,
    preset: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl Wanted {
    fn period(&self) -> Result<Period, AppError> {
        let preset = match self.preset.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => Some(Preset::parse(p).ok_or(AppError::BadRequest)?),
            None => None,
        };
        Period::choose(preset, self.from.as_deref(), self.to.as_deref(), crate::time::cst_today(chrono::Utc::now()))
    }
}

#[derive(Clone, Copy)]
enum Format {
    Xlsx,
    Csv,
}

fn file(sheets: &[Sheet], format: Format, stem: &str) -> Response {
    let (bytes, kind, ext) = match format {
        Format::Xlsx => (export::xlsx(sheets), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        Format::Csv => (export::csv(sheets), "text/csv; charset=utf-8", "csv"),
    };
    match bytes {
        Ok(bytes) => {
            ([(header::CONTENT_TYPE, kind.to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}.{ext}\""))], bytes).into_response()
        }
        Err(err) => err.into_response(),
    }
}

async fn dashboard(State(state): State<AppState>, user: CurrentUser, Query(wanted): Query<Wanted>, format: Format) -> Response {
    let result = async {
        let period = wanted.period()?;
        let stem = format!("figures-{}-{}", period.from, period.to);
        let d = service::dashboard(&state.db, &user, period, chrono::Utc::now()).await?;
        Ok::<_, AppError>((export::dashboard_sheets(&d), stem))
    }
    .await;
    match result {
        Ok((sheets, stem)) => file(&sheets, format, &stem),
        Err(err) => err.into_response(),
    }
}

async fn records(State(state): State<AppState>, user: CurrentUser, Query(wanted): Query<Wanted>, format: Format) -> Response {
    let result = async {
        let figure = wanted.figure.as_deref().and_then(Figure::parse).ok_or(AppError::BadRequest)?;
        let period = wanted.period()?;
        let stem = format!("{}-{}-{}", figure.as_str(), period.from, period.to);
        let r = service::records(&state.db, &user, figure, period).await?;
        Ok::<_, AppError>((vec![export::records_sheet(&r)], stem))
    }
    .await;
    match result {
        Ok((sheets, stem)) => file(&sheets, format, &stem),
        Err(err) => err.into_response(),
    }
}

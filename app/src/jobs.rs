//! Scheduled jobs. Any number of app servers may run; each job takes a lease row in
//! the database first, so one server runs it at a time, and each job's own writes
//! (e.g. a reminder claimed before it is sent) make a second run harmless.

use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::entities::job_lease;
use chrono::{DateTime, Duration, Timelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Takes or renews the lease `name` for `holder` until `now + ttl`. True when held.
pub async fn take_lease(db: &impl ConnectionTrait, name: &str, holder: &str, ttl: Duration, now: DateTime<Utc>) -> Result<bool, AppError> {
    job_lease::Entity::insert(job_lease::ActiveModel { name: Set(name.to_owned()), holder: Set(holder.to_owned()), expires_at: Set(now) })
        .on_conflict(OnConflict::column(job_lease::Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    let taken = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder))
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(now + ttl))
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder).or(job_lease::Column::ExpiresAt.lte(now)))
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// The booking jobs, once: no-shows of ended slots; from 09:00 (China time) the
/// reminders for tomorrow; old throttle windows swept. Returns (no-shows marked,
/// reminders sent), or `None` when another server holds the lease. Each step runs
/// whatever happened to the one before it: a failing step is logged and counts 0.
pub async fn run_booking_jobs(state: &AppState, holder: &str, now: DateTime<Utc>) -> Result<Option<(u64, usize)>, AppError> {
    if !take_lease(&state.db, "booking-jobs", holder, Duration::minutes(5), now).await? {
        return Ok(None);
    }
    let no_shows = step("no-shows", crate::booking::service::mark_no_shows(&state.db, now)).await;
    let local_hour = now.with_timezone(&crate::time::cst()).hour();
    let reminders = if local_hour >= 9 { step("reminders", crate::booking::service::send_reminders(state, now)).await } else { 0 };
    step("throttle sweep", async { Ok::<_, AppError>(crate::ssr::throttle::sweep(&state.db, Duration::days(1), now).await?) }).await;
    Ok(Some((no_shows, reminders)))
}

async fn step<T: Default>(name: &'static str, work: impl std::future::Future<Output = Result<T, AppError>>) -> T {
    match work.await {
        Ok(done) => done,
        Err(err) => {
            tracing::warn!(step = name, error = ?err, "job step failed; the next steps run anyway");
            T::default()
        }
    }
}

/// Runs the jobs every minute for as long as the server runs.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    let holder = format!("{}-{}", std::process::id(), &crate::ssr::crypto::random_token()[..8]);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match run_booking_jobs(&state, &holder, Utc::now()).await {
                Ok(Some((no_shows, reminders))) if no_shows + reminders as u64 > 0 => {
                    tracing::info!(no_shows, reminders, "booking jobs ran");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = ?err, "booking jobs failed"),
            }
        }
    })
}

//! Throttles (限流): counters kept in the database, so a limit holds across app
//! servers and under any concurrency.
//!
//! Each key counts hits in a fixed window. [`hit`] is a single upsert that adds one
//! and returns the new count, so check and record are one atomic statement on SQLite
//! and PostgreSQL alike: of N concurrent callers, exactly as many as the limit allows
//! see a count within it, and the rest are refused before any expensive work (a
//! password hash, a database search, a photo upload). Counting first and recording
//! later let 32 of 40 concurrent wrong passwords through a limit of 5.

use crate::ssr::entities::throttle;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A client address as it goes into a key (bounded, so a forged header cannot make a
/// key longer than the column).
pub fn address(addr: &str) -> String {
    addr.chars().take(64).collect()
}

/// A key's count in its current window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub hits: i32,
    pub window_start: DateTime<Utc>,
}

impl Count {
    /// When the window (and so any refusal it causes) ends.
    pub fn until(&self, window: Duration) -> DateTime<Utc> {
        self.window_start + window
    }
}

/// Counts one hit under `key` and returns the count including it. A window older than
/// `window` starts again at 1.
pub async fn hit(db: &impl ConnectionTrait, key: &str, window: Duration, now: DateTime<Utc>) -> Result<Count, DbErr> {
    let hits = Expr::col((throttle::Entity, throttle::Column::Hits));
    let start = Expr::col((throttle::Entity, throttle::Column::WindowStart));
    let expired = || start.clone().lte(now - window);
    let row = throttle::Entity::insert(throttle::ActiveModel { key: Set(key.to_owned()), window_start: Set(now), hits: Set(1) })
        .on_conflict(
            OnConflict::column(throttle::Column::Key)
                .value(throttle::Column::Hits, Expr::case(expired(), 1).finally(hits.add(1)))
                .value(throttle::Column::WindowStart, Expr::case(expired(), Expr::val(now)).finally(start.clone()))
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    Ok(Count { hits: row.hits, window_start: row.window_start })
}

/// The count under `key` without adding to it (0 when none or the window is over).
pub async fn peek(db: &impl ConnectionTrait, key: &str, window: Duration, now: DateTime<Utc>) -> Result<i32, DbErr> {
    let found = throttle::Entity::find_by_id(key.to_owned()).one(db).await?;
    Ok(found.filter(|row| row.window_start > now - window).map_or(0, |row| row.hits))
}

/// Forgets `key` (a successful login, a lock lifted by the chief).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    throttle::Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Keys starting with `prefix` whose count in the current window exceeds `limit`,
/// newest first, at most `max`.
pub async fn over_limit(
    db: &impl ConnectionTrait,
    prefix: &str,
    limit: i32,
    window: Duration,
    now: DateTime<Utc>,
    max: u64,
) -> Result<Vec<throttle::Model>, DbErr> {
    throttle::Entity::find()
        .filter(throttle::Column::Key.starts_with(prefix))
        .filter(throttle::Column::Hits.gte(limit))
        .filter(throttle::Column::WindowStart.gt(now - window))
        .order_by_desc(throttle::Column::WindowStart)
        .limit(max)
        .all(db)
        .await
}

/// Removes windows that ended more than `older_than` ago (run by the jobs).
pub async fn sweep(db: &impl ConnectionTrait, older_than: Duration, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = throttle::Entity::delete_many().filter(throttle::Column::WindowStart.lt(now - older_than)).exec(db).await?;
    Ok(result.rows_affected)
}

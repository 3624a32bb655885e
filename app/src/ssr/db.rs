//! Database connection: SQLite (embedded default) or PostgreSQL, chosen by the URL.

use crate::error::{AppError, FieldError};
use crate::i18n::Msg;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr, SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait};
use std::time::Duration;

/// Connects and tunes the pool. SQLite gets WAL, `synchronous=NORMAL`, foreign keys
/// and a busy timeout; see [`begin_write`] for how writers avoid "database is locked".
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false).acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        // An embedded file cannot drop a connection: no ping before each checkout
        // (sqlx pings by default, one more round trip to the worker thread per query).
        options.test_before_acquire(false);
        options.max_connections(8).min_connections(1).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(15))
                .create_if_missing(true)
        });
    } else {
        // Ping only connections idle long enough for a server, proxy or firewall to have
        // dropped them; a busy pool's connections go straight to work.
        options.max_connections(32).min_connections(1).test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    Database::connect(options).await
}

/// Begins a transaction that will write.
///
/// On SQLite this is `BEGIN IMMEDIATE`: the write lock is taken up front and waits on
/// the busy timeout. A deferred transaction that reads and then writes cannot wait —
/// SQLite fails it at once with "database is locked" when another writer got there
/// first. PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() }).await
}

/// The next number of daily sequence `name` (`case`, `feedback`) on `day`: 1, 2, … One
/// upsert inside the writer's transaction, so two writers never get the same number.
pub async fn next_in_day(txn: &impl sea_orm::ConnectionTrait, name: &str, day: chrono::NaiveDate) -> Result<i32, DbErr> {
    use crate::ssr::entities::daily_sequence as sequence;
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
    use sea_orm::{ActiveValue::Set, EntityTrait};
    sequence::Entity::insert(sequence::ActiveModel { name: Set(name.to_owned()), day: Set(day), last: Set(1) })
        .on_conflict(
            OnConflict::columns([sequence::Column::Name, sequence::Column::Day])
                .value(sequence::Column::Last, Expr::col((sequence::Entity, sequence::Column::Last)).add(1))
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(sequence::Entity::find_by_id((name.to_owned(), day)).one(txn).await?.map_or(1, |s| s.last))
}

/// Turns a unique-constraint violation into a field error; any other error stays a
/// database error. One place, not error-text matching spread over services.
pub fn on_unique<T>(result: Result<T, DbErr>, field: &str, msg: Msg) -> Result<T, AppError> {
    result.map_err(|err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Validation(vec![FieldError { field: field.to_owned(), msg }]),
        _ => AppError::from(err),
    })
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        tracing::error!(error = %err, "internal error");
        AppError::Internal
    }
}

//! Database behaviour: concurrent writers, the append-only audit log.

use crate::helpers::*;
use crate::on_both_databases;
use app::ssr::audit::{self, Entry};
use app::ssr::db::begin_write;
use app::ssr::entities::audit_log;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

on_both_databases!(many_concurrent_writers_never_fail, many_concurrent_registrations_all_succeed, the_audit_log_cannot_be_rewritten);

/// 64 tasks each read and then write inside one transaction — the pattern that fails
/// with "database is locked" on SQLite when transactions are deferred.
async fn many_concurrent_writers_never_fail(backend: Backend) {
    let app = spawn_app(backend).await;
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let db = app.state.db.clone();
            tokio::spawn(async move {
                for round in 0..3 {
                    let txn = begin_write(&db).await?;
                    let seen = audit_log::Entity::find().count(&txn).await?;
                    audit::record(
                        &txn,
                        Entry {
                            actor_id: None,
                            on_behalf_of: None,
                            action: "test.write",
                            entity: "test",
                            entity_id: Some(format!("{i}-{round}")),
                            detail: serde_json::json!({ "seen": seen }),
                        },
                    )
                    .await?;
                    txn.commit().await?;
                }
                Ok::<_, sea_orm::DbErr>(())
            })
        })
        .collect();
    for result in futures::future::join_all(tasks).await {
        result.expect("task").expect("no write may fail");
    }
    assert_eq!(app.count("audit_log").await, 64 * 3);
}

async fn many_concurrent_registrations_all_succeed(backend: Backend) {
    let app = std::sync::Arc::new(spawn_app(backend).await);
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move { app.register(&format!("1380000{i:04}")).await })
        })
        .collect();
    for result in futures::future::join_all(tasks).await {
        result.expect("registration");
    }
    assert_eq!(app.count("users").await, 24);
    assert_eq!(app.count("sessions").await, 24);
}

async fn the_audit_log_cannot_be_rewritten(backend: Backend) {
    let app = spawn_app(backend).await;
    app.register("13800138000").await;
    let before = app.count("audit_log").await;
    assert!(before > 0);
    let update = app.state.db.execute_unprepared("UPDATE audit_log SET action = 'forged'").await;
    assert!(update.is_err(), "UPDATE must be refused");
    let delete = app.state.db.execute_unprepared("DELETE FROM audit_log").await;
    assert!(delete.is_err(), "DELETE must be refused");
    assert_eq!(app.count("audit_log").await, before);
}

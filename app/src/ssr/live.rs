//! Live updates (实时推送) for the hall board and residents' tickets.
//!
//! The version of the queue is the database's `queue` change counter (see
//! [`super::freshness`]), bumped inside every queue write. The server that wrote re-reads
//! it before answering, which wakes its listeners at once; every server also re-reads
//! it four times a second while anyone is listening, so a call made on another app
//! server reaches this server's boards within a second too.

use super::freshness::Watch;
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::watch;

/// One per server; cheap to clone.
#[derive(Clone)]
pub struct QueueHub {
    watch: Arc<Watch>,
    polling: Arc<AtomicBool>,
}

impl QueueHub {
    /// A hub following `watch` (the `queue` counter's).
    pub fn new(watch: Arc<Watch>) -> QueueHub {
        QueueHub { watch, polling: Arc::new(AtomicBool::new(false)) }
    }

    /// The queue's version (read again if the last read is older than a poll).
    pub async fn version(&self, db: &DatabaseConnection) -> Result<i64, DbErr> {
        self.watch.fresh(db).await
    }

    /// A receiver that wakes on every queue change; starts the poller if needed.
    pub async fn subscribe(&self, db: &DatabaseConnection) -> watch::Receiver<i64> {
        let receiver = self.watch.subscribe();
        // An error only delays the first update until the next poll.
        let _ = self.watch.fresh(db).await;
        if !self.polling.swap(true, Ordering::AcqRel) {
            let (hub, db) = (self.clone(), db.clone());
            tokio::spawn(async move {
                // Runs while anyone listens; the next subscriber starts it again.
                loop {
                    while hub.watch.listeners() > 0 {
                        tokio::time::sleep(hub.watch.every()).await;
                        let _ = hub.watch.fresh(&db).await;
                    }
                    hub.polling.store(false, Ordering::Release);
                    // A subscriber that came in between found the flag still set: go on.
                    if hub.watch.listeners() == 0 || hub.polling.swap(true, Ordering::AcqRel) {
                        break;
                    }
                }
            });
        }
        receiver
    }
}

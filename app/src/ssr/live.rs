//! Live updates (实时推送) for the hall board and residents' tickets.
//!
//! The version of the queue is the database's `queue` change counter, bumped inside
//! every queue write. A server that writes pokes its hub at once; every server also
//! re-reads the counter four times a second while anyone is listening, so a call made
//! on another app server reaches this server's boards within a second too.

use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::watch;

/// The counter bumped with every queue change; boards and phones follow it.
pub const QUEUE_COUNTER: &str = "queue";

const POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// One per server; cheap to clone.
#[derive(Clone)]
pub struct QueueHub {
    inner: Arc<Inner>,
}

struct Inner {
    version: watch::Sender<i64>,
    watching: AtomicBool,
}

impl Default for QueueHub {
    fn default() -> Self {
        QueueHub { inner: Arc::new(Inner { version: watch::Sender::new(0), watching: AtomicBool::new(false) }) }
    }
}

impl QueueHub {
    /// A receiver that wakes on every queue change; starts the watcher if needed.
    pub async fn subscribe(&self, db: &DatabaseConnection) -> watch::Receiver<i64> {
        let receiver = self.inner.version.subscribe();
        self.poke(db).await;
        if !self.inner.watching.swap(true, Ordering::AcqRel) {
            let (hub, db) = (self.clone(), db.clone());
            tokio::spawn(async move {
                // Runs while anyone listens; the next subscriber starts it again.
                loop {
                    while hub.inner.version.receiver_count() > 0 {
                        tokio::time::sleep(POLL).await;
                        hub.poke(&db).await;
                    }
                    hub.inner.watching.store(false, Ordering::Release);
                    // A subscriber that came in between found the flag still set: go on.
                    if hub.inner.version.receiver_count() == 0 || hub.inner.watching.swap(true, Ordering::AcqRel) {
                        break;
                    }
                }
            });
        }
        receiver
    }

    /// Re-reads the counter and wakes listeners if it moved. Called after every local
    /// queue write; errors only delay an update until the next poll.
    pub async fn poke(&self, db: &DatabaseConnection) {
        if let Ok(value) = super::db::read_counter(db, QUEUE_COUNTER).await {
            self.inner.version.send_if_modified(|current| {
                let moved = *current != value;
                *current = value;
                moved
            });
        }
    }
}

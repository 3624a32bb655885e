//! One rule for every in-memory copy of what the database holds: a change counter.
//!
//! - **Bump in the writing transaction.** A write that changes what a copy holds calls
//!   [`bump`] inside its transaction, so the counter moves exactly when the change
//!   commits (and not at all when it rolls back).
//! - **Read at most once per interval.** Each server keeps a [`Watch`] per counter and
//!   re-reads the counter when it is used and its last read is older than the interval
//!   (one reader at a time; the others go on with the value just known). A copy tags
//!   what it keeps with the value it was read under and uses an entry only while the
//!   tag is the current value, so a change made through another server is seen within
//!   the interval.
//! - **Clear locally at once.** [`bump`] also notes the counter in the running request
//!   (see [`recording`]); when the request is done, the server re-reads the counters it
//!   bumped ([`Watches::changed_here`]) before the response leaves, so whoever made a
//!   change sees it at once on this server. The response is marked by what was written,
//!   not guessed from its URL.

use crate::ssr::entities::change_counter;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// A change counter: its row in `change_counters`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Counter(&'static str);

/// Sessions ended or changed (logout, logout everywhere, a profile or station change).
pub const SESSIONS: Counter = Counter("sessions");
/// The catalogue (items, their versions, categories): cached guide pages, the search index.
pub const CATALOGUE: Counter = Counter("catalogue");
/// The queue: hall boards and residents' tickets follow it.
pub const QUEUE: Counter = Counter("queue");
/// Booking seats freed (a cancellation, a closed day): the slot gate follows it.
pub const SEATS: Counter = Counter("seats");

const ALL: [Counter; 4] = [SESSIONS, CATALOGUE, QUEUE, SEATS];

impl Counter {
    pub fn name(self) -> &'static str {
        self.0
    }
}

tokio::task_local! {
    /// The counters the running request has bumped.
    static BUMPED: std::cell::RefCell<Vec<Counter>>;
}

/// Bumps `counter` inside the writer's transaction (a counter not yet in the table
/// starts at 1), and notes it in the running request.
pub async fn bump(txn: &impl ConnectionTrait, counter: Counter) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
    use sea_orm::{ActiveValue::Set, EntityTrait};
    change_counter::Entity::insert(change_counter::ActiveModel { name: Set(counter.0.to_owned()), value: Set(1) })
        .on_conflict(
            OnConflict::column(change_counter::Column::Name)
                .value(change_counter::Column::Value, Expr::col((change_counter::Entity, change_counter::Column::Value)).add(1))
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    let _outside_a_request = BUMPED.try_with(|bumped| {
        let mut bumped = bumped.borrow_mut();
        if !bumped.contains(&counter) {
            bumped.push(counter);
        }
    });
    Ok(())
}

/// The current value of `counter` in the database (0 before its first bump).
pub async fn read(db: &impl ConnectionTrait, counter: Counter) -> Result<i64, DbErr> {
    use sea_orm::EntityTrait;
    Ok(change_counter::Entity::find_by_id(counter.0.to_owned()).one(db).await?.map_or(0, |c| c.value))
}

/// Runs `work` (one request), noting the counters it bumps.
pub async fn recording<T>(work: impl Future<Output = T>) -> (T, Vec<Counter>) {
    let mut output = None;
    let bumped = BUMPED
        .scope(Default::default(), async {
            output = Some(work.await);
            BUMPED.with(|bumped| bumped.take())
        })
        .await;
    (output.unwrap_or_else(|| unreachable!("the scope ran the work")), bumped)
}

/// One server's view of one counter.
pub struct Watch {
    counter: Counter,
    every: Duration,
    /// The value last read; -1 before the first read. Subscribers wake when it moves.
    value: watch::Sender<i64>,
    /// When it was last read, in ms since `started`.
    read_at: AtomicU64,
    started: Instant,
    reading: tokio::sync::Mutex<()>,
}

impl Watch {
    pub fn new(counter: Counter, every: Duration) -> Watch {
        Watch { counter, every, value: watch::Sender::new(-1), read_at: AtomicU64::new(0), started: Instant::now(), reading: Default::default() }
    }

    pub fn counter(&self) -> Counter {
        self.counter
    }

    /// How often the counter is read at most.
    pub fn every(&self) -> Duration {
        self.every
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// The value as last read, re-reading it first when the last read is older than
    /// the interval. Use the answer as the tag of what is read from the database next.
    pub async fn fresh(&self, db: &DatabaseConnection) -> Result<i64, DbErr> {
        let known = self.current();
        let due = self.now_ms().saturating_sub(self.read_at.load(Ordering::Acquire)) >= self.every.as_millis() as u64;
        if known >= 0 && !due {
            return Ok(known);
        }
        // One reader at a time; the others go on with what is known (at most one
        // interval old). Before the first read there is nothing to go on: wait for it.
        match self.reading.try_lock() {
            Ok(_reading) => self.read_now(db).await,
            Err(_) if known >= 0 => Ok(known),
            Err(_) => {
                let _reading = self.reading.lock().await;
                match self.current() {
                    -1 => self.read_now(db).await,
                    value => Ok(value),
                }
            }
        }
    }

    /// Re-reads the counter now (after a change made here), waking subscribers if it moved.
    pub async fn read_now(&self, db: &DatabaseConnection) -> Result<i64, DbErr> {
        let started_ms = self.now_ms();
        let value = read(db, self.counter).await?;
        self.read_at.fetch_max(started_ms, Ordering::AcqRel);
        self.value.send_if_modified(|current| {
            // Counters only grow: a slower read that saw an older value changes nothing.
            let moved = value > *current;
            if moved {
                *current = value;
            }
            moved
        });
        Ok(self.current())
    }

    /// The value as last read (-1 before the first read), without reading.
    pub fn current(&self) -> i64 {
        *self.value.borrow()
    }

    /// A receiver that wakes whenever the value moves.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.value.subscribe()
    }

    /// How many receivers are listening.
    pub fn listeners(&self) -> usize {
        self.value.receiver_count()
    }
}

/// This server's watches, one per counter; cheap to clone.
#[derive(Clone)]
pub struct Watches(Arc<[Arc<Watch>; 4]>);

impl Default for Watches {
    /// Sessions, the catalogue and seats are re-read at most once a second; the queue
    /// four times a second (a number called at the window should reach the hall at once).
    fn default() -> Self {
        Watches(Arc::new(ALL.map(|counter| {
            let every = if counter == QUEUE { Duration::from_millis(250) } else { Duration::from_secs(1) };
            Arc::new(Watch::new(counter, every))
        })))
    }
}

impl Watches {
    pub fn get(&self, counter: Counter) -> Arc<Watch> {
        let at = ALL.iter().position(|c| *c == counter).unwrap_or_else(|| unreachable!("every counter has a watch"));
        self.0[at].clone()
    }

    /// Re-reads the counters a request just bumped, so this server's copies follow at once.
    pub async fn changed_here(&self, db: &DatabaseConnection, counters: &[Counter]) {
        for counter in counters {
            if let Err(err) = self.get(*counter).read_now(db).await {
                // The interval's re-read catches up.
                tracing::warn!(error = %err, counter = counter.0, "re-reading a change counter");
            }
        }
    }
}

/// An in-memory database with the counters' table, for unit tests of the copies.
#[cfg(test)]
pub async fn counter_db() -> DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new("sqlite::memory:");
    options.max_connections(1).sqlx_logging(false);
    let db = sea_orm::Database::connect(options).await.expect("in-memory database");
    db.execute_unprepared("CREATE TABLE change_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)").await.expect("table");
    db
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_watch_reads_at_most_once_per_interval_and_at_once_after_a_change_here() {
        let db = counter_db().await;
        let watches = Watches::default();
        let catalogue = watches.get(CATALOGUE);
        assert_eq!(catalogue.current(), -1, "not read yet");
        assert_eq!(catalogue.fresh(&db).await.expect("read"), 0, "before the first bump");

        // A change made elsewhere (no request recorded here) is seen after the interval.
        bump(&db, CATALOGUE).await.expect("bump");
        assert_eq!(catalogue.fresh(&db).await.expect("read"), 0, "within the interval: what is known");
        tokio::time::sleep(Duration::from_millis(1_010)).await;
        assert_eq!(catalogue.fresh(&db).await.expect("read"), 1, "after it: read again");

        // A change made by a request here is seen when the request ends.
        let listener = catalogue.subscribe();
        let ((), bumped) = recording(async {
            bump(&db, CATALOGUE).await.expect("bump");
            bump(&db, CATALOGUE).await.expect("bump");
        })
        .await;
        assert_eq!(bumped, vec![CATALOGUE], "each counter noted once");
        watches.changed_here(&db, &bumped).await;
        assert_eq!(catalogue.fresh(&db).await.expect("read"), 3);
        assert!(listener.has_changed().expect("open"), "listeners are woken");
        assert_eq!(watches.get(QUEUE).fresh(&db).await.expect("read"), 0, "counters are apart");
    }
}

//! Sessions this server has just read, kept in memory so a request from a known session
//! needs no database read — what lets a booking rush be answered without a query per
//! tap.
//!
//! The database stays the truth, and what is remembered is never trusted for long:
//! - An entry is used only while its session was seen active in the last minute (the
//!   same minute after which a request touches `last_seen_at` anyway), so a change made
//!   straight in the database is seen within a minute.
//! - Anything that ends a session or changes what a session shows (logout, logout
//!   everywhere, a profile change) bumps the `sessions` change counter in its
//!   transaction and clears this server's memory at once; every other server reads the
//!   counter at most once a second and forgets everything when it moved.
//! - A read that started before a clear is not remembered after it.

use super::auth::CurrentUser;
use super::db::read_counter;
use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The change counter bumped whenever a session ends or what it shows changes.
pub const SESSIONS_COUNTER: &str = "sessions";

/// A session is re-read (and its `last_seen_at` touched) at least this often.
pub const TOUCH_EVERY: Duration = Duration::minutes(1);

/// How often the shared counter is read.
const CHECK_EVERY_MS: u64 = 1_000;

/// More entries than this and the memory starts over.
const MAX_ENTRIES: usize = 200_000;

#[derive(Clone, Default)]
pub struct SessionCache(Arc<Inner>);

struct Inner {
    entries: Mutex<HashMap<String, Entry>>,
    /// Bumped by every clear; a read started under an older epoch is not kept.
    epoch: AtomicU64,
    /// The shared counter's value when last read (-1: never read yet).
    counter: AtomicI64,
    /// When the counter was last read, in ms since `started`.
    checked_ms: AtomicU64,
    started: Instant,
    checking: tokio::sync::Mutex<()>,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            entries: Default::default(),
            epoch: AtomicU64::new(0),
            counter: AtomicI64::new(-1),
            checked_ms: AtomicU64::new(0),
            started: Instant::now(),
            checking: Default::default(),
        }
    }
}

#[derive(Clone)]
struct Entry {
    user: CurrentUser,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// Where a read of the database started, for [`SessionCache::remember`].
#[derive(Clone, Copy)]
pub struct Epoch(u64);

impl SessionCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.0.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the shared counter if it is due, and forgets everything if it moved.
    pub async fn sync(&self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let now_ms = self.0.started.elapsed().as_millis() as u64;
        let never = self.0.counter.load(Ordering::Acquire) < 0;
        if !never && now_ms.saturating_sub(self.0.checked_ms.load(Ordering::Acquire)) < CHECK_EVERY_MS {
            return Ok(());
        }
        // One reader at a time; the others go on with what is known (at most a second old).
        let Ok(_checking) = self.0.checking.try_lock() else {
            return if never { self.sync_now(db).await } else { Ok(()) };
        };
        self.sync_now(db).await
    }

    async fn sync_now(&self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let value = read_counter(db, SESSIONS_COUNTER).await?;
        if self.0.counter.swap(value, Ordering::AcqRel) != value {
            // Reads that started before this one may have seen the old state.
            self.clear();
        }
        self.0.checked_ms.store(self.0.started.elapsed().as_millis() as u64, Ordering::Release);
        Ok(())
    }

    /// The current epoch, taken before reading a session from the database.
    pub fn epoch(&self) -> Epoch {
        Epoch(self.0.epoch.load(Ordering::Acquire))
    }

    /// The user of session `hash` if it is remembered, active, unexpired and was seen
    /// within [`TOUCH_EVERY`].
    pub fn get(&self, hash: &str, now: DateTime<Utc>, idle: Duration) -> Option<CurrentUser> {
        let entries = self.entries();
        let entry = entries.get(hash)?;
        let fresh = entry.expires_at > now && entry.last_seen_at + idle > now && now - entry.last_seen_at <= TOUCH_EVERY;
        fresh.then(|| entry.user.clone())
    }

    /// Remembers session `hash`, read from the database since `epoch`.
    pub fn remember(&self, epoch: Epoch, hash: String, user: CurrentUser, last_seen_at: DateTime<Utc>, expires_at: DateTime<Utc>) {
        let mut entries = self.entries();
        // Checked under the lock that `clear` takes, so a clear is never undone.
        if self.0.epoch.load(Ordering::Acquire) != epoch.0 {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(hash, Entry { user, last_seen_at, expires_at });
    }

    /// Forgets every session (call after a change that ends sessions or alters them).
    pub fn clear(&self) {
        let mut entries = self.entries();
        self.0.epoch.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// How many sessions are remembered (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn user(id: i32) -> CurrentUser {
        CurrentUser { id, session_id: id, role: Role::Resident, station_id: None, name: None }
    }

    #[test]
    fn only_fresh_unexpired_sessions_are_answered_from_memory() {
        let cache = SessionCache::default();
        let now = Utc::now();
        let idle = Duration::days(14);
        cache.remember(cache.epoch(), "a".into(), user(1), now, now + Duration::days(1));
        cache.remember(cache.epoch(), "old".into(), user(2), now - Duration::minutes(2), now + Duration::days(1));
        cache.remember(cache.epoch(), "ended".into(), user(3), now, now - Duration::seconds(1));
        assert_eq!(cache.get("a", now, idle), Some(user(1)));
        assert_eq!(cache.get("old", now, idle), None, "seen over a minute ago: read again (and touched)");
        assert_eq!(cache.get("ended", now, idle), None, "past its absolute expiry");
        assert_eq!(cache.get("a", now, Duration::zero()), None, "idle too long");
        assert_eq!(cache.get("unknown", now, idle), None);
    }

    #[test]
    fn a_clear_forgets_everything_and_a_read_started_before_it_is_not_kept() {
        let cache = SessionCache::default();
        let now = Utc::now();
        let before = cache.epoch();
        cache.remember(before, "a".into(), user(1), now, now + Duration::days(1));
        cache.clear();
        assert!(cache.is_empty());
        cache.remember(before, "b".into(), user(2), now, now + Duration::days(1));
        assert_eq!(cache.get("b", now, Duration::days(14)), None, "read before the clear");
        cache.remember(cache.epoch(), "b".into(), user(2), now, now + Duration::days(1));
        assert_eq!(cache.get("b", now, Duration::days(14)), Some(user(2)));
    }
}

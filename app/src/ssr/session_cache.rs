//! Sessions this server has just read, kept in memory so a request from a known session
//! needs no database read — what lets a booking rush be answered without a query per
//! tap.
//!
//! The database stays the truth, and what is remembered is never trusted for long:
//! - An entry is used only while its session was seen active in the last minute (the
//!   same minute after which a request touches `last_seen_at` anyway), so a change made
//!   straight in the database is seen within a minute.
//! - Anything that ends a session or changes what a session shows (logout, logout
//!   everywhere, a profile or station change) bumps the `sessions` change counter in its
//!   transaction (see [`super::freshness`]). Entries are tagged with the counter they
//!   were read under and used only while it stands: this server follows at once, every
//!   other within a second.

use super::auth::CurrentUser;
use super::freshness::Watch;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::Arc;

/// A session is re-read (and its `last_seen_at` touched) at least this often.
pub const TOUCH_EVERY: Duration = Duration::minutes(1);

/// Most sessions remembered (moka evicts the least used past it).
const MAX_ENTRIES: u64 = 200_000;

#[derive(Clone)]
pub struct SessionCache {
    entries: moka::sync::Cache<String, Arc<Entry>>,
    watch: Arc<Watch>,
}

struct Entry {
    tag: Tag,
    user: CurrentUser,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// The `sessions` counter a read of the database started under.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tag(i64);

impl SessionCache {
    /// A cache following `watch` (the `sessions` counter's).
    pub fn new(watch: Arc<Watch>) -> SessionCache {
        SessionCache { entries: moka::sync::Cache::new(MAX_ENTRIES), watch }
    }

    /// The tag to read and remember under (reads the counter if it is due).
    pub async fn fresh(&self, db: &DatabaseConnection) -> Result<Tag, DbErr> {
        Ok(Tag(self.watch.fresh(db).await?))
    }

    /// The user of session `hash` if it is remembered under `tag`, active, unexpired and
    /// was seen within [`TOUCH_EVERY`].
    pub fn get(&self, tag: Tag, hash: &str, now: DateTime<Utc>, idle: Duration) -> Option<CurrentUser> {
        let entry = self.entries.get(hash)?;
        let fresh = entry.tag == tag && entry.expires_at > now && entry.last_seen_at + idle > now && now - entry.last_seen_at <= TOUCH_EVERY;
        fresh.then(|| entry.user.clone())
    }

    /// Remembers session `hash`, read from the database under `tag`.
    pub fn remember(&self, tag: Tag, hash: String, user: CurrentUser, last_seen_at: DateTime<Utc>, expires_at: DateTime<Utc>) {
        // A read that started before the counter moved is not kept.
        if tag.0 == self.watch.current() {
            self.entries.insert(hash, Arc::new(Entry { tag, user, last_seen_at, expires_at }));
        }
    }

    /// How many sessions are remembered under the current counter (for tests and
    /// diagnostics).
    pub fn len(&self) -> usize {
        let current = Tag(self.watch.current());
        self.entries.iter().filter(|(_, entry)| entry.tag == current).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::ssr::freshness::{SESSIONS, Watches, bump, counter_db, recording};

    fn user(id: i32) -> CurrentUser {
        CurrentUser { id, session_id: id, role: Role::Resident, station_id: None, name: None }
    }

    #[tokio::test]
    async fn only_fresh_unexpired_sessions_are_answered_from_memory() {
        let db = counter_db().await;
        let cache = SessionCache::new(Watches::default().get(SESSIONS));
        let tag = cache.fresh(&db).await.expect("tag");
        let now = Utc::now();
        let idle = Duration::days(14);
        cache.remember(tag, "a".into(), user(1), now, now + Duration::days(1));
        cache.remember(tag, "old".into(), user(2), now - Duration::minutes(2), now + Duration::days(1));
        cache.remember(tag, "ended".into(), user(3), now, now - Duration::seconds(1));
        assert_eq!(cache.get(tag, "a", now, idle), Some(user(1)));
        assert_eq!(cache.get(tag, "old", now, idle), None, "seen over a minute ago: read again (and touched)");
        assert_eq!(cache.get(tag, "ended", now, idle), None, "past its absolute expiry");
        assert_eq!(cache.get(tag, "a", now, Duration::zero()), None, "idle too long");
        assert_eq!(cache.get(tag, "unknown", now, idle), None);
    }

    #[tokio::test]
    async fn a_change_forgets_everything_and_a_read_started_before_it_is_not_kept() {
        let db = counter_db().await;
        let watches = Watches::default();
        let cache = SessionCache::new(watches.get(SESSIONS));
        let now = Utc::now();
        let before = cache.fresh(&db).await.expect("tag");
        cache.remember(before, "a".into(), user(1), now, now + Duration::days(1));
        assert_eq!(cache.len(), 1);
        let ((), bumped) = recording(async { bump(&db, SESSIONS).await.expect("bump") }).await;
        watches.changed_here(&db, &bumped).await;
        assert!(cache.is_empty(), "forgotten at once on this server");
        let after = cache.fresh(&db).await.expect("tag");
        assert_eq!(cache.get(after, "a", now, Duration::days(14)), None);
        cache.remember(before, "b".into(), user(2), now, now + Duration::days(1));
        assert_eq!(cache.get(after, "b", now, Duration::days(14)), None, "read before the change");
        cache.remember(after, "b".into(), user(2), now, now + Duration::days(1));
        assert_eq!(cache.get(after, "b", now, Duration::days(14)), Some(user(2)));
    }
}

//! The application state shared by every request.

use super::config::Config;
use super::files::Store;
use super::mailer::Mailer;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Everything a request may need: no global singletons. Cloned per request by the
/// router and by every server function, so it is one shared pointer.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub config: Arc<Config>,
    /// Uploaded files (samples, and later case materials).
    pub files: Store,
    /// Wakes hall boards and residents' tickets when the queue changes.
    pub queue: super::live::QueueHub,
    /// Booking turns per slot and what is known of slots' seats (see [`SlotGate`]).
    pub slots: SlotGate,
    /// In-memory copies the features keep for themselves (see [`Locals`]).
    pub locals: Locals,
    /// Sessions just read, so a known session needs no query (see [`super::session_cache`]).
    pub sessions: super::session_cache::SessionCache,
    /// This server's view of the change counters every in-memory copy follows (see
    /// [`super::freshness`]).
    pub watches: super::freshness::Watches,
    /// A digest of this build's WASM, JS and CSS: pages link them under
    /// `/v/<version>/pkg/`, served as immutable, so a repeat visit downloads none of
    /// them and a new build is fetched at once.
    pub asset_version: String,
}

/// In-memory copies that features own, one per type, made on first use: a feature
/// keeps its own cache here (the search index, say) without this lower layer naming
/// its type.
#[derive(Default)]
pub struct Locals(std::sync::Mutex<std::collections::HashMap<std::any::TypeId, Arc<dyn std::any::Any + Send + Sync>>>);

impl Locals {
    /// This state's copy of `T`.
    pub fn get<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let any = map.entry(std::any::TypeId::of::<T>()).or_insert_with(|| Arc::new(T::default())).clone();
        any.downcast::<T>().unwrap_or_else(|_| unreachable!("each copy is stored under its own type"))
    }
}

/// The version of the built assets under `pkg_dir` (`dev` when there are none).
pub fn asset_version(pkg_dir: &std::path::Path, output_name: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut digest = Sha256::new();
    let mut found = false;
    for ext in ["wasm", "js", "css"] {
        if let Ok(bytes) = std::fs::read(pkg_dir.join(format!("{output_name}.{ext}"))) {
            digest.update(&bytes);
            found = true;
        }
    }
    if !found {
        return "dev".to_owned();
    }
    digest.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// How a booking rush is kept orderly on one server.
///
/// - **Admission.** Only as many requests for a slot as it has seats left (as this
///   server last saw them) go on to check the rules and write; the rest wait in memory,
///   holding no database connection. Until the slot has been read, one request goes
///   ahead to read it. When an admitted request fails a rule, the next waiter goes in.
/// - **Turns.** Admitted requests write one at a time per slot (a striped async lock),
///   so they wait here rather than in SQLite's busy handler or on PostgreSQL's row lock.
/// - **Full slots.** A slot seen full is remembered with its live bookings' submission
///   keys, so every waiter and later request is answered from memory: a replayed
///   submission gets its booking, anyone else "full".
///
/// The database still decides every booking (a conditional update and unique indexes).
/// What a server knows of a slot is tagged with the `seats` change counter (see
/// [`super::freshness`]), bumped by whatever frees a seat (a cancellation, a booking
/// released by rebooking): a seat freed through this server is offered again at once, one freed
/// through another server within a second.
#[derive(Clone)]
pub struct SlotGate(Arc<GateInner>);

struct GateInner {
    lines: moka::sync::Cache<i32, Arc<std::sync::Mutex<Line>>>,
    turns: Vec<tokio::sync::Mutex<()>>,
    watch: Arc<super::freshness::Watch>,
}

/// What this server knows of one slot.
#[derive(Default)]
struct Line {
    known: Option<Known>,
    /// Requests admitted and not yet done.
    admitted: i32,
    wake: Arc<tokio::sync::Notify>,
}

/// What was seen of a slot under `seats` counter `tag`.
struct Known {
    tag: i64,
    /// Seats seen free.
    free: i32,
    /// Seen full, with its live bookings: (resident, key) → code.
    full: Option<Arc<BookedKeys>>,
}

/// A full slot's live bookings by (resident, submission key), to answer replays.
pub type BookedKeys = std::collections::HashMap<(i32, String), String>;

/// The answer to a request for a seat.
pub enum Admission {
    /// The slot is full; a replayed submission gets the code of its booking.
    Full(Option<String>),
    /// Go ahead; the pass lets the next waiter in when dropped.
    Admitted(Pass),
}

/// An admitted request's place (see [`SlotGate::admit`]); tells the gate what it saw.
pub struct Pass {
    line: Arc<std::sync::Mutex<Line>>,
    watch: Arc<super::freshness::Watch>,
    tag: i64,
}

fn lock(line: &std::sync::Mutex<Line>) -> std::sync::MutexGuard<'_, Line> {
    line.lock().unwrap_or_else(|p| p.into_inner())
}

impl Pass {
    /// Records that the slot had `free` seats when just read.
    pub fn seen(&self, free: i32) {
        self.learn(Known { tag: self.tag, free: free.max(0), full: None });
    }

    /// Records that the slot is full, with its live bookings' keys.
    pub fn full(&self, keys: BookedKeys) {
        self.learn(Known { tag: self.tag, free: 0, full: Some(Arc::new(keys)) });
    }

    fn learn(&self, known: Known) {
        // What was read before a seat was freed is not kept.
        if self.tag != self.watch.current() {
            return;
        }
        let mut line = lock(&self.line);
        let full = known.full.is_some();
        line.known = Some(known);
        if full {
            line.wake.notify_waiters();
        } else {
            line.let_in(self.tag);
        }
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        let mut line = lock(&self.line);
        line.admitted -= 1;
        line.let_in(self.watch.current());
    }
}

impl Line {
    /// What is known under `tag`, the current counter.
    fn known(&self, tag: i64) -> Option<&Known> {
        self.known.as_ref().filter(|k| k.tag == tag)
    }

    /// Wakes as many waiters as there is room for — not all of them, which in a rush
    /// would wake a thousand tasks for every seat taken.
    fn let_in(&self, tag: i64) {
        let room = self.known(tag).map_or(1, |k| k.free) - self.admitted;
        for _ in 0..room.max(0) {
            self.wake.notify_one();
        }
    }
}

impl SlotGate {
    /// How long a waiter sleeps before looking again without news.
    const RELOOK: std::time::Duration = std::time::Duration::from_secs(1);

    /// A gate following `watch` (the `seats` counter's).
    pub fn new(watch: Arc<super::freshness::Watch>) -> SlotGate {
        SlotGate(Arc::new(GateInner { lines: moka::sync::Cache::new(10_000), turns: (0..64).map(|_| tokio::sync::Mutex::new(())).collect(), watch }))
    }

    /// Waits until request (`resident`, `key`) may try for a seat of slot `slot`, or
    /// the slot is known to be full.
    pub async fn admit(&self, db: &sea_orm::DatabaseConnection, slot: i32, resident: i32, key: &str) -> Result<Admission, sea_orm::DbErr> {
        let line = self.0.lines.get_with(slot, Default::default);
        loop {
            let tag = self.0.watch.fresh(db).await?;
            let wake: Arc<tokio::sync::Notify>;
            let mut notified;
            {
                let mut held = lock(&line);
                let known = held.known(tag);
                if let Some(keys) = known.and_then(|k| k.full.as_ref()) {
                    return Ok(Admission::Full(keys.get(&(resident, key.to_owned())).cloned()));
                }
                // Unknown: one request goes ahead and reads the slot.
                let room = known.map_or(1, |k| k.free);
                if held.admitted < room {
                    held.admitted += 1;
                    return Ok(Admission::Admitted(Pass { line: line.clone(), watch: self.0.watch.clone(), tag }));
                }
                // Registered before the lock is let go, so no news is missed.
                wake = held.wake.clone();
                notified = Box::pin(wake.notified());
                notified.as_mut().enable();
            }
            let _ = tokio::time::timeout(Self::RELOOK, notified).await;
        }
    }

    /// Waits for slot `slot`'s turn to write (first come, first served).
    pub async fn turn(&self, slot: i32) -> tokio::sync::MutexGuard<'_, ()> {
        self.0.turns[slot.unsigned_abs() as usize % self.0.turns.len()].lock().await
    }
}

#[cfg(test)]
mod tests {
    use super::{Admission, SlotGate};
    use crate::ssr::freshness::{SEATS, Watches, bump, counter_db, recording};
    use sea_orm::DatabaseConnection;
    use std::time::Duration;

    async fn try_admit(gate: &SlotGate, db: &DatabaseConnection, slot: i32, key: &str) -> Option<Admission> {
        tokio::time::timeout(Duration::from_millis(50), gate.admit(db, slot, 1, key)).await.ok().map(|a| a.expect("admit"))
    }

    #[tokio::test]
    async fn as_many_go_ahead_as_there_are_seats_and_a_full_slot_answers_from_memory() {
        let db = counter_db().await;
        let watches = Watches::default();
        let gate = SlotGate::new(watches.get(SEATS));
        let Some(Admission::Admitted(scout)) = try_admit(&gate, &db, 7, "a").await else { panic!("the first goes ahead") };
        assert!(try_admit(&gate, &db, 7, "b").await.is_none(), "until the slot is read, one at a time");
        assert!(matches!(try_admit(&gate, &db, 8, "b").await, Some(Admission::Admitted(_))), "another slot does not wait");
        scout.seen(2);
        let Some(Admission::Admitted(second)) = try_admit(&gate, &db, 7, "b").await else { panic!("two seats, two go ahead") };
        assert!(try_admit(&gate, &db, 7, "c").await.is_none(), "no more than the seats left");
        drop(scout);
        let Some(Admission::Admitted(third)) = try_admit(&gate, &db, 7, "c").await else { panic!("one failed, the next goes in") };

        let waiter = tokio::spawn({
            let (gate, db) = (gate.clone(), db.clone());
            async move { gate.admit(&db, 7, 1, "d").await.expect("admit") }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        third.full([((1, "b".to_owned()), "CODE".to_owned())].into());
        let answer = tokio::time::timeout(Duration::from_millis(200), waiter).await.expect("woken").expect("task");
        assert!(matches!(answer, Admission::Full(None)), "a waiter hears the slot is full at once");
        assert!(matches!(try_admit(&gate, &db, 7, "b").await, Some(Admission::Full(Some(code))) if code == "CODE"), "a replay gets its booking");
        drop((second, third));

        // A seat freed here (the request bumps `seats`) is offered again at once.
        let ((), bumped) = recording(async { bump(&db, SEATS).await.expect("bump") }).await;
        watches.changed_here(&db, &bumped).await;
        assert!(matches!(try_admit(&gate, &db, 7, "e").await, Some(Admission::Admitted(_))), "a freed seat is offered again");
    }

    #[tokio::test]
    async fn a_seat_freed_elsewhere_is_offered_within_a_second() {
        let db = counter_db().await;
        let gate = SlotGate::new(Watches::default().get(SEATS));
        let Some(Admission::Admitted(pass)) = try_admit(&gate, &db, 7, "a").await else { panic!("the first goes ahead") };
        pass.full(Default::default());
        drop(pass);
        assert!(matches!(try_admit(&gate, &db, 7, "a").await, Some(Admission::Full(None))));
        bump(&db, SEATS).await.expect("bump on another server");
        assert!(matches!(try_admit(&gate, &db, 7, "a").await, Some(Admission::Full(None))), "not seen yet");
        tokio::time::sleep(Duration::from_millis(1_010)).await;
        assert!(matches!(try_admit(&gate, &db, 7, "a").await, Some(Admission::Admitted(_))));
    }

    #[tokio::test]
    async fn turns_are_one_at_a_time_per_slot() {
        let gate = SlotGate::new(Watches::default().get(SEATS));
        let first = gate.turn(7).await;
        assert!(tokio::time::timeout(Duration::from_millis(50), gate.turn(7)).await.is_err(), "the same slot waits");
        assert!(tokio::time::timeout(Duration::from_millis(50), gate.turn(8)).await.is_ok(), "another slot does not");
        drop(first);
        assert!(tokio::time::timeout(Duration::from_millis(50), gate.turn(7)).await.is_ok());
    }
}

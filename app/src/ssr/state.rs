//! The application state shared by every request.

use super::config::Config;
use super::files::Store;
use super::mailer::Mailer;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Instant;

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
    /// Booking turns per slot and the slots recently found full (see [`SlotGate`]).
    pub slots: SlotGate,
    /// In-memory copies the features keep for themselves (see [`Locals`]).
    pub locals: Locals,
    /// Sessions just read, so a known session needs no query (see [`super::session_cache`]).
    pub sessions: super::session_cache::SessionCache,
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
/// - **Full slots.** A slot seen full is remembered for a second with its live
///   bookings' submission keys, so every waiter and later request is answered from
///   memory: a replayed submission gets its booking, anyone else "full".
///
/// The database still decides every booking (a conditional update and unique indexes);
/// what a server remembers expires within a second, so a seat freed by a cancellation on
/// another server is offered again.
#[derive(Clone)]
pub struct SlotGate(Arc<GateInner>);

struct GateInner {
    lines: std::sync::Mutex<std::collections::HashMap<i32, Line>>,
    turns: Vec<tokio::sync::Mutex<()>>,
}

/// What this server knows of one slot.
#[derive(Default)]
struct Line {
    /// Seats last seen free, and when.
    free: Option<(i32, Instant)>,
    /// Requests admitted and not yet done.
    admitted: i32,
    /// When the slot was seen full, with its live bookings: (resident, key) → code.
    full: Option<(Instant, Arc<BookedKeys>)>,
    wake: Arc<tokio::sync::Notify>,
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

/// An admitted request's place (see [`SlotGate::admit`]).
pub struct Pass {
    gate: SlotGate,
    slot: i32,
}

impl Drop for Pass {
    fn drop(&mut self) {
        let mut lines = self.gate.lines();
        if let Some(line) = lines.get_mut(&self.slot) {
            line.admitted -= 1;
            line.let_in();
        }
    }
}

impl Line {
    /// Wakes as many waiters as there is room for — not all of them, which in a rush
    /// would wake a thousand tasks for every seat taken.
    fn let_in(&self) {
        let room = self.free.map_or(1, |(free, _)| free) - self.admitted;
        for _ in 0..room.max(0) {
            self.wake.notify_one();
        }
    }

    fn forget_stale(&mut self) {
        if self.full.as_ref().is_some_and(|(at, _)| at.elapsed() >= SlotGate::REMEMBER) {
            self.full = None;
        }
        if self.free.is_some_and(|(_, at)| at.elapsed() >= SlotGate::REMEMBER) {
            self.free = None;
        }
    }
}

impl Default for SlotGate {
    fn default() -> Self {
        SlotGate(Arc::new(GateInner { lines: Default::default(), turns: (0..64).map(|_| tokio::sync::Mutex::new(())).collect() }))
    }
}

impl SlotGate {
    const REMEMBER: std::time::Duration = std::time::Duration::from_secs(1);

    fn lines(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<i32, Line>> {
        self.0.lines.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until request (`resident`, `key`) may try for a seat of slot `slot`, or
    /// the slot is known to be full.
    pub async fn admit(&self, slot: i32, resident: i32, key: &str) -> Admission {
        loop {
            let wake: Arc<tokio::sync::Notify>;
            let mut notified;
            {
                let mut lines = self.lines();
                if lines.len() > 10_000 {
                    lines.retain(|_, line| line.admitted > 0);
                }
                let line = lines.entry(slot).or_default();
                line.forget_stale();
                if let Some((_, keys)) = &line.full {
                    return Admission::Full(keys.get(&(resident, key.to_owned())).cloned());
                }
                // Unknown: one request goes ahead and reads the slot.
                let room = line.free.map_or(1, |(free, _)| free);
                if line.admitted < room {
                    line.admitted += 1;
                    return Admission::Admitted(Pass { gate: self.clone(), slot });
                }
                // Registered before the lock is let go, so no news is missed.
                wake = line.wake.clone();
                notified = Box::pin(wake.notified());
                notified.as_mut().enable();
            }
            // Look again within the memory's lifetime even without news.
            let _ = tokio::time::timeout(Self::REMEMBER, notified).await;
        }
    }

    /// Records that slot `slot` had `free` seats when just read.
    pub fn seen(&self, slot: i32, free: i32) {
        let mut lines = self.lines();
        let line = lines.entry(slot).or_default();
        line.free = Some((free.max(0), Instant::now()));
        line.let_in();
    }

    /// Records that slot `slot` is full, with its live bookings' keys.
    pub fn mark_full(&self, slot: i32, keys: BookedKeys) {
        let mut lines = self.lines();
        let line = lines.entry(slot).or_default();
        line.full = Some((Instant::now(), Arc::new(keys)));
        line.free = Some((0, Instant::now()));
        line.wake.notify_waiters();
    }

    /// Forgets what is known of slot `slot` (a seat was freed here).
    pub fn forget(&self, slot: i32) {
        let mut lines = self.lines();
        if let Some(line) = lines.get_mut(&slot) {
            line.full = None;
            line.free = None;
            line.wake.notify_waiters();
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
    use std::time::Duration;

    async fn try_admit(gate: &SlotGate, slot: i32, key: &str) -> Option<Admission> {
        tokio::time::timeout(Duration::from_millis(50), gate.admit(slot, 1, key)).await.ok()
    }

    #[tokio::test]
    async fn as_many_go_ahead_as_there_are_seats_and_a_full_slot_answers_from_memory() {
        let gate = SlotGate::default();
        let Some(Admission::Admitted(scout)) = try_admit(&gate, 7, "a").await else { panic!("the first goes ahead") };
        assert!(try_admit(&gate, 7, "b").await.is_none(), "until the slot is read, one at a time");
        assert!(matches!(try_admit(&gate, 8, "b").await, Some(Admission::Admitted(_))), "another slot does not wait");
        gate.seen(7, 2);
        let Some(Admission::Admitted(second)) = try_admit(&gate, 7, "b").await else { panic!("two seats, two go ahead") };
        assert!(try_admit(&gate, 7, "c").await.is_none(), "no more than the seats left");
        drop(scout);
        let Some(Admission::Admitted(third)) = try_admit(&gate, 7, "c").await else { panic!("one failed, the next goes in") };

        let waiter = tokio::spawn({
            let gate = gate.clone();
            async move { gate.admit(7, 1, "d").await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        gate.mark_full(7, [((1, "b".to_owned()), "CODE".to_owned())].into());
        let answer = tokio::time::timeout(Duration::from_millis(200), waiter).await.expect("woken").expect("task");
        assert!(matches!(answer, Admission::Full(None)), "a waiter hears the slot is full at once");
        assert!(matches!(try_admit(&gate, 7, "b").await, Some(Admission::Full(Some(code))) if code == "CODE"), "a replay gets its booking");
        drop((second, third));

        gate.forget(7);
        assert!(matches!(try_admit(&gate, 7, "e").await, Some(Admission::Admitted(_))), "a freed seat is offered again");
    }

    #[tokio::test]
    async fn what_is_known_expires_within_a_second() {
        let gate = SlotGate::default();
        gate.mark_full(7, Default::default());
        assert!(matches!(try_admit(&gate, 7, "a").await, Some(Admission::Full(None))));
        tokio::time::sleep(SlotGate::REMEMBER).await;
        assert!(matches!(try_admit(&gate, 7, "a").await, Some(Admission::Admitted(_))));
    }

    #[tokio::test]
    async fn turns_are_one_at_a_time_per_slot() {
        let gate = SlotGate::default();
        let first = gate.turn(7).await;
        assert!(tokio::time::timeout(Duration::from_millis(50), gate.turn(7)).await.is_err(), "the same slot waits");
        assert!(tokio::time::timeout(Duration::from_millis(50), gate.turn(8)).await.is_ok(), "another slot does not");
        drop(first);
        assert!(tokio::time::timeout(Duration::from_millis(50), gate.turn(7)).await.is_ok());
    }
}

//! The application state shared by every request.

use super::config::Config;
use super::files::Store;
use super::mailer::Mailer;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Everything a request may need: no global singletons.
#[derive(Clone, FromRef)]
pub struct AppState {
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
    /// Published items in memory for search (see [`crate::guides::service::SearchIndex`]).
    pub search: crate::guides::service::SearchIndex,
}

/// How a booking rush is kept orderly on one server. Requests for a slot take turns
/// (a striped async lock) before they open a write transaction, so a rush waits in
/// memory, holding no database connection, instead of in SQLite's busy handler or on
/// PostgreSQL's row lock. And the slots this server saw full in the last second are
/// remembered, so every later request for one is refused without touching the
/// database. The database (a conditional update) still decides every booking made;
/// a seat freed by a cancellation on another server is offered again within a second.
#[derive(Clone)]
pub struct SlotGate(Arc<GateInner>);

struct GateInner {
    full: std::sync::Mutex<std::collections::HashMap<i32, std::time::Instant>>,
    turns: Vec<tokio::sync::Mutex<()>>,
}

impl Default for SlotGate {
    fn default() -> Self {
        SlotGate(Arc::new(GateInner { full: Default::default(), turns: (0..64).map(|_| tokio::sync::Mutex::new(())).collect() }))
    }
}

impl SlotGate {
    const REMEMBER_FULL: std::time::Duration = std::time::Duration::from_secs(1);

    /// Waits for slot `slot`'s turn (first come, first served).
    pub async fn turn(&self, slot: i32) -> tokio::sync::MutexGuard<'_, ()> {
        self.0.turns[slot.unsigned_abs() as usize % self.0.turns.len()].lock().await
    }

    fn full(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<i32, std::time::Instant>> {
        self.0.full.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn mark_full(&self, slot: i32) {
        let mut full = self.full();
        if full.len() > 10_000 {
            full.clear();
        }
        full.insert(slot, std::time::Instant::now());
    }

    pub fn is_full(&self, slot: i32) -> bool {
        self.full().get(&slot).is_some_and(|at| at.elapsed() < Self::REMEMBER_FULL)
    }

    pub fn forget(&self, slot: i32) {
        self.full().remove(&slot);
    }
}

#[cfg(test)]
mod tests {
    use super::SlotGate;

    #[tokio::test]
    async fn full_slots_are_remembered_briefly_and_turns_are_one_at_a_time() {
        let gate = SlotGate::default();
        assert!(!gate.is_full(7));
        gate.mark_full(7);
        assert!(gate.is_full(7) && !gate.is_full(8));
        gate.forget(7);
        assert!(!gate.is_full(7));
        let first = gate.turn(7).await;
        assert!(tokio::time::timeout(std::time::Duration::from_millis(50), gate.turn(7)).await.is_err(), "the same slot waits");
        assert!(tokio::time::timeout(std::time::Duration::from_millis(50), gate.turn(8)).await.is_ok(), "another slot does not");
        drop(first);
        assert!(tokio::time::timeout(std::time::Duration::from_millis(50), gate.turn(7)).await.is_ok());
    }
}

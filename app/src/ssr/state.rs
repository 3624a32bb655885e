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
    /// Slots this server recently found full (see [`FullSlots`]).
    pub full_slots: FullSlots,
}

/// Slots this server saw full in the last second. In a booking rush every later
/// request for a full slot is refused from memory, without a database round trip;
/// the database (a conditional update) still decides every booking that is made. A
/// seat freed by a cancellation is offered again within a second.
#[derive(Clone, Default)]
pub struct FullSlots(Arc<std::sync::Mutex<std::collections::HashMap<i32, std::time::Instant>>>);

impl FullSlots {
    const FOR: std::time::Duration = std::time::Duration::from_secs(1);

    pub fn mark(&self, slot: i32) {
        let mut slots = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if slots.len() > 10_000 {
            slots.clear();
        }
        slots.insert(slot, std::time::Instant::now());
    }

    pub fn is_full(&self, slot: i32) -> bool {
        let slots = self.0.lock().unwrap_or_else(|p| p.into_inner());
        slots.get(&slot).is_some_and(|at| at.elapsed() < Self::FOR)
    }

    pub fn forget(&self, slot: i32) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&slot);
    }
}

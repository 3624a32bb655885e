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
}

//! Bianmin (便民): the community service center's online front door and staff console.
//!
//! One crate for both sides: components, routes, shared types and `#[server]`
//! functions compile for the browser and the server; server-only services live
//! behind the `ssr` feature, in each feature's `service` module and in [`ssr`].
#![recursion_limit = "512"]

pub mod accounts;
mod app;
pub mod assist;
pub mod booking;
pub mod calendar;
pub mod cases;
pub mod components;
pub mod domain;
pub mod error;
pub mod feedback;
pub mod guides;
pub mod i18n;
pub mod oversight;
pub mod pages;
pub mod prefs;
pub mod queue;
pub mod ratings;
pub mod rules;
pub mod security;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod staff;
pub mod stations;
pub mod time;
// Composition over the features (server only): the nightly jobs and the demo data.
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod seed;

pub use accounts::{Session, use_session};
pub use app::{App, shell};

/// Entry point of the browser build. Pages are server components; only their
/// `#[island]`s come alive in the browser, which leptos's island script does right
/// after this returns. The page is marked hydrated once that is done (a task later).
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    leptos::prelude::set_timeout(prefs::browser::mark_hydrated, std::time::Duration::ZERO);
}

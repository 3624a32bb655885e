//! Bianmin (便民): the community service center's online front door and staff console.
//!
//! One crate for both sides: components, routes, shared types and `#[server]`
//! functions compile for the browser and the server; server-only services live
//! behind the `ssr` feature, in each feature's `service` module and in [`ssr`].
#![recursion_limit = "512"]

pub mod accounts;
pub mod booking;
pub mod calendar;
pub mod cases;
mod app;
pub mod components;
pub mod domain;
pub mod feedback;
pub mod error;
pub mod guides;
pub mod i18n;
pub mod pages;
pub mod prefs;
pub mod queue;
pub mod staff;
pub mod time;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use app::{App, Session, security, shell, use_session};

/// Entry point of the browser build: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    leptos::mount::hydrate_body(App);
    prefs::browser::mark_hydrated();
}

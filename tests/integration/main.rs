//! Integration tests: the real router in-process, on SQLite and PostgreSQL.

pub use test_support as helpers;
pub use test_support::on_both_databases;

mod accounts;
mod authorization;
mod booking;
mod cases;
mod catalogue_console;
mod cli;
mod database;
mod email;
mod english;
mod feedback;
mod guides;
mod oversight;
mod queue;
mod ratings;
mod samples_and_cache;
mod security;
mod stations;
mod structure;

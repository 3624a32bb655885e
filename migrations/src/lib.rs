//! Database schema of Bianmin. The same migrations serve SQLite and PostgreSQL;
//! the server runs them at startup (`server migrate` runs them alone).

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_accounts;
mod m20261124_000002_audit_log;
mod m20261125_000003_guides;
mod m20261125_000004_catalogue_imports;
mod m20261125_000005_files_and_counters;
mod m20261126_000006_booking;
mod m20261127_000007_queue;
mod m20261129_000008_cases;
mod m20261129_000009_feedback;
mod m20261202_000010_throttles;
mod m20261203_000011_stations;
mod m20261203_000012_daily_sequences;
mod m20261203_000013_typed_notes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_accounts::Migration),
            Box::new(m20261124_000002_audit_log::Migration),
            Box::new(m20261125_000003_guides::Migration),
            Box::new(m20261125_000004_catalogue_imports::Migration),
            Box::new(m20261125_000005_files_and_counters::Migration),
            Box::new(m20261126_000006_booking::Migration),
            Box::new(m20261127_000007_queue::Migration),
            Box::new(m20261129_000008_cases::Migration),
            Box::new(m20261129_000009_feedback::Migration),
            Box::new(m20261202_000010_throttles::Migration),
            Box::new(m20261203_000011_stations::Migration),
            Box::new(m20261203_000012_daily_sequences::Migration),
            Box::new(m20261203_000013_typed_notes::Migration),
        ]
    }
}

//! Queue invariants (叫号): a window has at most one number called at a time, so a
//! double tap on 叫号 or two clerks at one window cannot call two residents to it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE UNIQUE INDEX uq_tickets_window_called ON queue_tickets (window_id) WHERE status = 'called'").await?;
        db.execute_unprepared("CREATE INDEX idx_tickets_day_status ON queue_tickets (day, status)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_tickets_day_status").await?;
        db.execute_unprepared("DROP INDEX uq_tickets_window_called").await?;
        Ok(())
    }
}

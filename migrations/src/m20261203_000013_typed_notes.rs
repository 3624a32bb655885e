//! Timeline entries and messages keep what they say as a typed note (JSON: a key with
//! its arguments) beside the Chinese text, so each reader sees them in their language.
//! Rows written before keep their Chinese text only (`note` is NULL).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 3] = ["case_events", "feedback_events", "notifications"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager.alter_table(Table::alter().table(Alias::new(table)).add_column(text_null(Alias::new("note"))).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager.alter_table(Table::alter().table(Alias::new(table)).drop_column(Alias::new("note")).to_owned()).await?;
        }
        Ok(())
    }
}

//! One table for every daily sequence (case numbers, feedback numbers, and whatever
//! numbers come next): a row per sequence and day, incremented by a single upsert.
//! Replaces `case_sequences` and `feedback_sequences`, keeping their last numbers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The sequences this migration folds in, by the name they keep.
const FOLDED: [(&str, &str); 2] = [("case", "case_sequences"), ("feedback", "feedback_sequences")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DailySequences::Table)
                    .col(string_len(DailySequences::Name, 40))
                    .col(date(DailySequences::Day))
                    .col(integer(DailySequences::Last))
                    .primary_key(Index::create().col(DailySequences::Name).col(DailySequences::Day))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for (name, table) in FOLDED {
            db.execute_unprepared(&format!("INSERT INTO daily_sequences (name, day, last) SELECT '{name}', day, last FROM {table}")).await?;
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, table) in FOLDED {
            manager
                .create_table(Table::create().table(Alias::new(table)).col(date(Alias::new("day")).primary_key()).col(integer(Alias::new("last"))).to_owned())
                .await?;
            db.execute_unprepared(&format!("INSERT INTO {table} (day, last) SELECT day, last FROM daily_sequences WHERE name = '{name}'")).await?;
        }
        manager.drop_table(Table::drop().table(DailySequences::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum DailySequences {
    Table,
    Name,
    Day,
    Last,
}

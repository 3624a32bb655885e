//! Throttles (限流): one counter row per key and window, incremented by a single
//! upsert so that check and record are one atomic statement on both databases. It
//! replaces the failure log and lock tables, whose "count, then record later" let
//! concurrent tries slip past the limit. Also an index for the no-show job, which
//! reads only recently ended slots.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Throttles::Table)
                    .col(string_len(Throttles::Key, 160).primary_key())
                    .col(timestamp_with_time_zone(Throttles::WindowStart))
                    .col(integer(Throttles::Hits))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_throttles_window").table(Throttles::Table).col(Throttles::WindowStart).to_owned()).await?;
        manager.drop_table(Table::drop().table(LoginLocks::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LoginFailures::Table).to_owned()).await?;
        manager.create_index(Index::create().name("idx_slots_ends_at").table(Slots::Table).col(Slots::EndsAt).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_slots_ends_at").table(Slots::Table).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(pk_auto(LoginFailures::Id))
                    .col(string_len(LoginFailures::Key, 80))
                    .col(timestamp_with_time_zone(LoginFailures::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginLocks::Table)
                    .col(string_len(LoginLocks::Key, 80).primary_key())
                    .col(timestamp_with_time_zone(LoginLocks::LockedUntil))
                    .to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(Throttles::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Throttles {
    Table,
    Key,
    WindowStart,
    Hits,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum LoginLocks {
    Table,
    Key,
    LockedUntil,
}

#[derive(DeriveIden)]
enum Slots {
    Table,
    EndsAt,
}

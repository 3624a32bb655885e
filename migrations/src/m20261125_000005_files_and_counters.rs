//! Stored files (a guide's sample images and blank forms; later, case materials) and
//! change counters, which let every app server notice a catalogue edit made on another
//! and drop its cached pages.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StoredFiles::Table)
                    .col(pk_auto(StoredFiles::Id))
                    .col(string_uniq(StoredFiles::StorageKey))
                    .col(string(StoredFiles::Purpose))
                    .col(string(StoredFiles::ContentType))
                    .col(big_integer(StoredFiles::Size))
                    .col(string(StoredFiles::OriginalName))
                    .col(string(StoredFiles::Sha256))
                    .col(integer_null(StoredFiles::UploadedBy))
                    .col(timestamp_with_time_zone(StoredFiles::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create().table(ChangeCounters::Table).col(string(ChangeCounters::Name).primary_key()).col(big_integer(ChangeCounters::Value)).to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table(ChangeCounters::Table)
            .columns([ChangeCounters::Name, ChangeCounters::Value])
            .values_panic(["catalogue".into(), 0i64.into()])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ChangeCounters::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(StoredFiles::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum StoredFiles {
    Table,
    Id,
    /// Where the bytes are in the object store; never a path under a web root.
    StorageKey,
    /// `sample` (public guide samples and blank forms) or `material` (a case's).
    Purpose,
    /// Decided from the bytes, not from what the browser said.
    ContentType,
    Size,
    OriginalName,
    Sha256,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChangeCounters {
    Table,
    Name,
    Value,
}

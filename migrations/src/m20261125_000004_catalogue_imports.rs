//! Catalogue imports waiting for the chief's confirmation: the parsed file is kept
//! here, and nothing reaches the catalogue until it is applied, all or nothing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CatalogueImports::Table)
                    .col(pk_auto(CatalogueImports::Id))
                    .col(integer(CatalogueImports::CreatedBy))
                    .col(string(CatalogueImports::FileName))
                    .col(text(CatalogueImports::Payload))
                    .col(text(CatalogueImports::Errors))
                    .col(timestamp_with_time_zone(CatalogueImports::CreatedAt))
                    .col(timestamp_with_time_zone_null(CatalogueImports::AppliedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CatalogueImports::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum CatalogueImports {
    Table,
    Id,
    CreatedBy,
    FileName,
    /// JSON: the rows that parsed, as (row number, code, GuideContent).
    Payload,
    /// JSON: the rows that did not, as (row number, reasons).
    Errors,
    CreatedAt,
    AppliedAt,
}

//! Service items (事项) and their guide versions (办事指南). Every edit of a guide adds a
//! row to `item_versions`; `items` carries the current version's searchable fields.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Items::Table)
                    .col(pk_auto(Items::Id))
                    .col(string_len_uniq(Items::Code, 32))
                    .col(integer(Items::CurrentVersion))
                    .col(string(Items::Name))
                    .col(string_len(Items::Category, 32))
                    .col(string(Items::Keywords))
                    .col(string_len(Items::Level, 16))
                    .col(boolean(Items::Bookable))
                    .col(boolean(Items::HelperEligible))
                    .col(boolean(Items::Online))
                    .col(boolean(Items::HighFrequency))
                    .col(integer(Items::PromisedDays))
                    .col(boolean(Items::Published))
                    .col(text(Items::SearchPinyin))
                    .col(text(Items::SearchInitials))
                    .col(timestamp_with_time_zone(Items::CreatedAt))
                    .col(timestamp_with_time_zone(Items::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_items_category").table(Items::Table).col(Items::Category).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(ItemVersions::Table)
                    .col(pk_auto(ItemVersions::Id))
                    .col(integer(ItemVersions::ItemId))
                    .col(integer(ItemVersions::Version))
                    .col(text(ItemVersions::Content))
                    .col(integer_null(ItemVersions::EditedBy))
                    .col(string(ItemVersions::Source))
                    .col(timestamp_with_time_zone(ItemVersions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create().from(ItemVersions::Table, ItemVersions::ItemId).to(Items::Table, Items::Id).on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_item_versions_item_version")
                    .table(ItemVersions::Table)
                    .col(ItemVersions::ItemId)
                    .col(ItemVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ItemVersions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Items::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    Code,
    CurrentVersion,
    Name,
    Category,
    Keywords,
    Level,
    Bookable,
    HelperEligible,
    Online,
    HighFrequency,
    PromisedDays,
    Published,
    SearchPinyin,
    SearchInitials,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ItemVersions {
    Table,
    Id,
    ItemId,
    Version,
    /// The whole guide as JSON (`app::guides::GuideContent`), immutable once written.
    Content,
    EditedBy,
    /// How the version came in: `console`, `import`, `seed`.
    Source,
    CreatedAt,
}

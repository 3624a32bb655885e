//! Stations and 帮办代办: what a station is (village, phone, hours, the items it does,
//! closed or not), residents a helper registered without an account, the resident's
//! authorisation (委托) of a helper or a station, and the columns that record a
//! station's part in a case (delivery, signature, follow-up) and a booking (absent).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(Stations::Village).string().not_null().default("").to_owned(),
            ColumnDef::new(Stations::Phone).string().not_null().default("").to_owned(),
            ColumnDef::new(Stations::Hours).string().not_null().default("").to_owned(),
            // Space-separated item codes; NULL is every helper-eligible item.
            ColumnDef::new(Stations::ItemCodes).text().null().to_owned(),
            ColumnDef::new(Stations::ClosedAt).timestamp_with_time_zone().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Stations::Table).add_column(column).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AssistedResidents::Table)
                    .col(integer(AssistedResidents::UserId).primary_key())
                    .col(string_len_null(AssistedResidents::ContactPhone, 11))
                    .col(string(AssistedResidents::Address))
                    .col(integer(AssistedResidents::RegisteredBy))
                    .col(integer(AssistedResidents::StationId))
                    .col(timestamp_with_time_zone(AssistedResidents::CreatedAt))
                    .col(integer_null(AssistedResidents::ClaimAccountId))
                    .col(timestamp_with_time_zone_null(AssistedResidents::ClaimRequestedAt))
                    .col(timestamp_with_time_zone_null(AssistedResidents::ClaimedAt))
                    .col(integer_null(AssistedResidents::ConfirmedBy))
                    .foreign_key(ForeignKey::create().from(AssistedResidents::Table, AssistedResidents::UserId).to(Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_assisted_contact_phone").table(AssistedResidents::Table).col(AssistedResidents::ContactPhone).to_owned())
            .await?;
        manager
            .create_index(Index::create().name("idx_assisted_claim").table(AssistedResidents::Table).col(AssistedResidents::ClaimAccountId).to_owned())
            .await?;
        manager
            .create_index(Index::create().name("idx_profiles_id_lookup").table(ApplicantProfiles::Table).col(ApplicantProfiles::IdLookup).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Authorisations::Table)
                    .col(pk_auto(Authorisations::Id))
                    .col(integer(Authorisations::ResidentId))
                    .col(integer(Authorisations::StationId))
                    // NULL: the station as a whole.
                    .col(integer_null(Authorisations::HelperId))
                    // `case` or `items`.
                    .col(string_len(Authorisations::Scope, 8))
                    .col(integer_null(Authorisations::CaseId))
                    .col(text(Authorisations::ItemCodes))
                    .col(timestamp_with_time_zone(Authorisations::ValidFrom))
                    .col(timestamp_with_time_zone(Authorisations::ValidUntil))
                    // `app` or `paper`.
                    .col(string_len(Authorisations::Method, 8))
                    // `pending`, `active`, `refused` or `revoked`.
                    .col(string_len(Authorisations::Status, 12))
                    .col(integer_null(Authorisations::PaperFileId))
                    .col(integer(Authorisations::CreatedBy))
                    .col(string_len(Authorisations::IdempotencyKey, 64))
                    .col(timestamp_with_time_zone(Authorisations::CreatedAt))
                    .col(timestamp_with_time_zone_null(Authorisations::DecidedAt))
                    .col(timestamp_with_time_zone_null(Authorisations::EndedAt))
                    .col(integer_null(Authorisations::EndedBy))
                    .foreign_key(ForeignKey::create().from(Authorisations::Table, Authorisations::ResidentId).to(Users::Table, Users::Id))
                    .foreign_key(ForeignKey::create().from(Authorisations::Table, Authorisations::StationId).to(Stations::Table, Stations::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_authorisations_resident").table(Authorisations::Table).col(Authorisations::ResidentId).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_authorisations_station")
                    .table(Authorisations::Table)
                    .col(Authorisations::StationId)
                    .col(Authorisations::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_authorisations_key")
                    .table(Authorisations::Table)
                    .col(Authorisations::CreatedBy)
                    .col(Authorisations::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for column in [
            ColumnDef::new(Cases::AuthorisationId).integer().null().to_owned(),
            ColumnDef::new(Cases::DeliveredAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(Cases::ReceivedOn).date().null().to_owned(),
            ColumnDef::new(Cases::FollowedUpAt).timestamp_with_time_zone().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Cases::Table).add_column(column).to_owned()).await?;
        }
        manager.create_index(Index::create().name("idx_cases_station").table(Cases::Table).col(Cases::StationId).to_owned()).await?;
        manager
            .alter_table(
                Table::alter().table(Bookings::Table).add_column(ColumnDef::new(Bookings::AbsentAt).timestamp_with_time_zone().null().to_owned()).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Bookings::Table)
                    .add_column(ColumnDef::new(Bookings::AffectedNoticeAt).timestamp_with_time_zone().null().to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_bookings_station_day").table(Bookings::Table).col(Bookings::StationId).col(Bookings::Day).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_bookings_station_day").table(Bookings::Table).to_owned()).await?;
        for column in [Bookings::AffectedNoticeAt, Bookings::AbsentAt] {
            manager.alter_table(Table::alter().table(Bookings::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_index(Index::drop().name("idx_cases_station").table(Cases::Table).to_owned()).await?;
        for column in [Cases::FollowedUpAt, Cases::ReceivedOn, Cases::DeliveredAt, Cases::AuthorisationId] {
            manager.alter_table(Table::alter().table(Cases::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(Authorisations::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("idx_profiles_id_lookup").table(ApplicantProfiles::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AssistedResidents::Table).to_owned()).await?;
        for column in [Stations::ClosedAt, Stations::ItemCodes, Stations::Hours, Stations::Phone, Stations::Village] {
            manager.alter_table(Table::alter().table(Stations::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Stations {
    Table,
    Id,
    Village,
    Phone,
    Hours,
    ItemCodes,
    ClosedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApplicantProfiles {
    Table,
    IdLookup,
}

#[derive(DeriveIden)]
enum AssistedResidents {
    Table,
    UserId,
    ContactPhone,
    Address,
    RegisteredBy,
    StationId,
    CreatedAt,
    ClaimAccountId,
    ClaimRequestedAt,
    ClaimedAt,
    ConfirmedBy,
}

#[derive(DeriveIden)]
enum Authorisations {
    Table,
    Id,
    ResidentId,
    StationId,
    HelperId,
    Scope,
    CaseId,
    ItemCodes,
    ValidFrom,
    ValidUntil,
    Method,
    Status,
    PaperFileId,
    CreatedBy,
    IdempotencyKey,
    CreatedAt,
    DecidedAt,
    EndedAt,
    EndedBy,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    StationId,
    AuthorisationId,
    DeliveredAt,
    ReceivedOn,
    FollowedUpAt,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    StationId,
    Day,
    AbsentAt,
    AffectedNoticeAt,
}

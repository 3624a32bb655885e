//! Cases and materials (办件): cases with their timeline and uploaded materials, the
//! one-time supplement notices (一次性告知), a daily case-number sequence, in-app
//! notifications, remembered applicant details (智能填表), and AB posts (AB岗) with
//! leave days.
//!
//! ID numbers are never stored in the clear: `id_cipher` is AEAD ciphertext and
//! `id_lookup` a keyed hash for finding a person by number.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cases::Table)
                    .col(pk_auto(Cases::Id))
                    .col(string_len_uniq(Cases::Number, 20))
                    .col(string_len(Cases::ItemCode, 32))
                    .col(string(Cases::ItemName))
                    .col(integer(Cases::GuideVersion))
                    .col(integer_null(Cases::ApplicantId))
                    .col(integer(Cases::FiledBy))
                    .col(integer_null(Cases::StationId))
                    .col(string(Cases::ApplicantName))
                    .col(string_len(Cases::ApplicantPhone, 16))
                    .col(text(Cases::IdCipher))
                    .col(string_len(Cases::IdLookup, 64))
                    .col(string_len(Cases::IdMasked, 24))
                    .col(text(Cases::Notes))
                    .col(string_len(Cases::Status, 24))
                    .col(integer_null(Cases::WindowId))
                    .col(integer_null(Cases::OwnerId))
                    .col(timestamp_with_time_zone_null(Cases::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Cases::AcceptedAt))
                    .col(timestamp_with_time_zone_null(Cases::PausedAt))
                    .col(string_len_null(Cases::PausedFrom, 24))
                    .col(date_null(Cases::Deadline))
                    .col(timestamp_with_time_zone_null(Cases::CompletedAt))
                    .col(text_null(Cases::Result))
                    .col(text_null(Cases::Pickup))
                    .col(text_null(Cases::Reason))
                    .col(string_len(Cases::IdempotencyKey, 64))
                    .col(timestamp_with_time_zone(Cases::CreatedAt))
                    .col(timestamp_with_time_zone(Cases::UpdatedAt))
                    .foreign_key(ForeignKey::create().from(Cases::Table, Cases::ApplicantId).to(Users::Table, Users::Id))
                    .foreign_key(ForeignKey::create().from(Cases::Table, Cases::FiledBy).to(Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("uq_cases_submission").table(Cases::Table).col(Cases::FiledBy).col(Cases::IdempotencyKey).unique().to_owned())
            .await?;
        manager.create_index(Index::create().name("idx_cases_applicant").table(Cases::Table).col(Cases::ApplicantId).to_owned()).await?;
        manager.create_index(Index::create().name("idx_cases_status").table(Cases::Table).col(Cases::Status).col(Cases::Deadline).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseFiles::Table)
                    .col(pk_auto(CaseFiles::Id))
                    .col(integer(CaseFiles::CaseId))
                    .col(integer(CaseFiles::MaterialIndex))
                    .col(string(CaseFiles::MaterialName))
                    .col(integer(CaseFiles::FileId))
                    .col(big_integer(CaseFiles::Size))
                    .col(boolean(CaseFiles::Superseded))
                    .col(integer(CaseFiles::UploadedBy))
                    .col(timestamp_with_time_zone(CaseFiles::CreatedAt))
                    .foreign_key(ForeignKey::create().from(CaseFiles::Table, CaseFiles::CaseId).to(Cases::Table, Cases::Id))
                    .foreign_key(ForeignKey::create().from(CaseFiles::Table, CaseFiles::FileId).to(StoredFiles::Table, StoredFiles::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_case_files_case").table(CaseFiles::Table).col(CaseFiles::CaseId).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseEvents::Table)
                    .col(pk_auto(CaseEvents::Id))
                    .col(integer(CaseEvents::CaseId))
                    .col(timestamp_with_time_zone(CaseEvents::At))
                    .col(integer_null(CaseEvents::ActorId))
                    .col(string(CaseEvents::ActorName))
                    .col(integer_null(CaseEvents::OnBehalfOf))
                    .col(string_len(CaseEvents::Kind, 32))
                    .col(text(CaseEvents::Message))
                    .foreign_key(ForeignKey::create().from(CaseEvents::Table, CaseEvents::CaseId).to(Cases::Table, Cases::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_case_events_case").table(CaseEvents::Table).col(CaseEvents::CaseId).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(SupplementNotices::Table)
                    .col(pk_auto(SupplementNotices::Id))
                    .col(integer(SupplementNotices::CaseId))
                    .col(integer(SupplementNotices::Seq))
                    .col(text(SupplementNotices::Items))
                    .col(integer(SupplementNotices::CreatedBy))
                    .col(timestamp_with_time_zone(SupplementNotices::CreatedAt))
                    .col(string_len(SupplementNotices::Status, 16))
                    .col(boolean(SupplementNotices::Extra))
                    .col(integer_null(SupplementNotices::DecidedBy))
                    .col(timestamp_with_time_zone_null(SupplementNotices::DecidedAt))
                    .foreign_key(ForeignKey::create().from(SupplementNotices::Table, SupplementNotices::CaseId).to(Cases::Table, Cases::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_notices_case_seq")
                    .table(SupplementNotices::Table)
                    .col(SupplementNotices::CaseId)
                    .col(SupplementNotices::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(Table::create().table(CaseSequences::Table).col(date(CaseSequences::Day).primary_key()).col(integer(CaseSequences::Last)).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_auto(Notifications::Id))
                    .col(integer(Notifications::UserId))
                    .col(string(Notifications::Title))
                    .col(text(Notifications::Body))
                    .col(string(Notifications::Link))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(ForeignKey::create().from(Notifications::Table, Notifications::UserId).to(Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_notifications_user").table(Notifications::Table).col(Notifications::UserId).col(Notifications::ReadAt).to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApplicantProfiles::Table)
                    .col(integer(ApplicantProfiles::UserId).primary_key())
                    .col(string(ApplicantProfiles::Name))
                    .col(string_len(ApplicantProfiles::Phone, 16))
                    .col(text(ApplicantProfiles::IdCipher))
                    .col(string_len(ApplicantProfiles::IdLookup, 64))
                    .col(string_len(ApplicantProfiles::IdMasked, 24))
                    .col(timestamp_with_time_zone(ApplicantProfiles::UpdatedAt))
                    .foreign_key(ForeignKey::create().from(ApplicantProfiles::Table, ApplicantProfiles::UserId).to(Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClerkBackups::Table)
                    .col(integer(ClerkBackups::ClerkId).primary_key())
                    .col(integer(ClerkBackups::BackupId))
                    .foreign_key(ForeignKey::create().from(ClerkBackups::Table, ClerkBackups::ClerkId).to(Users::Table, Users::Id))
                    .foreign_key(ForeignKey::create().from(ClerkBackups::Table, ClerkBackups::BackupId).to(Users::Table, Users::Id))
                    .check(Expr::col(ClerkBackups::ClerkId).ne(Expr::col(ClerkBackups::BackupId)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffLeave::Table)
                    .col(pk_auto(StaffLeave::Id))
                    .col(integer(StaffLeave::ClerkId))
                    .col(date(StaffLeave::FromDay))
                    .col(date(StaffLeave::ToDay))
                    .col(integer(StaffLeave::CreatedBy))
                    .col(timestamp_with_time_zone(StaffLeave::CreatedAt))
                    .foreign_key(ForeignKey::create().from(StaffLeave::Table, StaffLeave::ClerkId).to(Users::Table, Users::Id))
                    .check(Expr::col(StaffLeave::ToDay).gte(Expr::col(StaffLeave::FromDay)))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StaffLeave::Table.into_iden(),
            ClerkBackups::Table.into_iden(),
            ApplicantProfiles::Table.into_iden(),
            Notifications::Table.into_iden(),
            CaseSequences::Table.into_iden(),
            SupplementNotices::Table.into_iden(),
            CaseEvents::Table.into_iden(),
            CaseFiles::Table.into_iden(),
            Cases::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StoredFiles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    /// `BM20261130-0007`
    Number,
    ItemCode,
    ItemName,
    /// The guide version the applicant saw.
    GuideVersion,
    ApplicantId,
    /// The applicant, or the helper who filed for them.
    FiledBy,
    /// The helper's station, when a helper filed it.
    StationId,
    ApplicantName,
    ApplicantPhone,
    IdCipher,
    IdLookup,
    IdMasked,
    Notes,
    Status,
    WindowId,
    /// 首问负责: the first staff member who acted, until handed over on record.
    OwnerId,
    SubmittedAt,
    AcceptedAt,
    /// Set while waiting for the applicant's supplement (the deadline clock is paused).
    PausedAt,
    /// The status to return to on resubmission.
    PausedFrom,
    Deadline,
    CompletedAt,
    Result,
    Pickup,
    /// Why it was rejected.
    Reason,
    IdempotencyKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CaseFiles {
    Table,
    Id,
    CaseId,
    MaterialIndex,
    MaterialName,
    FileId,
    Size,
    /// Replaced during a supplement; kept for the record, no longer shown as current.
    Superseded,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CaseEvents {
    Table,
    Id,
    CaseId,
    At,
    ActorId,
    ActorName,
    OnBehalfOf,
    Kind,
    Message,
}

#[derive(DeriveIden)]
enum SupplementNotices {
    Table,
    Id,
    CaseId,
    Seq,
    /// JSON list of `{ index, material, reason }`.
    Items,
    CreatedBy,
    CreatedAt,
    /// `pending` (waiting for the chief), `active`, `answered`, `declined`.
    Status,
    /// Asks for materials the first notice did not: needs the chief, counted against the clerk.
    Extra,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum CaseSequences {
    Table,
    Day,
    Last,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Title,
    Body,
    Link,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum ApplicantProfiles {
    Table,
    UserId,
    Name,
    Phone,
    IdCipher,
    IdLookup,
    IdMasked,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ClerkBackups {
    Table,
    ClerkId,
    BackupId,
}

#[derive(DeriveIden)]
enum StaffLeave {
    Table,
    Id,
    ClerkId,
    FromDay,
    ToDay,
    CreatedBy,
    CreatedAt,
}

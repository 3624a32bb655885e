//! Feedback (投诉建议) and ratings (好差评): ratings of completed cases and served
//! visits, rectification tasks opened by bad ratings, complaints / suggestions / praise
//! with their timeline, photos and reply templates, and a small settings table.
//!
//! The rules that must hold under any concurrency live here: one rating per case or
//! visit and round (一事一评, unique indexes), one rectification per bad rating, one
//! submission per form key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Ratings::Table)
                    .col(pk_auto(Ratings::Id))
                    .col(integer_null(Ratings::CaseId))
                    .col(integer_null(Ratings::BookingId))
                    .col(integer(Ratings::Round))
                    .col(integer(Ratings::Level))
                    .col(text(Ratings::Tags))
                    .col(text(Ratings::Comment))
                    .col(integer(Ratings::RaterId))
                    .col(integer(Ratings::RecordedBy))
                    .col(boolean(Ratings::OnPaper))
                    .col(integer_null(Ratings::StaffId))
                    .col(string_len(Ratings::ItemCode, 32))
                    .col(string(Ratings::ItemName))
                    .col(timestamp_with_time_zone(Ratings::CreatedAt))
                    .foreign_key(ForeignKey::create().from(Ratings::Table, Ratings::CaseId).to(Cases::Table, Cases::Id))
                    .foreign_key(ForeignKey::create().from(Ratings::Table, Ratings::BookingId).to(Bookings::Table, Bookings::Id))
                    .foreign_key(ForeignKey::create().from(Ratings::Table, Ratings::RaterId).to(Users::Table, Users::Id))
                    .check(Expr::col(Ratings::Level).between(1, 5))
                    .check(Expr::col(Ratings::Round).between(1, 2))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("uq_ratings_case_round").table(Ratings::Table).col(Ratings::CaseId).col(Ratings::Round).unique().to_owned())
            .await?;
        manager
            .create_index(
                Index::create().name("uq_ratings_booking_round").table(Ratings::Table).col(Ratings::BookingId).col(Ratings::Round).unique().to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_ratings_created").table(Ratings::Table).col(Ratings::CreatedAt).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(Rectifications::Table)
                    .col(pk_auto(Rectifications::Id))
                    .col(integer_uniq(Rectifications::RatingId))
                    .col(string_len(Rectifications::Status, 16))
                    .col(integer_null(Rectifications::OwnerId))
                    .col(date(Rectifications::Deadline))
                    .col(text_null(Rectifications::CallbackNote))
                    .col(timestamp_with_time_zone_null(Rectifications::CalledBackAt))
                    .col(text_null(Rectifications::FixNote))
                    .col(timestamp_with_time_zone_null(Rectifications::FixedAt))
                    .col(timestamp_with_time_zone_null(Rectifications::ClosedAt))
                    .col(timestamp_with_time_zone(Rectifications::CreatedAt))
                    .foreign_key(ForeignKey::create().from(Rectifications::Table, Rectifications::RatingId).to(Ratings::Table, Ratings::Id))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .col(pk_auto(Feedback::Id))
                    .col(string_len_uniq(Feedback::Number, 20))
                    .col(string_len(Feedback::Kind, 16))
                    .col(string_len(Feedback::Source, 16))
                    .col(text(Feedback::Body))
                    .col(boolean(Feedback::Anonymous))
                    .col(integer_null(Feedback::AuthorId))
                    .col(string_len(Feedback::AuthorKey, 64))
                    .col(integer_null(Feedback::EnteredBy))
                    .col(string_null(Feedback::ContactName))
                    .col(string_len_null(Feedback::ContactPhone, 16))
                    .col(integer_null(Feedback::AboutCaseId))
                    .col(integer_null(Feedback::AboutStaffId))
                    .col(integer_null(Feedback::AboutStationId))
                    .col(integer_null(Feedback::AboutWindowId))
                    .col(boolean(Feedback::Complex))
                    .col(string_len(Feedback::Status, 16))
                    .col(integer_null(Feedback::OwnerId))
                    .col(date(Feedback::ContactDue))
                    .col(date(Feedback::ReplyDue))
                    .col(timestamp_with_time_zone_null(Feedback::ContactedAt))
                    .col(timestamp_with_time_zone_null(Feedback::RepliedAt))
                    .col(text_null(Feedback::Reply))
                    .col(timestamp_with_time_zone_null(Feedback::ClosedAt))
                    .col(boolean(Feedback::Reopened))
                    .col(text_null(Feedback::ReopenReason))
                    .col(integer_null(Feedback::OutcomeLevel))
                    .col(boolean(Feedback::PublishAllowed))
                    .col(string_len_uniq(Feedback::SubmitKey, 64))
                    .col(timestamp_with_time_zone(Feedback::CreatedAt))
                    .col(timestamp_with_time_zone(Feedback::UpdatedAt))
                    .foreign_key(ForeignKey::create().from(Feedback::Table, Feedback::AuthorId).to(Users::Table, Users::Id))
                    .foreign_key(ForeignKey::create().from(Feedback::Table, Feedback::AboutCaseId).to(Cases::Table, Cases::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_feedback_author_key").table(Feedback::Table).col(Feedback::AuthorKey).to_owned()).await?;
        manager
            .create_index(Index::create().name("idx_feedback_status").table(Feedback::Table).col(Feedback::Status).col(Feedback::ReplyDue).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeedbackEvents::Table)
                    .col(pk_auto(FeedbackEvents::Id))
                    .col(integer(FeedbackEvents::FeedbackId))
                    .col(timestamp_with_time_zone(FeedbackEvents::At))
                    .col(integer_null(FeedbackEvents::ActorId))
                    .col(string(FeedbackEvents::ActorName))
                    .col(string_len(FeedbackEvents::Kind, 32))
                    .col(text(FeedbackEvents::Message))
                    .col(boolean(FeedbackEvents::Internal))
                    .foreign_key(ForeignKey::create().from(FeedbackEvents::Table, FeedbackEvents::FeedbackId).to(Feedback::Table, Feedback::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_feedback_events_feedback").table(FeedbackEvents::Table).col(FeedbackEvents::FeedbackId).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeedbackFiles::Table)
                    .col(pk_auto(FeedbackFiles::Id))
                    .col(integer(FeedbackFiles::FeedbackId))
                    .col(integer(FeedbackFiles::FileId))
                    .col(timestamp_with_time_zone(FeedbackFiles::CreatedAt))
                    .foreign_key(ForeignKey::create().from(FeedbackFiles::Table, FeedbackFiles::FeedbackId).to(Feedback::Table, Feedback::Id))
                    .foreign_key(ForeignKey::create().from(FeedbackFiles::Table, FeedbackFiles::FileId).to(StoredFiles::Table, StoredFiles::Id))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeedbackSequences::Table)
                    .col(date(FeedbackSequences::Day).primary_key())
                    .col(integer(FeedbackSequences::Last))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReplyTemplates::Table)
                    .col(pk_auto(ReplyTemplates::Id))
                    .col(string(ReplyTemplates::Title))
                    .col(text(ReplyTemplates::Body))
                    .col(timestamp_with_time_zone(ReplyTemplates::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(Table::create().table(Settings::Table).col(string_len(Settings::Name, 64).primary_key()).col(text(Settings::Value)).to_owned())
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Settings::Table.into_iden(),
            ReplyTemplates::Table.into_iden(),
            FeedbackSequences::Table.into_iden(),
            FeedbackFiles::Table.into_iden(),
            FeedbackEvents::Table.into_iden(),
            Feedback::Table.into_iden(),
            Rectifications::Table.into_iden(),
            Ratings::Table.into_iden(),
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
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StoredFiles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Ratings {
    Table,
    Id,
    /// The rated case, or
    CaseId,
    /// the rated visit (a served booking).
    BookingId,
    /// 1: the rating; 2: the rating of the fix after a bad one.
    Round,
    /// 5 非常满意 … 1 非常不满意
    Level,
    /// Chosen tags, `|`-separated.
    Tags,
    Comment,
    /// The resident whose rating it is.
    RaterId,
    /// Who entered it: the resident, or a helper copying a paper form.
    RecordedBy,
    OnPaper,
    /// The staff member responsible (the case's owner, the visit's window clerk).
    StaffId,
    ItemCode,
    ItemName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rectifications {
    Table,
    Id,
    RatingId,
    /// open → called_back → fixed → closed (the resident rated the fix)
    Status,
    /// 首问负责: the handler who first acted.
    OwnerId,
    Deadline,
    CallbackNote,
    CalledBackAt,
    FixNote,
    FixedAt,
    ClosedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Feedback {
    Table,
    Id,
    /// `YJ20261130-0003`
    Number,
    /// complaint, suggestion, praise
    Kind,
    /// online, paper (意见簿), box (意见箱), phone (监督电话)
    Source,
    Body,
    Anonymous,
    /// The resident's account; NULL when anonymous or entered for someone without one.
    AuthorId,
    /// Keyed hash of the filer's account, so an anonymous author can follow their own
    /// suggestion and be rate-limited without handlers learning who they are.
    AuthorKey,
    /// The staff member who entered paper or phone feedback, or the helper.
    EnteredBy,
    ContactName,
    ContactPhone,
    AboutCaseId,
    AboutStaffId,
    AboutStationId,
    AboutWindowId,
    /// 复杂件: a longer reply deadline.
    Complex,
    /// submitted → assigned → replied → closed, or reopened (once) → replied …
    Status,
    OwnerId,
    /// First contact due (1 working day).
    ContactDue,
    /// Reply due (5 working days, 15 when complex).
    ReplyDue,
    ContactedAt,
    RepliedAt,
    Reply,
    ClosedAt,
    Reopened,
    ReopenReason,
    /// The resident's rating of the handling, when they confirmed it.
    OutcomeLevel,
    /// The resident allows a suggestion and its reply on the public 意见簿.
    PublishAllowed,
    /// One submission per form.
    SubmitKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FeedbackEvents {
    Table,
    Id,
    FeedbackId,
    At,
    ActorId,
    ActorName,
    Kind,
    Message,
    /// Staff notes: never shown to the resident.
    Internal,
}

#[derive(DeriveIden)]
enum FeedbackFiles {
    Table,
    Id,
    FeedbackId,
    FileId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FeedbackSequences {
    Table,
    Day,
    Last,
}

#[derive(DeriveIden)]
enum ReplyTemplates {
    Table,
    Id,
    Title,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Name,
    Value,
}

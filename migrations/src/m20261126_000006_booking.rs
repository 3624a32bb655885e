//! Booking and queue (预约与叫号): the holiday calendar, windows, schedules and the
//! slots derived from them, bookings, queue tickets, and leases for scheduled jobs.
//!
//! The rules that must hold under any concurrency live here, in the database:
//! a slot's `booked` never exceeds its `capacity` (CHECK, and the service books with a
//! conditional update); a resident has at most one live booking per item per day
//! (partial unique index); one submission makes one booking (unique idempotency key).

use sea_orm_migration::{prelude::*, schema::*};

const OFFICIAL_CALENDAR: &str = include_str!("../../app/data/cn-holidays-2025-2026.csv");

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Holidays::Table)
                    .col(date(Holidays::Day).primary_key())
                    .col(string_len(Holidays::Kind, 16))
                    .col(string(Holidays::Name))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Windows::Table)
                    .col(pk_auto(Windows::Id))
                    .col(string(Windows::Name))
                    .col(integer_null(Windows::ClerkId))
                    .col(boolean(Windows::Active))
                    .foreign_key(ForeignKey::create().from(Windows::Table, Windows::ClerkId).to(Users::Table, Users::Id).on_delete(ForeignKeyAction::SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Schedules::Table)
                    .col(pk_auto(Schedules::Id))
                    .col(string(Schedules::Name))
                    .col(integer_null(Schedules::WindowId))
                    .col(string_len(Schedules::Weekdays, 16))
                    .col(string(Schedules::Periods))
                    .col(integer(Schedules::SlotMinutes))
                    .col(integer(Schedules::Capacity))
                    .col(text(Schedules::ItemCodes))
                    .col(boolean(Schedules::Active))
                    .col(timestamp_with_time_zone(Schedules::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Schedules::Table, Schedules::WindowId).to(Windows::Table, Windows::Id).on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Slots::Table)
                    .col(pk_auto(Slots::Id))
                    .col(integer(Slots::ScheduleId))
                    .col(date(Slots::Day))
                    .col(timestamp_with_time_zone(Slots::StartsAt))
                    .col(timestamp_with_time_zone(Slots::EndsAt))
                    .col(integer(Slots::Capacity))
                    .col(integer(Slots::Booked).default(0))
                    .check(Expr::col(Slots::Booked).gte(0).and(Expr::col(Slots::Booked).lte(Expr::col(Slots::Capacity))))
                    .foreign_key(
                        ForeignKey::create().from(Slots::Table, Slots::ScheduleId).to(Schedules::Table, Schedules::Id).on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("uq_slots_schedule_start").table(Slots::Table).col(Slots::ScheduleId).col(Slots::StartsAt).unique().to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Bookings::Table)
                    .col(pk_auto(Bookings::Id))
                    .col(string_len_uniq(Bookings::Code, 16))
                    .col(integer(Bookings::ResidentId))
                    .col(integer(Bookings::BookedBy))
                    .col(string_len(Bookings::ItemCode, 32))
                    .col(string(Bookings::ItemName))
                    .col(integer(Bookings::SlotId))
                    .col(date(Bookings::Day))
                    .col(timestamp_with_time_zone(Bookings::StartsAt))
                    .col(string_len(Bookings::Channel, 16))
                    .col(integer_null(Bookings::StationId))
                    .col(string_len(Bookings::Status, 16))
                    .col(string_len(Bookings::IdempotencyKey, 64))
                    .col(timestamp_with_time_zone(Bookings::CreatedAt))
                    .col(timestamp_with_time_zone_null(Bookings::CancelledAt))
                    .col(timestamp_with_time_zone_null(Bookings::CheckedInAt))
                    .col(timestamp_with_time_zone_null(Bookings::ReminderSentAt))
                    .col(string_null(Bookings::VideoLink))
                    .col(timestamp_with_time_zone_null(Bookings::VideoAt))
                    .foreign_key(ForeignKey::create().from(Bookings::Table, Bookings::ResidentId).to(Users::Table, Users::Id))
                    .foreign_key(ForeignKey::create().from(Bookings::Table, Bookings::SlotId).to(Slots::Table, Slots::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_bookings_idempotency")
                    .table(Bookings::Table)
                    .col(Bookings::ResidentId)
                    .col(Bookings::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("idx_bookings_day").table(Bookings::Table).col(Bookings::Day).col(Bookings::Status).to_owned()).await?;
        // At most one live booking per resident, item and day. Partial unique indexes
        // read the same in SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX uq_bookings_one_per_item_day ON bookings (resident_id, item_code, day) WHERE status <> 'cancelled'")
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QueueTickets::Table)
                    .col(pk_auto(QueueTickets::Id))
                    .col(date(QueueTickets::Day))
                    .col(string_len(QueueTickets::Number, 8))
                    .col(integer_null(QueueTickets::BookingId))
                    .col(integer_null(QueueTickets::ResidentId))
                    .col(string(QueueTickets::Label))
                    .col(boolean(QueueTickets::Priority))
                    .col(timestamp_with_time_zone(QueueTickets::SortAt))
                    .col(string_len(QueueTickets::Status, 16))
                    .col(integer_null(QueueTickets::WindowId))
                    .col(integer(QueueTickets::Recalls).default(0))
                    .col(timestamp_with_time_zone(QueueTickets::CreatedAt))
                    .col(timestamp_with_time_zone_null(QueueTickets::CalledAt))
                    .col(timestamp_with_time_zone_null(QueueTickets::FinishedAt))
                    .foreign_key(ForeignKey::create().from(QueueTickets::Table, QueueTickets::BookingId).to(Bookings::Table, Bookings::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("uq_tickets_day_number").table(QueueTickets::Table).col(QueueTickets::Day).col(QueueTickets::Number).unique().to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("uq_tickets_booking").table(QueueTickets::Table).col(QueueTickets::BookingId).unique().to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string(JobLeases::Name).primary_key())
                    .col(string(JobLeases::Holder))
                    .col(timestamp_with_time_zone(JobLeases::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        // The official arrangements (State Council notices), as shipped in the app.
        let mut insert = Query::insert().into_table(Holidays::Table).columns([Holidays::Day, Holidays::Kind, Holidays::Name]).to_owned();
        for line in OFFICIAL_CALENDAR.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("date,")) {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let day = chrono::NaiveDate::parse_from_str(cells[0], "%Y-%m-%d").map_err(|e| DbErr::Custom(format!("calendar line {line}: {e}")))?;
            insert.values_panic([day.into(), cells.get(1).copied().unwrap_or("holiday").into(), cells.get(2).copied().unwrap_or("").into()]);
        }
        manager.exec_stmt(insert).await?;
        let counter = Query::insert()
            .into_table(ChangeCounters::Table)
            .columns([ChangeCounters::Name, ChangeCounters::Value])
            .values_panic(["queue".into(), 0i64.into()])
            .to_owned();
        manager.exec_stmt(counter).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let delete = Query::delete().from_table(ChangeCounters::Table).and_where(Expr::col(ChangeCounters::Name).eq("queue")).to_owned();
        manager.exec_stmt(delete).await?;
        for table in [
            JobLeases::Table.into_iden(),
            QueueTickets::Table.into_iden(),
            Bookings::Table.into_iden(),
            Slots::Table.into_iden(),
            Schedules::Table.into_iden(),
            Windows::Table.into_iden(),
            Holidays::Table.into_iden(),
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
enum ChangeCounters {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Day,
    /// `holiday` (day off) or `workday` (调休: a weekend day worked).
    Kind,
    Name,
}

#[derive(DeriveIden)]
enum Windows {
    Table,
    Id,
    Name,
    ClerkId,
    Active,
}

#[derive(DeriveIden)]
enum Schedules {
    Table,
    Id,
    Name,
    WindowId,
    /// ISO weekdays that are open, e.g. `12345` (Monday to Friday).
    Weekdays,
    /// Opening periods, e.g. `09:00-12:00,13:30-17:00` (China Standard Time).
    Periods,
    SlotMinutes,
    Capacity,
    /// Codes of the items that book into this schedule, space-separated.
    ItemCodes,
    Active,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Slots {
    Table,
    Id,
    ScheduleId,
    Day,
    StartsAt,
    EndsAt,
    Capacity,
    Booked,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Id,
    Code,
    ResidentId,
    /// The resident, or the helper who booked on their behalf.
    BookedBy,
    ItemCode,
    ItemName,
    SlotId,
    Day,
    StartsAt,
    /// `center`, `station` or `video`.
    Channel,
    StationId,
    /// booked → checked_in → called → served, or cancelled, or no_show.
    Status,
    IdempotencyKey,
    CreatedAt,
    CancelledAt,
    CheckedInAt,
    ReminderSentAt,
    VideoLink,
    VideoAt,
}

#[derive(DeriveIden)]
enum QueueTickets {
    Table,
    Id,
    Day,
    /// e.g. `A012` (booked), `B003` (walk-in), `V001` (绿色通道).
    Number,
    BookingId,
    ResidentId,
    /// What the window sees: the item and a masked name.
    Label,
    Priority,
    /// Order within a lane: the slot start for bookings, arrival for walk-ins.
    SortAt,
    /// waiting → called → served, or no_show.
    Status,
    WindowId,
    Recalls,
    CreatedAt,
    CalledAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

//! Booking services. Every rule that must hold under concurrency is enforced by the
//! database (see the booking migration); the checks here give the reasons.

use super::{BookingOptions, BookingRules, BookingView, Channel, DayOption, MyBookings, SlotOption, Status};
use crate::calendar::{Calendar, DayKind, load as calendar, load_day as calendar_of};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{BookingReason, Common, Msg, Reason};
use crate::ssr::AppState;
use crate::ssr::audit::{self, Entry};
use crate::ssr::auth::CurrentUser;
use crate::ssr::db::begin_write;
use crate::ssr::entities::{assisted_resident, booking, holiday, item, schedule, slot, station, user};
use crate::ssr::freshness;
use crate::ssr::mailer::{BookingEmail, Email};
use crate::ssr::state::{Admission, Pass};
pub use crate::time::when_text;
use crate::time::{When, cst};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, SqlErr};
use serde_json::json;

pub use crate::time::cst_today;

/// Parses opening periods such as `09:00-12:00,13:30-17:00`.
#[tracing::instrument(skip_all)]
pub fn parse_periods(text: &str) -> Result<Vec<(NaiveTime, NaiveTime)>, BookingReason> {
    let mut periods = Vec::new();
    for part in text.split([',', '，', ';', '；']).map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = part.split_once(['-', '–', '~', '～']).ok_or_else(|| BookingReason::PeriodFormat { period: part.to_owned() })?;
        let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| BookingReason::TimeFormat { time: s.trim().to_owned() });
        let (from, to) = (time(from)?, time(to)?);
        if to <= from {
            return Err(BookingReason::PeriodEndsBeforeStart { period: part.to_owned() });
        }
        if periods.last().is_some_and(|(_, end)| *end > from) {
            return Err(BookingReason::PeriodsOverlap);
        }
        periods.push((from, to));
    }
    if periods.is_empty() {
        return Err(BookingReason::NoPeriods);
    }
    Ok(periods)
}

fn weekday_open(weekdays: &str, day: NaiveDate) -> bool {
    let n = day.weekday().number_from_monday();
    weekdays.chars().filter_map(|c| c.to_digit(10)).any(|d| d == n)
}

/// Whether `day` takes bookings on `schedule`: an open weekday that is a working day,
/// or any 调休 working day (an adjusted Saturday opens like a weekday).
#[tracing::instrument(skip_all)]
pub fn is_open(calendar: &Calendar, schedule: &schedule::Model, day: NaiveDate) -> bool {
    if !calendar.is_working_day(day) {
        return false;
    }
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    weekend || weekday_open(&schedule.weekdays, day)
}

/// The slots of `schedule` on `day` as (start, end) instants.
#[tracing::instrument(skip_all)]
pub fn slot_times(schedule: &schedule::Model, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let Ok(periods) = parse_periods(&schedule.periods) else { return Vec::new() };
    let length = Duration::minutes(i64::from(Ord::max(schedule.slot_minutes, 5)));
    let mut times = Vec::new();
    for (from, to) in periods {
        let mut start = day.and_time(from);
        while start + length <= day.and_time(to) {
            if let Some(at) = cst().from_local_datetime(&start).single() {
                times.push((at.with_timezone(&Utc), (at + length).with_timezone(&Utc)));
            }
            start += length;
        }
    }
    times
}

/// The active schedule an item books into.
#[tracing::instrument(skip_all)]
pub async fn schedule_for_item(db: &impl ConnectionTrait, code: &str) -> Result<Option<schedule::Model>, AppError> {
    let schedules = schedule::Entity::find().filter(schedule::Column::Active.eq(true)).order_by_asc(schedule::Column::Id).all(db).await?;
    Ok(schedules.into_iter().find(|s| s.item_codes.split_whitespace().any(|c| c == code)))
}

/// Makes sure the slots of `schedule` on `day` exist (idempotent; safe to race).
#[tracing::instrument(skip_all)]
pub async fn ensure_slots(db: &impl ConnectionTrait, schedule: &schedule::Model, day: NaiveDate) -> Result<(), AppError> {
    let rows: Vec<slot::ActiveModel> = slot_times(schedule, day)
        .into_iter()
        .map(|(starts, ends)| slot::ActiveModel {
            schedule_id: Set(schedule.id),
            day: Set(day),
            starts_at: Set(starts),
            ends_at: Set(ends),
            capacity: Set(schedule.capacity),
            booked: Set(0),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    slot::Entity::insert_many(rows)
        .on_conflict(OnConflict::columns([slot::Column::ScheduleId, slot::Column::StartsAt]).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn bookable_item(db: &impl ConnectionTrait, code: &str) -> Result<(item::Model, schedule::Model), AppError> {
    let found = item::Entity::find().filter(item::Column::Code.eq(code)).one(db).await?.filter(|i| i.published).ok_or(AppError::NotFound)?;
    let schedule = match schedule_for_item(db, code).await? {
        Some(schedule) if found.bookable => schedule,
        _ => return Err(AppError::Conflict(Msg::ErrNotBookable)),
    };
    Ok((found, schedule))
}

fn booking_window(rules: &BookingRules, now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let today = cst_today(now);
    (today + Duration::days(i64::from(rules.min_days_ahead)), today + Duration::days(i64::from(rules.max_days_ahead)))
}

/// Days a resident whose booking fell on a day made a holiday may book beyond the
/// normal window, ahead of everyone else.
pub const REBOOK_AHEAD_DAYS: i64 = 7;

/// Days made holidays from a week ago on: a day the calendar closes on purpose is a
/// holiday row (weekends never had slots).
async fn closed_days(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<NaiveDate>, AppError> {
    let since = cst_today(now) - Duration::days(NO_SHOW_LOOKBACK_DAYS);
    Ok(holiday::Entity::find()
        .filter(holiday::Column::Day.gte(since))
        .filter(holiday::Column::Kind.eq(DayKind::Holiday.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.day)
        .collect())
}

/// The resident's live bookings of `code` on days the calendar has since closed.
async fn affected_bookings(db: &impl ConnectionTrait, resident: i32, code: &str, now: DateTime<Utc>) -> Result<Vec<booking::Model>, AppError> {
    let closed = closed_days(db, now).await?;
    if closed.is_empty() {
        return Ok(Vec::new());
    }
    Ok(booking::Entity::find()
        .filter(booking::Column::ResidentId.eq(resident))
        .filter(booking::Column::ItemCode.eq(code))
        .filter(booking::Column::Status.eq(Status::Booked))
        .filter(booking::Column::Day.is_in(closed))
        .all(db)
        .await?)
}

/// The days `resident` may book `code` on: the normal window, or — while a booking of
/// theirs sits on a day made a holiday — a longer one (rebooking ahead of the window).
async fn window_for(
    db: &impl ConnectionTrait,
    rules: &BookingRules,
    resident: i32,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, NaiveDate, bool), AppError> {
    let (first, last) = booking_window(rules, now);
    if affected_bookings(db, resident, code, now).await?.is_empty() {
        Ok((first, last, false))
    } else {
        Ok((first, last + Duration::days(REBOOK_AHEAD_DAYS), true))
    }
}

/// What a resident's no-show record allows: a warning after the first, a suspension at
/// the limit. Counts no-shows in the last `no_show_window_days`.
async fn standing(
    db: &impl ConnectionTrait,
    rules: &BookingRules,
    resident: i32,
    now: DateTime<Utc>,
) -> Result<(Option<Reason>, Option<BookingReason>), AppError> {
    let today = cst_today(now);
    let since = today - Duration::days(i64::from(rules.no_show_window_days));
    let no_shows = booking::Entity::find()
        .filter(booking::Column::ResidentId.eq(resident))
        .filter(booking::Column::Status.eq(Status::NoShow))
        .filter(booking::Column::Day.gte(since))
        .order_by_desc(booking::Column::Day)
        .all(db)
        .await?;
    let count = no_shows.len() as u32;
    if rules.no_show_limit > 0 && count >= rules.no_show_limit {
        let until = no_shows[0].day + Duration::days(i64::from(rules.suspend_days));
        if until >= today {
            return Ok((None, Some(BookingReason::Suspended { window_days: rules.no_show_window_days, count, until })));
        }
    }
    let warning = (count > 0).then(|| {
        BookingReason::NoShowWarning { window_days: rules.no_show_window_days, count, limit: rules.no_show_limit, suspend_days: rules.suspend_days }.into()
    });
    Ok((warning, None))
}

/// The booking page for one item.
#[tracing::instrument(skip_all)]
pub async fn options(db: &DatabaseConnection, rules: &BookingRules, resident: i32, code: &str, now: DateTime<Utc>) -> Result<BookingOptions, AppError> {
    let (found, schedule) = bookable_item(db, code).await?;
    let calendar = calendar(db).await?;
    let (first, last, rebook) = window_for(db, rules, resident, code, now).await?;
    let mut days = Vec::new();
    let mut day = first;
    while day <= last {
        let open = is_open(&calendar, &schedule, day);
        let mut left = 0;
        if open {
            ensure_slots(db, &schedule, day).await?;
            let slots = slot::Entity::find().filter(slot::Column::ScheduleId.eq(schedule.id)).filter(slot::Column::Day.eq(day)).all(db).await?;
            left = slots.iter().filter(|s| s.starts_at > now).map(|s| s.capacity - s.booked).sum();
        }
        days.push(DayOption { date: day.to_string(), day, open, left });
        day += Duration::days(1);
    }
    let (warning, suspended) = standing(db, rules, resident, now).await?;
    let mut stations = Vec::new();
    for s in station::Entity::find().filter(station::Column::ClosedAt.is_null()).order_by_asc(station::Column::Id).all(db).await? {
        if crate::stations::service::station_does(db, s.id, &found.code).await? {
            stations.push(crate::domain::Choice { id: s.id, name: s.name });
        }
    }
    Ok(BookingOptions {
        item_code: found.code,
        item_name: found.name,
        days,
        stations,
        warning,
        suspended: suspended.map(Reason::from),
        rules: *rules,
        key: crate::ssr::crypto::random_token(),
        for_resident: None,
        rebook,
    })
}

/// The slots of `day` for item `code`, with places left.
#[tracing::instrument(skip_all)]
pub async fn day_slots(db: &DatabaseConnection, rules: &BookingRules, code: &str, day: &str, now: DateTime<Utc>) -> Result<Vec<SlotOption>, AppError> {
    let (first, last) = booking_window(rules, now);
    slots_within(db, code, day, (first, last), now).await
}

/// Like [`day_slots`], in `resident`'s window (longer while they may rebook ahead).
#[tracing::instrument(skip_all)]
pub async fn day_slots_for(
    db: &DatabaseConnection,
    rules: &BookingRules,
    resident: i32,
    code: &str,
    day: &str,
    now: DateTime<Utc>,
) -> Result<Vec<SlotOption>, AppError> {
    let (first, last, _) = window_for(db, rules, resident, code, now).await?;
    slots_within(db, code, day, (first, last), now).await
}

async fn slots_within(
    db: &DatabaseConnection,
    code: &str,
    day: &str,
    (first, last): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<Vec<SlotOption>, AppError> {
    let (_, schedule) = bookable_item(db, code).await?;
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| AppError::Conflict(Msg::ErrBookingDay))?;
    if day < first || day > last || !is_open(&calendar(db).await?, &schedule, day) {
        return Ok(Vec::new());
    }
    ensure_slots(db, &schedule, day).await?;
    let slots = slot::Entity::find()
        .filter(slot::Column::ScheduleId.eq(schedule.id))
        .filter(slot::Column::Day.eq(day))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?;
    Ok(slots
        .into_iter()
        .filter(|s| s.starts_at > now)
        .map(|s| SlotOption {
            id: s.id,
            time: format!("{}-{}", s.starts_at.with_timezone(&cst()).format("%H:%M"), s.ends_at.with_timezone(&cst()).format("%H:%M")),
            left: s.capacity - s.booked,
        })
        .collect())
}

/// One booking submission.
#[derive(Clone, Debug)]
pub struct BookRequest {
    pub item_code: String,
    pub slot_id: i32,
    pub channel: String,
    pub station_id: Option<i32>,
    /// The form's one-time key (idempotency).
    pub key: String,
}

fn new_code() -> String {
    // No 0/O, 1/I/L: read aloud and typed at a window without confusion.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("operating system random source failed: {e}"));
    bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

/// Books a slot for `resident`. Returns the booking code. A repeated submission (same
/// key) returns the first booking's code and books nothing more.
///
/// Every rule is checked on plain reads first; only the guarding writes run in the
/// write transaction, one per slot at a time on this server (see `SlotGate`). The
/// database decides: a conditional update takes a seat only while one is free, and
/// unique indexes refuse a second booking for the same submission, or for the same
/// item and day.
#[tracing::instrument(skip_all)]
pub async fn book(state: &AppState, resident: i32, request: &BookRequest, now: DateTime<Utc>) -> Result<String, AppError> {
    book_as(state, resident, resident, request, now).await
}

/// Books for `resident` as their helper: only inside an authorisation covering the
/// item. The booking is the resident's; their rules (one a day, no-shows) apply.
#[tracing::instrument(skip_all)]
pub async fn book_for(state: &AppState, helper: &CurrentUser, resident: i32, request: &BookRequest, now: DateTime<Utc>) -> Result<String, AppError> {
    if !crate::stations::access::acts_for(&state.db, helper, resident, &request.item_code, now).await? {
        return Err(AppError::NotFound);
    }
    book_as(state, resident, helper.id, request, now).await
}

async fn book_as(state: &AppState, resident: i32, booked_by: i32, request: &BookRequest, now: DateTime<Utc>) -> Result<String, AppError> {
    let key = request.key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::Conflict(Msg::ErrBookingKey));
    }
    let channel = Channel::parse(&request.channel).ok_or(AppError::Conflict(Msg::ErrBookingChannel))?;
    let db = &state.db;
    let rules = &state.config.booking;
    let pass = match state.slots.admit(db, request.slot_id, resident, key).await? {
        Admission::Admitted(pass) => pass,
        Admission::Full(Some(replayed)) => return Ok(replayed),
        Admission::Full(None) => return Err(AppError::Conflict(Msg::ErrSlotFull)),
    };
    if let Some(existing) = by_key(db, resident, key).await? {
        return Ok(existing.code);
    }
    let (_, suspended) = standing(db, rules, resident, now).await?;
    if let Some(reason) = suspended {
        return Err(AppError::refused(reason));
    }
    let (found, schedule) = bookable_item(db, &request.item_code).await?;
    let slot =
        slot::Entity::find_by_id(request.slot_id).one(db).await?.filter(|s| s.schedule_id == schedule.id).ok_or(AppError::Conflict(Msg::ErrBookingSlot))?;
    let (first, last, rebook) = window_for(db, rules, resident, &found.code, now).await?;
    if slot.day < first || slot.day > last || slot.starts_at <= now || !is_open(&calendar_of(db, slot.day).await?, &schedule, slot.day) {
        return Err(AppError::refused(BookingReason::OutsideWindow { min_days: rules.min_days_ahead, max_days: rules.max_days_ahead }));
    }
    if slot.booked >= slot.capacity {
        remember_full(db, &pass, slot.id).await?;
        return Err(AppError::Conflict(Msg::ErrSlotFull));
    }
    pass.seen(slot.capacity - slot.booked);
    let station_id = match channel {
        Channel::Station => {
            let id = request.station_id.ok_or(AppError::Conflict(Msg::ErrBookingStation))?;
            if !crate::stations::service::station_does(db, id, &found.code).await? {
                return Err(AppError::Conflict(Msg::ErrBookingStation));
            }
            Some(id)
        }
        _ => None,
    };
    let same_day = booking::Entity::find()
        .filter(booking::Column::ResidentId.eq(resident))
        .filter(booking::Column::ItemCode.eq(&found.code))
        .filter(booking::Column::Day.eq(slot.day))
        .filter(booking::Column::Status.ne(Status::Cancelled))
        .one(db)
        .await?;
    if let Some(existing) = same_day {
        // A twin of this submission may have booked since the replay check above.
        return if existing.idempotency_key == key { Ok(existing.code) } else { Err(AppError::Conflict(Msg::ErrBookingSameDay)) };
    }

    let code = new_code();
    let booking = booking::ActiveModel {
        code: Set(code.clone()),
        resident_id: Set(resident),
        booked_by: Set(booked_by),
        item_code: Set(found.code.clone()),
        item_name: Set(found.name.clone()),
        slot_id: Set(slot.id),
        day: Set(slot.day),
        starts_at: Set(slot.starts_at),
        channel: Set(channel),
        station_id: Set(station_id),
        status: Set(Status::Booked),
        idempotency_key: Set(key.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    let audit = Entry {
        actor_id: Some(booked_by),
        on_behalf_of: (booked_by != resident).then_some(resident),
        action: "booking.create",
        entity: "booking",
        entity_id: Some(code.clone()),
        detail: json!({ "item": found.code, "slot": slot.id, "channel": channel.as_str() }),
    };
    let turn = state.slots.turn(slot.id).await;
    let taken = take_seat(db, slot.id, booking, audit).await;
    drop(turn);
    match taken? {
        Seat::Taken => {}
        Seat::Full => {
            remember_full(db, &pass, slot.id).await?;
            return Err(AppError::Conflict(Msg::ErrSlotFull));
        }
        // A concurrent twin of this submission, or of this item and day, got there first.
        Seat::Duplicate => {
            return match by_key(db, resident, key).await? {
                Some(existing) => Ok(existing.code),
                None => Err(AppError::Conflict(Msg::ErrBookingSameDay)),
            };
        }
    }
    // Tell the waiters how many seats are left, then let the next one in.
    match slot::Entity::find_by_id(slot.id).one(db).await? {
        Some(now_slot) if now_slot.booked < now_slot.capacity => pass.seen(now_slot.capacity - now_slot.booked),
        _ => remember_full(db, &pass, slot.id).await?,
    }
    drop(pass);
    if rebook {
        release_affected(state, resident, &found.code, &code, now).await?;
    }
    notify(state, &code, Notice::Confirmed).await;
    Ok(code)
}

/// After rebooking: the resident's bookings of `code` on days made holidays are cancelled.
async fn release_affected(state: &AppState, resident: i32, code: &str, new_code: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let affected = affected_bookings(&state.db, resident, code, now).await?;
    let txn = begin_write(&state.db).await?;
    for old in affected {
        let changed = booking::Entity::update_many()
            .col_expr(booking::Column::Status, Expr::value(Status::Cancelled))
            .col_expr(booking::Column::CancelledAt, Expr::value(now))
            .filter(booking::Column::Id.eq(old.id))
            .filter(booking::Column::Status.eq(Status::Booked))
            .exec(&txn)
            .await?;
        if changed.rows_affected == 1 {
            slot::Entity::update_many()
                .col_expr(slot::Column::Booked, Expr::col(slot::Column::Booked).sub(1))
                .filter(slot::Column::Id.eq(old.slot_id))
                .filter(slot::Column::Booked.gt(0))
                .exec(&txn)
                .await?;
            audit::record(
                &txn,
                Entry {
                    actor_id: None,
                    on_behalf_of: Some(resident),
                    action: "booking.rebooked",
                    entity: "booking",
                    entity_id: Some(old.code.clone()),
                    detail: json!({ "new": new_code }),
                },
            )
            .await?;
        }
    }
    freshness::bump(&txn, freshness::SEATS).await?;
    txn.commit().await?;
    Ok(())
}

/// Tells the gate slot `slot` is full, with every booking's submission key so replays
/// can be answered from memory.
async fn remember_full(db: &DatabaseConnection, pass: &Pass, slot: i32) -> Result<(), AppError> {
    let keys = booking::Entity::find()
        .filter(booking::Column::SlotId.eq(slot))
        .all(db)
        .await?
        .into_iter()
        .map(|b| ((b.resident_id, b.idempotency_key), b.code))
        .collect();
    pass.full(keys);
    Ok(())
}

enum Seat {
    Taken,
    Full,
    Duplicate,
}

/// The guarding writes, in one write transaction: take a seat of slot `slot_id` if one
/// is free, insert `booking`, record `audit`.
async fn take_seat(db: &DatabaseConnection, slot_id: i32, booking: booking::ActiveModel, audit: Entry<'_>) -> Result<Seat, AppError> {
    let txn = begin_write(db).await?;
    let taken = slot::Entity::update_many()
        .col_expr(slot::Column::Booked, Expr::col(slot::Column::Booked).add(1))
        .filter(slot::Column::Id.eq(slot_id))
        .filter(Expr::col(slot::Column::Booked).lt(Expr::col(slot::Column::Capacity)))
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(Seat::Full);
    }
    match booking.insert(&txn).await {
        Ok(_) => {}
        // Dropping the transaction gives the seat back.
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(Seat::Duplicate),
        Err(err) => return Err(err.into()),
    }
    audit::record(&txn, audit).await?;
    txn.commit().await?;
    Ok(Seat::Taken)
}

async fn by_key(db: &impl ConnectionTrait, resident: i32, key: &str) -> Result<Option<booking::Model>, AppError> {
    Ok(booking::Entity::find().filter(booking::Column::ResidentId.eq(resident)).filter(booking::Column::IdempotencyKey.eq(key)).one(db).await?)
}

/// Cancels a booking of the caller's. Already cancelled: nothing to do, no error.
#[tracing::instrument(skip_all)]
pub async fn cancel(state: &AppState, user: &CurrentUser, code: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let rules = &state.config.booking;
    let txn = begin_write(&state.db).await?;
    let found = booking::Entity::find().filter(booking::Column::Code.eq(code)).one(&txn).await?.ok_or(AppError::NotFound)?;
    if !crate::stations::access::acts_for(&txn, user, found.resident_id, &found.item_code, now).await? {
        return Err(AppError::NotFound);
    }
    match Some(found.status) {
        Some(Status::Cancelled) => return Ok(()),
        Some(Status::Booked) => {}
        _ => return Err(AppError::Conflict(Msg::ErrBookingNotCancellable)),
    }
    if found.starts_at - Duration::hours(i64::from(rules.cancel_hours_before)) < now {
        return Err(AppError::refused(BookingReason::TooLateToCancel { hours: rules.cancel_hours_before }));
    }
    let changed = booking::Entity::update_many()
        .col_expr(booking::Column::Status, Expr::value(Status::Cancelled))
        .col_expr(booking::Column::CancelledAt, Expr::value(now))
        .filter(booking::Column::Id.eq(found.id))
        .filter(booking::Column::Status.eq(Status::Booked))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Ok(()); // a concurrent cancel won; the outcome is the same
    }
    slot::Entity::update_many()
        .col_expr(slot::Column::Booked, Expr::col(slot::Column::Booked).sub(1))
        .filter(slot::Column::Id.eq(found.slot_id))
        .filter(slot::Column::Booked.gt(0))
        .exec(&txn)
        .await?;
    freshness::bump(&txn, freshness::SEATS).await?;
    let on_behalf_of = (user.id != found.resident_id).then_some(found.resident_id);
    audit::record(
        &txn,
        Entry { actor_id: Some(user.id), on_behalf_of, action: "booking.cancel", entity: "booking", entity_id: Some(code.to_owned()), detail: json!({}) },
    )
    .await?;
    txn.commit().await?;
    notify(state, code, Notice::Cancelled).await;
    Ok(())
}

async fn view(state: &AppState, found: &booking::Model, now: DateTime<Utc>) -> Result<BookingView, AppError> {
    let db = &state.db;
    let status = found.status;
    let channel = found.channel;
    let slot = slot::Entity::find_by_id(found.slot_id).one(db).await?;
    let station = match found.station_id {
        Some(id) => station::Entity::find_by_id(id).one(db).await?.map(|s| s.name),
        None => None,
    };
    let materials = match crate::guides::service::guide(db, &found.item_code, None).await {
        Ok(guide) => guide.content.materials.iter().map(|m| (m.name.clone(), m.requirement())).collect(),
        Err(_) => Vec::new(),
    };
    let address = match (channel, &station) {
        (Channel::Station, Some(name)) => name.clone(),
        (Channel::Video, _) => String::new(),
        _ => state.config.center_address.clone(),
    };
    let cancel_by = found.starts_at - Duration::hours(i64::from(state.config.booking.cancel_hours_before));
    let assisted_by = if found.booked_by == found.resident_id { None } else { crate::stations::access::assisted_by(db, found.booked_by, None).await? };
    Ok(BookingView {
        assisted_by,
        code: found.code.clone(),
        item_code: found.item_code.clone(),
        item_name: found.item_name.clone(),
        when: When::new(found.starts_at, slot.map(|s| s.ends_at)),
        day: found.day.to_string(),
        channel,
        station,
        status,
        can_cancel: status == Status::Booked && now < cancel_by,
        upcoming: matches!(status, Status::Booked | Status::CheckedIn | Status::Called) && cst_today(now) <= found.day,
        address,
        materials,
        video_link: found.video_link.clone(),
        video_at: found.video_at.map(|at| When::new(at, None)),
        qr_svg: qr_svg(&found.code),
    })
}

/// The check-in QR code of a booking code, as SVG.
#[tracing::instrument(skip_all)]
pub fn qr_svg(code: &str) -> String {
    match qrcode::QrCode::new(code.as_bytes()) {
        Ok(qr) => qr.render::<qrcode::render::svg::Color>().min_dimensions(180, 180).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

#[tracing::instrument(skip_all)]
pub async fn my_bookings(state: &AppState, resident: i32, now: DateTime<Utc>) -> Result<MyBookings, AppError> {
    let rows = booking::Entity::find().filter(booking::Column::ResidentId.eq(resident)).order_by_asc(booking::Column::StartsAt).all(&state.db).await?;
    let mut out = MyBookings { upcoming: Vec::new(), past: Vec::new() };
    for row in &rows {
        let view = view(state, row, now).await?;
        if view.upcoming { out.upcoming.push(view) } else { out.past.push(view) }
    }
    out.past.reverse();
    Ok(out)
}

/// A booking for its resident, or for the staff who check residents in.
#[tracing::instrument(skip_all)]
pub async fn booking_for(state: &AppState, user: &CurrentUser, code: &str, now: DateTime<Utc>) -> Result<BookingView, AppError> {
    let found = booking::Entity::find().filter(booking::Column::Code.eq(code.trim().to_uppercase())).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let allowed =
        user.has_role(&[Role::Clerk, Role::Chief]) || crate::stations::access::acts_for(&state.db, user, found.resident_id, &found.item_code, now).await?;
    if !allowed {
        return Err(AppError::NotFound);
    }
    view(state, &found, now).await
}

/// An `.ics` calendar entry for a booking (times in UTC, shown in the phone's zone).
#[tracing::instrument(skip_all)]
pub async fn ics(state: &AppState, user: &CurrentUser, code: &str) -> Result<String, AppError> {
    let found = booking::Entity::find().filter(booking::Column::Code.eq(code)).one(&state.db).await?.ok_or(AppError::NotFound)?;
    if found.resident_id != user.id {
        return Err(AppError::NotFound);
    }
    let ends = slot::Entity::find_by_id(found.slot_id).one(&state.db).await?.map_or(found.starts_at + Duration::minutes(30), |s| s.ends_at);
    let view = view(state, &found, Utc::now()).await?;
    use icalendar::{Alarm, Calendar, Component, Event, EventLike};
    let description = format!(
        "预约码：{}\n请携带：{}",
        found.code,
        view.materials.iter().map(|(name, need)| format!("{name}（{}）", need.text(crate::i18n::Lang::Zh))).collect::<Vec<_>>().join("；")
    );
    // The icalendar crate escapes text and folds lines at 75 octets (RFC 5545 §3.1).
    let event = Event::new()
        .uid(&format!("{}@bianmin", found.code))
        .timestamp(found.created_at)
        .starts(found.starts_at)
        .ends(ends)
        .summary(&format!("办理：{}", found.item_name))
        .location(&view.address)
        .description(&description)
        .alarm(Alarm::display(&found.item_name, -Duration::hours(1)))
        .done();
    Ok(Calendar::new().push(event).done().to_string())
}

/// Which email a booking change sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Confirmed,
    Reminder,
    Cancelled,
}

/// Emails the resident about their booking, if they gave a verified-or-not address.
/// Sending happens after the commit and never fails the request.
#[tracing::instrument(skip_all)]
pub async fn notify(state: &AppState, code: &str, notice: Notice) {
    if let Err(err) = try_notify(state, code, notice).await {
        tracing::warn!(error = ?err, code, "booking email not sent");
    }
}

async fn try_notify(state: &AppState, code: &str, notice: Notice) -> Result<(), AppError> {
    let found = booking::Entity::find().filter(booking::Column::Code.eq(code)).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let resident = user::Entity::find_by_id(found.resident_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let Some(address) = resident.email.as_deref().and_then(|e| crate::domain::EmailAddress::parse(e).ok()) else {
        return Ok(());
    };
    let view = view(state, &found, Utc::now()).await?;
    let lang = crate::i18n::Lang::parse(&resident.lang).unwrap_or_default();
    let content = BookingEmail {
        name: resident.name.clone().unwrap_or_else(|| crate::i18n::Msg::EmailResident.text(lang).to_owned()),
        item: view.item_name.clone(),
        when: view.when.text(lang),
        channel: view.channel.msg().text(lang).to_owned(),
        code: view.code.clone(),
        address: if view.channel == Channel::Video { crate::i18n::Msg::VideoAddress.text(lang).to_owned() } else { view.address.clone() },
        materials: view.materials.iter().map(|(name, need)| format!("· {name} ({})", need.text(lang))).collect::<Vec<_>>().join("\n"),
        url: format!("{}/bookings/{}", state.config.public_url, view.code),
    };
    let email = match notice {
        Notice::Confirmed => Email::BookingConfirmed(content),
        Notice::Reminder => Email::BookingReminder(content),
        Notice::Cancelled => Email::BookingCancelled(content),
    };
    state.mailer.send(&address, &email, lang).await.map_err(AppError::from)
}

/// Sends tomorrow's reminders, each at most once: a booking is claimed by setting
/// `reminder_sent_at` in a conditional update before its email goes out. Returns how
/// many were claimed. Call it while holding the reminder lease.
#[tracing::instrument(skip_all)]
pub async fn send_reminders(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let tomorrow = cst_today(now) + Duration::days(1);
    let due = booking::Entity::find()
        .filter(booking::Column::Day.eq(tomorrow))
        .filter(booking::Column::Status.eq(Status::Booked))
        .filter(booking::Column::ReminderSentAt.is_null())
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for found in due {
        let claimed = booking::Entity::update_many()
            .col_expr(booking::Column::ReminderSentAt, Expr::value(now))
            .filter(booking::Column::Id.eq(found.id))
            .filter(booking::Column::ReminderSentAt.is_null())
            .exec(&state.db)
            .await?;
        if claimed.rows_affected == 1 {
            notify(state, &found.code, Notice::Reminder).await;
            sent += 1;
        }
    }
    Ok(sent)
}

/// How far back the no-show job looks: a slot that ended longer ago than this is
/// never marked (the job runs every minute; a server down for a week skips rather
/// than punishes late).
pub const NO_SHOW_LOOKBACK_DAYS: i64 = 7;
/// Bookings read per batch by the no-show job.
pub const NO_SHOW_BATCH: u64 = 500;

/// (id, day, channel, station, absent at) of a booking the no-show job reads.
type NoShowRow = (i32, NaiveDate, String, Option<i32>, Option<DateTime<Utc>>);

/// Marks bookings whose slot ended without a check-in as no-shows.
///
/// At the center: every booking still booked when its slot ended. At a station: only
/// when the station recorded the resident absent, or the day ended without a check-in
/// while the station was open (a closed station could not check anyone in).
///
/// Never marked: video bookings (no one checks them in yet), and bookings on a day the
/// calendar now says is closed (a day made a holiday after they were taken: the center
/// was shut, the resident did nothing wrong). Reads only slots ended in the last
/// [`NO_SHOW_LOOKBACK_DAYS`], in batches of [`NO_SHOW_BATCH`] by booking id, so the work
/// per run is bounded however long the history grows.
#[tracing::instrument(skip(db))]
pub async fn mark_no_shows(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, AppError> {
    use sea_orm::{Condition, JoinType, QuerySelect};
    let calendar = calendar(db).await?;
    let closed_at: std::collections::HashMap<i32, Option<DateTime<Utc>>> =
        station::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.closed_at)).collect();
    let on_slot: sea_orm::RelationDef = booking::Entity::belongs_to(slot::Entity).from(booking::Column::SlotId).to(slot::Column::Id).into();
    let mut after = 0;
    let mut marked = 0;
    loop {
        let batch: Vec<NoShowRow> = booking::Entity::find()
            .select_only()
            .columns([booking::Column::Id, booking::Column::Day, booking::Column::Channel, booking::Column::StationId, booking::Column::AbsentAt])
            .join(JoinType::InnerJoin, on_slot.clone())
            .filter(slot::Column::EndsAt.lt(now))
            .filter(slot::Column::EndsAt.gte(now - Duration::days(NO_SHOW_LOOKBACK_DAYS)))
            .filter(booking::Column::Status.eq(Status::Booked))
            .filter(Condition::any().add(booking::Column::Channel.eq(Channel::Center)).add(booking::Column::Channel.eq(Channel::Station)))
            .filter(booking::Column::Id.gt(after))
            .order_by_asc(booking::Column::Id)
            .limit(NO_SHOW_BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let Some(&(last, ..)) = batch.last() else { break };
        after = last;
        let absent: Vec<i32> = batch
            .iter()
            .filter(|(_, day, ..)| calendar.is_working_day(*day))
            .filter(|(_, day, channel, station, absent_at)| match Channel::parse(channel) {
                Some(Channel::Station) => {
                    let day_over = crate::time::cst_midnight(*day + Duration::days(1)) <= now;
                    let open_that_day = station
                        .and_then(|id| closed_at.get(&id))
                        .is_some_and(|closed| closed.is_none_or(|at| at >= crate::time::cst_midnight(*day + Duration::days(1))));
                    absent_at.is_some() || (day_over && open_that_day)
                }
                _ => true,
            })
            .map(|(id, ..)| *id)
            .collect();
        if !absent.is_empty() {
            marked += booking::Entity::update_many()
                .col_expr(booking::Column::Status, Expr::value(Status::NoShow))
                .filter(booking::Column::Status.eq(Status::Booked))
                .filter(booking::Column::Id.is_in(absent))
                .exec(db)
                .await?
                .rows_affected;
        }
        if (batch.len() as u64) < NO_SHOW_BATCH {
            break;
        }
    }
    Ok(marked)
}

/// Bookings still booked on closed days from a week ago on, by day (at most 500).
#[tracing::instrument(skip_all)]
pub async fn bookings_on_closed_days(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<super::AffectedBooking>, AppError> {
    use sea_orm::QuerySelect;
    let closed = closed_days(db, now).await?;
    if closed.is_empty() {
        return Ok(Vec::new());
    }
    let rows = booking::Entity::find()
        .filter(booking::Column::Day.is_in(closed))
        .filter(booking::Column::Status.is_in([Status::Booked.as_str(), Status::NoShow.as_str()]))
        .order_by_asc(booking::Column::StartsAt)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|b| b.resident_id).collect();
    let people: std::collections::HashMap<i32, user::Model> =
        user::Entity::find().filter(user::Column::Id.is_in(ids.clone())).all(db).await?.into_iter().map(|u| (u.id, u)).collect();
    // Residents a station registered without an account: their contact phone, if any.
    let contacts: std::collections::HashMap<i32, Option<String>> = assisted_resident::Entity::find()
        .filter(assisted_resident::Column::UserId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a.contact_phone))
        .collect();
    Ok(rows
        .into_iter()
        .map(|b| {
            let person = people.get(&b.resident_id);
            let phone = match contacts.get(&b.resident_id) {
                Some(contact) => contact.clone().unwrap_or_else(|| "（无手机，请联系服务站）".to_owned()),
                None => person.map(|u| u.phone.clone()).unwrap_or_default(),
            };
            super::AffectedBooking {
                resident: person.and_then(|u| u.name.clone()).unwrap_or_else(|| "（未填姓名）".to_owned()),
                phone,
                notified: b.affected_notice_at.is_some(),
                code: b.code,
                item_name: b.item_name,
                day: b.day.to_string(),
                starts_at: crate::time::format_cst(b.starts_at),
                no_show: b.status == Status::NoShow,
            }
        })
        .collect())
}

pub use super::ScheduleInput;

/// Creates (`id == None`) or changes a schedule. Slots already booked keep their
/// times and capacity; empty future slots are dropped so they come back in the new shape.
#[tracing::instrument(skip_all)]
pub async fn save_schedule(db: &DatabaseConnection, id: Option<i32>, input: &ScheduleInput, editor: Option<i32>, now: DateTime<Utc>) -> Result<i32, AppError> {
    let mut reasons: Vec<Reason> = Vec::new();
    if input.name.trim().is_empty() {
        reasons.push(BookingReason::ScheduleNameMissing.into());
    }
    if input.weekdays.is_empty() || !input.weekdays.chars().all(|c| ('1'..='7').contains(&c)) {
        reasons.push(BookingReason::WeekdaysFormat.into());
    }
    if let Err(reason) = parse_periods(&input.periods) {
        reasons.push(reason.into());
    }
    if !(5..=240).contains(&input.slot_minutes) {
        reasons.push(BookingReason::SlotLength.into());
    }
    if !(1..=500).contains(&input.capacity) {
        reasons.push(BookingReason::SlotCapacity.into());
    }
    let txn = begin_write(db).await?;
    let codes: Vec<&str> = input.item_codes.split_whitespace().collect();
    for code in &codes {
        match item::Entity::find().filter(item::Column::Code.eq(*code)).one(&txn).await? {
            Some(found) if found.bookable => {}
            Some(_) => reasons.push(BookingReason::ItemNotBookable { code: code.to_string() }.into()),
            None => reasons.push(BookingReason::NoSuchItem { code: code.to_string() }.into()),
        }
        let others = schedule::Entity::find().filter(schedule::Column::Active.eq(true)).all(&txn).await?;
        if others.iter().any(|s| Some(s.id) != id && s.item_codes.split_whitespace().any(|c| c == *code)) {
            reasons.push(BookingReason::ItemInOtherSchedule { code: code.to_string() }.into());
        }
    }
    if !reasons.is_empty() {
        return Err(AppError::Rejected(reasons));
    }
    let mut row = match id {
        Some(id) => schedule::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?.into(),
        None => schedule::ActiveModel { active: Set(true), ..Default::default() },
    };
    row.name = Set(input.name.trim().to_owned());
    row.window_id = Set(input.window_id);
    row.weekdays = Set(input.weekdays.clone());
    row.periods = Set(input.periods.clone());
    row.slot_minutes = Set(input.slot_minutes);
    row.capacity = Set(input.capacity);
    row.item_codes = Set(codes.join(" "));
    row.updated_at = Set(now);
    let saved = row.save(&txn).await?;
    let schedule_id = match saved.id {
        sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => id,
        sea_orm::ActiveValue::NotSet => return Err(AppError::Internal),
    };
    slot::Entity::delete_many()
        .filter(slot::Column::ScheduleId.eq(schedule_id))
        .filter(slot::Column::Booked.eq(0))
        .filter(slot::Column::Day.gt(cst_today(now)))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Entry {
            actor_id: editor,
            on_behalf_of: None,
            action: "schedule.save",
            entity: "schedule",
            entity_id: Some(schedule_id.to_string()),
            detail: json!({ "capacity": input.capacity, "items": codes }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(schedule_id)
}

/// Demo windows and one schedule for every bookable demo item (idempotent).
#[tracing::instrument(skip_all)]
pub async fn seed_demo_schedules(db: &DatabaseConnection) -> Result<(), AppError> {
    use crate::ssr::entities::window;
    if schedule::Entity::find().one(db).await?.is_some() {
        return Ok(());
    }
    let clerk = user::Entity::find().filter(user::Column::Role.eq(Role::Clerk)).one(db).await?.map(|u| u.id);
    let mut first_window = None;
    for (n, name) in ["1号窗口（综合受理）", "2号窗口（综合受理）", "3号窗口（绿色通道）"].into_iter().enumerate() {
        let row = window::ActiveModel { name: Set(name.to_owned()), clerk_id: Set(if n == 0 { clerk } else { None }), active: Set(true), ..Default::default() }
            .insert(db)
            .await?;
        first_window.get_or_insert(row.id);
    }
    let codes: Vec<String> =
        item::Entity::find().filter(item::Column::Bookable.eq(true)).order_by_asc(item::Column::Code).all(db).await?.into_iter().map(|i| i.code).collect();
    let input = ScheduleInput {
        name: "综合受理（演示排班）".to_owned(),
        window_id: first_window,
        weekdays: "12345".to_owned(),
        periods: "09:00-12:00,13:30-17:00".to_owned(),
        slot_minutes: 30,
        capacity: 4,
        item_codes: codes.join(" "),
    };
    save_schedule(db, None, &input, None, Utc::now()).await?;
    Ok(())
}

/// Everything the chief's 排班与日历 page shows.
#[tracing::instrument(skip_all)]
pub async fn schedule_admin(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<super::ScheduleAdmin, AppError> {
    use crate::ssr::entities::window;
    let schedules = schedule::Entity::find().order_by_asc(schedule::Column::Id).all(db).await?;
    let windows = window::Entity::find().order_by_asc(window::Column::Id).all(db).await?;
    let from = cst_today(now) - Duration::days(31);
    let holidays = holiday::Entity::find().filter(holiday::Column::Day.gte(from)).order_by_asc(holiday::Column::Day).all(db).await?;
    Ok(super::ScheduleAdmin {
        schedules: schedules
            .into_iter()
            .map(|s| super::ScheduleRow {
                id: s.id,
                input: ScheduleInput {
                    name: s.name,
                    window_id: s.window_id,
                    weekdays: s.weekdays,
                    periods: s.periods,
                    slot_minutes: s.slot_minutes,
                    capacity: s.capacity,
                    item_codes: s.item_codes,
                },
                active: s.active,
            })
            .collect(),
        windows: windows.into_iter().map(|w| super::WindowRow { id: w.id, name: w.name, clerk_id: w.clerk_id, active: w.active }).collect(),
        clerks: crate::ssr::directory::clerks(db).await?.into_iter().map(|(id, name)| crate::domain::Choice { id, name }).collect(),
        holidays: holidays.into_iter().map(|h| super::HolidayRow { date: h.day.to_string(), kind: h.kind, name: h.name }).collect(),
        affected: bookings_on_closed_days(db, now).await?,
    })
}

/// Creates (`id == None`) or changes a window and the clerk who staffs it.
#[tracing::instrument(skip_all)]
pub async fn save_window(db: &DatabaseConnection, id: Option<i32>, name: &str, clerk_id: Option<i32>, active: bool, editor: i32) -> Result<i32, AppError> {
    use crate::ssr::entities::{queue_ticket, window};
    let name = name.trim();
    let mut reasons: Vec<Reason> = Vec::new();
    if name.is_empty() || name.chars().count() > 40 {
        reasons.push(BookingReason::WindowNameLength.into());
    }
    let txn = begin_write(db).await?;
    if let Some(clerk) = clerk_id {
        let is_clerk = user::Entity::find_by_id(clerk).one(&txn).await?.is_some_and(|u| u.role == Role::Clerk && u.active);
        if !is_clerk {
            reasons.push(BookingReason::WindowClerkNotActive.into());
        }
    }
    if let (Some(id), false) = (id, active) {
        let busy = queue_ticket::Entity::find()
            .filter(queue_ticket::Column::WindowId.eq(id))
            .filter(queue_ticket::Column::Status.eq(crate::domain::TicketStatus::Called))
            .one(&txn)
            .await?;
        if let Some(ticket) = busy {
            reasons.push(BookingReason::WindowBusy { number: ticket.number }.into());
        }
    }
    if !reasons.is_empty() {
        return Err(AppError::Rejected(reasons));
    }
    let mut row: window::ActiveModel = match id {
        Some(id) => window::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?.into(),
        None => Default::default(),
    };
    row.name = Set(name.to_owned());
    row.clerk_id = Set(clerk_id);
    row.active = Set(active);
    let saved = row.save(&txn).await?;
    let window_id = match saved.id {
        sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => id,
        sea_orm::ActiveValue::NotSet => return Err(AppError::Internal),
    };
    audit::record(
        &txn,
        Entry {
            actor_id: Some(editor),
            on_behalf_of: None,
            action: "window.save",
            entity: "window",
            entity_id: Some(window_id.to_string()),
            detail: json!({ "name": name, "clerk": clerk_id, "active": active }),
        },
    )
    .await?;
    freshness::bump(&txn, freshness::QUEUE).await?;
    txn.commit().await?;
    Ok(window_id)
}

async fn put_holidays(txn: &impl ConnectionTrait, days: &[crate::calendar::SpecialDay]) -> Result<(), AppError> {
    for day in days {
        holiday::Entity::insert(holiday::ActiveModel { day: Set(day.date), kind: Set(day.kind.as_str().to_owned()), name: Set(day.name.clone()) })
            .on_conflict(OnConflict::column(holiday::Column::Day).update_columns([holiday::Column::Kind, holiday::Column::Name]).to_owned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Adds or changes one day of the calendar.
#[tracing::instrument(skip_all)]
pub async fn save_holiday(db: &DatabaseConnection, date: &str, kind: DayKind, name: &str, editor: i32) -> Result<(), AppError> {
    let line = format!("{},{},{}", date.trim(), kind.as_str(), name.trim().replace(',', "，"));
    // One line typed into a form: its reasons without the line number.
    let days = crate::calendar::parse_csv(&line).map_err(|reasons| {
        AppError::Rejected(
            reasons
                .into_iter()
                .map(|reason| match reason {
                    Reason::Common(Common::Line { reason, .. }) => *reason,
                    other => other,
                })
                .collect(),
        )
    })?;
    if name.chars().count() > 20 {
        return Err(AppError::refused(BookingReason::HolidayNameTooLong));
    }
    let txn = begin_write(db).await?;
    put_holidays(&txn, &days).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(editor),
            on_behalf_of: None,
            action: "calendar.save",
            entity: "holiday",
            entity_id: Some(date.trim().to_owned()),
            detail: json!({ "kind": kind.as_str(), "name": name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes one day from the calendar (it becomes an ordinary weekday or weekend day).
#[tracing::instrument(skip_all)]
pub async fn remove_holiday(db: &DatabaseConnection, date: &str, editor: i32) -> Result<(), AppError> {
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| AppError::refused(Common::DateFormat))?;
    let txn = begin_write(db).await?;
    holiday::Entity::delete_by_id(day).exec(&txn).await?;
    audit::record(
        &txn,
        Entry { actor_id: Some(editor), on_behalf_of: None, action: "calendar.remove", entity: "holiday", entity_id: Some(day.to_string()), detail: json!({}) },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Imports a calendar file (`date,kind,name`, the layout of the shipped official file):
/// all or nothing; every bad line is named. Returns how many days were written.
#[tracing::instrument(skip_all)]
pub async fn import_holidays(db: &DatabaseConnection, bytes: &[u8], editor: i32) -> Result<usize, AppError> {
    let text = std::str::from_utf8(bytes).map_err(|_| AppError::refused(BookingReason::CalendarNotUtf8))?;
    let (days, mut reasons) = match crate::calendar::parse_csv(text) {
        Ok(days) => (days, Vec::new()),
        Err(reasons) => (Vec::new(), reasons),
    };
    if days.is_empty() && reasons.is_empty() {
        reasons.push(BookingReason::CalendarEmpty.into());
    }
    if !reasons.is_empty() {
        return Err(AppError::Rejected(reasons));
    }
    let txn = begin_write(db).await?;
    put_holidays(&txn, &days).await?;
    audit::record(
        &txn,
        Entry {
            actor_id: Some(editor),
            on_behalf_of: None,
            action: "calendar.import",
            entity: "holiday",
            entity_id: None,
            detail: json!({ "days": days.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(days.len())
}

//! The figures, computed from the records themselves: every count here is one filter
//! over one table, so a figure can be checked by hand against the list of records
//! behind it ([`records`]). Who sees what: the chief the whole center; a clerk the
//! cases they own, their windows' visits and their second notices; a handler the
//! feedback and rectifications they own. Anyone else is refused before this runs.

use super::{Dashboard, DayPoint, DueRow, Figure, FigureRecords, Figures, Headline, Period, Preset, PublicFigures, RecordRow, Row, Scope, Why};
use crate::calendar::{Calendar, load as calendar};
use crate::domain::{BookingStatus, CaseStatus, FeedbackKind, Role, TicketStatus};
use crate::error::AppError;
use crate::ratings::service::figures as rating_figures;
use crate::ssr::auth::CurrentUser;
use crate::ssr::entities::{booking, case, feedback, item, queue_ticket, rating, rectification, station, supplement_notice, user, window};
use crate::time::{cst_midnight, cst_today};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// Whose records count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Whose {
    Center,
    Clerk(i32),
    Handler(i32),
}

impl Whose {
    fn of(user: &CurrentUser) -> Result<Whose, AppError> {
        match user.role {
            Role::Chief => Ok(Whose::Center),
            Role::Clerk => Ok(Whose::Clerk(user.id)),
            Role::Handler => Ok(Whose::Handler(user.id)),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The staff member whose cases and ratings count, if not the whole center.
    fn staff(self) -> Option<i32> {
        match self {
            Whose::Center => None,
            Whose::Clerk(id) | Whose::Handler(id) => Some(id),
        }
    }
}

/// `[from, to)` in UTC for a period of China days.
fn bounds(period: &Period) -> (DateTime<Utc>, DateTime<Utc>) {
    (cst_midnight(period.from), cst_midnight(period.to + Duration::days(1)))
}

/// Whether a completed case met its deadline (限时办结): completed on or before the
/// deadline day, China time. A case completed without a deadline had none to miss.
fn on_time(row: &case::Model) -> bool {
    match (row.deadline, row.completed_at) {
        (Some(deadline), Some(done)) => cst_today(done) <= deadline,
        _ => true,
    }
}

fn why_case(calendar: &Calendar, row: &case::Model) -> Why {
    let completed = row.completed_at.map(cst_today).unwrap_or(row.updated_at.date_naive());
    match row.deadline {
        Some(deadline) if completed > deadline => Why::Late { deadline, completed, days: calendar.working_days_between(deadline, completed) },
        Some(deadline) => Why::OnTime { deadline, completed },
        None => Why::OnTime { deadline: completed, completed },
    }
}

/// Cases completed in the period, with the ids of those their resident rated.
async fn completed_cases(db: &impl ConnectionTrait, whose: Whose, period: &Period) -> Result<(Vec<case::Model>, HashMap<i32, bool>), AppError> {
    let (from, to) = bounds(period);
    let mut query = case::Entity::find()
        .filter(case::Column::Status.eq(CaseStatus::Completed))
        .filter(case::Column::CompletedAt.gte(from))
        .filter(case::Column::CompletedAt.lt(to));
    query = match whose {
        Whose::Center => query,
        Whose::Clerk(id) => query.filter(case::Column::OwnerId.eq(id)),
        Whose::Handler(_) => return Ok((Vec::new(), HashMap::new())),
    };
    let rows = query.all(db).await?;
    let ids: Vec<i32> = rows.iter().map(|c| c.id).collect();
    let mut rated = HashMap::new();
    for chunk in ids.chunks(500) {
        let found: Vec<(Option<i32>, bool)> = rating::Entity::find()
            .select_only()
            .column(rating::Column::CaseId)
            .column(rating::Column::OnPaper)
            .filter(rating::Column::Round.eq(1))
            .filter(rating::Column::CaseId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        rated.extend(found.into_iter().filter_map(|(case, paper)| case.map(|c| (c, paper))));
    }
    Ok((rows, rated))
}

/// The ids of the windows a clerk staffs.
async fn windows_of(db: &impl ConnectionTrait, clerk: i32) -> Result<Vec<i32>, AppError> {
    Ok(window::Entity::find().select_only().column(window::Column::Id).filter(window::Column::ClerkId.eq(clerk)).into_tuple().all(db).await?)
}

/// Tickets served (finished) or called in the period, at the windows that count.
async fn tickets(db: &impl ConnectionTrait, whose: Whose, period: &Period) -> Result<(Vec<queue_ticket::Model>, Vec<queue_ticket::Model>), AppError> {
    let (from, to) = bounds(period);
    let windows = match whose {
        Whose::Center => None,
        Whose::Clerk(id) => Some(windows_of(db, id).await?),
        Whose::Handler(_) => return Ok((Vec::new(), Vec::new())),
    };
    let scoped = |query: sea_orm::Select<queue_ticket::Entity>| match &windows {
        Some(ids) => query.filter(queue_ticket::Column::WindowId.is_in(ids.iter().copied())),
        None => query,
    };
    let served = scoped(
        queue_ticket::Entity::find()
            .filter(queue_ticket::Column::Status.eq(TicketStatus::Served))
            .filter(queue_ticket::Column::FinishedAt.gte(from))
            .filter(queue_ticket::Column::FinishedAt.lt(to)),
    )
    .all(db)
    .await?;
    let called =
        scoped(queue_ticket::Entity::find().filter(queue_ticket::Column::CalledAt.gte(from)).filter(queue_ticket::Column::CalledAt.lt(to))).all(db).await?;
    Ok((served, called))
}

/// Feedback whose reply fell due in the period (praise needs no reply).
async fn feedback_due(db: &impl ConnectionTrait, whose: Whose, period: &Period) -> Result<Vec<feedback::Model>, AppError> {
    let query = feedback::Entity::find()
        .filter(feedback::Column::Kind.ne(FeedbackKind::Praise))
        .filter(feedback::Column::ReplyDue.gte(period.from))
        .filter(feedback::Column::ReplyDue.lte(period.to));
    Ok(match whose {
        Whose::Center => query.all(db).await?,
        Whose::Handler(id) => query.filter(feedback::Column::OwnerId.eq(id)).all(db).await?,
        Whose::Clerk(_) => Vec::new(),
    })
}

fn replied_on_time(row: &feedback::Model) -> bool {
    row.replied_at.is_some_and(|at| cst_today(at) <= row.reply_due)
}

/// The figures of a period for `whose`.
async fn figures_of(
    db: &impl ConnectionTrait,
    calendar: &Calendar,
    whose: Whose,
    period: &Period,
    now: DateTime<Utc>,
) -> Result<(Figures, Vec<case::Model>, HashMap<i32, bool>, Vec<queue_ticket::Model>), AppError> {
    let (from, to) = bounds(period);
    let today = cst_today(now);
    let (completed, rated) = completed_cases(db, whose, period).await?;
    let (served, called) = tickets(db, whose, period).await?;
    let owner = |query: sea_orm::Select<case::Entity>| match whose {
        Whose::Clerk(id) => query.filter(case::Column::OwnerId.eq(id)),
        _ => query,
    };
    let handler_only = matches!(whose, Whose::Handler(_));
    let cases_accepted = if handler_only {
        0
    } else {
        owner(case::Entity::find().filter(case::Column::AcceptedAt.gte(from)).filter(case::Column::AcceptedAt.lt(to))).count(db).await?
    };
    let assisted = if handler_only {
        0
    } else {
        owner(
            case::Entity::find()
                .filter(case::Column::StationId.is_not_null())
                .filter(case::Column::SubmittedAt.gte(from))
                .filter(case::Column::SubmittedAt.lt(to)),
        )
        .count(db)
        .await?
    };
    // Bookings belong to the center, not to one clerk.
    let (bookings, check_ins, no_shows) = if whose == Whose::Center {
        let for_period = || {
            booking::Entity::find()
                .filter(booking::Column::Day.gte(period.from))
                .filter(booking::Column::Day.lte(period.to))
                .filter(booking::Column::Status.ne(BookingStatus::Cancelled))
        };
        (
            for_period().count(db).await?,
            for_period().filter(booking::Column::CheckedInAt.is_not_null()).count(db).await?,
            for_period().filter(booking::Column::Status.eq(BookingStatus::NoShow)).count(db).await?,
        )
    } else {
        (0, 0, 0)
    };
    let feedback_received = match whose {
        Whose::Center => feedback::Entity::find().filter(feedback::Column::CreatedAt.gte(from)).filter(feedback::Column::CreatedAt.lt(to)).count(db).await?,
        Whose::Handler(id) => {
            feedback::Entity::find()
                .filter(feedback::Column::OwnerId.eq(id))
                .filter(feedback::Column::CreatedAt.gte(from))
                .filter(feedback::Column::CreatedAt.lt(to))
                .count(db)
                .await?
        }
        Whose::Clerk(_) => 0,
    };
    let due = feedback_due(db, whose, period).await?;
    let rectifications: Vec<rectification::Model> = {
        let query =
            rectification::Entity::find().filter(rectification::Column::Deadline.gte(period.from)).filter(rectification::Column::Deadline.lte(period.to));
        match whose {
            Whose::Center => query.all(db).await?,
            Whose::Handler(id) => query.filter(rectification::Column::OwnerId.eq(id)).all(db).await?,
            Whose::Clerk(_) => Vec::new(),
        }
    };
    let second_notices = {
        let query = supplement_notice::Entity::find()
            .filter(supplement_notice::Column::Extra.eq(true))
            .filter(supplement_notice::Column::CreatedAt.gte(from))
            .filter(supplement_notice::Column::CreatedAt.lt(to));
        match whose {
            Whose::Center => query.count(db).await?,
            Whose::Clerk(id) => query.filter(supplement_notice::Column::CreatedBy.eq(id)).count(db).await?,
            Whose::Handler(_) => 0,
        }
    };
    let last_counted = period.to.min(today);
    let working_days = if last_counted < period.from { 0 } else { u64::from(calendar.working_days_between(period.from - Duration::days(1), last_counted)) };
    // A handler rates nothing: their figures are feedback and rectifications.
    let ratings = if handler_only { Default::default() } else { rating_figures(db, from, to, whose.staff()).await? };
    let waits: Vec<i64> = called.iter().filter_map(|t| t.called_at.map(|at| (at - t.created_at).num_seconds().max(0))).collect();
    let figures = Figures {
        completed: completed.len() as u64,
        completed_on_time: completed.iter().filter(|c| on_time(c)).count() as u64,
        ratings,
        visits: served.len() as u64,
        working_days,
        cases_accepted,
        bookings,
        check_ins,
        no_shows,
        calls: waits.len() as u64,
        wait_seconds: waits.iter().sum::<i64>() as u64,
        feedback_received,
        feedback_due: due.len() as u64,
        feedback_on_time: due.iter().filter(|f| replied_on_time(f)).count() as u64,
        feedback_overdue: due.iter().filter(|f| f.replied_at.is_none() && f.reply_due < today).count() as u64,
        rectifications_due: rectifications.len() as u64,
        rectifications_on_time: rectifications.iter().filter(|r| r.fixed_at.is_some_and(|at| cst_today(at) <= r.deadline)).count() as u64,
        second_notices,
        assisted,
    };
    Ok((figures, completed, rated, served))
}

/// Sums completed cases into rows by `key`, best covered first.
fn breakdown<'a>(
    cases: impl Iterator<Item = &'a case::Model>,
    rated: &HashMap<i32, bool>,
    key: impl Fn(&case::Model) -> Option<String>,
) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    for c in cases {
        let Some(label) = key(c) else { continue };
        let row = rows.entry(label.clone()).or_insert_with(|| Row::named(&label));
        row.completed += 1;
        row.on_time += u64::from(on_time(c));
        row.rated += u64::from(rated.contains_key(&c.id));
    }
    rows
}

fn sorted(rows: BTreeMap<String, Row>) -> Vec<Row> {
    let mut rows: Vec<Row> = rows.into_values().collect();
    rows.sort_by(|a, b| (b.completed + b.other).cmp(&(a.completed + a.other)).then_with(|| a.label.cmp(&b.label)));
    rows
}

/// The dashboard of a period.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn dashboard(db: &impl ConnectionTrait, user: &CurrentUser, period: Period, now: DateTime<Utc>) -> Result<Dashboard, AppError> {
    let whose = Whose::of(user)?;
    let calendar = calendar(db).await?;
    let today = cst_today(now);
    let (figures, completed, rated, served) = figures_of(db, &calendar, whose, &period, now).await?;

    let categories: HashMap<String, String> = item::Entity::find()
        .select_only()
        .column(item::Column::Code)
        .column(item::Column::Category)
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let stations: HashMap<i32, String> = station::Entity::find().all(db).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let all_windows = window::Entity::find().all(db).await?;
    let windows: HashMap<i32, String> = all_windows.iter().map(|w| (w.id, w.name.clone())).collect();
    let clerk_of: HashMap<i32, Option<i32>> = all_windows.iter().map(|w| (w.id, w.clerk_id)).collect();
    let people: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Role.is_in([Role::Clerk, Role::Chief, Role::Handler]))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.unwrap_or(u.phone)))
        .collect();

    let by_item = sorted(breakdown(completed.iter(), &rated, |c| Some(c.item_name.clone())));
    let by_category = sorted(breakdown(completed.iter(), &rated, |c| categories.get(&c.item_code).cloned()));
    let mut by_station = breakdown(completed.iter(), &rated, |c| c.station_id.and_then(|s| stations.get(&s).cloned()));
    if whose == Whose::Center {
        let (from, to) = bounds(&period);
        let filed: Vec<Option<i32>> = case::Entity::find()
            .select_only()
            .column(case::Column::StationId)
            .filter(case::Column::StationId.is_not_null())
            .filter(case::Column::SubmittedAt.gte(from))
            .filter(case::Column::SubmittedAt.lt(to))
            .into_tuple()
            .all(db)
            .await?;
        for id in filed.into_iter().flatten() {
            if let Some(name) = stations.get(&id) {
                by_station.entry(name.clone()).or_insert_with(|| Row::named(name)).other += 1;
            }
        }
    }
    let mut by_window = breakdown(completed.iter(), &rated, |c| c.window_id.and_then(|w| windows.get(&w).cloned()));
    let mut by_staff = breakdown(completed.iter(), &rated, |c| c.owner_id.and_then(|o| people.get(&o).cloned()));
    for ticket in &served {
        let Some(window_id) = ticket.window_id else { continue };
        if let Some(name) = windows.get(&window_id) {
            by_window.entry(name.clone()).or_insert_with(|| Row::named(name)).other += 1;
        }
        if let Some(name) = clerk_of.get(&window_id).copied().flatten().and_then(|c| people.get(&c)) {
            by_staff.entry(name.clone()).or_insert_with(|| Row::named(name)).other += 1;
        }
    }

    let mut daily: BTreeMap<NaiveDate, DayPoint> = BTreeMap::new();
    let mut day = period.from;
    while day <= period.to.min(today) {
        daily.insert(day, DayPoint { day, completed: 0, visits: 0 });
        day += Duration::days(1);
    }
    for c in &completed {
        if let Some(point) = c.completed_at.and_then(|at| daily.get_mut(&cst_today(at))) {
            point.completed += 1;
        }
    }
    for t in &served {
        if let Some(point) = t.finished_at.and_then(|at| daily.get_mut(&cst_today(at))) {
            point.visits += 1;
        }
    }

    let due = match whose {
        Whose::Handler(_) => Vec::new(),
        _ => {
            let mut open =
                case::Entity::find().filter(case::Column::Status.is_in(CaseStatus::OPEN.iter().copied())).filter(case::Column::Deadline.is_not_null());
            if let Whose::Clerk(id) = whose {
                open = open.filter(case::Column::OwnerId.eq(id));
            }
            let mut rows: Vec<DueRow> = open
                .all(db)
                .await?
                .into_iter()
                .filter_map(|c| {
                    let deadline = c.deadline?;
                    let days_left = if deadline >= today {
                        i64::from(calendar.working_days_between(today, deadline))
                    } else {
                        -i64::from(calendar.working_days_between(deadline, today))
                    };
                    Some(DueRow { number: c.number, item_name: c.item_name, deadline, days_left })
                })
                .collect();
            rows.sort_by_key(|r| (r.days_left, r.deadline));
            rows.truncate(10);
            rows
        }
    };
    let scope = match whose {
        Whose::Center => Scope::Center,
        Whose::Clerk(id) | Whose::Handler(id) => Scope::Own(people.get(&id).cloned().unwrap_or_default()),
    };
    Ok(Dashboard {
        period,
        scope,
        figures,
        daily: daily.into_values().collect(),
        by_item,
        by_category,
        by_station: sorted(by_station),
        by_window: sorted(by_window),
        by_staff: sorted(by_staff),
        due,
    })
}

/// The records behind a figure, each with why it counts or not.
#[tracing::instrument(skip(db, user), fields(user = user.id))]
pub async fn records(db: &impl ConnectionTrait, user: &CurrentUser, figure: Figure, period: Period) -> Result<FigureRecords, AppError> {
    let whose = Whose::of(user)?;
    let calendar = calendar(db).await?;
    let rows = match figure {
        Figure::OnTime | Figure::Evaluation => {
            let (completed, rated) = completed_cases(db, whose, &period).await?;
            completed
                .iter()
                .map(|c| {
                    let (counts, why) = match figure {
                        Figure::OnTime => (on_time(c), why_case(&calendar, c)),
                        _ => match rated.get(&c.id) {
                            Some(paper) => (true, Why::Rated { on_paper: *paper }),
                            None => (false, Why::NotRated),
                        },
                    };
                    RecordRow { key: c.number.clone(), href: Some(format!("/staff/cases/{}", c.number)), label: c.item_name.clone(), counts, why }
                })
                .collect()
        }
        Figure::FeedbackOnTime => feedback_due(db, whose, &period)
            .await?
            .into_iter()
            .map(|f| {
                let why = match f.replied_at.map(cst_today) {
                    Some(replied) if replied <= f.reply_due => Why::RepliedOnTime { due: f.reply_due, replied },
                    Some(replied) => Why::RepliedLate { due: f.reply_due, replied },
                    None => Why::NotReplied { due: f.reply_due },
                };
                let counts = replied_on_time(&f);
                // What the author wrote, as they wrote it, as the label.
                let label: String = f.body.chars().take(24).collect();
                RecordRow { key: f.number.clone(), href: Some(format!("/staff/feedback/{}", f.number)), label, counts, why }
            })
            .collect(),
        Figure::NoShows if whose == Whose::Center => booking::Entity::find()
            .filter(booking::Column::Day.gte(period.from))
            .filter(booking::Column::Day.lte(period.to))
            .filter(booking::Column::Status.eq(BookingStatus::NoShow))
            .all(db)
            .await?
            .into_iter()
            .map(|b| RecordRow { key: b.code, href: None, label: b.item_name, counts: true, why: Why::NoShow { day: b.day } })
            .collect(),
        Figure::NoShows => Vec::new(),
    };
    Ok(FigureRecords { figure, period, rows })
}

/// This year's and this month's headline figures for the public page.
#[tracing::instrument(skip(db))]
pub async fn public_figures(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<PublicFigures, AppError> {
    let today = cst_today(now);
    let mut out = PublicFigures::default();
    for (preset, slot) in [(Preset::ThisYear, &mut out.year), (Preset::ThisMonth, &mut out.month)] {
        let (from, to) = preset.range(today);
        let period = Period { from, to, preset: Some(preset) };
        let (completed, _) = completed_cases(db, Whose::Center, &period).await?;
        let (start, end) = bounds(&period);
        *slot = Headline {
            completed: completed.len() as u64,
            completed_on_time: completed.iter().filter(|c| on_time(c)).count() as u64,
            ratings: rating_figures(db, start, end, None).await?,
        };
    }
    Ok(out)
}

//! The chief's 排班与日历 page: booking schedules, service windows and their clerks,
//! and the holiday calendar (edit a day, or import a file in the layout of the
//! shipped official calendar).

use super::{HolidayRow, ScheduleAdmin, ScheduleRow, WindowRow};
use crate::components::error_text;
use crate::components::{StaffLayout, refused};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The page's data. Chief only.
#[server(endpoint = "schedule_admin")]
pub async fn get_schedule_admin() -> Result<ScheduleAdmin, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            auth::require_role(&[Role::Chief]).await?;
            let state = auth::state()?;
            super::service::schedule_admin(&state.db, chrono::Utc::now()).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn number(text: &str, what: Msg) -> Result<i32, AppError> {
    text.trim().parse().map_err(|_| AppError::refused(crate::i18n::Common::NotAWholeNumber { what }))
}

/// Creates (empty `id`) or changes a schedule. Chief only.
#[server(endpoint = "schedule_save")]
pub async fn save_schedule(
    id: String,
    name: String,
    window: String,
    weekdays: String,
    periods: String,
    slot_minutes: String,
    capacity: String,
    item_codes: String,
) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[Role::Chief]).await?;
            let state = auth::state()?;
            let input = super::ScheduleInput {
                name,
                window_id: window.trim().parse().ok(),
                weekdays: weekdays.trim().to_owned(),
                periods,
                slot_minutes: number(&slot_minutes, Msg::SchedSlotLength)?,
                capacity: number(&capacity, Msg::SchedPeoplePerSlot)?,
                item_codes,
            };
            super::service::save_schedule(&state.db, id.trim().parse().ok(), &input, Some(user.id), chrono::Utc::now()).await?;
            leptos_axum::redirect("/staff/schedules?saved=schedule");
            Ok(())
        }
        .await,
    )
}

/// Creates (empty `id`) or changes a window and its clerk. Chief only.
#[server(endpoint = "window_save")]
pub async fn save_window(id: String, name: String, clerk: String, active: Option<String>) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[Role::Chief]).await?;
            let state = auth::state()?;
            // A new window is active; an existing one is as its checkbox says.
            let active = active.is_some() || id.trim().is_empty();
            super::service::save_window(&state.db, id.trim().parse().ok(), &name, clerk.trim().parse().ok(), active, user.id).await?;
            leptos_axum::redirect("/staff/schedules?saved=window");
            Ok(())
        }
        .await,
    )
}

/// Adds or changes one calendar day. Chief only.
#[server(endpoint = "holiday_save")]
pub async fn save_holiday(date: String, kind: crate::calendar::DayKind, name: String) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[Role::Chief]).await?;
            let state = auth::state()?;
            super::service::save_holiday(&state.db, &date, kind, &name, user.id).await?;
            leptos_axum::redirect("/staff/schedules?saved=holiday#calendar");
            Ok(())
        }
        .await,
    )
}

/// Removes one calendar day. Chief only.
#[server(endpoint = "holiday_remove")]
pub async fn remove_holiday(date: String) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let user = auth::require_role(&[Role::Chief]).await?;
            let state = auth::state()?;
            super::service::remove_holiday(&state.db, &date, user.id).await?;
            leptos_axum::redirect("/staff/schedules?saved=holiday#calendar");
            Ok(())
        }
        .await,
    )
}

/// `/staff/schedules`
#[component]
pub fn SchedulesPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let schedule = ServerAction::<SaveSchedule>::new();
    let window = ServerAction::<SaveWindow>::new();
    let holiday = ServerAction::<SaveHoliday>::new();
    let remove = ServerAction::<RemoveHoliday>::new();
    let data =
        Resource::new(move || (schedule.version().get(), window.version().get(), holiday.version().get(), remove.version().get()), |_| get_schedule_admin());
    let errors = [
        crate::components::use_form_error(schedule),
        crate::components::use_form_error(window),
        crate::components::use_form_error(holiday),
        crate::components::use_form_error(remove),
    ];
    let import_note = move || query.with(|q| (q.get("import_error").and_then(|v| crate::i18n::from_query(&v)), q.get("imported")));
    view! {
        <StaffLayout title=Msg::StaffSchedules>
            {errors.map(|error| move || error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> }))}
            {move || match import_note() {
                (Some(reasons), _) => Some(view! { <p class="form-error" role="alert">{crate::i18n::join_reasons(&reasons, tr.0)}</p> }.into_any()),
                (None, Some(n)) => Some(view! { <p class="form-ok" role="status">{tr.t(Msg::SchedImported).replace("{}", &n)}</p> }.into_any()),
                _ => None,
            }}
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(admin) => view! { <Admin admin schedule window holiday remove/> }.into_any(),
                        Err(err) => refused(err, "/staff/schedules"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
fn Admin(
    admin: ScheduleAdmin,
    schedule: ServerAction<SaveSchedule>,
    window: ServerAction<SaveWindow>,
    holiday: ServerAction<SaveHoliday>,
    remove: ServerAction<RemoveHoliday>,
) -> impl IntoView {
    let tr = crate::prefs::use_tr();
    let windows = admin.windows.clone();
    let clerks = admin.clerks.clone();
    let blank = ScheduleRow {
        id: 0,
        input: super::ScheduleInput {
            name: String::new(),
            window_id: None,
            weekdays: "12345".to_owned(),
            periods: "09:00-12:00,13:30-17:00".to_owned(),
            slot_minutes: 30,
            capacity: 4,
            item_codes: String::new(),
        },
        active: true,
    };
    view! {
        <section class="console-card">
            <h2 class="console-card-title">{tr.t(Msg::SchedTitle)}</h2>
            <p class="cell-hint">{tr.t(Msg::SchedHint)}</p>
            <div class="schedule-list">
                {admin.schedules.into_iter().map(|row| view! { <ScheduleForm row windows=windows.clone() action=schedule/> }).collect_view()}
                <details class="schedule-new">
                    <summary>{tr.t(Msg::SchedNew)}</summary>
                    <ScheduleForm row=blank windows=windows.clone() action=schedule/>
                </details>
            </div>
        </section>
        <section class="console-card">
            <h2 class="console-card-title">{tr.t(Msg::SchedWindows)}</h2>
            <table class="table">
                <thead><tr><th>{tr.t(Msg::SchedWindow)}</th><th>{tr.t(Msg::SchedClerk)}</th><th>{tr.t(Msg::SchedActive)}</th><th></th></tr></thead>
                <tbody>
                    {admin.windows.into_iter().map(|w| view! { <WindowForm w clerks=clerks.clone() action=window/> }).collect_view()}
                    <WindowForm w=WindowRow { id: 0, name: String::new(), clerk_id: None, active: true } clerks=clerks.clone() action=window/>
                </tbody>
            </table>
        </section>
        <section class="console-card" id="calendar">
            <h2 class="console-card-title">{tr.t(Msg::SchedHolidays)}</h2>
            <p class="cell-hint">{tr.t(Msg::SchedHolidaysHint)}</p>
            <ActionForm action=holiday attr:class="form inline-form" attr:id="holiday-form">
                <input type="date" name="date" required aria-label=tr.t(Msg::SchedDate)/>
                <select name="kind" aria-label=tr.t(Msg::SchedKind)>
                    <option value="holiday">{tr.t(Msg::SchedDayOff)}</option>
                    <option value="workday">{tr.t(Msg::SchedWorkday)}</option>
                </select>
                <input name="name" maxlength="20" placeholder=tr.t(Msg::SchedNamePlaceholder) aria-label=tr.t(Msg::SchedName)/>
                <button type="submit" class="btn btn-primary">{tr.t(Msg::SchedSave)}</button>
            </ActionForm>
            <form method="post" action="/staff/holidays/import" enctype="multipart/form-data" class="form inline-form" id="holiday-import">
                <input type="file" name="file" accept=".csv,text/csv" required aria-label=tr.t(Msg::SchedCalendarFile)/>
                <button type="submit" class="btn btn-default">{tr.t(Msg::SchedImport)}</button>
            </form>
            {(!admin.affected.is_empty()).then(|| view! { <AffectedBookings rows=admin.affected.clone()/> })}
            <table class="table" id="holiday-table">
                <thead><tr><th>{tr.t(Msg::SchedDate)}</th><th>{tr.t(Msg::SchedKind)}</th><th>{tr.t(Msg::SchedName)}</th><th></th></tr></thead>
                <tbody>
                    {admin.holidays.into_iter().map(|h| view! { <HolidayLine h remove/> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn ScheduleForm(row: ScheduleRow, windows: Vec<WindowRow>, action: ServerAction<SaveSchedule>) -> impl IntoView {
    let tr = crate::prefs::use_tr();
    let id = if row.id == 0 { String::new() } else { row.id.to_string() };
    let prefix = format!("schedule-{}", if row.id == 0 { "new".to_owned() } else { row.id.to_string() });
    let field = move |name: &'static str, label: &'static str, value: String| {
        let id = format!("{prefix}-{name}");
        view! {
            <div class="field">
                <label class="field-label" for=id.clone()>{label}</label>
                <input id=id name=name value=value autocomplete="off"/>
            </div>
        }
    };
    let input = row.input;
    view! {
        <ActionForm action attr:class="form schedule-form">
            <input type="hidden" name="id" value=id/>
            {field("name", tr.t(Msg::SchedName), input.name.clone())}
            <div class="field">
                <label class="field-label">{tr.t(Msg::SchedWindow)}</label>
                <select name="window">
                    <option value="">"—"</option>
                    {windows.into_iter().map(|w| view! { <option value=w.id.to_string() selected=input.window_id == Some(w.id)>{w.name}</option> }).collect_view()}
                </select>
            </div>
            {field("weekdays", tr.t(Msg::SchedWeekdays), input.weekdays.clone())}
            {field("periods", tr.t(Msg::SchedPeriods), input.periods.clone())}
            {field("slot_minutes", tr.t(Msg::SchedSlotMinutes), input.slot_minutes.to_string())}
            {field("capacity", tr.t(Msg::SchedCapacity), input.capacity.to_string())}
            <div class="field">
                <label class="field-label">{tr.t(Msg::SchedItemCodes)}</label>
                <textarea name="item_codes" rows="2">{input.item_codes.clone()}</textarea>
            </div>
            <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{tr.t(Msg::SchedSaveSchedule)}</button>
        </ActionForm>
    }
}

#[component]
fn WindowForm(w: WindowRow, clerks: Vec<crate::domain::Choice>, action: ServerAction<SaveWindow>) -> impl IntoView {
    let tr = crate::prefs::use_tr();
    let form_id = format!("window-form-{}", if w.id == 0 { "new".to_owned() } else { w.id.to_string() });
    let is_new = w.id == 0;
    view! {
        <tr>
            <td>
                <ActionForm action attr:id=form_id.clone()>
                    <input type="hidden" name="id" value=if is_new { String::new() } else { w.id.to_string() }/>
                </ActionForm>
                <input name="name" form=form_id.clone() value=w.name.clone() placeholder=tr.t(Msg::SchedNewWindow) aria-label=tr.t(Msg::SchedWindowName) required/>
            </td>
            <td>
                <select name="clerk" form=form_id.clone() aria-label=tr.t(Msg::SchedClerk)>
                    <option value="">"—"</option>
                    {clerks.into_iter().map(|c| view! { <option value=c.id.to_string() selected=w.clerk_id == Some(c.id)>{c.name}</option> }).collect_view()}
                </select>
            </td>
            <td>{(!is_new).then(|| view! { <input type="checkbox" name="active" value="on" form=form_id.clone() checked=w.active aria-label=tr.t(Msg::SchedActive)/> })}</td>
            <td><button type="submit" form=form_id class="btn btn-default btn-small">{tr.t(if is_new { Msg::SchedAdd } else { Msg::SchedSave })}</button></td>
        </tr>
    }
}

/// Bookings for days made holidays after they were taken: whom to call.
#[component]
fn AffectedBookings(rows: Vec<super::AffectedBooking>) -> impl IntoView {
    let tr = crate::prefs::use_tr();
    let notify = ServerAction::<super::NotifyAffected>::new();
    let waiting = rows.iter().filter(|b| !b.notified && !b.no_show).count();
    view! {
        <div class="affected" id="affected-bookings">
            <h3>{tr.t(Msg::SchedAffected)}" ("{rows.len()}")"</h3>
            <p class="cell-hint">{tr.t(Msg::SchedAffectedHint)}</p>
            {(waiting > 0).then(|| view! {
                <ActionForm action=notify attr:class="form">
                    <button type="submit" class="btn btn-primary btn-small" id="notify-affected">{tr.t(Msg::AffectedNotify)}" ("{waiting}")"</button>
                </ActionForm>
            })}
            <table class="table">
                <thead><tr><th>{tr.t(Msg::SchedResident)}</th><th>{tr.t(Msg::SchedPhone)}</th><th>{tr.t(Msg::SchedItem)}</th><th>{tr.t(Msg::SchedSlot)}</th><th>{tr.t(Msg::CheckInCode)}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|b| view! {
                        <tr>
                            <td>{b.resident}</td>
                            <td><a href=format!("tel:{}", b.phone)>{b.phone.clone()}</a></td>
                            <td>{b.item_name}</td>
                            <td>{b.starts_at}</td>
                            <td>{b.code}{b.no_show.then(|| view! { " " <span class="tag tag-warn">{tr.t(Msg::SchedWasNoShow)}</span> })}{b.notified.then(|| view! { " " <span class="tag">{tr.t(Msg::SchedNotified)}</span> })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn HolidayLine(h: HolidayRow, remove: ServerAction<RemoveHoliday>) -> impl IntoView {
    let tr = crate::prefs::use_tr();
    let kind = tr.t(if h.kind == "workday" { Msg::SchedWorkday } else { Msg::SchedDayOff });
    view! {
        <tr>
            <td>{h.date.clone()}</td>
            <td><span class="tag" class:tag-warn=h.kind == "workday">{kind}</span></td>
            <td>{h.name.clone()}</td>
            <td>
                <ActionForm action=remove>
                    <input type="hidden" name="date" value=h.date.clone()/>
                    <button type="submit" class="btn btn-default btn-small">{tr.t(Msg::SchedDelete)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

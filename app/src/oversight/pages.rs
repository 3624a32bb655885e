//! `/staff/dashboard` (数据看板) and `/staff/dashboard/records` (the records behind a
//! figure). Server components: the charts are SVG drawn on the server, the period is
//! chosen with links and a GET form, so nothing here needs WASM.

use super::charts::{Bar, BarChart, Series, TrendChart};
use super::{Dashboard, DueRow, Figure, FigureRecords, Figures, Period, Preset, Row, Scope, get_dashboard, get_figure_records, pct};
use crate::components::{StaffLayout, refused};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use crate::ratings::Level;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// The period the page's query names: `?preset=` or `?from=&to=`.
fn query_period() -> impl Fn() -> (Option<Preset>, Option<String>, Option<String>) + Copy {
    let query = use_query_map();
    move || query.with(|q| (q.get("preset").and_then(|p| Preset::parse(&p)), q.get("from"), q.get("to")))
}

/// `/staff/dashboard`: the figures of a period, with charts.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let period = query_period();
    let dashboard = Resource::new(period, |(preset, from, to)| get_dashboard(preset, from, to));
    view! {
        <StaffLayout title=Msg::StaffDashboard>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(d) => view! { <DashboardView d/> }.into_any(),
                        Err(err) => refused(err, "/staff"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

/// Preset chips and a from–to form.
#[component]
fn PeriodPicker(period: Period, action: &'static str) -> impl IntoView {
    let tr = use_tr();
    view! {
        <nav class="filter-chips" id="period">
            {Preset::ALL.into_iter().map(|p| view! {
                <a class="day-chip" class:selected=period.preset == Some(p) href=format!("{action}?preset={}", p.as_str()) id=format!("preset-{}", p.as_str())>{tr.t(p.label())}</a>
            }).collect_view()}
        </nav>
        <form class="filter-form" method="get" action=action id="period-form">
            <label class="field-label" for="period-from">{tr.t(Msg::DashFrom)}</label>
            <input id="period-from" type="date" name="from" value=period.from.to_string()/>
            <label class="field-label" for="period-to">{tr.t(Msg::DashTo)}</label>
            <input id="period-to" type="date" name="to" value=period.to.to_string()/>
            <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::Filter)}</button>
        </form>
    }
}

/// One figure: its value, what it is made of, and (when it has one) the link to its records.
#[component]
fn FigureCard(
    id: &'static str,
    label: Msg,
    value: String,
    #[prop(optional)] detail: Option<String>,
    #[prop(optional)] records: Option<String>,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="figure-card" id=id>
            <p class="figure-label">{tr.t(label)}</p>
            <p class="figure-value">{value}</p>
            {detail.map(|d| view! { <p class="cell-hint">{d}</p> })}
            {records.map(|href| view! { <a class="btn-link" href=href id=format!("{id}-records")>{tr.t(Msg::DashRecords)}</a> })}
        </div>
    }
}

fn figure_cards(f: &Figures, period: &Period, center: bool) -> impl IntoView + use<> {
    let tr = use_tr();
    let link = |figure: Figure| format!("/staff/dashboard/records?figure={}&{}", figure.as_str(), period.query());
    let of = |part: u64, whole: u64| format!("{part} / {whole}");
    let r = f.ratings;
    view! {
        <section class="figure-grid">
            <FigureCard id="fig-on-time" label=Msg::FigOnTime value=pct(f.on_time_rate()) detail=of(f.completed_on_time, f.completed) records=link(Figure::OnTime)/>
            <FigureCard id="fig-evaluation" label=Msg::FigEvaluation value=pct(r.evaluation_rate()) detail=of(r.completed_rated, r.completed) records=link(Figure::Evaluation)/>
            <FigureCard id="fig-satisfaction" label=Msg::FigSatisfaction value=pct(r.satisfaction()) detail=of(r.satisfied, r.ratings)/>
            <FigureCard id="fig-visits" label=Msg::FigVisitsPerDay value=f.visits_per_day().map_or_else(|| "—".to_owned(), |v| format!("{v:.1}")) detail=format!("{} · {} {}", f.visits, f.working_days, tr.t(Msg::DashWorkingDays))/>
            <FigureCard id="fig-accepted" label=Msg::FigCasesAccepted value=f.cases_accepted.to_string()/>
            <FigureCard id="fig-wait" label=Msg::FigWait value=f.average_wait_minutes().map_or_else(|| "—".to_owned(), |m| format!("{m} {}", tr.t(Msg::DashMinutes))) detail=format!("{} {}", f.calls, tr.t(Msg::DashCalls))/>
            {center.then(|| view! {
                <FigureCard id="fig-bookings" label=Msg::FigBookings value=f.bookings.to_string() detail=format!("{} {} · {} {}", tr.t(Msg::FigCheckIns), f.check_ins, tr.t(Msg::FigNoShows), f.no_shows) records=link(Figure::NoShows)/>
                <FigureCard id="fig-assisted" label=Msg::FigAssisted value=f.assisted.to_string()/>
            })}
            <FigureCard id="fig-feedback" label=Msg::FigFeedbackOnTime value=pct(f.feedback_on_time_rate()) detail=format!("{} · {} {} · {} {}", of(f.feedback_on_time, f.feedback_due), tr.t(Msg::FigFeedbackReceived), f.feedback_received, tr.t(Msg::FigFeedbackOverdue), f.feedback_overdue) records=link(Figure::FeedbackOnTime)/>
            <FigureCard id="fig-rectifications" label=Msg::FigRectifications value=pct(f.rectification_rate()) detail=of(f.rectifications_on_time, f.rectifications_due)/>
            <FigureCard id="fig-second-notices" label=Msg::FigSecondNotices value=f.second_notices.to_string()/>
        </section>
    }
}

fn rate_note(row: &Row) -> String {
    pct(crate::ratings::percent(row.on_time, row.completed))
}

/// A breakdown as a table (the chart beside it shows the same in bars).
#[component]
fn BreakdownTable(id: &'static str, title: Msg, rows: Vec<Row>, other: Msg) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="console-card" id=id>
            <h2 class="console-card-title">{tr.t(title)}</h2>
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{tr.t(Msg::DashName)}</th><th scope="col">{tr.t(Msg::DashCompleted)}</th>
                    <th scope="col">{tr.t(Msg::FigOnTime)}</th><th scope="col">{tr.t(Msg::DashRated)}</th><th scope="col">{tr.t(other)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr><th scope="row">{r.label.clone()}</th><td>{r.completed}</td><td>{rate_note(&r)}</td><td>{r.rated}</td><td>{r.other}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The open cases nearest their deadline, overdue first.
#[component]
fn DueList(rows: Vec<DueRow>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="console-card" id="due-list">
            <h2 class="console-card-title">{tr.t(Msg::DashDue)}</h2>
            {rows.is_empty().then(|| view! { <p class="cell-hint">{tr.t(Msg::DashNothing)}</p> })}
            <ol class="heat-list">
                {rows.into_iter().map(|r| {
                    let heat = match r.days_left { d if d < 0 => "heat-over", 0..=1 => "heat-hot", 2..=3 => "heat-warm", _ => "heat-cool" };
                    let left = if r.days_left < 0 { format!("{} {}", tr.t(Msg::WhyLate), -r.days_left) } else { format!("{} {}", tr.t(Msg::DashDaysLeft), r.days_left) };
                    view! {
                        <li class=format!("heat {heat}")>
                            <a href=format!("/staff/cases/{}", r.number)>{r.number.clone()}</a>" "{r.item_name.clone()}
                            <small class="cell-hint">" "{tr.t(Msg::WhyDeadline)}" "{r.deadline.to_string()}" · "{left}" "{tr.t(Msg::DashWorkingDays)}</small>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn bars(rows: &[Row], value: impl Fn(&Row) -> u64) -> Vec<Bar> {
    rows.iter().filter(|r| value(r) > 0).take(8).map(|r| Bar { label: r.label.clone(), value: value(r), note: rate_note(r) }).collect()
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let tr = use_tr();
    let center = d.scope == Scope::Center;
    let days: Vec<_> = d.daily.iter().map(|p| p.day).collect();
    let trend = vec![
        Series { name: Msg::DashCompleted, class: "series-a", values: d.daily.iter().map(|p| p.completed).collect() },
        Series { name: Msg::DashVisits, class: "series-b", values: d.daily.iter().map(|p| p.visits).collect() },
    ];
    let levels: Vec<Bar> =
        Level::ALL.iter().enumerate().map(|(i, l)| Bar { label: tr.t(l.msg()).to_owned(), value: d.figures.ratings.levels[i], note: String::new() }).collect();
    let scope_line = match &d.scope {
        Scope::Center => tr.t(Msg::DashCenter).to_owned(),
        Scope::Own(name) => format!("{} · {name}", tr.t(Msg::DashOwn)),
    };
    view! {
        <p class="page-sub" id="dash-scope">{scope_line}" · "{d.period.from.to_string()}" ~ "{d.period.to.to_string()}</p>
        <PeriodPicker period=d.period.clone() action="/staff/dashboard"/>
        <p class="export-links">
            <a class="btn btn-small btn-default" href=format!("/staff/dashboard/export.xlsx?{}", d.period.query()) id="export-xlsx" download>{tr.t(Msg::DashExportXlsx)}</a>
            " "<a class="btn btn-small btn-default" href=format!("/staff/dashboard/export.csv?{}", d.period.query()) id="export-csv" download>{tr.t(Msg::DashExportCsv)}</a>
        </p>
        {figure_cards(&d.figures, &d.period, center)}
        <section class="chart-grid">
            <TrendChart id="chart-trend" title=Msg::DashTrend days series=trend/>
            <BarChart id="chart-items" title=Msg::DashByItem value_name=Msg::DashCompleted bars=bars(&d.by_item, |r| r.completed) note_name=Msg::FigOnTime/>
            {center.then(|| view! { <BarChart id="chart-stations" title=Msg::DashByStation value_name=Msg::FigAssisted bars=bars(&d.by_station, |r| r.other)/> })}
            <BarChart id="chart-levels" title=Msg::DashLevels value_name=Msg::DashRatings bars=levels/>
        </section>
        <DueList rows=d.due.clone()/>
        {center.then(|| view! {
            <BreakdownTable id="by-staff" title=Msg::DashByStaff rows=d.by_staff.clone() other=Msg::DashVisits/>
            <BreakdownTable id="by-window" title=Msg::DashByWindow rows=d.by_window.clone() other=Msg::DashVisits/>
            <BreakdownTable id="by-category" title=Msg::DashByCategory rows=d.by_category.clone() other=Msg::DashVisits/>
            <BreakdownTable id="by-station" title=Msg::DashByStation rows=d.by_station.clone() other=Msg::FigAssisted/>
        })}
        <BreakdownTable id="by-item" title=Msg::DashByItem rows=d.by_item.clone() other=Msg::DashVisits/>
    }
}

/// `/staff/dashboard/records?figure=…`: the records behind one figure.
#[component]
pub fn FigureRecordsPage() -> impl IntoView {
    let period = query_period();
    let query = use_query_map();
    let figure = move || query.with(|q| q.get("figure").and_then(|f| Figure::parse(&f)));
    let records = Resource::new(
        move || (figure(), period()),
        |(figure, (preset, from, to))| async move {
            match figure {
                Some(figure) => get_figure_records(figure, preset, from, to).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <StaffLayout title=Msg::DashRecords>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match records.await {
                        Ok(r) => view! { <RecordsView r/> }.into_any(),
                        Err(err) => refused(err, "/staff/dashboard"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
fn RecordsView(r: FigureRecords) -> impl IntoView {
    let tr = use_tr();
    let counted = r.rows.iter().filter(|row| row.counts).count();
    let total = r.rows.len();
    let back = format!("/staff/dashboard?{}", r.period.query());
    let export = format!("figure={}&{}", r.figure.as_str(), r.period.query());
    view! {
        <p class="page-sub"><a href=back>{tr.t(Msg::StaffDashboard)}</a>" · "{r.period.from.to_string()}" ~ "{r.period.to.to_string()}</p>
        <p class="export-links">
            <a class="btn btn-small btn-default" href=format!("/staff/dashboard/records/export.xlsx?{export}") id="records-xlsx" download>{tr.t(Msg::DashExportXlsx)}</a>
            " "<a class="btn btn-small btn-default" href=format!("/staff/dashboard/records/export.csv?{export}") id="records-csv" download>{tr.t(Msg::DashExportCsv)}</a>
        </p>
        <section class="console-card" id="records">
            <h2 class="console-card-title">{tr.t(r.figure.label())}" · "<span id="records-count">{format!("{counted} / {total}")}</span></h2>
            {r.rows.is_empty().then(|| view! { <p class="cell-hint">{tr.t(Msg::DashNothing)}</p> })}
            <table class="data-table">
                <thead><tr><th scope="col">{tr.t(Msg::DashName)}</th><th scope="col">{tr.t(Msg::DashCounts)}</th><th scope="col">{tr.t(Msg::DashWhy)}</th></tr></thead>
                <tbody>
                    {r.rows.into_iter().map(|row| view! {
                        <tr class:record-counts=row.counts class="record-row">
                            <th scope="row">
                                {match row.href.clone() { Some(h) => view! { <a href=h>{row.key.clone()}</a> }.into_any(), None => view! { <span>{row.key.clone()}</span> }.into_any() }}
                                <small class="cell-hint">" "{row.label.clone()}</small>
                            </th>
                            <td>{tr.t(if row.counts { Msg::DashYes } else { Msg::DashNo })}</td>
                            <td>{row.why.text(tr.0)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The headline figures on the public page: this year and this month.
#[component]
pub fn PublicFiguresView(f: super::PublicFigures) -> impl IntoView {
    let tr = use_tr();
    let column = |label: Msg, h: &super::Headline, id: &'static str| {
        view! {
            <div class="public-figures-col" id=id>
                <h3 class="figure-label">{tr.t(label)}</h3>
                <dl class="facts">
                    <div><dt>{tr.t(Msg::FigOnTime)}</dt><dd class="fact-big">{pct(h.on_time_rate())}</dd></div>
                    <div><dt>{tr.t(Msg::FigEvaluation)}</dt><dd class="fact-big">{pct(h.ratings.evaluation_rate())}</dd></div>
                    <div><dt>{tr.t(Msg::FigSatisfaction)}</dt><dd class="fact-big">{pct(h.ratings.satisfaction())}</dd></div>
                    <div><dt>{tr.t(Msg::PublicCompleted)}</dt><dd class="fact-big">{h.completed}</dd></div>
                </dl>
            </div>
        }
    };
    view! {
        <section class="cells" id="public-figures">
            <h2 class="cells-title">{tr.t(Msg::PublicFiguresTitle)}</h2>
            <div class="cells-body public-figures">
                {column(Msg::PublicThisYear, &f.year, "public-year")}
                {column(Msg::PublicThisMonth, &f.month, "public-month")}
            </div>
        </section>
    }
}

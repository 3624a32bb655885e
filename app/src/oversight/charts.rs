//! Charts drawn as SVG on the server: they show before any script runs, scale to the
//! screen (a `viewBox`, no fixed size) and print. Each is a `<figure>` whose picture
//! is hidden from screen readers, which read the table beside it instead.

use crate::i18n::Msg;
use crate::prefs::use_tr;
use chrono::NaiveDate;
use leptos::prelude::*;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
const PAD_LEFT: f64 = 28.0;
const PAD_BOTTOM: f64 = 18.0;
const PAD_TOP: f64 = 8.0;

/// One line of a trend chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub name: Msg,
    /// `series-a` or `series-b` (the two colours the stylesheet knows).
    pub class: &'static str,
    pub values: Vec<u64>,
}

/// The points of a polyline for `values` scaled to `max`.
pub fn polyline(values: &[u64], max: u64) -> String {
    let span = (values.len().max(2) - 1) as f64;
    let inner_w = WIDTH - PAD_LEFT - 4.0;
    let inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = PAD_LEFT + inner_w * i as f64 / span;
            let y = PAD_TOP + inner_h * (1.0 - *v as f64 / max.max(1) as f64);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Daily trend lines (办结, 现场办件 …) over the period's days.
#[component]
pub fn TrendChart(id: &'static str, title: Msg, days: Vec<NaiveDate>, series: Vec<Series>) -> impl IntoView {
    let tr = use_tr();
    let max = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0).max(1);
    let first = days.first().map(|d| d.format("%m-%d").to_string()).unwrap_or_default();
    let last = days.last().map(|d| d.format("%m-%d").to_string()).unwrap_or_default();
    let baseline = HEIGHT - PAD_BOTTOM;
    let rows = days.clone();
    let table_series = series.clone();
    view! {
        <figure class="chart" id=id>
            <figcaption class="chart-title">{tr.t(title)}
                {series.iter().map(|s| view! { " "<span class=format!("legend {}", s.class)>{tr.t(s.name)}</span> }).collect_view()}
            </figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="chart-svg" aria-hidden="true" focusable="false">
                <line x1=PAD_LEFT y1=baseline x2=WIDTH - 4.0 y2=baseline class="axis"/>
                <line x1=PAD_LEFT y1=PAD_TOP x2=PAD_LEFT y2=baseline class="axis"/>
                <text x=PAD_LEFT - 4.0 y=PAD_TOP + 8.0 class="tick" text-anchor="end">{max}</text>
                <text x=PAD_LEFT - 4.0 y=baseline class="tick" text-anchor="end">"0"</text>
                <text x=PAD_LEFT y=HEIGHT - 4.0 class="tick">{first}</text>
                <text x=WIDTH - 4.0 y=HEIGHT - 4.0 class="tick" text-anchor="end">{last}</text>
                {series.iter().map(|s| view! { <polyline points=polyline(&s.values, max) class=format!("line {}", s.class)/> }).collect_view()}
            </svg>
            <table class="visually-hidden">
                <caption>{tr.t(title)}</caption>
                <thead><tr><th scope="col">{tr.t(Msg::DashDay)}</th>{table_series.iter().map(|s| view! { <th scope="col">{tr.t(s.name)}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.iter().enumerate().map(|(i, d)| view! {
                        <tr><th scope="row">{d.to_string()}</th>{table_series.iter().map(|s| view! { <td>{s.values.get(i).copied().unwrap_or(0)}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

/// One bar: its label, value, and what the table adds (a rate, a share).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub note: String,
}

/// Horizontal bars (by item, by station, the rating levels), largest first as given.
#[component]
pub fn BarChart(id: &'static str, title: Msg, value_name: Msg, bars: Vec<Bar>, #[prop(optional)] note_name: Option<Msg>) -> impl IntoView {
    let tr = use_tr();
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let row_h = 22.0;
    let label_w = 110.0;
    let height = (bars.len().max(1) as f64) * row_h + 4.0;
    let table = bars.clone();
    view! {
        <figure class="chart" id=id>
            <figcaption class="chart-title">{tr.t(title)}</figcaption>
            {bars.is_empty().then(|| view! { <p class="cell-hint">{tr.t(Msg::DashNothing)}</p> })}
            <svg viewBox=format!("0 0 {WIDTH} {height}") class="chart-svg" aria-hidden="true" focusable="false">
                {bars.iter().enumerate().map(|(i, b)| {
                    let y = i as f64 * row_h + 2.0;
                    let w = (WIDTH - label_w - 40.0) * b.value as f64 / max as f64;
                    let label: String = b.label.chars().take(8).collect();
                    view! {
                        <text x=label_w - 6.0 y=y + 14.0 class="tick" text-anchor="end">{label}</text>
                        <rect x=label_w y=y + 3.0 width=format!("{w:.1}") height=row_h - 8.0 class="bar"/>
                        <text x=label_w + w + 4.0 y=y + 14.0 class="tick">{b.value}</text>
                    }
                }).collect_view()}
            </svg>
            <table class="visually-hidden">
                <caption>{tr.t(title)}</caption>
                <thead><tr><th scope="col">{tr.t(Msg::DashName)}</th><th scope="col">{tr.t(value_name)}</th>{note_name.map(|n| view! { <th scope="col">{tr.t(n)}</th> })}</tr></thead>
                <tbody>
                    {table.into_iter().map(|b| view! { <tr><th scope="row">{b.label}</th><td>{b.value}</td>{note_name.map(|_| view! { <td>{b.note.clone()}</td> })}</tr> }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_spans_the_plot_from_left_to_right() {
        let points = polyline(&[0, 5, 10], 10);
        let xy: Vec<(f64, f64)> = points
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').expect("pair");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect();
        assert_eq!(xy.len(), 3);
        assert_eq!(xy[0], (PAD_LEFT, HEIGHT - PAD_BOTTOM), "zero sits on the baseline");
        assert_eq!(xy[2], (WIDTH - 4.0, PAD_TOP), "the largest value touches the top");
        assert!(polyline(&[3], 0).starts_with(&format!("{PAD_LEFT:.1},")), "one point and no maximum draw without dividing by zero");
    }
}

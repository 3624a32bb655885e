//! The dashboard and a figure's records as files: `.xlsx` (every cell written as text,
//! so nothing is read as a formula) and `.csv` (UTF-8 with a byte-order mark, so Excel
//! and WPS read the Chinese; a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'`, so it is not run as a formula). Headers are in
//! Chinese, as the center files them.

use super::{Dashboard, FigureRecords, Row, pct};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};

/// One sheet: its name, its header row and its rows.
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn zh(msg: Msg) -> String {
    msg.text(Lang::Zh).to_owned()
}

/// The records behind a figure: number, name, counts or not, why.
pub fn records_sheet(r: &FigureRecords) -> Sheet {
    Sheet {
        name: zh(r.figure.label()),
        headers: vec!["编号".to_owned(), zh(Msg::DashName), zh(Msg::DashCounts), zh(Msg::DashWhy)],
        rows: r
            .rows
            .iter()
            .map(|row| vec![row.key.clone(), row.label.clone(), zh(if row.counts { Msg::DashYes } else { Msg::DashNo }), row.why.text(Lang::Zh)])
            .collect(),
    }
}

/// The dashboard: the figures, then one sheet per breakdown.
pub fn dashboard_sheets(d: &Dashboard) -> Vec<Sheet> {
    let f = &d.figures;
    let r = f.ratings;
    let of = |part: u64, whole: u64| format!("{part} / {whole}");
    let figures = vec![
        (Msg::FigOnTime, pct(f.on_time_rate()), of(f.completed_on_time, f.completed)),
        (Msg::FigEvaluation, pct(r.evaluation_rate()), of(r.completed_rated, r.completed)),
        (Msg::FigSatisfaction, pct(r.satisfaction()), of(r.satisfied, r.ratings)),
        (Msg::FigVisitsPerDay, f.visits_per_day().map_or_else(|| "—".to_owned(), |v| format!("{v:.1}")), of(f.visits, f.working_days)),
        (Msg::FigCasesAccepted, f.cases_accepted.to_string(), String::new()),
        (Msg::FigBookings, f.bookings.to_string(), format!("{} {} · {} {}", zh(Msg::FigCheckIns), f.check_ins, zh(Msg::FigNoShows), f.no_shows)),
        (
            Msg::FigWait,
            f.average_wait_minutes().map_or_else(|| "—".to_owned(), |m| format!("{m} {}", zh(Msg::DashMinutes))),
            format!("{} {}", f.calls, zh(Msg::DashCalls)),
        ),
        (Msg::FigFeedbackOnTime, pct(f.feedback_on_time_rate()), of(f.feedback_on_time, f.feedback_due)),
        (Msg::FigRectifications, pct(f.rectification_rate()), of(f.rectifications_on_time, f.rectifications_due)),
        (Msg::FigSecondNotices, f.second_notices.to_string(), String::new()),
        (Msg::FigAssisted, f.assisted.to_string(), String::new()),
    ];
    let mut sheets = vec![Sheet {
        name: zh(Msg::StaffDashboard),
        headers: vec!["指标".to_owned(), "数值".to_owned(), "构成".to_owned(), "统计区间".to_owned()],
        rows: figures.into_iter().map(|(m, value, detail)| vec![zh(m), value, detail, format!("{} ~ {}", d.period.from, d.period.to)]).collect(),
    }];
    let breakdown = |title: Msg, rows: &[Row], other: Msg| Sheet {
        name: zh(title),
        headers: vec![zh(Msg::DashName), zh(Msg::DashCompleted), zh(Msg::FigOnTime), zh(Msg::DashRated), zh(other)],
        rows: rows
            .iter()
            .map(|r| {
                vec![r.label.clone(), r.completed.to_string(), pct(crate::ratings::percent(r.on_time, r.completed)), r.rated.to_string(), r.other.to_string()]
            })
            .collect(),
    };
    sheets.push(breakdown(Msg::DashByItem, &d.by_item, Msg::DashVisits));
    sheets.push(breakdown(Msg::DashByCategory, &d.by_category, Msg::DashVisits));
    sheets.push(breakdown(Msg::DashByStation, &d.by_station, Msg::FigAssisted));
    sheets.push(breakdown(Msg::DashByWindow, &d.by_window, Msg::DashVisits));
    sheets.push(breakdown(Msg::DashByStaff, &d.by_staff, Msg::DashVisits));
    sheets
}

/// A cell as a spreadsheet must not run it: one that starts like a formula is quoted.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// Sheets one after another in one CSV (a blank line and the sheet's name between them).
pub fn csv(sheets: &[Sheet]) -> Result<Vec<u8>, AppError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        let fail = |e: csv::Error| AppError::from(anyhow::anyhow!("csv: {e}"));
        for (i, sheet) in sheets.iter().enumerate() {
            if i > 0 {
                writer.write_record([""]).map_err(fail)?;
                writer.write_record([safe_cell(&sheet.name)]).map_err(fail)?;
            }
            writer.write_record(sheet.headers.iter().map(|h| safe_cell(h))).map_err(fail)?;
            for row in &sheet.rows {
                writer.write_record(row.iter().map(|c| safe_cell(c))).map_err(fail)?;
            }
        }
        writer.flush().map_err(|e| AppError::from(anyhow::anyhow!("csv: {e}")))?;
    }
    Ok(out)
}

/// The sheets as one workbook; every cell is a string cell.
pub fn xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::from(anyhow::anyhow!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let page = workbook.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\ .
        let name: String = sheet.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        page.set_name(&name).map_err(fail)?;
        for (col, header) in sheet.headers.iter().enumerate() {
            page.write_string_with_format(0, col as u16, header, &bold).map_err(fail)?;
        }
        for (i, row) in sheet.rows.iter().enumerate() {
            for (col, cell) in row.iter().enumerate() {
                page.write_string((i + 1) as u32, col as u16, cell).map_err(fail)?;
            }
        }
        page.set_column_width(0, 24).map_err(fail)?;
    }
    workbook.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_looks_like_a_formula_is_written_as_text() {
        for bad in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"] {
            assert!(safe_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(safe_cell("老年人优待证办理"), "老年人优待证办理");
        assert_eq!(safe_cell("96.1%"), "96.1%");
    }

    #[test]
    fn the_csv_starts_with_a_byte_order_mark_and_quotes_formulas() {
        let sheets =
            [Sheet { name: "明细".into(), headers: vec!["编号".into(), "名称".into()], rows: vec![vec!["=1+1".into(), "办结, 按时".into()]] }];
        let text = String::from_utf8(csv(&sheets).expect("csv")).expect("utf-8");
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(text.trim_start_matches('\u{feff}'), "编号,名称\n'=1+1,\"办结, 按时\"\n");
    }
}

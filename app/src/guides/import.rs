//! Import and export of the catalogue (chief only): a file is read into a preview
//! that says what would be added or changed and which rows are bad; nothing is
//! written to the catalogue until the chief confirms, and then all rows or none.

use super::service::{COLUMNS, ParsedCatalogue, RowError, parse_csv, parse_rows, save_guide_in};
use super::{GuideContent, ImportPreview, ImportRow, StaffItem};
use crate::error::AppError;
use crate::i18n::{GuideReason, Msg, Reason};
use crate::ssr::audit::{self, Entry};
use crate::ssr::db::begin_write;
use crate::ssr::entities::{catalogue_import, item, item_version};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
use serde_json::json;
use std::io::Cursor;

/// Reads an uploaded file: XLSX (by its content, a ZIP) or CSV.
pub fn parse_file(bytes: &[u8]) -> Result<ParsedCatalogue, Reason> {
    if bytes.starts_with(b"PK\x03\x04") { parse_xlsx(bytes) } else { parse_csv(bytes) }
}

fn parse_xlsx(bytes: &[u8]) -> Result<ParsedCatalogue, Reason> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| GuideReason::ExcelUnreadable { detail: e.to_string() })?;
    let range = workbook.worksheet_range_at(0).ok_or(GuideReason::NoWorksheet)?.map_err(|e| GuideReason::SheetUnreadable { detail: e.to_string() })?;
    let rows = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    parse_rows(rows)
}

/// Parses `bytes` and keeps the result for confirmation; writes nothing else.
#[tracing::instrument(skip(db, bytes))]
pub async fn preview(db: &DatabaseConnection, file_name: &str, bytes: &[u8], chief_id: i32) -> Result<i32, AppError> {
    let parsed = parse_file(bytes).map_err(AppError::refused)?;
    if parsed.guides.is_empty() && parsed.errors.is_empty() {
        return Err(AppError::refused(GuideReason::NoItems));
    }
    let errors: Vec<(usize, Vec<Reason>)> = parsed.errors.into_iter().map(|RowError { row, reasons }| (row, reasons)).collect();
    let row = catalogue_import::ActiveModel {
        created_by: Set(chief_id),
        file_name: Set(file_name.chars().take(120).collect()),
        payload: Set(serde_json::to_string(&parsed.guides).map_err(anyhow::Error::from)?),
        errors: Set(serde_json::to_string(&errors).map_err(anyhow::Error::from)?),
        created_at: Set(Utc::now()),
        applied_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

type Payload = Vec<(usize, String, GuideContent)>;

async fn load(db: &impl ConnectionTrait, id: i32) -> Result<(catalogue_import::Model, Payload, Vec<(usize, Vec<Reason>)>), AppError> {
    let found = catalogue_import::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let payload: Payload = serde_json::from_str(&found.payload).map_err(anyhow::Error::from)?;
    // A preview stored before refusals were typed cannot be read back: the chief uploads
    // the file again, as after any expired preview.
    let errors = serde_json::from_str(&found.errors).map_err(|_| AppError::NotFound)?;
    Ok((found, payload, errors))
}

async fn current_contents(db: &impl ConnectionTrait) -> Result<Vec<(String, GuideContent)>, AppError> {
    let items = item::Entity::find().all(db).await?;
    let versions = item_version::Entity::find().all(db).await?;
    let mut out = Vec::with_capacity(items.len());
    for found in items {
        if let Some(v) = versions.iter().find(|v| v.item_id == found.id && v.version == found.current_version) {
            out.push((found.code, serde_json::from_str(&v.content).map_err(anyhow::Error::from)?));
        }
    }
    Ok(out)
}

/// What applying the import would do, compared with the catalogue as it is now.
pub async fn describe(db: &DatabaseConnection, id: i32) -> Result<ImportPreview, AppError> {
    let (found, payload, errors) = load(db, id).await?;
    let current = current_contents(db).await?;
    let mut rows = Vec::new();
    let mut unchanged = 0;
    for (row, code, mut content) in payload {
        let old = current.iter().find(|(c, _)| *c == code);
        if let Some((_, old)) = old {
            content.keep_samples_from(old);
        }
        match old {
            None => rows.push(ImportRow { row, code, name: content.name, added: true, changed: Vec::new() }),
            Some((_, old)) if *old == content => unchanged += 1,
            Some((_, old)) => rows.push(ImportRow { row, code, name: content.name.clone(), added: false, changed: content.changed_fields(old) }),
        }
    }
    Ok(ImportPreview { id: found.id, file_name: found.file_name, rows, unchanged, errors, applied: found.applied_at.is_some() })
}

/// Applies a previewed import: every row in one transaction, or nothing. Refused while
/// the file has bad rows, and when it was applied already (a double submit).
#[tracing::instrument(skip(db))]
pub async fn apply(db: &DatabaseConnection, id: i32, chief_id: i32) -> Result<usize, AppError> {
    let txn = begin_write(db).await?;
    let (_, payload, errors) = load(&txn, id).await?;
    if !errors.is_empty() {
        return Err(AppError::Conflict(Msg::ErrImportHasErrors));
    }
    let claimed = catalogue_import::Entity::update_many()
        .col_expr(catalogue_import::Column::AppliedAt, Expr::value(Utc::now()))
        .filter(catalogue_import::Column::Id.eq(id))
        .filter(catalogue_import::Column::AppliedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Conflict(Msg::ErrImportApplied));
    }
    let mut written = 0;
    for (_, code, content) in &payload {
        if save_guide_in(&txn, code, content, Some(chief_id), "import").await? != super::service::Saved::Unchanged {
            written += 1;
        }
    }
    audit::record(
        &txn,
        Entry {
            actor_id: Some(chief_id),
            on_behalf_of: None,
            action: "catalogue.import",
            entity: "catalogue_import",
            entity_id: Some(id.to_string()),
            detail: json!({ "written": written }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}

/// Every item (published or withdrawn) for the console.
pub async fn staff_items(db: &DatabaseConnection) -> Result<Vec<StaffItem>, AppError> {
    Ok(item::Entity::find()
        .order_by_asc(item::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|i| StaffItem { code: i.code, name: i.name, category: i.category, version: i.current_version, published: i.published })
        .collect())
}

/// The current version of any item, published or not (for editing).
pub async fn content_of(db: &DatabaseConnection, code: &str) -> Result<GuideContent, AppError> {
    current_contents(db).await?.into_iter().find(|(c, _)| c == code).map(|(_, content)| content).ok_or(AppError::NotFound)
}

/// The catalogue as an XLSX file in the import layout (so it can be edited and imported).
pub async fn export_xlsx(db: &DatabaseConnection) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut contents = current_contents(db).await?;
    contents.sort_by(|a, b| a.0.cmp(&b.0));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::from(anyhow::anyhow!("xlsx: {e}"));
    for (col, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold).map_err(xlsx)?;
    }
    for (i, (code, c)) in contents.iter().enumerate() {
        let row = (i + 1) as u32;
        let yes = super::yes_no;
        let materials = c.materials.iter().map(super::Material::to_line).collect::<Vec<_>>().join("\n");
        let cells = [
            code.clone(),
            c.name.clone(),
            c.category.clone(),
            c.level.zh().to_owned(),
            yes(c.bookable).to_owned(),
            yes(c.helper_eligible).to_owned(),
            yes(c.online).to_owned(),
            yes(c.high_frequency).to_owned(),
            c.legal_days.to_string(),
            c.promised_days.to_string(),
            c.fee.clone(),
            c.place.clone(),
            c.hours.clone(),
            materials,
            c.steps.join("\n"),
            c.legal_basis.clone(),
            c.contact.clone(),
            c.keywords.join(" "),
        ];
        for (col, value) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, value.as_str(), &wrap).map_err(xlsx)?;
        }
    }
    sheet.set_column_width(1, 28).map_err(xlsx)?;
    sheet.set_column_width(13, 40).map_err(xlsx)?;
    sheet.set_column_width(14, 30).map_err(xlsx)?;
    workbook.save_to_buffer().map_err(xlsx)
}

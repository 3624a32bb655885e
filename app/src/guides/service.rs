//! Catalogue services: saving guide versions, search, lists, history, import parsing.

use super::search::{SearchKey, category_aliases, normalise, score_parts};
use super::{Catalogue, Guide, GuideContent, ItemSummary, Level, Material, SampleFile, VersionEntry};
use crate::error::AppError;
use crate::i18n::{GuideReason, Reason};
use crate::ssr::audit::{self, Entry};
use crate::ssr::db::begin_write;
use crate::ssr::entities::{item, item_version};
use crate::ssr::freshness;
use crate::time::format_cst;
use chrono::Utc;
use pinyin::ToPinyin;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

/// The search key of a guide: its name, category, keywords and the category's usual
/// short names, in Chinese, full pinyin and initials.
#[tracing::instrument(skip_all)]
pub fn search_key(content: &GuideContent) -> SearchKey {
    let mut words: Vec<String> = vec![content.name.clone(), content.category.clone()];
    words.extend(content.keywords.iter().cloned());
    words.extend(category_aliases(&content.category).iter().map(|s| (*s).to_owned()));
    let (mut pinyin, mut initials) = (Vec::new(), Vec::new());
    for word in &words {
        let (mut full, mut first) = (String::new(), String::new());
        for (ch, py) in word.chars().zip(word.as_str().to_pinyin()) {
            match py {
                Some(py) => {
                    full.push_str(py.plain());
                    first.push_str(py.first_letter());
                }
                None if ch.is_ascii_alphanumeric() => {
                    full.extend(ch.to_lowercase());
                    first.extend(ch.to_lowercase());
                }
                None => {}
            }
        }
        pinyin.push(full);
        initials.push(first);
    }
    SearchKey { text: words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join(" "), pinyin: pinyin.join(" "), initials: initials.join(" ") }
}

/// What saving a guide did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Created,
    NewVersion(i32),
    Unchanged,
}

/// Saves `content` as the guide of item `code` inside `txn`: a new item, a new version
/// when anything changed, or nothing when it is the same as the current version.
/// Materials keep their sample files when the new text names them the same way.
#[tracing::instrument(skip_all)]
pub async fn save_guide_in(txn: &impl ConnectionTrait, code: &str, content: &GuideContent, editor: Option<i32>, source: &str) -> Result<Saved, AppError> {
    save_version_in(txn, code, content, editor, source, true).await
}

async fn save_version_in(
    txn: &impl ConnectionTrait,
    code: &str,
    content: &GuideContent,
    editor: Option<i32>,
    source: &str,
    keep_samples: bool,
) -> Result<Saved, AppError> {
    let now = Utc::now();
    let existing = item::Entity::find().filter(item::Column::Code.eq(code)).one(txn).await?;
    let mut content = content.clone();
    let (item_id, version, saved) = match existing {
        Some(found) => {
            let current = current_content(txn, found.id, found.current_version).await?;
            if keep_samples {
                content.keep_samples_from(&current);
            }
            if current == content {
                return Ok(Saved::Unchanged);
            }
            let version = found.current_version + 1;
            let mut row: item::ActiveModel = found.clone().into();
            apply_summary(&mut row, &content, &search_key(&content));
            row.current_version = Set(version);
            row.updated_at = Set(now);
            row.update(txn).await?;
            (found.id, version, Saved::NewVersion(version))
        }
        None => {
            let mut row = item::ActiveModel {
                code: Set(code.to_owned()),
                current_version: Set(1),
                published: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            apply_summary(&mut row, &content, &search_key(&content));
            let inserted = row.insert(txn).await?;
            (inserted.id, 1, Saved::Created)
        }
    };
    item_version::ActiveModel {
        item_id: Set(item_id),
        version: Set(version),
        content: Set(serde_json::to_string(&content).map_err(anyhow::Error::from)?),
        edited_by: Set(editor),
        source: Set(source.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        Entry {
            actor_id: editor,
            on_behalf_of: None,
            action: "guide.save",
            entity: "item",
            entity_id: Some(code.to_owned()),
            detail: json!({ "version": version, "source": source }),
        },
    )
    .await?;
    freshness::bump(txn, freshness::CATALOGUE).await?;
    Ok(saved)
}

/// Sets or clears the sample file of material `index` of item `code`: a new version.
#[tracing::instrument(skip_all)]
pub async fn set_sample(db: &DatabaseConnection, code: &str, index: usize, sample: Option<SampleFile>, editor: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let found = item::Entity::find().filter(item::Column::Code.eq(code)).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut content = current_content(&txn, found.id, found.current_version).await?;
    let material = content.materials.get_mut(index).ok_or(AppError::NotFound)?;
    material.sample = sample;
    save_version_in(&txn, code, &content, Some(editor), "sample", false).await?;
    txn.commit().await?;
    Ok(())
}

/// Saves one guide in its own transaction.
#[tracing::instrument(skip(db, content))]
pub async fn save_guide(db: &DatabaseConnection, code: &str, content: &GuideContent, editor: Option<i32>, source: &str) -> Result<Saved, AppError> {
    let txn = begin_write(db).await?;
    let saved = save_guide_in(&txn, code, content, editor, source).await?;
    txn.commit().await?;
    Ok(saved)
}

fn apply_summary(row: &mut item::ActiveModel, content: &GuideContent, key: &SearchKey) {
    row.name = Set(content.name.clone());
    row.category = Set(content.category.clone());
    row.keywords = Set(content.keywords.join(" "));
    row.level = Set(content.level.as_str().to_owned());
    row.bookable = Set(content.bookable);
    row.helper_eligible = Set(content.helper_eligible);
    row.online = Set(content.online);
    row.high_frequency = Set(content.high_frequency);
    row.promised_days = Set(i32::from(content.promised_days));
    row.search_pinyin = Set(key.pinyin.clone());
    row.search_initials = Set(key.initials.clone());
}

async fn current_content(db: &impl ConnectionTrait, item_id: i32, version: i32) -> Result<GuideContent, AppError> {
    let row = item_version::Entity::find()
        .filter(item_version::Column::ItemId.eq(item_id))
        .filter(item_version::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("item {item_id} lacks version {version}"))?;
    parse_content(&row.content)
}

pub(crate) fn parse_content(json: &str) -> Result<GuideContent, AppError> {
    serde_json::from_str(json).map_err(|e| AppError::from(anyhow::anyhow!("stored guide is not valid: {e}")))
}

/// Publishes or withdraws an item (a withdrawn item disappears from the public pages).
#[tracing::instrument(skip_all)]
pub async fn set_published(db: &DatabaseConnection, code: &str, published: bool, editor: Option<i32>) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let found = item::Entity::find().filter(item::Column::Code.eq(code)).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut row: item::ActiveModel = found.into();
    row.published = Set(published);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    freshness::bump(&txn, freshness::CATALOGUE).await?;
    let action = if published { "guide.publish" } else { "guide.withdraw" };
    audit::record(&txn, Entry { actor_id: editor, on_behalf_of: None, action, entity: "item", entity_id: Some(code.to_owned()), detail: json!({}) }).await?;
    txn.commit().await?;
    Ok(())
}

fn summary(row: &Listed) -> ItemSummary {
    ItemSummary {
        code: row.code.clone(),
        name: row.name.clone(),
        category: row.category.clone(),
        promised_days: u16::try_from(row.promised_days).unwrap_or(0),
        high_frequency: row.high_frequency,
        helper_eligible: row.helper_eligible,
        bookable: row.bookable,
    }
}

/// The columns lists and search need (no timestamps to decode).
#[derive(Debug, sea_orm::DerivePartialModel)]
#[sea_orm(entity = "item::Entity")]
struct Listed {
    id: i32,
    current_version: i32,
    code: String,
    name: String,
    category: String,
    keywords: String,
    high_frequency: bool,
    helper_eligible: bool,
    bookable: bool,
    promised_days: i32,
    search_pinyin: String,
    search_initials: String,
}

async fn published_items(db: &DatabaseConnection) -> Result<Vec<Listed>, AppError> {
    // Catalogue order: the order items were first entered (the demo file lists 社会保障 first).
    Ok(item::Entity::find().filter(item::Column::Published.eq(true)).order_by_asc(item::Column::Id).into_partial_model::<Listed>().all(db).await?)
}

/// Published items by category (in catalogue order) and the
/// high-frequency ones.
#[tracing::instrument(skip_all)]
pub async fn catalogue(db: &DatabaseConnection) -> Result<Catalogue, AppError> {
    let items = published_items(db).await?;
    let mut categories: Vec<(String, Vec<ItemSummary>)> = Vec::new();
    for row in &items {
        match categories.iter_mut().find(|(name, _)| *name == row.category) {
            Some((_, list)) => list.push(summary(row)),
            None => categories.push((row.category.clone(), vec![summary(row)])),
        }
    }
    let high_frequency = items.iter().filter(|r| r.high_frequency).map(summary).collect();
    Ok(Catalogue { categories, high_frequency })
}

/// Published items kept in memory for search, reloaded when the `catalogue` change
/// counter (see [`freshness`]) has moved: at once on the server that made the change,
/// within a second on the others. A search reads nothing while the counter stands.
#[derive(Clone, Default)]
pub struct SearchIndex(std::sync::Arc<std::sync::RwLock<Option<Generation>>>);

/// The catalogue counter a copy was read at, and the copy.
type Generation = (i64, std::sync::Arc<Vec<Indexed>>);

/// An item as search sees it, its words lower-cased once.
struct Indexed {
    row: Listed,
    words: Vec<String>,
}

impl SearchIndex {
    async fn items(&self, db: &DatabaseConnection, watch: &freshness::Watch) -> Result<std::sync::Arc<Vec<Indexed>>, AppError> {
        let generation = watch.fresh(db).await?;
        if let Some((at, items)) = self.0.read().unwrap_or_else(|p| p.into_inner()).as_ref()
            && *at == generation
        {
            return Ok(items.clone());
        }
        let items: std::sync::Arc<Vec<Indexed>> = std::sync::Arc::new(
            published_items(db)
                .await?
                .into_iter()
                .map(|row| {
                    let words = [row.name.as_str(), row.category.as_str()]
                        .into_iter()
                        .chain(row.keywords.split(' '))
                        .chain(category_aliases(&row.category).iter().copied())
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase)
                        .collect();
                    Indexed { row, words }
                })
                .collect(),
        );
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some((generation, items.clone()));
        Ok(items)
    }
}

/// Published items matching `query`, best first.
#[tracing::instrument(skip(state))]
pub async fn search(state: &crate::ssr::AppState, query: &str, limit: usize) -> Result<Vec<ItemSummary>, AppError> {
    let query = normalise(query);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let index = state.locals.get::<SearchIndex>();
    let items = index.items(&state.db, &state.watches.get(freshness::CATALOGUE)).await?;
    let mut hits: Vec<(u32, &Listed)> = items
        .iter()
        .filter_map(|item| {
            let row = &item.row;
            let words = item.words.iter().map(String::as_str);
            let s = score_parts(&query, &row.name, words, &row.search_pinyin, &row.search_initials);
            (s > 0).then_some((s + u32::from(row.high_frequency), row))
        })
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    Ok(hits.into_iter().take(limit).map(|(_, row)| summary(row)).collect())
}

/// A published item by code; withdrawn and unknown items are "not found" alike.
async fn published_item(db: &DatabaseConnection, code: &str) -> Result<item::Model, AppError> {
    item::Entity::find().filter(item::Column::Code.eq(code)).filter(item::Column::Published.eq(true)).one(db).await?.ok_or(AppError::NotFound)
}

/// A published guide: the current version, or `version` when given.
#[tracing::instrument(skip_all)]
pub async fn guide(db: &DatabaseConnection, code: &str, version: Option<i32>) -> Result<Guide, AppError> {
    let found = published_item(db, code).await?;
    let wanted = version.unwrap_or(found.current_version);
    let row = item_version::Entity::find()
        .filter(item_version::Column::ItemId.eq(found.id))
        .filter(item_version::Column::Version.eq(wanted))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Guide {
        code: found.code,
        version: row.version,
        current_version: found.current_version,
        published: found.published,
        updated_at: format_cst(row.created_at),
        content: parse_content(&row.content)?,
    })
}

/// All versions of a published guide, newest first, each with what it changed.
#[tracing::instrument(skip_all)]
pub async fn history(db: &DatabaseConnection, code: &str) -> Result<Vec<VersionEntry>, AppError> {
    let found = published_item(db, code).await?;
    let rows = item_version::Entity::find().filter(item_version::Column::ItemId.eq(found.id)).order_by_asc(item_version::Column::Version).all(db).await?;
    let mut entries = Vec::with_capacity(rows.len());
    let mut previous: Option<GuideContent> = None;
    for row in rows {
        let content = parse_content(&row.content)?;
        let changed = previous.as_ref().map(|old| content.changed_fields(old)).unwrap_or_default();
        entries.push(VersionEntry { version: row.version, created_at: format_cst(row.created_at), source: row.source, changed });
        previous = Some(content);
    }
    entries.reverse();
    Ok(entries)
}

/// Every published guide in full (the 四个公开 page).
#[tracing::instrument(skip_all)]
pub async fn published_guides(db: &DatabaseConnection) -> Result<Vec<Guide>, AppError> {
    let items = published_items(db).await?;
    let versions = item_version::Entity::find().all(db).await?;
    let mut guides = Vec::with_capacity(items.len());
    for found in items {
        let Some(row) = versions.iter().find(|v| v.item_id == found.id && v.version == found.current_version) else {
            continue;
        };
        guides.push(Guide {
            code: found.code.clone(),
            version: row.version,
            current_version: found.current_version,
            published: true,
            updated_at: format_cst(row.created_at),
            content: parse_content(&row.content)?,
        });
    }
    Ok(guides)
}

// ---- the import layout ----------------------------------------------------------

/// Columns of the import file, in the order the export writes them. `关键词` is optional.
pub const COLUMNS: [&str; 18] = [
    "事项编码",
    "事项名称",
    "类别",
    "办理层级",
    "可预约",
    "可帮办代办",
    "可网上办",
    "高频事项",
    "法定时限（工作日）",
    "承诺时限（工作日）",
    "收费标准",
    "办理地点",
    "办理时间",
    "申请材料",
    "办理流程",
    "设定依据",
    "咨询电话",
    "关键词",
];

/// A row of an import file that could not be read, with its spreadsheet row number
/// (the header is row 1) and every reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub reasons: Vec<Reason>,
}

/// An import file read into guides or row errors; nothing is written.
#[derive(Clone, Debug, Default)]
pub struct ParsedCatalogue {
    pub guides: Vec<(usize, String, GuideContent)>,
    pub errors: Vec<RowError>,
}

/// Reads a CSV file (UTF-8, with or without BOM) in the import layout.
#[tracing::instrument(skip_all)]
pub fn parse_csv(bytes: &[u8]) -> Result<ParsedCatalogue, Reason> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| GuideReason::NotUtf8)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| GuideReason::CsvMalformed { detail: e.to_string() })?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    parse_rows(rows)
}

/// Reads rows (the first is the header) in the import layout.
#[tracing::instrument(skip_all)]
pub fn parse_rows(rows: Vec<Vec<String>>) -> Result<ParsedCatalogue, Reason> {
    let mut rows = rows.into_iter();
    let header = rows.next().ok_or(GuideReason::EmptyFile)?;
    let position = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<String> = COLUMNS[..17].iter().filter(|c| position(c).is_none()).map(|c| (*c).to_owned()).collect();
    if !missing.is_empty() {
        return Err(GuideReason::MissingColumns { columns: missing }.into());
    }
    let index: Vec<Option<usize>> = COLUMNS.iter().map(|c| position(c)).collect();
    let mut parsed = ParsedCatalogue::default();
    let mut seen_codes: Vec<String> = Vec::new();
    for (i, row) in rows.enumerate() {
        let row_number = i + 2;
        if row.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |col: usize| index[col].and_then(|i| row.get(i)).map(|s| s.trim()).unwrap_or("");
        match parse_row(&cell) {
            Ok((code, content)) if seen_codes.contains(&code) => {
                parsed.errors.push(RowError { row: row_number, reasons: vec![GuideReason::DuplicateCode { code }.into()] });
                let _ = content;
            }
            Ok((code, content)) => {
                seen_codes.push(code.clone());
                parsed.guides.push((row_number, code, content));
            }
            Err(reasons) => parsed.errors.push(RowError { row: row_number, reasons }),
        }
    }
    Ok(parsed)
}

fn parse_row<'a>(cell: &dyn Fn(usize) -> &'a str) -> Result<(String, GuideContent), Vec<Reason>> {
    let mut errors: Vec<Reason> = Vec::new();
    let code = cell(0).to_owned();
    if code.is_empty() || code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.push(GuideReason::BadCode.into());
    }
    // Column names are the file's own headers, as the chief reads them there.
    let column = |col: usize| COLUMNS[col].to_owned();
    let text = |col: usize, max: usize, errors: &mut Vec<Reason>| {
        let value = cell(col).to_owned();
        if value.is_empty() {
            errors.push(GuideReason::Required { column: column(col) }.into());
        } else if value.chars().count() > max {
            errors.push(GuideReason::TooLong { column: column(col), max }.into());
        }
        value
    };
    let name = text(1, 60, &mut errors);
    let category = text(2, 16, &mut errors);
    let level = Level::parse(cell(3)).unwrap_or_else(|| {
        errors.push(GuideReason::BadLevel.into());
        Level::Center
    });
    let yes_no = |col: usize, errors: &mut Vec<Reason>| match cell(col) {
        "是" | "Y" | "y" | "yes" | "true" | "1" => true,
        "否" | "N" | "n" | "no" | "false" | "0" => false,
        _ => {
            errors.push(GuideReason::YesOrNo { column: column(col) }.into());
            false
        }
    };
    let bookable = yes_no(4, &mut errors);
    let helper_eligible = yes_no(5, &mut errors);
    let online = yes_no(6, &mut errors);
    let high_frequency = yes_no(7, &mut errors);
    let days = |col: usize, errors: &mut Vec<Reason>| match cell(col).parse::<u16>() {
        Ok(d) if (1..=365).contains(&d) => d,
        _ => {
            errors.push(GuideReason::BadDays { column: column(col) }.into());
            0
        }
    };
    let legal_days = days(8, &mut errors);
    let promised_days = days(9, &mut errors);
    if legal_days > 0 && promised_days > legal_days {
        errors.push(GuideReason::PromisedOverLegal.into());
    }
    let fee = text(10, 200, &mut errors);
    let place = text(11, 200, &mut errors);
    let hours = text(12, 200, &mut errors);
    let mut materials = Vec::new();
    for (n, line) in split_lines(cell(13)).enumerate() {
        match parse_material(line, n + 1) {
            Ok(m) => materials.push(m),
            Err(reason) => errors.push(reason.into()),
        }
    }
    if materials.is_empty() {
        errors.push(GuideReason::MaterialsRequired.into());
    }
    let steps: Vec<String> = split_lines(cell(14)).map(str::to_owned).collect();
    if steps.is_empty() {
        errors.push(GuideReason::StepsRequired.into());
    }
    let legal_basis = text(15, 500, &mut errors);
    let contact = text(16, 64, &mut errors);
    let keywords = cell(17).split(['，', ',', '、', ' ']).filter(|k| !k.is_empty()).map(str::to_owned).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        code,
        GuideContent {
            name,
            category,
            keywords,
            level,
            bookable,
            helper_eligible,
            online,
            high_frequency,
            legal_days,
            promised_days,
            fee,
            place,
            hours,
            materials,
            steps,
            legal_basis,
            contact,
        },
    ))
}

fn split_lines(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(['\n', '；']).map(str::trim).filter(|l| !l.is_empty())
}

/// `名称|份数|原件或复印件|备注`, material number `n` (from 1) of its cell.
fn parse_material(line: &str, n: usize) -> Result<Material, GuideReason> {
    let parts: Vec<&str> = line.split('|').map(str::trim).collect();
    let [name, copies, kind, rest @ ..] = parts.as_slice() else {
        return Err(GuideReason::MaterialLayout { n });
    };
    if name.is_empty() {
        return Err(GuideReason::MaterialNoName { n });
    }
    let copies = copies.parse::<u32>().ok().filter(|c| *c <= 20).ok_or(GuideReason::MaterialCopies { n })?;
    let original = match *kind {
        "原件" => true,
        "复印件" => false,
        _ => return Err(GuideReason::MaterialKind { n }),
    };
    Ok(Material { name: (*name).to_owned(), copies, original, note: rest.join("|"), sample: None })
}

/// The demo catalogue (44 items, marked as demo content on every page that shows it).
pub const DEMO_CATALOGUE_CSV: &str = include_str!("../../data/demo-catalogue.csv");

/// Seeds the demo catalogue; items already present keep their versions (idempotent).
#[tracing::instrument(skip_all)]
pub async fn seed_demo_catalogue(db: &DatabaseConnection) -> Result<usize, AppError> {
    let parsed = parse_csv(DEMO_CATALOGUE_CSV.as_bytes()).map_err(|e| anyhow::anyhow!("demo catalogue: {}", e.zh()))?;
    if let Some(error) = parsed.errors.first() {
        return Err(anyhow::anyhow!("demo catalogue row {}: {:?}", error.row, error.reasons).into());
    }
    let txn = begin_write(db).await?;
    let mut created = 0;
    for (_, code, content) in &parsed.guides {
        if item::Entity::find().filter(item::Column::Code.eq(code.as_str())).one(&txn).await?.is_none() {
            save_guide_in(&txn, code, content, None, "seed").await?;
            created += 1;
        }
    }
    txn.commit().await?;
    Ok(created)
}

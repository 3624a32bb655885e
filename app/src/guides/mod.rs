//! Service guides (办事指南): the catalogue of service items (事项), versioned guides,
//! search with pinyin, and the public 四个公开 page.

#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod import;
pub mod pages;
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;

use crate::error::AppError;
use crate::i18n::Msg;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where an item is handled (办理层级).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    /// 便民服务中心 only
    Center,
    /// 便民服务站 only
    Station,
    /// both
    Both,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Center => "center",
            Level::Station => "station",
            Level::Both => "both",
        }
    }

    /// The form used in the import file and on screen.
    /// The name a user reads, in either language.
    pub fn msg(self) -> Msg {
        match self {
            Level::Center => Msg::LevelAtCenter,
            Level::Station => Msg::LevelAtStation,
            Level::Both => Msg::LevelAtBoth,
        }
    }

    /// The Chinese name (logs, emails, audit).
    pub fn zh(self) -> &'static str {
        self.msg().zh()
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s.trim() {
            "center" | "中心" | "便民服务中心" => Some(Level::Center),
            "station" | "服务站" | "便民服务站" => Some(Level::Station),
            "both" | "中心和服务站" | "中心、服务站" => Some(Level::Both),
            _ => None,
        }
    }
}

/// One required material (申请材料).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub name: String,
    pub copies: u32,
    /// Original (原件) or copy (复印件).
    pub original: bool,
    pub note: String,
    /// A sample image or blank form (样表/空白表格) the chief uploaded, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<SampleFile>,
}

/// How a material is handed in: original or copy, and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub original: bool,
    pub copies: u32,
}

impl Requirement {
    /// `原件1份` / `1 original`, `复印件2份` / `2 copies`.
    pub fn text(self, lang: crate::i18n::Lang) -> String {
        let n = Ord::max(self.copies, 1);
        match (lang, self.original) {
            (crate::i18n::Lang::Zh, true) => format!("原件{n}份"),
            (crate::i18n::Lang::Zh, false) => format!("复印件{n}份"),
            (crate::i18n::Lang::En, true) => format!("{n} original{}", if n == 1 { "" } else { "s" }),
            (crate::i18n::Lang::En, false) => format!("{n} cop{}", if n == 1 { "y" } else { "ies" }),
        }
    }
}

impl Material {
    pub fn requirement(&self) -> Requirement {
        Requirement { original: self.original, copies: self.copies }
    }
}

/// A stored file a guide links to; files are never changed, so old versions keep theirs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleFile {
    pub id: i32,
    pub name: String,
    pub content_type: String,
}

impl SampleFile {
    /// Where anyone can open it.
    pub fn href(&self) -> String {
        format!("/files/{}", self.id)
    }
}

impl Material {
    /// The line form used by the import file and the edit form: `名称|份数|原件或复印件|备注`.
    pub fn to_line(&self) -> String {
        format!("{}|{}|{}|{}", self.name, self.copies, if self.original { "原件" } else { "复印件" }, self.note)
    }
}

/// 是/否, as the import file and the edit form write a yes-or-no field.
pub fn yes_no(value: bool) -> &'static str {
    if value { "是" } else { "否" }
}

/// Everything a guide says. A version of a guide is one immutable `GuideContent`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideContent {
    pub name: String,
    pub category: String,
    pub keywords: Vec<String>,
    pub level: Level,
    pub bookable: bool,
    pub helper_eligible: bool,
    pub online: bool,
    pub high_frequency: bool,
    /// Legal time limit in working days (法定时限).
    pub legal_days: u16,
    /// Promised time limit in working days (承诺时限), at most the legal one.
    pub promised_days: u16,
    pub fee: String,
    pub place: String,
    pub hours: String,
    pub materials: Vec<Material>,
    pub steps: Vec<String>,
    pub legal_basis: String,
    pub contact: String,
}

impl GuideContent {
    /// Materials keep the samples `older` had for a material of the same name, so an
    /// edit of the text (form or import) does not drop the files.
    pub fn keep_samples_from(&mut self, older: &GuideContent) {
        for material in self.materials.iter_mut().filter(|m| m.sample.is_none()) {
            material.sample = older.materials.iter().find(|o| o.name == material.name).and_then(|o| o.sample.clone());
        }
    }

    /// Labels of the fields that differ from `older`, for the history page.
    pub fn changed_fields(&self, older: &GuideContent) -> Vec<Msg> {
        let mut changed = Vec::new();
        let mut check = |differs: bool, label: Msg| {
            if differs {
                changed.push(label);
            }
        };
        check(self.name != older.name, Msg::GuideName);
        check(self.category != older.category || self.keywords != older.keywords, Msg::GuideCategory);
        check(self.level != older.level, Msg::GuideLevel);
        check(
            (self.bookable, self.helper_eligible, self.online, self.high_frequency)
                != (older.bookable, older.helper_eligible, older.online, older.high_frequency),
            Msg::GuideServiceModes,
        );
        check((self.legal_days, self.promised_days) != (older.legal_days, older.promised_days), Msg::GuideTimeLimits);
        check(self.fee != older.fee, Msg::GuideFee);
        check(self.place != older.place || self.hours != older.hours, Msg::GuidePlaceHours);
        check(self.materials != older.materials, Msg::GuideMaterials);
        check(self.steps != older.steps, Msg::GuideSteps);
        check(self.legal_basis != older.legal_basis, Msg::GuideLegalBasis);
        check(self.contact != older.contact, Msg::GuideContact);
        changed
    }
}

/// A guide as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    pub code: String,
    pub version: i32,
    pub current_version: i32,
    pub published: bool,
    pub updated_at: String,
    pub content: GuideContent,
}

/// An item in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    pub category: String,
    pub promised_days: u16,
    pub high_frequency: bool,
    pub helper_eligible: bool,
    pub bookable: bool,
}

/// The 办事 tab: categories with their items, and the high-frequency items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub categories: Vec<(String, Vec<ItemSummary>)>,
    pub high_frequency: Vec<ItemSummary>,
}

/// One version in a guide's history, with what changed from the one before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionEntry {
    pub version: i32,
    pub created_at: String,
    pub source: String,
    pub changed: Vec<Msg>,
}

/// Public catalogue: the published items, grouped by category, for anyone.
#[server(endpoint = "catalogue")]
pub async fn get_catalogue() -> Result<Catalogue, AppError> {
    use crate::ssr::{auth, respond};
    respond(async { service::catalogue(&auth::state()?.db).await }.await)
}

/// Search published items by Chinese text, full pinyin or pinyin initials. Public.
#[server(endpoint = "search_items")]
pub async fn search_items(q: String) -> Result<Vec<ItemSummary>, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            service::search(&state, &q, 30).await
        }
        .await,
    )
}

/// A published guide (its current version, or an older one by number). Public.
#[server(endpoint = "guide")]
pub async fn get_guide(code: String, version: Option<i32>) -> Result<Guide, AppError> {
    use crate::ssr::{auth, respond};
    respond(async { service::guide(&auth::state()?.db, &code, version).await }.await)
}

/// The versions of a published guide, newest first. Public.
#[server(endpoint = "guide_history")]
pub async fn guide_history(code: String) -> Result<Vec<VersionEntry>, AppError> {
    use crate::ssr::{auth, respond};
    respond(async { service::history(&auth::state()?.db, &code).await }.await)
}

/// What the 四个公开 page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicInfo {
    pub supervision_phone: String,
    pub address: String,
    pub guides: Vec<Guide>,
}

/// Every published guide in full, the supervision phone and address. Public.
#[server(endpoint = "public_info")]
pub async fn get_public_info() -> Result<PublicInfo, AppError> {
    use crate::ssr::{auth, respond};
    respond(
        async {
            let state = auth::state()?;
            Ok(PublicInfo {
                supervision_phone: state.config.supervision_phone.clone(),
                address: state.config.center_address.clone(),
                guides: service::published_guides(&state.db).await?,
            })
        }
        .await,
    )
}

// ---- the chief's console ------------------------------------------------------------

/// An item as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffItem {
    pub code: String,
    pub name: String,
    pub category: String,
    pub version: i32,
    pub published: bool,
}

/// One row an import would add or change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub row: usize,
    pub code: String,
    pub name: String,
    pub added: bool,
    pub changed: Vec<Msg>,
}

/// What an uploaded file would do, before anything is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub id: i32,
    pub file_name: String,
    pub rows: Vec<ImportRow>,
    pub unchanged: usize,
    /// Bad rows: (spreadsheet row number, reasons).
    pub errors: Vec<(usize, Vec<crate::i18n::Reason>)>,
    pub applied: bool,
}

/// Every item, published or withdrawn; chief only.
#[server(endpoint = "staff_items")]
pub async fn staff_items() -> Result<Vec<StaffItem>, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            auth::require_role(&[Role::Chief]).await?;
            import::staff_items(&auth::state()?.db).await
        }
        .await,
    )
}

/// Publishes or withdraws an item; chief only.
#[server(endpoint = "item_publish")]
pub async fn set_item_published(code: String, published: bool) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let chief = auth::require_role(&[Role::Chief]).await?;
            service::set_published(&auth::state()?.db, &code, published, Some(chief.id)).await
        }
        .await,
    )
}

/// The preview of an uploaded import; chief only.
#[server(endpoint = "import_preview")]
pub async fn get_import(id: i32) -> Result<ImportPreview, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            auth::require_role(&[Role::Chief]).await?;
            import::describe(&auth::state()?.db, id).await
        }
        .await,
    )
}

/// Applies an import, all rows or none; chief only.
#[server(endpoint = "import_apply")]
pub async fn apply_import(id: i32) -> Result<usize, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let chief = auth::require_role(&[Role::Chief]).await?;
            let written = import::apply(&auth::state()?.db, id, chief.id).await?;
            leptos_axum::redirect(&format!("/staff/items?imported={written}"));
            Ok(written)
        }
        .await,
    )
}

/// The current guide of any item, for editing; chief only.
#[server(endpoint = "item_content")]
pub async fn item_content(code: String) -> Result<GuideContent, AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            auth::require_role(&[Role::Chief]).await?;
            import::content_of(&auth::state()?.db, &code).await
        }
        .await,
    )
}

/// Removes the sample file of material `index` of item `code` (a new version); chief only.
#[server(endpoint = "item_sample_remove")]
pub async fn remove_sample(code: String, index: usize) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let chief = auth::require_role(&[Role::Chief]).await?;
            service::set_sample(&auth::state()?.db, &code, index, None, chief.id).await?;
            leptos_axum::redirect(&format!("/staff/items/{code}/edit?sample_saved=1#samples"));
            Ok(())
        }
        .await,
    )
}

/// The fields of the edit form, named as the import columns are ordered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemForm {
    pub code: String,
    pub name: String,
    pub category: String,
    pub level: String,
    pub bookable: String,
    pub helper_eligible: String,
    pub online: String,
    pub high_frequency: String,
    pub legal_days: String,
    pub promised_days: String,
    pub fee: String,
    pub place: String,
    pub hours: String,
    pub materials: String,
    pub steps: String,
    pub legal_basis: String,
    pub contact: String,
    pub keywords: String,
}

impl ItemForm {
    /// The form as one row of the import layout, so one parser checks both.
    pub fn cells(&self) -> Vec<String> {
        [
            &self.code,
            &self.name,
            &self.category,
            &self.level,
            &self.bookable,
            &self.helper_eligible,
            &self.online,
            &self.high_frequency,
            &self.legal_days,
            &self.promised_days,
            &self.fee,
            &self.place,
            &self.hours,
            &self.materials,
            &self.steps,
            &self.legal_basis,
            &self.contact,
            &self.keywords,
        ]
        .into_iter()
        .cloned()
        .collect()
    }

    pub fn from_content(code: &str, c: &GuideContent) -> ItemForm {
        let yes = |b: bool| yes_no(b).to_owned();
        ItemForm {
            code: code.to_owned(),
            name: c.name.clone(),
            category: c.category.clone(),
            level: c.level.zh().to_owned(),
            bookable: yes(c.bookable),
            helper_eligible: yes(c.helper_eligible),
            online: yes(c.online),
            high_frequency: yes(c.high_frequency),
            legal_days: c.legal_days.to_string(),
            promised_days: c.promised_days.to_string(),
            fee: c.fee.clone(),
            place: c.place.clone(),
            hours: c.hours.clone(),
            materials: c.materials.iter().map(Material::to_line).collect::<Vec<_>>().join("\n"),
            steps: c.steps.join("\n"),
            legal_basis: c.legal_basis.clone(),
            contact: c.contact.clone(),
            keywords: c.keywords.join(" "),
        }
    }
}

/// Creates an item or saves a new version of its guide; chief only.
#[server(endpoint = "item_save")]
pub async fn save_item(form: ItemForm) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::ssr::{auth, respond};
    respond(
        async {
            let chief = auth::require_role(&[Role::Chief]).await?;
            let header = service::COLUMNS.iter().map(|c| (*c).to_owned()).collect();
            let parsed = service::parse_rows(vec![header, form.cells()]).map_err(AppError::refused)?;
            let Some((_, code, content)) = parsed.guides.into_iter().next() else {
                return Err(AppError::Rejected(parsed.errors.into_iter().flat_map(|e| e.reasons).collect()));
            };
            service::save_guide(&auth::state()?.db, &code, &content, Some(chief.id), "console").await?;
            leptos_axum::redirect("/staff/items");
            Ok(())
        }
        .await,
    )
}

//! Materials: upload checks, attaching, removing and reading the files of a case.

use super::*;

// ---- materials --------------------------------------------------------------------

/// A checked, metadata-free file waiting in a temporary file to be attached.
pub struct Upload {
    pub name: String,
    pub kind: Kind,
    pub temp: files::TempFile,
}

pub(super) async fn active_notice(db: &impl ConnectionTrait, case_id: i32) -> Result<Option<(supplement_notice::Model, Vec<NoticeItem>)>, AppError> {
    let found = supplement_notice::Entity::find()
        .filter(supplement_notice::Column::CaseId.eq(case_id))
        .filter(supplement_notice::Column::Status.eq("active"))
        .one(db)
        .await?;
    Ok(match found {
        Some(n) => {
            let items = notice_items(&n)?;
            Some((n, items))
        }
        None => None,
    })
}

pub(super) fn notice_items(n: &supplement_notice::Model) -> Result<Vec<NoticeItem>, AppError> {
    let values: Vec<serde_json::Value> = serde_json::from_str(&n.items).map_err(|e| anyhow::anyhow!("notice items: {e}"))?;
    Ok(values
        .into_iter()
        .map(|v| NoticeItem {
            index: v["index"].as_u64().unwrap_or(0) as u32,
            material: v["material"].as_str().unwrap_or_default().to_owned(),
            reason: v["reason"].as_str().unwrap_or_default().to_owned(),
        })
        .collect())
}

/// Whether files may be added to material `index` now: any material of a draft; only
/// the listed ones while a supplement is requested.
pub(super) async fn may_upload(db: &impl ConnectionTrait, found: &case::Model, index: u32) -> Result<bool, AppError> {
    Ok(match status_of(found) {
        CaseStatus::Draft => true,
        CaseStatus::SupplementRequested => active_notice(db, found.id).await?.is_some_and(|(_, items)| items.iter().any(|i| i.index == index)),
        _ => false,
    })
}

/// Refuses an upload before its bytes are stored: wrong case, status, material, or
/// the case's total would grow past its limit.
#[tracing::instrument(skip_all)]
pub async fn check_upload(db: &DatabaseConnection, user: &CurrentUser, number: &str, index: u32, size: i64) -> Result<(), AppError> {
    let found = find_for_applicant(db, user, number).await?;
    let content = guide_version(db, &found.item_code, found.guide_version).await?;
    if index as usize >= content.materials.len() {
        return Err(AppError::refused(CaseReason::NoSuchMaterial));
    }
    if !may_upload(db, &found, index).await? {
        return Err(AppError::refused(match status_of(&found) {
            CaseStatus::SupplementRequested => CaseReason::SupplementListedOnly,
            status => CaseReason::CannotInStatus { status: status.msg(), action: CaseAction::Upload },
        }));
    }
    within_case_limit(db, found.id, size).await
}

/// Refuses when the case's current files plus `size` more bytes exceed its limit.
pub(super) async fn within_case_limit(db: &impl ConnectionTrait, case_id: i32, size: i64) -> Result<(), AppError> {
    let used: i64 = case_file::Entity::find()
        .filter(case_file::Column::CaseId.eq(case_id))
        .filter(case_file::Column::Superseded.eq(false))
        .all(db)
        .await?
        .iter()
        .map(|f| f.size)
        .sum();
    if used + size > CASE_LIMIT_BYTES {
        return Err(AppError::refused(CaseReason::TooLarge { limit_mb: CASE_LIMIT_BYTES / 1024 / 1024 }));
    }
    Ok(())
}

/// Attaches a checked upload to material `index`: the bytes go to the object store
/// first, then one transaction records them; if it fails, the bytes are removed again,
/// so a file is visible only when both are there.
#[tracing::instrument(skip(state, upload), fields(user = user.id, number, index))]
pub async fn attach(state: &AppState, user: &CurrentUser, number: &str, index: u32, upload: Upload, now: DateTime<Utc>) -> Result<i32, AppError> {
    let size = upload.temp.size as i64;
    check_upload(&state.db, user, number, index, size).await?;
    let stored = files::put_temp(&state.files, "case", &upload.temp).await?;
    let result = record_attachment(state, user, number, index, &upload, &stored, now).await;
    if result.is_err() {
        files::forget(&state.files, &stored.key).await;
    }
    result
}

pub(super) async fn record_attachment(
    state: &AppState,
    user: &CurrentUser,
    number: &str,
    index: u32,
    upload: &Upload,
    stored: &files::Stored,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    // Touching the row serialises concurrent uploads to one case on PostgreSQL too.
    case::Entity::update_many().col_expr(case::Column::UpdatedAt, Expr::value(now)).filter(case::Column::Id.eq(found.id)).exec(&txn).await?;
    if !may_upload(&txn, &found, index).await? {
        return Err(AppError::refused(CaseReason::UploadStatusChanged));
    }
    within_case_limit(&txn, found.id, stored.size).await?;
    let content = guide_version(&txn, &found.item_code, found.guide_version).await?;
    let material = content.materials.get(index as usize).ok_or_else(|| AppError::refused(CaseReason::NoSuchMaterial))?;
    if status_of(&found) == CaseStatus::SupplementRequested
        && let Some((notice, _)) = active_notice(&txn, found.id).await?
    {
        // A replacement: the files the notice found wanting no longer count.
        case_file::Entity::update_many()
            .col_expr(case_file::Column::Superseded, Expr::value(true))
            .filter(case_file::Column::CaseId.eq(found.id))
            .filter(case_file::Column::MaterialIndex.eq(index as i32))
            .filter(case_file::Column::CreatedAt.lt(notice.created_at))
            .exec(&txn)
            .await?;
    }
    let file = files::record(&txn, stored, "case", &upload.name, upload.kind, Some(user.id), now).await?;
    let row = case_file::ActiveModel {
        case_id: Set(found.id),
        material_index: Set(index as i32),
        material_name: Set(material.name.clone()),
        file_id: Set(file.id),
        size: Set(stored.size),
        superseded: Set(false),
        uploaded_by: Set(user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    event(&txn, found.id, Some(user), "upload", CaseNote::Uploaded { material: material.name.clone() }, now).await?;
    log(&txn, user, "case.upload", &found, json!({ "material": material.name, "file": file.id, "size": stored.size })).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Removes a file the applicant side uploaded, while it may still change: any file of
/// a draft, or a replacement uploaded after the open supplement notice.
#[tracing::instrument(skip_all)]
pub async fn remove_file(state: &AppState, user: &CurrentUser, number: &str, file_id: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = begin_write(&state.db).await?;
    let found = find_for_applicant(&txn, user, number).await?;
    let row = case_file::Entity::find_by_id(file_id).one(&txn).await?.filter(|f| f.case_id == found.id && !f.superseded).ok_or(AppError::NotFound)?;
    let removable = match status_of(&found) {
        CaseStatus::Draft => true,
        CaseStatus::SupplementRequested => active_notice(&txn, found.id).await?.is_some_and(|(n, _)| row.created_at >= n.created_at),
        _ => false,
    };
    if !removable {
        return Err(AppError::refused(CaseReason::SubmittedFilesStay));
    }
    case_file::Entity::delete_by_id(row.id).exec(&txn).await?;
    event(&txn, found.id, Some(user), "remove", CaseNote::Removed { material: row.material_name.clone() }, now).await?;
    log(&txn, user, "case.remove_file", &found, json!({ "file": row.file_id })).await?;
    txn.commit().await?;
    // The stored bytes stay until the cleanup job finds no record pointing at them.
    Ok(())
}

/// A case file's record and bytes, for someone who may see the case.
#[tracing::instrument(skip_all)]
pub async fn file_for(
    state: &AppState,
    user: &CurrentUser,
    number: &str,
    file_id: i32,
    now: DateTime<Utc>,
) -> Result<(stored_file::Model, files::Body), AppError> {
    let found = find(&state.db, number).await?;
    let allowed = applicant_side(&state.db, user, &found).await? || staff_sees(user, &found, &Routing::load(&state.db, cst_today(now)).await?);
    if !allowed {
        return Err(AppError::NotFound);
    }
    let row = case_file::Entity::find_by_id(file_id).one(&state.db).await?.filter(|f| f.case_id == found.id).ok_or(AppError::NotFound)?;
    files::open(&state.db, &state.files, row.file_id).await
}

pub(super) async fn missing_materials(
    db: &impl ConnectionTrait,
    found: &case::Model,
    content: &GuideContent,
    since: Option<DateTime<Utc>>,
    only: Option<&[u32]>,
) -> Result<Vec<String>, AppError> {
    let rows = case_file::Entity::find().filter(case_file::Column::CaseId.eq(found.id)).filter(case_file::Column::Superseded.eq(false)).all(db).await?;
    Ok(content
        .materials
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|o| o.contains(&(*i as u32))))
        .filter(|(i, _)| !rows.iter().any(|r| r.material_index == *i as i32 && since.is_none_or(|s| r.created_at >= s)))
        .map(|(_, m)| m.name.clone())
        .collect())
}

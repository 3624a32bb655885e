//! Stored files: what a file is, decided from its bytes; image metadata stripped; the
//! bytes kept in an object store (local disk by default, outside any web root) and a
//! row in `stored_files` saying what they are.

use crate::error::AppError;
use crate::ssr::entities::stored_file;
use chrono::{Datelike, Utc};
use object_store::{ObjectStore, ObjectStoreExt};
use object_store::path::Path as StorePath;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The object store files live in.
pub type Store = Arc<dyn ObjectStore>;

/// Opens the store the configuration names: a folder on local disk.
pub fn open_store(dir: &std::path::Path) -> anyhow::Result<Store> {
    std::fs::create_dir_all(dir)?;
    Ok(Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?))
}

/// The kinds of file Bianmin accepts, recognised by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Pdf,
    /// Word (.docx): a ZIP with a `word/` part.
    Docx,
    /// Excel (.xlsx): a ZIP with an `xl/` part.
    Xlsx,
    /// Legacy Word or Excel (.doc/.xls): an OLE compound file.
    OleDocument,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::OleDocument => "application/octet-stream",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png)
    }

    /// Whether a browser may show it in place; anything else downloads.
    pub fn inline(content_type: &str) -> bool {
        matches!(content_type, "image/jpeg" | "image/png" | "application/pdf")
    }
}

/// Kinds a guide's sample or blank form may be.
pub const SAMPLE_KINDS: &[Kind] = &[Kind::Jpeg, Kind::Png, Kind::Pdf, Kind::Docx, Kind::Xlsx, Kind::OleDocument];

/// Largest sample or blank form.
pub const SAMPLE_LIMIT_BYTES: usize = 5 * 1024 * 1024;

/// What the bytes are, whatever the name or the browser claim.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if starts(b"%PDF-") {
        Some(Kind::Pdf)
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Kind::OleDocument)
    } else if starts(b"PK\x03\x04") {
        // The part names sit in the ZIP's local headers near the start of the file.
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        if has(b"word/") {
            Some(Kind::Docx)
        } else if has(b"xl/") {
            Some(Kind::Xlsx)
        } else {
            None
        }
    } else {
        None
    }
}

/// Why a file was refused, in words for the person who chose it.
pub fn refuse(reason: &str) -> AppError {
    AppError::Rejected(vec![reason.to_owned()])
}

/// Checks `bytes` against `allowed` and `limit`, and strips image metadata (EXIF,
/// including the location a phone camera writes). Returns the kind and the bytes to keep.
pub fn check(bytes: &[u8], allowed: &[Kind], limit: usize) -> Result<(Kind, Vec<u8>), AppError> {
    if bytes.is_empty() {
        return Err(refuse("文件是空的，请重新选择"));
    }
    if bytes.len() > limit {
        return Err(refuse(&format!("文件超过{}MB，请压缩后再上传", limit / 1024 / 1024)));
    }
    let kind = sniff(bytes).filter(|k| allowed.contains(k)).ok_or_else(|| refuse(&format!("不支持这种文件，请上传{}", describe(allowed))))?;
    let kept = match kind {
        Kind::Jpeg => strip_jpeg(bytes),
        Kind::Png => strip_png(bytes),
        _ => Some(bytes.to_vec()),
    }
    .ok_or_else(|| refuse("图片已损坏，无法读取，请重新拍摄或选择"))?;
    Ok((kind, kept))
}

fn describe(allowed: &[Kind]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for kind in allowed {
        let name = match kind {
            Kind::Jpeg | Kind::Png => "图片（JPG、PNG）",
            Kind::Pdf => "PDF",
            Kind::Docx | Kind::OleDocument => "Word",
            Kind::Xlsx => "Excel",
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join("、")
}

/// Drops every APPn segment but JFIF (APP0), ICC colour (APP2) and Adobe (APP14), and
/// comments; returns `None` when the file is not a well-formed JPEG up to its scan.
pub fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    loop {
        if bytes.get(at)? != &0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        if marker == 0xD9 {
            out.extend_from_slice(&bytes[at..at + 2]);
            return Some(out);
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]));
        if length < 2 {
            return None;
        }
        let end = at + 2 + length;
        let segment = bytes.get(at..end)?;
        let drop = matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE);
        if !drop {
            out.extend_from_slice(segment);
        }
        if marker == 0xDA {
            // Start of scan: the entropy-coded data and the rest follow as they are.
            out.extend_from_slice(&bytes[end..]);
            return Some(out);
        }
        at = end;
    }
}

/// Drops PNG chunks that carry metadata (eXIf, text, time); `None` when malformed.
pub fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..8]);
    let mut at = 8;
    while at < bytes.len() {
        let length = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let end = at.checked_add(12)?.checked_add(length)?;
        let chunk = bytes.get(at..end)?;
        let kind = &chunk[4..8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

/// Keeps checked bytes in the store and records them. If the record cannot be written,
/// the stored bytes are removed again.
pub async fn save(
    db: &DatabaseConnection,
    store: &Store,
    purpose: &str,
    original_name: &str,
    kind: Kind,
    bytes: Vec<u8>,
    uploaded_by: Option<i32>,
) -> Result<stored_file::Model, AppError> {
    let now = Utc::now();
    let key = format!("{purpose}/{}/{:02}/{}", now.year(), now.month(), crate::ssr::crypto::random_token());
    let path = StorePath::from(key.as_str());
    let size = bytes.len() as i64;
    let sha256 = hex(&Sha256::digest(&bytes));
    store.put(&path, bytes.into()).await.map_err(anyhow::Error::from)?;
    let name: String = original_name.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(100).collect();
    let row = stored_file::ActiveModel {
        storage_key: Set(key),
        purpose: Set(purpose.to_owned()),
        content_type: Set(kind.content_type().to_owned()),
        size: Set(size),
        original_name: Set(if name.is_empty() { "file".to_owned() } else { name }),
        sha256: Set(sha256),
        uploaded_by: Set(uploaded_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(row) => Ok(row),
        Err(err) => {
            let _ = store.delete(&path).await;
            Err(err.into())
        }
    }
}

/// A stored file's record and bytes.
pub async fn load(db: &DatabaseConnection, store: &Store, id: i32) -> Result<(stored_file::Model, axum::body::Bytes), AppError> {
    let row = stored_file::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let bytes = store
        .get(&StorePath::from(row.storage_key.as_str()))
        .await
        .map_err(anyhow::Error::from)?
        .bytes()
        .await
        .map_err(anyhow::Error::from)?;
    Ok((row, bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Kind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"PK\x03\x04....word/document.xml"), Some(Kind::Docx));
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml"), Some(Kind::Xlsx));
        assert_eq!(sniff(b"PK\x03\x04....other"), None);
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }

    #[test]
    fn exif_is_stripped_and_the_picture_kept() {
        // SOI, APP0 (JFIF), APP1 (EXIF with a GPS tag), SOS with scan data, EOI.
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]);
        jpeg.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x0A, b'E', b'x', b'i', b'f', 0, 0, b'G', b'P']);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 1, 2, 0x55, 0x66, 0xFF, 0xD9]);
        let (kind, kept) = check(&jpeg, SAMPLE_KINDS, SAMPLE_LIMIT_BYTES).expect("accepted");
        assert_eq!(kind, Kind::Jpeg);
        assert!(!kept.windows(4).any(|w| w == b"Exif"), "EXIF gone");
        assert!(kept.windows(4).any(|w| w == b"JFIF"), "JFIF kept");
        assert!(kept.ends_with(&[0x55, 0x66, 0xFF, 0xD9]), "scan kept");
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let reason = |r: Result<(Kind, Vec<u8>), AppError>| match r {
            Err(AppError::Rejected(reasons)) => reasons.join(""),
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert!(reason(check(b"", SAMPLE_KINDS, 10)).contains("空"));
        assert!(reason(check(b"%PDF-1.4 long", SAMPLE_KINDS, 5)).contains("超过"));
        assert!(reason(check(b"MZ\x90\x00", SAMPLE_KINDS, 100)).contains("不支持"));
        assert!(reason(check(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00], SAMPLE_KINDS, 100)).contains("损坏"));
        assert!(reason(check(b"\x89PNG\r\n\x1a\n\x00\x00", SAMPLE_KINDS, 100)).contains("损坏"));
    }
}

//! Stored files: what a file is, decided from its bytes; image metadata stripped; the
//! bytes kept in an object store (local disk by default, outside any web root) and a
//! row in `stored_files` saying what they are.

use crate::error::AppError;
use crate::i18n::{FileKindName, UploadReason};
use crate::ssr::entities::stored_file;
use chrono::{Datelike, Utc};
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The object store files live in.
pub type Store = Arc<dyn ObjectStore>;

/// Opens the store the configuration names: a folder on local disk, or an
/// S3-compatible bucket.
pub fn open_store(config: &crate::ssr::config::Config) -> anyhow::Result<Store> {
    use crate::ssr::config::Storage;
    match &config.storage {
        Storage::Local => {
            std::fs::create_dir_all(&config.upload_dir)?;
            Ok(Arc::new(object_store::local::LocalFileSystem::new_with_prefix(&config.upload_dir)?))
        }
        Storage::S3(s3) => {
            // HTTPS to the bucket uses ring, as the database and mail connections do.
            let _ = rustls::crypto::ring::default_provider().install_default();
            let mut builder = object_store::aws::AmazonS3Builder::new()
                .with_bucket_name(&s3.bucket)
                .with_region(&s3.region)
                .with_access_key_id(&s3.access_key_id)
                .with_secret_access_key(s3.secret_access_key.expose());
            if let Some(endpoint) = &s3.endpoint {
                // Plain HTTP only when the operator names an http:// endpoint (a
                // service on the same host or private network).
                builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
            }
            let store: Store = Arc::new(builder.build()?);
            Ok(if s3.prefix.is_empty() { store } else { Arc::new(object_store::prefix::PrefixStore::new(store, s3.prefix.as_str())) })
        }
    }
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
    /// WebP, as some phones save photos.
    Webp,
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
            Kind::Webp => "image/webp",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png | Kind::Webp)
    }

    /// Whether a browser may show it in place; anything else downloads.
    pub fn inline(content_type: &str) -> bool {
        matches!(content_type, "image/jpeg" | "image/png" | "image/webp" | "application/pdf")
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
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(Kind::Webp)
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

/// A size limit in whole megabytes, as refusals name it.
pub fn megabytes(limit: usize) -> u64 {
    (limit / 1024 / 1024) as u64
}

/// Checks `bytes` against `allowed` and `limit`, and strips image metadata (EXIF,
/// including the location a phone camera writes). Returns the kind and the bytes to keep.
pub fn check(bytes: &[u8], allowed: &[Kind], limit: usize) -> Result<(Kind, Vec<u8>), AppError> {
    if bytes.is_empty() {
        return Err(AppError::refused(UploadReason::Empty));
    }
    if bytes.len() > limit {
        return Err(AppError::refused(UploadReason::TooLarge { limit_mb: megabytes(limit) }));
    }
    let kind = sniff(bytes).filter(|k| allowed.contains(k)).ok_or_else(|| AppError::refused(unsupported(allowed)))?;
    let kept = match kind {
        Kind::Jpeg => strip_jpeg(bytes),
        Kind::Png => strip_png(bytes),
        _ => Some(bytes.to_vec()),
    }
    .ok_or_else(|| AppError::refused(UploadReason::BrokenImage))?;
    Ok((kind, kept))
}

/// The refusal of a file of another kind, naming the kinds `allowed`.
fn unsupported(allowed: &[Kind]) -> UploadReason {
    let mut kinds: Vec<FileKindName> = Vec::new();
    for kind in allowed {
        let name = match kind {
            Kind::Jpeg | Kind::Png | Kind::Webp => FileKindName::Image,
            Kind::Pdf => FileKindName::Pdf,
            Kind::Docx | Kind::OleDocument => FileKindName::Word,
            Kind::Xlsx => FileKindName::Excel,
        };
        if !kinds.contains(&name) {
            kinds.push(name);
        }
    }
    UploadReason::Unsupported { kinds }
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
    let key = new_key(purpose, now);
    let stored = Stored { key: key.clone(), size: bytes.len() as i64, sha256: hex(&Sha256::digest(&bytes)) };
    store.put(&StorePath::from(key.as_str()), bytes.into()).await.map_err(anyhow::Error::from)?;
    let row = record(db, &stored, purpose, original_name, kind, uploaded_by, now).await;
    if row.is_err() {
        forget(store, &key).await;
    }
    row
}

/// A fresh object key: `purpose/year/month/random`.
fn new_key(purpose: &str, now: chrono::DateTime<Utc>) -> String {
    format!("{purpose}/{}/{:02}/{}", now.year(), now.month(), crate::ssr::crypto::random_token())
}

/// A stored file's record and bytes.
pub async fn load(db: &DatabaseConnection, store: &Store, id: i32) -> Result<(stored_file::Model, axum::body::Bytes), AppError> {
    let row = stored_file::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let bytes = store.get(&StorePath::from(row.storage_key.as_str())).await.map_err(anyhow::Error::from)?.bytes().await.map_err(anyhow::Error::from)?;
    Ok((row, bytes))
}

// ---- streamed uploads (case materials) ------------------------------------------

/// An upload on local disk, waiting to be checked or stored; removed when dropped.
#[derive(Debug)]
pub struct TempFile {
    pub path: std::path::PathBuf,
    pub size: u64,
    pub sha256: String,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where uploads wait while they arrive: never served, emptied at startup.
pub fn temp_dir(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("tmp-uploads")
}

fn temp_path(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join(format!("{}.part", crate::ssr::crypto::random_token()))
}

/// Receives one multipart field into a temporary file, chunk by chunk, so memory stays
/// flat however large the file. Refuses (and removes what arrived) when it grows past
/// `limit` or the upload breaks off.
pub async fn receive(field: &mut axum::extract::multipart::Field<'_>, dir: &std::path::Path, limit: usize) -> Result<TempFile, AppError> {
    use tokio::io::AsyncWriteExt;
    tokio::fs::create_dir_all(dir).await.map_err(anyhow::Error::from)?;
    let path = temp_path(dir);
    let mut out = tokio::fs::File::create(&path).await.map_err(anyhow::Error::from)?;
    let mut temp = TempFile { path, size: 0, sha256: String::new() };
    let mut hasher = Sha256::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                temp.size += chunk.len() as u64;
                if temp.size > limit as u64 {
                    return Err(AppError::refused(UploadReason::TooLarge { limit_mb: megabytes(limit) }));
                }
                hasher.update(&chunk);
                out.write_all(&chunk).await.map_err(anyhow::Error::from)?;
            }
            Ok(None) => break,
            Err(_) => return Err(AppError::refused(UploadReason::Interrupted)),
        }
    }
    out.flush().await.map_err(anyhow::Error::from)?;
    if temp.size == 0 {
        return Err(AppError::refused(UploadReason::Empty));
    }
    temp.sha256 = hex(&hasher.finalize());
    Ok(temp)
}

/// Checks what a received file is (by its bytes), that it is whole, and writes a copy
/// without metadata (EXIF and GPS of photos, text chunks): the file to keep.
pub async fn clean(temp: TempFile, allowed: &'static [Kind]) -> Result<(Kind, TempFile), AppError> {
    tokio::task::spawn_blocking(move || clean_blocking(temp, allowed)).await.map_err(|e| anyhow::anyhow!("cleaning task failed: {e}"))?
}

fn clean_blocking(temp: TempFile, allowed: &[Kind]) -> Result<(Kind, TempFile), AppError> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |e: std::io::Error| AppError::from(anyhow::Error::from(e));
    let mut input = std::fs::File::open(&temp.path).map_err(io)?;
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut input, &mut head).map_err(io)?;
    head.truncate(n);
    let kind = sniff(&head).filter(|k| allowed.contains(k)).ok_or_else(|| AppError::refused(unsupported(allowed)))?;
    let broken = || AppError::refused(UploadReason::Broken);
    // The end of the file says whether it arrived whole.
    let tail_len = temp.size.min(1024);
    input.seek(SeekFrom::Start(temp.size - tail_len)).map_err(io)?;
    let mut tail = vec![0u8; tail_len as usize];
    input.read_exact(&mut tail).map_err(io)?;
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    input.seek(SeekFrom::Start(0)).map_err(io)?;
    let out_path = temp_path(temp.path.parent().unwrap_or(std::path::Path::new(".")));
    let mut cleaned = TempFile { path: out_path, size: 0, sha256: String::new() };
    let written = match kind {
        Kind::Jpeg if contains(&tail, &[0xFF, 0xD9]) => strip_jpeg_stream(&mut input, &cleaned.path),
        Kind::Png if contains(&tail, b"IEND") => strip_png_stream(&mut input, &cleaned.path),
        Kind::Webp => strip_webp_stream(&mut input, temp.size, &cleaned.path),
        Kind::Pdf if contains(&tail, b"%%EOF") => {
            drop(input);
            std::fs::copy(&temp.path, &cleaned.path).map_err(io)?;
            Some(())
        }
        _ => None,
    };
    if written.is_none() {
        return Err(broken());
    }
    let (size, sha256) = hash_file(&cleaned.path).map_err(io)?;
    cleaned.size = size;
    cleaned.sha256 = sha256;
    Ok((kind, cleaned))
}

fn read_up_to(input: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn hash_file(path: &std::path::Path) -> std::io::Result<(u64, String)> {
    use std::io::Read;
    let mut file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hex(&hasher.finalize())))
}

/// The streamed form of [`strip_jpeg`]: header segments are read one by one, the
/// scan data is copied through.
fn strip_jpeg_stream(input: &mut std::fs::File, out: &std::path::Path) -> Option<()> {
    use std::io::{BufReader, BufWriter, Read, Write, copy};
    let mut reader = BufReader::new(input);
    let mut writer = BufWriter::new(std::fs::File::create(out).ok()?);
    let mut two = [0u8; 2];
    reader.read_exact(&mut two).ok()?;
    writer.write_all(&two).ok()?;
    loop {
        reader.read_exact(&mut two).ok()?;
        if two[0] != 0xFF {
            return None;
        }
        let marker = two[1];
        if marker == 0xD9 {
            writer.write_all(&two).ok()?;
            break;
        }
        let mut len = [0u8; 2];
        reader.read_exact(&mut len).ok()?;
        let length = u64::from(u16::from_be_bytes(len));
        if length < 2 {
            return None;
        }
        let drop = matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE);
        let mut body = (&mut reader).take(length - 2);
        if drop {
            if copy(&mut body, &mut std::io::sink()).ok()? != length - 2 {
                return None;
            }
        } else {
            writer.write_all(&two).ok()?;
            writer.write_all(&len).ok()?;
            if copy(&mut body, &mut writer).ok()? != length - 2 {
                return None;
            }
        }
        if marker == 0xDA {
            copy(&mut reader, &mut writer).ok()?;
            break;
        }
    }
    writer.flush().ok()
}

/// The streamed form of [`strip_png`].
fn strip_png_stream(input: &mut std::fs::File, out: &std::path::Path) -> Option<()> {
    use std::io::{BufReader, BufWriter, Read, Write, copy};
    let mut reader = BufReader::new(input);
    let mut writer = BufWriter::new(std::fs::File::create(out).ok()?);
    let mut signature = [0u8; 8];
    reader.read_exact(&mut signature).ok()?;
    writer.write_all(&signature).ok()?;
    loop {
        let mut header = [0u8; 8];
        reader.read_exact(&mut header).ok()?;
        let length = u64::from(u32::from_be_bytes(header[..4].try_into().ok()?));
        let kind = [header[4], header[5], header[6], header[7]];
        let mut body = (&mut reader).take(length + 4); // data and CRC
        if matches!(&kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            if copy(&mut body, &mut std::io::sink()).ok()? != length + 4 {
                return None;
            }
        } else {
            writer.write_all(&header).ok()?;
            if copy(&mut body, &mut writer).ok()? != length + 4 {
                return None;
            }
        }
        if &kind == b"IEND" {
            return writer.flush().ok();
        }
    }
}

/// WebP (RIFF): drops the EXIF and XMP chunks and clears their flags. The RIFF size
/// must match the file, so a cut-off upload is refused.
fn strip_webp_stream(input: &mut std::fs::File, size: u64, out: &std::path::Path) -> Option<()> {
    use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write, copy};
    let mut header = [0u8; 12];
    input.read_exact(&mut header).ok()?;
    if u64::from(u32::from_le_bytes(header[4..8].try_into().ok()?)) + 8 != size {
        return None;
    }
    // First pass: the chunks and which to keep.
    let mut chunks = Vec::new();
    let mut at = 12u64;
    while at < size {
        input.seek(SeekFrom::Start(at)).ok()?;
        let mut chunk = [0u8; 8];
        input.read_exact(&mut chunk).ok()?;
        let length = u64::from(u32::from_le_bytes(chunk[4..8].try_into().ok()?));
        let total = 8 + length + (length & 1);
        if at + total > size {
            return None;
        }
        let keep = !matches!(&chunk[..4], b"EXIF" | b"XMP ");
        chunks.push((at, total, keep, [chunk[0], chunk[1], chunk[2], chunk[3]]));
        at += total;
    }
    let body: u64 = chunks.iter().filter(|c| c.2).map(|c| c.1).sum();
    let mut writer = BufWriter::new(std::fs::File::create(out).ok()?);
    writer.write_all(b"RIFF").ok()?;
    writer.write_all(&u32::try_from(body + 4).ok()?.to_le_bytes()).ok()?;
    writer.write_all(b"WEBP").ok()?;
    for (start, total, keep, fourcc) in chunks {
        if !keep {
            continue;
        }
        input.seek(SeekFrom::Start(start)).ok()?;
        let mut reader = BufReader::new(&mut *input).take(total);
        if &fourcc == b"VP8X" {
            let mut first = [0u8; 9];
            reader.read_exact(&mut first).ok()?;
            first[8] &= !(0x08 | 0x04); // EXIF and XMP present
            writer.write_all(&first).ok()?;
        }
        copy(&mut reader, &mut writer).ok()?;
    }
    writer.flush().ok()
}

/// Bytes placed in the object store, not yet recorded.
#[derive(Clone, Debug)]
pub struct Stored {
    pub key: String,
    pub size: i64,
    pub sha256: String,
}

/// Copies a cleaned temporary file into the object store in parts (memory stays flat).
/// The object appears only when complete: the local store writes a staging file and
/// renames it, S3 completes the multipart upload.
pub async fn put_temp(store: &Store, purpose: &str, temp: &TempFile) -> Result<Stored, AppError> {
    use object_store::WriteMultipart;
    use tokio::io::AsyncReadExt;
    let key = new_key(purpose, Utc::now());
    let path = StorePath::from(key.as_str());
    let upload = store.put_multipart(&path).await.map_err(anyhow::Error::from)?;
    let mut writer = WriteMultipart::new_with_chunk_size(upload, 5 * 1024 * 1024);
    let mut file = tokio::fs::File::open(&temp.path).await.map_err(anyhow::Error::from)?;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match file.read(&mut buf).await {
            Ok(n) => n,
            Err(err) => {
                let _ = writer.abort().await;
                return Err(anyhow::Error::from(err).into());
            }
        };
        if n == 0 {
            break;
        }
        if let Err(err) = writer.wait_for_capacity(2).await {
            return Err(anyhow::Error::from(err).into());
        }
        writer.write(&buf[..n]);
    }
    writer.finish().await.map_err(anyhow::Error::from)?;
    Ok(Stored { key, size: temp.size as i64, sha256: temp.sha256.clone() })
}

/// Records stored bytes (inside the caller's transaction).
pub async fn record(
    db: &impl sea_orm::ConnectionTrait,
    stored: &Stored,
    purpose: &str,
    original_name: &str,
    kind: Kind,
    uploaded_by: Option<i32>,
    now: chrono::DateTime<Utc>,
) -> Result<stored_file::Model, AppError> {
    let name: String = original_name.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(100).collect();
    Ok(stored_file::ActiveModel {
        storage_key: Set(stored.key.clone()),
        purpose: Set(purpose.to_owned()),
        content_type: Set(kind.content_type().to_owned()),
        size: Set(stored.size),
        original_name: Set(if name.is_empty() { "file".to_owned() } else { name }),
        sha256: Set(stored.sha256.clone()),
        uploaded_by: Set(uploaded_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Removes stored bytes whose record could not be written.
pub async fn forget(store: &Store, key: &str) {
    if let Err(err) = store.delete(&StorePath::from(key)).await {
        tracing::warn!(error = %err, key, "could not remove an unrecorded object");
    }
}

/// A response body streamed from the store.
pub type Body = axum::body::Body;

/// A stored file's record and its bytes as a stream.
pub async fn open(db: &DatabaseConnection, store: &Store, id: i32) -> Result<(stored_file::Model, Body), AppError> {
    let row = stored_file::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let found = store.get(&StorePath::from(row.storage_key.as_str())).await.map_err(anyhow::Error::from)?;
    Ok((row, Body::from_stream(found.into_stream())))
}

/// At startup: empties the temporary upload folder, removes local staging files of
/// uploads that never finished, and objects under `case/` older than an hour that no
/// record points at (a crash between storing and recording). Returns how many objects
/// it removed.
pub async fn cleanup_stragglers(db: &DatabaseConnection, store: &Store, temp: &std::path::Path, upload_dir: &std::path::Path) -> Result<usize, AppError> {
    use futures_util::StreamExt;
    let _ = std::fs::remove_dir_all(temp);
    let hour_ago = Utc::now() - chrono::Duration::hours(1);
    remove_staging(upload_dir, hour_ago);
    let mut listing = store.list(Some(&StorePath::from("case")));
    let mut candidates = Vec::new();
    while let Some(meta) = listing.next().await {
        let meta = meta.map_err(anyhow::Error::from)?;
        if meta.last_modified < hour_ago {
            candidates.push(meta.location.to_string());
        }
    }
    let mut removed = 0;
    for chunk in candidates.chunks(500) {
        let known: std::collections::HashSet<String> = stored_file::Entity::find()
            .filter(sea_orm::ColumnTrait::is_in(&stored_file::Column::StorageKey, chunk.iter().cloned()))
            .all(db)
            .await?
            .into_iter()
            .map(|f| f.storage_key)
            .collect();
        for key in chunk.iter().filter(|k| !known.contains(*k)) {
            forget(store, key).await;
            removed += 1;
        }
    }
    Ok(removed)
}

fn remove_staging(dir: &std::path::Path, before: chrono::DateTime<Utc>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_staging(&path, before);
        } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains('#'))
            && entry.metadata().and_then(|m| m.modified()).is_ok_and(|m| chrono::DateTime::<Utc>::from(m) < before)
        {
            let _ = std::fs::remove_file(path);
        }
    }
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
            Err(AppError::Rejected(reasons)) => reasons.iter().map(crate::i18n::Reason::zh).collect::<String>(),
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert!(reason(check(b"", SAMPLE_KINDS, 10)).contains("空"));
        assert!(reason(check(b"%PDF-1.4 long", SAMPLE_KINDS, 5)).contains("超过"));
        assert!(reason(check(b"MZ\x90\x00", SAMPLE_KINDS, 100)).contains("不支持"));
        assert!(reason(check(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00], SAMPLE_KINDS, 100)).contains("损坏"));
        assert!(reason(check(b"\x89PNG\r\n\x1a\n\x00\x00", SAMPLE_KINDS, 100)).contains("损坏"));
    }
}

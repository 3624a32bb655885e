//! What the plain HTTP handlers of every feature share: reading a multipart file
//! field within a limit, sending a stored file, percent-encoding a query value.

use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Reason;
use crate::ssr::auth::CurrentUser;
use crate::ssr::files;
use axum::extract::Multipart;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

/// The most a small-file route (catalogue import, samples, the calendar) reads of a
/// file into memory: the largest of their limits (5 MB) and a little more, so a file
/// just over a limit gets its own reason from the check.
pub const SMALL_FILE_LIMIT_BYTES: usize = 5 * 1024 * 1024 + 64 * 1024;

/// The one file field of a multipart form, as (file name, bytes), read up to `limit`;
/// `Err` with `too_large` when the upload broke off or was too large.
pub async fn file_field(multipart: &mut Multipart, limit: usize, too_large: Reason) -> Result<Option<(String, axum::body::Bytes)>, Reason> {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                match read_limited(field, limit).await {
                    Some(bytes) => file = Some((name, axum::body::Bytes::from(bytes))),
                    None => return Err(too_large),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(file.filter(|(_, b)| !b.is_empty())),
            Err(_) => return Err(too_large),
        }
    }
}

pub fn require_chief(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Chief { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Whether the caller is the page's upload script (it wants JSON, not a redirect).
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"))
}

/// A stored file as a private download: its own type, `nosniff` (set for every
/// response), a file name, never cached by proxies.
pub fn stored_file(found: Result<(crate::ssr::entities::stored_file::Model, files::Body), AppError>) -> Response {
    match found {
        Ok((row, body)) => {
            let disposition = if files::Kind::inline(&row.content_type) { "inline" } else { "attachment" };
            (
                [
                    (header::CONTENT_TYPE, row.content_type.clone()),
                    (header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{}", encode(&row.original_name))),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => err.into_response(),
    }
}

/// The largest text field of a multipart form (the longest feedback is far shorter).
const TEXT_FIELD_LIMIT: usize = 64 * 1024;

/// A text field of a multipart form, read chunk by chunk and refused past
/// [`TEXT_FIELD_LIMIT`]: a 60 MB "text" field never sits in memory.
pub async fn small_text(field: axum::extract::multipart::Field<'_>) -> Option<String> {
    String::from_utf8(read_limited(field, TEXT_FIELD_LIMIT).await?).ok()
}

/// A field's bytes, read chunk by chunk; `None` past `limit` or when the body broke off.
pub async fn read_limited(mut field: axum::extract::multipart::Field<'_>, limit: usize) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.ok()? {
        if bytes.len() + chunk.len() > limit {
            return None;
        }
        bytes.extend_from_slice(&chunk);
    }
    Some(bytes)
}

/// Percent-encodes a query or path value (RFC 3986: only unreserved characters stay).
pub fn encode(s: &str) -> String {
    const VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(s, VALUE).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_all_but_unreserved_characters() {
        assert_eq!(super::encode("a-b_c.d~e f/?&=中"), "a-b_c.d~e%20f%2F%3F%26%3D%E4%B8%AD");
    }
}

//! Rendered guide pages for visitors, kept in memory.
//!
//! The guides (`/guides`, `/guides/{code}`, its print and history pages) are the same
//! for every visitor who is not signed in, apart from the CSP nonce, which must be new
//! in every response. A cached page is therefore kept as the pieces between its nonces
//! and sent with a fresh nonce spliced in, and a matching CSP header.
//!
//! Staleness: every catalogue change bumps the `catalogue` counter in the same
//! transaction. This server reads the counter after each state-changing request it
//! serves, and at most once a second while serving from the cache, so a change made
//! through any app server shows everywhere within a second.

use app::prefs::Prefs;
use app::security::csp;
use app::ssr::AppState;
use app::ssr::db::{CATALOGUE_COUNTER, read_counter};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How often a serving server looks for catalogue changes made elsewhere.
const RECHECK: Duration = Duration::from_secs(1);
/// Most pages kept; past it the cache starts afresh (search pages have open-ended URLs).
const MAX_ENTRIES: usize = 2_000;
/// Largest page kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    entries: RwLock<HashMap<Key, Arc<Cached>>>,
    /// The catalogue counter the entries were rendered under (-1: not read yet).
    generation: AtomicI64,
    /// Milliseconds since `started` of the last counter read.
    checked_at: AtomicU64,
    started: Instant,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    prefs: (app::i18n::Lang, bool),
}

struct Cached {
    /// The page split at each occurrence of its nonce.
    pieces: Vec<Bytes>,
    content_type: HeaderValue,
    generation: i64,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache(Arc::new(Inner {
            entries: RwLock::new(HashMap::new()),
            generation: AtomicI64::new(-1),
            checked_at: AtomicU64::new(0),
            started: Instant::now(),
        }))
    }
}

fn is_cacheable_path(path: &str) -> bool {
    path == "/guides" || path.starts_with("/guides/")
}

/// The cache key of a visitor's GET of a guide page; `None` for anything else.
fn key_of(request: &Request) -> Option<Key> {
    if request.method() != Method::GET || !is_cacheable_path(request.uri().path()) {
        return None;
    }
    let cookies = request.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join("; ");
    let signed_in = cookies.split(';').any(|pair| pair.trim().starts_with(app::ssr::auth::SESSION_COOKIE));
    if signed_in {
        return None;
    }
    let prefs = Prefs::from_cookie_header(&cookies);
    let path_and_query = request.uri().path_and_query().map(|p| p.as_str().to_owned())?;
    Some(Key { path_and_query, prefs: (prefs.lang, prefs.elder) })
}

impl PageCache {
    fn now_ms(&self) -> u64 {
        self.0.started.elapsed().as_millis() as u64
    }

    /// Reads the catalogue counter; a change empties the cache.
    async fn refresh(&self, state: &AppState) {
        self.0.checked_at.store(self.now_ms(), Ordering::Relaxed);
        match read_counter(&state.db, CATALOGUE_COUNTER).await {
            Ok(value) => {
                if self.0.generation.swap(value, Ordering::AcqRel) != value {
                    self.write().clear();
                }
            }
            Err(err) => tracing::warn!(error = %err, "reading the catalogue counter"),
        }
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Key, Arc<Cached>>> {
        self.0.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn get(&self, key: &Key) -> Option<Arc<Cached>> {
        let entries = self.0.entries.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(key).filter(|c| c.generation == self.0.generation.load(Ordering::Acquire)).cloned()
    }

    fn put(&self, key: Key, cached: Cached) {
        let mut entries = self.write();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, Arc::new(cached));
    }
}

/// The middleware: serves visitors' guide pages from the cache, fills it, and notices
/// catalogue changes.
pub async fn serve(State((cache, state)): State<(PageCache, AppState)>, request: Request, next: Next) -> Response {
    let Some(key) = key_of(&request) else {
        let changes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let response = next.run(request).await;
        if changes {
            cache.refresh(&state).await;
        }
        return response;
    };
    let due = cache.now_ms().saturating_sub(cache.0.checked_at.load(Ordering::Relaxed)) >= RECHECK.as_millis() as u64;
    if due || cache.0.generation.load(Ordering::Acquire) < 0 {
        cache.refresh(&state).await;
    }
    if let Some(cached) = cache.get(&key) {
        return respond(&cached);
    }
    let generation = cache.0.generation.load(Ordering::Acquire);
    let response = next.run(request).await;
    let Some(nonce) = nonce_of(&response) else {
        return response;
    };
    let keep = response.status() == StatusCode::OK && !response.headers().contains_key(header::SET_COOKIE);
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(error = %err, "reading a rendered page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let (true, Some(content_type)) = (keep, content_type) {
        cache.put(key, Cached { pieces: split(&bytes, nonce.as_bytes()), content_type, generation });
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The nonce the page's CSP header allows.
fn nonce_of(response: &Response) -> Option<String> {
    let policy = response.headers().get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = start + policy[start..].find('\'')?;
    Some(policy[start..end].to_owned())
}

fn split(page: &Bytes, nonce: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut from = 0;
    let mut at = 0;
    while at + nonce.len() <= page.len() {
        if &page[at..at + nonce.len()] == nonce {
            pieces.push(page.slice(from..at));
            at += nonce.len();
            from = at;
        } else {
            at += 1;
        }
    }
    pieces.push(page.slice(from..));
    pieces
}

fn respond(cached: &Cached) -> Response {
    let nonce = app::ssr::crypto::random_token();
    let length = cached.pieces.iter().map(Bytes::len).sum::<usize>() + nonce.len() * (cached.pieces.len() - 1);
    let mut page = Vec::with_capacity(length);
    for (n, piece) in cached.pieces.iter().enumerate() {
        if n > 0 {
            page.extend_from_slice(nonce.as_bytes());
        }
        page.extend_from_slice(piece);
    }
    let policy = HeaderValue::from_str(&csp(Some(&nonce))).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    let mut response = Response::new(Body::from(page));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, cached.content_type.clone());
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_at_every_nonce() {
        let page = Bytes::from_static(b"<script nonce=\"N1x\">a</script><b nonce=\"N1x\">");
        let pieces = split(&page, b"N1x");
        assert_eq!(pieces.len(), 3);
        assert_eq!(&pieces[0][..], b"<script nonce=\"");
        assert_eq!(&pieces[2][..], b"\">");
        assert_eq!(split(&Bytes::from_static(b"plain"), b"N1x").len(), 1);
    }
}

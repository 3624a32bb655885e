//! Rendered guide pages for visitors, kept in memory and sent as they are.
//!
//! The guides (`/guides`, `/guides/{code}`, its print and history pages) are the same
//! for every visitor who is not signed in. They are rendered without a CSP nonce (see
//! `app::security::is_shared_page`); instead their policy lists the SHA-256 hashes of
//! the page's own inline scripts, which blocks an injected script just as a nonce does
//! and keeps the bytes identical from one response to the next. So a page is kept
//! whole, with its gzip and brotli forms made once, and a hit is a lookup and a copy
//! of a reference. The layer sits outside the others, so hits skip them; it writes the
//! security headers itself.
//!
//! Staleness: every catalogue change bumps the `catalogue` change counter in the same
//! transaction (see `app::ssr::freshness`). A page is kept with the counter it was
//! rendered under and served only while the counter stands. The server that made a
//! change re-reads the counter before answering the request that made it; every other
//! reads it at most once a second while serving, so a change shows everywhere within a
//! second. moka bounds the memory (by bytes) and evicts the least used pages.

use app::prefs::Prefs;
use app::security::{csp_allowing, is_shared_page};
use app::ssr::AppState;
use app::ssr::freshness::{CATALOGUE, Watch};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::sync::Arc;

/// Most bytes kept, over all pages and their encodings (search pages have open-ended URLs).
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Largest page kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    entries: moka::sync::Cache<Key, Arc<Cached>>,
    /// The `catalogue` counter's watch.
    watch: Arc<Watch>,
    /// Headers every page response carries (security headers, HSTS over HTTPS).
    common: HeaderMap,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    prefs: (app::i18n::Lang, bool),
}

/// A page in its three encodings, with its headers.
struct Cached {
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    headers: HeaderMap,
    /// The `catalogue` counter it was rendered under.
    generation: i64,
}

impl Cached {
    fn weight(&self) -> u32 {
        u32::try_from(self.identity.len() + self.gzip.len() + self.brotli.len()).unwrap_or(u32::MAX)
    }
}

impl PageCache {
    pub fn new(state: &AppState) -> PageCache {
        let mut common = HeaderMap::new();
        common.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        common.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
        common.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        common.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        common.insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie"));
        if state.config.is_https() {
            common.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
        }
        let entries = moka::sync::Cache::builder().max_capacity(MAX_BYTES).weigher(|_, cached: &Arc<Cached>| cached.weight()).build();
        PageCache(Arc::new(Inner { entries, watch: state.watches.get(CATALOGUE), common }))
    }
}

/// The cache key of a visitor's GET of a guide page; `None` for anything else.
fn key_of(request: &Request) -> Option<Key> {
    if !is_shared_page(request.method(), request.uri().path(), request.headers()) {
        return None;
    }
    let prefs = Prefs::from_headers(request.headers());
    let path_and_query = request.uri().path_and_query().map(|p| p.as_str().to_owned())?;
    Some(Key { path_and_query, prefs: (prefs.lang, prefs.elder) })
}

/// The middleware: serves visitors' guide pages from the cache and fills it.
pub async fn serve(State((cache, state)): State<(PageCache, AppState)>, mut request: Request, next: Next) -> Response {
    let Some(key) = key_of(&request) else {
        return next.run(request).await;
    };
    let generation = match cache.0.watch.fresh(&state.db).await {
        Ok(generation) => generation,
        Err(err) => {
            tracing::warn!(error = %err, "reading the catalogue counter");
            return next.run(request).await;
        }
    };
    let encoding = Encoding::accepted(request.headers());
    if let Some(cached) = cache.0.entries.get(&key).filter(|c| c.generation == generation) {
        return respond(&cache, &cached, encoding);
    }
    // Render uncompressed: the cache compresses once for everyone.
    request.headers_mut().remove(header::ACCEPT_ENCODING);
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING);
    if !keep {
        return response;
    }
    let nonce = nonce_of(&response);
    let (parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => match nonce {
            Some(nonce) => without_nonce(&bytes, &nonce),
            None => bytes,
        },
        Err(err) => {
            tracing::warn!(error = %err, "reading a rendered page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = HeaderMap::new();
    if let Some(content_type) = parts.headers.get(header::CONTENT_TYPE) {
        headers.insert(header::CONTENT_TYPE, content_type.clone());
    }
    let policy = csp_allowing(&script_hashes(&identity).join(" "));
    match HeaderValue::from_str(&policy) {
        Ok(value) => headers.insert(header::CONTENT_SECURITY_POLICY, value),
        Err(_) => return Response::from_parts(parts, Body::from(identity)),
    };
    let cached = Arc::new(Cached { gzip: gzip(&identity), brotli: brotli(&identity), identity, headers, generation });
    // A page rendered before the catalogue moved is sent, not kept.
    if generation == cache.0.watch.current() {
        cache.0.entries.insert(key, cached.clone());
    }
    respond(&cache, &cached, encoding)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best encoding the client accepts (brotli, then gzip); `q=0` refuses one.
    fn accepted(headers: &HeaderMap) -> Encoding {
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()) {
            for item in value.split(',') {
                let mut parts = item.split(';').map(str::trim);
                let name = parts.next().unwrap_or("");
                let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0));
                match (name, refused) {
                    ("br", false) => return Encoding::Brotli,
                    ("gzip", false) => gzip = true,
                    _ => {}
                }
            }
        }
        if gzip { Encoding::Gzip } else { Encoding::Identity }
    }
}

/// The nonce the rendered page's CSP allows (the renderer always makes one).
fn nonce_of(response: &Response) -> Option<String> {
    let policy = response.headers().get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = start + policy[start..].find('\'')?;
    Some(policy[start..end].to_owned()).filter(|n| !n.is_empty())
}

/// The page with every trace of `nonce` removed: ` nonce="…"` attributes go, and any
/// other use of the value (the renderer also puts it in a `crossorigin` attribute,
/// where an empty value means the same) becomes empty.
fn without_nonce(page: &Bytes, nonce: &str) -> Bytes {
    let Ok(text) = std::str::from_utf8(page) else { return page.clone() };
    Bytes::from(text.replace(&format!(" nonce=\"{nonce}\""), "").replace(nonce, ""))
}

/// `'sha256-…'` of every inline script of `page`, as a CSP source list.
fn script_hashes(page: &[u8]) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(open) = find(&page[at..], b"<script").map(|i| at + i) {
        let Some(tag_end) = find(&page[open..], b">").map(|i| open + i) else { break };
        let Some(close) = find(&page[tag_end..], b"</script>").map(|i| tag_end + i) else { break };
        let tag = &page[open..tag_end];
        if find(tag, b" src=").is_none() {
            let digest = Sha256::digest(&page[tag_end + 1..close]);
            hashes.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        at = close + b"</script>".len();
    }
    hashes.sort();
    hashes.dedup();
    hashes
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn gzip(bytes: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    match encoder.write_all(bytes).and_then(|()| encoder.finish()) {
        Ok(out) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

fn brotli(bytes: &[u8]) -> Bytes {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() };
    match brotli::BrotliCompress(&mut &bytes[..], &mut out, &params) {
        Ok(_) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

fn respond(cache: &PageCache, cached: &Cached, encoding: Encoding) -> Response {
    let (body, coding) = match encoding {
        Encoding::Brotli if !cached.brotli.is_empty() => (cached.brotli.clone(), Some("br")),
        Encoding::Gzip | Encoding::Brotli if !cached.gzip.is_empty() => (cached.gzip.clone(), Some("gzip")),
        _ => (cached.identity.clone(), None),
    };
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.extend(cache.0.common.iter().map(|(k, v)| (k.clone(), v.clone())));
    headers.extend(cached.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Some(coding) = coding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let page = b"<p><script type=\"module\">go()</script><script src=\"/pkg/x.js\"></script><script>go()</script>";
        let hashes = script_hashes(page);
        let expected = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"go()")));
        assert_eq!(hashes, vec![expected], "one inline body (twice), the external script skipped");
        assert!(script_hashes(b"<p>no scripts</p>").is_empty());
    }

    #[test]
    fn nonces_are_removed_from_shared_pages() {
        let page = Bytes::from_static(b"<link crossorigin=\"N1x\"><script type=\"module\" nonce=\"N1x\">go()</script>");
        assert_eq!(&without_nonce(&page, "N1x")[..], b"<link crossorigin=\"\"><script type=\"module\">go()</script>");
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("value"));
            Encoding::accepted(&headers)
        };
        assert_eq!(with("gzip, deflate, br"), Encoding::Brotli);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_forms_round_trip() {
        use std::io::Read as _;
        let page = "<html>便民服务 guides</html>".repeat(50);
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gzip(page.as_bytes())[..]).read_to_string(&mut text).expect("gunzip");
        assert_eq!(text, page);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(page.as_bytes())[..], &mut out).expect("unbrotli");
        assert_eq!(out, page.as_bytes());
    }
}

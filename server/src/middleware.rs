//! Cross-cutting layers: request ids and tracing, timeouts, body limits, compression,
//! security headers and the same-origin check for state-changing requests.

use app::i18n::Msg;
use app::security::csp;
use app::ssr::AppState;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: a per-process random prefix and a counter; short and unique enough to
/// find one request in the logs.
#[derive(Clone)]
struct NextRequestId {
    prefix: String,
    counter: std::sync::Arc<AtomicU64>,
}

impl MakeRequestId for NextRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix)).ok().map(RequestId::new)
    }
}

/// How long an upload may take to arrive.
pub const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// Wraps the app: `uploads` get `upload_limit` as their body limit, everything else the
/// configured one; every other layer applies to both.
pub fn apply(router: Router<AppState>, uploads: Router<AppState>, upload_limit: usize, state: &AppState) -> Router<AppState> {
    let config = &state.config;
    let request_ids = NextRequestId { prefix: app::ssr::crypto::random_token()[..8].to_owned(), counter: Default::default() };
    let hsts = config
        .is_https()
        .then(|| SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains")));
    let default_csp = HeaderValue::from_str(&csp(None)).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    let limit = |bytes: usize| from_fn(move |request: Request, next: Next| body_limit(bytes, request, next));
    let timeout = |limit| TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limit);
    router
        .layer(limit(config.body_limit_bytes))
        .layer(timeout(config.request_timeout))
        // A photo from a phone on a weak village network may take minutes to arrive.
        .merge(uploads.layer(limit(upload_limit)).layer(timeout(UPLOAD_TIMEOUT)))
        .layer(from_fn(server_fn_status))
        .layer(from_fn_with_state(state.clone(), same_origin_guard))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(tower::util::option_layer(hsts))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, default_csp))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, request_ids))
        // A request's writes refresh this server's copies before its response leaves.
        .layer(from_fn_with_state(state.clone(), crate::freshness_layer::follow_writes))
        // Outermost: a cached page skips every layer above (it sets its own headers).
        .layer(from_fn_with_state((crate::page_cache::PageCache::new(state), state.clone()), crate::page_cache::serve))
}

/// CSRF defence: a request that may change state must come from this site, as the
/// browser states in `Sec-Fetch-Site` or `Origin`. A request with neither is refused.
async fn same_origin_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_origin(&state, &request) {
        return next.run(request).await;
    }
    tracing::warn!(origin = ?request.headers().get(header::ORIGIN), "cross-site request refused");
    let body = serde_json::json!({ "error": "CrossSite", "message": Msg::ErrCrossSite.zh() });
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

fn is_same_origin(state: &AppState, request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == state.config.public_url {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, host)| host).unwrap_or(origin);
    headers.get(header::HOST).and_then(|v| v.to_str().ok()).is_some_and(|host| host == origin_host)
}

/// Refuses a body over the limit with 413 and a Chinese message when the client
/// announces its length; a body that streams without one (chunked) is counted as it
/// arrives and cut off at the limit, so memory never holds more than the reader asked
/// for. Handlers see the cut as a failed read and refuse the request; nothing is
/// collected here, and a handler that refuses early (no session) reads nothing at all.
async fn body_limit(limit: usize, request: Request, next: Next) -> Response {
    let announced = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|length| length > limit) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(Paced { inner: http_body_util::Limited::new(body, limit), gave: false });
    next.run(Request::from_parts(parts, limited)).await
}

/// A body that hands out one frame per poll and then yields once.
///
/// The multipart parser (multer) reads its stream for as long as the stream is ready,
/// so on a fast connection it would buffer the whole upload ahead of the handler that
/// streams files to disk — up to the body limit per request. Yielding after each frame
/// lets it take one frame at a time, as the handler consumes them: memory per upload
/// stays at about one frame however large the file.
struct Paced<B> {
    inner: B,
    gave: bool,
}

impl<B: http_body::Body + Unpin> http_body::Body for Paced<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if std::mem::take(&mut self.gave) {
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, std::task::Poll::Ready(Some(Ok(_)))) {
            self.gave = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

fn too_large() -> Response {
    let body = serde_json::json!({ "error": "TooLarge", "message": Msg::ErrTooLarge.zh() });
    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(body)).into_response()
}

/// The largest server-function error body read back to fix its status.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Gives a server function's error the status that fits it. The function's own body
/// sets it (see `app::ssr::respond`), but a request the framework cannot even decode
/// (missing fields, invalid UTF-8, a body cut at the limit) never reaches the body and
/// would go out as a 500; here it becomes a 400 (or 413) with its Chinese message.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let error = <app::error::AppError as server_fn::error::FromServerFnError>::de(bytes.clone());
    parts.status = error.status();
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

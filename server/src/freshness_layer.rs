//! Writes mark their response: a request that bumped a change counter (see
//! `app::ssr::freshness`) has this server re-read that counter before the response
//! leaves, so every in-memory copy here follows the change at once — whatever the URL.

use app::ssr::AppState;
use app::ssr::freshness::recording;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

pub async fn follow_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (response, bumped) = recording(next.run(request)).await;
    if !bumped.is_empty() {
        state.watches.changed_here(&state.db, &bumped).await;
    }
    response
}

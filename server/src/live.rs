//! Server-sent event streams: the hall board (public) and a resident's own tickets.
//! Each stream sends the current state at once and again after every queue change;
//! the browser reconnects after a drop (retry 1 s), e.g. across a server restart.

use app::queue::service;
use app::ssr::AppState;
use app::ssr::auth::CurrentUser;
use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures::Stream;
use std::convert::Infallible;
use std::time::Duration;

pub fn routes() -> Router<AppState> {
    Router::new().route("/board/events", get(board_events)).route("/queue/mine/events", get(my_ticket_events))
}

/// A stream that renders `render(state, version)` now and after each queue change.
fn follow<F, Fut>(state: AppState, receiver: tokio::sync::watch::Receiver<i64>, name: &'static str, render: F) -> impl Stream<Item = Result<Event, Infallible>>
where
    F: Fn(AppState, i64) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Option<String>> + Send,
{
    futures::stream::unfold((state, receiver, render, true), move |(state, mut receiver, render, first)| async move {
        if !first && receiver.changed().await.is_err() {
            return None;
        }
        let version = *receiver.borrow_and_update();
        let event = match render(state.clone(), version).await {
            Some(data) => Event::default().event(name).data(data),
            // A failed read is retried on the next change; say so without a payload.
            None => Event::default().comment("unavailable"),
        };
        let event = if first { event.retry(Duration::from_secs(1)) } else { event };
        Some((Ok(event), (state, receiver, render, false)))
    })
}

async fn board_events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.queue.subscribe(&state.db).await;
    let stream = follow(state, receiver, "board", |state, version| async move {
        let board = service::board(&state.db, version, chrono::Utc::now()).await.ok()?;
        serde_json::to_string(&board).ok()
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn my_ticket_events(State(state): State<AppState>, user: CurrentUser) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.queue.subscribe(&state.db).await;
    let resident = user.id;
    let stream = follow(state, receiver, "tickets", move |state, _| async move {
        let tickets = service::my_tickets(&state.db, resident, chrono::Utc::now()).await.ok()?;
        serde_json::to_string(&tickets).ok()
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

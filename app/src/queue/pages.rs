//! Queue pages: 签到取号 and 窗口叫号 in the console, the hall board (大厅叫号屏) for
//! the TV, and the resident's live ticket. Every action is a form post, so the
//! console works before WASM loads; after hydration the board, the console and the
//! ticket follow the queue live.

use super::{BoardView, CheckIn, ConsoleView, Desk, SetVideoLink, TicketRow, TicketStatus, TicketView, WalkIn};
use super::{CallNext, MarkNoShow, MarkServed, Recall};
use super::{desk_access, hall_board, my_tickets, queue_console};
use crate::booking::{BookingView, Channel, Status as BookingStatus, get_booking};
use crate::components::{EmptyState, LiveRegion, MobilePage, Tab, error_text, first_error, offline_id, use_form_error};
use crate::components::{StaffLayout, refused};
use crate::error::AppError;
use crate::i18n::{Msg, Tr};
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Shows the error of `error` (after a refused form post, with or without WASM).
fn show_error(error: Signal<Option<AppError>>, tr: Tr) -> impl IntoView {
    move || error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })
}

/// `/staff/checkin`: look a booking up by its code (typed or scanned), check it in,
/// attach a video meeting, or issue a walk-in ticket.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let check_in = ServerAction::<CheckIn>::new();
    let walk_in = ServerAction::<WalkIn>::new();
    let video = ServerAction::<SetVideoLink>::new();
    let code = move || query.with(|q| q.get("code").map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty()));
    let issued = move || {
        let from_action = check_in.value().get().and_then(Result::ok).or_else(|| walk_in.value().get().and_then(Result::ok));
        from_action.or_else(|| query.with(|q| q.get("issued")))
    };
    let found = Resource::new(
        move || (code(), video.version().get()),
        |(code, _)| async move {
            match code {
                Some(code) => get_booking(code).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let (check_in_error, walk_in_error, video_error) = (use_form_error(check_in), use_form_error(walk_in), use_form_error(video));
    let access = Resource::new(|| (), |_| desk_access());
    view! {
        <StaffLayout title=Msg::StaffCheckIn>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match access.await {
                        Ok(()) => view! {
            {move || issued().map(|number| view! {
                <section class="console-card ticket-issued" role="status">
                    <p class="cell-hint">{tr.t(Msg::TicketIssued)}</p>
                    <p class="ticket-number" id="issued-number">{number}</p>
                </section>
            })}
            <div class="console-columns">
                <section class="console-card">
                    <h2 class="console-card-title">{tr.t(Msg::LookUpBooking)}</h2>
                    <form method="get" action="/staff/checkin" class="form lookup-form" id="lookup-form">
                        <div class="field">
                            <label class="field-label" for="lookup-code">{tr.t(Msg::CheckInCode)}</label>
                            <input id="lookup-code" name="code" value=code inputmode="latin" autocomplete="off" autocapitalize="characters" maxlength="16" required/>
                        </div>
                        <button type="submit" class="btn btn-primary">{tr.t(Msg::LookUpBooking)}</button>
                        <button type="button" class="btn btn-default" id="scan-start" hidden>{tr.t(Msg::ScanQr)}</button>
                        <video id="scan-video" class="scan-video" hidden playsinline muted aria-label=tr.t(Msg::ScanHint)></video>
                    </form>
                    <script src="/scan.js" defer></script>
                    {show_error(check_in_error, tr)}
                    {show_error(video_error, tr)}
                    <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                        {move || Suspend::new(async move {
                            match found.await {
                                Ok(Some(b)) => view! { <FoundBooking b check_in video/> }.into_any(),
                                Ok(None) => ().into_any(),
                                Err(AppError::NotFound) => view! { <p class="form-error" role="alert">{tr.t(Msg::BookingCodeNotFound)}</p> }.into_any(),
                                Err(err) => refused(err, "/staff/checkin"),
                            }
                        })}
                    </Suspense>
                </section>
                <section class="console-card">
                    <h2 class="console-card-title">{tr.t(Msg::WalkInTitle)}</h2>
                    <ActionForm action=walk_in attr:class="form" attr:id="walk-in-form">
                        <div class="field">
                            <label class="field-label" for="walk-in-label">{tr.t(Msg::WalkInLabel)}</label>
                            <input id="walk-in-label" name="label" maxlength="40" autocomplete="off"/>
                        </div>
                        <label class="choice"><input type="checkbox" name="priority" value="on"/><span>{tr.t(Msg::PriorityLane)}</span></label>
                        {show_error(walk_in_error, tr)}
                        <button type="submit" class="btn btn-primary" disabled=move || walk_in.pending().get()>{tr.t(Msg::IssueTicket)}</button>
                    </ActionForm>
                    <a class="link-center" href="/staff/queue">{tr.t(Msg::StaffQueue)}</a>
                </section>
            </div>
                        }.into_any(),
                        Err(err) => refused(err, "/staff/checkin"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
fn FoundBooking(b: BookingView, check_in: ServerAction<CheckIn>, video: ServerAction<SetVideoLink>) -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let saved = move || query.with(|q| q.get("saved").is_some()) || video.value().get().is_some_and(|r| r.is_ok());
    let can_check_in = b.status == BookingStatus::Booked && b.channel == Channel::Center;
    let video_open = b.channel == Channel::Video && matches!(b.status, BookingStatus::Booked | BookingStatus::CheckedIn);
    let (check_in_code, video_code) = (b.code.clone(), b.code.clone());
    view! {
        <div class="found-booking" id="found-booking">
            <p><span class=format!("status status-{}", b.status.as_str())>{tr.t(b.status.msg())}</span>" "<strong>{b.item_name.clone()}</strong></p>
            <p class="cell-hint">{b.when.text(tr.0)}" · "{tr.t(b.channel.msg())}</p>
            {can_check_in.then(|| view! {
                <ActionForm action=check_in attr:class="form">
                    <input type="hidden" name="code" value=check_in_code/>
                    <label class="choice"><input type="checkbox" name="priority" value="on"/><span>{tr.t(Msg::PriorityLane)}</span></label>
                    <button type="submit" class="btn btn-primary" id="check-in" disabled=move || check_in.pending().get()>{tr.t(Msg::CheckInNow)}</button>
                </ActionForm>
            })}
            {video_open.then(|| view! {
                <ActionForm action=video attr:class="form" attr:id="video-form">
                    <input type="hidden" name="code" value=video_code/>
                    <div class="field">
                        <label class="field-label" for="video-link">{tr.t(Msg::MeetingLink)}</label>
                        <input id="video-link" name="link" type="url" value=b.video_link.clone() placeholder="https://" required/>
                    </div>
                    <div class="field">
                        <label class="field-label" for="video-at">{tr.t(Msg::MeetingTime)}</label>
                        <input id="video-at" name="at" type="datetime-local" required/>
                    </div>
                    {move || saved().then(|| view! { <p class="form-ok" role="status">{tr.t(Msg::SavedOk)}</p> })}
                    <button type="submit" class="btn btn-primary" disabled=move || video.pending().get()>{tr.t(Msg::SaveVideo)}</button>
                </ActionForm>
            })}
        </div>
    }
}

/// `/staff/queue`: the caller's windows with 叫号, 重呼, 办结 and 过号, and the line.
/// Each button is a form post; the line below follows the hall's event stream.
#[component]
pub fn QueuePage() -> impl IntoView {
    let tr = use_tr();
    let act = WindowSteps { next: ServerAction::new(), recall: ServerAction::new(), served: ServerAction::new(), no_show: ServerAction::new() };
    let console = Resource::new(
        move || (act.next.version().get(), act.recall.version().get(), act.served.version().get(), act.no_show.version().get()),
        |_| queue_console(),
    );
    let error = first_error([use_form_error(act.next), use_form_error(act.recall), use_form_error(act.served), use_form_error(act.no_show)]);
    view! {
        <StaffLayout title=Msg::StaffQueue>
            {show_error(error, tr)}
            <p class="notice-warn" id=offline_id("queue-live") hidden>{tr.t(Msg::Reconnecting)}</p>
            <LiveRegion events="/board/events".to_owned() event="board".to_owned() region="queue-live".to_owned()/>
            <div id="queue-live">
                <Transition fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match console.await {
                            Ok(view) => view! { <Console view act/> }.into_any(),
                            Err(err) => refused(err, "/staff/queue"),
                        }
                    })}
                </Transition>
            </div>
        </StaffLayout>
    }
}

/// A window's four buttons, each its own server function.
#[derive(Clone, Copy)]
struct WindowSteps {
    next: ServerAction<CallNext>,
    recall: ServerAction<Recall>,
    served: ServerAction<MarkServed>,
    no_show: ServerAction<MarkNoShow>,
}

/// One window button: a form posting the window's id.
macro_rules! window_button {
    ($action:expr, $window:expr, $name:literal, $label:expr, $primary:expr, $enabled:expr, $tr:expr) => {{
        let (action, enabled) = ($action, $enabled);
        view! {
            <ActionForm action=action attr:class="desk-action">
                <input type="hidden" name="window" value=$window.to_string()/>
                <button type="submit" class="btn" class:btn-primary=$primary class:btn-default=!$primary
                    id=format!(concat!("desk-{}-", $name), $window) disabled=move || !enabled || action.pending().get()>{$tr.t($label)}</button>
            </ActionForm>
        }
    }};
}

#[component]
fn Console(view: ConsoleView, act: WindowSteps) -> impl IntoView {
    let tr = use_tr();
    let no_windows = view.desks.is_empty();
    view! {
        {no_windows.then(|| view! { <p class="notice-warn">{tr.t(Msg::NoWindows)}</p> })}
        <div class="desks">
            {view.desks.into_iter().map(|desk| view! { <DeskCard desk act/> }).collect_view()}
        </div>
        <section class="console-card">
            <h2 class="console-card-title">{tr.t(Msg::WaitingLine)}" "<span class="tag">{view.waiting.len()}</span>
                " "<small class="cell-hint">{tr.t(Msg::ServedToday)}" "{view.served_today}</small></h2>
            {if view.waiting.is_empty() {
                view! { <p class="cell-hint">{tr.t(Msg::NoOneWaiting)}</p> }.into_any()
            } else {
                view! {
                    <ol class="waiting-list" id="waiting-list">
                        {view.waiting.into_iter().map(|t| view! { <li><TicketLine t/></li> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <a class="link-center" href="/staff/checkin">{tr.t(Msg::StaffCheckIn)}</a>
        <a class="link-center" href="/board" target="_blank">{tr.t(Msg::HallBoard)}</a>
    }
}

#[component]
fn TicketLine(t: TicketRow) -> impl IntoView {
    let tr = use_tr();
    let kind = if t.priority {
        Msg::BookingKindPriority
    } else if t.booked {
        Msg::BookingKindBooked
    } else {
        Msg::BookingKindWalkIn
    };
    view! {
        <span class="ticket-line">
            <strong class="ticket-no">{t.number.clone()}</strong>
            <span class="tag" class:tag-warn=t.priority>{tr.t(kind)}</span>
            <span class="ticket-label">{t.label.clone()}</span>
            <small class="cell-hint">{t.since.clone()}{t.booking_code.clone().map(|c| format!(" · {c}"))}</small>
        </span>
    }
}

#[component]
fn DeskCard(desk: Desk, act: WindowSteps) -> impl IntoView {
    let tr = use_tr();
    let id = desk.id;
    let has_current = desk.current.is_some();
    view! {
        <section class="console-card desk" id=format!("desk-{id}")>
            <h2 class="console-card-title">{desk.name.clone()}</h2>
            <p class="cell-hint">{tr.t(Msg::NowServing)}</p>
            <p class="ticket-number desk-current">{desk.current.as_ref().map_or_else(|| "—".to_owned(), |t| t.number.clone())}</p>
            {desk.current.clone().map(|t| view! { <p class="cell-hint">{t.label.clone()}{t.booking_code.clone().map(|c| format!(" · {c}"))}</p> })}
            <div class="desk-actions">
                {window_button!(act.next, id, "next", Msg::CallNext, true, !has_current, tr)}
                {window_button!(act.recall, id, "recall", Msg::Recall, false, has_current, tr)}
                {window_button!(act.served, id, "served", Msg::MarkServed, false, has_current, tr)}
                {window_button!(act.no_show, id, "no_show", Msg::MarkNoShow, false, has_current, tr)}
            </div>
        </section>
    }
}

/// `/board`: the hall board for a TV. Public; numbers and window names only. The
/// board follows the hall's event stream.
#[component]
pub fn BoardPage() -> impl IntoView {
    let tr = use_tr();
    let first = Resource::new(|| (), |_| hall_board());
    view! {
        <leptos_meta::Title text=format!("{} · {}", tr.t(Msg::HallBoard), tr.t(Msg::CenterName))/>
        <noscript><meta http-equiv="refresh" content="10"/></noscript>
        <main class="board" id="board">
            <header class="board-head">
                <h1>{tr.t(Msg::CenterName)}" · "{tr.t(Msg::HallBoard)}</h1>
                <p class="board-offline" id=offline_id("board-live") hidden>{tr.t(Msg::Reconnecting)}</p>
            </header>
            <LiveRegion events="/board/events".to_owned() event="board".to_owned() region="board-live".to_owned()/>
            <div id="board-live">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match first.await {
                            Ok(board) => view! { <Board board/> }.into_any(),
                            Err(err) => view! { <p class="form-error">{error_text(&err, tr)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
fn Board(board: BoardView) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="board-body" data-version=board.version.to_string()>
            <section class="board-windows">
                {board.windows.into_iter().map(|w| {
                    let calling = w.number.is_some();
                    let number = w.number.unwrap_or_else(|| "—".to_owned());
                    let name = w.name.clone();
                    view! {
                        <div class="board-window" class:calling=calling data-window=name>
                            <span class="board-window-name">{w.name}</span>
                            <span class="board-number">{number}</span>
                        </div>
                    }
                }).collect_view()}
            </section>
            <aside class="board-side">
                <p class="board-waiting">{tr.t(Msg::BoardWaiting)}" "<strong id="board-waiting">{board.waiting}</strong></p>
                <h2>{tr.t(Msg::RecentCalls)}</h2>
                <ol class="board-recent" id="board-recent">
                    {board.recent.into_iter().map(|c| view! {
                        <li><strong>{c.number}</strong>" "{tr.t(Msg::PleaseGoTo)}" "{c.window}<small>" "{c.at}</small></li>
                    }).collect_view()}
                </ol>
                <p class="cell-hint">{board.updated}</p>
            </aside>
        </div>
    }
}

/// `/queue`: the resident's tickets today, live: how many are ahead, the estimated
/// wait, and the window when called.
#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let tr = use_tr();
    let first = Resource::new(|| (), |_| my_tickets());
    view! {
        <MobilePage title=Msg::MyTickets tab=Tab::Booking back="/booking">
            <p class="notice-warn" id=offline_id("tickets-live") hidden>{tr.t(Msg::Reconnecting)}</p>
            <LiveRegion events="/queue/mine/events".to_owned() event="tickets".to_owned() region="tickets-live".to_owned()/>
            <div id="tickets-live">
                <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match first.await {
                            Ok(tickets) => view! { <Tickets tickets/> }.into_any(),
                            Err(err) => refused(err, "/queue"),
                        }
                    })}
                </Suspense>
            </div>
        </MobilePage>
    }
}

#[component]
fn Tickets(tickets: Vec<TicketView>) -> impl IntoView {
    let tr = use_tr();
    if tickets.is_empty() {
        return view! { <EmptyState title=Msg::MyTickets body=Msg::NoTicketToday/> }.into_any();
    }
    tickets
        .into_iter()
        .rev()
        .map(|t| {
            let detail = match t.status {
                TicketStatus::Waiting => view! {
                    <p class="ticket-ahead">{tr.t(Msg::AheadOfYou)}" "<strong class="ticket-ahead-count">{t.ahead}</strong>" "{tr.t(Msg::PeopleUnit)}</p>
                    <p class="cell-hint">{tr.t(Msg::EstimatedWait)}" "{t.wait_minutes}" "{tr.t(Msg::MinutesUnit)}</p>
                }
                .into_any(),
                TicketStatus::Called => view! {
                    <p class="ticket-call" role="alert">{tr.t(Msg::PleaseGoTo)}" "<strong>{t.window.clone().unwrap_or_default()}</strong></p>
                }
                .into_any(),
                _ => ().into_any(),
            };
            view! {
                <section class="booking-card ticket-card" class:called=t.status == TicketStatus::Called>
                    <p class=format!("status ticket-{}", t.status.as_str())>{tr.t(t.status.msg())}</p>
                    <p class="ticket-number">{t.number.clone()}</p>
                    <p>{t.label.clone()}{t.priority.then(|| view! { " "<span class="tag tag-warn">{tr.t(Msg::BookingKindPriority)}</span> })}</p>
                    {detail}
                    <p class="cell-hint">{tr.t(Msg::TicketIssued)}" "{t.issued_at.clone()}</p>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

//! The 预约 tab: booking an item (day → slot → channel → confirm), 我的预约, and a
//! booking's page with its code, QR code, materials and calendar file. Every step is a
//! link or a form post, so it all works before WASM loads.

use super::{Book, BookingOptions, BookingView, CancelBooking, Channel, MyBookings, SlotOption, Status};
use super::{day_slots, get_booking, get_booking_options, list_my_bookings};
use crate::components::refused;
use crate::components::{EmptyState, MobilePage, Tab, error_text, use_form_error};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/booking`: with `?item=CODE` the booking form, otherwise 我的预约.
#[component]
pub fn BookingPage() -> impl IntoView {
    let query = use_query_map();
    let item = move || query.with(|q| q.get("item").filter(|c| !c.is_empty()));
    view! {
        {move || match item() {
            Some(code) => view! { <BookItem code/> }.into_any(),
            None => view! { <MyBookingsView/> }.into_any(),
        }}
    }
}

#[component]
fn BookItem(code: String) -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let options = Resource::new(
        {
            let code = code.clone();
            move || (code.clone(), query.with(|q| q.get("for").and_then(|f| f.parse::<i32>().ok())))
        },
        |(code, for_resident)| get_booking_options(code, for_resident),
    );
    let day = move || query.with(|q| q.get("day"));
    let station = move || query.with(|q| q.get("station").and_then(|s| s.parse::<i32>().ok()));
    view! {
        <MobilePage title=Msg::EntryBooking tab=Tab::Booking back="/guides">
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match options.await {
                        Ok(options) => view! { <BookForm options day=day() station=station()/> }.into_any(),
                        Err(err) => refused(err, "/booking"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn BookForm(options: BookingOptions, day: Option<String>, station: Option<i32>) -> impl IntoView {
    let tr = use_tr();
    let book = ServerAction::<Book>::new();
    let error = use_form_error(book);
    let code = options.item_code.clone();
    let chosen = day.filter(|d| options.days.iter().any(|o| o.open && o.date == *d));
    let for_resident = options.for_resident;
    let slots = Resource::new(
        {
            let (code, chosen) = (code.clone(), chosen.clone());
            move || (code.clone(), chosen.clone())
        },
        move |(code, day)| async move {
            match day {
                Some(day) => day_slots(code, day, for_resident).await,
                None => Ok(Vec::new()),
            }
        },
    );
    // A link from a station page (or the helper desk) keeps its station and resident.
    let station = station.filter(|id| options.stations.iter().any(|s| s.id == *id));
    let carry = format!("{}{}", for_resident.map(|r| format!("&for={r}")).unwrap_or_default(), station.map(|s| format!("&station={s}")).unwrap_or_default());
    let suspended = options.suspended.clone();
    let days = options
        .days
        .iter()
        .map(|d| {
            let href = format!("/booking?item={}&day={}{carry}", code, d.date);
            let selected = chosen.as_deref() == Some(d.date.as_str());
            let status = if !d.open { tr.t(Msg::DayClosed).to_owned() } else if d.left > 0 { format!("{} {}", tr.t(Msg::PlacesLeft), d.left) } else { tr.t(Msg::DayFull).to_owned() };
            if d.open && d.left > 0 {
                view! { <a class="day-chip" class:selected=selected href=href aria-current=selected.then_some("true")><span>{crate::time::day_label(d.day, tr.0)}</span><small>{status}</small></a> }.into_any()
            } else {
                view! { <span class="day-chip disabled"><span>{crate::time::day_label(d.day, tr.0)}</span><small>{status}</small></span> }.into_any()
            }
        })
        .collect_view();
    let stations = options.stations.clone();
    let key = options.key.clone();
    view! {
        <section class="cells">
            <h2 class="page-heading">{options.item_name.clone()}</h2>
            {options.warning.clone().map(|w| view! { <p class="notice-warn" role="status">{w.text(tr.0)}</p> })}
            {options.rebook.then(|| view! { <p class="notice-warn" role="status" id="rebook-note">{tr.t(Msg::RebookAhead)}</p> })}
            {for_resident.map(|_| view! { <p class="cell-hint" id="booking-for">{tr.t(Msg::BookingForResident)}</p> })}
        </section>
        {match suspended {
            Some(reason) => view! { <p class="form-error" role="alert">{reason.text(tr.0)}</p> }.into_any(),
            None => view! {
                <section class="cells">
                    <h3 class="cells-title">{tr.t(Msg::ChooseDay)}</h3>
                    <div class="day-chips">{days}</div>
                </section>
                {chosen.clone().map(|_| view! {
                    <ActionForm action=book attr:class="form book-form">
                        <input type="hidden" name="code" value=code.clone()/>
                        <input type="hidden" name="key" value=key.clone()/>
                        {for_resident.map(|id| view! { <input type="hidden" name="for_resident" value=id.to_string()/> })}
                        <fieldset class="cells">
                            <legend class="cells-title">{tr.t(Msg::ChooseSlot)}</legend>
                            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                                {move || Suspend::new(async move {
                                    match slots.await {
                                        Ok(list) if !list.is_empty() => view! { <SlotChoices slots=list/> }.into_any(),
                                        Ok(_) => view! { <p class="cell-hint">{tr.t(Msg::DayFull)}</p> }.into_any(),
                                        Err(err) => view! { <p class="form-error">{error_text(&err, tr)}</p> }.into_any(),
                                    }
                                })}
                            </Suspense>
                        </fieldset>
                        <fieldset class="cells">
                            <legend class="cells-title">{tr.t(Msg::ChooseChannel)}</legend>
                            {Channel::ALL.into_iter().enumerate().map(|(n, c)| view! {
                                <label class="choice">
                                    <input type="radio" name="channel" value=c.as_str() checked=if station.is_some() { c == Channel::Station } else { n == 0 } required=true/>
                                    <span>{tr.t(c.msg())}</span>
                                </label>
                            }).collect_view()}
                            <label class="field-label" for="book-station">{tr.t(Msg::StationIfAny)}</label>
                            <select id="book-station" name="station">
                                <option value="">"—"</option>
                                {stations.iter().map(|s| view! { <option value=s.id.to_string() selected=station == Some(s.id)>{s.name.clone()}</option> }).collect_view()}
                            </select>
                        </fieldset>
                        {move || error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
                        <button type="submit" class="btn btn-primary" id="book-submit" disabled=move || book.pending().get()>
                            {move || if book.pending().get() { tr.t(Msg::Loading) } else { tr.t(Msg::ConfirmBooking) }}
                        </button>
                    </ActionForm>
                })}
            }.into_any(),
        }}
    }
}

#[component]
fn SlotChoices(slots: Vec<SlotOption>) -> impl IntoView {
    let tr = use_tr();
    slots
        .into_iter()
        .map(|s| {
            let full = s.left <= 0;
            view! {
                <label class="choice slot" class:disabled=full>
                    <input type="radio" name="slot" value=s.id.to_string() disabled=full required=true/>
                    <span>{s.time.clone()}</span>
                    <small>{if full { tr.t(Msg::DayFull).to_owned() } else { format!("{} {}", tr.t(Msg::PlacesLeft), s.left) }}</small>
                </label>
            }
        })
        .collect_view()
}

#[component]
fn MyBookingsView() -> impl IntoView {
    let tr = use_tr();
    let mine = Resource::new(|| (), |_| list_my_bookings());
    view! {
        <MobilePage title=Msg::MyBookings tab=Tab::Booking>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(mine) => view! { <BookingLists mine/> }.into_any(),
                        Err(err) => refused(err, "/booking"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn BookingLists(mine: MyBookings) -> impl IntoView {
    let tr = use_tr();
    let row = move |b: BookingView| {
        view! {
            <a class="cell cell-link booking-row" href=format!("/bookings/{}", b.code)>
                <span class="cell-label">
                    <span>{b.item_name.clone()}</span>
                    <small class="cell-hint">{b.when.text(tr.0)}</small>
                </span>
                <span class=format!("status status-{}", b.status.as_str())>{tr.t(b.status.msg())}</span>
            </a>
        }
    };
    let empty = mine.upcoming.is_empty() && mine.past.is_empty();
    view! {
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::UpcomingBookings)}</h2>
            <div class="cells-body">
                {mine.upcoming.into_iter().map(row).collect_view()}
            </div>
        </section>
        {empty.then(|| view! {
            <EmptyState title=Msg::MyBookings body=Msg::BookingEmpty>
                <a class="btn btn-primary" href="/guides">{tr.t(Msg::FindItemToBook)}</a>
            </EmptyState>
        })}
        {(!mine.past.is_empty()).then(|| view! {
            <section class="cells">
                <h2 class="cells-title">{tr.t(Msg::PastBookings)}</h2>
                <div class="cells-body">{mine.past.into_iter().map(row).collect_view()}</div>
            </section>
        })}
    }
}

/// `/bookings/:code`: the confirmation and the booking's page.
#[component]
pub fn BookingDetailPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let cancel = ServerAction::<CancelBooking>::new();
    let booking = Resource::new(move || (params.with(|p| p.get("code")).unwrap_or_default(), cancel.version().get()), |(code, _)| get_booking(code));
    let error = use_form_error(cancel);
    view! {
        <MobilePage title=Msg::BookingDetail tab=Tab::Booking back="/booking">
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match booking.await {
                        Ok(b) => view! { <BookingCard b cancel error/> }.into_any(),
                        Err(err) => refused(err, "/booking"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn BookingCard(b: BookingView, cancel: ServerAction<CancelBooking>, error: Signal<Option<AppError>>) -> impl IntoView {
    let tr = use_tr();
    let live = matches!(b.status, Status::Booked | Status::CheckedIn | Status::Called);
    let rate_href = format!("/rate/visit/{}", b.code);
    view! {
        <section class="booking-card" id="booking">
            <p class=format!("status status-{}", b.status.as_str())>{tr.t(b.status.msg())}</p>
            <h2 class="page-heading">{b.item_name.clone()}</h2>
            <p class="booking-when">{b.when.text(tr.0)}</p>
            {live.then(|| view! {
                <div class="qr" aria-label=tr.t(Msg::CheckInCode) inner_html=b.qr_svg.clone()></div>
                <p class="booking-code">{tr.t(Msg::CheckInCode)}" "<strong id="booking-code">{b.code.clone()}</strong></p>
                <p class="cell-hint">{tr.t(Msg::CheckInHint)}</p>
            })}
        </section>
        <section class="cells">
            <div class="cells-body">
                <div class="cell"><span class="cell-label">{tr.t(Msg::ChooseChannel)}</span><span>{tr.t(b.channel.msg())}</span></div>
                <div class="cell"><span class="cell-label">{tr.t(Msg::GuidePlace)}</span><span>{if b.channel == Channel::Video { tr.t(Msg::VideoAddress).to_owned() } else { b.address.clone() }}</span></div>
                {b.assisted_by.clone().map(|by| view! { <div class="cell" id="booking-assisted"><span class="cell-label">{tr.t(Msg::AssistedTag)}</span><span>{by}</span></div> })}
                {b.video_link.clone().map(|link| view! {
                    <div class="cell"><span class="cell-label">{tr.t(Msg::VideoMeeting)}</span>
                        <a href=link.clone() rel="noopener noreferrer" target="_blank">{b.video_at.map(|at| at.text(tr.0)).unwrap_or_default()}" "{tr.t(Msg::JoinVideo)}</a></div>
                })}
            </div>
        </section>
        <section class="cells">
            <h2 class="cells-title">{tr.t(Msg::BringMaterials)}</h2>
            <ul class="cells-body checklist">
                {b.materials.iter().map(|(name, need)| view! { <li class="cell"><span class="check" aria-hidden="true"></span><span class="cell-label">{name.clone()}" "<small class="cell-hint">{need.text(tr.0)}</small></span></li> }).collect_view()}
            </ul>
        </section>
        <div class="button-column">
            {live.then(|| view! {
                <a class="btn btn-default" href=format!("/bookings/{}/booking.ics", b.code) download=format!("booking-{}.ics", b.code)>{tr.t(Msg::AddToCalendar)}</a>
            })}
            {b.can_cancel.then(|| view! {
                <ActionForm action=cancel attr:class="form">
                    <input type="hidden" name="code" value=b.code.clone()/>
                    <button type="submit" class="btn btn-warn" id="cancel-booking" disabled=move || cancel.pending().get()>{tr.t(Msg::CancelBooking)}</button>
                </ActionForm>
            })}
            {move || error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
            {matches!(b.status, Status::CheckedIn | Status::Called).then(|| view! {
                <a class="btn btn-primary" href="/queue" id="view-ticket">{tr.t(Msg::ViewMyTicket)}</a>
            })}
            {(b.status == Status::Served).then(|| view! {
                <a class="btn btn-primary" href=rate_href id="rate-visit">{tr.t(Msg::RateService)}</a>
            })}
            <a class="link-center" href="/booking">{tr.t(Msg::MyBookings)}</a>
        </div>
    }
}

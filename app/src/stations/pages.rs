//! Station pages: the public list and page of each station, the chief's 服务站管理,
//! the resident's 委托记录 and claim form, and the staff's claim checks. Server
//! components only: every action is a form post that works before WASM loads.

use super::{
    AcceptAuthorisation, AuthorisationView, ClaimView, ConfirmClaim, MoveHelper, RefuseAuthorisation, RequestClaim, RevokeAuthorisation, SaveStation,
    SetStationOpen, StationInfo, StationRow, StationsAdmin, get_public_station, get_stations_admin, list_claims, list_my_authorisations, list_public_stations,
};
use crate::components::{Cell, CellGroup, EmptyState, FormError, MobilePage, Tab, TextField, error_text, first_error, use_form_error};
use crate::components::{StaffLayout, refused};
use crate::domain::Role;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// `/stations`: the open stations, nearest to the resident first in the list they know.
#[component]
pub fn StationsPage() -> impl IntoView {
    let tr = use_tr();
    let stations = Resource::new(|| (), |_| list_public_stations());
    view! {
        <MobilePage title=Msg::StationsTitle back="/">
            <p class="page-sub">{tr.t(Msg::StationsIntro)}</p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match stations.await {
                        Ok(list) => view! {
                            <section class="cells">
                                <div class="cells-body">
                                    {list.into_iter().map(|s| view! {
                                        <a class="cell cell-link" href=format!("/stations/{}", s.id)>
                                            <span class="cell-label">
                                                <span>{s.name.clone()}</span>
                                                <small class="cell-hint">{s.village.clone()}" · "{s.hours.clone()}</small>
                                            </span>
                                            {crate::components::Icon::Chevron.view()}
                                        </a>
                                    }).collect_view()}
                                </div>
                            </section>
                        }.into_any(),
                        Err(err) => refused(err, "/stations"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// `/stations/:id`: address, phone, hours and the items the station does for residents,
/// each with a link to book it at the station.
#[component]
pub fn StationPage() -> impl IntoView {
    let params = use_params_map();
    let station = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0)), get_public_station);
    view! {
        <MobilePage title=Msg::StationsTitle back="/stations">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match station.await {
                        Ok(s) => view! { <StationCard s/> }.into_any(),
                        Err(err) => refused(err, "/stations"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn StationCard(s: StationInfo) -> impl IntoView {
    let tr = use_tr();
    let id = s.id;
    view! {
        <section class="booking-card" id="station">
            <h2 class="page-heading">{s.name.clone()}</h2>
            <p class="page-sub">{s.village.clone()}</p>
        </section>
        <CellGroup>
            <Cell label=tr.t(Msg::StationAddress).to_owned() value=s.address.clone()/>
            <a class="cell cell-link" href=format!("tel:{}", s.phone)>
                <span class="cell-label">{tr.t(Msg::StationPhone)}</span><span>{s.phone.clone()}</span>
            </a>
            <Cell label=tr.t(Msg::StationHours).to_owned() value=s.hours.clone()/>
        </CellGroup>
        <section class="cells" id="station-items">
            <h2 class="cells-title">{tr.t(Msg::StationItems)}{s.all_items.then(|| format!("（{}）", tr.t(Msg::StationItemsAll)))}</h2>
            <div class="cells-body">
                {s.items.iter().map(|(code, name)| {
                    let bookable = s.bookable.iter().any(|(c, _)| c == code);
                    view! {
                        <div class="cell">
                            <a class="cell-label" href=format!("/guides/{code}")>{name.clone()}</a>
                            {bookable.then(|| view! { <a class="btn btn-small btn-primary" href=format!("/booking?item={code}&station={id}")>{tr.t(Msg::StationBookHere)}</a> })}
                        </div>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

/// `/staff/stations`: every station with its figures and helpers; create, edit, close
/// and reopen; move a helper. Chief only.
#[component]
pub fn StaffStationsPage() -> impl IntoView {
    let tr = use_tr();
    let admin = Resource::new(|| (), |_| get_stations_admin());
    view! {
        <StaffLayout title=Msg::StationAdmin>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match admin.await {
                        Ok(admin) => view! { <StationsAdminView admin/> }.into_any(),
                        Err(err) => refused(err, "/staff/stations"),
                    }
                })}
            </Suspense>
            <p class="cell-hint"><a href="/staff/claims">{tr.t(Msg::ClaimsTitle)}</a></p>
        </StaffLayout>
    }
}

#[component]
fn StationsAdminView(admin: StationsAdmin) -> impl IntoView {
    let tr = use_tr();
    let save = ServerAction::<SaveStation>::new();
    let toggle = ServerAction::<SetStationOpen>::new();
    let mv = ServerAction::<MoveHelper>::new();
    let eligible = admin.eligible.clone();
    let open: Vec<(i32, String)> = admin.stations.iter().filter(|s| !s.info.closed).map(|s| (s.info.id, s.info.name.clone())).collect();
    let names: std::collections::HashMap<i32, String> = admin.stations.iter().map(|s| (s.info.id, s.info.name.clone())).collect();
    let move_error = use_form_error(mv);
    view! {
        <div class="console-columns">
            <div>
                {admin.stations.into_iter().map(|row| view! { <StationAdminCard row eligible=eligible.clone() save toggle/> }).collect_view()}
            </div>
            <div>
                <section class="console-card" id="station-new">
                    <h2 class="console-card-title">{tr.t(Msg::StationNew)}</h2>
                    <StationForm id=None info=None eligible=eligible.clone() save/>
                </section>
                <section class="console-card" id="helpers">
                    <h2 class="console-card-title">{tr.t(Msg::StationHelpers)}</h2>
                    {move || move_error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
                    <table class="table">
                        <thead><tr><th>{tr.t(Msg::Name)}</th><th>{tr.t(Msg::Station)}</th><th>{tr.t(Msg::StationMoveHelper)}</th></tr></thead>
                        <tbody>
                            {admin.helpers.into_iter().map(|(id, name, station)| {
                                let options: Vec<(i32, String, bool)> = open.iter().map(|(sid, sname)| (*sid, sname.clone(), station == Some(*sid))).collect();
                                view! {
                                <tr>
                                    <td>{name}</td>
                                    <td>{station.and_then(|s| names.get(&s).cloned()).unwrap_or_default()}</td>
                                    <td>
                                        <ActionForm action=mv attr:class="inline-form">
                                            <input type="hidden" name="helper" value=id.to_string()/>
                                            <select name="station" aria-label=tr.t(Msg::StationMoveHelper)>
                                                {options.into_iter().map(|(sid, sname, selected)| view! { <option value=sid.to_string() selected=selected>{sname}</option> }).collect_view()}
                                            </select>
                                            <button type="submit" class="btn btn-default btn-small">{tr.t(Msg::StationSave)}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </section>
            </div>
        </div>
    }
}

#[component]
fn StationAdminCard(row: StationRow, eligible: Vec<(String, String)>, save: ServerAction<SaveStation>, toggle: ServerAction<SetStationOpen>) -> impl IntoView {
    let tr = use_tr();
    let s = row.info.clone();
    let f = row.figures.clone();
    let figure = move |label: Msg, value: u64, id: &'static str| {
        view! {
            <div class="figure" id=format!("{id}-{}", s.id)><span class="figure-value">{value}</span><span class="figure-label">{tr.t(label)}</span></div>
        }
    };
    view! {
        <section class="console-card" id=format!("station-{}", s.id)>
            <h2 class="console-card-title">{s.name.clone()}{s.closed.then(|| view! { " "<span class="tag tag-warn">{tr.t(Msg::StationClosed)}</span> })}</h2>
            <div class="figures">
                {figure(Msg::FigureOpenCases, f.open_cases, "open")}
                {figure(Msg::FigureOverdue, f.overdue_cases, "overdue")}
                {figure(Msg::FigureCompletedMonth, f.completed_this_month, "completed")}
                {figure(Msg::FigureBookingsToday, f.bookings_today, "bookings")}
                {figure(Msg::FigureAuthorisations, f.authorisations_active, "authorisations")}
                {figure(Msg::FigureAwaitingDelivery, f.awaiting_delivery, "delivery")}
            </div>
            <p class="cell-hint">{tr.t(Msg::StationHelpers)}{tr.t(Msg::Colon)}{row.helpers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join("、")}</p>
            <details>
                <summary>{tr.t(Msg::StationSave)}</summary>
                <StationForm id=Some(s.id) info=Some(s.clone()) eligible save/>
            </details>
            <ActionForm action=toggle attr:class="form">
                <input type="hidden" name="id" value=s.id.to_string()/>
                <input type="hidden" name="open" value=s.closed.to_string()/>
                <button type="submit" class="btn btn-default btn-small" id=format!("station-toggle-{}", s.id)>{tr.t(if s.closed { Msg::StationReopen } else { Msg::StationClose })}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StationForm(id: Option<i32>, info: Option<StationInfo>, eligible: Vec<(String, String)>, save: ServerAction<SaveStation>) -> impl IntoView {
    let tr = use_tr();
    let error = use_form_error(save);
    let value = |f: fn(&StationInfo) -> String| info.as_ref().map(f).unwrap_or_default();
    let (name, village, address, phone, hours) =
        (value(|i| i.name.clone()), value(|i| i.village.clone()), value(|i| i.address.clone()), value(|i| i.phone.clone()), value(|i| i.hours.clone()));
    let chosen: Vec<String> = info.as_ref().filter(|i| !i.all_items).map(|i| i.items.iter().map(|(c, _)| c.clone()).collect()).unwrap_or_default();
    view! {
        <ActionForm action=save attr:class="form station-form" attr:novalidate=true>
            <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default()/>
            <TextField label=Msg::StationName name="name" value=name required=true error/>
            <TextField label=Msg::StationVillage name="village" value=village required=true error/>
            <TextField label=Msg::StationAddress name="address" value=address required=true error/>
            <TextField label=Msg::StationPhone name="phone" input_type="tel" value=phone required=true error/>
            <TextField label=Msg::StationHours name="hours" value=hours required=true error/>
            <fieldset class="field">
                <legend class="field-label">{tr.t(Msg::StationItems)}</legend>
                <p class="cell-hint">{tr.t(Msg::StationItemsHint)}</p>
                {eligible.into_iter().enumerate().map(|(n, (code, name))| view! {
                    <label class="choice">
                        <input type="checkbox" name=format!("items[{n}]") value=code.clone() checked=chosen.contains(&code)/>
                        <span>{name}</span>
                    </label>
                }).collect_view()}
                <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field_msg("items")).map(|m| tr.t(m))}</p>
            </fieldset>
            <FormError error/>
            <button type="submit" class="btn btn-primary btn-small">{tr.t(Msg::StationSave)}</button>
        </ActionForm>
    }
}

/// Cells of 我的 that lead to the station features: a resident's 委托记录 and claim, a
/// helper's desk.
#[component]
pub fn MeStationCells(role: Role) -> impl IntoView {
    let tr = use_tr();
    view! {
        <CellGroup>
            {match role {
                Role::Helper => view! { <Cell label=tr.t(Msg::DeskTitle).to_owned() href="/station".to_owned()/> }.into_any(),
                _ => view! {
                    <Cell label=tr.t(Msg::MyAuthorisations).to_owned() href="/me/authorisations".to_owned()/>
                    <Cell label=tr.t(Msg::ClaimTitle).to_owned() href="/me/claim".to_owned()/>
                }.into_any(),
            }}
            <Cell label=tr.t(Msg::StationsTitle).to_owned() href="/stations".to_owned()/>
        </CellGroup>
    }
}

/// The resident's three answers to an authorisation, each its own server function.
#[derive(Clone, Copy)]
pub struct Decisions {
    accept: ServerAction<AcceptAuthorisation>,
    refuse: ServerAction<RefuseAuthorisation>,
    revoke: ServerAction<RevokeAuthorisation>,
}

/// One answer's button: a form posting the authorisation's id.
macro_rules! decision_button {
    ($action:expr, $id:expr, $name:literal, $label:expr, $class:literal, $tr:expr) => {{
        let id = format!(concat!("authorisation-", $name, "-{}"), $id);
        crate::one_step_form!($action, "id" = $id, form = "inline-form", class = concat!("btn btn-small ", $class), id = id, $label, $tr)
    }};
}

/// One authorisation as a card, with the resident's 同意 / 拒绝 / 撤销 when allowed.
#[component]
pub fn AuthorisationCard(a: AuthorisationView, #[prop(optional)] decide: Option<Decisions>) -> impl IntoView {
    let tr = use_tr();
    let id = a.id;
    view! {
        <section class="cells authorisation" id=format!("authorisation-{id}")>
            <h3 class="cells-title">
                {a.station.clone()}" · "{a.helper.clone().map(|h| format!("{} {h}", tr.t(Msg::AuthHelper))).unwrap_or_else(|| tr.t(Msg::AuthWholeStation).to_owned())}
                " "<span class="tag" class:tag-warn=!a.in_force>{a.state.text(tr.0)}</span>
            </h3>
            <div class="cells-body">
                <Cell label=tr.t(Msg::AuthResident).to_owned() value=a.resident.clone()/>
                <Cell label=tr.t(Msg::AuthScope).to_owned() value=a.scope.text(tr.0)/>
                <Cell label=tr.t(Msg::AuthPeriod).to_owned() value=format!("{} – {}", a.since, a.until)/>
                <Cell label=tr.t(Msg::AuthMethod).to_owned() value=tr.t(if a.paper { Msg::DeskMethodPaper } else { Msg::DeskMethodApp }).to_owned()/>
            </div>
            <div class="button-row">
                {decide.filter(|_| a.can_decide).map(|d| view! {
                    {decision_button!(d.accept, id, "accept", Msg::AuthAccept, "btn-primary", tr)}
                    {decision_button!(d.refuse, id, "refuse", Msg::AuthRefuse, "btn-default", tr)}
                })}
                {decide.filter(|_| a.can_revoke).map(|d| decision_button!(d.revoke, id, "revoke", Msg::AuthRevoke, "btn-warn", tr))}
            </div>
        </section>
    }
}

/// `/me/authorisations`: 委托记录 — every authorisation the resident gave or was asked
/// for, with 同意 / 拒绝 and 撤销.
#[component]
pub fn MyAuthorisationsPage() -> impl IntoView {
    let decide = Decisions { accept: ServerAction::new(), refuse: ServerAction::new(), revoke: ServerAction::new() };
    let list =
        Resource::new(move || (decide.accept.version().get(), decide.refuse.version().get(), decide.revoke.version().get()), |_| list_my_authorisations());
    let error = first_error([use_form_error(decide.accept), use_form_error(decide.refuse), use_form_error(decide.revoke)]);
    let tr = use_tr();
    view! {
        <MobilePage title=Msg::MyAuthorisations tab=Tab::Me back="/me">
            {move || error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState title=Msg::MyAuthorisations body=Msg::MyAuthorisationsEmpty/> }.into_any(),
                        Ok(list) => list.into_iter().map(|a| view! { <AuthorisationCard a decide/> }).collect_view().into_any(),
                        Err(err) => refused(err, "/me/authorisations"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// `/me/claim`: ask to take over records a station made before the resident had an account.
#[component]
pub fn ClaimPage() -> impl IntoView {
    let tr = use_tr();
    let claim = ServerAction::<RequestClaim>::new();
    let error = use_form_error(claim);
    let query = use_query_map();
    let sent = move || query.with(|q| q.get("sent").is_some()) || matches!(claim.value().get(), Some(Ok(())));
    view! {
        <MobilePage title=Msg::ClaimTitle tab=Tab::Me back="/me">
            <p class="page-sub">{tr.t(Msg::ClaimIntro)}</p>
            <Show when=sent><p class="form-ok" role="status" id="claim-sent">{tr.t(Msg::ClaimSent)}</p></Show>
            <ActionForm action=claim attr:class="form" attr:novalidate=true>
                <TextField label=Msg::IdNumber name="id_number" required=true check=crate::components::FieldCheck::IdNumber error/>
                {move || error.get().filter(|e| !matches!(e, crate::error::AppError::Validation(_))).map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
                <button type="submit" class="btn btn-primary" id="claim-submit">{tr.t(Msg::ClaimSubmit)}</button>
            </ActionForm>
        </MobilePage>
    }
}

/// The claims waiting for an identity check, with 确认 after the ID card was checked.
#[component]
pub fn ClaimList(claims: Vec<ClaimView>, confirm: ServerAction<ConfirmClaim>) -> impl IntoView {
    let tr = use_tr();
    if claims.is_empty() {
        return view! { <p class="cell-hint">{tr.t(Msg::ClaimsEmpty)}</p> }.into_any();
    }
    view! {
        <div class="cells-body" id="claims">
            {claims.into_iter().map(|c| view! {
                <div class="cell claim">
                    <span class="cell-label">
                        <span>{c.name.clone()}" "{c.id_masked.clone()}</span>
                        <small class="cell-hint">{tr.t(Msg::ClaimNewAccount)}" "{c.account_phone_masked.clone()}" · "{c.station.clone()}" · "{c.requested_at.clone()}</small>
                    </span>
                    <ActionForm action=confirm attr:class="inline-form">
                        <input type="hidden" name="resident" value=c.resident_id.to_string()/>
                        <button type="submit" class="btn btn-primary btn-small" id=format!("claim-confirm-{}", c.resident_id)>{tr.t(Msg::ClaimConfirm)}</button>
                    </ActionForm>
                </div>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// `/staff/claims`: claims for clerks and the chief to confirm at the window.
#[component]
pub fn StaffClaimsPage() -> impl IntoView {
    let tr = use_tr();
    let confirm = ServerAction::<ConfirmClaim>::new();
    let claims = Resource::new(move || confirm.version().get(), |_| list_claims());
    let error = use_form_error(confirm);
    view! {
        <StaffLayout title=Msg::ClaimsTitle>
            <section class="console-card">
                <p class="cell-hint">{tr.t(Msg::ClaimIntro)}</p>
                {move || error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
                <Suspense fallback=loading>
                    {move || Suspend::new(async move {
                        match claims.await {
                            Ok(claims) => view! { <ClaimList claims confirm/> }.into_any(),
                            Err(err) => refused(err, "/staff/claims"),
                        }
                    })}
                </Suspense>
            </section>
        </StaffLayout>
    }
}

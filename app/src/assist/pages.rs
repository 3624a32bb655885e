//! Desk pages at `/station`, for helpers on a phone or the station's PC. Server
//! components; every action is a form post, so they work before WASM loads.

use crate::booking::{StationAbsent, StationCheckIn, StationDay, StationServed, get_station_day};
use crate::components::refused;
use crate::components::{Cell, CellGroup, FormError, MobilePage, Tab, TextField, error_text, first_error, use_form_error};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use crate::stations::pages::{AuthorisationCard, ClaimList};
use crate::stations::{
    ConfirmClaim, PaperForm, RecordLine, RegisterResident, RequestAuthorisation, ResidentDesk, get_paper_form, get_resident_desk, list_claims, list_deliveries,
};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// `/station`: find a resident, today's station bookings, results to hand over, claims.
#[component]
pub fn DeskPage() -> impl IntoView {
    let tr = use_tr();
    let mark = StationSteps { check_in: ServerAction::new(), absent: ServerAction::new(), served: ServerAction::new() };
    let confirm = ServerAction::<ConfirmClaim>::new();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    // The find form is a GET: the matches come with the page, no script needed.
    let matches = Resource::new(q, |q| async move { if q.trim().is_empty() { Ok(None) } else { crate::stations::find_resident(q).await.map(Some) } });
    let day = Resource::new(move || (mark.check_in.version().get(), mark.absent.version().get(), mark.served.version().get()), |_| get_station_day());
    let deliveries = Resource::new(|| (), |_| list_deliveries());
    let claims = Resource::new(move || confirm.version().get(), |_| list_claims());
    let mark_error = first_error([use_form_error(mark.check_in), use_form_error(mark.absent), use_form_error(mark.served)]);
    view! {
        <MobilePage title=Msg::DeskTitle tab=Tab::Me back="/me">
            <section class="cells" id="find">
                <h2 class="cells-title">{tr.t(Msg::DeskFind)}</h2>
                <form class="form" method="get" action="/station" role="search">
                    <div class="field">
                        <label class="field-label" for="field-q">{tr.t(Msg::DeskFindHint)}</label>
                        <input id="field-q" name="q" inputmode="numeric" autocomplete="off" value=q/>
                    </div>
                    <button type="submit" class="btn btn-primary" id="find-submit">{tr.t(Msg::DeskFind)}</button>
                </form>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match matches.await {
                            Ok(Some(list)) if list.is_empty() => view! { <p class="cell-hint" id="find-none">{tr.t(Msg::DeskFindNone)}</p> }.into_any(),
                            Ok(Some(list)) => view! {
                                <div class="cells-body" id="find-results">
                                    {list.into_iter().map(|m| view! {
                                        <a class="cell cell-link" href=format!("/station/residents/{}", m.id)>
                                            <span class="cell-label">
                                                <span>{m.name.clone()}" "<span class="tag">{tr.t(if m.has_account { Msg::DeskHasAccount } else { Msg::DeskNoAccount })}</span></span>
                                                <small class="cell-hint">{m.phone_masked.clone()}" · "{m.id_masked.clone()}</small>
                                            </span>
                                            {crate::components::Icon::Chevron.view()}
                                        </a>
                                    }).collect_view()}
                                </div>
                            }.into_any(),
                            Ok(None) => ().into_any(),
                            Err(err) => view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
                <a class="btn btn-default" href="/station/residents/new" id="register-resident">{tr.t(Msg::DeskRegister)}</a>
            </section>
            {move || mark_error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match day.await {
                        Ok(day) => view! { <StationToday day mark/> }.into_any(),
                        Err(err) => refused(err, "/station"),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    deliveries.await.ok().map(|list| view! {
                        <section class="cells" id="deliveries">
                            <h2 class="cells-title">{tr.t(Msg::DeskDelivery)}" ("{list.len()}")"</h2>
                            <div class="cells-body">{list.into_iter().map(record_link).collect_view()}</div>
                        </section>
                    })
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    claims.await.ok().map(|claims| view! {
                        <section class="cells">
                            <h2 class="cells-title">{tr.t(Msg::DeskClaims)}</h2>
                            <ClaimList claims confirm/>
                        </section>
                    })
                })}
            </Suspense>
        </MobilePage>
    }
}

fn record_link(r: RecordLine) -> impl IntoView {
    let tr = use_tr();
    view! {
        <a class="cell cell-link" href=format!("/cases/{}", r.key)>
            <span class="cell-label"><span>{r.item.clone()}</span><small class="cell-hint">{r.key.clone()}" · "{r.when.clone()}</small></span>
            <span class="tag">{tr.t(r.status)}</span>
        </a>
    }
}

/// A helper's three steps on a station booking, each its own server function.
#[derive(Clone, Copy)]
struct StationSteps {
    check_in: ServerAction<StationCheckIn>,
    absent: ServerAction<StationAbsent>,
    served: ServerAction<StationServed>,
}

/// One booking's button: a form posting its code.
macro_rules! station_button {
    ($action:expr, $code:expr, $name:literal, $label:expr, $class:literal, $tr:expr) => {{
        let code: String = $code;
        let id = format!(concat!("station-", $name, "-{}"), code);
        crate::one_step_form!($action, "code" = code, form = "inline-form", class = concat!("btn btn-small ", $class), id = id, $label, $tr)
    }};
}

/// 今日到站预约: check in by code (typed, or scanned into the field), mark absent or served.
#[component]
fn StationToday(day: StationDay, mark: StationSteps) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="cells" id="today">
            <h2 class="cells-title">{tr.t(Msg::DeskToday)}" · "{day.station.clone()}" "{day.day.clone()}</h2>
            <ActionForm action=mark.check_in attr:class="form checkin-form">
                <div class="field">
                    <label class="field-label" for="station-code">{tr.t(Msg::DeskCodeLabel)}</label>
                    <input id="station-code" name="code" autocomplete="off" autocapitalize="characters" required=true/>
                </div>
                <button type="submit" class="btn btn-primary" id="station-checkin">{tr.t(Msg::DeskCheckIn)}</button>
            </ActionForm>
            <div class="cells-body">
                {day.bookings.into_iter().map(|b| view! {
                    <div class="cell station-booking" id=format!("station-booking-{}", b.code)>
                        <span class="cell-label">
                            <span>{b.when.clone()}" "{b.resident.clone()}</span>
                            <small class="cell-hint">{b.item_name.clone()}" · "{b.code.clone()}</small>
                        </span>
                        <span class=format!("status status-{}", b.status.as_str())>{tr.t(if b.absent { Msg::DeskMarkedAbsent } else { b.status.msg() })}</span>
                        {b.can_check_in.then(|| station_button!(mark.check_in, b.code.clone(), "check_in", Msg::DeskCheckIn, "btn-primary", tr))}
                        {b.can_mark_absent.then(|| station_button!(mark.absent, b.code.clone(), "absent", Msg::DeskAbsent, "btn-default", tr))}
                        {b.can_serve.then(|| station_button!(mark.served, b.code.clone(), "served", Msg::DeskServed, "btn-primary", tr))}
                    </div>
                }).collect_view()}
            </div>
        </section>
    }
}

/// `/station/residents/new`: register a resident with no phone or no account.
#[component]
pub fn RegisterResidentPage() -> impl IntoView {
    let tr = use_tr();
    let register = ServerAction::<RegisterResident>::new();
    let error = use_form_error(register);
    view! {
        <MobilePage title=Msg::DeskRegister back="/station">
            <ActionForm action=register attr:class="form" attr:novalidate=true>
                <TextField label=Msg::ApplicantName name="name" required=true check=crate::components::FieldCheck::Name error/>
                <TextField label=Msg::IdNumber name="id_number" required=true check=crate::components::FieldCheck::IdNumber error/>
                <TextField label=Msg::DeskPhoneOptional name="phone" input_type="tel" inputmode="numeric" error/>
                <TextField label=Msg::DeskResidentAddress name="address" required=true error/>
                <FormError error/>
                {move || error.get().filter(|e| matches!(e, crate::error::AppError::Rejected(_))).map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
                <button type="submit" class="btn btn-primary" id="register-submit">{tr.t(Msg::DeskRegister)}</button>
            </ActionForm>
        </MobilePage>
    }
}

/// `/station/residents/:id`: the resident's authorisations with this station, what the
/// helper may do for them now, and their records inside the authorisations.
#[component]
pub fn ResidentDeskPage() -> impl IntoView {
    let params = use_params_map();
    let desk = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0)), get_resident_desk);
    view! {
        <MobilePage title=Msg::DeskTitle back="/station">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match desk.await {
                        Ok(desk) => view! { <ResidentDeskView desk/> }.into_any(),
                        Err(err) => refused(err, "/station"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn ResidentDeskView(desk: ResidentDesk) -> impl IntoView {
    let tr = use_tr();
    let request = ServerAction::<RequestAuthorisation>::new();
    let error = use_form_error(request);
    let id = desk.id;
    view! {
        <section class="booking-card" id="resident">
            <h2 class="page-heading" id="resident-name">{desk.name.clone()}</h2>
            <p class="page-sub">{desk.id_masked.clone()}" · "{desk.phone_masked.clone()}" · "<span class="tag">{tr.t(if desk.has_account { Msg::DeskHasAccount } else { Msg::DeskNoAccount })}</span></p>
            {(!desk.address.is_empty()).then(|| view! { <p class="cell-hint">{desk.address.clone()}</p> })}
        </section>
        <section class="cells" id="allowed">
            <h2 class="cells-title">{tr.t(Msg::DeskAllowed)}</h2>
            {desk.allowed.is_empty().then(|| view! { <p class="cell-hint" id="nothing-allowed">{tr.t(Msg::DeskNothingAllowed)}</p> })}
            <div class="cells-body">
                {desk.allowed.iter().map(|(code, name, bookable)| view! {
                    <div class="cell">
                        <span class="cell-label">{name.clone()}</span>
                        <a class="btn btn-small btn-primary" href=format!("/cases/new?item={code}&for={id}") id=format!("file-{code}")>{tr.t(Msg::DeskFileCase)}</a>
                        {bookable.then(|| view! { <a class="btn btn-small btn-default" href=format!("/booking?item={code}&for={id}") id=format!("book-{code}")>{tr.t(Msg::DeskBook)}</a> })}
                    </div>
                }).collect_view()}
            </div>
        </section>
        <section class="cells" id="resident-cases">
            <h2 class="cells-title">{tr.t(Msg::DeskCases)}</h2>
            <div class="cells-body">
                {desk.cases.into_iter().map(|r| {
                    let limited = !r.full;
                    view! {
                        <a class="cell cell-link" href=format!("/cases/{}", r.key)>
                            <span class="cell-label"><span>{r.item.clone()}</span><small class="cell-hint">{r.key.clone()}{limited.then(|| format!(" · {}", tr.t(Msg::DeskSummaryOnly)))}</small></span>
                            <span class="tag">{tr.t(r.status)}</span>
                        </a>
                    }
                }).collect_view()}
            </div>
        </section>
        <section class="cells" id="resident-bookings">
            <h2 class="cells-title">{tr.t(Msg::DeskBookings)}</h2>
            <div class="cells-body">
                {desk.bookings.into_iter().map(|r| view! {
                    <a class="cell cell-link" href=format!("/bookings/{}", r.key)>
                        <span class="cell-label"><span>{r.item.clone()}</span><small class="cell-hint">{r.when.clone()}</small></span>
                        <span class="tag">{tr.t(r.status)}</span>
                    </a>
                }).collect_view()}
            </div>
        </section>
        <section class="cells" id="authorisations">
            <h2 class="cells-title">{tr.t(Msg::DeskAuthorisations)}</h2>
            {desk.authorisations.into_iter().map(|a| {
                let paper = a.needs_paper.then(|| view! { <a class="btn btn-small btn-primary" href=format!("/station/authorisations/{}", a.id)>{tr.t(Msg::PaperUpload)}</a> });
                view! { <AuthorisationCard a/>{paper} }
            }).collect_view()}
        </section>
        <section class="cells" id="new-authorisation">
            <h2 class="cells-title">{tr.t(Msg::DeskNewAuthorisation)}</h2>
            <ActionForm action=request attr:class="form" attr:novalidate=true>
                <input type="hidden" name="resident" value=id.to_string()/>
                <input type="hidden" name="key" value=desk.key.clone()/>
                <fieldset class="field">
                    <label class="choice"><input type="radio" name="scope" value="items" checked=true/><span>{tr.t(Msg::DeskScopeItems)}</span></label>
                    {desk.station_items.iter().enumerate().map(|(n, (code, name))| view! {
                        <label class="choice choice-indent"><input type="checkbox" name=format!("items[{n}]") value=code.clone()/><span>{name.clone()}</span></label>
                    }).collect_view()}
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field_msg("items")).map(|m| tr.t(m))}</p>
                    <label class="choice"><input type="radio" name="scope" value="case"/><span>{tr.t(Msg::DeskScopeCase)}</span></label>
                </fieldset>
                <TextField label=Msg::DeskCaseNumber name="case_number" error/>
                <div class="field">
                    <label class="field-label" for="field-until">{tr.t(Msg::DeskValidUntil)}</label>
                    <input id="field-until" type="date" name="until" value=desk.default_until.clone() max=desk.max_until.clone() required=true/>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field_msg("until")).map(|m| tr.t(m))}</p>
                </div>
                <label class="choice"><input type="checkbox" name="whole_station" value="on"/><span>{tr.t(Msg::DeskWholeStation)}</span></label>
                <fieldset class="field">
                    <label class="choice"><input type="radio" name="method" value="app" checked=desk.has_account disabled=!desk.has_account/><span>{tr.t(Msg::DeskMethodApp)}</span></label>
                    <label class="choice"><input type="radio" name="method" value="paper" checked=!desk.has_account/><span>{tr.t(Msg::DeskMethodPaper)}</span></label>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.field_msg("method")).map(|m| tr.t(m))}</p>
                </fieldset>
                <FormError error/>
                {move || error.get().filter(|e| matches!(e, crate::error::AppError::Rejected(_))).map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
                <button type="submit" class="btn btn-primary" id="authorisation-submit">{tr.t(Msg::DeskNewAuthorisation)}</button>
            </ActionForm>
        </section>
    }
}

/// `/station/authorisations/:id`: the 委托书 with the resident's details, to print and
/// sign, and the form to upload its photo.
#[component]
pub fn PaperPage() -> impl IntoView {
    let params = use_params_map();
    let form = Resource::new(move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()).unwrap_or(0)), get_paper_form);
    let upload_error = crate::components::query_refusal("upload_error");
    view! {
        <MobilePage title=Msg::PaperTitle back="/station">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <PaperView form upload_error=upload_error()/> }.into_any(),
                        Err(err) => refused(err, "/station"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn PaperView(form: PaperForm, upload_error: Option<String>) -> impl IntoView {
    let tr = use_tr();
    let helper = form.helper.clone().map(|h| format!("帮办员{h}")).unwrap_or_else(|| "本站帮办员".to_owned());
    view! {
        <article class="paper" id="paper">
            <h2 class="paper-title">{tr.t(Msg::PaperTitle)}</h2>
            <p>"委托人（本人）："<u>{form.resident.clone()}</u>"，身份证号："<u>{form.id_masked.clone()}</u>"，住址："<u>{form.address.clone()}</u>"。"</p>
            <p>"现委托"<u>{form.station.clone()}</u>{helper}"，代本人办理以下事项："<u>{form.scope.clone()}</u>"。"</p>
            <p>"委托期限：自"<u>{form.since.clone()}</u>"起至"<u>{form.until.clone()}</u>"止。本人可随时在“委托记录”中或到服务站撤销本委托。"</p>
            <p>"受托人代本人提交的材料、预约及评价，视为本人真实意思表示。"</p>
            <p class="paper-sign">"委托人签字（或按手印）：__________　　日期：__________"</p>
            <p class="paper-sign">"受托人签字：__________　　日期：__________"</p>
        </article>
        <CellGroup>
            <Cell label=tr.t(Msg::ItemStatus).to_owned() value=form.state.text(tr.0)/>
        </CellGroup>
        <div class="button-column no-print">
            <button type="button" class="btn btn-default" data-print="">{tr.t(Msg::PaperPrint)}</button>
            <script src="/print.js" defer></script>
            {upload_error.map(|e| view! { <p class="form-error" role="alert" id="upload-error">{e}</p> })}
            {(!form.has_photo).then(|| view! {
                <form class="form" method="post" enctype="multipart/form-data" action=format!("/station/authorisations/{}/paper", form.id)>
                    <label class="field-label" for="paper-file">{tr.t(Msg::PaperUpload)}</label>
                    <input id="paper-file" type="file" name="file" accept="image/*,application/pdf" capture="environment" required=true/>
                    <button type="submit" class="btn btn-primary" id="paper-submit">{tr.t(Msg::PaperUpload)}</button>
                </form>
            })}
            {form.has_photo.then(|| view! { <a class="btn btn-default" href=format!("/station/authorisations/{}/photo", form.id) id="paper-photo">{tr.t(Msg::PaperPhoto)}</a> })}
            <a class="link-center" href=format!("/station/residents/{}", form.resident_id)>{tr.t(Msg::DeskTitle)}</a>
        </div>
    }
}

//! The resident's side of cases: start one from a guide (智能填表), 我的办件, a case's
//! page with its materials, notice and timeline, the printable 一次性告知书, the public
//! status lookup and the message list. Every step is a link or a form post, so it all
//! works before WASM loads; `/upload.js` adds downscaling and progress bars on top.

use super::{
    CaseStatus, CaseSummary, CaseView, CreateCase, Handoff, MaterialSlot, NewCaseForm, NoticeView, RecordDelivery, RecordFollowUp, RecordReceipt,
    RemoveCaseFile,
};
use super::{get_case, get_case_form, list_messages, list_my_cases, lookup_case, unread_count};
use crate::components::{Cell, CellGroup, EmptyState, MobilePage, Tab, TextField, error_text, first_error, use_form_error};
use crate::components::{Timeline, refused};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// A status as a coloured tag.
pub fn status_tag(status: CaseStatus) -> impl IntoView {
    let tr = use_tr();
    view! { <span class=format!("status case-status-{}", status.as_str())>{tr.t(status.msg())}</span> }
}

/// The deadline line of a case: due date and working days left, overdue, or paused.
pub fn deadline_text(deadline: &Option<String>, days_left: Option<i64>, paused: bool, tr: crate::i18n::Tr) -> Option<String> {
    let deadline = deadline.clone()?;
    Some(match (paused, days_left) {
        (true, _) => format!("{deadline}（{}）", tr.t(Msg::ClockPaused)),
        (false, Some(d)) if d < 0 => format!("{deadline}（{} {}）", tr.t(Msg::Overdue), tr.t(Msg::DaysCount).replace("{}", &(-d).to_string())),
        (false, Some(d)) => format!("{deadline}（{}{d}）", tr.t(Msg::WorkingDaysLeft)),
        (false, None) => deadline,
    })
}

/// `/cases/new?item=CODE`: applicant details (prefilled), then a draft.
#[component]
pub fn NewCasePage() -> impl IntoView {
    let query = use_query_map();
    let form = Resource::new(
        move || query.with(|q| (q.get("item").unwrap_or_default(), q.get("for").and_then(|f| f.parse::<i32>().ok()))),
        |(code, for_resident)| get_case_form(code, for_resident),
    );
    view! {
        <MobilePage title=Msg::StartCaseTitle back="/guides">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <NewCaseFormView form/> }.into_any(),
                        Err(err) => refused(err, "/cases"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn NewCaseFormView(form: NewCaseForm) -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<CreateCase>::new();
    let error = use_form_error(create);
    let prefilled = !form.for_someone_else && !form.id_number.is_empty();
    view! {
        <section class="cells">
            <h2 class="page-heading">{form.item_name.clone()}</h2>
            <p class="page-sub">{tr.t(Msg::VersionLabel)}" "{form.guide_version}</p>
        </section>
        <ActionForm action=create attr:class="form case-form">
            <input type="hidden" name="code" value=form.item_code.clone()/>
            <input type="hidden" name="key" value=form.key.clone()/>
            {form.for_resident.map(|id| view! { <input type="hidden" name="for_resident" value=id.to_string()/> })}
            <fieldset class="cells">
                <legend class="cells-title">{tr.t(Msg::ApplicantDetails)}</legend>
                {form.for_someone_else.then(|| view! { <p class="cell-hint">{tr.t(Msg::HelperFillHint)}</p> })}
                {prefilled.then(|| view! { <p class="cell-hint">{tr.t(Msg::SmartFillHint)}</p> })}
                <TextField label=Msg::ApplicantName name="name" value=form.name.clone() required=true autocomplete="name" error/>
                <TextField label=Msg::ApplicantPhone name="phone" input_type="tel" inputmode="tel" value=form.phone.clone() required=!form.for_someone_else
                    check=crate::components::FieldCheck::Phone error/>
                <TextField label=Msg::IdNumber name="id_number" value=form.id_number.clone() required=true
                    check=crate::components::FieldCheck::IdNumber error/>
                <div class="field">
                    <label class="field-label" for="field-notes">{tr.t(Msg::CaseNotes)}</label>
                    <textarea id="field-notes" name="notes" rows="3" maxlength="500"></textarea>
                    <p class="field-error" role="alert">{move || error.with(|e| e.as_ref().and_then(|e| e.field_msg("notes"))).map(|m| tr.t(m))}</p>
                </div>
            </fieldset>
            <section class="cells">
                <h3 class="cells-title">{tr.t(Msg::MaterialsToUpload)}</h3>
                <ul class="cells-body checklist">
                    {form.materials.iter().map(|(name, need)| view! { <li class="cell"><span class="check" aria-hidden="true"></span><span class="cell-label">{format!("{name} ({})", need.text(tr.0))}</span></li> }).collect_view()}
                </ul>
            </section>
            {move || error.get().filter(|e| !matches!(e, crate::error::AppError::Validation(_))).map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
            <button type="submit" class="btn btn-primary" id="create-case" disabled=move || create.pending().get()>
                {move || if create.pending().get() { tr.t(Msg::Loading) } else { tr.t(Msg::CreateDraft) }}
            </button>
        </ActionForm>
    }
}

/// `/cases`: 我的办件, newest first, grouped by whether they are still going.
#[component]
pub fn MyCasesPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let cases = Resource::new(move || query.with(|q| q.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(0)), list_my_cases);
    view! {
        <MobilePage title=Msg::MyCases tab=Tab::Me back="/me">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(mine) if mine.cases.is_empty() && mine.page == 0 => view! {
                            <EmptyState title=Msg::MyCases body=Msg::NoCases>
                                <a class="btn btn-primary" href="/guides">{tr.t(Msg::EntryGuides)}</a>
                            </EmptyState>
                        }.into_any(),
                        Ok(mine) => {
                            let (page, more) = (mine.page, mine.more);
                            view! {
                                <CaseList list=mine.cases/>
                                <nav class="pager">
                                    {(page > 0).then(|| view! { <a class="btn btn-small btn-default" href=format!("/cases?page={}", page - 1)>{tr.t(Msg::PagePrevious)}</a> })}
                                    {more.then(|| view! { <a class="btn btn-small btn-default" id="cases-more" href=format!("/cases?page={}", page + 1)>{tr.t(Msg::PageNext)}</a> })}
                                </nav>
                            }.into_any()
                        }
                        Err(err) => refused(err, "/cases"),
                    }
                })}
            </Suspense>
            <a class="link-center" href="/track">{tr.t(Msg::TrackCase)}</a>
        </MobilePage>
    }
}

#[component]
fn CaseList(list: Vec<CaseSummary>) -> impl IntoView {
    let tr = use_tr();
    let row = move |c: CaseSummary| {
        let due = deadline_text(&c.deadline, c.days_left, c.paused, tr);
        view! {
            <a class="cell cell-link case-row" href=format!("/cases/{}", c.number)>
                <span class="cell-label">
                    <span>{c.item_name.clone()}</span>
                    <small class="cell-hint">{c.number.clone()}" · "{c.updated_at.clone()}{c.assisted.then(|| view! { " · "<span class="tag">{tr.t(Msg::AssistedTag)}</span> })}</small>
                    {c.limited.then(|| view! { <small class="cell-hint">{tr.t(Msg::DeskSummaryOnly)}</small> })}
                    {due.map(|d| view! { <small class="cell-hint" class:warn=c.overdue>{tr.t(Msg::CaseDeadline)}" "{d}</small> })}
                </span>
                {status_tag(c.status)}
            </a>
        }
    };
    let (going, done): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| c.status.is_open() || c.status == CaseStatus::Draft);
    view! {
        {(!going.is_empty()).then(|| view! {
            <section class="cells"><h2 class="cells-title">{tr.t(Msg::CasesOpen)}</h2><div class="cells-body">{going.into_iter().map(row).collect_view()}</div></section>
        })}
        {(!done.is_empty()).then(|| view! {
            <section class="cells"><h2 class="cells-title">{tr.t(Msg::CasesClosed)}</h2><div class="cells-body">{done.into_iter().map(row).collect_view()}</div></section>
        })}
    }
}

/// `/cases/:number`: the case's status, deadline, materials (with uploads while it
/// may change), the one-time notice and the timeline.
#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let params = use_params_map();
    let act = ApplicantSteps::new();
    let remove = ServerAction::<RemoveCaseFile>::new();
    let handoff = HandoffSteps { deliver: ServerAction::new(), receive: ServerAction::new(), follow_up: ServerAction::new() };
    let case = Resource::new(
        move || (params.with(|p| p.get("number")).unwrap_or_default(), act.version(), remove.version().get(), handoff.version()),
        |(number, _, _, _)| get_case(number),
    );
    let upload_error = crate::components::query_refusal("upload_error");
    view! {
        <MobilePage title=Msg::CaseDetail back="/cases">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(c) if c.limited => view! { <LimitedCase c/> }.into_any(),
                        Ok(c) => view! { <CaseCard c act remove handoff upload_error=upload_error()/> }.into_any(),
                        Err(err) => refused(err, "/cases"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn LimitedCase(c: CaseView) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="booking-card case-card" id="case">
            {status_tag(c.status)}
            <h2 class="page-heading">{c.item_name.clone()}</h2>
            <p class="booking-code">{tr.t(Msg::CaseNumberLabel)}" "<strong id="case-number">{c.number.clone()}</strong></p>
            <p class="cell-hint" id="case-limited">{tr.t(Msg::DeskSummaryOnly)}</p>
        </section>
    }
}

/// The hand-off steps, each its own server function.
#[derive(Clone, Copy)]
struct HandoffSteps {
    deliver: ServerAction<RecordDelivery>,
    receive: ServerAction<RecordReceipt>,
    follow_up: ServerAction<RecordFollowUp>,
}

impl HandoffSteps {
    fn version(self) -> (usize, usize, usize) {
        (self.deliver.version().get(), self.receive.version().get(), self.follow_up.version().get())
    }
}

/// 送达服务站 → 群众签收 → 回访 of a completed assisted case.
#[component]
fn HandoffBox(h: Handoff, number: String, action: HandoffSteps) -> impl IntoView {
    let tr = use_tr();
    let error = first_error([use_form_error(action.deliver), use_form_error(action.receive), use_form_error(action.follow_up)]);
    let pending = move || action.deliver.pending().get() || action.receive.pending().get() || action.follow_up.pending().get();
    let today = h.today.clone();
    let (n_deliver, n_receive, n_follow_up) = (number.clone(), number.clone(), number);
    view! {
        <section class="cells" id="handoff">
            <h2 class="cells-title">{tr.t(Msg::HandoffTitle)}</h2>
            <div class="cells-body">
                <Cell label=tr.t(Msg::HandoffDelivered).to_owned() value=h.delivered_at.clone().unwrap_or_else(|| "—".to_owned())/>
                <Cell label=tr.t(Msg::HandoffReceived).to_owned() value=h.received_on.clone().unwrap_or_else(|| "—".to_owned())/>
                <Cell label=tr.t(Msg::HandoffFollowUp).to_owned() value=h.followed_up_at.clone().unwrap_or_else(|| "—".to_owned())/>
            </div>
            {move || error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
            <div class="button-column">
                {h.can_deliver.then(|| view! {
                    <ActionForm action=action.deliver attr:class="form handoff-form">
                        <input type="hidden" name="number" value=n_deliver/>
                        <button type="submit" class="btn btn-primary btn-small" id="handoff-deliver" disabled=pending>{tr.t(Msg::HandoffDeliver)}</button>
                    </ActionForm>
                })}
                {h.can_receive.then(|| view! {
                    <ActionForm action=action.receive attr:class="form handoff-form">
                        <input type="hidden" name="number" value=n_receive/>
                        <label class="field-label" for="handoff-day">{tr.t(Msg::HandoffReceivedOn)}</label>
                        <input id="handoff-day" type="date" name="day" value=today.clone()/>
                        <button type="submit" class="btn btn-primary btn-small" id="handoff-receive" disabled=pending>{tr.t(Msg::HandoffReceive)}</button>
                    </ActionForm>
                })}
                {h.can_follow_up.then(|| view! {
                    <ActionForm action=action.follow_up attr:class="form handoff-form">
                        <input type="hidden" name="number" value=n_follow_up/>
                        <label class="field-label" for="handoff-note">{tr.t(Msg::HandoffNote)}</label>
                        <input id="handoff-note" type="text" name="note" maxlength="200"/>
                        <button type="submit" class="btn btn-primary btn-small" id="handoff-follow_up" disabled=pending>{tr.t(Msg::HandoffRecordFollowUp)}</button>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}

/// What the applicant may do with the case, each its own server function.
#[derive(Clone, Copy)]
struct ApplicantSteps {
    submit: ServerAction<super::SubmitCase>,
    withdraw: ServerAction<super::WithdrawCase>,
    resubmit: ServerAction<super::ResubmitCase>,
}

impl ApplicantSteps {
    fn new() -> Self {
        ApplicantSteps { submit: ServerAction::new(), withdraw: ServerAction::new(), resubmit: ServerAction::new() }
    }

    /// Tracks every step, so the case reloads after any of them.
    fn version(self) -> (usize, usize, usize) {
        (self.submit.version().get(), self.withdraw.version().get(), self.resubmit.version().get())
    }
}

/// One applicant step's button: a form posting the case number to `$action`.
macro_rules! step_button {
    ($action:expr, $id:literal, $label:expr, $class:literal, $number:expr, $tr:expr) => {
        crate::one_step_form!($action, "number" = $number, form = "form", class = concat!("btn ", $class), id = concat!("case-", $id), $label, $tr)
    };
}

#[component]
fn CaseCard(c: CaseView, act: ApplicantSteps, remove: ServerAction<RemoveCaseFile>, handoff: HandoffSteps, upload_error: Option<String>) -> impl IntoView {
    let tr = use_tr();
    let error = first_error([use_form_error(act.submit), use_form_error(act.withdraw), use_form_error(act.resubmit)]);
    let remove_error = use_form_error(remove);
    let number = c.number.clone();
    let due = deadline_text(&c.deadline, c.days_left, c.paused, tr);
    let active_notice = c.notices.iter().find(|n| n.status == "active").cloned();
    view! {
        <section class="booking-card case-card" id="case">
            {status_tag(c.status)}
            <h2 class="page-heading">{c.item_name.clone()}</h2>
            <p class="booking-code">{tr.t(Msg::CaseNumberLabel)}" "<strong id="case-number">{c.number.clone()}</strong></p>
            {due.map(|d| view! { <p class="cell-hint" class:warn=c.days_left.is_some_and(|d| d < 0)>{tr.t(Msg::CaseDeadline)}" "{d}</p> })}
        </section>
        {active_notice.map(|n| view! { <NoticeBox n number=c.number.clone()/> })}
        <CellGroup>
            <Cell label=tr.t(Msg::ApplicantName).to_owned() value=c.applicant_name.clone()/>
            <Cell label=tr.t(Msg::IdNumber).to_owned() value=c.id_masked.clone()/>
            <Cell label=tr.t(Msg::ApplicantPhone).to_owned() value=c.phone_masked.clone()/>
            {c.helper.clone().map(|h| view! { <Cell label=tr.t(Msg::FiledByHelper).to_owned() value=h/> })}
            {c.result.clone().map(|r| view! { <Cell label=tr.t(Msg::CaseResult).to_owned() value=r/> })}
            {c.pickup.clone().map(|p| view! { <Cell label=tr.t(Msg::CasePickup).to_owned() value=p/> })}
            {c.reason.clone().map(|r| view! { <Cell label=tr.t(Msg::CaseReason).to_owned() value=r/> })}
        </CellGroup>
        <section class="cells" id="materials">
            <h2 class="cells-title">{tr.t(Msg::CaseMaterials)}</h2>
            {upload_error.map(|e| view! { <p class="form-error" role="alert" id="upload-error">{e}</p> })}
            {move || remove_error.get().map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
            <div class="cells-body">
                {c.materials.iter().cloned().map(|m| view! { <MaterialBox m number=c.number.clone() remove/> }).collect_view()}
            </div>
        </section>
        <div class="button-column">
            {move || error.get().map(|err| view! { <p class="form-error" role="alert" id="case-error">{error_text(&err, tr)}</p> })}
            {c.can_submit.then(|| step_button!(act.submit, "submit", Msg::SubmitCase, "btn-primary", number.clone(), tr))}
            {c.can_resubmit.then(|| step_button!(act.resubmit, "resubmit", Msg::ResubmitCase, "btn-primary", number.clone(), tr))}
            {c.can_withdraw.then(|| step_button!(act.withdraw, "withdraw", Msg::WithdrawCase, "btn-warn", number.clone(), tr))}
            {(c.status == CaseStatus::Completed && c.staff.is_none()).then(|| view! {
                <a class="btn btn-primary" href=format!("/rate/case/{}", c.number) id="rate-case">{tr.t(Msg::RateService)}</a>
            })}
        </div>
        {c.handoff.clone().map(|h| view! { <HandoffBox h number=c.number.clone() action=handoff/> })}
        <Timeline entries=c.timeline.clone()/>
        <script src="/upload.js" defer></script>
    }
}

#[component]
fn NoticeBox(n: NoticeView, number: String) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="notice-box" id="notice" role="status">
            <h2 class="notice-title">{tr.t(Msg::NoticeTitle)}</h2>
            <p>{tr.t(Msg::NoticeIntro)}</p>
            <ol class="notice-items">
                {n.items.iter().map(|i| view! { <li><strong>{i.material.clone()}</strong>{tr.t(Msg::Colon)} {i.reason.clone()}</li> }).collect_view()}
            </ol>
            <p class="cell-hint">{n.issued_at.clone()}" · "{n.clerk.clone()}</p>
            <a class="btn btn-default btn-small" href=format!("/cases/{number}/notice")>{tr.t(Msg::PrintNotice)}</a>
        </section>
    }
}

#[component]
fn MaterialBox(m: MaterialSlot, number: String, remove: ServerAction<RemoveCaseFile>) -> impl IntoView {
    let tr = use_tr();
    let files = m
        .files
        .into_iter()
        .map(|f| {
            let href = format!("/cases/{number}/files/{}", f.id);
            let picture = if f.image {
                view! { <img src=href.clone() alt=f.name.clone() loading="lazy" width="72" height="72"/> }.into_any()
            } else {
                view! { <span class="thumb-doc">"PDF"</span> }.into_any()
            };
            let number = number.clone();
            view! {
                <li class="thumb">
                    <a href=href target="_blank">{picture}</a>
                    <small>{f.name.clone()}</small>
                    {f.can_remove.then(move || view! {
                        <ActionForm action=remove attr:class="thumb-remove">
                            <input type="hidden" name="number" value=number/>
                            <input type="hidden" name="file" value=f.id.to_string()/>
                            <button type="submit" class="btn-link">{tr.t(Msg::RemoveFile)}</button>
                        </ActionForm>
                    })}
                </li>
            }
        })
        .collect_view();
    let action = format!("/cases/{number}/materials/{}", m.index);
    view! {
        <div class="material" class:requested=m.requested.is_some() id=format!("material-{}", m.index)>
            <p class="material-name">{m.name.clone()}" "<small class="cell-hint">{m.requirement.text(tr.0)}</small></p>
            {(!m.note.is_empty()).then(|| view! { <p class="cell-hint">{m.note.clone()}</p> })}
            {m.requested.clone().map(|r| view! { <p class="notice-warn">{r}</p> })}
            {m.sample_href.clone().map(|h| view! { <a class="cell-hint" href=h target="_blank">{tr.t(Msg::ViewSample)}</a> })}
            <ul class="thumbs">{files}</ul>
            {m.can_upload.then(move || view! {
                <form class="upload-form" method="post" enctype="multipart/form-data" action=action data-upload="1">
                    <label class="btn btn-default upload-pick">
                        {tr.t(Msg::TakePhotoOrFile)}
                        <input type="file" name="file" accept="image/jpeg,image/png,image/webp,application/pdf" multiple=true/>
                    </label>
                    <button type="submit" class="btn btn-small upload-submit">{tr.t(Msg::UploadNow)}</button>
                    <ul class="upload-list" aria-live="polite" data-retry=tr.t(Msg::UploadRetry)></ul>
                </form>
            })}
        </div>
    }
}

/// `/cases/:number/notice`: the one-time notice, laid out to print.
#[component]
pub fn NoticePrintPage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let case = Resource::new(move || params.with(|p| p.get("number")).unwrap_or_default(), get_case);
    view! {
        <MobilePage title=Msg::NoticeTitle back="/cases">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(c) => match c.notices.iter().find(|n| matches!(n.status.as_str(), "active" | "answered")).cloned() {
                            Some(n) => view! {
                                <article class="print-sheet">
                                    <h2>{tr.t(Msg::NoticeTitle)}</h2>
                                    <p>{c.applicant_name.clone()}"："</p>
                                    <p>"您于本中心申请办理的“"{c.item_name.clone()}"”（"{tr.t(Msg::CaseNumberLabel)}" "{c.number.clone()}"），"{tr.t(Msg::NoticeIntro)}</p>
                                    <ol>{n.items.iter().map(|i| view! { <li><strong>{i.material.clone()}</strong>"：" {i.reason.clone()}</li> }).collect_view()}</ol>
                                    <p>"补正期间办结时限暂停计算，补正提交后继续计算。"</p>
                                    <p class="cell-hint">{tr.t(Msg::CenterName)}" · "{n.clerk.clone()}" · "{n.issued_at.clone()}</p>
                                </article>
                            }.into_any(),
                            None => view! { <EmptyState title=Msg::NoticeTitle/> }.into_any(),
                        },
                        Err(err) => refused(err, "/cases"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// `/track`: the public status lookup (number and the phone's last four digits). A
/// GET form, so it works without JavaScript and the result can be bookmarked.
#[component]
pub fn TrackPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let asked = move || query.with(|q| Some((q.get("number")?, q.get("last4")?)));
    let result = Resource::new(asked, |asked| async move {
        match asked {
            Some((number, last4)) => Some(lookup_case(number, last4).await),
            None => None,
        }
    });
    view! {
        <MobilePage title=Msg::TrackCase back="/">
            <form class="form cells" method="get" action="/track">
                <p class="cell-hint">{tr.t(Msg::TrackHint)}</p>
                <label class="field-label" for="track-number">{tr.t(Msg::CaseNumberLabel)}</label>
                <input id="track-number" name="number" required=true placeholder="BM20260101-0001" value=move || asked().map(|a| a.0)/>
                <label class="field-label" for="track-last4">{tr.t(Msg::PhoneLast4)}</label>
                <input id="track-last4" name="last4" required=true inputmode="numeric" maxlength="4" pattern="[0-9]{4}"/>
                <button type="submit" class="btn btn-primary">{tr.t(Msg::Search)}</button>
            </form>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match result.await {
                        Some(Ok(status)) => view! {
                            <section class="booking-card" id="track-result">
                                {status_tag(status.status)}
                                <h2 class="page-heading">{status.item_name.clone()}</h2>
                                <p>{status.number.clone()}</p>
                                {status.deadline.clone().map(|d| view! { <p class="cell-hint">{tr.t(Msg::CaseDeadline)}" "{d}</p> })}
                            </section>
                            <Timeline entries=status.timeline/>
                        }.into_any(),
                        Some(Err(err)) => view! { <p class="form-error" role="alert" id="track-error">{error_text(&err, tr)}</p> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// `/messages`: service notices, newest first (opening them marks them read).
#[component]
pub fn MessagesPage() -> impl IntoView {
    let tr = use_tr();
    let messages = Resource::new(|| (), |_| list_messages());
    view! {
        <MobilePage title=Msg::Messages back="/me">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState title=Msg::NoMessages/> }.into_any(),
                        Ok(list) => view! {
                            <ul class="messages">
                                {list.into_iter().map(|m| view! {
                                    <li class="message" class:unread=m.unread>
                                        <a href=m.link.clone()>
                                            <p class="message-title">{m.note.as_ref().map_or_else(|| m.title.clone(), |n| n.title.text(tr.0))}<small class="cell-hint">{m.at.clone()}</small></p>
                                            <p class="message-body">{m.note.as_ref().map_or_else(|| m.body.clone(), |n| n.body.text(tr.0))}</p>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => refused(err, "/messages"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// The 我的 page's entries for cases and messages, with the unread count.
#[component]
pub fn MeCaseCells() -> impl IntoView {
    let tr = use_tr();
    let unread = Resource::new(|| (), |_| unread_count());
    view! {
        <CellGroup>
            <Cell label=tr.t(Msg::MyCases).to_owned() href="/cases".to_owned()/>
            <a class="cell cell-link" href="/messages" id="messages-cell">
                <span class="cell-label">{tr.t(Msg::Messages)}</span>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let n = unread.await.unwrap_or(0);
                        (n > 0).then(|| view! { <span class="badge" id="unread-badge">{n}</span> })
                    })}
                </Suspense>
                {crate::components::Icon::Chevron.view()}
            </a>
            <Cell label=tr.t(Msg::TrackCase).to_owned() href="/track".to_owned()/>
            <Cell label=tr.t(Msg::MyFeedback).to_owned() href="/feedback".to_owned()/>
        </CellGroup>
    }
}

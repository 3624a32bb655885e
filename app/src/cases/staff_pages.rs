//! The console's side of cases: the clerk's inbox (due soon, overdue, awaiting the
//! chief), a case with every action its status allows, and the chief's AB岗 page.

use super::pages::{deadline_text, status_tag};
use super::{AcceptCase, ApproveNotice, CompleteCase, DeclineNotice, HandOverCase, RejectCase, StartCase};
use super::{AddLeave, CaseFilter, CaseSummary, CaseView, RemoveLeave, RevealId, SetBackup};
use super::{case_inbox, get_ab_admin, get_case};
use crate::components::{EmptyState, error_text, first_error, use_form_error};
use crate::components::{StaffLayout, Timeline, refused};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/cases?filter=`: the inbox.
#[component]
pub fn StaffCasesPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let filter = move || query.with(|q| q.get("filter").map(|f| CaseFilter::from_query(&f)).unwrap_or_default());
    let cases = Resource::new(filter, case_inbox);
    view! {
        <StaffLayout title=Msg::StaffCases>
            <nav class="filter-chips">
                {CaseFilter::ALL.into_iter().map(|key| view! {
                    <a class="day-chip" class:selected=move || filter() == key href=format!("/staff/cases?filter={}", key.as_str())>{tr.t(key.label())}</a>
                }).collect_view()}
            </nav>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState title=Msg::InboxEmpty/> }.into_any(),
                        Ok(list) => view! { <Inbox list/> }.into_any(),
                        Err(err) => refused(err, "/staff/cases"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
fn Inbox(list: Vec<CaseSummary>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <ul class="console-list" id="inbox">
            {list.into_iter().map(|c| {
                let due = deadline_text(&c.deadline, c.days_left, c.paused, tr);
                view! {
                    <li class="console-card case-row" class:overdue=c.overdue class:due-soon=c.due_soon>
                        <a href=format!("/staff/cases/{}", c.number)>
                            <p><strong>{c.item_name.clone()}</strong>" "{status_tag(c.status)}</p>
                            <p class="cell-hint">{c.number.clone()}" · "{c.applicant.clone()}" · "{c.id_masked.clone()}{c.assisted.then(|| view! { " "<span class="tag" id=format!("assisted-{}", c.number)>{tr.t(Msg::AssistedTag)}</span> })}</p>
                            {due.map(|d| view! { <p class="cell-hint">{tr.t(Msg::CaseDeadline)}" "{d}</p> })}
                            {c.overdue.then(|| view! { <span class="tag tag-warn">{tr.t(Msg::Overdue)}</span> })}
                            {c.due_soon.then(|| view! { <span class="tag tag-warn">{tr.t(Msg::DueSoon)}</span> })}
                            {c.backup_for.clone().map(|a| view! { <span class="tag">{tr.t(Msg::BackupFor)}" "{a}</span> })}
                            {c.pending_approval.then(|| view! { <span class="tag">{tr.t(Msg::FilterApproval)}</span> })}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What a clerk (or the chief) may decide on a case, each its own server function.
#[derive(Clone, Copy)]
struct DeskSteps {
    accept: ServerAction<AcceptCase>,
    process: ServerAction<StartCase>,
    complete: ServerAction<CompleteCase>,
    reject: ServerAction<RejectCase>,
    handover: ServerAction<HandOverCase>,
    approve: ServerAction<ApproveNotice>,
    decline: ServerAction<DeclineNotice>,
}

impl DeskSteps {
    fn new() -> Self {
        DeskSteps {
            accept: ServerAction::new(),
            process: ServerAction::new(),
            complete: ServerAction::new(),
            reject: ServerAction::new(),
            handover: ServerAction::new(),
            approve: ServerAction::new(),
            decline: ServerAction::new(),
        }
    }

    /// Tracks every step, so the case reloads after any of them.
    fn version(self) -> [usize; 7] {
        [
            self.accept.version().get(),
            self.process.version().get(),
            self.complete.version().get(),
            self.reject.version().get(),
            self.handover.version().get(),
            self.approve.version().get(),
            self.decline.version().get(),
        ]
    }

    fn error(self) -> Signal<Option<crate::error::AppError>> {
        first_error([
            use_form_error(self.accept),
            use_form_error(self.process),
            use_form_error(self.complete),
            use_form_error(self.reject),
            use_form_error(self.handover),
            use_form_error(self.approve),
            use_form_error(self.decline),
        ])
    }
}

/// A step that needs nothing but the case number: one button.
macro_rules! desk_button {
    ($action:expr, $id:literal, $label:expr, $class:literal, $number:expr, $tr:expr) => {
        crate::one_step_form!(
            $action,
            "number" = $number,
            form = "inline-form",
            class = concat!("btn btn-small ", $class),
            id = concat!("act-", $id),
            $label,
            $tr
        )
    };
}

/// `/staff/cases/:number`: the case and what may be done with it now.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let decide = DeskSteps::new();
    let case = Resource::new(move || (params.with(|p| p.get("number")).unwrap_or_default(), decide.version()), |(n, _)| get_case(n));
    view! {
        <StaffLayout title=Msg::CaseDetail>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(c) => view! { <StaffCase c decide/> }.into_any(),
                        Err(err) => refused(err, "/staff/cases"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
fn StaffCase(c: CaseView, decide: DeskSteps) -> impl IntoView {
    let tr = use_tr();
    let error = decide.error();
    let reveal = ServerAction::<RevealId>::new();
    let actions = c.staff.clone().unwrap_or_default();
    let number = c.number.clone();
    let due = deadline_text(&c.deadline, c.days_left, c.paused, tr);
    let notice_error = crate::components::query_refusal("notice_error");
    let (n_reveal, n_complete, n_reject, n_handover) = (c.number.clone(), c.number.clone(), c.number.clone(), c.number.clone());
    let supplement_action = format!("/staff/cases/{}/supplement", c.number);
    let files_base = c.number.clone();
    let materials_for_notice = c.materials.clone();
    view! {
        <section class="console-card" id="case">
            <p>{status_tag(c.status)}" "<strong id="case-number">{c.number.clone()}</strong></p>
            <h2>{c.item_name.clone()}<small class="cell-hint">" "{tr.t(Msg::VersionLabel)}" "{c.guide_version}</small></h2>
            {due.map(|d| view! { <p>{tr.t(Msg::CaseDeadline)}" "{d}</p> })}
            <p>{tr.t(Msg::ApplicantName)}{tr.t(Msg::Colon)}{c.applicant_name.clone()}" · "{c.phone_masked.clone()}</p>
            <p>{tr.t(Msg::IdNumber)}{tr.t(Msg::Colon)}<span id="id-number">{move || reveal.value().get().and_then(|r| r.ok()).unwrap_or_else(|| c.id_masked.clone())}</span></p>
            <ActionForm action=reveal attr:class="inline-form">
                <input type="hidden" name="number" value=n_reveal/>
                <button type="submit" class="btn-link" id="reveal-id">{tr.t(Msg::RevealId)}</button>
            </ActionForm>
            {c.helper.clone().map(|h| view! { <p id="case-assisted"><span class="tag">{tr.t(Msg::AssistedTag)}</span>" "{h}</p> })}
            {c.window.clone().map(|w| view! { <p>{tr.t(Msg::Window)}{tr.t(Msg::Colon)}{w}</p> })}
            {c.owner.clone().map(|o| view! { <p>{tr.t(Msg::Owner)}{tr.t(Msg::Colon)}{o}</p> })}
            {(!c.notes.is_empty()).then(|| view! { <p class="cell-hint">{c.notes.clone()}</p> })}
            {c.result.clone().map(|r| view! { <p>{tr.t(Msg::CaseResult)}{tr.t(Msg::Colon)}{r}</p> })}
            {c.reason.clone().map(|r| view! { <p>{tr.t(Msg::CaseReason)}{tr.t(Msg::Colon)}{r}</p> })}
        </section>
        <section class="console-card">
            <h3>{tr.t(Msg::CaseMaterials)}</h3>
            <ul class="thumbs">
                {c.materials.iter().map(|m| view! {
                    <li class="material-line">
                        <strong>{m.name.clone()}</strong>" "<small>{m.requirement.text(tr.0)}</small>
                        {m.files.iter().map(|f| view! {
                            " " <a href=format!("/cases/{}/files/{}", files_base, f.id) target="_blank">{f.name.clone()}</a>
                        }).collect_view()}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        {c.notices.iter().map(|n| view! {
            <section class="console-card notice-box">
                <h3>{tr.t(Msg::NoticeTitle)}" #"{n.seq}" · "{n.status.clone()}{n.extra.then(|| format!(" ({})", tr.t(Msg::NoticeExtra)))}</h3>
                <ol>{n.items.iter().map(|i| view! { <li>{i.material.clone()}{tr.t(Msg::Colon)}{i.reason.clone()}</li> }).collect_view()}</ol>
                <p class="cell-hint">{n.clerk.clone()}" · "{n.issued_at.clone()}</p>
            </section>
        }).collect_view()}
        <section class="console-card" id="actions">
            {move || error.get().map(|err| view! { <p class="form-error" role="alert" id="act-error">{error_text(&err, tr)}</p> })}
            <div class="inline-actions">
                {actions.accept.then(|| desk_button!(decide.accept, "accept", Msg::ActAccept, "btn-primary", number.clone(), tr))}
                {actions.process.then(|| desk_button!(decide.process, "process", Msg::ActProcess, "btn-default", number.clone(), tr))}
                {actions.approve.then(|| desk_button!(decide.approve, "approve", Msg::ActApprove, "btn-primary", number.clone(), tr))}
                {actions.approve.then(|| desk_button!(decide.decline, "decline", Msg::ActDecline, "btn-default", number.clone(), tr))}
            </div>
            {actions.supplement.then(move || view! {
                <form class="form" method="post" action=supplement_action id="supplement">
                    <h3>{tr.t(Msg::ActSupplement)}</h3>
                    <p class="cell-hint">{tr.t(Msg::SupplementHint)}</p>
                    {notice_error().map(|e| view! { <p class="form-error" role="alert" id="notice-error">{e}</p> })}
                    {materials_for_notice.iter().map(|m| view! {
                        <label class="choice"><input type="checkbox" name="m" value=m.index.to_string()/><span>{m.name.clone()}</span></label>
                        <input name=format!("reason_{}", m.index) placeholder=tr.t(Msg::NoticeReasonPlaceholder) maxlength="200"/>
                    }).collect_view()}
                    <button type="submit" class="btn btn-warn" id="send-notice">{tr.t(Msg::ActSupplement)}</button>
                </form>
            })}
            {actions.complete.then(move || view! {
                <ActionForm action=decide.complete attr:class="form">
                    <input type="hidden" name="number" value=n_complete/>
                    <label class="field-label" for="complete-text">{tr.t(Msg::ResultNote)}</label>
                    <textarea id="complete-text" name="result" rows="2" maxlength="500" required=true></textarea>
                    <label class="field-label" for="complete-pickup">{tr.t(Msg::PickupNote)}</label>
                    <input id="complete-pickup" name="pickup" maxlength="200"/>
                    <button type="submit" class="btn btn-primary" id="act-complete">{tr.t(Msg::ActComplete)}</button>
                </ActionForm>
            })}
            {actions.reject.then(move || view! {
                <ActionForm action=decide.reject attr:class="form">
                    <input type="hidden" name="number" value=n_reject/>
                    <label class="field-label" for="reject-text">{tr.t(Msg::RejectReason)}</label>
                    <textarea id="reject-text" name="reason" rows="2" maxlength="500" required=true></textarea>
                    <button type="submit" class="btn btn-warn" id="act-reject">{tr.t(Msg::ActReject)}</button>
                </ActionForm>
            })}
            {actions.handover.then(move || view! {
                <ActionForm action=decide.handover attr:class="inline-form">
                    <input type="hidden" name="number" value=n_handover/>
                    <select name="to" aria-label=tr.t(Msg::ActHandover)>
                        {actions.clerks.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::ActHandover)}</button>
                </ActionForm>
            })}
        </section>
        <Timeline entries=c.timeline.clone()/>
    }
}

/// `/staff/ab`: the chief sets each clerk's backup and records leave.
#[component]
pub fn AbPage() -> impl IntoView {
    let tr = use_tr();
    let pair = ServerAction::<SetBackup>::new();
    let leave = ServerAction::<AddLeave>::new();
    let end = ServerAction::<RemoveLeave>::new();
    let admin = Resource::new(move || (pair.version().get(), leave.version().get(), end.version().get()), |_| get_ab_admin());
    let errors = [use_form_error(pair), use_form_error(leave), use_form_error(end)];
    view! {
        <StaffLayout title=Msg::StaffAb>
            {move || errors.iter().find_map(|e| e.get()).map(|err| view! { <p class="form-error" role="alert" id="ab-error">{error_text(&err, tr)}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match admin.await {
                        Ok(a) => {
                            let clerks = a.clerks.clone();
                            view! {
                                <section class="console-card">
                                    <h3>{tr.t(Msg::AbPairs)}</h3>
                                    {a.pairs.into_iter().map(|(id, name, backup, _)| {
                                        let clerks = clerks.clone();
                                        view! {
                                            <ActionForm action=pair attr:class="inline-form">
                                                <input type="hidden" name="clerk" value=id.to_string()/>
                                                <span>{name}" → "{tr.t(Msg::BackupLabel)}</span>
                                                <select name="backup" aria-label=tr.t(Msg::BackupLabel)>
                                                    <option value="">"—"</option>
                                                    {clerks.iter().filter(|(c, _)| *c != id).map(|(c, n)| view! {
                                                        <option value=c.to_string() selected=backup == Some(*c)>{n.clone()}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::Save)}</button>
                                            </ActionForm>
                                        }
                                    }).collect_view()}
                                </section>
                                <section class="console-card">
                                    <h3>{tr.t(Msg::LeaveDays)}</h3>
                                    {a.leave.is_empty().then(|| view! { <p class="cell-hint">{tr.t(Msg::NoLeave)}</p> })}
                                    {a.leave.into_iter().map(|(id, name, from, to)| view! {
                                        <ActionForm action=end attr:class="inline-form">
                                            <input type="hidden" name="id" value=id.to_string()/>
                                            <span>{name}" "{from}" ~ "{to}</span>
                                            <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::EndLeave)}</button>
                                        </ActionForm>
                                    }).collect_view()}
                                    <ActionForm action=leave attr:class="form">
                                        <select name="clerk" aria-label=tr.t(Msg::StaffUsers)>
                                            {clerks.iter().map(|(c, n)| view! { <option value=c.to_string()>{n.clone()}</option> }).collect_view()}
                                        </select>
                                        <label class="field-label" for="leave-from">{tr.t(Msg::LeaveFrom)}</label>
                                        <input id="leave-from" type="date" name="from" required=true/>
                                        <label class="field-label" for="leave-to">{tr.t(Msg::LeaveTo)}</label>
                                        <input id="leave-to" type="date" name="to" required=true/>
                                        <button type="submit" class="btn btn-primary">{tr.t(Msg::AddLeave)}</button>
                                    </ActionForm>
                                </section>
                            }.into_any()
                        }
                        Err(err) => refused(err, "/staff/ab"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

//! The console's side of cases: the clerk's inbox (due soon, overdue, awaiting the
//! chief), a case with every action its status allows, and the chief's AB岗 page.

use super::pages::{deadline_text, status_tag};
use super::{AddLeave, CaseSummary, CaseView, RemoveLeave, RevealId, SetBackup, StaffAction};
use super::{case_inbox, get_ab_admin, get_case};
use crate::components::{EmptyState, error_text, use_form_error};
use crate::components::{StaffLayout, Timeline, refused};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

const FILTERS: [(&str, Msg); 4] =
    [("all", Msg::FilterAll), ("due_soon", Msg::FilterDueSoon), ("overdue", Msg::FilterOverdue), ("approval", Msg::FilterApproval)];

/// `/staff/cases?filter=`: the inbox.
#[component]
pub fn StaffCasesPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let filter = move || query.with(|q| q.get("filter").unwrap_or_else(|| "all".to_owned()));
    let cases = Resource::new(filter, case_inbox);
    view! {
        <StaffLayout title=Msg::StaffCases>
            <nav class="filter-chips">
                {FILTERS.into_iter().map(|(key, label)| view! {
                    <a class="day-chip" class:selected=move || filter() == key href=format!("/staff/cases?filter={key}")>{tr.t(label)}</a>
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

/// `/staff/cases/:number`: the case and what may be done with it now.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let decide = ServerAction::<StaffAction>::new();
    let case = Resource::new(move || (params.with(|p| p.get("number")).unwrap_or_default(), decide.version().get()), |(n, _)| get_case(n));
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
fn StaffCase(c: CaseView, decide: ServerAction<StaffAction>) -> impl IntoView {
    let tr = use_tr();
    let error = use_form_error(decide);
    let reveal = ServerAction::<RevealId>::new();
    let actions = c.staff.clone().unwrap_or_default();
    let number = c.number.clone();
    let due = deadline_text(&c.deadline, c.days_left, c.paused, tr);
    let simple = move |action: &'static str, label: Msg, class: &'static str| {
        let number = number.clone();
        view! {
            <ActionForm action=decide attr:class="inline-form">
                <input type="hidden" name="number" value=number/>
                <input type="hidden" name="action" value=action/>
                <input type="hidden" name="text" value=""/>
                <input type="hidden" name="pickup" value=""/>
                <input type="hidden" name="to" value=""/>
                <button type="submit" class=format!("btn btn-small {class}") id=format!("act-{action}") disabled=move || decide.pending().get()>{tr.t(label)}</button>
            </ActionForm>
        }
    };
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
                {actions.accept.then(|| simple("accept", Msg::ActAccept, "btn-primary"))}
                {actions.process.then(|| simple("process", Msg::ActProcess, "btn-default"))}
                {actions.approve.then(|| simple("approve", Msg::ActApprove, "btn-primary"))}
                {actions.approve.then(|| simple("decline", Msg::ActDecline, "btn-default"))}
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
                <TextDecision decide number=n_complete action="complete" label=Msg::ResultNote button=Msg::ActComplete class="btn-primary" pickup=true/>
            })}
            {actions.reject.then(move || view! {
                <TextDecision decide number=n_reject action="reject" label=Msg::RejectReason button=Msg::ActReject class="btn-warn"/>
            })}
            {actions.handover.then(move || view! {
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="number" value=n_handover/>
                    <input type="hidden" name="action" value="handover"/>
                    <input type="hidden" name="text" value=""/>
                    <input type="hidden" name="pickup" value=""/>
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

/// A decision that needs words: 办结 (the result, and how to collect it) or 不予受理 (why).
#[component]
fn TextDecision(
    decide: ServerAction<StaffAction>,
    number: String,
    action: &'static str,
    label: Msg,
    button: Msg,
    class: &'static str,
    #[prop(optional)] pickup: bool,
) -> impl IntoView {
    let tr = use_tr();
    let text_id = format!("{action}-text");
    view! {
        <ActionForm action=decide attr:class="form">
            <input type="hidden" name="number" value=number/>
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name="to" value=""/>
            <label class="field-label" for=text_id.clone()>{tr.t(label)}</label>
            <textarea id=text_id name="text" rows="2" maxlength="500" required=true></textarea>
            {if pickup {
                view! {
                    <label class="field-label" for=format!("{action}-pickup")>{tr.t(Msg::PickupNote)}</label>
                    <input id=format!("{action}-pickup") name="pickup" maxlength="200"/>
                }.into_any()
            } else {
                view! { <input type="hidden" name="pickup" value=""/> }.into_any()
            }}
            <button type="submit" class=format!("btn {class}") id=format!("act-{action}")>{tr.t(button)}</button>
        </ActionForm>
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

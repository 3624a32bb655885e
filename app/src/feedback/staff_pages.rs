//! The handler's console: feedback with filters and deadlines, the open rectification
//! tasks of bad ratings (worked on `ratings`' page), one item with every action its
//! status allows, paper and phone entries, reply templates, and the chief's switch for
//! clerks' access.

use super::pages::{FeedbackFormView, FeedbackList, feedback_body};
use super::{AddReplyTemplate, FeedbackView, HandlerInbox, SetClerkAccess};
use super::{CloseFeedback, ContactAuthor, LinkCase, LinkStaff, MarkComplex, NoteFeedback, ReassignFeedback, ReplyFeedback, TakeFeedback};
use super::{DueFilter, FeedbackKind, FeedbackStatus, Source};
use super::{feedback_inbox, get_feedback, get_feedback_form};
use crate::components::Timeline;
use crate::components::{EmptyState, error_text, first_error, use_form_error};
use crate::components::{StaffLayout, refused};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// `/staff/feedback?kind=&status=&source=&due=`: the inbox.
#[component]
pub fn StaffFeedbackPage() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let access = ServerAction::<SetClerkAccess>::new();
    let template = ServerAction::<AddReplyTemplate>::new();
    let get = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let inbox = Resource::new(
        move || {
            let (kind, status) = (FeedbackKind::parse(&get("kind")), FeedbackStatus::parse(&get("status")));
            (kind, status, Source::parse(&get("source")), DueFilter::parse(&get("due")), access.version().get())
        },
        |(kind, status, source, due, _)| feedback_inbox(kind, status, source, due),
    );
    let errors = [use_form_error(access), use_form_error(template)];
    view! {
        <StaffLayout title=Msg::StaffFeedback>
            {move || errors.iter().find_map(|e| e.get()).map(|err| view! { <p class="form-error" role="alert">{error_text(&err, tr)}</p> })}
            <form class="filter-form" method="get" action="/staff/feedback" id="feedback-filter">
                <select name="kind" aria-label=tr.t(Msg::FeedbackKindLabel)>
                    <option value="">{tr.t(Msg::FilterAll)}</option>
                    {super::FeedbackKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=move || get("kind") == k.as_str()>{tr.t(k.msg())}</option> }).collect_view()}
                </select>
                <select name="status" aria-label=tr.t(Msg::CaseStatusLabel)>
                    <option value="">{tr.t(Msg::FilterAll)}</option>
                    {super::FeedbackStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=move || get("status") == s.as_str()>{tr.t(s.msg())}</option> }).collect_view()}
                </select>
                <select name="source" aria-label=tr.t(Msg::FeedbackSource)>
                    <option value="">{tr.t(Msg::FilterAll)}</option>
                    {super::Source::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=move || get("source") == s.as_str()>{tr.t(s.msg())}</option> }).collect_view()}
                </select>
                <select name="due" aria-label=tr.t(Msg::FeedbackReplyDue)>
                    <option value="">{tr.t(Msg::FilterAll)}</option>
                    <option value="due_soon" selected=move || get("due") == "due_soon">{tr.t(Msg::FilterDueSoon)}</option>
                    <option value="overdue" selected=move || get("due") == "overdue">{tr.t(Msg::FilterOverdue)}</option>
                </select>
                <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::Filter)}</button>
            </form>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match inbox.await {
                        Ok(inbox) => view! { <Console inbox access template/> }.into_any(),
                        Err(err) => refused(err, "/staff/feedback"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
fn Console(inbox: HandlerInbox, access: ServerAction<SetClerkAccess>, template: ServerAction<AddReplyTemplate>) -> impl IntoView {
    let tr = use_tr();
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}%"));
    let f = inbox.figures;
    view! {
        {inbox.can_enter.then(|| view! {
            <section class="console-card figures" id="rating-figures">
                <p>{tr.t(Msg::FiguresEvaluationRate)}{tr.t(Msg::Colon)}<strong id="evaluation-rate">{pct(f.evaluation_rate())}</strong>
                    <small class="cell-hint">" ("{f.completed_rated}"/"{f.completed}")"</small></p>
                <p>{tr.t(Msg::FiguresSatisfaction)}{tr.t(Msg::Colon)}<strong id="satisfaction">{pct(f.satisfaction())}</strong>
                    <small class="cell-hint">" ("{f.satisfied}"/"{f.ratings}")"</small></p>
                <a class="btn btn-small btn-primary" href="/staff/feedback/new" id="enter-feedback">{tr.t(Msg::StaffFeedbackEntry)}</a>
            </section>
        })}
        {inbox.clerks_see_feedback.map(|allowed| view! {
            <ActionForm action=access attr:class="inline-form" attr:id="clerk-access">
                <input type="hidden" name="allow" value=(!allowed).to_string()/>
                <span>{tr.t(Msg::ClerksSeeFeedback)}{tr.t(Msg::Colon)}{if allowed { "✓" } else { "✗" }}</span>
                <button type="submit" class="btn btn-small btn-default">{if allowed { tr.t(Msg::Disable) } else { tr.t(Msg::Enable) }}</button>
            </ActionForm>
        })}
        {(!inbox.rectifications.is_empty()).then(|| view! {
            <section class="console-card" id="rectifications">
                <h3>{tr.t(Msg::Rectifications)}</h3>
                <ul class="console-list">
                    {inbox.rectifications.iter().map(|r| view! {
                        <li class="rect-row" class:overdue=r.overdue>
                            <a href=format!("/staff/rectifications/{}", r.id)>
                                <p><strong>{r.item_name.clone()}</strong>" "<span class="status">{tr.t(crate::ratings::rectification_status(&r.status))}</span></p>
                                <p class="cell-hint">{r.target.clone()}" · "{tr.t(r.rating.level.msg())}" · "{tr.t(Msg::RectifyDeadline)}" "{r.deadline.clone()}</p>
                                {r.overdue.then(|| view! { <span class="tag tag-warn">{tr.t(Msg::Overdue)}</span> })}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {if inbox.feedback.is_empty() {
            view! { <EmptyState title=Msg::FeedbackInboxEmpty/> }.into_any()
        } else {
            view! { <FeedbackList list=inbox.feedback href="/staff/feedback"/> }.into_any()
        }}
        {inbox.can_enter.then(|| view! {
            <details class="console-card">
                <summary>{tr.t(Msg::ReplyTemplates)}" · "{tr.t(Msg::AddTemplate)}</summary>
                <ActionForm action=template attr:class="form">
                    <label class="field-label" for="template-title">{tr.t(Msg::TemplateTitle)}</label>
                    <input id="template-title" name="title" maxlength="40" required=true/>
                    <label class="field-label" for="template-body">{tr.t(Msg::TemplateBody)}</label>
                    <textarea id="template-body" name="body" rows="3" maxlength="2000" required=true></textarea>
                    <button type="submit" class="btn btn-small btn-primary">{tr.t(Msg::Save)}</button>
                </ActionForm>
            </details>
        })}
    }
}

/// `/staff/feedback/new`: staff enter feedback that came on paper, in the box or by phone.
#[component]
pub fn StaffFeedbackEntryPage() -> impl IntoView {
    let form = Resource::new(|| (), |_| get_feedback_form(true));
    view! {
        <StaffLayout title=Msg::StaffFeedbackEntry>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <FeedbackFormView form action="/staff/feedback/submit"/> }.into_any(),
                        Err(err) => refused(err, "/staff/feedback/new"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

/// What a handler may do with feedback, each its own server function.
#[derive(Clone, Copy)]
struct HandlerSteps {
    take: ServerAction<TakeFeedback>,
    contact: ServerAction<ContactAuthor>,
    reply: ServerAction<ReplyFeedback>,
    note: ServerAction<NoteFeedback>,
    complex: ServerAction<MarkComplex>,
    reassign: ServerAction<ReassignFeedback>,
    link_case: ServerAction<LinkCase>,
    link_staff: ServerAction<LinkStaff>,
    close: ServerAction<CloseFeedback>,
}

impl HandlerSteps {
    fn new() -> Self {
        HandlerSteps {
            take: ServerAction::new(),
            contact: ServerAction::new(),
            reply: ServerAction::new(),
            note: ServerAction::new(),
            complex: ServerAction::new(),
            reassign: ServerAction::new(),
            link_case: ServerAction::new(),
            link_staff: ServerAction::new(),
            close: ServerAction::new(),
        }
    }

    /// Tracks every step, so the item reloads after any of them.
    fn version(self) -> [usize; 9] {
        [
            self.take.version().get(),
            self.contact.version().get(),
            self.reply.version().get(),
            self.note.version().get(),
            self.complex.version().get(),
            self.reassign.version().get(),
            self.link_case.version().get(),
            self.link_staff.version().get(),
            self.close.version().get(),
        ]
    }

    fn error(self) -> Signal<Option<crate::error::AppError>> {
        first_error([
            use_form_error(self.take),
            use_form_error(self.contact),
            use_form_error(self.reply),
            use_form_error(self.note),
            use_form_error(self.complex),
            use_form_error(self.reassign),
            use_form_error(self.link_case),
            use_form_error(self.link_staff),
            use_form_error(self.close),
        ])
    }
}

/// A step that needs only the number: one button.
macro_rules! handler_button {
    ($action:expr, $id:literal, $label:expr, $class:literal, $number:expr, $tr:expr) => {
        crate::one_step_form!(
            $action,
            "number" = $number,
            form = "inline-form",
            class = concat!("btn btn-small ", $class),
            id = concat!("fb-", $id),
            $label,
            $tr
        )
    };
}

/// A step with words: a text box and its button.
macro_rules! handler_text {
    ($action:expr, $id:literal, $label:expr, $number:expr, $tr:expr) => {{
        let number: String = $number;
        view! {
            <ActionForm action=$action attr:class="form">
                <input type="hidden" name="number" value=number/>
                <label class="field-label" for=concat!("fb-", $id, "-text")>{$tr.t($label)}</label>
                <textarea id=concat!("fb-", $id, "-text") name="text" rows="2" maxlength="2000" required=true></textarea>
                <button type="submit" class="btn btn-small btn-default" id=concat!("fb-", $id)>{$tr.t($label)}</button>
            </ActionForm>
        }
    }};
}

/// `/staff/feedback/:number`: one item and what may be done with it now.
#[component]
pub fn StaffFeedbackDetailPage() -> impl IntoView {
    let params = use_params_map();
    let act = HandlerSteps::new();
    let item = Resource::new(move || (params.with(|p| p.get("number")).unwrap_or_default(), act.version()), |(n, _)| get_feedback(n));
    view! {
        <StaffLayout title=Msg::FeedbackDetail>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match item.await {
                        Ok(f) => view! { <StaffFeedback f act/> }.into_any(),
                        Err(err) => refused(err, "/staff/feedback"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

#[component]
fn StaffFeedback(f: FeedbackView, act: HandlerSteps) -> impl IntoView {
    let tr = use_tr();
    let error = act.error();
    let actions = f.staff.clone().unwrap_or_default();
    let number = f.number.clone();
    let (n_reply, n_reassign, n_case, n_staff) = (number.clone(), number.clone(), number.clone(), number.clone());
    let templates = actions.templates.clone();
    view! {
        <section class="console-card" id="feedback">
            {feedback_body(&f)}
            {f.author.clone().map(|a| view! { <p>{tr.t(Msg::Author)}{tr.t(Msg::Colon)}{a}</p> })}
            {f.contact.clone().map(|c| view! { <p>{tr.t(Msg::ContactPhone)}{tr.t(Msg::Colon)}{c}</p> })}
            {f.owner.clone().map(|o| view! { <p>{tr.t(Msg::Owner)}{tr.t(Msg::Colon)}{o}</p> })}
            <p class="cell-hint">{tr.t(Msg::FeedbackContactDue)}" "{f.contact_due.clone()}</p>
        </section>
        <section class="console-card" id="actions">
            {move || error.get().map(|err| view! { <p class="form-error" role="alert" id="act-error">{error_text(&err, tr)}</p> })}
            <div class="inline-actions">
                {actions.take.then(|| handler_button!(act.take, "take", Msg::ActTake, "btn-primary", number.clone(), tr))}
                {(actions.reply && !f.complex).then(|| handler_button!(act.complex, "complex", Msg::ActComplex, "btn-default", number.clone(), tr))}
                {actions.close.then(|| handler_button!(act.close, "close", Msg::ActClose, "btn-default", number.clone(), tr))}
            </div>
            {actions.contact.then(|| handler_text!(act.contact, "contact", Msg::ActContact, number.clone(), tr))}
            {actions.reply.then(move || view! {
                <ActionForm action=act.reply attr:class="form" attr:id="reply-form">
                    <input type="hidden" name="number" value=n_reply/>
                    <label class="field-label" for="fb-reply-text">{tr.t(Msg::ActReply)}</label>
                    <textarea id="fb-reply-text" name="text" rows="4" maxlength="2000"></textarea>
                    {(!templates.is_empty()).then(|| view! {
                        <label class="field-label" for="fb-template">{tr.t(Msg::UseTemplate)}</label>
                        <select id="fb-template" name="template">
                            <option value="">"—"</option>
                            {templates.iter().map(|(id, title, body)| view! { <option value=id.to_string() title=body.clone()>{title.clone()}</option> }).collect_view()}
                        </select>
                    })}
                    <button type="submit" class="btn btn-primary" id="fb-reply">{tr.t(Msg::ActReply)}</button>
                </ActionForm>
            })}
            {actions.note.then(|| handler_text!(act.note, "note", Msg::ActNote, number.clone(), tr))}
            {actions.reassign.then(move || view! {
                <ActionForm action=act.reassign attr:class="inline-form">
                    <input type="hidden" name="number" value=n_reassign/>
                    <select name="to" aria-label=tr.t(Msg::ActReassign)>
                        {actions.handlers.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::ActReassign)}</button>
                </ActionForm>
            })}
            {f.staff.is_some().then(move || view! {
                <ActionForm action=act.link_case attr:class="inline-form">
                    <input type="hidden" name="number" value=n_case/>
                    <input name="case" placeholder="BM20260101-0001" aria-label=tr.t(Msg::ActLinkCase) maxlength="20"/>
                    <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::ActLinkCase)}</button>
                </ActionForm>
                <ActionForm action=act.link_staff attr:class="inline-form">
                    <input type="hidden" name="number" value=n_staff/>
                    <select name="to" aria-label=tr.t(Msg::ActLinkStaff)>
                        {actions.staff.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="btn btn-small btn-default">{tr.t(Msg::ActLinkStaff)}</button>
                </ActionForm>
            })}
            {f.about_case.clone().map(|n| view! { <a class="btn-link" href=format!("/staff/cases/{n}")>{tr.t(Msg::CaseDetail)}" "{n.clone()}</a> })}
        </section>
        <Timeline entries=f.timeline.clone()/>
    }
}

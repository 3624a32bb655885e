//! The resident's side of feedback: file a complaint / suggestion / praise with
//! photos, follow it, confirm or reopen the reply (rating how it was handled), and the
//! public 意见簿. Every step is a link or a form
//! post, so it all works before WASM loads.

use super::{ConfirmReply, FeedbackForm, FeedbackSummary, FeedbackView, ReopenFeedback};
use super::{get_feedback, get_feedback_form, list_my_feedback, public_opinions};
use crate::components::Timeline;
use crate::components::refused;
use crate::components::{EmptyState, MobilePage, Tab, error_text, first_error, use_form_error};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use crate::ratings::pages::level_choices;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// `/feedback`: the caller's complaints, suggestions and praise.
#[component]
pub fn MyFeedbackPage() -> impl IntoView {
    let tr = use_tr();
    let list = Resource::new(|| (), |_| list_my_feedback());
    view! {
        <MobilePage title=Msg::MyFeedback tab=Tab::Me back="/me">
            <a class="btn btn-primary" href="/feedback/new" id="new-feedback">{tr.t(Msg::NewFeedback)}</a>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState title=Msg::MyFeedback body=Msg::FeedbackNone/> }.into_any(),
                        Ok(list) => view! { <FeedbackList list href="/feedback"/> }.into_any(),
                        Err(err) => refused(err, "/feedback"),
                    }
                })}
            </Suspense>
            <a class="link-center" href="/opinions">{tr.t(Msg::Opinions)}</a>
        </MobilePage>
    }
}

/// Feedback rows linking to `href/<number>`.
#[component]
pub fn FeedbackList(list: Vec<FeedbackSummary>, href: &'static str) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="cells" id="feedback-list">
            <div class="cells-body">
                {list.into_iter().map(|f| view! {
                    <a class="cell cell-link case-row" class:overdue=f.overdue href=format!("{href}/{}", f.number)>
                        <span class="cell-label">
                            <span>{tr.t(f.kind.msg())}" · "{f.excerpt.clone()}</span>
                            <small class="cell-hint">{f.number.clone()}" · "{f.created_at.clone()}" · "{tr.t(f.source.msg())}</small>
                            {f.owner.clone().map(|o| view! { <small class="cell-hint">{tr.t(Msg::Owner)}" "{o}</small> })}
                            {f.status.awaits_reply().then(|| view! { <small class="cell-hint" class:warn=f.overdue>{tr.t(Msg::FeedbackReplyDue)}" "{f.reply_due.clone()}</small> })}
                        </span>
                        <span class=format!("status feedback-status-{}", f.status.as_str())>{tr.t(f.status.msg())}</span>
                    </a>
                }).collect_view()}
            </div>
        </section>
    }
}

/// `/feedback/new` (and `/staff/feedback/new` for paper and phone entries): the form.
/// It posts as multipart to the same path, photos and all.
#[component]
pub fn NewFeedbackPage() -> impl IntoView {
    let form = Resource::new(|| (), |_| get_feedback_form(false));
    view! {
        <MobilePage title=Msg::NewFeedback back="/feedback">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <FeedbackFormView form action="/feedback/submit"/> }.into_any(),
                        Err(err) => refused(err, "/feedback/new"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// The feedback form (resident or staff entry).
#[component]
pub fn FeedbackFormView(form: FeedbackForm, action: &'static str) -> impl IntoView {
    let tr = use_tr();
    let error = crate::components::query_refusal("error");
    let option = |(id, name): (i32, String)| view! { <option value=id.to_string()>{name}</option> };
    view! {
        {move || error().map(|e| view! { <p class="form-error" role="alert" id="feedback-error">{e}</p> })}
        <form class="form feedback-form" method="post" action=action enctype="multipart/form-data" id="feedback-form" data-downscale="true" data-keep-draft="true">
            // Shown by upload.js when it puts back what was typed (hidden, not inserted,
            // so the page still hydrates).
            <p class="form-note" id="draft-restored" role="status" hidden=true>{tr.t(Msg::DraftRestored)}</p>
            <input type="hidden" name="key" value=form.key.clone()/>
            <fieldset class="cells">
                <legend class="cells-title">{tr.t(Msg::FeedbackKindLabel)}</legend>
                <div class="tag-choices">
                    {super::FeedbackKind::ALL.into_iter().map(|k| view! {
                        <label class="choice"><input type="radio" name="kind" value=k.as_str() required=true id=format!("kind-{}", k.as_str())/><span>{tr.t(k.msg())}</span></label>
                    }).collect_view()}
                </div>
            </fieldset>
            {form.staff_entry.then(|| view! {
                <label class="field-label" for="feedback-source">{tr.t(Msg::FeedbackSource)}</label>
                <select id="feedback-source" name="source" required=true>
                    {[super::Source::Paper, super::Source::Box, super::Source::Phone].into_iter().map(|s| view! { <option value=s.as_str()>{tr.t(s.msg())}</option> }).collect_view()}
                </select>
                <label class="field-label" for="contact-name">{tr.t(Msg::ContactName)}</label>
                <input id="contact-name" name="contact_name" maxlength="20"/>
                <label class="field-label" for="contact-phone">{tr.t(Msg::ContactPhone)}</label>
                <input id="contact-phone" name="contact_phone" type="tel" inputmode="tel" maxlength="11"/>
            })}
            <label class="field-label" for="feedback-body">{tr.t(Msg::FeedbackBody)}</label>
            <textarea id="feedback-body" name="body" rows="5" minlength="5" maxlength="2000" required=true></textarea>
            {(!form.cases.is_empty()).then(|| view! {
                <label class="field-label" for="about-case">{tr.t(Msg::FeedbackAboutCase)}</label>
                <select id="about-case" name="about_case">
                    <option value="">"—"</option>
                    {form.cases.iter().map(|(n, name)| view! { <option value=n.clone()>{format!("{name}（{n}）")}</option> }).collect_view()}
                </select>
            })}
            <label class="field-label" for="about-station">{tr.t(Msg::FeedbackAboutStation)}</label>
            <select id="about-station" name="about_station"><option value="">"—"</option>{form.stations.clone().into_iter().map(option).collect_view()}</select>
            <label class="field-label" for="about-window">{tr.t(Msg::FeedbackAboutWindow)}</label>
            <select id="about-window" name="about_window"><option value="">"—"</option>{form.windows.clone().into_iter().map(option).collect_view()}</select>
            <label class="field-label" for="about-staff">{tr.t(Msg::FeedbackAboutStaff)}</label>
            <select id="about-staff" name="about_staff"><option value="">"—"</option>{form.staff.clone().into_iter().map(option).collect_view()}</select>
            {(!form.staff_entry).then(|| view! {
                <label class="choice"><input type="checkbox" name="anonymous" value="true" id="feedback-anonymous"/><span>{tr.t(Msg::FeedbackAnonymous)}</span></label>
                <label class="choice"><input type="checkbox" name="publish" value="true" id="feedback-publish"/><span>{tr.t(Msg::FeedbackPublish)}</span></label>
            })}
            <label class="field-label" for="feedback-photos">{tr.t(Msg::FeedbackPhotos)}</label>
            <input id="feedback-photos" type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple=true/>
            <button type="submit" class="btn btn-primary" id="feedback-submit">{tr.t(Msg::Submit)}</button>
        </form>
        <script src="/upload.js" defer></script>
    }
}

/// `/feedback/:number`: the item, its photos, the reply and the timeline; confirm or
/// reopen the reply.
#[component]
pub fn FeedbackDetailPage() -> impl IntoView {
    let params = use_params_map();
    let respond = AuthorSteps { confirm: ServerAction::new(), reopen: ServerAction::new() };
    let item = Resource::new(
        move || (params.with(|p| p.get("number")).unwrap_or_default(), respond.confirm.version().get(), respond.reopen.version().get()),
        |(n, _, _)| get_feedback(n),
    );
    view! {
        <MobilePage title=Msg::FeedbackDetail back="/feedback">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match item.await {
                        Ok(f) => view! { <FeedbackCard f respond/> }.into_any(),
                        Err(err) => refused(err, "/feedback"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

/// The body of a feedback item (shared with the console).
pub fn feedback_body(f: &FeedbackView) -> impl IntoView + use<> {
    let tr = use_tr();
    let number = f.number.clone();
    view! {
        <p>
            <span class=format!("status feedback-status-{}", f.status.as_str())>{tr.t(f.status.msg())}</span>
            " "<strong id="feedback-number">{f.number.clone()}</strong>" · "{tr.t(f.kind.msg())}" · "{tr.t(f.source.msg())}
            {f.anonymous.then(|| view! { " "<span class="tag">{tr.t(Msg::Anonymous)}</span> })}
            {f.complex.then(|| view! { " "<span class="tag">{tr.t(Msg::ActComplex)}</span> })}
        </p>
        <p class="feedback-text" id="feedback-body-text">{f.body.clone()}</p>
        {(!f.about.is_empty()).then(|| view! { <p class="cell-hint">{tr.t(Msg::AboutLabel)}{tr.t(Msg::Colon)}{f.about.join("；")}</p> })}
        {(!f.files.is_empty()).then(|| view! {
            <ul class="thumbs">
                {f.files.iter().map(|id| {
                    let (href, src) = (format!("/feedback/{number}/photos/{id}"), format!("/feedback/{number}/photos/{id}"));
                    view! { <li><a href=href target="_blank"><img src=src alt=tr.t(Msg::Photo) loading="lazy"/></a></li> }
                }).collect_view()}
            </ul>
        })}
        {f.status.awaits_reply().then(|| view! { <p class="cell-hint" class:warn=f.overdue>{tr.t(Msg::FeedbackReplyDue)}" "{f.reply_due.clone()}</p> })}
        {f.reply.clone().map(|r| view! { <div class="reply-box" id="feedback-reply"><strong>{tr.t(Msg::FeedbackReply)}{tr.t(Msg::Colon)}</strong><p>{r}</p></div> })}
        {f.reopen_reason.clone().map(|r| view! { <p class="cell-hint">{tr.t(Msg::FeedbackReopenReason)}{tr.t(Msg::Colon)}{r}</p> })}
        {f.outcome.map(|l| view! { <p>{tr.t(Msg::FeedbackOutcome)}{tr.t(Msg::Colon)}<span class=format!("rating-level rating-{}", l.value())>{tr.t(l.msg())}</span></p> })}
    }
}

/// What the author may do with the reply, each its own server function.
#[derive(Clone, Copy)]
struct AuthorSteps {
    confirm: ServerAction<ConfirmReply>,
    reopen: ServerAction<ReopenFeedback>,
}

#[component]
fn FeedbackCard(f: FeedbackView, respond: AuthorSteps) -> impl IntoView {
    let tr = use_tr();
    let error = first_error([use_form_error(respond.confirm), use_form_error(respond.reopen)]);
    let (n1, n2) = (f.number.clone(), f.number.clone());
    view! {
        <section class="booking-card" id="feedback">{feedback_body(&f)}</section>
        {move || error.get().map(|err| view! { <p class="form-error" role="alert" id="respond-error">{error_text(&err, tr)}</p> })}
        {f.can_confirm.then(|| view! {
            <ActionForm action=respond.confirm attr:class="form" attr:id="confirm-form">
                <input type="hidden" name="number" value=n1/>
                <fieldset class="cells"><legend class="cells-title">{tr.t(Msg::FeedbackOutcome)}</legend>{level_choices("level")}</fieldset>
                <button type="submit" class="btn btn-primary" id="feedback-confirm">{tr.t(Msg::FeedbackConfirm)}</button>
            </ActionForm>
        })}
        {f.can_reopen.then(|| view! {
            <ActionForm action=respond.reopen attr:class="form" attr:id="reopen-form">
                <input type="hidden" name="number" value=n2/>
                <label class="field-label" for="reopen-text">{tr.t(Msg::FeedbackReopenReason)}</label>
                <textarea id="reopen-text" name="text" rows="2" maxlength="500" required=true></textarea>
                <button type="submit" class="btn btn-default" id="feedback-reopen">{tr.t(Msg::FeedbackReopen)}</button>
            </ActionForm>
        })}
        <Timeline entries=f.timeline.clone()/>
    }
}

/// `/opinions`: the public 意见簿 (no login).
#[component]
pub fn OpinionsPage() -> impl IntoView {
    let tr = use_tr();
    let list = Resource::new(|| (), |_| public_opinions());
    view! {
        <MobilePage title=Msg::Opinions back="/public">
            <p class="page-sub">{tr.t(Msg::OpinionsHint)}</p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState title=Msg::Opinions body=Msg::OpinionsNone/> }.into_any(),
                        Ok(list) => view! {
                            <section class="cells" id="opinions">
                                {list.into_iter().map(|o| view! {
                                    <article class="booking-card opinion">
                                        <p class="cell-hint">{o.number}" · "{tr.t(o.kind.msg())}</p>
                                        <p class="feedback-text">{o.body}</p>
                                        <div class="reply-box"><strong>{tr.t(Msg::FeedbackReply)}{tr.t(Msg::Colon)}</strong><p>{o.reply}</p><p class="cell-hint">{o.replied_at}</p></div>
                                    </article>
                                }).collect_view()}
                            </section>
                        }.into_any(),
                        Err(err) => refused(err, "/opinions"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

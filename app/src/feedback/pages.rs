//! The resident's side of ratings and feedback: rate a case or visit (and the fix
//! after a bad rating), file a complaint / suggestion / praise with photos, follow it,
//! confirm or reopen the reply, and the public 意见簿. Every step is a link or a form
//! post, so it all works before WASM loads.

use super::{ConfirmReply, FeedbackForm, FeedbackSummary, FeedbackView, Level, Rate, RatingKind, RatingTarget, RatingView, ReopenFeedback, TAGS};
use super::{get_feedback, get_feedback_form, get_rating_target, list_my_feedback, public_opinions};
use crate::components::Timeline;
use crate::components::refused;
use crate::components::{EmptyState, MobilePage, Tab, error_text, first_error, use_form_error};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// A rating as stars and words.
pub fn rating_line(r: &RatingView) -> impl IntoView + use<> {
    let tr = use_tr();
    let tags = r.tags.iter().map(|t| super::tag_text(t, tr)).collect::<Vec<_>>().join(if tr.0 == crate::i18n::Lang::Zh { "、" } else { ", " });
    view! {
        <p class="rating-line">
            <span class=format!("rating-level rating-{}", r.level.value())>{tr.t(r.level.msg())}</span>
            {(!tags.is_empty()).then(|| view! { " · "<span class="cell-hint">{tags}</span> })}
            {r.on_paper.then(|| view! { " "<span class="tag">{tr.t(Msg::RatePaperNote)}</span> })}
        </p>
        {(!r.comment.is_empty()).then(|| view! { <p class="rating-comment">{r.comment.clone()}</p> })}
        <p class="cell-hint">{r.at.clone()}</p>
    }
}

/// The five levels as large radio buttons (first level preselected never: a choice).
fn level_choices(name: &'static str) -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="level-choices" role="radiogroup">
            {Level::ALL.into_iter().map(|l| view! {
                <label class=format!("level-choice rating-{}", l.value())>
                    <input type="radio" name=name value=l.value().to_string() required=true id=format!("{name}-{}", l.value())/>
                    <span>{tr.t(l.msg())}</span>
                </label>
            }).collect_view()}
        </div>
    }
}

/// `/rate/:kind/:key`: rate a completed case or a served visit, see the rating and,
/// after a bad one, the rectification; rate the fix when it is done.
#[component]
pub fn RatePage() -> impl IntoView {
    let params = use_params_map();
    let rate = ServerAction::<Rate>::new();
    let target = Resource::new(
        move || (params.with(|p| (p.get("kind").unwrap_or_default(), p.get("key").unwrap_or_default())), rate.version().get()),
        |((kind, key), _)| async move {
            match RatingKind::parse(&kind) {
                Some(kind) => get_rating_target(kind, key).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <MobilePage title=Msg::RateTitle back="/me">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match target.await {
                        Ok(t) => view! { <RateCard t rate/> }.into_any(),
                        Err(err) => refused(err, "/me"),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
fn RateCard(t: RatingTarget, rate: ServerAction<Rate>) -> impl IntoView {
    let tr = use_tr();
    let error = use_form_error(rate);
    let back = match t.kind {
        RatingKind::Case => format!("/cases/{}", t.key),
        RatingKind::Visit => format!("/bookings/{}", t.key),
    };
    let (kind, key, kind2, key2) = (t.kind.as_str(), t.key.clone(), t.kind.as_str(), t.key.clone());
    view! {
        <section class="booking-card" id="rate-target">
            <h2 class="page-heading">{t.item_name.clone()}</h2>
            <p class="cell-hint"><a href=back>{t.key.clone()}</a>" · "{t.finished_at.clone()}</p>
        </section>
        {move || error.get().map(|err| view! { <p class="form-error" role="alert" id="rate-error">{error_text(&err, tr)}</p> })}
        {t.rating.clone().map(|r| view! {
            <section class="cells" id="my-rating"><h2 class="cells-title">{tr.t(Msg::RateDone)}</h2><div class="cells-body rating-box">{rating_line(&r)}</div></section>
        })}
        {t.can_rate.then(|| view! {
            <ActionForm action=rate attr:class="form" attr:id="rate-form">
                <input type="hidden" name="kind" value=kind/>
                <input type="hidden" name="key" value=key/>
                <p class="cell-hint">{tr.t(Msg::RateHint)}" "{tr.t(Msg::RateOpenUntil)}" "{t.open_until.clone()}</p>
                {t.on_paper.then(|| view! { <p class="tag">{tr.t(Msg::RatePaperNote)}</p> })}
                <fieldset class="cells"><legend class="cells-title">{tr.t(Msg::RateLevel)}</legend>{level_choices("level")}</fieldset>
                <fieldset class="cells">
                    <legend class="cells-title">{tr.t(Msg::RateTags)}</legend>
                    <div class="tag-choices">
                        {TAGS.iter().enumerate().map(|(i, tag)| view! {
                            <label class="choice"><input type="checkbox" name=format!("tag_{i}") value=*tag/><span>{super::tag_text(tag, tr)}</span></label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <label class="field-label" for="rate-comment">{tr.t(Msg::RateComment)}</label>
                <textarea id="rate-comment" name="comment" rows="3" maxlength="500"></textarea>
                <button type="submit" class="btn btn-primary" id="rate-submit" disabled=move || rate.pending().get()>{tr.t(Msg::RateSubmit)}</button>
            </ActionForm>
        })}
        {(!t.can_rate && t.rating.is_none()).then(|| view! { <EmptyState title=Msg::RateClosed/> })}
        {t.rectification.clone().map(|r| view! {
            <section class="cells" id="rectification">
                <h2 class="cells-title">{tr.t(Msg::RectificationTitle)}" · "{tr.t(super::rectification_status(&r.status))}</h2>
                <div class="cells-body rating-box">
                    <p>{tr.t(Msg::RectifyDeadline)}" "{r.deadline.clone()}</p>
                    {r.callback_note.clone().map(|n| view! { <p><strong>{tr.t(Msg::CallBack)}{tr.t(Msg::Colon)}</strong>{n}</p> })}
                    {r.fix_note.clone().map(|n| view! { <p><strong>{tr.t(Msg::FixNote)}{tr.t(Msg::Colon)}</strong>{n}</p> })}
                    {r.rerating.clone().map(|x| view! { <p><strong>{tr.t(Msg::RateFixTitle)}{tr.t(Msg::Colon)}</strong></p>{rating_line(&x)} })}
                </div>
            </section>
        })}
        {t.can_rate_fix.then(|| view! {
            <ActionForm action=rate attr:class="form" attr:id="rate-fix-form">
                <input type="hidden" name="kind" value=kind2/>
                <input type="hidden" name="key" value=key2/>
                <input type="hidden" name="fix" value="true"/>
                <fieldset class="cells"><legend class="cells-title">{tr.t(Msg::RateFixTitle)}</legend>{level_choices("level")}</fieldset>
                <label class="field-label" for="fix-comment">{tr.t(Msg::RateComment)}</label>
                <textarea id="fix-comment" name="comment" rows="2" maxlength="500"></textarea>
                <button type="submit" class="btn btn-primary" id="rate-fix-submit" disabled=move || rate.pending().get()>{tr.t(Msg::RateFixSubmit)}</button>
            </ActionForm>
        })}
    }
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

//! The resident's side of ratings: rate a completed case or a served visit (and the
//! fix after a bad rating), and see the rating and its rectification. Every step is a
//! form post, so it works before WASM loads.

use super::{Level, Rate, RatingKind, RatingTarget, RatingView, TAGS, get_rating_target};
use crate::components::{EmptyState, MobilePage, error_text, refused, use_form_error};
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
pub fn level_choices(name: &'static str) -> impl IntoView {
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

//! The console's side of ratings: one rectification task (整改) of a bad rating, with
//! its call-back and fix.

use super::pages::rating_line;
use super::{CallBack, RatingKind, RecordFix, RectificationView, get_rectification};
use crate::components::{StaffLayout, error_text, first_error, refused, use_form_error};
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn loading() -> impl IntoView {
    let tr = use_tr();
    view! { <p class="loading">{tr.t(Msg::Loading)}</p> }
}

/// `/staff/rectifications/:id`: a bad rating and its rectification.
#[component]
pub fn RectificationPage() -> impl IntoView {
    let params = use_params_map();
    let act = RectifySteps { call_back: ServerAction::new(), fix: ServerAction::new() };
    let task = Resource::new(
        move || (params.with(|p| p.get("id")).and_then(|id| id.parse::<i32>().ok()).unwrap_or(0), act.call_back.version().get(), act.fix.version().get()),
        |(id, _, _)| get_rectification(id),
    );
    view! {
        <StaffLayout title=Msg::RectificationTitle>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match task.await {
                        Ok(r) => view! { <Rectification r act/> }.into_any(),
                        Err(err) => refused(err, "/staff/feedback"),
                    }
                })}
            </Suspense>
        </StaffLayout>
    }
}

/// The two steps of a rectification task, each its own server function.
#[derive(Clone, Copy)]
struct RectifySteps {
    call_back: ServerAction<CallBack>,
    fix: ServerAction<RecordFix>,
}

/// One rectification step's form: what was said or done, and its button.
macro_rules! rectify_form {
    ($action:expr, $id:literal, $label:expr, $task:expr, $tr:expr) => {{
        view! {
            <ActionForm action=$action attr:class="form" attr:id=concat!($id, "-form")>
                <input type="hidden" name="id" value=$task.to_string()/>
                <label class="field-label" for=concat!($id, "-text")>{$tr.t($label)}</label>
                <textarea id=concat!($id, "-text") name="text" rows="3" maxlength="2000" required=true></textarea>
                <button type="submit" class="btn btn-primary" id=concat!("rect-", $id)>{$tr.t($label)}</button>
            </ActionForm>
        }
    }};
}

#[component]
fn Rectification(r: RectificationView, act: RectifySteps) -> impl IntoView {
    let tr = use_tr();
    let error = first_error([use_form_error(act.call_back), use_form_error(act.fix)]);
    let target_href = (r.target_kind == RatingKind::Case).then(|| format!("/staff/cases/{}", r.target));
    view! {
        <section class="console-card" id="rectification">
            <p><span class="status">{tr.t(super::rectification_status(&r.status))}</span>" "<strong>{r.item_name.clone()}</strong></p>
            <p class="cell-hint">
                {match target_href { Some(h) => view! { <a href=h>{r.target.clone()}</a> }.into_any(), None => view! { <span>{r.target.clone()}</span> }.into_any() }}
                " · "{tr.t(Msg::RectifyDeadline)}" "{r.deadline.clone()}
            </p>
            {r.overdue.then(|| view! { <span class="tag tag-warn">{tr.t(Msg::Overdue)}</span> })}
            {r.resident.clone().map(|p| view! { <p>{tr.t(Msg::Author)}{tr.t(Msg::Colon)}{p}</p> })}
            {r.staff.clone().map(|s| view! { <p>{tr.t(Msg::ResponsibleStaff)}{tr.t(Msg::Colon)}{s}</p> })}
            {r.owner.clone().map(|o| view! { <p>{tr.t(Msg::Owner)}{tr.t(Msg::Colon)}{o}</p> })}
            <div class="rating-box">{rating_line(&r.rating)}</div>
            {r.callback_note.clone().map(|n| view! { <p><strong>{tr.t(Msg::CallBack)}{tr.t(Msg::Colon)}</strong>{n}</p> })}
            {r.fix_note.clone().map(|n| view! { <p><strong>{tr.t(Msg::FixNote)}{tr.t(Msg::Colon)}</strong>{n}</p> })}
            {r.rerating.clone().map(|x| view! { <p><strong>{tr.t(Msg::RateFixTitle)}{tr.t(Msg::Colon)}</strong></p><div class="rating-box">{rating_line(&x)}</div> })}
        </section>
        {move || error.get().map(|err| view! { <p class="form-error" role="alert" id="rect-error">{error_text(&err, tr)}</p> })}
        {r.can_call_back.then(|| rectify_form!(act.call_back, "callback", Msg::CallBack, r.id, tr))}
        {r.can_fix.then(|| rectify_form!(act.fix, "fix", Msg::FixNote, r.id, tr))}
    }
}

use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;
use server_fn::error::ServerFnUrlError;

/// A browser-side check of one field, sharing the server's parser.
pub type FieldCheck = fn(&str) -> Result<(), Msg>;

/// The error of a form's last submission: from the action after hydration, or — when
/// the form was posted without JavaScript — from the `__err` the server put in the URL.
pub fn use_form_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    Signal::derive(move || match action.value().get() {
        Some(Err(err)) => Some(err),
        Some(Ok(_)) => None,
        None => query.with(|q| {
            let from_this_form = q.get("__path").as_deref() == Some(S::PATH);
            q.get("__err").filter(|_| from_this_form).map(|e| ServerFnUrlError::<AppError>::decode_err(&e))
        }),
    })
}

/// The text of an error: a refusal's own reasons (in Chinese), or the summary.
pub fn error_text(err: &AppError, tr: crate::i18n::Tr) -> String {
    match err {
        AppError::Rejected(reasons) => reasons.join("；"),
        other => tr.t(other.summary()).to_owned(),
    }
}

/// The summary of a form error (shown above the submit button).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let tr = use_tr();
    move || {
        error.get().map(|err| view! { <p class="form-error" role="alert">{tr.t(err.summary())}</p> })
    }
}

/// A labelled input. `check` runs in the browser when the field loses focus, with the
/// same parser the server uses; the server's message for the field shows otherwise.
#[component]
pub fn TextField(
    label: Msg,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] placeholder: Option<Msg>,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] check: Option<FieldCheck>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let tr = use_tr();
    let local = RwSignal::new(None::<Msg>);
    let message = move || local.get().or_else(|| error.with(|e| e.as_ref().and_then(|e| e.field_msg(name))));
    let id = format!("field-{name}");
    let error_id = format!("field-{name}-error");
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label class="field-label" for=id.clone()>{tr.t(label)}</label>
            <input
                id=id
                name=name
                type=input_type
                value=value
                inputmode=inputmode
                required=required
                placeholder=placeholder.map(|p| tr.t(p))
                autocomplete=autocomplete
                aria-describedby=error_id.clone()
                aria-invalid=move || message().map(|_| "true")
                on:blur=move |ev| {
                    if let Some(check) = check {
                        let value = event_target_value(&ev);
                        local.set(if value.is_empty() { None } else { check(&value).err() });
                    }
                }
                on:input=move |_| local.set(None)
            />
            <p class="field-error" id=error_id role="alert">{move || message().map(|m| tr.t(m))}</p>
        </div>
    }
}

/// The primary button of a form; disabled while the action is pending (no double submit).
#[component]
pub fn SubmitButton(label: Msg, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
            {move || if pending.get() { tr.t(Msg::Loading) } else { tr.t(label) }}
        </button>
    }
}

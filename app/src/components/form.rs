use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;
use server_fn::error::ServerFnUrlError;

/// A browser-side check of one field, with the parser the server uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FieldCheck {
    Phone,
    Password,
    Name,
    Email,
    IdNumber,
}

impl FieldCheck {
    /// Every message [`FieldCheck::run`] can answer with, in a fixed order: the page
    /// sends their texts along, so the browser carries no text table.
    pub fn messages(self) -> &'static [Msg] {
        match self {
            FieldCheck::Phone => &[Msg::ErrPhoneInvalid],
            FieldCheck::Password => &[Msg::ErrPasswordCommon, Msg::ErrPasswordIsPhone, Msg::ErrPasswordLong, Msg::ErrPasswordShort],
            FieldCheck::Name => &[Msg::ErrNameRequired, Msg::ErrNameTooLong],
            FieldCheck::Email => &[Msg::ErrEmailInvalid],
            FieldCheck::IdNumber => &[Msg::ErrIdNumberChecksum, Msg::ErrIdNumberInvalid],
        }
    }

    /// The text of the message `run` answered `value` with, from `texts` (the texts of
    /// [`FieldCheck::messages`] in the page's language); `None` when the value is fine.
    pub fn message<'t>(self, value: &str, texts: &'t [String]) -> Option<&'t str> {
        let msg = self.run(value).err()?;
        let index = self.messages().iter().position(|m| *m == msg)?;
        texts.get(index).map(String::as_str)
    }

    pub fn run(self, value: &str) -> Result<(), Msg> {
        use crate::domain::{EmailAddress, IdCardNumber, Password, PersonName, PhoneNumber};
        match self {
            FieldCheck::Phone => PhoneNumber::parse(value).map(|_| ()),
            FieldCheck::Password => Password::parse(value, None).map(|_| ()),
            FieldCheck::Name => PersonName::parse_optional(value).map(|_| ()),
            FieldCheck::Email => EmailAddress::parse_optional(value).map(|_| ()),
            FieldCheck::IdNumber => IdCardNumber::parse(value).map(|_| ()),
        }
    }
}

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

/// The first error among several forms' errors: a page whose buttons are each their own
/// server function shows one line for all of them.
pub fn first_error<const N: usize>(errors: [Signal<Option<AppError>>; N]) -> Signal<Option<AppError>> {
    Signal::derive(move || errors.iter().find_map(|e| e.get()))
}

/// The text of an error in the page's language: a refusal's own reasons, or the summary.
pub fn error_text(err: &AppError, tr: crate::i18n::Tr) -> String {
    err.text(tr.0)
}

/// The refusal a plain form post redirected back with in `?{param}=` (see
/// [`crate::i18n::to_query`]), in the page's language; `None` when there is none.
pub fn query_refusal(param: &'static str) -> impl Fn() -> Option<String> + Copy {
    let query = use_query_map();
    let tr = use_tr();
    move || query.with(|q| q.get(param)).and_then(|value| crate::i18n::from_query(&value)).map(|reasons| crate::i18n::join_reasons(&reasons, tr.0))
}

/// The summary of a form error (shown above the submit button).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let tr = use_tr();
    move || error.get().map(|err| view! { <p class="form-error" role="alert">{tr.t(err.summary())}</p> })
}

/// A labelled input. `check` runs in the browser when the field loses focus (the
/// [`FieldCheckIsland`] beside it), with the same parser the server uses; the server's
/// message for the field shows otherwise.
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
    let message = move || error.with(|e| e.as_ref().and_then(|e| e.field_msg(name)));
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
            />
            <p class="field-error" id=error_id role="alert">{move || message().map(|m| tr.t(m))}</p>
            {check.map(|check| {
                let texts = check.messages().iter().map(|m| tr.t(*m).to_owned()).collect::<Vec<_>>();
                view! { <FieldCheckIsland field=name.to_owned() check texts/> }
            })}
        </div>
    }
}

/// Checks the input `#field-{field}` in the browser when it loses focus and writes the
/// message into its error line; typing clears it. Renders nothing itself.
#[island]
pub fn FieldCheckIsland(field: String, check: FieldCheck, texts: Vec<String>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::attach(&field, check, texts);
    #[cfg(not(feature = "hydrate"))]
    let _ = (field, check, texts);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::FieldCheck;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    pub fn attach(field: &str, check: FieldCheck, texts: Vec<String>) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let (Some(input), Some(line)) = (document.get_element_by_id(&format!("field-{field}")), document.get_element_by_id(&format!("field-{field}-error")))
        else {
            return;
        };
        let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() else { return };
        remember(&input, field);
        let show = {
            let (input, line) = (input.clone(), line.clone());
            move |message: Option<&str>| {
                line.set_text_content(message);
                if let Some(wrapper) = input.parent_element() {
                    let _ = if message.is_some() { wrapper.class_list().add_1("invalid") } else { wrapper.class_list().remove_1("invalid") };
                }
                let _ = if message.is_some() { input.set_attribute("aria-invalid", "true") } else { input.remove_attribute("aria-invalid") };
            }
        };
        let on_blur = {
            let (input, show) = (input.clone(), show.clone());
            Closure::<dyn FnMut()>::new(move || {
                let value = input.value();
                let message = if value.is_empty() { None } else { check.message(&value, &texts) };
                show(message);
            })
        };
        let on_input = Closure::<dyn FnMut()>::new(move || show(None));
        let _ = input.add_event_listener_with_callback("blur", on_blur.as_ref().unchecked_ref());
        let _ = input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        on_blur.forget();
        on_input.forget();
    }

    /// A form posted without the page's help comes back from the server empty when it
    /// was refused (`?__err=`): what was typed in this field (never a password) is kept
    /// in the tab's session storage and put back, so nobody types a number twice.
    fn remember(input: &web_sys::HtmlInputElement, field: &str) {
        if input.type_() == "password" {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let Ok(Some(storage)) = window.session_storage() else { return };
        let key = format!("bm-field-{field}");
        let refused = window.location().search().is_ok_and(|q| q.contains("__err="));
        if refused
            && input.value().is_empty()
            && let Ok(Some(kept)) = storage.get_item(&key)
        {
            input.set_value(&kept);
        }
        let keep = {
            let input = input.clone();
            Closure::<dyn FnMut()>::new(move || {
                let _ = storage.set_item(&key, &input.value());
            })
        };
        let _ = input.add_event_listener_with_callback("change", keep.as_ref().unchecked_ref());
        keep.forget();
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

/// A form that posts one hidden field (`number`, `code`, `id` …) to one server function
/// with one button: the steps that need nothing but what they act on. The caller
/// imports `view!` and `ActionForm`; `$value` is anything `Display`.
#[macro_export]
macro_rules! one_step_form {
    ($action:expr, $field:literal = $value:expr, form = $form:literal, class = $class:expr, id = $id:expr, $label:expr, $tr:expr) => {{
        let action = $action;
        let value = $value.to_string();
        view! {
            <ActionForm action=action attr:class=$form>
                <input type="hidden" name=$field value=value/>
                <button type="submit" class=$class id=$id disabled=move || action.pending().get()>{$tr.t($label)}</button>
            </ActionForm>
        }
    }};
}

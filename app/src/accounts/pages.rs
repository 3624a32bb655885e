//! Pages of the 我的 tab: sign in, register, profile, preferences.

use super::use_session;
use super::{Me, SetElderMode, SetLanguage, VerifyEmail};
use crate::components::{Cell, CellGroup, EmptyState, FieldCheck, FormError, LoginRequired, MobilePage, SubmitButton, Tab, TextField, use_form_error};
use crate::i18n::{Lang, Msg};
use crate::prefs::{use_prefs, use_tr};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let tr = use_tr();
    let session = use_session();
    let error = use_form_error(session.login);
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_else(|| "/me".to_owned());
    view! {
        <MobilePage title=Msg::Login back="/me">
            <div class="form-card">
                <p class="form-lead">{tr.t(Msg::LoginHint)}</p>
                <ActionForm action=session.login attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="next" value=next/>
                    <TextField label=Msg::Phone name="phone" input_type="tel" inputmode="numeric"
                        placeholder=Msg::PhonePlaceholder autocomplete="username" required=true
                        check=FieldCheck::Phone error=error/>
                    <TextField label=Msg::Password name="password" input_type="password"
                        placeholder=Msg::PasswordPlaceholder autocomplete="current-password" required=true
                        error=error/>
                    <FormError error=error/>
                    <SubmitButton label=Msg::Login pending=session.login.pending()/>
                </ActionForm>
                <a class="link-center" href="/register">{tr.t(Msg::NoAccountYet)}</a>
            </div>
        </MobilePage>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let tr = use_tr();
    let session = use_session();
    let error = use_form_error(session.register);
    view! {
        <MobilePage title=Msg::Register back="/me">
            <div class="form-card">
                <ActionForm action=session.register attr:class="form" attr:novalidate=true>
                    <TextField label=Msg::Phone name="phone" input_type="tel" inputmode="numeric"
                        placeholder=Msg::PhonePlaceholder autocomplete="username" required=true
                        check=FieldCheck::Phone error=error/>
                    <TextField label=Msg::Password name="password" input_type="password"
                        placeholder=Msg::PasswordPlaceholder autocomplete="new-password" required=true
                        check=FieldCheck::Password error=error/>
                    <TextField label=Msg::NameOptional name="name" autocomplete="name"
                        check=FieldCheck::Name error=error/>
                    <TextField label=Msg::EmailOptional name="email" input_type="email" autocomplete="email"
                        check=FieldCheck::Email error=error/>
                    <FormError error=error/>
                    <SubmitButton label=Msg::Register pending=session.register.pending()/>
                </ActionForm>
                <a class="link-center" href="/login">{tr.t(Msg::HaveAccount)}</a>
            </div>
        </MobilePage>
    }
}

#[component]
pub fn MePage() -> impl IntoView {
    let tr = use_tr();
    let session = use_session();
    view! {
        <MobilePage title=Msg::TabMe tab=Tab::Me>
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match session.me.await {
                        Ok(Some(me)) => view! { <SignedIn me=me/> }.into_any(),
                        _ => view! { <SignedOut/> }.into_any(),
                    }
                })}
            </Suspense>
            <Preferences/>
        </MobilePage>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    let tr = use_tr();
    view! {
        <div class="profile-card">
            <div class="avatar avatar-empty" aria-hidden="true">"?"</div>
            <div class="profile-text">
                <p class="profile-name">{tr.t(Msg::LoginOrRegister)}</p>
                <p class="profile-sub">{tr.t(Msg::LoginHint)}</p>
            </div>
        </div>
        <div class="button-row">
            <a class="btn btn-primary" href="/login">{tr.t(Msg::Login)}</a>
            <a class="btn btn-default" href="/register">{tr.t(Msg::Register)}</a>
        </div>
    }
}

#[component]
fn SignedIn(me: Me) -> impl IntoView {
    let tr = use_tr();
    let session = use_session();
    let initial = me.display_name().chars().next().map(String::from).unwrap_or_default();
    let email_value = match (&me.email, me.email_verified) {
        (Some(email), true) => format!("{email}（{}）", tr.t(Msg::EmailVerified)),
        (Some(email), false) => format!("{email}（{}）", tr.t(Msg::EmailUnverified)),
        (None, _) => tr.t(Msg::NotSet).to_owned(),
    };
    view! {
        <div class="profile-card">
            <div class="avatar" aria-hidden="true">{initial}</div>
            <div class="profile-text">
                <p class="profile-name">{me.display_name().to_owned()}</p>
                <p class="profile-sub">{me.phone_masked.clone()}" · "<span class="tag">{tr.t(me.role.label())}</span></p>
            </div>
        </div>
        <CellGroup>
            <Cell label=tr.t(Msg::Profile).to_owned() value=me.name.clone().unwrap_or_else(|| tr.t(Msg::NotSet).to_owned()) href="/me/profile".to_owned()/>
            <Cell label=tr.t(Msg::Email).to_owned() value=email_value/>
            {me.station.clone().map(|s| view! { <Cell label=tr.t(Msg::Station).to_owned() value=s/> })}
            {me.role.is_staff().then(|| view! { <Cell label=tr.t(Msg::StaffConsole).to_owned() href="/staff".to_owned()/> })}
        </CellGroup>
        {(!me.role.is_staff()).then(|| view! { <crate::cases::pages::MeCaseCells/> })}
        {(!me.role.is_staff()).then(|| view! { <crate::stations::pages::MeStationCells role=me.role/> })}
        <CellGroup>
            <ActionForm action=session.logout attr:class="cell-form">
                <button type="submit" class="cell cell-button">{tr.t(Msg::Logout)}</button>
            </ActionForm>
            <ActionForm action=session.logout_everywhere attr:class="cell-form">
                <button type="submit" class="cell cell-button cell-warn">{tr.t(Msg::LogoutEverywhere)}</button>
            </ActionForm>
        </CellGroup>
    }
}

/// Language and 长辈版: work for visitors too (cookies), and follow a signed-in user.
/// Plain forms: the server sets the cookie and sends the page back in the new size or
/// language, rendered right from its first byte.
#[component]
fn Preferences() -> impl IntoView {
    let tr = use_tr();
    let prefs = use_prefs();
    let elder_action = ServerAction::<SetElderMode>::new();
    let lang_action = ServerAction::<SetLanguage>::new();
    let elder = prefs.elder;
    let other_lang = if prefs.lang == Lang::Zh { Lang::En } else { Lang::Zh };
    let other_label = if other_lang == Lang::Zh { Msg::LangZh } else { Msg::LangEn };
    let current_label = if prefs.lang == Lang::Zh { Msg::LangZh } else { Msg::LangEn };
    view! {
        <CellGroup>
            <ActionForm action=elder_action attr:class="cell-form">
                <input type="hidden" name="on" value=if elder { "false" } else { "true" }/>
                <button type="submit" class="cell cell-button cell-switch" role="switch"
                    aria-checked=if elder { "true" } else { "false" } id="elder-switch">
                    <span class="cell-label">
                        {tr.t(Msg::ElderMode)}
                        <small class="cell-hint">{tr.t(Msg::ElderModeHint)}</small>
                    </span>
                    <span class="switch" class:on=elder aria-hidden="true"></span>
                </button>
            </ActionForm>
            <ActionForm action=lang_action attr:class="cell-form">
                <input type="hidden" name="lang" value=other_lang.code()/>
                <button type="submit" class="cell cell-button" id="language-switch">
                    <span class="cell-label">{tr.t(Msg::Language)}</span>
                    <span class="cell-value">{tr.t(current_label)}" → "{tr.t(other_label)}</span>
                </button>
            </ActionForm>
        </CellGroup>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let tr = use_tr();
    let session = use_session();
    let error = use_form_error(session.profile);
    view! {
        <MobilePage title=Msg::Profile back="/me">
            <Suspense fallback=move || view! { <p class="loading">{tr.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match session.me.await {
                        Ok(Some(me)) => view! {
                            <div class="form-card">
                                <ActionForm action=session.profile attr:class="form" attr:novalidate=true>
                                    <TextField label=Msg::Name name="name" autocomplete="name"
                                        value=me.name.clone().unwrap_or_default() check=FieldCheck::Name error=error/>
                                    <TextField label=Msg::Email name="email" input_type="email" autocomplete="email"
                                        value=me.email.clone().unwrap_or_default() check=FieldCheck::Email error=error/>
                                    <FormError error=error/>
                                    <SubmitButton label=Msg::Save pending=session.profile.pending()/>
                                </ActionForm>
                            </div>
                        }.into_any(),
                        _ => view! { <LoginRequired next="/me/profile"/> }.into_any(),
                    }
                })}
            </Suspense>
        </MobilePage>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let tr = use_tr();
    let action = ServerAction::<VerifyEmail>::new();
    let error = use_form_error(action);
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token")).unwrap_or_default();
    let done = move || query.with(|q| q.get("done").is_some());
    view! {
        <MobilePage title=Msg::VerifyEmail back="/me">
            <Show
                when=done
                fallback=move || view! {
                    <div class="form-card">
                        <p class="form-lead">{tr.t(Msg::VerifyEmailConfirm)}</p>
                        <ActionForm action=action attr:class="form">
                            <input type="hidden" name="token" value=token/>
                            <FormError error=error/>
                            <SubmitButton label=Msg::VerifyEmail pending=action.pending()/>
                        </ActionForm>
                    </div>
                }
            >
                <EmptyState title=Msg::VerifyEmailDone>
                    <a class="btn btn-primary" href="/me">{tr.t(Msg::TabMe)}</a>
                </EmptyState>
            </Show>
        </MobilePage>
    }
}

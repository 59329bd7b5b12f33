//! Log in and register: plain forms that work without JavaScript.
use crate::accounts::{Login, Register};
use crate::components::auth::{Auth, FormError};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    Auth::get().refresh_after(login.version());
    let next = move || use_query_map().get().get("next").unwrap_or_default();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), login_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, login_title)}</h1>
            <FormError value=login.value() />
            <ActionForm action=login attr:class="stack">
                <input type="hidden" name="next" value=next />
                <label for="login-phone">{t!(i18n, phone)}</label>
                <input id="login-phone" name="phone" type="tel" inputmode="numeric" autocomplete="username" required />
                <label for="login-password">{t!(i18n, password)}</label>
                <input id="login-password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit" class="primary" data-testid="login-submit">{t!(i18n, submit_login)}</button>
            </ActionForm>
            <p>{t!(i18n, no_account)} " " <a href="/register">{t!(i18n, register)}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let register = ServerAction::<Register>::new();
    Auth::get().refresh_after(register.version());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), register_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, register_title)}</h1>
            <FormError value=register.value() />
            <ActionForm action=register attr:class="stack">
                <label for="reg-phone">{t!(i18n, phone)}</label>
                <input id="reg-phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel" aria-describedby="reg-phone-hint" required />
                <small id="reg-phone-hint">{t!(i18n, phone_hint)}</small>
                <label for="reg-name">{t!(i18n, display_name)}</label>
                <input id="reg-name" name="display_name" type="text" autocomplete="nickname" maxlength="20" aria-describedby="reg-name-hint" required />
                <small id="reg-name-hint">{t!(i18n, display_name_hint)}</small>
                <label for="reg-password">{t!(i18n, password)}</label>
                <input id="reg-password" name="password" type="password" autocomplete="new-password" minlength="8" aria-describedby="reg-password-hint" required />
                <small id="reg-password-hint">{t!(i18n, password_hint)}</small>
                <label for="reg-confirm">{t!(i18n, password_confirm)}</label>
                <input id="reg-confirm" name="password_confirm" type="password" autocomplete="new-password" required />
                <label class="check">
                    <input type="checkbox" name="consent" value="on" required />
                    <span>{t!(i18n, consent_label)} " " <a href="/privacy" target="_blank">{t!(i18n, privacy_title)}</a></span>
                </label>
                <button type="submit" class="primary" data-testid="register-submit">{t!(i18n, submit_register)}</button>
            </ActionForm>
            <p>{t!(i18n, have_account)} " " <a href="/login">{t!(i18n, login)}</a></p>
        </section>
    }
}

//! Display preferences that persist in cookies: the language and elder-friendly mode (适老化).
//!
//! Both are changed through plain HTML forms posting to server functions, so they work without
//! JavaScript (the server sets the cookie and redirects back); with WASM loaded the same forms
//! update the page in place.
use crate::i18n::*;
use leptos::prelude::*;

/// Cookie remembering elder-friendly mode.
pub const ELDER_COOKIE: &str = "linli_elder";
/// leptos_i18n's cookie for the chosen language (its default name).
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// Elder-friendly mode, shared through context.
#[derive(Clone, Copy)]
pub struct ElderMode(RwSignal<bool>);

impl ElderMode {
    /// Reads the initial state (the request cookie on the server, the rendered `<html>` class in
    /// the browser, so hydration agrees with what the server sent) and provides it.
    pub fn provide() -> Self {
        let mode = ElderMode(RwSignal::new(initial_elder_mode()));
        provide_context(mode);
        mode
    }
    pub fn get() -> Self {
        expect_context::<Self>()
    }
    pub fn is_on(&self) -> bool {
        self.0.get()
    }
}

#[cfg(feature = "ssr")]
fn initial_elder_mode() -> bool {
    request_cookie(ELDER_COOKIE).as_deref() == Some("1")
}

#[cfg(not(feature = "ssr"))]
fn initial_elder_mode() -> bool {
    leptos::prelude::document()
        .document_element()
        .map(|html| html.class_list().contains("elder"))
        .unwrap_or(false)
}

/// The value of a cookie of the current request.
#[cfg(feature = "ssr")]
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Adds a long-lived preference cookie to the response. Not HttpOnly: it holds no secret, and
/// the browser-side i18n code reads the language cookie too.
#[cfg(feature = "ssr")]
fn set_pref_cookie(name: &str, value: &str) {
    use http::{header::SET_COOKIE, HeaderValue};
    let cookie = format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax");
    if let (Some(resp), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        resp.append_header(SET_COOKIE, v);
    }
}

/// Turns elder-friendly mode on or off for this browser.
#[server(endpoint = "set_elder_mode")]
pub async fn set_elder_mode(on: bool) -> Result<bool, crate::error::AppError> {
    set_pref_cookie(ELDER_COOKIE, if on { "1" } else { "0" });
    Ok(on)
}

/// Chooses the interface language for this browser (`zh` or `en`).
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<String, crate::error::AppError> {
    let locale: Locale = lang.parse().map_err(|_| crate::error::AppError::Invalid(crate::error::Invalid::Choice))?;
    set_pref_cookie(LOCALE_COOKIE, locale.as_str());
    Ok(locale.as_str().to_string())
}

/// The two preference toggles in the header. The language form posts and reloads (every text
/// on the page is rendered on the server); the elder-mode toggle is an island that, with
/// JavaScript, switches in place.
#[component]
pub fn PrefsBar() -> impl IntoView {
    let i18n = use_i18n();
    let elder = ElderMode::get();
    let set_lang = ServerAction::<SetLanguage>::new();
    let other_locale = move || match i18n.get_locale() {
        Locale::zh => Locale::en,
        Locale::en => Locale::zh,
    };
    let locale = i18n.get_locale_untracked();
    view! {
        <div class="prefs" role="group" aria-label=move || td_string!(i18n.get_locale(), prefs_label)>
            <ActionForm action=set_lang attr:class="pref-form">
                <input type="hidden" name="lang" value=move || other_locale().as_str() />
                <button
                    type="submit"
                    class="pref-button"
                    data-testid="switch-language"
                    lang=move || other_locale().as_str()
                    title=move || td_string!(i18n.get_locale(), switch_language_hint)
                >
                    {t!(i18n, switch_to_other_language)}
                </button>
            </ActionForm>
            <ElderToggle
                on=elder.is_on()
                labels=[
                    td_string!(locale, elder_mode_on).to_string(),
                    td_string!(locale, elder_mode_off).to_string(),
                    td_string!(locale, elder_mode_on_hint).to_string(),
                    td_string!(locale, elder_mode_off_hint).to_string(),
                ]
            />
        </div>
    }
}

/// Elder mode on or off. Without JavaScript a plain form post (the server sets the cookie and
/// redirects back); with it, the same post by fetch and the page's class switched in place.
/// An island: it gets its state and its texts (in the page's language) as props, since
/// islands see no context from the server-rendered page around them.
#[island]
fn ElderToggle(on: bool, labels: [String; 4]) -> impl IntoView {
    let on = RwSignal::new(on);
    let set_elder = ServerAction::<SetElderMode>::new();
    Effect::new(move |_| {
        if let Some(Ok(now)) = set_elder.value().get() {
            on.set(now);
            if let Some(html) = document().document_element() {
                let _ = html.class_list().toggle_with_force("elder", now);
            }
        }
    });
    let [label_on, label_off, hint_on, hint_off] = labels;
    view! {
        <ActionForm action=set_elder attr:class="pref-form">
            <input type="hidden" name="on" prop:value=move || (!on.get()).to_string() value=move || (!on.get()).to_string() />
            <button
                type="submit"
                class="pref-button"
                data-testid="toggle-elder"
                title=move || if on.get() { hint_off.clone() } else { hint_on.clone() }
            >
                {move || if on.get() { label_off.clone() } else { label_on.clone() }}
            </button>
        </ActionForm>
    }
}

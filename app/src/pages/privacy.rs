//! The privacy notice residents accept when they register (PIPL: what is stored and why).
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), privacy_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, privacy_title)}</h1>
            <p>{t!(i18n, privacy_body_1)}</p>
            <p>{t!(i18n, privacy_body_2)}</p>
            <p>{t!(i18n, privacy_body_3)}</p>
            <p>{t!(i18n, privacy_body_4)}</p>
        </section>
    }
}

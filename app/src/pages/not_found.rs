use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for any path no route matches, with HTTP status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    respond_not_found();
    let i18n = use_i18n();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), not_found_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_body)}</p>
            <BackHome />
        </section>
    }
}

/// Answers the page being rendered with HTTP status 404 (on the server; nothing in the browser).
pub fn respond_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// The way home from a page that has nothing to show.
#[component]
pub fn BackHome() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p><a class="button" href="/">{t!(i18n, back_home)}</a></p> }
}

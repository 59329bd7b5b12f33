//! The frame around every page: skip link, header with navigation and preferences, footer.
use crate::i18n::*;
use crate::components::auth::UserMenu;
use crate::prefs::PrefsBar;
use leptos::prelude::*;
use leptos_router::components::A;

/// First focusable element: lets keyboard and screen-reader users jump past the navigation.
#[component]
pub fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    view! { <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a> }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <div class="header-top">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"邻"</span>
                    <span class="brand-text">
                        <span class="brand-name">{t!(i18n, site_name)}</span>
                        <span class="brand-tagline">{t!(i18n, site_tagline)}</span>
                    </span>
                </a>
                <div class="header-actions">
                    <PrefsBar />
                    <UserMenu />
                </div>
            </div>
            <nav class="main-nav" aria-label=move || td_string!(i18n.get_locale(), nav_label)>
                <ul>
                    <li><A href="/hall">{t!(i18n, nav_hall)}</A></li>
                    <li><A href="/market">{t!(i18n, nav_market)}</A></li>
                    <li><A href="/menu">{t!(i18n, nav_menu)}</A></li>
                    <li><A href="/appeals">{t!(i18n, nav_appeals)}</A></li>
                </ul>
            </nav>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer_text)}</p>
        </footer>
    }
}

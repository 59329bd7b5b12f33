//! The application root: the HTML shell, the providers and the routes.
use crate::components::bundle::{stylesheet_href, BundleScripts};
use crate::components::layout::{Footer, Header, SkipLink};
use crate::i18n::*;
use crate::components::auth::Auth;
use crate::pages::{
    account::AccountPage,
    auth::{LoginPage, RegisterPage},
    home::HomePage,
    not_found::NotFound,
    privacy::PrivacyPage,
};
use crate::hall::pages as hall;
use crate::appeals::pages as appeals;
use crate::market::pages as market;
use crate::menu::pages as menu;
use crate::prefs::ElderMode;
use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{provide_meta_context, Html, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The document around the app. Rendered on the server only; `<App/>` inside `<body>` hydrates.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link id="leptos" rel="stylesheet" href=stylesheet_href(&options) />
                <BundleScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// One year, in milliseconds (leptos-use's cookie `max_age` unit).
const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Path "/" so a language picked on any page applies to every page.
    let cookie_options = CookieOptions::default().path("/").max_age(YEAR_MS);
    view! {
        <I18nContextProvider cookie_options>
            <Shell />
        </I18nContextProvider>
    }
}

/// Everything that needs the i18n context.
#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let elder = ElderMode::provide();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    // Pages render fully on the server before they are sent (`SsrMode::Async`): no streamed
    // fragments that need JavaScript to be put in place, so every page works without it.
    let ssr = SsrMode::Async;
    // The head is written after the page has rendered, when a page's reactive values may be
    // gone: titles and meta are plain strings (a page's language never changes in place; a
    // new language is a new page), never closures over signals — under load those panicked.
    let site = td_string!(i18n.get_locale_untracked(), site_name).to_string();
    view! {
        <Html {..} class=if elder.is_on() { "elder" } else { "" } />
        <Title formatter=move |page: String| {
            if page.is_empty() { site.clone() } else { format!("{page} · {site}") }
        } />
        <Meta name="description" content=td_string!(i18n.get_locale_untracked(), home_lead).to_string() />
        <HydrationMark />
        <Router>
            <Frame>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=ssr.clone() />
                    <Route path=path!("/hall") view=hall::HallIndexPage ssr=ssr.clone() />
                    <Route path=path!("/hall/c/:community") view=hall::CommunityHallPage ssr=ssr.clone() />
                    <Route path=path!("/hall/c/:community/new") view=hall::NewProposalPage ssr=ssr.clone() />
                    <Route path=path!("/hall/c/:community/meetings") view=hall::MeetingsPage ssr=ssr.clone() />
                    <Route path=path!("/hall/c/:community/moderation") view=hall::ModerationPage ssr=ssr.clone() />
                    <Route path=path!("/hall/p/:id") view=hall::ProposalView ssr=ssr.clone() />
                    <Route path=path!("/hall/p/:id/edit") view=hall::EditProposalPage ssr=ssr.clone() />
                    <Route path=path!("/market") view=market::MarketPage ssr=ssr.clone() />
                    <Route path=path!("/market/me") view=market::VolunteerPage ssr=ssr.clone() />
                    <Route path=path!("/market/staff") view=market::StaffDeskPage ssr=ssr.clone() />
                    <Route path=path!("/market/social-workers") view=market::DirectoryPage ssr=ssr.clone() />
                    <Route path=path!("/market/charity") view=market::CharityPage ssr=ssr.clone() />
                    <Route path=path!("/market/orgs/new") view=market::RegisterOrgPage ssr=ssr.clone() />
                    <Route path=path!("/market/orgs/:id") view=market::OrgPage ssr=ssr.clone() />
                    <Route path=path!("/market/teams/:id") view=market::TeamView ssr=ssr.clone() />
                    <Route path=path!("/market/activities/:id") view=market::ActivityView ssr=ssr.clone() />
                    <Route path=path!("/market/certificate/:number") view=market::CertificatePage ssr=ssr.clone() />
                    <Route path=path!("/menu") view=menu::MenuPage ssr=ssr.clone() />
                    <Route path=path!("/menu/items/:id") view=menu::MenuItemView ssr=ssr.clone() />
                    <Route path=path!("/menu/orders") view=menu::MyOrdersPage ssr=ssr.clone() />
                    <Route path=path!("/menu/queue") view=menu::QueuePage ssr=ssr.clone() />
                    <Route path=path!("/menu/desk") view=menu::MenuDeskPage ssr=ssr.clone() />
                    <Route path=path!("/menu/wishes") view=menu::WishesPage ssr=ssr.clone() />
                    <Route path=path!("/login") view=LoginPage ssr=ssr.clone() />
                    <Route path=path!("/register") view=RegisterPage ssr=ssr.clone() />
                    <Route path=path!("/account") view=AccountPage ssr=ssr.clone() />
                    <Route path=path!("/admin/roles") view=crate::roles::page::AdminRolesPage ssr=ssr.clone() />
                    <Route path=path!("/staff/residents") view=crate::residents::page::VerifyResidentsPage ssr=ssr.clone() />
                    <Route path=path!("/admin/places") view=crate::places::page::AdminPlacesPage ssr=ssr.clone() />
                    <Route path=path!("/admin/audit") view=crate::audit::page::AuditPage ssr=ssr.clone() />
                    <Route path=path!("/inbox") view=crate::notifications::page::InboxPage ssr=ssr.clone() />
                    <Route path=path!("/privacy") view=PrivacyPage ssr=ssr.clone() />
                    <Route path=path!("/appeals") view=appeals::AppealsHomePage ssr=ssr.clone() />
                    <Route path=path!("/appeals/new") view=appeals::NewAppealPage ssr=ssr.clone() />
                    <Route path=path!("/appeals/queue") view=appeals::QueuePage ssr=ssr.clone() />
                    <Route path=path!("/appeals/overdue") view=appeals::OverduePage ssr=ssr.clone() />
                    <Route path=path!("/appeals/rates") view=appeals::RatesPage ssr=ssr.clone() />
                    <Route path=path!("/appeals/c/:community") view=appeals::CommunityAppealsPage ssr=ssr.clone() />
                    <Route path=path!("/appeals/:id") view=appeals::AppealView ssr=ssr.clone() />
                    <Route path=path!("/admin/appeals") view=appeals::AdminAppealsPage ssr=ssr.clone() />
                </Routes>
            </Frame>
        </Router>
    }
}

/// Marks the document once the WASM bundle has loaded and hydrated its islands (end-to-end
/// tests wait for it before clicking what needs JavaScript).
#[island]
fn HydrationMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("data-hydrated", "true");
        }
    });
}

/// The frame around every page. Inside the router, so actions created here see a failed
/// form post's error in the URL (how errors reach the page without JavaScript).
#[component]
fn Frame(children: Children) -> impl IntoView {
    Auth::provide();
    view! {
        <SkipLink />
        <Header />
        <main id="main" tabindex="-1">{children()}</main>
        <Footer />
    }
}

/// The page's Content-Security-Policy, with the nonce Leptos puts on its inline hydration
/// script: no other inline script runs, and WASM may be compiled.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{header, HeaderValue};
    let Some(nonce) = leptos::nonce::use_nonce() else { return };
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(resp), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&csp)) {
        resp.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}

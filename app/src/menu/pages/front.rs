//! /menu — a community's menu (the caller's own by default; a plain GET form picks another):
//! big cards with the price and the places left this week, and the ways on.
use super::*;
use crate::market::pages::CommunitySelect;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MenuPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let community = move || query.with(|q| q.get("community").and_then(|v| v.parse::<i64>().ok()));
    let menu = Resource::new(community, menu_home);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), area_menu_title).to_string() />
        <section class="page menu-page">
            <h1>{t!(i18n, area_menu_title)}</h1>
            <p class="lead">{t!(i18n, area_menu_desc)}</p>
            {loaded(menu, move |m: MenuFront| view! { <Front m /> })}
        </section>
    }
}

#[component]
fn Front(m: MenuFront) -> impl IntoView {
    let i18n = use_i18n();
    let selected = m.community.as_ref().map(|c| c.id);
    let name = m.community.clone();
    view! {
        <MenuLinks provider=m.is_provider staff=m.is_staff />
        {(!m.logged_in).then(|| view! { <p>{t!(i18n, mn_login_hint)} " " <a href="/login?next=/menu">{t!(i18n, login)}</a></p> })}
        <form method="get" action="/menu" class="filters">
            <div class="field">
                <label for="menu-community">{t!(i18n, mk_community)}</label>
                <CommunitySelect name="community" id="menu-community" communities=m.communities.clone() selected=selected />
            </div>
            <div class="field"><button type="submit">{t!(i18n, mn_show_menu)}</button></div>
        </form>
        <section aria-labelledby="menu-heading">
            <h2 id="menu-heading">{move || name.as_ref().map(|c| community_name(i18n.get_locale(), c)).unwrap_or_default()}</h2>
            <ItemCards items=m.items.clone() />
        </section>
        <p class="notice">
            {move || td_string!(i18n.get_locale(), mn_wishes_hint, n = m.open_wishes).to_string()} " "
            <a href=format!("/menu/wishes?community={}", selected.unwrap_or(0))>{t!(i18n, mn_wishes)}</a>
        </p>
    }
}

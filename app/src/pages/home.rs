//! The home page: the four areas and the district's communities.
use crate::components::loaded::when_loaded;
use crate::i18n::*;
use crate::places::{list_streets, CommunityKind, StreetSummary};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let streets = Resource::new(|| (), |_| list_streets());
    view! {
        <Title text="" />
        <section class="hero">
            <h1>{t!(i18n, home_title)}</h1>
            <p class="lead">{t!(i18n, home_lead)}</p>
        </section>
        <section aria-labelledby="areas-heading">
            <h2 id="areas-heading">{t!(i18n, home_areas)}</h2>
            <ul class="area-cards">
                <AreaCard href="/hall" icon="议" title=move || td_string!(i18n.get_locale(), area_hall_title) desc=move || td_string!(i18n.get_locale(), area_hall_desc) />
                <AreaCard href="/market" icon="联" title=move || td_string!(i18n.get_locale(), area_market_title) desc=move || td_string!(i18n.get_locale(), area_market_desc) />
                <AreaCard href="/menu" icon="单" title=move || td_string!(i18n.get_locale(), area_menu_title) desc=move || td_string!(i18n.get_locale(), area_menu_desc) />
                <AreaCard href="/appeals" icon="诉" title=move || td_string!(i18n.get_locale(), area_appeals_title) desc=move || td_string!(i18n.get_locale(), area_appeals_desc) />
            </ul>
        </section>
        <section aria-labelledby="community-heading" class="my-community">
            <h2 id="community-heading">{t!(i18n, my_community)}</h2>
            <p>{t!(i18n, choose_community_hint)}</p>
        </section>
        <section aria-labelledby="district-heading">
            <h2 id="district-heading">{t!(i18n, district_overview)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(streets, move |result| match result {
                    Ok(streets) => view! { <District streets /> }.into_any(),
                    Err(_) => view! { <p class="notice error" role="alert">{t!(i18n, load_failed)}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AreaCard(
    href: &'static str,
    icon: &'static str,
    title: impl Fn() -> &'static str + Send + Sync + Copy + 'static,
    desc: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <li class="area-card">
            <a href=href>
                <span class="area-icon" aria-hidden="true">{icon}</span>
                <span class="area-title">{title}</span>
            </a>
            <p>{desc}</p>
        </li>
    }
}

#[component]
fn District(streets: Vec<StreetSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if streets.is_empty() {
        return view! { <p>{t!(i18n, no_communities)}</p> }.into_any();
    }
    let english = move || i18n.get_locale() == Locale::en;
    view! {
        <div class="streets">
            {streets.into_iter().map(|street| {
                let count = street.communities.len();
                let (name, name_en) = (street.name.clone(), street.name_en.clone());
                view! {
                    <section class="street">
                        <h3>
                            {move || if english() { name_en.clone() } else { name.clone() }}
                            <span class="muted">" · " {t!(i18n, community_count)} " " {count}</span>
                        </h3>
                        <ul class="communities">
                            {street.communities.into_iter().map(|c| {
                                let (name, name_en) = (c.name.clone(), c.name_en.clone());
                                view! {
                                    <li class="community">
                                        <span class="community-name">{move || if english() { name_en.clone() } else { name.clone() }}</span>
                                        <span class="tag">{move || kind_label(i18n.get_locale(), c.kind)}</span>
                                        <span class="muted">
                                            {t!(i18n, grids)} " " {c.grids} " · " {t!(i18n, buildings)} " " {c.buildings}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// The catalogue label of a community type.
pub fn kind_label(locale: Locale, kind: CommunityKind) -> &'static str {
    match kind {
        CommunityKind::Residential => td_string!(locale, type_residential),
        CommunityKind::Business => td_string!(locale, type_business),
        CommunityKind::OldCourtyard => td_string!(locale, type_old_courtyard),
        CommunityKind::WorkUnit => td_string!(locale, type_work_unit),
        CommunityKind::UrbanRural => td_string!(locale, type_urban_rural),
    }
}

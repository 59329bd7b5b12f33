//! /menu/desk — the staff's desk for a community's menu: escalated orders to dispatch, unmet
//! demand (wishes by support, full weeks, rejections) and offerings to put on the menu.
use super::*;
use crate::market::pages::CommunitySelect;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MenuDeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let community = move || query.with(|q| q.get("community").and_then(|v| v.parse::<i64>().ok()));
    let desk = Resource::new(community, menu_desk);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mn_desk).to_string() />
        <section class="page">
            <MenuLinks provider=true staff=true />
            <h1>{t!(i18n, mn_desk)}</h1>
            {loaded(desk, move |d: DeskView| view! { <Desk d /> })}
        </section>
    }
}

#[component]
fn Desk(d: DeskView) -> impl IntoView {
    let i18n = use_i18n();
    let here = d.community.id;
    view! {
        {(d.communities.len() > 1).then(|| view! {
            <form method="get" action="/menu/desk" class="filters">
                <div class="field">
                    <label for="desk-community">{t!(i18n, mk_community)}</label>
                    <CommunitySelect name="community" id="desk-community" communities=d.communities.clone() selected=Some(here) />
                </div>
                <div class="field"><button type="submit">{t!(i18n, mn_show_menu)}</button></div>
            </form>
        })}
        <section aria-labelledby="desk-escalated">
            <h2 id="desk-escalated">{t!(i18n, mn_escalated_orders)}</h2>
            <OrderList orders=d.escalated.clone() />
        </section>
        <section aria-labelledby="desk-demand">
            <h2 id="desk-demand">{t!(i18n, mn_unmet_demand)}</h2>
            <p>{move || td_string!(i18n.get_locale(), mn_rejected_recently, n = d.rejected_recently).to_string()}</p>
            {(!d.full_items.is_empty()).then(|| view! { <h3>{t!(i18n, mn_full_items)}</h3> <ItemCards items=d.full_items.clone() /> })}
            <h3>{t!(i18n, mn_open_wishes)}</h3>
            {if d.wishes.is_empty() {
                view! { <p class="muted">{t!(i18n, mn_no_wishes)}</p> }.into_any()
            } else {
                view! {
                    <ul class="proposals" data-testid="desk-wishes">
                        {d.wishes.iter().cloned().map(|w| view! {
                            <li class="proposal-card">
                                <p class="proposal-title">{w.title.clone()}</p>
                                <p class="meta">
                                    <span class="tag">{move || w.category.label(i18n.get_locale())}</span>
                                    <span>{move || td_string!(i18n.get_locale(), mn_supporters, n = w.support_count).to_string()}</span>
                                </p>
                                <p class="excerpt">{w.description.clone()}</p>
                                <details class="staff-step">
                                    <summary>{t!(i18n, mn_wish_to_item)}</summary>
                                    <ItemForm community=Some(here) wish=w.clone() key=format!("w{}", w.id) />
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="desk-offerings">
            <h2 id="desk-offerings">{t!(i18n, mn_offerings)}</h2>
            {if d.offerings.is_empty() {
                view! { <p class="muted">{t!(i18n, mn_no_offerings)}</p> }.into_any()
            } else {
                view! {
                    <ul class="proposals" data-testid="desk-offerings">
                        {d.offerings.iter().cloned().map(|o| view! {
                            <li class="proposal-card">
                                <p class="proposal-title">{o.title.clone()}</p>
                                <p class="meta"><span class="tag">{move || o.category.label(i18n.get_locale())}</span><span>{o.org.clone()}</span></p>
                                <details class="staff-step">
                                    <summary>{t!(i18n, mn_put_on_menu)}</summary>
                                    <ItemForm community=Some(here) offering=o.clone() key=format!("o{}", o.id) />
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

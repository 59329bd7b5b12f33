//! /menu/orders — the resident's orders (and those they entered for others): cancel before
//! acceptance, confirm and rate once done.
use super::*;
use leptos_meta::Title;

#[component]
pub fn MyOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mn_my_orders).to_string() />
        <section class="page menu-page">
            <MenuLinks />
            <h1>{t!(i18n, mn_my_orders)}</h1>
            {loaded(orders, move |orders: Vec<OrderView>| view! { <OrderList orders /> })}
        </section>
    }
}

//! /menu/items/:id — an item: what it is, who provides it, price, places left, who may order;
//! the order form (one time and a note; the address comes from the verified home), the year
//! of birth an age limit needs, ordering for a resident, ratings; for its provider, taking
//! it off the menu.
use crate::components::loaded::when_loaded;
use super::*;
use crate::hall::pages::param_id;
use leptos_meta::Title;

#[component]
pub fn MenuItemView() -> impl IntoView {
    let i18n = use_i18n();
    let id = param_id("id");
    let item = Resource::new(id, get_menu_item);
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(item, move |r| match r {
                Err(error) => view! { <section class="page"><MenuLinks /><crate::components::auth::ErrorNotice error /></section> }.into_any(),
                Ok(p) => view! { <Item p /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Item(p: ItemPage) -> impl IntoView {
    let i18n = use_i18n();
    let s = p.summary.clone();
    let (s2, title) = (s.clone(), s.title.clone());
    let withdraw = ServerAction::<WithdrawMenuItem>::new();
    view! {
        <Title text=title.clone() />
        <article class="page menu-page" data-testid="menu-item">
            <MenuLinks />
            <h1>{title}</h1>
            <dl class="facts">
                <dt>{t!(i18n, mn_category)}</dt><dd>{move || s.category.label(i18n.get_locale())}</dd>
                <dt>{t!(i18n, mn_provider)}</dt><dd>{s.provider.clone()} " · " {move || s.provider_kind.label(i18n.get_locale())}</dd>
                <dt>{t!(i18n, mn_price)}</dt><dd class="price">{move || s.price.label(i18n.get_locale())}</dd>
                <dt>{t!(i18n, mn_this_week)}</dt><dd data-testid="places">{move || places_left(i18n.get_locale(), &s2)}</dd>
                {s.min_age.map(|a| view! { <dt>{t!(i18n, mn_who)}</dt><dd>{move || td_string!(i18n.get_locale(), mn_min_age, n = a).to_string()}</dd> })}
                {(!p.buildings.is_empty()).then(|| view! { <dt>{t!(i18n, mn_buildings)}</dt><dd>{p.buildings.join("、")}</dd> })}
                <dt>{t!(i18n, mn_duration)}</dt><dd>{move || hours_label(i18n.get_locale(), s.service_minutes)}</dd>
                <dt>{t!(i18n, mn_rating)}</dt><dd>{move || rating_text(i18n.get_locale(), s.rating_sum, s.rating_count)}</dd>
            </dl>
            <div class="prose">{p.description.clone()}</div>
            <OrderPanel p=p.clone() />
            {p.can_order_for.then(|| view! { <OrderForm p=p.clone() for_other=true /> })}
            {(p.can_manage && !s.withdrawn).then(|| view! {
                <FormError value=withdraw.value() />
                <ActionForm action=withdraw>
                    <input type="hidden" name="id" value=s.id />
                    <button type="submit" data-testid="withdraw-item">{t!(i18n, mn_withdraw)}</button>
                </ActionForm>
            })}
            <section aria-labelledby="ratings-heading">
                <h2 id="ratings-heading">{t!(i18n, mn_ratings)}</h2>
                {if p.ratings.is_empty() {
                    view! { <p class="muted">{t!(i18n, mn_no_ratings)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list">
                            {p.ratings.iter().cloned().map(|r| view! {
                                <li><span aria-hidden="true">{"★".repeat(r.rating as usize)}</span> " "
                                    {move || td_string!(i18n.get_locale(), mn_stars, n = r.rating).to_string()} " "
                                    {r.comment.clone()} " " <span class="muted">{when(r.at)}</span></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </article>
    }
}

/// The resident's part: log in, why they may not order, the year of birth, or the order form.
#[component]
fn OrderPanel(p: ItemPage) -> impl IntoView {
    let i18n = use_i18n();
    let birth = ServerAction::<SetBirthYear>::new();
    if !p.logged_in {
        return view! { <p>{t!(i18n, mn_login_hint)} " " <a href=format!("/login?next=/menu/items/{}", p.summary.id)>{t!(i18n, login)}</a></p> }.into_any();
    }
    if !p.can_order {
        return view! { <p class="muted">{t!(i18n, mn_verified_only)}</p> }.into_any();
    }
    match p.refusal {
        Some(Refusal::NoBirthYear) => view! {
            <p class="notice" data-testid="refusal">{move || Refusal::NoBirthYear.label(i18n.get_locale())}</p>
            <FormError value=birth.value() />
            <ActionForm action=birth attr:class="stack">
                <label for="birth-year">{t!(i18n, mn_birth_year)}</label>
                <input id="birth-year" name="birth_year" type="number" inputmode="numeric" min="1900" max="2100" required />
                <button type="submit" class="primary">{t!(i18n, mn_save)}</button>
            </ActionForm>
        }.into_any(),
        Some(r) => view! { <p class="notice" data-testid="refusal">{move || r.label(i18n.get_locale())}</p> }.into_any(),
        None => view! { <OrderForm p for_other=false /> }.into_any(),
    }
}

/// The order form: a preferred time and a note, and for staff or a grid worker the phone
/// number of the resident they order for.
#[component]
fn OrderForm(p: ItemPage, for_other: bool) -> impl IntoView {
    let i18n = use_i18n();
    let order = ServerAction::<OrderService>::new();
    let key = if for_other { "for" } else { "me" };
    let tomorrow = crate::time::format_input(p.now + 86_400_000);
    let (min, max) = (crate::time::format_input(p.now), crate::time::format_input(p.now + PREFERRED_WITHIN_MS));
    view! {
        <section class="order-form" aria-labelledby=format!("order-{key}")>
            <h2 id=format!("order-{key}")>{if for_other { t!(i18n, mn_order_for).into_any() } else { t!(i18n, mn_order).into_any() }}</h2>
            <FormError value=order.value() />
            <ActionForm action=order attr:class="stack">
                <input type="hidden" name="item_id" value=p.summary.id />
                {for_other.then(|| view! {
                    <label for="on-behalf">{t!(i18n, mn_resident_phone)}</label>
                    <input id="on-behalf" name="on_behalf_phone" type="tel" inputmode="tel" required maxlength="20" />
                })}
                <label for=format!("preferred-{key}")>{t!(i18n, mn_preferred_at)}</label>
                <input id=format!("preferred-{key}") name="preferred_at" type="datetime-local" required value=tomorrow min=min max=max />
                <label for=format!("note-{key}")>{t!(i18n, mn_note_optional)}</label>
                <textarea id=format!("note-{key}") name="note" rows="2" maxlength="500"></textarea>
                {(!for_other).then(|| view! { <p class="muted">{t!(i18n, mn_address_hint)}</p> })}
                <button type="submit" class="primary big" data-testid=format!("order-{key}")>
                    {if for_other { t!(i18n, mn_order_for).into_any() } else { t!(i18n, mn_order).into_any() }}
                </button>
            </ActionForm>
        </section>
    }
}

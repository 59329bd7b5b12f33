//! The menu's pages: a community's menu (/menu), an item with its order form
//! (/menu/items/:id), the resident's orders (/menu/orders), the provider's queue
//! (/menu/queue), the staff's desk (/menu/desk) and wishes (/menu/wishes). The menu is the
//! page elderly residents use most: big cards, a price and places left on each, ordering in
//! one form. Every form is an `ActionForm` that also works as a plain form post.
mod desk;
mod front;
mod item;
mod orders;
mod queue;
mod wishes;

pub use desk::MenuDeskPage;
pub use front::MenuPage;
pub use item::MenuItemView;
pub use orders::MyOrdersPage;
pub use queue::QueuePage;
pub use wishes::WishesPage;

use super::*;
use crate::components::auth::FormError;
use crate::hall::pages::when;
use crate::i18n::*;
use crate::market::pages::{community_name, hours_label, loaded};
use leptos::prelude::*;

/// Links between the menu's pages.
#[component]
pub fn MenuLinks(#[prop(optional)] provider: bool, #[prop(optional)] staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="tool-links">
            <li><a class="button" href="/menu">{t!(i18n, area_menu_title)}</a></li>
            <li><a class="button" href="/menu/orders">{t!(i18n, mn_my_orders)}</a></li>
            <li><a class="button" href="/menu/wishes">{t!(i18n, mn_wishes)}</a></li>
            {provider.then(|| view! { <li><a class="button" href="/menu/queue">{t!(i18n, mn_queue)}</a></li> })}
            {staff.then(|| view! { <li><a class="button" href="/menu/desk">{t!(i18n, mn_desk)}</a></li> })}
        </ul>
    }
}

/// Places left this week, as words.
fn places_left(locale: Locale, i: &ItemSummary) -> String {
    let left = (i.weekly_capacity - i.taken_this_week).max(0);
    if left == 0 {
        td_string!(locale, mn_full_this_week).to_string()
    } else {
        td_string!(locale, mn_places_left, n = left, capacity = i.weekly_capacity).to_string()
    }
}

/// "4.6 分（12 人评价）", or "no ratings yet".
fn rating_text(locale: Locale, sum: i64, count: i64) -> String {
    match rating_label(sum, count) {
        Some(avg) => td_string!(locale, mn_rating_avg, avg = avg, n = count).to_string(),
        None => td_string!(locale, mn_no_ratings).to_string(),
    }
}

/// Menu items as big cards: what, who, price, places left, who may order.
#[component]
pub fn ItemCards(items: Vec<ItemSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="muted">{t!(i18n, mn_no_items)}</p> }.into_any();
    }
    view! {
        <ul class="proposals menu-items" data-testid="menu-items">
            {items.into_iter().map(|i| {
                let it = i.clone();
                let places_class = if i.taken_this_week >= i.weekly_capacity { "tag full" } else { "tag" };
                view! {
                    <li class="proposal-card menu-card">
                        <p class="meta"><span class="tag">{move || i.category.label(i18n.get_locale())}</span></p>
                        <p class="proposal-title"><a href=format!("/menu/items/{}", i.id)>{i.title.clone()}</a></p>
                        <p class="meta">
                            <span>{i.provider.clone()}</span>
                            <span class="price">{move || i.price.label(i18n.get_locale())}</span>
                        </p>
                        <p class="meta">
                            <span class=places_class>{move || places_left(i18n.get_locale(), &it)}</span>
                            {i.min_age.map(|a| view! { <span class="tag">{move || td_string!(i18n.get_locale(), mn_min_age, n = a).to_string()}</span> })}
                            {i.building_limited.then(|| view! { <span class="tag">{t!(i18n, mn_some_buildings)}</span> })}
                            <span class="muted">{move || rating_text(i18n.get_locale(), i.rating_sum, i.rating_count)}</span>
                            <span class="muted">{move || td_string!(i18n.get_locale(), mn_completed_count, n = i.completed_count).to_string()}</span>
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A provider's services on community menus, for its team or organization page: the
/// ratings and the orders served over all of them, then each item as a card. Nothing when it
/// has none.
#[component]
pub fn ProviderMenu(items: Vec<ItemSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return ().into_any();
    }
    let (sum, count) = items.iter().fold((0, 0), |(s, n), i| (s + i.rating_sum, n + i.rating_count));
    let served: i64 = items.iter().map(|i| i.completed_count).sum();
    view! {
        <section aria-labelledby="provider-menu-heading" data-testid="provider-menu">
            <h2 id="provider-menu-heading">{t!(i18n, mn_provider_services)}</h2>
            <dl class="tally-grid">
                <div><dt>{t!(i18n, mn_rating)}</dt><dd data-testid="provider-rating">{move || rating_text(i18n.get_locale(), sum, count)}</dd></div>
                <div><dt>{t!(i18n, mn_served)}</dt><dd data-testid="provider-served">{served}</dd></div>
            </dl>
            <ItemCards items />
        </section>
    }
    .into_any()
}

/// An order as a card, with the steps the viewer may take on it now.
#[component]
pub fn OrderCard(o: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let id = o.id;
    let (status, community) = (o.status, o.community.clone());
    view! {
        <li class="proposal-card" id=format!("order-{id}") data-testid="order">
            <p class="proposal-title"><a href=format!("/menu/items/{}", o.item_id)>{o.item_title.clone()}</a></p>
            <p class="meta">
                <span class="tag" data-testid="order-status">{move || status.label(i18n.get_locale())}</span>
                <span>{o.provider.clone()}</span>
                <span class="muted">{move || community_name(i18n.get_locale(), &community)}</span>
            </p>
            <dl class="facts">
                <dt>{t!(i18n, mn_preferred_at)}</dt><dd>{when(o.preferred_at)}</dd>
                <dt>{t!(i18n, mn_for_resident)}</dt><dd>{o.resident.clone()}</dd>
                {o.address.clone().map(|a| view! { <dt>{t!(i18n, mn_address)}</dt><dd data-testid="order-address">{a}</dd> })}
                {(!o.note.is_empty()).then(|| view! { <dt>{t!(i18n, mn_note)}</dt><dd>{o.note.clone()}</dd> })}
                {o.entered_by.clone().map(|n| view! { <dt>{t!(i18n, mn_entered_by)}</dt><dd>{n}</dd> })}
                {o.assignee.clone().map(|n| view! { <dt>{t!(i18n, mn_assignee)}</dt><dd>{n}</dd> })}
                {o.reject_reason.clone().map(|r| view! { <dt>{t!(i18n, mn_reject_reason)}</dt><dd>{r}</dd> })}
                {o.escalated_at.map(|t| view! { <dt>{t!(i18n, mn_escalated)}</dt><dd>{when(t)}</dd> })}
                {o.rating.map(|r| view! {
                    <dt>{t!(i18n, mn_rating)}</dt>
                    <dd><span aria-hidden="true">{"★".repeat(r as usize)}</span> " " {move || td_string!(i18n.get_locale(), mn_stars, n = r).to_string()}</dd>
                })}
                {o.rating_comment.clone().map(|c| view! { <dt>{t!(i18n, mn_comment)}</dt><dd>{c}</dd> })}
            </dl>
            <OrderSteps o=o.clone() />
        </li>
    }
}

/// The forms for the steps the viewer may take on an order.
#[component]
fn OrderSteps(o: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let (cancel, confirm, accept) = (ServerAction::<CancelOrder>::new(), ServerAction::<ConfirmOrder>::new(), ServerAction::<AcceptOrder>::new());
    let (reject, start, complete) = (ServerAction::<RejectOrder>::new(), ServerAction::<StartOrder>::new(), ServerAction::<CompleteOrder>::new());
    let id = o.id;
    view! {
        <FormError value=cancel.value() />
        <FormError value=confirm.value() />
        <FormError value=accept.value() />
        <FormError value=reject.value() />
        <FormError value=start.value() />
        <FormError value=complete.value() />
        {o.can_rate.then(|| view! {
            <ActionForm action=confirm attr:class="stack">
                <input type="hidden" name="id" value=id />
                <fieldset class="checks rating">
                    <legend>{t!(i18n, mn_rate_it)}</legend>
                    {(1..=5).rev().map(|n| view! {
                        <label class="check"><input type="radio" name="rating" value=n required checked=n == 5 />
                            {move || td_string!(i18n.get_locale(), mn_stars, n = n).to_string()}</label>
                    }).collect_view()}
                </fieldset>
                <label for=format!("comment-{id}")>{t!(i18n, mn_comment_optional)}</label>
                <textarea id=format!("comment-{id}") name="comment" rows="2" maxlength="500"></textarea>
                <button type="submit" class="primary" data-testid="confirm-order">{t!(i18n, mn_confirm)}</button>
            </ActionForm>
        })}
        {o.can_cancel.then(|| view! {
            <ActionForm action=cancel>
                <input type="hidden" name="id" value=id />
                <button type="submit" data-testid="cancel-order">{t!(i18n, mn_cancel)}</button>
            </ActionForm>
        })}
        {o.can_decide.then(|| view! {
            <ActionForm action=accept attr:class="stack">
                <input type="hidden" name="id" value=id />
                <label for=format!("assignee-{id}")>{t!(i18n, mn_assignee_choose)}</label>
                <select id=format!("assignee-{id}") name="assignee_id" data-testid="assignee">
                    <option value="0">{t!(i18n, mn_assignee_me)}</option>
                    {o.assignees.iter().map(|a| view! {
                        <option value=a.id>{format!("{} · {}", a.name, a.phone)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="primary" data-testid="accept-order">{t!(i18n, mn_accept)}</button>
            </ActionForm>
            <details class="staff-step">
                <summary>{t!(i18n, mn_reject)}</summary>
                <ActionForm action=reject attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <label for=format!("reason-{id}")>{t!(i18n, mn_reject_reason)}</label>
                    <textarea id=format!("reason-{id}") name="reason" rows="2" required maxlength="500"></textarea>
                    <button type="submit" data-testid="reject-order">{t!(i18n, mn_reject)}</button>
                </ActionForm>
            </details>
        })}
        {(o.can_work && o.status == OrderStatus::Accepted).then(|| view! {
            <ActionForm action=start>
                <input type="hidden" name="id" value=id />
                <button type="submit" class="primary" data-testid="start-order">{t!(i18n, mn_start)}</button>
            </ActionForm>
        })}
        {(o.can_work && o.status == OrderStatus::InProgress).then(|| view! {
            <ActionForm action=complete>
                <input type="hidden" name="id" value=id />
                <button type="submit" class="primary" data-testid="complete-order">{t!(i18n, mn_complete)}</button>
            </ActionForm>
        })}
    }
}

/// A list of orders.
#[component]
pub fn OrderList(orders: Vec<OrderView>) -> impl IntoView {
    let i18n = use_i18n();
    if orders.is_empty() {
        return view! { <p class="muted">{t!(i18n, mn_no_orders)}</p> }.into_any();
    }
    view! { <ul class="proposals" data-testid="orders">{orders.into_iter().map(|o| view! { <OrderCard o /> }).collect_view()}</ul> }.into_any()
}

/// The form that puts an item on `community`'s menu: for a provider (choosing among
/// `providers` of that community), or for staff putting an offering (`offering`) or a wish
/// (`wish`) on it.
#[component]
pub fn ItemForm(
    community: Option<i64>,
    #[prop(optional)] providers: Vec<ProviderChoice>,
    #[prop(optional)] offering: Option<OfferingChoice>,
    #[prop(optional)] wish: Option<WishView>,
    key: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateMenuItem>::new();
    let f = move |name: &str| format!("{name}-{key}");
    let (title, description, category) = match (&offering, &wish) {
        (Some(o), _) => (o.title.clone(), o.description.clone(), Some(o.category)),
        (_, Some(w)) => (w.title.clone(), w.description.clone(), Some(w.category)),
        _ => (String::new(), String::new(), None),
    };
    let choose_provider = offering.is_none() && wish.is_none();
    let first_community = community.or(providers.first().map(|p| p.community_id)).unwrap_or(0);
    view! {
        <FormError value=create.value() />
        <ActionForm action=create attr:class="stack">
            {offering.as_ref().map(|o| view! { <input type="hidden" name="offering_id" value=o.id /> })}
            {wish.as_ref().map(|w| view! { <input type="hidden" name="wish_id" value=w.id /> <input type="hidden" name="provider" value="community" /> })}
            <input type="hidden" name="community_id" value=first_community />
            {choose_provider.then(|| view! {
                <label for=f("provider")>{t!(i18n, mn_provider)}</label>
                <select id=f("provider") name="provider" required>
                    {providers.iter().filter(|p| p.community_id == first_community).map(|p| view! {
                        <option value=p.code.clone()>{p.name.clone()}</option>
                    }).collect_view()}
                </select>
            })}
            <label for=f("category")>{t!(i18n, mn_category)}</label>
            <select id=f("category") name="category" required>
                {crate::market::ServiceCategory::ALL.iter().map(|&c| view! {
                    <option value=c.code() selected=category == Some(c)>{move || c.label(i18n.get_locale())}</option>
                }).collect_view()}
            </select>
            <label for=f("title")>{t!(i18n, mn_item_title)}</label>
            <input id=f("title") name="title" type="text" required maxlength="80" value=title />
            <label for=f("description")>{t!(i18n, mn_description)}</label>
            <textarea id=f("description") name="description" rows="3" required maxlength="2000">{description}</textarea>
            <label for=f("capacity")>{t!(i18n, mn_weekly_capacity)}</label>
            <input id=f("capacity") name="weekly_capacity" type="number" min="1" max="1000" required value="10" />
            <label for=f("minutes")>{t!(i18n, mn_service_minutes)}</label>
            <input id=f("minutes") name="service_minutes" type="number" min="1" max="720" required value="60" />
            <label for=f("min-age")>{t!(i18n, mn_min_age_field)}</label>
            <input id=f("min-age") name="min_age" type="number" min="0" max="120" />
            <fieldset class="checks">
                <legend>{t!(i18n, mn_price)}</legend>
                {PriceKind::ALL.iter().map(|&k| view! {
                    <label class="check"><input type="radio" name="price_kind" value=k.code() checked=k == PriceKind::Free required />
                        {move || k.label(i18n.get_locale())}</label>
                }).collect_view()}
            </fieldset>
            <label for=f("price")>{t!(i18n, mn_price_yuan)}</label>
            <input id=f("price") name="price" type="text" inputmode="decimal" maxlength="10" />
            <button type="submit" class="primary" data-testid="create-menu-item">{t!(i18n, mn_put_on_menu)}</button>
        </ActionForm>
    }
}

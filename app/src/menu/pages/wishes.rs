//! /menu/wishes — 心愿单: a community's wishes for services the menu lacks, with support
//! buttons and the form for a new wish.
use super::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn WishesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let community = move || query.with(|q| q.get("community").and_then(|v| v.parse::<i64>().ok()).filter(|c| *c > 0));
    let wishes = Resource::new(community, list_wishes);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), mn_wishes).to_string() />
        <section class="page menu-page">
            <MenuLinks />
            <h1>{t!(i18n, mn_wishes)}</h1>
            <p class="lead">{t!(i18n, mn_wishes_lead)}</p>
            {loaded(wishes, move |w: WishList| view! { <Wishes w /> })}
        </section>
    }
}

#[component]
fn Wishes(w: WishList) -> impl IntoView {
    let i18n = use_i18n();
    let make = ServerAction::<MakeWish>::new();
    let support = ServerAction::<SupportWish>::new();
    let here = w.community.as_ref().map(|c| c.id).unwrap_or(0);
    let name = w.community.clone();
    view! {
        <h2>{move || name.as_ref().map(|c| community_name(i18n.get_locale(), c)).unwrap_or_default()}</h2>
        <FormError value=support.value() />
        {if w.wishes.is_empty() {
            view! { <p class="muted">{t!(i18n, mn_no_wishes)}</p> }.into_any()
        } else {
            view! {
                <ul class="proposals" data-testid="wishes">
                    {w.wishes.iter().cloned().map(|x| view! {
                        <li class="proposal-card" id=format!("wish-{}", x.id)>
                            <p class="proposal-title">{x.title.clone()}</p>
                            <p class="meta">
                                <span class="tag">{move || x.category.label(i18n.get_locale())}</span>
                                <span data-testid="supporters">{move || td_string!(i18n.get_locale(), mn_supporters, n = x.support_count).to_string()}</span>
                                {x.author.clone().map(|a| view! { <span class="muted">{a}</span> })}
                                <span class="muted">{when(x.created_at)}</span>
                            </p>
                            <p class="excerpt">{x.description.clone()}</p>
                            {match x.item_id {
                                Some(item) => view! { <p><a href=format!("/menu/items/{item}")>{t!(i18n, mn_wish_on_menu)}</a></p> }.into_any(),
                                None if x.supported => view! { <p class="tag">{t!(i18n, mn_supported)}</p> }.into_any(),
                                None if w.can_wish => view! {
                                    <ActionForm action=support>
                                        <input type="hidden" name="id" value=x.id />
                                        <button type="submit" data-testid="support-wish">{t!(i18n, mn_support)}</button>
                                    </ActionForm>
                                }.into_any(),
                                None => ().into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {w.can_wish.then(|| view! {
            <section aria-labelledby="new-wish">
                <h2 id="new-wish">{t!(i18n, mn_new_wish)}</h2>
                <FormError value=make.value() />
                <ActionForm action=make attr:class="stack">
                    <input type="hidden" name="community_id" value=here />
                    <label for="wish-category">{t!(i18n, mn_category)}</label>
                    <select id="wish-category" name="category" required>
                        {crate::market::ServiceCategory::ALL.iter().map(|&c| view! { <option value=c.code()>{move || c.label(i18n.get_locale())}</option> }).collect_view()}
                    </select>
                    <label for="wish-title">{t!(i18n, mn_wish_title)}</label>
                    <input id="wish-title" name="title" type="text" required maxlength="80" />
                    <label for="wish-description">{t!(i18n, mn_description)}</label>
                    <textarea id="wish-description" name="description" rows="3" required maxlength="2000"></textarea>
                    <button type="submit" class="primary big" data-testid="make-wish">{t!(i18n, mn_make_wish)}</button>
                </ActionForm>
            </section>
        })}
    }
}

//! /admin/places: the district's streets and communities, with forms to add places and edit
//! communities. Plain forms: they work without JavaScript.
use crate::components::loaded::when_loaded;
use super::*;
use crate::components::auth::FormError;
use crate::i18n::*;
use crate::pages::home::kind_label;
use crate::accounts::Role;
use crate::components::auth::RequireRole;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPlacesPage() -> impl IntoView {
    let i18n = use_i18n();
    let street = ServerAction::<CreateStreet>::new();
    let community = ServerAction::<CreateCommunity>::new();
    let update = ServerAction::<UpdateCommunity>::new();
    let grid = ServerAction::<CreateGrid>::new();
    let estate = ServerAction::<CreateEstate>::new();
    let building = ServerAction::<CreateBuilding>::new();
    let rename = ServerAction::<RenamePlace>::new();
    let streets = Resource::new(
        // Any change reloads the list.
        move || {
            street.version().get() + community.version().get() + update.version().get()
                + grid.version().get() + estate.version().get() + building.version().get()
                + rename.version().get()
        },
        |_| list_streets(),
    );
    let grids = Resource::new(|| (), |_| crate::roles::scope_options());
    let estates = Resource::new(move || estate.version().get(), |_| estate_options());
    let kinds = move || CommunityKind::ALL.into_iter().map(move |k| view! {
        <option value=k.code()>{move || kind_label(i18n.get_locale(), k)}</option>
    }).collect_view();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), places_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, places_title)}</h1>
            <RequireRole roles=&[Role::Admin]>
            <FormError value=street.value() />
            <FormError value=community.value() />
            <FormError value=update.value() />
            <FormError value=grid.value() />
            <FormError value=estate.value() />
            <FormError value=building.value() />
            <FormError value=rename.value() />
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(streets, move |r| r.ok().map(|streets| {
                    let street_opts = streets.iter().map(|s| (s.id, s.name.clone())).collect::<Vec<_>>();
                    let community_opts = streets.iter()
                        .flat_map(|s| s.communities.iter().map(move |c| (c.id, format!("{} · {}", s.name, c.name))))
                        .collect::<Vec<_>>();
                    let (for_grid, for_estate) = (community_opts.clone(), community_opts);
                    view! {
                        <div data-testid="places">
                        {streets.into_iter().map(|s| view! {
                            <section class="street">
                                <h2>{s.name.clone()} <span class="muted">" · " {s.name_en.clone()}</span></h2>
                                <RenameForm action=rename level="street" id=s.id name=s.name.clone() />
                                {s.communities.into_iter().map(|c| {
                                    let kind = c.kind;
                                    view! {
                                        <details class="community-edit">
                                            <summary>
                                                {c.name.clone()} " · " {move || kind_label(i18n.get_locale(), kind)}
                                                " · " {t!(i18n, grids)} " " {c.grids} " · " {t!(i18n, buildings)} " " {c.buildings}
                                            </summary>
                                            <ActionForm action=update attr:class="stack">
                                                <input type="hidden" name="id" value=c.id />
                                                <label for=format!("c{}-name", c.id)>{t!(i18n, place_name)}</label>
                                                <input id=format!("c{}-name", c.id) name="name" type="text" value=c.name.clone() required />
                                                <label for=format!("c{}-en", c.id)>{t!(i18n, place_name_en)}</label>
                                                <input id=format!("c{}-en", c.id) name="name_en" type="text" value=c.name_en.clone() required />
                                                <label for=format!("c{}-kind", c.id)>{t!(i18n, community_type)}</label>
                                                <select id=format!("c{}-kind", c.id) name="kind">
                                                    {CommunityKind::ALL.into_iter().map(|k| view! {
                                                        <option value=k.code() selected=k == kind>{move || kind_label(i18n.get_locale(), k)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <label for=format!("c{}-th", c.id)>{t!(i18n, support_threshold)}</label>
                                                <input id=format!("c{}-th", c.id) name="support_threshold" type="number" min="1" max="10000" value=c.support_threshold required />
                                                <button type="submit">{t!(i18n, save)}</button>
                                            </ActionForm>
                                            <CommunityPlaces community_id=c.id rename />
                                        </details>
                                    }
                                }).collect_view()}
                            </section>
                        }).collect_view()}
                        </div>

                        <h2>{t!(i18n, add_community)}</h2>
                        <ActionForm action=community attr:class="stack">
                            <label for="nc-street">{t!(i18n, street_label)}</label>
                            <select id="nc-street" name="street_id">
                                {street_opts.iter().map(|(id, n)| view! { <option value=*id>{n.clone()}</option> }).collect_view()}
                            </select>
                            <label for="nc-name">{t!(i18n, place_name)}</label>
                            <input id="nc-name" name="name" type="text" required />
                            <label for="nc-en">{t!(i18n, place_name_en)}</label>
                            <input id="nc-en" name="name_en" type="text" required />
                            <label for="nc-kind">{t!(i18n, community_type)}</label>
                            <select id="nc-kind" name="kind">{kinds()}</select>
                            <label for="nc-th">{t!(i18n, support_threshold)}</label>
                            <input id="nc-th" name="support_threshold" type="number" min="1" max="10000" value="10" required />
                            <button type="submit" class="primary">{t!(i18n, add_community)}</button>
                        </ActionForm>

                        <h2>{t!(i18n, add_grid)}</h2>
                        <ActionForm action=grid attr:class="stack">
                            <label for="ng-community">{t!(i18n, community_label)}</label>
                            <select id="ng-community" name="community_id">
                                {for_grid.iter().map(|(id, n)| view! { <option value=*id>{n.clone()}</option> }).collect_view()}
                            </select>
                            <label for="ng-name">{t!(i18n, place_name)}</label>
                            <input id="ng-name" name="name" type="text" required />
                            <button type="submit" class="primary">{t!(i18n, add_grid)}</button>
                        </ActionForm>

                        <h2>{t!(i18n, add_building)}</h2>
                        <ActionForm action=building attr:class="stack">
                            <label for="nb-grid">{t!(i18n, grids)}</label>
                            <select id="nb-grid" name="grid_id">
                                <Suspense>
                                    {when_loaded(grids, move |r| r.ok().map(|opts| opts.into_iter()
                                        .filter_map(|(v, l)| v.strip_prefix("grid:").map(|id| (id.to_string(), l)))
                                        .map(|(id, l)| view! { <option value=id>{l}</option> })
                                        .collect_view()))}
                                </Suspense>
                            </select>
                            <label for="nb-estate">{t!(i18n, estate_optional)}</label>
                            <select id="nb-estate" name="estate_id">
                                <option value="">{t!(i18n, estate_none)}</option>
                                <Suspense>
                                    {when_loaded(estates, move |r| r.ok().map(|opts| opts.into_iter()
                                        .map(|(id, l)| view! { <option value=id>{l}</option> })
                                        .collect_view()))}
                                </Suspense>
                            </select>
                            <label for="nb-name">{t!(i18n, place_name)}</label>
                            <input id="nb-name" name="name" type="text" required />
                            <button type="submit" class="primary">{t!(i18n, add_building)}</button>
                        </ActionForm>

                        <h2>{t!(i18n, add_estate)}</h2>
                        <ActionForm action=estate attr:class="stack">
                            <label for="ne-community">{t!(i18n, community_label)}</label>
                            <select id="ne-community" name="community_id">
                                {for_estate.iter().map(|(id, n)| view! { <option value=*id>{n.clone()}</option> }).collect_view()}
                            </select>
                            <label for="ne-name">{t!(i18n, place_name)}</label>
                            <input id="ne-name" name="name" type="text" required />
                            <label for="ne-kind">{t!(i18n, property_kind)}</label>
                            <select id="ne-kind" name="property_kind">
                                <option value="brand">{t!(i18n, property_brand)}</option>
                                <option value="developer">{t!(i18n, property_developer)}</option>
                                <option value="owners_committee">{t!(i18n, property_owners_committee)}</option>
                                <option value="none">{t!(i18n, property_none)}</option>
                            </select>
                            <button type="submit" class="primary">{t!(i18n, add_estate)}</button>
                        </ActionForm>

                        <h2>{t!(i18n, add_street)}</h2>
                        <ActionForm action=street attr:class="stack">
                            <label for="ns-name">{t!(i18n, place_name)}</label>
                            <input id="ns-name" name="name" type="text" required />
                            <label for="ns-en">{t!(i18n, place_name_en)}</label>
                            <input id="ns-en" name="name_en" type="text" required />
                            <button type="submit" class="primary">{t!(i18n, add_street)}</button>
                        </ActionForm>
                    }
                }))}
            </Transition>
            </RequireRole>
        </section>
    }
}

/// The grids, estates and buildings of a community, each with a rename form.
#[component]
fn CommunityPlaces(community_id: i64, rename: ServerAction<RenamePlace>) -> impl IntoView {
    let rows = Resource::new(move || rename.version().get(), move |_| community_places(community_id));
    view! {
        <Transition>
            {when_loaded(rows, move |r| r.ok().map(|rows| view! {
                <ul class="grant-list">
                    {rows.into_iter().map(|r| view! {
                        <li>
                            <span class="muted">{r.within.clone()}</span>
                            <RenameForm action=rename level=r.level.clone() id=r.id name=r.name.clone() />
                        </li>
                    }).collect_view()}
                </ul>
            }))}
        </Transition>
    }
}

#[component]
fn RenameForm(action: ServerAction<RenamePlace>, #[prop(into)] level: String, id: i64, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("rename-{level}-{id}");
    view! {
        <ActionForm action=action attr:class="inline-form rename">
            <input type="hidden" name="level" value=level.clone() />
            <input type="hidden" name="id" value=id />
            <label class="visually-hidden" for=input_id.clone()>{t!(i18n, place_name)}</label>
            <input id=input_id name="name" type="text" value=name required />
            <button type="submit">{t!(i18n, rename)}</button>
        </ActionForm>
    }
}

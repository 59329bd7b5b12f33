//! The resident's home and data on the account page, and the staff verification page.
use crate::components::loaded::when_loaded;
use super::*;
use crate::components::auth::FormError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// Declare a home building; shows whether staff have verified it.
#[component]
pub fn HomeSection() -> impl IntoView {
    let i18n = use_i18n();
    let set_home = ServerAction::<SetHome>::new();
    let home = Resource::new(move || set_home.version().get(), |_| my_home());
    let buildings = Resource::new(|| (), |_| list_buildings());
    view! {
        <h2>{t!(i18n, my_home)}</h2>
        <Transition>
            {when_loaded(home, move |r| r.ok().map(|h| match h.label {
                Some(label) => view! {
                    <p data-testid="home">
                        {label} " · "
                        {if h.verified { t!(i18n, home_verified).into_any() } else { t!(i18n, home_unverified).into_any() }}
                    </p>
                }.into_any(),
                None => view! { <p data-testid="home">{t!(i18n, home_none)}</p> }.into_any(),
            }))}
        </Transition>
        <FormError value=set_home.value() />
        <ActionForm action=set_home attr:class="stack">
            <label for="home-building">{t!(i18n, home_building)}</label>
            <select id="home-building" name="building_id" required>
                <Suspense>
                    {when_loaded(buildings, move |r| r.ok().map(|list| list.into_iter().map(|b| view! {
                        <option value=b.building_id>{format!("{} · {} · {}", b.community, b.grid, b.building)}</option>
                    }).collect_view()))}
                </Suspense>
            </select>
            <button type="submit">{t!(i18n, save_home)}</button>
        </ActionForm>
    }
}

/// Export and deletion of the resident's own data.
#[component]
pub fn MyDataSection() -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteAccount>::new();
    view! {
        <h2>{t!(i18n, my_data)}</h2>
        <p><a class="button" href="/account/export" download="linli-my-data.json">{t!(i18n, export_data)}</a></p>
        <h3>{t!(i18n, delete_account)}</h3>
        <p>{t!(i18n, delete_account_hint)}</p>
        <FormError value=delete.value() />
        <ActionForm action=delete attr:class="stack">
            <label for="delete-password">{t!(i18n, current_password)}</label>
            <input id="delete-password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit" data-testid="delete-account">{t!(i18n, delete_account)}</button>
        </ActionForm>
    }
}

/// /staff/residents: residents of my community or grid waiting for verification.
#[component]
pub fn VerifyResidentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<VerifyResident>::new();
    let pending = Resource::new(move || verify.version().get(), |_| pending_residents());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), verify_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, verify_title)}</h1>
            <FormError value=verify.value() />
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {when_loaded(pending, move |r| match r {
                    Err(error) => view! { <crate::components::auth::ErrorNotice error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, verify_none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="pending" data-testid="pending">
                            {list.into_iter().map(|p| view! {
                                <li class="card-row">
                                    <span><strong>{p.display_name}</strong> " · " {p.phone} " · " {p.home}</span>
                                    <ActionForm action=verify attr:class="inline-form">
                                        <input type="hidden" name="account_id" value=p.account_id />
                                        <button type="submit" class="primary">{t!(i18n, verify)}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

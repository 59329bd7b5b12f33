//! /admin/roles: find an account by phone, see its roles, grant and revoke.
use crate::components::loaded::when_loaded;
use super::*;
use crate::components::auth::FormError;
use crate::i18n::*;
use crate::accounts::Role;
use crate::components::auth::RequireRole;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminRolesPage() -> impl IntoView {
    let i18n = use_i18n();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let phone = move || use_query_map().get().get("phone").unwrap_or_default();
    let account = Resource::new(
        move || (phone(), grant.version().get(), revoke.version().get()),
        |(phone, _, _)| async move {
            if phone.is_empty() { None } else { Some(find_account_roles(phone).await) }
        },
    );
    let scopes = Resource::new(|| (), |_| scope_options());
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), admin_roles_title).to_string() />
        <section class="page">
            <h1>{t!(i18n, admin_roles_title)}</h1>
            <RequireRole roles=&[Role::Admin]>
            // A plain GET form: the phone goes into the URL, so it works without JavaScript.
            <form method="get" action="/admin/roles" class="stack">
                <label for="roles-phone">{t!(i18n, phone)}</label>
                <input id="roles-phone" name="phone" type="tel" inputmode="numeric" value=phone required />
                <button type="submit">{t!(i18n, find_account)}</button>
            </form>
            <FormError value=grant.value() />
            <FormError value=revoke.value() />
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || account.get().flatten().map(|found| match found {
                    Err(error) => view! { <crate::components::auth::ErrorNotice error /> }.into_any(),
                    Ok(acc) => view! {
                        <h2 data-testid="roles-account">{acc.display_name.clone()} " · " {acc.phone.clone()}</h2>
                        <ul class="grant-list" data-testid="grants">
                            {acc.grants.into_iter().map(|g| view! {
                                <li>
                                    <span class="tag">{move || g.role.label(i18n.get_locale())}</span>
                                    " " {g.scope.map(|s| { let (k, id) = s.to_db(); format!("{k} #{id}") })}
                                    <ActionForm action=revoke attr:class="inline-form">
                                        <input type="hidden" name="grant_id" value=g.id />
                                        <button type="submit">{t!(i18n, revoke)}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>{t!(i18n, grant_role)}</h2>
                        <ActionForm action=grant attr:class="stack">
                            <input type="hidden" name="account_id" value=acc.id />
                            <label for="grant-role">{t!(i18n, role)}</label>
                            <select id="grant-role" name="role">
                                {crate::accounts::Role::ALL.into_iter().map(|r| view! {
                                    <option value=r.code()>{move || r.label(i18n.get_locale())}</option>
                                }).collect_view()}
                            </select>
                            <label for="grant-scope">{t!(i18n, scope)}</label>
                            <select id="grant-scope" name="scope" aria-describedby="grant-scope-hint">
                                <option value="">{t!(i18n, scope_none)}</option>
                                <Suspense>
                                    {when_loaded(scopes, move |r| r.ok().map(|opts| opts.into_iter().map(|(v, l)| view! {
                                        <option value=v>{l}</option>
                                    }).collect_view()))}
                                </Suspense>
                            </select>
                            <small id="grant-scope-hint">{t!(i18n, scope_hint)}</small>
                            <button type="submit" class="primary">{t!(i18n, grant_role)}</button>
                        </ActionForm>
                    }.into_any(),
                })}
            </Transition>
            </RequireRole>
        </section>
    }
}

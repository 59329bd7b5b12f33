//! The account page: who I am, my roles, change my password.
use crate::components::loaded::when_loaded;
use crate::accounts::{ChangePassword, CurrentUser, Role};
use crate::residents::page::{HomeSection, MyDataSection};
use crate::components::auth::{Auth, FormError};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::get();
    let change_password = ServerAction::<ChangePassword>::new();
    let changed = move || {
        matches!(change_password.value().get(), Some(Ok(())))
            || use_query_map().get().get("password_changed").is_some()
    };
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), account_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, account_title)}</h1>
            <Transition>
                {when_loaded(auth.user, move |user| match user {
                    Ok(Some(user)) => view! {
                        <p data-testid="account-name">{t!(i18n, logged_in_as)} <strong>{user.display_name.clone()}</strong> " · " {user.phone.clone()}</p>
                        <h2>{t!(i18n, roles)}</h2>
                        <ul class="roles" data-testid="roles">
                            {user.roles.iter().map(|g| {
                                let role = g.role;
                                view! { <li class="tag">{move || role.label(i18n.get_locale())}</li> }
                            }).collect_view()}
                        </ul>
                        <RoleMenu user=user.clone() />
                        <HomeSection />
                    }.into_any(),
                    _ => view! {
                        <p class="notice">{t!(i18n, err_unauthenticated)} " " <a href="/login?next=/account">{t!(i18n, login)}</a></p>
                    }.into_any(),
                })}
            </Transition>
            <h2>{t!(i18n, change_password)}</h2>
            <FormError value=change_password.value() />
            <Show when=changed>
                <p class="notice" role="status">{t!(i18n, password_changed)}</p>
            </Show>
            <ActionForm action=change_password attr:class="stack">
                <label for="cp-current">{t!(i18n, current_password)}</label>
                <input id="cp-current" name="current_password" type="password" autocomplete="current-password" required />
                <label for="cp-new">{t!(i18n, new_password)}</label>
                <input id="cp-new" name="new_password" type="password" autocomplete="new-password" minlength="8" required />
                <label for="cp-confirm">{t!(i18n, password_confirm)}</label>
                <input id="cp-confirm" name="password_confirm" type="password" autocomplete="new-password" required />
                <button type="submit">{t!(i18n, submit_change_password)}</button>
            </ActionForm>
            // Export and deletion last: the least frequent, and deletion cannot be undone.
            <Transition>
                {move || matches!(auth.user.get(), Some(Ok(Some(_)))).then(|| view! { <MyDataSection /> })}
            </Transition>
        </section>
    }
}

/// The work each role can reach from here.
#[component]
fn RoleMenu(user: CurrentUser) -> impl IntoView {
    let i18n = use_i18n();
    let verifies = user.has_role(Role::CommunityStaff) || user.has_role(Role::GridWorker);
    let admin = user.has_role(Role::Admin);
    // Those who handle appeals: staff, grid workers, streets, departments.
    let handles = verifies || user.has_role(Role::StreetOfficer) || user.has_role(Role::DeptHandler);
    (handles || admin).then(|| view! {
        <h2>{t!(i18n, my_tools)}</h2>
        <ul class="tool-links" data-testid="role-menu">
            {handles.then(|| view! { <li><a class="button" href="/appeals/queue">{t!(i18n, appeal_queue)}</a></li> })}
            {verifies.then(|| view! { <li><a class="button" href="/staff/residents">{t!(i18n, verify_title)}</a></li> })}
            {admin.then(|| view! {
                <li><a class="button" href="/admin/roles">{t!(i18n, admin_roles_title)}</a></li>
                <li><a class="button" href="/admin/places">{t!(i18n, places_title)}</a></li>
                <li><a class="button" href="/admin/audit">{t!(i18n, audit_title)}</a></li>
                <li><a class="button" href="/admin/appeals">{t!(i18n, appeal_admin)}</a></li>
            })}
        </ul>
    })
}

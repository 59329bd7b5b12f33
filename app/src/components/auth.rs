//! The logged-in user, shared through context, and the header's user menu.
use crate::components::loaded::when_loaded;
use crate::accounts::{CurrentUser, Logout};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The current user, fetched again whenever an action that changes who it is has run (with
/// JavaScript; without it, the form post's redirect reloads the page anyway).
///
/// Pages create their own actions (login, register…): only inside `<Routes>` do actions see
/// the error a failed plain form post carries back in the URL.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub logout: ServerAction<Logout>,
    changed: RwSignal<usize>,
}

impl Auth {
    pub fn provide() -> Auth {
        let logout = ServerAction::<Logout>::new();
        let changed = RwSignal::new(0);
        let user = Resource::new(
            move || (changed.get(), logout.version().get()),
            |_| crate::accounts::get_current_user(),
        );
        let auth = Auth { user, logout, changed };
        provide_context(auth);
        auth
    }

    /// Refetches the user after each run of an action (pass its `version()`).
    pub fn refresh_after(&self, version: RwSignal<usize>) {
        let changed = self.changed;
        Effect::new(move |_| {
            if version.get() > 0 {
                changed.update(|n| *n += 1);
            }
        });
    }

    pub fn get() -> Auth {
        expect_context::<Auth>()
    }
}

/// The error of an action's last run, in the user's language, announced to screen readers.
#[component]
pub fn FormError<T: Clone + Send + Sync + 'static>(
    /// An action's `value()`.
    value: MappedSignal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    // Not `ErrorNotice`: an action's error says nothing about the page it is shown on (a
    // form sent without JavaScript comes back to its page with the error in the URL).
    move || value.get().and_then(Result::err).map(error_text)
}

/// What a page failed to load, in the user's language, announced to screen readers. A page
/// whose object does not exist (a proposal, an appeal, an organisation…) answers with HTTP
/// status 404, as the page of an unknown path does, so crawlers and link checkers see it.
/// Someone who followed an old link to it is told it is gone (not the actions' "could not be
/// found") and offered the way home, as on the 404 page.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    use crate::pages::not_found::{respond_not_found, BackHome};
    if !matches!(error, AppError::NotFound) {
        return error_text(error).into_any();
    }
    respond_not_found();
    let i18n = use_i18n();
    view! {
        <p class="notice error" role="alert">{t!(i18n, err_page_object_gone)}</p>
        <BackHome />
    }
    .into_any()
}

fn error_text(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice error" role="alert">{move || crate::error::message(i18n.get_locale(), &error)}</p> }
}

#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::get();
    view! {
        <Transition>
            {when_loaded(auth.user, move |user| match user {
                Ok(Some(user)) => view! {
                    <div class="user-menu">
                        <crate::notifications::page::Bell />
                        <a class="button" href="/account" data-testid="user-menu">{user.display_name}</a>
                        <ActionForm action=auth.logout attr:class="pref-form">
                            <button type="submit" data-testid="logout">{t!(i18n, logout)}</button>
                        </ActionForm>
                    </div>
                }.into_any(),
                _ => view! {
                    <div class="user-menu">
                        <a class="button" href="/login">{t!(i18n, login)}</a>
                        <a class="button primary" href="/register">{t!(i18n, register)}</a>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}

/// Shows its children only to users holding one of `roles`; others get a notice. Pages only:
/// every server function checks the policy again.
#[component]
pub fn RequireRole(roles: &'static [crate::accounts::Role], children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::get();
    let children = StoredValue::new(children);
    view! {
        <Transition>
            {when_loaded(auth.user, move |user| match user {
                Ok(Some(u)) if roles.iter().any(|r| u.has_role(*r)) => children.read_value()().into_any(),
                Ok(Some(_)) => view! { <p class="notice error" role="alert">{t!(i18n, err_forbidden)}</p> }.into_any(),
                _ => view! {
                    <p class="notice" role="alert">{t!(i18n, err_unauthenticated)} " " <a href="/login">{t!(i18n, login)}</a></p>
                }.into_any(),
            })}
        </Transition>
    }
}

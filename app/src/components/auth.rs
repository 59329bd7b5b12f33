//! The logged-in user, shared through context, and the header's user menu.
use crate::accounts::{ChangePassword, CurrentUser, Login, Logout, Register};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The current user and the actions that change who it is. The user is fetched again after
/// any of them runs (with JavaScript; without it, the redirect reloads the page anyway).
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub register: ServerAction<Register>,
    pub change_password: ServerAction<ChangePassword>,
}

impl Auth {
    pub fn provide() -> Auth {
        let login = ServerAction::<Login>::new();
        let logout = ServerAction::<Logout>::new();
        let register = ServerAction::<Register>::new();
        let change_password = ServerAction::<ChangePassword>::new();
        let user = Resource::new(
            move || (login.version().get(), logout.version().get(), register.version().get()),
            |_| crate::accounts::get_current_user(),
        );
        let auth = Auth { user, login, logout, register, change_password };
        provide_context(auth);
        auth
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
    let i18n = use_i18n();
    move || {
        value.get().and_then(Result::err).map(|e| {
            view! { <p class="notice error" role="alert">{crate::error::message(i18n.get_locale(), &e)}</p> }
        })
    }
}

#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let auth = Auth::get();
    view! {
        <Transition>
            {move || auth.user.get().map(|user| match user {
                Ok(Some(user)) => view! {
                    <div class="user-menu">
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

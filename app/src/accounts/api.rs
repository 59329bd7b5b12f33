//! Server functions: register, log in, log out, change password, who am I.
//! Each is public API: it parses its input, asks the policy module, and changes nothing when
//! it refuses.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::Invalid,
    policy::{authorize, Action},
    request::{caller, client_address, set_cookie, state},
};

/// Only a local path may follow a login: `/x` but not `//evil.example` or `/\evil.example`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/account".to_string(),
    }
}

/// The logged-in user, or `None`.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::request::signed_in().await?.map(|s| CurrentUser {
        id: s.account.account_id,
        display_name: s.account.display_name,
        phone: s.account.phone,
        roles: s.account.grants,
    }))
}

/// Creates an account (a resident) and logs it in.
#[server(endpoint = "register")]
pub async fn register(
    phone: String,
    display_name: String,
    password: String,
    password_confirm: String,
    consent: Option<String>,
) -> Result<(), AppError> {
    let state = state()?;
    let phone = Phone::parse(&phone)?;
    let name = DisplayName::parse(&display_name)?;
    let password = NewPassword::parse(&password)?;
    if password.expose() != password_confirm {
        return Err(AppError::Invalid(Invalid::PasswordMismatch));
    }
    if consent.as_deref() != Some("on") {
        return Err(AppError::Invalid(Invalid::ConsentMissing));
    }
    // Counted before the (slow) hash: a burst of sign-ups from one address stops here.
    let address = crate::request::client_address().await;
    crate::ratelimit::hit(&state, &[(format!("register:addr:{address}"), state.limits.register_per_address)]).await?;
    let hash = password::hash(password.expose().to_string()).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let Some(account_id) = store::insert(&mut tx, &phone, &name, &hash, now).await? else {
        return Err(AppError::PhoneTaken);
    };
    let token = session::create(&mut tx, account_id, now).await?;
    tx.commit().await?;
    set_cookie(&session::set_cookie(state.secure_cookies, Some(&token)));
    leptos_axum::redirect("/account");
    Ok(())
}

/// Logs in with phone and password. Throttled per account and per address.
#[server(endpoint = "login")]
pub async fn login(phone: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let state = state()?;
    let phone = Phone::parse(&phone).map_err(|_| AppError::BadCredentials)?;
    let keys = throttle::Keys::new(phone.as_str(), &client_address().await);
    throttle::reserve(&state, &keys).await?;

    let found = store::credentials(state.db.read(), &phone).await?;
    let (id, hash) = found.map_or((None, None), |c| (Some(c.id), c.password_hash));
    let ok = password::verify(password, hash).await?;
    let Some(account_id) = id.filter(|_| ok) else {
        return Err(AppError::BadCredentials);
    };
    throttle::succeeded(&state, &keys).await?;

    // Always a fresh session id at login.
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let token = session::create(&mut tx, account_id, now).await?;
    tx.commit().await?;
    set_cookie(&session::set_cookie(state.secure_cookies, Some(&token)));
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Logs out everywhere: ends every session of the account.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let mut tx = state.db.begin_write().await?;
    session::end_all(&mut tx, caller.account_id).await?;
    tx.commit().await?;
    set_cookie(&session::set_cookie(state.secure_cookies, None));
    leptos_axum::redirect("/");
    Ok(())
}

/// Changes the password after checking the current one; ends the account's other sessions.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let new = NewPassword::parse(&new_password)?;
    if new.expose() != password_confirm {
        return Err(AppError::Invalid(Invalid::PasswordMismatch));
    }
    // Guessing the current password from a stolen session is throttled like a login.
    let keys = throttle::Keys::new(&format!("id{}", caller.account_id), &client_address().await);
    throttle::reserve(&state, &keys).await?;
    let hash = store::password_hash(state.db.read(), caller.account_id).await?;
    if !password::verify(current_password, hash).await? {
        return Err(AppError::BadCredentials);
    }
    throttle::succeeded(&state, &keys).await?;
    let new_hash = password::hash(new.expose().to_string()).await?;
    let mut tx = state.db.begin_write().await?;
    store::set_password_hash(&mut tx, caller.account_id, &new_hash).await?;
    session::end_others(&mut tx, caller.account_id, &caller.session_token).await?;
    tx.commit().await?;
    // Without JavaScript the page reloads: the query tells it to confirm the change.
    leptos_axum::redirect("/account?password_changed=1");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_accepts_only_local_paths() {
        assert_eq!(safe_next(Some("/hall?x=1")), "/hall?x=1");
        for bad in ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "hall", "/a\r\nb"] {
            assert_eq!(safe_next(Some(bad)), "/account", "{bad}");
        }
        assert_eq!(safe_next(None), "/account");
    }
}

//! Helpers for server functions: the app state, the caller and the response cookies.
use crate::accounts::session;
use crate::error::AppError;
use crate::policy::Caller;
use crate::state::AppState;
use leptos::prelude::*;

/// The app state. Without it, either the router is miswired (an internal error, logged) or
/// the page's render was abandoned: the browser went away mid-stream and the request's
/// reactive owner, with all its context, was disposed while a resource still ran. Nobody is
/// left to answer then, so that is only a debug line.
pub fn state() -> Result<AppState, AppError> {
    if let Some(state) = use_context::<AppState>() {
        return Ok(state);
    }
    if use_context::<http::request::Parts>().is_none() {
        tracing::debug!("render abandoned: the request's context is gone");
        return Err(AppError::Internal { request_id: "-".to_string() });
    }
    Err(AppError::internal("AppState missing from context"))
}

/// The session token sent with this request, if any.
fn session_token(secure: bool) -> Option<String> {
    crate::prefs::request_cookie(session::cookie_name(secure)).filter(|t| !t.is_empty() && t.len() <= 128)
}

/// Who is calling and their session's account, as `session::resolve` read it.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub caller: Caller,
    pub account: session::SessionAccount,
}

/// The caller of one request, found once: a page's several server functions (the header's
/// user and inbox, the page's own data) would otherwise each look the session up again.
/// Provided fresh for every request by the router (`provide_request_context`).
#[derive(Clone, Debug, Default)]
pub struct CallerOnce(std::sync::Arc<tokio::sync::OnceCell<Option<SignedIn>>>);

/// What every request's render or server-function call gets in its context.
pub fn provide_request_context(state: AppState) {
    provide_context(state);
    provide_context(CallerOnce::default());
}

/// Who is calling, with their session's account: `None` for anonymous requests or ended
/// sessions.
pub async fn signed_in() -> Result<Option<SignedIn>, AppError> {
    let state = state()?;
    match use_context::<CallerOnce>() {
        Some(once) => {
            once.0.get_or_try_init(|| signed_in_with(&state, session_token(state.secure_cookies))).await.cloned()
        }
        None => signed_in_with(&state, session_token(state.secure_cookies)).await,
    }
}

/// Who is calling: `None` for anonymous requests or ended sessions.
pub async fn caller() -> Result<Option<Caller>, AppError> {
    Ok(signed_in().await?.map(|s| s.caller))
}

/// The caller holding session `token` (for handlers outside server functions, which read the
/// cookie themselves).
pub async fn caller_with(state: &AppState, token: Option<String>) -> Result<Option<Caller>, AppError> {
    Ok(signed_in_with(state, token).await?.map(|s| s.caller))
}

async fn signed_in_with(state: &AppState, token: Option<String>) -> Result<Option<SignedIn>, AppError> {
    let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= 128) else { return Ok(None) };
    let Some(account) = session::resolve(state, &token).await? else { return Ok(None) };
    let caller = Caller {
        account_id: account.account_id,
        grants: account.grants.clone(),
        verified_community: account.verified_community,
        session_token: token,
    };
    Ok(Some(SignedIn { caller, account }))
}

/// The caller, if `action` is allowed to them (see `policy::authorize`).
pub async fn authorized(action: crate::policy::Action) -> Result<Caller, AppError> {
    let caller = caller().await?;
    crate::policy::authorize(caller.as_ref(), action).cloned()
}

/// The client's IP address as seen by this server.
pub async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    match leptos_axum::extract::<ConnectInfo<SocketAddr>>().await {
        Ok(ConnectInfo(addr)) => addr.ip().to_string(),
        Err(_) => "unknown".to_string(),
    }
}

pub fn set_cookie(value: &str) {
    use http::{header::SET_COOKIE, HeaderValue};
    if let (Some(resp), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(value)) {
        resp.append_header(SET_COOKIE, v);
    }
}

//! Rules as data: the urgency time limits, the departments, and the API keys of Open311
//! client apps.
//! Policy: reading the limits and departments is public; changing limits and issuing or
//! revoking keys is for admins (`ManageAppealRules`), and audited.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    policy::Action,
    request::{authorized, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The time limit of each urgency, in order.
#[server(endpoint = "urgency_rules")]
pub async fn urgency_rules() -> Result<Vec<UrgencyRule>, AppError> {
    let app = state()?;
    sqlx::query("SELECT code, limit_minutes FROM urgency_rule ORDER BY position")
        .fetch_all(app.db.read())
        .await?
        .iter()
        .map(|r| {
            let code: String = r.try_get("code")?;
            Ok(UrgencyRule {
                urgency: Urgency::parse(&code).map_err(|_| AppError::internal("urgency rule code"))?,
                limit_minutes: r.try_get("limit_minutes")?,
            })
        })
        .collect()
}

/// Changes an urgency's time limit (10 minutes to a year). Running deadlines keep the limit
/// they were set with.
#[server(endpoint = "set_urgency_limit")]
pub async fn set_urgency_limit(urgency: String, hours: i64, minutes: i64) -> Result<(), AppError> {
    let app = state()?;
    let caller = authorized(Action::ManageAppealRules).await?;
    let urgency = Urgency::parse(&urgency)?;
    let total = hours.checked_mul(60).and_then(|h| h.checked_add(minutes)).filter(|_| (0..60).contains(&minutes));
    let limit = parse_limit_minutes(total.unwrap_or(-1))?;
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    let before: i64 = sqlx::query("SELECT limit_minutes FROM urgency_rule WHERE code = $1")
        .bind(urgency.code())
        .fetch_one(&mut *tx)
        .await?
        .try_get("limit_minutes")?;
    sqlx::query("UPDATE urgency_rule SET limit_minutes = $1, updated_by = $2, updated_at = $3 WHERE code = $4")
        .bind(limit)
        .bind(caller.account_id)
        .bind(now)
        .bind(urgency.code())
        .execute(&mut *tx)
        .await?;
    crate::audit::record(
        &mut tx,
        caller.account_id,
        "set_urgency_limit",
        ("urgency_rule", 0),
        Some(serde_json::json!({ "urgency": urgency.code(), "limit_minutes": before })),
        Some(serde_json::json!({ "urgency": urgency.code(), "limit_minutes": limit })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The departments appeals are dispatched to.
#[server(endpoint = "list_departments")]
pub async fn list_departments() -> Result<Vec<Department>, AppError> {
    let app = state()?;
    Ok(store::departments(&app.db).await?)
}

/// The Open311 client keys (never the keys themselves: only their hashes are stored).
#[server(endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeyInfo>, AppError> {
    let app = state()?;
    authorized(Action::ManageAppealRules).await?;
    sqlx::query("SELECT id, name, created_at, revoked_at, last_used_at FROM api_key ORDER BY id DESC")
        .fetch_all(app.db.read())
        .await?
        .iter()
        .map(|r| {
            Ok(ApiKeyInfo {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                revoked_at: r.try_get("revoked_at")?,
                last_used_at: r.try_get("last_used_at")?,
            })
        })
        .collect()
}

/// The cookie that carries a new key to the page once (see `issue_api_key`).
pub const NEW_KEY_COOKIE: &str = "linli_new_api_key";

/// Issues a key for a client app. The key is shown once: it is returned to a script, and
/// for a plain form post it rides in a short-lived cookie scoped to the admin page, which the
/// page shows and clears, so it never appears in a URL or a log.
#[server(endpoint = "issue_api_key")]
pub async fn issue_api_key(name: String) -> Result<String, AppError> {
    let app = state()?;
    let caller = authorized(Action::ManageAppealRules).await?;
    let name = crate::hall::parse_line(&name)?;
    let key = crate::accounts::session::random_token();
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    let id: i64 = sqlx::query("INSERT INTO api_key (name, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(&name)
        .bind(crate::accounts::session::digest(&key))
        .bind(caller.account_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
    crate::audit::record(&mut tx, caller.account_id, "issue_api_key", ("api_key", id), None, Some(serde_json::json!({ "name": name })), now)
        .await?;
    tx.commit().await?;
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    crate::request::set_cookie(&format!("{NEW_KEY_COOKIE}={key}; Path=/admin/appeals; Max-Age=120; HttpOnly; SameSite=Strict{secure}"));
    Ok(key)
}

/// Revokes a key: the client app can no longer file.
#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    let app = state()?;
    let caller = authorized(Action::ManageAppealRules).await?;
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    let n = sqlx::query("UPDATE api_key SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(AppError::NotFound);
    }
    crate::audit::record(&mut tx, caller.account_id, "revoke_api_key", ("api_key", id), None, None, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The key a client app presents, if it is valid and not revoked; notes its use.
#[cfg(feature = "ssr")]
pub async fn check_api_key(app: &crate::state::AppState, key: &str) -> Result<Option<i64>, AppError> {
    if key.is_empty() || key.len() > 128 {
        return Ok(None);
    }
    let id = sqlx::query("SELECT id FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL")
        .bind(crate::accounts::session::digest(key))
        .fetch_optional(app.db.read())
        .await?
        .map(|r| r.try_get::<i64, _>("id"))
        .transpose()?;
    Ok(id)
}

/// Notes when a key was last used (shown to admins).
#[cfg(feature = "ssr")]
pub async fn note_key_use(app: &crate::state::AppState, id: i64) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin_write().await?;
    sqlx::query("UPDATE api_key SET last_used_at = $1 WHERE id = $2").bind(app.clock.now_ms()).bind(id).execute(&mut *tx).await?;
    tx.commit().await
}

/// The key just issued, once: read from the short-lived cookie `issue_api_key` set, which
/// this clears. For admins only.
#[server(endpoint = "take_new_api_key")]
pub async fn take_new_api_key() -> Result<Option<String>, AppError> {
    authorized(Action::ManageAppealRules).await?;
    let key = crate::prefs::request_cookie(NEW_KEY_COOKIE).filter(|k| !k.is_empty() && k.len() <= 128);
    if key.is_some() {
        crate::request::set_cookie(&format!("{NEW_KEY_COOKIE}=; Path=/admin/appeals; Max-Age=0; HttpOnly; SameSite=Strict"));
    }
    Ok(key)
}

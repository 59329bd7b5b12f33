//! Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in the database.
//!
//! A session ends after `IDLE_TIMEOUT` without requests or `ABSOLUTE_TIMEOUT` after login,
//! whichever comes first. Login always issues a new token (no fixation); logout and a
//! password change delete every session of the account.
use crate::state::AppState;
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const IDLE_TIMEOUT_MS: i64 = 2 * 3600 * 1000;
pub const ABSOLUTE_TIMEOUT_MS: i64 = 7 * 24 * 3600 * 1000;
/// `last_seen_at` is refreshed at most this often, to keep reads from writing on every page.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// 32 random bytes, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a token, hex-encoded: what is stored instead of it.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The session cookie's name: with `__Host-` when served over https, which browsers only
/// accept with Secure, Path=/ and no Domain, so no subdomain can set or overwrite it.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-linli_session" } else { "linli_session" }
}

/// The Set-Cookie value for a new session (or, with `None`, one that removes it).
pub fn set_cookie(secure: bool, token: Option<&str>) -> String {
    let name = cookie_name(secure);
    let secure_attr = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{name}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure_attr}",
            ABSOLUTE_TIMEOUT_MS / 1000
        ),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure_attr}"),
    }
}

/// Creates a session for `account_id` inside the caller's transaction; returns the token.
pub async fn create(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    account_id: i64,
    now: i64,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO session (token_hash, account_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(digest(&token))
    .bind(account_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// The account a session token belongs to, if the session is still alive.
pub async fn resolve(state: &AppState, token: &str) -> Result<Option<i64>, sqlx::Error> {
    let now = state.clock.now_ms();
    let hash = digest(token);
    let row = sqlx::query(
        "SELECT s.account_id, s.created_at, s.last_seen_at FROM session s
           JOIN account a ON a.id = s.account_id AND a.deleted_at IS NULL
          WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(state.db.read())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let (account_id, created, seen): (i64, i64, i64) =
        (row.try_get("account_id")?, row.try_get("created_at")?, row.try_get("last_seen_at")?);
    if now - seen > IDLE_TIMEOUT_MS || now - created > ABSOLUTE_TIMEOUT_MS {
        let mut tx = state.db.begin_write().await?;
        sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(&hash).execute(&mut *tx).await?;
        tx.commit().await?;
        return Ok(None);
    }
    if now - seen > TOUCH_EVERY_MS {
        let mut tx = state.db.begin_write().await?;
        sqlx::query("UPDATE session SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(account_id))
}

/// Ends every session of an account.
pub async fn end_all(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    account_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM session WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

/// Ends every session of an account except the one with `keep_token`.
pub async fn end_others(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    account_id: i64,
    keep_token: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM session WHERE account_id = $1 AND token_hash <> $2")
        .bind(account_id)
        .bind(digest(keep_token))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

//! Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in the database.
//!
//! A session ends after `IDLE_TIMEOUT` without requests or `ABSOLUTE_TIMEOUT` after login,
//! whichever comes first. Login always issues a new token (no fixation); logout and a
//! password change delete every session of the account.
use super::RoleGrant;
use crate::db::Db;
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
    hex(&bytes)
}

/// The SHA-256 of a token, hex-encoded: what is stored instead of it.
pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lower-case hex, in one allocation (a `format!` per byte was a string per byte, on every
/// logged-in request).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
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

/// The account behind a live session: all a request needs to know of its caller (who they
/// are, what they may do, the header's name and inbox bell), read in one query. It runs on
/// every logged-in request; as separate queries (the session, the grants, the verified home,
/// the name, the unread count) it was six round trips before the page's own.
#[derive(Clone, Debug)]
pub struct SessionAccount {
    pub account_id: i64,
    pub display_name: String,
    pub phone: String,
    pub verified_community: Option<i64>,
    pub grants: Vec<RoleGrant>,
    pub unread: i64,
}

/// The account a session token belongs to, if the session is still alive.
pub async fn resolve(state: &AppState, token: &str) -> Result<Option<SessionAccount>, sqlx::Error> {
    let now = state.clock.now_ms();
    let hash = digest(token);
    let grants = state.db.json_list(
        "r.id, r.role, r.scope_kind, r.scope_id",
        "SELECT id, role, scope_kind, scope_id FROM role_grant WHERE account_id = s.account_id",
    );
    let row = sqlx::query(&format!(
        "SELECT s.account_id, s.created_at, s.last_seen_at, a.display_name, a.phone,
                CASE WHEN a.verified_at IS NOT NULL THEN a.community_id END AS verified_community,
                -- through the partial index notification_unread
                (SELECT COUNT(*) FROM notification n WHERE n.account_id = s.account_id AND n.read_at IS NULL) AS unread,
                {grants} AS grants
           FROM session s
           JOIN account a ON a.id = s.account_id AND a.deleted_at IS NULL
          WHERE s.token_hash = $1"
    ))
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
    let mut grants: Vec<(i64, String, Option<String>, Option<i64>)> = Db::json_decode(&row.try_get::<String, _>("grants")?)?;
    // In the order they were granted, as `store::roles` lists them.
    grants.sort_by_key(|g| g.0);
    Ok(Some(SessionAccount {
        account_id,
        display_name: row.try_get("display_name")?,
        phone: row.try_get::<Option<String>, _>("phone")?.unwrap_or_default(),
        verified_community: row.try_get("verified_community")?,
        grants: grants
            .into_iter()
            .filter_map(|(_, role, kind, id)| RoleGrant::from_db(&role, kind.as_deref(), id))
            .collect(),
        unread: row.try_get("unread")?,
    }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_the_lower_case_hex_sha256_already_stored() {
        // FIPS 180-2's example: sessions stored before this encoding must still resolve.
        assert_eq!(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }
}

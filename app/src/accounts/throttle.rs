//! Brute-force protection for logins: failure counters per account and per client address.
//!
//! An attempt is *reserved* before the password is checked: in one write transaction each
//! counter is locked (the no-op upsert takes the row lock on PostgreSQL; SQLite has one writer),
//! refused if it is locked, and incremented. So parallel guesses cannot all slip through before
//! the first failure is recorded, and a correct password cannot bypass a running delay. A
//! success gives the attempt back.
use crate::error::AppError;
use crate::state::AppState;
use sqlx::Row;

/// Failures before an account is locked. Addresses get more room: many residents log in
/// from one community-centre computer or one mobile carrier gateway.
pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 20;
const BASE_DELAY_MS: i64 = 30_000;
const MAX_DELAY_MS: i64 = 3600_000;

/// The lock after `failures` failures: 30 s at the limit, doubling with each further one.
pub fn delay_ms(failures: i64, limit: i64) -> i64 {
    if failures < limit {
        return 0;
    }
    let doublings = (failures - limit).min(20) as u32;
    (BASE_DELAY_MS << doublings).min(MAX_DELAY_MS)
}

pub struct Keys {
    pub account: String,
    pub address: String,
}

impl Keys {
    pub fn new(phone: &str, address: &str) -> Keys {
        Keys { account: format!("account:{phone}"), address: format!("addr:{address}") }
    }
    fn with_limits(&self) -> [(&str, i64); 2] {
        [(&self.account, ACCOUNT_LIMIT), (&self.address, ADDRESS_LIMIT)]
    }
}

/// Reserves one attempt, or refuses with the time left.
pub async fn reserve(state: &AppState, keys: &Keys) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let mut counts = Vec::with_capacity(2);
    for (key, limit) in keys.with_limits() {
        let row = sqlx::query(
            "INSERT INTO login_throttle (key, failures, locked_until) VALUES ($1, 0, 0)
             ON CONFLICT (key) DO UPDATE SET key = excluded.key
             RETURNING failures, locked_until",
        )
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
        let (failures, locked_until): (i64, i64) = (row.try_get("failures")?, row.try_get("locked_until")?);
        if locked_until > now {
            let retry_after_secs = (locked_until - now + 999) / 1000;
            return Err(AppError::Throttled { retry_after_secs });
        }
        counts.push((key, limit, failures + 1));
    }
    for (key, limit, failures) in counts {
        let locked_until = match delay_ms(failures, limit) {
            0 => 0,
            d => now + d,
        };
        sqlx::query("UPDATE login_throttle SET failures = $1, locked_until = $2 WHERE key = $3")
            .bind(failures)
            .bind(locked_until)
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// After a successful login: the account starts afresh; the address gets its attempt back.
pub async fn succeeded(state: &AppState, keys: &Keys) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(&keys.account).execute(&mut *tx).await?;
    sqlx::query(
        "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0 AND locked_until = 0",
    )
    .bind(&keys.address)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_and_is_capped() {
        assert_eq!(delay_ms(4, 5), 0);
        assert_eq!(delay_ms(5, 5), 30_000);
        assert_eq!(delay_ms(6, 5), 60_000);
        assert_eq!(delay_ms(7, 5), 120_000);
        assert_eq!(delay_ms(40, 5), MAX_DELAY_MS);
    }
}

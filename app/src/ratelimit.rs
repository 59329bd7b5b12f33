//! Rate limits on the writes abuse goes for: registering accounts, posting comments, filing
//! appeals and Open311 requests — per account (or API key) and per client address. Logins have
//! their own failure-based throttle (`accounts::throttle`).
//!
//! Counters are rows of `rate_limit` (one per key and fixed window), so every server instance
//! sees the same counts. A hit is counted in its own short write transaction before the action
//! runs, so refused attempts count too and a burst of parallel requests cannot slip past the
//! limit: each upsert returns the count it made.
use crate::error::AppError;
use crate::state::AppState;
use sqlx::Row;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// One limit: at most `max` hits per `window_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

/// The limits in force. Addresses get more room than accounts: many residents share one
/// community-centre computer or one mobile carrier's gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub register_per_address: Limit,
    pub comment_per_account: Limit,
    pub comment_per_address: Limit,
    pub appeal_per_account: Limit,
    pub appeal_per_address: Limit,
    pub open311_per_key: Limit,
    pub open311_per_address: Limit,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            register_per_address: Limit { max: 20, window_ms: HOUR },
            comment_per_account: Limit { max: 6, window_ms: MINUTE },
            comment_per_address: Limit { max: 60, window_ms: MINUTE },
            appeal_per_account: Limit { max: 10, window_ms: HOUR },
            appeal_per_address: Limit { max: 60, window_ms: HOUR },
            open311_per_key: Limit { max: 120, window_ms: MINUTE },
            open311_per_address: Limit { max: 60, window_ms: MINUTE },
        }
    }
}

impl Limits {
    /// Limits a thousand times wider, for tests that make many accounts and posts from one
    /// address on a clock that stands still (the rate-limit tests use the defaults).
    pub fn relaxed() -> Limits {
        let wide = |l: Limit| Limit { max: l.max * 1000, ..l };
        let d = Limits::default();
        Limits {
            register_per_address: wide(d.register_per_address),
            comment_per_account: wide(d.comment_per_account),
            comment_per_address: wide(d.comment_per_address),
            appeal_per_account: wide(d.appeal_per_account),
            appeal_per_address: wide(d.appeal_per_address),
            open311_per_key: wide(d.open311_per_key),
            open311_per_address: wide(d.open311_per_address),
        }
    }
}

/// Counts one hit against each `(key, limit)`; refuses with the seconds until the fullest
/// window ends when any is over its limit.
pub async fn hit(state: &AppState, keys: &[(String, Limit)]) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let mut retry_after_ms = 0;
    for (key, limit) in keys {
        let window = now - now.rem_euclid(limit.window_ms);
        let hits: i64 = sqlx::query(
            "INSERT INTO rate_limit (key, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (key) DO UPDATE SET
                 hits = CASE WHEN rate_limit.window_start = excluded.window_start THEN rate_limit.hits + 1 ELSE 1 END,
                 window_start = excluded.window_start
             RETURNING hits",
        )
        .bind(key)
        .bind(window)
        .fetch_one(&mut *tx)
        .await?
        .try_get("hits")?;
        if hits > limit.max {
            retry_after_ms = retry_after_ms.max(window + limit.window_ms - now);
        }
    }
    tx.commit().await?;
    if retry_after_ms > 0 {
        tracing::warn!(keys = ?keys.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), "rate limit reached");
        return Err(AppError::Throttled { retry_after_secs: (retry_after_ms + 999) / 1000 });
    }
    Ok(())
}

/// Windows that ended more than a day ago (the sweep removes them).
pub async fn forget_old(state: &AppState) -> Result<u64, sqlx::Error> {
    let mut tx = state.db.begin_write().await?;
    let n = sqlx::query("DELETE FROM rate_limit WHERE window_start < $1")
        .bind(state.clock.now_ms() - 24 * HOUR)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(n)
}

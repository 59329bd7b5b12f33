//! Server functions of the inbox. Policy: `OwnAccount` — each user reaches only their own.
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

/// Writes a notification inside the transaction of the change it reports.
#[cfg(feature = "ssr")]
pub async fn notify(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    account_id: i64,
    event: &Event,
    link: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let params = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO notification (account_id, kind, params_json, link, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account_id)
    .bind(event.kind())
    .bind(params)
    .bind(link)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The number of unread notifications (the bell); 0 when logged out.
#[server(endpoint = "unread_count")]
pub async fn unread_count() -> Result<i64, AppError> {
    // Counted with the session's lookup (`session::resolve`).
    Ok(crate::request::signed_in().await?.map_or(0, |s| s.account.unread))
}

/// The caller's latest 100 notifications, newest first.
#[server(endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let rows = sqlx::query(
        "SELECT id, params_json, link, created_at, read_at FROM notification
          WHERE account_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(caller.account_id)
    .fetch_all(state.db.read())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let params: String = r.try_get("params_json")?;
        // A kind this version does not know (written by a newer one) is skipped, not an error.
        let Ok(event) = serde_json::from_str::<Event>(&params) else { continue };
        out.push(Notification {
            id: r.try_get("id")?,
            event,
            link: r.try_get("link")?,
            created_at: r.try_get("created_at")?,
            read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
        });
    }
    Ok(out)
}

/// Marks one of the caller's notifications read (`id`), or all of them (no `id`).
#[server(endpoint = "mark_read")]
pub async fn mark_read(id: Option<i64>) -> Result<(), AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    // `account_id = $2` in both: nobody marks another user's notifications.
    let query = match id {
        Some(_) => "UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND id = $3",
        None => "UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL",
    };
    let mut q = sqlx::query(query).bind(now).bind(caller.account_id);
    if let Some(id) = id {
        q = q.bind(id);
    }
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

//! Browsing the audit log. Policy: `ReadAuditLog` (admins).
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{policy::Action, request::{authorized, state}};
#[cfg(feature = "ssr")]
use sqlx::Row;

pub const PAGE_SIZE: i64 = 50;

/// Newest first, 50 at a time: `before` is the smallest id of the previous page (keyset
/// pagination, as fast on page 1000 as on page 1); `action` filters.
#[server(endpoint = "list_audit")]
pub async fn list_audit(action: Option<String>, before: Option<i64>) -> Result<Vec<AuditEntry>, AppError> {
    authorized(Action::ReadAuditLog).await?;
    let state = state()?;
    let action = action.filter(|a| ACTIONS.contains(&a.as_str()));
    let rows = sqlx::query(
        "SELECT l.id, COALESCE(a.display_name, '') AS actor, l.action,
                l.object_kind || ' #' || COALESCE(CAST(l.object_id AS TEXT), '') AS object,
                l.before_json, l.after_json, l.at
           FROM audit_log l LEFT JOIN account a ON a.id = l.actor_id
          WHERE ($1 IS NULL OR l.action = $1) AND l.id < $2
          ORDER BY l.id DESC LIMIT $3",
    )
    .bind(action)
    .bind(before.unwrap_or(i64::MAX))
    .bind(PAGE_SIZE)
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.try_get("id")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                object: r.try_get("object")?,
                before: r.try_get("before_json")?,
                after: r.try_get("after_json")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

//! The audit log: every staff or admin action, with actor, object, before and after.
use serde_json::Value;

/// Records an action inside the transaction that performs it, so the log and the change
/// commit or roll back together.
pub async fn record(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor_id: i64,
    action: &str,
    object: (&str, i64),
    before: Option<Value>,
    after: Option<Value>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, object_kind, object_id, before_json, after_json, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(actor_id)
    .bind(action)
    .bind(object.0)
    .bind(object.1)
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

//! Queries over accounts and their roles.
use super::{DisplayName, Phone, Role, RoleGrant, Scope};
use sqlx::{any::AnyRow, Any, Executor, Row};

/// An account as needed to log in.
pub struct Credentials {
    pub id: i64,
    pub password_hash: Option<String>,
}

pub async fn credentials<'e>(
    db: impl Executor<'e, Database = Any>,
    phone: &Phone,
) -> Result<Option<Credentials>, sqlx::Error> {
    let row = sqlx::query("SELECT id, password_hash FROM account WHERE phone = $1 AND deleted_at IS NULL")
        .bind(phone.as_str())
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok(Credentials { id: r.try_get("id")?, password_hash: r.try_get("password_hash")? }))
        .transpose()
}

pub async fn password_hash<'e>(
    db: impl Executor<'e, Database = Any>,
    account_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT password_hash FROM account WHERE id = $1 AND deleted_at IS NULL")
        .bind(account_id)
        .fetch_optional(db)
        .await?;
    Ok(match row {
        Some(r) => r.try_get("password_hash")?,
        None => None,
    })
}

/// Inserts an account with the resident role; `None` when the phone is already registered.
pub async fn insert(
    tx: &mut sqlx::Transaction<'static, Any>,
    phone: &Phone,
    name: &DisplayName,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    // ON CONFLICT DO NOTHING: two registrations racing for one phone get one account and
    // one clear "already registered", never a constraint error.
    let row = sqlx::query(
        "INSERT INTO account (phone, display_name, password_hash, consented_at, created_at)
         VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (phone) DO NOTHING
         RETURNING id",
    )
    .bind(phone.as_str())
    .bind(name.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("id")?;
    grant(tx, id, RoleGrant { role: Role::Resident, scope: None }, None, now).await?;
    Ok(Some(id))
}

/// Grants a role (idempotent).
pub async fn grant(
    tx: &mut sqlx::Transaction<'static, Any>,
    account_id: i64,
    grant: RoleGrant,
    granted_by: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (kind, id) = grant.scope.map(Scope::to_db).map_or((None, None), |(k, i)| (Some(k), Some(i)));
    sqlx::query(
        "INSERT INTO role_grant (account_id, role, scope_kind, scope_id, granted_by, granted_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(grant.role.code())
    .bind(kind)
    .bind(id)
    .bind(granted_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_password_hash(
    tx: &mut sqlx::Transaction<'static, Any>,
    account_id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn roles<'e>(
    db: impl Executor<'e, Database = Any>,
    account_id: i64,
) -> Result<Vec<RoleGrant>, sqlx::Error> {
    let rows = sqlx::query("SELECT role, scope_kind, scope_id FROM role_grant WHERE account_id = $1 ORDER BY id")
        .bind(account_id)
        .fetch_all(db)
        .await?;
    rows.iter().map(role_grant).collect::<Result<Vec<_>, _>>().map(|v| v.into_iter().flatten().collect())
}

/// The community of the account's home once it is verified.
pub async fn verified_community<'e>(
    db: impl Executor<'e, Database = Any>,
    account_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query("SELECT community_id FROM account WHERE id = $1 AND verified_at IS NOT NULL")
        .bind(account_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| r.try_get::<Option<i64>, _>("community_id")).transpose().map(Option::flatten)
}

fn role_grant(row: &AnyRow) -> Result<Option<RoleGrant>, sqlx::Error> {
    let role: String = row.try_get("role")?;
    let kind: Option<String> = row.try_get("scope_kind")?;
    let id: Option<i64> = row.try_get("scope_id")?;
    Ok(RoleGrant::from_db(&role, kind.as_deref(), id))
}


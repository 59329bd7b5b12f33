//! Server functions over role grants. Policy: `Action::ManageRoles` (admins).
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{mask_phone, Phone, RoleGrant},
    error::Invalid,
    policy::Action,
    request::{authorized, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The account with this phone and its roles.
#[server(endpoint = "find_account_roles")]
pub async fn find_account_roles(phone: String) -> Result<AccountRoles, AppError> {
    authorized(Action::ManageRoles).await?;
    let state = state()?;
    let phone = Phone::parse(&phone)?;
    let row = sqlx::query("SELECT id, display_name, phone FROM account WHERE phone = $1 AND deleted_at IS NULL")
        .bind(phone.as_str())
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let id: i64 = row.try_get("id")?;
    let rows = sqlx::query("SELECT id, role, scope_kind, scope_id FROM role_grant WHERE account_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(state.db.read())
        .await?;
    let mut grants = Vec::new();
    for r in rows {
        let role: String = r.try_get("role")?;
        let kind: Option<String> = r.try_get("scope_kind")?;
        if let Some(role) = Role::from_code(&role) {
            grants.push(GrantRow {
                id: r.try_get("id")?,
                role,
                scope: Scope::from_db(kind.as_deref(), r.try_get("scope_id")?),
            });
        }
    }
    Ok(AccountRoles {
        id,
        display_name: row.try_get("display_name")?,
        phone: mask_phone(&row.try_get::<String, _>("phone")?),
        grants,
    })
}

/// Parses a role and its scope from the form: scoped roles need a place or organization
/// that exists; unscoped roles take none.
#[cfg(feature = "ssr")]
async fn parse_grant(db: &crate::db::Db, role: &str, scope: Option<&str>) -> Result<RoleGrant, AppError> {
    let role = Role::from_code(role).ok_or(AppError::Invalid(Invalid::Role))?;
    // The form sends the scope as "kind:id" (e.g. "community:3"); the kind must fit the role.
    let scope = scope.filter(|s| !s.is_empty());
    let (kind, scope_id) = match scope.map(|s| s.split_once(':')) {
        None => (None, None),
        Some(Some((k, id))) => (Some(k), Some(id.parse::<i64>().map_err(|_| AppError::Invalid(Invalid::Scope))?)),
        Some(None) => return Err(AppError::Invalid(Invalid::Scope)),
    };
    let table = match role {
        Role::CommunityStaff | Role::SocialWorker => Some("community"),
        Role::GridWorker => Some("grid"),
        Role::StreetOfficer => Some("street"),
        // Departments and organizations get their own tables with the appeals and
        // marketplace features; until then their ids are taken as given.
        Role::DeptHandler | Role::OrgAdmin => None,
        Role::Resident | Role::Volunteer | Role::Admin => {
            return if scope_id.is_none() { Ok(RoleGrant { role, scope: None }) } else { Err(AppError::Invalid(Invalid::Scope)) };
        }
    };
    let id = scope_id.filter(|&i| i > 0).ok_or(AppError::Invalid(Invalid::Scope))?;
    let expected_kind = match role {
        Role::CommunityStaff | Role::SocialWorker => "community",
        Role::GridWorker => "grid",
        Role::StreetOfficer => "street",
        Role::DeptHandler => "department",
        _ => "organization",
    };
    if kind != Some(expected_kind) {
        return Err(AppError::Invalid(Invalid::Scope));
    }
    if let Some(table) = table {
        let exists = sqlx::query(&format!("SELECT 1 AS x FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.read())
            .await?;
        if exists.is_none() {
            return Err(AppError::Invalid(Invalid::Scope));
        }
    }
    let scope = match role {
        Role::CommunityStaff | Role::SocialWorker => Scope::Community(id),
        Role::GridWorker => Scope::Grid(id),
        Role::StreetOfficer => Scope::Street(id),
        Role::DeptHandler => Scope::Department(id),
        _ => Scope::Organization(id),
    };
    Ok(RoleGrant { role, scope: Some(scope) })
}

/// Grants a role to an account (idempotent), recorded in the audit log.
#[server(endpoint = "grant_role")]
pub async fn grant_role(account_id: i64, role: String, scope: Option<String>) -> Result<(), AppError> {
    let admin = authorized(Action::ManageRoles).await?;
    let state = state()?;
    let grant = parse_grant(&state.db, &role, scope.as_deref()).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let exists = sqlx::query("SELECT 1 AS x FROM account WHERE id = $1 AND deleted_at IS NULL")
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    crate::accounts::store::grant(&mut tx, account_id, grant, Some(admin.account_id), now).await?;
    crate::audit::record(
        &mut tx,
        admin.account_id,
        "grant_role",
        ("account", account_id),
        None,
        Some(serde_json::json!({ "role": grant.role.code(), "scope": grant.scope.map(|s| s.to_db()) })),
        now,
    )
    .await?;
    let event = crate::notifications::Event::RoleGranted { role: grant.role };
    crate::notifications::notify(&mut tx, account_id, &event, Some("/account"), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes one grant, recorded in the audit log. Admins cannot revoke their own admin role
/// (so the district always keeps an admin who can fix mistakes).
#[server(endpoint = "revoke_role")]
pub async fn revoke_role(grant_id: i64) -> Result<(), AppError> {
    let admin = authorized(Action::ManageRoles).await?;
    let state = state()?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let row = sqlx::query("SELECT account_id, role, scope_kind, scope_id FROM role_grant WHERE id = $1")
        .bind(grant_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let account_id: i64 = row.try_get("account_id")?;
    let role: String = row.try_get("role")?;
    if account_id == admin.account_id && role == Role::Admin.code() {
        return Err(AppError::Forbidden);
    }
    let kind: Option<String> = row.try_get("scope_kind")?;
    let scope_id: Option<i64> = row.try_get("scope_id")?;
    sqlx::query("DELETE FROM role_grant WHERE id = $1").bind(grant_id).execute(&mut *tx).await?;
    crate::audit::record(
        &mut tx,
        admin.account_id,
        "revoke_role",
        ("account", account_id),
        Some(serde_json::json!({ "role": role, "scope": [kind, scope_id] })),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The places a role can be scoped to, as `("kind:id", label)` for the grant form.
#[server(endpoint = "scope_options")]
pub async fn scope_options() -> Result<Vec<(String, String)>, AppError> {
    authorized(Action::ManageRoles).await?;
    let state = state()?;
    let rows = sqlx::query(
        "SELECT 'street:' || CAST(s.id AS TEXT) AS value, s.name AS label, 1 AS k, s.id AS o FROM street s
         UNION ALL
         SELECT 'community:' || CAST(c.id AS TEXT), s.name || ' · ' || c.name, 2, c.id
           FROM community c JOIN street s ON s.id = c.street_id
         UNION ALL
         SELECT 'grid:' || CAST(g.id AS TEXT), c.name || ' · ' || g.name, 3, g.id
           FROM grid g JOIN community c ON c.id = g.community_id
         ORDER BY 3, 4",
    )
    .fetch_all(state.db.read())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("value")?, r.try_get("label")?))).collect()
}

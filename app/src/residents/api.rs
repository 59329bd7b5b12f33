//! Server functions for residents' homes, verification and their own data.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{password, session},
    error::Invalid,
    policy::Action,
    request::{authorized, set_cookie, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// Every building of the district, for the home picker.
#[server(endpoint = "list_buildings")]
pub async fn list_buildings() -> Result<Vec<BuildingOption>, AppError> {
    let state = state()?;
    let rows = sqlx::query(
        "SELECT b.id, c.name AS community, g.name AS grid, COALESCE(e.name || ' ', '') || b.name AS building
           FROM building b JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id
           LEFT JOIN estate e ON e.id = b.estate_id
          ORDER BY c.id, g.id, b.id",
    )
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(BuildingOption {
                building_id: r.try_get("id")?,
                community: r.try_get("community")?,
                grid: r.try_get("grid")?,
                building: r.try_get("building")?,
            })
        })
        .collect()
}

/// The caller's declared home.
#[server(endpoint = "my_home")]
pub async fn my_home() -> Result<Home, AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let row = sqlx::query(
        "SELECT a.building_id, a.verified_at, c.name || ' · ' || g.name || ' · ' || b.name AS label
           FROM account a
           LEFT JOIN building b ON b.id = a.building_id
           LEFT JOIN grid g ON g.id = a.grid_id
           LEFT JOIN community c ON c.id = a.community_id
          WHERE a.id = $1",
    )
    .bind(caller.account_id)
    .fetch_one(state.db.read())
    .await?;
    Ok(Home {
        building_id: row.try_get("building_id")?,
        label: row.try_get("label")?,
        verified: row.try_get::<Option<i64>, _>("verified_at")?.is_some(),
    })
}

/// Declares the caller's home building; its grid and community follow from it. A new home
/// needs verifying again.
#[server(endpoint = "set_home")]
pub async fn set_home(building_id: i64) -> Result<(), AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let place = sqlx::query(
        "SELECT b.grid_id, g.community_id FROM building b JOIN grid g ON g.id = b.grid_id WHERE b.id = $1",
    )
    .bind(building_id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or(AppError::Invalid(Invalid::Building))?;
    let (grid_id, community_id): (i64, i64) = (place.try_get("grid_id")?, place.try_get("community_id")?);
    let mut tx = state.db.begin_write().await?;
    // Unchanged home: keep the verification.
    sqlx::query(
        "UPDATE account SET community_id = $1, grid_id = $2, building_id = $3,
                verified_at = CASE WHEN building_id = $3 THEN verified_at ELSE NULL END,
                verified_by = CASE WHEN building_id = $3 THEN verified_by ELSE NULL END
          WHERE id = $4",
    )
    .bind(community_id)
    .bind(grid_id)
    .bind(building_id)
    .bind(caller.account_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Residents of the caller's communities and grids who declared a home and await verification.
#[server(endpoint = "pending_residents")]
pub async fn pending_residents() -> Result<Vec<PendingResident>, AppError> {
    let caller = crate::request::caller().await?;
    let (communities, grids) = crate::policy::verification_scopes(caller.as_ref())?;
    let state = state()?;
    // Ids come from the caller's own grants (integers), never from the request.
    let list = |ids: &[i64]| {
        if ids.is_empty() { "NULL".to_string() } else { ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",") }
    };
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.display_name, a.phone, c.name || ' · ' || g.name || ' · ' || b.name AS home
           FROM account a
           JOIN building b ON b.id = a.building_id
           JOIN grid g ON g.id = a.grid_id
           JOIN community c ON c.id = a.community_id
          WHERE a.deleted_at IS NULL AND a.verified_at IS NULL
            AND (a.community_id IN ({}) OR a.grid_id IN ({}))
          ORDER BY a.created_at",
        list(&communities),
        list(&grids)
    ))
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PendingResident {
                account_id: r.try_get("id")?,
                display_name: r.try_get("display_name")?,
                phone: r.try_get::<Option<String>, _>("phone")?.unwrap_or_default(),
                home: r.try_get("home")?,
            })
        })
        .collect()
}

/// Confirms a resident's declared home. Policy: `VerifyResident` for that home's community
/// (community staff) or grid (grid worker). Idempotent; audited.
#[server(endpoint = "verify_resident")]
pub async fn verify_resident(account_id: i64) -> Result<(), AppError> {
    let state = state()?;
    let row = sqlx::query(
        "SELECT community_id, grid_id, building_id, verified_at FROM account WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(account_id)
    .fetch_optional(state.db.read())
    .await?;
    let caller = crate::request::caller().await?;
    // Refuse unknown accounts and foreign ones alike, so ids of other communities' residents
    // cannot be probed.
    let (community_id, grid_id) = match &row {
        Some(r) => (r.try_get::<Option<i64>, _>("community_id")?, r.try_get::<Option<i64>, _>("grid_id")?),
        None => (None, None),
    };
    let Some(community_id) = community_id else {
        crate::policy::authorize(caller.as_ref(), Action::OwnAccount)?;
        return Err(AppError::NotFound);
    };
    let caller = crate::policy::authorize(caller.as_ref(), Action::VerifyResident { community_id, grid_id })?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE account SET verified_at = $1, verified_by = $2 WHERE id = $3 AND verified_at IS NULL AND community_id = $4",
    )
    .bind(now)
    .bind(caller.account_id)
    .bind(account_id)
    .bind(community_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 1 {
        crate::audit::record(
            &mut tx,
            caller.account_id,
            "verify_resident",
            ("account", account_id),
            None,
            Some(serde_json::json!({ "community_id": community_id, "grid_id": grid_id })),
            now,
        )
        .await?;
        let event = crate::notifications::Event::HomeVerified;
        crate::notifications::notify(&mut tx, account_id, &event, Some("/account"), now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes the caller's account after checking the password: personal data is erased,
/// sessions and roles end, and what they wrote stays, shown as by a deleted user.
#[server(endpoint = "delete_account")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let hash = crate::accounts::store::password_hash(state.db.read(), caller.account_id).await?;
    if !password::verify(password, hash).await? {
        return Err(AppError::BadCredentials);
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "UPDATE account SET phone = NULL, password_hash = NULL, display_name = '', deleted_at = $1,
                community_id = NULL, grid_id = NULL, building_id = NULL, verified_at = NULL, verified_by = NULL
          WHERE id = $2",
    )
    .bind(now)
    .bind(caller.account_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM role_grant WHERE account_id = $1").bind(caller.account_id).execute(&mut *tx).await?;
    crate::market::store::withdraw_all(&mut tx, caller.account_id, now).await?;
    session::end_all(&mut tx, caller.account_id).await?;
    tx.commit().await?;
    set_cookie(&session::set_cookie(state.secure_cookies, None));
    leptos_axum::redirect("/");
    Ok(())
}

/// Everything stored about an account, as the data export returns it.
#[cfg(feature = "ssr")]
pub async fn export(db: &crate::db::Db, account_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    use serde_json::json;
    let a = sqlx::query(
        "SELECT id, phone, display_name, consented_at, created_at, community_id, grid_id, building_id, verified_at
           FROM account WHERE id = $1",
    )
    .bind(account_id)
    .fetch_one(db.read())
    .await?;
    let roles = sqlx::query("SELECT role, scope_kind, scope_id, granted_at FROM role_grant WHERE account_id = $1")
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let sessions = sqlx::query("SELECT created_at, last_seen_at FROM session WHERE account_id = $1")
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    // What they did in the hall: their proposals, comments, supports and (their own) votes.
    let proposals = sqlx::query("SELECT id, community_id, title, body, state, created_at FROM proposal WHERE author_id = $1 ORDER BY id")
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let comments = sqlx::query("SELECT id, proposal_id, body, created_at FROM comment WHERE author_id = $1 ORDER BY id")
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let supports = sqlx::query("SELECT proposal_id, at FROM support WHERE account_id = $1 ORDER BY proposal_id")
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let votes = sqlx::query("SELECT proposal_id, choice, at FROM vote WHERE account_id = $1 ORDER BY proposal_id")
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    let actions = sqlx::query("SELECT action, object_kind, object_id, at FROM audit_log WHERE actor_id = $1 ORDER BY id")
        .bind(account_id)
        .fetch_all(db.read())
        .await?;
    Ok(json!({
        "account": {
            "id": a.try_get::<i64, _>("id")?,
            "phone": a.try_get::<Option<String>, _>("phone")?,
            "display_name": a.try_get::<String, _>("display_name")?,
            "consented_at_ms": a.try_get::<i64, _>("consented_at")?,
            "created_at_ms": a.try_get::<i64, _>("created_at")?,
            "community_id": a.try_get::<Option<i64>, _>("community_id")?,
            "grid_id": a.try_get::<Option<i64>, _>("grid_id")?,
            "building_id": a.try_get::<Option<i64>, _>("building_id")?,
            "verified_at_ms": a.try_get::<Option<i64>, _>("verified_at")?,
        },
        "roles": roles.iter().map(|r| Ok(json!({
            "role": r.try_get::<String, _>("role")?,
            "scope_kind": r.try_get::<Option<String>, _>("scope_kind")?,
            "scope_id": r.try_get::<Option<i64>, _>("scope_id")?,
            "granted_at_ms": r.try_get::<i64, _>("granted_at")?,
        }))).collect::<Result<Vec<_>, sqlx::Error>>()?,
        "sessions": sessions.iter().map(|r| Ok(json!({
            "created_at_ms": r.try_get::<i64, _>("created_at")?,
            "last_seen_at_ms": r.try_get::<i64, _>("last_seen_at")?,
        }))).collect::<Result<Vec<_>, sqlx::Error>>()?,
        "proposals": proposals.iter().map(|r| Ok(json!({
            "id": r.try_get::<i64, _>("id")?,
            "community_id": r.try_get::<i64, _>("community_id")?,
            "title": r.try_get::<String, _>("title")?,
            "body": r.try_get::<String, _>("body")?,
            "state": r.try_get::<String, _>("state")?,
            "created_at_ms": r.try_get::<i64, _>("created_at")?,
        }))).collect::<Result<Vec<_>, sqlx::Error>>()?,
        "comments": comments.iter().map(|r| Ok(json!({
            "id": r.try_get::<i64, _>("id")?,
            "proposal_id": r.try_get::<i64, _>("proposal_id")?,
            "body": r.try_get::<String, _>("body")?,
            "created_at_ms": r.try_get::<i64, _>("created_at")?,
        }))).collect::<Result<Vec<_>, sqlx::Error>>()?,
        "supports": supports.iter().map(|r| Ok(json!({
            "proposal_id": r.try_get::<i64, _>("proposal_id")?,
            "at_ms": r.try_get::<i64, _>("at")?,
        }))).collect::<Result<Vec<_>, sqlx::Error>>()?,
        "votes": votes.iter().map(|r| Ok(json!({
            "proposal_id": r.try_get::<i64, _>("proposal_id")?,
            "choice": r.try_get::<String, _>("choice")?,
            "at_ms": r.try_get::<i64, _>("at")?,
        }))).collect::<Result<Vec<_>, sqlx::Error>>()?,
        "staff_actions": actions.iter().map(|r| Ok(json!({
            "action": r.try_get::<String, _>("action")?,
            "object_kind": r.try_get::<String, _>("object_kind")?,
            "object_id": r.try_get::<Option<i64>, _>("object_id")?,
            "at_ms": r.try_get::<i64, _>("at")?,
        }))).collect::<Result<Vec<_>, sqlx::Error>>()?,
        "volunteering": crate::market::store::export(db, account_id).await?,
        "service_menu": crate::menu::store::export(db, account_id).await?,
    }))
}

//! The social-worker directory (持证社工): public; each community's staff keep its entries
//! (`RunCommunityMarket`), audited.
#[cfg(feature = "ssr")]
use super::store;
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::Role,
    error::Invalid,
    policy::Action,
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The directory (of one community when given), with what the viewer keeps.
#[server(endpoint = "social_workers")]
pub async fn social_workers(community: Option<i64>) -> Result<Directory, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let (filter, params) = match community {
        Some(c) => ("AND s.community_id = $1", vec![c]),
        None => ("", vec![]),
    };
    let sql = format!(
        "SELECT s.id, s.name, s.level, s.org_id, o.name AS org_name, s.community_id, c.name AS c_name,
                c.name_en AS c_name_en, s.focus
           FROM social_worker s JOIN community c ON c.id = s.community_id LEFT JOIN organization o ON o.id = s.org_id
          WHERE s.removed_at IS NULL {filter} ORDER BY s.community_id, s.level DESC, s.id LIMIT 500"
    );
    let mut q = sqlx::query(&sql);
    for p in params {
        q = q.bind(p);
    }
    let entries = q
        .fetch_all(state.db.read())
        .await?
        .iter()
        .map(|r| {
            Ok(SocialWorkerEntry {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                level: SocialWorkerLevel::from_code(&r.try_get::<String, _>("level")?).unwrap_or(SocialWorkerLevel::Assistant),
                org_id: r.try_get("org_id")?,
                org: r.try_get("org_name")?,
                community: store::community_ref(r, "community_id", "c_name", "c_name_en")?,
                focus: r.try_get("focus")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let editable = store::communities(state.db.read(), Some(&store::scoped(caller.as_ref(), Role::CommunityStaff))).await?;
    let orgs = if editable.is_empty() {
        Vec::new()
    } else {
        sqlx::query("SELECT id, name FROM organization WHERE status = 'verified' ORDER BY name")
            .fetch_all(state.db.read())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect::<Result<_, sqlx::Error>>()?
    };
    Ok(Directory { entries, editable, orgs })
}

/// Adds (`id` empty) or updates an entry of `community_id`'s directory.
#[server(endpoint = "save_social_worker")]
pub async fn save_social_worker(
    id: Option<i64>,
    community_id: i64,
    name: String,
    level: String,
    org_id: Option<i64>,
    focus: String,
) -> Result<i64, AppError> {
    let state = state()?;
    let caller = authorized(Action::RunCommunityMarket { community_id }).await?;
    if let Some(id) = id {
        // Staff keep their own community's entries only, before and after the change.
        let current: i64 = sqlx::query("SELECT community_id FROM social_worker WHERE id = $1 AND removed_at IS NULL")
            .bind(id)
            .fetch_optional(state.db.read())
            .await?
            .ok_or(AppError::NotFound)?
            .try_get("community_id")?;
        authorized(Action::RunCommunityMarket { community_id: current }).await?;
    }
    let name = crate::accounts::DisplayName::parse(&name)?.as_str().to_string();
    let level = SocialWorkerLevel::parse(&level)?;
    let focus = crate::hall::parse_line(&focus)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    if let Some(org) = org_id {
        if sqlx::query("SELECT id FROM organization WHERE id = $1 AND status = 'verified'").bind(org).fetch_optional(&mut *tx).await?.is_none() {
            return Err(AppError::Invalid(Invalid::Parent));
        }
    }
    let after = serde_json::json!({ "name": name, "level": level.code(), "org_id": org_id, "community_id": community_id, "focus": focus });
    let id: i64 = match id {
        Some(id) => {
            sqlx::query(
                "UPDATE social_worker SET name = $1, level = $2, org_id = $3, community_id = $4, focus = $5, updated_by = $6,
                        updated_at = $7 WHERE id = $8",
            )
            .bind(&name)
            .bind(level.code())
            .bind(org_id)
            .bind(community_id)
            .bind(&focus)
            .bind(caller.account_id)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
        None => sqlx::query(
            "INSERT INTO social_worker (name, level, org_id, community_id, focus, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&name)
        .bind(level.code())
        .bind(org_id)
        .bind(community_id)
        .bind(&focus)
        .bind(caller.account_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?,
    };
    crate::audit::record(&mut tx, caller.account_id, "save_social_worker", ("social_worker", id), None, Some(after), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes an entry off the directory (kept, marked removed).
#[server(endpoint = "remove_social_worker")]
pub async fn remove_social_worker(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let community_id: i64 = sqlx::query("SELECT community_id FROM social_worker WHERE id = $1 AND removed_at IS NULL")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("community_id")?;
    let caller = authorized(Action::RunCommunityMarket { community_id }).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE social_worker SET removed_at = $1, updated_by = $2, updated_at = $1 WHERE id = $3")
        .bind(now)
        .bind(caller.account_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(&mut tx, caller.account_id, "remove_social_worker", ("social_worker", id), None, None, now).await?;
    tx.commit().await?;
    Ok(())
}

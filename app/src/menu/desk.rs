//! The staff's desk for a community's menu (`RunMenu`): escalated orders waiting for
//! dispatch, unmet demand (open wishes, full weeks, recent rejections), and the verified
//! organizations' offerings that are not on the menu yet.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::Role,
    policy::Action,
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

#[cfg(feature = "ssr")]
const REJECTED_WINDOW_MS: i64 = 30 * 86_400_000;

/// The desk of `community` (the first the caller is staff of by default).
#[server(endpoint = "menu_desk")]
pub async fn menu_desk(community: Option<i64>) -> Result<DeskView, AppError> {
    let state = state()?;
    let who = caller().await?.ok_or(AppError::Unauthenticated)?;
    let mine = crate::market::store::communities(state.db.read(), Some(&super::store::scoped(&who, Role::CommunityStaff))).await?;
    let here = community.or(mine.first().map(|c| c.id)).ok_or(AppError::Forbidden)?;
    let caller = authorized(Action::RunMenu { community_id: here }).await?;
    let community = mine.iter().find(|c| c.id == here).cloned().ok_or(AppError::Forbidden)?;
    let now = state.clock.now_ms();
    let mut escalated = super::store::orders_where(
        &state.db,
        &caller,
        "so.community_id = $1 AND so.status = 'submitted' AND so.escalated_at IS NOT NULL",
        &[here],
    )
    .await?;
    escalated.reverse();
    let wishes = super::wishes::wishes_where(&state.db, Some(&caller), "w.community_id = $2 AND w.item_id IS NULL", &[here]).await?;
    let full_items = super::store::items_where(&state.db, now, "i.community_id = $2 AND i.withdrawn_at IS NULL", &[here])
        .await?
        .into_iter()
        .filter(|i| i.taken_this_week >= i.weekly_capacity)
        .collect();
    let rejected_recently: i64 = sqlx::query("SELECT COUNT(*) AS n FROM service_order WHERE community_id = $1 AND status = 'rejected' AND closed_at > $2")
        .bind(here)
        .bind(now - REJECTED_WINDOW_MS)
        .fetch_one(state.db.read())
        .await?
        .try_get("n")?;
    let offerings = sqlx::query(
        "SELECT f.id, g.name AS org, f.category, f.title, f.description FROM offering f JOIN organization g ON g.id = f.org_id
          WHERE g.status = 'verified' AND g.community_id = $1
            AND NOT EXISTS (SELECT 1 FROM menu_item i WHERE i.offering_id = f.id AND i.community_id = $1 AND i.withdrawn_at IS NULL)
          ORDER BY f.id",
    )
    .bind(here)
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(|r| {
        Ok(OfferingChoice {
            id: r.try_get("id")?,
            org: r.try_get("org")?,
            category: ServiceCategory::from_code(&r.try_get::<String, _>("category")?).unwrap_or(ServiceCategory::Elder),
            title: r.try_get("title")?,
            description: r.try_get("description")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(DeskView { community, communities: mine, escalated, wishes, full_items, rejected_recently, offerings })
}

//! Ordering from the menu (`OrderService` for a verified resident of the item's community,
//! `OrderOnBehalf` for staff or a grid worker entering it for a resident), cancelling before
//! acceptance (`CancelOrder`), one's own orders, one order, and the rated confirmation
//! (`RateOrder`: the ordering resident only, once).
//!
//! Capacity holds under simultaneous orders because each takes a place of the week with a
//! conditional update of `menu_week`, which a CHECK backs up.
#[cfg(feature = "ssr")]
use super::store::{self, Set};
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::{Conflict, Invalid},
    notifications::{notify, Event},
    policy::Action,
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// Orders item `item_id` for the caller, or, with `on_behalf_phone`, for the verified resident
/// of the item's community with that phone number (recorded as entered by the caller). The
/// preferred time is local (`datetime-local`), from now to four weeks ahead; its week must
/// have a place left and the resident must be eligible. Returns the order's id.
#[server(endpoint = "order_service")]
pub async fn order_service(
    item_id: i64,
    preferred_at: String,
    #[server(default)] note: String,
    #[server(default)] on_behalf_phone: Option<String>,
) -> Result<i64, AppError> {
    let state = state()?;
    let item = store::item_ref(&state.db, item_id).await?;
    if item.withdrawn {
        return Err(AppError::NotFound);
    }
    let (_caller, resident_id, entered_by) = match on_behalf_phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(phone) => {
            let phone = crate::accounts::Phone::parse(phone)?;
            let r = sqlx::query(
                "SELECT id, grid_id FROM account WHERE phone = $1 AND deleted_at IS NULL AND verified_at IS NOT NULL AND community_id = $2",
            )
            .bind(phone.as_str())
            .bind(item.community_id)
            .fetch_optional(state.db.read())
            .await?;
            // Checked before saying whether the number is a resident's, so the answer tells
            // strangers nothing.
            let grid: Option<i64> = r.as_ref().map(|r| r.try_get("grid_id")).transpose()?.flatten();
            let caller = authorized(Action::OrderOnBehalf { community_id: item.community_id, grid_id: grid }).await?;
            let resident: i64 = r.ok_or(AppError::Invalid(Invalid::Account))?.try_get("id")?;
            let me = caller.account_id;
            (caller, resident, Some(me))
        }
        None => {
            let caller = authorized(Action::OrderService { community_id: item.community_id }).await?;
            let me = caller.account_id;
            (caller, me, None)
        }
    };
    let now = state.clock.now_ms();
    let preferred = crate::time::parse_local(&preferred_at).ok_or(AppError::Invalid(Invalid::DateTime))?;
    if preferred <= now || preferred > now + PREFERRED_WITHIN_MS {
        return Err(AppError::Invalid(Invalid::DateTime));
    }
    let note = crate::hall::parse_note(&note)?;
    let (birth_year, building) = super::items::resident_facts(&state.db, resident_id).await?;
    if item.eligibility.admits(birth_year, building, local_year(now)).is_err() {
        return Err(AppError::Conflict(Conflict::Ineligible));
    }
    let week = week_of(preferred);
    let mut tx = state.db.begin_write().await?;
    store::take_place(&mut tx, item_id, week, item.weekly_capacity).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO service_order (item_id, community_id, resident_id, entered_by, preferred_at, week, note, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(item_id)
    .bind(item.community_id)
    .bind(resident_id)
    .bind(entered_by)
    .bind(preferred)
    .bind(week)
    .bind(&note)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let placed = Event::OrderPlaced { order_id: id, title: item.title.clone() };
    store::notify_provider(&mut tx, &item, &placed, "/menu/queue", now).await?;
    if let Some(clerk) = entered_by {
        let event = Event::OrderState { order_id: id, title: item.title.clone(), status: OrderStatus::Submitted };
        notify(&mut tx, resident_id, &event, Some(&store::order_link(id)), now).await?;
        let after = serde_json::json!({ "item_id": item_id, "resident_id": resident_id, "preferred_at": preferred });
        crate::audit::record(&mut tx, clerk, "order_on_behalf", ("service_order", id), None, Some(after), now).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&store::order_link(id));
    Ok(id)
}

/// Cancels an order nobody has accepted yet; its place in the week is given back.
#[server(endpoint = "cancel_order")]
pub async fn cancel_order(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let order = store::order_ref(&state.db, id).await?;
    authorized(Action::CancelOrder(order.parties)).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::step(&mut tx, id, OrderStep::Cancel, Vec::new(), now).await?;
    store::release_place(&mut tx, order.item_id, order.week).await?;
    tx.commit().await?;
    leptos_axum::redirect(&store::order_link(id));
    Ok(())
}

/// The caller's orders: those for them and those they entered for others, newest first.
#[server(endpoint = "my_orders")]
pub async fn my_orders() -> Result<Vec<OrderView>, AppError> {
    let state = state()?;
    let caller = authorized(Action::OwnAccount).await?;
    let me = caller.account_id;
    Ok(store::orders_where(&state.db, &caller, "so.resident_id = $1 OR so.entered_by = $2", &[me, me]).await?)
}

/// One order, for those who may see it (`SeeOrder`).
#[server(endpoint = "get_order")]
pub async fn get_order(id: i64) -> Result<OrderView, AppError> {
    let state = state()?;
    store::order_ref(&state.db, id).await?;
    let caller = caller().await?.ok_or(AppError::Unauthenticated)?;
    store::orders_where(&state.db, &caller, "so.id = $1", &[id]).await?.pop().ok_or(AppError::Forbidden)
}

/// The resident confirms a completed order and rates it 1–5, with an optional comment.
/// Only the resident who ordered it, and only once (it is then confirmed).
#[server(endpoint = "confirm_order")]
pub async fn confirm_order(id: i64, rating: i64, #[server(default)] comment: String) -> Result<(), AppError> {
    let state = state()?;
    let order = store::order_ref(&state.db, id).await?;
    authorized(Action::RateOrder(order.parties)).await?;
    let rating = parse_rating(rating)?;
    let comment = crate::hall::parse_note(&comment)?;
    let comment = (!comment.is_empty()).then_some(comment);
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let extra = vec![("rating", Set::Int(rating)), ("rating_comment", Set::MaybeText(comment))];
    store::step(&mut tx, id, OrderStep::Confirm, extra, now).await?;
    sqlx::query("UPDATE menu_item SET rating_count = rating_count + 1, rating_sum = rating_sum + $1 WHERE id = $2")
        .bind(rating)
        .bind(order.item_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    leptos_axum::redirect(&store::order_link(id));
    Ok(())
}

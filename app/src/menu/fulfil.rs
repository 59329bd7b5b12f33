//! Fulfilment: the provider's queue (orders of the items the caller provides, and those
//! assigned to them), accepting with a person assigned or rejecting with a reason
//! (`ProvideService`; the community's staff dispatch escalated orders this way), and starting
//! and completing (`WorkOnOrder`). Completing an order a volunteer did credits their
//! service-hours ledger, once.
#[cfg(feature = "ssr")]
use super::store::{self, Set};
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{Role, Scope},
    error::Invalid,
    notifications::{notify, Event},
    policy::{Action, Caller},
    request::{authorized, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The provider's queue: open orders first, then the rest, newest first; the items the
/// caller provides; and where they may put new ones.
#[server(endpoint = "provider_queue")]
pub async fn provider_queue() -> Result<Queue, AppError> {
    let state = state()?;
    let caller = authorized(Action::OwnAccount).await?;
    let (provided, mut params) = store::provided_filter(&caller, 1);
    params.push(caller.account_id);
    let filter = format!("({provided} OR so.assignee_id = ${})", params.len());
    let mut orders = store::orders_where(&state.db, &caller, &filter, &params).await?;
    orders.sort_by_key(|o| (o.status.is_closed(), std::cmp::Reverse(o.id)));
    let (provided, params) = store::provided_filter(&caller, 2);
    let items = store::items_where(&state.db, state.clock.now_ms(), &provided, &params).await?;
    Ok(Queue { orders, items, providers: provider_choices(&state.db, &caller).await? })
}

/// Where `caller` may put items: their verified organizations, the teams they lead and the
/// communities they are staff of.
#[cfg(feature = "ssr")]
async fn provider_choices(db: &crate::db::Db, caller: &Caller) -> Result<Vec<ProviderChoice>, AppError> {
    let mut out = Vec::new();
    for org in store::scoped(caller, Role::OrgAdmin) {
        if let Some(r) = sqlx::query("SELECT name, community_id FROM organization WHERE id = $1 AND status = 'verified'")
            .bind(org)
            .fetch_optional(db.read())
            .await?
        {
            out.push(ProviderChoice { code: Provider::Org(org).code(), community_id: r.try_get("community_id")?, name: r.try_get("name")? });
        }
    }
    for r in sqlx::query("SELECT id, name, community_id FROM team WHERE leader_id = $1 ORDER BY id")
        .bind(caller.account_id)
        .fetch_all(db.read())
        .await?
    {
        out.push(ProviderChoice { code: Provider::Team(r.try_get("id")?).code(), community_id: r.try_get("community_id")?, name: r.try_get("name")? });
    }
    for c in crate::market::store::communities(db.read(), Some(&store::scoped(caller, Role::CommunityStaff))).await? {
        out.push(ProviderChoice { code: Provider::Community.code(), community_id: c.id, name: c.name });
    }
    Ok(out)
}

/// Audits a step when the community's staff took it.
#[cfg(feature = "ssr")]
async fn audit_staff(tx: &mut crate::market::store::Tx, caller: &Caller, community_id: i64, action: &str, id: i64, after: serde_json::Value, now: i64) -> Result<(), sqlx::Error> {
    if caller.has_scoped(Role::CommunityStaff, Scope::Community(community_id)) {
        crate::audit::record(tx, caller.account_id, action, ("service_order", id), None, Some(after), now).await?;
    }
    Ok(())
}

/// Accepts an order and gives it to `assignee_id`, one of the order's `assignees` (or to the
/// caller when 0): only those may be assigned, since the assignee sees the address.
#[server(endpoint = "accept_order")]
pub async fn accept_order(id: i64, #[server(default)] assignee_id: i64) -> Result<(), AppError> {
    let state = state()?;
    let order = store::order_ref(&state.db, id).await?;
    let caller = authorized(Action::ProvideService(order.parties.provider)).await?;
    let item = store::item_ref(&state.db, order.item_id).await?;
    let assignee = match assignee_id {
        0 => caller.account_id,
        chosen if chosen == caller.account_id => chosen,
        chosen => store::assignees(&state.db, &item)
            .await?
            .into_iter()
            .find(|a| a.id == chosen)
            .ok_or(AppError::Invalid(Invalid::Assignee))?
            .id,
    };
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let extra = vec![("assignee_id", Set::Int(assignee)), ("accepted_by", Set::Int(caller.account_id))];
    store::step(&mut tx, id, OrderStep::Accept, extra, now).await?;
    let link = store::order_link(id);
    let accepted = Event::OrderState { order_id: id, title: item.title.clone(), status: OrderStatus::Accepted };
    notify(&mut tx, order.parties.resident_id, &accepted, Some(&link), now).await?;
    if assignee != caller.account_id {
        notify(&mut tx, assignee, &Event::OrderAssigned { order_id: id, title: item.title.clone() }, Some("/menu/queue"), now).await?;
    }
    let after = serde_json::json!({ "status": "accepted", "assignee_id": assignee });
    audit_staff(&mut tx, &caller, item.community_id, "dispatch_order", id, after, now).await?;
    tx.commit().await?;
    leptos_axum::redirect("/menu/queue");
    Ok(())
}

/// Rejects an order nobody accepted, with a reason the resident reads; the week's place is
/// given back.
#[server(endpoint = "reject_order")]
pub async fn reject_order(id: i64, reason: String) -> Result<(), AppError> {
    let state = state()?;
    let order = store::order_ref(&state.db, id).await?;
    let caller = authorized(Action::ProvideService(order.parties.provider)).await?;
    let reason = crate::hall::parse_reason(&reason)?;
    let item = store::item_ref(&state.db, order.item_id).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::step(&mut tx, id, OrderStep::Reject, vec![("reject_reason", Set::Text(reason.clone()))], now).await?;
    store::release_place(&mut tx, order.item_id, order.week).await?;
    let event = Event::OrderState { order_id: id, title: item.title.clone(), status: OrderStatus::Rejected };
    notify(&mut tx, order.parties.resident_id, &event, Some(&store::order_link(id)), now).await?;
    audit_staff(&mut tx, &caller, item.community_id, "reject_order", id, serde_json::json!({ "reason": reason }), now).await?;
    tx.commit().await?;
    leptos_axum::redirect("/menu/queue");
    Ok(())
}

/// The assigned person (or the provider) starts the work.
#[server(endpoint = "start_order")]
pub async fn start_order(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let order = store::order_ref(&state.db, id).await?;
    authorized(Action::WorkOnOrder(order.parties)).await?;
    let item = store::item_ref(&state.db, order.item_id).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::step(&mut tx, id, OrderStep::Start, Vec::new(), now).await?;
    let event = Event::OrderState { order_id: id, title: item.title, status: OrderStatus::InProgress };
    notify(&mut tx, order.parties.resident_id, &event, Some(&store::order_link(id)), now).await?;
    tx.commit().await?;
    leptos_axum::redirect("/menu/queue");
    Ok(())
}

/// The work is done: the resident is asked to confirm and rate it, and a volunteer assigned
/// to it is credited the item's service time (once: the ledger has one row per order).
#[server(endpoint = "complete_order")]
pub async fn complete_order(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let order = store::order_ref(&state.db, id).await?;
    let caller = authorized(Action::WorkOnOrder(order.parties)).await?;
    let item = store::item_ref(&state.db, order.item_id).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::step(&mut tx, id, OrderStep::Complete, Vec::new(), now).await?;
    sqlx::query("UPDATE menu_item SET completed_count = completed_count + 1 WHERE id = $1").bind(order.item_id).execute(&mut *tx).await?;
    if let Some(assignee) = order.parties.assignee_id {
        let volunteer = sqlx::query("SELECT account_id FROM volunteer WHERE account_id = $1").bind(assignee).fetch_optional(&mut *tx).await?;
        if volunteer.is_some() {
            crate::market::store::credit_hours(
                &mut tx,
                assignee,
                item.service_minutes,
                ("order", id),
                &item.title,
                item.team_id,
                item.provider.org_id,
                item.community_id,
                caller.account_id,
                now,
                now,
            )
            .await?;
        }
    }
    let event = Event::OrderState { order_id: id, title: item.title, status: OrderStatus::Completed };
    notify(&mut tx, order.parties.resident_id, &event, Some(&store::order_link(id)), now).await?;
    tx.commit().await?;
    leptos_axum::redirect("/menu/queue");
    Ok(())
}

//! SQL the menu's server functions share: reading items and orders, taking and giving back a
//! week's place, telling an item's provider, and the sweep's escalation of orders nobody
//! accepted within a day.
use super::*;
use crate::accounts::{Role, Scope};
use crate::db::Db;
use crate::error::{AppError, Conflict};
use crate::market::store::{community_ref, placeholders, Tx};
use crate::notifications::{notify, Event};
use crate::policy::{authorize, Action, Caller, ItemProvider, OrderParties};
use sqlx::{any::AnyRow, Row};

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what}").into())
}

pub fn item_link(id: i64) -> String {
    format!("/menu/items/{id}")
}

pub fn order_link(id: i64) -> String {
    format!("/menu/orders#order-{id}")
}

/// `$1` is the current week.
const ITEM_COLUMNS: &str = "i.id, i.community_id, c.name AS c_name, c.name_en AS c_name_en, i.category, i.title,
    i.provider_kind, CASE i.provider_kind WHEN 'org' THEN o.name WHEN 'team' THEN t.name ELSE c.name END AS provider_name,
    i.price_kind, i.price_fen, i.weekly_capacity, i.min_age, i.service_minutes, i.rating_count, i.rating_sum,
    i.completed_count, i.withdrawn_at,
    COALESCE((SELECT w.taken FROM menu_week w WHERE w.item_id = i.id AND w.week = $1), 0) AS taken,
    (SELECT COUNT(*) FROM menu_item_building mb WHERE mb.item_id = i.id) AS building_count";

const ITEM_FROM: &str = "menu_item i JOIN community c ON c.id = i.community_id
    LEFT JOIN organization o ON o.id = i.org_id LEFT JOIN team t ON t.id = i.team_id";

/// `ITEM_COLUMNS` by the names `json_list` reads them from, in `ItemRow`'s order.
const ITEM_ROW: &str = "id, community_id, c_name, c_name_en, category, title, provider_kind, provider_name, price_kind,
    price_fen, weekly_capacity, min_age, service_minutes, rating_count, rating_sum, completed_count, withdrawn_at, taken,
    building_count";

/// The items `filter` (over `i`, binding from `$2`; `$1` is the week) selects, as one JSON
/// column of a larger query (`Db::json_list`); `decode_items` reads it. A community's menu
/// is tens of rows, each a hand-off from SQLite's thread when read as rows.
pub fn items_column(db: &Db, filter: &str) -> String {
    db.json_list(ITEM_ROW, &format!("SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE {filter} ORDER BY i.category, i.id LIMIT 500"))
}

/// `items_column`'s items, by category then id.
pub fn decode_items(json: &str) -> Result<Vec<ItemSummary>, sqlx::Error> {
    let rows: Vec<ItemRow> = Db::json_decode(json)?;
    let mut items = rows.into_iter().map(ItemRow::summary).collect::<Result<Vec<_>, _>>()?;
    items.sort_unstable_by(|a, b| (a.category.code(), a.id).cmp(&(b.category.code(), b.id)));
    Ok(items)
}

/// An item as `items_column` carries it.
#[derive(serde::Deserialize)]
struct ItemRow {
    id: i64,
    community_id: i64,
    c_name: String,
    c_name_en: String,
    category: String,
    title: String,
    provider_kind: String,
    provider_name: Option<String>,
    price_kind: String,
    price_fen: Option<i64>,
    weekly_capacity: i64,
    min_age: Option<i64>,
    service_minutes: i64,
    rating_count: i64,
    rating_sum: i64,
    completed_count: i64,
    withdrawn_at: Option<i64>,
    taken: i64,
    building_count: i64,
}

impl ItemRow {
    fn summary(self) -> Result<ItemSummary, sqlx::Error> {
        Ok(ItemSummary {
            id: self.id,
            community: CommunityRef { id: self.community_id, name: self.c_name, name_en: self.c_name_en },
            category: ServiceCategory::from_code(&self.category).ok_or_else(|| decode("category"))?,
            title: self.title,
            provider: self.provider_name.unwrap_or_default(),
            provider_kind: ProviderKind::from_code(&self.provider_kind).ok_or_else(|| decode("provider"))?,
            price: Price { kind: PriceKind::from_code(&self.price_kind).ok_or_else(|| decode("price"))?, fen: self.price_fen },
            weekly_capacity: self.weekly_capacity,
            taken_this_week: self.taken,
            min_age: self.min_age,
            building_limited: self.building_count > 0,
            service_minutes: self.service_minutes,
            rating_count: self.rating_count,
            rating_sum: self.rating_sum,
            completed_count: self.completed_count,
            withdrawn: self.withdrawn_at.is_some(),
        })
    }
}

/// The items `filter` (over `i`, binding `params` from $2) selects, by category, with the
/// week of `now` counted.
pub async fn items_where(db: &Db, now: i64, filter: &str, params: &[i64]) -> Result<Vec<ItemSummary>, sqlx::Error> {
    let sql = format!("SELECT {} AS items", items_column(db, filter));
    let q = params.iter().fold(sqlx::query_scalar::<_, String>(&sql).bind(week_of(now)), |q, p| q.bind(*p));
    decode_items(&q.fetch_one(db.read()).await?)
}

/// What decides who provides an item and who may order it.
#[derive(Clone, Debug)]
pub struct ItemRef {
    pub title: String,
    pub community_id: i64,
    pub provider: ItemProvider,
    pub org_id: Option<i64>,
    pub team_id: Option<i64>,
    pub provider_kind: ProviderKind,
    pub eligibility: Eligibility,
    pub weekly_capacity: i64,
    pub service_minutes: i64,
    pub withdrawn: bool,
}

pub async fn item_ref(db: &Db, id: i64) -> Result<ItemRef, AppError> {
    let r = sqlx::query(
        "SELECT i.title, i.community_id, i.org_id, i.team_id, i.provider_kind, i.min_age, i.weekly_capacity,
                i.service_minutes, i.withdrawn_at, t.leader_id, COALESCE(i.org_id, t.org_id) AS p_org, po.status AS p_status
           FROM menu_item i LEFT JOIN team t ON t.id = i.team_id
           LEFT JOIN organization po ON po.id = COALESCE(i.org_id, t.org_id) WHERE i.id = $1",
    )
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .ok_or(AppError::NotFound)?;
    let buildings = sqlx::query("SELECT building_id FROM menu_item_building WHERE item_id = $1 ORDER BY building_id")
        .bind(id)
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|b| b.try_get("building_id"))
        .collect::<Result<_, _>>()?;
    let community_id = r.try_get("community_id")?;
    Ok(ItemRef {
        title: r.try_get("title")?,
        community_id,
        provider: ItemProvider {
            community_id,
            org_id: r.try_get("p_org")?,
            org_verified: r.try_get::<Option<String>, _>("p_status")?.as_deref() == Some("verified"),
            leader_id: r.try_get("leader_id")?,
        },
        org_id: r.try_get("org_id")?,
        team_id: r.try_get("team_id")?,
        provider_kind: ProviderKind::from_code(&r.try_get::<String, _>("provider_kind")?).ok_or_else(|| decode("provider"))?,
        eligibility: Eligibility { min_age: r.try_get("min_age")?, buildings },
        weekly_capacity: r.try_get("weekly_capacity")?,
        service_minutes: r.try_get("service_minutes")?,
        withdrawn: r.try_get::<Option<i64>, _>("withdrawn_at")?.is_some(),
    })
}

/// Takes one of the week's places of an item: the week's row is made with the item's
/// capacity, then a conditional update takes a place while one is left (the CHECK on
/// `menu_week` refuses the rest whatever happens). `Conflict::Full` when none is left.
pub async fn take_place(tx: &mut Tx, item_id: i64, week: i64, capacity: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO menu_week (item_id, week, capacity, taken) VALUES ($1, $2, $3, 0) ON CONFLICT (item_id, week) DO NOTHING")
        .bind(item_id)
        .bind(week)
        .bind(capacity)
        .execute(&mut **tx)
        .await?;
    let took = sqlx::query("UPDATE menu_week SET taken = taken + 1 WHERE item_id = $1 AND week = $2 AND taken < capacity")
        .bind(item_id)
        .bind(week)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if took == 1 { Ok(()) } else { Err(AppError::Conflict(Conflict::Full)) }
}

/// Gives a week's place back (a cancelled or rejected order).
pub async fn release_place(tx: &mut Tx, item_id: i64, week: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE menu_week SET taken = taken - 1 WHERE item_id = $1 AND week = $2 AND taken > 0")
        .bind(item_id)
        .bind(week)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Tells whoever provides an item: its team's leader, its organization's admins, or (for the
/// community's own items) its staff.
pub async fn notify_provider(tx: &mut Tx, item: &ItemRef, event: &Event, link: &str, now: i64) -> Result<(), sqlx::Error> {
    if let Some(leader) = item.provider.leader_id {
        notify(tx, leader, event, Some(link), now).await?;
    }
    match (item.provider_kind, item.org_id) {
        (ProviderKind::Org, Some(org)) => {
            crate::appeals::store::notify_role(tx, Role::OrgAdmin, Scope::Organization(org), event, link, now).await
        }
        (ProviderKind::Community, _) => {
            crate::appeals::store::notify_role(tx, Role::CommunityStaff, Scope::Community(item.community_id), event, link, now).await
        }
        _ => Ok(()),
    }
}

const ORDER_COLUMNS: &str = "so.id, so.item_id, i.title AS item_title, i.category, so.community_id, c.name AS c_name,
    c.name_en AS c_name_en, so.status, so.resident_id, so.entered_by, so.assignee_id, so.preferred_at, so.note,
    so.submitted_at, so.reject_reason, so.escalated_at, so.rating, so.rating_comment,
    r.display_name AS r_name, r.deleted_at AS r_deleted, b.name AS b_name, e.name AS e_name,
    en.display_name AS en_name, asg.display_name AS asg_name,
    CASE i.provider_kind WHEN 'org' THEN o.name WHEN 'team' THEN t.name ELSE c.name END AS provider_name,
    COALESCE(i.org_id, t.org_id) AS p_org, po.status AS p_status, t.leader_id";

const ORDER_FROM: &str = "service_order so JOIN menu_item i ON i.id = so.item_id JOIN community c ON c.id = so.community_id
    JOIN account r ON r.id = so.resident_id
    LEFT JOIN building b ON b.id = r.building_id AND r.verified_at IS NOT NULL LEFT JOIN estate e ON e.id = b.estate_id
    LEFT JOIN account en ON en.id = so.entered_by LEFT JOIN account asg ON asg.id = so.assignee_id
    LEFT JOIN team t ON t.id = i.team_id LEFT JOIN organization o ON o.id = i.org_id
    LEFT JOIN organization po ON po.id = COALESCE(i.org_id, t.org_id)";

fn parties(r: &AnyRow) -> Result<OrderParties, sqlx::Error> {
    Ok(OrderParties {
        resident_id: r.try_get("resident_id")?,
        entered_by: r.try_get("entered_by")?,
        assignee_id: r.try_get("assignee_id")?,
        provider: ItemProvider {
            community_id: r.try_get("community_id")?,
            org_id: r.try_get("p_org")?,
            org_verified: r.try_get::<Option<String>, _>("p_status")?.as_deref() == Some("verified"),
            leader_id: r.try_get("leader_id")?,
        },
    })
}

/// An order as `caller` may see it; None when they may not see it at all.
fn order_view(r: &AnyRow, caller: &Caller) -> Result<Option<OrderView>, sqlx::Error> {
    let p = parties(r)?;
    let may = |action: Action| authorize(Some(caller), action).is_ok();
    if !may(Action::SeeOrder(p)) && !may(Action::SeeOrderAddress(p)) {
        return Ok(None);
    }
    let status = OrderStatus::from_code(&r.try_get::<String, _>("status")?).ok_or_else(|| decode("status"))?;
    let address = if may(Action::SeeOrderAddress(p)) {
        let (estate, building): (Option<String>, Option<String>) = (r.try_get("e_name")?, r.try_get("b_name")?);
        building.map(|b| match estate {
            Some(e) => format!("{e} {b}"),
            None => b,
        })
    } else {
        None
    };
    let active = matches!(status, OrderStatus::Accepted | OrderStatus::InProgress);
    Ok(Some(OrderView {
        id: r.try_get("id")?,
        item_id: r.try_get("item_id")?,
        item_title: r.try_get("item_title")?,
        category: ServiceCategory::from_code(&r.try_get::<String, _>("category")?).ok_or_else(|| decode("category"))?,
        provider: r.try_get::<Option<String>, _>("provider_name")?.unwrap_or_default(),
        community: community_ref(r, "community_id", "c_name", "c_name_en")?,
        status,
        resident: crate::hall::store::author(r, "r_name", "r_deleted")?.unwrap_or_default(),
        address,
        preferred_at: r.try_get("preferred_at")?,
        note: r.try_get("note")?,
        submitted_at: r.try_get("submitted_at")?,
        entered_by: r.try_get("en_name")?,
        assignee: r.try_get("asg_name")?,
        reject_reason: r.try_get("reject_reason")?,
        escalated_at: r.try_get("escalated_at")?,
        rating: r.try_get("rating")?,
        rating_comment: r.try_get("rating_comment")?,
        can_cancel: status == OrderStatus::Submitted && may(Action::CancelOrder(p)),
        can_rate: status == OrderStatus::Completed && may(Action::RateOrder(p)),
        can_decide: status == OrderStatus::Submitted && may(Action::ProvideService(p.provider)),
        can_work: active && may(Action::WorkOnOrder(p)),
        assignees: Vec::new(),
    }))
}

/// The orders `filter` (over `so`, `i`, `t`, binding `params` from $1) selects that `caller`
/// may see, newest first.
pub async fn orders_where(db: &Db, caller: &Caller, filter: &str, params: &[i64]) -> Result<Vec<OrderView>, AppError> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE {filter} ORDER BY so.id DESC LIMIT 300");
    let mut q = sqlx::query(&sql);
    for p in params {
        q = q.bind(*p);
    }
    let rows = q.fetch_all(db.read()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        if let Some(v) = order_view(r, caller)? {
            out.push(v);
        }
    }
    // Those who may decide an order choose whom to give it to: one query per item.
    let mut by_item: std::collections::HashMap<i64, Vec<Assignee>> = std::collections::HashMap::new();
    for v in out.iter_mut().filter(|v| v.can_decide) {
        if !by_item.contains_key(&v.item_id) {
            let item = item_ref(db, v.item_id).await?;
            by_item.insert(v.item_id, assignees(db, &item).await?);
        }
        v.assignees = by_item[&v.item_id].clone();
    }
    Ok(out)
}

/// Who an order of `item` may be given to (see `Assignee`), by name.
pub async fn assignees(db: &Db, item: &ItemRef) -> Result<Vec<Assignee>, sqlx::Error> {
    // -1 matches no row: the item has no such provider.
    let team = item.team_id.unwrap_or(-1);
    let org = item.org_id.unwrap_or(-1);
    let provider_org = item.provider.org_id.unwrap_or(-1);
    let own = i64::from(item.provider_kind == ProviderKind::Community);
    let rows = sqlx::query(
        "SELECT a.id, a.display_name, a.phone FROM account a
          WHERE a.deleted_at IS NULL AND a.id IN (
                SELECT tm.account_id FROM team_member tm JOIN team t ON t.id = tm.team_id
                 WHERE tm.status = 'member'
                   AND (t.id = $1 OR t.org_id = $2 OR (t.community_id = $3 AND t.org_id IS NULL AND $4 = 1))
                UNION SELECT t.leader_id FROM team t
                 WHERE t.id = $1 OR t.org_id = $2 OR (t.community_id = $3 AND t.org_id IS NULL AND $4 = 1)
                UNION SELECT g.account_id FROM role_grant g
                 WHERE (g.scope_kind = 'organization' AND g.scope_id = $5 AND g.role IN ('org_admin', 'social_worker'))
                    OR (g.scope_kind = 'community' AND g.scope_id = $3 AND g.role IN ('community_staff', 'social_worker')))
          ORDER BY a.display_name, a.id LIMIT 300",
    )
    .bind(team)
    .bind(org)
    .bind(item.community_id)
    .bind(own)
    .bind(provider_org)
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Assignee {
                id: r.try_get("id")?,
                name: r.try_get("display_name")?,
                phone: crate::accounts::mask_phone(&r.try_get::<Option<String>, _>("phone")?.unwrap_or_default()),
            })
        })
        .collect()
}

/// What a step on an order needs.
#[derive(Clone, Debug)]
pub struct OrderRef {
    pub item_id: i64,
    pub status: OrderStatus,
    pub week: i64,
    pub parties: OrderParties,
}

pub async fn order_ref(db: &Db, id: i64) -> Result<OrderRef, AppError> {
    let r = sqlx::query(&format!("SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE so.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let week: i64 = sqlx::query("SELECT week FROM service_order WHERE id = $1").bind(id).fetch_one(db.read()).await?.try_get("week")?;
    Ok(OrderRef {
        item_id: r.try_get("item_id")?,
        status: OrderStatus::from_code(&r.try_get::<String, _>("status")?).ok_or_else(|| decode("status"))?,
        week,
        parties: parties(&r)?,
    })
}

/// The ids of the places `caller` holds `role` in (see `market::store::scoped`).
pub fn scoped(caller: &Caller, role: Role) -> Vec<i64> {
    crate::market::store::scoped(Some(caller), role)
}

/// A `WHERE` over `i` and `t` for the items `caller` provides, with its parameters (from `$from`).
pub fn provided_filter(caller: &Caller, from: usize) -> (String, Vec<i64>) {
    let staff = scoped(caller, Role::CommunityStaff);
    let orgs = scoped(caller, Role::OrgAdmin);
    let mut params = vec![caller.account_id];
    let mut filter = format!("(t.leader_id = ${from}");
    if !staff.is_empty() {
        filter.push_str(&format!(" OR i.community_id IN ({})", placeholders(from + params.len(), staff.len())));
        params.extend(&staff);
    }
    if !orgs.is_empty() {
        filter.push_str(&format!(" OR COALESCE(i.org_id, t.org_id) IN ({})", placeholders(from + params.len(), orgs.len())));
        params.extend(&orgs);
    }
    filter.push(')');
    (filter, params)
}

/// Sends orders nobody accepted within 24 hours to the community's staff, once each (the
/// conditional update lets one instance's sweep win). Returns how many were escalated.
pub async fn escalate_due(db: &Db, now: i64) -> Result<usize, sqlx::Error> {
    let due = sqlx::query(
        "SELECT so.id, so.community_id, i.title FROM service_order so JOIN menu_item i ON i.id = so.item_id
          WHERE so.status = 'submitted' AND so.escalated_at IS NULL AND so.submitted_at <= $1 ORDER BY so.id LIMIT 500",
    )
    .bind(now - ESCALATE_AFTER_MS)
    .fetch_all(db.read())
    .await?;
    let mut escalated = 0;
    for r in due {
        let (id, community, title): (i64, i64, String) = (r.try_get("id")?, r.try_get("community_id")?, r.try_get("title")?);
        let mut tx = db.begin_write().await?;
        let n = sqlx::query("UPDATE service_order SET escalated_at = $1 WHERE id = $2 AND status = 'submitted' AND escalated_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 1 {
            let event = Event::OrderEscalated { order_id: id, title };
            crate::appeals::store::notify_role(&mut tx, Role::CommunityStaff, Scope::Community(community), &event, "/menu/desk", now).await?;
            escalated += 1;
        }
        tx.commit().await?;
    }
    Ok(escalated)
}

/// The menu part of a data export: the caller's orders and wishes.
pub async fn export(db: &Db, account_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    use serde_json::json;
    let orders = sqlx::query(
        "SELECT so.id, i.title, so.status, so.preferred_at, so.note, so.submitted_at, so.rating, so.rating_comment
           FROM service_order so JOIN menu_item i ON i.id = so.item_id WHERE so.resident_id = $1 ORDER BY so.id",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| {
        Ok(json!({
            "id": r.try_get::<i64, _>("id")?,
            "item": r.try_get::<String, _>("title")?,
            "status": r.try_get::<String, _>("status")?,
            "preferred_at_ms": r.try_get::<i64, _>("preferred_at")?,
            "note": r.try_get::<String, _>("note")?,
            "submitted_at_ms": r.try_get::<i64, _>("submitted_at")?,
            "rating": r.try_get::<Option<i64>, _>("rating")?,
            "rating_comment": r.try_get::<Option<String>, _>("rating_comment")?,
        }))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let wishes = sqlx::query("SELECT id, title, description, created_at FROM wish WHERE author_id = $1 ORDER BY id")
        .bind(account_id)
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "title": r.try_get::<String, _>("title")?,
                "description": r.try_get::<String, _>("description")?,
                "created_at_ms": r.try_get::<i64, _>("created_at")?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(json!({ "orders": orders, "wishes": wishes }))
}

/// A value a step sets besides the state.
pub enum Set {
    Int(i64),
    Text(String),
    MaybeText(Option<String>),
}

/// Takes `step` on order `id` with one conditional update: the state moves only from the
/// state the step leaves (so of two simultaneous steps one wins and the other gets
/// `Conflict::State`), with the step's time and `extra` columns set in the same statement
/// (the table's CHECKs tie a rejection to its reason, a confirmation to its rating).
pub async fn step(tx: &mut Tx, id: i64, step: OrderStep, extra: Vec<(&'static str, Set)>, now: i64) -> Result<(), AppError> {
    let (from, to) = step.transition();
    let at = match step {
        OrderStep::Accept => "accepted_at",
        OrderStep::Reject | OrderStep::Cancel => "closed_at",
        OrderStep::Start => "started_at",
        OrderStep::Complete => "completed_at",
        OrderStep::Confirm => "confirmed_at",
    };
    let sets: String = extra.iter().enumerate().map(|(i, (col, _))| format!(", {col} = ${}", i + 5)).collect();
    let sql = format!("UPDATE service_order SET status = $1, {at} = $2{sets} WHERE id = $3 AND status = $4");
    let mut q = sqlx::query(&sql).bind(to.code()).bind(now).bind(id).bind(from.code());
    for (_, v) in extra {
        q = match v {
            Set::Int(n) => q.bind(n),
            Set::Text(s) => q.bind(s),
            Set::MaybeText(s) => q.bind(s),
        };
    }
    if q.execute(&mut **tx).await?.rows_affected() == 1 { Ok(()) } else { Err(AppError::Conflict(Conflict::State)) }
}

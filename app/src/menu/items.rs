//! The menu and its items: a community's menu (public), an item's page, putting items on the
//! menu (`ProvideService` for one's own organization, team or community; `RunMenu` for staff
//! putting an organization's offering or a wish on it), taking one off, and a resident's year
//! of birth for age-limited items (`OwnAccount`).
#[cfg(feature = "ssr")]
use super::store;
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::Role,
    error::{Conflict, Invalid},
    market::store as market_store,
    notifications::{notify, Event},
    policy::{authorize, Action, Caller, ItemProvider},
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// The community whose menu to show: the one asked for, else the caller's home, else the
/// first they are staff of, else the first of the district.
#[cfg(feature = "ssr")]
pub(crate) fn pick_community(asked: Option<i64>, caller: Option<&Caller>, all: &[CommunityRef]) -> Option<CommunityRef> {
    let staff = market_store::scoped(caller, Role::CommunityStaff);
    let want = asked.or(caller.and_then(|c| c.verified_community)).or(staff.first().copied());
    want.and_then(|id| all.iter().find(|c| c.id == id)).or(all.first()).cloned()
}

/// A community's menu: its items on offer, by category.
#[server(endpoint = "menu_home")]
pub async fn menu_home(community: Option<i64>) -> Result<MenuFront, AppError> {
    let state = state()?;
    let caller = caller().await?;
    // The district's communities are reference data kept in memory (`AppState::streets`).
    let mut communities: Vec<CommunityRef> = state
        .streets()
        .await?
        .iter()
        .flat_map(|s| &s.communities)
        .map(|c| CommunityRef { id: c.id, name: c.name.clone(), name_en: c.name_en.clone() })
        .collect();
    communities.sort_unstable_by_key(|c| c.id);
    let here = pick_community(community, caller.as_ref(), &communities);
    let now = state.clock.now_ms();
    // One query: the menu's items as a JSON column (`store::items_column`), its open wishes,
    // and whether the caller leads a team (`$3`, NULL for a visitor).
    let (items, open_wishes, leads_team) = match &here {
        Some(c) => {
            let sql = format!(
                "SELECT {} AS items, (SELECT COUNT(*) FROM wish WHERE community_id = $2 AND item_id IS NULL) AS wishes,
                        (SELECT COUNT(*) FROM team WHERE leader_id = $3) AS teams_led",
                store::items_column(&state.db, "i.community_id = $2 AND i.withdrawn_at IS NULL")
            );
            let r = sqlx::query(&sql)
                .bind(week_of(now))
                .bind(c.id)
                .bind(caller.as_ref().map(|c| c.account_id))
                .fetch_one(state.db.read())
                .await?;
            (store::decode_items(&r.try_get::<String, _>("items")?)?, r.try_get("wishes")?, r.try_get::<i64, _>("teams_led")? > 0)
        }
        // No community in the district yet: no menu, and no team to lead.
        None => (Vec::new(), 0, false),
    };
    let is_staff = here.as_ref().is_some_and(|c| authorize(caller.as_ref(), Action::RunMenu { community_id: c.id }).is_ok());
    let is_provider = leads_team
        || caller.as_ref().is_some_and(|c| {
            !store::scoped(c, Role::CommunityStaff).is_empty() || !store::scoped(c, Role::OrgAdmin).is_empty()
        });
    Ok(MenuFront { community: here, communities, items, logged_in: caller.is_some(), is_staff, is_provider, open_wishes })
}

/// An item's page: public, with what the caller may do (order, order for someone, manage)
/// and, for a resident of its community, why they may not order it.
#[server(endpoint = "get_menu_item")]
pub async fn get_menu_item(id: i64) -> Result<ItemPage, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let item = store::item_ref(&state.db, id).await?;
    let now = state.clock.now_ms();
    let summary = store::items_where(&state.db, now, "i.id = $2", &[id]).await?.pop().ok_or(AppError::NotFound)?;
    let description: String =
        sqlx::query("SELECT description FROM menu_item WHERE id = $1").bind(id).fetch_one(state.db.read()).await?.try_get("description")?;
    let buildings = sqlx::query(
        "SELECT b.name, e.name AS estate FROM menu_item_building mb JOIN building b ON b.id = mb.building_id
           LEFT JOIN estate e ON e.id = b.estate_id WHERE mb.item_id = $1 ORDER BY b.id",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(|r| Ok(match r.try_get::<Option<String>, _>("estate")? {
        Some(e) => format!("{e} {}", r.try_get::<String, _>("name")?),
        None => r.try_get("name")?,
    }))
    .collect::<Result<_, sqlx::Error>>()?;
    let ratings = sqlx::query(
        "SELECT rating, rating_comment, confirmed_at FROM service_order WHERE item_id = $1 AND status = 'confirmed'
          ORDER BY confirmed_at DESC LIMIT 20",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(|r| Ok(RatingView { rating: r.try_get("rating")?, comment: r.try_get("rating_comment")?, at: r.try_get("confirmed_at")? }))
    .collect::<Result<_, sqlx::Error>>()?;
    let can_order = !item.withdrawn && authorize(caller.as_ref(), Action::OrderService { community_id: item.community_id }).is_ok();
    let refusal = match (&caller, can_order) {
        (Some(c), true) => {
            let (birth_year, building) = resident_facts(&state.db, c.account_id).await?;
            item.eligibility.admits(birth_year, building, local_year(now)).err()
        }
        _ => None,
    };
    let can_order_for = !item.withdrawn
        && caller.as_ref().is_some_and(|c| {
            c.has_scoped(Role::CommunityStaff, crate::accounts::Scope::Community(item.community_id)) || c.has(Role::GridWorker)
        });
    Ok(ItemPage {
        summary,
        description,
        buildings,
        ratings,
        now,
        logged_in: caller.is_some(),
        can_order,
        refusal,
        can_order_for,
        can_manage: authorize(caller.as_ref(), Action::ProvideService(item.provider)).is_ok(),
    })
}

/// A resident's year of birth and home building (verified homes only).
#[cfg(feature = "ssr")]
pub(crate) async fn resident_facts(db: &crate::db::Db, account_id: i64) -> Result<(Option<i64>, Option<i64>), sqlx::Error> {
    let r = sqlx::query("SELECT birth_year, CASE WHEN verified_at IS NULL THEN NULL ELSE building_id END AS building FROM account WHERE id = $1")
        .bind(account_id)
        .fetch_one(db.read())
        .await?;
    Ok((r.try_get("birth_year")?, r.try_get("building")?))
}

/// Who provides an item to be put on `community_id`'s menu, and the policy that lets the
/// caller put it there: an organization's own (in its community), a team's (of that
/// community), or the community's own (its staff).
#[cfg(feature = "ssr")]
async fn provider_of(db: &crate::db::Db, provider: Provider, community_id: i64) -> Result<(ItemProvider, Option<i64>, Option<i64>), AppError> {
    match provider {
        Provider::Org(org) => {
            let (home, verified) = market_store::org_standing(db, org).await?;
            if home != community_id {
                return Err(AppError::Invalid(Invalid::Provider));
            }
            Ok((ItemProvider { community_id, org_id: Some(org), org_verified: verified, leader_id: None }, Some(org), None))
        }
        Provider::Team(team) => {
            let t = market_store::team_ref(db, team).await?;
            if t.community_id != community_id {
                return Err(AppError::Invalid(Invalid::Provider));
            }
            let p = ItemProvider { community_id, org_id: t.org_id, org_verified: t.org_verified, leader_id: Some(t.leader_id) };
            Ok((p, None, Some(team)))
        }
        Provider::Community => Ok((ItemProvider { community_id, org_id: None, org_verified: false, leader_id: None }, None, None)),
    }
}

/// Puts an item on a community's menu. `provider` is `org:ID`, `team:ID` or `community`;
/// with `offering_id` the community's staff put that organization's offering on the menu
/// (the organization provides it); with `wish_id` they answer a wish, whose supporters are
/// told. `buildings` limit who may order (empty: the whole community); `price` is in yuan.
/// Returns the item's id.
#[server(endpoint = "create_menu_item")]
#[allow(clippy::too_many_arguments)]
pub async fn create_menu_item(
    community_id: i64,
    #[server(default)] provider: String,
    category: String,
    title: String,
    description: String,
    #[server(default)] min_age: Option<i64>,
    #[server(default)] buildings: Vec<String>,
    weekly_capacity: i64,
    price_kind: String,
    #[server(default)] price: String,
    service_minutes: i64,
    #[server(default)] offering_id: Option<i64>,
    #[server(default)] wish_id: Option<i64>,
) -> Result<i64, AppError> {
    let state = state()?;
    let run_menu = offering_id.is_some() || wish_id.is_some();
    let provider = match offering_id {
        Some(offering) => {
            let r = sqlx::query("SELECT org_id FROM offering WHERE id = $1").bind(offering).fetch_optional(state.db.read()).await?;
            Provider::Org(r.ok_or(AppError::Invalid(Invalid::Provider))?.try_get("org_id")?)
        }
        None => Provider::parse(&provider)?,
    };
    let (item_provider, org_id, team_id) = if run_menu {
        // Staff may put any verified organization's offering on their menu.
        match provider {
            Provider::Org(org) => {
                let (_, verified) = market_store::org_standing(&state.db, org).await?;
                if !verified {
                    return Err(AppError::Invalid(Invalid::Provider));
                }
                (ItemProvider { community_id, org_id: Some(org), org_verified: true, leader_id: None }, Some(org), None)
            }
            other => provider_of(&state.db, other, community_id).await?,
        }
    } else {
        provider_of(&state.db, provider, community_id).await?
    };
    let action = if run_menu { Action::RunMenu { community_id } } else { Action::ProvideService(item_provider) };
    let caller = authorized(action).await?;
    let category = ServiceCategory::parse(&category)?;
    let title = crate::hall::parse_title(&title)?;
    let description = crate::market::parse_description(&description)?;
    let min_age = parse_min_age(min_age)?;
    let capacity = parse_capacity(weekly_capacity)?;
    let price = Price::parse(&price_kind, &price)?;
    let minutes = parse_service_minutes(service_minutes)?;
    let buildings: Vec<i64> = crate::market::parse_codes(&buildings, |s| s.parse::<i64>().map_err(|_| AppError::Invalid(Invalid::Building)))?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    for b in &buildings {
        let here = sqlx::query("SELECT b.id FROM building b JOIN grid g ON g.id = b.grid_id WHERE b.id = $1 AND g.community_id = $2")
            .bind(*b)
            .bind(community_id)
            .fetch_optional(&mut *tx)
            .await?;
        if here.is_none() {
            return Err(AppError::Invalid(Invalid::Building));
        }
    }
    let id: i64 = sqlx::query(
        "INSERT INTO menu_item (community_id, category, title, description, provider_kind, org_id, team_id, offering_id,
                                min_age, weekly_capacity, price_kind, price_fen, service_minutes, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(community_id)
    .bind(category.code())
    .bind(&title)
    .bind(&description)
    .bind(provider.kind().code())
    .bind(org_id)
    .bind(team_id)
    .bind(offering_id)
    .bind(min_age)
    .bind(capacity)
    .bind(price.kind.code())
    .bind(price.fen)
    .bind(minutes)
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for b in &buildings {
        sqlx::query("INSERT INTO menu_item_building (item_id, building_id) VALUES ($1, $2)").bind(id).bind(*b).execute(&mut *tx).await?;
    }
    if let Some(wish) = wish_id {
        let r = sqlx::query("UPDATE wish SET item_id = $1, fulfilled_at = $2 WHERE id = $3 AND community_id = $4 AND item_id IS NULL RETURNING title")
            .bind(id)
            .bind(now)
            .bind(wish)
            .bind(community_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::Conflict(Conflict::Decided))?;
        let event = Event::WishFulfilled { wish_id: wish, title: r.try_get("title")?, item_id: id };
        let supporters = sqlx::query("SELECT account_id FROM wish_support WHERE wish_id = $1 ORDER BY account_id")
            .bind(wish)
            .fetch_all(&mut *tx)
            .await?;
        for s in supporters {
            notify(&mut tx, s.try_get("account_id")?, &event, Some(&store::item_link(id)), now).await?;
        }
    }
    if caller.has_scoped(Role::CommunityStaff, crate::accounts::Scope::Community(community_id)) {
        let after = serde_json::json!({ "title": title, "provider": provider.code(), "offering_id": offering_id, "wish_id": wish_id,
                                        "weekly_capacity": capacity, "price_kind": price.kind.code(), "price_fen": price.fen });
        crate::audit::record(&mut tx, caller.account_id, "create_menu_item", ("menu_item", id), None, Some(after), now).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&store::item_link(id));
    Ok(id)
}

/// Takes an item off the menu (`ProvideService`); its orders stay and can be finished.
#[server(endpoint = "withdraw_menu_item")]
pub async fn withdraw_menu_item(id: i64) -> Result<(), AppError> {
    let state = state()?;
    let item = store::item_ref(&state.db, id).await?;
    let caller = authorized(Action::ProvideService(item.provider)).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let n = sqlx::query("UPDATE menu_item SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(AppError::Conflict(Conflict::Decided));
    }
    if caller.has_scoped(Role::CommunityStaff, crate::accounts::Scope::Community(item.community_id)) {
        crate::audit::record(&mut tx, caller.account_id, "withdraw_menu_item", ("menu_item", id), None, None, now).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&store::item_link(id));
    Ok(())
}

/// Records the caller's year of birth (for items with an age limit, such as 助餐 for 60+).
#[server(endpoint = "set_birth_year")]
pub async fn set_birth_year(birth_year: i64) -> Result<(), AppError> {
    let state = state()?;
    let caller = authorized(Action::OwnAccount).await?;
    let year = parse_birth_year(birth_year, local_year(state.clock.now_ms()))?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE account SET birth_year = $1 WHERE id = $2").bind(year).bind(caller.account_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

//! 心愿单: a community's wishes for services its menu lacks (public), making one and
//! supporting one (`OrderService`: its verified residents; once each). Staff turn a wish into
//! an item with `create_menu_item(wish_id)`, which tells its supporters.
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::Conflict,
    market::store as market_store,
    policy::{authorize, Action, Caller},
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::{any::AnyRow, Row};

#[cfg(feature = "ssr")]
pub(crate) async fn wishes_where(db: &crate::db::Db, caller: Option<&Caller>, filter: &str, params: &[i64]) -> Result<Vec<WishView>, sqlx::Error> {
    let me = caller.map(|c| c.account_id).unwrap_or(0);
    let sql = format!(
        "SELECT w.id, w.community_id, c.name AS c_name, c.name_en AS c_name_en, w.category, w.title, w.description,
                a.display_name AS author, a.deleted_at AS author_deleted, w.support_count, w.item_id, w.created_at,
                (SELECT COUNT(*) FROM wish_support s WHERE s.wish_id = w.id AND s.account_id = $1) AS mine
           FROM wish w JOIN community c ON c.id = w.community_id JOIN account a ON a.id = w.author_id
          WHERE {filter} ORDER BY w.item_id IS NOT NULL, w.support_count DESC, w.id DESC LIMIT 200"
    );
    let mut q = sqlx::query(&sql).bind(me);
    for p in params {
        q = q.bind(*p);
    }
    let wish = |r: &AnyRow| -> Result<WishView, sqlx::Error> {
        Ok(WishView {
            id: r.try_get("id")?,
            community: market_store::community_ref(r, "community_id", "c_name", "c_name_en")?,
            category: ServiceCategory::from_code(&r.try_get::<String, _>("category")?).unwrap_or(ServiceCategory::Elder),
            title: r.try_get("title")?,
            description: r.try_get("description")?,
            author: crate::hall::store::author(r, "author", "author_deleted")?,
            support_count: r.try_get("support_count")?,
            supported: r.try_get::<i64, _>("mine")? > 0,
            item_id: r.try_get("item_id")?,
            created_at: r.try_get("created_at")?,
        })
    };
    q.fetch_all(db.read()).await?.iter().map(wish).collect()
}

/// A community's wishes (the caller's home by default): open ones by support, then those
/// already on the menu.
#[server(endpoint = "list_wishes")]
pub async fn list_wishes(community: Option<i64>) -> Result<WishList, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let communities = market_store::communities(state.db.read(), None).await?;
    let here = super::items::pick_community(community, caller.as_ref(), &communities);
    let wishes = match &here {
        Some(c) => wishes_where(&state.db, caller.as_ref(), "w.community_id = $2", &[c.id]).await?,
        None => Vec::new(),
    };
    let id = here.as_ref().map(|c| c.id).unwrap_or(0);
    Ok(WishList {
        can_wish: authorize(caller.as_ref(), Action::OrderService { community_id: id }).is_ok(),
        is_staff: authorize(caller.as_ref(), Action::RunMenu { community_id: id }).is_ok(),
        community: here,
        communities,
        wishes,
    })
}

/// Makes a wish for the caller's community; the author is its first supporter. Returns its id.
#[server(endpoint = "make_wish")]
pub async fn make_wish(community_id: i64, category: String, title: String, description: String) -> Result<i64, AppError> {
    let state = state()?;
    let caller = authorized(Action::OrderService { community_id }).await?;
    let category = ServiceCategory::parse(&category)?;
    let title = crate::hall::parse_title(&title)?;
    let description = crate::market::parse_description(&description)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO wish (community_id, category, title, description, author_id, support_count, created_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
    )
    .bind(community_id)
    .bind(category.code())
    .bind(&title)
    .bind(&description)
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query("INSERT INTO wish_support (wish_id, account_id, at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(caller.account_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/menu/wishes?community={community_id}#wish-{id}"));
    Ok(id)
}

/// Adds the caller's support to an open wish of their community (once; again changes
/// nothing). Returns its supporters' count.
#[server(endpoint = "support_wish")]
pub async fn support_wish(id: i64) -> Result<i64, AppError> {
    let state = state()?;
    let r = sqlx::query("SELECT community_id, item_id FROM wish WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let community_id: i64 = r.try_get("community_id")?;
    let caller = authorized(Action::OrderService { community_id }).await?;
    if r.try_get::<Option<i64>, _>("item_id")?.is_some() {
        return Err(AppError::Conflict(Conflict::Decided));
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let added = sqlx::query("INSERT INTO wish_support (wish_id, account_id, at) VALUES ($1, $2, $3) ON CONFLICT (wish_id, account_id) DO NOTHING")
        .bind(id)
        .bind(caller.account_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if added == 1 {
        sqlx::query("UPDATE wish SET support_count = support_count + 1 WHERE id = $1").bind(id).execute(&mut *tx).await?;
    }
    let n: i64 = sqlx::query("SELECT support_count FROM wish WHERE id = $1").bind(id).fetch_one(&mut *tx).await?.try_get("support_count")?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/menu/wishes?community={community_id}#wish-{id}"));
    Ok(n)
}

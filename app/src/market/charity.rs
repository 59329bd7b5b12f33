//! Charity resources (慈善资源): verified organizations offer goods, funds or a venue with a
//! quantity (`PublishAsOrg`); community staff claim for their community
//! (`RunCommunityMarket`) and organizations for themselves (`PublishAsOrg`). A claim takes
//! from `remaining` with one conditional update, so parallel claims never take more than
//! there is, and `remaining` always equals the quantity less the claims.
#[cfg(feature = "ssr")]
use super::store;
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::Role,
    db::Db,
    error::{Conflict, Invalid},
    policy::Action,
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// Resources `filter` (over `r`, binding `params` from $1) selects, newest first, with their claims.
#[cfg(feature = "ssr")]
pub async fn resources_where(db: &Db, filter: &str, params: &[i64]) -> Result<Vec<ResourceView>, sqlx::Error> {
    let sql = format!(
        "SELECT r.id, r.org_id, o.name AS org_name, r.kind, r.title, r.unit, r.quantity, r.remaining, r.description
           FROM charity_resource r JOIN organization o ON o.id = r.org_id WHERE {filter} ORDER BY r.id DESC LIMIT 200"
    );
    let mut q = sqlx::query(&sql);
    for p in params {
        q = q.bind(*p);
    }
    let mut out = Vec::new();
    for r in q.fetch_all(db.read()).await? {
        let id: i64 = r.try_get("id")?;
        let claims = sqlx::query(
            "SELECT k.quantity, k.purpose, k.at, COALESCE(c.name, o.name) AS claimant FROM charity_claim k
               LEFT JOIN community c ON c.id = k.community_id LEFT JOIN organization o ON o.id = k.org_id
              WHERE k.resource_id = $1 ORDER BY k.id",
        )
        .bind(id)
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|k| {
            Ok(ClaimView {
                quantity: k.try_get("quantity")?,
                purpose: k.try_get("purpose")?,
                claimant: k.try_get::<Option<String>, _>("claimant")?.unwrap_or_default(),
                at: k.try_get("at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        out.push(ResourceView {
            id,
            org_id: r.try_get("org_id")?,
            org: r.try_get("org_name")?,
            kind: ResourceKind::from_code(&r.try_get::<String, _>("kind")?).unwrap_or(ResourceKind::Goods),
            title: r.try_get("title")?,
            unit: r.try_get("unit")?,
            quantity: r.try_get("quantity")?,
            remaining: r.try_get("remaining")?,
            description: r.try_get("description")?,
            claims,
        });
    }
    Ok(out)
}

/// Every resource with its claims, and what the viewer may offer and claim as.
#[server(endpoint = "charity_board")]
pub async fn charity_board() -> Result<CharityView, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let mut offer_as = Vec::new();
    for org in store::scoped(caller.as_ref(), Role::OrgAdmin) {
        if let Some(r) = sqlx::query("SELECT name FROM organization WHERE id = $1 AND status = 'verified'")
            .bind(org)
            .fetch_optional(state.db.read())
            .await?
        {
            offer_as.push((org, r.try_get::<String, _>("name")?));
        }
    }
    let mut claim_as: Vec<(String, String)> = store::communities(state.db.read(), Some(&store::scoped(caller.as_ref(), Role::CommunityStaff)))
        .await?
        .into_iter()
        .map(|c| (format!("community:{}", c.id), c.name))
        .collect();
    claim_as.extend(offer_as.iter().map(|(id, name)| (format!("org:{id}"), name.clone())));
    Ok(CharityView { resources: resources_where(&state.db, "1 = 1", &[]).await?, offer_as, claim_as })
}

/// Offers a resource for an organization. Returns its id.
#[server(endpoint = "offer_resource")]
pub async fn offer_resource(
    org_id: i64,
    kind: String,
    title: String,
    unit: String,
    quantity: i64,
    description: String,
) -> Result<i64, AppError> {
    let state = state()?;
    let (_, verified) = store::org_standing(&state.db, org_id).await?;
    let caller = authorized(Action::PublishAsOrg { org_id, verified }).await?;
    let kind = ResourceKind::parse(&kind)?;
    let title = crate::hall::parse_title(&title)?;
    let unit = crate::hall::parse_text(&unit, 1, 10, false, Invalid::Text)?;
    if !(1..=10_000_000).contains(&quantity) {
        return Err(AppError::Invalid(Invalid::Quantity));
    }
    let description = parse_description(&description)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO charity_resource (org_id, kind, title, unit, quantity, remaining, description, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org_id)
    .bind(kind.code())
    .bind(&title)
    .bind(&unit)
    .bind(quantity)
    .bind(&description)
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

/// Claims `quantity` of a resource for a purpose, as `claimant` (`community:ID` or `org:ID`).
/// Refused when less is left; the claim and the remainder change together.
#[server(endpoint = "claim_resource")]
pub async fn claim_resource(id: i64, claimant: String, quantity: i64, purpose: String) -> Result<(), AppError> {
    let state = state()?;
    let (community_id, org_id) = match claimant.split_once(':').map(|(k, v)| (k, v.parse::<i64>())) {
        Some(("community", Ok(c))) => (Some(c), None),
        Some(("org", Ok(o))) => (None, Some(o)),
        _ => return Err(AppError::Invalid(Invalid::Claimant)),
    };
    let caller = match (community_id, org_id) {
        (Some(c), _) => authorized(Action::RunCommunityMarket { community_id: c }).await?,
        (_, Some(o)) => {
            let (_, verified) = store::org_standing(&state.db, o).await?;
            authorized(Action::PublishAsOrg { org_id: o, verified }).await?
        }
        _ => unreachable!("one of the two is set above"),
    };
    if !(1..=10_000_000).contains(&quantity) {
        return Err(AppError::Invalid(Invalid::Quantity));
    }
    let purpose = crate::hall::parse_reason(&purpose)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let taken = sqlx::query("UPDATE charity_resource SET remaining = remaining - $1 WHERE id = $2 AND remaining >= $1")
        .bind(quantity)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if taken == 0 {
        let exists = sqlx::query("SELECT id FROM charity_resource WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?.is_some();
        return Err(if exists { AppError::Conflict(Conflict::NotEnough) } else { AppError::NotFound });
    }
    sqlx::query(
        "INSERT INTO charity_claim (resource_id, quantity, purpose, community_id, org_id, claimed_by, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(quantity)
    .bind(&purpose)
    .bind(community_id)
    .bind(org_id)
    .bind(caller.account_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

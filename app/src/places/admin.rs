//! Creating and editing places. Policy: `Action::ManagePlaces` (admins); every change is
//! audited. Parents must exist and names are unique among their siblings (the schema's UNIQUE
//! constraints decide under concurrency; a clash is a clear "already exists").
#[cfg(feature = "ssr")]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::Invalid,
    policy::Action,
    request::{authorized, state},
};

/// Runs an INSERT/UPDATE of a place in a write transaction with its audit entry; maps a
/// uniqueness clash to `Duplicate` and a missing parent (foreign key) to `Parent`.
#[cfg(feature = "ssr")]
async fn write_place(
    action: &'static str,
    kind: &'static str,
    sql: &'static str,
    binds: Vec<Bind>,
    audit: serde_json::Value,
) -> Result<i64, AppError> {
    use sqlx::Row;
    let admin = authorized(Action::ManagePlaces).await?;
    let state = state()?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let mut q = sqlx::query(sql);
    for b in binds {
        q = match b {
            Bind::Int(i) => q.bind(i),
            Bind::OptInt(i) => q.bind(i),
            Bind::Text(t) => q.bind(t),
        };
    }
    let id: i64 = match q.fetch_optional(&mut *tx).await {
        Ok(Some(row)) => row.try_get("id")?,
        Ok(None) => return Err(AppError::NotFound),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(AppError::Invalid(Invalid::Duplicate)),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => return Err(AppError::Invalid(Invalid::Parent)),
        Err(e) => return Err(e.into()),
    };
    crate::audit::record(&mut tx, admin.account_id, action, (kind, id), None, Some(audit), now).await?;
    tx.commit().await?;
    state.places_changed();
    Ok(id)
}

#[cfg(feature = "ssr")]
enum Bind {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
}

#[cfg(feature = "ssr")]
fn parse_threshold(t: i64) -> Result<i64, AppError> {
    if (1..=10_000).contains(&t) { Ok(t) } else { Err(AppError::Invalid(Invalid::Threshold)) }
}

#[server(endpoint = "create_street")]
pub async fn create_street(name: String, name_en: String) -> Result<i64, AppError> {
    authorized(Action::ManagePlaces).await?;
    let (name, name_en) = (parse_place_name(&name)?, parse_place_name(&name_en)?);
    write_place(
        "create_street",
        "street",
        "INSERT INTO street (district_id, name, name_en) SELECT MIN(id), $1, $2 FROM district RETURNING id",
        vec![Bind::Text(name.clone()), Bind::Text(name_en)],
        serde_json::json!({ "name": name }),
    )
    .await
}

/// A community's editable fields, parsed.
#[cfg(feature = "ssr")]
struct CommunityFields {
    name: String,
    name_en: String,
    kind: CommunityKind,
    threshold: i64,
}

#[cfg(feature = "ssr")]
impl CommunityFields {
    fn parse(name: &str, name_en: &str, kind: &str, support_threshold: i64) -> Result<Self, AppError> {
        Ok(CommunityFields {
            name: parse_place_name(name)?,
            name_en: parse_place_name(name_en)?,
            kind: CommunityKind::from_code(kind).ok_or(AppError::Invalid(Invalid::PlaceKind))?,
            threshold: parse_threshold(support_threshold)?,
        })
    }
}

#[server(endpoint = "create_community")]
pub async fn create_community(
    street_id: i64,
    name: String,
    name_en: String,
    kind: String,
    support_threshold: i64,
) -> Result<i64, AppError> {
    // Who calls comes first: a refused caller learns nothing of what was wrong with the rest.
    authorized(Action::ManagePlaces).await?;
    let CommunityFields { name, name_en, kind, threshold } =
        CommunityFields::parse(&name, &name_en, &kind, support_threshold)?;
    write_place(
        "create_community",
        "community",
        "INSERT INTO community (street_id, name, name_en, kind, support_threshold) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        vec![Bind::Int(street_id), Bind::Text(name.clone()), Bind::Text(name_en), Bind::Text(kind.code().into()), Bind::Int(threshold)],
        serde_json::json!({ "street_id": street_id, "name": name, "kind": kind.code(), "support_threshold": threshold }),
    )
    .await
}

/// Edits a community's names, type and support threshold.
#[server(endpoint = "update_community")]
pub async fn update_community(
    id: i64,
    name: String,
    name_en: String,
    kind: String,
    support_threshold: i64,
) -> Result<i64, AppError> {
    // Who calls comes first: a refused caller learns nothing of what was wrong with the rest.
    authorized(Action::ManagePlaces).await?;
    let CommunityFields { name, name_en, kind, threshold } =
        CommunityFields::parse(&name, &name_en, &kind, support_threshold)?;
    write_place(
        "update_community",
        "community",
        "UPDATE community SET name = $1, name_en = $2, kind = $3, support_threshold = $4 WHERE id = $5 RETURNING id",
        vec![Bind::Text(name.clone()), Bind::Text(name_en), Bind::Text(kind.code().into()), Bind::Int(threshold), Bind::Int(id)],
        serde_json::json!({ "name": name, "kind": kind.code(), "support_threshold": threshold }),
    )
    .await
}

#[server(endpoint = "create_grid")]
pub async fn create_grid(community_id: i64, name: String) -> Result<i64, AppError> {
    authorized(Action::ManagePlaces).await?;
    let name = parse_place_name(&name)?;
    write_place(
        "create_grid",
        "grid",
        "INSERT INTO grid (community_id, name) VALUES ($1, $2) RETURNING id",
        vec![Bind::Int(community_id), Bind::Text(name.clone())],
        serde_json::json!({ "community_id": community_id, "name": name }),
    )
    .await
}

#[server(endpoint = "create_estate")]
pub async fn create_estate(community_id: i64, name: String, property_kind: String) -> Result<i64, AppError> {
    authorized(Action::ManagePlaces).await?;
    let name = parse_place_name(&name)?;
    if !PROPERTY_KINDS.contains(&property_kind.as_str()) {
        return Err(AppError::Invalid(Invalid::PlaceKind));
    }
    write_place(
        "create_estate",
        "estate",
        "INSERT INTO estate (community_id, name, property_kind) VALUES ($1, $2, $3) RETURNING id",
        vec![Bind::Int(community_id), Bind::Text(name.clone()), Bind::Text(property_kind.clone())],
        serde_json::json!({ "community_id": community_id, "name": name, "property_kind": property_kind }),
    )
    .await
}

/// A building in a grid, optionally part of an estate of the same community.
#[server(endpoint = "create_building")]
pub async fn create_building(grid_id: i64, estate_id: Option<i64>, name: String) -> Result<i64, AppError> {
    authorized(Action::ManagePlaces).await?;
    let name = parse_place_name(&name)?;
    // The estate must lie in the grid's community: checked in the INSERT's SELECT, so a
    // mismatch inserts nothing (answered as a bad parent).
    let id = write_place(
        "create_building",
        "building",
        "INSERT INTO building (grid_id, estate_id, name)
         SELECT g.id, $2, $3 FROM grid g
          WHERE g.id = $1
            AND ($2 IS NULL OR EXISTS (SELECT 1 FROM estate e WHERE e.id = $2 AND e.community_id = g.community_id))
         RETURNING id",
        vec![Bind::Int(grid_id), Bind::OptInt(estate_id.filter(|&e| e > 0)), Bind::Text(name.clone())],
        serde_json::json!({ "grid_id": grid_id, "estate_id": estate_id, "name": name }),
    )
    .await;
    match id {
        Err(AppError::NotFound) => Err(AppError::Invalid(Invalid::Parent)),
        other => other,
    }
}

/// A community's grids and estates with their buildings, for the admin page.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlaceRow {
    /// "street", "grid", "estate" or "building".
    pub level: String,
    pub id: i64,
    pub name: String,
    /// Where it lies (for buildings: its grid).
    pub within: String,
}

/// The grids, estates and buildings of one community.
#[server(endpoint = "community_places")]
pub async fn community_places(community_id: i64) -> Result<Vec<PlaceRow>, AppError> {
    use sqlx::Row;
    authorized(Action::ManagePlaces).await?;
    let state = state()?;
    let rows = sqlx::query(
        "SELECT 'grid' AS level, g.id, g.name, '' AS within, 1 AS k FROM grid g WHERE g.community_id = $1
         UNION ALL
         SELECT 'estate', e.id, e.name, e.property_kind, 2 FROM estate e WHERE e.community_id = $1
         UNION ALL
         SELECT 'building', b.id, b.name, g.name, 3 FROM building b JOIN grid g ON g.id = b.grid_id
          WHERE g.community_id = $1
         ORDER BY 5, 2",
    )
    .bind(community_id)
    .fetch_all(state.db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PlaceRow {
                level: r.try_get("level")?,
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                within: r.try_get("within")?,
            })
        })
        .collect()
}

/// Renames a street, grid, estate or building (communities have `update_community`).
#[server(endpoint = "rename_place")]
pub async fn rename_place(level: String, id: i64, name: String) -> Result<i64, AppError> {
    authorized(Action::ManagePlaces).await?;
    let name = parse_place_name(&name)?;
    // The table comes from this fixed list, never from the request text itself.
    let sql = match level.as_str() {
        "street" => "UPDATE street SET name = $1 WHERE id = $2 RETURNING id",
        "grid" => "UPDATE grid SET name = $1 WHERE id = $2 RETURNING id",
        "estate" => "UPDATE estate SET name = $1 WHERE id = $2 RETURNING id",
        "building" => "UPDATE building SET name = $1 WHERE id = $2 RETURNING id",
        _ => return Err(AppError::Invalid(Invalid::PlaceKind)),
    };
    let kind = match level.as_str() {
        "street" => "street",
        "grid" => "grid",
        "estate" => "estate",
        _ => "building",
    };
    write_place("rename_place", kind, sql, vec![Bind::Text(name.clone()), Bind::Int(id)], serde_json::json!({ "name": name })).await
}

/// Every estate as `(id, "community · estate")`, for the add-building form.
#[server(endpoint = "estate_options")]
pub async fn estate_options() -> Result<Vec<(i64, String)>, AppError> {
    use sqlx::Row;
    authorized(Action::ManagePlaces).await?;
    let state = state()?;
    let rows = sqlx::query(
        "SELECT e.id, c.name || ' · ' || e.name AS label FROM estate e JOIN community c ON c.id = e.community_id
          ORDER BY c.id, e.id",
    )
    .fetch_all(state.db.read())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("label")?))).collect()
}

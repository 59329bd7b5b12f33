//! Server functions reading places.
use super::*;
use leptos::prelude::*;

/// Every street of the district with its communities and their grid and building counts.
#[server(endpoint = "list_streets")]
pub async fn list_streets() -> Result<Vec<StreetSummary>, crate::error::AppError> {
    let state = crate::request::state()?;
    let streets = state.streets().await?;
    Ok(streets.as_ref().clone())
}

#[cfg(feature = "ssr")]
pub mod store {
    //! Queries over the places tables.
    use super::*;
    use sqlx::Row;

    /// The streets overview (kept in `AppState::streets`), read through `executor`.
    pub async fn streets_on<'c>(executor: impl sqlx::Executor<'c, Database = sqlx::Any>) -> Result<Vec<StreetSummary>, sqlx::Error> {
        // One query for all communities with their counts; grouped into streets in Rust.
        // Correlated sub-selects keep the counts independent (no join fan-out).
        let rows = sqlx::query(
            "SELECT s.id AS street_id, s.name AS street_name, s.name_en AS street_name_en,
                    c.id, c.name, c.name_en, c.kind, c.support_threshold,
                    (SELECT COUNT(*) FROM grid g WHERE g.community_id = c.id) AS grids,
                    (SELECT COUNT(*) FROM building b JOIN grid g ON g.id = b.grid_id
                      WHERE g.community_id = c.id) AS buildings
               FROM street s
               LEFT JOIN community c ON c.street_id = s.id
              ORDER BY s.id, c.id",
        )
        .fetch_all(executor)
        .await?;

        let mut streets: Vec<StreetSummary> = Vec::new();
        for row in rows {
            let street_id: i64 = row.try_get("street_id")?;
            if streets.last().map(|s| s.id) != Some(street_id) {
                streets.push(StreetSummary {
                    id: street_id,
                    name: row.try_get("street_name")?,
                    name_en: row.try_get("street_name_en")?,
                    communities: Vec::new(),
                });
            }
            let id: Option<i64> = row.try_get("id")?;
            if let Some(id) = id {
                let kind: String = row.try_get("kind")?;
                streets.last_mut().expect("pushed above").communities.push(CommunitySummary {
                    id,
                    name: row.try_get("name")?,
                    name_en: row.try_get("name_en")?,
                    kind: CommunityKind::from_code(&kind)
                        .ok_or_else(|| sqlx::Error::Decode(format!("community kind {kind}").into()))?,
                    support_threshold: row.try_get("support_threshold")?,
                    grids: row.try_get("grids")?,
                    buildings: row.try_get("buildings")?,
                });
            }
        }
        Ok(streets)
    }
}

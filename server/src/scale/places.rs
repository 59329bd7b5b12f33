//! Places: new communities on the demo's streets until the preset's count, grids and buildings
//! spread over them until theirs, each grid with an estate and a few single buildings.
use super::rows::Rows;
use super::{text, Community, Gen};
use sqlx::Row;

/// Adds places and returns every community (the demo's and the new), weighted: the first
/// (观音井) is the largest, and shares fall off by rank.
pub async fn extend(g: &mut Gen<'_>) -> Result<Vec<Community>, sqlx::Error> {
    g.phase("places");
    let p = g.preset;
    let streets: Vec<i64> = sqlx::query("SELECT id FROM street ORDER BY id")
        .fetch_all(&mut **g.sink.tx().await?)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let existing: Vec<(i64, i64, String)> = sqlx::query("SELECT id, street_id, name FROM community ORDER BY id")
        .fetch_all(&mut **g.sink.tx().await?)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("street_id")?, r.try_get("name")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let mut communities: Vec<Community> =
        existing.into_iter().map(|(id, street_id, name)| Community { id, street_id, name, ..Community::default() }).collect();

    // New communities, round the streets.
    let mut next = g.next_id("community").await?;
    let mut rows = Rows::new("community (id, street_id, name, name_en, kind)");
    let new = (p.communities - communities.len() as i64).max(0) as usize;
    for i in 0..new {
        let (name, name_en) = text::COMMUNITIES[i % text::COMMUNITIES.len()];
        let round = i / text::COMMUNITIES.len();
        let (name, name_en) = if round == 0 { (name.to_string(), name_en.to_string()) } else { (format!("{name}{}", round + 1), format!("{name_en} {}", round + 1)) };
        let street_id = streets[i % streets.len()];
        rows.push(&mut g.sink, [next.into(), street_id.into(), name.clone().into(), name_en.into(), text::KINDS[i % 5].into()]).await?;
        communities.push(Community { id: next, street_id, name, ..Community::default() });
        next += 1;
    }
    rows.flush(&mut g.sink).await?;

    // Weights: 观音井 (the demo's first) leads; the rest fall off by a shuffled rank.
    let n = communities.len();
    let mut ranks: Vec<usize> = (1..n).collect();
    for i in (1..ranks.len()).rev() {
        let j = g.rng.below(i as u64 + 1) as usize;
        ranks.swap(i, j);
    }
    for (i, c) in communities.iter_mut().enumerate() {
        let rank = if i == 0 { 0 } else { ranks[i - 1] };
        c.weight = 1.0 / ((rank + 1) as f64).powf(0.7);
    }

    // Grids and buildings already there.
    let known: Vec<(i64, i64, i64)> = sqlx::query(
        "SELECT g.community_id, g.id AS grid, b.id AS building FROM grid g JOIN building b ON b.grid_id = g.id ORDER BY b.id",
    )
    .fetch_all(&mut **g.sink.tx().await?)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("community_id")?, r.try_get("grid")?, r.try_get("building")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let grids_now: i64 = sqlx::query("SELECT COUNT(*) AS n FROM grid").fetch_one(&mut **g.sink.tx().await?).await?.try_get("n")?;
    for (community, grid, building) in known {
        if let Some(c) = communities.iter_mut().find(|c| c.id == community) {
            c.buildings.push((building, grid));
        }
    }
    let buildings_now = communities.iter().map(|c| c.buildings.len() as i64).sum::<i64>();

    // New grids go to the communities that have none yet, in proportion to their weight.
    let new_grids = (p.grids - grids_now).max(0);
    let new_buildings = (p.buildings - buildings_now).max(0);
    let bare: Vec<usize> = (0..n).filter(|&i| communities[i].buildings.is_empty()).collect();
    if bare.is_empty() || new_grids == 0 {
        return Ok(communities);
    }
    let total_weight: f64 = bare.iter().map(|&i| communities[i].weight).sum();
    let mut grid_counts: Vec<i64> = bare.iter().map(|&i| ((new_grids as f64 * communities[i].weight / total_weight) as i64).max(1)).collect();
    let mut short = new_grids - grid_counts.iter().sum::<i64>();
    for k in 0.. {
        if short <= 0 {
            break;
        }
        grid_counts[k % bare.len()] += 1;
        short -= 1;
    }
    let per_grid = (new_buildings / new_grids.max(1)).max(2);
    let mut extra = new_buildings - per_grid * new_grids;

    // Grids with their estates first, then their buildings (rows reference written rows).
    let (first_grid, first_estate, mut building_id) = (g.next_id("grid").await?, g.next_id("estate").await?, g.next_id("building").await?);
    let mut grids = Rows::new("grid (id, community_id, name)");
    let mut estates = Rows::new("estate (id, community_id, name, property_kind)");
    let mut plan = Vec::new();
    let mut grid_id = first_grid;
    for (k, &i) in bare.iter().enumerate() {
        let community = communities[i].id;
        for gno in 1..=grid_counts[k] {
            let estate_id = first_estate + (grid_id - first_grid);
            grids.push(&mut g.sink, [grid_id.into(), community.into(), format!("第{gno}网格").into()]).await?;
            let (estate, kind) = *g.rng.pick(&text::ESTATES);
            estates.push(&mut g.sink, [estate_id.into(), community.into(), format!("{estate}{gno}期").into(), kind.into()]).await?;
            plan.push((i, gno, grid_id, estate_id));
            grid_id += 1;
        }
    }
    grids.flush(&mut g.sink).await?;
    estates.flush(&mut g.sink).await?;
    let mut buildings = Rows::new("building (id, grid_id, estate_id, name)");
    for (i, gno, grid_id, estate_id) in plan {
        let here = per_grid + i64::from(extra > 0);
        extra -= 1;
        for b in 1..=here {
            // One building in four stands alone, outside any estate (the study's 400+).
            let (in_estate, name) = if b % 4 == 0 { (None, format!("临街{gno}-{b}号楼")) } else { (Some(estate_id), format!("{gno}-{b}栋")) };
            buildings.push(&mut g.sink, [building_id.into(), grid_id.into(), in_estate.into(), name.into()]).await?;
            communities[i].buildings.push((building_id, grid_id));
            building_id += 1;
        }
    }
    buildings.flush(&mut g.sink).await?;
    Ok(communities)
}

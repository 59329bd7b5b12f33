//! People: a staff member for every community and a grid worker for every grid that has none
//! (the study's one full-time grid worker per grid), then the residents, community by
//! community, with a declared home and, for most, its verification.
use super::rows::{Rows, V};
use super::{text, Community, Gen, DAY, YEAR};
use sqlx::Row;

const STAFF_PHONES: i64 = 139_1000_0000;
const GRID_WORKER_PHONES: i64 = 139_2000_0000;
const RESIDENT_PHONES: i64 = 150_0000_0000;

/// Share of residents whose home staff or a grid worker confirmed.
const VERIFIED_PERCENT: i64 = 92;

/// A resident's year of birth, from their id: about 28% are 60 or older, as in the study's
/// ageing old town.
pub fn birth_year(account_id: i64) -> i64 {
    let h = (account_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    if h % 100 < 28 { 1935 + (h / 100 % 32) as i64 } else { 1967 + (h / 100 % 42) as i64 }
}

fn accounts() -> Rows {
    Rows::new(
        "account (id, phone, display_name, password_hash, consented_at, created_at, community_id, grid_id, building_id, verified_at, verified_by, birth_year)",
    )
}

fn grants() -> Rows {
    Rows::new("role_grant (account_id, role, scope_kind, scope_id, granted_at)")
}

/// Staff for communities without, grid workers for grids without.
pub async fn staff(g: &mut Gen<'_>, communities: &mut [Community]) -> Result<(), sqlx::Error> {
    g.phase("staff and grid workers");
    let staffed: Vec<(i64, i64)> = sqlx::query(
        "SELECT scope_id, MIN(account_id) AS a FROM role_grant WHERE role = 'community_staff' AND scope_kind = 'community' GROUP BY scope_id",
    )
    .fetch_all(&mut **g.sink.tx().await?)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("scope_id")?, r.try_get("a")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let covered: Vec<i64> = sqlx::query("SELECT DISTINCT scope_id FROM role_grant WHERE role = 'grid_worker' AND scope_kind = 'grid'")
        .fetch_all(&mut **g.sink.tx().await?)
        .await?
        .iter()
        .map(|r| r.try_get("scope_id"))
        .collect::<Result<_, _>>()?;
    let mut id = g.next_id("account").await?;
    let (mut rows, mut roles, mut planned) = (accounts(), grants(), Vec::new());
    let then = g.now - 3 * YEAR;
    for (n, c) in communities.iter_mut().enumerate() {
        if let Some((_, a)) = staffed.iter().find(|(s, _)| *s == c.id) {
            c.staff = *a;
            continue;
        }
        let name = format!("{}书记", text::person(&mut g.rng).chars().next().unwrap_or('王'));
        rows.push(&mut g.sink, staff_row(id, STAFF_PHONES + n as i64, name, &g.hash, then)).await?;
        planned.push([id.into(), V::S("community_staff"), V::S("community"), c.id.into(), then.into()]);
        c.staff = id;
        id += 1;
    }
    let mut grids: Vec<i64> = communities.iter().flat_map(|c| c.buildings.iter().map(|(_, grid)| *grid)).collect();
    grids.sort_unstable();
    grids.dedup();
    for (n, grid) in grids.into_iter().filter(|g| !covered.contains(g)).enumerate() {
        let name = format!("{}网格员", text::person(&mut g.rng));
        rows.push(&mut g.sink, staff_row(id, GRID_WORKER_PHONES + n as i64, name, &g.hash, then)).await?;
        planned.push([id.into(), V::S("grid_worker"), V::S("grid"), grid.into(), then.into()]);
        id += 1;
    }
    rows.flush(&mut g.sink).await?;
    for grant in planned {
        roles.push(&mut g.sink, grant).await?;
    }
    roles.flush(&mut g.sink).await
}

fn staff_row(id: i64, phone: i64, name: String, hash: &str, at: i64) -> [V; 12] {
    [
        id.into(), phone.to_string().into(), name.into(), hash.to_string().into(), at.into(), at.into(),
        V::NoInt, V::NoInt, V::NoInt, V::NoInt, V::NoInt, V::NoInt,
    ]
}

/// Residents up to the preset's count of accounts, shared out by the communities' weights.
pub async fn residents(g: &mut Gen<'_>, communities: &mut [Community]) -> Result<(), sqlx::Error> {
    g.phase("residents");
    let have: i64 = sqlx::query("SELECT COUNT(*) AS n FROM account").fetch_one(&mut **g.sink.tx().await?).await?.try_get("n")?;
    let to_make = (g.preset.residents - have).max(0);
    let total_weight: f64 = communities.iter().map(|c| c.weight).sum();
    let mut id = g.next_id("account").await?;
    let mut phone = RESIDENT_PHONES;
    let mut rows = accounts();
    for c in communities.iter_mut() {
        let n = ((to_make as f64 * c.weight / total_weight) as i64).max(1);
        c.first_resident = id;
        c.residents = n;
        c.verified = (n * VERIFIED_PERCENT / 100).max(1);
        for k in 0..n {
            let (building, grid) = c.buildings[g.rng.below(c.buildings.len() as u64) as usize];
            let created = g.now - g.rng.between(30, 5 * 365) * DAY;
            let verified = k < c.verified;
            rows.push(
                &mut g.sink,
                [
                    id.into(),
                    phone.to_string().into(),
                    text::person(&mut g.rng).into(),
                    g.hash.clone().into(),
                    created.into(),
                    created.into(),
                    c.id.into(),
                    grid.into(),
                    building.into(),
                    verified.then_some(created + 2 * DAY).into(),
                    verified.then_some(c.staff).into(),
                    birth_year(id).into(),
                ],
            )
            .await?;
            id += 1;
            phone += 1;
        }
    }
    rows.flush(&mut g.sink).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn about_a_quarter_are_sixty_or_older() {
        let old = (1..=10_000).filter(|id| super::birth_year(*id) <= 1966).count();
        assert!((2_300..3_300).contains(&old), "{old}");
        assert!((1..=10_000).all(|id| (1935..=2008).contains(&super::birth_year(id))));
    }
}

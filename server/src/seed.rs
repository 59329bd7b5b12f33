//! `linli seed-demo`: a realistic slice of the district in the study (巴州区), for a new user to
//! see the portal working at once. Loads only into an empty database.
use app::accounts::{password, store, DisplayName, Phone, Role, RoleGrant, Scope};
use app::db::Db;
use sqlx::Row;
use std::fmt;

/// (street, street in English, [(community, in English, type)])
const STREETS: &[(&str, &str, &[(&str, &str, &str)])] = &[
    ("东城街道", "Dongcheng Subdistrict", &[
        ("观音井社区", "Guanyinjing", "old_courtyard"),
        ("红碑路社区", "Hongbeilu", "business"),
    ]),
    ("回风街道", "Huifeng Subdistrict", &[
        ("回风亭社区", "Huifengting", "residential"),
        ("南池社区", "Nanchi", "work_unit"),
    ]),
    ("江北街道", "Jiangbei Subdistrict", &[
        ("中坝社区", "Zhongba", "residential"),
        ("滨河社区", "Binhe", "business"),
    ]),
    ("西城街道", "Xicheng Subdistrict", &[
        ("莲花池社区", "Lianhuachi", "old_courtyard"),
        ("巴师社区", "Bashi", "work_unit"),
    ]),
    ("宕梁街道", "Dangliang Subdistrict", &[("宕梁社区", "Dangliang", "urban_rural")]),
    ("时新街道", "Shixin Subdistrict", &[("兴文社区", "Xingwen", "urban_rural")]),
];

/// Estates by property-management kind, in roughly the study's shares
/// (品牌物业 26%, 前置物业 46%, 业委会自管 13%, 失管 15%).
const ESTATES: &[(&str, &str)] = &[
    ("锦绣花园", "brand"),
    ("滨江华府", "developer"),
    ("书香苑", "developer"),
    ("老粮站院落", "owners_committee"),
    ("红旗巷院落", "none"),
];

#[derive(Debug, Default)]
pub struct Report {
    pub loaded: bool,
    pub streets: i64,
    pub communities: i64,
    pub grids: i64,
    pub estates: i64,
    pub buildings: i64,
    pub accounts: Vec<(String, String, &'static str)>,
}

/// The password of every demo account (demo data only; listed in the README).
pub const DEMO_PASSWORD: &str = "linli-demo-2026";

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.loaded {
            return write!(f, "demo data not loaded: the database already has a district");
        }
        write!(
            f,
            "demo data loaded: 1 district, {} streets, {} communities, {} grids, {} estates, {} buildings",
            self.streets, self.communities, self.grids, self.estates, self.buildings
        )?;
        writeln!(f, "\ndemo accounts (password for all: {DEMO_PASSWORD}):")?;
        for (phone, name, role) in &self.accounts {
            writeln!(f, "  {phone}  {name:<12} {role}")?;
        }
        Ok(())
    }
}

/// Loads the demo district in one transaction, so a failure leaves the database empty.
pub async fn demo(db: &Db) -> Result<Report, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM district")
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if existing > 0 {
        return Ok(Report::default());
    }
    let mut report = Report { loaded: true, ..Report::default() };

    let district: i64 = sqlx::query("INSERT INTO district (name, name_en) VALUES ($1, $2) RETURNING id")
        .bind("巴州区")
        .bind("Bazhou District")
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;

    for (street_no, (street, street_en, communities)) in STREETS.iter().enumerate() {
        let street_id: i64 = sqlx::query(
            "INSERT INTO street (district_id, name, name_en) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(district)
        .bind(*street)
        .bind(*street_en)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        report.streets += 1;

        for (community_no, (name, name_en, kind)) in communities.iter().enumerate() {
            let community_id: i64 = sqlx::query(
                "INSERT INTO community (street_id, name, name_en, kind) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(street_id)
            .bind(*name)
            .bind(*name_en)
            .bind(*kind)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            report.communities += 1;

            // Two or three grids per community, each with an estate and single buildings.
            let grids = 2 + (street_no + community_no) % 2;
            for g in 1..=grids {
                let grid_id: i64 = sqlx::query(
                    "INSERT INTO grid (community_id, name) VALUES ($1, $2) RETURNING id",
                )
                .bind(community_id)
                .bind(format!("第{}网格", ["一", "二", "三"][g - 1]))
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                report.grids += 1;

                let (estate, property_kind) = ESTATES[(report.grids as usize) % ESTATES.len()];
                let estate_id: i64 = sqlx::query(
                    "INSERT INTO estate (community_id, name, property_kind) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(community_id)
                .bind(format!("{estate}{}", if g > 1 { format!("{g}期") } else { String::new() }))
                .bind(property_kind)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
                report.estates += 1;

                for b in 1..=4 {
                    // The last building of each grid stands alone, outside any estate.
                    let in_estate = (b < 4).then_some(estate_id);
                    sqlx::query("INSERT INTO building (grid_id, estate_id, name) VALUES ($1, $2, $3)")
                        .bind(grid_id)
                        .bind(in_estate)
                        .bind(if b < 4 { format!("{b}栋") } else { format!("临街{g}号楼") })
                        .execute(&mut *tx)
                        .await?;
                    report.buildings += 1;
                }
            }
        }
    }
    crate::seed_appeals::departments(&mut tx).await?;
    let ids = demo_accounts(&mut tx, &mut report).await?;
    crate::seed_hall::load(&mut tx, &ids).await?;
    crate::seed_market::load(&mut tx, &ids).await?;
    crate::seed_menu::load(&mut tx, &ids).await?;
    tx.commit().await?;
    // Appeals go through the server's own functions, which take their own transactions.
    crate::seed_appeals::load(db, ids.now).await.map_err(|e| sqlx::Error::Protocol(format!("demo appeals: {e}")))?;
    Ok(report)
}

/// One account per role, scoped to 观音井社区 and its street where the role has a place.
async fn demo_accounts(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    report: &mut Report,
) -> Result<crate::seed_hall::Ids, sqlx::Error> {
    // 观音井社区, its street, its first grid and that grid's first building.
    let home = sqlx::query(
        "SELECT c.id AS community, c.street_id AS street, g.id AS grid,
                (SELECT MIN(b.id) FROM building b WHERE b.grid_id = g.id) AS building
           FROM community c JOIN grid g ON g.community_id = c.id
          WHERE c.name = '观音井社区'
          ORDER BY g.id LIMIT 1",
    )
    .fetch_one(&mut **tx)
    .await?;
    let (community, street, grid, building): (i64, i64, i64, i64) = (
        home.try_get("community")?,
        home.try_get("street")?,
        home.try_get("grid")?,
        home.try_get("building")?,
    );

    // All demo accounts share one password, so hash it once.
    let hash = password::hash(DEMO_PASSWORD.to_string())
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let now = app::clock::Clock::system().now_ms();
    let accounts: [(&str, &str, Role, Option<Scope>); 9] = [
        ("13900000001", "区管理员", Role::Admin, None),
        ("13900000002", "张书记", Role::CommunityStaff, Some(Scope::Community(community))),
        ("13900000003", "李网格员", Role::GridWorker, Some(Scope::Grid(grid))),
        ("13900000004", "王主任", Role::StreetOfficer, Some(Scope::Street(street))),
        ("13900000005", "住建局刘科长", Role::DeptHandler, Some(Scope::Department(1))),
        ("13900000006", "夕阳红服务社", Role::OrgAdmin, Some(Scope::Organization(1))),
        ("13900000007", "赵社工", Role::SocialWorker, Some(Scope::Community(community))),
        ("13900000008", "周志愿者", Role::Volunteer, None),
        ("13900000009", "陈阿姨", Role::Resident, None),
    ];
    let mut grid_worker = None;
    let (mut staff, mut resident) = (0, 0);
    for (phone, name, role, scope) in accounts {
        let phone_v = Phone::parse(phone).expect("demo phone");
        let name_v = DisplayName::parse(name).expect("demo name");
        let id = store::insert(tx, &phone_v, &name_v, &hash, now)
            .await?
            .expect("demo phones are new in an empty database");
        if role != Role::Resident {
            store::grant(tx, id, RoleGrant { role, scope }, None, now).await?;
        }
        match role {
            Role::GridWorker => grid_worker = Some(id),
            Role::CommunityStaff => staff = id,
            Role::Resident => resident = id,
            _ => {}
        }
        // The demo resident (and the volunteer) live in 观音井, verified by the grid worker —
        // recorded as a real verification would be: audit log and inbox.
        if let (Role::Resident | Role::Volunteer, Some(verifier)) = (role, grid_worker) {
            sqlx::query(
                "UPDATE account SET community_id = $1, grid_id = $2, building_id = $3, verified_at = $4, verified_by = $5
                  WHERE id = $6",
            )
            .bind(community)
            .bind(grid)
            .bind(building)
            .bind(now)
            .bind(verifier)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            let after = serde_json::json!({ "community_id": community, "grid_id": grid });
            app::audit::record(tx, verifier, "verify_resident", ("account", id), None, Some(after), now).await?;
            let event = app::notifications::Event::HomeVerified;
            app::notifications::notify(tx, id, &event, Some("/account"), now).await?;
        }
        report.accounts.push((phone.to_string(), name.to_string(), role.code()));
    }
    Ok(crate::seed_hall::Ids { community, grid, building, staff, resident, hash, now })
}

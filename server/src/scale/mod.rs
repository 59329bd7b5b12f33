//! `linli seed-scale --preset city|small`: a deterministic generator of a whole district at the
//! size of the study's (450,000 residents, 42 communities, 288 grids …) with ten years of
//! activity, for benchmarks and capacity planning. It builds on the demo district (loaded
//! first when the database is empty, so the demo accounts can log in and see the scale) and
//! adds places, people and content until the preset's totals are reached.
//!
//! The same preset and seed give the same rows: every choice comes from one `Lcg`, and times
//! are counted back from midnight UTC of the day it runs. Content is skewed like real
//! participation: a few communities are much larger (观音井 the largest), a few proposals get
//! most votes and comments (one gets exactly `hot_comments`), a tenth of buildings file half
//! the appeals.
//!
//! Rows are written in batched multi-row INSERTs inside large transactions (`rows.rs`);
//! counters (votes, supports, comments, places taken, ratings, hours) are written with the rows
//! they count, so the data is what the server itself would have left.
mod hall;
mod market;
mod menu;
mod people;
mod places;
mod rows;
mod text;

use crate::rng::Lcg;
use app::db::{Db, Engine};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rows::Sink;
use sqlx::Row;
use std::time::{Duration, Instant};

pub const DAY: i64 = 86_400_000;
pub const YEAR: i64 = 365 * DAY;

/// The password every generated account shares (benchmark data only; the hash is computed once).
pub const SCALE_PASSWORD: &str = "linli-scale-2026";

/// How big the district is: totals the generator fills the database up to.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub name: &'static str,
    pub streets: i64,
    pub communities: i64,
    pub grids: i64,
    pub buildings: i64,
    pub residents: i64,
    pub proposals: i64,
    pub votes: i64,
    pub comments: i64,
    /// The comments of the busiest proposal (the benchmark's long thread).
    pub hot_comments: i64,
    pub appeals: i64,
    pub activities: i64,
    pub orders: i64,
}

impl Preset {
    /// The district of the study at full size, with ten years of appeals at its rate.
    pub const CITY: Preset = Preset {
        name: "city",
        streets: 6,
        communities: 42,
        grids: 288,
        buildings: 3_000,
        residents: 450_000,
        proposals: 50_000,
        votes: 2_000_000,
        comments: 500_000,
        hot_comments: 2_000,
        appeals: 127_000,
        activities: 20_000,
        orders: 200_000,
    };

    /// The same shape, about a hundredth of the size: seconds, for tests and CI.
    pub const SMALL: Preset = Preset {
        name: "small",
        streets: 6,
        communities: 14,
        grids: 40,
        buildings: 240,
        residents: 4_000,
        proposals: 600,
        votes: 12_000,
        comments: 4_000,
        hot_comments: 300,
        appeals: 1_500,
        activities: 300,
        orders: 2_000,
    };

    pub fn by_name(name: &str) -> Option<Preset> {
        [Preset::CITY, Preset::SMALL].into_iter().find(|p| p.name == name)
    }
}

/// A community as the generators see it: its places, its people (generated residents have
/// consecutive ids, the verified ones first) and who runs it.
#[derive(Clone, Debug, Default)]
pub struct Community {
    pub id: i64,
    pub street_id: i64,
    pub name: String,
    /// Share of the district's residents and activity.
    pub weight: f64,
    /// (building, its grid)
    pub buildings: Vec<(i64, i64)>,
    pub staff: i64,
    pub first_resident: i64,
    pub verified: i64,
    pub residents: i64,
    pub volunteers: Vec<i64>,
    pub teams: Vec<market::Team>,
    pub orgs: Vec<market::Org>,
}

impl Community {
    /// The `n`th verified resident, wrapping around.
    pub fn resident(&self, n: u64) -> i64 {
        self.first_resident + (n % self.verified.max(1) as u64) as i64
    }
}

/// What a generator needs: where to write, randomness, the time and the shared password hash.
pub struct Gen<'a> {
    pub sink: Sink<'a>,
    pub rng: Lcg,
    pub now: i64,
    pub hash: String,
    pub preset: Preset,
    pub started: Instant,
}

impl Gen<'_> {
    /// The next free id of `table` (generators give ids themselves, to link rows in one pass).
    pub async fn next_id(&mut self, table: &str) -> Result<i64, sqlx::Error> {
        let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM {table}");
        sqlx::query(&sql).fetch_one(&mut **self.sink.tx().await?).await?.try_get("id")
    }

    /// Names the phase on the progress bar; without a terminal (logs, CI), as a line.
    pub fn phase(&self, what: &str) {
        if self.sink.bar.is_hidden() {
            eprintln!("[seed-scale] {:>6.1} s  {:>10} rows  {what}", self.started.elapsed().as_secs_f64(), self.sink.bar.position());
        }
        self.sink.bar.set_message(what.to_string());
    }
}

/// What was generated, and how long it took.
#[derive(Debug)]
pub struct Report {
    pub preset: &'static str,
    pub counts: Vec<(&'static str, i64)>,
    pub elapsed: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "seed-scale {}: done in {:.1} s", self.preset, self.elapsed.as_secs_f64())?;
        for (table, n) in &self.counts {
            writeln!(f, "  {table:<16} {n:>10}")?;
        }
        Ok(())
    }
}

/// The tables the report counts, in the order of the domain.
const COUNTED: [&str; 17] = [
    "street", "community", "grid", "building", "account", "proposal", "vote", "support", "comment", "appeal",
    "appeal_event", "volunteer", "team", "activity", "signup", "hours_credit", "service_order",
];

/// Fills the database up to `preset`. Refuses a database that already holds more proposals
/// than the demo's (it was scaled already, or it is a real one).
pub async fn run(db: &Db, preset: Preset, seed: u64, show_progress: bool) -> anyhow::Result<Report> {
    let started = Instant::now();
    crate::seed::demo(db).await?;
    let proposals: i64 = sqlx::query("SELECT COUNT(*) AS n FROM proposal").fetch_one(db.read()).await?.try_get("n")?;
    anyhow::ensure!(proposals < 100, "the database holds {proposals} proposals already: seed-scale fills a demo database only once");

    let planned = preset.residents + preset.proposals * 3 + preset.votes + preset.comments + preset.activities * 12 + preset.orders * 2;
    let bar = if show_progress { ProgressBar::new(planned as u64) } else { ProgressBar::with_draw_target(Some(planned as u64), ProgressDrawTarget::hidden()) };
    bar.set_style(
        ProgressStyle::with_template("{msg:<24} [{bar:40}] {human_pos}/{human_len} rows  {per_sec}  eta {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let today = app::clock::Clock::system().now_ms().div_euclid(DAY) * DAY;
    let hash = app::accounts::password::hash(SCALE_PASSWORD.to_string()).await.map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let mut g = Gen { sink: Sink::new(db, bar), rng: Lcg(seed), now: today, hash, preset, started };

    let mut communities = places::extend(&mut g).await?;
    people::staff(&mut g, &mut communities).await?;
    people::residents(&mut g, &mut communities).await?;
    hall::generate(&mut g, &communities).await?;
    market::generate(&mut g, &mut communities).await?;
    menu::generate(&mut g, &communities).await?;
    market::total_hours(&mut g).await?;
    g.sink.commit().await?;

    // Ten years of appeals at the study's rate, through the appeals benchmark's generator.
    g.phase("appeals");
    crate::seed_appeals::history(db, preset.appeals, today - 10 * YEAR, today, seed ^ 0xA99EA1)
        .await
        .map_err(|e| anyhow::anyhow!("appeals: {e}"))?;
    g.sink.bar.inc(preset.appeals as u64 * 6);

    g.phase("indexes and statistics");
    finish(db).await?;
    g.sink.bar.finish_and_clear();

    let mut counts = Vec::new();
    for table in COUNTED {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(db.read()).await?.try_get("n")?;
        counts.push((table, n));
    }
    Ok(Report { preset: preset.name, counts, elapsed: started.elapsed() })
}

/// PostgreSQL's identity sequences must move past the ids the generators gave; both engines
/// get fresh planner statistics.
async fn finish(db: &Db) -> Result<(), sqlx::Error> {
    if db.engine() == Engine::Postgres {
        let tables: Vec<String> = sqlx::query(
            "SELECT table_name::text AS t FROM information_schema.columns
              WHERE table_schema = 'public' AND column_name = 'id' AND is_identity = 'YES'",
        )
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| r.try_get("t"))
        .collect::<Result<_, _>>()?;
        for t in tables {
            sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT MAX(id) FROM {t}), 1))"))
                .execute(db.read())
                .await?;
        }
    }
    db.analyze().await?;
    Ok(())
}

//! Crash safety (issue 9), on SQLite and on PostgreSQL: a mixed write storm — votes, sign-ups,
//! orders, completed orders (which credit hours) and appeal classifications (which write a
//! timeline line) — against the server process, killed with SIGKILL mid-storm and restarted.
//! Every write the server acknowledged must be there, nothing may be half-done, and every
//! counter must equal the rows it counts.
//!
//! Slow-ish and process-based: `make verify` runs it against the release binary
//! (`LINLI_BIN`); `cargo test -p linli --test integration -- --ignored crash::` against the debug
//! one.
use crate::common;
use common::process::{free_port, run, Server};
use common::{Engine, TestDb};
use sqlx::Row;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const RESIDENTS: usize = 240;

/// What the storm was told succeeded.
#[derive(Default)]
struct Acked {
    votes: Vec<i64>,
    signups: Vec<i64>,
    orders: Vec<i64>,
    completed: Vec<i64>,
    classified: Vec<i64>,
}

async fn one(db: &app::db::Db, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.read()).await.unwrap_or_else(|e| panic!("{sql}: {e}")).try_get(0).unwrap()
}

async fn post(client: &reqwest::Client, base: &str, endpoint: &str, session: &str, body: String) -> Option<String> {
    let resp = client
        .post(format!("{base}/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("linli_session={session}"))
        .body(body)
        .send()
        .await
        .ok()?;
    if !resp.status().is_success() {
        return None;
    }
    resp.text().await.ok()
}

struct Fixture {
    db: app::db::Db,
    staff: String,
    proposal: i64,
    activity: i64,
    item: i64,
    /// (account, session) of verified residents of 观音井, each also a volunteer.
    residents: Vec<(i64, String)>,
    /// Orders accepted, started and assigned to a volunteer, ready to complete.
    started: Vec<i64>,
    /// Appeals waiting for 观音井's staff to classify.
    appeals: Vec<i64>,
}

/// The demo district plus the storm's objects, made directly in the database (fast), and the
/// orders and appeals through the API of a first server process.
async fn fixture(url: &str, base: &str) -> Fixture {
    let db = app::db::Db::connect(url).await.unwrap();
    let now = app::clock::Clock::system().now_ms();
    let here = one(&db, "SELECT id FROM community WHERE name = '观音井社区'").await;
    let home = sqlx::query("SELECT g.id AS grid, MIN(b.id) AS building FROM grid g JOIN building b ON b.grid_id = g.id WHERE g.community_id = $1 GROUP BY g.id ORDER BY g.id LIMIT 1")
        .bind(here)
        .fetch_one(db.read())
        .await
        .unwrap();
    let (grid, building): (i64, i64) = (home.try_get("grid").unwrap(), home.try_get("building").unwrap());
    let staff_id = one(&db, "SELECT id FROM account WHERE phone = '13900000002'").await;
    let team = one(&db, &format!("SELECT MIN(id) FROM team WHERE community_id = {here} AND org_id IS NULL")).await;
    let hash = app::accounts::password::hash("崩溃测试口令 2026".to_string()).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let staff = app::accounts::session::create(&mut tx, staff_id, now).await.unwrap();
    let mut residents = Vec::new();
    for i in 0..RESIDENTS {
        let phone = app::accounts::Phone::parse(&(13_300_000_000u64 + i as u64).to_string()).unwrap();
        let name = app::accounts::DisplayName::parse(&format!("崩溃测试{i}")).unwrap();
        let id = app::accounts::store::insert(&mut tx, &phone, &name, &hash, now).await.unwrap().unwrap();
        sqlx::query("UPDATE account SET community_id = $1, grid_id = $2, building_id = $3, verified_at = $4 WHERE id = $5")
            .bind(here).bind(grid).bind(building).bind(now).bind(id)
            .execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO volunteer (account_id, volunteer_no, joined_at) VALUES ($1, $2, $3)")
            .bind(id).bind(format!("CRASH{id:07}")).bind(now)
            .execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO role_grant (account_id, role, granted_at) VALUES ($1, 'volunteer', $2)")
            .bind(id).bind(now)
            .execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO team_member (team_id, account_id, status, applied_at) VALUES ($1, $2, 'member', $3)")
            .bind(team).bind(id).bind(now)
            .execute(&mut *tx).await.unwrap();
        residents.push((id, app::accounts::session::create(&mut tx, id, now).await.unwrap()));
    }
    let proposal: i64 = sqlx::query(
        "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, state, voting_opens_at, voting_closes_at, created_at, updated_at)
         VALUES ($1, $2, 'safety', '崩溃测试表决', '正文', '崩溃测试表决', 'voting', $3, $4, $3, $3) RETURNING id",
    )
    .bind(here).bind(residents[0].0).bind(now - HOUR).bind(now + 7 * DAY)
    .fetch_one(&mut *tx).await.unwrap().try_get("id").unwrap();
    sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)")
        .bind(proposal).bind(now + 7 * DAY)
        .execute(&mut *tx).await.unwrap();
    let activity: i64 = sqlx::query(
        "INSERT INTO activity (title, description, team_id, community_id, place, starts_at, ends_at, slots, checkin_code, organiser_id, created_at)
         VALUES ('崩溃测试活动', '报名', $1, $2, '活动室', $3, $4, 30, '123456', $5, $6) RETURNING id",
    )
    .bind(team).bind(here).bind(now + 3 * DAY).bind(now + 3 * DAY + 2 * HOUR).bind(staff_id).bind(now)
    .fetch_one(&mut *tx).await.unwrap().try_get("id").unwrap();
    let item: i64 = sqlx::query(
        "INSERT INTO menu_item (community_id, category, title, description, provider_kind, weekly_capacity, price_kind, service_minutes, created_by, created_at)
         VALUES ($1, 'repair', '崩溃测试服务', '上门', 'community', 1000, 'free', 45, $2, $3) RETURNING id",
    )
    .bind(here).bind(staff_id).bind(now)
    .fetch_one(&mut *tx).await.unwrap().try_get("id").unwrap();
    tx.commit().await.unwrap();

    // Orders started by staff with a volunteer assigned, and appeals filed, through the API.
    let client = reqwest::Client::new();
    let preferred = app::time::format_input(now + DAY);
    let mut started = Vec::new();
    for (k, (_, session)) in residents.iter().enumerate().take(40) {
        let order = post(&client, base, "order_service", session, format!("item_id={item}&preferred_at={}", common::enc(&preferred))).await.expect("order");
        let order: i64 = order.trim().parse().unwrap_or_else(|_| panic!("an order id: {order}"));
        let volunteer = residents[(k + 100) % RESIDENTS].0;
        post(&client, base, "accept_order", &staff, format!("id={order}&assignee_id={volunteer}")).await.expect("accept");
        post(&client, base, "start_order", &staff, format!("id={order}")).await.expect("start");
        started.push(order);
    }
    let mut appeals = Vec::new();
    for (_, session) in residents.iter().skip(40).take(40) {
        let body = format!("building_id={building}&category=noise&urgency=normal&description={}", common::enc("夜间施工噪音扰民，影响休息"));
        let id = post(&client, base, "file_appeal", session, body).await.expect("file_appeal");
        appeals.push(id.trim().parse().unwrap_or_else(|_| panic!("an appeal id: {id}")));
    }
    Fixture { db, staff, proposal, activity, item, residents, started, appeals }
}

async fn storm(f: &Fixture, base: &str, acked: Arc<Mutex<Acked>>, count: Arc<AtomicUsize>) {
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    let now = app::clock::Clock::system().now_ms();
    let preferred = common::enc(&app::time::format_input(now + 2 * DAY));
    let mut jobs: Vec<(&'static str, String, String, i64)> = Vec::new();
    for (k, (account, session)) in f.residents.iter().enumerate() {
        jobs.push(("cast_vote", session.clone(), format!("id={}&choice={}", f.proposal, ["for", "against"][k % 2]), *account));
        jobs.push(("sign_up", session.clone(), format!("id={}", f.activity), *account));
        jobs.push(("order_service", session.clone(), format!("item_id={}&preferred_at={preferred}", f.item), *account));
    }
    for o in &f.started {
        jobs.push(("complete_order", f.staff.clone(), format!("id={o}"), *o));
    }
    for a in &f.appeals {
        jobs.push(("classify_appeal", f.staff.clone(), format!("id={a}&category=noise&urgency=normal&route=local&note="), *a));
    }
    // Interleave the kinds so the kill lands among all of them.
    jobs.sort_by_key(|(_, _, _, key)| key.wrapping_mul(2_654_435_761) % 1_000_003);
    let jobs = Arc::new(Mutex::new(jobs));
    let mut workers = Vec::new();
    for _ in 0..32 {
        let (jobs, acked, count, client, base) = (jobs.clone(), acked.clone(), count.clone(), client.clone(), base.to_string());
        workers.push(tokio::spawn(async move {
            loop {
                let Some((endpoint, session, body, key)) = jobs.lock().unwrap().pop() else { break };
                let Some(answer) = post(&client, &base, endpoint, &session, body).await else { continue };
                let mut a = acked.lock().unwrap();
                match endpoint {
                    "cast_vote" => a.votes.push(key),
                    "sign_up" => a.signups.push(key),
                    "order_service" => a.orders.push(answer.trim().parse().unwrap()),
                    "complete_order" => a.completed.push(key),
                    _ => a.classified.push(key),
                }
                count.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
}

/// Rows where a counter disagrees with what it counts, or a step lacks its other half.
const HALF_DONE: [(&str, &str); 8] = [
    ("tally", "SELECT COUNT(*) FROM proposal_tally t WHERE votes_for + votes_against + votes_abstain <> (SELECT COUNT(*) FROM vote v WHERE v.proposal_id = t.proposal_id)"),
    ("slots", "SELECT COUNT(*) FROM activity a WHERE confirmed_count <> (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.status = 'confirmed') OR confirmed_count > slots"),
    ("waitlists", "SELECT COUNT(*) FROM activity a LEFT JOIN activity_waitlist w ON w.activity_id = a.id
        WHERE COALESCE(w.waiting, 0) <> (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.status = 'waitlisted')"),
    ("places", "SELECT COUNT(*) FROM menu_week w WHERE taken <> (SELECT COUNT(*) FROM service_order o WHERE o.item_id = w.item_id AND o.week = w.week AND o.status NOT IN ('cancelled', 'rejected'))"),
    ("order without its hours", "SELECT COUNT(*) FROM service_order o JOIN volunteer v ON v.account_id = o.assignee_id
        WHERE o.status IN ('completed', 'confirmed') AND NOT EXISTS (SELECT 1 FROM hours_credit h WHERE h.source_kind = 'order' AND h.source_id = o.id)"),
    ("hours totals", "SELECT COUNT(*) FROM volunteer v WHERE total_minutes <> (SELECT COALESCE(SUM(h.minutes), 0) FROM hours_credit h WHERE h.account_id = v.account_id)"),
    ("appeal step without its timeline line", "SELECT COUNT(*) FROM appeal a WHERE a.state <> (SELECT e.to_state FROM appeal_event e WHERE e.appeal_id = a.id ORDER BY e.id DESC LIMIT 1)"),
    ("appeals counted", "SELECT CAST(ABS((SELECT COUNT(*) FROM appeal) - (SELECT COALESCE(SUM(filed), 0) FROM appeal_stat)) AS BIGINT)"),
];

async fn crash_and_recover(engine: Engine) {
    let test_db = TestDb::new(engine).await;
    let url = test_db.url.clone();
    run(&url, &["seed-demo"]);
    let log = std::env::temp_dir().join(format!("linli-crash-{}-{engine:?}.log", std::process::id()));
    let port = free_port();
    let mut server = Server::start(&url, port, log.clone(), &[]).await;
    let f = Arc::new(fixture(&url, &server.base).await);

    let (acked, count) = (Arc::new(Mutex::new(Acked::default())), Arc::new(AtomicUsize::new(0)));
    let total = RESIDENTS * 3 + f.started.len() + f.appeals.len();
    let storm_task = {
        let (acked, count, base, f) = (acked.clone(), count.clone(), server.base.clone(), f.clone());
        tokio::spawn(async move { storm(&f, &base, acked, count).await })
    };
    // Kill it once about a third of the writes were acknowledged.
    while count.load(Ordering::SeqCst) < total / 3 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    server.kill9();
    storm_task.await.unwrap();
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let done = acked.votes.len() + acked.signups.len() + acked.orders.len() + acked.completed.len() + acked.classified.len();
    assert!(done < total, "the kill must land mid-storm: {done} of {total} done");
    eprintln!("[{engine:?}] killed after {done} of {total} writes were acknowledged");

    // Restart on the same database: everything acknowledged is there, nothing half-done.
    let server = Server::start(&url, port, log, &[]).await;
    let db = &f.db;
    for account in &acked.votes {
        assert_eq!(one(db, &format!("SELECT COUNT(*) FROM vote WHERE proposal_id = {} AND account_id = {account}", f.proposal)).await, 1, "vote of {account}");
    }
    for account in &acked.signups {
        assert_eq!(one(db, &format!("SELECT COUNT(*) FROM signup WHERE activity_id = {} AND account_id = {account}", f.activity)).await, 1, "sign-up of {account}");
    }
    for order in &acked.orders {
        assert_eq!(one(db, &format!("SELECT COUNT(*) FROM service_order WHERE id = {order} AND status = 'submitted'")).await, 1, "order {order}");
    }
    for order in &acked.completed {
        assert_eq!(one(db, &format!("SELECT COUNT(*) FROM service_order WHERE id = {order} AND status = 'completed'")).await, 1, "completed {order}");
        assert_eq!(one(db, &format!("SELECT COUNT(*) FROM hours_credit WHERE source_kind = 'order' AND source_id = {order}")).await, 1, "hours of {order}");
    }
    for appeal in &acked.classified {
        assert_eq!(one(db, &format!("SELECT COUNT(*) FROM appeal_event WHERE appeal_id = {appeal} AND step = 'classify'")).await, 1, "timeline of {appeal}");
    }
    for (what, sql) in HALF_DONE {
        assert_eq!(one(db, sql).await, 0, "{what}");
    }
    // And the restarted server takes writes again.
    let (_, session) = &f.residents[RESIDENTS - 1];
    let again = post(&reqwest::Client::new(), &server.base, "cast_vote", session, format!("id={}&choice=abstain", f.proposal)).await;
    assert!(again.is_some(), "a vote after the restart");
    assert!(!server.log_text().contains("database is locked"), "{}", server.log_text());
    let log = server.log.clone();
    drop(server);
    let _ = std::fs::remove_file(log);
    drop(test_db);
}

#[test]
#[ignore = "process-based; run by `make verify`"]
fn crash_mid_storm_sqlite() {
    common::runtime().block_on(crash_and_recover(Engine::Sqlite));
}

#[test]
#[ignore = "process-based; run by `make verify`"]
fn crash_mid_storm_postgres() {
    common::runtime().block_on(crash_and_recover(Engine::Postgres));
}

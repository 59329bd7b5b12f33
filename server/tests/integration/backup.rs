//! `linli backup` while the server takes votes, and `linli restore` of that backup into a new
//! database, on SQLite and on PostgreSQL: every vote acknowledged before the backup began is
//! in it, its tallies equal its rows, and the portal runs on the restored database.
use crate::common;
use common::process::run;
use common::{id, verified_residents, Engine, TestApp, TestDb};
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

async fn one(db: &app::db::Db, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.read()).await.unwrap_or_else(|e| panic!("{sql}: {e}")).try_get(0).unwrap()
}

/// The proposal's votes, and whether its tally equals them.
async fn votes(db: &app::db::Db, proposal: i64) -> (Vec<i64>, bool) {
    let rows: Vec<i64> = sqlx::query("SELECT account_id FROM vote WHERE proposal_id = $1 ORDER BY account_id")
        .bind(proposal)
        .fetch_all(db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("account_id").unwrap())
        .collect();
    let tally = one(db, &format!("SELECT votes_for + votes_against + votes_abstain FROM proposal_tally WHERE proposal_id = {proposal}")).await;
    let n = rows.len() as i64;
    (rows, tally == n)
}

both_engines!(backup_under_writes_then_restore, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let here = id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await;
    let residents = verified_residents(&app, here, 13_400_000_000, 120).await;
    let now = app.clock.now_ms();
    let proposal: i64 = {
        let mut tx = app.db.begin_write().await.unwrap();
        let p = sqlx::query(
            "INSERT INTO proposal (community_id, author_id, category, title, body, search_text, state, voting_opens_at, voting_closes_at, created_at, updated_at)
             VALUES ($1, (SELECT MIN(id) FROM account), 'safety', '备份测试', '正文', '备份测试', 'voting', $2, $3, $2, $2) RETURNING id",
        )
        .bind(here)
        .bind(now - 3_600_000)
        .bind(now + 86_400_000)
        .fetch_one(&mut *tx)
        .await
        .unwrap()
        .try_get("id")
        .unwrap();
        sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)")
            .bind(p)
            .bind(now + 86_400_000)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        p
    };
    let account_of = |session: &str| {
        let app = &app;
        let session = session.to_string();
        async move {
            one(&app.db, &format!("SELECT account_id FROM session WHERE token_hash = '{}'", app::accounts::session::digest(&session))).await
        }
    };
    let mut voters = Vec::new();
    for s in &residents {
        voters.push((account_of(s).await, s.clone()));
    }

    // Residents vote one after another, in four lanes, until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<Mutex<Vec<(Instant, i64)>>> = Arc::default();
    let mut lanes = Vec::new();
    for lane in voters.chunks(voters.len() / 4) {
        let (lane, stop, acked) = (lane.to_vec(), stop.clone(), acked.clone());
        let (url, origin, client) = (app.url("/api/cast_vote"), app.addr.clone(), app.client.clone());
        lanes.push(tokio::spawn(async move {
            for (account, session) in lane {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let resp = client
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", &origin)
                    .header("cookie", format!("linli_session={session}"))
                    .body(format!("id={proposal}&choice=for"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
                acked.lock().unwrap().push((Instant::now(), account));
                tokio::time::sleep(std::time::Duration::from_millis(15)).await;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let file = std::env::temp_dir().join(format!("linli-backup-{}-{engine:?}-{}.bak", std::process::id(), now));
    let url = app.test_db.url.clone();
    let began = Instant::now();
    let said = tokio::task::spawn_blocking({
        let (url, file) = (url.clone(), file.clone());
        move || run(&url, &["backup", file.to_str().unwrap()])
    })
    .await
    .unwrap();
    assert!(said.contains("backup written"), "{said}");
    stop.store(true, Ordering::SeqCst);
    for l in lanes {
        l.await.unwrap();
    }
    let before: Vec<i64> = acked.lock().unwrap().iter().filter(|(at, _)| *at < began).map(|(_, a)| *a).collect();
    let all = acked.lock().unwrap().len();
    assert!(!before.is_empty() && before.len() < voters.len(), "the backup ran while votes came in: {} before, {all} in all", before.len());
    // A backup over an existing file is refused.
    let refused = std::process::Command::new(common::process::bin()).args(["backup", file.to_str().unwrap()]).env("DATABASE_URL", &url).output().unwrap();
    assert!(!refused.status.success());

    // Restore into a new database, check it, and run the portal on it.
    let restored = TestDb::new(engine).await;
    let said = run(&restored.url, &["restore", file.to_str().unwrap()]);
    assert!(said.contains("restored"), "{said}");
    let copy = TestApp::spawn_on(restored).await;
    let (rows, tally_ok) = votes(&copy.db, proposal).await;
    assert!(tally_ok, "the tally equals the votes in the backup");
    for account in &before {
        assert!(rows.contains(account), "vote of {account}, acknowledged before the backup began");
    }
    assert!(rows.len() <= all);
    for table in ["account", "proposal", "appeal", "service_order", "activity"] {
        assert!(id(&copy, &format!("SELECT COUNT(*) FROM {table}")).await > 0, "{table}");
    }
    let staff = common::login(&copy, "13900000002").await;
    assert!(copy.whoami(&staff).await.is_some());
    let (status, html) = copy.get(&format!("/hall/p/{proposal}"), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("备份测试"));
    // A file that is not a backup is refused, and the database stays as it was.
    let junk = std::env::temp_dir().join(format!("linli-junk-{}-{engine:?}.bak", std::process::id()));
    std::fs::write(&junk, b"not a database").unwrap();
    let out = std::process::Command::new(common::process::bin()).args(["restore", junk.to_str().unwrap()]).env("DATABASE_URL", &copy.test_db.url).output().unwrap();
    assert!(!out.status.success());
    assert_eq!(votes(&copy.db, proposal).await.0, rows);
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&junk);
    if engine == Engine::Sqlite {
        let _ = std::fs::remove_file(file.with_extension("bak-journal"));
    }
});

//! `linli seed-scale`: the small preset on SQLite and on PostgreSQL reaches its totals, leaves
//! every counter equal to the rows it counts and every limit kept (as the server would have
//! left them), is the same for the same seed, and the pages render on it.
use crate::common;
use common::{id, TestApp};
use linli_server::scale::{self, Preset};

/// Rows where a counter and the rows it summarises disagree, or a limit is broken: each query
/// must find none.
const INVARIANTS: [(&str, &str); 17] = [
    ("votes", "SELECT COUNT(*) FROM proposal p LEFT JOIN proposal_tally t ON t.proposal_id = p.id
        WHERE COALESCE(t.votes_for + t.votes_against + t.votes_abstain, 0) <> (SELECT COUNT(*) FROM vote v WHERE v.proposal_id = p.id)"),
    ("votes for", "SELECT COUNT(*) FROM proposal_tally t WHERE votes_for <> (SELECT COUNT(*) FROM vote v WHERE v.proposal_id = t.proposal_id AND v.choice = 'for')"),
    ("a tally open exactly while in voting", "SELECT COUNT(*) FROM proposal p LEFT JOIN proposal_tally t ON t.proposal_id = p.id
        WHERE CASE WHEN p.state = 'voting' THEN t.open_until IS NULL OR t.open_until <> p.voting_closes_at ELSE t.open_until IS NOT NULL END"),
    ("supports", "SELECT COUNT(*) FROM proposal p WHERE support_count <> (SELECT COUNT(*) FROM support s WHERE s.proposal_id = p.id)"),
    ("comments", "SELECT COUNT(*) FROM proposal p WHERE comment_count <> (SELECT COUNT(*) FROM comment c WHERE c.proposal_id = p.id)"),
    ("voters of the community", "SELECT COUNT(*) FROM vote v JOIN proposal p ON p.id = v.proposal_id JOIN account a ON a.id = v.account_id
        WHERE a.community_id <> p.community_id OR a.verified_at IS NULL"),
    ("passed has a majority", "SELECT COUNT(*) FROM proposal p LEFT JOIN proposal_tally t ON t.proposal_id = p.id
        WHERE p.state IN ('passed', 'implementing', 'done') AND COALESCE(t.votes_for, 0) <= COALESCE(t.votes_against, 0)"),
    ("a timeline", "SELECT COUNT(*) FROM proposal p WHERE NOT EXISTS (SELECT 1 FROM proposal_event e WHERE e.proposal_id = p.id AND e.to_state = p.state)"),
    ("places taken", "SELECT COUNT(*) FROM menu_week w WHERE taken <> (SELECT COUNT(*) FROM service_order o
        WHERE o.item_id = w.item_id AND o.week = w.week AND o.status NOT IN ('cancelled', 'rejected'))"),
    ("ratings", "SELECT COUNT(*) FROM menu_item i WHERE rating_count <> (SELECT COUNT(*) FROM service_order o WHERE o.item_id = i.id AND o.rating IS NOT NULL)
        OR rating_sum <> (SELECT COALESCE(SUM(o.rating), 0) FROM service_order o WHERE o.item_id = i.id)"),
    ("served", "SELECT COUNT(*) FROM menu_item i WHERE completed_count <> (SELECT COUNT(*) FROM service_order o WHERE o.item_id = i.id AND o.status IN ('completed', 'confirmed'))"),
    ("slots", "SELECT COUNT(*) FROM activity a WHERE confirmed_count <> (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.status = 'confirmed')"),
    ("waitlists", "SELECT COUNT(*) FROM activity a LEFT JOIN activity_waitlist w ON w.activity_id = a.id
        WHERE COALESCE(w.waiting, 0) <> (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.status = 'waitlisted')"),
    ("volunteer hours", "SELECT COUNT(*) FROM volunteer v WHERE total_minutes <> (SELECT COALESCE(SUM(h.minutes), 0) FROM hours_credit h WHERE h.account_id = v.account_id)"),
    ("team sizes", "SELECT COUNT(*) FROM team t WHERE member_count <> (SELECT COUNT(*) FROM team_member m WHERE m.team_id = t.id AND m.status = 'member')"),
    ("the streets' rollup", "SELECT COUNT(*) FROM appeal_stat_by_street r WHERE r.filed <> (SELECT COALESCE(SUM(s.filed), 0) FROM appeal_stat s
        WHERE s.month = r.month AND s.street_id = r.street_id) OR r.callbacks <> (SELECT COALESCE(SUM(s.callbacks), 0) FROM appeal_stat s
        WHERE s.month = r.month AND s.street_id = r.street_id)"),
    ("appeals filed", "SELECT CAST(ABS((SELECT COUNT(*) FROM appeal) - (SELECT COALESCE(SUM(filed), 0) FROM appeal_stat)) AS BIGINT)"),
];

both_engines!(the_small_preset_is_whole_consistent_and_repeatable, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let p = Preset::SMALL;
    let report = scale::run(&app.db, p, 7, false).await.expect("seed-scale small");
    let count = |table: &'static str| report.counts.iter().find(|(t, _)| *t == table).map(|(_, n)| *n).unwrap();
    assert_eq!(count("community"), p.communities);
    assert_eq!(count("account") >= p.residents, true, "{report}");
    assert!(count("proposal") >= p.proposals * 95 / 100, "{report}");
    assert!(count("vote") >= p.votes * 90 / 100 && count("vote") <= p.votes + 100, "{report}");
    assert!(count("comment") >= p.comments * 95 / 100, "{report}");
    assert!(count("appeal") >= p.appeals, "{report}");
    assert!(count("activity") >= p.activities * 90 / 100, "{report}");
    assert!(count("service_order") >= p.orders * 95 / 100, "{report}");
    // Skew: the busiest thread has exactly its comments, and 观音井 is the largest community.
    assert_eq!(id(&app, "SELECT MAX(comment_count) FROM proposal").await, p.hot_comments);
    let largest = id(&app, "SELECT community_id FROM account WHERE community_id IS NOT NULL GROUP BY community_id ORDER BY COUNT(*) DESC LIMIT 1").await;
    assert_eq!(largest, id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await);
    for (what, sql) in INVARIANTS {
        assert_eq!(id(&app, sql).await, 0, "{what}: {sql}");
    }
    // Limits the schema itself holds (CHECKs) were never relied on to fail: nothing over capacity.
    assert_eq!(id(&app, "SELECT COUNT(*) FROM menu_week WHERE taken > capacity").await, 0);
    // Again with the same seed on a fresh database: the same rows.
    let again = TestApp::spawn(engine).await;
    scale::run(&again.db, p, 7, false).await.expect("seed-scale small again");
    for sql in [
        "SELECT COUNT(*) FROM vote",
        "SELECT CAST(SUM(LENGTH(title)) AS BIGINT) FROM proposal",
        "SELECT CAST(SUM(account_id % 1000) AS BIGINT) FROM vote",
        "SELECT CAST(SUM(rating) AS BIGINT) FROM service_order",
        "SELECT CAST(SUM(slots) AS BIGINT) FROM activity",
    ] {
        assert_eq!(id(&app, sql).await, id(&again, sql).await, "{sql}");
    }
    if engine == common::Engine::Sqlite {
        // The planner keeps stat1's summaries and never STAT4's samples (`Db::analyze`); samples
        // an ANALYZE from elsewhere leaves are dropped by the next connect.
        assert!(id(&app, "SELECT COUNT(*) FROM sqlite_stat1").await > 0);
        assert_eq!(id(&app, "SELECT COUNT(*) FROM sqlite_stat4").await, 0);
        let mut tx = app.db.begin_write().await.unwrap();
        sqlx::query("ANALYZE").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        assert!(id(&app, "SELECT COUNT(*) FROM sqlite_stat4").await > 0);
        let reopened = app::db::Db::connect(&app.test_db.url).await.unwrap();
        let samples = sqlx::query("SELECT COUNT(*) FROM sqlite_stat4").fetch_one(reopened.read()).await.unwrap();
        assert_eq!(sqlx::Row::try_get::<i64, _>(&samples, 0).unwrap(), 0);
        reopened.close().await;
    }
    // A second run on a scaled database is refused, changing nothing.
    assert!(scale::run(&app.db, p, 7, false).await.is_err());
    assert_eq!(id(&app, "SELECT COUNT(*) FROM vote").await, count("vote"));
    // The pages read the scaled data.
    let community = id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await;
    let hot = id(&app, "SELECT id FROM proposal ORDER BY comment_count DESC, id LIMIT 1").await;
    for path in [format!("/hall/c/{community}"), format!("/hall/p/{hot}"), "/appeals/rates".into(), format!("/menu?community={community}"), "/".into()] {
        let (status, _) = app.get(&path, &[]).await;
        assert_eq!(status, 200, "{path}");
    }
});

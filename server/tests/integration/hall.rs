//! 邻里议事厅 through its public API, on SQLite and on PostgreSQL: parallel votes and
//! supports, the lifecycle, listing, discussion and moderation, meetings, progress and the
//! inbox.
use crate::common;
use common::{in_parallel, verified_residents, TestApp};
use linli_server::seed::DEMO_PASSWORD;
use sqlx::Row;

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(app.db.read()).await.unwrap().try_get(0).unwrap()
}

async fn login(app: &TestApp, phone: &str) -> String {
    let a = app.call("login", &[("phone", phone), ("password", DEMO_PASSWORD)], None).await;
    a.session.unwrap_or_else(|| panic!("login {phone}: {} {}", a.status, a.body))
}

async fn community(app: &TestApp, name: &str) -> i64 {
    id(app, &format!("SELECT id FROM community WHERE name = '{name}'")).await
}

/// Creates a proposal as `session` and returns its id.
async fn propose(app: &TestApp, session: &str, community_id: i64, title: &str, body: &str) -> i64 {
    let c = community_id.to_string();
    let a = app
        .call("create_proposal", &[("community_id", &c), ("category", "facilities"), ("title", title), ("body", body)], Some(session))
        .await;
    assert!(a.status < 400, "create_proposal: {} {}", a.status, a.body);
    id(app, "SELECT MAX(id) FROM proposal").await
}

/// The proposal's state and counters, and the vote rows they summarise.
async fn standing(app: &TestApp, proposal: i64) -> (String, i64, [i64; 3], [i64; 3]) {
    let r = sqlx::query(
        "SELECT p.state, p.support_count, COALESCE(t.votes_for, 0) AS votes_for, COALESCE(t.votes_against, 0) AS votes_against,
                COALESCE(t.votes_abstain, 0) AS votes_abstain
           FROM proposal p LEFT JOIN proposal_tally t ON t.proposal_id = p.id WHERE p.id = $1",
    )
        .bind(proposal)
        .fetch_one(app.db.read())
        .await
        .unwrap();
    let mut rows = [0i64; 3];
    for (i, c) in ["for", "against", "abstain"].iter().enumerate() {
        rows[i] = id(app, &format!("SELECT COUNT(*) FROM vote WHERE proposal_id = {proposal} AND choice = '{c}'")).await;
    }
    (
        r.try_get("state").unwrap(),
        r.try_get("support_count").unwrap(),
        [r.try_get("votes_for").unwrap(), r.try_get("votes_against").unwrap(), r.try_get("votes_abstain").unwrap()],
        rows,
    )
}

/// Staff open voting for an hour from the app's (manual) clock.
/// The proposal page's one query (`get_proposal_with_thread`) gives `who` exactly what its
/// two parts give apart: the proposal as `get_proposal` and the thread page as `list_comments`.
async fn page_matches_parts(app: &TestApp, p: &str, after: Option<i64>, who: Option<&str>) {
    let after = after.map(|a| a.to_string());
    let (mut whole_form, mut thread_form) = (vec![("id", p)], vec![("proposal_id", p)]);
    if let Some(a) = after.as_deref() {
        whole_form.push(("comments_after", a));
        thread_form.push(("after", a));
    }
    let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
    let whole = app.call("get_proposal_with_thread", &whole_form, who).await;
    assert_eq!(whole.status, 200, "{}", whole.body);
    let whole = json(&whole.body);
    assert_eq!(whole["proposal"], json(&app.call("get_proposal", &[("id", p)], who).await.body), "the proposal");
    assert_eq!(whole["thread"], json(&app.call("list_comments", &thread_form, who).await.body), "the thread after {after:?}");
}

async fn open_voting(app: &TestApp, staff: &str, proposal: i64) {
    let p = proposal.to_string();
    let a = app.call("advance_proposal", &[("id", &p), ("step", "put_on_agenda"), ("note", "列入本月议程")], Some(staff)).await;
    assert!(a.status < 400, "{} {}", a.status, a.body);
    let closes = app::time::format_input(app.clock.now_ms() + 3_600_000);
    let a = app
        .call("advance_proposal", &[("id", &p), ("step", "open_voting"), ("note", ""), ("closes_at", &closes)], Some(staff))
        .await;
    assert!(a.status < 400, "{} {}", a.status, a.body);
}

both_engines!(two_hundred_residents_vote_in_parallel, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let here = community(&app, "观音井社区").await;
    let there = community(&app, "回风亭社区").await;
    let residents = verified_residents(&app, here, 13600000000, 200).await;
    let staff = login(&app, "13900000002").await;
    let proposal = propose(&app, &residents[0], here, "院落加装电梯", "老人上下楼困难，建议加装电梯。").await;
    open_voting(&app, &staff, proposal).await;
    let p = proposal.to_string();

    // 200 different residents at once.
    let choices = ["for", "against", "abstain"];
    let calls = residents.iter().enumerate().map(|(i, t)| (t.clone(), format!("id={p}&choice={}", choices[i % 3]))).collect();
    assert!(in_parallel(&app, "cast_vote", calls).await.iter().all(|s| *s == 200));
    let (state, _, counters, rows) = standing(&app, proposal).await;
    assert_eq!(state, "voting");
    assert_eq!(counters.iter().sum::<i64>(), 200);
    assert_eq!(counters, [67, 67, 66]);
    assert_eq!(counters, rows);

    // One resident sends 20 votes at once, changing their mind: they count once.
    let calls = (0..20).map(|i| (residents[1].clone(), format!("id={p}&choice={}", ["for", "against"][i % 2]))).collect();
    assert!(in_parallel(&app, "cast_vote", calls).await.iter().all(|s| *s == 200));
    let (_, _, counters, rows) = standing(&app, proposal).await;
    assert_eq!(counters.iter().sum::<i64>(), 200);
    assert_eq!(counters, rows);

    // A resident who has not voted yet sends 20 first votes at once (the vote row does not
    // exist to be locked): one row, counted once, whichever choice ends up in it.
    let newcomer = verified_residents(&app, here, 13600002000, 1).await.remove(0);
    let calls = (0..20).map(|i| (newcomer.clone(), format!("id={p}&choice={}", ["for", "against", "abstain"][i % 3]))).collect();
    assert!(in_parallel(&app, "cast_vote", calls).await.iter().all(|s| *s == 200));
    let (_, _, counters, rows) = standing(&app, proposal).await;
    assert_eq!(counters.iter().sum::<i64>(), 201);
    assert_eq!(counters, rows);

    // Refused, changing nothing: an unverified resident, a resident of another community.
    let before = standing(&app, proposal).await;
    let unverified = app.register("13700000100", "未核实居民", "未核实居民的口令 1").await;
    let a = app.call("cast_vote", &[("id", &p), ("choice", "for")], Some(&unverified)).await;
    assert_eq!(a.status, 403, "{}", a.body);
    let foreign = verified_residents(&app, there, 13600001000, 1).await;
    assert_eq!(app.call("cast_vote", &[("id", &p), ("choice", "for")], Some(&foreign[0])).await.status, 403);
    assert_eq!(app.call("cast_vote", &[("id", &p), ("choice", "maybe")], Some(&residents[2])).await.status, 400);
    assert_eq!(app.call("cast_vote", &[("id", "999999"), ("choice", "for")], Some(&residents[2])).await.status, 404);
    assert_eq!(standing(&app, proposal).await, before);

    // A resident's own vote is in their data export, and nobody else's is.
    let export = app
        .client
        .get(app.url("/account/export"))
        .header("cookie", format!("linli_session={}", residents[0]))
        .send()
        .await
        .unwrap();
    let export: serde_json::Value = serde_json::from_str(&export.text().await.unwrap()).unwrap();
    assert_eq!(export["votes"].as_array().unwrap().len(), 1, "{export}");
    assert_eq!(export["votes"][0]["choice"], "for");
    assert_eq!(export["proposals"][0]["title"], "院落加装电梯");

    // The tally is public; who voted how is not, not even to staff.
    let page = app.call("get_proposal", &[("id", &p)], Some(&staff)).await;
    assert!(page.body.contains("\"my_vote\":null"), "{}", page.body);
    let mine = app.call("get_proposal", &[("id", &p)], Some(&residents[0])).await;
    assert!(mine.body.contains("\"my_vote\":\"for\""), "{}", mine.body);

    // Reads look for due votes at most once a second (each look re-prepares on SQLite): a
    // vote that fell due just after a look still shows as open to reads within that second,
    // and is closed by the first read after it.
    let c = here.to_string();
    app.call("list_proposals", &[("community_id", &c)], None).await;
    let soon = app.clock.now_ms() + 200;
    let mut tx = app.db.begin_write().await.unwrap();
    sqlx::query("UPDATE proposal SET voting_closes_at = $1 WHERE id = $2").bind(soon).bind(proposal).execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE proposal_tally SET open_until = $1 WHERE proposal_id = $2").bind(soon).bind(proposal).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    app.clock.advance_ms(500);
    app.call("list_proposals", &[("community_id", &c)], None).await;
    assert_eq!(standing(&app, proposal).await.0, "voting", "looked again within the second");
    app.clock.advance_ms(600);
    app.call("list_proposals", &[("community_id", &c)], None).await;
    assert_ne!(standing(&app, proposal).await.0, "voting", "a read after the second closes it");

    // After the closing time, the server closes the vote by itself and refuses new votes.
    app.clock.advance_ms(3_600_000);
    let a = app.call("cast_vote", &[("id", &p), ("choice", "for")], Some(&residents[3])).await;
    assert_eq!(a.status, 409, "{}", a.body);
    app.call("list_proposals", &[("community_id", &here.to_string())], None).await;
    let (state, _, counters, rows) = standing(&app, proposal).await;
    assert_eq!(counters, before.2);
    assert_eq!(counters, rows);
    assert_eq!(state, if counters[0] > counters[1] { "passed" } else { "rejected" });
    let closings = id(&app, &format!("SELECT COUNT(*) FROM proposal_event WHERE proposal_id = {proposal} AND from_state = 'voting'")).await;
    assert_eq!(closings, 1);
    // The author (a follower) heard about it.
    let inbox = app.call("my_notifications", &[], Some(&residents[0])).await;
    assert!(inbox.body.contains("proposal_state"), "{}", inbox.body);
});

// The vote closes while votes come in: each vote is counted before the closing or refused
// after it, and the outcome is decided on exactly the votes counted (the tally's row lock,
// `store::close_votes`).
both_engines!(votes_racing_the_closing_count_before_it_or_are_refused, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let here = community(&app, "观音井社区").await;
    let residents = verified_residents(&app, here, 13610000000, 120).await;
    let staff = login(&app, "13900000002").await;
    let proposal = propose(&app, &residents[0], here, "院落增设晾衣架", "建议在院坝增设公共晾衣架。").await;
    open_voting(&app, &staff, proposal).await;
    let p = proposal.to_string();
    // Eight voters at a time, each resident once, as a stream (a storm of 120 at once would
    // queue the closing behind every vote for the connections, and nothing would race it).
    let choices = ["for", "against", "abstain", "for"];
    let lane = |k: usize| {
        let (app, p) = (&app, &p);
        let residents: Vec<(usize, &String)> = residents.iter().enumerate().skip(k).step_by(8).collect();
        async move {
            let mut statuses = Vec::new();
            for (i, session) in residents {
                statuses.push(app.call("cast_vote", &[("id", p), ("choice", choices[i % 4])], Some(session)).await.status);
            }
            statuses
        }
    };
    // Once 40 votes are in, the clock passes the closing time and the sweep closes the vote,
    // while the lanes' next votes are in flight.
    let closing = async {
        while id(&app, &format!("SELECT COUNT(*) FROM vote WHERE proposal_id = {proposal}")).await < 40 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        app.clock.advance_ms(3_600_000);
        app::hall::store::close_due(&app.db, app.clock.now_ms()).await.unwrap()
    };
    let (lanes, _) = tokio::join!(futures_util::future::join_all((0..8).map(lane)), closing);
    let statuses: Vec<u16> = lanes.concat();
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let accepted = statuses.iter().filter(|s| **s == 200).count() as i64;
    eprintln!("[{engine:?}] {accepted} of 120 votes counted before the closing, the rest refused");
    assert!((40..120).contains(&accepted), "the closing came in the middle of the votes: {accepted} counted");
    let (state, _, counters, rows) = standing(&app, proposal).await;
    assert_eq!(counters, rows, "the tally is the votes");
    assert_eq!(counters.iter().sum::<i64>(), accepted, "every vote accepted is counted, no refused one");
    assert_eq!(state, if counters[0] > counters[1] { "passed" } else { "rejected" });
    let note: String = sqlx::query_scalar("SELECT note FROM proposal_event WHERE proposal_id = $1 AND from_state = 'voting'")
        .bind(proposal)
        .fetch_one(app.db.read())
        .await
        .unwrap();
    assert_eq!(note, format!("{} / {} / {}", counters[0], counters[1], counters[2]), "closed once, on the final count");
    let open: Option<i64> = sqlx::query_scalar("SELECT open_until FROM proposal_tally WHERE proposal_id = $1")
        .bind(proposal)
        .fetch_one(app.db.read())
        .await
        .unwrap();
    assert_eq!(open, None);
});

both_engines!(parallel_supports_cross_the_threshold_once, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let here = community(&app, "观音井社区").await;
    let residents = verified_residents(&app, here, 13600000000, 30).await;
    let proposal = propose(&app, &residents[0], here, "巷口增设路灯", "红旗巷夜里太黑。").await;
    // 30 residents support at once, five of them twice.
    let calls = residents.iter().chain(residents.iter().take(5)).map(|t| (t.clone(), format!("id={proposal}"))).collect();
    assert!(in_parallel(&app, "support_proposal", calls).await.iter().all(|s| *s == 200));
    let (state, supports, _, _) = standing(&app, proposal).await;
    assert_eq!((state.as_str(), supports), ("agenda", 30));
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM support WHERE proposal_id = {proposal}")).await, 30);
    let to_agenda = id(&app, &format!("SELECT COUNT(*) FROM proposal_event WHERE proposal_id = {proposal} AND to_state = 'agenda'")).await;
    assert_eq!(to_agenda, 1);
    // The system did it: no actor on that step.
    let actor = id(&app, &format!("SELECT COUNT(*) FROM proposal_event WHERE proposal_id = {proposal} AND to_state = 'agenda' AND actor_id IS NULL")).await;
    assert_eq!(actor, 1);
});

both_engines!(proposals_are_edited_withdrawn_listed_and_found, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    // A community without demo proposals, so counts are this test's own.
    let here = community(&app, "回风亭社区").await;
    let residents = verified_residents(&app, here, 13600000000, 3).await;
    let c = here.to_string();

    // Bad input is refused with a reason, and nothing is written.
    let proposals_before = id(&app, "SELECT COUNT(*) FROM proposal").await;
    for (field, value, kind) in [("title", "短", "title"), ("category", "weather", "category"), ("body", " ", "text")] {
        let mut form = vec![("community_id", c.as_str()), ("category", "parking"), ("title", "小区停车位规划"), ("body", "车位不够")];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let a = app.call("create_proposal", &form, Some(&residents[0])).await;
        assert_eq!(a.status, 400, "{field}: {}", a.body);
        assert!(a.body.to_lowercase().contains(kind), "{}", a.body);
    }
    assert_eq!(id(&app, "SELECT COUNT(*) FROM proposal").await, proposals_before);

    let lift = propose(&app, &residents[0], here, "老院落加装电梯", "三号院六层，老人多。").await;
    let l = lift.to_string();
    // Only the author edits, and only while collecting.
    let edit = [("id", l.as_str()), ("category", "elderly"), ("title", "老院落加装电梯（修订）"), ("body", "三号院六层，老人多，希望加装电梯。")];
    assert_eq!(app.call("update_proposal", &edit, Some(&residents[1])).await.status, 403);
    assert!(app.call("update_proposal", &edit, Some(&residents[0])).await.status < 400);
    // Many proposals, to page through; one-character and two-character searches find them.
    for i in 0..44 {
        propose(&app, &residents[i % 3], here, &format!("第{i}号议题：垃圾分类"), "桶站太远").await;
    }
    let list = |q: &'static str| {
        let c = c.clone();
        let app = &app;
        async move {
            let a = app.call("list_proposals", &[("community_id", &c), ("q", q)], None).await;
            assert_eq!(a.status, 200, "{}", a.body);
            serde_json::from_str::<serde_json::Value>(&a.body).unwrap()
        }
    };
    for q in ["梯", "电梯", "修订"] {
        let v = list(q).await;
        assert_eq!(v["items"].as_array().unwrap().len(), 1, "{q}: {v}");
        assert_eq!(v["items"][0]["category"], "elderly");
    }
    assert_eq!(list("%").await["items"].as_array().unwrap().len(), 0);
    // Keyset pages: 45 proposals in pages of 20, newest first, none twice.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut form = vec![("community_id", c.clone())];
        if let Some(a) = &after {
            form.push(("after", a.clone()));
        }
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let v: serde_json::Value = serde_json::from_str(&app.call("list_proposals", &form, None).await.body).unwrap();
        seen.extend(v["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()));
        match v["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 45);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "{seen:?}");
    // Filters by state and category.
    let form = [("community_id", c.as_str()), ("category", "elderly")];
    let v: serde_json::Value = serde_json::from_str(&app.call("list_proposals", &form, None).await.body).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);

    // Withdrawing: the author, with a public note, on the timeline.
    assert_eq!(app.call("withdraw_proposal", &[("id", &l), ("note", "x")], Some(&residents[1])).await.status, 403);
    assert!(app.call("withdraw_proposal", &[("id", &l), ("note", "已由物业解决")], Some(&residents[0])).await.status < 400);
    let page = app.call("get_proposal", &[("id", &l)], None).await;
    assert!(page.body.contains("\"to\":\"withdrawn\"") && page.body.contains("已由物业解决"), "{}", page.body);
    // Nothing more happens to a withdrawn proposal.
    assert_eq!(app.call("support_proposal", &[("id", &l)], Some(&residents[1])).await.status, 409);
    assert_eq!(app.call("update_proposal", &edit, Some(&residents[0])).await.status, 409);
    let v: serde_json::Value = serde_json::from_str(
        &app.call("list_proposals", &[("community_id", &c), ("state", "withdrawn")], None).await.body,
    )
    .unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
});

both_engines!(long_threads_and_lists_page_without_gaps_or_repeats, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let here = community(&app, "回风亭社区").await;
    let residents = verified_residents(&app, here, 13600000000, 3).await;
    let proposal = propose(&app, &residents[0], here, "老院落加装电梯", "三号院六层，老人多。").await;
    let p = proposal.to_string();

    // Two pages and a bit of top-level comments; every fourth gets two replies, posted after
    // all the top-level ones (their ids interleave with later pages' comments).
    let tops = app::hall::COMMENTS_PAGE * 2 + 5;
    let mut top_ids = Vec::new();
    for i in 0..tops {
        let body = format!("第{i}条意见");
        let a = app.call("post_comment", &[("proposal_id", &p), ("body", &body)], Some(&residents[(i % 3) as usize])).await;
        assert!(a.status < 400, "{} {}", a.status, a.body);
        top_ids.push(id(&app, "SELECT MAX(id) FROM comment").await);
    }
    let mut replies_of = std::collections::BTreeMap::new();
    for parent in top_ids.iter().step_by(4) {
        for r in 0..2 {
            let (parent_s, body) = (parent.to_string(), format!("回复{parent}-{r}"));
            let a = app.call("post_comment", &[("proposal_id", &p), ("parent_id", &parent_s), ("body", &body)], Some(&residents[r])).await;
            assert!(a.status < 400, "{} {}", a.status, a.body);
            replies_of.entry(*parent).or_insert_with(Vec::new).push(id(&app, "SELECT MAX(id) FROM comment").await);
        }
    }
    // Page through it as the links do: each top-level comment once, in order, with exactly
    // its own replies, pages no longer than COMMENTS_PAGE.
    let (mut seen, mut pages, mut after) = (Vec::new(), 0, None::<i64>);
    loop {
        let after_s = after.map(|a| a.to_string()).unwrap_or_default();
        let mut form = vec![("proposal_id", p.as_str())];
        if after.is_some() {
            form.push(("after", after_s.as_str()));
        }
        let a = app.call("list_comments", &form, None).await;
        assert_eq!(a.status, 200, "{}", a.body);
        for who in [None, Some(residents[0].as_str())] {
            page_matches_parts(&app, &p, after, who).await;
        }
        let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        let items = v["items"].as_array().unwrap();
        assert!(items.len() as i64 <= app::hall::COMMENTS_PAGE && !items.is_empty(), "{}", items.len());
        assert_eq!(v["total"].as_i64().unwrap(), tops + 2 * replies_of.len() as i64);
        for c in items {
            let id = c["id"].as_i64().unwrap();
            let replies: Vec<i64> = c["replies"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
            assert_eq!(replies, replies_of.get(&id).cloned().unwrap_or_default(), "replies of {id}");
            seen.push(id);
        }
        pages += 1;
        match v["next"].as_i64() {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, top_ids);
    assert_eq!(pages, 3);
    // The page itself links to the next page, and that page shows the next comments.
    let (_, html) = app.get(&format!("/hall/p/{proposal}"), &[]).await;
    let next = top_ids[app::hall::COMMENTS_PAGE as usize - 1];
    assert!(html.contains(&format!("comments_after={next}#discussion")), "no link to the next page");
    assert!(html.contains("第0条意见") && !html.contains(&format!("第{}条意见", app::hall::COMMENTS_PAGE)));
    let (_, html) = app.get(&format!("/hall/p/{proposal}?comments_after={next}"), &[]).await;
    assert!(html.contains(&format!("第{}条意见", app::hall::COMMENTS_PAGE)) && !html.contains("第0条意见"));

    // Proposal lists page in every sort, with and without filters, each proposal once.
    for i in 0..45 {
        let title = format!("社区议题第{i}号");
        let id = propose(&app, &residents[(i % 3) as usize], here, &title, "内容").await;
        // Ties on purpose (the cursor's id breaks them), dates out of id order (as imported
        // ones would be), and some open for voting with closing times.
        sqlx::query("UPDATE proposal SET support_count = $1, created_at = created_at - $2 WHERE id = $3")
            .bind(i % 7)
            .bind((i % 4) * 60_000)
            .bind(id)
            .execute(app.db.read())
            .await
            .unwrap();
        if i % 2 == 0 {
            let closes = app.clock.now_ms() + 3_600_000 * (i % 5 + 1);
            sqlx::query("UPDATE proposal SET state = 'voting', voting_opens_at = 0, voting_closes_at = $1 WHERE id = $2")
                .bind(closes)
                .bind(id)
                .execute(app.db.read())
                .await
                .unwrap();
            sqlx::query("INSERT INTO proposal_tally (proposal_id, open_until) VALUES ($1, $2)")
                .bind(id)
                .bind(closes)
                .execute(app.db.read())
                .await
                .unwrap();
        }
    }
    let c = here.to_string();
    let all = |extra: Vec<(&'static str, &'static str)>| {
        let (app, c) = (&app, c.clone());
        async move {
            let (mut seen, mut after) = (Vec::new(), None::<String>);
            loop {
                let mut form = vec![("community_id", c.clone())];
                form.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
                if let Some(a) = &after {
                    form.push(("after", a.clone()));
                }
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let a = app.call("list_proposals", &form, None).await;
                assert_eq!(a.status, 200, "{extra:?}: {}", a.body);
                let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
                seen.extend(v["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()));
                match v["next"].as_str() {
                    Some(n) => after = Some(n.to_string()),
                    None => return seen,
                }
            }
        }
    };
    let expected = |sql: &str| {
        let sql = sql.replace("{c}", &c);
        let app = &app;
        async move {
            sqlx::query(&sql).fetch_all(app.db.read()).await.unwrap().iter().map(|r| r.try_get::<i64, _>(0).unwrap()).collect::<Vec<_>>()
        }
    };
    for (extra, sql) in [
        (vec![], "SELECT id FROM proposal WHERE community_id = {c} ORDER BY created_at DESC, id DESC"),
        (vec![("sort", "supported")], "SELECT id FROM proposal WHERE community_id = {c} ORDER BY support_count DESC, id DESC"),
        (
            vec![("sort", "closing")],
            "SELECT id FROM proposal WHERE community_id = {c} AND state = 'voting' ORDER BY voting_closes_at, id",
        ),
        (
            vec![("sort", "supported"), ("state", "voting"), ("q", "议题")],
            "SELECT id FROM proposal WHERE community_id = {c} AND state = 'voting' AND title LIKE '%议题%'
              ORDER BY support_count DESC, id DESC",
        ),
        (
            vec![("category", "facilities"), ("q", "第")],
            "SELECT id FROM proposal WHERE community_id = {c} AND category = 'facilities' AND title LIKE '%第%'
              ORDER BY created_at DESC, id DESC",
        ),
    ] {
        let want = expected(sql).await;
        assert!(want.len() > 20, "{sql}: a single page proves nothing");
        assert_eq!(all(extra.clone()).await, want, "{extra:?}");
    }
});

both_engines!(discussion_is_threaded_moderated_and_logged, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let here = community(&app, "观音井社区").await;
    let residents = verified_residents(&app, here, 13600000000, 5).await;
    let staff = login(&app, "13900000002").await;
    let proposal = propose(&app, &residents[0], here, "楼道堆物清理", "消防通道被占。").await;
    let p = proposal.to_string();

    // Markup in a comment is text on the page.
    let evil = "<script>alert(1)</script> <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">点我</a>";
    assert!(app.call("post_comment", &[("proposal_id", &p), ("body", evil)], Some(&residents[1])).await.status < 400);
    let (status, html) = app.get(&format!("/hall/p/{proposal}"), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "comment not escaped");
    for raw in ["<script>alert(1)", "<img src=x", "<a href=\"javascript:"] {
        if let Some(at) = html.find(raw) {
            panic!("raw markup {raw:?} in the page: …{}…", &html[at.saturating_sub(300)..(at + 100).min(html.len())]);
        }
    }

    // One level of replies.
    let top = id(&app, "SELECT MAX(id) FROM comment").await.to_string();
    assert!(app.call("post_comment", &[("proposal_id", &p), ("parent_id", &top), ("body", "同意清理")], Some(&residents[2])).await.status < 400);
    let reply = id(&app, "SELECT MAX(id) FROM comment").await.to_string();
    assert_eq!(app.call("post_comment", &[("proposal_id", &p), ("parent_id", &reply), ("body", "楼中楼")], Some(&residents[3])).await.status, 400);
    // The author of the proposal follows it and hears of the comments.
    let inbox = app.call("my_notifications", &[], Some(&residents[0])).await;
    assert!(inbox.body.contains("new_comment"), "{}", inbox.body);

    // Editing: own comment, within 15 minutes.
    assert_eq!(app.call("edit_comment", &[("id", &reply), ("body", "改")], Some(&residents[3])).await.status, 403);
    assert!(app.call("edit_comment", &[("id", &reply), ("body", "同意尽快清理")], Some(&residents[2])).await.status < 400);
    app.clock.advance_ms(16 * 60_000);
    assert_eq!(app.call("edit_comment", &[("id", &reply), ("body", "再改")], Some(&residents[2])).await.status, 409);

    // Three different residents' reports hide a comment pending review; one resident's
    // repeated reports count once.
    for r in [&residents[2], &residents[2], &residents[3]] {
        assert!(app.call("report_comment", &[("id", &top), ("reason", "不文明")], Some(r)).await.status < 400);
    }
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM comment WHERE id = {top} AND hidden_at IS NOT NULL")).await, 0);
    assert_eq!(app.call("report_comment", &[("id", &top), ("reason", "")], Some(&residents[4])).await.status, 400);
    assert!(app.call("report_comment", &[("id", &top), ("reason", "含有脚本")], Some(&residents[4])).await.status < 400);
    let page = app.call("list_comments", &[("proposal_id", &p)], None).await;
    assert!(page.body.contains("PendingReview") && !page.body.contains("alert(1)"), "{}", page.body);
    // Staff see it to review it, and restore it; then hide it with a reason shown to all.
    let page = app.call("list_comments", &[("proposal_id", &p)], Some(&staff)).await;
    assert!(page.body.contains("alert(1)"), "{}", page.body);
    for who in [None, Some(staff.as_str()), Some(residents[4].as_str())] {
        page_matches_parts(&app, &p, None, who).await;
    }
    assert!(app.call("moderate_comment", &[("id", &top), ("action", "restore"), ("reason", "")], Some(&staff)).await.status < 400);
    assert_eq!(app.call("moderate_comment", &[("id", &top), ("action", "hide"), ("reason", "")], Some(&staff)).await.status, 400);
    assert!(app.call("moderate_comment", &[("id", &top), ("action", "hide"), ("reason", "含有不安全链接")], Some(&staff)).await.status < 400);
    let page = app.call("list_comments", &[("proposal_id", &p)], None).await;
    assert!(page.body.contains("含有不安全链接") && !page.body.contains("alert(1)"), "{}", page.body);

    // Locking stops new comments.
    assert!(app.call("lock_discussion", &[("proposal_id", &p), ("locked", "true"), ("reason", "讨论已充分")], Some(&staff)).await.status < 400);
    assert_eq!(app.call("post_comment", &[("proposal_id", &p), ("body", "还有话说")], Some(&residents[1])).await.status, 409);

    // The public moderation log, newest first.
    let log = app.call("moderation_log", &[("community_id", &here.to_string())], None).await;
    let v: serde_json::Value = serde_json::from_str(&log.body).unwrap();
    let actions: Vec<&str> = v.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    // (The demo content hid one comment earlier.)
    assert_eq!(actions[..4], ["lock", "hide", "restore", "auto_hide"]);
    assert_eq!(id(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'moderate'").await, 3);
});

both_engines!(meetings_progress_and_followers, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let here = community(&app, "观音井社区").await;
    let residents = verified_residents(&app, here, 13600000000, 4).await;
    let staff = login(&app, "13900000002").await;
    let proposal = propose(&app, &residents[0], here, "修缮院落排水沟", "雨天积水。").await;
    let p = proposal.to_string();
    // A neighbour follows it; another stops following after following.
    assert!(app.call("follow_proposal", &[("id", &p), ("follow", "true")], Some(&residents[1])).await.status < 400);
    app.call("follow_proposal", &[("id", &p), ("follow", "true")], Some(&residents[2])).await;
    app.call("follow_proposal", &[("id", &p), ("follow", "false")], Some(&residents[2])).await;

    open_voting(&app, &staff, proposal).await;
    for r in &residents {
        app.call("cast_vote", &[("id", &p), ("choice", "for")], Some(r)).await;
    }
    // The offline meeting: attendance, minutes, and paper ballots kept apart from the tally.
    let held = app::time::format_input(app.clock.now_ms() - 86_400_000);
    let a = app
        .call(
            "record_meeting",
            &[("community_id", &here.to_string()), ("held_at", &held), ("venue", "观音井社区党群服务中心"),
              ("residents_present", "32"), ("deputies_present", "2"), ("elders_present", "5"), ("minutes", "议定排水沟修缮方案。")],
            Some(&staff),
        )
        .await;
    assert!(a.status < 400, "{}", a.body);
    let meeting = id(&app, "SELECT MAX(id) FROM meeting").await.to_string();
    let future = app::time::format_input(app.clock.now_ms() + 86_400_000);
    let a = app
        .call("record_meeting", &[("community_id", &here.to_string()), ("held_at", &future), ("venue", "x"), ("residents_present", "1"), ("deputies_present", "0"), ("elders_present", "0"), ("minutes", "x")], Some(&staff))
        .await;
    assert_eq!(a.status, 400);
    let a = app
        .call("record_meeting_item", &[("meeting_id", &meeting), ("proposal_id", &p), ("decision", "同意修缮"), ("ballots_for", "30"), ("ballots_against", "1"), ("ballots_abstain", "1")], Some(&staff))
        .await;
    assert!(a.status < 400, "{}", a.body);
    let (_, _, counters, _) = standing(&app, proposal).await;
    assert_eq!(counters, [4, 0, 0], "paper ballots never join the online tally");
    // The meetings page, as the server renders it: staff get each meeting's form to record a
    // decision, with the proposals on the agenda to choose from (read after the hall, so the
    // page must wait for them too); a resident gets the meetings without it.
    // Rendered 30 times at once: whichever of the page's reads finishes first, no render may
    // go out without the agenda (CI once caught one that did).
    let meetings_page = format!("/hall/c/{here}/meetings");
    let renders: Vec<_> = (0..30)
        .map(|_| {
            let (client, url, cookie) = (app.client.clone(), app.url(&meetings_page), format!("linli_session={staff}"));
            tokio::spawn(async move {
                let resp = client.get(url).header("cookie", cookie).send().await.unwrap();
                (resp.status().as_u16(), resp.text().await.unwrap())
            })
        })
        .collect();
    for render in renders {
        let (status, html) = render.await.unwrap();
        assert_eq!(status, 200);
        assert!(html.contains("观音井社区党群服务中心") && html.contains("record_meeting_item"), "{html}");
        assert!(html.contains(&format!("<option value=\"{p}\">#{p} 修缮院落排水沟</option>")), "{html}");
    }
    let (_, html) = app.get(&meetings_page, &[("cookie", &format!("linli_session={}", residents[0]))]).await;
    assert!(html.contains("观音井社区党群服务中心") && !html.contains("record_meeting_item"), "{html}");
    let page = app.call("get_proposal", &[("id", &p)], None).await;
    assert!(page.body.contains("同意修缮") && page.body.contains("\"votes_for\":30"), "{}", page.body);

    // Voting closes; staff post progress until done.
    app.clock.advance_ms(3_600_000);
    assert_eq!(app.call("post_progress", &[("id", &p), ("dated", "2027-01-15"), ("body", "x")], Some(&residents[0])).await.status, 403);
    let a = app.call("post_progress", &[("id", &p), ("dated", "2027-01-15"), ("body", "施工队已进场。")], Some(&staff)).await;
    assert!(a.status < 400, "{}", a.body);
    assert_eq!(standing(&app, proposal).await.0, "implementing");
    assert_eq!(app.call("post_progress", &[("id", &p), ("dated", "2027-02-30"), ("body", "x")], Some(&staff)).await.status, 400);
    // A later update about an earlier day is listed by its day.
    let a = app.call("post_progress", &[("id", &p), ("dated", "2027-01-10"), ("body", "材料已到场。")], Some(&staff)).await;
    assert!(a.status < 400, "{}", a.body);
    assert!(app.call("advance_proposal", &[("id", &p), ("step", "complete"), ("note", "已完工验收")], Some(&staff)).await.status < 400);
    assert_eq!(standing(&app, proposal).await.0, "done");
    // An illegal step is refused.
    assert_eq!(app.call("advance_proposal", &[("id", &p), ("step", "put_on_agenda"), ("note", "")], Some(&staff)).await.status, 409);
    // The page in one read: the timeline in the order it happened (each step starts where the
    // one before ended), progress by day, the meeting, and each viewer's own part.
    let page = |who: Option<usize>| {
        let (app, p, residents) = (&app, &p, &residents);
        async move {
            let a = app.call("get_proposal", &[("id", p)], who.map(|i| residents[i].as_str())).await;
            assert_eq!(a.status, 200, "{}", a.body);
            serde_json::from_str::<serde_json::Value>(&a.body).unwrap()
        }
    };
    let v = page(None).await;
    let steps: Vec<(serde_json::Value, serde_json::Value)> =
        v["timeline"].as_array().unwrap().iter().map(|e| (e["from"].clone(), e["to"].clone())).collect();
    assert_eq!(steps.first().unwrap().0, serde_json::Value::Null, "{steps:?}");
    assert_eq!(steps.last().unwrap().1, "done", "{steps:?}");
    assert!(steps.len() >= 5 && steps.windows(2).all(|w| w[0].1 == w[1].0), "{steps:?}");
    let days: Vec<&str> = v["progress"].as_array().unwrap().iter().map(|u| u["dated"].as_str().unwrap()).collect();
    assert_eq!(days, ["2027-01-10", "2027-01-15"]);
    assert_eq!(v["meetings"][0]["venue"], "观音井社区党群服务中心");
    assert_eq!((v["following"].clone(), v["my_vote"].clone(), v["logged_in"].clone()), (false.into(), serde_json::Value::Null, false.into()));
    let v = page(Some(1)).await;
    assert_eq!((v["following"].clone(), v["my_vote"].clone(), v["logged_in"].clone()), (true.into(), "for".into(), true.into()));
    assert_eq!(page(Some(2)).await["following"], false, "stopped following");

    // Followers heard of each step and the progress; the one who unfollowed did not.
    let kinds = |body: String| {
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v.as_array().unwrap().iter().map(|n| n["event"]["kind"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let follower = kinds(app.call("my_notifications", &[], Some(&residents[1])).await.body);
    assert!(follower.contains(&"proposal_progress".to_string()), "{follower:?}");
    assert!(follower.iter().filter(|k| *k == "proposal_state").count() >= 4, "{follower:?}");
    let unfollowed = kinds(app.call("my_notifications", &[], Some(&residents[2])).await.body);
    assert!(unfollowed.is_empty(), "{unfollowed:?}");
    // Pages render in both languages.
    for lang in ["zh", "en"] {
        let (status, html) = app.get(&format!("/hall/p/{proposal}"), &[("cookie", &format!("i18n_pref_locale={lang}"))]).await;
        assert_eq!(status, 200);
        assert!(html.contains("施工队已进场。") && html.contains("观音井社区党群服务中心"));
    }
    let (_, en) = app.get(&format!("/hall/c/{here}"), &[("cookie", "i18n_pref_locale=en")]).await;
    assert!(en.contains("Done") && en.contains("Guanyinjing"), "English list");
    // The filter form comes back holding what was asked for (it is never re-rendered in the
    // browser, so the server's HTML is all a reader sees).
    let (status, filtered) = app.get(&format!("/hall/c/{here}?state=done&category=environment&q=road"), &[]).await;
    assert_eq!(status, 200);
    for kept in [r#"value="done" selected"#, r#"value="environment" selected"#, r#"value="road""#] {
        assert!(filtered.contains(kept), "the filter form keeps {kept}");
    }
    assert!(!filtered.contains(r#"value="voting" selected"#), "only the chosen state is selected");
});

// A proposal page never waits for a read connection while holding one (the places kept in
// memory load through the pool after its own query is done): were it to, requests each
// holding a connection and waiting for a second would hold every one and wait for each other.
both_engines!(many_proposal_pages_at_once_with_nothing_kept, |engine| async move {
    let app = TestApp::spawn(engine).await;
    linli_server::seed::demo(&app.db).await.unwrap();
    let proposal = id(&app, "SELECT MIN(id) FROM proposal").await;
    let pages: Vec<_> = (0..40)
        .map(|_| {
            let (client, url) = (app.client.clone(), app.url(&format!("/hall/p/{proposal}")));
            tokio::spawn(async move { client.get(url).send().await.unwrap().status().as_u16() })
        })
        .collect();
    let all = async {
        let mut statuses = Vec::new();
        for page in pages {
            statuses.push(page.await.unwrap());
        }
        statuses
    };
    let statuses = tokio::time::timeout(std::time::Duration::from_secs(20), all).await.expect("pages wait for each other");
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
});

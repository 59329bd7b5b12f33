//! 五社联动 through its public API, on SQLite and on PostgreSQL: a hundred volunteers racing
//! for ten slots and the waitlist that follows, overlapping sign-ups racing, parallel charity
//! claims, hours credited once, an organization's whole path from registration to a
//! certificate and a reminder, the rules that depend on whose team, organization or community
//! it is, the social-worker directory and 双报到, and bad input.
//!
//! The demo district is loaded for its places and staff; the marketplace rows each test
//! measures are its own (the demo's marketplace content may change).
use crate::common;
use common::{call, district, id, login, ok, refused, enc, in_parallel, volunteers, Answer, TestApp};
use serde_json::Value;
use sqlx::Row;
use std::collections::HashMap;

const PASSWORD: &str = "五社联动 测试口令";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

async fn ids(app: &TestApp, sql: &str) -> Vec<i64> {
    sqlx::query(sql).fetch_all(app.db.read()).await.unwrap().iter().map(|r| r.try_get(0).unwrap()).collect()
}



/// A new account made staff of `community`, as an admin would grant it.
async fn staff_of(app: &TestApp, phone: &str, community: i64) -> String {
    use app::accounts::{Role, RoleGrant, Scope};
    let session = app.register(phone, "测试外社区干部", PASSWORD).await;
    let account = id(app, &format!("SELECT id FROM account WHERE phone = '{phone}'")).await;
    let mut tx = app.db.begin_write().await.unwrap();
    let grant = RoleGrant { role: Role::CommunityStaff, scope: Some(Scope::Community(community)) };
    app::accounts::store::grant(&mut tx, account, grant, None, app.clock.now_ms()).await.unwrap();
    tx.commit().await.unwrap();
    session
}

/// Registers an organization of `community` as `founder` (pending); returns its id.
async fn register_org(app: &TestApp, founder: &str, community: i64, name: &str) -> i64 {
    let form = [
        ("name", name.to_string()),
        ("kind", "social_org".into()),
        ("community_id", community.to_string()),
        ("service_areas[]", "elder".into()),
        ("service_areas[]", "meals".into()),
        ("description", "测试用的为老服务社会组织".into()),
        ("contact_name", "王丽华".into()),
        ("contact_phone", "13812341234".into()),
    ];
    ok(call(app, Some(founder), "register_org", &form).await, "register_org").as_i64().unwrap()
}

/// An organization `staff` verified; returns its id.
async fn verified_org(app: &TestApp, founder: &str, staff: &str, community: i64, name: &str) -> i64 {
    let org = register_org(app, founder, community, name).await;
    decide_org(app, staff, org, "verify", "").await;
    org
}

async fn decide_org(app: &TestApp, staff: &str, org: i64, decision: &str, reason: &str) -> Answer {
    let form = [("id", org.to_string()), ("decision", decision.into()), ("reason", reason.into())];
    call(app, Some(staff), "decide_org", &form).await
}

/// A team of the community formed by its staff, led by the volunteer with `leader_phone` (the
/// staff member when empty); returns its id.
async fn community_team(app: &TestApp, staff: &str, community: i64, name: &str, leader_phone: &str) -> i64 {
    let form = [
        ("community_id", community.to_string()),
        ("name", name.into()),
        ("description", "测试用的志愿服务队".into()),
        ("leader_phone", leader_phone.into()),
    ];
    ok(call(app, Some(staff), "create_team", &form).await, "create_team").as_i64().unwrap()
}

/// The form of an activity of `team` starting `starts_in` from now and lasting `length`.
fn activity_form(app: &TestApp, team: i64, title: &str, starts_in: i64, length: i64, slots: i64) -> Vec<(&'static str, String)> {
    let starts = app.clock.now_ms() + starts_in;
    vec![
        ("team_id", team.to_string()),
        ("title", title.to_string()),
        ("description", "测试活动：请准时到场".into()),
        ("place", "观音井社区党群服务中心".into()),
        ("starts_at", app::time::format_input(starts)),
        ("ends_at", app::time::format_input(starts + length)),
        ("slots", slots.to_string()),
    ]
}

/// Posts an activity of `team` as `session`; returns its id.
async fn post_activity(app: &TestApp, session: &str, team: i64, title: &str, starts_in: i64, length: i64, slots: i64) -> i64 {
    let form = activity_form(app, team, title, starts_in, length, slots);
    ok(call(app, Some(session), "create_activity", &form).await, "create_activity").as_i64().unwrap()
}

/// The activity's page as `session` sees it (anonymous when None).
async fn activity_page(app: &TestApp, session: Option<&str>, activity: i64) -> Value {
    ok(call(app, session, "get_activity", &[("id", activity.to_string())]).await, "get_activity")
}

/// The check-in code, as the organiser's view of the page shows it.
async fn checkin_code(app: &TestApp, organiser: &str, activity: i64) -> String {
    activity_page(app, Some(organiser), activity).await["organiser"]["checkin_code"].as_str().unwrap().to_string()
}

/// The activity's sign-ups: (id, account, status), in id order.
async fn signups(app: &TestApp, activity: i64) -> Vec<(i64, i64, String)> {
    sqlx::query("SELECT id, account_id, status FROM signup WHERE activity_id = $1 ORDER BY id")
        .bind(activity)
        .fetch_all(app.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.try_get("id").unwrap(), r.try_get("account_id").unwrap(), r.try_get("status").unwrap()))
        .collect()
}

async fn confirmed_count(app: &TestApp, activity: i64) -> i64 {
    id(app, &format!("SELECT confirmed_count FROM activity WHERE id = {activity}")).await
}

/// The waitlist's counter (`activity_waitlist`), checked against its rows.
async fn waiting(app: &TestApp, activity: i64) -> i64 {
    let counter = id(app, &format!("SELECT COALESCE((SELECT waiting FROM activity_waitlist WHERE activity_id = {activity}), 0)")).await;
    let rows = id(app, &format!("SELECT COUNT(*) FROM signup WHERE activity_id = {activity} AND status = 'waitlisted'")).await;
    assert_eq!(counter, rows, "the waitlist's counter and its rows");
    counter
}

/// How many notifications of `kind` the account has.
async fn told(app: &TestApp, account: i64, kind: &str) -> i64 {
    id(app, &format!("SELECT COUNT(*) FROM notification WHERE account_id = {account} AND kind = '{kind}'")).await
}

/// Every marketplace row, the inbox and the audit log: what a refused call must leave as it was.
async fn market_rows(app: &TestApp) -> String {
    let mut out = String::new();
    for table in [
        "organization", "offering", "volunteer", "volunteer_skill", "team", "team_member", "activity", "activity_skill", "activity_waitlist",
        "signup", "hours_credit", "certificate", "social_worker", "charity_resource", "charity_claim", "notification",
        "audit_log",
    ] {
        for r in sqlx::query(&format!("SELECT * FROM {table} ORDER BY 1, 2")).fetch_all(app.db.read()).await.unwrap() {
            out.push_str(table);
            for i in 0..r.len() {
                let cell = match r.try_get::<Option<String>, _>(i) {
                    Ok(text) => text,
                    Err(_) => r.try_get::<Option<i64>, _>(i).unwrap().map(|n| n.to_string()),
                };
                out.push('|');
                out.push_str(cell.as_deref().unwrap_or("∅"));
            }
            out.push('\n');
        }
    }
    out
}

both_engines!(a_hundred_volunteers_race_for_ten_slots, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let team = community_team(&app, &staff, here, "测试抢位服务队", "").await;
    let activity = post_activity(&app, &staff, team, "测试：十个名额的敬老活动", DAY, 2 * HOUR, 10).await;
    let vols = volunteers(&app, here, 13600000000, 100).await;
    let session: HashMap<i64, &str> = vols.iter().map(|v| (v.account_id, v.session.as_str())).collect();

    // A hundred sign-ups at once: every one is answered, ten with a slot.
    let calls = vols.iter().map(|v| (v.session.clone(), format!("id={activity}"))).collect();
    let statuses = in_parallel(&app, "sign_up", calls).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let rows = signups(&app, activity).await;
    let confirmed: Vec<&(i64, i64, String)> = rows.iter().filter(|r| r.2 == "confirmed").collect();
    let waitlist: Vec<&(i64, i64, String)> = rows.iter().filter(|r| r.2 == "waitlisted").collect();
    assert_eq!((confirmed.len(), waitlist.len()), (10, 90));
    assert_eq!(confirmed_count(&app, activity).await, 10);
    assert_eq!(waiting(&app, activity).await, 90);
    // The slots went to the first ten to take the activity's lock, so the waitlist (in id
    // order) starts after them.
    assert!(confirmed.iter().all(|c| c.0 < waitlist[0].0), "{rows:?}");
    if engine == common::Engine::Postgres {
        // The locks wrote no row versions (`db::lock_rows`): the activity's row is still the
        // version the last slot taken wrote, in the transaction that inserted that sign-up, and
        // no volunteer's row was rewritten by the transaction that signed them up.
        let last_slot = confirmed.last().unwrap().0;
        let same = id(&app, &format!(
            "SELECT COUNT(*) FROM activity a, signup s WHERE a.id = {activity} AND s.id = {last_slot} AND a.xmin::text = s.xmin::text"
        )).await;
        assert_eq!(same, 1, "the activity's row was rewritten after its last slot was taken");
        let rewritten = id(&app, &format!(
            "SELECT COUNT(*) FROM signup s JOIN volunteer v ON v.account_id = s.account_id
              WHERE s.activity_id = {activity} AND v.xmin::text = s.xmin::text"
        )).await;
        assert_eq!(rewritten, 0, "a sign-up rewrote its volunteer's row");
    }
    // Each volunteer sees where they stand: the waitlisted their place, 1 to 90 in id order.
    for (place, w) in waitlist.iter().enumerate() {
        let page = activity_page(&app, Some(session[&w.1]), activity).await;
        assert_eq!(page["mine"]["status"], "Waitlisted");
        assert_eq!(page["mine"]["position"], place as i64 + 1, "signup {}", w.0);
    }
    let page = activity_page(&app, Some(session[&confirmed[0].1]), activity).await;
    assert_eq!((&page["mine"]["status"], &page["mine"]["position"]), (&Value::from("Confirmed"), &Value::Null));

    // Five of the confirmed cancel at once: the first five of the waitlist move up, each told.
    let leaving: Vec<i64> = confirmed.iter().step_by(2).map(|c| c.1).collect();
    assert_eq!(leaving.len(), 5);
    let calls = leaving.iter().map(|a| (session[a].to_string(), format!("id={activity}"))).collect();
    let statuses = in_parallel(&app, "cancel_signup", calls).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let promoted: Vec<i64> = waitlist.iter().take(5).map(|w| w.1).collect();
    let mut expected: Vec<i64> = confirmed.iter().map(|c| c.1).filter(|a| !leaving.contains(a)).chain(promoted.clone()).collect();
    expected.sort();
    let after = signups(&app, activity).await;
    let mut now_confirmed: Vec<i64> = after.iter().filter(|r| r.2 == "confirmed").map(|r| r.1).collect();
    now_confirmed.sort();
    assert_eq!(now_confirmed, expected);
    let still_waiting: Vec<i64> = after.iter().filter(|r| r.2 == "waitlisted").map(|r| r.1).collect();
    assert_eq!(still_waiting, waitlist.iter().skip(5).map(|w| w.1).collect::<Vec<_>>(), "the rest keep their order");
    assert_eq!(confirmed_count(&app, activity).await, 10);
    assert_eq!(waiting(&app, activity).await, 85);
    let first = vols[0].account_id;
    let mut notified = ids(&app, &format!("SELECT account_id FROM notification WHERE kind = 'promoted' AND account_id >= {first} ORDER BY account_id")).await;
    notified.sort();
    let mut promoted_sorted = promoted.clone();
    promoted_sorted.sort();
    assert_eq!(notified, promoted_sorted, "each promoted volunteer is told once, nobody else");
    // The public page counts what the rows say; the waitlist closed up behind them.
    let page = activity_page(&app, None, activity).await;
    assert_eq!((page["summary"]["confirmed"].as_i64(), page["summary"]["waitlisted"].as_i64()), (Some(10), Some(85)));
    let page = activity_page(&app, Some(session[&still_waiting[0]]), activity).await;
    assert_eq!(page["mine"]["position"], 1);
    let page = activity_page(&app, Some(session[&still_waiting[84]]), activity).await;
    assert_eq!(page["mine"]["position"], 85);
    // The first in line gives up waiting: the line and its counter shrink by one.
    ok(call(&app, Some(session[&still_waiting[0]]), "cancel_signup", &[("id", activity.to_string())]).await, "cancel_signup");
    assert_eq!(waiting(&app, activity).await, 84);
    let page = activity_page(&app, Some(session[&still_waiting[84]]), activity).await;
    assert_eq!((page["summary"]["waitlisted"].as_i64(), &page["mine"]["position"]), (Some(84), &Value::from(84)));
});

both_engines!(sign_ups_and_cancellations_race_on_a_full_activity, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let team = community_team(&app, &staff, here, "测试满员服务队", "").await;
    let activity = post_activity(&app, &staff, team, "测试：满员后的助老活动", DAY, 2 * HOUR, 10).await;
    let vols = volunteers(&app, here, 13600000000, 40).await;
    let (first, rest) = vols.split_at(10);
    let calls = first.iter().map(|v| (v.session.clone(), format!("id={activity}"))).collect();
    assert!(in_parallel(&app, "sign_up", calls).await.iter().all(|s| *s == 200));
    assert_eq!(confirmed_count(&app, activity).await, 10);

    // The ten holders cancel while thirty others sign up, all at once. A sign-up that finds
    // the activity full waits in line under the activity's lock, so no cancellation can free
    // a slot and find the line empty before it joins: every slot ends up taken.
    let calls: Vec<(String, String)> = rest.iter().map(|v| (v.session.clone(), format!("id={activity}"))).collect();
    let cancels: Vec<(String, String)> = first.iter().map(|v| (v.session.clone(), format!("id={activity}"))).collect();
    let (signed, cancelled) = tokio::join!(in_parallel(&app, "sign_up", calls), in_parallel(&app, "cancel_signup", cancels));
    assert!(signed.iter().chain(&cancelled).all(|s| *s == 200), "{signed:?} {cancelled:?}");
    let rows = signups(&app, activity).await;
    let confirmed = rows.iter().filter(|r| r.2 == "confirmed").count();
    assert_eq!((confirmed, rows.len() - confirmed), (10, 20), "{rows:?}");
    assert_eq!(confirmed_count(&app, activity).await, 10);
    assert_eq!(waiting(&app, activity).await, 20);
    assert!(rows.iter().all(|r| rest.iter().any(|v| v.account_id == r.1)), "only the newcomers hold it");

    // The narrowest form of that race, many times: the one holder of a one-slot activity
    // cancels as one newcomer signs up. Whichever goes first, the newcomer ends up holding it.
    let pairs = volunteers(&app, here, 13600001000, 40).await;
    for (k, pair) in pairs.chunks(2).enumerate() {
        let title = format!("测试：一个名额的活动 {k}");
        let one = post_activity(&app, &staff, team, &title, 2 * DAY + k as i64 * 3 * HOUR, HOUR, 1).await;
        ok(call(&app, Some(&pair[0].session), "sign_up", &[("id", one.to_string())]).await, "sign_up");
        let form = [("id", one.to_string())];
        let (cancel, join) = tokio::join!(
            call(&app, Some(&pair[0].session), "cancel_signup", &form),
            call(&app, Some(&pair[1].session), "sign_up", &form),
        );
        ok(cancel, "cancel_signup");
        // Answered "Waitlisted" when it went first; the cancellation then moved it up.
        ok(join, "sign_up beside a cancellation");
        assert_eq!(signups(&app, one).await.iter().map(|r| (r.1, r.2.as_str())).collect::<Vec<_>>(), [(pair[1].account_id, "confirmed")], "round {k}");
    }
});

both_engines!(overlapping_sign_ups_race_and_one_holds, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let team = community_team(&app, &staff, here, "测试撞时服务队", "").await;
    // In two days: A 0–2 h, B 1–3 h (overlapping A), C 3–5 h (starting as B ends: neither).
    let a = post_activity(&app, &staff, team, "测试：上午院落清扫", 2 * DAY, 2 * HOUR, 50).await;
    let b = post_activity(&app, &staff, team, "测试：上午助餐送餐", 2 * DAY + HOUR, 2 * HOUR, 50).await;
    let c = post_activity(&app, &staff, team, "测试：中午义剪进院", 2 * DAY + 3 * HOUR, 2 * HOUR, 50).await;
    let vols = volunteers(&app, here, 13600000000, 20).await;

    // Each of twenty volunteers sends both sign-ups at once: one holds, the other is refused.
    let calls = vols
        .iter()
        .flat_map(|v| [(v.session.clone(), format!("id={a}")), (v.session.clone(), format!("id={b}"))])
        .collect();
    let statuses = in_parallel(&app, "sign_up", calls).await;
    for (v, pair) in vols.iter().zip(statuses.chunks(2)) {
        let mut answers = pair.to_vec();
        answers.sort();
        assert_eq!(answers, [200, 409], "volunteer {}", v.account_id);
        let won = if pair[0] == 200 { a } else { b };
        let held = ids(&app, &format!("SELECT activity_id FROM signup WHERE account_id = {} AND activity_id IN ({a}, {b})", v.account_id)).await;
        assert_eq!(held, [won], "volunteer {}", v.account_id);
    }
    assert_eq!(confirmed_count(&app, a).await + confirmed_count(&app, b).await, 20);
    assert_eq!(signups(&app, a).await.len() + signups(&app, b).await.len(), 20);
    // Asked again, the other one says why.
    let lost = if id(&app, &format!("SELECT COUNT(*) FROM signup WHERE activity_id = {a} AND account_id = {}", vols[0].account_id)).await == 1 { b } else { a };
    refused(call(&app, Some(&vols[0].session), "sign_up", &[("id", lost.to_string())]).await, 409, "overlap", "sign_up");

    // C touches B's end and not A at all: everyone gets it, also all at once.
    let calls = vols.iter().map(|v| (v.session.clone(), format!("id={c}"))).collect();
    let statuses = in_parallel(&app, "sign_up", calls).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(confirmed_count(&app, c).await, 20);
    for v in &vols {
        assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM signup WHERE account_id = {}", v.account_id)).await, 2);
    }
});

both_engines!(parallel_claims_never_take_more_than_there_is, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let founder = app.register("13700000301", "测试慈善负责人", PASSWORD).await;
    let org = verified_org(&app, &founder, &staff, here, "测试慈善物资站").await;
    let offer = |title: &str, quantity: i64| {
        let form = [
            ("org_id", org.to_string()),
            ("kind", "goods".into()),
            ("title", title.to_string()),
            ("unit", "份".into()),
            ("quantity", quantity.to_string()),
            ("description", "测试捐赠物资".into()),
        ];
        let (app, founder) = (&app, &founder);
        async move { ok(call(app, Some(founder), "offer_resource", &form).await, "offer_resource").as_i64().unwrap() }
    };
    let rice = offer("测试：米面油礼包", 10).await;

    // Thirty claims of one at once by 观音井's staff: exactly ten get one.
    let body = format!("id={rice}&claimant={}&quantity=1&purpose={}", enc(&format!("community:{here}")), enc("慰问困难老人"));
    let statuses = in_parallel(&app, "claim_resource", (0..30).map(|_| (staff.clone(), body.clone())).collect()).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 20, "{statuses:?}");
    let remaining = id(&app, &format!("SELECT remaining FROM charity_resource WHERE id = {rice}")).await;
    let claimed = id(&app, &format!("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM charity_claim WHERE resource_id = {rice}")).await;
    assert_eq!((remaining, claimed), (0, 10));

    // A claim larger than what is left is refused whole, and nothing changes.
    let oil = offer("测试：食用油", 5).await;
    let claim = |session: &str, claimant: String, quantity: i64| {
        let form = [("id", oil.to_string()), ("claimant", claimant), ("quantity", quantity.to_string()), ("purpose", "重阳节慰问".into())];
        let (app, session) = (&app, session.to_string());
        async move { call(app, Some(&session), "claim_resource", &form).await }
    };
    ok(claim(&founder, format!("org:{org}"), 3).await, "the organization claims for itself");
    let before = market_rows(&app).await;
    refused(claim(&staff, format!("community:{here}"), 3).await, 409, "not_enough", "claim 3 of 2");
    assert_eq!(market_rows(&app).await, before);
    let board = ok(call(&app, None, "charity_board", &[]).await, "charity_board");
    let shown = board["resources"].as_array().unwrap().iter().find(|r| r["id"] == oil).unwrap().clone();
    assert_eq!((shown["quantity"].as_i64(), shown["remaining"].as_i64()), (Some(5), Some(2)));
    assert_eq!(shown["claims"].as_array().unwrap().len(), 1);
});

both_engines!(hours_are_credited_once_per_attendance, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let team = community_team(&app, &staff, here, "测试记时服务队", "").await;
    // Starting in half an hour: check-in is open now, so attendance can be confirmed now.
    let activity = post_activity(&app, &staff, team, "测试：楼道清扫", HOUR / 2, 3 * HOUR, 10).await;
    let code = checkin_code(&app, &staff, activity).await;
    let vols = volunteers(&app, here, 13600000000, 2).await;
    for v in &vols {
        ok(call(&app, Some(&v.session), "sign_up", &[("id", activity.to_string())]).await, "sign_up");
        ok(call(&app, Some(&v.session), "check_in", &[("id", activity.to_string()), ("code", code.clone())]).await, "check_in");
    }
    let signup_of = |v: &common::Volunteer| format!("SELECT id FROM signup WHERE account_id = {} AND activity_id = {activity}", v.account_id);
    let (first, second) = (id(&app, &signup_of(&vols[0])).await, id(&app, &signup_of(&vols[1])).await);
    let confirm = |signup: i64, hours: &str| {
        let form = [("signup_id", signup.to_string()), ("hours", hours.to_string())];
        let (app, staff) = (&app, &staff);
        async move { call(app, Some(staff), "confirm_attendance", &form).await }
    };

    // Twice in a row: the second, with other hours, changes nothing.
    ok(confirm(first, "2").await, "confirm");
    ok(confirm(first, "3").await, "confirm again");
    // Ten times at once.
    let body = format!("signup_id={second}&hours=1.5");
    let statuses = in_parallel(&app, "confirm_attendance", (0..10).map(|_| (staff.clone(), body.clone())).collect()).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

    for (v, signup, minutes) in [(&vols[0], first, 120), (&vols[1], second, 90)] {
        let credits = ids(&app, &format!("SELECT minutes FROM hours_credit WHERE source_kind = 'activity' AND source_id = {signup}")).await;
        assert_eq!(credits, [minutes]);
        assert_eq!(id(&app, &format!("SELECT attended_minutes FROM signup WHERE id = {signup}")).await, minutes);
        let total = id(&app, &format!("SELECT total_minutes FROM volunteer WHERE account_id = {}", v.account_id)).await;
        let ledger = id(&app, &format!("SELECT CAST(SUM(minutes) AS BIGINT) FROM hours_credit WHERE account_id = {}", v.account_id)).await;
        assert_eq!((total, ledger), (minutes, minutes));
        assert_eq!(told(&app, v.account_id, "hours_credited").await, 1);
    }
    let team_total = id(&app, &format!("SELECT total_minutes FROM team WHERE id = {team}")).await;
    let team_ledger = id(&app, &format!("SELECT CAST(SUM(minutes) AS BIGINT) FROM hours_credit WHERE team_id = {team}")).await;
    assert_eq!((team_total, team_ledger), (210, 210));
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'confirm_attendance' AND object_id IN ({first}, {second})")).await, 2);

    // Credited before the start (checked in on site), the volunteer can't cancel and come
    // again to be credited a second time for the same activity.
    let v = &vols[0];
    let cancel = call(&app, Some(&v.session), "cancel_signup", &[("id", activity.to_string())]).await;
    ok(call(&app, Some(&v.session), "sign_up", &[("id", activity.to_string())]).await, "sign_up again");
    ok(call(&app, Some(&v.session), "check_in", &[("id", activity.to_string()), ("code", code.clone())]).await, "check_in again");
    ok(confirm(id(&app, &signup_of(v)).await, "3").await, "confirm again");
    let credits = ids(&app, &format!("SELECT minutes FROM hours_credit WHERE account_id = {} AND title = '测试：楼道清扫'", v.account_id)).await;
    assert_eq!(credits, [120], "one credit for one activity");
    assert_eq!(id(&app, &format!("SELECT total_minutes FROM volunteer WHERE account_id = {}", v.account_id)).await, 120);
    refused(cancel, 409, "started", "cancelling after checking in");
});

both_engines!(an_organization_from_registration_to_a_certificate, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let neighbour = login(&app, "13900000009").await;
    let founder = app.register("13700000501", "测试服务社负责人", PASSWORD).await;
    let founder_id = id(&app, "SELECT id FROM account WHERE phone = '13700000501'").await;

    // Registered: pending, hidden from the public, whole for its admin and the staff.
    let org = register_org(&app, &founder, here, "测试邻里互助服务社").await;
    let get_org = |session: Option<&str>| {
        let session = session.map(str::to_string);
        let app = &app;
        async move { call(app, session.as_deref(), "get_org", &[("id", org.to_string())]).await }
    };
    refused(get_org(None).await, 404, "NotFound", "anonymous, pending");
    refused(get_org(Some(&neighbour)).await, 404, "NotFound", "a resident, pending");
    let mine = ok(get_org(Some(&founder)).await, "its admin");
    assert_eq!((&mine["summary"]["status"], &mine["contact_phone"], &mine["is_admin"]), (&Value::from("Pending"), &Value::from("13812341234"), &Value::from(true)));
    let desk = ok(call(&app, Some(&staff), "staff_desk", &[]).await, "staff_desk");
    let waiting = desk["pending"].as_array().unwrap().iter().find(|p| p["summary"]["id"] == org).expect("on the staff desk").clone();
    assert_eq!((waiting["contact_name"].as_str(), waiting["contact_phone"].as_str()), (Some("王丽华"), Some("13812341234")));

    // Verified: its admin is told; the public sees it with the contact masked.
    ok(decide_org(&app, &staff, org, "verify", "").await, "decide_org");
    assert_eq!(told(&app, founder_id, "org_decided").await, 1);
    let public = ok(get_org(None).await, "anonymous, verified");
    assert_eq!((public["contact_name"].as_str(), public["contact_phone"].as_str()), (Some("王**"), Some("138****1234")));
    assert!(!public.to_string().contains("13812341234"), "{public}");
    let staff_view = ok(get_org(Some(&staff)).await, "staff");
    assert_eq!((staff_view["contact_phone"].as_str(), staff_view["is_staff"].as_bool()), (Some("13812341234"), Some(true)));
    let front = ok(call(&app, None, "market_home", &[]).await, "market_home");
    assert!(front["orgs"].as_array().unwrap().iter().any(|o| o["id"] == org), "verified organizations are listed");

    // Its team: a volunteer applies, the leader (the founder) approves.
    let form = [("org_id", org.to_string()), ("name", "测试银发守望队".into()), ("description", "探访独居老人".into()), ("leader_phone", "".into())];
    let team = ok(call(&app, Some(&founder), "create_team", &form).await, "create_team").as_i64().unwrap();
    let volunteer = app.register("13700000502", "测试志愿者小李", PASSWORD).await;
    let volunteer_id = id(&app, "SELECT id FROM account WHERE phone = '13700000502'").await;
    let number = ok(app.call("join_volunteers", &[], Some(&volunteer)).await, "join_volunteers");
    assert!(number.as_str().unwrap().starts_with("BZ"), "{number}");
    ok(call(&app, Some(&volunteer), "apply_to_team", &[("id", team.to_string())]).await, "apply_to_team");
    let page = ok(call(&app, Some(&founder), "get_team", &[("id", team.to_string())]).await, "get_team");
    assert_eq!(page["pending"][0]["account_id"], volunteer_id, "{page}");
    let form = [("team_id", team.to_string()), ("account_id", volunteer_id.to_string()), ("approve", "true".into())];
    ok(call(&app, Some(&founder), "decide_member", &form).await, "decide_member");
    let page = ok(call(&app, None, "get_team", &[("id", team.to_string())]).await, "get_team");
    assert_eq!(page["summary"]["member_count"], 2);
    assert!(page["members"].as_array().unwrap().contains(&Value::from("测试志愿者小李")), "{page}");
    assert_eq!(told(&app, volunteer_id, "team_decision").await, 1);

    // An activity in an hour and a half, three hours long; the volunteer takes a slot.
    let mut form = activity_form(&app, team, "测试：独居老人上门探访", 90 * 60_000, 3 * HOUR, 5);
    form.push(("skills[]", "elder_care".into()));
    let activity = ok(call(&app, Some(&founder), "create_activity", &form).await, "create_activity").as_i64().unwrap();
    let a = activity.to_string();
    assert_eq!(ok(call(&app, Some(&volunteer), "sign_up", &[("id", a.clone())]).await, "sign_up"), "Confirmed");
    let seen = activity_page(&app, Some(&volunteer), activity).await;
    assert_eq!((&seen["organiser"], &seen["summary"]["skills"]), (&Value::Null, &serde_json::json!(["ElderCare"])), "no code for volunteers");
    let code = checkin_code(&app, &founder, activity).await;
    let check = |endpoint: &'static str, code: String| {
        let (app, volunteer, a) = (&app, volunteer.clone(), a.clone());
        async move { call(app, Some(&volunteer), endpoint, &[("id", a), ("code", code)]).await }
    };

    // Check-in opens an hour before the start; the code must be the organiser's.
    refused(check("check_in", code.clone()).await, 409, "checkin_closed", "too early");
    app.clock.advance_ms(45 * 60_000);
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    refused(check("check_in", wrong).await, 400, "checkin_code", "wrong code");
    ok(check("check_in", code.clone()).await, "check_in");
    let roster = activity_page(&app, Some(&founder), activity).await["organiser"]["roster"].clone();
    assert!(roster[0]["checked_in_at"].is_i64(), "{roster}");
    // An hour into the activity they leave: an hour served, suggested to the organiser.
    app.clock.advance_ms(HOUR + 45 * 60_000);
    ok(check("check_out", code.clone()).await, "check_out");
    let roster = activity_page(&app, Some(&founder), activity).await["organiser"]["roster"].clone();
    assert_eq!(roster[0]["suggested_minutes"], 60, "{roster}");
    let signup = roster[0]["signup_id"].as_i64().unwrap();

    // The organiser confirms two and a half hours: the volunteer's ledger shows them.
    let form = [("signup_id", signup.to_string()), ("hours", "2.5".into())];
    ok(call(&app, Some(&founder), "confirm_attendance", &form).await, "confirm_attendance");
    let me = ok(app.call("my_volunteering", &[], Some(&volunteer)).await, "my_volunteering");
    assert_eq!(me["total_minutes"], 150);
    assert_eq!(me["ledger"].as_array().unwrap().len(), 1);
    assert_eq!((&me["ledger"][0]["minutes"], &me["ledger"][0]["team"]), (&Value::from(150), &Value::from("测试银发守望队")));
    assert_eq!((&me["teams"][0][0]["id"], &me["teams"][0][1]), (&Value::from(team), &Value::from("Member")));

    // A certificate, checked by anyone by its number.
    let number = ok(app.call("issue_certificate", &[], Some(&volunteer)).await, "issue_certificate");
    let number = number.as_str().unwrap().to_string();
    let cert = ok(call(&app, None, "get_certificate", &[("number", number.clone())]).await, "get_certificate");
    assert_eq!((cert["minutes"].as_i64(), cert["name"].as_str()), (Some(150), Some("测试志愿者小李")));
    refused(call(&app, None, "get_certificate", &[("number", format!("{number}9"))]).await, 404, "NotFound", "unknown number");

    // The day-before reminder goes to the confirmed volunteers once, however often the sweep runs.
    let tomorrow = post_activity(&app, &founder, team, "测试：明日助餐送餐", 20 * HOUR, 2 * HOUR, 2).await;
    let others = volunteers(&app, here, 13600000000, 2).await;
    for session in [&volunteer, &others[0].session, &others[1].session] {
        ok(call(&app, Some(session), "sign_up", &[("id", tomorrow.to_string())]).await, "sign_up");
    }
    assert_eq!(signups(&app, tomorrow).await[2].2, "waitlisted");
    let now = app.clock.now_ms();
    assert!(app::market::store::remind_due(&app.db, now).await.unwrap() >= 1);
    assert_eq!(app::market::store::remind_due(&app.db, now).await.unwrap(), 0);
    for (account, reminders) in [(volunteer_id, 1), (others[0].account_id, 1), (others[1].account_id, 0)] {
        assert_eq!(told(&app, account, "activity_reminder").await, reminders, "account {account}");
    }
});

both_engines!(who_may_act_depends_on_whose_it_is, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let there = id(&app, "SELECT id FROM community WHERE name = '回风亭社区'").await;
    let staff_there = staff_of(&app, "13700000601", there).await;

    // A leader decides for their own team only.
    let vols = volunteers(&app, here, 13600000000, 3).await;
    let (leader_one, leader_two, applicant) = (&vols[0], &vols[1], &vols[2]);
    let _first = community_team(&app, &staff, here, "测试第一服务队", &leader_one.phone).await;
    let second = community_team(&app, &staff, here, "测试第二服务队", &leader_two.phone).await;
    ok(call(&app, Some(&applicant.session), "apply_to_team", &[("id", second.to_string())]).await, "apply_to_team");
    let decide = [("team_id", second.to_string()), ("account_id", applicant.account_id.to_string()), ("approve", "true".into())];
    let before = market_rows(&app).await;
    refused(call(&app, Some(&leader_one.session), "decide_member", &decide).await, 403, "Forbidden", "another team's leader");
    refused(call(&app, Some(&staff), "decide_member", &decide).await, 403, "Forbidden", "the community's staff");
    assert_eq!(market_rows(&app).await, before);
    ok(call(&app, Some(&leader_two.session), "decide_member", &decide).await, "its leader");
    assert_eq!(id(&app, &format!("SELECT member_count FROM team WHERE id = {second}")).await, 2);
    refused(call(&app, Some(&leader_two.session), "decide_member", &decide).await, 409, "decided", "deciding twice");

    // A pending organization's admin can publish nothing.
    let founder = app.register("13700000602", "测试待审机构负责人", PASSWORD).await;
    let org = register_org(&app, &founder, here, "测试待审服务社").await;
    let o = org.to_string();
    let start = app::time::format_input(app.clock.now_ms() + 2 * DAY);
    let end = app::time::format_input(app.clock.now_ms() + 2 * DAY + HOUR);
    let publishing: [(&str, Vec<(&str, String)>); 4] = [
        ("add_offering", vec![("org_id", o.clone()), ("category", "elder".into()), ("title", "测试：上门理发".into()), ("description", "每月一次".into())]),
        ("create_team", vec![("org_id", o.clone()), ("name", "测试待审服务队".into()), ("description", "x".into()), ("leader_phone", "".into())]),
        ("create_activity", vec![("org_id", o.clone()), ("community_id", here.to_string()), ("title", "测试：待审机构的活动".into()), ("description", "x".into()), ("place", "x".into()), ("starts_at", start), ("ends_at", end), ("slots", "5".into())]),
        ("offer_resource", vec![("org_id", o.clone()), ("kind", "goods".into()), ("title", "测试：待审机构的物资".into()), ("unit", "份".into()), ("quantity", "5".into()), ("description", "x".into())]),
    ];
    let before = market_rows(&app).await;
    for (endpoint, form) in &publishing {
        refused(call(&app, Some(&founder), endpoint, form).await, 403, "Forbidden", endpoint);
    }
    assert_eq!(market_rows(&app).await, before);

    // Staff of 回风亭 decide nothing for 观音井: its organizations, directory and cadres.
    let entry = [("community_id", here.to_string()), ("name", "测试社工甲".into()), ("level", "assistant".into()), ("focus", "老年人个案".into())];
    let entry_id = ok(call(&app, Some(&staff), "save_social_worker", &entry).await, "save_social_worker").as_i64().unwrap();
    let before = market_rows(&app).await;
    refused(decide_org(&app, &staff_there, org, "verify", "").await, 403, "Forbidden", "decide_org from elsewhere");
    refused(call(&app, Some(&staff_there), "save_social_worker", &entry).await, 403, "Forbidden", "a new entry here");
    // Not even by moving 观音井's entry into their own community.
    let moved = [("id", entry_id.to_string()), ("community_id", there.to_string()), ("name", "测试社工甲".into()), ("level", "assistant".into()), ("focus", "x".into())];
    refused(call(&app, Some(&staff_there), "save_social_worker", &moved).await, 403, "Forbidden", "moving an entry away");
    refused(call(&app, Some(&staff_there), "remove_social_worker", &[("id", entry_id.to_string())]).await, 403, "Forbidden", "remove");
    let cadre = [("community_id", here.to_string()), ("phone", applicant.phone.clone()), ("unit", "巴州区税务局".into())];
    refused(call(&app, Some(&staff_there), "register_cadre", &cadre).await, 403, "Forbidden", "register_cadre");
    assert_eq!(market_rows(&app).await, before);

    // Rejecting needs a reason; a decision is final.
    let before = market_rows(&app).await;
    refused(decide_org(&app, &staff, org, "reject", " ").await, 400, "reason", "reject without a reason");
    refused(decide_org(&app, &staff, org, "approve", "").await, 400, "step", "an unknown decision");
    assert_eq!(market_rows(&app).await, before);
    ok(decide_org(&app, &staff, org, "reject", "登记材料不全").await, "reject");
    refused(decide_org(&app, &staff, org, "verify", "").await, 409, "decided", "deciding twice");
    refused(decide_org(&app, &staff, org, "reject", "再拒一次").await, 409, "decided", "deciding twice");
    let seen = ok(call(&app, Some(&founder), "get_org", &[("id", o.clone())]).await, "its admin");
    assert_eq!((seen["summary"]["status"].as_str(), seen["reject_reason"].as_str()), (Some("Rejected"), Some("登记材料不全")));
    refused(call(&app, None, "get_org", &[("id", o.clone())]).await, 404, "NotFound", "rejected, to the public");
    refused(call(&app, Some(&founder), "add_offering", &publishing[0].1).await, 403, "Forbidden", "rejected, publishing");
});

both_engines!(social_workers_and_cadres_are_kept_by_staff, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let listed = |community: i64| {
        let app = &app;
        async move {
            let d = ok(call(app, None, "social_workers", &[("community", community.to_string())]).await, "social_workers");
            d["entries"].as_array().unwrap().iter().map(|e| (e["id"].as_i64().unwrap(), e["name"].as_str().unwrap().to_string(), e["level"].as_str().unwrap().to_string())).collect::<Vec<_>>()
        }
    };

    // Added (with an empty id, as the page's form sends it), updated, removed; public throughout.
    let form = [("id", String::new()), ("community_id", here.to_string()), ("name", "测试社工甲".into()), ("level", "intermediate".into()), ("org_id", String::new()), ("focus", "老年人个案".into())];
    let entry = ok(call(&app, Some(&staff), "save_social_worker", &form).await, "add").as_i64().unwrap();
    assert!(listed(here).await.contains(&(entry, "测试社工甲".into(), "Intermediate".into())));
    let form = [("id", entry.to_string()), ("community_id", here.to_string()), ("name", "测试社工乙".into()), ("level", "senior".into()), ("focus", "社区矛盾调解".into())];
    assert_eq!(ok(call(&app, Some(&staff), "save_social_worker", &form).await, "update"), entry);
    let now = listed(here).await;
    assert!(now.contains(&(entry, "测试社工乙".into(), "Senior".into())), "{now:?}");
    assert!(!now.iter().any(|e| e.1 == "测试社工甲"), "{now:?}");
    ok(call(&app, Some(&staff), "remove_social_worker", &[("id", entry.to_string())]).await, "remove");
    assert!(!listed(here).await.iter().any(|e| e.0 == entry));
    refused(call(&app, Some(&staff), "remove_social_worker", &[("id", entry.to_string())]).await, 404, "NotFound", "removed already");
    refused(call(&app, Some(&staff), "save_social_worker", &form).await, 404, "NotFound", "updating a removed entry");
    let audited = id(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE object_kind = 'social_worker' AND object_id = {entry}")).await;
    assert_eq!(audited, 3);

    // 双报到: a volunteer registered as a cadre of 观音井; the report shows their hours there.
    let cadre = &volunteers(&app, here, 13600000000, 1).await[0];
    let register = |phone: &str, unit: &str| {
        let form = [("community_id", here.to_string()), ("phone", phone.to_string()), ("unit", unit.to_string())];
        let (app, staff) = (&app, &staff);
        async move { call(app, Some(staff), "register_cadre", &form).await }
    };
    let before = id(&app, "SELECT COUNT(*) FROM volunteer WHERE cadre_unit IS NOT NULL").await;
    refused(register("13799999999", "巴州区税务局").await, 400, "account", "an unknown phone");
    refused(register("13900000009", "巴州区税务局").await, 400, "account", "someone who is not a volunteer");
    refused(register(&cadre.phone, " ").await, 400, "place_name", "no unit");
    assert_eq!(id(&app, "SELECT COUNT(*) FROM volunteer WHERE cadre_unit IS NOT NULL").await, before);
    ok(register(&cadre.phone, "巴州区税务局").await, "register_cadre");
    let me = ok(app.call("my_volunteering", &[], Some(&cadre.session)).await, "my_volunteering");
    assert_eq!(me["cadre_unit"], "巴州区税务局");

    let team = community_team(&app, &staff, here, "测试双报到服务队", "").await;
    let activity = post_activity(&app, &staff, team, "测试：双报到党员进社区", HOUR / 2, 3 * HOUR, 10).await;
    let code = checkin_code(&app, &staff, activity).await;
    ok(call(&app, Some(&cadre.session), "sign_up", &[("id", activity.to_string())]).await, "sign_up");
    ok(call(&app, Some(&cadre.session), "check_in", &[("id", activity.to_string()), ("code", code)]).await, "check_in");
    let signup = signups(&app, activity).await[0].0;
    ok(call(&app, Some(&staff), "confirm_attendance", &[("signup_id", signup.to_string()), ("hours", "2".into())]).await, "confirm");
    let today = app::time::format_local(app.clock.now_ms())[..10].to_string();
    let tomorrow = app::time::format_local(app.clock.now_ms() + DAY)[..10].to_string();
    let form = [("community_id", here.to_string()), ("from", today), ("to", tomorrow)];
    let report = ok(call(&app, Some(&staff), "cadre_report", &form).await, "cadre_report");
    let number = me["volunteer_no"].clone();
    let row = report["rows"].as_array().unwrap().iter().find(|r| r["volunteer_no"] == number).expect("the cadre is in the report").clone();
    assert_eq!((row["unit"].as_str(), row["activities"].as_i64(), row["minutes"].as_i64()), (Some("巴州区税务局"), Some(1), Some(120)));
    assert!(report["total_minutes"].as_i64().unwrap() >= 120);
});

both_engines!(bad_input_is_refused_and_changes_nothing, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let team = community_team(&app, &staff, here, "测试校验服务队", "").await;
    let activity = post_activity(&app, &staff, team, "测试：三小时的活动", HOUR / 2, 3 * HOUR, 10).await;
    let volunteer = &volunteers(&app, here, 13600000000, 1).await[0];
    ok(call(&app, Some(&volunteer.session), "sign_up", &[("id", activity.to_string())]).await, "sign_up");
    let signup = signups(&app, activity).await[0].0;
    let founder = app.register("13700000701", "测试校验机构负责人", PASSWORD).await;
    let org = verified_org(&app, &founder, &staff, here, "测试校验服务社").await;
    let form: [(&str, String); 6] = [("org_id", org.to_string()), ("kind", "goods".into()), ("title", "测试：校验用物资".into()), ("unit", "份".into()), ("quantity", "5".into()), ("description", "x".into())];
    let resource = ok(call(&app, Some(&founder), "offer_resource", &form).await, "offer_resource").as_i64().unwrap();
    let before = market_rows(&app).await;

    // Activities: slots 0 and 501, ending before starting, longer than twelve hours, in the
    // past, an unknown skill.
    let with = |starts_in: i64, length: i64, slots: i64, skill: Option<&str>| {
        let mut form = activity_form(&app, team, "测试：不该发布的活动", starts_in, length, slots);
        form.extend(skill.map(|s| ("skills[]", s.to_string())));
        form
    };
    for (form, code, what) in [
        (with(DAY, HOUR, 0, None), "slots", "no slots"),
        (with(DAY, HOUR, 501, None), "slots", "501 slots"),
        (with(DAY, -HOUR, 10, None), "date_time", "ends before it starts"),
        (with(DAY, 13 * HOUR, 10, None), "date_time", "thirteen hours"),
        (with(-HOUR, HOUR / 2, 10, None), "date_time", "in the past"),
        (with(DAY, HOUR, 10, Some("juggling")), "skill", "an unknown skill"),
    ] {
        refused(call(&app, Some(&staff), "create_activity", &form).await, 400, code, what);
    }
    // Hours: not a number, nothing, more than the activity's three hours.
    for hours in ["abc", "0", "3.5", "-1", ""] {
        let form = [("signup_id", signup.to_string()), ("hours", hours.to_string())];
        refused(call(&app, Some(&staff), "confirm_attendance", &form).await, 400, "hours", hours);
    }
    // Charity: nothing offered or claimed, an unknown claimant, no purpose.
    let mut nothing = form.to_vec();
    nothing[4].1 = "0".into();
    refused(call(&app, Some(&founder), "offer_resource", &nothing).await, 400, "quantity", "offering 0");
    let claim = |quantity: &str, claimant: String, purpose: &str| {
        [("id", resource.to_string()), ("claimant", claimant), ("quantity", quantity.to_string()), ("purpose", purpose.to_string())]
    };
    let here_claims = format!("community:{here}");
    refused(call(&app, Some(&staff), "claim_resource", &claim("0", here_claims.clone(), "慰问")).await, 400, "quantity", "claiming 0");
    refused(call(&app, Some(&staff), "claim_resource", &claim("1", format!("street:{here}"), "慰问")).await, 400, "claimant", "a street");
    refused(call(&app, Some(&staff), "claim_resource", &claim("1", here_claims, " ")).await, 400, "reason", "no purpose");
    // Skills, organizations, teams.
    refused(call(&app, Some(&volunteer.session), "set_skills", &[("skills[]", "first_aid".into()), ("skills[]", "hacking".into())]).await, 400, "skill", "set_skills");
    let org_form = |kind: &str, areas: &[&str]| {
        let mut form = vec![("name", "测试：不该登记的机构".to_string()), ("kind", kind.to_string()), ("community_id", here.to_string()), ("description", "x".into()), ("contact_name", "王丽华".into()), ("contact_phone", "13812341234".into())];
        form.extend(areas.iter().map(|a| ("service_areas[]", a.to_string())));
        form
    };
    refused(call(&app, Some(&founder), "register_org", &org_form("castle", &["elder"])).await, 400, "org_kind", "an unknown kind");
    refused(call(&app, Some(&founder), "register_org", &org_form("charity", &[])).await, 400, "category", "no service areas");
    refused(call(&app, Some(&founder), "register_org", &org_form("charity", &["weather"])).await, 400, "category", "an unknown service area");
    let form = [("community_id", here.to_string()), ("name", "测试校验服务队".into()), ("description", "x".into()), ("leader_phone", "".into())];
    refused(call(&app, Some(&staff), "create_team", &form).await, 400, "duplicate", "a second team of that name");
    assert_eq!(market_rows(&app).await, before);
});

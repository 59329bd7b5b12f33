//! 诉求 through its public API, on SQLite and on PostgreSQL: the whole loop by five roles with
//! a send-back and an extension, the overdue sweep with the injected clock, every illegal
//! transition, department isolation, rates against hand-computed values, parallel steps,
//! photos, and Open311.
use crate::common;
use common::{enc, in_parallel, TestApp};
use linli_server::seed::DEMO_PASSWORD;
use serde_json::Value;
use sqlx::Row;

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(app.db.read()).await.unwrap().try_get(0).unwrap()
}

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query(sql).fetch_one(app.db.read()).await.unwrap().try_get(0).unwrap()
}

async fn login(app: &TestApp, phone: &str) -> String {
    let a = app.call("login", &[("phone", phone), ("password", DEMO_PASSWORD)], None).await;
    a.session.unwrap_or_else(|| panic!("login {phone}: {} {}", a.status, a.body))
}

/// The demo's five roles in 观音井 and its street, plus a handler of a second department.
struct Cast {
    resident: String,
    staff: String,
    grid: String,
    street: String,
    dept: String,
    other_dept: String,
    home: i64,
}

const OTHER_DEPT_PASSWORD: &str = "水务公司王工的口令";

/// The demo district (whose own open appeals are already past due in the tests' clock, so
/// they are marked first and do not count in what the tests measure) and the cast.
async fn cast(app: &TestApp) -> Cast {
    linli_server::seed::demo(&app.db).await.unwrap();
    app::appeals::store::mark_overdue(&app.db, app.clock.now_ms()).await.unwrap();
    let other_dept = app.register("13700000500", "水务公司王工", OTHER_DEPT_PASSWORD).await;
    let account = id(app, "SELECT id FROM account WHERE phone = '13700000500'").await;
    let mut tx = app.db.begin_write().await.unwrap();
    let grant = app::accounts::RoleGrant { role: app::accounts::Role::DeptHandler, scope: Some(app::accounts::Scope::Department(2)) };
    app::accounts::store::grant(&mut tx, account, grant, None, app.clock.now_ms()).await.unwrap();
    tx.commit().await.unwrap();
    Cast {
        resident: login(app, "13900000009").await,
        staff: login(app, "13900000002").await,
        grid: login(app, "13900000003").await,
        street: login(app, "13900000004").await,
        dept: login(app, "13900000005").await,
        other_dept,
        home: id(app, "SELECT building_id FROM account WHERE phone = '13900000009'").await,
    }
}

/// Moves the clock on; sessions idle for over two hours end, so everyone logs in again.
async fn advance(app: &TestApp, c: &mut Cast, ms: i64) {
    app.clock.advance_ms(ms);
    c.resident = login(app, "13900000009").await;
    c.staff = login(app, "13900000002").await;
    c.grid = login(app, "13900000003").await;
    c.street = login(app, "13900000004").await;
    c.dept = login(app, "13900000005").await;
    let a = app.call("login", &[("phone", "13700000500"), ("password", OTHER_DEPT_PASSWORD)], None).await;
    c.other_dept = a.session.expect("login");
}

/// The district's appeal counters: filed, callbacks, satisfied, closed on time.
async fn stat_totals(app: &TestApp) -> [i64; 4] {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(filed), 0) AS BIGINT), CAST(COALESCE(SUM(callbacks), 0) AS BIGINT),
                CAST(COALESCE(SUM(satisfied), 0) AS BIGINT), CAST(COALESCE(SUM(closed_on_time), 0) AS BIGINT) FROM appeal_stat",
    )
    .fetch_one(app.db.read())
    .await
    .unwrap();
    [0, 1, 2, 3].map(|i| r.try_get::<i64, _>(i).unwrap())
}

/// Calls a step and asserts it went through.
async fn ok(app: &TestApp, endpoint: &str, form: &[(&str, &str)], session: &str) {
    let a = app.call(endpoint, form, Some(session)).await;
    assert!(a.status < 400, "{endpoint}: {} {}", a.status, a.body);
}

async fn file(app: &TestApp, session: &str, building: i64, category: &str, urgency: &str) -> i64 {
    let b = building.to_string();
    let form = [("building_id", b.as_str()), ("category", category), ("urgency", urgency), ("description", "3栋2单元楼道顶棚渗水，墙皮脱落。")];
    ok(app, "file_appeal", &form, session).await;
    id(app, "SELECT MAX(id) FROM appeal").await
}

async fn state(app: &TestApp, appeal: i64) -> String {
    text(app, &format!("SELECT state FROM appeal WHERE id = {appeal}")).await
}

/// The appeal as `session` sees it (get_appeal's JSON).
async fn view(app: &TestApp, appeal: i64, session: Option<&str>) -> Value {
    let a = app.call("get_appeal", &[("id", &appeal.to_string())], session).await;
    assert_eq!(a.status, 200, "{}", a.body);
    serde_json::from_str(&a.body).unwrap()
}

/// The ids in the caller's work queue.
async fn queue(app: &TestApp, session: &str) -> Vec<i64> {
    let a = app.call("work_queue", &[], Some(session)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let v: Value = serde_json::from_str(&a.body).unwrap();
    v["entries"].as_array().unwrap().iter().map(|e| e["summary"]["id"].as_i64().unwrap()).collect()
}

async fn notifications(app: &TestApp, account_phone: &str, kind: &str) -> i64 {
    id(
        app,
        &format!("SELECT COUNT(*) FROM notification n JOIN account a ON a.id = n.account_id WHERE a.phone = '{account_phone}' AND n.kind = '{kind}'"),
    )
    .await
}

const HOUR: i64 = 3_600_000;

both_engines!(the_whole_loop_by_five_roles, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let mut c = cast(&app).await;
    let (filed_before, stats_before) = (notifications(&app, "13900000002", "appeal_filed").await, stat_totals(&app).await);
    let appeal = file(&app, &c.resident, c.home, "leak", "normal").await;
    let s = appeal.to_string();
    assert_eq!(state(&app, appeal).await, "submitted");
    assert_eq!(notifications(&app, "13900000002", "appeal_filed").await, filed_before + 1);
    assert!(queue(&app, &c.staff).await.contains(&appeal));
    // The grid worker of her building's grid follows it on the ground; the resident has no queue.
    assert!(queue(&app, &c.grid).await.contains(&appeal));
    assert!(queue(&app, &c.resident).await.is_empty());

    // The public sees it without reporter, place or photos; the reporter and staff see them.
    let public = view(&app, appeal, None).await;
    assert!(public["private"].is_null(), "{public}");
    assert_eq!(public["summary"]["description"], "3栋2单元楼道顶棚渗水，墙皮脱落。");
    assert!(!public.to_string().contains("陈阿姨"));
    assert_eq!(view(&app, appeal, Some(&c.resident)).await["private"]["reporter"], "陈阿姨");
    assert!(view(&app, appeal, Some(&c.grid)).await["private"].is_object());
    assert!(view(&app, appeal, Some(&c.dept)).await["private"].is_null(), "not dispatched to the department yet");

    // Community: classify and escalate; the street: dispatch to the wrong department.
    ok(&app, "classify_appeal", &[("id", &s), ("category", "leak"), ("urgency", "normal"), ("route", "escalate"), ("note", "涉及公共管道")], &c.staff).await;
    assert!(queue(&app, &c.street).await.contains(&appeal));
    ok(&app, "dispatch_appeal", &[("id", &s), ("department_id", "2"), ("note", "")], &c.street).await;
    assert!(queue(&app, &c.other_dept).await.contains(&appeal));
    // Department isolation: the first department sees neither the queue entry nor the details,
    // and cannot act on it.
    assert!(!queue(&app, &c.dept).await.contains(&appeal));
    assert!(view(&app, appeal, Some(&c.dept)).await["private"].is_null());
    assert_eq!(app.call("accept_appeal", &[("id", &s), ("note", "")], Some(&c.dept)).await.status, 403);
    assert!(view(&app, appeal, Some(&c.other_dept)).await["private"].is_object());

    // Sent back with a reason, within two working days; re-dispatched to the right one.
    assert_eq!(app.call("return_appeal", &[("id", &s), ("reason", "")], Some(&c.other_dept)).await.status, 400);
    ok(&app, "return_appeal", &[("id", &s), ("reason", "楼内管道不属供水公司维护范围")], &c.other_dept).await;
    assert_eq!(state(&app, appeal).await, "returned");
    assert!(view(&app, appeal, Some(&c.other_dept)).await["private"].is_null(), "returned: no longer theirs");
    ok(&app, "dispatch_appeal", &[("id", &s), ("department_id", "1"), ("note", "请住建局牵头")], &c.street).await;
    let dispatched_at = app.clock.now_ms();
    let deadline = id(&app, &format!("SELECT deadline_at FROM appeal WHERE id = {appeal}")).await;
    assert_eq!(deadline, dispatched_at + 7 * 24 * HOUR, "normal: seven days from dispatch");

    // Accepted; more time asked for and approved by the street.
    ok(&app, "accept_appeal", &[("id", &s), ("note", "已安排人员勘查")], &c.dept).await;
    ok(&app, "request_extension", &[("id", &s), ("days", "3"), ("reason", "需协调物业与业委会共同维修")], &c.dept).await;
    assert_eq!(app.call("request_extension", &[("id", &s), ("days", "3"), ("reason", "再要三天")], Some(&c.dept)).await.status, 409);
    assert!(queue(&app, &c.street).await.contains(&appeal), "the extension waits for the street");
    ok(&app, "decide_extension", &[("id", &s), ("approve", "yes"), ("note", "")], &c.street).await;
    let extended = id(&app, &format!("SELECT deadline_at FROM appeal WHERE id = {appeal}")).await;
    assert_eq!(extended, deadline + 3 * 24 * HOUR);

    // Replied, verified by the community, called back by the resident: closed.
    advance(&app, &mut c, 2 * 24 * HOUR).await;
    ok(&app, "reply_appeal", &[("id", &s), ("reply", "已更换楼顶破损管道并修复墙面。")], &c.dept).await;
    ok(&app, "verify_appeal", &[("id", &s), ("note", "现场核实已修复")], &c.staff).await;
    assert!(view(&app, appeal, Some(&c.resident)).await["steps"].as_array().unwrap().iter().any(|s| s == "callback"));
    ok(&app, "call_back", &[("id", &s), ("contacted", "yes"), ("solved", "yes"), ("satisfied", "yes"), ("note", "很满意")], &c.resident).await;
    assert_eq!(state(&app, appeal).await, "closed");

    // Every step is on the timeline, in order, in the capacity it was taken.
    let steps: Vec<String> = sqlx::query(&format!("SELECT step, actor_role FROM appeal_event WHERE appeal_id = {appeal} ORDER BY id"))
        .fetch_all(app.db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{}:{}", r.try_get::<String, _>(0).unwrap(), r.try_get::<String, _>(1).unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            "file:resident", "classify:community", "dispatch:street", "return:department", "dispatch:street",
            "accept:department", "request_extension:department", "approve_extension:street", "reply:department",
            "verify:community", "callback:resident",
        ]
    );
    // The rates count it once: filed, called back, satisfied, on time.
    let after = stat_totals(&app).await;
    assert_eq!([0, 1, 2, 3].map(|i| after[i] - stats_before[i]), [1, 1, 1, 1]);
    // The resident heard of each state change made by others.
    assert!(notifications(&app, "13900000009", "appeal_state").await >= 5);
    // And the steps are refused after closure.
    assert_eq!(app.call("call_back", &[("id", &s), ("contacted", "no"), ("solved", "no"), ("satisfied", "no"), ("note", "")], Some(&c.resident)).await.status, 409);
});

both_engines!(an_overdue_appeal_is_marked_once_and_supervised, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let mut c = cast(&app).await;
    let stats_before = stat_totals(&app).await;
    let mut told = Vec::new();
    for phone in ["13900000005", "13900000004", "13900000009"] {
        told.push(notifications(&app, phone, "appeal_overdue").await);
    }
    // Found on patrol by the grid worker, for the resident (her phone links her account).
    let b = c.home.to_string();
    let form = [
        ("building_id", b.as_str()),
        ("category", "repair"),
        ("urgency", "emergency"),
        ("description", "单元门禁损坏，夜间无法关闭。"),
        ("source", "grid_patrol"),
        ("contact_name", "陈阿姨"),
        ("contact_phone", "139 0000 0009"),
    ];
    ok(&app, "file_appeal_for", &form, &c.grid).await;
    let appeal = id(&app, "SELECT MAX(id) FROM appeal").await;
    let s = appeal.to_string();
    assert_eq!(text(&app, &format!("SELECT source FROM appeal WHERE id = {appeal}")).await, "grid_patrol");
    assert_eq!(view(&app, appeal, Some(&c.resident)).await["private"]["source"], "grid_patrol");
    // A resident cannot file on someone's behalf.
    assert_eq!(app.call("file_appeal_for", &form, Some(&c.resident)).await.status, 403);

    ok(&app, "classify_appeal", &[("id", &s), ("category", "repair"), ("urgency", "emergency"), ("route", "escalate"), ("note", "")], &c.staff).await;
    ok(&app, "dispatch_appeal", &[("id", &s), ("department_id", "1"), ("note", "")], &c.street).await;
    // Within the two hours nothing is overdue.
    app.clock.advance_ms(HOUR);
    assert_eq!(app::appeals::store::mark_overdue(&app.db, app.clock.now_ms()).await.unwrap(), 0);
    advance(&app, &mut c, 2 * HOUR).await;
    assert_eq!(app::appeals::store::mark_overdue(&app.db, app.clock.now_ms()).await.unwrap(), 1);
    assert_eq!(app::appeals::store::mark_overdue(&app.db, app.clock.now_ms()).await.unwrap(), 0, "marked once");
    for (i, phone) in ["13900000005", "13900000004", "13900000009"].iter().enumerate() {
        assert_eq!(notifications(&app, phone, "appeal_overdue").await, told[i] + 1, "{phone} told once");
    }
    let a = app.call("overdue_appeals", &[], Some(&c.street)).await;
    let listed: Value = serde_json::from_str(&a.body).unwrap();
    let ids: Vec<i64> = listed["entries"].as_array().unwrap().iter().map(|e| e["summary"]["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&appeal), "{listed}");
    assert_eq!(view(&app, appeal, None).await["summary"]["overdue"], true, "the public sees it is overdue");
    assert_eq!(app.call("overdue_appeals", &[], Some(&c.resident)).await.status, 403);

    // Past two working days the department can no longer send it back.
    advance(&app, &mut c, 5 * 24 * HOUR).await;
    let a = app.call("return_appeal", &[("id", &s), ("reason", "不归我们管")], Some(&c.dept)).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(a.body.contains("ReturnWindow") || a.body.contains("return_window"), "{}", a.body);
    ok(&app, "accept_appeal", &[("id", &s), ("note", "")], &c.dept).await;
    ok(&app, "reply_appeal", &[("id", &s), ("reply", "已更换门禁锁。")], &c.dept).await;
    ok(&app, "verify_appeal", &[("id", &s), ("note", "")], &c.staff).await;
    // Staff call back on the resident's behalf (she has no smartphone at hand).
    ok(&app, "call_back", &[("id", &s), ("contacted", "yes"), ("solved", "yes"), ("satisfied", "no"), ("note", "修得太慢")], &c.staff).await;
    let after = stat_totals(&app).await;
    assert_eq!((after[1] - stats_before[1], after[3] - stats_before[3]), (1, 0), "closed late");
    assert_eq!(
        text(&app, &format!("SELECT actor_role FROM appeal_event WHERE appeal_id = {appeal} AND step = 'callback'")).await,
        "community"
    );
});

/// Each step endpoint with the form that would be right for it, and who would take it.
fn every_step(s: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let id = || ("id", s.to_string());
    vec![
        ("classify_appeal", vec![id(), ("category", "noise".into()), ("urgency", "normal".into()), ("route", "escalate".into()), ("note", "".into())]),
        ("escalate_appeal", vec![id(), ("note", "".into())]),
        ("dispatch_appeal", vec![id(), ("department_id", "1".into()), ("note", "".into())]),
        ("accept_appeal", vec![id(), ("note", "".into())]),
        ("return_appeal", vec![id(), ("reason", "不属本部门".into())]),
        ("request_extension", vec![id(), ("days", "2".into()), ("reason", "需要协调".into())]),
        ("decide_extension", vec![id(), ("approve", "yes".into()), ("note", "".into())]),
        ("reply_appeal", vec![id(), ("reply", "已处理".into())]),
        ("verify_appeal", vec![id(), ("note", "".into())]),
        ("reopen_appeal", vec![id(), ("reason", "未处理到位".into())]),
        ("call_back", vec![id(), ("contacted", "yes".into()), ("solved", "yes".into()), ("satisfied", "yes".into()), ("note", "".into())]),
    ]
}

/// Who would take a step: the department's steps fall to the community while no department
/// holds the appeal (it then handles it itself), so the state machine, not the policy, answers.
fn who<'a>(c: &'a Cast, endpoint: &str, state: &str) -> &'a str {
    match endpoint {
        "classify_appeal" | "escalate_appeal" | "verify_appeal" | "reopen_appeal" => &c.staff,
        "dispatch_appeal" | "decide_extension" => &c.street,
        "call_back" => &c.resident,
        _ if matches!(state, "submitted" | "classified") => &c.staff,
        _ => &c.dept,
    }
}

both_engines!(every_illegal_transition_is_refused, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cast(&app).await;
    let appeal = file(&app, &c.resident, c.home, "noise", "normal").await;
    let s = appeal.to_string();
    // The path through the loop, and at each state the one step taken to leave it.
    let path = [
        ("submitted", "classify_appeal"),
        ("classified", "dispatch_appeal"),
        ("dispatched", "accept_appeal"),
        ("accepted", "reply_appeal"),
        ("replied", "verify_appeal"),
        ("verified", "call_back"),
        ("closed", ""),
    ];
    // Also allowed at these states, but not taken on this path.
    let also = |st: &str, e: &str| {
        matches!((st, e), ("dispatched", "return_appeal") | ("accepted", "request_extension") | ("replied", "reopen_appeal"))
    };
    for (st, next) in path {
        assert_eq!(state(&app, appeal).await, st);
        let before = sqlx::query(&format!("SELECT state, COALESCE(deadline_at, 0), COALESCE(department_id, 0) FROM appeal WHERE id = {appeal}"))
            .fetch_one(app.db.read())
            .await
            .unwrap();
        let before: (String, i64, i64) = (before.try_get(0).unwrap(), before.try_get(1).unwrap(), before.try_get(2).unwrap());
        let events = id(&app, &format!("SELECT COUNT(*) FROM appeal_event WHERE appeal_id = {appeal}")).await;
        for (endpoint, form) in every_step(&s) {
            if endpoint == next || also(st, endpoint) {
                continue;
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let a = app.call(endpoint, &form, Some(who(&c, endpoint, st))).await;
            assert_eq!(a.status, 409, "{endpoint} at {st}: {}", a.body);
        }
        let after = sqlx::query(&format!("SELECT state, COALESCE(deadline_at, 0), COALESCE(department_id, 0) FROM appeal WHERE id = {appeal}"))
            .fetch_one(app.db.read())
            .await
            .unwrap();
        assert_eq!(before, (after.try_get(0).unwrap(), after.try_get(1).unwrap(), after.try_get(2).unwrap()), "refusals at {st} changed it");
        assert_eq!(events, id(&app, &format!("SELECT COUNT(*) FROM appeal_event WHERE appeal_id = {appeal}")).await);
        if !next.is_empty() {
            let form = every_step(&s).into_iter().find(|(e, _)| *e == next).unwrap().1;
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ok(&app, next, &form, who(&c, next, st)).await;
        }
    }
});

both_engines!(parallel_steps_take_effect_once, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cast(&app).await;
    let stats_before = stat_totals(&app).await;
    let appeal = file(&app, &c.resident, c.home, "property", "normal").await;
    let s = appeal.to_string();
    // Ten dispatches race (a double click, two officers): one wins.
    ok(&app, "classify_appeal", &[("id", &s), ("category", "property"), ("urgency", "normal"), ("route", "escalate"), ("note", "")], &c.staff).await;
    let statuses = in_parallel(&app, "dispatch_appeal", (0..10).map(|i| (c.street.clone(), format!("id={s}&department_id={}&note=", 1 + i % 2))).collect()).await;
    assert_eq!(statuses.iter().filter(|s| **s < 400).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s < 400 || *s == 409), "{statuses:?}");
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM appeal_event WHERE appeal_id = {appeal} AND step = 'dispatch'")).await, 1);
    let dept = id(&app, &format!("SELECT department_id FROM appeal WHERE id = {appeal}")).await;
    let handler = if dept == 1 { &c.dept } else { &c.other_dept };
    ok(&app, "accept_appeal", &[("id", &s), ("note", "")], handler).await;
    ok(&app, "reply_appeal", &[("id", &s), ("reply", "物业已整改")], handler).await;
    ok(&app, "verify_appeal", &[("id", &s), ("note", "")], &c.staff).await;
    // Ten callbacks at once: closed once, counted once.
    let statuses = in_parallel(&app, "call_back", (0..10).map(|_| (c.resident.clone(), format!("id={s}&contacted=yes&solved=no&satisfied=no&note="))).collect()).await;
    assert_eq!(statuses.iter().filter(|s| **s < 400).count(), 1, "{statuses:?}");
    assert_eq!(stat_totals(&app).await[1] - stats_before[1], 1);
});

/// Drives a fresh appeal to closure: dispatched to `dept` (or handled in the community when
/// None), replied `late` or on time, and called back with `answers`.
async fn close_one(app: &TestApp, c: &mut Cast, dept: Option<i64>, late: bool, answers: [&str; 3]) {
    let appeal = file(app, &c.resident, c.home, "environment", "urgent").await;
    let s = appeal.to_string();
    let route = if dept.is_some() { "escalate" } else { "local" };
    ok(app, "classify_appeal", &[("id", &s), ("category", "environment"), ("urgency", "urgent"), ("route", route), ("note", "")], &c.staff).await;
    if let Some(d) = dept {
        ok(app, "dispatch_appeal", &[("id", &s), ("department_id", &d.to_string()), ("note", "")], &c.street).await;
        let handler = if d == 1 { &c.dept } else { &c.other_dept };
        ok(app, "accept_appeal", &[("id", &s), ("note", "")], handler).await;
    }
    // Urgent: 24 hours.
    advance(app, c, if late { 30 * HOUR } else { 2 * HOUR }).await;
    let replier = match dept {
        Some(1) => &c.dept,
        Some(_) => &c.other_dept,
        None => &c.staff,
    };
    ok(app, "reply_appeal", &[("id", &s), ("reply", "已清运")], replier).await;
    ok(app, "verify_appeal", &[("id", &s), ("note", "")], &c.staff).await;
    let [contacted, solved, satisfied] = answers;
    ok(app, "call_back", &[("id", &s), ("contacted", contacted), ("solved", solved), ("satisfied", satisfied), ("note", "")], &c.resident).await;
}

both_engines!(rates_match_hand_computed_values, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let mut c = cast(&app).await;
    let start = app.clock.now_ms();
    // Month one: four appeals, two to department 1, one to department 2, one handled locally.
    close_one(&app, &mut c, Some(1), false, ["yes", "yes", "yes"]).await;
    close_one(&app, &mut c, Some(1), true, ["yes", "no", "no"]).await;
    close_one(&app, &mut c, Some(2), false, ["yes", "yes", "no"]).await;
    close_one(&app, &mut c, None, false, ["no", "no", "no"]).await;
    let first = app::appeals::month_of(app.clock.now_ms());
    // Month two: one more to department 1, late, all yes; and one filed, still open.
    advance(&app, &mut c, 32 * 24 * HOUR).await;
    close_one(&app, &mut c, Some(1), true, ["yes", "yes", "yes"]).await;
    file(&app, &c.resident, c.home, "noise", "normal").await;
    let second = app::appeals::month_of(app.clock.now_ms());

    let community = id(&app, "SELECT id FROM community WHERE name = '观音井社区'").await;
    let a = app
        .call("appeal_rates", &[("scope", "community"), ("id", &community.to_string()), ("from", &first), ("to", &second)], None)
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let r: Value = serde_json::from_str(&a.body).unwrap();
    // By hand: 5 callbacks; contacted 4, solved 3, satisfied 2; 5 closed, 3 on time; 6 filed.
    let t = &r["total"];
    assert_eq!((t["filed"].as_i64(), t["callbacks"].as_i64(), t["contacted"].as_i64()), (Some(6), Some(5), Some(4)), "{r}");
    assert_eq!((t["solved"].as_i64(), t["satisfied"].as_i64(), t["closed"].as_i64(), t["closed_on_time"].as_i64()), (Some(3), Some(2), Some(5), Some(3)));
    let months = r["months"].as_array().unwrap();
    assert_eq!(months.len(), 2);
    assert_eq!((months[0]["label"].as_str(), months[0]["callbacks"].as_i64(), months[0]["satisfied"].as_i64()), (Some(first.as_str()), Some(4), Some(1)));
    assert_eq!((months[1]["callbacks"].as_i64(), months[1]["filed"].as_i64()), (Some(1), Some(2)));
    // By department: 住建局 3 callbacks (2 satisfied, 1 on time); department 2 one; local one.
    let unit = |name: &str| r["units"].as_array().unwrap().iter().find(|u| u["label"] == name).cloned().unwrap_or_else(|| panic!("{name} in {r}"));
    let housing = text(&app, "SELECT name FROM department WHERE id = 1").await;
    assert_eq!((unit(&housing)["callbacks"].as_i64(), unit(&housing)["satisfied"].as_i64(), unit(&housing)["closed_on_time"].as_i64()), (Some(3), Some(2), Some(1)));
    assert_eq!(unit("社区自办")["callbacks"].as_i64(), Some(1));

    // The same figures as percentages, in the CSV.
    let csv = app.client.get(app.url(&format!("/appeals/rates.csv?unit=community:{community}&from={first}&to={second}"))).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let total = csv.lines().find(|l| l.starts_with("total,")).unwrap();
    assert!(total.ends_with(",6,5,4,3,2,5,3,80.0,60.0,40.0,60.0"), "{total}");
    // A department's view: only what was dispatched to it.
    let a = app.call("appeal_rates", &[("scope", "department"), ("id", "1"), ("from", &first), ("to", &second)], None).await;
    let d: Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!((d["total"]["callbacks"].as_i64(), d["total"]["closed_on_time"].as_i64()), (Some(3), Some(1)));
    // The counters equal the rows they summarise.
    let rows = sqlx::query(
        "SELECT COUNT(*), CAST(SUM(satisfied) AS BIGINT), CAST(SUM(CASE WHEN replied_at <= deadline_at THEN 1 ELSE 0 END) AS BIGINT)
           FROM appeal WHERE state = 'closed' AND created_at >= $1",
    )
    .bind(start)
    .fetch_one(app.db.read())
    .await
    .unwrap();
    assert_eq!((rows.try_get::<i64, _>(0).unwrap(), rows.try_get::<i64, _>(1).unwrap(), rows.try_get::<i64, _>(2).unwrap()), (5, 2, 3));
});

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41,
    0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn upload(app: &TestApp, appeal: i64, session: &str, bytes: &[u8], name: &str) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()).mime_str("image/png").unwrap();
    let form = reqwest::multipart::Form::new().part("photo", part);
    let resp = app
        .client
        .post(app.url(&format!("/appeals/{appeal}/photos")))
        .header("origin", &app.addr)
        .header("cookie", format!("linli_session={session}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = resp.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (resp.status().as_u16(), location)
}

async fn photo_status(app: &TestApp, photo: i64, session: Option<&str>) -> u16 {
    let mut req = app.client.get(app.url(&format!("/appeals/photos/{photo}")));
    if let Some(s) = session {
        req = req.header("cookie", format!("linli_session={s}"));
    }
    req.send().await.unwrap().status().as_u16()
}

both_engines!(photos_are_checked_and_private, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cast(&app).await;
    let appeal = file(&app, &c.resident, c.home, "encroachment", "normal").await;
    let (status, location) = upload(&app, appeal, &c.resident, PNG, "现场.png").await;
    assert_eq!((status, location.as_str()), (303, format!("/appeals/{appeal}").as_str()));
    let photo = id(&app, "SELECT MAX(id) FROM appeal_photo").await;
    assert_eq!(photo_status(&app, photo, Some(&c.resident)).await, 200);
    assert_eq!(photo_status(&app, photo, Some(&c.staff)).await, 200);
    assert_eq!(photo_status(&app, photo, None).await, 404);
    assert_eq!(photo_status(&app, photo, Some(&c.dept)).await, 404, "not dispatched to them");
    // Not an image (whatever it claims), too many, too large, not theirs.
    let (_, location) = upload(&app, appeal, &c.resident, b"<svg onload=alert(1)></svg>", "x.png").await;
    assert!(location.ends_with("photo_error=invalid"), "{location}");
    upload(&app, appeal, &c.resident, PNG, "2.png").await;
    upload(&app, appeal, &c.resident, PNG, "3.png").await;
    let (_, location) = upload(&app, appeal, &c.resident, PNG, "4.png").await;
    assert!(location.ends_with("photo_error=too_many"), "{location}");
    let other = file(&app, &c.resident, c.home, "noise", "normal").await;
    let big = [PNG, &vec![0u8; app::appeals::MAX_PHOTO_BYTES]].concat();
    let (status, location) = upload(&app, other, &c.resident, &big, "big.png").await;
    assert!(status == 413 || location.ends_with("photo_error=invalid"), "{status} {location}");
    let (_, location) = upload(&app, other, &c.dept, PNG, "x.png").await;
    assert!(location.ends_with("photo_error=forbidden"), "{location}");
    assert_eq!(id(&app, "SELECT COUNT(*) FROM appeal_photo").await, 3);
    let v = view(&app, appeal, Some(&c.resident)).await;
    assert_eq!(v["private"]["photos"].as_array().unwrap().len(), 3);
    assert_eq!(v["can_add_photos"], false);
});

async fn open311_get(app: &TestApp, path: &str) -> (u16, Value) {
    let resp = app.client.get(app.url(&format!("/open311/v2/{path}"))).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_str(&resp.text().await.unwrap()).unwrap())
}

async fn open311_post(app: &TestApp, form: &[(&str, &str)]) -> (u16, Value) {
    let body = form.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
    let resp = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, serde_json::from_str(&resp.text().await.unwrap()).unwrap())
}

both_engines!(open311_clients_file_list_and_read_requests, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cast(&app).await;
    let admin = login(&app, "13900000001").await;
    let a = app.call("issue_api_key", &[("name", "市民通 App")], Some(&admin)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let key: String = serde_json::from_str(&a.body).unwrap();
    assert_eq!(app.call("issue_api_key", &[("name", "x")], Some(&c.staff)).await.status, 403);

    let (status, services) = open311_get(&app, "services.json").await;
    assert_eq!(status, 200);
    assert_eq!(services.as_array().unwrap().len(), 8);
    assert_eq!(services[2]["service_code"], "noise");
    assert_eq!(open311_get(&app, "services/noise.json").await.1["service_code"], "noise");
    let (status, err) = open311_get(&app, "services/parking.json").await;
    assert_eq!((status, err[0]["code"].as_i64()), (404, Some(404)));

    let b = c.home.to_string();
    let form = [
        ("api_key", key.as_str()),
        ("service_code", "noise"),
        ("description", "夜间广场舞音响声音过大，影响休息。"),
        ("address_id", b.as_str()),
        ("first_name", "李"),
        ("last_name", "先生"),
        ("phone", "13812345678"),
    ];
    let (status, created) = open311_post(&app, &form).await;
    assert_eq!(status, 200, "{created}");
    let request_id = created[0]["service_request_id"].as_str().unwrap().to_string();
    let appeal: i64 = request_id.parse().unwrap();
    assert_eq!(text(&app, &format!("SELECT source FROM appeal WHERE id = {appeal}")).await, "open311");

    let (status, one) = open311_get(&app, &format!("requests/{request_id}.json")).await;
    assert_eq!(status, 200);
    let r = &one[0];
    assert_eq!((r["service_request_id"].as_str(), r["status"].as_str(), r["service_code"].as_str()), (Some(request_id.as_str()), Some("open"), Some("noise")));
    assert!(r["requested_datetime"].as_str().unwrap().ends_with("+08:00"));
    assert!(r["address_id"].is_null(), "the building is never public");
    assert!(!one.to_string().contains("13812345678") && !one.to_string().contains("先生"), "{one}");
    let (_, listed) = open311_get(&app, &format!("requests.json?service_request_id={request_id}")).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (_, open) = open311_get(&app, "requests.json?status=open&service_code=noise").await;
    assert!(open.as_array().unwrap().iter().any(|r| r["service_request_id"] == request_id.as_str()));
    let (_, closed) = open311_get(&app, "requests.json?status=closed").await;
    assert!(closed.as_array().unwrap().iter().all(|r| r["status"] == "closed"));
    // Newest first, a page at a time; text the JSON itself uses (quotes, backslashes,
    // line breaks) comes back as it was filed.
    app.clock.advance_ms(1_000);
    let tricky = "楼道灯 \"不亮\"，开关 C:\\灯\n已三天";
    let form2 = [("api_key", key.as_str()), ("service_code", "noise"), ("description", tricky), ("address_id", b.as_str())];
    let (status, created2) = open311_post(&app, &form2).await;
    assert_eq!(status, 200, "{created2}");
    let newest = created2[0]["service_request_id"].as_str().unwrap();
    let (_, first) = open311_get(&app, "requests.json?service_code=noise&page_size=1").await;
    assert_eq!((first[0]["service_request_id"].as_str(), first[0]["description"].as_str()), (Some(newest), Some(tricky)));
    let (_, second) = open311_get(&app, "requests.json?service_code=noise&page_size=1&page=2").await;
    assert_eq!(second[0]["service_request_id"].as_str(), Some(request_id.as_str()));
    let (_, all) = open311_get(&app, "requests.json").await;
    let times: Vec<&str> = all.as_array().unwrap().iter().map(|r| r["requested_datetime"].as_str().unwrap()).collect();
    assert!(times.len() >= 2 && times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    // As it moves, the status notes and the agency follow; expected_datetime is the deadline.
    let s = appeal.to_string();
    ok(&app, "classify_appeal", &[("id", &s), ("category", "noise"), ("urgency", "normal"), ("route", "escalate"), ("note", "")], &c.staff).await;
    ok(&app, "dispatch_appeal", &[("id", &s), ("department_id", "1"), ("note", "请协调处理")], &c.street).await;
    let r = open311_get(&app, &format!("requests/{request_id}.json")).await.1[0].clone();
    let housing = text(&app, "SELECT name FROM department WHERE id = 1").await;
    assert_eq!((r["agency_responsible"].as_str(), r["status_notes"].as_str()), (Some(housing.as_str()), Some("请协调处理")));
    assert!(r["expected_datetime"].is_string());

    // Errors: the standard array with a 4xx status, and nothing filed.
    let count = id(&app, "SELECT COUNT(*) FROM appeal").await;
    let bad = [
        (vec![("api_key", "not-a-key"), ("service_code", "noise"), ("description", "太吵了太吵了"), ("address_id", b.as_str())], 403),
        (vec![("service_code", "noise"), ("description", "太吵了太吵了"), ("address_id", b.as_str())], 403),
        (vec![("api_key", key.as_str()), ("description", "太吵了太吵了"), ("address_id", b.as_str())], 400),
        (vec![("api_key", key.as_str()), ("service_code", "noise"), ("address_id", b.as_str())], 400),
        (vec![("api_key", key.as_str()), ("service_code", "noise"), ("description", "太吵了太吵了")], 400),
        (vec![("api_key", key.as_str()), ("service_code", "ufo"), ("description", "太吵了太吵了"), ("address_id", b.as_str())], 400),
        (vec![("api_key", key.as_str()), ("service_code", "noise"), ("description", "太吵了太吵了"), ("address_id", "999999")], 400),
    ];
    for (form, expected) in bad {
        let (status, err) = open311_post(&app, &form).await;
        assert_eq!(status, expected, "{form:?}: {err}");
        assert_eq!(err[0]["code"].as_i64(), Some(expected as i64));
        assert!(err[0]["description"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let (status, err) = open311_get(&app, "requests.json?start_date=yesterday").await;
    assert_eq!((status, err[0]["code"].as_i64()), (400, Some(400)));
    assert_eq!(open311_get(&app, "requests/999999.json").await.0, 404);
    // A revoked key no longer files.
    let key_id = id(&app, "SELECT MAX(id) FROM api_key").await;
    ok(&app, "revoke_api_key", &[("id", &key_id.to_string())], &admin).await;
    assert_eq!(open311_post(&app, &form).await.0, 403);
    assert_eq!(id(&app, "SELECT COUNT(*) FROM appeal").await, count);
});

both_engines!(urgency_limits_are_data_admins_edit, |engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cast(&app).await;
    let admin = login(&app, "13900000001").await;
    assert_eq!(app.call("set_urgency_limit", &[("urgency", "urgent"), ("hours", "12"), ("minutes", "0")], Some(&c.staff)).await.status, 403);
    assert_eq!(app.call("set_urgency_limit", &[("urgency", "urgent"), ("hours", "0"), ("minutes", "5")], Some(&admin)).await.status, 400);
    assert_eq!(app.call("set_urgency_limit", &[("urgency", "soon"), ("hours", "1"), ("minutes", "0")], Some(&admin)).await.status, 400);
    ok(&app, "set_urgency_limit", &[("urgency", "urgent"), ("hours", "12"), ("minutes", "30")], &admin).await;
    let appeal = file(&app, &c.resident, c.home, "leak", "urgent").await;
    let s = appeal.to_string();
    ok(&app, "classify_appeal", &[("id", &s), ("category", "leak"), ("urgency", "urgent"), ("route", "local"), ("note", "物业维修")], &c.staff).await;
    let deadline = id(&app, &format!("SELECT deadline_at FROM appeal WHERE id = {appeal}")).await;
    assert_eq!(deadline, app.clock.now_ms() + 12 * HOUR + 30 * 60_000);
    assert_eq!(id(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'set_urgency_limit'").await, 1);
    // Handled locally: the community replies itself, and nothing goes to the street.
    assert!(!queue(&app, &c.street).await.contains(&appeal));
    ok(&app, "reply_appeal", &[("id", &s), ("reply", "物业已更换阀门")], &c.staff).await;
    assert_eq!(state(&app, appeal).await, "replied");
});

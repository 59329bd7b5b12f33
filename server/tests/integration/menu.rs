//! 你点我供 through its public API, on SQLite and on PostgreSQL: fifty residents racing for
//! twenty places, eligibility, every illegal step of an order refused, a rating only by the
//! ordering resident and only once, hours credited once, the address shown only to the
//! resident, the assigned person and the community's staff on every endpoint returning
//! orders, escalation after a day on the injected clock, wishes with supporters told when
//! staff put them on the menu, offerings put on the menu, and assisted ordering.
//!
//! The demo district is loaded for its places and people; the menu rows each test measures
//! are its own (the demo's menu content may change).
use crate::common;
use common::{call, district, id, login, ok, refused, in_parallel, verified_residents, volunteers, Answer, TestApp, Volunteer};
use serde_json::Value;
use sqlx::Row;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// A new session for a test account (`verified_residents` gives them all one password), as
/// sessions end after two idle hours and the tests move the clock by days.
async fn relogin(app: &TestApp, phone: &str) -> String {
    let a = app.call("login", &[("phone", phone), ("password", "居民测试口令 2026")], None).await;
    a.session.unwrap_or_else(|| panic!("login {phone}: {} {}", a.status, a.body))
}



/// The form of an item of 观音井 provided by `provider`, `capacity` a week, 90 minutes.
fn item_form(here: i64, provider: &str, title: &str, capacity: i64) -> Vec<(&'static str, String)> {
    vec![
        ("community_id", here.to_string()),
        ("provider", provider.to_string()),
        ("category", "meals".into()),
        ("title", title.to_string()),
        ("description", "每天中午送餐上门，荤素搭配，少油少盐".into()),
        ("weekly_capacity", capacity.to_string()),
        ("price_kind", "subsidised".into()),
        ("price", "8".into()),
        ("service_minutes", "90".into()),
    ]
}

async fn create_item(app: &TestApp, session: &str, form: Vec<(&'static str, String)>) -> i64 {
    ok(call(app, Some(session), "create_menu_item", &form).await, "create_menu_item").as_i64().unwrap()
}

/// A team of 观音井 led by a new volunteer, with a second volunteer (a member) to do the work; an item
/// the team provides. Returns (leader, worker, team, item).
async fn team_item(app: &TestApp, staff: &str, here: i64, first_phone: u64, capacity: i64) -> (Volunteer, Volunteer, i64, i64) {
    let mut v = volunteers(app, here, first_phone, 2).await;
    let worker = v.pop().unwrap();
    let leader = v.pop().unwrap();
    let form = [
        ("community_id", here.to_string()),
        ("name", format!("测试助餐队{first_phone}")),
        ("description", "测试用的志愿服务队".into()),
        ("leader_phone", leader.phone.clone()),
    ];
    let team = ok(call(app, Some(staff), "create_team", &form).await, "create_team").as_i64().unwrap();
    ok(call(app, Some(&worker.session), "apply_to_team", &[("id", team.to_string())]).await, "apply_to_team");
    let approve = [("team_id", team.to_string()), ("account_id", worker.account_id.to_string()), ("approve", "true".into())];
    ok(call(app, Some(&leader.session), "decide_member", &approve).await, "decide_member");
    let item = create_item(app, &leader.session, item_form(here, &format!("team:{team}"), "测试助餐送餐上门", capacity)).await;
    (leader, worker, team, item)
}

/// Tomorrow at 11:30 local time (as a `datetime-local` value).
fn tomorrow(app: &TestApp) -> String {
    app::time::format_input(app.clock.now_ms() + DAY)
}

async fn order(app: &TestApp, session: &str, item: i64) -> Answer {
    call(app, Some(session), "order_service", &[("item_id", item.to_string()), ("preferred_at", tomorrow(app)), ("note", "请中午前送到".into())]).await
}

async fn order_id(app: &TestApp, session: &str, item: i64) -> i64 {
    ok(order(app, session, item).await, "order_service").as_i64().unwrap()
}

async fn step(app: &TestApp, session: &str, endpoint: &str, order: i64) -> Answer {
    call(app, Some(session), endpoint, &[("id", order.to_string())]).await
}

async fn status(app: &TestApp, order: i64) -> String {
    sqlx::query("SELECT status FROM service_order WHERE id = $1").bind(order).fetch_one(app.db.read()).await.unwrap().try_get("status").unwrap()
}

both_engines!(capacity_holds_under_parallel_orders_and_eligibility_is_checked, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let item = create_item(&app, &staff, item_form(here, "community", "社区食堂助餐", 20)).await;
    let residents = verified_residents(&app, here, 13_500_000_000, 50).await;
    let body = format!("item_id={item}&preferred_at={}", common::enc(&tomorrow(&app)));
    let statuses = in_parallel(&app, "order_service", residents.iter().map(|s| (s.clone(), body.clone())).collect()).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 20, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 30, "{statuses:?}");
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM service_order WHERE item_id = {item}")).await, 20);
    assert_eq!(id(&app, &format!("SELECT taken FROM menu_week WHERE item_id = {item}")).await, 20);
    refused(order(&app, &residents[49], item).await, 409, "full", "the 51st order");
    // The next week still has places.
    let next_week = app::time::format_input(app.clock.now_ms() + 8 * DAY);
    ok(call(&app, Some(&residents[49]), "order_service", &[("item_id", item.to_string()), ("preferred_at", next_week)]).await, "next week");
    // A cancellation gives a place back.
    let mine = id(&app, &format!("SELECT MIN(id) FROM service_order WHERE item_id = {item}")).await;
    let owner = id(&app, &format!("SELECT resident_id FROM service_order WHERE id = {mine}")).await;
    let owner_phone: String = sqlx::query("SELECT phone FROM account WHERE id = $1").bind(owner).fetch_one(app.db.read()).await.unwrap().try_get(0).unwrap();
    let owner_session = &residents[(owner_phone.parse::<u64>().unwrap() - 13_500_000_000) as usize];
    ok(step(&app, owner_session, "cancel_order", mine).await, "cancel");
    ok(order(&app, &residents[49], item).await, "the freed place");
    refused(order(&app, &residents[48], item).await, 409, "full", "full again");

    // Eligibility: 60+ needs a year of birth, then the age.
    let mut sixty = item_form(here, "community", "高龄老人助浴", 5);
    sixty.push(("min_age", "60".into()));
    let aged = create_item(&app, &staff, sixty).await;
    let young = &residents[0];
    refused(order(&app, young, aged).await, 409, "ineligible", "no birth year");
    ok(call(&app, Some(young), "set_birth_year", &[("birth_year", "1990".into())]).await, "set_birth_year");
    refused(order(&app, young, aged).await, 409, "ineligible", "too young");
    refused(call(&app, Some(young), "set_birth_year", &[("birth_year", "1800".into())]).await, 400, "age", "bad year");
    ok(call(&app, Some(&residents[1]), "set_birth_year", &[("birth_year", "1950".into())]).await, "set_birth_year");
    ok(order(&app, &residents[1], aged).await, "a 76-year-old");
    let page = ok(call(&app, Some(young), "get_menu_item", &[("id", aged.to_string())]).await, "get_menu_item");
    assert_eq!(page["refusal"], "TooYoung");
    // By building: only another building of 观音井 (the test residents live in its first).
    let home = id(&app, &format!("SELECT building_id FROM service_order so JOIN account a ON a.id = so.resident_id WHERE so.id = {mine}")).await;
    let other = id(&app, &format!("SELECT MAX(b.id) FROM building b JOIN grid g ON g.id = b.grid_id WHERE g.community_id = {here} AND b.id <> {home}")).await;
    let mut limited = item_form(here, "community", "老旧楼栋上门维修", 5);
    limited.push(("buildings[]", other.to_string()));
    let limited = create_item(&app, &staff, limited).await;
    refused(order(&app, &residents[2], limited).await, 409, "ineligible", "other building");
    // Residents of another community, unverified accounts and strangers may not order.
    let there = id(&app, "SELECT id FROM community WHERE name = '回风亭社区'").await;
    let outsider = verified_residents(&app, there, 13_510_000_000, 1).await.pop().unwrap();
    refused(order(&app, &outsider, item).await, 403, "Forbidden", "another community");
    let unverified = app.register("13520000001", "未核实居民", "菜单测试口令 2026").await;
    refused(order(&app, &unverified, item).await, 403, "Forbidden", "unverified");
    refused(call(&app, None, "order_service", &[("item_id", item.to_string()), ("preferred_at", tomorrow(&app))]).await, 401, "Unauthenticated", "anonymous");
    // Bad input.
    let past = app::time::format_input(app.clock.now_ms() - HOUR);
    refused(call(&app, Some(&residents[3]), "order_service", &[("item_id", aged.to_string()), ("preferred_at", past)]).await, 400, "date_time", "past");
    let mut bad = item_form(here, "community", "容量不对的服务", 0);
    refused(call(&app, Some(&staff), "create_menu_item", &bad).await, 400, "capacity", "capacity 0");
    bad = item_form(here, "community", "价格不对的服务", 5);
    bad.retain(|(k, _)| *k != "price");
    refused(call(&app, Some(&staff), "create_menu_item", &bad).await, 400, "price", "no amount");
    refused(call(&app, Some(young), "create_menu_item", &item_form(here, "community", "居民自己加的服务", 5)).await, 403, "Forbidden", "a resident");
});

both_engines!(orders_follow_the_state_machine_and_ratings_are_the_residents_once, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let (leader, worker, team, item) = team_item(&app, &staff, here, 13_600_000_000, 10).await;
    let residents = verified_residents(&app, here, 13_610_000_000, 3).await;
    let (resident, neighbour) = (&residents[0], &residents[1]);
    let o = order_id(&app, resident, item).await;
    // Not yet accepted: nothing but accepting, rejecting or cancelling.
    for endpoint in ["start_order", "complete_order"] {
        refused(step(&app, &leader.session, endpoint, o).await, 409, "state", endpoint);
    }
    refused(call(&app, Some(resident), "confirm_order", &[("id", o.to_string()), ("rating", "5".into())]).await, 409, "state", "confirm too early");
    // Only the provider accepts, and the resident does not do the work.
    refused(call(&app, Some(resident), "accept_order", &[("id", o.to_string())]).await, 403, "Forbidden", "resident accepts");
    refused(call(&app, Some(&worker.session), "accept_order", &[("id", o.to_string())]).await, 403, "Forbidden", "unassigned volunteer accepts");
    refused(call(&app, Some(neighbour), "cancel_order", &[("id", o.to_string())]).await, 403, "Forbidden", "neighbour cancels");
    // The leader chooses among the team's people; nobody else can be given the order (and
    // with it the resident's address).
    let queue = ok(call(&app, Some(&leader.session), "provider_queue", &[]).await, "provider_queue");
    let mine = queue["orders"].as_array().unwrap().iter().find(|v| v["id"] == o).expect("the order in the queue");
    let choices: Vec<i64> = mine["assignees"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert!(choices.contains(&worker.account_id) && choices.contains(&leader.account_id), "{choices:?}");
    let stranger = id(&app, "SELECT id FROM account WHERE phone = '13900000006'").await;
    assert!(!choices.contains(&stranger));
    for who in [stranger, 999_999] {
        let form = [("id", o.to_string()), ("assignee_id", who.to_string())];
        refused(call(&app, Some(&leader.session), "accept_order", &form).await, 400, "assignee", "someone outside the team");
    }
    assert_eq!(status(&app, o).await, "submitted");
    ok(call(&app, Some(&leader.session), "accept_order", &[("id", o.to_string()), ("assignee_id", worker.account_id.to_string())]).await, "accept");
    assert_eq!(status(&app, o).await, "accepted");
    refused(call(&app, Some(&leader.session), "accept_order", &[("id", o.to_string())]).await, 409, "state", "accept twice");
    refused(call(&app, Some(&leader.session), "reject_order", &[("id", o.to_string()), ("reason", "人手不够".into())]).await, 409, "state", "reject after accepting");
    refused(step(&app, resident, "cancel_order", o).await, 409, "state", "cancel after acceptance");
    refused(step(&app, &leader.session, "complete_order", o).await, 409, "state", "complete before start");
    refused(step(&app, resident, "start_order", o).await, 403, "Forbidden", "resident starts");
    ok(step(&app, &worker.session, "start_order", o).await, "start");
    refused(step(&app, &worker.session, "start_order", o).await, 409, "state", "start twice");
    ok(step(&app, &worker.session, "complete_order", o).await, "complete");
    refused(step(&app, &worker.session, "complete_order", o).await, 409, "state", "complete twice");
    // Hours: the volunteer assigned is credited the item's 90 minutes, once.
    let minutes = |who: i64| {
        let app = &app;
        async move { id(app, &format!("SELECT total_minutes FROM volunteer WHERE account_id = {who}")).await }
    };
    assert_eq!(minutes(worker.account_id).await, 90);
    assert_eq!(minutes(leader.account_id).await, 0);
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM hours_credit WHERE source_kind = 'order' AND source_id = {o}")).await, 1);
    // The rating: only the ordering resident, 1–5, once.
    let rate = |who: String, rating: &'static str| {
        let app = &app;
        async move { call(app, Some(&who), "confirm_order", &[("id", o.to_string()), ("rating", rating.into()), ("comment", "饭菜可口，准时送到".into())]).await }
    };
    for other in [neighbour.clone(), staff.clone(), leader.session.clone(), worker.session.clone()] {
        refused(rate(other, "5").await, 403, "Forbidden", "someone else rates");
    }
    refused(rate(resident.clone(), "6").await, 400, "rating", "six stars");
    ok(rate(resident.clone(), "5").await, "rate");
    refused(rate(resident.clone(), "1").await, 409, "state", "rate twice");
    assert_eq!(status(&app, o).await, "confirmed");
    let page = ok(call(&app, None, "get_menu_item", &[("id", item.to_string())]).await, "get_menu_item");
    assert_eq!(page["summary"]["rating_count"], 1);
    assert_eq!(page["summary"]["rating_sum"], 5);
    assert_eq!(page["summary"]["completed_count"], 1);
    assert_eq!(page["ratings"][0]["comment"], "饭菜可口，准时送到");
    // The team's page shows its menu service with the rating and the count, in both languages.
    let team_page = ok(call(&app, None, "get_team", &[("id", team.to_string())]).await, "get_team");
    let served = &team_page["menu_items"][0];
    assert_eq!((served["id"].as_i64(), served["rating_count"].as_i64(), served["completed_count"].as_i64()), (Some(item), Some(1), Some(1)));
    let (_, html) = app.get(&format!("/market/teams/{team}"), &[("accept-language", "zh-CN")]).await;
    assert!(html.contains("data-testid=\"provider-menu\"") && html.contains("5.0 分（1 人评价）"), "{html}");
    let (_, html) = app.get(&format!("/market/teams/{team}"), &[("accept-language", "en")]).await;
    assert!(html.contains("Services on the menu") && html.contains("5.0 out of 5 (ratings: 1)"), "{html}");
    // After the end nothing moves; the hours stay credited once.
    for endpoint in ["start_order", "complete_order", "cancel_order"] {
        assert_eq!(step(&app, &leader.session, endpoint, o).await.status >= 400, true, "{endpoint}");
    }
    assert_eq!(minutes(worker.account_id).await, 90);

    // Rejection needs a reason, gives the place back and tells the resident; then nothing moves.
    let r = order_id(&app, &residents[2], item).await;
    let taken = || {
        let app = &app;
        async move { id(app, &format!("SELECT CAST(SUM(taken) AS BIGINT) FROM menu_week WHERE item_id = {item}")).await }
    };
    let before = taken().await;
    refused(call(&app, Some(&leader.session), "reject_order", &[("id", r.to_string()), ("reason", " ".into())]).await, 400, "reason", "no reason");
    ok(call(&app, Some(&leader.session), "reject_order", &[("id", r.to_string()), ("reason", "本周人手不足，请下周再约".into())]).await, "reject");
    assert_eq!(taken().await, before - 1);
    for endpoint in ["accept_order", "start_order", "complete_order"] {
        refused(step(&app, &leader.session, endpoint, r).await, 409, "state", endpoint);
    }
    refused(step(&app, &residents[2], "cancel_order", r).await, 409, "state", "cancel a rejected order");
    let mine = ok(call(&app, Some(&residents[2]), "my_orders", &[]).await, "my_orders");
    assert_eq!(mine[0]["status"], "Rejected");
    assert_eq!(mine[0]["reject_reason"], "本周人手不足，请下周再约");
    // A cancelled order cannot be accepted.
    let c = order_id(&app, neighbour, item).await;
    ok(step(&app, neighbour, "cancel_order", c).await, "cancel");
    refused(step(&app, &leader.session, "accept_order", c).await, 409, "state", "accept a cancelled order");
    assert_eq!(taken().await, before - 1);
    // The resident heard of each step.
    let kinds = id(&app, &format!("SELECT COUNT(*) FROM notification n JOIN account a ON a.id = n.account_id
                                     WHERE a.phone = '13610000000' AND n.kind = 'order_state'")).await;
    assert_eq!(kinds, 3, "accepted, in progress, completed");
});

/// The `address` of every order with id `order` in an answer (a list or one order).
fn addresses(v: &Value, order: i64) -> Vec<Value> {
    let list = match v {
        Value::Array(a) => a.clone(),
        Value::Object(o) if o.contains_key("orders") => o["orders"].as_array().unwrap().clone(),
        Value::Object(o) if o.contains_key("escalated") => o["escalated"].as_array().unwrap().clone(),
        other => vec![other.clone()],
    };
    list.into_iter().filter(|o| o["id"] == order).map(|o| o["address"].clone()).collect()
}

both_engines!(the_address_is_shown_only_to_the_resident_the_assignee_and_staff, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let (leader, worker, _team, item) = team_item(&app, &staff, here, 13_700_000_000, 10).await;
    let resident = verified_residents(&app, here, 13_710_000_000, 2).await;
    let o = order_id(&app, &resident[0], item).await;
    let address: String = sqlx::query(
        "SELECT COALESCE(e.name || ' ', '') || b.name FROM service_order so JOIN account a ON a.id = so.resident_id
           JOIN building b ON b.id = a.building_id LEFT JOIN estate e ON e.id = b.estate_id WHERE so.id = $1",
    )
    .bind(o)
    .fetch_one(app.db.read())
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let org_admin = login(&app, "13900000006").await;
    let grid_worker = login(&app, "13900000003").await;
    // Every endpoint that returns orders, as `who` sees order `o`: the address (None when not
    // shown, Some(null) when shown empty is a failure) for each place it appears.
    let address = &address;
    let seen = |who: String| {
        let app = &app;
        async move {
            let mut out = Vec::new();
            for endpoint in ["my_orders", "provider_queue", "menu_desk"] {
                let a = call(app, Some(&who), endpoint, &[]).await;
                if a.status < 400 {
                    let shows = a.body.contains(address.as_str());
                    let v: Value = serde_json::from_str(&a.body).unwrap();
                    let found = addresses(&v, o);
                    out.push((endpoint, found.iter().any(|x| !x.is_null()) || shows, !found.is_empty()));
                }
            }
            let a = call(app, Some(&who), "get_order", &[("id", o.to_string())]).await;
            let v: Value = serde_json::from_str(&a.body).unwrap_or(Value::Null);
            out.push(("get_order", a.body.contains(address.as_str()) || (a.status < 400 && !v["address"].is_null()), a.status < 400));
            out
        }
    };
    let shows = |views: &[(&str, bool, bool)]| views.iter().any(|(_, address, _)| *address);
    let lists = |views: &[(&str, bool, bool)], endpoint: &str| views.iter().any(|(e, _, listed)| *e == endpoint && *listed);
    // Before anyone is assigned: the resident and staff see it, the team's leader sees the
    // order in the queue but not the address.
    let r = seen(resident[0].clone()).await;
    assert!(shows(&r) && lists(&r, "my_orders") && lists(&r, "get_order"), "resident: {r:?}");
    let s = seen(staff.clone()).await;
    assert!(shows(&s) && lists(&s, "provider_queue"), "staff: {s:?}");
    let l = seen(leader.session.clone()).await;
    assert!(!shows(&l) && lists(&l, "provider_queue") && lists(&l, "get_order"), "leader: {l:?}");
    for other in [worker.session.clone(), resident[1].clone(), org_admin.clone(), grid_worker.clone()] {
        let v = seen(other).await;
        assert!(!shows(&v) && v.iter().all(|(_, _, listed)| !listed), "others: {v:?}");
    }
    // Assigned: the worker sees it; the leader still does not.
    ok(call(&app, Some(&leader.session), "accept_order", &[("id", o.to_string()), ("assignee_id", worker.account_id.to_string())]).await, "accept");
    let w = seen(worker.session.clone()).await;
    assert!(shows(&w) && lists(&w, "provider_queue") && lists(&w, "get_order"), "worker: {w:?}");
    let l = seen(leader.session.clone()).await;
    assert!(!shows(&l) && lists(&l, "provider_queue"), "leader after: {l:?}");
    for other in [resident[1].clone(), org_admin, grid_worker] {
        assert!(!shows(&seen(other).await));
    }
    // Escalated orders on the staff's desk carry it for staff.
    let o2 = order_id(&app, &resident[1], item).await;
    app.clock.advance_ms(DAY + HOUR);
    app::menu::store::escalate_due(&app.db, app.clock.now_ms()).await.unwrap();
    let (staff, leader_session) = (login(&app, "13900000002").await, relogin(&app, &leader.phone).await);
    let desk = ok(call(&app, Some(&staff), "menu_desk", &[]).await, "menu_desk");
    assert_eq!(addresses(&desk, o2).len(), 1);
    assert!(!addresses(&desk, o2)[0].is_null());
    refused(call(&app, Some(&leader_session), "menu_desk", &[]).await, 403, "Forbidden", "leader's desk");
    refused(call(&app, None, "get_order", &[("id", o.to_string())]).await, 401, "Unauthenticated", "anonymous");
});

both_engines!(unaccepted_orders_escalate_after_a_day, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let (leader, _worker, _team, item) = team_item(&app, &staff, here, 13_800_000_000, 10).await;
    let resident = verified_residents(&app, here, 13_810_000_000, 1).await.pop().unwrap();
    let o = order_id(&app, &resident, item).await;
    // The sweep's step, and what it did to one order (the demo's orders escalate on their own time).
    let escalate = || {
        let app = &app;
        async move { app::menu::store::escalate_due(&app.db, app.clock.now_ms()).await.unwrap() }
    };
    let escalated = |order: i64| {
        let app = &app;
        async move { id(app, &format!("SELECT COALESCE(escalated_at, 0) FROM service_order WHERE id = {order}")).await }
    };
    let staff_notes = |order: i64| {
        let app = &app;
        async move {
            id(app, &format!("SELECT COUNT(*) FROM notification n JOIN account a ON a.id = n.account_id WHERE a.phone = '13900000002'
                               AND n.kind = 'order_escalated' AND n.params_json LIKE '%\"order_id\":{order},%'")).await
        }
    };
    app.clock.advance_ms(23 * HOUR);
    escalate().await;
    assert_eq!(escalated(o).await, 0, "not yet");
    let staff = login(&app, "13900000002").await;
    let desk = ok(call(&app, Some(&staff), "menu_desk", &[]).await, "menu_desk");
    assert!(addresses(&desk, o).is_empty());
    app.clock.advance_ms(HOUR);
    assert!(escalate().await >= 1);
    assert_eq!(escalated(o).await, app.clock.now_ms());
    assert_eq!(escalate().await, 0, "once");
    assert_eq!(staff_notes(o).await, 1);
    let (staff, resident, leader_session) = (login(&app, "13900000002").await, relogin(&app, "13810000000").await, relogin(&app, &leader.phone).await);
    let desk = ok(call(&app, Some(&staff), "menu_desk", &[]).await, "menu_desk");
    assert_eq!(addresses(&desk, o).len(), 1);
    // Staff dispatch it (to the team's leader); that is audited and it leaves the desk.
    ok(call(&app, Some(&staff), "accept_order", &[("id", o.to_string()), ("assignee_id", leader.account_id.to_string())]).await, "dispatch");
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'dispatch_order' AND object_id = {o}")).await, 1);
    let desk = ok(call(&app, Some(&staff), "menu_desk", &[]).await, "menu_desk");
    assert!(addresses(&desk, o).is_empty());
    // An accepted order is never escalated, however old.
    let o2 = order_id(&app, &resident, item).await;
    ok(call(&app, Some(&leader_session), "accept_order", &[("id", o2.to_string())]).await, "accept");
    app.clock.advance_ms(3 * DAY);
    escalate().await;
    assert_eq!((escalated(o2).await, staff_notes(o2).await), (0, 0));
    assert_eq!(staff_notes(o).await, 1);
});

both_engines!(wishes_gather_support_and_become_items, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let residents = verified_residents(&app, here, 13_820_000_000, 4).await;
    let form = [
        ("community_id", here.to_string()),
        ("category", "phone".to_string()),
        ("title", "教老人用手机挂号".to_string()),
        ("description", "希望有志愿者每周教我们在手机上预约挂号、缴费".to_string()),
    ];
    let wish = ok(call(&app, Some(&residents[0]), "make_wish", &form).await, "make_wish").as_i64().unwrap();
    for r in &residents[1..] {
        ok(call(&app, Some(r), "support_wish", &[("id", wish.to_string())]).await, "support_wish");
    }
    let again = ok(call(&app, Some(&residents[1]), "support_wish", &[("id", wish.to_string())]).await, "support again");
    assert_eq!(again, 4, "one support per resident");
    let list = ok(call(&app, Some(&residents[1]), "list_wishes", &[("community", here.to_string())]).await, "list_wishes");
    let w = list["wishes"].as_array().unwrap().iter().find(|w| w["id"] == wish).unwrap().clone();
    assert_eq!((w["support_count"].clone(), w["supported"].clone()), (Value::from(4), Value::Bool(true)));
    let there = id(&app, "SELECT id FROM community WHERE name = '回风亭社区'").await;
    let outsider = verified_residents(&app, there, 13_830_000_000, 1).await.pop().unwrap();
    refused(call(&app, Some(&outsider), "support_wish", &[("id", wish.to_string())]).await, 403, "Forbidden", "another community");
    // On the desk as unmet demand; a resident may not turn it into an item.
    let desk = ok(call(&app, Some(&staff), "menu_desk", &[]).await, "menu_desk");
    assert!(desk["wishes"].as_array().unwrap().iter().any(|w| w["id"] == wish));
    let mut item = item_form(here, "community", "手机挂号一对一教学", 10);
    item.push(("wish_id", wish.to_string()));
    refused(call(&app, Some(&residents[0]), "create_menu_item", &item).await, 403, "Forbidden", "a resident");
    let item_id = create_item(&app, &staff, item.clone()).await;
    let told = id(&app, &format!("SELECT COUNT(*) FROM notification WHERE kind = 'wish_fulfilled' AND link = '/menu/items/{item_id}'")).await;
    assert_eq!(told, 4, "every supporter");
    refused(call(&app, Some(&staff), "create_menu_item", &item).await, 409, "decided", "the same wish twice");
    refused(call(&app, Some(&residents[2]), "support_wish", &[("id", wish.to_string())]).await, 409, "decided", "support a fulfilled wish");
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'create_menu_item' AND object_id = {item_id}")).await, 1);

    // An organization's offering put on the menu by staff: the organization then provides it.
    let desk = ok(call(&app, Some(&staff), "menu_desk", &[]).await, "menu_desk");
    let offering = desk["offerings"][0]["id"].as_i64().expect("a verified organization's offering");
    let mut form = item_form(here, "", "夕阳红上门助浴", 6);
    form.push(("offering_id", offering.to_string()));
    let org_item = create_item(&app, &staff, form).await;
    let org_admin = login(&app, "13900000006").await;
    let org_of: i64 = id(&app, &format!("SELECT org_id FROM offering WHERE id = {offering}")).await;
    let queue = ok(call(&app, Some(&org_admin), "provider_queue", &[]).await, "provider_queue");
    let provides = queue["items"].as_array().unwrap().iter().any(|i| i["id"] == org_item);
    assert_eq!(provides, org_of == 1, "the demo org admin acts for organization 1");
    let desk = ok(call(&app, Some(&staff), "menu_desk", &[]).await, "menu_desk");
    assert!(desk["offerings"].as_array().unwrap().iter().all(|o| o["id"] != offering), "no longer offered");
});

both_engines!(staff_and_grid_workers_order_on_a_residents_behalf, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let item = create_item(&app, &staff, item_form(here, "community", "代订助餐", 10)).await;
    let grid_worker = login(&app, "13900000003").await;
    let elder = verified_residents(&app, here, 13_840_000_000, 2).await;
    let for_elder = |who: String, phone: &'static str| {
        let app = &app;
        async move {
            call(app, Some(&who), "order_service", &[("item_id", item.to_string()), ("preferred_at", tomorrow(app)),
                  ("note", "老人没有手机，电话联系网格员".into()), ("on_behalf_phone", phone.into())]).await
        }
    };
    let o = ok(for_elder(grid_worker.clone(), "13840000000").await, "grid worker orders").as_i64().unwrap();
    let entered: (i64, Option<i64>) = {
        let r = sqlx::query("SELECT resident_id, entered_by FROM service_order WHERE id = $1").bind(o).fetch_one(app.db.read()).await.unwrap();
        (r.try_get(0).unwrap(), r.try_get(1).unwrap())
    };
    let elder_id = id(&app, "SELECT id FROM account WHERE phone = '13840000000'").await;
    let gw_id = id(&app, "SELECT id FROM account WHERE phone = '13900000003'").await;
    assert_eq!(entered, (elder_id, Some(gw_id)));
    assert_eq!(id(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'order_on_behalf' AND object_id = {o}")).await, 1);
    // The resident sees it as entered for them and may cancel it; so may the grid worker;
    // only the resident rates.
    let mine = ok(call(&app, Some(&elder[0]), "my_orders", &[]).await, "my_orders");
    assert_eq!(mine[0]["entered_by"], "李网格员");
    let theirs = ok(call(&app, Some(&grid_worker), "my_orders", &[]).await, "grid worker's orders");
    assert!(theirs.as_array().unwrap().iter().any(|x| x["id"] == o && x["address"].is_null()), "{theirs}");
    ok(step(&app, &grid_worker, "cancel_order", o).await, "the grid worker cancels");
    ok(for_elder(staff.clone(), "13840000001").await, "staff orders");
    // A resident may not order for someone else; a stranger's number is refused.
    refused(for_elder(elder[0].clone(), "13840000001").await, 403, "Forbidden", "a resident orders for another");
    refused(for_elder(staff.clone(), "13899999999").await, 400, "account", "no such resident");
    let there = id(&app, "SELECT id FROM community WHERE name = '回风亭社区'").await;
    verified_residents(&app, there, 13_850_000_000, 1).await;
    refused(for_elder(staff.clone(), "13850000000").await, 400, "account", "a resident of another community");
});

both_engines!(pages_render_in_both_languages_without_javascript, |engine| async move {
    let (app, staff, here) = district(engine).await;
    let (leader, worker, _team, item) = team_item(&app, &staff, here, 13_860_000_000, 10).await;
    let resident = verified_residents(&app, here, 13_870_000_000, 1).await.pop().unwrap();
    let o = order_id(&app, &resident, item).await;
    let address: String = sqlx::query(
        "SELECT b.name FROM service_order so JOIN account a ON a.id = so.resident_id JOIN building b ON b.id = a.building_id WHERE so.id = $1",
    )
    .bind(o)
    .fetch_one(app.db.read())
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let page = |path: String, session: Option<String>, lang: &'static str| {
        let app = &app;
        async move {
            let cookie = format!("linli_session={}; i18n_pref_locale={lang}", session.unwrap_or_default());
            let (status, body) = app.get(&path, &[("cookie", cookie.as_str())]).await;
            assert_eq!(status, 200, "{path}: {body}");
            body
        }
    };
    let menu = page(format!("/menu?community={here}"), Some(resident.clone()), "zh").await;
    assert!(menu.contains("测试助餐送餐上门") && menu.contains("补贴后 ¥8"), "the menu lists the item with its price");
    assert!(menu.contains("已服务 0 次") && menu.contains("还没有评价"), "with its count and ratings");
    let wish = [
        ("community_id", here.to_string()),
        ("category", "phone".to_string()),
        ("title", "教老人用手机挂号".to_string()),
        ("description", "希望有志愿者每周教我们在手机上预约挂号、缴费".to_string()),
    ];
    ok(call(&app, Some(&resident), "make_wish", &wish).await, "make_wish");
    let menu = page(format!("/menu?community={here}"), Some(resident.clone()), "zh").await;
    let open_wishes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wish WHERE community_id = $1 AND item_id IS NULL")
        .bind(here)
        .fetch_one(app.db.read())
        .await
        .unwrap();
    assert!(open_wishes > 0 && menu.contains(&format!("已有 {open_wishes} 个心愿")), "the menu counts the community's open wishes");
    assert!(!menu.contains("href=\"/menu/queue\""), "a resident has no provider's queue");
    let leaders_menu = page(format!("/menu?community={here}"), Some(leader.session.clone()), "zh").await;
    assert!(leaders_menu.contains("href=\"/menu/queue\""), "a team's leader provides: the menu links their queue");
    let en = page(format!("/menu/items/{item}"), Some(resident.clone()), "en").await;
    assert!(en.contains("after subsidy") && en.contains("name=\"preferred_at\""), "the item's page in English with the order form");
    let mine = page("/menu/orders".into(), Some(resident.clone()), "zh").await;
    assert!(mine.contains("已下单，等待接单") && mine.contains(&format!("order-{o}")));
    // The address, on the pages too: the resident's own page and staff's, never the leader's.
    let queue = page("/menu/queue".into(), Some(leader.session.clone()), "zh").await;
    assert!(queue.contains(&format!("order-{o}")) && queue.contains("name=\"assignee_id\""));
    assert!(!queue.contains("data-testid=\"order-address\""), "the leader's queue shows no address");
    let staff_queue = page("/menu/queue".into(), Some(staff.clone()), "zh").await;
    assert!(staff_queue.contains("data-testid=\"order-address\"") && staff_queue.contains(&address));
    assert!(mine.contains("data-testid=\"order-address\""));
    let desk = page("/menu/desk".into(), Some(staff.clone()), "zh").await;
    assert!(desk.contains("未满足的需求"));
    let wishes = page(format!("/menu/wishes?community={here}"), Some(resident.clone()), "zh").await;
    assert!(wishes.contains("name=\"title\""), "a verified resident may make a wish");
    let _ = worker;
});

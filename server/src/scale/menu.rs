//! 你点我供 at scale: a menu of eight services in every community that has none (its teams,
//! its organizations and the community itself provide them), two years of orders that never
//! take more of a week than its capacity and only come from eligible residents, the weeks'
//! counters, the items' ratings and counts, hours for the volunteers who served, and wishes.
use super::rows::{Rows, V};
use super::{people::birth_year, text, Community, Gen, DAY, YEAR};
use app::menu::week_of;
use sqlx::Row;
use std::collections::HashMap;

const HOUR: i64 = 3_600_000;

#[derive(Clone, Debug)]
struct Item {
    id: i64,
    community: usize,
    title: String,
    capacity: i64,
    min_age: Option<i64>,
    minutes: i64,
    provider: Provider,
    /// Its line of `text::MENU`; None for the demo's own items (whose current weeks have
    /// orders already: only past weeks are added to those).
    menu: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
enum Provider {
    /// (team, index of the team in its community)
    Team(i64, usize),
    Org(i64, usize),
    Community,
}

struct Order {
    id: i64,
    item: usize,
    resident: i64,
    entered_by: Option<i64>,
    status: &'static str,
    preferred: i64,
    submitted: i64,
    assignee: Option<i64>,
    accepted_by: Option<i64>,
    rating: Option<i64>,
}

pub async fn generate(g: &mut Gen<'_>, communities: &[Community]) -> Result<(), sqlx::Error> {
    g.phase("service menu");
    let mut items = existing_items(g, communities).await?;
    let mut id = g.next_id("menu_item").await?;
    for (ci, c) in communities.iter().enumerate() {
        if items.iter().any(|i| i.community == ci) {
            continue;
        }
        for (k, (category, title, minutes, min_age, _, _)) in text::MENU.iter().enumerate() {
            let provider = match (*category, c.teams.first(), c.orgs.len()) {
                ("meals" | "repair", Some(t), _) => Provider::Team(t.id, 0),
                (_, _, n) if n > 0 => Provider::Org(c.orgs[k % n].id, k % n),
                _ => Provider::Community,
            };
            let capacity = g.rng.between(15, 60);
            items.push(Item { id, community: ci, title: title.to_string(), capacity, min_age: *min_age, minutes: *minutes, provider, menu: Some(k) });
            id += 1;
        }
    }
    let orders = plan_orders(g, communities, &items).await?;
    write_items(g, communities, &items, &orders).await?;
    write_orders(g, communities, &items, &orders).await?;
    wishes(g, communities).await
}

/// The demo's items, to give them a history too.
async fn existing_items(g: &mut Gen<'_>, communities: &[Community]) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, community_id, title, weekly_capacity, min_age, service_minutes FROM menu_item WHERE withdrawn_at IS NULL ORDER BY id")
        .fetch_all(&mut **g.sink.tx().await?)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let community: i64 = r.try_get("community_id")?;
        let Some(ci) = communities.iter().position(|c| c.id == community) else { continue };
        out.push(Item {
            id: r.try_get("id")?,
            community: ci,
            title: r.try_get("title")?,
            capacity: r.try_get("weekly_capacity")?,
            min_age: r.try_get("min_age")?,
            minutes: r.try_get("service_minutes")?,
            provider: Provider::Community,
            menu: None,
        });
    }
    Ok(out)
}

/// Orders over the last two years and the next three weeks, by item popularity; a week's
/// capacity is never exceeded and every resident is old enough for what they order.
async fn plan_orders(g: &mut Gen<'_>, communities: &[Community], items: &[Item]) -> Result<Vec<Order>, sqlx::Error> {
    let weights: Vec<f64> = items.iter().map(|i| communities[i.community].weight * g.rng.pareto()).collect();
    let total: f64 = weights.iter().sum();
    let cumulative: Vec<f64> = weights.iter().scan(0.0, |acc, w| { *acc += w / total; Some(*acc) }).collect();
    let this_year = app::menu::local_year(g.now);
    let this_week_start = app::menu::week_start(week_of(g.now));
    let mut taken = existing_weeks(g).await?;
    let mut id = g.next_id("service_order").await?;
    let mut out = Vec::with_capacity(g.preset.orders as usize);
    for _ in 0..g.preset.orders * 2 {
        if out.len() as i64 >= g.preset.orders {
            break;
        }
        let roll = g.rng.below(1_000_000) as f64 / 1_000_000.0;
        let k = cumulative.partition_point(|&c| c < roll).min(items.len() - 1);
        let item = &items[k];
        let c = &communities[item.community];
        let latest = if item.menu.is_none() { this_week_start - DAY } else { g.now + 21 * DAY };
        let day = (latest - g.rng.between(0, 2 * 365) * DAY).div_euclid(DAY) * DAY;
        let preferred = day + g.rng.between(1, 9) * HOUR;
        let week = week_of(preferred);
        let used = taken.entry((item.id, week)).or_insert(0);
        if *used >= item.capacity {
            continue;
        }
        let Some(resident) = (0..20).map(|_| c.resident(g.rng.next())).find(|r| item.min_age.is_none_or(|a| this_year - birth_year(*r) >= a)) else { continue };
        let status = if preferred < g.now - 2 * DAY {
            match g.rng.below(100) { 0..72 => "confirmed", 72..80 => "completed", 80..87 => "rejected", _ => "cancelled" }
        } else if preferred < g.now {
            match g.rng.below(100) { 0..50 => "in_progress", _ => "completed" }
        } else {
            match g.rng.below(100) { 0..50 => "submitted", 50..95 => "accepted", _ => "cancelled" }
        };
        if !matches!(status, "rejected" | "cancelled") {
            *used += 1;
        }
        let (assignee, accepted_by) = match (status, item.provider) {
            ("submitted" | "rejected" | "cancelled", _) => (None, None),
            (_, Provider::Team(_, t)) => {
                let team = &c.teams[t];
                (Some(*g.rng.pick(&team.members)), Some(team.leader))
            }
            (_, Provider::Org(_, o)) => (Some(c.orgs[o].admin), Some(c.orgs[o].admin)),
            (_, Provider::Community) => (Some(c.staff), Some(c.staff)),
        };
        let rating = (status == "confirmed").then(|| match g.rng.below(100) { 0..60 => 5, 60..85 => 4, 85..95 => 3, 95..98 => 2, _ => 1 });
        let submitted = if preferred > g.now { g.now - g.rng.between(1, 20) * HOUR } else { preferred - g.rng.between(2, 72) * HOUR };
        out.push(Order { id, item: k, resident, entered_by: g.rng.chance(3).then_some(c.staff), status, preferred, submitted, assignee, accepted_by, rating });
        id += 1;
    }
    Ok(out)
}

/// Places already taken, per (item, week): the demo's orders.
async fn existing_weeks(g: &mut Gen<'_>) -> Result<HashMap<(i64, i64), i64>, sqlx::Error> {
    sqlx::query("SELECT item_id, week, taken FROM menu_week")
        .fetch_all(&mut **g.sink.tx().await?)
        .await?
        .iter()
        .map(|r| Ok(((r.try_get("item_id")?, r.try_get("week")?), r.try_get("taken")?)))
        .collect()
}

async fn write_items(g: &mut Gen<'_>, communities: &[Community], items: &[Item], orders: &[Order]) -> Result<(), sqlx::Error> {
    // Counters of each item: ratings (count, sum) and orders served.
    let mut counts: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for o in orders {
        let e = counts.entry(items[o.item].id).or_default();
        if let Some(r) = o.rating {
            e.0 += 1;
            e.1 += r;
        }
        e.2 += i64::from(matches!(o.status, "completed" | "confirmed"));
    }
    let mut rows = Rows::new(
        "menu_item (id, community_id, category, title, description, provider_kind, org_id, team_id, min_age, weekly_capacity,
                    price_kind, price_fen, service_minutes, rating_count, rating_sum, completed_count, created_by, created_at)",
    );
    for item in items {
        let (rc, rs, done) = counts.get(&item.id).copied().unwrap_or_default();
        let Some(line) = item.menu else {
            let sql = format!(
                "UPDATE menu_item SET rating_count = rating_count + {rc}, rating_sum = rating_sum + {rs}, completed_count = completed_count + {done} WHERE id = {}",
                item.id
            );
            g.sink.execute(&sql).await?;
            continue;
        };
        let c = &communities[item.community];
        let (category, _, _, _, price_kind, fen) = text::MENU[line];
        let (kind, org, team) = match item.provider {
            Provider::Team(t, _) => ("team", None, Some(t)),
            Provider::Org(o, _) => ("org", Some(o), None),
            Provider::Community => ("community", None, None),
        };
        rows.push(
            &mut g.sink,
            [
                item.id.into(), c.id.into(), category.into(), item.title.clone().into(),
                format!("{}为本社区居民提供{}服务，请提前预约。", c.name, item.title).into(), kind.into(), org.into(), team.into(),
                item.min_age.into(), item.capacity.into(), price_kind.into(), fen.into(), item.minutes.into(), rc.into(), rs.into(),
                done.into(), c.staff.into(), (g.now - 2 * YEAR - 30 * DAY).into(),
            ],
        )
        .await?;
    }
    rows.flush(&mut g.sink).await
}

async fn write_orders(g: &mut Gen<'_>, communities: &[Community], items: &[Item], orders: &[Order]) -> Result<(), sqlx::Error> {
    let mut rows = Rows::new(
        "service_order (id, item_id, community_id, resident_id, entered_by, status, preferred_at, week, note, submitted_at,
                        assignee_id, accepted_by, accepted_at, started_at, completed_at, confirmed_at, closed_at, reject_reason,
                        rating, rating_comment)",
    );
    let mut weeks: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    for o in orders {
        let item = &items[o.item];
        let c = &communities[item.community];
        let s = o.status;
        let at = |reached: bool, t: i64| if reached { V::I(t) } else { V::NoInt };
        let accepted = matches!(s, "accepted" | "in_progress" | "completed" | "confirmed");
        let started = matches!(s, "in_progress" | "completed" | "confirmed");
        let completed = matches!(s, "completed" | "confirmed");
        let closed = matches!(s, "rejected" | "cancelled");
        let week = week_of(o.preferred);
        let w = weeks.entry((item.id, week)).or_insert((item.capacity, 0));
        w.1 += i64::from(!closed);
        rows.push(
            &mut g.sink,
            [
                o.id.into(), item.id.into(), c.id.into(), o.resident.into(), o.entered_by.into(), s.into(), o.preferred.into(),
                week.into(), text::order_note(&mut g.rng).into(), o.submitted.into(), o.assignee.into(), o.accepted_by.into(),
                at(accepted, o.submitted + 2 * HOUR), at(started, o.preferred), at(completed, o.preferred + item.minutes * 60_000),
                at(s == "confirmed", o.preferred + DAY), at(closed, o.submitted + 3 * HOUR),
                if s == "rejected" { V::S("本周人手不足，请改约时间") } else { V::NoText },
                o.rating.into(), o.rating.and_then(|_| text::rating_comment(&mut g.rng)).map_or(V::NoText, V::S),
            ],
        )
        .await?;
    }
    rows.flush(&mut g.sink).await?;
    let existing = existing_weeks(g).await?;
    let mut week_rows = Rows::new("menu_week (item_id, week, capacity, taken)");
    let mut keys: Vec<_> = weeks.into_iter().filter(|(_, (_, taken))| *taken > 0).collect();
    keys.sort_unstable();
    for ((item, week), (capacity, taken)) in keys {
        if existing.contains_key(&(item, week)) {
            g.sink.execute(&format!("UPDATE menu_week SET taken = taken + {taken} WHERE item_id = {item} AND week = {week}")).await?;
        } else {
            week_rows.push(&mut g.sink, [item.into(), week.into(), capacity.into(), taken.into()]).await?;
        }
    }
    week_rows.flush(&mut g.sink).await?;
    // The volunteers who served: the item's service time, once per order.
    let mut credits = Rows::new(
        "hours_credit (account_id, minutes, source_kind, source_id, title, team_id, community_id, confirmed_by, served_at, at)",
    );
    for o in orders.iter().filter(|o| matches!(o.status, "completed" | "confirmed")) {
        let item = &items[o.item];
        if let (Provider::Team(team, _), Some(who), Some(by)) = (item.provider, o.assignee, o.accepted_by) {
            let done = o.preferred + item.minutes * 60_000;
            credits
                .push(
                    &mut g.sink,
                    [
                        who.into(), item.minutes.into(), "order".into(), o.id.into(), item.title.clone().into(), team.into(),
                        communities[item.community].id.into(), by.into(), o.preferred.into(), done.into(),
                    ],
                )
                .await?;
        }
    }
    credits.flush(&mut g.sink).await
}

/// A few wishes in every community, each with its author and some neighbours supporting it.
async fn wishes(g: &mut Gen<'_>, communities: &[Community]) -> Result<(), sqlx::Error> {
    let mut id = g.next_id("wish").await?;
    let mut wishes = Rows::new("wish (id, community_id, category, title, description, author_id, support_count, created_at)");
    let mut supports = Vec::new();
    for c in communities.iter().skip(1) {
        for (category, title, description) in text::WISHES {
            let n = (g.rng.pareto() * 3.0) as i64;
            let n = n.clamp(1, c.verified.min(300));
            let start = g.rng.next();
            let at = g.now - g.rng.between(1, 200) * DAY;
            wishes.push(&mut g.sink, [id.into(), c.id.into(), category.into(), title.into(), description.into(), c.resident(start).into(), n.into(), at.into()]).await?;
            for k in 0..n as u64 {
                supports.push([id.into(), c.resident(start + k).into(), (at + k as i64 * HOUR).into()]);
            }
            id += 1;
        }
    }
    wishes.flush(&mut g.sink).await?;
    let mut rows = Rows::new("wish_support (wish_id, account_id, at)");
    for s in supports {
        rows.push(&mut g.sink, s).await?;
    }
    rows.flush(&mut g.sink).await
}

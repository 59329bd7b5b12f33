//! 邻里议事厅 at scale: five years of proposals in every community, their timelines, supports,
//! votes and comments, with the counters on `proposal` equal to the rows. Votes and comments
//! follow a heavy tail; the busiest proposal of the largest community gets exactly
//! `hot_comments` comments.
use super::rows::{Rows, V};
use super::{text, Community, Gen, DAY, YEAR};

/// One proposal as planned before any row is written.
struct Plan {
    id: i64,
    community: usize,
    author: i64,
    category: &'static str,
    title: String,
    body: String,
    state: &'static str,
    created: i64,
    /// Voting opens and closes (for proposals that reached a vote).
    voting: Option<(i64, i64)>,
    supports: i64,
    votes: i64,
    comments: i64,
}

impl Plan {
    fn voted(&self) -> bool {
        self.voting.is_some()
    }

    /// For, against, abstain: a clear majority the way the vote went.
    fn tally(&self) -> [i64; 3] {
        let n = self.votes;
        let (f, a) = match self.state {
            "rejected" => (n * 35 / 100, n * 55 / 100),
            "voting" => (n * 60 / 100, n * 30 / 100),
            _ => (n * 70 / 100, n * 20 / 100),
        };
        [f, a, n - f - a]
    }
}

/// The proposal's state from its age: recent ones are still gathering support or being voted
/// on; older ones ended every way a proposal ends.
fn state(g: &mut Gen<'_>, created: i64) -> &'static str {
    let roll = g.rng.below(100);
    if g.now - created < 30 * DAY {
        match roll {
            0..70 => "collecting",
            70..85 => "agenda",
            _ => "voting",
        }
    } else {
        match roll {
            0..35 => "done",
            35..45 => "implementing",
            45..50 => "passed",
            50..62 => "rejected",
            62..70 => "withdrawn",
            _ => "collecting",
        }
    }
}

pub async fn generate(g: &mut Gen<'_>, communities: &[Community]) -> Result<(), sqlx::Error> {
    g.phase("proposals");
    let p = g.preset;
    let total_weight: f64 = communities.iter().map(|c| c.weight).sum();
    let mut id = g.next_id("proposal").await?;
    let mut plans = Vec::with_capacity(p.proposals as usize);
    let span = 5 * YEAR;
    for (ci, c) in communities.iter().enumerate() {
        let n = ((p.proposals as f64 * c.weight / total_weight) as i64).max(1);
        for j in 0..n {
            let created = g.now - span + (j + 1) * (span / n) - g.rng.between(0, span / n / 2);
            let state = state(g, created);
            let voting = match state {
                "voting" => Some((g.now - g.rng.between(1, 5) * DAY, g.now + g.rng.between(1, 14) * DAY)),
                "passed" | "rejected" | "implementing" | "done" => Some((created + 15 * DAY, created + 22 * DAY)),
                _ => None,
            };
            let threshold = 10;
            let supports = if matches!(state, "collecting" | "withdrawn") {
                g.rng.between(0, threshold - 1)
            } else {
                threshold + ((g.rng.pareto() * 5.0) as i64).min(200)
            };
            let (category, title, body) = text::proposal(&mut g.rng);
            plans.push(Plan {
                id,
                community: ci,
                author: c.resident(g.rng.next()),
                category,
                title,
                body,
                state,
                created,
                voting,
                supports: supports.min(c.verified),
                votes: 0,
                comments: 0,
            });
            id += 1;
        }
    }
    share_out(g, &mut plans, communities, p.votes, 5, |p| p.voted(), |c| c.verified, |p, n| p.votes = n);
    // The long thread: the most-voted proposal of the largest community.
    let hot = plans.iter().enumerate().filter(|(_, p)| p.community == 0 && p.voted()).max_by_key(|(_, p)| p.votes).map(|(i, _)| i);
    let others = p.comments - hot.map_or(0, |_| p.hot_comments);
    // No other thread is as long as the hot one.
    let longest = (p.hot_comments * 3 / 4).max(1);
    share_out(g, &mut plans, communities, others, 0, |_| true, move |_| longest, |p, n| p.comments = n);
    if let Some(h) = hot {
        plans[h].comments = p.hot_comments;
    }

    write_proposals(g, &plans, communities).await?;
    g.phase("timelines");
    write_timelines(g, &plans, communities).await?;
    g.phase("supports and votes");
    write_supports_and_votes(g, &plans, communities).await?;
    g.phase("comments");
    write_comments(g, &plans, communities).await
}

/// Shares `total` out over the plans `eligible` picks: at least `floor` each, the rest by
/// heavy-tailed weights, each capped by `cap` of its community; what the caps cut off goes to
/// the others in later rounds.
#[allow(clippy::too_many_arguments)]
fn share_out(
    g: &mut Gen<'_>,
    plans: &mut [Plan],
    communities: &[Community],
    total: i64,
    floor: i64,
    eligible: impl Fn(&Plan) -> bool,
    cap: impl Fn(&Community) -> i64,
    set: impl Fn(&mut Plan, i64),
) {
    let weights: Vec<f64> = plans.iter().map(|p| if eligible(p) { g.rng.pareto() } else { 0.0 }).collect();
    let mut given: Vec<i64> =
        plans.iter().zip(&weights).map(|(p, w)| if *w > 0.0 { floor.min(cap(&communities[p.community])) } else { 0 }).collect();
    let mut left = total - given.iter().sum::<i64>();
    for _round in 0..3 {
        let open: f64 = weights.iter().zip(&given).zip(plans.iter()).filter(|((_, n), p)| **n < cap(&communities[p.community])).map(|((w, _), _)| w).sum();
        if left <= 0 || open == 0.0 {
            break;
        }
        let round_total = left;
        for (i, p) in plans.iter().enumerate() {
            let limit = cap(&communities[p.community]);
            if weights[i] == 0.0 || given[i] >= limit {
                continue;
            }
            let more = ((round_total as f64 * weights[i] / open).round() as i64).min(limit - given[i]).min(left);
            given[i] += more;
            left -= more;
        }
    }
    for (p, n) in plans.iter_mut().zip(given) {
        set(p, n);
    }
}

async fn write_proposals(g: &mut Gen<'_>, plans: &[Plan], communities: &[Community]) -> Result<(), sqlx::Error> {
    let mut rows = Rows::new(
        "proposal (id, community_id, author_id, category, title, body, search_text, state, support_count,
                   comment_count, voting_opens_at, voting_closes_at, created_at, updated_at)",
    );
    for p in plans {
        rows.push(
            &mut g.sink,
            [
                p.id.into(),
                communities[p.community].id.into(),
                p.author.into(),
                p.category.into(),
                p.title.clone().into(),
                p.body.clone().into(),
                app::hall::search_text(&p.title, &p.body).into(),
                p.state.into(),
                p.supports.into(),
                p.comments.into(),
                p.voting.map(|v| v.0).into(),
                p.voting.map(|v| v.1).into(),
                p.created.into(),
                last_event(g.now, p).into(),
            ],
        )
        .await?;
    }
    rows.flush(&mut g.sink).await?;
    // Tallies after every proposal they refer to is written; open while the vote is.
    let mut tallies = Rows::new("proposal_tally (proposal_id, votes_for, votes_against, votes_abstain, open_until)");
    for p in plans.iter().filter(|p| p.voted()) {
        let [f, a, x] = p.tally();
        let open_until = p.voting.filter(|_| p.state == "voting").map(|v| v.1);
        tallies.push(&mut g.sink, [p.id.into(), f.into(), a.into(), x.into(), open_until.into()]).await?;
    }
    tallies.flush(&mut g.sink).await
}

/// The timeline's steps: (from, to, actor is the author (else staff, or the system when
/// None is given), days after creation).
fn steps(state: &str) -> &'static [(Option<&'static str>, &'static str, Option<bool>, i64)] {
    const CREATED: (Option<&str>, &str, Option<bool>, i64) = (None, "collecting", Some(true), 0);
    const AGENDA: (Option<&str>, &str, Option<bool>, i64) = (Some("collecting"), "agenda", None, 10);
    const VOTING: (Option<&str>, &str, Option<bool>, i64) = (Some("agenda"), "voting", Some(false), 15);
    match state {
        "agenda" => &[CREATED, AGENDA],
        "voting" => &[CREATED, AGENDA, VOTING],
        "passed" => &[CREATED, AGENDA, VOTING, (Some("voting"), "passed", None, 22)],
        "rejected" => &[CREATED, AGENDA, VOTING, (Some("voting"), "rejected", None, 22)],
        "implementing" => &[CREATED, AGENDA, VOTING, (Some("voting"), "passed", None, 22), (Some("passed"), "implementing", Some(false), 27)],
        "done" => &[
            CREATED, AGENDA, VOTING,
            (Some("voting"), "passed", None, 22),
            (Some("passed"), "implementing", Some(false), 27),
            (Some("implementing"), "done", Some(false), 90),
        ],
        "withdrawn" => &[CREATED, (Some("collecting"), "withdrawn", Some(true), 5)],
        _ => &[CREATED],
    }
}

/// When a step happened: its day after creation, but never in the future (recent proposals
/// moved faster).
fn step_time(now: i64, p: &Plan, k: usize, days: i64) -> i64 {
    let planned = p.created + days * DAY;
    let room = (now - DAY - p.created).max(k as i64);
    if planned < now - DAY { planned } else { p.created + room * k as i64 / 8 }
}

fn last_event(now: i64, p: &Plan) -> i64 {
    let s = steps(p.state);
    step_time(now, p, s.len() - 1, s[s.len() - 1].3)
}

async fn write_timelines(g: &mut Gen<'_>, plans: &[Plan], communities: &[Community]) -> Result<(), sqlx::Error> {
    let mut events = Rows::new("proposal_event (proposal_id, from_state, to_state, actor_id, note, at)");
    let mut follows = Rows::new("follow (proposal_id, account_id)");
    for p in plans {
        for (k, (from, to, actor, days)) in steps(p.state).iter().enumerate() {
            let actor = match actor {
                Some(true) => Some(p.author),
                Some(false) => Some(communities[p.community].staff),
                None => None,
            };
            let note = match *to {
                "agenda" => "附议人数达到门槛，列入议程",
                "implementing" => "已落实资金和施工单位",
                "done" => "已完工，欢迎居民监督",
                _ => "",
            };
            let from = from.map_or(V::NoText, V::S);
            events.push(&mut g.sink, [p.id.into(), from, (*to).into(), actor.into(), note.into(), step_time(g.now, p, k, *days).into()]).await?;
        }
        follows.push(&mut g.sink, [p.id.into(), p.author.into()]).await?;
    }
    events.flush(&mut g.sink).await?;
    follows.flush(&mut g.sink).await
}

async fn write_supports_and_votes(g: &mut Gen<'_>, plans: &[Plan], communities: &[Community]) -> Result<(), sqlx::Error> {
    let mut supports = Rows::new("support (proposal_id, account_id, at)");
    let mut votes = Rows::new("vote (proposal_id, account_id, choice, at)");
    for p in plans {
        let c = &communities[p.community];
        // Supporters and voters: consecutive verified residents from a random start, so no one
        // supports or votes twice.
        let start = g.rng.next();
        for k in 0..p.supports as u64 {
            let at = p.created + (k as i64 + 1) * 3_600_000;
            supports.push(&mut g.sink, [p.id.into(), c.resident(start + k).into(), at.min(g.now).into()]).await?;
        }
        let Some((opens, closes)) = p.voting else { continue };
        let [f, a, _] = p.tally();
        let start = g.rng.next();
        let window = (closes.min(g.now) - opens).max(1);
        for k in 0..p.votes {
            let choice = if k < f { "for" } else if k < f + a { "against" } else { "abstain" };
            let at = opens + window * k / p.votes.max(1);
            votes.push(&mut g.sink, [p.id.into(), c.resident(start + k as u64).into(), choice.into(), at.into()]).await?;
        }
    }
    supports.flush(&mut g.sink).await?;
    votes.flush(&mut g.sink).await
}

async fn write_comments(g: &mut Gen<'_>, plans: &[Plan], communities: &[Community]) -> Result<(), sqlx::Error> {
    let mut id = g.next_id("comment").await?;
    let mut rows = Rows::new("comment (id, proposal_id, parent_id, author_id, body, created_at)");
    for p in plans {
        let c = &communities[p.community];
        // Three in four are top-level; the rest answer one of them, later.
        let first = id;
        let top = (p.comments * 3 / 4).max(p.comments.min(1));
        let window = (g.now - p.created).clamp(1, 60 * DAY);
        for k in 0..p.comments {
            let parent = (k >= top).then(|| first + g.rng.below(top as u64) as i64);
            let at = p.created + window * (k + 1) / (p.comments + 1);
            rows.push(&mut g.sink, [id.into(), p.id.into(), parent.into(), c.resident(g.rng.next()).into(), text::comment(&mut g.rng).into(), at.into()])
                .await?;
            id += 1;
        }
    }
    rows.flush(&mut g.sink).await
}

//! 五社联动 at scale: two verified organizations and three volunteer teams in every community,
//! a twentieth of the verified residents registered as volunteers (some as 双报到 cadres),
//! three years of activities with sign-ups, attendance and hours in the ledger, and the
//! volunteers' and teams' totals computed from that ledger.
use super::rows::{Rows, V};
use super::{text, Community, Gen, DAY, YEAR};

const HOUR: i64 = 3_600_000;
const ORG_ADMIN_PHONES: i64 = 139_3000_0000;

#[derive(Clone, Debug, Default)]
pub struct Team {
    pub id: i64,
    pub leader: i64,
    /// Its members (the leader first).
    pub members: Vec<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct Org {
    pub id: i64,
    pub admin: i64,
}

const ORG_KINDS: [(&str, &str, &str, &str); 2] = [
    ("居家养老服务中心", "social_org", "elder,meals,health,cleaning", "为辖区老人提供助餐、助洁、助医和探访服务的社会组织。"),
    ("社会工作服务站", "social_org", "legal,childcare,phone,elder", "持证社工驻站，开展个案、小组和社区工作。"),
];

pub async fn generate(g: &mut Gen<'_>, communities: &mut [Community]) -> Result<(), sqlx::Error> {
    g.phase("organizations");
    organizations(g, communities).await?;
    g.phase("volunteers and teams");
    volunteers(g, communities).await?;
    teams(g, communities).await?;
    g.phase("activities");
    activities(g, communities).await
}

async fn organizations(g: &mut Gen<'_>, communities: &mut [Community]) -> Result<(), sqlx::Error> {
    let (mut account, mut org) = (g.next_id("account").await?, g.next_id("organization").await?);
    let mut admins = Rows::new(
        "account (id, phone, display_name, password_hash, consented_at, created_at)",
    );
    let mut orgs = Rows::new(
        "organization (id, name, kind, community_id, service_areas, description, contact_name, contact_phone, status,
                       created_by, created_at, decided_by, decided_at)",
    );
    let mut grants = Rows::new("role_grant (account_id, role, scope_kind, scope_id, granted_at)");
    let at = g.now - 3 * YEAR;
    let mut phone = ORG_ADMIN_PHONES;
    let (mut planned, mut roles) = (Vec::new(), Vec::new());
    for c in communities.iter_mut() {
        for (suffix, kind, areas, description) in ORG_KINDS {
            let name = format!("{}{suffix}", c.name.trim_end_matches("社区"));
            let contact = text::person(&mut g.rng);
            admins.push(&mut g.sink, [account.into(), phone.to_string().into(), name.clone().into(), g.hash.clone().into(), at.into(), at.into()]).await?;
            planned.push([
                org.into(), name.into(), kind.into(), c.id.into(), areas.into(), description.into(), contact.into(),
                phone.to_string().into(), "verified".into(), account.into(), at.into(), c.staff.into(), (at + 2 * DAY).into(),
            ]);
            roles.push([account.into(), "org_admin".into(), "organization".into(), org.into(), at.into()]);
            c.orgs.push(Org { id: org, admin: account });
            account += 1;
            org += 1;
            phone += 1;
        }
    }
    admins.flush(&mut g.sink).await?;
    for row in planned {
        orgs.push(&mut g.sink, row).await?;
    }
    orgs.flush(&mut g.sink).await?;
    for row in roles {
        grants.push(&mut g.sink, row).await?;
    }
    grants.flush(&mut g.sink).await
}

async fn volunteers(g: &mut Gen<'_>, communities: &mut [Community]) -> Result<(), sqlx::Error> {
    let mut rows = Rows::new("volunteer (account_id, volunteer_no, cadre_unit, cadre_community_id, cadre_confirmed_by, cadre_confirmed_at, joined_at)");
    let mut grants = Rows::new("role_grant (account_id, role, granted_at)");
    const UNITS: [&str; 4] = ["区教育局", "区人民医院", "区税务局", "国网巴州供电公司"];
    for c in communities.iter_mut() {
        let mut k = 0;
        while k < c.verified {
            let id = c.first_resident + k;
            let joined = g.now - g.rng.between(60, 4 * 365) * DAY;
            let cadre = g.rng.chance(10).then(|| *g.rng.pick(&UNITS));
            rows.push(
                &mut g.sink,
                [
                    id.into(),
                    format!("BZ{}{:07}", 2021 + (joined - (g.now - 4 * YEAR)).max(0) / YEAR, id).into(),
                    cadre.map_or(V::NoText, V::S),
                    cadre.map(|_| c.id).into(),
                    cadre.map(|_| c.staff).into(),
                    cadre.map(|_| joined + DAY).into(),
                    joined.into(),
                ],
            )
            .await?;
            grants.push(&mut g.sink, [id.into(), "volunteer".into(), joined.into()]).await?;
            c.volunteers.push(id);
            k += 20;
        }
    }
    rows.flush(&mut g.sink).await?;
    grants.flush(&mut g.sink).await
}

async fn teams(g: &mut Gen<'_>, communities: &mut [Community]) -> Result<(), sqlx::Error> {
    let mut id = g.next_id("team").await?;
    let mut teams = Rows::new("team (id, name, org_id, community_id, leader_id, description, member_count, created_by, created_at)");
    let mut members = Vec::new();
    let at = g.now - 3 * YEAR - 30 * DAY;
    for c in communities.iter_mut() {
        let v = c.volunteers.len();
        if v < 4 {
            continue;
        }
        let first = g.rng.below(text::TEAMS.len() as u64) as usize;
        for t in 0..3 {
            let (name, description) = text::TEAMS[(first + t) % text::TEAMS.len()];
            // A third of the volunteers each, overlapping; the first is the leader.
            let size = (v / 3).clamp(3, 60);
            let start = g.rng.below(v as u64) as usize;
            let team_members: Vec<i64> = (0..size).map(|k| c.volunteers[(start + k) % v]).collect();
            let leader = team_members[0];
            teams
                .push(&mut g.sink, [id.into(), format!("{}{name}", c.name).into(), V::NoInt, c.id.into(), leader.into(), description.into(), (size as i64).into(), c.staff.into(), at.into()])
                .await?;
            for (k, m) in team_members.iter().enumerate() {
                let decided_by = if k == 0 { c.staff } else { leader };
                members.push([id.into(), (*m).into(), "member".into(), (at + k as i64 * HOUR).into(), decided_by.into(), (at + DAY).into()]);
            }
            c.teams.push(Team { id, leader, members: team_members });
            id += 1;
        }
    }
    teams.flush(&mut g.sink).await?;
    let mut rows = Rows::new("team_member (team_id, account_id, status, applied_at, decided_by, decided_at)");
    for m in members {
        rows.push(&mut g.sink, m).await?;
    }
    rows.flush(&mut g.sink).await
}

/// Activities of the teams, from three years ago to two weeks ahead; each team's share follows
/// its community's weight.
async fn activities(g: &mut Gen<'_>, communities: &[Community]) -> Result<(), sqlx::Error> {
    let teams: Vec<(&Community, &Team)> = communities.iter().flat_map(|c| c.teams.iter().map(move |t| (c, t))).collect();
    if teams.is_empty() {
        return Ok(());
    }
    let total_weight: f64 = teams.iter().map(|(c, _)| c.weight).sum();
    let (mut id, mut signup_id) = (g.next_id("activity").await?, g.next_id("signup").await?);
    let mut activities = Rows::new(
        "activity (id, title, description, team_id, community_id, place, starts_at, ends_at, slots, confirmed_count,
                   checkin_code, organiser_id, created_at, reminded_at)",
    );
    let (mut skills, mut signups) = (Vec::new(), Vec::new());
    let span = 3 * YEAR + 14 * DAY;
    for (c, t) in &teams {
        let n = ((g.preset.activities as f64 * c.weight / total_weight) as i64).max(1);
        for k in 0..n {
            let day = (g.now - 3 * YEAR + span * k / n).div_euclid(DAY) * DAY;
            // 09:00 or 14:30 in China (UTC+8), two or three hours.
            let starts = day + if g.rng.chance(50) { HOUR } else { 6 * HOUR + HOUR / 2 };
            let ends = starts + g.rng.between(2, 3) * HOUR;
            let (title, skill, place) = *g.rng.pick(&text::ACTIVITIES);
            let slots = g.rng.between(5, 30);
            let confirmed = (slots * g.rng.between(50, 100) / 100).clamp(1, t.members.len() as i64);
            let reminded = (starts - DAY < g.now).then_some(starts - DAY);
            activities
                .push(
                    &mut g.sink,
                    [
                        id.into(), title.into(), format!("{}：{title}，欢迎志愿者报名。", c.name).into(), t.id.into(), c.id.into(),
                        place.into(), starts.into(), ends.into(), slots.into(), confirmed.into(),
                        format!("{:06}", g.rng.below(1_000_000)).into(), t.leader.into(), (starts - 7 * DAY).into(), reminded.into(),
                    ],
                )
                .await?;
            skills.push([V::I(id), V::S(skill)]);
            let past = ends < g.now;
            let start = g.rng.below(t.members.len() as u64) as usize;
            for s in 0..confirmed as usize {
                let who = t.members[(start + s) % t.members.len()];
                let attended = past && g.rng.chance(90);
                signups.push(Signup { id: signup_id, activity: id, title, team: t.id, community: c.id, leader: t.leader, who, starts, ends, attended });
                signup_id += 1;
            }
            id += 1;
        }
    }
    // Rows that point at activities once all of them are written.
    activities.flush(&mut g.sink).await?;
    let mut rows = Rows::new("activity_skill (activity_id, skill)");
    for skill in skills {
        rows.push(&mut g.sink, skill).await?;
    }
    rows.flush(&mut g.sink).await?;
    write_signups(g, &signups).await
}

struct Signup {
    id: i64,
    activity: i64,
    title: &'static str,
    team: i64,
    community: i64,
    leader: i64,
    who: i64,
    starts: i64,
    ends: i64,
    attended: bool,
}

/// Sign-ups, and for those who came, the confirmed minutes and one ledger row each.
async fn write_signups(g: &mut Gen<'_>, signups: &[Signup]) -> Result<(), sqlx::Error> {
    let mut rows = Rows::new(
        "signup (id, activity_id, account_id, status, starts_at, ends_at, signed_up_at, checked_in_at, checked_out_at,
                 attended_minutes, attendance_confirmed_at)",
    );
    for s in signups {
        let minutes = (s.ends - s.starts) / 60_000;
        let yes = |v: i64| if s.attended { V::I(v) } else { V::NoInt };
        rows.push(
            &mut g.sink,
            [
                s.id.into(), s.activity.into(), s.who.into(), "confirmed".into(), s.starts.into(), s.ends.into(),
                (s.starts - 3 * DAY).into(), yes(s.starts - 600_000), yes(s.ends), yes(minutes), yes(s.ends + HOUR),
            ],
        )
        .await?;
    }
    rows.flush(&mut g.sink).await?;
    let mut credits = Rows::new(
        "hours_credit (account_id, minutes, source_kind, source_id, title, team_id, community_id, confirmed_by, served_at, at)",
    );
    for s in signups.iter().filter(|s| s.attended) {
        credits
            .push(
                &mut g.sink,
                [
                    s.who.into(), ((s.ends - s.starts) / 60_000).into(), "activity".into(), s.id.into(), s.title.into(),
                    s.team.into(), s.community.into(), s.leader.into(), s.starts.into(), (s.ends + HOUR).into(),
                ],
            )
            .await?;
    }
    credits.flush(&mut g.sink).await
}

/// The volunteers' and teams' totals, from the ledger (activities and orders alike).
pub async fn total_hours(g: &mut Gen<'_>) -> Result<(), sqlx::Error> {
    g.phase("hours totals");
    g.sink
        .execute("UPDATE volunteer SET total_minutes = COALESCE((SELECT SUM(h.minutes) FROM hours_credit h WHERE h.account_id = volunteer.account_id), 0)")
        .await?;
    g.sink
        .execute("UPDATE team SET total_minutes = COALESCE((SELECT SUM(h.minutes) FROM hours_credit h WHERE h.team_id = team.id), 0)")
        .await?;
    Ok(())
}

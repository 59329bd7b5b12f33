//! Volunteers: joining (any logged-in user: a volunteer number and the volunteer role), skills,
//! the own record with the hours ledger and stars (`OwnAccount`), certificates (issued to the
//! volunteer; their number is public, to check a printed one), and 双报到 cadres registered and
//! reported by the community's staff (`RunCommunityMarket`).
#[cfg(feature = "ssr")]
use super::store;
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{Phone, Role, RoleGrant},
    error::{Conflict, Invalid},
    policy::Action,
    request::{authorized, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// Registers the caller as a volunteer (志愿者注册): a volunteer number and the volunteer role.
/// Doing it again changes nothing.
#[server(endpoint = "join_volunteers")]
pub async fn join_volunteers() -> Result<String, AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let now = state.clock.now_ms();
    let number = format!("BZ{}{:07}", &crate::time::format_local(now)[..4], caller.account_id);
    let mut tx = state.db.begin_write().await?;
    sqlx::query("INSERT INTO volunteer (account_id, volunteer_no, joined_at) VALUES ($1, $2, $3) ON CONFLICT (account_id) DO NOTHING")
        .bind(caller.account_id)
        .bind(&number)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if !caller.has(Role::Volunteer) {
        crate::accounts::store::grant(&mut tx, caller.account_id, RoleGrant { role: Role::Volunteer, scope: None }, None, now).await?;
    }
    let number: String = sqlx::query("SELECT volunteer_no FROM volunteer WHERE account_id = $1")
        .bind(caller.account_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("volunteer_no")?;
    tx.commit().await?;
    leptos_axum::redirect("/market/me");
    Ok(number)
}

/// Replaces the caller's skills.
#[server(endpoint = "set_skills")]
pub async fn set_skills(#[server(default)] skills: Vec<String>) -> Result<(), AppError> {
    let caller = authorized(Action::Volunteer).await?;
    let state = state()?;
    let skills = parse_codes(&skills, Skill::parse)?;
    let mut tx = state.db.begin_write().await?;
    store::lock_volunteer(&mut tx, caller.account_id).await?;
    sqlx::query("DELETE FROM volunteer_skill WHERE account_id = $1").bind(caller.account_id).execute(&mut *tx).await?;
    for s in skills {
        sqlx::query("INSERT INTO volunteer_skill (account_id, skill) VALUES ($1, $2)")
            .bind(caller.account_id)
            .bind(s.code())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The caller's volunteer record; None when they have not joined.
#[server(endpoint = "my_volunteering")]
pub async fn my_volunteering() -> Result<Option<VolunteerProfile>, AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let db = &state.db;
    let me = caller.account_id;
    let Some(v) = sqlx::query(
        "SELECT v.volunteer_no, v.total_minutes, v.cadre_unit, a.display_name FROM volunteer v
           JOIN account a ON a.id = v.account_id WHERE v.account_id = $1",
    )
    .bind(me)
    .fetch_optional(db.read())
    .await?
    else {
        return Ok(None);
    };
    let skills = sqlx::query("SELECT skill FROM volunteer_skill WHERE account_id = $1 ORDER BY skill")
        .bind(me)
        .fetch_all(db.read())
        .await?
        .iter()
        .filter_map(|r| Skill::from_code(&r.try_get::<String, _>("skill").ok()?))
        .collect();
    let ledger = sqlx::query(
        "SELECT h.id, h.minutes, h.title, h.source_kind, h.source_id, h.served_at, t.name AS team
           FROM hours_credit h LEFT JOIN team t ON t.id = h.team_id WHERE h.account_id = $1 ORDER BY h.served_at DESC, h.id DESC LIMIT 200",
    )
    .bind(me)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| {
        Ok(Credit {
            id: r.try_get("id")?,
            minutes: r.try_get("minutes")?,
            title: r.try_get("title")?,
            source_kind: r.try_get("source_kind")?,
            source_id: r.try_get("source_id")?,
            served_at: r.try_get("served_at")?,
            team: r.try_get("team")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let now = state.clock.now_ms();
    let upcoming = store::activities_where(
        db,
        "a.ends_at > $1 AND a.id IN (SELECT activity_id FROM signup WHERE account_id = $2)",
        &[now - 7 * 86_400_000, me],
        100,
    )
    .await?;
    let mut signups = Vec::new();
    for a in upcoming {
        let status: String = sqlx::query("SELECT status FROM signup WHERE activity_id = $1 AND account_id = $2")
            .bind(a.id)
            .bind(me)
            .fetch_one(db.read())
            .await?
            .try_get("status")?;
        signups.push((a, SignupStatus::from_code(&status).unwrap_or(SignupStatus::Waitlisted)));
    }
    let mut teams = Vec::new();
    for m in sqlx::query("SELECT team_id, status FROM team_member WHERE account_id = $1 ORDER BY team_id").bind(me).fetch_all(db.read()).await? {
        let status = MemberStatus::from_code(&m.try_get::<String, _>("status")?).unwrap_or(MemberStatus::Pending);
        if let Some(t) = store::teams_where(db, "t.id = $1", &[m.try_get("team_id")?]).await?.pop() {
            teams.push((t, status));
        }
    }
    let certificates = sqlx::query("SELECT number, minutes, issued_at FROM certificate WHERE account_id = $1 ORDER BY id DESC")
        .bind(me)
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| Ok(CertificateRef { number: r.try_get("number")?, minutes: r.try_get("minutes")?, issued_at: r.try_get("issued_at")? }))
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some(VolunteerProfile {
        name: v.try_get("display_name")?,
        volunteer_no: v.try_get("volunteer_no")?,
        total_minutes: v.try_get("total_minutes")?,
        skills,
        cadre_unit: v.try_get("cadre_unit")?,
        ledger,
        signups,
        teams,
        certificates,
    }))
}

/// Issues a service-hours certificate for the caller's hours now: `<volunteer no>-<n>`.
/// Returns its number.
#[server(endpoint = "issue_certificate")]
pub async fn issue_certificate() -> Result<String, AppError> {
    let caller = authorized(Action::Volunteer).await?;
    let state = state()?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::lock_volunteer(&mut tx, caller.account_id).await?;
    let v = sqlx::query(
        "SELECT v.volunteer_no, v.total_minutes, (SELECT COUNT(*) FROM certificate c WHERE c.account_id = v.account_id) AS issued
           FROM volunteer v WHERE v.account_id = $1",
    )
    .bind(caller.account_id)
    .fetch_one(&mut *tx)
    .await?;
    let minutes: i64 = v.try_get("total_minutes")?;
    if minutes == 0 {
        return Err(AppError::Conflict(Conflict::State));
    }
    let number = format!("{}-{:03}", v.try_get::<String, _>("volunteer_no")?, v.try_get::<i64, _>("issued")? + 1);
    sqlx::query("INSERT INTO certificate (number, account_id, minutes, issued_at) VALUES ($1, $2, $3, $4)")
        .bind(&number)
        .bind(caller.account_id)
        .bind(minutes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/market/certificate/{number}"));
    Ok(number)
}

/// A certificate by its number: public, so that a printed one can be checked.
#[server(endpoint = "get_certificate")]
pub async fn get_certificate(number: String) -> Result<Certificate, AppError> {
    let state = state()?;
    // Numbers are BZ…-001: anything else names no certificate (and never reaches the database).
    let number = number.trim();
    if number.is_empty() || number.len() > 40 || !number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(AppError::NotFound);
    }
    let r = sqlx::query(
        "SELECT c.number, c.minutes, c.issued_at, v.volunteer_no, a.display_name, a.deleted_at,
                (SELECT name FROM district ORDER BY id LIMIT 1) AS district,
                (SELECT name_en FROM district ORDER BY id LIMIT 1) AS district_en
           FROM certificate c JOIN volunteer v ON v.account_id = c.account_id JOIN account a ON a.id = c.account_id
          WHERE c.number = $1",
    )
    .bind(number)
    .fetch_optional(state.db.read())
    .await?
    .ok_or(AppError::NotFound)?;
    if r.try_get::<Option<i64>, _>("deleted_at")?.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(Certificate {
        number: r.try_get("number")?,
        name: r.try_get("display_name")?,
        volunteer_no: r.try_get("volunteer_no")?,
        minutes: r.try_get("minutes")?,
        issued_at: r.try_get("issued_at")?,
        district: r.try_get::<Option<String>, _>("district")?.unwrap_or_default(),
        district_en: r.try_get::<Option<String>, _>("district_en")?.unwrap_or_default(),
    })
}

/// 双报到: registers the volunteer with `phone` as a party member or cadre reporting to this
/// community, from `unit`. Audited.
#[server(endpoint = "register_cadre")]
pub async fn register_cadre(community_id: i64, phone: String, unit: String) -> Result<(), AppError> {
    let caller = authorized(Action::RunCommunityMarket { community_id }).await?;
    let state = state()?;
    let phone = Phone::parse(&phone)?;
    let unit = parse_name(&unit)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let r = sqlx::query(
        "UPDATE volunteer SET cadre_unit = $1, cadre_community_id = $2, cadre_confirmed_by = $3, cadre_confirmed_at = $4
          WHERE account_id = (SELECT id FROM account WHERE phone = $5) RETURNING account_id",
    )
    .bind(&unit)
    .bind(community_id)
    .bind(caller.account_id)
    .bind(now)
    .bind(phone.as_str())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Invalid(Invalid::Account))?;
    let account: i64 = r.try_get("account_id")?;
    let after = serde_json::json!({ "unit": unit, "community_id": community_id });
    crate::audit::record(&mut tx, caller.account_id, "register_cadre", ("account", account), None, Some(after), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The community's 双报到 cadres with the activities and hours they served in it between
/// `from` and `to` (dates, inclusive; default: this year so far).
#[server(endpoint = "cadre_report")]
pub async fn cadre_report(community_id: i64, from: Option<String>, to: Option<String>) -> Result<CadreSummary, AppError> {
    authorized(Action::RunCommunityMarket { community_id }).await?;
    let state = state()?;
    let now = state.clock.now_ms();
    let today = crate::time::format_local(now)[..10].to_string();
    let pick = |v: Option<String>, default: String| match v.filter(|s| !s.trim().is_empty()) {
        None => Ok(default),
        Some(s) => crate::time::parse_date(&s).ok_or(AppError::Invalid(Invalid::DateTime)),
    };
    let from = pick(from, format!("{}-01-01", &today[..4]))?;
    let to = pick(to, today)?;
    let start = crate::time::parse_local(&format!("{from}T00:00")).ok_or(AppError::Invalid(Invalid::DateTime))?;
    let end = crate::time::parse_local(&format!("{to}T00:00")).ok_or(AppError::Invalid(Invalid::DateTime))? + 86_400_000;
    let community = store::communities(state.db.read(), Some(&[community_id])).await?.pop().ok_or(AppError::NotFound)?;
    let rows = sqlx::query(
        "SELECT a.display_name, v.cadre_unit, v.volunteer_no,
                COUNT(h.id) AS activities, CAST(COALESCE(SUM(h.minutes), 0) AS BIGINT) AS minutes
           FROM volunteer v JOIN account a ON a.id = v.account_id
           LEFT JOIN hours_credit h ON h.account_id = v.account_id AND h.community_id = $1
                                   AND h.served_at >= $2 AND h.served_at < $3
          WHERE v.cadre_community_id = $1
          GROUP BY v.account_id, a.display_name, v.cadre_unit, v.volunteer_no
          ORDER BY minutes DESC, v.volunteer_no",
    )
    .bind(community_id)
    .bind(start)
    .bind(end)
    .fetch_all(state.db.read())
    .await?
    .iter()
    .map(|r| {
        Ok(CadreRow {
            name: r.try_get("display_name")?,
            unit: r.try_get::<Option<String>, _>("cadre_unit")?.unwrap_or_default(),
            volunteer_no: r.try_get("volunteer_no")?,
            activities: r.try_get("activities")?,
            minutes: r.try_get("minutes")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let total_minutes = rows.iter().map(|r| r.minutes).sum();
    Ok(CadreSummary { community, from, to, rows, total_minutes })
}

//! On site: volunteers check in and out with the code the organiser shows (`Volunteer`, and a
//! confirmed place on the activity), and whoever runs the activity confirms attendance and
//! hours (`RunActivity`), which credits the ledger exactly once per sign-up.
#[cfg(feature = "ssr")]
use super::{store, *};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::Conflict,
    policy::Action,
    request::{authorized, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// Records the caller's arrival (`out` false) or departure (`out` true) with the activity's
/// code, which works from an hour before the start until the end.
#[cfg(feature = "ssr")]
async fn check(id: i64, code: String, out: bool) -> Result<(), AppError> {
    let state = state()?;
    let a = store::activity_by_id(&state.db, id).await?;
    let caller = authorized(Action::Volunteer).await?;
    let code = parse_checkin_code(&code)?;
    let now = state.clock.now_ms();
    if now < a.starts_at - CHECKIN_OPENS_BEFORE_MS || now >= a.ends_at {
        return Err(AppError::Conflict(Conflict::CheckinClosed));
    }
    // Compared in full whatever the first differing digit, so timing tells nothing.
    let same = code.len() == a.checkin_code.len() && code.bytes().zip(a.checkin_code.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0;
    if !same {
        return Err(AppError::Invalid(crate::error::Invalid::CheckinCode));
    }
    let mut tx = state.db.begin_write().await?;
    let sql = if out {
        "UPDATE signup SET checked_out_at = $1 WHERE activity_id = $2 AND account_id = $3 AND status = 'confirmed'
            AND checked_in_at IS NOT NULL AND checked_out_at IS NULL"
    } else {
        "UPDATE signup SET checked_in_at = $1 WHERE activity_id = $2 AND account_id = $3 AND status = 'confirmed'
            AND checked_in_at IS NULL"
    };
    let n = sqlx::query(sql).bind(now).bind(id).bind(caller.account_id).execute(&mut *tx).await?.rows_affected();
    if n == 0 {
        let r = sqlx::query("SELECT status, checked_in_at, checked_out_at FROM signup WHERE activity_id = $1 AND account_id = $2")
            .bind(id)
            .bind(caller.account_id)
            .fetch_optional(&mut *tx)
            .await?;
        return match r {
            None => Err(AppError::NotFound),
            Some(r) if r.try_get::<String, _>("status")? != "confirmed" => Err(AppError::Conflict(Conflict::State)),
            Some(r) if out && r.try_get::<Option<i64>, _>("checked_in_at")?.is_none() => Err(AppError::Conflict(Conflict::NotCheckedIn)),
            // Checked in (or out) already: nothing to do.
            Some(_) => Ok(()),
        };
    }
    tx.commit().await?;
    Ok(())
}

/// 签到: checks in with the on-site code.
#[server(endpoint = "check_in")]
pub async fn check_in(id: i64, code: String) -> Result<(), AppError> {
    check(id, code, false).await
}

/// 签退: checks out with the same code.
#[server(endpoint = "check_out")]
pub async fn check_out(id: i64, code: String) -> Result<(), AppError> {
    check(id, code, true).await
}

/// Confirms that a confirmed volunteer attended, with the hours served (at most the
/// activity's length), once the activity has begun or they have checked in on site. The
/// ledger is credited once: confirming again changes nothing.
#[server(endpoint = "confirm_attendance")]
pub async fn confirm_attendance(signup_id: i64, hours: String) -> Result<(), AppError> {
    let state = state()?;
    let r = sqlx::query("SELECT activity_id, checked_in_at FROM signup WHERE id = $1")
        .bind(signup_id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let a = store::activity_by_id(&state.db, r.try_get("activity_id")?).await?;
    let caller = authorized(a.action()).await?;
    let minutes = parse_hours(&hours, (a.ends_at - a.starts_at) / 60_000)?;
    let now = state.clock.now_ms();
    if now < a.starts_at && r.try_get::<Option<i64>, _>("checked_in_at")?.is_none() {
        return Err(AppError::Conflict(Conflict::NotCheckedIn));
    }
    let mut tx = state.db.begin_write().await?;
    let confirmed = sqlx::query(
        "UPDATE signup SET attended_minutes = $1, attendance_confirmed_at = $2
          WHERE id = $3 AND status = 'confirmed' AND attendance_confirmed_at IS NULL RETURNING account_id, activity_id",
    )
    .bind(minutes)
    .bind(now)
    .bind(signup_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(s) = confirmed else {
        let status: String = sqlx::query("SELECT status FROM signup WHERE id = $1")
            .bind(signup_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("status")?;
        // Confirmed before: the credit stands as it was.
        return if status == "confirmed" { Ok(()) } else { Err(AppError::Conflict(Conflict::State)) };
    };
    let (account, activity): (i64, i64) = (s.try_get("account_id")?, s.try_get("activity_id")?);
    store::credit_hours(
        &mut tx,
        account,
        minutes,
        ("activity", signup_id),
        &a.title,
        a.team_id,
        a.org_id,
        a.community_id,
        caller.account_id,
        a.starts_at,
        now,
    )
    .await?;
    let after = serde_json::json!({ "activity_id": activity, "account_id": account, "minutes": minutes });
    crate::audit::record(&mut tx, caller.account_id, "confirm_attendance", ("signup", signup_id), None, Some(after), now).await?;
    tx.commit().await?;
    Ok(())
}

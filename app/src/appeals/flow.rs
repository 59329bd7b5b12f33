//! The steps of the loop, one server function each. Every step locks the appeal's row, asks
//! the state machine (`Step::apply`) whether it is allowed now and who takes it, checks that
//! the caller is that actor for this appeal, and writes the new state, its timeline line,
//! counters and notifications in the same transaction.
//! Policy: `ClassifyAppeal` (community staff), `DispatchAppeal` (street officers),
//! `ResolveAppeal` (the department it is with), `CallBack` (reporter or community staff).
#[cfg(feature = "ssr")]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{Role, Scope},
    error::{Conflict, Invalid},
    notifications::Event,
    policy::Caller,
    request::{caller, state},
};

/// What a step needs besides its note.
#[cfg(feature = "ssr")]
pub enum Detail {
    None,
    Classify { category: AppealCategory, urgency: Urgency, route: Route },
    Dispatch { department_id: i64 },
    Extension { days: i64 },
    Callback { contacted: bool, solved: bool, satisfied: bool },
}

/// Steps whose note is required (a reason, a reply).
#[cfg(feature = "ssr")]
fn note_required(step: Step) -> bool {
    matches!(step, Step::Return | Step::RequestExtension | Step::Reply | Step::Reopen)
}

/// Takes `step` on appeal `id` as `caller`.
#[cfg(feature = "ssr")]
pub async fn take(
    app: &crate::state::AppState,
    caller: Option<&Caller>,
    id: i64,
    step: Step,
    detail: Detail,
    note: &str,
) -> Result<(), AppError> {
    let note = if note_required(step) {
        if step == Step::Reply { crate::hall::parse_body(note)? } else { crate::hall::parse_reason(note)? }
    } else {
        crate::hall::parse_note(note)?
    };
    let now = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    let a = store::lock(&mut tx, id).await?;
    // Who may take the step is checked first, so those with no part learn nothing of the state.
    if !store::may_act(caller, step.actor(), &a) {
        return Err(if caller.is_some() { AppError::Forbidden } else { AppError::Unauthenticated });
    }
    let (to, actor) = step.apply(a.state, a.route, a.extension_days.is_some())?;
    let caller = caller.ok_or(AppError::Unauthenticated)?;
    let link = store::link(id);
    let mut reporter_hears = to != a.state;
    match (step, detail) {
        (Step::Classify, Detail::Classify { category, urgency, route }) => {
            // Handled locally, the community's own clock starts now.
            let deadline = match route {
                Route::Local => Some(now + store::limit_ms(&mut tx, urgency).await?),
                Route::Escalate => None,
            };
            sqlx::query("UPDATE appeal SET category = $1, urgency = $2, route = $3, deadline_at = $4 WHERE id = $5")
                .bind(category.code())
                .bind(urgency.code())
                .bind(route.code())
                .bind(deadline)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if route == Route::Escalate {
                let event = Event::AppealWaiting { appeal_id: id, step: Step::Dispatch };
                store::notify_role(&mut tx, Role::StreetOfficer, Scope::Street(a.street_id), &event, &link, now).await?;
            }
        }
        (Step::Escalate, Detail::None) => {
            // The street's dispatch starts a new clock.
            sqlx::query("UPDATE appeal SET route = 'escalate', deadline_at = NULL, overdue_at = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let event = Event::AppealWaiting { appeal_id: id, step: Step::Dispatch };
            store::notify_role(&mut tx, Role::StreetOfficer, Scope::Street(a.street_id), &event, &link, now).await?;
            reporter_hears = true;
        }
        (Step::Dispatch, Detail::Dispatch { department_id }) => {
            let exists = sqlx::query("SELECT id FROM department WHERE id = $1")
                .bind(department_id)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if !exists {
                return Err(AppError::Invalid(Invalid::Department));
            }
            let deadline = now + store::limit_ms(&mut tx, a.urgency).await?;
            sqlx::query(
                "UPDATE appeal SET department_id = $1, deadline_at = $2, dispatched_at = $3, overdue_at = NULL WHERE id = $4",
            )
            .bind(department_id)
            .bind(deadline)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let event = Event::AppealWaiting { appeal_id: id, step: Step::Accept };
            store::notify_role(&mut tx, Role::DeptHandler, Scope::Department(department_id), &event, &link, now).await?;
        }
        (Step::Accept, Detail::None) => {}
        (Step::Return, Detail::None) => {
            let dispatched = a.dispatched_at.unwrap_or(now);
            if now > add_working_days(dispatched, RETURN_WORKING_DAYS) {
                return Err(AppError::Conflict(Conflict::ReturnWindow));
            }
            // Back to the street: the department no longer holds it, and its clock stops (the
            // state moves in the same statement: a dispatched appeal always has both).
            sqlx::query(
                "UPDATE appeal SET state = 'returned', department_id = NULL, deadline_at = NULL, dispatched_at = NULL,
                        overdue_at = NULL WHERE id = $1",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let event = Event::AppealWaiting { appeal_id: id, step: Step::Dispatch };
            store::notify_role(&mut tx, Role::StreetOfficer, Scope::Street(a.street_id), &event, &link, now).await?;
            reporter_hears = false;
        }
        (Step::RequestExtension, Detail::Extension { days }) => {
            sqlx::query("UPDATE appeal SET extension_days = $1, extension_reason = $2 WHERE id = $3")
                .bind(parse_extension_days(days)?)
                .bind(&note)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let event = Event::AppealWaiting { appeal_id: id, step: Step::ApproveExtension };
            store::notify_role(&mut tx, Role::StreetOfficer, Scope::Street(a.street_id), &event, &link, now).await?;
        }
        (Step::ApproveExtension | Step::RefuseExtension, Detail::None) => {
            let days = if step == Step::ApproveExtension { a.extension_days.unwrap_or(0) } else { 0 };
            let deadline = a.deadline_at.map(|d| d + days * 86_400_000);
            // An approved extension that moves the deadline past now lifts the overdue mark.
            sqlx::query(
                "UPDATE appeal SET extension_days = NULL, extension_reason = NULL, deadline_at = $1,
                        overdue_at = CASE WHEN $1 > $2 THEN NULL ELSE overdue_at END WHERE id = $3",
            )
            .bind(deadline)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if let Some(d) = a.department_id {
                let event = Event::AppealExtension { appeal_id: id, approved: step == Step::ApproveExtension };
                store::notify_role(&mut tx, Role::DeptHandler, Scope::Department(d), &event, &link, now).await?;
            }
            reporter_hears = step == Step::ApproveExtension;
        }
        (Step::Reply, Detail::None) => {
            sqlx::query("UPDATE appeal SET reply = $1, replied_at = $2 WHERE id = $3")
                .bind(&note)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let event = Event::AppealWaiting { appeal_id: id, step: Step::Verify };
            store::notify_role(&mut tx, Role::CommunityStaff, Scope::Community(a.community_id), &event, &link, now).await?;
        }
        (Step::Verify, Detail::None) => {}
        (Step::Reopen, Detail::None) => {
            sqlx::query("UPDATE appeal SET replied_at = NULL WHERE id = $1").bind(id).execute(&mut *tx).await?;
            if let Some(d) = a.department_id {
                let event = Event::AppealWaiting { appeal_id: id, step: Step::Reply };
                store::notify_role(&mut tx, Role::DeptHandler, Scope::Department(d), &event, &link, now).await?;
            }
        }
        (Step::Callback, Detail::Callback { contacted, solved, satisfied }) => {
            sqlx::query(
                "UPDATE appeal SET contacted = $1, solved = $2, satisfied = $3, callback_note = $4, callback_by = $5,
                        closed_at = $6 WHERE id = $7",
            )
            .bind(i64::from(contacted))
            .bind(i64::from(solved))
            .bind(i64::from(satisfied))
            .bind(&note)
            .bind(caller.account_id)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let on_time = matches!((a.replied_at, a.deadline_at), (Some(r), Some(d)) if r <= d);
            let counts = [
                ("callbacks", 1),
                ("contacted", i64::from(contacted)),
                ("solved", i64::from(solved)),
                ("satisfied", i64::from(satisfied)),
                ("closed", 1),
                ("closed_on_time", i64::from(on_time)),
            ];
            let department = a.department_id.unwrap_or(0);
            store::bump(&mut tx, &month_of(now), a.community_id, department, a.street_id, &counts).await?;
        }
        _ => return Err(AppError::Invalid(Invalid::Step)),
    }
    sqlx::query("UPDATE appeal SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(to.code())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let role = store::role_code(actor, &a, caller);
    // The callback's note is the resident's own words: kept for the handlers, not the timeline.
    let public_note = if step == Step::Callback { "" } else { note.as_str() };
    store::record_event(&mut tx, id, step.code(), Some(a.state), to, Some(caller.account_id), role, public_note, now).await?;
    if let Some(reporter) = a.reporter_id.filter(|r| reporter_hears && *r != caller.account_id) {
        let event = Event::AppealState { appeal_id: id, state: to };
        crate::notifications::notify(&mut tx, reporter, &event, Some(&link), now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Runs a step for the current caller and sends the browser back to the appeal.
#[cfg(feature = "ssr")]
async fn step(id: i64, step: Step, detail: Detail, note: &str) -> Result<(), AppError> {
    let app = state()?;
    let caller = caller().await?;
    take(&app, caller.as_ref(), id, step, detail, note).await?;
    leptos_axum::redirect(&store::link(id));
    Ok(())
}

/// `yes`/`no` from a radio group.
#[cfg(feature = "ssr")]
fn yes(answer: &str) -> Result<bool, AppError> {
    match answer {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(AppError::Invalid(Invalid::Choice)),
    }
}

/// 分类: the community sets category and urgency, and handles it itself (`local`) or sends it
/// to the street (`escalate`).
#[server(endpoint = "classify_appeal")]
pub async fn classify_appeal(id: i64, category: String, urgency: String, route: String, note: String) -> Result<(), AppError> {
    let detail = Detail::Classify {
        category: AppealCategory::parse(&category)?,
        urgency: Urgency::parse(&urgency)?,
        route: Route::parse(&route)?,
    };
    step(id, Step::Classify, detail, &note).await
}

/// The community sends an appeal it meant to handle itself to the street after all.
#[server(endpoint = "escalate_appeal")]
pub async fn escalate_appeal(id: i64, note: String) -> Result<(), AppError> {
    step(id, Step::Escalate, Detail::None, &note).await
}

/// 吹哨派单: the street sends it to a department; the deadline is set from the urgency rules.
#[server(endpoint = "dispatch_appeal")]
pub async fn dispatch_appeal(id: i64, department_id: i64, note: String) -> Result<(), AppError> {
    step(id, Step::Dispatch, Detail::Dispatch { department_id }, &note).await
}

/// 签收: the department takes it on.
#[server(endpoint = "accept_appeal")]
pub async fn accept_appeal(id: i64, note: String) -> Result<(), AppError> {
    step(id, Step::Accept, Detail::None, &note).await
}

/// 退回: the department sends it back to the street with a reason, within two working days.
#[server(endpoint = "return_appeal")]
pub async fn return_appeal(id: i64, reason: String) -> Result<(), AppError> {
    step(id, Step::Return, Detail::None, &reason).await
}

/// 申请延期: the department asks the street for 1–30 more days, with a reason.
#[server(endpoint = "request_extension")]
pub async fn request_extension(id: i64, days: i64, reason: String) -> Result<(), AppError> {
    step(id, Step::RequestExtension, Detail::Extension { days }, &reason).await
}

/// The street approves (`approve` = yes) or refuses a pending extension.
#[server(endpoint = "decide_extension")]
pub async fn decide_extension(id: i64, approve: String, note: String) -> Result<(), AppError> {
    let s = if yes(&approve)? { Step::ApproveExtension } else { Step::RefuseExtension };
    step(id, s, Detail::None, &note).await
}

/// 答复: the department (or the community, handling it itself) replies; the reply is public.
#[server(endpoint = "reply_appeal")]
pub async fn reply_appeal(id: i64, reply: String) -> Result<(), AppError> {
    step(id, Step::Reply, Detail::None, &reply).await
}

/// 核实: the community confirms the reply matches what was done.
#[server(endpoint = "verify_appeal")]
pub async fn verify_appeal(id: i64, note: String) -> Result<(), AppError> {
    step(id, Step::Verify, Detail::None, &note).await
}

/// The community finds the reply wanting and sends it back, with a reason.
#[server(endpoint = "reopen_appeal")]
pub async fn reopen_appeal(id: i64, reason: String) -> Result<(), AppError> {
    step(id, Step::Reopen, Detail::None, &reason).await
}

/// 回访: the reporter (or community staff on their behalf) answers whether they were
/// contacted, whether it was solved and whether they are satisfied; the appeal closes.
#[server(endpoint = "call_back")]
pub async fn call_back(id: i64, contacted: String, solved: String, satisfied: String, note: String) -> Result<(), AppError> {
    let detail = Detail::Callback { contacted: yes(&contacted)?, solved: yes(&solved)?, satisfied: yes(&satisfied)? };
    step(id, Step::Callback, detail, &note).await
}

//! Organizations: register (anyone logged in, who becomes its admin), verification by the
//! community's staff (`RunCommunityMarket`), the public profile (verified ones; pending and
//! rejected ones only for `SeeOrg`), and offerings (`PublishAsOrg`: admins of a verified org).
#[cfg(feature = "ssr")]
use super::store;
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{Phone, Role, RoleGrant, Scope},
    error::{Conflict, Invalid},
    notifications::{notify, Event},
    policy::{authorize, Action},
    request::{authorized, caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// Registers an organization in a community, pending verification by its staff. The caller
/// becomes its admin. Returns its id.
#[server(endpoint = "register_org")]
#[allow(clippy::too_many_arguments)]
pub async fn register_org(
    name: String,
    kind: String,
    community_id: i64,
    #[server(default)] service_areas: Vec<String>,
    description: String,
    contact_name: String,
    contact_phone: String,
) -> Result<i64, AppError> {
    let caller = authorized(Action::OwnAccount).await?;
    let state = state()?;
    let name = parse_name(&name)?;
    let kind = OrgKind::parse(&kind)?;
    let areas = parse_codes(&service_areas, ServiceCategory::parse)?;
    if areas.is_empty() {
        return Err(AppError::Invalid(Invalid::Category));
    }
    let description = parse_description(&description)?;
    let contact_name = crate::accounts::DisplayName::parse(&contact_name)?.as_str().to_string();
    let contact_phone = Phone::parse(&contact_phone)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    if sqlx::query("SELECT id FROM community WHERE id = $1").bind(community_id).fetch_optional(&mut *tx).await?.is_none() {
        return Err(AppError::Invalid(Invalid::Parent));
    }
    if sqlx::query("SELECT id FROM organization WHERE name = $1").bind(&name).fetch_optional(&mut *tx).await?.is_some() {
        return Err(AppError::Invalid(Invalid::Duplicate));
    }
    let codes: Vec<&str> = areas.iter().map(|a| a.code()).collect();
    let id: i64 = sqlx::query(
        "INSERT INTO organization (name, kind, community_id, service_areas, description, contact_name, contact_phone,
                                   created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&name)
    .bind(kind.code())
    .bind(community_id)
    .bind(codes.join(","))
    .bind(&description)
    .bind(&contact_name)
    .bind(contact_phone.as_str())
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let grant = RoleGrant { role: Role::OrgAdmin, scope: Some(Scope::Organization(id)) };
    crate::accounts::store::grant(&mut tx, caller.account_id, grant, None, now).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/market/orgs/{id}"));
    Ok(id)
}

/// Verifies (`decision` = "verify") or rejects ("reject", with a reason shown to the
/// organization) a pending organization: staff of its community. Audited; its admin is told.
#[server(endpoint = "decide_org")]
pub async fn decide_org(id: i64, decision: String, reason: String) -> Result<(), AppError> {
    let state = state()?;
    let (community_id, _) = store::org_standing(&state.db, id).await?;
    let caller = authorized(Action::RunCommunityMarket { community_id }).await?;
    let (status, reason) = match decision.as_str() {
        "verify" => (OrgStatus::Verified, None),
        "reject" => (OrgStatus::Rejected, Some(crate::hall::parse_reason(&reason)?)),
        _ => return Err(AppError::Invalid(Invalid::Step)),
    };
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let r = sqlx::query(
        "UPDATE organization SET status = $1, reject_reason = $2, decided_by = $3, decided_at = $4
          WHERE id = $5 AND status = 'pending' RETURNING name, created_by",
    )
    .bind(status.code())
    .bind(&reason)
    .bind(caller.account_id)
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict(Conflict::Decided))?;
    let name: String = r.try_get("name")?;
    let after = serde_json::json!({ "status": status.code(), "reason": reason });
    crate::audit::record(&mut tx, caller.account_id, "decide_org", ("organization", id), None, Some(after), now).await?;
    let event = Event::OrgDecided { org_id: id, name, verified: status == OrgStatus::Verified };
    notify(&mut tx, r.try_get("created_by")?, &event, Some(&format!("/market/orgs/{id}")), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The staff desk: organizations waiting in the caller's communities, with their contact.
#[server(endpoint = "staff_desk")]
pub async fn staff_desk() -> Result<OrgQueue, AppError> {
    let caller = caller().await?;
    let state = state()?;
    authorize(caller.as_ref(), Action::OwnAccount)?;
    // The communities the caller runs (each passes `RunCommunityMarket` by construction).
    let mine = store::scoped(caller.as_ref(), Role::CommunityStaff);
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let sql = format!(
        "SELECT {}, o.description, o.contact_name, o.contact_phone, o.created_at
           FROM organization o JOIN community c ON c.id = o.community_id
          WHERE o.status = 'pending' AND o.community_id IN ({}) ORDER BY o.id",
        store::ORG_COLUMNS,
        store::placeholders(1, mine.len())
    );
    let mut q = sqlx::query(&sql);
    for id in &mine {
        q = q.bind(*id);
    }
    let pending = q
        .fetch_all(state.db.read())
        .await?
        .iter()
        .map(|r| {
            Ok(PendingOrg {
                summary: store::org_summary(r)?,
                description: r.try_get("description")?,
                contact_name: r.try_get("contact_name")?,
                contact_phone: r.try_get("contact_phone")?,
                applied_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(OrgQueue { communities: store::communities(state.db.read(), Some(&mine)).await?, pending })
}

/// An organization's profile. Verified organizations are public, with the contact masked;
/// pending and rejected ones are seen only by their admins and the community's staff.
#[server(endpoint = "get_org")]
pub async fn get_org(id: i64) -> Result<OrgProfile, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let r = sqlx::query(&format!(
        "SELECT {}, o.description, o.contact_name, o.contact_phone, o.reject_reason
           FROM organization o JOIN community c ON c.id = o.community_id WHERE o.id = $1",
        store::ORG_COLUMNS
    ))
    .bind(id)
    .fetch_optional(state.db.read())
    .await?
    .ok_or(AppError::NotFound)?;
    let summary = store::org_summary(&r)?;
    let may_see = authorize(caller.as_ref(), Action::SeeOrg { org_id: id, community_id: summary.community.id }).is_ok();
    if summary.status != OrgStatus::Verified && !may_see {
        return Err(AppError::NotFound);
    }
    let (contact_name, contact_phone): (String, String) = (r.try_get("contact_name")?, r.try_get("contact_phone")?);
    let offerings = sqlx::query("SELECT id, category, title, description FROM offering WHERE org_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(state.db.read())
        .await?
        .iter()
        .filter_map(|r| {
            let category = ServiceCategory::from_code(&r.try_get::<String, _>("category").ok()?)?;
            Some(Offering {
                id: r.try_get("id").ok()?,
                category,
                title: r.try_get("title").ok()?,
                description: r.try_get("description").ok()?,
            })
        })
        .collect();
    let now = state.clock.now_ms();
    Ok(OrgProfile {
        is_admin: caller.as_ref().is_some_and(|c| c.has_scoped(Role::OrgAdmin, Scope::Organization(id))),
        is_staff: caller.as_ref().is_some_and(|c| c.has_scoped(Role::CommunityStaff, Scope::Community(summary.community.id))),
        summary,
        description: r.try_get("description")?,
        contact_name: if may_see { contact_name.clone() } else { mask_name(&contact_name) },
        contact_phone: if may_see { contact_phone } else { crate::accounts::mask_phone(&contact_phone) },
        reject_reason: r.try_get("reject_reason")?,
        offerings,
        teams: store::teams_where(&state.db, "t.org_id = $1", &[id]).await?,
        activities: store::activities_where(&state.db, "a.org_id = $1 AND a.ends_at > $2", &[id, now], 50).await?,
        resources: super::charity::resources_where(&state.db, "r.org_id = $1", &[id]).await?,
        menu_items: crate::menu::store::items_where(&state.db, now, "i.org_id = $2 AND i.withdrawn_at IS NULL", &[id]).await?,
    })
}

/// Adds an offering (服务项目) to a verified organization: its admins.
#[server(endpoint = "add_offering")]
pub async fn add_offering(org_id: i64, category: String, title: String, description: String) -> Result<i64, AppError> {
    let state = state()?;
    let (_, verified) = store::org_standing(&state.db, org_id).await?;
    authorized(Action::PublishAsOrg { org_id, verified }).await?;
    let category = ServiceCategory::parse(&category)?;
    let title = crate::hall::parse_title(&title)?;
    let description = parse_description(&description)?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO offering (org_id, category, title, description, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org_id)
    .bind(category.code())
    .bind(&title)
    .bind(&description)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

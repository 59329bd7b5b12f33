//! Filing an appeal: by a resident, by staff or a grid worker on someone's behalf (assisted
//! entry, 网格排查), or by an Open311 client; and adding photos to it.
//! Policy: residents file as themselves (any logged-in account); assisted entry is for the
//! community's staff and the grid's worker (`FileOnBehalf`).
#[cfg(feature = "ssr")]
use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::Invalid,
    policy::{authorize, Action},
    request::{caller, state},
};
#[cfg(feature = "ssr")]
use sqlx::Row;

/// A new appeal, parsed.
#[cfg(feature = "ssr")]
pub struct NewAppeal {
    pub building_id: i64,
    pub category: AppealCategory,
    pub urgency: Urgency,
    pub description: String,
    pub source: Source,
    pub reporter_id: Option<i64>,
    pub filed_by: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub api_key_id: Option<i64>,
}

/// Where a building is: (street, community, grid); `Invalid::Building` when there is none.
#[cfg(feature = "ssr")]
pub async fn place_of(db: &crate::db::Db, building_id: i64) -> Result<(i64, i64, i64), AppError> {
    let r = sqlx::query(
        "SELECT c.street_id, g.community_id, b.grid_id FROM building b
           JOIN grid g ON g.id = b.grid_id JOIN community c ON c.id = g.community_id WHERE b.id = $1",
    )
    .bind(building_id)
    .fetch_optional(db.read())
    .await?
    .ok_or(AppError::Invalid(Invalid::Building))?;
    Ok((r.try_get("street_id")?, r.try_get("community_id")?, r.try_get("grid_id")?))
}

/// Stores a new appeal with its first timeline line and the month's `filed` counter, in one
/// transaction; returns its id.
#[cfg(feature = "ssr")]
pub async fn insert(state: &crate::state::AppState, a: NewAppeal) -> Result<i64, AppError> {
    let (street_id, community_id, grid_id) = place_of(&state.db, a.building_id).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO appeal (street_id, community_id, grid_id, building_id, category, urgency, description, source,
                             reporter_id, filed_by, contact_name, contact_phone, api_key_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(street_id)
    .bind(community_id)
    .bind(grid_id)
    .bind(a.building_id)
    .bind(a.category.code())
    .bind(a.urgency.code())
    .bind(&a.description)
    .bind(a.source.code())
    .bind(a.reporter_id)
    .bind(a.filed_by)
    .bind(&a.contact_name)
    .bind(&a.contact_phone)
    .bind(a.api_key_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let role = match a.source {
        Source::Online => "resident",
        Source::Open311 => "system",
        Source::GridPatrol => "grid",
        Source::Hotline | Source::Visit => "community",
    };
    store::record_event(&mut tx, id, "file", None, AppealState::Submitted, a.filed_by, role, "", now).await?;
    store::bump(&mut tx, &month_of(now), community_id, 0, street_id, &[("filed", 1)]).await?;
    let event = crate::notifications::Event::AppealFiled { appeal_id: id };
    store::notify_role(
        &mut tx,
        crate::accounts::Role::CommunityStaff,
        crate::accounts::Scope::Community(community_id),
        &event,
        &store::link(id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Counts a filing against the account's and the address's limits (a flood of appeals would
/// bury the real ones in the community's queue).
#[cfg(feature = "ssr")]
async fn limit_filing(state: &crate::state::AppState, account_id: i64) -> Result<(), AppError> {
    let address = crate::request::client_address().await;
    crate::ratelimit::hit(
        state,
        &[
            (format!("appeal:acct:{account_id}"), state.limits.appeal_per_account),
            (format!("appeal:addr:{address}"), state.limits.appeal_per_address),
        ],
    )
    .await
}

/// A resident files an appeal about a building (their home or elsewhere in the district).
/// Redirects to the appeal, where photos can be added.
#[server(endpoint = "file_appeal")]
pub async fn file_appeal(building_id: i64, category: String, urgency: String, description: String) -> Result<i64, AppError> {
    let state = state()?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::OwnAccount)?;
    let new = NewAppeal {
        building_id,
        category: AppealCategory::parse(&category)?,
        urgency: Urgency::parse(&urgency)?,
        description: parse_description(&description)?,
        source: Source::Online,
        reporter_id: Some(caller.account_id),
        filed_by: Some(caller.account_id),
        contact_name: None,
        contact_phone: None,
        api_key_id: None,
    };
    limit_filing(&state, caller.account_id).await?;
    let id = insert(&state, new).await?;
    leptos_axum::redirect(&store::link(id));
    Ok(id)
}

/// Staff or a grid worker file an appeal found on patrol, phoned in or told in person.
/// When the resident's phone number belongs to an account, that account becomes the reporter
/// (they follow it and answer the callback); otherwise the contact is kept for the callback.
#[server(endpoint = "file_appeal_for")]
#[allow(clippy::too_many_arguments)]
pub async fn file_appeal_for(
    building_id: i64,
    category: String,
    urgency: String,
    description: String,
    source: String,
    contact_name: Option<String>,
    contact_phone: Option<String>,
) -> Result<i64, AppError> {
    let state = state()?;
    let (_, community_id, grid_id) = place_of(&state.db, building_id).await?;
    let caller = caller().await?;
    let caller = authorize(caller.as_ref(), Action::FileOnBehalf { community_id, grid_id })?;
    let source = Source::from_code(&source)
        .filter(|s| Source::ASSISTED.contains(s))
        .ok_or(AppError::Invalid(Invalid::Source))?;
    let contact_name = contact_name
        .filter(|n| !n.trim().is_empty())
        .map(|n| crate::accounts::DisplayName::parse(&n).map(|n| n.as_str().to_string()))
        .transpose()?;
    let contact_phone =
        contact_phone.filter(|p| !p.trim().is_empty()).map(|p| crate::accounts::Phone::parse(&p)).transpose()?;
    let reporter_id = match &contact_phone {
        Some(phone) => sqlx::query("SELECT id FROM account WHERE phone = $1 AND deleted_at IS NULL")
            .bind(phone.as_str())
            .fetch_optional(state.db.read())
            .await?
            .map(|r| r.try_get::<i64, _>("id"))
            .transpose()?,
        None => None,
    };
    let new = NewAppeal {
        building_id,
        category: AppealCategory::parse(&category)?,
        urgency: Urgency::parse(&urgency)?,
        description: parse_description(&description)?,
        source,
        reporter_id,
        filed_by: Some(caller.account_id),
        contact_name,
        contact_phone: contact_phone.map(|p| p.as_str().to_string()),
        api_key_id: None,
    };
    limit_filing(&state, caller.account_id).await?;
    let id = insert(&state, new).await?;
    leptos_axum::redirect(&store::link(id));
    Ok(id)
}

/// The image type of a photo from its first bytes (never from its name or the browser's
/// word): JPEG, PNG or WebP.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Adds a photo to an appeal: its reporter or those handling it, before closure, at most
/// `MAX_PHOTOS`, each at most `MAX_PHOTO_BYTES` and a real JPEG, PNG or WebP.
#[cfg(feature = "ssr")]
pub async fn add_photo(
    state: &crate::state::AppState,
    caller: Option<&crate::policy::Caller>,
    appeal_id: i64,
    bytes: Vec<u8>,
) -> Result<i64, AppError> {
    let a = store::read(&state.db, appeal_id).await?;
    if !store::sees_all(caller, &a) {
        return Err(if caller.is_some() { AppError::Forbidden } else { AppError::Unauthenticated });
    }
    let caller = caller.ok_or(AppError::Unauthenticated)?;
    if bytes.is_empty() || bytes.len() > MAX_PHOTO_BYTES {
        return Err(AppError::Invalid(Invalid::Photo));
    }
    let content_type = sniff_image(&bytes).ok_or(AppError::Invalid(Invalid::Photo))?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let a = store::lock(&mut tx, appeal_id).await?;
    if a.state == AppealState::Closed {
        return Err(AppError::Conflict(crate::error::Conflict::State));
    }
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM appeal_photo WHERE appeal_id = $1")
        .bind(appeal_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if count >= MAX_PHOTOS {
        return Err(AppError::Conflict(crate::error::Conflict::TooManyPhotos));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO appeal_photo (appeal_id, content_type, data, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(appeal_id)
    .bind(content_type)
    .bind(bytes)
    .bind(caller.account_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok(id)
}

/// A photo's type and bytes, for those who see the appeal in full.
#[cfg(feature = "ssr")]
pub async fn photo(
    state: &crate::state::AppState,
    caller: Option<&crate::policy::Caller>,
    photo_id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let r = sqlx::query("SELECT appeal_id, content_type, data FROM appeal_photo WHERE id = $1")
        .bind(photo_id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let a = store::read(&state.db, r.try_get("appeal_id")?).await?;
    if !store::sees_all(caller, &a) {
        // Indistinguishable from a missing photo: ids reveal nothing.
        return Err(AppError::NotFound);
    }
    Ok((r.try_get("content_type")?, r.try_get("data")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_recognised_by_their_bytes() {
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"), None);
        assert_eq!(sniff_image(b"GIF89a"), None);
        assert_eq!(sniff_image(&[]), None);
    }
}

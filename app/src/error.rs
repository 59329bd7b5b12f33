//! The error every server function returns: what went wrong, in terms the user's language can
//! name. Internal failures carry only a request id; their cause is logged on the server.
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Why a field was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    Phone,
    DisplayName,
    PasswordTooShort,
    PasswordTooLong,
    PasswordCommon,
    PasswordMismatch,
    ConsentMissing,
    Role,
    Scope,
    Building,
    PlaceName,
    PlaceKind,
    Threshold,
    Parent,
    Duplicate,
    Title,
    Text,
    Category,
    Choice,
    DateTime,
    Count,
    Reason,
    Proposal,
    Route,
    Urgency,
    Source,
    Department,
    Photo,
    Step,
    OrgKind,
    Skill,
    Level,
    Kind,
    Hours,
    CheckinCode,
    Quantity,
    Slots,
    Account,
    Claimant,
    /// A menu item's provider.
    Provider,
    /// A price or its amount.
    Price,
    /// A weekly capacity.
    Capacity,
    /// An age limit or a year of birth.
    Age,
    /// A rating (1–5).
    Rating,
    /// Someone an order cannot be given to.
    Assignee,
}

/// Why a request that was well formed could not be done now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// The proposal's state does not allow this step.
    State,
    /// The vote has closed.
    VotingClosed,
    /// A comment can be edited only in its first 15 minutes.
    EditExpired,
    /// Staff locked the discussion.
    Locked,
    /// A department may send an appeal back only within two working days of its dispatch.
    ReturnWindow,
    /// An appeal has its three photos already.
    TooManyPhotos,
    /// The volunteer already holds an activity at that time.
    Overlap,
    /// The activity has started: sign-ups and cancellations are closed.
    Started,
    /// The check-in code works from an hour before the start until the end.
    CheckinClosed,
    /// Check out after checking in; confirm attendance once the activity has begun.
    NotCheckedIn,
    /// Less of a charity resource is left than was claimed.
    NotEnough,
    /// Already decided (an organization, an application).
    Decided,
    /// The menu item has taken all its orders for that week.
    Full,
    /// The resident is not eligible for the item (age or building).
    Ineligible,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("invalid input: {0:?}")]
    Invalid(Invalid),
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    #[error("login required")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("wrong phone number or password")]
    BadCredentials,
    #[error("phone number already registered")]
    PhoneTaken,
    #[error("too many attempts; retry after {retry_after_secs} s")]
    Throttled { retry_after_secs: i64 },
    #[error("internal error (request {request_id})")]
    Internal { request_id: String },
    /// The request could not be decoded or sent (malformed body, network failure).
    #[error("bad request: {0}")]
    Request(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

impl AppError {
    /// Logs an internal failure under the request's id (the `x-request-id` the server gives
    /// every request) and returns the error users see: that id, nothing of the cause.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        let request_id = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get("x-request-id")?.to_str().ok().map(str::to_string))
            .unwrap_or_else(|| "-".to_string());
        tracing::error!(%request_id, error = %cause, "internal error");
        AppError::Internal { request_id }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

/// The message for an error, in the user's language.
pub fn message(locale: crate::i18n::Locale, err: &AppError) -> String {
    use crate::i18n::*;
    let s: &str = match err {
        AppError::Invalid(Invalid::Phone) => td_string!(locale, err_phone),
        AppError::Invalid(Invalid::DisplayName) => td_string!(locale, err_display_name),
        AppError::Invalid(Invalid::PasswordTooShort) => td_string!(locale, err_password_short),
        AppError::Invalid(Invalid::PasswordTooLong) => td_string!(locale, err_password_long),
        AppError::Invalid(Invalid::PasswordCommon) => td_string!(locale, err_password_common),
        AppError::Invalid(Invalid::PasswordMismatch) => td_string!(locale, err_password_mismatch),
        AppError::Invalid(Invalid::ConsentMissing) => td_string!(locale, err_consent),
        AppError::Invalid(Invalid::Role) => td_string!(locale, err_role),
        AppError::Invalid(Invalid::Scope) => td_string!(locale, err_scope),
        AppError::Invalid(Invalid::Building) => td_string!(locale, err_building),
        AppError::Invalid(Invalid::PlaceName) => td_string!(locale, err_place_name),
        AppError::Invalid(Invalid::PlaceKind) => td_string!(locale, err_place_kind),
        AppError::Invalid(Invalid::Threshold) => td_string!(locale, err_threshold),
        AppError::Invalid(Invalid::Parent) => td_string!(locale, err_parent),
        AppError::Invalid(Invalid::Duplicate) => td_string!(locale, err_duplicate),
        AppError::Invalid(Invalid::Title) => td_string!(locale, err_title),
        AppError::Invalid(Invalid::Text) => td_string!(locale, err_text),
        AppError::Invalid(Invalid::Category) => td_string!(locale, err_category),
        AppError::Invalid(Invalid::Choice) => td_string!(locale, err_choice),
        AppError::Invalid(Invalid::DateTime) => td_string!(locale, err_datetime),
        AppError::Invalid(Invalid::Count) => td_string!(locale, err_count),
        AppError::Invalid(Invalid::Reason) => td_string!(locale, err_reason),
        AppError::Invalid(Invalid::Proposal) => td_string!(locale, err_proposal),
        AppError::Invalid(Invalid::Route) => td_string!(locale, err_route),
        AppError::Invalid(Invalid::Urgency) => td_string!(locale, err_urgency),
        AppError::Invalid(Invalid::Source) => td_string!(locale, err_source),
        AppError::Invalid(Invalid::Department) => td_string!(locale, err_department),
        AppError::Invalid(Invalid::Photo) => td_string!(locale, err_photo),
        AppError::Invalid(Invalid::Step) => td_string!(locale, err_step),
        AppError::Conflict(Conflict::State) => td_string!(locale, err_conflict_state),
        AppError::Conflict(Conflict::VotingClosed) => td_string!(locale, err_voting_closed),
        AppError::Conflict(Conflict::EditExpired) => td_string!(locale, err_edit_expired),
        AppError::Conflict(Conflict::Locked) => td_string!(locale, err_locked),
        AppError::Conflict(Conflict::ReturnWindow) => td_string!(locale, err_return_window),
        AppError::Conflict(Conflict::TooManyPhotos) => td_string!(locale, err_too_many_photos),
        AppError::Invalid(Invalid::OrgKind) => td_string!(locale, err_org_kind),
        AppError::Invalid(Invalid::Skill) => td_string!(locale, err_skill),
        AppError::Invalid(Invalid::Level) => td_string!(locale, err_level),
        AppError::Invalid(Invalid::Kind) => td_string!(locale, err_resource_kind),
        AppError::Invalid(Invalid::Hours) => td_string!(locale, err_hours),
        AppError::Invalid(Invalid::CheckinCode) => td_string!(locale, err_checkin_code),
        AppError::Invalid(Invalid::Quantity) => td_string!(locale, err_quantity),
        AppError::Invalid(Invalid::Slots) => td_string!(locale, err_slots),
        AppError::Invalid(Invalid::Account) => td_string!(locale, err_account),
        AppError::Invalid(Invalid::Assignee) => td_string!(locale, err_assignee),
        AppError::Invalid(Invalid::Claimant) => td_string!(locale, err_claimant),
        AppError::Conflict(Conflict::Overlap) => td_string!(locale, err_overlap),
        AppError::Conflict(Conflict::Started) => td_string!(locale, err_started),
        AppError::Conflict(Conflict::CheckinClosed) => td_string!(locale, err_checkin_closed),
        AppError::Conflict(Conflict::NotCheckedIn) => td_string!(locale, err_not_checked_in),
        AppError::Conflict(Conflict::NotEnough) => td_string!(locale, err_not_enough),
        AppError::Conflict(Conflict::Decided) => td_string!(locale, err_decided),
        AppError::Invalid(Invalid::Provider) => td_string!(locale, err_provider),
        AppError::Invalid(Invalid::Price) => td_string!(locale, err_price),
        AppError::Invalid(Invalid::Capacity) => td_string!(locale, err_capacity),
        AppError::Invalid(Invalid::Age) => td_string!(locale, err_age),
        AppError::Invalid(Invalid::Rating) => td_string!(locale, err_rating),
        AppError::Conflict(Conflict::Full) => td_string!(locale, err_full),
        AppError::Conflict(Conflict::Ineligible) => td_string!(locale, err_ineligible),
        AppError::Unauthenticated => td_string!(locale, err_unauthenticated),
        AppError::Forbidden => td_string!(locale, err_forbidden),
        AppError::NotFound => td_string!(locale, err_not_found),
        AppError::BadCredentials => td_string!(locale, err_bad_credentials),
        AppError::PhoneTaken => td_string!(locale, err_phone_taken),
        AppError::Throttled { retry_after_secs } if *retry_after_secs < 60 => {
            return td_string!(locale, err_throttled_secs, secs = *retry_after_secs).to_string();
        }
        AppError::Throttled { retry_after_secs } => {
            let mins = (retry_after_secs + 59) / 60;
            return td_string!(locale, err_throttled_mins, mins = mins).to_string();
        }
        AppError::Internal { request_id } => {
            return format!("{} ({request_id})", td_string!(locale, err_internal));
        }
        AppError::Request(_) => td_string!(locale, err_request),
    };
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn throttling_messages_name_the_wait_in_each_language() {
        let secs = AppError::Throttled { retry_after_secs: 30 };
        let mins = AppError::Throttled { retry_after_secs: 61 };
        assert_eq!(message(Locale::zh, &secs), "尝试次数过多，请 30 秒后再试。");
        assert_eq!(message(Locale::en, &mins), "Too many attempts. Please try again in 2 minutes.");
    }

    #[test]
    fn internal_errors_show_only_the_reference() {
        let e = AppError::Internal { request_id: "abc".into() };
        assert!(message(Locale::en, &e).ends_with("(abc)"));
    }
}

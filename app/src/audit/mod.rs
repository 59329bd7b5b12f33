//! The audit log: every staff or admin action, with actor, object, before and after.
//! Written with `record` inside the acting transaction; admins browse it at /admin/audit.
mod api;
pub mod page;
#[cfg(feature = "ssr")]
mod record;

pub use api::*;
#[cfg(feature = "ssr")]
pub use record::record;

use serde::{Deserialize, Serialize};

/// Actions recorded so far (the filter offers these).
pub const ACTIONS: [&str; 17] = [
    "rename_place",
    "grant_role",
    "revoke_role",
    "verify_resident",
    "create_street",
    "create_community",
    "update_community",
    "create_grid",
    "create_estate",
    "create_building",
    "advance_proposal",
    "post_progress",
    "moderate",
    "record_meeting",
    "set_urgency_limit",
    "issue_api_key",
    "revoke_api_key",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub at: i64,
}

//! Granting and revoking roles (admins only), and the admin page that does it.
mod api;
pub mod page;
pub use api::*;

use crate::accounts::{Role, Scope};
use serde::{Deserialize, Serialize};

/// One role grant as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrantRow {
    pub id: i64,
    pub role: Role,
    pub scope: Option<Scope>,
}

/// An account found by phone, with its grants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRoles {
    pub id: i64,
    pub display_name: String,
    /// Masked (138****1234): admins are not the account's community staff.
    pub phone: String,
    pub grants: Vec<GrantRow>,
}

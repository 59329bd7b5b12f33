//! Residents: the home a resident declares (community, grid, building), its verification by
//! staff or grid workers, and the resident's own data (export, deletion).
mod api;
pub mod page;
pub use api::*;

use serde::{Deserialize, Serialize};

/// A building as offered in the home picker, with where it lies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildingOption {
    pub building_id: i64,
    pub community: String,
    pub grid: String,
    pub building: String,
}

/// The caller's declared home and whether it is verified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub building_id: Option<i64>,
    pub label: Option<String>,
    pub verified: bool,
}

/// A resident waiting for verification, as their community's staff or grid worker see them
/// (full phone: they are the people who need it to check).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingResident {
    pub account_id: i64,
    pub display_name: String,
    pub phone: String,
    pub home: String,
}

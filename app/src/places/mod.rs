//! Places: district → street → community → grid → estate/building (DOMAIN.md §1).
mod admin;
mod api;
pub mod page;
pub use admin::*;
pub use api::*;

use serde::{Deserialize, Serialize};

/// A community's type, which sets its governance focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommunityKind {
    /// 商品住宅型
    Residential,
    /// 商圈楼宇型
    Business,
    /// 老旧院落型
    OldCourtyard,
    /// 单位集中型
    WorkUnit,
    /// 城乡融合型
    UrbanRural,
}

impl CommunityKind {
    pub const ALL: [CommunityKind; 5] = [
        Self::Residential,
        Self::Business,
        Self::OldCourtyard,
        Self::WorkUnit,
        Self::UrbanRural,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Residential => "residential",
            Self::Business => "business",
            Self::OldCourtyard => "old_courtyard",
            Self::WorkUnit => "work_unit",
            Self::UrbanRural => "urban_rural",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A place's name: 1–40 characters on one line after trimming (see `hall::parse_text`).
pub fn parse_place_name(input: &str) -> Result<String, crate::error::AppError> {
    crate::hall::parse_text(input, 1, 40, false, crate::error::Invalid::PlaceName)
}

/// An estate's property management (DOMAIN.md §1).
pub const PROPERTY_KINDS: [&str; 4] = ["brand", "developer", "owners_committee", "none"];

/// A community as listed on the home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommunitySummary {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub kind: CommunityKind,
    pub support_threshold: i64,
    pub grids: i64,
    pub buildings: i64,
}

/// A street with its communities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreetSummary {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub communities: Vec<CommunitySummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn community_kind_codes_round_trip() {
        for kind in CommunityKind::ALL {
            assert_eq!(CommunityKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(CommunityKind::from_code("castle"), None);
    }
}

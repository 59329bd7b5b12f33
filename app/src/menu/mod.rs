//! 你点我供, the service menu (DOMAIN.md §5): a community's menu of services with eligibility,
//! weekly capacity and price; residents' orders (also entered for them by staff or a grid
//! worker) through accept, start, complete and a rated confirmation; escalation of orders
//! nobody accepted within a day; and wishes (心愿单) for what the menu lacks.
//!
//! Server functions, one concern each: `items` (the menu, an item, putting items on it),
//! `orders` (ordering, cancelling, one's own orders, confirming and rating), `fulfil` (the
//! provider's queue and its steps), `desk` (the staff's desk: escalated orders, unmet
//! demand), `wishes`. Pages live in `pages/`.
//!
//! The address an order is for (the building of the resident's verified home) is in an
//! answer only for the resident, the person assigned and the community's staff
//! (`Action::SeeOrderAddress`); everyone else gets `None`.
mod desk;
pub mod domain;
mod fulfil;
mod items;
mod orders;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
mod wishes;

pub use desk::*;
pub use domain::*;
pub use fulfil::*;
pub use items::*;
pub use orders::*;
pub use wishes::*;

use crate::market::{CommunityRef, ServiceCategory};
use serde::{Deserialize, Serialize};

/// A menu item in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub id: i64,
    pub community: CommunityRef,
    pub category: ServiceCategory,
    pub title: String,
    /// The organization's, the team's or (for the community itself) the community's name.
    pub provider: String,
    pub provider_kind: ProviderKind,
    pub price: Price,
    pub weekly_capacity: i64,
    /// Orders taken for the current week.
    pub taken_this_week: i64,
    pub min_age: Option<i64>,
    /// Only some buildings may order.
    pub building_limited: bool,
    pub service_minutes: i64,
    pub rating_count: i64,
    pub rating_sum: i64,
    pub completed_count: i64,
    pub withdrawn: bool,
}

/// A rating as the item's page shows it (no names).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingView {
    pub rating: i64,
    pub comment: Option<String>,
    pub at: i64,
}

/// An item's page, shaped for the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemPage {
    pub summary: ItemSummary,
    pub description: String,
    /// The buildings that may order (empty: all of the community).
    pub buildings: Vec<String>,
    pub ratings: Vec<RatingView>,
    pub now: i64,
    pub logged_in: bool,
    /// A verified resident of the community.
    pub can_order: bool,
    /// Why the viewer may not order it, when they are a resident of the community.
    pub refusal: Option<Refusal>,
    /// Staff or a grid worker: may order on a resident's behalf.
    pub can_order_for: bool,
    /// Its provider: may take it off the menu.
    pub can_manage: bool,
}

/// A community's menu.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MenuFront {
    pub community: Option<CommunityRef>,
    pub communities: Vec<CommunityRef>,
    pub items: Vec<ItemSummary>,
    pub logged_in: bool,
    /// Staff of this community.
    pub is_staff: bool,
    /// Provides something anywhere (has a queue).
    pub is_provider: bool,
    pub open_wishes: i64,
}

/// An order, shaped for the viewer: `address` only for those `SeeOrderAddress` allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: i64,
    pub item_id: i64,
    pub item_title: String,
    pub category: ServiceCategory,
    pub provider: String,
    pub community: CommunityRef,
    pub status: OrderStatus,
    /// The resident's display name.
    pub resident: String,
    pub address: Option<String>,
    pub preferred_at: i64,
    pub note: String,
    pub submitted_at: i64,
    /// Entered by staff or a grid worker for the resident (their name).
    pub entered_by: Option<String>,
    pub assignee: Option<String>,
    pub reject_reason: Option<String>,
    pub escalated_at: Option<i64>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    /// What the viewer may do with it now.
    pub can_cancel: bool,
    pub can_rate: bool,
    pub can_decide: bool,
    pub can_work: bool,
    /// Whom it may be given to (filled only when the viewer may decide it).
    pub assignees: Vec<Assignee>,
}

/// Someone an order may be given to: a member of the providing team, an admin or social
/// worker of the providing organization, a member of the community's own teams (for its own
/// items), or the community's staff. Only these may be assigned, since the assignee sees the
/// resident's address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignee {
    pub id: i64,
    pub name: String,
    /// Masked (138****1234): enough to tell two people of one name apart.
    pub phone: String,
}

/// The provider's queue: orders of the items the viewer provides, and those assigned to them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub orders: Vec<OrderView>,
    /// The items the viewer provides (to manage them).
    pub items: Vec<ItemSummary>,
    /// Where the viewer may put new items: (`org:ID`, `team:ID` or `community`, community, name).
    pub providers: Vec<ProviderChoice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderChoice {
    pub code: String,
    pub community_id: i64,
    pub name: String,
}

/// A wish in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WishView {
    pub id: i64,
    pub community: CommunityRef,
    pub category: ServiceCategory,
    pub title: String,
    pub description: String,
    pub author: Option<String>,
    pub support_count: i64,
    /// The viewer supports it.
    pub supported: bool,
    /// The item it became.
    pub item_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WishList {
    pub community: Option<CommunityRef>,
    pub communities: Vec<CommunityRef>,
    pub wishes: Vec<WishView>,
    /// A verified resident of this community: may wish and support.
    pub can_wish: bool,
    pub is_staff: bool,
}

/// An organization's offering not yet on the community's menu.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferingChoice {
    pub id: i64,
    pub org: String,
    pub category: ServiceCategory,
    pub title: String,
    pub description: String,
}

/// The staff's desk for a community's menu.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskView {
    pub community: CommunityRef,
    pub communities: Vec<CommunityRef>,
    /// Escalated orders nobody has accepted yet, oldest first.
    pub escalated: Vec<OrderView>,
    /// Unmet demand: open wishes, most supported first …
    pub wishes: Vec<WishView>,
    /// … items whose current week is full …
    pub full_items: Vec<ItemSummary>,
    /// … and orders rejected in the last 30 days.
    pub rejected_recently: i64,
    pub offerings: Vec<OfferingChoice>,
}

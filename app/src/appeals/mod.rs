//! 诉求, the appeals closed loop (DOMAIN.md §6): grid discovery or a resident's filing →
//! community classification → street dispatch (吹哨派单) → the department resolves within a
//! time limit → verification and the resident's callback; work queues, the overdue sweep,
//! the public view, the three rates and the Open311 API's core.
pub mod domain;
mod file;
mod flow;
pub mod pages;
mod rates;
mod read;
mod rules;
#[cfg(feature = "ssr")]
pub mod store;

pub use domain::*;
pub use file::*;
pub use flow::*;
pub use rates::*;
pub use read::*;
pub use rules::*;

use serde::{Deserialize, Serialize};

/// What anyone may see of an appeal: no reporter, no building, no contact, no photos.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealSummary {
    pub id: i64,
    pub category: AppealCategory,
    pub urgency: Urgency,
    pub state: AppealState,
    pub community: String,
    pub community_en: String,
    pub description: String,
    /// The department it is dispatched to (Open311's `agency_responsible`).
    pub department: Option<String>,
    pub deadline_at: Option<i64>,
    /// Past its deadline without a reply (now, or when it was replied).
    pub overdue: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One step on an appeal's timeline, in the capacity it was taken (never a name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealEvent {
    /// `file`, `overdue`, or a `Step` code.
    pub step: String,
    pub to_state: AppealState,
    /// `resident`, `community`, `street`, `department`, `grid`, `system`.
    pub actor_role: String,
    pub note: String,
    pub at: i64,
}

/// What only the reporter and those handling the appeal see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealPrivate {
    pub source: Source,
    pub reporter: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// `community · grid · building`.
    pub place: String,
    pub photos: Vec<i64>,
}

/// The callback's answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallbackAnswers {
    pub contacted: bool,
    pub solved: bool,
    pub satisfied: bool,
    pub note: String,
}

/// An appeal as the viewer may see it, with the steps they may take now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealPage {
    pub summary: AppealSummary,
    pub route: Option<Route>,
    pub reply: Option<String>,
    pub extension: Option<(i64, String)>,
    pub callback: Option<CallbackAnswers>,
    pub timeline: Vec<AppealEvent>,
    pub private: Option<AppealPrivate>,
    /// Steps this viewer may take in the appeal's current state.
    pub steps: Vec<Step>,
    /// For the street's dispatch form.
    pub departments: Vec<Department>,
    /// Whether the viewer may add photos (reporter or handler, before closure, under three).
    pub can_add_photos: bool,
    pub now: i64,
}

/// A row of a work queue: what waits for the viewer, in deadline order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub summary: AppealSummary,
    /// What the viewer is expected to do next.
    pub next: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub entries: Vec<QueueEntry>,
    pub now: i64,
}

/// A page of appeals (the resident's own, or a community's public list), newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealList {
    pub items: Vec<AppealSummary>,
    /// The id to pass as `before` for the next page.
    pub next: Option<i64>,
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UrgencyRule {
    pub urgency: Urgency,
    pub limit_minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyInfo {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// Appeals per page.
pub const APPEALS_PAGE: i64 = 20;
/// Photos per appeal, and the largest photo accepted.
pub const MAX_PHOTOS: i64 = 3;
pub const MAX_PHOTO_BYTES: usize = 4 * 1024 * 1024;

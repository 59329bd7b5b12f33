//! The in-app inbox: what concerns the user (their home verified, a role granted; later their
//! proposals, orders, appeals). Stored as a kind with parameters, shown in the reader's language.
mod api;
pub mod page;
pub use api::*;

use crate::accounts::Role;
use crate::i18n::*;
use serde::{Deserialize, Serialize};

/// What happened, with what the message needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    HomeVerified,
    RoleGranted { role: Role },
    /// A proposal the user follows changed state.
    ProposalState { proposal_id: i64, title: String, state: crate::hall::ProposalState },
    /// Someone commented on a proposal the user follows.
    NewComment { proposal_id: i64, title: String },
    /// Staff posted implementation progress on a proposal the user follows.
    ProposalProgress { proposal_id: i64, title: String },
    /// A new appeal in the community (to its staff).
    AppealFiled { appeal_id: i64 },
    /// The reporter's appeal moved on.
    AppealState { appeal_id: i64, state: crate::appeals::AppealState },
    /// An appeal waits for the recipient to take `step`.
    AppealWaiting { appeal_id: i64, step: crate::appeals::Step },
    /// The street decided the department's extension request.
    AppealExtension { appeal_id: i64, approved: bool },
    /// An appeal passed its deadline without a reply.
    AppealOverdue { appeal_id: i64 },
    /// Community staff verified or rejected the user's organization.
    OrgDecided { org_id: i64, name: String, verified: bool },
    /// A volunteer applied to the team the user leads.
    TeamApplication { team_id: i64, team: String },
    /// The team's leader approved or declined the user's application.
    TeamDecision { team_id: i64, team: String, approved: bool },
    /// A place came free and the user moved up from the waitlist.
    Promoted { activity_id: i64, title: String },
    /// An activity the user signed up for starts within a day.
    ActivityReminder { activity_id: i64, title: String, starts_at: i64 },
    /// Service hours were credited to the user's ledger.
    HoursCredited { minutes: i64, title: String },
    /// A resident ordered an item the user provides.
    OrderPlaced { order_id: i64, title: String },
    /// The user's order moved on.
    OrderState { order_id: i64, title: String, status: crate::menu::OrderStatus },
    /// The user was assigned to do an order.
    OrderAssigned { order_id: i64, title: String },
    /// Nobody accepted an order within a day: the community's staff dispatch it.
    OrderEscalated { order_id: i64, title: String },
    /// A wish the user supports is on the menu now.
    WishFulfilled { wish_id: i64, title: String, item_id: i64 },
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::HomeVerified => "home_verified",
            Event::RoleGranted { .. } => "role_granted",
            Event::ProposalState { .. } => "proposal_state",
            Event::NewComment { .. } => "new_comment",
            Event::ProposalProgress { .. } => "proposal_progress",
            Event::AppealFiled { .. } => "appeal_filed",
            Event::AppealState { .. } => "appeal_state",
            Event::AppealWaiting { .. } => "appeal_waiting",
            Event::AppealExtension { .. } => "appeal_extension",
            Event::AppealOverdue { .. } => "appeal_overdue",
            Event::OrgDecided { .. } => "org_decided",
            Event::TeamApplication { .. } => "team_application",
            Event::TeamDecision { .. } => "team_decision",
            Event::Promoted { .. } => "promoted",
            Event::ActivityReminder { .. } => "activity_reminder",
            Event::HoursCredited { .. } => "hours_credited",
            Event::OrderPlaced { .. } => "order_placed",
            Event::OrderState { .. } => "order_state",
            Event::OrderAssigned { .. } => "order_assigned",
            Event::OrderEscalated { .. } => "order_escalated",
            Event::WishFulfilled { .. } => "wish_fulfilled",
        }
    }

    pub fn text(&self, locale: Locale) -> String {
        match self {
            Event::HomeVerified => td_string!(locale, note_home_verified).to_string(),
            Event::RoleGranted { role } => {
                td_string!(locale, note_role_granted, role = role.label(locale)).to_string()
            }
            Event::ProposalState { title, state, .. } => {
                td_string!(locale, note_proposal_state, title = title, state = state.label(locale)).to_string()
            }
            Event::NewComment { title, .. } => td_string!(locale, note_new_comment, title = title).to_string(),
            Event::ProposalProgress { title, .. } => {
                td_string!(locale, note_proposal_progress, title = title).to_string()
            }
            Event::AppealFiled { appeal_id } => td_string!(locale, note_appeal_filed, id = *appeal_id).to_string(),
            Event::AppealState { appeal_id, state } => {
                td_string!(locale, note_appeal_state, id = *appeal_id, state = state.label(locale)).to_string()
            }
            Event::AppealWaiting { appeal_id, step } => {
                td_string!(locale, note_appeal_waiting, id = *appeal_id, step = step.label(locale)).to_string()
            }
            Event::AppealExtension { appeal_id, approved: true } => {
                td_string!(locale, note_extension_approved, id = *appeal_id).to_string()
            }
            Event::AppealExtension { appeal_id, approved: false } => {
                td_string!(locale, note_extension_refused, id = *appeal_id).to_string()
            }
            Event::AppealOverdue { appeal_id } => td_string!(locale, note_appeal_overdue, id = *appeal_id).to_string(),
            Event::OrgDecided { name, verified: true, .. } => td_string!(locale, note_org_verified, name = name).to_string(),
            Event::OrgDecided { name, verified: false, .. } => td_string!(locale, note_org_rejected, name = name).to_string(),
            Event::TeamApplication { team, .. } => td_string!(locale, note_team_application, team = team).to_string(),
            Event::TeamDecision { team, approved: true, .. } => td_string!(locale, note_team_approved, team = team).to_string(),
            Event::TeamDecision { team, approved: false, .. } => td_string!(locale, note_team_declined, team = team).to_string(),
            Event::Promoted { title, .. } => td_string!(locale, note_promoted, title = title).to_string(),
            Event::ActivityReminder { title, starts_at, .. } => {
                td_string!(locale, note_activity_reminder, title = title, when = crate::time::format_local(*starts_at)).to_string()
            }
            Event::HoursCredited { minutes, title } => {
                td_string!(locale, note_hours_credited, title = title, hours = crate::market::hours(*minutes)).to_string()
            }
            Event::OrderPlaced { title, .. } => td_string!(locale, note_order_placed, title = title).to_string(),
            Event::OrderState { title, status, .. } => {
                td_string!(locale, note_order_state, title = title, state = status.label(locale)).to_string()
            }
            Event::OrderAssigned { title, .. } => td_string!(locale, note_order_assigned, title = title).to_string(),
            Event::OrderEscalated { title, .. } => td_string!(locale, note_order_escalated, title = title).to_string(),
            Event::WishFulfilled { title, .. } => td_string!(locale, note_wish_fulfilled, title = title).to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub event: Event,
    pub link: Option<String>,
    pub created_at: i64,
    pub read: bool,
}

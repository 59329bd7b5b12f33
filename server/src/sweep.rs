//! Background work that must happen on time whether or not anyone is looking: closing votes
//! at their closing time, and marking appeals overdue at their deadline (which notifies the
//! handler, the street and the reporter), reminding volunteers a day before an activity, and
//! escalating service orders nobody accepted within a day to the community's staff.
//! Every instance runs it; the work is idempotent (a vote closes once, an appeal is marked
//! once, an activity reminded once, an order escalated once, whichever instance gets there first).
use app::state::AppState;
use std::time::Duration;

/// How often the sweep runs. Reads close due votes first anyway, so this bounds only how late
/// the inbox hears of a close that nobody looked at.
pub const EVERY: Duration = Duration::from_secs(30);

pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::hall::store::close_due(&state.db, state.clock.now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "closed votes that were due"),
                Err(e) => tracing::error!(error = %e, "closing due votes failed"),
            }
            match app::appeals::store::mark_overdue(&state.db, state.clock.now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(overdue = n, "appeals marked overdue"),
                Err(e) => tracing::error!(error = %e, "marking overdue appeals failed"),
            }
            match app::market::store::remind_due(&state.db, state.clock.now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(activities = n, "day-before reminders sent"),
                Err(e) => tracing::error!(error = %e, "sending activity reminders failed"),
            }
            match app::menu::store::escalate_due(&state.db, state.clock.now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(orders = n, "unaccepted orders escalated to community staff"),
                Err(e) => tracing::error!(error = %e, "escalating unaccepted orders failed"),
            }
            if let Err(e) = app::ratelimit::forget_old(&state).await {
                tracing::error!(error = %e, "forgetting old rate-limit windows failed");
            }
        }
    })
}

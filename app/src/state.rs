//! What every request handler and server function can reach.
use crate::clock::Clock;
use crate::db::Db;
use crate::places::store::Places;
use crate::places::StreetSummary;
use crate::recent::Recent;

/// How long the streets overview is kept: places change a few times a year, and a change made
/// through another instance shows here within this time.
const STREETS_KEPT: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    /// Served over https: session cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Rate limits on registration, comments, appeals and Open311 requests.
    pub limits: crate::ratelimit::Limits,
    /// How long anonymous pages are kept rendered (`server/src/page_cache.rs`); 0: not at all.
    pub page_cache_ms: u64,
    /// The district's streets and communities with their counts (the home pages' overview).
    pub streets: Recent<Vec<StreetSummary>>,
    /// When reads last found no vote due to close (`hall::store::close_due_for_read`).
    pub due_votes: crate::hall::store::DueVotes,
}

impl AppState {
    pub fn new(db: Db) -> AppState {
        AppState {
            db,
            clock: Clock::system(),
            secure_cookies: false,
            limits: Default::default(),
            page_cache_ms: 0,
            streets: Recent::new(STREETS_KEPT),
            due_votes: Default::default(),
        }
    }

    pub fn places(&self) -> Places<'_> {
        Places(&self.db)
    }
}

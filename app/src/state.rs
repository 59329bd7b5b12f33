//! What every request handler and server function can reach.
use crate::clock::Clock;
use crate::db::Db;
use crate::places::store::streets_on;
use crate::places::StreetSummary;
use crate::recent::Recent;
use std::sync::Arc;

/// How long what is known of places is kept: they change a few times a year, and a change made
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
    /// The district's name and the units of the appeal rates page.
    pub rate_units: Recent<crate::appeals::RateUnits>,
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
            rate_units: Recent::new(STREETS_KEPT),
            due_votes: Default::default(),
        }
    }

    /// The streets overview, kept for `STREETS_KEPT`.
    pub async fn streets(&self) -> Result<Arc<Vec<StreetSummary>>, sqlx::Error> {
        self.streets.get_or_load(|| streets_on(self.db.read())).await
    }

    /// After an admin changed a place: what is kept about places is read anew.
    pub fn places_changed(&self) {
        self.streets.clear();
        self.rate_units.clear();
    }
}

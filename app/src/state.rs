//! What every request handler and server function can reach.
use crate::clock::Clock;
use crate::db::Db;
use crate::places::store::Places;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    /// Served over https: session cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(db: Db) -> AppState {
        AppState { db, clock: Clock::system(), secure_cookies: false }
    }

    pub fn places(&self) -> Places<'_> {
        Places(&self.db)
    }
}

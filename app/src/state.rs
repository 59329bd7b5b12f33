//! What every request handler and server function can reach: the store.
use crate::db::Db;
use crate::places::store::Places;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
}

impl AppState {
    pub fn places(&self) -> Places<'_> {
        Places(&self.db)
    }
}

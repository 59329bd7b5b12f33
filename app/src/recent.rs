//! Reference data read on many pages and changed rarely (the district's streets and
//! communities), kept in memory for a few seconds instead of read on every render.
//!
//! Each server instance keeps its own copy: a change made through this instance clears it
//! (`clear`), one made through another instance is seen here within `ttl`. A load that was
//! already running when `clear` was called may still keep what it read, so a change is only
//! certain to show within `ttl` — enough for places, which change a few times a year.
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Recent<T> {
    ttl: Duration,
    kept: Arc<Mutex<Option<(Instant, Arc<T>)>>>,
}

impl<T> Clone for Recent<T> {
    fn clone(&self) -> Self {
        Recent { ttl: self.ttl, kept: self.kept.clone() }
    }
}

impl<T> std::fmt::Debug for Recent<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recent").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl<T> Recent<T> {
    pub fn new(ttl: Duration) -> Self {
        Recent { ttl, kept: Arc::new(Mutex::new(None)) }
    }

    /// The kept value while it is younger than the TTL, else `load`'s (kept when it succeeds).
    /// Two requests missing at once both load; the later result is kept — cheaper than making
    /// one wait for the other, and either is current.
    pub async fn get_or_load<E, F>(&self, load: impl FnOnce() -> F) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        if let Some((at, value)) = self.kept.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if at.elapsed() < self.ttl {
                return Ok(value.clone());
            }
        }
        let value = Arc::new(load().await?);
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), value.clone()));
        Ok(value)
    }

    /// Forgets the kept value: the next read loads it anew.
    pub fn clear(&self) {
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keeps_for_the_ttl_and_forgets_when_cleared() {
        let recent = Recent::new(Duration::from_millis(200));
        let loads = std::sync::atomic::AtomicUsize::new(0);
        let load = || async {
            Ok::<_, ()>(loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
        };
        assert_eq!(*recent.get_or_load(load).await.unwrap(), 0);
        assert_eq!(*recent.get_or_load(load).await.unwrap(), 0, "kept within the TTL");
        recent.clear();
        assert_eq!(*recent.get_or_load(load).await.unwrap(), 1, "loaded again after clear");
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(*recent.get_or_load(load).await.unwrap(), 2, "loaded again after the TTL");
        // A failed load keeps nothing.
        recent.clear();
        assert!(recent.get_or_load(|| async { Err::<usize, _>(()) }).await.is_err());
        assert_eq!(*recent.get_or_load(load).await.unwrap(), 3);
    }
}

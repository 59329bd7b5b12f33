//! Handlers run to their end, even when the client goes away.
//!
//! hyper drops a request's future when its connection closes. Dropped mid-call, a server
//! function stops at whichever `.await` it had reached. Each write is one transaction, so
//! nothing is left half-written, but a call that writes more than once can stop between its
//! writes (a login reserves a throttle attempt, checks the password, then clears the attempt:
//! cut in between, a right password counts as a failed try), and whether a vote sent just
//! before the tab closed counts depends on where the drop fell. Here a dropped handler is
//! handed to a task of its own and finishes there: a request the server has read is carried
//! out in full. (The city bench therefore waits for the last writes to land before it counts.)
//!
//! Pages dropped mid-render finish too, so no render is abandoned half-way. This does not end
//! the rare `Tried to access a reactive value that has already been disposed` panic of a
//! leptos `Suspense` effect (leptos-rs/leptos#3595, open upstream): it was seen twice in a
//! city bench run with this layer in place, where no render is abandoned. The panic is
//! confined to that effect's task, which tokio catches; the server goes on.
//!
//! Only a dropped handler is spawned: a `tokio::spawn` for every request measured 2–3% fewer
//! list pages a second (`bench/cpu.sh`, alternating runs), for a case that happens rarely.
use axum::{extract::Request, middleware::Next, response::Response};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tracing::Instrument;

/// Middleware: the rest of the stack, finished in a task of its own if it is dropped early.
pub fn layer(req: Request, next: Next) -> impl Future<Output = Response> + Send + 'static {
    ToTheEnd::new(next.run(req))
}

/// A future that, dropped before it is done, is spawned to finish.
struct ToTheEnd<F: Future + Send + 'static> {
    future: Option<Pin<Box<F>>>,
    /// Set while the inner future is polled: if that poll panics, the future is not resumed.
    polling: bool,
    span: tracing::Span,
}

impl<F: Future + Send + 'static> ToTheEnd<F> {
    fn new(future: F) -> Self {
        ToTheEnd { future: Some(Box::pin(future)), polling: false, span: tracing::Span::current() }
    }
}

impl<F: Future + Send + 'static> Future for ToTheEnd<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // `ToTheEnd` is `Unpin` (the inner future is boxed), so its fields are plain.
        let this = &mut *self;
        let Some(future) = this.future.as_mut() else { panic!("ToTheEnd polled after completion") };
        this.polling = true;
        let poll = future.as_mut().poll(cx);
        this.polling = false;
        if poll.is_ready() {
            this.future = None;
        }
        poll
    }
}

impl<F: Future + Send + 'static> Drop for ToTheEnd<F> {
    fn drop(&mut self) {
        if self.polling {
            return;
        }
        if let Some(future) = self.future.take() {
            // Drops can come from outside a runtime (a runtime shutting down); then nothing can
            // run the rest, and it is dropped as before.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(
                    async move {
                        future.await;
                    }
                    .instrument(self.span.clone()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{body::Body, routing::get, Router};
    use std::sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    };
    use std::time::Duration;
    use tower::ServiceExt;

    /// A router whose one handler takes 50 ms and then marks `done`.
    fn slow_router(done: Arc<AtomicBool>, run_to_end: bool) -> Router {
        let router = Router::new().route(
            "/",
            get(move || async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                done.store(true, Ordering::SeqCst);
                "ok"
            }),
        );
        if run_to_end {
            router.layer(axum::middleware::from_fn(layer))
        } else {
            router
        }
    }

    /// Calls `router` and gives up (drops the call, as hyper does on a closed connection) after
    /// 10 ms; then reports whether the handler finished all the same within two seconds.
    async fn finished_after_client_left(run_to_end: bool) -> bool {
        let done = Arc::new(AtomicBool::new(false));
        let call = slow_router(done.clone(), run_to_end).oneshot(Request::new(Body::empty()));
        assert!(tokio::time::timeout(Duration::from_millis(10), call).await.is_err(), "the call was cut off");
        // The handler needs 40 ms more; a loaded test machine gets two seconds.
        for _ in 0..100 {
            if done.load(Ordering::SeqCst) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    #[tokio::test]
    async fn a_handler_finishes_after_its_client_left() {
        assert!(finished_after_client_left(true).await);
        // The control: without the layer, the dropped call never finishes.
        assert!(!finished_after_client_left(false).await);
    }

    #[tokio::test]
    async fn a_handler_that_is_not_dropped_answers_as_usual() {
        let done = Arc::new(AtomicBool::new(false));
        let resp = slow_router(done.clone(), true).oneshot(Request::new(Body::empty())).await.unwrap();
        assert_eq!(resp.status(), axum::http::StatusCode::OK);
        assert_eq!(axum::body::to_bytes(resp.into_body(), 16).await.unwrap(), "ok");
        assert!(done.load(Ordering::SeqCst));
    }
}

//! A page's view of its data, built once a request.
//!
//! `<Transition>{move || resource.get().map(view)}</Transition>` builds `view` up to three
//! times on the server: the boundary walks its children to find the resources they read, walks
//! them again once those have loaded (to find resources read only then), and then renders, and
//! each walk calls the closure, so every component below ran three times and only the last
//! view was written out. A `Suspend` keeps what the walk built: the view is made once, after
//! the data are there. The pages are not islands, so nothing below re-runs in the browser and
//! the closure's reactivity was never used.
use super::auth::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The view of `resource`'s value, built once it has loaded. Put it inside a `Transition` or
/// `Suspense`, which waits for it. Any other data the view needs must be awaited too (a
/// `Suspend` of its own): a resource only read with `.get()` inside it is read once, maybe
/// before it has loaded, and the view is not built again when it has. A resource that needs
/// another awaits it in its fetcher: read with `.get()` in its source, it first runs with the
/// other still loading and, for a moment, holds what that run gave (the meetings page once
/// went out without the staff's form that way).
pub fn when_loaded<T, Ser, V>(resource: Resource<T, Ser>, view: impl FnOnce(T) -> V + Send + 'static) -> Suspend<V>
where
    T: Clone + Send + Sync + 'static,
    Ser: Send + Sync + 'static,
    V: Send + 'static,
{
    Suspend::new(async move { view(resource.await) })
}

/// A resource's value shown by `show`, its error as a notice, "loading" meanwhile.
pub fn loaded<T, V>(res: Resource<Result<T, AppError>>, show: impl FnOnce(T) -> V + Send + 'static) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {when_loaded(res, move |r| match r {
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                Ok(v) => show(v).into_any(),
            })}
        </Transition>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    /// Renders `app` as the server does for a page (islands mode, resolved in order).
    async fn render<V: IntoView + 'static>(app: impl FnOnce() -> V) -> String {
        let _ = any_spawner::Executor::init_tokio();
        let owner = Owner::new_root(Some(Arc::new(hydration_context::SsrSharedContext::new_islands())));
        let stream = owner.with(|| app().into_view().to_html_stream_in_order());
        let html = futures_util::StreamExt::collect::<String>(stream).await;
        drop(owner);
        html
    }

    /// Data that take a moment, as a query does.
    fn slow(n: i32) -> Resource<i32> {
        Resource::new(move || n, |n| async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            n
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_view_is_built_once_after_its_data_have_loaded_even_inside_another() {
        static OUTER: AtomicUsize = AtomicUsize::new(0);
        static INNER: AtomicUsize = AtomicUsize::new(0);
        let html = render(|| {
            let (header, list) = (slow(1), slow(2));
            view! {
                <Transition>
                    {when_loaded(header, move |h| {
                        OUTER.fetch_add(1, Ordering::SeqCst);
                        view! {
                            <h1>{h}</h1>
                            <Transition>
                                {when_loaded(list, |l| {
                                    INNER.fetch_add(1, Ordering::SeqCst);
                                    view! { <p>{l}</p> }
                                })}
                            </Transition>
                        }
                    })}
                </Transition>
            }
        })
        .await;
        assert!(html.contains("<h1>1</h1>") && html.contains("<p>2</p>"), "the data are in the page: {html}");
        assert_eq!((OUTER.load(Ordering::SeqCst), INNER.load(Ordering::SeqCst)), (1, 1));
    }
}

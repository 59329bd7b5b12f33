//! The tags in `<head>` that load the bundle: the stylesheet, and the JS, WASM and script that
//! hydrate the islands. Worked out once a process: with hashed file names (production),
//! leptos' `HashedStylesheet` and `HydrationScripts` find the binary and read cargo-leptos'
//! hash file on every render. That was 1.4% of the proposal page's CPU for the stylesheet, and
//! for the scripts 15 of the 153 µs the bare login page costs (`BENCH_ENCODING=identity bash
//! bench/cpu.sh`, with `LEPTOS_HASH_FILES` true vs false). Between requests only the nonce
//! differs.
use leptos::nonce::use_nonce;
use leptos::prelude::*;
use std::sync::OnceLock;

/// The stylesheet's address, with the content hash cargo-leptos wrote beside the binary.
pub fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| Some(std::env::current_exe().ok()?.parent()?.join(options.hash_file.as_ref())))
            .flatten()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .and_then(|hashes| {
                hashes.lines().find_map(|line| line.trim().strip_prefix("css:").map(|h| format!(".{}", h.trim())))
            })
            .unwrap_or_default();
        format!("/{}/{}{hash}.css", options.site_pkg_dir, options.output_name)
    })
}

/// `<HydrationScripts options islands=true />`, its markup made once. (Leptos' component also
/// provides the manifest of WASM split off for lazy loading when there is one; Linli splits
/// none, so that part is left out.)
#[component]
pub fn BundleScripts(options: LeptosOptions) -> impl IntoView {
    static SCRIPTS: OnceLock<Option<Scripts>> = OnceLock::new();
    match SCRIPTS.get_or_init(|| Scripts::capture(options.clone())) {
        Some(scripts) => scripts.view().into_any(),
        // Markup of a shape `capture` does not know (a leptos upgrade): leptos' own, each time.
        None => view! { <HydrationScripts options islands=true /> }.into_any(),
    }
}

/// The parts of what `HydrationScripts` writes that do not change between requests.
#[derive(Debug)]
struct Scripts {
    js: String,
    wasm: String,
    /// The inline module that loads the JS and hydrates the islands once the browser is idle.
    body: String,
}

impl Scripts {
    /// Renders leptos' component once, without a nonce, and keeps its parts. On a thread of its
    /// own: a reactive owner made here would otherwise replace the current request's.
    fn capture(options: LeptosOptions) -> Option<Scripts> {
        let html = std::thread::scope(|s| {
            s.spawn(|| {
                let owner = Owner::new_root(None);
                owner.with(|| view! { <HydrationScripts options islands=true /> }.to_html())
            })
            .join()
            .ok()
        })?;
        let between = |start: &str, end: &str| {
            let from = html.find(start)? + start.len();
            Some(html[from..][..html[from..].find(end)?].to_string())
        };
        Some(Scripts {
            js: between("<link rel=\"modulepreload\" href=\"", "\"")?,
            wasm: between("<link rel=\"preload\" href=\"", "\"")?,
            body: between("<script type=\"module\">", "</script>")?,
        })
    }

    /// The same tags as `HydrationScripts`, with this request's nonce.
    fn view(&'static self) -> impl IntoView {
        // What `HydrationScripts` does in islands mode: only islands hydrate, so the rest of
        // the page is rendered without hydration markers.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
        let nonce = use_nonce();
        let wasm_crossorigin = nonce.as_ref().map(|n| n.to_string()).unwrap_or_default();
        view! {
            <link rel="modulepreload" href=self.js.as_str() crossorigin=nonce.clone() />
            <link rel="preload" href=self.wasm.as_str() r#as="fetch" r#type="application/wasm" crossorigin=wasm_crossorigin />
            <script type="module" nonce=nonce>{self.body.as_str()}</script>
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use leptos::nonce::Nonce;
    use std::sync::Arc;

    /// `view` as the server renders a page: islands mode, with a nonce. (Each test runs on a
    /// thread of its own, so the root owner replaces no one's.)
    fn render<V: IntoView + 'static>(view: impl FnOnce() -> V) -> String {
        let owner = Owner::new_root(Some(Arc::new(hydration_context::SsrSharedContext::new_islands())));
        owner.with(|| {
            provide_context(Nonce::from_value("bm9uY2Utb2YtdGhlLXRlc3Q"));
            view().to_html()
        })
    }

    #[test]
    fn the_scripts_are_the_same_tags_leptos_writes() {
        // Hashed names, as in production, from a hash file of our own.
        let dir = std::env::temp_dir().join(format!("linli-bundle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let hashes = dir.join("hash.txt");
        std::fs::write(&hashes, "js: Jh4sh\nwasm: Wh4sh\ncss: Ch4sh\n").unwrap();
        let options = LeptosOptions::builder()
            .output_name("linli")
            .hash_files(true)
            .hash_file(Arc::from(hashes.to_string_lossy().as_ref()))
            .build();
        let scripts = Scripts::capture(options.clone()).expect("leptos' markup has the expected shape");
        assert_eq!((scripts.js.as_str(), scripts.wasm.as_str()), ("/pkg/linli.Jh4sh.js", "/pkg/linli.Wh4sh.wasm"));
        let scripts: &'static Scripts = Box::leak(Box::new(scripts));
        let leptos = render(|| view! { <HydrationScripts options islands=true /> });
        let ours = render(|| scripts.view());
        assert!(leptos.contains("bm9uY2Utb2YtdGhlLXRlc3Q") && leptos.contains("hydrateIslands"), "{leptos}");
        assert_eq!(ours, leptos);
        std::fs::remove_dir_all(dir).unwrap();
    }
}

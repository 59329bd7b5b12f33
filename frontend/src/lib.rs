//! The browser entry point. The app runs in islands mode: pages are rendered on the server and
//! work as plain HTML with forms; only the `#[island]` components are hydrated, so only their
//! code is in the WASM bundle.
use app as _; // links the crate, whose islands export their hydration functions

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

//! The web app: a thin Leptos layer over the engine's `Playground` façade.
//! See ARCHITECTURE.md for the map.

mod app;
mod console;
mod models_editor;
mod panels;
mod workspace;

use leptos::prelude::*;
use sqla_engine::playground::Playground;

use crate::app::App;

fn main() {
    console_error_panic_hook::set_once();
    let playground = Playground::new();
    leptos::mount::mount_to_body(move || view! { <App playground/> });
    remove_loading_indicator();
}

/// index.html shows a loading message while the wasm downloads; the app
/// replaces it once the engine is ready and the app is mounted.
fn remove_loading_indicator() {
    if let Some(indicator) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("loading"))
    {
        indicator.remove();
    }
}

//! The web app: a thin Leptos layer over the engine's `Playground` façade.
//! See ARCHITECTURE.md for the map.

mod app;
mod console;
mod dialog;
mod download;
mod editor;
mod examples;
mod export;
mod help;
mod panels;
mod settings;
mod share;
mod shell;
mod splitter;
mod storage;
mod toolbar;
mod workspace;

use std::rc::Rc;

use leptos::prelude::*;
use sqla_engine::playground::HostClock;

use crate::app::App;
use crate::share::link::SharedLink;
use crate::storage::Store;

fn main() {
    console_error_panic_hook::set_once();
    // The kept work is read before the app mounts, so it starts with the data it had.
    // (Leptos's own executor only exists once something is mounted.)
    wasm_bindgen_futures::spawn_local(async {
        let (store, kept) = Store::open().await;
        let shared = SharedLink::from_location();
        leptos::mount::mount_to_body(move || view! { <App store kept shared/> });
        remove_loading_indicator();
    });
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

/// The browser's clocks: `Date.now()` for the wall clock, the time zone of `Date`, and
/// `performance.now()` (sub-millisecond) for timing statements and `time.perf_counter()`.
pub fn browser_clock() -> HostClock {
    HostClock {
        wall_ms: Rc::new(js_sys::Date::now),
        // getTimezoneOffset() counts minutes west of UTC.
        utc_offset_minutes: Rc::new(|at| -(js_sys::Date::new(&at.into()).get_timezone_offset() as i32)),
        monotonic_ms: Rc::new(|| web_sys::window().and_then(|window| window.performance()).map_or_else(js_sys::Date::now, |performance| performance.now())),
    }
}

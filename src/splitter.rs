//! The divider between the left column and the tabs: drag it, or focus it and use the arrow
//! keys (Home / End for the limits), to give one side more room.

use leptos::{ev::KeyboardEvent, ev::PointerEvent, html, prelude::*};

/// The left column's share of the width, in percent, within these limits.
pub const MIN_PERCENT: f64 = 25.0;
pub const MAX_PERCENT: f64 = 75.0;
const KEY_STEP: f64 = 5.0;

#[component]
pub fn Splitter(left_percent: RwSignal<f64>) -> impl IntoView {
    let handle = NodeRef::<html::Div>::new();
    let dragging = StoredValue::new(false);
    let set = move |percent: f64| left_percent.set(percent.clamp(MIN_PERCENT, MAX_PERCENT));
    let on_pointerdown = move |event: PointerEvent| {
        if let Some(element) = handle.get_untracked() {
            // Without capture the drag still works while the pointer stays on the divider.
            let _ = element.set_pointer_capture(event.pointer_id());
        }
        dragging.set_value(true);
    };
    let on_pointermove = move |event: PointerEvent| {
        if !dragging.get_value() {
            return;
        }
        let Some(parent) = handle.get_untracked().and_then(|element| element.parent_element()) else { return };
        let area = parent.get_bounding_client_rect();
        if area.width() > 0.0 {
            set((f64::from(event.client_x()) - area.left()) / area.width() * 100.0);
        }
    };
    let on_keydown = move |event: KeyboardEvent| {
        let now = left_percent.get_untracked();
        let target = match event.key().as_str() {
            "ArrowLeft" | "ArrowDown" => now - KEY_STEP,
            "ArrowRight" | "ArrowUp" => now + KEY_STEP,
            "Home" => MIN_PERCENT,
            "End" => MAX_PERCENT,
            _ => return,
        };
        event.prevent_default();
        set(target);
    };
    view! {
        <div
            class="splitter"
            node_ref=handle
            role="separator"
            tabindex="0"
            aria-orientation="vertical"
            aria-label="Resize the panels"
            aria-valuemin=MIN_PERCENT
            aria-valuemax=MAX_PERCENT
            aria-valuenow=move || left_percent.get().round()
            on:pointerdown=on_pointerdown
            on:pointermove=on_pointermove
            on:pointerup=move |_| dragging.set_value(false)
            on:pointercancel=move |_| dragging.set_value(false)
            on:keydown=on_keydown
        ></div>
    }
}

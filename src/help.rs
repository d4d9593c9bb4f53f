//! The Help dialog: what the playground is and its keyboard shortcuts. Opened by the Help
//! button or by "?" anywhere outside a text field.

use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;

use crate::dialog::Modal;

const SHORTCUTS: [(&str, &str); 9] = [
    ("?", "Open this help (outside a text field)"),
    ("Ctrl+S", "Apply the models (in the models editor)"),
    ("Tab / Shift+Tab", "Indent / dedent in the models editor"),
    ("Esc, then Tab", "Leave the models editor"),
    ("Enter", "Run the console input"),
    ("Shift+Enter", "New line in the console"),
    ("Arrow keys", "Resize the panels, on a focused divider"),
    ("Tab / Shift+Tab", "Move between controls"),
    ("Esc", "Close a dialog or menu"),
];

#[component]
pub fn HelpButton() -> impl IntoView {
    let open = RwSignal::new(false);
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.key() == "?" && !event.ctrl_key() && !event.meta_key() && !typing_in(&event) {
            event.prevent_default();
            open.set(true);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <button type="button" aria-keyshortcuts="?" on:click=move |_| open.set(true)>"Help"</button>
        <Modal open title="Help" class="help">
            <p>
                "Write Flask-SQLAlchemy models in the Models editor and Apply them; run Python in the Console; "
                "the SQL tab shows every statement the database received. Everything runs in this browser tab."
            </p>
            <h3>"Keyboard shortcuts"</h3>
            <table class="shortcuts">
                <tbody>
                    {SHORTCUTS.iter().map(|(keys, action)| view! { <tr><th scope="row"><kbd>{*keys}</kbd></th><td>{*action}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <div class="dialog-buttons">
                <button type="button" on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </Modal>
    }
}

/// Whether the key went to a text field ("?" is then a character, not a shortcut).
fn typing_in(event: &web_sys::KeyboardEvent) -> bool {
    event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()).is_some_and(|element| {
        matches!(element.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select") || element.has_attribute("contenteditable")
    })
}

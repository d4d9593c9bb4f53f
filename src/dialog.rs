//! A modal dialog on the browser's own `<dialog>`: it keeps focus inside while open, Esc
//! closes it (unless it must be answered), and focus goes back where it was afterwards.

use leptos::{html, prelude::*};

/// Shows `children` in a modal dialog titled `title` while `open` is true.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    title: &'static str,
    /// Esc closes it; `false` for a question that needs one of its buttons.
    #[prop(default = true)]
    dismissable: bool,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let heading = format!("dialog-{}", title.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    Effect::new(move || {
        let Some(element) = dialog.get() else { return };
        match (open.get(), element.open()) {
            // Showing fails only if it is already shown or detached: nothing to do then.
            (true, false) => drop(element.show_modal()),
            (false, true) => element.close(),
            _ => {}
        }
    });
    let heading_id = heading.clone();
    view! {
        <dialog
            class=format!("modal {class}")
            node_ref=dialog
            aria-labelledby=heading
            on:close=move |_| open.set(false)
            on:cancel=move |event: web_sys::Event| {
                if !dismissable {
                    event.prevent_default();
                }
            }
        >
            <h2 id=heading_id>{title}</h2>
            {children()}
        </dialog>
    }
}

/// A question before something that replaces or deletes work: `children` say what will be
/// lost; the first button (focused when the dialog opens) does it, Cancel or Esc does not.
#[component]
pub fn Confirm(
    open: RwSignal<bool>,
    title: &'static str,
    class: &'static str,
    /// The label of the button that goes ahead.
    confirm: &'static str,
    on_confirm: impl Fn() + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <Modal open title class>
            {children()}
            <div class="dialog-buttons">
                <button type="button" class="danger" on:click=move |_| {
                    open.set(false);
                    on_confirm();
                }>{confirm}</button>
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </Modal>
    }
}

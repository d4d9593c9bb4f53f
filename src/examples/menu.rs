//! The toolbar's choice of example. Loading one replaces the models and the data, so it asks
//! first when there is work to lose.

use leptos::prelude::*;

use super::EXAMPLES;
use crate::shell::Shell;

#[component]
pub fn ExamplesMenu(shell: Shell) -> impl IntoView {
    let load = move |index: usize| {
        let Some(example) = EXAMPLES.get(index) else { return };
        let has_work = !shell.models.get_untracked().trim().is_empty() || !shell.workspace.history.get_untracked().is_empty();
        if has_work && !confirm(&format!("Load the example “{}”? It replaces your models and console session (kept data of other databases stays).", example.title)) {
            return;
        }
        shell.start_over(example.models.to_owned());
        shell.apply(false);
        shell.script.set(Some(example.script()));
    };
    view! {
        <label class="toolbar-select">
            <span class="visually-hidden">"Examples"</span>
            <select
                aria-label="Examples"
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    if let Ok(index) = chosen.parse::<usize>() {
                        load(index);
                    }
                    // Back to the prompt, so the same example can be chosen again.
                    event_target::<web_sys::HtmlSelectElement>(&event).set_value("");
                }
            >
                <option value="" selected>"Examples…"</option>
                {EXAMPLES.iter().enumerate().map(|(index, example)| view! { <option value=index.to_string()>{example.title}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The browser's own confirmation; without a window there is nothing to lose either.
fn confirm(question: &str) -> bool {
    web_sys::window().is_none_or(|window| window.confirm_with_message(question).unwrap_or(false))
}

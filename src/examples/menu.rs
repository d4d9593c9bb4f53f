//! The toolbar's choice of example. Loading one replaces the models and the data, so it asks
//! first (in the app's own dialog) when there is work to lose.

use leptos::prelude::*;

use super::{Example, EXAMPLES};
use crate::dialog::Confirm;
use crate::shell::Shell;

#[component]
pub fn ExamplesMenu(shell: Shell) -> impl IntoView {
    // The example waiting for the user's answer, while the dialog is open.
    let asking = RwSignal::new(None::<&'static Example>);
    let open = RwSignal::new(false);
    let load = move |example: &'static Example| {
        shell.start_over(example.models.to_owned());
        shell.apply(false);
        shell.script.set(Some(example.script()));
    };
    let choose = move |index: usize| {
        let Some(example) = EXAMPLES.get(index) else { return };
        let has_work = !shell.models.get_untracked().trim().is_empty() || !shell.workspace.history.get_untracked().is_empty();
        if has_work {
            asking.set(Some(example));
            open.set(true);
        } else {
            load(example);
        }
    };
    let confirm = move || {
        if let Some(example) = asking.get_untracked() {
            load(example);
        }
    };
    let title = move || asking.get().map(|example| example.title).unwrap_or_default();
    view! {
        <label class="toolbar-select">
            <span class="visually-hidden">"Examples"</span>
            <select
                aria-label="Examples"
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    if let Ok(index) = chosen.parse::<usize>() {
                        choose(index);
                    }
                    // Back to the prompt, so the same example can be chosen again.
                    event_target::<web_sys::HtmlSelectElement>(&event).set_value("");
                }
            >
                <option value="" selected>"Examples…"</option>
                {EXAMPLES.iter().enumerate().map(|(index, example)| view! { <option value=index.to_string()>{example.title}</option> }).collect_view()}
            </select>
        </label>
        <Confirm open title="Load this example?" class="load-example" confirm="Load the example" on_confirm=confirm>
            <p>
                "Loading “" {title} "” replaces your models and your console session. "
                "Data kept for other databases stays."
            </p>
        </Confirm>
    }
}

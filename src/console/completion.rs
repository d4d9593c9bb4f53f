//! The list of completions shown when several names match (a listbox the input controls:
//! the arrow keys move through it, Enter or Tab takes one, a click too).

use leptos::prelude::*;

use super::input::Completions;

pub const LIST_ID: &str = "console-completions";

pub fn option_id(index: usize) -> String {
    format!("console-completion-{index}")
}

#[component]
pub fn CompletionList(completions: RwSignal<Option<Completions>>, on_pick: impl Fn(String) + Copy + Send + Sync + 'static) -> impl IntoView {
    // Keep the highlighted option in view when the arrow keys move past the list's edge.
    Effect::new(move || {
        let Some(active) = completions.with(|open| open.as_ref().map(|open| open.active)) else { return };
        let option = web_sys::window().and_then(|window| window.document()).and_then(|document| document.get_element_by_id(&option_id(active)));
        if let Some(option) = option {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            option.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    move || {
        completions.get().map(|open| {
            let options = open
                .candidates
                .into_iter()
                .enumerate()
                .map(|(index, candidate)| {
                    let selected = index == open.active;
                    let picked = candidate.clone();
                    view! {
                        <li
                            role="option"
                            id=option_id(index)
                            aria-selected=selected.to_string()
                            // Keep the focus in the input: pick on mousedown, before blur.
                            on:mousedown=move |event| {
                                event.prevent_default();
                                on_pick(picked.clone());
                            }
                        >
                            {candidate}
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="completions" id=LIST_ID role="listbox" aria-label="Completions">{options}</ul> }
        })
    }
}

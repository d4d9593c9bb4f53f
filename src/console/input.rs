//! The console's input line, `flask shell`-like: Enter runs a complete statement or continues
//! a block on a `...` line (a blank line ends it), Shift+Enter adds a line, Ctrl+Enter runs
//! whatever is there, Up/Down walk the history, Tab completes names and attributes (a list
//! when several match), Ctrl+L clears the output, Escape closes the list (and lets the next
//! Tab leave the input).

use leptos::{ev::KeyboardEvent, html, prelude::*};
use web_sys::HtmlTextAreaElement;

use super::completion::CompletionList;
use super::editing::{byte_index, common_prefix, next_indent, on_enter, utf16_len, word_start, EnterAction};
use crate::workspace::Workspace;

/// Rows the input grows to before it scrolls.
const MAX_ROWS: usize = 12;

/// Open completions: the candidates, the highlighted one, and the byte range they replace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Completions {
    pub candidates: Vec<String>,
    pub active: usize,
    pub replaces: (usize, usize),
}

#[component]
pub fn ConsoleInput(workspace: Workspace, cleared_through: RwSignal<Option<u32>>) -> impl IntoView {
    let text = workspace.draft;
    let input_ref = NodeRef::<html::Textarea>::new();
    let gutter_ref = NodeRef::<html::Pre>::new();
    let completions = RwSignal::new(None::<Completions>);
    // History walk: the position in the history, and the draft it started from.
    let history_position = StoredValue::new(None::<usize>);
    let saved_draft = StoredValue::new(String::new());
    // After Escape, Tab moves focus on instead of completing (no keyboard trap).
    let tab_leaves = StoredValue::new(false);

    // Runs once the input is in the page: from then on the console accepts input.
    Effect::new(move || {
        if let Some(textarea) = input_ref.get() {
            // Focus is a convenience; the page works the same without it.
            let _ = textarea.focus();
            mark_app_ready();
        }
    });

    let run = move |source: String| {
        completions.set(None);
        if source.trim().is_empty() {
            return;
        }
        history_position.set_value(None);
        text.set(String::new());
        workspace.run_console(&source);
    };
    let accept = move |textarea: &HtmlTextAreaElement, choice: &str| {
        let Some(open) = completions.get_untracked() else { return };
        completions.set(None);
        let value = textarea.value();
        let (start, end) = open.replaces;
        if let (Some(before), Some(after)) = (value.get(..start), value.get(end..)) {
            set_text(textarea, text, format!("{before}{choice}{after}"), start + choice.len());
        }
    };
    let complete = move |textarea: &HtmlTextAreaElement, value: &str, cursor: usize| {
        let before = value.get(..cursor).unwrap_or(value);
        let candidates = workspace.completions(before);
        let start = word_start(before);
        let word_len = cursor - start;
        let insert = match candidates.as_slice() {
            [] => return,
            [only] => only.clone(),
            several => common_prefix(several),
        };
        let replaced_to = start + insert.len().max(word_len);
        if insert.len() > word_len {
            let after = value.get(cursor..).unwrap_or("");
            set_text(textarea, text, format!("{}{insert}{after}", &before[..start]), start + insert.len());
        }
        if candidates.len() > 1 {
            completions.set(Some(Completions { candidates, active: 0, replaces: (start, replaced_to) }));
        }
    };
    let walk_history = move |textarea: &HtmlTextAreaElement, older: bool| -> bool {
        let history = workspace.history.get_untracked();
        if history.is_empty() {
            return false;
        }
        let position = match (history_position.get_value(), older) {
            (None, false) => return false,
            (None, true) => {
                saved_draft.set_value(textarea.value());
                history.len() - 1
            }
            (Some(position), true) => position.saturating_sub(1),
            (Some(position), false) => position + 1,
        };
        let recalled = match history.get(position) {
            Some(entry) => {
                history_position.set_value(Some(position));
                entry.trim_end().to_owned()
            }
            None => {
                history_position.set_value(None);
                saved_draft.get_value()
            }
        };
        // Older entries put the cursor on their first line, newer ones on their last, so that
        // the next Up / Down keeps walking.
        let cursor = if older { recalled.find('\n').unwrap_or(recalled.len()) } else { recalled.len() };
        set_text(textarea, text, recalled, cursor);
        true
    };

    let on_key = move |event: KeyboardEvent| {
        let Some(textarea) = input_ref.get_untracked() else { return };
        if event.is_composing() {
            return;
        }
        let key = event.key();
        if let Some(open) = completions.get_untracked() {
            let count = open.candidates.len();
            match key.as_str() {
                "ArrowDown" | "ArrowUp" => {
                    event.prevent_default();
                    let active = if key == "ArrowDown" { (open.active + 1) % count } else { (open.active + count - 1) % count };
                    completions.set(Some(Completions { active, ..open }));
                    return;
                }
                "Enter" | "Tab" => {
                    event.prevent_default();
                    if let Some(choice) = open.candidates.get(open.active) {
                        accept(&textarea, choice);
                    }
                    return;
                }
                "Escape" => {
                    event.prevent_default();
                    completions.set(None);
                    return;
                }
                _ => completions.set(None),
            }
        }
        let plain = !event.ctrl_key() && !event.meta_key() && !event.alt_key();
        let escape_before = tab_leaves.get_value();
        tab_leaves.set_value(key == "Escape");
        let value = textarea.value();
        let start = byte_index(&value, textarea.selection_start().ok().flatten().unwrap_or(0));
        let end = byte_index(&value, textarea.selection_end().ok().flatten().unwrap_or(0));
        match key.as_str() {
            "Enter" if event.ctrl_key() || event.meta_key() => {
                event.prevent_default();
                run(value);
            }
            "Enter" if plain && !event.shift_key() => {
                event.prevent_default();
                let (before, after) = (value.get(..start).unwrap_or(""), value.get(end..).unwrap_or(""));
                if after.trim().is_empty() {
                    match on_enter(before, |source| workspace.input_state(source)) {
                        EnterAction::Run(source) => run(source),
                        EnterAction::NewLine(indent) => set_text(&textarea, text, format!("{before}\n{indent}"), before.len() + 1 + indent.len()),
                    }
                } else {
                    // Inside the text: a new line, as in an editor.
                    let indent = next_indent(before.rsplit('\n').next().unwrap_or(""));
                    set_text(&textarea, text, format!("{before}\n{indent}{after}"), before.len() + 1 + indent.len());
                }
            }
            "Tab" if plain && !event.shift_key() && !escape_before && !value.trim().is_empty() => {
                event.prevent_default();
                let line_before = value.get(..start).unwrap_or("").rsplit('\n').next().unwrap_or("");
                if line_before.trim().is_empty() {
                    let (before, after) = (value.get(..start).unwrap_or(""), value.get(end..).unwrap_or(""));
                    set_text(&textarea, text, format!("{before}    {after}"), start + 4);
                } else {
                    complete(&textarea, &value, start);
                }
            }
            // On the first (last) line, Up (Down) walks the history; elsewhere it moves the cursor.
            "ArrowUp" if plain && !event.shift_key() && !value.get(..start).unwrap_or("").contains('\n') && walk_history(&textarea, true) => {
                event.prevent_default();
            }
            // On the first (last) line, Up (Down) walks the history; elsewhere it moves the cursor.
            "ArrowDown" if plain && !event.shift_key() && !value.get(end..).unwrap_or("").contains('\n') && walk_history(&textarea, false) => {
                event.prevent_default();
            }
            "l" | "L" if event.ctrl_key() && !event.shift_key() && !event.alt_key() => {
                event.prevent_default();
                let last = workspace.commands.with_untracked(|commands| commands.last().map_or(0, |last| last.id));
                cleared_through.set(Some(last));
                workspace.highlighted_command.set(None);
            }
            _ => {}
        }
    };

    let line_count = move || text.with(|text| text.split('\n').count());
    let prompts = move || {
        let lines = line_count();
        let mut prompts = String::from(">>>");
        for _ in 1..lines {
            prompts.push_str("\n...");
        }
        prompts
    };
    let active_option = move || {
        completions.with(|open| open.as_ref().map(|open| super::completion::option_id(open.active)))
    };
    let paused = move || workspace.plan.with(Option::is_some);

    view! {
        <Show when=paused>
            <p class="console-waiting" role="status">
                "Waiting: a flush is paused in step mode. Use Step, Continue or Rollback above the tabs."
            </p>
        </Show>
        <div class="console-input">
            <pre class="prompt-gutter" aria-hidden="true" node_ref=gutter_ref>{prompts}</pre>
            <textarea
                class="code-input"
                node_ref=input_ref
                aria-label="Console"
                aria-describedby="console-keys"
                aria-autocomplete="list"
                aria-controls=move || completions.with(Option::is_some).then_some(super::completion::LIST_ID)
                aria-activedescendant=active_option
                rows=move || line_count().clamp(1, MAX_ROWS)
                spellcheck="false"
                autocapitalize="off"
                autocomplete="off"
                wrap="off"
                placeholder="User.query.all()"
                prop:value=move || text.get()
                on:input=move |event| {
                    completions.set(None);
                    text.set(event_target_value(&event));
                }
                on:keydown=on_key
                on:blur=move |_| completions.set(None)
                on:scroll=move |_| {
                    if let (Some(textarea), Some(gutter)) = (input_ref.get_untracked(), gutter_ref.get_untracked()) {
                        gutter.set_scroll_top(textarea.scroll_top());
                    }
                }
            ></textarea>
            <button type="button" class="primary" on:click=move |_| {
                if let Some(textarea) = input_ref.get_untracked() {
                    run(textarea.value());
                    let _ = textarea.focus();
                }
            }>"Run"</button>
            <CompletionList completions on_pick=move |choice: String| {
                if let Some(textarea) = input_ref.get_untracked() {
                    accept(&textarea, &choice);
                }
            }/>
        </div>
        <p class="note" id="console-keys">
            "Enter runs (a block ends with a blank line) · Shift+Enter new line · Ctrl+Enter runs all · "
            "↑/↓ history · Tab completes (Esc then Tab leaves) · Ctrl+L clears"
        </p>
    }
}

/// Replaces the input's text and puts the cursor at byte `cursor`.
fn set_text(textarea: &HtmlTextAreaElement, text: RwSignal<String>, value: String, cursor: usize) {
    textarea.set_value(&value);
    let position = utf16_len(value.get(..cursor).unwrap_or(&value));
    // Fails only for input types without a selection; a textarea always has one.
    let _ = textarea.set_selection_range(position, position);
    text.set(value);
}

/// Sets the `app-ready` performance mark the load-time measurements use.
fn mark_app_ready() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A failed mark only loses a measurement, never app behaviour.
        let _ = performance.mark("app-ready");
    }
}

//! The models editor: Flask-SQLAlchemy classes, highlighted by the interpreter's own
//! tokenizer, with line numbers and the last error marked where it happened. A transparent
//! textarea lies over the highlighted text, so typing, selection, undo and screen readers are
//! the browser's own. Apply (or Ctrl+S) runs the models; tables whose shape changed are only
//! dropped after the user confirms it.
//!
//! - [`indent`]: what Tab, Shift+Tab and Enter do to the text
//! - [`highlighted`]: the coloured layer under the textarea
//! - [`conflicts`]: the question before tables are dropped and recreated

mod conflicts;
mod highlighted;
pub mod indent;

use leptos::{ev::KeyboardEvent, html, prelude::*};
use sqla_engine::playground::ErrorView;

use self::conflicts::RecreateDialog;
use self::highlighted::{lines_in_view, Highlighted, LINE_HEIGHT_PX, PADDING_PX};
use self::indent::{byte_to_utf16, dedent, indent, newline, utf16_to_byte, Edit};
use crate::shell::Shell;

#[component]
pub fn ModelsEditor(shell: Shell) -> impl IntoView {
    let models = shell.models;
    let textarea = NodeRef::<html::Textarea>::new();
    let problem = RwSignal::new(None::<ErrorView>);
    let conflicts = RwSignal::new(Vec::<String>::new());
    // After Esc, Tab moves focus out as usual: keyboard users are never trapped.
    let escaped = StoredValue::new(false);
    // Where the editor is scrolled, and how tall it is: only those lines are rendered.
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0);
    // Until the editor scrolls (and so is laid out), the window's height bounds its own.
    let viewport = RwSignal::new(web_sys::window().and_then(|window| window.inner_height().ok()).and_then(|height| height.as_f64()).unwrap_or(2000.0));
    let line_count = Memo::new(move |_| models.with(|text| text.split('\n').count()));
    let lines = Memo::new(move |_| lines_in_view(scroll_top.get(), viewport.get(), line_count.get()));

    let apply = move || {
        let applied = shell.apply(false);
        problem.set(applied.run.error);
        conflicts.set(applied.conflicts);
    };
    let recreate = move || {
        let applied = shell.apply(true);
        problem.set(applied.run.error);
        conflicts.set(Vec::new());
    };

    let edit = move |make: fn(&str, usize, usize) -> Edit| {
        let Some(element) = textarea.get_untracked() else { return };
        let text = element.value();
        let start = utf16_to_byte(&text, element.selection_start().ok().flatten().unwrap_or(0));
        let end = utf16_to_byte(&text, element.selection_end().ok().flatten().unwrap_or(0));
        let edit = make(&text, start, end);
        let updated = format!("{}{}{}", &text[..edit.start], edit.replacement, &text[edit.end..]);
        element.set_value(&updated);
        let (from, to) = edit.selection;
        // Only fails on a detached element, where there is no caret to place.
        let _ = element.set_selection_range(byte_to_utf16(&updated, from), byte_to_utf16(&updated, to));
        models.set(updated);
    };
    let on_keydown = move |event: KeyboardEvent| {
        let key = event.key();
        let was_escaped = escaped.get_value();
        escaped.set_value(key == "Escape");
        if (event.ctrl_key() || event.meta_key()) && key.eq_ignore_ascii_case("s") {
            event.prevent_default();
            apply();
        } else if key == "Tab" && !was_escaped && !event.alt_key() && !event.ctrl_key() && !event.meta_key() {
            event.prevent_default();
            edit(if event.shift_key() { dedent } else { indent });
        } else if key == "Enter" && !event.shift_key() && !event.ctrl_key() && !event.is_composing() {
            event.prevent_default();
            edit(newline);
        }
    };

    let size = move || {
        let widest = models.with(|text| text.split('\n').map(|line| line.chars().count()).max().unwrap_or(0));
        format!("height: {}px; width: max(100%, calc({}ch + {}px));", line_count.get() * LINE_HEIGHT_PX + 2 * PADDING_PX, widest + 2, 2 * PADDING_PX)
    };
    // The numbers of the lines in view, as wide as the largest number.
    let gutter_style = move || format!("padding-top: {}px; min-width: calc({}ch + 0.8rem)", lines.get().start * LINE_HEIGHT_PX + PADDING_PX, line_count.get().to_string().len());
    let line_numbers = move || {
        let error_line = problem.with(|problem| problem.as_ref().and_then(|error| error.line));
        let shown = lines.get();
        (shown.start + 1..=shown.end)
            .map(|number| view! { <span class:error-line=error_line == Some(number as u32)>{number}</span> })
            .collect_view()
    };
    let marker = move || {
        problem.get().and_then(|error| error.line.map(|line| (line, error.column))).map(|(line, column)| {
            let top = (line as usize - 1).saturating_mul(LINE_HEIGHT_PX) + PADDING_PX;
            let caret = column.map(|column| {
                let left = format!("left: calc({}ch + {PADDING_PX}px)", column.saturating_sub(1));
                view! { <span class="error-caret" style=left></span> }
            });
            view! {
                <div class="error-line-mark" style=format!("top: {top}px; height: {LINE_HEIGHT_PX}px")>{caret}</div>
            }
        })
    };
    let message = move || {
        problem.get().map(|error| {
            let place = match (error.line, error.column) {
                (Some(line), Some(column)) => format!("Line {line}, column {column}: "),
                (Some(line), None) => format!("Line {line}: "),
                _ => String::new(),
            };
            view! {
                <div class="editor-problem" role="alert">
                    <p class="error">{place}{error.type_name.clone()}": "{error.message.clone()}</p>
                    <details>
                        <summary>"Traceback"</summary>
                        <pre class="error">{error.traceback.clone()}</pre>
                    </details>
                </div>
            }
        })
    };

    view! {
        <section class="panel models-editor" aria-labelledby="models-heading">
            <div class="panel-head">
                <h2 id="models-heading">"Models"</h2>
                <span class="note">"Ctrl+S applies · Esc then Tab leaves the editor"</span>
                <button type="button" on:click=move |_| apply()>"Apply"</button>
            </div>
            <div
                class="editor-scroll"
                node_ref=scroller
                on:scroll=move |_| {
                    if let Some(element) = scroller.get_untracked() {
                        scroll_top.set(f64::from(element.scroll_top()));
                        viewport.set(f64::from(element.client_height()));
                    }
                }
            >
                <div class="editor-lines">
                    <div class="gutter" aria-hidden="true" style=gutter_style>{line_numbers}</div>
                    <div class="editor-code" style=size>
                        // Under the text: the mark must not dim what it marks.
                        {marker}
                        <Highlighted source=models lines/>
                        <textarea
                            node_ref=textarea
                            aria-label="Models"
                            aria-describedby="models-help"
                            wrap="off"
                            spellcheck="false"
                            autocomplete="off"
                            autocapitalize="off"
                            placeholder="class User(db.Model): ..."
                            prop:value=move || models.get()
                            on:input=move |event| models.set(event_target_value(&event))
                            on:keydown=on_keydown
                        ></textarea>
                    </div>
                </div>
            </div>
            <p id="models-help" class="visually-hidden">
                "Tab indents, Shift+Tab dedents. Press Escape, then Tab, to leave the editor. Ctrl+S applies the models."
            </p>
            {message}
            <RecreateDialog shell conflicts on_confirm=recreate/>
        </section>
    }
}

//! The console: a `flask shell`-like REPL over the models' namespace. Entries (inputs and the
//! session buttons' commands) with what they printed and their tracebacks, newest at the
//! bottom, after the inputs of a restored saved session; the input below them.
//!
//! - [`command`]: a command and the summary of the SQL it sent
//! - [`entry`]: one entry as shown
//! - [`input`]: the input and its keys; [`editing`]: its text rules
//! - [`completion`]: the list of completions

pub mod command;
mod completion;
mod editing;
pub mod entry;
mod input;

use leptos::{html, prelude::*};

use crate::workspace::Workspace;
use command::CommandSource;
use entry::{entry_id, EntryView, RestoredSession};
use input::ConsoleInput;

#[component]
pub fn Console(workspace: Workspace) -> impl IntoView {
    // Ctrl+L hides the restored session and the entries up to this command (they stay in
    // the SQL log and the history).
    let cleared_through = RwSignal::new(None::<u32>);
    let output_ref = NodeRef::<html::Div>::new();

    let shown = move || {
        let cleared = cleared_through.get().unwrap_or(0);
        workspace.commands.with(|commands| {
            commands
                .iter()
                .filter(|command| command.id > cleared && !matches!(command.source, CommandSource::Models))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let restored = move || {
        let inputs = workspace.restored.get();
        (cleared_through.get().is_none() && !inputs.is_empty()).then(|| view! { <RestoredSession inputs/> })
    };
    // Keep the newest entry in view.
    Effect::new(move || {
        workspace.commands.track();
        if let Some(output) = output_ref.get() {
            output.set_scroll_top(output.scroll_height());
        }
    });
    // Show the entry the SQL log links to.
    Effect::new(move || {
        let Some(command) = workspace.highlighted_command.get() else { return };
        let entry = web_sys::window().and_then(|window| window.document()).and_then(|document| document.get_element_by_id(&entry_id(command)));
        if let Some(entry) = entry {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            entry.scroll_into_view_with_scroll_into_view_options(&options);
            if let Ok(entry) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(entry) {
                let _ = entry.focus();
            }
        }
    });

    view! {
        <section class="panel console" aria-labelledby="console-heading">
            <h2 id="console-heading">"Console"</h2>
            <div class="console-output" role="log" aria-label="Console output" node_ref=output_ref>
                {restored}
                <For each=shown key=|command| command.id let:command>
                    <EntryView command workspace/>
                </For>
            </div>
            <ConsoleInput workspace cleared_through/>
        </section>
    }
}

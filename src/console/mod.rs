//! The console: type Python, run it in the models' namespace, see what it printed and any
//! traceback, newest at the bottom.

use std::sync::Arc;

use leptos::{ev::KeyboardEvent, html, prelude::*};
use sqla_engine::playground::RunResult;

use crate::workspace::Workspace;

/// One run: what was typed and what came back.
struct Entry {
    id: usize,
    input: String,
    run: RunResult,
}

#[component]
pub fn Console(workspace: Workspace) -> impl IntoView {
    // Shared so that listing the entries does not copy their results.
    let entries = RwSignal::new(Vec::<Arc<Entry>>::new());
    let input = RwSignal::new(String::new());
    let input_ref = NodeRef::<html::Textarea>::new();
    let output_ref = NodeRef::<html::Div>::new();

    // Runs once the input is in the page: from then on the console accepts input.
    Effect::new(move || {
        if let Some(textarea) = input_ref.get() {
            // Focus is a convenience; the page works the same without it.
            let _ = textarea.focus();
            mark_app_ready();
        }
    });
    // Keep the newest output in view.
    Effect::new(move || {
        entries.track();
        if let Some(output) = output_ref.get() {
            output.set_scroll_top(output.scroll_height());
        }
    });

    let run = move || {
        let source = input.get_untracked();
        if source.trim().is_empty() {
            return;
        }
        let run = workspace.run_console(&source);
        entries.update(|entries| {
            let id = entries.len();
            entries.push(Arc::new(Entry { id, input: source, run }));
        });
        input.set(String::new());
    };
    let on_keydown = move |event: KeyboardEvent| {
        // Enter that confirms an input method's composition is not a run.
        if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
            event.prevent_default();
            run();
        }
    };

    view! {
        <section class="panel console" aria-labelledby="console-heading">
            <h2 id="console-heading">"Console"</h2>
            <div class="console-output" role="log" node_ref=output_ref>
                <For each=move || entries.get() key=|entry| entry.id let:entry>
                    <EntryView entry/>
                </For>
            </div>
            <div class="console-input">
                <span class="prompt" aria-hidden="true">">>>"</span>
                <textarea
                    class="code-input"
                    node_ref=input_ref
                    aria-label="Python to run"
                    rows="3"
                    spellcheck="false"
                    placeholder="User.query.all()"
                    prop:value=move || input.get()
                    on:input=move |event| input.set(event_target_value(&event))
                    on:keydown=on_keydown
                ></textarea>
                <button type="button" on:click=move |_| run()>"Run"</button>
            </div>
            <p class="note">"Enter runs; Shift+Enter starts a new line."</p>
        </section>
    }
}

#[component]
fn EntryView(entry: Arc<Entry>) -> impl IntoView {
    let output = (!entry.run.output.is_empty()).then(|| view! { <pre class="output">{entry.run.output.clone()}</pre> });
    let error = entry.run.error.as_ref().map(|error| view! { <pre class="error" role="alert">{error.traceback.clone()}</pre> });
    view! {
        <div class="entry">
            <pre class="echo"><span class="prompt">">>> "</span>{entry.input.clone()}</pre>
            {output}
            {error}
        </div>
    }
}

/// Sets the `app-ready` performance mark the load-time measurements use.
fn mark_app_ready() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A failed mark only loses a measurement, never app behaviour.
        let _ = performance.mark("app-ready");
    }
}

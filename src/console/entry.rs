//! One console entry: the input with its `>>>` / `...` prompts (the failing line marked), what
//! it printed, its traceback, and how many queries it sent (with an N+1 hint).

use std::sync::Arc;

use leptos::prelude::*;

use super::command::{Command, CommandSource, QueryStats};
use crate::workspace::Workspace;

/// The element id of a command's entry (the SQL log links to it).
pub fn entry_id(command: u32) -> String {
    format!("console-entry-{command}")
}

#[component]
pub fn EntryView(command: Arc<Command>, workspace: Workspace) -> impl IntoView {
    let id = command.id;
    let failing_line = command.error.as_ref().and_then(|error| error.line);
    let echo = match &command.source {
        CommandSource::Console(input) => input_lines(input, failing_line).into_any(),
        CommandSource::Button(action) => view! {
            <span class="action-label">{format!("[{} button]", action.label())}</span>
            <span class="comment">{format!("  # db.session.{}()", action.method())}</span>
        }
        .into_any(),
        CommandSource::Stepper(action) => view! {
            <span class="action-label">{format!("[Stepper: {}]", action.label())}</span>
        }
        .into_any(),
        CommandSource::Models => view! { <span class="action-label">"[Apply models]"</span> }.into_any(),
    };
    let output = (!command.output.is_empty()).then(|| view! { <pre class="output">{command.output.clone()}</pre> });
    let error = command.error.as_ref().map(|error| {
        view! {
            <pre class="error traceback" role="alert">{error.traceback.clone()}</pre>
        }
    });
    let paused = command.paused_steps.map(|steps| {
        let plan = if steps == 1 { "1 step".to_owned() } else { format!("{steps} steps") };
        view! {
            <p class="note paused-note">
                {format!("Paused in step mode: the flush plan ({plan}) waits for Step, Continue or Rollback.")}
            </p>
        }
    });
    let stats = stats_view(&command.stats);
    view! {
        <div
            class="entry"
            id=entry_id(id)
            tabindex="-1"
            class:highlighted=move || workspace.highlighted_command.get() == Some(id)
        >
            <pre class="echo">{echo}</pre>
            {output}
            {error}
            {paused}
            {stats}
        </div>
    }
}

/// The input as the shell echoes it: `>>> ` before the first line, `... ` before the others.
fn input_lines(input: &str, failing_line: Option<u32>) -> impl IntoView {
    input
        .trim_end_matches('\n')
        .split('\n')
        .enumerate()
        .map(|(index, line)| {
            let prompt = if index == 0 { ">>> " } else { "... " };
            let text = format!("{line}\n");
            if failing_line == Some(index as u32 + 1) {
                view! {
                    <span class="prompt">{prompt}</span>
                    <mark class="failing-line" title="The error happened on this line">{text}</mark>
                }
                .into_any()
            } else {
                view! { <span class="prompt">{prompt}</span><span>{text}</span> }.into_any()
            }
        })
        .collect_view()
}

fn stats_view(stats: &QueryStats) -> Option<impl IntoView> {
    if stats.queries == 0 {
        return None;
    }
    let count = if stats.queries == 1 { "1 query".to_owned() } else { format!("{} queries", stats.queries) };
    let hint = stats.repeated_select.as_ref().map(|repeated| {
        view! {
            <span class="n-plus-one">
                {format!("N+1? The same SELECT ran {} times (see the SQL tab).", repeated.count)}
            </span>
        }
    });
    Some(view! {
        <p class="entry-meta">
            <span class="query-count">{count}</span>
            {hint}
        </p>
    })
}

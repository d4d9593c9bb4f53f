//! One console entry: the input with its `>>>` / `...` prompts (the failing line marked), what
//! it printed, its traceback, and how many queries it sent (with an N+1 hint). And the inputs
//! of a restored saved session, which have only their echo.

use std::sync::Arc;

use leptos::prelude::*;
use sqla_engine::playground::ConsoleInput;

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

/// The inputs of the saved session the page restored, marked as such: their output was not
/// kept (nothing is invented), and what they left in Python variables is gone, while
/// committed data came back. They are in the history, so ↑ recalls them.
#[component]
pub fn RestoredSession(inputs: Vec<ConsoleInput>) -> impl IntoView {
    let count = if inputs.len() == 1 { "1 input".to_owned() } else { format!("{} inputs", inputs.len()) };
    let entries = inputs
        .into_iter()
        .map(|input| {
            let failed = input.failed.then(|| view! { <p class="note restored-failed">"This input raised an exception."</p> });
            view! {
                <div class="entry restored">
                    <pre class="echo">{input_lines(&input.source, None)}</pre>
                    {failed}
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="restored-session" aria-labelledby="restored-heading">
            <h3 id="restored-heading" class="restored-heading">{format!("Restored from your saved session: {count}")}</h3>
            <p class="note">
                "They ran before this page was reloaded. Their output was not kept, and the variables "
                "they set are gone; committed data was kept. ↑ recalls them."
            </p>
            {entries}
            <p class="restored-end">"This session"</p>
        </section>
    }
}

/// An echo longer than this many lines shows its start, its end and the failing line, with
/// the lines between them elided until the user asks for all of them: a pasted script of
/// thousands of lines would otherwise fill the console (and the page) with copies of itself.
const ECHO_LINES: usize = 40;
/// Lines shown at the end of an elided echo, and around its failing line.
const ECHO_TAIL: usize = 5;
const ECHO_CONTEXT: usize = 2;

/// The input as the shell echoes it: `>>> ` before the first line, `... ` before the others.
fn input_lines(input: &str, failing_line: Option<u32>) -> impl IntoView {
    let lines: Vec<String> = input.trim_end_matches('\n').split('\n').map(str::to_owned).collect();
    let failing = failing_line.map(|line| line as usize);
    if lines.len() <= ECHO_LINES {
        return echo_lines(&lines, 0..lines.len(), failing).into_any();
    }
    let shown = shown_lines(lines.len(), failing);
    let expanded = RwSignal::new(false);
    let lines = StoredValue::new(lines);
    let echo = move || {
        if expanded.get() {
            return lines.with_value(|lines| echo_lines(lines, 0..lines.len(), failing)).into_any();
        }
        let mut parts = Vec::new();
        let mut next = 0;
        for range in &shown {
            if range.start > next {
                parts.push(elided(range.start - next).into_any());
            }
            parts.push(lines.with_value(|lines| echo_lines(lines, range.clone(), failing)).into_any());
            next = range.end;
        }
        let count = lines.with_value(Vec::len);
        view! {
            {parts}
            <button type="button" class="show-all-lines" on:click=move |_| expanded.set(true)>
                {format!("Show all {count} lines")}
            </button>
        }
        .into_any()
    };
    echo.into_any()
}

/// The ranges of lines (from 0) an elided echo of `count` lines shows: the start, the lines
/// around the failing one (numbered from 1), the end; in order, merged where they touch.
fn shown_lines(count: usize, failing: Option<usize>) -> Vec<std::ops::Range<usize>> {
    let head = ECHO_LINES - ECHO_TAIL - 2 * ECHO_CONTEXT - 1;
    let around_failing = failing.filter(|line| (1..=count).contains(line)).map(|line| (line - 1).saturating_sub(ECHO_CONTEXT)..(line + ECHO_CONTEXT).min(count));
    let mut ranges: Vec<std::ops::Range<usize>> = [Some(0..head.min(count)), around_failing, Some(count.saturating_sub(ECHO_TAIL)..count)].into_iter().flatten().collect();
    ranges.sort_by_key(|range| range.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

fn elided(count: usize) -> impl IntoView {
    let text = if count == 1 { "... (1 more line)\n".to_owned() } else { format!("... ({count} more lines)\n") };
    view! { <span class="elided-lines">{text}</span> }
}

/// Lines `range` of the input (from 0), each with its prompt, the failing one marked.
fn echo_lines(lines: &[String], range: std::ops::Range<usize>, failing_line: Option<usize>) -> impl IntoView {
    let start = range.start;
    lines
        .get(range)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(offset, line)| {
            let index = start + offset;
            let prompt = if index == 0 { ">>> " } else { "... " };
            let text = format!("{line}\n");
            if failing_line == Some(index + 1) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_echo_shows_its_start_its_end_and_the_failing_line() {
        assert_eq!(shown_lines(1000, None), vec![0..30, 995..1000]);
        assert_eq!(shown_lines(1000, Some(500)), vec![0..30, 497..502, 995..1000]);
        // Near the start or the end, the ranges merge.
        assert_eq!(shown_lines(1000, Some(31)), vec![0..33, 995..1000]);
        assert_eq!(shown_lines(1000, Some(999)), vec![0..30, 995..1000]);
        assert_eq!(shown_lines(41, Some(1)), vec![0..30, 36..41]);
    }
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

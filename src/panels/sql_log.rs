//! The SQL log: every statement that ran, grouped by transaction (savepoints nested), each
//! run of statements headed by the console entry that sent it (a link to it), its query count
//! and an N+1 hint; shown as SQLAlchemy's echo or as what GlueSQL ran; copy and clear.

use std::sync::Arc;

use leptos::{html, prelude::*};
use sqla_engine::playground::events::SqlEventKind;
use sqla_engine::playground::SqlEvent;

use super::sql_groups::{group, similar_runs, Block, CommandRun, LogNode};
use crate::console::command::{Command, CommandSource, N_PLUS_ONE_THRESHOLD};
use crate::console::entry::entry_id;
use crate::workspace::Workspace;

/// Which rendering of each statement the log shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rendering {
    /// What SQLAlchemy's echo logs: `?` parameters and the parameter line.
    Echo,
    /// The statement GlueSQL executed: literal values, explicit ids, batched rows.
    Glue,
}

/// Folded: runs of this many statements with the same text (a bulk insert's rows)...
const FOLD_FROM: usize = 8;
/// ...show their first few and last one; "Show more" adds this many at a time.
const FOLD_HEAD: usize = 3;
const SHOW_MORE: usize = 200;

#[derive(Clone, Copy)]
struct LogContext {
    workspace: Workspace,
    rendering: RwSignal<Rendering>,
}

#[component]
pub fn SqlLog(workspace: Workspace) -> impl IntoView {
    let rendering = RwSignal::new(Rendering::Echo);
    // Clearing restarts the indices the nodes are keyed by.
    let epoch = RwSignal::new(0u32);
    let copied = RwSignal::new(None::<String>);
    let context = LogContext { workspace, rendering };
    let section = NodeRef::<html::Section>::new();
    // The newest statements are at the bottom: keep them in view as commands run (the log
    // scrolls on its own, under the preview).
    Effect::new(move || {
        workspace.sql_log.with(Vec::len);
        if let Some(scroller) = section.get() {
            scroller.set_scroll_top(scroller.scroll_height());
        }
    });
    let nodes = Memo::new(move |_| workspace.sql_log.with(|log| group(log)));
    let keyed = move || {
        let epoch = epoch.get();
        nodes.get().into_iter().map(|node| ((epoch, node.span()), node)).collect::<Vec<_>>()
    };
    let toggle = move |choice: Rendering, label: &'static str| {
        view! {
            <button
                type="button"
                aria-pressed=move || (rendering.get() == choice).to_string()
                on:click=move |_| rendering.set(choice)
            >
                {label}
            </button>
        }
    };
    let copy = move |_| {
        let text = workspace.sql_log.with_untracked(|log| log_text(log, rendering.get_untracked()));
        copy_to_clipboard(text, copied);
    };
    let clear = move |_| {
        workspace.sql_log.set(Vec::new());
        epoch.update(|epoch| *epoch += 1);
        copied.set(None);
    };
    view! {
        <section class="sql-log-panel" aria-labelledby="sql-log-heading" node_ref=section>
            <div class="log-toolbar">
                <h3 id="sql-log-heading">"Log"</h3>
                <div class="segmented" role="group" aria-label="Statements shown as">
                    {toggle(Rendering::Echo, "SQLAlchemy echo")}
                    {toggle(Rendering::Glue, "GlueSQL ran")}
                </div>
                <button type="button" on:click=copy>"Copy"</button>
                <button type="button" on:click=clear>"Clear"</button>
                <span class="note copy-status" role="status">{move || copied.get()}</span>
            </div>
            <p class="note rendering-note">
                {move || match rendering.get() {
                    Rendering::Echo => "As SQLAlchemy's echo logs them on SQLite: ? placeholders and the parameter line.",
                    Rendering::Glue => "As GlueSQL ran them: literal values, the ids the playground assigned, rows of one INSERT batched.",
                }}
            </p>
            <Show
                when=move || workspace.sql_log.with(|log| !log.is_empty())
                fallback=|| view! { <p class="note">"No statements have run yet."</p> }
            >
                <ol class="sql-log">
                    <For each=keyed key=|(key, _)| *key let:((_, node))>
                        <NodeView node context/>
                    </For>
                </ol>
            </Show>
        </section>
    }
}

#[component]
fn NodeView(node: LogNode, context: LogContext) -> impl IntoView {
    match node {
        LogNode::Block(block) => view! { <BlockView block context/> }.into_any(),
        LogNode::Run(run) => view! { <RunView run context/> }.into_any(),
    }
}

#[component]
fn BlockView(block: Block, context: LogContext) -> impl IntoView {
    let kind = if block.savepoint { "savepoint" } else { "transaction" };
    let outcome = block.end.and_then(|end| event(context, end)).map(|end| match end.kind {
        SqlEventKind::Commit => "committed",
        SqlEventKind::ReleaseSavepoint => "released",
        _ => "rolled back",
    });
    let state = outcome.unwrap_or("open");
    let children = block.children.into_iter().map(|node| view! { <NodeView node context/> }).collect_view();
    let end = block.end.map(|end| view! { <BoundaryLine index=end context/> });
    view! {
        <li class=format!("{kind} {}", state.replace(' ', "-")) aria-label=format!("{kind}, {state}")>
            <BoundaryLine index=block.begin context/>
            <ol class="block-body">{children}</ol>
            {end}
        </li>
    }
}

/// BEGIN, COMMIT, ROLLBACK, SAVEPOINT...: the playground handles these itself (a snapshot of
/// the tables), so GlueSQL never sees them.
#[component]
fn BoundaryLine(index: usize, context: LogContext) -> impl IntoView {
    let Some(event) = event(context, index) else { return ().into_any() };
    let rendering = context.rendering;
    view! {
        <div class="boundary">
            <code>{event.echo.clone()}</code>
            <Show when=move || rendering.get() == Rendering::Glue>
                <span class="note">" (not sent to GlueSQL: the playground snapshots the tables)"</span>
            </Show>
        </div>
    }
    .into_any()
}

#[component]
fn RunView(run: CommandRun, context: LogContext) -> impl IntoView {
    let command = context.workspace.commands.with_untracked(|commands| find_command(commands, run.command));
    let head = command.map(|command| view! { <RunHead command run=run.clone() context/> });
    let statements = context.workspace.sql_log.with_untracked(|log| similar_runs(log, &run.events));
    let body = statements
        .into_iter()
        .map(|(start, end)| {
            let indices = run.events.get(start..end).unwrap_or_default().to_vec();
            if indices.len() >= FOLD_FROM {
                view! { <FoldedStatements indices context/> }.into_any()
            } else {
                indices.into_iter().map(|index| view! { <StatementView index context/> }).collect_view().into_any()
            }
        })
        .collect_view();
    view! {
        <li class="command-run">
            {head}
            <ol class="statements">{body}</ol>
        </li>
    }
}

/// The console entry a run of statements came from, with its query count and N+1 hint.
#[component]
fn RunHead(command: Arc<Command>, run: CommandRun, context: LogContext) -> impl IntoView {
    let workspace = context.workspace;
    let id = command.id;
    let summary = format!("[{id}] {}", command.source.summary());
    let label = match command.source {
        CommandSource::Models => view! { <span class="command-label">{summary}</span> }.into_any(),
        _ => view! {
            <a
                class="command-label"
                href=format!("#{}", entry_id(id))
                title="Show this console entry"
                on:click=move |event| {
                    event.prevent_default();
                    workspace.highlighted_command.set(Some(id));
                }
            >
                {summary}
            </a>
        }
        .into_any(),
    };
    let queries = command.stats.queries;
    let count = format!("{queries} {} in this command", if queries == 1 { "query" } else { "queries" });
    let hint = command.stats.repeated_select.clone().filter(|repeated| {
        workspace.sql_log.with_untracked(|log| run.events.iter().any(|index| log.get(*index).is_some_and(|event| event.echo == repeated.sql)))
    });
    let hint = hint.map(|repeated| {
        view! {
            <p class="n-plus-one" role="note">
                <strong>"Possible N+1 queries: "</strong>
                {format!(
                    "this command sent the same SELECT {} times with different parameters. {} or more \
                     identical SELECTs in one command usually mean a relationship lazy-loads once per \
                     object in a loop; load it with the query instead: .options(selectinload(...)) or \
                     joinedload(...), or lazy='selectin' on the relationship.",
                    repeated.count, N_PLUS_ONE_THRESHOLD
                )}
            </p>
        }
    });
    view! {
        <div class="run-head">
            {label}
            <span class="query-count">{count}</span>
            {hint}
        </div>
    }
}

/// Many statements with the same text: the first few, a button for more, the last one.
#[component]
fn FoldedStatements(indices: Vec<usize>, context: LogContext) -> impl IntoView {
    let shown = RwSignal::new(FOLD_HEAD);
    let total = indices.len();
    let last = indices.last().copied();
    move || {
        let visible = shown.get().min(total.saturating_sub(1));
        let hidden = total - 1 - visible;
        let head = indices.iter().take(visible).map(|index| view! { <StatementView index=*index context/> }).collect_view();
        let more = (hidden > 0).then(|| {
            view! {
                <li class="folded">
                    <button type="button" on:click=move |_| shown.update(|shown| *shown += SHOW_MORE)>
                        {format!("Show {} more of {hidden} similar statements", hidden.min(SHOW_MORE))}
                    </button>
                </li>
            }
        });
        let tail = last.map(|index| view! { <StatementView index context/> });
        view! { {head}{more}{tail} }
    }
}

#[component]
fn StatementView(index: usize, context: LogContext) -> impl IntoView {
    let Some(event) = event(context, index) else { return ().into_any() };
    let event = Arc::new(event);
    let rendering = context.rendering;
    let failed = event.error.is_some();
    let reason = (event.reason != "query").then(|| view! { <span class=format!("reason reason-{}", event.reason.replace(' ', "-"))>{event.reason}</span> });
    let rows = event.rows.map(|rows| view! { <span class="rows">{if rows == 1 { "1 row".to_owned() } else { format!("{rows} rows") }}</span> });
    let time = view! { <span class="time">{format!("{:.2} ms", event.duration_ms)}</span> };
    let error = event.error.clone().map(|error| view! { <span class="failed-tag">{error}</span> });
    let sql = move || match rendering.get() {
        Rendering::Echo => view! {
            <pre class="sql"><code>{event.echo.clone()}</code></pre>
            {(!event.params.is_empty()).then(|| view! { <pre class="params">{event.params.clone()}</pre> })}
        }
        .into_any(),
        Rendering::Glue => glue_view(&event).into_any(),
    };
    view! {
        <li class="stmt" class:failed=failed>
            <div class="stmt-meta">{reason}{rows}{time}</div>
            {sql}
            {error}
        </li>
    }
    .into_any()
}

/// The statement GlueSQL ran; rows of one batch show it once, on the first row.
fn glue_view(event: &SqlEvent) -> impl IntoView {
    match (&event.executed, event.batch) {
        (Some(_), Some((_, position, _))) if position > 1 => {
            view! { <p class="note">{format!("Row {position} of the batched statement above.")}</p> }.into_any()
        }
        (Some(executed), batch) => {
            let batched = batch.map(|(_, _, size)| view! { <p class="note">{format!("One statement for {size} rows.")}</p> });
            view! { <pre class="sql"><code>{executed.to_string()}</code></pre>{batched} }.into_any()
        }
        (None, _) => view! { <p class="note">"Nothing sent to GlueSQL for this statement."</p> }.into_any(),
    }
}

fn event(context: LogContext, index: usize) -> Option<SqlEvent> {
    context.workspace.sql_log.with_untracked(|log| log.get(index).cloned())
}

/// Commands are numbered in order: a binary search finds one.
fn find_command(commands: &[Arc<Command>], id: u32) -> Option<Arc<Command>> {
    commands.binary_search_by_key(&id, |command| command.id).ok().and_then(|position| commands.get(position)).cloned()
}

/// The whole log as text, in the rendering shown.
fn log_text(log: &[SqlEvent], rendering: Rendering) -> String {
    let mut lines = Vec::new();
    for event in log {
        match rendering {
            Rendering::Echo => lines.push(event.echo_text()),
            Rendering::Glue => match (&event.executed, event.batch) {
                (Some(_), Some((_, position, _))) if position > 1 => {}
                (Some(executed), _) => lines.push(format!("{executed};")),
                (None, _) => {}
            },
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Copies to the clipboard and says how it went.
fn copy_to_clipboard(text: String, status: RwSignal<Option<String>>) {
    let Some(window) = web_sys::window() else { return };
    let lines = text.lines().count();
    let promise = window.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let message = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => format!("Copied {lines} lines."),
            Err(_) => "The browser did not allow copying to the clipboard.".to_owned(),
        };
        status.try_set(Some(message));
    });
}

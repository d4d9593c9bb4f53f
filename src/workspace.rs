//! The app's state over the engine: runs console input and models through the
//! `Playground` façade and keeps the snapshots the panels display.

use std::sync::Arc;

use leptos::prelude::*;
use sqla_engine::db::{RowView, RowsPage, TableView};
use sqla_engine::playground::preview::Preview;
use sqla_engine::playground::stepper::PlanView;
use sqla_engine::playground::views::{SchemaView, SessionView};
use sqla_engine::playground::{ApplyResult, ConsoleInput, InputState, Playground, RunResult, SqlEvent};

use crate::console::command::{Command, CommandSource, QueryStats, SessionAction, StepAction};

/// Shared by the panels; `Copy` because it only holds reactive handles.
#[derive(Clone, Copy)]
pub struct Workspace {
    // Local storage: the engine is only ever used from the page's one thread.
    playground: StoredValue<Playground, LocalStorage>,
    /// Every SQL event, oldest first.
    pub sql_log: RwSignal<Vec<SqlEvent>>,
    /// The tables of the database in use, as of the last run.
    pub tables: RwSignal<Vec<TableView>>,
    /// The console inputs that ran, oldest first (for history, sharing and export).
    pub history: RwSignal<Vec<String>>,
    /// The inputs of the saved session this page restored (they ran before the reload; only
    /// their sources were kept), shown at the top of the console.
    pub restored: RwSignal<Vec<ConsoleInput>>,
    /// Every command that ran (console inputs, buttons, models), oldest first.
    pub commands: RwSignal<Vec<Arc<Command>>>,
    /// The console input as it is being typed (for the live SQL preview).
    pub draft: RwSignal<String>,
    /// Counts runs: views computed on demand (session, rows, schema) track it.
    pub revision: RwSignal<u64>,
    /// Step mode is on: commits and flushes pause before they run.
    pub step_mode: RwSignal<bool>,
    /// The flush paused in step mode, waiting for Step / Continue / Rollback.
    pub plan: RwSignal<Option<PlanView>>,
    /// The console entry the SQL log asked to show.
    pub highlighted_command: RwSignal<Option<u32>>,
}

impl Workspace {
    pub fn new(mut playground: Playground) -> Self {
        let tables = playground.tables();
        Self {
            playground: StoredValue::new_local(playground),
            sql_log: RwSignal::new(Vec::new()),
            tables: RwSignal::new(tables),
            history: RwSignal::new(Vec::new()),
            restored: RwSignal::new(Vec::new()),
            commands: RwSignal::new(Vec::new()),
            draft: RwSignal::new(String::new()),
            revision: RwSignal::new(0),
            step_mode: RwSignal::new(false),
            plan: RwSignal::new(None),
            highlighted_command: RwSignal::new(None),
        }
    }

    /// Runs one console input; it becomes a console entry. Its SQL events move to `sql_log`.
    pub fn run_console(&self, input: &str) -> RunResult {
        let mut run = self.with_playground(|playground| playground.run_console(input)).unwrap_or_default();
        self.history.update(|history| history.push(input.to_owned()));
        self.record(&mut run, CommandSource::Console(input.to_owned()));
        run
    }

    /// Runs the models source as the module `app`.
    pub fn apply_models(&self, source: &str) -> ApplyResult {
        self.apply_models_recreating(source, false)
    }

    // `None` only once the app is torn down, when there is nothing to run.
    fn with_playground<T>(&self, f: impl FnOnce(&mut Playground) -> T) -> Option<T> {
        self.playground.try_update_value(f)
    }

    /// Keeps what a run did: its command (numbered for the page's lifetime, as are its SQL
    /// events), the SQL log, the tables, the paused flush; then tells the views.
    fn record(&self, run: &mut RunResult, source: CommandSource) {
        let id = self.commands.with_untracked(|commands| commands.last().map_or(1, |last| last.id + 1));
        run.entry = id;
        for event in &mut run.events {
            event.entry = id;
        }
        let paused = run.paused.clone().filter(|plan| !plan.steps.is_empty());
        self.commands.update(|commands| {
            commands.push(Arc::new(Command {
                id,
                source,
                output: run.output.clone(),
                error: run.error.clone(),
                paused_steps: paused.as_ref().map(|plan| plan.steps.len()),
                stats: QueryStats::of(&run.events),
            }))
        });
        if !run.events.is_empty() {
            // Moved, not copied: a bulk insert logs one event per row.
            let events = std::mem::take(&mut run.events);
            self.sql_log.update(|log| log.extend(events));
        }
        if let Some(tables) = self.with_playground(|playground| playground.tables()) {
            self.tables.set(tables);
        }
        let still_paused = self.with_playground(|playground| playground.plan()).flatten();
        self.plan.set(paused.or(still_paused));
        self.revision.update(|revision| *revision += 1);
    }
}

/// The console's and the panels' questions to the engine (ui-panels).
impl Workspace {
    /// Whether the console input can run, needs more lines, or cannot parse.
    pub fn input_state(&self, input: &str) -> InputState {
        self.with_playground(|playground| playground.input_state(input)).unwrap_or(InputState::Complete)
    }

    /// Names, attributes and methods that complete the text before the cursor.
    pub fn completions(&self, before_cursor: &str) -> Vec<String> {
        self.with_playground(|playground| playground.completions(before_cursor)).unwrap_or_default()
    }

    /// The SQL the input would send, compiled without running it.
    pub fn preview_sql(&self, input: &str) -> Option<Preview> {
        self.with_playground(|playground| playground.preview_sql(input))
    }

    /// The session of `db`, with at most `limit` tracked objects described in full.
    pub fn session_view(&self, limit: usize) -> SessionView {
        self.with_playground(|playground| playground.session_view_limited(limit)).unwrap_or_default()
    }

    /// The models' tables and relationships.
    pub fn schema(&self) -> SchemaView {
        self.with_playground(|playground| playground.schema()).unwrap_or_default()
    }

    /// `limit` rows of a table from `offset`, sorted by `(column, descending)` if given.
    pub fn rows_page(&self, table: &str, offset: usize, limit: usize, sort: Option<(&str, bool)>) -> Option<RowsPage> {
        self.with_playground(|playground| playground.rows_page(table, offset, limit, sort)).flatten()
    }

    /// Rows of a table the open transaction deleted.
    pub fn deleted_rows(&self, table: &str) -> Vec<RowView> {
        self.with_playground(|playground| playground.deleted_rows(table)).unwrap_or_default()
    }

    /// A session button: the same as calling the method on `db.session` at the console
    /// (a commit or flush pauses in step mode); Rollback also abandons a paused flush.
    pub fn session_button(&self, action: SessionAction) {
        let paused = self.plan.get_untracked().is_some();
        let mut run = if paused && action == SessionAction::Rollback {
            self.with_playground(|playground| playground.abort_flush())
        } else {
            self.with_playground(|playground| playground.session_button(action.method()))
        }
        .unwrap_or_default();
        self.record(&mut run, CommandSource::Button(action));
    }

    /// Step or Continue the paused flush.
    pub fn step(&self, action: StepAction) {
        let mut run = self
            .with_playground(|playground| match action {
                StepAction::Step => playground.step(),
                StepAction::Continue => playground.continue_flush(),
            })
            .unwrap_or_default();
        self.record(&mut run, CommandSource::Stepper(action));
    }

    /// Turns step mode on or off (a paused flush stays paused until resolved).
    pub fn set_step_mode(&self, on: bool) {
        self.with_playground(|playground| playground.set_step_mode(on));
        self.step_mode.set(on);
    }
}

// ui-shell: what the models editor, examples, keeping, sharing and export need from the façade.
impl Workspace {
    /// Applies the models; `recreate` drops and recreates the tables whose shape differs.
    pub fn apply_models_recreating(&self, source: &str, recreate: bool) -> ApplyResult {
        let step_mode = self.step_mode.get_untracked();
        let mut applied = self
            .with_playground(|playground| {
                let applied = playground.apply_models(source, recreate);
                // Applying starts a fresh workspace: step mode carries over.
                playground.set_step_mode(step_mode);
                applied
            })
            .unwrap_or_default();
        self.record(&mut applied.run, CommandSource::Models);
        applied
    }

    /// Starts over on `playground`: no SQL log, no history, no restored session, no commands;
    /// step mode carries over.
    pub fn replace_playground(&self, mut playground: Playground) {
        playground.set_step_mode(self.step_mode.get_untracked());
        let tables = playground.tables();
        self.playground.set_value(playground);
        self.sql_log.set(Vec::new());
        self.history.set(Vec::new());
        self.restored.set(Vec::new());
        self.commands.set(Vec::new());
        self.plan.set(None);
        self.draft.set(String::new());
        self.tables.set(tables);
        self.revision.update(|revision| *revision += 1);
    }

    /// Reads the playground (`None` once the app is torn down).
    pub fn read<T>(&self, f: impl FnOnce(&mut Playground) -> T) -> Option<T> {
        self.with_playground(f)
    }

    /// The URI of the app's database, if the models made one.
    pub fn database_url(&self) -> Option<String> {
        self.with_playground(|playground| playground.database_url()).flatten()
    }
}

//! The app's state over the engine: runs console input and models through the
//! `Playground` façade and keeps the snapshots the panels display.

use leptos::prelude::*;
use sqla_engine::db::TableView;
use sqla_engine::playground::{ApplyResult, Playground, RunResult, SqlEvent};

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
}

impl Workspace {
    pub fn new(mut playground: Playground) -> Self {
        let tables = playground.tables();
        Self {
            playground: StoredValue::new_local(playground),
            sql_log: RwSignal::new(Vec::new()),
            tables: RwSignal::new(tables),
            history: RwSignal::new(Vec::new()),
        }
    }

    /// Runs one console input.
    pub fn run_console(&self, input: &str) -> RunResult {
        let run = self.with_playground(|playground| playground.run_console(input)).unwrap_or_default();
        self.history.update(|history| history.push(input.to_owned()));
        self.record(&run);
        run
    }

    /// Runs the models source as the module `app`.
    pub fn apply_models(&self, source: &str) -> ApplyResult {
        let applied = self.with_playground(|playground| playground.apply_models(source, false)).unwrap_or_default();
        self.record(&applied.run);
        applied
    }

    /// A page of a table's rows, as display text.
    pub fn rows(&self, table: &str, limit: usize) -> Option<(Vec<String>, Vec<Vec<String>>)> {
        let page = self.with_playground(|playground| playground.rows_page(table, 0, limit, None)).flatten()?;
        let rows = page.rows.iter().map(|row| row.values.iter().map(|value| value.python_repr()).collect()).collect();
        Some((page.columns, rows))
    }

    // `None` only once the app is torn down, when there is nothing to run.
    fn with_playground<T>(&self, f: impl FnOnce(&mut Playground) -> T) -> Option<T> {
        self.playground.try_update_value(f)
    }

    fn record(&self, run: &RunResult) {
        if !run.events.is_empty() {
            self.sql_log.update(|log| log.extend(run.events.iter().cloned()));
        }
        if let Some(tables) = self.with_playground(|playground| playground.tables()) {
            self.tables.set(tables);
        }
    }
}

// ui-shell: what the models editor, examples, keeping, sharing and export need from the façade.
impl Workspace {
    /// Applies the models; `recreate` drops and recreates the tables whose shape differs.
    pub fn apply_models_recreating(&self, source: &str, recreate: bool) -> ApplyResult {
        let applied = self.with_playground(|playground| playground.apply_models(source, recreate)).unwrap_or_default();
        self.record(&applied.run);
        applied
    }

    /// Starts over on `playground`: no SQL log, no history.
    pub fn replace_playground(&self, mut playground: Playground) {
        let tables = playground.tables();
        self.playground.set_value(playground);
        self.sql_log.set(Vec::new());
        self.history.set(Vec::new());
        self.tables.set(tables);
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

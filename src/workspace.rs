//! The app's state over the engine: runs console input through the
//! `Playground` façade and keeps the snapshots the panels display.

use leptos::prelude::*;
use sqla_engine::playground::{Playground, SqlError, SqlRun, TableSnapshot};

/// Shared by the panels; `Copy` because it only holds reactive handles.
#[derive(Clone, Copy)]
pub struct Workspace {
    // Local storage: the engine is only ever used from the page's one thread.
    playground: StoredValue<Playground, LocalStorage>,
    /// Every statement that ran, oldest first, as the engine printed it.
    pub executed_sql: RwSignal<Vec<String>>,
    /// All tables with their rows, as of the last run.
    pub tables: RwSignal<Result<Vec<TableSnapshot>, SqlError>>,
}

impl Workspace {
    pub fn new(playground: Playground) -> Self {
        let mut playground = playground;
        let tables = playground.tables();
        Self {
            playground: StoredValue::new_local(playground),
            executed_sql: RwSignal::new(Vec::new()),
            tables: RwSignal::new(tables),
        }
    }

    /// Runs SQL text and updates the SQL log and the tables.
    pub fn run_sql(&self, sql: &str) -> SqlRun {
        // `None` only once the app is torn down, when there is nothing to run.
        let Some((run, tables)) = self.playground.try_update_value(|playground| {
            let run = playground.run_sql(sql);
            let tables = playground.tables();
            (run, tables)
        }) else {
            return SqlRun::default();
        };
        if !run.executed.is_empty() {
            self.executed_sql
                .update(|log| log.extend(run.executed.iter().map(|executed| executed.sql.clone())));
            self.tables.set(tables);
        }
        run
    }
}

//! The app's state over the engine: runs console input through the
//! `Playground` façade and keeps the snapshots the panels display.

use leptos::prelude::*;
use sqla_engine::playground::{Playground, SqlError, SqlRun, TableSnapshot};

/// A statement sent to the database, in the SQL log.
#[derive(Clone)]
pub struct LoggedStatement {
    pub sql: String,
    pub failed: bool,
}

/// Shared by the panels; `Copy` because it only holds reactive handles.
#[derive(Clone, Copy)]
pub struct Workspace {
    // Local storage: the engine is only ever used from the page's one thread.
    playground: StoredValue<Playground, LocalStorage>,
    /// Every statement sent to the database, oldest first, as the engine
    /// printed it; a failed one is the last of its run.
    pub sql_log: RwSignal<Vec<LoggedStatement>>,
    /// All tables with their rows, as of the last run.
    pub tables: RwSignal<Result<Vec<TableSnapshot>, SqlError>>,
}

impl Workspace {
    pub fn new(mut playground: Playground) -> Self {
        let tables = playground.tables();
        Self {
            playground: StoredValue::new_local(playground),
            sql_log: RwSignal::new(Vec::new()),
            tables: RwSignal::new(tables),
        }
    }

    /// Runs SQL text and updates the SQL log and the tables.
    pub fn run_sql(&self, sql: &str) -> SqlRun {
        // `None` only once the app is torn down, when there is nothing to run.
        let Some(run) = self
            .playground
            .try_update_value(|playground| playground.run_sql(sql))
        else {
            return SqlRun::default();
        };
        let succeeded = run.executed.iter().map(|executed| LoggedStatement {
            sql: executed.sql.clone(),
            failed: false,
        });
        let failed = run
            .error
            .as_ref()
            .and_then(|error| error.statement.as_ref())
            .map(|statement| LoggedStatement {
                sql: statement.sql.clone(),
                failed: true,
            });
        let sent: Vec<LoggedStatement> = succeeded.chain(failed).collect();
        if !sent.is_empty() {
            self.sql_log.update(|log| log.extend(sent));
            if let Some(tables) = self
                .playground
                .try_update_value(|playground| playground.tables())
            {
                self.tables.set(tables);
            }
        }
        run
    }
}

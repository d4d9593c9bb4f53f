//! The SQL log as the UI shows it: every event of every database, with the console entry
//! that caused it, why (a query, autoflush, a lazy load...), both renderings (SQLAlchemy's
//! echo and what GlueSQL ran), rows and time.

use std::sync::Arc;

use crate::db::{Event, EventKind, Reason};

use super::Playground;

/// What kind of event: a transaction boundary or a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlEventKind {
    Begin,
    Commit,
    Rollback,
    Savepoint,
    ReleaseSavepoint,
    RollbackToSavepoint,
    Select,
    Insert,
    Update,
    Delete,
    Ddl,
    Pragma,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SqlEvent {
    pub seq: u64,
    /// The database it ran on (`sqlite:///site.db`).
    pub database: String,
    /// The database transaction it belongs to.
    pub transaction: Option<u64>,
    pub kind: SqlEventKind,
    /// SQLAlchemy's echo: the statement, and its parameter line.
    pub echo: String,
    pub params: String,
    /// The statement GlueSQL ran, when one did. The rows of one batch share it (one
    /// allocation, not one copy per row: a 10,000-row batch would otherwise hold 10,000
    /// copies of a statement that lists 10,000 rows).
    pub executed: Option<Arc<str>>,
    /// `(batch id, position, size)` for rows GlueSQL ran as one statement.
    pub batch: Option<(u64, usize, usize)>,
    pub rows: Option<usize>,
    pub duration_ms: f64,
    pub error: Option<String>,
    /// Why it was sent: "query", "flush", "autoflush", "lazy load", "refresh", ...
    pub reason: &'static str,
    /// The script line that caused it, in the input that ran.
    pub line: Option<u32>,
    /// The console entry that caused it (0: models or a button).
    pub entry: u32,
}

fn kind(kind: EventKind) -> SqlEventKind {
    match kind {
        EventKind::Begin => SqlEventKind::Begin,
        EventKind::Commit => SqlEventKind::Commit,
        EventKind::Rollback => SqlEventKind::Rollback,
        EventKind::Savepoint => SqlEventKind::Savepoint,
        EventKind::ReleaseSavepoint => SqlEventKind::ReleaseSavepoint,
        EventKind::RollbackToSavepoint => SqlEventKind::RollbackToSavepoint,
        EventKind::Select => SqlEventKind::Select,
        EventKind::Insert => SqlEventKind::Insert,
        EventKind::Update => SqlEventKind::Update,
        EventKind::Delete => SqlEventKind::Delete,
        EventKind::Ddl => SqlEventKind::Ddl,
        EventKind::Pragma => SqlEventKind::Pragma,
    }
}

pub fn reason_text(reason: Reason) -> &'static str {
    match reason {
        Reason::Statement => "query",
        Reason::Autoflush => "autoflush",
        Reason::Flush => "flush",
        Reason::LazyLoad => "lazy load",
        Reason::Commit => "commit",
        Reason::Rollback => "rollback",
        Reason::Refresh => "refresh",
        Reason::CreateAll => "create_all",
        Reason::DropAll => "drop_all",
    }
}

impl SqlEvent {
    fn of(event: &Event, database: &str, entry: u32) -> SqlEvent {
        SqlEvent {
            seq: event.seq,
            database: database.to_string(),
            transaction: event.transaction,
            kind: kind(event.kind),
            echo: event.echo_sql.to_string(),
            params: event.echo_params.clone(),
            executed: event.glue_sql.clone(),
            batch: event.batch.map(|b| (b.id, b.position, b.size)),
            rows: event.rows,
            duration_ms: event.duration_ms,
            error: event.error.as_ref().map(|e| e.message.clone()),
            reason: reason_text(event.origin.reason),
            line: event.origin.line,
            entry,
        }
    }

    /// The event as SQLAlchemy's log prints it.
    pub fn echo_text(&self) -> String {
        if self.params.is_empty() {
            self.echo.clone()
        } else {
            format!("{}\n{}", self.echo, self.params)
        }
    }
}

impl Playground {
    /// Events logged since the last call, attributed to console entry `entry`.
    pub(crate) fn new_events(&mut self, entry: u32) -> Vec<SqlEvent> {
        let world = self.world();
        let Ok(w) = world.borrow() else { return vec![] };
        let mut new = Vec::new();
        for (engine, db) in w.orm.engines.iter().enumerate() {
            let seen = self.seen.get(&engine).copied().unwrap_or(0);
            let url = w.engine_urls.get(engine).map(String::as_str).unwrap_or("");
            new.extend(db.events_since(seen).iter().map(|e| (e, url)));
            self.seen.insert(engine, db.last_event_seq());
        }
        // The engines number their events in one sequence: in the order they happened.
        new.sort_by_key(|(e, _)| e.seq);
        new.into_iter().map(|(e, url)| SqlEvent::of(e, url, entry)).collect()
    }

    /// Every event so far as JSON lines (the runner's `--sql-log`): `{"event": "begin" |
    /// "commit" | "rollback" | "sql" | ..., "echo", "params", "executed", "line", "batch"}`.
    /// The rows of one batch (`"batch": [id, position, size]`) share one GlueSQL statement:
    /// it is written with the first row only, the others have `"executed": null`.
    pub fn sql_log_json(&mut self) -> String {
        let world = self.world();
        let Ok(w) = world.borrow() else { return String::new() };
        let mut events: Vec<&crate::db::Event> = w.orm.engines.iter().flat_map(|db| db.events_since(0)).collect();
        events.sort_by_key(|e| e.seq);
        let mut out = String::new();
        for event in events {
            let name = match event.kind {
                EventKind::Begin => "begin",
                EventKind::Commit => "commit",
                EventKind::Rollback => "rollback",
                EventKind::Savepoint => "savepoint",
                EventKind::ReleaseSavepoint => "release_savepoint",
                EventKind::RollbackToSavepoint => "rollback_to_savepoint",
                _ => "sql",
            };
            let repeated = event.batch.is_some_and(|batch| batch.position > 1);
            let record = serde_json::json!({
                "event": name,
                "echo": &*event.echo_sql,
                "params": parameters_json(&event.parameters),
                "executed": if repeated { None } else { event.glue_sql.as_deref() },
                "line": event.origin.line,
                "reason": reason_text(event.origin.reason),
                "batch": event.batch.map(|batch| [batch.id as usize, batch.position, batch.size]),
            });
            out.push_str(&record.to_string());
            out.push('\n');
        }
        out
    }
}

/// One parameter set as an array of values; an executemany's sets as an array of arrays.
fn parameters_json(sets: &[Vec<crate::sql::Datum>]) -> serde_json::Value {
    let set = |row: &Vec<crate::sql::Datum>| serde_json::Value::Array(row.iter().map(|d| d.to_json()).collect());
    match sets {
        [one] => set(one),
        many => serde_json::Value::Array(many.iter().map(set).collect()),
    }
}

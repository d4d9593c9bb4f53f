//! `Database`: runs statements on GlueSQL over our storage, with SQLAlchemy 2.0's
//! connection behaviour (implicit BEGIN, COMMIT, ROLLBACK, savepoints), SQLite's
//! id assignment and errors, and one logged event per statement.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use gluesql::core::ast::{Expr as GlueExpr, SetExpr, Statement as GlueStatement};
use gluesql::core::data::{Key, Value};
use gluesql::core::executor::{execute, Payload};
use gluesql::core::plan::StatementPlan;
use gluesql::core::store::{Planner, Store};

use super::convert;
use super::error::{DbError, DbErrorKind};
use super::errors_map;
use super::events::{format_g4, Batch, Event, EventKind, EventLog, Origin, Reason};
use super::raw;
use super::sqlite_semantics;
use super::storage::{AccessStats, Storage, Violation, WriteMode};
use crate::sql::echo::ParamStyle;
use crate::sql::{self, echo, Datum, Statement};

/// A host-supplied clock in milliseconds (`performance.now()` in the browser).
pub type Clock = Rc<dyn Fn() -> f64>;

/// The default clock: `Instant` natively; on wasm32, where `Instant` panics,
/// a zero clock until the host installs its own with `set_clock`.
fn default_clock() -> Clock {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let start = std::time::Instant::now();
        Rc::new(move || start.elapsed().as_secs_f64() * 1000.0)
    }
    #[cfg(target_arch = "wasm32")]
    {
        Rc::new(|| 0.0)
    }
}

/// What a statement returned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatementResult {
    /// Result column names (SELECT and RETURNING), as sqlite3's description names them.
    pub columns: Vec<String>,
    /// SELECT rows, or for an INSERT with `returning` one row per inserted row.
    pub rows: Vec<Vec<Datum>>,
    /// Rows inserted, updated or deleted.
    pub rows_affected: usize,
    /// For INSERT: each new row's primary key values (one tuple per row, in row
    /// order); the rowid for tables without a primary key.
    pub inserted_primary_keys: Vec<Vec<Datum>>,
}

struct OpenTransaction {
    number: u64,
    begin_state: Storage,
    savepoints: Vec<Savepoint>,
    savepoint_counter: u32,
    /// Whether SQLite itself is in a transaction. Python's sqlite3 driver (pysqlite) only sends
    /// its BEGIN before an INSERT / UPDATE / DELETE, so after `BEGIN (implicit)` and nothing but
    /// SELECTs SQLite is still in autocommit mode: a SAVEPOINT then starts the real transaction
    /// and its RELEASE commits it. SQLAlchemy documents this pysqlite behaviour; learners see its
    /// effect (a later ROLLBACK keeps what the released savepoint wrote), so it is kept here.
    driver_began: bool,
    /// Whether an INSERT, UPDATE or DELETE ran since the transaction began (or since a
    /// released savepoint committed).
    wrote_data: bool,
}

struct Savepoint {
    name: String,
    state: Storage,
    /// Opened while SQLite was in autocommit mode: releasing it commits (see `driver_began`).
    starts_transaction: bool,
}

/// The statement currently being logged: its echo text and parameter rows.
struct EchoPlan {
    kind: EventKind,
    text: String,
    rows: Vec<Vec<Datum>>,
    /// Several rows logged as insertmanyvalues lines rather than executemany.
    insert_many_values: bool,
    /// DDL the ORM emits, logged with `[no key …]` (no compiled-cache key).
    no_key: bool,
    style: ParamStyle,
    /// `RETURNING` columns of an INSERT, read back from the rows it wrote.
    returning: Vec<String>,
}

impl EchoPlan {
    /// SQL text as given, without parameters.
    fn raw(kind: EventKind, text: String, style: ParamStyle) -> EchoPlan {
        EchoPlan { kind, text, rows: vec![Vec::new()], insert_many_values: false, no_key: false, style, returning: Vec::new() }
    }
}

/// Python's sqlite3 refuses statement text with a NUL character before SQLite sees it
/// (values bound as parameters may hold NULs).
fn refuse_null_character(sql: &str) -> Result<(), DbError> {
    if sql.contains('\0') {
        return Err(DbError::new(DbErrorKind::ProgrammingError, "the query contains a null character"));
    }
    Ok(())
}

/// What sqlite3 refuses before SQLite sees a statement: a NUL in its text, or a parameter of a
/// type it cannot bind (numbered from 1 as sqlite3 numbers them).
fn refuse_unsendable(plan: &EchoPlan) -> Result<(), DbError> {
    refuse_null_character(&plan.text)?;
    let unbindable = plan.rows.iter().flat_map(|row| row.iter().enumerate()).find_map(|(i, d)| match d {
        Datum::Unbindable { type_name, .. } => Some((i + 1, type_name)),
        _ => None,
    });
    match unbindable {
        Some((position, type_name)) => Err(DbError::new(DbErrorKind::ProgrammingError, format!("Error binding parameter {position}: type '{type_name}' is not supported"))),
        None => Ok(()),
    }
}

/// What one log entry records; the log adds the sequence number, transaction and origin.
struct Logged {
    kind: EventKind,
    echo_sql: Arc<str>,
    echo_params: String,
    parameters: Vec<Vec<Datum>>,
    glue_sql: Option<Arc<str>>,
    batch: Option<Batch>,
    rows: Option<usize>,
    duration_ms: f64,
    error: Option<DbError>,
}

impl Logged {
    fn new(kind: EventKind, echo_sql: impl Into<Arc<str>>) -> Logged {
        Logged {
            kind,
            echo_sql: echo_sql.into(),
            echo_params: String::new(),
            parameters: Vec::new(),
            glue_sql: None,
            batch: None,
            rows: None,
            duration_ms: 0.0,
            error: None,
        }
    }
}

pub struct Database {
    pub(super) storage: Storage,
    transaction: Option<OpenTransaction>,
    transactions_started: u64,
    log: EventLog,
    origin: Origin,
    clock: Clock,
    /// (echo text, several parameter sets, who compiled it) → when it was first compiled
    /// (ms), for `[cached since …]`. SQLAlchemy caches single and many-row forms apart, and
    /// the ORM's own loads (refresh, lazy load) under keys of their own.
    compiled: HashMap<(String, bool, CacheScope, u64), f64>,
    /// What besides the text keys the next statements' compilation (see `set_cache_variant`).
    cache_variant: u64,
    foreign_keys: bool,
    batches: u64,
    /// Whether a commit has stored data changes since the database was opened.
    data_committed: bool,
}

/// Whose statement cache a statement lands in: the same text compiled by the script and by
/// an ORM loader has different SQLAlchemy cache keys (the loader's options differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CacheScope {
    Script,
    Refresh,
    LazyLoad,
}

impl CacheScope {
    fn of(reason: Reason) -> CacheScope {
        match reason {
            Reason::Refresh => CacheScope::Refresh,
            Reason::LazyLoad => CacheScope::LazyLoad,
            _ => CacheScope::Script,
        }
    }
}

impl Default for Database {
    fn default() -> Self {
        Database::new()
    }
}

impl Database {
    pub fn new() -> Self {
        Database {
            storage: Storage::default(),
            transaction: None,
            transactions_started: 0,
            log: EventLog::default(),
            origin: Origin::default(),
            clock: default_clock(),
            compiled: HashMap::new(),
            cache_variant: 0,
            foreign_keys: false,
            batches: 0,
            data_committed: false,
        }
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Numbers this database's events in one sequence with other databases' (see
    /// [`EventNumbers`](super::events::EventNumbers)): `Event::seq` then orders the events of
    /// all of them.
    pub fn share_event_numbers(&mut self, numbers: super::events::EventNumbers) {
        self.log.share_numbers(numbers);
    }

    /// Sets where the next statements come from (the ORM/interpreter calls this
    /// before running each script line, and when it flushes, loads, ...).
    pub fn set_origin(&mut self, line: Option<u32>, reason: Reason) {
        self.origin = Origin { line, reason };
    }

    /// Why the next statements run; their compilation goes back to the plain cache key.
    pub fn set_reason(&mut self, reason: Reason) {
        self.origin.reason = reason;
        self.cache_variant = 0;
    }

    /// Compiles the next statements under their own cache key even when their text was seen
    /// before (SQLAlchemy keys loader options and defaulted insert columns too); 0 is the
    /// plain key.
    pub fn set_cache_variant(&mut self, variant: u64) {
        self.cache_variant = variant;
    }

    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// `PRAGMA foreign_keys`: off by default, as in SQLite.
    pub fn foreign_keys_enabled(&self) -> bool {
        self.foreign_keys
    }

    pub fn set_foreign_keys(&mut self, enabled: bool) {
        self.foreign_keys = enabled;
    }

    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// The number of the open transaction, if any.
    pub fn transaction_number(&self) -> Option<u64> {
        self.transaction.as_ref().map(|t| t.number)
    }

    /// How rows were reached so far (full scans vs. index/key lookups).
    pub fn access_stats(&self) -> &AccessStats {
        &self.storage.stats
    }

    pub fn events_since(&self, seq: u64) -> &[Event] {
        self.log.since(seq)
    }

    pub fn last_event_seq(&self) -> u64 {
        self.log.last_seq()
    }

    pub fn clear_events(&mut self) {
        self.log.clear();
    }

    fn now(&self) -> f64 {
        (self.clock)()
    }

    #[allow(clippy::too_many_arguments)]
    fn log_event(&mut self, logged: Logged) {
        let event = Event {
            seq: 0,
            transaction: self.transaction_number(),
            kind: logged.kind,
            echo_sql: logged.echo_sql,
            echo_params: logged.echo_params,
            parameters: logged.parameters,
            glue_sql: logged.glue_sql,
            batch: logged.batch,
            rows: logged.rows,
            duration_ms: logged.duration_ms,
            error: logged.error.map(Box::new),
            origin: self.origin,
        };
        self.log.push(event);
    }

    // ---- transactions ----------------------------------------------------

    /// Starts a transaction if none is open, logging `BEGIN (implicit)` as
    /// SQLAlchemy does when a statement runs on a connection without one.
    pub fn begin(&mut self) {
        if self.transaction.is_some() {
            return;
        }
        self.transactions_started += 1;
        self.transaction = Some(OpenTransaction {
            number: self.transactions_started,
            begin_state: self.storage.clean_copy(),
            savepoints: Vec::new(),
            savepoint_counter: 0,
            driver_began: false,
            wrote_data: false,
        });
        self.log_event(Logged::new(EventKind::Begin, "BEGIN (implicit)".to_owned()));
    }

    /// `COMMIT`; nothing (and nothing logged) without an open transaction.
    pub fn commit(&mut self) {
        if self.transaction.is_none() {
            return;
        }
        self.log_event(Logged::new(EventKind::Commit, "COMMIT".to_owned()));
        if let Some(transaction) = self.transaction.take() {
            self.data_committed |= transaction.wrote_data;
        }
    }

    /// Whether a commit has stored an INSERT, UPDATE or DELETE since the database was
    /// opened (creating tables does not count).
    pub fn has_committed_data_changes(&self) -> bool {
        self.data_committed
    }

    /// `ROLLBACK`: restores data and tables as they were at BEGIN; nothing
    /// (and nothing logged) without an open transaction.
    pub fn rollback(&mut self) {
        if self.transaction.is_none() {
            return;
        }
        self.log_event(Logged::new(EventKind::Rollback, "ROLLBACK".to_owned()));
        if let Some(transaction) = self.transaction.take() {
            self.storage = transaction.begin_state;
        }
    }

    fn no_key_line(&self, started: f64) -> String {
        format!("[no key {:.5}s] ()", (self.now() - started) / 1000.0)
    }

    /// `SAVEPOINT sa_savepoint_N` (numbered per transaction as SQLAlchemy does);
    /// begins a transaction first if needed. Returns the savepoint's name.
    pub fn savepoint(&mut self) -> String {
        self.begin();
        let started = self.now();
        let snapshot = self.storage.clean_copy();
        let name = match self.transaction.as_mut() {
            Some(transaction) => {
                transaction.savepoint_counter += 1;
                let name = format!("sa_savepoint_{}", transaction.savepoint_counter);
                let starts_transaction = !transaction.driver_began;
                transaction.driver_began = true;
                transaction.savepoints.push(Savepoint { name: name.clone(), state: snapshot, starts_transaction });
                name
            }
            None => "sa_savepoint_1".to_owned(), // begin() above always opens one
        };
        let line = self.no_key_line(started);
        self.log_event(Logged { echo_params: line, ..Logged::new(EventKind::Savepoint, format!("SAVEPOINT {name}")) });
        name
    }

    fn savepoint_position(&self, name: &str) -> Result<usize, DbError> {
        self.transaction
            .as_ref()
            .and_then(|t| t.savepoints.iter().rposition(|s| s.name == name))
            .ok_or_else(|| DbError::new(DbErrorKind::OperationalError, format!("no such savepoint: {name}")))
    }

    /// `RELEASE SAVEPOINT name`: keeps the changes, forgets this and later savepoints.
    pub fn release_savepoint(&mut self, name: &str) -> Result<(), DbError> {
        let started = self.now();
        let position = self.savepoint_position(name)?;
        if let Some(transaction) = self.transaction.as_mut() {
            let commits = transaction.savepoints.get(position).is_some_and(|s| s.starts_transaction);
            transaction.savepoints.truncate(position);
            if commits {
                // SQLite leaves its transaction: what it wrote is committed.
                transaction.begin_state = self.storage.clean_copy();
                transaction.driver_began = false;
                self.data_committed |= std::mem::take(&mut transaction.wrote_data);
            }
        }
        let line = self.no_key_line(started);
        self.log_event(Logged { echo_params: line, ..Logged::new(EventKind::ReleaseSavepoint, format!("RELEASE SAVEPOINT {name}")) });
        Ok(())
    }

    /// `ROLLBACK TO SAVEPOINT name`: restores the state at the savepoint, which
    /// stays open; later savepoints are forgotten.
    pub fn rollback_to_savepoint(&mut self, name: &str) -> Result<(), DbError> {
        let started = self.now();
        let position = self.savepoint_position(name)?;
        if let Some(transaction) = self.transaction.as_mut() {
            transaction.savepoints.truncate(position + 1);
            if let Some(savepoint) = transaction.savepoints.last() {
                self.storage = savepoint.state.clean_copy();
            }
        }
        let line = self.no_key_line(started);
        self.log_event(Logged { echo_params: line, ..Logged::new(EventKind::RollbackToSavepoint, format!("ROLLBACK TO SAVEPOINT {name}")) });
        Ok(())
    }

    /// The committed state: the BEGIN snapshot while a transaction is open.
    pub(super) fn committed(&self) -> &Storage {
        self.transaction.as_ref().map_or(&self.storage, |t| &t.begin_state)
    }

    /// The state at BEGIN of the open transaction.
    pub(super) fn begin_state(&self) -> Option<&Storage> {
        self.transaction.as_ref().map(|t| &t.begin_state)
    }

    /// Replaces everything with a decoded snapshot (no transaction stays open).
    pub(super) fn replace_storage(&mut self, storage: Storage) {
        self.transaction = None;
        self.storage = storage;
    }

    // ---- statements --------------------------------------------------------

    /// Whether a table exists, logged as SQLAlchemy's create_all checks it:
    /// `PRAGMA main.table_info("user")`, then `temp` when it is not in main.
    /// A name SQLite cannot take (a NUL in it) fails the first check, as it does in SQLAlchemy.
    pub fn table_exists(&mut self, name: &str) -> Result<bool, DbError> {
        self.begin();
        let exists = self.storage.table(name).is_some();
        let quoted = name.replace('"', "\"\"");
        let schemas: &[&str] = if exists { &["main"] } else { &["main", "temp"] };
        for schema in schemas {
            let sql = format!("PRAGMA {schema}.table_info(\"{quoted}\")");
            let echo_params = "[raw sql] ()".to_owned();
            if let Err(error) = refuse_null_character(&sql) {
                let error = error.with_statement(&sql, None);
                self.log_event(Logged { echo_params, error: Some(error.clone()), ..Logged::new(EventKind::Pragma, sql) });
                return Err(error);
            }
            let rows = if exists { self.storage.table(name).map(|t| t.def.columns.len()) } else { Some(0) };
            self.log_event(Logged { echo_params, rows, ..Logged::new(EventKind::Pragma, sql) });
        }
        Ok(exists)
    }

    /// Runs one statement built by the ORM.
    pub fn execute(&mut self, statement: &Statement) -> Result<StatementResult, DbError> {
        self.execute_many(std::slice::from_ref(statement))
    }

    /// Runs statements of one shape as SQLAlchemy's executemany sends them
    /// (UPDATE/DELETE per row in a flush): one echo line with every parameter
    /// set, and each statement run by GlueSQL in turn; all or none take effect.
    pub fn execute_many(&mut self, statements: &[Statement]) -> Result<StatementResult, DbError> {
        let Some(first) = statements.first() else { return Ok(StatementResult::default()) };
        let echo_first = echo::render(first);
        let mut plan = EchoPlan {
            kind: event_kind(first),
            text: echo_first.text.clone(),
            rows: echo_first.param_rows,
            insert_many_values: matches!(first, Statement::Insert(i) if !i.returning.is_empty()),
            no_key: event_kind(first) == EventKind::Ddl,
            style: ParamStyle::Processed,
            returning: match first {
                Statement::Insert(insert) => insert.returning.clone(),
                Statement::Update(update) => update.returning.clone(),
                _ => Vec::new(),
            },
        };
        for statement in statements.iter().skip(1) {
            let echo = echo::render(statement);
            if echo.text != plan.text {
                let error = DbError::new(DbErrorKind::ProgrammingError, "executemany needs statements of one shape");
                return Err(error.with_statement(&echo.text, None));
            }
            plan.rows.extend(echo.param_rows);
        }
        if let Err(error) = refuse_unsendable(&plan) {
            self.begin();
            return Err(self.log_failure(&plan, None, error, 0.0));
        }
        let glue = statements.iter().map(|s| sql::glue::render(&self.with_default_values(s))).collect::<Result<Vec<_>, _>>();
        match glue {
            Ok(glue) => {
                if let [single] = statements {
                    self.stage_definition(single);
                }
                self.run(plan, glue)
            }
            Err(unsupported) => {
                self.begin();
                let error = DbError::new(DbErrorKind::NotSupportedError, unsupported.to_string());
                Err(self.log_failure(&plan, None, error, 0.0))
            }
        }
    }

    /// `INSERT INTO t DEFAULT VALUES` as GlueSQL can run it: the rowid column set to NULL (so
    /// it is assigned), the other columns left to their defaults.
    fn with_default_values<'s>(&self, statement: &'s Statement) -> std::borrow::Cow<'s, Statement> {
        let Statement::Insert(insert) = statement else { return std::borrow::Cow::Borrowed(statement) };
        if !insert.columns.is_empty() {
            return std::borrow::Cow::Borrowed(statement);
        }
        let rowid = self.storage.table(&insert.table).and_then(|t| t.def.rowid_alias().and_then(|i| t.def.columns.get(i)).map(|c| c.name.clone()));
        let Some(rowid) = rowid else { return std::borrow::Cow::Borrowed(statement) };
        let mut filled = insert.clone();
        filled.columns = vec![rowid];
        filled.rows = insert.rows.iter().map(|_| vec![Datum::Null]).collect();
        std::borrow::Cow::Owned(Statement::Insert(filled))
    }

    /// Runs `text()` SQL with `:name` parameters, shown with `?` binds.
    pub fn execute_text(&mut self, sql_text: &str, params: &[(String, Datum)]) -> Result<StatementResult, DbError> {
        let (positional, values) = sql::text::bind_named(sql_text, params).map_err(|missing| {
            DbError::new(DbErrorKind::ProgrammingError, missing.to_string()).with_statement(sql_text, None)
        })?;
        self.run_sql(&positional, &values, ParamStyle::Python)
    }

    /// Runs SQL text with `?` parameters (the console, `text()` after binding).
    /// Handles `PRAGMA foreign_keys`, `PRAGMA table_info`, BEGIN/COMMIT/ROLLBACK.
    pub fn execute_sql(&mut self, sql_text: &str, params: &[Datum]) -> Result<StatementResult, DbError> {
        self.run_sql(sql_text, params, ParamStyle::Processed)
    }

    fn run_sql(&mut self, sql_text: &str, params: &[Datum], style: ParamStyle) -> Result<StatementResult, DbError> {
        let plan = EchoPlan { rows: vec![params.to_vec()], ..EchoPlan::raw(EventKind::Select, sql_text.to_owned(), style) };
        if let Err(error) = refuse_unsendable(&plan) {
            self.begin();
            return Err(self.log_failure(&plan, None, error, 0.0));
        }
        match raw::classify(sql_text) {
            raw::Command::Begin => {
                self.begin();
                Ok(StatementResult::default())
            }
            raw::Command::Commit => {
                self.commit();
                Ok(StatementResult::default())
            }
            raw::Command::Rollback => {
                self.rollback();
                Ok(StatementResult::default())
            }
            raw::Command::Pragma(pragma) => self.pragma(plan, pragma),
            raw::Command::DropIndex(name) => match self.storage.index_table(&name) {
                Some(table) => {
                    let statement = GlueStatement::DropIndex { name, table_name: table.to_owned() };
                    self.run(EchoPlan { kind: EventKind::Ddl, ..plan }, vec![statement])
                }
                None => {
                    self.begin();
                    let error = DbError::new(DbErrorKind::OperationalError, format!("no such index: {name}"));
                    Err(self.log_failure(&plan, None, error, 0.0))
                }
            },
            raw::Command::Sql => {
                let parsed = raw::parse(sql_text, params);
                match parsed {
                    Ok(statement) => {
                        let plan = EchoPlan { kind: glue_event_kind(&statement), ..plan };
                        self.run(plan, vec![statement])
                    }
                    Err(error) => {
                        self.begin();
                        Err(self.log_failure(&plan, None, error, 0.0))
                    }
                }
            }
        }
    }

    fn pragma(&mut self, plan: EchoPlan, pragma: raw::Pragma) -> Result<StatementResult, DbError> {
        self.begin();
        let plan = EchoPlan { kind: EventKind::Pragma, ..plan };
        let result = match pragma {
            raw::Pragma::ForeignKeys(Some(enabled)) => {
                self.foreign_keys = enabled;
                Ok(StatementResult::default())
            }
            raw::Pragma::ForeignKeys(None) => Ok(StatementResult {
                columns: vec!["foreign_keys".to_owned()],
                rows: vec![vec![Datum::Int(i64::from(self.foreign_keys))]],
                ..StatementResult::default()
            }),
            raw::Pragma::TableInfo(table) => Ok(raw::table_info(self.storage.table(&table).map(|t| t.def.as_ref()))),
            raw::Pragma::Unsupported(name) => Err(DbError::new(
                DbErrorKind::NotSupportedError,
                format!("PRAGMA {name} is not supported by the playground's database (GlueSQL); supported: foreign_keys, table_info"),
            )),
        };
        match result {
            Ok(result) => {
                let line = self.param_line(&plan, &plan.rows, 0.0, None);
                self.log_event(Logged { echo_params: line, parameters: plan.rows, rows: Some(result.rows.len()), ..Logged::new(EventKind::Pragma, plan.text) });
                Ok(result)
            }
            Err(error) => Err(self.log_failure(&plan, None, error, 0.0)),
        }
    }

    /// The echo's parameter line: `[generated in 0.00012s] (...)` the first
    /// time a statement text is seen, `[cached since 0.001s ago] (...)` after.
    fn param_line(&mut self, plan: &EchoPlan, rows: &[Vec<Datum>], duration_ms: f64, many_values: Option<(usize, usize)>) -> String {
        let text = plan.text.as_str();
        let now = self.now();
        if plan.no_key {
            return format!("[no key {:.5}s] ()", duration_ms / 1000.0);
        }
        let prefix = match many_values {
            Some((position, _)) if position > 1 => "insertmanyvalues".to_owned(),
            _ => match self.compiled.get(&(text.to_owned(), plan.rows.len() > 1, CacheScope::of(self.origin.reason), self.cache_variant)) {
                Some(first) => format!("cached since {}s ago", format_g4((now - first) / 1000.0)),
                None => {
                    self.compiled.insert((text.to_owned(), plan.rows.len() > 1, CacheScope::of(self.origin.reason), self.cache_variant), now);
                    format!("generated in {:.5}s", duration_ms / 1000.0)
                }
            },
        };
        let prefix = match many_values {
            Some((1, size)) => format!("{prefix} (insertmanyvalues) 1/{size} (ordered; batch not supported)"),
            Some((position, size)) => format!("{prefix} {position}/{size} (ordered; batch not supported)"),
            None => prefix,
        };
        format!("[{prefix}] {}", params_text(rows, plan.style))
    }

    fn log_failure(&mut self, plan: &EchoPlan, glue_sql: Option<Arc<str>>, error: DbError, duration_ms: f64) -> DbError {
        let error = error.with_statement(&plan.text, Some(params_text(&plan.rows, plan.style)));
        let rows: &[Vec<Datum>] = if plan.insert_many_values { plan.rows.get(..1).unwrap_or_default() } else { &plan.rows };
        let many = (plan.insert_many_values && plan.rows.len() > 1).then_some((1, plan.rows.len()));
        let line = self.param_line(plan, rows, duration_ms, many);
        self.log_event(Logged {
            echo_params: line,
            parameters: plan.rows.clone(),
            glue_sql,
            duration_ms,
            error: Some(error.clone()),
            ..Logged::new(plan.kind, plan.text.clone())
        });
        error
    }

    /// Runs GlueSQL statements as one logged statement, atomically.
    fn run(&mut self, plan: EchoPlan, statements: Vec<GlueStatement>) -> Result<StatementResult, DbError> {
        self.begin();
        let started = self.now();
        let before = self.storage.clean_copy();
        let mut result = StatementResult::default();
        let mut ran = Vec::with_capacity(statements.len());
        let driver_was_idle = self.transaction.as_ref().is_some_and(|t| !t.driver_began);
        if let (Some(transaction), EventKind::Insert | EventKind::Update | EventKind::Delete) = (self.transaction.as_mut(), plan.kind) {
            // pysqlite sends its BEGIN before the first data change (see `driver_began`).
            transaction.driver_began = true;
        }
        for statement in statements {
            match self.run_one(statement, &mut ran, &plan.returning) {
                Ok(one) => merge(&mut result, one),
                Err(error) => {
                    self.storage = before;
                    let duration = self.now() - started;
                    let glue_sql = (!ran.is_empty()).then(|| Arc::from(ran.join(";\n")));
                    return Err(self.log_failure(&plan, glue_sql, error, duration));
                }
            }
        }
        if let Some(transaction) = self.transaction.as_mut() {
            match plan.kind {
                // DDL while SQLite is in autocommit mode is committed as it runs.
                EventKind::Ddl if driver_was_idle => transaction.begin_state = self.storage.clean_copy(),
                EventKind::Insert | EventKind::Update | EventKind::Delete => transaction.wrote_data = true,
                _ => {}
            }
        }
        let duration = self.now() - started;
        let glue_sql: Option<Arc<str>> = Some(Arc::from(ran.join(";\n")));
        let count = if plan.kind == EventKind::Select { result.rows.len() } else { result.rows_affected };
        if plan.insert_many_values && plan.rows.len() > 1 {
            self.batches += 1;
            let size = plan.rows.len();
            // Every row's event shows the same statement text: one copy serves them all.
            let text: Arc<str> = Arc::from(plan.text.as_str());
            for (i, row) in plan.rows.iter().enumerate() {
                let line = self.param_line(&plan, std::slice::from_ref(row), duration, Some((i + 1, size)));
                let batch = Batch { id: self.batches, position: i + 1, size };
                let share = duration / size as f64;
                self.log_event(Logged {
                    echo_params: line,
                    parameters: vec![row.clone()],
                    glue_sql: glue_sql.clone(),
                    batch: Some(batch),
                    rows: Some(1),
                    duration_ms: share,
                    ..Logged::new(plan.kind, text.clone())
                });
            }
        } else {
            let line = self.param_line(&plan, &plan.rows, duration, None);
            self.log_event(Logged {
                echo_params: line,
                parameters: plan.rows,
                glue_sql,
                rows: Some(count),
                duration_ms: duration,
                ..Logged::new(plan.kind, plan.text)
            });
        }
        Ok(result)
    }

    /// One GlueSQL statement: ids assigned, SQLite semantics applied, planned
    /// with our indexes, executed; constraint violations read back.
    fn run_one(&mut self, statement: GlueStatement, ran: &mut Vec<String>, returning: &[String]) -> Result<StatementResult, DbError> {
        raw::check_tables(&statement, &self.storage)?;
        let statement = self.assign_rowids(statement)?;
        let statement = sqlite_semantics::apply(statement, &self.storage)?;
        ran.push(sql::glue::statement_sql(&statement));
        self.prepare_state(&statement);
        let plan = self.storage.plan(StatementPlan::from(statement.clone()));
        let outcome = plan.and_then(|plan| execute(&mut self.storage, &plan));
        let state = std::mem::take(&mut self.storage.state);
        match outcome {
            Ok(payload) => Ok(self.result_of(&statement, payload, &state.written, returning)),
            Err(error) => Err(match state.violation {
                Some(Violation::Schema(message)) => DbError::new(DbErrorKind::OperationalError, message),
                Some(violation) => DbError::new(DbErrorKind::IntegrityError, violation.message()),
                None => errors_map::from_glue(&error, &statement, &self.storage),
            }),
        }
    }

    fn prepare_state(&mut self, statement: &GlueStatement) {
        let candidates = raw::scan_candidates(statement, &self.storage);
        let state = &mut self.storage.state;
        state.foreign_keys = self.foreign_keys;
        state.mode = if matches!(statement, GlueStatement::Update { .. }) { WriteMode::Update } else { WriteMode::Insert };
        state.scan_candidates = candidates;
    }

    /// Stages our definition for a CREATE TABLE / CREATE UNIQUE INDEX the ORM sends.
    pub(super) fn stage_definition(&mut self, statement: &Statement) {
        match statement {
            Statement::CreateTable(def) => self.storage.state.pending_table = Some(def.clone()),
            Statement::CreateIndex(index) => self.storage.state.pending_unique_index = index.unique,
            _ => {}
        }
    }

    /// SQLite's rowid assignment for an `INTEGER PRIMARY KEY`: a row without
    /// one (or with NULL) gets max(rowid) + 1, counting rows inserted before it.
    fn assign_rowids(&self, statement: GlueStatement) -> Result<GlueStatement, DbError> {
        let GlueStatement::Insert { table_name, mut columns, mut source } = statement else { return Ok(statement) };
        let Some(table) = self.storage.table(&table_name) else {
            return Ok(GlueStatement::Insert { table_name, columns, source });
        };
        let Some(rowid_column) = table.def.rowid_alias() else {
            return Ok(GlueStatement::Insert { table_name, columns, source });
        };
        let SetExpr::Values(values) = &mut source.body else {
            return Err(DbError::new(DbErrorKind::NotSupportedError, sql::glue::Unsupported("INSERT ... SELECT into a table with an INTEGER PRIMARY KEY".to_owned()).to_string()));
        };
        let column_name = table.def.columns.get(rowid_column).map(|c| c.name.clone()).unwrap_or_default();
        if columns.is_empty() {
            columns = table.def.columns.iter().map(|c| c.name.clone()).collect();
        }
        let position = match columns.iter().position(|c| *c == column_name) {
            Some(position) => position,
            None => {
                columns.insert(0, column_name);
                for row in &mut values.0 {
                    row.insert(0, GlueExpr::Value(Value::Null));
                }
                0
            }
        };
        let mut next = table.next_rowid();
        for row in &mut values.0 {
            let Some(cell) = row.get_mut(position) else { continue };
            match cell {
                GlueExpr::Value(Value::Null) => {
                    *cell = GlueExpr::Value(Value::I64(next));
                    next = next.saturating_add(1);
                }
                GlueExpr::Value(Value::I64(explicit)) => next = next.max(explicit.saturating_add(1)),
                _ => {}
            }
        }
        Ok(GlueStatement::Insert { table_name, columns, source })
    }

    fn result_of(&self, statement: &GlueStatement, payload: Payload, written: &[Key], returning: &[String]) -> StatementResult {
        match payload {
            Payload::Select { labels, rows } => StatementResult {
                columns: labels,
                rows: rows.iter().map(|row| row.iter().map(|v| convert::datum(v, None)).collect()).collect(),
                ..StatementResult::default()
            },
            Payload::Insert(n) => {
                let table = match statement {
                    GlueStatement::Insert { table_name, .. } => self.storage.table(table_name),
                    _ => None,
                };
                let inserted_primary_keys = written
                    .iter()
                    .map(|key| match table {
                        Some(table) if table.def.primary_key.len() > 1 => {
                            let row = table.rows.get(key);
                            table
                                .def
                                .primary_key
                                .iter()
                                .filter_map(|c| table.def.column_index(c))
                                .map(|i| row.and_then(|r| r.get(i)).map_or(Datum::Null, |v| convert::datum(v, None)))
                                .collect()
                        }
                        _ => vec![convert::key_datum(key)],
                    })
                    .collect();
                let rows = match table {
                    Some(table) if !returning.is_empty() => written
                        .iter()
                        .map(|key| {
                            let row = table.rows.get(key);
                            returning
                                .iter()
                                .map(|name| {
                                    let index = table.def.column_index(name);
                                    let kind = index.and_then(|i| table.def.columns.get(i)).map(|c| c.sql_type.value_kind());
                                    index.and_then(|i| row.and_then(|r| r.get(i))).map_or(Datum::Null, |v| convert::datum(v, kind))
                                })
                                .collect()
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                StatementResult { columns: returning.to_vec(), rows, rows_affected: n, inserted_primary_keys }
            }
            Payload::Update(n) => {
                // RETURNING of an UPDATE: the written (updated) rows' columns.
                let table = match statement {
                    GlueStatement::Update { table_name, .. } => self.storage.table(table_name),
                    _ => None,
                };
                let rows = match table {
                    Some(table) if !returning.is_empty() => written
                        .iter()
                        .map(|key| {
                            let row = table.rows.get(key);
                            returning
                                .iter()
                                .map(|name| table.def.column_index(name).and_then(|i| row.and_then(|r| r.get(i))).map_or(Datum::Null, |v| convert::datum(v, None)))
                                .collect()
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                StatementResult { columns: returning.to_vec(), rows, rows_affected: n, ..StatementResult::default() }
            }
            Payload::Delete(n) | Payload::DropTable(n) => StatementResult { rows_affected: n, ..StatementResult::default() },
            _ => StatementResult::default(),
        }
    }

    /// Whether the storage has a table (no event logged).
    pub fn has_table(&self, name: &str) -> bool {
        self.storage.fetch_schema(name).ok().flatten().is_some()
    }
}

/// A statement's parameters as the echo shows them: one tuple, or a list for executemany.
fn params_text(rows: &[Vec<Datum>], style: ParamStyle) -> String {
    match rows {
        [] => "()".to_owned(),
        [only] => echo::param_tuple(only, style),
        many => echo::param_list(many, style),
    }
}

fn merge(total: &mut StatementResult, one: StatementResult) {
    if total.columns.is_empty() {
        total.columns = one.columns;
    }
    total.rows.extend(one.rows);
    total.rows_affected += one.rows_affected;
    total.inserted_primary_keys.extend(one.inserted_primary_keys);
}

fn event_kind(statement: &Statement) -> EventKind {
    match statement {
        Statement::Select(_) => EventKind::Select,
        Statement::Insert(_) => EventKind::Insert,
        Statement::Update(_) => EventKind::Update,
        Statement::Delete(_) => EventKind::Delete,
        Statement::CreateTable(_) | Statement::CreateIndex(_) | Statement::DropTable { .. } | Statement::DropIndex { .. } => {
            EventKind::Ddl
        }
    }
}

fn glue_event_kind(statement: &GlueStatement) -> EventKind {
    match statement {
        GlueStatement::Query(_) | GlueStatement::ShowColumns { .. } | GlueStatement::ShowIndexes(_) | GlueStatement::ShowVariable(_) => {
            EventKind::Select
        }
        GlueStatement::Insert { .. } => EventKind::Insert,
        GlueStatement::Update { .. } => EventKind::Update,
        GlueStatement::Delete { .. } => EventKind::Delete,
        _ => EventKind::Ddl,
    }
}

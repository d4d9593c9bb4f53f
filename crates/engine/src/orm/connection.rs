//! The ORM's view of the database: a DBAPI-like connection per engine that runs statements
//! and transaction commands (the `db` layer implements it), and the session's use of it
//! (SQLAlchemy 2.0 autobegin: the first statement of a transaction sends `BEGIN (implicit)`).

use super::errors::DbapiKind;
use super::{Orm, OrmError, OrmResult, SessionId};
use crate::sql::{Datum, Statement};

/// Why the ORM sends a statement: shown next to it in the SQL log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// A query or statement the user ran.
    Query,
    /// Part of a flush the user asked for (`flush()` / `commit()`).
    Flush,
    /// A flush the ORM started itself before a query.
    Autoflush,
    /// Loading a relationship on first access.
    LazyLoad,
    /// Reloading expired attributes (after commit, `expire()`, `refresh()`).
    Refresh,
    /// `create_all()` / `drop_all()`.
    Schema,
}

/// What a statement returned.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Datum>>,
    pub rows_affected: usize,
    /// Primary keys the database assigned to inserted rows, in row order.
    pub inserted_ids: Vec<Datum>,
}

/// A failed statement, as the database reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct DbFailure {
    pub kind: DbapiKind,
    /// SQLite's message: `UNIQUE constraint failed: user.username`.
    pub message: String,
    /// The statement as SQLAlchemy's echo renders it, and its parameters.
    pub sql: String,
    pub parameters: Option<String>,
}

impl From<DbFailure> for OrmError {
    fn from(failure: DbFailure) -> OrmError {
        OrmError::database(failure.kind, &failure.message, &failure.sql, failure.parameters.as_deref())
    }
}

/// A DBAPI connection with SQLAlchemy 2.0 transaction semantics.
pub trait Connection: std::fmt::Debug {
    /// Runs statements; several statements of one shape form one executemany (one log line).
    /// Begins a transaction first when none is open (`BEGIN (implicit)`).
    fn execute(&mut self, statements: &[Statement], reason: Reason) -> Result<Outcome, DbFailure>;
    fn in_transaction(&self) -> bool;
    /// Whether a table exists; logs what SQLAlchemy's check sends (`PRAGMA
    /// main.table_info("user")`), beginning a transaction like any statement.
    fn has_table(&mut self, name: &str) -> Result<bool, DbFailure>;
    fn commit(&mut self) -> Result<(), DbFailure>;
    fn rollback(&mut self) -> Result<(), DbFailure>;
    /// `SAVEPOINT name`, beginning a transaction first when none is open.
    fn savepoint(&mut self, name: &str) -> Result<(), DbFailure>;
    fn release_savepoint(&mut self, name: &str) -> Result<(), DbFailure>;
    fn rollback_to_savepoint(&mut self, name: &str) -> Result<(), DbFailure>;
}

impl Orm {
    /// Runs statements for a session (autoflush is the caller's business).
    pub(crate) fn execute(&mut self, session: SessionId, statements: &[Statement], reason: Reason) -> OrmResult<Outcome> {
        self.check_usable(session)?;
        self.open_connection(session)?;
        let engine = self.session(session).engine;
        self.engine_mut(engine)?.execute(statements, reason).map_err(OrmError::from)
    }

    pub(crate) fn open_connection(&mut self, session: SessionId) -> OrmResult<()> {
        self.session_mut(session).scope();
        self.session_mut(session).connection_open = true;
        Ok(())
    }

    fn engine_mut(&mut self, engine: usize) -> OrmResult<&mut Box<dyn Connection>> {
        self.engines
            .get_mut(engine)
            .ok_or_else(|| OrmError::invalid_request("this session is not bound to an engine"))
    }

    fn session_connection(&mut self, session: SessionId) -> OrmResult<&mut Box<dyn Connection>> {
        let engine = self.session(session).engine;
        self.engine_mut(engine)
    }

    pub(crate) fn db_commit(&mut self, session: SessionId) -> OrmResult<()> {
        self.session_mut(session).connection_open = false;
        self.session_connection(session)?.commit().map_err(OrmError::from)
    }

    pub(crate) fn db_rollback(&mut self, session: SessionId) -> OrmResult<()> {
        self.session_mut(session).connection_open = false;
        self.session_connection(session)?.rollback().map_err(OrmError::from)
    }

    pub(crate) fn db_savepoint(&mut self, session: SessionId, name: &str) -> OrmResult<()> {
        self.session_connection(session)?.savepoint(name).map_err(OrmError::from)
    }

    pub(crate) fn db_release_savepoint(&mut self, session: SessionId, name: &str) -> OrmResult<()> {
        self.session_connection(session)?.release_savepoint(name).map_err(OrmError::from)
    }

    pub(crate) fn db_rollback_to_savepoint(&mut self, session: SessionId, name: &str) -> OrmResult<()> {
        self.session_connection(session)?.rollback_to_savepoint(name).map_err(OrmError::from)
    }
}

//! The ORM's view of the database: a DBAPI-like connection per engine that runs statements
//! and transaction commands (the `db` layer implements it), and the session's use of it
//! (SQLAlchemy 2.0 autobegin: the first statement of a transaction sends `BEGIN (implicit)`).

use super::errors::DbapiKind;
use super::{Orm, OrmError, OrmResult, SessionId};
pub use crate::db::Reason;
use crate::db::{Database, DbError, DbErrorKind, StatementResult};
use crate::sql::{Datum, Statement};

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

/// Why the ORM sends statements, and what else besides their text would make SQLAlchemy
/// compile them under a cache key of their own (loader options, which columns a Python
/// default filled): the echo says `[generated in …]` for a new key, `[cached since …]` after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purpose {
    pub reason: Reason,
    pub cache_variant: u64,
}

impl From<Reason> for Purpose {
    fn from(reason: Reason) -> Purpose {
        Purpose { reason, cache_variant: 0 }
    }
}

impl Purpose {
    /// `reason`, compiled under a key that also holds `variant` (hashed).
    pub fn keyed(reason: Reason, variant: &impl std::hash::Hash) -> Purpose {
        use std::hash::Hasher;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        variant.hash(&mut hasher);
        Purpose { reason, cache_variant: hasher.finish() }
    }
}

/// A DBAPI connection with SQLAlchemy 2.0 transaction semantics.
pub trait Connection {
    /// Runs statements; several statements of one shape form one executemany (one log line).
    /// Begins a transaction first when none is open (`BEGIN (implicit)`).
    fn execute(&mut self, statements: &[Statement], purpose: Purpose) -> Result<Outcome, DbFailure>;
    fn in_transaction(&self) -> bool;
    /// Whether a table exists; logs what SQLAlchemy's check sends (`PRAGMA
    /// main.table_info("user")`), beginning a transaction like any statement.
    fn has_table(&mut self, name: &str) -> Result<bool, DbFailure>;
    fn commit(&mut self) -> Result<(), DbFailure>;
    fn rollback(&mut self) -> Result<(), DbFailure>;
    /// `SAVEPOINT sa_savepoint_N`, beginning a transaction first when none is open; returns
    /// the savepoint's name.
    fn savepoint(&mut self) -> Result<String, DbFailure>;
    fn release_savepoint(&mut self, name: &str) -> Result<(), DbFailure>;
    fn rollback_to_savepoint(&mut self, name: &str) -> Result<(), DbFailure>;
}

impl Orm {
    /// Runs statements for a session (autoflush is the caller's business).
    pub(crate) fn execute(&mut self, session: SessionId, statements: &[Statement], purpose: impl Into<Purpose>) -> OrmResult<Outcome> {
        self.check_usable(session)?;
        if let Some(captured) = &mut self.capture {
            captured.extend(statements.iter().cloned());
            return Err(OrmError::new(super::ErrorKind::Preview, "the preview stops before the database"));
        }
        self.open_connection(session)?;
        self.reachable = None;
        let engine = self.session(session).engine;
        let mut purpose = purpose.into();
        if purpose.reason == Reason::Flush && self.session(session).autoflushing {
            purpose.reason = Reason::Autoflush;
        }
        Connection::execute(self.engine_mut(engine)?, statements, purpose).map_err(OrmError::from)
    }

    /// The session's connection, made ready for a statement: its transaction begun (the
    /// database logs `BEGIN (implicit)` with the first statement) and any savepoint that
    /// `begin_nested()` asked for and nothing has needed yet sent now, as SQLAlchemy
    /// provisions connections only when a statement needs one.
    pub(crate) fn open_connection(&mut self, session: SessionId) -> OrmResult<()> {
        self.session_mut(session).scope();
        self.session_mut(session).connection_open = true;
        loop {
            let pending = match &self.session(session).transaction {
                super::session::TransactionState::Active(scopes) => {
                    scopes.iter().skip(1).position(|s| s.savepoint.is_none()).map(|i| i + 1)
                }
                _ => None,
            };
            let Some(index) = pending else { return Ok(()) };
            let name = self.db_savepoint(session)?;
            if let super::session::TransactionState::Active(scopes) = &mut self.session_mut(session).transaction {
                scopes[index].savepoint = Some(name);
            }
        }
    }

    fn engine_mut(&mut self, engine: usize) -> OrmResult<&mut Database> {
        self.engines
            .get_mut(engine)
            .ok_or_else(|| OrmError::invalid_request("this session is not bound to an engine"))
    }

    fn session_connection(&mut self, session: SessionId) -> OrmResult<&mut Database> {
        let engine = self.session(session).engine;
        self.engine_mut(engine)
    }

    pub(crate) fn db_commit(&mut self, session: SessionId) -> OrmResult<()> {
        self.session_mut(session).connection_open = false;
        Connection::commit(self.session_connection(session)?).map_err(OrmError::from)
    }

    pub(crate) fn db_rollback(&mut self, session: SessionId) -> OrmResult<()> {
        self.session_mut(session).connection_open = false;
        Connection::rollback(self.session_connection(session)?).map_err(OrmError::from)
    }

    pub(crate) fn db_savepoint(&mut self, session: SessionId) -> OrmResult<String> {
        Connection::savepoint(self.session_connection(session)?).map_err(OrmError::from)
    }

    pub(crate) fn db_release_savepoint(&mut self, session: SessionId, name: &str) -> OrmResult<()> {
        Connection::release_savepoint(self.session_connection(session)?, name).map_err(OrmError::from)
    }

    pub(crate) fn db_rollback_to_savepoint(&mut self, session: SessionId, name: &str) -> OrmResult<()> {
        Connection::rollback_to_savepoint(self.session_connection(session)?, name).map_err(OrmError::from)
    }
}

impl From<DbError> for DbFailure {
    fn from(error: DbError) -> DbFailure {
        let kind = match error.kind {
            DbErrorKind::IntegrityError => DbapiKind::IntegrityError,
            DbErrorKind::OperationalError => DbapiKind::OperationalError,
            DbErrorKind::ProgrammingError => DbapiKind::ProgrammingError,
            DbErrorKind::DataError => DbapiKind::DataError,
            DbErrorKind::NotSupportedError => DbapiKind::NotSupportedError,
        };
        DbFailure { kind, message: error.message, sql: error.sql.unwrap_or_default(), parameters: error.params }
    }
}

impl From<StatementResult> for Outcome {
    fn from(result: StatementResult) -> Outcome {
        Outcome {
            columns: result.columns,
            rows: result.rows,
            rows_affected: result.rows_affected,
            // The ORM reads back single-column (rowid) keys; composite keys are not possible here.
            inserted_ids: result.inserted_primary_keys.into_iter().map(|mut key| if key.len() == 1 { key.remove(0) } else { Datum::Null }).collect(),
        }
    }
}

impl Connection for Database {
    fn execute(&mut self, statements: &[Statement], purpose: Purpose) -> Result<Outcome, DbFailure> {
        self.set_reason(purpose.reason);
        self.set_cache_variant(purpose.cache_variant);
        Ok(self.execute_many(statements)?.into())
    }

    fn in_transaction(&self) -> bool {
        Database::in_transaction(self)
    }

    fn has_table(&mut self, name: &str) -> Result<bool, DbFailure> {
        Ok(self.table_exists(name)?)
    }

    fn commit(&mut self) -> Result<(), DbFailure> {
        Database::commit(self);
        Ok(())
    }

    fn rollback(&mut self) -> Result<(), DbFailure> {
        Database::rollback(self);
        Ok(())
    }

    fn savepoint(&mut self) -> Result<String, DbFailure> {
        Ok(Database::savepoint(self))
    }

    fn release_savepoint(&mut self, name: &str) -> Result<(), DbFailure> {
        Ok(Database::release_savepoint(self, name)?)
    }

    fn rollback_to_savepoint(&mut self, name: &str) -> Result<(), DbFailure> {
        Ok(Database::rollback_to_savepoint(self, name)?)
    }
}

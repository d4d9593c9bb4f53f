//! ORM errors, named after the Python exception each becomes (`sqlalchemy.exc.*`, or a
//! builtin such as `TypeError`), with the message `str(exc)` prints.

use std::fmt;

/// Which Python exception class an [`OrmError`] is raised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A DBAPI error (`IntegrityError`, `OperationalError`, ...), wrapped by SQLAlchemy.
    Database(DbapiKind),
    InvalidRequest,
    /// A `SessionTransaction` used after it ended.
    ResourceClosed,
    PendingRollback,
    NoResultFound,
    MultipleResultsFound,
    DetachedInstance,
    ObjectDeleted,
    UnmappedInstance,
    Argument,
    CircularDependency,
    StaleData,
    /// werkzeug's `NotFound` from `get_or_404` and friends.
    NotFound,
    /// A construct the playground's database or ORM cannot do (`NotImplementedError`).
    NotSupported,
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
    /// The live preview stopped an operation at the database (never shown to users).
    Preview,
    /// An exception raised by host code the ORM called (a Python default callable); the
    /// host keeps the exception itself.
    Host,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbapiKind {
    IntegrityError,
    OperationalError,
    ProgrammingError,
    DataError,
    NotSupportedError,
    InterfaceError,
    InternalError,
}

impl DbapiKind {
    pub fn class_name(self) -> &'static str {
        match self {
            DbapiKind::IntegrityError => "IntegrityError",
            DbapiKind::OperationalError => "OperationalError",
            DbapiKind::ProgrammingError => "ProgrammingError",
            DbapiKind::DataError => "DataError",
            DbapiKind::NotSupportedError => "NotSupportedError",
            DbapiKind::InterfaceError => "InterfaceError",
            DbapiKind::InternalError => "InternalError",
        }
    }

    /// The code SQLAlchemy's "Background on this error" link carries.
    pub fn code(self) -> &'static str {
        match self {
            DbapiKind::IntegrityError => "gkpj",
            DbapiKind::OperationalError => "e3q8",
            DbapiKind::ProgrammingError => "f405",
            DbapiKind::DataError => "9h9h",
            DbapiKind::NotSupportedError => "tw8g",
            DbapiKind::InterfaceError => "rvf5",
            DbapiKind::InternalError => "2j85",
        }
    }
}

/// The driver-level exception inside a wrapped DBAPI error (`exc.orig`).
#[derive(Clone, Debug, PartialEq)]
pub struct DbapiError {
    pub kind: DbapiKind,
    /// `str(exc.orig)`: `UNIQUE constraint failed: user.username`.
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrmError {
    pub kind: ErrorKind,
    /// `str(exc)`, complete.
    pub message: String,
    pub orig: Option<DbapiError>,
    /// For [`ErrorKind::Host`]: the host's handle of the exception it raised.
    pub host_error: Option<u32>,
}

impl OrmError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> OrmError {
        OrmError { kind, message: message.into(), orig: None, host_error: None }
    }

    /// A SQLAlchemy error whose message ends with its documentation link.
    pub fn with_code(kind: ErrorKind, message: impl Into<String>, code: &str) -> OrmError {
        OrmError::new(
            kind,
            format!("{} (Background on this error at: https://sqlalche.me/e/20/{code})", message.into()),
        )
    }

    /// A DBAPI error as SQLAlchemy wraps it: `(sqlite3.IntegrityError) UNIQUE constraint
    /// failed: user.username` plus the statement and its parameters.
    pub fn database(kind: DbapiKind, message: &str, sql: &str, parameters: Option<&str>) -> OrmError {
        let mut text = format!("(sqlite3.{}) {message}\n[SQL: {sql}]", kind.class_name());
        if let Some(parameters) = parameters {
            text.push_str(&format!("\n[parameters: {parameters}]"));
        }
        text.push_str(&format!(
            "\n(Background on this error at: https://sqlalche.me/e/20/{})",
            kind.code()
        ));
        OrmError {
            kind: ErrorKind::Database(kind),
            message: text,
            orig: Some(DbapiError { kind, message: message.to_string() }),
            host_error: None,
        }
    }

    pub fn invalid_request(message: impl Into<String>) -> OrmError {
        OrmError::new(ErrorKind::InvalidRequest, message)
    }

    pub fn argument(message: impl Into<String>) -> OrmError {
        OrmError::new(ErrorKind::Argument, message)
    }

    pub fn not_supported(message: impl Into<String>) -> OrmError {
        OrmError::new(ErrorKind::NotSupported, message)
    }

    pub fn type_error(message: impl Into<String>) -> OrmError {
        OrmError::new(ErrorKind::TypeError, message)
    }

    pub fn no_result() -> OrmError {
        OrmError::new(ErrorKind::NoResultFound, "No row was found when one was required")
    }

    pub fn multiple_results() -> OrmError {
        OrmError::new(ErrorKind::MultipleResultsFound, "Multiple rows were found when exactly one was required")
    }

    /// Python's qualified class name, as a traceback's last line shows it.
    pub fn class_name(&self) -> &'static str {
        match self.kind {
            ErrorKind::Database(kind) => kind.class_name(),
            ErrorKind::InvalidRequest => "InvalidRequestError",
            ErrorKind::ResourceClosed => "ResourceClosedError",
            ErrorKind::PendingRollback => "PendingRollbackError",
            ErrorKind::NoResultFound => "NoResultFound",
            ErrorKind::MultipleResultsFound => "MultipleResultsFound",
            ErrorKind::DetachedInstance => "DetachedInstanceError",
            ErrorKind::ObjectDeleted => "ObjectDeletedError",
            ErrorKind::UnmappedInstance => "UnmappedInstanceError",
            ErrorKind::Argument => "ArgumentError",
            ErrorKind::CircularDependency => "CircularDependencyError",
            ErrorKind::StaleData => "StaleDataError",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::NotSupported => "NotImplementedError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::AttributeError => "AttributeError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::Host => "Exception",
            ErrorKind::Preview => "RuntimeError",
        }
    }
}

impl fmt::Display for OrmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class_name(), self.message)
    }
}

impl std::error::Error for OrmError {}

pub type OrmResult<T> = Result<T, OrmError>;

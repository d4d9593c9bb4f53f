//! Database errors as the DBAPI (sqlite3) raises them, and SQLAlchemy's wording.

/// The sqlite3 exception class of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbErrorKind {
    IntegrityError,
    OperationalError,
    ProgrammingError,
    DataError,
    NotSupportedError,
}

impl DbErrorKind {
    pub fn class_name(self) -> &'static str {
        match self {
            DbErrorKind::IntegrityError => "IntegrityError",
            DbErrorKind::OperationalError => "OperationalError",
            DbErrorKind::ProgrammingError => "ProgrammingError",
            DbErrorKind::DataError => "DataError",
            DbErrorKind::NotSupportedError => "NotSupportedError",
        }
    }

    /// The code of SQLAlchemy's "Background on this error" link.
    fn background_code(self) -> &'static str {
        match self {
            DbErrorKind::IntegrityError => "gkpj",
            DbErrorKind::OperationalError => "e3q8",
            DbErrorKind::ProgrammingError => "f405",
            DbErrorKind::DataError => "9h9h",
            DbErrorKind::NotSupportedError => "tw8g",
        }
    }
}

/// A failed statement: the DBAPI class, SQLite's message, and the echo SQL and
/// rendered parameters of the statement that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    pub kind: DbErrorKind,
    pub message: String,
    pub sql: Option<String>,
    /// The parameters as the echo renders them (`('John',)`), absent when empty.
    pub params: Option<String>,
}

impl DbError {
    pub fn new(kind: DbErrorKind, message: impl Into<String>) -> Self {
        DbError { kind, message: message.into(), sql: None, params: None }
    }

    pub fn with_statement(mut self, sql: &str, params: Option<String>) -> Self {
        self.sql = Some(sql.trim_matches('\n').to_owned());
        self.params = params.filter(|p| p != "()");
        self
    }

    /// `str()` of SQLAlchemy's wrapping exception:
    /// `(sqlite3.IntegrityError) UNIQUE constraint failed: user.username\n[SQL: ...]\n[parameters: (...)]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)`.
    pub fn sqlalchemy_message(&self) -> String {
        let mut text = format!("(sqlite3.{}) {}", self.kind.class_name(), self.message);
        if let Some(sql) = &self.sql {
            text.push_str(&format!("\n[SQL: {sql}]"));
        }
        if let Some(params) = &self.params {
            text.push_str(&format!("\n[parameters: {params}]"));
        }
        text.push_str(&format!(
            "\n(Background on this error at: https://sqlalche.me/e/20/{})",
            self.kind.background_code()
        ));
        text
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sqlalchemy_message())
    }
}

impl std::error::Error for DbError {}

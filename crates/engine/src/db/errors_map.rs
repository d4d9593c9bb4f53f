//! GlueSQL's errors as sqlite3 would have raised them.

use gluesql::core::ast::Statement;
use gluesql::core::error::{AlterError, Error, EvaluateError, InsertError, UpdateError, ValidateError, ValueError};

use super::error::{DbError, DbErrorKind};
use super::storage::Storage;
use crate::sql::glue::Unsupported;

fn operational(message: String) -> DbError {
    DbError::new(DbErrorKind::OperationalError, message)
}

/// The table a statement writes to, for naming columns `table.column`.
fn target_table(statement: &Statement) -> &str {
    match statement {
        Statement::Insert { table_name, .. }
        | Statement::Update { table_name, .. }
        | Statement::Delete { table_name, .. } => table_name,
        _ => "",
    }
}

/// The primary key column of the written table (GlueSQL's only NOT NULL column).
fn primary_key(statement: &Statement, storage: &Storage) -> String {
    let table = target_table(statement);
    let column = storage
        .table(table)
        .and_then(|t| t.def.primary_key.first().cloned())
        .unwrap_or_default();
    format!("{table}.{column}")
}

pub fn from_glue(error: &Error, statement: &Statement, storage: &Storage) -> DbError {
    match error {
        Error::Alter(alter) => match alter.as_ref() {
            AlterError::TableAlreadyExists(name) => operational(format!("table {name} already exists")),
            AlterError::TableNotFound(name) => operational(format!("no such table: {name}")),
            other => operational(other.to_string()),
        },
        Error::Insert(InsertError::TableNotFound(name)) => operational(format!("no such table: {name}")),
        Error::Validate(validate) if matches!(validate, ValidateError::DuplicateEntryOnPrimaryKeyField(_)) => {
            DbError::new(DbErrorKind::IntegrityError, format!("UNIQUE constraint failed: {}", primary_key(statement, storage)))
        }
        Error::Insert(InsertError::LackOfRequiredColumn(column)) => DbError::new(
            DbErrorKind::IntegrityError,
            format!("NOT NULL constraint failed: {}.{column}", target_table(statement)),
        ),
        Error::Insert(InsertError::ColumnAndValuesNotMatched | InsertError::TooManyValues) => {
            operational("the number of values does not match the number of columns".to_owned())
        }
        Error::Insert(InsertError::WrongColumnName(column)) => {
            operational(format!("table {} has no column named {column}", target_table(statement)))
        }
        Error::Update(UpdateError::ColumnNotFound(column)) => operational(format!("no such column: {column}")),
        Error::Update(UpdateError::UpdateOnPrimaryKeyNotSupported(column)) => DbError::new(
            DbErrorKind::NotSupportedError,
            Unsupported(format!("changing the primary key {}.{column}", target_table(statement))).to_string(),
        ),
        Error::Evaluate(EvaluateError::TextParseFailed { literal, data_type } | EvaluateError::NumberParseFailed { literal, data_type }) => {
            DbError::new(DbErrorKind::NotSupportedError, Unsupported(format!("storing {literal} in a {data_type} column")).to_string())
        }
        Error::Evaluate(EvaluateError::IdentifierNotFound(name)) => operational(format!("no such column: {name}")),
        Error::Evaluate(EvaluateError::CompoundIdentifierNotFound { table_alias, column_name }) => {
            operational(format!("no such column: {table_alias}.{column_name}"))
        }
        Error::Value(value) if matches!(value.as_ref(), ValueError::NullValueOnNotNullField) => DbError::new(
            DbErrorKind::IntegrityError,
            format!("NOT NULL constraint failed: {}", primary_key(statement, storage)),
        ),
        Error::Value(value) => match value.as_ref() {
            // SQLite stores any value in any column; GlueSQL's columns are typed.
            ValueError::IncompatibleDataType { data_type, value } => DbError::new(
                DbErrorKind::NotSupportedError,
                Unsupported(format!("storing {} in a {data_type} column", String::from(value))).to_string(),
            ),
            other => operational(other.to_string()),
        },
        Error::StorageMsg(message) => operational(message.clone()),
        other => operational(other.to_string()),
    }
}

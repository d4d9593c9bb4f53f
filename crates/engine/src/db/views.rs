//! Read-only views of the database for the UI: tables and their columns,
//! pages of rows (sorted as SQLite sorts, for virtualised rendering), what the
//! open transaction changed, and a SQL dump for export.

use std::cmp::Ordering;

use gluesql::core::data::{Key, Value};

use super::convert;
use super::database::Database;
use super::snapshot::{self, SnapshotError};
use super::storage::Table;
use crate::sql::{echo, Datum};

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnView {
    pub name: String,
    /// The SQLite DDL type SQLAlchemy renders (`VARCHAR(80)`).
    pub sql_type: String,
    pub primary_key: bool,
    pub unique: bool,
    pub nullable: bool,
    pub indexed: bool,
    /// `user.id` when the column references another table.
    pub foreign_key: Option<String>,
    pub server_default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    pub name: String,
    pub columns: Vec<ColumnView>,
    pub row_count: usize,
}

/// How the open transaction touched a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    Unchanged,
    Inserted,
    Updated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowView {
    /// The primary key (or rowid) that identifies the row.
    pub key: Datum,
    pub values: Vec<Datum>,
    pub change: RowChange,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowsPage {
    pub columns: Vec<String>,
    /// Rows in the table (for the scroll height).
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<RowView>,
}

fn column_views(table: &Table) -> Vec<ColumnView> {
    let def = &table.def;
    def.columns
        .iter()
        .map(|c| ColumnView {
            name: c.name.clone(),
            sql_type: c.sql_type.sqlite_ddl(),
            primary_key: def.primary_key.contains(&c.name),
            unique: c.unique || def.unique_constraints.iter().any(|set| set == std::slice::from_ref(&c.name)),
            nullable: c.nullable,
            indexed: c.index,
            foreign_key: def.foreign_keys.iter().find(|fk| fk.column == c.name).map(|fk| format!("{}.{}", fk.ref_table, fk.ref_column)),
            server_default: c.server_default.clone(),
        })
        .collect()
}

fn row_datums(table: &Table, row: &[Value]) -> Vec<Datum> {
    row.iter()
        .zip(&table.def.columns)
        .map(|(value, column)| convert::datum(value, Some(column.sql_type.value_kind())))
        .collect()
}

/// SQLite's order for a sort column: NULLs first, then by value.
fn sqlite_order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        _ => a.evaluate_cmp(b).unwrap_or(Ordering::Equal),
    }
}

impl Database {
    /// Every table with its columns and row count (current state, including
    /// uncommitted changes), by name.
    pub fn table_views(&self) -> Vec<TableView> {
        self.storage
            .tables()
            .map(|t| TableView { name: t.def.name.clone(), columns: column_views(t), row_count: t.rows.len() })
            .collect()
    }

    fn change_of(&self, table: &str, key: &Key, row: &std::sync::Arc<Vec<Value>>) -> RowChange {
        match self.begin_state() {
            None => RowChange::Unchanged,
            Some(begin) => match begin.table(table).map(|t| t.rows.get(key)) {
                Some(Some(_)) if begin.same_row(table, key, row) => RowChange::Unchanged,
                Some(Some(_)) => RowChange::Updated,
                _ => RowChange::Inserted,
            },
        }
    }

    /// A page of rows: `limit` rows from `offset`, in key order or sorted by a
    /// column (`descending` reverses it), each marked with its change in the
    /// open transaction. `None` for a missing table or column.
    pub fn rows_page(&self, table_name: &str, offset: usize, limit: usize, sort: Option<(&str, bool)>) -> Option<RowsPage> {
        let table = self.storage.table(table_name)?;
        let columns = table.def.columns.iter().map(|c| c.name.clone()).collect();
        let page: Vec<(&Key, &std::sync::Arc<Vec<Value>>)> = match sort {
            None => table.rows.iter().skip(offset).take(limit).collect(),
            Some((column, descending)) => {
                let position = table.def.column_index(column)?;
                const NULL: &Value = &Value::Null;
                let mut all: Vec<(&Value, &Key, &std::sync::Arc<Vec<Value>>)> =
                    table.rows.iter().map(|(key, row)| (row.get(position).unwrap_or(NULL), key, row)).collect();
                all.sort_by(|(va, ka, _), (vb, kb, _)| sqlite_order(va, vb).then_with(|| ka.cmp(kb)));
                if descending {
                    all.reverse();
                }
                all.into_iter().skip(offset).take(limit).map(|(_, key, row)| (key, row)).collect()
            }
        };
        let rows = page
            .into_iter()
            .map(|(key, row)| RowView { key: convert::key_datum(key), values: row_datums(table, row), change: self.change_of(table_name, key, row) })
            .collect();
        Some(RowsPage { columns, total: table.rows.len(), offset, rows })
    }

    /// Rows of a table the open transaction deleted (as they were at BEGIN).
    pub fn deleted_rows(&self, table_name: &str) -> Vec<RowView> {
        let Some(begin) = self.begin_state().and_then(|b| b.table(table_name)) else { return Vec::new() };
        let current = self.storage.table(table_name);
        begin
            .rows
            .iter()
            .filter(|(key, _)| current.is_none_or(|t| !t.rows.contains_key(key)))
            .map(|(key, row)| RowView { key: convert::key_datum(key), values: row_datums(begin, row), change: RowChange::Unchanged })
            .collect()
    }

    /// The committed database as snapshot bytes (see `snapshot`).
    pub fn encode_committed(&self) -> Vec<u8> {
        snapshot::encode(self.committed())
    }

    /// Replaces the whole database with a snapshot; an open transaction is
    /// discarded. On error nothing changes.
    pub fn restore(&mut self, bytes: &[u8]) -> Result<(), SnapshotError> {
        let storage = snapshot::decode(bytes)?;
        self.replace_storage(storage);
        Ok(())
    }

    /// The committed database as SQLite-flavoured SQL (`sqlite3 .dump` style).
    pub fn dump(&self) -> String {
        let mut out = String::from("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
        let committed = self.committed();
        for table in committed.tables() {
            out.push_str(echo::create_table(&table.def).trim_matches('\n'));
            out.push_str(";\n");
            let name = echo::quote_ident(&table.def.name);
            for row in table.rows.values() {
                let values: Vec<String> = row_datums(table, row).iter().map(|d| d.to_sqlite_storage().sqlite_literal()).collect();
                out.push_str(&format!("INSERT INTO {name} VALUES({});\n", values.join(",")));
            }
        }
        for table in committed.tables() {
            for index in table.def.column_indexes() {
                out.push_str(&echo::create_index(&index));
                out.push_str(";\n");
            }
        }
        out.push_str("COMMIT;\n");
        out
    }
}

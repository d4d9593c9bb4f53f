//! The playground's GlueSQL storage: tables in persistent (structurally shared)
//! maps so a snapshot is a cheap clone, with our own catalog (`TableDef`), index
//! maps, and SQLite's constraint checks (NOT NULL, UNIQUE, FOREIGN KEY) done on
//! every write GlueSQL makes.
//!
//! GlueSQL is shown plain nullable columns and a single-column primary key only:
//! it would otherwise scan the whole table for each UNIQUE check and enforce
//! foreign keys SQLite leaves alone by default.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

use gluesql::core::ast::{ColumnDef as GlueColumnDef, Expr, IndexOperator, OrderByExpr};
use gluesql::core::data::{Key, Schema, Value};
use gluesql::core::error::{Error, Result};
use gluesql::core::plan::StatementPlan;
use gluesql::core::planner::{
    fetch_schema_map, plan_aggregate, plan_hash_join, plan_index, plan_primary_key, plan_schemaless, validate,
};
use gluesql::core::store::{
    AlterTable, CustomFunction, CustomFunctionMut, Index, IndexMut, Metadata, Planner, RowIter, Store, StoreMut,
    Transaction,
};

use super::catalog;
use crate::sql::{ColumnDef, TableDef};

/// What the statement being executed writes: GlueSQL calls `insert_data` both to
/// insert and to update rows, and the checks differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteMode {
    #[default]
    Insert,
    Update,
}

/// A constraint a write would break, with SQLite's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    NotNull(String),
    Unique(String),
    ForeignKey,
    /// A schema change SQLite would refuse (message as SQLite words it).
    Schema(String),
}

impl Violation {
    pub fn message(&self) -> String {
        match self {
            Violation::NotNull(columns) => format!("NOT NULL constraint failed: {columns}"),
            Violation::Unique(columns) => format!("UNIQUE constraint failed: {columns}"),
            Violation::ForeignKey => "FOREIGN KEY constraint failed".to_owned(),
            Violation::Schema(message) => message.clone(),
        }
    }
}

/// Counts of how rows were reached, for tests and measurements.
#[derive(Debug, Default)]
pub struct AccessStats {
    pub full_scans: Cell<u64>,
    pub index_lookups: Cell<u64>,
}

impl AccessStats {
    fn bump(counter: &Cell<u64>) {
        counter.set(counter.get() + 1);
    }
}

/// One index over a table: the primary key of a table without a single-column
/// key, a UNIQUE constraint, or an `index=True` column.
#[derive(Debug, Clone)]
pub struct TableIndex {
    pub name: String,
    pub columns: Vec<usize>,
    pub unique: bool,
    entries: im::OrdMap<Vec<Key>, Vec<Key>>,
}

impl TableIndex {
    fn new(name: String, columns: Vec<usize>, unique: bool) -> Self {
        TableIndex { name, columns, unique, entries: im::OrdMap::new() }
    }

    fn entry_key(&self, row: &[Value]) -> Vec<Key> {
        self.columns
            .iter()
            .map(|&i| row.get(i).cloned().and_then(|v| Key::try_from(v).ok()).unwrap_or(Key::None))
            .collect()
    }

    /// Adds a row; for a unique index, fails when another row holds the same
    /// non-NULL values (SQLite lets NULLs repeat).
    fn add(&mut self, row_key: &Key, row: &[Value]) -> std::result::Result<(), ()> {
        let entry = self.entry_key(row);
        let holders = self.entries.entry(entry.clone()).or_default();
        if self.unique && !entry.contains(&Key::None) && holders.iter().any(|k| k != row_key) {
            return Err(());
        }
        if !holders.contains(row_key) {
            holders.push(row_key.clone());
        }
        Ok(())
    }

    fn remove(&mut self, row_key: &Key, row: &[Value]) {
        let entry = self.entry_key(row);
        let now_empty = match self.entries.get_mut(&entry) {
            Some(holders) => {
                holders.retain(|k| k != row_key);
                holders.is_empty()
            }
            None => false,
        };
        if now_empty {
            self.entries.remove(&entry);
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub def: Arc<TableDef>,
    /// What GlueSQL sees: plain nullable columns, a single primary key, and
    /// `SchemaIndex`es naming our indexes so its planner uses them.
    schema: Arc<Schema>,
    pub rows: im::OrdMap<Key, Arc<Vec<Value>>>,
    indexes: Vec<TableIndex>,
}

impl Table {
    /// Rows are keyed by their primary key value when GlueSQL knows the key.
    fn keyed_by_primary_key(&self) -> bool {
        self.def.primary_key.len() == 1
    }

    fn qualified(&self, column: usize) -> String {
        let name = self.def.columns.get(column).map_or("?", |c| c.name.as_str());
        format!("{}.{}", self.def.name, name)
    }

    fn qualified_list(&self, columns: &[usize]) -> String {
        columns.iter().map(|&c| self.qualified(c)).collect::<Vec<_>>().join(", ")
    }

    fn check_not_null(&self, row: &[Value]) -> std::result::Result<(), Violation> {
        for (i, column) in self.def.columns.iter().enumerate() {
            if !column.nullable && row.get(i).is_none_or(|v| matches!(v, Value::Null)) {
                return Err(Violation::NotNull(self.qualified(i)));
            }
        }
        Ok(())
    }

    fn index_row(&mut self, key: &Key, row: &[Value]) -> std::result::Result<(), Violation> {
        for i in 0..self.indexes.len() {
            let Some(index) = self.indexes.get_mut(i) else { continue };
            if index.add(key, row).is_err() {
                let columns = index.columns.clone();
                return Err(Violation::Unique(self.qualified_list(&columns)));
            }
        }
        Ok(())
    }

    fn unindex_row(&mut self, key: &Key, row: &[Value]) {
        for index in &mut self.indexes {
            index.remove(key, row);
        }
    }

    fn rebuild_indexes(&mut self) -> std::result::Result<(), Violation> {
        for index in &mut self.indexes {
            index.entries = im::OrdMap::new();
        }
        let rows: Vec<(Key, Arc<Vec<Value>>)> = self.rows.iter().map(|(k, r)| (k.clone(), Arc::clone(r))).collect();
        for (key, row) in rows {
            self.index_row(&key, &row)?;
        }
        Ok(())
    }

    /// The next rowid, as SQLite picks it: one more than the largest in use.
    pub fn next_rowid(&self) -> i64 {
        match self.rows.get_max() {
            Some((Key::I64(max), _)) => max.saturating_add(1),
            _ => 1,
        }
    }

    /// Row keys whose `column` equals `value` when the primary key or an index
    /// covers the column; `None` when only a scan could tell.
    pub fn indexed_keys(&self, column: usize, value: &Value) -> Option<Vec<Key>> {
        let key = Key::try_from(value.clone()).ok()?;
        if self.keyed_by_primary_key() && self.def.primary_key.first().and_then(|pk| self.def.column_index(pk)) == Some(column) {
            return Some(if self.rows.contains_key(&key) { vec![key] } else { Vec::new() });
        }
        let index = self.indexes.iter().find(|ix| ix.columns == [column])?;
        Some(index.entries.get(&vec![key]).cloned().unwrap_or_default())
    }

    /// Row keys whose `column` equals `value`, through an index when one covers it.
    fn keys_where(&self, column: usize, value: &Value) -> Vec<Key> {
        if let Some(keys) = self.indexed_keys(column, value) {
            return keys;
        }
        self.rows
            .iter()
            .filter(|(_, row)| row.get(column) == Some(value))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Applies a change to every row (adding or dropping a column).
    fn edit_rows(&mut self, mut edit: impl FnMut(&mut Vec<Value>)) {
        self.rows = self
            .rows
            .iter()
            .map(|(k, row)| {
                let mut row = row.as_ref().clone();
                edit(&mut row);
                (k.clone(), Arc::new(row))
            })
            .collect();
    }
}

/// Flags for the statement being executed, set by the database before it
/// hands the statement to GlueSQL and read back afterwards.
#[derive(Debug, Clone, Default)]
pub struct StatementState {
    pub mode: WriteMode,
    pub foreign_keys: bool,
    /// UPDATE/DELETE whose WHERE pins rows by an indexed column: GlueSQL scans
    /// only these candidates (it still evaluates the WHERE on each).
    pub scan_candidates: Option<(String, Vec<Key>)>,
    /// The definition for the CREATE TABLE / CREATE UNIQUE INDEX being run.
    pub pending_table: Option<TableDef>,
    pub pending_unique_index: bool,
    pub violation: Option<Violation>,
    /// Keys of the rows the statement inserted, in order.
    pub written: Vec<Key>,
}

#[derive(Debug, Clone, Default)]
pub struct Storage {
    tables: im::OrdMap<String, Table>,
    pub state: StatementState,
    pub stats: Rc<AccessStats>,
}

/// Returned to GlueSQL when a constraint fails; the database reads the
/// violation itself from `StatementState::violation`.
const VIOLATION: &str = "constraint violation";

fn fail<T>(state: &mut StatementState, violation: Violation) -> Result<T> {
    state.violation = Some(violation);
    Err(Error::StorageMsg(VIOLATION.to_owned()))
}

fn table_missing<T>(name: &str) -> Result<T> {
    Err(Error::StorageMsg(format!("no such table: {name}")))
}

impl Storage {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    /// The same data without the per-statement flags (for snapshots).
    pub fn clean_copy(&self) -> Storage {
        Storage { tables: self.tables.clone(), state: StatementState::default(), stats: Rc::clone(&self.stats) }
    }

    /// Builds a table from its definition and rows (restoring a snapshot).
    pub fn restore_table(&mut self, def: TableDef, rows: Vec<(Key, Vec<Value>)>) -> std::result::Result<(), String> {
        let mut table = new_table(def).map_err(|v| v.message())?;
        for (key, row) in rows {
            table.index_row(&key, &row).map_err(|v| v.message())?;
            table.rows.insert(key, Arc::new(row));
        }
        self.tables.insert(table.def.name.clone(), table);
        Ok(())
    }

    /// The table an index belongs to.
    pub fn index_table(&self, index_name: &str) -> Option<&str> {
        self.tables.values().find(|t| t.indexes.iter().any(|ix| ix.name == index_name)).map(|t| t.def.name.as_str())
    }

    /// SQLite refuses to drop a column that a key, constraint or index uses
    /// (GlueSQL would drop the indexes silently): checked before running.
    pub fn check_drop_column(&self, table_name: &str, column_name: &str) -> std::result::Result<(), Violation> {
        let Some(table) = self.tables.get(table_name) else { return Ok(()) };
        let Some(position) = table.def.column_index(column_name) else { return Ok(()) };
        let schema_error = |message: String| Err(Violation::Schema(message));
        if table.def.primary_key.iter().any(|c| c == column_name) {
            return schema_error(format!("cannot drop PRIMARY KEY column: \"{column_name}\""));
        }
        if let Some(index) = table.indexes.iter().find(|ix| ix.columns.contains(&position)) {
            let owner = if index.name.starts_with(AUTOINDEX_PREFIX) { format!("table {table_name}") } else { format!("index {}", index.name) };
            return schema_error(format!("error in {owner} after drop column: no such column: {column_name}"));
        }
        if table.def.foreign_keys.iter().any(|fk| fk.column == column_name) {
            return schema_error(format!(
                "error in table {table_name} after drop column: unknown column \"{column_name}\" in foreign key definition"
            ));
        }
        Ok(())
    }

    /// Whether two storages hold the same rows for a table (for change views).
    pub fn same_row(&self, table: &str, key: &Key, row: &Arc<Vec<Value>>) -> bool {
        self.tables
            .get(table)
            .and_then(|t| t.rows.get(key))
            .is_some_and(|other| Arc::ptr_eq(other, row) || other == row)
    }

    fn write_rows(&mut self, table_name: &str, rows: Vec<(Key, Vec<Value>)>) -> Result<()> {
        let Some(mut table) = self.tables.get(table_name).cloned() else { return table_missing(table_name) };
        let mode = self.state.mode;
        let mut written = Vec::with_capacity(rows.len());
        for (key, row) in rows {
            if let Err(violation) = table.check_not_null(&row) {
                return fail(&mut self.state, violation);
            }
            match (mode, table.rows.get(&key).cloned()) {
                (WriteMode::Insert, Some(_)) => {
                    let pk: Vec<usize> = table.def.primary_key.iter().filter_map(|c| table.def.column_index(c)).collect();
                    let violation = Violation::Unique(table.qualified_list(&pk));
                    return fail(&mut self.state, violation);
                }
                (WriteMode::Update, Some(old)) => table.unindex_row(&key, &old),
                _ => {}
            }
            if let Err(violation) = table.index_row(&key, &row) {
                return fail(&mut self.state, violation);
            }
            table.rows.insert(key.clone(), Arc::new(row));
            written.push(key);
        }
        let previous = self.tables.insert(table_name.to_owned(), table);
        if self.state.foreign_keys {
            if let Err(violation) = self.check_foreign_keys(table_name, &written, previous.as_ref()) {
                if let Some(previous) = previous {
                    self.tables.insert(table_name.to_owned(), previous);
                }
                return fail(&mut self.state, violation);
            }
        }
        self.state.written.extend(written);
        Ok(())
    }

    /// After rows of `table_name` were written: their references must exist,
    /// and rows referencing their old values (an UPDATE) must still find them.
    fn check_foreign_keys(&self, table_name: &str, written: &[Key], previous: Option<&Table>) -> std::result::Result<(), Violation> {
        let Some(table) = self.tables.get(table_name) else { return Ok(()) };
        for fk in &table.def.foreign_keys {
            let (Some(column), Some(parent)) = (table.def.column_index(&fk.column), self.tables.get(&fk.ref_table)) else {
                return Err(Violation::ForeignKey);
            };
            let Some(parent_column) = parent.def.column_index(&fk.ref_column) else { return Err(Violation::ForeignKey) };
            for key in written {
                let value = table.rows.get(key).and_then(|row| row.get(column).cloned()).unwrap_or(Value::Null);
                if !matches!(value, Value::Null) && parent.keys_where(parent_column, &value).is_empty() {
                    return Err(Violation::ForeignKey);
                }
            }
        }
        let Some(previous) = previous else { return Ok(()) };
        for (child, fk) in self.referencing(table_name) {
            let Some(parent_column) = table.def.column_index(&fk.ref_column) else { continue };
            let Some(child_column) = child.def.column_index(&fk.column) else { continue };
            for key in written {
                let old = previous.rows.get(key).and_then(|r| r.get(parent_column).cloned());
                let new = table.rows.get(key).and_then(|r| r.get(parent_column).cloned());
                if let Some(old) = old.filter(|old| Some(old) != new.as_ref() && !matches!(old, Value::Null)) {
                    if table.keys_where(parent_column, &old).is_empty() && !child.keys_where(child_column, &old).is_empty() {
                        return Err(Violation::ForeignKey);
                    }
                }
            }
        }
        Ok(())
    }

    /// Every table with a foreign key into `table_name`, with that key.
    fn referencing(&self, table_name: &str) -> Vec<(&Table, crate::sql::ForeignKeyDef)> {
        self.tables
            .values()
            .flat_map(|t| t.def.foreign_keys.iter().filter(|fk| fk.ref_table == table_name).map(move |fk| (t, fk.clone())))
            .collect()
    }

    /// Deletes rows; with foreign keys on, applies ON DELETE CASCADE / SET NULL
    /// to referencing rows and refuses when others still reference them.
    fn delete_rows(&mut self, table_name: &str, keys: Vec<Key>) -> std::result::Result<(), Violation> {
        let Some(mut table) = self.tables.get(table_name).cloned() else { return Ok(()) };
        let mut removed = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(row) = table.rows.remove(&key) {
                table.unindex_row(&key, &row);
                removed.push(row);
            }
        }
        self.tables.insert(table_name.to_owned(), table);
        if !self.state.foreign_keys || removed.is_empty() {
            return Ok(());
        }
        let referencing: Vec<(String, crate::sql::ForeignKeyDef)> =
            self.referencing(table_name).into_iter().map(|(t, fk)| (t.def.name.clone(), fk)).collect();
        for (child_name, fk) in referencing {
            let Some(parent) = self.tables.get(table_name) else { continue };
            let Some(parent_column) = parent.def.column_index(&fk.ref_column) else { continue };
            // Values still present in another parent row keep their children valid.
            let gone: BTreeSet<Key> = removed
                .iter()
                .filter_map(|row| row.get(parent_column).cloned())
                .filter(|v| !matches!(v, Value::Null) && parent.keys_where(parent_column, v).is_empty())
                .filter_map(|v| Key::try_from(v).ok())
                .collect();
            let Some(child) = self.tables.get(&child_name) else { continue };
            let Some(child_column) = child.def.column_index(&fk.column) else { continue };
            let orphans: Vec<Key> = gone
                .iter()
                .flat_map(|k| child.keys_where(child_column, &Value::from(k.clone())))
                .collect();
            if orphans.is_empty() {
                continue;
            }
            match fk.on_delete.as_deref().map(str::to_ascii_uppercase).as_deref() {
                Some("CASCADE") => self.delete_rows(&child_name, orphans)?,
                Some("SET NULL") => {
                    let rows: Vec<(Key, Vec<Value>)> = orphans
                        .into_iter()
                        .filter_map(|k| {
                            let mut row = child.rows.get(&k)?.as_ref().clone();
                            *row.get_mut(child_column)? = Value::Null;
                            Some((k, row))
                        })
                        .collect();
                    let mode = std::mem::replace(&mut self.state.mode, WriteMode::Update);
                    let result = self.write_rows(&child_name, rows);
                    self.state.mode = mode;
                    if result.is_err() {
                        return Err(self.state.violation.take().unwrap_or(Violation::ForeignKey));
                    }
                }
                _ => return Err(Violation::ForeignKey),
            }
        }
        Ok(())
    }
}

/// Names of the indexes behind UNIQUE and composite PRIMARY KEY constraints, as SQLite names them.
const AUTOINDEX_PREFIX: &str = "sqlite_autoindex_";

/// A new, empty table for a definition, with its indexes and GlueSQL schema.
fn new_table(def: TableDef) -> std::result::Result<Table, Violation> {
    let mut indexes = Vec::new();
    for columns in def.unique_sets() {
        let is_single_primary_key = def.primary_key.len() == 1 && columns == def.primary_key;
        if is_single_primary_key {
            continue; // rows are keyed by it
        }
        let positions: Vec<usize> = columns.iter().filter_map(|c| def.column_index(c)).collect();
        let name = format!("{AUTOINDEX_PREFIX}{}_{}", def.name, indexes.len() + 1);
        indexes.push(TableIndex::new(name, positions, true));
    }
    for index in def.column_indexes() {
        let positions: Vec<usize> = index.columns.iter().filter_map(|c| def.column_index(c)).collect();
        indexes.push(TableIndex::new(index.name, positions, index.unique));
    }
    let schema = catalog::glue_schema(&def, &indexes.iter().map(|ix| (ix.name.clone(), ix.columns.clone())).collect::<Vec<_>>());
    Ok(Table { def: Arc::new(def), schema: Arc::new(schema), rows: im::OrdMap::new(), indexes })
}

fn refresh_schema(table: &mut Table) {
    let indexes: Vec<(String, Vec<usize>)> = table.indexes.iter().map(|ix| (ix.name.clone(), ix.columns.clone())).collect();
    table.schema = Arc::new(catalog::glue_schema(&table.def, &indexes));
}

impl Store for Storage {
    fn fetch_schema(&self, table_name: &str) -> Result<Option<Schema>> {
        Ok(self.tables.get(table_name).map(|t| t.schema.as_ref().clone()))
    }

    fn fetch_all_schemas(&self) -> Result<Vec<Schema>> {
        Ok(self.tables.values().map(|t| t.schema.as_ref().clone()).collect())
    }

    fn fetch_data(&self, table_name: &str, key: &Key) -> Result<Option<Vec<Value>>> {
        AccessStats::bump(&self.stats.index_lookups);
        Ok(self.tables.get(table_name).and_then(|t| t.rows.get(key)).map(|row| row.as_ref().clone()))
    }

    fn scan_data<'a>(&'a self, table_name: &str) -> Result<RowIter<'a>> {
        let Some(table) = self.tables.get(table_name) else { return table_missing(table_name) };
        if let Some((candidate_table, keys)) = &self.state.scan_candidates {
            if candidate_table == table_name {
                AccessStats::bump(&self.stats.index_lookups);
                let rows: Vec<_> = keys
                    .iter()
                    .filter_map(|k| table.rows.get(k).map(|row| Ok((k.clone(), row.as_ref().clone()))))
                    .collect();
                return Ok(Box::new(rows.into_iter()));
            }
        }
        AccessStats::bump(&self.stats.full_scans);
        Ok(Box::new(table.rows.iter().map(|(k, row)| Ok((k.clone(), row.as_ref().clone())))))
    }
}

impl StoreMut for Storage {
    fn insert_schema(&mut self, schema: &Schema) -> Result<()> {
        if let Some(table) = self.tables.get_mut(&schema.table_name) {
            // GlueSQL re-inserts schemas it edits; our catalog stays authoritative.
            refresh_schema(table);
            return Ok(());
        }
        let def = match self.state.pending_table.take() {
            // `index=True` columns get their index from the CREATE [UNIQUE] INDEX that follows.
            Some(mut def) => {
                for column in def.columns.iter_mut().filter(|c| c.index) {
                    column.index = false;
                    column.unique = false;
                }
                def
            }
            None => match catalog::table_def_from_schema(schema) {
                Ok(def) => def,
                Err(violation) => return fail(&mut self.state, violation),
            },
        };
        match new_table(def) {
            Ok(table) => {
                self.tables.insert(schema.table_name.clone(), table);
                Ok(())
            }
            Err(violation) => fail(&mut self.state, violation),
        }
    }

    fn delete_schema(&mut self, table_name: &str) -> Result<()> {
        self.tables.remove(table_name);
        Ok(())
    }

    fn append_data(&mut self, table_name: &str, rows: Vec<Vec<Value>>) -> Result<()> {
        let Some(table) = self.tables.get(table_name) else { return table_missing(table_name) };
        let first = table.next_rowid();
        let keyed = rows.into_iter().zip(first..).map(|(row, id)| (Key::I64(id), row)).collect();
        self.write_rows(table_name, keyed)
    }

    fn insert_data(&mut self, table_name: &str, rows: Vec<(Key, Vec<Value>)>) -> Result<()> {
        self.write_rows(table_name, rows)
    }

    fn delete_data(&mut self, table_name: &str, keys: Vec<Key>) -> Result<()> {
        let before = self.tables.clone();
        match self.delete_rows(table_name, keys) {
            Ok(()) => Ok(()),
            Err(violation) => {
                self.tables = before;
                fail(&mut self.state, violation)
            }
        }
    }
}

impl Index for Storage {
    fn scan_indexed_data<'a>(
        &'a self,
        table_name: &str,
        index_name: &str,
        asc: Option<bool>,
        cmp_value: Option<(&IndexOperator, Value)>,
    ) -> Result<RowIter<'a>> {
        let Some(table) = self.tables.get(table_name) else { return table_missing(table_name) };
        let name = catalog::index_base_name(index_name);
        let Some(index) = table.indexes.iter().find(|ix| ix.name == name) else {
            return Err(Error::StorageMsg(format!("no such index: {index_name}")));
        };
        AccessStats::bump(&self.stats.index_lookups);
        let keys = index_scan(table, index, asc, cmp_value, &self.stats);
        let rows: Vec<_> = keys
            .into_iter()
            .filter_map(|k| table.rows.get(&k).map(|row| Ok((k, row.as_ref().clone()))))
            .collect();
        Ok(Box::new(rows.into_iter()))
    }
}

/// Row keys an index yields for GlueSQL's index access: `cmp_value` filters
/// (NULL never compares, `Eq NULL` is IS NULL and `Lt NULL` IS NOT NULL, as
/// GlueSQL's planner encodes them), `asc` orders with NULLs last ascending.
fn index_scan(table: &Table, index: &TableIndex, asc: Option<bool>, cmp_value: Option<(&IndexOperator, Value)>, stats: &AccessStats) -> Vec<Key> {
    let holders = |entries: &mut dyn Iterator<Item = (&Vec<Key>, &Vec<Key>)>| -> Vec<Key> {
        entries.flat_map(|(_, keys)| keys.iter().cloned()).collect()
    };
    let is_null = |entry: &Vec<Key>| entry.first() == Some(&Key::None);
    let mut keys = match cmp_value {
        None => holders(&mut index.entries.iter()),
        Some((op, Value::Null)) => match op {
            IndexOperator::Eq => holders(&mut index.entries.iter().filter(|(e, _)| is_null(e))),
            IndexOperator::Lt => holders(&mut index.entries.iter().filter(|(e, _)| !is_null(e))),
            _ => Vec::new(),
        },
        Some((op, value)) => {
            let column = index.columns.first().copied().unwrap_or(0);
            // NULL entries sort last, so the first entry shows the column's stored type.
            let sample = index.entries.keys().next().and_then(|entry| entry.first()).filter(|k| **k != Key::None);
            match Key::try_from(value.clone()) {
                Ok(key) if sample.is_none_or(|s| std::mem::discriminant(s) == std::mem::discriminant(&key)) => {
                    let target = vec![key];
                    let matches = |entry: &Vec<Key>| {
                        !is_null(entry)
                            && match op {
                                IndexOperator::Eq => *entry == target,
                                IndexOperator::Gt => *entry > target,
                                IndexOperator::GtEq => *entry >= target,
                                IndexOperator::Lt => *entry < target,
                                IndexOperator::LtEq => *entry <= target,
                            }
                    };
                    if *op == IndexOperator::Eq {
                        index.entries.get(&target).cloned().unwrap_or_default()
                    } else {
                        holders(&mut index.entries.iter().filter(|(e, _)| matches(e)))
                    }
                }
                // Values of another type than the column's: compare as GlueSQL would, row by row.
                _ => {
                    AccessStats::bump(&stats.full_scans);
                    table
                        .rows
                        .iter()
                        .filter(|(_, row)| {
                            let Some(stored) = row.get(column) else { return false };
                            let ordering = stored.evaluate_cmp(&value);
                            match (op, ordering) {
                                (_, None) => false,
                                (IndexOperator::Eq, Some(o)) => o.is_eq(),
                                (IndexOperator::Gt, Some(o)) => o.is_gt(),
                                (IndexOperator::GtEq, Some(o)) => o.is_ge(),
                                (IndexOperator::Lt, Some(o)) => o.is_lt(),
                                (IndexOperator::LtEq, Some(o)) => o.is_le(),
                            }
                        })
                        .map(|(k, _)| k.clone())
                        .collect()
                }
            }
        }
    };
    if asc == Some(false) {
        keys.reverse();
    }
    keys
}

impl IndexMut for Storage {
    fn create_index(&mut self, table_name: &str, index_name: &str, column: &OrderByExpr) -> Result<()> {
        let unique = std::mem::take(&mut self.state.pending_unique_index);
        let Some(table) = self.tables.get(table_name) else { return table_missing(table_name) };
        let Expr::Identifier(column_name) = &column.expr else {
            return fail(&mut self.state, Violation::Schema("indexes on expressions are not supported by the playground's database (GlueSQL)".to_owned()));
        };
        let Some(position) = table.def.column_index(column_name) else {
            return fail(&mut self.state, Violation::Schema(format!("no such column: {column_name}")));
        };
        if self.tables.values().any(|t| t.indexes.iter().any(|ix| ix.name == index_name)) {
            return fail(&mut self.state, Violation::Schema(format!("index {index_name} already exists")));
        }
        let mut table = table.clone();
        let mut def = table.def.as_ref().clone();
        if let Some(column) = def.columns.get_mut(position) {
            mark_indexed(column, unique);
        }
        table.def = Arc::new(def);
        table.indexes.push(TableIndex::new(index_name.to_owned(), vec![position], unique));
        if let Err(violation) = table.rebuild_indexes() {
            return fail(&mut self.state, violation);
        }
        refresh_schema(&mut table);
        self.tables.insert(table_name.to_owned(), table);
        Ok(())
    }

    fn drop_index(&mut self, table_name: &str, index_name: &str) -> Result<()> {
        let Some(mut table) = self.tables.get(table_name).cloned() else { return table_missing(table_name) };
        let name = catalog::index_base_name(index_name);
        if name.starts_with(AUTOINDEX_PREFIX) {
            let message = "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped".to_owned();
            return fail(&mut self.state, Violation::Schema(message));
        }
        let Some(position) = table.indexes.iter().position(|ix| ix.name == name) else {
            return fail(&mut self.state, Violation::Schema(format!("no such index: {name}")));
        };
        let dropped = table.indexes.remove(position);
        let mut def = table.def.as_ref().clone();
        for &c in &dropped.columns {
            if let Some(column) = def.columns.get_mut(c) {
                column.index = false;
                column.unique &= !dropped.unique;
            }
        }
        table.def = Arc::new(def);
        refresh_schema(&mut table);
        self.tables.insert(table_name.to_owned(), table);
        Ok(())
    }
}

fn mark_indexed(column: &mut ColumnDef, unique: bool) {
    column.index = true;
    column.unique |= unique;
}

impl AlterTable for Storage {
    fn rename_schema(&mut self, table_name: &str, new_table_name: &str) -> Result<()> {
        let Some(mut table) = self.tables.remove(table_name) else { return table_missing(table_name) };
        let mut def = table.def.as_ref().clone();
        def.name = new_table_name.to_owned();
        table.def = Arc::new(def);
        refresh_schema(&mut table);
        self.tables.insert(new_table_name.to_owned(), table);
        // SQLite rewrites the foreign keys that pointed at the old name.
        let names: Vec<String> = self.tables.keys().cloned().collect();
        for name in names {
            let Some(mut other) = self.tables.get(&name).cloned() else { continue };
            if other.def.foreign_keys.iter().any(|fk| fk.ref_table == table_name) {
                let mut def = other.def.as_ref().clone();
                for fk in &mut def.foreign_keys {
                    if fk.ref_table == table_name {
                        new_table_name.clone_into(&mut fk.ref_table);
                    }
                }
                other.def = Arc::new(def);
                refresh_schema(&mut other);
                self.tables.insert(name, other);
            }
        }
        Ok(())
    }

    fn rename_column(&mut self, table_name: &str, old_column_name: &str, new_column_name: &str) -> Result<()> {
        let Some(mut table) = self.tables.get(table_name).cloned() else { return table_missing(table_name) };
        if table.def.column(new_column_name).is_some() {
            return fail(&mut self.state, Violation::Schema(format!("duplicate column name: {new_column_name}")));
        }
        if table.def.column(old_column_name).is_none() {
            return fail(&mut self.state, Violation::Schema(format!("no such column: \"{old_column_name}\"")));
        }
        table.def = Arc::new(catalog::rename_column(&table.def, old_column_name, new_column_name));
        refresh_schema(&mut table);
        self.tables.insert(table_name.to_owned(), table);
        Ok(())
    }

    fn add_column(&mut self, table_name: &str, column_def: &GlueColumnDef) -> Result<()> {
        let Some(mut table) = self.tables.get(table_name).cloned() else { return table_missing(table_name) };
        if table.def.column(&column_def.name).is_some() {
            return fail(&mut self.state, Violation::Schema(format!("duplicate column name: {}", column_def.name)));
        }
        let value = match &column_def.default {
            Some(expr) => {
                let plan = gluesql::core::plan::plan_scalar_expr(expr.clone());
                gluesql::core::executor::evaluate_stateless(None, &plan)?.try_into_value(&column_def.data_type, true)?
            }
            None if column_def.nullable || table.rows.is_empty() => Value::Null,
            None => {
                return fail(&mut self.state, Violation::Schema("Cannot add a NOT NULL column with default value NULL".to_owned()));
            }
        };
        let column = catalog::column_from_glue(column_def);
        let mut def = table.def.as_ref().clone();
        def.columns.push(column);
        table.def = Arc::new(def);
        table.edit_rows(|row| row.push(value.clone()));
        refresh_schema(&mut table);
        self.tables.insert(table_name.to_owned(), table);
        Ok(())
    }

    fn drop_column(&mut self, table_name: &str, column_name: &str, if_exists: bool) -> Result<()> {
        let Some(mut table) = self.tables.get(table_name).cloned() else { return table_missing(table_name) };
        let Some(position) = table.def.column_index(column_name) else {
            if if_exists {
                return Ok(());
            }
            return fail(&mut self.state, Violation::Schema(format!("no such column: \"{column_name}\"")));
        };
        let mut def = table.def.as_ref().clone();
        def.columns.remove(position);
        table.def = Arc::new(def);
        table.edit_rows(|row| {
            if position < row.len() {
                row.remove(position);
            }
        });
        for index in &mut table.indexes {
            for c in &mut index.columns {
                if *c > position {
                    *c -= 1;
                }
            }
        }
        refresh_schema(&mut table);
        self.tables.insert(table_name.to_owned(), table);
        Ok(())
    }
}

impl Transaction for Storage {}
impl Metadata for Storage {}
impl CustomFunction for Storage {}
impl CustomFunctionMut for Storage {}

impl Planner for Storage {
    /// GlueSQL's default pipeline plus its index planner, which the default
    /// leaves out: lookups on indexed columns then go through `Index`.
    fn plan(&self, statement: StatementPlan) -> Result<StatementPlan> {
        let schema_map = fetch_schema_map(self, &statement)?;
        validate(&schema_map, &statement)?;
        let statement = plan_schemaless(&schema_map, statement)?;
        let statement = plan_primary_key(&schema_map, statement);
        let statement = plan_index(&schema_map, statement);
        let statement = plan_hash_join(&schema_map, statement);
        Ok(plan_aggregate(statement))
    }
}

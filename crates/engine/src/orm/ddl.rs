//! `create_all()` / `drop_all()`: the tables of the metadata as DDL statements, in
//! dependency order, skipping tables that exist (SQLAlchemy checks each with
//! `PRAGMA table_info` first, and so does the database layer, logging the same lines).

use super::connection::{Connection, Reason};
use super::schema::{ColumnType, MetaDataId, Table};
use super::{Orm, OrmError, OrmResult};
use crate::sql::{ColumnDef, ForeignKeyDef, SqlType, Statement, TableDef};

impl ColumnType {
    /// The SQL type the DDL uses.
    pub fn sql_type(&self) -> SqlType {
        match self {
            ColumnType::Integer => SqlType::Integer,
            ColumnType::BigInteger => SqlType::BigInteger,
            ColumnType::SmallInteger => SqlType::SmallInteger,
            ColumnType::String(n) | ColumnType::Unicode(n) => SqlType::String(*n),
            ColumnType::Text | ColumnType::UnicodeText => SqlType::Text,
            ColumnType::Boolean => SqlType::Boolean,
            ColumnType::Float => SqlType::Float,
            ColumnType::Numeric { precision: Some(p), scale: Some(s) } => SqlType::Numeric(Some((*p, *s))),
            ColumnType::Numeric { .. } => SqlType::Numeric(None),
            ColumnType::Date => SqlType::Date,
            ColumnType::DateTime => SqlType::DateTime,
            ColumnType::Time => SqlType::Time,
            ColumnType::LargeBinary => SqlType::LargeBinary,
            ColumnType::Enum(values) => SqlType::Enum { length: values.iter().map(|v| v.chars().count() as u32).max().unwrap_or(0) },
            ColumnType::Json => SqlType::Json,
            ColumnType::Uuid { .. } => SqlType::Uuid,
        }
    }
}

impl Table {
    /// The table as CREATE TABLE describes it.
    pub fn definition(&self) -> TableDef {
        let columns = self
            .columns
            .iter()
            .map(|c| ColumnDef {
                name: c.name.clone(),
                sql_type: c.column_type.sql_type(),
                nullable: c.nullable,
                server_default: c.server_default.clone(),
                unique: c.unique,
                index: c.index,
            })
            .collect();
        let foreign_keys = self
            .columns
            .iter()
            .filter_map(|c| {
                let fk = c.foreign_key.as_ref()?;
                Some(ForeignKeyDef {
                    column: c.name.clone(),
                    ref_table: fk.target_table.clone(),
                    ref_column: fk.target_column.clone(),
                    on_delete: fk.ondelete.clone(),
                })
            })
            .collect();
        TableDef {
            name: self.name.clone(),
            columns,
            primary_key: self.primary_key().map(|(_, c)| c.name.clone()).collect(),
            unique_constraints: vec![],
            foreign_keys,
            checks: vec![],
        }
    }
}

impl Orm {
    /// `metadata.create_all()`: CREATE TABLE (and CREATE INDEX) for every table of that
    /// `MetaData` (`None`: of all of them) not in the database yet, parents before children,
    /// in one transaction.
    pub fn create_all(&mut self, engine: usize, metadata: Option<MetaDataId>) -> OrmResult<()> {
        self.registry.configure()?;
        let plans = self
            .registry
            .metadata
            .creation_order(metadata)
            .into_iter()
            .map(|id| {
                let definition = self.registry.metadata.table(id).definition();
                let mut statements = vec![Statement::CreateTable(definition.clone())];
                statements.extend(definition.column_indexes().into_iter().map(Statement::CreateIndex));
                (definition.name, statements)
            })
            .collect();
        self.run_ddl(engine, metadata, plans, false)
    }

    /// `metadata.drop_all()`: DROP TABLE for every existing table of that `MetaData` (`None`:
    /// of all of them), children before parents.
    pub fn drop_all(&mut self, engine: usize, metadata: Option<MetaDataId>) -> OrmResult<()> {
        self.registry.configure()?;
        let mut tables = self.registry.metadata.creation_order(metadata);
        tables.reverse();
        let plans = tables
            .into_iter()
            .map(|id| {
                let name = self.registry.metadata.table(id).name.clone();
                (name.clone(), vec![Statement::DropTable { name }])
            })
            .collect();
        self.run_ddl(engine, metadata, plans, true)
    }

    /// DROP TABLE for the named tables of that `MetaData` that exist (children before parents).
    pub fn drop_tables(&mut self, engine: usize, metadata: Option<MetaDataId>, names: &[String]) -> OrmResult<()> {
        let mut tables = self.registry.metadata.creation_order(metadata);
        tables.reverse();
        let plans = tables
            .into_iter()
            .map(|id| self.registry.metadata.table(id).name.clone())
            .filter(|name| names.contains(name))
            .map(|name| (name.clone(), vec![Statement::DropTable { name }]))
            .collect();
        self.run_ddl(engine, metadata, plans, true)
    }

    /// Runs each table's statements when the table's existence is `run_if_exists`; commits
    /// unless a transaction was already open (then the DDL joins it).
    fn run_ddl(&mut self, engine: usize, metadata: Option<MetaDataId>, plans: Vec<(String, Vec<Statement>)>, run_if_exists: bool) -> OrmResult<()> {
        let declared: Vec<String> = self.registry.metadata.tables_of(metadata).map(|(_, t)| t.name.clone()).collect();
        let connection = self.engines.get_mut(engine).ok_or_else(|| OrmError::invalid_request("no such engine"))?;
        let was_open = Connection::in_transaction(connection);
        // Every table is checked first, in the order the tables were declared, then the
        // statements run in dependency order (as SQLAlchemy's create_all / drop_all).
        let run = || -> OrmResult<()> {
            let mut existing = Vec::new();
            for table in &declared {
                if Connection::has_table(connection, table)? {
                    existing.push(table.clone());
                }
            }
            let mut due = Vec::new();
            let mut planned: Vec<String> = Vec::new();
            for (table, statements) in plans {
                // Across several `MetaData` (`None`), a name the database has once is done once.
                if existing.contains(&table) == run_if_exists && !planned.contains(&table) {
                    due.extend(statements);
                    planned.push(table);
                }
            }
            for statement in due {
                Connection::execute(connection, &[statement], Reason::CreateAll.into())?;
            }
            Ok(())
        };
        let result = run();
        if was_open {
            return result;
        }
        let finished = match &result {
            Ok(()) => Connection::commit(connection),
            Err(_) => Connection::rollback(connection),
        };
        result.and(finished.map_err(OrmError::from))
    }
}

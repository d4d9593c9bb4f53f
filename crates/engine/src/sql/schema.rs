//! Table definitions as SQLAlchemy's `Table`/`Column` describe them, and the
//! column types the playground supports.

use serde::{Deserialize, Serialize};

/// A SQLAlchemy column type (as declared on the model), with the SQLite DDL
/// name SQLAlchemy renders for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SqlType {
    Integer,
    BigInteger,
    SmallInteger,
    /// `String(n)` / `Unicode(n)`: `VARCHAR(n)`, length not enforced (SQLite).
    String(Option<u32>),
    /// `Text` / `UnicodeText`.
    Text,
    Boolean,
    Float,
    /// `Numeric(precision, scale)`.
    Numeric(Option<(u32, u32)>),
    Date,
    DateTime,
    Time,
    LargeBinary,
    /// `Enum(...)`: `VARCHAR(n)` with n the longest member name.
    Enum { length: u32 },
    Json,
    /// `Uuid`: `CHAR(32)`, the hex digits (SQLAlchemy's Uuid on a database without a UUID type).
    Uuid,
}

/// The kind of value a column holds once read back: what the db compares and converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Int,
    Float,
    Text,
    Bool,
    Bytes,
    Date,
    Time,
    DateTime,
    Decimal,
    Json,
}

impl SqlType {
    /// The type as SQLAlchemy's SQLite dialect renders it in CREATE TABLE.
    pub fn sqlite_ddl(&self) -> String {
        match self {
            SqlType::Integer => "INTEGER".to_owned(),
            SqlType::BigInteger => "BIGINT".to_owned(),
            SqlType::SmallInteger => "SMALLINT".to_owned(),
            SqlType::String(Some(n)) => format!("VARCHAR({n})"),
            SqlType::String(None) => "VARCHAR".to_owned(),
            SqlType::Text => "TEXT".to_owned(),
            SqlType::Boolean => "BOOLEAN".to_owned(),
            SqlType::Float => "FLOAT".to_owned(),
            SqlType::Numeric(Some((precision, scale))) => format!("NUMERIC({precision}, {scale})"),
            SqlType::Numeric(None) => "NUMERIC".to_owned(),
            SqlType::Date => "DATE".to_owned(),
            SqlType::DateTime => "DATETIME".to_owned(),
            SqlType::Time => "TIME".to_owned(),
            SqlType::LargeBinary => "BLOB".to_owned(),
            SqlType::Enum { length } => format!("VARCHAR({length})"),
            SqlType::Json => "JSON".to_owned(),
            SqlType::Uuid => "CHAR(32)".to_owned(),
        }
    }

    pub fn value_kind(&self) -> ValueKind {
        match self {
            SqlType::Integer | SqlType::BigInteger | SqlType::SmallInteger => ValueKind::Int,
            SqlType::String(_) | SqlType::Text | SqlType::Enum { .. } | SqlType::Uuid => ValueKind::Text,
            SqlType::Boolean => ValueKind::Bool,
            SqlType::Float => ValueKind::Float,
            SqlType::Numeric(_) => ValueKind::Decimal,
            SqlType::Date => ValueKind::Date,
            SqlType::DateTime => ValueKind::DateTime,
            SqlType::Time => ValueKind::Time,
            SqlType::LargeBinary => ValueKind::Bytes,
            SqlType::Json => ValueKind::Json,
        }
    }
}

/// `ForeignKey('user.id', ondelete=...)` on a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKeyDef {
    pub column: String,
    pub ref_table: String,
    pub ref_column: String,
    /// `ON DELETE CASCADE` etc., rendered in the DDL; the ORM performs cascades.
    pub on_delete: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    pub sql_type: SqlType,
    pub nullable: bool,
    /// `server_default` as SQL text (`'3'` renders `DEFAULT '3'`).
    pub server_default: Option<String>,
    /// `unique=True`: a `UNIQUE (col)` constraint, or a unique index with `index=True`.
    pub unique: bool,
    /// `index=True`: `CREATE [UNIQUE] INDEX ix_<table>_<col>`.
    pub index: bool,
}

impl ColumnDef {
    pub fn new(name: &str, sql_type: SqlType) -> Self {
        ColumnDef {
            name: name.to_owned(),
            sql_type,
            nullable: true,
            server_default: None,
            unique: false,
            index: false,
        }
    }
}

/// A table as `metadata.create_all()` creates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDef {
    pub name: String,
    pub columns: Vec<ColumnDef>,
    /// Primary key column names, in order (several for a composite key).
    pub primary_key: Vec<String>,
    /// `UniqueConstraint(...)`s over several columns (single ones use `ColumnDef::unique`).
    pub unique_constraints: Vec<Vec<String>>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// `CheckConstraint` texts: GlueSQL cannot enforce them, so creating such a table fails.
    pub checks: Vec<String>,
}

impl TableDef {
    pub fn new(name: &str, columns: Vec<ColumnDef>, primary_key: &[&str]) -> Self {
        TableDef {
            name: name.to_owned(),
            columns,
            primary_key: primary_key.iter().map(|c| (*c).to_owned()).collect(),
            unique_constraints: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
        }
    }

    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The column SQLite makes an alias of the rowid: a single `INTEGER` primary
    /// key. Only it gets ids assigned automatically (max(rowid) + 1).
    pub fn rowid_alias(&self) -> Option<usize> {
        match self.primary_key.as_slice() {
            [only] => self
                .column_index(only)
                .filter(|&i| self.columns.get(i).is_some_and(|c| c.sql_type == SqlType::Integer)),
            _ => None,
        }
    }

    /// The indexes `create_all` emits after the table: `ix_<table>_<column>`.
    pub fn column_indexes(&self) -> Vec<super::ast::IndexDef> {
        self.columns
            .iter()
            .filter(|c| c.index)
            .map(|c| super::ast::IndexDef {
                name: format!("ix_{}_{}", self.name, c.name),
                table: self.name.clone(),
                columns: vec![c.name.clone()],
                unique: c.unique,
            })
            .collect()
    }

    /// Every set of columns whose values must be unique together through a
    /// constraint of the table: the primary key, `unique=True` columns (those
    /// with `index=True` get a unique index instead) and `UniqueConstraint`s.
    pub fn unique_sets(&self) -> Vec<Vec<String>> {
        let mut sets = Vec::new();
        if !self.primary_key.is_empty() {
            sets.push(self.primary_key.clone());
        }
        sets.extend(self.columns.iter().filter(|c| c.unique && !c.index).map(|c| vec![c.name.clone()]));
        sets.extend(self.unique_constraints.iter().cloned());
        sets
    }
}

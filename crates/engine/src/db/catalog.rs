//! Our catalog (`TableDef`) and the GlueSQL `Schema` shown for it: plain
//! nullable columns, the single-column primary key, and a `SchemaIndex` per
//! index under two names (bare and table-qualified column) so GlueSQL's planner
//! picks it for `col = ?` and `table.col = ?` alike.

use chrono::NaiveDateTime;
use gluesql::core::ast::{ColumnDef as GlueColumnDef, ColumnUniqueOption, DataType, Expr};
use gluesql::core::data::{Schema, SchemaIndex, SchemaIndexOrd};

use super::storage::Violation;
use crate::sql::{glue, ColumnDef, ForeignKeyDef, SqlType, TableDef};

/// Suffix of the second, table-qualified planner entry of an index.
const QUALIFIED_SUFFIX: &str = "#qualified";

/// The index a planner entry names.
pub fn index_base_name(planner_name: &str) -> &str {
    planner_name.strip_suffix(QUALIFIED_SUFFIX).unwrap_or(planner_name)
}

/// A fixed creation time: GlueSQL records one per index, and a clock read here
/// would make snapshots differ run to run.
pub fn epoch() -> NaiveDateTime {
    NaiveDateTime::default()
}

/// The GlueSQL schema for a table and its single-column indexes.
pub fn glue_schema(def: &TableDef, indexes: &[(String, Vec<usize>)]) -> Schema {
    // Validated when the table was created (a default GlueSQL cannot hold was refused then).
    let column_defs = glue::column_defs(def).unwrap_or_default();
    let mut schema_indexes = Vec::new();
    for (name, columns) in indexes {
        let [column] = columns.as_slice() else { continue };
        let Some(column) = def.columns.get(*column) else { continue };
        let entry = |name: String, expr: Expr| SchemaIndex { name, expr, order: SchemaIndexOrd::Both, created: epoch() };
        schema_indexes.push(entry(name.clone(), Expr::Identifier(column.name.clone())));
        schema_indexes.push(entry(
            format!("{name}{QUALIFIED_SUFFIX}"),
            Expr::CompoundIdentifier { alias: def.name.clone(), ident: column.name.clone() },
        ));
    }
    Schema {
        table_name: def.name.clone(),
        column_defs: Some(column_defs),
        indexes: schema_indexes,
        engine: None,
        foreign_keys: Vec::new(),
        comment: None,
    }
}

/// The SQLAlchemy type closest to a GlueSQL column type (raw `CREATE TABLE`).
fn sql_type(data_type: &DataType) -> Option<SqlType> {
    Some(match data_type {
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int | DataType::Int128 => SqlType::Integer,
        DataType::Uint8 | DataType::Uint16 | DataType::Uint32 | DataType::Uint64 | DataType::Uint128 => {
            SqlType::Integer
        }
        DataType::Float32 | DataType::Float => SqlType::Float,
        DataType::Text => SqlType::Text,
        DataType::Boolean => SqlType::Boolean,
        DataType::Bytea => SqlType::LargeBinary,
        DataType::Date => SqlType::Date,
        DataType::Timestamp => SqlType::DateTime,
        DataType::Time => SqlType::Time,
        DataType::Decimal => SqlType::Numeric(None),
        _ => return None,
    })
}

pub fn column_from_glue(column: &GlueColumnDef) -> ColumnDef {
    ColumnDef {
        name: column.name.clone(),
        sql_type: sql_type(&column.data_type).unwrap_or(SqlType::Text),
        nullable: column.nullable && column.unique != Some(ColumnUniqueOption { is_primary: true }),
        server_default: None,
        unique: column.unique == Some(ColumnUniqueOption { is_primary: false }),
        index: false,
    }
}

/// Our definition of a table created by raw SQL, from what GlueSQL parsed.
pub fn table_def_from_schema(schema: &Schema) -> Result<TableDef, Violation> {
    let Some(columns) = &schema.column_defs else {
        return Err(Violation::Schema("a table without columns is not supported by the playground's database (GlueSQL)".to_owned()));
    };
    if let Some(column) = columns.iter().find(|c| sql_type(&c.data_type).is_none()) {
        return Err(Violation::Schema(format!(
            "the column type {} of {} is not supported by the playground's database",
            column.data_type, column.name
        )));
    }
    let primary_key = columns
        .iter()
        .filter(|c| c.unique == Some(ColumnUniqueOption { is_primary: true }))
        .map(|c| c.name.clone())
        .collect();
    let foreign_keys = schema
        .foreign_keys
        .iter()
        .map(|fk| ForeignKeyDef {
            column: fk.referencing_column_name.clone(),
            ref_table: fk.referenced_table_name.clone(),
            ref_column: fk.referenced_column_name.clone(),
            on_delete: None,
        })
        .collect();
    Ok(TableDef {
        name: schema.table_name.clone(),
        columns: columns.iter().map(column_from_glue).collect(),
        primary_key,
        unique_constraints: Vec::new(),
        foreign_keys,
        checks: Vec::new(),
    })
}

/// A definition with one column renamed everywhere it is named.
pub fn rename_column(def: &TableDef, old: &str, new: &str) -> TableDef {
    let rename = |name: &mut String| {
        if name == old {
            new.clone_into(name);
        }
    };
    let mut def = def.clone();
    for column in &mut def.columns {
        rename(&mut column.name);
    }
    def.primary_key.iter_mut().for_each(rename);
    for set in &mut def.unique_constraints {
        set.iter_mut().for_each(rename);
    }
    for fk in &mut def.foreign_keys {
        rename(&mut fk.column);
    }
    def
}

//! The SQL layer: statements as data (`ast`, `schema`, `value`) and their two
//! renderings, SQLAlchemy's echo for SQLite (`echo`) and the GlueSQL AST that
//! runs (`glue`). It knows nothing of the database that executes them.

pub mod ast;
pub mod echo;
pub mod glue;
mod pyrepr;
pub mod schema;
pub mod text;
pub mod value;

pub use ast::*;
pub use schema::{ColumnDef, ForeignKeyDef, SqlType, TableDef, ValueKind};
pub use value::Datum;

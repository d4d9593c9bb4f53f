//! The database layer: GlueSQL over the playground's own storage, with SQLite's
//! behaviour where learners can see it (ids, constraints and their messages,
//! transactions and savepoints), the statement/event log, snapshots and views.

mod catalog;
mod convert;
mod storage;
mod database;
pub mod error;
mod errors_map;
pub mod events;
mod raw;
pub mod snapshot;
mod sqlite_semantics;
mod views;

pub use database::{Clock, Database, StatementResult};
pub use error::{DbError, DbErrorKind};
pub use events::{Batch, Event, EventKind, Origin, Reason};
pub use snapshot::SnapshotError;
pub use storage::AccessStats;
pub use views::{ColumnView, RowChange, RowView, RowsPage, TableView};

//! The sqla-playground engine: a Python-subset interpreter, an ORM shaped like
//! SQLAlchemy (with Flask-SQLAlchemy as a thin layer on it), a SQL layer and a
//! GlueSQL-backed database. No browser dependency: everything here is tested
//! natively and compiled unchanged into the web app.
//!
//! Data flows one way: text → `script` → `orm` → `sql` → `db`; results come back
//! as rows → objects → values. See ARCHITECTURE.md at the repository root.

pub mod bindings;
pub mod db;
pub mod orm;
pub mod playground;
pub mod script;
pub mod sql;

/// Counts the heap each thread holds, for the interpreter's memory limit (`script::heap`).
#[global_allocator]
static ALLOCATOR: script::heap::CountingAllocator = script::heap::CountingAllocator;

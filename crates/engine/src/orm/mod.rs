//! The ORM, shaped like SQLAlchemy's `orm` package: mappers map classes to tables, a session
//! tracks objects through their lifecycle, the unit of work turns their changes into ordered
//! statements, and queries load rows back into objects (one object per row: the identity
//! map). Everything is plain data in one [`Orm`] value; the host (the Python bindings) holds
//! [`ObjId`]s and asks the ORM to read, write and flush.
//!
//! One concept per module:
//! - [`schema`]: tables and columns (`Table`, `Column`, `ForeignKey`, `MetaData`)
//! - [`mapper`]: class → table mapping and relationship configuration ([`relationships`])
//! - [`state`], [`identity`]: per-object state, identity keys, the identity map
//! - [`attributes`]: reading and writing mapped attributes, collections, backrefs
//! - [`cascade`]: which operations follow relationships
//! - [`session`]: the session and its transaction
//! - [`unitofwork`], [`persistence`]: flush ordering and the statements it sends
//! - [`select`], [`loading`]: ORM selects, their SQL, and rows back into objects
//! - [`connection`]: the database as the ORM sees it (a DBAPI-like connection)

pub mod attributes;
pub mod bulk;
pub mod cascade;
pub mod connection;
pub mod ddl;
pub mod errors;
pub mod evaluator;
pub mod identity;
pub mod loading;
pub mod mapper;
pub mod merge;
pub mod persistence;
pub mod relationships;
pub mod schema;
pub mod select;
pub mod session;
pub mod state;
pub mod unitofwork;

pub use errors::{DbapiError, DbapiKind, ErrorKind, OrmError, OrmResult};
pub use mapper::{MapperId, PropIdx, Registry};
pub use schema::HostCallable;
pub use session::SessionId;
pub use state::{AttrValue, ObjId, ObjectState};

use crate::sql::Datum;

/// What the ORM needs from its host: running the Python callables a model declared
/// (`default=datetime.utcnow`, `onupdate=...`).
pub trait Host {
    fn call_default(&mut self, callable: HostCallable) -> OrmResult<Datum>;
}

/// A host with no callables, for native use and tests.
pub struct NoHost;

impl Host for NoHost {
    fn call_default(&mut self, _: HostCallable) -> OrmResult<Datum> {
        Err(OrmError::not_supported("column defaults that call Python need the interpreter"))
    }
}

/// Everything the ORM knows: mappers and tables, objects, sessions, engines.
#[derive(Default)]
pub struct Orm {
    pub registry: Registry,
    pub instances: state::Instances,
    pub sessions: Vec<session::SessionData>,
    /// One database per engine (`sqlite://`, `sqlite:///site.db`, ...).
    pub engines: Vec<crate::db::Database>,
    /// When set, statements are collected here instead of run (the live SQL preview), and the
    /// operation that wanted them stops with an error.
    pub capture: Option<Vec<crate::sql::Statement>>,
    /// Objects the last loaded rows created (not found in the identity map).
    pub(crate) newly_loaded: Vec<ObjId>,
    /// Objects reachable from held ones, worked out once per statement when needed.
    pub(crate) reachable: Option<std::collections::HashSet<ObjId>>,
}

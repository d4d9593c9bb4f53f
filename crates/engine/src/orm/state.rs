//! Per-object ORM state (SQLAlchemy's `InstanceState`): which mapper, which session, the
//! identity key, loaded attribute values and the values they had before being modified.
//! Objects live in an arena and are named by [`ObjId`]; the host keeps the Python object.

use std::collections::HashMap;

use super::identity::IdentityKey;
use super::mapper::{MapperId, PropIdx};
use super::session::SessionId;
use crate::sql::Datum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

/// The value of one mapped attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    Column(Datum),
    Object(Option<ObjId>),
    Objects(Vec<ObjId>),
}

/// An attribute is either loaded or not (never loaded, or expired).
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    Unloaded,
    Loaded(AttrValue),
}

impl Slot {
    pub fn loaded(&self) -> Option<&AttrValue> {
        match self {
            Slot::Loaded(v) => Some(v),
            Slot::Unloaded => None,
        }
    }
}

/// A change made to a collection that was not loaded yet (a backref appending to
/// `user.posts` while `posts` was never read): replayed when the collection loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PendingOp {
    Append(ObjId),
    Remove(ObjId),
}

/// The lifecycle states `sqlalchemy.inspect(obj)` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectState {
    Transient,
    Pending,
    Persistent,
    Deleted,
    Detached,
}

impl ObjectState {
    pub fn name(self) -> &'static str {
        match self {
            ObjectState::Transient => "transient",
            ObjectState::Pending => "pending",
            ObjectState::Persistent => "persistent",
            ObjectState::Deleted => "deleted",
            ObjectState::Detached => "detached",
        }
    }
}

#[derive(Clone, Debug)]
pub struct InstanceState {
    pub mapper: MapperId,
    pub session: Option<SessionId>,
    pub key: Option<IdentityKey>,
    /// Order in which the object became pending: inserts of one mapper follow it.
    pub insert_order: u64,
    /// Its DELETE was flushed in the session's current transaction.
    pub deleted: bool,
    /// One slot per mapper property.
    pub values: Vec<Slot>,
    /// Values before the first change since the last flush or load (attribute history).
    pub committed: HashMap<PropIdx, Slot>,
    pub pending_ops: HashMap<PropIdx, Vec<PendingOp>>,
    /// The host's object for it (the Python instance), held weakly: SQLAlchemy's identity
    /// map forgets an unchanged object nothing references any more.
    pub host_object: Option<std::rc::Weak<dyn std::any::Any>>,
    /// Loader strategies a query's options set for this object (`raiseload(Book.author)`),
    /// overriding the relationship's `lazy=`.
    pub strategies: HashMap<PropIdx, super::mapper::Lazy>,
}

impl InstanceState {
    pub fn new(mapper: MapperId, props: usize) -> InstanceState {
        InstanceState {
            mapper,
            session: None,
            key: None,
            insert_order: 0,
            deleted: false,
            values: vec![Slot::Unloaded; props],
            committed: HashMap::new(),
            pending_ops: HashMap::new(),
            host_object: None,
            strategies: HashMap::new(),
        }
    }

    pub fn state(&self) -> ObjectState {
        match (&self.key, self.session) {
            (None, None) => ObjectState::Transient,
            (None, Some(_)) => ObjectState::Pending,
            (Some(_), Some(_)) if self.deleted => ObjectState::Deleted,
            (Some(_), Some(_)) => ObjectState::Persistent,
            (Some(_), None) => ObjectState::Detached,
        }
    }

    /// Whether the host still references the object (always, for objects without one).
    pub fn host_alive(&self) -> bool {
        self.host_object.as_ref().is_none_or(|w| w.strong_count() > 0)
    }

    pub fn is_modified(&self) -> bool {
        !self.committed.is_empty()
    }

    /// Remembers the value an attribute had before its first change since the last flush.
    pub fn note_change(&mut self, prop: PropIdx) {
        if !self.committed.contains_key(&prop) {
            let before = self.values.get(prop).cloned().unwrap_or(Slot::Unloaded);
            self.committed.insert(prop, before);
        }
    }

    /// Forgets loaded values so the next access reloads them (`session.expire(obj)`).
    pub fn expire(&mut self) {
        self.values.iter_mut().for_each(|v| *v = Slot::Unloaded);
        self.committed.clear();
        self.pending_ops.clear();
    }

    pub fn value(&self, prop: PropIdx) -> Option<&AttrValue> {
        self.values.get(prop).and_then(Slot::loaded)
    }

    pub fn column_value(&self, prop: PropIdx) -> Option<&Datum> {
        match self.value(prop) {
            Some(AttrValue::Column(d)) => Some(d),
            _ => None,
        }
    }
}

/// All objects the ORM knows, by id.
#[derive(Debug, Default)]
pub struct Instances {
    states: Vec<InstanceState>,
    next_insert_order: u64,
}

impl Instances {
    pub fn create(&mut self, mapper: MapperId, props: usize) -> ObjId {
        self.states.push(InstanceState::new(mapper, props));
        ObjId(self.states.len() as u32 - 1)
    }

    pub fn get(&self, id: ObjId) -> &InstanceState {
        // ObjIds are only made by `create`, and states are never removed.
        &self.states[id.0 as usize]
    }

    pub fn get_mut(&mut self, id: ObjId) -> &mut InstanceState {
        &mut self.states[id.0 as usize]
    }

    pub fn next_insert_order(&mut self) -> u64 {
        self.next_insert_order += 1;
        self.next_insert_order
    }
}

//! Per-object ORM state (SQLAlchemy's `InstanceState`): which mapper, which session, the
//! identity key, loaded attribute values and the values they had before being modified.
//! Objects live in an arena and are named by [`ObjId`]; the host keeps the Python object.

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
    pub committed: PropMap<Slot>,
    pub pending_ops: PropMap<Vec<PendingOp>>,
    /// The host's object for it (the Python instance), held weakly: SQLAlchemy's identity
    /// map forgets an unchanged object nothing references any more.
    pub host_object: HostObject,
    /// Loader strategies a query's options set for this object (`raiseload(Book.author)`),
    /// overriding the relationship's `lazy=`.
    pub strategies: PropMap<super::mapper::Lazy>,
}

/// The host's object (the Python instance) of an ORM object.
#[derive(Clone, Debug)]
pub enum HostObject {
    /// The object was made without one (natively, by the ORM's own tests).
    None,
    Held(std::rc::Weak<dyn std::any::Any>),
    /// It had one, which nothing references any more.
    Gone,
}

/// A map keyed by mapper property, for the per-object maps above: an object has a handful of
/// properties and most of these maps are empty, while a session may hold 100,000 objects, so
/// a vector searched in order (empty without allocating, freed when cleared) is smaller than a
/// hash map and as fast.
#[derive(Clone, Debug)]
pub struct PropMap<T>(Vec<(PropIdx, T)>);

impl<T> Default for PropMap<T> {
    fn default() -> Self {
        PropMap(Vec::new())
    }
}

impl<T> PropMap<T> {
    pub fn get(&self, prop: &PropIdx) -> Option<&T> {
        self.0.iter().find(|(p, _)| p == prop).map(|(_, value)| value)
    }

    pub fn contains_key(&self, prop: &PropIdx) -> bool {
        self.get(prop).is_some()
    }

    /// Sets the value of `prop`, returning the one it replaces.
    pub fn insert(&mut self, prop: PropIdx, value: T) -> Option<T> {
        match self.0.iter_mut().find(|(p, _)| *p == prop) {
            Some((_, old)) => Some(std::mem::replace(old, value)),
            None => {
                self.0.push((prop, value));
                None
            }
        }
    }

    /// The value of `prop`, inserting the default first if it has none.
    pub fn get_or_default(&mut self, prop: PropIdx) -> &mut T
    where
        T: Default,
    {
        let index = match self.0.iter().position(|(p, _)| *p == prop) {
            Some(index) => index,
            None => {
                self.0.push((prop, T::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[index].1
    }

    pub fn remove(&mut self, prop: &PropIdx) -> Option<T> {
        let index = self.0.iter().position(|(p, _)| p == prop)?;
        Some(self.0.swap_remove(index).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PropIdx, &T)> {
        self.0.iter().map(|(prop, value)| (prop, value))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Empties the map and gives its memory back.
    pub fn clear(&mut self) {
        self.0 = Vec::new();
    }
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
            committed: PropMap::default(),
            pending_ops: PropMap::default(),
            host_object: HostObject::None,
            strategies: PropMap::default(),
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
        match &self.host_object {
            HostObject::None => true,
            HostObject::Held(weak) => weak.strong_count() > 0,
            HostObject::Gone => false,
        }
    }

    /// Lets go of the weak reference to a host object that is gone: while a weak reference
    /// exists, the memory of the object it points to is not given back.
    pub fn release_dead_host_object(&mut self) {
        if matches!(&self.host_object, HostObject::Held(weak) if weak.strong_count() == 0) {
            self.host_object = HostObject::Gone;
        }
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

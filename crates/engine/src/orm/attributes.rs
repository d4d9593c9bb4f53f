//! Reading and writing mapped attributes, as SQLAlchemy's instrumented attributes do:
//! changes are recorded for the flush (attribute history), unloaded values are loaded on
//! access (expired columns, lazy relationships), and the two sides of a relationship
//! (backref / back_populates) are kept in sync in memory before any flush.

use super::mapper::{Direction, Lazy, MapperId, PropIdx, Property};
use super::state::{AttrValue, ObjId, ObjectState, PendingOp, Slot};
use super::{Host, Orm, OrmError, OrmResult};
use crate::sql::Datum;

/// Old → new values of one attribute since the last flush, as `inspect(obj).attrs.x.history`
/// reports them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    pub added: Vec<AttrValue>,
    pub unchanged: Vec<AttrValue>,
    pub deleted: Vec<AttrValue>,
}

impl Orm {
    /// A new transient object of a mapped class (`User(...)` before `__init__` sets values).
    pub fn new_instance(&mut self, mapper: MapperId) -> OrmResult<ObjId> {
        self.registry.configure()?;
        let props = self.registry.mapper(mapper).props.len();
        Ok(self.instances.create(mapper, props))
    }

    pub fn object_state(&self, obj: ObjId) -> ObjectState {
        self.instances.get(obj).state()
    }

    /// `obj.attr`: the value, loading it first when it is not loaded.
    pub fn get_attribute(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx) -> OrmResult<AttrValue> {
        if let Some(value) = self.instances.get(obj).value(prop) {
            return Ok(value.clone());
        }
        let mapper = self.instances.get(obj).mapper;
        let relationship = self.registry.mapper(mapper).relationship(prop).cloned();
        match (self.object_state(obj), relationship) {
            (ObjectState::Transient | ObjectState::Pending, None) => Ok(AttrValue::Column(Datum::Null)),
            (ObjectState::Transient | ObjectState::Pending, Some(r)) => {
                let empty = if r.uselist { AttrValue::Objects(vec![]) } else { AttrValue::Object(None) };
                let empty = self.apply_pending_ops(obj, prop, empty);
                self.instances.get_mut(obj).values[prop] = Slot::Loaded(empty.clone());
                Ok(empty)
            }
            (ObjectState::Detached, None) => Err(self.detached_error(obj, "attribute refresh", None)),
            (ObjectState::Detached, Some(r)) => Err(self.detached_error(obj, "lazy load", Some(&r.key))),
            (_, None) => {
                self.load_expired(obj)?;
                Ok(self.instances.get(obj).value(prop).cloned().unwrap_or(AttrValue::Column(Datum::Null)))
            }
            (_, Some(r)) => {
                let lazy = self.instances.get(obj).strategies.get(&prop).copied().unwrap_or(r.lazy);
                let value = match lazy {
                    Lazy::Raise => {
                        return Err(OrmError::invalid_request(format!(
                            "'{}.{}' is not available due to lazy='raise'",
                            self.registry.mapper(mapper).class_name,
                            r.key
                        )))
                    }
                    Lazy::NoLoad => {
                        if r.uselist { AttrValue::Objects(vec![]) } else { AttrValue::Object(None) }
                    }
                    _ => self.lazy_load(host, obj, prop)?,
                };
                let value = self.apply_pending_ops(obj, prop, value);
                self.instances.get_mut(obj).values[prop] = Slot::Loaded(value.clone());
                Ok(value)
            }
        }
    }

    fn detached_error(&self, obj: ObjId, operation: &str, attribute: Option<&str>) -> OrmError {
        let mut message = match attribute {
            Some(key) => format!(
                "Parent instance {{instance}} is not bound to a Session; {operation} operation of \
                 attribute '{key}' cannot proceed"
            ),
            None => format!("Instance {{instance}} is not bound to a Session; {operation} operation cannot proceed"),
        };
        message = message.replace("{instance}", &self.instance_address(obj));
        OrmError::with_code(super::ErrorKind::DetachedInstance, message, "bhk3")
    }

    /// `<User at 0x...>` as SQLAlchemy's `state_str` prints an object; the address is a stable
    /// stand-in derived from the object id.
    pub fn instance_address(&self, obj: ObjId) -> String {
        let mapper = self.registry.mapper(self.instances.get(obj).mapper);
        format!("<{} at 0x{:x}>", mapper.class_name, 0x7f00_0000_0000u64 + u64::from(obj.0) * 0x40)
    }

    /// Replays collection changes made while the collection was not loaded.
    fn apply_pending_ops(&mut self, obj: ObjId, prop: PropIdx, value: AttrValue) -> AttrValue {
        let ops = self.instances.get_mut(obj).pending_ops.remove(&prop).unwrap_or_default();
        match value {
            AttrValue::Objects(mut items) => {
                for op in ops {
                    match op {
                        PendingOp::Append(o) if !items.contains(&o) => items.push(o),
                        PendingOp::Remove(o) => items.retain(|x| *x != o),
                        PendingOp::Append(_) => {}
                    }
                }
                AttrValue::Objects(items)
            }
            AttrValue::Object(current) => {
                let mut current = current;
                for op in ops {
                    match op {
                        PendingOp::Append(o) => current = Some(o),
                        PendingOp::Remove(o) if current == Some(o) => current = None,
                        PendingOp::Remove(_) => {}
                    }
                }
                AttrValue::Object(current)
            }
            other => other,
        }
    }

    /// Records that `obj.prop` changes: history, and the session's list of modified objects.
    fn will_change(&mut self, obj: ObjId, prop: PropIdx) {
        let state = self.instances.get_mut(obj);
        state.note_change(prop);
        if let (Some(session), Some(_)) = (state.session, &state.key) {
            // Changing a persistent object begins the session's transaction (autobegin).
            let data = self.session_mut(session);
            data.modified.insert(obj);
            data.scope();
        }
    }

    /// `obj.column = value`.
    pub fn set_column(&mut self, obj: ObjId, prop: PropIdx, value: Datum) -> OrmResult<()> {
        self.will_change(obj, prop);
        self.instances.get_mut(obj).values[prop] = Slot::Loaded(AttrValue::Column(value));
        Ok(())
    }

    /// `obj.relationship = other` for a scalar (many-to-one, one-to-one) relationship.
    pub fn set_object(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx, value: Option<ObjId>) -> OrmResult<()> {
        let relationship = self.relationship_of(obj, prop)?;
        let old = match self.instances.get(obj).value(prop) {
            Some(AttrValue::Object(old)) => Some(*old),
            _ if relationship.direction == Direction::OneToMany && self.object_state(obj) == ObjectState::Persistent => {
                match self.get_attribute(host, obj, prop)? {
                    AttrValue::Object(old) => Some(old),
                    _ => None,
                }
            }
            _ => None,
        };
        if old == Some(value) {
            return Ok(());
        }
        self.will_change(obj, prop);
        self.instances.get_mut(obj).values[prop] = Slot::Loaded(AttrValue::Object(value));
        if let Some(reverse) = relationship.reverse {
            if let Some(Some(old)) = old {
                self.backref_remove(old, reverse, obj);
            }
            if let Some(new) = value {
                self.backref_add(new, reverse, obj)?;
            }
        }
        if let Some(new) = value {
            self.cascade_save_update(obj, prop, new);
        }
        Ok(())
    }

    /// `obj.collection` as a list, loading it if needed.
    pub fn collection(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx) -> OrmResult<Vec<ObjId>> {
        match self.get_attribute(host, obj, prop)? {
            AttrValue::Objects(items) => Ok(items),
            AttrValue::Object(item) => Ok(item.into_iter().collect()),
            AttrValue::Column(_) => Err(OrmError::type_error("not a relationship collection")),
        }
    }

    /// `obj.collection.append(child)`.
    pub fn collection_append(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx, child: ObjId) -> OrmResult<()> {
        let mut items = self.collection(host, obj, prop)?;
        items.push(child);
        self.replace_collection(host, obj, prop, items)
    }

    /// `obj.collection.remove(child)`; ValueError as `list.remove` raises when absent.
    pub fn collection_remove(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx, child: ObjId) -> OrmResult<()> {
        let mut items = self.collection(host, obj, prop)?;
        let Some(position) = items.iter().position(|x| *x == child) else {
            return Err(OrmError::new(super::ErrorKind::ValueError, "list.remove(x): x not in list"));
        };
        items.remove(position);
        self.replace_collection(host, obj, prop, items)
    }

    /// Replaces a collection's contents (`obj.collection = [...]`, slice assignment, `clear()`,
    /// `insert`, `pop`...): appends and removes are worked out against the current contents,
    /// so backrefs and cascades see exactly what changed.
    pub fn replace_collection(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx, items: Vec<ObjId>) -> OrmResult<()> {
        let relationship = self.relationship_of(obj, prop)?;
        let old = self.collection(host, obj, prop)?;
        if old == items {
            return Ok(());
        }
        self.will_change(obj, prop);
        self.instances.get_mut(obj).values[prop] = Slot::Loaded(AttrValue::Objects(items.clone()));
        let removed: Vec<ObjId> = old.iter().copied().filter(|o| !items.contains(o)).collect();
        let added: Vec<ObjId> = items.iter().copied().filter(|o| !old.contains(o)).collect();
        if let Some(reverse) = relationship.reverse {
            for child in &removed {
                self.backref_remove(*child, reverse, obj);
            }
            for child in &added {
                self.backref_add(*child, reverse, obj)?;
            }
        }
        for child in added {
            self.cascade_save_update(obj, prop, child);
        }
        Ok(())
    }

    /// The reverse side of a relationship gains `parent` (without emitting SQL: a collection
    /// that is not loaded remembers the change for when it loads).
    fn backref_add(&mut self, child: ObjId, reverse: PropIdx, parent: ObjId) -> OrmResult<()> {
        let relationship = self.relationship_of(child, reverse)?;
        if relationship.uselist {
            match self.instances.get(child).values[reverse].clone() {
                Slot::Loaded(AttrValue::Objects(mut items)) => {
                    if !items.contains(&parent) {
                        self.will_change(child, reverse);
                        items.push(parent);
                        self.instances.get_mut(child).values[reverse] = Slot::Loaded(AttrValue::Objects(items));
                    }
                }
                _ if matches!(self.object_state(child), ObjectState::Transient | ObjectState::Pending) => {
                    self.will_change(child, reverse);
                    self.instances.get_mut(child).values[reverse] = Slot::Loaded(AttrValue::Objects(vec![parent]));
                }
                _ => self.queue_pending(child, reverse, PendingOp::Append(parent)),
            }
            return Ok(());
        }
        // A scalar reverse: the child's previous parent loses the child.
        let previous = match self.instances.get(child).value(reverse) {
            Some(AttrValue::Object(previous)) => *previous,
            _ => None,
        };
        if previous == Some(parent) {
            return Ok(());
        }
        self.will_change(child, reverse);
        self.instances.get_mut(child).values[reverse] = Slot::Loaded(AttrValue::Object(Some(parent)));
        if let (Some(previous), Some(back)) = (previous, relationship.reverse) {
            self.backref_remove(previous, back, child);
        }
        Ok(())
    }

    /// The reverse side of a relationship loses `parent`.
    fn backref_remove(&mut self, child: ObjId, reverse: PropIdx, parent: ObjId) {
        match self.instances.get(child).values[reverse].clone() {
            Slot::Loaded(AttrValue::Objects(mut items)) => {
                if items.contains(&parent) {
                    self.will_change(child, reverse);
                    items.retain(|x| *x != parent);
                    self.instances.get_mut(child).values[reverse] = Slot::Loaded(AttrValue::Objects(items));
                }
            }
            Slot::Loaded(AttrValue::Object(Some(current))) if current == parent => {
                self.will_change(child, reverse);
                self.instances.get_mut(child).values[reverse] = Slot::Loaded(AttrValue::Object(None));
            }
            Slot::Loaded(_) => {}
            Slot::Unloaded => self.queue_pending(child, reverse, PendingOp::Remove(parent)),
        }
    }

    fn queue_pending(&mut self, obj: ObjId, prop: PropIdx, op: PendingOp) {
        self.will_change(obj, prop);
        self.instances.get_mut(obj).pending_ops.get_or_default(prop).push(op);
    }

    pub(crate) fn relationship_of(&self, obj: ObjId, prop: PropIdx) -> OrmResult<super::mapper::Relationship> {
        let mapper = self.registry.mapper(self.instances.get(obj).mapper);
        mapper.relationship(prop).cloned().ok_or_else(|| {
            OrmError::new(
                super::ErrorKind::AttributeError,
                format!("'{}' has no relationship at property {prop}", mapper.class_name),
            )
        })
    }

    /// `inspect(obj).attrs[key].history`.
    pub fn history(&self, obj: ObjId, prop: PropIdx) -> History {
        let state = self.instances.get(obj);
        let current = state.values.get(prop).cloned().unwrap_or(Slot::Unloaded);
        let Some(before) = state.committed.get(&prop) else {
            return match current {
                Slot::Loaded(v) if !is_empty(&v) => History { unchanged: split(v), ..History::default() },
                _ => History::default(),
            };
        };
        match (before, current) {
            (Slot::Loaded(AttrValue::Objects(old)), Slot::Loaded(AttrValue::Objects(new))) => History {
                added: new.iter().filter(|o| !old.contains(o)).map(|o| AttrValue::Object(Some(*o))).collect(),
                unchanged: new.iter().filter(|o| old.contains(o)).map(|o| AttrValue::Object(Some(*o))).collect(),
                deleted: old.iter().filter(|o| !new.contains(o)).map(|o| AttrValue::Object(Some(*o))).collect(),
            },
            (before, Slot::Loaded(new)) => {
                let deleted = match before {
                    Slot::Loaded(old) if !is_empty(old) && *old != new => split(old.clone()),
                    _ => vec![],
                };
                if matches!(before, Slot::Loaded(old) if *old == new) {
                    History { unchanged: split(new), ..History::default() }
                } else {
                    History { added: split(new), deleted, ..History::default() }
                }
            }
            (_, Slot::Unloaded) => History::default(),
        }
    }

    /// A column value for copying into a row (a foreign key, an association row): the loaded
    /// value, or for a persistent object whose value expired, reloaded (SQLAlchemy refreshes
    /// the object then too).
    pub fn value_for_sync(&mut self, obj: ObjId, prop: PropIdx) -> OrmResult<Datum> {
        if self.instances.get(obj).column_value(prop).is_none() && self.instances.get(obj).key.is_some() && self.instances.get(obj).session.is_some() {
            self.load_expired(obj)?;
        }
        Ok(self.known_value(obj, prop).unwrap_or(Datum::Null))
    }

    /// A column value known without a query: the loaded value, or for a primary-key column
    /// of a persistent object (even expired) its identity.
    pub fn known_value(&self, obj: ObjId, prop: PropIdx) -> Option<Datum> {
        let state = self.instances.get(obj);
        if let Some(value) = state.column_value(prop) {
            return Some(value.clone());
        }
        let mapper = self.registry.mapper(state.mapper);
        let position = mapper.pk_props.iter().position(|p| *p == prop)?;
        state.key.as_ref().and_then(|k| k.values().nth(position).cloned())
    }

    pub fn property(&self, obj: ObjId, prop: PropIdx) -> &Property {
        &self.registry.mapper(self.instances.get(obj).mapper).props[prop]
    }
}

fn is_empty(value: &AttrValue) -> bool {
    matches!(value, AttrValue::Column(Datum::Null) | AttrValue::Object(None))
        || matches!(value, AttrValue::Objects(v) if v.is_empty())
}

fn split(value: AttrValue) -> Vec<AttrValue> {
    match value {
        AttrValue::Objects(items) => items.into_iter().map(|o| AttrValue::Object(Some(o))).collect(),
        other => vec![other],
    }
}


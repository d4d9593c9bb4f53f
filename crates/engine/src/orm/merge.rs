//! `session.merge(obj)`: copies an object's state onto the session's own instance for the
//! same primary key (found in the identity map, loaded with a SELECT, or created pending),
//! following relationships with the `merge` cascade, and returns that instance.

use std::collections::HashMap;

use super::state::{AttrValue, ObjId};
use super::{Host, Orm, OrmResult, SessionId};
use crate::sql::Datum;

impl Orm {
    pub fn merge(&mut self, host: &mut dyn Host, session: SessionId, obj: ObjId) -> OrmResult<ObjId> {
        self.prepare_merge(host, session)?;
        self.registry.configure()?;
        let mut merged = HashMap::new();
        // As SQLAlchemy: the one autoflush happened above; loads during the merge must not
        // flush the half-merged objects.
        self.session_mut(session).no_autoflush_depth += 1;
        let result = self.merge_into(host, session, obj, &mut merged);
        self.session_mut(session).no_autoflush_depth -= 1;
        result
    }

    /// What `merge()` does before it looks at its argument: SQLAlchemy autoflushes first, so
    /// pending changes reach the database even when the argument then turns out not to be mapped.
    pub fn prepare_merge(&mut self, host: &mut dyn Host, session: SessionId) -> OrmResult<()> {
        self.check_usable(session)?;
        self.autoflush(host, session)
    }

    fn merge_into(&mut self, host: &mut dyn Host, session: SessionId, obj: ObjId, merged: &mut HashMap<ObjId, ObjId>) -> OrmResult<ObjId> {
        if let Some(target) = merged.get(&obj) {
            return Ok(*target);
        }
        if self.instances.get(obj).session == Some(session) {
            return Ok(obj);
        }
        let mapper = self.instances.get(obj).mapper;
        let pk_props = self.registry.mapper(mapper).pk_props.clone();
        let pk: Vec<Datum> = match &self.instances.get(obj).key {
            Some(key) => key.values().cloned().collect(),
            None => pk_props.iter().map(|p| self.instances.get(obj).column_value(*p).cloned().unwrap_or(Datum::Null)).collect(),
        };
        let existing = if pk.iter().any(Datum::is_null) { None } else { self.get(host, session, mapper, &pk)? };
        let target = match existing {
            Some(target) => target,
            None => {
                let target = self.new_instance(mapper)?;
                self.add(session, target)?;
                target
            }
        };
        merged.insert(obj, target);
        let columns: Vec<(usize, Datum)> = self
            .registry
            .mapper(mapper)
            .column_props()
            .filter_map(|(prop, _, _)| self.instances.get(obj).column_value(prop).map(|v| (prop, v.clone())))
            .collect();
        for (prop, value) in columns {
            if self.instances.get(target).column_value(prop) != Some(&value) {
                self.set_column(target, prop, value)?;
            }
        }
        let relationships: Vec<(usize, bool)> = self
            .registry
            .mapper(mapper)
            .relationships()
            .filter(|(_, r)| r.cascade.merge)
            .map(|(prop, r)| (prop, r.uselist))
            .collect();
        for (prop, uselist) in relationships {
            let Some(value) = self.instances.get(obj).value(prop).cloned() else { continue };
            match value {
                AttrValue::Objects(items) => {
                    let mut copies = Vec::with_capacity(items.len());
                    for item in items {
                        copies.push(self.merge_into(host, session, item, merged)?);
                    }
                    self.replace_collection(host, target, prop, copies)?;
                }
                AttrValue::Object(item) if !uselist => {
                    let copy = match item {
                        Some(item) => Some(self.merge_into(host, session, item, merged)?),
                        None => None,
                    };
                    self.set_object(host, target, prop, copy)?;
                }
                _ => {}
            }
        }
        Ok(target)
    }
}

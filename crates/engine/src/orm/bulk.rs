//! Bulk UPDATE and DELETE from a query (`Query.update({...})`, `Query.delete()`,
//! `session.execute(update(User).where(...))`), and how the objects already in the session
//! catch up (`synchronize_session`): 'evaluate' applies the change in memory to the objects
//! that match, 'fetch' selects the matching keys first, False leaves the session alone.

use super::connection::Reason;
use super::evaluator::{evaluate, truth};
use super::identity::IdentityKey;
use super::mapper::{MapperId, PropIdx};
use super::select::{and_all, Entity, OrmSelect};
use super::state::{AttrValue, ObjId, Slot};
use super::{Host, Orm, OrmError, OrmResult, SessionId};
use crate::sql::{Datum, Delete, Expr, FromClause, ResultColumn, Select, Source, Statement, Update};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Synchronize {
    /// 'auto': evaluate when possible, else fetch.
    Auto,
    Evaluate,
    Fetch,
    /// `synchronize_session=False`.
    Off,
}

impl Synchronize {
    pub fn parse(value: &str) -> Option<Synchronize> {
        Some(match value {
            "auto" => Synchronize::Auto,
            "evaluate" => Synchronize::Evaluate,
            "fetch" => Synchronize::Fetch,
            _ => return None,
        })
    }
}

/// What the session must do to the objects a bulk statement touched.
enum Matched {
    /// Objects known to match (evaluated), and objects that may match (attributes unloaded).
    Evaluated { matched: Vec<ObjId>, unknown: Vec<ObjId> },
    Fetched(Vec<ObjId>),
    Nothing,
}

impl Orm {
    /// The mapper a bulk statement targets: the query's first entity.
    fn bulk_target(&self, statement: &OrmSelect) -> OrmResult<MapperId> {
        match statement.entities.first() {
            Some(Entity::Mapper { mapper, alias: None }) => Ok(*mapper),
            _ => Err(OrmError::invalid_request("Can't invoke Query.update() / Query.delete() without a single mapped entity")),
        }
    }

    /// `query.update({User.age: User.age + 1})`: returns the number of rows matched.
    pub fn bulk_update(&mut self, host: &mut dyn Host, session: SessionId, statement: &OrmSelect, values: Vec<(PropIdx, Expr)>, synchronize: Synchronize) -> OrmResult<usize> {
        self.check_usable(session)?;
        let mapper = self.bulk_target(statement)?;
        self.autoflush(host, session)?;
        // 'fetch' reads the matched keys back with UPDATE ... RETURNING (SQLite has it).
        let matched = if synchronize == Synchronize::Fetch { Matched::Nothing } else { self.match_in_session(session, mapper, statement, synchronize)? };
        let table = self.table_name(mapper).to_string();
        let mut assignments = Vec::new();
        for (prop, value) in &values {
            let Expr::Column { name, .. } = self.column_expr(mapper, None, *prop)? else { continue };
            assignments.push((name, value.clone()));
        }
        let returning = if synchronize == Synchronize::Fetch { self.pk_column_names(mapper) } else { vec![] };
        let update = Statement::Update(Update { table, assignments, where_clause: and_all(&statement.criteria), returning });
        let outcome = self.execute(session, &[update], Reason::Statement)?;
        let matched = if synchronize == Synchronize::Fetch { Matched::Fetched(self.in_identity_map(session, mapper, &outcome.rows)) } else { matched };
        // Matched objects take the new values, evaluated in Python where possible (expired
        // otherwise); objects that may match are expired.
        let (known, uncertain) = match matched {
            Matched::Evaluated { matched, unknown } => (matched, unknown),
            Matched::Fetched(objects) => (objects, vec![]),
            Matched::Nothing => (vec![], vec![]),
        };
        for obj in known {
            for (prop, value) in &values {
                let new = evaluate(value, &|_, name| self.loaded_column(obj, mapper, name));
                let state = self.instances.get_mut(obj);
                state.committed.remove(prop);
                state.values[*prop] = match new {
                    Some(v) => Slot::Loaded(AttrValue::Column(v)),
                    None => Slot::Unloaded,
                };
            }
        }
        for obj in uncertain {
            for (prop, _) in &values {
                let state = self.instances.get_mut(obj);
                state.committed.remove(prop);
                state.values[*prop] = Slot::Unloaded;
            }
        }
        Ok(outcome.rows_affected)
    }

    /// `query.delete()`: returns the number of rows deleted.
    pub fn bulk_delete(&mut self, host: &mut dyn Host, session: SessionId, statement: &OrmSelect, synchronize: Synchronize) -> OrmResult<usize> {
        self.check_usable(session)?;
        let mapper = self.bulk_target(statement)?;
        self.autoflush(host, session)?;
        let matched = self.match_in_session(session, mapper, statement, synchronize)?;
        let table = self.table_name(mapper).to_string();
        let delete = Statement::Delete(Delete { table, where_clause: and_all(&statement.criteria) });
        let outcome = self.execute(session, &[delete], Reason::Statement)?;
        let gone = match matched {
            Matched::Evaluated { matched, .. } => matched,
            Matched::Fetched(objects) => objects,
            Matched::Nothing => vec![],
        };
        for obj in gone {
            let Some(key) = self.instances.get(obj).key.clone() else { continue };
            self.instances.get_mut(obj).deleted = true;
            let data = self.session_mut(session);
            data.identity_map.remove(&key);
            data.modified.shift_remove(&obj);
            data.scope().deleted.push(obj);
        }
        Ok(outcome.rows_affected)
    }

    fn loaded_column(&self, obj: ObjId, mapper: MapperId, name: &str) -> Option<Datum> {
        let m = self.registry.mapper(mapper);
        let column = self.registry.metadata.table(m.table).column_index(name)?;
        let prop = m.prop_for_column(column)?;
        self.instances.get(obj).column_value(prop).cloned()
    }

    fn match_in_session(&mut self, session: SessionId, mapper: MapperId, statement: &OrmSelect, synchronize: Synchronize) -> OrmResult<Matched> {
        if synchronize == Synchronize::Off {
            return Ok(Matched::Nothing);
        }
        let table = self.table_name(mapper).to_string();
        let criteria = and_all(&statement.criteria);
        let candidates: Vec<ObjId> = self
            .session(session)
            .identity_map
            .objects()
            .filter(|o| self.instances.get(*o).mapper == mapper)
            .collect();
        if synchronize != Synchronize::Fetch {
            let mut matched = Vec::new();
            let mut unknown = Vec::new();
            let mut evaluable = true;
            for obj in &candidates {
                let Some(criteria) = &criteria else {
                    matched.push(*obj);
                    continue;
                };
                let mut unloaded = false;
                let reader = |t: Option<&str>, name: &str| -> Option<Datum> {
                    if t.is_some_and(|t| t != table) {
                        return None;
                    }
                    self.loaded_column(*obj, mapper, name)
                };
                match evaluate(criteria, &reader) {
                    Some(value) => {
                        if truth(&value) == Some(true) {
                            matched.push(*obj);
                        }
                    }
                    None => {
                        // Unloaded attributes or an expression evaluate cannot handle.
                        let columns_loaded = self.registry.mapper(mapper).column_props().all(|(p, _, _)| self.instances.get(*obj).value(p).is_some());
                        if columns_loaded {
                            evaluable = false;
                            break;
                        }
                        unloaded = true;
                    }
                }
                if unloaded {
                    unknown.push(*obj);
                }
            }
            if evaluable {
                return Ok(Matched::Evaluated { matched, unknown });
            }
            if synchronize == Synchronize::Evaluate {
                return Err(OrmError::invalid_request(
                    "Could not evaluate current criteria in Python: the expression is not supported by the in-memory evaluator. Specify 'fetch' or False for the synchronize_session execution option.",
                ));
            }
        }
        // Fetch: the keys of the rows that will be touched.
        let pk_props = self.registry.mapper(mapper).pk_props.clone();
        let columns = pk_props
            .iter()
            .map(|p| Ok(ResultColumn { expr: self.column_expr(mapper, None, *p)?, label: None }))
            .collect::<OrmResult<Vec<_>>>()?;
        let select = Select {
            columns,
            from: Some(FromClause { base: Source::Table { name: table, alias: None }, joins: vec![] }),
            where_clause: criteria,
            ..Select::default()
        };
        let outcome = self.execute(session, &[Statement::Select(select)], Reason::Statement)?;
        Ok(Matched::Fetched(self.in_identity_map(session, mapper, &outcome.rows)))
    }

    /// The session's objects for rows of primary-key values.
    fn in_identity_map(&self, session: SessionId, mapper: MapperId, rows: &[Vec<Datum>]) -> Vec<ObjId> {
        rows.iter()
            .filter_map(|row| IdentityKey::new(mapper, row))
            .filter_map(|key| self.session(session).identity_map.get(&key))
            .collect()
    }

    /// The names of a mapper's primary-key columns.
    fn pk_column_names(&self, mapper: MapperId) -> Vec<String> {
        let m = self.registry.mapper(mapper);
        let table = self.registry.metadata.table(m.table);
        m.pk_props.iter().filter_map(|p| m.column_of(*p)).map(|c| table.columns[c].name.clone()).collect()
    }
}

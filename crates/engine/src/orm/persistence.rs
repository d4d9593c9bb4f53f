//! The statements a flush sends, built as SQLAlchemy's `persistence.py` builds them: INSERTs
//! with the columns that have values (None for columns without a default, defaults computed
//! first), grouped into batches of the same shape; UPDATEs of the columns whose value really
//! changed, by primary key; DELETEs by primary key; association-table rows for
//! many-to-many collections. Foreign keys are copied from parent objects just before a child
//! is written (SQLAlchemy's dependency processors' `_synchronize`).

use std::collections::HashMap;

use super::connection::{Purpose, Reason};
use super::mapper::{Direction, MapperId, PropIdx};
use super::schema::ColumnDefault;
use super::state::{AttrValue, ObjId, Slot};
use super::unitofwork::{Action, FlushPlan};
use super::{ErrorKind, Host, Orm, OrmError, OrmResult};
use crate::sql::{BinaryOp, Datum, Delete, Expr, Insert, Statement, Update};

/// A foreign key assignment a relationship asks for: set these columns of the child from the
/// parent's primary key, or to NULL.
struct FkAssignment {
    /// (foreign-key column prop of the child, referenced column prop of the parent)
    columns: Vec<(PropIdx, PropIdx)>,
    parent: Option<ObjId>,
}

impl Orm {
    /// Runs the next step of a flush plan. On failure the session's transaction is rolled
    /// back and the session needs `rollback()` (PendingRollbackError until then).
    pub fn run_flush_step(&mut self, host: &mut dyn Host, plan: &mut FlushPlan) -> OrmResult<()> {
        let Some(step) = plan.steps.get(plan.next).cloned() else { return Ok(()) };
        plan.next += 1;
        let session = plan.session;
        self.session_mut(session).flushing = true;
        let result = match step.action {
            Action::SaveUpdateAll(mapper) => self.save_objects(host, plan, mapper, &step.objects),
            Action::DeleteAll(mapper) => self.delete_objects(plan, mapper, &step.objects),
            Action::ProcessAll { mapper, prop, delete } => self.write_associations(plan, mapper, prop, delete, &step.objects),
            Action::SaveUpdateState(_) | Action::DeleteState(_) => Ok(()),
        };
        self.session_mut(session).flushing = false;
        if let Err(error) = &result {
            plan.next = plan.steps.len();
            self.fail_transaction(session, error);
        }
        result
    }

    /// Ends a flush: inserted objects become persistent (identity map), deleted ones
    /// "deleted", and every flushed object's history starts afresh.
    pub fn finish_flush(&mut self, plan: FlushPlan) {
        let session = plan.session;
        let inserted: std::collections::HashSet<ObjId> = plan.inserted.iter().copied().collect();
        let deleted: std::collections::HashSet<ObjId> = plan.deleted.iter().copied().collect();
        for obj in &plan.inserted {
            let mapper = self.registry.mapper(self.instances.get(*obj).mapper);
            let pk: Vec<Datum> = mapper
                .pk_props
                .iter()
                .map(|p| self.instances.get(*obj).column_value(*p).cloned().unwrap_or(Datum::Null))
                .collect();
            let key = super::identity::IdentityKey::new(self.instances.get(*obj).mapper, &pk);
            self.instances.get_mut(*obj).key = key.clone();
            if let Some(key) = key {
                self.session_mut(session).identity_map.insert(key, *obj);
            }
        }
        for obj in &plan.deleted {
            let key = self.instances.get(*obj).key.clone();
            self.instances.get_mut(*obj).deleted = true;
            if let Some(key) = key {
                self.session_mut(session).identity_map.remove(&key);
            }
        }
        let data = self.session_mut(session);
        data.new.retain(|o| !inserted.contains(o));
        data.deleted.retain(|o| !deleted.contains(o));
        let scope = data.scope();
        scope.inserted.extend(plan.inserted.iter().copied());
        scope.deleted.extend(plan.deleted.iter().copied());
        let flushed: Vec<ObjId> = plan
            .registered
            .states
            .keys()
            .copied()
            .chain(self.session(session).modified.iter().copied())
            .collect();
        for obj in flushed {
            let state = self.instances.get_mut(obj);
            state.committed.clear();
            self.session_mut(session).scope().modified.insert(obj);
        }
        self.session_mut(session).modified.clear();
    }

    fn save_objects(&mut self, host: &mut dyn Host, plan: &mut FlushPlan, mapper: MapperId, objects: &[ObjId]) -> OrmResult<()> {
        let assignments = self.foreign_key_assignments(plan, mapper);
        for obj in objects {
            self.synchronize_foreign_keys(*obj, assignments.get(obj))?;
        }
        let (inserts, updates): (Vec<ObjId>, Vec<ObjId>) =
            objects.iter().partition(|o| self.instances.get(**o).key.is_none());
        self.insert_objects(host, plan, mapper, &inserts)?;
        self.update_objects(host, plan, mapper, &updates)
    }

    /// Foreign-key values the objects of `mapper` must take from their parents: many-to-one
    /// relationships on the objects, one-to-many collections of parents in this flush.
    fn foreign_key_assignments(&self, plan: &FlushPlan, mapper: MapperId) -> HashMap<ObjId, Vec<FkAssignment>> {
        let mut assignments: HashMap<ObjId, Vec<FkAssignment>> = HashMap::new();
        let pairs_to_props = |parent_mapper: MapperId, child_mapper: MapperId, pairs: &[(super::mapper::ColRef, super::mapper::ColRef)]| {
            pairs
                .iter()
                .filter_map(|(referenced, fk)| {
                    let child_prop = self.registry.mapper(child_mapper).prop_for_column(fk.column)?;
                    let parent_prop = self.registry.mapper(parent_mapper).prop_for_column(referenced.column)?;
                    Some((child_prop, parent_prop))
                })
                .collect::<Vec<_>>()
        };
        // Many-to-one relationships on the objects themselves.
        for (obj, delete) in &plan.registered.states {
            if *delete || self.instances.get(*obj).mapper != mapper {
                continue;
            }
            for (prop, relationship) in self.registry.mapper(mapper).relationships() {
                if relationship.direction != Direction::ManyToOne || relationship.spec.viewonly {
                    continue;
                }
                let state = self.instances.get(*obj);
                let changed = state.committed.contains_key(&prop) || state.key.is_none();
                let Some(AttrValue::Object(parent)) = state.value(prop) else { continue };
                if !changed {
                    continue;
                }
                let columns = pairs_to_props(relationship.target, mapper, &relationship.pairs);
                assignments.entry(*obj).or_default().push(FkAssignment { columns, parent: *parent });
            }
        }
        // One-to-many collections of parents (of any mapper) pointing at these objects.
        for (parent, parent_deleted) in &plan.registered.states {
            let parent_mapper = self.instances.get(*parent).mapper;
            for (prop, relationship) in self.registry.mapper(parent_mapper).relationships() {
                if relationship.target != mapper || relationship.direction != Direction::OneToMany || relationship.spec.viewonly {
                    continue;
                }
                let columns = pairs_to_props(parent_mapper, mapper, &relationship.pairs);
                if *parent_deleted {
                    if relationship.cascade.delete {
                        continue;
                    }
                    for child in self.loaded_related(*parent, prop) {
                        if plan.registered.is_delete(child) == Some(false) {
                            assignments.entry(child).or_default().push(FkAssignment { columns: columns.clone(), parent: None });
                        }
                    }
                    continue;
                }
                for child in self.added_children(*parent, prop) {
                    assignments.entry(child).or_default().push(FkAssignment { columns: columns.clone(), parent: Some(*parent) });
                }
                if !relationship.cascade.delete_orphan {
                    for child in self.removed_children(*parent, prop) {
                        if !self.has_parent(child, relationship) {
                            assignments.entry(child).or_default().push(FkAssignment { columns: columns.clone(), parent: None });
                        }
                    }
                }
            }
        }
        assignments
    }

    fn synchronize_foreign_keys(&mut self, obj: ObjId, assignments: Option<&Vec<FkAssignment>>) -> OrmResult<()> {
        for assignment in assignments.into_iter().flatten() {
            for (child_prop, parent_prop) in &assignment.columns {
                let value = match assignment.parent {
                    Some(parent) => self.value_for_sync(parent, *parent_prop)?,
                    None => Datum::Null,
                };
                let current = self.instances.get(obj).column_value(*child_prop).cloned();
                if current.as_ref() != Some(&value) {
                    let state = self.instances.get_mut(obj);
                    state.note_change(*child_prop);
                    state.values[*child_prop] = Slot::Loaded(AttrValue::Column(value));
                }
            }
        }
        Ok(())
    }

    /// The value a column default gives at INSERT / UPDATE time.
    fn default_value(&self, host: &mut dyn Host, default: &ColumnDefault) -> OrmResult<Datum> {
        match default {
            ColumnDefault::Value(value) => Ok(value.clone()),
            ColumnDefault::Callable(callable) => host.call_default(*callable),
        }
    }

    fn insert_objects(&mut self, host: &mut dyn Host, plan: &mut FlushPlan, mapper: MapperId, objects: &[ObjId]) -> OrmResult<()> {
        if objects.is_empty() {
            return Ok(());
        }
        let table = self.registry.metadata.table(self.registry.mapper(mapper).table).clone();
        let rowid = table.rowid_column();
        // (column names, has all primary keys, rows, objects) per run of same-shaped rows. As in
        // SQLAlchemy, rows share a statement only when the same columns came from the objects
        // themselves: a column filled by its Python default separates the runs.
        let mut groups: Vec<(Vec<String>, Vec<bool>, bool, Vec<Vec<Datum>>, Vec<ObjId>)> = Vec::new();
        for obj in objects {
            let mut columns = Vec::new();
            let mut defaulted = Vec::new();
            let mut values = Vec::new();
            for (index, column) in table.columns.iter().enumerate() {
                let prop = self.registry.mapper(mapper).prop_for_column(index);
                let value = prop.and_then(|p| self.instances.get(*obj).column_value(p).cloned());
                let from_default = matches!(value, Some(Datum::Null) | None) && column.default.is_some();
                let value = match value {
                    Some(Datum::Null) | None => {
                        if let Some(default) = &column.default {
                            let computed = self.default_value(host, default)?;
                            if let Some(p) = prop {
                                self.instances.get_mut(*obj).values[p] = Slot::Loaded(AttrValue::Column(computed.clone()));
                            }
                            Some(computed)
                        } else if column.primary_key || column.server_default.is_some() {
                            None
                        } else {
                            Some(Datum::Null)
                        }
                    }
                    some => some,
                };
                if let Some(value) = value {
                    columns.push(column.name.clone());
                    defaulted.push(from_default);
                    values.push(value);
                }
            }
            let has_all_pks = table.primary_key().all(|(_, c)| columns.contains(&c.name));
            match groups.last_mut() {
                Some((cols, defs, all_pks, rows, objs)) if *cols == columns && *defs == defaulted && *all_pks == has_all_pks => {
                    rows.push(values);
                    objs.push(*obj);
                }
                _ => groups.push((columns, defaulted, has_all_pks, vec![values], vec![*obj])),
            }
        }
        for (mut columns, defaulted, has_all_pks, mut rows, objs) in groups {
            // A table with nothing but its key: SQLAlchemy sends `(id) VALUES (NULL)` for
            // several rows and `DEFAULT VALUES` for one.
            if columns.is_empty() && rows.len() > 1 {
                if let Some((_, pk)) = table.primary_key().next() {
                    columns.push(pk.name.clone());
                    rows.iter_mut().for_each(|r| r.push(Datum::Null));
                }
            }
            let returning = match (has_all_pks, rows.len(), rowid) {
                (false, 2.., Some(rowid)) => vec![table.columns[rowid].name.clone()],
                _ => vec![],
            };
            let statements: Vec<Statement> = if has_all_pks && rows.len() > 1 {
                // executemany: one logged statement with a list of parameter sets.
                rows.iter()
                    .map(|row| Statement::Insert(Insert { table: table.name.clone(), columns: columns.clone(), rows: vec![row.clone()], returning: vec![] }))
                    .collect()
            } else {
                vec![Statement::Insert(Insert { table: table.name.clone(), columns: columns.clone(), rows, returning })]
            };
            let outcome = self.execute(plan.session, &statements, Purpose::keyed(Reason::Flush, &defaulted))?;
            if let Some(rowid) = rowid {
                if let Some(prop) = self.registry.mapper(mapper).prop_for_column(rowid) {
                    for (obj, id) in objs.iter().zip(outcome.inserted_ids.iter()) {
                        self.instances.get_mut(*obj).values[prop] = Slot::Loaded(AttrValue::Column(id.clone()));
                    }
                }
            }
            // Server defaults are not known until the row is read back.
            for obj in &objs {
                for (index, column) in table.columns.iter().enumerate() {
                    if column.server_default.is_some() && !columns.contains(&column.name) {
                        if let Some(prop) = self.registry.mapper(mapper).prop_for_column(index) {
                            self.instances.get_mut(*obj).values[prop] = Slot::Unloaded;
                        }
                    }
                }
            }
            plan.inserted.extend(objs);
        }
        Ok(())
    }

    fn update_objects(&mut self, host: &mut dyn Host, plan: &mut FlushPlan, mapper: MapperId, objects: &[ObjId]) -> OrmResult<()> {
        let table = self.registry.metadata.table(self.registry.mapper(mapper).table).clone();
        let pk_props = self.registry.mapper(mapper).pk_props.clone();
        // (SET columns, statements, objects) per run of same-shaped updates.
        let mut groups: Vec<(Vec<String>, Vec<Statement>)> = Vec::new();
        for obj in objects {
            let mut assignments: Vec<(String, Datum)> = Vec::new();
            for (index, column) in table.columns.iter().enumerate() {
                let Some(prop) = self.registry.mapper(mapper).prop_for_column(index) else { continue };
                let state = self.instances.get(*obj);
                let changed = match (state.committed.get(&prop), state.values.get(prop)) {
                    (Some(Slot::Loaded(before)), Some(Slot::Loaded(now))) => before != now,
                    (Some(Slot::Unloaded), Some(Slot::Loaded(_))) => true,
                    _ => false,
                };
                if changed {
                    if column.primary_key {
                        return Err(OrmError::not_supported(format!(
                            "changing the primary key of a persistent object ({}.{}) is not supported \
                             by the playground's database (GlueSQL cannot update primary keys)",
                            table.name, column.name
                        )));
                    }
                    let value = state.column_value(prop).cloned().unwrap_or(Datum::Null);
                    assignments.push((column.name.clone(), value));
                }
            }
            if assignments.is_empty() {
                continue;
            }
            for (index, column) in table.columns.iter().enumerate() {
                if let Some(onupdate) = &column.onupdate {
                    if !assignments.iter().any(|(name, _)| *name == column.name) {
                        let value = self.default_value(host, onupdate)?;
                        if let Some(prop) = self.registry.mapper(mapper).prop_for_column(index) {
                            self.instances.get_mut(*obj).values[prop] = Slot::Loaded(AttrValue::Column(value.clone()));
                        }
                        assignments.push((column.name.clone(), value));
                    }
                }
            }
            // SET columns follow the table's column order.
            assignments.sort_by_key(|(name, _)| table.column_index(name));
            let statement = Statement::Update(Update {
                table: table.name.clone(),
                assignments: assignments.iter().map(|(name, value)| (name.clone(), Expr::Param(value.clone()))).collect(),
                where_clause: Some(self.pk_criteria(&table.name, *obj, &pk_props)),
                returning: vec![],
            });
            let shape: Vec<String> = assignments.into_iter().map(|(name, _)| name).collect();
            match groups.last_mut() {
                Some((columns, statements)) if *columns == shape => statements.push(statement),
                _ => groups.push((shape, vec![statement])),
            }
        }
        for (_, statements) in groups {
            let outcome = self.execute(plan.session, &statements, Reason::Flush)?;
            if outcome.rows_affected != statements.len() {
                return Err(OrmError::new(
                    ErrorKind::StaleData,
                    format!(
                        "UPDATE statement on table '{}' expected to update {} row(s); {} were matched.",
                        table.name,
                        statements.len(),
                        outcome.rows_affected
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `table.pk = ?` (AND-ed for several key columns) with the object's identity values.
    pub(crate) fn pk_criteria(&self, table: &str, obj: ObjId, pk_props: &[PropIdx]) -> Expr {
        let state = self.instances.get(obj);
        let mapper = self.registry.mapper(state.mapper);
        let table_def = self.registry.metadata.table(mapper.table);
        let key_values: Vec<Datum> = match &state.key {
            Some(key) => key.values().cloned().collect(),
            None => pk_props.iter().map(|p| state.column_value(*p).cloned().unwrap_or(Datum::Null)).collect(),
        };
        let mut criteria: Option<Expr> = None;
        for (prop, value) in pk_props.iter().zip(key_values) {
            let column = mapper.column_of(*prop).map(|c| table_def.columns[c].name.clone()).unwrap_or_default();
            let term = Expr::binary(Expr::column(table, &column), BinaryOp::Eq, Expr::Param(value));
            criteria = Some(match criteria {
                None => term,
                Some(previous) => Expr::binary(previous, BinaryOp::And, term),
            });
        }
        criteria.unwrap_or(Expr::Literal(Datum::Bool(false)))
    }

    fn delete_objects(&mut self, plan: &mut FlushPlan, mapper: MapperId, objects: &[ObjId]) -> OrmResult<()> {
        if objects.is_empty() {
            return Ok(());
        }
        let table = self.registry.metadata.table(self.registry.mapper(mapper).table).name.clone();
        let pk_props = self.registry.mapper(mapper).pk_props.clone();
        let statements: Vec<Statement> = objects
            .iter()
            .map(|obj| Statement::Delete(Delete { table: table.clone(), where_clause: Some(self.pk_criteria(&table, *obj, &pk_props)) }))
            .collect();
        self.execute(plan.session, &statements, Reason::Flush)?;
        plan.deleted.extend(objects.iter().copied());
        Ok(())
    }

    /// Many-to-many: association rows for pairs added to / removed from collections, and for
    /// deleted objects all their rows. Each pair is written once even when both sides of a
    /// backref changed.
    fn write_associations(&mut self, plan: &mut FlushPlan, mapper: MapperId, prop: PropIdx, delete: bool, parents: &[ObjId]) -> OrmResult<()> {
        let Some(relationship) = self.registry.mapper(mapper).relationship(prop).cloned() else { return Ok(()) };
        let Some(secondary) = relationship.secondary else { return Ok(()) };
        let secondary_name = self.registry.metadata.table(secondary).name.clone();
        let secondary_table = self.registry.metadata.table(secondary).clone();
        let mut inserts: Vec<(ObjId, ObjId)> = Vec::new();
        let mut removals: Vec<(ObjId, ObjId)> = Vec::new();
        for parent in parents {
            if delete {
                let history = self.history(*parent, prop);
                for child in history.unchanged.iter().chain(history.deleted.iter()).filter_map(object_of) {
                    removals.push((*parent, child));
                }
            } else {
                for child in self.added_children(*parent, prop) {
                    inserts.push((*parent, child));
                }
                for child in self.removed_children(*parent, prop) {
                    removals.push((*parent, child));
                }
            }
        }
        // The association rows are keyed by (parent side, target side) whichever side wrote them.
        let parent_is_left = relationship.reverse.is_none()
            || self.registry.mapper(mapper).sort_key <= self.registry.mapper(relationship.target).sort_key;
        let key = |parent: ObjId, child: ObjId| if parent_is_left { (parent, child) } else { (child, parent) };
        let secondary_id = secondary.0;
        let row_values = |orm: &mut Orm, parent: ObjId, child: ObjId| -> OrmResult<Vec<(String, Datum)>> {
            let mut values = Vec::new();
            for (pairs, owner) in [(&relationship.pairs, parent), (&relationship.secondary_pairs, child)] {
                for (referenced, association_column) in pairs.iter() {
                    let prop = orm.registry.mapper(orm.instances.get(owner).mapper).prop_for_column(referenced.column);
                    let value = match prop {
                        Some(p) => orm.value_for_sync(owner, p)?,
                        None => Datum::Null,
                    };
                    values.push((secondary_table.columns[association_column.column].name.clone(), value));
                }
            }
            values.sort_by_key(|(name, _)| secondary_table.column_index(name));
            Ok(values)
        };
        let mut delete_statements = Vec::new();
        for (parent, child) in removals {
            let (a, b) = key(parent, child);
            if !plan.association_pairs_done.insert((secondary_id, a, b)) {
                continue;
            }
            let values = row_values(self, parent, child)?;
            let mut criteria: Option<Expr> = None;
            for (name, value) in values {
                let term = Expr::binary(Expr::column(&secondary_name, &name), BinaryOp::Eq, Expr::Param(value));
                criteria = Some(match criteria {
                    None => term,
                    Some(previous) => Expr::binary(previous, BinaryOp::And, term),
                });
            }
            delete_statements.push(Statement::Delete(Delete { table: secondary_name.clone(), where_clause: criteria }));
        }
        if !delete_statements.is_empty() {
            self.execute(plan.session, &delete_statements, Reason::Flush)?;
        }
        let mut rows = Vec::new();
        let mut columns = Vec::new();
        for (parent, child) in inserts {
            let (a, b) = key(parent, child);
            if !plan.association_pairs_done.insert((secondary_id, a, b)) {
                continue;
            }
            let values = row_values(self, parent, child)?;
            columns = values.iter().map(|(name, _)| name.clone()).collect();
            rows.push(values.into_iter().map(|(_, v)| v).collect::<Vec<_>>());
        }
        if !rows.is_empty() {
            let statements: Vec<Statement> = rows
                .into_iter()
                .map(|row| Statement::Insert(Insert { table: secondary_name.clone(), columns: columns.clone(), rows: vec![row], returning: vec![] }))
                .collect();
            self.execute(plan.session, &statements, Reason::Flush)?;
        }
        Ok(())
    }
}

fn object_of(value: &AttrValue) -> Option<ObjId> {
    match value {
        AttrValue::Object(o) => *o,
        _ => None,
    }
}

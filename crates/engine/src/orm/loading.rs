//! Rows back into objects (SQLAlchemy's `loading.py` and loader strategies): one object per
//! identity (the identity map), attributes that are already loaded or changed in memory left
//! alone, expired attributes reloaded with a SELECT by primary key, relationships loaded
//! lazily on first access (`lazy='select'`), in the same statement (`joined`), or with a
//! second `IN` query (`selectin`).

use std::collections::HashMap;

use super::connection::{Purpose, Reason};
use super::identity::IdentityKey;
use super::mapper::{Direction, MapperId, PropIdx, Relationship};
use super::select::{Compiled, LoaderKind, OrmSelect, RowPart};
use super::state::{AttrValue, ObjId, ObjectState, Slot};
use super::{ErrorKind, Host, Orm, OrmError, OrmResult, SessionId};
use crate::sql::{BinaryOp, Datum, Expr, FromClause, Join, JoinKind, ResultColumn, Select, Source, Statement};

/// One value of a result row: an object (None where an outer join found nothing) or a value.
#[derive(Clone, Debug, PartialEq)]
pub enum RowValue {
    Object(Option<ObjId>),
    Value(Datum),
}

/// What a query returned: row keys (`row.username`) and rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryRows {
    pub keys: Vec<String>,
    pub rows: Vec<Vec<RowValue>>,
}

/// Batch size of selectin loading (SQLAlchemy's default).
const SELECTIN_BATCH: usize = 500;

impl Orm {
    /// Runs an ORM select: autoflush, the statement, objects from rows, eager loads.
    pub fn execute_select(&mut self, host: &mut dyn Host, session: SessionId, statement: &OrmSelect) -> OrmResult<QueryRows> {
        self.check_usable(session)?;
        self.registry.configure()?;
        self.autoflush(host, session)?;
        let compiled = self.compile_select(statement)?;
        // Loader options are part of SQLAlchemy's cache key, not of the SQL text.
        let purpose = Purpose::keyed(Reason::Statement, &statement.options);
        let outcome = self.execute(session, &[Statement::Select(compiled.select.clone())], purpose)?;
        let rows = self.load_rows(session, statement, &compiled, &outcome.rows)?;
        self.run_selectin_options(host, session, statement, &compiled, &rows)?;
        Ok(QueryRows { keys: compiled.keys.clone(), rows })
    }

    /// Objects and values from a select's rows, with its joined eager loads and loader
    /// options applied (legacy queries de-duplicate entity rows).
    fn load_rows(&mut self, session: SessionId, statement: &OrmSelect, compiled: &Compiled, raw_rows: &[Vec<Datum>]) -> OrmResult<Vec<Vec<RowValue>>> {
        self.newly_loaded.clear();
        let mut rows = Vec::with_capacity(raw_rows.len());
        // (parent, prop) → children in row order, for joined eager loads.
        let mut joined: Vec<((ObjId, PropIdx), Vec<ObjId>)> = Vec::new();
        for raw in raw_rows {
            let row = self.row_values(session, compiled, raw, statement.populate_existing)?;
            for load in &compiled.joined {
                let Some(RowValue::Object(Some(parent))) = row.get(load.parent_part) else { continue };
                let child = self.instance_from_row(session, load.target, &raw[load.start..load.start + load.props.len()], &load.props, false)?;
                let entry = match joined.iter_mut().find(|(k, _)| *k == (*parent, load.prop)) {
                    Some(entry) => entry,
                    None => {
                        joined.push(((*parent, load.prop), Vec::new()));
                        let last = joined.len() - 1;
                        &mut joined[last]
                    }
                };
                if let Some(child) = child {
                    if !entry.1.contains(&child) {
                        entry.1.push(child);
                    }
                }
            }
            rows.push(row);
        }
        for ((parent, prop), children) in joined {
            self.set_loaded_relationship(parent, prop, children, statement.populate_existing);
        }
        self.apply_loader_options(statement, compiled, &rows);
        if statement.legacy && statement.entities.iter().any(|e| matches!(e, super::select::Entity::Mapper { .. })) {
            // The legacy Query de-duplicates rows that hold mapped entities ("filtered" results).
            let mut unique: Vec<Vec<RowValue>> = Vec::new();
            for row in rows {
                if !unique.contains(&row) {
                    unique.push(row);
                }
            }
            rows = unique;
        }
        Ok(rows)
    }

    /// `lazyload` / `raiseload` / `noload` options stay with the objects the query loaded (not
    /// with objects it found already in the identity map), for when their relationship is
    /// first read.
    fn apply_loader_options(&mut self, statement: &OrmSelect, compiled: &Compiled, rows: &[Vec<RowValue>]) {
        for option in &statement.options {
            let lazy = match option.kind {
                LoaderKind::Lazy => super::mapper::Lazy::Select,
                LoaderKind::Raise => super::mapper::Lazy::Raise,
                LoaderKind::NoLoad => super::mapper::Lazy::NoLoad,
                LoaderKind::Joined | LoaderKind::Selectin => continue,
            };
            let Some((mapper, prop)) = option.path.first().copied() else { continue };
            for (index, part) in compiled.parts.iter().enumerate() {
                if !matches!(part, RowPart::Object { mapper: m, .. } if *m == mapper) {
                    continue;
                }
                for row in rows {
                    if let Some(RowValue::Object(Some(obj))) = row.get(index) {
                        if self.newly_loaded.contains(obj) {
                            self.instances.get_mut(*obj).strategies.insert(prop, lazy);
                        }
                    }
                }
            }
        }
    }

    fn row_values(&mut self, session: SessionId, compiled: &Compiled, raw: &[Datum], populate_existing: bool) -> OrmResult<Vec<RowValue>> {
        let mut row = Vec::with_capacity(compiled.parts.len());
        for part in &compiled.parts {
            row.push(match part {
                RowPart::Object { mapper, start, props } => {
                    let values = raw.get(*start..*start + props.len()).unwrap_or(&[]);
                    RowValue::Object(self.instance_from_row(session, *mapper, values, props, populate_existing)?)
                }
                RowPart::Value { index, result_type } => {
                    let value = raw.get(*index).cloned().unwrap_or(Datum::Null);
                    RowValue::Value(match result_type {
                        Some(column_type) => column_type.process_result(value),
                        None => value,
                    })
                }
            });
        }
        Ok(row)
    }

    /// The object for a row: the one in the identity map (its unloaded attributes filled in),
    /// or a new persistent object. `None` when the row's primary key is NULL (outer join).
    pub(crate) fn instance_from_row(&mut self, session: SessionId, mapper: MapperId, values: &[Datum], props: &[PropIdx], populate_existing: bool) -> OrmResult<Option<ObjId>> {
        let pk_props = self.registry.mapper(mapper).pk_props.clone();
        let pk: Vec<Datum> = pk_props
            .iter()
            .map(|p| props.iter().position(|x| x == p).and_then(|i| values.get(i)).map_or(Datum::Null, |v| self.processed(mapper, *p, v)))
            .collect();
        // Keyed by the processed values, as objects flushed from Python values are (a Uuid
        // primary key is a UUID either way, not the text it is stored as).
        let Some(key) = IdentityKey::new(mapper, &pk) else { return Ok(None) };
        let cached = self.session(session).identity_map.get(&key);
        let obj = match cached.filter(|o| !self.forget_if_unreferenced(session, *o)) {
            Some(obj) => obj,
            None => {
                let obj = self.new_instance(mapper)?;
                self.newly_loaded.push(obj);
                let state = self.instances.get_mut(obj);
                state.key = Some(key.clone());
                state.session = Some(session);
                self.session_mut(session).identity_map.insert(key, obj);
                obj
            }
        };
        for (prop, value) in props.iter().zip(values) {
            let value = self.processed(mapper, *prop, value);
            let state = self.instances.get_mut(obj);
            let unloaded = matches!(state.values.get(*prop), Some(Slot::Unloaded));
            let overwrite = populate_existing && !state.committed.contains_key(prop);
            if unloaded || overwrite {
                state.values[*prop] = Slot::Loaded(AttrValue::Column(value));
            }
        }
        Ok(Some(obj))
    }

    /// A column attribute's value as read from a row, through its type's result processor.
    fn processed(&self, mapper: MapperId, prop: PropIdx, value: &Datum) -> Datum {
        let m = self.registry.mapper(mapper);
        match m.column_of(prop) {
            Some(column) => self.registry.metadata.table(m.table).columns[column].column_type.process_result(value.clone()),
            None => value.clone(),
        }
    }

    fn set_loaded_relationship(&mut self, parent: ObjId, prop: PropIdx, children: Vec<ObjId>, overwrite: bool) {
        let Ok(relationship) = self.relationship_of(parent, prop) else { return };
        let state = self.instances.get_mut(parent);
        if !overwrite && !matches!(state.values.get(prop), Some(Slot::Unloaded)) {
            return;
        }
        let value = if relationship.uselist {
            AttrValue::Objects(children)
        } else {
            AttrValue::Object(children.first().copied())
        };
        state.values[prop] = Slot::Loaded(value);
    }

    /// Loads a relationship for a whole set of objects of the rows with one `IN` query per
    /// batch (`selectinload`, `lazy='selectin'`).
    fn run_selectin_options(&mut self, host: &mut dyn Host, session: SessionId, statement: &OrmSelect, compiled: &Compiled, rows: &[Vec<RowValue>]) -> OrmResult<()> {
        let mut requests: Vec<(usize, MapperId, PropIdx)> = Vec::new();
        for (index, part) in compiled.parts.iter().enumerate() {
            let RowPart::Object { mapper, .. } = part else { continue };
            for (prop, relationship) in self.registry.mapper(*mapper).relationships() {
                let option = statement.options.iter().find(|o| o.path.len() == 1 && o.path[0] == (*mapper, prop)).map(|o| o.kind);
                let selectin = match option {
                    Some(kind) => kind == LoaderKind::Selectin,
                    None => relationship.lazy == super::mapper::Lazy::Selectin,
                };
                if selectin {
                    requests.push((index, *mapper, prop));
                }
            }
        }
        for (index, _, prop) in requests {
            let mut parents: Vec<ObjId> = Vec::new();
            for row in rows {
                if let Some(RowValue::Object(Some(obj))) = row.get(index) {
                    if !parents.contains(obj) && (statement.populate_existing || matches!(self.instances.get(*obj).values.get(prop), Some(Slot::Unloaded))) {
                        parents.push(*obj);
                    }
                }
            }
            for batch in parents.chunks(SELECTIN_BATCH) {
                self.selectin_load(host, session, batch, prop)?;
            }
        }
        Ok(())
    }

    fn selectin_load(&mut self, host: &mut dyn Host, session: SessionId, parents: &[ObjId], prop: PropIdx) -> OrmResult<()> {
        let Some(first) = parents.first() else { return Ok(()) };
        let relationship = self.relationship_of(*first, prop)?;
        let target = relationship.target;
        match relationship.direction {
            Direction::OneToMany => {
                // SELECT post.user_id AS post_user_id, post.id AS post_id, ... WHERE post.user_id IN (...)
                let Some((referenced, fk)) = relationship.pairs.first().copied() else { return Ok(()) };
                let target_mapper = self.registry.mapper(target).clone();
                let target_table = self.registry.metadata.table(target_mapper.table).clone();
                let fk_name = target_table.columns[fk.column].name.clone();
                let mut columns = vec![ResultColumn { expr: Expr::column(&target_table.name, &fk_name), label: Some(format!("{}_{fk_name}", target_table.name)) }];
                let mut props = Vec::new();
                for (index, column) in target_table.columns.iter().enumerate() {
                    if index == fk.column {
                        continue;
                    }
                    if let Some(p) = target_mapper.prop_for_column(index) {
                        columns.push(ResultColumn { expr: Expr::column(&target_table.name, &column.name), label: Some(format!("{}_{}", target_table.name, column.name)) });
                        props.push(p);
                    }
                }
                let fk_prop = target_mapper.prop_for_column(fk.column);
                let mut keys = Vec::new();
                for parent in parents {
                    keys.push(self.referenced_value(host, *parent, referenced.column)?);
                }
                let select = Select {
                    columns,
                    from: Some(FromClause { base: Source::Table { name: target_table.name.clone(), alias: None }, joins: vec![] }),
                    where_clause: Some(Expr::InList { expr: Box::new(Expr::column(&target_table.name, &fk_name)), list: keys.iter().cloned().map(Expr::Param).collect(), negated: false }),
                    order_by: self.relationship_order_by(&relationship, None),
                    ..Select::default()
                };
                let outcome = self.execute(session, &[Statement::Select(select)], Reason::Statement)?;
                let mut by_parent: HashMap<usize, Vec<ObjId>> = HashMap::new();
                for raw in &outcome.rows {
                    let Some(fk_value) = raw.first() else { continue };
                    let mut all_props = props.clone();
                    let mut values = raw[1..].to_vec();
                    if let Some(p) = fk_prop {
                        all_props.push(p);
                        values.push(fk_value.clone());
                    }
                    let Some(child) = self.instance_from_row(session, target, &values, &all_props, false)? else { continue };
                    if let Some(position) = keys.iter().position(|k| super::identity::KeyValue(k.clone()) == super::identity::KeyValue(fk_value.clone())) {
                        by_parent.entry(position).or_default().push(child);
                    }
                }
                for (position, parent) in parents.iter().enumerate() {
                    let children = by_parent.remove(&position).unwrap_or_default();
                    self.set_loaded_relationship(*parent, prop, children, true);
                }
            }
            _ => {
                // Many-to-one and many-to-many: each parent loads on its own, lazily.
                for parent in parents {
                    let value = self.lazy_load(host, *parent, prop)?;
                    self.instances.get_mut(*parent).values[prop] = Slot::Loaded(value);
                }
            }
        }
        Ok(())
    }

    /// The value of a column of `obj`'s own table (loading expired attributes if needed).
    fn referenced_value(&mut self, host: &mut dyn Host, obj: ObjId, column: usize) -> OrmResult<Datum> {
        let mapper = self.instances.get(obj).mapper;
        let Some(prop) = self.registry.mapper(mapper).prop_for_column(column) else { return Ok(Datum::Null) };
        match self.get_attribute(host, obj, prop)? {
            AttrValue::Column(value) => Ok(value),
            _ => Ok(Datum::Null),
        }
    }

    /// Reloads an object's expired column attributes with one SELECT by primary key.
    pub(crate) fn load_expired(&mut self, obj: ObjId) -> OrmResult<()> {
        self.load_by_identity(obj, true)
    }

    /// The SELECT behind an expired load (`table_column` labels, like a legacy query) or
    /// `session.refresh()` (a 2.0 `select()`, unlabelled).
    fn load_by_identity(&mut self, obj: ObjId, tablename_labels: bool) -> OrmResult<()> {
        let state = self.instances.get(obj);
        let Some(session) = state.session else {
            return Err(OrmError::with_code(
                ErrorKind::DetachedInstance,
                format!("Instance {} is not bound to a Session; attribute refresh operation cannot proceed", self.instance_address(obj)),
                "bhk3",
            ));
        };
        self.check_usable(session)?;
        let mapper = state.mapper;
        let m = self.registry.mapper(mapper).clone();
        let props: Vec<PropIdx> = m.column_props().map(|(p, _, _)| p).filter(|p| matches!(state.values.get(*p), Some(Slot::Unloaded))).collect();
        if props.is_empty() {
            return Ok(());
        }
        let table = self.table_name(mapper).to_string();
        let joined_unloaded = m.relationships().any(|(p, r)| r.lazy == super::mapper::Lazy::Joined && matches!(state.values.get(p), Some(Slot::Unloaded)));
        if joined_unloaded {
            // The refresh loads `lazy='joined'` relationships with it, as SQLAlchemy's does.
            let mut statement = OrmSelect::of_mapper(mapper, tablename_labels);
            statement.criteria.push(self.pk_criteria(&table, obj, &m.pk_props));
            let compiled = self.compile_select(&statement)?;
            let outcome = self.execute(session, &[Statement::Select(compiled.select.clone())], Reason::Refresh)?;
            if outcome.rows.is_empty() {
                return Err(self.object_deleted(obj));
            }
            self.load_rows(session, &statement, &compiled, &outcome.rows)?;
            return Ok(());
        }
        let columns = props
            .iter()
            .map(|p| {
                let expr = self.column_expr(mapper, None, *p)?;
                let label = match &expr {
                    Expr::Column { name, .. } if tablename_labels => Some(format!("{table}_{name}")),
                    _ => None,
                };
                Ok(ResultColumn { expr, label })
            })
            .collect::<OrmResult<Vec<_>>>()?;
        let select = Select {
            columns,
            from: Some(FromClause { base: Source::Table { name: table.clone(), alias: None }, joins: vec![] }),
            where_clause: Some(self.pk_criteria(&table, obj, &m.pk_props)),
            ..Select::default()
        };
        let outcome = self.execute(session, &[Statement::Select(select)], Reason::Refresh)?;
        let Some(row) = outcome.rows.first() else { return Err(self.object_deleted(obj)) };
        for (prop, value) in props.iter().zip(row) {
            let value = self.processed(mapper, *prop, value);
            let state = self.instances.get_mut(obj);
            if matches!(state.values.get(*prop), Some(Slot::Unloaded)) {
                state.values[*prop] = Slot::Loaded(AttrValue::Column(value));
            }
        }
        Ok(())
    }

    fn object_deleted(&self, obj: ObjId) -> OrmError {
        OrmError::with_code(
            ErrorKind::ObjectDeleted,
            format!("Instance '{}' has been deleted, or its row is otherwise not present.", self.instance_address(obj)),
            "bhk3",
        )
    }

    /// `session.refresh(obj)`: expires and reloads every column now.
    pub fn refresh(&mut self, obj: ObjId) -> OrmResult<()> {
        if self.object_state(obj) != ObjectState::Persistent {
            return Err(OrmError::invalid_request(format!("Instance '{}' is not persistent within this Session", self.instance_address(obj))));
        }
        self.instances.get_mut(obj).expire();
        self.load_by_identity(obj, false)
    }

    /// Loads a relationship on first access (`lazy='select'`).
    pub(crate) fn lazy_load(&mut self, host: &mut dyn Host, obj: ObjId, prop: PropIdx) -> OrmResult<AttrValue> {
        let relationship = self.relationship_of(obj, prop)?;
        let Some(session) = self.instances.get(obj).session else {
            return Err(OrmError::with_code(
                ErrorKind::DetachedInstance,
                format!("Parent instance {} is not bound to a Session; lazy load operation of attribute '{}' cannot proceed", self.instance_address(obj), relationship.key),
                "bhk3",
            ));
        };
        // The lazy loader flushes first (before it even reads the parent's key).
        if relationship.direction != Direction::ManyToOne {
            self.autoflush(host, session)?;
        }
        match relationship.direction {
            Direction::ManyToOne => self.lazy_load_many_to_one(host, session, obj, &relationship),
            Direction::OneToMany => {
                let mut criteria = Vec::new();
                for (referenced, fk) in relationship.pairs.clone() {
                    let value = self.referenced_value(host, obj, referenced.column)?;
                    let fk_table = self.registry.metadata.table(fk.table);
                    criteria.push(Expr::binary(Expr::Param(value), BinaryOp::Eq, Expr::column(&fk_table.name, &fk_table.columns[fk.column].name)));
                }
                let children = self.load_related(host, session, &relationship, criteria, vec![])?;
                Ok(collection_value(&relationship, children))
            }
            Direction::ManyToMany => {
                let Some(secondary) = relationship.secondary else { return Ok(AttrValue::Objects(vec![])) };
                let secondary_name = self.registry.metadata.table(secondary).name.clone();
                let mut criteria = Vec::new();
                for (referenced, association) in relationship.pairs.clone() {
                    let value = self.referenced_value(host, obj, referenced.column)?;
                    let table = self.registry.metadata.table(association.table);
                    criteria.push(Expr::binary(Expr::Param(value), BinaryOp::Eq, Expr::column(&table.name, &table.columns[association.column].name)));
                }
                for (referenced, association) in relationship.secondary_pairs.clone() {
                    let target_table = self.registry.metadata.table(referenced.table);
                    let table = self.registry.metadata.table(association.table);
                    criteria.push(Expr::binary(
                        Expr::column(&target_table.name, &target_table.columns[referenced.column].name),
                        BinaryOp::Eq,
                        Expr::column(&table.name, &table.columns[association.column].name),
                    ));
                }
                let children = self.load_related(host, session, &relationship, criteria, vec![secondary_name])?;
                Ok(collection_value(&relationship, children))
            }
        }
    }

    fn lazy_load_many_to_one(&mut self, host: &mut dyn Host, session: SessionId, obj: ObjId, relationship: &Relationship) -> OrmResult<AttrValue> {
        let target = relationship.target;
        let target_mapper = self.registry.mapper(target).clone();
        let mut key_values = Vec::new();
        for (referenced, fk) in relationship.pairs.clone() {
            let value = self.referenced_value(host, obj, fk.column)?;
            if value.is_null() {
                return Ok(AttrValue::Object(None));
            }
            key_values.push((referenced, value));
        }
        // A foreign key to the target's primary key: the identity map may already hold it.
        let uses_pk = target_mapper.pk_props.len() == key_values.len()
            && key_values.iter().all(|(referenced, _)| target_mapper.prop_for_column(referenced.column).is_some_and(|p| target_mapper.pk_props.contains(&p)));
        if uses_pk {
            let pk: Vec<Datum> = target_mapper
                .pk_props
                .iter()
                .map(|p| {
                    let column = target_mapper.column_of(*p);
                    key_values.iter().find(|(r, _)| Some(r.column) == column).map(|(_, v)| v.clone()).unwrap_or(Datum::Null)
                })
                .collect();
            return Ok(AttrValue::Object(self.get_by_identity(host, session, target, &pk, false)?));
        }
        let table = self.registry.metadata.table(target_mapper.table).name.clone();
        let criteria = key_values
            .into_iter()
            .map(|(referenced, value)| {
                let column = self.registry.metadata.table(referenced.table).columns[referenced.column].name.clone();
                Expr::binary(Expr::column(&table, &column), BinaryOp::Eq, Expr::Param(value))
            })
            .collect();
        let found = self.load_related(host, session, relationship, criteria, vec![])?;
        Ok(AttrValue::Object(found.first().copied()))
    }

    /// SELECT of a relationship's target rows with the given criteria (autoflush first).
    fn load_related(&mut self, host: &mut dyn Host, session: SessionId, relationship: &Relationship, criteria: Vec<Expr>, extra_from: Vec<String>) -> OrmResult<Vec<ObjId>> {
        self.autoflush(host, session)?;
        let target = relationship.target;
        let mut compiled_statement = OrmSelect::of_mapper(target, true);
        compiled_statement.criteria = criteria;
        compiled_statement.order_by = self.relationship_order_by(relationship, None);
        let mut compiled = self.compile_select(&compiled_statement)?;
        if let Some(from) = &mut compiled.select.from {
            for name in extra_from {
                from.joins.retain(|j| !matches!(&j.source, Source::Table { name: n, alias: None } if *n == name));
                from.joins.insert(0, Join { kind: JoinKind::Cross, source: Source::Table { name, alias: None }, on: Expr::Literal(Datum::Bool(true)) });
            }
        }
        let outcome = self.execute(session, &[Statement::Select(compiled.select.clone())], Reason::LazyLoad)?;
        let mut found = Vec::new();
        for raw in &outcome.rows {
            if let Some(RowValue::Object(Some(obj))) = self.row_values(session, &compiled, raw, false)?.first() {
                found.push(*obj);
            }
        }
        Ok(found)
    }

    /// `session.get(Model, pk)`: the identity map first, then a SELECT by primary key.
    pub fn get(&mut self, host: &mut dyn Host, session: SessionId, mapper: MapperId, pk: &[Datum]) -> OrmResult<Option<ObjId>> {
        self.check_usable(session)?;
        self.registry.configure()?;
        let expected = self.registry.mapper(mapper).pk_props.len();
        if pk.len() != expected {
            return Err(OrmError::invalid_request(format!(
                "Incorrect number of values in identifier formed from argument to Session.get(); primary key columns are {}",
                self.registry.mapper(mapper).pk_props.iter().map(|p| format!("'{}.{}'", self.table_name(mapper), self.registry.mapper(mapper).props[*p].key())).collect::<Vec<_>>().join(", ")
            )));
        }
        self.get_by_identity(host, session, mapper, pk, true)
    }

    fn get_by_identity(&mut self, host: &mut dyn Host, session: SessionId, mapper: MapperId, pk: &[Datum], autoflush: bool) -> OrmResult<Option<ObjId>> {
        let Some(key) = IdentityKey::new(mapper, pk) else { return Ok(None) };
        let cached = self.session(session).identity_map.get(&key);
        if let Some(obj) = cached.filter(|o| !self.forget_if_unreferenced(session, *o)) {
            let expired = self.registry.mapper(mapper).column_props().any(|(p, _, _)| matches!(self.instances.get(obj).values.get(p), Some(Slot::Unloaded)));
            if expired {
                match self.load_expired(obj) {
                    Err(error) if error.kind == ErrorKind::ObjectDeleted => {
                        self.session_mut(session).identity_map.remove(&key);
                        return Ok(None);
                    }
                    other => other?,
                }
            }
            return Ok(Some(obj));
        }
        if autoflush {
            self.autoflush(host, session)?;
        }
        let m = self.registry.mapper(mapper).clone();
        let mut statement = OrmSelect::of_mapper(mapper, true);
        for (prop, value) in m.pk_props.iter().zip(pk) {
            let column = self.column_expr(mapper, None, *prop)?;
            statement.criteria.push(Expr::binary(column, BinaryOp::Eq, Expr::Param(value.clone())));
        }
        let compiled = self.compile_select(&statement)?;
        let reason = if autoflush { Reason::Statement } else { Reason::LazyLoad };
        let outcome = self.execute(session, &[Statement::Select(compiled.select.clone())], reason)?;
        match outcome.rows.first() {
            Some(raw) => match self.row_values(session, &compiled, raw, false)?.first() {
                Some(RowValue::Object(obj)) => Ok(*obj),
                _ => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// Rows of a plain SQL query for a session (`session.execute(text(...))`, Core selects).
    pub fn execute_statement(&mut self, host: &mut dyn Host, session: SessionId, statement: Statement) -> OrmResult<super::connection::Outcome> {
        self.check_usable(session)?;
        self.autoflush(host, session)?;
        self.execute(session, &[statement], Reason::Statement)
    }
}

fn collection_value(relationship: &Relationship, children: Vec<ObjId>) -> AttrValue {
    if relationship.uselist {
        AttrValue::Objects(children)
    } else {
        AttrValue::Object(children.first().copied())
    }
}


impl Orm {
    /// `query.count()`.
    pub fn execute_count(&mut self, host: &mut dyn Host, session: SessionId, statement: &OrmSelect) -> OrmResult<i64> {
        self.check_usable(session)?;
        self.registry.configure()?;
        self.autoflush(host, session)?;
        let select = self.count_statement(statement)?;
        let outcome = self.execute(session, &[Statement::Select(select)], Reason::Statement)?;
        match outcome.rows.first().and_then(|r| r.first()) {
            Some(Datum::Int(n)) => Ok(*n),
            _ => Ok(0),
        }
    }
}

impl Orm {
    /// `session.execute(text("... :name ..."), {...})`: raw SQL with named parameters, after an
    /// autoflush, in the session's transaction.
    pub fn execute_text(&mut self, host: &mut dyn Host, session: SessionId, sql: &str, params: &[(String, Datum)]) -> OrmResult<super::connection::Outcome> {
        self.check_usable(session)?;
        self.autoflush(host, session)?;
        self.open_connection(session)?;
        let engine = self.session(session).engine;
        let db = self.engines.get_mut(engine).ok_or_else(|| OrmError::invalid_request("this session is not bound to an engine"))?;
        db.set_reason(Reason::Statement);
        let result = db.execute_text(sql, params).map_err(|e| OrmError::from(super::connection::DbFailure::from(e)))?;
        Ok(result.into())
    }
}

impl Orm {
    /// SQLAlchemy's identity map holds objects weakly: an unchanged object that nothing
    /// references any more (not the host, not a loaded relationship of a referenced object)
    /// is gone, and the next `get()` loads it again. Returns whether `obj` was forgotten.
    pub(crate) fn forget_if_unreferenced(&mut self, session: SessionId, obj: ObjId) -> bool {
        if self.is_referenced(session, obj) {
            return false;
        }
        if let Some(key) = self.instances.get(obj).key.clone() {
            self.session_mut(session).identity_map.remove(&key);
        }
        self.instances.get_mut(obj).session = None;
        true
    }

    /// Whether the script can still reach `obj`: it holds the object, or an object it holds
    /// has it in a loaded relationship.
    pub(crate) fn still_referenced(&mut self, session: SessionId, obj: ObjId) -> bool {
        if self.instances.get(obj).host_alive() {
            return true;
        }
        if self.reachable.is_none() {
            self.reachable = Some(self.reachable_from_held(session));
        }
        self.reachable.as_ref().is_some_and(|r| r.contains(&obj))
    }

    fn held_by_session(&self, session: SessionId, obj: ObjId) -> bool {
        let state = self.instances.get(obj);
        let data = self.session(session);
        state.host_alive() || state.is_modified() || state.deleted || data.new.contains(&obj) || data.deleted.contains(&obj)
    }

    fn is_referenced(&mut self, session: SessionId, obj: ObjId) -> bool {
        if self.held_by_session(session, obj) {
            return true;
        }
        if self.reachable.is_none() {
            self.reachable = Some(self.reachable_from_held(session));
        }
        self.reachable.as_ref().is_some_and(|r| r.contains(&obj))
    }

    /// Objects reachable through loaded relationships from objects the session holds
    /// (computed once per query: `reachable` is reset when a statement is sent).
    fn reachable_from_held(&self, session: SessionId) -> std::collections::HashSet<ObjId> {
        let roots: Vec<ObjId> = self
            .session(session)
            .identity_map
            .objects()
            .filter(|o| self.held_by_session(session, *o) && self.instances.get(*o).values.iter().any(|v| matches!(v, super::state::Slot::Loaded(AttrValue::Object(Some(_)) | AttrValue::Objects(_)))))
            .collect();
        let mut seen: std::collections::HashSet<ObjId> = roots.iter().copied().collect();
        let mut stack = roots;
        while let Some(current) = stack.pop() {
            let mapper = self.registry.mapper(self.instances.get(current).mapper);
            for (prop, _) in mapper.relationships() {
                for related in self.loaded_related(current, prop) {
                    if seen.insert(related) {
                        stack.push(related);
                    }
                }
            }
        }
        seen
    }
}

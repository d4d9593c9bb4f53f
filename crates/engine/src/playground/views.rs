//! Snapshots the panels render: the session (identity map, object states, pending changes),
//! the tables of the app's database, the schema for the ER diagram; and applying models
//! (comparing the declared tables with the stored ones, creating what is missing).

use std::collections::HashSet;

use crate::bindings::sqlalchemy::attributes::python_object;
use crate::bindings::flask_sqlalchemy::Db;
use crate::bindings::sqlalchemy::world::with_orm;
use crate::db::{RowsPage, TableView};
use crate::orm::mapper::Direction;
use crate::orm::schema::MetaDataId;
use crate::orm::session::TransactionState;
use crate::orm::{AttrValue, ObjId, ObjectState, SessionId};

use super::Playground;

#[derive(Clone, Debug, PartialEq)]
pub struct AttributeView {
    pub name: String,
    /// `repr()` of the value, or `None` when it is not loaded (expired / never loaded).
    pub value: Option<String>,
    /// The value before an unflushed change (`old -> new`).
    pub old: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectView {
    pub repr: String,
    pub class_name: String,
    /// "transient", "pending", "persistent", "deleted", "detached".
    pub state: &'static str,
    pub attributes: Vec<AttributeView>,
    /// Has unflushed changes.
    pub modified: bool,
    /// Marked with `session.delete()`, not flushed yet.
    pub marked_for_delete: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionView {
    /// The identity map, pending objects and objects deleted by a flush in the open
    /// transaction, in the session's order (at most the limit asked for: `object_count` says
    /// how many there are).
    pub objects: Vec<ObjectView>,
    pub object_count: usize,
    /// `repr()`s of `session.new`, `.dirty`, `.deleted` (each at most the limit asked for).
    pub new: Vec<String>,
    pub dirty: Vec<String>,
    pub deleted: Vec<String>,
    /// How many objects each of `new`, `dirty`, `deleted` holds.
    pub new_count: usize,
    pub dirty_count: usize,
    pub deleted_count: usize,
    /// A database transaction is open (BEGIN was sent).
    pub transaction_open: bool,
    /// A flush failed: everything but rollback() raises PendingRollbackError.
    pub rollback_pending: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaColumn {
    pub name: String,
    pub sql_type: String,
    pub primary_key: bool,
    pub unique: bool,
    pub nullable: bool,
    /// `user.id` for a foreign key.
    pub foreign_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaTable {
    pub name: String,
    /// The model class mapped to it (none for association tables).
    pub class_name: Option<String>,
    pub columns: Vec<SchemaColumn>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaRelationship {
    pub class_name: String,
    pub name: String,
    pub from_table: String,
    pub to_table: String,
    /// "one-to-many", "many-to-one", "one-to-one", "many-to-many".
    pub kind: &'static str,
    /// The association table of a many-to-many.
    pub secondary: Option<String>,
    /// The relationship on the other side (backref / back_populates).
    pub reverse: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SchemaView {
    pub tables: Vec<SchemaTable>,
    pub relationships: Vec<SchemaRelationship>,
}

impl Playground {
    /// `repr()` of an ORM object, as the console would print it.
    pub(crate) fn object_repr(&mut self, obj: ObjId) -> String {
        let world = self.world();
        let value = match world.borrow() {
            Ok(mut w) => python_object(&mut self.interp, &mut w, obj),
            Err(_) => return "<object>".into(),
        };
        self.interp.repr(&value).unwrap_or_else(|_| "<object>".into())
    }

    fn value_repr(&mut self, value: &AttrValue) -> String {
        match value {
            AttrValue::Column(datum) => {
                let converted = crate::bindings::sqlalchemy::convert::to_value(&mut self.interp, datum);
                converted.and_then(|v| self.interp.repr(&v)).unwrap_or_else(|_| datum.echo_repr())
            }
            AttrValue::Object(None) => "None".into(),
            AttrValue::Object(Some(o)) => self.object_repr(*o),
            AttrValue::Objects(items) => {
                let reprs: Vec<String> = items.iter().map(|o| self.object_repr(*o)).collect();
                format!("[{}]", reprs.join(", "))
            }
        }
    }

    /// The session of the app's `db` as the inspector shows it.
    pub fn session_view(&mut self) -> SessionView {
        self.session_view_limited(usize::MAX)
    }

    /// The session of the app's `db`, describing at most `limit` objects (and listing at most
    /// `limit` of new / dirty / deleted): after a bulk `add_all` the session holds 100,000
    /// objects, and a repr of each would take longer than the command did.
    pub fn session_view_limited(&mut self, limit: usize) -> SessionView {
        let Some(session) = self.primary_session() else { return SessionView::default() };
        self.view_of(session, limit)
    }

    pub fn view_of(&mut self, session: SessionId, limit: usize) -> SessionView {
        let world = self.world();
        let (tracked, new, dirty, deleted, transaction_open, rollback_pending) = {
            let Ok(w) = world.borrow() else { return SessionView::default() };
            let data = w.orm.session(session);
            // Objects whose DELETE was flushed left the identity map but stay in the session,
            // in the "deleted" state, until the transaction ends.
            let flushed_deletes = match &data.transaction {
                TransactionState::Active(scopes) => scopes.iter().flat_map(|scope| scope.deleted.iter().copied()).collect(),
                _ => Vec::new(),
            };
            let mut tracked = w.orm.tracked(session);
            // A set to look in: the session may hold 100,000 objects and have deleted
            // thousands.
            let mut seen: HashSet<ObjId> = tracked.iter().copied().collect();
            for obj in flushed_deletes {
                if w.orm.instances.get(obj).state() == ObjectState::Deleted && seen.insert(obj) {
                    tracked.push(obj);
                }
            }
            (
                tracked,
                w.orm.new_objects(session),
                w.orm.dirty_objects(session),
                w.orm.deleted_objects(session),
                data.connection_open,
                w.orm.flush_failure(session).is_some(),
            )
        };
        let object_count = tracked.len();
        let marked: HashSet<ObjId> = deleted.iter().copied().collect();
        let mut objects = Vec::with_capacity(object_count.min(limit));
        for obj in tracked.into_iter().take(limit) {
            let (class_name, state, props, modified, marked) = {
                let Ok(w) = world.borrow() else { break };
                let instance = w.orm.instances.get(obj);
                let mapper = w.orm.registry.mapper(instance.mapper);
                let props: Vec<(String, Option<AttrValue>, Option<Option<AttrValue>>)> = mapper
                    .props
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let old = instance.committed.get(&i).map(|slot| slot.loaded().cloned());
                        (p.key().to_string(), instance.value(i).cloned(), old)
                    })
                    .collect();
                (mapper.class_name.clone(), instance.state(), props, w.orm.is_modified(obj), marked.contains(&obj))
            };
            let mut attributes = Vec::new();
            for (name, value, old) in props {
                let value_repr = value.as_ref().map(|v| self.value_repr(v));
                let old_repr = match old {
                    Some(Some(before)) if Some(&before) != value.as_ref() => Some(self.value_repr(&before)),
                    Some(None) if value.is_some() => Some("<not loaded>".to_string()),
                    _ => None,
                };
                attributes.push(AttributeView { name, value: value_repr, old: old_repr });
            }
            objects.push(ObjectView {
                repr: self.object_repr(obj),
                class_name,
                state: state.name(),
                attributes,
                modified,
                marked_for_delete: marked,
            });
        }
        let (new_count, dirty_count, deleted_count) = (new.len(), dirty.len(), deleted.len());
        let new = new.into_iter().take(limit).map(|o| self.object_repr(o)).collect();
        let dirty = dirty.into_iter().take(limit).map(|o| self.object_repr(o)).collect();
        let deleted = deleted.into_iter().take(limit).map(|o| self.object_repr(o)).collect();
        SessionView {
            objects,
            object_count,
            new,
            dirty,
            deleted,
            new_count,
            dirty_count,
            deleted_count,
            transaction_open,
            rollback_pending,
        }
    }

    /// The database the app's session uses (or the first one).
    fn primary_engine(&mut self) -> Option<usize> {
        let session = self.primary_session();
        let world = self.world();
        let w = world.borrow().ok()?;
        match session {
            Some(s) => Some(w.orm.session(s).engine),
            None => (!w.orm.engines.is_empty()).then_some(0),
        }
    }

    /// The metadata of `db` in the models (`db.metadata`): the models' tables. Without a `db`
    /// (plain SQLAlchemy), every table declared.
    fn primary_metadata(&mut self) -> Option<MetaDataId> {
        self.main.get("db")?.downcast_native::<Db>().map(|db| db.metadata)
    }

    /// The URI of the app's database (`sqlite:///site.db`).
    pub fn database_url(&mut self) -> Option<String> {
        let engine = self.primary_engine()?;
        self.world().borrow().ok()?.engine_urls.get(engine).cloned()
    }

    /// Every table of the app's database, with columns and row counts.
    pub fn tables(&mut self) -> Vec<TableView> {
        let Some(engine) = self.primary_engine() else { return vec![] };
        let world = self.world();
        let Ok(w) = world.borrow() else { return vec![] };
        w.orm.engines.get(engine).map(|db| db.table_views()).unwrap_or_default()
    }

    /// A page of a table's rows (for virtualised rendering), optionally sorted.
    pub fn rows_page(&mut self, table: &str, offset: usize, limit: usize, sort: Option<(&str, bool)>) -> Option<RowsPage> {
        let engine = self.primary_engine()?;
        let world = self.world();
        let w = world.borrow().ok()?;
        w.orm.engines.get(engine)?.rows_page(table, offset, limit, sort)
    }

    /// Rows the open transaction deleted from a table (shown struck through).
    pub fn deleted_rows(&mut self, table: &str) -> Vec<crate::db::RowView> {
        let Some(engine) = self.primary_engine() else { return vec![] };
        let world = self.world();
        let Ok(w) = world.borrow() else { return vec![] };
        w.orm.engines.get(engine).map(|db| db.deleted_rows(table)).unwrap_or_default()
    }

    /// The models' tables and relationships, for the ER diagram.
    pub fn schema(&mut self) -> SchemaView {
        let metadata = self.primary_metadata();
        let world = self.world();
        let Ok(mut w) = world.borrow() else { return SchemaView::default() };
        if w.orm.registry.configure().is_err() {
            return SchemaView::default();
        }
        let registry = &w.orm.registry;
        let tables = registry
            .metadata
            .tables_of(metadata)
            .map(|(id, t)| SchemaTable {
                name: t.name.clone(),
                class_name: registry.mapper_for_table(id).map(|m| registry.mapper(m).class_name.clone()),
                columns: t
                    .columns
                    .iter()
                    .map(|c| SchemaColumn {
                        name: c.name.clone(),
                        sql_type: c.column_type.sql_type().sqlite_ddl(),
                        primary_key: c.primary_key,
                        unique: c.unique,
                        nullable: c.nullable,
                        foreign_key: c.foreign_key.as_ref().map(|f| f.target.clone()),
                    })
                    .collect(),
            })
            .collect();
        let mut relationships = Vec::new();
        for id in registry.mapper_ids().filter(|m| metadata.is_none_or(|metadata| registry.metadata_of(*m) == metadata)) {
            let mapper = registry.mapper(id);
            for (_, r) in mapper.relationships() {
                let kind = match (r.direction, r.uselist) {
                    (Direction::ManyToMany, _) => "many-to-many",
                    (Direction::OneToMany, true) => "one-to-many",
                    (Direction::OneToMany, false) => "one-to-one",
                    (Direction::ManyToOne, _) => "many-to-one",
                };
                let target = registry.mapper(r.target);
                relationships.push(SchemaRelationship {
                    class_name: mapper.class_name.clone(),
                    name: r.key.clone(),
                    from_table: registry.metadata.table(mapper.table).name.clone(),
                    to_table: registry.metadata.table(target.table).name.clone(),
                    kind,
                    secondary: r.secondary.map(|t| registry.metadata.table(t).name.clone()),
                    reverse: r.reverse.map(|p| target.props[p].key().to_string()),
                });
            }
        }
        SchemaView { tables, relationships }
    }

    /// Tables the models declare that exist with other columns in the app's database.
    pub(crate) fn schema_conflicts(&mut self) -> Vec<String> {
        let Some(engine) = self.primary_engine() else { return vec![] };
        let metadata = self.primary_metadata();
        let world = self.world();
        let Ok(w) = world.borrow() else { return vec![] };
        let Some(db) = w.orm.engines.get(engine) else { return vec![] };
        let stored = db.table_views();
        let mut conflicts = Vec::new();
        for (_, table) in w.orm.registry.metadata.tables_of(metadata) {
            let Some(existing) = stored.iter().find(|t| t.name == table.name) else { continue };
            let declared = table.definition();
            let same = existing.columns.len() == declared.columns.len()
                && existing.columns.iter().zip(&declared.columns).all(|(e, d)| {
                    e.name == d.name && e.nullable == d.nullable && e.primary_key == declared.primary_key.contains(&d.name)
                });
            if !same {
                conflicts.push(table.name.clone());
            }
        }
        conflicts
    }

    /// `create_all()` for the app's database, first dropping `recreate` tables.
    pub(crate) fn create_tables(&mut self, recreate: &[String]) -> Result<(), crate::script::ScriptError> {
        let Some(engine) = self.primary_engine() else { return Ok(()) };
        let metadata = self.primary_metadata();
        let world = self.world();
        let recreate = recreate.to_vec();
        let result = with_orm(&mut self.interp, &world, |orm, _| {
            if !recreate.is_empty() {
                orm.drop_tables(engine, metadata, &recreate)?;
            }
            orm.create_all(engine, metadata)
        });
        result.map_err(|e| self.interp.error_report(e))
    }
}


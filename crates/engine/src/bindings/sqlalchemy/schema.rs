//! What model declarations are made of, as Python objects: `Column(...)` /
//! `mapped_column(...)`, `ForeignKey(...)`, `relationship(...)`, `backref(...)` and
//! `Table(...)`. Column and relationship specs are plain declarations until the declarative
//! hook maps the class and turns them into instrumented attributes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::types::{column_type_of, enum_class_of};
use super::world::World;
use crate::orm::mapper::{Lazy, RelationshipSpec};
use crate::orm::schema::{ColumnId, ColumnType, ForeignKey, MetaDataId, TableId};
use crate::script::{CallArgs, Class, Interpreter, NativeObject, PyErr, PyResult, Value};

thread_local! {
    /// Declaration order of columns (SQLAlchemy's `_creation_order`).
    static CREATION: Cell<u64> = const { Cell::new(0) };
}

fn next_creation_order() -> u64 {
    CREATION.with(|c| {
        c.set(c.get() + 1);
        c.get()
    })
}

/// `Column(...)` / `mapped_column(...)` before mapping.
pub struct ColumnSpec {
    pub name: Option<String>,
    pub column_type: Option<ColumnType>,
    /// `Enum(Mood)`: the enum class its values load as.
    pub enum_class: Option<Rc<Class>>,
    pub foreign_key: Option<ForeignKey>,
    pub primary_key: bool,
    /// `None`: decided by the primary key or (for `Mapped[...]`) the annotation.
    pub nullable: Option<bool>,
    pub unique: bool,
    pub index: bool,
    pub default: Option<Value>,
    pub onupdate: Option<Value>,
    pub server_default: Option<String>,
    pub autoincrement: bool,
    pub creation_order: u64,
    /// Built by `mapped_column()` (the annotated style).
    pub mapped: bool,
    /// The column it became once its table was made (for `remote_side=[id]`).
    pub column_id: Cell<Option<ColumnId>>,
}

pub fn column(interp: &mut Interpreter, mut args: CallArgs, mapped: bool) -> PyResult<Value> {
    let fname = if mapped { "mapped_column" } else { "Column" };
    let mut spec = ColumnSpec {
        name: None,
        column_type: None,
        enum_class: None,
        foreign_key: None,
        primary_key: false,
        nullable: None,
        unique: false,
        index: false,
        default: None,
        onupdate: None,
        server_default: None,
        autoincrement: true,
        creation_order: next_creation_order(),
        mapped,
        column_id: Cell::new(None),
    };
    for arg in std::mem::take(&mut args.args) {
        if let Some(name) = arg.as_str() {
            if spec.name.is_some() || spec.column_type.is_some() {
                return Err(PyErr::type_error(format!("{fname}(): the column name must come first")));
            }
            spec.name = Some(name.to_string());
        } else if let Some(fk) = arg.downcast_native::<ForeignKeyValue>() {
            spec.foreign_key = Some(fk.key.clone());
        } else if let Some(t) = column_type_of(interp, &arg) {
            spec.column_type = Some(t);
            spec.enum_class = enum_class_of(&arg);
        } else {
            let shown = interp.repr(&arg)?;
            return Err(PyErr::new(
                crate::script::ExcKind::TypeError,
                format!("{fname}(): unexpected argument {shown} (expected a name, a type or a ForeignKey)"),
            ));
        }
    }
    for (key, value) in std::mem::take(&mut args.kwargs) {
        let truthy = |interp: &mut Interpreter, v: &Value| interp.truthy(v);
        match &*key {
            "primary_key" => spec.primary_key = truthy(interp, &value)?,
            "nullable" => spec.nullable = Some(truthy(interp, &value)?),
            "unique" => spec.unique = truthy(interp, &value)?,
            "index" => spec.index = truthy(interp, &value)?,
            "default" => spec.default = Some(value),
            "onupdate" => spec.onupdate = Some(value),
            "server_default" => spec.server_default = Some(server_default_text(interp, &value)?),
            "autoincrement" => spec.autoincrement = !matches!(value, Value::Bool(false)),
            "name" => spec.name = value.as_str().map(str::to_string),
            "type_" => {
                spec.column_type = column_type_of(interp, &value);
                spec.enum_class = enum_class_of(&value);
            }
            "doc" | "comment" | "info" | "key" | "quote" | "system" | "sort_order" | "init" | "repr" | "compare" | "kw_only" | "deferred" => {}
            other => {
                return Err(PyErr::type_error(format!("{fname}() got an unexpected keyword argument '{other}'")));
            }
        }
    }
    Ok(Value::Native(Rc::new(spec)))
}

/// `server_default='x'` is a SQL literal string; `text('...')` stays as written.
fn server_default_text(interp: &mut Interpreter, value: &Value) -> PyResult<String> {
    if let Some(s) = value.as_str() {
        return Ok(format!("'{}'", s.replace('\'', "''")));
    }
    if let Some(text) = value.downcast_native::<super::expr::TextClause>() {
        return Ok(text.sql.clone());
    }
    interp.str(value)
}

impl NativeObject for ColumnSpec {
    fn type_name(&self) -> &str {
        if self.mapped { "MappedColumn" } else { "Column" }
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let name = self.name.as_deref().map(|n| format!("'{n}'")).unwrap_or_else(|| "None".into());
        let _ = interp;
        Ok(format!("Column({name}, table=None)"))
    }
}

/// `ForeignKey('user.id', ondelete=...)`.
pub struct ForeignKeyValue {
    pub key: ForeignKey,
}

pub fn foreign_key(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [target, _name, onupdate, ondelete, _deferrable, _initially, _use_alter] =
        args.bind("ForeignKey", ["column", "name", "onupdate", "ondelete", "deferrable", "initially", "use_alter"], 1)?;
    let target = match target {
        Some(Value::Str(s)) => s.as_str().to_string(),
        Some(other) => match other.downcast_native::<super::attributes::Attribute>() {
            // ForeignKey(User.id): the column it names.
            Some(attr) => attr.column_path(interp)?,
            None => return Err(PyErr::type_error("ForeignKey() takes 'table.column' or a column attribute")),
        },
        None => return Err(PyErr::type_error("ForeignKey() missing required argument 'column'")),
    };
    let mut key = ForeignKey::parse(&target).ok_or_else(|| {
        super::errors::sqlalchemy_error(interp, "ArgumentError", format!("Invalid foreign key column specification: {target}"))
    })?;
    key.ondelete = ondelete.and_then(|v| v.as_str().map(str::to_string));
    key.onupdate = onupdate.and_then(|v| v.as_str().map(str::to_string));
    Ok(Value::Native(Rc::new(ForeignKeyValue { key })))
}

impl NativeObject for ForeignKeyValue {
    fn type_name(&self) -> &str {
        "ForeignKey"
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("ForeignKey('{}')", self.key.target))
    }
}

/// Relationship arguments that name columns or classes, resolved when the class is mapped.
#[derive(Default)]
pub struct Unresolved {
    /// `order_by=` as given: strings or expressions.
    pub order_by: Vec<Value>,
    /// `remote_side=` / `foreign_keys=` columns.
    pub remote_side: Vec<Value>,
    pub foreign_keys: Vec<Value>,
    /// `backref=backref(...)`, whose own arguments need the same resolving.
    pub backref: Option<Rc<BackrefValue>>,
}

/// `relationship(...)` before mapping: the ORM's spec plus what is resolved at mapping time.
pub struct RelationshipValue {
    pub spec: RefCell<RelationshipSpec>,
    pub unresolved: Unresolved,
}

fn lazy_of(interp: &mut Interpreter, value: &Value) -> PyResult<Lazy> {
    let text = match value {
        Value::Bool(true) => "select".to_string(),
        Value::Bool(false) => "joined".to_string(),
        Value::None => "noload".to_string(),
        other => interp.str(other)?,
    };
    Lazy::parse(&text).ok_or_else(|| PyErr::value_error(format!("lazy='{text}' is not a loader strategy (select, joined, selectin, dynamic, raise, noload)")))
}

fn value_list(interp: &mut Interpreter, value: Value) -> PyResult<Vec<Value>> {
    match &value {
        Value::List(_) | Value::Tuple(_) | Value::Set(_) => interp.collect(&value),
        _ => Ok(vec![value]),
    }
}

/// Reads relationship keyword arguments (shared by `relationship()` and `backref()`).
fn relationship_options(interp: &mut Interpreter, fname: &str, kwargs: Vec<(Rc<str>, Value)>, spec: &mut RelationshipSpec, extra: &mut Unresolved) -> PyResult<()> {
    for (key, value) in kwargs {
        match &*key {
            "secondary" => {
                spec.secondary = Some(match &value {
                    Value::Str(s) => s.as_str().to_string(),
                    other => match other.downcast_native::<TableValue>() {
                        Some(table) => table.name.clone(),
                        None => return Err(PyErr::type_error("secondary= takes a Table or a table name")),
                    },
                })
            }
            "back_populates" => spec.back_populates = Some(interp.str(&value)?),
            "backref" => {
                spec.backref = Some(Box::new(match &value {
                    Value::Str(s) => crate::orm::mapper::BackrefSpec { name: s.as_str().to_string(), options: RelationshipSpec::default() },
                    other => match other.downcast_native::<BackrefValue>() {
                        Some(backref) => {
                            let spec = backref.spec.clone();
                            extra.backref = Some(backref);
                            spec
                        }
                        None => return Err(PyErr::type_error("backref= takes a name or backref(...)")),
                    },
                }))
            }
            "uselist" => spec.uselist = Some(interp.truthy(&value)?),
            "lazy" => spec.lazy = Some(lazy_of(interp, &value)?),
            "cascade" => spec.cascade = Some(interp.str(&value)?),
            "passive_deletes" => spec.passive_deletes = interp.truthy(&value)?,
            "viewonly" => spec.viewonly = interp.truthy(&value)?,
            // SQLAlchemy splits the names on commas.
            "overlaps" => spec.overlaps = interp.str(&value)?.split(',').map(|name| name.trim().to_string()).filter(|name| !name.is_empty()).collect(),
            "order_by" => extra.order_by = value_list(interp, value)?,
            "remote_side" => extra.remote_side = value_list(interp, value)?,
            "foreign_keys" => extra.foreign_keys = value_list(interp, value)?,
            "primaryjoin" | "secondaryjoin" => {
                return Err(PyErr::not_implemented(format!(
                    "{fname}({key}=...) is not supported in the playground yet: relationships are joined on their foreign keys"
                )))
            }
            "collection_class" | "post_update" | "single_parent" | "innerjoin" | "info" | "doc" | "sync_backref" | "enable_typechecks" | "active_history" | "join_depth" | "omit_join" | "cascade_backrefs" | "distinct_target_key" | "query_class" | "init" | "repr" | "default" | "default_factory" | "compare" | "kw_only" | "argument" => {}
            other => return Err(PyErr::type_error(format!("{fname}() got an unexpected keyword argument '{other}'"))),
        }
    }
    Ok(())
}

pub fn relationship(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let mut spec = RelationshipSpec::default();
    if let Some(argument) = args.take_kwarg("argument") {
        args.args.insert(0, argument);
    }
    match args.args.first() {
        Some(Value::Str(s)) => spec.target = s.as_str().to_string(),
        Some(Value::Class(c)) => spec.target = c.name.to_string(),
        Some(other) => {
            let shown = interp.repr(other)?;
            return Err(PyErr::type_error(format!("relationship() expects a class or class name, got {shown}")));
        }
        None => {}
    }
    if let Some(secondary) = args.args.get(1).cloned() {
        args.kwargs.push(("secondary".into(), secondary));
    }
    let mut unresolved = Unresolved::default();
    relationship_options(interp, "relationship", args.kwargs, &mut spec, &mut unresolved)?;
    Ok(Value::Native(Rc::new(RelationshipValue { spec: RefCell::new(spec), unresolved })))
}

impl NativeObject for RelationshipValue {
    fn type_name(&self) -> &str {
        "RelationshipProperty"
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok("<_RelationshipDeclared; no key>".into())
    }
}

/// `backref('author', lazy='joined')`.
pub struct BackrefValue {
    pub spec: crate::orm::mapper::BackrefSpec,
    pub unresolved: Unresolved,
}

pub fn backref(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let Some(name) = args.args.first().and_then(|v| v.as_str()).map(str::to_string) else {
        return Err(PyErr::type_error("backref() missing required argument 'name'"));
    };
    let mut options = RelationshipSpec::default();
    let mut unresolved = Unresolved::default();
    relationship_options(interp, "backref", args.kwargs, &mut options, &mut unresolved)?;
    Ok(Value::Native(Rc::new(BackrefValue { spec: crate::orm::mapper::BackrefSpec { name, options }, unresolved })))
}

impl NativeObject for BackrefValue {
    fn type_name(&self) -> &str {
        "tuple"
    }
}

/// A `Table` (from `db.Table(...)` or a model's `__table__`).
pub struct TableValue {
    pub id: TableId,
    pub name: String,
    pub world: World,
}

/// `Table(name, metadata, *columns)`: a table of that `MetaData`. (`db.Table` passes the db's
/// metadata when the call names none.)
pub fn table(interp: &mut Interpreter, mut args: CallArgs, default_metadata: Option<MetaDataId>) -> PyResult<Value> {
    let Some(name) = args.args.first().and_then(|v| v.as_str()).map(str::to_string) else {
        return Err(PyErr::type_error("Table() missing required argument 'name'"));
    };
    let mut specs = Vec::new();
    let mut metadata = default_metadata;
    for arg in args.args.drain(1..) {
        if let Some(spec) = arg.downcast_native::<ColumnSpec>() {
            specs.push((None, spec));
        } else if let Some(given) = arg.downcast_native::<MetaDataValue>() {
            metadata = Some(given.id);
        } else {
            return Err(PyErr::type_error("Table() takes a name, a MetaData, then Column objects"));
        }
    }
    let Some(metadata) = metadata else {
        return Err(PyErr::type_error("Table() takes a name, a MetaData, then Column objects: Table('tag', metadata, Column(...))"));
    };
    let world = World::of(interp);
    let id = super::declarative::add_table(interp, &world, metadata, &name, specs)?;
    Ok(Value::Native(Rc::new(TableValue { id, name, world })))
}

impl NativeObject for TableValue {
    fn type_name(&self) -> &str {
        "Table"
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        super::core::table_attr(interp, this, self, name)
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        super::core::table_repr(interp, self)
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.name.clone())
    }
}

/// A `MetaData` object: `MetaData()`, a declarative base's `metadata`, `db.metadata`.
pub struct MetaDataValue {
    pub id: MetaDataId,
}

impl NativeObject for MetaDataValue {
    fn type_name(&self) -> &str {
        "MetaData"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        super::core::metadata_attr(interp, self.id, name)
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok("MetaData()".into())
    }
}

/// A new `MetaData` and its Python object.
pub fn new_metadata(world: &World) -> PyResult<Value> {
    let mut w = world.borrow()?;
    let id = w.orm.registry.metadata.new_metadata();
    let value = Value::Native(Rc::new(MetaDataValue { id }));
    w.metadata_objects.insert(id, value.clone());
    Ok(value)
}

/// The Python object of a `MetaData`: always the same one, so that `db.metadata is
/// User.__table__.metadata`.
pub fn metadata_object(world: &World, id: MetaDataId) -> PyResult<Value> {
    let mut w = world.borrow()?;
    Ok(w.metadata_objects.entry(id).or_insert_with(|| Value::Native(Rc::new(MetaDataValue { id }))).clone())
}

/// A declarative base's `registry` (its mappers and its `metadata`).
pub struct RegistryValue {
    pub metadata: Value,
}

impl NativeObject for RegistryValue {
    fn type_name(&self) -> &str {
        "registry"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok((name == "metadata").then(|| self.metadata.clone()))
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        Ok(format!("<sqlalchemy.orm.decl_api.registry object at 0x{address:x}>"))
    }
}

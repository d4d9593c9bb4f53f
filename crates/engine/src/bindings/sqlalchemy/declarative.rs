//! Declarative mapping: when a class statement derives from a declarative base (`db.Model`,
//! a `DeclarativeBase` subclass), its `Column` / `mapped_column` / `Mapped[...]` annotations
//! and `relationship()`s become a table and a mapper, and the class attributes become
//! instrumented attributes. Flask-SQLAlchemy's rules apply to `db.Model` subclasses: the
//! table name from the class name (`UserProfile` → `user_profile`).

use std::collections::HashSet;
use std::rc::Rc;

use super::attributes::Attribute;
use super::schema::{ColumnSpec, MetaDataValue, RegistryValue, RelationshipValue};
use super::types::{column_type_of, enum_class_of};
use super::world::{ClassMapping, World};
use crate::orm::mapper::{ClassDeclaration, OrderBySpec};
use crate::orm::schema::{Column, ColumnDefault, ColumnId, ColumnType, MetaDataId, Table, TableId};
use crate::script::value::TypeAlias;
use crate::script::{CallArgs, Class, ClassHooks, Instance, Interpreter, NativeObject, PyErr, PyResult, Value};

/// Marks a class as a declarative base (`class Base(DeclarativeBase)`, `db.Model`): its
/// subclasses are mapped. `flask` bases apply Flask-SQLAlchemy's naming.
pub struct DeclarativeBaseInfo {
    pub flask: bool,
}

/// The hooks every declarative base carries.
pub struct DeclarativeHooks;

impl ClassHooks for DeclarativeHooks {
    fn init_subclass(&self, interp: &mut Interpreter, cls: &Rc<Class>, _kwargs: &[(Rc<str>, Value)]) -> PyResult<()> {
        // `class Base(DeclarativeBase): pass` makes a new base, not a model.
        if cls.bases.iter().any(|b| b.host_data_as::<NativeBaseMarker>().is_some()) {
            cls.set_host_data(Rc::new(DeclarativeBaseInfo { flask: false }));
            own_metadata(&World::of(interp), cls)?;
            return Ok(());
        }
        map_class(interp, cls)
    }

    fn new_instance(&self, interp: &mut Interpreter, instance: &Rc<Instance>) -> PyResult<()> {
        let world = World::of(interp);
        super::world::configure(interp, &world)?;
        let mut w = world.borrow()?;
        let Some(mapper) = w.mapper_of_class(&instance.class) else {
            return Err(super::errors::sqlalchemy_error(
                interp,
                "UnmappedClassError",
                format!("Class '{}' is not mapped", instance.class.display_name()),
            ));
        };
        let obj = w.orm.new_instance(mapper).map_err(|e| super::errors::to_py_err(interp, e))?;
        w.attach(obj, instance);
        Ok(())
    }
}

/// Gives a new declarative base its own `metadata` (unless its body set one) and `registry`,
/// as each `DeclarativeBase` subclass, `declarative_base()` and `SQLAlchemy()` has its own:
/// its models' tables and class names are its own. Returns the metadata.
pub fn own_metadata(world: &World, base: &Class) -> PyResult<MetaDataId> {
    let metadata = match base.own_attr("metadata") {
        Some(given) if given.downcast_native::<MetaDataValue>().is_some() => given,
        _ => super::schema::new_metadata(world)?,
    };
    base.set_attr("registry", Value::Native(Rc::new(RegistryValue { metadata: metadata.clone() })));
    base.set_attr("metadata", metadata.clone());
    Ok(metadata.downcast_native::<MetaDataValue>().map(|m| m.id).unwrap_or_default())
}

/// The `MetaData` a class's models go to: its declarative base's (`Base.metadata`).
pub fn metadata_of_class(class: &Class) -> Option<MetaDataId> {
    class.lookup("metadata").and_then(|m| m.downcast_native::<MetaDataValue>()).map(|m| m.id)
}

/// Marks the native `DeclarativeBase` class itself.
pub struct NativeBaseMarker;

/// `Mapped` from `sqlalchemy.orm`: `Mapped[int]` is an annotation the mapper reads.
pub struct MappedMarker;

/// `Mapped[X]`.
pub struct MappedType {
    pub inner: Value,
}

impl NativeObject for MappedMarker {
    fn type_name(&self) -> &str {
        "type"
    }

    fn get_item(&self, _interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        Ok(Some(Value::Native(Rc::new(MappedType { inner: key.clone() }))))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok("<class 'sqlalchemy.orm.base.Mapped'>".into())
    }
}

impl NativeObject for MappedType {
    fn type_name(&self) -> &str {
        "_GenericAlias"
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let inner = interp.repr(&self.inner)?;
        Ok(format!("sqlalchemy.orm.base.Mapped[{inner}]"))
    }
}

/// What an annotation says about a mapped attribute.
#[derive(Default)]
struct Annotated {
    column_type: Option<ColumnType>,
    /// `Mapped[Mood]`: the enum class its values load as.
    enum_class: Option<Rc<Class>>,
    optional: bool,
    /// `Mapped[List["Post"]]`, `Mapped["User"]`: a relationship target.
    target: Option<String>,
    collection: bool,
}

fn read_annotation(interp: &mut Interpreter, annotation: &Value) -> Option<Annotated> {
    let mapped = annotation.downcast_native::<MappedType>()?;
    let mut out = Annotated::default();
    let mut inner = mapped.inner.clone();
    // Optional[X] / X | None.
    if let Value::TypeAlias(alias) = &inner {
        if let TypeAlias::Union { members, .. } = &**alias {
            let none = |m: &Value| m.is_none() || m.as_class().is_some_and(|c| &*c.name == "NoneType");
            out.optional = members.iter().any(none);
            if let Some(first) = members.iter().find(|m| !none(m)) {
                inner = first.clone();
            }
        }
    }
    if let Value::TypeAlias(alias) = &inner {
        if let TypeAlias::Generic { args, .. } = &**alias {
            out.collection = true;
            inner = args.first().cloned().unwrap_or(Value::None);
        }
    }
    match &inner {
        Value::Str(s) => out.target = Some(s.as_str().to_string()),
        other => match column_type_of(interp, other) {
            Some(t) => {
                out.column_type = Some(t);
                out.enum_class = enum_class_of(other);
            }
            None => out.target = other.as_class().map(|c| c.name.to_string()),
        },
    }
    Some(out)
}

/// One mapped attribute found in a class body (or a mixin's).
enum Declared {
    Column(Rc<ColumnSpec>, Option<Annotated>),
    AnnotatedColumn(Annotated),
    Relationship(Rc<RelationshipValue>, Option<Annotated>),
}

/// `UserProfile` → `user_profile`, Flask-SQLAlchemy's `camel_to_snake_case`.
pub fn camel_to_snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let after_lower = i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
        let before_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        if c.is_ascii_uppercase() && (after_lower || (i > 0 && before_lower)) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out.trim_start_matches('_').to_string()
}

fn truthy_attr(interp: &mut Interpreter, cls: &Class, name: &str) -> PyResult<bool> {
    match cls.own_attr(name) {
        Some(v) => interp.truthy(&v),
        None => Ok(false),
    }
}

/// Maps a class that derives from a declarative base.
fn map_class(interp: &mut Interpreter, cls: &Rc<Class>) -> PyResult<()> {
    if truthy_attr(interp, cls, "__abstract__")? {
        return Ok(());
    }
    let flask = cls.mro().any(|c| c.host_data_as::<DeclarativeBaseInfo>().is_some_and(|i| i.flask));
    if let Some(mapped_base) = cls.ancestors().iter().find(|c| c.host_data_as::<ClassMapping>().is_some()) {
        return Err(PyErr::not_implemented(format!(
            "class {} inherits from the mapped class {}: mapped class inheritance (single or joined table) is not supported in the playground; use a mixin or __abstract__ = True base instead",
            cls.name, mapped_base.name
        )));
    }
    let declared = collect_declarations(interp, cls)?;
    let table_name = match cls.own_attr("__tablename__") {
        Some(name) => interp.str(&name)?,
        None if flask => camel_to_snake(&cls.name),
        None => {
            return Err(super::errors::sqlalchemy_error(
                interp,
                "InvalidRequestError",
                format!(
                    "Class <class '{}'> does not have a __table__ or __tablename__ specified and does not inherit from an existing table-mapped class.",
                    cls.display_name()
                ),
            ))
        }
    };
    let world = World::of(interp);
    let metadata = metadata_of_class(cls).unwrap_or_default();
    warn_if_replacing(interp, &world, metadata, cls)?;
    // Annotation-only columns (`email: Mapped[str]`) become mapped_column() specs in place.
    let mut ordered: Vec<(Option<String>, Rc<ColumnSpec>, Option<&Annotated>)> = Vec::new();
    for (key, d) in &declared {
        match d {
            Declared::Column(spec, annotated) => ordered.push((Some(key.clone()), spec.clone(), annotated.as_ref())),
            Declared::AnnotatedColumn(annotated) => {
                let spec = super::schema::column(interp, CallArgs::default(), true)?;
                if let Some(spec) = spec.downcast_native::<ColumnSpec>() {
                    ordered.push((Some(key.clone()), spec, Some(annotated)));
                }
            }
            Declared::Relationship(..) => {}
        }
    }
    let table = add_table_with_annotations(interp, &world, metadata, &table_name, &ordered)?;

    let mut relationships = Vec::new();
    for (key, d) in &declared {
        if let Declared::Relationship(value, annotated) = d {
            let mut spec = value.spec.borrow().clone();
            if let Some(annotated) = annotated {
                if spec.target.is_empty() {
                    spec.target = annotated.target.clone().unwrap_or_default();
                }
                if spec.uselist.is_none() && annotated.target.is_some() {
                    spec.uselist = Some(annotated.collection);
                }
            }
            if spec.target.is_empty() {
                return Err(super::errors::sqlalchemy_error(interp, "ArgumentError", format!("relationship '{key}' names no target class")));
            }
            spec.order_by = order_by_specs(interp, &value.unresolved.order_by)?;
            spec.remote_side = column_ids(interp, &value.unresolved.remote_side)?;
            spec.foreign_keys = column_ids(interp, &value.unresolved.foreign_keys)?;
            if let (Some(backref), Some(source)) = (&mut spec.backref, &value.unresolved.backref) {
                backref.options.order_by = order_by_specs(interp, &source.unresolved.order_by)?;
                backref.options.remote_side = column_ids(interp, &source.unresolved.remote_side)?;
                backref.options.foreign_keys = column_ids(interp, &source.unresolved.foreign_keys)?;
            }
            relationships.push((key.clone(), spec));
        }
    }
    let column_keys: Vec<(String, String)> = {
        let w = world.borrow()?;
        let t = w.orm.registry.metadata.table(table);
        ordered
            .iter()
            .zip(&t.columns)
            .map(|((key, _, _), column)| (key.clone().unwrap_or_else(|| column.name.clone()), column.name.clone()))
            .collect()
    };
    let declaration = ClassDeclaration {
        class_name: cls.name.to_string(),
        module: cls.module.to_string(),
        table,
        columns: column_keys.clone(),
        relationships,
    };
    let mapper = {
        let mut w = world.borrow()?;
        let mapper = w.orm.registry.map_class(declaration);
        match mapper {
            Ok(m) => {
                w.classes.insert(m, cls.clone());
                m
            }
            Err(e) => {
                drop(w);
                return Err(super::errors::to_py_err(interp, e));
            }
        }
    };
    cls.set_host_data(Rc::new(ClassMapping { mapper }));
    super::validators::register(&world, cls, mapper)?;
    let props: Vec<(String, usize)> = {
        let w = world.borrow()?;
        let m = w.orm.registry.mapper(mapper);
        m.props.iter().enumerate().map(|(i, p)| (p.key().to_string(), i)).collect()
    };
    for (key, prop) in props {
        cls.set_attr(&key, Value::Native(Rc::new(Attribute::new(&world, mapper, prop, None))));
    }
    cls.set_attr("__tablename__", Value::str(&table_name));
    cls.set_attr("__table__", Value::Native(Rc::new(super::schema::TableValue { id: table, name: table_name, world: world.clone() })));
    Ok(())
}

/// Walks the class and its mixins (MRO order) for mapped attributes: the class's own first
/// (columns in declaration order), then each mixin's.
fn collect_declarations(interp: &mut Interpreter, cls: &Rc<Class>) -> PyResult<Vec<(String, Declared)>> {
    let mut out: Vec<(String, Declared)> = Vec::new();
    let sources = std::iter::once(cls.clone()).chain(
        cls.ancestors()
            .iter()
            .filter(|c| c.host_data_as::<DeclarativeBaseInfo>().is_none() && c.host_data_as::<NativeBaseMarker>().is_none() && &*c.name != "object")
            .cloned(),
    );
    for source in sources.collect::<Vec<_>>() {
        let annotations: Vec<(Rc<str>, Value)> = source.annotations();
        let namespace = source.namespace();
        let names = merge_with_ordering(
            namespace.iter().map(|(n, _)| n.clone()).collect(),
            annotations.iter().map(|(n, _)| n.clone()).collect(),
        );
        let mut own: Vec<(String, Declared)> = Vec::new();
        for name in names {
            if out.iter().any(|(k, _)| **k == *name) {
                continue;
            }
            let annotation = annotations.iter().find(|(n, _)| *n == name).map(|(_, a)| a.clone());
            let annotated = match &annotation {
                Some(a) => read_annotation(interp, a),
                None => None,
            };
            match namespace.iter().find(|(n, _)| *n == name).map(|(_, v)| v) {
                Some(value) => {
                    if let Some(spec) = value.downcast_native::<ColumnSpec>() {
                        own.push((name.to_string(), Declared::Column(spec, annotated)));
                    } else if let Some(rel) = value.downcast_native::<RelationshipValue>() {
                        own.push((name.to_string(), Declared::Relationship(rel, annotated)));
                    }
                }
                None => {
                    let Some(annotated) = annotated else { continue };
                    if annotated.target.is_some() {
                        return Err(super::errors::sqlalchemy_error(
                            interp,
                            "ArgumentError",
                            format!("Type annotation for \"{}.{name}\" names a class; a relationship needs relationship() on the right-hand side", source.name),
                        ));
                    }
                    own.push((name.to_string(), Declared::AnnotatedColumn(annotated)));
                }
            }
        }
        out.extend(own);
    }
    Ok(out)
}

/// SQLAlchemy's `merge_lists_w_ordering`: a class's attributes in the order declarative
/// scans them, reconciling the namespace order with the annotation order (annotation-only
/// attributes sit between the assigned ones around them).
fn merge_with_ordering(a: Vec<Rc<str>>, b: Vec<Rc<str>>) -> Vec<Rc<str>> {
    let mut overlap: HashSet<Rc<str>> = a.iter().filter(|n| b.contains(n)).cloned().collect();
    let (mut current, mut other) = (a.into_iter(), b.into_iter());
    let mut result = Vec::new();
    while let Some(element) = current.next() {
        // A name both lists hold hands over to the other list, which emits it in its place.
        if overlap.remove(&element) {
            std::mem::swap(&mut current, &mut other);
        } else {
            result.push(element);
        }
    }
    result.extend(other);
    result
}

/// SQLAlchemy's warning when a declarative base maps a second class of the same module and
/// name (a class statement run again): the new class replaces the old in the string lookup
/// (`relationship('User')`). Issued before the table is made, which may fail next.
fn warn_if_replacing(interp: &mut Interpreter, world: &World, metadata: MetaDataId, cls: &Class) -> PyResult<()> {
    let qualified = format!("{}.{}", cls.module, cls.name);
    let replaced = {
        let w = world.borrow()?;
        let registry = &w.orm.registry;
        registry.mapper_ids().any(|m| registry.metadata_of(m) == metadata && registry.mapper(m).sort_key == qualified)
    };
    if !replaced {
        return Ok(());
    }
    let message = format!(
        "This declarative base already contains a class with the same class name and module name as {qualified}, and will be replaced in the string-lookup table."
    );
    super::errors::sqlalchemy_warning(interp, "SAWarning", &message)
}

/// `Table(name, metadata, Column(...), ...)`: adds the table to that metadata.
pub fn add_table(interp: &mut Interpreter, world: &World, metadata: MetaDataId, name: &str, specs: Vec<(Option<String>, Rc<ColumnSpec>)>) -> PyResult<TableId> {
    let specs: Vec<(Option<String>, Rc<ColumnSpec>, Option<&Annotated>)> = specs.into_iter().map(|(k, s)| (k, s, None)).collect();
    add_table_with_annotations(interp, world, metadata, name, &specs)
}

fn add_table_with_annotations(interp: &mut Interpreter, world: &World, metadata: MetaDataId, name: &str, specs: &[(Option<String>, Rc<ColumnSpec>, Option<&Annotated>)]) -> PyResult<TableId> {
    let mut columns = Vec::with_capacity(specs.len());
    let mut w = world.borrow()?;
    for (key, spec, annotated) in specs {
        let column_name = spec.name.clone().or_else(|| key.clone()).ok_or_else(|| PyErr::type_error("a Column in Table() needs a name"))?;
        let column_type = spec
            .column_type
            .clone()
            .or_else(|| annotated.and_then(|a| a.column_type.clone()))
            .or_else(|| spec.foreign_key.as_ref().map(|_| ColumnType::Integer))
            .ok_or_else(|| PyErr::type_error(format!("Could not locate SQLAlchemy Core type for column '{column_name}'")))?;
        let id: ColumnId = w.orm.registry.metadata.new_column_id();
        if let Some(class) = spec.enum_class.clone().or_else(|| annotated.and_then(|a| a.enum_class.clone())) {
            w.enum_classes.insert(id, class);
        }
        let mut column = Column::new(id, &column_name, column_type);
        column.primary_key = spec.primary_key;
        column.nullable = match (spec.nullable, annotated) {
            (Some(n), _) => n,
            (None, _) if spec.primary_key => false,
            (None, Some(a)) => a.optional,
            (None, None) => true,
        };
        column.unique = spec.unique;
        column.index = spec.index;
        column.server_default = spec.server_default.clone();
        column.foreign_key = spec.foreign_key.clone();
        column.autoincrement = spec.autoincrement;
        column.default = spec.default.as_ref().map(|v| column_default(interp, &mut w, v, &column.column_type)).transpose()?;
        column.onupdate = spec.onupdate.as_ref().map(|v| column_default(interp, &mut w, v, &column.column_type)).transpose()?;
        spec.column_id.set(Some(id));
        columns.push(column);
    }
    if columns.iter().filter(|c| c.primary_key).count() > 1 {
        return Err(PyErr::not_implemented(format!(
            "table '{name}' has a composite primary key: the playground's database (GlueSQL) supports single-column primary keys only"
        )));
    }
    let added = w.orm.registry.metadata.add_table_to(metadata, Table { name: name.to_string(), columns });
    drop(w);
    added.map_err(|message| super::errors::sqlalchemy_error(interp, "InvalidRequestError", message))
}

fn column_default(interp: &mut Interpreter, w: &mut super::world::SqlaWorld, value: &Value, column_type: &ColumnType) -> PyResult<ColumnDefault> {
    if interp.is_callable(value) {
        return Ok(ColumnDefault::Callable(w.callable(value.clone())));
    }
    Ok(ColumnDefault::Value(super::convert::to_datum(interp, value, Some(column_type))?))
}

/// `order_by=` values: an attribute (`Lesson.position`), `desc(...)`, or a string naming one
/// (`'Lesson.position'`, `'Lesson.position.desc()'`, `'desc(Lesson.position)'`), resolved
/// when mappers are configured.
fn order_by_specs(interp: &mut Interpreter, values: &[Value]) -> PyResult<Vec<OrderBySpec>> {
    let mut out = Vec::new();
    for value in values {
        if let Some(text) = value.as_str() {
            out.push(OrderBySpec::Text(text.to_string()));
        } else if let Some(attr) = value.downcast_native::<Attribute>() {
            out.push(OrderBySpec::Column { column: attr.column_id()?, descending: false });
        } else if let Some(expr) = value.downcast_native::<super::expr::SqlExpr>() {
            let (column, descending) = expr.order_column().ok_or_else(|| PyErr::not_implemented("order_by= of a relationship takes columns of the target, optionally with .desc()"))?;
            out.push(OrderBySpec::Column { column, descending });
        } else {
            let shown = interp.repr(value)?;
            return Err(PyErr::type_error(format!("order_by= cannot use {shown}")));
        }
    }
    Ok(out)
}

/// `remote_side=[id]` / `foreign_keys=[...]`: the columns named (column objects of a class
/// body, or attributes of mapped classes).
fn column_ids(interp: &mut Interpreter, values: &[Value]) -> PyResult<Vec<ColumnId>> {
    let mut out = Vec::new();
    for value in values {
        if let Some(spec) = value.downcast_native::<ColumnSpec>() {
            match spec.column_id.get() {
                Some(id) => out.push(id),
                None => return Err(PyErr::value_error("a column given to remote_side/foreign_keys is not part of a table yet")),
            }
        } else if let Some(attr) = value.downcast_native::<Attribute>() {
            out.push(attr.column_id()?);
        } else {
            let shown = interp.repr(value)?;
            return Err(PyErr::not_implemented(format!("remote_side/foreign_keys given as {shown}: name the columns directly")));
        }
    }
    Ok(out)
}

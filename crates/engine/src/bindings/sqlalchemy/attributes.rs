//! Instrumented attributes: what a mapped class's attributes become. `User.username` is a
//! column expression (`User.username == 'x'`); `user.username` reads through the ORM
//! (loading expired values), `user.username = 'x'` records the change; relationship
//! attributes return objects or a list-like collection kept in sync with its backref.

use std::rc::Rc;

use super::convert::{to_datum, to_value};
use super::expr::{self, SqlExpr};
use super::validators::{validate, Change};
use super::world::{with_orm, ObjHandle, SqlaWorld, World};
use crate::orm::mapper::{Lazy, MapperId, PropIdx, Property};
use crate::orm::schema::ColumnId;
use crate::orm::{AttrValue, ObjId};
use crate::script::ast::{BinOp, CmpOp, UnaryOp};
use crate::script::value::Instance;
use crate::script::{CallArgs, Class, DescriptorKind, Interpreter, NativeObject, PyErr, PyResult, Value};
use crate::sql::Expr;

/// A mapped attribute of a class (or of an alias of it).
pub struct Attribute {
    pub world: World,
    pub mapper: MapperId,
    pub prop: PropIdx,
    pub key: String,
    pub class_name: String,
    pub alias: Option<String>,
}

impl Attribute {
    pub fn new(world: &World, mapper: MapperId, prop: PropIdx, alias: Option<String>) -> Attribute {
        let (key, class_name) = match world.0.try_borrow() {
            Ok(w) => {
                let m = w.orm.registry.mapper(mapper);
                (m.props[prop].key().to_string(), m.class_name.clone())
            }
            Err(_) => (String::new(), String::new()),
        };
        Attribute { world: world.clone(), mapper, prop, key, class_name, alias }
    }

    pub fn is_relationship(&self) -> PyResult<bool> {
        let w = self.world.borrow()?;
        Ok(matches!(w.orm.registry.mapper(self.mapper).props.get(self.prop), Some(Property::Relationship(_))))
    }

    /// The column expression of a column attribute.
    pub fn expression(&self) -> PyResult<SqlExpr> {
        let w = self.world.borrow()?;
        let m = w.orm.registry.mapper(self.mapper);
        let Some(column) = m.column_of(self.prop) else {
            return Err(PyErr::not_implemented(format!(
                "the relationship {}.{} cannot be used as a column here; compare its foreign key column or use join()",
                self.class_name, self.key
            )));
        };
        let table = w.orm.registry.metadata.table(m.table);
        let c = &table.columns[column];
        let mut e = SqlExpr::new(Expr::column(self.alias.as_deref().unwrap_or(&table.name), &c.name), Some(c.column_type.clone()));
        e.name = Some(self.key.clone());
        e.column = Some(c.id);
        Ok(e)
    }

    pub fn column_id(&self) -> PyResult<ColumnId> {
        self.expression()?.column.ok_or_else(|| PyErr::value_error("not a column"))
    }

    /// `table.column` of a column attribute (for `ForeignKey(User.id)`).
    pub fn column_path(&self, _interp: &mut Interpreter) -> PyResult<String> {
        match self.expression()?.expr {
            Expr::Column { table: Some(t), name } => Ok(format!("{t}.{name}")),
            _ => Err(PyErr::value_error("not a column")),
        }
    }

    fn obj(&self, instance: &Instance) -> PyResult<ObjId> {
        instance.native_state_as::<ObjHandle>().map(|h| h.0).ok_or_else(|| PyErr::attribute_error(format!("'{}' object is not mapped", instance.class.name)))
    }

    fn read(&self, interp: &mut Interpreter, instance: &Rc<Instance>) -> PyResult<Value> {
        let obj = self.obj(instance)?;
        let world = self.world.clone();
        let dynamic = world.borrow()?.orm.registry.mapper(self.mapper).relationship(self.prop).is_some_and(|r| r.lazy == Lazy::Dynamic);
        if dynamic {
            return super::query::dynamic_query(interp, &world, obj, self.mapper, self.prop);
        }
        let prop = self.prop;
        match with_orm(interp, &world, |orm, host| orm.get_attribute(host, obj, prop))? {
            AttrValue::Column(datum) => {
                let enum_class = {
                    let w = world.borrow()?;
                    let mapper = w.orm.registry.mapper(self.mapper);
                    mapper.column_of(self.prop).and_then(|c| w.enum_classes.get(&w.orm.registry.metadata.table(mapper.table).columns[c].id).cloned())
                };
                match enum_class {
                    Some(class) => super::convert::to_enum_member(interp, &datum, &class),
                    None => to_value(interp, &datum),
                }
            }
            AttrValue::Object(None) => Ok(Value::None),
            AttrValue::Object(Some(other)) => {
                let mut w = world.borrow()?;
                Ok(python_object(interp, &mut w, other))
            }
            AttrValue::Objects(_) => Ok(Value::Native(Rc::new(Collection { world: world.clone(), obj, prop }))),
        }
    }

    /// An assignment: the attribute's validator (and, for a relationship, the validator of
    /// its backref on the new target) sees the value first; what it returns is stored.
    fn write(&self, interp: &mut Interpreter, instance: &Rc<Instance>, value: Value) -> PyResult<()> {
        let this = Value::Instance(instance.clone());
        let validators = Validators::of(&self.world, self.mapper, self.prop)?;
        let uselist = self.world.borrow()?.orm.registry.mapper(self.mapper).relationship(self.prop).map(|r| r.uselist);
        let value = match uselist {
            // A collection assigned as a whole: each item is validated, as SQLAlchemy's bulk
            // replace does; the items it drops are removals.
            Some(true) => {
                let current = self.read(interp, instance)?;
                let old = interp.collect(&current)?;
                let new = interp.collect(&value)?;
                let mut validated = Vec::with_capacity(new.len());
                for item in new {
                    let fresh = !old.iter().any(|o| o.identity() == item.identity());
                    validated.push(validators.added(interp, &this, item, fresh)?);
                }
                for item in old.iter().filter(|o| !validated.iter().any(|v| v.identity() == o.identity())) {
                    validators.removed(interp, &this, item.clone())?;
                }
                Value::list(validated)
            }
            _ => validators.added(interp, &this, value, true)?,
        };
        self.store(interp, instance, value)
    }

    fn store(&self, interp: &mut Interpreter, instance: &Rc<Instance>, value: Value) -> PyResult<()> {
        interp.check_side_effect("setting a mapped attribute")?;
        let obj = self.obj(instance)?;
        let world = self.world.clone();
        let (column_type, relationship) = {
            let w = world.borrow()?;
            let m = w.orm.registry.mapper(self.mapper);
            let column_type = m.column_of(self.prop).map(|c| w.orm.registry.metadata.table(m.table).columns[c].column_type.clone());
            (column_type, m.relationship(self.prop).map(|r| r.uselist))
        };
        let prop = self.prop;
        match relationship {
            None => {
                let datum = to_datum(interp, &value, column_type.as_ref())?;
                with_orm(interp, &world, |orm, _| orm.set_column(obj, prop, datum))
            }
            Some(false) => {
                let target = if value.is_none() { None } else { Some(obj_of_value(&world, &value)?) };
                with_orm(interp, &world, |orm, host| orm.set_object(host, obj, prop, target))
            }
            Some(true) => {
                let items = interp.collect(&value)?;
                let objects = items.iter().map(|v| obj_of_value(&world, v)).collect::<PyResult<Vec<_>>>()?;
                with_orm(interp, &world, |orm, host| orm.replace_collection(host, obj, prop, objects))
            }
        }
    }
}

/// The validators a change of one attribute runs: the attribute's own and, for a relationship,
/// the one of its backref on the other side.
struct Validators {
    world: World,
    mapper: MapperId,
    key: String,
    /// The mapper and key of the backref's attribute.
    reverse: Option<(MapperId, String)>,
}

impl Validators {
    fn of(world: &World, mapper: MapperId, prop: PropIdx) -> PyResult<Validators> {
        let w = world.borrow()?;
        let m = w.orm.registry.mapper(mapper);
        let reverse = m.relationship(prop).and_then(|r| Some((r.target, w.orm.registry.mapper(r.target).props.get(r.reverse?)?.key().to_string())));
        Ok(Validators { world: world.clone(), mapper, key: m.props[prop].key().to_string(), reverse })
    }

    /// A value set or appended on `owner`: validated by the attribute's validator, then (when
    /// it is an object newly tied to `owner`) by the backref's validator with `owner`.
    fn added(&self, interp: &mut Interpreter, owner: &Value, value: Value, fresh: bool) -> PyResult<Value> {
        let value = validate(interp, &self.world, self.mapper, &self.key, owner, value, Change::Set)?;
        if let (Some((target, key)), true, false) = (&self.reverse, fresh, value.is_none()) {
            validate(interp, &self.world, *target, key, &value, owner.clone(), Change::SetByBackref)?;
        }
        Ok(value)
    }

    /// An item removed from `owner`'s collection (validators with `include_removes` see it).
    fn removed(&self, interp: &mut Interpreter, owner: &Value, item: Value) -> PyResult<()> {
        validate(interp, &self.world, self.mapper, &self.key, owner, item, Change::Remove).map(drop)
    }
}

/// The Python object of an ORM object (made on first need, without running `__init__`).
pub fn python_object(interp: &mut Interpreter, w: &mut SqlaWorld, obj: ObjId) -> Value {
    if let Some(instance) = w.python_instance(obj) {
        return Value::Instance(instance);
    }
    let mapper = w.orm.instances.get(obj).mapper;
    let Some(class) = w.classes.get(&mapper).cloned() else { return Value::None };
    let instance = interp.new_instance(&class);
    w.attach(obj, &instance);
    Value::Instance(instance)
}

/// The ORM object of a Python value; other values fail as SQLAlchemy fails for them.
pub fn obj_of_value(_world: &World, value: &Value) -> PyResult<ObjId> {
    if let Some(handle) = value.as_instance().and_then(|i| i.native_state_as::<ObjHandle>()) {
        return Ok(handle.0);
    }
    let type_name = match value {
        Value::Instance(i) => i.class.name.to_string(),
        other => other.type_name().to_string(),
    };
    Err(PyErr::attribute_error(format!("'{type_name}' object has no attribute '_sa_instance_state'")))
}

impl NativeObject for Attribute {
    fn type_name(&self) -> &str {
        "InstrumentedAttribute"
    }

    fn descriptor(&self) -> DescriptorKind {
        DescriptorKind::Data
    }

    fn descr_get(&self, interp: &mut Interpreter, this: &Value, instance: Option<&Value>, _owner: &Rc<Class>) -> PyResult<Value> {
        match instance.and_then(|i| i.as_instance()) {
            Some(instance) => self.read(interp, &instance.clone()),
            None => Ok(this.clone()),
        }
    }

    fn descr_set(&self, interp: &mut Interpreter, _this: &Value, instance: &Value, value: Value) -> PyResult<()> {
        let Some(instance) = instance.as_instance() else { return Err(PyErr::type_error("not an instance")) };
        self.write(interp, &instance.clone(), value)
    }

    fn descr_delete(&self, interp: &mut Interpreter, _this: &Value, instance: &Value) -> PyResult<()> {
        let Some(instance) = instance.as_instance() else { return Err(PyErr::type_error("not an instance")) };
        self.store(interp, &instance.clone(), Value::None)
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        match name {
            "key" => return Ok(Some(Value::str(&self.key))),
            "class_" => {
                let w = self.world.borrow()?;
                return Ok(w.classes.get(&self.mapper).map(|c| Value::Class(c.clone())));
            }
            "expression" | "__clause_element__" if !self.is_relationship()? => return Ok(Some(self.expression()?.value())),
            _ => {}
        }
        if self.is_relationship()? {
            return super::query::relationship_comparator(interp, self, name);
        }
        Ok(expr::method(&self.expression()?, name))
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        if self.is_relationship()? {
            return super::query::relationship_compare(interp, self, op, other);
        }
        expr::compare(interp, &self.expression()?, op, other)
    }

    fn binary_op(&self, interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        expr::arithmetic(interp, &self.expression()?, op, other, reflected)
    }

    fn unary_op(&self, _interp: &mut Interpreter, _this: &Value, op: UnaryOp) -> PyResult<Option<Value>> {
        Ok(expr::unary(&self.expression()?, op))
    }

    fn hash(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<i64> {
        Ok(match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize as i64,
            _ => 0,
        })
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        Ok(format!("<sqlalchemy.orm.attributes.InstrumentedAttribute object at 0x{address:x}>"))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("{}.{}", self.alias.clone().unwrap_or_else(|| self.class_name.clone()), self.key))
    }
}

/// A relationship collection (`user.posts`): a live, list-like view whose changes go
/// through the ORM (backrefs, cascades, history).
pub struct Collection {
    pub world: World,
    pub obj: ObjId,
    pub prop: PropIdx,
}

impl Collection {
    fn items(&self, interp: &mut Interpreter) -> PyResult<Vec<ObjId>> {
        let (obj, prop) = (self.obj, self.prop);
        with_orm(interp, &self.world, |orm, host| orm.collection(host, obj, prop))
    }

    fn values(&self, interp: &mut Interpreter) -> PyResult<Vec<Value>> {
        let items = self.items(interp)?;
        let mut w = self.world.borrow()?;
        Ok(items.into_iter().map(|o| python_object(interp, &mut w, o)).collect())
    }

    fn replace(&self, interp: &mut Interpreter, items: Vec<ObjId>) -> PyResult<()> {
        interp.check_side_effect("changing a relationship collection")?;
        let (obj, prop) = (self.obj, self.prop);
        with_orm(interp, &self.world, |orm, host| orm.replace_collection(host, obj, prop, items))
    }

    fn index(&self, interp: &mut Interpreter, len: usize, key: &Value) -> PyResult<usize> {
        let Some(i) = key.as_int() else {
            return Err(PyErr::type_error(format!("list indices must be integers or slices, not {}", interp.class_of(key).name)));
        };
        let i = if i < 0 { i + len as i64 } else { i };
        if i < 0 || i as usize >= len {
            return Err(PyErr::index_error("list index out of range"));
        }
        Ok(i as usize)
    }

    /// The owner's Python object and the validators a change of this collection runs.
    fn validators(&self, interp: &mut Interpreter) -> PyResult<(Value, Validators)> {
        let (owner, mapper) = {
            let mut w = self.world.borrow()?;
            let mapper = w.orm.instances.get(self.obj).mapper;
            (python_object(interp, &mut w, self.obj), mapper)
        };
        Ok((owner, Validators::of(&self.world, mapper, self.prop)?))
    }

    /// An item about to be added, as its validators return it, as an ORM object.
    fn added(&self, interp: &mut Interpreter, item: &Value) -> PyResult<ObjId> {
        obj_of_value(&self.world, item)?;
        let (owner, validators) = self.validators(interp)?;
        let item = validators.added(interp, &owner, item.clone(), true)?;
        obj_of_value(&self.world, &item)
    }

    /// Items about to be removed, shown to a validator with `include_removes`.
    fn removed(&self, interp: &mut Interpreter, items: &[ObjId]) -> PyResult<()> {
        let (owner, validators) = self.validators(interp)?;
        for &item in items {
            let value = python_object(interp, &mut *self.world.borrow()?, item);
            validators.removed(interp, &owner, value)?;
        }
        Ok(())
    }

    fn method(&self, interp: &mut Interpreter, name: &str, args: CallArgs) -> PyResult<Value> {
        let mut items = self.items(interp)?;
        let object = |i: usize| args.args.get(i).map(|v| obj_of_value(&self.world, v)).transpose();
        match name {
            "append" => {
                args.exactly("append", 1)?;
                items.push(self.added(interp, &args.args[0])?);
            }
            "remove" => {
                let target = object(0)?.ok_or_else(|| PyErr::type_error("remove() takes exactly one argument"))?;
                let position = items.iter().position(|o| *o == target).ok_or_else(|| PyErr::value_error("list.remove(x): x not in list"))?;
                self.removed(interp, &[target])?;
                items.remove(position);
            }
            "extend" => {
                let Some(values) = args.args.first() else { return Err(PyErr::type_error("extend() takes exactly one argument")) };
                for v in interp.collect(values)? {
                    items.push(self.added(interp, &v)?);
                }
            }
            "insert" => {
                let index = args.args.first().and_then(Value::as_int).ok_or_else(|| PyErr::type_error("insert() needs an index"))?;
                let Some(item) = args.args.get(1) else { return Err(PyErr::type_error("insert expected 2 arguments")) };
                let target = self.added(interp, item)?;
                let len = items.len() as i64;
                let at = if index < 0 { (index + len).max(0) } else { index.min(len) } as usize;
                items.insert(at, target);
            }
            "pop" => {
                if items.is_empty() {
                    return Err(PyErr::index_error("pop from empty list"));
                }
                let at = match args.args.first() {
                    Some(key) => self.index(interp, items.len(), key)?,
                    None => items.len() - 1,
                };
                self.removed(interp, &items[at..=at])?;
                let removed = items.remove(at);
                self.replace(interp, items)?;
                let mut w = self.world.borrow()?;
                return Ok(python_object(interp, &mut w, removed));
            }
            "clear" => {
                self.removed(interp, &items)?;
                items.clear();
            }
            "index" | "count" => {
                let target = object(0)?;
                return match name {
                    "count" => Ok(Value::Int(items.iter().filter(|o| Some(**o) == target).count() as i64)),
                    _ => items
                        .iter()
                        .position(|o| Some(*o) == target)
                        .map(|i| Value::Int(i as i64))
                        .ok_or_else(|| PyErr::value_error("object is not in list")),
                };
            }
            "copy" => return Ok(Value::list(self.values(interp)?)),
            _ => return Err(PyErr::attribute_error(format!("'InstrumentedList' object has no attribute '{name}'"))),
        }
        self.replace(interp, items)?;
        Ok(Value::None)
    }
}

const COLLECTION_METHODS: &[&str] = &["append", "remove", "extend", "insert", "pop", "clear", "index", "count", "copy"];

impl NativeObject for Collection {
    fn type_name(&self) -> &str {
        "InstrumentedList"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let Some(name) = COLLECTION_METHODS.iter().find(|m| **m == name) else { return Ok(None) };
        let name: &'static str = name;
        let this = this.clone();
        Ok(Some(crate::script::native_fn(name, move |interp, args| match this.downcast_native::<Collection>() {
            Some(collection) => collection.method(interp, name, args),
            None => Ok(Value::None),
        })))
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        COLLECTION_METHODS.iter().map(|m| m.to_string()).collect()
    }

    fn len(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.items(interp)?.len()))
    }

    fn truthy(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        Ok(!self.items(interp)?.is_empty())
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let values = self.values(interp)?;
        Ok(Some(crate::script::iterator_from_values(values)))
    }

    fn get_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let values = self.values(interp)?;
        if let Value::Slice(_) = key {
            return interp.getitem(&Value::list(values), key).map(Some);
        }
        let i = self.index(interp, values.len(), key)?;
        Ok(values.get(i).cloned())
    }

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        let mut items = self.items(interp)?;
        let i = self.index(interp, items.len(), key)?;
        let added = self.added(interp, &value)?;
        self.removed(interp, &items[i..=i])?;
        items[i] = added;
        self.replace(interp, items)?;
        Ok(true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        let mut items = self.items(interp)?;
        let i = self.index(interp, items.len(), key)?;
        self.removed(interp, &items[i..=i])?;
        items.remove(i);
        self.replace(interp, items)?;
        Ok(true)
    }

    fn contains(&self, interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        let target = item.as_instance().and_then(|i| i.native_state_as::<ObjHandle>()).map(|h| h.0);
        Ok(Some(target.is_some_and(|t| self.items(interp).map(|items| items.contains(&t)).unwrap_or(false))))
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let mine = Value::list(self.values(interp)?);
        let other = match other.downcast_native::<Collection>() {
            Some(c) => Value::list(c.values(interp)?),
            None => other.clone(),
        };
        interp.compare(&mine, op, &other).map(Some)
    }

    fn binary_op(&self, interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        let mine = Value::list(self.values(interp)?);
        let result = if reflected { interp.binary_op(other, op, &mine) } else { interp.binary_op(&mine, op, other) };
        result.map(Some)
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let values = self.values(interp)?;
        interp.repr(&Value::list(values))
    }
}

//! `sqlalchemy.inspect(...)`: an object's state (`transient`, `pending`, `persistent`,
//! `deleted`, `detached`, `identity`, `attrs.x.history`), a class's mapper, an engine's
//! tables.

use std::rc::Rc;

use super::attributes::python_object;
use super::convert::to_value;
use super::world::{ObjHandle, World};
use crate::orm::attributes::History;
use crate::orm::{AttrValue, ObjId, ObjectState};
use crate::script::{Interpreter, NativeObject, PyErr, PyResult, Value};

pub fn inspect(interp: &mut Interpreter, value: &Value) -> PyResult<Value> {
    let world = World::of(interp);
    if let Some(handle) = value.as_instance().and_then(|i| i.native_state_as::<ObjHandle>()) {
        return Ok(Value::Native(Rc::new(StateValue { world, obj: handle.0 })));
    }
    if let Some((mapper, _)) = super::query::mapper_of(&world, value)? {
        return Ok(Value::Native(Rc::new(MapperValue { world, mapper })));
    }
    if let Some(engine) = value.downcast_native::<super::session::EngineValue>() {
        return Ok(Value::Native(Rc::new(InspectorValue { world, engine: engine.engine })));
    }
    let type_name = interp.class_of(value).display_name();
    Err(super::errors::sqlalchemy_error(interp, "NoInspectionAvailable", format!("No inspection system is available for object of type <class '{type_name}'>")))
}

/// `inspect(obj)`.
pub struct StateValue {
    pub world: World,
    pub obj: ObjId,
}

impl NativeObject for StateValue {
    fn type_name(&self) -> &str {
        "InstanceState"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let state = self.world.borrow()?.orm.object_state(self.obj);
        Ok(Some(match name {
            "transient" => Value::Bool(state == ObjectState::Transient),
            "pending" => Value::Bool(state == ObjectState::Pending),
            "persistent" => Value::Bool(state == ObjectState::Persistent),
            "deleted" => Value::Bool(state == ObjectState::Deleted),
            "detached" => Value::Bool(state == ObjectState::Detached),
            "was_deleted" => Value::Bool(self.world.borrow()?.orm.instances.get(self.obj).deleted),
            "modified" => Value::Bool(self.world.borrow()?.orm.instances.get(self.obj).is_modified()),
            "has_identity" => Value::Bool(self.world.borrow()?.orm.instances.get(self.obj).key.is_some()),
            "identity" | "key" => {
                let key = self.world.borrow()?.orm.instances.get(self.obj).key.clone();
                match key {
                    None => Value::None,
                    Some(key) => {
                        let values = key.values().map(|d| to_value(interp, d)).collect::<PyResult<Vec<_>>>()?;
                        if name == "identity" {
                            Value::tuple(values)
                        } else {
                            let class = self.world.borrow()?.classes.get(&key.mapper).cloned();
                            Value::tuple(vec![class.map(Value::Class).unwrap_or(Value::None), Value::tuple(values), Value::None])
                        }
                    }
                }
            }
            "object" => {
                let mut w = self.world.borrow()?;
                python_object(interp, &mut w, self.obj)
            }
            "session" => Value::None,
            "attrs" => Value::Native(Rc::new(AttrsValue { world: self.world.clone(), obj: self.obj })),
            "unloaded" => {
                let w = self.world.borrow()?;
                let state = w.orm.instances.get(self.obj);
                let m = w.orm.registry.mapper(state.mapper);
                let names: Vec<Value> = m.props.iter().enumerate().filter(|(i, _)| state.value(*i).is_none()).map(|(_, p)| Value::str(p.key())).collect();
                Value::list(names)
            }
            _ => return Ok(None),
        }))
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        Ok(format!("<sqlalchemy.orm.state.InstanceState object at 0x{address:x}>"))
    }
}

/// `inspect(obj).attrs`: one `AttributeState` per mapped attribute.
pub struct AttrsValue {
    pub world: World,
    pub obj: ObjId,
}

impl NativeObject for AttrsValue {
    fn type_name(&self) -> &str {
        "ReadOnlyProperties"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let w = self.world.borrow()?;
        let mapper = w.orm.instances.get(self.obj).mapper;
        Ok(w.orm.registry.mapper(mapper).prop(name).map(|prop| Value::Native(Rc::new(AttributeState { world: self.world.clone(), obj: self.obj, prop }))))
    }

    fn get_item(&self, interp: &mut Interpreter, this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let name = interp.str(key)?;
        self.get_attr(interp, this, &name)?.map(Some).ok_or_else(|| PyErr::key_error(key.clone()))
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        match self.world.borrow() {
            Ok(w) => w.orm.registry.mapper(w.orm.instances.get(self.obj).mapper).props.iter().map(|p| p.key().to_string()).collect(),
            Err(_) => vec![],
        }
    }
}

/// `inspect(obj).attrs.name`: `.value`, `.loaded_value`, `.history`.
pub struct AttributeState {
    pub world: World,
    pub obj: ObjId,
    pub prop: usize,
}

fn attr_value(interp: &mut Interpreter, world: &World, value: &AttrValue) -> PyResult<Value> {
    match value {
        AttrValue::Column(d) => to_value(interp, d),
        AttrValue::Object(None) => Ok(Value::None),
        AttrValue::Object(Some(o)) => {
            let mut w = world.borrow()?;
            Ok(python_object(interp, &mut w, *o))
        }
        AttrValue::Objects(items) => {
            let mut w = world.borrow()?;
            Ok(Value::list(items.iter().map(|o| python_object(interp, &mut w, *o)).collect()))
        }
    }
}

impl NativeObject for AttributeState {
    fn type_name(&self) -> &str {
        "AttributeState"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(Some(match name {
            "history" => {
                let history = self.world.borrow()?.orm.history(self.obj, self.prop);
                Value::Native(Rc::new(HistoryValue::new(interp, &self.world, history)?))
            }
            "value" | "loaded_value" => {
                let value = self.world.borrow()?.orm.instances.get(self.obj).value(self.prop).cloned();
                match value {
                    Some(v) => attr_value(interp, &self.world, &v)?,
                    None => Value::str("NO_VALUE"),
                }
            }
            "key" => {
                let w = self.world.borrow()?;
                Value::str(w.orm.property(self.obj, self.prop).key())
            }
            _ => return Ok(None),
        }))
    }
}

/// `History(added=[...], unchanged=(), deleted=())`.
pub struct HistoryValue {
    added: Value,
    unchanged: Value,
    deleted: Value,
}

impl HistoryValue {
    fn new(interp: &mut Interpreter, world: &World, history: History) -> PyResult<HistoryValue> {
        // SQLAlchemy shows an empty part as `()` and a filled one as a list.
        let part = |interp: &mut Interpreter, values: &[AttrValue]| -> PyResult<Value> {
            if values.is_empty() {
                return Ok(Value::tuple(vec![]));
            }
            Ok(Value::list(values.iter().map(|v| attr_value(interp, world, v)).collect::<PyResult<Vec<_>>>()?))
        };
        Ok(HistoryValue { added: part(interp, &history.added)?, unchanged: part(interp, &history.unchanged)?, deleted: part(interp, &history.deleted)? })
    }
}

impl NativeObject for HistoryValue {
    fn type_name(&self) -> &str {
        "History"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "added" => Some(self.added.clone()),
            "unchanged" => Some(self.unchanged.clone()),
            "deleted" => Some(self.deleted.clone()),
            "has_changes" => {
                let changed = interp.truthy(&self.added)? || interp.truthy(&self.deleted)?;
                Some(crate::script::native_fn("has_changes", move |_, _| Ok(Value::Bool(changed))))
            }
            _ => None,
        })
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(crate::script::iterator_from_values(vec![self.added.clone(), self.unchanged.clone(), self.deleted.clone()])))
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!(
            "History(added={}, unchanged={}, deleted={})",
            interp.repr(&self.added)?,
            interp.repr(&self.unchanged)?,
            interp.repr(&self.deleted)?
        ))
    }
}

/// `inspect(User)`: the mapper's columns, relationships, primary key.
pub struct MapperValue {
    pub world: World,
    pub mapper: crate::orm::MapperId,
}

impl NativeObject for MapperValue {
    fn type_name(&self) -> &str {
        "Mapper"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let w = self.world.borrow()?;
        let m = w.orm.registry.mapper(self.mapper);
        let table = w.orm.registry.metadata.table(m.table);
        Ok(Some(match name {
            "columns" | "c" => Value::list(m.column_props().map(|(_, key, _)| Value::str(key)).collect()),
            "column_attrs" => Value::list(m.column_props().map(|(_, key, _)| Value::str(key)).collect()),
            "relationships" => Value::list(m.relationships().map(|(_, r)| Value::str(&r.key)).collect()),
            "attrs" => Value::list(m.props.iter().map(|p| Value::str(p.key())).collect()),
            "primary_key" => Value::tuple(table.primary_key().map(|(_, c)| Value::str(&c.name)).collect()),
            "class_" => w.classes.get(&self.mapper).map(|c| Value::Class(c.clone())).unwrap_or(Value::None),
            "local_table" | "persist_selectable" => Value::str(&table.name),
            _ => return Ok(None),
        }))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let w = self.world.borrow()?;
        let m = w.orm.registry.mapper(self.mapper);
        Ok(format!("<Mapper at 0x7f0000000000; {}>", m.class_name))
    }
}

/// `inspect(engine)`: table names and columns of the database.
pub struct InspectorValue {
    pub world: World,
    pub engine: usize,
}

impl NativeObject for InspectorValue {
    fn type_name(&self) -> &str {
        "Inspector"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let world = self.world.clone();
        let engine = self.engine;
        Ok(match name {
            "get_table_names" => Some(crate::script::native_fn("get_table_names", move |_, _| {
                let w = world.borrow()?;
                let mut names: Vec<String> = w.orm.engines.get(engine).map(|db| db.table_views().into_iter().map(|t| t.name).collect()).unwrap_or_default();
                names.sort();
                Ok(Value::list(names.iter().map(|n| Value::str(n)).collect()))
            })),
            "has_table" => Some(crate::script::native_fn("has_table", move |interp, args| {
                let name = interp.str(args.args.first().unwrap_or(&Value::None))?;
                let w = world.borrow()?;
                Ok(Value::Bool(w.orm.engines.get(engine).is_some_and(|db| db.has_table(&name))))
            })),
            _ => None,
        })
    }
}

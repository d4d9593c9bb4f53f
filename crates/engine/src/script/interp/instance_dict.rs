//! `obj.__dict__` / `vars(obj)`: a live view of an instance's attributes that
//! behaves like a dict (reads and writes go to the instance), and
//! `Cls.__dict__`, the same view read-only (a `mappingproxy`, as in CPython).

use std::rc::Rc;

use super::super::ast::CmpOp;
use super::super::error::{PyErr, PyResult};
use super::super::native::{function, CallArgs, NativeObject};
use super::super::value::{BuiltinType, Class, Instance, Module, Value};
use super::Interpreter;

/// Whose namespace a view shows.
pub(crate) enum Owner {
    Instance(Rc<Instance>),
    Class(Rc<Class>),
    /// A module's globals (what `globals()` returns).
    Module(Rc<Module>),
}

pub(crate) struct InstanceDict {
    pub owner: Owner,
}

const METHODS: &[&str] = &["clear", "copy", "get", "items", "keys", "pop", "setdefault", "update", "values"];

impl InstanceDict {
    pub(crate) fn of_instance(inst: Rc<Instance>) -> Value {
        Value::Native(Rc::new(InstanceDict { owner: Owner::Instance(inst) }))
    }

    pub(crate) fn of_class(cls: Rc<Class>) -> Value {
        Value::Native(Rc::new(InstanceDict { owner: Owner::Class(cls) }))
    }

    pub(crate) fn of_module(m: Rc<Module>) -> Value {
        Value::Native(Rc::new(InstanceDict { owner: Owner::Module(m) }))
    }

    fn map(&self) -> &std::cell::RefCell<super::super::value::AttrMap> {
        match &self.owner {
            Owner::Instance(i) => &i.dict,
            Owner::Class(c) => &c.dict,
            Owner::Module(m) => &m.globals,
        }
    }

    fn read_only(&self) -> PyResult<()> {
        match self.owner {
            Owner::Class(_) => Err(PyErr::type_error("'mappingproxy' object does not support item assignment")),
            Owner::Instance(_) | Owner::Module(_) => Ok(()),
        }
    }

    /// The attributes as a plain dict (keys are strings: no user code runs).
    fn snapshot(&self) -> Value {
        let entries: Vec<(Rc<str>, Value)> = self.map().borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Value::dict_from_str_pairs(entries.iter().map(|(k, v)| (&**k, v.clone())))
    }

    fn key<'a>(&self, key: &'a Value) -> PyResult<&'a str> {
        key.as_str().ok_or_else(|| PyErr::key_error(key.clone()))
    }
}

impl NativeObject for InstanceDict {
    fn type_name(&self) -> &str {
        match self.owner {
            Owner::Instance(_) | Owner::Module(_) => "dict",
            Owner::Class(_) => "mappingproxy",
        }
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        match self.owner {
            Owner::Instance(_) | Owner::Module(_) => Some(interp.builtin_class(BuiltinType::Dict)),
            Owner::Class(_) => None,
        }
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let snap = self.snapshot();
        let text = interp.repr(&snap)?;
        Ok(match self.owner {
            Owner::Instance(_) | Owner::Module(_) => text,
            Owner::Class(_) => format!("mappingproxy({text})"),
        })
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.map().borrow().len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let snap = self.snapshot();
        interp.iter(&snap).map(Some)
    }

    fn contains(&self, _interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        Ok(Some(item.as_str().is_some_and(|k| self.map().borrow().contains(k))))
    }

    fn get_item(&self, _interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let k = self.key(key)?;
        let v = self.map().borrow().get(k).cloned();
        v.map(Some).ok_or_else(|| PyErr::key_error(key.clone()))
    }

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        self.read_only()?;
        interp.check_side_effect("changing __dict__")?;
        let k = key.as_str().ok_or_else(|| PyErr::type_error("attribute name must be string"))?;
        self.map().borrow_mut().set(k, value);
        Ok(true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        self.read_only().map_err(|_| PyErr::type_error("'mappingproxy' object does not support item deletion"))?;
        interp.check_side_effect("changing __dict__")?;
        let k = self.key(key)?;
        match self.map().borrow_mut().remove(k) {
            Some(_) => Ok(true),
            None => Err(PyErr::key_error(key.clone())),
        }
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        if !matches!(op, CmpOp::Eq | CmpOp::NotEq) {
            return Ok(None);
        }
        let snap = self.snapshot();
        let other = match other.downcast_native::<InstanceDict>() {
            Some(o) => o.snapshot(),
            None => other.clone(),
        };
        interp.compare(&snap, op, &other).map(Some)
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        METHODS.iter().map(|m| m.to_string()).collect()
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        if !METHODS.contains(&name) {
            return Ok(None);
        }
        // Reads work on a snapshot; only instance dicts offer writing methods.
        let Owner::Instance(inst) = &self.owner else {
            if !matches!(name, "get" | "items" | "keys" | "values" | "copy") {
                return Ok(None);
            }
            let snap = self.snapshot();
            return interp.getattr(&snap, name).map(Some);
        };
        let inst = inst.clone();
        let method: &'static str = METHODS.iter().find(|m| **m == name).copied().unwrap_or("get");
        Ok(Some(
            function(method, move |interp, args: CallArgs| {
                let view = InstanceDict { owner: Owner::Instance(inst.clone()) };
                let snap = view.snapshot();
                match method {
                    // Reads work on a snapshot, writes go through to the instance.
                    "get" | "items" | "keys" | "values" | "copy" => interp.call_method(&snap, method, args),
                    "clear" => {
                        interp.check_side_effect("changing __dict__")?;
                        inst.dict.borrow_mut().clear();
                        Ok(Value::None)
                    }
                    _ => {
                        let result = interp.call_method(&snap, method, args)?;
                        interp.check_side_effect("changing __dict__")?;
                        if let Value::Dict(d) = &snap {
                            let entries = interp.dict_items(d);
                            let mut attrs = inst.dict.borrow_mut();
                            attrs.clear();
                            for (k, v) in entries {
                                if let Value::Str(s) = k {
                                    attrs.set(s.as_str(), v);
                                }
                            }
                        }
                        Ok(result)
                    }
                }
            })
            .qualname(&format!("dict.{method}"))
            .build(),
        ))
    }
}

//! `obj.__dict__` / `vars(obj)`: a live view of an instance's attributes that
//! behaves like a dict (reads and writes go to the instance).

use std::rc::Rc;

use super::super::ast::CmpOp;
use super::super::error::{PyErr, PyResult};
use super::super::native::{function, CallArgs, NativeObject};
use super::super::value::{BuiltinType, Class, Instance, Value};
use super::Interpreter;

pub(crate) struct InstanceDict {
    pub inst: Rc<Instance>,
}

const METHODS: &[&str] = &["clear", "copy", "get", "items", "keys", "pop", "setdefault", "update", "values"];

impl InstanceDict {
    /// The attributes as a plain dict (keys are strings: no user code runs).
    fn snapshot(&self) -> Value {
        let entries: Vec<(Rc<str>, Value)> = self.inst.dict.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Value::dict_from_str_pairs(entries.iter().map(|(k, v)| (&**k, v.clone())))
    }

    fn key<'a>(&self, key: &'a Value) -> PyResult<&'a str> {
        key.as_str().ok_or_else(|| PyErr::key_error(key.clone()))
    }
}

impl NativeObject for InstanceDict {
    fn type_name(&self) -> &str {
        "dict"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        Some(interp.builtin_class(BuiltinType::Dict))
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let snap = self.snapshot();
        interp.repr(&snap)
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.inst.dict.borrow().len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let snap = self.snapshot();
        interp.iter(&snap).map(Some)
    }

    fn contains(&self, _interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        Ok(Some(item.as_str().is_some_and(|k| self.inst.dict.borrow().contains(k))))
    }

    fn get_item(&self, _interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let k = self.key(key)?;
        let v = self.inst.get_own(k);
        v.map(Some).ok_or_else(|| PyErr::key_error(key.clone()))
    }

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        interp.check_side_effect("changing __dict__")?;
        let k = key.as_str().ok_or_else(|| PyErr::type_error("attribute name must be string"))?;
        self.inst.set_own(k, value);
        Ok(true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        interp.check_side_effect("changing __dict__")?;
        let k = self.key(key)?;
        match self.inst.dict.borrow_mut().remove(k) {
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

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        if !METHODS.contains(&name) {
            return Ok(None);
        }
        let inst = self.inst.clone();
        let method: &'static str = METHODS.iter().find(|m| **m == name).copied().unwrap_or("get");
        Ok(Some(
            function(method, move |interp, args: CallArgs| {
                let view = InstanceDict { inst: inst.clone() };
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

//! Helpers shared by host value types (datetime, Decimal, Flask objects...):
//! a Python class built once per interpreter that carries the type's methods,
//! attribute lookup through that class, and CPython's argument errors for
//! functions implemented in C.

use std::any::Any;
use std::rc::Rc;

use crate::script::value::{Binding, BoundMethod, Class};
use crate::script::{CallArgs, Interpreter, NativeObject, PyErr, PyResult, Value};

/// The value of type `T` kept in the interpreter, built by `build` on first use
/// (classes of host types: objects may be made before their module is imported).
pub(crate) fn cached<T: Any + Clone>(interp: &mut Interpreter, build: impl FnOnce(&mut Interpreter) -> PyResult<T>) -> PyResult<T> {
    if let Some(v) = interp.extension::<T>() {
        return Ok(v.clone());
    }
    let v = build(interp)?;
    interp.insert_extension(v.clone());
    Ok(v)
}

/// `this.name` for a host object whose methods live on its class `cls`:
/// methods bind to `this`, class methods to the class, other values as they are.
pub(crate) fn class_attr(cls: &Rc<Class>, this: &Value, name: &str) -> Option<Value> {
    let found = cls.lookup(name)?;
    let receiver = match &found {
        Value::NativeFunction(f) if f.binding == Binding::Method => this.clone(),
        Value::NativeFunction(f) if f.binding == Binding::ClassMethod => Value::Class(cls.clone()),
        _ => return Some(found),
    };
    Some(Value::BoundMethod(Rc::new(BoundMethod { receiver, func: found })))
}

/// The names `dir()` lists for a host object of class `cls`, plus `extra`.
pub(crate) fn class_dir(cls: &Rc<Class>, extra: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    for c in cls.mro() {
        names.extend(c.dict.borrow().keys().map(|k| k.to_string()));
    }
    names.sort();
    names.dedup();
    names
}

/// The receiver of method `method` as a `T`, or CPython's descriptor error
/// (`descriptor 'strftime' for 'datetime.date' objects doesn't apply to a 'int' object`).
pub(crate) fn receiver<T: NativeObject>(args: &CallArgs, type_name: &str, method: &str) -> PyResult<Rc<T>> {
    let this = args.receiver()?;
    this.downcast_native::<T>().ok_or_else(|| PyErr::type_error(format!("descriptor '{method}' for '{type_name}' objects doesn't apply to a '{}' object", this.type_name())))
}

/// Bind arguments the way CPython's C functions do (`PyArg_ParseTupleAndKeywords`):
/// the first `required` of `names` are mandatory; errors read
/// `function missing required argument 'year' (pos 1)` and
/// `'foo' is an invalid keyword argument for this function`. `fname` names the
/// function in the too-many-arguments error (CPython's wording for that case).
pub(crate) fn bind_c<const N: usize>(args: CallArgs, fname: &str, names: [&str; N], required: usize) -> PyResult<[Option<Value>; N]> {
    let mut out: [Option<Value>; N] = std::array::from_fn(|_| None);
    let given = args.args.len() + args.kwargs.len();
    if args.args.len() > N {
        return Err(PyErr::type_error(format!("{fname}() takes at most {N} argument{} ({given} given)", if N == 1 { "" } else { "s" })));
    }
    for (slot, v) in out.iter_mut().zip(args.args) {
        *slot = Some(v);
    }
    for (k, v) in args.kwargs {
        match names.iter().position(|n| *n == &*k) {
            Some(i) if out[i].is_some() => {
                return Err(PyErr::type_error(format!("argument for {fname}() given by name ('{k}') and position ({})", i + 1)));
            }
            Some(i) => out[i] = Some(v),
            None => return Err(PyErr::type_error(format!("'{k}' is an invalid keyword argument for this function"))),
        }
    }
    for (i, name) in names.iter().enumerate().take(required) {
        if out[i].is_none() {
            return Err(PyErr::type_error(format!("function missing required argument '{name}' (pos {})", i + 1)));
        }
    }
    Ok(out)
}

/// An integer argument (`bool` counts), with CPython's error for other types.
pub(crate) fn int_arg(v: &Value) -> PyResult<i64> {
    v.as_int().ok_or_else(|| PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name())))
}

/// A `str` argument of function `fname`, with CPython's error for other types.
pub(crate) fn str_arg<'a>(v: &'a Value, fname: &str, pos: usize) -> PyResult<&'a str> {
    v.as_str().ok_or_else(|| PyErr::type_error(format!("{fname}() argument {pos} must be str, not {}", v.type_name())))
}

/// Fail unless a method was called with its receiver only
/// (`timedelta.total_seconds() takes no arguments (1 given)`).
pub(crate) fn no_args(args: &CallArgs, qualname: &str) -> PyResult<()> {
    args.no_kwargs(qualname)?;
    match args.args.len() {
        0 | 1 => Ok(()),
        n => Err(PyErr::type_error(format!("{qualname}() takes no arguments ({} given)", n - 1))),
    }
}

/// Drop the receiver (`self` or `cls`) from a method's arguments.
pub(crate) fn skip_receiver(args: &mut CallArgs) {
    if !args.args.is_empty() {
        args.args.remove(0);
    }
}

/// Reads an attribute of an instance (or, with `None`, of its class).
pub(crate) type AttrGetter = fn(&mut Interpreter, Option<&Value>, &Rc<Class>) -> PyResult<Value>;
/// Writes an attribute of an instance.
pub(crate) type AttrSetter = fn(&mut Interpreter, &Value, Value) -> PyResult<()>;

/// A computed attribute of a host class (like a Python `property`), stored
/// in the class namespace: `obj.name` calls `get`, `obj.name = v` calls `set`.
pub(crate) struct ComputedAttr {
    pub name: &'static str,
    pub get: AttrGetter,
    pub set: Option<AttrSetter>,
}

impl ComputedAttr {
    pub fn value(name: &'static str, get: AttrGetter, set: Option<AttrSetter>) -> Value {
        Value::Native(Rc::new(ComputedAttr { name, get, set }))
    }
}

impl NativeObject for ComputedAttr {
    fn type_name(&self) -> &str {
        "property"
    }

    fn descriptor(&self) -> crate::script::DescriptorKind {
        crate::script::DescriptorKind::Data
    }

    fn descr_get(&self, interp: &mut Interpreter, _this: &Value, instance: Option<&Value>, owner: &Rc<Class>) -> PyResult<Value> {
        (self.get)(interp, instance, owner)
    }

    fn descr_set(&self, interp: &mut Interpreter, _this: &Value, instance: &Value, value: Value) -> PyResult<()> {
        match self.set {
            Some(set) => set(interp, instance, value),
            None => Err(PyErr::attribute_error(format!("property '{}' of '{}' object has no setter", self.name, instance.type_name()))),
        }
    }
}

/// `obj.name(*args)`.
pub(crate) fn call_method(interp: &mut Interpreter, obj: &Value, name: &str, args: Vec<Value>) -> PyResult<Value> {
    let f = interp.getattr(obj, name)?;
    interp.call(&f, args, Vec::new())
}

/// `d.get(key)` for a dict value (`None` when `d` is not a dict or lacks the key).
pub(crate) fn dict_get(interp: &mut Interpreter, d: &Value, key: &Value) -> PyResult<Option<Value>> {
    match d {
        Value::Dict(dict) => interp.dict_get(dict, key),
        _ => Ok(None),
    }
}

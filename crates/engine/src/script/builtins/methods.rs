//! Methods of builtin types: the name tables (for attribute lookup, `dir()`
//! and completion), the dispatcher, and the list/tuple/dict/set methods.

use super::super::ast::BinOp;
use super::super::error::{PyErr, PyResult};
use super::super::interp::Interpreter;
use super::super::native::CallArgs;
use super::super::value::{BuiltinType, DictViewKind, Value};
use super::{dict_view, numbers, str_methods};

const STR: &[&str] = &[
    "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha",
    "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust",
    "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
    "splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill",
];
const LIST: &[&str] = &["append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"];
const TUPLE: &[&str] = &["count", "index"];
const DICT: &[&str] = &["clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"];
const SET: &[&str] = &[
    "add", "clear", "copy", "difference", "difference_update", "discard", "intersection", "intersection_update", "isdisjoint", "issubset",
    "issuperset", "pop", "remove", "symmetric_difference", "symmetric_difference_update", "union", "update",
];
const FROZENSET: &[&str] = &["copy", "difference", "intersection", "isdisjoint", "issubset", "issuperset", "symmetric_difference", "union"];
const INT: &[&str] = &["as_integer_ratio", "bit_count", "bit_length", "conjugate"];
const FLOAT: &[&str] = &["as_integer_ratio", "conjugate", "is_integer"];
const BYTES: &[&str] = &["count", "decode", "endswith", "find", "hex", "join", "lower", "replace", "split", "startswith", "strip", "upper"];
const RANGE: &[&str] = &["count", "index"];
const PROPERTY: &[&str] = &["deleter", "getter", "setter"];

/// Methods that change their receiver (refused in previews).
const MUTATING: &[&str] = &[
    "append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort", "popitem", "setdefault", "update", "add", "discard",
    "difference_update", "intersection_update", "symmetric_difference_update",
];

/// The method names of a builtin type.
pub(crate) fn names(t: BuiltinType) -> &'static [&'static str] {
    match t {
        BuiltinType::Str => STR,
        BuiltinType::List => LIST,
        BuiltinType::Tuple => TUPLE,
        BuiltinType::Dict => DICT,
        BuiltinType::Set => SET,
        BuiltinType::FrozenSet => FROZENSET,
        BuiltinType::Int | BuiltinType::Bool => INT,
        BuiltinType::Float => FLOAT,
        BuiltinType::Bytes => BYTES,
        BuiltinType::Range => RANGE,
        BuiltinType::Property => PROPERTY,
        _ => &[],
    }
}

/// The static name of method `name` of type `t`, if it has one.
pub(crate) fn lookup(t: BuiltinType, name: &str) -> Option<&'static str> {
    names(t).iter().find(|n| **n == name).copied()
}

/// Call method `name` of a builtin value.
pub(crate) fn call(interp: &mut Interpreter, recv: &Value, t: BuiltinType, name: &str, args: CallArgs) -> PyResult<Value> {
    if interp.is_preview() && MUTATING.contains(&name) && matches!(t, BuiltinType::List | BuiltinType::Dict | BuiltinType::Set) {
        return Err(PyErr::refused(format!("{}.{}() changes the {}", t.name(), name, t.name())));
    }
    match recv {
        Value::Str(s) => str_methods::call(interp, s, name, args),
        Value::List(_) => list_method(interp, recv, name, args),
        Value::Tuple(t) => {
            let items = t.items.to_vec();
            sequence_count_index(interp, &items, name, args, "tuple")
        }
        Value::Dict(_) => dict_method(interp, recv, name, args),
        Value::Set(_) => set_method(interp, recv, name, args),
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => numbers::number_method(interp, recv, name, args),
        Value::Bytes(b) => numbers::bytes_method(interp, &b.0, name, args),
        Value::Range(r) => {
            let v = Value::Range(r.clone());
            let items = interp.collect(&v)?;
            sequence_count_index(interp, &items, name, args, "range")
        }
        Value::Property(p) => {
            let p = p.clone();
            interp.property_method(&p, name, args)
        }
        other => Err(PyErr::attribute_error(format!("'{}' object has no attribute '{name}'", other.type_name()))),
    }
}

/// Check the positional argument count of a built-in method, with
/// CPython's wording: single-argument and no-argument methods name their
/// type (`list.append() takes exactly one argument (0 given)`), the others
/// say `pop expected at most 1 argument, got 2`.
pub(super) fn arg_count(args: &CallArgs, owner: &str, fname: &str, min: usize, max: usize) -> PyResult<()> {
    if !args.kwargs.is_empty() {
        return Err(PyErr::type_error(format!("{owner}.{fname}() takes no keyword arguments")));
    }
    let n = args.args.len();
    if n < min || n > max {
        let plural = |k: usize| if k == 1 { "" } else { "s" };
        let msg = match (min, max) {
            (0, 0) => format!("{owner}.{fname}() takes no arguments ({n} given)"),
            (1, 1) => format!("{owner}.{fname}() takes exactly one argument ({n} given)"),
            (a, b) if a == b => format!("{fname} expected {a} argument{}, got {n}", plural(a)),
            (a, _) if n < a => format!("{fname} expected at least {a} argument{}, got {n}", plural(a)),
            (_, b) => format!("{fname} expected at most {b} argument{}, got {n}", plural(b)),
        };
        return Err(PyErr::type_error(msg));
    }
    Ok(())
}

/// `count` and `index` of a sequence (tuple, list, range).
fn sequence_count_index(interp: &mut Interpreter, items: &[Value], name: &str, args: CallArgs, what: &str) -> PyResult<Value> {
    match name {
        "count" => {
            arg_count(&args, what, "count", 1, 1)?;
            let mut n = 0;
            for x in items {
                if interp.eq(x, &args.args[0])? {
                    n += 1;
                }
            }
            Ok(Value::Int(n))
        }
        _ => {
            arg_count(&args, what, "index", 1, if what == "range" { 1 } else { 3 })?;
            let len = items.len() as i64;
            let bound = |interp: &mut Interpreter, v: Option<&Value>, default: i64| -> PyResult<i64> {
                match v {
                    None => Ok(default),
                    Some(v) => {
                        let i = interp.index_value(v)?.ok_or_else(|| PyErr::type_error("slice indices must be integers or have an __index__ method"))?;
                        Ok(if i < 0 { (i + len).max(0) } else { i.min(len) })
                    }
                }
            };
            let start = bound(interp, args.args.get(1), 0)?;
            let stop = bound(interp, args.args.get(2), len)?;
            for i in start..stop.max(start) {
                if interp.eq(&items[i as usize], &args.args[0])? {
                    return Ok(Value::Int(i));
                }
            }
            if what == "list" {
                let shown = interp.repr(&args.args[0])?;
                return Err(PyErr::value_error(format!("{shown} is not in list")));
            }
            Err(PyErr::value_error(format!("{what}.index(x): x not in {what}")))
        }
    }
}

fn list_method(interp: &mut Interpreter, recv: &Value, name: &str, mut args: CallArgs) -> PyResult<Value> {
    let Value::List(l) = recv else { return Ok(Value::None) };
    match name {
        "append" => {
            arg_count(&args, "list", "append", 1, 1)?;
            let mut items = l.items.borrow_mut();
            if items.len() >= interp.limits().max_alloc_bytes / std::mem::size_of::<Value>() {
                return Err(PyErr::memory_error());
            }
            items.push(args.args.remove(0));
            Ok(Value::None)
        }
        "extend" => {
            arg_count(&args, "list", "extend", 1, 1)?;
            let new = interp.collect(&args.args[0])?;
            let mut items = l.items.borrow_mut();
            interp.check_alloc(items.len() + new.len(), std::mem::size_of::<Value>())?;
            items.extend(new);
            Ok(Value::None)
        }
        "insert" => {
            arg_count(&args, "list", "insert", 2, 2)?;
            let i = interp.int_arg(&args.args[0])?;
            let v = args.args.remove(1);
            let mut items = l.items.borrow_mut();
            let n = items.len() as i64;
            let pos = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
            items.insert(pos, v);
            Ok(Value::None)
        }
        "pop" => {
            arg_count(&args, "list", "pop", 0, 1)?;
            let mut items = l.items.borrow_mut();
            if items.is_empty() {
                return Err(PyErr::index_error("pop from empty list"));
            }
            let n = items.len() as i64;
            let i = match args.args.first() {
                Some(v) => interp.int_arg(v)?,
                None => n - 1,
            };
            let j = if i < 0 { i + n } else { i };
            if j < 0 || j >= n {
                return Err(PyErr::index_error("pop index out of range"));
            }
            Ok(items.remove(j as usize))
        }
        "remove" => {
            arg_count(&args, "list", "remove", 1, 1)?;
            let items = l.items.borrow().clone();
            for (i, x) in items.iter().enumerate() {
                if interp.eq(x, &args.args[0])? {
                    let mut cur = l.items.borrow_mut();
                    if i < cur.len() {
                        cur.remove(i);
                    }
                    return Ok(Value::None);
                }
            }
            Err(PyErr::value_error("list.remove(x): x not in list"))
        }
        "clear" => {
            arg_count(&args, "list", "clear", 0, 0)?;
            let old = std::mem::take(&mut *l.items.borrow_mut());
            drop(old);
            Ok(Value::None)
        }
        "copy" => {
            arg_count(&args, "list", "copy", 0, 0)?;
            Ok(Value::list(l.items.borrow().clone()))
        }
        "reverse" => {
            arg_count(&args, "list", "reverse", 0, 0)?;
            l.items.borrow_mut().reverse();
            Ok(Value::None)
        }
        "sort" => super::list_sort(interp, recv, args),
        _ => {
            let items = l.items.borrow().clone();
            sequence_count_index(interp, &items, name, args, "list")
        }
    }
}

fn dict_method(interp: &mut Interpreter, recv: &Value, name: &str, mut args: CallArgs) -> PyResult<Value> {
    let Value::Dict(d) = recv else { return Ok(Value::None) };
    let d = d.clone();
    match name {
        "get" => {
            arg_count(&args, "dict", "get", 1, 2)?;
            Ok(interp.dict_get(&d, &args.args[0])?.unwrap_or_else(|| args.args.get(1).cloned().unwrap_or(Value::None)))
        }
        "keys" => {
            arg_count(&args, "dict", "keys", 0, 0)?;
            Ok(dict_view(&d, DictViewKind::Keys))
        }
        "values" => {
            arg_count(&args, "dict", "values", 0, 0)?;
            Ok(dict_view(&d, DictViewKind::Values))
        }
        "items" => {
            arg_count(&args, "dict", "items", 0, 0)?;
            Ok(dict_view(&d, DictViewKind::Items))
        }
        "setdefault" => {
            arg_count(&args, "dict", "setdefault", 1, 2)?;
            if let Some(v) = interp.dict_get(&d, &args.args[0])? {
                return Ok(v);
            }
            let default = args.args.get(1).cloned().unwrap_or(Value::None);
            interp.dict_set(&d, args.args[0].clone(), default.clone())?;
            Ok(default)
        }
        "pop" => {
            arg_count(&args, "dict", "pop", 1, 2)?;
            match interp.dict_remove(&d, &args.args[0])? {
                Some(v) => Ok(v),
                None => match args.args.get(1) {
                    Some(default) => Ok(default.clone()),
                    None => Err(PyErr::key_error(args.args[0].clone())),
                },
            }
        }
        "popitem" => {
            arg_count(&args, "dict", "popitem", 0, 0)?;
            let e = d.table.borrow_mut().pop_last();
            match e {
                Some(e) => Ok(Value::tuple(vec![e.key, e.value])),
                None => Err(PyErr::key_error(Value::str("popitem(): dictionary is empty"))),
            }
        }
        "update" => {
            if args.args.len() > 1 {
                return Err(PyErr::type_error(format!("update expected at most 1 argument, got {}", args.args.len())));
            }
            if let Some(other) = args.args.first() {
                interp.dict_update_from(recv, other)?;
            }
            for (k, v) in std::mem::take(&mut args.kwargs) {
                interp.dict_set(&d, Value::str(&k), v)?;
            }
            Ok(Value::None)
        }
        "clear" => {
            arg_count(&args, "dict", "clear", 0, 0)?;
            let old = std::mem::take(&mut *d.table.borrow_mut());
            drop(old);
            Ok(Value::None)
        }
        "copy" => {
            arg_count(&args, "dict", "copy", 0, 0)?;
            Ok(interp.dict_copy(&d))
        }
        _ => {
            let f = super::types::class_attribute(interp, BuiltinType::Dict, "fromkeys").unwrap_or(Value::None);
            interp.call(&f, args.args, args.kwargs)
        }
    }
}

fn set_method(interp: &mut Interpreter, recv: &Value, name: &str, args: CallArgs) -> PyResult<Value> {
    let Value::Set(s) = recv else { return Ok(Value::None) };
    let s = s.clone();
    let others = |interp: &mut Interpreter, args: &CallArgs| -> PyResult<Vec<std::rc::Rc<super::super::value::PySet>>> {
        args.no_kwargs(name)?;
        let mut v = Vec::new();
        for a in &args.args {
            v.push(match a {
                Value::Set(o) => o.clone(),
                other => interp.set_from_iterable(other, false)?,
            });
        }
        Ok(v)
    };
    let binary = |op: BinOp| -> BinOp { op };
    match name {
        "add" => {
            arg_count(&args, "set", "add", 1, 1)?;
            interp.set_add(&s, args.args[0].clone())?;
            Ok(Value::None)
        }
        "remove" => {
            arg_count(&args, "set", "remove", 1, 1)?;
            if interp.set_discard(&s, &args.args[0])? {
                Ok(Value::None)
            } else {
                Err(PyErr::key_error(args.args[0].clone()))
            }
        }
        "discard" => {
            arg_count(&args, "set", "discard", 1, 1)?;
            interp.set_discard(&s, &args.args[0])?;
            Ok(Value::None)
        }
        "pop" => {
            arg_count(&args, "set", "pop", 0, 0)?;
            let v = s.table.borrow_mut().pop();
            v.ok_or_else(|| PyErr::key_error(Value::str("pop from an empty set")))
        }
        "clear" => {
            arg_count(&args, "set", "clear", 0, 0)?;
            let old = std::mem::take(&mut *s.table.borrow_mut());
            drop(old);
            Ok(Value::None)
        }
        "copy" => {
            arg_count(&args, "set", "copy", 0, 0)?;
            Ok(Value::Set(interp.set_from_iterable(recv, s.frozen)?))
        }
        "union" | "intersection" | "difference" | "symmetric_difference" => {
            let op = binary(match name {
                "union" => BinOp::BitOr,
                "intersection" => BinOp::BitAnd,
                "difference" => BinOp::Sub,
                _ => BinOp::BitXor,
            });
            let mut result = interp.set_from_iterable(recv, s.frozen)?;
            for o in others(interp, &args)? {
                result = interp.set_operation(&result, op, &o, s.frozen)?;
            }
            Ok(Value::Set(result))
        }
        "update" | "intersection_update" | "difference_update" | "symmetric_difference_update" => {
            let op = match name {
                "update" => BinOp::BitOr,
                "intersection_update" => BinOp::BitAnd,
                "difference_update" => BinOp::Sub,
                _ => BinOp::BitXor,
            };
            if op == BinOp::BitOr {
                args.no_kwargs(name)?;
                for a in &args.args {
                    interp.set_update(&s, a)?;
                }
                return Ok(Value::None);
            }
            let mut result = interp.set_from_iterable(recv, false)?;
            for o in others(interp, &args)? {
                result = interp.set_operation(&result, op, &o, false)?;
            }
            let table = result.table.borrow().clone();
            *s.table.borrow_mut() = table;
            Ok(Value::None)
        }
        "issubset" | "issuperset" | "isdisjoint" => {
            arg_count(&args, "set", name, 1, 1)?;
            let other = match &args.args[0] {
                Value::Set(o) => o.clone(),
                o => interp.set_from_iterable(o, false)?,
            };
            let (a, b) = if name == "issuperset" { (other, s) } else { (s, other) };
            let items: Vec<Value> = a.table.borrow().iter().map(|(_, k)| k.clone()).collect();
            for k in items {
                let found = interp.set_contains(&b, &k)?;
                match name {
                    "isdisjoint" if found => return Ok(Value::Bool(false)),
                    "issubset" | "issuperset" if !found => return Ok(Value::Bool(false)),
                    _ => {}
                }
            }
            Ok(Value::Bool(true))
        }
        other => Err(PyErr::attribute_error(format!("'set' object has no attribute '{other}'"))),
    }
}

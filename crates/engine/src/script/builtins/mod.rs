//! The `builtins` module: functions (`print`, `len`, `sorted`...), the builtin
//! classes under their names, the exception classes, and the methods of
//! `object` and `BaseException`.

pub(crate) mod methods;
mod numbers;
pub(crate) mod sort;
mod str_methods;
pub(crate) mod types;

use std::rc::Rc;

use super::ast::CmpOp;
use super::error::{ExcKind, PyErr, PyResult};
use super::format;
use super::interp::Interpreter;
use super::native::{function, CallArgs};
use super::value::{BuiltinType, ClassKind, DictViewKind, IterState, TypeAlias, Value};

type Builtin = fn(&mut Interpreter, CallArgs) -> PyResult<Value>;

/// Fill the interpreter's `builtins` module and the builtin classes' methods.
pub(crate) fn install(interp: &mut Interpreter) {
    let funcs: &[(&str, Builtin)] = &[
        ("len", builtin_len),
        ("repr", builtin_repr),
        ("ascii", builtin_ascii),
        ("abs", builtin_abs),
        ("round", builtin_round),
        ("sum", builtin_sum),
        ("min", builtin_min),
        ("max", builtin_max),
        ("sorted", builtin_sorted),
        ("reversed", builtin_reversed),
        ("enumerate", builtin_enumerate),
        ("zip", builtin_zip),
        ("map", builtin_map),
        ("filter", builtin_filter),
        ("any", builtin_any),
        ("all", builtin_all),
        ("isinstance", builtin_isinstance),
        ("issubclass", builtin_issubclass),
        ("getattr", builtin_getattr),
        ("hasattr", builtin_hasattr),
        ("callable", builtin_callable),
        ("dir", builtin_dir),
        ("vars", builtin_vars),
        ("id", builtin_id),
        ("hash", builtin_hash),
        ("iter", builtin_iter),
        ("next", builtin_next),
        ("chr", builtin_chr),
        ("ord", builtin_ord),
        ("divmod", builtin_divmod),
        ("pow", builtin_pow),
        ("format", builtin_format),
        ("hex", builtin_hex),
        ("oct", builtin_oct),
        ("bin", builtin_bin),
        ("bytearray", builtin_bytearray),
    ];
    let builtins = interp.builtins.clone();
    for (name, f) in funcs {
        let f = *f;
        builtins.set(name, function(name, f).build());
    }
    let effectful: &[(&str, Builtin)] = &[("print", builtin_print), ("setattr", builtin_setattr), ("delattr", builtin_delattr)];
    // `globals()` and `locals()` are answered by the evaluator (they read the
    // calling frame); called indirectly they have no frame to read.
    for name in ["globals", "locals"] {
        builtins.set(name, function(name, move |_, _| Err(PyErr::not_implemented(format!("{name}() can only be called directly in the playground")))).build());
    }
    for (name, f) in effectful {
        let f = *f;
        builtins.set(name, function(name, f).side_effects().build());
    }
    for name in ["exit", "quit"] {
        builtins.set(name, function(name, move |interp, args| system_exit(interp, args, name)).build());
    }
    for name in ["open", "input", "exec", "eval", "compile", "breakpoint", "help", "memoryview", "complex", "__import__"] {
        builtins.set(
            name,
            function(name, move |_, _| Err(PyErr::not_implemented(format!("{name}() is not supported in the playground")))).build(),
        );
    }
    let classes = [
        BuiltinType::Object,
        BuiltinType::Type,
        BuiltinType::Bool,
        BuiltinType::Int,
        BuiltinType::Float,
        BuiltinType::Str,
        BuiltinType::Bytes,
        BuiltinType::List,
        BuiltinType::Tuple,
        BuiltinType::Dict,
        BuiltinType::Set,
        BuiltinType::FrozenSet,
        BuiltinType::Range,
        BuiltinType::Slice,
        BuiltinType::Property,
        BuiltinType::StaticMethod,
        BuiltinType::ClassMethod,
        BuiltinType::Super,
    ];
    for t in classes {
        builtins.set(t.name(), Value::Class(interp.types.get(t).clone()));
    }
    for &k in ExcKind::ALL {
        builtins.set(k.name(), Value::Class(interp.types.exc(k).clone()));
    }
    builtins.set("EnvironmentError", Value::Class(interp.types.exc(ExcKind::OSError).clone()));
    builtins.set("IOError", Value::Class(interp.types.exc(ExcKind::OSError).clone()));
    builtins.set("NotImplemented", Value::NotImplemented);
    builtins.set("Ellipsis", Value::Ellipsis);
    builtins.set("super", function("super", builtin_super).build());
    types::install_object_methods(interp);
    types::install_exception_methods(interp);
}

fn one_arg(args: CallArgs, fname: &str) -> PyResult<Value> {
    args.exactly(fname, 1)?;
    Ok(args.args.into_iter().next().unwrap_or(Value::None))
}

/// `sys.exit(status)`, `exit(status)`, `quit(status)`: raise `SystemExit` (its `code` the
/// status, `None` when none is given); what ends is for the host to decide.
pub fn system_exit(interp: &mut Interpreter, args: CallArgs, name: &str) -> PyResult<Value> {
    let [status] = args.bind(name, ["status"], 0)?;
    let class = interp.exception_class(ExcKind::SystemExit);
    let args = status.filter(|status| !status.is_none()).into_iter().collect();
    Err(PyErr::from_instance(interp.new_exception(&class, args)))
}

fn builtin_print(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let text_arg = |v: Option<Value>, what: &str, default: &str| -> PyResult<String> {
        match v {
            None | Some(Value::None) => Ok(default.to_string()),
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(other) => Err(PyErr::type_error(format!("{what} must be None or a string, not {}", other.type_name()))),
        }
    };
    let sep = text_arg(args.take_kwarg("sep"), "sep", " ")?;
    let end = text_arg(args.take_kwarg("end"), "end", "\n")?;
    args.take_kwarg("flush");
    // `file=sys.stderr` or any object with a `write` method; None is the output.
    let file = args.take_kwarg("file").filter(|file| !file.is_none());
    if let Some((k, _)) = args.kwargs.first() {
        return Err(PyErr::type_error(format!("'{k}' is an invalid keyword argument for print()")));
    }
    let mut out = String::new();
    for (i, v) in args.args.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(&interp.str(v)?);
    }
    out.push_str(&end);
    match file {
        Some(file) => {
            let write = interp.getattr(&file, "write")?;
            interp.call(&write, vec![Value::string(out)], Vec::new())?;
        }
        None => interp.write_output(&out),
    }
    Ok(Value::None)
}

fn builtin_len(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "len")?;
    Ok(Value::Int(interp.len(&v)? as i64))
}

fn builtin_repr(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "repr")?;
    Ok(Value::string(interp.repr(&v)?))
}

fn builtin_ascii(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "ascii")?;
    Ok(Value::string(format::ascii_escape(&interp.repr(&v)?)))
}

fn builtin_abs(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "abs")?;
    match &v {
        Value::Int(i) => i.checked_abs().map(Value::Int).ok_or_else(PyErr::int_overflow),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        Value::Instance(inst) => {
            let cls = inst.class.clone();
            match interp.call_special(&v, &cls, "__abs__", Vec::new())? {
                Some(r) => Ok(r),
                None => Err(PyErr::type_error(format!("bad operand type for abs(): '{}'", cls.name))),
            }
        }
        Value::Native(n) => {
            let n = n.clone();
            match n.abs(interp, &v)? {
                Some(r) => Ok(r),
                None => Err(PyErr::type_error(format!("bad operand type for abs(): '{}'", n.type_name()))),
            }
        }
        other => Err(PyErr::type_error(format!("bad operand type for abs(): '{}'", other.type_name()))),
    }
}

fn builtin_round(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [number, ndigits] = args.bind("round", ["number", "ndigits"], 1)?;
    let number = number.unwrap_or(Value::None);
    let ndigits = match ndigits {
        None | Some(Value::None) => None,
        Some(v) => Some(interp.int_arg(&v)?),
    };
    numbers::round(interp, &number, ndigits)
}

fn builtin_sum(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [iterable, start] = args.bind("sum", ["iterable", "start"], 1)?;
    let iterable = iterable.unwrap_or(Value::None);
    let mut acc = start.unwrap_or(Value::Int(0));
    match &acc {
        Value::Str(_) => return Err(PyErr::type_error("sum() can't sum strings [use ''.join(seq) instead]")),
        Value::Bytes(_) => return Err(PyErr::type_error("sum() can't sum bytes [use b''.join(seq) instead]")),
        _ => {}
    }
    let it = interp.iter(&iterable)?;
    while let Some(v) = interp.next(&it)? {
        acc = interp.binary_op(&acc, super::ast::BinOp::Add, &v)?;
    }
    Ok(acc)
}

/// `min`/`max`: one iterable or several arguments, with `key` and `default`.
fn min_max(interp: &mut Interpreter, mut args: CallArgs, name: &str, op: CmpOp) -> PyResult<Value> {
    let key = args.take_kwarg("key").filter(|k| !k.is_none());
    let default = args.take_kwarg("default");
    if let Some((k, _)) = args.kwargs.first() {
        return Err(PyErr::type_error(format!("'{k}' is an invalid keyword argument for {name}()")));
    }
    let items = match args.args.len() {
        0 => return Err(PyErr::type_error(format!("{name} expected at least 1 argument, got 0"))),
        1 => {
            let v = args.args.remove(0);
            interp.collect(&v)?
        }
        _ => {
            if default.is_some() {
                return Err(PyErr::type_error(format!("Cannot specify a default for {name}() with multiple positional arguments")));
            }
            args.args
        }
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => interp.call(f, vec![item.clone()], Vec::new())?,
            None => item.clone(),
        };
        best = match best {
            None => Some((k, item)),
            Some((bk, bv)) => {
                let r = interp.compare(&k, op, &bk)?;
                if interp.truthy(&r)? {
                    Some((k, item))
                } else {
                    Some((bk, bv))
                }
            }
        };
    }
    match best {
        Some((_, v)) => Ok(v),
        None => default.ok_or_else(|| PyErr::value_error(format!("{name}() arg is an empty sequence"))),
    }
}

fn builtin_min(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    min_max(interp, args, "min", CmpOp::Lt)
}

fn builtin_max(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    min_max(interp, args, "max", CmpOp::Gt)
}

/// Sort values by `key` (if any), stably, optionally reversed (as `list.sort`).
pub(crate) fn sort_values(interp: &mut Interpreter, items: Vec<Value>, key: Option<Value>, reverse: bool) -> PyResult<Vec<Value>> {
    let keyed: Vec<(Value, Value)> = match &key {
        Some(f) => {
            let mut v = Vec::with_capacity(items.len());
            for item in items {
                v.push((interp.call(f, vec![item.clone()], Vec::new())?, item));
            }
            v
        }
        None => items.into_iter().map(|x| (x.clone(), x)).collect(),
    };
    let mut keyed = keyed;
    // Reverse sorting keeps stability by reversing before and after.
    if reverse {
        keyed.reverse();
    }
    sort::merge_sort(&mut keyed, &mut |a: &(Value, Value), b: &(Value, Value)| {
        let r = interp.compare(&a.0, CmpOp::Lt, &b.0)?;
        interp.truthy(&r)
    })?;
    if reverse {
        keyed.reverse();
    }
    Ok(keyed.into_iter().map(|(_, v)| v).collect())
}

fn sort_options(args: &mut CallArgs, fname: &str) -> PyResult<(Option<Value>, bool)> {
    let key = args.take_kwarg("key").filter(|k| !k.is_none());
    let reverse = match args.take_kwarg("reverse") {
        Some(v) => super::native::FromValue::from_value(&v)?,
        None => false,
    };
    if let Some((k, _)) = args.kwargs.first() {
        return Err(PyErr::type_error(format!("'{k}' is an invalid keyword argument for {fname}()")));
    }
    Ok((key, reverse))
}

fn builtin_sorted(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let (key, reverse) = sort_options(&mut args, "sort")?;
    if args.args.len() != 1 {
        return Err(PyErr::type_error(format!("sorted expected 1 argument, got {}", args.args.len())));
    }
    let items = interp.collect(&args.args[0])?;
    Ok(Value::list(sort_values(interp, items, key, reverse)?))
}

pub(crate) fn list_sort(interp: &mut Interpreter, list: &Value, mut args: CallArgs) -> PyResult<Value> {
    let (key, reverse) = sort_options(&mut args, "sort")?;
    if !args.args.is_empty() {
        return Err(PyErr::type_error("sort() takes no positional arguments"));
    }
    let Value::List(l) = list else { return Ok(Value::None) };
    interp.check_side_effect("list.sort()")?;
    let items = std::mem::take(&mut *l.items.borrow_mut());
    let sorted = sort_values(interp, items, key, reverse);
    let mut current = l.items.borrow_mut();
    let modified = !current.is_empty();
    match sorted {
        Ok(v) => {
            if modified {
                return Err(PyErr::value_error("list modified during sort"));
            }
            *current = v;
            Ok(Value::None)
        }
        Err(e) => Err(e),
    }
}

fn builtin_reversed(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("reversed")?;
    args.count_between("reversed", 1, 1)?;
    let v = one_arg(args, "reversed")?;
    let n = match &v {
        Value::List(l) => l.items.borrow().len(),
        Value::Tuple(t) => t.items.len(),
        Value::Str(s) => s.char_len(),
        Value::Range(r) => r.len(),
        Value::Dict(_) | Value::DictView(_) => {
            let mut items = interp.collect(&v)?;
            items.reverse();
            return Ok(super::interp::new_iterator(IterState::Values { items, index: 0 }, "dict_reversekeyiterator"));
        }
        Value::Instance(inst) => {
            let cls = inst.class.clone();
            if let Some(r) = interp.call_special(&v, &cls, "__reversed__", Vec::new())? {
                return Ok(r);
            }
            if cls.lookup("__len__").is_some() && cls.lookup("__getitem__").is_some() {
                let n = interp.len(&v)?;
                let mut items = Vec::with_capacity(n);
                for i in (0..n).rev() {
                    items.push(interp.getitem(&v, &Value::Int(i as i64))?);
                }
                return Ok(super::interp::new_iterator(IterState::Values { items, index: 0 }, "reversed"));
            }
            return Err(PyErr::type_error(format!("'{}' object is not reversible", cls.name)));
        }
        other => return Err(PyErr::type_error(format!("'{}' object is not reversible", other.type_name()))),
    };
    let name = match &v {
        Value::List(_) => "list_reverseiterator",
        Value::Range(_) => "range_iterator",
        _ => "reversed",
    };
    Ok(super::interp::new_iterator(IterState::Reversed { seq: v, index: n }, name))
}

fn builtin_enumerate(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [iterable, start] = args.bind("enumerate", ["iterable", "start"], 1)?;
    let inner = interp.iter(&iterable.unwrap_or(Value::None))?;
    let count = match start {
        Some(s) => interp.int_arg(&s)?,
        None => 0,
    };
    Ok(super::interp::new_iterator(IterState::Enumerate { inner, count }, "enumerate"))
}

fn builtin_zip(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let strict = args.take_kwarg("strict");
    if strict.is_some_and(|s| matches!(s, Value::Bool(true))) {
        return Err(PyErr::not_implemented("zip(strict=True) is not supported in the playground"));
    }
    args.no_kwargs("zip")?;
    let mut inners = Vec::with_capacity(args.args.len());
    for a in &args.args {
        inners.push(interp.iter(a)?);
    }
    Ok(super::interp::new_iterator(IterState::Zip { inners }, "zip"))
}

fn builtin_map(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("map")?;
    if args.args.len() < 2 {
        return Err(PyErr::type_error("map() must have at least two arguments."));
    }
    let mut it = args.args.into_iter();
    let func = it.next().unwrap_or(Value::None);
    let mut inners = Vec::new();
    for a in it {
        inners.push(interp.iter(&a)?);
    }
    Ok(super::interp::new_iterator(IterState::Map { func, inners }, "map"))
}

fn builtin_filter(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("filter", 2).map_err(|_| PyErr::type_error(format!("filter expected 2 arguments, got {}", args.args.len())))?;
    let mut it = args.args.into_iter();
    let func = it.next().unwrap_or(Value::None);
    let inner = interp.iter(&it.next().unwrap_or(Value::None))?;
    Ok(super::interp::new_iterator(IterState::Filter { func, inner }, "filter"))
}

fn builtin_any(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "any")?;
    let it = interp.iter(&v)?;
    while let Some(x) = interp.next(&it)? {
        if interp.truthy(&x)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn builtin_all(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "all")?;
    let it = interp.iter(&v)?;
    while let Some(x) = interp.next(&it)? {
        if !interp.truthy(&x)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

/// `isinstance`/`issubclass` second argument: a class, tuple or union.
fn class_matches(cls: &Rc<super::value::Class>, info: &Value, fname: &str) -> PyResult<bool> {
    match info {
        Value::Class(c) => Ok(cls.is_subclass_of(c) || (c.kind == ClassKind::Builtin(BuiltinType::Object))),
        Value::Tuple(t) => {
            for x in t.items.iter() {
                if class_matches(cls, x, fname)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::TypeAlias(a) => match &**a {
            TypeAlias::Union { members: args, .. } => {
                for x in args {
                    if class_matches(cls, x, fname)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            TypeAlias::Generic { .. } => Err(PyErr::type_error(format!("{fname}() argument 2 cannot be a parameterized generic"))),
        },
        _ => Err(PyErr::type_error(format!("{fname}() arg 2 must be a type, a tuple of types, or a union"))),
    }
}

fn builtin_isinstance(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("isinstance", 2).map_err(|_| PyErr::type_error(format!("isinstance expected 2 arguments, got {}", args.args.len())))?;
    let cls = interp.class_of(&args.args[0]);
    Ok(Value::Bool(class_matches(&cls, &args.args[1], "isinstance")?))
}

fn builtin_issubclass(_interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("issubclass", 2).map_err(|_| PyErr::type_error(format!("issubclass expected 2 arguments, got {}", args.args.len())))?;
    let Value::Class(cls) = &args.args[0] else {
        return Err(PyErr::type_error("issubclass() arg 1 must be a class"));
    };
    let cls = cls.clone();
    Ok(Value::Bool(class_matches(&cls, &args.args[1], "issubclass")?))
}

fn attr_name(v: &Value) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.as_str().to_string()),
        other => Err(PyErr::type_error(format!("attribute name must be string, not '{}'", other.type_name()))),
    }
}

fn builtin_getattr(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("getattr")?;
    args.count_between("getattr", 2, 3)?;
    let name = attr_name(&args.args[1])?;
    match args.args.get(2) {
        None => interp.getattr(&args.args[0], &name),
        Some(default) => match interp.lookup_attr(&args.args[0], &name) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Ok(default.clone()),
            Err(e) if e.is(ExcKind::AttributeError) => Ok(default.clone()),
            Err(e) => Err(e),
        },
    }
}

fn builtin_hasattr(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("hasattr", 2).map_err(|_| PyErr::type_error(format!("hasattr expected 2 arguments, got {}", args.args.len())))?;
    let name = attr_name(&args.args[1])?;
    Ok(Value::Bool(interp.hasattr(&args.args[0], &name)?))
}

fn builtin_setattr(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("setattr", 3).map_err(|_| PyErr::type_error(format!("setattr expected 3 arguments, got {}", args.args.len())))?;
    let name = attr_name(&args.args[1])?;
    interp.setattr(&args.args[0], &name, args.args[2].clone())?;
    Ok(Value::None)
}

fn builtin_delattr(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("delattr", 2).map_err(|_| PyErr::type_error(format!("delattr expected 2 arguments, got {}", args.args.len())))?;
    let name = attr_name(&args.args[1])?;
    interp.delattr(&args.args[0], &name)?;
    Ok(Value::None)
}

fn builtin_callable(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "callable")?;
    Ok(Value::Bool(interp.is_callable(&v)))
}

fn builtin_dir(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    // `dir()` with no argument is answered by the evaluator, which sees the frame.
    args.count_between("dir", 0, 1)?;
    let v = one_arg(args, "dir")?;
    let names = interp.attribute_names(&v);
    Ok(Value::list(names.into_iter().map(Value::string).collect()))
}

fn builtin_vars(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.count_between("vars", 0, 1)?;
    let v = one_arg(args, "vars")?;
    match &v {
        Value::Instance(_) | Value::Class(_) | Value::Module(_) | Value::Function(_) => interp.getattr(&v, "__dict__"),
        _ => Err(PyErr::type_error("vars() argument must have __dict__ attribute")),
    }
}

fn builtin_id(_interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "id")?;
    Ok(Value::Int(v.identity() as i64 & i64::MAX))
}

fn builtin_hash(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "hash")?;
    Ok(Value::Int(interp.hash(&v)?))
}

fn builtin_iter(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("iter")?;
    args.count_between("iter", 1, 2)?;
    if args.args.len() == 2 {
        return Err(PyErr::not_implemented("iter(callable, sentinel) is not supported in the playground"));
    }
    let v = one_arg(args, "iter")?;
    interp.iter(&v)
}

fn builtin_next(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("next")?;
    args.count_between("next", 1, 2)?;
    match interp.next(&args.args[0])? {
        Some(v) => Ok(v),
        None => match args.args.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(PyErr::with_args(ExcKind::StopIteration, Vec::new())),
        },
    }
}

fn builtin_chr(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "chr")?;
    let i = interp.int_arg(&v)?;
    let c = u32::try_from(i).ok().filter(|&n| n < 0x110000).ok_or_else(|| PyErr::value_error("chr() arg not in range(0x110000)"))?;
    match char::from_u32(c) {
        Some(ch) => Ok(Value::string(ch.to_string())),
        None => Err(PyErr::not_implemented("surrogate code points are not supported in the playground")),
    }
}

fn builtin_ord(_interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = one_arg(args, "ord")?;
    match &v {
        Value::Str(s) if s.char_len() == 1 => Ok(Value::Int(s.char_at(0).map_or(0, |c| c as i64))),
        Value::Str(s) => Err(PyErr::type_error(format!("ord() expected a character, but string of length {} found", s.char_len()))),
        Value::Bytes(b) if b.0.len() == 1 => Ok(Value::Int(b.0[0] as i64)),
        Value::Bytes(b) => Err(PyErr::type_error(format!("ord() expected a character, but string of length {} found", b.0.len()))),
        other => Err(PyErr::type_error(format!("ord() expected string of length 1, but {} found", other.type_name()))),
    }
}

fn builtin_divmod(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("divmod", 2).map_err(|_| PyErr::type_error(format!("divmod expected 2 arguments, got {}", args.args.len())))?;
    numbers::divmod(interp, &args.args[0], &args.args[1])
}

fn builtin_pow(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [base, exp, modulus] = args.bind("pow", ["base", "exp", "mod"], 2)?;
    let (base, exp) = (base.unwrap_or(Value::None), exp.unwrap_or(Value::None));
    match modulus {
        None | Some(Value::None) => interp.binary_op(&base, super::ast::BinOp::Pow, &exp),
        Some(m) => numbers::pow_mod(&base, &exp, &m),
    }
}

fn builtin_format(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [value, spec] = args.bind("format", ["value", "format_spec"], 1)?;
    let spec = match spec {
        Some(Value::Str(s)) => s.as_str().to_string(),
        None => String::new(),
        Some(other) => return Err(PyErr::type_error(format!("format() argument 2 must be str, not {}", other.type_name()))),
    };
    Ok(Value::string(interp.format_value(&value.unwrap_or(Value::None), &spec)?))
}

fn radix(interp: &mut Interpreter, args: CallArgs, fname: &str, prefix: &str, f: fn(u64) -> String) -> PyResult<Value> {
    let v = one_arg(args, fname)?;
    let i = interp.int_arg(&v)?;
    let sign = if i < 0 { "-" } else { "" };
    Ok(Value::string(format!("{sign}{prefix}{}", f(i.unsigned_abs()))))
}

fn builtin_hex(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    radix(interp, args, "hex", "0x", |n| format!("{n:x}"))
}

fn builtin_oct(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    radix(interp, args, "oct", "0o", |n| format!("{n:o}"))
}

fn builtin_bin(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    radix(interp, args, "bin", "0b", |n| format!("{n:b}"))
}

/// `bytearray(...)` is not supported (bytes are immutable here), but its arguments are read
/// first, as CPython reads them: `bytearray(10**10)` is the MemoryError it is there.
fn builtin_bytearray(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    types::bytes_contents(interp, "bytearray", args)?;
    Err(PyErr::not_implemented("bytearray() is not supported in the playground"))
}

fn builtin_super(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("super")?;
    match args.args.len() {
        0 => Err(PyErr::runtime_error("super(): no arguments")),
        2 => {
            let Value::Class(cls) = &args.args[0] else {
                return Err(PyErr::type_error(format!("super() argument 1 must be a type, not {}", args.args[0].type_name())));
            };
            interp.make_super(cls.clone(), args.args[1].clone())
        }
        1 => Err(PyErr::not_implemented("unbound super objects (super(cls)) are not supported in the playground")),
        n => Err(PyErr::type_error(format!("super() takes at most 2 arguments ({n} given)"))),
    }
}

/// Views and the values they show, for `dict.keys()` and friends.
pub(crate) fn dict_view(d: &Rc<super::value::PyDict>, kind: DictViewKind) -> Value {
    Value::DictView(Rc::new(super::value::DictView { dict: d.clone(), kind }))
}

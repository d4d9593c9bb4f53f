//! Calling the builtin classes (`int(x)`, `str(x)`, `dict(...)`, `type(x)`...),
//! and the methods of `object` and `BaseException`.

use std::rc::Rc;

use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::interp::Interpreter;
use super::super::native::{function, CallArgs};
use super::super::value::{AttrMap, BuiltinType, Class, ClassKind, ClassSpec, Instance, PyRange, PySlice, Value};

/// The bytes that `bytes(...)` (and `bytearray(...)`, named `name`) make of their arguments.
pub(crate) fn bytes_contents(interp: &mut Interpreter, name: &str, args: CallArgs) -> PyResult<Vec<u8>> {
    let [source, encoding, _errors] = args.bind(name, ["source", "encoding", "errors"], 0)?;
    match source {
        None => Ok(Vec::new()),
        Some(Value::Str(s)) => {
            if encoding.is_none() {
                return Err(PyErr::type_error("string argument without an encoding"));
            }
            Ok(s.as_str().as_bytes().to_vec())
        }
        Some(Value::Int(n)) => {
            if n < 0 {
                return Err(PyErr::value_error("negative count"));
            }
            interp.check_alloc(n as usize, 1)?;
            Ok(vec![0; n as usize])
        }
        Some(other) => {
            let items = interp.collect(&other)?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.as_int() {
                    Some(b @ 0..=255) => out.push(b as u8),
                    Some(_) => return Err(PyErr::value_error("bytes must be in range(0, 256)")),
                    None => return Err(super::super::interp::not_an_integer(&item)),
                }
            }
            Ok(out)
        }
    }
}

/// `T(args)` for a builtin type `T`.
pub(crate) fn construct(interp: &mut Interpreter, cls: &Rc<Class>, t: BuiltinType, mut args: CallArgs) -> PyResult<Value> {
    let name = t.name();
    match t {
        BuiltinType::Object => {
            if !args.args.is_empty() || !args.kwargs.is_empty() {
                return Err(PyErr::type_error("object() takes no arguments"));
            }
            Ok(Value::Instance(Rc::new(Instance::new(cls.clone()))))
        }
        BuiltinType::Type => match args.args.len() {
            1 if args.kwargs.is_empty() => Ok(Value::Class(interp.class_of(&args.args[0]))),
            _ => make_type(interp, args),
        },
        BuiltinType::Bool => {
            args.no_kwargs("bool")?;
            args.count_between("bool", 0, 1)?;
            match args.args.first() {
                Some(v) => Ok(Value::Bool(interp.truthy(v)?)),
                None => Ok(Value::Bool(false)),
            }
        }
        BuiltinType::Int => to_int(interp, args),
        BuiltinType::Float => {
            args.no_kwargs("float")?;
            args.count_between("float", 0, 1)?;
            match args.args.first() {
                Some(v) => to_float(interp, v),
                None => Ok(Value::Float(0.0)),
            }
        }
        BuiltinType::Str => {
            let [object, encoding, _errors] = args.bind("str", ["object", "encoding", "errors"], 0)?;
            match (object, encoding) {
                (None, _) => Ok(Value::str("")),
                (Some(Value::Bytes(b)), Some(_)) => decode_utf8(&b.0),
                (Some(v), _) => Ok(Value::string(interp.str(&v)?)),
            }
        }
        BuiltinType::Bytes => Ok(Value::bytes(bytes_contents(interp, "bytes", args)?)),
        BuiltinType::List => {
            args.no_kwargs("list")?;
            args.count_between("list", 0, 1)?;
            match args.args.first() {
                Some(v) => Ok(Value::list(interp.collect(v)?)),
                None => Ok(Value::list(Vec::new())),
            }
        }
        BuiltinType::Tuple => {
            args.no_kwargs("tuple")?;
            args.count_between("tuple", 0, 1)?;
            match args.args.first() {
                Some(Value::Tuple(t)) => Ok(Value::Tuple(t.clone())),
                Some(v) => Ok(Value::tuple(interp.collect(v)?)),
                None => Ok(Value::tuple(Vec::new())),
            }
        }
        BuiltinType::Dict => {
            args.count_between("dict", 0, 1)?;
            let d = Value::empty_dict();
            if let Some(src) = args.args.first() {
                interp.dict_update_from(&d, src)?;
            }
            for (k, v) in std::mem::take(&mut args.kwargs) {
                interp.setitem(&d, &Value::str(&k), v)?;
            }
            Ok(d)
        }
        BuiltinType::Set | BuiltinType::FrozenSet => {
            args.no_kwargs(name)?;
            args.count_between(name, 0, 1)?;
            let frozen = t == BuiltinType::FrozenSet;
            match args.args.first() {
                Some(v) => Ok(Value::Set(interp.set_from_iterable(v, frozen)?)),
                None => Ok(Value::Set(interp.new_set(frozen))),
            }
        }
        BuiltinType::Range => {
            args.no_kwargs("range")?;
            args.count_between("range", 1, 3)?;
            let mut ints = Vec::with_capacity(3);
            for a in &args.args {
                ints.push(interp.int_arg(a)?);
            }
            let (start, stop, step) = match ints.as_slice() {
                [stop] => (0, *stop, 1),
                [start, stop] => (*start, *stop, 1),
                [start, stop, step] => (*start, *stop, *step),
                _ => (0, 0, 1),
            };
            if step == 0 {
                return Err(PyErr::value_error("range() arg 3 must not be zero"));
            }
            Ok(Value::Range(Rc::new(PyRange { start, stop, step })))
        }
        BuiltinType::Slice => {
            args.no_kwargs("slice")?;
            args.count_between("slice", 1, 3)?;
            let a = args.args;
            let (start, stop, step) = match a.len() {
                1 => (Value::None, a[0].clone(), Value::None),
                2 => (a[0].clone(), a[1].clone(), Value::None),
                _ => (a[0].clone(), a[1].clone(), a[2].clone()),
            };
            Ok(Value::Slice(Rc::new(PySlice { start, stop, step })))
        }
        BuiltinType::Property => {
            let [fget, fset, fdel, doc] = args.bind("property", ["fget", "fset", "fdel", "doc"], 0)?;
            let some = |v: Option<Value>| v.filter(|x| !x.is_none());
            Ok(Interpreter::new_property(some(fget), some(fset), some(fdel), some(doc)))
        }
        BuiltinType::StaticMethod => Ok(Value::StaticMethod(Rc::new(single(args, "staticmethod")?))),
        BuiltinType::ClassMethod => Ok(Value::ClassMethod(Rc::new(single(args, "classmethod")?))),
        BuiltinType::Super => {
            let f = interp.builtins().get("super").unwrap_or(Value::None);
            interp.call(&f, args.args, args.kwargs)
        }
        BuiltinType::NoneType | BuiltinType::NotImplementedType | BuiltinType::Ellipsis if args.args.is_empty() && args.kwargs.is_empty() => Ok(match t {
            BuiltinType::NoneType => Value::None,
            BuiltinType::NotImplementedType => Value::NotImplemented,
            _ => Value::Ellipsis,
        }),
        BuiltinType::NoneType | BuiltinType::NotImplementedType | BuiltinType::Ellipsis => Err(PyErr::type_error(format!("{}() takes no arguments", t.name()))),
        _ => Err(PyErr::type_error(format!("cannot create '{}' instances", cls.display_name()))),
    }
}

fn single(args: CallArgs, fname: &str) -> PyResult<Value> {
    args.no_kwargs(fname)?;
    if args.args.len() != 1 {
        return Err(PyErr::type_error(format!("{fname} expected 1 argument, got {}", args.args.len())));
    }
    Ok(args.args.into_iter().next().unwrap_or(Value::None))
}

fn decode_utf8(b: &[u8]) -> PyResult<Value> {
    match std::str::from_utf8(b) {
        Ok(s) => Ok(Value::str(s)),
        Err(e) => Err(PyErr::new(
            ExcKind::UnicodeDecodeError,
            format!("'utf-8' codec can't decode byte 0x{:02x} in position {}: invalid start byte", b[e.valid_up_to()], e.valid_up_to()),
        )),
    }
}

/// `type(name, bases, dict, **kwargs)`: a class made at run time.
fn make_type(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let CallArgs { args: positional, kwargs } = args;
    let [name, bases, dict] = <[Value; 3]>::try_from(positional).map_err(|_| PyErr::type_error("type() takes 1 or 3 arguments"))?;
    let name = name.as_str().map(str::to_string).ok_or_else(|| PyErr::type_error(format!("type.__new__() argument 1 must be str, not {}", name.type_name())))?;
    let Value::Tuple(bases) = bases else {
        return Err(PyErr::type_error(format!("type.__new__() argument 2 must be tuple, not {}", bases.type_name())));
    };
    let Value::Dict(dict) = dict else {
        return Err(PyErr::type_error(format!("type.__new__() argument 3 must be dict, not {}", dict.type_name())));
    };
    let mut base_classes = Vec::new();
    for b in bases.items.iter() {
        match b {
            Value::Class(c) => base_classes.push(c.clone()),
            _ => {
                return Err(PyErr::type_error(
                    "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
                ))
            }
        }
    }
    let mut ns = AttrMap::new();
    for (k, v) in interp.dict_items(&dict) {
        if let Value::Str(s) = k {
            ns.set(s.as_str(), v);
        }
    }
    let module = "__main__";
    ns.set("__module__", Value::str(module));
    let mut spec = ClassSpec::named(&name, module, base_classes, ClassKind::User);
    spec.dict = ns;
    let cls = interp.create_class(spec)?;
    interp.init_subclass(&cls, &kwargs)?;
    Ok(Value::Class(cls))
}

/// `int(x)` / `int(s, base)`.
fn to_int(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [x, base] = args.bind("int", ["x", "base"], 0)?;
    let Some(x) = x else {
        if base.is_some() {
            return Err(PyErr::type_error("int() missing string argument"));
        }
        return Ok(Value::Int(0));
    };
    if let Some(base) = base {
        let b = interp.int_arg(&base)?;
        if b != 0 && !(2..=36).contains(&b) {
            return Err(PyErr::value_error("int() base must be >= 2 and <= 36, or 0"));
        }
        return match &x {
            Value::Str(s) => parse_int(s.as_str(), b as u32),
            Value::Bytes(bs) => parse_int(&String::from_utf8_lossy(&bs.0), b as u32),
            _ => Err(PyErr::type_error("int() can't convert non-string with explicit base")),
        };
    }
    match &x {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => float_to_int(*f),
        Value::Str(s) => parse_int(s.as_str(), 10),
        Value::Bytes(b) => parse_int(&String::from_utf8_lossy(&b.0), 10),
        Value::Instance(inst) => {
            let cls = inst.class.clone();
            for name in ["__int__", "__index__", "__trunc__"] {
                if let Some(r) = interp.call_special(&x, &cls, name, Vec::new())? {
                    return match r {
                        Value::Int(_) | Value::Bool(_) => Ok(Value::Int(r.as_int().unwrap_or(0))),
                        other => Err(PyErr::type_error(format!("{name} returned non-int (type {})", other.type_name()))),
                    };
                }
            }
            Err(PyErr::type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", cls.name)))
        }
        Value::Native(n) => match n.clone().to_int(interp, &x)? {
            Some(v) => Ok(v),
            None => Err(PyErr::type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", n.type_name()))),
        },
        other => Err(PyErr::type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", other.type_name()))),
    }
}

pub(crate) fn float_to_int(f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(PyErr::value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(PyErr::overflow("cannot convert float infinity to integer"));
    }
    let t = f.trunc();
    // i64::MIN as f64 is exact; i64::MAX rounds up to 2**63, which is out of range.
    if !((i64::MIN as f64)..(i64::MAX as f64)).contains(&t) {
        return Err(PyErr::int_overflow());
    }
    Ok(Value::Int(t as i64))
}

/// Parse an integer literal as `int(s, base)` does (whitespace, sign, `_`).
fn parse_int(text: &str, base: u32) -> PyResult<Value> {
    let invalid = || PyErr::value_error(format!("invalid literal for int() with base {base}: {}", super::super::interp::repr_str(text)));
    let s = text.trim();
    let (neg, mut body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let mut radix = base;
    let lower = body.to_ascii_lowercase();
    for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if lower.starts_with(prefix) && (base == r || base == 0) {
            radix = r;
            body = &body[2..];
            if body.starts_with('_') {
                body = &body[1..];
            }
            break;
        }
    }
    if radix == 0 {
        radix = 10;
        if body.len() > 1 && body.starts_with('0') && body.chars().any(|c| c != '0' && c != '_') {
            return Err(invalid());
        }
    }
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return Err(invalid());
    }
    let digits: String = body.chars().filter(|&c| c != '_').collect();
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(invalid());
    }
    match i64::from_str_radix(&format!("{}{digits}", if neg { "-" } else { "" }), radix) {
        Ok(v) => Ok(Value::Int(v)),
        Err(_) => Err(PyErr::int_overflow()),
    }
}

pub(crate) fn to_float(interp: &mut Interpreter, v: &Value) -> PyResult<Value> {
    match v {
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Bool(b) => Ok(Value::Float(*b as i64 as f64)),
        Value::Str(s) => parse_float(s.as_str()).map(Value::Float).ok_or_else(|| PyErr::value_error(format!("could not convert string to float: {}", super::super::interp::repr_str(s.as_str())))),
        Value::Instance(inst) => {
            let cls = inst.class.clone();
            for name in ["__float__", "__index__"] {
                if let Some(r) = interp.call_special(v, &cls, name, Vec::new())? {
                    return match r.as_float() {
                        Some(f) => Ok(Value::Float(f)),
                        None => Err(PyErr::type_error(format!("{name} returned non-float (type {})", r.type_name()))),
                    };
                }
            }
            Err(PyErr::type_error(format!("float() argument must be a string or a real number, not '{}'", cls.name)))
        }
        Value::Native(n) => match n.clone().to_float(interp, v)? {
            Some(f) => Ok(Value::Float(f)),
            None => Err(PyErr::type_error(format!("float() argument must be a string or a real number, not '{}'", n.type_name()))),
        },
        other => Err(PyErr::type_error(format!("float() argument must be a string or a real number, not '{}'", other.type_name()))),
    }
}

/// Parse a float as `float(s)` does.
fn parse_float(text: &str) -> Option<f64> {
    let s = text.trim();
    let lower = s.to_ascii_lowercase();
    let (neg, rest) = match lower.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, lower.strip_prefix('+').unwrap_or(&lower)),
    };
    let special = match rest {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Some(if neg { -v } else { v });
    }
    if rest.is_empty() || rest.starts_with('_') || rest.ends_with('_') || rest.contains("__") || rest.contains("_.") || rest.contains("._") || rest.contains("e_") || rest.contains("_e") {
        return None;
    }
    if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-' | '_')) {
        return None;
    }
    let cleaned: String = rest.chars().filter(|&c| c != '_').collect();
    cleaned.parse::<f64>().ok().map(|v| if neg { -v } else { v })
}

/// Attributes of builtin classes that are not instance methods (`dict.fromkeys`).
pub(crate) fn class_attribute(_interp: &mut Interpreter, t: BuiltinType, name: &str) -> Option<Value> {
    match (t, name) {
        (BuiltinType::Dict, "fromkeys") => Some(
            function("fromkeys", |interp, args| {
                args.no_kwargs("fromkeys")?;
                args.count_between("fromkeys", 1, 2)?;
                let value = args.args.get(1).cloned().unwrap_or(Value::None);
                let d = Value::empty_dict();
                for k in interp.collect(&args.args[0])? {
                    interp.setitem(&d, &k, value.clone())?;
                }
                Ok(d)
            })
            .qualname("dict.fromkeys")
            .build(),
        ),
        _ => None,
    }
}

/// The methods of `object` that user classes inherit (and `super()` reaches).
pub(crate) fn install_object_methods(interp: &mut Interpreter) {
    let object = interp.types.object().clone();
    let methods: Vec<(&str, Value)> = vec![
        (
            "__init__",
            function("__init__", |_, args| {
                if args.args.len() > 1 || !args.kwargs.is_empty() {
                    return Err(PyErr::type_error("object.__init__() takes exactly one argument (the instance to initialize)"));
                }
                Ok(Value::None)
            })
            .method()
            .qualname("object.__init__")
            .build(),
        ),
        (
            "__new__",
            function("__new__", |interp, args| {
                let Some(Value::Class(cls)) = args.args.first() else {
                    return Err(PyErr::type_error("object.__new__(X): X is not a type object"));
                };
                let inst = Rc::new(Instance::new(cls.clone()));
                if let Some(hooks) = cls.inherited_hooks() {
                    hooks.new_instance(interp, &inst)?;
                }
                Ok(Value::Instance(inst))
            })
            .qualname("object.__new__")
            .build(),
        ),
        (
            "__repr__",
            function("__repr__", |_, args| {
                let this = args.receiver()?;
                let name = match this {
                    Value::Instance(i) => i.class.display_name(),
                    other => other.type_name(),
                };
                Ok(Value::string(format!("<{name} object at {:#x}>", this.identity())))
            })
            .method()
            .qualname("object.__repr__")
            .build(),
        ),
        (
            "__str__",
            function("__str__", |interp, args| {
                let this = args.receiver()?.clone();
                Ok(Value::string(interp.repr(&this)?))
            })
            .method()
            .qualname("object.__str__")
            .build(),
        ),
        (
            "__eq__",
            function("__eq__", |_, args| {
                args.exactly("__eq__", 2)?;
                Ok(if super::super::value::same_object(&args.args[0], &args.args[1]) { Value::Bool(true) } else { Value::NotImplemented })
            })
            .method()
            .qualname("object.__eq__")
            .build(),
        ),
        (
            "__ne__",
            function("__ne__", |interp, args| {
                args.exactly("__ne__", 2)?;
                let r = interp.compare(&args.args[0], super::super::ast::CmpOp::Eq, &args.args[1])?;
                Ok(Value::Bool(!interp.truthy(&r)?))
            })
            .method()
            .qualname("object.__ne__")
            .build(),
        ),
        (
            "__hash__",
            function("__hash__", |_, args| {
                let this = args.receiver()?;
                Ok(Value::Int(((this.identity() >> 4) as i64) & i64::MAX))
            })
            .method()
            .qualname("object.__hash__")
            .build(),
        ),
        (
            "__setattr__",
            function("__setattr__", |interp, args| {
                args.exactly("__setattr__", 3)?;
                let Value::Instance(inst) = &args.args[0] else {
                    let name = args.args[1].as_str().unwrap_or("").to_string();
                    return interp.setattr(&args.args[0], &name, args.args[2].clone()).map(|_| Value::None);
                };
                let name = args.args[1].as_str().ok_or_else(|| PyErr::type_error("attribute name must be string"))?;
                inst.set_own(name, args.args[2].clone());
                Ok(Value::None)
            })
            .method()
            .side_effects()
            .qualname("object.__setattr__")
            .build(),
        ),
        (
            "__format__",
            function("__format__", |interp, args| {
                args.exactly("__format__", 2)?;
                let spec = args.args[1].as_str().unwrap_or("");
                if !spec.is_empty() {
                    return Err(PyErr::type_error(format!("unsupported format string passed to {}.__format__", args.args[0].type_name())));
                }
                Ok(Value::string(interp.str(&args.args[0])?))
            })
            .method()
            .qualname("object.__format__")
            .build(),
        ),
    ];
    let mut dict = object.dict.borrow_mut();
    for (name, f) in methods {
        dict.set(name, f);
    }
    dict.set(
        "__init_subclass__",
        Value::ClassMethod(Rc::new(
            function("__init_subclass__", |_, args| {
                if !args.kwargs.is_empty() {
                    let name = match args.args.first() {
                        Some(Value::Class(c)) => c.name.to_string(),
                        _ => "object".into(),
                    };
                    return Err(PyErr::type_error(format!("{name}.__init_subclass__() takes no keyword arguments")));
                }
                Ok(Value::None)
            })
            .build(),
        )),
    );
}

/// `BaseException.__init__`, `__str__`, `__repr__`, `with_traceback`.
pub(crate) fn install_exception_methods(interp: &mut Interpreter) {
    let base = interp.types.exc(ExcKind::BaseException).clone();
    let mut dict = base.dict.borrow_mut();
    dict.set(
        "__init__",
        function("__init__", |_, args| {
            let Some(Value::Instance(inst)) = args.args.first() else { return Ok(Value::None) };
            if let Some(exc) = &inst.exc {
                exc.borrow_mut().args = args.args[1..].to_vec();
            }
            Ok(Value::None)
        })
        .method()
        .qualname("BaseException.__init__")
        .build(),
    );
    dict.set(
        "__str__",
        function("__str__", |interp, args| {
            let this = args.receiver()?.clone();
            let Value::Instance(inst) = &this else { return Ok(Value::str("")) };
            let exc_args = inst.exception_args().unwrap_or_default();
            Ok(Value::string(match exc_args.len() {
                0 => String::new(),
                1 => interp.str(&exc_args[0])?,
                _ => interp.repr(&Value::tuple(exc_args))?,
            }))
        })
        .method()
        .qualname("BaseException.__str__")
        .build(),
    );
    dict.set(
        "__repr__",
        function("__repr__", |interp, args| {
            let this = args.receiver()?.clone();
            let Value::Instance(inst) = &this else { return Ok(Value::str("")) };
            let parts = inst.exception_args().unwrap_or_default().iter().map(|a| interp.repr(a)).collect::<PyResult<Vec<_>>>()?;
            Ok(Value::string(format!("{}({})", inst.class.name, parts.join(", "))))
        })
        .method()
        .qualname("BaseException.__repr__")
        .build(),
    );
    dict.set(
        "with_traceback",
        function("with_traceback", |_, args| Ok(args.args.first().cloned().unwrap_or(Value::None))).method().qualname("BaseException.with_traceback").build(),
    );
}

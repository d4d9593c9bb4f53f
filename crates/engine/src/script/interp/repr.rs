//! `repr()`, `str()` and `format()` of every value, as CPython prints them.

use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::format;
use super::super::value::{ClassKind, DictViewKind, Spelling, TypeAlias, Value};
use super::Interpreter;

/// Escape a string the way `repr(str)` does, with the quotes.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let n = c as u32;
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable` for one character (approximated from Rust's
/// Unicode tables: controls, separators other than space, and format chars).
pub fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xD800..=0xDFFF)
}

/// `repr(bytes)`.
pub fn repr_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::from("b");
    out.push(quote);
    for &x in b {
        match x {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            x if x as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(x as char),
            x => out.push_str(&format!("\\x{x:02x}")),
        }
    }
    out.push(quote);
    out
}

fn address(v: &Value) -> String {
    format!("{:#x}", v.identity())
}

impl Interpreter {
    /// `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        Ok(match v {
            Value::None => "None".into(),
            Value::NotImplemented => "NotImplemented".into(),
            Value::Ellipsis => "Ellipsis".into(),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format::float_repr(*f),
            Value::Str(s) => repr_str(s.as_str()),
            Value::Bytes(b) => repr_bytes(&b.0),
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Set(_) | Value::DictView(_) => return self.repr_container(v),
            Value::Range(r) => {
                if r.step == 1 {
                    format!("range({}, {})", r.start, r.stop)
                } else {
                    format!("range({}, {}, {})", r.start, r.stop, r.step)
                }
            }
            Value::Slice(s) => format!("slice({}, {}, {})", self.repr(&s.start)?, self.repr(&s.stop)?, self.repr(&s.step)?),
            Value::Function(f) => {
                let qualname = match f.dict.borrow().get("__qualname__") {
                    Some(Value::Str(q)) => q.as_str().to_string(),
                    _ => f.def.qualname.to_string(),
                };
                format!("<function {qualname} at {}>", address(v))
            }
            Value::BoundMethod(bm) => {
                let name = match &bm.func {
                    Value::Function(f) => f.def.qualname.to_string(),
                    Value::NativeFunction(nf) => nf.qualname.to_string(),
                    other => other.type_name(),
                };
                if let Value::NativeFunction(nf) = &bm.func {
                    if !matches!(bm.receiver, Value::Instance(_) | Value::Class(_)) {
                        return Ok(format!("<built-in method {} of {} object at {}>", nf.name, bm.receiver.type_name(), address(&bm.receiver)));
                    }
                }
                let recv = bm.receiver.clone();
                format!("<bound method {} of {}>", name, self.repr(&recv)?)
            }
            Value::NativeFunction(nf) => format!("<built-in function {}>", nf.name),
            Value::BuiltinMethod(m) => match &m.receiver {
                Some(r) => format!("<built-in method {} of {} object at {}>", m.name, r.type_name(), address(r)),
                None => format!("<method '{}' of '{}' objects>", m.name, m.owner.name()),
            },
            Value::Class(c) => match c.inherited_hooks() {
                Some(hooks) => match hooks.class_repr(self, c)? {
                    Some(r) => r,
                    None => format!("<class '{}'>", c.display_name()),
                },
                None => format!("<class '{}'>", c.display_name()),
            },
            Value::Module(m) => match &m.file {
                Some(f) => format!("<module '{}' from '{}'>", m.name, f),
                None => format!("<module '{}' (built-in)>", m.name),
            },
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some((_, owner)) = cls.lookup_with_owner("__repr__") {
                    if !self.is_object_class(owner) && !matches!(owner.kind, ClassKind::BuiltinException(_)) {
                        return self.guarded(|interp| {
                            let r = interp.call_special(v, &cls, "__repr__", Vec::new())?.unwrap_or(Value::None);
                            match r {
                                Value::Str(s) => Ok(s.as_str().to_string()),
                                other => Err(PyErr::type_error(format!("__repr__ returned non-string (type {})", other.type_name()))),
                            }
                        });
                    }
                }
                if let Some(args) = inst.exception_args() {
                    let parts = args.iter().map(|a| self.repr(a)).collect::<PyResult<Vec<_>>>()?;
                    return Ok(format!("{}({})", cls.name, parts.join(", ")));
                }
                format!("<{} object at {}>", cls.display_name(), address(v))
            }
            Value::Native(n) => {
                let n = n.clone();
                return self.guarded(|interp| n.repr(interp, v));
            }
            Value::Iterator(it) => {
                if it.type_name == "generator" {
                    format!("<generator object <genexpr> at {}>", address(v))
                } else {
                    format!("<{} object at {}>", it.type_name, address(v))
                }
            }
            Value::Property(_) => format!("<property object at {}>", address(v)),
            Value::StaticMethod(f) => format!("<staticmethod({})>", self.repr(&f.as_ref().clone())?),
            Value::ClassMethod(f) => format!("<classmethod({})>", self.repr(&f.as_ref().clone())?),
            Value::Super(s) => {
                let obj = s.obj.clone();
                format!("<super: <class '{}'>, {}>", s.this_class.name, match &obj {
                    Value::Class(c) => format!("<{} object>", c.name),
                    other => format!("<{} object>", other.type_name()),
                })
            }
            Value::TypeAlias(a) => match &**a {
                TypeAlias::Generic { origin, args, spelling: Spelling::Builtin } => {
                    let mut parts = Vec::with_capacity(args.len());
                    for x in args {
                        parts.push(self.type_repr(x)?);
                    }
                    format!("{}[{}]", self.type_repr(origin)?, parts.join(", "))
                }
                TypeAlias::Generic { args, spelling: Spelling::Typing(name), .. } => {
                    // These forms take values, not types: their strings stay strings.
                    let forward_refs = !matches!(*name, "Annotated" | "Literal");
                    let mut parts = Vec::with_capacity(args.len());
                    for x in args {
                        parts.push(if forward_refs { self.typing_repr(x)? } else { self.type_repr(x)? });
                    }
                    format!("typing.{name}[{}]", parts.join(", "))
                }
                TypeAlias::Union { members, spelling: Spelling::Builtin } => {
                    let mut parts = Vec::with_capacity(members.len());
                    for x in members {
                        parts.push(self.type_repr(x)?);
                    }
                    parts.join(" | ")
                }
                TypeAlias::Union { members, spelling: Spelling::Typing(_) } => {
                    let is_none = |v: &Value| matches!(v, Value::Class(c) if c.kind == ClassKind::Builtin(super::super::value::BuiltinType::NoneType));
                    // A union of one type and None prints as `Optional`.
                    if let [a, b] = members.as_slice() {
                        if is_none(a) != is_none(b) {
                            let other = if is_none(a) { b } else { a };
                            return Ok(format!("typing.Optional[{}]", self.typing_repr(other)?));
                        }
                    }
                    let mut parts = Vec::with_capacity(members.len());
                    for x in members {
                        parts.push(self.typing_repr(x)?);
                    }
                    format!("typing.Union[{}]", parts.join(", "))
                }
            },
        })
    }

    /// How types appear inside `list[int]` / `int | None`.
    fn type_repr(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Class(c) if c.kind == ClassKind::Builtin(super::super::value::BuiltinType::NoneType) => Ok("None".into()),
            Value::Class(c) => Ok(if &*c.module == "builtins" { c.qualname.to_string() } else { format!("{}.{}", c.module, c.qualname) }),
            Value::None => Ok("None".into()),
            Value::Ellipsis => Ok("...".into()),
            other => self.repr(other),
        }
    }

    /// How types appear inside `typing.List[...]`: `NoneType`, string forward
    /// references as typing makes them (`ForwardRef('User')`), `Callable`'s argument list.
    fn typing_repr(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Class(c) if c.kind == ClassKind::Builtin(super::super::value::BuiltinType::NoneType) => Ok("NoneType".into()),
            Value::Str(s) => Ok(format!("ForwardRef({})", repr_str(s.as_str()))),
            Value::List(items) => {
                let items = items.items.borrow().clone();
                let mut parts = Vec::with_capacity(items.len());
                for x in &items {
                    parts.push(self.typing_repr(x)?);
                }
                Ok(format!("[{}]", parts.join(", ")))
            }
            other => self.type_repr(other),
        }
    }

    /// Run a repr that may recurse into user code, with recursion protection.
    fn guarded(&mut self, f: impl FnOnce(&mut Interpreter) -> PyResult<String>) -> PyResult<String> {
        self.enter_repr()?;
        let r = f(self);
        self.nesting -= 1;
        r
    }

    fn enter_repr(&mut self) -> PyResult<()> {
        if self.guard.exceeded() || self.enter_nesting().is_err() {
            return Err(PyErr::new(ExcKind::RecursionError, "maximum recursion depth exceeded while getting the repr of an object"));
        }
        Ok(())
    }

    fn repr_container(&mut self, v: &Value) -> PyResult<String> {
        let id = v.identity();
        if self.repr_stack.contains(&id) {
            return Ok(match v {
                Value::List(_) => "[...]",
                Value::Tuple(_) => "(...)",
                Value::Dict(_) => "{...}",
                _ => "...",
            }
            .into());
        }
        self.enter_repr()?;
        self.repr_stack.push(id);
        let r = self.repr_container_inner(v);
        self.repr_stack.pop();
        self.nesting -= 1;
        r
    }

    fn repr_container_inner(&mut self, v: &Value) -> PyResult<String> {
        let join = |interp: &mut Interpreter, items: &[Value]| -> PyResult<String> {
            let mut out = String::new();
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&interp.repr(x)?);
            }
            Ok(out)
        };
        Ok(match v {
            Value::List(l) => {
                let items = l.items.borrow().clone();
                format!("[{}]", join(self, &items)?)
            }
            Value::Tuple(t) => {
                let t = t.clone();
                if t.items.len() == 1 {
                    format!("({},)", self.repr(&t.items[0])?)
                } else {
                    format!("({})", join(self, &t.items)?)
                }
            }
            Value::Dict(d) => {
                let items = self.dict_items(d);
                let mut out = String::from("{");
                for (i, (k, val)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&self.repr(k)?);
                    out.push_str(": ");
                    out.push_str(&self.repr(val)?);
                }
                out.push('}');
                out
            }
            Value::Set(s) => {
                let items: Vec<Value> = s.table.borrow().iter().map(|(_, k)| k.clone()).collect();
                match (s.frozen, items.is_empty()) {
                    (false, true) => "set()".into(),
                    (true, true) => "frozenset()".into(),
                    (false, false) => format!("{{{}}}", join(self, &items)?),
                    (true, false) => format!("frozenset({{{}}})", join(self, &items)?),
                }
            }
            Value::DictView(view) => {
                let items = self.collect(v)?;
                let name = match view.kind {
                    DictViewKind::Keys => "dict_keys",
                    DictViewKind::Values => "dict_values",
                    DictViewKind::Items => "dict_items",
                };
                format!("{name}([{}])", join(self, &items)?)
            }
            _ => String::new(),
        })
    }

    /// `str(v)`.
    pub fn str(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Str(s) => Ok(s.as_str().to_string()),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some((_, owner)) = cls.lookup_with_owner("__str__") {
                    if !self.is_object_class(owner) && !matches!(owner.kind, ClassKind::BuiltinException(_)) {
                        let r = self.call_special(v, &cls, "__str__", Vec::new())?.unwrap_or(Value::None);
                        return match r {
                            Value::Str(s) => Ok(s.as_str().to_string()),
                            other => Err(PyErr::type_error(format!("__str__ returned non-string (type {})", other.type_name()))),
                        };
                    }
                }
                if let Some(args) = inst.exception_args() {
                    if cls.exc_kind() == Some(ExcKind::KeyError) && args.len() == 1 {
                        return self.repr(&args[0]);
                    }
                    return match args.len() {
                        0 => Ok(String::new()),
                        1 => self.str(&args[0]),
                        _ => self.repr(&Value::tuple(args)),
                    };
                }
                self.repr(v)
            }
            Value::Native(n) => {
                let n = n.clone();
                n.str(self, v)
            }
            _ => self.repr(v),
        }
    }

    /// `format(v, spec)`.
    pub fn format_value(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        if let Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::Float(_) = v {
            self.check_alloc(format::requested_len(spec, !matches!(v, Value::Str(_))), 1)?;
        }
        match v {
            Value::Str(s) => format::format_str(s.as_str(), spec),
            Value::Int(i) => format::format_int(*i, spec),
            Value::Bool(b) => {
                if spec.is_empty() {
                    Ok(if *b { "True" } else { "False" }.into())
                } else {
                    format::format_int(*b as i64, spec)
                }
            }
            Value::Float(f) => format::format_float(*f, spec),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some((_, owner)) = cls.lookup_with_owner("__format__") {
                    if !self.is_object_class(owner) {
                        let r = self.call_special(v, &cls, "__format__", vec![Value::str(spec)])?.unwrap_or(Value::None);
                        return match r {
                            Value::Str(s) => Ok(s.as_str().to_string()),
                            other => Err(PyErr::type_error(format!("__format__ must return a str, not {}", other.type_name()))),
                        };
                    }
                }
                if spec.is_empty() {
                    self.str(v)
                } else {
                    Err(PyErr::type_error(format!("unsupported format string passed to {}.__format__", cls.name)))
                }
            }
            Value::Native(n) => {
                let n = n.clone();
                match n.format(self, v, spec)? {
                    Some(s) => Ok(s),
                    None if spec.is_empty() => n.str(self, v),
                    None => Err(PyErr::type_error(format!("unsupported format string passed to {}.__format__", n.type_name()))),
                }
            }
            other => {
                if spec.is_empty() {
                    self.str(other)
                } else {
                    Err(PyErr::type_error(format!("unsupported format string passed to {}.__format__", other.type_name())))
                }
            }
        }
    }
}

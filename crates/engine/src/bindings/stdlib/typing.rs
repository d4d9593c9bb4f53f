//! `typing`: the names model and form annotations use. Subscriptions build the
//! interpreter's own annotation values, so the ORM sees one shape whatever the
//! spelling: `List[int]` is `list[int]`, `Optional[str]`, `Union[str, None]`
//! and `str | None` are the same union (of `str` and `NoneType`), and string
//! forward references stay strings. The values remember the spelling for their
//! repr: `typing.List[int]`, `typing.Optional[str]`, `typing.List[ForwardRef('User')]`.

use std::rc::Rc;

use crate::script::value::{same_object, BuiltinType, Spelling, TypeAlias};
use crate::script::{Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

/// What subscribing a special name does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `List[int]` → `list[int]` (with the number of parameters expected, if fixed).
    Alias(BuiltinType, Option<usize>),
    Optional,
    Union,
    /// `ClassVar[int]`, `Annotated[int, ...]`...: kept with this name as origin.
    Wrapper,
    /// Not subscriptable (`Any`).
    Plain,
}

struct Special {
    name: &'static str,
    form: Form,
}

const SPECIALS: &[(&str, Form)] = &[
    ("List", Form::Alias(BuiltinType::List, Some(1))),
    ("Dict", Form::Alias(BuiltinType::Dict, Some(2))),
    ("Set", Form::Alias(BuiltinType::Set, Some(1))),
    ("FrozenSet", Form::Alias(BuiltinType::FrozenSet, Some(1))),
    ("Tuple", Form::Alias(BuiltinType::Tuple, None)),
    ("Type", Form::Alias(BuiltinType::Type, Some(1))),
    ("Optional", Form::Optional),
    ("Union", Form::Union),
    ("Any", Form::Plain),
    ("Callable", Form::Wrapper),
    ("ClassVar", Form::Wrapper),
    ("Annotated", Form::Wrapper),
    ("Final", Form::Wrapper),
    ("Literal", Form::Wrapper),
];

/// Subscription arguments as a list (`X[a, b]` passes the tuple `(a, b)`).
fn arguments(key: &Value) -> Vec<Value> {
    match key {
        Value::Tuple(t) => t.items.to_vec(),
        other => vec![other.clone()],
    }
}

/// `None` in a type position means `NoneType`.
fn as_type(interp: &Interpreter, v: Value) -> Value {
    if v.is_none() {
        Value::Class(interp.builtin_class(BuiltinType::NoneType))
    } else {
        v
    }
}

/// The members of a union, flattened and without duplicates; a single
/// member is returned as itself (`Union[int]` is `int`).
fn union(interp: &Interpreter, members: Vec<Value>) -> Value {
    let mut unique: Vec<Value> = Vec::new();
    for m in members {
        let m = as_type(interp, m);
        let inner = match &m {
            Value::TypeAlias(a) => match &**a {
                TypeAlias::Union { members: args, .. } => args.clone(),
                TypeAlias::Generic { .. } => vec![m.clone()],
            },
            _ => vec![m.clone()],
        };
        for x in inner {
            if !unique.iter().any(|u| same_object(u, &x)) {
                unique.push(x);
            }
        }
    }
    if unique.len() == 1 {
        return unique.remove(0);
    }
    Value::TypeAlias(Rc::new(TypeAlias::Union { members: unique, spelling: Spelling::Typing("Union") }))
}

impl NativeObject for Special {
    fn type_name(&self) -> &str {
        match self.form {
            Form::Alias(..) => "typing._SpecialGenericAlias",
            _ => "typing._SpecialForm",
        }
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("typing.{}", self.name))
    }

    fn hash(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<i64> {
        Ok((this.identity() >> 4) as i64)
    }

    fn get_item(&self, interp: &mut Interpreter, this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let args = arguments(key);
        Ok(Some(match self.form {
            Form::Alias(t, expected) => {
                if let Some(n) = expected {
                    if args.len() != n {
                        let which = if args.len() > n { "many" } else { "few" };
                        return Err(PyErr::type_error(format!("Too {which} arguments for typing.{}; actual {}, expected {n}", self.name, args.len())));
                    }
                }
                let args = args.into_iter().map(|a| as_type(interp, a)).collect();
                Value::TypeAlias(Rc::new(TypeAlias::Generic { origin: Value::Class(interp.builtin_class(t)), args, spelling: Spelling::Typing(self.name) }))
            }
            Form::Optional => {
                if args.len() != 1 {
                    let shown = interp.repr(key)?;
                    return Err(PyErr::type_error(format!("typing.Optional requires a single type. Got {shown}.")));
                }
                let none = Value::Class(interp.builtin_class(BuiltinType::NoneType));
                union(interp, args.into_iter().chain([none]).collect())
            }
            Form::Union => union(interp, args),
            Form::Wrapper => Value::TypeAlias(Rc::new(TypeAlias::Generic { origin: this.clone(), args, spelling: Spelling::Typing(self.name) })),
            Form::Plain => return Err(PyErr::type_error(format!("type '{}' is not subscriptable", self.name))),
        }))
    }
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("typing", |_| {
        let mut m = ModuleBuilder::new("typing");
        for (name, form) in SPECIALS {
            m = m.value(name, Value::Native(Rc::new(Special { name, form: *form })));
        }
        Ok(m.value("TYPE_CHECKING", false)
            .function("cast", |_, args| {
                let [_typ, val] = args.bind("cast", ["typ", "val"], 2)?;
                Ok(val.unwrap_or(Value::None))
            })
            .build())
    });
}

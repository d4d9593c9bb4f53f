//! `enum`: `Enum`, `IntEnum`, `StrEnum`, `auto()` and `unique`, as CPython 3.11
//! behaves. A `class` deriving from `Enum` has its body's plain values turned
//! into members (instances of the class with `_name_` and `_value_`) when the
//! class is made; the class itself then iterates, counts, subscripts by name,
//! calls by value and refuses reassignment through the interpreter's class
//! hooks (what CPython's `EnumType` metaclass does). A data type mixed in
//! (`IntEnum`, `StrEnum`, `class Status(str, Enum)`) makes members compare, hash
//! and compute like their values.
//!
//! Host API for column types: [`enum_member_name`], [`enum_member_names`],
//! [`enum_member_by_name`].

use std::rc::Rc;

use crate::script::ast::{BinOp, CmpOp};
use crate::script::value::hash::hash_str;
use crate::script::value::{BuiltinType, Class, Instance, Property};
use crate::script::{function, iterator_from_values, CallArgs, ClassBuilder, ClassHooks, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

use super::native::cached;

/// The members of an enum class (its host data).
struct EnumInfo {
    /// Canonical members, in definition order.
    members: Vec<Rc<Instance>>,
    /// Every name, aliases included, in definition order, with its member.
    names: Vec<(Rc<str>, Rc<Instance>)>,
}

/// The module's classes, kept to recognise enums, `auto()` markers and data types.
#[derive(Clone)]
struct EnumClasses {
    enum_class: Rc<Class>,
    int_enum: Rc<Class>,
    str_enum: Rc<Class>,
    auto: Rc<Class>,
}

/// The data type an enum's members behave as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DataType {
    None,
    Int,
    Str,
    Float,
}

fn classes(interp: &mut Interpreter) -> PyResult<EnumClasses> {
    cached(interp, build_classes)
}

fn build_classes(interp: &mut Interpreter) -> PyResult<EnumClasses> {
    let enum_class = ClassBuilder::new("Enum", "enum")
        .method("__repr__", |interp, args| {
            let (member, cls) = member_of(&args)?;
            let value = interp.repr(&field(&member, "_value_"))?;
            Ok(Value::str(&format!("<{}.{}: {value}>", cls.name, name_of(&member))))
        })
        .method("__str__", |interp, args| {
            let (member, cls) = member_of(&args)?;
            if shows_value(interp, &cls)? {
                return Ok(Value::str(&interp.str(&field(&member, "_value_"))?));
            }
            Ok(Value::str(&format!("{}.{}", cls.name, name_of(&member))))
        })
        .method("__format__", |interp, args| {
            let (member, cls) = member_of(&args)?;
            let spec = args.get(1).and_then(Value::as_str).unwrap_or("").to_string();
            if spec.is_empty() || data_type(interp, &cls) == DataType::None {
                let this = args.receiver()?.clone();
                return Ok(Value::str(&interp.str(&this)?));
            }
            Ok(Value::str(&interp.format_value(&field(&member, "_value_"), &spec)?))
        })
        .attr("__hash__", hash_method())
        .attr("name", field_property("name", "_name_"))
        .attr("value", field_property("value", "_value_"))
        .hooks(EnumHooks)
        .build(interp)?;
    let int_enum = data_type_class("IntEnum", &enum_class, interp)?;
    let str_enum = data_type_class("StrEnum", &enum_class, interp)?;
    let auto = ClassBuilder::new("auto", "enum")
        .method("__repr__", |_, _| Ok(Value::str("auto(_auto_null)")))
        .build(interp)?;
    Ok(EnumClasses { enum_class, int_enum, str_enum, auto })
}

/// `IntEnum` / `StrEnum`: an enum whose members behave as their values.
fn data_type_class(name: &str, enum_class: &Rc<Class>, interp: &Interpreter) -> PyResult<Rc<Class>> {
    let mut builder = ClassBuilder::new(name, "enum").base(enum_class);
    for (method, value) in data_type_methods() {
        builder = builder.attr(&method, value);
    }
    builder.build(interp)
}

/// `hash(member)`: its name's for plain enums, its value's when a data type is mixed in
/// (so `{1: 'one'}[Level.LOW]` finds the entry).
fn hash_method() -> Value {
    function("__hash__", |interp, args| {
        let (member, cls) = member_of(&args)?;
        if data_type(interp, &cls) == DataType::None {
            return Ok(Value::Int(hash_str(&name_of(&member))));
        }
        Ok(Value::Int(interp.hash(&field(&member, "_value_"))?))
    })
    .method()
    .build()
}

/// `name` / `value`: read-only properties over the member's `_name_` / `_value_`.
fn field_property(name: &str, slot: &'static str) -> Value {
    let getter = function(name, move |_, args| {
        let (member, _) = member_of(&args)?;
        Ok(field(&member, slot))
    })
    .build();
    Value::Property(Rc::new(Property { fget: Some(getter), fset: None, fdel: None, doc: None }))
}

/// The member a method was called on, and its class.
fn member_of(args: &CallArgs) -> PyResult<(Rc<Instance>, Rc<Class>)> {
    match args.receiver()? {
        Value::Instance(inst) => Ok((inst.clone(), inst.class.clone())),
        other => Err(PyErr::type_error(format!("descriptor requires an 'Enum' object but received a '{}'", other.type_name()))),
    }
}

fn field(member: &Instance, slot: &str) -> Value {
    member.get_own(slot).unwrap_or(Value::None)
}

fn name_of(member: &Instance) -> String {
    field(member, "_name_").as_str().unwrap_or_default().to_string()
}

/// The data type in the class's ancestry (`int` for `IntEnum` and `(int, Enum)`).
fn data_type(interp: &mut Interpreter, cls: &Class) -> DataType {
    let Ok(known) = classes(interp) else { return DataType::None };
    let int = interp.builtin_class(BuiltinType::Int);
    let str_class = interp.builtin_class(BuiltinType::Str);
    let float = interp.builtin_class(BuiltinType::Float);
    if cls.is_subclass_of(&known.int_enum) || cls.is_subclass_of(&int) {
        DataType::Int
    } else if cls.is_subclass_of(&known.str_enum) || cls.is_subclass_of(&str_class) {
        DataType::Str
    } else if cls.is_subclass_of(&float) {
        DataType::Float
    } else {
        DataType::None
    }
}

/// `IntEnum` and `StrEnum` print their values (`str(Level.HIGH)` is `10`); mixed-in
/// enums print `Cls.member` like plain ones.
fn shows_value(interp: &mut Interpreter, cls: &Class) -> PyResult<bool> {
    let known = classes(interp)?;
    Ok(cls.is_subclass_of(&known.int_enum) || cls.is_subclass_of(&known.str_enum))
}

/// The value a data-type enum member stands for (other values as they are).
fn unwrap_member(v: &Value) -> Value {
    match v {
        Value::Instance(inst) if inst.class.host_data_as::<EnumInfo>().is_some() => inst.get_own("_value_").unwrap_or_else(|| v.clone()),
        other => other.clone(),
    }
}

/// The methods that make members of a data-type enum act as their values:
/// comparisons, arithmetic, conversions, and the value's own attributes.
fn data_type_methods() -> Vec<(String, Value)> {
    // Defining `__eq__` alone would make members unhashable.
    let mut methods = vec![("__hash__".to_string(), hash_method())];
    let comparisons =
        [("__eq__", CmpOp::Eq), ("__ne__", CmpOp::NotEq), ("__lt__", CmpOp::Lt), ("__le__", CmpOp::LtE), ("__gt__", CmpOp::Gt), ("__ge__", CmpOp::GtE)];
    for (name, op) in comparisons {
        methods.push((
            name.to_string(),
            function(name, move |interp, args| {
                args.exactly(name, 2)?;
                let (this, other) = (unwrap_member(&args.args[0]), unwrap_member(&args.args[1]));
                interp.compare(&this, op, &other)
            })
            .method()
            .build(),
        ));
    }
    let operators = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::FloorDiv,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::LShift,
        BinOp::RShift,
        BinOp::BitOr,
        BinOp::BitXor,
        BinOp::BitAnd,
    ];
    for op in operators {
        let (name, reflected) = op.dunder();
        for (dunder, swap) in [(name, false), (reflected, true)] {
            methods.push((
                dunder.to_string(),
                function(dunder, move |interp, args| {
                    args.exactly(dunder, 2)?;
                    let (this, other) = (unwrap_member(&args.args[0]), unwrap_member(&args.args[1]));
                    if swap {
                        interp.binary_op(&other, op, &this)
                    } else {
                        interp.binary_op(&this, op, &other)
                    }
                })
                .method()
                .build(),
            ));
        }
    }
    let conversions: [(&str, BuiltinType); 4] = [("__int__", BuiltinType::Int), ("__index__", BuiltinType::Int), ("__float__", BuiltinType::Float), ("__bool__", BuiltinType::Bool)];
    for (name, target) in conversions {
        methods.push((
            name.to_string(),
            function(name, move |interp, args| {
                let this = unwrap_member(args.receiver()?);
                let class = Value::Class(interp.builtin_class(target));
                interp.call(&class, vec![this], Vec::new())
            })
            .method()
            .build(),
        ));
    }
    methods.push((
        "__len__".to_string(),
        function("__len__", |interp, args| {
            let this = unwrap_member(args.receiver()?);
            Ok(Value::Int(interp.len(&this)? as i64))
        })
        .method()
        .build(),
    ));
    methods.push((
        "__getattr__".to_string(),
        function("__getattr__", |interp, args| {
            args.exactly("__getattr__", 2)?;
            let this = unwrap_member(&args.args[0]);
            let name = args.args[1].as_str().unwrap_or_default().to_string();
            interp.getattr(&this, &name)
        })
        .method()
        .build(),
    ));
    methods
}

/// What `EnumType` does: members made at class creation, and the class-level protocol.
struct EnumHooks;

impl ClassHooks for EnumHooks {
    fn accepts_data_type(&self) -> bool {
        true
    }

    fn init_subclass(&self, interp: &mut Interpreter, cls: &Rc<Class>, _kwargs: &[(Rc<str>, Value)]) -> PyResult<()> {
        for ancestor in cls.ancestors() {
            if ancestor.host_data_as::<EnumInfo>().is_some_and(|info| !info.members.is_empty()) {
                return Err(PyErr::type_error(format!("<enum '{}'> cannot extend <enum '{}'>", cls.name, ancestor.name)));
            }
        }
        let known = classes(interp)?;
        let data = data_type(interp, cls);
        // A mixed-in data type contributes the same behaviour IntEnum / StrEnum carry.
        if data != DataType::None && !cls.is_subclass_of(&known.int_enum) && !cls.is_subclass_of(&known.str_enum) {
            for (name, method) in data_type_methods() {
                if cls.own_attr(&name).is_none() {
                    cls.set_attr(&name, method);
                }
            }
        }
        let strict_str = cls.is_subclass_of(&known.str_enum);
        let mut info = EnumInfo { members: Vec::new(), names: Vec::new() };
        for (name, raw) in cls.namespace() {
            if !is_member_candidate(&name, &raw) {
                continue;
            }
            let mut value = match &raw {
                Value::Instance(inst) if Rc::ptr_eq(&inst.class, &known.auto) => next_value(interp, cls, &name, &info, strict_str)?,
                other => other.clone(),
            };
            value = match data {
                DataType::Int => interp.call(&Value::Class(interp.builtin_class(BuiltinType::Int)), vec![value], Vec::new())?,
                DataType::Float => interp.call(&Value::Class(interp.builtin_class(BuiltinType::Float)), vec![value], Vec::new())?,
                DataType::Str if strict_str && value.as_str().is_none() => {
                    return Err(PyErr::type_error(format!("{} is not a string", interp.repr(&value)?)));
                }
                DataType::Str => Value::str(&interp.str(&value)?),
                DataType::None => value,
            };
            let mut alias_of = None;
            for existing in &info.members {
                if interp.eq(&field(existing, "_value_"), &value)? {
                    alias_of = Some(existing.clone());
                    break;
                }
            }
            let member = match alias_of {
                Some(existing) => existing,
                None => {
                    let member = interp.new_instance(cls);
                    member.set_own("_value_", value.clone());
                    member.set_own("_name_", Value::str(&name));
                    initialize_member(interp, cls, &member, &value)?;
                    info.members.push(member.clone());
                    member
                }
            };
            cls.set_attr(&name, Value::Instance(member.clone()));
            info.names.push((name, member));
        }
        let members_map = Value::empty_dict();
        for (name, member) in &info.names {
            interp.setitem(&members_map, &Value::str(name), Value::Instance(member.clone()))?;
        }
        cls.set_attr("__members__", Value::Native(Rc::new(MappingProxy { dict: members_map })));
        cls.set_attr("_member_names_", Value::list(info.members.iter().map(|m| Value::str(&name_of(m))).collect()));
        cls.set_host_data(Rc::new(info));
        Ok(())
    }

    fn call_class(&self, interp: &mut Interpreter, cls: &Rc<Class>, args: &CallArgs) -> PyResult<Option<Value>> {
        if args.args.len() != 1 || !args.kwargs.is_empty() {
            return Err(PyErr::not_implemented(format!(
                "{}(...) with {} arguments: the functional Enum API is not supported in the playground (use a class statement)",
                cls.name,
                args.args.len() + args.kwargs.len()
            )));
        }
        let value = &args.args[0];
        if let Value::Instance(inst) = value {
            if inst.class.is_subclass_of(cls) && inst.get_own("_name_").is_some() {
                return Ok(Some(value.clone()));
            }
        }
        let members = cls.host_data_as::<EnumInfo>().map(|info| info.members.clone()).unwrap_or_default();
        for member in &members {
            if interp.eq(&field(member, "_value_"), value)? {
                return Ok(Some(Value::Instance(member.clone())));
            }
        }
        if let Some((missing, owner)) = cls.lookup_with_owner("_missing_") {
            if &*owner.module != "enum" {
                let bound = match missing {
                    Value::ClassMethod(f) => (*f).clone(),
                    other => other,
                };
                let found = interp.call(&bound, vec![Value::Class(cls.clone()), value.clone()], Vec::new())?;
                if let Value::Instance(inst) = &found {
                    if inst.class.is_subclass_of(cls) {
                        return Ok(Some(found));
                    }
                }
            }
        }
        Err(PyErr::value_error(format!("{} is not a valid {}", interp.repr(value)?, cls.qualname)))
    }

    fn class_getitem(&self, _interp: &mut Interpreter, cls: &Rc<Class>, key: &Value) -> PyResult<Option<Value>> {
        let info = cls.host_data_as::<EnumInfo>();
        let found = key.as_str().and_then(|name| info.as_ref()?.names.iter().find(|(n, _)| &**n == name).map(|(_, m)| m.clone()));
        match found {
            Some(member) => Ok(Some(Value::Instance(member))),
            None => Err(PyErr::key_error(key.clone())),
        }
    }

    fn class_is_iterable(&self) -> bool {
        true
    }

    fn class_iter(&self, _interp: &mut Interpreter, cls: &Rc<Class>) -> PyResult<Option<Value>> {
        let members = cls.host_data_as::<EnumInfo>().map(|info| info.members.iter().map(|m| Value::Instance(m.clone())).collect()).unwrap_or_default();
        Ok(Some(iterator_from_values(members)))
    }

    fn class_len(&self, _interp: &mut Interpreter, cls: &Rc<Class>) -> PyResult<Option<usize>> {
        Ok(Some(cls.host_data_as::<EnumInfo>().map_or(0, |info| info.members.len())))
    }

    fn class_contains(&self, interp: &mut Interpreter, cls: &Rc<Class>, item: &Value) -> PyResult<Option<bool>> {
        let known = classes(interp)?;
        match item {
            Value::Instance(inst) if inst.class.is_subclass_of(&known.enum_class) => {
                let info = cls.host_data_as::<EnumInfo>();
                Ok(Some(info.is_some_and(|info| info.members.iter().any(|m| Rc::ptr_eq(m, inst)))))
            }
            other => {
                let item_type = interp.class_of(other).qualname.clone();
                Err(PyErr::type_error(format!("unsupported operand type(s) for 'in': '{item_type}' and 'EnumType'")))
            }
        }
    }

    fn class_repr(&self, _interp: &mut Interpreter, cls: &Rc<Class>) -> PyResult<Option<String>> {
        Ok(Some(format!("<enum '{}'>", cls.name)))
    }

    fn class_setattr(&self, _interp: &mut Interpreter, cls: &Rc<Class>, name: &str, value: Option<&Value>) -> PyResult<()> {
        let is_member = cls.host_data_as::<EnumInfo>().is_some_and(|info| info.names.iter().any(|(n, _)| &**n == name));
        if !is_member {
            return Ok(());
        }
        Err(PyErr::attribute_error(match value {
            Some(_) => format!("cannot reassign member '{name}'"),
            None => format!("'{}' cannot delete member '{name}'.", cls.name),
        }))
    }
}

/// Whether a class-body entry becomes a member: not a dunder or `_sunder_` name, not a
/// descriptor (function, property, class/static method).
fn is_member_candidate(name: &str, value: &Value) -> bool {
    // `__dunder__` and `__private` names, and `_sunder_` ones.
    let sunder = name.len() > 2 && name.starts_with('_') && name.ends_with('_');
    if name.starts_with("__") || sunder {
        return false;
    }
    !matches!(value, Value::Function(_) | Value::NativeFunction(_) | Value::Property(_) | Value::ClassMethod(_) | Value::StaticMethod(_))
}

/// The value `auto()` stands for: the class's `_generate_next_value_` if it defines
/// one, else the lowercased name (`StrEnum`) or one more than the last integer value.
fn next_value(interp: &mut Interpreter, cls: &Rc<Class>, name: &str, info: &EnumInfo, lowercase: bool) -> PyResult<Value> {
    let last_values: Vec<Value> = info.members.iter().map(|m| field(m, "_value_")).collect();
    if let Some((generate, owner)) = cls.lookup_with_owner("_generate_next_value_") {
        if &*owner.module != "enum" {
            let generate = match generate {
                Value::StaticMethod(f) => (*f).clone(),
                other => other,
            };
            let args = vec![Value::str(name), Value::Int(1), Value::Int(info.names.len() as i64), Value::list(last_values)];
            return interp.call(&generate, args, Vec::new());
        }
    }
    if lowercase {
        return Ok(Value::str(&name.to_lowercase()));
    }
    for last in last_values.iter().rev() {
        if let Some(n) = last.as_int() {
            return Ok(Value::Int(n.saturating_add(1)));
        }
    }
    Ok(Value::Int(1))
}

/// Run a user-defined `__init__` on a new member with the value (a tuple value is
/// spread into arguments, as `Planet.EARTH = (5.97, 6.37)` expects).
fn initialize_member(interp: &mut Interpreter, cls: &Rc<Class>, member: &Rc<Instance>, value: &Value) -> PyResult<()> {
    let Some((_, owner)) = cls.lookup_with_owner("__init__") else { return Ok(()) };
    if &*owner.module == "enum" || owner.kind != crate::script::value::ClassKind::User {
        return Ok(());
    }
    let args = match value {
        Value::Tuple(t) => t.items.to_vec(),
        other => vec![other.clone()],
    };
    let init = interp.getattr(&Value::Instance(member.clone()), "__init__")?;
    interp.call(&init, args, Vec::new())?;
    Ok(())
}

/// `Cls.__members__`: a read-only view of the name → member mapping.
struct MappingProxy {
    dict: Value,
}

impl NativeObject for MappingProxy {
    fn type_name(&self) -> &str {
        "mappingproxy"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        match name {
            "keys" | "values" | "items" | "get" | "copy" => interp.getattr(&self.dict, name).map(Some),
            _ => Ok(None),
        }
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("mappingproxy({})", interp.repr(&self.dict)?))
    }

    /// `str()` shows the mapping itself.
    fn str(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        interp.str(&self.dict)
    }

    crate::read_mapping_from_dict!(dict);

}

/// `@unique`: refuse aliases.
fn unique(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("unique", 1)?;
    let cls = args.args[0].as_class().cloned().ok_or_else(|| PyErr::type_error("unique() expects an Enum class"))?;
    let info = cls.host_data_as::<EnumInfo>();
    let aliases: Vec<String> = info
        .iter()
        .flat_map(|info| info.names.iter())
        .filter(|(name, member)| **name != *name_of(member))
        .map(|(name, member)| format!("{name} -> {}", name_of(member)))
        .collect();
    if !aliases.is_empty() {
        let shown = interp.repr(&args.args[0])?;
        return Err(PyErr::value_error(format!("duplicate values found in {shown}: {}", aliases.join(", "))));
    }
    Ok(args.args[0].clone())
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("enum", |interp| {
        let known = classes(interp)?;
        Ok(ModuleBuilder::new("enum")
            .class(&known.enum_class)
            .class(&known.int_enum)
            .class(&known.str_enum)
            .class(&known.auto)
            .value("EnumType", Value::Class(interp.builtin_class(BuiltinType::Type)))
            .value("EnumMeta", Value::Class(interp.builtin_class(BuiltinType::Type)))
            .function("unique", unique)
            .build())
    });
}

/// The enum member a value is, as `(its class, its name)`.
pub fn enum_member_name(value: &Value) -> Option<(Rc<Class>, String)> {
    let Value::Instance(inst) = value else { return None };
    let info = inst.class.host_data_as::<EnumInfo>()?;
    info.members.iter().any(|m| Rc::ptr_eq(m, inst)).then(|| (inst.class.clone(), name_of(inst)))
}

/// The member names of an enum class, in definition order (aliases left out), or
/// `None` if `cls` is not an enum with members.
pub fn enum_member_names(cls: &Class) -> Option<Vec<String>> {
    let info = cls.host_data_as::<EnumInfo>()?;
    Some(info.members.iter().map(|m| name_of(m)).collect())
}

/// The member of an enum class called `name` (aliases included).
pub fn enum_member_by_name(cls: &Class, name: &str) -> Option<Value> {
    let info = cls.host_data_as::<EnumInfo>()?;
    info.names.iter().find(|(n, _)| &**n == name).map(|(_, m)| Value::Instance(m.clone()))
}

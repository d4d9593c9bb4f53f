//! Functions, classes, instances and modules.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use super::super::ast::FunctionDef;
use super::super::error::{ExcKind, PyResult, TbEntry};
use super::super::interp::Interpreter;
use super::super::native::{CallArgs, ClassHooks};
use super::{AttrMap, Value};

/// A variable shared between a function and the functions nested in it.
pub type CellRef = Rc<RefCell<Option<Value>>>;

/// The types of values that are not instances of Python classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinType {
    Object,
    Type,
    NoneType,
    NotImplementedType,
    Ellipsis,
    Int,
    Bool,
    Float,
    Str,
    Bytes,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
    Range,
    Slice,
    Function,
    Method,
    BuiltinFunction,
    MethodDescriptor,
    Module,
    Iterator,
    DictView,
    Property,
    StaticMethod,
    ClassMethod,
    Super,
    GenericAlias,
    UnionType,
}

impl BuiltinType {
    pub fn name(self) -> &'static str {
        match self {
            BuiltinType::Object => "object",
            BuiltinType::Type => "type",
            BuiltinType::NoneType => "NoneType",
            BuiltinType::NotImplementedType => "NotImplementedType",
            BuiltinType::Ellipsis => "ellipsis",
            BuiltinType::Bool => "bool",
            BuiltinType::Int => "int",
            BuiltinType::Float => "float",
            BuiltinType::Str => "str",
            BuiltinType::Bytes => "bytes",
            BuiltinType::List => "list",
            BuiltinType::Tuple => "tuple",
            BuiltinType::Dict => "dict",
            BuiltinType::Set => "set",
            BuiltinType::FrozenSet => "frozenset",
            BuiltinType::Range => "range",
            BuiltinType::Slice => "slice",
            BuiltinType::Function => "function",
            BuiltinType::Method => "method",
            BuiltinType::BuiltinFunction => "builtin_function_or_method",
            BuiltinType::MethodDescriptor => "method_descriptor",
            BuiltinType::Module => "module",
            BuiltinType::Iterator => "iterator",
            BuiltinType::DictView => "dict_view",
            BuiltinType::Property => "property",
            BuiltinType::StaticMethod => "staticmethod",
            BuiltinType::ClassMethod => "classmethod",
            BuiltinType::Super => "super",
            BuiltinType::GenericAlias => "types.GenericAlias",
            BuiltinType::UnionType => "types.UnionType",
        }
    }

    /// Every builtin type, for building their class objects.
    pub const ALL: &'static [BuiltinType] = &[
        BuiltinType::Object,
        BuiltinType::Type,
        BuiltinType::NoneType,
        BuiltinType::NotImplementedType,
        BuiltinType::Ellipsis,
        BuiltinType::Int,
        BuiltinType::Bool,
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
        BuiltinType::Function,
        BuiltinType::Method,
        BuiltinType::BuiltinFunction,
        BuiltinType::MethodDescriptor,
        BuiltinType::Module,
        BuiltinType::Iterator,
        BuiltinType::DictView,
        BuiltinType::Property,
        BuiltinType::StaticMethod,
        BuiltinType::ClassMethod,
        BuiltinType::Super,
        BuiltinType::GenericAlias,
        BuiltinType::UnionType,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassKind {
    /// `int`, `str`, `object`...
    Builtin(BuiltinType),
    /// `ValueError`, `KeyError`...
    BuiltinException(ExcKind),
    /// Defined by a `class` statement.
    User,
    /// Defined by the host through the extension API.
    Native,
}

/// A class: builtin, defined in Python, or defined by the host.
pub struct Class {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub module: Rc<str>,
    pub bases: Vec<Rc<Class>>,
    /// The method resolution order after the class itself (C3 linearization).
    pub(crate) ancestors: Vec<Rc<Class>>,
    pub dict: RefCell<AttrMap>,
    pub kind: ClassKind,
    /// Host hooks (subclass creation, instance creation), inherited through the MRO.
    pub(crate) hooks: Option<Rc<dyn ClassHooks>>,
    host_data: RefCell<Option<Rc<dyn Any>>>,
    is_exception: bool,
}

/// What a class is made of, before its method resolution order is known.
pub(crate) struct ClassSpec {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub module: Rc<str>,
    pub bases: Vec<Rc<Class>>,
    pub dict: AttrMap,
    pub kind: ClassKind,
    pub hooks: Option<Rc<dyn ClassHooks>>,
}

impl ClassSpec {
    /// A class with no namespace or hooks yet.
    pub(crate) fn named(name: &str, module: &str, bases: Vec<Rc<Class>>, kind: ClassKind) -> ClassSpec {
        ClassSpec { name: Rc::from(name), qualname: Rc::from(name), module: Rc::from(module), bases, dict: AttrMap::new(), kind, hooks: None }
    }
}

impl Class {
    /// A class from its parts and its ancestors (the MRO after itself).
    pub(crate) fn new(spec: ClassSpec, ancestors: Vec<Rc<Class>>) -> Class {
        let ClassSpec { name, qualname, module, bases, dict, kind, hooks } = spec;
        let is_exception = matches!(kind, ClassKind::BuiltinException(_)) || ancestors.iter().any(|c| matches!(c.kind, ClassKind::BuiltinException(_)));
        Class { name, qualname, module, bases, ancestors, dict: RefCell::new(dict), kind, hooks, host_data: RefCell::new(None), is_exception }
    }

    /// The class and its ancestors, in method resolution order.
    pub fn mro(&self) -> impl Iterator<Item = &Class> {
        std::iter::once(self).chain(self.ancestors.iter().map(|c| &**c))
    }

    /// The ancestors (MRO without the class itself).
    pub fn ancestors(&self) -> &[Rc<Class>] {
        &self.ancestors
    }

    /// Look an attribute up along the MRO (no descriptor processing).
    pub fn lookup(&self, name: &str) -> Option<Value> {
        for c in self.mro() {
            if let Some(v) = c.dict.borrow().get(name) {
                return Some(v.clone());
            }
        }
        None
    }

    /// Look an attribute up along the MRO, returning the defining class too.
    pub fn lookup_with_owner(&self, name: &str) -> Option<(Value, &Class)> {
        for c in self.mro() {
            if let Some(v) = c.dict.borrow().get(name) {
                return Some((v.clone(), c));
            }
        }
        None
    }

    /// An attribute defined in this class's own namespace.
    pub fn own_attr(&self, name: &str) -> Option<Value> {
        self.dict.borrow().get(name).cloned()
    }

    /// Set an attribute in this class's namespace (what `Cls.name = v` does).
    pub fn set_attr(&self, name: &str, value: Value) {
        self.dict.borrow_mut().set(name, value);
    }

    /// The namespace's entries, in definition order.
    pub fn namespace(&self) -> Vec<(Rc<str>, Value)> {
        self.dict.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// `issubclass(self, other)`.
    pub fn is_subclass_of(&self, other: &Class) -> bool {
        self.mro().any(|c| std::ptr::eq(c, other))
    }

    /// True for `BaseException` and its subclasses.
    pub fn is_exception_class(&self) -> bool {
        self.is_exception
    }

    /// The builtin exception kind this class is or derives from.
    pub fn exc_kind(&self) -> Option<ExcKind> {
        self.mro().find_map(|c| match c.kind {
            ClassKind::BuiltinException(k) => Some(k),
            _ => None,
        })
    }

    /// Data the host attached to this class (e.g. an ORM mapper).
    pub fn host_data(&self) -> Option<Rc<dyn Any>> {
        self.host_data.borrow().clone()
    }

    /// The host data as a `T`, if it is one.
    pub fn host_data_as<T: Any>(&self) -> Option<Rc<T>> {
        self.host_data().and_then(|d| d.downcast::<T>().ok())
    }

    pub fn set_host_data(&self, data: Rc<dyn Any>) {
        *self.host_data.borrow_mut() = Some(data);
    }

    /// The hooks of the nearest class in the MRO that has them.
    pub fn inherited_hooks(&self) -> Option<Rc<dyn ClassHooks>> {
        self.mro().find_map(|c| c.hooks.clone())
    }

    /// `module.qualname` as shown in reprs (`__main__.User`); builtins show bare.
    pub fn display_name(&self) -> String {
        if &*self.module == "builtins" {
            self.qualname.to_string()
        } else {
            format!("{}.{}", self.module, self.qualname)
        }
    }

    /// `__annotations__` of the class body, as (name, annotation) pairs.
    pub fn annotations(&self) -> Vec<(Rc<str>, Value)> {
        match self.own_attr("__annotations__") {
            Some(Value::Dict(d)) => d
                .table
                .borrow()
                .iter()
                .filter_map(|e| match &e.key {
                    Value::Str(s) => Some((Rc::from(s.as_str()), e.value.clone())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Exception data carried by instances of `BaseException` subclasses.
#[derive(Clone, Default)]
pub struct ExcState {
    pub args: Vec<Value>,
    /// Frames the exception passed through, innermost first.
    pub traceback: Vec<TbEntry>,
    pub cause: Option<Value>,
    pub context: Option<Value>,
    pub suppress_context: bool,
    /// See `ErrState::suggestion`.
    pub(crate) suggestion: Option<Rc<str>>,
}

/// An instance of a Python (or host-defined) class.
pub struct Instance {
    pub class: Rc<Class>,
    pub dict: RefCell<AttrMap>,
    native: RefCell<Option<Rc<dyn Any>>>,
    pub(crate) exc: Option<RefCell<ExcState>>,
}

impl Instance {
    pub(crate) fn new(class: Rc<Class>) -> Instance {
        let exc = if class.is_exception_class() { Some(RefCell::new(ExcState::default())) } else { None };
        Instance { class, dict: RefCell::new(AttrMap::new()), native: RefCell::new(None), exc }
    }

    /// The host's per-instance state (e.g. an ORM identity), if set.
    pub fn native_state(&self) -> Option<Rc<dyn Any>> {
        self.native.borrow().clone()
    }

    /// The host state as a `T`, if it is one.
    pub fn native_state_as<T: Any>(&self) -> Option<Rc<T>> {
        self.native_state().and_then(|d| d.downcast::<T>().ok())
    }

    pub fn set_native_state(&self, state: Rc<dyn Any>) {
        *self.native.borrow_mut() = Some(state);
    }

    /// An attribute from the instance `__dict__` only.
    pub fn get_own(&self, name: &str) -> Option<Value> {
        self.dict.borrow().get(name).cloned()
    }

    /// Set an attribute in the instance `__dict__`, bypassing descriptors.
    pub fn set_own(&self, name: &str, value: Value) {
        self.dict.borrow_mut().set(name, value);
    }

    /// The exception arguments, for exception instances.
    pub fn exception_args(&self) -> Option<Vec<Value>> {
        self.exc.as_ref().map(|e| e.borrow().args.clone())
    }
}

/// A module: builtin, host-defined (native) or made from a run's globals.
pub struct Module {
    pub name: Rc<str>,
    /// The file its code came from, if any.
    pub file: Option<Rc<str>>,
    pub globals: RefCell<AttrMap>,
}

impl Module {
    pub fn new(name: &str, file: Option<&str>) -> Module {
        let mut globals = AttrMap::new();
        globals.set("__name__", Value::str(name));
        globals.set("__doc__", Value::None);
        Module { name: Rc::from(name), file: file.map(Rc::from), globals: RefCell::new(globals) }
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        self.globals.borrow().get(name).cloned()
    }

    pub fn set(&self, name: &str, value: impl Into<Value>) {
        self.globals.borrow_mut().set(name, value.into());
    }

    /// The names defined in the module, in definition order.
    pub fn names(&self) -> Vec<Rc<str>> {
        self.globals.borrow().keys().cloned().collect()
    }
}

/// A function defined in Python.
pub struct Function {
    pub def: Rc<FunctionDef>,
    pub globals: Rc<Module>,
    pub defaults: Vec<Value>,
    pub kw_defaults: Vec<Option<Value>>,
    pub closure: Vec<CellRef>,
    /// Attributes set on the function object.
    pub dict: RefCell<AttrMap>,
}

/// A callable bound to its first argument.
pub struct BoundMethod {
    pub receiver: Value,
    pub func: Value,
}

/// The Rust side of a native function: receives the interpreter (to call back
/// into Python, reach host state, raise errors) and the call's arguments.
pub type NativeFn = dyn Fn(&mut Interpreter, CallArgs) -> PyResult<Value>;

/// How a native function stored in a class behaves when looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// Never bound (like builtins such as `len`).
    Plain,
    /// Bound to the instance like a Python method (`self` first).
    Method,
    /// Bound to the class like a `@classmethod` (`cls` first).
    ClassMethod,
}

/// A function implemented in Rust.
pub struct NativeFunction {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub module: Option<Rc<str>>,
    pub binding: Binding,
    /// Refused in preview mode (writes data, prints, mutates).
    pub side_effects: bool,
    pub func: Rc<NativeFn>,
}

/// A method of a builtin type (`[].append`), bound when `receiver` is set.
pub struct BuiltinMethod {
    pub receiver: Option<Value>,
    pub owner: BuiltinType,
    pub name: &'static str,
}

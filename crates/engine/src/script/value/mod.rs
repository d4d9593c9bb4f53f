//! Python values.
//!
//! [`Value`] is a small enum: immediate scalars (`None`, `bool`, `int` as
//! `i64`, `float`) and reference-counted objects. Containers use interior
//! mutability (`RefCell`); the interpreter never holds a borrow across a call
//! back into Python code, so user code that mutates a container while it is
//! being read gets a Python error, never a panic.

pub mod attrmap;
pub mod dict;
pub mod hash;
mod object;
pub mod set;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub use attrmap::AttrMap;
pub use dict::DictTable;
pub use object::*;
pub use set::SetTable;

use super::native::NativeObject;

/// A Python value.
#[derive(Clone)]
pub enum Value {
    None,
    NotImplemented,
    Ellipsis,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<PyStr>),
    Bytes(Rc<PyBytes>),
    List(Rc<PyList>),
    Tuple(Rc<PyTuple>),
    Dict(Rc<PyDict>),
    Set(Rc<PySet>),
    Range(Rc<PyRange>),
    Slice(Rc<PySlice>),
    /// A function defined in Python (`def` or `lambda`).
    Function(Rc<Function>),
    /// A function or callable bound to its first argument (`obj.method`).
    BoundMethod(Rc<BoundMethod>),
    /// A function implemented in Rust: builtins and host-defined functions.
    NativeFunction(Rc<NativeFunction>),
    /// A method of a builtin type (`[].append`), bound or not.
    BuiltinMethod(Rc<BuiltinMethod>),
    Class(Rc<Class>),
    Instance(Rc<Instance>),
    Module(Rc<Module>),
    /// An object implemented by the host (see [`NativeObject`]).
    Native(Rc<dyn NativeObject>),
    Iterator(Rc<PyIterator>),
    DictView(Rc<DictView>),
    Property(Rc<Property>),
    StaticMethod(Rc<Value>),
    ClassMethod(Rc<Value>),
    Super(Rc<SuperObject>),
    /// `list[int]`, `int | None`: kept for annotations (`Mapped[...]`).
    TypeAlias(Rc<TypeAlias>),
}

/// A `str`: Unicode text, indexed by code point.
pub struct PyStr {
    text: Box<str>,
    chars: usize,
}

impl PyStr {
    pub fn new(s: &str) -> Self {
        let chars = if s.is_ascii() { s.len() } else { s.chars().count() };
        PyStr { text: s.into(), chars }
    }

    pub fn from_string(s: String) -> Self {
        let chars = if s.is_ascii() { s.len() } else { s.chars().count() };
        PyStr { text: s.into_boxed_str(), chars }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in code points (what `len()` returns).
    pub fn char_len(&self) -> usize {
        self.chars
    }

    pub fn is_ascii(&self) -> bool {
        self.chars == self.text.len()
    }

    /// The code point at index `i` (0-based, in range).
    pub fn char_at(&self, i: usize) -> Option<char> {
        if self.is_ascii() {
            self.text.as_bytes().get(i).map(|&b| b as char)
        } else {
            self.text.chars().nth(i)
        }
    }

    /// Byte offset of code point index `i` (clamped to the end).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            i.min(self.text.len())
        } else {
            self.text.char_indices().nth(i).map_or(self.text.len(), |(b, _)| b)
        }
    }

    /// The text between code point indices `start..end`.
    pub fn substring(&self, start: usize, end: usize) -> &str {
        let s = self.byte_offset(start);
        let e = self.byte_offset(end.max(start));
        &self.text[s..e]
    }
}

pub struct PyBytes(pub Box<[u8]>);

/// A `list`.
#[derive(Default)]
pub struct PyList {
    pub items: RefCell<Vec<Value>>,
}

impl PyList {
    pub fn new(items: Vec<Value>) -> Self {
        PyList { items: RefCell::new(items) }
    }
}

/// A `tuple`.
pub struct PyTuple {
    pub items: Box<[Value]>,
}

/// A `dict`.
#[derive(Default)]
pub struct PyDict {
    pub table: RefCell<DictTable>,
}

/// A `set` or `frozenset`.
pub struct PySet {
    pub table: RefCell<SetTable>,
    pub frozen: bool,
}

/// A `range`.
pub struct PyRange {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl PyRange {
    pub fn len(&self) -> usize {
        let (start, stop, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if step > 0 && start < stop {
            (stop - start - 1) / step + 1
        } else if step < 0 && start > stop {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        };
        n.min(usize::MAX as i128) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> i64 {
        self.start.wrapping_add((i as i64).wrapping_mul(self.step))
    }
}

/// A `slice` object (`x[a:b:c]`).
pub struct PySlice {
    pub start: Value,
    pub stop: Value,
    pub step: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictViewKind {
    Keys,
    Values,
    Items,
}

/// `dict.keys()`, `.values()`, `.items()`: live views of a dict.
pub struct DictView {
    pub dict: Rc<PyDict>,
    pub kind: DictViewKind,
}

/// `property(fget, fset, fdel)`.
pub struct Property {
    pub fget: Option<Value>,
    pub fset: Option<Value>,
    pub fdel: Option<Value>,
    pub doc: Option<Value>,
}

/// `super()` bound to a class (lookup starts after it in the MRO) and an object.
pub struct SuperObject {
    pub this_class: Rc<Class>,
    /// The instance (or class, inside classmethods) methods bind to.
    pub obj: Value,
    /// The class whose MRO is searched (`type(obj)` or `obj` itself).
    pub obj_class: Rc<Class>,
}

/// Annotation values made from types: `list[int]` and `int | None` (or their `typing`
/// spellings, `List[int]` and `Optional[int]`, which mean the same).
pub enum TypeAlias {
    Generic { origin: Value, args: Vec<Value>, spelling: Spelling },
    Union { members: Vec<Value>, spelling: Spelling },
}

/// How an annotation was written, which decides only its repr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// `list[int]`, `int | None`.
    Builtin,
    /// `typing.List[int]`, `typing.Optional[int]`, `typing.Union[int, str]`: typing's name.
    Typing(&'static str),
}

/// One frame of an iterator's state.
pub struct PyIterator {
    pub(crate) state: RefCell<IterState>,
    /// The type name shown in `repr` and errors (`list_iterator`, `zip`...).
    pub type_name: &'static str,
}

pub(crate) enum IterState {
    /// Over a list, tuple, str or bytes by index (sees appended items, as CPython).
    Seq { seq: Value, index: usize },
    Range { next: i64, remaining: usize, step: i64 },
    Dict { dict: Rc<PyDict>, pos: usize, len_at_start: usize, kind: DictViewKind },
    Set { set: Rc<PySet>, pos: usize, len_at_start: usize },
    /// Pre-computed values (generator expressions are evaluated eagerly).
    Values { items: Vec<Value>, index: usize },
    Reversed { seq: Value, index: usize },
    Enumerate { inner: Value, count: i64 },
    Zip { inners: Vec<Value> },
    Map { func: Value, inners: Vec<Value> },
    Filter { func: Value, inner: Value },
    /// `iter(obj)` where obj only has `__getitem__`.
    GetItem { obj: Value, index: i64 },
    /// A generator expression, suspended between values.
    Generator(Box<super::interp::GeneratorState>),
    /// A generator expression while it computes its next value.
    Running,
    Exhausted,
}

thread_local! {
    static NEXT_SERIAL: Cell<u64> = const { Cell::new(1) };
}

impl Value {
    /// A new `str`.
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::new(PyStr::new(s)))
    }

    pub fn string(s: String) -> Value {
        Value::Str(Rc::new(PyStr::from_string(s)))
    }

    pub fn bytes(b: Vec<u8>) -> Value {
        Value::Bytes(Rc::new(PyBytes(b.into_boxed_slice())))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(PyList::new(items)))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(PyTuple { items: items.into_boxed_slice() }))
    }

    pub fn empty_dict() -> Value {
        Value::Dict(Rc::new(PyDict::default()))
    }

    /// A dict with string keys (no user code is involved in hashing them).
    pub fn dict_from_str_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        let mut t = DictTable::new();
        for (k, v) in pairs {
            let key = Value::str(k);
            let h = hash::hash_str(k);
            match t.find(h, &key) {
                dict::Find::Found(i) => t.set_value(i, v),
                _ => t.insert_new(h, key, v),
            }
        }
        Value::Dict(Rc::new(PyDict { table: RefCell::new(t) }))
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// The string inside a `str` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// An integer (`bool` counts, as in Python).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    /// A number as a float (`int`, `bool` or `float`).
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            Value::Bool(b) => Some(*b as i64 as f64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The instance, when this is an instance of a Python class.
    pub fn as_instance(&self) -> Option<&Rc<Instance>> {
        match self {
            Value::Instance(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_class(&self) -> Option<&Rc<Class>> {
        match self {
            Value::Class(c) => Some(c),
            _ => None,
        }
    }

    /// The host object of type `T`, when this is a [`NativeObject`] of that type.
    pub fn downcast_native<T: NativeObject>(&self) -> Option<Rc<T>> {
        match self {
            Value::Native(obj) => {
                let any: Rc<dyn std::any::Any> = obj.clone();
                any.downcast::<T>().ok()
            }
            _ => None,
        }
    }

    /// The items of a list or tuple, copied out.
    pub fn sequence_items(&self) -> Option<Vec<Value>> {
        match self {
            Value::List(l) => Some(l.items.borrow().clone()),
            Value::Tuple(t) => Some(t.items.to_vec()),
            _ => None,
        }
    }

    /// The type name Python shows in messages (`int`, `NoneType`, the class name).
    pub fn type_name(&self) -> String {
        match self {
            Value::Instance(i) => i.class.name.to_string(),
            Value::Native(n) => n.type_name().to_string(),
            Value::Class(c) if c.is_exception_class() || c.kind == ClassKind::User || c.kind == ClassKind::Native => "type".into(),
            Value::Iterator(it) => it.type_name.to_string(),
            Value::Set(s) if s.frozen => "frozenset".into(),
            Value::DictView(v) => match v.kind {
                DictViewKind::Keys => "dict_keys".into(),
                DictViewKind::Values => "dict_values".into(),
                DictViewKind::Items => "dict_items".into(),
            },
            other => other.builtin_type().name().to_string(),
        }
    }

    /// The builtin type of a value that is not an instance of a Python class.
    pub fn builtin_type(&self) -> BuiltinType {
        match self {
            Value::None => BuiltinType::NoneType,
            Value::NotImplemented => BuiltinType::NotImplementedType,
            Value::Ellipsis => BuiltinType::Ellipsis,
            Value::Bool(_) => BuiltinType::Bool,
            Value::Int(_) => BuiltinType::Int,
            Value::Float(_) => BuiltinType::Float,
            Value::Str(_) => BuiltinType::Str,
            Value::Bytes(_) => BuiltinType::Bytes,
            Value::List(_) => BuiltinType::List,
            Value::Tuple(_) => BuiltinType::Tuple,
            Value::Dict(_) => BuiltinType::Dict,
            Value::Set(s) => {
                if s.frozen {
                    BuiltinType::FrozenSet
                } else {
                    BuiltinType::Set
                }
            }
            Value::Range(_) => BuiltinType::Range,
            Value::Slice(_) => BuiltinType::Slice,
            Value::Function(_) => BuiltinType::Function,
            Value::BoundMethod(_) => BuiltinType::Method,
            Value::NativeFunction(_) => BuiltinType::BuiltinFunction,
            Value::BuiltinMethod(m) => {
                if m.receiver.is_some() {
                    BuiltinType::BuiltinFunction
                } else {
                    BuiltinType::MethodDescriptor
                }
            }
            Value::Class(_) => BuiltinType::Type,
            Value::Instance(_) => BuiltinType::Object,
            Value::Module(_) => BuiltinType::Module,
            Value::Native(_) => BuiltinType::Object,
            Value::Iterator(_) => BuiltinType::Iterator,
            Value::DictView(_) => BuiltinType::DictView,
            Value::Property(_) => BuiltinType::Property,
            Value::StaticMethod(_) => BuiltinType::StaticMethod,
            Value::ClassMethod(_) => BuiltinType::ClassMethod,
            Value::Super(_) => BuiltinType::Super,
            Value::TypeAlias(a) => match **a {
                TypeAlias::Generic { .. } => BuiltinType::GenericAlias,
                TypeAlias::Union { .. } => BuiltinType::UnionType,
            },
        }
    }

    /// A stable identity for objects (`id()`, `is`, recursion guards).
    pub fn identity(&self) -> usize {
        fn addr<T: ?Sized>(rc: &Rc<T>) -> usize {
            Rc::as_ptr(rc) as *const u8 as usize
        }
        match self {
            Value::None => 0x1000,
            Value::NotImplemented => 0x1010,
            Value::Ellipsis => 0x1020,
            Value::Bool(b) => 0x1030 + *b as usize * 0x10,
            Value::Int(i) => 0x2000_0000usize.wrapping_add((*i as usize).wrapping_mul(32)),
            Value::Float(f) => f.to_bits() as usize,
            Value::Str(r) => addr(r),
            Value::Bytes(r) => addr(r),
            Value::List(r) => addr(r),
            Value::Tuple(r) => addr(r),
            Value::Dict(r) => addr(r),
            Value::Set(r) => addr(r),
            Value::Range(r) => addr(r),
            Value::Slice(r) => addr(r),
            Value::Function(r) => addr(r),
            Value::BoundMethod(r) => addr(r),
            Value::NativeFunction(r) => addr(r),
            Value::BuiltinMethod(r) => addr(r),
            Value::Class(r) => addr(r),
            Value::Instance(r) => addr(r),
            Value::Module(r) => addr(r),
            Value::Native(r) => addr(r),
            Value::Iterator(r) => addr(r),
            Value::DictView(r) => addr(r),
            Value::Property(r) => addr(r),
            Value::StaticMethod(r) => addr(r),
            Value::ClassMethod(r) => addr(r),
            Value::Super(r) => addr(r),
            Value::TypeAlias(r) => addr(r),
        }
    }
}

/// `a is b`.
pub fn same_object(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) | (Value::NotImplemented, Value::NotImplemented) | (Value::Ellipsis, Value::Ellipsis) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Int(_) | Value::Bool(_) | Value::Float(_), _) | (_, Value::Int(_) | Value::Bool(_) | Value::Float(_)) => false,
        (Value::None | Value::NotImplemented | Value::Ellipsis, _) | (_, Value::None | Value::NotImplemented | Value::Ellipsis) => false,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && a.identity() == b.identity(),
    }
}

/// Equality that needs no user code: `Some(answer)` for plain data and for
/// objects compared by identity, `None` when `__eq__` may be involved (or the
/// values are nested too deeply to compare here without recursion limits).
pub fn fast_eq(a: &Value, b: &Value) -> Option<bool> {
    fast_eq_within(a, b, 32)
}

fn fast_eq_within(a: &Value, b: &Value, depth: u32) -> Option<bool> {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => Some(x == y),
        (Str(x), Str(y)) => Some(Rc::ptr_eq(x, y) || x.as_str() == y.as_str()),
        (None, None) | (Ellipsis, Ellipsis) | (NotImplemented, NotImplemented) => Some(true),
        (Bool(x), Bool(y)) => Some(x == y),
        (Float(x), Float(y)) => Some(x == y),
        (Int(_) | Bool(_) | Float(_), Int(_) | Bool(_) | Float(_)) => Some(numeric_eq(a, b)),
        (Bytes(x), Bytes(y)) => Some(x.0 == y.0),
        (Tuple(x), Tuple(y)) => {
            if Rc::ptr_eq(x, y) {
                return Some(true);
            }
            if x.items.len() != y.items.len() {
                return Some(false);
            }
            if depth == 0 {
                return Option::None;
            }
            for (p, q) in x.items.iter().zip(y.items.iter()) {
                match fast_eq_within(p, q, depth - 1) {
                    Some(true) => {}
                    other => return other,
                }
            }
            Some(true)
        }
        (Instance(_) | Native(_) | List(_) | Dict(_) | Set(_) | DictView(_) | Range(_) | TypeAlias(_), _)
        | (_, Instance(_) | Native(_) | List(_) | Dict(_) | Set(_) | DictView(_) | Range(_) | TypeAlias(_)) => {
            if same_object(a, b) {
                Some(true)
            } else {
                Option::None
            }
        }
        (Tuple(_), _) | (_, Tuple(_)) => Some(false),
        _ => Some(same_object(a, b)),
    }
}

/// `==` between two numbers of any of `bool`, `int`, `float`.
pub fn numeric_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Float(f), other) | (other, Value::Float(f)) => match other.as_int() {
            Some(i) => int_float_eq(i, *f),
            None => false,
        },
        _ => a.as_int() == b.as_int(),
    }
}

/// Exact comparison of an integer with a float (no rounding of large ints).
pub fn int_float_eq(i: i64, f: f64) -> bool {
    if f.fract() != 0.0 || !f.is_finite() {
        return false;
    }
    if f >= 9.3e18 || f <= -9.3e18 {
        return false;
    }
    f as i64 == i && (i as f64) == f
}

/// A process-unique serial number (used for default reprs of host objects).
pub fn next_serial() -> u64 {
    NEXT_SERIAL.with(|c| {
        let v = c.get();
        c.set(v + 1);
        v
    })
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Value::Int(i as i64)
    }
}

impl From<usize> for Value {
    fn from(i: usize) -> Self {
        Value::Int(i as i64)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::string(s)
    }
}

impl From<Vec<Value>> for Value {
    /// A `list`.
    fn from(items: Vec<Value>) -> Self {
        Value::list(items)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        match o {
            Some(v) => v.into(),
            None => Value::None,
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::None => write!(f, "None"),
            Value::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{}", super::format::float_repr(*x)),
            Value::Str(s) => write!(f, "{:?}", s.as_str()),
            other => write!(f, "<{} object>", other.type_name()),
        }
    }
}

// ----- dropping deep structures without deep recursion -----

/// Take the values out of a container that is about to be freed, so that a
/// chain like `a = [a]` repeated 100,000 times is freed by a loop instead of
/// by 100,000 nested destructor calls.
fn drop_iteratively(mut pending: Vec<Value>) {
    while let Some(v) = pending.pop() {
        match v {
            Value::List(rc) => {
                if let Ok(list) = Rc::try_unwrap(rc) {
                    pending.append(&mut list.items.take());
                }
            }
            Value::Tuple(rc) => {
                if let Ok(mut t) = Rc::try_unwrap(rc) {
                    pending.extend(std::mem::take(&mut t.items).into_vec());
                }
            }
            Value::Dict(rc) => {
                if let Ok(d) = Rc::try_unwrap(rc) {
                    for e in d.table.borrow_mut().drain() {
                        pending.push(e.key);
                        pending.push(e.value);
                    }
                }
            }
            Value::Set(rc) => {
                if let Ok(s) = Rc::try_unwrap(rc) {
                    pending.append(&mut s.table.borrow_mut().drain());
                }
            }
            Value::Instance(rc) => {
                if let Ok(inst) = Rc::try_unwrap(rc) {
                    pending.append(&mut inst.dict.borrow_mut().drain_values());
                }
            }
            other => drop(other),
        }
    }
}

impl Drop for PyList {
    fn drop(&mut self) {
        let items = std::mem::take(self.items.get_mut());
        if !items.is_empty() {
            drop_iteratively(items);
        }
    }
}

impl Drop for PyTuple {
    fn drop(&mut self) {
        let items = std::mem::take(&mut self.items);
        if !items.is_empty() {
            drop_iteratively(items.into_vec());
        }
    }
}

impl Drop for PyDict {
    fn drop(&mut self) {
        let entries = self.table.get_mut().drain();
        if !entries.is_empty() {
            drop_iteratively(entries.into_iter().flat_map(|e| [e.key, e.value]).collect());
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let values = self.dict.get_mut().drain_values();
        if !values.is_empty() {
            drop_iteratively(values);
        }
    }
}

//! The extension API: how a host (the ORM bindings) adds modules, functions,
//! classes, objects, descriptors and exceptions implemented in Rust.
//! See the module documentation of [`crate::script`] for a worked example.

use std::rc::Rc;

use super::ast::{BinOp, CmpOp, UnaryOp};
use super::error::{ExcClass, Payload, PyErr, PyResult};
use super::interp::Interpreter;
use super::value::{AttrMap, Binding, Class, ClassKind, ClassSpec, Instance, Module, NativeFunction, Value};

/// The arguments of a call: positional values and `name=value` pairs.
#[derive(Clone, Debug, Default)]
pub struct CallArgs {
    pub args: Vec<Value>,
    pub kwargs: Vec<(Rc<str>, Value)>,
}

impl CallArgs {
    pub fn new(args: Vec<Value>) -> CallArgs {
        CallArgs { args, kwargs: Vec::new() }
    }

    pub fn with_kwargs(args: Vec<Value>, kwargs: Vec<(Rc<str>, Value)>) -> CallArgs {
        CallArgs { args, kwargs }
    }

    /// Positional argument `i`.
    pub fn get(&self, i: usize) -> Option<&Value> {
        self.args.get(i)
    }

    /// Keyword argument `name`.
    pub fn kwarg(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
    }

    /// Remove and return keyword argument `name`.
    pub fn take_kwarg(&mut self, name: &str) -> Option<Value> {
        let i = self.kwargs.iter().position(|(k, _)| &**k == name)?;
        Some(self.kwargs.remove(i).1)
    }

    /// The receiver of a method call (`self`): the first positional argument.
    pub fn receiver(&self) -> PyResult<&Value> {
        self.args.first().ok_or_else(|| PyErr::type_error("method called without its instance"))
    }

    /// Fail with CPython's message if keyword arguments were given.
    pub fn no_kwargs(&self, fname: &str) -> PyResult<()> {
        if self.kwargs.is_empty() {
            Ok(())
        } else {
            Err(PyErr::type_error(format!("{fname}() takes no keyword arguments")))
        }
    }

    /// Fail unless exactly `n` positional arguments (and no keywords) were given.
    pub fn exactly(&self, fname: &str, n: usize) -> PyResult<()> {
        self.no_kwargs(fname)?;
        if self.args.len() == n {
            return Ok(());
        }
        let what = match n {
            0 => return Err(PyErr::type_error(format!("{fname}() takes no arguments ({} given)", self.args.len()))),
            1 => "exactly one argument".to_string(),
            n => format!("exactly {n} arguments"),
        };
        Err(PyErr::type_error(format!("{fname}() takes {what} ({} given)", self.args.len())))
    }

    /// Fail unless between `min` and `max` positional arguments were given
    /// (CPython's "expected at least/at most" wording).
    pub fn count_between(&self, fname: &str, min: usize, max: usize) -> PyResult<()> {
        let n = self.args.len();
        if n < min || (min == max && n != min) {
            let least = if min == max { "" } else { "at least " };
            return Err(PyErr::type_error(format!("{fname} expected {least}{min} argument{}, got {n}", if min == 1 { "" } else { "s" })));
        }
        if n > max {
            return Err(PyErr::type_error(format!("{fname} expected at most {max} argument{}, got {n}", if max == 1 { "" } else { "s" })));
        }
        Ok(())
    }

    /// Bind to parameters that may be given by position or by name, the
    /// first `required` of them mandatory; errors are worded like a Python
    /// function's (`f() missing 1 required positional argument: 'x'`).
    pub fn bind<const N: usize>(self, fname: &str, names: [&str; N], required: usize) -> PyResult<[Option<Value>; N]> {
        let mut out: [Option<Value>; N] = std::array::from_fn(|_| None);
        if self.args.len() > N {
            let takes = if required == N { format!("{N} positional argument{}", if N == 1 { "" } else { "s" }) } else { format!("from {required} to {N} positional arguments") };
            let given = self.args.len();
            return Err(PyErr::type_error(format!("{fname}() takes {takes} but {given} {} given", if given == 1 { "was" } else { "were" })));
        }
        for (slot, v) in out.iter_mut().zip(self.args) {
            *slot = Some(v);
        }
        for (k, v) in self.kwargs {
            match names.iter().position(|n| *n == &*k) {
                Some(i) if out[i].is_some() => return Err(PyErr::type_error(format!("{fname}() got multiple values for argument '{k}'"))),
                Some(i) => out[i] = Some(v),
                None => return Err(PyErr::type_error(format!("{fname}() got an unexpected keyword argument '{k}'"))),
            }
        }
        let missing: Vec<&str> = names.iter().take(required).zip(out.iter()).filter(|(_, v)| v.is_none()).map(|(n, _)| *n).collect();
        if let Some(first) = missing.first() {
            return Err(PyErr::type_error(if missing.len() == 1 {
                format!("{fname}() missing 1 required positional argument: '{first}'")
            } else {
                let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
                format!("{fname}() missing {} required positional arguments: {}", missing.len(), quoted.join(", "))
            }));
        }
        Ok(out)
    }
}

/// Whether a host object stored as a class attribute acts as a descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptorKind {
    /// A plain value.
    None,
    /// Like a method: the instance `__dict__` wins over it.
    NonData,
    /// Like a property: it wins over the instance `__dict__` and handles assignment.
    Data,
}

/// An object implemented by the host. Every method has a default that behaves
/// like a plain Python object lacking that feature (so the interpreter raises
/// the usual `TypeError`/`AttributeError`). `this` is the `Value` wrapping
/// `self`, for returning bound methods or storing references to it.
/// Inside an `impl NativeObject`: the read side of the mapping protocol (`len`, iteration,
/// `in`, `[key]`) answered by a Python dict held in the field `$dict`, for host objects that
/// are dicts with extra behaviour (Flask's config, its session, an enum's `__members__`).
#[macro_export]
macro_rules! read_mapping_from_dict {
    ($dict:ident) => {
        fn len(&self, interp: &mut $crate::script::Interpreter, _this: &$crate::script::Value) -> $crate::script::PyResult<Option<usize>> {
            interp.len(&self.$dict).map(Some)
        }

        fn is_iterable(&self) -> bool {
            true
        }

        fn iter(&self, interp: &mut $crate::script::Interpreter, _this: &$crate::script::Value) -> $crate::script::PyResult<Option<$crate::script::Value>> {
            interp.iter(&self.$dict).map(Some)
        }

        fn contains(&self, interp: &mut $crate::script::Interpreter, _this: &$crate::script::Value, item: &$crate::script::Value) -> $crate::script::PyResult<Option<bool>> {
            interp.contains(&self.$dict, item).map(Some)
        }

        fn get_item(&self, interp: &mut $crate::script::Interpreter, _this: &$crate::script::Value, key: &$crate::script::Value) -> $crate::script::PyResult<Option<$crate::script::Value>> {
            interp.getitem(&self.$dict, key).map(Some)
        }
    };
}

pub trait NativeObject: std::any::Any {
    /// The class name shown by `type(x).__name__` and in error messages.
    fn type_name(&self) -> &str;

    /// A class object for `type(x)` and `isinstance` (default: one made per type name).
    fn python_class(&self, _interp: &mut Interpreter) -> Option<Rc<Class>> {
        None
    }

    /// `this.name`; `Ok(None)` means there is no such attribute.
    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, _name: &str) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `this.name = value`; `Ok(false)` means assignment is not supported.
    fn set_attr(&self, _interp: &mut Interpreter, _this: &Value, _name: &str, _value: Value) -> PyResult<bool> {
        Ok(false)
    }

    /// `del this.name`; `Ok(false)` means not supported.
    fn del_attr(&self, _interp: &mut Interpreter, _this: &Value, _name: &str) -> PyResult<bool> {
        Ok(false)
    }

    /// Names listed by `dir()` and offered by completion.
    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        Vec::new()
    }

    fn is_callable(&self) -> bool {
        false
    }

    /// `this(*args, **kwargs)` (only when `is_callable`).
    fn call(&self, _interp: &mut Interpreter, this: &Value, _args: CallArgs) -> PyResult<Value> {
        Err(PyErr::type_error(format!("'{}' object is not callable", this.type_name())))
    }

    /// Whether calling this object changes state (refused in previews).
    fn call_has_side_effects(&self) -> bool {
        false
    }

    /// `this <op> other` (or `other <op> this` when `reflected`); `Ok(None)`
    /// means NotImplemented.
    fn binary_op(&self, _interp: &mut Interpreter, _this: &Value, _op: BinOp, _other: &Value, _reflected: bool) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `-this`, `+this`, `~this`; `Ok(None)` means unsupported.
    fn unary_op(&self, _interp: &mut Interpreter, _this: &Value, _op: UnaryOp) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `abs(this)`; `Ok(None)` means unsupported.
    fn abs(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `int(this)` (an `int` value); `Ok(None)` means unsupported.
    fn to_int(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `float(this)`; `Ok(None)` means unsupported.
    fn to_float(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<f64>> {
        Ok(None)
    }

    /// `round(this)` / `round(this, ndigits)`; `Ok(None)` means unsupported.
    fn round(&self, _interp: &mut Interpreter, _this: &Value, _ndigits: Option<i64>) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `this <op> other` for `==`, `!=`, `<`, `<=`, `>`, `>=` (the interpreter
    /// swaps the operator when asking the right operand); `Ok(None)` means
    /// NotImplemented (`==` then falls back to identity).
    fn compare(&self, _interp: &mut Interpreter, _this: &Value, _op: CmpOp, _other: &Value) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `hash(this)`; the default hashes by identity.
    fn hash(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<i64> {
        Ok((this.identity() >> 4) as i64)
    }

    /// `repr(this)`.
    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        Ok(format!("<{} object at {:#x}>", self.type_name(), this.identity()))
    }

    /// `str(this)`; defaults to `repr`.
    fn str(&self, interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        self.repr(interp, this)
    }

    /// `format(this, spec)`; `Ok(None)` uses `str` for an empty spec.
    fn format(&self, _interp: &mut Interpreter, _this: &Value, _spec: &str) -> PyResult<Option<String>> {
        Ok(None)
    }

    /// `bool(this)`.
    fn truthy(&self, interp: &mut Interpreter, this: &Value) -> PyResult<bool> {
        Ok(self.len(interp, this)?.is_none_or(|n| n > 0))
    }

    /// `len(this)`; `Ok(None)` means no length.
    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(None)
    }

    fn is_iterable(&self) -> bool {
        false
    }

    /// `iter(this)`: an iterator value (e.g. [`iterator_from_values`](super::interp::iterator_from_values)
    /// or `this` itself when it is an iterator); `Ok(None)` means not iterable.
    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(None)
    }

    fn is_iterator(&self) -> bool {
        false
    }

    /// `next(this)` for host iterators; `Ok(None)` when exhausted.
    fn next(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        Err(PyErr::type_error(format!("'{}' object is not an iterator", this.type_name())))
    }

    /// `this[key]`; `Ok(None)` means not subscriptable.
    fn get_item(&self, _interp: &mut Interpreter, _this: &Value, _key: &Value) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `this[key] = value`; `Ok(false)` means not supported.
    fn set_item(&self, _interp: &mut Interpreter, _this: &Value, _key: &Value, _value: Value) -> PyResult<bool> {
        Ok(false)
    }

    /// `del this[key]`; `Ok(false)` means not supported.
    fn del_item(&self, _interp: &mut Interpreter, _this: &Value, _key: &Value) -> PyResult<bool> {
        Ok(false)
    }

    /// `item in this`; `Ok(None)` falls back to iteration.
    fn contains(&self, _interp: &mut Interpreter, _this: &Value, _item: &Value) -> PyResult<Option<bool>> {
        Ok(None)
    }

    /// `with this [as x]:` entry; `Ok(None)` means not a context manager.
    fn enter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// Exit of the `with` block; `exception` is the exception object if the
    /// block raised. Return `true` to suppress it.
    fn exit(&self, _interp: &mut Interpreter, _this: &Value, _exception: Option<&Value>) -> PyResult<bool> {
        Ok(false)
    }

    /// Whether this object, stored in a class namespace, is a descriptor.
    fn descriptor(&self) -> DescriptorKind {
        DescriptorKind::None
    }

    /// `Cls.attr` (`instance` is `None`) or `obj.attr` for a descriptor.
    fn descr_get(&self, _interp: &mut Interpreter, this: &Value, _instance: Option<&Value>, _owner: &Rc<Class>) -> PyResult<Value> {
        Ok(this.clone())
    }

    /// `obj.attr = value` for a data descriptor.
    fn descr_set(&self, _interp: &mut Interpreter, _this: &Value, instance: &Value, _value: Value) -> PyResult<()> {
        Err(PyErr::attribute_error(format!("can't set attribute of '{}' object", instance.type_name())))
    }

    /// `del obj.attr` for a data descriptor.
    fn descr_delete(&self, _interp: &mut Interpreter, _this: &Value, instance: &Value) -> PyResult<()> {
        Err(PyErr::attribute_error(format!("can't delete attribute of '{}' object", instance.type_name())))
    }
}

/// Hooks of a host class, inherited by the Python classes derived from it.
pub trait ClassHooks {
    /// A `class` statement created `cls` with this class among its ancestors
    /// (like `__init_subclass__`). The hook may read and rewrite the namespace
    /// (`cls.namespace()`, `cls.set_attr`), read `cls.annotations()`, and
    /// attach host data (`cls.set_host_data`). `kwargs` are the class keywords.
    fn init_subclass(&self, _interp: &mut Interpreter, _cls: &Rc<Class>, _kwargs: &[(Rc<str>, Value)]) -> PyResult<()> {
        Ok(())
    }

    /// An instance of such a class is being created, before `__init__` runs
    /// (attach per-instance state with `instance.set_native_state`).
    fn new_instance(&self, _interp: &mut Interpreter, _instance: &Rc<Instance>) -> PyResult<()> {
        Ok(())
    }

    /// Whether a class deriving from this one may also derive from `str`, `int` or
    /// `float` (its instances stay host-managed objects; the hooks give them the
    /// data type's behaviour).
    fn accepts_data_type(&self) -> bool {
        false
    }

    // Operations on the class object itself, what a metaclass defines (`enum`'s
    // `EnumType`). `Ok(None)` keeps what a plain class does.

    /// `Cls(*args)`: return the value instead of creating an instance.
    fn call_class(&self, _interp: &mut Interpreter, _cls: &Rc<Class>, _args: &CallArgs) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `Cls[key]`.
    fn class_getitem(&self, _interp: &mut Interpreter, _cls: &Rc<Class>, _key: &Value) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// Whether `iter(Cls)` works (then [`ClassHooks::class_iter`] gives the iterator).
    fn class_is_iterable(&self) -> bool {
        false
    }

    /// `iter(Cls)`.
    fn class_iter(&self, _interp: &mut Interpreter, _cls: &Rc<Class>) -> PyResult<Option<Value>> {
        Ok(None)
    }

    /// `len(Cls)`.
    fn class_len(&self, _interp: &mut Interpreter, _cls: &Rc<Class>) -> PyResult<Option<usize>> {
        Ok(None)
    }

    /// `item in Cls`.
    fn class_contains(&self, _interp: &mut Interpreter, _cls: &Rc<Class>, _item: &Value) -> PyResult<Option<bool>> {
        Ok(None)
    }

    /// `repr(Cls)`.
    fn class_repr(&self, _interp: &mut Interpreter, _cls: &Rc<Class>) -> PyResult<Option<String>> {
        Ok(None)
    }

    /// `Cls.name = value` (and `del Cls.name` with `value` None): an error refuses it.
    fn class_setattr(&self, _interp: &mut Interpreter, _cls: &Rc<Class>, _name: &str, _value: Option<&Value>) -> PyResult<()> {
        Ok(())
    }
}

/// Builds a native function value.
pub struct FunctionBuilder {
    name: Rc<str>,
    qualname: Option<Rc<str>>,
    module: Option<Rc<str>>,
    binding: Binding,
    side_effects: bool,
    func: Rc<super::value::NativeFn>,
}

/// A native function named `name` running `f`.
pub fn function(name: &str, f: impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> + 'static) -> FunctionBuilder {
    FunctionBuilder { name: Rc::from(name), qualname: None, module: None, binding: Binding::Plain, side_effects: false, func: Rc::new(f) }
}

/// A plain native function value (shorthand for `function(name, f).build()`).
pub fn native_fn(name: &str, f: impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> + 'static) -> Value {
    function(name, f).build()
}

impl FunctionBuilder {
    /// Bind like a method when found through an instance (`self` is the first argument).
    pub fn method(mut self) -> Self {
        self.binding = Binding::Method;
        self
    }

    /// Bind like a `@classmethod` (the class is the first argument).
    pub fn class_method(mut self) -> Self {
        self.binding = Binding::ClassMethod;
        self
    }

    /// Declare that calling it changes state (refused in previews).
    pub fn side_effects(mut self) -> Self {
        self.side_effects = true;
        self
    }

    pub fn module(mut self, module: &str) -> Self {
        self.module = Some(Rc::from(module));
        self
    }

    pub fn qualname(mut self, qualname: &str) -> Self {
        self.qualname = Some(Rc::from(qualname));
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn build(self) -> Value {
        Value::NativeFunction(Rc::new(NativeFunction {
            qualname: self.qualname.unwrap_or_else(|| self.name.clone()),
            name: self.name,
            module: self.module,
            binding: self.binding,
            side_effects: self.side_effects,
            func: self.func,
        }))
    }
}

impl From<FunctionBuilder> for Value {
    fn from(b: FunctionBuilder) -> Value {
        b.build()
    }
}

/// Builds a native module.
pub struct ModuleBuilder {
    module: Module,
}

impl ModuleBuilder {
    pub fn new(name: &str) -> ModuleBuilder {
        ModuleBuilder { module: Module::new(name, None) }
    }

    /// Add a plain function.
    pub fn function(self, name: &str, f: impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> + 'static) -> Self {
        let m = self.module.name.clone();
        self.value(name, function(name, f).module(&m).build())
    }

    /// Add a function configured with [`function`] (e.g. `.side_effects()`).
    pub fn function_with(self, f: FunctionBuilder) -> Self {
        let name = f.name().to_string();
        let m = self.module.name.clone();
        self.value(&name, f.module(&m).build())
    }

    pub fn value(self, name: &str, v: impl Into<Value>) -> Self {
        self.module.set(name, v.into());
        self
    }

    /// Add a class under its own name.
    pub fn class(self, cls: &Rc<Class>) -> Self {
        let name = cls.name.to_string();
        self.value(&name, Value::Class(cls.clone()))
    }

    pub fn build(self) -> Rc<Module> {
        Rc::new(self.module)
    }
}

/// Builds a native class (which Python classes may subclass).
pub struct ClassBuilder {
    name: String,
    module: String,
    bases: Vec<Rc<Class>>,
    dict: AttrMap,
    hooks: Option<Rc<dyn ClassHooks>>,
}

impl ClassBuilder {
    pub fn new(name: &str, module: &str) -> ClassBuilder {
        ClassBuilder { name: name.into(), module: module.into(), bases: Vec::new(), dict: AttrMap::new(), hooks: None }
    }

    pub fn base(mut self, base: &Rc<Class>) -> Self {
        self.bases.push(base.clone());
        self
    }

    /// A method: `f` receives `self` as the first positional argument.
    pub fn method(self, name: &str, f: impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> + 'static) -> Self {
        let q = format!("{}.{}", self.name, name);
        self.attr(name, function(name, f).method().qualname(&q).build())
    }

    /// A method configured with [`function`] (e.g. `.side_effects()`); it binds like a method.
    pub fn method_with(self, f: FunctionBuilder) -> Self {
        let name = f.name().to_string();
        let q = format!("{}.{}", self.name, name);
        self.attr(&name, f.method().qualname(&q).build())
    }

    /// A class method: `f` receives the class as the first positional argument.
    pub fn class_method(self, name: &str, f: impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> + 'static) -> Self {
        let q = format!("{}.{}", self.name, name);
        self.attr(name, function(name, f).class_method().qualname(&q).build())
    }

    /// A function that does not bind (like `@staticmethod`).
    pub fn static_method(self, name: &str, f: impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> + 'static) -> Self {
        let q = format!("{}.{}", self.name, name);
        self.attr(name, function(name, f).qualname(&q).build())
    }

    /// Any class attribute, including host descriptors (`Value::Native`).
    pub fn attr(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.dict.set(name, value.into());
        self
    }

    pub fn hooks(mut self, hooks: impl ClassHooks + 'static) -> Self {
        self.hooks = Some(Rc::new(hooks));
        self
    }

    pub fn build(self, interp: &Interpreter) -> PyResult<Rc<Class>> {
        interp.create_class(ClassSpec {
            name: Rc::from(self.name.as_str()),
            qualname: Rc::from(self.name.as_str()),
            module: Rc::from(self.module.as_str()),
            bases: self.bases,
            dict: self.dict,
            kind: ClassKind::Native,
            hooks: self.hooks,
        })
    }
}

impl Interpreter {
    /// A new exception class deriving from `base` (e.g. `SQLAlchemyError`
    /// from `Exception`), catchable by either class in Python code.
    pub fn new_exception_class(&self, name: &str, module: &str, base: &Rc<Class>) -> PyResult<Rc<Class>> {
        ClassBuilder::new(name, module).base(base).build(self)
    }

    /// An exception object of `class` with `args` (set extra attributes with
    /// `set_own`, then raise it with [`PyErr::from_instance`]).
    pub fn new_exception(&self, class: &Rc<Class>, args: Vec<Value>) -> Rc<Instance> {
        let inst = Rc::new(Instance::new(class.clone()));
        if let Some(exc) = &inst.exc {
            exc.borrow_mut().args = args;
        }
        inst
    }

    /// `raise error from cause` done by host code: the traceback shows `cause` first, then
    /// "The above exception was the direct cause of the following exception:".
    pub fn raise_from(&mut self, error: PyErr, cause: PyErr) -> PyErr {
        if error.is_uncatchable() || cause.is_uncatchable() {
            return if cause.is_uncatchable() { cause } else { error };
        }
        let cause = Value::Instance(self.materialize(&cause));
        let instance = self.materialize(&error);
        if let Some(exc) = &instance.exc {
            let mut exc = exc.borrow_mut();
            exc.cause = Some(cause);
            exc.suppress_context = true;
        }
        PyErr::from_instance(instance)
    }

    /// A bare instance of `class` (no `__init__` is run, no hooks).
    pub fn new_instance(&self, class: &Rc<Class>) -> Rc<Instance> {
        Rc::new(Instance::new(class.clone()))
    }

    /// `isinstance(v, cls)`.
    pub fn isinstance(&mut self, v: &Value, cls: &Rc<Class>) -> bool {
        self.class_of(v).is_subclass_of(cls)
    }

    /// The class of an exception in flight, builtin, host- or user-defined (`None` for
    /// the stops `except` cannot catch: the step budget, preview refusals).
    pub fn exception_class_of(&self, err: &PyErr) -> Option<Rc<Class>> {
        match &err.0.payload {
            Payload::Lazy { class: ExcClass::Builtin(kind), .. } => Some(self.exception_class(*kind)),
            Payload::Lazy { class: ExcClass::Class(class), .. } => Some(class.clone()),
            Payload::Object(instance) => Some(instance.class.clone()),
            Payload::Limit(_) | Payload::Refused(_) => None,
        }
    }

    /// Whether `except class:` would catch the exception (e.g. host code catching a
    /// user-defined `ValidationError` raised by a Python validator).
    pub fn exception_is(&self, err: &PyErr, class: &Class) -> bool {
        self.exception_class_of(err).is_some_and(|c| c.is_subclass_of(class))
    }

    /// The exception object, as `except ... as e` binds it (made now when the error was
    /// raised without one); `None` for the uncatchable stops.
    pub fn exception_object(&mut self, err: &PyErr) -> Option<Rc<Instance>> {
        if err.is_uncatchable() {
            return None;
        }
        Some(self.materialize(err))
    }
}

/// Convert a Python value to a Rust type, with CPython-style `TypeError`s.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> PyResult<Self>;
}

impl FromValue for Value {
    fn from_value(v: &Value) -> PyResult<Self> {
        Ok(v.clone())
    }
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> PyResult<Self> {
        v.as_int().ok_or_else(|| super::interp::not_an_integer(v))
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> PyResult<Self> {
        v.as_float().ok_or_else(|| PyErr::type_error(format!("must be real number, not {}", v.type_name())))
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> PyResult<Self> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Int(i) => Ok(*i != 0),
            Value::None => Ok(false),
            other => Err(PyErr::type_error(format!("expected bool, not {}", other.type_name()))),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> PyResult<Self> {
        v.as_str().map(str::to_string).ok_or_else(|| PyErr::type_error(format!("expected str, not {}", v.type_name())))
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> PyResult<Self> {
        if v.is_none() {
            Ok(None)
        } else {
            T::from_value(v).map(Some)
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    /// From a list or tuple.
    fn from_value(v: &Value) -> PyResult<Self> {
        match v.sequence_items() {
            Some(items) => items.iter().map(T::from_value).collect(),
            None => Err(PyErr::type_error(format!("expected a list or tuple, not {}", v.type_name()))),
        }
    }
}

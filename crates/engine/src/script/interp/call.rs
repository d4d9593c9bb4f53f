//! Calling: Python functions (with CPython's argument binding rules and
//! messages), native functions, bound methods, classes and callable objects.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::error::{ExcKind, PyErr, PyResult, TbEntry};
use super::super::native::CallArgs;
use super::super::value::{Binding, BuiltinMethod, Class, ClassKind, Function, Instance, NativeFunction, Value};
use super::exec::Flow;
use super::{Frame, FrameInfo, FrameKind, Interpreter};

impl Interpreter {
    /// Call a Python value with positional and keyword arguments.
    pub fn call(&mut self, callee: &Value, args: Vec<Value>, kwargs: Vec<(Rc<str>, Value)>) -> PyResult<Value> {
        self.call_args(callee, CallArgs { args, kwargs })
    }

    pub(crate) fn call_args(&mut self, callee: &Value, args: CallArgs) -> PyResult<Value> {
        match callee {
            Value::Function(func) => self.call_function(func, None, args),
            Value::NativeFunction(nf) => self.call_native(nf, args),
            Value::BoundMethod(bm) => match &bm.func {
                Value::Function(func) => self.call_function(func, Some(bm.receiver.clone()), args),
                _ => self.call_bound_other(bm, args),
            },
            Value::BuiltinMethod(m) => self.call_builtin_method_value(m, args),
            Value::Class(cls) => self.instantiate(cls, args),
            _ => self.call_object(callee, args),
        }
    }

    /// Calls of callable objects: instances with `__call__`, host objects, static methods.
    #[inline(never)]
    fn call_object(&mut self, callee: &Value, args: CallArgs) -> PyResult<Value> {
        match callee {
            Value::Instance(inst) => match inst.class.lookup("__call__") {
                Some(call) => {
                    let bound = self.bind_attribute(call, callee, &inst.class.clone())?;
                    self.call_args(&bound, args)
                }
                None => Err(not_callable(callee)),
            },
            Value::Native(obj) => {
                let obj = obj.clone();
                if !obj.is_callable() {
                    return Err(not_callable(callee));
                }
                if self.preview && obj.call_has_side_effects() {
                    return Err(PyErr::refused(format!("calling a {} object has side effects", obj.type_name())));
                }
                obj.call(self, callee, args)
            }
            Value::StaticMethod(inner) => {
                let inner = (**inner).clone();
                self.call_args(&inner, args)
            }
            _ => Err(not_callable(callee)),
        }
    }

    /// A bound method whose function is not a Python function.
    #[inline(never)]
    fn call_bound_other(&mut self, bm: &Rc<super::super::value::BoundMethod>, args: CallArgs) -> PyResult<Value> {
        let mut all = Vec::with_capacity(args.args.len() + 1);
        all.push(bm.receiver.clone());
        all.extend(args.args);
        let func = bm.func.clone();
        self.call_args(&func, CallArgs { args: all, kwargs: args.kwargs })
    }

    /// `callable(v)`.
    pub fn is_callable(&self, v: &Value) -> bool {
        match v {
            Value::Function(_) | Value::NativeFunction(_) | Value::BoundMethod(_) | Value::BuiltinMethod(_) | Value::Class(_) | Value::StaticMethod(_) => true,
            Value::Instance(inst) => inst.class.lookup("__call__").is_some(),
            Value::Native(n) => n.is_callable(),
            _ => false,
        }
    }

    #[inline(never)]
    pub(crate) fn call_native(&mut self, nf: &Rc<NativeFunction>, args: CallArgs) -> PyResult<Value> {
        if self.preview && nf.side_effects {
            return Err(PyErr::refused(format!("{}() has side effects", nf.qualname)));
        }
        let func = nf.func.clone();
        func(self, args)
    }

    /// Look `obj.name` up for a call, without materializing a bound method
    /// when the target is a plain method.
    #[inline(never)]
    pub(crate) fn method_target(&mut self, obj: &Value, name: &str) -> PyResult<MethodTarget> {
        match obj {
            Value::Instance(inst) => {
                if let Some(attr) = inst.class.lookup(name) {
                    if !inst.dict.borrow().contains(name) {
                        match attr {
                            Value::Function(func) => return Ok(MethodTarget::Function(func, obj.clone())),
                            Value::NativeFunction(nf) if nf.binding == Binding::Method => return Ok(MethodTarget::Native(nf, obj.clone())),
                            _ => {}
                        }
                    }
                }
            }
            Value::Module(_) | Value::Class(_) | Value::Native(_) | Value::Super(_) => {}
            _ => {
                let t = obj.builtin_type();
                if let Some(method) = super::super::builtins::methods::lookup(t, name) {
                    return Ok(MethodTarget::Builtin(obj.clone(), t, method));
                }
            }
        }
        self.getattr(obj, name).map(MethodTarget::Value)
    }

    /// Call what `method_target` found.
    pub(crate) fn call_method_target(&mut self, target: MethodTarget, args: CallArgs) -> PyResult<Value> {
        match target {
            MethodTarget::Function(func, recv) => self.call_function(&func, Some(recv), args),
            MethodTarget::Native(nf, recv) => {
                let mut all = Vec::with_capacity(args.args.len() + 1);
                all.push(recv);
                all.extend(args.args);
                self.call_native(&nf, CallArgs { args: all, kwargs: args.kwargs })
            }
            MethodTarget::Builtin(recv, t, name) => super::super::builtins::methods::call(self, &recv, t, name, args),
            MethodTarget::Value(f) => self.call_args(&f, args),
        }
    }

    /// Call `obj.name(args)`.
    pub fn call_method(&mut self, obj: &Value, name: &str, args: CallArgs) -> PyResult<Value> {
        let target = self.method_target(obj, name)?;
        self.call_method_target(target, args)
    }

    /// How CPython names a callable in argument errors (`__main__.f()`, `print()`).
    pub(crate) fn function_str(&self, callee: &Value) -> String {
        match callee {
            Value::Function(f) => {
                let module = f.globals.get("__name__").and_then(|m| m.as_str().map(str::to_string)).unwrap_or_default();
                format!("{module}.{}()", f.def.qualname)
            }
            Value::BoundMethod(bm) => self.function_str(&bm.func),
            Value::NativeFunction(nf) => match &nf.module {
                Some(m) => format!("{m}.{}()", nf.qualname),
                None => format!("{}()", nf.qualname),
            },
            Value::BuiltinMethod(m) => format!("{}.{}()", m.owner.name(), m.name),
            Value::Class(c) => format!("{}()", c.display_name()),
            other => format!("{} object", other.type_name()),
        }
    }

    #[inline(never)]
    fn call_builtin_method_value(&mut self, m: &Rc<BuiltinMethod>, mut args: CallArgs) -> PyResult<Value> {
        let receiver = match &m.receiver {
            Some(r) => r.clone(),
            None => {
                // An unbound method (`str.upper`): the first argument is the receiver.
                if args.args.is_empty() {
                    return Err(PyErr::type_error(format!("unbound method {}.{}() needs an argument", m.owner.name(), m.name)));
                }
                let r = args.args.remove(0);
                if !self.class_of(&r).is_subclass_of(self.types.get(m.owner)) {
                    return Err(PyErr::type_error(format!(
                        "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                        m.name,
                        m.owner.name(),
                        r.type_name()
                    )));
                }
                r
            }
        };
        super::super::builtins::methods::call(self, &receiver, m.owner, m.name, args)
    }

    /// Call a function defined in Python.
    pub(crate) fn call_function(&mut self, func: &Rc<Function>, receiver: Option<Value>, args: CallArgs) -> PyResult<Value> {
        if self.preview {
            return Err(PyErr::refused(format!("calling the Python function {}() is not done in previews", func.def.qualname)));
        }
        self.tick()?;
        self.enter_call()?;
        let def = &func.def;
        let scope = def.scope.clone();
        let mut locals: Vec<Option<Value>> = vec![None; scope.n_locals as usize];
        self.bind_arguments(func, receiver, args, &mut locals)?;
        let mut cells = Vec::with_capacity(scope.cell_names.len());
        for _ in 0..scope.n_own_cells {
            cells.push(Rc::new(RefCell::new(None)));
        }
        cells.extend(func.closure.iter().cloned());
        for &(slot, cell) in &scope.cell_params {
            let v = locals.get_mut(slot as usize).and_then(Option::take);
            if let Some(c) = cells.get(cell as usize) {
                *c.borrow_mut() = v;
            }
        }
        let mut frame = Frame { kind: FrameKind::Function, locals, cells, globals: func.globals.clone(), namespace: None, scope: Some(scope), echo_expressions: false };
        self.frames.push(FrameInfo { file: def.file.clone(), module: func.globals.name.clone(), name: def.name.clone(), line: def.span.start.line });
        let r = self.exec_block(&mut frame, &def.body);
        let r = match r {
            Ok(Flow::Return(v)) => Ok(v),
            Ok(_) => Ok(Value::None),
            Err(e) => Err(self.record_frame(e)),
        };
        self.frames.pop();
        r
    }

    /// Add the innermost unrecorded frame to an error's traceback.
    #[inline(never)]
    pub(crate) fn record_frame(&mut self, mut err: PyErr) -> PyErr {
        let depth = self.frames.len();
        let pending = err.0.span.take();
        if depth == 0 || err.0.recorded_depth == depth {
            return err;
        }
        let fr = &self.frames[depth - 1];
        let (span, caret) = match pending {
            Some((s, c)) => (Some(s), c),
            None => (None, Default::default()),
        };
        let line = span.map_or(fr.line, |s| s.start.line);
        err.0.traceback.push(TbEntry { file: fr.file.clone(), line, function: fr.name.clone(), span, caret });
        err.0.recorded_depth = depth;
        err
    }

    /// Bind call arguments to parameter slots, with CPython's error messages.
    #[inline(never)]
    fn bind_arguments(&mut self, func: &Function, receiver: Option<Value>, args: CallArgs, locals: &mut [Option<Value>]) -> PyResult<()> {
        let def = &func.def;
        let p = &def.params;
        let n_args = p.args.len();
        let n_kwonly = p.kwonly.len();
        let fname = || format!("{}()", def.qualname);
        let mut positional = args.args;
        if let Some(r) = receiver {
            positional.insert(0, r);
        }
        let given = positional.len();
        // Fast path: exactly the positional parameters, nothing else.
        if given == n_args && args.kwargs.is_empty() && p.vararg.is_none() && p.kwarg.is_none() && n_kwonly == 0 {
            for (slot, v) in locals.iter_mut().zip(positional) {
                *slot = Some(v);
            }
            return Ok(());
        }
        let vararg_slot = n_args + n_kwonly;
        let kwarg_slot = vararg_slot + p.vararg.is_some() as usize;
        if given > n_args {
            if p.vararg.is_none() {
                let kw_given = args.kwargs.iter().filter(|(k, _)| p.kwonly.iter().any(|q| q.name == *k)).count();
                let takes = if p.defaults.is_empty() {
                    format!("{} positional argument{}", n_args, plural(n_args))
                } else {
                    format!("from {} to {} positional arguments", n_args - p.defaults.len(), n_args)
                };
                let was = if kw_given > 0 {
                    format!(
                        "{} positional argument{} (and {} keyword-only argument{}) were given",
                        given,
                        plural(given),
                        kw_given,
                        plural(kw_given)
                    )
                } else if given == 1 {
                    "1 was given".to_string()
                } else {
                    format!("{given} were given")
                };
                return Err(PyErr::type_error(format!("{} takes {takes} but {was}", fname())));
            }
            let extra = positional.split_off(n_args);
            locals[vararg_slot] = Some(Value::tuple(extra));
        } else if p.vararg.is_some() {
            locals[vararg_slot] = Some(Value::tuple(Vec::new()));
        }
        for (slot, v) in locals.iter_mut().zip(positional) {
            *slot = Some(v);
        }
        let kwargs_dict = if p.kwarg.is_some() { Some(Value::empty_dict()) } else { None };
        let mut posonly_as_kw = Vec::new();
        for (name, value) in args.kwargs {
            let found = p.args.iter().position(|q| q.name == name).filter(|&i| i >= p.posonly).or_else(|| p.kwonly.iter().position(|q| q.name == name).map(|i| n_args + i));
            match found {
                Some(i) => {
                    if locals[i].is_some() {
                        return Err(PyErr::type_error(format!("{} got multiple values for argument '{name}'", fname())));
                    }
                    locals[i] = Some(value);
                }
                None => match &kwargs_dict {
                    Some(d) => self.setitem(d, &Value::str(&name), value)?,
                    None => {
                        if p.args.iter().take(p.posonly).any(|q| q.name == name) {
                            posonly_as_kw.push(name.to_string());
                            continue;
                        }
                        return Err(PyErr::type_error(format!("{} got an unexpected keyword argument '{name}'", fname())));
                    }
                },
            }
        }
        if !posonly_as_kw.is_empty() {
            return Err(PyErr::type_error(format!(
                "{} got some positional-only arguments passed as keyword arguments: '{}'",
                fname(),
                posonly_as_kw.join(", ")
            )));
        }
        if let Some(d) = kwargs_dict {
            locals[kwarg_slot] = Some(d);
        }
        // Defaults and missing arguments.
        let first_default = n_args - p.defaults.len();
        let mut missing = Vec::new();
        for (i, slot) in locals.iter_mut().enumerate().take(n_args) {
            if slot.is_none() {
                if i >= first_default {
                    *slot = Some(func.defaults[i - first_default].clone());
                } else {
                    missing.push(p.args[i].name.to_string());
                }
            }
        }
        if !missing.is_empty() {
            return Err(PyErr::type_error(format!(
                "{} missing {} required positional argument{}: {}",
                fname(),
                missing.len(),
                plural(missing.len()),
                name_list(&missing)
            )));
        }
        let mut missing_kw = Vec::new();
        for (k, q) in p.kwonly.iter().enumerate() {
            let slot = n_args + k;
            if locals[slot].is_none() {
                match func.kw_defaults.get(k).cloned().flatten() {
                    Some(d) => locals[slot] = Some(d),
                    None => missing_kw.push(q.name.to_string()),
                }
            }
        }
        if !missing_kw.is_empty() {
            return Err(PyErr::type_error(format!(
                "{} missing {} required keyword-only argument{}: {}",
                fname(),
                missing_kw.len(),
                plural(missing_kw.len()),
                name_list(&missing_kw)
            )));
        }
        Ok(())
    }

    /// `Cls(args)`: create and initialize an instance.
    #[inline(never)]
    pub(crate) fn instantiate(&mut self, cls: &Rc<Class>, args: CallArgs) -> PyResult<Value> {
        if let ClassKind::Builtin(t) = cls.kind {
            return super::super::builtins::types::construct(self, cls, t, args);
        }
        if let Some(hooks) = cls.inherited_hooks() {
            if let Some(v) = hooks.call_class(self, cls, &args)? {
                return Ok(v);
            }
        }
        // A user-defined __new__ decides what is created.
        if let Some((new_fn, owner)) = cls.lookup_with_owner("__new__") {
            if !matches!(owner.kind, ClassKind::Builtin(_) | ClassKind::BuiltinException(_)) {
                let new_fn = match new_fn {
                    Value::StaticMethod(inner) => (*inner).clone(),
                    other => other,
                };
                let mut new_args = vec![Value::Class(cls.clone())];
                new_args.extend(args.args.iter().cloned());
                let obj = self.call_args(&new_fn, CallArgs { args: new_args, kwargs: args.kwargs.clone() })?;
                if let Value::Instance(inst) = &obj {
                    if inst.class.is_subclass_of(cls) {
                        self.run_init(cls, &obj, args)?;
                    }
                }
                return Ok(obj);
            }
        }
        let inst = Rc::new(Instance::new(cls.clone()));
        if let Some(exc) = &inst.exc {
            exc.borrow_mut().args = args.args.clone();
        }
        if let Some(hooks) = cls.inherited_hooks() {
            hooks.new_instance(self, &inst)?;
        }
        let obj = Value::Instance(inst);
        self.run_init(cls, &obj, args)?;
        Ok(obj)
    }

    fn run_init(&mut self, cls: &Rc<Class>, obj: &Value, args: CallArgs) -> PyResult<()> {
        let Some((init, owner)) = cls.lookup_with_owner("__init__") else { return Ok(()) };
        if std::ptr::eq(owner, &**self.types.object()) {
            if !args.args.is_empty() || !args.kwargs.is_empty() {
                return Err(PyErr::type_error(format!("{}() takes no arguments", cls.name)));
            }
            return Ok(());
        }
        if cls.is_exception_class() && matches!(owner.kind, ClassKind::BuiltinException(_)) {
            if !args.kwargs.is_empty() {
                return Err(PyErr::type_error(format!("{}() takes no keyword arguments", cls.name)));
            }
            return Ok(());
        }
        let result = match &init {
            Value::Function(func) => self.call_function(func, Some(obj.clone()), args)?,
            _ => {
                let bound = self.bind_attribute(init, obj, cls)?;
                self.call_args(&bound, args)?
            }
        };
        if !result.is_none() {
            return Err(PyErr::type_error(format!("__init__() should return None, not '{}'", result.type_name())));
        }
        Ok(())
    }

    /// Call a class method by name with the instance as receiver, when the
    /// class (or an ancestor) defines it. Used for special methods.
    pub(crate) fn call_special(&mut self, obj: &Value, cls: &Rc<Class>, name: &str, args: Vec<Value>) -> PyResult<Option<Value>> {
        let Some(attr) = cls.lookup(name) else { return Ok(None) };
        let result = match &attr {
            Value::Function(func) => self.call_function(func, Some(obj.clone()), CallArgs { args, kwargs: Vec::new() })?,
            Value::None => return Ok(None),
            _ => {
                let bound = self.bind_attribute(attr, obj, cls)?;
                self.call(&bound, args, Vec::new())?
            }
        };
        Ok(Some(result))
    }
}

/// The callee of `obj.name(...)`, found before the arguments are evaluated.
pub(crate) enum MethodTarget {
    Function(Rc<Function>, Value),
    Native(Rc<NativeFunction>, Value),
    Builtin(Value, super::super::value::BuiltinType, &'static str),
    Value(Value),
}

impl MethodTarget {
    /// The callee as a value (for error messages).
    pub(crate) fn callee(&self) -> Value {
        match self {
            MethodTarget::Function(f, _) => Value::Function(f.clone()),
            MethodTarget::Native(nf, _) => Value::NativeFunction(nf.clone()),
            MethodTarget::Builtin(recv, t, name) => Value::BuiltinMethod(Rc::new(BuiltinMethod { receiver: Some(recv.clone()), owner: *t, name })),
            MethodTarget::Value(v) => v.clone(),
        }
    }
}

fn not_callable(v: &Value) -> PyErr {
    PyErr::type_error(format!("'{}' object is not callable", v.type_name()))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'` as CPython lists missing arguments.
fn name_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

impl From<ExcKind> for PyErr {
    fn from(kind: ExcKind) -> Self {
        PyErr::with_args(kind, Vec::new())
    }
}

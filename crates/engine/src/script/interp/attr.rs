//! Attribute access: instance dicts, class MROs, descriptors (functions,
//! properties, static/class methods, host descriptors, Python `__get__`),
//! `__getattr__`, `super()`, modules and the attributes of builtin values.

use std::rc::Rc;

use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::native::{CallArgs, DescriptorKind};
use super::super::value::{Binding, BoundMethod, BuiltinMethod, BuiltinType, Class, ClassKind, Property, SuperObject, Value};
use super::Interpreter;

impl Interpreter {
    /// `getattr(obj, name)`, raising `AttributeError` as CPython words it.
    pub fn getattr(&mut self, obj: &Value, name: &str) -> PyResult<Value> {
        match self.lookup_attr(obj, name)? {
            Some(v) => Ok(v),
            None => {
                let names = self.attribute_names(obj);
                let suggestion = super::suggest::suggestion(name, names.iter().map(String::as_str));
                Err(self.attribute_error(obj, name).with_suggestion(suggestion))
            }
        }
    }

    /// The attribute, or `None` when there is none (no exception object made).
    #[inline(never)]
    pub fn lookup_attr(&mut self, obj: &Value, name: &str) -> PyResult<Option<Value>> {
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                let class_attr = cls.lookup(name);
                if let Some(ca) = &class_attr {
                    if self.is_data_descriptor(ca) {
                        return self.descriptor_get(ca.clone(), Some(obj), &cls).map(Some);
                    }
                }
                if let Some(v) = inst.dict.borrow().get(name) {
                    return Ok(Some(v.clone()));
                }
                if let Some(ca) = class_attr {
                    return self.bind_attribute(ca, obj, &cls).map(Some);
                }
                match name {
                    "__class__" => return Ok(Some(Value::Class(cls))),
                    "__dict__" => return Ok(Some(super::instance_dict::InstanceDict::of_instance(inst.clone()))),
                    _ => {}
                }
                if let Some(exc) = &inst.exc {
                    let e = exc.borrow();
                    match name {
                        "args" => return Ok(Some(Value::tuple(e.args.clone()))),
                        "__cause__" => return Ok(Some(e.cause.clone().unwrap_or(Value::None))),
                        "__context__" => return Ok(Some(e.context.clone().unwrap_or(Value::None))),
                        "__suppress_context__" => return Ok(Some(Value::Bool(e.suppress_context))),
                        "__traceback__" => return Ok(Some(Value::None)),
                        "__notes__" => {}
                        _ => {}
                    }
                    drop(e);
                    if let Some(v) = self.exception_extra_attr(inst, name) {
                        return Ok(Some(v));
                    }
                }
                if let Some(getattr) = cls.lookup("__getattr__") {
                    let bound = self.bind_attribute(getattr, obj, &cls)?;
                    return match self.call(&bound, vec![Value::str(name)], Vec::new()) {
                        Ok(v) => Ok(Some(v)),
                        Err(e) if e.is(ExcKind::AttributeError) => Ok(None),
                        Err(e) => Err(e),
                    };
                }
                Ok(None)
            }
            Value::Class(cls) => self.class_attr(cls, name),
            Value::Module(m) => {
                if let Some(v) = m.get(name) {
                    return Ok(Some(v));
                }
                if name == "__dict__" {
                    let d = Value::empty_dict();
                    for (k, v) in m.globals.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>() {
                        self.setitem(&d, &Value::str(&k), v)?;
                    }
                    return Ok(Some(d));
                }
                // A registered submodule not imported yet (`import sqlalchemy` then `sqlalchemy.orm`).
                let full = format!("{}.{}", m.name, name);
                if self.has_module(&full) {
                    return self.import_module(&full).map(|m| Some(Value::Module(m)));
                }
                Ok(None)
            }
            Value::Native(n) => {
                let n = n.clone();
                if let Some(v) = n.get_attr(self, obj, name)? {
                    return Ok(Some(v));
                }
                if name == "__class__" {
                    return Ok(Some(Value::Class(self.class_of(obj))));
                }
                Ok(None)
            }
            Value::Super(s) => self.super_attr(s, name),
            Value::Function(func) => Ok(match name {
                // Assigned attributes (`wrapper.__name__ = f.__name__`) win.
                _ if func.dict.borrow().contains(name) => func.dict.borrow().get(name).cloned(),
                "__name__" => Some(Value::str(&func.def.name)),
                "__qualname__" => Some(Value::str(&func.def.qualname)),
                "__doc__" => Some(func.def.doc.as_deref().map_or(Value::None, Value::str)),
                "__module__" => func.globals.get("__name__"),
                "__defaults__" => Some(if func.defaults.is_empty() { Value::None } else { Value::tuple(func.defaults.clone()) }),
                "__globals__" => Some(Value::Module(func.globals.clone())),
                "__class__" => Some(Value::Class(self.types.get(BuiltinType::Function).clone())),
                _ => func.dict.borrow().get(name).cloned().or_else(|| if name == "__annotations__" { Some(Value::empty_dict()) } else { None }),
            }),
            Value::BoundMethod(bm) => Ok(match name {
                "__self__" => Some(bm.receiver.clone()),
                "__func__" => Some(bm.func.clone()),
                _ => {
                    let f = bm.func.clone();
                    return self.lookup_attr(&f, name);
                }
            }),
            Value::NativeFunction(nf) => Ok(match name {
                "__name__" => Some(Value::str(&nf.name)),
                "__qualname__" => Some(Value::str(&nf.qualname)),
                "__module__" => Some(nf.module.as_deref().map_or(Value::str("builtins"), Value::str)),
                "__doc__" => Some(Value::None),
                _ => None,
            }),
            Value::Property(p) => Ok(match name {
                "fget" => Some(p.fget.clone().unwrap_or(Value::None)),
                "fset" => Some(p.fset.clone().unwrap_or(Value::None)),
                "fdel" => Some(p.fdel.clone().unwrap_or(Value::None)),
                "__doc__" => Some(p.doc.clone().unwrap_or(Value::None)),
                "setter" | "getter" | "deleter" => Some(self.builtin_method(obj, BuiltinType::Property, name)),
                _ => None,
            }),
            Value::StaticMethod(inner) | Value::ClassMethod(inner) => Ok(match name {
                "__func__" => Some((**inner).clone()),
                _ => None,
            }),
            Value::Range(r) => Ok(match name {
                "start" => Some(Value::Int(r.start)),
                "stop" => Some(Value::Int(r.stop)),
                "step" => Some(Value::Int(r.step)),
                _ => self.builtin_attr(obj, name),
            }),
            Value::Slice(s) => Ok(match name {
                "start" => Some(s.start.clone()),
                "stop" => Some(s.stop.clone()),
                "step" => Some(s.step.clone()),
                _ => self.builtin_attr(obj, name),
            }),
            Value::Int(_) | Value::Bool(_) => Ok(match name {
                "real" | "numerator" => Some(Value::Int(obj.as_int().unwrap_or(0))),
                "imag" => Some(Value::Int(0)),
                "denominator" => Some(Value::Int(1)),
                _ => self.builtin_attr(obj, name),
            }),
            Value::Float(x) => Ok(match name {
                "real" => Some(Value::Float(*x)),
                "imag" => Some(Value::Float(0.0)),
                _ => self.builtin_attr(obj, name),
            }),
            Value::TypeAlias(a) => Ok(match (&**a, name) {
                (super::super::value::TypeAlias::Generic { origin, .. }, "__origin__") => Some(origin.clone()),
                (super::super::value::TypeAlias::Generic { args, .. }, "__args__") => Some(Value::tuple(args.clone())),
                (super::super::value::TypeAlias::Union { members: args, .. }, "__args__") => Some(Value::tuple(args.clone())),
                _ => None,
            }),
            _ => Ok(self.builtin_attr(obj, name)),
        }
    }

    /// Methods of builtin values (`[].append`) and `__class__`.
    fn builtin_attr(&mut self, obj: &Value, name: &str) -> Option<Value> {
        let t = obj.builtin_type();
        if let Some(m) = super::super::builtins::methods::lookup(t, name) {
            return Some(self.builtin_method(obj, t, m));
        }
        match name {
            "__class__" => Some(Value::Class(self.class_of(obj))),
            _ => None,
        }
    }

    fn builtin_method(&self, obj: &Value, owner: BuiltinType, name: &str) -> Value {
        let name = super::super::builtins::methods::lookup(owner, name).unwrap_or("__unknown__");
        Value::BuiltinMethod(Rc::new(BuiltinMethod { receiver: Some(obj.clone()), owner, name }))
    }

    /// Attributes of a class object (`User.x`, `int.__name__`).
    fn class_attr(&mut self, cls: &Rc<Class>, name: &str) -> PyResult<Option<Value>> {
        if let Some(v) = cls.lookup(name) {
            return self.class_descriptor_get(v, cls).map(Some);
        }
        let v = match name {
            "__name__" => Value::str(&cls.name),
            "__qualname__" => Value::str(&cls.qualname),
            "__module__" => Value::str(&cls.module),
            "__doc__" => Value::None,
            "__bases__" => {
                let bases: Vec<Value> = if cls.bases.is_empty() && cls.kind != ClassKind::Builtin(BuiltinType::Object) {
                    vec![Value::Class(self.types.object().clone())]
                } else {
                    cls.bases.iter().map(|b| Value::Class(b.clone())).collect()
                };
                Value::tuple(bases)
            }
            "__base__" => match cls.bases.first() {
                Some(b) => Value::Class(b.clone()),
                None if cls.kind == ClassKind::Builtin(BuiltinType::Object) => Value::None,
                None => Value::Class(self.types.object().clone()),
            },
            "__mro__" => Value::tuple(self.mro_values(cls)),
            "__class__" => Value::Class(self.types.get(BuiltinType::Type).clone()),
            "__dict__" => super::instance_dict::InstanceDict::of_class(cls.clone()),
            "mro" => {
                let mro = Value::list(self.mro_values(cls));
                return Ok(Some(super::super::native::native_fn("mro", move |_, _| Ok(mro.clone()))));
            }
            "__subclasses__" => return Ok(None),
            _ => {
                if let ClassKind::Builtin(t) = cls.kind {
                    if let Some(v) = super::super::builtins::types::class_attribute(self, t, name) {
                        return Ok(Some(v));
                    }
                    if let Some(m) = super::super::builtins::methods::lookup(t, name) {
                        return Ok(Some(Value::BuiltinMethod(Rc::new(BuiltinMethod { receiver: None, owner: t, name: m }))));
                    }
                }
                return Ok(None);
            }
        };
        Ok(Some(v))
    }

    fn mro_values(&self, cls: &Rc<Class>) -> Vec<Value> {
        let mut v = vec![Value::Class(cls.clone())];
        v.extend(cls.ancestors().iter().map(|c| Value::Class(c.clone())));
        if cls.kind != ClassKind::Builtin(BuiltinType::Object) && !cls.ancestors().iter().any(|c| c.kind == ClassKind::Builtin(BuiltinType::Object)) {
            v.push(Value::Class(self.types.object().clone()));
        }
        v
    }

    /// What `Cls.attr` gives for a value found in the class namespace.
    fn class_descriptor_get(&mut self, v: Value, cls: &Rc<Class>) -> PyResult<Value> {
        match &v {
            Value::ClassMethod(f) => Ok(Value::BoundMethod(Rc::new(BoundMethod { receiver: Value::Class(cls.clone()), func: (**f).clone() }))),
            Value::StaticMethod(f) => Ok((**f).clone()),
            Value::NativeFunction(nf) if nf.binding == Binding::ClassMethod => {
                Ok(Value::BoundMethod(Rc::new(BoundMethod { receiver: Value::Class(cls.clone()), func: v.clone() })))
            }
            Value::Native(n) if n.descriptor() != DescriptorKind::None => {
                let n = n.clone();
                n.descr_get(self, &v, None, cls)
            }
            Value::Instance(inst) => match inst.class.lookup("__get__") {
                Some(get) => {
                    let icls = inst.class.clone();
                    let bound = self.bind_attribute(get, &v, &icls)?;
                    self.call(&bound, vec![Value::None, Value::Class(cls.clone())], Vec::new())
                }
                None => Ok(v),
            },
            _ => Ok(v),
        }
    }

    /// True for descriptors that take precedence over the instance dict.
    fn is_data_descriptor(&self, v: &Value) -> bool {
        match v {
            Value::Property(_) => true,
            Value::Native(n) => n.descriptor() == DescriptorKind::Data,
            Value::Instance(inst) => inst.class.lookup("__set__").is_some() || inst.class.lookup("__delete__").is_some(),
            _ => false,
        }
    }

    /// `descr.__get__(obj, cls)` for a data descriptor.
    fn descriptor_get(&mut self, descr: Value, obj: Option<&Value>, cls: &Rc<Class>) -> PyResult<Value> {
        match &descr {
            Value::Property(p) => match &p.fget {
                Some(fget) => {
                    let fget = fget.clone();
                    let obj = obj.cloned().unwrap_or(Value::None);
                    self.call(&fget, vec![obj], Vec::new())
                }
                None => Err(PyErr::attribute_error(format!("property of '{}' object has no getter", cls.name))),
            },
            _ => self.bind_attribute(descr, obj.unwrap_or(&Value::None), cls),
        }
    }

    /// What `obj.attr` gives for a value found in `obj`'s class (methods bind).
    pub(crate) fn bind_attribute(&mut self, attr: Value, obj: &Value, cls: &Rc<Class>) -> PyResult<Value> {
        match &attr {
            Value::Function(_) => Ok(Value::BoundMethod(Rc::new(BoundMethod { receiver: obj.clone(), func: attr }))),
            Value::NativeFunction(nf) => match nf.binding {
                Binding::Method => Ok(Value::BoundMethod(Rc::new(BoundMethod { receiver: obj.clone(), func: attr.clone() }))),
                Binding::ClassMethod => Ok(Value::BoundMethod(Rc::new(BoundMethod { receiver: Value::Class(cls.clone()), func: attr.clone() }))),
                Binding::Plain => Ok(attr),
            },
            Value::ClassMethod(f) => Ok(Value::BoundMethod(Rc::new(BoundMethod { receiver: Value::Class(cls.clone()), func: (**f).clone() }))),
            Value::StaticMethod(f) => Ok((**f).clone()),
            Value::Property(_) => self.descriptor_get(attr.clone(), Some(obj), cls),
            Value::Native(n) if n.descriptor() != DescriptorKind::None => {
                let n = n.clone();
                n.descr_get(self, &attr, Some(obj), cls)
            }
            Value::Instance(inst) => match inst.class.lookup("__get__") {
                Some(get) => {
                    let icls = inst.class.clone();
                    let bound = self.bind_attribute(get, &attr, &icls)?;
                    self.call(&bound, vec![obj.clone(), Value::Class(cls.clone())], Vec::new())
                }
                None => Ok(attr),
            },
            _ => Ok(attr),
        }
    }

    /// Extra attributes of exception objects set by the interpreter.
    fn exception_extra_attr(&self, inst: &super::super::value::Instance, name: &str) -> Option<Value> {
        let args = inst.exception_args()?;
        match (inst.class.exc_kind()?, name) {
            (ExcKind::StopIteration, "value") => Some(args.first().cloned().unwrap_or(Value::None)),
            (ExcKind::SystemExit, "code") => Some(match args.len() {
                0 => Value::None,
                1 => args[0].clone(),
                _ => Value::tuple(args.to_vec()),
            }),
            (ExcKind::KeyError | ExcKind::ImportError | ExcKind::ModuleNotFoundError, "msg") => args.first().cloned(),
            (ExcKind::SyntaxError | ExcKind::IndentationError | ExcKind::TabError, "msg") => args.first().cloned(),
            (ExcKind::OSError, "errno" | "strerror" | "filename") => Some(Value::None),
            (ExcKind::ImportError | ExcKind::ModuleNotFoundError, "name" | "path") => Some(Value::None),
            _ => None,
        }
    }

    /// The `AttributeError` CPython raises for a missing attribute.
    pub(crate) fn attribute_error(&self, obj: &Value, name: &str) -> PyErr {
        let msg = match obj {
            Value::Class(c) => format!("type object '{}' has no attribute '{name}'", c.name),
            Value::Module(m) => format!("module '{}' has no attribute '{name}'", m.name),
            Value::Super(_) => format!("'super' object has no attribute '{name}'"),
            other => format!("'{}' object has no attribute '{name}'", other.type_name()),
        };
        PyErr::attribute_error(msg)
    }

    /// `setattr(obj, name, value)`.
    pub fn setattr(&mut self, obj: &Value, name: &str, value: Value) -> PyResult<()> {
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(ca) = cls.lookup(name) {
                    match &ca {
                        Value::Property(p) => {
                            return match &p.fset {
                                Some(fset) => {
                                    let fset = fset.clone();
                                    self.call(&fset, vec![obj.clone(), value], Vec::new()).map(|_| ())
                                }
                                None => Err(PyErr::attribute_error(format!("property '{name}' of '{}' object has no setter", cls.name))),
                            };
                        }
                        Value::Native(n) if n.descriptor() == DescriptorKind::Data => {
                            let n = n.clone();
                            return n.descr_set(self, &ca, obj, value);
                        }
                        Value::Instance(d) if d.class.lookup("__set__").is_some() => {
                            let dcls = d.class.clone();
                            self.call_special(&ca, &dcls, "__set__", vec![obj.clone(), value])?;
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                if let Some((setattr, owner)) = cls.lookup_with_owner("__setattr__") {
                    if !std::ptr::eq(owner, &**self.types.object()) {
                        let bound = self.bind_attribute(setattr, obj, &cls)?;
                        self.call(&bound, vec![Value::str(name), value], Vec::new())?;
                        return Ok(());
                    }
                }
                if self.preview {
                    return Err(PyErr::refused(format!("setting the attribute '{name}'")));
                }
                inst.dict.borrow_mut().set(name, value);
                Ok(())
            }
            Value::Class(cls) => {
                if let ClassKind::Builtin(_) | ClassKind::BuiltinException(_) = cls.kind {
                    return Err(PyErr::type_error(format!("cannot set '{name}' attribute of immutable type '{}'", cls.name)));
                }
                self.check_side_effect("setting a class attribute")?;
                if let Some(hooks) = cls.inherited_hooks() {
                    hooks.class_setattr(self, cls, name, Some(&value))?;
                }
                cls.set_attr(name, value);
                Ok(())
            }
            Value::Module(m) => {
                self.check_side_effect("setting a module attribute")?;
                m.set(name, value);
                Ok(())
            }
            Value::Function(func) => {
                self.check_side_effect("setting a function attribute")?;
                func.dict.borrow_mut().set(name, value);
                Ok(())
            }
            Value::Native(n) => {
                let n = n.clone();
                if n.set_attr(self, obj, name, value)? {
                    Ok(())
                } else {
                    Err(self.attribute_error(obj, name))
                }
            }
            Value::Int(_) | Value::Bool(_) | Value::Float(_) if matches!(name, "real" | "imag" | "numerator" | "denominator") => Err(
                PyErr::attribute_error(format!("attribute '{name}' of '{}' objects is not writable", obj.type_name())),
            ),
            _ => Err(self.attribute_error(obj, name)),
        }
    }

    /// `delattr(obj, name)`.
    pub fn delattr(&mut self, obj: &Value, name: &str) -> PyResult<()> {
        self.check_side_effect("deleting an attribute")?;
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(ca) = cls.lookup(name) {
                    match &ca {
                        Value::Property(p) => {
                            return match &p.fdel {
                                Some(fdel) => {
                                    let fdel = fdel.clone();
                                    self.call(&fdel, vec![obj.clone()], Vec::new()).map(|_| ())
                                }
                                None => Err(PyErr::attribute_error(format!("property '{name}' of '{}' object has no deleter", cls.name))),
                            };
                        }
                        Value::Native(n) if n.descriptor() == DescriptorKind::Data => {
                            let n = n.clone();
                            return n.descr_delete(self, &ca, obj);
                        }
                        _ => {}
                    }
                }
                if inst.dict.borrow_mut().remove(name).is_none() {
                    return Err(self.attribute_error(obj, name));
                }
                Ok(())
            }
            Value::Class(cls) => {
                if let Some(hooks) = cls.inherited_hooks() {
                    hooks.class_setattr(self, cls, name, None)?;
                }
                if cls.dict.borrow_mut().remove(name).is_none() {
                    return Err(self.attribute_error(obj, name));
                }
                Ok(())
            }
            Value::Module(m) => {
                if m.globals.borrow_mut().remove(name).is_none() {
                    return Err(self.attribute_error(obj, name));
                }
                Ok(())
            }
            Value::Native(n) => {
                let n = n.clone();
                if n.del_attr(self, obj, name)? {
                    Ok(())
                } else {
                    Err(self.attribute_error(obj, name))
                }
            }
            _ => Err(self.attribute_error(obj, name)),
        }
    }

    /// `hasattr(obj, name)`.
    pub fn hasattr(&mut self, obj: &Value, name: &str) -> PyResult<bool> {
        match self.lookup_attr(obj, name) {
            Ok(v) => Ok(v.is_some()),
            Err(e) if e.is(ExcKind::AttributeError) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `super(cls, obj)`.
    pub(crate) fn make_super(&mut self, this_class: Rc<Class>, obj: Value) -> PyResult<Value> {
        let obj_class = match &obj {
            Value::Class(c) if c.is_subclass_of(&this_class) => c.clone(),
            other => {
                let c = self.class_of(other);
                if !c.is_subclass_of(&this_class) {
                    return Err(PyErr::type_error("super(type, obj): obj must be an instance or subtype of type"));
                }
                c
            }
        };
        Ok(Value::Super(Rc::new(SuperObject { this_class, obj, obj_class })))
    }

    fn super_attr(&mut self, s: &Rc<SuperObject>, name: &str) -> PyResult<Option<Value>> {
        let mut found = false;
        let mut result = None;
        for c in s.obj_class.mro() {
            if found {
                if let Some(v) = c.own_attr(name) {
                    result = Some(v);
                    break;
                }
            } else if std::ptr::eq(c, &*s.this_class) {
                found = true;
            }
        }
        if result.is_none() && found && s.obj_class.kind != ClassKind::Builtin(BuiltinType::Object) {
            // Every class ends with `object`, which user MROs leave implicit.
            result = self.types.object().own_attr(name);
        }
        let Some(v) = result else {
            return Ok(match name {
                "__class__" => Some(Value::Class(self.types.get(BuiltinType::Super).clone())),
                _ => None,
            });
        };
        let obj = s.obj.clone();
        let cls = s.obj_class.clone();
        match (&obj, &v) {
            // super() inside a classmethod binds to the class.
            (Value::Class(_), Value::Function(_)) => Ok(Some(v)),
            _ => self.bind_attribute(v, &obj, &cls).map(Some),
        }
    }

    /// The class of a value (`type(v)`).
    pub fn class_of(&mut self, v: &Value) -> Rc<Class> {
        match v {
            Value::Instance(i) => i.class.clone(),
            Value::Native(n) => {
                let n = n.clone();
                match n.python_class(self) {
                    Some(c) => c,
                    None => self.native_type_class(n.type_name()),
                }
            }
            Value::Class(_) => self.types.get(BuiltinType::Type).clone(),
            Value::Iterator(it) => self.native_type_class(it.type_name),
            Value::DictView(_) => {
                let name = v.type_name();
                self.native_type_class(&name)
            }
            other => self.types.get(other.builtin_type()).clone(),
        }
    }

    /// A new `property` object.
    pub(crate) fn new_property(fget: Option<Value>, fset: Option<Value>, fdel: Option<Value>, doc: Option<Value>) -> Value {
        Value::Property(Rc::new(Property { fget, fset, fdel, doc }))
    }

    /// `property.setter(f)` and friends.
    pub(crate) fn property_method(&mut self, p: &Property, name: &str, args: CallArgs) -> PyResult<Value> {
        let [f] = <[Value; 1]>::try_from(args.args).map_err(|a| PyErr::type_error(format!("{name}() takes exactly one argument ({} given)", a.len())))?;
        Ok(match name {
            "setter" => Interpreter::new_property(p.fget.clone(), Some(f), p.fdel.clone(), p.doc.clone()),
            "getter" => Interpreter::new_property(Some(f), p.fset.clone(), p.fdel.clone(), p.doc.clone()),
            _ => Interpreter::new_property(p.fget.clone(), p.fset.clone(), Some(f), p.doc.clone()),
        })
    }
}

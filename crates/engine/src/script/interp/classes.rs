//! Class objects: the builtin types and exceptions, `class` statements
//! (C3 method resolution order, implicit `__hash__ = None` next to `__eq__`,
//! host hooks for subclasses), and classes made by the host.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::ast::{ClassDef, ExprKind, Keyword};
use super::super::error::{ExcKind, PyErr, PyResult};

use super::super::value::{AttrMap, BuiltinType, Class, ClassKind, ClassSpec, Value};
use super::{Frame, FrameInfo, FrameKind, Interpreter, Types};

/// Create the class objects of the builtin types and exceptions.
pub(crate) fn builtin_types() -> Types {
    let object = Rc::new(Class::new(ClassSpec::named("object", "builtins", Vec::new(), ClassKind::Builtin(BuiltinType::Object)), Vec::new()));
    let mut builtin: Vec<Rc<Class>> = Vec::with_capacity(BuiltinType::ALL.len());
    for &t in BuiltinType::ALL {
        if t == BuiltinType::Object {
            builtin.push(object.clone());
            continue;
        }
        let (bases, ancestors) = if t == BuiltinType::Bool {
            // `int` precedes `bool` in BuiltinType::ALL.
            let int = builtin[BuiltinType::Int as usize].clone();
            (vec![int.clone()], vec![int, object.clone()])
        } else {
            (vec![object.clone()], vec![object.clone()])
        };
        let (name, module) = match t {
            BuiltinType::GenericAlias => ("GenericAlias", "types"),
            BuiltinType::UnionType => ("UnionType", "types"),
            other => (other.name(), "builtins"),
        };
        builtin.push(Rc::new(Class::new(ClassSpec::named(name, module, bases, ClassKind::Builtin(t)), ancestors)));
    }
    let mut exceptions: Vec<Rc<Class>> = Vec::with_capacity(ExcKind::ALL.len());
    for &k in ExcKind::ALL {
        let parent = match k.parent() {
            // Parents come before children in ExcKind::ALL.
            Some(p) => exceptions[p as usize].clone(),
            None => object.clone(),
        };
        let mut ancestors = vec![parent.clone()];
        ancestors.extend(parent.ancestors().iter().cloned());
        exceptions.push(Rc::new(Class::new(ClassSpec::named(k.name(), "builtins", vec![parent], ClassKind::BuiltinException(k)), ancestors)));
    }
    Types { builtin, exceptions }
}

/// A class deriving from `object` only (for host object types).
pub(crate) fn plain_class(interp: &Interpreter, name: &str, module: &str) -> Rc<Class> {
    let object = interp.types.object().clone();
    Rc::new(Class::new(ClassSpec::named(name, module, vec![object.clone()], ClassKind::Native), vec![object]))
}

/// The C3 linearization of a new class's bases (the MRO after the class).
fn c3_linearize(bases: &[Rc<Class>]) -> Result<Vec<Rc<Class>>, String> {
    let mut seqs: Vec<Vec<Rc<Class>>> = bases
        .iter()
        .map(|b| {
            let mut s = vec![b.clone()];
            s.extend(b.ancestors().iter().cloned());
            s
        })
        .collect();
    seqs.push(bases.to_vec());
    let mut result: Vec<Rc<Class>> = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(result);
        }
        let candidate = seqs.iter().map(|s| s[0].clone()).find(|c| !seqs.iter().any(|s| s[1..].iter().any(|x| Rc::ptr_eq(x, c))));
        let Some(c) = candidate else {
            let names: Vec<&str> = bases.iter().map(|b| &*b.name).collect();
            return Err(format!("Cannot create a consistent method resolution\norder (MRO) for bases {}", names.join(", ")));
        };
        for s in &mut seqs {
            if Rc::ptr_eq(&s[0], &c) {
                s.remove(0);
            }
        }
        result.push(c);
    }
}

impl Interpreter {
    /// Make a class from its parts, computing the MRO (bases default to `object`).
    pub(crate) fn create_class(&self, mut spec: ClassSpec) -> PyResult<Rc<Class>> {
        if spec.bases.is_empty() {
            spec.bases.push(self.types.object().clone());
        }
        let bases = &spec.bases;
        let dict = &mut spec.dict;
        for (i, b) in bases.iter().enumerate() {
            if bases[..i].iter().any(|x| Rc::ptr_eq(x, b)) {
                return Err(PyErr::type_error(format!("duplicate base class {}", b.name)));
            }
        }
        let ancestors = c3_linearize(bases).map_err(PyErr::type_error)?;
        // Defining __eq__ without __hash__ makes instances unhashable.
        if dict.contains("__eq__") && !dict.contains("__hash__") {
            dict.set("__hash__", Value::None);
        }
        for implicit in ["__init_subclass__", "__class_getitem__"] {
            if let Some(f @ Value::Function(_)) = dict.get(implicit).cloned() {
                dict.set(implicit, Value::ClassMethod(Rc::new(f)));
            }
        }
        if let Some(f @ Value::Function(_)) = dict.get("__new__").cloned() {
            dict.set("__new__", Value::StaticMethod(Rc::new(f)));
        }
        Ok(Rc::new(Class::new(spec, ancestors)))
    }

    /// Run a `class` statement.
    pub(crate) fn exec_class(&mut self, f: &mut Frame, def: &Rc<ClassDef>) -> PyResult<Rc<Class>> {
        let mut bases = Vec::new();
        for b in &def.bases {
            let values = if let ExprKind::Starred(inner) = &b.kind {
                let v = self.eval(f, inner)?;
                self.collect(&v)?
            } else {
                vec![self.eval(f, b)?]
            };
            for v in values {
                match v {
                    Value::Class(c) => {
                        if let ClassKind::Builtin(t) = c.kind {
                            if t != BuiltinType::Object {
                                return Err(PyErr::not_implemented(format!("subclassing '{}' is not supported in the playground", c.name)));
                            }
                        }
                        bases.push(c);
                    }
                    other => {
                        let shown = self.repr(&other)?;
                        return Err(if matches!(other, Value::Function(_) | Value::NativeFunction(_)) {
                            PyErr::type_error(format!("function() argument 'code' must be code, not str (base {shown} is not a class)"))
                        } else {
                            PyErr::type_error(format!("bases must be types (got {shown})"))
                        });
                    }
                }
            }
        }
        let kwargs = self.class_keywords(f, &def.keywords)?;
        let module_name = f.globals.get("__name__").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| "__main__".into());
        let mut ns = AttrMap::new();
        ns.set("__module__", Value::str(&module_name));
        ns.set("__qualname__", Value::str(&def.qualname));
        if super::super::ast::has_annotations(&def.body) {
            ns.set("__annotations__", Value::empty_dict());
        }
        if let Some(doc) = &def.doc {
            ns.set("__doc__", Value::str(doc));
        }
        let namespace = Rc::new(RefCell::new(ns));
        let mut frame = f.nested(FrameKind::Class, def.scope.clone(), Some(namespace.clone()));
        let class_cell = def.scope.class_cell.and_then(|i| frame.cells.get(i as usize).cloned());
        let (file, line) = self.caller_position();
        self.enter_call()?;
        self.frames.push(FrameInfo { file, name: def.name.clone(), line });
        let r = self.exec_block(&mut frame, &def.body);
        let r = match r {
            Ok(_) => Ok(()),
            Err(e) => Err(self.record_frame(e)),
        };
        self.frames.pop();
        r?;
        drop(frame);
        let mut dict = std::mem::take(&mut *namespace.borrow_mut());
        // As in CPython, `__qualname__` is consumed when the class is made.
        dict.remove("__qualname__");
        let cls = self.create_class(ClassSpec {
            name: def.name.clone(),
            qualname: def.qualname.clone(),
            module: Rc::from(module_name.as_str()),
            bases,
            dict,
            kind: ClassKind::User,
            hooks: None,
        })?;
        if let Some(cell) = class_cell {
            *cell.borrow_mut() = Some(Value::Class(cls.clone()));
        }
        self.init_subclass(&cls, &kwargs)?;
        Ok(cls)
    }

    fn class_keywords(&mut self, f: &mut Frame, keywords: &[Keyword]) -> PyResult<Vec<(Rc<str>, Value)>> {
        let mut out = Vec::new();
        for k in keywords {
            match &k.name {
                Some(n) if &**n == "metaclass" => {
                    return Err(PyErr::not_implemented("'metaclass=' is not supported in the playground"));
                }
                Some(n) => {
                    let v = self.eval(f, &k.value)?;
                    out.push((n.clone(), v));
                }
                None => {
                    let m = self.eval(f, &k.value)?;
                    for (key, v) in self.mapping_items(&m)? {
                        let name = key.as_str().map(Rc::from).ok_or_else(|| PyErr::type_error("keywords must be strings"))?;
                        out.push((name, v));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Notify the bases of a new subclass: host hooks, then `__init_subclass__`.
    pub(crate) fn init_subclass(&mut self, cls: &Rc<Class>, kwargs: &[(Rc<str>, Value)]) -> PyResult<()> {
        let hooks = cls.ancestors().iter().find_map(|c| c.hooks.clone());
        if let Some(h) = hooks {
            h.init_subclass(self, cls, kwargs)?;
            return Ok(());
        }
        // `object.__init_subclass__` (reached when no base defines one) refuses keywords.
        if let Some(Value::ClassMethod(f)) = cls.ancestors().iter().find_map(|c| c.own_attr("__init_subclass__")) {
            let f = (*f).clone();
            self.call(&f, vec![Value::Class(cls.clone())], kwargs.to_vec())?;
        }
        Ok(())
    }
}

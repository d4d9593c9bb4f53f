//! Imports: modules are registered by the host (built lazily on first import)
//! or made from a run's globals; nothing is read from disk.

use std::rc::Rc;

use super::super::ast::{Name, Slot};
use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::value::{Module, Value};
use super::{Frame, Interpreter, ModuleFactory};

impl Interpreter {
    /// Register a module by name, built by `factory` the first time it is
    /// imported. Dotted names (`sqlalchemy.orm`) make nested modules; the
    /// parent must be registered too.
    pub fn register_module(&mut self, name: &str, factory: impl Fn(&mut Interpreter) -> PyResult<Rc<Module>> + 'static) {
        let f: Rc<ModuleFactory> = Rc::new(factory);
        self.factories.insert(name.to_string(), f);
        self.modules.remove(name);
    }

    /// Make an existing module importable under `name` (e.g. `app` for the
    /// globals of the models editor's run, so the console can `from app import db`).
    pub fn register_module_object(&mut self, name: &str, module: Rc<Module>) {
        self.modules.insert(name.to_string(), module);
    }

    /// Forget a module (it is built again on the next import).
    pub fn unregister_module(&mut self, name: &str) {
        self.modules.remove(name);
        self.factories.remove(name);
    }

    pub(crate) fn has_module(&self, name: &str) -> bool {
        self.modules.contains_key(name) || self.factories.contains_key(name)
    }

    /// `import name` (returns the module itself, not the top-level package).
    pub fn import_module(&mut self, name: &str) -> PyResult<Rc<Module>> {
        if let Some(m) = self.modules.get(name) {
            return Ok(m.clone());
        }
        let parent = match name.rsplit_once('.') {
            Some((parent, _)) => Some(self.import_module(parent)?),
            None => None,
        };
        // Building the parent may have registered this module.
        if let Some(m) = self.modules.get(name) {
            return Ok(m.clone());
        }
        let Some(factory) = self.factories.get(name).cloned() else {
            return Err(PyErr::new(ExcKind::ModuleNotFoundError, format!("No module named '{name}'")));
        };
        let m = factory(self)?;
        self.modules.insert(name.to_string(), m.clone());
        if let (Some(parent), Some((_, child))) = (parent, name.rsplit_once('.')) {
            if parent.get(child).is_none() {
                parent.set(child, Value::Module(m.clone()));
            }
        }
        Ok(m)
    }

    /// The value an `import a.b [as c]` statement binds.
    pub(crate) fn import_statement_value(&mut self, name: &str, has_alias: bool) -> PyResult<Value> {
        let m = self.import_module(name)?;
        if has_alias || !name.contains('.') {
            return Ok(Value::Module(m));
        }
        let top = name.split('.').next().unwrap_or(name);
        Ok(Value::Module(self.import_module(top)?))
    }

    /// `from module import name`.
    pub(crate) fn import_from(&mut self, m: &Rc<Module>, name: &str) -> PyResult<Value> {
        if let Some(v) = m.get(name) {
            return Ok(v);
        }
        let full = format!("{}.{}", m.name, name);
        if self.has_module(&full) {
            return self.import_module(&full).map(Value::Module);
        }
        Err(PyErr::new(ExcKind::ImportError, format!("cannot import name '{name}' from '{}' (unknown location)", m.name)))
    }

    /// `from module import *`: the names in `__all__`, or every public name.
    pub(crate) fn import_star(&mut self, f: &mut Frame, m: &Rc<Module>) -> PyResult<()> {
        let names: Vec<Rc<str>> = match m.get("__all__") {
            Some(all) => self
                .collect(&all)?
                .into_iter()
                .map(|v| v.as_str().map(Rc::from).ok_or_else(|| PyErr::type_error("Item in module.__all__ must be str")))
                .collect::<PyResult<_>>()?,
            None => m.names().into_iter().filter(|n| !n.starts_with('_')).collect(),
        };
        for n in names {
            let v = self.import_from(m, &n)?;
            self.store(f, &Name { id: n, slot: Slot::Global }, v);
        }
        Ok(())
    }
}

//! Flask-side modules. TEMPORARY stand-in written in Python so the SQLAlchemy bindings can be
//! exercised before the real `flask` module lands (the web work replaces this file).

use crate::script::{Interpreter, PyErr, PyResult, Value};

const FLASK: &str = r#"
_stack = []

class NotFound(Exception):
    code = 404

class _AppContext:
    def __init__(self, app):
        self.app = app
    def __enter__(self):
        _stack.append(self.app)
        return self
    def __exit__(self, *exc):
        self.pop()
        return False
    def push(self):
        _stack.append(self.app)
    def pop(self):
        _stack.pop()
        for f in self.app._teardown:
            f(None)

class Flask:
    def __init__(self, import_name):
        self.name = import_name
        self.import_name = import_name
        self.config = {}
        self.extensions = {}
        self._teardown = []
    def app_context(self):
        return _AppContext(self)
    def test_request_context(self, *args, **kwargs):
        return _AppContext(self)
    def teardown_appcontext(self, f):
        self._teardown.append(f)
        return f
    def __repr__(self):
        return "<Flask '" + self.name + "'>"
"#;

pub fn install(interp: &mut Interpreter) {
    interp.register_module("flask", |interp| {
        let module = interp.new_module("flask", "flask.py");
        interp.run_module(&module, FLASK).map_err(|e| PyErr::runtime_error(e.render()))?;
        Ok(module)
    });
}

fn flask_attr(interp: &mut Interpreter, name: &str) -> Option<Value> {
    interp.import_module("flask").ok().and_then(|m| m.get(name))
}

/// werkzeug's NotFound for `abort(404, description=...)`.
pub fn not_found(interp: &mut Interpreter, description: &str) -> PyErr {
    match flask_attr(interp, "NotFound").and_then(|c| c.as_class().cloned()) {
        Some(class) => PyErr::from_class(&class, format!("404 Not Found: {description}")),
        None => PyErr::runtime_error(format!("404 Not Found: {description}")),
    }
}

pub fn has_app_context(interp: &Interpreter) -> bool {
    let _ = interp;
    true
}

pub fn app_config_get(interp: &mut Interpreter, app: &Value, key: &str) -> PyResult<Option<Value>> {
    let config = interp.getattr(app, "config")?;
    match interp.getitem(&config, &Value::str(key)) {
        Ok(v) => Ok(Some(v)),
        Err(_) => Ok(None),
    }
}

pub fn register_teardown(interp: &mut Interpreter, app: &Value, f: Value) -> PyResult<()> {
    let register = interp.getattr(app, "teardown_appcontext")?;
    interp.call(&register, vec![f], vec![])?;
    Ok(())
}

pub fn outside_app_context() -> PyErr {
    PyErr::runtime_error(
        "Working outside of application context.\n\nThis typically means that you attempted to use functionality that needed\nthe current application. To solve this, set up an application context\nwith app.app_context(). See the documentation for more information.",
    )
}

pub fn ensure_app_context(interp: &mut Interpreter, app: &Value) {
    let Some(Value::List(stack)) = flask_attr(interp, "_stack") else { return };
    if !stack.items.borrow().is_empty() {
        return;
    }
    if let Ok(context) = interp.getattr(app, "app_context").and_then(|f| interp.call(&f, vec![], vec![])) {
        if let Ok(push) = interp.getattr(&context, "push") {
            let _ = interp.call(&push, vec![], vec![]);
        }
    }
}

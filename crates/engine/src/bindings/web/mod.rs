//! Flask-side modules: `flask`, `werkzeug` (`exceptions`, `security`,
//! `routing`), `flask_wtf` and `wtforms`, as Flask 3.1 / Werkzeug 3.1 /
//! WTForms 3 / Flask-WTF 1.2 behave for what a tutorial or a `flask shell`
//! session does with them. There is no web server: routes are recorded, views
//! are called directly, `test_request_context()` supplies a request.
//!
//! Where the playground differs on purpose (each says so when it matters):
//! `app.run()` prints a note instead of serving; configuration files never
//! exist (`from_pyfile` raises FileNotFoundError); `render_template` raises a
//! clear NotImplementedError; Flask-WTF's CSRF protection is off unless
//! `WTF_CSRF_ENABLED` is explicitly `True`; `hidden_tag()` and rendered fields
//! are `str` where WTForms returns `Markup`; password salts come from a
//! non-cryptographic generator (the hashes themselves are real scrypt /
//! PBKDF2 and verify with werkzeug).
//!
//! # Rust API (for the Flask-SQLAlchemy bindings and the console)
//! * [`is_app`]: whether a value is a `Flask` application.
//! * [`config_get`] / [`config_setdefault`]: read `app.config[key]`, or set a default.
//! * [`extensions`]: `app.extensions` (the dict extensions register themselves in).
//! * [`current_app`]: the application of the innermost application context;
//!   [`require_app_context`] gives it or Flask's "Working outside of
//!   application context." `RuntimeError` ([`outside_app_context`]).
//! * [`add_teardown`]: run a native function (with the exception or `None`)
//!   whenever an application context of `app` is popped, as
//!   `app.teardown_appcontext(f)` does (Flask-SQLAlchemy removes its session so).
//! * [`http_error`]: the werkzeug HTTP error `abort(code, description=...)`
//!   raises (`404 Not Found: The requested URL was not found on the server...`).
//! * [`ensure_app_context`]: the console's `flask shell` mode pushes an
//!   application context for `app` unless one of `app` is the innermost.

mod app;
mod context;
mod exceptions;
mod request;
mod response;
mod routing;
mod security;
mod wtforms;

use std::rc::Rc;

use crate::script::{native_fn, CallArgs, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

pub use exceptions::http_error;

use context::{Proxy, ProxyKind};

/// Whether `v` is a `Flask` application.
pub fn is_app(v: &Value) -> bool {
    app::app_state(v).is_some()
}

/// `app.config.get(key)`: `None` when the key is absent.
pub fn config_get(interp: &mut Interpreter, app: &Value, key: &str) -> PyResult<Option<Value>> {
    app::config_get(interp, app, key)
}

/// `app.config.setdefault(key, default)`.
pub fn config_setdefault(interp: &mut Interpreter, app: &Value, key: &str, default: Value) -> PyResult<Value> {
    let config = app::config_of(interp, app)?;
    let f = interp.getattr(&config, "setdefault")?;
    interp.call(&f, vec![Value::str(key), default], Vec::new())
}

/// `app.extensions`.
pub fn extensions(interp: &mut Interpreter, app: &Value) -> PyResult<Value> {
    interp.getattr(app, "extensions")
}

/// The application of the innermost application context, if any.
pub fn current_app(interp: &mut Interpreter) -> Option<Value> {
    context::current_app(interp)
}

/// The current application, or Flask's error when there is no application context.
pub fn require_app_context(interp: &mut Interpreter) -> PyResult<Value> {
    context::require_app(interp)
}

/// Flask's `RuntimeError: Working outside of application context.` (with its explanation).
pub fn outside_app_context() -> PyErr {
    context::outside_app_context()
}

/// Run `f(interp, exception)` each time an application context of `app` is
/// popped (after the ones registered before it, as Flask runs them in reverse).
pub fn add_teardown(app: &Value, name: &str, f: impl Fn(&mut Interpreter, Option<&Value>) -> PyResult<()> + 'static) -> PyResult<()> {
    let state = app::app_state(app).ok_or_else(|| PyErr::type_error(format!("'{}' object is not a Flask application", app.type_name())))?;
    let f = native_fn(name, move |interp, args| {
        let exc = args.get(0).filter(|e| !e.is_none());
        f(interp, exc)?;
        Ok(Value::None)
    });
    state.teardown_appcontext.borrow_mut().push(f);
    Ok(())
}

/// Push an application context for `app` unless one of `app` is the innermost; whether one
/// was pushed.
pub fn ensure_app_context(interp: &mut Interpreter, app: &Value) -> bool {
    context::ensure_app_context(interp, app)
}

/// Register every Flask-side module.
pub fn install(interp: &mut Interpreter) {
    interp.register_module("flask", |interp| {
        let classes = app::classes(interp)?;
        Ok(ModuleBuilder::new("flask")
            .class(&classes.flask)
            .class(&classes.blueprint)
            .value("current_app", Value::Native(Rc::new(Proxy(ProxyKind::CurrentApp))))
            .value("g", Value::Native(Rc::new(Proxy(ProxyKind::G))))
            .value("request", Value::Native(Rc::new(Proxy(ProxyKind::Request))))
            .value("session", Value::Native(Rc::new(Proxy(ProxyKind::Session))))
            .function("url_for", |interp, args| {
                let app = context::require_app(interp)?;
                app::url_for(interp, &app, args)
            })
            .function("redirect", response::redirect)
            .function("abort", exceptions::abort)
            .function("jsonify", jsonify)
            .function("make_response", response::make_response)
            .function_with(crate::script::function("flash", context::flash).side_effects())
            .function("get_flashed_messages", context::get_flashed_messages)
            .function("render_template", |_, args| no_templates("render_template", &args))
            .function("render_template_string", |_, args| no_templates("render_template_string", &args))
            .function("has_app_context", |interp, _| Ok(Value::Bool(context::current_app(interp).is_some())))
            .function("has_request_context", |interp, _| Ok(Value::Bool(context::current_request(interp).is_some())))
            .build())
    });
    interp.register_module("werkzeug", |_| Ok(ModuleBuilder::new("werkzeug").build()));
    interp.register_module("werkzeug.exceptions", exceptions::module);
    interp.register_module("werkzeug.datastructures", |_| {
        Ok(ModuleBuilder::new("werkzeug.datastructures")
            .function("MultiDict", request::MultiDict::from_python)
            .function("ImmutableMultiDict", request::MultiDict::from_python)
            .build())
    });
    security::install(interp);
    wtforms::install(interp);
    interp.register_module("werkzeug.routing", |interp| {
        let errors = exceptions::classes(interp)?;
        Ok(ModuleBuilder::new("werkzeug.routing").class(&errors.build_error).build())
    });
}

fn no_templates(fname: &str, args: &CallArgs) -> PyResult<Value> {
    let what = args.get(0).and_then(Value::as_str).map(|t| format!("{fname}('{t}')")).unwrap_or_else(|| format!("{fname}()"));
    Err(PyErr::not_implemented(format!("templates are not part of the playground: {what} cannot run here (return a string or jsonify(...) from views instead)")))
}

/// `jsonify(*args, **kwargs)` with Flask's default JSON provider.
fn jsonify(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let app = context::require_app(interp)?;
    let data = match (args.args.len(), args.kwargs.is_empty()) {
        (_, false) if !args.args.is_empty() => return Err(PyErr::type_error("app.json.response() takes either args or kwargs, not both")),
        (0, false) => Value::dict_from_str_pairs(args.kwargs.iter().map(|(k, v)| (&**k, v.clone()))),
        (0, true) => Value::None,
        (1, true) => args.args[0].clone(),
        _ => Value::list(args.args),
    };
    let debug = app::config_get(interp, &app, "DEBUG")?.unwrap_or(Value::None);
    let indent = interp.truthy(&debug)?;
    let text = super::stdlib::json::flask_dumps(interp, &data, indent, native_fn("default", flask_json_default))?;
    Ok(response::json_response(text))
}

/// Flask's JSON fallback: dates as HTTP dates, Decimal as str.
fn flask_json_default(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let v = args.get(0).cloned().unwrap_or(Value::None);
    if let Some(t) = super::stdlib::temporal_from_value(&v) {
        let dt = match t {
            super::stdlib::Temporal::DateTime(dt) => dt,
            super::stdlib::Temporal::Date(d) => d.and_time(chrono::NaiveTime::MIN),
            super::stdlib::Temporal::Time(_) => {
                return Err(PyErr::type_error("Object of type time is not JSON serializable"));
            }
        };
        return Ok(Value::string(dt.format("%a, %d %b %Y %H:%M:%S GMT").to_string()));
    }
    if super::stdlib::decimal_from_value(&v).is_some() {
        return Ok(Value::string(interp.str(&v)?));
    }
    let name = interp.class_of(&v).name.to_string();
    Err(PyErr::type_error(format!("Object of type {name} is not JSON serializable")))
}

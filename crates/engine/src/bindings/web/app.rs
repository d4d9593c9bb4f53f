//! The `Flask` application object, its `Config`, and `Blueprint`s: routes are
//! recorded (there is no server to dispatch them), contexts are pushed and
//! popped with their teardown functions, and `url_for` builds URLs from the
//! recorded rules.

use std::cell::RefCell;
use std::rc::Rc;

use crate::script::value::Class;
use crate::script::{native_fn, CallArgs, ClassBuilder, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::stdlib::native::{cached, call_method, dict_get, skip_receiver, ComputedAttr};
use super::context::{self, AppContext, RequestContext};
use super::routing::{self, Rule};

/// What the playground keeps about an application besides its attributes.
pub(crate) struct AppState {
    pub name: String,
    pub rules: RefCell<Vec<Rule>>,
    pub teardown_appcontext: RefCell<Vec<Value>>,
    pub teardown_request: RefCell<Vec<Value>>,
    /// `before_request`, `errorhandler`... functions: recorded, never called
    /// (nothing dispatches requests in the playground).
    recorded: RefCell<Vec<(String, Value)>>,
    logger: RefCell<Option<Value>>,
}

/// A blueprint's name, prefix and deferred routes.
struct BlueprintState {
    name: String,
    url_prefix: Option<String>,
    routes: RefCell<Vec<RouteSpec>>,
}

#[derive(Clone)]
struct RouteSpec {
    rule: String,
    endpoint: String,
    view: Value,
    methods: Vec<String>,
}

pub(crate) fn app_state(app: &Value) -> Option<Rc<AppState>> {
    app.as_instance()?.native_state_as::<AppState>()
}

fn blueprint_state(bp: &Value) -> Option<Rc<BlueprintState>> {
    bp.as_instance()?.native_state_as::<BlueprintState>()
}

/// The application's name (`Flask(__name__)` in `app.py` is `app`).
pub(crate) fn app_name(app: &Value) -> String {
    app_state(app).map_or_else(|| "app".to_string(), |s| s.name.clone())
}

fn the_app(args: &CallArgs) -> PyResult<(Value, Rc<AppState>)> {
    let this = args.receiver()?.clone();
    let state = app_state(&this).ok_or_else(|| PyErr::type_error(format!("descriptor for 'Flask' objects doesn't apply to a '{}' object", this.type_name())))?;
    Ok((this, state))
}

/// `app.config`.
pub(crate) fn config_of(interp: &mut Interpreter, app: &Value) -> PyResult<Value> {
    interp.getattr(app, "config")
}

/// `app.config.get(key)` (`None` when the key is absent).
pub(crate) fn config_get(interp: &mut Interpreter, app: &Value, key: &str) -> PyResult<Option<Value>> {
    let config = config_of(interp, app)?;
    match config.downcast_native::<Config>() {
        Some(c) => dict_get(interp, &c.dict, &Value::str(key)),
        None => match interp.getitem(&config, &Value::str(key)) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is(crate::script::ExcKind::KeyError) => Ok(None),
            Err(e) => Err(e),
        },
    }
}

// ----- Config -----

/// `app.config`: a dict with Flask's loading methods.
pub(crate) struct Config {
    pub dict: Value,
}

const CONFIG_METHODS: [&str; 7] = ["from_object", "from_mapping", "from_prefixed_env", "from_pyfile", "from_envvar", "from_file", "get_namespace"];

/// Flask 3.1's defaults, in its order.
fn default_config(interp: &mut Interpreter) -> PyResult<Value> {
    let thirty_one_days = super::super::stdlib::datetime::timedelta_value(31 * 86_400 * 1_000_000)?;
    let d = Value::empty_dict();
    let defaults: Vec<(&str, Value)> = vec![
        ("DEBUG", Value::Bool(false)),
        ("TESTING", Value::Bool(false)),
        ("PROPAGATE_EXCEPTIONS", Value::None),
        ("SECRET_KEY", Value::None),
        ("SECRET_KEY_FALLBACKS", Value::None),
        ("PERMANENT_SESSION_LIFETIME", thirty_one_days),
        ("USE_X_SENDFILE", Value::Bool(false)),
        ("TRUSTED_HOSTS", Value::None),
        ("SERVER_NAME", Value::None),
        ("APPLICATION_ROOT", Value::str("/")),
        ("SESSION_COOKIE_NAME", Value::str("session")),
        ("SESSION_COOKIE_DOMAIN", Value::None),
        ("SESSION_COOKIE_PATH", Value::None),
        ("SESSION_COOKIE_HTTPONLY", Value::Bool(true)),
        ("SESSION_COOKIE_SECURE", Value::Bool(false)),
        ("SESSION_COOKIE_PARTITIONED", Value::Bool(false)),
        ("SESSION_COOKIE_SAMESITE", Value::None),
        ("SESSION_REFRESH_EACH_REQUEST", Value::Bool(true)),
        ("MAX_CONTENT_LENGTH", Value::None),
        ("MAX_FORM_MEMORY_SIZE", Value::Int(500_000)),
        ("MAX_FORM_PARTS", Value::Int(1000)),
        ("SEND_FILE_MAX_AGE_DEFAULT", Value::None),
        ("TRAP_BAD_REQUEST_ERRORS", Value::None),
        ("TRAP_HTTP_EXCEPTIONS", Value::Bool(false)),
        ("EXPLAIN_TEMPLATE_LOADING", Value::Bool(false)),
        ("PREFERRED_URL_SCHEME", Value::str("http")),
        ("TEMPLATES_AUTO_RELOAD", Value::None),
        ("MAX_COOKIE_SIZE", Value::Int(4093)),
        ("PROVIDE_AUTOMATIC_OPTIONS", Value::Bool(true)),
    ];
    for (k, v) in defaults {
        interp.setitem(&d, &Value::str(k), v)?;
    }
    Ok(d)
}

fn is_upper_key(k: &str) -> bool {
    k.chars().any(|c| c.is_alphabetic()) && !k.chars().any(|c| c.is_lowercase())
}

impl Config {
    /// The playground has no files, so every configuration file is missing.
    fn missing_file(&self, interp: &mut Interpreter, filename: &Value, silent: bool) -> PyResult<Value> {
        if silent {
            return Ok(Value::Bool(false));
        }
        let name = interp.str(filename)?;
        let path = if name.starts_with('/') { name } else { format!("/playground/{name}") };
        Err(PyErr::new(crate::script::ExcKind::FileNotFoundError, format!("[Errno 2] Unable to load configuration file (No such file or directory): '{path}'")))
    }

    fn set_upper(&self, interp: &mut Interpreter, pairs: Vec<(Value, Value)>) -> PyResult<()> {
        for (k, v) in pairs {
            if k.as_str().is_some_and(is_upper_key) {
                interp.setitem(&self.dict, &k, v)?;
            }
        }
        Ok(())
    }

    fn call_method(&self, interp: &mut Interpreter, name: &str, args: CallArgs) -> PyResult<Value> {
        match name {
            "from_object" => {
                let [obj] = args.bind("Config.from_object", ["obj"], 1)?;
                let mut obj = obj.unwrap_or(Value::None);
                if let Value::Str(path) = &obj {
                    let path = path.as_str().to_string();
                    let (module, attr) = path.rsplit_once('.').ok_or_else(|| PyErr::new(crate::script::ExcKind::ImportError, format!("import_string() failed for '{path}'")))?;
                    let m = interp.import_module(module)?;
                    obj = interp.getattr(&Value::Module(m), attr)?;
                }
                let names = interp.attribute_names(&obj);
                let mut pairs = Vec::new();
                for n in names.into_iter().filter(|n| is_upper_key(n)) {
                    let v = interp.getattr(&obj, &n)?;
                    pairs.push((Value::string(n), v));
                }
                self.set_upper(interp, pairs)?;
                Ok(Value::None)
            }
            "from_mapping" => {
                let mut pairs = Vec::new();
                if args.args.len() > 1 {
                    return Err(PyErr::type_error(format!("Config.from_mapping() takes from 1 to 2 positional arguments but {} were given", args.args.len() + 1)));
                }
                if let Some(m) = args.args.first().filter(|m| !m.is_none()) {
                    pairs.extend(interp.mapping_items(m)?);
                }
                pairs.extend(args.kwargs.into_iter().map(|(k, v)| (Value::str(&k), v)));
                self.set_upper(interp, pairs)?;
                Ok(Value::Bool(true))
            }
            "from_prefixed_env" => {
                let [prefix, _loads] = args.bind("Config.from_prefixed_env", ["prefix", "loads"], 0)?;
                let prefix = match prefix {
                    Some(p) => interp.str(&p)?,
                    None => "FLASK".to_string(),
                };
                let os = interp.import_module("os")?;
                let environ = interp.getattr(&Value::Module(os), "environ")?;
                let items = call_method(interp, &environ, "items", Vec::new())?;
                let mut entries = Vec::new();
                for pair in interp.collect(&items)? {
                    let parts = interp.collect(&pair)?;
                    if let [Value::Str(k), Value::Str(v)] = parts.as_slice() {
                        if let Some(key) = k.as_str().strip_prefix(&format!("{prefix}_")) {
                            entries.push((key.to_string(), v.as_str().to_string()));
                        }
                    }
                }
                entries.sort();
                for (key, text) in entries {
                    // Values are parsed as JSON when they can be, as Flask does.
                    let value = match super::super::stdlib::json::parse(interp, &text) {
                        Ok(v) => v,
                        Err(e) if e.is_uncatchable() => return Err(e),
                        Err(_) => Value::string(text),
                    };
                    interp.setitem(&self.dict, &Value::string(key), value)?;
                }
                Ok(Value::Bool(true))
            }
            "get_namespace" => {
                let [namespace, lowercase, trim] = args.bind("Config.get_namespace", ["namespace", "lowercase", "trim_namespace"], 1)?;
                let namespace = interp.str(&namespace.unwrap_or(Value::None))?;
                let lowercase = lowercase.map_or(Ok(true), |v| interp.truthy(&v))?;
                let trim = trim.map_or(Ok(true), |v| interp.truthy(&v))?;
                let out = Value::empty_dict();
                let Value::Dict(d) = &self.dict else { return Ok(out) };
                for (k, v) in interp.dict_items(d) {
                    let Some(key) = k.as_str() else { continue };
                    let Some(rest) = key.strip_prefix(&namespace) else { continue };
                    let mut name = if trim { rest.to_string() } else { key.to_string() };
                    if lowercase {
                        name = name.to_lowercase();
                    }
                    interp.setitem(&out, &Value::string(name), v)?;
                }
                Ok(out)
            }
            "from_envvar" => {
                let [variable, silent] = args.bind("Config.from_envvar", ["variable_name", "silent"], 1)?;
                let variable = interp.str(&variable.unwrap_or(Value::None))?;
                let silent = silent.map_or(Ok(false), |s| interp.truthy(&s))?;
                let os = interp.import_module("os")?;
                let getenv = interp.getattr(&Value::Module(os), "getenv")?;
                let path = interp.call(&getenv, vec![Value::str(&variable)], Vec::new())?;
                if path.is_none() {
                    if silent {
                        return Ok(Value::Bool(false));
                    }
                    return Err(PyErr::runtime_error(format!(
                        "The environment variable '{variable}' is not set and as such configuration could not be loaded. Set this variable and make it point to a configuration file"
                    )));
                }
                self.missing_file(interp, &path, silent)
            }
            // from_pyfile(filename, silent=False) / from_file(filename, load, silent=False)
            other => {
                let silent = args.kwarg("silent").cloned().or_else(|| args.args.get(if other == "from_file" { 2 } else { 1 }).cloned());
                let silent = silent.map_or(Ok(false), |s| interp.truthy(&s))?;
                let filename = args.args.first().cloned().or_else(|| args.kwarg("filename").cloned()).unwrap_or(Value::None);
                self.missing_file(interp, &filename, silent)
            }
        }
    }
}

impl NativeObject for Config {
    fn type_name(&self) -> &str {
        "Config"
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if let Some(method) = CONFIG_METHODS.iter().find(|m| **m == name).copied() {
            let Some(config) = this.downcast_native::<Config>() else { return Ok(None) };
            return Ok(Some(native_fn(method, move |interp, args| config.call_method(interp, method, args))));
        }
        interp.lookup_attr(&self.dict, name)
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        let mut names = interp.attribute_names(&self.dict);
        names.extend(CONFIG_METHODS.iter().map(|m| m.to_string()));
        names
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("<Config {}>", interp.repr(&self.dict)?))
    }

    crate::read_mapping_from_dict!(dict);

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        interp.check_side_effect("changing the configuration")?;
        interp.setitem(&self.dict, key, value)?;
        Ok(true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        interp.delitem(&self.dict, key)?;
        Ok(true)
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: crate::script::ast::CmpOp, other: &Value) -> PyResult<Option<Value>> {
        interp.compare(&self.dict, op, other).map(Some)
    }
}

// ----- routes -----

/// The `methods=` option: a list of names (a plain string is refused as Flask does).
fn methods_option(interp: &mut Interpreter, methods: Option<Value>, view: &Value) -> PyResult<Vec<String>> {
    let methods = match methods.filter(|m| !m.is_none()) {
        Some(m) => Some(m),
        None => interp.lookup_attr(view, "methods")?.filter(|m| !m.is_none()),
    };
    let Some(methods) = methods else { return Ok(vec!["GET".into()]) };
    if matches!(methods, Value::Str(_)) {
        return Err(PyErr::type_error("Allowed methods must be a list of strings, for example: @app.route(..., methods=[\"POST\"])"));
    }
    interp.collect(&methods)?.iter().map(|m| interp.str(m).map(|s| s.to_ascii_uppercase())).collect()
}

/// `add_url_rule(rule, endpoint=None, view_func=None, **options)` on an app or blueprint.
fn add_url_rule(interp: &mut Interpreter, target: &Value, args: CallArgs) -> PyResult<()> {
    let mut args = args;
    let methods = args.take_kwarg("methods");
    args.take_kwarg("provide_automatic_options");
    args.take_kwarg("strict_slashes");
    args.take_kwarg("defaults");
    let [rule, endpoint, view_func] = args.bind("add_url_rule", ["rule", "endpoint", "view_func"], 1)?;
    let rule = interp.str(&rule.unwrap_or(Value::None))?;
    let view = view_func.filter(|v| !v.is_none());
    let endpoint = match endpoint.filter(|e| !e.is_none()) {
        Some(e) => interp.str(&e)?,
        None => {
            let view = view.as_ref().ok_or_else(|| PyErr::new(crate::script::ExcKind::AssertionError, "expected view func if endpoint is not explicitly set"))?;
            let name = interp.getattr(view, "__name__")?;
            interp.str(&name)?
        }
    };
    let methods = methods_option(interp, methods, view.as_ref().unwrap_or(&Value::None))?;
    if let Some(bp) = blueprint_state(target) {
        if endpoint.contains('.') {
            return Err(PyErr::value_error("'endpoint' may not contain a dot '.' character."));
        }
        bp.routes.borrow_mut().push(RouteSpec { rule, endpoint, view: view.unwrap_or(Value::None), methods });
        return Ok(());
    }
    let state = app_state(target).ok_or_else(|| PyErr::type_error("add_url_rule() needs a Flask application or a Blueprint"))?;
    register_rule(interp, target, &state, &rule, &endpoint, view, &methods)
}

fn register_rule(interp: &mut Interpreter, app: &Value, state: &AppState, rule: &str, endpoint: &str, view: Option<Value>, methods: &[String]) -> PyResult<()> {
    let parsed = Rule::new(rule, endpoint, methods)?;
    if let Some(view) = view {
        let functions = interp.getattr(app, "view_functions")?;
        if let Some(existing) = dict_get(interp, &functions, &Value::str(endpoint))? {
            if !crate::script::value::same_object(&existing, &view) {
                return Err(PyErr::new(crate::script::ExcKind::AssertionError, format!("View function mapping is overwriting an existing endpoint function: {endpoint}")));
            }
        }
        interp.setitem(&functions, &Value::str(endpoint), view)?;
    }
    state.rules.borrow_mut().push(parsed);
    Ok(())
}

/// The decorator `@target.route(rule, **options)` returns.
fn route_decorator(target: Value, rule: Value, options: Vec<(Rc<str>, Value)>) -> Value {
    native_fn("decorator", move |interp, args| {
        args.exactly("decorator", 1)?;
        let f = args.args[0].clone();
        let mut kwargs = options.clone();
        let endpoint = kwargs.iter().position(|(k, _)| &**k == "endpoint").map(|i| kwargs.remove(i).1).unwrap_or(Value::None);
        kwargs.push((Rc::from("view_func"), f.clone()));
        add_url_rule(interp, &target, CallArgs::with_kwargs(vec![rule.clone(), endpoint], kwargs))?;
        Ok(f)
    })
}

/// `route`, `get`, `post`... shared by `Flask` and `Blueprint`.
fn add_route_methods(mut b: ClassBuilder) -> ClassBuilder {
    b = b
        .method("route", |_, mut args| {
            let target = args.receiver()?.clone();
            skip_receiver(&mut args);
            let rule = args.args.first().cloned().ok_or_else(|| PyErr::type_error("route() missing 1 required positional argument: 'rule'"))?;
            Ok(route_decorator(target, rule, args.kwargs))
        })
        .method("add_url_rule", |interp, mut args| {
            let target = args.receiver()?.clone();
            skip_receiver(&mut args);
            add_url_rule(interp, &target, args)?;
            Ok(Value::None)
        });
    for (name, method) in [("get", "GET"), ("post", "POST"), ("put", "PUT"), ("delete", "DELETE"), ("patch", "PATCH")] {
        b = b.method(name, move |_, mut args| {
            let target = args.receiver()?.clone();
            skip_receiver(&mut args);
            if args.kwarg("methods").is_some() {
                return Err(PyErr::type_error("Use the 'route' decorator to use the 'methods' argument."));
            }
            let rule = args.args.first().cloned().ok_or_else(|| PyErr::type_error(format!("{name}() missing 1 required positional argument: 'rule'")))?;
            let mut options = args.kwargs;
            options.push((Rc::from("methods"), Value::list(vec![Value::str(method)])));
            Ok(route_decorator(target, rule, options))
        });
    }
    b
}

/// Decorators that record a function and return it unchanged.
fn add_recording_decorators(mut b: ClassBuilder, names: &'static [&'static str]) -> ClassBuilder {
    for name in names {
        b = b.method(name, move |_, args| {
            let this = args.receiver()?.clone();
            let f = args.get(1).cloned().ok_or_else(|| PyErr::type_error(format!("{name}() missing 1 required positional argument: 'f'")))?;
            record(&this, name, f.clone());
            Ok(f)
        });
    }
    b
}

fn record(target: &Value, what: &str, f: Value) {
    if let Some(state) = app_state(target) {
        match what {
            "teardown_appcontext" => state.teardown_appcontext.borrow_mut().push(f),
            "teardown_request" => state.teardown_request.borrow_mut().push(f),
            _ => state.recorded.borrow_mut().push((what.to_string(), f)),
        }
    }
}

/// `@app.errorhandler(404)`: records the handler.
fn errorhandler_decorator(target: Value, key: Value) -> Value {
    native_fn("decorator", move |_, args| {
        args.exactly("decorator", 1)?;
        let f = args.args[0].clone();
        if let Some(state) = app_state(&target) {
            state.recorded.borrow_mut().push((format!("errorhandler({key:?})"), f.clone()));
        }
        Ok(f)
    })
}

/// `app.url_map` (a snapshot of the rules, for printing).
struct UrlMap(Vec<String>);

impl NativeObject for UrlMap {
    fn type_name(&self) -> &str {
        "Map"
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("Map([{}])", self.0.join(",\n ")))
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.0.len()))
    }
}

// ----- url_for -----

/// `url_for(endpoint, **values)` for `app`, as Flask 3.1 builds it.
pub(crate) fn url_for(interp: &mut Interpreter, app: &Value, args: CallArgs) -> PyResult<Value> {
    let mut args = args;
    let anchor = args.take_kwarg("_anchor").filter(|v| !v.is_none());
    let scheme = args.take_kwarg("_scheme").filter(|v| !v.is_none());
    let external = args.take_kwarg("_external").filter(|v| !v.is_none());
    args.take_kwarg("_method");
    let endpoint = match args.args.first() {
        Some(e) => interp.str(e)?,
        None => return Err(PyErr::type_error("url_for() missing 1 required positional argument: 'endpoint'")),
    };
    if args.args.len() > 1 {
        return Err(PyErr::type_error(format!("url_for() takes 1 positional argument but {} were given", args.args.len())));
    }
    let state = app_state(app).ok_or_else(|| PyErr::type_error("url_for() needs a Flask application"))?;
    let request = context::current_request(interp);
    let (endpoint, external, host) = match &request {
        Some(req) => {
            let endpoint = match endpoint.strip_prefix('.') {
                Some(local) => match req.blueprint() {
                    Some(bp) => format!("{bp}.{local}"),
                    None => local.to_string(),
                },
                None => endpoint,
            };
            let external = match &external {
                Some(e) => interp.truthy(e)?,
                None => scheme.is_some(),
            };
            (endpoint, external, "localhost".to_string())
        }
        None => {
            let server = config_get(interp, app, "SERVER_NAME")?.filter(|s| !s.is_none());
            let Some(server) = server else {
                return Err(PyErr::runtime_error(
                    "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also configure 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed.",
                ));
            };
            let external = match &external {
                Some(e) => interp.truthy(e)?,
                None => true,
            };
            (endpoint.trim_start_matches('.').to_string(), external, interp.str(&server)?)
        }
    };
    if scheme.is_some() && !external {
        return Err(PyErr::value_error("When specifying '_scheme', '_external' must be True."));
    }
    let values: Vec<(String, Value)> = args.kwargs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let errors = super::exceptions::classes(interp)?;
    let rules = state.rules.borrow().clone();
    let mut url = routing::build(interp, &rules, &endpoint, &values, &errors.build_error)?;
    if let Some(anchor) = anchor {
        url.push('#');
        url.push_str(&routing::quote(&interp.str(&anchor)?, "%!#$&'()*+,/:;=?@"));
    }
    if external {
        let scheme = match scheme {
            Some(s) => interp.str(&s)?,
            None => match config_get(interp, app, "PREFERRED_URL_SCHEME")? {
                Some(s) if request.is_none() => interp.str(&s)?,
                _ => "http".to_string(),
            },
        };
        url = format!("{scheme}://{host}{url}");
    }
    Ok(Value::string(url))
}

// ----- classes -----

/// The `Flask` and `Blueprint` classes of an interpreter.
#[derive(Clone)]
pub(crate) struct WebClasses {
    pub flask: Rc<Class>,
    pub blueprint: Rc<Class>,
}

pub(crate) fn classes(interp: &mut Interpreter) -> PyResult<WebClasses> {
    cached(interp, |interp| Ok(WebClasses { flask: flask_class(interp)?, blueprint: blueprint_class(interp)? }))
}

/// The application's name: the module's, or (for `__main__`) the main script's file name, as
/// Flask reads it from `sys.modules['__main__'].__file__`: `app` for `app.py`, also when
/// `Flask(__name__)` is typed at the console, which runs in the models' namespace.
fn name_from_import_name(interp: &Interpreter, import_name: &str) -> String {
    if import_name != "__main__" {
        return import_name.to_string();
    }
    let file = interp.main_file().unwrap_or_default();
    let base = file.rsplit('/').next().unwrap_or(&file);
    base.strip_suffix(".py").map_or_else(|| "__main__".to_string(), str::to_string)
}

/// `app.debug`, `app.testing`, `app.secret_key`: views of the config keys.
fn config_flag(name: &'static str) -> Value {
    match name {
        "debug" => ComputedAttr::value(name, |i, this, _| config_value(i, this, "DEBUG"), Some(|i, this, v| set_config_value(i, this, "DEBUG", v))),
        "testing" => ComputedAttr::value(name, |i, this, _| config_value(i, this, "TESTING"), Some(|i, this, v| set_config_value(i, this, "TESTING", v))),
        _ => ComputedAttr::value(name, |i, this, _| config_value(i, this, "SECRET_KEY"), Some(|i, this, v| set_config_value(i, this, "SECRET_KEY", v))),
    }
}

fn config_value(interp: &mut Interpreter, this: Option<&Value>, key: &str) -> PyResult<Value> {
    let Some(app) = this else { return Ok(Value::None) };
    Ok(config_get(interp, app, key)?.unwrap_or(Value::None))
}

fn set_config_value(interp: &mut Interpreter, app: &Value, key: &str, value: Value) -> PyResult<()> {
    let config = config_of(interp, app)?;
    interp.setitem(&config, &Value::str(key), value)
}

const RUN_NOTE: &str =
    "(The playground has no web server: app.run() does nothing here. Call a view function directly, inside `with app.test_request_context('/path'):` when it reads the request.)\n";

fn flask_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let b = ClassBuilder::new("Flask", "flask.app")
        .method("__init__", |interp, mut args| {
            let this = args.receiver()?.clone();
            skip_receiver(&mut args);
            let [import_name, _static_url_path, static_folder, _static_host, _host_matching, _subdomain_matching, template_folder, _instance_path, _instance_relative_config, _root_path] = args.bind(
                "Flask.__init__",
                ["import_name", "static_url_path", "static_folder", "static_host", "host_matching", "subdomain_matching", "template_folder", "instance_path", "instance_relative_config", "root_path"],
                1,
            )?;
            let import_name = interp.str(&import_name.unwrap_or(Value::None))?;
            let name = name_from_import_name(interp, &import_name);
            let inst = this.as_instance().ok_or_else(|| PyErr::type_error("Flask.__init__() needs a Flask instance"))?.clone();
            let state = Rc::new(AppState {
                name: name.clone(),
                rules: RefCell::new(Vec::new()),
                teardown_appcontext: RefCell::new(Vec::new()),
                teardown_request: RefCell::new(Vec::new()),
                recorded: RefCell::new(Vec::new()),
                logger: RefCell::new(None),
            });
            inst.set_native_state(state.clone());
            let config = Value::Native(Rc::new(Config { dict: default_config(interp)? }));
            let static_folder = static_folder.unwrap_or(Value::str("static"));
            for (k, v) in [
                ("import_name", Value::string(import_name)),
                ("name", Value::string(name)),
                ("config", config),
                ("extensions", Value::empty_dict()),
                ("blueprints", Value::empty_dict()),
                ("view_functions", Value::empty_dict()),
                ("root_path", Value::str("/playground")),
                ("instance_path", Value::str("/playground/instance")),
                ("static_folder", if static_folder.is_none() { Value::None } else { Value::string(format!("/playground/{}", interp.str(&static_folder)?)) }),
                ("static_url_path", if static_folder.is_none() { Value::None } else { Value::str("/static") }),
                ("template_folder", template_folder.unwrap_or(Value::str("templates"))),
            ] {
                inst.set_own(k, v);
            }
            if !static_folder.is_none() {
                register_rule(interp, &this, &state, "/static/<path:filename>", "static", None, &["GET".to_string()])?;
            }
            Ok(Value::None)
        })
        .method("__repr__", |_, args| {
            let (_, state) = the_app(&args)?;
            Ok(Value::string(format!("<Flask '{}'>", state.name)))
        })
        .method("app_context", |_, args| {
            let (this, _) = the_app(&args)?;
            Ok(Value::Native(Rc::new(AppContext { app: this })))
        })
        .method("test_request_context", |interp, mut args| {
            let (this, state) = the_app(&args)?;
            skip_receiver(&mut args);
            args.take_kwarg("subdomain");
            args.take_kwarg("url_scheme");
            let rules = state.rules.borrow().clone();
            let request = super::request::build_request(interp, args, &rules)?;
            Ok(Value::Native(Rc::new(RequestContext::new(this, request))))
        })
        .method("url_for", |interp, mut args| {
            let (this, _) = the_app(&args)?;
            skip_receiver(&mut args);
            url_for(interp, &this, args)
        })
        .method("errorhandler", |_, args| {
            let (this, _) = the_app(&args)?;
            let key = args.get(1).cloned().ok_or_else(|| PyErr::type_error("errorhandler() missing 1 required positional argument: 'code_or_exception'"))?;
            Ok(errorhandler_decorator(this, key))
        })
        .method("register_error_handler", |_, args| {
            let (_, state) = the_app(&args)?;
            let f = args.get(2).cloned().ok_or_else(|| PyErr::type_error("register_error_handler() missing 1 required positional argument: 'f'"))?;
            state.recorded.borrow_mut().push(("errorhandler".into(), f));
            Ok(Value::None)
        })
        .method("register_blueprint", |interp, mut args| {
            let (this, state) = the_app(&args)?;
            skip_receiver(&mut args);
            let url_prefix = args.take_kwarg("url_prefix");
            let name = args.take_kwarg("name");
            let [bp] = args.bind("register_blueprint", ["blueprint"], 1)?;
            let bp = bp.unwrap_or(Value::None);
            let bp_state = blueprint_state(&bp).ok_or_else(|| PyErr::type_error(format!("register_blueprint() expects a Blueprint, not {}", bp.type_name())))?;
            let name = match name {
                Some(n) => interp.str(&n)?,
                None => bp_state.name.clone(),
            };
            let blueprints = interp.getattr(&this, "blueprints")?;
            if let Some(existing) = dict_get(interp, &blueprints, &Value::str(&name))? {
                if !crate::script::value::same_object(&existing, &bp) {
                    return Err(PyErr::value_error(format!("The name '{name}' is already registered for a different blueprint. Use 'name=' to provide a unique name.")));
                }
            }
            interp.setitem(&blueprints, &Value::str(&name), bp.clone())?;
            let prefix = match url_prefix {
                Some(p) if !p.is_none() => Some(interp.str(&p)?),
                Some(_) => None,
                None => bp_state.url_prefix.clone(),
            };
            let routes = bp_state.routes.borrow().clone();
            for r in routes {
                let rule = match &prefix {
                    Some(p) if r.rule.is_empty() => p.clone(),
                    Some(p) => format!("{}/{}", p.trim_end_matches('/'), r.rule.trim_start_matches('/')),
                    None => r.rule.clone(),
                };
                let view = if r.view.is_none() { None } else { Some(r.view.clone()) };
                register_rule(interp, &this, &state, &rule, &format!("{name}.{}", r.endpoint), view, &r.methods)?;
            }
            Ok(Value::None)
        })
        .method_with(crate::script::function("run", |interp, args| {
            the_app(&args)?;
            interp.write_output(RUN_NOTE);
            Ok(Value::None)
        }).side_effects())
        .method("test_client", |_, _| {
            Err(PyErr::not_implemented("app.test_client() needs a web server, which the playground does not have: call the view function inside `with app.test_request_context(...)`"))
        })
        .attr(
            "url_map",
            ComputedAttr::value(
                "url_map",
                |_, this, _| {
                    let rules = this.and_then(app_state).map(|s| s.rules.borrow().iter().map(Rule::display).collect::<Vec<_>>()).unwrap_or_default();
                    Ok(Value::Native(Rc::new(UrlMap(rules))))
                },
                None,
            ),
        )
        .attr("debug", config_flag("debug"))
        .attr("testing", config_flag("testing"))
        .attr("secret_key", config_flag("secret_key"))
        .attr(
            "logger",
            ComputedAttr::value(
                "logger",
                |interp, this, _| {
                    let Some(app) = this else { return Ok(Value::None) };
                    let Some(state) = app_state(app) else { return Ok(Value::None) };
                    if let Some(l) = state.logger.borrow().clone() {
                        return Ok(l);
                    }
                    let debug = config_value(interp, Some(app), "DEBUG")?;
                    let debug = interp.truthy(&debug)?;
                    let logger = super::super::stdlib::logging::flask_logger(interp, &state.name, debug)?;
                    *state.logger.borrow_mut() = Some(logger.clone());
                    Ok(logger)
                },
                None,
            ),
        );
    let b = add_route_methods(b);
    add_recording_decorators(
        b,
        &[
            "teardown_appcontext",
            "teardown_request",
            "before_request",
            "after_request",
            "context_processor",
            "shell_context_processor",
            "url_value_preprocessor",
            "url_defaults",
            "template_filter_function",
        ],
    )
    .build(interp)
}

fn blueprint_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let b = ClassBuilder::new("Blueprint", "flask.blueprints")
        .method("__init__", |interp, mut args| {
            let this = args.receiver()?.clone();
            skip_receiver(&mut args);
            let [name, import_name, _static_folder, _static_url_path, _template_folder, url_prefix, _subdomain, _url_defaults, _root_path, _cli_group] = args.bind(
                "Blueprint.__init__",
                ["name", "import_name", "static_folder", "static_url_path", "template_folder", "url_prefix", "subdomain", "url_defaults", "root_path", "cli_group"],
                2,
            )?;
            let name = interp.str(&name.unwrap_or(Value::None))?;
            if name.is_empty() {
                return Err(PyErr::value_error("'name' may not be empty."));
            }
            if name.contains('.') {
                return Err(PyErr::value_error("'name' may not contain a dot '.' character."));
            }
            let url_prefix = url_prefix.filter(|p| !p.is_none()).map(|p| interp.str(&p)).transpose()?;
            let inst = this.as_instance().ok_or_else(|| PyErr::type_error("Blueprint.__init__() needs a Blueprint instance"))?.clone();
            inst.set_native_state(Rc::new(BlueprintState { name: name.clone(), url_prefix: url_prefix.clone(), routes: RefCell::new(Vec::new()) }));
            inst.set_own("name", Value::string(name));
            inst.set_own("import_name", import_name.unwrap_or(Value::None));
            inst.set_own("url_prefix", url_prefix.map_or(Value::None, Value::string));
            Ok(Value::None)
        })
        .method("__repr__", |_, args| {
            let this = args.receiver()?;
            let name = blueprint_state(this).map_or_else(|| "?".to_string(), |s| s.name.clone());
            Ok(Value::string(format!("<Blueprint '{name}'>")))
        })
        .method("errorhandler", |_, args| {
            let key = args.get(1).cloned().unwrap_or(Value::None);
            Ok(errorhandler_decorator(args.receiver()?.clone(), key))
        })
        .method("app_errorhandler", |_, args| {
            let key = args.get(1).cloned().unwrap_or(Value::None);
            Ok(errorhandler_decorator(args.receiver()?.clone(), key))
        });
    let b = add_route_methods(b);
    add_recording_decorators(
        b,
        &["before_request", "after_request", "teardown_request", "before_app_request", "after_app_request", "teardown_app_request", "context_processor", "app_context_processor"],
    )
    .build(interp)
}

//! Flask's contexts: the application context (`current_app`, `g`) and the
//! request context (`request`, `session`, flashed messages), the proxies that
//! reach them, and the errors Flask raises when there is none.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::script::ast::{BinOp, CmpOp};
use crate::script::{native_fn, CallArgs, ExcKind, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::stdlib::native::{call_method, dict_get};
use super::app::{app_name, app_state};
use super::request::Request;

pub(crate) const APP_CONTEXT_MESSAGE: &str = "Working outside of application context.\n\nThis typically means that you attempted to use functionality that needed\nthe current application. To solve this, set up an application context\nwith app.app_context(). See the documentation for more information.";
const REQUEST_CONTEXT_MESSAGE: &str = "Working outside of request context.\n\nThis typically means that you attempted to use functionality that needed\nan active HTTP request. Consult the documentation on testing for\ninformation about how to avoid this problem.";
const NO_SECRET_KEY: &str = "The session is unavailable because no secret key was set.  Set the secret_key on the application to something unique and secret.";

pub(crate) fn outside_app_context() -> PyErr {
    PyErr::runtime_error(APP_CONTEXT_MESSAGE)
}

fn outside_request_context() -> PyErr {
    PyErr::runtime_error(REQUEST_CONTEXT_MESSAGE)
}

struct AppFrame {
    app: Value,
    g: Value,
    /// The `AppContext` object that pushed this frame.
    ctx: Value,
}

struct RequestFrame {
    request: Value,
    session: Value,
    /// `get_flashed_messages()` reads the session once per request.
    flashes: Option<Value>,
    ctx: Value,
}

/// The pushed contexts of an interpreter, innermost last.
#[derive(Default)]
struct Contexts {
    apps: Vec<AppFrame>,
    requests: Vec<RequestFrame>,
}

fn contexts(interp: &mut Interpreter) -> &mut Contexts {
    if interp.extension::<Contexts>().is_none() {
        interp.insert_extension(Contexts::default());
    }
    // Inserted just above when missing.
    interp.extension_mut::<Contexts>().expect("contexts were just inserted")
}

/// The application of the innermost application context.
pub(crate) fn current_app(interp: &mut Interpreter) -> Option<Value> {
    contexts(interp).apps.last().map(|f| f.app.clone())
}

pub(crate) fn require_app(interp: &mut Interpreter) -> PyResult<Value> {
    current_app(interp).ok_or_else(outside_app_context)
}

fn current_g(interp: &mut Interpreter) -> PyResult<Value> {
    contexts(interp).apps.last().map(|f| f.g.clone()).ok_or_else(outside_app_context)
}

/// The request of the innermost request context.
pub(crate) fn current_request(interp: &mut Interpreter) -> Option<Rc<Request>> {
    contexts(interp).requests.last().and_then(|f| f.request.downcast_native::<Request>())
}

fn require_request_frame<T>(interp: &mut Interpreter, read: impl FnOnce(&mut RequestFrame) -> T) -> PyResult<T> {
    contexts(interp).requests.last_mut().map(read).ok_or_else(outside_request_context)
}

// ----- pushing and popping -----

fn push_app(interp: &mut Interpreter, app: &Value, ctx: Value) {
    let name = app_name(app);
    let g = Value::Native(Rc::new(AppGlobals { app_name: name, attrs: RefCell::new(IndexMap::new()) }));
    contexts(interp).apps.push(AppFrame { app: app.clone(), g, ctx });
}

/// Pop the application context `ctx` and run the app's teardown functions.
fn pop_app(interp: &mut Interpreter, ctx: &Value, exception: Option<&Value>) -> PyResult<()> {
    let frames = &mut contexts(interp).apps;
    let top_matches = frames.last().is_some_and(|f| crate::script::value::same_object(&f.ctx, ctx));
    if !top_matches {
        let top = frames.last().map(|f| f.ctx.clone());
        let shown_top = match top {
            Some(t) => interp.repr(&t)?,
            None => "None".into(),
        };
        let shown_ctx = interp.repr(ctx)?;
        return Err(PyErr::new(ExcKind::AssertionError, format!("Popped wrong app context.  ({shown_top} instead of {shown_ctx})")));
    }
    let Some(frame) = contexts(interp).apps.pop() else { return Ok(()) };
    if let Some(state) = app_state(&frame.app) {
        let teardowns: Vec<Value> = state.teardown_appcontext.borrow().iter().rev().cloned().collect();
        let arg = exception.cloned().unwrap_or(Value::None);
        for f in teardowns {
            interp.call(&f, vec![arg.clone()], Vec::new())?;
        }
    }
    Ok(())
}

/// Push an application context for `app` unless one is active (the console's
/// `flask shell` mode). Returns whether one was pushed.
pub(crate) fn ensure_app_context(interp: &mut Interpreter, app: &Value) -> bool {
    // The console's `app` may be replaced (a prelude's, then the user's own): its context is
    // the one to be in, so a context of another app on top does not count.
    if contexts(interp).apps.last().is_some_and(|f| crate::script::value::same_object(&f.app, app)) {
        return false;
    }
    let ctx = Value::Native(Rc::new(AppContext { app: app.clone() }));
    push_app(interp, app, ctx);
    true
}

/// `app.app_context()`.
pub(crate) struct AppContext {
    pub app: Value,
}

impl AppContext {
    fn method(this: &Value, name: &'static str) -> Value {
        let ctx = this.clone();
        native_fn(name, move |interp, args| {
            let Some(c) = ctx.downcast_native::<AppContext>() else { return Ok(Value::None) };
            match name {
                "push" => {
                    args.exactly("push", 0)?;
                    push_app(interp, &c.app, ctx.clone());
                }
                _ => {
                    let [exc] = args.bind("pop", ["exc"], 0)?;
                    pop_app(interp, &ctx, exc.as_ref().filter(|e| !e.is_none()))?;
                }
            }
            Ok(Value::None)
        })
    }
}

impl NativeObject for AppContext {
    fn type_name(&self) -> &str {
        "AppContext"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "push" => Some(AppContext::method(this, "push")),
            "pop" => Some(AppContext::method(this, "pop")),
            "app" => Some(self.app.clone()),
            _ => None,
        })
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        Ok(format!("<flask.ctx.AppContext object at {:#x}>", this.identity()))
    }

    fn enter(&self, interp: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        push_app(interp, &self.app, this.clone());
        Ok(Some(this.clone()))
    }

    fn exit(&self, interp: &mut Interpreter, this: &Value, exception: Option<&Value>) -> PyResult<bool> {
        pop_app(interp, this, exception)?;
        Ok(false)
    }
}

/// `app.test_request_context(...)`.
pub(crate) struct RequestContext {
    pub app: Value,
    pub request: Value,
    /// The application context the push made (popped with it).
    implicit_app: RefCell<Option<Value>>,
}

impl RequestContext {
    pub fn new(app: Value, request: Request) -> RequestContext {
        RequestContext { app, request: Value::Native(Rc::new(request)), implicit_app: RefCell::new(None) }
    }

    fn push(&self, interp: &mut Interpreter, this: &Value) -> PyResult<()> {
        let same_app_on_top = contexts(interp).apps.last().is_some_and(|f| crate::script::value::same_object(&f.app, &self.app));
        if !same_app_on_top {
            let ctx = Value::Native(Rc::new(AppContext { app: self.app.clone() }));
            push_app(interp, &self.app, ctx.clone());
            *self.implicit_app.borrow_mut() = Some(ctx);
        }
        let has_secret = {
            let key = super::app::config_get(interp, &self.app, "SECRET_KEY")?;
            key.is_some_and(|k| !k.is_none() && !matches!(&k, Value::Str(s) if s.as_str().is_empty()))
        };
        let session = Value::Native(Rc::new(Session { dict: Value::empty_dict(), null: !has_secret }));
        contexts(interp).requests.push(RequestFrame { request: self.request.clone(), session, flashes: None, ctx: this.clone() });
        Ok(())
    }

    fn pop(&self, interp: &mut Interpreter, this: &Value, exception: Option<&Value>) -> PyResult<()> {
        let frames = &mut contexts(interp).requests;
        if !frames.last().is_some_and(|f| crate::script::value::same_object(&f.ctx, this)) {
            return Err(PyErr::new(ExcKind::AssertionError, "Popped wrong request context."));
        }
        frames.pop();
        if let Some(state) = app_state(&self.app) {
            let teardowns: Vec<Value> = state.teardown_request.borrow().iter().rev().cloned().collect();
            let arg = exception.cloned().unwrap_or(Value::None);
            for f in teardowns {
                interp.call(&f, vec![arg.clone()], Vec::new())?;
            }
        }
        let implicit = self.implicit_app.borrow_mut().take();
        if let Some(ctx) = implicit {
            pop_app(interp, &ctx, exception)?;
        }
        Ok(())
    }
}

impl NativeObject for RequestContext {
    fn type_name(&self) -> &str {
        "RequestContext"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let ctx = this.clone();
        Ok(match name {
            "push" => Some(native_fn("push", move |interp, args| {
                args.exactly("push", 0)?;
                if let Some(c) = ctx.downcast_native::<RequestContext>() {
                    c.push(interp, &ctx)?;
                }
                Ok(Value::None)
            })),
            "pop" => Some(native_fn("pop", move |interp, args| {
                let [exc] = args.bind("pop", ["exc"], 0)?;
                if let Some(c) = ctx.downcast_native::<RequestContext>() {
                    c.pop(interp, &ctx, exc.as_ref().filter(|e| !e.is_none()))?;
                }
                Ok(Value::None)
            })),
            "request" => Some(self.request.clone()),
            "app" => Some(self.app.clone()),
            _ => None,
        })
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let Some(r) = self.request.downcast_native::<Request>() else { return Ok("<RequestContext>".into()) };
        let url = interp.getattr(&self.request, "url")?;
        Ok(format!("<RequestContext '{}' [{}] of {}>", interp.str(&url)?, r.method, app_name(&self.app)))
    }

    fn enter(&self, interp: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        self.push(interp, this)?;
        Ok(Some(this.clone()))
    }

    fn exit(&self, interp: &mut Interpreter, this: &Value, exception: Option<&Value>) -> PyResult<bool> {
        self.pop(interp, this, exception)?;
        Ok(false)
    }
}

// ----- g -----

/// `g`: a namespace per application context.
struct AppGlobals {
    app_name: String,
    attrs: RefCell<IndexMap<String, Value>>,
}

impl NativeObject for AppGlobals {
    fn type_name(&self) -> &str {
        "_AppCtxGlobals"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if let Some(v) = self.attrs.borrow().get(name) {
            return Ok(Some(v.clone()));
        }
        let method: &'static str = match name {
            "get" => "get",
            "pop" => "pop",
            "setdefault" => "setdefault",
            // Flask's `g` says only the name.
            _ if !name.starts_with("__") => return Err(PyErr::attribute_error(name.to_string())),
            _ => return Ok(None),
        };
        let Some(g) = this.downcast_native::<AppGlobals>() else { return Ok(None) };
        Ok(Some(native_fn(method, move |interp, args| {
            let [name, default] = args.bind(method, ["name", "default"], 1)?;
            let name = interp.str(&name.unwrap_or(Value::None))?;
            match method {
                "get" => Ok(g.attrs.borrow().get(&name).cloned().or(default).unwrap_or(Value::None)),
                "pop" => match (g.attrs.borrow_mut().shift_remove(&name), default) {
                    (Some(v), _) => Ok(v),
                    (None, Some(d)) => Ok(d),
                    (None, None) => Err(PyErr::key_error(Value::string(name))),
                },
                _ => Ok(g.attrs.borrow_mut().entry(name).or_insert_with(|| default.unwrap_or(Value::None)).clone()),
            }
        })))
    }

    fn set_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        self.attrs.borrow_mut().insert(name.to_string(), value);
        Ok(true)
    }

    fn del_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<bool> {
        match self.attrs.borrow_mut().shift_remove(name) {
            Some(_) => Ok(true),
            None => Err(PyErr::attribute_error(name.to_string())),
        }
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        self.attrs.borrow().keys().cloned().chain(["get", "pop", "setdefault"].map(String::from)).collect()
    }

    fn contains(&self, _interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        Ok(Some(item.as_str().is_some_and(|k| self.attrs.borrow().contains_key(k))))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(crate::script::iterator_from_values(self.attrs.borrow().keys().map(|k| Value::str(k)).collect())))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("<flask.g of '{}'>", self.app_name))
    }
}

// ----- session and flashing -----

/// `session`: a dict per request (`NullSession` without a secret key, which
/// refuses to change).
struct Session {
    dict: Value,
    null: bool,
}

const SESSION_WRITES: [&str; 5] = ["setdefault", "pop", "update", "clear", "popitem"];

impl Session {
    fn check_writable(&self) -> PyResult<()> {
        if self.null {
            Err(PyErr::runtime_error(NO_SECRET_KEY))
        } else {
            Ok(())
        }
    }
}

impl NativeObject for Session {
    fn type_name(&self) -> &str {
        if self.null {
            "NullSession"
        } else {
            "SecureCookieSession"
        }
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        if self.null && SESSION_WRITES.contains(&name) {
            return Ok(Some(native_fn(name, |_, _| Err(PyErr::runtime_error(NO_SECRET_KEY)))));
        }
        match name {
            "permanent" => Ok(Some(call_method(interp, &self.dict, "get", vec![Value::str("_permanent"), Value::Bool(false)])?)),
            "modified" | "new" => Ok(Some(Value::Bool(false))),
            _ => interp.lookup_attr(&self.dict, name),
        }
    }

    fn set_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        match name {
            "permanent" => {
                self.check_writable()?;
                let flag = Value::Bool(interp.truthy(&value)?);
                interp.setitem(&self.dict, &Value::str("_permanent"), flag)?;
                Ok(true)
            }
            "modified" => Ok(true),
            _ => Ok(false),
        }
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("<{} {}>", self.type_name(), interp.repr(&self.dict)?))
    }

    crate::read_mapping_from_dict!(dict);

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        self.check_writable()?;
        interp.setitem(&self.dict, key, value)?;
        Ok(true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        self.check_writable()?;
        interp.delitem(&self.dict, key)?;
        Ok(true)
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        interp.compare(&self.dict, op, other).map(Some)
    }
}

/// `flash(message, category='message')`.
pub(crate) fn flash(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [message, category] = args.bind("flash", ["message", "category"], 1)?;
    let session = require_request_frame(interp, |f| f.session.clone())?;
    let Some(s) = session.downcast_native::<Session>() else { return Ok(Value::None) };
    s.check_writable()?;
    let key = Value::str("_flashes");
    let flashes = match dict_get(interp, &s.dict, &key)? {
        Some(list) => list,
        None => {
            let list = Value::list(Vec::new());
            interp.setitem(&s.dict, &key, list.clone())?;
            list
        }
    };
    let entry = Value::tuple(vec![category.unwrap_or(Value::str("message")), message.unwrap_or(Value::None)]);
    call_method(interp, &flashes, "append", vec![entry])?;
    Ok(Value::None)
}

/// `get_flashed_messages(with_categories=False, category_filter=())`.
pub(crate) fn get_flashed_messages(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [with_categories, category_filter] = args.bind("get_flashed_messages", ["with_categories", "category_filter"], 0)?;
    let cached = require_request_frame(interp, |f| f.flashes.clone())?;
    let flashes = match cached {
        Some(f) => f,
        None => {
            let session = require_request_frame(interp, |f| f.session.clone())?;
            let stored = match session.downcast_native::<Session>() {
                Some(s) if !s.null => {
                    let key = Value::str("_flashes");
                    let v = dict_get(interp, &s.dict, &key)?;
                    if v.is_some() {
                        interp.delitem(&s.dict, &key)?;
                    }
                    v
                }
                _ => None,
            };
            let list = stored.unwrap_or_else(|| Value::list(Vec::new()));
            require_request_frame(interp, |f| f.flashes = Some(list.clone()))?;
            list
        }
    };
    let mut entries = interp.collect(&flashes)?;
    if let Some(filter) = category_filter.filter(|f| !f.is_none()) {
        let wanted = interp.collect(&filter)?;
        let mut kept = Vec::new();
        for e in entries {
            let category = interp.getitem(&e, &Value::Int(0))?;
            let mut keep = false;
            for w in &wanted {
                if interp.eq(&category, w)? {
                    keep = true;
                }
            }
            if keep {
                kept.push(e);
            }
        }
        entries = kept;
    }
    let with_categories = with_categories.map_or(Ok(false), |v| interp.truthy(&v))?;
    if with_categories {
        return Ok(Value::list(entries));
    }
    let mut messages = Vec::with_capacity(entries.len());
    for e in entries {
        messages.push(interp.getitem(&e, &Value::Int(1))?);
    }
    Ok(Value::list(messages))
}

// ----- proxies -----

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProxyKind {
    CurrentApp,
    G,
    Request,
    Session,
}

/// `current_app`, `g`, `request`, `session`: stand-ins for the object of the
/// innermost context, raising Flask's errors when there is none.
pub(crate) struct Proxy(pub ProxyKind);

impl Proxy {
    fn target(&self, interp: &mut Interpreter) -> PyResult<Value> {
        match self.0 {
            ProxyKind::CurrentApp => require_app(interp),
            ProxyKind::G => current_g(interp),
            ProxyKind::Request => require_request_frame(interp, |f| f.request.clone()),
            ProxyKind::Session => require_request_frame(interp, |f| f.session.clone()),
        }
    }

    fn bound(&self, interp: &mut Interpreter) -> Option<Value> {
        self.target(interp).ok()
    }
}

impl NativeObject for Proxy {
    fn type_name(&self) -> &str {
        "LocalProxy"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        if name == "_get_current_object" {
            let target = self.target(interp)?;
            return Ok(Some(native_fn("_get_current_object", move |_, _| Ok(target.clone()))));
        }
        let target = self.target(interp)?;
        interp.getattr(&target, name).map(Some)
    }

    fn set_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        let target = self.target(interp)?;
        interp.setattr(&target, name, value)?;
        Ok(true)
    }

    fn del_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<bool> {
        let target = self.target(interp)?;
        interp.delattr(&target, name)?;
        Ok(true)
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        match self.bound(interp) {
            Some(t) => interp.attribute_names(&t),
            None => Vec::new(),
        }
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        match self.bound(interp) {
            Some(t) => interp.repr(&t),
            None => Ok("<LocalProxy unbound>".into()),
        }
    }

    fn str(&self, interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        match self.bound(interp) {
            Some(t) => interp.str(&t),
            None => self.repr(interp, this),
        }
    }

    fn truthy(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        match self.bound(interp) {
            Some(t) => interp.truthy(&t),
            None => Ok(false),
        }
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let target = self.target(interp)?;
        interp.compare(&target, op, other).map(Some)
    }

    fn binary_op(&self, interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        let target = self.target(interp)?;
        if reflected {
            interp.binary_op(other, op, &target).map(Some)
        } else {
            interp.binary_op(&target, op, other).map(Some)
        }
    }

    fn hash(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        let target = self.target(interp)?;
        interp.hash(&target)
    }

    fn len(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        let target = self.target(interp)?;
        interp.len(&target).map(Some)
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let target = self.target(interp)?;
        interp.iter(&target).map(Some)
    }

    fn contains(&self, interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        let target = self.target(interp)?;
        interp.contains(&target, item).map(Some)
    }

    fn get_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let target = self.target(interp)?;
        interp.getitem(&target, key).map(Some)
    }

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        let target = self.target(interp)?;
        interp.setitem(&target, key, value)?;
        Ok(true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        let target = self.target(interp)?;
        interp.delitem(&target, key)?;
        Ok(true)
    }
}

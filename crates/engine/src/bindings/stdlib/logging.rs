//! `logging`: loggers in a dotted hierarchy with levels and propagation,
//! stream / file handlers with `%`-style formatters, `basicConfig`, the module
//! functions (which configure the root logger on first use, as CPython's do)
//! and the "last resort" output of records nobody handles. Records are written
//! to the interpreter's output (CPython writes them to stderr); a `FileHandler`
//! writes there too, after a one-time note.
//!
//! For the SQLAlchemy bindings: [`logging_enabled_for`] (does
//! `logging.getLogger('sqlalchemy.engine').setLevel(logging.INFO)` ask for the
//! SQL?) and [`emit_log`] (send a record through the user's configuration).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use indexmap::IndexMap;

use crate::script::value::Class;
use crate::script::{CallArgs, ClassBuilder, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

use super::native::{cached, class_attr, class_dir, receiver, skip_receiver};

pub const NOTSET: i64 = 0;
pub const DEBUG: i64 = 10;
pub const INFO: i64 = 20;
pub const WARNING: i64 = 30;
pub const ERROR: i64 = 40;
pub const CRITICAL: i64 = 50;

const LEVEL_NAMES: [(i64, &str); 6] = [(CRITICAL, "CRITICAL"), (ERROR, "ERROR"), (WARNING, "WARNING"), (INFO, "INFO"), (DEBUG, "DEBUG"), (NOTSET, "NOTSET")];
const BASIC_FORMAT: &str = "%(levelname)s:%(name)s:%(message)s";

fn level_name(level: i64) -> String {
    LEVEL_NAMES.iter().find(|(l, _)| *l == level).map_or_else(|| format!("Level {level}"), |(_, n)| n.to_string())
}

/// A level given as a number or a level name (`setLevel('INFO')`).
fn level_arg(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(_) | Value::Bool(_) => Ok(v.as_int().unwrap_or(0)),
        Value::Str(s) => LEVEL_NAMES
            .iter()
            .chain(&[(WARNING, "WARN"), (CRITICAL, "FATAL")])
            .find(|(_, n)| *n == s.as_str())
            .map(|(l, _)| *l)
            .ok_or_else(|| PyErr::value_error(format!("Unknown level: '{}'", s.as_str()))),
        other => Err(PyErr::type_error(format!("Level not an integer or a valid string: {}", other.type_name()))),
    }
}

struct LoggerData {
    name: String,
    level: Cell<i64>,
    handlers: RefCell<Vec<Rc<Handler>>>,
    propagate: Cell<bool>,
    disabled: Cell<bool>,
}

impl LoggerData {
    fn new(name: &str, level: i64) -> Rc<LoggerData> {
        Rc::new(LoggerData { name: name.to_string(), level: Cell::new(level), handlers: RefCell::new(Vec::new()), propagate: Cell::new(true), disabled: Cell::new(false) })
    }
}

/// A `Logger` object (`is_root` for the `RootLogger`).
struct Logger {
    data: Rc<LoggerData>,
    is_root: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HandlerKind {
    Stream,
    File,
    Null,
}

struct Handler {
    kind: HandlerKind,
    level: Cell<i64>,
    formatter: RefCell<Option<Rc<Formatter>>>,
}

struct Formatter {
    fmt: String,
    datefmt: Option<String>,
}

/// The logger hierarchy of an interpreter and the classes of its objects.
struct LoggingState {
    root: Rc<LoggerData>,
    /// Named loggers (not the root) with the value `getLogger` returns for each.
    loggers: RefCell<IndexMap<String, (Rc<LoggerData>, Value)>>,
    root_value: Value,
    /// `logging.disable(level)`.
    disabled_up_to: Cell<i64>,
    file_note_shown: Cell<bool>,
    classes: Classes,
}

struct Classes {
    logger: Rc<Class>,
    root_logger: Rc<Class>,
    handler: Rc<Class>,
    stream_handler: Rc<Class>,
    file_handler: Rc<Class>,
    null_handler: Rc<Class>,
    formatter: Rc<Class>,
}

fn state(interp: &mut Interpreter) -> PyResult<Rc<LoggingState>> {
    cached(interp, |interp| {
        let root = LoggerData::new("root", WARNING);
        let classes = build_classes(interp)?;
        Ok(Rc::new(LoggingState {
            root_value: Value::Native(Rc::new(Logger { data: root.clone(), is_root: true })),
            root,
            loggers: RefCell::new(IndexMap::new()),
            disabled_up_to: Cell::new(NOTSET),
            file_note_shown: Cell::new(false),
            classes,
        }))
    })
}

impl LoggingState {
    /// `getLogger(name)`: the same object for the same name.
    fn logger(&self, name: &str) -> Value {
        if name.is_empty() || name == "root" {
            return self.root_value.clone();
        }
        if let Some((_, v)) = self.loggers.borrow().get(name) {
            return v.clone();
        }
        let data = LoggerData::new(name, NOTSET);
        let v = Value::Native(Rc::new(Logger { data: data.clone(), is_root: false }));
        self.loggers.borrow_mut().insert(name.to_string(), (data, v.clone()));
        v
    }

    /// The existing loggers above `name`, nearest first, ending with the root.
    fn ancestors(&self, name: &str) -> Vec<Rc<LoggerData>> {
        let loggers = self.loggers.borrow();
        let mut out: Vec<Rc<LoggerData>> = Vec::new();
        let mut prefix = name;
        while let Some((parent, _)) = prefix.rsplit_once('.') {
            if let Some((d, _)) = loggers.get(parent) {
                out.push(d.clone());
            }
            prefix = parent;
        }
        out.push(self.root.clone());
        out
    }

    fn parent_value(&self, name: &str) -> Value {
        let loggers = self.loggers.borrow();
        let mut prefix = name;
        while let Some((parent, _)) = prefix.rsplit_once('.') {
            if let Some((_, v)) = loggers.get(parent) {
                return v.clone();
            }
            prefix = parent;
        }
        self.root_value.clone()
    }

    fn effective_level(&self, logger: &LoggerData) -> i64 {
        if logger.level.get() != NOTSET || std::ptr::eq(logger, &*self.root) {
            return logger.level.get();
        }
        self.inherited_level(&logger.name)
    }

    /// The first level set above the logger `name`.
    fn inherited_level(&self, name: &str) -> i64 {
        self.ancestors(name).iter().map(|l| l.level.get()).find(|l| *l != NOTSET).unwrap_or(NOTSET)
    }

    fn enabled_for(&self, logger: &LoggerData, level: i64) -> bool {
        !logger.disabled.get() && level > self.disabled_up_to.get() && level >= self.effective_level(logger)
    }

    /// The logger itself, then (while propagating) its ancestors.
    fn handling_chain(&self, logger: &Rc<LoggerData>) -> Vec<Rc<LoggerData>> {
        let mut chain = vec![logger.clone()];
        if std::ptr::eq(&**logger, &*self.root) {
            return chain;
        }
        let mut current = logger.clone();
        for ancestor in self.ancestors(&logger.name) {
            if !current.propagate.get() {
                break;
            }
            chain.push(ancestor.clone());
            current = ancestor;
        }
        chain
    }
}

/// One log call, before formatting.
struct Record {
    name: String,
    level: i64,
    msg: Value,
    args: Value,
}

impl Record {
    /// `msg % args` (or `str(msg)` without arguments).
    fn message(&self, interp: &mut Interpreter) -> PyResult<String> {
        let text = interp.str(&self.msg)?;
        let has_args = match &self.args {
            Value::Tuple(t) => !t.items.is_empty(),
            _ => true,
        };
        if !has_args {
            return Ok(text);
        }
        let args = match &self.args {
            // A single mapping argument formats `%(key)s` directives.
            Value::Tuple(t) if t.items.len() == 1 && matches!(t.items[0], Value::Dict(_)) => t.items[0].clone(),
            other => other.clone(),
        };
        crate::script::format::percent_format(interp, &text, &args)
    }

    /// The record's attributes for a `%(name)s` format.
    fn attributes(&self, interp: &mut Interpreter, message: String, datefmt: Option<&str>, uses_time: bool) -> PyResult<Value> {
        let location = interp.current_location();
        let (path, line, function) = location.map_or(("<unknown>".to_string(), 0, "<module>".to_string()), |l| (l.file, l.line, l.function));
        let filename = path.rsplit('/').next().unwrap_or(&path).to_string();
        let module = filename.strip_suffix(".py").unwrap_or(&filename).to_string();
        let millis = super::host::now_millis(interp)?;
        let msecs = (millis.rem_euclid(1000.0)).floor();
        let mut pairs: Vec<(&str, Value)> = vec![
            ("name", Value::str(&self.name)),
            ("msg", self.msg.clone()),
            ("args", self.args.clone()),
            ("levelname", Value::string(level_name(self.level))),
            ("levelno", Value::Int(self.level)),
            ("pathname", Value::str(&path)),
            ("filename", Value::string(filename)),
            ("module", Value::string(module)),
            ("lineno", Value::Int(line.into())),
            ("funcName", Value::string(function)),
            ("created", Value::Float(millis / 1000.0)),
            ("msecs", Value::Float(msecs)),
            ("relativeCreated", Value::Float(0.0)),
            ("thread", Value::Int(1)),
            ("threadName", Value::str("MainThread")),
            ("process", Value::Int(1)),
            ("processName", Value::str("MainProcess")),
            ("message", Value::string(message)),
        ];
        if uses_time {
            let asctime = match datefmt {
                Some(f) => super::datetime::local_strftime(interp, f, millis)?,
                None => format!("{},{:03}", super::datetime::local_strftime(interp, "%Y-%m-%d %H:%M:%S", millis)?, msecs as i64),
            };
            pairs.push(("asctime", Value::string(asctime)));
        }
        Ok(Value::dict_from_str_pairs(pairs))
    }
}

impl Handler {
    fn emit(&self, interp: &mut Interpreter, record: &Record) -> PyResult<()> {
        if self.kind == HandlerKind::Null {
            return Ok(());
        }
        let formatter = self.formatter.borrow().clone();
        let (fmt, datefmt) = match &formatter {
            Some(f) => (f.fmt.as_str(), f.datefmt.as_deref()),
            None => ("%(message)s", None),
        };
        let line = match record.message(interp) {
            Ok(message) => {
                let attrs = record.attributes(interp, message, datefmt, fmt.contains("%(asctime)"))?;
                crate::script::format::percent_format(interp, fmt, &attrs)?
            }
            Err(e) => return report_logging_error(interp, record, e),
        };
        interp.write_output(&line);
        interp.write_output("\n");
        Ok(())
    }
}

/// CPython prints a "Logging error" report and carries on when a message
/// cannot be formatted.
fn report_logging_error(interp: &mut Interpreter, record: &Record, error: PyErr) -> PyResult<()> {
    if error.is_uncatchable() {
        return Err(error);
    }
    let err_text = format!("{error:?}");
    let msg = interp.repr(&record.msg)?;
    let args = interp.repr(&record.args)?;
    let location = interp.current_location().map(|l| format!("  File \"{}\", line {}, in {}\n", l.file, l.line, l.function)).unwrap_or_default();
    interp.write_output(&format!("--- Logging error ---\n{err_text}\nCall stack:\n{location}Message: {msg}\nArguments: {args}\n"));
    Ok(())
}

/// Send a record through the handlers of `logger` and its ancestors.
fn handle(interp: &mut Interpreter, st: &LoggingState, logger: &Rc<LoggerData>, record: &Record) -> PyResult<()> {
    let mut found = 0;
    for l in st.handling_chain(logger) {
        let handlers = l.handlers.borrow().clone();
        for h in handlers {
            found += 1;
            if record.level >= h.level.get() {
                h.emit(interp, record)?;
            }
        }
    }
    if found == 0 && record.level >= WARNING {
        // CPython's "last resort" handler: the bare message.
        let last_resort = Handler { kind: HandlerKind::Stream, level: Cell::new(WARNING), formatter: RefCell::new(None) };
        last_resort.emit(interp, record)?;
    }
    Ok(())
}

fn log(interp: &mut Interpreter, st: &LoggingState, logger: &Rc<LoggerData>, level: i64, msg: Value, args: Vec<Value>) -> PyResult<()> {
    if !st.enabled_for(logger, level) {
        return Ok(());
    }
    interp.check_side_effect("logging")?;
    let record = Record { name: logger.name.clone(), level, msg, args: Value::tuple(args) };
    handle(interp, st, logger, &record)
}

/// Whether a record of `level` sent to the logger `name` would pass its level
/// (`logging.getLogger('sqlalchemy.engine').setLevel(logging.INFO)` makes
/// `logging_enabled_for(interp, "sqlalchemy.engine.Engine", INFO)` true).
pub fn logging_enabled_for(interp: &mut Interpreter, name: &str, level: i64) -> bool {
    let Ok(st) = state(interp) else { return false };
    let existing = st.loggers.borrow().get(name).map(|(d, _)| d.clone());
    match existing {
        Some(d) => st.enabled_for(&d, level),
        // Asking must not create the logger: use the levels set above it.
        None => level > st.disabled_up_to.get() && level >= st.inherited_level(name),
    }
}

/// Log `message` (already formatted) at `level` on the logger `name`, through
/// the user's handlers, as a library's `logger.info(...)` would.
pub fn emit_log(interp: &mut Interpreter, name: &str, level: i64, message: &str) -> PyResult<()> {
    let st = state(interp)?;
    let Some(logger) = st.logger(name).downcast_native::<Logger>() else { return Ok(()) };
    log(interp, &st, &logger.data, level, Value::str(message), Vec::new())
}

/// Log `message` at `level` on the logger `name` whatever the logger's level, as
/// SQLAlchemy's `echo=True` does (its instance logger decides by the echo flag, then hands the
/// record to the logger's handlers and, through propagation, to the user's).
pub fn emit_log_unchecked(interp: &mut Interpreter, name: &str, level: i64, message: &str) -> PyResult<()> {
    let st = state(interp)?;
    let Some(logger) = st.logger(name).downcast_native::<Logger>() else { return Ok(()) };
    interp.check_side_effect("logging")?;
    let record = Record { name: logger.data.name.clone(), level, msg: Value::str(message), args: Value::tuple(Vec::new()) };
    handle(interp, &st, &logger.data, &record)
}

/// Flask's `app.logger`: the logger named `name`, at DEBUG in debug mode
/// when unset, with Flask's default handler unless one would already show
/// its records.
pub(crate) fn flask_logger(interp: &mut Interpreter, name: &str, debug: bool) -> PyResult<Value> {
    let st = state(interp)?;
    let value = st.logger(name);
    let Some(logger) = value.downcast_native::<Logger>() else { return Ok(value) };
    if debug && logger.data.level.get() == NOTSET {
        logger.data.level.set(DEBUG);
    }
    let level = st.effective_level(&logger.data);
    let handled = st.handling_chain(&logger.data).iter().any(|l| l.handlers.borrow().iter().any(|h| h.level.get() <= level));
    if !handled {
        let formatter = Formatter { fmt: "[%(asctime)s] %(levelname)s in %(module)s: %(message)s".into(), datefmt: None };
        let handler = Handler { kind: HandlerKind::Stream, level: Cell::new(NOTSET), formatter: RefCell::new(Some(Rc::new(formatter))) };
        logger.data.handlers.borrow_mut().push(Rc::new(handler));
    }
    Ok(value)
}

/// `logging.basicConfig(**kwargs)`.
fn basic_config(interp: &mut Interpreter, st: &LoggingState, mut args: CallArgs) -> PyResult<()> {
    if !args.args.is_empty() {
        return Err(PyErr::type_error(format!("basicConfig() takes 0 positional arguments but {} were given", args.args.len())));
    }
    let force = args.take_kwarg("force").map(|v| interp.truthy(&v)).transpose()?.unwrap_or(false);
    let known = ["filename", "filemode", "format", "datefmt", "style", "level", "stream", "handlers", "encoding", "errors"];
    let unknown: Vec<&str> = args.kwargs.iter().map(|(k, _)| &**k).filter(|k| !known.contains(k)).collect();
    if force {
        st.root.handlers.borrow_mut().clear();
    }
    if !st.root.handlers.borrow().is_empty() {
        return Ok(());
    }
    if !unknown.is_empty() {
        return Err(PyErr::value_error(format!("Unrecognised argument(s): {}", unknown.join(", "))));
    }
    let text = |interp: &mut Interpreter, v: Option<&Value>| -> PyResult<Option<String>> { v.filter(|v| !v.is_none()).map(|v| interp.str(v)).transpose() };
    if let Some(style) = args.kwarg("style") {
        if style.as_str() != Some("%") {
            return Err(PyErr::not_implemented("logging.basicConfig(style=...) other than '%' is not supported in the playground"));
        }
    }
    let fmt = text(interp, args.kwarg("format"))?.unwrap_or_else(|| BASIC_FORMAT.to_string());
    let datefmt = text(interp, args.kwarg("datefmt"))?;
    let filename = text(interp, args.kwarg("filename"))?;
    let kind = match &filename {
        Some(name) => {
            note_file(interp, st, name);
            HandlerKind::File
        }
        None => HandlerKind::Stream,
    };
    let handler = Handler { kind, level: Cell::new(NOTSET), formatter: RefCell::new(Some(Rc::new(Formatter { fmt, datefmt }))) };
    st.root.handlers.borrow_mut().push(Rc::new(handler));
    if let Some(level) = args.kwarg("level") {
        st.root.level.set(level_arg(level)?);
    }
    Ok(())
}

/// Say once that records meant for a file are shown in the console.
fn note_file(interp: &mut Interpreter, st: &LoggingState, filename: &str) {
    if !st.file_note_shown.replace(true) {
        interp.write_output(&format!("(The playground has no files: log records for '{filename}' are written here instead.)\n"));
    }
}

fn logger_of(args: &CallArgs, method: &str) -> PyResult<Rc<LoggerData>> {
    Ok(receiver::<Logger>(args, "Logger", method)?.data.clone())
}

/// `logger.info(msg, *args)` and friends (`level` None: `log(level, msg, *args)`).
fn log_method(interp: &mut Interpreter, mut args: CallArgs, method: &'static str, level: Option<i64>) -> PyResult<Value> {
    let logger = logger_of(&args, method)?;
    skip_receiver(&mut args);
    for (k, _) in &args.kwargs {
        if !matches!(&**k, "exc_info" | "stack_info" | "stacklevel" | "extra") {
            return Err(PyErr::type_error(format!("Logger.{method}() got an unexpected keyword argument '{k}'")));
        }
    }
    let mut positional = args.args.into_iter();
    let level = match level {
        Some(l) => l,
        None => {
            let l = positional.next().ok_or_else(|| PyErr::type_error("Logger.log() missing 2 required positional arguments: 'level' and 'msg'"))?;
            l.as_int().ok_or_else(|| PyErr::type_error("level must be an integer"))?
        }
    };
    let msg = positional.next().ok_or_else(|| PyErr::type_error(format!("Logger.{method}() missing 1 required positional argument: 'msg'")))?;
    let st = state(interp)?;
    log(interp, &st, &logger, level, msg, positional.collect())?;
    Ok(Value::None)
}

const LOG_METHODS: [(&str, Option<i64>); 9] = [
    ("debug", Some(DEBUG)),
    ("info", Some(INFO)),
    ("warning", Some(WARNING)),
    ("warn", Some(WARNING)),
    ("error", Some(ERROR)),
    ("exception", Some(ERROR)),
    ("critical", Some(CRITICAL)),
    ("fatal", Some(CRITICAL)),
    ("log", None),
];

impl NativeObject for Logger {
    fn type_name(&self) -> &str {
        if self.is_root {
            "RootLogger"
        } else {
            "Logger"
        }
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        let st = state(interp).ok()?;
        Some(if self.is_root { st.classes.root_logger.clone() } else { st.classes.logger.clone() })
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let st = state(interp)?;
        Ok(Some(match name {
            "name" => Value::str(&self.data.name),
            "level" => Value::Int(self.data.level.get()),
            "propagate" => Value::Bool(self.data.propagate.get()),
            "disabled" => Value::Bool(self.data.disabled.get()),
            "parent" if self.is_root => Value::None,
            "parent" => st.parent_value(&self.data.name),
            "handlers" => Value::list(self.data.handlers.borrow().iter().map(|h| Value::Native(h.clone())).collect()),
            _ => return Ok(self.python_class(interp).and_then(|cls| class_attr(&cls, this, name))),
        }))
    }

    fn set_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        match name {
            "propagate" => self.data.propagate.set(interp.truthy(&value)?),
            "disabled" => self.data.disabled.set(interp.truthy(&value)?),
            "level" => self.data.level.set(level_arg(&value)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        self.python_class(interp).map(|cls| class_dir(&cls, &["name", "level", "parent", "propagate", "handlers", "disabled"])).unwrap_or_default()
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let st = state(interp)?;
        Ok(format!("<{} {} ({})>", self.type_name(), self.data.name, level_name(st.effective_level(&self.data))))
    }
}

fn handler_of(args: &CallArgs, method: &str) -> PyResult<Rc<Handler>> {
    receiver::<Handler>(args, "Handler", method)
}

impl NativeObject for Handler {
    fn type_name(&self) -> &str {
        match self.kind {
            HandlerKind::Stream => "StreamHandler",
            HandlerKind::File => "FileHandler",
            HandlerKind::Null => "NullHandler",
        }
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        let st = state(interp).ok()?;
        Some(match self.kind {
            HandlerKind::Stream => st.classes.stream_handler.clone(),
            HandlerKind::File => st.classes.file_handler.clone(),
            HandlerKind::Null => st.classes.null_handler.clone(),
        })
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(Some(match name {
            "level" => Value::Int(self.level.get()),
            "formatter" => self.formatter.borrow().clone().map_or(Value::None, |f| Value::Native(f)),
            _ => return Ok(self.python_class(interp).and_then(|cls| class_attr(&cls, this, name))),
        }))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let target = match self.kind {
            HandlerKind::Stream => " <stderr>",
            HandlerKind::File => " <console>",
            HandlerKind::Null => "",
        };
        Ok(format!("<{}{target} ({})>", self.type_name(), level_name(self.level.get())))
    }
}

impl NativeObject for Formatter {
    fn type_name(&self) -> &str {
        "Formatter"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        Some(state(interp).ok()?.classes.formatter.clone())
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "datefmt" => Some(self.datefmt.as_deref().map_or(Value::None, Value::str)),
            "_fmt" => Some(Value::str(&self.fmt)),
            _ => None,
        })
    }
}

fn new_handler(kind: HandlerKind) -> Value {
    Value::Native(Rc::new(Handler { kind, level: Cell::new(NOTSET), formatter: RefCell::new(None) }))
}

fn build_classes(interp: &mut Interpreter) -> PyResult<Classes> {
    let mut logger = ClassBuilder::new("Logger", "logging")
        .method("setLevel", |_, args| {
            let logger = logger_of(&args, "setLevel")?;
            let level = args.get(1).ok_or_else(|| PyErr::type_error("Logger.setLevel() missing 1 required positional argument: 'level'"))?;
            logger.level.set(level_arg(level)?);
            Ok(Value::None)
        })
        .method("getEffectiveLevel", |interp, args| {
            let logger = logger_of(&args, "getEffectiveLevel")?;
            Ok(Value::Int(state(interp)?.effective_level(&logger)))
        })
        .method("isEnabledFor", |interp, args| {
            let logger = logger_of(&args, "isEnabledFor")?;
            let level = args.get(1).and_then(Value::as_int).ok_or_else(|| PyErr::type_error("Logger.isEnabledFor() missing 1 required positional argument: 'level'"))?;
            Ok(Value::Bool(state(interp)?.enabled_for(&logger, level)))
        })
        .method("addHandler", |_, args| {
            let logger = logger_of(&args, "addHandler")?;
            let h = args.get(1).and_then(|h| h.downcast_native::<Handler>()).ok_or_else(|| PyErr::type_error("addHandler() expects a logging handler"))?;
            if !logger.handlers.borrow().iter().any(|x| Rc::ptr_eq(x, &h)) {
                logger.handlers.borrow_mut().push(h);
            }
            Ok(Value::None)
        })
        .method("removeHandler", |_, args| {
            let logger = logger_of(&args, "removeHandler")?;
            if let Some(h) = args.get(1).and_then(|h| h.downcast_native::<Handler>()) {
                logger.handlers.borrow_mut().retain(|x| !Rc::ptr_eq(x, &h));
            }
            Ok(Value::None)
        })
        .method("hasHandlers", |interp, args| {
            let logger = logger_of(&args, "hasHandlers")?;
            let st = state(interp)?;
            Ok(Value::Bool(st.handling_chain(&logger).iter().any(|l| !l.handlers.borrow().is_empty())))
        })
        .method("getChild", |interp, args| {
            let logger = logger_of(&args, "getChild")?;
            let suffix = args.get(1).and_then(Value::as_str).ok_or_else(|| PyErr::type_error("getChild() expects a str"))?;
            let st = state(interp)?;
            let name = if std::ptr::eq(&*logger, &*st.root) { suffix.to_string() } else { format!("{}.{suffix}", logger.name) };
            Ok(st.logger(&name))
        });
    for (name, level) in LOG_METHODS {
        logger = logger.method(name, move |interp, args| log_method(interp, args, name, level));
    }
    let logger = logger.build(interp)?;
    let root_logger = ClassBuilder::new("RootLogger", "logging").base(&logger).build(interp)?;
    let handler = ClassBuilder::new("Handler", "logging")
        .method("setLevel", |_, args| {
            let h = handler_of(&args, "setLevel")?;
            h.level.set(level_arg(args.get(1).unwrap_or(&Value::None))?);
            Ok(Value::None)
        })
        .method("setFormatter", |_, args| {
            let h = handler_of(&args, "setFormatter")?;
            *h.formatter.borrow_mut() = args.get(1).and_then(|f| f.downcast_native::<Formatter>());
            Ok(Value::None)
        })
        .method("close", |_, _| Ok(Value::None))
        .method("flush", |_, _| Ok(Value::None))
        .build(interp)?;
    let stream_handler = ClassBuilder::new("StreamHandler", "logging")
        .base(&handler)
        .static_method("__new__", |_, mut args| {
            skip_receiver(&mut args);
            args.bind("StreamHandler", ["stream"], 0)?;
            Ok(new_handler(HandlerKind::Stream))
        })
        .build(interp)?;
    let file_handler = ClassBuilder::new("FileHandler", "logging")
        .base(&stream_handler)
        .static_method("__new__", |interp, mut args| {
            skip_receiver(&mut args);
            let [filename, _mode, _encoding, _delay, _errors] = args.bind("FileHandler", ["filename", "mode", "encoding", "delay", "errors"], 1)?;
            let filename = interp.str(&filename.unwrap_or(Value::None))?;
            let st = state(interp)?;
            note_file(interp, &st, &filename);
            Ok(new_handler(HandlerKind::File))
        })
        .build(interp)?;
    let null_handler = ClassBuilder::new("NullHandler", "logging")
        .base(&handler)
        .static_method("__new__", |_, mut args| {
            skip_receiver(&mut args);
            args.exactly("NullHandler", 0)?;
            Ok(new_handler(HandlerKind::Null))
        })
        .build(interp)?;
    let formatter = ClassBuilder::new("Formatter", "logging")
        .static_method("__new__", |interp, mut args| {
            skip_receiver(&mut args);
            let [fmt, datefmt, style, _validate, _defaults] = args.bind("Formatter", ["fmt", "datefmt", "style", "validate", "defaults"], 0)?;
            if style.as_ref().is_some_and(|s| s.as_str() != Some("%")) {
                return Err(PyErr::not_implemented("logging.Formatter(style=...) other than '%' is not supported in the playground"));
            }
            let text = |interp: &mut Interpreter, v: Option<Value>| -> PyResult<Option<String>> { v.filter(|v| !v.is_none()).map(|v| interp.str(&v)).transpose() };
            let fmt = text(interp, fmt)?.unwrap_or_else(|| "%(message)s".to_string());
            let datefmt = text(interp, datefmt)?;
            Ok(Value::Native(Rc::new(Formatter { fmt, datefmt })))
        })
        .build(interp)?;
    Ok(Classes { logger, root_logger, handler, stream_handler, file_handler, null_handler, formatter })
}

/// `logging.info(...)` and friends: log on the root logger, configuring it first.
fn module_log(interp: &mut Interpreter, args: CallArgs, method: &'static str, level: Option<i64>) -> PyResult<Value> {
    let st = state(interp)?;
    if st.root.handlers.borrow().is_empty() {
        basic_config(interp, &st, CallArgs::default())?;
    }
    let mut all = vec![st.root_value.clone()];
    all.extend(args.args);
    log_method(interp, CallArgs { args: all, kwargs: args.kwargs }, method, level)
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("logging", |interp| {
        let st = state(interp)?;
        let c = &st.classes;
        let mut m = ModuleBuilder::new("logging")
            .class(&c.logger)
            .class(&c.root_logger)
            .class(&c.handler)
            .class(&c.stream_handler)
            .class(&c.file_handler)
            .class(&c.null_handler)
            .class(&c.formatter)
            .value("root", st.root_value.clone())
            .value("BASIC_FORMAT", BASIC_FORMAT)
            .value("WARN", WARNING)
            .value("FATAL", CRITICAL);
        for (level, name) in LEVEL_NAMES {
            m = m.value(name, level);
        }
        for (name, level) in LOG_METHODS {
            m = m.function(name, move |interp, args| module_log(interp, args, name, level));
        }
        Ok(m.function("getLogger", |interp, args| {
            let [name] = args.bind("getLogger", ["name"], 0)?;
            let name = match name {
                None | Some(Value::None) => String::new(),
                Some(Value::Str(s)) => s.as_str().to_string(),
                Some(other) => return Err(PyErr::type_error(format!("A logger name must be a string, not {}", other.type_name()))),
            };
            Ok(state(interp)?.logger(&name))
        })
        .function("basicConfig", |interp, args| {
            let st = state(interp)?;
            basic_config(interp, &st, args)?;
            Ok(Value::None)
        })
        .function("getLevelName", |_, args| {
            let [level] = args.bind("getLevelName", ["level"], 1)?;
            Ok(match level.unwrap_or(Value::None) {
                Value::Str(s) => level_arg(&Value::Str(s.clone())).map(Value::Int).unwrap_or_else(|_| Value::string(format!("Level {}", s.as_str()))),
                other => Value::string(level_name(other.as_int().unwrap_or(0))),
            })
        })
        .function("disable", |interp, args| {
            let [level] = args.bind("disable", ["level"], 0)?;
            let level = level.as_ref().map_or(Ok(CRITICAL), level_arg)?;
            state(interp)?.disabled_up_to.set(level);
            Ok(Value::None)
        })
        .build())
    });
}

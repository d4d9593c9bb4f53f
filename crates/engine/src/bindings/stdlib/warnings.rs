//! `warnings`: `warn`, the filters (`simplefilter`, `filterwarnings`,
//! `resetwarnings`, CPython's defaults), `catch_warnings(record=True)` and
//! `formatwarning`, as CPython 3.11 behaves. A warning is attributed to a Python
//! frame (its file, line and module), filtered, and shown on the script's output
//! as `file:line: Category: message` followed by the stripped source line.
//!
//! Host API: [`warn`] (a warning from Rust code, attributed to the innermost
//! Python frame, as SQLAlchemy's warnings point at the user's line).

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use regex::Regex;

use crate::script::value::Class;
use crate::script::{CallArgs, ExcKind, Interpreter, Location, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

/// What a matching filter does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Error,
    Ignore,
    Always,
    Default,
    Module,
    Once,
}

impl Action {
    fn parse(text: &str) -> PyResult<Action> {
        Ok(match text {
            "error" => Action::Error,
            "ignore" => Action::Ignore,
            "always" => Action::Always,
            "default" => Action::Default,
            "module" => Action::Module,
            "once" => Action::Once,
            other => return Err(PyErr::new(ExcKind::AssertionError, format!("invalid action: '{other}'"))),
        })
    }
}

/// Which modules a filter applies to.
#[derive(Clone)]
enum ModuleMatch {
    Any,
    /// CPython's built-in default filter names `__main__` exactly.
    Exact(&'static str),
    /// `filterwarnings(module=...)`: a regular expression matched at the start.
    Pattern(Regex),
}

#[derive(Clone)]
struct Filter {
    action: Action,
    /// Matched case-insensitively at the start of the message.
    message: Option<Regex>,
    category: Rc<Class>,
    module: ModuleMatch,
    lineno: u32,
}

impl Filter {
    fn matches(&self, text: &str, category: &Class, module: &str, lineno: u32) -> bool {
        self.message.as_ref().is_none_or(|m| m.is_match(text))
            && category.is_subclass_of(&self.category)
            && match &self.module {
                ModuleMatch::Any => true,
                ModuleMatch::Exact(name) => module == *name,
                ModuleMatch::Pattern(p) => p.is_match(module),
            }
            && (self.lineno == 0 || self.lineno == lineno)
    }

    /// Same filter (what `_add_filter` replaces instead of duplicating).
    fn same_as(&self, other: &Filter) -> bool {
        let pattern = |r: &Option<Regex>| r.as_ref().map(|r| r.as_str().to_string());
        let module = |m: &ModuleMatch| match m {
            ModuleMatch::Any => None,
            ModuleMatch::Exact(n) => Some(n.to_string()),
            ModuleMatch::Pattern(p) => Some(p.as_str().to_string()),
        };
        self.action == other.action
            && pattern(&self.message) == pattern(&other.message)
            && Rc::ptr_eq(&self.category, &other.category)
            && module(&self.module) == module(&other.module)
            && self.lineno == other.lineno
    }
}

/// The interpreter's warning state.
struct State {
    filters: Vec<Filter>,
    /// Locations already warned about (module, text, category, line); forgotten when the
    /// filters change, as CPython's per-module `__warningregistry__` is.
    registry: HashSet<(String, String, usize, u32)>,
    /// `once`: (text, category) pairs shown once for the whole run.
    once: HashSet<(String, usize)>,
    /// Open `catch_warnings()` blocks: the saved filters and, with `record=True`, the list
    /// warnings go to instead of the output.
    saved: Vec<(Vec<Filter>, Option<Value>)>,
}

type Shared = Rc<RefCell<State>>;

fn state(interp: &mut Interpreter) -> Shared {
    if let Some(existing) = interp.extension::<Shared>() {
        return existing.clone();
    }
    let category = |k| interp.exception_class(k);
    let ignore = |c: Rc<Class>| Filter { action: Action::Ignore, message: None, category: c, module: ModuleMatch::Any, lineno: 0 };
    let filters = vec![
        Filter { action: Action::Default, message: None, category: category(ExcKind::DeprecationWarning), module: ModuleMatch::Exact("__main__"), lineno: 0 },
        ignore(category(ExcKind::DeprecationWarning)),
        ignore(category(ExcKind::PendingDeprecationWarning)),
        ignore(category(ExcKind::ImportWarning)),
        ignore(category(ExcKind::ResourceWarning)),
    ];
    let shared: Shared = Rc::new(RefCell::new(State { filters, registry: HashSet::new(), once: HashSet::new(), saved: Vec::new() }));
    interp.insert_extension(shared.clone());
    shared
}

/// Where a warning is attributed: file, line, module.
struct Origin {
    file: String,
    line: u32,
    module: String,
}

/// The name warnings give the `__main__` module's frames when the host runs it as an imported
/// module (see [`imported_main`]).
struct ImportedMain(Option<String>);

/// Attributes warnings from `__main__`'s frames to the module `name` (`None`: to `__main__`).
/// `flask shell` imports the script as a module (`app`), so the DeprecationWarnings that the
/// default filters show only in `__main__` are hidden there, where `python app.py` shows them.
pub fn imported_main(interp: &mut Interpreter, name: Option<&str>) {
    interp.insert_extension(ImportedMain(name.map(str::to_owned)));
}

/// The frame `stacklevel` frames out from the innermost Python frame (1 = innermost);
/// past the outermost, CPython names `sys`.
fn origin(interp: &Interpreter, stacklevel: i64) -> Origin {
    let stack: Vec<Location> = interp.call_stack();
    let depth = usize::try_from(stacklevel.max(1)).unwrap_or(1);
    match stack.len().checked_sub(depth).and_then(|i| stack.get(i)) {
        Some(frame) => {
            let module = match interp.extension::<ImportedMain>() {
                Some(ImportedMain(Some(name))) if frame.module == "__main__" => name.clone(),
                _ => frame.module.clone(),
            };
            Origin { file: frame.file.clone(), line: frame.line, module }
        }
        None => Origin { file: "sys".into(), line: 1, module: "sys".into() },
    }
}

/// `formatwarning()`: `file:line: Category: message` and the source line, stripped.
fn format_warning(text: &str, category: &str, file: &str, line: u32, source: Option<&str>) -> String {
    let mut out = format!("{file}:{line}: {category}: {text}\n");
    if let Some(source) = source.map(str::trim).filter(|s| !s.is_empty()) {
        out.push_str(&format!("  {source}\n"));
    }
    out
}

/// The source line of a location, when the file is one the interpreter ran (CPython's
/// linecache has nothing for `<console>`).
fn source_line(interp: &Interpreter, file: &str, line: u32) -> Option<String> {
    if file.starts_with('<') {
        return None;
    }
    interp.source_line(file, line)
}

/// Filter a warning and show, record or raise it (CPython's `warn_explicit`).
fn warn_explicit(interp: &mut Interpreter, message: Value, category: &Rc<Class>, at: Origin) -> PyResult<()> {
    let text = interp.str(&message)?;
    let shared = state(interp);
    let category_key = Rc::as_ptr(category) as usize;
    let key = (at.module.clone(), text.clone(), category_key, at.line);
    let sink = {
        let mut st = shared.borrow_mut();
        if st.registry.contains(&key) {
            return Ok(());
        }
        let action = st.filters.iter().find(|f| f.matches(&text, category, &at.module, at.line)).map_or(Action::Default, |f| f.action);
        match action {
            Action::Ignore => return Ok(()),
            Action::Error => {
                drop(st);
                let exc = match message {
                    Value::Instance(inst) => inst,
                    other => interp.new_exception(category, vec![other]),
                };
                return Err(PyErr::from_instance(exc));
            }
            Action::Once => {
                st.registry.insert(key);
                if !st.once.insert((text.clone(), category_key)) {
                    return Ok(());
                }
            }
            Action::Module => {
                st.registry.insert(key);
                if !st.registry.insert((at.module.clone(), text.clone(), category_key, 0)) {
                    return Ok(());
                }
            }
            Action::Default => {
                st.registry.insert(key);
            }
            Action::Always => {}
        }
        st.saved.iter().rev().find_map(|(_, log)| log.clone())
    };
    match sink {
        Some(log) => {
            let record = WarningMessage { message, category: category.clone(), file: at.file, line: at.line };
            interp.call_method(&log, "append", CallArgs::new(vec![Value::Native(Rc::new(record))]))?;
        }
        None => {
            let source = source_line(interp, &at.file, at.line);
            let shown = format_warning(&text, &category.name, &at.file, at.line, source.as_deref());
            interp.write_output(&shown);
        }
    }
    Ok(())
}

/// A warning from host code, attributed to the innermost Python frame (the user's line
/// that called into the host). `category` is a `Warning` subclass.
pub fn warn(interp: &mut Interpreter, category: &Rc<Class>, message: &str) -> PyResult<()> {
    let at = origin(interp, 1);
    warn_explicit(interp, Value::str(message), category, at)
}

/// `warnings.simplefilter(action)` from the host (what `python -W action` does).
pub fn simple_filter(interp: &mut Interpreter, action: &str) -> PyResult<()> {
    let action = Action::parse(action)?;
    let category = interp.exception_class(ExcKind::Warning);
    add_filter(interp, Filter { action, message: None, category, module: ModuleMatch::Any, lineno: 0 }, false);
    Ok(())
}

/// `warnings.warn(message, category=None, stacklevel=1, source=None)`.
fn py_warn(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [message, category, stacklevel, _source] = args.bind("warn", ["message", "category", "stacklevel", "source"], 1)?;
    let message = message.unwrap_or(Value::None);
    let warning = interp.exception_class(ExcKind::Warning);
    // A Warning instance carries its own category.
    let category = match (&message, category) {
        (Value::Instance(inst), _) if inst.class.is_subclass_of(&warning) => inst.class.clone(),
        (_, None | Some(Value::None)) => interp.exception_class(ExcKind::UserWarning),
        (_, Some(Value::Class(c))) if c.is_subclass_of(&warning) => c,
        (_, Some(other)) => {
            return Err(PyErr::type_error(format!("category must be a Warning subclass, not '{}'", interp.class_of(&other).name)));
        }
    };
    let stacklevel = match stacklevel {
        None => 1,
        Some(v) => v.as_int().ok_or_else(|| PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name())))?,
    };
    let at = origin(interp, stacklevel);
    warn_explicit(interp, message, &category, at)?;
    Ok(Value::None)
}

/// The `Warning` subclass a `category=` argument names.
fn category_arg(interp: &mut Interpreter, value: Option<Value>) -> PyResult<Rc<Class>> {
    let warning = interp.exception_class(ExcKind::Warning);
    match value {
        None => Ok(warning),
        Some(Value::Class(c)) if c.is_subclass_of(&warning) => Ok(c),
        Some(_) => Err(PyErr::new(ExcKind::AssertionError, "category must be a class")),
    }
}

fn lineno_arg(value: Option<Value>) -> PyResult<u32> {
    match value.map(|v| v.as_int()) {
        None => Ok(0),
        Some(Some(n)) if n >= 0 => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Some(_) => Err(PyErr::new(ExcKind::AssertionError, "lineno must be an int >= 0")),
    }
}

fn regex_arg(pattern: &str, case_insensitive: bool) -> PyResult<Option<Regex>> {
    if pattern.is_empty() {
        return Ok(None);
    }
    let flags = if case_insensitive { "(?i)" } else { "" };
    Regex::new(&format!("{flags}^(?:{pattern})")).map(Some).map_err(|e| PyErr::value_error(format!("bad pattern {pattern:?}: {e}")))
}

/// Add a filter at the front (or the end with `append`), replacing an identical one.
fn add_filter(interp: &mut Interpreter, filter: Filter, append: bool) {
    let shared = state(interp);
    let mut st = shared.borrow_mut();
    if append {
        if !st.filters.iter().any(|f| f.same_as(&filter)) {
            st.filters.push(filter);
        }
    } else {
        st.filters.retain(|f| !f.same_as(&filter));
        st.filters.insert(0, filter);
    }
    st.registry.clear();
}

fn simplefilter(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [action, category, lineno, append] = args.bind("simplefilter", ["action", "category", "lineno", "append"], 1)?;
    let action = Action::parse(action.as_ref().and_then(Value::as_str).unwrap_or_default())?;
    let category = category_arg(interp, category)?;
    let lineno = lineno_arg(lineno)?;
    let append = append.map(|v| interp.truthy(&v)).transpose()?.unwrap_or(false);
    add_filter(interp, Filter { action, message: None, category, module: ModuleMatch::Any, lineno }, append);
    Ok(Value::None)
}

fn filterwarnings(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [action, message, category, module, lineno, append] = args.bind("filterwarnings", ["action", "message", "category", "module", "lineno", "append"], 1)?;
    let action = Action::parse(action.as_ref().and_then(Value::as_str).unwrap_or_default())?;
    let text = |v: Option<Value>, what: &str| match v {
        None => Ok(String::new()),
        Some(Value::Str(s)) => Ok(s.as_str().to_string()),
        Some(_) => Err(PyErr::new(ExcKind::AssertionError, format!("{what} must be a string"))),
    };
    let message = regex_arg(&text(message, "message")?, true)?;
    let module = match regex_arg(&text(module, "module")?, false)? {
        Some(pattern) => ModuleMatch::Pattern(pattern),
        None => ModuleMatch::Any,
    };
    let category = category_arg(interp, category)?;
    let lineno = lineno_arg(lineno)?;
    let append = append.map(|v| interp.truthy(&v)).transpose()?.unwrap_or(false);
    add_filter(interp, Filter { action, message, category, module, lineno }, append);
    Ok(Value::None)
}

fn resetwarnings(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("resetwarnings", 0)?;
    let shared = state(interp);
    let mut st = shared.borrow_mut();
    st.filters.clear();
    st.registry.clear();
    Ok(Value::None)
}

fn formatwarning(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [message, category, filename, lineno, line] = args.bind("formatwarning", ["message", "category", "filename", "lineno", "line"], 4)?;
    let text = interp.str(&message.unwrap_or(Value::None))?;
    let category = match category {
        Some(Value::Class(c)) => c.name.to_string(),
        Some(other) => interp.str(&other)?,
        None => String::new(),
    };
    let file = interp.str(&filename.unwrap_or(Value::None))?;
    let lineno = lineno.and_then(|v| v.as_int()).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let source = match line {
        Some(Value::Str(s)) => Some(s.as_str().to_string()),
        _ => source_line(interp, &file, lineno),
    };
    Ok(Value::str(&format_warning(&text, &category, &file, lineno, source.as_deref())))
}

/// `catch_warnings(*, record=False, action=None, category=Warning, lineno=0, append=False)`.
struct CatchWarnings {
    record: bool,
    /// A filter the block applies on entry (3.11's `action=` argument).
    filter: Option<(Filter, bool)>,
}

impl NativeObject for CatchWarnings {
    fn type_name(&self) -> &str {
        "catch_warnings"
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(if self.record { "catch_warnings(record=True)".into() } else { "catch_warnings()".into() })
    }

    fn enter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let shared = state(interp);
        let log = self.record.then(|| Value::list(Vec::new()));
        {
            let mut st = shared.borrow_mut();
            let saved = st.filters.clone();
            st.saved.push((saved, log.clone()));
            st.registry.clear();
        }
        if let Some((filter, append)) = &self.filter {
            add_filter(interp, filter.clone(), *append);
        }
        Ok(Some(log.unwrap_or(Value::None)))
    }

    fn exit(&self, interp: &mut Interpreter, _this: &Value, _exception: Option<&Value>) -> PyResult<bool> {
        let shared = state(interp);
        let mut st = shared.borrow_mut();
        if let Some((filters, _)) = st.saved.pop() {
            st.filters = filters;
        }
        st.registry.clear();
        Ok(false)
    }
}

fn catch_warnings(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    if !args.args.is_empty() {
        return Err(PyErr::type_error(format!("catch_warnings.__init__() takes 1 positional argument but {} were given", args.args.len() + 1)));
    }
    let [record, action, category, lineno, append] = CallArgs::with_kwargs(Vec::new(), args.kwargs).bind("catch_warnings", ["record", "action", "category", "lineno", "append"], 0)?;
    let record = record.map(|v| interp.truthy(&v)).transpose()?.unwrap_or(false);
    let filter = match action {
        None | Some(Value::None) => None,
        Some(action) => {
            let action = Action::parse(action.as_str().unwrap_or_default())?;
            let category = category_arg(interp, category)?;
            let lineno = lineno_arg(lineno)?;
            let append = append.map(|v| interp.truthy(&v)).transpose()?.unwrap_or(false);
            Some((Filter { action, message: None, category, module: ModuleMatch::Any, lineno }, append))
        }
    };
    Ok(Value::Native(Rc::new(CatchWarnings { record, filter })))
}

/// What `catch_warnings(record=True)` collects.
struct WarningMessage {
    message: Value,
    category: Rc<Class>,
    file: String,
    line: u32,
}

impl NativeObject for WarningMessage {
    fn type_name(&self) -> &str {
        "WarningMessage"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(Some(match name {
            // `message` is the Warning instance, as CPython stores it.
            "message" => match &self.message {
                Value::Instance(_) => self.message.clone(),
                other => Value::Instance(interp.new_exception(&self.category, vec![other.clone()])),
            },
            "category" => Value::Class(self.category.clone()),
            "filename" => Value::str(&self.file),
            "lineno" => Value::Int(i64::from(self.line)),
            "line" | "file" | "source" => Value::None,
            _ => return Ok(None),
        }))
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        ["category", "file", "filename", "line", "lineno", "message", "source"].iter().map(|s| s.to_string()).collect()
    }

    fn str(&self, interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let message = self.get_attr(interp, this, "message")?.unwrap_or(Value::None);
        let message = interp.repr(&message)?;
        let category = interp.repr(&Value::str(&self.category.name))?;
        let file = interp.repr(&Value::str(&self.file))?;
        Ok(format!("{{message : {message}, category : {category}, filename : {file}, lineno : {}, line : None}}", self.line))
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        Ok(format!("<warnings.WarningMessage object at {:#x}>", this.identity()))
    }
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("warnings", |interp| {
        // The categories are builtins (the module does not name them).
        let _ = interp;
        Ok(ModuleBuilder::new("warnings")
            .function("warn", py_warn)
            .function("simplefilter", simplefilter)
            .function("filterwarnings", filterwarnings)
            .function("resetwarnings", resetwarnings)
            .function("formatwarning", formatwarning)
            .function("catch_warnings", catch_warnings)
            .build())
    });
}

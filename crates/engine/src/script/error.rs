//! Runtime errors: Python exceptions in flight ([`PyErr`]), the builtin
//! exception hierarchy ([`ExcKind`]), traceback entries, and the structured
//! report a host receives when a run fails ([`ScriptError`]).

use std::fmt;
use std::rc::Rc;

use super::ast::Span;
use super::syntax_error::SyntaxErrorInfo;
use super::value::{Class, Instance, Value};

pub type PyResult<T> = Result<T, PyErr>;

macro_rules! exception_kinds {
    ($( $name:ident : $parent:expr ),* $(,)?) => {
        /// The builtin exception classes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ExcKind { $( $name ),* }

        impl ExcKind {
            pub const ALL: &'static [ExcKind] = &[ $( ExcKind::$name ),* ];

            pub fn name(self) -> &'static str {
                match self { $( ExcKind::$name => stringify!($name) ),* }
            }

            /// The direct base class (`None` for `BaseException`).
            pub fn parent(self) -> Option<ExcKind> {
                match self { $( ExcKind::$name => $parent ),* }
            }
        }
    };
}

use ExcKind as K;

exception_kinds! {
    BaseException: None,
    SystemExit: Some(K::BaseException),
    KeyboardInterrupt: Some(K::BaseException),
    GeneratorExit: Some(K::BaseException),
    Exception: Some(K::BaseException),
    StopIteration: Some(K::Exception),
    StopAsyncIteration: Some(K::Exception),
    ArithmeticError: Some(K::Exception),
    FloatingPointError: Some(K::ArithmeticError),
    OverflowError: Some(K::ArithmeticError),
    ZeroDivisionError: Some(K::ArithmeticError),
    AssertionError: Some(K::Exception),
    AttributeError: Some(K::Exception),
    BufferError: Some(K::Exception),
    EOFError: Some(K::Exception),
    ImportError: Some(K::Exception),
    ModuleNotFoundError: Some(K::ImportError),
    LookupError: Some(K::Exception),
    IndexError: Some(K::LookupError),
    KeyError: Some(K::LookupError),
    MemoryError: Some(K::Exception),
    NameError: Some(K::Exception),
    UnboundLocalError: Some(K::NameError),
    OSError: Some(K::Exception),
    ConnectionError: Some(K::OSError),
    FileExistsError: Some(K::OSError),
    FileNotFoundError: Some(K::OSError),
    PermissionError: Some(K::OSError),
    TimeoutError: Some(K::OSError),
    ReferenceError: Some(K::Exception),
    RuntimeError: Some(K::Exception),
    NotImplementedError: Some(K::RuntimeError),
    RecursionError: Some(K::RuntimeError),
    SyntaxError: Some(K::Exception),
    IndentationError: Some(K::SyntaxError),
    TabError: Some(K::IndentationError),
    SystemError: Some(K::Exception),
    TypeError: Some(K::Exception),
    ValueError: Some(K::Exception),
    UnicodeError: Some(K::ValueError),
    UnicodeDecodeError: Some(K::UnicodeError),
    UnicodeEncodeError: Some(K::UnicodeError),
    Warning: Some(K::Exception),
    BytesWarning: Some(K::Warning),
    DeprecationWarning: Some(K::Warning),
    EncodingWarning: Some(K::Warning),
    FutureWarning: Some(K::Warning),
    ImportWarning: Some(K::Warning),
    PendingDeprecationWarning: Some(K::Warning),
    ResourceWarning: Some(K::Warning),
    RuntimeWarning: Some(K::Warning),
    SyntaxWarning: Some(K::Warning),
    UnicodeWarning: Some(K::Warning),
    UserWarning: Some(K::Warning),
}

/// How the interpreter should point at the failing expression of a frame when
/// it shows the source line (CPython 3.11's `^^^` and `~~^~~` markers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CaretHint {
    /// `^` under the whole range.
    #[default]
    Plain,
    /// `~` under the operands, `^` under the operator, which follows column `left_end`.
    BinOp { left_end: u32 },
    /// `~` under the value, `^` under `[index]`, which follows column `value_end`.
    Subscript { value_end: u32 },
}

/// One frame of a traceback.
#[derive(Clone, Debug, PartialEq)]
pub struct TbEntry {
    pub file: Rc<str>,
    pub line: u32,
    pub function: Rc<str>,
    /// The expression that was running in this frame, when known.
    pub span: Option<Span>,
    pub caret: CaretHint,
}

/// The class of an exception that has not been turned into an object yet.
#[derive(Clone)]
pub enum ExcClass {
    Builtin(ExcKind),
    Class(Rc<Class>),
}

#[derive(Clone)]
pub(crate) enum Payload {
    /// A builtin or host exception class with its arguments, not yet an object.
    Lazy { class: ExcClass, args: Vec<Value> },
    /// A Python exception object.
    Object(Rc<Instance>),
    /// The run exceeded its instruction budget (cannot be caught).
    Limit(String),
    /// A preview refused to do something with side effects (cannot be caught).
    Refused(String),
}

/// A Python exception in flight (or an uncatchable stop such as the
/// instruction budget). Cheap to move: one pointer.
#[derive(Clone)]
pub struct PyErr(pub(crate) Box<ErrState>);

#[derive(Clone)]
pub(crate) struct ErrState {
    pub payload: Payload,
    /// Frames passed through so far, innermost first.
    pub traceback: Vec<TbEntry>,
    /// Depth of the innermost frame whose entry is in `traceback` (0: none).
    pub recorded_depth: usize,
    /// The innermost expression of the current (unrecorded) frame that failed.
    pub span: Option<(Span, CaretHint)>,
    /// Whether `__context__` has been decided.
    pub context_set: bool,
    /// A close existing name, for "Did you mean: ...?" in script tracebacks.
    pub suggestion: Option<Rc<str>>,
}

impl PyErr {
    fn from_payload(payload: Payload) -> PyErr {
        PyErr(Box::new(ErrState { payload, traceback: Vec::new(), recorded_depth: 0, span: None, context_set: false, suggestion: None }))
    }

    /// A builtin exception with a message (`PyErr::new(ExcKind::ValueError, "bad")`).
    pub fn new(kind: ExcKind, msg: impl Into<String>) -> PyErr {
        PyErr::from_payload(Payload::Lazy { class: ExcClass::Builtin(kind), args: vec![Value::string(msg.into())] })
    }

    /// A builtin exception with arbitrary arguments (`KeyError(key)`).
    pub fn with_args(kind: ExcKind, args: Vec<Value>) -> PyErr {
        PyErr::from_payload(Payload::Lazy { class: ExcClass::Builtin(kind), args })
    }

    /// An exception of a host- or user-defined exception class with a message.
    pub fn from_class(class: &Rc<Class>, msg: impl Into<String>) -> PyErr {
        PyErr::from_payload(Payload::Lazy { class: ExcClass::Class(class.clone()), args: vec![Value::string(msg.into())] })
    }

    /// An exception of a class with arbitrary arguments.
    pub fn from_class_args(class: &Rc<Class>, args: Vec<Value>) -> PyErr {
        PyErr::from_payload(Payload::Lazy { class: ExcClass::Class(class.clone()), args })
    }

    /// Raise an existing exception object (e.g. one with extra attributes set).
    pub fn from_instance(exc: Rc<Instance>) -> PyErr {
        PyErr::from_payload(Payload::Object(exc))
    }

    pub(crate) fn limit(msg: String) -> PyErr {
        PyErr::from_payload(Payload::Limit(msg))
    }

    /// A preview refusal: the evaluation would have side effects.
    pub fn refused(reason: impl Into<String>) -> PyErr {
        PyErr::from_payload(Payload::Refused(reason.into()))
    }

    pub fn type_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::TypeError, msg)
    }

    pub fn value_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::ValueError, msg)
    }

    pub fn attribute_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::AttributeError, msg)
    }

    pub fn index_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::IndexError, msg)
    }

    pub fn key_error(key: Value) -> PyErr {
        PyErr::with_args(ExcKind::KeyError, vec![key])
    }

    pub fn runtime_error(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::RuntimeError, msg)
    }

    pub fn overflow(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::OverflowError, msg)
    }

    pub fn zero_division(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::ZeroDivisionError, msg)
    }

    pub fn not_implemented(msg: impl Into<String>) -> PyErr {
        PyErr::new(ExcKind::NotImplementedError, msg)
    }

    pub fn memory_error() -> PyErr {
        PyErr::with_args(ExcKind::MemoryError, Vec::new())
    }

    /// The integer overflow error of the playground's 64-bit integers.
    pub fn int_overflow() -> PyErr {
        PyErr::overflow("integer result does not fit in 64 bits (the playground's integers are 64-bit)")
    }

    /// True for the budget stop and preview refusals, which `except` cannot catch.
    pub fn is_uncatchable(&self) -> bool {
        matches!(self.0.payload, Payload::Limit(_) | Payload::Refused(_))
    }

    /// The builtin kind when the exception is a builtin one (or derives from one).
    pub fn kind(&self) -> Option<ExcKind> {
        match &self.0.payload {
            Payload::Lazy { class: ExcClass::Builtin(k), .. } => Some(*k),
            Payload::Lazy { class: ExcClass::Class(c), .. } => c.exc_kind(),
            Payload::Object(o) => o.class.exc_kind(),
            _ => None,
        }
    }

    /// True if the exception is `kind` or a subclass of it.
    pub fn is(&self, kind: ExcKind) -> bool {
        let mut k = self.kind();
        while let Some(cur) = k {
            if cur == kind {
                return true;
            }
            k = cur.parent();
        }
        false
    }

    pub(crate) fn with_suggestion(mut self, suggestion: Option<String>) -> PyErr {
        self.0.suggestion = suggestion.map(|s| Rc::from(s.as_str()));
        self
    }

    /// Record the failing expression of the current frame (innermost wins).
    pub(crate) fn at(mut self, span: Span, caret: CaretHint) -> PyErr {
        if self.0.span.is_none() {
            self.0.span = Some((span, caret));
        }
        self
    }
}

impl fmt::Debug for PyErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.payload {
            Payload::Lazy { class, args } => {
                let name = match class {
                    ExcClass::Builtin(k) => k.name().to_string(),
                    ExcClass::Class(c) => c.name.to_string(),
                };
                write!(f, "{name}{args:?}")
            }
            Payload::Object(o) => write!(f, "{} object", o.class.name),
            Payload::Limit(m) => write!(f, "ExecutionLimitExceeded: {m}"),
            Payload::Refused(m) => write!(f, "PreviewRefused: {m}"),
        }
    }
}

/// One frame of a rendered traceback.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameReport {
    pub file: String,
    pub line: u32,
    pub function: String,
    /// The source line (stripped), shown for script files as CPython does.
    pub source: Option<String>,
    /// The caret line under `source` (`^^^^`, `~~^~~`), when CPython shows one.
    pub carets: Option<String>,
}

/// How an exception relates to the one reported before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainLink {
    /// `raise ... from ...`.
    Cause,
    /// Raised while handling the previous one.
    Context,
}

/// One exception of a report, with the frames it passed through.
#[derive(Clone, Debug, PartialEq)]
pub struct ExceptionReport {
    /// The class name as CPython prints it (`ValueError`, `sqlalchemy.exc.IntegrityError`).
    pub type_name: String,
    /// `str(exception)`.
    pub message: String,
    /// Outermost first.
    pub frames: Vec<FrameReport>,
    /// How it relates to the previous report in the chain (`None` for the first).
    pub link: Option<ChainLink>,
    /// A close existing name for a misspelled one (shown as "Did you mean").
    pub suggestion: Option<String>,
    /// For syntax errors: the positioned details.
    pub syntax: Option<SyntaxErrorInfo>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptErrorKind {
    /// An exception nobody caught.
    Exception,
    /// The source did not compile.
    Syntax,
    /// The instruction budget ran out.
    LimitExceeded,
    /// A preview refused an operation with side effects.
    PreviewRefused,
}

/// Why a run failed, as data (for the UI) and as CPython-style text.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptError {
    pub kind: ScriptErrorKind,
    /// The exception chain, oldest first; the last one is what stopped the run.
    pub chain: Vec<ExceptionReport>,
}

const RECURSIVE_CUTOFF: usize = 3;

impl ScriptError {
    /// The exception that ended the run.
    pub fn exception(&self) -> &ExceptionReport {
        // A ScriptError always carries at least one report (see constructors).
        &self.chain[self.chain.len() - 1]
    }

    /// The final exception's class name.
    pub fn type_name(&self) -> &str {
        &self.exception().type_name
    }

    pub fn message(&self) -> &str {
        &self.exception().message
    }

    /// The line of the innermost frame in `file` (for highlighting the editor).
    pub fn line_in(&self, file: &str) -> Option<u32> {
        let e = self.exception();
        if let Some(s) = &e.syntax {
            if &*s.file == file {
                return Some(s.line);
            }
        }
        e.frames.iter().rev().find(|f| f.file == file).map(|f| f.line)
    }

    pub(crate) fn from_syntax(info: SyntaxErrorInfo) -> ScriptError {
        let kind = info.kind;
        let report = ExceptionReport {
            type_name: kind.class_name().to_string(),
            message: info.msg.clone(),
            frames: Vec::new(),
            link: None,
            suggestion: None,
            syntax: Some(info),
        };
        ScriptError { kind: ScriptErrorKind::Syntax, chain: vec![report] }
    }

    /// The report as CPython prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for report in &self.chain {
            match report.link {
                Some(ChainLink::Cause) => {
                    out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
                }
                Some(ChainLink::Context) => {
                    out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
                }
                None => {}
            }
            render_frames(&report.frames, &mut out);
            match &report.syntax {
                Some(info) => out.push_str(&info.render()),
                None if report.message.is_empty() => {
                    out.push_str(&report.type_name);
                    out.push('\n');
                }
                None => {
                    out.push_str(&report.type_name);
                    out.push_str(": ");
                    out.push_str(&report.message);
                    if let Some(s) = &report.suggestion {
                        out.push_str(&format!(". Did you mean: '{s}'?"));
                    }
                    out.push('\n');
                }
            }
        }
        out
    }
}

fn render_frames(frames: &[FrameReport], out: &mut String) {
    if frames.is_empty() {
        return;
    }
    out.push_str("Traceback (most recent call last):\n");
    let mut last: Option<(&str, u32, &str)> = None;
    let mut count = 0usize;
    for f in frames {
        let key = (f.file.as_str(), f.line, f.function.as_str());
        if last != Some(key) {
            push_repeated(out, count);
            last = Some(key);
            count = 0;
        }
        count += 1;
        if count > RECURSIVE_CUTOFF {
            continue;
        }
        out.push_str(&format!("  File \"{}\", line {}, in {}\n", f.file, f.line, f.function));
        if let Some(src) = &f.source {
            out.push_str("    ");
            out.push_str(src);
            out.push('\n');
            if let Some(c) = &f.carets {
                out.push_str("    ");
                out.push_str(c);
                out.push('\n');
            }
        }
    }
    push_repeated(out, count);
}

fn push_repeated(out: &mut String, count: usize) {
    if count > RECURSIVE_CUTOFF {
        let n = count - RECURSIVE_CUTOFF;
        out.push_str(&format!("  [Previous line repeated {n} more time{}]\n", if n > 1 { "s" } else { "" }));
    }
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for ScriptError {}

//! What a host runs: a whole module, one console input (printing the values of
//! expression statements, also inside its blocks, as the REPL does), a side-effect-free preview of an
//! expression, and completions. Also the console's "is this input complete?"
//! check with `code.compile_command`'s rules.

use std::rc::Rc;

use super::super::ast::{self, Stmt, StmtKind};
use super::super::error::{PyResult, ScriptError};
use super::super::lexer::KEYWORDS;
use super::super::parser::{parse_expression, parse_module};
use super::super::scope::resolve_module;
use super::super::stack::StackGuard;
use super::super::syntax_error::SyntaxErrorInfo;
use super::super::value::{ClassKind, Module, Value};
use super::{Frame, FrameInfo, Interpreter};

/// A position in running code, for hosts (e.g. to tie SQL to a console line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub function: String,
    /// The module's `__name__` (`__main__` for the script and the console).
    pub module: String,
}

/// Whether console input can run yet.
#[derive(Clone, Debug, PartialEq)]
pub enum InputStatus {
    /// Run it.
    Complete,
    /// Ask for more lines (the `...` prompt).
    Incomplete,
    /// It can never be valid; the error says why.
    Invalid(ScriptError),
}

const CONSOLE_FILE: &str = "<console>";

/// Parse and resolve source text: the syntax tree a run would execute, or the
/// first compile-time error (parse errors, `'return' outside function`...).
pub fn compile(source: &str, file: &str) -> Result<ast::Module, Box<SyntaxErrorInfo>> {
    let mut m = parse_module(source, file)?;
    resolve_module(&mut m).map_err(|mut e| {
        e.file = file.to_string();
        e
    })?;
    Ok(m)
}

fn is_compound(s: &Stmt) -> bool {
    matches!(
        s.kind,
        StmtKind::If { .. } | StmtKind::For { .. } | StmtKind::While { .. } | StmtKind::Try { .. } | StmtKind::With { .. } | StmtKind::FunctionDef(_) | StmtKind::ClassDef(_)
    )
}

impl Interpreter {
    /// A new namespace to run code in. `file` names it in tracebacks.
    pub fn new_module(&mut self, name: &str, file: &str) -> Rc<Module> {
        let m = Rc::new(Module::new(name, Some(file)));
        // A module run from a file knows it (`os.path.dirname(__file__)`); `<console>` is no file.
        if !file.starts_with('<') {
            m.set("__file__", Value::str(file));
        }
        self.owned_modules.push(m.clone());
        m
    }

    /// `__file__` of the module named `__main__` (`sys.modules['__main__'].__file__`): the
    /// script's file, also while the console runs in its namespace.
    pub fn main_file(&self) -> Option<String> {
        let main = self.owned_modules.iter().find(|m| &*m.name == "__main__")?;
        match main.get("__file__")? {
            Value::Str(file) => Some(file.as_str().to_owned()),
            _ => None,
        }
    }

    /// Reset the per-run budget unless called from inside a running program.
    fn begin_run(&mut self) {
        if self.frames.is_empty() {
            self.steps = 0;
            self.step_limit = self.limits.max_steps;
            self.guard = StackGuard::new(self.limits.max_stack_bytes);
            self.heap_at_start = super::heap::in_use();
            self.handling.clear();
            self.repr_stack.clear();
            self.nesting = 0;
        }
    }

    /// Run a script file's source in `module` (like `python app.py`).
    /// Tracebacks show its source lines, as CPython does for files.
    pub fn run_module(&mut self, module: &Rc<Module>, source: &str) -> Result<(), ScriptError> {
        let file = module.file.clone().unwrap_or_else(|| Rc::from("<string>"));
        self.register_source(&file, source);
        let ast = compile(source, &file).map_err(|e| self.syntax_report(*e))?;
        self.exec_module(module, &ast, false)
    }

    /// Run one console input in `module`'s namespace (like `flask shell`):
    /// the value of each expression statement is printed with `repr` unless
    /// it is `None`, and kept in `_`. Several statements may be given at once.
    pub fn run_console(&mut self, module: &Rc<Module>, input: &str) -> Result<(), ScriptError> {
        let ast = compile(input, CONSOLE_FILE).map_err(|e| self.syntax_report(*e))?;
        self.exec_module(module, &ast, true).map_err(|mut e| {
            // The console prints through traceback.py, which (in 3.11) adds no
            // "Did you mean" suggestions.
            for report in &mut e.chain {
                report.suggestion = None;
            }
            e
        })
    }

    fn exec_module(&mut self, module: &Rc<Module>, ast: &ast::Module, interactive: bool) -> Result<(), ScriptError> {
        self.begin_run();
        if ast::has_annotations(&ast.body) && module.get("__annotations__").is_none() {
            module.set("__annotations__", Value::empty_dict());
        }
        let mut frame = Frame::module(module.clone());
        frame.echo_expressions = interactive;
        self.frames.push(FrameInfo { file: ast.file.clone(), module: module.name.clone(), name: Rc::from("<module>"), line: 1 });
        let mut result = Ok(());
        for stmt in &ast.body {
            if let Err(e) = self.exec_stmt(&mut frame, stmt) {
                result = Err(self.record_frame(e));
                break;
            }
        }
        self.frames.pop();
        result.map_err(|e| self.error_report(e))
    }

    /// The console's `sys.displayhook`: print a value's `repr` unless it is
    /// `None`, and keep it in `_`.
    pub(crate) fn display(&mut self, v: Value) -> PyResult<()> {
        if v.is_none() {
            return Ok(());
        }
        self.builtins.set("_", Value::None);
        let text = self.repr(&v)?;
        self.write_output(&text);
        self.write_output("\n");
        self.builtins.set("_", v);
        Ok(())
    }

    /// Evaluate one expression without side effects: calling Python functions,
    /// assignments, printing and host operations that declare side effects are
    /// refused (`ScriptErrorKind::PreviewRefused`). Used for live SQL previews.
    pub fn preview(&mut self, module: &Rc<Module>, expression: &str) -> Result<Value, ScriptError> {
        let expr = parse_expression(expression, "<preview>").map_err(|e| self.syntax_report(*e))?;
        let span = expr.span;
        let mut m = ast::Module { body: vec![Stmt { kind: StmtKind::Expr(expr), span }], file: Rc::from("<preview>") };
        resolve_module(&mut m).map_err(|e| self.syntax_report(*e))?;
        let Some(Stmt { kind: StmtKind::Expr(expr), .. }) = m.body.first() else {
            return Ok(Value::None);
        };
        self.begin_run();
        let was_preview = self.preview;
        self.preview = true;
        let mut frame = Frame::module(module.clone());
        self.frames.push(FrameInfo { file: Rc::from("<preview>"), module: module.name.clone(), name: Rc::from("<module>"), line: 1 });
        let r = self.eval(&mut frame, expr).map_err(|e| self.record_frame(e));
        self.frames.pop();
        self.preview = was_preview;
        r.map_err(|e| self.error_report(e))
    }

    /// Completions for the text before the cursor: names in scope, or the
    /// attributes of the value before the last dot (evaluated as a preview).
    pub fn completions(&mut self, module: &Rc<Module>, text: &str) -> Vec<String> {
        let tail: String = {
            let rev: String = text.chars().rev().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
            rev.chars().rev().collect()
        };
        let mut out: Vec<String> = match tail.rsplit_once('.') {
            Some((base, prefix)) => {
                if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    return Vec::new();
                }
                let Ok(value) = self.preview(module, base) else { return Vec::new() };
                self.attribute_names(&value)
                    .into_iter()
                    .filter(|n| n.starts_with(prefix) && (prefix.starts_with('_') || !n.starts_with('_')))
                    .collect()
            }
            None => {
                let mut names: Vec<String> = module.names().iter().map(|n| n.to_string()).collect();
                names.extend(self.builtins.names().iter().map(|n| n.to_string()));
                names.extend(KEYWORDS.iter().map(|k| k.to_string()));
                names.into_iter().filter(|n| n.starts_with(&tail) && (tail.starts_with('_') || !n.starts_with('_'))).collect()
            }
        };
        out.sort();
        out.dedup();
        out
    }

    /// The attribute names of a value (what `dir()` lists), sorted.
    pub fn attribute_names(&mut self, v: &Value) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let add_class = |names: &mut Vec<String>, cls: &super::super::value::Class| {
            for c in cls.mro() {
                names.extend(c.dict.borrow().keys().map(|k| k.to_string()));
                if let ClassKind::Builtin(t) = c.kind {
                    names.extend(super::super::builtins::methods::names(t).iter().map(|s| s.to_string()));
                }
            }
        };
        match v {
            Value::Instance(inst) => {
                names.extend(inst.dict.borrow().keys().map(|k| k.to_string()));
                add_class(&mut names, &inst.class);
                if inst.exc.is_some() {
                    names.push("args".into());
                }
            }
            Value::Class(c) => {
                add_class(&mut names, c);
                names.extend(["__name__", "__qualname__", "__module__", "__bases__", "__mro__", "__dict__", "mro"].map(String::from));
            }
            Value::Module(m) => names.extend(m.names().iter().map(|n| n.to_string())),
            Value::Native(n) => {
                let n = n.clone();
                names.extend(n.dir(self, v));
            }
            other => {
                names.extend(super::super::builtins::methods::names(other.builtin_type()).iter().map(|s| s.to_string()));
                let cls = self.class_of(other);
                add_class(&mut names, &cls);
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// Where the innermost running Python frame is.
    pub fn current_location(&self) -> Option<Location> {
        self.frames.last().map(|f| Location { file: f.file.to_string(), line: f.line, function: f.name.to_string(), module: f.module.to_string() })
    }

    /// All running Python frames, outermost first.
    pub fn call_stack(&self) -> Vec<Location> {
        self.frames.iter().map(|f| Location { file: f.file.to_string(), line: f.line, function: f.name.to_string(), module: f.module.to_string() }).collect()
    }

    /// Classify console input as CPython's `code.compile_command` does:
    /// complete, incomplete (more lines needed) or invalid.
    pub fn check_console_input(source: &str) -> InputStatus {
        if source.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#')
        }) {
            return InputStatus::Complete;
        }
        let m = match compile(source, CONSOLE_FILE) {
            Ok(m) => m,
            Err(e) if e.incomplete => return InputStatus::Incomplete,
            Err(e) => return InputStatus::Invalid(ScriptError::from_syntax(*e)),
        };
        let Some(first) = m.body.first() else { return InputStatus::Complete };
        if let Some(other) = m.body.iter().find(|s| s.span.start.line != first.span.start.line) {
            let mut info = SyntaxErrorInfo::new(
                super::super::syntax_error::SyntaxErrorKind::SyntaxError,
                "multiple statements found while compiling a single statement",
                other.span.start.line,
                other.span.start.col as i32 + 1,
                other.span.start.line,
                other.span.start.col as i32 + 1,
            );
            info.file = CONSOLE_FILE.to_string();
            info.text = source.lines().nth(other.span.start.line as usize - 1).map(str::to_string);
            return InputStatus::Invalid(ScriptError::from_syntax(info));
        }
        let last = m.body.last().unwrap_or(first);
        if is_compound(last) && !source.ends_with('\n') {
            return InputStatus::Incomplete;
        }
        InputStatus::Complete
    }
}

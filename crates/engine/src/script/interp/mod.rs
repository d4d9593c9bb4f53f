//! The interpreter: evaluates resolved syntax trees.
//!
//! * `exec.rs` runs statements, `eval.rs` expressions, `call.rs` calls and
//!   argument binding, `attr.rs` attribute access and descriptors, `ops.rs`
//!   operators, `containers.rs` indexing and dict/set storage, `iter.rs`
//!   iteration, `repr.rs` `repr`/`str`, `classes.rs` class creation,
//!   `import.rs` imports, `traceback.rs` error reports.
//! * Run modes (module, console, preview, completion) are in `run.rs`.

mod attr;
mod call;
mod classes;
mod containers;
mod eval;
mod exec;
mod generator;
mod import;
mod instance_dict;
mod iter;
mod ops;
mod repr;
mod run;
mod suggest;
mod traceback;

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::rc::Rc;

use super::ast::ScopeInfo;
use super::error::{ExcKind, PyErr, PyResult};
use super::heap;
use super::stack::StackGuard;
use super::value::attrmap::FxHashMap;
use super::value::{AttrMap, BuiltinType, CellRef, Class, Module, Value};

pub(crate) use generator::GeneratorState;
pub(crate) use containers::not_an_integer;
pub use iter::iterator_from_values;
pub(crate) use iter::new_iterator;
pub(crate) use ops::{float_divmod, int_floordiv, int_mod};
pub use repr::{is_printable, repr_bytes, repr_str};
pub use run::{compile, InputStatus, Location};

/// Resource limits of a run. Exceeding `max_steps` ends the run with an
/// uncatchable `ExecutionLimitExceeded`; the others raise `RecursionError` or
/// `MemoryError`, which Python code may catch.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Statements, loop iterations and calls a single run may execute.
    pub max_steps: u64,
    /// Nested Python calls (CPython's recursion limit).
    pub max_depth: usize,
    /// Statements and compound expressions being evaluated at once (Python
    /// calls, nested expressions). Together with `max_depth` it keeps deep
    /// recursion within the wasm engine's call stack.
    pub max_nesting: usize,
    /// Native stack the interpreter may use below its entry point. Deep
    /// recursion raises `RecursionError` before this is exceeded, whatever
    /// the depth count says (the wasm stack is 1 MiB by default).
    pub max_stack_bytes: usize,
    /// The largest single string or container a run may build, in bytes
    /// (approximate); beyond it `MemoryError` is raised before allocating.
    pub max_alloc_bytes: usize,
    /// The heap the interpreter's thread may hold (see `script::heap`): a run that would
    /// grow it beyond raises `MemoryError`. Beyond what the heap held when it started, a
    /// run may always use `HEAP_SLACK`, so that after a `MemoryError` whose data is still
    /// referenced the next command can run (and `del` it).
    pub max_heap_bytes: usize,
}

/// What a run may always allocate beyond the heap it started with (see `max_heap_bytes`).
const HEAP_SLACK: usize = 16 * 1024 * 1024;
/// How often (in steps) the heap is compared with its limit outside `check_alloc`.
const HEAP_CHECK_STEPS: u64 = 64;

impl Default for Limits {
    fn default() -> Self {
        // max_nesting: measured in Node/V8 (default stack), deep recursion of
        // various shapes traps between 1,767 and 3,915 levels; 800 leaves
        // headroom for other browsers and the host's own frames.
        // max_alloc_bytes: werkzeug's default password hash (scrypt, n=32768, r=8) needs
        // 32 MiB at once, and a list of two million items is more than a lesson needs; a
        // runaway loop growing one list stops there twice as soon as at 64 MiB.
        // max_heap_bytes: wasm32 memory ends at 4 GiB, and browsers may give less. The limit
        // is what ends a runaway that allocates, so it is kept near what legitimate work
        // needs: 100,000 + 100,000 ORM inserts in one run (bench/scale.py) peak at 370 MB
        // natively, and in the page the UI's views of the SQL log and tables share the same
        // heap: at 448 MiB that run failed in the page (`make bench`), so 1 GiB.
        Limits {
            max_steps: 10_000_000,
            max_depth: 1000,
            max_nesting: 800,
            max_stack_bytes: 512 * 1024,
            max_alloc_bytes: 32 * 1024 * 1024,
            max_heap_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Receives printed text as it is printed.
pub type OutputSink = Box<dyn FnMut(&str)>;

/// Builds a native module when it is first imported.
pub type ModuleFactory = dyn Fn(&mut Interpreter) -> PyResult<Rc<Module>>;

/// Where a Python frame is, for tracebacks and for hosts (`call_stack`).
#[derive(Clone, Debug)]
pub(crate) struct FrameInfo {
    pub file: Rc<str>,
    /// The name of the module whose globals the frame runs in (what `warnings` filters on).
    pub module: Rc<str>,
    pub name: Rc<str>,
    pub line: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FrameKind {
    Module,
    Class,
    Function,
}

/// The variables of one running code block.
pub(crate) struct Frame {
    pub kind: FrameKind,
    pub locals: Vec<Option<Value>>,
    pub cells: Vec<CellRef>,
    pub globals: Rc<Module>,
    /// The class namespace being built, in class bodies.
    pub namespace: Option<Rc<RefCell<AttrMap>>>,
    /// Layout of the function (for zero-argument `super()`).
    pub scope: Option<Rc<ScopeInfo>>,
    /// Console input prints the value of each expression statement, also inside its
    /// `if`/`for`/`while`/`try`/`with` blocks (CPython's 'single' mode); function and
    /// class bodies run in other frames, which never do.
    pub echo_expressions: bool,
}

impl Frame {
    pub(crate) fn module(globals: Rc<Module>) -> Frame {
        Frame { kind: FrameKind::Module, locals: Vec::new(), cells: Vec::new(), globals, namespace: None, scope: None, echo_expressions: false }
    }

    /// The cells a nested scope captures from this (its enclosing) frame.
    pub(crate) fn captured_cells<'a>(&'a self, scope: &'a ScopeInfo) -> impl Iterator<Item = CellRef> + 'a {
        scope.free_from_parent.iter().map(|&i| self.cells.get(i as usize).cloned().unwrap_or_default())
    }

    /// The frame of a comprehension (`namespace: None`) or class body run
    /// inside this one: fresh cells for its own captured variables, then
    /// those it shares with this frame.
    pub(crate) fn nested(&self, kind: FrameKind, scope: Rc<ScopeInfo>, namespace: Option<Rc<RefCell<AttrMap>>>) -> Frame {
        let cells = (0..scope.n_own_cells).map(|_| Rc::new(RefCell::new(None))).chain(self.captured_cells(&scope)).collect();
        let locals = if namespace.is_some() { Vec::new() } else { vec![None; scope.n_locals as usize] };
        Frame { kind, locals, cells, globals: self.globals.clone(), namespace, scope: Some(scope), echo_expressions: false }
    }
}

/// The class objects of builtin types and exceptions.
pub(crate) struct Types {
    builtin: Vec<Rc<Class>>,
    exceptions: Vec<Rc<Class>>,
}

impl Types {
    pub fn get(&self, t: BuiltinType) -> &Rc<Class> {
        // `builtin` holds one class per entry of BuiltinType::ALL, in order.
        &self.builtin[t as usize]
    }

    pub fn exc(&self, k: ExcKind) -> &Rc<Class> {
        // `exceptions` holds one class per entry of ExcKind::ALL, in order.
        &self.exceptions[k as usize]
    }

    pub fn object(&self) -> &Rc<Class> {
        self.get(BuiltinType::Object)
    }
}

/// A Python-subset interpreter. Several can coexist: there is no global state.
pub struct Interpreter {
    pub(crate) types: Types,
    pub(crate) builtins: Rc<Module>,
    modules: FxHashMap<String, Rc<Module>>,
    factories: FxHashMap<String, Rc<ModuleFactory>>,
    pub(crate) frames: Vec<FrameInfo>,
    output: String,
    sink: Option<OutputSink>,
    steps: u64,
    step_limit: u64,
    pub(crate) limits: Limits,
    preview: bool,
    /// Objects whose repr is being computed (for `[...]`).
    pub(crate) repr_stack: Vec<usize>,
    /// Source text of script files, for tracebacks.
    sources: FxHashMap<Rc<str>, Rc<str>>,
    /// Exceptions being handled by `except` blocks, innermost last.
    pub(crate) handling: Vec<Value>,
    extensions: FxHashMap<TypeId, Box<dyn Any>>,
    /// Classes synthesized for host objects that name no class of their own.
    native_type_classes: FxHashMap<String, Rc<Class>>,
    pub(crate) guard: StackGuard,
    /// Statements and compound expressions being evaluated (see `enter_nesting`).
    pub(crate) nesting: usize,
    /// The heap in use when the current run started (see `Limits::max_heap_bytes`).
    heap_at_start: usize,
    /// Modules created by runs (their globals are cleared on drop to free cycles).
    owned_modules: Vec<Rc<Module>>,
}

impl Default for Interpreter {
    fn default() -> Self {
        Interpreter::new()
    }
}

impl Interpreter {
    /// A fresh interpreter with default limits.
    pub fn new() -> Interpreter {
        Interpreter::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Interpreter {
        let types = classes::builtin_types();
        let builtins = Rc::new(Module::new("builtins", None));
        let guard = StackGuard::new(limits.max_stack_bytes);
        let mut interp = Interpreter {
            types,
            builtins,
            modules: FxHashMap::default(),
            factories: FxHashMap::default(),
            frames: Vec::new(),
            output: String::new(),
            sink: None,
            steps: 0,
            step_limit: limits.max_steps,
            limits,
            preview: false,
            repr_stack: Vec::new(),
            sources: FxHashMap::default(),
            handling: Vec::new(),
            extensions: FxHashMap::default(),
            native_type_classes: FxHashMap::default(),
            guard,
            nesting: 0,
            heap_at_start: heap::in_use(),
            owned_modules: Vec::new(),
        };
        super::builtins::install(&mut interp);
        interp
    }

    /// The limits applied to each run (changes apply from the next run).
    pub fn limits_mut(&mut self) -> &mut Limits {
        &mut self.limits
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    // ----- output -----

    /// Write text to the output (what `print` does).
    pub fn write_output(&mut self, text: &str) {
        match &mut self.sink {
            Some(sink) => sink(text),
            None => self.output.push_str(text),
        }
    }

    /// Take the text printed since the last call (when no sink is set).
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.output)
    }

    /// Send printed text to `sink` as it is printed instead of buffering it.
    pub fn set_output_sink(&mut self, sink: Option<OutputSink>) {
        self.sink = sink;
    }

    // ----- host data -----

    /// Store host state of type `T` (one value per type), reachable by natives.
    pub fn insert_extension<T: Any>(&mut self, value: T) {
        self.extensions.insert(TypeId::of::<T>(), Box::new(value));
    }

    pub fn extension<T: Any>(&self) -> Option<&T> {
        self.extensions.get(&TypeId::of::<T>()).and_then(|b| b.downcast_ref::<T>())
    }

    pub fn extension_mut<T: Any>(&mut self) -> Option<&mut T> {
        self.extensions.get_mut(&TypeId::of::<T>()).and_then(|b| b.downcast_mut::<T>())
    }

    // ----- builtin classes -----

    /// The class of a builtin exception (to derive host exceptions from).
    pub fn exception_class(&self, kind: ExcKind) -> Rc<Class> {
        self.types.exc(kind).clone()
    }

    /// The class of a builtin type (`object`, `int`...).
    pub fn builtin_class(&self, t: BuiltinType) -> Rc<Class> {
        self.types.get(t).clone()
    }

    /// The `builtins` module (its names are visible everywhere).
    pub fn builtins(&self) -> &Rc<Module> {
        &self.builtins
    }

    // ----- steps, depth, preview -----

    /// Count one step of work; fails when the run's budget is used up.
    #[inline]
    pub fn tick(&mut self) -> PyResult<()> {
        self.steps += 1;
        if self.steps > self.step_limit {
            return Err(self.limit_error());
        }
        // Many allocations that each passed `check_alloc` (or needed none) add up; a few
        // steps allocate little unchecked, so looking now and then is enough.
        if self.steps.is_multiple_of(HEAP_CHECK_STEPS) && self.heap_exhausted(0) {
            return Err(PyErr::memory_error());
        }
        Ok(())
    }

    /// Whether allocating `extra` bytes now would grow the heap past the limit.
    fn heap_exhausted(&self, extra: usize) -> bool {
        let after = heap::in_use().saturating_add(extra);
        after > self.limits.max_heap_bytes && after > self.heap_at_start.saturating_add(HEAP_SLACK)
    }

    /// Charge `n` steps for work done natively (e.g. per row processed).
    pub fn charge(&mut self, n: u64) -> PyResult<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.step_limit {
            return Err(self.limit_error());
        }
        Ok(())
    }

    fn limit_error(&self) -> PyErr {
        PyErr::limit(format!("the script ran for more than {} steps (infinite loop?)", self.limits.max_steps))
    }

    /// Steps executed by the current (or last) run.
    pub fn steps_used(&self) -> u64 {
        self.steps
    }

    /// True while evaluating a side-effect-free preview.
    pub fn is_preview(&self) -> bool {
        self.preview
    }

    /// In a preview, refuse an operation with side effects (`what` names it).
    pub fn check_side_effect(&self, what: &str) -> PyResult<()> {
        if self.preview {
            return Err(PyErr::refused(format!("{what} has side effects")));
        }
        Ok(())
    }

    /// Refuse allocations beyond the limit: `count` items of `item_bytes` each.
    pub fn check_alloc(&self, count: usize, item_bytes: usize) -> PyResult<()> {
        match count.checked_mul(item_bytes.max(1)) {
            Some(n) if n <= self.limits.max_alloc_bytes && !self.heap_exhausted(n) => Ok(()),
            _ => Err(PyErr::memory_error()),
        }
    }

    /// Count one level of evaluation nesting (statements and compound
    /// expressions being evaluated). This bounds the native recursion of the
    /// evaluator, which the stack-address guard cannot see on wasm: there
    /// most locals live on the engine's own stack, not in linear memory.
    #[inline]
    pub(crate) fn enter_nesting(&mut self) -> PyResult<()> {
        self.nesting += 1;
        // The stack guard too: a level of hashing or comparing deep data can take more
        // stack than a level of evaluation (the count is calibrated for the latter).
        if self.nesting > self.limits.max_nesting || self.guard.exceeded() {
            self.nesting -= 1;
            return Err(PyErr::new(ExcKind::RecursionError, "maximum recursion depth exceeded"));
        }
        Ok(())
    }

    /// File and current line of the innermost frame, where a nested frame
    /// (comprehension, class body) starts.
    pub(crate) fn caller_position(&self) -> (Rc<str>, u32) {
        self.frames.last().map_or_else(|| (Rc::from("<string>"), 0), |fr| (fr.file.clone(), fr.line))
    }

    pub(crate) fn enter_call(&mut self) -> PyResult<()> {
        if self.frames.len() >= self.limits.max_depth || self.guard.exceeded() {
            return Err(PyErr::new(ExcKind::RecursionError, "maximum recursion depth exceeded"));
        }
        Ok(())
    }

    pub(crate) fn set_line(&mut self, line: u32) {
        if let Some(f) = self.frames.last_mut() {
            f.line = line;
        }
    }

    pub(crate) fn register_source(&mut self, file: &str, source: &str) {
        self.sources.insert(Rc::from(file), Rc::from(source));
    }

    pub(crate) fn source_line(&self, file: &str, line: u32) -> Option<String> {
        let src = self.sources.get(file)?;
        src.lines().nth((line as usize).checked_sub(1)?).map(str::to_string)
    }

    /// The class used for `type(x)` of a host object without its own class.
    pub(crate) fn native_type_class(&mut self, name: &str) -> Rc<Class> {
        if let Some(c) = self.native_type_classes.get(name) {
            return c.clone();
        }
        let c = classes::plain_class(self, name, "builtins");
        self.native_type_classes.insert(name.to_string(), c.clone());
        c
    }
}

impl Drop for Interpreter {
    /// Break the reference cycles between modules, their functions and classes.
    fn drop(&mut self) {
        let mut pending: Vec<Value> = Vec::new();
        for m in self.owned_modules.drain(..).chain(self.modules.drain().map(|(_, m)| m)) {
            if let Ok(mut g) = m.globals.try_borrow_mut() {
                pending.extend(g.drain_values());
            }
        }
        for v in pending {
            if let Value::Class(c) = &v {
                if let Ok(mut d) = c.dict.try_borrow_mut() {
                    d.clear();
                }
            }
        }
    }
}

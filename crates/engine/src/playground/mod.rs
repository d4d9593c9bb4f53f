//! The façade the web app and the native runner use. One `Playground` is one learner's
//! workspace: the models source (run as the module `app`, as `flask shell` imports it), a
//! console whose inputs run in that module's namespace, and the databases they use. It hands
//! back plain data — printed output, errors, SQL events, views of the session, tables and
//! schema — and never exposes the interpreter or the ORM to the UI.
//!
//! - [`events`]: the SQL log as the UI shows it
//! - [`views`]: snapshots of the session, the tables and the schema
//! - [`stepper`]: a flush run one statement at a time
//! - [`preview`]: the SQL a console expression would send, without running it
//! - [`export`]: `app.py`, SQL dump, CSV / JSON of a table
//! - [`highlight`]: the models editor's syntax highlighting

mod environment;
pub mod events;
pub mod export;
pub mod highlight;
mod prelude;
pub mod preview;
pub mod stepper;
pub mod views;

use std::collections::HashMap;
use std::rc::Rc;

use crate::bindings::{self, sqlalchemy::world::World};
use crate::script::{InputStatus, Interpreter, Limits, Module, ScriptError};

pub use environment::environment_problems;
pub use events::SqlEvent;

/// A Python error as the UI shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorView {
    /// `IntegrityError`, `SyntaxError`, ...
    pub type_name: String,
    pub message: String,
    /// The whole traceback as Python prints it.
    pub traceback: String,
    /// Where it happened in the input that ran (1-based), when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl ErrorView {
    fn of(error: &ScriptError, file: &str) -> ErrorView {
        let column = error.exception().syntax.as_ref().map(|s| s.offset.max(1) as u32);
        ErrorView {
            type_name: error.type_name().to_string(),
            message: error.message().to_string(),
            traceback: error.render(),
            line: error.line_in(file),
            column,
        }
    }
}

/// What one run (a console input, the models, a button) did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunResult {
    /// The console entry number this run was (0 for models and buttons).
    pub entry: u32,
    /// What it printed (including SQL echo lines when echo is on).
    pub output: String,
    pub error: Option<ErrorView>,
    /// The SQL it caused, in order.
    pub events: Vec<SqlEvent>,
    /// In step mode: the flush now waiting for Step / Continue.
    pub paused: Option<stepper::PlanView>,
}

/// Applying the models: the run, and the tables whose stored shape differs from the models.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApplyResult {
    pub run: RunResult,
    /// Tables that exist with other columns than the models declare; nothing was created.
    /// Applying again with `recreate` drops and recreates them (their rows are lost).
    pub conflicts: Vec<String>,
}

/// One console input as it ran: the session's transcript, kept to replay the session (in a
/// shared link, an exported `app.py`, after a reload).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleInput {
    pub source: String,
    /// It raised an exception (an exported script leaves it out).
    pub failed: bool,
}

/// One input of a console script (an example's lines): a top-level statement with the
/// comment lines just above it, which say what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStep {
    /// The line it starts on in the script (1-based).
    pub line: u32,
    /// The statement (a block with its body), as console input.
    pub code: String,
    /// The comment lines above it, without their `#`.
    pub comment: String,
}

/// Whether console input can run yet.
#[derive(Clone, Debug, PartialEq)]
pub enum InputState {
    Complete,
    /// More lines are needed (`...` prompt).
    Incomplete,
    Invalid(ErrorView),
}

const CONSOLE_FILE: &str = "<console>";
const MODELS_FILE: &str = "app.py";
/// What the console prints for `exit()` / `sys.exit()` instead of ending.
pub const CONSOLE_STAYS_OPEN: &str = "exit() would end flask shell here; the playground's console stays open, with the session and its data as they were.\n";
/// `__file__` of the models module: `app.py` in the working directory (`/playground`).
const APP_FILE_PATH: &str = "/playground/app.py";

/// What the host (the browser, the native runner) tells the engine about time: the wall clock
/// behind `datetime.now()` and `time.time()` (Unix ms), the local time zone (minutes east of
/// UTC at a given Unix ms), and a monotonic clock (ms, sub-millisecond where the host has it)
/// that times statements and is `time.perf_counter()`.
#[derive(Clone)]
pub struct HostClock {
    pub wall_ms: Rc<dyn Fn() -> f64>,
    pub utc_offset_minutes: Rc<dyn Fn(f64) -> i32>,
    pub monotonic_ms: Rc<dyn Fn() -> f64>,
}

pub struct Playground {
    interp: Interpreter,
    clock: Option<HostClock>,
    /// The variables `os.environ` holds (the playground's settings), kept across applies.
    environment: Vec<(String, String)>,
    main: Rc<Module>,
    models: String,
    next_entry: u32,
    /// Per engine: the last event handed to the UI.
    seen: HashMap<usize, u64>,
    step_mode: bool,
    pending: Option<stepper::PendingFlush>,
    /// Every console input so far, kept when the models are applied again.
    transcript: Vec<ConsoleInput>,
}

impl Default for Playground {
    fn default() -> Self {
        Playground::new()
    }
}

impl Playground {
    pub fn new() -> Playground {
        Playground::with_snapshots(HashMap::new(), Limits::default())
    }

    /// A playground whose file databases (`sqlite:///site.db`) start from saved snapshots
    /// (committed data kept in the browser), keyed by database URI.
    pub fn with_snapshots(snapshots: HashMap<String, Vec<u8>>, limits: Limits) -> Playground {
        let mut interp = Interpreter::with_limits(limits);
        bindings::install(&mut interp);
        let main = interp.new_module("__main__", MODELS_FILE);
        // As `python app.py` run from the working directory `os.getcwd()` reports.
        main.set("__file__", crate::script::Value::str(APP_FILE_PATH));
        // The models are importable as the module `app`, as with `flask shell`.
        interp.register_module_object("app", main.clone());
        let world = World::of(&mut interp);
        if let Ok(mut w) = world.borrow() {
            w.saved_databases = snapshots;
        }
        Playground { interp, clock: None, environment: Vec::new(), main, models: String::new(), next_entry: 1, seen: HashMap::new(), step_mode: false, pending: None, transcript: Vec::new() }
    }

    /// Uses the host's clocks from now on (natively the system's are used until then; in the
    /// browser there is no clock until the app sets one).
    pub fn set_clock(&mut self, clock: HostClock) {
        let wall = clock.wall_ms.clone();
        bindings::stdlib::set_wall_clock(&mut self.interp, Box::new(move || wall()));
        let offset = clock.utc_offset_minutes.clone();
        bindings::stdlib::set_local_utc_offset(&mut self.interp, Box::new(move |at| offset(at)));
        let monotonic = clock.monotonic_ms.clone();
        bindings::stdlib::set_monotonic_clock(&mut self.interp, Box::new(move || monotonic()));
        let monotonic = clock.monotonic_ms.clone();
        if let Ok(mut w) = self.world().borrow() {
            w.statement_clock = Some(Rc::new(move || monotonic()));
            for db in &mut w.orm.engines {
                let monotonic = clock.monotonic_ms.clone();
                db.set_clock(Rc::new(move || monotonic()));
            }
        }
        self.clock = Some(clock);
    }

    /// Sets what `os.environ` holds (empty until set), for code imported from now on: the
    /// next apply of the models sees it.
    pub fn set_environment(&mut self, vars: Vec<(String, String)>) {
        bindings::stdlib::set_environment(&mut self.interp, vars.iter().cloned().collect());
        self.environment = vars;
    }

    pub fn world(&mut self) -> World {
        World::of(&mut self.interp)
    }

    pub fn interpreter(&mut self) -> &mut Interpreter {
        &mut self.interp
    }

    pub fn models_source(&self) -> &str {
        &self.models
    }

    /// Runs a whole script, as `python app.py` would.
    pub fn run_script(&mut self, source: &str) -> RunResult {
        bindings::stdlib::warnings_imported_main(&mut self.interp, None);
        self.ensure_prelude(source);
        let result = self.interp.run_module(&self.main, source);
        self.finish(0, result.err(), MODELS_FILE)
    }

    /// Applies the models: runs their source in a fresh workspace (committed data of file
    /// databases is kept), then creates the tables that do not exist yet. Tables that exist
    /// with another shape are reported, not touched, unless `recreate` is set.
    pub fn apply_models(&mut self, source: &str, recreate: bool) -> ApplyResult {
        let saved = self.saved_databases();
        let limits = self.interp.limits().clone();
        let echo = self.world().borrow().map(|w| w.force_echo).unwrap_or(false);
        let transcript = std::mem::take(&mut self.transcript);
        let clock = self.clock.take();
        let environment = std::mem::take(&mut self.environment);
        *self = Playground::with_snapshots(saved, limits);
        if let Some(clock) = clock {
            self.set_clock(clock);
        }
        self.set_environment(environment);
        self.set_echo(echo);
        self.transcript = transcript;
        self.models = source.to_string();
        self.as_flask_shell();
        self.ensure_prelude(source);
        let result = self.interp.run_module(&self.main, source);
        // The console is `flask shell` for these models: their app's context is active.
        self.push_app_context();
        if let Err(error) = result {
            return ApplyResult { run: self.finish(0, Some(error), MODELS_FILE), conflicts: vec![] };
        }
        let conflicts = self.schema_conflicts();
        if !conflicts.is_empty() && !recreate {
            return ApplyResult { run: self.finish(0, None, MODELS_FILE), conflicts };
        }
        let outcome = self.create_tables(if recreate { &conflicts } else { &[] });
        ApplyResult { run: self.finish(0, outcome.err(), MODELS_FILE), conflicts: vec![] }
    }

    /// Runs one console input (a statement or block), as typed into `flask shell`.
    pub fn run_console(&mut self, input: &str) -> RunResult {
        self.as_flask_shell();
        self.ensure_prelude(input);
        self.run_console_input(input)
    }

    fn run_console_input(&mut self, input: &str) -> RunResult {
        let run = self.run_console_entry(input);
        self.transcript.push(ConsoleInput { source: input.to_string(), failed: run.error.is_some() });
        run
    }

    fn run_console_entry(&mut self, input: &str) -> RunResult {
        let entry = self.next_entry;
        self.next_entry += 1;
        if self.pending.is_some() {
            let mut run = RunResult { entry, ..RunResult::default() };
            run.error = Some(ErrorView {
                type_name: "RuntimeError".into(),
                message: "a flush is paused in step mode: Step, Continue or Rollback first".into(),
                traceback: "RuntimeError: a flush is paused in step mode: Step, Continue or Rollback first\n".into(),
                line: None,
                column: None,
            });
            return run;
        }
        if self.step_mode {
            if let Some(paused) = self.pause_flush_call(input) {
                let mut run = self.finish(entry, None, CONSOLE_FILE);
                match paused {
                    Ok(plan) => run.paused = Some(plan),
                    Err(error) => run.error = Some(error),
                }
                return run;
            }
        }
        let result = self.interp.run_console(&self.main, input);
        self.push_app_context();
        let error = result.err().filter(|error| !self.stays_open_at_exit(error));
        self.finish(entry, error, CONSOLE_FILE)
    }

    /// Runs a script statement by statement as console inputs (the runner's `--console`);
    /// returns each statement's first line and result.
    pub fn run_console_script(&mut self, source: &str) -> Vec<(u32, RunResult)> {
        let Ok(steps) = split_console_script(source) else { return vec![(1, self.run_console(source))] };
        self.as_flask_shell();
        // Decided for the whole script, not for its first statement alone.
        self.ensure_prelude(source);
        let mut results = Vec::new();
        for step in steps {
            self.set_line_offset(step.line - 1);
            results.push((step.line, self.run_console_input(&step.code)));
        }
        self.set_line_offset(0);
        results
    }

    /// Runs what follows as `flask shell` does, which imports the models as the module `app`:
    /// warnings from their code and the console's are not `__main__`'s (so DeprecationWarnings,
    /// such as `Query.get()`'s LegacyAPIWarning, are hidden, where `python app.py` shows them).
    fn as_flask_shell(&mut self) {
        bindings::stdlib::warnings_imported_main(&mut self.interp, Some("app"));
    }

    /// Every console input so far, oldest first.
    pub fn transcript(&self) -> &[ConsoleInput] {
        &self.transcript
    }

    /// Starts the transcript from a kept one (the inputs that made the saved databases).
    pub fn restore_transcript(&mut self, inputs: Vec<ConsoleInput>) {
        self.transcript = inputs;
    }

    /// Whether console input is complete, needs more lines, or cannot parse.
    pub fn input_state(&self, input: &str) -> InputState {
        match Interpreter::check_console_input(input) {
            InputStatus::Complete => InputState::Complete,
            InputStatus::Incomplete => InputState::Incomplete,
            InputStatus::Invalid(error) => InputState::Invalid(ErrorView::of(&error, CONSOLE_FILE)),
        }
    }

    /// Completions for the text before the cursor (names, attributes of a value).
    pub fn completions(&mut self, text: &str) -> Vec<String> {
        self.interp.completions(&self.main, text)
    }

    /// Prints SQLAlchemy's echo lines for every statement (the runner's `--echo`).
    pub fn set_echo(&mut self, echo: bool) {
        if let Ok(mut w) = self.world().borrow() {
            w.force_echo = echo;
        }
    }

    /// Things the playground does differently that the user should know (e.g. a PostgreSQL
    /// URI runs on SQLite here), once each.
    pub fn take_notes(&mut self) -> Vec<String> {
        self.world().borrow().map(|mut w| std::mem::take(&mut w.notes)).unwrap_or_default()
    }

    /// The committed state of every file database (`sqlite:///...`), to keep across reloads.
    /// Kept data that could not be read is returned as it was until new data is committed
    /// (creating the tables again is not new data): nothing committed is lost unasked.
    pub fn saved_databases(&mut self) -> HashMap<String, Vec<u8>> {
        let world = self.world();
        let Ok(w) = world.borrow() else { return HashMap::new() };
        let mut saved = w.saved_databases.clone();
        for (engine, url) in w.engine_urls.iter().enumerate() {
            if is_file_database(url) {
                if let Some(db) = w.orm.engines.get(engine) {
                    if !w.unreadable_databases.contains(url) || db.has_committed_data_changes() {
                        saved.insert(url.clone(), db.encode_committed());
                    }
                }
            }
        }
        saved
    }

    fn set_line_offset(&mut self, offset: u32) {
        if let Ok(mut w) = self.world().borrow() {
            w.line_offset = offset;
        }
    }

    /// `flask shell` has an app context from the start: here, from when `app` exists.
    fn push_app_context(&mut self) {
        if let Some(app) = self.main.get("app") {
            bindings::web::ensure_app_context(&mut self.interp, &app);
        }
    }

    /// Collects what a run printed and logged.
    /// `exit()`, `quit()` or `sys.exit()` at the console: `flask shell` would end, losing the
    /// session; the playground's console has nowhere to exit to, so it says so and stays,
    /// the session and its data as they were.
    fn stays_open_at_exit(&mut self, error: &ScriptError) -> bool {
        if error.type_name() != "SystemExit" {
            return false;
        }
        self.interp.write_output(CONSOLE_STAYS_OPEN);
        true
    }

    fn finish(&mut self, entry: u32, error: Option<ScriptError>, file: &str) -> RunResult {
        let output = self.interp.take_output();
        let events = self.new_events(entry);
        RunResult { entry, output, error: error.map(|e| ErrorView::of(&e, file)), events, paused: None }
    }
}

/// `sqlite:///site.db` names a file that outlives the process; `sqlite://` is in memory.
pub fn is_file_database(url: &str) -> bool {
    url.strip_prefix("sqlite:///").is_some_and(|path| !path.is_empty() && path != ":memory:")
}

/// Cuts a console script into its inputs: each top-level statement (a block with its body)
/// with the comment lines right above it. A script that does not parse is an error.
pub fn split_console_script(source: &str) -> Result<Vec<ScriptStep>, ErrorView> {
    let module = crate::script::parser::parse_module(source, CONSOLE_FILE).map_err(|error| {
        ErrorView::of(&ScriptError::from_syntax(*error), CONSOLE_FILE)
    })?;
    let lines: Vec<&str> = source.lines().collect();
    let mut steps = Vec::new();
    let mut previous_end = 0;
    for stmt in &module.body {
        let start = (stmt.span.start.line as usize).max(1);
        // Statements that share a line (`import pdb; pdb.set_trace()`) are one input, as typed.
        if start <= previous_end {
            continue;
        }
        let mut end = (stmt.span.end.line as usize).max(start);
        // A block's span ends at column 0 of the line after its body.
        if stmt.span.end.col == 0 && end > start {
            end -= 1;
        }
        // A block's span runs up to the next statement: the blank and comment lines at its end
        // belong to what follows.
        let mut code_lines = lines.get(start - 1..end.min(lines.len())).unwrap_or(&[]);
        while let [rest @ .., last] = code_lines {
            if rest.is_empty() || !(last.trim().is_empty() || last.trim_start().starts_with('#')) {
                break;
            }
            code_lines = rest;
            end -= 1;
        }
        let code = code_lines.join("\n");
        // The comments that directly precede the statement (no blank line between).
        let above = lines.get(previous_end..start - 1).unwrap_or(&[]);
        let comment: Vec<&str> = above
            .iter()
            .rev()
            .map(|line| line.trim())
            .take_while(|line| line.starts_with('#'))
            .map(|line| line.trim_start_matches('#').trim())
            .collect();
        let comment = comment.into_iter().rev().collect::<Vec<_>>().join("\n");
        steps.push(ScriptStep { line: start as u32, code: format!("{code}\n"), comment });
        previous_end = end;
    }
    Ok(steps)
}

/// Whether bytes kept as a database's committed state (`saved_databases`) can be read back;
/// the error says what is wrong with them.
pub fn check_saved_database(bytes: &[u8]) -> Result<(), String> {
    crate::db::snapshot::decode(bytes).map(|_| ()).map_err(|error| error.to_string())
}

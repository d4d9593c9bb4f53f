//! The façade the web app (and the native runner) use: one `Playground` runs Python the way
//! the playground's console and models editor do, and hands back plain data — printed output,
//! errors — while the engine underneath (interpreter, ORM, database) stays behind it.

use std::rc::Rc;

use crate::bindings::{self, sqlalchemy::world::World};
use crate::script::{Interpreter, Module, ScriptError};

/// What one run printed, and how it failed if it did.
#[derive(Debug, Default)]
pub struct RunOutput {
    pub stdout: String,
    pub error: Option<ScriptError>,
}

pub struct Playground {
    interp: Interpreter,
    main: Rc<Module>,
}

impl Default for Playground {
    fn default() -> Self {
        Playground::new()
    }
}

impl Playground {
    pub fn new() -> Playground {
        let mut interp = Interpreter::new();
        bindings::install(&mut interp);
        let main = interp.new_module("__main__", "app.py");
        // The console's names are importable as the module `app`, as with `flask shell`.
        interp.register_module_object("app", main.clone());
        Playground { interp, main }
    }

    pub fn world(&mut self) -> World {
        World::of(&mut self.interp)
    }

    pub fn interpreter(&mut self) -> &mut Interpreter {
        &mut self.interp
    }

    /// Runs a whole script, as `python app.py` would.
    pub fn run_script(&mut self, source: &str) -> RunOutput {
        let result = self.interp.run_module(&self.main, source);
        RunOutput { stdout: self.interp.take_output(), error: result.err() }
    }

    /// Runs one console input (a statement or block), as typed into `flask shell`: an
    /// expression's value is printed, and an app context is pushed once `app` exists.
    pub fn run_console(&mut self, input: &str) -> RunOutput {
        let result = self.interp.run_console(&self.main, input);
        self.push_app_context();
        RunOutput { stdout: self.interp.take_output(), error: result.err() }
    }

    /// Runs a script statement by statement as console inputs; returns each statement's first
    /// line and output.
    pub fn run_console_script(&mut self, source: &str) -> Vec<(u32, RunOutput)> {
        let module = match crate::script::parser::parse_module(source, "<console>") {
            Ok(module) => module,
            Err(_) => return vec![(1, self.run_console(source))],
        };
        let lines: Vec<&str> = source.lines().collect();
        let mut outputs = Vec::new();
        for stmt in &module.body {
            let start = stmt.span.start.line as usize;
            let mut end = (stmt.span.end.line as usize).max(start);
            if stmt.span.end.col == 0 && end > start {
                end -= 1;
            }
            let chunk = lines.get(start.saturating_sub(1)..end.min(lines.len())).unwrap_or(&[]).join("\n");
            self.set_line_offset(start as u32 - 1);
            outputs.push((start as u32, self.run_console(&format!("{chunk}\n"))));
        }
        self.set_line_offset(0);
        outputs
    }

    /// Where the input being run starts in the user's script (for the SQL log's line numbers).
    fn set_line_offset(&mut self, offset: u32) {
        if let Ok(mut w) = self.world().borrow() {
            w.line_offset = offset;
        }
    }

    /// Prints every statement's echo lines to the output as they run, whatever the engine's
    /// `echo` setting (the runner's `--echo`).
    pub fn set_echo(&mut self, echo: bool) {
        if let Ok(mut w) = self.world().borrow() {
            w.force_echo = echo;
        }
    }

    /// Every database event so far, one JSON object per line: `{"event": "begin" | "commit" |
    /// "rollback" | "sql" | ..., "echo": ..., "params": ..., "executed": ..., "line": N}`.
    pub fn sql_log_json(&mut self) -> String {
        let world = self.world();
        let Ok(w) = world.borrow() else { return String::new() };
        let mut out = String::new();
        for db in &w.orm.engines {
            for event in db.events_since(0) {
                let kind = match event.kind {
                    crate::db::EventKind::Begin => "begin",
                    crate::db::EventKind::Commit => "commit",
                    crate::db::EventKind::Rollback => "rollback",
                    crate::db::EventKind::Savepoint => "savepoint",
                    crate::db::EventKind::ReleaseSavepoint => "release_savepoint",
                    crate::db::EventKind::RollbackToSavepoint => "rollback_to_savepoint",
                    _ => "sql",
                };
                let record = serde_json::json!({
                    "event": kind,
                    "echo": event.echo_sql,
                    "params": event.echo_params,
                    "executed": event.glue_sql.as_deref(),
                    "line": event.origin.line,
                });
                out.push_str(&record.to_string());
                out.push('\n');
            }
        }
        out
    }

    /// `flask shell` has an app context from the start: here, from when `app` exists.
    fn push_app_context(&mut self) {
        if let Some(app) = self.main.get("app") {
            bindings::web::ensure_app_context(&mut self.interp, &app);
        }
    }
}

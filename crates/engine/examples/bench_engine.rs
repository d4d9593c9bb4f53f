//! The bench's native half (`make bench` runs it; run it with `--release`):
//!
//!     bench_engine [--runs N] [--replay] [--snapshot FILE] SCRIPT.py
//!
//! Runs a timed workload script (bench/workload.py, bench/scale.py) through the playground
//! natively, N times in fresh playgrounds, and reads the per-step times the script prints
//! itself (`name 12.3 ms` lines, from its own `time.perf_counter()` calls). With `--replay`
//! it also takes the statements GlueSQL ran in the last run (the façade's events carry the
//! exact GlueSQL text; a batch's rows share one statement, replayed once) and runs them
//! again, timed per step, directly on GlueSQL's own `MemoryStorage` (which has no indexes)
//! and on the playground's storage through `Database::execute_sql` (with the tables and
//! indexes the models declared, as the ORM had them): what the interpreter and the ORM cost
//! over the SQL they send.
//!
//! A step is the code between `t0 = time.perf_counter()` and `t['name'] = ...`; events are
//! assigned to steps by the script line that caused them. Prints one JSON object.
//! `--snapshot FILE` also writes the committed database the script ended with, as the
//! browser keeps it (the snapshot fuzz target's seeds are made so).

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use gluesql::gluesql_memory_storage::MemoryStorage;
use gluesql::prelude::Glue;
use serde_json::{json, Map, Value};
use sqla_engine::db::Database;
use sqla_engine::playground::events::SqlEventKind;
use sqla_engine::playground::{Playground, SqlEvent};

/// A timed step of the script: its name and the lines it spans.
struct Step {
    name: String,
    lines: std::ops::RangeInclusive<u32>,
}

/// Steps as the bench scripts mark them: `t0 = time.perf_counter()` opens one,
/// `t['name'] = time.perf_counter() - t0` closes it.
fn steps_of(source: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut open = None;
    for (index, line) in source.lines().enumerate() {
        let number = index as u32 + 1;
        let code = line.trim();
        if code.starts_with("t0 = time.perf_counter()") {
            open = Some(number);
        } else if let (Some(start), Some(rest)) = (open, code.strip_prefix("t['")) {
            if let Some((name, _)) = rest.split_once("']") {
                steps.push(Step { name: name.to_string(), lines: start..=number });
                open = None;
            }
        }
    }
    steps
}

/// The `name 12.3 ms` lines a bench script prints.
fn printed_times(output: &str) -> BTreeMap<String, f64> {
    output
        .lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once(' ')?;
            Some((name.to_string(), rest.strip_suffix(" ms")?.parse().ok()?))
        })
        .collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One statement to replay: the step it belongs to and the GlueSQL text (None for
/// transaction boundaries, which only the playground's storage replays).
struct Replayed {
    step: Option<usize>,
    kind: SqlEventKind,
    sql: Option<Arc<str>>,
}

fn replay_list(events: &[SqlEvent], steps: &[Step]) -> Vec<Replayed> {
    events
        .iter()
        // The rows of one batch carry the one statement GlueSQL ran for all of them.
        .filter(|event| event.batch.is_none_or(|(_, position, _)| position == 1))
        .filter(|event| event.executed.is_some() || matches!(event.kind, SqlEventKind::Begin | SqlEventKind::Commit | SqlEventKind::Rollback))
        .map(|event| Replayed {
            step: event.line.and_then(|line| steps.iter().position(|step| step.lines.contains(&line))),
            kind: event.kind,
            sql: event.executed.clone(),
        })
        .collect()
}

/// Per-step milliseconds and failures of running the statements on one target.
#[derive(Default)]
struct ReplayTimes {
    ms: Vec<f64>,
    statements: Vec<usize>,
    failures: Vec<String>,
}

impl ReplayTimes {
    fn new(steps: usize) -> Self {
        ReplayTimes { ms: vec![0.0; steps], statements: vec![0; steps], failures: Vec::new() }
    }

    fn record(&mut self, step: Option<usize>, started: Instant) {
        if let Some(step) = step {
            if let (Some(ms), Some(count)) = (self.ms.get_mut(step), self.statements.get_mut(step)) {
                *ms += started.elapsed().as_secs_f64() * 1000.0;
                *count += 1;
            }
        }
    }
}

fn replay_on_memory_storage(list: &[Replayed], steps: usize) -> ReplayTimes {
    let mut times = ReplayTimes::new(steps);
    // MemoryStorage has no transactions (it rejects BEGIN): only the statements run.
    let mut glue = Glue::new(MemoryStorage::default());
    for statement in list {
        let Some(sql) = &statement.sql else { continue };
        let started = Instant::now();
        if let Err(error) = glue.execute(&**sql) {
            times.failures.push(format!("{error} in {}", abbreviated(sql)));
        }
        times.record(statement.step, started);
    }
    times
}

/// `schema`: a snapshot of the database the script ended with. GlueSQL's CREATE TABLE text
/// leaves out what the db layer enforces itself (UNIQUE and its index), so the tables come
/// from the snapshot, emptied, instead of from that text.
fn replay_on_playground_storage(list: &[Replayed], steps: usize, schema: &[u8]) -> ReplayTimes {
    let mut times = ReplayTimes::new(steps);
    let mut db = Database::new();
    if let Err(error) = db.restore(schema) {
        times.failures.push(format!("the tables could not be set up: {error}"));
        return times;
    }
    for table in db.table_views() {
        if let Err(error) = db.execute_sql(&format!("DELETE FROM \"{}\"", table.name.replace('"', "\"\"")), &[]) {
            times.failures.push(format!("emptying {}: {}", table.name, error.message));
        }
    }
    db.commit();
    for statement in list.iter().filter(|statement| statement.kind != SqlEventKind::Ddl) {
        let started = Instant::now();
        match (&statement.sql, statement.kind) {
            (Some(sql), _) => {
                if let Err(error) = db.execute_sql(sql, &[]) {
                    times.failures.push(format!("{} in {}", error.message, abbreviated(sql)));
                }
            }
            (None, SqlEventKind::Begin) => db.begin(),
            (None, SqlEventKind::Commit) => db.commit(),
            (None, _) => db.rollback(),
        }
        times.record(statement.step, started);
    }
    times
}

fn abbreviated(sql: &str) -> String {
    let head: String = sql.chars().take(120).collect();
    if head.len() < sql.len() { format!("{head}…") } else { head }
}

fn per_step(steps: &[Step], values: impl Fn(usize) -> Value) -> Value {
    Value::Object(steps.iter().enumerate().map(|(index, step)| (step.name.clone(), values(index))).collect::<Map<_, _>>())
}

fn main() -> ExitCode {
    let mut runs = 3;
    let mut replay = false;
    let mut snapshot = None;
    let mut script = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            "--replay" => replay = true,
            "--snapshot" => snapshot = args.next(),
            path => script = Some(path.to_string()),
        }
    }
    let (Some(path), 1..) = (script, runs) else {
        eprintln!("usage: bench_engine [--runs N] [--replay] [--snapshot FILE] SCRIPT.py");
        return ExitCode::from(2);
    };
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("bench_engine: can't read {path}: {error}");
            return ExitCode::from(2);
        }
    };
    let steps = steps_of(&source);

    let mut samples: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut last_events = Vec::new();
    let mut last_database = Vec::new();
    let mut output = String::new();
    for _ in 0..runs {
        let mut playground = Playground::new();
        let result = playground.run_script(&source);
        if let Some(error) = result.error {
            eprint!("bench_engine: {path} failed natively:\n{}", error.traceback);
            return ExitCode::FAILURE;
        }
        for (name, ms) in printed_times(&result.output) {
            samples.entry(name).or_default().push(ms);
        }
        output = result.output;
        last_events = result.events;
        // The script's one database (a bench script creates exactly one app).
        last_database = playground.world().borrow().ok().and_then(|w| w.orm.engines.last().map(Database::encode_committed)).unwrap_or_default();
    }
    let orm: Map<String, Value> = samples.into_iter().map(|(name, mut values)| (name, json!(median(&mut values)))).collect();
    let mut report = json!({
        "script": path,
        "runs": runs,
        "output": output.lines().next().unwrap_or(""),
        "orm_ms": orm,
        "events": last_events.len(),
    });

    if replay {
        let list = replay_list(&last_events, &steps);
        let memory = replay_on_memory_storage(&list, steps.len());
        let storage = replay_on_playground_storage(&list, steps.len(), &last_database);
        report["statements"] = per_step(&steps, |i| json!(storage.statements.get(i)));
        report["glue_memory_storage_ms"] = per_step(&steps, |i| json!(memory.ms.get(i)));
        report["glue_playground_storage_ms"] = per_step(&steps, |i| json!(storage.ms.get(i)));
        report["replay_failures"] = json!({ "memory_storage": memory.failures, "playground_storage": storage.failures });
    }
    if let Some(file) = snapshot {
        if let Err(error) = std::fs::write(&file, &last_database) {
            eprintln!("bench_engine: can't write {file}: {error}");
            return ExitCode::from(2);
        }
    }
    println!("{report}");
    ExitCode::SUCCESS
}

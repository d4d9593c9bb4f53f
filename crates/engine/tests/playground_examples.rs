//! The examples the app offers (examples/scenarios/*: models.py, console.py, and the
//! transcript the REAL Flask-SQLAlchemy printed for them, written by examples/transcribe.py):
//! each one's models apply without error, and its console lines, run one by one as the app's
//! "Run next line" runs them, print exactly what the transcript says (errors only where the
//! example is about one).

use std::fs;
use std::path::{Path, PathBuf};

use sqla_engine::playground::{split_console_script, Playground};

fn scenarios() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let mut found: Vec<PathBuf> = fs::read_dir(&root).expect("examples/scenarios exists").map(|entry| entry.expect("readable").path()).filter(|path| path.is_dir()).collect();
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The console as transcribe.py writes it: the input with prompts, its output, `!! Type:
/// first line of the message` if it raised.
fn transcript(directory: &Path) -> String {
    let mut playground = Playground::new();
    let applied = playground.apply_models(&read(&directory.join("models.py")), false);
    if let Some(error) = applied.run.error {
        return format!("the models failed:\n{}", error.traceback);
    }
    let steps = match split_console_script(&read(&directory.join("console.py"))) {
        Ok(steps) => steps,
        Err(error) => return format!("the console script does not parse:\n{}", error.traceback),
    };
    let mut out = String::new();
    for step in steps {
        for (index, line) in step.code.trim_end().split('\n').enumerate() {
            out.push_str(if index == 0 { ">>> " } else { "... " });
            out.push_str(line);
            out.push('\n');
        }
        let run = playground.run_console(&step.code);
        out.push_str(&run.output);
        if let Some(error) = run.error {
            // `type(error).__name__`: the class name without its module.
            let name = error.type_name.rsplit('.').next().unwrap_or(&error.type_name);
            match error.message.lines().next() {
                Some(first) if !first.is_empty() => out.push_str(&format!("!! {name}: {first}\n")),
                _ => out.push_str(&format!("!! {name}\n")),
            }
        }
    }
    out
}

#[test]
fn there_is_an_example_per_tutorial_topic() {
    let names: Vec<String> = scenarios().iter().filter_map(|path| path.file_name()?.to_str().map(str::to_owned)).collect();
    assert_eq!(names.len(), 13, "{names:?}");
}

#[test]
fn every_example_prints_what_the_real_libraries_print() {
    let mut differences = Vec::new();
    for directory in scenarios() {
        let expected = read(&directory.join("transcript.txt"));
        let actual = transcript(&directory);
        if actual != expected {
            differences.push(format!("== {}\n-- expected (real Flask-SQLAlchemy)\n{expected}-- the playground printed\n{actual}", directory.display()));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn only_the_error_examples_show_errors() {
    for directory in scenarios() {
        let errors = read(&directory.join("transcript.txt")).lines().filter(|line| line.starts_with("!! ")).count();
        let about_errors = directory.ends_with("10-integrity-errors");
        assert_eq!(errors > 0, about_errors, "{}: {errors} errors", directory.display());
    }
}

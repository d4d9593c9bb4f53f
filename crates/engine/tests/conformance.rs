//! Runs each scenario of tests/conformance/ with the native runner the way the playground's
//! console runs it (`sqla-run --console --sql-log`) and
//! compares what a user sees with what the real Flask-SQLAlchemy / SQLAlchemy / SQLite
//! printed for the same script (the `.out` files, recorded by
//! tools/reference/sqla_reference.py): printed output exactly, the exception each failing
//! statement raised, and the kind, table and order of the SQL statements sent.

use std::path::{Path, PathBuf};


struct Expected {
    stdout: String,
    exceptions: Vec<String>,
    statements: Vec<(Option<u32>, String)>,
}

fn section<'a>(text: &'a str, name: &str) -> &'a str {
    let start = text.find(&format!("--- {name}\n")).map(|i| i + name.len() + 5).unwrap_or(text.len());
    let rest = &text[start..];
    if rest.starts_with("--- ") {
        return "";
    }
    let end = rest.find("\n--- ").map(|i| i + 1).unwrap_or(rest.len());
    &rest[..end]
}

/// The exception part of each traceback (what follows its last frame line).
fn exceptions(stderr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_exception = false;
    for line in stderr.lines() {
        if line.starts_with("Traceback (most recent call last):") {
            if in_exception && !current.is_empty() {
                out.push(current.join("\n"));
            }
            current.clear();
            in_exception = false;
            continue;
        }
        if line.starts_with("  ") {
            current.clear();
            in_exception = false;
            continue;
        }
        if line.starts_with("During handling") || line.starts_with("The above exception") {
            // What came before the marker was the cause (with or without a traceback of its
            // own: CPython prints a frameless cause without the header).
            out.pop();
            current.clear();
            in_exception = false;
            continue;
        }
        if line.is_empty() {
            if in_exception {
                out.push(current.join("\n"));
                current.clear();
                in_exception = false;
            }
            continue;
        }
        if in_exception && starts_exception(line) {
            // A frameless cause printed right after the previous traceback's last line.
            out.push(current.join("\n"));
            current.clear();
        }
        in_exception = true;
        current.push(line);
    }
    if in_exception && !current.is_empty() {
        out.push(current.join("\n"));
    }
    // A chained traceback's cause is followed by the exception actually raised: only the last
    // exception of each chain is kept (causes were popped at the chain markers above).
    out.into_iter().map(|e| e.trim_end().to_string()).collect()
}

/// Whether a line is the `module.ClassName: message` line that starts a printed exception.
fn starts_exception(line: &str) -> bool {
    let name = line.split(':').next().unwrap_or_default();
    let last = name.rsplit('.').next().unwrap_or_default();
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && ["Error", "Exception", "Warning", "Found", "Exit", "Iteration"].iter().any(|suffix| last.ends_with(suffix))
}

/// SQL statements (not their parameter lines) with the script line that sent them.
fn statements(sql: &str) -> Vec<(Option<u32>, String)> {
    let mut out: Vec<(Option<u32>, String)> = Vec::new();
    for line in sql.lines() {
        let (prefix, text) = line.split_once('\t').unwrap_or(("", line));
        if prefix == " " {
            if let Some(last) = out.last_mut() {
                last.1.push('\n');
                last.1.push_str(text);
            }
            continue;
        }
        if text.starts_with('[') {
            continue;
        }
        out.push((prefix.parse().ok(), text.to_string()));
    }
    out.into_iter().map(|(l, t)| (l, t.trim().to_string())).filter(|(_, t)| !t.is_empty()).collect()
}

/// `INSERT user`, `SELECT user`, `BEGIN`: what a statement does and to which table.
fn shape(statement: &str) -> String {
    let words: Vec<&str> = statement.split_whitespace().collect();
    let first = words.first().copied().unwrap_or("");
    let after = |keyword: &str| words.iter().position(|w| w.eq_ignore_ascii_case(keyword)).and_then(|i| words.get(i + 1)).copied().unwrap_or("");
    let table = match first {
        "INSERT" => after("INTO"),
        "UPDATE" => words.get(1).copied().unwrap_or(""),
        "DELETE" | "SELECT" => after("FROM"),
        "CREATE" => after("TABLE"),
        "DROP" => after("TABLE"),
        "PRAGMA" => words.get(1).copied().unwrap_or(""),
        _ => "",
    };
    format!("{first} {}", table.trim_matches(|c| c == '"' || c == '(' || c == ','))
}

fn expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path.with_extension("out")).expect("expected output file");
    Expected {
        stdout: normalise(section(&text, "stdout")),
        exceptions: exceptions(&normalise(section(&text, "stderr"))),
        statements: statements(section(&text, "sql")),
    }
}

/// Object ids, addresses and log times differ between runs: compare them as placeholders.
fn normalise(text: &str) -> String {
    let stamped = log_times(text);
    let mut out = String::with_capacity(stamped.len());
    let mut rest = stamped.as_str();
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        let digits = tail.chars().take_while(|c| c.is_ascii_hexdigit()).count();
        out.push_str(if digits >= 6 { "0x..." } else { &rest[i..i + 2 + digits] });
        rest = &tail[digits..];
    }
    out.push_str(rest);
    for state in ["transient", "pending"] {
        let marker = format!("({state} ");
        let mut result = String::new();
        let mut rest = out.as_str();
        while let Some(i) = rest.find(&marker) {
            result.push_str(&rest[..i + marker.len()]);
            let tail = &rest[i + marker.len()..];
            let digits = tail.chars().take_while(|c| c.is_ascii_digit()).count();
            result.push_str(if digits > 0 { "..." } else { "" });
            rest = &tail[digits..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

/// Log times and SQLAlchemy's timings as the reference recorder writes them:
/// `2026-11-26 12:23:07,460 INFO ...` → `TIME INFO ...`, `[generated in 0.00012s]` →
/// `[generated in X]`.
fn log_times(text: &str) -> String {
    text.lines()
        .map(|line| {
            let stamp = line.get(..24).filter(|s| s.len() == 24 && s.as_bytes()[4] == b'-' && s.as_bytes()[19] == b',' && s.as_bytes()[23] == b' ');
            let line = match stamp {
                Some(_) => format!("TIME {}", &line[24..]),
                None => line.to_string(),
            };
            let mut line = timing(&line, "[generated in ");
            line = timing(&line, "[cached since ");
            line = timing(&line, "[no key ");
            line + "\n"
        })
        .collect()
}

/// Replaces the seconds after `marker` (`0.00012s`) with `X`.
fn timing(line: &str, marker: &str) -> String {
    let Some(start) = line.find(marker) else { return line.to_string() };
    let after = &line[start + marker.len()..];
    let digits = after.chars().take_while(|c| c.is_ascii_digit() || *c == '.').count();
    if digits == 0 || !after[digits..].starts_with('s') {
        return line.to_string();
    }
    format!("{}{marker}X{}", &line[..start], &after[digits + 1..])
}

struct Actual {
    stdout: String,
    exceptions: Vec<String>,
    statements: Vec<(Option<u32>, String)>,
    /// The run in the `.out` format, for reading a failure side by side with the reference.
    transcript: String,
}

/// Runs a scenario with the native runner, as `make run ARGS=--console` does: stdout, stderr
/// and the `--sql-log` JSON lines.
fn run(path: &Path, name: &str) -> Actual {
    let log_path = std::env::temp_dir().join(format!("conformance-{name}-{}.jsonl", std::process::id()));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sqla-run"))
        .arg("--console")
        // The reference tool ignores warnings; so does this run.
        .arg("-W")
        .arg("ignore")
        .arg("--sql-log")
        .arg(&log_path)
        .arg(path)
        .output()
        .expect("the runner starts");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let log = std::fs::read_to_string(&log_path).expect("the runner writes its SQL log");
    let _ = std::fs::remove_file(&log_path);
    let mut sql = Vec::new();
    let mut transcript = format!("--- stdout\n{stdout}--- stderr\n{stderr}--- sql\n");
    for record in log.lines() {
        let event: serde_json::Value = serde_json::from_str(record).expect("one JSON object per line");
        let line = event["line"].as_u64().map(|l| l as u32);
        let echo = event["echo"].as_str().unwrap_or_default();
        sql.push((line, echo.trim().to_string()));
        let shown = line.map(|l| l.to_string()).unwrap_or("-".into());
        for (i, text) in echo.lines().chain(std::iter::once(event["params"].to_string().as_str())).enumerate() {
            transcript.push_str(&format!("{}\t{text}\n", if i == 0 { shown.as_str() } else { " " }));
        }
    }
    Actual { stdout: normalise(&stdout), exceptions: exceptions(&normalise(&stderr)), statements: sql, transcript }
}

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("conformance directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    paths
}

/// A readable report of the first difference in a list.
fn first_difference<T: PartialEq + std::fmt::Debug>(expected: &[T], actual: &[T]) -> Option<String> {
    for i in 0..expected.len().max(actual.len()) {
        if expected.get(i) != actual.get(i) {
            return Some(format!("#{i}: expected {:?}\n      got {:?}", expected.get(i), actual.get(i)));
        }
    }
    None
}

#[test]
fn scenarios_match_the_real_libraries() {
    let only = std::env::var("SCENARIO").ok();
    let mut failures = Vec::new();
    for path in scenarios() {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        let expected = expected(&path);
        let actual = run(&path, &name);
        let mut problems = Vec::new();
        if expected.stdout != actual.stdout {
            let e: Vec<&str> = expected.stdout.lines().collect();
            let a: Vec<&str> = actual.stdout.lines().collect();
            problems.push(format!("stdout differs: {}", first_difference(&e, &a).unwrap_or_default()));
        }
        if expected.exceptions != actual.exceptions {
            problems.push(format!("exceptions differ: {}", first_difference(&expected.exceptions, &actual.exceptions).unwrap_or_default()));
        }
        let e: Vec<String> = expected.statements.iter().map(|(_, s)| shape(s)).collect();
        let a: Vec<String> = actual.statements.iter().map(|(_, s)| shape(s)).collect();
        if e != a {
            problems.push(format!("statements differ: {}", first_difference(&e, &a).unwrap_or_default()));
        }
        // Every run's transcript, to read side by side with the `.out` reference.
        let dump = std::env::temp_dir().join(format!("conformance-{name}.actual"));
        let _ = std::fs::write(&dump, &actual.transcript);
        if !problems.is_empty() {
            failures.push(format!("== {name} (this run: {})\n{}", dump.display(), problems.join("\n")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

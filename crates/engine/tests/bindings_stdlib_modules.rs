//! The standard modules added for learners' scripts (uuid, sys, string, random, itertools,
//! collections, re) where CPython's output cannot be recorded once and for all (entropy, the
//! playground's own limits and refusals) or where they meet the ORM and the console. What CPython
//! prints for them is checked by tests/fixtures/bindings/stdlib/*_basics.py.

use sqla_engine::playground::Playground;

/// Runs `source` as a script; its output and the last line of its traceback, if any.
fn script(source: &str) -> (String, Option<String>) {
    let run = Playground::new().run_script(source);
    (run.output, run.error.map(|e| e.traceback.lines().last().unwrap_or_default().to_owned()))
}

fn output(source: &str) -> String {
    let (output, error) = script(source);
    assert_eq!(error, None, "{source}");
    output
}

#[test]
fn uuid4_draws_from_the_host_and_fills_a_string_primary_key() {
    let models = "import uuid\nclass Token(db.Model):\n    id = db.Column(db.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))\n    \
                  owner = db.Column(db.String(20))\n";
    let mut playground = Playground::new();
    assert_eq!(playground.apply_models(models, false).run.error.map(|e| e.traceback), None);
    let run = playground.run_console(
        "db.session.add_all([Token(owner='a'), Token(owner='b')]); db.session.commit()\n\
         ids = [t.id for t in Token.query.all()]\n\
         print(len(ids), ids[0] != ids[1], all(uuid.UUID(i).version == 4 for i in ids), Token.query.get(ids[0]).owner in 'ab')",
    );
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(run.output, "2 True True True\n");
}

#[test]
fn a_uuid_int_beyond_64_bits_says_the_playground_cannot_hold_it() {
    assert_eq!(output("import uuid\nprint(uuid.UUID(int=2**62).int)\n"), "4611686018427387904\n");
    let (_, error) = script("import uuid\nuuid.UUID('ffffffff-ffff-4fff-bfff-ffffffffffff').int\n");
    assert_eq!(error.as_deref(), Some("OverflowError: integer result does not fit in 64 bits (the playground's integers are 64-bit)"));
}

#[test]
fn unseeded_random_differs_between_runs_and_seeded_random_does_not() {
    let draw = "import random\nprint([random.randint(1, 10**9) for _ in range(3)])\n";
    assert_ne!(output(draw), output(draw));
    let seeded = "import random\nrandom.seed('fixed')\nprint(random.random())\n";
    assert_eq!(output(seeded), output(seeded));
    let (_, error) = script("import random\nrandom.seed(1.5)\n");
    assert_eq!(error.as_deref(), Some("NotImplementedError: random.seed() of a float is not supported in the playground; use an int or a str"));
}

#[test]
fn endless_iterators_end_at_the_instruction_budget() {
    let budget = Some("ExecutionLimitExceeded: the script ran for more than 10000000 steps (infinite loop?)".to_owned());
    assert_eq!(script("import itertools\nfor n in itertools.count():\n    pass\n").1, budget);
    let (_, error) = script("import itertools\nlist(itertools.cycle([1]))\n");
    assert!(error == budget || error.as_deref() == Some("MemoryError"), "{error:?}");
    let (_, error) = script("import itertools\nlist(itertools.product(range(1000), repeat=4))\n");
    assert_eq!(error.as_deref(), Some("MemoryError"));
}

#[test]
fn regular_expressions_the_engine_cannot_run_are_refused_by_name() {
    for (pattern, construct) in [
        (r"(\w)\1", "the backreference \\1"),
        (r"(?P<a>x)(?P=a)", "the named backreference (?P=name)"),
        (r"foo(?=bar)", "the lookahead assertion (?=...)"),
        (r"foo(?!bar)", "the lookahead assertion (?!...)"),
        (r"(?<=@)\w+", "the lookbehind assertion (?<=...)"),
        (r"(?<!x)y", "the lookbehind assertion (?<!...)"),
    ] {
        let (_, error) = script(&format!("import re\nre.compile(r'{pattern}')\n"));
        assert_eq!(error, Some(format!("NotImplementedError: {construct} is not supported by the playground's re (Rust's regex engine has no backtracking)")), "{pattern}");
    }
    let (_, error) = script("import re\nre.compile('(unclosed')\n");
    assert!(error.as_deref().is_some_and(|e| e.starts_with("re.error: ") && e.ends_with("in pattern '(unclosed'")), "{error:?}");
    // Escaped and in-class look-alikes are plain characters.
    assert_eq!(output("import re\nprint(re.findall(r'\\(\\?=', 'a(?=b'), re.findall(r'[(?=]+', 'a(?=b'))\n"), "['(?='] ['(?=']\n");
}

/// A model checking its email with `re.match` (`@validates` is not in the playground's ORM
/// yet; the check runs from `__init__`).
#[test]
fn a_model_checks_an_email_with_re_match() {
    let models = "import re\nEMAIL = re.compile(r'^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$', re.I)\nclass User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    \
                  email = db.Column(db.String(120))\n    def __init__(self, email):\n        \
                  if not EMAIL.match(email):\n            raise ValueError(f'invalid email: {email!r}')\n        self.email = email.lower()\n";
    let mut playground = Playground::new();
    assert_eq!(playground.apply_models(models, false).run.error.map(|e| e.traceback), None);
    assert_eq!(playground.run_console("User('Ann@Example.COM').email").output, "'ann@example.com'\n");
    let refused = playground.run_console("User('nope')");
    assert_eq!(refused.error.map(|e| e.traceback.lines().last().unwrap_or_default().to_owned()).as_deref(), Some("ValueError: invalid email: 'nope'"));
}

#[test]
fn stderr_and_stdout_share_the_console_output_in_order() {
    let mut playground = Playground::new();
    playground.run_console("import sys");
    let run = playground.run_console("print('one'); n = sys.stderr.write('two\\n'); print('three', file=sys.stderr)");
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(run.output, "one\ntwo\nthree\n");
    // As at Python's prompt, the console echoes what write() returns.
    assert_eq!(playground.run_console("sys.stdout.write('four\\n')").output, "four\n5\n");
    // The console does not end at sys.exit(): it says so (playground_models.rs has the rest).
    let exited = playground.run_console("sys.exit(2)");
    assert_eq!((exited.output.as_str(), exited.error.is_none()), (sqla_engine::playground::CONSOLE_STAYS_OPEN, true));
    let (_, error) = script("print('x', file=42)\n");
    assert_eq!(error.as_deref(), Some("AttributeError: 'int' object has no attribute 'write'"));
}

#[test]
fn sys_describes_the_playground() {
    assert_eq!(
        output("import sys\nprint(sys.platform, sys.argv, sys.path, sys.version_info)\n"),
        "emscripten ['app.py'] ['/playground'] sys.version_info(major=3, minor=11, micro=7, releaselevel='final', serial=0)\n"
    );
}

/// `sqla-run app.py` ends at `sys.exit()` as `python app.py` does: quietly with the status, or
/// printing a message and exiting with 1.
#[test]
fn the_runner_exits_with_sys_exit_s_status() {
    let dir = std::env::temp_dir().join(format!("sqla-run-exit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    for (code, status, stderr) in [("sys.exit(3)", 3, ""), ("sys.exit()", 0, ""), ("sys.exit('bye')", 1, "bye\n")] {
        let script = dir.join("app.py");
        std::fs::write(&script, format!("import sys\nprint('before')\n{code}\nprint('after')\n")).expect("writable");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_sqla-run")).arg(&script).output().expect("sqla-run runs");
        assert_eq!(String::from_utf8_lossy(&run.stdout), "before\n", "{code}");
        assert_eq!(String::from_utf8_lossy(&run.stderr), stderr, "{code}");
        assert_eq!(run.status.code(), Some(status), "{code}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

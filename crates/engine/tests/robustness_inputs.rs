//! Every input path of the façade — console, script, models, the console's completeness
//! check, completion, live SQL preview, the editor's highlighting — with malformed code,
//! huge input, deep nesting, unicode and NUL bytes: a clear, positioned error (or a result),
//! never a panic, and the playground answers the next command.
//!
//! Each case runs on a thread with the browser's 1 MiB stack (wasm32's default), so that
//! unbounded recursion shows up here as it would in the page.

use sqla_engine::playground::{ErrorView, InputState, Playground};
use sqla_engine::script::highlight::highlight;

const BROWSER_STACK: usize = 1 << 20;

/// Runs `work` on a thread with the browser's stack; a panic fails the test with its message.
fn on_browser_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(BROWSER_STACK).spawn(work).expect("spawn a test thread");
    match thread.join() {
        Ok(value) => value,
        Err(panic) => {
            let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!("the engine panicked: {}", message.unwrap_or_default())
        }
    }
}

/// The playground still works: a console command runs and prints its value.
fn assert_answers(playground: &mut Playground) {
    let run = playground.run_console("6 * 7");
    assert_eq!(run.error.map(|e| e.traceback), None, "the console works after the bad input");
    assert_eq!(run.output, "42\n");
}

/// A clear error: a class, a message, and a traceback that names them.
fn assert_clear(error: &ErrorView, input: &str) {
    assert!(!error.type_name.is_empty() && !error.message.trim().is_empty(), "no message for {input:?}: {error:?}");
    assert!(error.traceback.contains(&error.type_name), "traceback without the class for {input:?}: {}", error.traceback);
}

/// Sends `source` through every input path. Returns the console's and the script's errors.
fn through_every_path(source: &str) -> (Option<ErrorView>, Option<ErrorView>) {
    let source = source.to_string();
    on_browser_stack(move || {
        let _ = highlight(&source);
        let mut playground = Playground::new();
        let _ = playground.input_state(&source);
        let _ = playground.completions(&source);
        let _ = playground.preview_sql(&source);
        let console = playground.run_console(&source).error;
        assert_answers(&mut playground);
        for (_, run) in playground.run_console_script(&source) {
            if let Some(error) = run.error {
                assert_clear(&error, &source);
            }
        }
        assert_answers(&mut playground);
        let models = playground.apply_models(&source, false);
        if let Some(error) = &models.run.error {
            assert_clear(error, &source);
        }
        assert_answers(&mut playground);
        let script = Playground::new().run_script(&source).error;
        (console, script)
    })
}

/// Malformed code gets the exception class CPython 3.11 raises, on the line CPython names.
#[test]
fn malformed_code_is_a_positioned_syntax_error() {
    // (source, CPython's class, CPython's line), from `compile(source, '<console>', 'exec')`.
    let cases: &[(&str, &str, u32)] = &[
        ("x = = 1", "SyntaxError", 1),
        ("print('unterminated", "SyntaxError", 1),
        ("s = '''never closed", "SyntaxError", 1),
        ("def f(:\n    pass", "SyntaxError", 1),
        ("class User(db.Model\n    id = 1", "SyntaxError", 1),
        ("if True:\npass", "IndentationError", 2),
        ("for x in range(3):\n        print(x)\n    print(x)", "IndentationError", 3),
        ("return 5", "SyntaxError", 1),
        ("x = (1, 2", "SyntaxError", 1),
        (")", "SyntaxError", 1),
        ("1 +", "SyntaxError", 1),
        ("f(**)", "SyntaxError", 1),
        ("x = [1, 2,, 3]", "SyntaxError", 1),
        ("db.session.add(User(name='a')", "SyntaxError", 1),
        ("@", "SyntaxError", 1),
        ("import", "SyntaxError", 1),
        ("a b c", "SyntaxError", 1),
        ("x = 1\n  y = 2", "IndentationError", 2),
        ("if x:\n\tpass\n        pass", "TabError", 3),
        ("def f():\n    return\n  x", "IndentationError", 3),
        ("print(f'{')", "SyntaxError", 1),
        ("0b102", "SyntaxError", 1),
        ("1_000_", "SyntaxError", 1),
        ("x = 5 if True", "SyntaxError", 1),
        ("del 1", "SyntaxError", 1),
        ("(a, b) += 1", "SyntaxError", 1),
        ("break", "SyntaxError", 1),
        ("continue", "SyntaxError", 1),
        ("nonlocal x", "SyntaxError", 1),
        ("try:\n    pass", "SyntaxError", 2),
        ("else:\n    pass", "SyntaxError", 1),
        ("€ = 1", "SyntaxError", 1),
        ("x = 1 ? 2", "SyntaxError", 1),
        ("print(`x`)", "SyntaxError", 1),
        (" x = $", "IndentationError", 1),
    ];
    let mut wrong = Vec::new();
    for &(source, class, line) in cases {
        let (console, script) = through_every_path(source);
        for (path, error) in [("console", console), ("script", script)] {
            let Some(error) = error else {
                wrong.push(format!("{source:?} ran without error in the {path}"));
                continue;
            };
            assert_clear(&error, source);
            if (error.type_name.as_str(), error.line) != (class, Some(line)) {
                wrong.push(format!("{source:?} in the {path}: {} on line {:?}, CPython: {class} on line {line}", error.type_name, error.line));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_console_check_tells_incomplete_from_invalid() {
    let playground = Playground::new();
    assert_eq!(playground.input_state("for x in range(3):"), InputState::Incomplete);
    assert_eq!(playground.input_state("x = (1,"), InputState::Incomplete);
    assert!(matches!(playground.input_state("x = = 1"), InputState::Invalid(e) if e.type_name == "SyntaxError"));
    assert!(matches!(playground.input_state(")"), InputState::Invalid(e) if e.line == Some(1)));
}

#[test]
fn nul_bytes_are_refused_with_a_message() {
    for source in ["x = 1\0", "\0", "print('a\0b')", "class A:\n    \0\n", "# comment \0\nx = 1"] {
        let (console, script) = through_every_path(source);
        for error in [console, script] {
            let error = error.unwrap_or_else(|| panic!("{source:?} ran"));
            assert_clear(&error, source);
            assert!(error.message.contains("null bytes"), "{source:?}: {}", error.message);
        }
    }
}

#[test]
fn unicode_in_code_and_data_round_trips() {
    let source = "class Città(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    naam = db.Column(db.String(40))\n\
                  db.create_all()\n\
                  for name in ['Zoë', '東京', '🦀 crab', 'עברית', 'e\\u0301', '\\u202egnp.exe']:\n    db.session.add(Città(naam=name))\n\
                  db.session.commit()\n\
                  print([c.naam for c in Città.query.order_by(Città.id)])\n\
                  print(len('🦀'), '東京'.upper(), 'ß'.upper(), 'ǅ'.lower(), 'ﬃ'.upper())\n";
    let run = on_browser_stack(move || Playground::new().run_script(source));
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(run.output, "['Zoë', '東京', '🦀 crab', 'עברית', 'e\u{301}', '\\u202egnp.exe']\n1 東京 SS ǆ FFI\n");
}

#[test]
fn errors_after_wide_characters_point_at_the_right_line() {
    let source = "naam = '🦀🦀🦀'\nprint(naam)\nprint(naam +)\n";
    let (console, script) = through_every_path(source);
    for error in [console, script] {
        let error = error.expect("an error");
        assert_eq!((error.type_name.as_str(), error.line), ("SyntaxError", Some(3)));
    }
    let (console, _) = through_every_path("'🦀' + 1");
    let error = console.expect("an error");
    assert_eq!(error.type_name, "TypeError");
    assert_eq!(error.message, "can only concatenate str (not \"int\") to str");
}

#[test]
fn a_one_megabyte_script_runs_or_stops_with_a_clear_error() {
    // 1 MB of simple statements: runs to the end.
    let statements: String = (0..80_000).map(|i| format!("v{} = {i}\n", i % 500)).collect();
    assert!(statements.len() > 1_000_000);
    let (console, script) = through_every_path(&statements);
    assert_eq!((console, script), (None, None));

    // One 1 MB string literal, printed back.
    let literal = format!("s = '{}'\nprint(len(s))\n", "é".repeat(500_000));
    let run = on_browser_stack(move || Playground::new().run_script(&literal));
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(run.output, "500000\n");

    // 1 MB of one long expression line: too deep a tree for CPython's compiler too.
    let sum = format!("total = {}\nprint(total)\n", vec!["1"; 350_000].join(" + "));
    let (console, script) = through_every_path(&sum);
    for error in [console, script] {
        let error = error.expect("an error");
        assert_clear(&error, "1 + 1 + ... (350,000 terms)");
        assert_eq!((error.type_name.as_str(), error.message.as_str()), ("RecursionError", "maximum recursion depth exceeded during compilation"));
    }

    // 1 MB of garbage bytes that are valid UTF-8 (and start with a space, which CPython
    // reports before it looks further).
    let garbage: String = (0..1_000_000u64).map(|i| char::from_u32(0x20 + ((i * 7919) % 0x5f) as u32).unwrap_or(' ')).collect();
    let (console, script) = through_every_path(&garbage);
    for error in [console, script] {
        let error = error.expect("an error");
        assert_clear(&error, "garbage");
        assert_eq!((error.type_name.as_str(), error.message.as_str(), error.line), ("IndentationError", "unexpected indent", Some(1)));
    }
}

#[test]
fn a_ten_thousand_line_model_file_applies() {
    let mut models = String::new();
    for i in 0..1000_u32 {
        models.push_str(&format!(
            "class Model{i}(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(40), unique=True)\n    \
             score = db.Column(db.Integer, default={i})\n    parent_id = db.Column(db.Integer, db.ForeignKey('model{}.id'))\n\n    \
             def __repr__(self):\n        return f'<Model{i} {{self.name}}>'\n\n\n",
            i.saturating_sub(1)
        ));
    }
    assert_eq!(models.lines().count(), 10_000);
    let applied = on_browser_stack(move || {
        let mut playground = Playground::new();
        let applied = playground.apply_models(&models, false);
        let run = playground.run_console("db.session.add(Model999(name='last')); db.session.commit(); print(Model999.query.one())");
        (applied, run)
    });
    assert_eq!(applied.0.run.error.map(|e| e.traceback), None);
    assert_eq!(applied.0.run.events.iter().filter(|e| e.echo.trim_start().starts_with("CREATE TABLE")).count(), 1000);
    assert_eq!(applied.1.error.map(|e| e.traceback), None);
    assert_eq!(applied.1.output, "<Model999 last>\n");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    // What CPython 3.11's compile() says, and on which line. Where it runs out of parser
    // stack (MemoryError without a message) the engine says what CPython says a few
    // thousand levels deep: the compiler's RecursionError.
    const PARENTHESES: (&str, &str, u32) = ("SyntaxError", "too many nested parentheses", 1);
    const TOO_DEEP: (&str, &str, u32) = ("RecursionError", "maximum recursion depth exceeded during compilation", 1);
    const INDENTED: (&str, &str, u32) = ("IndentationError", "too many levels of indentation", 101);
    let cases = [
        (format!("x = {}1{}", "(".repeat(depth), ")".repeat(depth)), PARENTHESES),
        (format!("x = {}{}", "[".repeat(depth), "]".repeat(depth)), PARENTHESES),
        (format!("x = {}", "{".repeat(depth)), PARENTHESES),
        (format!("x = {}1", "-".repeat(depth)), TOO_DEEP),
        (format!("x = {}True", "not ".repeat(depth)), TOO_DEEP),
        (format!("x = {}0{}", "abs(".repeat(depth), ")".repeat(depth)), PARENTHESES),
        (format!("x = {}1", "lambda: ".repeat(depth)), TOO_DEEP),
        (format!("x = 1{}", " ** 1".repeat(depth)), TOO_DEEP),
        (format!("x = {}0{}", "[".repeat(depth), "][0]".repeat(depth)), PARENTHESES),
        (format!("x = 1{}", " if 1 else 1".repeat(depth)), TOO_DEEP),
        (format!("x = f'{}'", "{f'".repeat(50)), ("SyntaxError", "f-string: expecting '}'", 1)),
        ((0..120).map(|level| format!("{}if True:\n", " ".repeat(level))).collect::<String>() + &" ".repeat(120) + "pass\n", INDENTED),
        ((0..120).map(|level| format!("{}def f{level}():\n", "    ".repeat(level))).collect::<String>() + &"    ".repeat(120) + "return 1\n", INDENTED),
    ];
    let mut wrong = Vec::new();
    for (source, (class, message, line)) in cases {
        let shown: String = source.chars().take(40).collect();
        let (console, script) = through_every_path(&source);
        for (path, error) in [("console", console), ("script", script)] {
            let Some(error) = error else {
                wrong.push(format!("{shown:?}… ran without error in the {path}"));
                continue;
            };
            assert_clear(&error, &shown);
            if (error.type_name.as_str(), error.message.as_str(), error.line) != (class, message, Some(line)) {
                wrong.push(format!("{shown:?}… in the {path}: {}: {} on line {:?}", error.type_name, error.message, error.line));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn deep_data_built_at_run_time_is_an_error_not_a_crash() {
    // (script, what it prints, its error's class and message) as CPython 3.11 runs it;
    // hashing the deep tuple crashes CPython itself (a segmentation fault), here it is the
    // RecursionError the other walks raise.
    let cases = [
        ("x = []\nfor i in range(200000):\n    x = [x]\nprint(x)\n", "", Some(("RecursionError", "maximum recursion depth exceeded while getting the repr of an object"))),
        (
            "d = {}\nfor i in range(200000):\n    d = {'k': d}\nprint(repr(d) == str(d), d == d)\n",
            "",
            Some(("RecursionError", "maximum recursion depth exceeded while getting the repr of an object")),
        ),
        ("t = ()\nfor i in range(200000):\n    t = (t,)\nprint(hash(t))\n", "", Some(("RecursionError", "maximum recursion depth exceeded"))),
        (
            "import json\nx = []\nfor i in range(200000):\n    x = [x]\nprint(json.dumps(x))\n",
            "",
            Some(("RecursionError", "maximum recursion depth exceeded while encoding a JSON object")),
        ),
        // Long rather than deep (kept short: each step copies the whole string).
        ("s = 'x'\nfor i in range(20000):\n    s = f'({s})'\nprint(len(s))\n", "40001\n", None),
    ];
    for (source, printed, error) in cases {
        let run = on_browser_stack(move || {
            let mut playground = Playground::new();
            let run = playground.run_script(source);
            assert_answers(&mut playground);
            run
        });
        if let Some(error) = &run.error {
            assert_clear(error, source);
        }
        let got = run.error.as_ref().map(|e| (e.type_name.as_str(), e.message.as_str()));
        assert_eq!((run.output.as_str(), got), (printed, error), "{source}");
    }
}

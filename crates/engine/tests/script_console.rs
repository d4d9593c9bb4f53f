//! Console mode (`flask shell`-like): line-by-line input with CPython's
//! completeness rules, expression values echoed, tracebacks without source
//! lines. Expected transcripts were produced by CPython 3.11's
//! `code.InteractiveConsole` fed the same lines.

use sqla_engine::script::{InputStatus, Interpreter};

/// Feed lines as a user types them: run each input once it is complete.
fn session(lines: &[&str]) -> String {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "<console>");
    let mut out = String::new();
    let mut buffer: Vec<&str> = Vec::new();
    for line in lines {
        buffer.push(line);
        let source = buffer.join("\n");
        match Interpreter::check_console_input(&source) {
            InputStatus::Incomplete => continue,
            InputStatus::Invalid(err) => out.push_str(&err.render()),
            InputStatus::Complete => {
                let r = interp.run_console(&main, &source);
                out.push_str(&interp.take_output());
                if let Err(e) = r {
                    out.push_str(&e.render());
                }
            }
        }
        buffer.clear();
    }
    out
}

#[test]
fn expression_values_are_echoed_and_tracebacks_have_no_source() {
    let got = session(&["x = 5", "x", "x * 2", "None", "print('hi')", "'text'", "[1, 'a']", "_", "def f(n):", "    return n + 1", "", "f(x)", "f(None)"]);
    assert_eq!(
        got,
        "5\n10\nhi\n'text'\n[1, 'a']\n[1, 'a']\n6\nTraceback (most recent call last):\n  File \"<console>\", line 1, in <module>\n  File \"<console>\", line 2, in f\nTypeError: unsupported operand type(s) for +: 'NoneType' and 'int'\n"
    );
}

#[test]
fn user_reprs_and_attribute_errors() {
    let got = session(&["class A:", "    def __repr__(self):", "        return 'A!'", "", "A()", "[A(), A()]", "a = A()", "a.missing"]);
    assert_eq!(got, "A!\n[A!, A!]\nTraceback (most recent call last):\n  File \"<console>\", line 1, in <module>\nAttributeError: 'A' object has no attribute 'missing'\n");
}

#[test]
fn multi_line_inputs_and_errors() {
    let got = session(&["1/0", "undefined", "x = (1,", " 2)", "x", "if x:", "    print('yes')", "", "for i in range(2): print(i)", "", "raise ValueError('bad')"]);
    assert_eq!(
        got,
        "Traceback (most recent call last):\n  File \"<console>\", line 1, in <module>\nZeroDivisionError: division by zero\nTraceback (most recent call last):\n  File \"<console>\", line 1, in <module>\nNameError: name 'undefined' is not defined\n(1, 2)\nyes\n0\n1\nTraceback (most recent call last):\n  File \"<console>\", line 1, in <module>\nValueError: bad\n"
    );
}

#[test]
fn chained_exceptions_and_imports() {
    let got = session(&["try:", "    {}['k']", "except KeyError as e:", "    raise RuntimeError('wrapped') from e", "", "import nothing"]);
    assert_eq!(
        got,
        "Traceback (most recent call last):\n  File \"<console>\", line 2, in <module>\nKeyError: 'k'\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"<console>\", line 4, in <module>\nRuntimeError: wrapped\nTraceback (most recent call last):\n  File \"<console>\", line 1, in <module>\nModuleNotFoundError: No module named 'nothing'\n"
    );
}

#[test]
fn nested_frames() {
    let got = session(&["def g():", "    return h()", "", "def h():", "    return 1 + 'a'", "", "g()"]);
    assert_eq!(
        got,
        "Traceback (most recent call last):\n  File \"<console>\", line 1, in <module>\n  File \"<console>\", line 2, in g\n  File \"<console>\", line 2, in h\nTypeError: unsupported operand type(s) for +: 'int' and 'str'\n"
    );
}

#[test]
fn syntax_errors_and_literal_echoes() {
    let got = session(&["x = = 1", "  y = 2", "print 'a'", "True", "3.0", "1e16", "{'a': 1}", "set()", "(1,)"]);
    assert_eq!(
        got,
        "  File \"<console>\", line 1\n    x = = 1\n        ^\nSyntaxError: invalid syntax\n  File \"<console>\", line 1\n    y = 2\nIndentationError: unexpected indent\n  File \"<console>\", line 1\n    print 'a'\n    ^^^^^^^^^\nSyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\nTrue\n3.0\n1e+16\n{'a': 1}\nset()\n(1,)\n"
    );
}

/// Classification of inputs as `codeop.compile_command` does (checked against CPython 3.11).
#[test]
fn input_completeness_follows_codeop() {
    use InputStatus::*;
    let cases: &[(&str, &str)] = &[
        ("x = 1", "complete"),
        ("if x:", "incomplete"),
        ("if x:\n", "incomplete"),
        ("if x:\n  pass", "incomplete"),
        ("if x:\n  pass\n", "complete"),
        ("def f(): return 1", "incomplete"),
        ("def f(): return 1\n", "complete"),
        ("x = (1,", "incomplete"),
        ("x = '''a", "incomplete"),
        ("x = 1 \\", "incomplete"),
        ("@dec", "incomplete"),
        ("try:\n  pass\n", "incomplete"),
        ("if x:\n  pass\nelse:", "incomplete"),
        ("for x in y:\n  print(x)\n\n", "complete"),
        ("", "complete"),
        ("# comment", "complete"),
        ("x = = 1", "invalid"),
        ("class A:\n  x = 1\n  def f(self):\n    pass\n", "complete"),
        ("x = [\n1,\n2]", "complete"),
        ("if x:\n  pass\n  ", "incomplete"),
        ("1 +", "invalid"),
        ("print('a'", "incomplete"),
        ("a = 1\nb = 2", "invalid"),
        ("def f():\n  return (1 +", "incomplete"),
        ("if x:\nfoo", "invalid"),
        ("x = 'abc", "invalid"),
        ("lambda:", "invalid"),
        ("if x: pass\n", "complete"),
        ("while True: pass", "incomplete"),
        ("x = 1;", "complete"),
        ("a = 1; b = 2", "complete"),
        ("else:", "invalid"),
        ("  x = 1", "invalid"),
    ];
    for (src, expected) in cases {
        let got = match Interpreter::check_console_input(src) {
            Complete => "complete",
            Incomplete => "incomplete",
            Invalid(_) => "invalid",
        };
        assert_eq!(got, *expected, "input {src:?}");
    }
    match Interpreter::check_console_input("a = 1\nb = 2") {
        Invalid(e) => assert_eq!(e.message(), "multiple statements found while compiling a single statement"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn console_tracebacks_carry_no_suggestions() {
    // CPython 3.11 adds "Did you mean" only for script files.
    let got = session(&["users = []", "usrs", "[].apend"]);
    assert_eq!(
        got,
        "Traceback (most recent call last):\n  File \"<console>\", line 1, in <module>\nNameError: name 'usrs' is not defined\nTraceback (most recent call last):\n  File \"<console>\", line 1, in <module>\nAttributeError: 'list' object has no attribute 'apend'\n"
    );
}

#[test]
fn a_block_of_statements_runs_at_once_and_echoes_each_expression() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "<console>");
    interp.run_console(&main, "a = 2\na * 3\nb = a + 1\nb\n").unwrap();
    assert_eq!(interp.take_output(), "6\n3\n");
}

#[test]
fn namespace_persists_between_inputs_and_modules_can_be_shared() {
    let mut interp = Interpreter::new();
    let app = interp.new_module("app", "app.py");
    interp.run_module(&app, "def add_user(name):\n    users.append(name)\n    print(f'User {name} added.')\nusers = []\n").unwrap();
    interp.register_module_object("app", app);
    let console = interp.new_module("__main__", "<console>");
    interp.run_console(&console, "from app import add_user, users").unwrap();
    interp.run_console(&console, "add_user('John')").unwrap();
    interp.run_console(&console, "users").unwrap();
    assert_eq!(interp.take_output(), "User John added.\n['John']\n");
}

#[test]
fn expressions_inside_blocks_are_echoed_in_order_with_printed_output() {
    let got = session(&["for i in range(3):", "    i", "    print('p', i)", "    None", "", "_", "for i in range(2): i * 10", ""]);
    assert_eq!(got, "0\np 0\n1\np 1\n2\np 2\n2\n0\n10\n");
}

#[test]
fn every_kind_of_block_echoes_its_expressions() {
    let got = session(&[
        "if 1:",
        "    'a'",
        "else:",
        "    'b'",
        "",
        "while False:",
        "    pass",
        "else:",
        "    42",
        "",
        "try:",
        "    1/0",
        "except ZeroDivisionError as e:",
        "    e",
        "else:",
        "    'unreached'",
        "finally:",
        "    'fin'",
        "",
        "class Box:",
        "    def __enter__(self):",
        "        return 3",
        "    def __exit__(self, *exc):",
        "        return False",
        "",
        "with Box() as x:",
        "    x",
        "",
    ]);
    assert_eq!(got, "'a'\n42\nZeroDivisionError('division by zero')\n'fin'\n3\n");
}

#[test]
fn function_class_and_comprehension_bodies_are_not_echoed() {
    let got = session(&["def f():", "    7", "", "f()", "class A:", "    5", "", "if 1:", "    def g():", "        8", "    g()", "", "[i for i in range(2) if i]"]);
    assert_eq!(got, "[1]\n");
}

#[test]
fn an_error_in_an_echoed_block_stops_it_with_the_line_of_the_failure() {
    let got = session(&["for i in (1, 0):", "    10 // i", ""]);
    assert_eq!(got, "10\nTraceback (most recent call last):\n  File \"<console>\", line 2, in <module>\nZeroDivisionError: integer division or modulo by zero\n");
}

#[test]
fn scripts_never_echo_expressions() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "app.py");
    interp.run_module(&main, "x = 1\nx\nfor i in range(2):\n    i\nprint('only this')\n").unwrap();
    assert_eq!(interp.take_output(), "only this\n");
}

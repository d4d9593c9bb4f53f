//! Exceptions and tracebacks as data: the frames (file, line, function,
//! source line, caret markers), the chain of causes and contexts, and the
//! CPython-style text the console and the editor show.

use sqla_engine::script::{ChainLink, Interpreter, ScriptError, ScriptErrorKind};

fn fail(file: &str, src: &str) -> ScriptError {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", file);
    interp.run_module(&main, src).expect_err("an uncaught exception")
}

#[test]
fn frames_carry_file_line_function_source_and_carets() {
    let e = fail("app.py", "def ratio(a, b):\n    return a / b\n\ndef report(xs):\n    return [ratio(x, 0) for x in xs]\n\nreport([1])\n");
    assert_eq!(e.kind, ScriptErrorKind::Exception);
    assert_eq!((e.type_name(), e.message()), ("ZeroDivisionError", "division by zero"));
    let frames = &e.exception().frames;
    let summary: Vec<(&str, u32, &str)> = frames.iter().map(|f| (f.file.as_str(), f.line, f.function.as_str())).collect();
    assert_eq!(summary, vec![("app.py", 7, "<module>"), ("app.py", 5, "report"), ("app.py", 5, "<listcomp>"), ("app.py", 2, "ratio")]);
    assert_eq!(frames[0].source.as_deref(), Some("report([1])"));
    assert_eq!(frames[0].carets, None, "the call covers the whole line");
    assert_eq!(frames[1].carets.as_deref(), Some("       ^^^^^^^^^^^^^^^^^^^^^^^^^"));
    assert_eq!(frames[3].carets.as_deref(), Some("       ~~^~~"));
    assert_eq!(e.line_in("app.py"), Some(2));
}

#[test]
fn console_frames_have_no_source() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "<console>");
    let e = interp.run_console(&main, "def f():\n    return {}['k']\n\nf()").unwrap_err();
    assert!(e.exception().frames.iter().all(|f| f.source.is_none() && f.file == "<console>"));
    assert_eq!(e.render(), "Traceback (most recent call last):\n  File \"<console>\", line 4, in <module>\n  File \"<console>\", line 2, in f\nKeyError: 'k'\n");
}

#[test]
fn chains_record_cause_and_context() {
    let e = fail("chain.py", "def a():\n    raise ValueError('first')\ntry:\n    a()\nexcept ValueError as err:\n    try:\n        raise TypeError('second') from err\n    except TypeError:\n        raise RuntimeError('third')\n");
    let links: Vec<(&str, Option<ChainLink>)> = e.chain.iter().map(|r| (r.type_name.as_str(), r.link)).collect();
    assert_eq!(links, vec![("ValueError", None), ("TypeError", Some(ChainLink::Cause)), ("RuntimeError", Some(ChainLink::Context))]);
    let text = e.render();
    assert!(text.contains("ValueError: first\n\nThe above exception was the direct cause of the following exception:\n\nTraceback"), "{text}");
    assert!(text.contains("TypeError: second\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback"), "{text}");
    assert_eq!(e.chain[0].frames.iter().map(|f| f.line).collect::<Vec<_>>(), vec![4, 2]);
}

#[test]
fn suppressed_context_and_reraise() {
    let e = fail("s.py", "try:\n    {}['k']\nexcept KeyError:\n    raise LookupError('nope') from None\n");
    assert_eq!(e.chain.len(), 1);
    assert_eq!(e.render(), "Traceback (most recent call last):\n  File \"s.py\", line 4, in <module>\n    raise LookupError('nope') from None\nLookupError: nope\n");
    let e = fail("r.py", "def inner():\n    raise KeyError('x')\ntry:\n    inner()\nexcept KeyError:\n    raise\n");
    let lines: Vec<u32> = e.exception().frames.iter().map(|f| f.line).collect();
    assert_eq!(lines, vec![4, 2], "bare raise keeps the original traceback");
}

#[test]
fn exception_objects_behave_like_python() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "e.py");
    interp
        .run_module(
            &main,
            r#"
class AppError(Exception):
    def __init__(self, msg, code=500):
        super().__init__(msg)
        self.code = code
try:
    raise AppError("boom", code=404)
except Exception as e:
    print(type(e).__name__, e, e.args, e.code, repr(e), isinstance(e, AppError), e.__class__.__mro__[1:3])
e = KeyError("k")
print(str(e), repr(e), e.args, str(KeyError()), str(ValueError(1, 2)), repr(OSError()))
try:
    raise StopIteration("v")
except StopIteration as s:
    print(s.value)
def handler():
    try:
        return 1 / 0
    except ZeroDivisionError as z:
        return z
z = handler()
print(type(z).__name__, z.__traceback__, z.__context__, z.__cause__)
"#,
        )
        .unwrap();
    assert_eq!(
        interp.take_output(),
        "AppError boom ('boom',) 404 AppError('boom') True (<class 'Exception'>, <class 'BaseException'>)\n'k' KeyError('k') ('k',)  (1, 2) OSError()\nv\nZeroDivisionError None None None\n"
    );
}

#[test]
fn errors_inside_finally_and_with_exit_chain_to_the_pending_error() {
    let e = fail("f.py", "try:\n    1 / 0\nfinally:\n    [][0]\n");
    assert_eq!(e.chain.iter().map(|r| r.type_name.as_str()).collect::<Vec<_>>(), vec!["ZeroDivisionError", "IndexError"]);
    assert_eq!(e.chain[1].link, Some(ChainLink::Context));
    let e = fail("w.py", "class Ctx:\n    def __enter__(self):\n        return self\n    def __exit__(self, *a):\n        raise RuntimeError('in exit')\nwith Ctx():\n    {}['k']\n");
    assert_eq!(e.chain.iter().map(|r| r.type_name.as_str()).collect::<Vec<_>>(), vec!["KeyError", "RuntimeError"]);
}

#[test]
fn the_limit_stop_shows_where_the_program_was() {
    let mut interp = Interpreter::new();
    interp.limits_mut().max_steps = 5_000;
    let main = interp.new_module("__main__", "loop.py");
    let e = interp.run_module(&main, "def spin():\n    n = 0\n    while n >= 0:\n        n += 1\n\nspin()\n").unwrap_err();
    assert_eq!(e.kind, ScriptErrorKind::LimitExceeded);
    assert_eq!(e.exception().frames.iter().map(|f| (f.function.as_str(), f.line)).collect::<Vec<_>>(), vec![("<module>", 6), ("spin", 3)]);
    assert!(e.render().ends_with("ExecutionLimitExceeded: the script ran for more than 5000 steps (infinite loop?)\n"));
}

//! The parser: every statement and expression form of the subset, positions
//! on nodes, CPython's syntax error messages and positions, constructs the
//! playground refuses (named, with their line), and nesting limits.

use sqla_engine::script::ast::{ExprKind, StmtKind};
use sqla_engine::script::parser::{parse_expression, parse_module};
use sqla_engine::script::{compile, Interpreter, ScriptErrorKind, SyntaxErrorInfo, SyntaxErrorKind};

fn err(src: &str) -> SyntaxErrorInfo {
    *compile(src, "p.py").expect_err("syntax error")
}

fn run(src: &str) -> String {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "p.py");
    match interp.run_module(&main, src) {
        Ok(()) => interp.take_output(),
        Err(e) => format!("{}{}", interp.take_output(), e.render()),
    }
}

#[test]
fn all_statement_forms_parse_and_run() {
    let out = run(r#"
x: int = 1
y: "forward"
a = b = [1, 2]
a[0], (c, *d) = 9, (1, 2, 3)
a += [3]
del a[1]
assert a == [9, 3], "oops"
def f(p, /, q=1, *args, r, s=2, **kw) -> int:
    global g
    g = p
    return p + q + r + s + len(args) + len(kw)
class K(object):
    """doc"""
    attr: int = 5
    def m(self):
        def inner():
            nonlocal z
            z = 2
        z = 1
        inner()
        return z
while False:
    break
else:
    pass
for i in range(2):
    if i:
        continue
try:
    raise ValueError("v") from None
except (TypeError, ValueError) as e:
    pass
else:
    pass
finally:
    pass
class Ctx:
    def __enter__(self):
        return "entered"
    def __exit__(self, *exc):
        return False
with Ctx() as k, Ctx():
    pass
import_error = None
try:
    from nowhere import thing
except ImportError as import_error_value:
    import_error = type(import_error_value).__name__
lam = lambda a, *b, c=1, **d: (a, b, c, d)
print(f(1, r=3), g, K().m(), c, d, x, K.__doc__, __annotations__, k, import_error, lam(1, 2, c=3, e=4))
"#);
    assert_eq!(out, "7 1 2 1 [2, 3] 1 doc {'x': <class 'int'>, 'y': 'forward'} entered ModuleNotFoundError (1, (2,), 3, {'e': 4})\n");
}

#[test]
fn nodes_carry_positions() {
    let m = parse_module("x = 1\nif x:\n    y = foo(x, key=[1, 2])\n", "p.py").unwrap();
    let StmtKind::If { test, body, .. } = &m.body[1].kind else { panic!("if") };
    assert_eq!((m.body[1].span.start.line, m.body[1].span.start.col), (2, 0));
    assert_eq!((test.span.start.line, test.span.start.col, test.span.end.col), (2, 3, 4));
    let StmtKind::Assign { value, .. } = &body[0].kind else { panic!("assign") };
    assert_eq!((value.span.start.line, value.span.start.col, value.span.end.col), (3, 8, 26));
    let ExprKind::Call { keywords, .. } = &value.kind else { panic!("call") };
    assert_eq!((keywords[0].value.span.start.col, keywords[0].value.span.end.col), (19, 25));
    let e = parse_expression("a.b[1:2] + -3 ** 2", "<preview>").unwrap();
    let ExprKind::BinOp { left, right, .. } = &e.kind else { panic!("binop") };
    assert_eq!((left.span.start.col, left.span.end.col), (0, 8));
    assert!(matches!(right.kind, ExprKind::UnaryOp { .. }), "-3 ** 2 is -(3 ** 2)");
}

#[test]
fn precedence_and_chains() {
    assert_eq!(
        run("print(2 + 3 * 4 ** 2, -2 ** 2, not 1 == 2, 1 < 2 < 3, (1 < 2) < 3, 1 or 2 and 0, 2 ** -1, ~1 + 1, 3 - 2 - 1, 2 ** 3 ** 2, 8 // 3 % 2, 1 | 2 ^ 3 & 4 << 1, 'a' if 0 else 'b' if 0 else 'c', lambda: 1 if False else None)").split("<function").next().unwrap(),
        "50 -4 True True True 1 0.5 -1 0 512 0 3 c "
    );
}

#[test]
fn syntax_errors_match_cpython() {
    let cases: &[(&str, &str, u32, i32)] = &[
        ("x = = 2", "invalid syntax", 1, 5),
        ("foo bar", "invalid syntax", 1, 5),
        ("print 'x'", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1),
        ("if x\n  pass", "expected ':'", 1, 5),
        ("f() = 1", "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1),
        ("1 = x", "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1),
        ("x = 3 = 4", "cannot assign to literal", 1, 5),
        ("for 1 in x: pass", "cannot assign to literal", 1, 5),
        ("a, b += 1", "'tuple' is an illegal expression for augmented assignment", 1, 1),
        ("del f()", "cannot delete function call", 1, 5),
        ("x = 1 if 2", "expected 'else' after 'if' expression", 1, 5),
        ("f(a for a in b, c)", "Generator expression must be parenthesized", 1, 3),
        ("f(**k, *a)", "iterable argument unpacking follows keyword argument unpacking", 1, 8),
        ("f(a=1, b)", "positional argument follows keyword argument", 1, 9),
        ("def f(a=1, b): pass", "non-default argument follows default argument", 1, 12),
        ("x = {1: }", "expression expected after dictionary key and ':'", 1, 7),
        ("x = [1 2]", "invalid syntax. Perhaps you forgot a comma?", 1, 6),
        ("True = 1", "cannot assign to True", 1, 1),
        ("(a, b): int", "only single target (not tuple) can be annotated", 1, 1),
        ("try:\n  pass\nx=1", "expected 'except' or 'finally' block", 3, 1),
        ("else:\n pass", "invalid syntax", 1, 1),
        ("class A\n pass", "expected ':'", 1, 8),
        ("f'{}'", "f-string: empty expression not allowed", 1, 6),
        ("f'{x!z}'", "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 9),
        ("f(x=1, x=2)", "keyword argument repeated: x", 1, 8),
        ("return", "'return' outside function", 1, 1),
        ("break", "'break' outside loop", 1, 1),
        ("def f():\n  nonlocal x", "no binding for nonlocal 'x' found", 2, 3),
        ("def f(x):\n  global x", "name 'x' is parameter and global", 2, 3),
        ("def f(x, x): pass", "duplicate argument 'x' in function definition", 1, 10),
        ("x = *a", "can't use starred expression here", 1, 5),
        ("*a = 1", "starred assignment target must be in a list or tuple", 1, 1),
        ("a, *b, *c = d", "multiple starred expressions in assignment", 1, 1),
    ];
    for (src, msg, line, offset) in cases {
        let e = err(src);
        assert_eq!((e.msg.as_str(), e.line, e.offset), (*msg, *line, *offset), "{src:?}");
        assert_eq!(e.kind, SyntaxErrorKind::SyntaxError, "{src:?}");
    }
    let e = err("if x:\npass");
    assert_eq!((e.kind, e.msg.as_str(), e.line), (SyntaxErrorKind::IndentationError, "expected an indented block after 'if' statement on line 1", 2));
    let e = err("def f():\n    return 1\nclass A:\n    pass\nwhile True:\nx = 1\n");
    assert_eq!(e.msg, "expected an indented block after 'while' statement on line 5");
}

#[test]
fn unsupported_constructs_are_named_with_their_line() {
    let cases: &[(&str, &str, u32)] = &[
        ("x = 1\nasync def f():\n    pass", "'async def' is not supported in the playground", 2),
        ("def g():\n    yield 1", "'yield' (generators) is not supported in the playground", 2),
        ("match x:\n    case 1:\n        pass", "the 'match' statement is not supported in the playground", 1),
        ("if (n := 10) > 5:\n    pass", "the walrus operator ':=' is not supported in the playground", 1),
        ("x = 2j", "complex numbers are not supported in the playground", 1),
        ("from . import models", "relative imports ('from . import x') are not supported in the playground", 1),
        ("try:\n    pass\nexcept* ValueError:\n    pass", "'except*' (exception groups) is not supported in the playground", 3),
        ("async with x:\n    pass", "'async with' is not supported in the playground", 1),
        ("def f():\n    await g()", "'await' is not supported in the playground", 2),
    ];
    for (src, msg, line) in cases {
        let e = err(src);
        assert_eq!((e.kind, e.msg.as_str(), e.line), (SyntaxErrorKind::NotImplemented, *msg, *line), "{src:?}");
    }
    // `match` stays usable as a name.
    assert_eq!(run("match = [1]\nmatch.append(2)\nprint(match)"), "[1, 2]\n");
    // Refused at run time: metaclasses and subclassing builtin containers.
    assert!(run("class A(metaclass=type):\n    pass").ends_with("NotImplementedError: 'metaclass=' is not supported in the playground\n"));
    assert!(run("class L(list):\n    pass").ends_with("NotImplementedError: subclassing 'list' is not supported in the playground\n"));
    assert!(run("open('f.txt')").ends_with("NotImplementedError: open() is not supported in the playground\n"));
}

#[test]
fn script_errors_point_at_the_source_line() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "models.py");
    let e = interp.run_module(&main, "class User:\n    id = 1\n    name = = 2\n").unwrap_err();
    assert_eq!(e.kind, ScriptErrorKind::Syntax);
    assert_eq!(e.line_in("models.py"), Some(3));
    assert_eq!(e.render(), "  File \"models.py\", line 3\n    name = = 2\n           ^\nSyntaxError: invalid syntax\n");
    // Errors found after parsing show the line too for script files...
    let e = interp.run_module(&main, "x = 1\nreturn x\n").unwrap_err();
    assert_eq!(e.render(), "  File \"models.py\", line 2\n    return x\n    ^^^^^^^^\nSyntaxError: 'return' outside function\n");
    // ...but not for console input, as CPython.
    let e = interp.run_console(&main, "return 5").unwrap_err();
    assert_eq!(e.render(), "  File \"<console>\", line 1\nSyntaxError: 'return' outside function\n");
}

#[test]
fn parsing_deep_input_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            // Debug builds use several times more stack per level than the
            // release build (which accepts CPython's 199 levels).
            let nested = format!("x = {}1{}", "[".repeat(30), "]".repeat(30));
            assert!(compile(&nested, "p.py").is_ok());
            let too_deep = format!("x = {}1{}", "(".repeat(10_000), ")".repeat(10_000));
            assert_eq!(err(&too_deep).msg, "too many nested parentheses");
            let chain = format!("x = a{}", "[0]".repeat(5_000));
            assert!(compile(&chain, "p.py").is_err());
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}

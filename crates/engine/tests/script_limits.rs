//! Resource limits: the instruction budget (uncatchable), recursion depth
//! (a catchable RecursionError that never overflows the native stack, checked
//! on a thread with the 1 MiB stack of wasm), allocation guards, 64-bit
//! integers, and deeply nested input or data.

use sqla_engine::script::{Interpreter, Limits, ScriptError, ScriptErrorKind};

/// Run `f` on a thread with a 1 MiB stack, as in the browser.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(1 << 20).spawn(f).expect("spawn").join().expect("no panic or stack overflow")
}

/// Like `run` with a 1 MiB allocation limit (the default is 32 MiB), so that
/// growing collections hit it quickly.
fn run_with_alloc_limit(src: &str) -> (String, Option<ScriptError>) {
    let mut interp = Interpreter::new();
    interp.limits_mut().max_alloc_bytes = 1 << 20;
    let main = interp.new_module("__main__", "limits.py");
    let r = interp.run_module(&main, src);
    (interp.take_output(), r.err())
}

fn run(src: &str) -> (String, Option<ScriptError>) {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "limits.py");
    let r = interp.run_module(&main, src);
    (interp.take_output(), r.err())
}

#[test]
fn infinite_loops_hit_the_step_budget_and_cannot_be_caught() {
    assert_eq!(Limits::default().max_steps, 10_000_000);
    let (out, err) = on_small_stack(|| {
        let mut interp = Interpreter::new();
        interp.limits_mut().max_steps = 200_000;
        let main = interp.new_module("__main__", "limits.py");
        let r = interp.run_module(&main, "print('start')\ntry:\n    while True:\n        pass\nexcept BaseException:\n    print('caught?')\nfinally:\n    print('finally?')\n");
        (interp.take_output(), r.err())
    });
    let err = err.expect("stopped");
    assert_eq!(out, "start\n");
    assert_eq!(err.kind, ScriptErrorKind::LimitExceeded);
    assert_eq!(err.type_name(), "ExecutionLimitExceeded");
    assert_eq!(err.message(), "the script ran for more than 200000 steps (infinite loop?)");
    assert_eq!(err.line_in("limits.py"), Some(3));
}

#[test]
fn the_budget_is_configurable_and_resets_per_run() {
    let mut interp = Interpreter::new();
    interp.limits_mut().max_steps = 1_000;
    let main = interp.new_module("__main__", "limits.py");
    let err = interp.run_module(&main, "n = 0\nwhile n < 10000:\n    n += 1\n").unwrap_err();
    assert_eq!(err.message(), "the script ran for more than 1000 steps (infinite loop?)");
    // The next run gets a fresh budget.
    interp.run_module(&main, "print(n < 1000)").unwrap();
    assert_eq!(interp.take_output(), "True\n");
    assert!(interp.steps_used() < 10);
}

#[test]
fn recursion_raises_a_catchable_recursion_error() {
    let (out, err) = on_small_stack(|| {
        run("def down(n):\n    return down(n + 1)\ntry:\n    down(0)\nexcept RecursionError as e:\n    print('caught:', e)\nprint('still running')\n")
    });
    assert!(err.is_none(), "{err:?}");
    assert_eq!(out, "caught: maximum recursion depth exceeded\nstill running\n");
}

#[test]
fn uncaught_recursion_is_reported_with_repeated_frames_folded() {
    let (_, err) = on_small_stack(|| run("def down(n):\n    return down(n + 1)\n\ndown(0)\n"));
    let err = err.expect("error");
    assert_eq!(err.type_name(), "RecursionError");
    let text = err.render();
    assert!(text.starts_with("Traceback (most recent call last):\n  File \"limits.py\", line 4, in <module>\n    down(0)\n  File \"limits.py\", line 2, in down\n"), "{text}");
    assert!(text.contains("  [Previous line repeated "), "{text}");
    assert!(text.ends_with("RecursionError: maximum recursion depth exceeded\n"), "{text}");
}

#[test]
fn mutual_recursion_through_methods_and_reprs_is_stopped() {
    let (out, err) = on_small_stack(|| {
        run("class Node:\n    def __repr__(self):\n        return repr(self)\ntry:\n    repr(Node())\nexcept RecursionError:\n    print('repr stopped')\nclass A:\n    def __getattr__(self, name):\n        return self.other\ntry:\n    A().x\nexcept RecursionError:\n    print('getattr stopped')\n")
    });
    assert!(err.is_none(), "{err:?}");
    assert_eq!(out, "repr stopped\ngetattr stopped\n");
}

#[test]
fn huge_allocations_raise_memory_error_quickly() {
    let (out, err) = run_with_alloc_limit(
        "try:\n    x = [0] * 10**9\nexcept MemoryError:\n    print('list')\ntry:\n    s = 'x' * 10**10\nexcept MemoryError:\n    print('str')\ntry:\n    r = list(range(10**9))\nexcept MemoryError:\n    print('range')\ntry:\n    t = tuple(range(10**9))\nexcept MemoryError:\n    print('tuple')\ntry:\n    c = [i for i in range(10**9)]\nexcept MemoryError:\n    print('comprehension')\nexcept BaseException as e:\n    print(type(e).__name__)\n",
    );
    assert_eq!(out, "list\nstr\nrange\ntuple\ncomprehension\n");
    assert!(err.is_none(), "{err:?}");
}

#[test]
fn integers_are_64_bit_with_a_clear_overflow_error() {
    let (out, err) = run("print(2**62, -2**62 * 2, 9223372036854775807)\ntry:\n    2**64\nexcept OverflowError as e:\n    print(e)\nx = 9223372036854775807\nx + 1\n");
    assert_eq!(out, "4611686018427387904 -9223372036854775808 9223372036854775807\ninteger result does not fit in 64 bits (the playground's integers are 64-bit)\n");
    let err = err.expect("overflow");
    assert_eq!(err.type_name(), "OverflowError");
    let (_, err) = run("x = 99999999999999999999\n");
    let err = err.expect("literal too large");
    assert_eq!(err.kind, ScriptErrorKind::Syntax);
    assert_eq!(err.render(), "  File \"limits.py\", line 1\n    x = 99999999999999999999\n        ^^^^^^^^^^^^^^^^^^^^\nNotImplementedError: integers beyond 64 bits are not supported in the playground\n");
}

#[test]
fn deeply_nested_source_is_refused_without_overflowing() {
    let cases = vec![
        (format!("x = {}1{}", "(".repeat(10_000), ")".repeat(10_000)), "SyntaxError: too many nested parentheses"),
        (format!("x = {}1", "-".repeat(10_000)), "RecursionError: maximum recursion depth exceeded during compilation"),
        (format!("x = {}1", "1 + ".repeat(100_000)), "RecursionError: maximum recursion depth exceeded during compilation"),
        (format!("x = {}1", "not ".repeat(10_000)), "RecursionError: maximum recursion depth exceeded during compilation"),
        (format!("x = a{}", ".b".repeat(10_000)), "RecursionError: maximum recursion depth exceeded during compilation"),
        (format!("x = f{}", "()".repeat(10_000)), "RecursionError: maximum recursion depth exceeded during compilation"),
        (format!("x = {}1", "lambda: ".repeat(10_000)), "RecursionError: maximum recursion depth exceeded during compilation"),
        (format!("x = {}", "[".repeat(100_000)), "SyntaxError: too many nested parentheses"),
    ];
    for (src, expected) in cases {
        let rendered = on_small_stack(move || run(&src).1.expect("refused").render());
        assert!(rendered.trim_end().ends_with(expected), "{expected}: {}", &rendered[rendered.len().saturating_sub(200)..]);
    }
    // Deep block nesting is limited by indentation depth, as in CPython.
    let mut src = String::new();
    for depth in 0..120 {
        src.push_str(&" ".repeat(depth));
        src.push_str("if True:\n");
    }
    src.push_str(&" ".repeat(120));
    src.push_str("pass\n");
    let rendered = on_small_stack(move || run(&src).1.expect("refused").render());
    assert!(rendered.ends_with("IndentationError: too many levels of indentation\n"), "{rendered}");
}

#[test]
fn the_deepest_allowed_blocks_run_or_end_in_an_error() {
    // 99 levels is the most CPython's tokenizer allows; every stage (parser,
    // scope resolver, evaluator) must cope with it on a 1 MiB stack.
    let headers = ["if True:", "for _ in [1]:", "while False:", "try:", "with C():", "def f():", "class K:"];
    for header in headers {
        let mut src = String::from("class C:\n    def __enter__(self): return self\n    def __exit__(self, *a): pass\n");
        for depth in 0..99 {
            src.push_str(&" ".repeat(depth));
            src.push_str(header);
            src.push('\n');
        }
        src.push_str(&" ".repeat(99));
        src.push_str("print('deep')\n");
        let (out, err) = on_small_stack(move || {
            let (out, err) = run(&src);
            (out, err.map(|e| e.render()))
        });
        if !cfg!(debug_assertions) && matches!(header, "if True:" | "with C():" | "class K:") {
            // Optimised builds have the stack for it, as CPython does.
            assert_eq!((out.as_str(), err.as_deref()), ("deep\n", None), "{header}");
            continue;
        }
        match err {
            None => assert!(out == "deep\n" || out.is_empty(), "{header} {out}"),
            Some(e) => assert!(e.contains("SyntaxError") || e.contains("RecursionError"), "{header} {e}"),
        }
    }
}

#[test]
fn deep_data_structures_are_freed_and_printed_safely() {
    let (out, err) = on_small_stack(|| {
        run("a = []\nfor i in range(30000):\n    a = [a]\nd = {}\nfor i in range(30000):\n    d = {'next': d}\nclass Node:\n    pass\nn = None\nfor i in range(30000):\n    m = Node()\n    m.next = n\n    n = m\ntry:\n    repr(a)\nexcept RecursionError:\n    print('repr refused')\na = d = n = m = None\nprint('freed')\n")
    });
    assert!(err.is_none(), "{err:?}");
    assert_eq!(out, "repr refused\nfreed\n");
}

#[test]
fn a_deep_structure_left_in_the_namespace_is_freed_with_the_interpreter() {
    on_small_stack(|| {
        let mut interp = Interpreter::new();
        let main = interp.new_module("__main__", "limits.py");
        interp.run_module(&main, "t = ()\nfor i in range(50000):\n    t = (t,)\n").unwrap();
        drop(main);
        drop(interp);
    });
}

//! Runaway scripts — infinite loops, deep recursion, huge allocations — end with a clear
//! error from the interpreter's limits (instruction budget, recursion depth, allocation
//! size) under the playground's default limits, and the console answers the next command.
//! How long they take is measured by `make bench`, never asserted here.

use std::collections::HashMap;

use sqla_engine::playground::{ErrorView, Playground};
use sqla_engine::script::Limits;

/// Runs console input on a thread with the browser's 1 MiB stack; returns its error and
/// what the next command printed.
fn run_away(source: &'static str) -> (ErrorView, String) {
    run_away_within(source, Limits::default())
}

/// `run_away` under other limits than the playground's defaults.
fn run_away_within(source: &'static str, limits: Limits) -> (ErrorView, String) {
    let thread = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let mut playground = Playground::with_snapshots(HashMap::new(), limits);
            let error = playground.run_console(source).error;
            let next = playground.run_console("print('still here')");
            assert_eq!(next.error.map(|e| e.traceback), None, "after {source:?}");
            (error, next.output)
        })
        .expect("spawn a test thread");
    let (error, next) = thread.join().unwrap_or_else(|_| panic!("the engine panicked on {source:?}"));
    (error.unwrap_or_else(|| panic!("{source:?} ended without an error")), next)
}

fn assert_stops(source: &'static str, class: &str, message: &str) {
    let (error, next) = run_away(source);
    // CPython's message may go on ("... while calling a Python object"); the engine's words
    // after the common start are the interpreter's business, tested with it.
    assert_eq!(error.type_name, class, "for {source:?}: {}", error.traceback);
    assert!(error.message.starts_with(message), "for {source:?}: {}", error.message);
    assert!(error.traceback.ends_with(&format!("{class}: {}\n", error.message)), "{}", error.traceback);
    assert_eq!(next, "still here\n");
}

const BUDGET: &str = "the script ran for more than 10000000 steps (infinite loop?)";

/// A small budget, so that the loops below end quickly in a debug build: what stops them is
/// the same check whatever the budget (`a_loop_that_catches_every_exception_still_stops`
/// runs into the default one). The allocation limit is scaled down with it, so that a
/// growing list still reaches it before the step budget.
fn small_budget() -> Limits {
    Limits { max_steps: 200_000, max_alloc_bytes: 256 * 1024, ..Limits::default() }
}

const SMALL_BUDGET: &str = "the script ran for more than 200000 steps (infinite loop?)";

#[test]
fn infinite_loops_run_out_of_steps() {
    let budget_class = run_away_within("while True: pass", small_budget()).0.type_name;
    assert!(!budget_class.is_empty());
    for source in [
        "while True: pass",
        "while True:\n    x = 1\n",
        "i = 0\nwhile i >= 0:\n    i += 1\n",
        "class Forever:\n    def __iter__(self):\n        return self\n    def __next__(self):\n        return 1\nfor i in Forever(): pass\n",
        "sum(i for i in range(10**12))",
        "class A:\n    def __eq__(self, other):\n        while True: pass\nA() == A()\n",
        "try:\n    while True: pass\nfinally:\n    pass\n",
    ] {
        let (error, next) = run_away_within(source, small_budget());
        assert_eq!(error.type_name, budget_class, "for {source:?}: {}", error.traceback);
        assert_eq!(error.message, SMALL_BUDGET, "for {source:?}");
        assert_eq!(next, "still here\n");
    }
    // Loops that build ever bigger lists reach the allocation limit before the step budget.
    for source in ["x = [1]\nfor item in x:\n    x.append(item)\n", "len([i for i in range(10**12)])"] {
        let (error, next) = run_away_within(source, small_budget());
        assert_eq!(error.type_name, "MemoryError", "for {source:?}: {}", error.traceback);
        assert_eq!(next, "still here\n");
    }
}

#[test]
fn a_loop_that_catches_every_exception_still_stops() {
    let (error, _) = run_away("while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass\n");
    assert_eq!(error.message, BUDGET);
}

#[test]
fn deep_recursion_is_a_recursion_error() {
    assert_stops("def f(n):\n    return f(n + 1)\nf(0)\n", "RecursionError", "maximum recursion depth exceeded");
    assert_stops("f = lambda: f()\nf()\n", "RecursionError", "maximum recursion depth exceeded");
    assert_stops(
        "class Node:\n    def __repr__(self):\n        return repr(self)\nrepr(Node())\n",
        "RecursionError",
        "maximum recursion depth exceeded",
    );
    assert_stops(
        "class Deep:\n    def __getattr__(self, name):\n        return self.missing\nDeep().x\n",
        "RecursionError",
        "maximum recursion depth exceeded",
    );
}

#[test]
fn huge_allocations_are_memory_errors() {
    for source in [
        "[0] * 10**9",
        "'x' * 10**10",
        "b'x' * 10**10",
        "[[0] * 10**5 for _ in range(10**5)]",
        "list(range(10**10))",
        "x = 'ab'\nwhile True:\n    x = x + x\n",
        "'{:>1000000000}'.format(1)",
        "f'{1:>1000000000}'",
        "' ' * 2**62",
        "(1,) * 10**10",
        "bytearray(10**10)",
        "'%1000000000d' % 1",
        "format(1.5, '.1000000000f')",
        "from decimal import Decimal\nformat(Decimal(1), '>1000000000')",
        // Many allocations that each fit: the heap as a whole is limited.
        "d = {}\ni = 0\nwhile True:\n    d[i] = {i: i}\n    i += 1\n",
    ] {
        let (error, next) = run_away(source);
        assert_eq!(error.type_name, "MemoryError", "for {source:?}: {}", error.traceback);
        assert_eq!(next, "still here\n");
    }
}

/// After a MemoryError the data built so far may still be referenced: the console still
/// answers, and deleting it gives the memory back.
#[test]
fn memory_kept_after_a_memory_error_can_be_freed() {
    let thread = std::thread::Builder::new().stack_size(1 << 20).spawn(|| {
        let mut playground = Playground::new();
        let filled = playground.run_console("rows = []\nwhile True:\n    rows.append([0] * 1000)\n");
        let answers = playground.run_console("print(len(rows) > 1000)\ndel rows");
        let again = playground.run_console("rows = [[0] * 1000 for _ in range(1000)]\nprint(len(rows))");
        (filled.error.map(|e| e.type_name), answers, again)
    });
    let (filled, answers, again) = thread.expect("spawn a test thread").join().expect("no panic");
    assert_eq!(filled.as_deref(), Some("MemoryError"));
    assert_eq!((answers.output.as_str(), answers.error.map(|e| e.traceback)), ("True\n", None));
    assert_eq!((again.output.as_str(), again.error.map(|e| e.traceback)), ("1000\n", None));
}

#[test]
fn a_runaway_inside_a_flush_leaves_the_session_usable() {
    let mut playground = Playground::new();
    let setup = "class Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(20))\n\
                 \x20   def __repr__(self):\n        while True: pass\n\ndb.create_all()\n";
    assert_eq!(playground.apply_models(setup, false).run.error.map(|e| e.traceback), None);
    assert_eq!(playground.run_console("db.session.add(Item(name='kept')); db.session.commit()").error.map(|e| e.traceback), None);
    let runaway = playground.run_console("Item.query.all()");
    assert_eq!(runaway.error.map(|e| e.message), Some(BUDGET.to_owned()));
    let after = playground.run_console("print(db.session.query(Item.name).all())");
    assert_eq!(after.error.map(|e| e.traceback), None);
    assert_eq!(after.output, "[('kept',)]\n");
}

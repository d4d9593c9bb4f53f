//! Control flow details a host relies on: steps are counted per statement and
//! loop iteration, loops see lists mutated while iterating (as CPython), and
//! `try`/`finally` run on every way out.

use sqla_engine::script::Interpreter;

fn run(src: &str) -> (String, u64) {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "cf.py");
    interp.run_module(&main, src).unwrap();
    (interp.take_output(), interp.steps_used())
}

#[test]
fn steps_grow_with_the_work_done() {
    let (_, small) = run("for i in range(10):\n    pass\n");
    let (_, large) = run("for i in range(1000):\n    pass\n");
    assert!(small < 30 && large > 1000 && large < 3000, "{small} {large}");
}

#[test]
fn iterating_a_list_while_appending_sees_new_items() {
    let (out, _) = run("xs = [1, 2]\nfor x in xs:\n    if x < 4:\n        xs.append(x + 2)\nprint(xs)\nys = [1, 2, 3, 4]\nfor y in ys:\n    ys.remove(y)\nprint(ys)\n");
    assert_eq!(out, "[1, 2, 3, 4, 5]\n[2, 4]\n");
}

#[test]
fn finally_runs_on_every_exit() {
    let (out, _) = run(
        "def f(kind):\n    for _ in range(1):\n        try:\n            if kind == 'return':\n                return 'r'\n            if kind == 'break':\n                break\n            if kind == 'raise':\n                raise ValueError\n        finally:\n            print('finally', kind)\n    return 'end'\nfor k in ['return', 'break', 'raise', 'normal']:\n    try:\n        print(f(k))\n    except ValueError:\n        print('raised')\n",
    );
    assert_eq!(out, "finally return\nr\nfinally break\nend\nfinally raise\nraised\nfinally normal\nend\n");
}

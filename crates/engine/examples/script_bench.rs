//! Measures the interpreter on small workloads and prints the timings.
//! Run with `cargo run --release -p sqla-engine --example script_bench`.

use std::time::Instant;

use sqla_engine::script::Interpreter;

const CASES: &[(&str, &str, u64)] = &[
    ("append f-strings (10k)", "xs = []\nfor i in range(10000):\n    xs.append(f\"user{i}\")\n", 10_000),
    (
        "call small function (100k)",
        "def add(a, b):\n    return a + b\ntotal = 0\nfor i in range(100000):\n    total = add(total, i)\n",
        100_000,
    ),
    (
        "create instances (10k)",
        "class User:\n    def __init__(self, name, age):\n        self.name = name\n        self.age = age\nusers = [User(f'u{i}', i % 90) for i in range(10000)]\n",
        10_000,
    ),
    (
        "attribute reads (100k)",
        "class P:\n    def __init__(self):\n        self.x = 1\np = P()\nt = 0\nfor i in range(100000):\n    t += p.x\n",
        100_000,
    ),
    (
        "method calls (100k)",
        "class C:\n    def __init__(self):\n        self.n = 0\n    def inc(self):\n        self.n += 1\nc = C()\nfor i in range(100000):\n    c.inc()\n",
        100_000,
    ),
    ("dict updates (100k)", "d = {}\nfor i in range(100000):\n    d[i % 100] = d.get(i % 100, 0) + 1\n", 100_000),
    ("list comprehension (100k)", "ys = [x * 2 for x in range(100000) if x % 3]\n", 100_000),
    ("sum of generator (100k)", "s = sum(x * x for x in range(100000))\n", 100_000),
    ("sort with key (10k)", "import_free = [(i * 7919) % 10007 for i in range(10000)]\nr = sorted(import_free, key=lambda v: -v)\n", 10_000),
];

fn main() {
    for (name, source, ops) in CASES {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let mut interp = Interpreter::new();
            let m = interp.new_module("__main__", "bench.py");
            let t0 = Instant::now();
            if let Err(e) = interp.run_module(&m, source) {
                eprintln!("{name}: {}", e.render());
                return;
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        println!("{name:<30} {:>8.2} ms  {:>7.0} ns/iteration", best * 1e3, best * 1e9 / *ops as f64);
    }
    let mut interp = Interpreter::new();
    let m = interp.new_module("__main__", "bench.py");
    let t0 = Instant::now();
    let r = interp.run_module(&m, "while True:\n    pass\n");
    let steps = interp.limits().max_steps;
    println!(
        "{:<30} {:>8.2} ms  ({} steps, stopped: {})",
        "while True: pass",
        t0.elapsed().as_secs_f64() * 1e3,
        steps,
        r.is_err()
    );
}

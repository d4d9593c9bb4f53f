//! Fuzz-style robustness: random token soup and mutations of the fixture
//! scripts go through every entry point (compile, run, console check,
//! preview, completion, highlighting) on a 1 MiB stack with a small budget.
//! Nothing may panic, overflow the stack or run past the budget.

use std::path::Path;

use sqla_engine::script::highlight::highlight;
use sqla_engine::script::{compile, Interpreter};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TOKENS: &[&str] = &[
    "x", "y", "self", "print", "len", "range", "User", "def", "class", "if", "elif", "else", "for", "while", "in", "not", "and", "or", "is",
    "try", "except", "finally", "with", "as", "lambda", "return", "raise", "from", "import", "del", "pass", "break", "continue", "global",
    "nonlocal", "assert", "yield", "async", "await", "None", "True", "False", "0", "1", "42", "3.5", "1e9", "0x1f", "'s'", "\"t\"", "f'{x}'",
    "b'b'", "'''", "(", ")", "[", "]", "{", "}", ":", ",", ".", ";", "=", "==", "+", "-", "*", "**", "/", "//", "%", "@", "<", ">", "!=", "+=",
    "->", "...", "\\", "#", "\n", "\n    ", "\n        ", "\t", " ", "é", "€", "$", "?", "`",
];

const SNIPPETS: &[&str] = &[
    "while True:\n    pass\n",
    "def f(n):\n    return f(n + 1)\nf(0)\n",
    "x = [0] * 10**9\n",
    "class A:\n    def __repr__(self):\n        return repr(self)\nprint(A())\n",
    "a = []\na.append(a)\nprint(a)\n",
    "d = {}\nfor k in d:\n    d[k] = 1\n",
    "print(*[1, 2], sep=None, end=None)\n",
    "g = (x for x in range(3))\nprint(list(g), next(g, 'done'))\n",
    "s = '%s %d' % ('a', 1)\nprint(s.format(1), f'{s!r:>{10}}')\n",
];

fn check(source: String) {
    let result = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let _ = compile(&source, "fuzz.py");
            let _ = Interpreter::check_console_input(&source);
            let _ = highlight(&source);
            let mut interp = Interpreter::new();
            interp.limits_mut().max_steps = 20_000;
            interp.limits_mut().max_alloc_bytes = 1 << 20;
            let main = interp.new_module("__main__", "fuzz.py");
            if let Err(e) = interp.run_module(&main, &source) {
                let _ = e.render();
            }
            let _ = interp.run_console(&main, &source);
            let first_line = source.lines().next().unwrap_or("");
            let _ = interp.preview(&main, first_line);
            let _ = interp.completions(&main, first_line);
            assert!(interp.steps_used() <= 20_000 + 1);
        })
        .expect("spawn")
        .join();
    assert!(result.is_ok(), "panicked or overflowed");
}

fn fixture_sources() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/script");
    let mut paths: Vec<_> = std::fs::read_dir(dir).expect("fixtures").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "py")).collect();
    paths.sort();
    paths.into_iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect()
}

#[test]
fn random_token_soup_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..150 {
        let n = 1 + rng.below(40);
        let mut src = String::new();
        for _ in 0..n {
            src.push_str(rng.pick(TOKENS));
            if rng.below(3) == 0 {
                src.push(' ');
            }
        }
        check(src);
    }
}

#[test]
fn mutated_scripts_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut corpus = fixture_sources();
    corpus.extend(SNIPPETS.iter().map(|s| s.to_string()));
    for _ in 0..120 {
        let base = corpus[rng.below(corpus.len())].clone();
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let len = chars.len().max(1);
            let at = rng.below(len).min(chars.len());
            match rng.below(5) {
                0 => {
                    let end = (at + rng.below(12)).min(chars.len());
                    chars.drain(at..end);
                }
                1 => {
                    let tok: Vec<char> = rng.pick(TOKENS).chars().collect();
                    chars.splice(at..at, tok);
                }
                2 => {
                    let other = rng.below(len).min(chars.len().saturating_sub(1));
                    if at < chars.len() {
                        chars.swap(at, other);
                    }
                }
                3 => chars.truncate(at),
                _ => {
                    let line_start = chars[..at].iter().rposition(|c| *c == '\n').map_or(0, |i| i + 1);
                    let line_end = chars[at..].iter().position(|c| *c == '\n').map_or(chars.len(), |i| at + i + 1);
                    let line: Vec<char> = chars[line_start..line_end].to_vec();
                    chars.splice(line_start..line_start, line);
                }
            }
        }
        check(chars.into_iter().collect());
    }
}

#[test]
fn hostile_snippets_end_cleanly() {
    for s in SNIPPETS {
        check(s.to_string());
    }
}

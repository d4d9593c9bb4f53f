//! Runs every script in tests/fixtures/script through the interpreter and
//! compares what it prints (output, then the traceback of an uncaught error)
//! with what CPython 3.11 printed for the same file (the `.out` files, made by
//! `record.py` there).

use std::path::Path;

use sqla_engine::script::Interpreter;

fn run_fixture(path: &Path) -> String {
    let source = std::fs::read_to_string(path).expect("fixture is readable UTF-8");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("fixture.py");
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", name);
    let result = interp.run_module(&main, &source);
    let mut out = interp.take_output();
    if let Err(e) = result {
        out.push_str(&e.render());
    }
    out
}

#[test]
fn fixtures_match_cpython() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/script");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py") && p.file_name().is_some_and(|n| n != "record.py"))
        .collect();
    names.sort();
    assert!(names.len() > 40, "fixtures missing");
    let mut failures = Vec::new();
    for path in &names {
        let expected = std::fs::read_to_string(path.with_extension("out")).unwrap_or_else(|_| panic!("{} has no .out (run record.py)", path.display()));
        // A fresh thread per fixture with the wasm-sized stack.
        let p = path.clone();
        let actual = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || run_fixture(&p))
            .expect("thread")
            .join()
            .unwrap_or_else(|_| "<panicked>".to_string());
        if actual != expected {
            let first_diff = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
            failures.push(format!(
                "--- {}: first difference at line {}\nexpected: {:?}\nactual:   {:?}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
                first_diff + 1,
                expected.lines().nth(first_diff).unwrap_or("<end>"),
                actual.lines().nth(first_diff).unwrap_or("<end>")
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures differ from CPython:\n{}", failures.len(), names.len(), failures.join("\n"));
}

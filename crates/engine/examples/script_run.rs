//! Run a Python file through the playground interpreter: `cargo run --example script_run -- file.py`.
use sqla_engine::script::Interpreter;

fn main() {
    let path = std::env::args().nth(1).expect("usage: script_run FILE.py");
    let source = std::fs::read_to_string(&path).expect("readable file");
    let mut interp = Interpreter::new();
    interp.set_output_sink(Some(Box::new(|s: &str| print!("{s}"))));
    let main = interp.new_module("__main__", &path);
    if let Err(e) = interp.run_module(&main, &source) {
        eprint!("{}", e.render());
        std::process::exit(1);
    }
}

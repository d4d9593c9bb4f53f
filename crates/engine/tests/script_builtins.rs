//! Builtins a host cares about: `print` goes to the output sink (buffered or
//! streamed), unsupported builtins say so, and the builtins module lists the
//! expected names.

use std::cell::RefCell;
use std::rc::Rc;

use sqla_engine::script::Interpreter;

#[test]
fn print_writes_to_the_output_buffer_or_sink() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "b.py");
    interp.run_module(&main, "print('a', 1, None, sep='-', end='|')\nprint()\nprint('x', 'y')").unwrap();
    assert_eq!(interp.take_output(), "a-1-None|\nx y\n");
    assert_eq!(interp.take_output(), "");
    let chunks = Rc::new(RefCell::new(Vec::new()));
    let sink = chunks.clone();
    interp.set_output_sink(Some(Box::new(move |s: &str| sink.borrow_mut().push(s.to_string()))));
    interp.run_module(&main, "for i in range(3):\n    print(i)\n").unwrap();
    assert_eq!(*chunks.borrow(), vec!["0\n", "1\n", "2\n"]);
    assert_eq!(interp.take_output(), "");
}

#[test]
fn print_arguments_are_checked_like_cpython() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "b.py");
    let out = |interp: &mut Interpreter, src: &str| match interp.run_module(&main, src) {
        Ok(()) => interp.take_output(),
        Err(e) => e.render().lines().last().unwrap_or("").to_string(),
    };
    assert_eq!(out(&mut interp, "print(1, sep=2)"), "TypeError: sep must be None or a string, not int");
    assert_eq!(out(&mut interp, "print(1, colour='red')"), "TypeError: 'colour' is an invalid keyword argument for print()");
    assert_eq!(out(&mut interp, "print(1, sep=None, end=None, flush=True)"), "1\n");
}

#[test]
fn unsupported_builtins_explain_themselves() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "b.py");
    for name in ["open", "input", "exec", "eval", "compile", "breakpoint", "help"] {
        let e = interp.run_module(&main, &format!("{name}('x')")).unwrap_err();
        assert_eq!(e.type_name(), "NotImplementedError");
        assert_eq!(e.message(), format!("{name}() is not supported in the playground"));
    }
}

#[test]
fn the_builtins_module_has_the_usual_names() {
    let interp = Interpreter::new();
    let names: Vec<String> = interp.builtins().names().iter().map(|n| n.to_string()).collect();
    for expected in [
        "print", "len", "range", "str", "int", "float", "bool", "list", "dict", "tuple", "set", "sorted", "reversed", "enumerate", "zip", "min",
        "max", "sum", "abs", "round", "isinstance", "issubclass", "type", "getattr", "setattr", "hasattr", "delattr", "repr", "any", "all", "dir",
        "id", "hash", "iter", "next", "map", "filter", "callable", "chr", "ord", "divmod", "pow", "format", "vars", "object", "super", "hex",
        "oct", "bin", "property", "staticmethod", "classmethod", "frozenset", "bytes", "slice", "Exception", "ValueError", "KeyError",
        "RecursionError", "ModuleNotFoundError", "NotImplemented", "Ellipsis",
    ] {
        assert!(names.contains(&expected.to_string()), "missing {expected}");
    }
}

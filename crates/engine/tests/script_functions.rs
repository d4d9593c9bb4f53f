//! Python functions called from the host, with arguments bound and errors
//! reported as Python would; closures and defaults behave as in CPython.

use std::rc::Rc;

use sqla_engine::script::{ExcKind, Interpreter, Value};

fn setup(src: &str) -> (Interpreter, Rc<sqla_engine::script::Module>) {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "fn.py");
    interp.run_module(&main, src).unwrap();
    (interp, main)
}

#[test]
fn host_calls_python_functions_with_keywords() {
    let (mut interp, main) = setup("def greet(name, greeting='Hello', *, punct='!'):\n    return f'{greeting}, {name}{punct}'\n");
    let greet = main.get("greet").unwrap();
    let r = interp.call(&greet, vec![Value::from("Ann")], vec![(Rc::from("punct"), Value::from("?"))]).unwrap();
    assert_eq!(r.as_str(), Some("Hello, Ann?"));
    let e = interp.call(&greet, vec![], vec![]).unwrap_err();
    assert!(e.is(ExcKind::TypeError));
    let e = interp.call(&greet, vec![Value::from(1), Value::from(2), Value::from(3)], vec![]).unwrap_err();
    assert!(e.is(ExcKind::TypeError));
}

#[test]
fn closures_share_cells_and_defaults_are_evaluated_once() {
    let (mut interp, main) = setup("def counter():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n        return n\n    return inc\nc = counter()\ndef bag(x, items=[]):\n    items.append(x)\n    return items\n");
    let c = main.get("c").unwrap();
    for expected in 1..=3 {
        assert_eq!(interp.call(&c, vec![], vec![]).unwrap().as_int(), Some(expected));
    }
    let bag = main.get("bag").unwrap();
    interp.call(&bag, vec![Value::from(1)], vec![]).unwrap();
    let r = interp.call(&bag, vec![Value::from(2)], vec![]).unwrap();
    assert_eq!(interp.repr(&r).unwrap(), "[1, 2]");
}

#[test]
fn function_objects_describe_themselves() {
    let (mut interp, main) = setup("def outer():\n    def inner():\n        pass\n    return inner\nf = outer()\ng = lambda: 0\n");
    let f = main.get("f").unwrap();
    let r = interp.repr(&f).unwrap();
    assert!(r.starts_with("<function outer.<locals>.inner at 0x"), "{r}");
    let name = interp.getattr(&main.get("g").unwrap(), "__name__").unwrap();
    assert_eq!(name.as_str(), Some("<lambda>"));
    assert!(interp.is_callable(&f));
}

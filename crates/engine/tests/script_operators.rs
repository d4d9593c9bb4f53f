//! Operators through the API and the deliberate 64-bit integer behaviour
//! (CPython's ints are unbounded; the playground's raise OverflowError).

use sqla_engine::script::ast::{BinOp, CmpOp, UnaryOp};
use sqla_engine::script::{ExcKind, Interpreter, Value};

#[test]
fn arithmetic_follows_python_semantics() {
    let mut i = Interpreter::new();
    let cases: &[(Value, BinOp, Value, &str)] = &[
        (Value::from(-7), BinOp::FloorDiv, Value::from(2), "-4"),
        (Value::from(-7), BinOp::Mod, Value::from(2), "1"),
        (Value::from(7), BinOp::Div, Value::from(2), "3.5"),
        (Value::from(2), BinOp::Pow, Value::from(-1), "0.5"),
        (Value::from(-7.5), BinOp::Mod, Value::from(2), "0.5"),
        (Value::from("ab"), BinOp::Mul, Value::from(2), "'abab'"),
        (Value::from(true), BinOp::Add, Value::from(true), "2"),
        (Value::from(true), BinOp::BitAnd, Value::from(false), "False"),
    ];
    for (a, op, b, expected) in cases {
        let r = i.binary_op(a, *op, b).unwrap();
        assert_eq!(i.repr(&r).unwrap(), *expected, "{a:?} {} {b:?}", op.symbol());
    }
    let neg = i.unary_op(UnaryOp::Neg, &Value::from(5)).unwrap();
    assert_eq!(neg.as_int(), Some(-5));
    let lt = i.compare(&Value::from(1), CmpOp::Lt, &Value::from(1.5)).unwrap();
    assert_eq!(lt.as_bool(), Some(true));
    let contains = i.compare(&Value::from("b"), CmpOp::In, &Value::from("abc")).unwrap();
    assert_eq!(contains.as_bool(), Some(true));
}

#[test]
fn errors_name_the_operands() {
    let mut i = Interpreter::new();
    let e = i.binary_op(&Value::from(1), BinOp::Add, &Value::from("a")).unwrap_err();
    assert!(e.is(ExcKind::TypeError));
    let e = i.binary_op(&Value::from(1), BinOp::FloorDiv, &Value::from(0)).unwrap_err();
    assert!(e.is(ExcKind::ZeroDivisionError));
    let e = i.compare(&Value::from(1), CmpOp::Lt, &Value::None).unwrap_err();
    assert!(e.is(ExcKind::TypeError));
}

#[test]
fn integers_overflow_past_64_bits() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "ops.py");
    interp
        .run_module(
            &main,
            "big = 9223372036854775807\nfor expr in [lambda: big + 1, lambda: -big - 2, lambda: big * 2, lambda: 1 << 63, lambda: 3 ** 40, lambda: abs(-big - 1), lambda: -(-big - 1)]:\n    try:\n        expr()\n    except OverflowError:\n        print('overflow', end=' ')\nprint()\nprint(big, -big - 1, 2 ** 62 + (2 ** 62 - 1), 1 << 62, (-big - 1) // -2, 3 ** 39)\n",
        )
        .unwrap();
    assert_eq!(
        interp.take_output(),
        "overflow overflow overflow overflow overflow overflow overflow \n9223372036854775807 -9223372036854775808 9223372036854775807 4611686018427387904 4611686018427387904 4052555153018976267\n"
    );
}

#[test]
fn fuzz_found_edge_cases_finish_quickly() {
    // Repeating an empty sequence a huge number of times used to spin, and
    // rounding to a hugely negative number of digits overflowed.
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "edge.py");
    interp
        .run_module(
            &main,
            "print(() * 9223372036854775807, [] * 10**18, '' * 10**18)\nprint(round(123.5, -400), round(-1.5, -9223372036854775807), round(2.5, 400))\n",
        )
        .unwrap();
    assert_eq!(interp.take_output(), "() [] \n0.0 -0.0 2.5\n");
}

//! Values through the host API: conversions, accessors, identity, reprs,
//! Python's key equality (`1 == 1.0 == True`) in dicts, code point strings.

use std::rc::Rc;

use sqla_engine::script::value::same_object;
use sqla_engine::script::{Interpreter, NativeObject, Value};

#[test]
fn conversions_and_accessors() {
    assert_eq!(Value::from(5).as_int(), Some(5));
    assert_eq!(Value::from(true).as_int(), Some(1));
    assert_eq!(Value::from(2).as_float(), Some(2.0));
    assert_eq!(Value::from("hi").as_str(), Some("hi"));
    assert_eq!(Value::from(Some(3)).as_int(), Some(3));
    assert!(Value::from(None::<i64>).is_none());
    assert_eq!(Value::list(vec![Value::from(1)]).sequence_items().map(|v| v.len()), Some(1));
    let types: Vec<String> = [Value::None, Value::from(1), Value::from(1.5), Value::from("s"), Value::list(vec![]), Value::tuple(vec![]), Value::empty_dict(), Value::bytes(vec![1])]
        .iter()
        .map(Value::type_name)
        .collect();
    assert_eq!(types, ["NoneType", "int", "float", "str", "list", "tuple", "dict", "bytes"]);
}

#[test]
fn identity_follows_python() {
    let l = Value::list(vec![]);
    assert!(same_object(&l, &l.clone()));
    assert!(!same_object(&l, &Value::list(vec![])));
    assert!(same_object(&Value::None, &Value::None));
    assert!(same_object(&Value::from(7), &Value::from(7)));
    assert!(!same_object(&Value::from(1), &Value::from(true)));
}

#[test]
fn reprs_of_nested_and_recursive_values() {
    let mut interp = Interpreter::new();
    let inner = Value::list(vec![Value::from(1), Value::from("a")]);
    let outer = Value::tuple(vec![inner.clone(), Value::None, Value::from(0.1), Value::from(1e16)]);
    assert_eq!(interp.repr(&outer).unwrap(), "([1, 'a'], None, 0.1, 1e+16)");
    if let Value::List(l) = &inner {
        l.items.borrow_mut().push(inner.clone());
    }
    assert_eq!(interp.repr(&inner).unwrap(), "[1, 'a', [...]]");
    assert_eq!(interp.str(&Value::from("plain")).unwrap(), "plain");
    assert_eq!(interp.format_value(&Value::from(1.23456), ".2f").unwrap(), "1.23");
}

#[test]
fn dict_keys_compare_like_python() {
    let mut interp = Interpreter::new();
    let d = Value::empty_dict();
    interp.setitem(&d, &Value::from(1), Value::from("int")).unwrap();
    interp.setitem(&d, &Value::from(1.0), Value::from("float")).unwrap();
    interp.setitem(&d, &Value::from(true), Value::from("bool")).unwrap();
    interp.setitem(&d, &Value::tuple(vec![Value::from(1), Value::from("x")]), Value::from("tuple")).unwrap();
    assert_eq!(interp.repr(&d).unwrap(), "{1: 'bool', (1, 'x'): 'tuple'}");
    let Value::Dict(dd) = &d else { panic!() };
    assert_eq!(interp.dict_get(dd, &Value::tuple(vec![Value::from(1.0), Value::from("x")])).unwrap().and_then(|v| v.as_str().map(String::from)), Some("tuple".into()));
    assert!(interp.setitem(&d, &Value::list(vec![]), Value::None).unwrap_err().is(sqla_engine::script::ExcKind::TypeError));
}

#[test]
fn strings_index_by_code_point() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "v.py");
    interp.run_module(&main, "s = 'naïve 日本'\nprint(len(s), s[2], s[-1], s[6:], s[::-1], s.find('日'), s.upper())").unwrap();
    assert_eq!(interp.take_output(), "8 ï 本 日本 本日 evïan 6 NAÏVE 日本\n");
}

struct Token(u32);

impl NativeObject for Token {
    fn type_name(&self) -> &str {
        "Token"
    }
}

#[test]
fn host_objects_downcast_and_default_repr() {
    let mut interp = Interpreter::new();
    let v = Value::Native(Rc::new(Token(7)));
    assert_eq!(v.downcast_native::<Token>().map(|t| t.0), Some(7));
    assert_eq!(v.type_name(), "Token");
    let r = interp.repr(&v).unwrap();
    assert!(r.starts_with("<Token object at 0x") && r.ends_with('>'), "{r}");
    // Identity semantics for equality and hashing by default.
    assert!(interp.eq(&v, &v.clone()).unwrap());
    assert!(!interp.eq(&v, &Value::Native(Rc::new(Token(7)))).unwrap());
    assert_eq!(interp.hash(&v).unwrap(), interp.hash(&v.clone()).unwrap());
}

//! Classes through the host API: building classes, `isinstance`, `dir()`,
//! namespaces, and the usual special methods reached from Rust.

use sqla_engine::script::{ClassBuilder, Interpreter, Value};

#[test]
fn python_classes_seen_from_the_host() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "c.py");
    interp
        .run_module(&main, "class Base:\n    kind = 'base'\n    def hello(self):\n        return 'hi'\nclass User(Base):\n    '''A user.'''\n    name: str = 'anon'\n    def __len__(self):\n        return 3\n    def __eq__(self, other):\n        return isinstance(other, User)\nu = User()\n")
        .unwrap();
    let Some(Value::Class(user)) = main.get("User") else { panic!("class") };
    let u = main.get("u").unwrap();
    let Some(Value::Class(base)) = main.get("Base") else { panic!("class") };
    assert!(interp.isinstance(&u, &base));
    assert_eq!(user.ancestors().iter().map(|c| c.name.to_string()).collect::<Vec<_>>(), vec!["Base", "object"]);
    let names: Vec<String> = user.namespace().iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(names, ["__module__", "__annotations__", "__doc__", "name", "__len__", "__eq__", "__hash__"]);
    assert_eq!(user.annotations().len(), 1);
    assert_eq!(interp.len(&u).unwrap(), 3);
    assert!(interp.eq(&u, &u.clone()).unwrap());
    assert!(interp.hash(&u).is_err(), "__eq__ without __hash__ makes instances unhashable");
    let dir = interp.attribute_names(&u);
    assert!(dir.contains(&"hello".to_string()) && dir.contains(&"kind".to_string()) && dir.contains(&"__init__".to_string()));
    assert_eq!(interp.call_method(&u, "hello", Default::default()).unwrap().as_str(), Some("hi"));
}

#[test]
fn host_built_classes_work_in_python() {
    let mut interp = Interpreter::new();
    let greeter = ClassBuilder::new("Greeter", "host")
        .attr("greeting", "Hello")
        .method("greet", |interp, args| {
            let this = args.receiver()?.clone();
            let g = interp.getattr(&this, "greeting")?;
            let name = args.get(1).cloned().unwrap_or(Value::from("world"));
            Ok(Value::from(format!("{}, {}!", interp.str(&g)?, interp.str(&name)?)))
        })
        .class_method("make", |interp, args| {
            let cls = args.receiver()?.clone();
            interp.call(&cls, vec![], vec![])
        })
        .static_method("version", |_, _| Ok(Value::from(2)))
        .build(&interp)
        .unwrap();
    interp.builtins().set("Greeter", Value::Class(greeter));
    let main = interp.new_module("__main__", "c.py");
    interp.run_module(&main, "class Loud(Greeter):\n    greeting = 'HEY'\nprint(Greeter().greet('Ann'), Loud.make().greet(), Loud.version(), Greeter.greet, isinstance(Loud(), Greeter))\n").unwrap();
    let out = interp.take_output();
    assert!(out.starts_with("Hello, Ann! HEY, world! 2 <built-in function greet> True"), "{out}");
}

//! The extension API, exercised the way the ORM bindings will use it: a toy
//! "orm" module with a model base class whose subclasses get column
//! descriptors, expression objects built by operators, a query class users
//! can subclass, a context manager, host exceptions, previews and locations.

use std::cell::RefCell;
use std::rc::Rc;

use sqla_engine::script::ast::{BinOp, CmpOp, UnaryOp};
use sqla_engine::script::{
    function, iterator_from_values, CallArgs, Class, ClassBuilder, ClassHooks, DescriptorKind, ExcKind, FromValue, Instance, Interpreter,
    ModuleBuilder, NativeObject, PyErr, PyResult, ScriptErrorKind, Value,
};

/// A column as declared in a class body: `db.Column(...)` / `mapped_column(...)`.
struct ColumnSpec {
    primary_key: bool,
}

impl NativeObject for ColumnSpec {
    fn type_name(&self) -> &str {
        "Column"
    }
}

/// What a column becomes on a mapped class: a data descriptor.
struct ColumnAttr {
    table: String,
    name: String,
}

/// SQL-ish expressions built by operators on class attributes.
struct Expr(String);

impl NativeObject for Expr {
    fn type_name(&self) -> &str {
        "BinaryExpression"
    }
    fn repr(&self, _: &mut Interpreter, _: &Value) -> PyResult<String> {
        Ok(self.0.clone())
    }
    fn truthy(&self, _: &mut Interpreter, _: &Value) -> PyResult<bool> {
        Err(PyErr::type_error("Boolean value of this clause is not defined"))
    }
    fn binary_op(&self, interp: &mut Interpreter, _: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        let o = operand(interp, other)?;
        let sym = match op {
            BinOp::BitAnd => "AND",
            BinOp::BitOr => "OR",
            other => other.symbol(),
        };
        let text = if reflected { format!("({o} {sym} {})", self.0) } else { format!("({} {sym} {o})", self.0) };
        Ok(Some(Value::Native(Rc::new(Expr(text)))))
    }
    fn unary_op(&self, _: &mut Interpreter, _: &Value, op: UnaryOp) -> PyResult<Option<Value>> {
        Ok(Some(Value::Native(Rc::new(Expr(match op {
            UnaryOp::Invert => format!("NOT {}", self.0),
            UnaryOp::Neg => format!("-{}", self.0),
            _ => self.0.clone(),
        })))))
    }
}

fn operand(interp: &mut Interpreter, v: &Value) -> PyResult<String> {
    match v.downcast_native::<Expr>() {
        Some(e) => Ok(e.0.clone()),
        None => interp.repr(v),
    }
}

/// Per-instance state: the row values.
#[derive(Default)]
struct RowState {
    values: RefCell<Vec<(String, Value)>>,
}

impl NativeObject for ColumnAttr {
    fn type_name(&self) -> &str {
        "InstrumentedAttribute"
    }
    fn descriptor(&self) -> DescriptorKind {
        DescriptorKind::Data
    }
    fn descr_get(&self, _: &mut Interpreter, this: &Value, instance: Option<&Value>, _owner: &Rc<Class>) -> PyResult<Value> {
        let Some(inst) = instance.and_then(|i| i.as_instance()) else {
            // Class access: the attribute itself (used to build expressions).
            return Ok(this.clone());
        };
        let state = inst.native_state_as::<RowState>().ok_or_else(|| PyErr::runtime_error("not instrumented"))?;
        let values = state.values.borrow();
        Ok(values.iter().find(|(k, _)| *k == self.name).map_or(Value::None, |(_, v)| v.clone()))
    }
    fn descr_set(&self, interp: &mut Interpreter, _: &Value, instance: &Value, value: Value) -> PyResult<()> {
        interp.check_side_effect("setting a column")?;
        let state = instance.as_instance().and_then(|i| i.native_state_as::<RowState>()).ok_or_else(|| PyErr::runtime_error("not instrumented"))?;
        let mut values = state.values.borrow_mut();
        values.retain(|(k, _)| *k != self.name);
        values.push((self.name.clone(), value));
        Ok(())
    }
    fn repr(&self, _: &mut Interpreter, _: &Value) -> PyResult<String> {
        Ok(format!("{}.{}", self.table, self.name))
    }
    fn compare(&self, interp: &mut Interpreter, _: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let o = operand(interp, other)?;
        Ok(Some(Value::Native(Rc::new(Expr(format!("{}.{} {} {o}", self.table, self.name, op.symbol()))))))
    }
    fn binary_op(&self, interp: &mut Interpreter, _: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        let me = format!("{}.{}", self.table, self.name);
        let o = operand(interp, other)?;
        let text = if reflected { format!("{o} {} {me}", op.symbol()) } else { format!("{me} {} {o}", op.symbol()) };
        Ok(Some(Value::Native(Rc::new(Expr(text)))))
    }
    fn hash(&self, _: &mut Interpreter, _: &Value) -> PyResult<i64> {
        Ok(self.name.len() as i64)
    }
}

/// What the model hook records about a mapped class.
struct Mapper {
    table: String,
    columns: Vec<String>,
    annotations: Vec<String>,
}

struct ModelHooks;

impl ClassHooks for ModelHooks {
    fn init_subclass(&self, interp: &mut Interpreter, cls: &Rc<Class>, _kwargs: &[(Rc<str>, Value)]) -> PyResult<()> {
        let table = match cls.own_attr("__tablename__") {
            Some(Value::Str(s)) => s.as_str().to_string(),
            _ => cls.name.to_lowercase(),
        };
        let mut columns = Vec::new();
        for (name, value) in cls.namespace() {
            if let Some(spec) = value.downcast_native::<ColumnSpec>() {
                let _ = spec.primary_key;
                cls.set_attr(&name, Value::Native(Rc::new(ColumnAttr { table: table.clone(), name: name.to_string() })));
                columns.push(name.to_string());
            }
        }
        let mut annotations = Vec::new();
        for (name, ann) in cls.annotations() {
            annotations.push(format!("{name}: {}", interp.repr(&ann)?));
            if !columns.contains(&name.to_string()) {
                cls.set_attr(&name, Value::Native(Rc::new(ColumnAttr { table: table.clone(), name: name.to_string() })));
                columns.push(name.to_string());
            }
        }
        cls.set_host_data(Rc::new(Mapper { table, columns, annotations }));
        Ok(())
    }

    fn new_instance(&self, _: &mut Interpreter, instance: &Rc<Instance>) -> PyResult<()> {
        instance.set_native_state(Rc::new(RowState::default()));
        Ok(())
    }
}

/// `Mapped[...]`: subscripting gives back an annotation marker.
struct MappedMarker;

impl NativeObject for MappedMarker {
    fn type_name(&self) -> &str {
        "_MappedMarker"
    }
    fn get_item(&self, interp: &mut Interpreter, _: &Value, key: &Value) -> PyResult<Option<Value>> {
        let inner = match key {
            Value::Class(c) => c.name.to_string(),
            other => interp.repr(other)?,
        };
        Ok(Some(Value::from(format!("Mapped[{inner}]"))))
    }
}

/// `app.app_context()`: a context manager that records enter/exit.
struct AppContext {
    log: Rc<RefCell<Vec<String>>>,
}

impl NativeObject for AppContext {
    fn type_name(&self) -> &str {
        "AppContext"
    }
    fn enter(&self, _: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        self.log.borrow_mut().push("push".into());
        Ok(Some(this.clone()))
    }
    fn exit(&self, interp: &mut Interpreter, _: &Value, exception: Option<&Value>) -> PyResult<bool> {
        let what = match exception {
            Some(e) => format!("pop after {}", interp.class_of(e).name),
            None => "pop".into(),
        };
        self.log.borrow_mut().push(what);
        Ok(false)
    }
}

/// A query over the toy table: iterable, sized, indexable.
struct QueryState {
    rows: Vec<Value>,
}

fn query_rows(interp: &mut Interpreter, this: &Value) -> PyResult<Vec<Value>> {
    let inst = this.as_instance().ok_or_else(|| PyErr::type_error("not a query"))?;
    let _ = interp;
    Ok(inst.native_state_as::<QueryState>().map(|q| q.rows.clone()).unwrap_or_default())
}

fn install_toy(interp: &mut Interpreter, log: Rc<RefCell<Vec<String>>>) {
    interp.register_module("toy", move |interp| {
        let base_error = interp.new_exception_class("ToyError", "toy.exc", &interp.exception_class(ExcKind::Exception))?;
        let integrity = interp.new_exception_class("IntegrityError", "toy.exc", &base_error)?;
        let model = ClassBuilder::new("Model", "toy")
            .method("__init__", |interp, args| {
                let this = args.receiver()?.clone();
                for (k, v) in args.kwargs {
                    if !interp.hasattr(&this, &k)? {
                        let cls = interp.class_of(&this);
                        return Err(PyErr::type_error(format!("'{k}' is an invalid keyword argument for {}", cls.name)));
                    }
                    interp.setattr(&this, &k, v)?;
                }
                Ok(Value::None)
            })
            .method("__repr__", |interp, args| {
                let this = args.receiver()?.clone();
                let cls = interp.class_of(&this);
                let id = interp.getattr(&this, "id")?;
                Ok(Value::from(format!("<{} {}>", cls.name, interp.repr(&id)?)))
            })
            .hooks(ModelHooks)
            .build(interp)?;
        let integrity_for_save = integrity.clone();
        let save = function("save", move |interp, args| {
            let this = args.receiver()?.clone();
            let name = interp.getattr(&this, "name")?;
            if name.as_str() == Some("dup") {
                let exc = interp.new_exception(&integrity_for_save, vec![Value::from("UNIQUE constraint failed: user.name")]);
                exc.set_own("orig", Value::from("sqlite3.IntegrityError"));
                return Err(PyErr::from_instance(exc));
            }
            Ok(Value::Bool(true))
        })
        .side_effects();
        let model = {
            model.set_attr("save", save.method().qualname("Model.save").build());
            model
        };
        let query = ClassBuilder::new("Query", "toy")
            .method("all", |interp, args| Ok(Value::list(query_rows(interp, args.receiver()?)?)))
            .method("first", |interp, args| Ok(query_rows(interp, args.receiver()?)?.into_iter().next().unwrap_or(Value::None)))
            .method("filter_by", |interp, args| {
                let this = args.receiver()?.clone();
                let rows = query_rows(interp, &this)?;
                let mut kept = Vec::new();
                for row in rows {
                    let mut ok = true;
                    for (k, v) in &args.kwargs {
                        let got = interp.getattr(&row, k)?;
                        ok &= interp.eq(&got, v)?;
                    }
                    if ok {
                        kept.push(row);
                    }
                }
                let cls = interp.class_of(&this);
                let q = interp.new_instance(&cls);
                q.set_native_state(Rc::new(QueryState { rows: kept }));
                Ok(Value::Instance(q))
            })
            .method("__len__", |interp, args| Ok(Value::from(query_rows(interp, args.receiver()?)?.len())))
            .method("__iter__", |interp, args| Ok(iterator_from_values(query_rows(interp, args.receiver()?)?)))
            .build(interp)?;
        let query_cls = query.clone();
        let make_query = function("make_query", move |interp, args| {
            let rows = args.args.first().map(|v| interp.collect(v)).transpose()?.unwrap_or_default();
            let cls = match args.kwarg("query_class") {
                Some(Value::Class(c)) => c.clone(),
                _ => query_cls.clone(),
            };
            let q = interp.new_instance(&cls);
            q.set_native_state(Rc::new(QueryState { rows }));
            Ok(Value::Instance(q))
        });
        let log = log.clone();
        let m = ModuleBuilder::new("toy")
            .class(&model)
            .class(&query)
            .value("Mapped", Value::Native(Rc::new(MappedMarker)))
            .function("Column", |_, args| {
                let pk = args.kwarg("primary_key").map(bool::from_value).transpose()?.unwrap_or(false);
                Ok(Value::Native(Rc::new(ColumnSpec { primary_key: pk })))
            })
            .function("mapped_column", |_, args| {
                let pk = args.kwarg("primary_key").map(bool::from_value).transpose()?.unwrap_or(false);
                Ok(Value::Native(Rc::new(ColumnSpec { primary_key: pk })))
            })
            .function("app_context", move |_, _| Ok(Value::Native(Rc::new(AppContext { log: log.clone() }))))
            .function_with(make_query)
            .function_with(
                function("where_am_i", |interp, _| {
                    let loc = interp.current_location().ok_or_else(|| PyErr::runtime_error("no frame"))?;
                    let stack: Vec<String> = interp.call_stack().iter().map(|l| format!("{}:{}:{}", l.file, l.line, l.function)).collect();
                    Ok(Value::from(format!("{}:{} via {}", loc.file, loc.line, stack.join(" > "))))
                }),
            )
            .build();
        // The submodule shares the parent's classes, so the parent's factory
        // builds and registers it.
        let exc = ModuleBuilder::new("toy.exc").class(&base_error).class(&integrity).build();
        interp.register_module_object("toy.exc", exc.clone());
        m.set("exc", Value::Module(exc));
        Ok(m)
    });
}

/// An interpreter with the toy module (`toy.exc` holds its exception classes).
fn toy() -> (Interpreter, Rc<RefCell<Vec<String>>>) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut interp = Interpreter::new();
    install_toy(&mut interp, log.clone());
    (interp, log)
}

fn run(interp: &mut Interpreter, src: &str) -> String {
    let main = interp.new_module("__main__", "app.py");
    match interp.run_module(&main, src) {
        Ok(()) => interp.take_output(),
        Err(e) => format!("{}{}", interp.take_output(), e.render()),
    }
}

#[test]
fn models_get_descriptors_hooks_and_native_state() {
    let (mut interp, _) = toy();
    let out = run(
        &mut interp,
        r#"
from toy import Model, Column, Mapped, mapped_column

class User(Model):
    id = Column(primary_key=True)
    name = Column()

    @property
    def shout(self):
        return self.name.upper()

class Post(Model):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]

    def __repr__(self):
        return f"<Post {self.title!r}>"

u = User(id=1, name="ada")
print(u, u.name, u.shout, User.name, type(User.name).__name__)
u.name = "grace"
u.nickname = "g"
print(u.name, u.nickname, sorted(vars(u)))
p = Post(id=7, title="Hello")
print(p, Post.title, Post.__annotations__)
print(isinstance(u, Model), issubclass(Post, Model), User.__mro__)
try:
    User(color="red")
except TypeError as e:
    print("TypeError:", e)
"#,
    );
    assert_eq!(
        out,
        "<User 1> ada ADA user.name InstrumentedAttribute\ngrace g ['nickname']\n<Post 'Hello'> posts.title {'id': 'Mapped[int]', 'title': 'Mapped[str]'}\nTrue True (<class '__main__.User'>, <class 'toy.Model'>, <class 'object'>)\nTypeError: 'color' is an invalid keyword argument for User\n"
    );
    // The hook attached host data to the mapped classes.
    let main = interp.new_module("__main__", "check.py");
    interp.run_module(&main, "from toy import Model, Column\nclass Tag(Model):\n    id = Column()\n    label = Column()\n").unwrap();
    let Some(Value::Class(tag)) = main.get("Tag") else { panic!("Tag class") };
    let mapper = tag.host_data_as::<Mapper>().expect("mapper attached");
    assert_eq!(mapper.table, "tag");
    assert_eq!(mapper.columns, vec!["id".to_string(), "label".to_string()]);
    assert!(mapper.annotations.is_empty());
}

#[test]
fn user_init_calling_super_and_overriding_native_repr() {
    let (mut interp, _) = toy();
    let out = run(
        &mut interp,
        r#"
from toy import Model, Column
class User(Model):
    id = Column()
    name = Column()
    def __init__(self, name, **kw):
        super().__init__(name=name.title(), **kw)
        self.created = True
    def __repr__(self):
        return '<User %r>' % self.name
u = User("john doe", id=3)
print(u, u.id, u.created)
"#,
    );
    assert_eq!(out, "<User 'John Doe'> 3 True\n");
}

#[test]
fn operators_on_class_attributes_build_expressions() {
    let (mut interp, _) = toy();
    let out = run(
        &mut interp,
        r#"
from toy import Model, Column
class User(Model):
    id = Column()
    age = Column()
    name = Column()
print(User.age > 30)
print(30 < User.age)
print(User.age + 1, 1 + User.age)
print((User.age >= 18) & (User.name == "x"))
print(~(User.age == 3), -(User.age == 3))
print(User.name != None)
print({User.age: "key"}[User.age])
try:
    if User.age > 3:
        pass
except TypeError as e:
    print("TypeError:", e)
"#,
    );
    assert_eq!(
        out,
        "user.age > 30\nuser.age > 30\nuser.age + 1 1 + user.age\n(user.age >= 18 AND user.name == 'x')\nNOT user.age == 3 -user.age == 3\nuser.name != None\nkey\nTypeError: Boolean value of this clause is not defined\n"
    );
}

#[test]
fn native_classes_can_be_subclassed_like_query_classes() {
    let (mut interp, _) = toy();
    let out = run(
        &mut interp,
        r#"
from toy import Model, Column, Query, make_query
class User(Model):
    id = Column()
    name = Column()
class UserQuery(Query):
    def find_by_name(self, name):
        return self.filter_by(name=name).first()
users = [User(id=i, name=n) for i, n in enumerate(["a", "b", "a"], 1)]
q = make_query(users, query_class=UserQuery)
print(type(q).__name__, len(q), q.find_by_name("b"), q.filter_by(name="a").all())
print([u.id for u in q], isinstance(q, Query))
"#,
    );
    assert_eq!(out, "UserQuery 3 <User 2> [<User 1>, <User 3>]\n[1, 2, 3] True\n");
}

#[test]
fn host_exceptions_are_catchable_by_class_and_base_and_carry_attributes() {
    let (mut interp, _) = toy();
    let out = run(
        &mut interp,
        r#"
from toy import Model, Column
class User(Model):
    id = Column()
    name = Column()
for name in ["ok", "dup"]:
    try:
        print(User(id=1, name=name).save())
    except Exception as e:
        print(type(e).__name__, type(e).__module__, e, e.orig, isinstance(e, Exception))
User(id=2, name="dup").save()
"#,
    );
    assert_eq!(
        out,
        "True\nIntegrityError toy.exc UNIQUE constraint failed: user.name sqlite3.IntegrityError True\nTraceback (most recent call last):\n  File \"app.py\", line 11, in <module>\n    User(id=2, name=\"dup\").save()\ntoy.exc.IntegrityError: UNIQUE constraint failed: user.name\n"
    );
}

#[test]
fn context_managers_from_the_host() {
    let (mut interp, log) = toy();
    let out = run(
        &mut interp,
        "from toy import app_context\nwith app_context() as ctx:\n    print(type(ctx).__name__)\ntry:\n    with app_context():\n        1 / 0\nexcept ZeroDivisionError:\n    print('propagated')\n",
    );
    assert_eq!(out, "AppContext\npropagated\n");
    assert_eq!(*log.borrow(), vec!["push", "pop", "push", "pop after ZeroDivisionError"]);
}

#[test]
fn imports_of_host_modules() {
    let (mut interp, _) = toy();
    let out = run(
        &mut interp,
        r#"
import toy
import toy.exc
from toy.exc import ToyError
print(toy.Model, toy.exc.ToyError is ToyError, issubclass(ToyError, Exception))
try:
    from toy import Nope
except ImportError as e:
    print(type(e).__name__, e)
try:
    import toy.missing
except ImportError as e:
    print(type(e).__name__, e)
try:
    import flask
except ModuleNotFoundError as e:
    print(e)
"#,
    );
    assert_eq!(
        out,
        "<class 'toy.Model'> True True\nImportError cannot import name 'Nope' from 'toy' (unknown location)\nModuleNotFoundError No module named 'toy.missing'\nNo module named 'flask'\n"
    );
}

#[test]
fn previews_refuse_side_effects() {
    let (mut interp, _) = toy();
    let main = interp.new_module("__main__", "app.py");
    interp
        .run_module(&main, "from toy import Model, Column, make_query\nclass User(Model):\n    id = Column()\n    name = Column()\nu = User(id=1, name='a')\nq = make_query([u])\ndef helper():\n    return 1\nitems = [3, 1]\n")
        .unwrap();
    // Pure evaluation works and returns the value.
    let v = interp.preview(&main, "User.name == 'a'").unwrap();
    assert_eq!(interp.repr(&v).unwrap(), "user.name == 'a'");
    let v = interp.preview(&main, "q.filter_by(name='a').all()").unwrap();
    assert_eq!(interp.repr(&v).unwrap(), "[<User 1>]");
    assert_eq!(interp.preview(&main, "sorted(items)[0] + len(items)").unwrap().as_int(), Some(3));
    // Side effects are refused with a reason.
    for (src, reason) in [
        ("u.save()", "Model.save() has side effects"),
        ("helper()", "calling the Python function helper() is not done in previews"),
        ("print('x')", "print() has side effects"),
        ("items.append(5)", "list.append() changes the list"),
        ("setattr(u, 'name', 'b')", "setattr() has side effects"),
    ] {
        let err = interp.preview(&main, src).unwrap_err();
        assert_eq!(err.kind, ScriptErrorKind::PreviewRefused, "{src}");
        assert_eq!(err.message(), reason, "{src}");
    }
    // Nothing was changed.
    interp.run_console(&main, "items, u.name").unwrap();
    assert_eq!(interp.take_output(), "([3, 1], 'a')\n");
    // Ordinary errors are reported as errors.
    let err = interp.preview(&main, "missing_name").unwrap_err();
    assert_eq!((err.kind, err.type_name()), (ScriptErrorKind::Exception, "NameError"));
}

#[test]
fn natives_see_where_the_interpreter_is() {
    let (mut interp, _) = toy();
    let app = interp.new_module("app", "app.py");
    interp.run_module(&app, "from toy import where_am_i\n\ndef work():\n    return where_am_i()\n").unwrap();
    interp.register_module_object("app", app);
    let console = interp.new_module("__main__", "<console>");
    interp.run_console(&console, "from app import work\nprint(work())").unwrap();
    assert_eq!(interp.take_output(), "app.py:4 via <console>:2:<module> > app.py:4:work\n");
    assert!(interp.current_location().is_none());
}

#[test]
fn values_convert_both_ways() {
    let mut interp = Interpreter::new();
    let list: Value = vec![Value::from(1), Value::from("two"), Value::from(2.5), Value::from(true), Value::None].into();
    assert_eq!(interp.repr(&list).unwrap(), "[1, 'two', 2.5, True, None]");
    let d = Value::dict_from_str_pairs([("a", Value::from(1)), ("b", Value::tuple(vec![Value::from(2)]))]);
    assert_eq!(interp.repr(&d).unwrap(), "{'a': 1, 'b': (2,)}");
    assert_eq!(Vec::<i64>::from_value(&Value::list(vec![Value::from(1), Value::from(2)])).unwrap(), vec![1, 2]);
    assert_eq!(Option::<String>::from_value(&Value::None).unwrap(), None);
    assert_eq!(String::from_value(&Value::from("x")).unwrap(), "x");
    let err = i64::from_value(&Value::from("x")).unwrap_err();
    assert!(err.is(ExcKind::TypeError));
    // Host functions receive and return plain values.
    interp.builtins().set("double", function("double", |_, args: CallArgs| Ok(Value::from(i64::from_value(args.get(0).unwrap_or(&Value::None))? * 2))).build());
    let main = interp.new_module("__main__", "t.py");
    interp.run_module(&main, "print(double(21))").unwrap();
    assert_eq!(interp.take_output(), "42\n");
}

#[test]
fn argument_binding_helper_reports_like_python() {
    let mut interp = Interpreter::new();
    interp.builtins().set(
        "paginate",
        function("paginate", |_, args: CallArgs| {
            let [page, per_page] = args.bind("paginate", ["page", "per_page"], 1)?;
            Ok(Value::tuple(vec![page.unwrap_or(Value::None), per_page.unwrap_or(Value::from(20))]))
        })
        .build(),
    );
    let main = interp.new_module("__main__", "t.py");
    let out = run_in(&mut interp, &main, "print(paginate(2), paginate(page=1, per_page=5))\ntry:\n    paginate()\nexcept TypeError as e:\n    print(e)\ntry:\n    paginate(1, 2, 3)\nexcept TypeError as e:\n    print(e)\ntry:\n    paginate(1, page=2)\nexcept TypeError as e:\n    print(e)\ntry:\n    paginate(1, x=2)\nexcept TypeError as e:\n    print(e)\n");
    assert_eq!(
        out,
        "(2, 20) (1, 5)\npaginate() missing 1 required positional argument: 'page'\npaginate() takes from 1 to 2 positional arguments but 3 were given\npaginate() got multiple values for argument 'page'\npaginate() got an unexpected keyword argument 'x'\n"
    );
}

fn run_in(interp: &mut Interpreter, m: &Rc<sqla_engine::script::Module>, src: &str) -> String {
    match interp.run_module(m, src) {
        Ok(()) => interp.take_output(),
        Err(e) => format!("{}{}", interp.take_output(), e.render()),
    }
}

#[test]
fn interpreters_are_independent() {
    let mut a = Interpreter::new();
    let mut b = Interpreter::new();
    let ma = a.new_module("__main__", "a.py");
    let mb = b.new_module("__main__", "b.py");
    a.run_module(&ma, "x = 1\nprint(x)").unwrap();
    let err = b.run_module(&mb, "print(x)").unwrap_err();
    assert_eq!(err.type_name(), "NameError");
    assert_eq!(a.take_output(), "1\n");
    assert_eq!(b.take_output(), "");
}

/// A money amount in cents: a host number reached by `abs()`, `int()`, `float()`, `round()`.
struct Cents(i64);

impl NativeObject for Cents {
    fn type_name(&self) -> &str {
        "Cents"
    }
    fn repr(&self, _: &mut Interpreter, _: &Value) -> PyResult<String> {
        Ok(format!("Cents({})", self.0))
    }
    fn abs(&self, _: &mut Interpreter, _: &Value) -> PyResult<Option<Value>> {
        Ok(Some(Value::Native(Rc::new(Cents(self.0.abs())))))
    }
    fn to_int(&self, _: &mut Interpreter, _: &Value) -> PyResult<Option<Value>> {
        Ok(Some(Value::Int(self.0 / 100)))
    }
    fn to_float(&self, _: &mut Interpreter, _: &Value) -> PyResult<Option<f64>> {
        Ok(Some(self.0 as f64 / 100.0))
    }
    fn round(&self, _: &mut Interpreter, _: &Value, ndigits: Option<i64>) -> PyResult<Option<Value>> {
        Ok(Some(match ndigits {
            None => Value::Int((self.0 as f64 / 100.0).round_ties_even() as i64),
            Some(_) => Value::Native(Rc::new(Cents(self.0))),
        }))
    }
}

#[test]
fn host_numbers_answer_abs_int_float_and_round() {
    let mut interp = Interpreter::new();
    interp.register_module("money", |_| {
        Ok(ModuleBuilder::new("money")
            .function("cents", |_, args| Ok(Value::Native(Rc::new(Cents(args.get(0).and_then(Value::as_int).unwrap_or(0))))))
            .function("opaque", |_, _| Ok(Value::Native(Rc::new(Opaque))))
            .build())
    });
    let out = run(
        &mut interp,
        r#"
from money import cents, opaque
c = cents(-1250)
print(abs(c), int(c), float(c), round(c), round(c, 1))
for f in (abs, int, float, round):
    try:
        f(opaque())
    except TypeError as e:
        print(e)
"#,
    );
    assert_eq!(
        out,
        "Cents(1250) -12 -12.5 -12 Cents(-1250)\nbad operand type for abs(): 'Opaque'\n\
         int() argument must be a string, a bytes-like object or a real number, not 'Opaque'\n\
         float() argument must be a string or a real number, not 'Opaque'\ntype Opaque doesn't define __round__ method\n"
    );
}

/// A host object with no number behaviour.
struct Opaque;

impl NativeObject for Opaque {
    fn type_name(&self) -> &str {
        "Opaque"
    }
}

#[test]
fn host_code_catches_user_defined_exceptions_by_class() {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "app.py");
    interp
        .run_module(
            &main,
            "class ValidationError(ValueError):\n    pass\n\
             def check(name):\n    if not name:\n        raise ValidationError('name is required')\n    return name\n\
             def broken():\n    return 1 / 0\n",
        )
        .unwrap();
    let check = main.get("check").unwrap();
    let validation_error = main.get("ValidationError").unwrap().as_class().cloned().unwrap();
    let err = interp.call(&check, vec![Value::str("")], Vec::new()).unwrap_err();
    assert!(interp.exception_is(&err, &validation_error));
    assert!(err.is(ExcKind::ValueError));
    assert_eq!(&*interp.exception_class_of(&err).unwrap().name, "ValidationError");
    let exc = interp.exception_object(&err).unwrap();
    assert_eq!(interp.str(&Value::Instance(exc)).unwrap(), "name is required");
    // A builtin error raised lazily still has its class and an object.
    let broken = main.get("broken").unwrap();
    let err = interp.call(&broken, Vec::new(), Vec::new()).unwrap_err();
    assert!(!interp.exception_is(&err, &validation_error));
    assert_eq!(&*interp.exception_class_of(&err).unwrap().name, "ZeroDivisionError");
    let exc = interp.exception_object(&err).unwrap();
    assert_eq!(interp.str(&Value::Instance(exc)).unwrap(), "division by zero");
}

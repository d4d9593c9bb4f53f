//! The `sqlalchemy` package as Python sees it: `sqlalchemy` (types, Column, select, func,
//! text, and_/or_, inspect, create_engine), `sqlalchemy.orm` (relationship, DeclarativeBase,
//! Mapped, mapped_column, Session, loader options), `sqlalchemy.exc`, and sqlite3's
//! exceptions. Each native is a thin layer over the ORM (crate::orm); the modules below are
//! one concept each.

pub mod attributes;
pub mod convert;
pub mod core;
pub mod declarative;
pub mod errors;
pub mod expr;
pub mod inspect;
pub mod query;
pub mod result;
pub mod schema;
pub mod session;
pub mod types;
pub mod url;
pub mod validators;
pub mod world;

use std::rc::Rc;

use self::core::{conjunction, dml, DmlKind};
use self::declarative::{DeclarativeBaseInfo, DeclarativeHooks, MappedMarker, NativeBaseMarker};
use self::errors::Exceptions;
use self::expr::{negate, operand, Direction, Func, SqlExpr, TextClause};
use self::query::{loader_option, select_of, AliasedClass};
use self::session::{engine_value, SessionValue};
use self::world::World;
use crate::orm::select::LoaderKind;
use crate::script::{CallArgs, Class, ClassBuilder, Interpreter, ModuleBuilder, PyErr, PyResult, Value};
use crate::sql::{BinaryOp, Datum, Expr};

/// Registers `sqlalchemy`, its submodules and `sqlite3`.
pub fn install(interp: &mut Interpreter) {
    interp.register_module("sqlalchemy", |interp| {
        let mut builder = ModuleBuilder::new("sqlalchemy");
        for (name, value) in core_names(interp)? {
            builder = builder.value(name, value);
        }
        let module = builder.build();
        module.set("__version__", Value::str("2.0.36"));
        Ok(module)
    });
    interp.register_module("sqlalchemy.orm", |interp| {
        let mut builder = ModuleBuilder::new("sqlalchemy.orm");
        for (name, value) in orm_names(interp)? {
            builder = builder.value(name, value);
        }
        Ok(builder.build())
    });
    interp.register_module("sqlalchemy.exc", |interp| Ok(Exceptions::of(interp)?.module("sqlalchemy.exc")));
    interp.register_module("sqlalchemy.orm.exc", |interp| Ok(Exceptions::of(interp)?.module("sqlalchemy.orm.exc")));
    interp.register_module("sqlite3", |interp| Ok(Exceptions::of(interp)?.sqlite3_module()));
    for name in ["sqlalchemy.types", "sqlalchemy.sql", "sqlalchemy.sql.expression", "sqlalchemy.sql.functions", "sqlalchemy.schema"] {
        interp.register_module(name, move |interp| {
            let mut builder = ModuleBuilder::new(name);
            for (n, value) in core_names(interp)? {
                builder = builder.value(n, value);
            }
            Ok(builder.build())
        });
    }
}

fn function(name: &'static str, f: impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> + 'static) -> (&'static str, Value) {
    (name, crate::script::native_fn(name, f))
}

fn direction(interp: &mut Interpreter, args: &CallArgs, direction: Direction) -> PyResult<Value> {
    let value = args.args.first().ok_or_else(|| PyErr::type_error("missing the column to sort by"))?;
    let mut e = operand(interp, value, None)?;
    e.direction = Some(direction);
    Ok(e.value())
}

/// The names of `sqlalchemy` (and of `db.` in Flask-SQLAlchemy).
pub fn core_names(interp: &mut Interpreter) -> PyResult<Vec<(&'static str, Value)>> {
    let world = World::of(interp);
    let mut names = types::type_classes();
    let w = world.clone();
    let w2 = world.clone();
    let w3 = world.clone();
    let w4 = world.clone();
    names.extend([
        function("Column", |interp, args| schema::column(interp, args, false)),
        function("ForeignKey", schema::foreign_key),
        function("Table", |interp, args| schema::table(interp, args, None)),
        function("MetaData", |interp, _| schema::new_metadata(&World::of(interp))),
        ("func", Value::Native(Rc::new(Func { name: None }))),
        function("text", |interp, args| {
            let sql = interp.str(args.args.first().ok_or_else(|| PyErr::type_error("text() missing 1 required positional argument: 'text'"))?)?;
            Ok(Value::Native(Rc::new(TextClause { sql, params: vec![] })))
        }),
        function("select", move |interp, args| select_of(interp, &w, &args.args)),
        function("update", move |interp, args| dml(interp, &w2, DmlKind::Update, args)),
        function("delete", move |interp, args| dml(interp, &w3, DmlKind::Delete, args)),
        function("insert", move |interp, args| dml(interp, &w4, DmlKind::Insert, args)),
        function("and_", |interp, args| conjunction(interp, args, BinaryOp::And)),
        function("or_", |interp, args| conjunction(interp, args, BinaryOp::Or)),
        function("not_", |interp, args| {
            let value = args.args.first().ok_or_else(|| PyErr::type_error("not_() missing its argument"))?;
            Ok(negate(&operand(interp, value, None)?).value())
        }),
        function("desc", |interp, args| direction(interp, &args, Direction::Desc)),
        function("asc", |interp, args| direction(interp, &args, Direction::Asc)),
        function("distinct", |interp, args| {
            let value = args.args.first().ok_or_else(|| PyErr::type_error("distinct() missing its argument"))?;
            let mut e = operand(interp, value, None)?;
            e.distinct = true;
            Ok(e.value())
        }),
        function("null", |_, _| Ok(SqlExpr::new(Expr::Literal(Datum::Null), None).value())),
        function("true", |_, _| Ok(SqlExpr::boolean(Expr::Literal(Datum::Bool(true))).value())),
        function("false", |_, _| Ok(SqlExpr::boolean(Expr::Literal(Datum::Bool(false))).value())),
        function("literal", |interp, args| {
            let value = args.args.first().ok_or_else(|| PyErr::type_error("literal() missing its value"))?;
            operand(interp, value, None).map(SqlExpr::value)
        }),
        function("exists", |interp, args| {
            let Some(first) = args.args.first() else {
                return Ok(Value::Native(Rc::new(query::ExistsValue::new(&World::of(interp)))));
            };
            let Some(select) = first.downcast_native::<query::SelectValue>() else {
                return Err(PyErr::not_implemented("exists() takes a select(...) or nothing (then .where(...)) here"));
            };
            let subquery = select.compile_subquery(interp)?;
            Ok(SqlExpr::boolean(Expr::Exists(Box::new(subquery))).value())
        }),
        function("inspect", |interp, args| inspect::inspect(interp, args.args.first().unwrap_or(&Value::None))),
        function("create_engine", create_engine),
        function("make_url", make_url),
    ]);
    Ok(names)
}

/// `create_engine(url, echo=False)`: a new in-browser database. SQLite URLs only have
/// meaning here; other dialects' URLs get a SQLite database and a note.
pub fn create_engine(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [url, echo] = args.bind("create_engine", ["url", "echo"], 1)?;
    let url = interp.str(&url.unwrap_or(Value::None))?;
    let echo = match echo {
        Some(v) => interp.truthy(&v)?,
        None => false,
    };
    if url::Url::parse(&url).is_none() {
        return Err(errors::sqlalchemy_error(interp, "ArgumentError", "Could not parse SQLAlchemy URL from given URL string"));
    }
    let world = World::of(interp);
    let engine = new_engine(interp, &world, &url, echo)?;
    Ok(engine_value(&world, engine))
}

/// `make_url(text)`.
fn make_url(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [text] = args.bind("make_url", ["name_or_url"], 1)?;
    let text = text.unwrap_or(Value::None);
    if text.downcast_native::<url::Url>().is_some() {
        return Ok(text);
    }
    let text = interp.str(&text)?;
    match url::Url::parse(&text) {
        Some(url) => Ok(url.value()),
        None => Err(errors::sqlalchemy_error(interp, "ArgumentError", "Could not parse SQLAlchemy URL from given URL string")),
    }
}

/// Adds an engine (one in-memory database) to the world and returns its index.
pub fn new_engine(interp: &mut Interpreter, world: &World, url: &str, echo: bool) -> PyResult<usize> {
    if let Some(parsed) = url::Url::parse(url).filter(|u| !u.drivername.starts_with("sqlite")) {
        interp.write_output(&format!(
            "(The playground has no database server: {} runs on SQLite in your browser.)\n",
            parsed.render(true)
        ));
    }
    let mut w = world.borrow()?;
    // Engines for the same file (or server) database see the same data, as two engines on one
    // SQLite file do; each in-memory one (`sqlite://`) is a database of its own.
    let in_memory = url::Url::parse(url).is_none_or(|u| u.drivername.starts_with("sqlite") && u.database.as_deref().is_none_or(|d| d.is_empty() || d == ":memory:"));
    if let Some(existing) = w.engine_urls.iter().position(|known| known == url).filter(|_| !in_memory) {
        w.engine_echo[existing] |= echo;
        return Ok(existing);
    }
    let mut db = crate::db::Database::new();
    db.share_event_numbers(w.event_numbers.clone());
    if let Some(clock) = &w.statement_clock {
        db.set_clock(clock.clone());
    }
    if let Some(saved) = w.saved_databases.get(url) {
        if let Err(e) = db.restore(saved) {
            w.notes.push(format!("the saved data of {url} could not be read ({e}); it starts empty"));
            w.unreadable_databases.insert(url.to_owned());
        }
    }
    w.orm.engines.push(db);
    w.engine_urls.push(url.to_string());
    w.engine_echo.push(echo);
    Ok(w.orm.engines.len() - 1)
}

/// The native `DeclarativeBase` class (and `declarative_base()` bases) with the model
/// constructor every mapped class inherits.
pub fn declarative_base_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    if let Some(class) = interp.extension::<BaseClass>() {
        return Ok(class.0.clone());
    }
    let class = ClassBuilder::new("DeclarativeBase", "sqlalchemy.orm")
        .method("__init__", model_init)
        .hooks(DeclarativeHooks)
        .build(interp)?;
    class.set_host_data(Rc::new(NativeBaseMarker));
    interp.insert_extension(BaseClass(class.clone()));
    Ok(class)
}

struct BaseClass(Rc<Class>);

/// The default constructor of mapped classes: keyword arguments set attributes.
pub fn model_init(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let this = args.receiver()?.clone();
    if args.args.len() > 1 {
        return Err(PyErr::type_error(format!("__init__() takes 1 positional argument but {} were given", args.args.len())));
    }
    let class = interp.class_of(&this);
    for (key, value) in args.kwargs {
        if class.lookup(&key).is_none() {
            return Err(PyErr::type_error(format!("'{key}' is an invalid keyword argument for {}", class.name)));
        }
        interp.setattr(&this, &key, value)?;
    }
    Ok(Value::None)
}

/// The names of `sqlalchemy.orm` (and of `db.` in Flask-SQLAlchemy).
pub fn orm_names(interp: &mut Interpreter) -> PyResult<Vec<(&'static str, Value)>> {
    let base = declarative_base_class(interp)?;
    let base_for_factory = base.clone();
    let world = World::of(interp);
    let session_world = world.clone();
    let maker_world = world.clone();
    let alias_world = world.clone();
    Ok(vec![
        function("relationship", schema::relationship),
        function("backref", schema::backref),
        function("validates", validators::validates),
        function("mapped_column", |interp, args| schema::column(interp, args, true)),
        ("Mapped", Value::Native(Rc::new(MappedMarker))),
        ("DeclarativeBase", Value::Class(base)),
        function("declarative_base", move |interp, _| {
            let class = ClassBuilder::new("Base", "sqlalchemy.orm.decl_api").base(&base_for_factory).build(interp)?;
            class.set_host_data(Rc::new(DeclarativeBaseInfo { flask: false }));
            declarative::own_metadata(&World::of(interp), &class)?;
            Ok(Value::Class(class))
        }),
        function("Session", move |interp, args| new_session(interp, &session_world, args)),
        function("sessionmaker", move |_, args| {
            let world = maker_world.clone();
            let bound = args.clone();
            Ok(crate::script::native_fn("sessionmaker", move |interp, call| {
                let mut merged = bound.clone();
                merged.args.extend(call.args);
                merged.kwargs.extend(call.kwargs);
                new_session(interp, &world, merged)
            }))
        }),
        function("joinedload", |interp, args| loader_option(interp, LoaderKind::Joined, "joinedload", args)),
        function("selectinload", |interp, args| loader_option(interp, LoaderKind::Selectin, "selectinload", args)),
        function("lazyload", |interp, args| loader_option(interp, LoaderKind::Lazy, "lazyload", args)),
        function("raiseload", |interp, args| loader_option(interp, LoaderKind::Raise, "raiseload", args)),
        function("noload", |interp, args| loader_option(interp, LoaderKind::NoLoad, "noload", args)),
        function("subqueryload", |_, _| Err(PyErr::not_implemented("subqueryload() is not supported in the playground; selectinload() loads the same rows with an IN query"))),
        function("aliased", move |interp, args| {
            let target = args.args.first().cloned().unwrap_or(Value::None);
            let Some((mapper, _)) = query::mapper_of(&alias_world, &target)? else {
                return Err(PyErr::type_error("aliased() takes a mapped class"));
            };
            let name = match args.kwarg("name") {
                Some(v) => interp.str(v)?,
                None => {
                    let mut w = alias_world.borrow()?;
                    w.aliases += 1;
                    format!("{}_{}", w.orm.table_name(mapper), w.aliases)
                }
            };
            Ok(Value::Native(Rc::new(AliasedClass { mapper, alias: name, world: alias_world.clone() })))
        }),
    ])
}

/// `Session(engine)` / `Session(bind=engine)` / a sessionmaker's call.
fn new_session(interp: &mut Interpreter, world: &World, mut args: CallArgs) -> PyResult<Value> {
    let bind = args.take_kwarg("bind").or_else(|| if args.args.is_empty() { None } else { Some(args.args.remove(0)) });
    let engine = match bind {
        Some(v) => v.downcast_native::<session::EngineValue>().map(|e| e.engine).ok_or_else(|| PyErr::type_error("Session() takes an Engine to bind to"))?,
        None => return Err(errors::sqlalchemy_error(interp, "UnboundExecutionError", "Session() needs bind=engine in the playground")),
    };
    let autoflush = args.take_kwarg("autoflush").map(|v| interp.truthy(&v)).transpose()?;
    let expire = args.take_kwarg("expire_on_commit").map(|v| interp.truthy(&v)).transpose()?;
    let mut w = world.borrow()?;
    let session = w.orm.new_session(engine);
    let data = w.orm.session_mut(session);
    if let Some(a) = autoflush {
        data.autoflush = a;
    }
    if let Some(e) = expire {
        data.expire_on_commit = e;
    }
    Ok(Value::Native(Rc::new(SessionValue { world: world.clone(), session, scoped: false, require_context: None })))
}

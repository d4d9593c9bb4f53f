//! The Session as Python sees it (`db.session`, `Session(engine)`): add, delete, commit,
//! rollback, queries, `execute`, savepoints, the `new` / `dirty` / `deleted` collections and
//! `obj in session`, each a thin call into the ORM.

use std::rc::Rc;

use super::attributes::{obj_of_value, python_object};
use super::query::{make_query, mapper_of, query_class};
use super::result::ResultValue;
use super::world::{with_orm, World};
use crate::orm::mapper::MapperId;
use crate::orm::SessionId;
use crate::script::{CallArgs, Interpreter, NativeObject, PyErr, PyResult, Value};
use crate::sql::Datum;

/// A session (Flask-SQLAlchemy's scoped `db.session` or a plain `Session(engine)`).
pub struct SessionValue {
    pub world: World,
    pub session: SessionId,
    /// `db.session` is a scoped_session: repr and `remove()` differ.
    pub scoped: bool,
    /// For `db.session`: the check that an app context is active.
    pub require_context: Option<ContextCheck>,
}

/// Fails unless the context a session needs (Flask's app context) is active.
pub type ContextCheck = Rc<dyn Fn(&mut Interpreter) -> PyResult<()>>;

const SESSION_METHODS: &[&str] = &[
    "add", "add_all", "delete", "commit", "flush", "rollback", "close", "remove", "expunge", "expunge_all", "refresh", "expire", "expire_all", "merge",
    "get", "query", "execute", "scalars", "scalar", "begin_nested", "begin", "is_modified", "in_transaction", "in_nested_transaction", "get_bind",
];

/// The Python objects of ORM objects, as an `IdentitySet` / list value.
fn objects_value(interp: &mut Interpreter, world: &World, objects: Vec<crate::orm::ObjId>) -> PyResult<Vec<Value>> {
    let mut w = world.borrow()?;
    Ok(objects.into_iter().map(|o| python_object(interp, &mut w, o)).collect())
}

/// The ORM object a session method was given; anything else fails as SQLAlchemy's
/// `UnmappedInstanceError`, raised from the AttributeError its instance-state lookup hit
/// (`merge()` checks first and raises it alone).
fn mapped_object(interp: &mut Interpreter, world: &World, value: &Value) -> PyResult<crate::orm::ObjId> {
    obj_of_value(world, value).map_err(|lookup| {
        let unmapped = unmapped_instance(interp, value);
        interp.raise_from(unmapped, lookup)
    })
}

fn unmapped_instance(interp: &mut Interpreter, value: &Value) -> PyErr {
    let class = interp.class_of(value);
    super::errors::sqlalchemy_error(interp, "UnmappedInstanceError", format!("Class '{}.{}' is not mapped", class.module, class.name))
}

/// `session.get(Model, 1)` and `Query.get(1)`.
pub fn get_object(interp: &mut Interpreter, world: &World, session: SessionId, mapper: MapperId, ident: &Value) -> PyResult<Value> {
    let pk_type = {
        let w = world.borrow()?;
        let m = w.orm.registry.mapper(mapper);
        m.pk_props.first().and_then(|p| m.column_of(*p)).map(|c| w.orm.registry.metadata.table(m.table).columns[c].column_type.clone())
    };
    let values = match ident {
        Value::Tuple(_) | Value::List(_) => interp.collect(ident)?,
        other => vec![other.clone()],
    };
    let pk = values.iter().map(|v| super::convert::to_datum(interp, v, pk_type.as_ref())).collect::<PyResult<Vec<Datum>>>()?;
    let found = with_orm(interp, world, |orm, host| orm.get(host, session, mapper, &pk))?;
    match found {
        Some(obj) => {
            let mut w = world.borrow()?;
            Ok(python_object(interp, &mut w, obj))
        }
        None => Ok(Value::None),
    }
}

impl SessionValue {
    fn call(&self, interp: &mut Interpreter, name: &str, args: CallArgs) -> PyResult<Value> {
        if let Some(check) = &self.require_context {
            check(interp)?;
        }
        let world = self.world.clone();
        let session = self.session;
        let first = || args.args.first().cloned().ok_or_else(|| PyErr::type_error(format!("{name}() missing 1 required positional argument")));
        match name {
            "add" => {
                interp.check_side_effect("session.add()")?;
                let obj = mapped_object(interp, &world, &first()?)?;
                with_orm(interp, &world, |orm, _| orm.add(session, obj))?;
            }
            "add_all" => {
                interp.check_side_effect("session.add_all()")?;
                for value in interp.collect(&first()?)? {
                    let obj = mapped_object(interp, &world, &value)?;
                    with_orm(interp, &world, |orm, _| orm.add(session, obj))?;
                }
            }
            "delete" => {
                interp.check_side_effect("session.delete()")?;
                let obj = mapped_object(interp, &world, &first()?)?;
                with_orm(interp, &world, |orm, host| orm.delete(host, session, obj))?;
            }
            "commit" => {
                interp.check_side_effect("session.commit()")?;
                with_orm(interp, &world, |orm, host| orm.commit(host, session))?;
            }
            "flush" => {
                interp.check_side_effect("session.flush()")?;
                with_orm(interp, &world, |orm, host| orm.flush(host, session))?;
            }
            "rollback" => {
                interp.check_side_effect("session.rollback()")?;
                with_orm(interp, &world, |orm, _| orm.rollback(session))?;
            }
            "close" | "remove" => {
                interp.check_side_effect("session.close()")?;
                with_orm(interp, &world, |orm, _| orm.close(session))?;
            }
            "expunge" => {
                let obj = mapped_object(interp, &world, &first()?)?;
                with_orm(interp, &world, |orm, _| orm.expunge(session, obj))?;
            }
            "expunge_all" => with_orm(interp, &world, |orm, _| {
                orm.expunge_all(session);
                Ok(())
            })?,
            "refresh" => {
                let obj = mapped_object(interp, &world, &first()?)?;
                with_orm(interp, &world, |orm, _| orm.refresh(obj))?;
            }
            "expire" => {
                let obj = mapped_object(interp, &world, &first()?)?;
                let names = match args.args.get(1).or_else(|| args.kwarg("attribute_names")) {
                    Some(v) => Some(interp.collect(v)?.iter().map(|n| interp.str(n)).collect::<PyResult<Vec<_>>>()?),
                    None => None,
                };
                let props = match names {
                    Some(names) => {
                        let w = world.borrow()?;
                        let mapper = w.orm.instances.get(obj).mapper;
                        let m = w.orm.registry.mapper(mapper);
                        Some(names.iter().map(|n| m.prop(n).ok_or_else(|| PyErr::attribute_error(format!("no attribute '{n}'")))).collect::<PyResult<Vec<_>>>()?)
                    }
                    None => None,
                };
                with_orm(interp, &world, |orm, _| orm.expire(obj, props.as_deref()))?;
            }
            "expire_all" => with_orm(interp, &world, |orm, _| {
                orm.expire_all(session);
                Ok(())
            })?,
            "merge" => {
                let value = first()?;
                with_orm(interp, &world, |orm, host| orm.prepare_merge(host, session))?;
                let obj = obj_of_value(&world, &value).map_err(|_| unmapped_instance(interp, &value))?;
                let merged = with_orm(interp, &world, |orm, host| orm.merge(host, session, obj))?;
                let mut w = world.borrow()?;
                return Ok(python_object(interp, &mut w, merged));
            }
            "get" => {
                let class = first()?;
                let Some((mapper, _)) = mapper_of(&world, &class)? else {
                    let shown = interp.repr(&class)?;
                    return Err(super::errors::sqlalchemy_error(interp, "ArgumentError", format!("Expected mapped class or mapper, got: {shown}")));
                };
                let ident = args.args.get(1).cloned().ok_or_else(|| PyErr::type_error("get() missing 1 required positional argument: 'ident'"))?;
                return get_object(interp, &world, session, mapper, &ident);
            }
            "query" => {
                let class = query_class(interp)?;
                return make_query(interp, &world, session, &class, &args.args);
            }
            "execute" | "scalars" | "scalar" => {
                let statement = first()?;
                let params = args.args.get(1).cloned().or_else(|| args.kwarg("params").cloned());
                let result = super::core::execute(interp, &world, session, &statement, params)?;
                if name == "execute" || result.downcast_native::<ResultValue>().is_none() {
                    return Ok(result);
                }
                let method = interp.getattr(&result, name)?;
                return interp.call(&method, vec![], vec![]);
            }
            "begin_nested" => {
                interp.check_side_effect("session.begin_nested()")?;
                let id = with_orm(interp, &world, |orm, host| orm.begin_nested(host, session))?;
                return Ok(Value::Native(Rc::new(SavepointValue { world, session, id })));
            }
            "begin" => {
                let active = world.borrow()?.orm.session(session).in_transaction();
                if active {
                    return Err(super::errors::sqlalchemy_error(interp, "InvalidRequestError", "A transaction is already begun on this Session."));
                }
                return Ok(Value::Native(Rc::new(TransactionValue { world, session })));
            }
            "is_modified" => {
                let obj = mapped_object(interp, &world, &first()?)?;
                return Ok(Value::Bool(world.borrow()?.orm.is_modified(obj)));
            }
            "in_transaction" => return Ok(Value::Bool(world.borrow()?.orm.session(session).in_transaction())),
            "in_nested_transaction" => return Ok(Value::Bool(world.borrow()?.orm.session(session).in_nested_transaction())),
            "get_bind" => return Ok(engine_value(&world, world.borrow()?.orm.session(session).engine)),
            _ => return Err(PyErr::attribute_error(format!("'Session' object has no attribute '{name}'"))),
        }
        Ok(Value::None)
    }
}

/// An `Engine` object: its URL, and `echo`.
pub struct EngineValue {
    pub world: World,
    pub engine: usize,
}

pub fn engine_value(world: &World, engine: usize) -> Value {
    Value::Native(Rc::new(EngineValue { world: world.clone(), engine }))
}

impl NativeObject for EngineValue {
    fn type_name(&self) -> &str {
        "Engine"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let w = self.world.borrow()?;
        Ok(match name {
            "url" => w.engine_urls.get(self.engine).and_then(|u| super::url::Url::parse(u)).map(super::url::Url::value),
            "echo" => Some(Value::Bool(w.engine_echo.get(self.engine).copied().unwrap_or(false))),
            "name" | "driver" => Some(Value::str(if name == "name" { "sqlite" } else { "pysqlite" })),
            _ => None,
        })
    }

    fn set_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        if name != "echo" {
            return Ok(false);
        }
        let echo = interp.truthy(&value)?;
        let mut w = self.world.borrow()?;
        while w.engine_echo.len() <= self.engine {
            w.engine_echo.push(false);
        }
        w.engine_echo[self.engine] = echo;
        Ok(true)
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let w = self.world.borrow()?;
        let url = w.engine_urls.get(self.engine).map(|u| super::url::Url::parse(u).map_or_else(|| u.clone(), |url| url.render(true)));
        Ok(format!("Engine({})", url.unwrap_or_default()))
    }
}

impl NativeObject for SessionValue {
    fn type_name(&self) -> &str {
        if self.scoped { "scoped_session" } else { "Session" }
    }

    fn is_callable(&self) -> bool {
        self.scoped
    }

    /// `db.session()`: the scoped session's current `Session`.
    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        args.exactly("scoped_session", 0)?;
        if let Some(check) = &self.require_context {
            check(interp)?;
        }
        Ok(Value::Native(Rc::new(SessionValue { world: self.world.clone(), session: self.session, scoped: false, require_context: self.require_context.clone() })))
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if let Some(method) = SESSION_METHODS.iter().find(|m| **m == name) {
            let method: &'static str = method;
            let this = this.clone();
            return Ok(Some(crate::script::native_fn(method, move |interp, args| match this.downcast_native::<SessionValue>() {
                Some(session) => session.call(interp, method, args),
                None => Ok(Value::None),
            })));
        }
        let world = self.world.clone();
        let session = self.session;
        let set = |interp: &mut Interpreter, objects: Vec<crate::orm::ObjId>| -> PyResult<Value> {
            Ok(Value::Native(Rc::new(IdentitySetValue { items: objects_value(interp, &world, objects)? })))
        };
        Ok(Some(match name {
            "new" => {
                let objects = self.world.borrow()?.orm.new_objects(session);
                set(interp, objects)?
            }
            "dirty" => {
                let objects = self.world.borrow()?.orm.dirty_objects(session);
                set(interp, objects)?
            }
            "deleted" => {
                let objects = self.world.borrow()?.orm.deleted_objects(session);
                set(interp, objects)?
            }
            "identity_map" => {
                let objects: Vec<_> = self.world.borrow()?.orm.session(session).identity_map.objects().collect();
                Value::list(objects_value(interp, &self.world, objects)?)
            }
            "is_active" => Value::Bool(self.world.borrow()?.orm.flush_failure(session).is_none()),
            "autoflush" => Value::Bool(self.world.borrow()?.orm.session(session).autoflush),
            "expire_on_commit" => Value::Bool(self.world.borrow()?.orm.session(session).expire_on_commit),
            "no_autoflush" => Value::Native(Rc::new(NoAutoflush { world: self.world.clone(), session })),
            "bind" => engine_value(&self.world, self.world.borrow()?.orm.session(session).engine),
            "info" => Value::dict_from_str_pairs(std::iter::empty()),
            _ => return Ok(None),
        }))
    }

    fn set_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        let flag = interp.truthy(&value)?;
        let mut w = self.world.borrow()?;
        let data = w.orm.session_mut(self.session);
        match name {
            "autoflush" => data.autoflush = flag,
            "expire_on_commit" => data.expire_on_commit = flag,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        SESSION_METHODS.iter().map(|m| m.to_string()).chain(["new", "dirty", "deleted", "identity_map", "is_active", "no_autoflush", "autoflush"].map(String::from)).collect()
    }

    fn enter(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(this.clone()))
    }

    /// `with Session(engine) as session:` closes the session at the end.
    fn exit(&self, interp: &mut Interpreter, _this: &Value, _exception: Option<&Value>) -> PyResult<bool> {
        let session = self.session;
        with_orm(interp, &self.world, |orm, _| orm.close(session))?;
        Ok(false)
    }

    fn contains(&self, interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        let obj = mapped_object(interp, &self.world, item)?;
        Ok(Some(self.world.borrow()?.orm.contains(self.session, obj)))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let objects = self.world.borrow()?.orm.tracked(self.session);
        Ok(Some(crate::script::iterator_from_values(objects_value(interp, &self.world, objects)?)))
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        let class = if self.scoped { "sqlalchemy.orm.scoping.scoped_session" } else { "sqlalchemy.orm.session.Session" };
        Ok(format!("<{class} object at 0x{address:x}>"))
    }
}

/// `session.new` / `dirty` / `deleted`: `IdentitySet([<User 1>])`.
pub struct IdentitySetValue {
    pub items: Vec<Value>,
}

impl NativeObject for IdentitySetValue {
    fn type_name(&self) -> &str {
        "IdentitySet"
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.items.len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(crate::script::iterator_from_values(self.items.clone())))
    }

    fn contains(&self, _interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        Ok(Some(self.items.iter().any(|i| crate::script::value::same_object(i, item))))
    }

    fn truthy(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        Ok(!self.items.is_empty())
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let list = interp.repr(&Value::list(self.items.clone()))?;
        Ok(format!("IdentitySet({list})"))
    }
}

/// What `begin_nested()` returns: commit / rollback the savepoint, or use it with `with`.
pub struct SavepointValue {
    pub world: World,
    pub session: SessionId,
    /// The ORM's name for this nested transaction.
    pub id: u64,
}

impl NativeObject for SavepointValue {
    fn type_name(&self) -> &str {
        "SessionTransaction"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let (world, session, id) = (self.world.clone(), self.session, self.id);
        Ok(Some(match name {
            "is_active" => Value::Bool(with_orm(interp, &world, |orm, _| Ok(orm.nested_is_active(session, id)))?),
            "nested" => Value::Bool(true),
            "commit" => crate::script::native_fn("commit", move |interp, _| {
                with_orm(interp, &world, |orm, host| orm.commit_nested(host, session, id))?;
                Ok(Value::None)
            }),
            "rollback" => crate::script::native_fn("rollback", move |interp, _| {
                with_orm(interp, &world, |orm, _| orm.rollback_nested(session, id))?;
                Ok(Value::None)
            }),
            _ => return Ok(None),
        }))
    }

    fn enter(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(this.clone()))
    }

    fn exit(&self, interp: &mut Interpreter, _this: &Value, exception: Option<&Value>) -> PyResult<bool> {
        let (session, id) = (self.session, self.id);
        let active = with_orm(interp, &self.world, |orm, _| Ok(orm.nested_is_active(session, id)))?;
        if !active {
            // Ended inside the block (committed or rolled back by the script).
            return Ok(false);
        }
        if exception.is_some() {
            with_orm(interp, &self.world, |orm, _| orm.rollback_nested(session, id))?;
        } else if let Err(error) = with_orm(interp, &self.world, |orm, host| orm.commit_nested(host, session, id)) {
            // A commit that fails (its flush) rolls the savepoint back, then raises.
            with_orm(interp, &self.world, |orm, _| orm.rollback_nested(session, id))?;
            return Err(error);
        }
        Ok(false)
    }
}

/// `with session.begin():` — commits at the end, rolls back on an exception.
pub struct TransactionValue {
    pub world: World,
    pub session: SessionId,
}

impl NativeObject for TransactionValue {
    fn type_name(&self) -> &str {
        "SessionTransaction"
    }

    fn enter(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(this.clone()))
    }

    fn exit(&self, interp: &mut Interpreter, _this: &Value, exception: Option<&Value>) -> PyResult<bool> {
        let session = self.session;
        if exception.is_some() {
            with_orm(interp, &self.world, |orm, _| orm.rollback(session))?;
        } else if let Err(error) = with_orm(interp, &self.world, |orm, host| orm.commit(host, session)) {
            // A commit that fails rolls the transaction back, then raises.
            with_orm(interp, &self.world, |orm, _| orm.rollback(session))?;
            return Err(error);
        }
        Ok(false)
    }
}

/// `with session.no_autoflush:`.
pub struct NoAutoflush {
    pub world: World,
    pub session: SessionId,
}

impl NativeObject for NoAutoflush {
    fn type_name(&self) -> &str {
        "_GeneratorContextManager"
    }

    fn enter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        self.world.borrow()?.orm.session_mut(self.session).no_autoflush_depth += 1;
        Ok(Some(Value::None))
    }

    fn exit(&self, _interp: &mut Interpreter, _this: &Value, _exception: Option<&Value>) -> PyResult<bool> {
        let mut w = self.world.borrow()?;
        let data = w.orm.session_mut(self.session);
        data.no_autoflush_depth = data.no_autoflush_depth.saturating_sub(1);
        Ok(false)
    }
}

//! The state the SQLAlchemy bindings share: the ORM and the Python side of its objects (the
//! Python instance of each ORM object, the Python class of each mapper, the Python callables
//! a model declared as defaults). Natives reach it through the interpreter's extension slot.
//!
//! Borrowing rule: a native borrows the world only while it talks to the ORM, never while it
//! runs Python code; Python code the ORM calls back (a column default) that reaches for the
//! ORM again gets a clear error instead of a panic.

use std::cell::{RefCell, RefMut};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::orm::state::HostObject;
use crate::orm::{Host, HostCallable, MapperId, ObjId, Orm, OrmError, OrmResult, ErrorKind};
use crate::script::{Class, Instance, Interpreter, PyErr, PyResult, Value};
use crate::sql::Datum;

#[derive(Default)]
pub struct SqlaWorld {
    pub orm: Orm,
    /// The Python class of each mapper, by `MapperId`.
    pub classes: HashMap<MapperId, Rc<Class>>,
    /// Python callables named by `HostCallable` handles (column defaults).
    pub callables: Vec<Value>,
    /// The URL of each engine (`sqlite://`, `sqlite:///site.db`), by engine index.
    pub engine_urls: Vec<String>,
    /// Whether each engine echoes its SQL to the output (`SQLALCHEMY_ECHO`, `echo=True`).
    pub engine_echo: Vec<bool>,
    /// Per engine, the last event already echoed.
    pub echoed: Vec<u64>,
    /// Echo every engine's SQL (the runner's `--echo`).
    pub force_echo: bool,
    /// Added to script line numbers: the console runs each input as its own little script,
    /// the façade says where it started.
    pub line_offset: u32,
    /// Counter for `aliased()` names (`user_1`).
    pub aliases: u32,
    /// Things the playground does differently that the user should know (shown by the UI).
    pub notes: Vec<String>,
    /// Committed data of file databases kept from before (by URI): an engine for such a URI
    /// starts from it.
    pub saved_databases: HashMap<String, Vec<u8>>,
    /// The URIs whose kept data could not be read: those bytes are kept as they are until
    /// new data is committed over them.
    pub unreadable_databases: HashSet<String>,
    /// One numbering for the events of every engine, so that they sort into the order they
    /// happened in.
    pub event_numbers: crate::db::events::EventNumbers,
    /// The clock new databases time their statements with (the host's; `None`: the default).
    pub statement_clock: Option<crate::db::Clock>,
    /// The Python object of each `MetaData`, made once (`db.metadata is User.metadata`).
    pub metadata_objects: HashMap<crate::orm::schema::MetaDataId, Value>,
    /// The Python enum class of each `Enum(SomeEnum)` column: its values load as members.
    pub enum_classes: HashMap<crate::orm::schema::ColumnId, Rc<Class>>,
    /// Functions marked by `@validates(...)`, waiting for their class to be mapped.
    pub validator_specs: Vec<(Value, super::validators::ValidatorSpec)>,
    /// The validator of each mapped attribute that has one, by (mapper, attribute key).
    pub validators: HashMap<(MapperId, String), super::validators::Validator>,
}

/// Shared handle to the world; cloned into natives that need it.
#[derive(Clone, Default)]
pub struct World(pub Rc<RefCell<SqlaWorld>>);

impl World {
    /// The world of this interpreter, created on first use.
    pub fn of(interp: &mut Interpreter) -> World {
        if let Some(world) = interp.extension::<World>() {
            return world.clone();
        }
        let world = World::default();
        interp.insert_extension(world.clone());
        world
    }

    /// Mutable access for a native; an error (not a panic) when Python code the ORM called
    /// tries to use the ORM again.
    pub fn borrow(&self) -> PyResult<RefMut<'_, SqlaWorld>> {
        self.0.try_borrow_mut().map_err(|_| {
            PyErr::runtime_error(
                "the session cannot be used from inside a column default or other callback the \
                 ORM is running",
            )
        })
    }
}

impl SqlaWorld {
    /// Registers a Python callable and returns its handle.
    pub fn callable(&mut self, value: Value) -> HostCallable {
        self.callables.push(value);
        HostCallable(self.callables.len() as u32 - 1)
    }

    /// The mapper of a Python class (or of its nearest mapped base).
    pub fn mapper_of_class(&self, class: &Class) -> Option<MapperId> {
        class.mro().find_map(|c| c.host_data_as::<ClassMapping>().map(|m| m.mapper))
    }

    pub fn obj_of(&self, instance: &Instance) -> Option<ObjId> {
        instance.native_state_as::<ObjHandle>().map(|h| h.0)
    }

    /// Ties a Python object to its ORM object, which holds it weakly as SQLAlchemy's identity
    /// map does.
    pub fn attach(&mut self, obj: ObjId, instance: &Rc<Instance>) {
        instance.set_native_state(Rc::new(ObjHandle(obj)));
        let weak: std::rc::Weak<dyn std::any::Any> = Rc::downgrade(instance) as std::rc::Weak<dyn std::any::Any>;
        self.orm.instances.get_mut(obj).host_object = HostObject::Held(weak);
    }

    /// The Python object of an ORM object, if it has one still alive.
    pub fn python_instance(&self, obj: ObjId) -> Option<Rc<Instance>> {
        match &self.orm.instances.get(obj).host_object {
            HostObject::Held(weak) => weak.upgrade()?.downcast::<Instance>().ok(),
            HostObject::None | HostObject::Gone => None,
        }
    }
}

/// Attached to a mapped class: its mapper.
pub struct ClassMapping {
    pub mapper: MapperId,
}

/// Attached to each instance of a mapped class: its ORM object.
pub struct ObjHandle(pub ObjId);

/// Runs Python callables for the ORM (column defaults), keeping the Python exception a
/// default raised so it reaches the user unchanged.
pub struct PyHost<'a> {
    pub interp: &'a mut Interpreter,
    pub callables: Vec<Value>,
    pub raised: Option<PyErr>,
}

impl<'a> PyHost<'a> {
    pub fn new(interp: &'a mut Interpreter, world: &SqlaWorld) -> PyHost<'a> {
        PyHost { interp, callables: world.callables.clone(), raised: None }
    }

    /// The Python error for an ORM error: the exception a callback raised, or the ORM's.
    pub fn error(&mut self, error: OrmError) -> PyErr {
        match (error.kind, self.raised.take()) {
            (ErrorKind::Host, Some(raised)) => raised,
            _ => super::errors::to_py_err(self.interp, error),
        }
    }
}

impl Host for PyHost<'_> {
    fn call_default(&mut self, callable: HostCallable) -> OrmResult<Datum> {
        let Some(function) = self.callables.get(callable.0 as usize).cloned() else {
            return Err(OrmError::new(ErrorKind::Host, "unknown column default"));
        };
        let result = self
            .interp
            .call(&function, vec![], vec![])
            .and_then(|value| super::convert::to_datum(self.interp, &value, None));
        result.map_err(|error| {
            self.raised = Some(error);
            OrmError::new(ErrorKind::Host, "a column default raised an exception")
        })
    }
}

/// Runs an ORM operation for a native: stamps the statements it sends with the script line
/// being run, maps ORM errors to Python exceptions, and echoes the SQL when the engine
/// echoes (`SQLALCHEMY_ECHO = True`).
pub fn with_orm<T>(interp: &mut Interpreter, world: &World, f: impl FnOnce(&mut Orm, &mut dyn Host) -> OrmResult<T>) -> PyResult<T> {
    let line = interp.current_location().map(|l| l.line + world.0.try_borrow().map(|w| w.line_offset).unwrap_or(0));
    let result = {
        let mut w = world.borrow()?;
        let w = &mut *w;
        for db in &mut w.orm.engines {
            let reason = db.origin().reason;
            db.set_origin(line, reason);
        }
        let mut host = PyHost::new(interp, w);
        let result = f(&mut w.orm, &mut host);
        result.map_err(|e| host.error(e))
    };
    echo_new_events(interp, world)?;
    result
}

/// What SQLAlchemy appends to a warning from mapper configuration it ran on its own.
const CONFIGURE_SUFFIX: &str = "(This warning originated from the `configure_mappers()` process, which was invoked automatically \
     in response to a user-initiated operation.)";

/// Issues the warnings the ORM found (mapper configuration's) as `SAWarning`s, through the
/// user's `warnings` filters. Only where SQLAlchemy configures implicitly (a model
/// instance, a query or a select is made): the ORM may configure earlier for its own needs
/// (`create_all`), and the warning then waits for the line SQLAlchemy would blame.
fn issue_orm_warnings(interp: &mut Interpreter, world: &World) -> PyResult<()> {
    let found = world.borrow()?.orm.registry.take_warnings();
    for text in found {
        super::errors::sqlalchemy_warning(interp, "SAWarning", &format!("{text} {CONFIGURE_SUFFIX}"))?;
    }
    Ok(())
}

/// Writes the statements logged since the last call, for engines that echo, as SQLAlchemy's
/// logger prints them.
pub fn echo_new_events(interp: &mut Interpreter, world: &World) -> PyResult<()> {
    let logged_by_user = crate::bindings::stdlib::logging_enabled_for(interp, ENGINE_LOGGER, crate::bindings::stdlib::INFO);
    // (statement, parameter line, whether the engine echoes)
    let lines: Vec<(String, String, bool)> = {
        let mut w = world.borrow()?;
        let w = &mut *w;
        let mut lines = Vec::new();
        for (engine, db) in w.orm.engines.iter().enumerate() {
            let seen = w.echoed.get(engine).copied().unwrap_or(0);
            let echo = w.force_echo || w.engine_echo.get(engine).copied().unwrap_or(false);
            if echo || logged_by_user {
                for event in db.events_since(seen) {
                    lines.push((event.echo_sql.to_string(), event.echo_params.clone(), echo));
                }
            }
            while w.echoed.len() <= engine {
                w.echoed.push(0);
            }
            w.echoed[engine] = db.last_event_seq();
        }
        lines
    };
    // SQLAlchemy logs a statement and its parameters as two records. With echo on, its own
    // handler prints them to stdout and they still propagate to the user's handlers.
    for (statement, params, echo) in lines {
        for message in std::iter::once(statement).chain((!params.is_empty()).then_some(params)) {
            if echo {
                let stamp = crate::bindings::stdlib::log_timestamp(interp);
                interp.write_output(&format!("{stamp} INFO {ENGINE_LOGGER} {message}\n"));
                crate::bindings::stdlib::emit_log_unchecked(interp, ENGINE_LOGGER, crate::bindings::stdlib::INFO, &message)?;
            } else {
                crate::bindings::stdlib::emit_log(interp, ENGINE_LOGGER, crate::bindings::stdlib::INFO, &message)?;
            }
        }
    }
    Ok(())
}

/// The logger SQLAlchemy's engines log statements on.
const ENGINE_LOGGER: &str = "sqlalchemy.engine.Engine";

/// Configures the mappers (resolving relationships, adding backrefs) and gives each mapped
/// class the attributes configuration added, as SQLAlchemy's `configure_mappers()` does on
/// first use of a class.
pub fn configure(interp: &mut Interpreter, world: &World) -> PyResult<()> {
    let mut w = world.borrow()?;
    if let Err(error) = w.orm.registry.configure() {
        drop(w);
        return Err(super::errors::to_py_err(interp, error));
    }
    let missing: Vec<(MapperId, usize, Rc<Class>)> = w
        .classes
        .iter()
        .flat_map(|(mapper, class)| {
            let m = w.orm.registry.mapper(*mapper);
            m.props
                .iter()
                .enumerate()
                .filter(|(_, p)| class.own_attr(p.key()).and_then(|v| v.downcast_native::<super::attributes::Attribute>()).is_none())
                .map(|(i, _)| (*mapper, i, class.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    drop(w);
    for (mapper, prop, class) in missing {
        let attribute = super::attributes::Attribute::new(world, mapper, prop, None);
        let key = attribute.key.clone();
        class.set_attr(&key, Value::Native(Rc::new(attribute)));
    }
    issue_orm_warnings(interp, world)
}

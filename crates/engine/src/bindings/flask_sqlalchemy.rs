//! Flask-SQLAlchemy 3.1 as a thin layer over the SQLAlchemy bindings: `SQLAlchemy(app)` makes
//! the `db` object (an engine from `SQLALCHEMY_DATABASE_URI`, the scoped `db.session`, the
//! `db.Model` base with table naming, `<User 1>` reprs and `Model.query`), plus `db.Query`,
//! `db.paginate`, `get_or_404` and friends, and every `sqlalchemy` / `sqlalchemy.orm` name as
//! `db.<name>`.

use std::cell::RefCell;
use std::rc::Rc;

use super::sqlalchemy::attributes::python_object;
use super::sqlalchemy::declarative::{metadata_of_class, own_metadata, DeclarativeBaseInfo, DeclarativeHooks};
use super::sqlalchemy::schema::{metadata_object, table, MetaDataValue};
use super::sqlalchemy::query::{get_by_identity, make_query, query_class, query_rows, QueryState};
use super::sqlalchemy::session::{engine_value, SessionValue};
use super::sqlalchemy::world::{with_orm, ObjHandle, World};
use super::sqlalchemy::{core_names, declarative_base_class, model_init, new_engine, orm_names};
use crate::orm::schema::MetaDataId;
use crate::orm::{ObjectState, SessionId};
use crate::script::{CallArgs, Class, ClassBuilder, DescriptorKind, Instance, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

pub fn install(interp: &mut Interpreter) {
    interp.register_module("flask_sqlalchemy", |interp| {
        let query = query_class(interp)?;
        Ok(ModuleBuilder::new("flask_sqlalchemy")
            .function("SQLAlchemy", sqlalchemy)
            .class(&query)
            .build())
    });
    interp.register_module("flask_sqlalchemy.query", |interp| {
        let query = query_class(interp)?;
        Ok(ModuleBuilder::new("flask_sqlalchemy.query").class(&query).build())
    });
    interp.register_module("flask_sqlalchemy.pagination", |_| {
        Ok(ModuleBuilder::new("flask_sqlalchemy.pagination").build())
    });
}

/// The `db` object.
pub struct Db {
    pub world: World,
    pub model: Rc<Class>,
    /// `db.metadata`, which `db.Model` subclasses and `db.Table(...)` add their tables to.
    pub metadata: MetaDataId,
    pub query_class: Rc<Class>,
    /// Set by `init_app`.
    pub bound: RefCell<Option<Bound>>,
}

#[derive(Clone)]
pub struct Bound {
    pub engine: usize,
    pub session: SessionId,
    pub url: String,
}

impl Db {
    fn bound(&self) -> PyResult<Bound> {
        self.bound.borrow().clone().ok_or_else(|| {
            PyErr::runtime_error(
                "The current Flask app is not registered with this 'SQLAlchemy' instance. Did you forget to call 'init_app', or did you create multiple 'SQLAlchemy' instances?",
            )
        })
    }

    fn session_value(&self) -> PyResult<Value> {
        let bound = self.bound()?;
        let check: super::sqlalchemy::session::ContextCheck = Rc::new(|interp: &mut Interpreter| {
            super::web::require_app_context(interp).map(|_| ())
        });
        Ok(Value::Native(Rc::new(SessionValue { world: self.world.clone(), session: bound.session, scoped: true, require_context: Some(check) })))
    }

    fn require_context(&self, interp: &mut Interpreter) -> PyResult<Bound> {
        super::web::require_app_context(interp)?;
        self.bound()
    }
}

/// `SQLAlchemy(app=None, *, model_class=..., query_class=..., ...)`.
fn sqlalchemy(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let world = World::of(interp);
    let model_class = args.take_kwarg("model_class");
    let custom_query = args.take_kwarg("query_class");
    let session_options = args.take_kwarg("session_options");
    let given_metadata = args.take_kwarg("metadata").filter(|m| m.downcast_native::<MetaDataValue>().is_some());
    for ignored in ["engine_options", "add_models_to_shell", "disable_autonaming"] {
        args.take_kwarg(ignored);
    }
    let app = args.take_kwarg("app").or_else(|| args.args.first().cloned()).filter(|v| !v.is_none());
    if let Some((key, _)) = args.kwargs.first() {
        return Err(PyErr::type_error(format!("SQLAlchemy.__init__() got an unexpected keyword argument '{key}'")));
    }
    let query_class = match custom_query {
        Some(Value::Class(c)) => c,
        _ => query_class(interp)?,
    };
    let base = match &model_class {
        Some(Value::Class(c)) => c.clone(),
        Some(_) => return Err(PyErr::type_error("model_class must be a declarative base class")),
        None => declarative_base_class(interp)?,
    };
    let model = ClassBuilder::new("Model", "flask_sqlalchemy.model")
        .base(&base)
        .method("__init__", model_init)
        .method("__repr__", model_repr)
        .attr("query_class", Value::Class(query_class.clone()))
        .hooks(DeclarativeHooks)
        .build(interp)?;
    model.set_host_data(Rc::new(DeclarativeBaseInfo { flask: true }));
    // Each instance has its own metadata and registry, unless `model_class` is a declarative
    // base that has them (`class Base(DeclarativeBase)`) or `metadata=` is given.
    if let Some(given) = given_metadata {
        model.set_attr("metadata", given);
    }
    let metadata = match metadata_of_class(&model) {
        Some(inherited) if model.own_attr("metadata").is_none() => inherited,
        _ => own_metadata(&world, &model)?,
    };
    let db = Rc::new(Db { world: world.clone(), model: model.clone(), metadata, query_class, bound: RefCell::new(None) });
    model.set_attr("query", Value::Native(Rc::new(QueryProperty { db: Rc::downgrade(&db) })));
    let value = Value::Native(db.clone());
    if let Some(app) = app {
        init_app(interp, &db, &value, &app, session_options)?;
    }
    Ok(value)
}

/// `db.init_app(app)`: the engine and session for the app's configuration.
fn init_app(interp: &mut Interpreter, db: &Rc<Db>, db_value: &Value, app: &Value, session_options: Option<Value>) -> PyResult<()> {
    // One instance per app: its `db.session` and `Model.query` find it in `app.extensions`.
    let extensions = interp.getattr(app, "extensions").ok();
    if let Some(extensions) = &extensions {
        if interp.contains(extensions, &Value::str("sqlalchemy"))? {
            return Err(PyErr::runtime_error("A 'SQLAlchemy' instance has already been registered on this Flask app. Import and use that instance instead."));
        }
    }
    let uri = super::web::config_get(interp, app, "SQLALCHEMY_DATABASE_URI")?.filter(|v| !v.is_none());
    let Some(uri) = uri else {
        return Err(PyErr::runtime_error("Either 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set."));
    };
    let url = interp.str(&uri)?;
    let echo = match super::web::config_get(interp, app, "SQLALCHEMY_ECHO")? {
        Some(v) => interp.truthy(&v)?,
        None => false,
    };
    if super::sqlalchemy::url::Url::parse(&url).is_none() {
        return Err(super::sqlalchemy::errors::sqlalchemy_error(interp, "ArgumentError", "Could not parse SQLAlchemy URL from given URL string"));
    }
    explain_ignored_options(interp, app)?;
    let engine = new_engine(interp, &db.world, &url, echo)?;
    let session = {
        let mut w = db.world.borrow()?;
        let session = w.orm.new_session(engine);
        if let Some(options) = &session_options {
            drop(w);
            let items = interp.mapping_items(options)?;
            let mut w = db.world.borrow()?;
            for (key, value) in items {
                let key = key.as_str().unwrap_or_default().to_string();
                let flag = !matches!(value, Value::Bool(false));
                let data = w.orm.session_mut(session);
                match key.as_str() {
                    "autoflush" => data.autoflush = flag,
                    "expire_on_commit" => data.expire_on_commit = flag,
                    _ => {}
                }
            }
            session
        } else {
            session
        }
    };
    *db.bound.borrow_mut() = Some(Bound { engine, session, url });
    if let Some(extensions) = extensions {
        interp.setitem(&extensions, &Value::str("sqlalchemy"), db_value.clone())?;
    }
    // Flask-SQLAlchemy removes the session when an app context ends (a ROLLBACK if a
    // transaction is open).
    let world = db.world.clone();
    super::web::add_teardown(app, "_teardown_session", move |interp, _| with_orm(interp, &world, |orm, _| orm.close(session)))
}

/// Options an app may set that change nothing here, each explained once in the output.
fn explain_ignored_options(interp: &mut Interpreter, app: &Value) -> PyResult<()> {
    const POOL: [&str; 4] = ["SQLALCHEMY_POOL_SIZE", "SQLALCHEMY_MAX_OVERFLOW", "SQLALCHEMY_POOL_TIMEOUT", "SQLALCHEMY_POOL_RECYCLE"];
    let mut pool = Vec::new();
    for key in POOL {
        if super::web::config_get(interp, app, key)?.is_some() {
            pool.push(key);
        }
    }
    if !pool.is_empty() {
        interp.write_output(&format!(
            "(The playground has no connection pool: {} {} no effect in your browser.)\n",
            pool.join(", "),
            if pool.len() == 1 { "has" } else { "have" }
        ));
    }
    if super::web::config_get(interp, app, "SQLALCHEMY_COMMIT_ON_TEARDOWN")?.is_some() {
        interp.write_output("(SQLALCHEMY_COMMIT_ON_TEARDOWN has no effect: Flask-SQLAlchemy 3 removed it; call db.session.commit() yourself.)\n");
    }
    Ok(())
}

/// Flask-SQLAlchemy's `Model.__repr__`: `<User 1>`, `<User (transient 1403...)>`.
fn model_repr(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let this = args.receiver()?.clone();
    let Some(instance) = this.as_instance() else { return Ok(Value::str("<Model>")) };
    let name = instance.class.name.to_string();
    let Some(handle) = instance.native_state_as::<ObjHandle>() else { return Ok(Value::str(&format!("<{name}>"))) };
    let world = World::of(interp);
    let (state, key) = {
        let w = world.borrow()?;
        let state = w.orm.instances.get(handle.0);
        (state.state(), state.key.clone())
    };
    let text = match (state, key) {
        (ObjectState::Transient, _) | (ObjectState::Pending, _) | (_, None) => {
            let id = Rc::as_ptr(instance) as *const () as usize;
            format!("<{name} ({} {id})>", if state == ObjectState::Pending { "pending" } else { "transient" })
        }
        (_, Some(key)) => {
            let mut parts = Vec::new();
            for value in key.values() {
                let v = super::sqlalchemy::convert::to_value(interp, value)?;
                parts.push(interp.str(&v)?);
            }
            format!("<{name} {}>", parts.join(", "))
        }
    };
    Ok(Value::str(&text))
}

/// `Model.query`: a query of the class (its `query_class`) in `db.session`.
pub struct QueryProperty {
    pub db: std::rc::Weak<Db>,
}

impl NativeObject for QueryProperty {
    fn type_name(&self) -> &str {
        "_QueryProperty"
    }

    fn descriptor(&self) -> DescriptorKind {
        DescriptorKind::NonData
    }

    fn descr_get(&self, interp: &mut Interpreter, _this: &Value, instance: Option<&Value>, owner: &Rc<Class>) -> PyResult<Value> {
        let Some(db) = self.db.upgrade() else { return Ok(Value::None) };
        let bound = db.require_context(interp)?;
        let class = match instance.and_then(|i| i.as_instance()) {
            Some(i) => i.class.clone(),
            None => owner.clone(),
        };
        let query_class = match class.lookup("query_class") {
            Some(Value::Class(c)) => c,
            _ => db.query_class.clone(),
        };
        make_query(interp, &db.world, bound.session, &query_class, &[Value::Class(class)])
    }
}

const DB_METHODS: &[&str] = &["init_app", "create_all", "drop_all", "reflect", "paginate", "get_or_404", "first_or_404", "one_or_404", "get_engine"];

impl Db {
    fn call(&self, interp: &mut Interpreter, this: &Value, name: &str, args: CallArgs) -> PyResult<Value> {
        match name {
            "init_app" => {
                let app = args.args.first().cloned().ok_or_else(|| PyErr::type_error("init_app() missing 1 required positional argument: 'app'"))?;
                let Some(db) = this.downcast_native::<Db>() else { return Ok(Value::None) };
                init_app(interp, &db, this, &app, None)?;
                Ok(Value::None)
            }
            "create_all" | "drop_all" => {
                interp.check_side_effect("creating or dropping tables")?;
                let bound = self.require_context(interp)?;
                let create = name == "create_all";
                let scope = Some(self.metadata);
                with_orm(interp, &self.world, |orm, _| if create { orm.create_all(bound.engine, scope) } else { orm.drop_all(bound.engine, scope) })?;
                Ok(Value::None)
            }
            "reflect" => Err(PyErr::not_implemented("db.reflect() is not supported in the playground: declare the models instead")),
            "get_engine" => Ok(engine_value(&self.world, self.require_context(interp)?.engine)),
            "get_or_404" => {
                let bound = self.require_context(interp)?;
                let class = args.args.first().cloned().unwrap_or(Value::None);
                let ident = args.args.get(1).cloned().unwrap_or(Value::None);
                let description = args.kwarg("description").cloned();
                let Some((mapper, _)) = super::sqlalchemy::query::mapper_of(&self.world, &class)? else {
                    return Err(PyErr::type_error("get_or_404() takes a model class"));
                };
                let found = super::sqlalchemy::session::get_object(interp, &self.world, bound.session, mapper, &ident)?;
                if found.is_none() {
                    return Err(not_found(interp, description)?);
                }
                Ok(found)
            }
            "first_or_404" | "one_or_404" => {
                let bound = self.require_context(interp)?;
                let statement = args.args.first().cloned().unwrap_or(Value::None);
                let description = args.kwarg("description").cloned();
                let result = super::sqlalchemy::core::execute(interp, &self.world, bound.session, &statement, None)?;
                let method = if name == "first_or_404" { "scalar" } else { "scalar_one_or_none" };
                let method = interp.getattr(&result, method)?;
                let value = match interp.call(&method, vec![], vec![]) {
                    Ok(v) => v,
                    Err(e) if name == "one_or_404" && e.kind().is_some() => return Err(not_found(interp, description)?),
                    Err(e) => return Err(e),
                };
                if value.is_none() {
                    return Err(not_found(interp, description)?);
                }
                Ok(value)
            }
            "paginate" => {
                let bound = self.require_context(interp)?;
                let mut args = args;
                let statement = args.args.first().cloned().or_else(|| args.take_kwarg("select")).ok_or_else(|| PyErr::type_error("paginate() missing 1 required positional argument: 'select'"))?;
                let Some(select) = statement.downcast_native::<super::sqlalchemy::query::SelectValue>() else {
                    return Err(PyErr::type_error("db.paginate() takes a select() statement"));
                };
                let state = QueryState { world: self.world.clone(), session: bound.session, select: select.select.clone(), dynamic: None };
                paginate(interp, &state, args, false)
            }
            _ => Err(PyErr::attribute_error(format!("'SQLAlchemy' object has no attribute '{name}'"))),
        }
    }
}

fn not_found(interp: &mut Interpreter, description: Option<Value>) -> PyResult<PyErr> {
    let text = match description {
        Some(d) if !d.is_none() => Some(interp.str(&d)?),
        _ => None,
    };
    Ok(super::web::http_error(interp, 404, text.as_deref()))
}

impl NativeObject for Db {
    fn type_name(&self) -> &str {
        "SQLAlchemy"
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if let Some(method) = DB_METHODS.iter().find(|m| **m == name) {
            let method: &'static str = method;
            let this = this.clone();
            return Ok(Some(crate::script::native_fn(method, move |interp, args| match this.downcast_native::<Db>() {
                Some(db) => db.call(interp, &this, method, args),
                None => Ok(Value::None),
            })));
        }
        match name {
            "Model" => return Ok(Some(Value::Class(self.model.clone()))),
            "Query" => return Ok(Some(Value::Class(self.query_class.clone()))),
            "session" => return self.session_value().map(Some),
            "engine" => return Ok(Some(engine_value(&self.world, self.require_context(interp)?.engine))),
            "metadata" => return metadata_object(&self.world, self.metadata).map(Some),
            "metadatas" => {
                let metadatas = Value::empty_dict();
                let metadata = metadata_object(&self.world, self.metadata)?;
                interp.setitem(&metadatas, &Value::None, metadata)?;
                return Ok(Some(metadatas));
            }
            "Table" => {
                let metadata = self.metadata;
                return Ok(Some(crate::script::native_fn("Table", move |interp, args| table(interp, args, Some(metadata)))));
            }
            _ => {}
        }
        for (n, value) in core_names(interp)?.into_iter().chain(orm_names(interp)?) {
            if n == name {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        let mut names: Vec<String> = DB_METHODS.iter().chain(["Model", "Query", "session", "engine", "metadata", "metadatas"].iter()).map(|s| s.to_string()).collect();
        if let Ok(core) = core_names(interp) {
            names.extend(core.into_iter().map(|(n, _)| n.to_string()));
        }
        if let Ok(orm) = orm_names(interp) {
            names.extend(orm.into_iter().map(|(n, _)| n.to_string()));
        }
        names
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(match &*self.bound.borrow() {
            Some(bound) => format!("<SQLAlchemy {}>", bound.url),
            None => "<SQLAlchemy>".to_string(),
        })
    }
}

/// `query.paginate(page=..., per_page=...)`.
pub fn paginate_query(interp: &mut Interpreter, _this: &Rc<Instance>, state: &QueryState, args: CallArgs) -> PyResult<Value> {
    paginate(interp, state, args, true)
}

/// A page of a query: Flask-SQLAlchemy's `Pagination`.
fn paginate(interp: &mut Interpreter, state: &QueryState, args: CallArgs, legacy: bool) -> PyResult<Value> {
    let int = |interp: &mut Interpreter, v: Option<&Value>| -> PyResult<Option<i64>> {
        match v {
            None | Some(Value::None) => Ok(None),
            Some(v) => Ok(Some(v.as_int().ok_or_else(|| PyErr::type_error(format!("expected an int, got {}", interp.class_of(v).name)))?)),
        }
    };
    let error_out = !matches!(args.kwarg("error_out"), Some(Value::Bool(false)));
    let page = int(interp, args.kwarg("page"))?.unwrap_or(1);
    let mut per_page = int(interp, args.kwarg("per_page"))?.unwrap_or(20);
    if let Some(max) = int(interp, args.kwarg("max_per_page"))? {
        per_page = per_page.min(max);
    }
    if (page < 1 || per_page < 1)
        && error_out {
            return Err(not_found(interp, None)?);
        }
    let (page, per_page) = (page.max(1), per_page.max(1));
    let mut select = state.select.clone();
    select.limit = Some(per_page);
    select.offset = Some((page - 1) * per_page);
    let items = if legacy {
        query_rows(interp, state, &select)?
    } else {
        let rows = with_orm(interp, &state.world, |orm, host| orm.execute_select(host, state.session, &select))?;
        let values = super::sqlalchemy::result::rows_to_values(interp, &state.world, rows, false)?;
        values.iter().map(|r| super::sqlalchemy::result::first_column(interp, r)).collect::<PyResult<Vec<_>>>()?
    };
    let count = !matches!(args.kwarg("count"), Some(Value::Bool(false)));
    let total = if count {
        let count_select = state.select.clone();
        let session = state.session;
        Some(with_orm(interp, &state.world, |orm, host| orm.execute_count(host, session, &count_select))?)
    } else {
        None
    };
    if items.is_empty() && page != 1 && error_out {
        return Err(not_found(interp, None)?);
    }
    Ok(Value::Native(Rc::new(Pagination { page, per_page, total, items })))
}

pub struct Pagination {
    pub page: i64,
    pub per_page: i64,
    pub total: Option<i64>,
    pub items: Vec<Value>,
}

impl Pagination {
    fn pages(&self) -> i64 {
        match self.total {
            Some(0) | None => 0,
            Some(total) => (total + self.per_page - 1) / self.per_page,
        }
    }

    /// Flask-SQLAlchemy's `iter_pages(left_edge=2, left_current=2, right_current=4, right_edge=2)`.
    fn iter_pages(&self, left_edge: i64, left_current: i64, right_current: i64, right_edge: i64) -> Vec<Value> {
        let pages = self.pages();
        if pages == 0 {
            return vec![];
        }
        let left_end = (1 + left_edge).min(pages + 1);
        let mut out: Vec<Value> = (1..left_end).map(Value::Int).collect();
        if left_end == pages + 1 {
            return out;
        }
        let mid_start = left_end.max(self.page - left_current);
        let mid_end = (self.page + right_current + 1).min(pages + 1);
        if mid_start - left_end > 0 {
            out.push(Value::None);
        }
        out.extend((mid_start..mid_end).map(Value::Int));
        if mid_end == pages + 1 {
            return out;
        }
        let right_start = mid_end.max(pages - right_edge + 1);
        if right_start - mid_end > 0 {
            out.push(Value::None);
        }
        out.extend((right_start..pages + 1).map(Value::Int));
        out
    }
}

impl NativeObject for Pagination {
    fn type_name(&self) -> &str {
        "Pagination"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let pages = self.pages();
        let opt = |v: Option<i64>| v.map(Value::Int).unwrap_or(Value::None);
        Ok(Some(match name {
            "page" => Value::Int(self.page),
            "per_page" => Value::Int(self.per_page),
            "total" => opt(self.total),
            "items" => Value::list(self.items.clone()),
            "pages" => Value::Int(pages),
            "has_prev" => Value::Bool(self.page > 1),
            "has_next" => Value::Bool(self.page < pages),
            "prev_num" => opt((self.page > 1).then_some(self.page - 1)),
            "next_num" => opt((self.page < pages).then_some(self.page + 1)),
            "first" => Value::Int(if self.items.is_empty() { 0 } else { (self.page - 1) * self.per_page + 1 }),
            "last" => Value::Int(if self.items.is_empty() { 0 } else { (self.page - 1) * self.per_page + self.items.len() as i64 }),
            "iter_pages" => {
                let (page, per_page, total, items) = (self.page, self.per_page, self.total, self.items.clone());
                crate::script::native_fn("iter_pages", move |interp, args| {
                    let [left_edge, left_current, right_current, right_edge] = args.bind("iter_pages", ["left_edge", "left_current", "right_current", "right_edge"], 0)?;
                    let pick = |v: Option<Value>, d: i64| v.and_then(|v| v.as_int()).unwrap_or(d);
                    let p = Pagination { page, per_page, total, items: items.clone() };
                    let _ = interp;
                    Ok(crate::script::iterator_from_values(p.iter_pages(pick(left_edge, 2), pick(left_current, 2), pick(right_current, 4), pick(right_edge, 2))))
                })
            }
            _ => {
                let _ = interp;
                return Ok(None);
            }
        }))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(crate::script::iterator_from_values(self.items.clone())))
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        Ok(format!("<flask_sqlalchemy.pagination.QueryPagination object at 0x{address:x}>"))
    }
}

/// `query.get_or_404(id)`, `query.first_or_404()`, `query.one_or_404()`.
pub fn query_or_404(interp: &mut Interpreter, this: &Rc<Instance>, method: &str, args: CallArgs) -> PyResult<Value> {
    let description = args.kwarg("description").cloned();
    let base = match method {
        "get_or_404" => "get",
        "first_or_404" => "first",
        _ => "one",
    };
    let result = match this.native_state_as::<QueryState>() {
        // Query.get() without its LegacyAPIWarning: SQLAlchemy attributes it to
        // flask_sqlalchemy's module, where DeprecationWarnings are ignored.
        Some(state) if base == "get" => get_by_identity(interp, &state, CallArgs::new(args.args.clone())),
        _ => {
            let function = interp.getattr(&Value::Instance(this.clone()), base)?;
            interp.call(&function, args.args.clone(), vec![])
        }
    };
    match result {
        Ok(v) if v.is_none() => Err(not_found(interp, description)?),
        Ok(v) => Ok(v),
        Err(e) if base == "one" => {
            let _ = e;
            Err(not_found(interp, description)?)
        }
        Err(e) => Err(e),
    }
}

/// The Python object of an ORM object (for callers outside the sqlalchemy bindings).
pub fn object_value(interp: &mut Interpreter, world: &World, obj: crate::orm::ObjId) -> PyResult<Value> {
    let mut w = world.borrow()?;
    Ok(python_object(interp, &mut w, obj))
}

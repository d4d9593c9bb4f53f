//! Queries: the legacy `Query` (`User.query.filter_by(...).all()`, a Python class that custom
//! query classes subclass) and 2.0 `select()` (run by `session.execute`). Both build the same
//! ORM statement; each call returns a new object (they are generative, as in SQLAlchemy).

use std::rc::Rc;

use super::attributes::{obj_of_value, Attribute};
use super::expr::{operand, SqlExpr};
use super::result::{rows_to_values, ResultValue};
use super::world::{with_orm, World};
use crate::orm::bulk::Synchronize;
use crate::orm::mapper::{Direction, MapperId, PropIdx};
use crate::orm::select::{Entity, JoinClause, JoinTarget, LoadOption, LoaderKind, OrmSelect};
use crate::orm::{ObjId, SessionId};
use crate::script::ast::{CmpOp, UnaryOp};
use crate::script::{CallArgs, Class, ClassBuilder, ClassHooks, Instance, Interpreter, NativeObject, PyErr, PyResult, Value};
use crate::sql::{BinaryOp, Datum, Expr, Select};

/// A mapped class or `aliased(Class)` used as a query entity.
pub struct AliasedClass {
    pub mapper: MapperId,
    pub alias: String,
    pub world: World,
}

impl NativeObject for AliasedClass {
    fn type_name(&self) -> &str {
        "AliasedClass"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let prop = self.world.borrow()?.orm.registry.mapper(self.mapper).prop(name);
        Ok(prop.map(|p| Value::Native(Rc::new(Attribute::new(&self.world, self.mapper, p, Some(self.alias.clone()))))))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let w = self.world.borrow()?;
        Ok(format!("<AliasedClass; {}>", w.orm.registry.mapper(self.mapper).class_name))
    }
}

/// The mapper a class value maps, if any.
pub fn mapper_of(world: &World, value: &Value) -> PyResult<Option<(MapperId, Option<String>)>> {
    if let Some(class) = value.as_class() {
        return Ok(world.borrow()?.mapper_of_class(class).map(|m| (m, None)));
    }
    if let Some(alias) = value.downcast_native::<AliasedClass>() {
        return Ok(Some((alias.mapper, Some(alias.alias.clone()))));
    }
    Ok(None)
}

/// A SELECT-list entity from a Python value: a class, an attribute, an expression.
fn entity_of(interp: &mut Interpreter, world: &World, value: &Value) -> PyResult<Entity> {
    if let Some((mapper, alias)) = mapper_of(world, value)? {
        return Ok(Entity::Mapper { mapper, alias });
    }
    if value.downcast_native::<super::schema::TableValue>().is_some() {
        return Err(PyErr::not_implemented("selecting a whole Table here is not supported; select its columns (table.c.name) instead"));
    }
    let e = operand(interp, value, None)?;
    if matches!(e.expr, Expr::Param(_)) {
        let shown = interp.repr(value)?;
        return Err(super::errors::sqlalchemy_error(
            interp,
            "ArgumentError",
            format!("Column expression, FROM clause, or other columns clause element expected, got {shown}."),
        ));
    }
    let key = e.label.clone().or_else(|| e.name.clone()).unwrap_or_else(|| "anon".into());
    let expr = if e.distinct { Expr::Function { name: "DISTINCT".into(), args: vec![e.expr.clone()], distinct: false } } else { e.expr.clone() };
    Ok(Entity::Column { expr, label: e.label.clone(), key })
}

/// A WHERE criterion from a Python value.
fn criterion(interp: &mut Interpreter, value: &Value) -> PyResult<Expr> {
    match value {
        Value::Bool(b) => Ok(Expr::Literal(Datum::Bool(*b))),
        _ => Ok(super::expr::as_criterion(operand(interp, value, None)?)),
    }
}

fn int_or_none(value: Option<&Value>, what: &str) -> PyResult<Option<i64>> {
    match value {
        None | Some(Value::None) => Ok(None),
        Some(v) => v.as_int().map(Some).ok_or_else(|| PyErr::type_error(format!("{what}() takes an int or None"))),
    }
}

/// Applies a generative builder method shared by `Query` and `select()`; false when `name`
/// is not one.
pub fn apply(interp: &mut Interpreter, world: &World, select: &mut OrmSelect, name: &str, mut args: CallArgs) -> PyResult<bool> {
    match name {
        "filter" | "where" => {
            for value in &args.args {
                let c = criterion(interp, value)?;
                select.criteria.push(c);
            }
        }
        "filter_by" => {
            let (target, alias) = {
                let w = world.borrow()?;
                w.orm.filter_by_target(select).ok_or_else(|| PyErr::type_error("filter_by() needs an entity to filter"))?
            };
            for (key, value) in args.kwargs {
                let prop = world.borrow()?.orm.registry.mapper(target).prop(&key);
                let Some(prop) = prop else {
                    let table = world.borrow()?.orm.table_name(target).to_string();
                    return Err(super::errors::sqlalchemy_error(interp, "InvalidRequestError", format!("Entity namespace for \"{table}\" has no property \"{key}\"")));
                };
                let attr = Attribute::new(world, target, prop, alias.clone());
                let compared = if attr.is_relationship()? {
                    relationship_compare(interp, &attr, CmpOp::Eq, &value)?
                } else {
                    super::expr::compare(interp, &attr.expression()?, CmpOp::Eq, &value)?
                };
                if let Some(c) = compared.and_then(|v| v.downcast_native::<SqlExpr>()) {
                    select.criteria.push(c.expr.clone());
                }
            }
        }
        "order_by" => {
            if args.args.len() == 1 && args.args[0].is_none() {
                select.order_by.clear();
            }
            for value in args.args.iter().filter(|v| !v.is_none()) {
                if let Some(text) = value.as_str() {
                    return Err(super::errors::sqlalchemy_error(
                        interp,
                        "ArgumentError",
                        format!("Textual SQL expression '{text}' should be explicitly declared as text('{text}')"),
                    ));
                }
                select.order_by.push(operand(interp, value, None)?.order_by());
            }
        }
        "group_by" => {
            for value in &args.args {
                let e = operand(interp, value, None)?;
                select.group_by.push(e.expr);
            }
        }
        "having" => {
            for value in &args.args {
                let c = criterion(interp, value)?;
                select.having.push(c);
            }
        }
        "limit" => select.limit = int_or_none(args.args.first(), "limit")?,
        "offset" => select.offset = int_or_none(args.args.first(), "offset")?,
        "distinct" => {
            if !args.args.is_empty() {
                return Err(PyErr::not_implemented("distinct(*columns) (DISTINCT ON) is not supported by SQLite"));
            }
            select.distinct = true;
        }
        "join" | "outerjoin" | "join_from" => {
            let outer = name == "outerjoin" || args.take_kwarg("isouter").is_some_and(|v| matches!(v, Value::Bool(true)));
            if args.take_kwarg("full").is_some_and(|v| matches!(v, Value::Bool(true))) {
                return Err(PyErr::not_implemented("FULL OUTER JOIN is not supported by the playground's database (GlueSQL)"));
            }
            let mut positional = args.args.clone();
            if name == "join_from" && !positional.is_empty() {
                let from = positional.remove(0);
                if let Some((mapper, _)) = mapper_of(world, &from)? {
                    select.select_from = Some(mapper);
                }
            }
            let Some(target) = positional.first() else { return Err(PyErr::type_error("join() missing its target")) };
            let on = match positional.get(1) {
                Some(v) => Some(criterion(interp, v)?),
                None => None,
            };
            let target = if let Some(attr) = target.downcast_native::<Attribute>() {
                if !attr.is_relationship()? {
                    return Err(super::errors::sqlalchemy_error(interp, "ArgumentError", "Join target must be a class or a relationship attribute"));
                }
                JoinTarget::Relationship { parent: attr.mapper, parent_alias: attr.alias.clone(), prop: attr.prop, alias: None }
            } else if let Some((mapper, alias)) = mapper_of(world, target)? {
                // join(Target, Parent.relationship) names the relationship as the ON clause.
                match positional.get(1).and_then(|v| v.downcast_native::<Attribute>()) {
                    Some(rel) if rel.is_relationship()? => {
                        JoinTarget::Relationship { parent: rel.mapper, parent_alias: rel.alias.clone(), prop: rel.prop, alias }
                    }
                    _ => JoinTarget::Mapper { mapper, alias },
                }
            } else if let Some(table) = target.downcast_native::<super::schema::TableValue>() {
                JoinTarget::Table { name: table.name.clone() }
            } else {
                let shown = interp.repr(target)?;
                return Err(super::errors::sqlalchemy_error(interp, "ArgumentError", format!("Join target {shown} is not a mapped class, alias, table or relationship")));
            };
            let on = if matches!(target, JoinTarget::Relationship { .. }) && positional.get(1).and_then(|v| v.downcast_native::<Attribute>()).is_some() { None } else { on };
            select.joins.push(JoinClause { target, on, outer });
        }
        "options" => {
            for value in &args.args {
                let Some(option) = value.downcast_native::<LoaderOption>() else {
                    return Err(super::errors::sqlalchemy_error(interp, "ArgumentError", "options() takes loader options such as joinedload(User.posts)"));
                };
                select.options.push(LoadOption { path: option.path.clone(), kind: option.kind });
            }
        }
        "select_from" => {
            if let Some((mapper, _)) = args.args.first().map(|v| mapper_of(world, v)).transpose()?.flatten() {
                select.select_from = Some(mapper);
            }
        }
        "with_entities" | "with_only_columns" => {
            select.entities = args.args.iter().map(|v| entity_of(interp, world, v)).collect::<PyResult<_>>()?;
        }
        "add_columns" | "add_entity" => {
            for v in &args.args {
                let e = entity_of(interp, world, v)?;
                select.entities.push(e);
            }
        }
        "populate_existing" => select.populate_existing = true,
        "execution_options" | "enable_eagerloads" | "autoflush" | "params" | "correlate" => {}
        _ => return Ok(false),
    }
    Ok(true)
}

const BUILDER_METHODS: &[&str] = &[
    "filter", "where", "filter_by", "order_by", "group_by", "having", "limit", "offset", "distinct", "join", "outerjoin", "join_from", "options",
    "select_from", "with_entities", "with_only_columns", "add_columns", "add_entity", "populate_existing", "execution_options", "enable_eagerloads",
    "autoflush", "params", "correlate",
];

// ---- select() ---------------------------------------------------------------------------

/// A 2.0-style `select(...)` statement.
#[derive(Clone)]
pub struct SelectValue {
    pub world: World,
    pub select: OrmSelect,
}

pub fn select_of(interp: &mut Interpreter, world: &World, args: &[Value]) -> PyResult<Value> {
    super::world::configure(interp, world)?;
    let mut entities = Vec::new();
    for value in args {
        // select([a, b]) (1.x style) takes a list.
        if let Value::List(_) = value {
            for item in interp.collect(value)? {
                entities.push(entity_of(interp, world, &item)?);
            }
        } else {
            entities.push(entity_of(interp, world, value)?);
        }
    }
    Ok(Value::Native(Rc::new(SelectValue { world: world.clone(), select: OrmSelect { entities, ..OrmSelect::default() } })))
}

impl SelectValue {
    pub fn compile_subquery(&self, _interp: &mut Interpreter) -> PyResult<Select> {
        let w = self.world.borrow()?;
        w.orm.compile_select(&self.select).map(|c| c.select).map_err(|e| PyErr::runtime_error(e.message))
    }

    pub fn scalar_subquery(&self, interp: &mut Interpreter) -> PyResult<SqlExpr> {
        Ok(SqlExpr::new(Expr::ScalarSubquery(Box::new(self.compile_subquery(interp)?)), None))
    }

    pub fn sql(&self) -> PyResult<String> {
        let w = self.world.borrow()?;
        let compiled = w.orm.compile_select(&self.select).map_err(|e| PyErr::runtime_error(e.message))?;
        Ok(super::core::named_statement_sql(&crate::sql::Statement::Select(compiled.select)))
    }
}

impl NativeObject for SelectValue {
    fn type_name(&self) -> &str {
        "Select"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let this = this.clone();
        if let Some(method) = BUILDER_METHODS.iter().find(|m| **m == name) {
            let method: &'static str = method;
            return Ok(Some(crate::script::native_fn(method, move |interp, args| {
                let Some(current) = this.downcast_native::<SelectValue>() else { return Ok(Value::None) };
                let mut next = (*current).clone();
                apply(interp, &next.world.clone(), &mut next.select, method, args)?;
                Ok(Value::Native(Rc::new(next)))
            })));
        }
        Ok(match name {
            "scalar_subquery" | "subquery" | "exists" => {
                let name = name.to_string();
                Some(crate::script::native_fn("scalar_subquery", move |interp, _args| {
                    let Some(current) = this.downcast_native::<SelectValue>() else { return Ok(Value::None) };
                    let subquery = current.compile_subquery(interp)?;
                    match name.as_str() {
                        "exists" => Ok(SqlExpr::boolean(Expr::Exists(Box::new(subquery))).value()),
                        "subquery" => Err(PyErr::not_implemented("select().subquery() as a FROM source is not supported yet; use scalar_subquery() or in_(select(...))")),
                        _ => Ok(SqlExpr::new(Expr::ScalarSubquery(Box::new(subquery)), None).value()),
                    }
                }))
            }
            _ => None,
        })
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        Ok(format!("<sqlalchemy.sql.selectable.Select object at 0x{address:x}>"))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        self.sql()
    }
}

// ---- legacy Query ------------------------------------------------------------------------

/// The state of a `Query` instance.
pub struct QueryState {
    pub world: World,
    pub session: SessionId,
    pub select: OrmSelect,
    /// A `lazy='dynamic'` relationship's query: its parent, for `append` / `remove`.
    pub dynamic: Option<(ObjId, PropIdx)>,
}

/// The `Query` class (`flask_sqlalchemy.query.Query`): natively implemented methods on a class
/// Python code can subclass (`class UserQuery(db.Query)`).
pub fn query_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    if let Some(class) = interp.extension::<QueryClass>() {
        return Ok(class.0.clone());
    }
    let mut builder = ClassBuilder::new("Query", "flask_sqlalchemy.query").hooks(QueryHooks);
    for method in BUILDER_METHODS {
        let method: &'static str = method;
        builder = builder.method(method, move |interp, args| builder_method(interp, method, args));
    }
    for method in QUERY_METHODS {
        let method: &'static str = method;
        builder = builder.method(method, move |interp, args| query_method(interp, method, args));
    }
    let class = builder.build(interp)?;
    interp.insert_extension(QueryClass(class.clone()));
    Ok(class)
}

struct QueryClass(Rc<Class>);

struct QueryHooks;

impl ClassHooks for QueryHooks {}

const QUERY_METHODS: &[&str] = &[
    "all", "first", "one", "one_or_none", "scalar", "get", "count", "update", "delete", "exists", "paginate", "get_or_404", "first_or_404", "one_or_404",
    "__iter__", "__getitem__", "__str__", "slice", "append", "remove", "statement",
];

/// A new query instance of `class` over `state`.
pub fn new_query(interp: &mut Interpreter, class: &Rc<Class>, state: QueryState) -> Value {
    let instance = interp.new_instance(class);
    instance.set_native_state(Rc::new(state));
    Value::Instance(instance)
}

fn state_of(args: &CallArgs) -> PyResult<(Rc<Instance>, Rc<QueryState>)> {
    let this = args.receiver()?.as_instance().cloned().ok_or_else(|| PyErr::type_error("Query method called on a non-Query"))?;
    let state = this.native_state_as::<QueryState>().ok_or_else(|| PyErr::type_error("this Query was not made by a session (use Model.query or session.query())"))?;
    Ok((this, state))
}

fn builder_method(interp: &mut Interpreter, method: &str, mut args: CallArgs) -> PyResult<Value> {
    let (this, state) = state_of(&args)?;
    args.args.remove(0);
    let mut select = state.select.clone();
    apply(interp, &state.world, &mut select, method, args)?;
    let next = QueryState { world: state.world.clone(), session: state.session, select, dynamic: state.dynamic };
    Ok(new_query(interp, &this.class, next))
}

/// `session.query(...)` / `Model.query`: a legacy query over the given entities.
pub fn make_query(interp: &mut Interpreter, world: &World, session: SessionId, class: &Rc<Class>, entities: &[Value]) -> PyResult<Value> {
    super::world::configure(interp, world)?;
    let entities = entities.iter().map(|v| entity_of(interp, world, v)).collect::<PyResult<Vec<_>>>()?;
    let select = OrmSelect { legacy: true, entities, ..OrmSelect::default() };
    Ok(new_query(interp, class, QueryState { world: world.clone(), session, select, dynamic: None }))
}

/// Runs a query and returns its rows as Python values (objects for a single-entity query).
pub fn query_rows(interp: &mut Interpreter, state: &QueryState, select: &OrmSelect) -> PyResult<Vec<Value>> {
    let rows = with_orm(interp, &state.world, |orm, host| orm.execute_select(host, state.session, select))?;
    let single_object = matches!(select.entities.as_slice(), [Entity::Mapper { .. }]);
    rows_to_values(interp, &state.world, rows, single_object)
}

fn query_method(interp: &mut Interpreter, method: &str, mut args: CallArgs) -> PyResult<Value> {
    let (this, state) = state_of(&args)?;
    args.args.remove(0);
    let world = state.world.clone();
    let session = state.session;
    match method {
        "all" | "__iter__" => {
            let rows = query_rows(interp, &state, &state.select)?;
            Ok(if method == "all" { Value::list(rows) } else { crate::script::iterator_from_values(rows) })
        }
        "first" => {
            let mut select = state.select.clone();
            select.limit = Some(1);
            select.offset = Some(state.select.offset.unwrap_or(0));
            Ok(query_rows(interp, &state, &select)?.into_iter().next().unwrap_or(Value::None))
        }
        "one" | "one_or_none" | "scalar" => {
            let rows = query_rows(interp, &state, &state.select)?;
            match rows.len() {
                0 if method == "one" => Err(super::errors::sqlalchemy_error(interp, "NoResultFound", "No row was found when one was required")),
                0 => Ok(Value::None),
                1 => {
                    let row = rows.into_iter().next().unwrap_or(Value::None);
                    if method == "scalar" {
                        return super::result::first_column(interp, &row);
                    }
                    Ok(row)
                }
                _ => Err(super::errors::sqlalchemy_error(interp, "MultipleResultsFound", "Multiple rows were found when exactly one was required")),
            }
        }
        "get" => {
            let mapper = match state.select.entities.first() {
                Some(Entity::Mapper { mapper, .. }) => *mapper,
                _ => return Err(super::errors::sqlalchemy_error(interp, "InvalidRequestError", "Query.get() needs a single mapped entity")),
            };
            let ident = args.args.first().cloned().ok_or_else(|| PyErr::type_error("get() missing 1 required positional argument: 'ident'"))?;
            super::session::get_object(interp, &world, session, mapper, &ident)
        }
        "count" => {
            let select = state.select.clone();
            let n = with_orm(interp, &world, |orm, host| orm.execute_count(host, session, &select))?;
            Ok(Value::Int(n))
        }
        "update" | "delete" => {
            let synchronize = match args.kwarg("synchronize_session") {
                None => Synchronize::Auto,
                Some(Value::Bool(false)) => Synchronize::Off,
                Some(v) => {
                    let text = interp.str(v)?;
                    Synchronize::parse(&text).ok_or_else(|| PyErr::value_error(format!("synchronize_session must be 'auto', 'evaluate', 'fetch' or False, not {text}")))?
                }
            };
            interp.check_side_effect("a bulk UPDATE/DELETE")?;
            let select = state.select.clone();
            if method == "delete" {
                let n = with_orm(interp, &world, |orm, host| orm.bulk_delete(host, session, &select, synchronize))?;
                return Ok(Value::Int(n as i64));
            }
            let values = args.args.first().cloned().ok_or_else(|| PyErr::type_error("update() missing 1 required positional argument: 'values'"))?;
            let assignments = update_values(interp, &world, &select, &values)?;
            let n = with_orm(interp, &world, |orm, host| orm.bulk_update(host, session, &select, assignments, synchronize))?;
            Ok(Value::Int(n as i64))
        }
        "exists" => {
            let w = world.borrow()?;
            let compiled = w.orm.compile_select(&state.select).map_err(|e| PyErr::runtime_error(e.message))?;
            Ok(SqlExpr::boolean(Expr::Exists(Box::new(compiled.select))).value())
        }
        "paginate" => super::super::flask_sqlalchemy::paginate_query(interp, &this, &state, args),
        "get_or_404" | "first_or_404" | "one_or_404" => super::super::flask_sqlalchemy::query_or_404(interp, &this, method, args),
        "__getitem__" | "slice" => {
            let rows = query_rows(interp, &state, &state.select)?;
            let list = Value::list(rows);
            match method {
                "slice" => {
                    let start = args.args.first().cloned().unwrap_or(Value::None);
                    let stop = args.args.get(1).cloned().unwrap_or(Value::None);
                    let slice = Value::Slice(Rc::new(crate::script::value::PySlice { start, stop, step: Value::None }));
                    interp.getitem(&list, &slice)
                }
                _ => interp.getitem(&list, args.args.first().unwrap_or(&Value::None)),
            }
        }
        "__str__" | "statement" => {
            let w = world.borrow()?;
            let compiled = w.orm.compile_select(&state.select).map_err(|e| PyErr::runtime_error(e.message))?;
            let sql = crate::sql::echo::render(&crate::sql::Statement::Select(compiled.select)).text;
            Ok(Value::str(&sql))
        }
        "append" | "remove" => {
            let Some((parent, prop)) = state.dynamic else {
                return Err(PyErr::attribute_error(format!("'{}' object has no attribute '{method}'", this.class.name)));
            };
            let child = obj_of_value(&world, args.args.first().unwrap_or(&Value::None))?;
            with_orm(interp, &world, |orm, host| {
                if method == "append" {
                    orm.collection_append(host, parent, prop, child)
                } else {
                    orm.collection_remove(host, parent, prop, child)
                }
            })?;
            Ok(Value::None)
        }
        _ => Err(PyErr::attribute_error(format!("'Query' object has no attribute '{method}'"))),
    }
}

/// `update({User.age: User.age + 1})` / `update({'age': ...})`: (property, expression) pairs.
pub fn update_values(interp: &mut Interpreter, world: &World, select: &OrmSelect, values: &Value) -> PyResult<Vec<(PropIdx, Expr)>> {
    let Some(Entity::Mapper { mapper, .. }) = select.entities.first() else {
        return Err(super::errors::sqlalchemy_error(interp, "InvalidRequestError", "update() needs a single mapped entity"));
    };
    let mapper = *mapper;
    let mut out = Vec::new();
    for (key, value) in interp.mapping_items(values)? {
        let prop = if let Some(attr) = key.downcast_native::<Attribute>() {
            attr.prop
        } else {
            let name = interp.str(&key)?;
            world.borrow()?.orm.registry.mapper(mapper).prop(&name).ok_or_else(|| PyErr::attribute_error(format!("Unconsumed column names: {name}")))?
        };
        let attr = Attribute::new(world, mapper, prop, None);
        let column_type = attr.expression()?.column_type;
        let expr = operand(interp, &value, column_type.as_ref())?.expr;
        out.push((prop, expr));
    }
    Ok(out)
}

/// A `lazy='dynamic'` relationship: a query of the parent's related rows that can also
/// `append` / `remove`.
pub fn dynamic_query(interp: &mut Interpreter, world: &World, parent: ObjId, mapper: MapperId, prop: PropIdx) -> PyResult<Value> {
    // The parent's key columns must be loaded to filter by them (an expired parent refreshes).
    with_orm(interp, world, |orm, _| {
        for pk in orm.registry.mapper(mapper).pk_props.clone() {
            orm.value_for_sync(parent, pk)?;
        }
        Ok(())
    })?;
    let (session, select) = {
        let w = world.borrow()?;
        let session = w.orm.instances.get(parent).session;
        let relationship = w.orm.registry.mapper(mapper).relationship(prop).cloned();
        let Some(relationship) = relationship else { return Ok(Value::None) };
        let Some(session) = session else {
            drop(w);
            return Err(super::errors::sqlalchemy_error(interp, "DetachedInstanceError", "Parent instance is not bound to a Session, and no contextual session is established; lazy load operation of attribute cannot proceed"));
        };
        let mut select = OrmSelect::of_mapper(relationship.target, true);
        for (referenced, fk) in &relationship.pairs {
            let parent_mapper = w.orm.registry.mapper(mapper);
            let Some(parent_prop) = parent_mapper.prop_for_column(referenced.column) else { continue };
            let value = w.orm.known_value(parent, parent_prop).unwrap_or(Datum::Null);
            let table = w.orm.registry.metadata.table(fk.table);
            select.criteria.push(Expr::binary(Expr::Param(value), BinaryOp::Eq, Expr::column(&table.name, &table.columns[fk.column].name)));
        }
        select.order_by = w.orm.relationship_order_by(&relationship, None);
        (session, select)
    };
    let class = query_class(interp)?;
    Ok(new_query(interp, &class, QueryState { world: world.clone(), session, select, dynamic: Some((parent, prop)) }))
}

// ---- relationship comparisons ------------------------------------------------------------

/// `Post.author == user`: the foreign key compared with the object's primary key.
pub fn relationship_compare(_interp: &mut Interpreter, attr: &Attribute, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
    if !matches!(op, CmpOp::Eq | CmpOp::NotEq) {
        return Ok(None);
    }
    let w = attr.world.borrow()?;
    let Some(relationship) = w.orm.registry.mapper(attr.mapper).relationship(attr.prop).cloned() else { return Ok(None) };
    if relationship.direction != Direction::ManyToOne {
        drop(w);
        return Err(PyErr::not_implemented(format!(
            "comparing the collection {}.{} with == is not supported; use .contains(obj) or .any(...)",
            attr.class_name, attr.key
        )));
    }
    let target = if other.is_none() { None } else { Some(obj_of_value(&attr.world, other)?) };
    let mut terms = Vec::new();
    for (referenced, fk) in &relationship.pairs {
        let fk_table = w.orm.registry.metadata.table(fk.table);
        let column = Expr::column(attr.alias.as_deref().unwrap_or(&fk_table.name), &fk_table.columns[fk.column].name);
        let value = match target {
            Some(obj) => {
                let target_mapper = w.orm.registry.mapper(relationship.target);
                let prop = target_mapper.prop_for_column(referenced.column);
                prop.and_then(|p| w.orm.known_value(obj, p)).unwrap_or(Datum::Null)
            }
            None => Datum::Null,
        };
        terms.push(if value.is_null() {
            Expr::IsNull { expr: Box::new(column), negated: op == CmpOp::NotEq }
        } else {
            Expr::binary(column, if op == CmpOp::Eq { BinaryOp::Eq } else { BinaryOp::NotEq }, Expr::Param(value))
        });
    }
    let expr = crate::orm::select::and_all(&terms).unwrap_or(Expr::Literal(Datum::Bool(true)));
    Ok(Some(SqlExpr::boolean(expr).value()))
}

/// `User.posts.any(...)`, `Post.author.has(...)`, `User.posts.contains(post)`.
pub fn relationship_comparator(_interp: &mut Interpreter, attr: &Attribute, name: &str) -> PyResult<Option<Value>> {
    if !matches!(name, "any" | "has" | "contains") {
        return Ok(None);
    }
    let world = attr.world.clone();
    let (mapper, prop, alias) = (attr.mapper, attr.prop, attr.alias.clone());
    let name: &'static str = match name {
        "any" => "any",
        "has" => "has",
        _ => "contains",
    };
    Ok(Some(crate::script::native_fn(name, move |interp, args| {
        let w = world.borrow()?;
        let Some(relationship) = w.orm.registry.mapper(mapper).relationship(prop).cloned() else { return Ok(Value::None) };
        let parent_alias = alias.clone();
        if name == "contains" {
            let child = obj_of_value(&world, args.args.first().unwrap_or(&Value::None))?;
            let target_mapper = w.orm.registry.mapper(relationship.target);
            let mut terms = Vec::new();
            for (referenced, fk) in &relationship.pairs {
                let (own, other_col) = match relationship.direction {
                    Direction::OneToMany => (*referenced, *fk),
                    _ => (*fk, *referenced),
                };
                let own_table = w.orm.registry.metadata.table(own.table);
                let value = target_mapper.prop_for_column(other_col.column).and_then(|p| w.orm.known_value(child, p)).unwrap_or(Datum::Null);
                terms.push(Expr::binary(Expr::column(parent_alias.as_deref().unwrap_or(&own_table.name), &own_table.columns[own.column].name), BinaryOp::Eq, Expr::Param(value)));
            }
            return Ok(SqlExpr::boolean(crate::orm::select::and_all(&terms).unwrap_or(Expr::Literal(Datum::Bool(true)))).value());
        }
        let on = w.orm.relationship_join(&relationship, parent_alias.as_deref(), None);
        let target_table = w.orm.table_name(relationship.target).to_string();
        drop(w);
        let mut criteria = vec![on];
        if let Some(extra) = args.args.first() {
            criteria.push(criterion(interp, extra)?);
        }
        for (key, value) in &args.kwargs {
            let w = world.borrow()?;
            let Some(p) = w.orm.registry.mapper(relationship.target).prop(key) else {
                return Err(PyErr::attribute_error(format!("no attribute '{key}' on the related class")));
            };
            drop(w);
            let target_attr = Attribute::new(&world, relationship.target, p, None);
            if let Some(c) = super::expr::compare(interp, &target_attr.expression()?, CmpOp::Eq, value)?.and_then(|v| v.downcast_native::<SqlExpr>()) {
                criteria.push(c.expr.clone());
            }
        }
        let subquery = Select {
            columns: vec![crate::sql::ResultColumn { expr: Expr::Literal(Datum::Int(1)), label: None }],
            from: Some(crate::sql::FromClause { base: crate::sql::Source::Table { name: target_table, alias: None }, joins: vec![] }),
            where_clause: crate::orm::select::and_all(&criteria),
            ..Select::default()
        };
        Ok(SqlExpr::boolean(Expr::Exists(Box::new(subquery))).value())
    })))
}

// ---- loader options ------------------------------------------------------------------------

/// `joinedload(User.posts)`, `selectinload(...)`, `lazyload(...)`, `raiseload(...)`, `noload(...)`.
pub struct LoaderOption {
    pub path: Vec<(MapperId, PropIdx)>,
    pub kind: LoaderKind,
}

pub fn loader_option(interp: &mut Interpreter, kind: LoaderKind, fname: &str, args: CallArgs) -> PyResult<Value> {
    let mut path = Vec::new();
    for value in &args.args {
        if value.as_str().is_some() {
            return Err(super::errors::sqlalchemy_error(
                interp,
                "ArgumentError",
                "Strings are not accepted for attribute names in loader options; please use class-bound attributes directly.",
            ));
        }
        let Some(attr) = value.downcast_native::<Attribute>() else {
            let shown = interp.repr(value)?;
            return Err(super::errors::sqlalchemy_error(interp, "ArgumentError", format!("{fname}() takes relationship attributes, got {shown}")));
        };
        path.push((attr.mapper, attr.prop));
    }
    if path.len() != 1 {
        return Err(PyErr::not_implemented(format!("{fname}() over a path of several relationships is not supported yet; give one relationship attribute")));
    }
    Ok(Value::Native(Rc::new(LoaderOption { path, kind })))
}

impl NativeObject for LoaderOption {
    fn type_name(&self) -> &str {
        "_AbstractLoad"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        if matches!(name, "joinedload" | "selectinload" | "lazyload" | "subqueryload" | "raiseload" | "noload") {
            return Ok(Some(crate::script::native_fn("joinedload", |_, _| {
                Err(PyErr::not_implemented("chained loader options (joinedload(A.b).joinedload(B.c)) are not supported yet"))
            })));
        }
        Ok(None)
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok("<sqlalchemy.orm.strategy_options._Load object>".into())
    }
}

/// The `ResultValue` of running a select in a session (for `session.execute`).
pub fn execute_select(interp: &mut Interpreter, world: &World, session: SessionId, select: &SelectValue) -> PyResult<Value> {
    let statement = select.select.clone();
    let rows = with_orm(interp, world, |orm, host| orm.execute_select(host, session, &statement))?;
    let keys = rows.keys.clone();
    let values = rows_to_values(interp, world, rows, false)?;
    Ok(ResultValue::new(keys, values, None))
}

/// `exists()` on its own, built up with `.where(...)`: `EXISTS (SELECT * FROM t WHERE ...)`,
/// its FROM taken from the criteria as SQLAlchemy does.
pub struct ExistsValue {
    pub world: World,
    pub select: OrmSelect,
}

impl ExistsValue {
    pub fn new(world: &World) -> ExistsValue {
        let star = Entity::Column { expr: Expr::Star, label: None, key: "*".into() };
        ExistsValue { world: world.clone(), select: OrmSelect { entities: vec![star], ..OrmSelect::default() } }
    }

    pub fn expression(&self) -> PyResult<SqlExpr> {
        let w = self.world.borrow()?;
        let compiled = w.orm.compile_select(&self.select).map_err(|e| PyErr::runtime_error(e.message))?;
        Ok(SqlExpr::boolean(Expr::Exists(Box::new(compiled.select))))
    }
}

impl NativeObject for ExistsValue {
    fn type_name(&self) -> &str {
        "Exists"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if !matches!(name, "where" | "filter") {
            return Ok(None);
        }
        let this = this.clone();
        Ok(Some(crate::script::native_fn("where", move |interp, args| {
            let Some(exists) = this.downcast_native::<ExistsValue>() else { return Ok(Value::None) };
            let mut select = exists.select.clone();
            for value in &args.args {
                select.criteria.push(criterion(interp, value)?);
            }
            Ok(Value::Native(Rc::new(ExistsValue { world: exists.world.clone(), select })))
        })))
    }

    fn unary_op(&self, _interp: &mut Interpreter, _this: &Value, op: UnaryOp) -> PyResult<Option<Value>> {
        Ok(match op {
            UnaryOp::Invert => Some(super::expr::negate(&self.expression()?).value()),
            _ => None,
        })
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("<sqlalchemy.sql.selectable.Exists object at {:#x}>", std::ptr::from_ref(self) as usize))
    }
}


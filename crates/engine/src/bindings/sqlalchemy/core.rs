//! SQLAlchemy Core as Python sees it: `session.execute()` of selects, `text()` and DML
//! constructs (`update(User).where(...).values(...)`), tables (`Table.c.name`,
//! `table.select()`), `MetaData`, and SQL text of expressions for `str()`.

use std::rc::Rc;

use super::expr::{operand, SqlExpr, TextClause};
use super::query::{apply, mapper_of, update_values, SelectValue};
use super::result::{Row, ResultValue};
use super::schema::TableValue;
use super::world::{with_orm, World};
use crate::orm::bulk::Synchronize;
use crate::orm::schema::{MetaDataId, TableId};
use crate::orm::select::{Entity, OrmSelect};
use crate::orm::SessionId;
use crate::script::{CallArgs, Interpreter, NativeObject, PyErr, PyResult, Value};
use crate::sql::{BinaryOp, Datum, Expr, Statement};

/// `session.execute(statement, params)`.
pub fn execute(interp: &mut Interpreter, world: &World, session: SessionId, statement: &Value, params: Option<Value>) -> PyResult<Value> {
    if let Some(select) = statement.downcast_native::<SelectValue>() {
        return super::query::execute_select(interp, world, session, &select);
    }
    if let Some(text) = statement.downcast_native::<TextClause>() {
        let mut bound: Vec<(String, Datum)> = Vec::new();
        for (name, value) in &text.params {
            bound.push((name.clone(), super::convert::to_datum(interp, value, None)?));
        }
        if let Some(params) = params {
            for (key, value) in interp.mapping_items(&params)? {
                let name = interp.str(&key)?;
                bound.retain(|(n, _)| *n != name);
                bound.push((name, super::convert::to_datum(interp, &value, None)?));
            }
        }
        let sql = text.sql.clone();
        let outcome = with_orm(interp, world, |orm, host| orm.execute_text(host, session, &sql, &bound))?;
        let keys = Rc::new(outcome.columns.clone());
        let mut rows = Vec::with_capacity(outcome.rows.len());
        for raw in &outcome.rows {
            let values = raw.iter().map(|d| super::convert::to_value(interp, d)).collect::<PyResult<Vec<_>>>()?;
            rows.push(Row::value(keys.clone(), values));
        }
        return Ok(ResultValue::new(outcome.columns, rows, Some(outcome.rows_affected)));
    }
    if let Some(dml) = statement.downcast_native::<DmlValue>() {
        return dml.execute(interp, session);
    }
    if let Some(s) = statement.as_str() {
        return Err(super::errors::sqlalchemy_error(
            interp,
            "ArgumentError",
            format!("Textual SQL expression '{s}' should be explicitly declared as text('{s}')"),
        ));
    }
    let shown = interp.repr(statement)?;
    Err(super::errors::sqlalchemy_error(interp, "ArgumentError", format!("Executable SQL or text() construct expected, got {shown}.")))
}

/// `update(User)`, `delete(User)`, `insert(User)`: built up with `where()` / `values()`.
#[derive(Clone)]
pub struct DmlValue {
    pub world: World,
    pub kind: DmlKind,
    pub select: OrmSelect,
    pub values: Option<Value>,
    pub synchronize: Synchronize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DmlKind {
    Update,
    Delete,
    Insert,
}

pub fn dml(interp: &mut Interpreter, world: &World, kind: DmlKind, args: CallArgs) -> PyResult<Value> {
    let target = args.args.first().cloned().ok_or_else(|| PyErr::type_error("missing the table or class to change"))?;
    let Some((mapper, None)) = mapper_of(world, &target)? else {
        let _ = interp;
        return Err(PyErr::not_implemented("update()/delete()/insert() of a Table (not a mapped class) is not supported yet"));
    };
    let select = OrmSelect::of_mapper(mapper, false);
    Ok(Value::Native(Rc::new(DmlValue { world: world.clone(), kind, select, values: None, synchronize: Synchronize::Auto })))
}

impl DmlValue {
    fn execute(&self, interp: &mut Interpreter, session: SessionId) -> PyResult<Value> {
        interp.check_side_effect("an UPDATE/DELETE/INSERT statement")?;
        let world = self.world.clone();
        let select = self.select.clone();
        let synchronize = self.synchronize;
        let count = match self.kind {
            DmlKind::Delete => with_orm(interp, &world, |orm, host| orm.bulk_delete(host, session, &select, synchronize))?,
            DmlKind::Update => {
                let values = self.values.clone().ok_or_else(|| PyErr::type_error("update() needs .values(...)"))?;
                let assignments = update_values(interp, &world, &select, &values)?;
                with_orm(interp, &world, |orm, host| orm.bulk_update(host, session, &select, assignments, synchronize))?
            }
            DmlKind::Insert => {
                return Err(PyErr::not_implemented("insert() statements are not supported yet; add objects with session.add()"));
            }
        };
        Ok(ResultValue::new(vec![], vec![], Some(count)))
    }
}

impl NativeObject for DmlValue {
    fn type_name(&self) -> &str {
        match self.kind {
            DmlKind::Update => "Update",
            DmlKind::Delete => "Delete",
            DmlKind::Insert => "Insert",
        }
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let method: &'static str = match name {
            "where" => "where",
            "filter" => "filter",
            "filter_by" => "filter_by",
            "values" => "values",
            "execution_options" => "execution_options",
            _ => return Ok(None),
        };
        let this = this.clone();
        Ok(Some(crate::script::native_fn(method, move |interp, mut args| {
            let Some(current) = this.downcast_native::<DmlValue>() else { return Ok(Value::None) };
            let mut next = (*current).clone();
            match method {
                "values" => {
                    next.values = Some(match args.args.first() {
                        Some(v) => v.clone(),
                        None => Value::dict_from_str_pairs(args.kwargs.iter().map(|(k, v)| (&**k, v.clone()))),
                    })
                }
                "execution_options" => {
                    if let Some(value) = args.take_kwarg("synchronize_session") {
                        next.synchronize = match value {
                            Value::Bool(false) => Synchronize::Off,
                            other => Synchronize::parse(&interp.str(&other)?).unwrap_or(Synchronize::Auto),
                        };
                    }
                }
                _ => {
                    apply(interp, &next.world.clone(), &mut next.select, method, args)?;
                }
            }
            Ok(Value::Native(Rc::new(next)))
        })))
    }
}

/// `Table.c` / `Table.columns`: the table's columns as expressions.
pub struct ColumnCollection {
    pub table: Rc<TableValue>,
}

fn column_expr(table: &TableValue, index: usize) -> PyResult<SqlExpr> {
    let w = table.world.borrow()?;
    let t = w.orm.registry.metadata.table(table.id);
    let c = &t.columns[index];
    let mut e = SqlExpr::new(Expr::column(&t.name, &c.name), Some(c.column_type.clone()));
    e.name = Some(c.name.clone());
    e.column = Some(c.id);
    Ok(e)
}

impl NativeObject for ColumnCollection {
    fn type_name(&self) -> &str {
        "ReadOnlyColumnCollection"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let index = self.table.world.borrow()?.orm.registry.metadata.table(self.table.id).column_index(name);
        index.map(|i| column_expr(&self.table, i).map(SqlExpr::value)).transpose()
    }

    fn get_item(&self, interp: &mut Interpreter, this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let name = interp.str(key)?;
        match self.get_attr(interp, this, &name)? {
            Some(v) => Ok(Some(v)),
            None => Err(PyErr::key_error(key.clone())),
        }
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.table.world.borrow()?.orm.registry.metadata.table(self.table.id).columns.len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let count = self.table.world.borrow()?.orm.registry.metadata.table(self.table.id).columns.len();
        let columns = (0..count)
            .map(|i| Ok(Value::Native(Rc::new(ColumnInfo { table: self.table.clone(), index: i }))))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Some(crate::script::iterator_from_values(columns)))
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        match self.table.world.borrow() {
            Ok(w) => w.orm.registry.metadata.table(self.table.id).columns.iter().map(|c| c.name.clone()).collect(),
            Err(_) => vec![],
        }
    }
}

/// One column of `__table__.columns` (`.name`, `.type`, `.primary_key`, ...).
pub struct ColumnInfo {
    pub table: Rc<TableValue>,
    pub index: usize,
}

impl NativeObject for ColumnInfo {
    fn type_name(&self) -> &str {
        "Column"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let w = self.table.world.borrow()?;
        let t = w.orm.registry.metadata.table(self.table.id);
        let c = &t.columns[self.index];
        Ok(Some(match name {
            "name" | "key" => Value::str(&c.name),
            "primary_key" => Value::Bool(c.primary_key),
            "nullable" => Value::Bool(c.nullable),
            "unique" => Value::Bool(c.unique),
            "index" => Value::Bool(c.index),
            "type" => Value::Native(Rc::new(super::types::TypeValue { name: c.column_type.python_name(), column_type: c.column_type.clone(), instance: true, enum_class: w.enum_classes.get(&c.id).cloned() })),
            "table" => Value::Native(self.table.clone()),
            "foreign_keys" => Value::list(c.foreign_key.iter().map(|fk| Value::Native(Rc::new(super::schema::ForeignKeyValue { key: fk.clone() }))).collect()),
            _ => return Ok(None),
        }))
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: crate::script::ast::CmpOp, other: &Value) -> PyResult<Option<Value>> {
        super::expr::compare(interp, &column_expr(&self.table, self.index)?, op, other)
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let w = self.table.world.borrow()?;
        let t = w.orm.registry.metadata.table(self.table.id);
        Ok(column_repr(&t.name, &t.columns[self.index]))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let w = self.table.world.borrow()?;
        let t = w.orm.registry.metadata.table(self.table.id);
        Ok(format!("{}.{}", t.name, t.columns[self.index].name))
    }
}

fn type_repr(t: &crate::orm::schema::ColumnType) -> String {
    use crate::orm::schema::ColumnType::*;
    match t {
        String(Some(n)) | Unicode(Some(n)) => format!("{}(length={n})", t.python_name()),
        Numeric { precision: Some(p), scale: Some(s) } => format!("Numeric(precision={p}, scale={s})"),
        _ => format!("{}()", t.python_name()),
    }
}

fn column_repr(table: &str, c: &crate::orm::schema::Column) -> String {
    let mut text = format!("Column('{}', {}", c.name, type_repr(&c.column_type));
    if let Some(fk) = &c.foreign_key {
        text.push_str(&format!(", ForeignKey('{}')", fk.target));
    }
    text.push_str(&format!(", table=<{table}>"));
    if c.primary_key {
        text.push_str(", primary_key=True");
    }
    if !c.nullable {
        text.push_str(", nullable=False");
    }
    text.push(')');
    text
}

pub fn table_repr(_interp: &mut Interpreter, table: &TableValue) -> PyResult<String> {
    let w = table.world.borrow()?;
    let t = w.orm.registry.metadata.table(table.id);
    let columns: Vec<String> = t.columns.iter().map(|c| column_repr(&t.name, c)).collect();
    Ok(format!("Table('{}', MetaData(), {}, schema=None)", t.name, columns.join(", ")))
}

pub fn table_attr(interp: &mut Interpreter, this: &Value, table: &TableValue, name: &str) -> PyResult<Option<Value>> {
    let Some(rc) = this.downcast_native::<TableValue>() else { return Ok(None) };
    Ok(Some(match name {
        "c" | "columns" => Value::Native(Rc::new(ColumnCollection { table: rc })),
        "name" | "fullname" => Value::str(&table.name),
        "metadata" => {
            let owner = table.world.borrow()?.orm.registry.metadata.owner(table.id);
            super::schema::metadata_object(&table.world, owner)?
        }
        "select" => {
            let world = table.world.clone();
            let id = table.id;
            crate::script::native_fn("select", move |interp, _| {
                let columns = {
                    let w = world.borrow()?;
                    let t = w.orm.registry.metadata.table(id);
                    t.columns.iter().map(|c| (Expr::column(&t.name, &c.name), c.name.clone())).collect::<Vec<_>>()
                };
                let entities = columns.into_iter().map(|(expr, key)| Entity::Column { expr, label: None, key }).collect();
                let _ = interp;
                Ok(Value::Native(Rc::new(SelectValue { world: world.clone(), select: OrmSelect { entities, ..OrmSelect::default() } })))
            })
        }
        "primary_key" => {
            let w = table.world.borrow()?;
            let t = w.orm.registry.metadata.table(table.id);
            let names = t.primary_key().map(|(_, c)| Value::str(&c.name)).collect();
            drop(w);
            let _ = interp;
            Value::list(names)
        }
        _ => return Ok(None),
    }))
}

/// `Base.metadata` / `db.metadata`: its tables, `create_all(engine)`, `drop_all(engine)`.
pub fn metadata_attr(interp: &mut Interpreter, metadata: MetaDataId, name: &str) -> PyResult<Option<Value>> {
    let world = World::of(interp);
    let table_value = |id: TableId, table: &crate::orm::schema::Table| Value::Native(Rc::new(TableValue { id, name: table.name.clone(), world: world.clone() }));
    Ok(Some(match name {
        "tables" => {
            let tables: Vec<(String, Value)> = {
                let w = world.borrow()?;
                w.orm.registry.metadata.tables_of(Some(metadata)).map(|(id, t)| (t.name.clone(), table_value(id, t))).collect()
            };
            Value::dict_from_str_pairs(tables.iter().map(|(k, v)| (k.as_str(), v.clone())))
        }
        "sorted_tables" => {
            let w = world.borrow()?;
            let tables = &w.orm.registry.metadata;
            Value::list(tables.sorted_tables(Some(metadata)).into_iter().map(|id| table_value(id, tables.table(id))).collect())
        }
        "create_all" | "drop_all" => {
            let create = name == "create_all";
            crate::script::native_fn(if create { "create_all" } else { "drop_all" }, move |interp, args| {
                interp.check_side_effect("creating or dropping tables")?;
                let engine = match args.args.first().or_else(|| args.kwarg("bind")) {
                    Some(v) => v.downcast_native::<super::session::EngineValue>().map(|e| e.engine).ok_or_else(|| PyErr::type_error("create_all() takes an Engine"))?,
                    None => return Err(super::errors::sqlalchemy_error(interp, "ArgumentError", "create_all() needs bind=engine")),
                };
                let scope = Some(metadata);
                with_orm(interp, &world, |orm, _| if create { orm.create_all(engine, scope) } else { orm.drop_all(engine, scope) })?;
                Ok(Value::None)
            })
        }
        _ => return Ok(None),
    }))
}

/// SQL text of an expression as `str()` shows it (SQLAlchemy's default dialect: named
/// parameters `:id_1`).
pub fn named_sql(expr: &Expr) -> String {
    let statement = Statement::Select(crate::sql::Select { columns: vec![crate::sql::ResultColumn { expr: expr.clone(), label: None }], ..crate::sql::Select::default() });
    let text = crate::sql::echo::render(&statement).text;
    let text = text.strip_prefix("SELECT ").unwrap_or(&text).to_string();
    let mut names = Vec::new();
    param_names(expr, &mut names);
    name_placeholders(&text, &names)
}

/// A statement's SQL with named parameters.
pub fn named_statement_sql(statement: &Statement) -> String {
    let text = crate::sql::echo::render(statement).text;
    let count = text.matches('?').count();
    name_placeholders(&text, &(1..=count).map(|_| "param".to_string()).collect::<Vec<_>>())
}

fn name_placeholders(text: &str, names: &[String]) -> String {
    let mut counters: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = String::with_capacity(text.len());
    let mut names = names.iter();
    for c in text.chars() {
        if c == '?' {
            let name = names.next().map(String::as_str).unwrap_or("param");
            let n = counters.entry(name).or_insert(0);
            *n += 1;
            out.push_str(&format!(":{name}_{n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// The names SQLAlchemy gives bound parameters, in rendering order: the column compared
/// against, else `param`.
fn param_names(expr: &Expr, out: &mut Vec<String>) {
    let column_name = |e: &Expr| match e {
        Expr::Column { name, .. } => Some(name.clone()),
        _ => None,
    };
    match expr {
        Expr::Param(_) => out.push("param".into()),
        Expr::Binary { left, right, op } => {
            let name = column_name(left).or_else(|| column_name(right));
            for side in [left, right] {
                match (&**side, &name) {
                    (Expr::Param(_), Some(n)) if !matches!(op, BinaryOp::And | BinaryOp::Or) => out.push(n.clone()),
                    _ => param_names(side, out),
                }
            }
        }
        Expr::Unary { expr, .. } | Expr::IsNull { expr, .. } | Expr::Grouping(expr) | Expr::Cast { expr, .. } => param_names(expr, out),
        Expr::InList { expr, list, .. } => {
            param_names(expr, out);
            let name = column_name(expr).unwrap_or_else(|| "param".into());
            out.extend(list.iter().map(|_| name.clone()));
        }
        Expr::Between { expr, low, high, .. } => {
            let name = column_name(expr).unwrap_or_else(|| "param".into());
            param_names(expr, out);
            for bound in [low, high] {
                if matches!(**bound, Expr::Param(_)) { out.push(name.clone()) } else { param_names(bound, out) }
            }
        }
        Expr::Like { expr, pattern, .. } => {
            let name = column_name(expr).unwrap_or_else(|| "param".into());
            param_names(expr, out);
            if matches!(**pattern, Expr::Param(_)) { out.push(name) } else { param_names(pattern, out) }
        }
        Expr::Function { args, .. } => args.iter().for_each(|a| param_names(a, out)),
        _ => {}
    }
}

/// `and_(...)`, `or_(...)`.
pub fn conjunction(interp: &mut Interpreter, args: CallArgs, op: BinaryOp) -> PyResult<Value> {
    let mut terms = Vec::new();
    for value in &args.args {
        terms.push(super::expr::as_criterion(operand(interp, value, None)?));
    }
    let mut iter = terms.into_iter();
    let Some(first) = iter.next() else {
        return Ok(SqlExpr::boolean(Expr::Literal(Datum::Bool(op == BinaryOp::And))).value());
    };
    Ok(SqlExpr::boolean(iter.fold(first, |acc, t| Expr::binary(acc, op, t))).value())
}

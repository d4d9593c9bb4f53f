//! SQL expressions as Python objects (SQLAlchemy's `ColumnElement`): `User.age > 30`,
//! `User.name.like('a%')`, `func.count(User.id)`, `desc(User.name)`, `text(...)`. Each wraps
//! a `sql::Expr` with the column type that decides how Python values bind.

use std::rc::Rc;

use super::attributes::Attribute;
use super::convert::to_datum;
use crate::orm::schema::{ColumnId, ColumnType};
use crate::script::ast::{BinOp, CmpOp, UnaryOp};
use crate::script::{CallArgs, ExcKind, Interpreter, NativeObject, PyErr, PyResult, Value};
use crate::sql::{BinaryOp, Datum, Expr, OrderBy, UnaryOp as SqlUnary};

/// Sort direction attached by `.desc()` / `.asc()` / `desc(...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

#[derive(Clone)]
pub struct SqlExpr {
    pub expr: Expr,
    pub column_type: Option<ColumnType>,
    /// The name a result row uses for it (`username`, `count`), before any label.
    pub name: Option<String>,
    pub label: Option<String>,
    pub direction: Option<Direction>,
    /// The mapped column it is, when it is one (for `order_by=` of relationships).
    pub column: Option<ColumnId>,
    /// `x.distinct()`: `DISTINCT x` in a select list.
    pub distinct: bool,
}

impl SqlExpr {
    pub fn new(expr: Expr, column_type: Option<ColumnType>) -> SqlExpr {
        SqlExpr { expr, column_type, name: None, label: None, direction: None, column: None, distinct: false }
    }

    pub fn boolean(expr: Expr) -> SqlExpr {
        SqlExpr::new(expr, Some(ColumnType::Boolean))
    }

    pub fn value(self) -> Value {
        Value::Native(Rc::new(self))
    }

    /// The column and direction of an ORDER BY term over a mapped column.
    pub fn order_column(&self) -> Option<(ColumnId, bool)> {
        self.column.map(|c| (c, self.direction == Some(Direction::Desc)))
    }

    pub fn order_by(&self) -> OrderBy {
        OrderBy { expr: self.expr.clone(), descending: self.direction == Some(Direction::Desc) }
    }
}

/// The expression of a value used in SQL: expressions and attributes as they are, other
/// Python values as bound parameters typed like `like` (the column they meet).
pub fn operand(interp: &mut Interpreter, value: &Value, like: Option<&ColumnType>) -> PyResult<SqlExpr> {
    if let Some(e) = value.downcast_native::<SqlExpr>() {
        return Ok((*e).clone());
    }
    if let Some(attr) = value.downcast_native::<Attribute>() {
        return attr.expression();
    }
    if let Some(select) = value.downcast_native::<super::query::SelectValue>() {
        return select.scalar_subquery(interp);
    }
    if let Some(exists) = value.downcast_native::<super::query::ExistsValue>() {
        return exists.expression();
    }
    if let Some(text) = value.downcast_native::<TextClause>() {
        return Err(PyErr::not_implemented(format!(
            "text('{}') inside an ORM query is not supported in the playground; use column expressions, or run the whole statement with session.execute(text(...))",
            text.sql
        )));
    }
    Ok(SqlExpr::new(Expr::Param(to_datum(interp, value, like)?), like.cloned()))
}

fn binary(left: &SqlExpr, op: BinaryOp, right: SqlExpr, column_type: Option<ColumnType>) -> SqlExpr {
    SqlExpr::new(Expr::binary(left.expr.clone(), op, right.expr), column_type)
}

fn is_textual(t: &Option<ColumnType>) -> bool {
    matches!(t, Some(ColumnType::String(_) | ColumnType::Text | ColumnType::Unicode(_) | ColumnType::UnicodeText | ColumnType::Enum(_)))
}

/// `a == b` and friends; `== None` becomes `IS NULL` as in SQLAlchemy.
pub fn compare(interp: &mut Interpreter, this: &SqlExpr, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
    let sql_op = match op {
        CmpOp::Eq => BinaryOp::Eq,
        CmpOp::NotEq => BinaryOp::NotEq,
        CmpOp::Lt => BinaryOp::Lt,
        CmpOp::LtE => BinaryOp::LtEq,
        CmpOp::Gt => BinaryOp::Gt,
        CmpOp::GtE => BinaryOp::GtEq,
        _ => return Ok(None),
    };
    let equality = matches!(sql_op, BinaryOp::Eq | BinaryOp::NotEq);
    if other.is_none() && equality {
        return Ok(Some(SqlExpr::boolean(Expr::IsNull { expr: Box::new(this.expr.clone()), negated: sql_op == BinaryOp::NotEq }).value()));
    }
    let right = match other {
        // True/False are SQL constants, not parameters: `done = 1`.
        Value::Bool(b) if equality => SqlExpr::new(Expr::Literal(Datum::Bool(*b)), Some(ColumnType::Boolean)),
        Value::None | Value::Bool(_) => {
            return Err(super::errors::sqlalchemy_error(
                interp,
                "ArgumentError",
                "Only '=', '!=', 'is_()', 'is_not()', 'is_distinct_from()', 'is_not_distinct_from()' operators can be used with None/True/False".to_owned(),
            ))
        }
        _ => operand(interp, other, this.column_type.as_ref())?,
    };
    Ok(Some(binary(this, sql_op, right, Some(ColumnType::Boolean)).value()))
}

/// `a + b`, `a & b` (AND), `a | b` (OR)...; `reflected` when the expression is on the right.
pub fn arithmetic(interp: &mut Interpreter, this: &SqlExpr, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
    let other = operand(interp, other, this.column_type.as_ref())?;
    let (left, right) = if reflected { (other, this.clone()) } else { (this.clone(), other) };
    if matches!(op, BinOp::BitAnd | BinOp::BitOr) {
        let sql_op = if op == BinOp::BitAnd { BinaryOp::And } else { BinaryOp::Or };
        return Ok(Some(SqlExpr::boolean(Expr::binary(as_criterion(left), sql_op, as_criterion(right))).value()));
    }
    let (sql_op, column_type) = match op {
        BinOp::Add if is_textual(&left.column_type) || is_textual(&right.column_type) => (BinaryOp::Concat, left.column_type.clone()),
        BinOp::Add => (BinaryOp::Add, left.column_type.clone()),
        BinOp::Sub => (BinaryOp::Sub, left.column_type.clone()),
        BinOp::Mul => (BinaryOp::Mul, left.column_type.clone()),
        BinOp::Div => (BinaryOp::Div, left.column_type.clone()),
        BinOp::Mod => (BinaryOp::Mod, left.column_type.clone()),
        _ => return Ok(None),
    };
    Ok(Some(binary(&left, sql_op, right, column_type).value()))
}

pub fn unary(this: &SqlExpr, op: UnaryOp) -> Option<Value> {
    match op {
        UnaryOp::Invert => Some(negate(this).value()),
        UnaryOp::Neg => Some(SqlExpr::new(Expr::Unary { op: SqlUnary::Neg, expr: Box::new(this.expr.clone()) }, this.column_type.clone()).value()),
        UnaryOp::Pos => Some(this.clone().value()),
        UnaryOp::Not => None,
    }
}

/// Whether a Boolean-typed value (a column, a function) stands where SQL needs a truth
/// value; SQLite has no boolean type, so SQLAlchemy spells it out as `x = 1` / `x = 0`.
fn is_bare_boolean(this: &SqlExpr) -> bool {
    matches!(this.column_type, Some(ColumnType::Boolean))
        && matches!(this.expr, Expr::Column { .. } | Expr::Function { .. } | Expr::Cast { .. } | Expr::Case { .. })
}

/// An expression used as a criterion (WHERE, AND/OR operand): `done` becomes `done = 1`.
pub fn as_criterion(this: SqlExpr) -> Expr {
    if is_bare_boolean(&this) {
        return Expr::binary(this.expr, BinaryOp::Eq, Expr::Literal(Datum::Bool(true)));
    }
    this.expr
}

/// `NOT x`, folding the negations SQLAlchemy folds (`NOT (a = b)` is `a != b`).
pub fn negate(this: &SqlExpr) -> SqlExpr {
    if is_bare_boolean(this) {
        return SqlExpr::boolean(Expr::binary(this.expr.clone(), BinaryOp::Eq, Expr::Literal(Datum::Bool(false))));
    }
    let expr = match &this.expr {
        Expr::Binary { op: BinaryOp::Eq, left, right } => Expr::Binary { op: BinaryOp::NotEq, left: left.clone(), right: right.clone() },
        Expr::Binary { op: BinaryOp::NotEq, left, right } => Expr::Binary { op: BinaryOp::Eq, left: left.clone(), right: right.clone() },
        Expr::IsNull { expr, negated } => Expr::IsNull { expr: expr.clone(), negated: !negated },
        Expr::InList { expr, list, negated } => Expr::InList { expr: expr.clone(), list: list.clone(), negated: !negated },
        Expr::InSelect { expr, select, negated } => Expr::InSelect { expr: expr.clone(), select: select.clone(), negated: !negated },
        Expr::Like { expr, pattern, negated } => Expr::Like { expr: expr.clone(), pattern: pattern.clone(), negated: !negated },
        Expr::Between { expr, low, high, negated } => Expr::Between { expr: expr.clone(), low: low.clone(), high: high.clone(), negated: !negated },
        other => Expr::Unary { op: SqlUnary::Not, expr: Box::new(other.clone()) },
    };
    SqlExpr::boolean(expr)
}

fn concat_all(parts: Vec<Expr>) -> Expr {
    let mut iter = parts.into_iter();
    let first = iter.next().unwrap_or(Expr::Literal(Datum::Text(String::new())));
    iter.fold(first, |acc, p| Expr::binary(acc, BinaryOp::Concat, p))
}

/// The methods column expressions have (`like`, `in_`, `desc`, `label`, ...), as a bound
/// native function, or `None` for an unknown name.
pub fn method(this: &SqlExpr, name: &str) -> Option<Value> {
    const METHODS: &[&str] = &[
        "like", "ilike", "notlike", "not_like", "notilike", "not_ilike", "in_", "not_in", "notin_", "is_", "is_not", "isnot", "between",
        "startswith", "endswith", "contains", "istartswith", "iendswith", "icontains", "desc", "asc", "label", "distinct", "concat",
        "nulls_first", "nulls_last",
    ];
    let name: &'static str = METHODS.iter().find(|m| **m == name)?;
    let this = this.clone();
    Some(crate::script::native_fn(name, move |interp, args| call_method(interp, &this, name, args)))
}

fn like(interp: &mut Interpreter, this: &SqlExpr, pattern: &Value, negated: bool, case_insensitive: bool) -> PyResult<Value> {
    let pattern = operand(interp, pattern, Some(&ColumnType::String(None)))?;
    let (expr, pattern) = if case_insensitive {
        (Expr::function("lower", vec![this.expr.clone()]), Expr::function("lower", vec![pattern.expr]))
    } else {
        (this.expr.clone(), pattern.expr)
    };
    Ok(SqlExpr::boolean(Expr::Like { expr: Box::new(expr), pattern: Box::new(pattern), negated }).value())
}

fn call_method(interp: &mut Interpreter, this: &SqlExpr, name: &str, args: CallArgs) -> PyResult<Value> {
    let arg = |i: usize| args.args.get(i).cloned();
    let required = |i: usize| args.args.get(i).cloned().ok_or_else(|| PyErr::type_error(format!("{name}() missing a required argument")));
    match name {
        "like" => like(interp, this, &required(0)?, false, false),
        "notlike" | "not_like" => like(interp, this, &required(0)?, true, false),
        "ilike" => like(interp, this, &required(0)?, false, true),
        "notilike" | "not_ilike" => like(interp, this, &required(0)?, true, true),
        "startswith" | "endswith" | "contains" | "istartswith" | "iendswith" | "icontains" => {
            let value = operand(interp, &required(0)?, Some(&ColumnType::String(None)))?.expr;
            // SQLAlchemy lowers both sides before adding the wildcards: `lower(x) LIKE lower(?) || '%'`.
            let insensitive = name.starts_with('i');
            let lowered = |e: Expr| if insensitive { Expr::function("lower", vec![e]) } else { e };
            let (expr, value) = (lowered(this.expr.clone()), lowered(value));
            let percent = || Expr::Literal(Datum::Text("%".into()));
            let pattern = match name.trim_start_matches('i') {
                "startswith" => concat_all(vec![value, percent()]),
                "endswith" => concat_all(vec![percent(), value]),
                _ => concat_all(vec![percent(), value, percent()]),
            };
            Ok(SqlExpr::boolean(Expr::Like { expr: Box::new(expr), pattern: Box::new(pattern), negated: false }).value())
        }
        "in_" | "not_in" | "notin_" => {
            let negated = name != "in_";
            let values = required(0)?;
            if let Some(select) = values.downcast_native::<super::query::SelectValue>() {
                let subquery = select.compile_subquery(interp)?;
                return Ok(SqlExpr::boolean(Expr::InSelect { expr: Box::new(this.expr.clone()), select: Box::new(subquery), negated }).value());
            }
            let items = interp.collect(&values)?;
            let mut list = Vec::with_capacity(items.len());
            for item in &items {
                list.push(operand(interp, item, this.column_type.as_ref())?.expr);
            }
            Ok(SqlExpr::boolean(Expr::InList { expr: Box::new(this.expr.clone()), list, negated }).value())
        }
        "is_" | "is_not" | "isnot" => {
            let negated = name != "is_";
            let other = required(0)?;
            if other.is_none() {
                return Ok(SqlExpr::boolean(Expr::IsNull { expr: Box::new(this.expr.clone()), negated }).value());
            }
            Err(PyErr::not_implemented("is_() with a value other than None is not supported by the playground's database"))
        }
        "between" => {
            let low = operand(interp, &required(0)?, this.column_type.as_ref())?.expr;
            let high = operand(interp, &required(1)?, this.column_type.as_ref())?.expr;
            let negated = match args.kwarg("symmetric") {
                Some(_) => return Err(PyErr::not_implemented("between(symmetric=True) is not supported")),
                None => false,
            };
            Ok(SqlExpr::boolean(Expr::Between { expr: Box::new(this.expr.clone()), low: Box::new(low), high: Box::new(high), negated }).value())
        }
        "desc" | "asc" => {
            let mut e = this.clone();
            e.direction = Some(if name == "desc" { Direction::Desc } else { Direction::Asc });
            Ok(e.value())
        }
        "label" => {
            let mut e = this.clone();
            e.label = match arg(0) {
                Some(Value::None) | None => None,
                Some(v) => Some(interp.str(&v)?),
            };
            Ok(e.value())
        }
        "distinct" => {
            let mut e = this.clone();
            e.distinct = true;
            Ok(e.value())
        }
        "concat" => {
            let other = operand(interp, &required(0)?, this.column_type.as_ref())?;
            Ok(binary(this, BinaryOp::Concat, other, this.column_type.clone()).value())
        }
        "nulls_first" | "nulls_last" => Err(PyErr::not_implemented(format!(
            "{name}() is not supported by the playground's database (GlueSQL has no NULLS FIRST/LAST); SQLite puts NULLs first when ascending"
        ))),
        other => Err(PyErr::not_implemented(format!("{other}() on a column expression is not supported in the playground"))),
    }
}

impl NativeObject for SqlExpr {
    fn type_name(&self) -> &str {
        match (&self.label, &self.expr) {
            (Some(_), _) => "Label",
            (None, Expr::Function { .. }) => "Function",
            (None, Expr::Column { .. }) => "Column",
            (None, Expr::Binary { .. } | Expr::IsNull { .. } | Expr::Like { .. } | Expr::InList { .. } | Expr::Between { .. }) => "BinaryExpression",
            _ => "ColumnElement",
        }
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "name" | "key" => self.label.clone().or_else(|| self.name.clone()).map(|n| Value::str(&n)),
            _ => method(self, name),
        })
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        compare(interp, self, op, other)
    }

    fn binary_op(&self, interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        arithmetic(interp, self, op, other, reflected)
    }

    fn unary_op(&self, _interp: &mut Interpreter, _this: &Value, op: UnaryOp) -> PyResult<Option<Value>> {
        Ok(unary(self, op))
    }

    fn truthy(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        Err(PyErr::new(ExcKind::TypeError, "Boolean value of this clause is not defined"))
    }

    fn hash(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<i64> {
        Ok(match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize as i64,
            _ => 0,
        })
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        let class = match self.type_name() {
            "Label" => "sqlalchemy.sql.elements.Label",
            "Function" => "sqlalchemy.sql.functions.Function",
            "Column" => "sqlalchemy.sql.schema.Column",
            "BinaryExpression" => "sqlalchemy.sql.elements.BinaryExpression",
            _ => "sqlalchemy.sql.elements.ColumnElement",
        };
        Ok(format!("<{class} object at 0x{address:x}>"))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(super::core::named_sql(&self.expr))
    }
}

/// `text("SELECT ... WHERE id = :id")`.
pub struct TextClause {
    pub sql: String,
    pub params: Vec<(String, Value)>,
}

impl NativeObject for TextClause {
    fn type_name(&self) -> &str {
        "TextClause"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if name != "bindparams" {
            return Ok(None);
        }
        let this = this.clone();
        Ok(Some(crate::script::native_fn("bindparams", move |_interp, args| {
            let Some(text) = this.downcast_native::<TextClause>() else { return Ok(Value::None) };
            let mut params = text.params.clone();
            for (k, v) in args.kwargs {
                params.retain(|(n, _)| **n != *k);
                params.push((k.to_string(), v));
            }
            Ok(Value::Native(Rc::new(TextClause { sql: text.sql.clone(), params })))
        })))
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        Ok(format!("<sqlalchemy.sql.elements.TextClause object at 0x{address:x}>"))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.sql.clone())
    }
}

/// `func.count(...)`, `func.lower(...)`: any SQL function by name.
pub struct Func {
    pub name: Option<String>,
}

impl NativeObject for Func {
    fn type_name(&self) -> &str {
        "_FunctionGenerator"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        if name.starts_with("__") {
            return Ok(None);
        }
        Ok(Some(Value::Native(Rc::new(Func { name: Some(name.to_string()) }))))
    }

    fn is_callable(&self) -> bool {
        self.name.is_some()
    }

    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        let Some(name) = &self.name else { return Err(PyErr::type_error("'_FunctionGenerator' object is not callable")) };
        let mut exprs = Vec::with_capacity(args.args.len());
        let mut first_type = None;
        let mut distinct = false;
        for (i, arg) in args.args.iter().enumerate() {
            let e = operand(interp, arg, None)?;
            if i == 0 {
                first_type = e.column_type.clone();
                distinct = e.distinct;
            }
            exprs.push(e.expr);
        }
        let lower = name.to_ascii_lowercase();
        if lower == "count" && exprs.is_empty() {
            exprs.push(Expr::Star);
        }
        let column_type = match lower.as_str() {
            "count" | "length" | "char_length" => Some(ColumnType::Integer),
            "avg" => Some(ColumnType::Float),
            "sum" | "min" | "max" | "abs" | "coalesce" | "lower" | "upper" | "trim" => first_type,
            _ => None,
        };
        // `func.count(x.distinct())` renders `count(DISTINCT x)`.
        let mut e = SqlExpr::new(Expr::Function { name: name.clone(), args: exprs, distinct }, column_type);
        e.name = Some(name.clone());
        Ok(e.value())
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok("<sqlalchemy.sql.functions._FunctionGenerator object>".into())
    }
}

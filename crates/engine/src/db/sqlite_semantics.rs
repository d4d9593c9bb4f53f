//! SQLite's semantics layered on the GlueSQL AST before it runs, for statements
//! the ORM builds and raw SQL alike. Where GlueSQL differs silently:
//! - `int * float` takes the left operand's type: the integer side is cast to FLOAT;
//! - a number literal such as `7` is untyped (so `7 / 2` gives 3.5): literals are
//!   typed as SQLite types them (INTEGER without a point, REAL with one);
//! - division or modulo by zero fails: SQLite gives NULL (`x / NULLIF(y, 0)`);
//! - LIKE is case-sensitive and fails on NULL: SQLite's is ASCII case-insensitive
//!   and NULL-propagating (ILIKE inside a NULL guard);
//! - NULLs sort last ascending: SQLite sorts them first (an `IS NULL` sort key);
//! - `GROUP BY 1` / `ORDER BY 1` use the constant: SQLite means the first column;
//! - GlueSQL's columns are typed where SQLite's have an affinity: a literal
//!   written into or compared with a column is converted to the column's type
//!   as SQLite's affinity would store it (`1` in a BOOLEAN column, `'2024-01-02'`
//!   for a DATE, `2` in a FLOAT column).
//!
//! Names are resolved as SQLite does before running, so `no such column: x`
//! is reported even when no row would be evaluated. What GlueSQL cannot do at
//! all is reported as not supported.

use gluesql::core::ast::{
    Aggregate, AggregateFunction, BinaryOperator, CountArgExpr, DataType, Expr, Function, Join, JoinConstraint,
    JoinOperator, Literal, OrderByExpr, Query, Select, SelectItem, SetExpr, Statement, TableFactor, TableWithJoins,
};
use gluesql::core::data::Value;

use super::error::{DbError, DbErrorKind};
use super::storage::Storage;
use crate::sql::glue::Unsupported;
use crate::sql::{TableDef, ValueKind};

type Result<T> = std::result::Result<T, DbError>;

fn unsupported(what: String) -> DbError {
    DbError::new(DbErrorKind::NotSupportedError, Unsupported(what).to_string())
}

fn no_such_column(name: String) -> DbError {
    DbError::new(DbErrorKind::OperationalError, format!("no such column: {name}"))
}

/// The tables visible to an expression: `(name or alias, definition)`, innermost
/// query first; `None` for derived tables whose columns we do not track.
#[derive(Clone, Default)]
struct Scope<'a> {
    relations: Vec<(String, Option<&'a TableDef>)>,
    /// Result labels of the enclosing SELECT, which SQLite lets clauses name.
    labels: Vec<String>,
}

impl<'a> Scope<'a> {
    /// Fails with SQLite's message when a name resolves to nothing, as far as
    /// the scope's tables are known (derived tables are not tracked).
    fn check(&self, qualifier: Option<&str>, name: &str) -> Result<()> {
        let found = match qualifier {
            None => {
                self.column(None, name).is_some()
                    || self.labels.iter().any(|l| l == name)
                    || self.relations.iter().any(|(_, def)| def.is_none())
            }
            Some(q) => match self.relations.iter().find(|(alias, _)| alias == q) {
                Some((_, Some(def))) => def.column(name).is_some(),
                Some((_, None)) => true,
                None => false,
            },
        };
        if found {
            return Ok(());
        }
        Err(no_such_column(qualifier.map_or_else(|| name.to_owned(), |q| format!("{q}.{name}"))))
    }

    fn column(&self, qualifier: Option<&str>, name: &str) -> Option<&'a crate::sql::ColumnDef> {
        self.relations
            .iter()
            .filter(|(alias, _)| qualifier.is_none_or(|q| q == alias))
            .find_map(|(_, def)| def.and_then(|d| d.column(name)))
    }
}

/// SQLite's three-valued OR: TRUE wins over NULL (GlueSQL yields NULL when either side is
/// NULL), written as a CASE GlueSQL evaluates the same way.
fn sqlite_or(left: Expr, right: Expr) -> Expr {
    let is_null = |e: &Expr| Expr::IsNull(Box::new(e.clone()));
    let either_null = Expr::BinaryOp { left: Box::new(is_null(&left)), op: BinaryOperator::Or, right: Box::new(is_null(&right)) };
    Expr::Case {
        operand: None,
        when_then: vec![
            (left, Expr::Value(Value::Bool(true))),
            (right, Expr::Value(Value::Bool(true))),
            (either_null, Expr::Value(Value::Null)),
        ],
        else_result: Some(Box::new(Expr::Value(Value::Bool(false)))),
    }
}

pub fn apply(statement: Statement, storage: &Storage) -> Result<Statement> {
    let rewriter = Rewriter { storage };
    let empty = Scope::default();
    Ok(match statement {
        Statement::Query(query) => Statement::Query(rewriter.query(query, &empty)?),
        Statement::Insert { table_name, columns, source } => {
            let mut source = rewriter.query(source, &empty)?;
            if let (Some(table), SetExpr::Values(values)) = (storage.table(&table_name), &mut source.body) {
                let kinds: Vec<Option<ValueKind>> = if columns.is_empty() {
                    table.def.columns.iter().map(|c| Some(c.sql_type.value_kind())).collect()
                } else {
                    columns.iter().map(|c| table.def.column(c).map(|c| c.sql_type.value_kind())).collect()
                };
                for row in &mut values.0 {
                    for (cell, kind) in row.iter_mut().zip(&kinds) {
                        if let (Expr::Value(value), Some(kind)) = (&*cell, kind) {
                            *cell = Expr::Value(with_affinity(value.clone(), *kind));
                        }
                    }
                }
            }
            Statement::Insert { table_name, columns, source }
        }
        Statement::Update { table_name, assignments, selection } => {
            let scope = rewriter.table_scope(&table_name, &empty);
            let assignments = assignments
                .into_iter()
                .map(|mut a| {
                    a.value = rewriter.expr(a.value, &scope)?;
                    if let (Expr::Value(value), Some(column)) = (&a.value, scope.column(None, &a.id)) {
                        a.value = Expr::Value(with_affinity(value.clone(), column.sql_type.value_kind()));
                    }
                    Ok(a)
                })
                .collect::<Result<_>>()?;
            let selection = selection.map(|e| rewriter.expr(e, &scope)).transpose()?;
            Statement::Update { table_name, assignments, selection }
        }
        Statement::Delete { table_name, selection } => {
            let scope = rewriter.table_scope(&table_name, &empty);
            let selection = selection.map(|e| rewriter.expr(e, &scope)).transpose()?;
            Statement::Delete { table_name, selection }
        }
        Statement::DropTable { cascade: true, .. } => return Err(unsupported("DROP TABLE ... CASCADE".to_owned())),
        other => other,
    })
}

struct Rewriter<'s> {
    storage: &'s Storage,
}

impl<'s> Rewriter<'s> {
    fn table_scope<'a>(&self, table: &str, outer: &Scope<'a>) -> Scope<'a>
    where
        's: 'a,
    {
        let mut scope = Scope { relations: vec![(table.to_owned(), self.storage.table(table).map(|t| t.def.as_ref()))], labels: Vec::new() };
        scope.relations.extend(outer.relations.iter().cloned());
        scope
    }

    fn query<'a>(&self, query: Query, outer: &Scope<'a>) -> Result<Query>
    where
        's: 'a,
    {
        let Query { body, order_by, limit, offset } = query;
        match body {
            SetExpr::Values(values) => {
                let rows = values
                    .0
                    .into_iter()
                    .map(|row| row.into_iter().map(|e| self.expr(e, outer)).collect::<Result<Vec<_>>>())
                    .collect::<Result<Vec<_>>>()?;
                let order_by = order_by
                    .into_iter()
                    .map(|o| Ok(OrderByExpr { expr: self.expr(o.expr, outer)?, asc: o.asc }))
                    .collect::<Result<_>>()?;
                Ok(Query { body: SetExpr::Values(gluesql::core::ast::Values(rows)), order_by, limit, offset })
            }
            SetExpr::Select(select) => {
                let (select, scope) = self.select(*select, outer)?;
                let projection = match &select.projection {
                    gluesql::core::ast::Projection::SelectItems(items) => items.clone(),
                };
                // SQLite groups by sorting, so grouped rows come out in group-key order when
                // no ORDER BY is given (GlueSQL keeps first-seen order).
                let order_by = if order_by.is_empty() {
                    select.group_by.iter().map(|e| OrderByExpr { expr: e.clone(), asc: None }).collect()
                } else {
                    order_by
                };
                let mut keys = Vec::new();
                for (term, item) in order_by.into_iter().enumerate() {
                    let expr = self.expr(by_position(item.expr, &projection, "ORDER BY", term)?, &scope)?;
                    let descending = item.asc == Some(false);
                    let sort_target = resolve_label(&expr, &projection);
                    if self.nullable(&sort_target, &scope) {
                        // SQLite: NULLs first ascending, last descending.
                        keys.push(OrderByExpr { expr: Expr::IsNull(Box::new(sort_target)), asc: Some(descending) });
                    }
                    keys.push(OrderByExpr { expr, asc: item.asc });
                }
                Ok(Query { body: SetExpr::Select(Box::new(select)), order_by: keys, limit, offset })
            }
        }
    }

    fn select<'a>(&self, select: Select, outer: &Scope<'a>) -> Result<(Select, Scope<'a>)>
    where
        's: 'a,
    {
        let Select { distinct, projection, from, selection, group_by, having } = select;
        let (from, mut scope) = self.from(from, outer)?;
        let gluesql::core::ast::Projection::SelectItems(items) = projection;
        let items = items
            .into_iter()
            .map(|item| match item {
                SelectItem::Expr { expr, label } => Ok(SelectItem::Expr { expr: self.expr(expr, &scope)?, label }),
                other => Ok(other),
            })
            .collect::<Result<Vec<_>>>()?;
        // The other clauses may name result labels.
        scope.labels = items
            .iter()
            .filter_map(|item| match item {
                SelectItem::Expr { label, .. } => Some(label.clone()),
                _ => None,
            })
            .collect();
        let group_by = group_by
            .into_iter()
            .enumerate()
            .map(|(term, e)| self.expr(by_position(e, &items, "GROUP BY", term)?, &scope))
            .collect::<Result<_>>()?;
        let selection = selection.map(|e| self.expr(e, &scope)).transpose()?;
        let having = having.map(|e| self.expr(e, &scope)).transpose()?;
        let select = Select {
            distinct,
            projection: gluesql::core::ast::Projection::SelectItems(items),
            from,
            selection,
            group_by,
            having,
        };
        Ok((select, scope))
    }

    fn from<'a>(&self, from: TableWithJoins, outer: &Scope<'a>) -> Result<(TableWithJoins, Scope<'a>)>
    where
        's: 'a,
    {
        let mut relations = Vec::new();
        let relation = self.factor(from.relation, outer, &mut relations)?;
        let mut joins = Vec::new();
        for join in &from.joins {
            // Register every joined name first: ON clauses may name later tables.
            self.register(&join.relation, &mut relations);
        }
        let mut scope = Scope { relations, labels: Vec::new() };
        scope.relations.extend(outer.relations.iter().cloned());
        for Join { relation, join_operator } in from.joins {
            let mut ignored = Vec::new();
            let relation = self.factor(relation, outer, &mut ignored)?;
            let join_operator = match join_operator {
                JoinOperator::Inner(constraint) => JoinOperator::Inner(self.constraint(constraint, &scope)?),
                JoinOperator::LeftOuter(constraint) => JoinOperator::LeftOuter(self.constraint(constraint, &scope)?),
            };
            joins.push(Join { relation, join_operator });
        }
        Ok((TableWithJoins { relation, joins }, scope))
    }

    fn constraint(&self, constraint: JoinConstraint, scope: &Scope<'_>) -> Result<JoinConstraint> {
        Ok(match constraint {
            JoinConstraint::On(e) => JoinConstraint::On(self.expr(e, scope)?),
            JoinConstraint::None => JoinConstraint::None,
        })
    }

    fn register<'a>(&self, factor: &TableFactor, relations: &mut Vec<(String, Option<&'a TableDef>)>)
    where
        's: 'a,
    {
        match factor {
            TableFactor::Table { name, alias } => {
                let visible = alias.as_ref().map_or(name, |a| &a.name).clone();
                relations.push((visible, self.storage.table(name).map(|t| t.def.as_ref())));
            }
            TableFactor::Derived { alias, .. }
            | TableFactor::Series { alias, .. }
            | TableFactor::Dictionary { alias, .. } => relations.push((alias.name.clone(), None)),
        }
    }

    fn factor<'a>(&self, factor: TableFactor, outer: &Scope<'a>, relations: &mut Vec<(String, Option<&'a TableDef>)>) -> Result<TableFactor>
    where
        's: 'a,
    {
        self.register(&factor, relations);
        Ok(match factor {
            TableFactor::Derived { subquery, alias } => TableFactor::Derived { subquery: self.query(subquery, outer)?, alias },
            other => other,
        })
    }

    #[allow(clippy::boxed_local)] // takes the AST's boxes as they come
    fn boxed(&self, e: Box<Expr>, scope: &Scope<'_>) -> Result<Box<Expr>> {
        self.expr(*e, scope).map(Box::new)
    }

    fn expr(&self, e: Expr, scope: &Scope<'_>) -> Result<Expr> {
        Ok(match e {
            Expr::Literal(Literal::Number(n)) => {
                let text = n.to_string();
                match (text.parse::<i64>(), text.parse::<f64>()) {
                    (Ok(i), _) if !text.contains('.') => Expr::Value(Value::I64(i)),
                    (_, Ok(f)) => Expr::Value(Value::F64(f)),
                    _ => Expr::Literal(Literal::Number(n)),
                }
            }
            Expr::Identifier(name) => {
                scope.check(None, &name)?;
                Expr::Identifier(name)
            }
            Expr::CompoundIdentifier { alias, ident } => {
                scope.check(Some(&alias), &ident)?;
                Expr::CompoundIdentifier { alias, ident }
            }
            Expr::BinaryOp { left, op, right } => {
                let left = self.boxed(left, scope)?;
                let right = self.boxed(right, scope)?;
                self.binary(left, op, right, scope)
            }
            Expr::Like { expr, negated, pattern } | Expr::ILike { expr, negated, pattern } => {
                let expr = self.boxed(expr, scope)?;
                let pattern = self.boxed(pattern, scope)?;
                self.like(expr, negated, pattern, scope)
            }
            Expr::IsNull(e) => Expr::IsNull(self.boxed(e, scope)?),
            Expr::IsNotNull(e) => Expr::IsNotNull(self.boxed(e, scope)?),
            Expr::InList { expr, list, negated } => {
                let expr = self.boxed(expr, scope)?;
                let kind = self.kind(&expr, scope);
                let list = list
                    .into_iter()
                    .map(|e| match (self.expr(e, scope)?, kind) {
                        (Expr::Value(value), Some(kind)) => Ok(Expr::Value(with_affinity(value, kind))),
                        (other, _) => Ok(other),
                    })
                    .collect::<Result<_>>()?;
                Expr::InList { expr, list, negated }
            }
            Expr::InSubquery { expr, subquery, negated } => Expr::InSubquery {
                expr: self.boxed(expr, scope)?,
                subquery: Box::new(self.query(*subquery, scope)?),
                negated,
            },
            Expr::Between { expr, negated, low, high } => Expr::Between {
                expr: self.boxed(expr, scope)?,
                negated,
                low: self.boxed(low, scope)?,
                high: self.boxed(high, scope)?,
            },
            Expr::UnaryOp { op, expr } => Expr::UnaryOp { op, expr: self.boxed(expr, scope)? },
            Expr::Nested(e) => Expr::Nested(self.boxed(e, scope)?),
            Expr::Exists { subquery, negated } => {
                Expr::Exists { subquery: Box::new(self.query(*subquery, scope)?), negated }
            }
            Expr::Subquery(q) => Expr::Subquery(Box::new(self.query(*q, scope)?)),
            Expr::Case { operand, when_then, else_result } => Expr::Case {
                operand: operand.map(|e| self.boxed(e, scope)).transpose()?,
                when_then: when_then
                    .into_iter()
                    .map(|(w, t)| Ok((self.expr(w, scope)?, self.expr(t, scope)?)))
                    .collect::<Result<_>>()?,
                else_result: else_result.map(|e| self.boxed(e, scope)).transpose()?,
            },
            Expr::Aggregate(aggregate) => Expr::Aggregate(Box::new(self.aggregate(*aggregate, scope)?)),
            Expr::Function(function) => Expr::Function(Box::new(self.function(*function, scope)?)),
            other => other,
        })
    }

    fn aggregate(&self, aggregate: Aggregate, scope: &Scope<'_>) -> Result<Aggregate> {
        let Aggregate { func, distinct } = aggregate;
        let func = match func {
            AggregateFunction::Count(CountArgExpr::Expr(e)) => AggregateFunction::Count(CountArgExpr::Expr(self.expr(e, scope)?)),
            AggregateFunction::Count(CountArgExpr::Wildcard) => AggregateFunction::Count(CountArgExpr::Wildcard),
            AggregateFunction::Sum(e) => AggregateFunction::Sum(self.expr(e, scope)?),
            AggregateFunction::Max(e) => AggregateFunction::Max(self.expr(e, scope)?),
            AggregateFunction::Min(e) => AggregateFunction::Min(self.expr(e, scope)?),
            AggregateFunction::Avg(e) => AggregateFunction::Avg(self.expr(e, scope)?),
            AggregateFunction::Variance(e) => AggregateFunction::Variance(self.expr(e, scope)?),
            AggregateFunction::Stdev(e) => AggregateFunction::Stdev(self.expr(e, scope)?),
        };
        Ok(Aggregate { func, distinct })
    }

    /// Arguments of the functions the playground renders; others pass unchanged.
    fn function(&self, function: Function, scope: &Scope<'_>) -> Result<Function> {
        let e = |x: Expr| self.expr(x, scope);
        Ok(match function {
            Function::Lower(x) => Function::Lower(e(x)?),
            Function::Upper(x) => Function::Upper(e(x)?),
            Function::Length(x) => Function::Length(e(x)?),
            Function::Abs(x) => Function::Abs(e(x)?),
            Function::Round(x) => Function::Round(e(x)?),
            Function::Coalesce(xs) => Function::Coalesce(xs.into_iter().map(e).collect::<Result<_>>()?),
            Function::IfNull { expr, then } => Function::IfNull { expr: e(expr)?, then: e(then)? },
            Function::NullIf { expr1, expr2 } => Function::NullIf { expr1: e(expr1)?, expr2: e(expr2)? },
            Function::Cast { expr, data_type } => Function::Cast { expr: e(expr)?, data_type },
            Function::Replace { expr, old, new } => Function::Replace { expr: e(expr)?, old: e(old)?, new: e(new)? },
            Function::Substr { expr, start, count } => {
                Function::Substr { expr: e(expr)?, start: e(start)?, count: count.map(e).transpose()? }
            }
            other => other,
        })
    }

    fn binary(&self, left: Box<Expr>, op: BinaryOperator, right: Box<Expr>, scope: &Scope<'_>) -> Expr {
        let arithmetic = matches!(
            op,
            BinaryOperator::Plus | BinaryOperator::Minus | BinaryOperator::Multiply | BinaryOperator::Divide | BinaryOperator::Modulo
        );
        if op == BinaryOperator::Or {
            return sqlite_or(*left, *right);
        }
        if !arithmetic {
            let comparison = matches!(
                op,
                BinaryOperator::Eq | BinaryOperator::NotEq | BinaryOperator::Lt | BinaryOperator::LtEq | BinaryOperator::Gt | BinaryOperator::GtEq
            );
            if comparison {
                let (left, right) = match (self.kind(&left, scope), *left, self.kind(&right, scope), *right) {
                    (Some(kind), column, _, Expr::Value(value)) => (column, Expr::Value(with_affinity(value, kind))),
                    (_, Expr::Value(value), Some(kind), column) => (Expr::Value(with_affinity(value, kind)), column),
                    (_, left, _, right) => (left, right),
                };
                return Expr::BinaryOp { left: Box::new(left), op, right: Box::new(right) };
            }
            return Expr::BinaryOp { left, op, right };
        }
        let (left_kind, right_kind) = (self.kind(&left, scope), self.kind(&right, scope));
        let as_float = |e: Box<Expr>| Box::new(Expr::Function(Box::new(Function::Cast { expr: *e, data_type: DataType::Float })));
        let (left, right) = match (left_kind, right_kind) {
            (Some(ValueKind::Float), Some(ValueKind::Int)) => (left, as_float(right)),
            (Some(ValueKind::Int), Some(ValueKind::Float)) => (as_float(left), right),
            _ => (left, right),
        };
        let right = if matches!(op, BinaryOperator::Divide | BinaryOperator::Modulo) && !is_nonzero_value(&right) {
            Box::new(Expr::Function(Box::new(Function::NullIf { expr1: *right, expr2: Expr::Value(Value::I64(0)) })))
        } else {
            right
        };
        Expr::BinaryOp { left, op, right }
    }

    fn like(&self, expr: Box<Expr>, negated: bool, pattern: Box<Expr>, scope: &Scope<'_>) -> Expr {
        let guard_needed = self.nullable(&expr, scope) || self.nullable(&pattern, scope);
        let like = Expr::ILike { expr: expr.clone(), negated, pattern: pattern.clone() };
        if !guard_needed {
            return like;
        }
        let either_null = Expr::BinaryOp {
            left: Box::new(Expr::IsNull(expr)),
            op: BinaryOperator::Or,
            right: Box::new(Expr::IsNull(pattern)),
        };
        Expr::Case {
            operand: None,
            when_then: vec![(either_null, Expr::Value(Value::Null))],
            else_result: Some(Box::new(like)),
        }
    }

    /// The kind of value an expression yields, when it can be told statically.
    fn kind(&self, e: &Expr, scope: &Scope<'_>) -> Option<ValueKind> {
        match e {
            Expr::Value(Value::I64(_) | Value::I32(_) | Value::I16(_) | Value::I8(_)) => Some(ValueKind::Int),
            Expr::Value(Value::F64(_) | Value::F32(_)) => Some(ValueKind::Float),
            Expr::Identifier(name) => scope.column(None, name).map(|c| c.sql_type.value_kind()),
            Expr::CompoundIdentifier { alias, ident } => scope.column(Some(alias), ident).map(|c| c.sql_type.value_kind()),
            Expr::Nested(inner) | Expr::UnaryOp { expr: inner, .. } => self.kind(inner, scope),
            Expr::BinaryOp { left, right, .. } => match (self.kind(left, scope), self.kind(right, scope)) {
                (Some(ValueKind::Float), _) | (_, Some(ValueKind::Float)) => Some(ValueKind::Float),
                (Some(ValueKind::Int), Some(ValueKind::Int)) => Some(ValueKind::Int),
                _ => None,
            },
            Expr::Function(f) => match f.as_ref() {
                Function::Cast { data_type: DataType::Float, .. } => Some(ValueKind::Float),
                Function::Cast { data_type: DataType::Int, .. } | Function::Length(_) => Some(ValueKind::Int),
                Function::Abs(x) => self.kind(x, scope),
                _ => None,
            },
            Expr::Aggregate(a) => match &a.func {
                AggregateFunction::Avg(_) => Some(ValueKind::Float),
                AggregateFunction::Count(_) => Some(ValueKind::Int),
                AggregateFunction::Sum(x) | AggregateFunction::Min(x) | AggregateFunction::Max(x) => self.kind(x, scope),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether an expression may be NULL; `true` when unsure.
    fn nullable(&self, e: &Expr, scope: &Scope<'_>) -> bool {
        match e {
            Expr::Value(v) => matches!(v, Value::Null),
            Expr::Literal(_) => false,
            Expr::Identifier(name) => scope.column(None, name).is_none_or(|c| c.nullable),
            Expr::CompoundIdentifier { alias, ident } => scope.column(Some(alias), ident).is_none_or(|c| c.nullable),
            Expr::Nested(inner) => self.nullable(inner, scope),
            Expr::Aggregate(a) => !matches!(a.func, AggregateFunction::Count(_)),
            Expr::IsNull(_) | Expr::IsNotNull(_) | Expr::Exists { .. } => false,
            _ => true,
        }
    }
}

/// A value as a column of `kind` holds it under SQLite's type affinity; values
/// that do not convert are left as they are (GlueSQL then reports the mismatch).
fn with_affinity(value: Value, kind: ValueKind) -> Value {
    const DATE: &str = "%Y-%m-%d";
    match (kind, value) {
        (ValueKind::Bool, Value::I64(0)) => Value::Bool(false),
        (ValueKind::Bool, Value::I64(1)) => Value::Bool(true),
        (ValueKind::Float, Value::I64(i)) => Value::F64(i as f64),
        (ValueKind::Int, Value::F64(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::I64(f as i64),
        (ValueKind::Decimal, Value::I64(i)) => Value::Decimal(i.into()),
        (ValueKind::Decimal, Value::F64(f)) => rust_decimal::Decimal::try_from(f).map_or(Value::F64(f), Value::Decimal),
        (ValueKind::Date, Value::Str(s)) => chrono::NaiveDate::parse_from_str(&s, DATE).map_or(Value::Str(s), Value::Date),
        (ValueKind::Time, Value::Str(s)) => chrono::NaiveTime::parse_from_str(&s, "%H:%M:%S%.f").map_or(Value::Str(s), Value::Time),
        (ValueKind::DateTime, Value::Str(s)) => chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S%.f")
            .or_else(|_| chrono::NaiveDate::parse_from_str(&s, DATE).map(|d| d.and_time(chrono::NaiveTime::MIN)))
            .map_or(Value::Str(s), Value::Timestamp),
        (_, value) => value,
    }
}

fn is_nonzero_value(e: &Expr) -> bool {
    match e {
        Expr::Value(Value::I64(i)) => *i != 0,
        Expr::Value(Value::F64(f)) => *f != 0.0,
        _ => false,
    }
}

/// `ORDER BY 2` / `GROUP BY 2`: the second result column, as SQLite reads it.
fn by_position(e: Expr, projection: &[SelectItem], clause: &str, term: usize) -> Result<Expr> {
    let position = match &e {
        Expr::Literal(Literal::Number(n)) => n.to_string().parse::<usize>().ok(),
        Expr::Value(Value::I64(i)) => usize::try_from(*i).ok(),
        _ => None,
    };
    let Some(position) = position else { return Ok(e) };
    match position.checked_sub(1).and_then(|i| projection.get(i)) {
        Some(SelectItem::Expr { expr, .. }) => Ok(expr.clone()),
        Some(_) => Err(unsupported(format!("{clause} {position} over a * column"))),
        None => Err(DbError::new(
            DbErrorKind::OperationalError,
            format!("{} {clause} term out of range - should be between 1 and {}", ordinal(term + 1), projection.len()),
        )),
    }
}

/// A bare name that is a result label stands for the labelled expression.
fn resolve_label(e: &Expr, projection: &[SelectItem]) -> Expr {
    if let Expr::Identifier(name) = e {
        for item in projection {
            if let SelectItem::Expr { expr, label } = item {
                if label == name && !matches!(expr, Expr::Identifier(n) if n == name) {
                    return expr.clone();
                }
            }
        }
    }
    e.clone()
}

/// SQLite's ordinals in "1st ORDER BY term out of range".
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

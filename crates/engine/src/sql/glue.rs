//! Rendering statements as the GlueSQL AST that actually runs. Values travel as
//! `Expr::Value` nodes of the AST, never as text spliced into SQL. SQLite
//! semantics that GlueSQL lacks are layered on by the db (`db::sqlite_semantics`).

use gluesql::core::ast as g;
use gluesql::core::data::Value;

use super::ast::{
    BinaryOp, Delete, Expr, FromClause, IndexDef, Insert, Join, JoinKind, OrderBy, Select, Source,
    Statement, UnaryOp, Update,
};
use super::echo;
use super::schema::{ColumnDef, SqlType, TableDef, ValueKind};
use super::value::Datum;

/// Something the statement asks for that GlueSQL cannot do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is not supported by the playground's database (GlueSQL)", self.0)
    }
}

impl std::error::Error for Unsupported {}

type Result<T> = std::result::Result<T, Unsupported>;

fn unsupported<T>(what: impl Into<String>) -> Result<T> {
    Err(Unsupported(what.into()))
}

/// The GlueSQL statement for one of ours.
pub fn render(statement: &Statement) -> Result<g::Statement> {
    match statement {
        Statement::Select(select) => Ok(g::Statement::Query(query(select)?)),
        Statement::Insert(insert) => render_insert(insert),
        Statement::Update(update) => render_update(update),
        Statement::Delete(Delete { table, where_clause }) => Ok(g::Statement::Delete {
            table_name: table.clone(),
            selection: where_clause.as_ref().map(expr).transpose()?,
        }),
        Statement::CreateTable(table) => create_table(table),
        Statement::CreateIndex(index) => create_index(index),
        Statement::DropTable { name } => Ok(g::Statement::DropTable {
            if_exists: false,
            names: vec![name.clone()],
            cascade: false,
        }),
        Statement::DropIndex { name, table } => Ok(g::Statement::DropIndex { name: name.clone(), table_name: table.clone() }),
    }
}

/// The GlueSQL storage type for a SQLAlchemy column type.
pub fn data_type(sql_type: &SqlType) -> g::DataType {
    match sql_type.value_kind() {
        ValueKind::Int => g::DataType::Int,
        ValueKind::Float => g::DataType::Float,
        ValueKind::Text | ValueKind::Json => g::DataType::Text,
        ValueKind::Bool => g::DataType::Boolean,
        ValueKind::Bytes => g::DataType::Bytea,
        ValueKind::Date => g::DataType::Date,
        ValueKind::Time => g::DataType::Time,
        ValueKind::DateTime => g::DataType::Timestamp,
        ValueKind::Decimal => g::DataType::Decimal,
    }
}

/// A datum as the GlueSQL value stored for it.
pub fn value(datum: &Datum) -> Value {
    match datum {
        Datum::Null => Value::Null,
        Datum::Int(i) => Value::I64(*i),
        Datum::Float(f) => Value::F64(*f),
        Datum::Text(s) => Value::Str(s.clone()),
        Datum::Bool(b) => Value::Bool(*b),
        Datum::Bytes(b) => Value::Bytea(b.clone()),
        Datum::Date(d) => Value::Date(*d),
        Datum::Time(t) => Value::Time(*t),
        Datum::DateTime(dt) => Value::Timestamp(*dt),
        Datum::Decimal(d) => Value::Decimal(*d),
        Datum::Json(j) => Value::Str(super::pyrepr::json_dumps(j)),
        Datum::Uuid(number) => Value::Str(format!("{number:032x}")),
        // Never stored: the database refuses a statement carrying one before rendering it.
        Datum::Unbindable { .. } => Value::Null,
    }
}

fn render_insert(insert: &Insert) -> Result<g::Statement> {
    if insert.columns.is_empty() {
        return unsupported("INSERT ... DEFAULT VALUES");
    }
    let rows = insert
        .rows
        .iter()
        .map(|row| row.iter().map(|d| g::Expr::Value(value(d))).collect())
        .collect();
    Ok(g::Statement::Insert {
        table_name: insert.table.clone(),
        columns: insert.columns.clone(),
        source: g::Query {
            body: g::SetExpr::Values(g::Values(rows)),
            order_by: Vec::new(),
            limit: None,
            offset: None,
        },
    })
}

fn render_update(update: &Update) -> Result<g::Statement> {
    let assignments = update
        .assignments
        .iter()
        .map(|(column, value)| Ok(g::Assignment { id: column.clone(), value: expr(value)? }))
        .collect::<Result<Vec<_>>>()?;
    Ok(g::Statement::Update {
        table_name: update.table.clone(),
        assignments,
        selection: update.where_clause.as_ref().map(expr).transpose()?,
    })
}

/// The GlueSQL table: constraints beyond a single-column primary key are
/// enforced by the db's storage, so GlueSQL sees plain nullable columns.
fn create_table(table: &TableDef) -> Result<g::Statement> {
    if let Some(check) = table.checks.first() {
        return unsupported(format!("CHECK ({check}) on table {}", table.name));
    }
    let columns = column_defs(table)?;
    Ok(g::Statement::CreateTable {
        if_not_exists: false,
        name: table.name.clone(),
        columns: Some(columns),
        source: None,
        engine: None,
        foreign_keys: Vec::new(),
        comment: None,
    })
}

/// The columns as GlueSQL holds them: typed, nullable except a single-column
/// primary key (GlueSQL's only key), with `server_default`s as typed values.
pub fn column_defs(table: &TableDef) -> Result<Vec<g::ColumnDef>> {
    let single_primary_key = match table.primary_key.as_slice() {
        [only] => Some(only.as_str()),
        _ => None,
    };
    table
        .columns
        .iter()
        .map(|column| {
            let is_primary = single_primary_key == Some(column.name.as_str());
            Ok(g::ColumnDef {
                name: column.name.clone(),
                data_type: data_type(&column.sql_type),
                nullable: !is_primary,
                default: column_default(column)?,
                unique: is_primary.then_some(g::ColumnUniqueOption { is_primary: true }),
                comment: None,
            })
        })
        .collect()
}

/// A `server_default` as a value of the column's type, the way SQLite's type
/// affinity stores `DEFAULT '3'` in an INTEGER column as 3.
fn column_default(column: &ColumnDef) -> Result<Option<g::Expr>> {
    let Some(text) = column.server_default.as_deref() else { return Ok(None) };
    let trimmed = text.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let function = match trimmed.to_ascii_uppercase().as_str() {
        "CURRENT_TIMESTAMP" => Some(g::Function::CurrentTimestamp()),
        "CURRENT_DATE" => Some(g::Function::CurrentDate()),
        "CURRENT_TIME" => Some(g::Function::CurrentTime()),
        _ => None,
    };
    if let Some(function) = function {
        return Ok(Some(g::Expr::Function(Box::new(function))));
    }
    let raw = match trimmed.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => trimmed.to_owned(),
    };
    match coerce_text(&raw, column.sql_type.value_kind()) {
        Some(datum) => Ok(Some(g::Expr::Value(value(&datum)))),
        None => unsupported(format!("server_default {text} for column {}", column.name)),
    }
}

/// Text converted to a column's kind of value, `None` when it does not fit.
fn coerce_text(raw: &str, kind: ValueKind) -> Option<Datum> {
    match kind {
        ValueKind::Int => raw.parse().ok().map(Datum::Int),
        ValueKind::Float => raw.parse().ok().map(Datum::Float),
        ValueKind::Decimal => raw.parse().ok().map(Datum::Decimal),
        ValueKind::Bool => match raw.to_ascii_lowercase().as_str() {
            "1" | "true" => Some(Datum::Bool(true)),
            "0" | "false" => Some(Datum::Bool(false)),
            _ => None,
        },
        ValueKind::Text => Some(Datum::Text(raw.to_owned())),
        ValueKind::Json => serde_json::from_str(raw).ok().map(|json| Datum::Json(Box::new(json))),
        ValueKind::Date => chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().map(Datum::Date),
        ValueKind::Time => chrono::NaiveTime::parse_from_str(raw, "%H:%M:%S%.f").ok().map(Datum::Time),
        ValueKind::DateTime => chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%.f")
            .ok()
            .map(Datum::DateTime),
        ValueKind::Bytes => Some(Datum::Bytes(raw.as_bytes().to_vec())),
    }
}

fn create_index(index: &IndexDef) -> Result<g::Statement> {
    let [column] = index.columns.as_slice() else {
        return unsupported(format!("index {} over several columns", index.name));
    };
    Ok(g::Statement::CreateIndex {
        name: index.name.clone(),
        table_name: index.table.clone(),
        column: g::OrderByExpr { expr: g::Expr::Identifier(column.clone()), asc: None },
    })
}

/// The name a result column gets, as sqlite3's `cursor.description` gives it.
fn result_name(expr_: &Expr, label: Option<&String>) -> String {
    if let Some(label) = label {
        return label.clone();
    }
    match expr_ {
        Expr::Column { name, .. } => name.clone(),
        other => {
            let select = Select {
                columns: vec![super::ast::ResultColumn { expr: other.clone(), label: None }],
                ..Select::default()
            };
            let text = echo::render(&Statement::Select(select)).text;
            text.trim_start_matches("SELECT ").to_owned()
        }
    }
}

fn query(select: &Select) -> Result<g::Query> {
    let projection = select
        .columns
        .iter()
        .map(|column| match &column.expr {
            Expr::Star => Ok(g::SelectItem::Wildcard),
            other => Ok(g::SelectItem::Expr {
                expr: expr(other)?,
                label: result_name(other, column.label.as_ref()),
            }),
        })
        .collect::<Result<Vec<_>>>()?;
    let from = match &select.from {
        Some(from) => from_clause(from)?,
        // GlueSQL needs a FROM: a one-row series stands in for SQLite's FROM-less SELECT.
        None => g::TableWithJoins {
            relation: g::TableFactor::Series {
                alias: g::TableAlias { name: "_one_row".to_owned(), columns: Vec::new() },
                size: g::Expr::Value(Value::I64(1)),
            },
            joins: Vec::new(),
        },
    };
    let body = g::SetExpr::Select(Box::new(g::Select {
        distinct: select.distinct,
        projection: g::Projection::SelectItems(projection),
        from,
        selection: select.where_clause.as_ref().map(expr).transpose()?,
        group_by: select.group_by.iter().map(expr).collect::<Result<_>>()?,
        having: select.having.as_ref().map(expr).transpose()?,
    }));
    // SQLite: a negative LIMIT means no limit.
    let limit = select.limit.filter(|n| *n >= 0).map(|n| g::Expr::Value(Value::I64(n)));
    let offset = select.offset.filter(|n| *n > 0).map(|n| g::Expr::Value(Value::I64(n)));
    Ok(g::Query {
        body,
        order_by: select.order_by.iter().map(order_by).collect::<Result<_>>()?,
        limit,
        offset,
    })
}

fn order_by(item: &OrderBy) -> Result<g::OrderByExpr> {
    Ok(g::OrderByExpr { expr: expr(&item.expr)?, asc: item.descending.then_some(false) })
}

fn from_clause(from: &FromClause) -> Result<g::TableWithJoins> {
    let joins = from
        .joins
        .iter()
        .map(|Join { kind, source: joined, on }| {
            Ok(g::Join {
                relation: source(joined)?,
                join_operator: match kind {
                    JoinKind::Inner => g::JoinOperator::Inner(g::JoinConstraint::On(expr(on)?)),
                    JoinKind::LeftOuter => g::JoinOperator::LeftOuter(g::JoinConstraint::On(expr(on)?)),
                    JoinKind::Cross => g::JoinOperator::Inner(g::JoinConstraint::None),
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(g::TableWithJoins { relation: source(&from.base)?, joins })
}

fn source(source: &Source) -> Result<g::TableFactor> {
    Ok(match source {
        Source::Table { name, alias } => g::TableFactor::Table {
            name: name.clone(),
            alias: alias.as_ref().map(|a| g::TableAlias { name: a.clone(), columns: Vec::new() }),
        },
        Source::Subquery { select, alias } => g::TableFactor::Derived {
            subquery: query(select)?,
            alias: g::TableAlias { name: alias.clone(), columns: Vec::new() },
        },
    })
}

fn binary_operator(op: BinaryOp) -> g::BinaryOperator {
    match op {
        BinaryOp::Eq => g::BinaryOperator::Eq,
        BinaryOp::NotEq => g::BinaryOperator::NotEq,
        BinaryOp::Lt => g::BinaryOperator::Lt,
        BinaryOp::LtEq => g::BinaryOperator::LtEq,
        BinaryOp::Gt => g::BinaryOperator::Gt,
        BinaryOp::GtEq => g::BinaryOperator::GtEq,
        BinaryOp::Add => g::BinaryOperator::Plus,
        BinaryOp::Sub => g::BinaryOperator::Minus,
        BinaryOp::Mul => g::BinaryOperator::Multiply,
        BinaryOp::Div => g::BinaryOperator::Divide,
        BinaryOp::Mod => g::BinaryOperator::Modulo,
        BinaryOp::Concat => g::BinaryOperator::StringConcat,
        BinaryOp::And => g::BinaryOperator::And,
        BinaryOp::Or => g::BinaryOperator::Or,
    }
}

fn boxed(e: &Expr) -> Result<Box<g::Expr>> {
    expr(e).map(Box::new)
}

fn expr(e: &Expr) -> Result<g::Expr> {
    Ok(match e {
        Expr::Column { table: Some(table), name } => {
            g::Expr::CompoundIdentifier { alias: table.clone(), ident: name.clone() }
        }
        Expr::Column { table: None, name } => g::Expr::Identifier(name.clone()),
        Expr::Param(d) | Expr::Literal(d) => g::Expr::Value(value(d)),
        Expr::Star => return unsupported("* outside count(*)"),
        Expr::Binary { op, left, right } => g::Expr::BinaryOp {
            left: boxed(left)?,
            op: binary_operator(*op),
            right: boxed(right)?,
        },
        Expr::Unary { op, expr: inner } => g::Expr::UnaryOp {
            op: match op {
                UnaryOp::Not => g::UnaryOperator::Not,
                UnaryOp::Neg => g::UnaryOperator::Minus,
            },
            expr: boxed(inner)?,
        },
        Expr::IsNull { expr: inner, negated: false } => g::Expr::IsNull(boxed(inner)?),
        Expr::IsNull { expr: inner, negated: true } => g::Expr::IsNotNull(boxed(inner)?),
        // SQLite: `x IN ()` is false and `x NOT IN ()` true, even for NULL x.
        Expr::InList { list, negated, .. } if list.is_empty() => g::Expr::Value(Value::Bool(*negated)),
        Expr::InList { expr: inner, list, negated } => g::Expr::InList {
            expr: boxed(inner)?,
            list: list.iter().map(expr).collect::<Result<_>>()?,
            negated: *negated,
        },
        Expr::InSelect { expr: inner, select, negated } => g::Expr::InSubquery {
            expr: boxed(inner)?,
            subquery: Box::new(query(select)?),
            negated: *negated,
        },
        Expr::Exists(select) => g::Expr::Exists { subquery: Box::new(query(select)?), negated: false },
        Expr::Between { expr: inner, low, high, negated } => g::Expr::Between {
            expr: boxed(inner)?,
            negated: *negated,
            low: boxed(low)?,
            high: boxed(high)?,
        },
        Expr::Like { expr: inner, pattern, negated } => g::Expr::Like {
            expr: boxed(inner)?,
            negated: *negated,
            pattern: boxed(pattern)?,
        },
        Expr::Function { name, args, distinct } => function(name, args, *distinct)?,
        Expr::Case { operand, whens, else_result } => g::Expr::Case {
            operand: operand.as_deref().map(boxed).transpose()?,
            when_then: whens.iter().map(|(w, t)| Ok((expr(w)?, expr(t)?))).collect::<Result<_>>()?,
            else_result: else_result.as_deref().map(boxed).transpose()?,
        },
        Expr::Cast { expr: inner, to } => g::Expr::Function(Box::new(g::Function::Cast {
            expr: expr(inner)?,
            data_type: data_type(to),
        })),
        Expr::ScalarSubquery(select) => g::Expr::Subquery(Box::new(query(select)?)),
        Expr::Grouping(inner) => g::Expr::Nested(boxed(inner)?),
    })
}

fn function(name: &str, args: &[Expr], distinct: bool) -> Result<g::Expr> {
    let lower = name.to_ascii_lowercase();
    let aggregate = |func: g::AggregateFunction| Ok(g::Expr::Aggregate(Box::new(g::Aggregate { func, distinct })));
    let single = || match args {
        [only] => expr(only),
        _ => unsupported(format!("{name}() with {} arguments", args.len())),
    };
    let scalar = |f: g::Function| Ok(g::Expr::Function(Box::new(f)));
    match lower.as_str() {
        "count" => match args {
            [] | [Expr::Star] => aggregate(g::AggregateFunction::Count(g::CountArgExpr::Wildcard)),
            // `count(distinct(x))`: SQLite reads the inner parentheses as grouping, DISTINCT x.
            [Expr::Function { name, args: inner, .. }] if name.eq_ignore_ascii_case("distinct") && inner.len() == 1 => {
                Ok(g::Expr::Aggregate(Box::new(g::Aggregate { func: g::AggregateFunction::Count(g::CountArgExpr::Expr(expr(&inner[0])?)), distinct: true })))
            }
            [only] => aggregate(g::AggregateFunction::Count(g::CountArgExpr::Expr(expr(only)?))),
            _ => unsupported(format!("count() with {} arguments", args.len())),
        },
        "sum" | "total" => aggregate(g::AggregateFunction::Sum(single()?)),
        "avg" => aggregate(g::AggregateFunction::Avg(single()?)),
        "min" if args.len() == 1 => aggregate(g::AggregateFunction::Min(single()?)),
        "max" if args.len() == 1 => aggregate(g::AggregateFunction::Max(single()?)),
        "lower" => scalar(g::Function::Lower(single()?)),
        "upper" => scalar(g::Function::Upper(single()?)),
        "length" => scalar(g::Function::Length(single()?)),
        "abs" => scalar(g::Function::Abs(single()?)),
        "coalesce" if args.len() >= 2 => scalar(g::Function::Coalesce(args.iter().map(expr).collect::<Result<_>>()?)),
        "ifnull" => match args {
            [a, b] => scalar(g::Function::IfNull { expr: expr(a)?, then: expr(b)? }),
            _ => unsupported("ifnull() without two arguments"),
        },
        "nullif" => match args {
            [a, b] => scalar(g::Function::NullIf { expr1: expr(a)?, expr2: expr(b)? }),
            _ => unsupported("nullif() without two arguments"),
        },
        "replace" => match args {
            [a, b, c] => scalar(g::Function::Replace { expr: expr(a)?, old: expr(b)?, new: expr(c)? }),
            _ => unsupported("replace() without three arguments"),
        },
        "trim" => scalar(g::Function::Trim { expr: single()?, filter_chars: None, trim_where_field: None }),
        "round" => match args {
            [x] => scalar(g::Function::Round(expr(x)?)),
            [x, Expr::Param(Datum::Int(digits)) | Expr::Literal(Datum::Int(digits))] => round_to(expr(x)?, *digits),
            _ => unsupported("round() whose digits are not an integer"),
        },
        "substr" | "substring" => match args {
            [a, b] => scalar(g::Function::Substr { expr: expr(a)?, start: expr(b)?, count: None }),
            [a, b, c] => scalar(g::Function::Substr { expr: expr(a)?, start: expr(b)?, count: Some(expr(c)?) }),
            _ => unsupported("substr() without two or three arguments"),
        },
        "current_timestamp" | "now" if args.is_empty() => scalar(g::Function::Now()),
        "current_date" if args.is_empty() => scalar(g::Function::CurrentDate()),
        _ => unsupported(format!("the SQL function {name}()")),
    }
}

/// SQLite's `round(x, n)`: GlueSQL's ROUND takes no digits, so scale, round, unscale.
fn round_to(x: g::Expr, digits: i64) -> Result<g::Expr> {
    let digits = i32::try_from(digits).ok().filter(|d| (0..=15).contains(d));
    let Some(digits) = digits else { return unsupported("round() to more than 15 digits") };
    let scale = g::Expr::Value(Value::F64(10f64.powi(digits)));
    let scaled = g::Expr::BinaryOp {
        left: Box::new(g::Expr::Function(Box::new(g::Function::Cast { expr: x, data_type: g::DataType::Float }))),
        op: g::BinaryOperator::Multiply,
        right: Box::new(scale.clone()),
    };
    Ok(g::Expr::BinaryOp {
        left: Box::new(g::Expr::Function(Box::new(g::Function::Round(scaled)))),
        op: g::BinaryOperator::Divide,
        right: Box::new(scale),
    })
}

/// GlueSQL 0.20 renders queries and expressions but not whole statements: the
/// "GlueSQL ran" text of any statement, from the same AST that ran.
pub fn statement_sql(statement: &g::Statement) -> String {
    use g::ToSql;
    let quoted = |name: &str| format!("\"{name}\"");
    let names = |names: &[String]| names.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(", ");
    let filter = |selection: &Option<g::Expr>| selection.as_ref().map(|e| format!(" WHERE {}", e.to_sql())).unwrap_or_default();
    match statement {
        g::Statement::Query(query) => query_sql(query),
        g::Statement::Insert { table_name, columns, source } => {
            let columns = if columns.is_empty() { String::new() } else { format!(" ({})", names(columns)) };
            format!("INSERT INTO {}{columns} {}", quoted(table_name), query_sql(source))
        }
        g::Statement::Update { table_name, assignments, selection } => {
            let sets: Vec<String> = assignments.iter().map(|a| format!("{} = {}", quoted(&a.id), a.value.to_sql())).collect();
            format!("UPDATE {} SET {}{}", quoted(table_name), sets.join(", "), filter(selection))
        }
        g::Statement::Delete { table_name, selection } => format!("DELETE FROM {}{}", quoted(table_name), filter(selection)),
        g::Statement::CreateTable { name, columns, .. } => {
            let columns: Vec<String> = columns.iter().flatten().map(ToSql::to_sql).collect();
            format!("CREATE TABLE {} ({})", quoted(name), columns.join(", "))
        }
        g::Statement::CreateIndex { name, table_name, column } => {
            format!("CREATE INDEX {} ON {} ({})", quoted(name), quoted(table_name), column.to_sql())
        }
        g::Statement::DropIndex { name, table_name } => format!("DROP INDEX {}.{}", quoted(table_name), quoted(name)),
        g::Statement::DropTable { names: tables, if_exists, cascade } => format!(
            "DROP TABLE {}{}{}",
            if *if_exists { "IF EXISTS " } else { "" },
            names(tables),
            if *cascade { " CASCADE" } else { "" }
        ),
        g::Statement::AlterTable { name, operation } => {
            let operation = match operation {
                g::AlterTableOperation::AddColumn { column_def } => format!("ADD COLUMN {}", column_def.to_sql()),
                g::AlterTableOperation::DropColumn { column_name, .. } => format!("DROP COLUMN {}", quoted(column_name)),
                g::AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                    format!("RENAME COLUMN {} TO {}", quoted(old_column_name), quoted(new_column_name))
                }
                g::AlterTableOperation::RenameTable { table_name } => format!("RENAME TO {}", quoted(table_name)),
            };
            format!("ALTER TABLE {} {operation}", quoted(name))
        }
        other => format!("{other:?}"),
    }
}

/// A query's text with ORDER BY terms separated by commas (GlueSQL 0.20's
/// `Query::to_sql` joins them with spaces).
fn query_sql(query: &g::Query) -> String {
    use g::ToSql;
    let mut text = query.body.to_sql();
    if !query.order_by.is_empty() {
        let terms: Vec<String> = query.order_by.iter().map(ToSql::to_sql).collect();
        text.push_str(&format!(" ORDER BY {}", terms.join(", ")));
    }
    if let Some(limit) = &query.limit {
        text.push_str(&format!(" LIMIT {}", limit.to_sql()));
    }
    if let Some(offset) = &query.offset {
        text.push_str(&format!(" OFFSET {}", offset.to_sql()));
    }
    text
}

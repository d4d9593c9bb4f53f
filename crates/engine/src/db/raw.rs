//! SQL text typed by a user or sent through `text()`: the commands handled by
//! our layer (PRAGMA, BEGIN/COMMIT/ROLLBACK), parsing with GlueSQL's parser
//! (`?` binds become its `$n` parameters), and the checks SQLite makes before
//! running a statement (tables exist) plus the row candidates an UPDATE or
//! DELETE can be narrowed to through an index.

use gluesql::core::ast::{AlterTableOperation, BinaryOperator, Expr, Query, SetExpr, Statement, TableFactor, TableWithJoins};
use gluesql::core::data::{Key, Value};
use gluesql::core::translate::{translate_with_params, IntoParamLiteral, ParamLiteral};

use super::database::StatementResult;
use super::error::{DbError, DbErrorKind};
use super::storage::Storage;
use crate::sql::{Datum, TableDef};

pub enum Pragma {
    /// `PRAGMA foreign_keys` (None reads it, Some sets it).
    ForeignKeys(Option<bool>),
    TableInfo(String),
    Unsupported(String),
}

pub enum Command {
    Begin,
    Commit,
    Rollback,
    Pragma(Pragma),
    /// SQLite's `DROP INDEX name` (GlueSQL wants `table.name`).
    DropIndex(String),
    Sql,
}

/// What a piece of SQL text asks for, before any parsing.
pub fn classify(sql: &str) -> Command {
    let text = sql.trim().trim_end_matches(';').trim();
    let upper = text.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_whitespace().collect();
    match words.as_slice() {
        ["BEGIN"] | ["BEGIN", "TRANSACTION"] | ["BEGIN", "DEFERRED" | "IMMEDIATE" | "EXCLUSIVE"] => Command::Begin,
        ["COMMIT"] | ["END"] | ["COMMIT" | "END", "TRANSACTION"] => Command::Commit,
        ["ROLLBACK"] | ["ROLLBACK", "TRANSACTION"] => Command::Rollback,
        ["PRAGMA", ..] => Command::Pragma(pragma(text.get(6..).unwrap_or_default().trim())),
        ["DROP", "INDEX", name] if !name.contains('.') => {
            let name = text.split_whitespace().nth(2).unwrap_or_default();
            Command::DropIndex(name.trim_matches(|c| c == '"' || c == '`').to_owned())
        }
        _ => Command::Sql,
    }
}

fn pragma(body: &str) -> Pragma {
    let (name, argument) = match body.split_once('=') {
        Some((name, value)) => (name.trim(), Some(value.trim())),
        None => match body.split_once('(') {
            Some((name, rest)) => (name.trim(), Some(rest.trim_end_matches(')').trim())),
            None => (body.trim(), None),
        },
    };
    let bare = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    let unquote = |s: &str| s.trim_matches(|c| c == '"' || c == '\'' || c == '`').to_owned();
    match (bare.as_str(), argument) {
        ("foreign_keys", None) => Pragma::ForeignKeys(None),
        ("foreign_keys", Some(value)) => match value.to_ascii_lowercase().as_str() {
            "on" | "1" | "true" | "yes" => Pragma::ForeignKeys(Some(true)),
            "off" | "0" | "false" | "no" => Pragma::ForeignKeys(Some(false)),
            _ => Pragma::Unsupported(body.to_owned()),
        },
        ("table_info", Some(table)) => Pragma::TableInfo(unquote(table)),
        _ => Pragma::Unsupported(name.to_owned()),
    }
}

/// `PRAGMA table_info(t)`: one row per column, none for a missing table.
pub fn table_info(def: Option<&TableDef>) -> StatementResult {
    let columns = ["cid", "name", "type", "notnull", "dflt_value", "pk"].map(str::to_owned).to_vec();
    let rows = def
        .map(|def| {
            def.columns
                .iter()
                .enumerate()
                .map(|(cid, column)| {
                    let pk = def.primary_key.iter().position(|c| *c == column.name).map_or(0, |p| p + 1);
                    vec![
                        Datum::Int(cid as i64),
                        Datum::Text(column.name.clone()),
                        Datum::Text(column.sql_type.sqlite_ddl()),
                        Datum::Int(i64::from(!column.nullable)),
                        column.server_default.clone().map_or(Datum::Null, Datum::Text),
                        Datum::Int(pk as i64),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    StatementResult { columns, rows, ..StatementResult::default() }
}

/// Prepares SQLite-flavoured text for GlueSQL's (PostgreSQL-dialect) parser:
/// `?` binds outside quotes become `$1`, `$2`, ..., and `user.` qualifiers,
/// a keyword there but a plain name in SQLite, are quoted.
fn glue_dialect(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut binds = 0;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`') => quote = Some(c),
            None if c == '?' => {
                binds += 1;
                out.push_str(&format!("${binds}"));
                i += 1;
                continue;
            }
            None if c.is_alphabetic() || c == '_' => {
                let end = (i..chars.len())
                    .find(|&j| chars.get(j).is_none_or(|ch| !(ch.is_alphanumeric() || *ch == '_')))
                    .unwrap_or(chars.len());
                let word: String = chars[i..end].iter().collect();
                if word.eq_ignore_ascii_case("user") && chars.get(end) == Some(&'.') {
                    out.push_str(&format!("\"{word}\""));
                } else {
                    out.push_str(&word);
                }
                i = end;
                continue;
            }
            None => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

fn param_literal(datum: &Datum) -> ParamLiteral {
    match crate::sql::glue::value(datum) {
        Value::I64(i) => i.into_param_literal(),
        Value::F64(f) => f.into_param_literal(),
        Value::Str(s) => s.into_param_literal(),
        Value::Bool(b) => b.into_param_literal(),
        Value::Bytea(b) => b.into_param_literal(),
        Value::Date(d) => d.into_param_literal(),
        Value::Time(t) => t.into_param_literal(),
        Value::Timestamp(t) => t.into_param_literal(),
        Value::Decimal(d) => d.into_param_literal(),
        _ => ParamLiteral::null(),
    }
}

/// SQLite's wording for a parse failure: `near "selec": syntax error`, or
/// `incomplete input` when the text ends too early.
fn syntax_error(parser_message: &str) -> DbError {
    // The parser's text reads `... found: <token> at Line: 1, Column: 5` inside a
    // Debug-quoted string; EOF has no position.
    let found = parser_message.split("found: ").nth(1).map(|rest| {
        let end = rest.find(" at Line").or_else(|| rest.find('"')).unwrap_or(rest.len());
        rest[..end].trim()
    });
    let message = match found {
        Some("EOF") | None => "incomplete input".to_owned(),
        Some(token) => format!("near \"{}\": syntax error", token.trim_matches('"')),
    };
    DbError::new(DbErrorKind::OperationalError, message)
}

/// Parses one statement of SQL text with `?` parameters into GlueSQL's AST.
pub fn parse(sql: &str, params: &[Datum]) -> Result<Statement, DbError> {
    let parsed = gluesql::core::parse_sql::parse(glue_dialect(sql)).map_err(|e| syntax_error(&e.to_string()))?;
    let statement = match parsed.as_slice() {
        [one] => one,
        [] => return Err(DbError::new(DbErrorKind::OperationalError, "incomplete input")),
        _ => return Err(DbError::new(DbErrorKind::ProgrammingError, "You can only execute one statement at a time.")),
    };
    let params: Vec<ParamLiteral> = params.iter().map(param_literal).collect();
    translate_with_params(statement, &params).map_err(|e| {
        let what = e.to_string();
        let what = what.strip_prefix("translate: ").unwrap_or(&what);
        DbError::new(DbErrorKind::NotSupportedError, crate::sql::glue::Unsupported(what.to_owned()).to_string())
    })
}

fn no_such_table(name: &str) -> DbError {
    DbError::new(DbErrorKind::OperationalError, format!("no such table: {name}"))
}

/// SQLite's checks before running: the tables a statement names exist (and
/// the one it creates does not).
pub fn check_tables(statement: &Statement, storage: &Storage) -> Result<(), DbError> {
    let exists = |name: &str| storage.table(name).is_some();
    match statement {
        Statement::Query(query) => query_tables(query, &exists),
        Statement::Insert { table_name, source, .. } => {
            if !exists(table_name) {
                return Err(no_such_table(table_name));
            }
            query_tables(source, &exists)
        }
        Statement::AlterTable { name, operation: AlterTableOperation::DropColumn { column_name, .. } } if exists(name) => storage
            .check_drop_column(name, column_name)
            .map_err(|violation| DbError::new(DbErrorKind::OperationalError, violation.message())),
        Statement::Update { table_name, .. } | Statement::Delete { table_name, .. } | Statement::AlterTable { name: table_name, .. } => {
            if exists(table_name) { Ok(()) } else { Err(no_such_table(table_name)) }
        }
        Statement::CreateTable { name, if_not_exists: false, .. } if exists(name) => {
            Err(DbError::new(DbErrorKind::OperationalError, format!("table {name} already exists")))
        }
        Statement::DropTable { names, if_exists: false, .. } => match names.iter().find(|n| !exists(n)) {
            Some(missing) => Err(no_such_table(missing)),
            None => Ok(()),
        },
        Statement::CreateIndex { table_name, .. } if !exists(table_name) => Err(no_such_table(&format!("main.{table_name}"))),
        _ => Ok(()),
    }
}

fn query_tables(query: &Query, exists: &dyn Fn(&str) -> bool) -> Result<(), DbError> {
    let SetExpr::Select(select) = &query.body else { return Ok(()) };
    let TableWithJoins { relation, joins } = &select.from;
    for factor in std::iter::once(relation).chain(joins.iter().map(|j| &j.relation)) {
        match factor {
            TableFactor::Table { name, .. } if !exists(name) => return Err(no_such_table(name)),
            TableFactor::Derived { subquery, .. } => query_tables(subquery, exists)?,
            _ => {}
        }
    }
    Ok(())
}

/// For `UPDATE`/`DELETE ... WHERE col = value AND ...` on an indexed column (or
/// the primary key): the only rows that can match. GlueSQL then evaluates the
/// full WHERE on these instead of scanning the table. Not used when the WHERE
/// holds a subquery, which may scan the same table.
pub fn scan_candidates(statement: &Statement, storage: &Storage) -> Option<(String, Vec<Key>)> {
    let (table_name, selection) = match statement {
        Statement::Update { table_name, selection: Some(selection), .. }
        | Statement::Delete { table_name, selection: Some(selection) } => (table_name, selection),
        _ => return None,
    };
    if has_subquery(selection) {
        return None;
    }
    let table = storage.table(table_name)?;
    let mut conjuncts = Vec::new();
    collect_conjuncts(selection, &mut conjuncts);
    conjuncts.into_iter().find_map(|conjunct| {
        let Expr::BinaryOp { left, op: BinaryOperator::Eq, right } = conjunct else { return None };
        let (column, value) = match (left.as_ref(), right.as_ref()) {
            (column, Expr::Value(value)) | (Expr::Value(value), column) => (column, value),
            _ => return None,
        };
        let name = match column {
            Expr::Identifier(name) => name,
            Expr::CompoundIdentifier { alias, ident } if alias == table_name => ident,
            _ => return None,
        };
        let position = table.def.column_index(name)?;
        table.indexed_keys(position, value).map(|keys| (table_name.clone(), keys))
    })
}

fn collect_conjuncts<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match expr {
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            collect_conjuncts(left, out);
            collect_conjuncts(right, out);
        }
        Expr::Nested(inner) => collect_conjuncts(inner, out),
        other => out.push(other),
    }
}

fn has_subquery(expr: &Expr) -> bool {
    match expr {
        Expr::Subquery(_) | Expr::InSubquery { .. } | Expr::Exists { .. } => true,
        Expr::BinaryOp { left, right, .. } => has_subquery(left) || has_subquery(right),
        Expr::UnaryOp { expr, .. } | Expr::Nested(expr) | Expr::IsNull(expr) | Expr::IsNotNull(expr) => has_subquery(expr),
        Expr::InList { expr, list, .. } => has_subquery(expr) || list.iter().any(has_subquery),
        Expr::Between { expr, low, high, .. } => has_subquery(expr) || has_subquery(low) || has_subquery(high),
        Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. } => has_subquery(expr) || has_subquery(pattern),
        Expr::Case { operand, when_then, else_result } => {
            operand.as_deref().is_some_and(has_subquery)
                || when_then.iter().any(|(w, t)| has_subquery(w) || has_subquery(t))
                || else_result.as_deref().is_some_and(has_subquery)
        }
        Expr::Function(_) | Expr::Aggregate(_) => true, // not inspected: assume the worst
        _ => false,
    }
}

//! Rendering statements as SQLAlchemy 2.0 logs them for SQLite: `?` placeholders
//! with the parameters in order, SQLAlchemy's line breaks, labels and
//! parenthesisation (`sqlalchemy.sql.operators.is_precedent`).

use super::ast::{
    BinaryOp, Delete, Expr, FromClause, IndexDef, Insert, Join, JoinKind, OrderBy, Select, Source,
    Statement, UnaryOp, Update,
};
use super::schema::TableDef;
use super::value::Datum;

/// A statement's echo text and its parameter rows (one row unless the statement
/// is an INSERT of several rows).
#[derive(Debug, Clone, PartialEq)]
pub struct EchoSql {
    pub text: String,
    pub param_rows: Vec<Vec<Datum>>,
}

/// Renders any statement as SQLAlchemy's echo shows it.
pub fn render(statement: &Statement) -> EchoSql {
    let mut writer = Writer::default();
    match statement {
        Statement::Select(select) => writer.select(select),
        Statement::Insert(insert) => return render_insert(insert),
        Statement::Update(update) => writer.update(update),
        Statement::Delete(delete) => writer.delete(delete),
        Statement::CreateTable(table) => writer.text = create_table(table),
        Statement::CreateIndex(index) => writer.text = create_index(index),
        Statement::DropTable { name } => writer.text = format!("\nDROP TABLE {}", quote_ident(name)),
        Statement::DropIndex { name, .. } => writer.text = format!("\nDROP INDEX {}", quote_ident(name)),
    }
    EchoSql { text: writer.text, param_rows: vec![writer.params] }
}

fn render_insert(insert: &Insert) -> EchoSql {
    let table = quote_ident(&insert.table);
    let mut text = if insert.columns.is_empty() {
        format!("INSERT INTO {table} DEFAULT VALUES")
    } else {
        let columns: Vec<String> = insert.columns.iter().map(|c| quote_ident(c)).collect();
        let marks = vec!["?"; insert.columns.len()].join(", ");
        format!("INSERT INTO {table} ({}) VALUES ({marks})", columns.join(", "))
    };
    if !insert.returning.is_empty() {
        let returning: Vec<String> = insert.returning.iter().map(|c| quote_ident(c)).collect();
        text.push_str(" RETURNING ");
        text.push_str(&returning.join(", "));
    }
    EchoSql { text, param_rows: insert.rows.clone() }
}

/// SQLAlchemy's SQLite DDL: one column or constraint per tab-indented line.
pub fn create_table(table: &TableDef) -> String {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            let mut spec = format!("{} {}", quote_ident(&column.name), column.sql_type.sqlite_ddl());
            if let Some(default) = &column.server_default {
                spec.push_str(" DEFAULT ");
                spec.push_str(default);
            }
            if !column.nullable {
                spec.push_str(" NOT NULL");
            }
            spec
        })
        .collect();
    if !table.primary_key.is_empty() {
        lines.push(format!("PRIMARY KEY ({})", ident_list(&table.primary_key)));
    }
    for columns in &table.unique_constraints {
        lines.push(format!("UNIQUE ({})", ident_list(columns)));
    }
    // Column-level constraints follow in column order: UNIQUE, then FOREIGN KEY.
    for column in &table.columns {
        if column.unique && !column.index {
            lines.push(format!("UNIQUE ({})", quote_ident(&column.name)));
        }
        for fk in table.foreign_keys.iter().filter(|fk| fk.column == column.name) {
            let mut line = format!(
                "FOREIGN KEY({}) REFERENCES {} ({})",
                quote_ident(&fk.column),
                quote_ident(&fk.ref_table),
                quote_ident(&fk.ref_column)
            );
            if let Some(action) = &fk.on_delete {
                line.push_str(" ON DELETE ");
                line.push_str(action);
            }
            lines.push(line);
        }
    }
    for check in &table.checks {
        lines.push(format!("CHECK ({check})"));
    }
    format!("\nCREATE TABLE {} (\n\t{}\n)\n\n", quote_ident(&table.name), lines.join(", \n\t"))
}

pub fn create_index(index: &IndexDef) -> String {
    let unique = if index.unique { "UNIQUE " } else { "" };
    format!(
        "CREATE {unique}INDEX {} ON {} ({})",
        quote_ident(&index.name),
        quote_ident(&index.table),
        ident_list(&index.columns)
    )
}

fn ident_list(names: &[String]) -> String {
    names.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ")
}

/// SQLite reserved words SQLAlchemy quotes when used as names (a subset that
/// covers the words learners pick for tables and columns).
const RESERVED: &[&str] = &[
    "add", "all", "alter", "and", "as", "asc", "between", "by", "case", "check", "collate",
    "column", "commit", "constraint", "create", "cross", "default", "delete", "desc", "distinct",
    "drop", "else", "end", "escape", "except", "exists", "foreign", "from", "full", "group",
    "having", "in", "index", "inner", "insert", "intersect", "into", "is", "isnull", "join",
    "left", "like", "limit", "natural", "not", "notnull", "null", "offset", "on", "or", "order",
    "outer", "primary", "references", "right", "select", "set", "table", "then", "to",
    "transaction", "union", "unique", "update", "using", "values", "when", "where",
];

/// Quotes a name as SQLAlchemy's identifier preparer does: reserved words,
/// names with upper-case letters or characters outside `[a-z0-9_$]`.
pub fn quote_ident(name: &str) -> String {
    let legal = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    let starts_ok = name.chars().next().is_some_and(|c| !c.is_ascii_digit() && c != '$');
    if legal && starts_ok && !RESERVED.contains(&name) {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// SQLAlchemy's operator precedence (`operators._PRECEDENCE`).
fn binary_precedence(op: BinaryOp) -> i32 {
    match op {
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 8,
        BinaryOp::Add | BinaryOp::Sub => 7,
        BinaryOp::Concat
        | BinaryOp::Eq
        | BinaryOp::NotEq
        | BinaryOp::Lt
        | BinaryOp::LtEq
        | BinaryOp::Gt
        | BinaryOp::GtEq => 5,
        BinaryOp::And => 3,
        BinaryOp::Or => 2,
    }
}

/// Operators that never parenthesise a child using the same operator.
fn is_associative(op: BinaryOp) -> bool {
    matches!(op, BinaryOp::Add | BinaryOp::Mul | BinaryOp::Concat | BinaryOp::And | BinaryOp::Or)
}

pub(crate) fn binary_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Eq => "=",
        BinaryOp::NotEq => "!=",
        BinaryOp::Lt => "<",
        BinaryOp::LtEq => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::GtEq => ">=",
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Concat => "||",
        BinaryOp::And => "AND",
        BinaryOp::Or => "OR",
    }
}

/// The operator an expression is built on, for deciding parentheses.
#[derive(Clone, Copy, PartialEq)]
enum Against {
    /// A context that groups any operator expression (CASE WHEN, UPDATE SET values).
    Nothing,
    Binary(BinaryOp),
    /// LIKE, IN, IS, BETWEEN, NOT: precedence 5.
    Comparison,
    Neg,
    /// Function arguments, result columns, ORDER BY: never groups.
    Comma,
    /// WHERE, HAVING and ON criteria (`operators._asbool`): groups only unranked operators.
    Criterion,
    /// `startswith`/`endswith`/`contains`: operators missing from SQLAlchemy's precedence
    /// table, so any context but a column list groups them.
    Unranked,
}

impl Against {
    fn precedence(self) -> i32 {
        match self {
            Against::Nothing => i32::MAX,
            Against::Binary(op) => binary_precedence(op),
            Against::Comparison => 5,
            Against::Neg => 8,
            Against::Comma => -1,
            Against::Criterion => -10,
            Against::Unranked => -100,
        }
    }
}

/// The precedence of an expression's own operator, `None` for atoms.
fn own_operator(expr: &Expr) -> Option<Against> {
    match expr {
        Expr::Binary { op, .. } => Some(Against::Binary(*op)),
        Expr::IsNull { .. }
        | Expr::InList { .. }
        | Expr::InSelect { .. }
        | Expr::Between { .. }
        | Expr::Like { .. }
        | Expr::Unary { op: UnaryOp::Not, .. } => Some(Against::Comparison),
        Expr::Unary { op: UnaryOp::Neg, .. } => Some(Against::Neg),
        _ => None,
    }
}

/// Whether a LIKE pattern is the `'%'`-concatenation that `startswith`, `endswith` and
/// `contains` build (SQLAlchemy compiles those as their own, unranked operators).
fn is_affix_pattern(pattern: &Expr) -> bool {
    let Expr::Binary { op: BinaryOp::Concat, left, right } = pattern else { return false };
    let is_percent = |e: &Expr| matches!(e, Expr::Literal(Datum::Text(t)) if &**t == "%");
    let leftmost = std::iter::successors(Some(&**left), |e| match e {
        Expr::Binary { op: BinaryOp::Concat, left, .. } => Some(&**left),
        _ => None,
    })
    .last();
    is_percent(right) || leftmost.is_some_and(is_percent)
}

fn needs_group(expr: &Expr, against: Against) -> bool {
    if let Expr::Exists(_) = expr {
        // EXISTS has precedence 0: grouped under any operator.
        return !matches!(against, Against::Comma | Against::Criterion);
    }
    if matches!(expr, Expr::Like { pattern, .. } if is_affix_pattern(pattern)) {
        return !matches!(against, Against::Comma);
    }
    let Some(own) = own_operator(expr) else { return false };
    if let (Against::Binary(a), Against::Binary(b)) = (own, against) {
        if a == b && is_associative(a) {
            return false;
        }
    }
    own.precedence() <= against.precedence()
}

#[derive(Default)]
struct Writer {
    text: String,
    params: Vec<Datum>,
}

impl Writer {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn select(&mut self, select: &Select) {
        self.push("SELECT ");
        if select.distinct {
            self.push("DISTINCT ");
        }
        for (i, column) in select.columns.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(&column.expr, Against::Comma);
            if let Some(label) = &column.label {
                self.push(" AS ");
                self.push(&quote_ident(label));
            }
        }
        if let Some(from) = &select.from {
            self.push(" \nFROM ");
            self.from(from);
        }
        if let Some(condition) = &select.where_clause {
            self.push(" \nWHERE ");
            self.expr(condition, Against::Criterion);
        }
        if !select.group_by.is_empty() {
            self.push(" GROUP BY ");
            self.expr_list(&select.group_by);
        }
        if let Some(having) = &select.having {
            self.push(" \nHAVING ");
            self.expr(having, Against::Criterion);
        }
        if !select.order_by.is_empty() {
            self.push(" ORDER BY ");
            self.order_by(&select.order_by);
        }
        // SQLite's limit clause: OFFSET always follows, LIMIT -1 stands for "no limit".
        if select.limit.is_some() || select.offset.is_some() {
            self.push("\n LIMIT ?");
            self.params.push(Datum::Int(select.limit.unwrap_or(-1)));
            self.push(" OFFSET ?");
            self.params.push(Datum::Int(select.offset.unwrap_or(0)));
        }
    }

    fn order_by(&mut self, order_by: &[OrderBy]) {
        for (i, item) in order_by.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(&item.expr, Against::Comma);
            if item.descending {
                self.push(" DESC");
            }
        }
    }

    fn from(&mut self, from: &FromClause) {
        self.source(&from.base);
        for Join { kind, source, on } in &from.joins {
            self.push(match kind {
                JoinKind::Inner => " JOIN ",
                JoinKind::LeftOuter => " LEFT OUTER JOIN ",
                JoinKind::Cross => ", ",
            });
            self.source(source);
            if *kind != JoinKind::Cross {
                self.push(" ON ");
                self.expr(on, Against::Criterion);
            }
        }
    }

    fn source(&mut self, source: &Source) {
        match source {
            Source::Table { name, alias } => {
                self.push(&quote_ident(name));
                if let Some(alias) = alias {
                    self.push(" AS ");
                    self.push(&quote_ident(alias));
                }
            }
            Source::Subquery { select, alias } => {
                self.push("(");
                self.select(select);
                self.push(") AS ");
                self.push(&quote_ident(alias));
            }
        }
    }

    fn update(&mut self, update: &Update) {
        self.push("UPDATE ");
        self.push(&quote_ident(&update.table));
        self.push(" SET ");
        for (i, (column, value)) in update.assignments.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push(&quote_ident(column));
            self.push("=");
            self.expr(value, Against::Nothing);
        }
        if let Some(condition) = &update.where_clause {
            self.push(" WHERE ");
            self.expr(condition, Against::Criterion);
        }
        if !update.returning.is_empty() {
            let columns: Vec<String> = update.returning.iter().map(|c| quote_ident(c)).collect();
            self.push(" RETURNING ");
            self.push(&columns.join(", "));
        }
    }

    fn delete(&mut self, delete: &Delete) {
        self.push("DELETE FROM ");
        self.push(&quote_ident(&delete.table));
        if let Some(condition) = &delete.where_clause {
            self.push(" WHERE ");
            self.expr(condition, Against::Criterion);
        }
    }

    fn expr_list(&mut self, exprs: &[Expr]) {
        for (i, expr) in exprs.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(expr, Against::Comma);
        }
    }

    fn expr(&mut self, expr: &Expr, against: Against) {
        if needs_group(expr, against) {
            self.push("(");
            self.bare_expr(expr);
            self.push(")");
        } else {
            self.bare_expr(expr);
        }
    }

    fn subselect(&mut self, select: &Select) {
        self.push("(");
        self.select(select);
        self.push(")");
    }

    fn bare_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Column { table, name } => {
                if let Some(table) = table {
                    self.push(&quote_ident(table));
                    self.push(".");
                }
                self.push(&quote_ident(name));
            }
            Expr::Param(value) => {
                self.push("?");
                self.params.push(value.clone());
            }
            Expr::Literal(value) => {
                let literal = value.sqlite_literal();
                self.push(&literal);
            }
            Expr::Star => self.push("*"),
            Expr::Binary { op, left, right } => {
                self.expr(left, Against::Binary(*op));
                self.push(" ");
                self.push(binary_symbol(*op));
                self.push(" ");
                self.expr(right, Against::Binary(*op));
            }
            Expr::Unary { op: UnaryOp::Not, expr } => {
                self.push("NOT ");
                self.expr(expr, Against::Comparison);
            }
            Expr::Unary { op: UnaryOp::Neg, expr } => {
                self.push("-");
                self.expr(expr, Against::Neg);
            }
            Expr::IsNull { expr, negated } => {
                self.expr(expr, Against::Comparison);
                self.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::InList { expr, list, negated } => {
                // SQLAlchemy renders NOT IN as a negated, parenthesised IN.
                if *negated {
                    self.push("(");
                }
                self.expr(expr, Against::Comparison);
                self.push(if *negated { " NOT IN " } else { " IN " });
                if list.is_empty() {
                    self.push("(SELECT 1 FROM (SELECT 1) WHERE 1!=1)");
                } else {
                    self.push("(");
                    self.expr_list(list);
                    self.push(")");
                }
                if *negated {
                    self.push(")");
                }
            }
            Expr::InSelect { expr, select, negated } => {
                if *negated {
                    self.push("(");
                }
                self.expr(expr, Against::Comparison);
                self.push(if *negated { " NOT IN " } else { " IN " });
                self.subselect(select);
                if *negated {
                    self.push(")");
                }
            }
            Expr::Exists(select) => {
                self.push("EXISTS ");
                self.subselect(select);
            }
            Expr::Between { expr, low, high, negated } => {
                self.expr(expr, Against::Comparison);
                self.push(if *negated { " NOT BETWEEN " } else { " BETWEEN " });
                self.expr(low, Against::Comparison);
                self.push(" AND ");
                self.expr(high, Against::Comparison);
            }
            Expr::Like { expr, pattern, negated } => {
                self.expr(expr, Against::Comparison);
                self.push(if *negated { " NOT LIKE " } else { " LIKE " });
                let context = if is_affix_pattern(pattern) { Against::Unranked } else { Against::Comparison };
                self.expr(pattern, context);
            }
            Expr::Function { name, args, distinct } => {
                self.push(name);
                self.push("(");
                if *distinct {
                    self.push("DISTINCT ");
                }
                self.expr_list(args);
                self.push(")");
            }
            Expr::Case { operand, whens, else_result } => {
                self.push("CASE");
                if let Some(operand) = operand {
                    self.push(" ");
                    self.expr(operand, Against::Comma);
                }
                for (condition, result) in whens {
                    self.push(" WHEN ");
                    self.expr(condition, Against::Nothing);
                    self.push(" THEN ");
                    self.expr(result, Against::Comma);
                }
                if let Some(else_result) = else_result {
                    self.push(" ELSE ");
                    self.expr(else_result, Against::Comma);
                }
                self.push(" END");
            }
            Expr::Cast { expr, to } => {
                self.push("CAST(");
                self.expr(expr, Against::Comma);
                self.push(" AS ");
                self.push(&to.sqlite_ddl());
                self.push(")");
            }
            Expr::ScalarSubquery(select) => self.subselect(select),
            Expr::Grouping(inner) => {
                self.push("(");
                self.expr(inner, Against::Comma);
                self.push(")");
            }
        }
    }
}

/// How SQLAlchemy's log truncates one parameter's repr (`sql.util._repr_base`).
const MAX_PARAM_CHARS: usize = 300;

/// Which repr a parameter is logged with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// What sqlite3 receives after SQLAlchemy's type processing (ORM and Core statements).
    Processed,
    /// The Python object as given (`text()` parameters, which have no types).
    Python,
}

fn truncated_repr(value: &Datum, style: ParamStyle) -> String {
    let repr = match style {
        ParamStyle::Processed => value.echo_repr(),
        ParamStyle::Python => value.python_repr(),
    };
    let chars: Vec<char> = repr.chars().collect();
    if chars.len() <= MAX_PARAM_CHARS {
        return repr;
    }
    let head: String = chars[..MAX_PARAM_CHARS / 2].iter().collect();
    let tail: String = chars[chars.len() - MAX_PARAM_CHARS / 2..].iter().collect();
    format!("{head} ... ({} characters truncated) ... {tail}", chars.len() - MAX_PARAM_CHARS)
}

/// A parameter tuple as Python prints it: `()`, `('a',)`, `('a', 1)`.
pub fn param_tuple(params: &[Datum], style: ParamStyle) -> String {
    let items: Vec<String> = params.iter().map(|p| truncated_repr(p, style)).collect();
    match items.as_slice() {
        [only] => format!("({only},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// An executemany parameter list; past 10 sets SQLAlchemy shows the first 8
/// and the last 2 around a count.
pub fn param_list(rows: &[Vec<Datum>], style: ParamStyle) -> String {
    const MAX_SETS: usize = 10;
    let tuples = |rows: &[Vec<Datum>]| rows.iter().map(|r| param_tuple(r, style)).collect::<Vec<_>>().join(", ");
    if rows.len() <= MAX_SETS {
        return format!("[{}]", tuples(rows));
    }
    format!(
        "[{}  ... displaying {MAX_SETS} of {} total bound parameter sets ...  {}]",
        tuples(&rows[..MAX_SETS - 2]),
        rows.len(),
        tuples(&rows[rows.len() - 2..])
    )
}

//! Statements as data: a small, SQLite-shaped AST that the ORM builds and the
//! renderers turn into SQLAlchemy's echo text and into the GlueSQL AST that runs.

use super::schema::{SqlType, TableDef};
use super::value::Datum;

/// One statement the ORM asks the database to run.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    Select(Select),
    Insert(Insert),
    Update(Update),
    Delete(Delete),
    CreateTable(TableDef),
    /// `CREATE [UNIQUE] INDEX name ON table (columns)`.
    CreateIndex(IndexDef),
    DropTable { name: String },
    /// `DROP INDEX name`; the table is GlueSQL's to know, not shown.
    DropIndex { name: String, table: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexDef {
    pub name: String,
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Select {
    pub distinct: bool,
    pub columns: Vec<ResultColumn>,
    pub from: Option<FromClause>,
    pub where_clause: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
    pub order_by: Vec<OrderBy>,
    /// Bound as a `?` parameter, as SQLAlchemy does.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A result column: `user.id AS user_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultColumn {
    pub expr: Expr,
    pub label: Option<String>,
}

/// `FROM base JOIN ... LEFT OUTER JOIN ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct FromClause {
    pub base: Source,
    pub joins: Vec<Join>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `user` or `user AS user_1`.
    Table { name: String, alias: Option<String> },
    /// `(SELECT ...) AS anon_1`.
    Subquery { select: Box<Select>, alias: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    Inner,
    LeftOuter,
    /// Another FROM entry without a join condition: `FROM a, b`.
    Cross,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    pub kind: JoinKind,
    pub source: Source,
    pub on: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderBy {
    pub expr: Expr,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Concat,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `table.column` (table or alias qualified) or a bare name such as a label.
    Column { table: Option<String>, name: String },
    /// A bound parameter, shown as `?`.
    Param(Datum),
    /// A value written into the SQL text (`NULL`, `1` for `true()`, `0.0`).
    Literal(Datum),
    /// `*`, as in `count(*)`.
    Star,
    Binary { op: BinaryOp, left: Box<Expr>, right: Box<Expr> },
    Unary { op: UnaryOp, expr: Box<Expr> },
    IsNull { expr: Box<Expr>, negated: bool },
    /// `x IN (?, ?, ?)`; an empty list renders SQLAlchemy's empty-set form.
    InList { expr: Box<Expr>, list: Vec<Expr>, negated: bool },
    InSelect { expr: Box<Expr>, select: Box<Select>, negated: bool },
    /// `EXISTS (SELECT ...)`; `NOT EXISTS` is `Unary { Not, Exists }`.
    Exists(Box<Select>),
    Between { expr: Box<Expr>, low: Box<Expr>, high: Box<Expr>, negated: bool },
    /// SQLite's LIKE: case-insensitive for ASCII letters.
    Like { expr: Box<Expr>, pattern: Box<Expr>, negated: bool },
    /// `name(args)`; `distinct` renders `count(DISTINCT x)`.
    Function { name: String, args: Vec<Expr>, distinct: bool },
    Case { operand: Option<Box<Expr>>, whens: Vec<(Expr, Expr)>, else_result: Option<Box<Expr>> },
    Cast { expr: Box<Expr>, to: SqlType },
    ScalarSubquery(Box<Select>),
    /// Explicit parentheses where SQLAlchemy adds them beyond operator precedence.
    Grouping(Box<Expr>),
}

impl Expr {
    pub fn column(table: &str, name: &str) -> Expr {
        Expr::Column { table: Some(table.to_owned()), name: name.to_owned() }
    }

    pub fn param(value: impl Into<Datum>) -> Expr {
        Expr::Param(value.into())
    }

    pub fn binary(left: Expr, op: BinaryOp, right: Expr) -> Expr {
        Expr::Binary { op, left: Box::new(left), right: Box::new(right) }
    }

    pub fn function(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Function { name: name.to_owned(), args, distinct: false }
    }
}

/// `INSERT INTO table (columns) VALUES (...)` for one or more rows of the same shape.
///
/// The echo follows SQLAlchemy 2.0: one row is one statement; several rows with
/// `returning` are logged as insertmanyvalues (one line per row), several rows
/// without `returning` as one executemany. GlueSQL always runs one multi-row INSERT.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Datum>>,
    /// Columns named in ` RETURNING ...` (the primary key, server defaults).
    pub returning: Vec<String>,
}

/// `UPDATE table SET col=expr, ... WHERE ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub table: String,
    pub assignments: Vec<(String, Expr)>,
    pub where_clause: Option<Expr>,
    /// ` RETURNING ...` columns of the updated rows (SQLAlchemy's "fetch" synchronisation).
    pub returning: Vec<String>,
}

/// `DELETE FROM table WHERE ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    pub table: String,
    pub where_clause: Option<Expr>,
}

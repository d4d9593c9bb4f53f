//! Shared by the db_*/sql_* tests: the SQLAlchemy fixture and table builders.
#![allow(dead_code)] // each test file uses its own subset

use sqla_engine::db::Database;
use sqla_engine::sql::*;

/// A section of fixtures/sqlalchemy_echo.txt (see sqlalchemy_echo.py).
pub fn fixture(name: &str) -> String {
    let text = include_str!("../fixtures/sqlalchemy_echo.txt");
    let marker = format!("=== {name}\n");
    let start = text.find(&marker).map(|i| i + marker.len()).unwrap_or_else(|| panic!("no fixture {name}"));
    let rest = &text[start..];
    let end = rest.find("\n=== ").map_or(rest.len(), |i| i + 1);
    rest[..end].to_owned()
}

/// Replaces timings in echo lines by `X`, as the fixture script does.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let mut line = line.to_owned();
        // The number and its `s`, as the fixture script's regexes replace them.
        for start in ["[generated in ", "[cached since ", "[no key "] {
            if let Some(i) = line.find(start) {
                let from = i + start.len();
                if let Some(len) = line[from..].find('s') {
                    line.replace_range(from..=from + len, "X");
                }
            }
        }
        out.push_str(&line);
    }
    out
}

/// The echo of every event after `seq`, one per line, as SQLAlchemy's log prints it.
pub fn echo_since(db: &Database, seq: u64) -> String {
    let mut out = String::new();
    for event in db.events_since(seq) {
        out.push_str(&event.echo_text());
        out.push('\n');
    }
    normalise(&out)
}

pub fn column(name: &str, sql_type: SqlType) -> ColumnDef {
    ColumnDef::new(name, sql_type)
}

pub fn not_null(mut column: ColumnDef) -> ColumnDef {
    column.nullable = false;
    column
}

pub fn table(name: &str) -> Source {
    Source::Table { name: name.into(), alias: None }
}

pub fn from(name: &str) -> Option<FromClause> {
    Some(FromClause { base: table(name), joins: vec![] })
}

pub fn col(table: &str, name: &str) -> Expr {
    Expr::column(table, name)
}

pub fn out(expr: Expr) -> ResultColumn {
    ResultColumn { expr, label: None }
}

pub fn labelled(expr: Expr, label: &str) -> ResultColumn {
    ResultColumn { expr, label: Some(label.into()) }
}

pub fn eq(left: Expr, right: Expr) -> Expr {
    Expr::binary(left, BinaryOp::Eq, right)
}

/// The fixture's `user` table (every column type the playground maps).
pub fn fixture_user() -> TableDef {
    let mut username = not_null(column("username", SqlType::String(Some(80))));
    username.unique = true;
    let mut email = column("email", SqlType::String(Some(120)));
    email.unique = true;
    email.index = true;
    let mut nick = column("nick", SqlType::String(Some(20)));
    nick.index = true;
    let mut small = column("small", SqlType::SmallInteger);
    small.server_default = Some("'3'".into());
    TableDef::new(
        "user",
        vec![
            not_null(column("id", SqlType::Integer)),
            username,
            email,
            nick,
            column("age", SqlType::Integer),
            column("big", SqlType::BigInteger),
            small,
            column("bio", SqlType::Text),
            column("active", SqlType::Boolean),
            column("score", SqlType::Float),
            column("price", SqlType::Numeric(Some((10, 2)))),
            column("born", SqlType::Date),
            column("created", SqlType::DateTime),
            column("at", SqlType::Time),
            column("blob", SqlType::LargeBinary),
            column("data", SqlType::Json),
        ],
        &["id"],
    )
}

pub fn fixture_post() -> TableDef {
    let mut def = TableDef::new(
        "post",
        vec![
            not_null(column("id", SqlType::Integer)),
            not_null(column("title", SqlType::String(Some(120)))),
            not_null(column("user_id", SqlType::Integer)),
        ],
        &["id"],
    );
    def.foreign_keys.push(ForeignKeyDef {
        column: "user_id".into(),
        ref_table: "user".into(),
        ref_column: "id".into(),
        on_delete: Some("CASCADE".into()),
    });
    def
}

/// A small `user (id, username UNIQUE NOT NULL, age)` table, created and committed.
pub fn users_db() -> Database {
    let mut db = Database::new();
    let username = ColumnDef { unique: true, ..not_null(column("username", SqlType::String(Some(80)))) };
    let def = TableDef::new(
        "user",
        vec![not_null(column("id", SqlType::Integer)), username, column("age", SqlType::Integer)],
        &["id"],
    );
    db.execute(&Statement::CreateTable(def)).expect("create user");
    db.commit();
    db
}

pub fn insert(table: &str, columns: &[&str], rows: Vec<Vec<Datum>>) -> Statement {
    Statement::Insert(Insert {
        table: table.into(),
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows,
        returning: vec![],
    })
}

pub fn select_all(table_name: &str, columns: &[&str]) -> Select {
    Select {
        columns: columns.iter().map(|c| out(col(table_name, c))).collect(),
        from: from(table_name),
        ..Select::default()
    }
}

/// Rows of a query as datums.
pub fn rows(db: &mut Database, select: Select) -> Vec<Vec<Datum>> {
    db.execute(&Statement::Select(select)).expect("select").rows
}

pub fn sql_rows(db: &mut Database, sql: &str) -> Vec<Vec<Datum>> {
    db.execute_sql(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}")).rows
}

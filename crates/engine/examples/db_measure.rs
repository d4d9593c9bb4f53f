//! Measures the database layer natively (run with `--release`):
//! `cargo run --release -p sqla-engine --example db_measure`
//!
//! - one INSERT of N users into a table with a UNIQUE column;
//! - `SELECT ... WHERE user.username = ? LIMIT ? OFFSET ?` through our index,
//!   against the same lookup on GlueSQL's MemoryStorage (a full scan);
//! - BEGIN snapshot + ROLLBACK, and encoding/decoding the committed snapshot;
//! - UPDATE ... WHERE user.id = ? (candidate rows narrowed by the primary key);
//! - a page of rows for the UI, in key order and sorted by a column.

use std::time::Instant;

use gluesql::gluesql_memory_storage::MemoryStorage;
use gluesql::prelude::Glue;
use sqla_engine::db::Database;
use sqla_engine::sql::*;

fn users_table() -> TableDef {
    let mut id = ColumnDef::new("id", SqlType::Integer);
    id.nullable = false;
    let mut username = ColumnDef::new("username", SqlType::String(Some(80)));
    username.nullable = false;
    username.unique = true;
    TableDef::new("user", vec![id, username, ColumnDef::new("age", SqlType::Integer)], &["id"])
}

fn lookup(name: &str) -> Statement {
    Statement::Select(Select {
        columns: ["id", "username", "age"]
            .iter()
            .map(|c| ResultColumn { expr: Expr::column("user", c), label: Some(format!("user_{c}")) })
            .collect(),
        from: Some(FromClause { base: Source::Table { name: "user".into(), alias: None }, joins: vec![] }),
        where_clause: Some(Expr::binary(Expr::column("user", "username"), BinaryOp::Eq, Expr::param(name))),
        limit: Some(1),
        offset: Some(0),
        ..Select::default()
    })
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn measure(n: i64) {
    let mut db = Database::new();
    db.execute(&Statement::CreateTable(users_table())).expect("create");
    db.commit();
    let rows: Vec<Vec<Datum>> = (0..n).map(|i| vec![Datum::Text(format!("user{i}")), Datum::Int(i % 90)]).collect();
    let insert = Statement::Insert(Insert { table: "user".into(), columns: vec!["username".into(), "age".into()], rows, returning: vec!["id".into()] });
    let t = Instant::now();
    db.execute(&insert).expect("insert");
    let insert_ms = ms(t);
    let t = Instant::now();
    db.commit();
    let commit_ms = ms(t);

    let lookups: i32 = 200;
    let scans_before = db.access_stats().full_scans.get();
    let t = Instant::now();
    for i in 0..i64::from(lookups) {
        db.execute(&lookup(&format!("user{}", (i * 37) % n))).expect("lookup");
    }
    let indexed_ms = ms(t) / f64::from(lookups);
    let scans = db.access_stats().full_scans.get() - scans_before;

    let t = Instant::now();
    db.begin();
    let begin_ms = ms(t);
    let update = Statement::Update(Update {
        table: "user".into(),
        assignments: vec![("age".into(), Expr::param(Datum::Int(1)))],
        where_clause: Some(Expr::binary(Expr::column("user", "id"), BinaryOp::Eq, Expr::param(Datum::Int(n / 2)))),
        returning: vec![],
    });
    let t = Instant::now();
    db.execute(&update).expect("update");
    let update_ms = ms(t);
    let t = Instant::now();
    db.rollback();
    let rollback_ms = ms(t);

    let t = Instant::now();
    let page = db.rows_page("user", (n / 2) as usize, 50, None).map_or(0, |p| p.rows.len());
    let page_ms = ms(t);
    let t = Instant::now();
    let sorted = db.rows_page("user", (n / 2) as usize, 50, Some(("age", true))).map_or(0, |p| p.rows.len());
    let sorted_ms = ms(t);

    let t = Instant::now();
    let bytes = db.encode_committed();
    let encode_ms = ms(t);
    let t = Instant::now();
    let mut restored = Database::new();
    restored.restore(&bytes).expect("restore");
    let decode_ms = ms(t);

    // The same lookup on GlueSQL's MemoryStorage, which has no index support.
    let mut glue = Glue::new(MemoryStorage::default());
    glue.execute("CREATE TABLE user (id INT PRIMARY KEY, username TEXT, age INT)").expect("create");
    let values: Vec<String> = (0..n).map(|i| format!("({i}, 'user{i}', {})", i % 90)).collect();
    glue.execute(format!("INSERT INTO user VALUES {}", values.join(", "))).expect("insert");
    let glue_lookups: i32 = 20;
    let t = Instant::now();
    for i in 0..i64::from(glue_lookups) {
        glue.execute(format!("SELECT * FROM user WHERE \"user\".username = 'user{}' LIMIT 1", (i * 37) % n)).expect("select");
    }
    let scan_ms = ms(t) / f64::from(glue_lookups);

    println!("rows={n}");
    println!("  insert {n} rows (UNIQUE column, one INSERT): {insert_ms:.1} ms, commit {commit_ms:.3} ms");
    println!("  lookup by username: {indexed_ms:.3} ms with our index ({scans} full scans in {lookups} lookups); {scan_ms:.3} ms on MemoryStorage (full scan)");
    println!("  BEGIN snapshot {begin_ms:.3} ms, UPDATE by id {update_ms:.3} ms, ROLLBACK {rollback_ms:.3} ms");
    println!("  UI page of {page} rows mid-table: {page_ms:.3} ms; sorted by age: {sorted_ms:.1} ms ({sorted} rows)");
    println!("  snapshot encode {encode_ms:.1} ms, decode+rebuild {decode_ms:.1} ms, {} bytes", bytes.len());
}

/// Row counts to measure: the arguments, or 10,000 and 100,000.
fn main() {
    let sizes: Vec<i64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![10_000, 100_000] } else { sizes };
    for n in sizes {
        measure(n);
    }
}

//! Equality lookups on primary keys, UNIQUE and `index=True` columns go
//! through an index: asserted with the storage's access counters, not timing.

mod db_support;

use db_support::*;
use sqla_engine::db::Database;
use sqla_engine::sql::*;

fn populated() -> Database {
    let mut db = users_db();
    db.execute(&Statement::CreateIndex(IndexDef { name: "ix_user_age".into(), table: "user".into(), columns: vec!["age".into()], unique: false }))
        .expect("index");
    let rows = (0..200).map(|i| vec![Datum::Text(format!("user{i}")), if i % 10 == 0 { Datum::Null } else { Datum::Int(i % 7) }]).collect();
    db.execute(&insert("user", &["username", "age"], rows)).expect("rows");
    db.commit();
    db
}

fn full_scans(db: &Database) -> u64 {
    db.access_stats().full_scans.get()
}

fn by(db: &mut Database, column: &str, value: Expr) -> Vec<Vec<Datum>> {
    let select = Select {
        where_clause: Some(eq(col("user", column), value)),
        limit: Some(1),
        offset: Some(0),
        ..select_all("user", &["id", "username", "age"])
    };
    rows(db, select)
}

#[test]
fn lookups_by_unique_primary_key_and_indexed_columns_do_not_scan() {
    let mut db = populated();
    let scans = full_scans(&db);
    let lookups = db.access_stats().index_lookups.get();
    assert_eq!(by(&mut db, "username", Expr::param("user42")), vec![vec![Datum::Int(43), Datum::from("user42"), Datum::Int(0)]]);
    assert_eq!(by(&mut db, "id", Expr::param(Datum::Int(7))).len(), 1);
    assert_eq!(by(&mut db, "age", Expr::param(Datum::Int(3))).len(), 1);
    assert_eq!(sql_rows(&mut db, "SELECT id FROM user WHERE username = 'user5'"), vec![vec![Datum::Int(6)]]);
    let found = db.execute_text("SELECT id FROM user WHERE user.username = :name", &[("name".into(), "user9".into())]).expect("text");
    assert_eq!(found.rows, vec![vec![Datum::Int(10)]]);
    assert_eq!(full_scans(&db), scans, "no full scan");
    assert!(db.access_stats().index_lookups.get() >= lookups + 5);
}

#[test]
fn index_scans_answer_exactly_like_a_scan() {
    let mut db = populated();
    let count = |db: &mut Database, sql: &str| sql_rows(db, sql).len();
    assert_eq!(count(&mut db, "SELECT id FROM user WHERE age IS NULL"), 20);
    // Counted in Python: sum(1 for i in range(200) if i % 10 and i % 7 > 4)
    assert_eq!(count(&mut db, "SELECT id FROM user WHERE age > 4"), 50);
    assert_eq!(count(&mut db, "SELECT id FROM user WHERE age = 2.0"), 26, "a float compared with an integer column");
}

#[test]
fn updates_and_deletes_by_key_do_not_scan() {
    let mut db = populated();
    let scans = full_scans(&db);
    let update = Statement::Update(Update {
        table: "user".into(),
        assignments: vec![("age".into(), Expr::param(Datum::Int(99)))],
        where_clause: Some(eq(col("user", "id"), Expr::param(Datum::Int(5)))),
        returning: vec![],
    });
    assert_eq!(db.execute(&update).map(|r| r.rows_affected), Ok(1));
    let delete = Statement::Delete(Delete { table: "user".into(), where_clause: Some(eq(col("user", "username"), Expr::param("user7"))) });
    assert_eq!(db.execute(&delete).map(|r| r.rows_affected), Ok(1));
    assert_eq!(full_scans(&db), scans);
    assert_eq!(by(&mut db, "id", Expr::param(Datum::Int(5))), vec![vec![Datum::Int(5), Datum::from("user4"), Datum::Int(99)]]);
}

#[test]
fn columns_without_an_index_are_scanned() {
    let mut db = users_db();
    db.execute(&insert("user", &["username", "age"], vec![vec!["a".into(), Datum::Int(1)]])).expect("row");
    db.execute_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)", &[]).expect("note");
    let scans = full_scans(&db);
    sql_rows(&mut db, "SELECT id FROM note WHERE body = 'x'");
    assert_eq!(full_scans(&db), scans + 1);
}

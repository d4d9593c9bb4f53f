//! SQLAlchemy 2.0's connection behaviour: implicit BEGIN, COMMIT, ROLLBACK that
//! really restores data and tables, savepoints, atomic statements.

mod db_support;

use db_support::*;
use sqla_engine::db::{DbErrorKind, EventKind};
use sqla_engine::sql::*;

fn names(db: &mut sqla_engine::db::Database) -> Vec<Vec<Datum>> {
    rows(db, Select { order_by: vec![OrderBy { expr: col("user", "id"), descending: false }], ..select_all("user", &["username"]) })
}

#[test]
fn statements_begin_implicitly_and_commit_or_rollback_only_an_open_transaction() {
    let mut db = users_db();
    let mark = db.last_event_seq();
    db.commit();
    db.rollback();
    assert_eq!(echo_since(&db, mark), "", "nothing to commit or roll back: nothing logged");
    db.execute(&insert("user", &["username"], vec![vec!["a".into()]])).expect("insert");
    db.execute(&insert("user", &["username"], vec![vec!["b".into()]])).expect("insert");
    db.commit();
    let kinds: Vec<EventKind> = db.events_since(mark).iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Begin, EventKind::Insert, EventKind::Insert, EventKind::Commit]);
    assert_eq!(db.events_since(mark)[0].echo_text(), "BEGIN (implicit)");
    assert!(!db.in_transaction());
}

#[test]
fn rollback_restores_rows_and_tables() {
    let mut db = users_db();
    db.execute(&insert("user", &["username"], vec![vec!["kept".into()], vec!["changed".into()]])).expect("insert");
    db.commit();

    db.execute(&insert("user", &["username"], vec![vec!["new".into()]])).expect("insert");
    db.execute_sql("UPDATE user SET username = 'renamed' WHERE id = 2", &[]).expect("update");
    db.execute_sql("DELETE FROM user WHERE id = 1", &[]).expect("delete");
    db.execute(&Statement::CreateTable(TableDef::new("extra", vec![not_null(column("id", SqlType::Integer))], &["id"])))
        .expect("create");
    db.execute(&Statement::DropTable { name: "user".into() }).expect("drop");
    assert!(!db.has_table("user"));
    db.rollback();

    assert!(db.has_table("user"));
    assert!(!db.has_table("extra"));
    assert_eq!(names(&mut db), vec![vec![Datum::from("kept")], vec![Datum::from("changed")]]);
}

#[test]
fn savepoints_nest_and_roll_back_to_their_state() {
    let mut db = users_db();
    db.execute(&insert("user", &["username"], vec![vec!["base".into()]])).expect("insert");
    let outer = db.savepoint();
    db.execute(&insert("user", &["username"], vec![vec!["in outer".into()]])).expect("insert");
    let inner = db.savepoint();
    assert_eq!((outer.as_str(), inner.as_str()), ("sa_savepoint_1", "sa_savepoint_2"));
    db.execute(&insert("user", &["username"], vec![vec!["in inner".into()]])).expect("insert");
    db.rollback_to_savepoint(&inner).expect("rollback to inner");
    assert_eq!(names(&mut db).len(), 2);
    db.release_savepoint(&outer).expect("release outer");
    let error = db.rollback_to_savepoint(&inner).expect_err("released with its parent");
    assert_eq!((error.kind, error.message.as_str()), (DbErrorKind::OperationalError, "no such savepoint: sa_savepoint_2"));
    db.commit();
    assert_eq!(names(&mut db), vec![vec![Datum::from("base")], vec![Datum::from("in outer")]]);
}

#[test]
fn a_failed_statement_changes_nothing_and_leaves_the_transaction_open() {
    let mut db = users_db();
    db.execute(&insert("user", &["username"], vec![vec!["a".into()]])).expect("insert");
    let error = db
        .execute(&insert("user", &["username"], vec![vec!["b".into()], vec!["c".into()], vec!["a".into()]]))
        .expect_err("third row duplicates");
    assert_eq!(error.message, "UNIQUE constraint failed: user.username");
    assert!(db.in_transaction());
    assert_eq!(names(&mut db), vec![vec![Datum::from("a")]]);
}

#[test]
fn each_transaction_gets_its_own_number() {
    let mut db = users_db();
    db.execute_sql("SELECT 1", &[]).expect("select");
    db.rollback();
    db.execute_sql("SELECT 2", &[]).expect("select");
    let numbers: Vec<Option<u64>> = db.events_since(0).iter().map(|e| e.transaction).collect();
    assert_eq!(numbers.first(), Some(&Some(1)));
    assert_eq!(numbers.last(), Some(&Some(3)));
}

//! Primary keys assigned as SQLite assigns them and reported in row order.

mod db_support;

use db_support::*;
use sqla_engine::db::DbErrorKind;
use sqla_engine::sql::*;

fn keys(result: &sqla_engine::db::StatementResult) -> Vec<i64> {
    result
        .inserted_primary_keys
        .iter()
        .map(|k| match k.as_slice() {
            [Datum::Int(i)] => *i,
            other => panic!("unexpected key {other:?}"),
        })
        .collect()
}

#[test]
fn integer_primary_keys_are_max_plus_one_around_explicit_ids() {
    let mut db = users_db();
    let first = db.execute(&insert("user", &["username"], vec![vec!["a".into()], vec!["b".into()]])).expect("insert");
    assert_eq!(keys(&first), [1, 2]);
    let mixed = insert(
        "user",
        &["id", "username"],
        vec![vec![Datum::Null, "c".into()], vec![Datum::Int(10), "d".into()], vec![Datum::Null, "e".into()]],
    );
    assert_eq!(keys(&db.execute(&mixed).expect("mixed")), [3, 10, 11]);
    db.execute_sql("DELETE FROM user WHERE id = 11", &[]).expect("delete");
    // Without AUTOINCREMENT SQLite reuses the largest id once it is gone.
    assert_eq!(keys(&db.execute(&insert("user", &["username"], vec![vec!["f".into()]])).expect("insert")), [11]);
    let raw = db.execute_sql("INSERT INTO user (username) VALUES ('g')", &[]).expect("raw insert");
    assert_eq!(keys(&raw), [12]);
}

#[test]
fn only_an_integer_primary_key_is_assigned_automatically() {
    let mut db = sqla_engine::db::Database::new();
    let def = TableDef::new("big", vec![not_null(column("id", SqlType::BigInteger)), column("x", SqlType::Integer)], &["id"]);
    db.execute(&Statement::CreateTable(def)).expect("create");
    let error = db.execute(&insert("big", &["x"], vec![vec![Datum::Int(1)]])).expect_err("BIGINT is no rowid alias");
    assert_eq!((error.kind, error.message.as_str()), (DbErrorKind::IntegrityError, "NOT NULL constraint failed: big.id"));
}

#[test]
fn tables_without_primary_key_and_with_composite_keys_report_their_keys() {
    let mut db = sqla_engine::db::Database::new();
    let plain = TableDef::new("memberships", vec![column("user_id", SqlType::Integer), column("group_id", SqlType::Integer)], &[]);
    db.execute(&Statement::CreateTable(plain)).expect("create");
    let rows = vec![vec![Datum::Int(1), Datum::Int(2)], vec![Datum::Int(1), Datum::Int(3)]];
    assert_eq!(keys(&db.execute(&insert("memberships", &["user_id", "group_id"], rows)).expect("insert")), [1, 2]);

    let tags = TableDef::new(
        "tags",
        vec![not_null(column("post_id", SqlType::Integer)), not_null(column("tag", SqlType::String(Some(10))))],
        &["post_id", "tag"],
    );
    db.execute(&Statement::CreateTable(tags)).expect("create");
    let result = db.execute(&insert("tags", &["post_id", "tag"], vec![vec![Datum::Int(7), "rust".into()]])).expect("insert");
    assert_eq!(result.inserted_primary_keys, vec![vec![Datum::Int(7), Datum::from("rust")]]);
}

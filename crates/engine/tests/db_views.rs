//! What the UI reads: tables, pages of rows with their changes, the SQL dump.

mod db_support;

use db_support::*;
use sqla_engine::db::{Database, RowChange};
use sqla_engine::sql::*;

fn people() -> Database {
    let mut db = users_db();
    let rows = vec![vec!["cy".into(), Datum::Int(30)], vec!["al".into(), Datum::Null], vec!["bo".into(), Datum::Int(20)]];
    db.execute(&insert("user", &["username", "age"], rows)).expect("rows");
    db.commit();
    db
}

#[test]
fn tables_describe_their_columns() {
    let db = people();
    let tables = db.table_views();
    assert_eq!(tables.len(), 1);
    let user = &tables[0];
    assert_eq!((user.name.as_str(), user.row_count), ("user", 3));
    let id = &user.columns[0];
    assert!(id.primary_key && !id.nullable);
    let username = &user.columns[1];
    assert_eq!((username.sql_type.as_str(), username.unique, username.nullable), ("VARCHAR(80)", true, false));
}

#[test]
fn pages_are_sorted_as_sqlite_sorts_and_mark_changes() {
    let mut db = people();
    let page = db.rows_page("user", 0, 2, Some(("age", false))).expect("page");
    assert_eq!(page.total, 3);
    let keys: Vec<Datum> = page.rows.iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys, [Datum::Int(2), Datum::Int(3)], "NULL age first");
    let page = db.rows_page("user", 1, 10, None).expect("page");
    assert_eq!(page.rows.iter().map(|r| r.values[1].clone()).collect::<Vec<_>>(), [Datum::from("al"), Datum::from("bo")]);

    db.execute_sql("UPDATE user SET age = 31 WHERE id = 1", &[]).expect("update");
    db.execute_sql("DELETE FROM user WHERE id = 2", &[]).expect("delete");
    db.execute(&insert("user", &["username"], vec![vec!["di".into()]])).expect("insert");
    let changes: Vec<RowChange> = db.rows_page("user", 0, 10, None).expect("page").rows.iter().map(|r| r.change).collect();
    assert_eq!(changes, [RowChange::Updated, RowChange::Unchanged, RowChange::Inserted]);
    let deleted = db.deleted_rows("user");
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].values[1], Datum::from("al"));
    db.commit();
    assert!(db.rows_page("user", 0, 10, None).expect("page").rows.iter().all(|r| r.change == RowChange::Unchanged));
    assert!(db.rows_page("nope", 0, 10, None).is_none());
    assert!(db.rows_page("user", 0, 10, Some(("nope", false))).is_none());
}

#[test]
fn dump_writes_committed_tables_as_sqlite_sql() {
    let mut db = people();
    db.execute(&insert("user", &["username"], vec![vec!["pending".into()]])).expect("uncommitted");
    assert_eq!(
        db.dump(),
        "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE user (\n\tid INTEGER NOT NULL, \n\tusername VARCHAR(80) NOT NULL, \n\tage INTEGER, \n\tPRIMARY KEY (id), \n\tUNIQUE (username)\n);\nINSERT INTO user VALUES(1,'cy',30);\nINSERT INTO user VALUES(2,'al',NULL);\nINSERT INTO user VALUES(3,'bo',20);\nCOMMIT;\n"
    );
}

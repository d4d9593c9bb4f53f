//! SQL text: `text()` with `:name` parameters, console statements, PRAGMAs.

mod db_support;

use db_support::*;
use sqla_engine::db::DbErrorKind;
use sqla_engine::sql::*;

#[test]
fn named_parameters_bind_in_order() {
    let mut db = users_db();
    db.execute(&insert("user", &["username", "age"], vec![vec!["ann".into(), Datum::Int(30)], vec!["bob".into(), Datum::Int(40)]]))
        .expect("rows");
    let params = [("min".to_owned(), Datum::Int(35)), ("name".to_owned(), Datum::from("ann"))];
    let result = db.execute_text("SELECT username FROM user WHERE age > :min OR username = :name ORDER BY id", &params).expect("text");
    assert_eq!(result.columns, ["username"]);
    assert_eq!(result.rows, vec![vec![Datum::from("ann")], vec![Datum::from("bob")]]);
    let error = db.execute_text("SELECT :missing", &[]).expect_err("unbound");
    assert_eq!(error.message, "A value is required for bind parameter 'missing'");
}

#[test]
fn console_sql_reports_sqlite_errors() {
    let mut db = users_db();
    let cases = [
        ("selec 1", DbErrorKind::OperationalError, "near \"selec\": syntax error"),
        ("SELECT * FROM", DbErrorKind::OperationalError, "incomplete input"),
        ("SELECT * FROM nope", DbErrorKind::OperationalError, "no such table: nope"),
        ("SELECT nope FROM user", DbErrorKind::OperationalError, "no such column: nope"),
        ("SELECT user.nope FROM user", DbErrorKind::OperationalError, "no such column: user.nope"),
        ("CREATE TABLE user (id INTEGER)", DbErrorKind::OperationalError, "table user already exists"),
        ("SELECT 1; SELECT 2", DbErrorKind::ProgrammingError, "You can only execute one statement at a time."),
    ];
    for (sql, kind, message) in cases {
        let error = db.execute_sql(sql, &[]).expect_err(sql);
        assert_eq!((error.kind, error.message.as_str()), (kind, message), "{sql}");
    }
    assert_eq!(sql_rows(&mut db, "SELECT user.id FROM user"), Vec::<Vec<Datum>>::new(), "`user.` parses");
}

#[test]
fn pragmas_for_foreign_keys_and_table_info() {
    let mut db = users_db();
    assert_eq!(sql_rows(&mut db, "PRAGMA foreign_keys"), vec![vec![Datum::Int(0)]]);
    db.execute_sql("PRAGMA foreign_keys = ON", &[]).expect("on");
    assert!(db.foreign_keys_enabled());
    assert_eq!(sql_rows(&mut db, "PRAGMA foreign_keys"), vec![vec![Datum::Int(1)]]);
    let info = db.execute_sql("PRAGMA table_info(\"user\")", &[]).expect("table_info");
    assert_eq!(info.columns, ["cid", "name", "type", "notnull", "dflt_value", "pk"]);
    assert_eq!(info.rows[1], vec![Datum::Int(1), "username".into(), "VARCHAR(80)".into(), Datum::Int(1), Datum::Null, Datum::Int(0)]);
    let error = db.execute_sql("PRAGMA journal_mode=WAL", &[]).expect_err("unsupported");
    assert_eq!(error.kind, DbErrorKind::NotSupportedError);
    assert!(error.message.starts_with("PRAGMA journal_mode is not supported by the playground's database (GlueSQL)"), "{}", error.message);
}

#[test]
fn typed_transaction_statements_drive_the_transaction() {
    let mut db = users_db();
    db.execute_sql("INSERT INTO user (username) VALUES ('a')", &[]).expect("insert");
    db.execute_sql("ROLLBACK", &[]).expect("rollback");
    assert!(sql_rows(&mut db, "SELECT * FROM user").is_empty());
    db.execute_sql("INSERT INTO user (username) VALUES ('b')", &[]).expect("insert");
    db.execute_sql("COMMIT;", &[]).expect("commit");
    db.execute_sql("BEGIN", &[]).expect("begin");
    db.rollback();
    assert_eq!(sql_rows(&mut db, "SELECT username FROM user"), vec![vec![Datum::from("b")]]);
}

#[test]
fn alter_table_adds_renames_and_drops_columns() {
    let mut db = users_db();
    db.execute(&insert("user", &["username"], vec![vec!["ann".into()]])).expect("row");
    db.execute_sql("ALTER TABLE user ADD COLUMN nick TEXT DEFAULT 'x'", &[]).expect("add");
    db.execute_sql("ALTER TABLE user RENAME COLUMN nick TO handle", &[]).expect("rename");
    assert_eq!(sql_rows(&mut db, "SELECT handle FROM user"), vec![vec![Datum::from("x")]]);
    db.execute_sql("ALTER TABLE user DROP COLUMN handle", &[]).expect("drop");
    assert_eq!(sql_rows(&mut db, "SELECT * FROM user"), vec![vec![Datum::Int(1), Datum::from("ann"), Datum::Null]]);
    // SQLite's messages (python3's sqlite3 3.40).
    let refusals = [
        ("ALTER TABLE user DROP COLUMN username", "error in table user after drop column: no such column: username"),
        ("ALTER TABLE user DROP COLUMN id", "cannot drop PRIMARY KEY column: \"id\""),
        ("ALTER TABLE user RENAME COLUMN nope TO x", "no such column: \"nope\""),
    ];
    for (sql, message) in refusals {
        assert_eq!(db.execute_sql(sql, &[]).expect_err(sql).message, message);
    }
    let error = db.execute_sql("ALTER TABLE user ADD COLUMN age INTEGER", &[]).expect_err("exists");
    assert_eq!(error.message, "duplicate column name: age");
}

#[test]
fn indexes_are_created_and_dropped() {
    let mut db = users_db();
    let index = IndexDef { name: "ix_user_age".into(), table: "user".into(), columns: vec!["age".into()], unique: true };
    db.execute(&Statement::CreateIndex(index)).expect("create index");
    assert!(db.table_views()[0].columns[2].indexed);
    db.execute(&insert("user", &["username", "age"], vec![vec!["a".into(), Datum::Int(1)]])).expect("row");
    let error = db.execute(&insert("user", &["username", "age"], vec![vec!["b".into(), Datum::Int(1)]])).expect_err("unique index");
    assert_eq!(error.message, "UNIQUE constraint failed: user.age");
    let drop = Statement::DropIndex { name: "ix_user_age".into(), table: "user".into() };
    assert_eq!(echo::render(&drop).text, "\nDROP INDEX ix_user_age");
    db.execute(&drop).expect("drop index");
    assert!(!db.table_views()[0].columns[2].indexed);
    db.execute(&insert("user", &["username", "age"], vec![vec!["b".into(), Datum::Int(1)]])).expect("no longer unique");
    assert_eq!(db.execute(&drop).expect_err("gone").message, "no such index: ix_user_age");
    let error = db.execute_sql("DROP INDEX sqlite_autoindex_user_1", &[]).expect_err("constraint index");
    assert_eq!(error.message, "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped");
    db.execute(&Statement::CreateIndex(IndexDef { name: "ix_user_age".into(), table: "user".into(), columns: vec!["age".into()], unique: false }))
        .expect("again");
    db.execute_sql("DROP INDEX ix_user_age", &[]).expect("SQLite's DROP INDEX form");
    assert_eq!(db.execute_sql("DROP INDEX ix_user_age", &[]).expect_err("gone").message, "no such index: ix_user_age");
}

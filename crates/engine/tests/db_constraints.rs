//! Constraint errors with SQLite's messages, enforced by our storage.

mod db_support;

use db_support::*;
use sqla_engine::db::{Database, DbErrorKind};
use sqla_engine::sql::*;

fn integrity(db: &mut Database, statement: &Statement) -> String {
    let error = db.execute(statement).expect_err("constraint");
    assert_eq!(error.kind, DbErrorKind::IntegrityError, "{}", error.message);
    error.message
}

/// user (from users_db) and post(user_id → user.id, ON DELETE given).
fn blog(on_delete: Option<&str>) -> Database {
    let mut db = users_db();
    let mut post = TableDef::new(
        "post",
        vec![not_null(column("id", SqlType::Integer)), column("user_id", SqlType::Integer)],
        &["id"],
    );
    post.foreign_keys.push(ForeignKeyDef {
        column: "user_id".into(),
        ref_table: "user".into(),
        ref_column: "id".into(),
        on_delete: on_delete.map(str::to_owned),
    });
    db.execute(&Statement::CreateTable(post)).expect("create post");
    db.execute(&insert("user", &["username"], vec![vec!["ann".into()]])).expect("user");
    db.execute(&insert("post", &["user_id"], vec![vec![Datum::Int(1)], vec![Datum::Int(1)]])).expect("posts");
    db.commit();
    db
}

#[test]
fn unique_and_not_null_fail_with_sqlite_messages() {
    let mut db = users_db();
    db.execute(&insert("user", &["username"], vec![vec!["john".into()]])).expect("insert");
    assert_eq!(integrity(&mut db, &insert("user", &["username"], vec![vec!["john".into()]])), "UNIQUE constraint failed: user.username");
    assert_eq!(integrity(&mut db, &insert("user", &["username"], vec![vec![Datum::Null]])), "NOT NULL constraint failed: user.username");
    assert_eq!(integrity(&mut db, &insert("user", &["age"], vec![vec![Datum::Int(3)]])), "NOT NULL constraint failed: user.username");
    db.execute(&insert("user", &["username"], vec![vec!["jane".into()]])).expect("insert");
    let rename = Statement::Update(Update {
        table: "user".into(),
        assignments: vec![("username".into(), Expr::param("john"))],
        where_clause: Some(eq(col("user", "id"), Expr::param(Datum::Int(2)))),
        returning: vec![],
    });
    assert_eq!(integrity(&mut db, &rename), "UNIQUE constraint failed: user.username");
}

#[test]
fn duplicate_primary_keys_in_one_insert_fail_instead_of_keeping_the_last_row() {
    let mut db = users_db();
    let rows = vec![vec![Datum::Int(1), "a".into()], vec![Datum::Int(1), "b".into()]];
    assert_eq!(integrity(&mut db, &insert("user", &["id", "username"], rows)), "UNIQUE constraint failed: user.id");
    assert!(sql_rows(&mut db, "SELECT * FROM user").is_empty());
}

#[test]
fn unique_columns_accept_repeated_nulls() {
    let mut db = Database::new();
    let email = ColumnDef { unique: true, ..column("email", SqlType::String(None)) };
    db.execute(&Statement::CreateTable(TableDef::new("person", vec![not_null(column("id", SqlType::Integer)), email], &["id"])))
        .expect("create");
    db.execute(&insert("person", &["email"], vec![vec![Datum::Null], vec![Datum::Null]])).expect("two NULL emails");
}

#[test]
fn composite_keys_and_unique_constraints_are_enforced() {
    let mut db = Database::new();
    let mut tags = TableDef::new(
        "tags",
        vec![not_null(column("post_id", SqlType::Integer)), not_null(column("tag", SqlType::String(Some(10)))), column("a", SqlType::Integer), column("b", SqlType::Integer)],
        &["post_id", "tag"],
    );
    tags.unique_constraints.push(vec!["a".into(), "b".into()]);
    db.execute(&Statement::CreateTable(tags)).expect("create");
    let row = |post: i64, tag: &str, a: i64| vec![Datum::Int(post), tag.into(), Datum::Int(a), Datum::Int(1)];
    let columns = ["post_id", "tag", "a", "b"];
    db.execute(&insert("tags", &columns, vec![row(1, "x", 1), row(1, "y", 2)])).expect("distinct keys");
    assert_eq!(integrity(&mut db, &insert("tags", &columns, vec![row(1, "x", 3)])), "UNIQUE constraint failed: tags.post_id, tags.tag");
    assert_eq!(integrity(&mut db, &insert("tags", &columns, vec![row(2, "x", 1)])), "UNIQUE constraint failed: tags.a, tags.b");
}

#[test]
fn check_constraints_are_refused_clearly() {
    let mut db = Database::new();
    let mut def = TableDef::new("t", vec![not_null(column("id", SqlType::Integer))], &["id"]);
    def.checks.push("id > 0".into());
    let error = db.execute(&Statement::CreateTable(def)).expect_err("CHECK");
    assert_eq!(error.kind, DbErrorKind::NotSupportedError);
    assert_eq!(error.message, "CHECK (id > 0) on table t is not supported by the playground's database (GlueSQL)");
}

#[test]
fn foreign_keys_are_not_enforced_until_the_pragma_turns_them_on() {
    let mut db = blog(None);
    db.execute(&insert("post", &["user_id"], vec![vec![Datum::Int(99)]])).expect("SQLite's default: not enforced");
    db.execute_sql("DELETE FROM user WHERE id = 1", &[]).expect("not enforced");
    db.rollback();

    db.execute_sql("PRAGMA foreign_keys=ON", &[]).expect("pragma");
    assert_eq!(integrity(&mut db, &insert("post", &["user_id"], vec![vec![Datum::Int(99)]])), "FOREIGN KEY constraint failed");
    let delete = Statement::Delete(Delete { table: "user".into(), where_clause: Some(eq(col("user", "id"), Expr::param(Datum::Int(1)))) });
    assert_eq!(integrity(&mut db, &delete), "FOREIGN KEY constraint failed");
    db.execute(&insert("post", &["user_id"], vec![vec![Datum::Null]])).expect("NULL references nothing");
}

#[test]
fn on_delete_cascade_and_set_null_apply_when_foreign_keys_are_on() {
    let mut db = blog(Some("CASCADE"));
    db.execute_sql("PRAGMA foreign_keys=ON", &[]).expect("pragma");
    db.execute_sql("DELETE FROM user WHERE id = 1", &[]).expect("cascade");
    assert!(sql_rows(&mut db, "SELECT * FROM post").is_empty());

    let mut db = blog(Some("SET NULL"));
    db.set_foreign_keys(true);
    db.execute_sql("DELETE FROM user WHERE id = 1", &[]).expect("set null");
    assert_eq!(sql_rows(&mut db, "SELECT user_id FROM post"), vec![vec![Datum::Null], vec![Datum::Null]]);
}

#[test]
fn errors_carry_the_statement_and_sqlalchemy_wording() {
    let mut db = users_db();
    db.execute(&insert("user", &["username"], vec![vec!["John".into()]])).expect("insert");
    let error = db.execute(&insert("user", &["username"], vec![vec!["John".into()]])).expect_err("duplicate");
    assert_eq!(
        error.sqlalchemy_message(),
        "(sqlite3.IntegrityError) UNIQUE constraint failed: user.username\n[SQL: INSERT INTO user (username) VALUES (?)]\n[parameters: ('John',)]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)"
    );
}

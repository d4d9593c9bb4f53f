//! Where GlueSQL silently differs from SQLite, the db layer gives SQLite's answer
//! (or refuses clearly).

mod db_support;

use db_support::*;
use sqla_engine::db::{Database, DbErrorKind};
use sqla_engine::sql::*;

fn numbers_db() -> Database {
    let mut db = Database::new();
    let def = TableDef::new(
        "n",
        vec![not_null(column("id", SqlType::Integer)), column("i", SqlType::Integer), column("f", SqlType::Float), column("s", SqlType::String(None))],
        &["id"],
    );
    db.execute(&Statement::CreateTable(def)).expect("create");
    let rows = vec![
        vec![Datum::Int(3), Datum::Float(2.5), "apple".into()],
        vec![Datum::Null, Datum::Null, Datum::Null],
        vec![Datum::Int(7), Datum::Float(0.5), "Banana".into()],
    ];
    db.execute(&insert("n", &["i", "f", "s"], rows)).expect("rows");
    db
}

#[test]
fn arithmetic_follows_sqlite_types() {
    let mut db = numbers_db();
    assert_eq!(
        sql_rows(&mut db, "SELECT i * f, f * i, i / 2, 7 / 2, 7 / 2.0, 1 / 0, i % 0, i + 0.5 FROM n WHERE id = 1"),
        vec![vec![Datum::Float(7.5), Datum::Float(7.5), Datum::Int(1), Datum::Int(3), Datum::Float(3.5), Datum::Null, Datum::Null, Datum::Float(3.5)]]
    );
    let product = Select {
        columns: vec![out(Expr::binary(col("n", "i"), BinaryOp::Mul, col("n", "f")))],
        from: from("n"),
        where_clause: Some(eq(col("n", "id"), Expr::param(Datum::Int(3)))),
        ..Select::default()
    };
    assert_eq!(rows(&mut db, product), vec![vec![Datum::Float(3.5)]]);
    assert_eq!(sql_rows(&mut db, "SELECT avg(i) FROM n"), vec![vec![Datum::Float(5.0)]]);
}

#[test]
fn nulls_sort_first_ascending_and_last_descending() {
    let mut db = numbers_db();
    let ids = |db: &mut Database, descending| {
        let select = Select { order_by: vec![OrderBy { expr: col("n", "i"), descending }], ..select_all("n", &["id"]) };
        rows(db, select).into_iter().flatten().collect::<Vec<_>>()
    };
    assert_eq!(ids(&mut db, false), [Datum::Int(2), Datum::Int(1), Datum::Int(3)]);
    assert_eq!(ids(&mut db, true), [Datum::Int(3), Datum::Int(1), Datum::Int(2)]);
}

#[test]
fn like_is_ascii_case_insensitive_and_null_safe() {
    let mut db = numbers_db();
    assert_eq!(sql_rows(&mut db, "SELECT id FROM n WHERE s LIKE 'b%'"), vec![vec![Datum::Int(3)]]);
    assert_eq!(sql_rows(&mut db, "SELECT id FROM n WHERE s NOT LIKE 'b%'"), vec![vec![Datum::Int(1)]]);
    let like = Select {
        where_clause: Some(Expr::Like { expr: Box::new(col("n", "s")), pattern: Box::new(Expr::param("APP%")), negated: false }),
        ..select_all("n", &["id"])
    };
    assert_eq!(rows(&mut db, like), vec![vec![Datum::Int(1)]]);
    // Byte-wise comparison: upper case sorts before lower case.
    assert_eq!(sql_rows(&mut db, "SELECT 'B' < 'a'"), vec![vec![Datum::Bool(true)]]);
}

#[test]
fn group_by_and_order_by_positions_mean_result_columns() {
    let mut db = numbers_db();
    db.execute(&insert("n", &["i"], vec![vec![Datum::Int(3)]])).expect("insert");
    assert_eq!(
        sql_rows(&mut db, "SELECT i, count(*) FROM n WHERE i IS NOT NULL GROUP BY 1 ORDER BY 1"),
        vec![vec![Datum::Int(3), Datum::Int(2)], vec![Datum::Int(7), Datum::Int(1)]]
    );
    let error = db.execute_sql("SELECT i FROM n ORDER BY 2", &[]).expect_err("out of range");
    assert_eq!(error.message, "1st ORDER BY term out of range - should be between 1 and 1");
}

#[test]
fn what_glue_cannot_do_is_refused_with_a_clear_message() {
    let mut db = numbers_db();
    for sql in [
        "SELECT id FROM n UNION SELECT id FROM n",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "SELECT * FROM n RIGHT JOIN n AS m ON n.id = m.id",
        "DROP TABLE n CASCADE",
    ] {
        let error = db.execute_sql(sql, &[]).expect_err(sql);
        assert_eq!(error.kind, DbErrorKind::NotSupportedError, "{sql}: {}", error.message);
        assert!(error.message.contains("not supported by the playground's database (GlueSQL)"), "{sql}: {}", error.message);
    }
    assert!(db.has_table("n"), "DROP TABLE ... CASCADE was refused before running");
}

#[test]
fn renaming_a_table_moves_the_foreign_keys_that_point_at_it() {
    let mut db = users_db();
    db.execute_sql("CREATE TABLE post (id INTEGER PRIMARY KEY, user_id INTEGER, FOREIGN KEY (user_id) REFERENCES user (id))", &[])
        .expect("create post");
    db.execute_sql("ALTER TABLE user RENAME TO member", &[]).expect("rename");
    let post = db.table_views().into_iter().find(|t| t.name == "post").expect("post");
    assert_eq!(post.columns[1].foreign_key.as_deref(), Some("member.id"));
    db.set_foreign_keys(true);
    db.execute_sql("INSERT INTO member (username) VALUES ('a')", &[]).expect("member");
    db.execute_sql("INSERT INTO post (user_id) VALUES (1)", &[]).expect("references the renamed table");
}

#[test]
fn literals_take_the_column_affinity_sqlite_would_give_them() {
    let mut db = Database::new();
    db.execute(&Statement::CreateTable(fixture_user())).expect("create");
    db.execute_sql(
        "INSERT INTO user (username, active, born, created, score) VALUES ('a', 1, '2024-01-02', '2024-01-02 03:04:05.000000', 2)",
        &[],
    )
    .expect("SQLite stores these");
    db.execute_sql("UPDATE user SET active = 0 WHERE id = 1", &[]).expect("update");
    assert_eq!(sql_rows(&mut db, "SELECT id FROM user WHERE active = 0 AND born = '2024-01-02' AND created > '2024-01-01'"), vec![vec![Datum::Int(1)]]);
    assert_eq!(sql_rows(&mut db, "SELECT score / 4 FROM user"), vec![vec![Datum::Float(0.5)]]);
    let error = db.execute_sql("INSERT INTO user (username, age) VALUES ('b', 'old')", &[]).expect_err("text in INTEGER");
    assert_eq!(error.kind, DbErrorKind::NotSupportedError);
    assert_eq!(error.message, "storing old in a INT column is not supported by the playground's database (GlueSQL)");
}

//! The query shapes the ORM sends run on GlueSQL with SQLite's answers:
//! joined eager loads, selectin loads, counts over subqueries, pagination.

mod db_support;

use db_support::*;
use sqla_engine::db::Database;
use sqla_engine::sql::*;

fn blog() -> Database {
    let mut db = users_db();
    let mut post = TableDef::new(
        "post",
        vec![not_null(column("id", SqlType::Integer)), not_null(column("title", SqlType::String(Some(50)))), column("user_id", SqlType::Integer)],
        &["id"],
    );
    post.foreign_keys.push(ForeignKeyDef { column: "user_id".into(), ref_table: "user".into(), ref_column: "id".into(), on_delete: None });
    db.execute(&Statement::CreateTable(post)).expect("post");
    db.execute(&insert("user", &["username", "age"], vec![vec!["ann".into(), Datum::Int(30)], vec!["bob".into(), Datum::Null], vec!["cy".into(), Datum::Int(20)]]))
        .expect("users");
    let posts = vec![vec!["a1".into(), Datum::Int(1)], vec!["a2".into(), Datum::Int(1)], vec!["c1".into(), Datum::Int(3)]];
    db.execute(&insert("post", &["title", "user_id"], posts)).expect("posts");
    db.commit();
    db
}

#[test]
fn joined_eager_load_with_an_aliased_left_outer_join() {
    let mut db = blog();
    let select = Select {
        columns: vec![
            labelled(col("user", "id"), "user_id"),
            labelled(col("user", "username"), "user_username"),
            labelled(col("post_1", "id"), "post_1_id"),
            labelled(col("post_1", "title"), "post_1_title"),
        ],
        from: Some(FromClause {
            base: table("user"),
            joins: vec![Join {
                kind: JoinKind::LeftOuter,
                source: Source::Table { name: "post".into(), alias: Some("post_1".into()) },
                on: eq(col("user", "id"), col("post_1", "user_id")),
            }],
        }),
        order_by: vec![OrderBy { expr: col("user", "id"), descending: false }, OrderBy { expr: col("post_1", "id"), descending: false }],
        ..Select::default()
    };
    let result = db.execute(&Statement::Select(select)).expect("join");
    assert_eq!(result.columns, ["user_id", "user_username", "post_1_id", "post_1_title"]);
    assert_eq!(
        result.rows,
        vec![
            vec![Datum::Int(1), "ann".into(), Datum::Int(1), "a1".into()],
            vec![Datum::Int(1), "ann".into(), Datum::Int(2), "a2".into()],
            vec![Datum::Int(2), "bob".into(), Datum::Null, Datum::Null],
            vec![Datum::Int(3), "cy".into(), Datum::Int(3), "c1".into()],
        ]
    );
}

#[test]
fn selectin_load_count_subquery_and_pagination() {
    let mut db = blog();
    let selectin = Select {
        where_clause: Some(Expr::InList {
            expr: Box::new(col("post", "user_id")),
            list: vec![Expr::param(Datum::Int(1)), Expr::param(Datum::Int(2))],
            negated: false,
        }),
        ..select_all("post", &["user_id", "id"])
    };
    assert_eq!(rows(&mut db, selectin), vec![vec![Datum::Int(1), Datum::Int(1)], vec![Datum::Int(1), Datum::Int(2)]]);

    let inner = Select { columns: vec![labelled(col("user", "id"), "user_id")], from: from("user"), ..Select::default() };
    let count = Select {
        columns: vec![labelled(Expr::function("count", vec![Expr::Star]), "count_1")],
        from: Some(FromClause { base: Source::Subquery { select: Box::new(inner), alias: "anon_1".into() }, joins: vec![] }),
        ..Select::default()
    };
    assert_eq!(rows(&mut db, count), vec![vec![Datum::Int(3)]]);

    let page = Select {
        order_by: vec![OrderBy { expr: col("user", "age"), descending: false }],
        limit: Some(2),
        offset: Some(1),
        ..select_all("user", &["username"])
    };
    assert_eq!(rows(&mut db, page), vec![vec![Datum::from("cy")], vec![Datum::from("ann")]], "NULL age sorts first");

    let grouped = Select {
        columns: vec![out(col("post", "user_id")), labelled(Expr::function("count", vec![col("post", "id")]), "n")],
        from: from("post"),
        group_by: vec![col("post", "user_id")],
        order_by: vec![OrderBy { expr: Expr::Column { table: None, name: "n".into() }, descending: true }],
        ..Select::default()
    };
    assert_eq!(rows(&mut db, grouped), vec![vec![Datum::Int(1), Datum::Int(2)], vec![Datum::Int(3), Datum::Int(1)]]);
}

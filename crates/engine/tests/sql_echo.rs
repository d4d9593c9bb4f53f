//! The echo of every statement kind, compared with what the real SQLAlchemy
//! 2.0 logs for the same statements (fixtures/sqlalchemy_echo.py produced
//! fixtures/sqlalchemy_echo.txt with the venv).

mod db_support;

use chrono::NaiveDate;
use db_support::*;
use rust_decimal::Decimal;
use sqla_engine::db::Database;
use sqla_engine::sql::*;

fn user_insert_columns() -> Vec<String> {
    ["username", "email", "nick", "age", "big", "bio", "active", "score", "price", "born", "created", "at", "blob"]
        .map(str::to_owned)
        .to_vec()
}

fn nulls(n: usize) -> Vec<Datum> {
    vec![Datum::Null; n]
}

/// The fixture's create_all, then its inserts, as the ORM will send them.
fn fixture_db() -> Database {
    let mut db = Database::new();
    let user = fixture_user();
    let post = fixture_post();
    for name in ["user", "post"] {
        assert!(!db.table_exists(name).expect("a plain name is checked"));
    }
    db.execute(&Statement::CreateTable(user.clone())).expect("create user");
    let mut indexes = user.column_indexes();
    indexes.reverse(); // SQLAlchemy's index order comes from a set; the fixture run had nick first
    for index in indexes {
        db.execute(&Statement::CreateIndex(index)).expect("index");
    }
    db.execute(&Statement::CreateTable(post)).expect("create post");
    db.commit();
    db
}

#[test]
fn create_all_logs_existence_checks_ddl_and_indexes() {
    let db = fixture_db();
    assert_eq!(echo_since(&db, 0), fixture("create_all"));
}

#[test]
fn inserts_log_single_insertmanyvalues_and_executemany() {
    let mut db = fixture_db();
    let mark = db.last_event_seq();
    let datetime = NaiveDate::from_ymd_opt(2024, 1, 2).and_then(|d| d.and_hms_opt(3, 4, 5)).map_or(Datum::Null, Datum::DateTime);
    let time = chrono::NaiveTime::from_hms_opt(1, 2, 3).map_or(Datum::Null, Datum::Time);
    let one = vec![
        "x".into(),
        Datum::Null,
        Datum::Null,
        Datum::Int(1),
        Datum::Null,
        Datum::Null,
        Datum::Bool(true),
        Datum::Float(2.5),
        Datum::Decimal(Decimal::new(150, 2)),
        NaiveDate::from_ymd_opt(2024, 1, 2).map_or(Datum::Null, Datum::Date),
        datetime,
        time,
        Datum::Null,
    ];
    let returning = vec!["id".to_owned(), "small".to_owned()];
    let insert_one = Insert { table: "user".into(), columns: user_insert_columns(), rows: vec![one], returning: returning.clone() };
    let result = db.execute(&Statement::Insert(insert_one)).expect("insert one");
    assert_eq!(result.inserted_primary_keys, vec![vec![Datum::Int(1)]]);
    assert_eq!(echo_since(&db, mark), fixture("insert_one"));

    let mark = db.last_event_seq();
    let rows = [("a", Datum::Null), ("b", Datum::Int(3)), ("c", Datum::Int(5))]
        .into_iter()
        .map(|(name, age)| {
            let mut row = nulls(13);
            row[0] = name.into();
            row[3] = age;
            row
        })
        .collect();
    let three = Insert { table: "user".into(), columns: user_insert_columns(), rows, returning };
    let result = db.execute(&Statement::Insert(three)).expect("insert three");
    assert_eq!(result.inserted_primary_keys, vec![vec![Datum::Int(2)], vec![Datum::Int(3)], vec![Datum::Int(4)]]);
    // RETURNING id, small: the server default arrives as the column's type.
    assert_eq!(result.columns, ["id", "small"]);
    assert_eq!(result.rows, vec![vec![Datum::Int(2), Datum::Int(3)], vec![Datum::Int(3), Datum::Int(3)], vec![Datum::Int(4), Datum::Int(3)]]);
    assert_eq!(echo_since(&db, mark), fixture("insert_three_returning"));

    let mark = db.last_event_seq();
    db.commit();
    assert_eq!(echo_since(&db, mark), fixture("commit"));

    let mark = db.last_event_seq();
    let posts = insert(
        "post",
        &["id", "title", "user_id"],
        vec![vec![Datum::Int(1), "t1".into(), Datum::Int(1)], vec![Datum::Int(2), "t2".into(), Datum::Int(2)]],
    );
    db.execute(&posts).expect("executemany");
    assert_eq!(echo_since(&db, mark), fixture("insert_executemany"));
}

fn labelled_lookup(name: &str) -> Statement {
    Statement::Select(Select {
        columns: vec![labelled(col("user", "id"), "user_id"), labelled(col("user", "username"), "user_username")],
        from: from("user"),
        where_clause: Some(eq(col("user", "username"), Expr::param(name))),
        limit: Some(1),
        offset: Some(0),
        ..Select::default()
    })
}

#[test]
fn selects_match_sqlalchemy() {
    let mut db = fixture_db();
    db.begin();
    let check = |db: &mut Database, case: &str, select: Select| {
        let mark = db.last_event_seq();
        db.execute(&Statement::Select(select)).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(echo_since(db, mark), fixture(case), "{case}");
    };
    let Statement::Select(first) = labelled_lookup("b") else { unreachable!() };
    check(&mut db, "select_labels_limit", first);
    let mark = db.last_event_seq();
    db.execute(&labelled_lookup("a")).expect("again");
    assert_eq!(echo_since(&db, mark), fixture("select_again_cached"));

    let age = || col("user", "age");
    let where_mix = [
        Expr::Between { expr: Box::new(age()), low: Box::new(Expr::param(Datum::Int(1))), high: Box::new(Expr::param(Datum::Int(5))), negated: false },
        Expr::Like { expr: Box::new(col("user", "username")), pattern: Box::new(Expr::param("a%")), negated: false },
        Expr::InList { expr: Box::new(age()), list: vec![Expr::param(Datum::Int(1)), Expr::param(Datum::Int(2))], negated: true },
        Expr::IsNull { expr: Box::new(col("user", "email")), negated: false },
        Expr::binary(
            Expr::binary(age(), BinaryOp::Lt, Expr::param(Datum::Int(5))),
            BinaryOp::Or,
            Expr::IsNull { expr: Box::new(age()), negated: true },
        ),
    ]
    .into_iter()
    .reduce(|a, b| Expr::binary(a, BinaryOp::And, b));
    check(
        &mut db,
        "select_where_mix",
        Select {
            columns: vec![out(col("user", "id"))],
            from: from("user"),
            where_clause: where_mix,
            order_by: vec![OrderBy { expr: age(), descending: true }, OrderBy { expr: col("user", "id"), descending: false }],
            ..Select::default()
        },
    );

    check(
        &mut db,
        "select_group_having",
        Select {
            columns: vec![
                labelled(Expr::Function { name: "count".into(), args: vec![col("user", "id")], distinct: true }, "count_1"),
                labelled(Expr::function("avg", vec![age()]), "avg_1"),
            ],
            from: from("user"),
            group_by: vec![age()],
            having: Some(Expr::binary(Expr::function("count", vec![Expr::Star]), BinaryOp::Gt, Expr::param(Datum::Int(1)))),
            ..Select::default()
        },
    );

    let posts_of_user = || Some(eq(col("post", "user_id"), col("user", "id")));
    let count_posts = Select {
        columns: vec![labelled(Expr::function("count", vec![col("post", "id")]), "count_1")],
        from: from("post"),
        where_clause: posts_of_user(),
        ..Select::default()
    };
    let any_post = Select { columns: vec![out(Expr::Star)], from: from("post"), where_clause: posts_of_user(), ..Select::default() };
    check(
        &mut db,
        "select_subqueries",
        Select {
            columns: vec![out(col("user", "id")), labelled(Expr::ScalarSubquery(Box::new(count_posts)), "n")],
            from: from("user"),
            where_clause: Some(Expr::binary(
                Expr::InSelect { expr: Box::new(col("user", "id")), select: Box::new(select_all("post", &["user_id"])), negated: false },
                BinaryOp::And,
                Expr::Unary { op: UnaryOp::Not, expr: Box::new(Expr::Exists(Box::new(any_post))) },
            )),
            ..Select::default()
        },
    );

    check(
        &mut db,
        "select_join",
        Select {
            distinct: true,
            columns: vec![out(col("user", "id")), out(col("post", "title"))],
            from: Some(FromClause {
                base: table("user"),
                joins: vec![
                    Join { kind: JoinKind::Inner, source: table("post"), on: eq(col("post", "user_id"), col("user", "id")) },
                    Join {
                        kind: JoinKind::LeftOuter,
                        source: Source::Table { name: "user".into(), alias: Some("user_1".into()) },
                        on: eq(col("user_1", "id"), col("post", "user_id")),
                    },
                ],
            }),
            ..Select::default()
        },
    );

    let p = |d: Datum| Expr::param(d);
    check(
        &mut db,
        "select_expressions",
        Select {
            columns: vec![
                labelled(
                    Expr::Case {
                        operand: None,
                        whens: vec![(Expr::binary(age(), BinaryOp::Gt, p(Datum::Int(5))), p("old".into()))],
                        else_result: Some(Box::new(p("young".into()))),
                    },
                    "anon_1",
                ),
                labelled(Expr::Cast { expr: Box::new(age()), to: SqlType::Float }, "age"),
                labelled(Expr::Unary { op: UnaryOp::Neg, expr: Box::new(age()) }, "neg"),
                labelled(Expr::binary(Expr::binary(age(), BinaryOp::Mul, p(Datum::Int(2))), BinaryOp::Add, p(Datum::Int(1))), "anon_2"),
                labelled(Expr::binary(col("user", "username"), BinaryOp::Concat, p("x".into())), "anon_3"),
                labelled(Expr::function("lower", vec![col("user", "username")]), "lower_1"),
                labelled(Expr::function("coalesce", vec![age(), p(Datum::Int(0))]), "coalesce_1"),
                labelled(
                    Expr::Unary {
                        op: UnaryOp::Not,
                        expr: Box::new(Expr::binary(
                            eq(age(), p(Datum::Int(1))),
                            BinaryOp::Or,
                            Expr::binary(age(), BinaryOp::NotEq, p(Datum::Int(2))),
                        )),
                    },
                    "anon_4",
                ),
            ],
            from: from("user"),
            ..Select::default()
        },
    );

    check(
        &mut db,
        "select_empty_in",
        Select {
            columns: vec![out(col("user", "id"))],
            from: from("user"),
            where_clause: Some(Expr::InList { expr: Box::new(col("user", "username")), list: vec![], negated: false }),
            ..Select::default()
        },
    );
    check(&mut db, "select_offset_only", Select { offset: Some(5), ..select_all("user", &["id"]) });
}

fn set_age_where_id(age: i64, id: i64) -> Statement {
    Statement::Update(Update {
        table: "user".into(),
        assignments: vec![("age".into(), Expr::param(Datum::Int(age)))],
        where_clause: Some(eq(col("user", "id"), Expr::param(Datum::Int(id)))),
        returning: vec![],
    })
}

#[test]
fn updates_deletes_and_text_match_sqlalchemy() {
    let mut db = fixture_db();
    let rows = ["x", "u2", "u3"].into_iter().map(|name| vec![Datum::from(name)]).collect();
    db.execute(&insert("user", &["username"], rows)).expect("users");
    db.execute(&insert("post", &["id", "title", "user_id"], vec![vec![Datum::Int(2), "t".into(), Datum::Int(1)]]))
        .expect("post");

    let mark = db.last_event_seq();
    assert_eq!(db.execute(&set_age_where_id(5, 2)).map(|r| r.rows_affected), Ok(1));
    assert_eq!(echo_since(&db, mark), fixture("update_one"));

    let mark = db.last_event_seq();
    let many = db.execute_many(&[set_age_where_id(7, 2), set_age_where_id(7, 3)]).expect("executemany");
    assert_eq!(many.rows_affected, 2);
    assert_eq!(echo_since(&db, mark), fixture("update_executemany"));

    let mark = db.last_event_seq();
    let bulk = Update {
        table: "user".into(),
        assignments: vec![("age".into(), Expr::binary(col("user", "age"), BinaryOp::Add, Expr::param(Datum::Int(1))))],
        where_clause: Some(Expr::binary(col("user", "age"), BinaryOp::Gt, Expr::param(Datum::Int(5)))),
        returning: vec![],
    };
    assert_eq!(db.execute(&Statement::Update(bulk)).map(|r| r.rows_affected), Ok(2));
    assert_eq!(echo_since(&db, mark), fixture("update_bulk_expression"));

    let mark = db.last_event_seq();
    let delete = Delete { table: "post".into(), where_clause: Some(eq(col("post", "id"), Expr::param(Datum::Int(2)))) };
    assert_eq!(db.execute(&Statement::Delete(delete)).map(|r| r.rows_affected), Ok(1));
    assert_eq!(echo_since(&db, mark), fixture("delete_one"));

    let mark = db.last_event_seq();
    let found = db.execute_text("SELECT * FROM user WHERE username = :name", &[("name".into(), "x".into())]).expect("text");
    assert_eq!(found.rows.len(), 1);
    assert_eq!(echo_since(&db, mark), fixture("text_named"));
}

#[test]
fn savepoints_rollback_and_errors_match_sqlalchemy() {
    let mut db = fixture_db();
    db.begin();
    let mark = db.last_event_seq();
    let first = db.savepoint();
    db.rollback_to_savepoint(&first).expect("rollback to");
    let second = db.savepoint();
    db.release_savepoint(&second).expect("release");
    assert_eq!(echo_since(&db, mark), fixture("savepoints"));

    let mark = db.last_event_seq();
    db.rollback();
    assert_eq!(echo_since(&db, mark), fixture("rollback"));

    let mark = db.last_event_seq();
    let datetime = NaiveDate::from_ymd_opt(2024, 1, 2).and_then(|d| d.and_hms_opt(3, 4, 5)).map_or(Datum::Null, Datum::DateTime);
    let params: Vec<(String, Datum)> = [
        ("a", Datum::from("it's")),
        ("b", Datum::Null),
        ("c", Datum::Bool(true)),
        ("d", Datum::Float(1e16)),
        ("e", datetime),
        ("f", Datum::Text("x".repeat(400))),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    db.execute_text("SELECT :a, :b, :c, :d, :e, :f", &params).expect("params");
    assert_eq!(echo_since(&db, mark), fixture("params_repr"));

    db.execute_sql("INSERT INTO user (username) VALUES ('x')", &[]).expect("x");
    let mark = db.last_event_seq();
    let error = db.execute(&insert("user", &["username"], vec![vec!["x".into()]])).expect_err("duplicate");
    db.rollback();
    let expected = fixture("integrity_error");
    let (message, log) = expected.split_at(expected.find("INSERT INTO user (username) VALUES (?)\n[generated").unwrap_or(0));
    assert_eq!(format!("{}\n", error.sqlalchemy_message()), message);
    assert_eq!(echo_since(&db, mark), log);

    let mark = db.last_event_seq();
    db.execute(&Statement::DropTable { name: "post".into() }).expect("drop");
    db.commit();
    assert_eq!(echo_since(&db, mark), fixture("drop_table"));
}

#[test]
fn long_executemany_parameter_lists_are_abbreviated() {
    let rows: Vec<Vec<Datum>> = (1..=14).map(|i| vec![Datum::Int(i), Datum::Bool(i % 2 == 0)]).collect();
    let text = echo::param_list(&rows, echo::ParamStyle::Processed);
    assert!(text.starts_with("[(1, 0), (2, 1), (3, 0), (4, 1), (5, 0), (6, 1), (7, 0), (8, 1)  ... displaying 10 of 14 total bound parameter sets ...  (13, 0), (14, 1)]"), "{text}");
}

#[test]
fn ddl_renders_composite_keys_uniques_and_foreign_keys_in_sqlalchemy_order() {
    // CreateTable(post) with sqlalchemy: see fixtures/sqlalchemy_echo.py probe in the module docs.
    let mut def = TableDef::new(
        "profile",
        vec![not_null(column("id", SqlType::Integer)), ColumnDef { unique: true, ..column("user_id", SqlType::Integer) }, column("a", SqlType::Integer), column("b", SqlType::Integer)],
        &["id"],
    );
    def.unique_constraints.push(vec!["a".into(), "b".into()]);
    def.foreign_keys.push(ForeignKeyDef { column: "user_id".into(), ref_table: "user".into(), ref_column: "id".into(), on_delete: Some("SET NULL".into()) });
    assert_eq!(
        echo::create_table(&def),
        "\nCREATE TABLE profile (\n\tid INTEGER NOT NULL, \n\tuser_id INTEGER, \n\ta INTEGER, \n\tb INTEGER, \n\tPRIMARY KEY (id), \n\tUNIQUE (a, b), \n\tUNIQUE (user_id), \n\tFOREIGN KEY(user_id) REFERENCES user (id) ON DELETE SET NULL\n)\n\n"
    );
}

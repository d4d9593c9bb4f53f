use sqla_engine::db::*;
use sqla_engine::sql::*;

fn user_table() -> TableDef {
    let mut username = ColumnDef::new("username", SqlType::String(Some(80)));
    username.nullable = false;
    username.unique = true;
    let mut id = ColumnDef::new("id", SqlType::Integer);
    id.nullable = false;
    TableDef::new("user", vec![id, username, ColumnDef::new("age", SqlType::Integer)], &["id"])
}

#[test]
fn scratch() {
    let mut db = Database::new();
    assert!(!db.table_exists("user"));
    db.execute(&Statement::CreateTable(user_table())).unwrap();
    db.commit();
    let r = db.execute(&Statement::Insert(Insert {
        table: "user".into(),
        columns: vec!["username".into(), "age".into()],
        rows: vec![vec!["a".into(), Datum::Null], vec!["b".into(), Datum::Int(3)], vec!["c".into(), Datum::Int(5)]],
        returning: vec!["id".into()],
    }));
    println!("{r:?}");
    let sel = Select {
        columns: vec![ResultColumn { expr: Expr::column("user", "id"), label: Some("user_id".into()) }, ResultColumn { expr: Expr::column("user", "age"), label: None }],
        from: Some(FromClause { base: Source::Table { name: "user".into(), alias: None }, joins: vec![] }),
        where_clause: Some(Expr::binary(Expr::column("user", "username"), BinaryOp::Eq, Expr::param("b"))),
        limit: Some(1),
        ..Select::default()
    };
    println!("{:?}", db.execute(&Statement::Select(sel.clone())));
    println!("{:?}", db.execute(&Statement::Select(sel)));
    let mut all = Select { columns: vec![ResultColumn { expr: Expr::column("user", "id"), label: None }], from: Some(FromClause { base: Source::Table { name: "user".into(), alias: None }, joins: vec![] }), ..Select::default() };
    all.order_by = vec![OrderBy { expr: Expr::column("user", "age"), descending: false }];
    println!("{:?}", db.execute(&Statement::Select(all)));
    println!("{:?}", db.execute_text("SELECT * FROM user WHERE username = :name", &[("name".into(), "a".into())]));
    println!("{:?}", db.execute_sql("SELECT 7/2, 2*2.5, 1/0, 'a' LIKE 'A', NULL LIKE 'a'", &[]));
    println!("{:?}", db.execute_sql("INSERT INTO user (username) VALUES ('a')", &[]));
    println!("{:?}", db.execute_sql("selec 1", &[]));
    println!("{:?}", db.execute_sql("SELECT nope FROM user", &[]));
    println!("{:?}", db.execute_sql("SELECT * FROM nope", &[]));
    db.rollback();
    println!("{:?}", db.execute_sql("SELECT count(*) FROM user", &[]));
    println!("{:?}", db.access_stats());
    for e in db.events_since(0) {
        println!("--- {:?} tx={:?} glue={:?} err={:?}\n{}", e.kind, e.transaction, e.glue_sql, e.error.as_ref().map(|e| e.sqlalchemy_message()), e.echo_text());
    }
}

//! Measures the ORM natively: 10,000 `add` + one `commit` of a model with a UNIQUE column,
//! then 1,000 lookups by that column (`filter_by(username=...).first()`).
//! Run: cargo run --release -p sqla-engine --example orm_insert_10k

use std::time::Instant;

use sqla_engine::db::Database;
use sqla_engine::orm::mapper::ClassDeclaration;
use sqla_engine::orm::schema::{Column, ColumnType, Table};
use sqla_engine::orm::select::OrmSelect;
use sqla_engine::orm::{NoHost, Orm};
use sqla_engine::sql::{BinaryOp, Datum, Expr};

fn main() {
    let mut orm = Orm::default();
    orm.engines.push(Database::new());
    let mut id = Column::new(orm.registry.metadata.new_column_id(), "id", ColumnType::Integer);
    id.primary_key = true;
    id.nullable = false;
    let mut username = Column::new(orm.registry.metadata.new_column_id(), "username", ColumnType::String(Some(80)));
    username.unique = true;
    username.nullable = false;
    let age = Column::new(orm.registry.metadata.new_column_id(), "age", ColumnType::Integer);
    let table = orm.registry.metadata.add_table(Table { name: "user".into(), columns: vec![id, username, age] }).expect("table");
    let user = orm
        .registry
        .map_class(ClassDeclaration {
            class_name: "User".into(),
            module: "__main__".into(),
            table,
            columns: vec![("id".into(), "id".into()), ("username".into(), "username".into()), ("age".into(), "age".into())],
            relationships: vec![],
        })
        .expect("mapper");
    orm.create_all(0, None).expect("create_all");
    let session = orm.new_session(0);
    let started = Instant::now();
    for i in 0..10_000 {
        let obj = orm.new_instance(user).expect("instance");
        orm.set_column(obj, 1, Datum::Text(format!("user{i}"))).expect("set");
        orm.set_column(obj, 2, Datum::Int(i % 90)).expect("set");
        orm.add(session, obj).expect("add");
    }
    let added = started.elapsed();
    orm.commit(&mut NoHost, session).expect("commit");
    let committed = started.elapsed();
    let started = Instant::now();
    for i in (0..10_000).step_by(10) {
        let mut select = OrmSelect::of_mapper(user, true);
        select.criteria.push(Expr::binary(Expr::column("user", "username"), BinaryOp::Eq, Expr::Param(Datum::Text(format!("user{i}")))));
        select.limit = Some(1);
        select.offset = Some(0);
        orm.execute_select(&mut NoHost, session, &select).expect("select");
    }
    let lookups = started.elapsed();
    println!("add 10k: {:.1} ms, + commit: {:.1} ms, 1k filter_by lookups: {:.1} ms", added.as_secs_f64() * 1e3, committed.as_secs_f64() * 1e3, lookups.as_secs_f64() * 1e3);
}

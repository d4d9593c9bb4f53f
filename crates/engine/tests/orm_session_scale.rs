//! A flush works on what changed, not on everything the session holds: SQLAlchemy's session
//! keeps its new, dirty and deleted objects apart from the identity map, and so does ours.
//! Counted in objects the flush registers, never in time (timings are `make bench`'s).

use sqla_engine::db::Database;
use sqla_engine::orm::mapper::{ClassDeclaration, MapperId};
use sqla_engine::orm::schema::{Column, ColumnType, Table};
use sqla_engine::orm::{NoHost, ObjId, Orm, SessionId};
use sqla_engine::sql::Datum;

/// `User(id, username UNIQUE, age)`; its properties are 0, 1 and 2.
fn users() -> (Orm, MapperId, SessionId) {
    let mut orm = Orm::default();
    orm.engines.push(Database::new());
    let mut id = Column::new(
        orm.registry.metadata.new_column_id(),
        "id",
        ColumnType::Integer,
    );
    id.primary_key = true;
    id.nullable = false;
    let mut username = Column::new(
        orm.registry.metadata.new_column_id(),
        "username",
        ColumnType::String(Some(80)),
    );
    username.unique = true;
    username.nullable = false;
    let age = Column::new(
        orm.registry.metadata.new_column_id(),
        "age",
        ColumnType::Integer,
    );
    let table = orm
        .registry
        .metadata
        .add_table(Table {
            name: "user".into(),
            columns: vec![id, username, age],
        })
        .expect("table");
    let user = orm
        .registry
        .map_class(ClassDeclaration {
            class_name: "User".into(),
            module: "__main__".into(),
            table,
            columns: vec![
                ("id".into(), "id".into()),
                ("username".into(), "username".into()),
                ("age".into(), "age".into()),
            ],
            relationships: vec![],
        })
        .expect("mapper");
    orm.create_all(0, None).expect("create_all");
    let session = orm.new_session(0);
    (orm, user, session)
}

fn add_user(orm: &mut Orm, user: MapperId, session: SessionId, name: &str) -> ObjId {
    let obj = orm.new_instance(user).expect("instance");
    orm.set_column(obj, 1, Datum::Text(name.into()))
        .expect("set username");
    orm.set_column(obj, 2, Datum::Int(30)).expect("set age");
    orm.add(session, obj).expect("add");
    obj
}

/// With `held` committed objects in the session, adds one object and changes another, and
/// returns how many objects the next flush registers and what its steps write.
fn registered_by_a_small_change(held: usize) -> (usize, Vec<String>) {
    let (mut orm, user, session) = users();
    let mut persistent = Vec::new();
    for i in 0..held {
        persistent.push(add_user(&mut orm, user, session, &format!("user{i}")));
    }
    orm.commit(&mut NoHost, session).expect("commit");
    assert_eq!(orm.session(session).identity_map.len(), held);
    add_user(&mut orm, user, session, "newcomer");
    orm.set_column(persistent[held / 2], 2, Datum::Int(31))
        .expect("change an age");
    let plan = orm
        .plan_flush(&mut NoHost, session)
        .expect("plan")
        .expect("something to flush");
    let summaries = plan.steps.iter().map(|step| step.summary.clone()).collect();
    (plan.registered.states.len(), summaries)
}

#[test]
fn a_flush_registers_only_the_objects_that_changed() {
    let expected = vec!["INSERT into user (1 row), UPDATE user (1 row)".to_owned()];
    for held in [500, 2000] {
        assert_eq!(
            registered_by_a_small_change(held),
            (2, expected.clone()),
            "with {held} objects held"
        );
    }
}

#[test]
fn committing_again_flushes_nothing_the_last_commit_wrote() {
    let (mut orm, user, session) = users();
    for round in 0..3 {
        for i in 0..300 {
            add_user(&mut orm, user, session, &format!("user{round}-{i}"));
        }
        let plan = orm
            .plan_flush(&mut NoHost, session)
            .expect("plan")
            .expect("new objects");
        assert_eq!(plan.registered.states.len(), 300, "round {round}");
        orm.commit(&mut NoHost, session).expect("commit");
        assert!(
            orm.plan_flush(&mut NoHost, session)
                .expect("plan")
                .is_none(),
            "round {round}: nothing left to flush"
        );
        assert_eq!(orm.session(session).identity_map.len(), 300 * (round + 1));
    }
}

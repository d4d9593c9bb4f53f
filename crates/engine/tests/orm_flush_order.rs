//! The unit of work against the real database layer, with models built directly (no
//! interpreter): the statements a flush sends, their order and their echo text, compared
//! with what SQLAlchemy 2.0 logs for the same operations.

use sqla_engine::db::Database;
use sqla_engine::orm::mapper::{BackrefSpec, ClassDeclaration, MapperId, RelationshipSpec};
use sqla_engine::orm::schema::{Column, ColumnType, ForeignKey, Table};
use sqla_engine::orm::{AttrValue, NoHost, ObjId, ObjectState, Orm, SessionId};
use sqla_engine::sql::Datum;

struct Blog {
    orm: Orm,
    session: SessionId,
    user: MapperId,
    post: MapperId,
}

fn column(orm: &mut Orm, name: &str, column_type: ColumnType) -> Column {
    Column::new(orm.registry.metadata.new_column_id(), name, column_type)
}

/// `User(id, username unique not null, age, posts = relationship('Post', backref='author'))`
/// and `Post(id, title not null, user_id -> user.id)`.
fn blog() -> Blog {
    let mut orm = Orm::default();
    orm.engines.push(Database::new());
    let mut id = column(&mut orm, "id", ColumnType::Integer);
    id.primary_key = true;
    id.nullable = false;
    let mut username = column(&mut orm, "username", ColumnType::String(Some(80)));
    username.unique = true;
    username.nullable = false;
    let age = column(&mut orm, "age", ColumnType::Integer);
    let user_table = orm.registry.metadata.add_table(Table { name: "user".into(), columns: vec![id, username, age] }).unwrap();
    let mut post_id = column(&mut orm, "id", ColumnType::Integer);
    post_id.primary_key = true;
    post_id.nullable = false;
    let mut title = column(&mut orm, "title", ColumnType::String(Some(120)));
    title.nullable = false;
    let mut user_id = column(&mut orm, "user_id", ColumnType::Integer);
    user_id.foreign_key = ForeignKey::parse("user.id");
    let post_table = orm.registry.metadata.add_table(Table { name: "post".into(), columns: vec![post_id, title, user_id] }).unwrap();
    let posts = RelationshipSpec {
        target: "Post".into(),
        backref: Some(Box::new(BackrefSpec { name: "author".into(), options: RelationshipSpec::default() })),
        ..RelationshipSpec::default()
    };
    let user = orm
        .registry
        .map_class(ClassDeclaration {
            class_name: "User".into(),
            module: "__main__".into(),
            table: user_table,
            columns: vec![("id".into(), "id".into()), ("username".into(), "username".into()), ("age".into(), "age".into())],
            relationships: vec![("posts".into(), posts)],
        })
        .unwrap();
    let post = orm
        .registry
        .map_class(ClassDeclaration {
            class_name: "Post".into(),
            module: "__main__".into(),
            table: post_table,
            columns: vec![("id".into(), "id".into()), ("title".into(), "title".into()), ("user_id".into(), "user_id".into())],
            relationships: vec![],
        })
        .unwrap();
    orm.create_all(0, None).unwrap();
    orm.engines[0].clear_events();
    let session = orm.new_session(0);
    Blog { orm, session, user, post }
}

impl Blog {
    fn prop(&self, mapper: MapperId, key: &str) -> usize {
        self.orm.registry.mapper(mapper).prop(key).unwrap()
    }

    fn user(&mut self, name: &str, age: Option<i64>) -> ObjId {
        let obj = self.orm.new_instance(self.user).unwrap();
        let username = self.prop(self.user, "username");
        self.orm.set_column(obj, username, Datum::Text(name.into())).unwrap();
        if let Some(age) = age {
            let prop = self.prop(self.user, "age");
            self.orm.set_column(obj, prop, Datum::Int(age)).unwrap();
        }
        obj
    }

    fn post(&mut self, title: &str) -> ObjId {
        let obj = self.orm.new_instance(self.post).unwrap();
        let prop = self.prop(self.post, "title");
        self.orm.set_column(obj, prop, Datum::Text(title.into())).unwrap();
        obj
    }

    /// The echo lines logged so far (statement and parameter lines), then cleared.
    fn log(&mut self) -> Vec<String> {
        let lines = self.orm.engines[0]
            .events_since(0)
            .iter()
            .flat_map(|e| {
                let mut lines = vec![e.echo_sql.to_string()];
                if !e.echo_params.is_empty() {
                    lines.push(normalise_timing(&e.echo_params));
                }
                lines
            })
            .collect();
        self.orm.engines[0].clear_events();
        lines
    }
}

fn normalise_timing(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    for marker in ["[generated in ", "[cached since "] {
        if let Some(start) = rest.find(marker) {
            let after = &rest[start + marker.len()..];
            let end = after.find('s').unwrap_or(0);
            out.push_str(&rest[..start + marker.len()]);
            out.push('X');
            rest = &after[end + 1..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn inserts_of_one_flush_follow_add_order_with_insertmanyvalues_echo() {
    let mut blog = blog();
    let a = blog.user("a", None);
    let b = blog.user("b", Some(3));
    let c = blog.user("c", None);
    for obj in [a, b, c] {
        blog.orm.add(blog.session, obj).unwrap();
    }
    blog.orm.commit(&mut NoHost, blog.session).unwrap();
    assert_eq!(
        blog.log(),
        vec![
            "BEGIN (implicit)",
            "INSERT INTO user (username, age) VALUES (?, ?) RETURNING id",
            "[generated in X (insertmanyvalues) 1/3 (ordered; batch not supported)] ('a', None)",
            "INSERT INTO user (username, age) VALUES (?, ?) RETURNING id",
            "[insertmanyvalues 2/3 (ordered; batch not supported)] ('b', 3)",
            "INSERT INTO user (username, age) VALUES (?, ?) RETURNING id",
            "[insertmanyvalues 3/3 (ordered; batch not supported)] ('c', None)",
            "COMMIT",
        ]
    );
    assert_eq!(blog.orm.object_state(b), ObjectState::Persistent);
    // expire_on_commit: reading an attribute reloads the row.
    let age = blog.prop(blog.user, "age");
    assert_eq!(blog.orm.get_attribute(&mut NoHost, b, age).unwrap(), AttrValue::Column(Datum::Int(3)));
    assert_eq!(
        blog.log(),
        vec![
            "BEGIN (implicit)",
            "SELECT user.id AS user_id, user.username AS user_username, user.age AS user_age \nFROM user \nWHERE user.id = ?",
            "[generated in X] (2,)",
        ]
    );
}

#[test]
fn appending_to_a_lazy_collection_loads_it_and_the_child_gets_the_parent_key() {
    let mut blog = blog();
    let a = blog.user("a", None);
    blog.orm.add(blog.session, a).unwrap();
    blog.orm.commit(&mut NoHost, blog.session).unwrap();
    blog.log();
    let posts = blog.prop(blog.user, "posts");
    let author = blog.prop(blog.post, "author");
    assert_eq!(blog.orm.collection(&mut NoHost, a, posts).unwrap(), vec![]);
    let x = blog.post("x");
    blog.orm.collection_append(&mut NoHost, a, posts, x).unwrap();
    // The backref keeps the other side in sync before any flush.
    assert_eq!(blog.orm.get_attribute(&mut NoHost, x, author).unwrap(), AttrValue::Object(Some(a)));
    assert_eq!(blog.orm.object_state(x), ObjectState::Pending, "save-update cascade adds the child");
    blog.orm.commit(&mut NoHost, blog.session).unwrap();
    assert_eq!(
        blog.log(),
        vec![
            "BEGIN (implicit)",
            "SELECT user.id AS user_id, user.username AS user_username, user.age AS user_age \nFROM user \nWHERE user.id = ?",
            "[generated in X] (1,)",
            "SELECT post.id AS post_id, post.title AS post_title, post.user_id AS post_user_id \nFROM post \nWHERE ? = post.user_id",
            "[generated in X] (1,)",
            "INSERT INTO post (title, user_id) VALUES (?, ?)",
            "[generated in X] ('x', 1)",
            "COMMIT",
        ]
    );
}

#[test]
fn deleting_a_parent_without_cascade_nulls_the_children_first() {
    let mut blog = blog();
    let a = blog.user("a", None);
    let posts = blog.prop(blog.user, "posts");
    let p1 = blog.post("p1");
    let p2 = blog.post("p2");
    blog.orm.replace_collection(&mut NoHost, a, posts, vec![p1, p2]).unwrap();
    blog.orm.add(blog.session, a).unwrap();
    blog.orm.commit(&mut NoHost, blog.session).unwrap();
    blog.log();
    blog.orm.delete(&mut NoHost, blog.session, a).unwrap();
    blog.orm.commit(&mut NoHost, blog.session).unwrap();
    let log = blog.log();
    let statements: Vec<&str> = log.iter().filter(|l| !l.starts_with('[')).map(|l| l.split(' ').next().unwrap()).collect();
    // The expired parent is refreshed, then its collection loaded to find the children.
    assert_eq!(statements, vec!["BEGIN", "SELECT", "SELECT", "UPDATE", "DELETE", "COMMIT"], "{log:#?}");
    assert!(log.contains(&"UPDATE post SET user_id=? WHERE post.id = ?".to_string()), "{log:#?}");
    assert!(log.contains(&"[generated in X] [(None, 1), (None, 2)]".to_string()), "{log:#?}");
    assert_eq!(blog.orm.object_state(a), ObjectState::Detached);
}

#[test]
fn a_failed_flush_rolls_back_and_the_session_needs_rollback() {
    let mut blog = blog();
    let a = blog.user("dup", None);
    blog.orm.add(blog.session, a).unwrap();
    blog.orm.commit(&mut NoHost, blog.session).unwrap();
    let again = blog.user("dup", None);
    blog.orm.add(blog.session, again).unwrap();
    let error = blog.orm.commit(&mut NoHost, blog.session).unwrap_err();
    assert_eq!(
        error.message,
        "(sqlite3.IntegrityError) UNIQUE constraint failed: user.username\n[SQL: INSERT INTO user (username, age) VALUES (?, ?)]\n[parameters: ('dup', None)]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)"
    );
    assert_eq!(blog.orm.object_state(again), ObjectState::Transient);
    let next = blog.orm.flush(&mut NoHost, blog.session).unwrap_err();
    assert_eq!(next.class_name(), "PendingRollbackError");
    assert!(next.message.starts_with("This Session's transaction has been rolled back due to a previous exception during flush."));
    blog.orm.rollback(blog.session).unwrap();
    blog.orm.flush(&mut NoHost, blog.session).unwrap();
}

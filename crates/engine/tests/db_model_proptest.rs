//! Random inserts, updates, deletes, commits, rollbacks and savepoints against
//! a plain in-memory model of SQLite's behaviour.

mod db_support;

use std::collections::BTreeMap;

use db_support::*;
use proptest::prelude::*;
use sqla_engine::db::Database;
use sqla_engine::sql::*;

#[derive(Debug, Clone)]
enum Op {
    Insert(Vec<(u8, Option<i64>)>),
    SetAge(i64, Option<i64>),
    Rename(i64, u8),
    Delete(i64),
    Commit,
    Rollback,
    Savepoint,
    RollbackToSavepoint,
}

fn op() -> impl Strategy<Value = Op> {
    let age = proptest::option::of(0..5i64);
    prop_oneof![
        4 => proptest::collection::vec((0..12u8, age.clone()), 1..4).prop_map(Op::Insert),
        2 => (1..10i64, age).prop_map(|(id, a)| Op::SetAge(id, a)),
        2 => (1..10i64, 0..12u8).prop_map(|(id, n)| Op::Rename(id, n)),
        2 => (1..10i64).prop_map(Op::Delete),
        1 => Just(Op::Commit),
        1 => Just(Op::Rollback),
        1 => Just(Op::Savepoint),
        1 => Just(Op::RollbackToSavepoint),
    ]
}

/// id → (username, age)
type Rows = BTreeMap<i64, (String, Option<i64>)>;

#[derive(Default)]
struct Model {
    committed: Rows,
    current: Rows,
    savepoints: Vec<Rows>,
}

impl Model {
    fn name_taken(&self, name: &str, except: Option<i64>) -> bool {
        self.current.iter().any(|(id, (n, _))| n == name && Some(*id) != except)
    }

    /// Applies an op; `false` when SQLite would raise (and change nothing).
    fn apply(&mut self, op: &Op) -> bool {
        match op {
            Op::Insert(rows) => {
                let first = self.current.keys().max().map_or(1, |m| m + 1);
                let mut staged = self.current.clone();
                for (id, (n, age)) in (first..).zip(rows) {
                    let name = format!("u{n}");
                    if staged.values().any(|(existing, _)| *existing == name) {
                        return false;
                    }
                    staged.insert(id, (name, *age));
                }
                self.current = staged;
                true
            }
            Op::SetAge(id, age) => {
                if let Some(row) = self.current.get_mut(id) {
                    row.1 = *age;
                }
                true
            }
            Op::Rename(id, n) => {
                let name = format!("u{n}");
                if self.current.contains_key(id) && self.name_taken(&name, Some(*id)) {
                    return false;
                }
                if let Some(row) = self.current.get_mut(id) {
                    row.0 = name;
                }
                true
            }
            Op::Delete(id) => {
                self.current.remove(id);
                true
            }
            Op::Commit => {
                self.committed = self.current.clone();
                self.savepoints.clear();
                true
            }
            Op::Rollback => {
                self.current = self.committed.clone();
                self.savepoints.clear();
                true
            }
            Op::Savepoint => {
                self.savepoints.push(self.current.clone());
                true
            }
            Op::RollbackToSavepoint => {
                if let Some(state) = self.savepoints.last() {
                    self.current = state.clone();
                }
                true
            }
        }
    }
}

fn run(db: &mut Database, op: &Op, savepoints: &mut Vec<String>) -> bool {
    let by_id = |id: i64| Some(eq(col("user", "id"), Expr::param(Datum::Int(id))));
    let update = |id: i64, column: &str, value: Datum| {
        Statement::Update(Update { table: "user".into(), assignments: vec![(column.into(), Expr::Param(value))], where_clause: by_id(id), returning: vec![] })
    };
    let result = match op {
        Op::Insert(rows) => {
            let rows = rows.iter().map(|(n, age)| vec![Datum::Text(format!("u{n}")), age.map_or(Datum::Null, Datum::Int)]).collect();
            let statement = Statement::Insert(Insert { table: "user".into(), columns: vec!["username".into(), "age".into()], rows, returning: vec!["id".into()] });
            db.execute(&statement).map(drop)
        }
        Op::SetAge(id, age) => db.execute(&update(*id, "age", age.map_or(Datum::Null, Datum::Int))).map(drop),
        Op::Rename(id, n) => db.execute(&update(*id, "username", Datum::Text(format!("u{n}")))).map(drop),
        Op::Delete(id) => db.execute(&Statement::Delete(Delete { table: "user".into(), where_clause: by_id(*id) })).map(drop),
        Op::Commit => {
            db.commit();
            savepoints.clear();
            Ok(())
        }
        Op::Rollback => {
            db.rollback();
            savepoints.clear();
            Ok(())
        }
        Op::Savepoint => {
            savepoints.push(db.savepoint());
            Ok(())
        }
        Op::RollbackToSavepoint => match savepoints.last() {
            Some(name) => db.rollback_to_savepoint(name),
            None => Ok(()),
        },
    };
    result.is_ok()
}

fn contents(db: &mut Database) -> Rows {
    let select = Select { order_by: vec![OrderBy { expr: col("user", "id"), descending: false }], ..select_all("user", &["id", "username", "age"]) };
    rows(db, select)
        .into_iter()
        .map(|row| match row.as_slice() {
            [Datum::Int(id), Datum::Text(name), age] => (*id, (name.clone(), if let Datum::Int(a) = age { Some(*a) } else { None })),
            other => panic!("unexpected row {other:?}"),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn database_matches_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let mut db = users_db();
        let mut model = Model::default();
        let mut savepoints = Vec::new();
        for op in &ops {
            let expected = model.apply(op);
            let actual = run(&mut db, op, &mut savepoints);
            prop_assert_eq!(actual, expected, "outcome of {:?}", op);
            prop_assert_eq!(contents(&mut db), model.current.clone(), "after {:?}", op);
        }
        db.rollback();
        prop_assert_eq!(contents(&mut db), model.committed.clone());
    }
}

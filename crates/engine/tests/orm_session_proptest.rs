//! Random sessions written in Python — add, change, delete, flush, commit, rollback,
//! begin_nested, expire_all and queries — run through the playground against a plain model of
//! what the database and the session should hold: no divergence, no panic, no error.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sqla_engine::playground::Playground;

#[derive(Debug, Clone)]
enum Op {
    /// Adds items named by fresh numbers (names are never reused, so a delete and an add of
    /// one name never meet in one flush, where SQLAlchemy inserts before it deletes).
    Add(Vec<i64>),
    /// Sets the quantity of the item at this position of the current items (by name order).
    Change(usize, i64),
    Delete(usize),
    Flush,
    Commit,
    Rollback,
    /// `begin_nested()`, and later either `commit()` or `rollback()` of that savepoint.
    Nested,
    ReleaseNested,
    RollbackNested,
    ExpireAll,
    Query,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => proptest::collection::vec(0..100i64, 1..4).prop_map(Op::Add),
        3 => (0..8usize, 0..100i64).prop_map(|(i, q)| Op::Change(i, q)),
        2 => (0..8usize).prop_map(Op::Delete),
        1 => Just(Op::Flush),
        2 => Just(Op::Commit),
        1 => Just(Op::Rollback),
        1 => Just(Op::Nested),
        1 => Just(Op::ReleaseNested),
        1 => Just(Op::RollbackNested),
        1 => Just(Op::ExpireAll),
        2 => Just(Op::Query),
    ]
}

/// name → quantity
type Items = BTreeMap<String, i64>;

/// The committed rows, the rows inside the open transaction (flushed), and the session's
/// unflushed changes on top.
#[derive(Default)]
struct Model {
    committed: Items,
    flushed: Items,
    added: Items,
    changed: Items,
    deleted: Vec<String>,
    /// The flushed rows at each open `begin_nested()`, innermost last, and whether its
    /// SAVEPOINT started SQLite's own transaction (Python's sqlite3 driver begins one only
    /// before a data change, so releasing such a savepoint commits).
    /// Each open savepoint: the flushed rows when it began, and once SQLAlchemy has sent its
    /// SAVEPOINT (it does so lazily, with the first statement inside it) whether that
    /// SAVEPOINT started SQLite's transaction.
    savepoints: Vec<(Items, Option<bool>)>,
    /// Whether SQLite itself is in a transaction (a data change or a savepoint since COMMIT).
    driver_began: bool,
    next_name: usize,
}

impl Model {
    /// What a query sees after its autoflush.
    fn current(&self) -> Items {
        let mut items = self.flushed.clone();
        items.extend(self.changed.clone());
        items.retain(|name, _| !self.deleted.contains(name));
        items.extend(self.added.clone());
        items
    }

    fn flush(&mut self) {
        let current = self.current();
        if current != self.flushed {
            self.send();
        }
        self.driver_began |= current != self.flushed;
        self.flushed = current;
        self.added.clear();
        self.changed.clear();
        self.deleted.clear();
    }

    /// A statement is sent: the savepoints not sent yet go first, outermost first.
    fn send(&mut self) {
        for (_, sent) in &mut self.savepoints {
            if sent.is_none() {
                *sent = Some(!self.driver_began);
                self.driver_began = true;
            }
        }
    }

    /// Forgets the unflushed changes (a rollback, or a savepoint's).
    fn discard(&mut self) {
        self.added.clear();
        self.changed.clear();
        self.deleted.clear();
    }

    /// The Python that performs `op`, and the model updated as the real stack would be.
    fn step(&mut self, op: &Op) -> Option<String> {
        let nth = |items: &Items, i: usize| items.keys().nth(i % items.len().max(1)).cloned();
        Some(match op {
            Op::Add(quantities) => {
                let mut objects = Vec::new();
                for qty in quantities {
                    self.next_name += 1;
                    let name = format!("item{}", self.next_name);
                    objects.push(format!("Item(name='{name}', qty={qty})"));
                    self.added.insert(name, *qty);
                }
                format!("db.session.add_all([{}])", objects.join(", "))
            }
            Op::Change(i, qty) => {
                // The query autoflushes; the new value stays in the session.
                let name = nth(&self.current(), *i)?;
                self.flush();
                self.send();
                self.changed.insert(name.clone(), *qty);
                format!("Item.query.filter_by(name='{name}').one().qty = {qty}")
            }
            Op::Delete(i) => {
                let name = nth(&self.current(), *i)?;
                self.flush();
                self.send();
                self.deleted.push(name.clone());
                format!("db.session.delete(Item.query.filter_by(name='{name}').one())")
            }
            Op::Flush => {
                self.flush();
                "db.session.flush()".into()
            }
            Op::Commit => {
                self.flush();
                self.committed = self.flushed.clone();
                self.savepoints.clear();
                self.driver_began = false;
                "db.session.commit()".into()
            }
            Op::Rollback => {
                self.discard();
                self.flushed = self.committed.clone();
                self.savepoints.clear();
                self.driver_began = false;
                "db.session.rollback()".into()
            }
            Op::Nested => {
                self.flush();
                self.savepoints.push((self.flushed.clone(), None));
                "nested.append(db.session.begin_nested())".into()
            }
            Op::ReleaseNested => {
                self.savepoints.last()?;
                self.flush();
                let (_, sent) = self.savepoints.pop()?;
                if sent == Some(true) {
                    self.committed = self.flushed.clone();
                    self.driver_began = false;
                }
                "nested.pop().commit()".into()
            }
            Op::RollbackNested => {
                self.flushed = self.savepoints.pop()?.0;
                self.discard();
                "nested.pop().rollback()".into()
            }
            Op::ExpireAll => {
                // Expiring discards unflushed changes of persistent objects; pending and
                // deleted objects stay as they are.
                self.changed.clear();
                "db.session.expire_all()".into()
            }
            Op::Query => {
                self.flush();
                self.send();
                "print(sorted((i.name, i.qty) for i in Item.query.all()))".into()
            }
        })
    }
}

fn listing(items: &Items) -> String {
    let pairs: Vec<String> = items.iter().map(|(n, q)| format!("('{n}', {q})")).collect();
    format!("[{}]\n", pairs.join(", "))
}

const MODELS: &str = "\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'
db = SQLAlchemy(app)
class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20), unique=True, nullable=False)
    qty = db.Column(db.Integer, nullable=False)
nested = []
";

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn sessions_match_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let mut playground = Playground::new();
        let applied = playground.apply_models(MODELS, false);
        prop_assert_eq!(applied.run.error.map(|e| e.traceback), None);
        let mut model = Model::default();
        let mut script = Vec::new();
        for op in &ops {
            let Some(code) = model.step(op) else { continue };
            script.push(code.clone());
            let run = playground.run_console(&code);
            prop_assert_eq!(run.error.map(|e| e.traceback), None, "after:\n{}", script.join("\n"));
            if matches!(op, Op::Query) {
                prop_assert_eq!(run.output, listing(&model.flushed), "after:\n{}", script.join("\n"));
            }
        }
        // What is committed survives a rollback of everything else.
        let end = playground.run_console("db.session.rollback(); print(sorted((i.name, i.qty) for i in Item.query.all()))");
        prop_assert_eq!(end.error.map(|e| e.traceback), None, "after:\n{}", script.join("\n"));
        prop_assert_eq!(end.output, listing(&model.committed), "after:\n{}", script.join("\n"));
    }
}

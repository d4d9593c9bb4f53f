//! The event log: one event per statement and transaction step, with origin,
//! batch membership, timing from the host clock, and errors.

mod db_support;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use db_support::*;
use sqla_engine::db::{EventKind, Reason};
use sqla_engine::sql::*;

#[test]
fn events_record_origin_rows_batches_and_errors() {
    let mut db = users_db();
    let ticks = Rc::new(Cell::new(0.0));
    let clock = Rc::clone(&ticks);
    db.set_clock(Rc::new(move || {
        clock.set(clock.get() + 0.25);
        clock.get()
    }));
    let mark = db.last_event_seq();
    db.set_origin(Some(7), Reason::Flush);
    let batch = Insert {
        table: "user".into(),
        columns: vec!["username".into()],
        rows: vec![vec!["a".into()], vec!["b".into()]],
        returning: vec!["id".into()],
    };
    db.execute(&Statement::Insert(batch)).expect("batch");
    db.set_origin(Some(8), Reason::Autoflush);
    let found = db.execute(&Statement::Select(select_all("user", &["id"]))).expect("select");
    assert_eq!(found.rows.len(), 2);
    db.set_origin(Some(9), Reason::Statement);
    db.execute(&insert("user", &["username"], vec![vec!["a".into()]])).expect_err("duplicate");

    let events = db.events_since(mark);
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Begin, EventKind::Insert, EventKind::Insert, EventKind::Select, EventKind::Insert]);
    assert_eq!(events.iter().map(|e| e.origin.line).collect::<Vec<_>>(), [Some(7), Some(7), Some(7), Some(8), Some(9)]);
    assert_eq!(events[3].origin.reason, Reason::Autoflush);
    let (first, second) = (&events[1], &events[2]);
    assert_eq!(first.batch.map(|b| (b.position, b.size)), Some((1, 2)));
    assert_eq!(second.batch.map(|b| b.id), first.batch.map(|b| b.id));
    let shared = first.glue_sql.as_ref().zip(second.glue_sql.as_ref()).is_some_and(|(a, b)| Arc::ptr_eq(a, b));
    assert!(shared, "one GlueSQL statement for the batch");
    assert_eq!(first.glue_sql.as_deref(), Some("INSERT INTO \"user\" (\"id\", \"username\") VALUES (1, 'a'), (2, 'b')"));
    assert_eq!(events[3].rows, Some(2));
    assert!(events.iter().all(|e| e.seq > mark && e.transaction == Some(2)));
    assert!(events[3].duration_ms > 0.0 && events[3].echo_params.starts_with("[generated in 0.00025s]"), "{}", events[3].echo_params);
    let error = events[4].error.as_ref().expect("error recorded");
    assert_eq!(error.message, "UNIQUE constraint failed: user.username");

    let last = db.last_event_seq();
    db.clear_events();
    assert!(db.events_since(0).is_empty());
    db.commit();
    assert_eq!(db.events_since(0).first().map(|e| e.seq), Some(last + 1), "numbering continues after clear");
}

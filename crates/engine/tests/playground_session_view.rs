//! The session inspector's view: every tracked object with its state, `session.new` / `.dirty`
//! (old values) / `.deleted`, and — for a bulk insert — only as many objects as asked for,
//! with the counts of all of them.

use sqla_engine::playground::Playground;

const MODELS: &str = "class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    body = db.Column(db.String(40))\n";

fn playground() -> Playground {
    let mut playground = Playground::new();
    let applied = playground.apply_models(MODELS, false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    playground
}

fn console(playground: &mut Playground, input: &str) {
    let run = playground.run_console(input);
    assert_eq!(run.error.map(|e| e.traceback), None, "input: {input}");
}

#[test]
fn a_limited_view_describes_the_first_objects_and_counts_them_all() {
    let mut playground = playground();
    console(&mut playground, "db.session.add_all([Note(body=str(i)) for i in range(30)])");
    let view = playground.session_view_limited(5);
    assert_eq!(view.objects.len(), 5);
    assert_eq!(view.object_count, 30);
    assert_eq!(view.new.len(), 5);
    assert_eq!(view.new_count, 30);
    assert!(view.new[0].starts_with("<Note (pending "), "{}", view.new[0]);
    assert!(view.objects.iter().all(|object| object.state == "pending"));
    assert_eq!((view.dirty_count, view.deleted_count), (0, 0));

    let full = playground.session_view();
    assert_eq!((full.objects.len(), full.new.len()), (30, 30));
}

#[test]
fn dirty_and_deleted_objects_carry_their_counts_and_old_values() {
    let mut playground = playground();
    console(&mut playground, "db.session.add_all([Note(body='a'), Note(body='b')]); db.session.commit()");
    // Loading Note 2 autoflushes: change Note 1 after it.
    console(&mut playground, "n1 = db.session.get(Note, 1); db.session.delete(db.session.get(Note, 2)); n1.body = 'changed'");
    let view = playground.session_view();
    assert_eq!((view.dirty_count, view.deleted_count, view.new_count), (1, 1, 0));
    assert_eq!(view.dirty, vec!["<Note 1>".to_owned()]);
    assert_eq!(view.deleted, vec!["<Note 2>".to_owned()]);
    let note = view.objects.iter().find(|object| object.repr == "<Note 1>").expect("Note 1 is tracked");
    let body = note.attributes.iter().find(|attribute| attribute.name == "body").expect("body is shown");
    assert_eq!((body.old.as_deref(), body.value.as_deref()), (Some("'a'"), Some("'changed'")));
    assert!(view.objects.iter().any(|object| object.repr == "<Note 2>" && object.marked_for_delete));
    assert!(view.transaction_open);
}

#[test]
fn an_object_deleted_by_a_flush_shows_as_deleted_until_the_commit() {
    let mut playground = playground();
    console(&mut playground, "note = Note(body='a'); db.session.add(note); db.session.commit()");
    console(&mut playground, "db.session.delete(note); db.session.flush()");
    let view = playground.session_view();
    assert_eq!(view.deleted_count, 0, "session.deleted is empty after the flush");
    let states: Vec<(&str, &str)> = view.objects.iter().map(|object| (object.repr.as_str(), object.state)).collect();
    assert_eq!(states, vec![("<Note 1>", "deleted")]);
    console(&mut playground, "db.session.commit()");
    assert!(playground.session_view().objects.is_empty());
}

//! Persistence faults on the engine side: the browser hands `Playground::with_snapshots` the
//! committed databases it kept, and they may be corrupted, truncated, from another format
//! version or not ours at all. The script still runs, the database starts empty with a note
//! that names the database and the reason, other databases are unaffected, and the unread
//! bytes are not overwritten behind the user's back.

use std::collections::HashMap;

use sqla_engine::db::{Database, SnapshotError};
use sqla_engine::playground::Playground;
use sqla_engine::script::Limits;

const SITE: &str = "sqlite:///site.db";
const OTHER: &str = "sqlite:///other.db";

fn setup(uri: &str) -> String {
    format!(
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n\
         app.config['SQLALCHEMY_DATABASE_URI'] = '{uri}'\ndb = SQLAlchemy(app)\n\
         class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    body = db.Column(db.String(80), unique=True)\n\
         with app.app_context():\n    db.create_all()\n"
    )
}

/// The committed snapshots of a playground that stored `bodies` in `uri`.
fn saved_with(uri: &str, bodies: &[&str]) -> HashMap<String, Vec<u8>> {
    let mut playground = Playground::new();
    let adds: String = bodies.iter().map(|body| format!("    db.session.add(Note(body={body:?}))\n")).collect();
    let script = format!("{}with app.app_context():\n{adds}    db.session.commit()\n", setup(uri));
    assert_eq!(playground.run_script(&script).error.map(|e| e.traceback), None);
    playground.saved_databases()
}

/// What a fresh playground started from `saved` finds in `uri`, and the notes it shows.
fn reopen(saved: HashMap<String, Vec<u8>>, uri: &str) -> (Playground, String, Vec<String>) {
    let mut playground = Playground::with_snapshots(saved, Limits::default());
    let script = format!("{}with app.app_context():\n    print([n.body for n in Note.query.order_by(Note.id)])\n", setup(uri));
    let run = playground.run_script(&script);
    assert_eq!(run.error.map(|e| e.traceback), None);
    let notes = playground.take_notes();
    (playground, run.output, notes)
}

fn header(version: u16, payload: &[u8]) -> Vec<u8> {
    // The documented layout: magic, version, payload length, FNV-1a of the payload.
    let checksum = payload.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3));
    let mut bytes = b"SQLAPGDB".to_vec();
    bytes.extend_from_slice(&version.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&checksum.to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

#[test]
fn committed_notes_survive_a_reload() {
    let saved = saved_with(SITE, &["first", "second"]);
    let (_, output, notes) = reopen(saved, SITE);
    assert_eq!(output, "['first', 'second']\n");
    assert_eq!(notes, Vec::<String>::new());
}

#[test]
fn unreadable_snapshots_start_empty_with_a_note_that_says_why() {
    let good = saved_with(SITE, &["kept"]).remove(SITE).expect("a snapshot");
    let payload = &good[22..];
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x01;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("corrupted", flipped, "saved database is corrupted (checksum mismatch)"),
        ("truncated", good[..good.len() / 2].to_vec(), "saved database is truncated"),
        ("older format", header(0, payload), "saved database has format version 0; this playground reads version 1"),
        ("newer format", header(2, payload), "saved database has format version 2; this playground reads version 1"),
        ("foreign", b"SQLite format 3\0".to_vec(), "saved database is not a sqla-playground snapshot"),
        ("empty", Vec::new(), "saved database is not a sqla-playground snapshot"),
        ("bad payload", header(1, &[0xff; 40]), "saved database is invalid"),
    ];
    for (what, bytes, reason) in cases {
        let mut saved = saved_with(OTHER, &["elsewhere"]);
        saved.insert(SITE.to_owned(), bytes);
        let (mut playground, output, notes) = reopen(saved, SITE);
        assert_eq!(output, "[]\n", "{what}: the database starts empty");
        assert_eq!(notes.len(), 1, "{what}: {notes:?}");
        assert!(notes[0].starts_with(&format!("the saved data of {SITE} could not be read ({reason}")), "{what}: {}", notes[0]);
        assert!(notes[0].ends_with("it starts empty"), "{what}: {}", notes[0]);
        // The other database is untouched.
        let other = playground.saved_databases().remove(OTHER).expect("the other database is kept");
        let (_, output, _) = reopen(HashMap::from([(OTHER.to_owned(), other)]), OTHER);
        assert_eq!(output, "['elsewhere']\n", "{what}");
    }
}

#[test]
fn unread_bytes_are_not_overwritten_until_new_data_is_committed() {
    let mut old_format = saved_with(SITE, &["precious"]).remove(SITE).expect("a snapshot");
    old_format[8] = 0; // format version 0
    let saved = HashMap::from([(SITE.to_owned(), old_format.clone())]);
    let (mut playground, _, notes) = reopen(saved, SITE);
    assert_eq!(notes.len(), 1);
    assert_eq!(playground.saved_databases().get(SITE), Some(&old_format), "reading nothing overwrites nothing");
    // Applying the models creates the tables again: that is no new data either.
    assert_eq!(playground.apply_models(&setup(SITE), false).run.error.map(|e| e.traceback), None);
    assert_eq!(playground.take_notes().len(), 1, "the note is shown again: the data still could not be read");
    assert_eq!(playground.saved_databases().get(SITE), Some(&old_format), "applying the models overwrites nothing");

    let commit = playground.run_console("db.session.add(Note(body='new')); db.session.commit()");
    assert_eq!(commit.error.map(|e| e.traceback), None);
    let replaced = playground.saved_databases().remove(SITE).expect("a snapshot");
    assert_ne!(replaced, old_format, "committing after the note replaces the unreadable data");
    let (_, output, _) = reopen(HashMap::from([(SITE.to_owned(), replaced)]), SITE);
    assert_eq!(output, "['new']\n");
}

#[test]
fn a_refused_restore_leaves_the_database_as_it_was() {
    let good = saved_with(SITE, &["a", "b", "c"]).remove(SITE).expect("a snapshot");
    let mut db = Database::new();
    db.restore(&good).expect("restore");
    let before = db.table_views();
    for cut in [0, 1, 8, 10, 21, 22, good.len() - 1] {
        let error = db.restore(&good[..cut]).expect_err("a cut snapshot is refused");
        assert!(matches!(error, SnapshotError::NotASnapshot | SnapshotError::Truncated { .. }), "cut at {cut}: {error:?}");
        assert_eq!(db.table_views(), before, "cut at {cut}");
    }
}

/// Every single-byte change of a valid payload (with its checksum made to match, so the
/// decoder itself is exercised): refused with a reason, or a database the ORM can query.
#[test]
fn every_single_byte_change_is_refused_or_usable() {
    let good = saved_with(SITE, &["alpha", "beta"]).remove(SITE).expect("a snapshot");
    let payload = good[22..].to_vec();
    let mut accepted = 0;
    for position in 0..payload.len() {
        for value in [0x00, 0x01, 0x7f, 0x80, 0xff, payload[position] ^ 0x20] {
            let mut damaged = payload.clone();
            damaged[position] = value;
            let bytes = header(1, &damaged);
            let mut probe = Database::new();
            match probe.restore(&bytes) {
                Err(error) => assert!(!error.to_string().is_empty()),
                Ok(()) => {
                    accepted += 1;
                    let mut playground = Playground::with_snapshots(HashMap::from([(SITE.to_owned(), bytes)]), Limits::default());
                    let run = playground.run_script(&format!("{}with app.app_context():\n    print(len(Note.query.all()))\n", setup(SITE)));
                    if let Some(error) = run.error {
                        assert!(!error.message.is_empty(), "byte {position} = {value:#x}: {}", error.traceback);
                    }
                }
            }
        }
    }
    assert!(accepted > 0, "some changes (e.g. inside a text value) still decode");
}

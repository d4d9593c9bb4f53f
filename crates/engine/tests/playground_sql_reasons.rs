//! Each SQL event says why it was sent, so the SQL panel can mark autoflushes and lazy loads.

use sqla_engine::playground::Playground;

#[test]
fn an_autoflush_is_marked_apart_from_an_explicit_flush() {
    let mut playground = Playground::new();
    let applied = playground.apply_models(
        "class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    body = db.Column(db.String(20))\n",
        false,
    );
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    let reasons = |playground: &mut Playground, input: &str| -> Vec<(String, String)> {
        let run = playground.run_console(input);
        assert_eq!(run.error.map(|e| e.traceback), None, "input: {input}");
        run.events.into_iter().filter(|e| e.echo.starts_with("INSERT")).map(|e| (e.echo, e.reason.to_string())).collect()
    };
    assert_eq!(
        reasons(&mut playground, "db.session.add(Note(body='a')); Note.query.count()"),
        [("INSERT INTO note (body) VALUES (?)".to_string(), "autoflush".to_string())]
    );
    assert_eq!(
        reasons(&mut playground, "db.session.add(Note(body='b')); db.session.flush()"),
        [("INSERT INTO note (body) VALUES (?)".to_string(), "flush".to_string())]
    );
}

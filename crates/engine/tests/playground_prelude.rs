//! Scripts, models and console input without the usual set-up find `app`, `db` and the common
//! names predefined, as in `flask shell` with an app that imports them; their own set-up wins.

use sqla_engine::playground::Playground;

fn console(playground: &mut Playground, input: &str) -> String {
    let run = playground.run_console(input);
    assert_eq!(run.error.map(|e| e.traceback), None, "input: {input}");
    run.output
}

#[test]
fn a_script_without_set_up_uses_the_predefined_app_and_db() {
    let mut playground = Playground::new();
    let run = playground.run_script(
        "class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    body = db.Column(db.String(40))\n\
         db.create_all()\ndb.session.add(Note(body='hi'))\ndb.session.commit()\n\
         print(Note.query.all(), db.session.scalar(select(func.count(Note.id))))\n",
    );
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(run.output, "[<Note 1>] 1\n");
}

#[test]
fn models_without_set_up_apply_and_the_console_uses_them() {
    let mut playground = Playground::new();
    let applied = playground.apply_models("class Tag(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n", false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    assert!(applied.run.events.iter().any(|e| e.echo.contains("CREATE TABLE tag")));
    console(&mut playground, "db.session.add(Tag())");
    assert_eq!(console(&mut playground, "Tag.query.count()"), "1\n");
}

#[test]
fn a_console_session_that_sets_up_its_own_app_runs_in_that_apps_context() {
    let mut playground = Playground::new();
    for line in [
        "from flask import Flask",
        "from flask_sqlalchemy import SQLAlchemy",
        "app = Flask(__name__)",
        "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'",
        "db = SQLAlchemy(app)",
        "class Pin(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
        "db.create_all()",
    ] {
        console(&mut playground, line);
    }
    assert_eq!(console(&mut playground, "Pin.query.count()"), "0\n");
    assert_eq!(console(&mut playground, "print(db.engine.url)"), "sqlite://\n");
}

#[test]
fn a_script_with_its_own_set_up_gets_no_prelude() {
    let mut playground = Playground::new();
    let run = playground.run_script("from flask import Flask\napp = Flask(__name__)\nprint(app.name)\nselect\n");
    assert_eq!(run.output, "app\n");
    assert_eq!(run.error.map(|e| e.message), Some("name 'select' is not defined".to_owned()));
}

#[test]
fn a_script_that_sets_up_its_app_in_a_loop_gets_no_prelude() {
    for set_up in ["for round in range(1):\n    app = Flask(__name__)\n", "while True:\n    app = Flask(__name__)\n    break\n", "for app in [Flask(__name__)]:\n    pass\n"] {
        let mut playground = Playground::new();
        let run = playground.run_script(&format!("from flask import Flask\n{set_up}print(app.name)\nselect\n"));
        assert_eq!(run.output, "app\n", "{set_up}");
        assert_eq!(run.error.map(|e| e.message), Some("name 'select' is not defined".to_owned()), "{set_up}");
    }
}

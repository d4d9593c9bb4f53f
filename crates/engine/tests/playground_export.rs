//! Taking work out: `app.py` for the real Flask-SQLAlchemy (it replays the session; here it is
//! checked by running it in a fresh playground, and the browser test runs it with CPython),
//! the SQL dump, a table as CSV and JSON.

use sqla_engine::playground::Playground;

const PRELUDE_MODELS: &str = "class Book(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    title = db.Column(db.String(80), nullable=False)\n    price = db.Column(db.Float)\n";

const SET_UP_MODELS: &str = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\ndb = SQLAlchemy(app)\n\nclass Shelf(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    label = db.Column(db.String(20))\n";

/// Runs `inputs` at the console; returns the successful ones and everything they printed.
fn session(playground: &mut Playground, inputs: &[&str]) -> (Vec<String>, String) {
    let mut printed = String::new();
    let mut succeeded = Vec::new();
    for input in inputs {
        let run = playground.run_console(input);
        printed.push_str(&run.output);
        if run.error.is_none() {
            succeeded.push((*input).to_owned());
        }
    }
    (succeeded, printed)
}

#[test]
fn app_py_of_models_without_set_up_starts_with_the_predefined_set_up_and_replays_the_session() {
    let mut playground = Playground::new();
    playground.apply_models(PRELUDE_MODELS, false);
    let (inputs, printed) = session(
        &mut playground,
        &[
            "db.session.add_all([Book(title='Dune', price=9.5), Book(title='Emma')])",
            "db.session.commit()",
            "Book.query.order_by(Book.title).all()",
            "no_such_name",
            "for book in Book.query.all():\n    print(book.title, book.price)\n",
            "db.session.get(Book, 1).title",
        ],
    );
    assert_eq!(inputs.len(), 5, "the NameError input is left out");
    let app_py = playground.export_app_py(&inputs);
    assert!(app_py.contains("from flask_sqlalchemy import SQLAlchemy\n"));
    assert!(app_py.contains("app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///playground.db'\n"));
    assert!(app_py.contains("    db.drop_all()\n    db.create_all()\n"));
    assert!(app_py.contains("    _show(Book.query.order_by(Book.title).all())\n"));
    assert!(app_py.contains("    for book in Book.query.all():\n        print(book.title, book.price)\n"));
    assert!(!app_py.contains("no_such_name"));

    let mut fresh = Playground::new();
    let replay = fresh.run_script(&app_py);
    assert_eq!(replay.error.map(|e| e.traceback), None);
    assert_eq!(printed, "[<Book 1>, <Book 2>]\nDune 9.5\nEmma None\n'Dune'\n");
    assert_eq!(replay.output, printed);
}

#[test]
fn app_py_of_models_with_their_own_set_up_has_no_predefined_set_up() {
    let mut playground = Playground::new();
    playground.apply_models(SET_UP_MODELS, false);
    let (inputs, _) = session(&mut playground, &["db.session.add(Shelf(label='A'))", "db.session.commit()", "Shelf.query.count()"]);
    let app_py = playground.export_app_py(&inputs);
    assert!(!app_py.contains("playground.db"));
    assert_eq!(app_py.matches("app = Flask(").count(), 1);
    let replay = Playground::new().run_script(&app_py);
    assert_eq!(replay.error.map(|e| e.traceback), None);
    assert_eq!(replay.output, "1\n");
}

#[test]
fn a_table_as_csv_json_and_the_database_as_sql() {
    let mut playground = Playground::new();
    playground.apply_models(PRELUDE_MODELS, false);
    session(&mut playground, &["db.session.add_all([Book(title='War, \"and\" Peace', price=3.0), Book(title='Emma')])", "db.session.commit()"]);
    assert_eq!(playground.table_csv("book").as_deref(), Some("id,title,price\r\n1,\"War, \"\"and\"\" Peace\",3.0\r\n2,Emma,\r\n"));
    let json: serde_json::Value = serde_json::from_str(&playground.table_json("book").expect("the table exists")).expect("valid JSON");
    assert_eq!(json, serde_json::json!([{"id": 1, "title": "War, \"and\" Peace", "price": 3.0}, {"id": 2, "title": "Emma", "price": null}]));
    assert_eq!(playground.table_csv("nope"), None);
    let dump = playground.sql_dump();
    assert!(dump.contains("CREATE TABLE book"), "{dump}");
    assert!(dump.contains("INSERT INTO book VALUES(2,'Emma',NULL);") || dump.contains("'Emma'"), "{dump}");
}

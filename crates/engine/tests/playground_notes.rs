//! Settings that cannot mean anything in a browser tab (a database server, a connection pool,
//! options Flask-SQLAlchemy 3 removed) run anyway and say once, in the output, what happens instead.

use sqla_engine::playground::Playground;

fn run(script: &str) -> String {
    let run = Playground::new().run_script(script);
    assert_eq!(run.error.map(|e| e.traceback), None);
    run.output
}

const SET_UP: &str = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\n";
const MODEL_AND_USE: &str = "db = SQLAlchemy(app)\nclass Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\
    with app.app_context():\n    db.create_all()\n    db.session.add(Item())\n    db.session.commit()\n    print(Item.query.count())\n";

#[test]
fn a_server_url_runs_on_sqlite_and_says_so_without_the_password() {
    let output = run(&format!(
        "{SET_UP}app.config['SQLALCHEMY_DATABASE_URI'] = 'postgresql://bob:secret@db.example/shop'\n{MODEL_AND_USE}"
    ));
    assert_eq!(output, "(The playground has no database server: postgresql://bob:***@db.example/shop runs on SQLite in your browser.)\n1\n");
}

#[test]
fn pool_settings_and_commit_on_teardown_are_explained_once() {
    let output = run(&format!(
        "{SET_UP}app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///shop.db'\napp.config['SQLALCHEMY_POOL_SIZE'] = 5\n\
         app.config['SQLALCHEMY_POOL_RECYCLE'] = 280\napp.config['SQLALCHEMY_COMMIT_ON_TEARDOWN'] = True\n{MODEL_AND_USE}"
    ));
    assert_eq!(
        output,
        "(The playground has no connection pool: SQLALCHEMY_POOL_SIZE, SQLALCHEMY_POOL_RECYCLE have no effect in your browser.)\n\
         (SQLALCHEMY_COMMIT_ON_TEARDOWN has no effect: Flask-SQLAlchemy 3 removed it; call db.session.commit() yourself.)\n1\n"
    );
}

#[test]
fn a_sqlite_url_needs_no_explanation() {
    let output = run(&format!("{SET_UP}app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///shop.db'\n{MODEL_AND_USE}"));
    assert_eq!(output, "1\n");
}

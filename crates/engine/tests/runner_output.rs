//! What the native runner (`sqla-run`, `make run`) prints, byte for byte: stdout, stderr and
//! the exit status, run as `python app.py` and as typed into `flask shell` (`--console`).

use std::process::Command;

struct Run {
    stdout: String,
    stderr: String,
    status: Option<i32>,
}

/// Runs `source` saved as app.py with the given runner options.
fn sqla_run(name: &str, source: &str, options: &[&str]) -> Run {
    let dir = std::env::temp_dir().join(format!("sqla-run-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let script = dir.join("app.py");
    std::fs::write(&script, source).expect("writable");
    let output = Command::new(env!("CARGO_BIN_EXE_sqla-run")).args(options).arg(&script).output().expect("sqla-run runs");
    let _ = std::fs::remove_dir_all(&dir);
    Run { stdout: String::from_utf8_lossy(&output.stdout).into_owned(), stderr: String::from_utf8_lossy(&output.stderr).into_owned(), status: output.status.code() }
}

const SET_UP: &str = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n";

const ALREADY_DEFINED: &str = "sqlalchemy.exc.InvalidRequestError: Table 'user' is already defined for this MetaData instance.  \
     Specify 'extend_existing=True' to redefine options and columns on an existing Table object.\n";

/// The same app, db and model made twice in one run: each `SQLAlchemy()` has its own
/// MetaData, so the second round is new tables in a new in-memory database.
#[test]
fn a_script_that_makes_its_app_and_models_twice_runs_both_rounds() {
    let source = format!(
        "{SET_UP}for round in range(2):\n    app = Flask(__name__)\n    app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\n    db = SQLAlchemy(app)\n\
         \x20   class User(db.Model):\n        id = db.Column(db.Integer, primary_key=True)\n        name = db.Column(db.String(80))\n\
         \x20   with app.app_context():\n        db.create_all()\n        db.session.add(User(name='a'))\n        db.session.commit()\n\
         \x20       print(round, User.query.count(), db.metadata is User.metadata)\n"
    );
    for options in [&[][..], &["--console"][..]] {
        let run = sqla_run("twice", &source, options);
        assert_eq!(run.stdout, "0 1 True\n1 1 True\n", "{options:?}");
        assert_eq!(run.stderr, "", "{options:?}");
        assert_eq!(run.status, Some(0), "{options:?}");
    }
}

/// A failing console statement prints one traceback, ending with its newline, naming the
/// console input (the script is not run again as the module `app`); the next statement runs.
#[test]
fn a_failing_console_statement_prints_its_traceback_once() {
    let source = format!(
        "{SET_UP}app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\ndb = SQLAlchemy(app)\n\
         for round in range(2):\n    class User(db.Model):\n        id = db.Column(db.Integer, primary_key=True)\n    print(round)\n\
         print('after')\n"
    );
    let console = sqla_run("console-error", &source, &["--console", "-W", "ignore"]);
    assert_eq!(console.stdout, "0\nafter\n");
    assert_eq!(console.stderr, format!("Traceback (most recent call last):\n  File \"<console>\", line 2, in <module>\n{ALREADY_DEFINED}"));
    assert_eq!(console.status, Some(0));

    let script = sqla_run("script-error", &source, &["-W", "ignore"]);
    assert_eq!(script.stdout, "0\n");
    assert_eq!(script.stderr, format!("Traceback (most recent call last):\n  File \"app.py\", line 7, in <module>\n    class User(db.Model):\n{ALREADY_DEFINED}"));
    assert_eq!(script.status, Some(1));
}

/// Declaring a class again in the same `db` warns as SQLAlchemy does (the warning is part of
/// the output, before the error it precedes).
#[test]
fn a_model_declared_again_in_the_same_db_warns_then_fails() {
    let source = format!(
        "{SET_UP}app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\ndb = SQLAlchemy(app)\n\
         class User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\
         class User(db.Model):\n    __tablename__ = 'person'\n    id = db.Column(db.Integer, primary_key=True)\n\
         class User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
    );
    let run = sqla_run("again", &source, &[]);
    let warning = |line: u32| {
        format!(
            "app.py:{line}: SAWarning: This declarative base already contains a class with the same class name and module name as __main__.User, \
             and will be replaced in the string-lookup table.\n  class User(db.Model):\n"
        )
    };
    assert_eq!(run.stdout, format!("{}{}", warning(8), warning(11)));
    assert_eq!(run.stderr, format!("Traceback (most recent call last):\n  File \"app.py\", line 11, in <module>\n    class User(db.Model):\n{ALREADY_DEFINED}"));
    assert_eq!(run.status, Some(1));
}

//! Applying the models as the editor does: errors with their position, the console in the
//! app's context afterwards (as in `flask shell`), tables that exist with another shape
//! reported and only dropped when asked.

use sqla_engine::playground::Playground;

const TUTORIAL_STYLE: &str = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///site.db'\ndb = SQLAlchemy(app)\n\nclass Member(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    nick = db.Column(db.String(20), unique=True, nullable=False)\n";

#[test]
fn after_models_with_their_own_app_the_console_runs_in_its_context() {
    let mut playground = Playground::new();
    let applied = playground.apply_models(TUTORIAL_STYLE, false);
    assert_eq!(applied.run.error, None);
    assert!(applied.run.events.iter().any(|e| e.echo.contains("CREATE TABLE member")));
    let run = playground.run_console("db.session.add(Member(nick='ann')); db.session.commit(); print(Member.query.count())");
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(run.output, "1\n");
}

#[test]
fn an_error_in_the_models_says_its_line_and_column() {
    let mut playground = Playground::new();
    let syntax = playground.apply_models("class Member(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    nick = = 3\n", false);
    let error = syntax.run.error.expect("a syntax error");
    assert_eq!((error.type_name.as_str(), error.line, error.column), ("SyntaxError", Some(3), Some(12)));
    let runtime = playground.apply_models("class Member(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    nick = db.Colum(db.String)\n", false);
    let error = runtime.run.error.expect("an attribute error");
    assert_eq!((error.type_name.as_str(), error.line), ("AttributeError", Some(3)));
}

#[test]
fn a_changed_model_reports_the_table_and_recreates_it_only_when_asked() {
    let mut playground = Playground::new();
    playground.apply_models(TUTORIAL_STYLE, false);
    playground.run_console("db.session.add(Member(nick='ann')); db.session.commit()");
    let changed = TUTORIAL_STYLE.replace("nullable=False)\n", "nullable=False)\n    age = db.Column(db.Integer)\n");
    let conflict = playground.apply_models(&changed, false);
    assert_eq!(conflict.conflicts, ["member"]);
    assert!(!conflict.run.events.iter().any(|e| e.echo.contains("DROP") || e.echo.contains("CREATE")));
    let rows = |playground: &mut Playground| playground.tables().iter().map(|t| (t.name.clone(), t.row_count)).collect::<Vec<_>>();
    assert_eq!(rows(&mut playground), [("member".to_owned(), 1)], "nothing was dropped");

    let recreated = playground.apply_models(&changed, true);
    assert_eq!(recreated.conflicts, Vec::<String>::new());
    let statements: Vec<&str> = recreated.run.events.iter().map(|e| e.echo.trim()).filter(|s| s.starts_with("DROP") || s.starts_with("CREATE")).collect();
    assert_eq!(statements.len(), 2, "{statements:?}");
    assert!(statements[0].starts_with("DROP TABLE member"));
    assert!(statements[1].starts_with("CREATE TABLE member"));
    assert_eq!(playground.run_console("Member.query.count()").output, "0\n");
}

/// `flask shell` imports the models as the module `app` and `python app.py` names the app
/// after its file: either way the app is `<Flask 'app'>`, also one made at the console (which
/// runs in the models' namespace; the real shell's namespace has no `__name__` of its own).
#[test]
fn the_models_app_reprs_as_flask_shell_shows_it() {
    let mut playground = Playground::new();
    let applied = playground.apply_models("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\ndb = SQLAlchemy(app)\n", false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    let typed_at_the_console = "other = Flask(__name__)\nother";
    for (input, shown) in [("app", "<Flask 'app'>\n"), ("app.name", "'app'\n"), ("import flask; flask.current_app", "<Flask 'app'>\n"), (typed_at_the_console, "<Flask 'app'>\n")] {
        let run = playground.run_console(input);
        assert_eq!(run.error.map(|e| e.traceback), None, "{input}");
        assert_eq!(run.output, shown, "{input}");
    }
}

const LEGACY_GET_MODELS: &str = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\ndb = SQLAlchemy(app)\n\
    class User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n";

/// As checked with the real libraries: `flask shell` imports the models as `app`, so
/// DeprecationWarnings (Query.get()'s LegacyAPIWarning among them) are hidden at its console
/// and in the models, and other warnings are shown; `python app.py` runs the models as
/// `__main__` and shows them.
#[test]
fn deprecation_warnings_are_hidden_in_flask_shell_and_shown_by_python_app_py() {
    let mut playground = Playground::new();
    let applied = playground.apply_models(&format!("{LEGACY_GET_MODELS}with app.app_context():\n    db.create_all()\n    User.query.get(1)\n"), false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    assert_eq!(applied.run.output, "");
    for (input, shown) in [
        ("User.query.get(1)", ""),
        ("import warnings; warnings.warn('old', DeprecationWarning)", ""),
        ("warnings.warn('careful')", "<console>:1: UserWarning: careful\n"),
        ("warnings.simplefilter('default'); User.query.get(2)", "<console>:1: LegacyAPIWarning: The Query.get() method is considered legacy as of the 1.x series of SQLAlchemy and becomes a legacy construct in 2.0. The method is now available as Session.get() (deprecated since: 2.0) (Background on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)\n"),
    ] {
        let run = playground.run_console(input);
        assert_eq!(run.error.map(|e| e.traceback), None, "{input}");
        assert_eq!(run.output, shown, "{input}");
    }

    let script = Playground::new().run_script(&format!("{LEGACY_GET_MODELS}with app.app_context():\n    db.create_all()\n    print(User.query.get(1))\n"));
    assert_eq!(script.error.map(|e| e.traceback), None);
    assert!(script.output.starts_with("app.py:10: LegacyAPIWarning: The Query.get() method is considered legacy"), "{}", script.output);
    assert!(script.output.ends_with("\n  print(User.query.get(1))\nNone\n"), "{}", script.output);
}

/// Models with a second `SQLAlchemy()` (an archive on its own app) declaring a table of the
/// same name: the playground's models are those of `db`, whose tables are created in its
/// database, shown in the diagram and checked against the stored shape; the archive keeps its
/// own.
#[test]
fn the_models_are_those_of_db_when_another_instance_declares_the_same_table() {
    let models = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\
        archive_app = Flask('archive')\narchive_app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\narchive = SQLAlchemy(archive_app)\n\
        class Member(archive.Model):\n    id = archive.Column(archive.Integer, primary_key=True)\n    retired = archive.Column(archive.Boolean)\n\
        Retired = Member\nclass Badge(archive.Model):\n    id = archive.Column(archive.Integer, primary_key=True)\n\
        app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///site.db'\ndb = SQLAlchemy(app)\n\
        class Member(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    nick = db.Column(db.String(20))\n";
    let mut playground = Playground::new();
    let applied = playground.apply_models(models, false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    let created: Vec<&str> = applied.run.events.iter().map(|e| e.echo.trim()).filter(|s| s.starts_with("CREATE")).collect();
    assert_eq!(created.len(), 1, "{created:?}");
    assert!(created[0].starts_with("CREATE TABLE member (\n\tid INTEGER NOT NULL, \n\tnick VARCHAR(20)"), "{created:?}");
    let schema = playground.schema();
    let tables: Vec<(&str, Vec<&str>)> = schema.tables.iter().map(|t| (t.name.as_str(), t.columns.iter().map(|c| c.name.as_str()).collect())).collect();
    assert_eq!(tables, [("member", vec!["id", "nick"])]);
    assert_eq!(playground.apply_models(models, false).conflicts, Vec::<String>::new(), "the stored member table is db's");

    let run = playground.run_console(
        "with archive_app.app_context():\n    archive.create_all()\n    archive.session.add(Retired(retired=True))\n    archive.session.commit()\n    count = Retired.query.count()\n",
    );
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(playground.run_console("count, archive.metadata is db.metadata, sorted(archive.metadata.tables)").output, "(1, False, ['badge', 'member'])\n");
}

/// Two instances on the same file database share its data (one SQLite file): what either
/// committed is kept for the next visit, nothing is lost to the other's copy.
#[test]
fn two_instances_on_one_file_database_keep_both_their_commits() {
    let round = "app = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///notes.db'\ndb = SQLAlchemy(app)\n\
        class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\
        with app.app_context():\n    db.create_all()\n    db.session.add(Note())\n    db.session.commit()\n    print(Note.query.count())\n";
    let mut playground = Playground::new();
    let run = playground.run_script(&format!("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n{round}{round}"));
    assert_eq!(run.error.map(|e| e.traceback), None);
    assert_eq!(run.output, "1\n2\n");
    let mut next_visit = Playground::with_snapshots(playground.saved_databases(), Default::default());
    let applied = next_visit.apply_models(&format!("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n{}", round.replace("    db.session.add(Note())\n    db.session.commit()\n", "")), false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    assert_eq!(applied.run.output, "2\n");
}

#[test]
fn a_validator_in_the_models_checks_assignments_and_its_error_points_at_its_line() {
    let mut playground = Playground::new();
    let models = TUTORIAL_STYLE.replace("from flask_sqlalchemy import SQLAlchemy\n", "from flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy.orm import validates\n")
        + "\n    @validates('nick')\n    def check_nick(self, key, nick):\n        if ' ' in nick:\n            raise ValueError(f'no spaces in a {key}: {nick!r}')\n        return nick.lower()\n";
    let applied = playground.apply_models(&models, false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    let error = playground.run_console("Member(nick='a b')").error.expect("the validator's error");
    assert_eq!((error.type_name.as_str(), error.message.as_str()), ("ValueError", "no spaces in a nick: 'a b'"));
    assert!(error.traceback.contains("line 16, in check_nick\n"), "{}", error.traceback);
    let run = playground.run_console("m = Member(nick='Ann')\nm.nick = 'BOB'\nprint(m.nick)");
    assert_eq!((run.output.as_str(), run.error.map(|e| e.traceback)), ("bob\n", None));
}

#[test]
fn exit_at_the_console_says_it_stays_open_and_keeps_the_session() {
    let mut playground = Playground::new();
    playground.apply_models(TUTORIAL_STYLE, false);
    playground.run_console("db.session.add(Member(nick='ann'))");
    for call in ["exit()", "quit(3)", "import sys; sys.exit('bye')"] {
        let run = playground.run_console(call);
        assert_eq!(run.error.map(|e| e.traceback), None, "{call}");
        assert_eq!(run.output, sqla_engine::playground::CONSOLE_STAYS_OPEN, "{call}");
    }
    let run = playground.run_console("print([m.nick for m in db.session.new])");
    assert_eq!(run.output, "['ann']\n");
    let caught = playground.run_console("try:\n    exit(2)\nexcept SystemExit as e:\n    print('code', e.code)\n");
    assert_eq!((caught.output.as_str(), caught.error.is_none()), ("code 2\n", true));
}

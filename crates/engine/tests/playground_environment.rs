//! `os.environ` holds only what the playground's settings put there, for scripts and models
//! alike, and keeps it when the models are applied again.

use sqla_engine::playground::Playground;

fn console(playground: &mut Playground, input: &str) -> String {
    let run = playground.run_console(input);
    assert_eq!(run.error.map(|e| e.traceback), None, "input: {input}");
    run.output
}

#[test]
fn the_environment_is_empty_until_set() {
    let mut playground = Playground::new();
    assert_eq!(console(&mut playground, "import os; print(os.environ.get('SECRET_KEY'), len(os.environ))"), "None 0\n");
}

#[test]
fn set_variables_reach_models_and_survive_a_new_apply() {
    let mut playground = Playground::new();
    playground.set_environment(vec![("DATABASE_URL".into(), "sqlite:///shop.db".into())]);
    let models = "import os\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('DATABASE_URL', 'sqlite://')\n\
                  db = SQLAlchemy(app)\nclass Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n";
    for _ in 0..2 {
        let applied = playground.apply_models(&format!("from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n{models}"), false);
        assert_eq!(applied.run.error.map(|e| e.traceback), None);
        assert_eq!(console(&mut playground, "print(db.engine.url)"), "sqlite:///shop.db\n");
    }
}

#[test]
fn the_exported_app_py_sets_the_variables_before_the_models_read_them() {
    let mut playground = Playground::new();
    playground.set_environment(vec![("GREETING".into(), "it's \"here\"".into())]);
    playground.apply_models("import os\nGREETING = os.environ['GREETING']\n", false);
    let app_py = playground.export_app_py(&["print(GREETING)".to_owned()]);
    assert!(app_py.contains("import os\n\nos.environ.setdefault('GREETING', 'it\\'s \"here\"')\n"), "{app_py}");
    let replay = Playground::new().run_script(&app_py);
    assert_eq!(replay.error.map(|e| e.traceback), None);
    assert_eq!(replay.output, "it's \"here\"\n");
}

#[test]
fn without_variables_the_exported_app_py_does_not_mention_the_environment() {
    let mut playground = Playground::new();
    playground.apply_models("x = 1\n", false);
    assert!(!playground.export_app_py(&[]).contains("os.environ"));
}

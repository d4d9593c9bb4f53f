//! What the Flask-SQLAlchemy bindings and the console use of the Flask side,
//! and the playground's documented differences from a real server: no web
//! server, no files, CSRF off unless asked for, a teaching-grade salt source.

use std::cell::RefCell;
use std::rc::Rc;

use sqla_engine::bindings::{self, web};
use sqla_engine::script::{Interpreter, Module, Value};

fn interp() -> Interpreter {
    let mut interp = Interpreter::new();
    bindings::install(&mut interp);
    interp
}

fn run(interp: &mut Interpreter, module: &Rc<Module>, source: &str) -> String {
    let result = interp.run_module(module, source);
    let mut out = interp.take_output();
    if let Err(e) = result {
        out.push_str(&e.render());
    }
    out
}

fn script(source: &str) -> String {
    let mut i = interp();
    let main = i.new_module("__main__", "app.py");
    run(&mut i, &main, source)
}

#[test]
fn the_bindings_read_an_apps_config_and_extensions() {
    let mut i = interp();
    let main = i.new_module("__main__", "app.py");
    run(&mut i, &main, "from flask import Flask\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///blog.db'\nnot_app = 3\n");
    let app = main.get("app").expect("app defined");
    assert!(web::is_app(&app));
    assert!(!web::is_app(&main.get("not_app").expect("defined")));
    let uri = web::config_get(&mut i, &app, "SQLALCHEMY_DATABASE_URI").expect("readable");
    assert_eq!(uri.and_then(|v| v.as_str().map(str::to_string)).as_deref(), Some("sqlite:///blog.db"));
    assert!(web::config_get(&mut i, &app, "SQLALCHEMY_ECHO").expect("readable").is_none());
    let echo = web::config_setdefault(&mut i, &app, "SQLALCHEMY_ECHO", Value::Bool(false)).expect("settable");
    assert!(matches!(echo, Value::Bool(false)));
    let extensions = web::extensions(&mut i, &app).expect("dict");
    i.setitem(&extensions, &Value::str("sqlalchemy"), Value::str("db")).expect("settable");
    assert_eq!(run(&mut i, &main, "print(app.extensions, app.config['SQLALCHEMY_ECHO'], repr(app))\n"), "{'sqlalchemy': 'db'} False <Flask 'app'>\n");
}

#[test]
fn the_current_app_follows_the_contexts() {
    let mut i = interp();
    let main = i.new_module("__main__", "app.py");
    run(&mut i, &main, "from flask import Flask\napp = Flask(__name__)\nctx = app.app_context()\n");
    assert!(web::current_app(&mut i).is_none());
    let err = web::require_app_context(&mut i).expect_err("no context");
    assert!(format!("{err:?}").contains("Working outside of application context."));
    run(&mut i, &main, "ctx.push()\n");
    let current = web::current_app(&mut i).expect("pushed");
    assert!(web::is_app(&current));
    run(&mut i, &main, "ctx.pop()\n");
    assert!(web::current_app(&mut i).is_none());
}

#[test]
fn native_teardowns_run_when_an_app_context_pops() {
    let mut i = interp();
    let main = i.new_module("__main__", "app.py");
    run(&mut i, &main, "from flask import Flask\napp = Flask(__name__)\n@app.teardown_appcontext\ndef close(exc):\n    print('python teardown', exc)\n");
    let app = main.get("app").expect("app");
    let seen: Rc<RefCell<Vec<String>>> = Rc::default();
    let log = seen.clone();
    web::add_teardown(&app, "remove_session", move |interp, exc| {
        let shown = match exc {
            Some(e) => interp.str(e)?,
            None => "None".to_string(),
        };
        log.borrow_mut().push(shown);
        Ok(())
    })
    .expect("an app");
    let out =
        run(&mut i, &main, "with app.app_context():\n    pass\ntry:\n    with app.app_context():\n        raise ValueError('boom')\nexcept ValueError:\n    print('caught')\n");
    assert_eq!(out, "python teardown None\npython teardown boom\ncaught\n");
    assert_eq!(*seen.borrow(), vec!["None".to_string(), "boom".to_string()]);
    assert!(web::add_teardown(&Value::Int(1), "x", |_, _| Ok(())).is_err());
}

#[test]
fn the_console_pushes_an_app_context_once() {
    let mut i = interp();
    let main = i.new_module("__main__", "app.py");
    run(&mut i, &main, "from flask import Flask, current_app\napp = Flask(__name__)\n");
    let app = main.get("app").expect("app");
    assert!(web::ensure_app_context(&mut i, &app));
    assert!(!web::ensure_app_context(&mut i, &app));
    assert_eq!(run(&mut i, &main, "print(current_app.name)\n"), "app\n");
}

#[test]
fn http_errors_read_as_werkzeug_words_them() {
    let mut i = interp();
    let main = i.new_module("__main__", "app.py");
    let err = web::http_error(&mut i, 404, None);
    main.set("raise_it", sqla_engine::script::native_fn("raise_it", move |_, _| Err(err.clone())));
    let out = run(&mut i, &main, "from werkzeug.exceptions import NotFound\ntry:\n    raise_it()\nexcept NotFound as e:\n    print(e.code, e)\n");
    assert_eq!(out, "404 404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.\n");
    let err = web::http_error(&mut i, 404, Some("No user 7"));
    main.set("raise_it", sqla_engine::script::native_fn("raise_it", move |_, _| Err(err.clone())));
    assert!(run(&mut i, &main, "raise_it()\n").ends_with("werkzeug.exceptions.NotFound: 404 Not Found: No user 7\n"));
}

#[test]
fn app_run_explains_that_there_is_no_server() {
    let out = script("from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(debug=True)\nprint('after')\n");
    assert_eq!(out, "(The playground has no web server: app.run() does nothing here. Call a view function directly, inside `with app.test_request_context('/path'):` when it reads the request.)\nafter\n");
}

#[test]
fn views_are_called_directly_inside_a_request_context() {
    let out = script(
        "from flask import Flask, request, jsonify, abort\napp = Flask(__name__)\n\
         @app.route('/users/<int:user_id>')\ndef show(user_id):\n    if user_id > 10:\n        abort(404)\n    return jsonify(id=user_id, q=request.args.get('q'))\n\
         with app.test_request_context('/users/3?q=x'):\n    print(show(**request.view_args).get_json())\n\
         with app.test_request_context('/users/30'):\n    show(**request.view_args)\n",
    );
    assert!(out.starts_with("{'id': 3, 'q': 'x'}\n"), "{out}");
    assert!(out.ends_with("werkzeug.exceptions.NotFound: 404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.\n"), "{out}");
}

#[test]
fn configuration_files_do_not_exist() {
    let out = script("from flask import Flask\napp = Flask(__name__)\nprint(app.config.from_pyfile('settings.cfg', silent=True))\napp.config.from_pyfile('settings.cfg')\n");
    assert!(out.starts_with("False\n"), "{out}");
    assert!(out.ends_with("FileNotFoundError: [Errno 2] Unable to load configuration file (No such file or directory): '/playground/settings.cfg'\n"), "{out}");
}

#[test]
fn templates_are_refused_clearly() {
    let out = script("from flask import render_template\nrender_template('index.html', title='Home')\n");
    assert!(
        out.ends_with(
            "NotImplementedError: templates are not part of the playground: render_template('index.html') cannot run here (return a string or jsonify(...) from views instead)\n"
        ),
        "{out}"
    );
}

const LOGIN_FORM: &str = "from flask import Flask\nfrom flask_wtf import FlaskForm\nfrom wtforms import StringField\nfrom wtforms.validators import DataRequired\n\
    app = Flask(__name__)\nclass LoginForm(FlaskForm):\n    name = StringField('Name', validators=[DataRequired()])\n";

#[test]
fn csrf_is_off_unless_explicitly_enabled() {
    let out = script(&format!("{LOGIN_FORM}with app.test_request_context('/', method='POST', data={{'name': 'ada'}}):\n    form = LoginForm()\n    print(form.validate_on_submit(), form.errors, form.hidden_tag() == '')\n"));
    assert_eq!(out, "True {} True\n");
    let no_secret = script(&format!("{LOGIN_FORM}app.config['WTF_CSRF_ENABLED'] = True\nwith app.app_context():\n    LoginForm()\n"));
    assert!(no_secret.ends_with("RuntimeError: A secret key is required to use CSRF.\n"), "{no_secret}");
    let enabled = script(&format!(
        "{LOGIN_FORM}app.config.update(SECRET_KEY='dev', WTF_CSRF_ENABLED=True)\n\
         with app.test_request_context('/', method='POST', data={{'name': 'ada'}}):\n    form = LoginForm()\n    print(form.validate(), form.errors)\n    tag = form.hidden_tag()\n\
         token = tag.split('value=\"')[1].split('\"')[0]\n\
         with app.test_request_context('/', method='POST', data={{'name': 'ada', 'csrf_token': token}}):\n    form = LoginForm()\n    print(form.validate(), form.errors)\n\
         with app.test_request_context('/', method='POST', data={{'name': 'ada', 'csrf_token': 'forged'}}):\n    form = LoginForm()\n    print(form.validate(), form.errors)\n"
    ));
    assert_eq!(enabled, "False {'csrf_token': ['The CSRF token is missing.']}\nTrue {}\nFalse {'csrf_token': ['The CSRF token is invalid.']}\n");
}

#[test]
fn flask_forms_need_an_app_context() {
    let out = script(&format!("{LOGIN_FORM}LoginForm()\n"));
    assert!(out.ends_with("RuntimeError: Working outside of application context.\n\nThis typically means that you attempted to use functionality that needed\nthe current application. To solve this, set up an application context\nwith app.app_context(). See the documentation for more information.\n"), "{out}");
}

#[test]
fn the_email_validator_checks_address_syntax() {
    let out = script(
        "from wtforms import Form, StringField\nfrom wtforms.validators import Email\nfrom werkzeug.datastructures import MultiDict\n\
         class F(Form):\n    email = StringField('Email', validators=[Email()])\n\
         for address in ['ada@example.com', 'first.last+tag@mail.co.uk', 'no-at-sign', 'a@b', 'a@localhost.test', 'x..y@example.com', '', 'sp ace@example.com']:\n    f = F(MultiDict([('email', address)]))\n    print(repr(address), f.validate(), f.errors)\n",
    );
    assert_eq!(
        out,
        "'ada@example.com' True {}\n'first.last+tag@mail.co.uk' True {}\n'no-at-sign' False {'email': ['Invalid email address.']}\n'a@b' False {'email': ['Invalid email address.']}\n\
         'a@localhost.test' False {'email': ['Invalid email address.']}\n'x..y@example.com' False {'email': ['Invalid email address.']}\n'' False {'email': ['Invalid email address.']}\n\
         'sp ace@example.com' False {'email': ['Invalid email address.']}\n"
    );
}

#[test]
fn regexp_patterns_outside_rusts_syntax_are_refused() {
    let out = script("from wtforms.validators import Regexp\nRegexp(r'(\\w)\\1')\n");
    assert!(out.contains("NotImplementedError: Regexp("), "{out}");
}

#[test]
fn password_hashes_verify_both_ways_with_the_real_werkzeug() {
    // Made by werkzeug 3.1 (`generate_password_hash('secret', ...)`).
    let out = script(
        "from werkzeug.security import generate_password_hash, check_password_hash\n\
         real_pbkdf2 = 'pbkdf2:sha256:1000$4Hj2mCtCojSWQJOd$a8a156786a067da1482ee84bad12326d99957d4345b9f596f926f743db4ee6ea'\n\
         real_scrypt = 'scrypt:1024:8:1$v9TolMLebK3z8AuS$da558e60c63155e882f9a315c5400c1b6e90c6370255444339cf59ac2c15eaee72dd5e470ce35af407d35ff7818a165fb17fc522fe25c74209b699f468a260be'\n\
         print(check_password_hash(real_pbkdf2, 'secret'), check_password_hash(real_pbkdf2, 'Secret'), check_password_hash(real_scrypt, 'pässword'))\n\
         h = generate_password_hash('secret', method='pbkdf2:sha256:1000')\n\
         method, salt, digest = h.split('$')\nprint(method, len(salt), len(digest), check_password_hash(h, 'secret'), check_password_hash(h, 'nope'))\n\
         h2 = generate_password_hash('secret')\nmethod, salt, digest = h2.split('$')\nprint(method, len(salt), len(digest), check_password_hash(h2, 'secret'))\n\
         print(generate_password_hash('x', method='pbkdf2:sha256:1000') != generate_password_hash('x', method='pbkdf2:sha256:1000'))\n\
         print(check_password_hash('garbage', 'x'), check_password_hash('a$b', 'x'))\n\
         for bad in ['md5', 'scrypt:1:2', 'scrypt:3:8:1']:\n    try:\n        generate_password_hash('x', method=bad)\n    except ValueError as e:\n        print(e)\n\
         try:\n    generate_password_hash('x', salt_length=0)\nexcept ValueError as e:\n    print(e)\n",
    );
    assert_eq!(
        out,
        "True False True\npbkdf2:sha256:1000 16 64 True False\nscrypt:32768:8:1 16 128 True\nTrue\nFalse False\n\
         Invalid hash method 'md5'.\n'scrypt' takes 3 arguments.\nn must be a power of 2.\nSalt length must be at least 1.\n"
    );
}

#[test]
fn logging_through_app_logger_uses_flasks_format() {
    let mut i = interp();
    sqla_engine::bindings::stdlib::set_wall_clock(&mut i, Box::new(|| 1_714_566_615_250.0));
    let main = i.new_module("__main__", "app.py");
    let out = run(&mut i, &main, "from flask import Flask\napp = Flask(__name__)\napp.logger.info('hidden at WARNING')\napp.logger.warning('Low disk')\napp.debug = True\napp2 = Flask('other')\napp2.debug = True\napp2.logger.debug('shown in debug')\n");
    assert_eq!(out, "[2024-05-01 12:30:15,250] WARNING in app: Low disk\n[2024-05-01 12:30:15,250] DEBUG in app: shown in debug\n");
}

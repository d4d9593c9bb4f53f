//! What the host and the ORM bindings see of the standard-library modules:
//! the clock and time zone the host sets, the environment, column values
//! converted both ways, and the logging queries the SQLAlchemy bindings use.

use chrono::{NaiveDate, NaiveTime};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use sqla_engine::bindings::{self, stdlib};
use sqla_engine::script::{Interpreter, Value};

fn interp() -> Interpreter {
    let mut interp = Interpreter::new();
    bindings::install(&mut interp);
    interp
}

fn run(interp: &mut Interpreter, source: &str) -> String {
    let main = interp.new_module("__main__", "main.py");
    let result = interp.run_module(&main, source);
    let mut out = interp.take_output();
    if let Err(e) = result {
        out.push_str(&e.render());
    }
    out
}

/// 2024-05-01 12:30:15.250 UTC.
const FIXED_MILLIS: f64 = 1_714_566_615_250.0;

#[test]
fn the_clock_comes_from_the_host() {
    let mut i = interp();
    stdlib::set_wall_clock(&mut i, Box::new(|| FIXED_MILLIS));
    let out = run(
        &mut i,
        "from datetime import datetime, date, timezone\nimport time\n\
         print(repr(datetime.utcnow()), repr(datetime.now()), date.today())\n\
         print(datetime.now(timezone.utc))\n\
         print(time.time(), time.time_ns(), time.strftime('%H:%M'))\n",
    );
    assert_eq!(
        out,
        "datetime.datetime(2024, 5, 1, 12, 30, 15, 250000) datetime.datetime(2024, 5, 1, 12, 30, 15, 250000) 2024-05-01\n\
         2024-05-01 12:30:15.250000+00:00\n\
         1714566615.25 1714566615250000000 12:30\n"
    );
}

#[test]
fn local_time_follows_the_host_time_zone() {
    let mut i = interp();
    stdlib::set_wall_clock(&mut i, Box::new(|| FIXED_MILLIS));
    stdlib::set_local_utc_offset(&mut i, Box::new(|_| 120));
    let out = run(&mut i, "from datetime import datetime\nprint(datetime.now(), datetime.utcnow())\nprint(datetime(2024, 5, 1, 14, 30).timestamp())\n");
    assert_eq!(out, "2024-05-01 14:30:15.250000 2024-05-01 12:30:15.250000\n1714566600.0\n");
}

#[test]
fn a_broken_clock_is_an_error_not_a_panic() {
    let mut i = interp();
    stdlib::set_wall_clock(&mut i, Box::new(|| f64::NAN));
    let out = run(&mut i, "import time\ntime.time()\n");
    assert!(out.ends_with("RuntimeError: the playground's clock returned NaN, not a time\n"), "{out}");
}

#[test]
fn sleep_returns_at_once_and_checks_its_argument() {
    let mut i = interp();
    let out = run(&mut i, "import time\nprint(time.sleep(3600))\ntime.sleep(-1)\n");
    assert!(out.starts_with("None\n"), "{out}");
    assert!(out.ends_with("ValueError: sleep length must be non-negative\n"), "{out}");
}

#[test]
fn the_environment_comes_from_the_host() {
    let mut i = interp();
    let mut vars = IndexMap::new();
    vars.insert("DATABASE_URL".to_string(), "sqlite:///prod.db".to_string());
    stdlib::set_environment(&mut i, vars);
    let out = run(&mut i, "import os\nprint(os.environ.get('DATABASE_URL'), os.getenv('SECRET_KEY'), len(os.environ), os.getcwd())\nprint(os.environ)\n");
    assert_eq!(out, "sqlite:///prod.db None 1 /playground\nenviron({'DATABASE_URL': 'sqlite:///prod.db'})\n");
    let mut empty = interp();
    assert_eq!(run(&mut empty, "import os\nprint(os.environ.get('DATABASE_URL'), dict(os.environ.items()))\n"), "None {}\n");
}

#[test]
fn urandom_gives_fresh_bytes() {
    let mut i = interp();
    let out = run(&mut i, "import os\na = os.urandom(16)\nb = os.urandom(16)\nprint(len(a), a != b, type(a).__name__)\n");
    assert_eq!(out, "16 True bytes\n");
}

#[test]
fn temporal_values_convert_both_ways() {
    let mut i = interp();
    let main = i.new_module("__main__", "main.py");
    let dt = NaiveDate::from_ymd_opt(2024, 5, 1).and_then(|d| d.and_hms_micro_opt(12, 0, 0, 5)).expect("valid");
    let value = stdlib::temporal_to_value(&mut i, stdlib::Temporal::DateTime(dt)).expect("in range");
    main.set("created", value);
    let d = stdlib::temporal_to_value(&mut i, stdlib::Temporal::Date(dt.date())).expect("in range");
    main.set("day", d);
    let t = stdlib::temporal_to_value(&mut i, stdlib::Temporal::Time(NaiveTime::from_hms_opt(9, 5, 0).expect("valid"))).expect("in range");
    main.set("at", t);
    i.run_module(&main, "print(repr(created), repr(day), repr(at))\nfrom datetime import datetime, timezone\naware = datetime(2024, 1, 2, 3, 4, tzinfo=timezone.utc)\n")
        .expect("runs");
    assert_eq!(i.take_output(), "datetime.datetime(2024, 5, 1, 12, 0, 0, 5) datetime.date(2024, 5, 1) datetime.time(9, 5)\n");
    assert_eq!(stdlib::temporal_from_value(&main.get("created").expect("set")), Some(stdlib::Temporal::DateTime(dt)));
    assert_eq!(stdlib::temporal_from_value(&main.get("day").expect("set")), Some(stdlib::Temporal::Date(dt.date())));
    let aware = NaiveDate::from_ymd_opt(2024, 1, 2).and_then(|d| d.and_hms_opt(3, 4, 0)).expect("valid");
    assert_eq!(stdlib::temporal_from_value(&main.get("aware").expect("set")), Some(stdlib::Temporal::DateTime(aware)));
    assert_eq!(stdlib::temporal_from_value(&Value::Int(3)), None);
    let far = NaiveDate::from_ymd_opt(12000, 1, 1).expect("chrono range");
    let err = stdlib::temporal_to_value(&mut i, stdlib::Temporal::Date(far)).expect_err("year 12000");
    assert!(format!("{err:?}").contains("year 12000 is out of range"));
}

#[test]
fn decimals_convert_both_ways() {
    let mut i = interp();
    let main = i.new_module("__main__", "main.py");
    let price = stdlib::decimal_to_value(&mut i, Decimal::new(1999, 2)).expect("decimal");
    main.set("price", price);
    i.run_module(&main, "print(repr(price), price * 2, type(price).__name__)\nfrom decimal import Decimal\ntotal = Decimal('3.50') + 1\n").expect("runs");
    assert_eq!(i.take_output(), "Decimal('19.99') 39.98 Decimal\n");
    assert_eq!(stdlib::decimal_from_value(&main.get("total").expect("set")), Some(Decimal::new(450, 2)));
    assert_eq!(stdlib::decimal_from_value(&Value::Float(4.5)), None);
}

#[test]
fn decimals_beyond_28_digits_are_refused_clearly() {
    let mut i = interp();
    let out = run(&mut i, "from decimal import Decimal\nDecimal(0.1)\n");
    assert!(
        out.ends_with("NotImplementedError: Decimal(0.1) (the float's exact binary value; write Decimal('0.1') for the decimal number) needs more than the 28 significant digits the playground's Decimal holds\n"),
        "{out}"
    );
}

#[test]
fn the_sqlalchemy_echo_trick_is_visible_to_the_bindings() {
    let mut i = interp();
    assert!(!stdlib::logging_enabled_for(&mut i, "sqlalchemy.engine.Engine", stdlib::INFO));
    run(&mut i, "import logging\nlogging.basicConfig()\nlogging.getLogger('sqlalchemy.engine').setLevel(logging.INFO)\n");
    assert!(stdlib::logging_enabled_for(&mut i, "sqlalchemy.engine.Engine", stdlib::INFO));
    assert!(!stdlib::logging_enabled_for(&mut i, "sqlalchemy.engine.Engine", stdlib::DEBUG));
    assert!(!stdlib::logging_enabled_for(&mut i, "sqlalchemy.pool", stdlib::INFO));
    stdlib::emit_log(&mut i, "sqlalchemy.engine.Engine", stdlib::INFO, "SELECT user.id FROM user").expect("logs");
    assert_eq!(i.take_output(), "INFO:sqlalchemy.engine.Engine:SELECT user.id FROM user\n");
}

#[test]
fn log_files_are_shown_in_the_console_with_a_note() {
    let mut i = interp();
    stdlib::set_wall_clock(&mut i, Box::new(|| FIXED_MILLIS));
    let out = run(
        &mut i,
        "import logging\nlogging.basicConfig(filename='app.log', level=logging.INFO, format='%(asctime)s %(levelname)s %(message)s')\nlogging.info('started')\nlogging.info('again')\n",
    );
    assert_eq!(
        out,
        "(The playground has no files: log records for 'app.log' are written here instead.)\n2024-05-01 12:30:15,250 INFO started\n2024-05-01 12:30:15,250 INFO again\n"
    );
}

#[test]
fn a_bad_log_message_is_reported_and_the_script_goes_on() {
    let mut i = interp();
    let out = run(&mut i, "import logging\nlogging.warning('%d items', 'x')\nprint('after')\n");
    assert!(out.starts_with("--- Logging error ---\n"), "{out}");
    assert!(out.contains("Message: '%d items'\nArguments: ('x',)\n"), "{out}");
    assert!(out.ends_with("after\n"), "{out}");
}

#[test]
fn a_trace_call_explains_that_there_is_no_debugger() {
    let mut i = interp();
    let out = run(&mut i, "import pdb; pdb.set_trace()\nprint('went on')\n");
    assert_eq!(out, "(The playground has no debugger: pdb.set_trace() does nothing here. Inspect values with print() or in the console.)\nwent on\n");
}

#[test]
fn deeply_nested_json_is_a_recursion_error_not_a_crash() {
    // On a thread with the wasm-sized stack.
    let out = std::thread::Builder::new().stack_size(1 << 20).spawn(|| { let mut i = interp(); run(&mut i, "import json\nnested = []\nfor _ in range(5000):\n    nested = [nested]\ntry:\n    json.dumps(nested)\nexcept RecursionError as e:\n    print('dumps:', e)\ntry:\n    json.loads('[' * 100000)\nexcept RecursionError as e:\n    print('loads:', e)\n") }).expect("thread").join().expect("no crash");
    assert_eq!(out, "dumps: maximum recursion depth exceeded while encoding a JSON object\nloads: maximum recursion depth exceeded while decoding a JSON document\n");
}

#[test]
fn absurd_timestamps_are_errors() {
    let mut i = interp();
    let out = run(&mut i, "from datetime import datetime, date, timedelta\nfor f in [lambda: datetime.fromtimestamp(9223372036854), lambda: date.fromtimestamp(-1e13), lambda: datetime.max + timedelta(microseconds=1), lambda: datetime(2024, 1, 1) - datetime.min * 2]:\n    try:\n        f()\n    except Exception as e:\n        print(type(e).__name__)\n");
    assert_eq!(out, "ValueError\nValueError\nOverflowError\nTypeError\n");
}

/// A module whose `legacy()` warns from Rust, as the SQLAlchemy bindings do.
fn with_host_warning(interp: &mut Interpreter) {
    interp.register_module("hostlib", |interp| {
        let category = interp.exception_class(sqla_engine::script::ExcKind::DeprecationWarning);
        Ok(sqla_engine::script::ModuleBuilder::new("hostlib")
            .function("legacy", move |interp, _| {
                stdlib::warn(interp, &category, "legacy() is legacy")?;
                Ok(Value::Int(1))
            })
            .build())
    });
}

#[test]
fn host_warnings_point_at_the_python_line_that_called_the_host() {
    let mut i = interp();
    with_host_warning(&mut i);
    let out = run(&mut i, "from hostlib import legacy\ndef f():\n    return legacy()\nf()\nf()\nlegacy()\n");
    assert_eq!(
        out,
        "main.py:3: DeprecationWarning: legacy() is legacy\n  return legacy()\n\
         main.py:6: DeprecationWarning: legacy() is legacy\n  legacy()\n"
    );
}

#[test]
fn host_warnings_follow_the_users_filters() {
    let mut i = interp();
    with_host_warning(&mut i);
    let out = run(
        &mut i,
        "import warnings\nfrom hostlib import legacy\nwarnings.simplefilter('error')\n\
         try:\n    legacy()\nexcept DeprecationWarning as e:\n    print('raised', e)\n\
         with warnings.catch_warnings(record=True) as log:\n    warnings.simplefilter('always')\n    legacy()\n    legacy()\n\
         print([str(w.message) for w in log], log[0].lineno)\n",
    );
    assert_eq!(out, "raised legacy() is legacy\n['legacy() is legacy', 'legacy() is legacy'] 10\n");
}

#[test]
fn console_warnings_have_no_source_line_and_other_modules_ignore_deprecations() {
    let mut i = interp();
    with_host_warning(&mut i);
    let main = i.new_module("__main__", "app.py");
    i.run_console(&main, "from hostlib import legacy").unwrap();
    i.run_console(&main, "legacy()").unwrap();
    assert_eq!(i.take_output(), "<console>:1: DeprecationWarning: legacy() is legacy\n1\n");
    // DeprecationWarning is shown only when attributed to __main__ (CPython's default filters).
    let other = i.new_module("models", "models.py");
    i.run_module(&other, "from hostlib import legacy\nlegacy()\n").unwrap();
    assert_eq!(i.take_output(), "");
}

#[test]
fn modules_run_from_files_know_their_file() {
    let mut i = interp();
    let out = run(&mut i, "import os\nprint(__file__, repr(os.path.dirname(__file__)), os.path.abspath(os.path.dirname(__file__)))\n");
    assert_eq!(out, "main.py '' /playground\n");
    let console = i.new_module("__main__", "<console>");
    assert!(i.run_console(&console, "__file__").is_err(), "the console is no file");
}

#[test]
fn the_playground_app_module_lives_in_the_working_directory() {
    let mut playground = sqla_engine::playground::Playground::new();
    let result = playground.run_script("import os\nbasedir = os.path.abspath(os.path.dirname(__file__))\nprint(__file__, basedir, 'sqlite:///' + os.path.join(basedir, 'app.db'))\n");
    assert_eq!(result.output, "/playground/app.py /playground sqlite:////playground/app.db\n");
}

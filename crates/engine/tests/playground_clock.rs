//! The host's clocks: `time.time()` and `datetime.now()` read its wall clock, while
//! `time.perf_counter()` / `monotonic()` read its monotonic clock (in the browser
//! `performance.now()`, finer than the whole milliseconds of `Date.now()`), also after the
//! models are applied again.

use std::cell::Cell;
use std::rc::Rc;

use sqla_engine::playground::{HostClock, Playground};

/// 2024-05-01 12:30:15.250 UTC.
const WALL_MILLIS: f64 = 1_714_566_615_250.0;

fn console(playground: &mut Playground, input: &str) -> String {
    let run = playground.run_console(input);
    assert_eq!(run.error.map(|e| e.traceback), None, "input: {input}");
    run.output
}

/// A monotonic clock that advances 0.125 ms each time it is read, from 1000.0625 ms.
fn playground_with_clocks() -> Playground {
    let ticks = Rc::new(Cell::new(1000.0625));
    let mut playground = Playground::new();
    playground.set_clock(HostClock {
        wall_ms: Rc::new(|| WALL_MILLIS),
        utc_offset_minutes: Rc::new(|_| 0),
        monotonic_ms: Rc::new(move || {
            let now = ticks.get();
            ticks.set(now + 0.125);
            now
        }),
    });
    playground
}

#[test]
fn perf_counter_reads_the_monotonic_clock_with_sub_millisecond_steps() {
    let mut playground = playground_with_clocks();
    let out = console(&mut playground, "import time\nstart = time.perf_counter()\nend = time.perf_counter()\nprint(start, round((end - start) * 1e6), time.time())");
    assert_eq!(out, "1.0000625 125 1714566615.25\n");
    let out = console(&mut playground, "print(time.monotonic() > end, time.process_time() > end)");
    assert_eq!(out, "True True\n");
}

#[test]
fn the_clocks_survive_applying_the_models_again() {
    let mut playground = playground_with_clocks();
    let models = "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'\ndb = SQLAlchemy(app)\n";
    for _ in 0..2 {
        let applied = playground.apply_models(models, false);
        assert_eq!(applied.run.error.map(|e| e.traceback), None);
        let out = console(&mut playground, "import time\nprint(time.perf_counter() < 2, time.time())");
        assert_eq!(out, "True 1714566615.25\n");
    }
}

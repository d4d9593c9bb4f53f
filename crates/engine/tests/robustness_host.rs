//! What the host (the web app) sets up survives everything the user can do: applying new
//! models replaces the interpreter, and the browser's clock must come along (without one,
//! on wasm32, `time.perf_counter()` and `datetime.now()` raise).

use std::rc::Rc;

use sqla_engine::playground::{HostClock, Playground};

#[test]
fn the_host_clock_survives_applying_models() {
    let mut playground = Playground::new();
    playground.set_clock(HostClock {
        wall_ms: Rc::new(|| 1_700_000_000_250.0),
        utc_offset_minutes: Rc::new(|_| 60),
        monotonic_ms: Rc::new(|| 5.0),
    });
    let before = playground.run_console("import time; print(time.perf_counter())");
    assert_eq!(before.output, "0.005\n");
    let applied = playground.apply_models("class Tick(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n", false);
    assert_eq!(applied.run.error.map(|e| e.traceback), None);
    let after = playground.run_console("import time, datetime; print(time.perf_counter(), datetime.datetime.utcnow(), datetime.datetime.now())");
    assert_eq!(after.error.map(|e| e.traceback), None);
    assert_eq!(after.output, "0.005 2023-11-14 22:13:20.250000 2023-11-14 23:13:20.250000\n");
}

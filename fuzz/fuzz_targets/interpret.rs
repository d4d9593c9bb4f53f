//! The interpreter with the whole engine behind it: any text run as console input in a
//! playground (the prelude's `app`, `db` and models machinery included), then the live SQL
//! preview and completion over it. Errors are fine; a panic, a crash, or a console that no
//! longer answers is a finding.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use sqla_engine::playground::Playground;
use sqla_engine_fuzz::{on_browser_stack, small_limits, source_of};

fuzz_target!(|data: &[u8]| {
    let source = source_of(data);
    on_browser_stack(move || {
        let mut playground = Playground::with_snapshots(HashMap::new(), small_limits());
        let _ = playground.preview_sql(&source);
        let _ = playground.completions(&source);
        let _ = playground.run_console(&source);
        let _ = playground.tables();
        let _ = playground.session_view();
        let after = playground.run_console("6 * 7");
        assert_eq!((after.output.as_str(), after.error.map(|e| e.traceback)), ("42\n", None), "the console stopped answering");
    });
});

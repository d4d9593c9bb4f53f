//! The code readers that run on every keystroke: the parser (through compiling a module),
//! the console's "is this input complete?" check and the editor's highlighter. Any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sqla_engine::script::highlight::highlight;
use sqla_engine::script::parser::parse_module;
use sqla_engine::script::Interpreter;
use sqla_engine_fuzz::{on_browser_stack, source_of};

fuzz_target!(|data: &[u8]| {
    let source = source_of(data);
    on_browser_stack(move || {
        let _ = parse_module(&source, "fuzz.py");
        let _ = Interpreter::check_console_input(&source);
        let mut previous_end = 0;
        for token in highlight(&source) {
            // The editor slices the text with these spans.
            assert!(previous_end <= token.start && token.start < token.end && token.end <= source.len(), "{token:?}");
            assert!(source.is_char_boundary(token.start) && source.is_char_boundary(token.end), "{token:?}");
            previous_end = token.end;
        }
    });
});

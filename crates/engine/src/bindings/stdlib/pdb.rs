//! `pdb`: the playground has no interactive debugger; `pdb.set_trace()` (and
//! `breakpoint()`-style calls through it) says so and lets the script go on,
//! so tutorial code that sets a trace still runs.

use crate::script::{function, Interpreter, ModuleBuilder, Value};

const NOTE: &str = "(The playground has no debugger: pdb.set_trace() does nothing here. Inspect values with print() or in the console.)\n";

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("pdb", |_| {
        Ok(ModuleBuilder::new("pdb")
            .function_with(
                function("set_trace", |interp, args| {
                    args.bind("set_trace", ["header"], 0)?;
                    interp.write_output(NOTE);
                    Ok(Value::None)
                })
                .side_effects(),
            )
            .build())
    });
}

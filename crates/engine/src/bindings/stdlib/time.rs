//! `time`: `time()` reads the host's wall clock; `perf_counter`, `monotonic` and
//! `process_time` read its monotonic clock (seconds from an arbitrary start, as in
//! CPython; the wall clock until the host sets one). `sleep()` checks its
//! argument and returns at once: the playground runs in the page and must not
//! block it, so there is nothing to wait for.

use crate::script::{Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::host::{monotonic_millis, now_millis};

fn seconds(interp: &mut Interpreter, fname: &str, args: &crate::script::CallArgs, clock: fn(&Interpreter) -> PyResult<f64>) -> PyResult<Value> {
    args.exactly(fname, 0)?;
    Ok(Value::Float(clock(interp)? / 1000.0))
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("time", |_| {
        let mut m = ModuleBuilder::new("time");
        m = m.function("time", |interp, args| seconds(interp, "time", &args, now_millis));
        for name in ["perf_counter", "monotonic", "process_time"] {
            m = m.function(name, move |interp, args| seconds(interp, name, &args, monotonic_millis));
        }
        Ok(m.function("time_ns", |interp, args| {
            args.exactly("time_ns", 0)?;
            // Microsecond resolution: an f64 of milliseconds holds no more.
            Ok(Value::Int((now_millis(interp)? * 1000.0).round() as i64 * 1000))
        })
        .function("sleep", |_, args| {
            args.exactly("sleep", 1)?;
            let secs = match &args.args[0] {
                v @ (Value::Int(_) | Value::Bool(_) | Value::Float(_)) => v.as_float().unwrap_or(0.0),
                other => return Err(PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name()))),
            };
            if secs < 0.0 {
                return Err(PyErr::value_error("sleep length must be non-negative"));
            }
            Ok(Value::None)
        })
        .function("strftime", |interp, args| {
            args.count_between("strftime", 1, 1)?;
            let fmt = args.args[0].as_str().ok_or_else(|| PyErr::type_error(format!("strftime() argument 1 must be str, not {}", args.args[0].type_name())))?;
            let millis = now_millis(interp)?;
            Ok(Value::string(super::datetime::local_strftime(interp, fmt, millis)?))
        })
        .function("ctime", |interp, args| {
            args.exactly("ctime", 0)?;
            let millis = now_millis(interp)?;
            Ok(Value::string(super::datetime::local_strftime(interp, "%a %b %e %H:%M:%S %Y", millis)?))
        })
        .build())
    });
}

//! Standard-library modules: `datetime`, `decimal`, `typing`, `os`,
//! `logging`, `time`, `json`, as CPython 3.11 behaves for what Flask and
//! SQLAlchemy tutorials do with them.
//!
//! Host API (the web app and the ORM bindings):
//! * [`set_wall_clock`], [`set_local_utc_offset`], [`set_environment`]: what
//!   the browser (or a native runner) provides.
//! * [`Temporal`], [`temporal_to_value`], [`temporal_from_value`]: Date /
//!   DateTime / Time column values; [`decimal_to_value`], [`decimal_from_value`]:
//!   Numeric column values.

pub(crate) mod datetime;
pub(crate) mod decimal;
pub(crate) mod host;
pub(crate) mod json;
pub(crate) mod logging;
mod os;
mod time;
mod typing;
pub(crate) mod native;

use crate::script::Interpreter;

pub use datetime::{temporal_from_value, temporal_to_value, Temporal};
pub use decimal::{decimal_from_value, decimal_to_value};
pub use logging::{emit_log, emit_log_unchecked, logging_enabled_for, CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING};
pub use host::{set_environment, set_local_utc_offset, set_wall_clock, UtcOffsetFn, WallClockFn};

/// Register every standard-library module (each is built on first import).
pub fn install(interp: &mut Interpreter) {
    datetime::install(interp);
    decimal::install(interp);
    typing::install(interp);
    os::install(interp);
    logging::install(interp);
    time::install(interp);
    json::install(interp);
}

/// `2026-11-26 12:23:07,460`: the local time as logging's default format prints it.
pub fn log_timestamp(interp: &Interpreter) -> String {
    let Ok(millis) = host::now_millis(interp) else { return String::new() };
    let local = millis + host::local_offset_seconds(interp, millis) as f64 * 1000.0;
    let Some(time) = chrono::DateTime::from_timestamp_millis(local as i64) else { return String::new() };
    time.naive_utc().format("%Y-%m-%d %H:%M:%S,%3f").to_string()
}

//! Standard-library modules: `datetime`, `decimal`, `enum`, `typing`, `os`,
//! `logging`, `time`, `json`, `warnings`, `math`, `functools` (and a `pdb` that explains there is no debugger), as CPython 3.11 behaves for what Flask and
//! SQLAlchemy tutorials do with them; and those learners use around them: `uuid`, `sys`,
//! `string`, `collections`, `itertools`, `random`, `re`.
//!
//! Host API (the web app and the ORM bindings):
//! * [`set_wall_clock`] (Unix milliseconds; natively `SystemTime` by default,
//!   on wasm32 unset until the host sets it), [`set_monotonic_clock`]
//!   (`time.perf_counter()`; the wall clock until set), [`set_local_utc_offset`] (UTC by
//!   default), [`set_environment`] (`os.environ`, empty by default): what the
//!   browser (or a native runner) provides.
//! * [`Temporal`], [`temporal_to_value`], [`temporal_from_value`]: Date /
//!   DateTime / Time column values; [`decimal_to_value`], [`decimal_from_value`]:
//!   Numeric column values.
//! * [`logging_enabled_for`], [`emit_log`] and the level constants: SQL echo
//!   through the user's `logging` configuration.
//! * [`warn`]: a warning (e.g. SQLAlchemy's) through the user's `warnings` filters,
//!   attributed to the innermost Python frame; [`simple_warnings_filter`]: what
//!   `python -W action` sets; [`warnings_imported_main`]: `flask shell`'s attribution of the
//!   script's warnings to the module it imports it as.
//! * [`enum_member_name`], [`enum_member_names`], [`enum_member_by_name`]: Enum
//!   column values.
//!
//! `native` holds helpers shared with the Flask-side modules (`bindings::web`).

mod collections;
pub(crate) mod datetime;
pub(crate) mod decimal;
mod enumeration;
mod functools;
pub(crate) mod host;
mod itertools;
pub(crate) mod json;
pub(crate) mod logging;
mod math;
pub(crate) mod native;
mod os;
mod pdb;
mod random;
mod re;
mod string;
mod sys;
mod time;
mod typing;
mod uuid;
mod warnings;

use crate::script::Interpreter;

pub use datetime::{temporal_from_value, temporal_to_value, Temporal};
pub use decimal::{decimal_from_value, decimal_to_value};
pub use uuid::{new_uuid, number_of as uuid_number, parse_hex as parse_uuid_hex};
pub use enumeration::{enum_member_by_name, enum_member_name, enum_member_names};
pub use host::{set_environment, set_local_utc_offset, set_monotonic_clock, set_wall_clock, MonotonicClockFn, UtcOffsetFn, WallClockFn};
pub use warnings::{imported_main as warnings_imported_main, simple_filter as simple_warnings_filter, warn};
pub use logging::{emit_log, emit_log_unchecked, logging_enabled_for, CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING};

/// Register every standard-library module (each is built on first import).
pub fn install(interp: &mut Interpreter) {
    datetime::install(interp);
    decimal::install(interp);
    enumeration::install(interp);
    functools::install(interp);
    typing::install(interp);
    os::install(interp);
    logging::install(interp);
    math::install(interp);
    time::install(interp);
    json::install(interp);
    pdb::install(interp);
    warnings::install(interp);
    uuid::install(interp);
    sys::install(interp);
    string::install(interp);
    random::install(interp);
    itertools::install(interp);
    collections::install(interp);
    re::install(interp);
}

/// `2026-11-26 12:23:07,460`: the local time as logging's default format prints it.
pub fn log_timestamp(interp: &Interpreter) -> String {
    let Ok(millis) = host::now_millis(interp) else { return String::new() };
    let local = millis + host::local_offset_seconds(interp, millis) as f64 * 1000.0;
    let Some(time) = chrono::DateTime::from_timestamp_millis(local as i64) else { return String::new() };
    time.naive_utc().format("%Y-%m-%d %H:%M:%S,%3f").to_string()
}

//! Standard-library modules (filled by the stdlib work; the conversion signatures below are
//! what the SQLAlchemy bindings use).

use crate::script::{Interpreter, PyErr, PyResult, Value};

pub fn install(_interp: &mut Interpreter) {}

/// A date, datetime or time value.
pub enum Temporal {
    Date(chrono::NaiveDate),
    DateTime(chrono::NaiveDateTime),
    Time(chrono::NaiveTime),
}

pub fn temporal_from_value(_value: &Value) -> Option<Temporal> {
    None
}

pub fn temporal_to_value(_interp: &mut Interpreter, _value: Temporal) -> PyResult<Value> {
    Err(PyErr::not_implemented("datetime values need the datetime module"))
}

pub fn decimal_from_value(_value: &Value) -> Option<rust_decimal::Decimal> {
    None
}

pub fn decimal_to_value(_interp: &mut Interpreter, _value: rust_decimal::Decimal) -> PyResult<Value> {
    Err(PyErr::not_implemented("Decimal values need the decimal module"))
}

/// Whether a logger would emit records of `level` (filled by the stdlib work).
pub fn logging_enabled_for(_interp: &Interpreter, _logger: &str, _level: i64) -> bool {
    false
}

/// `2026-11-26 12:23:07,460` as logging's default format prints the time (filled by the
/// stdlib work).
pub fn log_timestamp(_interp: &Interpreter) -> String {
    String::new()
}

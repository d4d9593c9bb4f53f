//! `datetime`: `date`, `time`, `datetime`, `timedelta`, `timezone` (fixed
//! offsets, `timezone.utc`), as CPython 3.11 prints and compares them.
//!
//! Values are host objects (one `Rc` each, cheap for the ORM to make by the
//! thousand); their classes are built once per interpreter and carry the
//! methods, so `type(d)`, `isinstance(d, date)` and `datetime.now` work as in
//! Python. The current time comes from the host clock ([`super::host`]).
//!
//! For the ORM bindings: [`Temporal`], [`temporal_to_value`],
//! [`temporal_from_value`]. Aware datetimes convert to their wall time (the
//! offset is dropped), which is what SQLAlchemy stores on SQLite.

mod date;
mod date_time;
mod iso;
mod strftime;
mod time;
mod timedelta;
mod timezone;

use std::rc::Rc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::script::ast::CmpOp;
use crate::script::value::Class;
use crate::script::{ClassBuilder, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::native::cached;
pub(crate) use date::PyDate;
pub(crate) use date_time::PyDateTime;
pub(crate) use time::PyTime;
pub(crate) use timezone::PyTimezone;

/// A date, date-time or time of day, as the ORM stores it in a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Temporal {
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Time(NaiveTime),
}

/// The Python value (`datetime.date`, `datetime.datetime`, `datetime.time`)
/// for a column value; a `ValueError` if the year is outside 1..9999.
pub fn temporal_to_value(_interp: &mut Interpreter, t: Temporal) -> PyResult<Value> {
    Ok(match t {
        Temporal::Date(d) => {
            check_year(d.year())?;
            Value::Native(Rc::new(PyDate(d)))
        }
        Temporal::DateTime(dt) => {
            check_year(dt.year())?;
            Value::Native(Rc::new(PyDateTime::naive(truncate_to_micros(dt))))
        }
        Temporal::Time(t) => Value::Native(Rc::new(PyTime { time: time_to_micros(t), tz: None })),
    })
}

/// The column value of a `date`, `datetime` or `time` object (`None` for
/// anything else). Aware values give their wall time.
pub fn temporal_from_value(v: &Value) -> Option<Temporal> {
    if let Some(dt) = v.downcast_native::<PyDateTime>() {
        return Some(Temporal::DateTime(dt.wall));
    }
    if let Some(d) = v.downcast_native::<PyDate>() {
        return Some(Temporal::Date(d.0));
    }
    v.downcast_native::<PyTime>().map(|t| Temporal::Time(t.time))
}

/// The classes of the module's types, shared by every value of an interpreter.
pub(crate) struct DatetimeTypes {
    pub date: Rc<Class>,
    pub time: Rc<Class>,
    pub datetime: Rc<Class>,
    pub timedelta: Rc<Class>,
    pub tzinfo: Rc<Class>,
    pub timezone: Rc<Class>,
}

pub(crate) fn types(interp: &mut Interpreter) -> PyResult<Rc<DatetimeTypes>> {
    cached(interp, |interp| {
        let tzinfo = ClassBuilder::new("tzinfo", "datetime").build(interp)?;
        let timezone = timezone::class(interp, &tzinfo)?;
        let timedelta = timedelta::class(interp)?;
        let date = date::class(interp)?;
        let datetime = date_time::class(interp, &date)?;
        let time = time::class(interp)?;
        Ok(Rc::new(DatetimeTypes { date, time, datetime, timedelta, tzinfo, timezone }))
    })
}

/// The class of one of this module's types, for `NativeObject::python_class`.
fn class_of(interp: &mut Interpreter, pick: fn(&DatetimeTypes) -> &Rc<Class>) -> Option<Rc<Class>> {
    types(interp).ok().map(|t| pick(&t).clone())
}

/// Register `datetime`.
pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("datetime", |interp| {
        let t = types(interp)?;
        Ok(ModuleBuilder::new("datetime")
            .class(&t.date)
            .class(&t.time)
            .class(&t.datetime)
            .class(&t.timedelta)
            .class(&t.tzinfo)
            .class(&t.timezone)
            .value("MINYEAR", MIN_YEAR)
            .value("MAXYEAR", MAX_YEAR)
            .value("UTC", timezone::utc(interp)?)
            .build())
    });
}

const MIN_YEAR: i64 = 1;
const MAX_YEAR: i64 = 9999;

fn check_year(year: i32) -> PyResult<()> {
    if (MIN_YEAR..=MAX_YEAR).contains(&i64::from(year)) {
        Ok(())
    } else {
        Err(PyErr::value_error(format!("year {year} is out of range")))
    }
}

fn out_of_range() -> PyErr {
    PyErr::overflow("date value out of range")
}

/// A date from checked components, with CPython's messages.
fn make_date(year: i64, month: i64, day: i64) -> PyResult<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(PyErr::value_error(format!("year {year} is out of range")));
    }
    if !(1..=12).contains(&month) {
        return Err(PyErr::value_error("month must be in 1..12"));
    }
    // The year and month were checked above, so the casts keep their values.
    NaiveDate::from_ymd_opt(year as i32, month as u32, day.clamp(0, 99) as u32).filter(|_| day >= 1).ok_or_else(|| PyErr::value_error("day is out of range for month"))
}

/// A time of day from checked components, with CPython's messages.
fn make_time(hour: i64, minute: i64, second: i64, micro: i64) -> PyResult<NaiveTime> {
    for (value, max, what) in [(hour, 23, "hour"), (minute, 59, "minute"), (second, 59, "second"), (micro, 999_999, "microsecond")] {
        if !(0..=max).contains(&value) {
            return Err(PyErr::value_error(format!("{what} must be in 0..{max}")));
        }
    }
    // Every component was range-checked above.
    NaiveTime::from_hms_micro_opt(hour as u32, minute as u32, second as u32, micro as u32).ok_or_else(|| PyErr::value_error("invalid time"))
}

/// Microsecond precision (chrono keeps nanoseconds and leap seconds; Python neither).
fn time_to_micros(t: NaiveTime) -> NaiveTime {
    let micro = (t.nanosecond() / 1000).min(999_999);
    t.with_nanosecond(micro * 1000).unwrap_or(t)
}

fn truncate_to_micros(dt: NaiveDateTime) -> NaiveDateTime {
    NaiveDateTime::new(dt.date(), time_to_micros(dt.time()))
}

fn micros_of(t: &NaiveTime) -> i64 {
    i64::from(t.nanosecond() / 1000)
}

/// The optional `tzinfo` argument: `None` or a `timezone`.
fn tz_arg(v: Option<&Value>) -> PyResult<Option<Rc<PyTimezone>>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => match v.downcast_native::<PyTimezone>() {
            Some(tz) => Ok(Some(tz)),
            None => Err(PyErr::type_error(format!("tzinfo argument must be None or of a tzinfo subclass, not type '{}'", v.type_name()))),
        },
    }
}

fn tz_value(tz: &Option<Rc<PyTimezone>>) -> Value {
    match tz {
        Some(tz) => Value::Native(tz.clone()),
        None => Value::None,
    }
}

/// The result of a comparison operator given how two values order.
fn compare_ord(op: CmpOp, ord: std::cmp::Ordering) -> Option<Value> {
    use std::cmp::Ordering::*;
    Some(Value::Bool(match op {
        CmpOp::Eq => ord == Equal,
        CmpOp::NotEq => ord != Equal,
        CmpOp::Lt => ord == Less,
        CmpOp::LtE => ord != Greater,
        CmpOp::Gt => ord == Greater,
        CmpOp::GtE => ord != Less,
        _ => return None,
    }))
}

/// `, tzinfo=...` for reprs.
fn tz_repr_suffix(interp: &mut Interpreter, tz: &Option<Rc<PyTimezone>>) -> PyResult<String> {
    match tz {
        Some(tz) => Ok(format!(", tzinfo={}", interp.repr(&Value::Native(tz.clone()))?)),
        None => Ok(String::new()),
    }
}

/// How much of a time `isoformat(timespec=...)` shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Timespec {
    Auto,
    Hours,
    Minutes,
    Seconds,
    Milliseconds,
    Microseconds,
}

impl Timespec {
    fn parse(v: Option<&Value>) -> PyResult<Timespec> {
        let Some(v) = v else { return Ok(Timespec::Auto) };
        let s = v.as_str().ok_or_else(|| PyErr::type_error(format!("isoformat() argument 'timespec' must be str, not {}", v.type_name())))?;
        Ok(match s {
            "auto" => Timespec::Auto,
            "hours" => Timespec::Hours,
            "minutes" => Timespec::Minutes,
            "seconds" => Timespec::Seconds,
            "milliseconds" => Timespec::Milliseconds,
            "microseconds" => Timespec::Microseconds,
            _ => return Err(PyErr::value_error("Unknown timespec value")),
        })
    }
}

/// `HH:MM:SS[.ffffff]` as `isoformat` writes a time of day.
fn iso_time(t: &NaiveTime, spec: Timespec) -> String {
    let (h, m, s, us) = (t.hour(), t.minute(), t.second(), micros_of(t));
    match spec {
        Timespec::Hours => format!("{h:02}"),
        Timespec::Minutes => format!("{h:02}:{m:02}"),
        Timespec::Seconds => format!("{h:02}:{m:02}:{s:02}"),
        Timespec::Milliseconds => format!("{h:02}:{m:02}:{s:02}.{:03}", us / 1000),
        Timespec::Microseconds => format!("{h:02}:{m:02}:{s:02}.{us:06}"),
        Timespec::Auto if us != 0 => format!("{h:02}:{m:02}:{s:02}.{us:06}"),
        Timespec::Auto => format!("{h:02}:{m:02}:{s:02}"),
    }
}

/// The components of a time for reprs: `12, 30` / `12, 30, 5` / `12, 30, 5, 7`.
fn repr_time_fields(t: &NaiveTime) -> String {
    let (h, m, s, us) = (t.hour(), t.minute(), t.second(), micros_of(t));
    if us != 0 {
        format!("{h}, {m}, {s}, {us}")
    } else if s != 0 {
        format!("{h}, {m}, {s}")
    } else {
        format!("{h}, {m}")
    }
}

/// `datetime.now()`'s wall time: the host clock plus the local offset (or `tz`'s).
fn now(interp: &mut Interpreter, tz: Option<&Rc<PyTimezone>>) -> PyResult<NaiveDateTime> {
    let millis = super::host::now_millis(interp)?;
    let offset_seconds = match tz {
        Some(tz) => tz.offset_micros() / 1_000_000,
        None => super::host::local_offset_seconds(interp, millis),
    };
    let micros = ((millis * 1000.0).round() as i64).saturating_add(offset_seconds.saturating_mul(1_000_000));
    from_unix_micros(micros)
}

/// The naive date-time `micros` microseconds after 1970-01-01 00:00.
fn from_unix_micros(micros: i64) -> PyResult<NaiveDateTime> {
    let dt = chrono::DateTime::from_timestamp_micros(micros).map(|d| d.naive_utc()).ok_or_else(|| PyErr::value_error("year is out of range"))?;
    check_year(dt.year()).map_err(|_| PyErr::value_error(format!("year {} is out of range", dt.year())))?;
    Ok(dt)
}

/// Unix seconds (a number) to microseconds, rounding half to even as CPython does.
fn timestamp_micros(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(_) | Value::Bool(_) => v.as_int().unwrap_or(0).checked_mul(1_000_000).ok_or_else(|| PyErr::overflow("timestamp out of range for platform time_t")),
        Value::Float(f) if f.is_finite() && f.abs() < 1e14 => Ok((f * 1e6).round_ties_even() as i64),
        Value::Float(f) if f.is_nan() => Err(PyErr::value_error("Invalid value NaN (not a number)")),
        Value::Float(_) => Err(PyErr::overflow("timestamp out of range for platform time_t")),
        other => Err(PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name()))),
    }
}

/// `fmt` applied to the local wall time at `unix_millis` (for `logging`'s
/// `asctime` and `time.strftime`).
pub(crate) fn local_strftime(interp: &Interpreter, fmt: &str, unix_millis: f64) -> PyResult<String> {
    let offset = super::host::local_offset_seconds(interp, unix_millis);
    let wall = from_unix_micros(((unix_millis * 1000.0).floor() as i64).saturating_add(offset.saturating_mul(1_000_000)))?;
    Ok(strftime::strftime(fmt, &strftime::Moment { date: wall.date(), time: wall.time(), tz: None }))
}

/// A `datetime.timedelta` of `micros` microseconds (for hosts' defaults such
/// as Flask's `PERMANENT_SESSION_LIFETIME`).
pub(crate) fn timedelta_value(micros: i128) -> PyResult<Value> {
    timedelta::PyTimedelta::value(micros)
}

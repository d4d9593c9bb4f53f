//! `datetime.date`.

use std::rc::Rc;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

use crate::script::ast::{BinOp, CmpOp};
use crate::script::value::hash::hash_tuple;
use crate::script::value::Class;
use crate::script::{CallArgs, ClassBuilder, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::native::{bind_c, class_attr, class_dir, int_arg, no_args, receiver, skip_receiver, str_arg};
use super::strftime::{ctime, strftime, Moment};
use super::timedelta::{micros_of_value, PyTimedelta};
use super::{class_of, iso, make_date, out_of_range, DatetimeTypes, PyDateTime};

const MICROS_PER_DAY: i128 = 86_400_000_000;

pub(crate) struct PyDate(pub NaiveDate);

impl PyDate {
    pub fn value(d: NaiveDate) -> Value {
        Value::Native(Rc::new(PyDate(d)))
    }
}

/// The calendar date of a `date` or `datetime` (what `date` methods work on).
pub(super) fn date_of(v: &Value) -> Option<NaiveDate> {
    match v.downcast_native::<PyDate>() {
        Some(d) => Some(d.0),
        None => v.downcast_native::<PyDateTime>().map(|dt| dt.wall.date()),
    }
}

fn receiver_date(args: &CallArgs, method: &str) -> PyResult<NaiveDate> {
    args.receiver().ok().and_then(date_of).map_or_else(|| receiver::<PyDate>(args, "datetime.date", method).map(|d| d.0), Ok)
}

/// `date ± days` with CPython's overflow error.
pub(super) fn add_days(d: NaiveDate, days: i128) -> PyResult<NaiveDate> {
    let days = i64::try_from(days).map_err(|_| out_of_range())?;
    let moved = Duration::try_days(days).and_then(|delta| d.checked_add_signed(delta)).ok_or_else(out_of_range)?;
    super::check_year(moved.year()).map_err(|_| out_of_range())?;
    Ok(moved)
}

/// Proleptic Gregorian ordinal (0001-01-01 is day 1).
pub(super) fn ordinal(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

impl NativeObject for PyDate {
    fn type_name(&self) -> &str {
        "datetime.date"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        class_of(interp, |t: &DatetimeTypes| &t.date)
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "year" => Some(Value::Int(self.0.year().into())),
            "month" => Some(Value::Int(self.0.month().into())),
            "day" => Some(Value::Int(self.0.day().into())),
            _ => self.python_class(interp).and_then(|cls| class_attr(&cls, this, name)),
        })
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        self.python_class(interp).map(|cls| class_dir(&cls, &["year", "month", "day"])).unwrap_or_default()
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("datetime.date({}, {}, {})", self.0.year(), self.0.month(), self.0.day()))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.0.format("%Y-%m-%d").to_string())
    }

    fn format(&self, _interp: &mut Interpreter, _this: &Value, spec: &str) -> PyResult<Option<String>> {
        if spec.is_empty() {
            return Ok(None);
        }
        Ok(Some(strftime(spec, &Moment { date: self.0, time: NaiveTime::MIN, tz: None })))
    }

    fn hash(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        Ok(hash_tuple([i64::from(self.0.year()), i64::from(self.0.month()), i64::from(self.0.day())].into_iter()))
    }

    fn compare(&self, _interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        if other.downcast_native::<PyDateTime>().is_some() {
            return match op {
                CmpOp::Eq => Ok(Some(Value::Bool(false))),
                CmpOp::NotEq => Ok(Some(Value::Bool(true))),
                _ => Err(PyErr::type_error("can't compare datetime.datetime to datetime.date")),
            };
        }
        let Some(o) = other.downcast_native::<PyDate>() else { return Ok(None) };
        Ok(super::compare_ord(op, self.0.cmp(&o.0)))
    }

    fn binary_op(&self, _interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        if let Some(micros) = micros_of_value(other) {
            let days = micros.div_euclid(MICROS_PER_DAY);
            return Ok(match (op, reflected) {
                (BinOp::Add, _) => Some(PyDate::value(add_days(self.0, days)?)),
                (BinOp::Sub, false) => Some(PyDate::value(add_days(self.0, -days)?)),
                _ => None,
            });
        }
        if op == BinOp::Sub {
            if let Some(o) = other.downcast_native::<PyDate>() {
                let (a, b) = if reflected { (o.0, self.0) } else { (self.0, o.0) };
                return PyTimedelta::value(i128::from(ordinal(a) - ordinal(b)) * MICROS_PER_DAY).map(Some);
            }
        }
        Ok(None)
    }
}

/// Methods shared by `date` and `datetime` (they read the calendar date).
pub(super) fn add_calendar_methods(b: ClassBuilder) -> ClassBuilder {
    b.method("weekday", |_, args| {
        no_args(&args, "date.weekday")?;
        Ok(Value::Int(receiver_date(&args, "weekday")?.weekday().num_days_from_monday().into()))
    })
    .method("isoweekday", |_, args| {
        no_args(&args, "date.isoweekday")?;
        Ok(Value::Int(receiver_date(&args, "isoweekday")?.weekday().number_from_monday().into()))
    })
    .method("toordinal", |_, args| {
        no_args(&args, "date.toordinal")?;
        Ok(Value::Int(ordinal(receiver_date(&args, "toordinal")?)))
    })
}

/// `date.today()` / `date.fromisoformat(s)` / ... on the `date` class.
pub(super) fn class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let builder = ClassBuilder::new("date", "datetime")
        .static_method("__new__", |_, mut args| {
            skip_receiver(&mut args);
            let [y, m, d] = bind_c(args, "date", ["year", "month", "day"], 3)?;
            let field = |v: Option<Value>| v.as_ref().map_or(Ok(0), int_arg);
            Ok(PyDate::value(make_date(field(y)?, field(m)?, field(d)?)?))
        })
        .class_method("today", |interp, args| {
            no_args(&args, "date.today")?;
            Ok(PyDate::value(super::now(interp, None)?.date()))
        })
        .class_method("fromisoformat", |_, args| {
            let s = iso_arg(&args)?;
            let (y, m, d) = iso::parse_date(s).ok_or_else(|| iso::invalid(s))?;
            Ok(PyDate::value(make_date(y, m, d)?))
        })
        .class_method("fromordinal", |_, args| {
            let n = int_arg(args.get(1).ok_or_else(|| PyErr::type_error("fromordinal() takes exactly one argument (0 given)"))?)?;
            if !(1..=3_652_059).contains(&n) {
                return Err(PyErr::value_error(format!("ordinal must be in 1..3652059, not {n}")));
            }
            // The range check keeps n within i32 and within chrono's calendar.
            NaiveDate::from_num_days_from_ce_opt(n as i32).map(PyDate::value).ok_or_else(out_of_range)
        })
        .class_method("fromtimestamp", |interp, args| {
            let ts = args.get(1).ok_or_else(|| PyErr::type_error("fromtimestamp() takes exactly one argument (0 given)"))?;
            let micros = super::timestamp_micros(ts)?;
            let offset = super::super::host::local_offset_seconds(interp, micros as f64 / 1000.0);
            let local = micros.checked_add(offset * 1_000_000).ok_or_else(out_of_range)?;
            Ok(PyDate::value(super::from_unix_micros(local)?.date()))
        })
        .method("strftime", |_, args| {
            let d = receiver::<PyDate>(&args, "datetime.date", "strftime")?;
            let fmt = str_arg(args.get(1).ok_or_else(|| PyErr::type_error("strftime() missing required argument 'format' (pos 1)"))?, "strftime", 1)?;
            Ok(Value::string(strftime(fmt, &Moment { date: d.0, time: NaiveTime::MIN, tz: None })))
        })
        .method("isoformat", |_, args| {
            no_args(&args, "date.isoformat")?;
            let d = receiver::<PyDate>(&args, "datetime.date", "isoformat")?;
            Ok(Value::string(d.0.format("%Y-%m-%d").to_string()))
        })
        .method("ctime", |_, args| {
            no_args(&args, "date.ctime")?;
            let d = receiver::<PyDate>(&args, "datetime.date", "ctime")?;
            Ok(Value::string(ctime(d.0, NaiveTime::MIN)))
        })
        .method("replace", |_, mut args| {
            let d = receiver::<PyDate>(&args, "datetime.date", "replace")?;
            skip_receiver(&mut args);
            let [y, m, day] = bind_c(args, "replace", ["year", "month", "day"], 0)?;
            let pick = |v: Option<Value>, current: i64| v.as_ref().map_or(Ok(current), int_arg);
            Ok(PyDate::value(make_date(pick(y, d.0.year().into())?, pick(m, d.0.month().into())?, pick(day, d.0.day().into())?)?))
        });
    let cls = add_calendar_methods(builder)
        .attr("min", PyDate::value(NaiveDate::from_ymd_opt(1, 1, 1).ok_or_else(out_of_range)?))
        .attr("max", PyDate::value(NaiveDate::from_ymd_opt(9999, 12, 31).ok_or_else(out_of_range)?))
        .attr("resolution", PyTimedelta::value(MICROS_PER_DAY)?)
        .build(interp)?;
    Ok(cls)
}

/// The string argument of `fromisoformat`.
pub(super) fn iso_arg(args: &CallArgs) -> PyResult<&str> {
    match args.get(1) {
        Some(Value::Str(s)) => Ok(s.as_str()),
        Some(_) => Err(PyErr::type_error("fromisoformat: argument must be str")),
        None => Err(PyErr::type_error("fromisoformat() takes exactly one argument (0 given)")),
    }
}

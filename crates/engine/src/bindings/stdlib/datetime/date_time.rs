//! `datetime.datetime`: a wall time, naive or with a fixed-offset `timezone`.

use std::rc::Rc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::script::ast::{BinOp, CmpOp};
use crate::script::value::hash::hash_int;
use crate::script::value::Class;
use crate::script::{CallArgs, ClassBuilder, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::native::{bind_c, class_attr, class_dir, int_arg, no_args, receiver, skip_receiver, str_arg};
use super::date::{add_calendar_methods, date_of, iso_arg, PyDate};
use super::strftime::{ctime, strftime, strptime, Moment};
use super::timedelta::{micros_of_value, PyTimedelta};
use super::{
    class_of, iso, iso_time, make_date, make_time, micros_of, out_of_range, repr_time_fields, tz_arg, tz_repr_suffix, tz_value, DatetimeTypes, PyTime, PyTimezone, Timespec,
};

pub(crate) struct PyDateTime {
    /// The date and time as written (local to `tz` when there is one).
    pub wall: NaiveDateTime,
    pub tz: Option<Rc<PyTimezone>>,
}

impl PyDateTime {
    pub fn naive(wall: NaiveDateTime) -> PyDateTime {
        PyDateTime { wall, tz: None }
    }

    fn value(wall: NaiveDateTime, tz: Option<Rc<PyTimezone>>) -> Value {
        Value::Native(Rc::new(PyDateTime { wall, tz }))
    }

    /// Microseconds since 0001-01-01 00:00 of the wall time.
    fn wall_micros(&self) -> i128 {
        let days = i128::from(super::date::ordinal(self.wall.date()));
        let t = self.wall.time();
        let secs = i128::from(t.num_seconds_from_midnight());
        (days * 86_400 + secs) * 1_000_000 + i128::from(micros_of(&t))
    }

    /// Microseconds since 0001-01-01 00:00 UTC (aware) or of the wall time (naive).
    fn instant_micros(&self) -> i128 {
        self.wall_micros() - self.tz.as_ref().map_or(0, |tz| i128::from(tz.offset_micros()))
    }

    fn isoformat(&self, sep: char, spec: Timespec) -> String {
        let mut out = format!("{}{sep}{}", self.wall.date().format("%Y-%m-%d"), iso_time(&self.wall.time(), spec));
        if let Some(tz) = &self.tz {
            out.push_str(&super::timezone::format_offset(tz.offset_micros(), ":"));
        }
        out
    }

    fn moment(&self) -> Moment<'_> {
        Moment { date: self.wall.date(), time: self.wall.time(), tz: self.tz.as_deref() }
    }

    /// Seconds since the Unix epoch; naive values are taken as local time.
    fn timestamp(&self, interp: &Interpreter) -> f64 {
        let wall_unix_micros = self.wall.and_utc().timestamp_micros();
        let offset_micros = match &self.tz {
            Some(tz) => tz.offset_micros(),
            None => super::super::host::local_offset_seconds(interp, wall_unix_micros as f64 / 1000.0) * 1_000_000,
        };
        (wall_unix_micros - offset_micros) as f64 / 1e6
    }
}

/// The date-time `micros` after `wall` with CPython's overflow error.
fn shift(wall: NaiveDateTime, micros: i128) -> PyResult<NaiveDateTime> {
    let micros = i64::try_from(micros).map_err(|_| out_of_range())?;
    let moved = wall.checked_add_signed(chrono::Duration::microseconds(micros)).ok_or_else(out_of_range)?;
    super::check_year(moved.year()).map_err(|_| out_of_range())?;
    Ok(moved)
}

impl NativeObject for PyDateTime {
    fn type_name(&self) -> &str {
        "datetime.datetime"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        class_of(interp, |t: &DatetimeTypes| &t.datetime)
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let (d, t) = (self.wall.date(), self.wall.time());
        Ok(Some(match name {
            "year" => Value::Int(d.year().into()),
            "month" => Value::Int(d.month().into()),
            "day" => Value::Int(d.day().into()),
            "hour" => Value::Int(t.hour().into()),
            "minute" => Value::Int(t.minute().into()),
            "second" => Value::Int(t.second().into()),
            "microsecond" => Value::Int(micros_of(&t)),
            "tzinfo" => tz_value(&self.tz),
            "fold" => Value::Int(0),
            _ => return Ok(self.python_class(interp).and_then(|cls| class_attr(&cls, this, name))),
        }))
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        let fields = ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "fold"];
        self.python_class(interp).map(|cls| class_dir(&cls, &fields)).unwrap_or_default()
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let d = self.wall.date();
        Ok(format!("datetime.datetime({}, {}, {}, {}{})", d.year(), d.month(), d.day(), repr_time_fields(&self.wall.time()), tz_repr_suffix(interp, &self.tz)?))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.isoformat(' ', Timespec::Auto))
    }

    fn format(&self, _interp: &mut Interpreter, _this: &Value, spec: &str) -> PyResult<Option<String>> {
        if spec.is_empty() {
            return Ok(None);
        }
        Ok(Some(strftime(spec, &self.moment())))
    }

    fn hash(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        Ok(hash_int((self.instant_micros() % i128::from(i64::MAX)) as i64))
    }

    fn compare(&self, _interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let Some(o) = other.downcast_native::<PyDateTime>() else {
            if other.downcast_native::<PyDate>().is_some() {
                return match op {
                    CmpOp::Eq => Ok(Some(Value::Bool(false))),
                    CmpOp::NotEq => Ok(Some(Value::Bool(true))),
                    _ => Err(PyErr::type_error("can't compare datetime.datetime to datetime.date")),
                };
            }
            return Ok(None);
        };
        if self.tz.is_some() != o.tz.is_some() {
            return match op {
                CmpOp::Eq => Ok(Some(Value::Bool(false))),
                CmpOp::NotEq => Ok(Some(Value::Bool(true))),
                _ => Err(PyErr::type_error("can't compare offset-naive and offset-aware datetimes")),
            };
        }
        Ok(super::compare_ord(op, self.instant_micros().cmp(&o.instant_micros())))
    }

    fn binary_op(&self, _interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        if let Some(micros) = micros_of_value(other) {
            return Ok(match (op, reflected) {
                (BinOp::Add, _) => Some(PyDateTime::value(shift(self.wall, micros)?, self.tz.clone())),
                (BinOp::Sub, false) => Some(PyDateTime::value(shift(self.wall, -micros)?, self.tz.clone())),
                _ => None,
            });
        }
        if op != BinOp::Sub {
            return Ok(None);
        }
        let Some(o) = other.downcast_native::<PyDateTime>() else { return Ok(None) };
        if self.tz.is_some() != o.tz.is_some() {
            return Err(PyErr::type_error("can't subtract offset-naive and offset-aware datetimes"));
        }
        let (a, b) = if reflected { (o.instant_micros(), self.instant_micros()) } else { (self.instant_micros(), o.instant_micros()) };
        PyTimedelta::value(a - b).map(Some)
    }
}

fn this(args: &CallArgs, method: &str) -> PyResult<Rc<PyDateTime>> {
    receiver::<PyDateTime>(args, "datetime.datetime", method)
}

/// The integer fields of the constructor and `replace`, in order.
const FIELDS: [&str; 7] = ["year", "month", "day", "hour", "minute", "second", "microsecond"];

fn build(fields: [i64; 7], tz: Option<Rc<PyTimezone>>) -> PyResult<Value> {
    let [y, mo, d, h, mi, s, us] = fields;
    let date = make_date(y, mo, d)?;
    let time = make_time(h, mi, s, us)?;
    Ok(PyDateTime::value(NaiveDateTime::new(date, time), tz))
}

fn now_value(interp: &mut Interpreter, tz: Option<Rc<PyTimezone>>) -> PyResult<Value> {
    let wall = super::now(interp, tz.as_ref())?;
    Ok(PyDateTime::value(super::truncate_to_micros(wall), tz))
}

/// The wall time `micros` after the epoch in `tz` (or local time).
fn from_timestamp(interp: &mut Interpreter, ts: &Value, tz: Option<Rc<PyTimezone>>) -> PyResult<Value> {
    let micros = super::timestamp_micros(ts)?;
    let offset = match &tz {
        Some(tz) => tz.offset_micros(),
        None => super::super::host::local_offset_seconds(interp, micros as f64 / 1000.0) * 1_000_000,
    };
    let local = micros.checked_add(offset).ok_or_else(out_of_range)?;
    Ok(PyDateTime::value(super::from_unix_micros(local)?, tz))
}

pub(super) fn class(interp: &mut Interpreter, date: &Rc<Class>) -> PyResult<Rc<Class>> {
    let builder = ClassBuilder::new("datetime", "datetime")
        .base(date)
        .static_method("__new__", |_, mut args| {
            skip_receiver(&mut args);
            let fold = args.take_kwarg("fold");
            if let Some(f) = &fold {
                let f = int_arg(f)?;
                if !(0..=1).contains(&f) {
                    return Err(PyErr::value_error("fold must be either 0 or 1"));
                }
            }
            let [y, mo, d, h, mi, s, us, tz] = bind_c(args, "datetime", [FIELDS[0], FIELDS[1], FIELDS[2], FIELDS[3], FIELDS[4], FIELDS[5], FIELDS[6], "tzinfo"], 3)?;
            let mut fields = [0i64; 7];
            for (slot, v) in fields.iter_mut().zip([y, mo, d, h, mi, s, us]) {
                if let Some(v) = v {
                    *slot = int_arg(&v)?;
                }
            }
            build(fields, tz_arg(tz.as_ref())?)
        })
        .class_method("now", |interp, mut args| {
            skip_receiver(&mut args);
            let [tz] = bind_c(args, "now", ["tz"], 0)?;
            let tz = tz_arg(tz.as_ref())?;
            now_value(interp, tz)
        })
        .class_method("utcnow", |interp, args| {
            no_args(&args, "datetime.utcnow")?;
            let utc = super::timezone::utc(interp)?.downcast_native::<PyTimezone>();
            let wall = super::now(interp, utc.as_ref())?;
            Ok(PyDateTime::value(super::truncate_to_micros(wall), None))
        })
        .class_method("today", |interp, args| {
            no_args(&args, "datetime.today")?;
            now_value(interp, None)
        })
        .class_method("fromisoformat", |interp, args| {
            let s = iso_arg(&args)?;
            let (date_part, time_part) = iso::split_datetime(s)?;
            let (y, mo, d) = iso::parse_date(date_part).ok_or_else(|| iso::invalid(s))?;
            let Some(time_part) = time_part else {
                return build([y, mo, d, 0, 0, 0, 0], None);
            };
            let t = iso::parse_time(time_part).ok_or_else(|| iso::invalid(s))?;
            let tz = t.offset_micros.map(|o| super::timezone::fixed(interp, o)).transpose()?;
            build([y, mo, d, t.hour, t.minute, t.second, t.micro], tz)
        })
        .class_method("fromtimestamp", |interp, mut args| {
            skip_receiver(&mut args);
            let [ts, tz] = bind_c(args, "fromtimestamp", ["timestamp", "tz"], 1)?;
            let tz = tz_arg(tz.as_ref())?;
            from_timestamp(interp, &ts.unwrap_or(Value::None), tz)
        })
        .class_method("utcfromtimestamp", |_, args| {
            let ts = args.get(1).ok_or_else(|| PyErr::type_error("utcfromtimestamp() takes exactly one argument (0 given)"))?;
            Ok(PyDateTime::value(super::from_unix_micros(super::timestamp_micros(ts)?)?, None))
        })
        .class_method("fromordinal", |_, args| {
            let n = int_arg(args.get(1).ok_or_else(|| PyErr::type_error("fromordinal() takes exactly one argument (0 given)"))?)?;
            if !(1..=3_652_059).contains(&n) {
                return Err(PyErr::value_error(format!("ordinal must be in 1..3652059, not {n}")));
            }
            // The range check keeps n within i32 and within chrono's calendar.
            let d = NaiveDate::from_num_days_from_ce_opt(n as i32).ok_or_else(out_of_range)?;
            Ok(PyDateTime::value(d.and_time(NaiveTime::MIN), None))
        })
        .class_method("strptime", |interp, args| {
            args.no_kwargs("strptime")?;
            if args.args.len() != 3 {
                return Err(PyErr::type_error(format!("strptime() takes exactly 2 arguments ({} given)", args.args.len() - 1)));
            }
            let data = str_arg(&args.args[1], "strptime", 1)?;
            let fmt = str_arg(&args.args[2], "strptime", 2)?;
            let p = strptime(data, fmt)?;
            let tz = p.offset_seconds.map(|s| super::timezone::fixed(interp, s * 1_000_000)).transpose()?;
            build([p.year, p.month, p.day, p.hour, p.minute, p.second, p.micro], tz)
        })
        .class_method("combine", |_, mut args| {
            skip_receiver(&mut args);
            let [d, t, tz] = bind_c(args, "combine", ["date", "time", "tzinfo"], 2)?;
            let d = d.unwrap_or(Value::None);
            let t = t.unwrap_or(Value::None);
            let date = date_of(&d).ok_or_else(|| PyErr::type_error(format!("combine() argument 1 must be datetime.date, not {}", d.type_name())))?;
            let time = t.downcast_native::<PyTime>().ok_or_else(|| PyErr::type_error(format!("combine() argument 2 must be datetime.time, not {}", t.type_name())))?;
            let tz = match tz {
                Some(tz) => tz_arg(Some(&tz))?,
                None => time.tz.clone(),
            };
            Ok(PyDateTime::value(NaiveDateTime::new(date, time.time), tz))
        })
        .method("date", |_, args| {
            no_args(&args, "datetime.date")?;
            Ok(PyDate::value(this(&args, "date")?.wall.date()))
        })
        .method("time", |_, args| {
            no_args(&args, "datetime.time")?;
            Ok(Value::Native(Rc::new(PyTime { time: this(&args, "time")?.wall.time(), tz: None })))
        })
        .method("timetz", |_, args| {
            no_args(&args, "datetime.timetz")?;
            let dt = this(&args, "timetz")?;
            Ok(Value::Native(Rc::new(PyTime { time: dt.wall.time(), tz: dt.tz.clone() })))
        })
        .method("replace", |_, mut args| {
            let dt = this(&args, "replace")?;
            skip_receiver(&mut args);
            let [y, mo, d, h, mi, s, us, tz] = bind_c(args, "replace", [FIELDS[0], FIELDS[1], FIELDS[2], FIELDS[3], FIELDS[4], FIELDS[5], FIELDS[6], "tzinfo"], 0)?;
            let (date, time) = (dt.wall.date(), dt.wall.time());
            let current = [i64::from(date.year()), date.month().into(), date.day().into(), time.hour().into(), time.minute().into(), time.second().into(), micros_of(&time)];
            let mut fields = current;
            for (slot, v) in fields.iter_mut().zip([y, mo, d, h, mi, s, us]) {
                if let Some(v) = v {
                    *slot = int_arg(&v)?;
                }
            }
            let tz = match tz {
                Some(tz) => tz_arg(Some(&tz))?,
                None => dt.tz.clone(),
            };
            build(fields, tz)
        })
        .method("strftime", |_, args| {
            let dt = this(&args, "strftime")?;
            let fmt = str_arg(args.get(1).ok_or_else(|| PyErr::type_error("strftime() missing required argument 'format' (pos 1)"))?, "strftime", 1)?;
            Ok(Value::string(strftime(fmt, &dt.moment())))
        })
        .method("isoformat", |_, mut args| {
            let dt = this(&args, "isoformat")?;
            skip_receiver(&mut args);
            let [sep, spec] = bind_c(args, "isoformat", ["sep", "timespec"], 0)?;
            let sep = match &sep {
                None => 'T',
                Some(Value::Str(s)) if s.char_len() == 1 => s.char_at(0).unwrap_or('T'),
                Some(other) => {
                    return Err(PyErr::type_error(format!("isoformat() argument 1 must be a unicode character, not {}", other.type_name())));
                }
            };
            Ok(Value::string(dt.isoformat(sep, Timespec::parse(spec.as_ref())?)))
        })
        .method("ctime", |_, args| {
            no_args(&args, "datetime.ctime")?;
            let dt = this(&args, "ctime")?;
            Ok(Value::string(ctime(dt.wall.date(), dt.wall.time())))
        })
        .method("timestamp", |interp, args| {
            no_args(&args, "datetime.timestamp")?;
            Ok(Value::Float(this(&args, "timestamp")?.timestamp(interp)))
        })
        .method("utcoffset", |_, args| {
            no_args(&args, "datetime.utcoffset")?;
            match &this(&args, "utcoffset")?.tz {
                Some(tz) => PyTimedelta::value(i128::from(tz.offset_micros())),
                None => Ok(Value::None),
            }
        })
        .method("tzname", |_, args| {
            no_args(&args, "datetime.tzname")?;
            Ok(this(&args, "tzname")?.tz.as_ref().map_or(Value::None, |tz| Value::string(tz.name())))
        })
        .method("dst", |_, args| {
            no_args(&args, "datetime.dst")?;
            this(&args, "dst")?;
            Ok(Value::None)
        })
        .method("astimezone", |interp, mut args| {
            let dt = this(&args, "astimezone")?;
            skip_receiver(&mut args);
            let [tz] = bind_c(args, "astimezone", ["tz"], 0)?;
            let utc_micros = (dt.timestamp(interp) * 1e6).round() as i64;
            let target = match tz_arg(tz.as_ref())? {
                Some(tz) => tz,
                None => {
                    let offset = super::super::host::local_offset_seconds(interp, utc_micros as f64 / 1000.0);
                    super::timezone::fixed(interp, offset * 1_000_000)?
                }
            };
            let wall = super::from_unix_micros(utc_micros.checked_add(target.offset_micros()).ok_or_else(out_of_range)?)?;
            Ok(PyDateTime::value(wall, Some(target)))
        });
    let min = NaiveDate::from_ymd_opt(1, 1, 1).ok_or_else(out_of_range)?.and_time(NaiveTime::MIN);
    let max = NaiveDate::from_ymd_opt(9999, 12, 31).and_then(|d| d.and_hms_micro_opt(23, 59, 59, 999_999)).ok_or_else(out_of_range)?;
    let cls = add_calendar_methods(builder)
        .attr("min", PyDateTime::value(min, None))
        .attr("max", PyDateTime::value(max, None))
        .attr("resolution", PyTimedelta::value(1)?)
        .build(interp)?;
    Ok(cls)
}

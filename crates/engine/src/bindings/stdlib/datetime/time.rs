//! `datetime.time`: a time of day, naive or with a fixed-offset `timezone`.

use std::rc::Rc;

use chrono::{NaiveDate, NaiveTime, Timelike};

use crate::script::ast::CmpOp;
use crate::script::value::hash::hash_int;
use crate::script::value::Class;
use crate::script::{ClassBuilder, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::native::{bind_c, class_attr, class_dir, int_arg, no_args, receiver, skip_receiver, str_arg};
use super::date::iso_arg;
use super::strftime::{strftime, Moment};
use super::timedelta::PyTimedelta;
use super::{class_of, iso, iso_time, make_time, micros_of, repr_time_fields, tz_arg, tz_repr_suffix, tz_value, DatetimeTypes, PyTimezone, Timespec};

pub(crate) struct PyTime {
    pub time: NaiveTime,
    pub tz: Option<Rc<PyTimezone>>,
}

impl PyTime {
    fn value(time: NaiveTime, tz: Option<Rc<PyTimezone>>) -> Value {
        Value::Native(Rc::new(PyTime { time, tz }))
    }

    /// Microseconds since midnight, moved to UTC for aware times.
    fn utc_micros(&self) -> i64 {
        let t = &self.time;
        i64::from(t.num_seconds_from_midnight()) * 1_000_000 + micros_of(t) - self.tz.as_ref().map_or(0, |tz| tz.offset_micros())
    }

    fn isoformat(&self, spec: Timespec) -> String {
        let mut out = iso_time(&self.time, spec);
        if let Some(tz) = &self.tz {
            out.push_str(&super::timezone::format_offset(tz.offset_micros(), ":"));
        }
        out
    }

    /// What `strftime` sees: the time on 1900-01-01, as CPython uses.
    fn moment(&self) -> Moment<'_> {
        Moment { date: NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(), time: self.time, tz: self.tz.as_deref() }
    }
}

impl NativeObject for PyTime {
    fn type_name(&self) -> &str {
        "datetime.time"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        class_of(interp, |t: &DatetimeTypes| &t.time)
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let t = &self.time;
        Ok(Some(match name {
            "hour" => Value::Int(t.hour().into()),
            "minute" => Value::Int(t.minute().into()),
            "second" => Value::Int(t.second().into()),
            "microsecond" => Value::Int(micros_of(t)),
            "tzinfo" => tz_value(&self.tz),
            "fold" => Value::Int(0),
            _ => return Ok(self.python_class(interp).and_then(|cls| class_attr(&cls, this, name))),
        }))
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        let fields = ["hour", "minute", "second", "microsecond", "tzinfo", "fold"];
        self.python_class(interp).map(|cls| class_dir(&cls, &fields)).unwrap_or_default()
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("datetime.time({}{})", repr_time_fields(&self.time), tz_repr_suffix(interp, &self.tz)?))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.isoformat(Timespec::Auto))
    }

    fn format(&self, _interp: &mut Interpreter, _this: &Value, spec: &str) -> PyResult<Option<String>> {
        if spec.is_empty() {
            return Ok(None);
        }
        Ok(Some(strftime(spec, &self.moment())))
    }

    fn hash(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        Ok(hash_int(self.utc_micros()))
    }

    fn truthy(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        Ok(true)
    }

    fn compare(&self, _interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let Some(o) = other.downcast_native::<PyTime>() else { return Ok(None) };
        if self.tz.is_some() != o.tz.is_some() {
            return match op {
                CmpOp::Eq => Ok(Some(Value::Bool(false))),
                CmpOp::NotEq => Ok(Some(Value::Bool(true))),
                _ => Err(PyErr::type_error("can't compare offset-naive and offset-aware times")),
            };
        }
        Ok(super::compare_ord(op, self.utc_micros().cmp(&o.utc_micros())))
    }
}

const FIELDS: [&str; 5] = ["hour", "minute", "second", "microsecond", "tzinfo"];

fn build(fields: [i64; 4], tz: Option<Rc<PyTimezone>>) -> PyResult<Value> {
    let [h, m, s, us] = fields;
    Ok(PyTime::value(make_time(h, m, s, us)?, tz))
}

pub(super) fn class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let cls = ClassBuilder::new("time", "datetime")
        .static_method("__new__", |_, mut args| {
            skip_receiver(&mut args);
            args.take_kwarg("fold");
            let [h, m, s, us, tz] = bind_c(args, "time", FIELDS, 0)?;
            let mut fields = [0i64; 4];
            for (slot, v) in fields.iter_mut().zip([h, m, s, us]) {
                if let Some(v) = v {
                    *slot = int_arg(&v)?;
                }
            }
            build(fields, tz_arg(tz.as_ref())?)
        })
        .class_method("fromisoformat", |interp, args| {
            let s = iso_arg(&args)?;
            let t = iso::parse_time(s.strip_prefix('T').unwrap_or(s)).ok_or_else(|| iso::invalid(s))?;
            let tz = t.offset_micros.map(|o| super::timezone::fixed(interp, o)).transpose()?;
            build([t.hour, t.minute, t.second, t.micro], tz)
        })
        .method("isoformat", |_, mut args| {
            let t = receiver::<PyTime>(&args, "datetime.time", "isoformat")?;
            skip_receiver(&mut args);
            let [spec] = bind_c(args, "isoformat", ["timespec"], 0)?;
            Ok(Value::string(t.isoformat(Timespec::parse(spec.as_ref())?)))
        })
        .method("strftime", |_, args| {
            let t = receiver::<PyTime>(&args, "datetime.time", "strftime")?;
            let fmt = str_arg(args.get(1).ok_or_else(|| PyErr::type_error("strftime() missing required argument 'format' (pos 1)"))?, "strftime", 1)?;
            Ok(Value::string(strftime(fmt, &t.moment())))
        })
        .method("replace", |_, mut args| {
            let t = receiver::<PyTime>(&args, "datetime.time", "replace")?;
            skip_receiver(&mut args);
            let [h, m, s, us, tz] = bind_c(args, "replace", FIELDS, 0)?;
            let current = [t.time.hour().into(), t.time.minute().into(), t.time.second().into(), micros_of(&t.time)];
            let mut fields = current;
            for (slot, v) in fields.iter_mut().zip([h, m, s, us]) {
                if let Some(v) = v {
                    *slot = int_arg(&v)?;
                }
            }
            let tz = match tz {
                Some(tz) => tz_arg(Some(&tz))?,
                None => t.tz.clone(),
            };
            build(fields, tz)
        })
        .method("utcoffset", |_, args| {
            no_args(&args, "time.utcoffset")?;
            match &receiver::<PyTime>(&args, "datetime.time", "utcoffset")?.tz {
                Some(tz) => PyTimedelta::value(i128::from(tz.offset_micros())),
                None => Ok(Value::None),
            }
        })
        .method("tzname", |_, args| {
            no_args(&args, "time.tzname")?;
            Ok(receiver::<PyTime>(&args, "datetime.time", "tzname")?.tz.as_ref().map_or(Value::None, |tz| Value::string(tz.name())))
        })
        .attr("min", PyTime::value(NaiveTime::MIN, None))
        .attr("max", PyTime::value(make_time(23, 59, 59, 999_999)?, None))
        .attr("resolution", PyTimedelta::value(1)?)
        .build(interp)?;
    Ok(cls)
}

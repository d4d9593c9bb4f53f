//! `datetime.timezone`: fixed offsets from UTC, and the `timezone.utc` singleton.

use std::rc::Rc;

use crate::script::ast::CmpOp;
use crate::script::value::hash::hash_int;
use crate::script::value::Class;
use crate::script::{ClassBuilder, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::native::{bind_c, class_attr, class_dir, receiver, skip_receiver};
use super::timedelta::{micros_of_value, PyTimedelta};
use super::{class_of, types, DatetimeTypes, PyDateTime};

const DAY_MICROS: i64 = 86_400_000_000;

pub(crate) struct PyTimezone {
    offset_micros: i64,
    name: Option<String>,
}

impl PyTimezone {
    pub fn offset_micros(&self) -> i64 {
        self.offset_micros
    }

    /// `tzname()`: the given name, or `UTC`, `UTC+02:00`.
    pub fn name(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None if self.offset_micros == 0 => "UTC".into(),
            None => format!("UTC{}", format_offset(self.offset_micros, ":")),
        }
    }
}

/// `+HH:MM[:SS[.ffffff]]` (`sep` is `""` for `strftime`'s `%z`).
pub(super) fn format_offset(micros: i64, sep: &str) -> String {
    let sign = if micros < 0 { '-' } else { '+' };
    let m = micros.abs();
    let (h, min, s, us) = (m / 3_600_000_000, m / 60_000_000 % 60, m / 1_000_000 % 60, m % 1_000_000);
    let mut out = format!("{sign}{h:02}{sep}{min:02}");
    if s != 0 || us != 0 {
        out.push_str(&format!("{sep}{s:02}"));
        if us != 0 {
            out.push_str(&format!(".{us:06}"));
        }
    }
    out
}

/// `timezone.utc` of this interpreter (always the same object).
pub(crate) fn utc(interp: &mut Interpreter) -> PyResult<Value> {
    let t = types(interp)?;
    t.timezone.own_attr("utc").ok_or_else(|| PyErr::runtime_error("datetime.timezone.utc is missing"))
}

/// A `timezone` at `offset_micros` east of UTC (`timezone.utc` itself for 0),
/// or CPython's error when the offset is a day or more.
pub(crate) fn fixed(interp: &mut Interpreter, offset_micros: i64) -> PyResult<Rc<PyTimezone>> {
    if offset_micros == 0 {
        if let Some(tz) = utc(interp)?.downcast_native::<PyTimezone>() {
            return Ok(tz);
        }
    }
    if offset_micros.abs() >= DAY_MICROS {
        return Err(PyErr::value_error("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)."));
    }
    Ok(Rc::new(PyTimezone { offset_micros, name: None }))
}

impl NativeObject for PyTimezone {
    fn type_name(&self) -> &str {
        "datetime.timezone"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        class_of(interp, |t: &DatetimeTypes| &t.timezone)
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(self.python_class(interp).and_then(|cls| class_attr(&cls, this, name)))
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        self.python_class(interp).map(|cls| class_dir(&cls, &[])).unwrap_or_default()
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        if self.offset_micros == 0 && self.name.is_none() {
            return Ok("datetime.timezone.utc".into());
        }
        let offset = interp.repr(&PyTimedelta::value(i128::from(self.offset_micros))?)?;
        Ok(match &self.name {
            Some(n) => format!("datetime.timezone({offset}, {})", interp.repr(&Value::str(n))?),
            None => format!("datetime.timezone({offset})"),
        })
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.name())
    }

    fn hash(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        Ok(hash_int(self.offset_micros))
    }

    fn compare(&self, _interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let Some(o) = other.downcast_native::<PyTimezone>() else { return Ok(None) };
        Ok(match op {
            CmpOp::Eq => Some(Value::Bool(self.offset_micros == o.offset_micros)),
            CmpOp::NotEq => Some(Value::Bool(self.offset_micros != o.offset_micros)),
            _ => None,
        })
    }
}

/// The `dt` argument of `utcoffset(dt)` / `tzname(dt)`: a datetime or None.
fn check_dt_arg(args: &crate::script::CallArgs, method: &str) -> PyResult<()> {
    match args.get(1) {
        Some(Value::None) => Ok(()),
        Some(v) if v.downcast_native::<PyDateTime>().is_some() => Ok(()),
        Some(v) => Err(PyErr::type_error(format!("{method}(dt) argument must be a datetime instance or None, not {}", v.type_name()))),
        None => Err(PyErr::type_error(format!("timezone.{method}() takes exactly one argument (0 given)"))),
    }
}

pub(super) fn class(interp: &mut Interpreter, tzinfo: &Rc<Class>) -> PyResult<Rc<Class>> {
    let utc = Value::Native(Rc::new(PyTimezone { offset_micros: 0, name: None }));
    let utc_singleton = utc.clone();
    let cls = ClassBuilder::new("timezone", "datetime")
        .base(tzinfo)
        .static_method("__new__", move |interp, mut args| {
            skip_receiver(&mut args);
            let [offset, name] = bind_c(args, "timezone", ["offset", "name"], 1)?;
            let offset = offset.unwrap_or(Value::None);
            let Some(micros) = micros_of_value(&offset) else {
                return Err(PyErr::type_error(format!("timezone() argument 1 must be datetime.timedelta, not {}", offset.type_name())));
            };
            let name = match name {
                None => None,
                Some(Value::Str(s)) => Some(s.as_str().to_string()),
                Some(other) => return Err(PyErr::type_error(format!("timezone() argument 2 must be str, not {}", other.type_name()))),
            };
            if micros <= -i128::from(DAY_MICROS) || micros >= i128::from(DAY_MICROS) {
                let shown = interp.repr(&offset)?;
                return Err(PyErr::value_error(format!("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {shown}.")));
            }
            if micros == 0 && name.is_none() {
                return Ok(utc_singleton.clone());
            }
            // The range check above keeps the offset within ±1 day.
            Ok(Value::Native(Rc::new(PyTimezone { offset_micros: micros as i64, name })))
        })
        .method("utcoffset", |_, args| {
            let tz = receiver::<PyTimezone>(&args, "datetime.timezone", "utcoffset")?;
            check_dt_arg(&args, "utcoffset")?;
            PyTimedelta::value(i128::from(tz.offset_micros))
        })
        .method("tzname", |_, args| {
            let tz = receiver::<PyTimezone>(&args, "datetime.timezone", "tzname")?;
            check_dt_arg(&args, "tzname")?;
            Ok(Value::string(tz.name()))
        })
        .method("dst", |_, args| {
            receiver::<PyTimezone>(&args, "datetime.timezone", "dst")?;
            check_dt_arg(&args, "dst")?;
            Ok(Value::None)
        })
        .attr("utc", utc)
        .build(interp)?;
    Ok(cls)
}

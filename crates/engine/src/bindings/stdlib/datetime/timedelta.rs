//! `datetime.timedelta`: a signed duration in microseconds, shown as CPython
//! normalizes it (days, then 0 <= seconds < 86400, then microseconds).

use std::rc::Rc;

use crate::script::ast::{BinOp, CmpOp, UnaryOp};
use crate::script::value::hash::hash_int;
use crate::script::value::Class;
use crate::script::{ClassBuilder, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::native::{bind_c, class_attr, class_dir, no_args, receiver, skip_receiver};
use super::{class_of, DatetimeTypes};

const MICROS_PER_SECOND: i128 = 1_000_000;
const MICROS_PER_DAY: i128 = 86_400 * MICROS_PER_SECOND;
const MAX_DAYS: i128 = 999_999_999;

pub(crate) struct PyTimedelta {
    micros: i128,
}

impl PyTimedelta {
    /// A duration, or CPython's OverflowError when it exceeds ±999999999 days.
    pub fn new(micros: i128) -> PyResult<PyTimedelta> {
        let td = PyTimedelta { micros };
        let days = td.days();
        if days.abs() > i128::from(i32::MAX) {
            return Err(PyErr::overflow("Python int too large to convert to C int"));
        }
        if !(-MAX_DAYS..=MAX_DAYS).contains(&days) {
            return Err(PyErr::overflow(format!("days={days}; must have magnitude <= {MAX_DAYS}")));
        }
        Ok(td)
    }

    pub fn value(micros: i128) -> PyResult<Value> {
        Ok(Value::Native(Rc::new(PyTimedelta::new(micros)?)))
    }

    pub fn days(&self) -> i128 {
        self.micros.div_euclid(MICROS_PER_DAY)
    }

    pub fn seconds(&self) -> i128 {
        self.micros.rem_euclid(MICROS_PER_DAY) / MICROS_PER_SECOND
    }

    pub fn microseconds(&self) -> i128 {
        self.micros.rem_euclid(MICROS_PER_SECOND)
    }

    fn total_seconds(&self) -> f64 {
        self.micros as f64 / 1e6
    }

    /// `[-]D day[s], H:MM:SS[.ffffff]` (CPython's `str`).
    pub fn display(&self) -> String {
        let days = self.days();
        let secs = self.seconds();
        let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
        let mut out = String::new();
        if days != 0 {
            out.push_str(&format!("{days} day{}, ", if days.abs() == 1 { "" } else { "s" }));
        }
        out.push_str(&format!("{h}:{m:02}:{s:02}"));
        if self.microseconds() != 0 {
            out.push_str(&format!(".{:06}", self.microseconds()));
        }
        out
    }
}

/// The duration held by `v`, if it is a timedelta.
pub(crate) fn micros_of_value(v: &Value) -> Option<i128> {
    v.downcast_native::<PyTimedelta>().map(|td| td.micros)
}

/// Multiply `micros` by a float, rounding half to even as CPython does.
fn scale(micros: i128, factor: f64) -> PyResult<i128> {
    let product = micros as f64 * factor;
    if !product.is_finite() || product.abs() > 1e20 {
        return Err(PyErr::overflow("cannot convert float infinity to integer"));
    }
    Ok(product.round_ties_even() as i128)
}

/// `a // b` rounding toward negative infinity.
fn floor_div(a: i128, b: i128) -> i128 {
    a.div_euclid(b) - if b < 0 && a.rem_euclid(b) != 0 { 1 } else { 0 }
}

/// Integer division rounding half to even (CPython's `timedelta / int`).
fn round_div(a: i128, b: i128) -> i128 {
    let q = floor_div(a, b);
    let r = a - q * b;
    let twice = 2 * r.abs();
    let b_abs = b.abs();
    if twice > b_abs || (twice == b_abs && q % 2 != 0) {
        if (r > 0) == (b > 0) {
            q + 1
        } else {
            q - 1
        }
    } else {
        q
    }
}

impl NativeObject for PyTimedelta {
    fn type_name(&self) -> &str {
        "datetime.timedelta"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        class_of(interp, |t: &DatetimeTypes| &t.timedelta)
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "days" => Some(Value::Int(self.days() as i64)),
            "seconds" => Some(Value::Int(self.seconds() as i64)),
            "microseconds" => Some(Value::Int(self.microseconds() as i64)),
            _ => self.python_class(interp).and_then(|cls| class_attr(&cls, this, name)),
        })
    }

    fn dir(&self, interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        self.python_class(interp).map(|cls| class_dir(&cls, &["days", "seconds", "microseconds"])).unwrap_or_default()
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let mut parts = Vec::new();
        for (name, value) in [("days", self.days()), ("seconds", self.seconds()), ("microseconds", self.microseconds())] {
            if value != 0 {
                parts.push(format!("{name}={value}"));
            }
        }
        if parts.is_empty() {
            parts.push("0".into());
        }
        Ok(format!("datetime.timedelta({})", parts.join(", ")))
    }

    fn str(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(self.display())
    }

    fn hash(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        Ok(hash_int((self.micros % i128::from(i64::MAX)) as i64))
    }

    fn truthy(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        Ok(self.micros != 0)
    }

    fn compare(&self, _interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let Some(o) = micros_of_value(other) else { return Ok(None) };
        let a = self.micros;
        Ok(Some(Value::Bool(match op {
            CmpOp::Eq => a == o,
            CmpOp::NotEq => a != o,
            CmpOp::Lt => a < o,
            CmpOp::LtE => a <= o,
            CmpOp::Gt => a > o,
            CmpOp::GtE => a >= o,
            _ => return Ok(None),
        })))
    }

    fn unary_op(&self, _interp: &mut Interpreter, _this: &Value, op: UnaryOp) -> PyResult<Option<Value>> {
        match op {
            UnaryOp::Neg => PyTimedelta::value(-self.micros).map(Some),
            UnaryOp::Pos => PyTimedelta::value(self.micros).map(Some),
            _ => Ok(None),
        }
    }

    fn abs(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        PyTimedelta::value(self.micros.abs()).map(Some)
    }

    fn binary_op(&self, _interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        let a = self.micros;
        if let Some(b) = micros_of_value(other) {
            // Both operands are durations: `reflected` only swaps them.
            let (x, y) = if reflected { (b, a) } else { (a, b) };
            return Ok(Some(match op {
                BinOp::Add => PyTimedelta::value(x + y)?,
                BinOp::Sub => PyTimedelta::value(x - y)?,
                BinOp::Div if y == 0 => return Err(PyErr::zero_division("division by zero")),
                BinOp::Div => Value::Float(x as f64 / y as f64),
                BinOp::FloorDiv if y == 0 => return Err(PyErr::zero_division("integer division or modulo by zero")),
                BinOp::FloorDiv => Value::Int(i64::try_from(floor_div(x, y)).map_err(|_| PyErr::int_overflow())?),
                BinOp::Mod if y == 0 => return Err(PyErr::zero_division("integer modulo by zero")),
                BinOp::Mod => PyTimedelta::value(x - floor_div(x, y) * y)?,
                _ => return Ok(None),
            }));
        }
        Ok(Some(match (op, other, reflected) {
            (BinOp::Mul, Value::Int(_) | Value::Bool(_), _) => PyTimedelta::value(a * i128::from(other.as_int().unwrap_or(0)))?,
            (BinOp::Mul, Value::Float(f), _) => PyTimedelta::value(scale(a, *f)?)?,
            (BinOp::Div, Value::Int(_) | Value::Bool(_), false) => match other.as_int().unwrap_or(0) {
                0 => return Err(PyErr::zero_division("integer division or modulo by zero")),
                n => PyTimedelta::value(round_div(a, i128::from(n)))?,
            },
            (BinOp::Div, Value::Float(f), false) if *f == 0.0 => return Err(PyErr::zero_division("float division by zero")),
            (BinOp::Div, Value::Float(f), false) => PyTimedelta::value(scale(a, 1.0 / f)?)?,
            (BinOp::FloorDiv, Value::Int(_) | Value::Bool(_), false) => match other.as_int().unwrap_or(0) {
                0 => return Err(PyErr::zero_division("integer division or modulo by zero")),
                n => PyTimedelta::value(floor_div(a, i128::from(n)))?,
            },
            _ => return Ok(None),
        }))
    }
}

/// Add `value` units of `unit_micros` to the running exact and float sums.
fn accumulate(name: &str, value: &Value, unit_micros: i128, exact: &mut i128, fractional: &mut f64) -> PyResult<()> {
    match value {
        Value::Int(_) | Value::Bool(_) => {
            *exact = i128::from(value.as_int().unwrap_or(0))
                .checked_mul(unit_micros)
                .and_then(|v| exact.checked_add(v))
                .ok_or_else(|| PyErr::overflow("Python int too large to convert to C int"))?;
        }
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(PyErr::overflow("cannot convert float infinity to integer"));
            }
            let whole = f.trunc();
            if whole.abs() > 1e15 {
                return Err(PyErr::overflow("Python int too large to convert to C int"));
            }
            *exact += whole as i128 * unit_micros;
            *fractional += (f - whole) * unit_micros as f64;
        }
        other => return Err(PyErr::type_error(format!("unsupported type for timedelta {name} component: {}", other.type_name()))),
    }
    Ok(())
}

pub(super) fn class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let cls = ClassBuilder::new("timedelta", "datetime")
        .static_method("__new__", |_, mut args| {
            skip_receiver(&mut args);
            let units = [
                ("days", MICROS_PER_DAY),
                ("seconds", MICROS_PER_SECOND),
                ("microseconds", 1),
                ("milliseconds", 1000),
                ("minutes", 60 * MICROS_PER_SECOND),
                ("hours", 3600 * MICROS_PER_SECOND),
                ("weeks", 7 * MICROS_PER_DAY),
            ];
            let values = bind_c(args, "__new__", units.map(|(n, _)| n), 0)?;
            let (mut exact, mut fractional) = (0i128, 0f64);
            for ((name, unit), value) in units.iter().zip(values.iter()) {
                if let Some(v) = value {
                    accumulate(name, v, *unit, &mut exact, &mut fractional)?;
                }
            }
            // Round the float parts half to even on the total, as CPython does.
            let floor = fractional.floor();
            let mut total = exact + floor as i128;
            let rest = fractional - floor;
            if rest > 0.5 || (rest == 0.5 && total % 2 != 0) {
                total += 1;
            }
            PyTimedelta::value(total)
        })
        .method("total_seconds", |_, args| {
            let td = receiver::<PyTimedelta>(&args, "datetime.timedelta", "total_seconds")?;
            no_args(&args, "timedelta.total_seconds")?;
            Ok(Value::Float(td.total_seconds()))
        })
        .attr("min", PyTimedelta::value(-MAX_DAYS * MICROS_PER_DAY)?)
        .attr("max", PyTimedelta::value((MAX_DAYS + 1) * MICROS_PER_DAY - 1)?)
        .attr("resolution", PyTimedelta::value(1)?)
        .build(interp)?;
    Ok(cls)
}

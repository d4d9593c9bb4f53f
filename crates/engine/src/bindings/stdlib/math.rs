//! `math`: the constants and the common functions, with CPython's errors
//! (`math domain error`, `must be real number, not str`). Integers are the
//! interpreter's 64-bit ints: results beyond them raise OverflowError.

use crate::script::{CallArgs, ExcKind, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

/// A real-number argument (int, bool, float, or an object with `__float__`).
fn real(interp: &mut Interpreter, v: &Value) -> PyResult<f64> {
    match v {
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => Ok(v.as_float().unwrap_or(0.0)),
        Value::Str(_) | Value::None | Value::List(_) | Value::Tuple(_) | Value::Dict(_) => {
            Err(PyErr::type_error(format!("must be real number, not {}", v.type_name())))
        }
        other => {
            let float = Value::Class(interp.builtin_class(crate::script::value::BuiltinType::Float));
            interp
                .call(&float, vec![other.clone()], Vec::new())
                .map(|f| f.as_float().unwrap_or(0.0))
                .map_err(|_| PyErr::type_error(format!("must be real number, not {}", other.type_name())))
        }
    }
}

/// An integer argument (`factorial`, `gcd`, `comb`...).
fn integer(v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(_) | Value::Bool(_) => Ok(v.as_int().unwrap_or(0)),
        other => Err(PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name()))),
    }
}

fn domain_error() -> PyErr {
    PyErr::value_error("math domain error")
}

/// A finite result, or the error CPython gives for an overflow or a domain error.
fn checked(x: f64, inputs_finite: bool) -> PyResult<Value> {
    if x.is_nan() && inputs_finite {
        return Err(domain_error());
    }
    if x.is_infinite() && inputs_finite {
        return Err(PyErr::new(ExcKind::OverflowError, "math range error"));
    }
    Ok(Value::Float(x))
}

fn float_to_int(x: f64) -> PyResult<Value> {
    if x.is_nan() {
        return Err(PyErr::value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(PyErr::new(ExcKind::OverflowError, "cannot convert float infinity to integer"));
    }
    if x.abs() >= 9.223_372_036_854_776e18 {
        return Err(PyErr::int_overflow());
    }
    Ok(Value::Int(x as i64))
}

/// A one-argument float function whose domain `valid` excludes some inputs.
fn unary(name: &'static str, f: fn(f64) -> f64, valid: fn(f64) -> bool) -> impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> {
    move |interp, args| {
        args.exactly(name, 1)?;
        let x = real(interp, &args.args[0])?;
        if !valid(x) {
            return Err(domain_error());
        }
        checked(f(x), x.is_finite())
    }
}

fn always(_: f64) -> bool {
    true
}

fn log(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.count_between("log", 1, 2)?;
    let x = real(interp, &args.args[0])?;
    if x <= 0.0 {
        return Err(domain_error());
    }
    match args.args.get(1) {
        None => Ok(Value::Float(x.ln())),
        Some(base) => {
            let base = real(interp, base)?;
            if base <= 0.0 {
                return Err(domain_error());
            }
            if base == 1.0 {
                return Err(PyErr::zero_division("float division by zero"));
            }
            Ok(Value::Float(x.ln() / base.ln()))
        }
    }
}

fn pow(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("pow", 2)?;
    let (x, y) = (real(interp, &args.args[0])?, real(interp, &args.args[1])?);
    if x == 0.0 && y < 0.0 || (x < 0.0 && x.is_finite() && y.fract() != 0.0 && y.is_finite()) {
        return Err(domain_error());
    }
    checked(x.powf(y), x.is_finite() && y.is_finite())
}

fn rounding(name: &'static str, f: fn(f64) -> f64) -> impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> {
    move |interp, args| {
        args.exactly(name, 1)?;
        match &args.args[0] {
            v @ (Value::Int(_) | Value::Bool(_)) => Ok(Value::Int(v.as_int().unwrap_or(0))),
            other => float_to_int(f(real(interp, other)?)),
        }
    }
}

fn factorial(_: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("factorial", 1)?;
    let n = integer(&args.args[0])?;
    if n < 0 {
        return Err(PyErr::value_error("factorial() not defined for negative values"));
    }
    (1..=n).try_fold(1i64, |acc, k| acc.checked_mul(k)).map(Value::Int).ok_or_else(PyErr::int_overflow)
}

fn gcd_of(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    i64::try_from(a).unwrap_or(i64::MAX)
}

fn gcd(_: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("gcd")?;
    let mut g = 0;
    for v in &args.args {
        g = gcd_of(g, integer(v)?);
    }
    Ok(Value::Int(g))
}

fn lcm(_: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("lcm")?;
    let mut l: i64 = 1;
    for v in &args.args {
        let n = integer(v)?;
        if n == 0 || l == 0 {
            l = 0;
            continue;
        }
        l = (l / gcd_of(l, n)).checked_mul(n.abs()).ok_or_else(PyErr::int_overflow)?;
    }
    Ok(Value::Int(l))
}

/// `comb(n, k)` / `perm(n, k)`.
fn choose(name: &'static str, ordered: bool) -> impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> {
    move |_, args| {
        args.count_between(name, if ordered { 1 } else { 2 }, 2)?;
        let n = integer(&args.args[0])?;
        let k = match args.args.get(1) {
            Some(v) => integer(v)?,
            None => n,
        };
        if n < 0 {
            return Err(PyErr::value_error("n must be a non-negative integer"));
        }
        if k < 0 {
            return Err(PyErr::value_error("k must be a non-negative integer"));
        }
        if k > n {
            return Ok(Value::Int(0));
        }
        let mut result: i128 = 1;
        let k = if ordered { k } else { k.min(n - k) };
        for i in 0..k {
            result = result.checked_mul(i128::from(n - i)).ok_or_else(PyErr::int_overflow)?;
            if !ordered {
                result /= i128::from(i + 1);
            }
        }
        i64::try_from(result).map(Value::Int).map_err(|_| PyErr::int_overflow())
    }
}

fn isclose(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [a, b, rel_tol, abs_tol] = CallArgs::with_kwargs(args.args, args.kwargs).bind("isclose", ["a", "b", "rel_tol", "abs_tol"], 2)?;
    let (a, b) = (real(interp, &a.unwrap_or(Value::None))?, real(interp, &b.unwrap_or(Value::None))?);
    let rel = rel_tol.map(|v| real(interp, &v)).transpose()?.unwrap_or(1e-9);
    let abs = abs_tol.map(|v| real(interp, &v)).transpose()?.unwrap_or(0.0);
    if rel < 0.0 || abs < 0.0 {
        return Err(PyErr::value_error("tolerances must be non-negative"));
    }
    if a == b {
        return Ok(Value::Bool(true));
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(Value::Bool(false));
    }
    let diff = (b - a).abs();
    Ok(Value::Bool(diff <= (rel * b).abs() || diff <= (rel * a).abs() || diff <= abs))
}

/// `prod(iterable, *, start=1)` and `fsum(iterable)` over numbers.
fn prod(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [iterable, start] = args.bind("prod", ["iterable", "start"], 1)?;
    let mut acc = start.unwrap_or(Value::Int(1));
    for x in interp.collect(&iterable.unwrap_or(Value::None))? {
        acc = interp.binary_op(&acc, crate::script::ast::BinOp::Mul, &x)?;
    }
    Ok(acc)
}

fn fsum(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("fsum", 1)?;
    // Neumaier's compensated sum: exact for the sums learners write.
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for x in interp.collect(&args.args[0])? {
        let x = real(interp, &x)?;
        let t = sum + x;
        compensation += if sum.abs() >= x.abs() { (sum - t) + x } else { (x - t) + sum };
        sum = t;
    }
    Ok(Value::Float(sum + compensation))
}

fn two_reals(name: &'static str, f: fn(f64, f64) -> PyResult<f64>) -> impl Fn(&mut Interpreter, CallArgs) -> PyResult<Value> {
    move |interp, args| {
        args.exactly(name, 2)?;
        let (x, y) = (real(interp, &args.args[0])?, real(interp, &args.args[1])?);
        f(x, y).map(Value::Float)
    }
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("math", |_| {
        let m = ModuleBuilder::new("math")
            .value("pi", Value::Float(std::f64::consts::PI))
            .value("e", Value::Float(std::f64::consts::E))
            .value("tau", Value::Float(std::f64::consts::TAU))
            .value("inf", Value::Float(f64::INFINITY))
            .value("nan", Value::Float(f64::NAN))
            .function("sqrt", unary("sqrt", f64::sqrt, |x| x >= 0.0))
            .function("exp", unary("exp", f64::exp, always))
            .function("log2", unary("log2", f64::log2, |x| x > 0.0))
            .function("log10", unary("log10", f64::log10, |x| x > 0.0))
            .function("sin", unary("sin", f64::sin, f64::is_finite))
            .function("cos", unary("cos", f64::cos, f64::is_finite))
            .function("tan", unary("tan", f64::tan, f64::is_finite))
            .function("asin", unary("asin", f64::asin, |x| (-1.0..=1.0).contains(&x)))
            .function("acos", unary("acos", f64::acos, |x| (-1.0..=1.0).contains(&x)))
            .function("atan", unary("atan", f64::atan, always))
            .function("fabs", unary("fabs", f64::abs, always))
            .function("degrees", unary("degrees", f64::to_degrees, always))
            .function("radians", unary("radians", f64::to_radians, always))
            .function("log", log)
            .function("pow", pow)
            .function("floor", rounding("floor", f64::floor))
            .function("ceil", rounding("ceil", f64::ceil))
            .function("trunc", rounding("trunc", f64::trunc))
            .function("factorial", factorial)
            .function("gcd", gcd)
            .function("lcm", lcm)
            .function("comb", choose("comb", false))
            .function("perm", choose("perm", true))
            .function("isclose", isclose)
            .function("prod", prod)
            .function("fsum", fsum)
            .function("atan2", two_reals("atan2", |y, x| Ok(y.atan2(x))))
            .function("hypot", two_reals("hypot", |x, y| Ok(x.hypot(y))))
            .function("copysign", two_reals("copysign", |x, y| Ok(x.copysign(y))))
            .function("fmod", two_reals("fmod", |x, y| if y == 0.0 || x.is_infinite() { Err(domain_error()) } else { Ok(x % y) }))
            .function("isqrt", |_, args| {
                args.exactly("isqrt", 1)?;
                let n = integer(&args.args[0])?;
                if n < 0 {
                    return Err(PyErr::value_error("isqrt() argument must be nonnegative"));
                }
                // Correct the float estimate to the exact floor square root.
                let mut r = (n as f64).sqrt() as i64;
                while r.checked_mul(r).is_none_or(|sq| sq > n) {
                    r -= 1;
                }
                while (r + 1).checked_mul(r + 1).is_some_and(|sq| sq <= n) {
                    r += 1;
                }
                Ok(Value::Int(r))
            })
            .function("modf", |interp, args| {
                args.exactly("modf", 1)?;
                let x = real(interp, &args.args[0])?;
                Ok(Value::tuple(vec![Value::Float(x.fract()), Value::Float(x.trunc())]))
            });
        let m = ["isfinite", "isinf", "isnan"].into_iter().fold(m, |m, name| {
            m.function(name, move |interp, args| {
                args.exactly(name, 1)?;
                let x = real(interp, &args.args[0])?;
                Ok(Value::Bool(match name {
                    "isfinite" => x.is_finite(),
                    "isinf" => x.is_infinite(),
                    _ => x.is_nan(),
                }))
            })
        });
        Ok(m.build())
    });
}

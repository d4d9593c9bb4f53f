//! `round`, `divmod`, three-argument `pow`, and the methods of `int`,
//! `float` and `bytes`.

use super::super::error::{PyErr, PyResult};
use super::super::interp::{float_divmod, int_floordiv, int_mod, repr_bytes, Interpreter};
use super::super::native::CallArgs;
use super::super::value::Value;
use super::types::float_to_int;

/// `round(number, ndigits)` with round-half-to-even, as CPython.
pub(crate) fn round(interp: &mut Interpreter, number: &Value, ndigits: Option<i64>) -> PyResult<Value> {
    match number {
        Value::Int(_) | Value::Bool(_) => {
            let n = number.as_int().unwrap_or(0);
            match ndigits {
                None => Ok(Value::Int(n)),
                Some(d) if d >= 0 => Ok(Value::Int(n)),
                Some(d) => {
                    if d < -18 {
                        return Ok(Value::Int(0));
                    }
                    let p = 10i128.pow((-d) as u32);
                    let n = n as i128;
                    let q = n.div_euclid(p);
                    let r = n.rem_euclid(p);
                    let twice = 2 * r;
                    let q = if twice > p || (twice == p && q % 2 != 0) { q + 1 } else { q };
                    i64::try_from(q * p).map(Value::Int).map_err(|_| PyErr::int_overflow())
                }
            }
        }
        Value::Float(f) => match ndigits {
            None => float_to_int(f.round_ties_even()),
            Some(d) => Ok(Value::Float(round_float(*f, d))),
        },
        Value::Instance(inst) => {
            let cls = inst.class.clone();
            let args = match ndigits {
                Some(d) => vec![Value::Int(d)],
                None => Vec::new(),
            };
            match interp.call_special(number, &cls, "__round__", args)? {
                Some(v) => Ok(v),
                None => Err(PyErr::type_error(format!("type {} doesn't define __round__ method", cls.name))),
            }
        }
        Value::Native(n) => match n.clone().round(interp, number, ndigits)? {
            Some(v) => Ok(v),
            None => Err(PyErr::type_error(format!("type {} doesn't define __round__ method", n.type_name()))),
        },
        other => Err(PyErr::type_error(format!("type {} doesn't define __round__ method", other.type_name()))),
    }
}

/// `round(x, ndigits)` for floats: round the exact decimal value half-to-even.
fn round_float(x: f64, ndigits: i64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if ndigits > 320 {
        return x;
    }
    // Every finite float is below 10**309.
    if ndigits < -320 {
        return 0.0f64.copysign(x);
    }
    if ndigits >= 0 {
        return format!("{:.*}", ndigits as usize, x).parse().unwrap_or(x);
    }
    // Rounding to tens, hundreds...: work on the exact integer part digits.
    let k = (-ndigits) as usize;
    let int_part = format!("{:.0}", x.trunc().abs());
    let has_fraction = x.fract() != 0.0;
    if int_part.len() < k {
        // |x| < 10**k: the result is 0 or ±10**k.
        let half = 0.5 * 10f64.powi(k as i32);
        let ax = x.abs();
        let r = if ax > half { 10f64.powi(k as i32) } else { 0.0 };
        return r.copysign(x);
    }
    let (head, tail) = int_part.split_at(int_part.len() - k);
    let mut head_digits: Vec<u8> = head.bytes().map(|b| b - b'0').collect();
    let tail_first = tail.as_bytes()[0] - b'0';
    let tail_rest_zero = tail.bytes().skip(1).all(|b| b == b'0') && !has_fraction;
    let last_odd = head_digits.last().is_some_and(|d| d % 2 == 1);
    let round_up = tail_first > 5 || (tail_first == 5 && (!tail_rest_zero || last_odd));
    if round_up {
        let mut i = head_digits.len();
        loop {
            if i == 0 {
                head_digits.insert(0, 1);
                break;
            }
            i -= 1;
            if head_digits[i] == 9 {
                head_digits[i] = 0;
            } else {
                head_digits[i] += 1;
                break;
            }
        }
    }
    let mut s: String = head_digits.iter().map(|d| (b'0' + d) as char).collect();
    s.push_str(&"0".repeat(k));
    let v: f64 = s.parse().unwrap_or(0.0);
    v.copysign(x)
}

/// `divmod(a, b)`.
pub(crate) fn divmod(interp: &mut Interpreter, a: &Value, b: &Value) -> PyResult<Value> {
    match (a, b) {
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => {
            let (x, y) = (a.as_int().unwrap_or(0), b.as_int().unwrap_or(0));
            if y == 0 {
                return Err(PyErr::zero_division("integer division or modulo by zero"));
            }
            Ok(Value::tuple(vec![Value::Int(int_floordiv(x, y)?), Value::Int(int_mod(x, y)?)]))
        }
        (Value::Int(_) | Value::Bool(_) | Value::Float(_), Value::Int(_) | Value::Bool(_) | Value::Float(_)) => {
            let (x, y) = (a.as_float().unwrap_or(0.0), b.as_float().unwrap_or(0.0));
            if y == 0.0 {
                return Err(PyErr::zero_division("float divmod()"));
            }
            let (q, r) = float_divmod(x, y);
            Ok(Value::tuple(vec![Value::Float(q), Value::Float(r)]))
        }
        _ => {
            let q = interp.binary_op(a, super::super::ast::BinOp::FloorDiv, b).map_err(|_| unsupported_divmod(a, b))?;
            let r = interp.binary_op(a, super::super::ast::BinOp::Mod, b)?;
            Ok(Value::tuple(vec![q, r]))
        }
    }
}

fn unsupported_divmod(a: &Value, b: &Value) -> PyErr {
    PyErr::type_error(format!("unsupported operand type(s) for divmod(): '{}' and '{}'", a.type_name(), b.type_name()))
}

/// `pow(base, exp, mod)` for integers.
pub(crate) fn pow_mod(base: &Value, exp: &Value, modulus: &Value) -> PyResult<Value> {
    let (Some(b), Some(e), Some(m)) = (base.as_int(), exp.as_int(), modulus.as_int()) else {
        return Err(PyErr::type_error("pow() 3rd argument not allowed unless all arguments are integers"));
    };
    if m == 0 {
        return Err(PyErr::value_error("pow() 3rd argument cannot be 0"));
    }
    let m128 = (m as i128).abs();
    let mut base = (b as i128).rem_euclid(m128);
    let mut e = e as i128;
    if e < 0 {
        base = mod_inverse(base, m128).ok_or_else(|| PyErr::value_error("base is not invertible for the given modulus"))?;
        e = -e;
    }
    let mut result: i128 = 1 % m128;
    while e > 0 {
        if e & 1 == 1 {
            result = result * base % m128;
        }
        base = base * base % m128;
        e >>= 1;
    }
    // The result takes the sign of the modulus, like `%`.
    if m < 0 && result != 0 {
        result -= m128;
    }
    Ok(Value::Int(result as i64))
}

fn mod_inverse(a: i128, m: i128) -> Option<i128> {
    let (mut old_r, mut r) = (a, m);
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    if old_r != 1 {
        return None;
    }
    Some(old_s.rem_euclid(m))
}

/// Methods of `int`, `bool` and `float`.
pub(crate) fn number_method(_interp: &mut Interpreter, recv: &Value, name: &str, args: CallArgs) -> PyResult<Value> {
    args.exactly(name, 0)?;
    match (recv, name) {
        (Value::Float(f), "is_integer") => Ok(Value::Bool(f.is_finite() && f.fract() == 0.0)),
        (Value::Float(f), "conjugate") => Ok(Value::Float(*f)),
        (Value::Float(f), "as_integer_ratio") => {
            if !f.is_finite() {
                return Err(if f.is_nan() { PyErr::value_error("cannot convert NaN to integer ratio") } else { PyErr::overflow("cannot convert Infinity to integer ratio") });
            }
            let mut num = *f;
            let mut den: i64 = 1;
            while num.fract() != 0.0 && den < (1 << 52) {
                num *= 2.0;
                den *= 2;
            }
            let n = float_to_int(num)?;
            Ok(Value::tuple(vec![n, Value::Int(den)]))
        }
        (_, "bit_length") => Ok(Value::Int(64 - recv.as_int().unwrap_or(0).unsigned_abs().leading_zeros() as i64)),
        (_, "bit_count") => Ok(Value::Int(recv.as_int().unwrap_or(0).unsigned_abs().count_ones() as i64)),
        (_, "conjugate") => Ok(Value::Int(recv.as_int().unwrap_or(0))),
        (_, "as_integer_ratio") => Ok(Value::tuple(vec![Value::Int(recv.as_int().unwrap_or(0)), Value::Int(1)])),
        _ => Err(PyErr::attribute_error(format!("'{}' object has no attribute '{name}'", recv.type_name()))),
    }
}

fn bytes_arg(v: &Value, fname: &str) -> PyResult<Vec<u8>> {
    match v {
        Value::Bytes(b) => Ok(b.0.to_vec()),
        other => Err(PyErr::type_error(format!("{fname}: a bytes-like object is required, not '{}'", other.type_name()))),
    }
}

/// Methods of `bytes`.
pub(crate) fn bytes_method(interp: &mut Interpreter, b: &[u8], name: &str, args: CallArgs) -> PyResult<Value> {
    match name {
        "decode" => {
            let [encoding, _errors] = args.bind("decode", ["encoding", "errors"], 0)?;
            let enc = encoding.and_then(|e| e.as_str().map(|s| s.to_ascii_lowercase())).unwrap_or_else(|| "utf-8".into());
            match enc.as_str() {
                "latin-1" | "latin1" | "iso-8859-1" => Ok(Value::string(b.iter().map(|&x| x as char).collect())),
                _ => match std::str::from_utf8(b) {
                    Ok(s) => Ok(Value::str(s)),
                    Err(e) => Err(PyErr::new(
                        super::super::error::ExcKind::UnicodeDecodeError,
                        format!("'utf-8' codec can't decode byte 0x{:02x} in position {}: invalid start byte", b[e.valid_up_to()], e.valid_up_to()),
                    )),
                },
            }
        }
        "hex" => {
            args.exactly("hex", 0)?;
            Ok(Value::string(b.iter().map(|x| format!("{x:02x}")).collect()))
        }
        "upper" | "lower" => {
            args.exactly(name, 0)?;
            Ok(Value::bytes(if name == "upper" { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() }))
        }
        "startswith" | "endswith" => {
            args.exactly(name, 1)?;
            let p = bytes_arg(&args.args[0], name)?;
            Ok(Value::Bool(if name == "startswith" { b.starts_with(&p) } else { b.ends_with(&p) }))
        }
        "find" | "count" => {
            args.exactly(name, 1)?;
            let p = bytes_arg(&args.args[0], name)?;
            if name == "count" {
                if p.is_empty() {
                    return Ok(Value::Int(b.len() as i64 + 1));
                }
                let mut n = 0;
                let mut i = 0;
                while i + p.len() <= b.len() {
                    if b[i..i + p.len()] == p[..] {
                        n += 1;
                        i += p.len();
                    } else {
                        i += 1;
                    }
                }
                return Ok(Value::Int(n));
            }
            Ok(Value::Int(b.windows(p.len().max(1)).position(|w| w == &p[..]).map_or(-1, |i| i as i64)))
        }
        "strip" => {
            args.exactly(name, 0)?;
            let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
            let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |i| i + 1);
            Ok(Value::bytes(b[start..end.max(start)].to_vec()))
        }
        "split" => {
            args.count_between("split", 0, 1)?;
            let parts: Vec<Value> = match args.args.first() {
                None => b.split(|c| c.is_ascii_whitespace()).filter(|p| !p.is_empty()).map(|p| Value::bytes(p.to_vec())).collect(),
                Some(sep) => {
                    let sep = bytes_arg(sep, "split")?;
                    if sep.is_empty() {
                        return Err(PyErr::value_error("empty separator"));
                    }
                    let mut out = Vec::new();
                    let mut start = 0;
                    let mut i = 0;
                    while i + sep.len() <= b.len() {
                        if b[i..i + sep.len()] == sep[..] {
                            out.push(Value::bytes(b[start..i].to_vec()));
                            i += sep.len();
                            start = i;
                        } else {
                            i += 1;
                        }
                    }
                    out.push(Value::bytes(b[start..].to_vec()));
                    out
                }
            };
            Ok(Value::list(parts))
        }
        "join" => {
            args.exactly("join", 1)?;
            let items = interp.collect(&args.args[0])?;
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let Value::Bytes(p) = item else {
                    return Err(PyErr::type_error(format!("sequence item {i}: expected a bytes-like object, {} found", item.type_name())));
                };
                if i > 0 {
                    out.extend_from_slice(b);
                }
                out.extend_from_slice(&p.0);
            }
            Ok(Value::bytes(out))
        }
        "replace" => {
            args.exactly("replace", 2)?;
            let old = bytes_arg(&args.args[0], "replace")?;
            let new = bytes_arg(&args.args[1], "replace")?;
            if old.is_empty() {
                return Ok(Value::bytes(b.to_vec()));
            }
            let mut out = Vec::new();
            let mut i = 0;
            while i < b.len() {
                if b[i..].starts_with(&old) {
                    out.extend_from_slice(&new);
                    i += old.len();
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            interp.check_alloc(out.len(), 1)?;
            Ok(Value::bytes(out))
        }
        _ => Err(PyErr::attribute_error(format!("'bytes' object has no attribute '{name}' ({})", repr_bytes(b)))),
    }
}

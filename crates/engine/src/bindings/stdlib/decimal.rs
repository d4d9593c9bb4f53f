//! `decimal`: `Decimal` on rust_decimal (at most 28 significant digits, as
//! CPython's default context rounds results to), printed, compared, hashed and
//! rounded as CPython does. Values CPython keeps exactly but rust_decimal
//! cannot hold (more than 28 digits, `NaN`, `Infinity`) are refused with a
//! clear error rather than silently rounded.
//!
//! A `Decimal` is an instance of a host class (so `int()`, `float()`,
//! `round()`, `abs()` and the operators reach it through its special methods);
//! the number is the instance's native state. For the ORM bindings (Numeric
//! columns): [`decimal_to_value`], [`decimal_from_value`].

use std::rc::Rc;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::script::value::hash::fix_hash;
use crate::script::value::Class;
use crate::script::{CallArgs, ClassBuilder, ExcKind, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::native::{cached, skip_receiver};

/// CPython's default context precision (and about what rust_decimal holds).
const PRECISION: u32 = 28;

/// The number inside a `Decimal` instance.
struct DecimalState(Decimal);

/// `Decimal` and the module's exceptions, built once per interpreter.
struct DecimalTypes {
    decimal: Rc<Class>,
    invalid_operation: Rc<Class>,
    division_by_zero: Rc<Class>,
    module_classes: Vec<Rc<Class>>,
}

fn types(interp: &mut Interpreter) -> PyResult<Rc<DecimalTypes>> {
    cached(interp, |interp| {
        let arithmetic = interp.exception_class(ExcKind::ArithmeticError);
        let base = interp.new_exception_class("DecimalException", "decimal", &arithmetic)?;
        let invalid_operation = interp.new_exception_class("InvalidOperation", "decimal", &base)?;
        let division_by_zero = ClassBuilder::new("DivisionByZero", "decimal").base(&base).base(&interp.exception_class(ExcKind::ZeroDivisionError)).build(interp)?;
        let conversion_syntax = interp.new_exception_class("ConversionSyntax", "decimal", &invalid_operation)?;
        let division_undefined =
            ClassBuilder::new("DivisionUndefined", "decimal").base(&invalid_operation).base(&interp.exception_class(ExcKind::ZeroDivisionError)).build(interp)?;
        let decimal = decimal_class(interp)?;
        let module_classes = vec![decimal.clone(), base, invalid_operation.clone(), division_by_zero.clone(), conversion_syntax, division_undefined];
        Ok(Rc::new(DecimalTypes { decimal, invalid_operation, division_by_zero, module_classes }))
    })
}

/// The module's exception with CPython's message: `[<class 'decimal.ConversionSyntax'>]`.
fn signal(interp: &mut Interpreter, raised: fn(&DecimalTypes) -> &Rc<Class>, condition: &str) -> PyErr {
    match types(interp) {
        Ok(t) => PyErr::from_class(raised(&t), format!("[<class 'decimal.{condition}'>]")),
        Err(e) => e,
    }
}

/// A `Decimal` value for a Numeric column value.
pub fn decimal_to_value(interp: &mut Interpreter, d: Decimal) -> PyResult<Value> {
    let t = types(interp)?;
    let inst = interp.new_instance(&t.decimal);
    inst.set_native_state(Rc::new(DecimalState(d)));
    Ok(Value::Instance(inst))
}

/// The number of a `Decimal` value (`None` for anything else).
pub fn decimal_from_value(v: &Value) -> Option<Decimal> {
    v.as_instance()?.native_state_as::<DecimalState>().map(|s| s.0)
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("decimal", |interp| {
        let t = types(interp)?;
        let mut m = ModuleBuilder::new("decimal");
        for cls in &t.module_classes {
            m = m.class(cls);
        }
        for (name, _) in ROUNDINGS {
            m = m.value(name, *name);
        }
        Ok(m.build())
    });
}

const ROUNDINGS: &[(&str, RoundingStrategy)] = &[
    ("ROUND_DOWN", RoundingStrategy::ToZero),
    ("ROUND_HALF_UP", RoundingStrategy::MidpointAwayFromZero),
    ("ROUND_HALF_EVEN", RoundingStrategy::MidpointNearestEven),
    ("ROUND_CEILING", RoundingStrategy::ToPositiveInfinity),
    ("ROUND_FLOOR", RoundingStrategy::ToNegativeInfinity),
    ("ROUND_UP", RoundingStrategy::AwayFromZero),
    ("ROUND_HALF_DOWN", RoundingStrategy::MidpointTowardZero),
];

fn too_precise(what: &str) -> PyErr {
    PyErr::not_implemented(format!("{what} needs more than the {PRECISION} significant digits the playground's Decimal holds"))
}

fn digit_count(mantissa: i128) -> u32 {
    let m = mantissa.unsigned_abs();
    if m == 0 {
        1
    } else {
        m.ilog10() + 1
    }
}

/// Round to the context's 28 significant digits (half to even), as every
/// CPython arithmetic result is.
fn in_context(d: Decimal) -> Decimal {
    let digits = digit_count(d.mantissa());
    if digits > PRECISION && d.scale() > 0 {
        let excess = digits - PRECISION;
        return d.round_dp_with_strategy(d.scale().saturating_sub(excess), RoundingStrategy::MidpointNearestEven);
    }
    d
}

/// Parse a numeric string as `Decimal(str)` does.
fn parse(interp: &mut Interpreter, text: &str) -> PyResult<Decimal> {
    let s = text.trim();
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "snan" | "inf" | "infinity") {
        return Err(PyErr::not_implemented(format!("Decimal('{s}'): the playground's Decimal holds finite numbers only")));
    }
    let negative = s.starts_with('-');
    let (number, exponent) = match lower.find('e') {
        Some(i) => (&lower[..i], Some(&lower[i + 1..])),
        None => (lower.as_str(), None),
    };
    let valid_digits = |p: &str| !p.starts_with('_') && !p.ends_with('_') && !p.contains("__") && p.chars().all(|c| c.is_ascii_digit() || c == '_');
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if (int_part.is_empty() && frac_part.is_empty()) || !valid_digits(int_part) || !valid_digits(frac_part) {
        return Err(signal(interp, |t| &t.invalid_operation, "ConversionSyntax"));
    }
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(signal(interp, |t| &t.invalid_operation, "ConversionSyntax"));
            }
            e.parse().map_err(|_| too_precise(&format!("Decimal('{s}')")))?
        }
    };
    let digits: String = format!("{int_part}{frac_part}").replace('_', "");
    let significant = digits.trim_start_matches('0');
    if significant.len() > PRECISION as usize {
        return Err(too_precise(&format!("Decimal('{s}')")));
    }
    let mantissa: i128 = if significant.is_empty() { 0 } else { significant.parse().map_err(|_| too_precise(&format!("Decimal('{s}')")))? };
    let mut scale = (frac_part.replace('_', "").len() as i64).checked_sub(exponent).ok_or_else(|| too_precise(&format!("Decimal('{s}')")))?;
    let mut mantissa = mantissa;
    if scale < 0 {
        // A positive exponent: written out (CPython would keep `1E+2` as is).
        let zeros = u32::try_from(-scale).map_err(|_| too_precise(&format!("Decimal('{s}')")))?;
        mantissa = 10i128.checked_pow(zeros).and_then(|p| mantissa.checked_mul(p)).ok_or_else(|| too_precise(&format!("Decimal('{s}')")))?;
        scale = 0;
    }
    let scale = u32::try_from(scale).ok().filter(|s| *s <= PRECISION).ok_or_else(|| too_precise(&format!("Decimal('{s}')")))?;
    let mut d = Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| too_precise(&format!("Decimal('{s}')")))?;
    d.set_sign_negative(negative);
    Ok(d)
}

/// The exact value of a float, when it fits in 28 digits.
fn exact_float(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        let mut zero = Decimal::ZERO;
        zero.set_sign_negative(f.is_sign_negative());
        return Some(zero);
    }
    let bits = f.to_bits();
    let exponent_bits = ((bits >> 52) & 0x7ff) as i64;
    let fraction = (bits & ((1u64 << 52) - 1)) as i128;
    let (mut mantissa, mut exponent) = if exponent_bits == 0 { (fraction, -1074) } else { (fraction | (1 << 52), exponent_bits - 1075) };
    while mantissa % 2 == 0 && exponent < 0 {
        mantissa /= 2;
        exponent += 1;
    }
    let (value, scale) = if exponent >= 0 {
        (mantissa.checked_mul(1i128.checked_shl(u32::try_from(exponent).ok()?)?)?, 0)
    } else {
        // m * 2^-k == m * 5^k / 10^k.
        let k = u32::try_from(-exponent).ok()?;
        (mantissa.checked_mul(5i128.checked_pow(k)?)?, k)
    };
    if scale > PRECISION || digit_count(value) > PRECISION {
        return None;
    }
    let mut d = Decimal::try_from_i128_with_scale(value, scale).ok()?;
    d.set_sign_negative(f < 0.0);
    Some(d)
}

/// `Decimal(value)`.
fn construct(interp: &mut Interpreter, value: Option<&Value>) -> PyResult<Decimal> {
    match value {
        None => Ok(Decimal::ZERO),
        Some(Value::Str(s)) => parse(interp, s.as_str()),
        Some(v @ (Value::Int(_) | Value::Bool(_))) => Ok(Decimal::from(v.as_int().unwrap_or(0))),
        Some(Value::Float(f)) => exact_float(*f).ok_or_else(|| {
            if f.is_finite() {
                too_precise(&format!(
                    "Decimal({}) (the float's exact binary value; write Decimal('{}') for the decimal number)",
                    crate::script::format::float_repr(*f),
                    crate::script::format::float_repr(*f)
                ))
            } else {
                PyErr::not_implemented("the playground's Decimal holds finite numbers only")
            }
        }),
        Some(v) => match decimal_from_value(v) {
            Some(d) => Ok(d),
            None if matches!(v, Value::List(_) | Value::Tuple(_)) => Err(PyErr::value_error("argument must be a sequence of length 3")),
            None => Err(PyErr::type_error(format!("conversion from {} to Decimal is not supported", v.type_name()))),
        },
    }
}

/// `str(d)`: CPython's `to_sci_string` (exponent notation below 1E-6).
fn to_sci_string(d: &Decimal) -> String {
    let digits = d.mantissa().unsigned_abs().to_string();
    let exp = -(d.scale() as i64);
    let left_digits = exp + digits.len() as i64;
    let dot_place = if exp <= 0 && left_digits > -6 { left_digits } else { 1 };
    let (int_part, frac_part) = if dot_place <= 0 {
        ("0".to_string(), format!(".{}{digits}", "0".repeat((-dot_place) as usize)))
    } else if dot_place as usize >= digits.len() {
        (format!("{digits}{}", "0".repeat(dot_place as usize - digits.len())), String::new())
    } else {
        let (a, b) = digits.split_at(dot_place as usize);
        (a.to_string(), format!(".{b}"))
    };
    let exp_part = if left_digits == dot_place { String::new() } else { format!("E{:+}", left_digits - dot_place) };
    let sign = if d.is_sign_negative() { "-" } else { "" };
    format!("{sign}{int_part}{frac_part}{exp_part}")
}

/// CPython's numeric hash of a decimal (equal to the hash of an equal int or float).
fn hash(d: &Decimal) -> i64 {
    const P: u128 = (1u128 << 61) - 1;
    fn pow_mod(mut base: u128, mut exp: u128) -> u128 {
        let mut result = 1u128;
        base %= P;
        while exp > 0 {
            if exp & 1 == 1 {
                result = result * base % P;
            }
            base = base * base % P;
            exp >>= 1;
        }
        result
    }
    let ten_inverse = pow_mod(10, P - 2);
    let exp_hash = pow_mod(ten_inverse, u128::from(d.scale()));
    let h = (d.mantissa().unsigned_abs() % P) * exp_hash % P;
    // `h` is below 2**61, so it fits an i64.
    let h = h as i64;
    fix_hash(if d.is_sign_negative() { -h } else { h })
}

fn state(v: &Value) -> Option<Decimal> {
    decimal_from_value(v)
}

fn this(args: &CallArgs, method: &str) -> PyResult<Decimal> {
    let v = args.receiver()?;
    state(v).ok_or_else(|| PyErr::type_error(format!("descriptor '{method}' for 'decimal.Decimal' objects doesn't apply to a '{}' object", v.type_name())))
}

/// The other operand as a Decimal: Decimals and ints convert, floats and the
/// rest give `Err(TypeError)` for builtin values or `Ok(None)` (NotImplemented)
/// for objects that may implement the reflected operation.
fn operand(other: &Value) -> Option<Decimal> {
    match other {
        Value::Int(_) | Value::Bool(_) => Some(Decimal::from(other.as_int().unwrap_or(0))),
        _ => state(other),
    }
}

fn result(interp: &mut Interpreter, d: Decimal) -> PyResult<Value> {
    decimal_to_value(interp, in_context(d))
}

fn overflow(op: &str) -> PyErr {
    too_precise(&format!("the result of {op}"))
}

/// `a / b` with CPython's exceptions and its choice of exponent for exact quotients.
fn divide(interp: &mut Interpreter, a: Decimal, b: Decimal) -> PyResult<Decimal> {
    if b.is_zero() {
        return Err(if a.is_zero() { signal(interp, |t| &t.invalid_operation, "DivisionUndefined") } else { signal(interp, |t| &t.division_by_zero, "DivisionByZero") });
    }
    let q = a.checked_div(b).ok_or_else(|| overflow("the division"))?;
    if q.checked_mul(b) == Some(a) {
        // Exact: the "ideal" exponent is exp(a) - exp(b), as far as the digits allow.
        let ideal = i64::from(a.scale()) - i64::from(b.scale());
        let reduced = q.normalize();
        let scale = i64::from(reduced.scale()).max(ideal).max(0);
        let mut out = reduced;
        out.rescale(u32::try_from(scale).unwrap_or(0));
        return Ok(out);
    }
    Ok(q)
}

/// Apply a binary operator; `reflected` when the Decimal was the right operand.
fn arithmetic(interp: &mut Interpreter, args: &CallArgs, op: &str, symbol: &str, reflected: bool) -> PyResult<Value> {
    let a = this(args, op)?;
    let other = args.get(1).cloned().unwrap_or(Value::None);
    let Some(b) = operand(&other) else {
        if matches!(other, Value::Instance(_) | Value::Native(_)) {
            return Ok(Value::NotImplemented);
        }
        let (l, r) = if reflected { (other.type_name(), "decimal.Decimal".to_string()) } else { ("decimal.Decimal".to_string(), other.type_name()) };
        let symbol = if symbol == "**" { "** or pow()" } else { symbol };
        return Err(PyErr::type_error(format!("unsupported operand type(s) for {symbol}: '{l}' and '{r}'")));
    };
    let (x, y) = if reflected { (b, a) } else { (a, b) };
    let value = match symbol {
        "+" => x.checked_add(y).ok_or_else(|| overflow("the addition"))?,
        "-" => x.checked_sub(y).ok_or_else(|| overflow("the subtraction"))?,
        "*" => x.checked_mul(y).ok_or_else(|| overflow("the multiplication"))?,
        "/" => divide(interp, x, y)?,
        "//" | "%" if y.is_zero() => {
            return Err(if x.is_zero() {
                signal(interp, |t| &t.invalid_operation, "DivisionUndefined")
            } else if symbol == "//" {
                signal(interp, |t| &t.division_by_zero, "DivisionByZero")
            } else {
                signal(interp, |t| &t.invalid_operation, "InvalidOperation")
            });
        }
        // CPython's `//` truncates toward zero and `%` keeps the dividend's sign.
        "//" => x.checked_div(y).ok_or_else(|| overflow("the division"))?.trunc(),
        "%" => x.checked_rem(y).ok_or_else(|| overflow("the remainder"))?,
        _ => power(interp, x, y)?,
    };
    result(interp, value)
}

/// `x ** y` for integral exponents.
fn power(interp: &mut Interpreter, x: Decimal, y: Decimal) -> PyResult<Decimal> {
    if y.fract() != Decimal::ZERO {
        return Err(PyErr::not_implemented("Decimal ** a non-integral exponent is not supported in the playground"));
    }
    let n = y.to_i64().ok_or_else(|| overflow("the power"))?;
    let mut acc = Decimal::ONE;
    for _ in 0..n.unsigned_abs() {
        interp.tick()?;
        acc = in_context(acc.checked_mul(x).ok_or_else(|| overflow("the power"))?);
    }
    if n < 0 {
        return divide(interp, Decimal::ONE, acc);
    }
    Ok(acc)
}

fn compare(args: &CallArgs, symbol: &str) -> PyResult<Value> {
    let a = this(args, "__eq__")?;
    let other = args.get(1).cloned().unwrap_or(Value::None);
    let ordering = match (&other, operand(&other)) {
        (_, Some(b)) => Some(a.cmp(&b)),
        (Value::Float(f), None) => match exact_float(*f) {
            Some(b) => Some(a.cmp(&b)),
            // The float needs more digits than a Decimal holds, so they differ:
            // order by its 28-digit approximation (ties cannot be equal).
            None => Decimal::from_f64_retain(*f).map(|b| a.cmp(&b).then(std::cmp::Ordering::Less)),
        },
        _ => None,
    };
    let Some(ordering) = ordering else {
        return match symbol {
            "==" => Ok(Value::Bool(false)),
            "!=" => Ok(Value::Bool(true)),
            _ if matches!(other, Value::Instance(_) | Value::Native(_)) => Ok(Value::NotImplemented),
            _ => Err(PyErr::type_error(format!("'{symbol}' not supported between instances of 'decimal.Decimal' and '{}'", other.type_name()))),
        };
    };
    use std::cmp::Ordering::*;
    Ok(Value::Bool(match symbol {
        "==" => ordering == Equal,
        "!=" => ordering != Equal,
        "<" => ordering == Less,
        "<=" => ordering != Greater,
        ">" => ordering == Greater,
        _ => ordering != Less,
    }))
}

fn rounding_arg(v: Option<&Value>) -> PyResult<RoundingStrategy> {
    match v {
        None | Some(Value::None) => Ok(RoundingStrategy::MidpointNearestEven),
        Some(Value::Str(s)) => ROUNDINGS.iter().find(|(n, _)| *n == s.as_str()).map(|(_, r)| *r).ok_or_else(|| {
            PyErr::type_error(
                "valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]",
            )
        }),
        Some(other) => Err(PyErr::type_error(format!("optional argument must be a context, not {}", other.type_name()))),
    }
}

/// `d` with exactly `scale` decimal places, rounded with `strategy`.
fn quantize(interp: &mut Interpreter, d: Decimal, scale: u32, strategy: RoundingStrategy) -> PyResult<Decimal> {
    let mut out = d.round_dp_with_strategy(scale, strategy);
    out.rescale(scale);
    if digit_count(out.mantissa()) > PRECISION || out.scale() != scale {
        return Err(signal(interp, |t| &t.invalid_operation, "InvalidOperation"));
    }
    Ok(out)
}

/// `format(d, spec)` for the fixed-point types (`f`, `%`) and the empty type.
fn format(d: Decimal, spec: &str) -> PyResult<String> {
    let mut chars: Vec<char> = spec.chars().collect();
    let ty = match chars.last() {
        Some(c) if c.is_ascii_alphabetic() || *c == '%' => chars.pop(),
        _ => None,
    };
    let rest: String = chars.iter().collect();
    let (layout, precision) = match rest.rsplit_once('.') {
        Some((l, p)) => (l.to_string(), Some(p.parse::<u32>().map_err(|_| PyErr::value_error("Invalid format specifier"))?)),
        None => (rest, None),
    };
    let grouping = layout.ends_with(',') || layout.ends_with('_');
    let separator = layout.chars().last().filter(|_| grouping);
    let layout = if grouping { &layout[..layout.len() - 1] } else { layout.as_str() };
    let (value, suffix) = match ty {
        Some('%') => (d.checked_mul(Decimal::ONE_HUNDRED).ok_or_else(|| overflow("the format"))?, "%"),
        Some('f' | 'F') | None => (d, ""),
        Some(other) => {
            // Exponent and general forms go through float formatting.
            let f = d.to_f64().unwrap_or(0.0);
            let p = precision.map(|p| format!(".{p}")).unwrap_or_default();
            let sep = separator.map(String::from).unwrap_or_default();
            return crate::script::format::format_float(f, &format!("{layout}{sep}{p}{other}"));
        }
    };
    let text = match precision {
        Some(p) => {
            let mut r = value.round_dp_with_strategy(p, RoundingStrategy::MidpointNearestEven);
            r.rescale(p);
            r.abs().to_string()
        }
        None if ty.is_none() => to_sci_string(&value.abs()),
        None => value.abs().to_string(),
    };
    let (int_part, frac_part) = text.split_once('.').map_or((text.as_str(), String::new()), |(i, f)| (i, format!(".{f}")));
    let int_part = match separator {
        Some(sep) => {
            let digits: Vec<char> = int_part.chars().collect();
            let mut grouped = String::new();
            for (i, c) in digits.iter().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    grouped.push(sep);
                }
                grouped.push(*c);
            }
            grouped
        }
        None => int_part.to_string(),
    };
    let negative = d.is_sign_negative() && !value.is_zero();
    let sign_flag = layout.chars().last().filter(|c| matches!(c, '+' | '-' | ' '));
    let layout = if sign_flag.is_some() { &layout[..layout.len() - 1] } else { layout };
    let sign = match (negative, sign_flag) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    };
    let body = format!("{sign}{int_part}{frac_part}{suffix}");
    if layout.is_empty() {
        return Ok(body);
    }
    let zero_padded = layout.starts_with('0') && !layout.contains(['<', '>', '^', '=']);
    if zero_padded {
        let width: usize = layout.parse().unwrap_or(0);
        let digits = format!("{int_part}{frac_part}{suffix}");
        let pad = width.saturating_sub(sign.len() + digits.chars().count());
        return Ok(format!("{sign}{}{digits}", "0".repeat(pad)));
    }
    let has_align = layout.contains(['<', '>', '^', '=']);
    let layout = if has_align { layout.to_string() } else { format!(">{layout}") };
    crate::script::format::format_str(&body, &layout.replace('=', ">"))
}

fn unary(interp: &mut Interpreter, args: &CallArgs, method: &str, f: fn(Decimal) -> Decimal) -> PyResult<Value> {
    let d = this(args, method)?;
    result(interp, f(d))
}

fn decimal_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let mut b = ClassBuilder::new("Decimal", "decimal")
        .static_method("__new__", |interp, mut args| {
            skip_receiver(&mut args);
            let [value, _context] = args.bind("Decimal", ["value", "context"], 0)?;
            let d = construct(interp, value.as_ref())?;
            decimal_to_value(interp, d)
        })
        // Construction happens in `__new__`; this only accepts its arguments.
        .method("__init__", |_, _| Ok(Value::None))
        .method("__repr__", |_, args| Ok(Value::string(format!("Decimal('{}')", to_sci_string(&this(&args, "__repr__")?)))))
        .method("__str__", |_, args| Ok(Value::string(to_sci_string(&this(&args, "__str__")?))))
        .method("__format__", |interp, args| {
            let d = this(&args, "__format__")?;
            let spec = args.get(1).and_then(Value::as_str).unwrap_or("");
            interp.check_alloc(crate::script::format::requested_len(spec, true), 1)?;
            Ok(Value::string(format(d, spec)?))
        })
        .method("__hash__", |_, args| Ok(Value::Int(hash(&this(&args, "__hash__")?))))
        .method("__bool__", |_, args| Ok(Value::Bool(!this(&args, "__bool__")?.is_zero())))
        .method("__int__", |_, args| {
            let d = this(&args, "__int__")?;
            d.trunc().to_i64().map(Value::Int).ok_or_else(PyErr::int_overflow)
        })
        .method("__float__", |_, args| Ok(Value::Float(this(&args, "__float__")?.to_f64().unwrap_or(0.0))))
        .method("__neg__", |interp, args| unary(interp, &args, "__neg__", |d| -d))
        .method("__pos__", |interp, args| unary(interp, &args, "__pos__", |d| d))
        .method("__abs__", |interp, args| unary(interp, &args, "__abs__", |d| d.abs()))
        .method("__round__", |interp, args| {
            let d = this(&args, "__round__")?;
            match args.get(1) {
                None | Some(Value::None) => {
                    let r = d.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
                    r.to_i64().map(Value::Int).ok_or_else(PyErr::int_overflow)
                }
                Some(n) => {
                    let n = n.as_int().ok_or_else(|| PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", n.type_name())))?;
                    let scale = u32::try_from(n).map_err(|_| PyErr::not_implemented("round(Decimal, n) with n < 0 is not supported in the playground"))?;
                    let q = quantize(interp, d, scale, RoundingStrategy::MidpointNearestEven)?;
                    decimal_to_value(interp, q)
                }
            }
        })
        .method("quantize", |interp, args| {
            let d = this(&args, "quantize")?;
            let mut args = args;
            skip_receiver(&mut args);
            let [exp, rounding, _context] = args.bind("quantize", ["exp", "rounding", "context"], 1)?;
            let exp = exp.unwrap_or(Value::None);
            let target = operand(&exp).ok_or_else(|| PyErr::type_error(format!("conversion from {} to Decimal is not supported", exp.type_name())))?;
            let q = quantize(interp, d, target.scale(), rounding_arg(rounding.as_ref())?)?;
            decimal_to_value(interp, q)
        })
        .method("normalize", |interp, args| unary(interp, &args, "normalize", |d| d.normalize()))
        .method("to_integral_value", |interp, args| unary(interp, &args, "to_integral_value", |d| d.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)))
        .method("is_signed", |_, args| Ok(Value::Bool(this(&args, "is_signed")?.is_sign_negative())))
        .method("is_zero", |_, args| Ok(Value::Bool(this(&args, "is_zero")?.is_zero())));
    for (name, symbol) in [("add", "+"), ("sub", "-"), ("mul", "*"), ("truediv", "/"), ("floordiv", "//"), ("mod", "%"), ("pow", "**")] {
        b = b
            .method(&format!("__{name}__"), move |interp, args| arithmetic(interp, &args, name, symbol, false))
            .method(&format!("__r{name}__"), move |interp, args| arithmetic(interp, &args, name, symbol, true));
    }
    for (name, symbol) in [("eq", "=="), ("ne", "!="), ("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">=")] {
        b = b.method(&format!("__{name}__"), move |_, args| compare(&args, symbol));
    }
    b.build(interp)
}

//! The format-spec mini-language: `[[fill]align][sign][z][#][0][width][,|_][.precision][type]`.

use super::super::error::{PyErr, PyResult};
use super::{exp_suffix, place_point, sci_parts};

#[derive(Default, Debug)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    z: bool,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn parse(spec: &str, type_name: &str) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c @ ('+' | '-' | ' ')) = chars.get(i) {
        s.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'z') {
        s.z = true;
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alt = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    if i > start {
        let w: String = chars[start..i].iter().collect();
        s.width = w.parse().map_err(|_| PyErr::value_error("Too many decimal digits in format string"))?;
    }
    if let Some(&c @ (',' | '_')) = chars.get(i) {
        s.grouping = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            return Err(PyErr::value_error("Format specifier missing precision"));
        }
        let p: String = chars[start..i].iter().collect();
        s.precision = Some(p.parse().map_err(|_| PyErr::value_error("Too many decimal digits in format string"))?);
    }
    if i < chars.len() {
        if i + 1 < chars.len() {
            return Err(PyErr::value_error(format!("Invalid format specifier '{spec}' for object of type '{type_name}'")));
        }
        s.ty = Some(chars[i]);
    }
    Ok(s)
}

/// How many characters `spec` asks for whatever the value: its width and, for a number,
/// its precision. Callers check it against the memory limit before formatting; a spec
/// that does not parse asks for nothing (formatting then reports what is wrong with it).
pub fn requested_len(spec: &str, number: bool) -> usize {
    let Ok(s) = parse(spec, "") else { return 0 };
    if number {
        s.width.max(s.precision.unwrap_or(0))
    } else {
        s.width
    }
}

/// Pad `body` (whose sign/prefix is `prefix`) to the spec's width.
fn pad(s: &Spec, prefix: &str, body: &str, default_align: char) -> String {
    let fill = s.fill.unwrap_or(if s.zero && s.align.is_none() { '0' } else { ' ' });
    let align = s.align.unwrap_or(if s.zero && s.fill.is_none() { '=' } else { default_align });
    let len = prefix.chars().count() + body.chars().count();
    if len >= s.width {
        return format!("{prefix}{body}");
    }
    let n = s.width - len;
    let f = |k: usize| fill.to_string().repeat(k);
    match align {
        '<' => format!("{prefix}{body}{}", f(n)),
        '^' => format!("{}{prefix}{body}{}", f(n / 2), f(n - n / 2)),
        '=' => format!("{prefix}{}{body}", f(n)),
        _ => format!("{}{prefix}{body}", f(n)),
    }
}

/// Insert a separator every `every` digits of an integer digit string.
fn group(digits: &str, sep: char, every: usize) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let mut out = String::with_capacity(chars.len() + chars.len() / every);
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

/// Group the integer part of `number` (digits, optional `.frac` / exponent),
/// zero-filling first when the spec asks for zero padding.
fn group_number(s: &Spec, number: &str, sign_len: usize, every: usize) -> String {
    let Some(sep) = s.grouping else { return number.to_string() };
    let split = number.find(|c: char| !c.is_ascii_digit()).unwrap_or(number.len());
    let (int_part, rest) = number.split_at(split);
    let mut int_part = int_part.to_string();
    let zero_fill = s.zero && s.fill.is_none() && s.align.is_none();
    if zero_fill {
        let target = s.width.saturating_sub(sign_len + rest.chars().count());
        // Grouped, n digits take n + (n - 1) / every characters.
        let mut digits = int_part.len();
        while digits + digits.saturating_sub(1) / every < target {
            digits += 1;
        }
        int_part = format!("{}{int_part}", "0".repeat(digits - int_part.len()));
    }
    format!("{}{rest}", group(&int_part, sep, every))
}

fn sign_str(negative: bool, sign: Option<char>) -> &'static str {
    match (negative, sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// `format(int, spec)`.
pub fn format_int(v: i64, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(v.to_string());
    }
    let s = parse(spec, "int")?;
    if let Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') = s.ty {
        return format_float(v as f64, spec);
    }
    if s.precision.is_some() {
        return Err(PyErr::value_error("Precision not allowed in integer format specifier"));
    }
    if s.z {
        return Err(PyErr::value_error("Negative zero coercion (z) not allowed in integer format specifier"));
    }
    let neg = v < 0;
    let mag = v.unsigned_abs();
    let (digits, prefix, every) = match s.ty {
        None | Some('d' | 'n') => (mag.to_string(), "", 3),
        Some('b') => (format!("{mag:b}"), "0b", 4),
        Some('o') => (format!("{mag:o}"), "0o", 4),
        Some('x') => (format!("{mag:x}"), "0x", 4),
        Some('X') => (format!("{mag:X}"), "0X", 4),
        Some('c') => {
            if s.sign.is_some() {
                return Err(PyErr::value_error("Sign not allowed with integer format specifier 'c'"));
            }
            let c = u32::try_from(v).ok().and_then(char::from_u32).ok_or_else(|| PyErr::overflow("%c arg not in range(0x110000)"))?;
            return Ok(pad(&s, "", &c.to_string(), '<'));
        }
        Some(t) => return Err(PyErr::value_error(format!("Unknown format code '{t}' for object of type 'int'"))),
    };
    if s.grouping == Some(',') && !matches!(s.ty, None | Some('d')) {
        return Err(PyErr::value_error(format!("Cannot specify ',' with '{}'.", s.ty.unwrap_or('d'))));
    }
    let mut lead = sign_str(neg, s.sign).to_string();
    if s.alt {
        lead.push_str(prefix);
    }
    let body = group_number(&s, &digits, lead.len(), every);
    Ok(pad(&s, &lead, &body, '>'))
}

/// Digits of `x` (non-negative, finite) in Python's `g` style with precision `p`.
fn general(x: f64, p: usize, alt: bool, upper: bool, repr_like: bool) -> String {
    let p = p.max(1);
    let (_, digits, e) = sci_parts(&format!("{:.*e}", p - 1, x));
    let body = if e < -4 || e >= p as i32 {
        let mut d = digits.clone();
        if !alt {
            d = d.trim_end_matches('0').to_string();
            if d.is_empty() {
                d.push('0');
            }
        }
        let mut out = d[..1].to_string();
        if d.len() > 1 || alt {
            out.push('.');
            out.push_str(&d[1..]);
        }
        out.push_str(&exp_suffix(e, upper));
        out
    } else {
        let mut fixed = format!("{:.*}", (p as i32 - 1 - e).max(0) as usize, x);
        if !alt && fixed.contains('.') {
            fixed = fixed.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        if repr_like && !fixed.contains('.') {
            fixed.push_str(".0");
        }
        fixed
    };
    body
}

/// `format(float, spec)`.
pub fn format_float(v: f64, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(super::float_repr(v));
    }
    let s = parse(spec, "float")?;
    if matches!(s.ty, Some('d' | 'b' | 'o' | 'x' | 'X' | 'c' | 's')) || s.ty.is_some_and(|t| !matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%')) {
        return Err(PyErr::value_error(format!("Unknown format code '{}' for object of type 'float'", s.ty.unwrap_or(' '))));
    }
    let mut neg = v.is_sign_negative() && !v.is_nan();
    let x = v.abs();
    let upper = matches!(s.ty, Some('E' | 'F' | 'G'));
    let body = if !x.is_finite() {
        let t = if x.is_nan() { "nan" } else { "inf" };
        let t = if upper { t.to_uppercase() } else { t.to_string() };
        if s.ty == Some('%') {
            format!("{t}%")
        } else {
            t
        }
    } else {
        match s.ty {
            Some('f' | 'F') => {
                let mut out = format!("{:.*}", s.precision.unwrap_or(6), x);
                if s.alt && !out.contains('.') {
                    out.push('.');
                }
                out
            }
            Some('e' | 'E') => {
                let p = s.precision.unwrap_or(6);
                let (_, digits, e) = sci_parts(&format!("{:.*e}", p, x));
                let mut out = digits[..1].to_string();
                if p > 0 || s.alt {
                    out.push('.');
                    out.push_str(&digits[1..]);
                }
                out.push_str(&exp_suffix(e, upper));
                out
            }
            Some('%') => {
                let mut out = format!("{:.*}", s.precision.unwrap_or(6), x * 100.0);
                if s.alt && !out.contains('.') {
                    out.push('.');
                }
                out.push('%');
                out
            }
            Some('g' | 'G' | 'n') => general(x, s.precision.unwrap_or(6), s.alt, upper, false),
            _ => match s.precision {
                Some(p) => general(x, p, s.alt, upper, true),
                None => {
                    let r = super::float_repr(x);
                    if r.contains('e') {
                        r
                    } else {
                        let (_, digits, e) = sci_parts(&format!("{x:e}"));
                        place_point(&digits, e + 1)
                    }
                }
            },
        }
    };
    if s.z && neg && body.chars().all(|c| !c.is_ascii_digit() || c == '0') {
        neg = false;
    }
    let lead = sign_str(neg, s.sign);
    let body = group_number(&s, &body, lead.len(), 3);
    Ok(pad(&s, lead, &body, '>'))
}

/// `format(str, spec)`.
pub fn format_str(v: &str, spec: &str) -> PyResult<String> {
    if spec.is_empty() {
        return Ok(v.to_string());
    }
    let s = parse(spec, "str")?;
    if let Some(t) = s.ty {
        if t != 's' {
            return Err(PyErr::value_error(format!("Unknown format code '{t}' for object of type 'str'")));
        }
    }
    if s.sign.is_some() {
        return Err(PyErr::value_error("Sign not allowed in string format specifier"));
    }
    if s.alt {
        return Err(PyErr::value_error("Alternate form (#) not allowed in string format specifier"));
    }
    if s.align == Some('=') {
        return Err(PyErr::value_error("'=' alignment not allowed in string format specifier"));
    }
    if s.grouping.is_some() {
        return Err(PyErr::value_error(format!("Cannot specify '{}' with 's'.", s.grouping.unwrap_or(','))));
    }
    let body: String = match s.precision {
        Some(p) => v.chars().take(p).collect(),
        None => v.to_string(),
    };
    Ok(pad(&s, "", &body, '<'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_match_cpython() {
        assert_eq!(format_int(1234567, ",").unwrap(), "1,234,567");
        assert_eq!(format_int(42, ">10").unwrap(), "        42");
        assert_eq!(format_int(42, "08b").unwrap(), "00101010");
        assert_eq!(format_int(255, "#x").unwrap(), "0xff");
        assert_eq!(format_int(-42, "+d").unwrap(), "-42");
        assert_eq!(format_int(1234, "010,").unwrap(), "00,001,234");
        assert_eq!(format_float(1.23456, ".2f").unwrap(), "1.23");
        assert_eq!(format_float(1234.5, ",.2f").unwrap(), "1,234.50");
        assert_eq!(format_float(0.5, ".0%").unwrap(), "50%");
        assert_eq!(format_float(1e-5, "g").unwrap(), "1e-05");
        assert_eq!(format_float(123456789.0, "g").unwrap(), "1.23457e+08");
        assert_eq!(format_float(1.0, ".3").unwrap(), "1.0");
        assert_eq!(format_float(1234.5, ".2").unwrap(), "1.2e+03");
        assert_eq!(format_float(2.5, "e").unwrap(), "2.500000e+00");
        assert_eq!(format_float(-1.5, "08.2f").unwrap(), "-0001.50");
        assert_eq!(format_str("ab", "^6").unwrap(), "  ab  ");
        assert_eq!(format_str("abcdef", ".3").unwrap(), "abc");
        assert_eq!(format_str("x", "*>4").unwrap(), "***x");
    }
}

//! Number and string formatting as CPython does it: `repr(float)` (shortest
//! round-trip digits, `1e+16`, `1.0`), the format-spec mini-language of
//! `format()`/f-strings/`str.format`, `%`-formatting and `str.format` itself.
//! Rust's float formatting rounds exactly (half to even on exact ties), like
//! CPython's, so digits come from `format!` and only the layout is Python's.

mod percent;
mod spec;
mod strformat;

pub use percent::percent_format;
pub use spec::{format_float, format_int, format_str, requested_len};
pub use strformat::format_string;
pub(crate) use strformat::kwargs_lookup;

/// Split Rust's `{:e}` output (`-1.25e-7`) into sign, digits and exponent.
pub(crate) fn sci_parts(s: &str) -> (bool, String, i32) {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    (neg, digits, exp.parse().unwrap_or(0))
}

/// Python's exponent suffix: `e+05`, `e-10`, `e+100`.
pub(crate) fn exp_suffix(e: i32, upper: bool) -> String {
    let sign = if e < 0 { '-' } else { '+' };
    format!("{}{}{:02}", if upper { 'E' } else { 'e' }, sign, e.abs())
}

/// `repr(float)`.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let (neg, digits, e) = sci_parts(&format!("{x:e}"));
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..16).contains(&e) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&exp_suffix(e, false));
        return out;
    }
    out.push_str(&place_point(&digits, e + 1));
    out
}

/// Digits `d1d2...` with the decimal point after `decpt` digits (which may be
/// negative or beyond the digits); always at least one digit after the point.
fn place_point(digits: &str, decpt: i32) -> String {
    let n = digits.len() as i32;
    if decpt <= 0 {
        format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
    } else if decpt >= n {
        format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
    } else {
        format!("{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
    }
}

/// Escape non-ASCII characters as `ascii()` does.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n < 0x10000 {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::float_repr;

    #[test]
    fn float_repr_matches_cpython() {
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1e15), "1000000000000000.0");
        assert_eq!(float_repr(0.1), "0.1");
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(1e-5), "1e-05");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(123456789012345678.0), "1.2345678901234568e+17");
        assert_eq!(float_repr(-2.5), "-2.5");
        assert_eq!(float_repr(f64::NAN), "nan");
        assert_eq!(float_repr(-0.0), "-0.0");
    }
}

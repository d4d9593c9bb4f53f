//! `fromisoformat` parsing with CPython 3.11's rules: `YYYY-MM-DD` or
//! `YYYYMMDD`, any one separator character, `HH[:MM[:SS[.f...]]]` (or the
//! compact forms), and `Z` / `±HH[:MM[:SS[.ffffff]]]` offsets.

use crate::script::{PyErr, PyResult};

/// The fields of an ISO string, range-unchecked (the constructors check them).
pub(super) struct IsoTime {
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub micro: i64,
    /// Offset from UTC in microseconds, when one was given.
    pub offset_micros: Option<i64>,
}

pub(super) fn invalid(s: &str) -> PyErr {
    PyErr::value_error(format!("Invalid isoformat string: '{}'", s.replace('\\', "\\\\").replace('\'', "\\'")))
}

fn number(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD` or `YYYYMMDD` (the whole of `s`).
pub(super) fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    match s.len() {
        10 if s.as_bytes().get(4) == Some(&b'-') && s.as_bytes().get(7) == Some(&b'-') => Some((number(s.get(0..4)?)?, number(s.get(5..7)?)?, number(s.get(8..10)?)?)),
        8 => Some((number(s.get(0..4)?)?, number(s.get(4..6)?)?, number(s.get(6..8)?)?)),
        _ => None,
    }
}

/// A time of day with an optional offset (the whole of `s`).
pub(super) fn parse_time(s: &str) -> Option<IsoTime> {
    let tz_at = s.find(['Z', '+', '-']);
    let (clock, tz) = match tz_at {
        Some(i) => (s.get(..i)?, Some(s.get(i..)?)),
        None => (s, None),
    };
    let (hour, minute, second, micro) = parse_clock(clock)?;
    let offset_micros = match tz {
        None => None,
        Some("Z") => Some(0),
        Some(t) => {
            let sign = if t.starts_with('-') { -1 } else { 1 };
            let (h, m, sec, us) = parse_clock(t.get(1..)?)?;
            if h > 23 || m > 59 || sec > 59 {
                return None;
            }
            Some(sign * (((h * 60 + m) * 60 + sec) * 1_000_000 + us))
        }
    };
    Some(IsoTime { hour, minute, second, micro, offset_micros })
}

/// `HH`, `HH:MM`, `HH:MM:SS`, `HH:MM:SS.f+` and the compact `HHMM`, `HHMMSS`.
fn parse_clock(s: &str) -> Option<(i64, i64, i64, i64)> {
    let (main, fraction) = match s.find(['.', ',']) {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    let parts: Vec<&str> = if main.contains(':') { main.split(':').collect() } else { (0..main.len()).step_by(2).filter_map(|i| main.get(i..i + 2)).collect() };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) || parts.concat().len() != main.replace(':', "").len() {
        return None;
    }
    let hour = number(parts[0])?;
    let minute = parts.get(1).map_or(Some(0), |p| number(p))?;
    let second = parts.get(2).map_or(Some(0), |p| number(p))?;
    let micro = match fraction {
        None => 0,
        Some(f) if parts.len() == 3 && !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let six: String = f.chars().chain(std::iter::repeat('0')).take(6).collect();
            six.parse().ok()?
        }
        Some(_) => return None,
    };
    Some((hour, minute, second, micro))
}

/// Split a datetime string into its date and (optional) time parts.
pub(super) fn split_datetime(s: &str) -> PyResult<(&str, Option<&str>)> {
    let date_len = if s.len() >= 10 && s.as_bytes().get(4) == Some(&b'-') { 10 } else { 8 };
    if s.len() < date_len || !s.is_char_boundary(date_len) {
        return Err(invalid(s));
    }
    let (date, rest) = s.split_at(date_len);
    if rest.is_empty() {
        return Ok((date, None));
    }
    let mut chars = rest.chars();
    chars.next();
    let time = chars.as_str();
    if time.is_empty() {
        return Err(invalid(s));
    }
    Ok((date, Some(time)))
}

//! `strftime` (the glibc directives CPython passes through on Linux, plus
//! Python's `%f`) and `strptime` (the directives of CPython's `_strptime`).

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use crate::script::{PyErr, PyResult};

use super::timezone::{format_offset, PyTimezone};

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// What a format is applied to: dates use midnight, times 1900-01-01.
pub(super) struct Moment<'a> {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub tz: Option<&'a PyTimezone>,
}

fn abbreviated(name: &str) -> &str {
    name.get(..3).unwrap_or(name)
}

/// How a numeric field is padded: glibc's `-` (none), `_` (spaces), `0`.
#[derive(Clone, Copy)]
enum Pad {
    Zero,
    Space,
    None,
}

fn number(n: i64, width: usize, pad: Pad) -> String {
    match pad {
        Pad::Zero => format!("{n:0width$}"),
        Pad::Space => format!("{n:width$}"),
        Pad::None => n.to_string(),
    }
}

/// `ctime()`'s layout: `Wed May  1 00:00:00 2024`.
pub(super) fn ctime(date: NaiveDate, time: NaiveTime) -> String {
    let m = Moment { date, time, tz: None };
    strftime("%a %b %e %H:%M:%S %Y", &m)
}

/// Format `m` with `fmt`.
pub(super) fn strftime(fmt: &str, m: &Moment) -> String {
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut pad: Option<Pad> = None;
        if let Some(&f) = chars.peek() {
            pad = match f {
                '-' => Some(Pad::None),
                '_' => Some(Pad::Space),
                '0' => Some(Pad::Zero),
                _ => None,
            };
            if pad.is_some() {
                chars.next();
            }
        }
        let mut width: Option<usize> = None;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = Some(width.unwrap_or(0).saturating_mul(10).saturating_add(d as usize).min(64));
            chars.next();
        }
        let Some(directive) = chars.next() else {
            out.push('%');
            break;
        };
        match directive_text(directive, m, pad, width) {
            Some(text) => out.push_str(&text),
            None => {
                // Unknown directives are copied as they are (glibc).
                out.push('%');
                out.push(directive);
            }
        }
    }
    out
}

fn directive_text(d: char, m: &Moment, pad: Option<Pad>, width: Option<usize>) -> Option<String> {
    let date = m.date;
    let time = m.time;
    let num = |n: i64, w: usize| number(n, width.unwrap_or(w), pad.unwrap_or(Pad::Zero));
    let spaced = |n: i64, w: usize| number(n, width.unwrap_or(w), pad.unwrap_or(Pad::Space));
    let weekday = date.weekday().num_days_from_monday() as usize;
    let month = date.month0() as usize;
    let hour12 = match time.hour() % 12 {
        0 => 12,
        h => h,
    };
    let iso = date.iso_week();
    Some(match d {
        'a' => abbreviated(WEEKDAYS[weekday]).to_string(),
        'A' => WEEKDAYS[weekday].to_string(),
        'w' => date.weekday().num_days_from_sunday().to_string(),
        'u' => (weekday + 1).to_string(),
        'd' => num(date.day().into(), 2),
        'e' => spaced(date.day().into(), 2),
        'b' | 'h' => abbreviated(MONTHS[month]).to_string(),
        'B' => MONTHS[month].to_string(),
        'm' => num(date.month().into(), 2),
        'y' => num(i64::from(date.year() % 100), 2),
        'Y' => number(date.year().into(), width.unwrap_or(0), pad.unwrap_or(Pad::Zero)),
        'C' => num(i64::from(date.year() / 100), 1),
        'G' => number(iso.year().into(), width.unwrap_or(0), pad.unwrap_or(Pad::Zero)),
        'g' => num(i64::from(iso.year() % 100), 2),
        'V' => num(iso.week().into(), 2),
        'H' => num(time.hour().into(), 2),
        'k' => spaced(time.hour().into(), 2),
        'I' => num(hour12.into(), 2),
        'l' => spaced(hour12.into(), 2),
        'p' => (if time.hour() < 12 { "AM" } else { "PM" }).to_string(),
        'P' => (if time.hour() < 12 { "am" } else { "pm" }).to_string(),
        'M' => num(time.minute().into(), 2),
        'S' => num(time.second().into(), 2),
        'f' => format!("{:06}", time.nanosecond() / 1000),
        'j' => num(date.ordinal().into(), 3),
        'U' => num(((date.ordinal0() + 7 - date.weekday().num_days_from_sunday()) / 7).into(), 2),
        'W' => num(((date.ordinal0() + 7 - date.weekday().num_days_from_monday()) / 7).into(), 2),
        'z' => m.tz.map(|tz| format_offset(tz.offset_micros(), "")).unwrap_or_default(),
        'Z' => m.tz.map(PyTimezone::name).unwrap_or_default(),
        'c' => ctime(date, time),
        'x' => strftime("%m/%d/%y", m),
        'X' | 'T' => strftime("%H:%M:%S", m),
        'D' => strftime("%m/%d/%y", m),
        'F' => strftime("%Y-%m-%d", m),
        'R' => strftime("%H:%M", m),
        'r' => strftime("%I:%M:%S %p", m),
        'n' => "\n".into(),
        't' => "\t".into(),
        '%' => "%".into(),
        _ => return None,
    })
}

/// The fields `strptime` read (defaults as CPython: 1900-01-01 00:00).
pub(super) struct Parsed {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub micro: i64,
    /// The `%z` offset in seconds, when one was given.
    pub offset_seconds: Option<i64>,
}

fn mismatch(data: &str, fmt: &str) -> PyErr {
    PyErr::value_error(format!("time data {} does not match format {}", quote(data), quote(fmt)))
}

fn quote(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\'', "\\'"))
    }
}

/// Read up to `max` digits (at least one) from `rest`.
fn digits(rest: &mut &str, max: usize) -> Option<i64> {
    let n = rest.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    head.parse().ok()
}

/// Read one of `names` (full or three-letter, any case); its index.
fn name(rest: &mut &str, names: &[&str]) -> Option<usize> {
    let lower = rest.to_ascii_lowercase();
    for (i, n) in names.iter().enumerate() {
        let full = n.to_ascii_lowercase();
        for candidate in [full.as_str(), abbreviated(&full)] {
            if lower.starts_with(candidate) {
                *rest = &rest[candidate.len()..];
                return Some(i);
            }
        }
    }
    None
}

/// Parse `data` with `fmt` as `datetime.strptime` does.
pub(super) fn strptime(data: &str, fmt: &str) -> PyResult<Parsed> {
    let mut p = Parsed { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0, offset_seconds: None };
    let mut hour12: Option<i64> = None;
    let mut pm: Option<bool> = None;
    let mut rest = data;
    let mut f = fmt.chars().peekable();
    while let Some(c) = f.next() {
        if c.is_whitespace() {
            while f.peek().is_some_and(|c| c.is_whitespace()) {
                f.next();
            }
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() {
                return Err(mismatch(data, fmt));
            }
            rest = trimmed;
            continue;
        }
        if c != '%' {
            let mut buf = [0u8; 4];
            let s: &str = c.encode_utf8(&mut buf);
            rest = rest.strip_prefix(s).ok_or_else(|| mismatch(data, fmt))?;
            continue;
        }
        let Some(d) = f.next() else {
            return Err(PyErr::value_error(format!("stray % in format {}", quote(fmt))));
        };
        let fail = || mismatch(data, fmt);
        match d {
            'Y' => {
                let before = rest.len();
                p.year = digits(&mut rest, 4).filter(|_| before - rest.len() == 4).ok_or_else(fail)?;
            }
            'y' => {
                let y = digits(&mut rest, 2).ok_or_else(fail)?;
                p.year = if y < 69 { 2000 + y } else { 1900 + y };
            }
            'm' => p.month = digits(&mut rest, 2).filter(|m| (1..=12).contains(m)).ok_or_else(fail)?,
            'd' => {
                rest = rest.strip_prefix(' ').unwrap_or(rest);
                p.day = digits(&mut rest, 2).filter(|d| (1..=31).contains(d)).ok_or_else(fail)?;
            }
            'H' => p.hour = digits(&mut rest, 2).filter(|h| *h <= 23).ok_or_else(fail)?,
            'I' => hour12 = Some(digits(&mut rest, 2).filter(|h| (1..=12).contains(h)).ok_or_else(fail)?),
            'M' => p.minute = digits(&mut rest, 2).filter(|m| *m <= 59).ok_or_else(fail)?,
            'S' => p.second = digits(&mut rest, 2).filter(|s| *s <= 61).ok_or_else(fail)?.min(59),
            'f' => {
                let before = rest.len();
                let v = digits(&mut rest, 6).ok_or_else(fail)?;
                let n = before - rest.len();
                p.micro = v * 10i64.pow((6 - n) as u32);
            }
            'j' => {
                let day_of_year = digits(&mut rest, 3).filter(|j| (1..=366).contains(j)).ok_or_else(fail)?;
                let date = NaiveDate::from_yo_opt(p.year as i32, day_of_year as u32).ok_or_else(fail)?;
                p.month = date.month().into();
                p.day = date.day().into();
            }
            'b' | 'B' | 'h' => p.month = name(&mut rest, &MONTHS).ok_or_else(fail)? as i64 + 1,
            'a' | 'A' => {
                name(&mut rest, &WEEKDAYS).ok_or_else(fail)?;
            }
            'p' => {
                let lower = rest.get(..2).map(str::to_ascii_lowercase).ok_or_else(fail)?;
                pm = Some(match lower.as_str() {
                    "am" => false,
                    "pm" => true,
                    _ => return Err(fail()),
                });
                rest = &rest[2..];
            }
            'z' => p.offset_seconds = Some(parse_offset(&mut rest).ok_or_else(fail)?),
            '%' => rest = rest.strip_prefix('%').ok_or_else(fail)?,
            other => return Err(PyErr::value_error(format!("'{other}' is a bad directive in format {}", quote(fmt)))),
        }
    }
    if !rest.is_empty() {
        return Err(PyErr::value_error(format!("unconverted data remains: {rest}")));
    }
    if let Some(h) = hour12 {
        p.hour = match pm {
            Some(true) => h % 12 + 12,
            _ => h % 12,
        };
    }
    Ok(p)
}

/// `Z`, `+HHMM`, `+HH:MM`, `-HHMM[SS]`: seconds east of UTC.
fn parse_offset(rest: &mut &str) -> Option<i64> {
    if let Some(tail) = rest.strip_prefix('Z') {
        *rest = tail;
        return Some(0);
    }
    let sign = match rest.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    *rest = &rest[1..];
    let two = |r: &mut &str| -> Option<i64> {
        let v = r.get(..2).filter(|s| s.bytes().all(|b| b.is_ascii_digit()))?.parse().ok()?;
        *r = &r[2..];
        Some(v)
    };
    let hours = two(rest)?;
    *rest = rest.strip_prefix(':').unwrap_or(rest);
    let minutes = two(rest)?;
    let seconds = if rest.as_bytes().first().is_some_and(u8::is_ascii_digit) || rest.starts_with(':') {
        *rest = rest.strip_prefix(':').unwrap_or(rest);
        two(rest)?
    } else {
        0
    };
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

//! `%`-formatting (`'<User %r>' % name`, `'%d items' % n`, `'%(x)s' % d`).

use super::super::error::{PyErr, PyResult};
use super::super::interp::Interpreter;
use super::super::value::Value;
use super::spec::{format_float, format_int, format_str};

/// `fmt % args`.
pub fn percent_format(interp: &mut Interpreter, fmt: &str, args: &Value) -> PyResult<String> {
    let positional: Vec<Value> = match args {
        Value::Tuple(t) => t.items.to_vec(),
        other => vec![other.clone()],
    };
    let mapping = match args {
        Value::Dict(_) | Value::Instance(_) | Value::Native(_) if !matches!(args, Value::Tuple(_)) => Some(args.clone()),
        _ => None,
    };
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::with_capacity(fmt.len());
    let mut next_arg = 0usize;
    let mut used_mapping = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        // Mapping key.
        let mut key_value = None;
        if chars.get(i) == Some(&'(') {
            let mut depth = 1;
            let kstart = i + 1;
            i += 1;
            while i < chars.len() && depth > 0 {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err(PyErr::value_error("incomplete format key"));
            }
            let key: String = chars[kstart..i - 1].iter().collect();
            let Some(m) = &mapping else {
                return Err(PyErr::type_error("format requires a mapping"));
            };
            used_mapping = true;
            key_value = Some(interp.getitem(m, &Value::string(key))?);
        }
        // Flags.
        let mut flags = String::new();
        while let Some(&f @ ('-' | '+' | ' ' | '#' | '0')) = chars.get(i) {
            flags.push(f);
            i += 1;
        }
        let mut take_arg = || -> PyResult<Value> {
            if let Some(v) = key_value.take() {
                return Ok(v);
            }
            let v = positional.get(next_arg).cloned().ok_or_else(|| PyErr::type_error("not enough arguments for format string"))?;
            next_arg += 1;
            Ok(v)
        };
        // Width.
        let mut width = String::new();
        if chars.get(i) == Some(&'*') {
            let w = take_arg()?;
            width = w.as_int().ok_or_else(|| PyErr::type_error("* wants int"))?.to_string();
            i += 1;
        } else {
            while let Some(&d) = chars.get(i).filter(|c| c.is_ascii_digit()) {
                width.push(d);
                i += 1;
            }
        }
        // Precision.
        let mut precision = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = String::new();
            if chars.get(i) == Some(&'*') {
                let w = take_arg()?;
                p = w.as_int().ok_or_else(|| PyErr::type_error("* wants int"))?.to_string();
                i += 1;
            } else {
                while let Some(&d) = chars.get(i).filter(|c| c.is_ascii_digit()) {
                    p.push(d);
                    i += 1;
                }
            }
            precision = Some(if p.is_empty() { "0".to_string() } else { p });
        }
        // Length modifiers are accepted and ignored, as in CPython.
        while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            return Err(PyErr::value_error("incomplete format"));
        };
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        let value = take_arg()?;
        // A precision truncates text; for numbers it is digits to write.
        let digits = if matches!(conv, 's' | 'r' | 'a' | 'c') { None } else { precision.as_deref() };
        let requested = [Some(width.as_str()), digits].into_iter().flatten().filter_map(|n| n.parse::<usize>().ok()).max();
        interp.check_alloc(requested.unwrap_or(0), 1)?;
        let left = flags.contains('-');
        let mut spec = String::new();
        if left {
            spec.push('<');
        }
        if flags.contains('+') {
            spec.push('+');
        } else if flags.contains(' ') {
            spec.push(' ');
        }
        if flags.contains('#') {
            spec.push('#');
        }
        if flags.contains('0') && !left && !matches!(conv, 's' | 'r' | 'a' | 'c') {
            spec.push('0');
        }
        spec.push_str(&width);
        let text = match conv {
            's' | 'r' | 'a' => {
                let s = match conv {
                    's' => interp.str(&value)?,
                    'r' => interp.repr(&value)?,
                    _ => super::ascii_escape(&interp.repr(&value)?),
                };
                let s: String = match &precision {
                    Some(p) => s.chars().take(p.parse().unwrap_or(usize::MAX)).collect(),
                    None => s,
                };
                let mut sspec = if left { "<".to_string() } else { ">".to_string() };
                sspec.push_str(&width);
                format_str(&s, &sspec)?
            }
            'd' | 'i' | 'u' => {
                let n = number_arg(interp, &value, conv)?;
                let n = match n {
                    Value::Float(f) => {
                        if !f.is_finite() {
                            return Err(PyErr::overflow("cannot convert float infinity to integer"));
                        }
                        f.trunc() as i64
                    }
                    other => other.as_int().unwrap_or(0),
                };
                let mut sp = spec.clone();
                sp.push('d');
                format_int(n, &sp)?
            }
            'x' | 'X' | 'o' => {
                let n = match &value {
                    Value::Int(_) | Value::Bool(_) => value.as_int().unwrap_or(0),
                    other => return Err(PyErr::type_error(format!("%{conv} format: an integer is required, not {}", other.type_name()))),
                };
                let mut sp = spec.clone();
                sp.push(conv);
                format_int(n, &sp)?
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let n = number_arg(interp, &value, conv)?;
                let mut sp = spec.clone();
                sp.push('.');
                sp.push_str(precision.as_deref().unwrap_or("6"));
                sp.push(conv);
                format_float(n.as_float().unwrap_or(0.0), &sp)?
            }
            'c' => {
                let ch = match &value {
                    Value::Int(i) => u32::try_from(*i).ok().and_then(char::from_u32).ok_or_else(|| PyErr::overflow("%c arg not in range(0x110000)"))?.to_string(),
                    Value::Str(s) if s.char_len() == 1 => s.as_str().to_string(),
                    _ => return Err(PyErr::type_error("%c requires int or char")),
                };
                let mut sspec = if left { "<".to_string() } else { ">".to_string() };
                sspec.push_str(&width);
                format_str(&ch, &sspec)?
            }
            other => {
                return Err(PyErr::value_error(format!(
                    "unsupported format character '{other}' (0x{:x}) at index {}",
                    other as u32,
                    i - 1
                )));
            }
        };
        out.push_str(&text);
    }
    if !used_mapping && next_arg < positional.len() && mapping.is_none() {
        return Err(PyErr::type_error("not all arguments converted during string formatting"));
    }
    Ok(out)
}

/// The numeric argument of `%d`/`%f`, with CPython's error message.
fn number_arg(interp: &mut Interpreter, v: &Value, conv: char) -> PyResult<Value> {
    match v {
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => Ok(v.clone()),
        Value::Instance(inst) => {
            let cls = inst.class.clone();
            let name = if matches!(conv, 'd' | 'i' | 'u') { "__int__" } else { "__float__" };
            match interp.call_special(v, &cls, name, Vec::new())? {
                Some(r) => Ok(r),
                None => Err(PyErr::type_error(format!("%{conv} format: a real number is required, not {}", cls.name))),
            }
        }
        other => Err(PyErr::type_error(format!("%{conv} format: a real number is required, not {}", other.type_name()))),
    }
}

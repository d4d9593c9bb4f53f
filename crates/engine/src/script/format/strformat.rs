//! `str.format(*args, **kwargs)` and `format_map`: fields `{}`, `{0}`, `{name}`,
//! `{0.attr}`, `{name[key]}`, conversions `!r`/`!s`/`!a` and nested specs.

use std::rc::Rc;

use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::interp::Interpreter;
use super::super::value::Value;

struct State<'a> {
    args: &'a [Value],
    kwargs: &'a dyn Fn(&mut Interpreter, &str) -> PyResult<Option<Value>>,
    auto_index: usize,
    /// None until the first field decides between automatic and manual numbering.
    manual: Option<bool>,
}

/// `fmt.format(*args, **kwargs)`; `lookup` resolves named fields.
pub fn format_string(interp: &mut Interpreter, fmt: &str, args: &[Value], lookup: &dyn Fn(&mut Interpreter, &str) -> PyResult<Option<Value>>) -> PyResult<String> {
    let mut st = State { args, kwargs: lookup, auto_index: 0, manual: None };
    let chars: Vec<char> = fmt.chars().collect();
    render(interp, &chars, &mut st, 0)
}

fn render(interp: &mut Interpreter, chars: &[char], st: &mut State<'_>, depth: usize) -> PyResult<String> {
    if depth > 2 {
        return Err(PyErr::value_error("Max string recursion exceeded"));
    }
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' if chars.get(i + 1) == Some(&'{') => {
                out.push('{');
                i += 2;
            }
            '}' if chars.get(i + 1) == Some(&'}') => {
                out.push('}');
                i += 2;
            }
            '}' => return Err(PyErr::value_error("Single '}' encountered in format string")),
            '{' => {
                // Find the matching close brace (specs may nest fields).
                let mut level = 1;
                let mut j = i + 1;
                while j < chars.len() {
                    match chars[j] {
                        '{' => level += 1,
                        '}' => {
                            level -= 1;
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(PyErr::value_error(if i + 1 >= chars.len() { "Single '{' encountered in format string" } else { "expected '}' before end of string" }));
                }
                let field: Vec<char> = chars[i + 1..j].to_vec();
                out.push_str(&render_field(interp, &field, st, depth)?);
                i = j + 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn render_field(interp: &mut Interpreter, field: &[char], st: &mut State<'_>, depth: usize) -> PyResult<String> {
    // Split `name!conv:spec` (brackets in the name may contain `!`/`:`).
    let mut k = 0;
    let mut in_bracket = false;
    while k < field.len() {
        match field[k] {
            '[' => in_bracket = true,
            ']' => in_bracket = false,
            '!' | ':' if !in_bracket => break,
            _ => {}
        }
        k += 1;
    }
    let name: String = field[..k].iter().collect();
    let mut conversion = None;
    let mut spec_chars: &[char] = &[];
    if k < field.len() && field[k] == '!' {
        conversion = field.get(k + 1).copied();
        match field.get(k + 2) {
            None => {}
            Some(':') => spec_chars = &field[k + 3..],
            Some(_) => return Err(PyErr::value_error("expected ':' after conversion specifier")),
        }
        if conversion.is_none() {
            return Err(PyErr::value_error("end of string while looking for conversion specifier"));
        }
    } else if k < field.len() {
        spec_chars = &field[k + 1..];
    }
    let value = resolve_field(interp, &name, st)?;
    let value = match conversion {
        None => value,
        Some('r') => Value::string(interp.repr(&value)?),
        Some('s') => Value::string(interp.str(&value)?),
        Some('a') => Value::string(super::ascii_escape(&interp.repr(&value)?)),
        Some(c) => return Err(PyErr::value_error(format!("Unknown conversion specifier {c}"))),
    };
    let spec = render(interp, spec_chars, st, depth + 1)?;
    interp.format_value(&value, &spec)
}

fn resolve_field(interp: &mut Interpreter, name: &str, st: &mut State<'_>) -> PyResult<Value> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let (first, mut rest) = name.split_at(first_end);
    let mut value = if first.is_empty() {
        if st.manual == Some(true) {
            return Err(PyErr::value_error("cannot switch from manual field specification to automatic field numbering"));
        }
        st.manual = Some(false);
        let i = st.auto_index;
        st.auto_index += 1;
        st.args.get(i).cloned().ok_or_else(|| PyErr::index_error(format!("Replacement index {i} out of range for positional args tuple")))?
    } else if let Ok(i) = first.parse::<usize>() {
        if st.manual == Some(false) {
            return Err(PyErr::value_error("cannot switch from automatic field numbering to manual field specification"));
        }
        st.manual = Some(true);
        st.args.get(i).cloned().ok_or_else(|| PyErr::index_error(format!("Replacement index {i} out of range for positional args tuple")))?
    } else {
        match (st.kwargs)(interp, first)? {
            Some(v) => v,
            None => return Err(PyErr::with_args(ExcKind::KeyError, vec![Value::str(first)])),
        }
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let (attr, tail) = after.split_at(end);
            if attr.is_empty() {
                return Err(PyErr::value_error("Empty attribute in format string"));
            }
            value = interp.getattr(&value, attr)?;
            rest = tail;
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return Err(PyErr::value_error("Missing ']' in format string"));
            };
            let key = &after[..end];
            let key_value = match key.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::str(key),
            };
            value = interp.getitem(&value, &key_value)?;
            rest = &after[end + 1..];
        } else {
            return Err(PyErr::value_error("Only '.' or '[' may follow ']' in format field specifier"));
        }
    }
    Ok(value)
}

/// A keyword lookup over `name=value` pairs.
pub(crate) fn kwargs_lookup(kwargs: Vec<(Rc<str>, Value)>) -> impl Fn(&mut Interpreter, &str) -> PyResult<Option<Value>> {
    move |_, name| Ok(kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v.clone()))
}

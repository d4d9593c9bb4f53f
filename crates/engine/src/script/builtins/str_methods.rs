//! Methods of `str`. Indices and lengths count code points, as in Python.

use std::rc::Rc;

use super::super::error::{PyErr, PyResult};
use super::super::format::format_string;
use super::super::interp::Interpreter;
use super::super::native::CallArgs;
use super::super::value::{PyStr, Value};
use super::methods::arg_count;

fn str_arg<'a>(v: &'a Value, fname: &str, pos: usize) -> PyResult<&'a str> {
    match v {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(PyErr::type_error(format!("{fname}() argument {pos} must be str, not {}", other.type_name()))),
    }
}

/// The search methods (`find`, `count`, `startswith`, ...) take one to three
/// arguments and word a wrong count the older way.
fn search_arg_count(args: &CallArgs, name: &str) -> PyResult<()> {
    arg_count(args, "str", name, 0, usize::MAX)?;
    match args.args.len() {
        0 => Err(PyErr::type_error(format!("{name}() takes at least 1 argument (0 given)"))),
        n if n > 3 => Err(PyErr::type_error(format!("{name}() takes at most 3 arguments ({n} given)"))),
        _ => Ok(()),
    }
}

/// Python's `str.isspace` for one character.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\x1c'..='\x1f')
}

/// Resolve optional `start`/`end` arguments to a code point range.
fn bounds(interp: &mut Interpreter, s: &PyStr, start: Option<&Value>, end: Option<&Value>) -> PyResult<(usize, usize)> {
    let n = s.char_len() as i64;
    let mut conv = |v: Option<&Value>, default: i64| -> PyResult<i64> {
        match v {
            None | Some(Value::None) => Ok(default),
            Some(v) => {
                let i = interp.index_value(v)?.ok_or_else(|| PyErr::type_error("slice indices must be integers or None or have an __index__ method"))?;
                Ok(if i < 0 { (i + n).max(0) } else { i.min(n) })
            }
        }
    };
    let a = conv(start, 0)?;
    let b = conv(end, n)?;
    Ok((a as usize, b as usize))
}

/// Code point index of a byte offset within `s`.
fn char_index(s: &str, byte: usize) -> usize {
    if s.is_ascii() {
        byte
    } else {
        s[..byte].chars().count()
    }
}

pub(crate) fn call(interp: &mut Interpreter, this: &Rc<PyStr>, name: &str, mut args: CallArgs) -> PyResult<Value> {
    let s = this.as_str();
    Ok(match name {
        "upper" => {
            arg_count(&args, "str", name, 0, 0)?;
            Value::string(s.to_uppercase())
        }
        "lower" => {
            arg_count(&args, "str", name, 0, 0)?;
            Value::string(s.to_lowercase())
        }
        "casefold" => {
            arg_count(&args, "str", name, 0, 0)?;
            Value::string(s.to_lowercase().replace('ß', "ss"))
        }
        "swapcase" => {
            arg_count(&args, "str", name, 0, 0)?;
            Value::string(
                s.chars()
                    .flat_map(|c| -> Vec<char> {
                        if c.is_uppercase() {
                            c.to_lowercase().collect()
                        } else if c.is_lowercase() {
                            c.to_uppercase().collect()
                        } else {
                            vec![c]
                        }
                    })
                    .collect(),
            )
        }
        "title" => {
            arg_count(&args, "str", name, 0, 0)?;
            let mut out = String::with_capacity(s.len());
            let mut prev_cased = false;
            for c in s.chars() {
                if prev_cased {
                    out.extend(c.to_lowercase());
                } else {
                    out.extend(c.to_uppercase());
                }
                prev_cased = c.is_lowercase() || c.is_uppercase();
            }
            Value::string(out)
        }
        "capitalize" => {
            arg_count(&args, "str", name, 0, 0)?;
            let mut chars = s.chars();
            let out: String = match chars.next() {
                Some(first) => first.to_uppercase().chain(chars.flat_map(|c| c.to_lowercase())).collect(),
                None => String::new(),
            };
            Value::string(out)
        }
        "strip" | "lstrip" | "rstrip" => {
            arg_count(&args, "str", name, 0, 1)?;
            let chars: Option<Vec<char>> = match args.args.first() {
                None | Some(Value::None) => None,
                Some(v) => Some(str_arg(v, name, 1).map_err(|_| PyErr::type_error(format!("{name} arg must be None or str")))?.chars().collect()),
            };
            let pred = |c: char| match &chars {
                Some(set) => set.contains(&c),
                None => is_py_space(c),
            };
            Value::str(match name {
                "strip" => s.trim_matches(pred),
                "lstrip" => s.trim_start_matches(pred),
                _ => s.trim_end_matches(pred),
            })
        }
        "split" | "rsplit" => {
            let [sep, maxsplit] = args.bind(name, ["sep", "maxsplit"], 0)?;
            let maxsplit = match maxsplit {
                Some(v) => interp.int_arg(&v)?,
                None => -1,
            };
            let parts = match sep {
                None | Some(Value::None) => split_whitespace(s, maxsplit, name == "rsplit"),
                Some(Value::Str(sep)) => {
                    let sep = sep.as_str();
                    if sep.is_empty() {
                        return Err(PyErr::value_error("empty separator"));
                    }
                    let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize + 1 };
                    if name == "split" {
                        s.splitn(limit, sep).map(str::to_string).collect()
                    } else {
                        let mut v: Vec<String> = s.rsplitn(limit, sep).map(str::to_string).collect();
                        v.reverse();
                        v
                    }
                }
                Some(other) => return Err(PyErr::type_error(format!("must be str or None, not {}", other.type_name()))),
            };
            Value::list(parts.into_iter().map(Value::string).collect())
        }
        "splitlines" => {
            let [keepends] = args.bind(name, ["keepends"], 0)?;
            let keep = keepends.is_some_and(|v| interp.truthy(&v).unwrap_or(false));
            Value::list(split_lines(s, keep).into_iter().map(Value::string).collect())
        }
        "join" => {
            arg_count(&args, "str", name, 1, 1)?;
            let items = interp.collect(&args.args[0])?;
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                let Value::Str(p) = item else {
                    return Err(PyErr::type_error(format!("sequence item {i}: expected str instance, {} found", item.type_name())));
                };
                if i > 0 {
                    out.push_str(s);
                }
                out.push_str(p.as_str());
                interp.check_alloc(out.len(), 1)?;
            }
            Value::string(out)
        }
        "replace" => {
            arg_count(&args, "str", name, 2, 3)?;
            let old = str_arg(&args.args[0], name, 1)?;
            let new = str_arg(&args.args[1], name, 2)?;
            let count = match args.args.get(2) {
                Some(v) => interp.int_arg(v)?,
                None => -1,
            };
            if old.is_empty() {
                let occurrences = this.char_len() + 1;
                interp.check_alloc(s.len() + new.len().saturating_mul(occurrences), 1)?;
            } else {
                let occurrences = s.matches(old).count();
                interp.check_alloc(s.len() + new.len().saturating_mul(occurrences), 1)?;
            }
            Value::string(if count < 0 { s.replace(old, new) } else { s.replacen(old, new, count as usize) })
        }
        "find" | "rfind" | "index" | "rindex" | "count" => {
            search_arg_count(&args, name)?;
            let sub = str_arg(&args.args[0], name, 1).map_err(|_| PyErr::type_error(format!("must be str, not {}", args.args[0].type_name())))?;
            let (a, b) = bounds(interp, this, args.args.get(1), args.args.get(2))?;
            if name == "count" {
                if a > b {
                    return Ok(Value::Int(0));
                }
                let hay = this.substring(a, b);
                let n = if sub.is_empty() { hay.chars().count() + 1 } else { hay.matches(sub).count() };
                return Ok(Value::Int(n as i64));
            }
            let found = if a > b {
                None
            } else {
                let hay = this.substring(a, b);
                let pos = if name.starts_with('r') { hay.rfind(sub) } else { hay.find(sub) };
                pos.map(|p| a + char_index(hay, p))
            };
            match (found, name) {
                (Some(i), _) => Value::Int(i as i64),
                (None, "find" | "rfind") => Value::Int(-1),
                (None, _) => return Err(PyErr::value_error("substring not found")),
            }
        }
        "startswith" | "endswith" => {
            search_arg_count(&args, name)?;
            let (a, b) = bounds(interp, this, args.args.get(1), args.args.get(2))?;
            let hay = if a > b { None } else { Some(this.substring(a, b)) };
            let candidates: Vec<String> = match &args.args[0] {
                Value::Str(p) => vec![p.as_str().to_string()],
                Value::Tuple(t) => t
                    .items
                    .iter()
                    .map(|v| match v {
                        Value::Str(p) => Ok(p.as_str().to_string()),
                        other => Err(PyErr::type_error(format!("tuple for {name} must only contain str, not {}", other.type_name()))),
                    })
                    .collect::<PyResult<_>>()?,
                other => return Err(PyErr::type_error(format!("{name} first arg must be str or a tuple of str, not {}", other.type_name()))),
            };
            let Some(hay) = hay else { return Ok(Value::Bool(false)) };
            Value::Bool(candidates.iter().any(|p| if name == "startswith" { hay.starts_with(p.as_str()) } else { hay.ends_with(p.as_str()) }))
        }
        "center" | "ljust" | "rjust" => {
            arg_count(&args, "str", name, 1, 2)?;
            let width = interp.int_arg(&args.args[0])?;
            let fill = match args.args.get(1) {
                Some(Value::Str(f)) if f.char_len() == 1 => f.as_str().chars().next().unwrap_or(' '),
                Some(Value::Str(_)) => return Err(PyErr::type_error("The fill character must be exactly one character long")),
                Some(other) => return Err(PyErr::type_error(format!("{name}() argument 2 must be str, not {}", other.type_name()))),
                None => ' ',
            };
            let len = this.char_len() as i64;
            if width <= len {
                return Ok(Value::Str(this.clone()));
            }
            interp.check_alloc(width as usize, 4)?;
            let marg = (width - len) as usize;
            let (left, right) = match name {
                "ljust" => (0, marg),
                "rjust" => (marg, 0),
                _ => {
                    let left = marg / 2 + (marg & width as usize & 1);
                    (left, marg - left)
                }
            };
            let f = fill.to_string();
            Value::string(format!("{}{s}{}", f.repeat(left), f.repeat(right)))
        }
        "zfill" => {
            arg_count(&args, "str", name, 1, 1)?;
            let width = interp.int_arg(&args.args[0])?;
            let len = this.char_len() as i64;
            if width <= len {
                return Ok(Value::Str(this.clone()));
            }
            interp.check_alloc(width as usize, 4)?;
            let pad = "0".repeat((width - len) as usize);
            match s.chars().next() {
                Some(sign @ ('+' | '-')) => Value::string(format!("{sign}{pad}{}", &s[1..])),
                _ => Value::string(format!("{pad}{s}")),
            }
        }
        "partition" | "rpartition" => {
            arg_count(&args, "str", name, 1, 1)?;
            let sep = str_arg(&args.args[0], name, 1).map_err(|_| PyErr::type_error(format!("must be str, not {}", args.args[0].type_name())))?;
            if sep.is_empty() {
                return Err(PyErr::value_error("empty separator"));
            }
            let found = if name == "partition" { s.find(sep) } else { s.rfind(sep) };
            let parts = match found {
                Some(i) => [&s[..i], sep, &s[i + sep.len()..]],
                None if name == "partition" => [s, "", ""],
                None => ["", "", s],
            };
            Value::tuple(parts.iter().map(|p| Value::str(p)).collect())
        }
        "removeprefix" | "removesuffix" => {
            arg_count(&args, "str", name, 1, 1)?;
            let affix = str_arg(&args.args[0], name, 1)?;
            Value::str(if name == "removeprefix" { s.strip_prefix(affix).unwrap_or(s) } else { s.strip_suffix(affix).unwrap_or(s) })
        }
        "expandtabs" => {
            let [tabsize] = args.bind(name, ["tabsize"], 0)?;
            let size = tabsize.and_then(|v| v.as_int()).unwrap_or(8).max(0) as usize;
            let mut out = String::new();
            let mut col = 0;
            for c in s.chars() {
                match c {
                    '\t' => {
                        if size > 0 {
                            let n = size - col % size;
                            out.push_str(&" ".repeat(n));
                            col += n;
                        }
                    }
                    '\n' | '\r' => {
                        out.push(c);
                        col = 0;
                    }
                    _ => {
                        out.push(c);
                        col += 1;
                    }
                }
            }
            Value::string(out)
        }
        "encode" => {
            let [encoding, errors] = args.bind(name, ["encoding", "errors"], 0)?;
            for (what, v) in [("encoding", &encoding), ("errors", &errors)] {
                if let Some(v) = v.as_ref().filter(|v| v.as_str().is_none()) {
                    return Err(PyErr::type_error(format!("encode() argument '{what}' must be str, not {}", v.type_name())));
                }
            }
            let enc = encoding.as_ref().and_then(|e| e.as_str().map(|s| s.to_ascii_lowercase().replace('_', "-"))).unwrap_or_else(|| "utf-8".into());
            match enc.as_str() {
                "utf-8" | "utf8" => Value::bytes(s.as_bytes().to_vec()),
                "ascii" | "latin-1" | "latin1" => {
                    let max = if enc == "ascii" { 0x7f } else { 0xff };
                    if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| *c as u32 > max) {
                        return Err(PyErr::new(
                            super::super::error::ExcKind::UnicodeEncodeError,
                            format!("'{}' codec can't encode character '\\u{:04x}' in position {i}: ordinal not in range({})", if max == 0x7f { "ascii" } else { "latin-1" }, c as u32, max + 1),
                        ));
                    }
                    Value::bytes(s.chars().map(|c| c as u32 as u8).collect())
                }
                other => return Err(PyErr::new(super::super::error::ExcKind::LookupError, format!("unknown encoding: {other}"))),
            }
        }
        "format" => {
            let kwargs = std::mem::take(&mut args.kwargs);
            let lookup = super::super::format::kwargs_lookup(kwargs);
            Value::string(format_string(interp, s, &args.args, &lookup)?)
        }
        "format_map" => {
            arg_count(&args, "str", name, 1, 1)?;
            let mapping = args.args.remove(0);
            let lookup = move |interp: &mut Interpreter, key: &str| -> PyResult<Option<Value>> { interp.getitem(&mapping, &Value::str(key)).map(Some) };
            Value::string(format_string(interp, s, &[], &lookup)?)
        }
        _ => {
            arg_count(&args, "str", name, 0, 0)?;
            Value::Bool(predicate(name, s))
        }
    })
}

/// The `is...()` predicates.
fn predicate(name: &str, s: &str) -> bool {
    let nonempty = !s.is_empty();
    match name {
        "isdigit" | "isdecimal" => nonempty && s.chars().all(|c| c.is_ascii_digit() || (name == "isdigit" && c.is_numeric() && !c.is_alphabetic())),
        "isnumeric" => nonempty && s.chars().all(|c| c.is_numeric()),
        "isalpha" => nonempty && s.chars().all(|c| c.is_alphabetic()),
        "isalnum" => nonempty && s.chars().all(|c| c.is_alphanumeric()),
        "isspace" => nonempty && s.chars().all(is_py_space),
        "isascii" => s.is_ascii(),
        "isprintable" => s.chars().all(super::super::interp::is_printable),
        "isidentifier" => {
            let mut chars = s.chars();
            chars.next().is_some_and(super::super::lexer::is_id_start) && chars.all(super::super::lexer::is_id_continue)
        }
        "isupper" => s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase()),
        "islower" => s.chars().any(|c| c.is_lowercase()) && !s.chars().any(|c| c.is_uppercase()),
        "istitle" => {
            let mut prev_cased = false;
            let mut any = false;
            for c in s.chars() {
                if c.is_uppercase() {
                    if prev_cased {
                        return false;
                    }
                    prev_cased = true;
                    any = true;
                } else if c.is_lowercase() {
                    if !prev_cased {
                        return false;
                    }
                    prev_cased = true;
                    any = true;
                } else {
                    prev_cased = false;
                }
            }
            any
        }
        _ => false,
    }
}

/// `str.split()` with no separator: runs of whitespace, ends trimmed.
fn split_whitespace(s: &str, maxsplit: i64, from_right: bool) -> Vec<String> {
    let words: Vec<&str> = s.split(is_py_space).filter(|w| !w.is_empty()).collect();
    if maxsplit < 0 || words.len() as i64 <= maxsplit {
        return words.into_iter().map(str::to_string).collect();
    }
    let max = maxsplit as usize;
    if !from_right {
        // The first `max` words, then the rest of the string as it was.
        let mut out = Vec::new();
        let mut rest = s.trim_start_matches(is_py_space);
        for _ in 0..max {
            let end = rest.find(is_py_space).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start_matches(is_py_space);
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
        out
    } else {
        let mut out = Vec::new();
        let mut rest = s.trim_end_matches(is_py_space);
        for _ in 0..max {
            let start = rest.rfind(is_py_space).map_or(0, |i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
            out.push(rest[start..].to_string());
            rest = rest[..start].trim_end_matches(is_py_space);
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
        out.reverse();
        out
    }
}

/// `str.splitlines()`.
fn split_lines(s: &str, keep: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let is_break = matches!(c, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}');
        if !is_break {
            cur.push(c);
            continue;
        }
        let mut ending = c.to_string();
        if c == '\r' && chars.peek() == Some(&'\n') {
            chars.next();
            ending.push('\n');
        }
        if keep {
            cur.push_str(&ending);
        }
        out.push(std::mem::take(&mut cur));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

//! `re` on Rust's `regex` crate (already in the engine through GlueSQL, so it costs no size):
//! patterns in Python's syntax are translated where the two differ (`\Z`, `{,n}`, the
//! flags), and what `regex` cannot do (backreferences, lookahead and lookbehind,
//! conditionals) is refused with a `NotImplementedError` that names the construct. Positions
//! are Python's (characters), not bytes.
//!
//! Known differences: `$` without MULTILINE matches only at the very end (Python's also
//! matches before a final newline); flags are plain ints (`re.I` prints as 2).

use std::rc::Rc;

use regex::{Captures, Regex};

use crate::script::value::Class;
use crate::script::{iterator_from_values, native_fn, CallArgs, ExcKind, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

use super::native::cached;

const IGNORECASE: i64 = 2;
const MULTILINE: i64 = 8;
const DOTALL: i64 = 16;
const UNICODE: i64 = 32;
const VERBOSE: i64 = 64;
const ASCII: i64 = 256;

/// `re.error`, built once per interpreter.
#[derive(Clone)]
struct ReError(Rc<Class>);

fn error_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let ReError(class) = cached(interp, |interp| {
        let base = interp.exception_class(ExcKind::Exception);
        interp.new_exception_class("error", "re", &base).map(ReError)
    })?;
    Ok(class)
}

fn re_error(interp: &mut Interpreter, message: String) -> PyErr {
    match error_class(interp) {
        Ok(class) => PyErr::from_class(&class, message),
        Err(e) => e,
    }
}

fn unsupported(construct: &str) -> PyErr {
    PyErr::not_implemented(format!("{construct} is not supported by the playground's re (Rust's regex engine has no backtracking)"))
}

/// Python's pattern syntax in the `regex` crate's: the constructs it lacks are refused by name.
fn translate(pattern: &str) -> PyResult<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' => {
                match next {
                    Some(d @ '1'..='9') if !in_class => return Err(unsupported(&format!("the backreference \\{d}"))),
                    Some('Z') if !in_class => out.push_str("\\z"),
                    Some(other) => {
                        out.push('\\');
                        out.push(other);
                    }
                    None => out.push('\\'),
                }
                i += 2;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is a literal.
                if next == Some('^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '(' if !in_class && next == Some('?') => {
                let rest: String = chars[i + 2..].iter().take(3).collect();
                if rest.starts_with('=') || rest.starts_with('!') {
                    return Err(unsupported(&format!("the lookahead assertion (?{}...)", &rest[..1])));
                }
                if rest.starts_with("<=") || rest.starts_with("<!") {
                    return Err(unsupported(&format!("the lookbehind assertion (?{}...)", &rest[..2])));
                }
                if rest.starts_with("P=") {
                    return Err(unsupported("the named backreference (?P=name)"));
                }
                if rest.starts_with('(') {
                    return Err(unsupported("the conditional group (?(...)...)"));
                }
                out.push('(');
            }
            '{' if !in_class && next == Some(',') => out.push_str("{0"),
            other => out.push(other),
        }
        i += 1;
    }
    Ok(out)
}

/// A compiled pattern: the search form and the anchored forms `match` and `fullmatch` use.
struct Pattern {
    source: Value,
    flags: i64,
    search: Regex,
    at_start: Regex,
    whole: Regex,
}

fn compile(interp: &mut Interpreter, pattern: &Value, flags: i64) -> PyResult<Rc<Pattern>> {
    if let Some(compiled) = pattern.downcast_native::<Pattern>() {
        if flags != 0 {
            return Err(PyErr::value_error("cannot process flags argument with a compiled pattern"));
        }
        return Ok(compiled);
    }
    let Some(text) = pattern.as_str() else {
        return Err(PyErr::type_error("first argument must be string or compiled pattern"));
    };
    if flags & ASCII != 0 {
        return Err(PyErr::not_implemented("re.ASCII is not supported by the playground's re"));
    }
    let translated = translate(text)?;
    let mut inline = String::new();
    for (flag, letter) in [(IGNORECASE, 'i'), (MULTILINE, 'm'), (DOTALL, 's'), (VERBOSE, 'x')] {
        if flags & flag != 0 {
            inline.push(letter);
        }
    }
    let inline = if inline.is_empty() { String::new() } else { format!("(?{inline})") };
    let build = |interp: &mut Interpreter, form: String| {
        Regex::new(&form).map_err(|error| {
            let detail = match &error {
                regex::Error::Syntax(text) => text.lines().last().unwrap_or("").trim_start_matches("error: ").to_owned(),
                other => other.to_string(),
            };
            re_error(interp, format!("{detail} in pattern {}", crate::script::repr_str(text)))
        })
    };
    Ok(Rc::new(Pattern {
        source: pattern.clone(),
        flags: flags | UNICODE,
        search: build(interp, format!("{inline}{translated}"))?,
        at_start: build(interp, format!("{inline}\\A(?:{translated})"))?,
        whole: build(interp, format!("{inline}\\A(?:{translated})\\z"))?,
    }))
}

/// A match: the subject, the byte spans of the groups, the pattern.
struct Match {
    subject: Rc<str>,
    spans: Vec<Option<(usize, usize)>>,
    pattern: Rc<Pattern>,
}

impl Match {
    fn of(captures: &Captures, subject: &Rc<str>, pattern: &Rc<Pattern>) -> Value {
        let spans = captures.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect();
        Value::Native(Rc::new(Match { subject: subject.clone(), spans, pattern: pattern.clone() }))
    }

    fn text(&self, group: usize) -> Value {
        match self.spans.get(group).copied().flatten() {
            Some((start, end)) => Value::str(&self.subject[start..end]),
            None => Value::None,
        }
    }

    /// A group's number from an int or a name.
    fn group_index(&self, group: &Value) -> PyResult<usize> {
        let index = match group {
            Value::Int(n) => usize::try_from(*n).ok(),
            Value::Str(name) => self.pattern.search.capture_names().position(|n| n == Some(name.as_str())),
            _ => None,
        };
        index.filter(|i| *i < self.spans.len()).ok_or_else(|| PyErr::index_error("no such group"))
    }

    /// Character offsets (Python's) of a group's span; (-1, -1) when it did not take part.
    fn char_span(&self, group: usize) -> (i64, i64) {
        match self.spans.get(group).copied().flatten() {
            Some((start, end)) => {
                let start_chars = self.subject[..start].chars().count() as i64;
                (start_chars, start_chars + self.subject[start..end].chars().count() as i64)
            }
            None => (-1, -1),
        }
    }
}

impl NativeObject for Match {
    fn type_name(&self) -> &str {
        "re.Match"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let Some(found) = this.downcast_native::<Match>() else { return Ok(None) };
        let method = match name {
            "string" => return Ok(Some(Value::str(&self.subject))),
            "re" => return Ok(Some(Value::Native(self.pattern.clone()))),
            "lastindex" => return Ok(Some((1..self.spans.len()).rev().find(|g| self.spans[*g].is_some()).map_or(Value::None, |g| Value::Int(g as i64)))),
            "group" => native_fn("group", move |_, args| {
                args.no_kwargs("group")?;
                let groups = if args.args.is_empty() { vec![Value::Int(0)] } else { args.args.clone() };
                let texts = groups.iter().map(|g| found.group_index(g).map(|i| found.text(i))).collect::<PyResult<Vec<_>>>()?;
                Ok(if texts.len() == 1 { texts.into_iter().next().unwrap_or(Value::None) } else { Value::tuple(texts) })
            }),
            "groups" => native_fn("groups", move |_, args| {
                let [default] = args.bind("groups", ["default"], 0)?;
                let default = default.unwrap_or(Value::None);
                Ok(Value::tuple((1..found.spans.len()).map(|g| if found.spans[g].is_some() { found.text(g) } else { default.clone() }).collect()))
            }),
            "groupdict" => native_fn("groupdict", move |_, args| {
                let [default] = args.bind("groupdict", ["default"], 0)?;
                let default = default.unwrap_or(Value::None);
                let names: Vec<(String, usize)> =
                    found.pattern.search.capture_names().enumerate().filter_map(|(i, n)| n.map(|n| (n.to_owned(), i))).collect();
                Ok(Value::dict_from_str_pairs(names.iter().map(|(n, g)| (n.as_str(), if found.spans[*g].is_some() { found.text(*g) } else { default.clone() }))))
            }),
            "span" | "start" | "end" => {
                let which: &'static str = match name {
                    "span" => "span",
                    "start" => "start",
                    _ => "end",
                };
                native_fn(which, move |_, args| {
                    args.count_between(which, 0, 1)?;
                    let group = found.group_index(args.args.first().unwrap_or(&Value::Int(0)))?;
                    let (start, end) = found.char_span(group);
                    Ok(match which {
                        "span" => Value::tuple(vec![Value::Int(start), Value::Int(end)]),
                        "start" => Value::Int(start),
                        _ => Value::Int(end),
                    })
                })
            }
            _ => return Ok(None),
        };
        Ok(Some(method))
    }

    fn get_item(&self, _interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let group = self.group_index(key)?;
        Ok(Some(self.text(group)))
    }

    fn truthy(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        Ok(true)
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let (start, end) = self.char_span(0);
        Ok(format!("<re.Match object; span=({start}, {end}), match={}>", interp.repr(&self.text(0))?))
    }
}

fn subject(v: &Value) -> PyResult<Rc<str>> {
    v.as_str().map(Rc::from).ok_or_else(|| PyErr::type_error(format!("expected string or bytes-like object, got '{}'", v.type_name())))
}

fn search_with(pattern: &Rc<Pattern>, which: &str, text: &Rc<str>) -> Value {
    let regex = match which {
        "match" => &pattern.at_start,
        "fullmatch" => &pattern.whole,
        _ => &pattern.search,
    };
    regex.captures(text).map_or(Value::None, |captures| Match::of(&captures, text, pattern))
}

fn findall(pattern: &Rc<Pattern>, text: &Rc<str>) -> Value {
    let groups = pattern.search.captures_len() - 1;
    let text_of = |captures: &Captures, g: usize| Value::str(captures.get(g).map_or("", |m| m.as_str()));
    Value::list(
        pattern
            .search
            .captures_iter(text)
            .map(|captures| match groups {
                0 => text_of(&captures, 0),
                1 => text_of(&captures, 1),
                n => Value::tuple((1..=n).map(|g| text_of(&captures, g)).collect()),
            })
            .collect(),
    )
}

/// Python's replacement template: `\1`, `\g<1>`, `\g<name>` and the usual escapes; errors
/// give the position (in characters) of what follows the backslash, as CPython's do.
fn expand(interp: &mut Interpreter, template: &str, captures: &Captures, pattern: &Pattern) -> PyResult<String> {
    let chars: Vec<char> = template.chars().collect();
    let mut out = String::new();
    let group_text = |interp: &mut Interpreter, reference: &str, at: usize| -> PyResult<String> {
        let index = reference.parse::<usize>().ok().or_else(|| pattern.search.capture_names().position(|n| n == Some(reference)));
        match index.filter(|i| *i < captures.len()) {
            Some(i) => Ok(captures.get(i).map_or("", |m| m.as_str()).to_owned()),
            None if reference.parse::<usize>().is_ok() => Err(re_error(interp, format!("invalid group reference {reference} at position {at}"))),
            None => Err(PyErr::index_error(format!("unknown group name '{reference}'"))),
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let at = i;
        match chars.get(i).copied() {
            Some('g') if chars.get(i + 1) == Some(&'<') => {
                let reference: String = chars[i + 2..].iter().take_while(|c| **c != '>').collect();
                i += 3 + reference.chars().count();
                out.push_str(&group_text(interp, &reference, at + 2)?);
            }
            Some(d) if d.is_ascii_digit() => {
                let two = chars.get(i + 1).copied().filter(char::is_ascii_digit);
                let reference: String = std::iter::once(d).chain(two).collect();
                i += reference.len();
                out.push_str(&group_text(interp, &reference, at)?);
            }
            Some(escaped @ ('n' | 't' | 'r' | '\\')) => {
                out.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                });
                i += 1;
            }
            Some(other) if other.is_ascii_alphabetic() => return Err(re_error(interp, format!("bad escape \\{other} at position {}", at - 1))),
            Some(other) => {
                out.push('\\');
                out.push(other);
                i += 1;
            }
            None => return Err(re_error(interp, format!("bad escape (end of pattern) at position {}", at - 1))),
        }
    }
    Ok(out)
}

fn sub(interp: &mut Interpreter, pattern: &Rc<Pattern>, repl: &Value, text: &Rc<str>, count: i64) -> PyResult<(String, i64)> {
    let mut out = String::new();
    let mut last = 0;
    let mut done = 0;
    for captures in pattern.search.captures_iter(text) {
        if count > 0 && done >= count {
            break;
        }
        interp.tick()?;
        let whole = captures.get(0).map_or((0, 0), |m| (m.start(), m.end()));
        out.push_str(&text[last..whole.0]);
        let replacement = match repl {
            Value::Str(template) => expand(interp, template.as_str(), &captures, pattern)?,
            callable => {
                let found = Match::of(&captures, text, pattern);
                let value = interp.call(callable, vec![found], Vec::new())?;
                value.as_str().map(str::to_owned).ok_or_else(|| PyErr::type_error(format!("expected str instance, {} found", value.type_name())))?
            }
        };
        interp.check_alloc(out.len() + replacement.len(), 1)?;
        out.push_str(&replacement);
        last = whole.1;
        done += 1;
    }
    out.push_str(&text[last..]);
    Ok((out, done))
}

fn split(pattern: &Rc<Pattern>, text: &Rc<str>, maxsplit: i64) -> Value {
    let mut out = Vec::new();
    let mut last = 0;
    for (done, captures) in pattern.search.captures_iter(text).enumerate() {
        if maxsplit > 0 && done as i64 >= maxsplit {
            break;
        }
        let Some(whole) = captures.get(0) else { continue };
        out.push(Value::str(&text[last..whole.start()]));
        for g in 1..captures.len() {
            out.push(captures.get(g).map_or(Value::None, |m| Value::str(m.as_str())));
        }
        last = whole.end();
    }
    out.push(Value::str(&text[last..]));
    Value::list(out)
}

/// `re.escape`: a backslash before each character special in a pattern.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\\t"),
            '\n' => out.push_str("\\\n"),
            '\r' => out.push_str("\\\r"),
            '\x0b' => out.push_str("\\\x0b"),
            '\x0c' => out.push_str("\\\x0c"),
            c if "()[]{}?*+-|^$\\.&~# ".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn int_arg(v: Option<Value>, name: &str) -> PyResult<i64> {
    match v {
        None => Ok(0),
        Some(v) => v.as_int().ok_or_else(|| PyErr::type_error(format!("'{}' object cannot be interpreted as an integer ({name})", v.type_name()))),
    }
}

/// The operations shared by the module functions and the pattern's methods.
fn operation(interp: &mut Interpreter, pattern: &Rc<Pattern>, name: &str, args: &[Value], count: i64) -> PyResult<Value> {
    match name {
        "match" | "search" | "fullmatch" => {
            let text = subject(args.first().unwrap_or(&Value::None))?;
            Ok(search_with(pattern, name, &text))
        }
        "findall" => Ok(findall(pattern, &subject(args.first().unwrap_or(&Value::None))?)),
        "finditer" => {
            let text = subject(args.first().unwrap_or(&Value::None))?;
            Ok(iterator_from_values(pattern.search.captures_iter(&text).map(|c| Match::of(&c, &text, pattern)).collect()))
        }
        "split" => Ok(split(pattern, &subject(args.first().unwrap_or(&Value::None))?, count)),
        "sub" | "subn" => {
            let repl = args.first().cloned().unwrap_or(Value::None);
            let text = subject(args.get(1).unwrap_or(&Value::None))?;
            let (result, done) = sub(interp, pattern, &repl, &text, count)?;
            Ok(if name == "sub" { Value::string(result) } else { Value::tuple(vec![Value::string(result), Value::Int(done)]) })
        }
        _ => Err(PyErr::attribute_error(format!("'re.Pattern' object has no attribute '{name}'"))),
    }
}

const OPERATIONS: [&str; 8] = ["match", "search", "fullmatch", "findall", "finditer", "split", "sub", "subn"];

/// The parameter names of an operation after the pattern, and how many are required.
fn signature(name: &str) -> (&'static [&'static str], usize) {
    match name {
        "split" => (&["string", "maxsplit", "flags"], 1),
        "sub" | "subn" => (&["repl", "string", "count", "flags"], 2),
        _ => (&["string", "flags"], 1),
    }
}

/// Binds an operation's arguments: the positional values and the `count`/`maxsplit` and `flags`.
fn bind(name: &str, args: CallArgs) -> PyResult<(Vec<Value>, i64, i64)> {
    let (names, required) = signature(name);
    let values: Vec<Option<Value>> = match names.len() {
        2 => args.bind(name, [names[0], names[1]], required)?.to_vec(),
        3 => args.bind(name, [names[0], names[1], names[2]], required)?.to_vec(),
        _ => args.bind(name, [names[0], names[1], names[2], names[3]], required)?.to_vec(),
    };
    let flags = int_arg(values.last().cloned().flatten(), "flags")?;
    let (positional, count) = match name {
        "split" => (vec![values[0].clone().unwrap_or(Value::None)], int_arg(values[1].clone(), "maxsplit")?),
        "sub" | "subn" => (vec![values[0].clone().unwrap_or(Value::None), values[1].clone().unwrap_or(Value::None)], int_arg(values[2].clone(), "count")?),
        _ => (vec![values[0].clone().unwrap_or(Value::None)], 0),
    };
    Ok((positional, count, flags))
}

impl NativeObject for Pattern {
    fn type_name(&self) -> &str {
        "re.Pattern"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let Some(pattern) = this.downcast_native::<Pattern>() else { return Ok(None) };
        match name {
            "pattern" => return Ok(Some(self.source.clone())),
            "flags" => return Ok(Some(Value::Int(self.flags))),
            "groups" => return Ok(Some(Value::Int(self.search.captures_len() as i64 - 1))),
            "groupindex" => {
                let names: Vec<(String, Value)> = self.search.capture_names().enumerate().filter_map(|(i, n)| n.map(|n| (n.to_owned(), Value::Int(i as i64)))).collect();
                return Ok(Some(Value::dict_from_str_pairs(names.iter().map(|(n, i)| (n.as_str(), i.clone())))));
            }
            _ => {}
        }
        let Some(operation_name) = OPERATIONS.iter().find(|op| **op == name).copied() else { return Ok(None) };
        Ok(Some(native_fn(operation_name, move |interp, args| {
            let (positional, count, _) = bind(operation_name, args)?;
            operation(interp, &pattern, operation_name, &positional, count)
        })))
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: crate::script::ast::CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let Some(other) = other.downcast_native::<Pattern>() else { return Ok(None) };
        let same = interp.eq(&self.source, &other.source)? && self.flags == other.flags;
        Ok(match op {
            crate::script::ast::CmpOp::Eq => Some(Value::Bool(same)),
            crate::script::ast::CmpOp::NotEq => Some(Value::Bool(!same)),
            _ => None,
        })
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let names: Vec<&str> = [(IGNORECASE, "re.IGNORECASE"), (MULTILINE, "re.MULTILINE"), (DOTALL, "re.DOTALL"), (VERBOSE, "re.VERBOSE")]
            .iter()
            .filter(|(flag, _)| self.flags & flag != 0)
            .map(|(_, name)| *name)
            .collect();
        let source = interp.repr(&self.source)?;
        Ok(if names.is_empty() { format!("re.compile({source})") } else { format!("re.compile({source}, {})", names.join("|")) })
    }
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("re", |interp| {
        let error = error_class(interp)?;
        let mut module = ModuleBuilder::new("re")
            .function("compile", |interp, args| {
                let [pattern, flags] = args.bind("compile", ["pattern", "flags"], 1)?;
                let flags = int_arg(flags, "flags")?;
                Ok(Value::Native(compile(interp, &pattern.unwrap_or(Value::None), flags)?))
            })
            .function("escape", |_, args| {
                args.exactly("escape", 1)?;
                let text = args.args[0].as_str().ok_or_else(|| PyErr::type_error(format!("expected str, not {}", args.args[0].type_name())))?;
                Ok(Value::string(escape(text)))
            });
        for name in OPERATIONS {
            module = module.function(name, move |interp, mut args| {
                if args.args.is_empty() && args.kwargs.iter().all(|(k, _)| &**k != "pattern") {
                    return Err(PyErr::type_error(format!("{name}() missing 1 required positional argument: 'pattern'")));
                }
                let pattern = if args.args.is_empty() { args.take_kwarg("pattern").unwrap_or(Value::None) } else { args.args.remove(0) };
                let (positional, count, flags) = bind(name, args)?;
                let compiled = compile(interp, &pattern, flags)?;
                operation(interp, &compiled, name, &positional, count)
            });
        }
        for (names, flag) in [(["I", "IGNORECASE"], IGNORECASE), (["M", "MULTILINE"], MULTILINE), (["S", "DOTALL"], DOTALL), (["X", "VERBOSE"], VERBOSE), (["U", "UNICODE"], UNICODE), (["A", "ASCII"], ASCII)] {
            for name in names {
                module = module.value(name, Value::Int(flag));
            }
        }
        Ok(module.class(&error).build())
    });
}

//! URL rules as werkzeug reads them (`/user/<int:id>`), building URLs from
//! them (`url_for`), matching a request path to its endpoint, and werkzeug's
//! `BuildError` message with its "Did you mean ...?" suggestion.

use crate::script::{Interpreter, PyErr, PyResult, Value};

/// One `<converter:name>` or literal piece of a rule.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    Literal(String),
    Variable { converter: Converter, name: String },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Converter {
    String,
    Path,
    Int,
    Float,
    Uuid,
    Any,
}

/// A URL rule: `/user/<int:id>` for endpoint `user`, with its methods.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub endpoint: String,
    /// Upper-case, as given plus HEAD and OPTIONS (werkzeug adds them).
    pub methods: Vec<String>,
    parts: Vec<Part>,
}

impl Rule {
    /// Parse `rule`; a `ValueError` for malformed variables, as werkzeug raises.
    pub fn new(rule: &str, endpoint: &str, methods: &[String]) -> PyResult<Rule> {
        if !rule.starts_with('/') {
            return Err(PyErr::value_error("urls must start with a leading slash"));
        }
        let mut parts = Vec::new();
        let mut rest = rule;
        while let Some(open) = rest.find('<') {
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_string()));
            }
            let close = rest[open..].find('>').map(|c| open + c).ok_or_else(|| PyErr::value_error(format!("malformed url rule: '{rule}'")))?;
            let inner = &rest[open + 1..close];
            let (conv, name) = inner.split_once(':').unwrap_or(("default", inner));
            let converter = match conv.split('(').next().unwrap_or(conv) {
                "default" | "string" => Converter::String,
                "path" => Converter::Path,
                "int" => Converter::Int,
                "float" => Converter::Float,
                "uuid" => Converter::Uuid,
                "any" => Converter::Any,
                other => return Err(PyErr::new(crate::script::ExcKind::LookupError, format!("the converter '{other}' does not exist"))),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(PyErr::value_error(format!("malformed url rule: '{rule}'")));
            }
            parts.push(Part::Variable { converter, name: name.to_string() });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_string()));
        }
        let mut all_methods: Vec<String> = methods.iter().map(|m| m.to_ascii_uppercase()).collect();
        if all_methods.iter().any(|m| m == "GET") && !all_methods.iter().any(|m| m == "HEAD") {
            all_methods.push("HEAD".into());
        }
        if !all_methods.iter().any(|m| m == "OPTIONS") {
            all_methods.push("OPTIONS".into());
        }
        Ok(Rule { endpoint: endpoint.to_string(), methods: all_methods, parts })
    }

    /// The variable names of the rule.
    pub fn arguments(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Variable { name, .. } => Some(name.as_str()),
                Part::Literal(_) => None,
            })
            .collect()
    }

    /// `<Rule '/user/<id>' (GET, HEAD, OPTIONS) -> user>` as werkzeug prints it
    /// (converters dropped; werkzeug's method order varies, this one is fixed).
    pub fn display(&self) -> String {
        format!("<Rule '{}' ({}) -> {}>", self.path_display(), self.methods.join(", "), self.endpoint)
    }

    fn path_display(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.clone(),
                Part::Variable { name, .. } => format!("<{name}>"),
            })
            .collect()
    }

    /// The path for `values` (all variables given), or `None` when one is missing.
    fn build_path(&self, interp: &mut Interpreter, values: &[(String, Value)]) -> PyResult<Option<String>> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Literal(s) => out.push_str(s),
                Part::Variable { converter, name } => {
                    let Some((_, v)) = values.iter().find(|(k, _)| k == name) else { return Ok(None) };
                    let text = match converter {
                        Converter::Int => {
                            let int = interp.call(&Value::Class(interp.builtin_class(crate::script::value::BuiltinType::Int)), vec![v.clone()], Vec::new())?;
                            interp.str(&int)?
                        }
                        Converter::Float => {
                            let f = interp.call(&Value::Class(interp.builtin_class(crate::script::value::BuiltinType::Float)), vec![v.clone()], Vec::new())?;
                            interp.str(&f)?
                        }
                        _ => quote(&interp.str(v)?, "!$&'()*+,/:;=@"),
                    };
                    out.push_str(&text);
                }
            }
        }
        Ok(Some(out))
    }

    /// The variables of `path` if it matches this rule (converted as werkzeug does).
    pub fn match_path(&self, path: &str) -> Option<Vec<(String, Value)>> {
        let mut rest = path;
        let mut values = Vec::new();
        for (i, p) in self.parts.iter().enumerate() {
            match p {
                Part::Literal(s) => rest = rest.strip_prefix(s.as_str())?,
                Part::Variable { converter, name } => {
                    let next_literal = match self.parts.get(i + 1) {
                        Some(Part::Literal(s)) => Some(s.as_str()),
                        _ => None,
                    };
                    let end = match (converter, next_literal) {
                        (Converter::Path, Some(lit)) => rest.rfind(lit)?,
                        (Converter::Path, None) => rest.len(),
                        (_, _) => rest.find('/').unwrap_or(rest.len()),
                    };
                    let raw = &rest[..end];
                    if raw.is_empty() {
                        return None;
                    }
                    let text = unquote(raw);
                    let value = match converter {
                        Converter::Int => Value::Int(text.parse().ok().filter(|_| text.bytes().all(|b| b.is_ascii_digit()))?),
                        Converter::Float => Value::Float(text.parse().ok().filter(|_| text.contains('.'))?),
                        _ => Value::string(text),
                    };
                    values.push((name.clone(), value));
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(values)
    }
}

/// Percent-encode `s` as `urllib.parse.quote` does, keeping `safe` characters.
pub(crate) fn quote(s: &str, safe: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "_.-~".contains(c) || (c.is_ascii() && safe.contains(c)) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `urllib.parse.quote_plus` with werkzeug's query-string safe set.
fn quote_plus(s: &str) -> String {
    quote(s, " !$'()*,/:;?@").replace(' ', "+")
}

/// Decode `%XX` escapes (and `+` when `plus` is true, as in query strings).
pub(crate) fn percent_decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(v) => {
                    out.push(v);
                    i += 3;
                    continue;
                }
                None => out.push(b'%'),
            },
            b'+' if plus => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn unquote(s: &str) -> String {
    percent_decode(s, false)
}

/// `a=1&b=x+y` pairs of a query string or form body.
pub(crate) fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// `urlencode` of query arguments (lists give one pair per item, None is dropped).
fn urlencode(interp: &mut Interpreter, values: &[(String, Value)]) -> PyResult<String> {
    let mut pairs = Vec::new();
    for (k, v) in values {
        let items = match v {
            Value::List(_) | Value::Tuple(_) => v.sequence_items().unwrap_or_default(),
            other => vec![other.clone()],
        };
        for item in items {
            if item.is_none() {
                continue;
            }
            pairs.push(format!("{}={}", quote_plus(k), quote_plus(&interp.str(&item)?)));
        }
    }
    Ok(pairs.join("&"))
}

/// A path with its query string for `endpoint` from `rules`, or the
/// `BuildError` werkzeug raises.
pub(crate) fn build(
    interp: &mut Interpreter,
    rules: &[Rule],
    endpoint: &str,
    values: &[(String, Value)],
    build_error: &std::rc::Rc<crate::script::value::Class>,
) -> PyResult<String> {
    for rule in rules.iter().filter(|r| r.endpoint == endpoint) {
        if let Some(path) = rule.build_path(interp, values)? {
            let arguments = rule.arguments();
            let extra: Vec<(String, Value)> = values.iter().filter(|(k, _)| !arguments.contains(&k.as_str())).cloned().collect();
            let query = urlencode(interp, &extra)?;
            return Ok(if query.is_empty() { path } else { format!("{path}?{query}") });
        }
    }
    Err(PyErr::from_class(build_error, build_error_message(rules, endpoint, values)))
}

/// werkzeug's `BuildError.__str__`.
fn build_error_message(rules: &[Rule], endpoint: &str, values: &[(String, Value)]) -> String {
    let mut message = format!("Could not build url for endpoint '{endpoint}'");
    if !values.is_empty() {
        let mut names: Vec<&str> = values.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        message.push_str(&format!(" with values [{}]", names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")));
    }
    message.push('.');
    let score = |r: &Rule| {
        let args = r.arguments();
        0.98 * similarity(&r.endpoint, endpoint) + 0.01 * f64::from(u8::from(values.iter().all(|(k, _)| args.contains(&k.as_str()))))
    };
    // `max` keeps the first of equal scores, as Python's does.
    let mut best: Option<(&Rule, f64)> = None;
    for r in rules {
        let s = score(r);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((r, s));
        }
    }
    if let Some((suggested, _)) = best {
        if suggested.endpoint == endpoint {
            let mut missing: Vec<&str> = suggested.arguments().into_iter().filter(|a| !values.iter().any(|(k, _)| k == a)).collect();
            missing.sort_unstable();
            if !missing.is_empty() {
                message.push_str(&format!(" Did you forget to specify values [{}]?", missing.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")));
            }
        } else {
            message.push_str(&format!(" Did you mean '{}' instead?", suggested.endpoint));
        }
    }
    message
}

/// `difflib.SequenceMatcher(None, a, b).ratio()`.
fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * matching_chars(&a, &b) as f64 / total as f64
}

/// Characters in the matching blocks difflib finds (longest match, then recurse on both sides).
fn matching_chars(a: &[char], b: &[char]) -> usize {
    let (mut best_i, mut best_j, mut best_len) = (0, 0, 0);
    // Longest common substring, earliest in `a` then in `b` on ties (as difflib).
    let mut prev = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                let len = cur[j + 1];
                if len > best_len {
                    best_len = len;
                    best_i = i + 1 - len;
                    best_j = j + 1 - len;
                }
            }
        }
        prev = cur;
    }
    if best_len == 0 {
        return 0;
    }
    best_len + matching_chars(&a[..best_i], &b[..best_j]) + matching_chars(&a[best_i + best_len..], &b[best_j + best_len..])
}

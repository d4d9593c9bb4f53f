//! `json.dumps` / `json.loads` with CPython's output (separators, escaping,
//! `indent`, `sort_keys`, `default`) and its error messages
//! (`JSONDecodeError: Expecting value: line 1 column 1 (char 0)`).

use std::rc::Rc;

use crate::script::value::Class;
use crate::script::{CallArgs, ExcKind, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::native::cached;

struct JsonTypes {
    decode_error: Rc<Class>,
}

fn types(interp: &mut Interpreter) -> PyResult<Rc<JsonTypes>> {
    cached(interp, |interp| {
        let value_error = interp.exception_class(ExcKind::ValueError);
        Ok(Rc::new(JsonTypes { decode_error: interp.new_exception_class("JSONDecodeError", "json.decoder", &value_error)? }))
    })
}

// ----- encoding -----

struct Encoder {
    indent: Option<String>,
    item_separator: String,
    key_separator: String,
    sort_keys: bool,
    ensure_ascii: bool,
    allow_nan: bool,
    skip_keys: bool,
    default: Option<Value>,
    /// Containers being encoded (for "Circular reference detected").
    stack: Vec<usize>,
}

/// Deeper nesting raises RecursionError, as CPython does beyond its recursion
/// limit; the bound is lower here so the encoder and decoder stay well inside
/// the native stack (1 MiB on wasm).
const MAX_DEPTH: usize = 200;

fn escape(s: &str, ensure_ascii: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn float_text(f: f64, allow_nan: bool) -> PyResult<String> {
    if f.is_finite() {
        return Ok(crate::script::format::float_repr(f));
    }
    if !allow_nan {
        return Err(PyErr::value_error("Out of range float values are not JSON compliant"));
    }
    Ok(if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    }
    .into())
}

impl Encoder {
    fn newline(&self, out: &mut String, depth: usize) {
        if let Some(indent) = &self.indent {
            out.push('\n');
            for _ in 0..depth {
                out.push_str(indent);
            }
        }
    }

    fn enter(&mut self, v: &Value) -> PyResult<()> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(PyErr::new(ExcKind::RecursionError, "maximum recursion depth exceeded while encoding a JSON object"));
        }
        let id = v.identity();
        if self.stack.contains(&id) {
            return Err(PyErr::value_error("Circular reference detected"));
        }
        self.stack.push(id);
        Ok(())
    }

    /// The text of a dict key, or `None` to skip it (`skipkeys=True`).
    fn key(&self, k: &Value) -> PyResult<Option<String>> {
        Ok(Some(match k {
            Value::Str(s) => s.as_str().to_string(),
            Value::Bool(b) => (if *b { "true" } else { "false" }).to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => float_text(*f, self.allow_nan)?,
            Value::None => "null".to_string(),
            _ if self.skip_keys => return Ok(None),
            other => return Err(PyErr::type_error(format!("keys must be str, int, float, bool or None, not {}", other.type_name()))),
        }))
    }

    fn encode(&mut self, interp: &mut Interpreter, v: &Value, depth: usize, out: &mut String) -> PyResult<()> {
        interp.tick()?;
        match v {
            Value::None => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&float_text(*f, self.allow_nan)?),
            Value::Str(s) => escape(s.as_str(), self.ensure_ascii, out),
            Value::List(_) | Value::Tuple(_) => {
                let items = v.sequence_items().unwrap_or_default();
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                self.enter(v)?;
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&self.item_separator);
                    }
                    self.newline(out, depth + 1);
                    self.encode(interp, item, depth + 1, out)?;
                }
                self.newline(out, depth);
                out.push(']');
                self.stack.pop();
            }
            Value::Dict(d) => {
                let mut items = Vec::new();
                for (k, val) in interp.dict_items(d) {
                    if let Some(key) = self.key(&k)? {
                        items.push((key, val));
                    }
                }
                if items.is_empty() {
                    out.push_str("{}");
                    return Ok(());
                }
                if self.sort_keys {
                    items.sort_by(|a, b| a.0.cmp(&b.0));
                }
                self.enter(v)?;
                out.push('{');
                for (i, (key, val)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&self.item_separator);
                    }
                    self.newline(out, depth + 1);
                    escape(key, self.ensure_ascii, out);
                    out.push_str(&self.key_separator);
                    self.encode(interp, val, depth + 1, out)?;
                }
                self.newline(out, depth);
                out.push('}');
                self.stack.pop();
            }
            other => {
                let Some(default) = self.default.clone() else {
                    let name = interp.class_of(other).name.to_string();
                    return Err(PyErr::type_error(format!("Object of type {name} is not JSON serializable")));
                };
                self.enter(v)?;
                let replacement = interp.call(&default, vec![other.clone()], Vec::new())?;
                self.encode(interp, &replacement, depth, out)?;
                self.stack.pop();
            }
        }
        Ok(())
    }
}

/// JSON text as Flask's default provider writes a response body: sorted keys,
/// ASCII only, compact unless `indent` (debug mode), non-JSON values passed
/// to `default`.
pub(crate) fn flask_dumps(interp: &mut Interpreter, v: &Value, indent: bool, default: Value) -> PyResult<String> {
    let mut encoder = Encoder {
        indent: indent.then(|| "  ".to_string()),
        item_separator: ",".into(),
        key_separator: (if indent { ": " } else { ":" }).into(),
        sort_keys: true,
        ensure_ascii: true,
        allow_nan: true,
        skip_keys: false,
        default: Some(default),
        stack: Vec::new(),
    };
    let mut out = String::new();
    encoder.encode(interp, v, 0, &mut out)?;
    Ok(out)
}

fn dumps(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [obj, skipkeys, ensure_ascii, _check_circular, allow_nan, cls, indent, separators, default, sort_keys] =
        args.bind("dumps", ["obj", "skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls", "indent", "separators", "default", "sort_keys"], 1)?;
    if cls.as_ref().is_some_and(|c| !c.is_none()) {
        return Err(PyErr::not_implemented("json.dumps(cls=...) is not supported in the playground; use default="));
    }
    let flag = |interp: &mut Interpreter, v: Option<Value>, default: bool| -> PyResult<bool> { v.map_or(Ok(default), |v| interp.truthy(&v)) };
    let indent = match indent {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => Some(s.as_str().to_string()),
        Some(v @ (Value::Int(_) | Value::Bool(_))) => Some(" ".repeat(v.as_int().unwrap_or(0).clamp(0, 1000) as usize)),
        Some(other) => return Err(PyErr::type_error(format!("can't multiply sequence by non-int of type '{}'", other.type_name()))),
    };
    let (item_separator, key_separator) = match separators {
        None | Some(Value::None) => ((if indent.is_some() { "," } else { ", " }).to_string(), ": ".to_string()),
        Some(sep) => {
            let parts = interp.collect(&sep)?;
            match parts.as_slice() {
                [Value::Str(a), Value::Str(b)] => (a.as_str().to_string(), b.as_str().to_string()),
                _ => return Err(PyErr::value_error("separators must be a pair of strings")),
            }
        }
    };
    let mut encoder = Encoder {
        indent,
        item_separator,
        key_separator,
        sort_keys: flag(interp, sort_keys, false)?,
        ensure_ascii: flag(interp, ensure_ascii, true)?,
        allow_nan: flag(interp, allow_nan, true)?,
        skip_keys: flag(interp, skipkeys, false)?,
        default: default.filter(|d| !d.is_none()),
        stack: Vec::new(),
    };
    let mut out = String::new();
    encoder.encode(interp, &obj.unwrap_or(Value::None), 0, &mut out)?;
    Ok(Value::string(out))
}

// ----- decoding -----

struct Decoder<'a> {
    chars: Vec<char>,
    doc: &'a str,
    pos: usize,
    depth: usize,
}

/// Why decoding stopped, and where (a character index).
struct DecodeError {
    msg: &'static str,
    pos: usize,
}

type Decoded<T> = Result<T, DecodeError>;

fn fail<T>(msg: &'static str, pos: usize) -> Decoded<T> {
    Err(DecodeError { msg, pos })
}

impl Decoder<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, word: &str) -> bool {
        word.chars().enumerate().all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    fn value(&mut self, interp: &mut Interpreter) -> PyResult<Decoded<Value>> {
        interp.tick()?;
        if self.depth >= MAX_DEPTH {
            return Err(PyErr::new(ExcKind::RecursionError, "maximum recursion depth exceeded while decoding a JSON document"));
        }
        let start = self.pos;
        let Some(c) = self.peek() else { return Ok(fail("Expecting value", start)) };
        let literals: [(&str, Value); 6] = [
            ("null", Value::None),
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("NaN", Value::Float(f64::NAN)),
            ("Infinity", Value::Float(f64::INFINITY)),
            ("-Infinity", Value::Float(f64::NEG_INFINITY)),
        ];
        for (word, v) in literals {
            if self.starts_with(word) {
                self.pos += word.chars().count();
                return Ok(Ok(v));
            }
        }
        Ok(match c {
            '"' => self.string().map(Value::string),
            '{' | '[' => {
                self.depth += 1;
                let v = if c == '{' { self.object(interp) } else { self.array(interp) };
                self.depth -= 1;
                return v;
            }
            '-' | '0'..='9' => self.number(),
            _ => fail("Expecting value", start),
        })
    }

    fn number(&mut self) -> Decoded<Value> {
        let start = self.pos;
        let digits = |d: &mut Self| {
            let s = d.pos;
            while d.peek().is_some_and(|c| c.is_ascii_digit()) {
                d.pos += 1;
            }
            d.pos - s
        };
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        match self.peek() {
            Some('0') => self.pos += 1,
            Some('1'..='9') => {
                digits(self);
            }
            _ => return fail("Expecting value", start),
        }
        let mut is_float = false;
        if self.peek() == Some('.') && self.chars.get(self.pos + 1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            digits(self);
            is_float = true;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                self.pos = save;
            } else {
                is_float = true;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        if is_float {
            return Ok(Value::Float(text.parse().unwrap_or(f64::NAN)));
        }
        match text.parse::<i64>() {
            Ok(i) => Ok(Value::Int(i)),
            Err(_) => fail("Number too large for the playground's 64-bit integers", start),
        }
    }

    /// A string starting at the opening quote; returns its text.
    fn string(&mut self) -> Decoded<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else { return fail("Unterminated string starting at", start) };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    let esc_pos = self.pos;
                    self.pos += 1;
                    let Some(e) = self.peek() else { return fail("Unterminated string starting at", start) };
                    self.pos += 1;
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let Some(unit) = self.hex4() else { return fail("Invalid \\uXXXX escape", esc_pos) };
                            let code = if (0xD800..0xDC00).contains(&unit) && self.starts_with("\\u") {
                                let save = self.pos;
                                self.pos += 2;
                                match self.hex4() {
                                    Some(low) if (0xDC00..0xE000).contains(&low) => 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00),
                                    _ => {
                                        self.pos = save;
                                        unit
                                    }
                                }
                            } else {
                                unit
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return fail("Invalid \\escape", esc_pos),
                    }
                }
                c if (c as u32) < 0x20 => return fail("Invalid control character at", self.pos),
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let text: String = self.chars.get(self.pos..self.pos + 4)?.iter().collect();
        let v = u32::from_str_radix(&text, 16).ok().filter(|_| text.chars().all(|c| c.is_ascii_hexdigit()))?;
        self.pos += 4;
        Some(v)
    }

    fn array(&mut self, interp: &mut Interpreter) -> PyResult<Decoded<Value>> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Ok(Value::list(items)));
        }
        loop {
            self.skip_ws();
            match self.value(interp)? {
                Ok(v) => items.push(v),
                Err(e) => return Ok(Err(e)),
            }
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(Ok(Value::list(items)));
                }
                _ => return Ok(fail("Expecting ',' delimiter", self.pos)),
            }
        }
    }

    fn object(&mut self, interp: &mut Interpreter) -> PyResult<Decoded<Value>> {
        self.pos += 1;
        let d = Value::empty_dict();
        self.skip_ws();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(Ok(d));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some('"') {
                return Ok(fail("Expecting property name enclosed in double quotes", self.pos));
            }
            let key = match self.string() {
                Ok(k) => k,
                Err(e) => return Ok(Err(e)),
            };
            self.skip_ws();
            if self.peek() != Some(':') {
                return Ok(fail("Expecting ':' delimiter", self.pos));
            }
            self.pos += 1;
            self.skip_ws();
            let value = match self.value(interp)? {
                Ok(v) => v,
                Err(e) => return Ok(Err(e)),
            };
            interp.setitem(&d, &Value::string(key), value)?;
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some('}') => {
                    self.pos += 1;
                    return Ok(Ok(d));
                }
                _ => return Ok(fail("Expecting ',' delimiter", self.pos)),
            }
        }
    }

    /// `JSONDecodeError` with CPython's message and attributes.
    fn error(&self, interp: &mut Interpreter, e: DecodeError) -> PyErr {
        let before = &self.chars[..e.pos.min(self.chars.len())];
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let col = match before.iter().rposition(|c| *c == '\n') {
            Some(nl) => e.pos - nl,
            None => e.pos + 1,
        };
        let text = format!("{}: line {line} column {col} (char {})", e.msg, e.pos);
        let class = match types(interp) {
            Ok(t) => t.decode_error.clone(),
            Err(err) => return err,
        };
        let exc = interp.new_exception(&class, vec![Value::string(text)]);
        exc.set_own("msg", Value::str(e.msg));
        exc.set_own("doc", Value::str(self.doc));
        exc.set_own("pos", Value::Int(e.pos as i64));
        exc.set_own("lineno", Value::Int(line as i64));
        exc.set_own("colno", Value::Int(col as i64));
        PyErr::from_instance(exc)
    }
}

fn loads(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    if let Some((k, _)) = args.kwargs.first() {
        return Err(PyErr::type_error(format!("JSONDecoder.__init__() got an unexpected keyword argument '{k}'")));
    }
    args.exactly("loads", 1)?;
    let text = match &args.args[0] {
        Value::Str(s) => s.as_str().to_string(),
        Value::Bytes(b) => String::from_utf8(b.0.to_vec()).map_err(|_| PyErr::new(ExcKind::UnicodeDecodeError, "'utf-8' codec can't decode the bytes"))?,
        other => return Err(PyErr::type_error(format!("the JSON object must be str, bytes or bytearray, not {}", other.type_name()))),
    };
    parse(interp, &text)
}

/// Parse JSON text (`json.loads`), raising `JSONDecodeError` as CPython does.
pub(crate) fn parse(interp: &mut Interpreter, text: &str) -> PyResult<Value> {
    let mut d = Decoder { chars: text.chars().collect(), doc: text, pos: 0, depth: 0 };
    d.skip_ws();
    let value = match d.value(interp)? {
        Ok(v) => v,
        Err(e) => return Err(d.error(interp, e)),
    };
    d.skip_ws();
    if d.pos < d.chars.len() {
        return Err(d.error(interp, DecodeError { msg: "Extra data", pos: d.pos }));
    }
    Ok(value)
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("json", |interp| {
        let t = types(interp)?;
        Ok(ModuleBuilder::new("json").function("dumps", dumps).function("loads", loads).class(&t.decode_error).build())
    });
}

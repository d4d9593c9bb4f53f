//! `Response` (werkzeug's, as Flask returns it), `redirect`, `jsonify` and
//! `make_response`.

use std::rc::Rc;

use indexmap::IndexMap;

use crate::script::value::Class;
use crate::script::{ClassBuilder, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::stdlib::native::{cached, class_attr, skip_receiver};
use super::exceptions::reason;

pub(crate) struct Response {
    status: std::cell::Cell<u16>,
    body: Vec<u8>,
    mimetype: String,
    headers: IndexMap<String, String>,
}

/// The `Response` class of an interpreter.
#[derive(Clone)]
struct ResponseClass(Rc<Class>);

fn response_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let built = cached(interp, |interp| {
        ClassBuilder::new("Response", "flask.wrappers")
            .static_method("__new__", |interp, mut args| {
                skip_receiver(&mut args);
                let [response, status, _headers, mimetype, content_type, _direct_passthrough] =
                    args.bind("Response", ["response", "status", "headers", "mimetype", "content_type", "direct_passthrough"], 0)?;
                let body = match response {
                    None | Some(Value::None) => Vec::new(),
                    Some(Value::Bytes(b)) => b.0.to_vec(),
                    Some(v) => interp.str(&v)?.into_bytes(),
                };
                let status = match status {
                    None | Some(Value::None) => 200,
                    Some(v) => status_code(&v)?,
                };
                let mimetype = match (mimetype, content_type) {
                    (Some(Value::Str(m)), _) => m.as_str().to_string(),
                    (_, Some(Value::Str(c))) => c.as_str().split(';').next().unwrap_or("text/html").trim().to_string(),
                    _ => "text/html".to_string(),
                };
                Ok(Response::value(status, body, &mimetype, IndexMap::new()))
            })
            .method("get_data", |_, args| {
                let r = this(&args, "get_data")?;
                let as_text = args.kwarg("as_text").or(args.get(1)).is_some_and(|v| matches!(v, Value::Bool(true)));
                Ok(if as_text { Value::string(String::from_utf8_lossy(&r.body).into_owned()) } else { Value::bytes(r.body.clone()) })
            })
            .method("get_json", |interp, args| {
                let r = this(&args, "get_json")?;
                r.json(interp)
            })
            .build(interp)
            .map(ResponseClass)
    })?;
    Ok(built.0)
}

fn this(args: &crate::script::CallArgs, method: &str) -> PyResult<Rc<Response>> {
    super::super::stdlib::native::receiver::<Response>(args, "Response", method)
}

fn status_code(v: &Value) -> PyResult<u16> {
    match v {
        Value::Int(i) => u16::try_from(*i).map_err(|_| PyErr::value_error("Status code must be a positive integer")),
        Value::Str(s) => s.as_str().split_whitespace().next().and_then(|c| c.parse().ok()).ok_or_else(|| PyErr::value_error("Empty status argument")),
        other => Err(PyErr::type_error(format!("Invalid status argument of type {}", other.type_name()))),
    }
}

impl Response {
    pub fn value(status: u16, body: Vec<u8>, mimetype: &str, mut headers: IndexMap<String, String>) -> Value {
        let content_type = if mimetype.starts_with("text/") { format!("{mimetype}; charset=utf-8") } else { mimetype.to_string() };
        headers.shift_insert(0, "Content-Type".into(), content_type);
        headers.shift_insert(1, "Content-Length".into(), body.len().to_string());
        Value::Native(Rc::new(Response { status: std::cell::Cell::new(status), body, mimetype: mimetype.to_string(), headers }))
    }

    fn status_text(&self) -> String {
        let code = self.status.get();
        format!("{code} {}", reason(code).to_ascii_uppercase())
    }

    fn json(&self, interp: &mut Interpreter) -> PyResult<Value> {
        if self.mimetype != "application/json" {
            return Ok(Value::None);
        }
        super::super::stdlib::json::parse(interp, &String::from_utf8_lossy(&self.body))
    }
}

impl NativeObject for Response {
    fn type_name(&self) -> &str {
        "Response"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<Class>> {
        response_class(interp).ok()
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(Some(match name {
            "status_code" => Value::Int(self.status.get().into()),
            "status" => Value::string(self.status_text()),
            "data" => Value::bytes(self.body.clone()),
            "mimetype" => Value::str(&self.mimetype),
            "content_type" => Value::str(self.headers.get("Content-Type").map_or("", String::as_str)),
            "content_length" => Value::Int(self.body.len() as i64),
            "location" => self.headers.get("Location").map_or(Value::None, |l| Value::str(l)),
            "headers" => Value::dict_from_str_pairs(self.headers.iter().map(|(k, v)| (k.as_str(), Value::str(v)))),
            "is_json" => Value::Bool(self.mimetype == "application/json"),
            "json" => self.json(interp)?,
            _ => return Ok(self.python_class(interp).and_then(|cls| class_attr(&cls, this, name))),
        }))
    }

    fn set_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        if name != "status_code" {
            return Ok(false);
        }
        self.status.set(status_code(&value)?);
        Ok(true)
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("<Response {} bytes [{}]>", self.body.len(), self.status_text()))
    }
}

/// `&`, `<`, `>`, `"`, `'` as markupsafe escapes them.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// `redirect(location, code=302)`: werkzeug's response with its HTML body.
pub(crate) fn redirect(interp: &mut Interpreter, args: crate::script::CallArgs) -> PyResult<Value> {
    let [location, code, _response] = args.bind("redirect", ["location", "code", "Response"], 1)?;
    let location = interp.str(&location.unwrap_or(Value::None))?;
    let code = match code {
        None => 302,
        Some(v) => status_code(&v)?,
    };
    let html = html_escape(&location);
    let body = format!(
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"{html}\">{html}</a>. If not, click the link.\n"
    );
    let mut headers = IndexMap::new();
    headers.insert("Location".to_string(), location);
    Ok(Response::value(code, body.into_bytes(), "text/html", headers))
}

/// A response whose body is `text` as JSON (`jsonify`).
pub(crate) fn json_response(text: String) -> Value {
    Response::value(200, format!("{text}\n").into_bytes(), "application/json", IndexMap::new())
}

/// `make_response(body[, status])`.
pub(crate) fn make_response(interp: &mut Interpreter, args: crate::script::CallArgs) -> PyResult<Value> {
    let mut items = args.args;
    if items.len() == 1 {
        if let Value::Tuple(t) = &items[0] {
            items = t.items.to_vec();
        }
    }
    if let Some(r) = items.first().filter(|r| r.downcast_native::<Response>().is_some()) {
        return Ok(r.clone());
    }
    let cls = response_class(interp)?;
    let body = items.first().cloned().unwrap_or(Value::str(""));
    let status = items.get(1).cloned().unwrap_or(Value::Int(200));
    if matches!(body, Value::Dict(_) | Value::List(_)) {
        return Err(PyErr::not_implemented("make_response() of a dict or list: use jsonify() in the playground"));
    }
    interp.call(&Value::Class(cls), vec![body, status], Vec::new())
}

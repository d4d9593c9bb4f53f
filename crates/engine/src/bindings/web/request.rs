//! The request of a `test_request_context(...)`: `request.method`, `.path`,
//! `.args`, `.form`, `.values`, `.json`... with werkzeug's `ImmutableMultiDict`.

use std::rc::Rc;

use crate::script::{native_fn, CallArgs, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::exceptions::{classes, http_error};
use super::routing::{parse_query, Rule};

/// werkzeug's `ImmutableMultiDict` (several values per key, in order), or a
/// `CombinedMultiDict` of several (`request.values`).
pub(crate) struct MultiDict {
    /// `ImmutableMultiDict` (requests) or `MultiDict` (made by user code).
    name: &'static str,
    pairs: Vec<(String, Value)>,
    /// For `CombinedMultiDict`: the dicts combined (their pairs are in `pairs`).
    parts: Option<Vec<Rc<MultiDict>>>,
}

const MULTIDICT_METHODS: [&str; 7] = ["get", "getlist", "to_dict", "items", "keys", "values", "copy"];

impl MultiDict {
    pub fn new(pairs: Vec<(String, Value)>) -> Rc<MultiDict> {
        Rc::new(MultiDict { name: "ImmutableMultiDict", pairs, parts: None })
    }

    /// `werkzeug.datastructures.MultiDict(mapping_or_pairs)` (read-only here).
    pub fn from_python(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
        let [mapping] = args.bind("MultiDict", ["mapping"], 0)?;
        let mut pairs = Vec::new();
        match mapping {
            None | Some(Value::None) => {}
            Some(m @ Value::Dict(_)) => {
                for (k, v) in interp.mapping_items(&m)? {
                    let key = interp.str(&k)?;
                    match &v {
                        Value::List(_) | Value::Tuple(_) => pairs.extend(v.sequence_items().unwrap_or_default().into_iter().map(|x| (key.clone(), x))),
                        _ => pairs.push((key, v)),
                    }
                }
            }
            Some(items) => {
                for item in interp.collect(&items)? {
                    let kv = interp.collect(&item)?;
                    let [k, v] = <[Value; 2]>::try_from(kv).map_err(|_| PyErr::value_error("MultiDict items must be (key, value) pairs"))?;
                    pairs.push((interp.str(&k)?, v));
                }
            }
        }
        Ok(Value::Native(Rc::new(MultiDict { name: "MultiDict", pairs, parts: None })))
    }

    fn combined(parts: Vec<Rc<MultiDict>>) -> Rc<MultiDict> {
        let pairs = parts.iter().flat_map(|p| p.pairs.iter().cloned()).collect();
        Rc::new(MultiDict { name: "CombinedMultiDict", pairs, parts: Some(parts) })
    }

    /// The first value of `key`.
    pub fn first(&self, key: &str) -> Option<Value> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    pub fn all(&self, key: &str) -> Vec<Value> {
        self.pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
    }

    fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for (k, _) in &self.pairs {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        keys
    }

    /// `type(value)` for `get(..., type=int)`: `None` when the conversion fails.
    fn convert(interp: &mut Interpreter, value: Value, ty: &Option<Value>) -> PyResult<Option<Value>> {
        let Some(ty) = ty.as_ref().filter(|t| !t.is_none()) else { return Ok(Some(value)) };
        match interp.call(ty, vec![value], Vec::new()) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is(crate::script::ExcKind::ValueError) || e.is(crate::script::ExcKind::TypeError) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn call_method(&self, interp: &mut Interpreter, name: &str, args: CallArgs) -> PyResult<Value> {
        match name {
            "get" => {
                let [key, default, ty] = args.bind("get", ["key", "default", "type"], 1)?;
                let key = interp.str(&key.unwrap_or(Value::None))?;
                let default = default.unwrap_or(Value::None);
                match self.first(&key) {
                    Some(v) => Ok(MultiDict::convert(interp, v, &ty)?.unwrap_or(default)),
                    None => Ok(default),
                }
            }
            "getlist" => {
                let [key, ty] = args.bind("getlist", ["key", "type"], 1)?;
                let key = interp.str(&key.unwrap_or(Value::None))?;
                let mut out = Vec::new();
                for v in self.all(&key) {
                    if let Some(v) = MultiDict::convert(interp, v, &ty)? {
                        out.push(v);
                    }
                }
                Ok(Value::list(out))
            }
            "to_dict" => {
                let [flat] = args.bind("to_dict", ["flat"], 0)?;
                let flat = flat.map_or(Ok(true), |f| interp.truthy(&f))?;
                let keys = self.keys();
                Ok(Value::dict_from_str_pairs(keys.iter().map(|k| {
                    let v = if flat { self.first(k).unwrap_or(Value::None) } else { Value::list(self.all(k)) };
                    (k.as_str(), v)
                })))
            }
            "items" => {
                let [multi] = args.bind("items", ["multi"], 0)?;
                let multi = multi.map_or(Ok(false), |m| interp.truthy(&m))?;
                let pairs: Vec<Value> = if multi {
                    self.pairs.iter().map(|(k, v)| Value::tuple(vec![Value::str(k), v.clone()])).collect()
                } else {
                    self.keys().iter().map(|k| Value::tuple(vec![Value::str(k), self.first(k).unwrap_or(Value::None)])).collect()
                };
                Ok(crate::script::iterator_from_values(pairs))
            }
            "keys" => Ok(crate::script::iterator_from_values(self.keys().iter().map(|k| Value::str(k)).collect())),
            "values" => Ok(crate::script::iterator_from_values(self.keys().iter().map(|k| self.first(k).unwrap_or(Value::None)).collect())),
            _ => Ok(Value::Native(Rc::new(MultiDict { name: "MultiDict", pairs: self.pairs.clone(), parts: None }))),
        }
    }

    fn repr_pairs(&self, interp: &mut Interpreter) -> PyResult<String> {
        let mut parts = Vec::with_capacity(self.pairs.len());
        for (k, v) in &self.pairs {
            parts.push(format!("({}, {})", interp.repr(&Value::str(k))?, interp.repr(v)?));
        }
        let name = if self.parts.is_some() { "ImmutableMultiDict" } else { self.name };
        Ok(format!("{name}([{}])", parts.join(", ")))
    }
}

impl NativeObject for MultiDict {
    fn type_name(&self) -> &str {
        self.name
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let Some(method) = MULTIDICT_METHODS.iter().find(|m| **m == name).copied() else { return Ok(None) };
        let Some(md) = this.downcast_native::<MultiDict>() else { return Ok(None) };
        Ok(Some(native_fn(method, move |interp, args| md.call_method(interp, method, args))))
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        MULTIDICT_METHODS.iter().map(|m| m.to_string()).collect()
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        match &self.parts {
            Some(parts) => {
                let mut shown = Vec::new();
                for p in parts {
                    shown.push(p.repr_pairs(interp)?);
                }
                Ok(format!("CombinedMultiDict([{}])", shown.join(", ")))
            }
            None => self.repr_pairs(interp),
        }
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.keys().len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(crate::script::iterator_from_values(self.keys().iter().map(|k| Value::str(k)).collect())))
    }

    fn contains(&self, _interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        Ok(Some(item.as_str().is_some_and(|k| self.pairs.iter().any(|(key, _)| key == k))))
    }

    fn get_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        if let Some(v) = key.as_str().and_then(|k| self.first(k)) {
            return Ok(Some(v));
        }
        let errors = classes(interp)?;
        let exc = interp.new_exception(&errors.bad_request_key_error, vec![key.clone()]);
        Err(PyErr::from_instance(exc))
    }

    fn set_item(&self, _interp: &mut Interpreter, _this: &Value, _key: &Value, _value: Value) -> PyResult<bool> {
        Err(PyErr::type_error(format!("'{}' objects are immutable", self.type_name())))
    }
}

/// The request of a request context.
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    query: String,
    args: Rc<MultiDict>,
    form: Rc<MultiDict>,
    body: Vec<u8>,
    content_type: Option<String>,
    pub endpoint: Option<String>,
    view_args: Option<Vec<(String, Value)>>,
}

const REQUEST_METHODS: [&str; 2] = ["get_json", "get_data"];

impl Request {
    fn url(&self) -> String {
        if self.query.is_empty() {
            format!("http://localhost{}", self.path)
        } else {
            format!("http://localhost{}?{}", self.path, self.query)
        }
    }

    pub fn blueprint(&self) -> Option<String> {
        self.endpoint.as_ref().and_then(|e| e.rsplit_once('.')).map(|(bp, _)| bp.to_string())
    }

    fn is_json(&self) -> bool {
        self.content_type.as_deref().is_some_and(|c| {
            let m = c.split(';').next().unwrap_or("").trim();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
    }

    /// `get_json(force=False, silent=False)`.
    fn json(&self, interp: &mut Interpreter, force: bool, silent: bool) -> PyResult<Value> {
        if !force && !self.is_json() {
            if silent {
                return Ok(Value::None);
            }
            return Err(http_error(interp, 415, Some("Did not attempt to load JSON data because the request Content-Type was not 'application/json'.")));
        }
        let text = String::from_utf8_lossy(&self.body).into_owned();
        match super::super::stdlib::json::parse(interp, &text) {
            Ok(v) => Ok(v),
            Err(_) if silent => Ok(Value::None),
            Err(e) if e.is_uncatchable() => Err(e),
            Err(_) => Err(http_error(interp, 400, Some("Failed to decode JSON object: the request body is not valid JSON."))),
        }
    }

    fn values(&self) -> Rc<MultiDict> {
        if self.method == "GET" {
            MultiDict::combined(vec![self.args.clone()])
        } else {
            MultiDict::combined(vec![self.args.clone(), self.form.clone()])
        }
    }
}

impl NativeObject for Request {
    fn type_name(&self) -> &str {
        "Request"
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let full_path = format!("{}?{}", self.path, self.query);
        Ok(Some(match name {
            "method" => Value::str(&self.method),
            "path" => Value::str(&self.path),
            "full_path" => Value::string(full_path),
            "url" => Value::string(self.url()),
            "base_url" => Value::string(format!("http://localhost{}", self.path)),
            "url_root" | "host_url" => Value::str("http://localhost/"),
            "host" => Value::str("localhost"),
            "scheme" => Value::str("http"),
            "remote_addr" => Value::None,
            "query_string" => Value::bytes(self.query.clone().into_bytes()),
            "args" => Value::Native(self.args.clone()),
            "form" => Value::Native(self.form.clone()),
            "values" => Value::Native(self.values()),
            "files" => Value::Native(MultiDict::new(Vec::new())),
            "cookies" => Value::Native(MultiDict::new(Vec::new())),
            "headers" => {
                let mut headers = vec![("Host", Value::str("localhost"))];
                if let Some(ct) = &self.content_type {
                    headers.push(("Content-Type", Value::str(ct)));
                    headers.push(("Content-Length", Value::string(self.body.len().to_string())));
                }
                Value::dict_from_str_pairs(headers)
            }
            "data" => Value::bytes(if self.form.pairs.is_empty() { self.body.clone() } else { Vec::new() }),
            "content_type" => self.content_type.as_deref().map_or(Value::None, Value::str),
            "mimetype" => Value::str(self.content_type.as_deref().map_or("", |c| c.split(';').next().unwrap_or("").trim())),
            "is_json" => Value::Bool(self.is_json()),
            "json" => self.json(interp, false, false)?,
            "endpoint" => self.endpoint.as_deref().map_or(Value::None, Value::str),
            "blueprint" => self.blueprint().map_or(Value::None, Value::string),
            "view_args" => match &self.view_args {
                Some(v) => Value::dict_from_str_pairs(v.iter().map(|(k, v)| (k.as_str(), v.clone()))),
                None => Value::None,
            },
            _ => {
                let Some(method) = REQUEST_METHODS.iter().find(|m| **m == name).copied() else { return Ok(None) };
                let Some(req) = this.downcast_native::<Request>() else { return Ok(None) };
                native_fn(method, move |interp, args| {
                    if method == "get_data" {
                        let [_cache, as_text, _parse] = args.bind("get_data", ["cache", "as_text", "parse_form_data"], 0)?;
                        let as_text = as_text.map_or(Ok(false), |v| interp.truthy(&v))?;
                        return Ok(if as_text { Value::string(String::from_utf8_lossy(&req.body).into_owned()) } else { Value::bytes(req.body.clone()) });
                    }
                    let [force, silent, _cache] = args.bind("get_json", ["force", "silent", "cache"], 0)?;
                    let force = force.map_or(Ok(false), |v| interp.truthy(&v))?;
                    let silent = silent.map_or(Ok(false), |v| interp.truthy(&v))?;
                    req.json(interp, force, silent)
                })
            }
        }))
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        ["method", "path", "full_path", "url", "args", "form", "values", "json", "headers", "endpoint", "view_args", "get_json", "get_data"].iter().map(|s| s.to_string()).collect()
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("<Request '{}' [{}]>", self.url(), self.method))
    }
}

/// Build the request `test_request_context(path, method=..., data=..., json=...)` describes.
pub(crate) fn build_request(interp: &mut Interpreter, args: CallArgs, rules: &[Rule]) -> PyResult<Request> {
    let [path, base_url, query_string, method, _input_stream, content_type, _content_length, _errors_stream, _multithread, _multiprocess, _run_once, _headers, data, _environ_base, _environ_overrides, _mimetype, json, _auth] =
        args.bind(
            "EnvironBuilder.__init__",
            [
                "path",
                "base_url",
                "query_string",
                "method",
                "input_stream",
                "content_type",
                "content_length",
                "errors_stream",
                "multithread",
                "multiprocess",
                "run_once",
                "headers",
                "data",
                "environ_base",
                "environ_overrides",
                "mimetype",
                "json",
                "auth",
            ],
            0,
        )?;
    if base_url.as_ref().is_some_and(|b| !b.is_none()) {
        return Err(PyErr::not_implemented("test_request_context(base_url=...) is not supported in the playground (the host is always localhost)"));
    }
    let target = match path {
        Some(p) => interp.str(&p)?,
        None => "/".to_string(),
    };
    let (path, mut query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    let path = if path.is_empty() { "/".to_string() } else { path };
    match query_string {
        None | Some(Value::None) => {}
        Some(Value::Str(s)) => query = s.as_str().to_string(),
        Some(q) => {
            let mut pairs = Vec::new();
            for (k, v) in interp.mapping_items(&q)? {
                pairs.push(format!("{}={}", super::routing::quote(&interp.str(&k)?, ""), super::routing::quote(&interp.str(&v)?, "")));
            }
            query = pairs.join("&");
        }
    }
    let method = match method {
        Some(m) => interp.str(&m)?.to_ascii_uppercase(),
        None => "GET".to_string(),
    };
    let mut content_type = content_type.filter(|c| !c.is_none()).map(|c| interp.str(&c)).transpose()?;
    let mut form = Vec::new();
    let mut body = Vec::new();
    match (data, json) {
        (Some(_), Some(j)) if !j.is_none() => return Err(PyErr::type_error("can't provide both json and data")),
        (_, Some(j)) if !j.is_none() => {
            let default = native_fn("default", |_, args| {
                let v = args.get(0).cloned().unwrap_or(Value::None);
                Err(PyErr::type_error(format!("Object of type {} is not JSON serializable", v.type_name())))
            });
            body = super::super::stdlib::json::flask_dumps(interp, &j, false, default)?.into_bytes();
            content_type.get_or_insert_with(|| "application/json".to_string());
        }
        (Some(Value::Str(s)), _) => body = s.as_str().as_bytes().to_vec(),
        (Some(Value::Bytes(b)), _) => body = b.0.to_vec(),
        (Some(Value::None), _) | (None, _) => {}
        (Some(d), _) => {
            for (k, v) in interp.mapping_items(&d)? {
                let key = interp.str(&k)?;
                let values = match &v {
                    Value::List(_) | Value::Tuple(_) => v.sequence_items().unwrap_or_default(),
                    other => vec![other.clone()],
                };
                for item in values {
                    form.push((key.clone(), Value::string(interp.str(&item)?)));
                }
            }
            content_type.get_or_insert_with(|| "application/x-www-form-urlencoded".to_string());
        }
    }
    if form.is_empty() && content_type.as_deref() == Some("application/x-www-form-urlencoded") {
        form = parse_query(&String::from_utf8_lossy(&body)).into_iter().map(|(k, v)| (k, Value::string(v))).collect();
    }
    let args = MultiDict::new(parse_query(&query).into_iter().map(|(k, v)| (k, Value::string(v))).collect());
    let matched = rules.iter().find_map(|r| if r.methods.contains(&method) { r.match_path(&path).map(|v| (r.endpoint.clone(), v)) } else { None });
    let (endpoint, view_args) = match matched {
        Some((e, v)) => (Some(e), Some(v)),
        None => (None, None),
    };
    Ok(Request { method, path, query, args, form: MultiDict::new(form), body, content_type, endpoint, view_args })
}

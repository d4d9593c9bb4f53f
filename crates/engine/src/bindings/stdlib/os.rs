//! `os` and `os.path` for what configuration code does: read the environment
//! (`os.environ`, `os.getenv`; its contents come from the host, empty by
//! default), build paths (`os.path.join(basedir, 'app.db')`), and ask for
//! random bytes. There is no file system: the working directory is
//! `/playground`, `exists()` is False, `makedirs` does nothing.

use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::script::{iterator_from_values, native_fn, CallArgs, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

use super::host::{random_bytes, HostEnvironment};

const CWD: &str = "/playground";

/// `os.environ`: a mapping of str to str.
struct Environ {
    vars: RefCell<IndexMap<String, String>>,
}

const ENVIRON_METHODS: [&str; 9] = ["get", "setdefault", "pop", "keys", "values", "items", "update", "copy", "clear"];

fn env_str(v: &Value) -> PyResult<String> {
    v.as_str().map(str::to_string).ok_or_else(|| PyErr::type_error(format!("str expected, not {}", v.type_name())))
}

impl Environ {
    fn get(&self, key: &str) -> Option<Value> {
        self.vars.borrow().get(key).map(|v| Value::str(v))
    }

    /// A plain dict with the same items.
    fn to_dict(&self) -> Value {
        let vars = self.vars.borrow();
        Value::dict_from_str_pairs(vars.iter().map(|(k, v)| (k.as_str(), Value::str(v))))
    }

    fn call_method(&self, interp: &mut Interpreter, name: &str, args: CallArgs) -> PyResult<Value> {
        match name {
            "get" => {
                let [key, default] = args.bind("Mapping.get", ["key", "default"], 1)?;
                let key = key.unwrap_or(Value::None);
                Ok(key.as_str().and_then(|k| self.get(k)).or(default).unwrap_or(Value::None))
            }
            "setdefault" => {
                let [key, default] = args.bind("MutableMapping.setdefault", ["key", "default"], 1)?;
                let key = env_str(&key.unwrap_or(Value::None))?;
                if let Some(v) = self.get(&key) {
                    return Ok(v);
                }
                let value = default.unwrap_or(Value::None);
                self.vars.borrow_mut().insert(key, env_str(&value)?);
                Ok(value)
            }
            "pop" => {
                let [key, default] = args.bind("MutableMapping.pop", ["key", "default"], 1)?;
                let key = key.unwrap_or(Value::None);
                let removed = key.as_str().and_then(|k| self.vars.borrow_mut().shift_remove(k));
                match (removed, default) {
                    (Some(v), _) => Ok(Value::string(v)),
                    (None, Some(d)) => Ok(d),
                    (None, None) => Err(PyErr::key_error(key)),
                }
            }
            "update" => {
                let mut pairs: Vec<(Value, Value)> = Vec::new();
                if let Some(m) = args.args.first() {
                    pairs.extend(interp.mapping_items(m)?);
                }
                pairs.extend(args.kwargs.into_iter().map(|(k, v)| (Value::str(&k), v)));
                for (k, v) in pairs {
                    let (k, v) = (env_str(&k)?, env_str(&v)?);
                    self.vars.borrow_mut().insert(k, v);
                }
                Ok(Value::None)
            }
            "clear" => {
                args.exactly("clear", 0)?;
                self.vars.borrow_mut().clear();
                Ok(Value::None)
            }
            "copy" => {
                args.exactly("copy", 0)?;
                Ok(self.to_dict())
            }
            // keys / values / items: the views of a copy.
            view => {
                args.exactly(view, 0)?;
                let d = self.to_dict();
                let f = interp.getattr(&d, view)?;
                interp.call(&f, Vec::new(), Vec::new())
            }
        }
    }
}

impl NativeObject for Environ {
    fn type_name(&self) -> &str {
        "_Environ"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let Some(method) = ENVIRON_METHODS.iter().find(|m| **m == name).copied() else { return Ok(None) };
        let Some(env) = this.downcast_native::<Environ>() else { return Ok(None) };
        Ok(Some(native_fn(method, move |interp, args| env.call_method(interp, method, args))))
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        ENVIRON_METHODS.iter().map(|m| m.to_string()).collect()
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("environ({})", interp.repr(&self.to_dict())?))
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.vars.borrow().len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(iterator_from_values(self.vars.borrow().keys().map(|k| Value::str(k)).collect())))
    }

    fn contains(&self, _interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        Ok(Some(item.as_str().is_some_and(|k| self.vars.borrow().contains_key(k))))
    }

    fn get_item(&self, _interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        key.as_str().and_then(|k| self.get(k)).map(Some).ok_or_else(|| PyErr::key_error(key.clone()))
    }

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        interp.check_side_effect("setting an environment variable")?;
        let (k, v) = (env_str(key)?, env_str(&value)?);
        self.vars.borrow_mut().insert(k, v);
        Ok(true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        interp.check_side_effect("deleting an environment variable")?;
        match key.as_str().and_then(|k| self.vars.borrow_mut().shift_remove(k)) {
            Some(_) => Ok(true),
            None => Err(PyErr::key_error(key.clone())),
        }
    }
}

/// A path argument of `fname`, with CPython's error for other types.
fn path_arg(v: &Value, fname: &str) -> PyResult<String> {
    v.as_str().map(str::to_string).ok_or_else(|| PyErr::type_error(format!("{fname}() argument must be str, bytes, or os.PathLike object, not '{}'", v.type_name())))
}

fn one_path(args: &CallArgs, fname: &str) -> PyResult<String> {
    args.exactly(fname, 1)?;
    path_arg(&args.args[0], fname)
}

/// `posixpath.join`.
fn join(parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts {
        if p.starts_with('/') {
            out = p.clone();
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(p);
        } else {
            out.push('/');
            out.push_str(p);
        }
    }
    out
}

/// `posixpath.split`: (head, tail).
fn split(p: &str) -> (String, String) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    let (head, tail) = p.split_at(i);
    let trimmed = head.trim_end_matches('/');
    let head = if trimmed.is_empty() { head } else { trimmed };
    (head.to_string(), tail.to_string())
}

/// `posixpath.normpath`.
fn normpath(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for comp in p.split('/') {
        match comp {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (absolute, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

fn abspath(p: &str) -> String {
    if p.starts_with('/') {
        normpath(p)
    } else {
        normpath(&join(&[CWD.to_string(), p.to_string()]))
    }
}

/// `posixpath.splitext`.
fn splitext(p: &str) -> (String, String) {
    let name_start = p.rfind('/').map_or(0, |i| i + 1);
    let name = &p[name_start..];
    let leading_dots = name.len() - name.trim_start_matches('.').len();
    match name.rfind('.') {
        Some(i) if i >= leading_dots && i > 0 => (p[..name_start + i].to_string(), name[i..].to_string()),
        _ => (p.to_string(), String::new()),
    }
}

fn path_module() -> ModuleBuilder {
    ModuleBuilder::new("posixpath")
        .function("join", |_, args| {
            args.no_kwargs("join")?;
            if args.args.is_empty() {
                return Err(PyErr::type_error("join() missing 1 required positional argument: 'a'"));
            }
            let parts = args.args.iter().map(|a| path_arg(a, "join")).collect::<PyResult<Vec<_>>>()?;
            Ok(Value::string(join(&parts)))
        })
        .function("dirname", |_, args| Ok(Value::string(split(&one_path(&args, "dirname")?).0)))
        .function("basename", |_, args| Ok(Value::string(split(&one_path(&args, "basename")?).1)))
        .function("split", |_, args| {
            let (head, tail) = split(&one_path(&args, "split")?);
            Ok(Value::tuple(vec![Value::string(head), Value::string(tail)]))
        })
        .function("splitext", |_, args| {
            let (root, ext) = splitext(&one_path(&args, "splitext")?);
            Ok(Value::tuple(vec![Value::string(root), Value::string(ext)]))
        })
        .function("normpath", |_, args| Ok(Value::string(normpath(&one_path(&args, "normpath")?))))
        .function("abspath", |_, args| Ok(Value::string(abspath(&one_path(&args, "abspath")?))))
        .function("realpath", |_, args| Ok(Value::string(abspath(&one_path(&args, "realpath")?))))
        .function("isabs", |_, args| Ok(Value::Bool(one_path(&args, "isabs")?.starts_with('/'))))
        .function("expanduser", |_, args| Ok(Value::string(one_path(&args, "expanduser")?)))
        // The playground has no files, so nothing exists.
        .function("exists", |_, args| one_path(&args, "exists").map(|_| Value::Bool(false)))
        .function("isfile", |_, args| one_path(&args, "isfile").map(|_| Value::Bool(false)))
        .function("isdir", |_, args| one_path(&args, "isdir").map(|_| Value::Bool(false)))
        .value("sep", "/")
}

pub(crate) fn install(interp: &mut Interpreter) {
    // `os` makes its `path` module; `import os.path` imports `os` first and takes it from there.
    interp.register_module("os.path", |interp| match interp.import_module("os")?.get("path") {
        Some(Value::Module(m)) => Ok(m),
        _ => Ok(path_module().build()),
    });
    interp.register_module("os", |interp| {
        let vars = interp.extension::<HostEnvironment>().map(|e| e.0.clone()).unwrap_or_default();
        let environ = Rc::new(Environ { vars: RefCell::new(vars) });
        let path = path_module().build();
        let getenv_env = environ.clone();
        Ok(ModuleBuilder::new("os")
            .value("environ", Value::Native(environ))
            .value("path", Value::Module(path))
            .value("name", "posix")
            .value("sep", "/")
            .value("linesep", "\n")
            .function("getenv", move |_, args| {
                let [key, default] = args.bind("getenv", ["key", "default"], 1)?;
                let key = env_str(&key.unwrap_or(Value::None))?;
                Ok(getenv_env.get(&key).or(default).unwrap_or(Value::None))
            })
            .function("getcwd", |_, args| {
                args.exactly("getcwd", 0)?;
                Ok(Value::str(CWD))
            })
            .function("urandom", |interp, args| {
                args.exactly("urandom", 1)?;
                let n = args.args[0].as_int().ok_or_else(|| PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", args.args[0].type_name())))?;
                let n = usize::try_from(n).map_err(|_| PyErr::value_error("negative argument not allowed"))?;
                Ok(Value::bytes(random_bytes(interp, n)?))
            })
            // There is no file system to create directories in.
            .function("makedirs", |_, args| {
                let [name, _mode, _exist_ok] = args.bind("makedirs", ["name", "mode", "exist_ok"], 1)?;
                path_arg(&name.unwrap_or(Value::None), "makedirs")?;
                Ok(Value::None)
            })
            .build())
    });
}

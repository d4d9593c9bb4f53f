//! `sys`: what scripts ask of it. The playground says it is Python 3.11 (the language it
//! follows) on the platform `emscripten`, as Python in the browser (Pyodide) reports: a POSIX
//! system with no processes or files, which is what a script sees here too, natively as in the
//! browser. `stdout` and `stderr` both write to the one output the console shows, in order, as
//! a terminal shows them; `exit()` raises `SystemExit`.

use std::rc::Rc;

use crate::script::ast::CmpOp;
use crate::script::{Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

const VERSION: [i64; 3] = [3, 11, 7];
const VERSION_TEXT: &str = "3.11.7 (sqla-playground: the Python 3.11 subset Flask-SQLAlchemy tutorials use, interpreted in Rust)";

/// `sys.version_info`: a tuple that also names its fields.
struct VersionInfo(Value);

const VERSION_FIELDS: [&str; 5] = ["major", "minor", "micro", "releaselevel", "serial"];

impl VersionInfo {
    fn new() -> VersionInfo {
        let mut items: Vec<Value> = VERSION.iter().map(|n| Value::Int(*n)).collect();
        items.push(Value::str("final"));
        items.push(Value::Int(0));
        VersionInfo(Value::tuple(items))
    }
}

impl NativeObject for VersionInfo {
    fn type_name(&self) -> &str {
        "sys.version_info"
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        match VERSION_FIELDS.iter().position(|field| *field == name) {
            Some(index) => interp.getitem(&self.0, &Value::Int(index as i64)).map(Some),
            None => Ok(None),
        }
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let other = match other.downcast_native::<VersionInfo>() {
            Some(info) => info.0.clone(),
            None if matches!(other, Value::Tuple(_)) => other.clone(),
            None => return Ok(None),
        };
        interp.compare(&self.0, op, &other).map(Some)
    }

    fn hash(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        interp.hash(&self.0)
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("sys.version_info(major={}, minor={}, micro={}, releaselevel='final', serial=0)", VERSION[0], VERSION[1], VERSION[2]))
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(VERSION_FIELDS.len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        interp.iter(&self.0).map(Some)
    }

    fn get_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        interp.getitem(&self.0, key).map(Some)
    }
}

/// `sys.stdout` / `sys.stderr`: text streams onto the output.
struct Stream(&'static str);

impl NativeObject for Stream {
    fn type_name(&self) -> &str {
        "TextIOWrapper"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let method = match name {
            "write" => crate::script::native_fn("write", |interp, args| {
                args.exactly("write", 1)?;
                let Some(text) = args.args[0].as_str() else {
                    return Err(PyErr::type_error(format!("write() argument must be str, not {}", args.args[0].type_name())));
                };
                interp.write_output(text);
                Ok(Value::Int(text.chars().count() as i64))
            }),
            "flush" => crate::script::native_fn("flush", |_, args| args.exactly("flush", 0).map(|_| Value::None)),
            "isatty" => crate::script::native_fn("isatty", |_, args| args.exactly("isatty", 0).map(|_| Value::Bool(false))),
            "encoding" => return Ok(Some(Value::str("utf-8"))),
            "name" => return Ok(Some(Value::string(format!("<{}>", self.0)))),
            _ => return Ok(None),
        };
        Ok(Some(method))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        Ok(format!("<_io.TextIOWrapper name='<{}>' mode='w' encoding='utf-8'>", self.0))
    }
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("sys", |interp| {
        let recursion_limit = interp.limits().max_depth as i64;
        Ok(ModuleBuilder::new("sys")
            .value("version", VERSION_TEXT)
            .value("version_info", Value::Native(Rc::new(VersionInfo::new())))
            .value("platform", "emscripten")
            .value("argv", Value::list(vec![Value::str("app.py")]))
            .value("path", Value::list(vec![Value::str("/playground")]))
            .value("maxsize", Value::Int(i64::MAX))
            .value("byteorder", "little")
            .value("stdout", Value::Native(Rc::new(Stream("stdout"))))
            .value("stderr", Value::Native(Rc::new(Stream("stderr"))))
            .function("getrecursionlimit", move |_, args| args.exactly("getrecursionlimit", 0).map(|_| Value::Int(recursion_limit)))
            .function("exit", |interp, args| crate::script::system_exit(interp, args, "exit"))
            .build())
    });
}

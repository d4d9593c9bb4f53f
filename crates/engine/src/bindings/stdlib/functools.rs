//! `functools`: `wraps` / `update_wrapper` (so decorated Flask views keep their
//! names), `partial`, `reduce`, `lru_cache` / `cache` and `total_ordering`, as
//! CPython 3.11 behaves.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::script::ast::CmpOp;
use crate::script::value::{BoundMethod, Class, PyDict};
use crate::script::{function, CallArgs, DescriptorKind, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

/// The attributes `wraps` copies (`WRAPPER_ASSIGNMENTS`).
const ASSIGNED: [&str; 4] = ["__module__", "__name__", "__qualname__", "__doc__"];

/// `update_wrapper(wrapper, wrapped)`: the wrapper takes the wrapped function's
/// name, module, docstring and attributes, and remembers it as `__wrapped__`.
fn update_wrapper(interp: &mut Interpreter, wrapper: &Value, wrapped: &Value) -> PyResult<()> {
    for name in ASSIGNED {
        if let Some(v) = interp.lookup_attr(wrapped, name)? {
            interp.setattr(wrapper, name, v)?;
        }
    }
    if let Value::Function(f) = wrapped {
        let entries: Vec<(Rc<str>, Value)> = f.dict.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (k, v) in entries {
            interp.setattr(wrapper, &k, v)?;
        }
    }
    interp.setattr(wrapper, "__wrapped__", wrapped.clone())
}

fn wraps(_: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [wrapped, _assigned, _updated] = args.bind("wraps", ["wrapped", "assigned", "updated"], 1)?;
    let wrapped = wrapped.unwrap_or(Value::None);
    Ok(function("update_wrapper", move |interp, args| {
        args.exactly("update_wrapper", 1)?;
        let wrapper = args.args[0].clone();
        update_wrapper(interp, &wrapper, &wrapped)?;
        Ok(wrapper)
    })
    .module("functools")
    .build())
}

/// `partial(func, *args, **keywords)`.
struct Partial {
    func: Value,
    args: Vec<Value>,
    keywords: Vec<(Rc<str>, Value)>,
}

impl NativeObject for Partial {
    fn type_name(&self) -> &str {
        "functools.partial"
    }

    fn is_callable(&self) -> bool {
        true
    }

    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        let mut all = self.args.clone();
        all.extend(args.args);
        let mut keywords = self.keywords.clone();
        for (k, v) in args.kwargs {
            keywords.retain(|(existing, _)| *existing != k);
            keywords.push((k, v));
        }
        interp.call(&self.func, all, keywords)
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "func" => Some(self.func.clone()),
            "args" => Some(Value::tuple(self.args.clone())),
            "keywords" => Some(Value::dict_from_str_pairs(self.keywords.iter().map(|(k, v)| (&**k, v.clone())))),
            _ => None,
        })
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let mut parts = vec![interp.repr(&self.func)?];
        for a in &self.args {
            parts.push(interp.repr(a)?);
        }
        for (k, v) in &self.keywords {
            parts.push(format!("{k}={}", interp.repr(v)?));
        }
        Ok(format!("functools.partial({})", parts.join(", ")))
    }
}

fn partial(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    if args.args.is_empty() {
        return Err(PyErr::type_error("type 'partial' takes at least one argument"));
    }
    let func = args.args.remove(0);
    if !interp.is_callable(&func) {
        return Err(PyErr::type_error("the first argument must be callable"));
    }
    Ok(Value::Native(Rc::new(Partial { func, args: args.args, keywords: args.kwargs })))
}

fn reduce(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("reduce")?;
    args.count_between("reduce", 2, 3)?;
    let items = interp.collect(&args.args[1])?;
    let mut items = items.into_iter();
    let mut acc = match args.args.get(2) {
        Some(initial) => initial.clone(),
        None => items.next().ok_or_else(|| PyErr::type_error("reduce() of empty iterable with no initial value"))?,
    };
    for x in items {
        acc = interp.call(&args.args[0], vec![acc, x], Vec::new())?;
    }
    Ok(acc)
}

/// `cache_info()`'s named tuple.
struct CacheInfo {
    hits: u64,
    misses: u64,
    maxsize: Option<usize>,
    currsize: usize,
}

impl NativeObject for CacheInfo {
    fn type_name(&self) -> &str {
        "CacheInfo"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        let int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        Ok(match name {
            "hits" => Some(int(self.hits)),
            "misses" => Some(int(self.misses)),
            "maxsize" => Some(self.maxsize.map_or(Value::None, |m| int(m as u64))),
            "currsize" => Some(int(self.currsize as u64)),
            _ => None,
        })
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let maxsize = self.maxsize.map_or("None".to_string(), |m| m.to_string());
        Ok(format!("CacheInfo(hits={}, misses={}, maxsize={maxsize}, currsize={})", self.hits, self.misses, self.currsize))
    }
}

/// A function wrapped by `lru_cache`: results by arguments, least recently used
/// dropped beyond `maxsize` (`None`: unbounded).
struct LruCache {
    func: Value,
    maxsize: Option<usize>,
    /// Argument key → result, oldest use first (a hit moves its entry to the end).
    entries: Rc<PyDict>,
    hits: Cell<u64>,
    misses: Cell<u64>,
    /// Attributes set on it by `update_wrapper` (`__name__`, `__wrapped__`...).
    attrs: RefCell<Vec<(String, Value)>>,
}

impl LruCache {
    fn key(args: &CallArgs) -> Value {
        let mut parts = args.args.clone();
        if !args.kwargs.is_empty() {
            // A marker no argument can equal separates the keyword pairs.
            parts.push(Value::str("\u{0}kwargs"));
            for (k, v) in &args.kwargs {
                parts.push(Value::str(k));
                parts.push(v.clone());
            }
        }
        Value::tuple(parts)
    }

    fn info(&self, interp: &mut Interpreter) -> CacheInfo {
        let size = interp.dict_items(&self.entries).len();
        CacheInfo { hits: self.hits.get(), misses: self.misses.get(), maxsize: self.maxsize, currsize: size }
    }
}

impl NativeObject for LruCache {
    fn type_name(&self) -> &str {
        "functools._lru_cache_wrapper"
    }

    fn is_callable(&self) -> bool {
        true
    }

    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        let key = LruCache::key(&args);
        if let Some(found) = interp.dict_remove(&self.entries, &key)? {
            self.hits.set(self.hits.get() + 1);
            interp.dict_set(&self.entries, key, found.clone())?;
            return Ok(found);
        }
        self.misses.set(self.misses.get() + 1);
        let result = interp.call(&self.func, args.args, args.kwargs)?;
        if self.maxsize != Some(0) {
            interp.dict_set(&self.entries, key, result.clone())?;
            if let Some(max) = self.maxsize {
                while interp.dict_items(&self.entries).len() > max {
                    let Some((oldest, _)) = interp.dict_items(&self.entries).into_iter().next() else { break };
                    interp.dict_remove(&self.entries, &oldest)?;
                }
            }
        }
        Ok(result)
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if let Some((_, v)) = self.attrs.borrow().iter().find(|(k, _)| k == name) {
            return Ok(Some(v.clone()));
        }
        let this = this.clone();
        Ok(match name {
            "cache_info" => Some(function("cache_info", move |interp, _| {
                let cache = this.downcast_native::<LruCache>().ok_or_else(|| PyErr::type_error("not an lru_cache wrapper"))?;
                Ok(Value::Native(Rc::new(cache.info(interp))))
            })
            .build()),
            "cache_clear" => Some(function("cache_clear", move |_, _| {
                if let Some(cache) = this.downcast_native::<LruCache>() {
                    cache.entries.table.borrow_mut().clear();
                    cache.hits.set(0);
                    cache.misses.set(0);
                }
                Ok(Value::None)
            })
            .build()),
            _ => interp.lookup_attr(&self.func, name)?,
        })
    }

    fn set_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        let mut attrs = self.attrs.borrow_mut();
        attrs.retain(|(k, _)| k != name);
        attrs.push((name.to_string(), value));
        Ok(true)
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        interp.repr(&self.func)
    }

    /// Stored in a class, it binds like the function it wraps.
    fn descriptor(&self) -> DescriptorKind {
        DescriptorKind::NonData
    }

    fn descr_get(&self, _interp: &mut Interpreter, this: &Value, instance: Option<&Value>, _owner: &Rc<Class>) -> PyResult<Value> {
        Ok(match instance {
            Some(obj) => Value::BoundMethod(Rc::new(BoundMethod { receiver: obj.clone(), func: this.clone() })),
            None => this.clone(),
        })
    }
}

fn lru_wrapper(interp: &mut Interpreter, func: Value, maxsize: Option<usize>) -> PyResult<Value> {
    let cache = Value::Native(Rc::new(LruCache {
        func: func.clone(),
        maxsize,
        entries: Rc::new(PyDict::default()),
        hits: Cell::new(0),
        misses: Cell::new(0),
        attrs: RefCell::new(Vec::new()),
    }));
    update_wrapper(interp, &cache, &func)?;
    Ok(cache)
}

fn lru_cache(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [maxsize, _typed] = args.bind("lru_cache", ["maxsize", "typed"], 0)?;
    let maxsize = maxsize.unwrap_or(Value::Int(128));
    // `@lru_cache` without parentheses receives the function itself.
    if interp.is_callable(&maxsize) {
        return lru_wrapper(interp, maxsize, Some(128));
    }
    let limit = match &maxsize {
        Value::None => None,
        Value::Int(n) => Some(usize::try_from(*n).unwrap_or(0)),
        _ => return Err(PyErr::type_error("Expected first argument to be an integer, a callable, or None")),
    };
    Ok(function("decorating_function", move |interp, args| {
        args.exactly("decorating_function", 1)?;
        lru_wrapper(interp, args.args[0].clone(), limit)
    })
    .build())
}

/// The comparison a `total_ordering` method derives from the root one the class defines.
#[derive(Clone, Copy)]
struct Derived {
    root: &'static str,
    /// Negate the root's answer.
    negate: bool,
    /// Then combine with equality: `Some(true)` ORs `self == other`, `Some(false)` ANDs `self != other`.
    equality: Option<bool>,
}

/// CPython's `_convert` table: for each root, the three methods it provides.
fn derivations(root: &'static str) -> [(&'static str, Derived); 3] {
    let d = |negate, equality| Derived { root, negate, equality };
    match root {
        "__lt__" => [("__gt__", d(true, Some(false))), ("__le__", d(false, Some(true))), ("__ge__", d(true, None))],
        "__le__" => [("__ge__", d(true, Some(true))), ("__lt__", d(false, Some(false))), ("__gt__", d(true, None))],
        "__gt__" => [("__lt__", d(true, Some(false))), ("__ge__", d(false, Some(true))), ("__le__", d(true, None))],
        _ => [("__le__", d(true, Some(true))), ("__gt__", d(false, Some(false))), ("__lt__", d(true, None))],
    }
}

fn total_ordering(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("total_ordering", 1)?;
    let cls = args.args[0].as_class().cloned().ok_or_else(|| PyErr::type_error("total_ordering() expects a class"))?;
    // The roots the class (not `object`) defines; the first of these wins, as CPython's max().
    let defined = |name: &str| cls.lookup_with_owner(name).is_some_and(|(_, owner)| &*owner.name != "object" || &*owner.module != "builtins");
    let Some(root) = ["__lt__", "__le__", "__gt__", "__ge__"].into_iter().find(|n| defined(n)) else {
        return Err(PyErr::value_error("must define at least one ordering operation: < > <= >="));
    };
    let _ = interp;
    for (name, how) in derivations(root) {
        if defined(name) {
            continue;
        }
        let method = function(name, move |interp, args| {
            args.exactly(name, 2)?;
            let (this, other) = (args.args[0].clone(), args.args[1].clone());
            let root_method = interp.getattr(&this, how.root)?;
            let answer = interp.call(&root_method, vec![other.clone()], Vec::new())?;
            if matches!(answer, Value::NotImplemented) {
                return Ok(answer);
            }
            let truth = interp.truthy(&answer)? != how.negate;
            let equality = match how.equality {
                None => return Ok(Value::Bool(truth)),
                Some(true) if truth => return Ok(Value::Bool(true)),
                Some(false) if !truth => return Ok(Value::Bool(false)),
                Some(true) => interp.compare(&this, CmpOp::Eq, &other)?,
                Some(false) => interp.compare(&this, CmpOp::NotEq, &other)?,
            };
            Ok(Value::Bool(interp.truthy(&equality)?))
        })
        .method()
        .qualname(&format!("{}.{name}", cls.qualname))
        .build();
        cls.set_attr(name, method);
    }
    Ok(args.args[0].clone())
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("functools", |_| {
        Ok(ModuleBuilder::new("functools")
            .function("wraps", wraps)
            .function("update_wrapper", |interp, args| {
                let [wrapper, wrapped, _assigned, _updated] = args.bind("update_wrapper", ["wrapper", "wrapped", "assigned", "updated"], 2)?;
                let wrapper = wrapper.unwrap_or(Value::None);
                update_wrapper(interp, &wrapper, &wrapped.unwrap_or(Value::None))?;
                Ok(wrapper)
            })
            .function("partial", partial)
            .function("reduce", reduce)
            .function("lru_cache", lru_cache)
            .function("cache", |interp, args| {
                args.exactly("cache", 1)?;
                lru_wrapper(interp, args.args[0].clone(), None)
            })
            .function("total_ordering", total_ordering)
            .build())
    });
}

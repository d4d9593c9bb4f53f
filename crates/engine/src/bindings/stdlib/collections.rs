//! `collections`: `Counter`, `defaultdict`, `OrderedDict`, `deque` and `namedtuple`, printed
//! and behaving as CPython's for what tutorials do with them. The dict-like ones hold a Python
//! dict and answer the mapping protocol and the dict's methods from it; the playground cannot
//! subclass `dict` or `tuple`, so `isinstance(c, dict)` and `isinstance(p, tuple)` are False.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use crate::script::ast::{BinOp, CmpOp};
use crate::script::value::PyDict;
use crate::script::{native_fn, iterator_from_values, CallArgs, ClassBuilder, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

use super::native::skip_receiver;

/// The dict methods a dict-like object answers from its dict.
const DICT_METHODS: [&str; 10] = ["keys", "values", "items", "get", "pop", "setdefault", "clear", "copy", "__len__", "__contains__"];

#[derive(Clone)]
enum Kind {
    Counter,
    DefaultDict(Value),
    OrderedDict,
}

/// A dict with a kind's behaviour.
struct DictLike {
    kind: RefCell<Kind>,
    dict: Rc<PyDict>,
}

fn dict_like(kind: Kind, dict: Rc<PyDict>) -> Value {
    Value::Native(Rc::new(DictLike { kind: RefCell::new(kind), dict }))
}

fn new_dict() -> Rc<PyDict> {
    Rc::new(PyDict::default())
}

/// `dict.update`'s argument: a mapping (its items) or an iterable of pairs.
fn update_from(interp: &mut Interpreter, dict: &Rc<PyDict>, source: &Value) -> PyResult<()> {
    let update = interp.getattr(&Value::Dict(dict.clone()), "update")?;
    let source = match source.downcast_native::<DictLike>() {
        Some(other) => Value::Dict(other.dict.clone()),
        None => source.clone(),
    };
    interp.call(&update, vec![source], Vec::new()).map(|_| ())
}

fn count_of(interp: &mut Interpreter, dict: &Rc<PyDict>, key: &Value) -> PyResult<Value> {
    Ok(interp.dict_get(dict, key)?.unwrap_or(Value::Int(0)))
}

/// `Counter.update` / `subtract`: counts from a mapping or from the items of an iterable.
fn add_counts(interp: &mut Interpreter, dict: &Rc<PyDict>, source: &Value, op: BinOp) -> PyResult<()> {
    let mapping = match source {
        Value::Dict(d) => Some(d.clone()),
        other => other.downcast_native::<DictLike>().map(|d| d.dict.clone()),
    };
    let pairs: Vec<(Value, Value)> = match mapping {
        Some(mapping) => interp.dict_items(&mapping),
        None => interp.collect(source)?.into_iter().map(|item| (item, Value::Int(1))).collect(),
    };
    for (key, n) in pairs {
        let current = count_of(interp, dict, &key)?;
        let updated = interp.binary_op(&current, op, &n)?;
        interp.dict_set(dict, key, updated)?;
    }
    Ok(())
}

/// The items by count, most common first (ties in insertion order, as `sorted` keeps them).
fn most_common(interp: &mut Interpreter, dict: &Rc<PyDict>) -> PyResult<Vec<(Value, Value)>> {
    let mut items = interp.dict_items(dict);
    let mut failure = None;
    // Insertion sort by count: stable, and every comparison may run Python code.
    let mut sorted: Vec<(Value, Value)> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        let mut position = sorted.len();
        while position > 0 {
            match less(interp, &sorted[position - 1].1, &item.1) {
                Ok(true) => position -= 1,
                Ok(false) => break,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        sorted.insert(position, item);
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(sorted),
    }
}

fn pairs_repr(interp: &mut Interpreter, pairs: &[(Value, Value)]) -> PyResult<String> {
    let shown = pairs.iter().map(|(k, v)| Ok(format!("{}: {}", interp.repr(k)?, interp.repr(v)?))).collect::<PyResult<Vec<_>>>()?;
    Ok(shown.join(", "))
}

fn less(interp: &mut Interpreter, a: &Value, b: &Value) -> PyResult<bool> {
    let result = interp.compare(a, CmpOp::Lt, b)?;
    interp.truthy(&result)
}

/// `Counter` arithmetic: the counts of both combined by `combine`, positive results kept.
fn counter_arithmetic(interp: &mut Interpreter, left: &Rc<PyDict>, right: &Rc<PyDict>, op: BinOp) -> PyResult<Value> {
    let result = new_dict();
    let mut keys: Vec<Value> = interp.dict_items(left).into_iter().map(|(k, _)| k).collect();
    for (key, _) in interp.dict_items(right) {
        if interp.dict_get(left, &key)?.is_none() {
            keys.push(key);
        }
    }
    for key in keys {
        let (a, b) = (count_of(interp, left, &key)?, count_of(interp, right, &key)?);
        let combined = match op {
            BinOp::Add | BinOp::Sub => interp.binary_op(&a, op, &b)?,
            // `|` keeps the larger count, `&` the smaller.
            BinOp::BitOr => if less(interp, &a, &b)? { b } else { a },
            _ => if less(interp, &b, &a)? { b } else { a },
        };
        if less(interp, &Value::Int(0), &combined)? {
            interp.dict_set(&result, key, combined)?;
        }
    }
    Ok(dict_like(Kind::Counter, result))
}

impl DictLike {
    fn method(&self, interp: &mut Interpreter, name: &str) -> PyResult<Option<Value>> {
        let dict = self.dict.clone();
        let kind = self.kind.borrow().clone();
        let method = match (kind, name) {
            (Kind::Counter, "most_common") => native_fn("most_common", move |interp, args| {
                let [n] = args.bind("most_common", ["n"], 0)?;
                let mut items = most_common(interp, &dict)?;
                if let Some(Value::Int(n)) = n {
                    items.truncate(usize::try_from(n).unwrap_or(0));
                }
                Ok(Value::list(items.into_iter().map(|(k, v)| Value::tuple(vec![k, v])).collect()))
            }),
            (Kind::Counter, "elements") => native_fn("elements", move |interp, args| {
                args.exactly("elements", 0)?;
                let mut out = Vec::new();
                for (key, n) in interp.dict_items(&dict) {
                    let n = n.as_int().unwrap_or(0).max(0) as usize;
                    interp.check_alloc(out.len() + n, 16)?;
                    out.extend(std::iter::repeat_n(key, n));
                }
                Ok(iterator_from_values(out))
            }),
            (Kind::Counter, "total") => native_fn("total", move |interp, args| {
                args.exactly("total", 0)?;
                let mut total = Value::Int(0);
                for (_, n) in interp.dict_items(&dict) {
                    total = interp.binary_op(&total, BinOp::Add, &n)?;
                }
                Ok(total)
            }),
            (Kind::Counter, "update" | "subtract") => {
                let op = if name == "update" { BinOp::Add } else { BinOp::Sub };
                let name: &'static str = if name == "update" { "update" } else { "subtract" };
                native_fn(name, move |interp, args| {
                    for source in &args.args {
                        add_counts(interp, &dict, source, op)?;
                    }
                    let keywords = Value::dict_from_str_pairs(args.kwargs.iter().map(|(k, v)| (&**k, v.clone())));
                    add_counts(interp, &dict, &keywords, op)?;
                    Ok(Value::None)
                })
            }
            (_, "update") => native_fn("update", move |interp, args| {
                let update = interp.getattr(&Value::Dict(dict.clone()), "update")?;
                interp.call(&update, args.args, args.kwargs).map(|_| Value::None)
            }),
            (Kind::DefaultDict(factory), "default_factory") => return Ok(Some(factory)),
            (Kind::OrderedDict, "move_to_end") => native_fn("move_to_end", move |interp, args| {
                let [key, last] = args.bind("move_to_end", ["key", "last"], 1)?;
                let key = key.unwrap_or(Value::None);
                let last = match last {
                    Some(v) => interp.truthy(&v)?,
                    None => true,
                };
                let Some(value) = interp.dict_remove(&dict, &key)? else { return Err(PyErr::key_error(key)) };
                let mut items = interp.dict_items(&dict);
                if last {
                    items.push((key, value));
                } else {
                    items.insert(0, (key, value));
                }
                dict.table.borrow_mut().clear();
                for (k, v) in items {
                    interp.dict_set(&dict, k, v)?;
                }
                Ok(Value::None)
            }),
            (Kind::OrderedDict | Kind::DefaultDict(_) | Kind::Counter, "popitem") => native_fn("popitem", move |interp, args| {
                let [last] = args.bind("popitem", ["last"], 0)?;
                let last = match last {
                    Some(v) => interp.truthy(&v)?,
                    None => true,
                };
                let items = interp.dict_items(&dict);
                let picked = if last { items.last() } else { items.first() };
                let Some((key, value)) = picked.cloned() else { return Err(PyErr::key_error(Value::str("dictionary is empty"))) };
                interp.dict_remove(&dict, &key)?;
                Ok(Value::tuple(vec![key, value]))
            }),
            (_, name) if DICT_METHODS.contains(&name) => return interp.getattr(&Value::Dict(self.dict.clone()), name).map(Some),
            _ => return Ok(None),
        };
        Ok(Some(method))
    }
}

impl NativeObject for DictLike {
    fn type_name(&self) -> &str {
        match &*self.kind.borrow() {
            Kind::Counter => "Counter",
            Kind::DefaultDict(_) => "defaultdict",
            Kind::OrderedDict => "OrderedDict",
        }
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<crate::script::Class>> {
        let classes = classes(interp).ok()?;
        Some(match &*self.kind.borrow() {
            Kind::Counter => classes.counter.clone(),
            Kind::DefaultDict(_) => classes.defaultdict.clone(),
            Kind::OrderedDict => classes.ordered_dict.clone(),
        })
    }

    fn get_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        self.method(interp, name)
    }

    fn len(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        interp.len(&Value::Dict(self.dict.clone())).map(Some)
    }

    fn truthy(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        interp.len(&Value::Dict(self.dict.clone())).map(|n| n > 0)
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        interp.iter(&Value::Dict(self.dict.clone())).map(Some)
    }

    fn contains(&self, interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        interp.contains(&Value::Dict(self.dict.clone()), item).map(Some)
    }

    fn get_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        if let Some(value) = interp.dict_get(&self.dict, key)? {
            return Ok(Some(value));
        }
        let kind = self.kind.borrow().clone();
        match kind {
            Kind::Counter => Ok(Some(Value::Int(0))),
            Kind::DefaultDict(factory) if !factory.is_none() => {
                let value = interp.call(&factory, Vec::new(), Vec::new())?;
                interp.dict_set(&self.dict, key.clone(), value.clone())?;
                Ok(Some(value))
            }
            _ => Err(PyErr::key_error(key.clone())),
        }
    }

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        interp.dict_set(&self.dict, key.clone(), value).map(|_| true)
    }

    fn del_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<bool> {
        let removed = interp.dict_remove(&self.dict, key)?;
        match (&*self.kind.borrow(), removed) {
            // A count that is not there is already zero.
            (Kind::Counter, _) | (_, Some(_)) => Ok(true),
            (_, None) => Err(PyErr::key_error(key.clone())),
        }
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let other = match other.downcast_native::<DictLike>() {
            Some(other) => Value::Dict(other.dict.clone()),
            None if matches!(other, Value::Dict(_)) => other.clone(),
            None => return Ok(None),
        };
        match op {
            CmpOp::Eq | CmpOp::NotEq => interp.compare(&Value::Dict(self.dict.clone()), op, &other).map(Some),
            _ => Ok(None),
        }
    }

    fn binary_op(&self, interp: &mut Interpreter, _this: &Value, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        let Some(other) = other.downcast_native::<DictLike>() else { return Ok(None) };
        let both_counters = matches!(&*self.kind.borrow(), Kind::Counter) && matches!(&*other.kind.borrow(), Kind::Counter);
        if !both_counters || !matches!(op, BinOp::Add | BinOp::Sub | BinOp::BitOr | BinOp::BitAnd) {
            return Ok(None);
        }
        let (left, right) = if reflected { (&other.dict, &self.dict) } else { (&self.dict, &other.dict) };
        counter_arithmetic(interp, left, right, op).map(Some)
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let kind = self.kind.borrow().clone();
        let dict = Value::Dict(self.dict.clone());
        let empty = interp.len(&dict)? == 0;
        Ok(match kind {
            Kind::Counter if empty => "Counter()".to_owned(),
            Kind::Counter => {
                let items = most_common(interp, &self.dict)?;
                format!("Counter({{{}}})", pairs_repr(interp, &items)?)
            }
            Kind::DefaultDict(factory) => format!("defaultdict({}, {})", interp.repr(&factory)?, interp.repr(&dict)?),
            Kind::OrderedDict if empty => "OrderedDict()".to_owned(),
            Kind::OrderedDict => {
                let pairs = interp.dict_items(&self.dict).into_iter().map(|(k, v)| Value::tuple(vec![k, v])).collect();
                format!("OrderedDict({})", interp.repr(&Value::list(pairs))?)
            }
        })
    }
}

/// `collections.deque`: a list with cheap appends and pops at both ends, optionally bounded.
struct Deque {
    items: RefCell<VecDeque<Value>>,
    maxlen: Option<usize>,
}

impl Deque {
    fn push(&self, value: Value, left: bool) {
        let mut items = self.items.borrow_mut();
        if self.maxlen == Some(0) {
            return;
        }
        if left {
            items.push_front(value);
        } else {
            items.push_back(value);
        }
        if self.maxlen.is_some_and(|max| items.len() > max) {
            if left {
                items.pop_back();
            } else {
                items.pop_front();
            }
        }
    }

    fn index(&self, interp: &mut Interpreter, key: &Value) -> PyResult<usize> {
        let len = self.items.borrow().len() as i64;
        let Value::Int(i) = key else {
            let _ = interp;
            return Err(PyErr::type_error(format!("sequence index must be integer, not '{}'", key.type_name())));
        };
        let i = if *i < 0 { i + len } else { *i };
        usize::try_from(i).ok().filter(|i| (*i as i64) < len).ok_or_else(|| PyErr::index_error("deque index out of range"))
    }
}

impl NativeObject for Deque {
    fn type_name(&self) -> &str {
        "deque"
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<crate::script::Class>> {
        classes(interp).ok().map(|c| c.deque.clone())
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        let Some(deque) = this.downcast_native::<Deque>() else { return Ok(None) };
        let method = match name {
            "maxlen" => return Ok(Some(self.maxlen.map_or(Value::None, |n| Value::Int(n as i64)))),
            "append" | "appendleft" => {
                let left = name == "appendleft";
                native_fn(if left { "appendleft" } else { "append" }, move |_, args| {
                    args.exactly(if left { "appendleft" } else { "append" }, 1)?;
                    deque.push(args.args[0].clone(), left);
                    Ok(Value::None)
                })
            }
            "extend" | "extendleft" => {
                let left = name == "extendleft";
                native_fn(if left { "extendleft" } else { "extend" }, move |interp, args| {
                    args.exactly(if left { "extendleft" } else { "extend" }, 1)?;
                    for item in interp.collect(&args.args[0])? {
                        deque.push(item, left);
                    }
                    Ok(Value::None)
                })
            }
            "pop" | "popleft" => {
                let left = name == "popleft";
                native_fn(if left { "popleft" } else { "pop" }, move |_, args| {
                    args.exactly(if left { "popleft" } else { "pop" }, 0)?;
                    let mut items = deque.items.borrow_mut();
                    let popped = if left { items.pop_front() } else { items.pop_back() };
                    popped.ok_or_else(|| PyErr::index_error("pop from an empty deque"))
                })
            }
            "rotate" => native_fn("rotate", move |_, args| {
                let [n] = args.bind("rotate", ["n"], 0)?;
                let n = n.map_or(Ok(1), |n| n.as_int().ok_or_else(|| PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", n.type_name()))))?;
                let mut items = deque.items.borrow_mut();
                let len = items.len() as i64;
                if len > 0 {
                    items.rotate_right(n.rem_euclid(len) as usize);
                }
                Ok(Value::None)
            }),
            "clear" => native_fn("clear", move |_, args| {
                args.exactly("clear", 0)?;
                deque.items.borrow_mut().clear();
                Ok(Value::None)
            }),
            _ => return Ok(None),
        };
        Ok(Some(method))
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.items.borrow().len()))
    }

    fn truthy(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<bool> {
        Ok(!self.items.borrow().is_empty())
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(iterator_from_values(self.items.borrow().iter().cloned().collect())))
    }

    fn contains(&self, interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        let items: Vec<Value> = self.items.borrow().iter().cloned().collect();
        for candidate in &items {
            if interp.eq(candidate, item)? {
                return Ok(Some(true));
            }
        }
        Ok(Some(false))
    }

    fn get_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        let i = self.index(interp, key)?;
        Ok(self.items.borrow().get(i).cloned())
    }

    fn set_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value, value: Value) -> PyResult<bool> {
        let i = self.index(interp, key)?;
        self.items.borrow_mut()[i] = value;
        Ok(true)
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let Some(other) = other.downcast_native::<Deque>() else { return Ok(None) };
        let mine = Value::list(self.items.borrow().iter().cloned().collect());
        let theirs = Value::list(other.items.borrow().iter().cloned().collect());
        interp.compare(&mine, op, &theirs).map(Some)
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let items = Value::list(self.items.borrow().iter().cloned().collect());
        let items = interp.repr(&items)?;
        Ok(match self.maxlen {
            Some(max) => format!("deque({items}, maxlen={max})"),
            None => format!("deque({items})"),
        })
    }
}

/// The module's classes (`isinstance(x, Counter)`, `type(x)`), built once.
#[derive(Clone)]
struct Classes {
    counter: Rc<crate::script::Class>,
    defaultdict: Rc<crate::script::Class>,
    ordered_dict: Rc<crate::script::Class>,
    deque: Rc<crate::script::Class>,
}

/// A class whose calls make a host object (`Counter(...)` returns a `DictLike`).
fn maker(interp: &Interpreter, name: &str, make: fn(&mut Interpreter, CallArgs) -> PyResult<Value>) -> PyResult<Rc<crate::script::Class>> {
    ClassBuilder::new(name, "collections")
        .static_method("__new__", move |interp, mut args| {
            skip_receiver(&mut args);
            make(interp, args)
        })
        .build(interp)
}

fn classes(interp: &mut Interpreter) -> PyResult<Classes> {
    super::native::cached(interp, |interp| {
        Ok(Classes {
            counter: maker(interp, "Counter", |interp, args| {
                args.count_between("Counter", 0, 1)?;
                let dict = new_dict();
                if let Some(source) = args.args.first() {
                    add_counts(interp, &dict, source, BinOp::Add)?;
                }
                let keywords = Value::dict_from_str_pairs(args.kwargs.iter().map(|(k, v)| (&**k, v.clone())));
                add_counts(interp, &dict, &keywords, BinOp::Add)?;
                Ok(dict_like(Kind::Counter, dict))
            })?,
            defaultdict: maker(interp, "defaultdict", |interp, mut args| {
                let factory = if args.args.is_empty() { Value::None } else { args.args.remove(0) };
                if !factory.is_none() && !interp.is_callable(&factory) {
                    return Err(PyErr::type_error("first argument must be callable or None"));
                }
                let dict = new_dict();
                let update = interp.getattr(&Value::Dict(dict.clone()), "update")?;
                interp.call(&update, args.args, args.kwargs)?;
                Ok(dict_like(Kind::DefaultDict(factory), dict))
            })?,
            ordered_dict: maker(interp, "OrderedDict", |interp, args| {
                args.count_between("OrderedDict", 0, 1)?;
                let dict = new_dict();
                if let Some(source) = args.args.first() {
                    update_from(interp, &dict, source)?;
                }
                let update = interp.getattr(&Value::Dict(dict.clone()), "update")?;
                interp.call(&update, Vec::new(), args.kwargs)?;
                Ok(dict_like(Kind::OrderedDict, dict))
            })?,
            deque: maker(interp, "deque", |interp, args| {
                let [iterable, maxlen] = args.bind("deque", ["iterable", "maxlen"], 0)?;
                let maxlen = match maxlen {
                    None | Some(Value::None) => None,
                    Some(Value::Int(n)) if n >= 0 => Some(n as usize),
                    Some(Value::Int(_)) => return Err(PyErr::value_error("maxlen must be non-negative")),
                    Some(other) => return Err(PyErr::type_error(format!("an integer is required, not '{}'", other.type_name()))),
                };
                let deque = Deque { items: RefCell::new(VecDeque::new()), maxlen };
                if let Some(iterable) = iterable {
                    for item in interp.collect(&iterable)? {
                        deque.push(item, false);
                    }
                }
                Ok(Value::Native(Rc::new(deque)))
            })?,
        })
    })
}

/// A namedtuple instance's values, in field order.
struct TupleState(Value);

fn tuple_of(v: &Value) -> Option<Value> {
    v.as_instance()?.native_state_as::<TupleState>().map(|s| s.0.clone())
}

fn this_tuple(args: &CallArgs) -> PyResult<Value> {
    args.args.first().and_then(tuple_of).ok_or_else(|| PyErr::type_error("a namedtuple method needs its instance"))
}

/// The field names of `namedtuple(typename, field_names)`, checked as CPython checks them.
fn field_names(interp: &mut Interpreter, typename: &str, names: &Value) -> PyResult<Vec<String>> {
    let names: Vec<String> = match names.as_str() {
        Some(text) => text.replace(',', " ").split_whitespace().map(str::to_owned).collect(),
        None => interp.collect(names)?.iter().map(|v| interp.str(v)).collect::<PyResult<_>>()?,
    };
    for name in std::iter::once(typename).chain(names.iter().map(String::as_str)) {
        let mut chars = name.chars();
        let identifier = chars.next().is_some_and(|c| c == '_' || c.is_alphabetic()) && chars.all(|c| c == '_' || c.is_alphanumeric());
        if !identifier {
            return Err(PyErr::value_error(format!("Type names and field names must be valid identifiers: {}", crate::script::repr_str(name))));
        }
        if crate::script::lexer::KEYWORDS.contains(&name) {
            return Err(PyErr::value_error(format!("Type names and field names cannot be a keyword: {}", crate::script::repr_str(name))));
        }
    }
    for (i, name) in names.iter().enumerate() {
        if name.starts_with('_') {
            return Err(PyErr::value_error(format!("Field names cannot start with an underscore: {}", crate::script::repr_str(name))));
        }
        if names[..i].contains(name) {
            return Err(PyErr::value_error(format!("Encountered duplicate field name: {}", crate::script::repr_str(name))));
        }
    }
    Ok(names)
}

/// An instance of the namedtuple class `cls` holding `values`.
fn make_instance(interp: &Interpreter, cls: &Rc<crate::script::Class>, fields: &[String], values: Vec<Value>) -> Value {
    let instance = interp.new_instance(cls);
    for (field, value) in fields.iter().zip(&values) {
        instance.set_own(field, value.clone());
    }
    instance.set_native_state(Rc::new(TupleState(Value::tuple(values))));
    Value::Instance(instance)
}

fn namedtuple(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [typename, names, _rename, defaults, _module] = args.bind("namedtuple", ["typename", "field_names", "rename", "defaults", "module"], 2)?;
    let typename = interp.str(&typename.unwrap_or(Value::None))?;
    let fields = Rc::new(field_names(interp, &typename, &names.unwrap_or(Value::None))?);
    let defaults = match defaults.filter(|d| !d.is_none()) {
        Some(d) => interp.collect(&d)?,
        None => Vec::new(),
    };
    if defaults.len() > fields.len() {
        return Err(PyErr::type_error("Got more default values than field names"));
    }
    let defaults = Rc::new(defaults);
    let (new_fields, repr_fields, asdict_fields, replace_fields, make_fields) = (fields.clone(), fields.clone(), fields.clone(), fields.clone(), fields.clone());
    let qualified = format!("{typename}.__new__");
    let class = ClassBuilder::new(&typename, "__main__")
        .static_method("__new__", move |interp, mut args| {
            let Some(Value::Class(cls)) = args.args.first().cloned() else { return Err(PyErr::type_error("__new__ needs its class")) };
            skip_receiver(&mut args);
            let fields = &new_fields;
            let mut values: Vec<Option<Value>> = vec![None; fields.len()];
            if args.args.len() > fields.len() {
                return Err(PyErr::type_error(format!("{qualified}() takes {} positional arguments but {} were given", fields.len() + 1, args.args.len() + 1)));
            }
            for (slot, value) in values.iter_mut().zip(args.args) {
                *slot = Some(value);
            }
            for (name, value) in args.kwargs {
                match fields.iter().position(|f| **f == *name) {
                    Some(i) if values[i].is_some() => return Err(PyErr::type_error(format!("{qualified}() got multiple values for argument '{name}'"))),
                    Some(i) => values[i] = Some(value),
                    None => return Err(PyErr::type_error(format!("{qualified}() got an unexpected keyword argument '{name}'"))),
                }
            }
            let first_default = fields.len() - defaults.len();
            for (i, slot) in values.iter_mut().enumerate().skip(first_default) {
                if slot.is_none() {
                    *slot = Some(defaults[i - first_default].clone());
                }
            }
            let missing: Vec<String> = fields.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(f, _)| format!("'{f}'")).collect();
            if !missing.is_empty() {
                let listed = match missing.len() {
                    1 => missing[0].clone(),
                    n => format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1]),
                };
                let plural = if missing.len() == 1 { "" } else { "s" };
                return Err(PyErr::type_error(format!("{qualified}() missing {} required positional argument{plural}: {listed}", missing.len())));
            }
            Ok(make_instance(interp, &cls, fields, values.into_iter().flatten().collect()))
        })
        .method("__init__", |_, _| Ok(Value::None))
        .method("__repr__", move |interp, args| {
            let values = interp.collect(&this_tuple(&args)?)?;
            let class_name = args.args[0].type_name().to_owned();
            let shown = repr_fields.iter().zip(&values).map(|(f, v)| Ok(format!("{f}={}", interp.repr(v)?))).collect::<PyResult<Vec<_>>>()?;
            Ok(Value::string(format!("{class_name}({})", shown.join(", "))))
        })
        .method("__iter__", |interp, args| interp.iter(&this_tuple(&args)?))
        .method("__len__", |interp, args| interp.len(&this_tuple(&args)?).map(|n| Value::Int(n as i64)))
        .method("__getitem__", |interp, args| interp.getitem(&this_tuple(&args)?, args.args.get(1).unwrap_or(&Value::None)))
        .method("__hash__", |interp, args| interp.hash(&this_tuple(&args)?).map(Value::Int))
        .method("__eq__", |interp, args| {
            let mine = this_tuple(&args)?;
            let other = args.args.get(1).cloned().unwrap_or(Value::None);
            match tuple_of(&other).or_else(|| matches!(other, Value::Tuple(_)).then(|| other.clone())) {
                Some(theirs) => interp.compare(&mine, CmpOp::Eq, &theirs),
                None => Ok(Value::NotImplemented),
            }
        })
        .method("_asdict", move |interp, args| {
            let values = interp.collect(&this_tuple(&args)?)?;
            Ok(Value::dict_from_str_pairs(asdict_fields.iter().map(String::as_str).zip(values)))
        })
        .method("_replace", move |interp, args| {
            let Some(Value::Instance(instance)) = args.args.first() else { return Err(PyErr::type_error("_replace needs its instance")) };
            let mut values = interp.collect(&this_tuple(&args)?)?;
            let mut unknown = Vec::new();
            for (name, value) in &args.kwargs {
                match replace_fields.iter().position(|f| **f == **name) {
                    Some(i) => values[i] = value.clone(),
                    None => unknown.push(Value::str(name)),
                }
            }
            if !unknown.is_empty() {
                return Err(PyErr::value_error(format!("Got unexpected field names: {}", interp.repr(&Value::list(unknown))?)));
            }
            Ok(make_instance(interp, &instance.class, &replace_fields, values))
        })
        .class_method("_make", move |interp, args| {
            let Some(Value::Class(cls)) = args.args.first().cloned() else { return Err(PyErr::type_error("_make needs its class")) };
            let values = interp.collect(args.args.get(1).unwrap_or(&Value::None))?;
            if values.len() != make_fields.len() {
                return Err(PyErr::type_error(format!("Expected {} arguments, got {}", make_fields.len(), values.len())));
            }
            Ok(make_instance(interp, &cls, &make_fields, values))
        })
        .attr("_fields", Value::tuple(fields.iter().map(|f| Value::str(f)).collect()))
        .build(interp)?;
    Ok(Value::Class(class))
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("collections", |interp| {
        let classes = classes(interp)?;
        Ok(ModuleBuilder::new("collections")
            .class(&classes.counter)
            .class(&classes.defaultdict)
            .class(&classes.ordered_dict)
            .class(&classes.deque)
            .function("namedtuple", namedtuple)
            .build())
    });
}

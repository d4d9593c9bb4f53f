//! `itertools`: the iterators tutorials use. The endless ones (`count`, `cycle`, `repeat`)
//! and those over other iterators (`chain`, `islice`, `accumulate`, `zip_longest`,
//! `groupby`) are lazy, so `islice(count(), 5)` works and an endless loop ends at the
//! instruction budget; the combinatoric ones (`product`, `permutations`, `combinations`)
//! are computed at once, within the allocation limit.
//!
//! `groupby` reads each group when it reaches it, so a group kept past the next one still
//! holds its items (CPython's would be empty by then).

use std::cell::RefCell;
use std::rc::Rc;

use crate::script::ast::BinOp;
use crate::script::{iterator_from_values, CallArgs, ClassBuilder, Interpreter, ModuleBuilder, NativeObject, PyErr, PyResult, Value};

use super::native::skip_receiver;

type Step = Box<dyn FnMut(&mut Interpreter) -> PyResult<Option<Value>>>;

/// A lazy iterator: each `next()` runs `step`.
struct Lazy {
    name: &'static str,
    step: RefCell<Step>,
}

fn lazy(name: &'static str, step: impl FnMut(&mut Interpreter) -> PyResult<Option<Value>> + 'static) -> Value {
    Value::Native(Rc::new(Lazy { name, step: RefCell::new(Box::new(step)) }))
}

impl NativeObject for Lazy {
    fn type_name(&self) -> &str {
        self.name
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(this.clone()))
    }

    fn is_iterator(&self) -> bool {
        true
    }

    fn next(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        // A step that asks this iterator for its own next item (through a key or func).
        let mut step = self.step.try_borrow_mut().map_err(|_| PyErr::value_error("generator already executing"))?;
        interp.tick()?;
        step(interp)
    }
}

fn number(v: &Value) -> PyResult<Value> {
    match v {
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => Ok(v.clone()),
        _ => Err(PyErr::type_error("a number is required")),
    }
}

fn count(_: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [start, step] = args.bind("count", ["start", "step"], 0)?;
    let mut next = number(&start.unwrap_or(Value::Int(0)))?;
    let step = number(&step.unwrap_or(Value::Int(1)))?;
    Ok(lazy("count", move |interp| {
        let current = next.clone();
        next = interp.binary_op(&current, BinOp::Add, &step)?;
        Ok(Some(current))
    }))
}

fn cycle(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("cycle", 1)?;
    let source = interp.iter(&args.args[0])?;
    let mut saved = Vec::new();
    let mut exhausted = false;
    let mut index = 0;
    Ok(lazy("cycle", move |interp| {
        if !exhausted {
            match interp.next(&source)? {
                Some(item) => {
                    interp.check_alloc(saved.len() + 1, 16)?;
                    saved.push(item.clone());
                    return Ok(Some(item));
                }
                None => exhausted = true,
            }
        }
        if saved.is_empty() {
            return Ok(None);
        }
        let item = saved[index % saved.len()].clone();
        index += 1;
        Ok(Some(item))
    }))
}

fn repeat(_: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [object, times] = args.bind("repeat", ["object", "times"], 1)?;
    let object = object.unwrap_or(Value::None);
    let mut remaining = match times {
        None => None,
        Some(Value::Int(n)) => Some(n.max(0)),
        Some(other) => return Err(PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name()))),
    };
    Ok(lazy("repeat", move |_| match &mut remaining {
        None => Ok(Some(object.clone())),
        Some(0) => Ok(None),
        Some(n) => {
            *n -= 1;
            Ok(Some(object.clone()))
        }
    }))
}

/// Items of each iterable of `sources` in turn (`sources` itself is iterated lazily).
fn chained(sources: Value) -> Value {
    let mut current: Option<Value> = None;
    lazy("chain", move |interp| loop {
        if let Some(it) = &current {
            if let Some(item) = interp.next(it)? {
                return Ok(Some(item));
            }
        }
        match interp.next(&sources)? {
            Some(iterable) => current = Some(interp.iter(&iterable)?),
            None => return Ok(None),
        }
    })
}

fn chain_class(interp: &mut Interpreter) -> PyResult<Value> {
    let class = ClassBuilder::new("chain", "itertools")
        .static_method("__new__", |interp, mut args| {
            skip_receiver(&mut args);
            args.no_kwargs("chain")?;
            let sources = interp.iter(&Value::tuple(args.args))?;
            Ok(chained(sources))
        })
        .class_method("from_iterable", |interp, args| {
            if args.args.len() != 2 {
                return Err(PyErr::type_error(format!("chain.from_iterable() takes exactly one argument ({} given)", args.args.len().saturating_sub(1))));
            }
            let sources = interp.iter(&args.args[1])?;
            Ok(chained(sources))
        })
        .build(interp)?;
    Ok(Value::Class(class))
}

/// An `islice` bound: None or an int in 0..=sys.maxsize.
fn index(v: Option<Value>, message: &str) -> PyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(n)) if n >= 0 => Ok(Some(n)),
        Some(_) => Err(PyErr::value_error(message)),
    }
}

fn islice(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.no_kwargs("islice")?;
    if !(2..=4).contains(&args.args.len()) {
        return Err(PyErr::type_error(format!("islice expected {} arguments, got {}", if args.args.len() < 2 { "at least 2" } else { "at most 4" }, args.args.len())));
    }
    let source = interp.iter(&args.args[0])?;
    let (start, stop, step) = if args.args.len() == 2 {
        (0, index(args.args.get(1).cloned(), "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.")?, 1)
    } else {
        let indices = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
        let start = index(args.args.get(1).cloned(), indices)?.unwrap_or(0);
        let stop = index(args.args.get(2).cloned(), indices)?;
        let step = match args.args.get(3) {
            None | Some(Value::None) => 1,
            Some(Value::Int(n)) if *n > 0 => *n,
            Some(_) => return Err(PyErr::value_error("Step for islice() must be a positive integer or None.")),
        };
        (start, stop, step)
    };
    let mut position = 0_i64;
    let mut next_wanted = start;
    Ok(lazy("islice", move |interp| {
        if stop.is_some_and(|stop| next_wanted >= stop) {
            return Ok(None);
        }
        loop {
            let Some(item) = interp.next(&source)? else { return Ok(None) };
            position += 1;
            if position - 1 == next_wanted {
                next_wanted += step;
                return Ok(Some(item));
            }
        }
    }))
}

fn accumulate(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [iterable, func, initial] = args.bind("accumulate", ["iterable", "func", "initial"], 1)?;
    let source = interp.iter(&iterable.unwrap_or(Value::None))?;
    let func = func.filter(|f| !f.is_none());
    let mut total: Option<Value> = None;
    let mut pending_initial = initial.filter(|v| !v.is_none());
    Ok(lazy("accumulate", move |interp| {
        if let Some(initial) = pending_initial.take() {
            total = Some(initial.clone());
            return Ok(Some(initial));
        }
        let Some(item) = interp.next(&source)? else { return Ok(None) };
        let next = match (&total, &func) {
            (None, _) => item,
            (Some(total), None) => interp.binary_op(total, BinOp::Add, &item)?,
            (Some(total), Some(func)) => interp.call(func, vec![total.clone(), item], Vec::new())?,
        };
        total = Some(next.clone());
        Ok(Some(next))
    }))
}

fn zip_longest(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let fill = args.take_kwarg("fillvalue").unwrap_or(Value::None);
    if let Some((name, _)) = args.kwargs.first() {
        return Err(PyErr::type_error(format!("zip_longest() got an unexpected keyword argument '{name}'")));
    }
    let mut sources: Vec<Option<Value>> = args.args.iter().map(|a| interp.iter(a).map(Some)).collect::<PyResult<_>>()?;
    Ok(lazy("zip_longest", move |interp| {
        if sources.iter().all(Option::is_none) {
            return Ok(None);
        }
        let mut row = Vec::with_capacity(sources.len());
        for source in &mut sources {
            let item = match source {
                Some(it) => interp.next(it)?,
                None => None,
            };
            if item.is_none() {
                *source = None;
            }
            row.push(item.unwrap_or_else(|| fill.clone()));
        }
        Ok(if sources.iter().all(Option::is_none) { None } else { Some(Value::tuple(row)) })
    }))
}

fn groupby(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let [iterable, key] = args.bind("groupby", ["iterable", "key"], 1)?;
    let source = interp.iter(&iterable.unwrap_or(Value::None))?;
    let key = key.filter(|k| !k.is_none());
    // The first item of the next group, with its key.
    let mut lookahead: Option<(Value, Value)> = None;
    let mut started = false;
    Ok(lazy("groupby", move |interp| {
        let key_of = |interp: &mut Interpreter, item: &Value| match &key {
            Some(key) => interp.call(key, vec![item.clone()], Vec::new()),
            None => Ok(item.clone()),
        };
        if !started {
            started = true;
            if let Some(item) = interp.next(&source)? {
                lookahead = Some((key_of(interp, &item)?, item));
            }
        }
        let Some((group_key, first)) = lookahead.take() else { return Ok(None) };
        let mut group = vec![first];
        while let Some(item) = interp.next(&source)? {
            let item_key = key_of(interp, &item)?;
            if interp.eq(&item_key, &group_key)? {
                interp.check_alloc(group.len() + 1, 16)?;
                group.push(item);
            } else {
                lookahead = Some((item_key, item));
                break;
            }
        }
        Ok(Some(Value::tuple(vec![group_key, iterator_from_values(group)])))
    }))
}

/// The pools of a combinatoric function's iterables.
fn pools(interp: &mut Interpreter, iterables: &[Value]) -> PyResult<Vec<Vec<Value>>> {
    iterables.iter().map(|it| interp.collect(it)).collect()
}

/// The results of a combinatoric function, each a tuple of `width` items, if they fit.
fn results(interp: &mut Interpreter, count: Option<usize>, width: usize) -> PyResult<Vec<Value>> {
    let count = count.ok_or_else(PyErr::memory_error)?;
    interp.check_alloc(count, 16 * (width + 1))?;
    Ok(Vec::with_capacity(count))
}

fn product(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let repeat = match args.take_kwarg("repeat") {
        None => 1,
        Some(Value::Int(n)) if n >= 0 => n as usize,
        Some(Value::Int(_)) => return Err(PyErr::value_error("repeat argument cannot be negative")),
        Some(other) => return Err(PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name()))),
    };
    if let Some((name, _)) = args.kwargs.first() {
        return Err(PyErr::type_error(format!("product() got an unexpected keyword argument '{name}'")));
    }
    let once = pools(interp, &args.args)?;
    let pools: Vec<Vec<Value>> = (0..repeat).flat_map(|_| once.iter().cloned()).collect();
    let count = pools.iter().try_fold(1usize, |n, pool| n.checked_mul(pool.len()));
    let mut out = results(interp, count, pools.len())?;
    let mut indices = vec![0usize; pools.len()];
    if pools.iter().any(Vec::is_empty) {
        return Ok(iterator_from_values(out));
    }
    loop {
        out.push(Value::tuple(indices.iter().zip(&pools).map(|(i, pool)| pool[*i].clone()).collect()));
        // The rightmost index advances fastest, as in nested for-loops.
        let Some(position) = (0..pools.len()).rev().find(|p| indices[*p] + 1 < pools[*p].len()) else { break };
        indices[position] += 1;
        for later in &mut indices[position + 1..] {
            *later = 0;
        }
    }
    Ok(iterator_from_values(out))
}

/// The pool and the width `r` of `permutations` / `combinations` (`None` when `r` exceeds the
/// pool, which gives nothing). `r` is optional for `permutations` (the pool's length).
fn pool_and_width(interp: &mut Interpreter, args: CallArgs, name: &str, required: usize) -> PyResult<Option<(Vec<Value>, usize)>> {
    let [iterable, r] = args.bind(name, ["iterable", "r"], required)?;
    let pool = interp.collect(&iterable.unwrap_or(Value::None))?;
    let r = match r {
        None | Some(Value::None) => pool.len(),
        Some(Value::Int(n)) if n >= 0 => n as usize,
        Some(Value::Int(_)) => return Err(PyErr::value_error("r must be non-negative")),
        Some(other) => return Err(PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name()))),
    };
    Ok((r <= pool.len()).then_some((pool, r)))
}

fn falling(n: usize, r: usize) -> Option<usize> {
    (n - r + 1..=n).try_fold(1usize, |acc, k| acc.checked_mul(k))
}

fn permutations(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let Some((pool, r)) = pool_and_width(interp, args, "permutations", 1)? else { return Ok(iterator_from_values(Vec::new())) };
    let n = pool.len();
    let mut out = results(interp, falling(n, r), r)?;
    // CPython's algorithm (the documentation's equivalent code), in lexicographic order.
    let mut indices: Vec<usize> = (0..n).collect();
    let mut cycles: Vec<usize> = (n - r + 1..=n).rev().collect();
    out.push(Value::tuple(indices[..r].iter().map(|i| pool[*i].clone()).collect()));
    if n == 0 {
        return Ok(iterator_from_values(out));
    }
    'outer: loop {
        for i in (0..r).rev() {
            cycles[i] -= 1;
            if cycles[i] == 0 {
                let moved = indices.remove(i);
                indices.push(moved);
                cycles[i] = n - i;
            } else {
                let j = cycles[i];
                indices.swap(i, n - j);
                out.push(Value::tuple(indices[..r].iter().map(|i| pool[*i].clone()).collect()));
                continue 'outer;
            }
        }
        break;
    }
    Ok(iterator_from_values(out))
}

fn combinations(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let Some((pool, r)) = pool_and_width(interp, args, "combinations", 2)? else { return Ok(iterator_from_values(Vec::new())) };
    let n = pool.len();
    let count = falling(n, r).map(|f| f / (1..=r).product::<usize>().max(1));
    let mut out = results(interp, count, r)?;
    let mut indices: Vec<usize> = (0..r).collect();
    loop {
        out.push(Value::tuple(indices.iter().map(|i| pool[*i].clone()).collect()));
        let Some(i) = (0..r).rev().find(|i| indices[*i] != i + n - r) else { break };
        indices[i] += 1;
        for j in i + 1..r {
            indices[j] = indices[j - 1] + 1;
        }
    }
    Ok(iterator_from_values(out))
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("itertools", |interp| {
        Ok(ModuleBuilder::new("itertools")
            .value("chain", chain_class(interp)?)
            .function("count", count)
            .function("cycle", cycle)
            .function("repeat", repeat)
            .function("islice", islice)
            .function("accumulate", accumulate)
            .function("zip_longest", zip_longest)
            .function("groupby", groupby)
            .function("product", product)
            .function("permutations", permutations)
            .function("combinations", combinations)
            .build())
    });
}

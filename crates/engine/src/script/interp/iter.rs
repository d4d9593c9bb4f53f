//! Iteration: `iter()`, `next()`, collecting an iterable, and the builtin
//! iterator kinds (sequences, ranges, dicts, sets, enumerate, zip, map...).

use std::cell::RefCell;
use std::rc::Rc;

use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::value::{DictViewKind, IterState, PyIterator, Value};
use super::Interpreter;

pub(crate) fn new_iterator(state: IterState, type_name: &'static str) -> Value {
    Value::Iterator(Rc::new(PyIterator { state: RefCell::new(state), type_name }))
}

/// An iterator over precomputed values (for hosts returning sequences lazily).
pub fn iterator_from_values(items: Vec<Value>) -> Value {
    new_iterator(IterState::Values { items, index: 0 }, "iterator")
}

impl Interpreter {
    /// True if `iter(v)` would succeed (without calling it).
    pub(crate) fn is_iterable(&mut self, v: &Value) -> bool {
        match v {
            Value::Str(_) | Value::Bytes(_) | Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Set(_) | Value::Range(_) | Value::Iterator(_) | Value::DictView(_) => true,
            Value::Instance(inst) => inst.class.lookup("__iter__").is_some() || inst.class.lookup("__getitem__").is_some(),
            Value::Native(n) => n.is_iterable(),
            _ => false,
        }
    }

    /// `iter(v)`.
    pub fn iter(&mut self, v: &Value) -> PyResult<Value> {
        Ok(match v {
            Value::List(_) => new_iterator(IterState::Seq { seq: v.clone(), index: 0 }, "list_iterator"),
            Value::Tuple(_) => new_iterator(IterState::Seq { seq: v.clone(), index: 0 }, "tuple_iterator"),
            Value::Str(_) => new_iterator(IterState::Seq { seq: v.clone(), index: 0 }, "str_ascii_iterator"),
            Value::Bytes(_) => new_iterator(IterState::Seq { seq: v.clone(), index: 0 }, "bytes_iterator"),
            Value::Range(r) => new_iterator(IterState::Range { next: r.start, remaining: r.len(), step: r.step }, "range_iterator"),
            Value::Dict(d) => {
                let len = d.table.borrow().len();
                new_iterator(IterState::Dict { dict: d.clone(), pos: 0, len_at_start: len, kind: DictViewKind::Keys }, "dict_keyiterator")
            }
            Value::DictView(view) => {
                let len = view.dict.table.borrow().len();
                let name = match view.kind {
                    DictViewKind::Keys => "dict_keyiterator",
                    DictViewKind::Values => "dict_valueiterator",
                    DictViewKind::Items => "dict_itemiterator",
                };
                new_iterator(IterState::Dict { dict: view.dict.clone(), pos: 0, len_at_start: len, kind: view.kind }, name)
            }
            Value::Set(s) => {
                let len = s.table.borrow().len();
                new_iterator(IterState::Set { set: s.clone(), pos: 0, len_at_start: len }, "set_iterator")
            }
            Value::Iterator(_) => v.clone(),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(it) = self.call_special(v, &cls, "__iter__", Vec::new())? {
                    if !self.is_iterator(&it) {
                        return Err(PyErr::type_error(format!("iter() returned non-iterator of type '{}'", it.type_name())));
                    }
                    return Ok(it);
                }
                if cls.lookup("__getitem__").is_some() {
                    return Ok(new_iterator(IterState::GetItem { obj: v.clone(), index: 0 }, "iterator"));
                }
                return Err(not_iterable(v));
            }
            Value::Native(n) => {
                let n = n.clone();
                match n.iter(self, v)? {
                    Some(it) => it,
                    None => return Err(not_iterable(v)),
                }
            }
            _ => return Err(not_iterable(v)),
        })
    }

    fn is_iterator(&self, v: &Value) -> bool {
        match v {
            Value::Iterator(_) => true,
            Value::Instance(inst) => inst.class.lookup("__next__").is_some(),
            Value::Native(n) => n.is_iterator(),
            _ => false,
        }
    }

    /// `next(it)`: `None` when exhausted.
    pub fn next(&mut self, it: &Value) -> PyResult<Option<Value>> {
        match it {
            Value::Iterator(iter) => self.next_builtin(iter),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.call_special(it, &cls, "__next__", Vec::new()) {
                    Ok(Some(v)) => Ok(Some(v)),
                    Ok(None) => Err(PyErr::type_error(format!("'{}' object is not an iterator", cls.name))),
                    Err(e) if e.is(ExcKind::StopIteration) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Value::Native(n) => {
                let n = n.clone();
                n.next(self, it)
            }
            other => Err(PyErr::type_error(format!("'{}' object is not an iterator", other.type_name()))),
        }
    }

    fn next_builtin(&mut self, iter: &Rc<PyIterator>) -> PyResult<Option<Value>> {
        // Composite iterators call back into Python: take what they need out of
        // the state first and never hold the borrow across a call.
        enum Step {
            Done(Option<Value>),
            Enumerate(Value, i64),
            Zip(Vec<Value>),
            Map(Value, Vec<Value>),
            Filter(Value, Value),
            GetItem(Value, i64),
            Generator(Box<super::GeneratorState>),
        }
        let step = {
            let mut state = iter.state.borrow_mut();
            match &mut *state {
                IterState::Seq { seq, index } => {
                    let item = match seq {
                        Value::List(l) => l.items.borrow().get(*index).cloned(),
                        Value::Tuple(t) => t.items.get(*index).cloned(),
                        Value::Str(s) => s.char_at(*index).map(|c| Value::string(c.to_string())),
                        Value::Bytes(b) => b.0.get(*index).map(|&x| Value::Int(x as i64)),
                        _ => None,
                    };
                    *index += 1;
                    if item.is_none() {
                        *state = IterState::Exhausted;
                    }
                    Step::Done(item)
                }
                IterState::Range { next, remaining, step } => {
                    if *remaining == 0 {
                        Step::Done(None)
                    } else {
                        let v = *next;
                        *next = next.wrapping_add(*step);
                        *remaining -= 1;
                        Step::Done(Some(Value::Int(v)))
                    }
                }
                IterState::Dict { dict, pos, len_at_start, kind } => {
                    let t = dict.table.borrow();
                    if t.len() != *len_at_start {
                        return Err(PyErr::runtime_error("dictionary changed size during iteration"));
                    }
                    match t.next_from(*pos) {
                        Some((i, e)) => {
                            *pos = i + 1;
                            Step::Done(Some(match kind {
                                DictViewKind::Keys => e.key.clone(),
                                DictViewKind::Values => e.value.clone(),
                                DictViewKind::Items => Value::tuple(vec![e.key.clone(), e.value.clone()]),
                            }))
                        }
                        None => Step::Done(None),
                    }
                }
                IterState::Set { set, pos, len_at_start } => {
                    let t = set.table.borrow();
                    if t.len() != *len_at_start {
                        return Err(PyErr::runtime_error("Set changed size during iteration"));
                    }
                    match t.next_from(*pos) {
                        Some((i, k)) => {
                            *pos = i + 1;
                            Step::Done(Some(k.clone()))
                        }
                        None => Step::Done(None),
                    }
                }
                IterState::Values { items, index } => {
                    let item = items.get(*index).cloned();
                    *index += 1;
                    if item.is_none() {
                        items.clear();
                    }
                    Step::Done(item)
                }
                IterState::Reversed { seq, index } => {
                    if *index == 0 {
                        Step::Done(None)
                    } else {
                        *index -= 1;
                        Step::Done(match seq {
                            Value::List(l) => l.items.borrow().get(*index).cloned(),
                            Value::Tuple(t) => t.items.get(*index).cloned(),
                            Value::Str(s) => s.char_at(*index).map(|c| Value::string(c.to_string())),
                            Value::Range(r) => Some(Value::Int(r.get(*index))),
                            _ => None,
                        })
                    }
                }
                IterState::Enumerate { inner, count } => {
                    let c = *count;
                    *count += 1;
                    Step::Enumerate(inner.clone(), c)
                }
                IterState::Zip { inners } => Step::Zip(inners.clone()),
                IterState::Map { func, inners } => Step::Map(func.clone(), inners.clone()),
                IterState::Filter { func, inner } => Step::Filter(func.clone(), inner.clone()),
                IterState::GetItem { obj, index } => {
                    let i = *index;
                    *index += 1;
                    Step::GetItem(obj.clone(), i)
                }
                IterState::Generator(_) => match std::mem::replace(&mut *state, IterState::Running) {
                    IterState::Generator(g) => Step::Generator(g),
                    _ => Step::Done(None),
                },
                IterState::Running => return Err(super::generator::already_executing()),
                IterState::Exhausted => Step::Done(None),
            }
        };
        match step {
            Step::Done(v) => Ok(v),
            Step::Generator(mut g) => {
                let r = self.generator_next(&mut g);
                *iter.state.borrow_mut() = match &r {
                    Ok(Some(_)) => IterState::Generator(g),
                    _ => IterState::Exhausted,
                };
                r
            }
            Step::Enumerate(inner, count) => Ok(self.next(&inner)?.map(|v| Value::tuple(vec![Value::Int(count), v]))),
            Step::Zip(inners) => {
                if inners.is_empty() {
                    return Ok(None);
                }
                let mut items = Vec::with_capacity(inners.len());
                for it in &inners {
                    match self.next(it)? {
                        Some(v) => items.push(v),
                        None => {
                            *iter.state.borrow_mut() = IterState::Exhausted;
                            return Ok(None);
                        }
                    }
                }
                Ok(Some(Value::tuple(items)))
            }
            Step::Map(func, inners) => {
                let mut args = Vec::with_capacity(inners.len());
                for it in &inners {
                    match self.next(it)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                self.call(&func, args, Vec::new()).map(Some)
            }
            Step::Filter(func, inner) => loop {
                let Some(v) = self.next(&inner)? else { return Ok(None) };
                let keep = if func.is_none() { v.clone() } else { self.call(&func, vec![v.clone()], Vec::new())? };
                if self.truthy(&keep)? {
                    return Ok(Some(v));
                }
            },
            Step::GetItem(obj, i) => match self.getitem(&obj, &Value::Int(i)) {
                Ok(v) => Ok(Some(v)),
                Err(e) if e.is(ExcKind::IndexError) || e.is(ExcKind::StopIteration) => {
                    *iter.state.borrow_mut() = IterState::Exhausted;
                    Ok(None)
                }
                Err(e) => Err(e),
            },
        }
    }

    /// All items of an iterable, as a vector (refusing runaway sizes).
    pub fn collect(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        match v {
            Value::List(l) => return Ok(l.items.borrow().clone()),
            Value::Tuple(t) => return Ok(t.items.to_vec()),
            Value::Range(r) => {
                let n = r.len();
                self.check_alloc(n, std::mem::size_of::<Value>())?;
                return Ok((0..n).map(|i| Value::Int(r.get(i))).collect());
            }
            Value::Dict(d) => return Ok(d.table.borrow().iter().map(|e| e.key.clone()).collect()),
            Value::Set(s) => return Ok(s.table.borrow().iter().map(|(_, k)| k.clone()).collect()),
            _ => {}
        }
        let it = self.iter(v)?;
        let limit = self.limits.max_alloc_bytes / std::mem::size_of::<Value>();
        let mut out = Vec::new();
        while let Some(x) = self.next(&it)? {
            if out.len() >= limit {
                return Err(PyErr::memory_error());
            }
            out.push(x);
        }
        Ok(out)
    }
}

fn not_iterable(v: &Value) -> PyErr {
    PyErr::type_error(format!("'{}' object is not iterable", v.type_name()))
}

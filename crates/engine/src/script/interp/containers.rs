//! Container protocols: indexing and slicing, item assignment and deletion,
//! `len`, and dict/set storage with Python key equality (user `__eq__` and
//! `__hash__` run outside any borrow of the table).

use std::cell::RefCell;
use std::rc::Rc;

use super::super::ast::BinOp;
use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::value::dict::Find;
use super::super::value::{same_object, BuiltinType, ClassKind, PyDict, PyRange, PySet, PySlice, SetTable, Spelling, TypeAlias, Value};
use super::Interpreter;

/// A resolved slice: `start`, `stop`, `step` clamped to a sequence length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SliceIndices {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl SliceIndices {
    /// Number of items the slice selects.
    pub fn len(&self) -> usize {
        if self.step > 0 && self.start < self.stop {
            ((self.stop - self.start - 1) / self.step + 1) as usize
        } else if self.step < 0 && self.start > self.stop {
            ((self.start - self.stop - 1) / (-self.step) + 1) as usize
        } else {
            0
        }
    }

    pub fn indices(&self) -> impl Iterator<Item = usize> {
        let (start, step) = (self.start, self.step);
        (0..self.len()).map(move |k| (start + k as i64 * step) as usize)
    }
}

impl Interpreter {
    /// An integer index from `v` (`int`, `bool`, or an object with `__index__`).
    /// An integer argument: an int, a bool or an object with `__index__`.
    pub(crate) fn int_arg(&mut self, v: &Value) -> PyResult<i64> {
        self.index_value(v)?.ok_or_else(|| not_an_integer(v))
    }

    pub(crate) fn index_value(&mut self, v: &Value) -> PyResult<Option<i64>> {
        match v {
            Value::Int(i) => Ok(Some(*i)),
            Value::Bool(b) => Ok(Some(*b as i64)),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.call_special(v, &cls, "__index__", Vec::new())? {
                    Some(Value::Int(i)) => Ok(Some(i)),
                    Some(other) => Err(PyErr::type_error(format!("__index__ returned non-int (type {})", other.type_name()))),
                    None => Ok(None),
                }
            }
            _ => Ok(None),
        }
    }

    /// `slice.indices(len)` semantics.
    pub(crate) fn slice_indices(&mut self, s: &PySlice, len: usize) -> PyResult<SliceIndices> {
        let len = len as i64;
        let mut idx = |v: &Value| -> PyResult<Option<i64>> {
            if v.is_none() {
                return Ok(None);
            }
            match self.index_value(v)? {
                Some(i) => Ok(Some(i)),
                None => Err(PyErr::type_error("slice indices must be integers or None or have an __index__ method")),
            }
        };
        let step = idx(&s.step)?.unwrap_or(1);
        if step == 0 {
            return Err(PyErr::value_error("slice step cannot be zero"));
        }
        let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
        let clamp = |i: i64| -> i64 {
            if i < 0 {
                (i + len).max(lower)
            } else {
                i.min(upper)
            }
        };
        let start = match idx(&s.start)? {
            Some(i) => clamp(i),
            None => {
                if step < 0 {
                    upper
                } else {
                    lower
                }
            }
        };
        let stop = match idx(&s.stop)? {
            Some(i) => clamp(i),
            None => {
                if step < 0 {
                    lower
                } else {
                    upper
                }
            }
        };
        Ok(SliceIndices { start, stop, step })
    }

    fn sequence_index(&mut self, key: &Value, len: usize, what: &str, container: &str) -> PyResult<usize> {
        let Some(i) = self.index_value(key)? else {
            return Err(match container {
                "str" => PyErr::type_error(format!("string indices must be integers, not '{}'", key.type_name())),
                _ => PyErr::type_error(format!("{container} indices must be integers or slices, not {}", key.type_name())),
            });
        };
        let n = len as i64;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            return Err(PyErr::index_error(what.to_string()));
        }
        Ok(j as usize)
    }

    /// `obj[key]`.
    pub fn getitem(&mut self, obj: &Value, key: &Value) -> PyResult<Value> {
        match obj {
            Value::List(l) => {
                if let Value::Slice(s) = key {
                    let items = l.items.borrow().clone();
                    let si = self.slice_indices(s, items.len())?;
                    return Ok(Value::list(si.indices().map(|i| items[i].clone()).collect()));
                }
                let len = l.items.borrow().len();
                let i = self.sequence_index(key, len, "list index out of range", "list")?;
                // The index was checked against the length just read.
                let item = l.items.borrow().get(i).cloned();
                item.ok_or_else(|| PyErr::index_error("list index out of range"))
            }
            Value::Tuple(t) => {
                if let Value::Slice(s) = key {
                    let si = self.slice_indices(s, t.items.len())?;
                    return Ok(Value::tuple(si.indices().map(|i| t.items[i].clone()).collect()));
                }
                let i = self.sequence_index(key, t.items.len(), "tuple index out of range", "tuple")?;
                Ok(t.items[i].clone())
            }
            Value::Str(s) => {
                if let Value::Slice(sl) = key {
                    let si = self.slice_indices(sl, s.char_len())?;
                    if si.step == 1 {
                        return Ok(Value::str(s.substring(si.start as usize, si.stop.max(si.start) as usize)));
                    }
                    let chars: Vec<char> = s.as_str().chars().collect();
                    return Ok(Value::string(si.indices().map(|i| chars[i]).collect()));
                }
                let i = self.sequence_index(key, s.char_len(), "string index out of range", "str")?;
                Ok(Value::string(s.char_at(i).map(String::from).unwrap_or_default()))
            }
            Value::Bytes(b) => {
                if let Value::Slice(sl) = key {
                    let si = self.slice_indices(sl, b.0.len())?;
                    return Ok(Value::bytes(si.indices().map(|i| b.0[i]).collect()));
                }
                let i = self.sequence_index(key, b.0.len(), "index out of range", "byte")?;
                Ok(Value::Int(b.0[i] as i64))
            }
            Value::Range(r) => {
                if let Value::Slice(sl) = key {
                    let si = self.slice_indices(sl, r.len())?;
                    return Ok(Value::Range(Rc::new(PyRange {
                        start: r.start + si.start * r.step,
                        stop: r.start + si.stop * r.step,
                        step: r.step * si.step,
                    })));
                }
                let i = self.sequence_index(key, r.len(), "range object index out of range", "range")?;
                Ok(Value::Int(r.get(i)))
            }
            Value::Dict(d) => {
                let d = d.clone();
                match self.dict_get(&d, key)? {
                    Some(v) => Ok(v),
                    None => Err(PyErr::key_error(key.clone())),
                }
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.call_special(obj, &cls, "__getitem__", vec![key.clone()])? {
                    Some(v) => Ok(v),
                    None => Err(PyErr::type_error(format!("'{}' object is not subscriptable", cls.name))),
                }
            }
            Value::Class(cls) => {
                if let ClassKind::Builtin(t) = cls.kind {
                    if matches!(t, BuiltinType::List | BuiltinType::Dict | BuiltinType::Tuple | BuiltinType::Set | BuiltinType::FrozenSet | BuiltinType::Type) {
                        let args = match key {
                            Value::Tuple(t) => t.items.to_vec(),
                            other => vec![other.clone()],
                        };
                        return Ok(Value::TypeAlias(Rc::new(TypeAlias::Generic { origin: obj.clone(), args, spelling: Spelling::Builtin })));
                    }
                }
                if let Some(hooks) = cls.inherited_hooks() {
                    if let Some(v) = hooks.class_getitem(self, cls, key)? {
                        return Ok(v);
                    }
                }
                if let Some(cg) = cls.lookup("__class_getitem__") {
                    let bound = match cg {
                        Value::ClassMethod(f) => Value::BoundMethod(Rc::new(super::super::value::BoundMethod { receiver: obj.clone(), func: (*f).clone() })),
                        other => self.bind_attribute(other, obj, cls)?,
                    };
                    return self.call(&bound, vec![key.clone()], Vec::new());
                }
                Err(PyErr::type_error(format!("type '{}' is not subscriptable", cls.name)))
            }
            Value::Native(n) => {
                let n = n.clone();
                match n.get_item(self, obj, key)? {
                    Some(v) => Ok(v),
                    None => Err(PyErr::type_error(format!("'{}' object is not subscriptable", n.type_name()))),
                }
            }
            other => Err(PyErr::type_error(format!("'{}' object is not subscriptable", other.type_name()))),
        }
    }

    /// `obj[key] = value`.
    pub fn setitem(&mut self, obj: &Value, key: &Value, value: Value) -> PyResult<()> {
        match obj {
            Value::Dict(d) => {
                let d = d.clone();
                self.dict_set(&d, key.clone(), value)
            }
            Value::List(l) => {
                self.check_side_effect("list item assignment")?;
                if let Value::Slice(s) = key {
                    let new_items = self.collect(&value).map_err(|e| {
                        if e.is(ExcKind::TypeError) {
                            PyErr::type_error("can only assign an iterable")
                        } else {
                            e
                        }
                    })?;
                    let len = l.items.borrow().len();
                    let si = self.slice_indices(s, len)?;
                    let mut items = l.items.borrow_mut();
                    if si.step == 1 {
                        let start = si.start.clamp(0, len as i64) as usize;
                        let stop = (si.stop.max(si.start)).clamp(0, len as i64) as usize;
                        items.splice(start..stop, new_items);
                    } else {
                        if new_items.len() != si.len() {
                            return Err(PyErr::value_error(format!(
                                "attempt to assign sequence of size {} to extended slice of size {}",
                                new_items.len(),
                                si.len()
                            )));
                        }
                        for (i, v) in si.indices().zip(new_items) {
                            if let Some(slot) = items.get_mut(i) {
                                *slot = v;
                            }
                        }
                    }
                    return Ok(());
                }
                let len = l.items.borrow().len();
                let i = self.sequence_index(key, len, "list assignment index out of range", "list")?;
                if let Some(slot) = l.items.borrow_mut().get_mut(i) {
                    *slot = value;
                }
                Ok(())
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.call_special(obj, &cls, "__setitem__", vec![key.clone(), value])? {
                    Some(_) => Ok(()),
                    None => Err(PyErr::type_error(format!("'{}' object does not support item assignment", cls.name))),
                }
            }
            Value::Native(n) => {
                let n = n.clone();
                if n.set_item(self, obj, key, value)? {
                    Ok(())
                } else {
                    Err(PyErr::type_error(format!("'{}' object does not support item assignment", n.type_name())))
                }
            }
            other => Err(PyErr::type_error(format!("'{}' object does not support item assignment", other.type_name()))),
        }
    }

    /// `del obj[key]`.
    pub fn delitem(&mut self, obj: &Value, key: &Value) -> PyResult<()> {
        self.check_side_effect("item deletion")?;
        match obj {
            Value::Dict(d) => {
                let d = d.clone();
                match self.dict_remove(&d, key)? {
                    Some(_) => Ok(()),
                    None => Err(PyErr::key_error(key.clone())),
                }
            }
            Value::List(l) => {
                let len = l.items.borrow().len();
                if let Value::Slice(s) = key {
                    let si = self.slice_indices(s, len)?;
                    let remove: std::collections::HashSet<usize> = si.indices().collect();
                    let mut items = l.items.borrow_mut();
                    let old = std::mem::take(&mut *items);
                    *items = old.into_iter().enumerate().filter(|(i, _)| !remove.contains(i)).map(|(_, v)| v).collect();
                    return Ok(());
                }
                let i = self.sequence_index(key, len, "list assignment index out of range", "list")?;
                let mut items = l.items.borrow_mut();
                if i < items.len() {
                    items.remove(i);
                }
                Ok(())
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.call_special(obj, &cls, "__delitem__", vec![key.clone()])? {
                    Some(_) => Ok(()),
                    None => Err(PyErr::type_error(format!("'{}' object doesn't support item deletion", cls.name))),
                }
            }
            Value::Native(n) => {
                let n = n.clone();
                if n.del_item(self, obj, key)? {
                    Ok(())
                } else {
                    Err(PyErr::type_error(format!("'{}' object doesn't support item deletion", n.type_name())))
                }
            }
            other => Err(PyErr::type_error(format!("'{}' object doesn't support item deletion", other.type_name()))),
        }
    }

    /// `len(v)`.
    pub fn len(&mut self, v: &Value) -> PyResult<usize> {
        Ok(match v {
            Value::Str(s) => s.char_len(),
            Value::Bytes(b) => b.0.len(),
            Value::List(l) => l.items.borrow().len(),
            Value::Tuple(t) => t.items.len(),
            Value::Dict(d) => d.table.borrow().len(),
            Value::Set(s) => s.table.borrow().len(),
            Value::Range(r) => r.len(),
            Value::DictView(d) => d.dict.table.borrow().len(),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.call_special(v, &cls, "__len__", Vec::new())? {
                    Some(n) => self.len_result(n)?,
                    None => return Err(PyErr::type_error(format!("object of type '{}' has no len()", cls.name))),
                }
            }
            Value::Class(cls) => match cls.inherited_hooks() {
                Some(hooks) => match hooks.class_len(self, cls)? {
                    Some(l) => l,
                    None => return Err(PyErr::type_error("object of type 'type' has no len()")),
                },
                None => return Err(PyErr::type_error("object of type 'type' has no len()")),
            },
            Value::Native(n) => {
                let n = n.clone();
                match n.len(self, v)? {
                    Some(l) => l,
                    None => return Err(PyErr::type_error(format!("object of type '{}' has no len()", n.type_name()))),
                }
            }
            other => return Err(PyErr::type_error(format!("object of type '{}' has no len()", other.type_name()))),
        })
    }

    pub(crate) fn len_result(&mut self, n: Value) -> PyResult<usize> {
        match self.index_value(&n)? {
            Some(i) if i >= 0 => Ok(i as usize),
            Some(_) => Err(PyErr::value_error("__len__() should return >= 0")),
            None => Err(not_an_integer(&n)),
        }
    }

    // ----- dicts -----

    /// Find `key` in a dict: its hash and entry index.
    fn dict_find(&mut self, d: &Rc<PyDict>, key: &Value) -> PyResult<(i64, Option<usize>)> {
        let h = self.hash(key)?;
        loop {
            let found = d.table.borrow().find(h, key);
            match found {
                Find::Found(i) => return Ok((h, Some(i))),
                Find::Absent => return Ok((h, None)),
                Find::Unknown => {}
            }
            // Some keys need `__eq__`: compare outside the borrow, then check
            // the entry is still there (the comparison may have changed the dict).
            let candidates: Vec<(usize, Value)> = {
                let t = d.table.borrow();
                t.candidates(h).into_iter().filter_map(|i| t.entry(i).map(|e| (i, e.key.clone()))).collect()
            };
            let mut changed = false;
            for (i, k) in candidates {
                if same_object(&k, key) || self.eq(&k, key)? {
                    if d.table.borrow().entry(i).is_some_and(|e| same_object(&e.key, &k)) {
                        return Ok((h, Some(i)));
                    }
                    changed = true;
                    break;
                }
            }
            if !changed {
                return Ok((h, None));
            }
            self.tick()?;
        }
    }

    pub fn dict_get(&mut self, d: &Rc<PyDict>, key: &Value) -> PyResult<Option<Value>> {
        let (_, idx) = self.dict_find(d, key)?;
        Ok(idx.and_then(|i| d.table.borrow().entry(i).map(|e| e.value.clone())))
    }

    pub fn dict_set(&mut self, d: &Rc<PyDict>, key: Value, value: Value) -> PyResult<()> {
        let (h, idx) = self.dict_find(d, &key)?;
        self.check_side_effect("dict item assignment")?;
        let mut t = d.table.borrow_mut();
        match idx {
            Some(i) => t.set_value(i, value),
            None => t.insert_new(h, key, value),
        }
        Ok(())
    }

    pub fn dict_remove(&mut self, d: &Rc<PyDict>, key: &Value) -> PyResult<Option<Value>> {
        let (_, idx) = self.dict_find(d, key)?;
        self.check_side_effect("dict item deletion")?;
        Ok(idx.and_then(|i| d.table.borrow_mut().remove_at(i)).map(|e| e.value))
    }

    pub(crate) fn dict_copy(&self, d: &Rc<PyDict>) -> Value {
        let t = d.table.borrow().clone();
        Value::Dict(Rc::new(PyDict { table: RefCell::new(t) }))
    }

    /// Entries of a dict (copied out, safe against mutation while used).
    pub fn dict_items(&self, d: &Rc<PyDict>) -> Vec<(Value, Value)> {
        d.table.borrow().iter().map(|e| (e.key.clone(), e.value.clone())).collect()
    }

    /// `dict.update(other)`: from a mapping or an iterable of pairs.
    pub(crate) fn dict_update_from(&mut self, target: &Value, other: &Value) -> PyResult<()> {
        let Value::Dict(d) = target else { return Ok(()) };
        let d = d.clone();
        if self.is_mapping(other) {
            for (k, v) in self.mapping_items(other)? {
                self.dict_set(&d, k, v)?;
            }
            return Ok(());
        }
        if !self.is_iterable(other) {
            return Err(PyErr::type_error(format!("'{}' object is not iterable", other.type_name())));
        }
        let items = self.collect(other)?;
        for (n, item) in items.into_iter().enumerate() {
            let pair = match &item {
                Value::Tuple(_) | Value::List(_) => item.sequence_items().unwrap_or_default(),
                other if self.is_iterable(other) => self.collect(other)?,
                _ => return Err(PyErr::type_error(format!("cannot convert dictionary update sequence element #{n} to a sequence"))),
            };
            if pair.len() != 2 {
                return Err(PyErr::value_error(format!("dictionary update sequence element #{n} has length {}; 2 is required", pair.len())));
            }
            let mut it = pair.into_iter();
            if let (Some(k), Some(v)) = (it.next(), it.next()) {
                self.dict_set(&d, k, v)?;
            }
        }
        Ok(())
    }

    pub(crate) fn dict_eq(&mut self, x: &Rc<PyDict>, y: &Rc<PyDict>) -> PyResult<bool> {
        if x.table.borrow().len() != y.table.borrow().len() {
            return Ok(false);
        }
        for (k, v) in self.dict_items(x) {
            match self.dict_get(y, &k)? {
                Some(w) => {
                    if !self.eq(&v, &w)? {
                        return Ok(false);
                    }
                }
                None => return Ok(false),
            }
        }
        Ok(true)
    }

    /// True for dicts and objects with `keys()` and `__getitem__`.
    pub(crate) fn is_mapping(&mut self, v: &Value) -> bool {
        match v {
            Value::Dict(_) => true,
            Value::Instance(inst) => inst.class.lookup("keys").is_some() && inst.class.lookup("__getitem__").is_some(),
            Value::Native(_) => self.hasattr(v, "keys").unwrap_or(false),
            _ => false,
        }
    }

    /// The (key, value) pairs of a mapping.
    pub fn mapping_items(&mut self, m: &Value) -> PyResult<Vec<(Value, Value)>> {
        if let Value::Dict(d) = m {
            return Ok(self.dict_items(d));
        }
        let keys_fn = self.getattr(m, "keys")?;
        let keys = self.call(&keys_fn, Vec::new(), Vec::new())?;
        let keys = self.collect(&keys)?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            let v = self.getitem(m, &k)?;
            out.push((k, v));
        }
        Ok(out)
    }

    // ----- sets -----

    pub(crate) fn new_set(&self, frozen: bool) -> Rc<PySet> {
        Rc::new(PySet { table: RefCell::new(SetTable::new()), frozen })
    }

    fn set_find(&mut self, s: &Rc<PySet>, key: &Value) -> PyResult<(i64, Option<usize>)> {
        let h = self.hash(key)?;
        loop {
            let found = s.table.borrow().find(h, key);
            match found {
                Find::Found(j) => return Ok((h, Some(j))),
                Find::Absent => return Ok((h, None)),
                Find::Unknown => {}
            }
            let candidates = s.table.borrow().candidates(h);
            let mut changed = false;
            for (j, k) in candidates {
                if same_object(&k, key) || self.eq(&k, key)? {
                    if s.table.borrow().slot_holds(j, &k) {
                        return Ok((h, Some(j)));
                    }
                    changed = true;
                    break;
                }
            }
            if !changed {
                return Ok((h, None));
            }
            self.tick()?;
        }
    }

    pub fn set_add(&mut self, s: &Rc<PySet>, key: Value) -> PyResult<()> {
        let (h, found) = self.set_find(s, &key)?;
        if found.is_none() {
            s.table.borrow_mut().insert_absent(h, key);
        }
        Ok(())
    }

    pub fn set_contains(&mut self, s: &Rc<PySet>, key: &Value) -> PyResult<bool> {
        // `{1, 2} in some_set` looks the frozen version up, as CPython does.
        let key = match key {
            Value::Set(inner) if !inner.frozen => {
                let f = self.new_set(true);
                *f.table.borrow_mut() = inner.table.borrow().clone();
                Value::Set(f)
            }
            other => other.clone(),
        };
        Ok(self.set_find(s, &key)?.1.is_some())
    }

    /// Remove `key`; returns whether it was present.
    pub fn set_discard(&mut self, s: &Rc<PySet>, key: &Value) -> PyResult<bool> {
        let (_, found) = self.set_find(s, key)?;
        Ok(match found {
            Some(j) => s.table.borrow_mut().remove_slot(j).is_some(),
            None => false,
        })
    }

    /// A set from any iterable (CPython's `set_update_internal`).
    pub(crate) fn set_from_iterable(&mut self, v: &Value, frozen: bool) -> PyResult<Rc<PySet>> {
        let s = self.new_set(frozen);
        self.set_update(&s, v)?;
        Ok(s)
    }

    pub(crate) fn set_update(&mut self, s: &Rc<PySet>, v: &Value) -> PyResult<()> {
        if let Value::Set(other) = v {
            if Rc::ptr_eq(s, other) {
                return Ok(());
            }
            let other_table = other.table.borrow().clone();
            if s.table.borrow_mut().merge_into_empty(&other_table) {
                return Ok(());
            }
            s.table.borrow_mut().reserve_for_merge(other_table.len());
            for (_, k) in other_table.iter() {
                self.set_add(s, k.clone())?;
            }
            return Ok(());
        }
        if let Value::Dict(d) = v {
            let keys: Vec<Value> = d.table.borrow().iter().map(|e| e.key.clone()).collect();
            s.table.borrow_mut().reserve_for_merge(keys.len());
            for k in keys {
                self.set_add(s, k)?;
            }
            return Ok(());
        }
        let items = self.collect(v)?;
        for item in items {
            self.set_add(s, item)?;
        }
        Ok(())
    }

    /// `|`, `&`, `-`, `^` between sets, following CPython's algorithms (so the
    /// result iterates in the same order).
    pub(crate) fn set_operation(&mut self, x: &Rc<PySet>, op: BinOp, y: &Rc<PySet>, frozen: bool) -> PyResult<Rc<PySet>> {
        let result = self.new_set(frozen);
        match op {
            BinOp::BitOr => {
                self.set_update(&result, &Value::Set(x.clone()))?;
                self.set_update(&result, &Value::Set(y.clone()))?;
            }
            BinOp::BitAnd => {
                let (small, big) = if y.table.borrow().len() > x.table.borrow().len() { (x, y) } else { (y, x) };
                let items: Vec<Value> = small.table.borrow().iter().map(|(_, k)| k.clone()).collect();
                for k in items {
                    if self.set_contains(big, &k)? {
                        self.set_add(&result, k)?;
                    }
                }
            }
            BinOp::Sub => {
                let items: Vec<Value> = x.table.borrow().iter().map(|(_, k)| k.clone()).collect();
                if (x.table.borrow().len() >> 2) > y.table.borrow().len() {
                    self.set_update(&result, &Value::Set(x.clone()))?;
                    let others: Vec<Value> = y.table.borrow().iter().map(|(_, k)| k.clone()).collect();
                    for k in others {
                        self.set_discard(&result, &k)?;
                    }
                } else {
                    for k in items {
                        if !self.set_contains(y, &k)? {
                            self.set_add(&result, k)?;
                        }
                    }
                }
            }
            _ => {
                self.set_update(&result, &Value::Set(y.clone()))?;
                let items: Vec<Value> = x.table.borrow().iter().map(|(_, k)| k.clone()).collect();
                for k in items {
                    if !self.set_discard(&result, &k)? {
                        self.set_add(&result, k)?;
                    }
                }
            }
        }
        Ok(result)
    }
}

/// CPython's `'x' object cannot be interpreted as an integer`.
pub(crate) fn not_an_integer(v: &Value) -> PyErr {
    PyErr::type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name()))
}

//! The storage of Python dicts: entries in insertion order plus an
//! open-addressing index keyed by Python hashes (CPython's "compact dict").
//!
//! Key equality may run user code (`__eq__`), which needs the interpreter and
//! may even mutate this dict, so the table itself never compares keys that
//! are not plain data: [`DictTable::find`] answers `Unknown` and the caller
//! compares outside any borrow (see `interp/containers.rs`).

use super::Value;

const EMPTY: i32 = -1;
const DUMMY: i32 = -2;
const MIN_SIZE: usize = 8;
const PERTURB_SHIFT: u32 = 5;

#[derive(Clone)]
pub struct DictEntry {
    pub hash: i64,
    pub key: Value,
    pub value: Value,
}

/// Result of a lookup that compares only plain-data keys.
pub enum Find {
    /// The entry index of an equal key.
    Found(usize),
    Absent,
    /// Some candidate with the same hash needs a full (`__eq__`) comparison.
    Unknown,
}

#[derive(Clone, Default)]
pub struct DictTable {
    entries: Vec<Option<DictEntry>>,
    indices: Vec<i32>,
    used: usize,
    /// Occupied index slots, dummies included.
    fill: usize,
}

impl DictTable {
    pub fn new() -> Self {
        DictTable::default()
    }

    pub fn with_capacity(n: usize) -> Self {
        let mut t = DictTable::default();
        if n > 0 {
            t.entries.reserve(n);
            t.rebuild(index_size_for(n));
        }
        t
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Entry indices with this hash, in probe order.
    pub fn candidates(&self, hash: i64) -> Vec<usize> {
        let mut out = Vec::new();
        self.probe(hash, |idx, entry| {
            if entry.hash == hash {
                out.push(idx);
            }
            false
        });
        out
    }

    /// Look a key up comparing plain-data keys only.
    pub fn find(&self, hash: i64, key: &Value) -> Find {
        let mut result = Find::Absent;
        self.probe(hash, |idx, entry| {
            if entry.hash != hash {
                return false;
            }
            match super::fast_eq(&entry.key, key) {
                Some(true) => {
                    result = Find::Found(idx);
                    true
                }
                Some(false) => false,
                None => {
                    result = Find::Unknown;
                    true
                }
            }
        });
        result
    }

    /// Walk the probe sequence of `hash` over live entries until `visit` returns true.
    fn probe(&self, hash: i64, mut visit: impl FnMut(usize, &DictEntry) -> bool) {
        if self.indices.is_empty() {
            return;
        }
        let mask = self.indices.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let ix = self.indices[i];
            if ix == EMPTY {
                return;
            }
            if ix >= 0 {
                if let Some(Some(entry)) = self.entries.get(ix as usize) {
                    if visit(ix as usize, entry) {
                        return;
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1)) & mask;
        }
    }

    pub fn entry(&self, idx: usize) -> Option<&DictEntry> {
        self.entries.get(idx).and_then(|e| e.as_ref())
    }

    pub fn set_value(&mut self, idx: usize, value: Value) {
        if let Some(Some(e)) = self.entries.get_mut(idx) {
            e.value = value;
        }
    }

    /// Append a key known to be absent.
    pub fn insert_new(&mut self, hash: i64, key: Value, value: Value) {
        if self.indices.is_empty() || (self.fill + 1) * 3 > self.indices.len() * 2 {
            self.rebuild(index_size_for(self.used + 1));
        }
        let idx = self.entries.len();
        self.entries.push(Some(DictEntry { hash, key, value }));
        self.place(hash, idx);
        self.used += 1;
        self.fill += 1;
    }

    fn place(&mut self, hash: i64, idx: usize) {
        let mask = self.indices.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        while self.indices[i] != EMPTY {
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1)) & mask;
        }
        self.indices[i] = idx as i32;
    }

    /// Compact the entries and rebuild the index with `size` slots.
    fn rebuild(&mut self, size: usize) {
        let old = std::mem::take(&mut self.entries);
        self.entries = old.into_iter().flatten().map(Some).collect();
        self.indices = vec![EMPTY; size];
        for idx in 0..self.entries.len() {
            if let Some(Some(e)) = self.entries.get(idx) {
                let h = e.hash;
                self.place(h, idx);
            }
        }
        self.fill = self.entries.len();
        self.used = self.entries.len();
    }

    /// Remove the entry at `idx`, returning it.
    pub fn remove_at(&mut self, idx: usize) -> Option<DictEntry> {
        let entry = self.entries.get_mut(idx)?.take()?;
        let mask = self.indices.len() - 1;
        let mut perturb = entry.hash as u64;
        let mut i = (entry.hash as u64 as usize) & mask;
        loop {
            let ix = self.indices[i];
            if ix == idx as i32 {
                self.indices[i] = DUMMY;
                break;
            }
            if ix == EMPTY {
                break;
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1)) & mask;
        }
        self.used -= 1;
        Some(entry)
    }

    /// Remove and return the last entry (for `popitem`).
    pub fn pop_last(&mut self) -> Option<DictEntry> {
        let idx = self.entries.iter().rposition(|e| e.is_some())?;
        let e = self.remove_at(idx);
        // Drop trailing holes so the next `popitem` stays cheap.
        while matches!(self.entries.last(), Some(None)) {
            self.entries.pop();
        }
        e
    }

    pub fn clear(&mut self) {
        *self = DictTable::default();
    }

    /// Live entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &DictEntry> {
        self.entries.iter().flatten()
    }

    /// The next live entry at or after position `pos` (for iterators).
    pub fn next_from(&self, pos: usize) -> Option<(usize, &DictEntry)> {
        self.entries.iter().enumerate().skip(pos).find_map(|(i, e)| e.as_ref().map(|e| (i, e)))
    }

    /// Take all keys and values out (for iterative drop).
    pub fn drain(&mut self) -> Vec<DictEntry> {
        let entries = std::mem::take(&mut self.entries);
        *self = DictTable::default();
        entries.into_iter().flatten().collect()
    }
}

fn index_size_for(n: usize) -> usize {
    let mut size = MIN_SIZE;
    while size * 2 < n * 3 {
        size *= 2;
    }
    size
}

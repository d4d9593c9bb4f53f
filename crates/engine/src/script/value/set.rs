//! The storage of Python sets, following CPython 3.11's `setobject.c` table
//! (linear probing then perturbation, the same growth rule and the same merge
//! shortcuts), so that sets print their elements in CPython's order.
//! As with dicts, comparisons that may run user code happen outside.

use super::dict::Find;
use super::Value;

const MIN_SIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

#[derive(Clone)]
enum Slot {
    Empty,
    Dummy,
    Active(i64, Value),
}

#[derive(Clone)]
pub struct SetTable {
    table: Vec<Slot>,
    fill: usize,
    used: usize,
    /// Where `pop` resumes its scan.
    finger: usize,
}

impl Default for SetTable {
    fn default() -> Self {
        SetTable { table: vec![Slot::Empty; MIN_SIZE], fill: 0, used: 0, finger: 0 }
    }
}

impl SetTable {
    pub fn new() -> Self {
        SetTable::default()
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    fn mask(&self) -> usize {
        self.table.len() - 1
    }

    /// Visit slots in CPython's probe order until `visit` returns true or an
    /// empty slot ends the sequence (its index is then returned).
    fn probe(&self, hash: i64, mut visit: impl FnMut(usize, &Slot) -> bool) -> Option<usize> {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in i..=i + probes {
                let slot = &self.table[j];
                if let Slot::Empty = slot {
                    return Some(j);
                }
                if visit(j, slot) {
                    return None;
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    /// Look a key up comparing plain-data keys only.
    pub fn find(&self, hash: i64, key: &Value) -> Find {
        let mut result = Find::Absent;
        self.probe(hash, |j, slot| {
            if let Slot::Active(h, k) = slot {
                if *h == hash {
                    match super::fast_eq(k, key) {
                        Some(true) => {
                            result = Find::Found(j);
                            return true;
                        }
                        Some(false) => {}
                        None => {
                            result = Find::Unknown;
                            return true;
                        }
                    }
                }
            }
            false
        });
        result
    }

    /// Slot indices holding keys with this hash (for full comparisons).
    pub fn candidates(&self, hash: i64) -> Vec<(usize, Value)> {
        let mut out = Vec::new();
        self.probe(hash, |j, slot| {
            if let Slot::Active(h, k) = slot {
                if *h == hash {
                    out.push((j, k.clone()));
                }
            }
            false
        });
        out
    }

    /// True if slot `j` still holds `key` (after a comparison ran user code).
    pub fn slot_holds(&self, j: usize, key: &Value) -> bool {
        matches!(self.table.get(j), Some(Slot::Active(_, k)) if super::same_object(k, key))
    }

    /// Insert a key known to be absent (CPython's `set_add_entry` tail).
    pub fn insert_absent(&mut self, hash: i64, key: Value) {
        let mut freeslot = None;
        let empty = self.probe(hash, |j, slot| {
            if let Slot::Dummy = slot {
                if freeslot.is_none() {
                    freeslot = Some(j);
                }
            }
            false
        });
        if let Some(j) = freeslot {
            self.table[j] = Slot::Active(hash, key);
            self.used += 1;
            return;
        }
        let Some(j) = empty else { return };
        self.table[j] = Slot::Active(hash, key);
        self.fill += 1;
        self.used += 1;
        if self.fill * 5 >= self.mask() * 3 {
            let minused = if self.used > 50_000 { self.used * 2 } else { self.used * 4 };
            self.resize(minused);
        }
    }

    fn insert_clean(table: &mut [Slot], hash: i64, key: Value) {
        let mask = table.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            if let Some(slot) = table[i..=i + probes].iter_mut().find(|s| matches!(s, Slot::Empty)) {
                *slot = Slot::Active(hash, key);
                return;
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    fn resize(&mut self, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused {
            size <<= 1;
        }
        let old = std::mem::replace(&mut self.table, vec![Slot::Empty; size]);
        self.used = 0;
        self.fill = 0;
        for slot in old {
            if let Slot::Active(h, k) = slot {
                Self::insert_clean(&mut self.table, h, k);
                self.used += 1;
                self.fill += 1;
            }
        }
    }

    /// Remove the key in slot `j`.
    pub fn remove_slot(&mut self, j: usize) -> Option<Value> {
        match std::mem::replace(self.table.get_mut(j)?, Slot::Dummy) {
            Slot::Active(_, k) => {
                self.used -= 1;
                Some(k)
            }
            other => {
                self.table[j] = other;
                None
            }
        }
    }

    /// `set.pop()`: the first element from the finger on.
    pub fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut j = self.finger & mask;
        while !matches!(self.table[j], Slot::Active(..)) {
            j = if j >= mask { 0 } else { j + 1 };
        }
        self.finger = j + 1;
        self.remove_slot(j)
    }

    pub fn clear(&mut self) {
        *self = SetTable::default();
    }

    /// Elements with their hashes, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &Value)> {
        self.table.iter().filter_map(|s| match s {
            Slot::Active(h, k) => Some((*h, k)),
            _ => None,
        })
    }

    /// The next element at or after slot `pos` (for iterators).
    pub fn next_from(&self, pos: usize) -> Option<(usize, &Value)> {
        self.table.iter().enumerate().skip(pos).find_map(|(i, s)| match s {
            Slot::Active(_, k) => Some((i, k)),
            _ => None,
        })
    }

    /// Prepare to merge `incoming` more elements (CPython resizes once up front).
    pub fn reserve_for_merge(&mut self, incoming: usize) {
        if (self.fill + incoming) * 5 >= self.mask() * 3 {
            self.resize((self.used + incoming) * 2);
        }
    }

    /// Copy of another table into this empty one, as `set_merge` does.
    pub fn merge_into_empty(&mut self, other: &SetTable) -> bool {
        if self.fill != 0 {
            return false;
        }
        self.reserve_for_merge(other.used);
        if self.mask() == other.mask() && other.fill == other.used {
            self.table = other.table.clone();
            self.fill = other.fill;
            self.used = other.used;
            return true;
        }
        for (h, k) in other.iter() {
            Self::insert_clean(&mut self.table, h, k.clone());
        }
        self.fill = other.used;
        self.used = other.used;
        true
    }

    pub fn drain(&mut self) -> Vec<Value> {
        let table = std::mem::take(&mut self.table);
        *self = SetTable::default();
        table
            .into_iter()
            .filter_map(|s| match s {
                Slot::Active(_, k) => Some(k),
                _ => None,
            })
            .collect()
    }
}

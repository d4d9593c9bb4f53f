//! An insertion-ordered map from names to values: module globals, class
//! namespaces and instance `__dict__`s. Small maps (most instance dicts) are
//! scanned linearly; larger ones get a hash index.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use super::Value;

/// A fast non-cryptographic hasher (the "Fx" multiply-rotate scheme).
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;

/// Hash a string's bytes with [`FxHasher`].
pub fn fx_hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// Below this many entries lookups scan the vector.
const INDEX_THRESHOLD: usize = 8;

#[derive(Default, Clone)]
pub struct AttrMap {
    entries: Vec<(Rc<str>, Value)>,
    index: Option<FxHashMap<Rc<str>, usize>>,
}

impl AttrMap {
    pub fn new() -> Self {
        AttrMap::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.entries.iter().position(|(k, _)| &**k == name),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.position(name).map(|i| &self.entries[i].1)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    pub fn insert(&mut self, name: Rc<str>, value: Value) {
        if let Some(i) = self.position(&name) {
            self.entries[i].1 = value;
            return;
        }
        let i = self.entries.len();
        if let Some(index) = &mut self.index {
            index.insert(name.clone(), i);
        } else if i + 1 > INDEX_THRESHOLD {
            let mut index = FxHashMap::default();
            for (k, (name, _)) in self.entries.iter().enumerate() {
                index.insert(name.clone(), k);
            }
            index.insert(name.clone(), i);
            self.index = Some(index);
        }
        self.entries.push((name, value));
    }

    pub fn set(&mut self, name: &str, value: Value) {
        if let Some(i) = self.position(name) {
            self.entries[i].1 = value;
        } else {
            self.insert(Rc::from(name), value);
        }
    }

    /// Remove a name, keeping the order of the others.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.position(name)?;
        let (_, v) = self.entries.remove(i);
        if let Some(index) = &mut self.index {
            index.clear();
            for (k, (name, _)) in self.entries.iter().enumerate() {
                index.insert(name.clone(), k);
            }
        }
        Some(v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Rc<str>, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &Rc<str>> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }

    /// Take all values out (used to break reference cycles on shutdown).
    pub fn drain_values(&mut self) -> Vec<Value> {
        self.index = None;
        self.entries.drain(..).map(|(_, v)| v).collect()
    }
}

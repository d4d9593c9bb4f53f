//! Identity keys and the identity map: one object per row within a session.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use super::mapper::MapperId;
use super::state::ObjId;
use crate::sql::Datum;

/// A non-NULL primary-key value. Equality follows SQLite's comparison of key values: `1`,
/// `1.0` and `True` name the same row.
#[derive(Clone, Debug)]
pub struct KeyValue(pub Datum);

#[derive(PartialEq, Eq, Hash)]
enum Canonical<'a> {
    Int(i64),
    Text(&'a str),
    Other(String),
}

impl KeyValue {
    fn canonical(&self) -> Canonical<'_> {
        match &self.0 {
            Datum::Int(i) => Canonical::Int(*i),
            Datum::Bool(b) => Canonical::Int(i64::from(*b)),
            Datum::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Canonical::Int(*f as i64),
            Datum::Text(s) => Canonical::Text(s),
            other => Canonical::Other(format!("{other:?}")),
        }
    }
}

impl PartialEq for KeyValue {
    fn eq(&self, other: &KeyValue) -> bool {
        self.canonical() == other.canonical()
    }
}
impl Eq for KeyValue {}
impl Hash for KeyValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical().hash(state)
    }
}

/// `(Mapper, primary key values)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdentityKey {
    pub mapper: MapperId,
    pub pk: Vec<KeyValue>,
}

impl IdentityKey {
    /// A key for these primary-key values; `None` if any is NULL (no identity yet).
    pub fn new(mapper: MapperId, values: &[Datum]) -> Option<IdentityKey> {
        let pk = values
            .iter()
            .map(|v| if matches!(v, Datum::Null) { None } else { Some(KeyValue(v.clone())) })
            .collect::<Option<Vec<_>>>()?;
        Some(IdentityKey { mapper, pk })
    }

    pub fn values(&self) -> impl Iterator<Item = &Datum> {
        self.pk.iter().map(|k| &k.0)
    }
}

/// The session's map from identity to object, iterated in the order objects entered it.
#[derive(Debug, Default, Clone)]
pub struct IdentityMap {
    objects: HashMap<IdentityKey, (ObjId, u64)>,
    order: BTreeMap<u64, ObjId>,
    next: u64,
}

impl IdentityMap {
    pub fn get(&self, key: &IdentityKey) -> Option<ObjId> {
        self.objects.get(key).map(|(obj, _)| *obj)
    }

    pub fn insert(&mut self, key: IdentityKey, obj: ObjId) {
        self.next += 1;
        if let Some((_, seq)) = self.objects.insert(key, (obj, self.next)) {
            self.order.remove(&seq);
        }
        self.order.insert(self.next, obj);
    }

    pub fn remove(&mut self, key: &IdentityKey) {
        if let Some((_, seq)) = self.objects.remove(key) {
            self.order.remove(&seq);
        }
    }

    pub fn objects(&self) -> impl Iterator<Item = ObjId> + '_ {
        self.order.values().copied()
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    pub fn clear(&mut self) {
        self.objects.clear();
        self.order.clear();
    }
}

//! The committed database as bytes, for keeping it across page reloads:
//! `SQLAPGDB` magic, a format version, the payload length and an FNV-1a
//! checksum, then a postcard payload of table definitions and rows. Indexes
//! are rebuilt on load. Decoding never panics: corrupted, truncated or
//! foreign data is an error that says what is wrong.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use gluesql::core::data::{Key, Value};
use serde::{Deserialize, Serialize};

use super::storage::Storage;
use crate::sql::{TableDef, ValueKind};

const MAGIC: &[u8; 8] = b"SQLAPGDB";
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 8 + 2 + 4 + 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    NotASnapshot,
    UnsupportedVersion(u16),
    Truncated { expected: usize, actual: usize },
    Corrupted,
    Invalid(String),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::NotASnapshot => f.write_str("saved database is not a sqla-playground snapshot"),
            SnapshotError::UnsupportedVersion(v) => {
                write!(f, "saved database has format version {v}; this playground reads version {FORMAT_VERSION}")
            }
            SnapshotError::Truncated { expected, actual } => {
                write!(f, "saved database is truncated: {actual} of {expected} bytes")
            }
            SnapshotError::Corrupted => f.write_str("saved database is corrupted (checksum mismatch)"),
            SnapshotError::Invalid(why) => write!(f, "saved database is invalid: {why}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

/// A stored value in a form every binary encoding round-trips exactly
/// (temporal and decimal values as their canonical text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Stored {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
    Date(String),
    Time(String),
    DateTime(String),
    Decimal(String),
}

#[derive(Serialize, Deserialize)]
struct StoredTable {
    def: TableDef,
    rows: Vec<(Stored, Vec<Stored>)>,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    tables: Vec<StoredTable>,
}

const DATE: &str = "%Y-%m-%d";
const TIME: &str = "%H:%M:%S%.f";
const DATETIME: &str = "%Y-%m-%d %H:%M:%S%.f";

fn stored(value: &Value) -> Stored {
    match value {
        Value::Null => Stored::Null,
        Value::I64(i) => Stored::Int(*i),
        Value::F64(f) => Stored::Float(*f),
        Value::Str(s) => Stored::Text(s.clone()),
        Value::Bool(b) => Stored::Bool(*b),
        Value::Bytea(b) => Stored::Bytes(b.clone()),
        Value::Date(d) => Stored::Date(d.format(DATE).to_string()),
        Value::Time(t) => Stored::Time(t.format(TIME).to_string()),
        Value::Timestamp(t) => Stored::DateTime(t.format(DATETIME).to_string()),
        Value::Decimal(d) => Stored::Decimal(d.to_string()),
        other => Stored::Text(String::from(other)),
    }
}

fn key_stored(key: &Key) -> Stored {
    stored(&Value::from(key.clone()))
}

fn value(stored: Stored) -> Result<Value, SnapshotError> {
    let bad = |what: &str, text: &str| SnapshotError::Invalid(format!("bad {what} value {text:?}"));
    Ok(match stored {
        Stored::Null => Value::Null,
        Stored::Int(i) => Value::I64(i),
        Stored::Float(f) => Value::F64(f),
        Stored::Text(s) => Value::Str(s),
        Stored::Bool(b) => Value::Bool(b),
        Stored::Bytes(b) => Value::Bytea(b),
        Stored::Date(s) => Value::Date(NaiveDate::parse_from_str(&s, DATE).map_err(|_| bad("date", &s))?),
        Stored::Time(s) => Value::Time(NaiveTime::parse_from_str(&s, TIME).map_err(|_| bad("time", &s))?),
        Stored::DateTime(s) => {
            Value::Timestamp(NaiveDateTime::parse_from_str(&s, DATETIME).map_err(|_| bad("datetime", &s))?)
        }
        Stored::Decimal(s) => Value::Decimal(s.parse().map_err(|_| bad("decimal", &s))?),
    })
}

fn fits(value: &Value, kind: ValueKind) -> bool {
    matches!(
        (value, kind),
        (Value::Null, _)
            | (Value::I64(_), ValueKind::Int)
            | (Value::F64(_), ValueKind::Float)
            | (Value::Str(_), ValueKind::Text | ValueKind::Json)
            | (Value::Bool(_), ValueKind::Bool)
            | (Value::Bytea(_), ValueKind::Bytes)
            | (Value::Date(_), ValueKind::Date)
            | (Value::Time(_), ValueKind::Time)
            | (Value::Timestamp(_), ValueKind::DateTime)
            | (Value::Decimal(_), ValueKind::Decimal)
    )
}

fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Encodes the tables of a storage (rows and definitions).
pub fn encode(storage: &Storage) -> Vec<u8> {
    let tables = storage
        .tables()
        .map(|table| StoredTable {
            def: table.def.as_ref().clone(),
            rows: table.rows.iter().map(|(key, row)| (key_stored(key), row.iter().map(stored).collect())).collect(),
        })
        .collect();
    // Encoding plain data into a Vec cannot fail; an empty payload would be rejected on load.
    let payload = postcard::to_allocvec(&Payload { tables }).unwrap_or_default();
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&u32::try_from(payload.len()).unwrap_or(u32::MAX).to_le_bytes());
    bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes
}

/// Decodes and validates a snapshot into a fresh storage.
pub fn decode(bytes: &[u8]) -> Result<Storage, SnapshotError> {
    let field = |range: std::ops::Range<usize>| bytes.get(range).ok_or(SnapshotError::NotASnapshot);
    if field(0..8)? != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let version = u16::from_le_bytes(field(8..10)?.try_into().map_err(|_| SnapshotError::NotASnapshot)?);
    if version != FORMAT_VERSION {
        return Err(SnapshotError::UnsupportedVersion(version));
    }
    let length = u32::from_le_bytes(field(10..14)?.try_into().map_err(|_| SnapshotError::NotASnapshot)?) as usize;
    let expected_sum = u64::from_le_bytes(field(14..22)?.try_into().map_err(|_| SnapshotError::NotASnapshot)?);
    let payload = bytes.get(HEADER_LEN..).unwrap_or_default();
    if payload.len() != length {
        return Err(SnapshotError::Truncated { expected: HEADER_LEN + length, actual: bytes.len() });
    }
    if checksum(payload) != expected_sum {
        return Err(SnapshotError::Corrupted);
    }
    let payload: Payload = postcard::from_bytes(payload).map_err(|e| SnapshotError::Invalid(e.to_string()))?;
    let mut storage = Storage::default();
    for table in payload.tables {
        let name = table.def.name.clone();
        if storage.table(&name).is_some() {
            return Err(SnapshotError::Invalid(format!("table {name} appears twice")));
        }
        let kinds: Vec<ValueKind> = table.def.columns.iter().map(|c| c.sql_type.value_kind()).collect();
        let rows = table
            .rows
            .into_iter()
            .map(|(key, row)| {
                let key = Key::try_from(value(key)?).map_err(|_| SnapshotError::Invalid(format!("bad row key in {name}")))?;
                let row = row.into_iter().map(value).collect::<Result<Vec<_>, _>>()?;
                if row.len() != kinds.len() || !row.iter().zip(&kinds).all(|(v, k)| fits(v, *k)) {
                    return Err(SnapshotError::Invalid(format!("a row of {name} does not match its columns")));
                }
                Ok((key, row))
            })
            .collect::<Result<Vec<_>, _>>()?;
        storage.restore_table(table.def, rows).map_err(|why| SnapshotError::Invalid(format!("table {name}: {why}")))?;
    }
    Ok(storage)
}

//! Between GlueSQL's stored values and the playground's `Datum`s.

use gluesql::core::data::{Key, Value};

use crate::sql::{Datum, ValueKind};

/// A stored value as a datum; `kind` (the column's, when known) turns the TEXT
/// that holds JSON back into `Datum::Json`.
pub fn datum(value: &Value, kind: Option<ValueKind>) -> Datum {
    match value {
        Value::Null => Datum::Null,
        Value::Bool(b) => Datum::Bool(*b),
        Value::I8(i) => Datum::Int(i64::from(*i)),
        Value::I16(i) => Datum::Int(i64::from(*i)),
        Value::I32(i) => Datum::Int(i64::from(*i)),
        Value::I64(i) => Datum::Int(*i),
        Value::U8(i) => Datum::Int(i64::from(*i)),
        Value::U16(i) => Datum::Int(i64::from(*i)),
        Value::U32(i) => Datum::Int(i64::from(*i)),
        Value::I128(_) | Value::U64(_) | Value::U128(_) => {
            let text = String::from(value);
            text.parse().map(Datum::Int).unwrap_or_else(|_| Datum::Text(text))
        }
        Value::F32(f) => Datum::Float(f64::from(*f)),
        Value::F64(f) => Datum::Float(*f),
        Value::Decimal(d) => Datum::Decimal(*d),
        Value::Str(s) if kind == Some(ValueKind::Json) => {
            serde_json::from_str(s).map(|json| Datum::Json(Box::new(json))).unwrap_or_else(|_| Datum::Text(s.clone()))
        }
        Value::Str(s) => Datum::Text(s.clone()),
        Value::Bytea(b) => Datum::Bytes(b.clone()),
        Value::Date(d) => Datum::Date(*d),
        Value::Timestamp(t) => Datum::DateTime(*t),
        Value::Time(t) => Datum::Time(*t),
        other => Datum::Text(String::from(other)),
    }
}

/// A row key (the primary key value, or the rowid) as a datum.
pub fn key_datum(key: &Key) -> Datum {
    match key {
        Key::I64(i) => Datum::Int(*i),
        Key::Str(s) => Datum::Text(s.clone()),
        Key::Bool(b) => Datum::Bool(*b),
        Key::F64(f) => Datum::Float(f.0),
        Key::Decimal(d) => Datum::Decimal(*d),
        Key::Date(d) => Datum::Date(*d),
        Key::Timestamp(t) => Datum::DateTime(*t),
        Key::Time(t) => Datum::Time(*t),
        Key::Bytea(b) => Datum::Bytes(b.clone()),
        Key::None => Datum::Null,
        other => {
            let value: Value = other.clone().into();
            datum(&value, None)
        }
    }
}

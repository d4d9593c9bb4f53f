//! `Datum`: one SQL value as the playground passes it between the ORM and the
//! database, and its rendering as the parameter SQLAlchemy hands to sqlite3.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::pyrepr;

/// A value bound into a statement or read back from a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Datum {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
    Date(NaiveDate),
    Time(NaiveTime),
    DateTime(NaiveDateTime),
    /// `Numeric` columns.
    Decimal(Decimal),
    /// `JSON` columns, stored as TEXT the way SQLAlchemy's JSON type does on SQLite. Boxed:
    /// a JSON value is several times larger than the other variants, and every loaded
    /// attribute of every ORM object is a `Datum`.
    Json(Box<serde_json::Value>),
    /// `Uuid` columns, bound as the 32 hex digits.
    Uuid(u128),
    /// A Python value sqlite3 cannot bind (a `uuid.UUID` or an object for a String column):
    /// carried to the database so the statement is echoed with it and refused there, as
    /// sqlite3 refuses it. `handle` lets the host give the object itself back when the
    /// attribute is read before a flush.
    Unbindable { type_name: String, repr: String, handle: u32 },
}

impl Datum {
    pub fn is_null(&self) -> bool {
        matches!(self, Datum::Null)
    }

    /// The Python repr of what sqlite3 receives for this value, as SQLAlchemy's
    /// echo shows it: `'john'`, `None`, `1`, `2.5`, booleans as `1`/`0`,
    /// temporal values as ISO strings with microseconds, Numeric as float,
    /// JSON as its `json.dumps` text, binary as a memoryview.
    pub fn echo_repr(&self) -> String {
        match self {
            Datum::Null => "None".to_owned(),
            Datum::Int(i) => i.to_string(),
            Datum::Float(f) => pyrepr::float_repr(*f),
            Datum::Text(s) => pyrepr::str_repr(s),
            Datum::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
            Datum::Bytes(bytes) => memoryview_repr(bytes),
            Datum::Date(d) => pyrepr::str_repr(&d.format("%Y-%m-%d").to_string()),
            Datum::Time(t) => pyrepr::str_repr(&t.format("%H:%M:%S%.6f").to_string()),
            Datum::DateTime(dt) => {
                pyrepr::str_repr(&dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
            }
            // SQLAlchemy's Numeric binds a float on SQLite (the driver has no decimal type).
            Datum::Decimal(d) => {
                pyrepr::float_repr(d.to_string().parse::<f64>().unwrap_or(f64::NAN))
            }
            Datum::Json(value) => pyrepr::str_repr(&pyrepr::json_dumps(value)),
            Datum::Unbindable { repr, .. } => repr.clone(),
            Datum::Uuid(_) => pyrepr::str_repr(&self.text_form()),
        }
    }

    /// The value written as a SQLite literal, for SQL dumps and inline literals.
    pub fn sqlite_literal(&self) -> String {
        match self {
            Datum::Null => "NULL".to_owned(),
            Datum::Int(i) => i.to_string(),
            Datum::Float(f) => pyrepr::float_repr(*f),
            Datum::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
            Datum::Decimal(d) => d.to_string(),
            Datum::Bytes(bytes) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
                format!("X'{hex}'")
            }
            Datum::Text(_) | Datum::Date(_) | Datum::Time(_) | Datum::DateTime(_) | Datum::Json(_) | Datum::Unbindable { .. } | Datum::Uuid(_) => {
                format!("'{}'", self.text_form().replace('\'', "''"))
            }
        }
    }

    /// The repr of the Python object itself, as SQLAlchemy logs parameters of a
    /// `text()` statement (no type processing): `True`, `datetime.date(2024, 1, 2)`.
    pub fn python_repr(&self) -> String {
        match self {
            Datum::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
            Datum::Bytes(bytes) => pyrepr::bytes_repr(bytes),
            Datum::Date(d) => format!("datetime.date({}, {}, {})", d.year(), d.month(), d.day()),
            Datum::Time(t) => format!("datetime.time({})", time_args(t.hour(), t.minute(), t.second(), t.nanosecond() / 1000)),
            Datum::DateTime(dt) => format!(
                "datetime.datetime({}, {}, {}, {})",
                dt.year(),
                dt.month(),
                dt.day(),
                time_args(dt.hour(), dt.minute(), dt.second(), dt.nanosecond() / 1000)
            ),
            Datum::Decimal(d) => format!("Decimal('{d}')"),
            Datum::Json(value) => pyrepr::json_as_python(value),
            other => other.echo_repr(),
        }
    }

    /// The value as sqlite3 returns it from a raw query: booleans as 0/1,
    /// temporal values and JSON as their stored text, Numeric as float.
    pub fn to_sqlite_storage(&self) -> Datum {
        match self {
            Datum::Bool(b) => Datum::Int(i64::from(*b)),
            Datum::Decimal(d) => Datum::Float(d.to_string().parse().unwrap_or(f64::NAN)),
            Datum::Date(_) | Datum::Time(_) | Datum::DateTime(_) | Datum::Json(_) => {
                Datum::Text(self.text_form())
            }
            other => other.clone(),
        }
    }

    /// The text SQLite stores for text-like values (what `str()` of the bound value gives).
    /// The value as JSON, as the DBAPI receives it (booleans as 1 / 0, dates as ISO text).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Datum::Null => Value::Null,
            Datum::Int(i) => Value::from(*i),
            Datum::Bool(b) => Value::from(i64::from(*b)),
            Datum::Float(f) => serde_json::Number::from_f64(*f).map_or_else(|| Value::String(pyrepr::float_repr(*f)), Value::Number),
            Datum::Decimal(d) => d.to_string().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or_else(|| Value::String(d.to_string()), Value::Number),
            other => Value::String(other.text_form()),
        }
    }

    fn text_form(&self) -> String {
        match self {
            Datum::Text(s) => s.clone(),
            Datum::Date(d) => d.format("%Y-%m-%d").to_string(),
            Datum::Time(t) => t.format("%H:%M:%S%.6f").to_string(),
            Datum::DateTime(dt) => dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
            Datum::Json(value) => pyrepr::json_dumps(value),
            Datum::Unbindable { repr, .. } => repr.clone(),
            Datum::Uuid(number) => format!("{number:032x}"),
            other => other.sqlite_literal(),
        }
    }
}

/// A UUID as `str(uuid)` shows it: `12345678-1234-5678-1234-567812345678`.
pub fn hyphenated_uuid(number: u128) -> String {
    let hex = format!("{number:032x}");
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

impl From<i64> for Datum {
    fn from(value: i64) -> Self {
        Datum::Int(value)
    }
}

impl From<&str> for Datum {
    fn from(value: &str) -> Self {
        Datum::Text(value.to_owned())
    }
}

impl From<String> for Datum {
    fn from(value: String) -> Self {
        Datum::Text(value)
    }
}

impl From<f64> for Datum {
    fn from(value: f64) -> Self {
        Datum::Float(value)
    }
}

impl From<bool> for Datum {
    fn from(value: bool) -> Self {
        Datum::Bool(value)
    }
}

/// `datetime.time`'s positional arguments, trailing zeros dropped as CPython does.
fn time_args(hour: u32, minute: u32, second: u32, micro: u32) -> String {
    match (second, micro) {
        (0, 0) => format!("{hour}, {minute}"),
        (_, 0) => format!("{hour}, {minute}, {second}"),
        _ => format!("{hour}, {minute}, {second}, {micro}"),
    }
}

/// SQLAlchemy binds LargeBinary values as `memoryview` objects; their repr carries
/// an address, which we derive from the content so the echo is reproducible.
fn memoryview_repr(bytes: &[u8]) -> String {
    let address = bytes
        .iter()
        .fold(0x7f00_0000_0000_u64, |acc, b| acc.wrapping_mul(31).wrapping_add(u64::from(*b)) & 0x7fff_ffff_fff0);
    format!("<memory at 0x{address:x}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_repr_matches_sqlite3_parameters() {
        let datetime = NaiveDate::from_ymd_opt(2024, 1, 2).and_then(|d| d.and_hms_opt(3, 4, 5));
        let datetime = datetime.map(Datum::DateTime).unwrap_or(Datum::Null);
        assert_eq!(datetime.echo_repr(), "'2024-01-02 03:04:05.000000'");
        assert_eq!(Datum::Bool(true).echo_repr(), "1");
        assert_eq!(Datum::Null.echo_repr(), "None");
        assert_eq!(Datum::Decimal(Decimal::new(150, 2)).echo_repr(), "1.5");
        assert_eq!(Datum::Text("john".into()).echo_repr(), "'john'");
        let json = Datum::Json(Box::new(serde_json::json!({"b": [1, null], "a": 2})));
        assert_eq!(json.echo_repr(), r#"'{"b": [1, null], "a": 2}'"#);
    }
}

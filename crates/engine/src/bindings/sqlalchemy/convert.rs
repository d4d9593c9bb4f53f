//! Python values ↔ SQL values (`Datum`), with the column type deciding where Python and
//! SQLite differ (a Boolean column stores `1`, a Float column turns `5` into `5.0`).

use std::rc::Rc;

use crate::bindings::stdlib::{self, Temporal};
use crate::orm::schema::ColumnType;
use crate::script::{Class, Interpreter, PyErr, PyResult, Value};
use crate::sql::Datum;

/// The SQL value of a Python value bound for a column of `column_type` (if known).
pub fn to_datum(interp: &mut Interpreter, value: &Value, column_type: Option<&ColumnType>) -> PyResult<Datum> {
    if let Some(ColumnType::Enum(names)) = column_type {
        if !matches!(value, Value::None | Value::Str(_)) {
            return enum_datum(interp, value, names);
        }
    }
    if let (Some(number), None | Some(ColumnType::Uuid { .. })) = (stdlib::uuid_number(value), column_type) {
        return Ok(Datum::Uuid(number));
    }
    if let Some(ColumnType::Uuid { .. }) = column_type {
        // `Uuid(as_uuid=False)` takes the string form.
        if let Value::Str(text) = value {
            return stdlib::parse_uuid_hex(text.as_str()).map(Datum::Uuid);
        }
    }
    let datum = match value {
        Value::None => Datum::Null,
        Value::Bool(b) => match column_type {
            Some(t) if t.is_integer() => Datum::Int(i64::from(*b)),
            _ => Datum::Bool(*b),
        },
        Value::Int(i) => match column_type {
            Some(ColumnType::Boolean) => Datum::Bool(*i != 0),
            Some(ColumnType::Float) => Datum::Float(*i as f64),
            Some(ColumnType::Numeric { .. }) => Datum::Decimal(rust_decimal::Decimal::from(*i)),
            _ => Datum::Int(*i),
        },
        Value::Float(f) => match column_type {
            Some(ColumnType::Numeric { .. }) => rust_decimal::Decimal::try_from(*f).map(Datum::Decimal).unwrap_or(Datum::Float(*f)),
            _ => Datum::Float(*f),
        },
        Value::Str(s) => match column_type {
            Some(ColumnType::Date | ColumnType::DateTime | ColumnType::Time) => {
                let kind = match column_type {
                    Some(ColumnType::Date) => "Date",
                    Some(ColumnType::DateTime) => "DateTime",
                    _ => "Time",
                };
                let expected = match kind {
                    "Date" => "date",
                    "DateTime" => "datetime and date",
                    _ => "time",
                };
                return Err(PyErr::type_error(format!("SQLite {kind} type only accepts Python {expected} objects as input.")));
            }
            // An Enum column passes any string through (SQLAlchemy's `validate_strings=False`).
            _ => Datum::Text(s.as_str().to_string()),
        },
        Value::Bytes(b) => Datum::Bytes(b.0.to_vec()),
        Value::List(_) | Value::Dict(_) | Value::Tuple(_) if matches!(column_type, Some(ColumnType::Json)) => {
            Datum::Json(Box::new(to_json(interp, value)?))
        }
        other => {
            if let Some(temporal) = stdlib::temporal_from_value(other) {
                match (temporal, column_type) {
                    (Temporal::DateTime(dt), Some(ColumnType::Date)) => Datum::Date(dt.date()),
                    (Temporal::DateTime(dt), _) => Datum::DateTime(dt),
                    (Temporal::Date(d), Some(ColumnType::DateTime)) => Datum::DateTime(d.and_hms_opt(0, 0, 0).unwrap_or_default()),
                    (Temporal::Date(d), _) => Datum::Date(d),
                    (Temporal::Time(t), _) => Datum::Time(t),
                }
            } else if let Some(decimal) = stdlib::decimal_from_value(other) {
                match column_type {
                    Some(ColumnType::Float) => Datum::Float(decimal.to_string().parse().unwrap_or(f64::NAN)),
                    _ => Datum::Decimal(decimal),
                }
            } else {
                let type_name = interp.class_of(other).name.to_string();
                let repr = interp.repr(other)?;
                Datum::Unbindable { type_name, repr, handle: UnbindableValues::keep(interp, other.clone()) }
            }
        }
    };
    Ok(datum)
}

/// The Python values sqlite3 cannot bind, named by `Datum::Unbindable` handles (kept apart
/// from the world, which may be borrowed while a column default runs).
#[derive(Clone, Default)]
struct UnbindableValues(Rc<std::cell::RefCell<Vec<Value>>>);

impl UnbindableValues {
    fn of(interp: &mut Interpreter) -> UnbindableValues {
        if let Some(values) = interp.extension::<UnbindableValues>() {
            return values.clone();
        }
        let values = UnbindableValues::default();
        interp.insert_extension(values.clone());
        values
    }

    fn keep(interp: &mut Interpreter, value: Value) -> u32 {
        let values = UnbindableValues::of(interp);
        let mut values = values.0.borrow_mut();
        values.push(value);
        values.len() as u32 - 1
    }

    fn get(interp: &mut Interpreter, handle: u32) -> Value {
        UnbindableValues::of(interp).0.borrow().get(handle as usize).cloned().unwrap_or(Value::None)
    }
}

/// An Enum column stores a member's name; other values are refused.
fn enum_datum(interp: &mut Interpreter, value: &Value, names: &[String]) -> PyResult<Datum> {
    match stdlib::enum_member_name(value) {
        Some((_, name)) if names.contains(&name) => Ok(Datum::Text(name)),
        // The column's enum class is not known here: SQLAlchemy would name it.
        _ => Err(not_an_enum_value(&interp.str(value)?, None, names)),
    }
}

/// SQLAlchemy's LookupError for a value an Enum column does not know; `enum_name` is the
/// lowercased enum class name, when known.
fn not_an_enum_value(shown: &str, enum_name: Option<&str>, names: &[String]) -> PyErr {
    // SQLAlchemy's `repr_tuple_names`: four names at most, long ones cut.
    let cut = |n: &String| if n.chars().count() > 11 { format!("{n}..") } else { n.clone() };
    let possible = if names.len() <= 4 {
        names.iter().map(cut).collect::<Vec<_>>().join(", ")
    } else {
        let first: Vec<String> = names.iter().take(3).map(cut).collect();
        format!("{}, ..., {}", first.join(", "), names.last().map(cut).unwrap_or_default())
    };
    PyErr::new(
        crate::script::ExcKind::LookupError,
        format!("'{shown}' is not among the defined enum values. Enum name: {}. Possible values: {possible}", enum_name.unwrap_or("None")),
    )
}

/// The member of `enum_class` a stored name loads as (an Enum(SomeEnum) column).
pub fn to_enum_member(interp: &mut Interpreter, datum: &Datum, enum_class: &Class) -> PyResult<Value> {
    match datum {
        Datum::Text(name) => stdlib::enum_member_by_name(enum_class, name).ok_or_else(|| {
            let names = stdlib::enum_member_names(enum_class).unwrap_or_default();
            not_an_enum_value(name, Some(&enum_class.name.to_lowercase()), &names)
        }),
        other => to_value(interp, other),
    }
}

/// The Python value of a SQL value.
pub fn to_value(interp: &mut Interpreter, datum: &Datum) -> PyResult<Value> {
    Ok(match datum {
        Datum::Null => Value::None,
        Datum::Int(i) => Value::Int(*i),
        Datum::Float(f) => Value::Float(*f),
        Datum::Text(s) => Value::str(s),
        Datum::Bool(b) => Value::Bool(*b),
        Datum::Bytes(b) => Value::Bytes(Rc::new(crate::script::value::PyBytes(b.clone().into_boxed_slice()))),
        Datum::Date(d) => stdlib::temporal_to_value(interp, Temporal::Date(*d))?,
        Datum::DateTime(dt) => stdlib::temporal_to_value(interp, Temporal::DateTime(*dt))?,
        Datum::Time(t) => stdlib::temporal_to_value(interp, Temporal::Time(*t))?,
        Datum::Decimal(d) => stdlib::decimal_to_value(interp, *d)?,
        Datum::Json(json) => from_json(json),
        Datum::Uuid(number) => stdlib::new_uuid(interp, *number)?,
        Datum::Unbindable { handle, .. } => UnbindableValues::get(interp, *handle),
    })
}

fn to_json(interp: &mut Interpreter, value: &Value) -> PyResult<serde_json::Value> {
    Ok(match value {
        Value::None => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null),
        Value::Str(s) => serde_json::Value::String(s.as_str().to_string()),
        Value::List(_) | Value::Tuple(_) => {
            let items = interp.collect(value)?;
            serde_json::Value::Array(items.iter().map(|v| to_json(interp, v)).collect::<PyResult<_>>()?)
        }
        Value::Dict(d) => {
            let mut map = serde_json::Map::new();
            for (k, v) in interp.dict_items(d) {
                let Some(key) = k.as_str().map(str::to_string) else {
                    return Err(PyErr::type_error(format!("keys must be str, int, float, bool or None, not {}", interp.class_of(&k).name)));
                };
                map.insert(key, to_json(interp, &v)?);
            }
            serde_json::Value::Object(map)
        }
        other => {
            let name = interp.class_of(other).name.to_string();
            return Err(PyErr::type_error(format!("Object of type {name} is not JSON serializable")));
        }
    })
}

fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_i64().map(Value::Int).unwrap_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN))),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => Value::dict_from_str_pairs(map.iter().map(|(k, v)| (k.as_str(), from_json(v)))),
    }
}

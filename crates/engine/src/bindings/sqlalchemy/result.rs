//! Results: `Row` (a named tuple: `row.username`, `row[0]`), `Result` from
//! `session.execute(...)` with `scalars()`, `scalar_one()`, `mappings()`, `all()`, ... and
//! the conversion of ORM rows into Python values.

use std::cell::Cell;
use std::rc::Rc;

use super::attributes::python_object;
use super::convert::to_value;
use super::world::World;
use crate::orm::loading::{QueryRows, RowValue};
use crate::script::ast::CmpOp;
use crate::script::{Interpreter, NativeObject, PyErr, PyResult, Value};

/// A result row: a tuple with names.
pub struct Row {
    pub keys: Rc<Vec<String>>,
    pub values: Vec<Value>,
}

impl Row {
    pub fn value(keys: Rc<Vec<String>>, values: Vec<Value>) -> Value {
        Value::Native(Rc::new(Row { keys, values }))
    }
}

impl NativeObject for Row {
    fn type_name(&self) -> &str {
        "Row"
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if let Some(i) = self.keys.iter().position(|k| k == name) {
            return Ok(self.values.get(i).cloned());
        }
        let this = this.clone();
        Ok(match name {
            "_mapping" => Some(mapping(&self.keys, &self.values)),
            "_asdict" => Some(crate::script::native_fn("_asdict", move |_, _| {
                Ok(this.downcast_native::<Row>().map(|r| mapping(&r.keys, &r.values)).unwrap_or(Value::None))
            })),
            "_fields" => Some(Value::tuple(self.keys.iter().map(|k| Value::str(k)).collect())),
            "_tuple" | "_t" => Some(Value::tuple(self.values.clone())),
            _ => None,
        })
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        self.keys.iter().cloned().chain(["_mapping".to_string(), "_asdict".to_string(), "_fields".to_string()]).collect()
    }

    fn len(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<usize>> {
        Ok(Some(self.values.len()))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        Ok(Some(crate::script::iterator_from_values(self.values.clone())))
    }

    fn get_item(&self, interp: &mut Interpreter, _this: &Value, key: &Value) -> PyResult<Option<Value>> {
        interp.getitem(&Value::tuple(self.values.clone()), key).map(Some)
    }

    fn contains(&self, interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        interp.contains(&Value::tuple(self.values.clone()), item).map(Some)
    }

    fn compare(&self, interp: &mut Interpreter, _this: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        let other = match other.downcast_native::<Row>() {
            Some(row) => Value::tuple(row.values.clone()),
            None => other.clone(),
        };
        interp.compare(&Value::tuple(self.values.clone()), op, &other).map(Some)
    }

    fn hash(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<i64> {
        interp.hash(&Value::tuple(self.values.clone()))
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        interp.repr(&Value::tuple(self.values.clone()))
    }
}

fn mapping(keys: &[String], values: &[Value]) -> Value {
    Value::dict_from_str_pairs(keys.iter().map(String::as_str).zip(values.iter().cloned()))
}

/// Python values for ORM rows: objects for a single-entity legacy query, `Row`s otherwise.
pub fn rows_to_values(interp: &mut Interpreter, world: &World, rows: QueryRows, single_object: bool) -> PyResult<Vec<Value>> {
    let keys = Rc::new(rows.keys);
    let mut out = Vec::with_capacity(rows.rows.len());
    for row in rows.rows {
        let mut values = Vec::with_capacity(row.len());
        for value in row {
            values.push(match value {
                RowValue::Object(None) => Value::None,
                RowValue::Object(Some(obj)) => {
                    let mut w = world.borrow()?;
                    python_object(interp, &mut w, obj)
                }
                RowValue::Value(datum) => to_value(interp, &datum)?,
            });
        }
        out.push(if single_object && values.len() == 1 { values.remove(0) } else { Row::value(keys.clone(), values) });
    }
    Ok(out)
}

/// The first column of a row (`scalar()`), or the value itself when it is not a row.
pub fn first_column(_interp: &mut Interpreter, row: &Value) -> PyResult<Value> {
    Ok(match row.downcast_native::<Row>() {
        Some(r) => r.values.first().cloned().unwrap_or(Value::None),
        None => row.clone(),
    })
}

/// What `session.execute(...)` returns.
pub struct ResultValue {
    pub keys: Rc<Vec<String>>,
    /// Rows (or scalars, once `scalars()` was applied).
    pub rows: Vec<Value>,
    pub scalars: bool,
    pub mappings: bool,
    pub rowcount: Option<usize>,
    /// From a Core statement (text(), DML): SQLAlchemy's `CursorResult`.
    pub cursor: bool,
    consumed: Cell<usize>,
}

impl ResultValue {
    /// A result of an ORM select (`rowcount: None`) or of a Core statement (`Some(rows)`).
    pub fn new(keys: Vec<String>, rows: Vec<Value>, rowcount: Option<usize>) -> Value {
        let cursor = rowcount.is_some();
        Value::Native(Rc::new(ResultValue { keys: Rc::new(keys), rows, scalars: false, mappings: false, rowcount, cursor, consumed: Cell::new(0) }))
    }

    fn remaining(&self) -> Vec<Value> {
        let start = self.consumed.get().min(self.rows.len());
        self.consumed.set(self.rows.len());
        self.rows[start..].to_vec()
    }

    fn shaped(&self, interp: &mut Interpreter, row: &Value) -> PyResult<Value> {
        if self.mappings {
            if let Some(r) = row.downcast_native::<Row>() {
                return Ok(mapping(&r.keys, &r.values));
            }
        }
        if self.scalars {
            return first_column(interp, row);
        }
        Ok(row.clone())
    }

    fn derived(&self, scalars: bool, mappings: bool, rows: Vec<Value>) -> Value {
        Value::Native(Rc::new(ResultValue { keys: self.keys.clone(), rows, scalars, mappings, rowcount: self.rowcount, cursor: self.cursor, consumed: Cell::new(0) }))
    }

    fn method(&self, interp: &mut Interpreter, name: &str, args: &[Value]) -> PyResult<Value> {
        let no_result = |interp: &mut Interpreter| super::errors::sqlalchemy_error(interp, "NoResultFound", "No row was found when one was required");
        let multiple = |interp: &mut Interpreter| super::errors::sqlalchemy_error(interp, "MultipleResultsFound", "Multiple rows were found when exactly one was required");
        match name {
            "all" | "fetchall" => {
                let rows = self.remaining();
                let shaped = rows.iter().map(|r| self.shaped(interp, r)).collect::<PyResult<Vec<_>>>()?;
                Ok(Value::list(shaped))
            }
            "first" | "fetchone" => {
                let rows = if name == "first" { self.remaining() } else { self.take_one() };
                match rows.first() {
                    Some(row) => self.shaped(interp, row),
                    None => Ok(Value::None),
                }
            }
            "fetchmany" => {
                let size = args.first().and_then(Value::as_int).unwrap_or(1).max(0) as usize;
                let start = self.consumed.get().min(self.rows.len());
                let end = (start + size).min(self.rows.len());
                self.consumed.set(end);
                let shaped = self.rows[start..end].iter().map(|r| self.shaped(interp, r)).collect::<PyResult<Vec<_>>>()?;
                Ok(Value::list(shaped))
            }
            "one" | "one_or_none" | "scalar_one" | "scalar_one_or_none" => {
                let rows = self.remaining();
                let row = match rows.len() {
                    0 if name.ends_with("or_none") => return Ok(Value::None),
                    0 => return Err(no_result(interp)),
                    1 => rows.into_iter().next().unwrap_or(Value::None),
                    _ => return Err(multiple(interp)),
                };
                if name.starts_with("scalar") { first_column(interp, &row) } else { self.shaped(interp, &row) }
            }
            "scalar" => {
                let rows = self.remaining();
                match rows.first() {
                    Some(row) => first_column(interp, row),
                    None => Ok(Value::None),
                }
            }
            "scalars" => {
                let index = args.first().and_then(Value::as_int).unwrap_or(0) as usize;
                let rows = self.remaining();
                let picked = rows
                    .iter()
                    .map(|r| match r.downcast_native::<Row>() {
                        Some(row) => row.values.get(index).cloned().unwrap_or(Value::None),
                        None => r.clone(),
                    })
                    .collect();
                Ok(self.derived(true, false, picked))
            }
            "mappings" => Ok(self.derived(false, true, self.remaining())),
            "unique" => {
                let rows = self.remaining();
                let mut unique: Vec<Value> = Vec::new();
                for row in rows {
                    let mut seen = false;
                    for u in &unique {
                        if interp.eq(u, &row)? {
                            seen = true;
                            break;
                        }
                    }
                    if !seen {
                        unique.push(row);
                    }
                }
                Ok(self.derived(self.scalars, self.mappings, unique))
            }
            "keys" => Ok(Value::list(self.keys.iter().map(|k| Value::str(k)).collect())),
            "close" => {
                self.consumed.set(self.rows.len());
                Ok(Value::None)
            }
            _ => Err(PyErr::attribute_error(format!("'Result' object has no attribute '{name}'"))),
        }
    }

    fn take_one(&self) -> Vec<Value> {
        let start = self.consumed.get();
        if start >= self.rows.len() {
            return vec![];
        }
        self.consumed.set(start + 1);
        vec![self.rows[start].clone()]
    }
}

const RESULT_METHODS: &[&str] = &[
    "all", "fetchall", "first", "fetchone", "fetchmany", "one", "one_or_none", "scalar_one", "scalar_one_or_none", "scalar", "scalars", "mappings",
    "unique", "keys", "close",
];

impl NativeObject for ResultValue {
    fn type_name(&self) -> &str {
        match (self.scalars, self.mappings) {
            (true, _) => "ScalarResult",
            (_, true) => "MappingResult",
            _ => "Result",
        }
    }

    fn get_attr(&self, _interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        if name == "rowcount" {
            return Ok(Some(Value::Int(self.rowcount.unwrap_or(self.rows.len()) as i64)));
        }
        let Some(method) = RESULT_METHODS.iter().find(|m| **m == name) else { return Ok(None) };
        let method: &'static str = method;
        let this = this.clone();
        Ok(Some(crate::script::native_fn(method, move |interp, args| match this.downcast_native::<ResultValue>() {
            Some(result) => result.method(interp, method, &args.args),
            None => Ok(Value::None),
        })))
    }

    fn is_iterable(&self) -> bool {
        true
    }

    fn iter(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<Option<Value>> {
        let rows = self.remaining();
        let shaped = rows.iter().map(|r| self.shaped(interp, r)).collect::<PyResult<Vec<_>>>()?;
        Ok(Some(crate::script::iterator_from_values(shaped)))
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        let address = match this {
            Value::Native(rc) => Rc::as_ptr(rc) as *const () as usize,
            _ => 0,
        };
        let class = match self.type_name() {
            "ScalarResult" => "sqlalchemy.engine.result.ScalarResult",
            "MappingResult" => "sqlalchemy.engine.result.MappingResult",
            _ if self.cursor => "sqlalchemy.engine.cursor.CursorResult",
            _ => "sqlalchemy.engine.result.ChunkedIteratorResult",
        };
        Ok(format!("<{class} object at 0x{address:x}>"))
    }
}

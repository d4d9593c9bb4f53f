//! Column types as Python sees them: `db.Integer` (the class, usable uncalled) and
//! `db.String(80)` (an instance), both carrying the ORM's [`ColumnType`].

use std::rc::Rc;

use crate::orm::schema::ColumnType;
use crate::bindings::stdlib;
use crate::script::value::Class;
use crate::script::{CallArgs, Interpreter, NativeObject, PyErr, PyResult, Value};

/// A type class (`Integer`) or type instance (`String(length=80)`).
pub struct TypeValue {
    pub name: &'static str,
    pub column_type: ColumnType,
    /// Created by calling the class (`Integer()`), as opposed to the class itself.
    pub instance: bool,
    /// `Enum(Mood)`: the Python enum class whose member names are stored.
    pub enum_class: Option<Rc<Class>>,
}

impl TypeValue {
    fn class(name: &'static str, column_type: ColumnType) -> Value {
        Value::Native(Rc::new(TypeValue { name, column_type, instance: false, enum_class: None }))
    }
}

/// The Python enum class a column type stores (`Enum(Mood)`, or `Mood` itself in
/// `Mapped[Mood]`).
pub fn enum_class_of(value: &Value) -> Option<Rc<Class>> {
    if let Some(t) = value.downcast_native::<TypeValue>() {
        return t.enum_class.clone();
    }
    value.as_class().filter(|c| stdlib::enum_member_names(c).is_some()).cloned()
}

/// The type classes `sqlalchemy` exports, by name (SQL-standard uppercase names too).
pub fn type_classes() -> Vec<(&'static str, Value)> {
    let string = ColumnType::String(None);
    vec![
        ("Integer", TypeValue::class("Integer", ColumnType::Integer)),
        ("INTEGER", TypeValue::class("INTEGER", ColumnType::Integer)),
        ("INT", TypeValue::class("INT", ColumnType::Integer)),
        ("BigInteger", TypeValue::class("BigInteger", ColumnType::BigInteger)),
        ("BIGINT", TypeValue::class("BIGINT", ColumnType::BigInteger)),
        ("SmallInteger", TypeValue::class("SmallInteger", ColumnType::SmallInteger)),
        ("SMALLINT", TypeValue::class("SMALLINT", ColumnType::SmallInteger)),
        ("String", TypeValue::class("String", string.clone())),
        ("VARCHAR", TypeValue::class("VARCHAR", string.clone())),
        ("CHAR", TypeValue::class("CHAR", string)),
        ("Text", TypeValue::class("Text", ColumnType::Text)),
        ("TEXT", TypeValue::class("TEXT", ColumnType::Text)),
        ("Unicode", TypeValue::class("Unicode", ColumnType::Unicode(None))),
        ("UnicodeText", TypeValue::class("UnicodeText", ColumnType::UnicodeText)),
        ("Boolean", TypeValue::class("Boolean", ColumnType::Boolean)),
        ("BOOLEAN", TypeValue::class("BOOLEAN", ColumnType::Boolean)),
        ("Float", TypeValue::class("Float", ColumnType::Float)),
        ("FLOAT", TypeValue::class("FLOAT", ColumnType::Float)),
        ("REAL", TypeValue::class("REAL", ColumnType::Float)),
        ("Double", TypeValue::class("Double", ColumnType::Float)),
        ("Numeric", TypeValue::class("Numeric", ColumnType::Numeric { precision: None, scale: None })),
        ("NUMERIC", TypeValue::class("NUMERIC", ColumnType::Numeric { precision: None, scale: None })),
        ("DECIMAL", TypeValue::class("DECIMAL", ColumnType::Numeric { precision: None, scale: None })),
        ("Date", TypeValue::class("Date", ColumnType::Date)),
        ("DATE", TypeValue::class("DATE", ColumnType::Date)),
        ("DateTime", TypeValue::class("DateTime", ColumnType::DateTime)),
        ("DATETIME", TypeValue::class("DATETIME", ColumnType::DateTime)),
        ("TIMESTAMP", TypeValue::class("TIMESTAMP", ColumnType::DateTime)),
        ("Time", TypeValue::class("Time", ColumnType::Time)),
        ("TIME", TypeValue::class("TIME", ColumnType::Time)),
        ("LargeBinary", TypeValue::class("LargeBinary", ColumnType::LargeBinary)),
        ("BLOB", TypeValue::class("BLOB", ColumnType::LargeBinary)),
        ("Enum", TypeValue::class("Enum", ColumnType::Enum(vec![]))),
        ("JSON", TypeValue::class("JSON", ColumnType::Json)),
        ("Uuid", TypeValue::class("Uuid", ColumnType::Uuid { as_uuid: true })),
    ]
}

/// The column type named by a value: a type class, a type instance, or a Python type used in
/// an annotation (`Mapped[int]`, `Mapped[str]`, `Mapped[datetime]`).
pub fn column_type_of(interp: &mut Interpreter, value: &Value) -> Option<ColumnType> {
    if let Value::Native(native) = value {
        let _ = native;
        return value.downcast_native::<TypeValue>().map(|t| t.column_type.clone());
    }
    let class = value.as_class()?;
    Some(match class.name.as_ref() {
        "int" => ColumnType::Integer,
        "str" => ColumnType::String(None),
        "float" => ColumnType::Float,
        "bool" => ColumnType::Boolean,
        "bytes" => ColumnType::LargeBinary,
        "datetime" => ColumnType::DateTime,
        "date" => ColumnType::Date,
        "time" => ColumnType::Time,
        "Decimal" => ColumnType::Numeric { precision: None, scale: None },
        "dict" | "list" => ColumnType::Json,
        "UUID" if &*class.module == "uuid" => ColumnType::Uuid { as_uuid: true },
        _ => {
            let _ = interp;
            // `Mapped[Mood]`: an enum class maps to `Enum(Mood)`.
            return stdlib::enum_member_names(class).map(ColumnType::Enum);
        }
    })
}

impl NativeObject for TypeValue {
    fn type_name(&self) -> &str {
        if self.instance { self.name } else { "type" }
    }

    fn is_callable(&self) -> bool {
        !self.instance
    }

    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        let mut enum_class = None;
        let column_type = match &self.column_type {
            ColumnType::String(_) | ColumnType::Unicode(_) => {
                let [length, _collation] = args.bind(self.name, ["length", "collation"], 0)?;
                let length = match length {
                    None | Some(Value::None) => None,
                    Some(v) => Some(v.as_int().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| PyErr::type_error("length must be a non-negative int"))?),
                };
                if matches!(self.column_type, ColumnType::Unicode(_)) { ColumnType::Unicode(length) } else { ColumnType::String(length) }
            }
            ColumnType::Text => {
                args.bind(self.name, ["length", "collation"], 0)?;
                ColumnType::Text
            }
            ColumnType::Numeric { .. } => {
                let [precision, scale, _decimal, _] = args.bind(self.name, ["precision", "scale", "decimal_return_scale", "asdecimal"], 0)?;
                let as_u32 = |v: Option<Value>| v.and_then(|v| v.as_int()).and_then(|n| u32::try_from(n).ok());
                ColumnType::Numeric { precision: as_u32(precision), scale: as_u32(scale) }
            }
            ColumnType::Enum(_) => {
                let mut values = Vec::new();
                for arg in &args.args {
                    match arg {
                        Value::Str(s) => values.push(s.as_str().to_string()),
                        other => {
                            // An enum.Enum class: its member names (aliases included, as
                            // SQLAlchemy reads `__members__`).
                            enum_class = other.as_class().cloned();
                            let members = interp.getattr(other, "__members__")?;
                            for key in interp.collect(&members)? {
                                values.push(interp.str(&key)?);
                            }
                        }
                    }
                }
                ColumnType::Enum(values)
            }
            ColumnType::Uuid { .. } => {
                let [as_uuid, _native_uuid] = args.bind(self.name, ["as_uuid", "native_uuid"], 0)?;
                ColumnType::Uuid { as_uuid: as_uuid.map(|v| interp.truthy(&v)).transpose()?.unwrap_or(true) }
            }
            other => other.clone(),
        };
        Ok(Value::Native(Rc::new(TypeValue { name: self.name, column_type, instance: true, enum_class })))
    }

    fn repr(&self, _interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        if !self.instance {
            return Ok(format!("<class 'sqlalchemy.sql.sqltypes.{}'>", self.name));
        }
        Ok(match &self.column_type {
            ColumnType::String(Some(n)) | ColumnType::Unicode(Some(n)) => format!("{}(length={n})", self.name),
            ColumnType::Numeric { precision: Some(p), scale: Some(s) } => format!("{}(precision={p}, scale={s})", self.name),
            ColumnType::Enum(values) => {
                let members = values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ");
                // An enum class names the type after itself, lowercased.
                match &self.enum_class {
                    Some(class) => format!("Enum({members}, name='{}')", class.name.to_lowercase()),
                    None => format!("Enum({members})"),
                }
            }
            ColumnType::Uuid { as_uuid: false } => format!("{}(as_uuid=False)", self.name),
            _ => format!("{}()", self.name),
        })
    }
}

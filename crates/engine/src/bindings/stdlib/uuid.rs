//! `uuid`: `uuid4()` from the host's entropy and `UUID` values (parsed from hex strings,
//! bytes or ints; printed, compared and hashed as CPython does), with CPython's messages for
//! malformed input. The 128-bit number is kept whole; only `.int` and `int()` of it meet the
//! playground's 64-bit integers, and say so when it does not fit.

use std::rc::Rc;

use crate::script::value::hash::fix_hash;
use crate::script::value::Class;
use crate::script::{CallArgs, ClassBuilder, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::host::entropy;
use super::native::{cached, skip_receiver, AttrGetter, ComputedAttr};

const RFC_4122: &str = "specified in RFC 4122";
const RESERVED_NCS: &str = "reserved for NCS compatibility";
const RESERVED_MICROSOFT: &str = "reserved for Microsoft compatibility";
const RESERVED_FUTURE: &str = "reserved for future definition";
const ONE_OF: &str = "one of the hex, bytes, bytes_le, fields, or int arguments must be given";

/// The number inside a `UUID` instance.
struct UuidState(u128);

#[derive(Clone)]
struct UuidClass(Rc<Class>);

fn uuid_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    cached(interp, |interp| build_class(interp).map(UuidClass)).map(|c| c.0)
}

pub fn new_uuid(interp: &mut Interpreter, number: u128) -> PyResult<Value> {
    let class = uuid_class(interp)?;
    let instance = interp.new_instance(&class);
    instance.set_native_state(Rc::new(UuidState(number)));
    Ok(Value::Instance(instance))
}

pub fn number_of(v: &Value) -> Option<u128> {
    v.as_instance()?.native_state_as::<UuidState>().map(|s| s.0)
}

fn this(args: &CallArgs) -> PyResult<u128> {
    args.args.first().and_then(number_of).ok_or_else(|| PyErr::type_error("descriptor requires a 'UUID' object"))
}

use crate::sql::value::hyphenated_uuid;

fn hex(number: u128) -> String {
    format!("{number:032x}")
}

fn variant(number: u128) -> &'static str {
    if number & (0x8000 << 48) == 0 {
        RESERVED_NCS
    } else if number & (0x4000 << 48) == 0 {
        RFC_4122
    } else if number & (0x2000 << 48) == 0 {
        RESERVED_MICROSOFT
    } else {
        RESERVED_FUTURE
    }
}

/// `UUID(hex)`'s parsing: braces, `urn:uuid:` and hyphens are dropped, 32 hex digits remain.
pub fn parse_hex(text: &str) -> PyResult<u128> {
    let digits = text.replace("urn:", "").replace("uuid:", "");
    let digits = digits.trim_matches(|c| c == '{' || c == '}').replace('-', "");
    if digits.chars().count() != 32 {
        return Err(PyErr::value_error("badly formed hexadecimal UUID string"));
    }
    u128::from_str_radix(&digits, 16)
        .ok()
        .filter(|_| digits.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or_else(|| PyErr::value_error(format!("invalid literal for int() with base 16: {}", crate::script::repr_str(&digits))))
}

/// Sets the RFC 4122 variant and `version` bits, as `UUID(..., version=n)` does.
fn with_version(number: u128, version: i64) -> PyResult<u128> {
    if !(1..=5).contains(&version) {
        return Err(PyErr::value_error("illegal version number"));
    }
    let number = (number & !(0xc000 << 48)) | (0x8000 << 48);
    Ok((number & !(0xf000 << 64)) | ((version as u128) << 76))
}

fn construct(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    skip_receiver(&mut args);
    let [hex_arg, bytes, bytes_le, fields, int, version] = args.bind("UUID", ["hex", "bytes", "bytes_le", "fields", "int", "version"], 0)?;
    let given = [&hex_arg, &bytes, &bytes_le, &fields, &int].iter().filter(|v| v.as_ref().is_some_and(|v| !v.is_none())).count();
    if given != 1 {
        return Err(PyErr::type_error(ONE_OF));
    }
    let number = if let Some(text) = hex_arg.filter(|v| !v.is_none()) {
        let text = text.as_str().map(str::to_owned).ok_or_else(|| PyErr::attribute_error(format!("'{}' object has no attribute 'replace'", text.type_name())))?;
        parse_hex(&text)?
    } else if let Some(value) = bytes.filter(|v| !v.is_none()) {
        let Value::Bytes(raw) = &value else { return Err(PyErr::type_error(format!("object of type '{}' has no len()", value.type_name()))) };
        let raw: [u8; 16] = raw.0.as_ref().try_into().map_err(|_| PyErr::value_error("bytes is not a 16-char string"))?;
        u128::from_be_bytes(raw)
    } else if let Some(value) = int.filter(|v| !v.is_none()) {
        match value {
            Value::Int(n) => u128::try_from(n).map_err(|_| PyErr::value_error("int is out of range (need a 128-bit value)"))?,
            other => return Err(PyErr::type_error(format!("'<=' not supported between instances of 'int' and '{}'", other.type_name()))),
        }
    } else {
        return Err(PyErr::not_implemented("UUID(bytes_le=...) and UUID(fields=...) are not supported in the playground; use a hex string, bytes or int"));
    };
    let number = match version.filter(|v| !v.is_none()) {
        Some(v) => with_version(number, v.as_int().ok_or_else(|| PyErr::type_error(format!("'<=' not supported between instances of 'int' and '{}'", v.type_name())))?)?,
        None => number,
    };
    new_uuid(interp, number)
}

fn int_value(number: u128) -> PyResult<Value> {
    i64::try_from(number).map(Value::Int).map_err(|_| PyErr::int_overflow())
}

fn instance_number(this: Option<&Value>) -> PyResult<u128> {
    this.and_then(number_of).ok_or_else(|| PyErr::type_error("descriptor requires a 'UUID' object"))
}

/// The read-only attributes computed from the number: `hex`, `int`, `urn`, `bytes`,
/// `variant`, `version` (None unless the variant is RFC 4122's).
fn attribute(name: &'static str) -> Value {
    let get: AttrGetter = match name {
        "hex" => |_, this, _| Ok(Value::string(hex(instance_number(this)?))),
        "int" => |_, this, _| int_value(instance_number(this)?),
        "urn" => |_, this, _| Ok(Value::string(format!("urn:uuid:{}", hyphenated_uuid(instance_number(this)?)))),
        "bytes" => |_, this, _| Ok(Value::bytes(instance_number(this)?.to_be_bytes().to_vec())),
        "variant" => |_, this, _| Ok(Value::str(variant(instance_number(this)?))),
        _ => |_, this, _| {
            let number = instance_number(this)?;
            Ok(if variant(number) == RFC_4122 { Value::Int(((number >> 76) & 0xf) as i64) } else { Value::None })
        },
    };
    ComputedAttr::value(name, get, Some(|_, _, _| Err(PyErr::type_error("UUID objects are immutable"))))
}

/// `hash(u)` is `hash(u.int)`: the number modulo 2**61 - 1, as CPython hashes ints.
fn hash(number: u128) -> i64 {
    fix_hash((number % ((1u128 << 61) - 1)) as i64)
}

fn compare(args: &CallArgs, test: fn(u128, u128) -> bool) -> PyResult<Value> {
    let left = this(args)?;
    Ok(match args.args.get(1).and_then(number_of) {
        Some(right) => Value::Bool(test(left, right)),
        None => Value::NotImplemented,
    })
}

fn build_class(interp: &mut Interpreter) -> PyResult<Rc<Class>> {
    let mut builder = ClassBuilder::new("UUID", "uuid")
        .static_method("__new__", construct)
        // Construction happens in `__new__`; this only accepts its arguments.
        .method("__init__", |_, _| Ok(Value::None))
        .method("__str__", |_, args| Ok(Value::string(hyphenated_uuid(this(&args)?))))
        .method("__repr__", |_, args| Ok(Value::string(format!("UUID('{}')", hyphenated_uuid(this(&args)?)))))
        .method("__hash__", |_, args| Ok(Value::Int(hash(this(&args)?))))
        .method("__int__", |_, args| int_value(this(&args)?))
        .method("__eq__", |_, args| compare(&args, |a, b| a == b))
        .method("__ne__", |_, args| compare(&args, |a, b| a != b))
        .method("__lt__", |_, args| compare(&args, |a, b| a < b))
        .method("__le__", |_, args| compare(&args, |a, b| a <= b))
        .method("__gt__", |_, args| compare(&args, |a, b| a > b))
        .method("__ge__", |_, args| compare(&args, |a, b| a >= b));
    for name in ["hex", "int", "urn", "bytes", "variant", "version"] {
        builder = builder.attr(name, attribute(name));
    }
    builder.build(interp)
}

fn uuid4(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    args.exactly("uuid4", 0)?;
    let bytes = entropy(interp, 16)?;
    let mut raw = [0; 16];
    raw.copy_from_slice(&bytes);
    let number = with_version(u128::from_be_bytes(raw), 4)?;
    new_uuid(interp, number)
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("uuid", |interp| {
        let class = uuid_class(interp)?;
        Ok(ModuleBuilder::new("uuid")
            .class(&class)
            .function("uuid4", uuid4)
            .value("RFC_4122", RFC_4122)
            .value("RESERVED_NCS", RESERVED_NCS)
            .value("RESERVED_MICROSOFT", RESERVED_MICROSOFT)
            .value("RESERVED_FUTURE", RESERVED_FUTURE)
            .build())
    });
}

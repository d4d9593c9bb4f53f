//! `wtforms.validators`: each validator is a callable `validator(form, field)`
//! raising `ValidationError` (an error, keep validating) or `StopValidation`
//! (stop this field's chain), with WTForms' messages.

use std::rc::Rc;

use regex::Regex;

use crate::script::{CallArgs, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::fields::Field;
use super::{types, WtTypes};

pub(crate) enum Check {
    DataRequired,
    InputRequired,
    Optional { strip_whitespace: bool },
    Length { min: i64, max: i64 },
    EqualTo { fieldname: String },
    Email,
    NumberRange { min: Value, max: Value },
    Regexp { regex: Regex, pattern: String },
    AnyOf { values: Vec<Value> },
    NoneOf { values: Vec<Value> },
}

pub(crate) struct Validator {
    check: Check,
    message: Option<Value>,
}

impl Validator {
    fn name(&self) -> &'static str {
        match self.check {
            Check::DataRequired => "DataRequired",
            Check::InputRequired => "InputRequired",
            Check::Optional { .. } => "Optional",
            Check::Length { .. } => "Length",
            Check::EqualTo { .. } => "EqualTo",
            Check::Email => "Email",
            Check::NumberRange { .. } => "NumberRange",
            Check::Regexp { .. } => "Regexp",
            Check::AnyOf { .. } => "AnyOf",
            Check::NoneOf { .. } => "NoneOf",
        }
    }

    /// The HTML attributes this validator asks widgets to render (`required`, `maxlength`...).
    pub fn field_flags(&self) -> Vec<(&'static str, Value)> {
        match &self.check {
            Check::DataRequired | Check::InputRequired => vec![("required", Value::Bool(true))],
            Check::Optional { .. } => vec![("optional", Value::Bool(true))],
            Check::Length { min, max } => {
                let mut flags = Vec::new();
                if *min != -1 {
                    flags.push(("minlength", Value::Int(*min)));
                }
                if *max != -1 {
                    flags.push(("maxlength", Value::Int(*max)));
                }
                flags
            }
            Check::NumberRange { min, max } => {
                let mut flags = Vec::new();
                if !min.is_none() {
                    flags.push(("min", min.clone()));
                }
                if !max.is_none() {
                    flags.push(("max", max.clone()));
                }
                flags
            }
            _ => Vec::new(),
        }
    }

    /// The message given to the validator, or `default` (a `%`-format over `params`).
    fn message(&self, interp: &mut Interpreter, default: &str, params: Vec<(&str, Value)>) -> PyResult<Value> {
        let template = match &self.message {
            Some(m) => m.clone(),
            None => Value::str(default),
        };
        if params.is_empty() {
            return Ok(template);
        }
        let Value::Str(t) = &template else { return Ok(template) };
        let mapping = Value::dict_from_str_pairs(params);
        Ok(Value::string(crate::script::format::percent_format(interp, t.as_str(), &mapping)?))
    }

    fn run(&self, interp: &mut Interpreter, t: &WtTypes, form: &Value, field: &Rc<Field>) -> PyResult<()> {
        let invalid = |message: Value| -> PyResult<()> { Err(PyErr::from_class_args(&t.validation_error, vec![message])) };
        match &self.check {
            Check::DataRequired => {
                let data = field.data();
                if interp.truthy(&data)? {
                    return Ok(());
                }
                field.clear_errors();
                let message = self.message(interp, "This field is required.", Vec::new())?;
                Err(PyErr::from_class_args(&t.stop_validation, vec![message]))
            }
            Check::InputRequired => {
                let first = field.raw_data().and_then(|r| r.first().cloned());
                if let Some(v) = first {
                    if interp.truthy(&v)? {
                        return Ok(());
                    }
                }
                field.clear_errors();
                let message = self.message(interp, "This field is required.", Vec::new())?;
                Err(PyErr::from_class_args(&t.stop_validation, vec![message]))
            }
            Check::Optional { strip_whitespace } => {
                let first = field.raw_data().and_then(|r| r.first().cloned());
                let empty = match &first {
                    None => true,
                    Some(Value::Str(s)) => {
                        let text = if *strip_whitespace { s.as_str().trim() } else { s.as_str() };
                        text.is_empty()
                    }
                    Some(_) => false,
                };
                if empty {
                    field.clear_errors();
                    return Err(PyErr::from_class_args(&t.stop_validation, Vec::new()));
                }
                Ok(())
            }
            Check::Length { min, max } => {
                let data = field.data();
                let length = if interp.truthy(&data)? { interp.len(&data)? as i64 } else { 0 };
                if length >= *min && (*max == -1 || length <= *max) {
                    return Ok(());
                }
                let plural = |n: i64| if n == 1 { "" } else { "s" };
                let default = if *max == -1 {
                    format!("Field must be at least %(min)d character{} long.", plural(*min))
                } else if *min == -1 {
                    format!("Field cannot be longer than %(max)d character{}.", plural(*max))
                } else if min == max {
                    format!("Field must be exactly %(max)d character{} long.", plural(*max))
                } else {
                    "Field must be between %(min)d and %(max)d characters long.".to_string()
                };
                let message = self.message(interp, &default, vec![("min", Value::Int(*min)), ("max", Value::Int(*max)), ("length", Value::Int(length))])?;
                invalid(message)
            }
            Check::EqualTo { fieldname } => {
                let Some(other) = super::form::field_of(form, fieldname) else {
                    let message = Value::string(format!("Invalid field name '{fieldname}'."));
                    return invalid(message);
                };
                if interp.eq(&field.data(), &other.data())? {
                    return Ok(());
                }
                let label = other.label_text();
                let other_label = if label.is_empty() { fieldname.clone() } else { label };
                let message =
                    self.message(interp, "Field must be equal to %(other_name)s.", vec![("other_label", Value::string(other_label)), ("other_name", Value::str(fieldname))])?;
                invalid(message)
            }
            Check::Email => {
                let data = field.data();
                if data.as_str().is_some_and(valid_email) {
                    return Ok(());
                }
                let message = self.message(interp, "Invalid email address.", Vec::new())?;
                invalid(message)
            }
            Check::NumberRange { min, max } => {
                let data = field.data();
                let is_nan = matches!(data, Value::Float(f) if f.is_nan());
                let mut ok = !data.is_none() && !is_nan;
                if ok && !min.is_none() {
                    let at_least = interp.compare(&data, crate::script::ast::CmpOp::GtE, min)?;
                    ok = interp.truthy(&at_least)?;
                }
                if ok && !max.is_none() {
                    let at_most = interp.compare(&data, crate::script::ast::CmpOp::LtE, max)?;
                    ok = interp.truthy(&at_most)?;
                }
                if ok {
                    return Ok(());
                }
                let default = if max.is_none() {
                    "Number must be at least %(min)s."
                } else if min.is_none() {
                    "Number must be at most %(max)s."
                } else {
                    "Number must be between %(min)s and %(max)s."
                };
                let message = self.message(interp, default, vec![("min", min.clone()), ("max", max.clone())])?;
                invalid(message)
            }
            Check::Regexp { regex, .. } => {
                let data = field.data();
                let text = if interp.truthy(&data)? { interp.str(&data)? } else { String::new() };
                if regex.is_match(&text) {
                    return Ok(());
                }
                let message = self.message(interp, "Invalid input.", Vec::new())?;
                invalid(message)
            }
            Check::AnyOf { values } | Check::NoneOf { values } => {
                let data = field.data();
                let mut found = false;
                for v in values {
                    if interp.eq(&data, v)? {
                        found = true;
                    }
                }
                let any_of = matches!(self.check, Check::AnyOf { .. });
                if found == any_of {
                    return Ok(());
                }
                let mut shown = Vec::new();
                for v in values {
                    shown.push(interp.str(v)?);
                }
                let default = if any_of { "Invalid value, must be one of: %(values)s." } else { "Invalid value, can't be any of: %(values)s." };
                let message = self.message(interp, default, vec![("values", Value::string(shown.join(", ")))])?;
                invalid(message)
            }
        }
    }
}

/// An address email_validator would accept as syntax: `local@domain.tld`.
fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
        && !matches!(labels.last().map(|l| l.to_ascii_lowercase()).as_deref(), Some("arpa" | "invalid" | "local" | "localhost" | "onion" | "test"));
    local_ok && domain_ok
}

impl NativeObject for Validator {
    fn type_name(&self) -> &str {
        self.name()
    }

    fn python_class(&self, interp: &mut Interpreter) -> Option<Rc<crate::script::value::Class>> {
        types(interp).ok()?.validator_classes.iter().find(|c| &*c.name == self.name()).cloned()
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match (name, &self.check) {
            ("message", _) => Some(self.message.clone().unwrap_or(Value::None)),
            ("min", Check::Length { min, .. }) => Some(Value::Int(*min)),
            ("max", Check::Length { max, .. }) => Some(Value::Int(*max)),
            ("min", Check::NumberRange { min, .. }) => Some(min.clone()),
            ("max", Check::NumberRange { max, .. }) => Some(max.clone()),
            ("fieldname", Check::EqualTo { fieldname }) => Some(Value::str(fieldname)),
            ("regex", Check::Regexp { pattern, .. }) => Some(Value::str(pattern)),
            ("field_flags", _) => Some(Value::dict_from_str_pairs(self.field_flags())),
            _ => None,
        })
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        Ok(format!("<wtforms.validators.{} object at {:#x}>", self.name(), this.identity()))
    }

    fn is_callable(&self) -> bool {
        true
    }

    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        let [form, field] = args.bind("__call__", ["form", "field"], 2)?;
        let form = form.unwrap_or(Value::None);
        let field_value = field.unwrap_or(Value::None);
        let field = field_value.downcast_native::<Field>().ok_or_else(|| PyErr::type_error(format!("{}() expects a form field, not {}", self.name(), field_value.type_name())))?;
        let t = types(interp)?;
        self.run(interp, &t, &form, &field)?;
        Ok(Value::None)
    }
}

/// Build a validator from its class name and constructor arguments.
pub(crate) fn construct(interp: &mut Interpreter, name: &str, args: CallArgs) -> PyResult<Value> {
    let qual = format!("{name}.__init__");
    let (check, message) = match name {
        "DataRequired" | "InputRequired" | "Email" => {
            let mut args = args;
            for extra in ["granular_message", "check_deliverability", "test_environment", "allow_smtputf8", "allow_empty_local"] {
                if name == "Email" {
                    args.take_kwarg(extra);
                }
            }
            let [message] = args.bind(&qual, ["message"], 0)?;
            let check = match name {
                "DataRequired" => Check::DataRequired,
                "InputRequired" => Check::InputRequired,
                _ => Check::Email,
            };
            (check, message)
        }
        "Optional" => {
            let [strip] = args.bind(&qual, ["strip_whitespace"], 0)?;
            let strip_whitespace = strip.map_or(Ok(true), |s| interp.truthy(&s))?;
            (Check::Optional { strip_whitespace }, None)
        }
        "Length" => {
            let [min, max, message] = args.bind(&qual, ["min", "max", "message"], 0)?;
            let int = |v: Option<Value>| -> PyResult<i64> { v.map_or(Ok(-1), |v| super::super::super::stdlib::native::int_arg(&v)) };
            let (min, max) = (int(min)?, int(max)?);
            if min == -1 && max == -1 {
                return Err(PyErr::new(crate::script::ExcKind::AssertionError, "At least one of `min` or `max` must be specified."));
            }
            if max != -1 && min > max {
                return Err(PyErr::new(crate::script::ExcKind::AssertionError, "`min` cannot be more than `max`."));
            }
            (Check::Length { min, max }, message)
        }
        "EqualTo" => {
            let [fieldname, message] = args.bind(&qual, ["fieldname", "message"], 1)?;
            (Check::EqualTo { fieldname: interp.str(&fieldname.unwrap_or(Value::None))? }, message)
        }
        "NumberRange" => {
            let [min, max, message] = args.bind(&qual, ["min", "max", "message"], 0)?;
            (Check::NumberRange { min: min.unwrap_or(Value::None), max: max.unwrap_or(Value::None) }, message)
        }
        "Regexp" => {
            let [regex, flags, message] = args.bind(&qual, ["regex", "flags", "message"], 1)?;
            let pattern = interp.str(&regex.unwrap_or(Value::None))?;
            let ignore_case = flags.and_then(|f| f.as_int()).is_some_and(|f| f & 2 != 0);
            let anchored = format!("^(?:{pattern})");
            let regex = regex::RegexBuilder::new(&anchored)
                .case_insensitive(ignore_case)
                .build()
                .map_err(|e| PyErr::not_implemented(format!("Regexp({pattern:?}): the playground's regular expressions (Rust's regex syntax) cannot use this pattern: {e}")))?;
            (Check::Regexp { regex, pattern }, message)
        }
        "AnyOf" | "NoneOf" => {
            let [values, message, _formatter] = args.bind(&qual, ["values", "message", "values_formatter"], 1)?;
            let values = interp.collect(&values.unwrap_or(Value::None))?;
            (if name == "AnyOf" { Check::AnyOf { values } } else { Check::NoneOf { values } }, message)
        }
        other => return Err(PyErr::runtime_error(format!("unknown validator {other}"))),
    };
    Ok(Value::Native(Rc::new(Validator { check, message: message.filter(|m| !m.is_none()) })))
}

/// The validator names `wtforms.validators` exports (with their lower-case aliases).
pub(crate) const VALIDATORS: &[&str] = &["DataRequired", "InputRequired", "Optional", "Length", "EqualTo", "Email", "NumberRange", "Regexp", "AnyOf", "NoneOf"];

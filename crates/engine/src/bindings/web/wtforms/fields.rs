//! WTForms fields: in a form class body a field class makes an
//! `UnboundField`; each form instance binds its own `Field`, which processes
//! form data (`data`, `raw_data`, conversion errors), validates, and renders
//! itself as HTML the way WTForms' widgets do.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::script::value::Class;
use crate::script::{CallArgs, Interpreter, NativeObject, PyErr, PyResult, Value};

use super::super::super::stdlib::native::{call_method, class_attr};
use super::validators::Validator;
use super::{types, WtTypes};

/// The built-in field classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Password,
    TextArea,
    Email,
    Hidden,
    Integer,
    Float,
    Decimal,
    Boolean,
    Submit,
    Select,
    Date,
    DateTime,
}

/// (class name, module, kind, base class name).
pub(crate) const FIELD_CLASSES: &[(&str, &str, Kind, &str)] = &[
    ("StringField", "wtforms.fields.simple", Kind::String, "Field"),
    ("PasswordField", "wtforms.fields.simple", Kind::Password, "StringField"),
    ("TextAreaField", "wtforms.fields.simple", Kind::TextArea, "StringField"),
    ("EmailField", "wtforms.fields.simple", Kind::Email, "StringField"),
    ("HiddenField", "wtforms.fields.simple", Kind::Hidden, "StringField"),
    ("IntegerField", "wtforms.fields.numeric", Kind::Integer, "Field"),
    ("FloatField", "wtforms.fields.numeric", Kind::Float, "Field"),
    ("DecimalField", "wtforms.fields.numeric", Kind::Decimal, "Field"),
    ("BooleanField", "wtforms.fields.simple", Kind::Boolean, "Field"),
    ("SubmitField", "wtforms.fields.simple", Kind::Submit, "BooleanField"),
    ("SelectField", "wtforms.fields.choices", Kind::Select, "Field"),
    ("DateField", "wtforms.fields.datetime", Kind::Date, "Field"),
    ("DateTimeField", "wtforms.fields.datetime", Kind::DateTime, "Field"),
];

/// The kind of a field class (or of the built-in class a user class derives from).
pub(crate) fn kind_of(cls: &Class) -> Option<Kind> {
    cls.mro().find_map(|c| c.host_data_as::<Kind>().map(|k| *k))
}

/// A field class called in a class body: remembered until a form binds it.
pub(crate) struct UnboundField {
    pub class: Rc<Class>,
    pub args: CallArgs,
    /// Fields are ordered by creation, as WTForms orders them.
    pub creation_counter: u64,
}

impl NativeObject for UnboundField {
    fn type_name(&self) -> &str {
        "UnboundField"
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let args = interp.repr(&Value::tuple(self.args.args.clone()))?;
        let kwargs = interp.repr(&Value::dict_from_str_pairs(self.args.kwargs.iter().map(|(k, v)| (&**k, v.clone()))))?;
        Ok(format!("<UnboundField({}, {args}, {kwargs})>", self.class.name))
    }
}

/// `field.label`.
pub(crate) struct Label {
    field_id: String,
    text: RefCell<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// WTForms' `html_params`: sorted attributes, `True` as a bare name, `False` dropped.
fn html_params(interp: &mut Interpreter, mut attrs: Vec<(String, Value)>) -> PyResult<String> {
    attrs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (k, v) in attrs {
        let mut key = k.trim_end_matches('_').to_string();
        if key.starts_with("data_") || key.starts_with("aria_") {
            key = key.replace('_', "-");
        }
        match v {
            Value::Bool(true) => out.push(key),
            Value::Bool(false) => {}
            other => out.push(format!("{key}=\"{}\"", escape(&interp.str(&other)?).replace("&#34;", "&quot;"))),
        }
    }
    Ok(out.join(" "))
}

fn set_default(attrs: &mut Vec<(String, Value)>, key: &str, value: Value) {
    if !attrs.iter().any(|(k, _)| k == key) {
        attrs.push((key.to_string(), value));
    }
}

impl Label {
    fn render(&self, interp: &mut Interpreter, text: Option<String>, mut attrs: Vec<(String, Value)>) -> PyResult<String> {
        set_default(&mut attrs, "for", Value::str(&self.field_id));
        let text = text.unwrap_or_else(|| self.text.borrow().clone());
        Ok(format!("<label {}>{}</label>", html_params(interp, attrs)?, escape(&text)))
    }
}

impl NativeObject for Label {
    fn type_name(&self) -> &str {
        "Label"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(match name {
            "text" => Some(Value::string(self.text.borrow().clone())),
            "field_id" => Some(Value::str(&self.field_id)),
            _ => None,
        })
    }

    fn set_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        if name != "text" {
            return Ok(false);
        }
        *self.text.borrow_mut() = interp.str(&value)?;
        Ok(true)
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let text = self.text.borrow().clone();
        Ok(format!("Label({}, {})", interp.repr(&Value::str(&self.field_id))?, interp.repr(&Value::string(text))?))
    }

    fn str(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        self.render(interp, None, Vec::new())
    }

    fn is_callable(&self) -> bool {
        true
    }

    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        let text = args.args.first().map(|t| interp.str(t)).transpose()?;
        let attrs = args.kwargs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        Ok(Value::string(self.render(interp, text, attrs)?))
    }
}

/// A field bound to a form instance.
pub(crate) struct Field {
    pub kind: Kind,
    class: Rc<Class>,
    pub name: String,
    short_name: String,
    id: String,
    label: Value,
    pub validators: Vec<Value>,
    filters: Vec<Value>,
    description: Value,
    default: Value,
    render_kw: Value,
    /// SelectField: `choices` (settable), `coerce`, `validate_choice`.
    choices: RefCell<Value>,
    coerce: Value,
    validate_choice: bool,
    /// DateField / DateTimeField: the `strptime` format.
    format: String,
    data: RefCell<Value>,
    raw_data: RefCell<Option<Vec<Value>>>,
    object_data: RefCell<Value>,
    errors: RefCell<Value>,
    process_errors: RefCell<Vec<Value>>,
    /// Set by the validators' `field_flags` when the field is made.
    flags: Vec<(&'static str, Value)>,
    /// True for Flask-WTF's `csrf_token` field.
    pub is_csrf: Cell<bool>,
}

/// Constructor keyword arguments every field accepts.
const COMMON: [&str; 9] = ["label", "validators", "filters", "description", "id", "default", "widget", "render_kw", "name"];

impl Field {
    /// Bind `unbound` to a form as `name` (with the form's `prefix`).
    pub fn bind(interp: &mut Interpreter, unbound: &UnboundField, name: &str, prefix: &str) -> PyResult<Rc<Field>> {
        let kind = kind_of(&unbound.class).ok_or_else(|| PyErr::type_error(format!("{} is not a WTForms field class", unbound.class.name)))?;
        let mut args = unbound.args.clone();
        let take = |args: &mut CallArgs, key: &str| args.take_kwarg(key);
        let (coerce, choices, validate_choice, format) = match kind {
            Kind::Select => {
                // SelectField(label, validators, coerce, choices, validate_choice, ...)
                let positional_extra: Vec<Value> = if args.args.len() > 2 { args.args.split_off(2) } else { Vec::new() };
                let mut extra = positional_extra.into_iter();
                let coerce = take(&mut args, "coerce").or_else(|| extra.next());
                let choices = take(&mut args, "choices").or_else(|| extra.next());
                let validate_choice = take(&mut args, "validate_choice").or_else(|| extra.next());
                let validate_choice = validate_choice.map_or(Ok(true), |v| interp.truthy(&v))?;
                (coerce, choices, validate_choice, String::new())
            }
            Kind::Date | Kind::DateTime => {
                let default_format = if kind == Kind::Date { "%Y-%m-%d" } else { "%Y-%m-%d %H:%M:%S" };
                let format = match take(&mut args, "format").or_else(|| if args.args.len() > 2 { Some(args.args.remove(2)) } else { None }) {
                    Some(Value::List(_) | Value::Tuple(_)) => {
                        return Err(PyErr::not_implemented("several formats for a DateField are not supported in the playground"));
                    }
                    Some(f) => interp.str(&f)?,
                    None => default_format.to_string(),
                };
                (None, None, true, format)
            }
            Kind::Decimal => {
                take(&mut args, "places");
                take(&mut args, "rounding");
                take(&mut args, "use_locale");
                take(&mut args, "number_format");
                (None, None, true, String::new())
            }
            Kind::Boolean | Kind::Submit => {
                take(&mut args, "false_values");
                (None, None, true, String::new())
            }
            _ => (None, None, true, String::new()),
        };
        let fname = format!("{}.__init__", unbound.class.name);
        let [label, validators, filters, description, id, default, _widget, render_kw, name_override] = args.bind(&fname, COMMON, 0)?;
        let field_name = match name_override.filter(|n| !n.is_none()) {
            Some(n) => interp.str(&n)?,
            None => name.to_string(),
        };
        let full_name = format!("{prefix}{field_name}");
        let id = match id.filter(|i| !i.is_none()) {
            Some(i) => interp.str(&i)?,
            None => full_name.clone(),
        };
        let label_text = match label.filter(|l| !l.is_none()) {
            Some(l) => interp.str(&l)?,
            None => title_case(&field_name.replace('_', " ")),
        };
        let validators = match validators.filter(|v| !v.is_none()) {
            Some(v) => interp.collect(&v)?,
            None => Vec::new(),
        };
        let flags = validators.iter().filter_map(|v| v.downcast_native::<Validator>()).flat_map(|v| v.field_flags()).collect();
        let filters = match filters.filter(|v| !v.is_none()) {
            Some(v) => interp.collect(&v)?,
            None => Vec::new(),
        };
        let label = Value::Native(Rc::new(Label { field_id: id.clone(), text: RefCell::new(label_text) }));
        Ok(Rc::new(Field {
            kind,
            class: unbound.class.clone(),
            name: full_name,
            short_name: field_name,
            id,
            label,
            validators,
            filters,
            description: description.unwrap_or(Value::str("")),
            default: default.unwrap_or(Value::None),
            render_kw: render_kw.unwrap_or(Value::None),
            choices: RefCell::new(choices.unwrap_or(Value::None)),
            coerce: coerce.unwrap_or(Value::None),
            validate_choice,
            format,
            data: RefCell::new(Value::None),
            raw_data: RefCell::new(None),
            object_data: RefCell::new(Value::None),
            errors: RefCell::new(Value::tuple(Vec::new())),
            process_errors: RefCell::new(Vec::new()),
            flags,
            is_csrf: Cell::new(false),
        }))
    }

    pub fn data(&self) -> Value {
        self.data.borrow().clone()
    }

    pub fn set_data(&self, v: Value) {
        *self.data.borrow_mut() = v;
    }

    pub fn raw_data(&self) -> Option<Vec<Value>> {
        self.raw_data.borrow().clone()
    }

    pub fn errors(&self) -> Value {
        self.errors.borrow().clone()
    }

    pub fn label_text(&self) -> String {
        self.label.downcast_native::<Label>().map(|l| l.text.borrow().clone()).unwrap_or_default()
    }

    /// `field.errors[:] = []` (what DataRequired does before stopping).
    pub fn clear_errors(&self) {
        if let Value::List(l) = &*self.errors.borrow() {
            l.items.borrow_mut().clear();
        }
    }

    /// `Field.process(formdata, data)`: `data` is the object/keyword value, or `None` for "unset".
    pub fn process(&self, interp: &mut Interpreter, formdata: Option<&Value>, data: Option<Value>) -> PyResult<()> {
        self.process_errors.borrow_mut().clear();
        let data = match data {
            Some(d) => d,
            None if interp.is_callable(&self.default) && !self.default.is_none() => interp.call(&self.default, Vec::new(), Vec::new())?,
            None => self.default.clone(),
        };
        *self.object_data.borrow_mut() = data.clone();
        if let Err(message) = self.process_data(interp, data)? {
            self.process_errors.borrow_mut().push(message);
        }
        if let Some(formdata) = formdata {
            let values = if interp.contains(formdata, &Value::str(&self.name))? {
                let list = call_method(interp, formdata, "getlist", vec![Value::str(&self.name)])?;
                interp.collect(&list)?
            } else {
                Vec::new()
            };
            *self.raw_data.borrow_mut() = Some(values.clone());
            if let Err(message) = self.process_formdata(interp, &values)? {
                self.process_errors.borrow_mut().push(message);
            }
        }
        for f in self.filters.clone() {
            let filtered = interp.call(&f, vec![self.data()], Vec::new())?;
            self.set_data(filtered);
        }
        Ok(())
    }

    /// Convert `value` with a Python callable; `Ok(None)` when it raises ValueError (or TypeError).
    fn try_convert(interp: &mut Interpreter, converter: &Value, value: Value, arithmetic_too: bool) -> PyResult<Option<Value>> {
        match interp.call(converter, vec![value], Vec::new()) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is(crate::script::ExcKind::ValueError) || e.is(crate::script::ExcKind::TypeError) => Ok(None),
            Err(e) if arithmetic_too && e.is(crate::script::ExcKind::ArithmeticError) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn number_converter(&self, interp: &mut Interpreter) -> PyResult<(Value, &'static str)> {
        Ok(match self.kind {
            Kind::Integer => (Value::Class(interp.builtin_class(crate::script::value::BuiltinType::Int)), "Not a valid integer value."),
            Kind::Float => (Value::Class(interp.builtin_class(crate::script::value::BuiltinType::Float)), "Not a valid float value."),
            _ => {
                let m = interp.import_module("decimal")?;
                (interp.getattr(&Value::Module(m), "Decimal")?, "Not a valid decimal value.")
            }
        })
    }

    fn coerce(&self, interp: &mut Interpreter) -> Value {
        if self.coerce.is_none() {
            Value::Class(interp.builtin_class(crate::script::value::BuiltinType::Str))
        } else {
            self.coerce.clone()
        }
    }

    /// `process_data`; `Ok(Err(message))` for a conversion error.
    fn process_data(&self, interp: &mut Interpreter, value: Value) -> PyResult<Result<(), Value>> {
        match self.kind {
            Kind::Integer | Kind::Float | Kind::Decimal if !value.is_none() => {
                let (converter, message) = self.number_converter(interp)?;
                match Field::try_convert(interp, &converter, value, true)? {
                    Some(v) => self.set_data(v),
                    None => {
                        self.set_data(Value::None);
                        return Ok(Err(Value::str(message)));
                    }
                }
            }
            Kind::Boolean | Kind::Submit => {
                let b = interp.truthy(&value)?;
                self.set_data(Value::Bool(b));
            }
            Kind::Select if !value.is_none() => {
                let coerce = self.coerce(interp);
                let v = Field::try_convert(interp, &coerce, value, false)?;
                self.set_data(v.unwrap_or(Value::None));
            }
            _ => self.set_data(value),
        }
        Ok(Ok(()))
    }

    /// `process_formdata(valuelist)`; `Ok(Err(message))` for a conversion error.
    fn process_formdata(&self, interp: &mut Interpreter, values: &[Value]) -> PyResult<Result<(), Value>> {
        match self.kind {
            Kind::Boolean | Kind::Submit => {
                let first = values.first();
                let falsy = match first {
                    None => true,
                    Some(Value::Bool(false)) => true,
                    Some(Value::Str(s)) => s.as_str() == "false" || s.as_str().is_empty(),
                    _ => false,
                };
                self.set_data(Value::Bool(!falsy));
            }
            _ if values.is_empty() => {}
            Kind::Integer | Kind::Float | Kind::Decimal => {
                let (converter, message) = self.number_converter(interp)?;
                match Field::try_convert(interp, &converter, values[0].clone(), true)? {
                    Some(v) => self.set_data(v),
                    None => {
                        self.set_data(Value::None);
                        return Ok(Err(Value::str(message)));
                    }
                }
            }
            Kind::Select => {
                let coerce = self.coerce(interp);
                match Field::try_convert(interp, &coerce, values[0].clone(), false)? {
                    Some(v) => self.set_data(v),
                    None => return Ok(Err(Value::str("Invalid Choice: could not coerce."))),
                }
            }
            Kind::Date | Kind::DateTime => {
                let mut parts = Vec::new();
                for v in values {
                    parts.push(interp.str(v)?);
                }
                let text = parts.join(" ");
                let dt_module = interp.import_module("datetime")?;
                let datetime = interp.getattr(&Value::Module(dt_module), "datetime")?;
                let strptime = interp.getattr(&datetime, "strptime")?;
                match interp.call(&strptime, vec![Value::string(text), Value::str(&self.format)], Vec::new()) {
                    Ok(dt) if self.kind == Kind::Date => {
                        let d = call_method(interp, &dt, "date", Vec::new())?;
                        self.set_data(d);
                    }
                    Ok(dt) => self.set_data(dt),
                    Err(e) if e.is(crate::script::ExcKind::ValueError) => {
                        self.set_data(Value::None);
                        let message = if self.kind == Kind::Date { "Not a valid date value." } else { "Not a valid datetime value." };
                        return Ok(Err(Value::str(message)));
                    }
                    Err(e) => return Err(e),
                }
            }
            _ => self.set_data(values[0].clone()),
        }
        Ok(Ok(()))
    }

    /// The (value, label) pairs of a SelectField's choices.
    fn choice_pairs(&self, interp: &mut Interpreter) -> PyResult<Option<Vec<(Value, Value)>>> {
        let choices = self.choices.borrow().clone();
        if choices.is_none() {
            return Ok(None);
        }
        let items = if let Value::Dict(_) = choices {
            return Err(PyErr::not_implemented("SelectField choices grouped in a dict (optgroups) are not supported in the playground"));
        } else {
            interp.collect(&choices)?
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match &item {
                Value::Tuple(t) if t.items.len() >= 2 => out.push((t.items[0].clone(), t.items[1].clone())),
                Value::List(l) if l.items.borrow().len() >= 2 => {
                    let items = l.items.borrow();
                    out.push((items[0].clone(), items[1].clone()));
                }
                other => out.push((other.clone(), other.clone())),
            }
        }
        Ok(Some(out))
    }

    /// Whether a choice's value is the field's data (after coercion).
    fn selected(&self, interp: &mut Interpreter, value: &Value) -> PyResult<bool> {
        let coerce = self.coerce(interp);
        match Field::try_convert(interp, &coerce, value.clone(), false)? {
            Some(v) => interp.eq(&v, &self.data()),
            None => Ok(false),
        }
    }

    /// `Field.validate(form, extra_validators)`.
    pub fn validate(self: &Rc<Field>, interp: &mut Interpreter, t: &WtTypes, form: &Value, this: &Value, extra: Vec<Value>) -> PyResult<bool> {
        let initial: Vec<Value> = self.process_errors.borrow().clone();
        *self.errors.borrow_mut() = Value::list(initial);
        let mut stop = false;
        if self.kind == Kind::Select && self.process_errors.borrow().is_empty() {
            match self.choice_pairs(interp)? {
                None => return Err(PyErr::type_error("Choices cannot be None.")),
                Some(pairs) if self.validate_choice => {
                    let mut found = false;
                    for (value, _) in &pairs {
                        if self.selected(interp, value)? {
                            found = true;
                            break;
                        }
                    }
                    if !found {
                        self.push_error(Value::str("Not a valid choice."));
                    }
                }
                Some(_) => {}
            }
        }
        if self.is_csrf.get() {
            if let Some(message) = super::form::csrf_error(interp, form, &self.data())? {
                self.push_error(Value::str(message));
                stop = true;
            }
        }
        if !stop {
            let mut chain = self.validators.clone();
            chain.extend(extra);
            let list = Value::list(chain);
            let run = t.run_validators.clone();
            interp.call(&run, vec![form.clone(), this.clone(), list, Value::Class(t.stop_validation.clone()), Value::Class(t.validation_error.clone())], Vec::new())?;
        }
        let errors = self.errors();
        Ok(interp.len(&errors)? == 0)
    }

    fn push_error(&self, message: Value) {
        if let Value::List(l) = &*self.errors.borrow() {
            l.items.borrow_mut().push(message);
        }
    }

    /// `_value()`: the text a widget shows.
    fn widget_value(&self, interp: &mut Interpreter) -> PyResult<String> {
        let raw_first = self.raw_data.borrow().as_ref().and_then(|r| r.first().cloned());
        let data = self.data();
        Ok(match self.kind {
            Kind::Integer | Kind::Float | Kind::Decimal => match raw_first {
                Some(r) => interp.str(&r)?,
                None if data.is_none() => String::new(),
                None => interp.str(&data)?,
            },
            Kind::Boolean | Kind::Submit => match raw_first {
                Some(r) => interp.str(&r)?,
                None => "y".to_string(),
            },
            Kind::Date | Kind::DateTime => match self.raw_data.borrow().as_ref().filter(|r| !r.is_empty()) {
                Some(raw) => raw.iter().map(|v| interp.str(v)).collect::<PyResult<Vec<_>>>()?.join(" "),
                None if !interp.truthy(&data)? => String::new(),
                None => {
                    let text = call_method(interp, &data, "strftime", vec![Value::str(&self.format)])?;
                    interp.str(&text)?
                }
            },
            _ if data.is_none() => String::new(),
            _ => interp.str(&data)?,
        })
    }

    /// The widget's HTML, with `attrs` from the call (`field(class_='x')`).
    pub fn render(&self, interp: &mut Interpreter, call_attrs: Vec<(String, Value)>) -> PyResult<String> {
        let mut attrs = call_attrs;
        if let Value::Dict(_) = &self.render_kw {
            for (k, v) in interp.mapping_items(&self.render_kw)? {
                let key = interp.str(&k)?;
                set_default(&mut attrs, &key, v);
            }
        }
        set_default(&mut attrs, "id", Value::str(&self.id));
        let validation_attrs: &[&str] = match self.kind {
            Kind::String | Kind::Password | Kind::Email => &["required", "disabled", "readonly", "maxlength", "minlength", "pattern"],
            Kind::TextArea => &["required", "disabled", "readonly", "maxlength", "minlength"],
            Kind::Hidden => &["disabled"],
            Kind::Integer | Kind::Float | Kind::Decimal | Kind::Date | Kind::DateTime => &["required", "disabled", "readonly", "max", "min", "step"],
            Kind::Boolean | Kind::Submit | Kind::Select => &["required", "disabled"],
        };
        let mut flags: Vec<(&str, Value)> = self.flags.clone();
        flags.sort_by(|a, b| a.0.cmp(b.0));
        for (k, v) in flags {
            if validation_attrs.contains(&k) {
                set_default(&mut attrs, k, v);
            }
        }
        match self.kind {
            Kind::TextArea => {
                attrs.push(("name".into(), Value::str(&self.name)));
                let inner = escape(&self.widget_value(interp)?);
                Ok(format!("<textarea {}>\r\n{inner}</textarea>", html_params(interp, attrs)?))
            }
            Kind::Select => {
                attrs.push(("name".into(), Value::str(&self.name)));
                let mut html = format!("<select {}>", html_params(interp, attrs)?);
                for (value, label) in self.choice_pairs(interp)?.unwrap_or_default() {
                    let mut option = vec![("value".to_string(), value.clone())];
                    if self.selected(interp, &value)? {
                        option.push(("selected".into(), Value::Bool(true)));
                    }
                    let label = interp.str(&label)?;
                    html.push_str(&format!("<option {}>{}</option>", html_params(interp, option)?, escape(&label)));
                }
                html.push_str("</select>");
                Ok(html)
            }
            _ => {
                let input_type = match self.kind {
                    Kind::Password => "password",
                    Kind::Email => "email",
                    Kind::Hidden => "hidden",
                    Kind::Integer | Kind::Float | Kind::Decimal => "number",
                    Kind::Boolean => "checkbox",
                    Kind::Submit => "submit",
                    Kind::Date => "date",
                    Kind::DateTime => "datetime",
                    _ => "text",
                };
                if matches!(self.kind, Kind::Float | Kind::Decimal) {
                    set_default(&mut attrs, "step", Value::str("any"));
                }
                set_default(&mut attrs, "type", Value::str(input_type));
                match self.kind {
                    Kind::Password => attrs.push(("value".into(), Value::str(""))),
                    Kind::Submit => set_default(&mut attrs, "value", Value::string(self.label_text())),
                    Kind::Boolean => {
                        if interp.truthy(&self.data())? {
                            set_default(&mut attrs, "checked", Value::Bool(true));
                        }
                        let v = self.widget_value(interp)?;
                        set_default(&mut attrs, "value", Value::string(v));
                    }
                    _ => {
                        let v = self.widget_value(interp)?;
                        set_default(&mut attrs, "value", Value::string(v));
                    }
                }
                attrs.push(("name".into(), Value::str(&self.name)));
                Ok(format!("<input {}>", html_params(interp, attrs)?))
            }
        }
    }
}

/// `"first name"` → `"First Name"` (Python's `str.title`).
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous_cased = false;
    for c in s.chars() {
        if previous_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        previous_cased = c.is_alphabetic();
    }
    out
}

const FIELD_ATTRS: [&str; 14] =
    ["data", "errors", "label", "name", "id", "type", "short_name", "description", "default", "raw_data", "object_data", "validators", "render_kw", "flags"];

impl NativeObject for Field {
    fn type_name(&self) -> &str {
        &self.class.name
    }

    fn python_class(&self, _interp: &mut Interpreter) -> Option<Rc<Class>> {
        Some(self.class.clone())
    }

    fn get_attr(&self, interp: &mut Interpreter, this: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(Some(match name {
            "data" => self.data(),
            "errors" => self.errors(),
            "label" => self.label.clone(),
            "name" => Value::str(&self.name),
            "id" => Value::str(&self.id),
            "type" => Value::string(self.class.name.to_string()),
            "short_name" => Value::str(&self.short_name),
            "description" => self.description.clone(),
            "default" => self.default.clone(),
            "raw_data" => self.raw_data.borrow().clone().map_or(Value::None, Value::list),
            "object_data" => self.object_data.borrow().clone(),
            "process_errors" => Value::list(self.process_errors.borrow().clone()),
            "validators" => Value::list(self.validators.clone()),
            "render_kw" => self.render_kw.clone(),
            "flags" => Value::Native(Rc::new(Flags(self.flags.clone()))),
            "choices" if self.kind == Kind::Select => self.choices.borrow().clone(),
            "coerce" if self.kind == Kind::Select => self.coerce(interp),
            "format" if matches!(self.kind, Kind::Date | Kind::DateTime) => Value::list(vec![Value::str(&self.format)]),
            _ => return Ok(class_attr(&self.class, this, name)),
        }))
    }

    fn set_attr(&self, interp: &mut Interpreter, _this: &Value, name: &str, value: Value) -> PyResult<bool> {
        match name {
            "data" => self.set_data(value),
            "errors" => *self.errors.borrow_mut() = value,
            "choices" if self.kind == Kind::Select => *self.choices.borrow_mut() = value,
            "raw_data" => *self.raw_data.borrow_mut() = if value.is_none() { None } else { Some(interp.collect(&value)?) },
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn dir(&self, _interp: &mut Interpreter, _this: &Value) -> Vec<String> {
        let mut names: Vec<String> = FIELD_ATTRS.iter().map(|s| s.to_string()).collect();
        if self.kind == Kind::Select {
            names.push("choices".into());
        }
        names
    }

    fn repr(&self, _interp: &mut Interpreter, this: &Value) -> PyResult<String> {
        Ok(format!("<{}.{} object at {:#x}>", self.class.module, self.class.name, this.identity()))
    }

    fn str(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        self.render(interp, Vec::new())
    }

    fn is_callable(&self) -> bool {
        true
    }

    fn call(&self, interp: &mut Interpreter, _this: &Value, args: CallArgs) -> PyResult<Value> {
        if !args.args.is_empty() {
            return Err(PyErr::type_error(format!("{}.__call__() takes 1 positional argument but {} were given", self.class.name, args.args.len() + 1)));
        }
        let attrs = args.kwargs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        Ok(Value::string(self.render(interp, attrs)?))
    }
}

/// `field.flags`: `field.flags.required` and friends.
struct Flags(Vec<(&'static str, Value)>);

impl NativeObject for Flags {
    fn type_name(&self) -> &str {
        "Flags"
    }

    fn get_attr(&self, _interp: &mut Interpreter, _this: &Value, name: &str) -> PyResult<Option<Value>> {
        if name.starts_with("__") {
            return Ok(None);
        }
        Ok(Some(self.0.iter().find(|(k, _)| *k == name).map_or(Value::Bool(false), |(_, v)| v.clone())))
    }

    fn contains(&self, _interp: &mut Interpreter, _this: &Value, item: &Value) -> PyResult<Option<bool>> {
        Ok(Some(item.as_str().is_some_and(|k| self.0.iter().any(|(n, _)| *n == k))))
    }

    fn repr(&self, interp: &mut Interpreter, _this: &Value) -> PyResult<String> {
        let mut parts = Vec::new();
        for (k, v) in &self.0 {
            parts.push(format!("{k}={}", interp.repr(v)?));
        }
        Ok(format!("<wtforms.fields.Flags: {{{}}}>", parts.join(", ")))
    }
}

/// The field classes, each a native class whose calls make `UnboundField`s.
pub(crate) fn build_classes(interp: &mut Interpreter) -> PyResult<Vec<Rc<Class>>> {
    let base = crate::script::ClassBuilder::new("Field", "wtforms.fields.core")
        .static_method("__new__", unbound)
        .method("validate", |interp, args| {
            let this = args.receiver()?.clone();
            let field = this.downcast_native::<Field>().ok_or_else(|| PyErr::type_error("validate() needs a bound field"))?;
            let [_, form, extra] = args.bind("Field.validate", ["self", "form", "extra_validators"], 2)?;
            let extra = match extra {
                Some(e) => interp.collect(&e)?,
                None => Vec::new(),
            };
            let t = types(interp)?;
            Ok(Value::Bool(field.validate(interp, &t, &form.unwrap_or(Value::None), &this, extra)?))
        })
        .method("populate_obj", |interp, args| {
            let this = args.receiver()?.clone();
            let field = this.downcast_native::<Field>().ok_or_else(|| PyErr::type_error("populate_obj() needs a bound field"))?;
            let [_, obj, name] = args.bind("Field.populate_obj", ["self", "obj", "name"], 3)?;
            let name = interp.str(&name.unwrap_or(Value::None))?;
            interp.setattr(&obj.unwrap_or(Value::None), &name, field.data())?;
            Ok(Value::None)
        })
        .build(interp)?;
    let mut classes = vec![base];
    for (name, module, kind, parent) in FIELD_CLASSES {
        let parent_cls = classes.iter().find(|c| &*c.name == *parent).cloned().ok_or_else(|| PyErr::runtime_error(format!("field class {parent} missing")))?;
        let cls = crate::script::ClassBuilder::new(name, module).base(&parent_cls).build(interp)?;
        cls.set_host_data(Rc::new(*kind));
        classes.push(cls);
    }
    Ok(classes)
}

/// `StringField('Name', validators=[...])` in a class body.
fn unbound(interp: &mut Interpreter, mut args: CallArgs) -> PyResult<Value> {
    let Some(Value::Class(cls)) = args.args.first().cloned() else {
        return Err(PyErr::type_error("Field.__new__(): not a field class"));
    };
    args.args.remove(0);
    if kind_of(&cls).is_none() {
        return Err(PyErr::not_implemented(format!("{}: only the built-in WTForms field classes (or subclasses of them) work in the playground", cls.name)));
    }
    let t = types(interp)?;
    let creation_counter = t.next_counter();
    Ok(Value::Native(Rc::new(UnboundField { class: cls, args, creation_counter })))
}

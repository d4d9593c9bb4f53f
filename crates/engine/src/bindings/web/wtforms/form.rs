//! `wtforms.Form` and Flask-WTF's `FlaskForm`: declarative form classes whose
//! instances bind their fields, take data from the request (`FlaskForm`),
//! `formdata`, `obj=` or keywords, validate (with inline `validate_<field>`
//! methods), report `errors`, and copy their data onto objects.
//!
//! CSRF: Flask-WTF enables it by default; the playground treats it as
//! disabled unless `WTF_CSRF_ENABLED` is explicitly `True` (there is no
//! browser round trip to carry a token). When enabled, forms get their
//! `csrf_token` field and validation fails with "The CSRF token is missing."
//! unless the request posts the token `hidden_tag()` rendered.

use std::rc::Rc;

use crate::script::value::Class;
use crate::script::{iterator_from_values, CallArgs, ClassBuilder, Interpreter, PyErr, PyResult, Value};

use super::super::super::stdlib::native::{call_method, dict_get, skip_receiver, ComputedAttr};
use super::super::context;
use super::fields::{Field, Kind, UnboundField};
use super::{types, WtTypes};

const SUBMIT_METHODS: [&str; 4] = ["POST", "PUT", "PATCH", "DELETE"];

/// The bound fields of a form instance, in order, and its CSRF token.
pub(crate) struct FormState {
    fields: Vec<(String, Value)>,
    csrf_token: Option<String>,
}

fn state(form: &Value) -> Option<Rc<FormState>> {
    form.as_instance()?.native_state_as::<FormState>()
}

fn form_state(args: &CallArgs) -> PyResult<(Value, Rc<FormState>)> {
    let this = args.receiver()?.clone();
    let st = state(&this).ok_or_else(|| PyErr::type_error(format!("'{}' object is not an initialized form", this.type_name())))?;
    Ok((this, st))
}

/// `form[name]` as a field, for validators such as `EqualTo`.
pub(crate) fn field_of(form: &Value, name: &str) -> Option<Rc<Field>> {
    state(form)?.fields.iter().find(|(n, _)| n == name).and_then(|(_, f)| f.downcast_native::<Field>())
}

/// Why the posted CSRF token is refused, if it is.
pub(crate) fn csrf_error(interp: &mut Interpreter, form: &Value, data: &Value) -> PyResult<Option<&'static str>> {
    let expected = state(form).and_then(|s| s.csrf_token.clone());
    if !interp.truthy(data)? {
        return Ok(Some("The CSRF token is missing."));
    }
    if data.as_str() != expected.as_deref() {
        return Ok(Some("The CSRF token is invalid."));
    }
    Ok(None)
}

/// The token `hidden_tag()` renders for an app's secret (not a real signed
/// token: nothing travels through a browser here).
fn csrf_token_for(secret: &str) -> String {
    let digest: u64 = secret.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("playground-csrf-{digest:016x}")
}

/// The CSRF token of the current app (`generate_csrf()`), or Flask-WTF's error without a secret.
pub(crate) fn current_csrf_token(interp: &mut Interpreter) -> PyResult<String> {
    let app = context::require_app(interp)?;
    let secret = match super::super::config_get(interp, &app, "WTF_CSRF_SECRET_KEY")?.filter(|v| !v.is_none()) {
        Some(s) => Some(s),
        None => super::super::config_get(interp, &app, "SECRET_KEY")?.filter(|v| !v.is_none()),
    };
    let Some(secret) = secret else { return Err(PyErr::runtime_error("A secret key is required to use CSRF.")) };
    Ok(csrf_token_for(&interp.str(&secret)?))
}

/// The unbound fields of a form class, in WTForms' order (creation, then name).
fn declared_fields(cls: &Rc<Class>) -> Vec<(String, Rc<UnboundField>)> {
    let mut names: Vec<String> = Vec::new();
    for c in cls.mro() {
        for (name, _) in c.namespace() {
            if !name.starts_with('_') && !names.iter().any(|n| **n == *name) {
                names.push(name.to_string());
            }
        }
    }
    let mut fields: Vec<(String, Rc<UnboundField>)> = names.into_iter().filter_map(|n| cls.lookup(&n).and_then(|v| v.downcast_native::<UnboundField>()).map(|u| (n, u))).collect();
    fields.sort_by(|a, b| (a.1.creation_counter, &a.0).cmp(&(b.1.creation_counter, &b.0)));
    fields
}

/// What `FlaskForm` reads when no `formdata` is given: the submitted form.
fn request_formdata(interp: &mut Interpreter) -> PyResult<Option<Value>> {
    let Some(request) = context::current_request(interp) else { return Ok(None) };
    if !SUBMIT_METHODS.contains(&request.method.as_str()) {
        return Ok(None);
    }
    let req = Value::Native(request);
    let form = interp.getattr(&req, "form")?;
    if interp.len(&form)? > 0 {
        return Ok(Some(form));
    }
    let is_json = interp.getattr(&req, "is_json")?;
    if interp.truthy(&is_json)? {
        let json = call_method(interp, &req, "get_json", Vec::new())?;
        let mut pairs = Vec::new();
        for (k, v) in interp.mapping_items(&json)? {
            pairs.push((interp.str(&k)?, v));
        }
        return Ok(Some(Value::Native(super::super::request::MultiDict::new(pairs))));
    }
    Ok(None)
}

/// Bind and process the fields of `this` (`Form.__init__` and `Form.process`).
fn process(interp: &mut Interpreter, t: &WtTypes, this: &Value, args: CallArgs, rebind: bool) -> PyResult<()> {
    let inst = this.as_instance().ok_or_else(|| PyErr::type_error("a form instance is required"))?.clone();
    let cls = inst.class.clone();
    let flask = cls.is_subclass_of(&t.flask_form);
    let mut args = args;
    let auto_formdata = flask && args.args.is_empty() && args.kwarg("formdata").is_none();
    let [formdata, obj, prefix, data, _meta] = {
        let names = ["formdata", "obj", "prefix", "data", "meta"];
        let mut known = CallArgs::new(std::mem::take(&mut args.args));
        for n in names {
            if let Some(v) = args.take_kwarg(n) {
                known.kwargs.push((Rc::from(n), v));
            }
        }
        known.bind("Form.__init__", names, 0)?
    };
    let csrf_token = if flask {
        let app = context::require_app(interp)?;
        let enabled = super::super::config_get(interp, &app, "WTF_CSRF_ENABLED")?;
        if matches!(enabled, Some(Value::Bool(true))) {
            Some(current_csrf_token(interp)?)
        } else {
            None
        }
    } else {
        None
    };
    let formdata = if auto_formdata { request_formdata(interp)? } else { formdata.filter(|f| !f.is_none()) };
    if let Some(fd) = &formdata {
        if interp.lookup_attr(fd, "getlist")?.is_none() {
            return Err(PyErr::type_error("formdata should be a multidict-type wrapper that supports the 'getlist' method"));
        }
    }
    let obj = obj.filter(|o| !o.is_none());
    let prefix = match prefix.filter(|p| !p.is_none()) {
        Some(p) => {
            let p = interp.str(&p)?;
            if p.is_empty() || p.ends_with(['-', '_', ';', ':', '/', '.']) {
                p
            } else {
                format!("{p}-")
            }
        }
        None => String::new(),
    };
    // Keyword arguments override `data=`.
    let mut values: Vec<(String, Value)> = Vec::new();
    if let Some(d) = data.filter(|d| !d.is_none()) {
        for (k, v) in interp.mapping_items(&d)? {
            values.push((interp.str(&k)?, v));
        }
    }
    for (k, v) in args.kwargs {
        values.retain(|(n, _)| **n != *k);
        values.push((k.to_string(), v));
    }
    let mut fields: Vec<(String, Value)> = match (rebind, state(this)) {
        (false, Some(existing)) => existing.fields.clone(),
        (_, _) => {
            let mut out = Vec::new();
            for (name, unbound) in declared_fields(&cls) {
                let field = Field::bind(interp, &unbound, &name, &prefix)?;
                out.push((name, Value::Native(field)));
            }
            out
        }
    };
    if rebind && csrf_token.is_some() {
        let hidden = t.field_classes.iter().find(|c| &*c.name == "HiddenField").cloned().ok_or_else(|| PyErr::runtime_error("HiddenField missing"))?;
        let unbound = UnboundField { class: hidden, args: CallArgs::with_kwargs(vec![Value::str("CSRF Token")], Vec::new()), creation_counter: u64::MAX };
        let field = Field::bind(interp, &unbound, "csrf_token", &prefix)?;
        field.is_csrf.set(true);
        fields.push(("csrf_token".into(), Value::Native(field)));
    }
    for (name, field_value) in &fields {
        let Some(field) = field_value.downcast_native::<Field>() else { continue };
        let data = match &obj {
            Some(o) if !field.is_csrf.get() => interp.lookup_attr(o, name)?,
            _ => None,
        };
        let data = data.or_else(|| values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
        field.process(interp, formdata.as_ref(), data)?;
        if rebind {
            inst.set_own(name, field_value.clone());
        }
    }
    if rebind {
        inst.set_own("_fields", Value::dict_from_str_pairs(fields.iter().map(|(n, f)| (n.as_str(), f.clone()))));
        inst.set_own("form_errors", Value::list(Vec::new()));
        inst.set_own("_prefix", Value::string(prefix));
        inst.set_native_state(Rc::new(FormState { fields, csrf_token }));
    }
    Ok(())
}

/// A form's fields by name.
type NamedFields = Vec<(String, Rc<Field>)>;

fn fields_of(args: &CallArgs) -> PyResult<(Value, NamedFields)> {
    let (this, st) = form_state(args)?;
    let fields = st.fields.iter().filter_map(|(n, f)| f.downcast_native::<Field>().map(|f| (n.clone(), f))).collect();
    Ok((this, fields))
}

/// `form.validate(extra_validators=None)`.
fn validate(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let (this, fields) = fields_of(&args)?;
    let extra = match args.get(1).or(args.kwarg("extra_validators")) {
        Some(v) if !v.is_none() => Some(v.clone()),
        _ => None,
    };
    let t = types(interp)?;
    let cls = this.as_instance().map(|i| i.class.clone()).ok_or_else(|| PyErr::type_error("a form instance is required"))?;
    let mut success = true;
    for (name, field) in fields {
        let mut chain = Vec::new();
        if let Some(inline) = cls.lookup(&format!("validate_{name}")) {
            chain.push(inline);
        }
        if let Some(e) = &extra {
            if let Some(more) = dict_get(interp, e, &Value::str(&name))? {
                chain.extend(interp.collect(&more)?);
            }
        }
        let field_value = Value::Native(field.clone());
        if !field.validate(interp, &t, &this, &field_value, chain)? {
            success = false;
        }
    }
    Ok(Value::Bool(success))
}

fn is_submitted(interp: &mut Interpreter) -> bool {
    context::current_request(interp).is_some_and(|r| SUBMIT_METHODS.contains(&r.method.as_str()))
}

pub(crate) fn build_classes(interp: &mut Interpreter) -> PyResult<(Rc<Class>, Rc<Class>)> {
    let form = ClassBuilder::new("Form", "wtforms.form")
        .method("__init__", |interp, mut args| {
            let this = args.receiver()?.clone();
            skip_receiver(&mut args);
            let t = types(interp)?;
            process(interp, &t, &this, args, true)?;
            Ok(Value::None)
        })
        .method("process", |interp, mut args| {
            let this = args.receiver()?.clone();
            skip_receiver(&mut args);
            let t = types(interp)?;
            process(interp, &t, &this, args, false)?;
            Ok(Value::None)
        })
        .method("validate", validate)
        .method("populate_obj", |interp, args| {
            let (_, fields) = fields_of(&args)?;
            let obj = args.get(1).cloned().ok_or_else(|| PyErr::type_error("populate_obj() missing 1 required positional argument: 'obj'"))?;
            for (name, field) in fields {
                if field.is_csrf.get() {
                    continue;
                }
                interp.setattr(&obj, &name, field.data())?;
            }
            Ok(Value::None)
        })
        .method("__iter__", |_, args| {
            let (_, st) = form_state(&args)?;
            Ok(iterator_from_values(st.fields.iter().map(|(_, f)| f.clone()).collect()))
        })
        .method("__contains__", |_, args| {
            let (_, st) = form_state(&args)?;
            let name = args.get(1).and_then(Value::as_str).unwrap_or("");
            Ok(Value::Bool(st.fields.iter().any(|(n, _)| n == name)))
        })
        .method("__getitem__", |_, args| {
            let (_, st) = form_state(&args)?;
            let key = args.get(1).cloned().unwrap_or(Value::None);
            let name = key.as_str().unwrap_or("");
            st.fields.iter().find(|(n, _)| n == name).map(|(_, f)| f.clone()).ok_or_else(|| PyErr::key_error(key))
        })
        .attr(
            "data",
            ComputedAttr::value(
                "data",
                |_, this, _| {
                    let Some(st) = this.and_then(state) else { return Ok(Value::None) };
                    let pairs: Vec<(&str, Value)> = st.fields.iter().filter_map(|(n, f)| f.downcast_native::<Field>().map(|f| (n.as_str(), f.data()))).collect();
                    Ok(Value::dict_from_str_pairs(pairs))
                },
                None,
            ),
        )
        .attr(
            "errors",
            ComputedAttr::value(
                "errors",
                |interp, this, _| {
                    let Some(st) = this.and_then(state) else { return Ok(Value::None) };
                    let mut pairs = Vec::new();
                    for (n, f) in &st.fields {
                        let Some(field) = f.downcast_native::<Field>() else { continue };
                        let errors = field.errors();
                        if interp.truthy(&errors)? {
                            pairs.push((n.as_str(), errors));
                        }
                    }
                    Ok(Value::dict_from_str_pairs(pairs))
                },
                None,
            ),
        )
        .build(interp)?;
    let flask_form = ClassBuilder::new("FlaskForm", "flask_wtf.form")
        .base(&form)
        .method("is_submitted", |interp, _| Ok(Value::Bool(is_submitted(interp))))
        .method("validate_on_submit", |interp, args| {
            if !is_submitted(interp) {
                return Ok(Value::Bool(false));
            }
            validate(interp, args)
        })
        .method("hidden_tag", |interp, args| {
            let (_, fields) = fields_of(&args)?;
            let mut html = String::new();
            for (_, field) in fields.iter().filter(|(_, f)| f.kind == Kind::Hidden) {
                let attrs = if field.is_csrf.get() { vec![("value".to_string(), Value::string(current_csrf_token(interp)?))] } else { Vec::new() };
                html.push_str(&field.render(interp, attrs)?);
            }
            Ok(Value::string(html))
        })
        .build(interp)?;
    Ok((form, flask_form))
}

//! `wtforms` (forms, fields, validators) and `flask_wtf` (`FlaskForm`,
//! `CSRFProtect`). The validator chain runs in a few lines of Python (below)
//! so that `StopValidation` / `ValidationError` raised by native and user
//! validators alike are caught by class, exactly as WTForms catches them.

mod fields;
mod form;
mod validators;

use std::cell::Cell;
use std::rc::Rc;

use crate::script::value::Class;
use crate::script::{ClassBuilder, ExcKind, Interpreter, ModuleBuilder, PyErr, PyResult, Value};

use super::super::stdlib::native::{cached, skip_receiver};

/// WTForms' `Field._run_validation_chain`, run by the interpreter.
const VALIDATION_CHAIN: &str = "\
def run_validators(form, field, validators, stop, invalid):
    for validator in validators:
        try:
            validator(form, field)
        except stop as e:
            if e.args and e.args[0]:
                field.errors.append(e.args[0])
            return True
        except invalid as e:
            field.errors.append(e.args[0])
    return False
";

/// The classes and helpers of an interpreter's `wtforms`.
pub(crate) struct WtTypes {
    pub field_classes: Vec<Rc<Class>>,
    pub validator_classes: Vec<Rc<Class>>,
    pub validation_error: Rc<Class>,
    pub stop_validation: Rc<Class>,
    pub form: Rc<Class>,
    pub flask_form: Rc<Class>,
    pub csrf_protect: Rc<Class>,
    pub run_validators: Value,
    counter: Cell<u64>,
}

impl WtTypes {
    /// The next field creation number (fields keep their declaration order).
    pub fn next_counter(&self) -> u64 {
        let n = self.counter.get();
        self.counter.set(n + 1);
        n
    }
}

pub(crate) fn types(interp: &mut Interpreter) -> PyResult<Rc<WtTypes>> {
    cached(interp, |interp| {
        let validation_error = interp.new_exception_class("ValidationError", "wtforms.validators", &interp.exception_class(ExcKind::ValueError))?;
        let stop_validation = interp.new_exception_class("StopValidation", "wtforms.validators", &interp.exception_class(ExcKind::Exception))?;
        let field_classes = fields::build_classes(interp)?;
        let mut validator_classes = Vec::new();
        for name in validators::VALIDATORS {
            let cls = ClassBuilder::new(name, "wtforms.validators")
                .static_method("__new__", move |interp, mut args| {
                    skip_receiver(&mut args);
                    validators::construct(interp, name, args)
                })
                .build(interp)?;
            validator_classes.push(cls);
        }
        let (form, flask_form) = form::build_classes(interp)?;
        let csrf_protect = ClassBuilder::new("CSRFProtect", "flask_wtf.csrf")
            .method("__init__", |interp, args| {
                let this = args.receiver()?.clone();
                if let Some(app) = args.get(1).or(args.kwarg("app")).filter(|a| !a.is_none()) {
                    init_csrf(interp, &this, app)?;
                }
                Ok(Value::None)
            })
            .method("init_app", |interp, args| {
                let this = args.receiver()?.clone();
                let app = args.get(1).cloned().ok_or_else(|| PyErr::type_error("CSRFProtect.init_app() missing 1 required positional argument: 'app'"))?;
                init_csrf(interp, &this, &app)?;
                Ok(Value::None)
            })
            .build(interp)?;
        let module = interp.new_module("wtforms._validation", "<wtforms>");
        interp.run_module(&module, VALIDATION_CHAIN).map_err(|e| PyErr::runtime_error(e.render()))?;
        let run_validators = module.get("run_validators").ok_or_else(|| PyErr::runtime_error("the WTForms validation chain is missing"))?;
        Ok(Rc::new(WtTypes { field_classes, validator_classes, validation_error, stop_validation, form, flask_form, csrf_protect, run_validators, counter: Cell::new(0) }))
    })
}

/// `CSRFProtect(app)` / `csrf.init_app(app)`: registered as Flask-WTF does.
fn init_csrf(interp: &mut Interpreter, csrf: &Value, app: &Value) -> PyResult<()> {
    let extensions = super::extensions(interp, app)?;
    interp.setitem(&extensions, &Value::str("csrf"), csrf.clone())
}

/// The lower-case aliases `wtforms.validators` also exports.
const ALIASES: [(&str, &str); 8] = [
    ("data_required", "DataRequired"),
    ("input_required", "InputRequired"),
    ("optional", "Optional"),
    ("length", "Length"),
    ("equal_to", "EqualTo"),
    ("email", "Email"),
    ("number_range", "NumberRange"),
    ("regexp", "Regexp"),
];

fn validators_module(t: &WtTypes) -> Rc<crate::script::Module> {
    let mut m = ModuleBuilder::new("wtforms.validators").class(&t.validation_error).class(&t.stop_validation);
    for cls in &t.validator_classes {
        m = m.class(cls);
    }
    for (alias, name) in ALIASES {
        if let Some(cls) = t.validator_classes.iter().find(|c| &*c.name == name) {
            m = m.value(alias, Value::Class(cls.clone()));
        }
    }
    m.build()
}

fn fields_module(t: &WtTypes, name: &str) -> Rc<crate::script::Module> {
    let mut m = ModuleBuilder::new(name);
    for cls in &t.field_classes {
        m = m.class(cls);
    }
    m.build()
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("wtforms", |interp| {
        let t = types(interp)?;
        let mut m = ModuleBuilder::new("wtforms").class(&t.form).class(&t.validation_error);
        for cls in &t.field_classes {
            m = m.class(cls);
        }
        let validators = validators_module(&t);
        interp.register_module_object("wtforms.validators", validators.clone());
        let fields = fields_module(&t, "wtforms.fields");
        interp.register_module_object("wtforms.fields", fields.clone());
        Ok(m.value("validators", Value::Module(validators)).value("fields", Value::Module(fields)).build())
    });
    // Importing a submodule first imports `wtforms`, which makes them.
    for sub in ["validators", "fields"] {
        interp.register_module(&format!("wtforms.{sub}"), move |interp| match interp.import_module("wtforms")?.get(sub) {
            Some(Value::Module(m)) => Ok(m),
            _ => Err(PyErr::new(ExcKind::ModuleNotFoundError, format!("No module named 'wtforms.{sub}'"))),
        });
    }
    interp.register_module("flask_wtf", |interp| {
        let t = types(interp)?;
        Ok(ModuleBuilder::new("flask_wtf").class(&t.flask_form).class(&t.csrf_protect).function("generate_csrf", generate_csrf).build())
    });
    interp.register_module("flask_wtf.csrf", |interp| {
        let t = types(interp)?;
        Ok(ModuleBuilder::new("flask_wtf.csrf").class(&t.csrf_protect).function("generate_csrf", generate_csrf).build())
    });
}

fn generate_csrf(interp: &mut Interpreter, _args: crate::script::CallArgs) -> PyResult<Value> {
    Ok(Value::string(form::current_csrf_token(interp)?))
}

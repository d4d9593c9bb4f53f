//! `@validates('email')`: methods a mapped class declares to check (and transform) what is
//! assigned to its attributes. As in SQLAlchemy, the decorator only marks the function;
//! mapping the class collects the marked methods of the class and its mixins, and the
//! attribute writes call them: a set calls `validator(obj, key, value)` and stores what it
//! returns, a collection append calls it with the new item, a removal only with
//! `include_removes=True` (then every call gets a fourth argument, `is_remove`).

use std::rc::Rc;

use super::world::World;
use crate::orm::MapperId;
use crate::script::value::Class;
use crate::script::{CallArgs, Interpreter, PyErr, PyResult, Value};

/// What `@validates(...)` said about one function.
#[derive(Clone)]
pub struct ValidatorSpec {
    pub names: Vec<String>,
    pub include_removes: bool,
    pub include_backrefs: bool,
}

/// A validator of one mapped attribute.
#[derive(Clone)]
pub struct Validator {
    pub function: Value,
    pub include_removes: bool,
    pub include_backrefs: bool,
}

/// Why a validator is called: a value set or appended, the same from the other side of a
/// backref, or (with `include_removes`) an item removed.
#[derive(Clone, Copy, PartialEq)]
pub enum Change {
    Set,
    SetByBackref,
    Remove,
}

/// `validates(*names, include_removes=False, include_backrefs=True)`: the decorator.
pub fn validates(interp: &mut Interpreter, args: CallArgs) -> PyResult<Value> {
    let mut names = Vec::new();
    for name in &args.args {
        names.push(name.as_str().map(str::to_string).ok_or_else(|| {
            PyErr::type_error(format!(
                "validates() takes attribute names, not {}",
                interp.class_of(name).name
            ))
        })?);
    }
    let mut include_removes = false;
    let mut include_backrefs = true;
    for (key, value) in &args.kwargs {
        match key.as_ref() {
            "include_removes" => include_removes = interp.truthy(value)?,
            "include_backrefs" => include_backrefs = interp.truthy(value)?,
            other => {
                return Err(PyErr::type_error(format!(
                    "validates() got an unexpected keyword argument '{other}'"
                )))
            }
        }
    }
    let world = World::of(interp);
    let spec = ValidatorSpec {
        names,
        include_removes,
        include_backrefs,
    };
    Ok(crate::script::native_fn("validates", move |_, call| {
        call.exactly("validates", 1)?;
        let function = call.args[0].clone();
        world
            .borrow()?
            .validator_specs
            .push((function.clone(), spec.clone()));
        Ok(function)
    }))
}

/// Registers the validators a newly mapped class declares (its own methods first, then its
/// mixins', as attribute lookup finds them).
pub fn register(world: &World, cls: &Rc<Class>, mapper: MapperId) -> PyResult<()> {
    let mut w = world.borrow()?;
    if w.validator_specs.is_empty() {
        return Ok(());
    }
    for source in cls.mro() {
        for (_, value) in source.namespace() {
            let Some((_, spec)) = w
                .validator_specs
                .iter()
                .find(|(f, _)| f.identity() == value.identity())
                .cloned()
            else {
                continue;
            };
            for name in &spec.names {
                let validator = Validator {
                    function: value.clone(),
                    include_removes: spec.include_removes,
                    include_backrefs: spec.include_backrefs,
                };
                w.validators
                    .entry((mapper, name.clone()))
                    .or_insert(validator);
            }
        }
    }
    Ok(())
}

/// The validator of `mapper.key`, if any.
pub fn validator_of(world: &World, mapper: MapperId, key: &str) -> PyResult<Option<Validator>> {
    Ok(world
        .borrow()?
        .validators
        .get(&(mapper, key.to_string()))
        .cloned())
}

/// Runs the validator of `mapper.key` (if there is one that wants this change) on a value
/// assigned to, appended to or removed from `instance`'s attribute; returns the value to store
/// (a removal's callers ignore it: the item removed is what goes).
pub fn validate(interp: &mut Interpreter, world: &World, mapper: MapperId, key: &str, instance: &Value, value: Value, change: Change) -> PyResult<Value> {
    let Some(validator) = validator_of(world, mapper, key)? else { return Ok(value) };
    if (change == Change::Remove && !validator.include_removes) || (change == Change::SetByBackref && !validator.include_backrefs) {
        return Ok(value);
    }
    let mut args = vec![instance.clone(), Value::str(key), value];
    if validator.include_removes {
        args.push(Value::Bool(change == Change::Remove));
    }
    interp.call(&validator.function, args, vec![])
}

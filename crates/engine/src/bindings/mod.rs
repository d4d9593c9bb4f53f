//! The Python face of the engine: native modules a script imports. `stdlib` holds the
//! standard-library subset tutorials use (datetime, decimal, typing, os, logging, time, json),
//! `web` the Flask side (flask, werkzeug, flask_wtf, wtforms); `sqlalchemy` and
//! `flask_sqlalchemy` sit on the ORM.

pub mod flask_sqlalchemy;
pub mod sqlalchemy;
pub mod stdlib;
pub mod web;

use crate::script::Interpreter;

/// Registers every module the playground provides.
pub fn install(interp: &mut Interpreter) {
    stdlib::install(interp);
    web::install(interp);
    sqlalchemy::install(interp);
    flask_sqlalchemy::install(interp);
}

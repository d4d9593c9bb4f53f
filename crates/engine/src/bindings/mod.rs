//! The Python face of the engine: native modules a script imports. `stdlib` holds the
//! standard-library subset tutorials use (datetime, decimal, typing, os, logging, time, json),
//! `web` the Flask side (flask, werkzeug, flask_wtf, wtforms); the SQLAlchemy and
//! Flask-SQLAlchemy bindings sit on the ORM.

pub mod stdlib;
pub mod web;

use crate::script::Interpreter;

/// Registers every module the playground provides.
pub fn install(interp: &mut Interpreter) {
    stdlib::install(interp);
    web::install(interp);
}

//! Flask-side modules (filled by the web work).

use crate::script::Interpreter;

pub fn install(_interp: &mut Interpreter) {}

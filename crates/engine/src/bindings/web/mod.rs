//! Flask-side modules (filled by the web work).

use crate::script::Interpreter;

pub fn install(_interp: &mut Interpreter) {}

/// werkzeug's NotFound for `abort(404, description=...)` (filled by the web work).
pub fn not_found(_interp: &mut Interpreter, description: &str) -> crate::script::PyErr {
    crate::script::PyErr::runtime_error(format!("404 Not Found: {description}"))
}

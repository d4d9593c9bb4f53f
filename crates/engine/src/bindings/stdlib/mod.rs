//! Standard-library modules (filled by the stdlib work).

use crate::script::Interpreter;

pub fn install(_interp: &mut Interpreter) {}

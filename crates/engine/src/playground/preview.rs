//! The live SQL preview: what the expression being typed would send, compiled without
//! running it. The expression is evaluated in the interpreter's preview mode (no Python
//! functions called, no assignments); a query or select value is compiled, and a call that
//! would run SQL (`.all()`, `.first()`, a lazy load) is stopped at the database with the
//! statement captured.

use crate::bindings::sqlalchemy::query::{QueryState, SelectValue};
use crate::sql::{echo, Statement};

use super::{InputState, Playground};

#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// The SQL (SQLAlchemy's echo form), one entry per statement.
    pub statements: Vec<String>,
    /// Why there is no SQL to show (not a query yet, incomplete, has side effects...).
    pub note: Option<String>,
}

impl Preview {
    fn note(text: &str) -> Preview {
        Preview { statements: vec![], note: Some(text.to_string()) }
    }
}

/// Inputs longer than this (in bytes) are not previewed. A query is a line or a few; a pasted
/// script of many kilobytes is not one, and parsing it again after every keystroke would make
/// typing in it slow.
pub const PREVIEW_MAX_BYTES: usize = 20_000;

impl Playground {
    pub fn preview_sql(&mut self, input: &str) -> Preview {
        let text = input.trim();
        if text.is_empty() {
            return Preview::note("type a query to see its SQL");
        }
        if text.len() > PREVIEW_MAX_BYTES {
            return Preview::note("too long to preview: the preview compiles inputs of up to 20 kB");
        }
        match self.input_state(text) {
            InputState::Incomplete => return Preview::note("incomplete input"),
            InputState::Invalid(e) => return Preview::note(&format!("{}: {}", e.type_name, e.message)),
            InputState::Complete => {}
        }
        let world = self.world();
        if let Ok(mut w) = world.borrow() {
            w.orm.capture = Some(Vec::new());
        }
        let value = self.interp.preview(&self.main, text);
        let captured = world.borrow().ok().and_then(|mut w| w.orm.capture.take()).unwrap_or_default();
        if !captured.is_empty() {
            return Preview { statements: captured.iter().map(|s| echo::render(s).text).collect(), note: None };
        }
        let value = match value {
            Ok(v) => v,
            Err(e) => return Preview::note(&format!("{}: {}", e.type_name(), e.message())),
        };
        let statement = if let Some(select) = value.downcast_native::<SelectValue>() {
            Some(select.select.clone())
        } else {
            value.as_instance().and_then(|i| i.native_state_as::<QueryState>()).map(|q| q.select.clone())
        };
        let Some(statement) = statement else { return Preview::note("not a query: nothing is sent to the database") };
        let Ok(w) = world.borrow() else { return Preview::note("busy") };
        match w.orm.compile_select(&statement) {
            Ok(compiled) => Preview { statements: vec![echo::render(&Statement::Select(compiled.select)).text], note: None },
            Err(e) => Preview::note(&e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_over_the_limit_is_not_previewed() {
        let mut playground = Playground::new();
        // A list literal just under and just over the limit.
        let list = |items: usize| format!("[{}]", "10, ".repeat(items));
        let under = list((PREVIEW_MAX_BYTES - 2) / 4);
        assert!(under.len() <= PREVIEW_MAX_BYTES);
        assert_eq!(playground.preview_sql(&under).note.as_deref(), Some("not a query: nothing is sent to the database"));
        let over = list(PREVIEW_MAX_BYTES / 4);
        assert!(over.len() > PREVIEW_MAX_BYTES);
        assert_eq!(playground.preview_sql(&over).note.as_deref(), Some("too long to preview: the preview compiles inputs of up to 20 kB"));
    }
}

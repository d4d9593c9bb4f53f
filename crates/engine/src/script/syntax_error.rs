//! Errors found before a program runs: by the lexer, the parser or the scope
//! resolver. They are reported the way CPython 3.11 reports a `SyntaxError`
//! (file and line, the offending line, carets under the columns, message).

use std::fmt;

/// Which exception class the error is shown as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
    /// A construct Python has but the playground does not run (`async def`, `yield`, ...).
    NotImplemented,
    /// Nesting too deep to compile safely (`RecursionError` as CPython's compiler says).
    TooDeep,
}

impl SyntaxErrorKind {
    pub fn class_name(self) -> &'static str {
        match self {
            SyntaxErrorKind::SyntaxError => "SyntaxError",
            SyntaxErrorKind::IndentationError => "IndentationError",
            SyntaxErrorKind::TabError => "TabError",
            SyntaxErrorKind::NotImplemented => "NotImplementedError",
            SyntaxErrorKind::TooDeep => "RecursionError",
        }
    }
}

/// A positioned compile-time error. Offsets follow CPython's `SyntaxError`
/// attributes: `offset` and `end_offset` are 1-based character columns; an
/// `end_offset` of 0 or -1 means "no range" as in CPython.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxErrorInfo {
    pub kind: SyntaxErrorKind,
    pub msg: String,
    pub file: String,
    pub line: u32,
    pub offset: i32,
    pub end_line: u32,
    pub end_offset: i32,
    /// The source line, when CPython would show it (errors found by the
    /// resolver are shown without it for `<console>` input, as CPython does).
    pub text: Option<String>,
    /// Incomplete input: an unclosed bracket or string, or a block missing its
    /// body, at the end of the text (the console then asks for more lines).
    pub incomplete: bool,
}

impl SyntaxErrorInfo {
    pub(crate) fn new(kind: SyntaxErrorKind, msg: impl Into<String>, line: u32, offset: i32, end_line: u32, end_offset: i32) -> Self {
        SyntaxErrorInfo {
            kind,
            msg: msg.into(),
            file: String::new(),
            line,
            offset,
            end_line,
            end_offset,
            text: None,
            incomplete: false,
        }
    }

    /// The error as CPython prints it (`traceback.format_exception_only`).
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("  File \"{}\", line {}\n", self.file, self.line));
        if let Some(text) = &self.text {
            let rtext = text.trim_end_matches(['\n', '\r']);
            let ltext = rtext.trim_start_matches([' ', '\n', '\x0c']);
            let spaces = (rtext.chars().count() - ltext.chars().count()) as i32;
            out.push_str("    ");
            out.push_str(ltext);
            out.push('\n');
            let offset = self.offset;
            let mut end_offset = if self.end_offset == 0 { offset } else { self.end_offset };
            if offset == end_offset || end_offset == -1 {
                end_offset = offset + 1;
            }
            // Errors in script files are printed by CPython's C-level printer,
            // which marks indentation errors with a single caret; console
            // input goes through traceback.py, which marks the whole range.
            let script_file = !self.file.starts_with('<');
            if script_file && matches!(self.kind, SyntaxErrorKind::IndentationError | SyntaxErrorKind::TabError) {
                end_offset = offset + 1;
            }
            let colno = offset - 1 - spaces;
            let end_colno = end_offset - 1 - spaces;
            if colno >= 0 {
                out.push_str("    ");
                for c in ltext.chars().take(colno as usize) {
                    out.push(if c.is_whitespace() { c } else { ' ' });
                }
                for _ in 0..(end_colno - colno).max(0) {
                    out.push('^');
                }
                out.push('\n');
            }
        }
        out.push_str(self.kind.class_name());
        out.push_str(": ");
        out.push_str(&self.msg);
        out.push('\n');
        out
    }
}

impl fmt::Display for SyntaxErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (line {})", self.kind.class_name(), self.msg, self.line)
    }
}

//! Syntax highlighting for the models editor, from the interpreter's own tolerant tokenizer
//! (`script::highlight`): the source cut into spans that cover all of it, so the editor can
//! render every span as text with a class and the result reads exactly as the source.

use std::ops::Range;

use crate::script::highlight::{highlight as tokenize, TokenClass};

/// What a span of source is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// Spaces and newlines between tokens.
    Plain,
    Keyword,
    /// `True`, `False`, `None`.
    Constant,
    Builtin,
    Name,
    Number,
    String,
    Comment,
    Operator,
    Punctuation,
    Decorator,
    /// A character that cannot start any token.
    Invalid,
}

impl SpanKind {
    /// The CSS class the editor gives the span (`tok-keyword`, ...); `None` for plain text.
    pub fn css_class(self) -> Option<&'static str> {
        Some(match self {
            SpanKind::Plain => return None,
            SpanKind::Keyword => "tok-keyword",
            SpanKind::Constant => "tok-constant",
            SpanKind::Builtin => "tok-builtin",
            SpanKind::Name => "tok-name",
            SpanKind::Number => "tok-number",
            SpanKind::String => "tok-string",
            SpanKind::Comment => "tok-comment",
            SpanKind::Operator => "tok-operator",
            SpanKind::Punctuation => "tok-punctuation",
            SpanKind::Decorator => "tok-decorator",
            SpanKind::Invalid => "tok-invalid",
        })
    }
}

impl From<TokenClass> for SpanKind {
    fn from(class: TokenClass) -> SpanKind {
        match class {
            TokenClass::Keyword => SpanKind::Keyword,
            TokenClass::Constant => SpanKind::Constant,
            TokenClass::Builtin => SpanKind::Builtin,
            TokenClass::Name => SpanKind::Name,
            TokenClass::Number => SpanKind::Number,
            TokenClass::String => SpanKind::String,
            TokenClass::Comment => SpanKind::Comment,
            TokenClass::Operator => SpanKind::Operator,
            TokenClass::Punctuation => SpanKind::Punctuation,
            TokenClass::Decorator => SpanKind::Decorator,
            TokenClass::Error => SpanKind::Invalid,
        }
    }
}

/// A run of the source: `source[range]` is of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HighlightSpan {
    pub kind: SpanKind,
    /// Byte offsets into the source, on character boundaries.
    pub range: Range<usize>,
}

/// Cuts `source` into spans, in order, that together cover it exactly: tokens with their
/// kind, the text between them as `Plain`. Never fails, whatever the text.
pub fn highlight(source: &str) -> Vec<HighlightSpan> {
    let mut spans = Vec::new();
    let mut covered = 0;
    for token in tokenize(source) {
        // The tokenizer reports tokens in order, without overlap; clamping keeps the spans a
        // cover of the source even if that ever changed.
        let start = token.start.clamp(covered, source.len());
        let end = token.end.clamp(start, source.len());
        if start > covered {
            spans.push(HighlightSpan { kind: SpanKind::Plain, range: covered..start });
        }
        if end > start {
            spans.push(HighlightSpan { kind: token.class.into(), range: start..end });
        }
        covered = end;
    }
    if covered < source.len() {
        spans.push(HighlightSpan { kind: SpanKind::Plain, range: covered..source.len() });
    }
    spans
}

//! A tolerant tokenizer for syntax highlighting: it never fails, accepts any
//! text (unterminated strings, stray characters, half-typed code) and returns
//! token classes with byte spans. Text between tokens (spaces, newlines) is
//! not reported.

use super::lexer::{is_id_continue, is_id_start, KEYWORDS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenClass {
    Keyword,
    /// `True`, `False`, `None`.
    Constant,
    /// Names of builtins (`print`, `len`, `ValueError`...).
    Builtin,
    Name,
    Number,
    String,
    Comment,
    Operator,
    Punctuation,
    /// `@decorator` (with its dotted name).
    Decorator,
    /// A character that cannot start any token.
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HighlightToken {
    pub class: TokenClass,
    /// Byte offsets into the text (`start..end`).
    pub start: usize,
    pub end: usize,
}

const BUILTINS: &[&str] = &[
    "print", "len", "range", "str", "int", "float", "bool", "list", "dict", "tuple", "set", "frozenset", "bytes", "sorted", "reversed",
    "enumerate", "zip", "min", "max", "sum", "abs", "round", "isinstance", "issubclass", "type", "getattr", "setattr", "hasattr", "delattr",
    "repr", "any", "all", "dir", "id", "hash", "iter", "next", "map", "filter", "callable", "chr", "ord", "divmod", "pow", "format", "vars",
    "object", "super", "property", "staticmethod", "classmethod", "hex", "oct", "bin", "self", "cls", "Exception", "BaseException",
    "ValueError", "TypeError", "KeyError", "IndexError", "AttributeError", "NameError", "RuntimeError", "ZeroDivisionError",
    "NotImplementedError", "StopIteration", "AssertionError", "ImportError",
];

const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
    ":=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "=", "!", "@",
];

/// Tokenize `text` for highlighting.
pub fn highlight(text: &str) -> Vec<HighlightToken> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else { break };
        let clen = c.len_utf8();
        if c == '\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += clen;
            continue;
        }
        let start = i;
        let class;
        if c == '#' {
            i = text[i..].find('\n').map_or(text.len(), |k| i + k);
            class = TokenClass::Comment;
        } else if c == '@' && line_start {
            i += 1;
            while let Some(d) = text[i..].chars().next() {
                if is_id_continue(d) || d == '.' {
                    i += d.len_utf8();
                } else {
                    break;
                }
            }
            class = TokenClass::Decorator;
        } else if is_id_start(c) {
            let mut j = i;
            while let Some(d) = text[j..].chars().next() {
                if is_id_continue(d) {
                    j += d.len_utf8();
                } else {
                    break;
                }
            }
            let word = &text[i..j];
            let next = text[j..].chars().next();
            if matches!(next, Some('\'' | '"')) && word.len() <= 2 && word.chars().all(|p| matches!(p.to_ascii_lowercase(), 'r' | 'b' | 'u' | 'f')) {
                i = scan_string(text, j);
                class = TokenClass::String;
            } else {
                i = j;
                class = if matches!(word, "True" | "False" | "None") {
                    TokenClass::Constant
                } else if KEYWORDS.contains(&word) || matches!(word, "match" | "case") && line_start {
                    TokenClass::Keyword
                } else if BUILTINS.contains(&word) {
                    TokenClass::Builtin
                } else {
                    TokenClass::Name
                };
            }
        } else if c.is_ascii_digit() || (c == '.' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit())) {
            i += 1;
            while i < text.len() {
                let b = bytes[i];
                let prev = bytes[i - 1];
                if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || ((b == b'+' || b == b'-') && (prev == b'e' || prev == b'E')) {
                    i += 1;
                } else {
                    break;
                }
            }
            class = TokenClass::Number;
        } else if c == '\'' || c == '"' {
            i = scan_string(text, i);
            class = TokenClass::String;
        } else if "()[]{},:;.".contains(c) {
            i += 1;
            class = TokenClass::Punctuation;
        } else if let Some(op) = OPERATORS.iter().find(|op| text[i..].starts_with(**op)) {
            i += op.len();
            class = TokenClass::Operator;
        } else {
            i += clen;
            class = TokenClass::Error;
        }
        line_start = false;
        out.push(HighlightToken { class, start, end: i });
    }
    out
}

/// End of a string literal starting at the quote at byte `i` (tolerant:
/// an unterminated string runs to the end of its line, or of the text when
/// triple-quoted).
fn scan_string(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let q = bytes[i];
    let triple = bytes.get(i + 1) == Some(&q) && bytes.get(i + 2) == Some(&q);
    let mut j = i + if triple { 3 } else { 1 };
    while j < bytes.len() {
        let b = bytes[j];
        if b == b'\\' {
            j += 2;
            continue;
        }
        if b == b'\n' && !triple {
            return j;
        }
        if b == q {
            if !triple {
                return j + 1;
            }
            if bytes.get(j + 1) == Some(&q) && bytes.get(j + 2) == Some(&q) {
                return j + 3;
            }
        }
        j += 1;
    }
    // Escapes may step past the end; also keep the offset on a char boundary.
    let mut end = j.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

//! f-strings (PEP 498 as in Python 3.11): literal text with `{{`/`}}` escapes
//! and replacement fields `{expr!conv:spec}` (with nested fields in the spec
//! and the `{expr=}` self-documenting form). Field expressions are tokenized
//! and parsed by a sub-parser whose positions map back into the source.

use std::rc::Rc;

use super::super::ast::*;
use super::super::lexer::{decode_escapes, tokenize, StrTok, Tok};
use super::{PResult, Parser};

/// How deeply format specs may nest fields (`{x:{width}}` is one level).
const MAX_SPEC_NESTING: usize = 2;

struct Body<'a> {
    chars: &'a [char],
    /// Source position of each char (and one past the end).
    pos: Vec<Pos>,
    raw: bool,
    /// Where the whole string token ends.
    token_end: Pos,
}

impl Body<'_> {
    fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }
    fn at(&self, i: usize) -> Pos {
        self.pos.get(i).copied().or_else(|| self.pos.last().copied()).unwrap_or_default()
    }
}

impl<'s> Parser<'s> {
    pub(super) fn fstring_parts(&mut self, t: &StrTok, span: Span) -> PResult<Vec<FStringPart>> {
        let chars: Vec<char> = t.body.chars().collect();
        let mut pos = Vec::with_capacity(chars.len() + 1);
        let mut p = t.body_start;
        for &c in &chars {
            pos.push(p);
            if c == '\n' {
                p = Pos { line: p.line + 1, col: 0 };
            } else {
                p.col += 1;
            }
        }
        pos.push(p);
        let body = Body { chars: &chars, pos, raw: t.raw, token_end: span.end };
        let (parts, end) = self.fstring_literal_and_fields(&body, 0, 0, span)?;
        if end < chars.len() {
            // Only a stray `}` stops the top level early.
            return Err(self.fstring_error("single '}' is not allowed", &body));
        }
        Ok(parts)
    }

    /// f-string errors point just past the string, as CPython 3.11 does.
    fn fstring_error(&self, msg: &str, b: &Body<'_>) -> Box<super::super::syntax_error::SyntaxErrorInfo> {
        let mut e = self.syntax_error(format!("f-string: {msg}"), Span::new(b.token_end, b.token_end));
        e.msg = format!("f-string: {msg}");
        e
    }

    /// Literal text and fields from `i` until the end of the body or (inside a
    /// format spec, `nesting > 0`) an unmatched `}`. Returns the index reached.
    fn fstring_literal_and_fields(&mut self, b: &Body<'_>, mut i: usize, nesting: usize, span: Span) -> PResult<(Vec<FStringPart>, usize)> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = b.get(i) {
            match c {
                '{' if b.get(i + 1) == Some('{') && nesting == 0 => {
                    lit.push('{');
                    i += 2;
                }
                '}' if b.get(i + 1) == Some('}') && nesting == 0 => {
                    lit.push('}');
                    i += 2;
                }
                '{' => {
                    self.flush_literal(&mut parts, &mut lit, b.raw, span)?;
                    if nesting >= MAX_SPEC_NESTING {
                        return Err(self.fstring_error("expressions nested too deeply", b));
                    }
                    let (field, next) = self.fstring_field(b, i + 1, nesting, span)?;
                    parts.extend(field);
                    i = next;
                }
                '}' => break,
                '\\' if !b.raw => {
                    lit.push('\\');
                    if let Some(n) = b.get(i + 1) {
                        lit.push(n);
                    }
                    i += 2;
                }
                _ => {
                    lit.push(c);
                    i += 1;
                }
            }
        }
        self.flush_literal(&mut parts, &mut lit, b.raw, span)?;
        Ok((parts, i.min(b.chars.len())))
    }

    fn flush_literal(&self, parts: &mut Vec<FStringPart>, lit: &mut String, raw: bool, span: Span) -> PResult<()> {
        if lit.is_empty() {
            return Ok(());
        }
        let text = if raw {
            std::mem::take(lit)
        } else {
            match decode_escapes(lit, false) {
                Ok(s) => {
                    lit.clear();
                    s
                }
                Err(e) => return Err(self.error_at(e.kind, e.msg, span)),
            }
        };
        parts.push(FStringPart::Literal(Rc::from(text.as_str())));
        Ok(())
    }

    /// One replacement field starting just after its `{`. Returns the parts it
    /// produces (a literal for `{x=}`, then the field) and the index after `}`.
    fn fstring_field(&mut self, b: &Body<'_>, start: usize, nesting: usize, span: Span) -> PResult<(Vec<FStringPart>, usize)> {
        let mut i = start;
        let mut depth = 0usize;
        let mut self_doc = false;
        let expr_end;
        loop {
            let Some(c) = b.get(i) else {
                return Err(self.fstring_error("expecting '}'", b));
            };
            match c {
                '\\' => return Err(self.syntax_error("f-string expression part cannot include a backslash", Span::new(b.token_end, b.token_end))),
                '#' => return Err(self.syntax_error("f-string expression part cannot include '#'", Span::new(b.token_end, b.token_end))),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' => {
                    if depth == 0 {
                        return Err(self.fstring_error(&format!("unmatched '{c}'"), b));
                    }
                    depth -= 1;
                }
                '}' if depth > 0 => depth -= 1,
                '\'' | '"' => {
                    i = skip_quoted(b, i);
                    continue;
                }
                '}' | ':' if depth == 0 => {
                    expr_end = i;
                    break;
                }
                '!' if depth == 0 && b.get(i + 1) != Some('=') => {
                    expr_end = i;
                    break;
                }
                '=' if depth == 0
                    && b.get(i + 1) != Some('=')
                    && !matches!(b.get(i.wrapping_sub(1)), Some('=' | '!' | '<' | '>')) =>
                {
                    expr_end = i;
                    self_doc = true;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let text: String = b.chars[start..expr_end].iter().collect();
        if text.trim().is_empty() {
            return Err(self.fstring_error("empty expression not allowed", b));
        }
        let value = self.fstring_expression(&text, b.at(start))?;
        let mut parts = Vec::new();
        i = expr_end;
        if self_doc {
            i += 1;
            while matches!(b.get(i), Some(' ' | '\t' | '\n')) {
                i += 1;
            }
            let doc: String = b.chars[start..i].iter().collect();
            parts.push(FStringPart::Literal(Rc::from(doc.as_str())));
        }
        let mut conversion = None;
        if b.get(i) == Some('!') {
            let conv = b.get(i + 1);
            match conv {
                Some(c @ ('r' | 's' | 'a')) if matches!(b.get(i + 2), Some(':' | '}')) => {
                    conversion = Some(c);
                    i += 2;
                }
                None | Some(':' | '}') => {
                    return Err(self.fstring_error("missing conversion character: expected 's', 'r', or 'a'", b));
                }
                Some(_) => {
                    return Err(self.fstring_error("invalid conversion character: expected 's', 'r', or 'a'", b));
                }
            }
        }
        let mut spec = None;
        if b.get(i) == Some(':') {
            let (spec_parts, next) = self.fstring_literal_and_fields(b, i + 1, nesting + 1, span)?;
            spec = Some(spec_parts);
            i = next;
        }
        if b.get(i) != Some('}') {
            return Err(self.fstring_error("expecting '}'", b));
        }
        if self_doc && conversion.is_none() && spec.is_none() {
            conversion = Some('r');
        }
        parts.push(FStringPart::Field(Box::new(FormattedField { value, conversion, spec })));
        Ok((parts, i + 1))
    }

    /// Parse a field's expression text, positioned at `at` in the source.
    fn fstring_expression(&mut self, text: &str, at: Pos) -> PResult<Expr> {
        // Parenthesize, as CPython does, so the expression may span lines.
        let wrapped = format!("({text})");
        let mut toks = tokenize(&wrapped);
        for t in &mut toks {
            for p in [&mut t.span.start, &mut t.span.end] {
                if p.line == 1 {
                    p.col = (p.col + at.col).saturating_sub(1);
                }
                p.line += at.line - 1;
            }
            if let Tok::Error(e) = &mut t.tok {
                if e.line == 1 {
                    e.offset = e.offset + at.col as i32 - 1;
                    e.end_offset = e.end_offset + at.col as i32 - 1;
                }
                e.line += at.line - 1;
                e.end_line += at.line - 1;
                e.msg = format!("f-string: {}", e.msg);
            }
        }
        let mut sub = Parser {
            toks,
            i: 0,
            lines: self.lines.clone(),
            depth: self.depth,
            guard: self.guard,
            bracket_level: 0,
            in_fstring: true,
        };
        let e = sub.star_expressions()?;
        if !matches!(sub.peek(), Tok::Newline | Tok::End) {
            return Err(sub.invalid_syntax());
        }
        // Unwrap the parentheses we added: a lone starred value is refused.
        if let ExprKind::Starred(_) = e.kind {
            return Err(self.syntax_error("f-string: can't use starred expression here", e.span));
        }
        Ok(e)
    }
}

/// Skip a quoted string inside a field expression; returns the index after it.
fn skip_quoted(b: &Body<'_>, i: usize) -> usize {
    let Some(q) = b.get(i) else { return i + 1 };
    let triple = b.get(i + 1) == Some(q) && b.get(i + 2) == Some(q);
    let mut k = i + if triple { 3 } else { 1 };
    while let Some(c) = b.get(k) {
        if c == q {
            if !triple {
                return k + 1;
            }
            if b.get(k + 1) == Some(q) && b.get(k + 2) == Some(q) {
                return k + 3;
            }
        }
        k += 1;
    }
    k
}

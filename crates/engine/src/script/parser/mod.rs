//! The parser: tokens → [`ast::Module`](super::ast::Module).
//!
//! Statements are parsed by recursive descent (this file), expressions by a
//! precedence-climbing parser (`expr.rs`), f-strings by `fstring.rs`, and
//! assignment targets are checked in `targets.rs`. Error messages follow
//! CPython 3.11's wording and positions for the common mistakes.

mod expr;
mod fstring;
mod targets;

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::*;
use super::lexer::{tokenize, Kw, Op, Tok, Token};
use super::stack::StackGuard;
use super::syntax_error::{SyntaxErrorInfo, SyntaxErrorKind};
use targets::TargetCtx;

pub(crate) type PResult<T> = Result<T, Box<SyntaxErrorInfo>>;

/// Nesting deeper than this is refused the way CPython's compiler refuses it.
/// Brackets alone are limited to 200 levels by the tokenizer; this leaves room
/// for unary operators, lambdas and attribute chains around them.
const MAX_NESTING: usize = 400;
/// Native stack the parser may use; deeper input fails with a clear error.
const PARSER_STACK_BYTES: usize = 512 * 1024;

pub(crate) struct Parser<'s> {
    toks: Vec<Token>,
    i: usize,
    lines: Vec<&'s str>,
    depth: usize,
    guard: StackGuard,
    /// How many brackets enclose the current position (for "forgot a comma?").
    bracket_level: usize,
    /// Inside an f-string replacement field: errors get an "f-string: " prefix.
    in_fstring: bool,
    /// Whether the brace display at a token index is a dict: the answer needs a parse of
    /// its first element ahead, and without this every enclosing display would parse
    /// nested displays again, exponentially (`{{{{...` of 25 levels took minutes).
    brace_is_dict: HashMap<usize, bool>,
}

/// Parse a whole module (a script file or a console input).
pub fn parse_module(source: &str, file: &str) -> Result<Module, Box<SyntaxErrorInfo>> {
    let mut p = Parser::new(source);
    let result = p.file_input().map_err(|e| p.prefer_tokenizer_error(e));
    match result {
        Ok(body) => Ok(Module { body, file: Rc::from(file) }),
        Err(mut e) => {
            e.file = file.to_string();
            Err(e)
        }
    }
}

/// Parse a single expression (for previews and completion).
pub fn parse_expression(source: &str, file: &str) -> Result<Expr, Box<SyntaxErrorInfo>> {
    let mut p = Parser::new(source);
    let result = p.expression_input().map_err(|e| p.prefer_tokenizer_error(e));
    result.map_err(|mut e| {
        e.file = file.to_string();
        e
    })
}

fn is_line_break(c: char) -> bool {
    c == '\n' || c == '\r'
}

impl<'s> Parser<'s> {
    fn new(source: &'s str) -> Self {
        Parser::from_tokens(tokenize(source), source)
    }

    fn from_tokens(mut toks: Vec<Token>, source: &'s str) -> Self {
        if toks.is_empty() {
            toks.push(Token { tok: Tok::End, span: Span::default() });
        }
        Parser {
            toks,
            i: 0,
            lines: source.split_inclusive('\n').collect(),
            depth: 0,
            guard: StackGuard::new(PARSER_STACK_BYTES),
            bracket_level: 0,
            in_fstring: false,
            brace_is_dict: HashMap::new(),
        }
    }

    // ----- token access -----

    fn tok(&self) -> &Token {
        // The token list is never empty and ends with `End` or `Error`; the
        // parser never moves past either, so the clamped index is in range.
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn peek(&self) -> &Tok {
        &self.tok().tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.i + n).map(|t| &t.tok).unwrap_or(&Tok::End)
    }

    fn span(&self) -> Span {
        self.tok().span
    }

    fn prev_end(&self) -> Pos {
        if self.i == 0 {
            return Pos { line: 1, col: 0 };
        }
        self.toks.get(self.i - 1).map(|t| t.span.end).unwrap_or_default()
    }

    fn bump(&mut self) -> Token {
        let t = self.tok().clone();
        if !matches!(t.tok, Tok::End | Tok::Error(_)) {
            self.i += 1;
        }
        t
    }

    fn at_op(&self, op: Op) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn at_kw(&self, kw: Kw) -> bool {
        matches!(self.peek(), Tok::Kw(k) if *k == kw)
    }

    fn eat_op(&mut self, op: Op) -> bool {
        if self.at_op(op) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: Kw) -> bool {
        if self.at_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: Op) -> PResult<Span> {
        if self.at_op(op) {
            Ok(self.bump().span)
        } else if op == Op::Colon {
            Err(self.expected_colon())
        } else {
            Err(self.invalid_syntax())
        }
    }

    fn expect_newline(&mut self) -> PResult<()> {
        match self.peek() {
            Tok::Newline => {
                self.bump();
                Ok(())
            }
            Tok::End => Ok(()),
            _ => Err(self.invalid_syntax()),
        }
    }

    fn name(&mut self) -> PResult<(Rc<str>, Span)> {
        match self.peek() {
            Tok::Name(n) => {
                let n = n.clone();
                let span = self.bump().span;
                Ok((n, span))
            }
            _ => Err(self.invalid_syntax()),
        }
    }

    // ----- errors -----

    pub(crate) fn error_at(&self, kind: SyntaxErrorKind, msg: impl Into<String>, span: Span) -> Box<SyntaxErrorInfo> {
        let mut msg = msg.into();
        if self.in_fstring && kind == SyntaxErrorKind::SyntaxError {
            msg = format!("f-string: {msg}");
        }
        let mut e = SyntaxErrorInfo::new(kind, msg, span.start.line, span.start.col as i32 + 1, span.end.line.max(span.start.line), span.end.col as i32 + 1);
        e.text = self.line_text(span.start.line);
        Box::new(e)
    }

    fn line_text(&self, line: u32) -> Option<String> {
        let idx = (line as usize).checked_sub(1)?;
        self.lines.get(idx).map(|l| l.trim_end_matches(is_line_break).to_string())
    }

    fn syntax_error(&self, msg: impl Into<String>, span: Span) -> Box<SyntaxErrorInfo> {
        self.error_at(SyntaxErrorKind::SyntaxError, msg, span)
    }

    fn not_supported(&self, what: &str, span: Span) -> Box<SyntaxErrorInfo> {
        self.error_at(SyntaxErrorKind::NotImplemented, format!("{what} is not supported in the playground"), span)
    }

    /// The lexer's error if the current token is one, else `None`.
    fn lexer_error(&self) -> Option<Box<SyntaxErrorInfo>> {
        match self.peek() {
            Tok::Error(e) => {
                let mut e = e.clone();
                if e.text.is_none() {
                    e.text = self.line_text(e.line);
                }
                Some(e)
            }
            _ => None,
        }
    }

    /// CPython tokenizes the rest of the source after a parser error: a
    /// tokenizer error anywhere replaces it, except that an unclosed bracket
    /// only does when the parser error is on a later line than the bracket,
    /// and an unexpected indent is reported before the rest is looked at.
    fn prefer_tokenizer_error(&self, e: Box<SyntaxErrorInfo>) -> Box<SyntaxErrorInfo> {
        let Some(Token { tok: Tok::Error(lex), .. }) = self.toks.last() else { return e };
        if **lex == *e || (e.kind == SyntaxErrorKind::IndentationError && e.msg == "unexpected indent") {
            return e;
        }
        if lex.incomplete && lex.msg.ends_with("was never closed") && e.line <= lex.line {
            return e;
        }
        let mut lex = lex.clone();
        if lex.text.is_none() {
            lex.text = self.line_text(lex.line);
        }
        lex
    }

    /// "invalid syntax" at the current token (or the lexer's error there).
    fn invalid_syntax(&self) -> Box<SyntaxErrorInfo> {
        if let Some(e) = self.lexer_error() {
            return e;
        }
        let span = self.span();
        let mut e = self.syntax_error("invalid syntax", span);
        if matches!(self.peek(), Tok::End | Tok::Dedent) {
            e.incomplete = self.rest_is_end();
        }
        e
    }

    fn expected_colon(&self) -> Box<SyntaxErrorInfo> {
        if let Some(e) = self.lexer_error() {
            return e;
        }
        let end = self.prev_end();
        self.syntax_error("expected ':'", Span::new(end, end))
    }

    /// True when only DEDENT/END tokens remain: an error here means the input
    /// stopped where more could follow.
    fn rest_is_end(&self) -> bool {
        self.toks[self.i.min(self.toks.len())..].iter().all(|t| matches!(t.tok, Tok::Dedent | Tok::End))
    }

    /// Enter one level of nesting; refuse input nested too deeply.
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING || self.guard.exceeded() {
            let span = self.span();
            let mut e = self.error_at(SyntaxErrorKind::TooDeep, "maximum recursion depth exceeded during compilation", span);
            e.text = None;
            return Err(e);
        }
        Ok(())
    }

    // ----- modules and statements -----

    fn file_input(&mut self) -> PResult<Vec<Stmt>> {
        let mut body = Vec::new();
        loop {
            match self.peek() {
                Tok::End => break,
                Tok::Newline => {
                    self.bump();
                }
                _ => body.extend(self.statement()?),
            }
        }
        Ok(body)
    }

    fn expression_input(&mut self) -> PResult<Expr> {
        while matches!(self.peek(), Tok::Newline | Tok::Indent) {
            self.bump();
        }
        let e = self.star_expressions()?;
        while matches!(self.peek(), Tok::Newline | Tok::Dedent) {
            self.bump();
        }
        if !matches!(self.peek(), Tok::End) {
            return Err(self.invalid_syntax());
        }
        Ok(e)
    }

    fn statement(&mut self) -> PResult<Vec<Stmt>> {
        let start = self.span();
        match self.peek().clone() {
            Tok::Kw(Kw::If) => Ok(vec![self.if_stmt()?]),
            Tok::Kw(Kw::While) => Ok(vec![self.while_stmt()?]),
            Tok::Kw(Kw::For) => Ok(vec![self.for_stmt()?]),
            Tok::Kw(Kw::Try) => Ok(vec![self.try_stmt()?]),
            Tok::Kw(Kw::With) => Ok(vec![self.with_stmt()?]),
            Tok::Kw(Kw::Def) => Ok(vec![self.funcdef(Vec::new())?]),
            Tok::Kw(Kw::Class) => Ok(vec![self.classdef(Vec::new())?]),
            Tok::Op(Op::At) => Ok(vec![self.decorated()?]),
            Tok::Kw(Kw::Async) => {
                let what = match self.peek_at(1) {
                    Tok::Kw(Kw::Def) => "'async def'",
                    Tok::Kw(Kw::For) => "'async for'",
                    Tok::Kw(Kw::With) => "'async with'",
                    _ => "'async'",
                };
                Err(self.not_supported(what, start))
            }
            Tok::Indent => {
                let next = self.toks.get(self.i + 1).map(|t| t.span).unwrap_or(start);
                let mut e = self.error_at(SyntaxErrorKind::IndentationError, "unexpected indent", next);
                e.offset = next.start.col as i32;
                e.end_offset = -1;
                Err(e)
            }
            Tok::Name(n) if &*n == "match" && self.looks_like_match_statement() => Err(self.not_supported("the 'match' statement", start)),
            Tok::Kw(Kw::Else) | Tok::Kw(Kw::Elif) | Tok::Kw(Kw::Except) | Tok::Kw(Kw::Finally) => Err(self.invalid_syntax()),
            _ => self.simple_stmts(),
        }
    }

    /// `match <subject>:` at the start of a line, followed by an indented block.
    fn looks_like_match_statement(&self) -> bool {
        let mut k = self.i + 1;
        let mut depth = 0i32;
        while let Some(t) = self.toks.get(k) {
            match &t.tok {
                Tok::Op(Op::LPar | Op::LSqb | Op::LBrace) => depth += 1,
                Tok::Op(Op::RPar | Op::RSqb | Op::RBrace) => depth -= 1,
                Tok::Op(Op::Equal) if depth == 0 => return false,
                Tok::Op(Op::Colon) if depth == 0 => {
                    return matches!(self.toks.get(k + 1).map(|t| &t.tok), Some(Tok::Newline))
                        && matches!(self.toks.get(k + 2).map(|t| &t.tok), Some(Tok::Indent));
                }
                Tok::Newline | Tok::End | Tok::Error(_) => return false,
                _ => {}
            }
            k += 1;
        }
        false
    }

    /// The body after a compound statement's `:`.
    fn block(&mut self, what: &str, header_line: u32) -> PResult<Vec<Stmt>> {
        if !matches!(self.peek(), Tok::Newline) {
            return self.simple_stmts();
        }
        self.bump();
        if !matches!(self.peek(), Tok::Indent) {
            if let Some(e) = self.lexer_error() {
                return Err(e);
            }
            let span = self.span();
            let mut e = self.error_at(
                SyntaxErrorKind::IndentationError,
                format!("expected an indented block after {what} on line {header_line}"),
                span,
            );
            if self.rest_is_end() {
                e.incomplete = true;
            }
            return Err(e);
        }
        self.bump();
        let mut body = Vec::new();
        loop {
            match self.peek() {
                Tok::Dedent => {
                    self.bump();
                    break;
                }
                Tok::End => break,
                // Blocks nest at most 100 deep (the tokenizer's indentation
                // limit), but their frames are large in debug builds.
                _ => body.extend(self.nested(|p| p.statement())?),
            }
        }
        Ok(body)
    }

    fn simple_stmts(&mut self) -> PResult<Vec<Stmt>> {
        let mut stmts = vec![self.simple_stmt()?];
        while self.eat_op(Op::Semi) {
            if matches!(self.peek(), Tok::Newline | Tok::End) {
                break;
            }
            stmts.push(self.simple_stmt()?);
        }
        self.expect_newline()?;
        Ok(stmts)
    }

    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let kind = match self.peek().clone() {
            Tok::Kw(Kw::Pass) => {
                self.bump();
                StmtKind::Pass
            }
            Tok::Kw(Kw::Break) => {
                self.bump();
                StmtKind::Break
            }
            Tok::Kw(Kw::Continue) => {
                self.bump();
                StmtKind::Continue
            }
            Tok::Kw(Kw::Return) => {
                self.bump();
                let value = if self.at_simple_stmt_end() { None } else { Some(self.star_expressions_value()?) };
                StmtKind::Return(value)
            }
            Tok::Kw(Kw::Raise) => {
                self.bump();
                if self.at_simple_stmt_end() {
                    StmtKind::Raise { exc: None, cause: None }
                } else {
                    let exc = self.expression()?;
                    let cause = if self.eat_kw(Kw::From) { Some(self.expression()?) } else { None };
                    StmtKind::Raise { exc: Some(exc), cause }
                }
            }
            Tok::Kw(Kw::Global) | Tok::Kw(Kw::Nonlocal) => {
                let is_global = self.at_kw(Kw::Global);
                self.bump();
                let mut names = vec![self.name()?.0];
                while self.eat_op(Op::Comma) {
                    names.push(self.name()?.0);
                }
                if is_global {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            Tok::Kw(Kw::Del) => {
                self.bump();
                let mut targets = Vec::new();
                loop {
                    let t = self.bitwise_or()?;
                    self.check_target(&t, TargetCtx::Del)?;
                    targets.push(t);
                    if !self.eat_op(Op::Comma) || self.at_simple_stmt_end() {
                        break;
                    }
                }
                StmtKind::Delete(targets)
            }
            Tok::Kw(Kw::Assert) => {
                self.bump();
                let test = self.expression()?;
                let msg = if self.eat_op(Op::Comma) { Some(self.expression()?) } else { None };
                StmtKind::Assert { test, msg }
            }
            Tok::Kw(Kw::Import) => self.import_stmt()?,
            Tok::Kw(Kw::From) => self.import_from_stmt()?,
            Tok::Kw(Kw::Yield) => return Err(self.not_supported("'yield' (generators)", start)),
            Tok::Name(n) if (&*n == "print" || &*n == "exec") && self.starts_legacy_print() => {
                let first = self.bump().span;
                let rest = self.star_expressions()?;
                let span = first.to(rest.span);
                let msg = format!("Missing parentheses in call to '{n}'. Did you mean {n}(...)?");
                return Err(self.syntax_error(msg, span));
            }
            _ => return self.expr_or_assign(),
        };
        let end = self.prev_end();
        Ok(Stmt { kind, span: Span::new(start.start, end) })
    }

    /// `print x` (Python 2 style): a name directly followed by an expression start.
    fn starts_legacy_print(&self) -> bool {
        matches!(self.peek_at(1), Tok::Str(_) | Tok::Int(_) | Tok::Float(_) | Tok::Name(_))
    }

    fn at_simple_stmt_end(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::End | Tok::Op(Op::Semi))
    }

    /// Star-expressions where the result is a value: a lone `*x` is refused.
    fn star_expressions_value(&mut self) -> PResult<Expr> {
        let e = self.star_expressions()?;
        if let ExprKind::Starred(_) = e.kind {
            let mut err = self.syntax_error("can't use starred expression here", e.span);
            err.text = None;
            return Err(err);
        }
        Ok(e)
    }

    fn expr_or_assign(&mut self) -> PResult<Stmt> {
        let start = self.span().start;
        let first = self.star_expressions()?;
        // Annotated assignment.
        if self.at_op(Op::Colon) {
            self.check_annotation_target(&first)?;
            self.bump();
            let annotation = self.expression()?;
            let value = if self.eat_op(Op::Equal) { Some(self.star_expressions_value()?) } else { None };
            let simple = matches!(first.kind, ExprKind::Name(_)) && !self.was_parenthesized(&first);
            let end = self.prev_end();
            return Ok(Stmt { kind: StmtKind::AnnAssign { target: first, annotation, value, simple }, span: Span::new(start, end) });
        }
        // Augmented assignment.
        if let Tok::Op(op) = self.peek() {
            if let Some(bin) = aug_op(*op) {
                self.check_target(&first, TargetCtx::AugAssign)?;
                self.bump();
                if matches!(self.peek(), Tok::Kw(Kw::Yield)) {
                    return Err(self.not_supported("'yield' (generators)", self.span()));
                }
                let value = self.star_expressions_value()?;
                let end = self.prev_end();
                return Ok(Stmt { kind: StmtKind::AugAssign { target: first, op: bin, value }, span: Span::new(start, end) });
            }
        }
        if !self.at_op(Op::Equal) {
            if let ExprKind::Starred(_) = first.kind {
                let mut err = self.syntax_error("can't use starred expression here", first.span);
                err.text = None;
                return Err(err);
            }
            if !self.at_simple_stmt_end() {
                return Err(self.juxtaposed_error(&first));
            }
            let span = first.span;
            return Ok(Stmt { kind: StmtKind::Expr(first), span: Span::new(start, span.end) });
        }
        // Plain (possibly chained) assignment.
        let mut exprs = vec![first];
        while self.eat_op(Op::Equal) {
            if matches!(self.peek(), Tok::Kw(Kw::Yield)) {
                return Err(self.not_supported("'yield' (generators)", self.span()));
            }
            exprs.push(self.star_expressions()?);
        }
        let value = exprs.pop().unwrap_or_else(|| Expr { kind: ExprKind::Constant(super::value::Value::None), span: Span::default() });
        for (k, t) in exprs.iter().enumerate() {
            self.check_target(t, TargetCtx::Assign { first: k == 0 })?;
        }
        if let ExprKind::Starred(_) = value.kind {
            let mut err = self.syntax_error("can't use starred expression here", value.span);
            err.text = None;
            return Err(err);
        }
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::Assign { targets: exprs, value }, span: Span::new(start, end) })
    }

    /// An expression followed by something that cannot follow it.
    fn juxtaposed_error(&mut self, first: &Expr) -> Box<SyntaxErrorInfo> {
        if let Some(e) = self.lexer_error() {
            return e;
        }
        if self.bracket_level > 0 && self.starts_expression() {
            let save = self.i;
            let second = self.expression_no_error();
            // Looking past the second expression may reach a tokenizer error
            // (an unclosed bracket at the end), which CPython reports instead.
            let lexer_error = self.lexer_error();
            self.i = save;
            if let Some(e) = lexer_error {
                return e;
            }
            if let Some(second) = second {
                return self.syntax_error("invalid syntax. Perhaps you forgot a comma?", first.span.to(second));
            }
        }
        self.invalid_syntax()
    }

    /// Parse an expression, returning only its span (used for error messages).
    fn expression_no_error(&mut self) -> Option<Span> {
        let saved_fstring = self.in_fstring;
        let r = self.expression().ok().map(|e| e.span);
        self.in_fstring = saved_fstring;
        r
    }

    fn starts_expression(&self) -> bool {
        matches!(
            self.peek(),
            Tok::Name(_)
                | Tok::Int(_)
                | Tok::Float(_)
                | Tok::Str(_)
                | Tok::Kw(Kw::None | Kw::True | Kw::False | Kw::Lambda | Kw::Not)
                | Tok::Op(Op::LPar | Op::LSqb | Op::LBrace | Op::Minus | Op::Plus | Op::Tilde | Op::Ellipsis)
        )
    }

    fn was_parenthesized(&self, e: &Expr) -> bool {
        // A parenthesized name's span starts at the name itself while the
        // statement starts at the bracket.
        let line = e.span.start.line as usize;
        self.lines
            .get(line.wrapping_sub(1))
            .and_then(|l| l.chars().nth(e.span.start.col as usize))
            .is_some_and(|c| c == '(')
    }

    fn header_line(&self) -> u32 {
        self.span().start.line
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        self.conditional("'if' statement")
    }

    /// `if` or `elif` (an `elif` is an `if` nested in the `else` branch).
    fn conditional(&mut self, what: &str) -> PResult<Stmt> {
        let start = self.bump().span;
        let test = self.named_expression()?;
        self.expect_op(Op::Colon)?;
        let body = self.block(what, start.start.line)?;
        let orelse = if self.at_kw(Kw::Elif) { vec![self.conditional("'elif' statement")?] } else { self.else_block()? };
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::If { test, body, orelse }, span: Span::new(start.start, end) })
    }

    fn while_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump().span;
        let test = self.named_expression()?;
        self.expect_op(Op::Colon)?;
        let body = self.block("'while' statement", start.start.line)?;
        let orelse = self.else_block()?;
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::While { test, body, orelse }, span: Span::new(start.start, end) })
    }

    /// An optional `else:` block (of `if`, `while`, `for`, `try`).
    fn else_block(&mut self) -> PResult<Vec<Stmt>> {
        self.optional_block(Kw::Else, "'else' statement")
    }

    /// `keyword: block` if the next token is `keyword`, else nothing.
    fn optional_block(&mut self, keyword: Kw, what: &str) -> PResult<Vec<Stmt>> {
        if !self.at_kw(keyword) {
            return Ok(Vec::new());
        }
        let line = self.header_line();
        self.bump();
        self.expect_op(Op::Colon)?;
        self.block(what, line)
    }

    fn for_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump().span;
        let target = self.target_list()?;
        self.check_target(&target, TargetCtx::For)?;
        if !self.eat_kw(Kw::In) {
            return Err(self.invalid_syntax());
        }
        let iter = self.star_expressions_value()?;
        self.expect_op(Op::Colon)?;
        let body = self.block("'for' statement", start.start.line)?;
        let orelse = self.else_block()?;
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::For { target, iter, body, orelse }, span: Span::new(start.start, end) })
    }

    fn try_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump().span;
        self.expect_op(Op::Colon)?;
        let body = self.block("'try' statement", start.start.line)?;
        let mut handlers = Vec::new();
        while self.at_kw(Kw::Except) {
            let hstart = self.bump().span;
            if self.at_op(Op::Star) {
                return Err(self.not_supported("'except*' (exception groups)", hstart.to(self.span())));
            }
            if let Some(prev) = handlers.last() {
                let prev: &ExceptHandler = prev;
                if prev.kind.is_none() {
                    let mut e = self.syntax_error("default 'except:' must be last", prev.span);
                    e.text = self.line_text(prev.span.start.line);
                    return Err(e);
                }
            }
            let (kind, name) = if self.at_op(Op::Colon) {
                (None, None)
            } else {
                let kind = self.expression()?;
                let kind = if self.at_op(Op::Comma) {
                    // `except A, B:` is Python 2.
                    let mut elts = vec![kind];
                    while self.eat_op(Op::Comma) {
                        if self.at_op(Op::Colon) {
                            break;
                        }
                        elts.push(self.expression()?);
                    }
                    let span = elts[0].span.to(elts[elts.len() - 1].span);
                    return Err(self.syntax_error("multiple exception types must be parenthesized", span));
                } else {
                    kind
                };
                let name = if self.eat_kw(Kw::As) {
                    let (n, _) = self.name()?;
                    Some(Name { id: n, slot: Slot::Unresolved })
                } else {
                    None
                };
                (Some(kind), name)
            };
            self.expect_op(Op::Colon)?;
            let hbody = self.block("'except' statement", hstart.start.line)?;
            handlers.push(ExceptHandler { kind, name, body: hbody, span: Span::new(hstart.start, self.prev_end()) });
        }
        let orelse = if handlers.is_empty() { Vec::new() } else { self.else_block()? };
        let finalbody = self.optional_block(Kw::Finally, "'finally' statement")?;
        if handlers.is_empty() && finalbody.is_empty() {
            if let Some(e) = self.lexer_error() {
                return Err(e);
            }
            let span = self.span();
            let mut e = self.syntax_error("expected 'except' or 'finally' block", span);
            e.incomplete = self.rest_is_end();
            return Err(e);
        }
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::Try { body, handlers, orelse, finalbody }, span: Span::new(start.start, end) })
    }

    fn with_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump().span;
        let mut items = None;
        if self.at_op(Op::LPar) {
            // Python 3.10's parenthesized form: `with (a as b, c as d):`
            let save = self.i;
            let saved_level = self.bracket_level;
            self.bump();
            self.bracket_level += 1;
            let attempt = (|| -> PResult<Vec<WithItem>> {
                let mut v = vec![self.with_item()?];
                while self.eat_op(Op::Comma) {
                    if self.at_op(Op::RPar) {
                        break;
                    }
                    v.push(self.with_item()?);
                }
                self.expect_op(Op::RPar)?;
                if !self.at_op(Op::Colon) {
                    return Err(self.invalid_syntax());
                }
                Ok(v)
            })();
            self.bracket_level = saved_level;
            match attempt {
                Ok(v) => items = Some(v),
                Err(_) => self.i = save,
            }
        }
        let items = match items {
            Some(v) => v,
            None => {
                let mut v = vec![self.with_item()?];
                while self.eat_op(Op::Comma) {
                    v.push(self.with_item()?);
                }
                v
            }
        };
        self.expect_op(Op::Colon)?;
        let body = self.block("'with' statement", start.start.line)?;
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::With { items, body }, span: Span::new(start.start, end) })
    }

    fn with_item(&mut self) -> PResult<WithItem> {
        let context = self.expression()?;
        let target = if self.eat_kw(Kw::As) {
            let t = self.single_target()?;
            self.check_target(&t, TargetCtx::With)?;
            Some(t)
        } else {
            None
        };
        Ok(WithItem { context, target })
    }

    fn decorated(&mut self) -> PResult<Stmt> {
        let mut decorators = Vec::new();
        while self.at_op(Op::At) {
            self.bump();
            decorators.push(self.named_expression()?);
            self.expect_newline_for_decorator()?;
        }
        match self.peek() {
            Tok::Kw(Kw::Def) => self.funcdef(decorators),
            Tok::Kw(Kw::Class) => self.classdef(decorators),
            Tok::Kw(Kw::Async) => Err(self.not_supported("'async def'", self.span())),
            Tok::End => {
                let mut e = self.invalid_syntax();
                e.incomplete = true;
                Err(e)
            }
            _ => Err(self.invalid_syntax()),
        }
    }

    fn expect_newline_for_decorator(&mut self) -> PResult<()> {
        if matches!(self.peek(), Tok::Newline) {
            self.bump();
            Ok(())
        } else {
            Err(self.invalid_syntax())
        }
    }

    fn funcdef(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let start = self.bump().span;
        let (name, _) = self.name()?;
        if !self.at_op(Op::LPar) {
            return Err(self.invalid_syntax());
        }
        self.bump();
        self.bracket_level += 1;
        let params = self.params(Op::RPar, true)?;
        self.bracket_level -= 1;
        self.expect_op(Op::RPar)?;
        let returns = if self.eat_op(Op::RArrow) { Some(self.expression()?) } else { None };
        self.expect_op(Op::Colon)?;
        let header = Span::new(start.start, self.prev_end());
        let body = self.block("function definition", start.start.line)?;
        let doc = docstring(&body);
        let def = FunctionDef {
            qualname: name.clone(),
            name,
            params,
            body,
            decorators,
            returns,
            is_lambda: false,
            span: header,
            scope: Default::default(),
            binding: Slot::Unresolved,
            file: Rc::from(""),
            doc,
        };
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::FunctionDef(Rc::new(def)), span: Span::new(start.start, end) })
    }

    fn classdef(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let start = self.bump().span;
        let (name, _) = self.name()?;
        let (mut bases, mut keywords) = (Vec::new(), Vec::new());
        if self.at_op(Op::LPar) {
            self.bump();
            self.bracket_level += 1;
            let (args, kws) = self.call_arguments()?;
            self.bracket_level -= 1;
            self.expect_op(Op::RPar)?;
            bases = args;
            keywords = kws;
        }
        self.expect_op(Op::Colon)?;
        let body = self.block("class definition", start.start.line)?;
        let doc = docstring(&body);
        let def = ClassDef {
            qualname: name.clone(),
            name,
            bases,
            keywords,
            body,
            decorators,
            scope: Default::default(),
            binding: Slot::Unresolved,
            doc,
        };
        let end = self.prev_end();
        Ok(Stmt { kind: StmtKind::ClassDef(Rc::new(def)), span: Span::new(start.start, end) })
    }

    /// Parameters of a `def` (with annotations) or a `lambda` (without), up to `close`.
    fn params(&mut self, close: Op, annotations: bool) -> PResult<Params> {
        let mut p = Params::default();
        let mut seen_star = false;
        let mut seen_default = false;
        loop {
            if self.at_op(close) {
                break;
            }
            if self.eat_op(Op::Slash) {
                if seen_star || p.args.is_empty() || p.posonly > 0 {
                    return Err(self.syntax_error("invalid syntax", self.toks[self.i - 1].span));
                }
                p.posonly = p.args.len();
            } else if self.at_op(Op::DoubleStar) {
                self.bump();
                let param = self.param(annotations)?;
                p.kwarg = Some(param);
                self.eat_op(Op::Comma);
                if !self.at_op(close) {
                    return Err(self.invalid_syntax());
                }
                break;
            } else if self.at_op(Op::Star) {
                let star = self.bump().span;
                if seen_star {
                    return Err(self.syntax_error("* argument may appear only once", star));
                }
                seen_star = true;
                if self.at_op(Op::Comma) {
                    if matches!(self.peek_at(1), Tok::Op(o) if *o == close) {
                        return Err(self.syntax_error("named arguments must follow bare *", star));
                    }
                } else {
                    p.vararg = Some(self.param(annotations)?);
                }
            } else {
                let param = self.param(annotations)?;
                let default = if self.eat_op(Op::Equal) { Some(self.expression()?) } else { None };
                if seen_star {
                    p.kwonly.push(param);
                    p.kw_defaults.push(default);
                } else {
                    match default {
                        Some(d) => {
                            seen_default = true;
                            p.defaults.push(d);
                        }
                        None if seen_default => {
                            return Err(self.syntax_error("non-default argument follows default argument", param.span));
                        }
                        None => {}
                    }
                    p.args.push(param);
                }
            }
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        if seen_star && p.vararg.is_none() && p.kwonly.is_empty() {
            return Err(self.syntax_error("named arguments must follow bare *", self.span()));
        }
        Ok(p)
    }

    fn param(&mut self, annotations: bool) -> PResult<Param> {
        let (name, span) = self.name()?;
        let annotation = if annotations && self.eat_op(Op::Colon) { Some(self.expression()?) } else { None };
        Ok(Param { name, annotation, span })
    }

    fn dotted_name(&mut self) -> PResult<(Rc<str>, Span)> {
        let (first, span) = self.name()?;
        let mut s = first.to_string();
        let mut end = span;
        while self.at_op(Op::Dot) {
            self.bump();
            let (n, sp) = self.name()?;
            s.push('.');
            s.push_str(&n);
            end = sp;
        }
        Ok((Rc::from(s.as_str()), span.to(end)))
    }

    fn import_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut names = Vec::new();
        loop {
            let (name, span) = self.dotted_name()?;
            let asname = if self.eat_kw(Kw::As) { Some(self.name()?.0) } else { None };
            // `import a.b` binds `a`; `import a.b as c` binds `c`.
            let bound = match &asname {
                Some(a) => a.clone(),
                None => Rc::from(name.split('.').next().unwrap_or(&name)),
            };
            names.push(Alias { name, asname, target: Name { id: bound, slot: Slot::Unresolved }, span });
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        Ok(StmtKind::Import(names))
    }

    fn import_from_stmt(&mut self) -> PResult<StmtKind> {
        let start = self.bump().span;
        let mut level = 0;
        while self.at_op(Op::Dot) || self.at_op(Op::Ellipsis) {
            level += if self.at_op(Op::Dot) { 1 } else { 3 };
            self.bump();
        }
        let module = if level > 0 && self.at_kw(Kw::Import) {
            Rc::from("")
        } else {
            self.dotted_name()?.0
        };
        if !self.eat_kw(Kw::Import) {
            return Err(self.invalid_syntax());
        }
        if level > 0 {
            return Err(self.error_at(
                SyntaxErrorKind::NotImplemented,
                "relative imports ('from . import x') are not supported in the playground",
                start.to(self.span()),
            ));
        }
        if self.at_op(Op::Star) {
            self.bump();
            return Ok(StmtKind::ImportFrom { module, names: Vec::new(), star: true });
        }
        let paren = self.eat_op(Op::LPar);
        if paren {
            self.bracket_level += 1;
        }
        let mut names = Vec::new();
        loop {
            let (name, span) = self.name()?;
            let asname = if self.eat_kw(Kw::As) { Some(self.name()?.0) } else { None };
            let bound = asname.clone().unwrap_or_else(|| name.clone());
            names.push(Alias { name, asname, target: Name { id: bound, slot: Slot::Unresolved }, span });
            if !self.eat_op(Op::Comma) {
                break;
            }
            if paren && self.at_op(Op::RPar) {
                break;
            }
            if !paren && self.at_simple_stmt_end() {
                let span = self.toks[self.i - 1].span;
                return Err(self.syntax_error("trailing comma not allowed without surrounding parentheses", span));
            }
        }
        if paren {
            self.bracket_level -= 1;
            self.expect_op(Op::RPar)?;
        }
        Ok(StmtKind::ImportFrom { module, names, star: false })
    }
}

/// The docstring of a body: its first statement when that is a string literal.
fn docstring(body: &[Stmt]) -> Option<Rc<str>> {
    match body.first().map(|s| &s.kind) {
        Some(StmtKind::Expr(Expr { kind: ExprKind::Constant(super::value::Value::Str(s)), .. })) => Some(Rc::from(s.as_str())),
        _ => None,
    }
}

fn aug_op(op: Op) -> Option<BinOp> {
    Some(match op {
        Op::PlusEqual => BinOp::Add,
        Op::MinEqual => BinOp::Sub,
        Op::StarEqual => BinOp::Mul,
        Op::AtEqual => BinOp::MatMul,
        Op::SlashEqual => BinOp::Div,
        Op::DoubleSlashEqual => BinOp::FloorDiv,
        Op::PercentEqual => BinOp::Mod,
        Op::DoubleStarEqual => BinOp::Pow,
        Op::LeftShiftEqual => BinOp::LShift,
        Op::RightShiftEqual => BinOp::RShift,
        Op::VBarEqual => BinOp::BitOr,
        Op::CircumflexEqual => BinOp::BitXor,
        Op::AmperEqual => BinOp::BitAnd,
        _ => return None,
    })
}

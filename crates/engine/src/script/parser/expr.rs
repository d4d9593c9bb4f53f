//! Expressions: precedence climbing over Python's operator table, atoms,
//! trailers (calls, attributes, subscripts), displays and comprehensions.
//!
//! One nesting level of the input costs only a handful of native frames
//! (`expression` → `binary` → `unary` → `primary` → `atom`), and every level
//! goes through `nested`, which enforces the depth and stack limits.

use std::rc::Rc;

use super::super::ast::*;
use super::super::lexer::{Kw, Op, Tok};
use super::super::value::Value;
use super::targets::TargetCtx;
use super::{PResult, Parser};

const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_NOT: u8 = 3;
const PREC_CMP: u8 = 4;
const PREC_BITOR: u8 = 5;

#[derive(Clone, Copy)]
enum Infix {
    Bool(BoolOp),
    Cmp(CmpOp),
    Bin(BinOp),
}

impl<'s> Parser<'s> {
    /// Run `f` one nesting level deeper, restoring the depth afterwards.
    pub(super) fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = self.depth;
        let r = self.enter().and_then(|_| f(self));
        self.depth = saved;
        r
    }

    /// `a, *b, c` (a tuple when there is a comma).
    pub(super) fn star_expressions(&mut self) -> PResult<Expr> {
        let first = self.star_expression()?;
        if !self.at_op(Op::Comma) {
            return Ok(first);
        }
        let start = first.span.start;
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if !(self.starts_expression() || self.at_op(Op::Star)) {
                break;
            }
            elts.push(self.star_expression()?);
        }
        let end = self.prev_end();
        Ok(Expr { kind: ExprKind::Tuple(elts), span: Span::new(start, end) })
    }

    pub(super) fn star_expression(&mut self) -> PResult<Expr> {
        if self.at_op(Op::Star) {
            let start = self.bump().span;
            let value = self.bitwise_or()?;
            let span = start.to(value.span);
            return Ok(Expr { kind: ExprKind::Starred(Box::new(value)), span });
        }
        self.expression()
    }

    /// An element of a display or call: `*x` or a (named) expression.
    fn star_named_expression(&mut self) -> PResult<Expr> {
        if self.at_op(Op::Star) {
            self.star_expression()
        } else {
            self.named_expression()
        }
    }

    /// An expression where `name := value` could appear (refused clearly).
    pub(super) fn named_expression(&mut self) -> PResult<Expr> {
        if matches!(self.peek(), Tok::Name(_)) && matches!(self.peek_at(1), Tok::Op(Op::ColonEqual)) {
            let span = self.span();
            return Err(self.not_supported("the walrus operator ':='", span));
        }
        self.expression()
    }

    /// `lambda`, a conditional expression, or a disjunction.
    pub(super) fn expression(&mut self) -> PResult<Expr> {
        if self.at_kw(Kw::Lambda) {
            return self.lambda();
        }
        let body = self.binary(PREC_OR)?;
        if !self.at_kw(Kw::If) {
            return Ok(body);
        }
        self.bump();
        let test = self.binary(PREC_OR)?;
        if !self.eat_kw(Kw::Else) {
            if let Some(e) = self.lexer_error() {
                return Err(e);
            }
            return Err(self.syntax_error("expected 'else' after 'if' expression", body.span.to(test.span)));
        }
        let orelse = self.nested(|p| p.expression())?;
        let span = body.span.to(orelse.span);
        Ok(Expr { kind: ExprKind::IfExp { test: Box::new(test), body: Box::new(body), orelse: Box::new(orelse) }, span })
    }

    /// Everything above comparisons: `|` and tighter (used for targets).
    pub(super) fn bitwise_or(&mut self) -> PResult<Expr> {
        self.binary(PREC_BITOR)
    }

    fn peek_infix(&self) -> Option<(u8, Infix)> {
        Some(match self.peek() {
            Tok::Kw(Kw::Or) => (PREC_OR, Infix::Bool(BoolOp::Or)),
            Tok::Kw(Kw::And) => (PREC_AND, Infix::Bool(BoolOp::And)),
            Tok::Kw(Kw::In) => (PREC_CMP, Infix::Cmp(CmpOp::In)),
            Tok::Kw(Kw::Not) if matches!(self.peek_at(1), Tok::Kw(Kw::In)) => (PREC_CMP, Infix::Cmp(CmpOp::NotIn)),
            Tok::Kw(Kw::Is) => {
                if matches!(self.peek_at(1), Tok::Kw(Kw::Not)) {
                    (PREC_CMP, Infix::Cmp(CmpOp::IsNot))
                } else {
                    (PREC_CMP, Infix::Cmp(CmpOp::Is))
                }
            }
            Tok::Op(op) => match op {
                Op::EqEqual => (PREC_CMP, Infix::Cmp(CmpOp::Eq)),
                Op::NotEqual => (PREC_CMP, Infix::Cmp(CmpOp::NotEq)),
                Op::Less => (PREC_CMP, Infix::Cmp(CmpOp::Lt)),
                Op::LessEqual => (PREC_CMP, Infix::Cmp(CmpOp::LtE)),
                Op::Greater => (PREC_CMP, Infix::Cmp(CmpOp::Gt)),
                Op::GreaterEqual => (PREC_CMP, Infix::Cmp(CmpOp::GtE)),
                Op::VBar => (5, Infix::Bin(BinOp::BitOr)),
                Op::Circumflex => (6, Infix::Bin(BinOp::BitXor)),
                Op::Amper => (7, Infix::Bin(BinOp::BitAnd)),
                Op::LeftShift => (8, Infix::Bin(BinOp::LShift)),
                Op::RightShift => (8, Infix::Bin(BinOp::RShift)),
                Op::Plus => (9, Infix::Bin(BinOp::Add)),
                Op::Minus => (9, Infix::Bin(BinOp::Sub)),
                Op::Star => (10, Infix::Bin(BinOp::Mul)),
                Op::Slash => (10, Infix::Bin(BinOp::Div)),
                Op::DoubleSlash => (10, Infix::Bin(BinOp::FloorDiv)),
                Op::Percent => (10, Infix::Bin(BinOp::Mod)),
                Op::At => (10, Infix::Bin(BinOp::MatMul)),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Operators of precedence `min_prec` and tighter, left-associative.
    fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let saved = self.depth;
        let r = self.binary_chain(min_prec);
        self.depth = saved;
        r
    }

    fn binary_chain(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut left = if min_prec <= PREC_NOT && self.at_kw(Kw::Not) { self.inversion()? } else { self.unary()? };
        // Whether `left` is an unparenthesized chain built by this loop, which a
        // further `or`/`and`/comparison extends instead of nesting.
        let mut open_chain = false;
        while let Some((prec, infix)) = self.peek_infix() {
            if prec < min_prec {
                break;
            }
            // Each link deepens the tree built so far: count it as nesting.
            self.enter()?;
            self.bump();
            if matches!(infix, Infix::Cmp(CmpOp::NotIn) | Infix::Cmp(CmpOp::IsNot)) {
                self.bump();
            }
            let right = match infix {
                Infix::Bool(BoolOp::Or) => self.binary(PREC_AND)?,
                Infix::Bool(BoolOp::And) => {
                    if self.at_kw(Kw::Not) {
                        self.inversion()?
                    } else {
                        self.binary(PREC_CMP)?
                    }
                }
                _ => self.binary(prec + 1)?,
            };
            let span = left.span.to(right.span);
            left = match infix {
                Infix::Bool(op) => match left.kind {
                    ExprKind::BoolOp { op: lop, mut values } if open_chain && lop == op => {
                        values.push(right);
                        Expr { kind: ExprKind::BoolOp { op, values }, span }
                    }
                    kind => {
                        let l = Expr { kind, span: left.span };
                        Expr { kind: ExprKind::BoolOp { op, values: vec![l, right] }, span }
                    }
                },
                Infix::Cmp(op) => match left.kind {
                    ExprKind::Compare { left: first, mut ops } if open_chain => {
                        ops.push((op, right));
                        Expr { kind: ExprKind::Compare { left: first, ops }, span }
                    }
                    kind => {
                        let l = Expr { kind, span: left.span };
                        Expr { kind: ExprKind::Compare { left: Box::new(l), ops: vec![(op, right)] }, span }
                    }
                },
                Infix::Bin(op) => Expr { kind: ExprKind::BinOp { left: Box::new(left), op, right: Box::new(right) }, span },
            };
            open_chain = matches!(infix, Infix::Bool(_) | Infix::Cmp(_));
        }
        Ok(left)
    }

    /// `not not x` ... then a comparison.
    fn inversion(&mut self) -> PResult<Expr> {
        if self.at_kw(Kw::Not) {
            let start = self.bump().span;
            let operand = self.nested(|p| p.inversion())?;
            let span = start.to(operand.span);
            return Ok(Expr { kind: ExprKind::UnaryOp { op: UnaryOp::Not, operand: Box::new(operand) }, span });
        }
        self.binary(PREC_CMP)
    }

    /// `-x`, `+x`, `~x`, then a power.
    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.peek() {
            Tok::Op(Op::Minus) => UnaryOp::Neg,
            Tok::Op(Op::Plus) => UnaryOp::Pos,
            Tok::Op(Op::Tilde) => UnaryOp::Invert,
            _ => return self.power(),
        };
        let start = self.bump().span;
        let operand = self.nested(|p| p.unary())?;
        let span = start.to(operand.span);
        // Fold negative number literals, as CPython's compiler does.
        if op == UnaryOp::Neg {
            match &operand.kind {
                ExprKind::Constant(Value::Int(i)) if !matches!(self.peek(), Tok::Op(Op::DoubleStar)) => {
                    return Ok(Expr { kind: ExprKind::Constant(Value::Int(-i)), span });
                }
                ExprKind::Constant(Value::Float(f)) => {
                    return Ok(Expr { kind: ExprKind::Constant(Value::Float(-f)), span });
                }
                _ => {}
            }
        }
        Ok(Expr { kind: ExprKind::UnaryOp { op, operand: Box::new(operand) }, span })
    }

    /// `primary ** factor` (right-associative, binds tighter than unary minus on its left).
    fn power(&mut self) -> PResult<Expr> {
        let base = self.primary()?;
        if !self.at_op(Op::DoubleStar) {
            return Ok(base);
        }
        self.bump();
        let exponent = self.nested(|p| p.unary())?;
        let span = base.span.to(exponent.span);
        Ok(Expr { kind: ExprKind::BinOp { left: Box::new(base), op: BinOp::Pow, right: Box::new(exponent) }, span })
    }

    /// An atom followed by `.name`, `(args)` and `[index]` trailers.
    fn primary(&mut self) -> PResult<Expr> {
        let mut e = self.atom()?;
        loop {
            match self.peek() {
                Tok::Op(Op::Dot) => {
                    self.enter()?;
                    self.bump();
                    let (attr, aspan) = match self.peek() {
                        Tok::Name(n) => {
                            let n = n.clone();
                            (n, self.bump().span)
                        }
                        _ => {
                            if let Some(err) = self.lexer_error() {
                                return Err(err);
                            }
                            let span = Span::new(self.toks[self.i - 1].span.start, self.span().end);
                            return Err(self.syntax_error("invalid syntax", span));
                        }
                    };
                    let span = e.span.to(aspan);
                    e = Expr { kind: ExprKind::Attribute { value: Box::new(e), attr }, span };
                }
                Tok::Op(Op::LPar) => {
                    self.enter()?;
                    self.bump();
                    self.bracket_level += 1;
                    let (args, keywords) = self.call_arguments()?;
                    self.bracket_level -= 1;
                    let close = self.expect_op(Op::RPar)?;
                    let span = e.span.to(close);
                    e = Expr { kind: ExprKind::Call { func: Box::new(e), args, keywords }, span };
                }
                Tok::Op(Op::LSqb) => {
                    self.enter()?;
                    self.bump();
                    self.bracket_level += 1;
                    let index = self.slices()?;
                    self.bracket_level -= 1;
                    let close = self.expect_op(Op::RSqb)?;
                    let span = e.span.to(close);
                    e = Expr { kind: ExprKind::Subscript { value: Box::new(e), index: Box::new(index) }, span };
                }
                _ => return Ok(e),
            }
        }
    }

    /// The inside of `f(...)`: positional and keyword arguments, `*a`, `**k`,
    /// or a lone generator expression.
    pub(super) fn call_arguments(&mut self) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        let mut args: Vec<Expr> = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        let mut seen_kw_unpack = false;
        // CPython reports a positional argument after keywords at the closing
        // parenthesis, once the whole argument list is parsed.
        let mut misplaced: Option<&'static str> = None;
        loop {
            if self.at_op(Op::RPar) {
                break;
            }
            let start = self.span();
            if self.at_op(Op::DoubleStar) {
                self.bump();
                let value = self.expression()?;
                let span = start.to(value.span);
                keywords.push(Keyword { name: None, value, span });
                seen_kw_unpack = true;
            } else if self.at_op(Op::Star) {
                let e = self.star_expression()?;
                if seen_kw_unpack {
                    return Err(self.syntax_error("iterable argument unpacking follows keyword argument unpacking", e.span));
                }
                args.push(e);
            } else if matches!(self.peek(), Tok::Name(_)) && matches!(self.peek_at(1), Tok::Op(Op::Equal)) {
                let (name, nspan) = self.name()?;
                self.bump();
                let value = self.expression()?;
                if keywords.iter().any(|k| k.name.as_deref() == Some(&*name)) {
                    let mut err = self.syntax_error(format!("keyword argument repeated: {name}"), nspan.to(value.span));
                    err.text = None;
                    return Err(err);
                }
                let span = nspan.to(value.span);
                keywords.push(Keyword { name: Some(name), value, span });
            } else {
                let e = self.named_expression()?;
                if self.at_op(Op::Equal) {
                    let span = e.span;
                    let msg = match e.kind {
                        ExprKind::Constant(Value::None) | ExprKind::Constant(Value::Bool(_)) => {
                            format!("cannot assign to {}", self.source_text(span))
                        }
                        _ => "expression cannot contain assignment, perhaps you meant \"==\"?".to_string(),
                    };
                    let eq = self.span();
                    return Err(self.syntax_error(msg, span.to(eq)));
                }
                if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
                    let gen = self.comprehension_tail(CompKind::Generator, e, None, start.start)?;
                    if !args.is_empty() || !keywords.is_empty() || self.at_op(Op::Comma) {
                        let span = match args.first() {
                            Some(first) => first.span.to(gen.span),
                            None => gen.span,
                        };
                        return Err(self.syntax_error("Generator expression must be parenthesized", span));
                    }
                    args.push(gen);
                    break;
                }
                if misplaced.is_none() && seen_kw_unpack {
                    misplaced = Some("positional argument follows keyword argument unpacking");
                } else if misplaced.is_none() && !keywords.is_empty() {
                    misplaced = Some("positional argument follows keyword argument");
                }
                if !self.at_op(Op::Comma) && !self.at_op(Op::RPar) {
                    return Err(self.juxtaposed_error(&e));
                }
                args.push(e);
                if !self.eat_op(Op::Comma) {
                    break;
                }
                continue;
            }
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        if let Some(msg) = misplaced {
            if self.at_op(Op::RPar) {
                return Err(self.syntax_error(msg, self.span()));
            }
        }
        Ok((args, keywords))
    }

    pub(super) fn source_text(&self, span: Span) -> String {
        let Some(line) = self.line_text(span.start.line) else { return String::new() };
        let end = if span.end.line == span.start.line { span.end.col as usize } else { usize::MAX };
        line.chars().skip(span.start.col as usize).take(end.saturating_sub(span.start.col as usize)).collect()
    }

    /// The inside of `x[...]`: one index, a slice, or a tuple of them.
    fn slices(&mut self) -> PResult<Expr> {
        let first = self.slice()?;
        if !self.at_op(Op::Comma) {
            return Ok(first);
        }
        let start = first.span.start;
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::RSqb) {
                break;
            }
            elts.push(self.slice()?);
        }
        Ok(Expr { kind: ExprKind::Tuple(elts), span: Span::new(start, self.prev_end()) })
    }

    fn slice(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let lower = if self.at_op(Op::Colon) {
            None
        } else {
            let e = self.star_named_expression()?;
            if !self.at_op(Op::Colon) {
                return Ok(e);
            }
            Some(Box::new(e))
        };
        self.bump();
        let upper = if self.at_op(Op::Colon) || self.at_op(Op::Comma) || self.at_op(Op::RSqb) {
            None
        } else {
            Some(Box::new(self.expression()?))
        };
        let step = if self.eat_op(Op::Colon) {
            if self.at_op(Op::Comma) || self.at_op(Op::RSqb) {
                None
            } else {
                Some(Box::new(self.expression()?))
            }
        } else {
            None
        };
        Ok(Expr { kind: ExprKind::Slice { lower, upper, step }, span: Span::new(start, self.prev_end()) })
    }

    fn atom(&mut self) -> PResult<Expr> {
        let span = self.span();
        let kind = match self.peek().clone() {
            Tok::Name(n) => {
                self.bump();
                ExprKind::Name(Name { id: n, slot: Slot::Unresolved })
            }
            Tok::Int(i) => {
                self.bump();
                ExprKind::Constant(Value::Int(i))
            }
            Tok::Float(f) => {
                self.bump();
                ExprKind::Constant(Value::Float(f))
            }
            Tok::Kw(Kw::True) => {
                self.bump();
                ExprKind::Constant(Value::Bool(true))
            }
            Tok::Kw(Kw::False) => {
                self.bump();
                ExprKind::Constant(Value::Bool(false))
            }
            Tok::Kw(Kw::None) => {
                self.bump();
                ExprKind::Constant(Value::None)
            }
            Tok::Op(Op::Ellipsis) => {
                self.bump();
                ExprKind::Constant(Value::Ellipsis)
            }
            Tok::Str(_) => return self.strings(),
            Tok::Op(Op::LPar) => return self.nested(|p| p.paren()),
            Tok::Op(Op::LSqb) => return self.nested(|p| p.list_display()),
            Tok::Op(Op::LBrace) => return self.nested(|p| p.brace_display()),
            Tok::Kw(Kw::Await) => return Err(self.not_supported("'await'", span)),
            Tok::Kw(Kw::Yield) => return Err(self.not_supported("'yield' (generators)", span)),
            Tok::Kw(Kw::Lambda) => return self.lambda(),
            _ => return Err(self.invalid_syntax()),
        };
        Ok(Expr { kind, span })
    }

    fn strings(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut toks = Vec::new();
        while let Tok::Str(s) = self.peek() {
            toks.push((s.clone(), self.span()));
            self.bump();
        }
        let end = self.prev_end();
        let span = Span::new(start.start, end);
        let any_bytes = toks.iter().any(|(t, _)| t.bytes);
        let all_bytes = toks.iter().all(|(t, _)| t.bytes);
        if any_bytes && !all_bytes {
            return Err(self.syntax_error("cannot mix bytes and nonbytes literals", Span::new(end, end)));
        }
        if all_bytes {
            let bytes: Vec<u8> = toks.iter().flat_map(|(t, _)| t.value.chars().map(|c| c as u32 as u8)).collect();
            return Ok(Expr { kind: ExprKind::Constant(Value::bytes(bytes)), span });
        }
        if !toks.iter().any(|(t, _)| t.fstring) {
            let s: String = toks.iter().map(|(t, _)| t.value.as_str()).collect();
            return Ok(Expr { kind: ExprKind::Constant(Value::from(s)), span });
        }
        let mut parts: Vec<FStringPart> = Vec::new();
        for (t, tspan) in &toks {
            if t.fstring {
                let sub = self.fstring_parts(t, *tspan)?;
                for part in sub {
                    push_part(&mut parts, part);
                }
            } else if !t.value.is_empty() {
                push_part(&mut parts, FStringPart::Literal(Rc::from(t.value.as_str())));
            }
        }
        Ok(Expr { kind: ExprKind::FString(parts), span })
    }

    /// `( ... )`: a parenthesized expression, a tuple, or a generator expression.
    fn paren(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        self.bracket_level += 1;
        if self.at_op(Op::RPar) {
            self.bracket_level -= 1;
            let close = self.bump().span;
            return Ok(Expr { kind: ExprKind::Tuple(Vec::new()), span: open.to(close) });
        }
        if self.at_kw(Kw::Yield) {
            return Err(self.not_supported("'yield' (generators)", self.span()));
        }
        let first = self.star_named_expression()?;
        if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
            let gen = self.comprehension_tail(CompKind::Generator, first, None, open.start)?;
            self.bracket_level -= 1;
            let close = self.expect_op(Op::RPar)?;
            return Ok(Expr { kind: gen.kind, span: open.to(close) });
        }
        if self.at_op(Op::RPar) {
            self.bracket_level -= 1;
            self.bump();
            if let ExprKind::Starred(_) = first.kind {
                let mut err = self.syntax_error("cannot use starred expression here", first.span);
                err.text = None;
                return Err(err);
            }
            return Ok(first);
        }
        if !self.at_op(Op::Comma) {
            return Err(self.juxtaposed_error(&first));
        }
        let mut elts = vec![first];
        self.more_elements(&mut elts, Op::RPar)?;
        self.bracket_level -= 1;
        let close = self.expect_op(Op::RPar)?;
        Ok(Expr { kind: ExprKind::Tuple(elts), span: open.to(close) })
    }

    fn list_display(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        self.bracket_level += 1;
        let mut elts = Vec::new();
        if !self.at_op(Op::RSqb) {
            let first = self.star_named_expression()?;
            if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
                let comp = self.comprehension_tail(CompKind::List, first, None, open.start)?;
                self.bracket_level -= 1;
                let close = self.expect_op(Op::RSqb)?;
                return Ok(Expr { kind: comp.kind, span: open.to(close) });
            }
            self.element_sep(&first, Op::RSqb)?;
            elts.push(first);
            self.more_elements(&mut elts, Op::RSqb)?;
        }
        self.bracket_level -= 1;
        let close = self.expect_op(Op::RSqb)?;
        Ok(Expr { kind: ExprKind::List(elts), span: open.to(close) })
    }

    /// After a display element: a comma or the closing bracket must follow.
    fn element_sep(&mut self, e: &Expr, close: Op) -> PResult<()> {
        if self.at_op(Op::Comma) || self.at_op(close) {
            Ok(())
        } else {
            Err(self.juxtaposed_error(e))
        }
    }

    /// The `, elt, elt` after a display's first element, up to `close`.
    fn more_elements(&mut self, elts: &mut Vec<Expr>, close: Op) -> PResult<()> {
        while self.eat_op(Op::Comma) {
            if self.at_op(close) {
                break;
            }
            let e = self.star_named_expression()?;
            self.element_sep(&e, close)?;
            elts.push(e);
        }
        Ok(())
    }

    fn brace_display(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        self.bracket_level += 1;
        if self.at_op(Op::RBrace) {
            self.bracket_level -= 1;
            let close = self.bump().span;
            return Ok(Expr { kind: ExprKind::Dict(Vec::new()), span: open.to(close) });
        }
        // Dict (key: value or **mapping first) or set.
        if self.at_op(Op::DoubleStar) || self.is_dict_after_first()? {
            let mut items = Vec::new();
            loop {
                if self.at_op(Op::RBrace) {
                    break;
                }
                if self.eat_op(Op::DoubleStar) {
                    items.push(DictItem::Unpack(self.bitwise_or()?));
                } else {
                    let key = self.expression()?;
                    if !self.at_op(Op::Colon) {
                        return Err(self.juxtaposed_error(&key));
                    }
                    let colon = self.bump().span;
                    if self.at_op(Op::RBrace) || self.at_op(Op::Comma) {
                        return Err(self.syntax_error("expression expected after dictionary key and ':'", colon));
                    }
                    let value = self.expression()?;
                    if items.is_empty() && (self.at_kw(Kw::For) || self.at_kw(Kw::Async)) {
                        let comp = self.comprehension_tail(CompKind::Dict, key, Some(value), open.start)?;
                        self.bracket_level -= 1;
                        let close = self.expect_op(Op::RBrace)?;
                        return Ok(Expr { kind: comp.kind, span: open.to(close) });
                    }
                    if !self.at_op(Op::Comma) && !self.at_op(Op::RBrace) {
                        return Err(self.juxtaposed_error(&value));
                    }
                    items.push(DictItem::Pair(key, value));
                }
                if !self.eat_op(Op::Comma) {
                    break;
                }
            }
            self.bracket_level -= 1;
            let close = self.expect_op(Op::RBrace)?;
            return Ok(Expr { kind: ExprKind::Dict(items), span: open.to(close) });
        }
        let first = self.star_named_expression()?;
        if self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
            let comp = self.comprehension_tail(CompKind::Set, first, None, open.start)?;
            self.bracket_level -= 1;
            let close = self.expect_op(Op::RBrace)?;
            return Ok(Expr { kind: comp.kind, span: open.to(close) });
        }
        self.element_sep(&first, Op::RBrace)?;
        let mut elts = vec![first];
        self.more_elements(&mut elts, Op::RBrace)?;
        self.bracket_level -= 1;
        let close = self.expect_op(Op::RBrace)?;
        Ok(Expr { kind: ExprKind::Set(elts), span: open.to(close) })
    }

    /// Look ahead past the first element of a `{...}` display: is it `key:`?
    fn is_dict_after_first(&mut self) -> PResult<bool> {
        let save = self.i;
        let saved_level = self.bracket_level;
        let saved_depth = self.depth;
        let first = if self.at_op(Op::Star) { self.star_expression() } else { self.expression() };
        let is_dict = first.is_ok() && self.at_op(Op::Colon);
        self.i = save;
        self.bracket_level = saved_level;
        self.depth = saved_depth;
        Ok(is_dict)
    }

    /// `for target in iter [if cond]...` clauses after a comprehension's element.
    fn comprehension_tail(&mut self, kind: CompKind, elt: Expr, value: Option<Expr>, start: Pos) -> PResult<Expr> {
        let mut generators = Vec::new();
        while self.at_kw(Kw::For) || self.at_kw(Kw::Async) {
            if self.at_kw(Kw::Async) {
                return Err(self.not_supported("'async for' in comprehensions", self.span()));
            }
            self.bump();
            let target = self.target_list()?;
            self.check_target(&target, TargetCtx::Comprehension)?;
            if !self.eat_kw(Kw::In) {
                return Err(self.invalid_syntax());
            }
            let iter = self.binary(PREC_OR)?;
            let mut ifs = Vec::new();
            while self.eat_kw(Kw::If) {
                ifs.push(self.binary(PREC_OR)?);
            }
            generators.push(CompFor { target, iter, ifs });
        }
        let comp = Comprehension { kind, elt, value, generators, scope: Default::default() };
        Ok(Expr { kind: ExprKind::Comprehension(Rc::new(comp)), span: Span::new(start, self.prev_end()) })
    }

    /// Targets of `for` loops and comprehensions: `a`, `a, b`, `(a, *b)`, `x.y`, `x[0]`.
    pub(super) fn target_list(&mut self) -> PResult<Expr> {
        let first = self.star_target()?;
        if !self.at_op(Op::Comma) {
            return Ok(first);
        }
        let start = first.span.start;
        let mut elts = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_kw(Kw::In) || self.at_op(Op::Equal) {
                break;
            }
            elts.push(self.star_target()?);
        }
        Ok(Expr { kind: ExprKind::Tuple(elts), span: Span::new(start, self.prev_end()) })
    }

    fn star_target(&mut self) -> PResult<Expr> {
        if self.at_op(Op::Star) {
            let start = self.bump().span;
            let value = self.bitwise_or()?;
            let span = start.to(value.span);
            return Ok(Expr { kind: ExprKind::Starred(Box::new(value)), span });
        }
        self.bitwise_or()
    }

    /// The target after `with ... as`.
    pub(super) fn single_target(&mut self) -> PResult<Expr> {
        self.star_target()
    }

    fn lambda(&mut self) -> PResult<Expr> {
        self.nested(|p| p.lambda_inner())
    }

    fn lambda_inner(&mut self) -> PResult<Expr> {
        let start = self.bump().span;
        let params = self.params(Op::Colon, false)?;
        self.expect_op(Op::Colon)?;
        let body = self.expression()?;
        let span = start.to(body.span);
        let ret = Stmt { span: body.span, kind: StmtKind::Return(Some(body)) };
        let def = FunctionDef {
            name: Rc::from("<lambda>"),
            qualname: Rc::from("<lambda>"),
            params,
            body: vec![ret],
            decorators: Vec::new(),
            returns: None,
            is_lambda: true,
            span,
            scope: Default::default(),
            binding: Slot::Unresolved,
            file: Rc::from(""),
            doc: None,
        };
        Ok(Expr { kind: ExprKind::Lambda(Rc::new(def)), span })
    }
}

fn push_part(parts: &mut Vec<FStringPart>, part: FStringPart) {
    if let FStringPart::Literal(s) = &part {
        if s.is_empty() {
            return;
        }
        if let Some(FStringPart::Literal(prev)) = parts.last_mut() {
            let joined = format!("{prev}{s}");
            *prev = Rc::from(joined.as_str());
            return;
        }
    }
    parts.push(part);
}

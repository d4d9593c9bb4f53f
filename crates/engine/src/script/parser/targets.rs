//! Checks that assignment, `for`, `with`, `del` and comprehension targets are
//! things that can be assigned to, with CPython 3.11's messages.

use super::super::ast::*;
use super::super::value::Value;
use super::{PResult, Parser};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TargetCtx {
    /// `=`; `first` is true for the leftmost target of the statement.
    Assign { first: bool },
    AugAssign,
    For,
    With,
    Comprehension,
    Del,
}

/// What CPython calls an expression that cannot be a target.
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Call { .. } => "function call",
        ExprKind::Constant(Value::None) => "None",
        ExprKind::Constant(Value::Bool(true)) => "True",
        ExprKind::Constant(Value::Bool(false)) => "False",
        ExprKind::Constant(Value::Ellipsis) => "ellipsis",
        ExprKind::Constant(_) => "literal",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::Lambda(_) => "lambda",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::Comprehension(c) => match c.kind {
            CompKind::List => "list comprehension",
            CompKind::Set => "set comprehension",
            CompKind::Dict => "dict comprehension",
            CompKind::Generator => "generator expression",
        },
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        ExprKind::Starred(_) => "starred",
        ExprKind::Name(_) => "name",
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        _ => "expression",
    }
}

impl<'s> Parser<'s> {
    pub(super) fn check_target(&self, e: &Expr, ctx: TargetCtx) -> PResult<()> {
        if ctx == TargetCtx::AugAssign {
            return match e.kind {
                ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
                _ => Err(self.syntax_error(format!("'{}' is an illegal expression for augmented assignment", describe(e)), e.span)),
            };
        }
        if let ExprKind::Starred(_) = e.kind {
            if ctx != TargetCtx::Del {
                let mut err = self.syntax_error("starred assignment target must be in a list or tuple", e.span);
                err.text = None;
                return Err(err);
            }
        }
        self.check_target_inner(e, ctx, true)
    }

    fn check_target_inner(&self, e: &Expr, ctx: TargetCtx, top: bool) -> PResult<()> {
        match &e.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                let starred = elts.iter().filter(|x| matches!(x.kind, ExprKind::Starred(_))).count();
                if starred > 1 && ctx != TargetCtx::Del {
                    let mut err = self.syntax_error("multiple starred expressions in assignment", e.span);
                    err.text = None;
                    return Err(err);
                }
                for elt in elts {
                    self.check_target_inner(elt, ctx, false)?;
                }
                Ok(())
            }
            ExprKind::Starred(inner) if ctx != TargetCtx::Del => self.check_target_inner(inner, ctx, false),
            _ => {
                let what = describe(e);
                let msg = if ctx == TargetCtx::Del {
                    format!("cannot delete {what}")
                } else if matches!(what, "None" | "True" | "False") {
                    format!("cannot assign to {what}")
                } else if top && ctx == (TargetCtx::Assign { first: true }) {
                    format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
                } else {
                    format!("cannot assign to {what}")
                };
                Err(self.syntax_error(msg, e.span))
            }
        }
    }

    /// The target of `x: T [= v]`: a single name, attribute or subscript.
    pub(super) fn check_annotation_target(&self, e: &Expr) -> PResult<()> {
        match &e.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            ExprKind::Tuple(_) => Err(self.syntax_error("only single target (not tuple) can be annotated", e.span)),
            ExprKind::List(_) => Err(self.syntax_error("only single target (not list) can be annotated", e.span)),
            _ => Err(self.syntax_error("illegal target for annotation", e.span)),
        }
    }
}

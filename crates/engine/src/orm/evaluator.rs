//! Evaluating simple SQL expressions against objects in memory, as SQLAlchemy's
//! `evaluator.py` does for `synchronize_session='evaluate'`: after a bulk UPDATE or DELETE,
//! the objects already in the session that match the criteria get the new values (or are
//! marked deleted) without another query. Anything it cannot evaluate returns `None` and the
//! caller falls back to fetching the matching keys.

use std::cmp::Ordering;

use crate::sql::{BinaryOp, Datum, Expr, UnaryOp};

/// Reads a column of the object being evaluated: `Some(value)` for a loaded column of its
/// table, `None` when the expression reaches outside what is loaded.
pub type ColumnReader<'a> = dyn Fn(Option<&str>, &str) -> Option<Datum> + 'a;

/// The value of `expr` for one object, `None` when it cannot be evaluated in Python.
pub fn evaluate(expr: &Expr, column: &ColumnReader<'_>) -> Option<Datum> {
    Some(match expr {
        Expr::Column { table, name } => column(table.as_deref(), name)?,
        Expr::Param(value) | Expr::Literal(value) => value.clone(),
        Expr::Grouping(inner) => evaluate(inner, column)?,
        Expr::Unary { op: UnaryOp::Not, expr } => match truth(&evaluate(expr, column)?) {
            Some(b) => Datum::Bool(!b),
            None => Datum::Null,
        },
        Expr::Unary { op: UnaryOp::Neg, expr } => match evaluate(expr, column)? {
            Datum::Int(i) => Datum::Int(i.checked_neg()?),
            Datum::Float(f) => Datum::Float(-f),
            Datum::Null => Datum::Null,
            _ => return None,
        },
        Expr::IsNull { expr, negated } => Datum::Bool(evaluate(expr, column)?.is_null() != *negated),
        Expr::Binary { op: BinaryOp::And, left, right } => {
            let (l, r) = (truth(&evaluate(left, column)?), truth(&evaluate(right, column)?));
            match (l, r) {
                (Some(false), _) | (_, Some(false)) => Datum::Bool(false),
                (Some(true), Some(true)) => Datum::Bool(true),
                _ => Datum::Null,
            }
        }
        Expr::Binary { op: BinaryOp::Or, left, right } => {
            let (l, r) = (truth(&evaluate(left, column)?), truth(&evaluate(right, column)?));
            match (l, r) {
                (Some(true), _) | (_, Some(true)) => Datum::Bool(true),
                (Some(false), Some(false)) => Datum::Bool(false),
                _ => Datum::Null,
            }
        }
        Expr::Binary { op, left, right } => binary(*op, evaluate(left, column)?, evaluate(right, column)?)?,
        Expr::InList { expr, list, negated } => {
            let value = evaluate(expr, column)?;
            if value.is_null() {
                return Some(Datum::Null);
            }
            let mut found = false;
            for item in list {
                if compare(&value, &evaluate(item, column)?) == Some(Ordering::Equal) {
                    found = true;
                }
            }
            Datum::Bool(found != *negated)
        }
        Expr::Between { expr, low, high, negated } => {
            let value = evaluate(expr, column)?;
            let (low, high) = (evaluate(low, column)?, evaluate(high, column)?);
            match (compare(&value, &low), compare(&value, &high)) {
                (Some(a), Some(b)) => Datum::Bool((a != Ordering::Less && b != Ordering::Greater) != *negated),
                _ => Datum::Null,
            }
        }
        _ => return None,
    })
}

/// SQL truth of a value: NULL is unknown.
pub fn truth(value: &Datum) -> Option<bool> {
    match value {
        Datum::Null => None,
        Datum::Bool(b) => Some(*b),
        Datum::Int(i) => Some(*i != 0),
        Datum::Float(f) => Some(*f != 0.0),
        _ => Some(true),
    }
}

fn compare(a: &Datum, b: &Datum) -> Option<Ordering> {
    match (a, b) {
        (Datum::Null, _) | (_, Datum::Null) => None,
        (Datum::Int(x), Datum::Int(y)) => Some(x.cmp(y)),
        (Datum::Int(x), Datum::Float(y)) => (*x as f64).partial_cmp(y),
        (Datum::Float(x), Datum::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Datum::Float(x), Datum::Float(y)) => x.partial_cmp(y),
        (Datum::Bool(x), Datum::Bool(y)) => Some(x.cmp(y)),
        (Datum::Bool(x), Datum::Int(y)) => Some(i64::from(*x).cmp(y)),
        (Datum::Int(x), Datum::Bool(y)) => Some(x.cmp(&i64::from(*y))),
        (Datum::Text(x), Datum::Text(y)) => Some(x.cmp(y)),
        (Datum::Date(x), Datum::Date(y)) => Some(x.cmp(y)),
        (Datum::DateTime(x), Datum::DateTime(y)) => Some(x.cmp(y)),
        (Datum::Time(x), Datum::Time(y)) => Some(x.cmp(y)),
        (Datum::Decimal(x), Datum::Decimal(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn binary(op: BinaryOp, left: Datum, right: Datum) -> Option<Datum> {
    use BinaryOp::*;
    if matches!(op, Eq | NotEq | Lt | LtEq | Gt | GtEq) {
        let Some(ordering) = compare(&left, &right) else {
            return if left.is_null() || right.is_null() { Some(Datum::Null) } else { None };
        };
        return Some(Datum::Bool(match op {
            Eq => ordering == Ordering::Equal,
            NotEq => ordering != Ordering::Equal,
            Lt => ordering == Ordering::Less,
            LtEq => ordering != Ordering::Greater,
            Gt => ordering == Ordering::Greater,
            _ => ordering != Ordering::Less,
        }));
    }
    if left.is_null() || right.is_null() {
        return Some(Datum::Null);
    }
    Some(match (op, left, right) {
        (Add, Datum::Int(a), Datum::Int(b)) => Datum::Int(a.checked_add(b)?),
        (Sub, Datum::Int(a), Datum::Int(b)) => Datum::Int(a.checked_sub(b)?),
        (Mul, Datum::Int(a), Datum::Int(b)) => Datum::Int(a.checked_mul(b)?),
        (Add, a, b) => Datum::Float(number(&a)? + number(&b)?),
        (Sub, a, b) => Datum::Float(number(&a)? - number(&b)?),
        (Mul, a, b) => Datum::Float(number(&a)? * number(&b)?),
        (Concat, Datum::Text(a), Datum::Text(b)) => Datum::Text(a + &b),
        _ => return None,
    })
}

fn number(value: &Datum) -> Option<f64> {
    match value {
        Datum::Int(i) => Some(*i as f64),
        Datum::Float(f) => Some(*f),
        _ => None,
    }
}

//! Operators: arithmetic with Python's semantics (floor division and modulo
//! signs, true division, 64-bit overflow checks), rich comparison with
//! reflection, truthiness, hashing and membership.

use std::rc::Rc;

use super::super::ast::{BinOp, CmpOp, UnaryOp};
use super::super::error::{ExcKind, PyErr, PyResult};
use super::super::value::hash::{hash_bytes, hash_float, hash_frozenset, hash_int, hash_str, hash_tuple};
use super::super::value::{numeric_eq, same_object, BuiltinType, Class, ClassKind, DictViewKind, PySet, Spelling, TypeAlias, Value};
use super::Interpreter;

/// The comparison to try on the right operand when the left one declines.
fn swapped(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::LtE => CmpOp::GtE,
        CmpOp::GtE => CmpOp::LtE,
        other => other,
    }
}

fn cmp_dunder(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "__eq__",
        CmpOp::NotEq => "__ne__",
        CmpOp::Lt => "__lt__",
        CmpOp::LtE => "__le__",
        CmpOp::Gt => "__gt__",
        CmpOp::GtE => "__ge__",
        _ => "",
    }
}

fn int_pow(a: i64, b: i64) -> PyResult<Value> {
    if b < 0 {
        if a == 0 {
            return Err(PyErr::zero_division("0.0 cannot be raised to a negative power"));
        }
        return Ok(Value::Float((a as f64).powf(b as f64)));
    }
    match a {
        0 => return Ok(Value::Int(if b == 0 { 1 } else { 0 })),
        1 => return Ok(Value::Int(1)),
        -1 => return Ok(Value::Int(if b % 2 == 0 { 1 } else { -1 })),
        _ => {}
    }
    let Ok(e) = u32::try_from(b) else { return Err(PyErr::int_overflow()) };
    a.checked_pow(e).map(Value::Int).ok_or_else(PyErr::int_overflow)
}

pub(crate) fn float_floordiv(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(PyErr::zero_division("float floor division by zero"));
    }
    Ok(float_divmod(a, b).0)
}

pub(crate) fn float_mod(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(PyErr::zero_division("float modulo"));
    }
    Ok(float_divmod(a, b).1)
}

/// CPython's `float_divmod` (b != 0).
pub(crate) fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let mut fd = div.floor();
        if div - fd > 0.5 {
            fd += 1.0;
        }
        fd
    } else {
        0.0f64.copysign(a / b)
    };
    (floordiv, m)
}

pub(crate) fn int_floordiv(a: i64, b: i64) -> PyResult<i64> {
    if b == 0 {
        return Err(PyErr::zero_division("integer division or modulo by zero"));
    }
    let q = a.checked_div(b).ok_or_else(PyErr::int_overflow)?;
    Ok(if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q })
}

pub(crate) fn int_mod(a: i64, b: i64) -> PyResult<i64> {
    if b == 0 {
        return Err(PyErr::zero_division("integer modulo by zero"));
    }
    let r = a.checked_rem(b).unwrap_or(0);
    Ok(if r != 0 && ((r < 0) != (b < 0)) { r + b } else { r })
}

fn float_pow(a: f64, b: f64) -> PyResult<f64> {
    if a == 0.0 && b < 0.0 {
        return Err(PyErr::zero_division("0.0 cannot be raised to a negative power"));
    }
    if a < 0.0 && b.fract() != 0.0 && b.is_finite() {
        return Err(PyErr::not_implemented("complex numbers are not supported in the playground (negative number raised to a fractional power)"));
    }
    let r = a.powf(b);
    if r.is_infinite() && a.is_finite() && b.is_finite() {
        return Err(PyErr::overflow("(34, 'Numerical result out of range')"));
    }
    Ok(r)
}

fn int_arith(a: i64, op: BinOp, b: i64) -> PyResult<Value> {
    let overflow = PyErr::int_overflow;
    Ok(match op {
        BinOp::Add => Value::Int(a.checked_add(b).ok_or_else(overflow)?),
        BinOp::Sub => Value::Int(a.checked_sub(b).ok_or_else(overflow)?),
        BinOp::Mul => Value::Int(a.checked_mul(b).ok_or_else(overflow)?),
        BinOp::Div => {
            if b == 0 {
                return Err(PyErr::zero_division("division by zero"));
            }
            Value::Float(a as f64 / b as f64)
        }
        BinOp::FloorDiv => Value::Int(int_floordiv(a, b)?),
        BinOp::Mod => Value::Int(int_mod(a, b)?),
        BinOp::Pow => return int_pow(a, b),
        BinOp::LShift => {
            if b < 0 {
                return Err(PyErr::value_error("negative shift count"));
            }
            if a == 0 {
                return Ok(Value::Int(0));
            }
            if b >= 63 {
                return Err(overflow());
            }
            let r = a << b;
            if r >> b != a {
                return Err(overflow());
            }
            Value::Int(r)
        }
        BinOp::RShift => {
            if b < 0 {
                return Err(PyErr::value_error("negative shift count"));
            }
            Value::Int(if b >= 64 { if a < 0 { -1 } else { 0 } } else { a >> b })
        }
        BinOp::BitAnd => Value::Int(a & b),
        BinOp::BitOr => Value::Int(a | b),
        BinOp::BitXor => Value::Int(a ^ b),
        BinOp::MatMul => return Err(unsupported(op, &Value::Int(a), &Value::Int(b))),
    })
}

fn float_arith(a: f64, op: BinOp, b: f64) -> PyResult<Option<Value>> {
    Ok(Some(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(PyErr::zero_division("float division by zero"));
            }
            a / b
        }
        BinOp::FloorDiv => float_floordiv(a, b)?,
        BinOp::Mod => float_mod(a, b)?,
        BinOp::Pow => float_pow(a, b)?,
        _ => return Ok(None),
    })))
}

fn unsupported(op: BinOp, a: &Value, b: &Value) -> PyErr {
    let sym = if op == BinOp::Pow { "** or pow()" } else { op.symbol() };
    PyErr::type_error(format!("unsupported operand type(s) for {sym}: '{}' and '{}'", a.type_name(), b.type_name()))
}

impl Interpreter {
    /// `a <op> b` for the binary operators.
    pub fn binary_op(&mut self, a: &Value, op: BinOp, b: &Value) -> PyResult<Value> {
        // Fast paths for the common cases.
        match (a, b) {
            (Value::Int(x), Value::Int(y)) => return int_arith(*x, op, *y),
            (Value::Float(x), Value::Float(y)) => {
                if let Some(v) = float_arith(*x, op, *y)? {
                    return Ok(v);
                }
            }
            (Value::Str(x), Value::Str(y)) if op == BinOp::Add => {
                self.check_alloc(x.as_str().len() + y.as_str().len(), 1)?;
                let mut s = String::with_capacity(x.as_str().len() + y.as_str().len());
                s.push_str(x.as_str());
                s.push_str(y.as_str());
                return Ok(Value::string(s));
            }
            _ => {}
        }
        if let Some(v) = self.builtin_binary(a, op, b)? {
            return Ok(v);
        }
        if let Some(v) = self.dunder_binary(a, op, b)? {
            return Ok(v);
        }
        Err(self.binary_type_error(a, op, b))
    }

    fn binary_type_error(&self, a: &Value, op: BinOp, b: &Value) -> PyErr {
        match (a, op) {
            (Value::Str(_), BinOp::Add) => PyErr::type_error(format!("can only concatenate str (not \"{}\") to str", b.type_name())),
            (Value::List(_), BinOp::Add) => PyErr::type_error(format!("can only concatenate list (not \"{}\") to list", b.type_name())),
            (Value::Tuple(_), BinOp::Add) => PyErr::type_error(format!("can only concatenate tuple (not \"{}\") to tuple", b.type_name())),
            (Value::Bytes(_), BinOp::Add) => PyErr::type_error(format!("can't concat {} to bytes", b.type_name())),
            (Value::Str(_) | Value::List(_) | Value::Tuple(_) | Value::Bytes(_), BinOp::Mul) if !matches!(b, Value::Instance(_) | Value::Native(_)) => {
                PyErr::type_error(format!("can't multiply sequence by non-int of type '{}'", b.type_name()))
            }
            (_, BinOp::Mul) if matches!(b, Value::Str(_) | Value::List(_) | Value::Tuple(_) | Value::Bytes(_)) && !matches!(a, Value::Instance(_) | Value::Native(_)) => {
                PyErr::type_error(format!("can't multiply sequence by non-int of type '{}'", a.type_name()))
            }
            _ => unsupported(op, a, b),
        }
    }

    /// Operators between builtin values; `None` when they do not apply.
    #[inline(never)]
    fn builtin_binary(&mut self, a: &Value, op: BinOp, b: &Value) -> PyResult<Option<Value>> {
        use Value::*;
        Ok(Some(match (a, b) {
            (Bool(x), Bool(y)) if matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) => Bool(match op {
                BinOp::BitAnd => *x & *y,
                BinOp::BitOr => *x | *y,
                _ => *x ^ *y,
            }),
            (Int(_) | Bool(_), Int(_) | Bool(_)) => int_arith(a.as_int().unwrap_or(0), op, b.as_int().unwrap_or(0))?,
            (Int(_) | Bool(_) | Float(_), Int(_) | Bool(_) | Float(_)) => {
                match float_arith(a.as_float().unwrap_or(0.0), op, b.as_float().unwrap_or(0.0))? {
                    Some(v) => v,
                    Option::None => return Ok(Option::None),
                }
            }
            (Str(x), Str(y)) if op == BinOp::Add => {
                self.check_alloc(x.as_str().len() + y.as_str().len(), 1)?;
                Value::string(format!("{}{}", x.as_str(), y.as_str()))
            }
            (Str(s), Int(_) | Bool(_)) | (Int(_) | Bool(_), Str(s)) if op == BinOp::Mul => {
                let n = if let Str(_) = a { b.as_int() } else { a.as_int() }.unwrap_or(0).max(0) as usize;
                self.check_alloc(s.as_str().len(), n)?;
                Value::string(s.as_str().repeat(n))
            }
            (Str(s), _) if op == BinOp::Mod => Value::string(super::super::format::percent_format(self, s.as_str(), b)?),
            (Bytes(x), Bytes(y)) if op == BinOp::Add => {
                let mut v = x.0.to_vec();
                v.extend_from_slice(&y.0);
                Value::bytes(v)
            }
            (Bytes(s), Int(_) | Bool(_)) | (Int(_) | Bool(_), Bytes(s)) if op == BinOp::Mul => {
                let n = if let Bytes(_) = a { b.as_int() } else { a.as_int() }.unwrap_or(0).max(0) as usize;
                self.check_alloc(s.0.len(), n)?;
                Value::bytes(s.0.repeat(n))
            }
            (List(x), List(y)) if op == BinOp::Add => {
                let mut v = x.items.borrow().clone();
                v.extend(y.items.borrow().iter().cloned());
                self.check_alloc(v.len(), std::mem::size_of::<Value>())?;
                Value::list(v)
            }
            (List(l), Int(_) | Bool(_)) | (Int(_) | Bool(_), List(l)) if op == BinOp::Mul => {
                let n = if let List(_) = a { b.as_int() } else { a.as_int() }.unwrap_or(0).max(0) as usize;
                let items = l.items.borrow().clone();
                self.check_alloc(items.len().saturating_mul(n), std::mem::size_of::<Value>())?;
                Value::list(repeat_values(&items, n))
            }
            (Tuple(x), Tuple(y)) if op == BinOp::Add => {
                let mut v = x.items.to_vec();
                v.extend(y.items.iter().cloned());
                Value::tuple(v)
            }
            (Tuple(t), Int(_) | Bool(_)) | (Int(_) | Bool(_), Tuple(t)) if op == BinOp::Mul => {
                let n = if let Tuple(_) = a { b.as_int() } else { a.as_int() }.unwrap_or(0).max(0) as usize;
                self.check_alloc(t.items.len().saturating_mul(n), std::mem::size_of::<Value>())?;
                Value::tuple(repeat_values(&t.items, n))
            }
            (Set(x), Set(y)) if matches!(op, BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor) => Value::Set(self.set_operation(x, op, y, x.frozen)?),
            (DictView(v), _) if v.kind != DictViewKind::Values && matches!(op, BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor) && self.is_iterable(b) => {
                let left = self.set_from_iterable(a, false)?;
                let right = self.set_from_iterable(b, false)?;
                Value::Set(self.set_operation(&left, op, &right, false)?)
            }
            (Dict(x), Dict(_)) if op == BinOp::BitOr => {
                let d = self.dict_copy(x);
                self.dict_update_from(&d, b)?;
                d
            }
            (Class(_) | TypeAlias(_) | None, Class(_) | TypeAlias(_) | None) if op == BinOp::BitOr && !(a.is_none() && b.is_none()) => {
                if let (Class(c), _) | (_, Class(c)) = (a, b) {
                    if !matches!(c.kind, ClassKind::Builtin(_) | ClassKind::User | ClassKind::Native | ClassKind::BuiltinException(_)) {
                        return Ok(Option::None);
                    }
                }
                let mut members = Vec::new();
                // `|` with a `typing` alias makes a `typing.Union`, as in CPython.
                let mut spelling = Spelling::Builtin;
                for v in [a, b] {
                    match v {
                        TypeAlias(t) => {
                            let (self::TypeAlias::Union { spelling: s, .. } | self::TypeAlias::Generic { spelling: s, .. }) = &**t;
                            if *s != Spelling::Builtin {
                                spelling = Spelling::Typing("Union");
                            }
                            match &**t {
                                self::TypeAlias::Union { members: args, .. } => members.extend(args.iter().cloned()),
                                _ => members.push(v.clone()),
                            }
                        }
                        None => members.push(Class(self.types.get(BuiltinType::NoneType).clone())),
                        other => members.push(other.clone()),
                    }
                }
                let mut unique: Vec<Value> = Vec::new();
                for m in members {
                    if !unique.iter().any(|u| same_object(u, &m)) {
                        unique.push(m);
                    }
                }
                Value::TypeAlias(Rc::new(self::TypeAlias::Union { members: unique, spelling }))
            }
            _ => return Ok(Option::None),
        }))
    }

    /// `__add__` / `__radd__` dispatch for instances and host objects.
    #[inline(never)]
    fn dunder_binary(&mut self, a: &Value, op: BinOp, b: &Value) -> PyResult<Option<Value>> {
        let (name, rname) = op.dunder();
        let a_custom = matches!(a, Value::Instance(_) | Value::Native(_));
        let b_custom = matches!(b, Value::Instance(_) | Value::Native(_));
        if !a_custom && !b_custom {
            return Ok(None);
        }
        // A right operand of a subclass type that overrides the reflected method goes first.
        if let (Value::Instance(ai), Value::Instance(bi)) = (a, b) {
            if !Rc::ptr_eq(&ai.class, &bi.class) && bi.class.is_subclass_of(&ai.class) && bi.class.lookup(rname).is_some() {
                if let Some(v) = self.try_binary_dunder(b, rname, op, a, true)? {
                    return Ok(Some(v));
                }
            }
        }
        if a_custom {
            if let Some(v) = self.try_binary_dunder(a, name, op, b, false)? {
                return Ok(Some(v));
            }
        }
        let same_class = match (a, b) {
            (Value::Instance(x), Value::Instance(y)) => Rc::ptr_eq(&x.class, &y.class),
            _ => false,
        };
        if b_custom && !same_class {
            if let Some(v) = self.try_binary_dunder(b, rname, op, a, true)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    fn try_binary_dunder(&mut self, obj: &Value, name: &str, op: BinOp, other: &Value, reflected: bool) -> PyResult<Option<Value>> {
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match self.call_special(obj, &cls, name, vec![other.clone()])? {
                    Some(Value::NotImplemented) | None => Ok(None),
                    Some(v) => Ok(Some(v)),
                }
            }
            Value::Native(n) => {
                let n = n.clone();
                n.binary_op(self, obj, op, other, reflected)
            }
            _ => Ok(None),
        }
    }

    /// `a <op>= b`: in-place for lists and objects defining `__iadd__` etc.
    pub(crate) fn inplace_op(&mut self, a: &Value, op: BinOp, b: &Value) -> PyResult<Value> {
        match (a, op) {
            (Value::List(l), BinOp::Add) => {
                let items = self.collect(b).map_err(|e| {
                    if e.is(ExcKind::TypeError) {
                        PyErr::type_error(format!("'{}' object is not iterable", b.type_name()))
                    } else {
                        e
                    }
                })?;
                self.check_side_effect("list +=")?;
                l.items.borrow_mut().extend(items);
                return Ok(a.clone());
            }
            (Value::Set(s), BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor) if !s.frozen => {
                if let Value::Set(other) = b {
                    let result = self.set_operation(s, op, other, false)?;
                    let table = result.table.borrow().clone();
                    *s.table.borrow_mut() = table;
                    return Ok(a.clone());
                }
            }
            (Value::Instance(inst), _) => {
                let cls = inst.class.clone();
                if let Some(v) = self.call_special(a, &cls, op.inplace_dunder(), vec![b.clone()])? {
                    if !matches!(v, Value::NotImplemented) {
                        return Ok(v);
                    }
                }
            }
            _ => {}
        }
        self.binary_op(a, op, b)
    }

    /// `-a`, `+a`, `~a`.
    pub fn unary_op(&mut self, op: UnaryOp, a: &Value) -> PyResult<Value> {
        match (op, a) {
            (UnaryOp::Not, _) => return Ok(Value::Bool(!self.truthy(a)?)),
            (UnaryOp::Neg, Value::Int(_) | Value::Bool(_)) => {
                let i = a.as_int().unwrap_or(0);
                return i.checked_neg().map(Value::Int).ok_or_else(PyErr::int_overflow);
            }
            (UnaryOp::Pos, Value::Int(_) | Value::Bool(_)) => return Ok(Value::Int(a.as_int().unwrap_or(0))),
            (UnaryOp::Invert, Value::Int(_) | Value::Bool(_)) => return Ok(Value::Int(!a.as_int().unwrap_or(0))),
            (UnaryOp::Neg, Value::Float(f)) => return Ok(Value::Float(-f)),
            (UnaryOp::Pos, Value::Float(f)) => return Ok(Value::Float(*f)),
            (_, Value::Instance(inst)) => {
                let name = match op {
                    UnaryOp::Neg => "__neg__",
                    UnaryOp::Pos => "__pos__",
                    _ => "__invert__",
                };
                let cls = inst.class.clone();
                if let Some(v) = self.call_special(a, &cls, name, Vec::new())? {
                    return Ok(v);
                }
            }
            (_, Value::Native(n)) => {
                let n = n.clone();
                if let Some(v) = n.unary_op(self, a, op)? {
                    return Ok(v);
                }
            }
            _ => {}
        }
        Err(PyErr::type_error(format!("bad operand type for unary {}: '{}'", op.symbol(), a.type_name())))
    }

    /// `a <op> b` for comparison operators (may return non-bool values from
    /// user or host objects, e.g. SQL expressions).
    pub fn compare(&mut self, a: &Value, op: CmpOp, b: &Value) -> PyResult<Value> {
        match op {
            CmpOp::Is => return Ok(Value::Bool(same_object(a, b))),
            CmpOp::IsNot => return Ok(Value::Bool(!same_object(a, b))),
            CmpOp::In => return Ok(Value::Bool(self.contains(b, a)?)),
            CmpOp::NotIn => return Ok(Value::Bool(!self.contains(b, a)?)),
            _ => {}
        }
        // Fast paths.
        match (a, b) {
            (Value::Int(x), Value::Int(y)) => return Ok(Value::Bool(cmp_ord(op, x.cmp(y)))),
            (Value::Str(x), Value::Str(y)) => return Ok(Value::Bool(cmp_ord(op, x.as_str().cmp(y.as_str())))),
            _ => {}
        }
        // Comparing containers recurses into their items.
        self.enter_nesting()?;
        let r = self.compare_slow(a, op, b);
        self.nesting -= 1;
        r
    }

    fn compare_slow(&mut self, a: &Value, op: CmpOp, b: &Value) -> PyResult<Value> {
        if let Some(v) = self.custom_compare(a, op, b)? {
            return Ok(v);
        }
        if let Some(r) = self.builtin_compare(a, op, b)? {
            return Ok(Value::Bool(r));
        }
        match op {
            CmpOp::Eq => Ok(Value::Bool(same_object(a, b))),
            CmpOp::NotEq => Ok(Value::Bool(!same_object(a, b))),
            _ => Err(PyErr::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                a.type_name(),
                b.type_name()
            ))),
        }
    }

    /// Rich comparison through `__eq__`/`__lt__`... of instances and host objects.
    #[inline(never)]
    fn custom_compare(&mut self, a: &Value, op: CmpOp, b: &Value) -> PyResult<Option<Value>> {
        let a_custom = matches!(a, Value::Instance(_) | Value::Native(_));
        let b_custom = matches!(b, Value::Instance(_) | Value::Native(_));
        if !a_custom && !b_custom {
            return Ok(None);
        }
        let rop = swapped(op);
        let b_first = match (a, b) {
            (Value::Instance(ai), Value::Instance(bi)) => !Rc::ptr_eq(&ai.class, &bi.class) && bi.class.is_subclass_of(&ai.class),
            _ => false,
        };
        if b_first {
            if let Some(v) = self.try_compare_dunder(b, rop, a)? {
                return Ok(Some(v));
            }
        }
        if a_custom {
            if let Some(v) = self.try_compare_dunder(a, op, b)? {
                return Ok(Some(v));
            }
        }
        if b_custom && !b_first {
            if let Some(v) = self.try_compare_dunder(b, rop, a)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    fn try_compare_dunder(&mut self, obj: &Value, op: CmpOp, other: &Value) -> PyResult<Option<Value>> {
        match obj {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                let name = cmp_dunder(op);
                if let Some((f, owner)) = cls.lookup_with_owner(name) {
                    if !self.is_object_class(owner) && !f.is_none() {
                        return match self.call_special(obj, &cls, name, vec![other.clone()])? {
                            Some(Value::NotImplemented) | None => Ok(None),
                            Some(v) => Ok(Some(v)),
                        };
                    }
                }
                // `!=` defaults to the negation of a user-defined `==`.
                if op == CmpOp::NotEq {
                    if let Some((_, owner)) = cls.lookup_with_owner("__eq__") {
                        if !self.is_object_class(owner) {
                            return match self.call_special(obj, &cls, "__eq__", vec![other.clone()])? {
                                Some(Value::NotImplemented) | None => Ok(None),
                                Some(v) => Ok(Some(Value::Bool(!self.truthy(&v)?))),
                            };
                        }
                    }
                }
                Ok(None)
            }
            Value::Native(n) => {
                let n = n.clone();
                n.compare(self, obj, op, other)
            }
            _ => Ok(None),
        }
    }

    pub(crate) fn is_object_class(&self, c: &Class) -> bool {
        std::ptr::eq(c, &**self.types.object())
    }

    /// Comparisons between builtin values; `None` when the types do not compare.
    #[inline(never)]
    fn builtin_compare(&mut self, a: &Value, op: CmpOp, b: &Value) -> PyResult<Option<bool>> {
        use Value::*;
        let eq_only = matches!(op, CmpOp::Eq | CmpOp::NotEq);
        Ok(Some(match (a, b) {
            (Int(_) | Bool(_) | Float(_), Int(_) | Bool(_) | Float(_)) => {
                if eq_only {
                    let e = numeric_eq(a, b);
                    if op == CmpOp::Eq {
                        e
                    } else {
                        !e
                    }
                } else {
                    match (a, b) {
                        (Float(_), _) | (_, Float(_)) => {
                            let (x, y) = (a.as_float().unwrap_or(0.0), b.as_float().unwrap_or(0.0));
                            match op {
                                CmpOp::Lt => x < y,
                                CmpOp::LtE => x <= y,
                                CmpOp::Gt => x > y,
                                _ => x >= y,
                            }
                        }
                        _ => cmp_ord(op, a.as_int().cmp(&b.as_int())),
                    }
                }
            }
            (Str(x), Str(y)) => cmp_ord(op, x.as_str().cmp(y.as_str())),
            (Bytes(x), Bytes(y)) => cmp_ord(op, x.0.cmp(&y.0)),
            (List(x), List(y)) => {
                let (xs, ys) = (x.items.borrow().clone(), y.items.borrow().clone());
                return self.compare_sequences(&xs, op, &ys).map(Some);
            }
            (Tuple(x), Tuple(y)) => {
                let (xs, ys) = (x.clone(), y.clone());
                return self.compare_sequences(&xs.items, op, &ys.items).map(Some);
            }
            (Set(x), Set(y)) => {
                let (x, y) = (x.clone(), y.clone());
                return self.compare_sets(&x, op, &y).map(Some);
            }
            (DictView(x), DictView(y)) if x.kind != DictViewKind::Values && y.kind != DictViewKind::Values => {
                let left = self.set_from_iterable(a, true)?;
                let right = self.set_from_iterable(b, true)?;
                return self.compare_sets(&left, op, &right).map(Some);
            }
            (Dict(x), Dict(y)) if eq_only => {
                let e = self.dict_eq(x, y)?;
                if op == CmpOp::Eq {
                    e
                } else {
                    !e
                }
            }
            (Range(x), Range(y)) if eq_only => {
                let e = x.len() == y.len() && (x.is_empty() || (x.start == y.start && (x.len() == 1 || x.step == y.step)));
                if op == CmpOp::Eq {
                    e
                } else {
                    !e
                }
            }
            (TypeAlias(x), TypeAlias(y)) if eq_only => {
                let e = match (&**x, &**y) {
                    (self::TypeAlias::Union { members: p, .. }, self::TypeAlias::Union { members: q, .. }) => p.len() == q.len() && p.iter().all(|v| q.iter().any(|w| same_object(v, w))),
                    // `typing.List[int]` is not `list[int]` (unions of either spelling are equal).
                    (self::TypeAlias::Generic { origin: o1, args: a1, spelling: s1 }, self::TypeAlias::Generic { origin: o2, args: a2, spelling: s2 }) => {
                        s1 == s2 && same_object(o1, o2) && a1.len() == a2.len() && a1.iter().zip(a2).all(|(p, q)| same_object(p, q))
                    }
                    _ => false,
                };
                if op == CmpOp::Eq {
                    e
                } else {
                    !e
                }
            }
            (Slice(x), Slice(y)) if eq_only => {
                let e = self.eq(&x.start, &y.start)? && self.eq(&x.stop, &y.stop)? && self.eq(&x.step, &y.step)?;
                if op == CmpOp::Eq {
                    e
                } else {
                    !e
                }
            }
            _ => return Ok(Option::None),
        }))
    }

    /// Lexicographic comparison of two sequences.
    fn compare_sequences(&mut self, xs: &[Value], op: CmpOp, ys: &[Value]) -> PyResult<bool> {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq) && xs.len() != ys.len() {
            return Ok(op == CmpOp::NotEq);
        }
        for (x, y) in xs.iter().zip(ys.iter()) {
            if !self.eq(x, y)? {
                return match op {
                    CmpOp::Eq => Ok(false),
                    CmpOp::NotEq => Ok(true),
                    _ => {
                        let r = self.compare(x, op, y)?;
                        self.truthy(&r)
                    }
                };
            }
        }
        Ok(cmp_ord(op, xs.len().cmp(&ys.len())))
    }

    fn compare_sets(&mut self, x: &Rc<PySet>, op: CmpOp, y: &Rc<PySet>) -> PyResult<bool> {
        let (lx, ly) = (x.table.borrow().len(), y.table.borrow().len());
        let subset = |interp: &mut Interpreter, a: &Rc<PySet>, b: &Rc<PySet>| -> PyResult<bool> {
            let items: Vec<Value> = a.table.borrow().iter().map(|(_, v)| v.clone()).collect();
            for v in items {
                if !interp.set_contains(b, &v)? {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        Ok(match op {
            CmpOp::Eq => lx == ly && subset(self, x, y)?,
            CmpOp::NotEq => !(lx == ly && subset(self, x, y)?),
            CmpOp::LtE => lx <= ly && subset(self, x, y)?,
            CmpOp::Lt => lx < ly && subset(self, x, y)?,
            CmpOp::GtE => lx >= ly && subset(self, y, x)?,
            _ => lx > ly && subset(self, y, x)?,
        })
    }

    /// `a == b` as a bool.
    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let Some(r) = super::super::value::fast_eq(a, b) {
            return Ok(r);
        }
        let r = self.compare(a, CmpOp::Eq, b)?;
        self.truthy(&r)
    }

    /// `bool(v)`.
    #[inline]
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::None => Ok(false),
            Value::Int(i) => Ok(*i != 0),
            _ => self.truthy_slow(v),
        }
    }

    #[inline(never)]
    fn truthy_slow(&mut self, v: &Value) -> PyResult<bool> {
        Ok(match v {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.as_str().is_empty(),
            Value::Bytes(b) => !b.0.is_empty(),
            Value::List(l) => !l.items.borrow().is_empty(),
            Value::Tuple(t) => !t.items.is_empty(),
            Value::Dict(d) => !d.table.borrow().is_empty(),
            Value::Set(s) => !s.table.borrow().is_empty(),
            Value::Range(r) => !r.is_empty(),
            Value::DictView(v) => !v.dict.table.borrow().is_empty(),
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(r) = self.call_special(v, &cls, "__bool__", Vec::new())? {
                    return match r {
                        Value::Bool(b) => Ok(b),
                        other => Err(PyErr::type_error(format!("__bool__ should return bool, returned {}", other.type_name()))),
                    };
                }
                if let Some(n) = self.call_special(v, &cls, "__len__", Vec::new())? {
                    return Ok(self.len_result(n)? != 0);
                }
                true
            }
            Value::Native(n) => {
                let n = n.clone();
                return n.truthy(self, v);
            }
            _ => true,
        })
    }

    /// `hash(v)`.
    pub fn hash(&mut self, v: &Value) -> PyResult<i64> {
        Ok(match v {
            Value::Int(i) => hash_int(*i),
            Value::Bool(b) => *b as i64,
            Value::Float(f) => hash_float(*f),
            Value::Str(s) => hash_str(s.as_str()),
            Value::None => 0x5f3a_1b2c,
            Value::Bytes(b) => hash_bytes(&b.0),
            Value::Tuple(t) => {
                let t = t.clone();
                self.enter_nesting()?;
                let mut hashes = Vec::with_capacity(t.items.len());
                let mut failed = None;
                for item in t.items.iter() {
                    match self.hash(item) {
                        Ok(h) => hashes.push(h),
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
                self.nesting -= 1;
                if let Some(e) = failed {
                    return Err(e);
                }
                hash_tuple(hashes.into_iter())
            }
            Value::Set(s) if s.frozen => {
                let hashes: Vec<i64> = s.table.borrow().iter().map(|(h, _)| h).collect();
                hash_frozenset(hashes.into_iter())
            }
            Value::List(_) | Value::Dict(_) | Value::Set(_) | Value::DictView(_) | Value::Slice(_) => {
                return Err(PyErr::type_error(format!("unhashable type: '{}'", v.type_name())));
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                match cls.lookup_with_owner("__hash__") {
                    Some((Value::None, _)) => return Err(PyErr::type_error(format!("unhashable type: '{}'", cls.name))),
                    Some((_, owner)) if !self.is_object_class(owner) && owner.kind != ClassKind::Native => {
                        let r = self.call_special(v, &cls, "__hash__", Vec::new())?.unwrap_or(Value::None);
                        match r {
                            Value::Int(i) => super::super::value::hash::fix_hash(hash_int(i)),
                            Value::Bool(b) => b as i64,
                            _ => return Err(PyErr::type_error("__hash__ method should return an integer")),
                        }
                    }
                    Some((_, owner)) if owner.kind == ClassKind::Native => match self.call_special(v, &cls, "__hash__", Vec::new())? {
                        Some(Value::Int(i)) => i,
                        _ => identity_hash(v),
                    },
                    _ => identity_hash(v),
                }
            }
            Value::Native(n) => {
                let n = n.clone();
                return n.hash(self, v);
            }
            Value::TypeAlias(a) => match &**a {
                TypeAlias::Union { members: args, .. } | TypeAlias::Generic { args, .. } => {
                    let mut hashes = Vec::new();
                    for x in args {
                        hashes.push(self.hash(x)?);
                    }
                    hash_tuple(hashes.into_iter())
                }
            },
            other => identity_hash(other),
        })
    }

    /// `item in container`.
    pub fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match container {
            Value::Str(s) => match item {
                Value::Str(sub) => Ok(s.as_str().contains(sub.as_str())),
                other => Err(PyErr::type_error(format!("'in <string>' requires string as left operand, not {}", other.type_name()))),
            },
            Value::Bytes(b) => match item {
                Value::Bytes(sub) => Ok(sub.0.is_empty() || b.0.windows(sub.0.len()).any(|w| w == &*sub.0)),
                Value::Int(i) => Ok((0..=255).contains(i) && b.0.contains(&(*i as u8))),
                other => Err(PyErr::type_error(format!("a bytes-like object is required, not '{}'", other.type_name()))),
            },
            Value::List(_) | Value::Tuple(_) => {
                let items = container.sequence_items().unwrap_or_default();
                for x in &items {
                    if self.eq(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Dict(d) => {
                let d = d.clone();
                Ok(self.dict_get(&d, item)?.is_some())
            }
            Value::Set(s) => {
                let s = s.clone();
                self.set_contains(&s, item)
            }
            Value::DictView(v) => match v.kind {
                DictViewKind::Keys => {
                    let d = v.dict.clone();
                    Ok(self.dict_get(&d, item)?.is_some())
                }
                _ => {
                    let items = self.collect(container)?;
                    for x in &items {
                        if self.eq(x, item)? {
                            return Ok(true);
                        }
                    }
                    Ok(false)
                }
            },
            Value::Range(r) => {
                if let Some(i) = match item {
                    Value::Int(i) => Some(*i),
                    Value::Bool(b) => Some(*b as i64),
                    Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
                    _ => None,
                } {
                    let (start, stop, step) = (r.start as i128, r.stop as i128, r.step as i128);
                    let i = i as i128;
                    let inside = if step > 0 { i >= start && i < stop } else { i <= start && i > stop };
                    return Ok(inside && (i - start) % step == 0);
                }
                Ok(false)
            }
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if let Some(r) = self.call_special(container, &cls, "__contains__", vec![item.clone()])? {
                    return self.truthy(&r);
                }
                self.contains_by_iteration(container, item)
            }
            Value::Native(n) => {
                let n = n.clone();
                if let Some(r) = n.contains(self, container, item)? {
                    return Ok(r);
                }
                self.contains_by_iteration(container, item)
            }
            Value::Iterator(_) => self.contains_by_iteration(container, item),
            Value::Class(cls) => {
                if let Some(hooks) = cls.inherited_hooks() {
                    if let Some(r) = hooks.class_contains(self, cls, item)? {
                        return Ok(r);
                    }
                }
                self.contains_by_iteration(container, item)
            }
            other => Err(PyErr::type_error(format!("argument of type '{}' is not iterable", other.type_name()))),
        }
    }

    fn contains_by_iteration(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        if !self.is_iterable(container) {
            return Err(PyErr::type_error(format!("argument of type '{}' is not iterable", container.type_name())));
        }
        let it = self.iter(container)?;
        while let Some(x) = self.next(&it)? {
            if self.eq(&x, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

fn cmp_ord(op: CmpOp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq => o == Equal,
        CmpOp::NotEq => o != Equal,
        CmpOp::Lt => o == Less,
        CmpOp::LtE => o != Greater,
        CmpOp::Gt => o == Greater,
        CmpOp::GtE => o != Less,
        _ => false,
    }
}

/// The default hash of objects compared by identity (as CPython: address-based).
fn identity_hash(v: &Value) -> i64 {
    (v.identity() as u64).rotate_right(4) as i64 & i64::MAX
}

fn repeat_values(items: &[Value], n: usize) -> Vec<Value> {
    if items.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(items.len() * n);
    for _ in 0..n {
        out.extend(items.iter().cloned());
    }
    out
}

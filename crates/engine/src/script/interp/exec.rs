//! Statements.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::ast::*;
use super::super::error::{CaretHint, ExcKind, Payload, PyErr, PyResult};
use super::super::value::{Function, Instance, Value};
use super::{Frame, FrameKind, Interpreter};

/// How a statement finished.
pub(crate) enum Flow {
    Normal,
    Return(Value),
    Break,
    Continue,
}

impl Interpreter {
    pub(crate) fn exec_block(&mut self, f: &mut Frame, body: &[Stmt]) -> PyResult<Flow> {
        for s in body {
            match self.exec_stmt(f, s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    pub(crate) fn exec_stmt(&mut self, f: &mut Frame, s: &Stmt) -> PyResult<Flow> {
        self.tick()?;
        self.set_line(s.span.start.line);
        self.enter_nesting()?;
        let r = self.exec_stmt_inner(f, s);
        self.nesting -= 1;
        r.map_err(|e| e.at(statement_anchor(s), CaretHint::Plain))
    }

    /// One statement. Like `eval`, a small dispatcher: it is on the stack once
    /// per Python call, so the work of each statement kind is done elsewhere.
    fn exec_stmt_inner(&mut self, f: &mut Frame, s: &Stmt) -> PyResult<Flow> {
        match &s.kind {
            StmtKind::Expr(e) => {
                let value = self.eval(f, e)?;
                if f.echo_expressions {
                    self.display(value)?;
                }
            }
            StmtKind::Assign { targets, value } => self.exec_assign(f, targets, value)?,
            StmtKind::AugAssign { target, op, value } => self.aug_assign(f, target, *op, value)?,
            StmtKind::AnnAssign { target, annotation, value, simple } => self.exec_ann_assign(f, target, annotation, value.as_ref(), *simple)?,
            StmtKind::FunctionDef(def) => self.exec_def(f, def)?,
            StmtKind::ClassDef(def) => self.exec_class_statement(f, def)?,
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.eval(f, e)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::If { test, body, orelse } => {
                let t = self.eval(f, test)?;
                return if self.truthy(&t)? { self.exec_block(f, body) } else { self.exec_block(f, orelse) };
            }
            StmtKind::While { test, body, orelse } => return self.exec_while(f, test, body, orelse),
            StmtKind::For { target, iter, body, orelse } => return self.exec_for(f, target, iter, body, orelse),
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Pass | StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Try { body, handlers, orelse, finalbody } => return self.exec_try(f, body, handlers, orelse, finalbody),
            StmtKind::Raise { exc, cause } => return Err(self.exec_raise(f, exc.as_ref(), cause.as_ref())?),
            StmtKind::With { items, body } => return self.exec_with(f, items, body),
            StmtKind::Import(aliases) => self.exec_import(f, aliases)?,
            StmtKind::ImportFrom { module, names, star } => self.exec_import_from(f, module, names, *star)?,
            StmtKind::Assert { test, msg } => self.exec_assert(f, test, msg.as_ref())?,
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete(f, t)?;
                }
            }
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn exec_assign(&mut self, f: &mut Frame, targets: &[Expr], value: &Expr) -> PyResult<()> {
        let v = self.eval(f, value)?;
        if let [t] = targets {
            return self.assign(f, t, v);
        }
        for t in targets {
            self.assign(f, t, v.clone())?;
        }
        Ok(())
    }

    #[inline(never)]
    fn exec_ann_assign(&mut self, f: &mut Frame, target: &Expr, annotation: &Expr, value: Option<&Expr>, simple: bool) -> PyResult<()> {
        if let Some(v) = value {
            let v = self.eval(f, v)?;
            self.assign(f, target, v)?;
        }
        if f.kind != FrameKind::Function {
            let ann = self.eval(f, annotation)?;
            if simple {
                if let ExprKind::Name(n) = &target.kind {
                    self.store_annotation(f, &n.id, ann)?;
                }
            }
        }
        Ok(())
    }

    #[inline(never)]
    fn exec_def(&mut self, f: &mut Frame, def: &Rc<FunctionDef>) -> PyResult<()> {
        let value = self.make_function(f, def)?;
        self.decorate_and_bind(f, &def.decorators, &def.name, def.binding, value)
    }

    #[inline(never)]
    fn exec_class_statement(&mut self, f: &mut Frame, def: &Rc<ClassDef>) -> PyResult<()> {
        let cls = self.exec_class(f, def)?;
        self.decorate_and_bind(f, &def.decorators, &def.name, def.binding, Value::Class(cls))
    }

    /// Apply decorators (innermost first) and bind the result to the name.
    fn decorate_and_bind(&mut self, f: &mut Frame, decorators: &[Expr], name: &Rc<str>, binding: Slot, mut value: Value) -> PyResult<()> {
        for d in decorators.iter().rev() {
            let dec = self.eval(f, d)?;
            value = self.call(&dec, vec![value], Vec::new()).map_err(|e| e.at(d.span, CaretHint::Plain))?;
        }
        self.store(f, &Name { id: name.clone(), slot: binding }, value);
        Ok(())
    }

    #[inline(never)]
    fn exec_import(&mut self, f: &mut Frame, aliases: &[Alias]) -> PyResult<()> {
        for a in aliases {
            let value = self.import_statement_value(&a.name, a.asname.is_some())?;
            self.store(f, &a.target, value);
        }
        Ok(())
    }

    #[inline(never)]
    fn exec_import_from(&mut self, f: &mut Frame, module: &str, names: &[Alias], star: bool) -> PyResult<()> {
        let m = self.import_module(module)?;
        if star {
            return self.import_star(f, &m);
        }
        for a in names {
            let v = self.import_from(&m, &a.name)?;
            self.store(f, &a.target, v);
        }
        Ok(())
    }

    #[inline(never)]
    fn exec_assert(&mut self, f: &mut Frame, test: &Expr, msg: Option<&Expr>) -> PyResult<()> {
        let t = self.eval(f, test)?;
        if self.truthy(&t)? {
            return Ok(());
        }
        let args = match msg {
            Some(m) => vec![self.eval(f, m)?],
            None => Vec::new(),
        };
        Err(PyErr::with_args(ExcKind::AssertionError, args))
    }

    #[inline(never)]
    fn exec_while(&mut self, f: &mut Frame, test: &Expr, body: &[Stmt], orelse: &[Stmt]) -> PyResult<Flow> {
        loop {
            self.tick()?;
            let t = self.eval(f, test)?;
            if !self.truthy(&t)? {
                break;
            }
            match self.exec_block(f, body)? {
                Flow::Break => return Ok(Flow::Normal),
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal | Flow::Continue => {}
            }
        }
        self.exec_block(f, orelse)
    }

    #[inline(never)]
    fn exec_for(&mut self, f: &mut Frame, target: &Expr, iter: &Expr, body: &[Stmt], orelse: &[Stmt]) -> PyResult<Flow> {
        let iterable = self.eval(f, iter)?;
        macro_rules! run_body {
            ($item:expr) => {{
                self.tick()?;
                self.assign(f, target, $item)?;
                match self.exec_block(f, body)? {
                    Flow::Break => return Ok(Flow::Normal),
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    Flow::Normal | Flow::Continue => {}
                }
            }};
        }
        match &iterable {
            Value::Range(r) => {
                let (n, start, step) = (r.len(), r.start, r.step);
                for i in 0..n {
                    run_body!(Value::Int(start.wrapping_add((i as i64).wrapping_mul(step))));
                }
            }
            Value::List(list) => {
                let mut i = 0;
                loop {
                    // Re-read the length each time: the body may change the list.
                    let item = list.items.borrow().get(i).cloned();
                    let Some(item) = item else { break };
                    i += 1;
                    run_body!(item);
                }
            }
            Value::Tuple(t) => {
                let t = t.clone();
                for item in t.items.iter() {
                    run_body!(item.clone());
                }
            }
            _ => {
                let it = self.iter(&iterable).map_err(|e| e.at(iter.span, CaretHint::Plain))?;
                loop {
                    let Some(item) = self.next(&it)? else { break };
                    run_body!(item);
                }
            }
        }
        self.exec_block(f, orelse)
    }

    #[inline(never)]
    fn exec_try(&mut self, f: &mut Frame, body: &[Stmt], handlers: &[ExceptHandler], orelse: &[Stmt], finalbody: &[Stmt]) -> PyResult<Flow> {
        let mut result = self.exec_block(f, body);
        if let Err(err) = result {
            result = if err.is_uncatchable() || handlers.is_empty() {
                Err(err)
            } else {
                self.handle_exception(f, err, handlers)
            };
        } else if let Ok(Flow::Normal) = result {
            result = self.exec_block(f, orelse);
        }
        if finalbody.is_empty() {
            return result;
        }
        match result {
            Err(pending) if pending.is_uncatchable() => Err(pending),
            Err(pending) => {
                let pending = self.caught(pending);
                let exc_value = self.exception_value(&pending);
                self.handling.push(exc_value.clone());
                let fr = self.exec_block(f, finalbody);
                self.handling.pop();
                match fr {
                    Ok(Flow::Normal) => Err(pending),
                    Ok(other) => Ok(other),
                    Err(e) => Err(self.with_context(e, &exc_value)),
                }
            }
            Ok(flow) => match self.exec_block(f, finalbody)? {
                Flow::Normal => Ok(flow),
                other => Ok(other),
            },
        }
    }

    /// Find the `except` clause for `err` and run it.
    fn handle_exception(&mut self, f: &mut Frame, err: PyErr, handlers: &[ExceptHandler]) -> PyResult<Flow> {
        let err = self.caught(err);
        for h in handlers {
            let matches = match &h.kind {
                None => true,
                Some(kind_expr) => {
                    let kind = self.eval(f, kind_expr)?;
                    self.exception_matches(&err, &kind)?
                }
            };
            if !matches {
                continue;
            }
            let exc_value = self.exception_value(&err);
            if let Some(name) = &h.name {
                self.store(f, name, exc_value.clone());
            }
            self.handling.push(exc_value.clone());
            let r = self.exec_block(f, &h.body);
            self.handling.pop();
            if let Some(name) = &h.name {
                // CPython deletes the name at the end of the handler.
                self.unbind(f, name);
            }
            return r.map_err(|e| self.with_context(e, &exc_value));
        }
        Err(err)
    }

    /// An error arriving at a `try`: record this frame in its traceback, turn
    /// it into an exception object and decide its `__context__`.
    pub(crate) fn caught(&mut self, err: PyErr) -> PyErr {
        let mut err = self.record_frame(err);
        if let Payload::Lazy { .. } = err.0.payload {
            let inst = self.materialize(&err);
            err.0.payload = Payload::Object(inst);
        }
        if let Payload::Object(inst) = &err.0.payload {
            if let Some(exc) = &inst.exc {
                exc.borrow_mut().traceback = err.0.traceback.clone();
            }
        }
        if !err.0.context_set {
            if let Some(handled) = self.handling.last().cloned() {
                err = self.with_context(err, &handled);
            }
        }
        err
    }

    /// The exception object of an error (materialized by `caught`).
    pub(crate) fn exception_value(&mut self, err: &PyErr) -> Value {
        match &err.0.payload {
            Payload::Object(inst) => Value::Instance(inst.clone()),
            _ => Value::Instance(self.materialize(err)),
        }
    }

    /// Set `__context__` of the error to `handled` unless already decided.
    pub(crate) fn with_context(&mut self, mut err: PyErr, handled: &Value) -> PyErr {
        if err.0.context_set || err.is_uncatchable() {
            return err;
        }
        err.0.context_set = true;
        if let Payload::Lazy { .. } = err.0.payload {
            let inst = self.materialize(&err);
            err.0.payload = Payload::Object(inst);
        }
        if let (Payload::Object(inst), Value::Instance(h)) = (&err.0.payload, handled) {
            if !Rc::ptr_eq(inst, h) {
                if let Some(exc) = &inst.exc {
                    let mut exc = exc.borrow_mut();
                    if exc.context.is_none() {
                        exc.context = Some(handled.clone());
                    }
                }
            }
        }
        err
    }

    /// Turn a lazily described exception into an object.
    pub(crate) fn materialize(&mut self, err: &PyErr) -> Rc<Instance> {
        match &err.0.payload {
            Payload::Object(inst) => inst.clone(),
            Payload::Lazy { class, args } => {
                let cls = match class {
                    super::super::error::ExcClass::Builtin(k) => self.types.exc(*k).clone(),
                    super::super::error::ExcClass::Class(c) => c.clone(),
                };
                let inst = Rc::new(Instance::new(cls));
                if let Some(exc) = &inst.exc {
                    let mut exc = exc.borrow_mut();
                    exc.args = args.clone();
                    exc.suggestion = err.0.suggestion.clone();
                }
                inst
            }
            Payload::Limit(msg) | Payload::Refused(msg) => {
                let inst = Rc::new(Instance::new(self.types.exc(ExcKind::RuntimeError).clone()));
                if let Some(exc) = &inst.exc {
                    exc.borrow_mut().args = vec![Value::str(msg)];
                }
                inst
            }
        }
    }

    /// Does the exception match an `except` clause's class (or tuple of classes)?
    pub(crate) fn exception_matches(&mut self, err: &PyErr, kind: &Value) -> PyResult<bool> {
        match kind {
            Value::Tuple(t) => {
                for k in t.items.iter() {
                    if self.exception_matches(err, k)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Class(c) if c.is_exception_class() => {
                let cls = self.error_class(err);
                Ok(cls.is_subclass_of(c))
            }
            _ => Err(PyErr::type_error("catching classes that do not inherit from BaseException is not allowed")),
        }
    }

    pub(crate) fn error_class(&self, err: &PyErr) -> Rc<super::super::value::Class> {
        match &err.0.payload {
            Payload::Object(inst) => inst.class.clone(),
            Payload::Lazy { class: super::super::error::ExcClass::Builtin(k), .. } => self.types.exc(*k).clone(),
            Payload::Lazy { class: super::super::error::ExcClass::Class(c), .. } => c.clone(),
            _ => self.types.exc(ExcKind::RuntimeError).clone(),
        }
    }

    #[inline(never)]
    fn exec_raise(&mut self, f: &mut Frame, exc: Option<&Expr>, cause: Option<&Expr>) -> PyResult<PyErr> {
        let Some(exc) = exc else {
            // Bare `raise`: re-raise the exception being handled, traceback kept.
            let Some(Value::Instance(inst)) = self.handling.last().cloned() else {
                return Ok(PyErr::runtime_error("No active exception to reraise"));
            };
            let mut err = PyErr::from_instance(inst.clone());
            if let Some(e) = &inst.exc {
                err.0.traceback = e.borrow().traceback.clone();
            }
            err.0.recorded_depth = self.frames.len();
            err.0.context_set = true;
            return Ok(err);
        };
        let value = self.eval(f, exc)?;
        let inst = self.exception_instance(value)?;
        if let Some(cause) = cause {
            let c = self.eval(f, cause)?;
            let cause_value = match c {
                Value::None => None,
                other => Some(Value::Instance(self.exception_instance(other).map_err(|_| PyErr::type_error("exception causes must derive from BaseException"))?)),
            };
            if let Some(e) = &inst.exc {
                let mut e = e.borrow_mut();
                e.cause = cause_value;
                e.suppress_context = true;
            }
        }
        let mut err = PyErr::from_instance(inst.clone());
        if let Some(e) = &inst.exc {
            err.0.traceback = e.borrow().traceback.clone();
        }
        Ok(err)
    }

    /// The exception object for `raise value` (classes are instantiated).
    pub(crate) fn exception_instance(&mut self, value: Value) -> PyResult<Rc<Instance>> {
        match value {
            Value::Instance(inst) if inst.class.is_exception_class() => Ok(inst),
            Value::Class(c) if c.is_exception_class() => match self.call(&Value::Class(c), Vec::new(), Vec::new())? {
                Value::Instance(inst) if inst.class.is_exception_class() => Ok(inst),
                other => Err(PyErr::type_error(format!(
                    "calling {} should have returned an instance of BaseException, not {}",
                    self.repr(&other)?,
                    other.type_name()
                ))),
            },
            _ => Err(PyErr::type_error("exceptions must derive from BaseException")),
        }
    }

    #[inline(never)]
    fn exec_with(&mut self, f: &mut Frame, items: &[WithItem], body: &[Stmt]) -> PyResult<Flow> {
        let Some((item, rest)) = items.split_first() else {
            return self.exec_block(f, body);
        };
        let mgr = self.eval(f, &item.context)?;
        let entered = self.context_enter(&mgr).map_err(|e| e.at(item.context.span, CaretHint::Plain))?;
        let result = match &item.target {
            Some(t) => self.assign(f, t, entered).and_then(|_| self.exec_with(f, rest, body)),
            None => self.exec_with(f, rest, body),
        };
        match result {
            Err(err) if !err.is_uncatchable() => {
                let err = self.caught(err);
                let exc_value = self.exception_value(&err);
                self.handling.push(exc_value.clone());
                let suppress = self.context_exit(&mgr, Some(&exc_value));
                self.handling.pop();
                match suppress {
                    Ok(true) => Ok(Flow::Normal),
                    Ok(false) => Err(err),
                    Err(e) => Err(self.with_context(e, &exc_value)),
                }
            }
            Err(err) => Err(err),
            Ok(flow) => {
                self.context_exit(&mgr, None)?;
                Ok(flow)
            }
        }
    }

    #[inline(never)]
    fn aug_assign(&mut self, f: &mut Frame, target: &Expr, op: BinOp, value: &Expr) -> PyResult<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                let cur = self.load_name(f, n).map_err(|e| e.at(target.span, CaretHint::Plain))?;
                let v = self.eval(f, value)?;
                let new = self.inplace_op(&cur, op, &v)?;
                self.store(f, n, new);
            }
            ExprKind::Attribute { value: obj, attr } => {
                let o = self.eval(f, obj)?;
                let cur = self.getattr(&o, attr).map_err(|e| e.at(target.span, CaretHint::Plain))?;
                let v = self.eval(f, value)?;
                let new = self.inplace_op(&cur, op, &v)?;
                self.setattr(&o, attr, new)?;
            }
            ExprKind::Subscript { value: obj, index } => {
                let o = self.eval(f, obj)?;
                let i = self.eval(f, index)?;
                let cur = self.getitem(&o, &i).map_err(|e| e.at(target.span, CaretHint::Subscript { value_end: obj.span.end.col }))?;
                let v = self.eval(f, value)?;
                let new = self.inplace_op(&cur, op, &v)?;
                self.setitem(&o, &i, new)?;
            }
            _ => return Err(PyErr::new(ExcKind::SyntaxError, "illegal expression for augmented assignment")),
        }
        Ok(())
    }

    /// Assign `value` to a target expression (name, attribute, subscript, unpacking).
    #[inline(never)]
    pub(crate) fn assign(&mut self, f: &mut Frame, target: &Expr, value: Value) -> PyResult<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                self.store(f, n, value);
                Ok(())
            }
            ExprKind::Attribute { value: obj, attr } => {
                let o = self.eval(f, obj)?;
                self.setattr(&o, attr, value).map_err(|e| e.at(target.span, CaretHint::Plain))
            }
            ExprKind::Subscript { value: obj, index } => {
                let o = self.eval(f, obj)?;
                let i = self.eval(f, index)?;
                self.setitem(&o, &i, value).map_err(|e| e.at(target.span, CaretHint::Subscript { value_end: obj.span.end.col }))
            }
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                let items = self.unpack(value, elts)?;
                for (t, v) in elts.iter().zip(items) {
                    match &t.kind {
                        ExprKind::Starred(inner) => self.assign(f, inner, v)?,
                        _ => self.assign(f, t, v)?,
                    }
                }
                Ok(())
            }
            ExprKind::Starred(inner) => self.assign(f, inner, value),
            _ => Err(PyErr::new(ExcKind::SyntaxError, "cannot assign to expression")),
        }
    }

    /// Split `value` into as many parts as `targets` (one may be starred).
    fn unpack(&mut self, value: Value, targets: &[Expr]) -> PyResult<Vec<Value>> {
        let items = match &value {
            Value::Tuple(t) => t.items.to_vec(),
            Value::List(l) => l.items.borrow().clone(),
            _ => {
                if !self.is_iterable(&value) {
                    return Err(PyErr::type_error(format!("cannot unpack non-iterable {} object", value.type_name())));
                }
                self.collect(&value)?
            }
        };
        let n = targets.len();
        match targets.iter().position(|t| matches!(t.kind, ExprKind::Starred(_))) {
            None => {
                if items.len() > n {
                    return Err(PyErr::value_error(format!("too many values to unpack (expected {n})")));
                }
                if items.len() < n {
                    return Err(PyErr::value_error(format!("not enough values to unpack (expected {n}, got {})", items.len())));
                }
                Ok(items)
            }
            Some(star) => {
                let after = n - star - 1;
                if items.len() < n - 1 {
                    return Err(PyErr::value_error(format!(
                        "not enough values to unpack (expected at least {}, got {})",
                        n - 1,
                        items.len()
                    )));
                }
                let mut items = items;
                let tail = items.split_off(items.len() - after);
                let middle = items.split_off(star);
                items.push(Value::list(middle));
                items.extend(tail);
                Ok(items)
            }
        }
    }

    fn delete(&mut self, f: &mut Frame, target: &Expr) -> PyResult<()> {
        match &target.kind {
            ExprKind::Name(n) => self.delete_name(f, n),
            ExprKind::Attribute { value, attr } => {
                let o = self.eval(f, value)?;
                self.delattr(&o, attr)
            }
            ExprKind::Subscript { value, index } => {
                let o = self.eval(f, value)?;
                let i = self.eval(f, index)?;
                self.delitem(&o, &i)
            }
            ExprKind::Tuple(elts) | ExprKind::List(elts) => {
                for e in elts {
                    self.delete(f, e)?;
                }
                Ok(())
            }
            _ => Err(PyErr::new(ExcKind::SyntaxError, "cannot delete expression")),
        }
    }

    /// Record `name: annotation` in the module's or class's `__annotations__`.
    fn store_annotation(&mut self, f: &mut Frame, name: &str, annotation: Value) -> PyResult<()> {
        let existing = match &f.namespace {
            Some(ns) => ns.borrow().get("__annotations__").cloned(),
            None => f.globals.get("__annotations__"),
        };
        let dict = match existing {
            Some(d @ Value::Dict(_)) => d,
            _ => {
                let d = Value::empty_dict();
                match &f.namespace {
                    Some(ns) => ns.borrow_mut().set("__annotations__", d.clone()),
                    None => f.globals.set("__annotations__", d.clone()),
                }
                d
            }
        };
        self.setitem(&dict, &Value::str(name), annotation)
    }

    /// Create a function object for a `def` statement or `lambda`.
    #[inline(never)]
    pub(crate) fn make_function(&mut self, f: &mut Frame, def: &Rc<FunctionDef>) -> PyResult<Value> {
        let mut defaults = Vec::with_capacity(def.params.defaults.len());
        for d in &def.params.defaults {
            defaults.push(self.eval(f, d)?);
        }
        let mut kw_defaults = Vec::with_capacity(def.params.kw_defaults.len());
        for d in &def.params.kw_defaults {
            kw_defaults.push(match d {
                Some(e) => Some(self.eval(f, e)?),
                None => None,
            });
        }
        let mut dict = super::super::value::AttrMap::new();
        if !def.is_lambda {
            let mut annotations = Vec::new();
            for p in def.params.all() {
                if let Some(a) = &p.annotation {
                    annotations.push((p.name.clone(), self.eval(f, a)?));
                }
            }
            if let Some(r) = &def.returns {
                annotations.push((Rc::from("return"), self.eval(f, r)?));
            }
            if !annotations.is_empty() {
                let d = Value::empty_dict();
                for (k, v) in annotations {
                    self.setitem(&d, &Value::str(&k), v)?;
                }
                dict.set("__annotations__", d);
            }
        }
        let closure = f.captured_cells(&def.scope).collect();
        Ok(Value::Function(Rc::new(Function {
            def: def.clone(),
            globals: f.globals.clone(),
            defaults,
            kw_defaults,
            closure,
            dict: RefCell::new(dict),
        })))
    }
}

/// The part of a statement to point at when it fails outside any expression.
fn statement_anchor(s: &Stmt) -> Span {
    match &s.kind {
        StmtKind::If { test, .. } | StmtKind::While { test, .. } | StmtKind::Assert { test, .. } => test.span,
        StmtKind::For { iter, .. } => iter.span,
        StmtKind::With { items, .. } => items.first().map_or(s.span, |i| i.context.span),
        StmtKind::Try { .. } | StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => Span::new(s.span.start, s.span.start),
        _ => s.span,
    }
}

impl Interpreter {
    /// `with mgr:` entry: `mgr.__enter__()`.
    pub(crate) fn context_enter(&mut self, mgr: &Value) -> PyResult<Value> {
        let unsupported = || PyErr::type_error(format!("'{}' object does not support the context manager protocol", mgr.type_name()));
        match mgr {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                if cls.lookup("__exit__").is_none() {
                    return Err(unsupported());
                }
                self.call_special(mgr, &cls, "__enter__", Vec::new())?.ok_or_else(unsupported)
            }
            Value::Native(n) => {
                let n = n.clone();
                n.enter(self, mgr)?.ok_or_else(unsupported)
            }
            _ => Err(unsupported()),
        }
    }

    /// `with` exit: `mgr.__exit__(type, value, traceback)`; true suppresses.
    pub(crate) fn context_exit(&mut self, mgr: &Value, exception: Option<&Value>) -> PyResult<bool> {
        match mgr {
            Value::Instance(inst) => {
                let cls = inst.class.clone();
                let args = match exception {
                    Some(e) => {
                        let t = Value::Class(self.class_of(e));
                        vec![t, e.clone(), Value::None]
                    }
                    None => vec![Value::None, Value::None, Value::None],
                };
                let r = self.call_special(mgr, &cls, "__exit__", args)?.unwrap_or(Value::None);
                self.truthy(&r)
            }
            Value::Native(n) => {
                let n = n.clone();
                n.exit(self, mgr, exception)
            }
            _ => Ok(false),
        }
    }
}

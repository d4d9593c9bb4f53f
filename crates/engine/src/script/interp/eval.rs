//! Expressions.

use std::rc::Rc;

use super::super::ast::*;
use super::super::error::{CaretHint, ExcKind, PyErr, PyResult};
use super::super::native::CallArgs;
use super::super::value::{PySlice, Value};
use super::{Frame, FrameKind, Interpreter};

impl Interpreter {
    /// Evaluate an expression. Kept small: it recurses once per nesting level
    /// of the program (and per Python call), so each kind of expression is
    /// evaluated by its own function and only that function's locals are on
    /// the stack.
    #[inline]
    pub(crate) fn eval(&mut self, f: &mut Frame, e: &Expr) -> PyResult<Value> {
        match &e.kind {
            ExprKind::Constant(v) => Ok(v.clone()),
            ExprKind::Name(n) => self.load_name(f, n).map_err(|err| err.at(e.span, CaretHint::Plain)),
            _ => {
                self.enter_nesting()?;
                let r = self.eval_compound(f, e);
                self.nesting -= 1;
                r
            }
        }
    }

    /// Expressions that evaluate sub-expressions (counted as nesting).
    fn eval_compound(&mut self, f: &mut Frame, e: &Expr) -> PyResult<Value> {
        match &e.kind {
            ExprKind::Constant(v) => Ok(v.clone()),
            ExprKind::Name(n) => self.load_name(f, n).map_err(|err| err.at(e.span, CaretHint::Plain)),
            ExprKind::Attribute { value, attr } => self.eval_attribute(f, e, value, attr),
            ExprKind::Call { func, args, keywords } => self.eval_call(f, e, func, args, keywords),
            ExprKind::BinOp { left, op, right } => self.eval_binop(f, e, left, *op, right),
            ExprKind::Subscript { value, index } => self.eval_subscript(f, e, value, index),
            ExprKind::Compare { left, ops } => self.eval_compare(f, e, left, ops),
            ExprKind::BoolOp { op, values } => self.eval_boolop(f, *op, values),
            ExprKind::UnaryOp { op, operand } => self.eval_unary(f, e, *op, operand),
            ExprKind::IfExp { test, body, orelse } => {
                let t = self.eval(f, test)?;
                if self.truthy(&t)? {
                    self.eval(f, body)
                } else {
                    self.eval(f, orelse)
                }
            }
            ExprKind::FString(parts) => {
                let mut out = String::new();
                self.eval_fstring(f, parts, &mut out)?;
                Ok(Value::string(out))
            }
            ExprKind::Tuple(elts) => self.eval_elements(f, elts).map(Value::tuple),
            ExprKind::List(elts) => self.eval_elements(f, elts).map(Value::list),
            ExprKind::Set(elts) => self.eval_set_display(f, elts),
            ExprKind::Dict(items) => self.eval_dict_display(f, items),
            ExprKind::Starred(_) => Err(PyErr::new(ExcKind::SyntaxError, "can't use starred expression here")),
            ExprKind::Slice { lower, upper, step } => self.eval_slice(f, lower, upper, step),
            ExprKind::Lambda(def) => self.make_function(f, def),
            ExprKind::Comprehension(comp) => self.eval_comprehension_expr(f, e, comp),
        }
    }

    #[inline(never)]
    fn eval_attribute(&mut self, f: &mut Frame, e: &Expr, value: &Expr, attr: &str) -> PyResult<Value> {
        let obj = self.eval(f, value)?;
        self.getattr(&obj, attr).map_err(|err| err.at(e.span, CaretHint::Plain))
    }

    #[inline(never)]
    fn eval_binop(&mut self, f: &mut Frame, e: &Expr, left: &Expr, op: BinOp, right: &Expr) -> PyResult<Value> {
        if self.guard.exceeded() {
            return Err(PyErr::new(ExcKind::RecursionError, "maximum recursion depth exceeded"));
        }
        let l = self.eval(f, left)?;
        let r = self.eval(f, right)?;
        self.binary_op(&l, op, &r).map_err(|err| err.at(e.span, CaretHint::BinOp { left_end: left.span.end.col }))
    }

    #[inline(never)]
    fn eval_subscript(&mut self, f: &mut Frame, e: &Expr, value: &Expr, index: &Expr) -> PyResult<Value> {
        let obj = self.eval(f, value)?;
        let idx = self.eval(f, index)?;
        self.getitem(&obj, &idx).map_err(|err| err.at(e.span, CaretHint::Subscript { value_end: value.span.end.col }))
    }

    #[inline(never)]
    fn eval_boolop(&mut self, f: &mut Frame, op: BoolOp, values: &[Expr]) -> PyResult<Value> {
        let mut last = Value::None;
        for (i, v) in values.iter().enumerate() {
            last = self.eval(f, v)?;
            if i + 1 == values.len() {
                break;
            }
            let t = self.truthy(&last)?;
            match op {
                BoolOp::And if !t => return Ok(last),
                BoolOp::Or if t => return Ok(last),
                _ => {}
            }
        }
        Ok(last)
    }

    #[inline(never)]
    fn eval_unary(&mut self, f: &mut Frame, e: &Expr, op: UnaryOp, operand: &Expr) -> PyResult<Value> {
        let v = self.eval(f, operand)?;
        match op {
            UnaryOp::Not => Ok(Value::Bool(!self.truthy(&v)?)),
            _ => self.unary_op(op, &v).map_err(|err| err.at(e.span, CaretHint::Plain)),
        }
    }

    #[inline(never)]
    fn eval_set_display(&mut self, f: &mut Frame, elts: &[Expr]) -> PyResult<Value> {
        let items = self.eval_elements(f, elts)?;
        let set = self.new_set(false);
        if elts.len() > 2 && elts.iter().all(|x| matches!(x.kind, ExprKind::Constant(_))) {
            // CPython folds constant displays into a frozenset that is
            // merged into the new set, which decides the element order.
            let folded = self.new_set(true);
            for item in items {
                self.set_add(&folded, item)?;
            }
            self.set_update(&set, &Value::Set(folded))?;
        } else {
            for item in items {
                self.set_add(&set, item)?;
            }
        }
        Ok(Value::Set(set))
    }

    #[inline(never)]
    fn eval_dict_display(&mut self, f: &mut Frame, items: &[DictItem]) -> PyResult<Value> {
        let d = Value::empty_dict();
        for item in items {
            match item {
                DictItem::Pair(k, v) => {
                    let key = self.eval(f, k)?;
                    let value = self.eval(f, v)?;
                    self.setitem(&d, &key, value).map_err(|err| err.at(k.span, CaretHint::Plain))?;
                }
                DictItem::Unpack(m) => {
                    let mapping = self.eval(f, m)?;
                    for (k, v) in self.mapping_items(&mapping).map_err(|err| err.at(m.span, CaretHint::Plain))? {
                        self.setitem(&d, &k, v)?;
                    }
                }
            }
        }
        Ok(d)
    }

    #[inline(never)]
    fn eval_slice(&mut self, f: &mut Frame, lower: &Option<Box<Expr>>, upper: &Option<Box<Expr>>, step: &Option<Box<Expr>>) -> PyResult<Value> {
        let mut part = |p: &Option<Box<Expr>>| -> PyResult<Value> {
            match p {
                Some(x) => self.eval(f, x),
                None => Ok(Value::None),
            }
        };
        let start = part(lower)?;
        let stop = part(upper)?;
        let step = part(step)?;
        Ok(Value::Slice(Rc::new(PySlice { start, stop, step })))
    }

    #[inline(never)]
    fn eval_comprehension_expr(&mut self, f: &mut Frame, e: &Expr, comp: &Rc<Comprehension>) -> PyResult<Value> {
        if comp.kind == CompKind::Generator {
            let Some(first) = comp.generators.first() else { return Ok(Value::None) };
            let iterable = self.eval(f, &first.iter)?;
            let outer = self.iter(&iterable).map_err(|err| err.at(first.iter.span, CaretHint::Plain))?;
            return Ok(self.make_generator(f, comp, outer));
        }
        self.eval_comprehension(f, comp).map_err(|err| err.at(e.span, CaretHint::Plain))
    }

    /// Elements of a display, expanding `*iterable`.
    #[inline(never)]
    fn eval_elements(&mut self, f: &mut Frame, elts: &[Expr]) -> PyResult<Vec<Value>> {
        let mut out = Vec::with_capacity(elts.len());
        for e in elts {
            if let ExprKind::Starred(inner) = &e.kind {
                let v = self.eval(f, inner)?;
                out.extend(self.collect(&v).map_err(|err| err.at(inner.span, CaretHint::Plain))?);
            } else {
                out.push(self.eval(f, e)?);
            }
        }
        Ok(out)
    }

    #[inline(never)]
    fn eval_compare(&mut self, f: &mut Frame, e: &Expr, left: &Expr, ops: &[(CmpOp, Expr)]) -> PyResult<Value> {
        let mut l = self.eval(f, left)?;
        let mut result = Value::Bool(true);
        for (i, (op, right)) in ops.iter().enumerate() {
            let r = self.eval(f, right)?;
            result = self.compare(&l, *op, &r).map_err(|err| err.at(e.span, CaretHint::Plain))?;
            if i + 1 < ops.len() {
                if !self.truthy(&result)? {
                    return Ok(result);
                }
                l = r;
            }
        }
        Ok(result)
    }

    #[inline(never)]
    fn eval_call(&mut self, f: &mut Frame, e: &Expr, func: &Expr, args: &[Expr], keywords: &[Keyword]) -> PyResult<Value> {
        let at = |err: PyErr| err.at(e.span, CaretHint::Plain);
        match &func.kind {
            // `obj.method(...)`: avoid allocating a bound method.
            ExprKind::Attribute { value, attr } => {
                let obj = self.eval(f, value)?;
                let target = self.method_target(&obj, attr).map_err(|err| err.at(func.span, CaretHint::Plain))?;
                let call_args = self.eval_args(f, args, keywords, || target.callee())?;
                self.set_line(e.span.start.line);
                self.call_method_target(target, call_args).map_err(at)
            }
            // Builtins that read the calling frame: `super()`, `locals()`...
            ExprKind::Name(n) if args.is_empty() && keywords.is_empty() && matches!(&*n.id, "super" | "globals" | "locals" | "vars" | "dir") => {
                let callee = self.load_name(f, n).map_err(at)?;
                if let Value::NativeFunction(nf) = &callee {
                    if nf.module.is_none() && *nf.name == *n.id {
                        return self.frame_builtin(f, &n.id).map_err(at);
                    }
                }
                self.call(&callee, Vec::new(), Vec::new()).map_err(at)
            }
            _ => {
                let callee = self.eval(f, func)?;
                let call_args = self.eval_args(f, args, keywords, || callee.clone())?;
                self.set_line(e.span.start.line);
                self.call_args(&callee, call_args).map_err(at)
            }
        }
    }

    /// Evaluate call arguments, expanding `*args` and `**kwargs`.
    /// `callee` names the function in error messages.
    #[inline(never)]
    pub(crate) fn eval_args(&mut self, f: &mut Frame, args: &[Expr], keywords: &[Keyword], callee: impl Fn() -> Value) -> PyResult<CallArgs> {
        let mut pos = Vec::with_capacity(args.len());
        for a in args {
            if let ExprKind::Starred(inner) = &a.kind {
                let v = self.eval(f, inner)?;
                if !self.is_iterable(&v) {
                    let name = self.function_str(&callee());
                    return Err(PyErr::type_error(format!("{name} argument after * must be an iterable, not {}", v.type_name())));
                }
                pos.extend(self.collect(&v)?);
            } else {
                pos.push(self.eval(f, a)?);
            }
        }
        let mut kw: Vec<(Rc<str>, Value)> = Vec::with_capacity(keywords.len());
        for k in keywords {
            match &k.name {
                Some(name) => {
                    let v = self.eval(f, &k.value)?;
                    kw.push((name.clone(), v));
                }
                None => {
                    let m = self.eval(f, &k.value)?;
                    if !self.is_mapping(&m) {
                        let name = self.function_str(&callee());
                        return Err(PyErr::type_error(format!("{name} argument after ** must be a mapping, not {}", m.type_name())));
                    }
                    for (key, v) in self.mapping_items(&m)? {
                        let Value::Str(s) = &key else {
                            return Err(PyErr::type_error("keywords must be strings"));
                        };
                        if kw.iter().any(|(n, _)| &**n == s.as_str()) {
                            let name = self.function_str(&callee());
                            return Err(PyErr::type_error(format!("{name} got multiple values for keyword argument '{}'", s.as_str())));
                        }
                        kw.push((Rc::from(s.as_str()), v));
                    }
                }
            }
        }
        Ok(CallArgs { args: pos, kwargs: kw })
    }

    #[inline(never)]
    fn eval_fstring(&mut self, f: &mut Frame, parts: &[FStringPart], out: &mut String) -> PyResult<()> {
        for part in parts {
            match part {
                FStringPart::Literal(s) => out.push_str(s),
                FStringPart::Field(field) => {
                    let v = self.eval(f, &field.value)?;
                    let v = match field.conversion {
                        Some('r') => Value::string(self.repr(&v)?),
                        Some('s') => Value::string(self.str(&v)?),
                        Some('a') => Value::string(super::super::format::ascii_escape(&self.repr(&v)?)),
                        _ => v,
                    };
                    let spec = match &field.spec {
                        Some(spec_parts) => {
                            let mut s = String::new();
                            self.eval_fstring(f, spec_parts, &mut s)?;
                            s
                        }
                        None => String::new(),
                    };
                    let text = self.format_value(&v, &spec).map_err(|err| err.at(field.value.span, CaretHint::Plain))?;
                    out.push_str(&text);
                }
            }
        }
        Ok(())
    }

    // ----- names -----

    pub(crate) fn load_name(&mut self, f: &Frame, n: &Name) -> PyResult<Value> {
        match n.slot {
            Slot::Local(i) => match f.locals.get(i as usize) {
                Some(Some(v)) => Ok(v.clone()),
                _ => Err(PyErr::new(
                    ExcKind::UnboundLocalError,
                    format!("cannot access local variable '{}' where it is not associated with a value", n.id),
                )),
            },
            Slot::Cell(i) => match f.cells.get(i as usize).and_then(|c| c.borrow().clone()) {
                Some(v) => Ok(v),
                None => Err(self.unbound_cell_error(f, i, &n.id)),
            },
            Slot::Global | Slot::Unresolved => self.load_global(&f.globals, &n.id).map_err(|e| self.name_suggestion(e, f, &n.id)),
            Slot::ClassLocal => {
                if let Some(ns) = &f.namespace {
                    if let Some(v) = ns.borrow().get(&n.id) {
                        return Ok(v.clone());
                    }
                }
                self.load_global(&f.globals, &n.id).map_err(|e| self.name_suggestion(e, f, &n.id))
            }
            Slot::ClassCell(i) => {
                if let Some(ns) = &f.namespace {
                    if let Some(v) = ns.borrow().get(&n.id) {
                        return Ok(v.clone());
                    }
                }
                match f.cells.get(i as usize).and_then(|c| c.borrow().clone()) {
                    Some(v) => Ok(v),
                    None => Err(self.unbound_cell_error(f, i, &n.id)),
                }
            }
        }
    }

    /// Attach "Did you mean" for a name that is not defined: the closest of
    /// the frame's bound locals, the globals and the builtins.
    #[inline(never)]
    fn name_suggestion(&self, err: PyErr, f: &Frame, name: &str) -> PyErr {
        if !err.is(ExcKind::NameError) {
            return err;
        }
        let mut candidates: Vec<Rc<str>> = Vec::new();
        if let Some(scope) = &f.scope {
            for (i, local) in scope.local_names.iter().enumerate() {
                if f.locals.get(i).is_some_and(|v| v.is_some()) {
                    candidates.push(local.clone());
                }
            }
            for (i, cell) in scope.cell_names.iter().enumerate() {
                if f.cells.get(i).is_some_and(|c| c.borrow().is_some()) {
                    candidates.push(cell.clone());
                }
            }
        }
        if let Some(ns) = &f.namespace {
            candidates.extend(ns.borrow().keys().cloned());
        }
        candidates.extend(f.globals.globals.borrow().keys().cloned());
        candidates.extend(self.builtins.globals.borrow().keys().cloned());
        let s = super::suggest::suggestion(name, candidates.iter().map(|c| &**c));
        err.with_suggestion(s)
    }

    fn unbound_cell_error(&self, f: &Frame, i: u32, name: &str) -> PyErr {
        let own = f.scope.as_ref().map_or(0, |s| s.n_own_cells);
        if i < own {
            PyErr::new(ExcKind::UnboundLocalError, format!("cannot access local variable '{name}' where it is not associated with a value"))
        } else {
            PyErr::new(ExcKind::NameError, format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"))
        }
    }

    pub(crate) fn load_global(&mut self, globals: &Rc<super::super::value::Module>, name: &str) -> PyResult<Value> {
        if let Some(v) = globals.globals.borrow().get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = self.builtins.globals.borrow().get(name) {
            return Ok(v.clone());
        }
        Err(PyErr::new(ExcKind::NameError, format!("name '{name}' is not defined")))
    }

    pub(crate) fn store(&mut self, f: &mut Frame, n: &Name, value: Value) {
        match n.slot {
            Slot::Local(i) => {
                if let Some(slot) = f.locals.get_mut(i as usize) {
                    *slot = Some(value);
                }
            }
            Slot::Cell(i) => {
                if let Some(c) = f.cells.get(i as usize) {
                    *c.borrow_mut() = Some(value);
                }
            }
            Slot::Global | Slot::Unresolved => f.globals.globals.borrow_mut().set(&n.id, value),
            Slot::ClassLocal | Slot::ClassCell(_) => match &f.namespace {
                Some(ns) => ns.borrow_mut().set(&n.id, value),
                None => f.globals.globals.borrow_mut().set(&n.id, value),
            },
        }
    }

    /// Remove a binding without complaint (end of an `except ... as name:`).
    pub(crate) fn unbind(&mut self, f: &mut Frame, n: &Name) {
        match n.slot {
            Slot::Local(i) => {
                if let Some(slot) = f.locals.get_mut(i as usize) {
                    *slot = None;
                }
            }
            Slot::Cell(i) => {
                if let Some(c) = f.cells.get(i as usize) {
                    *c.borrow_mut() = None;
                }
            }
            Slot::Global | Slot::Unresolved => {
                f.globals.globals.borrow_mut().remove(&n.id);
            }
            Slot::ClassLocal | Slot::ClassCell(_) => match &f.namespace {
                Some(ns) => {
                    ns.borrow_mut().remove(&n.id);
                }
                None => {
                    f.globals.globals.borrow_mut().remove(&n.id);
                }
            },
        }
    }

    /// `del name`.
    pub(crate) fn delete_name(&mut self, f: &mut Frame, n: &Name) -> PyResult<()> {
        let present = match n.slot {
            Slot::Local(i) => f.locals.get(i as usize).is_some_and(|v| v.is_some()),
            Slot::Cell(i) => f.cells.get(i as usize).is_some_and(|c| c.borrow().is_some()),
            Slot::Global | Slot::Unresolved => f.globals.globals.borrow().contains(&n.id),
            Slot::ClassLocal | Slot::ClassCell(_) => match &f.namespace {
                Some(ns) => ns.borrow().contains(&n.id),
                None => f.globals.globals.borrow().contains(&n.id),
            },
        };
        if !present {
            return Err(match n.slot {
                Slot::Local(_) | Slot::Cell(_) => PyErr::new(
                    ExcKind::UnboundLocalError,
                    format!("cannot access local variable '{}' where it is not associated with a value", n.id),
                ),
                _ => PyErr::new(ExcKind::NameError, format!("name '{}' is not defined", n.id)),
            });
        }
        self.unbind(f, n);
        Ok(())
    }

    // ----- comprehensions -----

    fn eval_comprehension(&mut self, f: &mut Frame, comp: &Comprehension) -> PyResult<Value> {
        let Some(first) = comp.generators.first() else { return Ok(Value::list(Vec::new())) };
        let outer_iterable = self.eval(f, &first.iter)?;
        let outer = self.iter(&outer_iterable).map_err(|e| e.at(first.iter.span, CaretHint::Plain))?;
        self.enter_call()?;
        let mut frame = f.nested(FrameKind::Function, comp.scope.clone(), None);
        let (file, line) = self.caller_position();
        self.frames.push(super::FrameInfo { file, name: Rc::from(comp.kind.frame_name()), line });
        let mut acc = CompAcc::new(self, comp.kind);
        let r = self.comp_level(&mut frame, comp, 0, outer, &mut acc);
        let r = match r {
            Ok(()) => Ok(acc.finish()),
            Err(e) => Err(self.record_frame(e)),
        };
        self.frames.pop();
        r
    }

    fn comp_level(&mut self, f: &mut Frame, comp: &Comprehension, level: usize, it: Value, acc: &mut CompAcc) -> PyResult<()> {
        let Some(g) = comp.generators.get(level) else { return Ok(()) };
        'items: while let Some(item) = self.next(&it)? {
            self.tick()?;
            self.assign(f, &g.target, item)?;
            for cond in &g.ifs {
                let c = self.eval(f, cond)?;
                if !self.truthy(&c)? {
                    continue 'items;
                }
            }
            if level + 1 < comp.generators.len() {
                let inner = &comp.generators[level + 1];
                let iterable = self.eval(f, &inner.iter)?;
                let inner_it = self.iter(&iterable).map_err(|e| e.at(inner.iter.span, CaretHint::Plain))?;
                self.comp_level(f, comp, level + 1, inner_it, acc)?;
            } else {
                let elt = self.eval(f, &comp.elt)?;
                match &comp.value {
                    Some(v) => {
                        let value = self.eval(f, v)?;
                        acc.push_pair(self, elt, value)?;
                    }
                    None => acc.push(self, elt)?,
                }
            }
        }
        Ok(())
    }

    /// The zero-argument forms of `super`, `globals`, `locals`, `vars`, `dir`.
    #[inline(never)]
    fn frame_builtin(&mut self, f: &Frame, name: &str) -> PyResult<Value> {
        if name == "super" {
            return self.zero_arg_super(f);
        }
        if name == "globals" || f.kind == FrameKind::Module {
            let g = super::instance_dict::InstanceDict::of_module(f.globals.clone());
            return Ok(if name == "dir" { self.sorted_keys(&g)? } else { g });
        }
        // Function or class body: a snapshot of the bound local names.
        let mut pairs: Vec<(Rc<str>, Value)> = Vec::new();
        if let Some(ns) = &f.namespace {
            pairs.extend(ns.borrow().iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(scope) = &f.scope {
            for (i, local) in scope.local_names.iter().enumerate() {
                if let Some(Some(v)) = f.locals.get(i) {
                    pairs.push((local.clone(), v.clone()));
                }
            }
            for (i, cell) in scope.cell_names.iter().enumerate() {
                if let Some(v) = f.cells.get(i).and_then(|c| c.borrow().clone()) {
                    pairs.push((cell.clone(), v));
                }
            }
        }
        let d = Value::dict_from_str_pairs(pairs.iter().map(|(k, v)| (&**k, v.clone())));
        Ok(if name == "dir" { self.sorted_keys(&d)? } else { d })
    }

    fn sorted_keys(&mut self, mapping: &Value) -> PyResult<Value> {
        let mut names: Vec<String> = self.collect(mapping)?.iter().filter_map(|k| k.as_str().map(str::to_string)).collect();
        names.sort();
        Ok(Value::list(names.into_iter().map(Value::string).collect()))
    }

    /// `super()` inside a method: the `__class__` cell and the first argument.
    #[inline(never)]
    fn zero_arg_super(&mut self, f: &Frame) -> PyResult<Value> {
        let Some(scope) = &f.scope else {
            return Err(PyErr::runtime_error("super(): no arguments"));
        };
        if scope.local_names.is_empty() {
            return Err(PyErr::runtime_error("super(): no arguments"));
        }
        let Some(cell) = scope.class_cell else {
            return Err(PyErr::runtime_error("super(): __class__ cell not found"));
        };
        let class = f.cells.get(cell as usize).and_then(|c| c.borrow().clone());
        let Some(Value::Class(class)) = class else {
            return Err(PyErr::runtime_error("super(): empty __class__ cell"));
        };
        let first = match scope.cell_params.iter().find(|(p, _)| *p == 0) {
            Some((_, c)) => f.cells.get(*c as usize).and_then(|c| c.borrow().clone()),
            None => f.locals.first().cloned().flatten(),
        };
        let Some(obj) = first else {
            return Err(PyErr::runtime_error("super(): arg[0] deleted"));
        };
        self.make_super(class, obj)
    }
}

/// Accumulates a comprehension's results.
enum CompAcc {
    List(Vec<Value>),
    Set(Rc<super::super::value::PySet>),
    Dict(Value),
}

impl CompAcc {
    fn new(interp: &mut Interpreter, kind: CompKind) -> CompAcc {
        match kind {
            CompKind::List | CompKind::Generator => CompAcc::List(Vec::new()),
            CompKind::Set => CompAcc::Set(interp.new_set(false)),
            CompKind::Dict => CompAcc::Dict(Value::empty_dict()),
        }
    }

    fn push(&mut self, interp: &mut Interpreter, v: Value) -> PyResult<()> {
        match self {
            CompAcc::List(items) => {
                if items.len() >= interp.limits.max_alloc_bytes / std::mem::size_of::<Value>() {
                    return Err(PyErr::memory_error());
                }
                items.push(v);
                Ok(())
            }
            CompAcc::Set(s) => interp.set_add(s, v),
            CompAcc::Dict(_) => Ok(()),
        }
    }

    fn push_pair(&mut self, interp: &mut Interpreter, k: Value, v: Value) -> PyResult<()> {
        match self {
            CompAcc::Dict(d) => interp.setitem(d, &k, v),
            _ => Ok(()),
        }
    }

    fn finish(self) -> Value {
        match self {
            CompAcc::List(items) => Value::list(items),
            CompAcc::Set(s) => Value::Set(s),
            CompAcc::Dict(d) => d,
        }
    }
}

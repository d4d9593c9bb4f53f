//! Generator expressions, evaluated lazily as CPython does: each `next()`
//! resumes the comprehension's loops in its own frame (`<genexpr>`), so
//! `any(f(x) for x in xs)` stops early and errors appear inside the consumer.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::ast::Comprehension;
use super::super::error::{CaretHint, PyErr, PyResult};
use super::super::value::{IterState, PyIterator, Value};
use super::{Frame, FrameInfo, FrameKind, Interpreter};

/// A suspended generator expression.
pub(crate) struct GeneratorState {
    comp: Rc<Comprehension>,
    frame: Frame,
    /// One iterator per active `for` clause, outermost first.
    iters: Vec<Value>,
    file: Rc<str>,
}

impl Interpreter {
    /// A generator over `comp`, whose first iterable (`outer`, already an
    /// iterator) was evaluated in the enclosing frame `f`.
    pub(crate) fn make_generator(&mut self, f: &Frame, comp: &Rc<Comprehension>, outer: Value) -> Value {
        let frame = f.nested(FrameKind::Function, comp.scope.clone(), None);
        let (file, _) = self.caller_position();
        let state = GeneratorState { comp: comp.clone(), frame, iters: vec![outer], file };
        Value::Iterator(Rc::new(PyIterator { state: RefCell::new(IterState::Generator(Box::new(state))), type_name: "generator" }))
    }

    /// Resume a generator until it produces a value or finishes.
    pub(crate) fn generator_next(&mut self, g: &mut GeneratorState) -> PyResult<Option<Value>> {
        self.enter_call()?;
        let line = g.comp.elt.span.start.line;
        self.frames.push(FrameInfo { file: g.file.clone(), name: Rc::from("<genexpr>"), line });
        let r = self.generator_step(g);
        let r = r.map_err(|e| self.record_frame(e));
        self.frames.pop();
        r
    }

    fn generator_step(&mut self, g: &mut GeneratorState) -> PyResult<Option<Value>> {
        let comp = g.comp.clone();
        'outer: loop {
            let level = match g.iters.len() {
                0 => return Ok(None),
                n => n - 1,
            };
            let it = g.iters[level].clone();
            let Some(item) = self.next(&it)? else {
                g.iters.pop();
                continue;
            };
            self.tick()?;
            let clause = &comp.generators[level];
            self.assign(&mut g.frame, &clause.target, item)?;
            for cond in &clause.ifs {
                let c = self.eval(&mut g.frame, cond)?;
                if !self.truthy(&c)? {
                    continue 'outer;
                }
            }
            if let Some(inner) = comp.generators.get(level + 1) {
                let iterable = self.eval(&mut g.frame, &inner.iter)?;
                let inner_it = self.iter(&iterable).map_err(|e| e.at(inner.iter.span, CaretHint::Plain))?;
                g.iters.push(inner_it);
                continue;
            }
            self.set_line(comp.elt.span.start.line);
            return self.eval(&mut g.frame, &comp.elt).map(Some);
        }
    }
}

/// The error for a generator resumed while it is already running.
pub(crate) fn already_executing() -> PyErr {
    PyErr::value_error("generator already executing")
}

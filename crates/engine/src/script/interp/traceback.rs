//! Turning an uncaught error into a [`ScriptError`]: the exception chain
//! (`__cause__` / `__context__`), each frame with its source line for script
//! files, and CPython 3.11's caret markers under the failing expression.

use std::rc::Rc;

use super::super::error::{CaretHint, ChainLink, ExceptionReport, FrameReport, Payload, PyErr, ScriptError, ScriptErrorKind, TbEntry};
use super::super::syntax_error::SyntaxErrorInfo;
use super::super::value::{Instance, Value};
use super::Interpreter;

impl Interpreter {
    /// The report for an error that ended a run.
    pub fn error_report(&mut self, err: PyErr) -> ScriptError {
        let frames = self.frame_reports(&err.0.traceback);
        match &err.0.payload {
            Payload::Limit(msg) => {
                return ScriptError {
                    kind: ScriptErrorKind::LimitExceeded,
                    chain: vec![ExceptionReport { type_name: "ExecutionLimitExceeded".into(), message: msg.clone(), frames, link: None, suggestion: None, syntax: None }],
                }
            }
            Payload::Refused(msg) => {
                return ScriptError {
                    kind: ScriptErrorKind::PreviewRefused,
                    chain: vec![ExceptionReport { type_name: "PreviewRefused".into(), message: msg.clone(), frames, link: None, suggestion: None, syntax: None }],
                }
            }
            _ => {}
        }
        let last = self.materialize(&err);
        if let Some(exc) = &last.exc {
            if exc.borrow().suggestion.is_none() {
                exc.borrow_mut().suggestion = err.0.suggestion.clone();
            }
        }
        // Walk back through causes and contexts (guarding against cycles).
        let mut chain: Vec<(Rc<Instance>, Option<ChainLink>)> = Vec::new();
        let mut cur = Some(last.clone());
        while let Some(inst) = cur.take() {
            if chain.iter().any(|(i, _)| Rc::ptr_eq(i, &inst)) || chain.len() > 100 {
                break;
            }
            let (next, link) = match &inst.exc {
                Some(e) => {
                    let e = e.borrow();
                    match (&e.cause, &e.context) {
                        (Some(Value::Instance(c)), _) => (Some(c.clone()), Some(ChainLink::Cause)),
                        (_, Some(Value::Instance(c))) if !e.suppress_context => (Some(c.clone()), Some(ChainLink::Context)),
                        _ => (None, None),
                    }
                }
                None => (None, None),
            };
            chain.push((inst, link));
            cur = next;
        }
        // `chain` is newest first; each entry's link says how it relates to the
        // next (older) one. Reports are oldest first.
        let n = chain.len();
        let mut reports = Vec::with_capacity(n);
        for (j, (inst, _)) in chain.iter().enumerate().rev() {
            let frames = if j == 0 {
                frames.clone()
            } else {
                let tb = inst.exc.as_ref().map(|e| e.borrow().traceback.clone()).unwrap_or_default();
                self.frame_reports(&tb)
            };
            reports.push(self.exception_report(inst, frames));
        }
        for (i, report) in reports.iter_mut().enumerate().skip(1) {
            report.link = chain[n - 1 - i].1;
        }
        ScriptError { kind: ScriptErrorKind::Exception, chain: reports }
    }

    fn exception_report(&mut self, inst: &Rc<Instance>, frames: Vec<FrameReport>) -> ExceptionReport {
        let cls = inst.class.clone();
        let type_name = if matches!(&*cls.module, "builtins" | "__main__") { cls.qualname.to_string() } else { format!("{}.{}", cls.module, cls.qualname) };
        let value = Value::Instance(inst.clone());
        let message = match self.str(&value) {
            Ok(s) => s,
            Err(_) => "<exception str() failed>".to_string(),
        };
        let suggestion = inst.exc.as_ref().and_then(|e| e.borrow().suggestion.as_deref().map(str::to_string));
        ExceptionReport { type_name, message, frames, link: None, suggestion, syntax: None }
    }

    /// Frames of a traceback, outermost first, with source lines and carets.
    fn frame_reports(&self, tb: &[TbEntry]) -> Vec<FrameReport> {
        tb.iter()
            .rev()
            .map(|e| {
                let original = self.source_line(&e.file, e.line);
                let source = original.as_ref().map(|l| l.trim().to_string());
                let carets = original.as_ref().and_then(|l| carets(l, e));
                FrameReport { file: e.file.to_string(), line: e.line, function: e.function.to_string(), source, carets }
            })
            .collect()
    }

    /// A syntax error as a report; script files get their source line shown.
    pub(crate) fn syntax_report(&self, mut info: SyntaxErrorInfo) -> ScriptError {
        if info.text.is_none() {
            info.text = self.source_line(&info.file, info.line);
        }
        ScriptError::from_syntax(info)
    }
}

/// The marker line under a frame's source line, as CPython 3.11 draws it.
fn carets(line: &str, e: &TbEntry) -> Option<String> {
    let span = e.span?;
    if span.start.line != e.line {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let stripped_line = line.trim();
    let stripped_chars = chars.iter().take_while(|c| c.is_whitespace()).count();
    let start = span.start.col as usize;
    let mut end = if span.end.line == span.start.line { span.end.col as usize } else { line.trim_end().chars().count() };
    end = end.min(chars.len());
    if start >= end {
        return None;
    }
    let segment: Vec<char> = chars[start..end].to_vec();
    let anchors = if span.end.line == span.start.line { anchors(&segment, start, e.caret) } else { None };
    let covers_line = end - start >= stripped_line.chars().count();
    let has_anchor = anchors.is_some_and(|(l, r)| r > l);
    if covers_line && !has_anchor {
        return None;
    }
    let mut out = String::new();
    out.extend(std::iter::repeat_n(' ', start.saturating_sub(stripped_chars)));
    match anchors {
        Some((left, right)) => {
            out.extend(std::iter::repeat_n('~', left));
            out.extend(std::iter::repeat_n('^', right - left));
            out.extend(std::iter::repeat_n('~', segment.len().saturating_sub(right)));
        }
        None => out.extend(std::iter::repeat_n('^', end - start)),
    }
    Some(out)
}

/// Where the `^` part starts and ends within the segment, for binary
/// operators and subscripts.
fn anchors(segment: &[char], start: usize, hint: CaretHint) -> Option<(usize, usize)> {
    match hint {
        CaretHint::Plain => None,
        CaretHint::BinOp { left_end } => {
            let mut left = (left_end as usize).checked_sub(start)?;
            while left < segment.len() && (segment[left].is_whitespace() || segment[left] == ')' || segment[left] == '#') {
                left += 1;
            }
            if left >= segment.len() {
                return None;
            }
            let mut right = left + 1;
            if right < segment.len() && !segment[right].is_whitespace() && is_operator_char(segment[right]) {
                right += 1;
            }
            Some((left, right))
        }
        CaretHint::Subscript { value_end } => {
            let mut left = (value_end as usize).checked_sub(start)?;
            while left < segment.len() && segment[left] != '[' {
                left += 1;
            }
            if left >= segment.len() {
                return None;
            }
            Some((left, segment.len()))
        }
    }
}

fn is_operator_char(c: char) -> bool {
    matches!(c, '*' | '/' | '<' | '>' | '=' | '@' | '|' | '&' | '^' | '%' | '+' | '-')
}

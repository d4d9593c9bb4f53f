//! Step mode: a `commit()` or `flush()` typed at the console (or the Commit / Flush button)
//! stops after computing the flush plan; Step runs its next step with the tables updating
//! inside the open transaction, Continue runs the rest (and commits), Rollback abandons it.

use crate::bindings::sqlalchemy::session::SessionValue;
use crate::bindings::sqlalchemy::world::with_orm;
use crate::orm::unitofwork::FlushPlan;
use crate::orm::SessionId;

use super::{ErrorView, Playground, RunResult};

/// A flush waiting for Step / Continue.
pub struct PendingFlush {
    pub session: SessionId,
    pub plan: FlushPlan,
    /// Continue commits afterwards (the user asked for `commit()`).
    pub commit: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanStepView {
    /// "INSERT into post (2 rows)".
    pub summary: String,
    /// Why it comes where it does ("post depends on user (post.user_id references user.id)").
    pub reason: Option<String>,
    /// The objects it writes, as their reprs.
    pub objects: Vec<String>,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanView {
    pub steps: Vec<PlanStepView>,
    /// Index of the next step to run.
    pub next: usize,
    pub commit: bool,
}

impl Playground {
    pub fn set_step_mode(&mut self, on: bool) {
        self.step_mode = on;
    }

    pub fn step_mode(&self) -> bool {
        self.step_mode
    }

    /// The paused flush, if any.
    pub fn plan(&mut self) -> Option<PlanView> {
        let pending = self.pending.take()?;
        let view = self.plan_view(&pending);
        self.pending = Some(pending);
        Some(view)
    }

    fn plan_view(&mut self, pending: &PendingFlush) -> PlanView {
        let steps = pending
            .plan
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| PlanStepView {
                summary: step.summary.clone(),
                reason: step.reason.clone(),
                objects: step.objects.iter().map(|o| self.object_repr(*o)).collect(),
                done: i < pending.plan.next,
            })
            .collect();
        PlanView { steps, next: pending.plan.next, commit: pending.commit }
    }

    /// In step mode, `<session>.commit()` / `<session>.flush()` typed as a whole input pauses
    /// instead of running. `None` when the input is something else (it then runs normally).
    pub(crate) fn pause_flush_call(&mut self, input: &str) -> Option<Result<PlanView, ErrorView>> {
        let trimmed = input.trim();
        let (target, commit) = if let Some(t) = trimmed.strip_suffix(".commit()") {
            (t, true)
        } else if let Some(t) = trimmed.strip_suffix(".flush()") {
            (t, false)
        } else {
            return None;
        };
        let value = self.interp.preview(&self.main, target).ok()?;
        let session = value.downcast_native::<SessionValue>()?.session;
        Some(self.begin_step(session, commit))
    }

    /// Plans a flush of `session` and pauses before running it.
    pub fn begin_step(&mut self, session: SessionId, commit: bool) -> Result<PlanView, ErrorView> {
        let world = self.world();
        let planned = with_orm(&mut self.interp, &world, |orm, host| orm.plan_flush(host, session));
        match planned {
            Ok(Some(plan)) => {
                let pending = PendingFlush { session, plan, commit };
                let view = self.plan_view(&pending);
                self.pending = Some(pending);
                Ok(view)
            }
            Ok(None) => {
                // Nothing to flush: a commit still commits.
                let result = if commit { with_orm(&mut self.interp, &world, |orm, host| orm.commit(host, session)) } else { Ok(()) };
                match result {
                    Ok(()) => Ok(PlanView { steps: vec![], next: 0, commit }),
                    Err(e) => Err(self.error_view(e)),
                }
            }
            Err(e) => Err(self.error_view(e)),
        }
    }

    fn error_view(&mut self, error: crate::script::PyErr) -> ErrorView {
        let report = self.interp.error_report(error);
        ErrorView::of(&report, super::CONSOLE_FILE)
    }

    /// Runs the next step of the paused flush.
    pub fn step(&mut self) -> RunResult {
        self.advance(false)
    }

    /// Runs the rest of the paused flush (and the commit it was for).
    pub fn continue_flush(&mut self) -> RunResult {
        self.advance(true)
    }

    fn advance(&mut self, to_end: bool) -> RunResult {
        let Some(mut pending) = self.pending.take() else { return RunResult::default() };
        let world = self.world();
        let mut error = None;
        loop {
            let stepped = with_orm(&mut self.interp, &world, |orm, host| orm.run_flush_step(host, &mut pending.plan));
            if let Err(e) = stepped {
                error = Some(self.error_view(e));
                break;
            }
            if pending.plan.is_done() || !to_end {
                break;
            }
        }
        if error.is_none() && pending.plan.is_done() {
            let session = pending.session;
            let commit = pending.commit;
            let plan = pending.plan;
            let finished = with_orm(&mut self.interp, &world, |orm, host| {
                orm.finish_flush(plan);
                if commit { orm.commit(host, session) } else { Ok(()) }
            });
            if let Err(e) = finished {
                error = Some(self.error_view(e));
            }
            let mut run = self.finish(0, None, super::CONSOLE_FILE);
            run.error = error;
            return run;
        }
        let paused = if error.is_none() { Some(self.plan_view(&pending)) } else { None };
        if error.is_none() {
            self.pending = Some(pending);
        }
        let mut run = self.finish(0, None, super::CONSOLE_FILE);
        run.error = error;
        run.paused = paused;
        run
    }

    /// Abandons the paused flush: the transaction rolls back.
    pub fn abort_flush(&mut self) -> RunResult {
        let session = match self.pending.take() {
            Some(pending) => pending.session,
            None => return RunResult::default(),
        };
        let world = self.world();
        let result = with_orm(&mut self.interp, &world, |orm, _| orm.rollback(session));
        let error = result.err().map(|e| self.error_view(e));
        let mut run = self.finish(0, None, super::CONSOLE_FILE);
        run.error = error;
        run
    }

    /// The Flush / Commit / Rollback buttons: as typing the call for the app's `db.session`
    /// (paused in step mode).
    pub fn session_button(&mut self, action: &str) -> RunResult {
        let Some(session) = self.primary_session() else {
            let error = ErrorView {
                type_name: "RuntimeError".into(),
                message: "there is no session yet: apply models that create `db = SQLAlchemy(app)`".into(),
                traceback: String::new(),
                line: None,
                column: None,
            };
            return RunResult { error: Some(error), ..RunResult::default() };
        };
        let world = self.world();
        if self.step_mode && action != "rollback" {
            let mut run = RunResult::default();
            match self.begin_step(session, action == "commit") {
                Ok(plan) => run.paused = Some(plan),
                Err(e) => run.error = Some(e),
            }
            let mut finished = self.finish(0, None, super::CONSOLE_FILE);
            finished.paused = run.paused;
            finished.error = run.error;
            return finished;
        }
        let result = with_orm(&mut self.interp, &world, |orm, host| match action {
            "flush" => orm.flush(host, session),
            "commit" => orm.commit(host, session),
            _ => orm.rollback(session),
        });
        let error = result.err().map(|e| self.error_view(e));
        let mut run = self.finish(0, None, super::CONSOLE_FILE);
        run.error = error;
        run
    }

    /// The session of `db` in the models (Flask-SQLAlchemy's `db.session`), if any.
    pub fn primary_session(&mut self) -> Option<SessionId> {
        let db = self.main.get("db")?;
        let session = self.interp.getattr(&db, "session").ok()?;
        session.downcast_native::<SessionValue>().map(|s| s.session)
    }
}

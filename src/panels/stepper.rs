//! The commit stepper: while a flush is paused in step mode, its plan (the ordered statements,
//! each with why it comes where it does), the statement that runs next, and Step / Continue.
//! (Rollback, which abandons it, is the session controls' button.)

use leptos::prelude::*;
use sqla_engine::playground::stepper::{PlanStepView, PlanView};

use crate::console::command::StepAction;
use crate::workspace::Workspace;

#[component]
pub fn Stepper(workspace: Workspace) -> impl IntoView {
    move || workspace.plan.get().map(|plan| view! { <PlanPanel plan workspace/> })
}

#[component]
fn PlanPanel(plan: PlanView, workspace: Workspace) -> impl IntoView {
    let what = if plan.commit { "commit" } else { "flush" };
    let total = plan.steps.len();
    let heading = format!("Paused {what}: step {} of {total} next", (plan.next + 1).min(total));
    let finishes = if plan.commit { "Continue runs the rest and commits" } else { "Continue runs the rest" };
    let next = plan.next;
    let steps = plan
        .steps
        .into_iter()
        .enumerate()
        .map(|(index, step)| view! { <PlanStep step is_next=index == next/> })
        .collect_view();
    view! {
        <section class="stepper" aria-labelledby="stepper-heading">
            <h2 id="stepper-heading">{heading}</h2>
            <ol class="plan">{steps}</ol>
            <div class="stepper-actions">
                <button type="button" class="primary" on:click=move |_| workspace.step(StepAction::Step)>"Step"</button>
                <button type="button" on:click=move |_| workspace.step(StepAction::Continue)>"Continue"</button>
                <span class="note">{format!("Step runs the next statement; {finishes}; Rollback abandons it.")}</span>
            </div>
        </section>
    }
}

#[component]
fn PlanStep(step: PlanStepView, is_next: bool) -> impl IntoView {
    let status = if step.done {
        "done"
    } else if is_next {
        "next"
    } else {
        "waiting"
    };
    let objects = (!step.objects.is_empty()).then(|| view! { <span class="plan-objects">{step.objects.join(", ")}</span> });
    let reason = step.reason.map(|reason| view! { <span class="plan-reason">{reason}</span> });
    view! {
        <li class=format!("plan-step {status}") aria-current=is_next.then_some("step")>
            <span class="plan-status">{status}</span>
            <span class="plan-summary">{step.summary}</span>
            {objects}
            {reason}
        </li>
    }
}

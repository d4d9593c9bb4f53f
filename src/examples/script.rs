//! A loaded example's console script: every input with the comment that explains it; the
//! next one is marked and "Run next line" runs it in the console's namespace, showing what it
//! printed under it.

use leptos::prelude::*;
use sqla_engine::playground::RunResult;

use super::ExampleScript;
use crate::shell::Shell;

#[component]
pub fn ExampleScriptPanel(shell: Shell) -> impl IntoView {
    move || shell.script.get().map(|script| view! { <ScriptSteps shell script/> })
}

#[component]
fn ScriptSteps(shell: Shell, script: ExampleScript) -> impl IntoView {
    let ExampleScript { title, steps } = script;
    let total = steps.len();
    let results = RwSignal::new(Vec::<RunResult>::new());
    let next = move || results.with(Vec::len);
    let steps = StoredValue::new(steps);
    let run_next = move || {
        let index = next();
        let Some(code) = steps.with_value(|steps| steps.get(index).map(|step| step.code.clone())) else { return };
        let run = shell.workspace.run_console(&code);
        results.update(|results| results.push(run));
    };
    let list = move || {
        steps.with_value(|steps| {
            steps
                .iter()
                .enumerate()
                .map(|(index, step)| {
                    let comment = (!step.comment.is_empty()).then(|| view! { <p class="step-comment">{step.comment.clone()}</p> });
                    let code = step.code.trim_end().to_owned();
                    let result = move || {
                        results.with(|results| results.get(index).cloned()).map(|run| {
                            let output = (!run.output.is_empty()).then(|| view! { <pre class="output">{run.output.clone()}</pre> });
                            let error = run.error.map(|error| view! { <pre class="error">{error.traceback}</pre> });
                            view! { {output} {error} }
                        })
                    };
                    view! {
                        <li class="step" class:next=move || next() == index class:done={move || next() > index} aria-current=move || (next() == index).then_some("step")>
                            {comment}
                            <pre class="step-code"><code>{code}</code></pre>
                            {result}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="panel example-script" aria-labelledby="example-heading">
            <div class="panel-head">
                <h2 id="example-heading">"Example: " {title}</h2>
                <span class="note" aria-live="polite">{move || format!("{} of {total} lines run", next())}</span>
                <button type="button" on:click=move |_| run_next() disabled={move || next() >= total}>"Run next line"</button>
                <button type="button" on:click=move |_| shell.script.set(None)>"Close example"</button>
            </div>
            <ol class="steps">{list}</ol>
        </section>
    }
}

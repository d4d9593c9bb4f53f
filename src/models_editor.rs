//! The editor for the models: Flask-SQLAlchemy classes, run as the module `app` by Apply.

use leptos::prelude::*;

use crate::workspace::Workspace;

#[component]
pub fn ModelsEditor(workspace: Workspace) -> impl IntoView {
    let source = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let apply = move |_| {
        let applied = workspace.apply_models(&source.get_untracked());
        problem.set(applied.run.error.map(|error| error.traceback));
    };
    view! {
        <section class="panel models-editor" aria-labelledby="models-heading">
            <h2 id="models-heading">"Models"</h2>
            <textarea
                class="code-input"
                aria-labelledby="models-heading"
                spellcheck="false"
                prop:value=move || source.get()
                on:input=move |event| source.set(event_target_value(&event))
            ></textarea>
            <button type="button" on:click=apply>"Apply"</button>
            {move || problem.get().map(|traceback| view! { <pre class="error" role="alert">{traceback}</pre> })}
        </section>
    }
}

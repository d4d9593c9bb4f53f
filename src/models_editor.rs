//! The editor for model classes. It keeps the text only: running models
//! comes with the Python interpreter.

use leptos::prelude::*;

#[component]
pub fn ModelsEditor() -> impl IntoView {
    let source = RwSignal::new(String::new());
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
            <p class="note">
                "Model classes are not run yet: that needs the Python interpreter, which is still being built. Use the console below for SQL."
            </p>
        </section>
    }
}

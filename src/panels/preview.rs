//! The live SQL preview: while the console input is typed (after a short pause), the SQL the
//! expression would send, compiled without running it, or why there is none yet.

use std::time::Duration;

use leptos::prelude::*;
use sqla_engine::playground::preview::Preview;

use crate::workspace::Workspace;

/// Typing pauses this long before the preview compiles the input.
const DEBOUNCE: Duration = Duration::from_millis(250);

#[component]
pub fn SqlPreview(workspace: Workspace) -> impl IntoView {
    let preview = RwSignal::new(None::<Preview>);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move || {
        let draft = workspace.draft.get();
        // New commands change what the input would send (tables, identity map).
        workspace.revision.track();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let compile = move || preview.set(workspace.preview_sql(&draft));
        pending.set_value(set_timeout_with_handle(compile, DEBOUNCE).ok());
    });
    on_cleanup(move || {
        if let Some(Some(handle)) = pending.try_get_value() {
            handle.clear();
        }
    });
    let body = move || {
        preview.get().map(|preview| match preview.note {
            Some(note) => view! { <p class="note preview-note">{note}</p> }.into_any(),
            None => preview
                .statements
                .into_iter()
                .map(|statement| view! { <pre class="sql preview-sql"><code>{statement}</code></pre> })
                .collect_view()
                .into_any(),
        })
    };
    view! {
        <section class="sql-preview" aria-labelledby="preview-heading" aria-live="polite">
            <h3 id="preview-heading">"Preview (not run)"</h3>
            {body}
        </section>
    }
}

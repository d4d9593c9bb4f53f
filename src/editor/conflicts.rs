//! The question before Apply drops tables: which tables exist with another shape than the
//! models declare, how many rows each would lose, and Cancel.

use leptos::prelude::*;

use crate::dialog::Modal;
use crate::shell::Shell;

#[component]
pub fn RecreateDialog(shell: Shell, conflicts: RwSignal<Vec<String>>, on_confirm: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let open = RwSignal::new(false);
    Effect::new(move || open.set(conflicts.with(|tables| !tables.is_empty())));
    // Closing the dialog (Cancel, Esc) forgets the question.
    Effect::new(move || {
        if !open.get() {
            conflicts.update_untracked(Vec::clear);
        }
    });
    let names = move || conflicts.with(|tables| tables.join(", "));
    let losses = move || {
        let tables = shell.workspace.tables.get();
        conflicts
            .get()
            .into_iter()
            .map(|name| {
                let rows = tables.iter().find(|table| table.name == name).map_or(0, |table| table.row_count);
                let rows = if rows == 1 { "1 row".to_owned() } else { format!("{rows} rows") };
                view! { <li><code>{name}</code>": "{rows}" will be lost"</li> }
            })
            .collect_view()
    };
    view! {
        <Modal open title="Drop and recreate tables?" class="recreate">
            <p>
                "These tables exist with other columns than the models declare, so nothing was created: "
                <strong>{names}</strong>"."
            </p>
            <p>"Dropping and recreating them deletes every row they hold:"</p>
            <ul>{losses}</ul>
            <div class="dialog-buttons">
                <button type="button" class="danger" on:click=move |_| on_confirm()>
                    "Drop and recreate " {names}
                </button>
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </Modal>
    }
}

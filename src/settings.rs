//! The Settings dialog: the environment variables `os.environ` holds, as name/value rows.
//! Saving checks the names, sets the variables and applies the models again (they read the
//! environment when they run, as an app does when `flask shell` starts).

use leptos::prelude::*;
use sqla_engine::playground::environment_problems;

use crate::dialog::Modal;
use crate::shell::Shell;

/// One variable being edited; `key` identifies its row while rows come and go.
#[derive(Clone, Copy)]
struct Row {
    key: u32,
    name: RwSignal<String>,
    value: RwSignal<String>,
}

#[component]
pub fn SettingsButton(shell: Shell) -> impl IntoView {
    let open = RwSignal::new(false);
    let rows = RwSignal::new(Vec::<Row>::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let next_key = StoredValue::new(0_u32);
    let add_row = move |name: String, value: String| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|rows| rows.push(Row { key, name: RwSignal::new(name), value: RwSignal::new(value) }));
    };
    let show = move |_| {
        rows.set(Vec::new());
        for (name, value) in shell.workspace.read(|playground| playground.environment().to_vec()).unwrap_or_default() {
            add_row(name, value);
        }
        problems.set(Vec::new());
        open.set(true);
    };
    let save = move |_| {
        // Rows left entirely empty are ignored: an added row not filled in sets nothing.
        let vars: Vec<(String, String)> = rows
            .get_untracked()
            .iter()
            .map(|row| (row.name.get_untracked().trim().to_owned(), row.value.get_untracked()))
            .filter(|(name, value)| !name.is_empty() || !value.is_empty())
            .collect();
        let found = environment_problems(&vars);
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        shell.set_environment(vars);
        open.set(false);
    };
    let position = move |key: u32| rows.with(|rows| rows.iter().position(|row| row.key == key).map_or(0, |index| index + 1));
    view! {
        <button type="button" on:click=show>"Settings"</button>
        <Modal open title="Settings" class="settings">
            <h3>"Environment variables"</h3>
            <p class="note">
                "What " <code>"os.environ"</code> " and " <code>"os.getenv()"</code> " return, e.g. a DATABASE_URL or SECRET_KEY "
                "your models read. Saving applies the models again, as restarting " <code>"flask shell"</code>
                " with a new environment would: console variables are lost, committed data stays. The variables are kept "
                "in this browser, go into share links (so do not put real secrets here) and are set at the top of the exported app.py."
            </p>
            <table class="environment">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Value"</th><th></th></tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|row| row.key let:row>
                        <tr>
                            <td><input type="text" spellcheck="false" aria-label=move || format!("Variable {} name", position(row.key)) bind:value=row.name/></td>
                            <td><input type="text" spellcheck="false" aria-label=move || format!("Variable {} value", position(row.key)) bind:value=row.value/></td>
                            <td>
                                <button type="button" aria-label=move || format!("Remove variable {}", position(row.key))
                                    on:click=move |_| rows.update(|rows| rows.retain(|other| other.key != row.key))>"Remove"</button>
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="note">"No variables: " <code>"os.environ"</code> " is empty."</p>
            </Show>
            <button type="button" on:click=move |_| add_row(String::new(), String::new())>"Add variable"</button>
            <Show when=move || problems.with(|problems| !problems.is_empty())>
                <ul class="problems" role="alert">
                    {move || problems.get().into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}
                </ul>
            </Show>
            <div class="dialog-buttons">
                <button type="button" on:click=save>"Save"</button>
                <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </Modal>
    }
}

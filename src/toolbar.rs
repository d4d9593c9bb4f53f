//! The header's toolbar: examples, Share, Export, Settings, Reset (with confirmation) and Help.

use leptos::prelude::*;

use crate::dialog::Confirm;
use crate::examples::menu::ExamplesMenu;
use crate::export::ExportMenu;
use crate::help::HelpButton;
use crate::settings::SettingsButton;
use crate::share::dialog::ShareButton;
use crate::shell::Shell;

#[component]
pub fn Toolbar(shell: Shell) -> impl IntoView {
    view! {
        <nav class="toolbar" aria-label="Playground">
            <ExamplesMenu shell/>
            <ShareButton shell/>
            <ExportMenu shell/>
            <SettingsButton shell/>
            <ResetButton shell/>
            <HelpButton/>
        </nav>
    }
}

/// Reset: after confirmation, deletes everything kept in this browser and starts empty.
#[component]
fn ResetButton(shell: Shell) -> impl IntoView {
    let open = RwSignal::new(false);
    let reset = move || {
        shell.store.clear(move || {
            shell.start_over(String::new());
            shell.replace_environment(Vec::new());
        })
    };
    view! {
        <button type="button" on:click=move |_| open.set(true)>"Reset"</button>
        <Confirm open title="Start over?" class="reset" confirm="Delete everything and start over" on_confirm=reset>
            <p>
                "Reset deletes your models, your console history and the data of every database this "
                "browser keeps for the playground. This cannot be undone."
            </p>
        </Confirm>
    }
}

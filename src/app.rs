//! The page layout: the header with the toolbar, the models editor, a loaded example and the
//! console on the left, a resizable divider, the tabbed panels on the right; the keeping
//! status at the bottom; the dialogs.

use leptos::prelude::*;

use crate::console::Console;
use crate::editor::ModelsEditor;
use crate::examples::script::ExampleScriptPanel;
use crate::share::dialog::SharedLinkPrompt;
use crate::share::link::SharedLink;
use crate::shell::Shell;
use crate::panels::SidePanel;
use crate::splitter::Splitter;
use crate::storage::format::Kept;
use crate::storage::keeper::keep_work;
use crate::storage::notice::{KeepingStatus, StorageBanner, UnreadableDialog};
use crate::storage::Store;
use crate::toolbar::Toolbar;

#[component]
pub fn App(store: Store, kept: Kept, shared: SharedLink) -> impl IntoView {
    // A shared session replaces the kept one, but only if the user runs it: until then the
    // kept work is neither shown nor overwritten.
    let kept = if matches!(shared, SharedLink::Scenario(_)) { Kept::default() } else { kept };
    let shell = Shell::restore(store, kept);
    keep_work(shell);
    let left_percent = RwSignal::new(50.0);
    let columns = move || format!("grid-template-columns: minmax(0, {0}fr) auto minmax(0, {1}fr)", left_percent.get(), 100.0 - left_percent.get());
    let workspace = shell.workspace;
    view! {
        <header class="app-header">
            <h1>"sqla-playground"</h1>
            <p class="tagline">"Learn Flask-SQLAlchemy on a database that lives in this browser tab"</p>
            <Toolbar shell/>
        </header>
        <StorageBanner store/>
        <SharedLinkPrompt shell shared/>
        <main class="workbench" style=columns>
            // Starting over mounts the panels afresh, with none of the old session's state.
            {move || {
                shell.generation.track();
                view! {
                    <div class="left-column">
                        <ModelsEditor shell/>
                        <ExampleScriptPanel shell/>
                        <Console workspace/>
                    </div>
                    <Splitter left_percent/>
                    <SidePanel workspace/>
                }
            }}
        </main>
        <footer class="app-footer">
            <KeepingStatus workspace store/>
        </footer>
        <UnreadableDialog store/>
    }
}

//! The session buttons (Flush, Commit, Rollback: as calling them on `db.session`) and the
//! "Step mode" switch that makes commits and flushes pause before they run.

use leptos::prelude::*;

use crate::console::command::SessionAction;
use crate::workspace::Workspace;

#[component]
pub fn SessionControls(workspace: Workspace) -> impl IntoView {
    let paused = move || workspace.plan.with(Option::is_some);
    let button = move |action: SessionAction| {
        // While a flush is paused only Rollback (which abandons it) makes sense.
        let disabled = move || paused() && action != SessionAction::Rollback;
        view! {
            <button type="button" disabled=disabled on:click=move |_| workspace.session_button(action)>
                {action.label()}
            </button>
        }
    };
    let step_mode = workspace.step_mode;
    view! {
        <div class="session-controls" role="group" aria-label="Session">
            <span class="toolbar-label" aria-hidden="true">"db.session"</span>
            {button(SessionAction::Flush)}
            {button(SessionAction::Commit)}
            {button(SessionAction::Rollback)}
            <button
                type="button"
                role="switch"
                class="switch"
                aria-checked=move || step_mode.get().to_string()
                title="Commits and flushes pause before they run, to be stepped through"
                on:click=move |_| workspace.set_step_mode(!step_mode.get_untracked())
            >
                <span class="switch-track" aria-hidden="true"><span class="switch-thumb"></span></span>
                "Step mode"
            </button>
        </div>
    }
}

//! The right-hand side: the session controls and the commit stepper above the tabs SQL,
//! Session, Tables and Diagram.
//!
//! - [`session_controls`]: Flush / Commit / Rollback and the step mode switch
//! - [`stepper`]: the paused flush plan with Step / Continue
//! - [`sql_log`] (with [`sql_groups`]) and [`preview`]: the SQL tab
//! - [`session`]: the session inspector
//! - [`tables`]: every table, virtualised
//! - [`diagram`]: the ER diagram

mod diagram;
mod preview;
mod session;
mod session_controls;
mod sql_groups;
mod sql_log;
mod stepper;
mod tables;

use leptos::{ev::KeyboardEvent, prelude::*};

use crate::workspace::Workspace;
use diagram::Diagram;
use preview::SqlPreview;
use session::SessionInspector;
use session_controls::SessionControls;
use sql_log::SqlLog;
use stepper::Stepper;
use tables::TablesView;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Sql,
    Session,
    Tables,
    Diagram,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Sql, Tab::Session, Tab::Tables, Tab::Diagram];

    fn label(self) -> &'static str {
        match self {
            Tab::Sql => "SQL",
            Tab::Session => "Session",
            Tab::Tables => "Tables",
            Tab::Diagram => "Diagram",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Sql => "tab-sql",
            Tab::Session => "tab-session",
            Tab::Tables => "tab-tables",
            Tab::Diagram => "tab-diagram",
        }
    }

    /// The tab `step` places away (wrapping), for the arrow keys.
    fn neighbour(self, step: isize) -> Tab {
        let index = Tab::ALL.iter().position(|tab| *tab == self).unwrap_or(0) as isize;
        let count = Tab::ALL.len() as isize;
        Tab::ALL[(index + step).rem_euclid(count) as usize]
    }
}

const PANEL_ID: &str = "side-tabpanel";

#[component]
pub fn SidePanel(workspace: Workspace) -> impl IntoView {
    let active = RwSignal::new(Tab::Sql);
    // Arrow keys move between tabs (the tab list is one stop for Tab, as ARIA's tabs pattern).
    let on_keydown = move |event: KeyboardEvent| {
        let next = match event.key().as_str() {
            "ArrowRight" => active.get_untracked().neighbour(1),
            "ArrowLeft" => active.get_untracked().neighbour(-1),
            "Home" => Tab::Sql,
            "End" => Tab::Diagram,
            _ => return,
        };
        event.prevent_default();
        active.set(next);
        if let Some(button) = web_sys::window().and_then(|window| window.document()).and_then(|document| document.get_element_by_id(next.id())) {
            if let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button) {
                let _ = button.focus();
            }
        }
    };
    let tabs = Tab::ALL
        .into_iter()
        .map(|tab| {
            let selected = move || active.get() == tab;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=tab.id()
                    aria-controls=PANEL_ID
                    aria-selected=move || selected().to_string()
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| active.set(tab)
                >
                    {tab.label()}
                </button>
            }
        })
        .collect_view();
    view! {
        <aside class="panel side-panel" aria-label="Session, SQL and tables">
            <SessionControls workspace/>
            <Stepper workspace/>
            <div class="tabs" role="tablist" aria-label="Views" on:keydown=on_keydown>{tabs}</div>
            <div class="tab-content" role="tabpanel" id=PANEL_ID aria-labelledby=move || active.get().id()>
                {move || match active.get() {
                    Tab::Sql => view! { <div class="sql-tab"><SqlPreview workspace/><SqlLog workspace/></div> }.into_any(),
                    Tab::Session => view! { <SessionInspector workspace/> }.into_any(),
                    Tab::Tables => view! { <TablesView workspace/> }.into_any(),
                    Tab::Diagram => view! { <Diagram workspace/> }.into_any(),
                }}
            </div>
        </aside>
    }
}

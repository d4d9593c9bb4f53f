//! The page layout: header, models editor and console on the left, the
//! tabbed panels on the right.

use leptos::prelude::*;
use sqla_engine::playground::Playground;

use crate::{console::Console, models_editor::ModelsEditor, panels::SidePanel, workspace::Workspace};

#[component]
pub fn App(playground: Playground) -> impl IntoView {
    let workspace = Workspace::new(playground);
    view! {
        <header class="app-header">
            <h1>"sqla-playground"</h1>
            <p class="tagline">"Learn Flask-SQLAlchemy on a database that lives in this browser tab"</p>
        </header>
        <main class="workbench">
            <div class="left-column">
                <ModelsEditor workspace=workspace/>
                <Console workspace=workspace/>
            </div>
            <SidePanel workspace=workspace/>
        </main>
    }
}

//! The right-hand tabs: SQL, Session, Tables, Diagram.

use leptos::prelude::*;

use crate::{result_table::ResultTableView, workspace::Workspace};

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
}

#[component]
pub fn SidePanel(workspace: Workspace) -> impl IntoView {
    let active = RwSignal::new(Tab::Sql);
    let tabs = Tab::ALL
        .into_iter()
        .map(|tab| {
            view! {
                <button
                    type="button"
                    role="tab"
                    aria-selected=move || (active.get() == tab).to_string()
                    on:click=move |_| active.set(tab)
                >
                    {tab.label()}
                </button>
            }
        })
        .collect_view();
    view! {
        <aside class="panel side-panel">
            <div class="tabs" role="tablist">{tabs}</div>
            <div class="tab-content" role="tabpanel">
                {move || match active.get() {
                    Tab::Sql => view! { <SqlLog workspace/> }.into_any(),
                    Tab::Session => view! {
                        <p class="note">
                            "The session view is not built yet."
                        </p>
                    }.into_any(),
                    Tab::Tables => view! { <TablesView workspace/> }.into_any(),
                    Tab::Diagram => view! {
                        <p class="note">"The diagram is not built yet."</p>
                    }.into_any(),
                }}
            </div>
        </aside>
    }
}

/// Every SQL event, oldest first, as SQLAlchemy's echo prints it; failed ones marked.
#[component]
fn SqlLog(workspace: Workspace) -> impl IntoView {
    view! {
        <h3>"SQLAlchemy echo"</h3>
        <Show
            when=move || workspace.sql_log.with(|log| !log.is_empty())
            fallback=|| view! { <p class="note">"No statements have run yet."</p> }
        >
            <ol class="sql-log">
                <For each=move || workspace.sql_log.get() key=|event| (event.database.clone(), event.seq) let:event>
                    <li class:failed=event.error.is_some()>
                        <pre><code>{event.echo}</code></pre>
                        {event.error.clone().map(|error| view! { <span class="failed-tag">{error}</span> })}
                    </li>
                </For>
            </ol>
        </Show>
    }
}

/// Every table with its first rows.
#[component]
fn TablesView(workspace: Workspace) -> impl IntoView {
    move || {
        let tables = workspace.tables.get();
        if tables.is_empty() {
            return view! { <p class="note">"No tables yet."</p> }.into_any();
        }
        tables
            .into_iter()
            .map(|table| {
                let contents = workspace.rows(&table.name, 100).map(|(columns, rows)| view! { <ResultTableView columns rows/> });
                view! {
                    <section class="table-snapshot">
                        <h3>{table.name}</h3>
                        {contents}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    }
}

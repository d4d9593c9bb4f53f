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
                            "There is no ORM session yet: the console sends SQL straight to the database, and each statement commits on its own."
                        </p>
                    }.into_any(),
                    Tab::Tables => view! { <TablesView workspace/> }.into_any(),
                    Tab::Diagram => view! {
                        <p class="note">"No diagram yet: it is drawn from models, which cannot be run yet."</p>
                    }.into_any(),
                }}
            </div>
        </aside>
    }
}

/// Every statement sent to GlueSQL, oldest first; failed ones marked.
#[component]
fn SqlLog(workspace: Workspace) -> impl IntoView {
    view! {
        <h3>"GlueSQL ran"</h3>
        <Show
            when=move || workspace.sql_log.with(|log| !log.is_empty())
            fallback=|| view! { <p class="note">"No statements have run yet."</p> }
        >
            <ol class="sql-log">
                // The log only grows, so a statement's position is its key.
                <For
                    each=move || workspace.sql_log.get().into_iter().enumerate()
                    key=|(position, _)| *position
                    let:((_, statement))
                >
                    <li class:failed=statement.failed>
                        <code>{statement.sql}</code>
                        {statement.failed.then(|| view! { <span class="failed-tag">" failed"</span> })}
                    </li>
                </For>
            </ol>
        </Show>
    }
}

/// Every table with all its rows.
#[component]
fn TablesView(workspace: Workspace) -> impl IntoView {
    move || match workspace.tables.get() {
        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
        Ok(tables) if tables.is_empty() => {
            view! { <p class="note">"No tables yet."</p> }.into_any()
        }
        Ok(tables) => tables
            .into_iter()
            .map(|table| {
                view! {
                    <section class="table-snapshot">
                        <h3>{table.name}</h3>
                        <ResultTableView table=table.contents/>
                    </section>
                }
            })
            .collect_view()
            .into_any(),
    }
}

//! The Export menu: an `app.py` that reproduces the session with the real Flask-SQLAlchemy,
//! a SQL dump of the database, and each table as CSV or JSON, all as downloads.

use leptos::prelude::*;

use crate::download::download;
use crate::shell::Shell;

/// One download the menu offers.
#[derive(Clone)]
enum Item {
    AppPy,
    SqlDump,
    Csv(String),
    Json(String),
}

impl Item {
    fn label(&self) -> String {
        match self {
            Item::AppPy => "app.py (Flask-SQLAlchemy script)".to_owned(),
            Item::SqlDump => "SQL dump".to_owned(),
            Item::Csv(table) => format!("{table} as CSV"),
            Item::Json(table) => format!("{table} as JSON"),
        }
    }

    /// File name, type and contents; `None` when the table is gone.
    fn file(&self, shell: Shell) -> Option<(String, &'static str, String)> {
        let workspace = shell.workspace;
        match self {
            Item::AppPy => {
                let inputs: Vec<String> = workspace
                    .read(|playground| playground.transcript().iter().filter(|input| !input.failed).map(|input| input.source.clone()).collect())
                    .unwrap_or_default();
                let script = workspace.read(|playground| playground.export_app_py(&inputs))?;
                Some(("app.py".to_owned(), "text/x-python", script))
            }
            Item::SqlDump => Some(("dump.sql".to_owned(), "application/sql", workspace.read(|playground| playground.sql_dump())?)),
            Item::Csv(table) => Some((format!("{table}.csv"), "text/csv", workspace.read(|playground| playground.table_csv(table)).flatten()?)),
            Item::Json(table) => Some((format!("{table}.json"), "application/json", workspace.read(|playground| playground.table_json(table)).flatten()?)),
        }
    }
}

#[component]
pub fn ExportMenu(shell: Shell) -> impl IntoView {
    let open = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let items = move || {
        let mut items = vec![Item::AppPy, Item::SqlDump];
        for table in shell.workspace.tables.get() {
            items.push(Item::Csv(table.name.clone()));
            items.push(Item::Json(table.name));
        }
        items
    };
    let save = move |item: Item| {
        open.set(false);
        let outcome = match item.file(shell) {
            Some((name, mime, contents)) => download(&name, mime, &contents),
            None => Err(format!("{} is not available any more", item.label())),
        };
        problem.set(outcome.err());
    };
    view! {
        <div class="menu" on:keydown=move |event| {
            if event.key() == "Escape" {
                open.set(false);
            }
        }>
            <button type="button" aria-haspopup="true" aria-expanded=move || open.get().to_string() aria-controls="export-menu" on:click=move |_| open.update(|open| *open = !*open)>
                "Export"
            </button>
            <Show when=move || open.get()>
                <ul id="export-menu" class="menu-items" aria-label="Export">
                    {move || items().into_iter().map(|item| {
                        let label = item.label();
                        view! { <li><button type="button" on:click=move |_| save(item.clone())>{label}</button></li> }
                    }).collect_view()}
                </ul>
            </Show>
            {move || problem.get().map(|problem| view! { <p class="error" role="alert">{problem}</p> })}
        </div>
    }
}

//! The Tables tab: every table of the app's database with its rows. The header shows each
//! column's type and constraints (PK, FK → target, UNIQUE, NOT NULL) and sorts by it; rows the
//! open transaction inserted or updated are marked, the ones it deleted listed below. Only the
//! rows in view are rendered ([`window`]), so 100,000 rows scroll smoothly.

mod window;

use leptos::{html, prelude::*};
use sqla_engine::db::{ColumnView, RowChange, RowView, TableView};

use crate::workspace::Workspace;
use window::{rows_to_render, spacers};

/// The scroll area's height before it is measured (the stylesheet's `max-height`).
const DEFAULT_VIEWPORT: f64 = 384.0;
/// Deleted rows listed under a table; a bulk delete lists this many and counts the rest.
const SHOWN_DELETED: usize = 50;

#[component]
pub fn TablesView(workspace: Workspace) -> impl IntoView {
    let tables = move || {
        workspace.tables.get().into_iter().map(|table| {
            // A table that changed shape (new models) is a new grid, with its sorting reset.
            let shape: Vec<String> = table.columns.iter().map(|column| column.name.clone()).collect();
            ((table.name.clone(), shape), table)
        })
    };
    view! {
        <Show
            when=move || workspace.tables.with(|tables| !tables.is_empty())
            fallback=|| view! { <p class="note">"No tables yet: apply models with db.Model classes."</p> }
        >
            <For each=tables key=|(key, _)| key.clone() children=move |(_, table)| view! { <TableGrid table workspace/> }/>
        </Show>
    }
}

/// Sorting by one column: ascending, then descending, then none.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Sort {
    column: String,
    descending: bool,
}

#[component]
fn TableGrid(table: TableView, workspace: Workspace) -> impl IntoView {
    let name = StoredValue::new(table.name.clone());
    let sort = RwSignal::new(None::<Sort>);
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(DEFAULT_VIEWPORT);
    let scroller = NodeRef::<html::Div>::new();
    // The row count as of the last command (the tables signal is refreshed after each).
    let total = Memo::new(move |_| {
        workspace.tables.with(|tables| name.with_value(|name| tables.iter().find(|table| &table.name == name).map_or(0, |table| table.row_count)))
    });
    let window = Memo::new(move |_| rows_to_render(scroll_top.get(), viewport.get(), total.get()));
    let page = Memo::new(move |_| {
        workspace.revision.track();
        let (offset, limit) = window.get();
        sort.with(|sort| {
            let order = sort.as_ref().map(|sort| (sort.column.as_str(), sort.descending));
            name.with_value(|name| workspace.rows_page(name, offset, limit, order))
        })
    });
    let deleted = Memo::new(move |_| {
        workspace.revision.track();
        name.with_value(|name| workspace.deleted_rows(name))
    });
    let on_scroll = move |_| {
        if let Some(element) = scroller.get_untracked() {
            scroll_top.set(element.scroll_top() as f64);
            viewport.set(element.client_height() as f64);
        }
    };

    let column_count = table.columns.len();
    let headers = table.columns.iter().cloned().map(|column| view! { <ColumnHeader column sort/> }).collect_view();
    let count = move || match total.get() {
        1 => "1 row".to_owned(),
        rows => format!("{rows} rows"),
    };
    let body = move || {
        let Some(page) = page.get() else { return view! { <tr><td colspan=column_count + 1>"The table is gone."</td></tr> }.into_any() };
        if page.total == 0 {
            return view! { <tr class="empty"><td colspan=column_count + 1>"(no rows)"</td></tr> }.into_any();
        }
        let (above, below) = spacers(page.offset, page.rows.len(), page.total);
        let rows = page
            .rows
            .into_iter()
            .enumerate()
            .map(|(position, row)| view! { <DataRow row index=page.offset + position/> })
            .collect_view();
        view! {
            <tr class="spacer" aria-hidden="true" style=format!("height: {above}px")></tr>
            {rows}
            <tr class="spacer" aria-hidden="true" style=format!("height: {below}px")></tr>
        }
        .into_any()
    };
    let heading_id = heading_id(&table.name);
    let (section_label, scroll_label, table_label) = (heading_id.clone(), heading_id.clone(), heading_id.clone());
    view! {
        <section class="table-snapshot" aria-labelledby=section_label>
            <h3 id=heading_id>{table.name.clone()}<span class="row-count">{count}</span></h3>
            <div class="table-scroll" node_ref=scroller on:scroll=on_scroll tabindex="0" aria-labelledby=scroll_label>
                <table class="data-table" aria-labelledby=table_label aria-rowcount=move || total.get() + 1>
                    <thead>
                        <tr aria-rowindex="1">
                            <th scope="col" class="change-col"><span class="visually-hidden">"Change in the open transaction"</span></th>
                            {headers}
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <DeletedRows deleted columns=table.columns/>
        </section>
    }
}

#[component]
fn ColumnHeader(column: ColumnView, sort: RwSignal<Option<Sort>>) -> impl IntoView {
    let name = column.name.clone();
    let sorted = {
        let name = name.clone();
        move || sort.with(|sort| sort.as_ref().filter(|sort| sort.column == name).map(|sort| sort.descending))
    };
    let aria_sort = {
        let sorted = sorted.clone();
        move || match sorted() {
            Some(false) => "ascending",
            Some(true) => "descending",
            None => "none",
        }
    };
    let arrow = {
        let sorted = sorted.clone();
        move || match sorted() {
            Some(false) => "▲",
            Some(true) => "▼",
            None => "",
        }
    };
    let cycle = {
        let name = name.clone();
        move |_| {
            let next = match sorted() {
                None => Some(Sort { column: name.clone(), descending: false }),
                Some(false) => Some(Sort { column: name.clone(), descending: true }),
                Some(true) => None,
            };
            sort.set(next);
        }
    };
    let mut constraints = Vec::new();
    if column.primary_key {
        constraints.push(("pk", "PK".to_owned(), "primary key"));
    }
    if let Some(target) = &column.foreign_key {
        constraints.push(("fk", format!("FK → {target}"), "foreign key"));
    }
    if column.unique {
        constraints.push(("unique", "UNIQUE".to_owned(), "unique"));
    }
    if !column.nullable && !column.primary_key {
        constraints.push(("not-null", "NOT NULL".to_owned(), "not null"));
    }
    let constraints = constraints
        .into_iter()
        .map(|(class, text, title)| view! { <span class=format!("constraint constraint-{class}") title=title>{text}</span> })
        .collect_view();
    view! {
        <th scope="col" aria-sort=aria_sort>
            <button type="button" class="sort-button" on:click=cycle title="Sort by this column">
                {name}<span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </button>
            <span class="column-type">{column.sql_type}</span>
            <span class="constraints">{constraints}</span>
        </th>
    }
}

#[component]
fn DataRow(row: RowView, index: usize) -> impl IntoView {
    let (class, mark, meaning) = match row.change {
        RowChange::Inserted => ("row-inserted", "+", "inserted"),
        RowChange::Updated => ("row-updated", "~", "updated"),
        RowChange::Unchanged => ("", "", ""),
    };
    let cells = row.values.iter().map(|value| view! { <td class:null=value.is_null()>{value.python_repr()}</td> }).collect_view();
    view! {
        <tr class=class aria-rowindex=index + 2>
            <td class="change-cell" title=meaning>
                <span aria-hidden="true">{mark}</span>
                <span class="visually-hidden">{meaning}</span>
            </td>
            {cells}
        </tr>
    }
}

/// Rows the open transaction deleted, struck through.
#[component]
fn DeletedRows(deleted: Memo<Vec<RowView>>, columns: Vec<ColumnView>) -> impl IntoView {
    move || {
        let header = columns.iter().map(|column| view! { <th scope="col">{column.name.clone()}</th> }).collect_view();
        let rows = deleted.get();
        if rows.is_empty() {
            return None;
        }
        let more = (rows.len() > SHOWN_DELETED).then(|| view! { <p class="note">{format!("… and {} more", rows.len() - SHOWN_DELETED)}</p> });
        let count = rows.len();
        let body = rows
            .into_iter()
            .take(SHOWN_DELETED)
            .map(|row| {
                let cells = row.values.iter().map(|value| view! { <td><del>{value.python_repr()}</del></td> }).collect_view();
                view! { <tr class="row-deleted">{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            <div class="deleted-rows">
                <h4>{format!("Deleted by the open transaction ({count})")}</h4>
                <table class="data-table">
                    <thead><tr>{header}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
                {more}
            </div>
        })
    }
}

/// The id of a table's heading, which labels its section and grid. A table name may hold any
/// character (spaces too, which would split an `aria-labelledby` list), so it is spelled in hex.
fn heading_id(table: &str) -> String {
    let hex: String = table.bytes().map(|byte| format!("{byte:02x}")).collect();
    format!("table-{hex}")
}

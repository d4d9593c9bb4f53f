//! Renders rows returned by the engine as an HTML table.

use leptos::prelude::*;
use sqla_engine::playground::ResultTable;

#[component]
pub fn ResultTableView(table: ResultTable) -> impl IntoView {
    let summary = match table.rows.len() {
        1 => "1 row".to_owned(),
        count => format!("{count} rows"),
    };
    let header = table
        .columns
        .into_iter()
        .map(|column| view! { <th scope="col">{column}</th> })
        .collect_view();
    let body = table
        .rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .map(|cell| match cell {
                    Some(value) => view! { <td>{value}</td> }.into_any(),
                    None => view! { <td class="null">"NULL"</td> }.into_any(),
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="result">
            <table class="result-table">
                <thead><tr>{header}</tr></thead>
                <tbody>{body}</tbody>
            </table>
            <p class="row-count">{summary}</p>
        </div>
    }
}

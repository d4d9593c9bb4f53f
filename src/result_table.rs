//! Renders rows as an HTML table of display text.

use leptos::prelude::*;

#[component]
pub fn ResultTableView(columns: Vec<String>, rows: Vec<Vec<String>>) -> impl IntoView {
    let summary = match rows.len() {
        1 => "1 row".to_owned(),
        count => format!("{count} rows"),
    };
    let header = columns.into_iter().map(|column| view! { <th scope="col">{column}</th> }).collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view();
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

//! The Diagram tab: an SVG ER diagram of the models. Tables with their columns (PK, FK, UQ,
//! NULL marked), foreign keys as solid lines from column to column, `relationship()`s as
//! dashed lines labelled with their names and kind. All text is SVG `<text>`. The diagram is
//! scaled down to fit the panel's width; "Fit to width" off shows it at full size in a
//! scrolling box (keyboard-scrollable too).

mod layout;

use leptos::prelude::*;
use sqla_engine::playground::views::SchemaView;

use crate::workspace::Workspace;
use layout::{layout, ColumnLine, ForeignKeyLine, RelationshipLine, TableBox, CHAR_WIDTH};

#[component]
pub fn Diagram(workspace: Workspace) -> impl IntoView {
    let schema = Memo::new(move |_| {
        workspace.revision.track();
        workspace.schema()
    });
    move || {
        let schema = schema.get();
        if schema.tables.is_empty() {
            return view! { <p class="note">"No models yet: apply models with db.Model classes to see their diagram."</p> }.into_any();
        }
        view! { <DiagramSvg schema/> }.into_any()
    }
}

#[component]
fn DiagramSvg(schema: SchemaView) -> impl IntoView {
    let description = describe(&schema);
    let layout = layout(&schema);
    let tables = layout.tables.into_iter().map(|table| view! { <TableShape table/> }).collect_view();
    let foreign_keys = layout.foreign_keys.into_iter().map(|line| view! { <ForeignKeyShape line/> }).collect_view();
    let relationships = layout.relationships.into_iter().map(|line| view! { <RelationshipShape line/> }).collect_view();
    let fit = RwSignal::new(true);
    // Fitted, the diagram is never wider than the panel (nor enlarged past its own size).
    let size = move || if fit.get() { format!("width: 100%; height: auto; max-width: {:.0}px", layout.width) } else { String::new() };
    view! {
        <div class="diagram">
            <div class="diagram-bar">
                <p class="legend" aria-hidden="true">
                    <span class="legend-fk">"── foreign key"</span>
                    <span class="legend-rel">"- - relationship()"</span>
                    <span>"PK primary key · FK foreign key · UQ unique · NULL nullable"</span>
                </p>
                <button type="button" aria-pressed=move || fit.get().to_string() on:click=move |_| fit.update(|fit| *fit = !*fit)>
                    "Fit to width"
                </button>
            </div>
            <div class="diagram-scroll" tabindex="0" role="group" aria-label="Diagram (scrolls when not fitted)">
            <svg
                class="er-diagram"
                style=size
                role="img"
                aria-labelledby="er-title er-description"
                width=layout.width
                height=layout.height
                viewBox=format!("0 0 {:.0} {:.0}", layout.width, layout.height)
            >
                <title id="er-title">"ER diagram of the models"</title>
                <desc id="er-description">{description}</desc>
                <defs>
                    <marker id="er-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="er-arrow-head"></path>
                    </marker>
                </defs>
                <g class="er-foreign-keys">{foreign_keys}</g>
                <g class="er-relationships">{relationships}</g>
                <g class="er-tables">{tables}</g>
            </svg>
            </div>
        </div>
    }
}

#[component]
fn TableShape(table: TableBox) -> impl IntoView {
    let header_height = 26.0;
    let columns = table.columns.iter().cloned().map(|line| view! { <ColumnText line x=table.x width=table.width/> }).collect_view();
    view! {
        <g class="er-table" data-table=table.name.clone()>
            <rect class="er-box" x=table.x y=table.y width=table.width height=table.height rx="4"></rect>
            <rect class="er-header" x=table.x y=table.y width=table.width height=header_height rx="4"></rect>
            <text class="er-name" x=table.x + 10.0 y=table.y + 17.0>
                {table.name.clone()}
                <tspan class="er-subtitle" dx="8">{table.subtitle.clone()}</tspan>
            </text>
            {columns}
        </g>
    }
}

#[component]
fn ColumnText(line: ColumnLine, x: f64, width: f64) -> impl IntoView {
    let type_x = x + 10.0 + (line.name.chars().count() + 2) as f64 * CHAR_WIDTH;
    view! {
        <text class="er-column" x=x + 10.0 y=line.y>{line.name}</text>
        <text class="er-type" x=type_x y=line.y>{line.sql_type}</text>
        <text class="er-marks" x=x + width - 10.0 y=line.y text-anchor="end">{line.marks}</text>
    }
}

#[component]
fn ForeignKeyShape(line: ForeignKeyLine) -> impl IntoView {
    view! {
        <path class="er-fk" d=line.path marker-end="url(#er-arrow)">
            <title>{format!("foreign key {}", line.title)}</title>
        </path>
    }
}

#[component]
fn RelationshipShape(line: RelationshipLine) -> impl IntoView {
    let lines = line.label.len();
    let top = line.label_y - 4.0;
    let label = line
        .label
        .into_iter()
        .enumerate()
        .map(|(i, text)| view! { <tspan x=line.label_x dy=if i == 0 { "0" } else { "14" }>{text}</tspan> })
        .collect_view();
    view! {
        <g class="er-relationship">
            <path class="er-rel" d=line.path marker-end="url(#er-arrow)">
                <title>{format!("relationship {}", line.title)}</title>
            </path>
            <rect class="er-label-bg" x=line.label_x - line.label_width / 2.0 - 4.0 y=top - 10.0 width=line.label_width + 8.0 height=lines as f64 * 14.0 + 6.0 rx="3"></rect>
            <text class="er-label" x=line.label_x y=top + 2.0 text-anchor="middle">{label}</text>
        </g>
    }
}

/// The diagram in words, for screen readers.
fn describe(schema: &SchemaView) -> String {
    let tables: Vec<String> = schema
        .tables
        .iter()
        .map(|table| {
            let keys: Vec<String> = table.columns.iter().filter_map(|column| column.foreign_key.as_ref().map(|target| format!("{} references {target}", column.name))).collect();
            if keys.is_empty() {
                format!("table {}", table.name)
            } else {
                format!("table {} ({})", table.name, keys.join(", "))
            }
        })
        .collect();
    let relationships: Vec<String> =
        schema.relationships.iter().map(|relationship| format!("{}.{} is {} to {}", relationship.class_name, relationship.name, relationship.kind, relationship.to_table)).collect();
    format!("{}. Relationships: {}.", tables.join("; "), if relationships.is_empty() { "none".to_owned() } else { relationships.join("; ") })
}

//! The coloured copy of the models under the editor's transparent textarea: the façade's
//! highlight spans, each rendered as text in a span with its class.

use leptos::prelude::*;
use sqla_engine::playground::highlight::highlight;

/// The editor's line height and padding, shared with style/main.css (`.editor-code`).
pub const LINE_HEIGHT_PX: usize = 20;
pub const PADDING_PX: usize = 6;

#[component]
pub fn Highlighted(source: RwSignal<String>) -> impl IntoView {
    let spans = move || {
        source.with(|text| {
            highlight(text)
                .into_iter()
                .map(|span| {
                    // Spans cover the text on character boundaries; `get` keeps that a non-issue.
                    let piece = text.get(span.range).unwrap_or_default().to_owned();
                    match span.kind.css_class() {
                        Some(class) => view! { <span class=class>{piece}</span> }.into_any(),
                        None => piece.into_any(),
                    }
                })
                .collect_view()
        })
    };
    // The trailing newline keeps a last empty line as tall as in the textarea.
    view! { <pre class="editor-highlight" aria-hidden="true">{spans}"\n"</pre> }
}

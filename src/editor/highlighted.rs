//! The coloured copy of the models under the editor's transparent textarea: the façade's
//! highlight spans, each rendered as text in a span with its class. Only the lines in view
//! (and a margin) are rendered, so a model file of 10,000 lines costs no more per keystroke
//! than one screenful: the text is tokenized once per edit, the DOM holds about a hundred lines.

use std::ops::Range;

use leptos::prelude::*;
use sqla_engine::playground::highlight::{highlight, HighlightSpan};

/// The editor's line height and padding, shared with style/main.css (`.editor-code`).
pub const LINE_HEIGHT_PX: usize = 20;
pub const PADDING_PX: usize = 6;
/// Lines rendered above and below the ones in view, so that scrolling shows text at once.
const OVERSCAN_LINES: usize = 40;

/// The lines to render, `first..end`, for the editor scrolled to `scroll_top` pixels with
/// `viewport` pixels in view.
pub fn lines_in_view(scroll_top: f64, viewport: f64, line_count: usize) -> Range<usize> {
    let top = (scroll_top.max(0.0) as usize).saturating_sub(PADDING_PX) / LINE_HEIGHT_PX;
    let shown = viewport.max(0.0) as usize / LINE_HEIGHT_PX + 1;
    let first = top.saturating_sub(OVERSCAN_LINES).min(line_count);
    let end = (top + shown + OVERSCAN_LINES).min(line_count);
    first..end.max(first)
}

#[component]
pub fn Highlighted(source: RwSignal<String>, lines: Memo<Range<usize>>) -> impl IntoView {
    // Tokenized once per edit; scrolling only picks other lines.
    let spans = Memo::new(move |_| source.with(|text| highlight(text)));
    let rendered = move || {
        let Range { start: first, end } = lines.get();
        source.with(|text| {
            let bytes = line_bytes(text, first, end);
            spans.with(|spans| {
                // Spans are in order: skip to the first one that reaches the window.
                let from = spans.partition_point(|span| span.range.end <= bytes.start);
                spans[from..]
                    .iter()
                    .take_while(|span| span.range.start < bytes.end)
                    .map(|span| piece(text, span, &bytes))
                    .collect_view()
            })
        })
    };
    let offset = move || format!("padding-top: {}px", lines.get().start * LINE_HEIGHT_PX + PADDING_PX);
    // The trailing newline keeps a last empty line as tall as in the textarea.
    view! { <pre class="editor-highlight" aria-hidden="true" style=offset>{rendered}"\n"</pre> }
}

/// The part of `span` inside `window` (byte offsets), as text in a span with its class.
fn piece(text: &str, span: &HighlightSpan, window: &Range<usize>) -> AnyView {
    let range = span.range.start.max(window.start)..span.range.end.min(window.end);
    // Window edges are line starts and spans lie on character boundaries; `get` keeps that a non-issue.
    let piece = text.get(range).unwrap_or_default().to_owned();
    match span.kind.css_class() {
        Some(class) => view! { <span class=class>{piece}</span> }.into_any(),
        None => piece.into_any(),
    }
}

/// The byte range of lines `first..end` of `text` (line numbers from 0).
fn line_bytes(text: &str, first: usize, end: usize) -> Range<usize> {
    let mut starts = std::iter::once(0).chain(text.match_indices('\n').map(|(index, _)| index + 1));
    let start = starts.nth(first).unwrap_or(text.len());
    let stop = if end > first { starts.nth(end - first - 1).unwrap_or(text.len()) } else { start };
    start..stop
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_lines_in_view_and_a_margin() {
        assert_eq!(lines_in_view(0.0, 400.0, 10_000), 0..61);
        let scrolled = lines_in_view(20_006.0, 400.0, 10_000);
        assert_eq!(scrolled, 960..1061);
        assert_eq!(lines_in_view(1e9, 400.0, 10_000), 10_000..10_000);
        assert_eq!(lines_in_view(0.0, 400.0, 3), 0..3);
    }

    #[test]
    fn line_bytes_cut_the_text_at_line_starts() {
        let text = "a\nbb\n\nccc";
        assert_eq!(&text[line_bytes(text, 0, 1)], "a\n");
        assert_eq!(&text[line_bytes(text, 1, 3)], "bb\n\n");
        assert_eq!(&text[line_bytes(text, 3, 4)], "ccc");
        assert_eq!(line_bytes(text, 2, 2), 5..5);
        assert_eq!(line_bytes(text, 0, 9), 0..text.len());
    }
}

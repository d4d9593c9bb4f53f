//! The editor's keys as text edits: Tab indents, Shift+Tab dedents, Enter keeps the
//! indentation (one level more after a `:`). Offsets are byte offsets into the text; the
//! browser's UTF-16 offsets convert with [`utf16_to_byte`] / [`byte_to_utf16`].

/// Python's usual indentation step.
pub const INDENT: &str = "    ";

/// Replace `text[start..end]` by `replacement`, then select `selection` (in the new text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    pub selection: (usize, usize),
}

/// Tab: spaces up to the next indentation stop at the cursor; with a selection over several
/// lines, one level more on each of them.
pub fn indent(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    let first = line_start(text, start);
    if !text[start..end].contains('\n') {
        let column = text[first..start].chars().count();
        let spaces = " ".repeat(INDENT.len() - column % INDENT.len());
        let caret = start + spaces.len();
        return Edit { start, end, replacement: spaces, selection: (caret, caret) };
    }
    let last = lines_end(text, start, end);
    let block = &text[first..last];
    let lines: Vec<&str> = block.split('\n').collect();
    let replacement = lines.iter().map(|line| if line.is_empty() { String::new() } else { format!("{INDENT}{line}") }).collect::<Vec<_>>().join("\n");
    // A selection from the start of a line keeps whole lines selected, indentation included.
    let added_before_start = if start == first { 0 } else { INDENT.len() };
    Edit { start: first, end: last, selection: (start + added_before_start, first + replacement.len()), replacement }
}

/// Shift+Tab: up to one level less on every line the selection touches.
pub fn dedent(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    let first = line_start(text, start);
    let last = lines_end(text, start, end);
    let block = &text[first..last];
    let mut removed_before_start = 0;
    let mut replacement = Vec::new();
    for (index, line) in block.split('\n').enumerate() {
        let removable = line.len() - line.trim_start_matches(' ').len();
        let removed = removable.min(INDENT.len());
        if index == 0 {
            removed_before_start = removed.min(start - first);
        }
        replacement.push(&line[removed..]);
    }
    let replacement = replacement.join("\n");
    let selection_start = start - removed_before_start;
    let selection_end = if start == end { selection_start } else { first + replacement.len() };
    Edit { start: first, end: last, replacement, selection: (selection_start, selection_end) }
}

/// Enter: a new line with the current line's indentation, one level more after a `:`.
pub fn newline(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    let line = &text[line_start(text, start)..start];
    let mut indentation: String = line.chars().take_while(|c| *c == ' ').collect();
    if line.trim_end().ends_with(':') {
        indentation.push_str(INDENT);
    }
    let replacement = format!("\n{indentation}");
    let caret = start + replacement.len();
    Edit { start, end, replacement, selection: (caret, caret) }
}

/// The byte offset of a UTF-16 offset (clamped to the text, on a character boundary).
pub fn utf16_to_byte(text: &str, offset: u32) -> usize {
    let mut units = 0_u32;
    for (index, c) in text.char_indices() {
        if units >= offset {
            return index;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 offset of a byte offset.
pub fn byte_to_utf16(text: &str, offset: usize) -> u32 {
    text.get(..offset).unwrap_or(text).encode_utf16().count() as u32
}

/// The selection in order, clamped to the text and to character boundaries.
fn ordered(text: &str, start: usize, end: usize) -> (usize, usize) {
    let clamp = |mut offset: usize| {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let (start, end) = (clamp(start), clamp(end));
    (start.min(end), start.max(end))
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |newline| newline + 1)
}

/// The end of the last line a selection touches; a selection ending at the very start of a
/// line does not touch that line.
fn lines_end(text: &str, start: usize, end: usize) -> usize {
    let end = if end > start && text[..end].ends_with('\n') { end - 1 } else { end };
    text[end..].find('\n').map_or(text.len(), |newline| end + newline)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text after an edit, with `|` at the selection's ends.
    fn apply(text: &str, edit: Edit) -> String {
        let mut out = format!("{}{}{}", &text[..edit.start], edit.replacement, &text[edit.end..]);
        let (start, end) = edit.selection;
        out.insert(end, '|');
        if start != end {
            out.insert(start, '|');
        }
        out
    }

    #[test]
    fn tab_at_the_cursor_goes_to_the_next_stop() {
        assert_eq!(apply("ab", indent("ab", 0, 0)), "    |ab");
        assert_eq!(apply("ab", indent("ab", 1, 1)), "a   |b");
        assert_eq!(apply("x = 1", indent("x = 1", 1, 4)), "x   |1");
    }

    #[test]
    fn tab_over_lines_indents_each_and_keeps_them_selected() {
        let text = "a\nb\n\nc\nd";
        assert_eq!(apply(text, indent(text, 0, 6)), "|    a\n    b\n\n    c|\nd");
        // A selection that ends at the start of a line leaves that line alone.
        assert_eq!(apply(text, indent(text, 2, 5)), "a\n|    b\n|\nc\nd");
        // From inside a line, the start moves with its text.
        assert_eq!(apply(text, indent(text, 3, 5)), "a\n    b|\n|\nc\nd");
    }

    #[test]
    fn shift_tab_dedents_up_to_one_level() {
        let text = "class A:\n        x = 1\n  y = 2\nz";
        assert_eq!(apply(text, dedent(text, 17, 17)), "class A:\n    |x = 1\n  y = 2\nz");
        assert_eq!(apply(text, dedent(text, 13, 13)), "class A:\n|    x = 1\n  y = 2\nz");
        assert_eq!(apply(text, dedent(text, 9, 30)), "class A:\n|    x = 1\ny = 2|\nz");
        assert_eq!(apply("x", dedent("x", 1, 1)), "x|");
    }

    #[test]
    fn enter_keeps_the_indentation_and_adds_a_level_after_a_colon() {
        assert_eq!(apply("    x = 1", newline("    x = 1", 9, 9)), "    x = 1\n    |");
        assert_eq!(apply("class A(db.Model):", newline("class A(db.Model):", 18, 18)), "class A(db.Model):\n    |");
        assert_eq!(apply("ab", newline("ab", 1, 2)), "a\n|");
    }

    #[test]
    fn utf16_offsets_convert_to_bytes_and_back() {
        let text = "é𝄞x";
        assert_eq!(utf16_to_byte(text, 0), 0);
        assert_eq!(utf16_to_byte(text, 1), 2);
        assert_eq!(utf16_to_byte(text, 3), 6);
        assert_eq!(utf16_to_byte(text, 99), text.len());
        assert_eq!(byte_to_utf16(text, 6), 3);
        assert_eq!(byte_to_utf16(text, 7), 4);
    }

    #[test]
    fn offsets_off_the_text_or_inside_a_character_are_clamped() {
        assert_eq!(apply("é", indent("é", 1, 1)), "    |é");
        assert_eq!(apply("é", indent("é", 1, 99)), "    |");
    }
}

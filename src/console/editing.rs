//! The console input's editing rules, as plain text functions: what Enter does (run, or a
//! new `...` line as in the interactive Python shell), indentation of a new line, the word a
//! completion replaces, and the browser's UTF-16 cursor positions.

use sqla_engine::playground::InputState;

/// What Enter does with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnterAction {
    /// Run this source (the input, its trailing blank lines dropped).
    Run(String),
    /// Start a new line with this indentation.
    NewLine(String),
}

/// Enter at the end of `text`, as the interactive shell decides: a complete statement runs,
/// an incomplete one (`for x in y:`, an open bracket) continues on a `...` line, and a blank
/// line ends a block. Invalid input runs, so that its `SyntaxError` shows.
pub fn on_enter(text: &str, state: impl Fn(&str) -> InputState) -> EnterAction {
    let last_line = text.rsplit('\n').next().unwrap_or("");
    let multi_line = text.contains('\n');
    if multi_line && last_line.trim().is_empty() {
        let block = format!("{}\n", text.trim_end());
        return match state(&block) {
            InputState::Incomplete => EnterAction::NewLine(next_indent(last_nonblank_line(text))),
            InputState::Complete | InputState::Invalid(_) => EnterAction::Run(block),
        };
    }
    match state(text) {
        InputState::Incomplete => EnterAction::NewLine(next_indent(last_line)),
        InputState::Complete | InputState::Invalid(_) => {
            EnterAction::Run(if multi_line { format!("{}\n", text.trim_end()) } else { text.to_owned() })
        }
    }
}

fn last_nonblank_line(text: &str) -> &str {
    text.rsplit('\n').find(|line| !line.trim().is_empty()).unwrap_or("")
}

const INDENT: &str = "    ";

/// The indentation for the line after `line`: the same, one level deeper after a `:`, one
/// level less after a statement that ends a block (`return`, `pass`, ...).
pub fn next_indent(line: &str) -> String {
    let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let code = line.trim();
    if code.ends_with(':') && !code.starts_with('#') {
        return format!("{indent}{INDENT}");
    }
    let first_word = code.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("");
    if matches!(first_word, "return" | "pass" | "break" | "continue" | "raise") {
        return indent.strip_suffix(INDENT).unwrap_or("").to_owned();
    }
    indent
}

/// Where the word before the cursor starts (a byte index into `before_cursor`): the part of
/// a name or attribute that a completion replaces.
pub fn word_start(before_cursor: &str) -> usize {
    before_cursor
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(before_cursor.len(), |(index, _)| index)
}

/// The longest prefix all candidates share.
pub fn common_prefix(candidates: &[String]) -> String {
    let Some((first, rest)) = candidates.split_first() else { return String::new() };
    let mut prefix = first.as_str();
    for candidate in rest {
        let shared = prefix.char_indices().zip(candidate.chars()).take_while(|((_, a), b)| a == b).last();
        prefix = match shared {
            Some(((index, c), _)) => &prefix[..index + c.len_utf8()],
            None => "",
        };
    }
    prefix.to_owned()
}

/// The byte index in `text` of a cursor position the browser gives in UTF-16 code units.
pub fn byte_index(text: &str, utf16_position: u32) -> usize {
    let mut units = 0u32;
    for (index, c) in text.char_indices() {
        if units >= utf16_position {
            return index;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The length of `text` in UTF-16 code units (the browser's cursor positions).
pub fn utf16_len(text: &str) -> u32 {
    text.chars().map(|c| c.len_utf16() as u32).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqla_engine::playground::Playground;

    fn enter(text: &str) -> EnterAction {
        let playground = Playground::new();
        on_enter(text, |source| playground.input_state(source))
    }

    #[test]
    fn a_complete_statement_runs() {
        assert_eq!(enter("x = 1"), EnterAction::Run("x = 1".into()));
    }

    #[test]
    fn a_block_continues_until_a_blank_line() {
        assert_eq!(enter("for x in range(3):"), EnterAction::NewLine("    ".into()));
        assert_eq!(enter("for x in range(3):\n    print(x)"), EnterAction::NewLine("    ".into()));
        assert_eq!(enter("for x in range(3):\n    print(x)\n    "), EnterAction::Run("for x in range(3):\n    print(x)\n".into()));
    }

    #[test]
    fn an_open_bracket_continues_even_after_a_blank_line() {
        assert_eq!(enter("x = (1,"), EnterAction::NewLine(String::new()));
        assert_eq!(enter("x = (1,\n"), EnterAction::NewLine(String::new()));
        assert_eq!(enter("x = (1,\n2)"), EnterAction::Run("x = (1,\n2)\n".into()));
    }

    #[test]
    fn invalid_input_runs_to_show_its_error() {
        assert_eq!(enter("print(1))"), EnterAction::Run("print(1))".into()));
    }

    #[test]
    fn new_lines_indent_after_a_colon_and_dedent_after_return() {
        assert_eq!(next_indent("    if x:"), "        ");
        assert_eq!(next_indent("        return x"), "    ");
        assert_eq!(next_indent("    y = 1"), "    ");
        assert_eq!(next_indent("pass"), "");
    }

    #[test]
    fn completion_replaces_the_word_before_the_cursor() {
        assert_eq!(word_start("User.que"), 5);
        assert_eq!(word_start("print(Us"), 6);
        assert_eq!(word_start("x = "), 4);
        assert_eq!(common_prefix(&["query".into(), "query_class".into()]), "query");
        assert_eq!(common_prefix(&["add".into(), "add_all".into(), "autoflush".into()]), "a");
        assert_eq!(common_prefix(&["é1".into(), "é2".into()]), "é");
    }

    #[test]
    fn cursor_positions_count_utf16_units() {
        let text = "s = '😀'; x";
        assert_eq!(utf16_len("😀"), 2);
        assert_eq!(byte_index(text, utf16_len("s = '😀'")), "s = '😀'".len());
        assert_eq!(byte_index(text, 1000), text.len());
    }
}

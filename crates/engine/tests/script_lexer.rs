//! Lexical rules (through the errors and values they produce) and the
//! tolerant tokenizer used for syntax highlighting.

use sqla_engine::script::highlight::{highlight, TokenClass};
use sqla_engine::script::{Interpreter, ScriptError};

fn run(src: &str) -> Result<String, ScriptError> {
    let mut interp = Interpreter::new();
    let main = interp.new_module("__main__", "lex.py");
    interp.run_module(&main, src)?;
    Ok(interp.take_output())
}

fn syntax(src: &str) -> String {
    run(src).expect_err("syntax error").render()
}

#[test]
fn numbers() {
    assert_eq!(
        run("print(1_000, 0x_ff, 0o17, 0b101, 1.5e3, .5, 5., 1e-3, 0, 00, 1_0.5_0)").unwrap(),
        "1000 255 15 5 1500.0 0.5 5.0 0.001 0 0 10.5\n"
    );
    assert!(syntax("x = 1__0").ends_with("SyntaxError: invalid decimal literal\n"));
    assert!(syntax("x = 0b12").ends_with("SyntaxError: invalid digit '2' in binary literal\n"));
    assert!(syntax("x = 0x").ends_with("SyntaxError: invalid hexadecimal literal\n"));
    assert!(syntax("x = 1abc").ends_with("SyntaxError: invalid decimal literal\n"));
    assert!(syntax("x = 3j").ends_with("NotImplementedError: complex numbers are not supported in the playground\n"));
    assert_eq!(
        syntax("x = 0123"),
        "  File \"lex.py\", line 1\n    x = 0123\n        ^\nSyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers\n"
    );
}

#[test]
fn strings_and_escapes() {
    assert_eq!(
        run(r#"print('a\tb', "q\"q", 'it\'s', r'raw\n', b'\x41\n', '\u00e9', '\x41\101', 'con' 'cat', """tri
ple""", f'{1}' 'x' f"{2!r}")"#)
        .unwrap(),
        "a\tb q\"q it's raw\\n b'A\\n' é AA concat tri\nple 1x2\n"
    );
    assert_eq!(run("print('unknown \\q escape')").unwrap(), "unknown \\q escape\n");
    assert_eq!(run("s = 'line \\\ncontinued'\nprint(s)").unwrap(), "line continued\n");
    assert!(syntax("x = 'abc").ends_with("SyntaxError: unterminated string literal (detected at line 1)\n"));
    assert!(syntax("x = '''abc\n\ny").ends_with("SyntaxError: unterminated triple-quoted string literal (detected at line 3)\n"));
    assert!(syntax("x = b'\u{e9}'").ends_with("SyntaxError: bytes can only contain ASCII literal characters\n"));
    assert!(syntax("x = 'a' b'b'").ends_with("SyntaxError: cannot mix bytes and nonbytes literals\n"));
    assert!(syntax(r"x = '\x4'").contains("truncated \\xXX escape"));
    assert!(syntax(r"x = '\N'").contains("malformed \\N character escape"));
    assert!(syntax(r"x = '\N{BULLET}'").ends_with("NotImplementedError: named Unicode escapes (\\N{...}) are not supported in the playground\n"));
}

#[test]
fn indentation_and_line_joining() {
    assert_eq!(run("x = (1 +\n     2)\ny = [1,\n  2,\n]\nz = 1 + \\\n    2\nif x:\n\n    # comment\n    print(x, y, z)\n").unwrap(), "3 [1, 2] 3\n");
    assert_eq!(run("if True:\n\tprint('tab')\n\tif True:\n\t\tprint('tabs')\n").unwrap(), "tab\ntabs\n");
    assert!(syntax("if True:\n\tx = 1\n        y = 2\n").ends_with("TabError: inconsistent use of tabs and spaces in indentation\n"));
    assert!(syntax("if True:\n    x = 1\n  y = 2\n").ends_with("IndentationError: unindent does not match any outer indentation level\n"));
    assert!(syntax("x = 1 \\ 2").ends_with("SyntaxError: unexpected character after line continuation character\n"));
    assert!(syntax("a = 1\n  b = 2").ends_with("IndentationError: unexpected indent\n"));
    assert_eq!(run("x = 1; y = 2; print(x + y)\r\nprint('crlf')\r\n").unwrap(), "3\ncrlf\n");
}

#[test]
fn brackets_and_characters() {
    assert!(syntax("x = (1, 2]").ends_with("SyntaxError: closing parenthesis ']' does not match opening parenthesis '('\n"));
    assert!(syntax("x = (1,\n2]").ends_with("SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' on line 1\n"));
    assert!(syntax("x = 1)").ends_with("SyntaxError: unmatched ')'\n"));
    assert!(syntax("x = {'a': [1, 2\n").ends_with("SyntaxError: '[' was never closed\n"));
    assert!(syntax("x = 5 € 3").ends_with("SyntaxError: invalid character '€' (U+20AC)\n"));
    assert!(syntax("a $ b").ends_with("SyntaxError: invalid syntax\n"));
    assert_eq!(run("café = 'ok'\nprint(café)").unwrap(), "ok\n");
}

fn classes(src: &str) -> Vec<(TokenClass, &str)> {
    highlight(src).into_iter().map(|t| (t.class, &src[t.start..t.end])).collect()
}

#[test]
fn highlighting_classifies_tokens() {
    use TokenClass::*;
    assert_eq!(
        classes("@app.route('/x')\ndef f(n=1.5):  # note\n    return None if n else print(f\"{n}\")"),
        vec![
            (Decorator, "@app.route"),
            (Punctuation, "("),
            (String, "'/x'"),
            (Punctuation, ")"),
            (Keyword, "def"),
            (Name, "f"),
            (Punctuation, "("),
            (Name, "n"),
            (Operator, "="),
            (Number, "1.5"),
            (Punctuation, ")"),
            (Punctuation, ":"),
            (Comment, "# note"),
            (Keyword, "return"),
            (Constant, "None"),
            (Keyword, "if"),
            (Name, "n"),
            (Keyword, "else"),
            (Builtin, "print"),
            (Punctuation, "("),
            (String, "f\"{n}\""),
            (Punctuation, ")"),
        ]
    );
}

#[test]
fn highlighting_never_fails() {
    use TokenClass::*;
    assert_eq!(classes("x = 'unterminated\ny = 2"), vec![(Name, "x"), (Operator, "="), (String, "'unterminated"), (Name, "y"), (Operator, "="), (Number, "2")]);
    assert_eq!(classes("s = '''open\nstill open"), vec![(Name, "s"), (Operator, "="), (String, "'''open\nstill open")]);
    assert_eq!(classes("a ? b ` é €"), vec![(Name, "a"), (Error, "?"), (Name, "b"), (Error, "`"), (Name, "é"), (Error, "€")]);
    assert_eq!(classes("'ends with backslash\\"), vec![(String, "'ends with backslash\\")]);
    // Arbitrary bytes-as-text and odd inputs produce spans on char boundaries.
    for text in ["", "\u{0}\u{1}", "((((", "'\\", "1e+", "\"\"\"\\", "x\u{300}y", "日本語 = 1", "@", "#"] {
        for t in highlight(text) {
            assert!(t.start < t.end && t.end <= text.len() && text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "{text:?}");
        }
    }
}

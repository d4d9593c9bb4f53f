//! The strict tokenizer: Python's lexical rules (indentation with INDENT/DEDENT,
//! implicit line joining inside brackets, backslash continuation, all string and
//! number forms). The first error becomes an `Error` token at its position, so
//! that a parse error earlier in the file is reported first, as CPython does.

use std::rc::Rc;

use super::ast::{Pos, Span};
use super::syntax_error::{SyntaxErrorInfo, SyntaxErrorKind};

/// Maximum bracket nesting (CPython's tokenizer limit).
pub(crate) const MAX_PAREN_DEPTH: usize = 200;
/// Maximum indentation depth (CPython's tokenizer limit).
const MAX_INDENT_DEPTH: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kw {
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
}

impl Kw {
    pub(crate) fn from_str(s: &str) -> Option<Kw> {
        Some(match s {
            "False" => Kw::False,
            "None" => Kw::None,
            "True" => Kw::True,
            "and" => Kw::And,
            "as" => Kw::As,
            "assert" => Kw::Assert,
            "async" => Kw::Async,
            "await" => Kw::Await,
            "break" => Kw::Break,
            "class" => Kw::Class,
            "continue" => Kw::Continue,
            "def" => Kw::Def,
            "del" => Kw::Del,
            "elif" => Kw::Elif,
            "else" => Kw::Else,
            "except" => Kw::Except,
            "finally" => Kw::Finally,
            "for" => Kw::For,
            "from" => Kw::From,
            "global" => Kw::Global,
            "if" => Kw::If,
            "import" => Kw::Import,
            "in" => Kw::In,
            "is" => Kw::Is,
            "lambda" => Kw::Lambda,
            "nonlocal" => Kw::Nonlocal,
            "not" => Kw::Not,
            "or" => Kw::Or,
            "pass" => Kw::Pass,
            "raise" => Kw::Raise,
            "return" => Kw::Return,
            "try" => Kw::Try,
            "while" => Kw::While,
            "with" => Kw::With,
            "yield" => Kw::Yield,
            _ => return None,
        })
    }
}

/// Python's keywords, for completion and highlighting.
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
    "pass", "raise", "return", "try", "while", "with", "yield",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    LPar,
    RPar,
    LSqb,
    RSqb,
    LBrace,
    RBrace,
    Colon,
    Comma,
    Semi,
    Plus,
    Minus,
    Star,
    Slash,
    VBar,
    Amper,
    Less,
    Greater,
    Equal,
    Dot,
    Percent,
    EqEqual,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Tilde,
    Circumflex,
    LeftShift,
    RightShift,
    DoubleStar,
    PlusEqual,
    MinEqual,
    StarEqual,
    SlashEqual,
    PercentEqual,
    AmperEqual,
    VBarEqual,
    CircumflexEqual,
    LeftShiftEqual,
    RightShiftEqual,
    DoubleStarEqual,
    DoubleSlash,
    DoubleSlashEqual,
    At,
    AtEqual,
    RArrow,
    Ellipsis,
    ColonEqual,
    Exclamation,
}


/// Operators sorted longest first, for maximal munch.
const OPERATORS: &[(&str, Op)] = &[
    ("**=", Op::DoubleStarEqual),
    ("//=", Op::DoubleSlashEqual),
    (">>=", Op::RightShiftEqual),
    ("<<=", Op::LeftShiftEqual),
    ("...", Op::Ellipsis),
    ("**", Op::DoubleStar),
    ("//", Op::DoubleSlash),
    (">>", Op::RightShift),
    ("<<", Op::LeftShift),
    ("<=", Op::LessEqual),
    (">=", Op::GreaterEqual),
    ("==", Op::EqEqual),
    ("!=", Op::NotEqual),
    ("->", Op::RArrow),
    ("+=", Op::PlusEqual),
    ("-=", Op::MinEqual),
    ("*=", Op::StarEqual),
    ("/=", Op::SlashEqual),
    ("%=", Op::PercentEqual),
    ("&=", Op::AmperEqual),
    ("|=", Op::VBarEqual),
    ("^=", Op::CircumflexEqual),
    ("@=", Op::AtEqual),
    (":=", Op::ColonEqual),
    ("(", Op::LPar),
    (")", Op::RPar),
    ("[", Op::LSqb),
    ("]", Op::RSqb),
    ("{", Op::LBrace),
    ("}", Op::RBrace),
    (":", Op::Colon),
    (",", Op::Comma),
    (";", Op::Semi),
    ("+", Op::Plus),
    ("-", Op::Minus),
    ("*", Op::Star),
    ("/", Op::Slash),
    ("|", Op::VBar),
    ("&", Op::Amper),
    ("<", Op::Less),
    (">", Op::Greater),
    ("=", Op::Equal),
    (".", Op::Dot),
    ("%", Op::Percent),
    ("~", Op::Tilde),
    ("^", Op::Circumflex),
    ("@", Op::At),
    ("!", Op::Exclamation),
];

/// A string literal as written: the prefix flags and the text between the quotes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StrTok {
    pub raw: bool,
    pub bytes: bool,
    pub fstring: bool,
    /// For plain strings and bytes: the decoded value (bytes as Latin-1 chars).
    pub value: String,
    /// For f-strings: the text between the quotes, undecoded.
    pub body: String,
    /// Where the body starts in the source.
    pub body_start: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Name(Rc<str>),
    Kw(Kw),
    Int(i64),
    Float(f64),
    Str(Box<StrTok>),
    Op(Op),
    Newline,
    Indent,
    Dedent,
    End,
    Error(Box<SyntaxErrorInfo>),
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

pub(crate) fn is_id_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

pub(crate) fn is_id_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && (c.is_alphanumeric() || is_combining(c)))
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

struct Lexer<'a> {
    chars: &'a [char],
    i: usize,
    line: u32,
    line_start: usize,
    parens: Vec<(char, Pos)>,
    /// Indentation levels: (column with tabs to multiples of 8, column with tabs as 1).
    indents: Vec<(u32, u32)>,
    at_line_start: bool,
    tokens: Vec<Token>,
    interned: std::collections::HashMap<String, Rc<str>>,
}

/// Tokenize `source`. Always ends with `End` or with an `Error` token.
pub(crate) fn tokenize(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut lx = Lexer {
        chars: &chars,
        i: 0,
        line: 1,
        line_start: 0,
        parens: Vec::new(),
        indents: vec![(0, 0)],
        at_line_start: true,
        tokens: Vec::new(),
        interned: Default::default(),
    };
    // CPython refuses such source before tokenizing it, wherever the NUL is (even in a
    // string or a comment); the error is placed on the NUL here, CPython gives no line.
    let checked = match chars.iter().position(|&c| c == '\0') {
        Some(nul) => {
            lx.line += chars[..nul].iter().filter(|&&c| c == '\n').count() as u32;
            lx.line_start = chars[..nul].iter().rposition(|&c| c == '\n').map_or(0, |newline| newline + 1);
            Err(lx.syntax("source code string cannot contain null bytes", nul - lx.line_start))
        }
        None => lx.run(),
    };
    if let Err(err) = checked {
        let pos = Pos { line: err.line, col: (err.offset.max(1) - 1) as u32 };
        lx.tokens.push(Token { tok: Tok::Error(err), span: Span::new(pos, pos) });
    }
    lx.tokens
}

type LexResult<T> = Result<T, Box<SyntaxErrorInfo>>;

impl<'a> Lexer<'a> {
    fn pos(&self) -> Pos {
        Pos { line: self.line, col: (self.i - self.line_start) as u32 }
    }

    fn peek_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn cur(&self) -> Option<char> {
        self.peek_at(self.i)
    }

    fn error(&self, kind: SyntaxErrorKind, msg: impl Into<String>, col: usize, end_offset: i32) -> Box<SyntaxErrorInfo> {
        Box::new(SyntaxErrorInfo::new(kind, msg, self.line, col as i32 + 1, self.line, end_offset))
    }

    fn syntax(&self, msg: impl Into<String>, col: usize) -> Box<SyntaxErrorInfo> {
        self.error(SyntaxErrorKind::SyntaxError, msg, col, col as i32 + 1)
    }

    fn push(&mut self, tok: Tok, start: Pos) {
        let end = self.pos();
        self.tokens.push(Token { tok, span: Span::new(start, end) });
    }

    fn newline(&mut self) {
        // `self.i` points just past the line break.
        self.line += 1;
        self.line_start = self.i;
    }

    /// Consume a line break at `self.i` (LF, CRLF or CR); returns false if none.
    fn eat_line_break(&mut self) -> bool {
        match self.cur() {
            Some('\n') => {
                self.i += 1;
            }
            Some('\r') => {
                self.i += 1;
                if self.cur() == Some('\n') {
                    self.i += 1;
                }
            }
            _ => return false,
        }
        self.newline();
        true
    }

    fn last_is_newline_or_start(&self) -> bool {
        matches!(self.tokens.last().map(|t| &t.tok), None | Some(Tok::Newline) | Some(Tok::Indent) | Some(Tok::Dedent))
    }

    fn run(&mut self) -> LexResult<()> {
        loop {
            if self.at_line_start && self.parens.is_empty() && !self.indentation()? {
                break;
            }
            // Skip blanks between tokens.
            while let Some(c) = self.cur() {
                if c == ' ' || c == '\t' || c == '\x0c' {
                    self.i += 1;
                } else {
                    break;
                }
            }
            let Some(c) = self.cur() else { break };
            let start = self.pos();
            match c {
                '#' => {
                    while let Some(c) = self.cur() {
                        if c == '\n' || c == '\r' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                '\n' | '\r' => {
                    if self.parens.is_empty() && !self.last_is_newline_or_start() {
                        self.eat_line_break();
                        self.tokens.push(Token { tok: Tok::Newline, span: Span::new(start, Pos { line: start.line, col: start.col + 1 }) });
                    } else {
                        self.eat_line_break();
                    }
                    if self.parens.is_empty() {
                        self.at_line_start = true;
                    }
                }
                '\\' => {
                    self.i += 1;
                    if self.cur().is_none() {
                        let mut err = self.syntax("unexpected EOF while parsing", self.i - self.line_start);
                        err.incomplete = true;
                        return Err(err);
                    }
                    if !self.eat_line_break() {
                        let col = self.i - self.line_start;
                        return Err(self.error(SyntaxErrorKind::SyntaxError, "unexpected character after line continuation character", col, 0));
                    }
                    if self.cur().is_none() {
                        let mut err = self.syntax("unexpected EOF while parsing", 0);
                        err.incomplete = true;
                        return Err(err);
                    }
                }
                c if is_id_start(c) => self.name_or_string(start)?,
                c if c.is_ascii_digit() => self.number(start)?,
                '.' if self.peek_at(self.i + 1).is_some_and(|d| d.is_ascii_digit()) => self.number(start)?,
                '\'' | '"' => self.string(start, false, false, false)?,
                _ => self.operator(start, c)?,
            }
        }
        self.finish()
    }

    /// Measure the indentation of a new logical line and emit INDENT/DEDENT.
    /// Returns false at end of input.
    fn indentation(&mut self) -> LexResult<bool> {
        loop {
            let mut col = 0u32;
            let mut altcol = 0u32;
            let mut j = self.i;
            while let Some(c) = self.peek_at(j) {
                match c {
                    ' ' => {
                        col += 1;
                        altcol += 1;
                    }
                    '\t' => {
                        col = (col / 8 + 1) * 8;
                        altcol += 1;
                    }
                    '\x0c' => {
                        col = 0;
                        altcol = 0;
                    }
                    _ => break,
                }
                j += 1;
            }
            match self.peek_at(j) {
                None => {
                    self.i = j;
                    return Ok(false);
                }
                Some('#') | Some('\n') | Some('\r') => {
                    // Blank or comment-only line: no indentation processing.
                    self.i = j;
                    while let Some(c) = self.cur() {
                        if c == '\n' || c == '\r' {
                            break;
                        }
                        self.i += 1;
                    }
                    if !self.eat_line_break() {
                        return Ok(false);
                    }
                    continue;
                }
                Some('\\') if matches!(self.peek_at(j + 1), Some('\n') | Some('\r')) && self.last_is_newline_or_start() && self.tokens.is_empty() => {
                    // A continuation at the very start: treat as part of the line.
                    self.i = j;
                    self.at_line_start = false;
                    return Ok(true);
                }
                Some(_) => {}
            }
            self.i = j;
            self.at_line_start = false;
            let (top, alttop) = self.indents.last().copied().unwrap_or((0, 0));
            let start = self.pos();
            if col == top {
                if altcol != alttop {
                    return Err(self.tab_error());
                }
            } else if col > top {
                if self.indents.len() >= MAX_INDENT_DEPTH {
                    return Err(self.error(SyntaxErrorKind::IndentationError, "too many levels of indentation", j - self.line_start, -1));
                }
                if altcol <= alttop {
                    return Err(self.tab_error());
                }
                self.indents.push((col, altcol));
                self.tokens.push(Token { tok: Tok::Indent, span: Span::new(Pos { line: start.line, col: 0 }, start) });
            } else {
                while self.indents.len() > 1 && col < self.indents.last().map_or(0, |t| t.0) {
                    self.indents.pop();
                    self.tokens.push(Token { tok: Tok::Dedent, span: Span::new(start, start) });
                }
                let (top, alttop) = self.indents.last().copied().unwrap_or((0, 0));
                if col != top {
                    // CPython points just past the end of the line.
                    let line_len = self.chars[self.line_start..].iter().take_while(|c| **c != '\n' && **c != '\r').count();
                    return Err(Box::new(SyntaxErrorInfo::new(
                        SyntaxErrorKind::IndentationError,
                        "unindent does not match any outer indentation level",
                        self.line,
                        line_len as i32 + 1,
                        self.line,
                        -1,
                    )));
                }
                if altcol != alttop {
                    return Err(self.tab_error());
                }
            }
            return Ok(true);
        }
    }

    fn tab_error(&self) -> Box<SyntaxErrorInfo> {
        Box::new(SyntaxErrorInfo::new(
            SyntaxErrorKind::TabError,
            "inconsistent use of tabs and spaces in indentation",
            self.line,
            1,
            self.line,
            0,
        ))
    }

    fn finish(&mut self) -> LexResult<()> {
        if let Some(&(open, pos)) = self.parens.last() {
            let mut err = SyntaxErrorInfo::new(
                SyntaxErrorKind::SyntaxError,
                format!("'{open}' was never closed"),
                pos.line,
                pos.col as i32 + 1,
                pos.line,
                0,
            );
            err.incomplete = true;
            return Err(Box::new(err));
        }
        let end = self.pos();
        if !self.last_is_newline_or_start() {
            self.tokens.push(Token { tok: Tok::Newline, span: Span::new(end, end) });
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.tokens.push(Token { tok: Tok::Dedent, span: Span::new(end, end) });
        }
        self.tokens.push(Token { tok: Tok::End, span: Span::new(end, end) });
        Ok(())
    }

    fn intern(&mut self, s: String) -> Rc<str> {
        if let Some(rc) = self.interned.get(&s) {
            return rc.clone();
        }
        let rc: Rc<str> = Rc::from(s.as_str());
        self.interned.insert(s, rc.clone());
        rc
    }

    fn name_or_string(&mut self, start: Pos) -> LexResult<()> {
        let begin = self.i;
        while let Some(c) = self.cur() {
            if is_id_continue(c) {
                self.i += 1;
            } else {
                break;
            }
        }
        let word: String = self.chars[begin..self.i].iter().collect();
        if matches!(self.cur(), Some('\'') | Some('"')) && word.len() <= 2 {
            let lower = word.to_ascii_lowercase();
            let (raw, bytes, fstring) = match lower.as_str() {
                "r" => (true, false, false),
                "u" => (false, false, false),
                "b" => (false, true, false),
                "f" => (false, false, true),
                "br" | "rb" => (true, true, false),
                "fr" | "rf" => (true, false, true),
                _ => return Err(self.syntax("invalid syntax", self.i - self.line_start)),
            };
            return self.string(start, raw, bytes, fstring);
        }
        let tok = match Kw::from_str(&word) {
            Some(kw) => Tok::Kw(kw),
            None => Tok::Name(self.intern(word)),
        };
        self.push(tok, start);
        Ok(())
    }

    fn string(&mut self, start: Pos, raw: bool, bytes: bool, fstring: bool) -> LexResult<()> {
        let quote = self.cur().unwrap_or('\'');
        let triple = self.peek_at(self.i + 1) == Some(quote) && self.peek_at(self.i + 2) == Some(quote);
        let start_line = self.line;
        self.i += if triple { 3 } else { 1 };
        let body_start = self.pos();
        let body_begin = self.i;
        let body_end;
        loop {
            let Some(c) = self.cur() else {
                let msg = if triple {
                    format!("unterminated triple-quoted string literal (detected at line {})", self.line)
                } else {
                    format!("unterminated string literal (detected at line {})", self.line)
                };
                let mut err = SyntaxErrorInfo::new(SyntaxErrorKind::SyntaxError, msg, start_line, start.col as i32 + 1, start_line, start.col as i32 + 1);
                err.incomplete = triple;
                return Err(Box::new(err));
            };
            match c {
                '\\' => {
                    self.i += 1;
                    if !self.eat_line_break() && self.cur().is_some() {
                        self.i += 1;
                    }
                }
                '\n' | '\r' => {
                    if !triple {
                        let msg = format!("unterminated string literal (detected at line {})", self.line);
                        return Err(Box::new(SyntaxErrorInfo::new(
                            SyntaxErrorKind::SyntaxError,
                            msg,
                            start_line,
                            start.col as i32 + 1,
                            start_line,
                            start.col as i32 + 1,
                        )));
                    }
                    self.eat_line_break();
                }
                c if c == quote => {
                    if !triple {
                        body_end = self.i;
                        self.i += 1;
                        break;
                    }
                    if self.peek_at(self.i + 1) == Some(quote) && self.peek_at(self.i + 2) == Some(quote) {
                        body_end = self.i;
                        self.i += 3;
                        break;
                    }
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
        let body: String = self.chars[body_begin..body_end].iter().collect();
        let mut tok = StrTok { raw, bytes, fstring, value: String::new(), body: String::new(), body_start };
        if fstring {
            tok.body = body;
        } else {
            let decoded = if raw {
                Ok(body)
            } else {
                decode_escapes(&body, bytes)
            };
            match decoded {
                Ok(v) => {
                    if bytes && v.chars().any(|c| c as u32 > 0xFF) || bytes && raw && !v.is_ascii() {
                        return Err(Box::new(SyntaxErrorInfo::new(
                            SyntaxErrorKind::SyntaxError,
                            "bytes can only contain ASCII literal characters",
                            start.line,
                            start.col as i32 + 1,
                            self.line,
                            (self.i - self.line_start) as i32 + 1,
                        )));
                    }
                    tok.value = v;
                }
                Err(EscapeError { msg, kind }) => {
                    return Err(Box::new(SyntaxErrorInfo::new(
                        kind,
                        msg,
                        start.line,
                        start.col as i32 + 1,
                        self.line,
                        (self.i - self.line_start) as i32 + 1,
                    )));
                }
            }
        }
        self.push(Tok::Str(Box::new(tok)), start);
        Ok(())
    }

    fn number(&mut self, start: Pos) -> LexResult<()> {
        let begin = self.i;
        let c0 = self.cur().unwrap_or('0');
        let c1 = self.peek_at(self.i + 1).map(|c| c.to_ascii_lowercase());
        if c0 == '0' && matches!(c1, Some('x') | Some('o') | Some('b')) {
            let (radix, name) = match c1 {
                Some('x') => (16, "hexadecimal"),
                Some('o') => (8, "octal"),
                _ => (2, "binary"),
            };
            self.i += 2;
            let mut digits = String::new();
            loop {
                match self.cur() {
                    Some('_') => {
                        self.i += 1;
                        if !self.cur().is_some_and(|c| c.is_digit(radix)) {
                            return Err(self.syntax(format!("invalid {name} literal"), self.i - 1 - self.line_start));
                        }
                    }
                    Some(c) if c.is_digit(radix) => {
                        digits.push(c);
                        self.i += 1;
                    }
                    Some(c) if c.is_ascii_digit() => {
                        return Err(self.syntax(format!("invalid digit '{c}' in {name} literal"), self.i - self.line_start));
                    }
                    _ => break,
                }
            }
            if digits.is_empty() {
                return Err(self.syntax(format!("invalid {name} literal"), self.i - 1 - self.line_start));
            }
            if self.cur().is_some_and(is_id_continue) {
                return Err(self.syntax(format!("invalid {name} literal"), self.i - self.line_start));
            }
            return match i64::from_str_radix(&digits, radix) {
                Ok(v) => {
                    self.push(Tok::Int(v), start);
                    Ok(())
                }
                Err(_) => Err(self.too_large(start)),
            };
        }
        // Decimal integer or float.
        let mut text = String::new();
        let mut is_float = false;
        self.digits(&mut text)?;
        if self.cur() == Some('.') {
            is_float = true;
            text.push('.');
            self.i += 1;
            if self.cur().is_some_and(|c| c.is_ascii_digit()) {
                self.digits(&mut text)?;
            }
        }
        if matches!(self.cur(), Some('e') | Some('E')) {
            let save = self.i;
            let mut exp = String::from("e");
            self.i += 1;
            if let Some(sign @ ('+' | '-')) = self.cur() {
                exp.push(sign);
                self.i += 1;
            }
            if self.cur().is_some_and(|c| c.is_ascii_digit()) {
                self.digits(&mut exp)?;
                text.push_str(&exp);
                is_float = true;
            } else {
                self.i = save;
                return Err(self.syntax("invalid decimal literal", begin - self.line_start));
            }
        }
        if matches!(self.cur(), Some('j') | Some('J')) {
            self.i += 1;
            return Err(Box::new(SyntaxErrorInfo::new(
                SyntaxErrorKind::NotImplemented,
                "complex numbers are not supported in the playground",
                self.line,
                start.col as i32 + 1,
                self.line,
                (self.i - self.line_start) as i32 + 1,
            )));
        }
        if self.cur().is_some_and(is_id_continue) {
            return Err(self.syntax("invalid decimal literal", begin - self.line_start));
        }
        if is_float {
            let v: f64 = text.parse().unwrap_or(f64::INFINITY);
            self.push(Tok::Float(v), start);
            return Ok(());
        }
        if text.len() > 1 && text.starts_with('0') && text.chars().any(|c| c != '0') {
            return Err(self.error(
                SyntaxErrorKind::SyntaxError,
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                begin - self.line_start,
                (begin - self.line_start) as i32 + 2,
            ));
        }
        match text.parse::<i64>() {
            Ok(v) => {
                self.push(Tok::Int(v), start);
                Ok(())
            }
            Err(_) => Err(self.too_large(start)),
        }
    }

    fn too_large(&self, start: Pos) -> Box<SyntaxErrorInfo> {
        Box::new(SyntaxErrorInfo::new(
            SyntaxErrorKind::NotImplemented,
            "integers beyond 64 bits are not supported in the playground",
            self.line,
            start.col as i32 + 1,
            self.line,
            (self.i - self.line_start) as i32 + 1,
        ))
    }

    /// Decimal digits with single underscores between them.
    fn digits(&mut self, out: &mut String) -> LexResult<()> {
        while let Some(c) = self.cur() {
            if c.is_ascii_digit() {
                out.push(c);
                self.i += 1;
            } else if c == '_' {
                if self.peek_at(self.i + 1).is_some_and(|d| d.is_ascii_digit()) && !out.is_empty() {
                    self.i += 1;
                } else {
                    return Err(self.syntax("invalid decimal literal", self.i - self.line_start));
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn operator(&mut self, start: Pos, c: char) -> LexResult<()> {
        for (text, op) in OPERATORS {
            // Operators are ASCII: only the few that start with `c` are compared in full
            // (this runs for every operator of the input).
            if !c.is_ascii() || text.as_bytes().first() != Some(&(c as u8)) {
                continue;
            }
            let matches = text.bytes().enumerate().skip(1).all(|(k, b)| self.peek_at(self.i + k) == Some(char::from(b)));
            if !matches {
                continue;
            }
            let col = self.i - self.line_start;
            match op {
                Op::LPar | Op::LSqb | Op::LBrace => {
                    if self.parens.len() >= MAX_PAREN_DEPTH {
                        return Err(self.syntax("too many nested parentheses", col));
                    }
                    self.parens.push((c, start));
                }
                Op::RPar | Op::RSqb | Op::RBrace => {
                    let Some((open, open_pos)) = self.parens.pop() else {
                        return Err(self.error(SyntaxErrorKind::SyntaxError, format!("unmatched '{c}'"), col, col as i32 + 1));
                    };
                    let expected = match open {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    };
                    if expected != c {
                        let msg = if open_pos.line != self.line {
                            format!("closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {}", open_pos.line)
                        } else {
                            format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'")
                        };
                        return Err(self.error(SyntaxErrorKind::SyntaxError, msg, col, col as i32 + 1));
                    }
                }
                _ => {}
            }
            self.i += text.chars().count();
            self.push(Tok::Op(*op), start);
            return Ok(());
        }
        let col = self.i - self.line_start;
        if c.is_ascii() && !c.is_ascii_control() {
            // `$`, `?`, a backtick: CPython reports plain invalid syntax here.
            return Err(self.error(SyntaxErrorKind::SyntaxError, "invalid syntax", col, col as i32 + 2));
        }
        if c.is_control() {
            return Err(self.syntax(format!("invalid non-printable character U+{:04X}", c as u32), col));
        }
        Err(self.syntax(format!("invalid character '{c}' (U+{:04X})", c as u32), col))
    }
}

/// Why a string literal's escapes could not be decoded.
pub(crate) struct EscapeError {
    pub msg: String,
    /// `NotImplemented` for escapes Python has but the playground lacks.
    pub kind: SyntaxErrorKind,
}

impl From<String> for EscapeError {
    fn from(msg: String) -> Self {
        EscapeError { msg, kind: SyntaxErrorKind::SyntaxError }
    }
}

/// Decode the backslash escapes of a (non-raw) string or bytes literal body.
/// Bytes are returned as a string of chars U+0000..U+00FF.
pub(crate) fn decode_escapes(body: &str, bytes: bool) -> Result<String, EscapeError> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    let mut pos = 0usize;
    while let Some(c) = chars.next() {
        if c != '\\' {
            if bytes && !c.is_ascii() {
                return Err(String::from("bytes can only contain ASCII literal characters").into());
            }
            out.push(c);
            pos += 1;
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let codec = if bytes { "" } else { "(unicode error) 'unicodeescape' codec can't decode bytes in position " };
        match e {
            '\n' => {}
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if bytes {
                    out.push(char::from_u32(v & 0xFF).unwrap_or('\0'));
                } else {
                    out.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
                }
            }
            'x' | 'u' | 'U' if !bytes || e == 'x' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v: u32 = 0;
                for k in 0..n {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            chars.next();
                        }
                        None => {
                            let what = match e {
                                'x' => "truncated \\xXX escape",
                                'u' => "truncated \\uXXXX escape",
                                _ => "truncated \\UXXXXXXXX escape",
                            };
                            if bytes {
                                return Err(format!("(value error) invalid \\x escape at position {pos}").into());
                            }
                            return Err(format!("{codec}{}-{}: {what}", pos, pos + 1 + k).into());
                        }
                    }
                }
                match char::from_u32(v) {
                    Some(ch) => out.push(ch),
                    None => return Err(format!("{codec}{}-{}: illegal Unicode character", pos, pos + 1 + n).into()),
                }
            }
            'N' if !bytes => {
                let well_formed = chars.peek() == Some(&'{') && chars.clone().skip(1).take_while(|c| *c != '}').count() > 0 && chars.clone().any(|c| c == '}');
                if !well_formed {
                    return Err(format!("{codec}{}-{}: malformed \\N character escape", pos, pos + 1).into());
                }
                return Err(EscapeError { msg: "named Unicode escapes (\\N{...}) are not supported in the playground".into(), kind: SyntaxErrorKind::NotImplemented });
            }
            other => {
                // Unknown escapes stay as written (CPython only warns).
                out.push('\\');
                out.push(other);
            }
        }
        pos += 2;
    }
    Ok(out)
}

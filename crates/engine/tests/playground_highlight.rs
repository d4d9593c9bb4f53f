//! The models editor's highlighting: spans that cover the source exactly, each token with the
//! kind the editor colours it by, for any text (half-typed code included).

use sqla_engine::playground::highlight::{highlight, SpanKind};

/// `(kind, text)` of every span that is not plain text.
fn tokens(source: &str) -> Vec<(SpanKind, &str)> {
    highlight(source).into_iter().filter(|span| span.kind != SpanKind::Plain).map(|span| (span.kind, &source[span.range])).collect()
}

fn covers_exactly(source: &str) {
    let spans = highlight(source);
    let rebuilt: String = spans.iter().map(|span| &source[span.range.clone()]).collect();
    assert_eq!(rebuilt, source);
    assert!(spans.windows(2).all(|pair| pair[0].range.end == pair[1].range.start), "spans in order, no gaps: {spans:?}");
}

#[test]
fn a_model_class_is_coloured_by_kind() {
    let source = "class User(db.Model):\n    id = db.Column(db.Integer, primary_key=True)  # the key\n    name = db.Column(db.String(20), default='x')\n";
    let found = tokens(source);
    assert_eq!(found[0], (SpanKind::Keyword, "class"));
    assert_eq!(found[1], (SpanKind::Name, "User"));
    assert!(found.contains(&(SpanKind::Constant, "True")));
    assert!(found.contains(&(SpanKind::Number, "20")));
    assert!(found.contains(&(SpanKind::String, "'x'")));
    assert!(found.contains(&(SpanKind::Comment, "# the key")));
    assert!(found.contains(&(SpanKind::Operator, "=")));
    assert!(found.contains(&(SpanKind::Punctuation, "(")));
    covers_exactly(source);
}

#[test]
fn decorators_builtins_and_stray_characters() {
    let source = "@app.route('/')\ndef index():\n    return len(User.query.all()) $\n";
    let found = tokens(source);
    assert_eq!(found[0], (SpanKind::Decorator, "@app.route"));
    assert!(found.contains(&(SpanKind::Builtin, "len")));
    assert!(found.contains(&(SpanKind::Invalid, "$")));
    covers_exactly(source);
}

#[test]
fn half_typed_code_and_any_text_never_break_it() {
    for source in ["", "   \n\n", "name = 'unterminated\nnext = 1", "doc = \"\"\"open triple\n", "é = 'ünïcödé' # ✓", "x = \\", "'\\", "\u{0}\u{ffff}\r\n"] {
        covers_exactly(source);
    }
    assert_eq!(tokens("name = 'unterminated\nnext = 1")[2], (SpanKind::String, "'unterminated"));
}

#[test]
fn every_kind_but_plain_has_a_css_class() {
    assert_eq!(SpanKind::Plain.css_class(), None);
    assert_eq!(SpanKind::Keyword.css_class(), Some("tok-keyword"));
    assert_eq!(SpanKind::Invalid.css_class(), Some("tok-invalid"));
}

//! `string`: the character classes (`ascii_letters`, `digits`, `punctuation`...) and
//! `capwords`, as CPython defines them.

use crate::script::{Interpreter, ModuleBuilder, PyErr, Value};

const LOWERCASE: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPERCASE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const PUNCTUATION: &str = r##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##;
const WHITESPACE: &str = " \t\n\r\x0b\x0c";

/// `capwords(s, sep=None)`: each word capitalised (first letter upper, the rest lower);
/// split on runs of whitespace and joined by one space, or split and joined on `sep`.
fn capwords(text: &str, sep: Option<&str>) -> String {
    let capitalize = |word: &str| {
        let mut chars = word.chars();
        chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect())
    };
    match sep {
        Some(sep) => text.split(sep).map(capitalize).collect::<Vec<_>>().join(sep),
        None => text.split_whitespace().map(capitalize).collect::<Vec<_>>().join(" "),
    }
}

pub(crate) fn install(interp: &mut Interpreter) {
    interp.register_module("string", |_| {
        Ok(ModuleBuilder::new("string")
            .value("ascii_lowercase", LOWERCASE)
            .value("ascii_uppercase", UPPERCASE)
            .value("ascii_letters", Value::string(format!("{LOWERCASE}{UPPERCASE}")))
            .value("digits", DIGITS)
            .value("hexdigits", "0123456789abcdefABCDEF")
            .value("octdigits", "01234567")
            .value("punctuation", PUNCTUATION)
            .value("whitespace", WHITESPACE)
            .value("printable", Value::string(format!("{DIGITS}{LOWERCASE}{UPPERCASE}{PUNCTUATION}{WHITESPACE}")))
            .function("capwords", |_, args| {
                let [text, sep] = args.bind("capwords", ["s", "sep"], 1)?;
                let text = text.unwrap_or(Value::None);
                let text = text.as_str().ok_or_else(|| PyErr::attribute_error(format!("'{}' object has no attribute 'split'", text.type_name())))?;
                let sep = sep.filter(|sep| !sep.is_none());
                let sep = match &sep {
                    Some(sep) => Some(sep.as_str().ok_or_else(|| PyErr::type_error(format!("must be str or None, not {}", sep.type_name())))?),
                    None => None,
                };
                if sep == Some("") {
                    return Err(PyErr::value_error("empty separator"));
                }
                Ok(Value::string(capwords(text, sep)))
            })
            .build())
    });
}

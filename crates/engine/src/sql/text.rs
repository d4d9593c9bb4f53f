//! `text()` statements: `:name` parameters become positional `?` binds, the
//! way SQLAlchemy's SQLite dialect sends them.

use super::value::Datum;

/// A `:name` in the statement with no value supplied for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingBind(pub String);

impl std::fmt::Display for MissingBind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "A value is required for bind parameter '{}'", self.0)
    }
}

/// Replaces each `:name` outside string literals and quoted names with `?` and
/// returns the values in order of appearance (a name used twice binds twice).
/// `::` (a cast in other dialects) and `\:` are left alone, as SQLAlchemy does.
pub fn bind_named(sql: &str, params: &[(String, Datum)]) -> Result<(String, Vec<Datum>), MissingBind> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::with_capacity(sql.len());
    let mut values = Vec::new();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        let previous = if i > 0 { chars.get(i - 1).copied() } else { None };
        let next = chars.get(i + 1).copied();
        let starts_name = next.is_some_and(|n| n.is_alphabetic() || n == '_');
        if c == ':' && starts_name && previous != Some(':') && previous != Some('\\') {
            let end = (i + 1..chars.len())
                .find(|&j| chars.get(j).is_none_or(|ch| !(ch.is_alphanumeric() || *ch == '_')))
                .unwrap_or(chars.len());
            let name: String = chars[i + 1..end].iter().collect();
            let value = params
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.clone())
                .ok_or(MissingBind(name))?;
            values.push(value);
            out.push('?');
            i = end;
            continue;
        }
        if matches!(c, '\'' | '"' | '`') {
            quote = Some(c);
        }
        if c == '\\' && next == Some(':') {
            // `\:` is an escaped colon: drop the backslash.
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok((out, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_positional_binds() {
        let params = vec![("name".to_owned(), Datum::from("x")), ("n".to_owned(), Datum::Int(2))];
        let (sql, values) =
            bind_named("SELECT * FROM user WHERE username = :name AND note = ':n' OR id = :n OR x = :name", &params)
                .unwrap_or_default();
        assert_eq!(sql, "SELECT * FROM user WHERE username = ? AND note = ':n' OR id = ? OR x = ?");
        assert_eq!(values, vec![Datum::from("x"), Datum::Int(2), Datum::from("x")]);
        assert_eq!(bind_named("SELECT :missing", &params), Err(MissingBind("missing".into())));
    }
}

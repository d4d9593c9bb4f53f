//! The playground's settings for `os.environ`: which variables a user may set, and the
//! messages that say what is wrong with one that cannot be set.

use super::Playground;

/// What is wrong with the variables, one message per problem (empty when they can be set).
/// Names follow the shell's rule (letters, digits and `_`, not starting with a digit), so
/// that the exported `app.py` and a shell's `export NAME=value` can set them too; values
/// can be any text but the NUL character, which `os.environ` refuses.
pub fn environment_problems(vars: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (index, (name, value)) in vars.iter().enumerate() {
        let position = index + 1;
        if name.is_empty() {
            problems.push(format!("variable {position} has no name"));
            continue;
        }
        let starts_well = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !starts_well || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            problems.push(format!("{name:?} is not a variable name: use letters A-Z, digits and _, not starting with a digit"));
        } else if vars[..index].iter().any(|(earlier, _)| earlier == name) {
            problems.push(format!("{name} is set twice"));
        }
        if value.contains('\0') {
            problems.push(format!("the value of {name} contains a NUL character, which an environment variable cannot hold"));
        }
    }
    problems
}

impl Playground {
    /// The variables `os.environ` holds, in the order they were set.
    pub fn environment(&self) -> &[(String, String)] {
        &self.environment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn usual_names_and_any_values_are_accepted() {
        assert!(environment_problems(&vars(&[("DATABASE_URL", "sqlite:///x.db"), ("_private2", ""), ("secret_key", "ünï = \"quoted\"")])).is_empty());
    }

    #[test]
    fn each_problem_names_the_variable_and_what_is_wrong() {
        assert_eq!(
            environment_problems(&vars(&[("", "x"), ("2FA", "x"), ("MY VAR", "x"), ("A=B", "x"), ("KEY", "a"), ("KEY", "b"), ("NUL", "a\0b")])),
            [
                "variable 1 has no name",
                "\"2FA\" is not a variable name: use letters A-Z, digits and _, not starting with a digit",
                "\"MY VAR\" is not a variable name: use letters A-Z, digits and _, not starting with a digit",
                "\"A=B\" is not a variable name: use letters A-Z, digits and _, not starting with a digit",
                "KEY is set twice",
                "the value of NUL contains a NUL character, which an environment variable cannot hold",
            ]
        );
    }
}

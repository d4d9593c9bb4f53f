//! What is kept in the browser, and how it is read back: one versioned workspace record
//! (the models and the console transcript) and one record per file database (its committed
//! snapshot, which carries its own format version). Reading never guesses: a record of
//! another format or a damaged one is a problem that names the record and what is wrong.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqla_engine::playground::{check_saved_database, ConsoleInput, Playground};

/// The workspace record's format; bump it when the record changes shape.
pub const WORKSPACE_FORMAT: u32 = 1;
/// The key of the workspace record.
pub const WORKSPACE_KEY: &str = "workspace";
/// Database records are keyed by this prefix and the database URI.
const DATABASE_PREFIX: &str = "database:";

pub fn database_key(uri: &str) -> String {
    format!("{DATABASE_PREFIX}{uri}")
}

/// The models and console transcript, as kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeptWorkspace {
    pub format: u32,
    /// The models source as last applied.
    pub models: String,
    /// Every console input, oldest first.
    pub transcript: Vec<KeptInput>,
    /// The environment variables (Settings); records kept before they existed have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptInput {
    pub source: String,
    pub failed: bool,
}

impl KeptWorkspace {
    /// What to keep of the playground's work.
    pub fn of(playground: &Playground) -> KeptWorkspace {
        let transcript = playground.transcript().iter().map(|input| KeptInput { source: input.source.clone(), failed: input.failed }).collect();
        KeptWorkspace { format: WORKSPACE_FORMAT, models: playground.models_source().to_owned(), transcript, environment: playground.environment().to_vec() }
    }

    pub fn transcript(&self) -> Vec<ConsoleInput> {
        self.transcript.iter().map(|input| ConsoleInput { source: input.source.clone(), failed: input.failed }).collect()
    }

    pub fn to_json(&self) -> String {
        // A struct of strings, bools and numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A record as read from the store.
#[derive(Clone, Debug, PartialEq)]
pub enum RawRecord {
    Text(String),
    Bytes(Vec<u8>),
    /// Anything else (a number, an object...): only ever written by something else.
    Other(String),
}

/// Everything kept, read back and checked.
#[derive(Debug, Default, PartialEq)]
pub struct Kept {
    pub workspace: Option<KeptWorkspace>,
    /// Committed snapshots by database URI.
    pub databases: HashMap<String, Vec<u8>>,
}

/// Reads the records of the store. Any record that cannot be used makes the whole state
/// unreadable (restoring half of it would mix models and data that do not belong together);
/// the problems say which records and why.
pub fn read_records(records: Vec<(String, RawRecord)>) -> Result<Kept, Vec<String>> {
    let mut kept = Kept::default();
    let mut problems = Vec::new();
    for (key, record) in records {
        if key == WORKSPACE_KEY {
            match read_workspace(record) {
                Ok(workspace) => kept.workspace = Some(workspace),
                Err(problem) => problems.push(format!("the models and console history: {problem}")),
            }
        } else if let Some(uri) = key.strip_prefix(DATABASE_PREFIX) {
            match record {
                RawRecord::Bytes(bytes) => match check_saved_database(&bytes) {
                    Ok(()) => {
                        kept.databases.insert(uri.to_owned(), bytes);
                    }
                    Err(problem) => problems.push(format!("the data of {uri}: {problem}")),
                },
                _ => problems.push(format!("the data of {uri}: not a saved database")),
            }
        } else {
            problems.push(format!("an unknown record {key:?}"));
        }
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(problems)
    }
}

fn read_workspace(record: RawRecord) -> Result<KeptWorkspace, String> {
    let RawRecord::Text(text) = record else { return Err("not a saved workspace".to_owned()) };
    #[derive(Deserialize)]
    struct Versioned {
        format: u32,
    }
    let version: Versioned = serde_json::from_str(&text).map_err(|_| "not a saved workspace".to_owned())?;
    if version.format != WORKSPACE_FORMAT {
        return Err(format!("saved in format {} by another version of the playground; this one reads format {WORKSPACE_FORMAT}", version.format));
    }
    serde_json::from_str(&text).map_err(|error| format!("damaged ({error})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace_record(workspace: &KeptWorkspace) -> (String, RawRecord) {
        (WORKSPACE_KEY.to_owned(), RawRecord::Text(workspace.to_json()))
    }

    #[test]
    fn a_kept_workspace_and_database_read_back() {
        let mut playground = Playground::new();
        playground.apply_models("class Pot(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n", false);
        playground.run_console("db.session.add(Pot()); db.session.commit()");
        playground.run_console("oops");
        let workspace = KeptWorkspace::of(&playground);
        let snapshot = playground.saved_databases().remove("sqlite:///playground.db").expect("a file database");
        let records = vec![workspace_record(&workspace), (database_key("sqlite:///playground.db"), RawRecord::Bytes(snapshot.clone()))];
        let kept = read_records(records).expect("readable");
        assert_eq!(kept.workspace.as_ref().map(|w| w.transcript().len()), Some(2));
        assert_eq!(kept.workspace.map(|w| w.transcript()[1].failed), Some(true));
        assert_eq!(kept.databases.get("sqlite:///playground.db"), Some(&snapshot));
    }

    #[test]
    fn the_environment_is_kept_and_records_kept_before_it_existed_still_load() {
        let mut playground = Playground::new();
        playground.set_environment(vec![("DATABASE_URL".to_owned(), "sqlite:///shop.db".to_owned())]);
        playground.apply_models("x = 1\n", false);
        let kept = read_records(vec![workspace_record(&KeptWorkspace::of(&playground))]).expect("readable");
        assert_eq!(kept.workspace.map(|w| w.environment), Some(vec![("DATABASE_URL".to_owned(), "sqlite:///shop.db".to_owned())]));
        let older = r#"{"format": 1, "models": "x = 1\n", "transcript": [{"source": "x", "failed": false}]}"#;
        let kept = read_records(vec![(WORKSPACE_KEY.to_owned(), RawRecord::Text(older.to_owned()))]).expect("readable");
        assert_eq!(kept.workspace.map(|w| (w.models, w.environment)), Some(("x = 1\n".to_owned(), vec![])));
    }

    #[test]
    fn nothing_kept_is_an_empty_state() {
        assert_eq!(read_records(vec![]), Ok(Kept::default()));
    }

    #[test]
    fn damaged_or_foreign_records_are_problems_that_say_which_and_why() {
        let other_format = r#"{"format": 7, "models": "", "transcript": []}"#;
        let problems = read_records(vec![
            (WORKSPACE_KEY.to_owned(), RawRecord::Text(other_format.to_owned())),
            (database_key("sqlite:///site.db"), RawRecord::Bytes(b"garbage".to_vec())),
            (database_key("sqlite:///other.db"), RawRecord::Other("42".to_owned())),
        ])
        .expect_err("unreadable");
        assert_eq!(
            problems,
            [
                "the models and console history: saved in format 7 by another version of the playground; this one reads format 1",
                "the data of sqlite:///site.db: saved database is not a sqla-playground snapshot",
                "the data of sqlite:///other.db: not a saved database",
            ]
        );
        let damaged = read_records(vec![(WORKSPACE_KEY.to_owned(), RawRecord::Text(r#"{"format": 1, "models": 3}"#.to_owned()))]);
        assert!(damaged.expect_err("damaged")[0].starts_with("the models and console history: damaged"));
        let not_json = read_records(vec![(WORKSPACE_KEY.to_owned(), RawRecord::Text("<html>".to_owned()))]);
        assert_eq!(not_json, Err(vec!["the models and console history: not a saved workspace".to_owned()]));
    }
}

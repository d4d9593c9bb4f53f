//! Security, engine side: strings carrying HTML / JS / SQL payloads
//! (robustness_payloads.json, shared with the browser tests) are data everywhere — stored
//! and read back unchanged, printed as themselves, exported as escaped data — and as table
//! or column names they are quoted identifiers: nothing they say ever runs.

use sqla_engine::playground::Playground;

fn payloads() -> Vec<String> {
    let text = include_str!("robustness_payloads.json");
    let payloads: Vec<String> = serde_json::from_str(text).expect("robustness_payloads.json is a JSON array of strings");
    assert!(payloads.len() >= 20);
    payloads
}

/// A Python string literal for `text`: JSON's escapes are all valid in Python.
fn literal(text: &str) -> String {
    serde_json::to_string(text).expect("a string encodes")
}

const CANARY: &str = "class Canary(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n";

#[test]
fn payloads_as_data_are_stored_printed_and_exported_unchanged() {
    for payload in payloads() {
        let mut playground = Playground::new();
        let models = format!("{CANARY}class Note(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    body = db.Column(db.String(200))\n");
        assert_eq!(playground.apply_models(&models, false).run.error.map(|e| e.traceback), None);
        let p = literal(&payload);
        let run = playground.run_console(&format!("db.session.add_all([Canary(), Note(body={p})]); db.session.commit(); print(Note.query.one().body == {p}); print({p})"));
        assert_eq!(run.error.map(|e| e.traceback), None, "{payload:?}");
        assert_eq!(run.output, format!("True\n{payload}\n"), "{payload:?}");

        let json = playground.table_json("note").expect("a JSON export");
        let rows: serde_json::Value = serde_json::from_str(&json).expect("the export is JSON");
        assert_eq!(rows[0]["body"], serde_json::Value::String(payload.clone()), "{payload:?}");
        let csv = playground.table_csv("note").expect("a CSV export");
        assert_eq!(csv, format!("id,body\r\n1,{}\r\n", csv_field(&payload)), "{payload:?}");
        let dump = playground.sql_dump();
        assert!(dump.contains(&format!("'{}'", payload.replace('\'', "''"))), "{payload:?} in\n{dump}");
        let tables: Vec<String> = playground.tables().into_iter().map(|t| format!("{}:{}", t.name, t.row_count)).collect();
        assert_eq!(tables, ["canary:1", "note:1"], "{payload:?}");
    }
}

/// RFC 4180: quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[test]
fn payloads_as_table_and_column_names_are_quoted_identifiers() {
    let mut refused = Vec::new();
    // A NUL in a name is SQLite's own refusal: a_nul_in_a_name_is_refused_as_sqlite_does.
    for payload in payloads().into_iter().filter(|payload| !payload.contains('\0')) {
        let p = literal(&payload);
        let mut playground = Playground::new();
        let models = format!(
            "{CANARY}class Odd(db.Model):\n    __tablename__ = {p}\n    id = db.Column(db.Integer, primary_key=True)\n    \
             value = db.Column({p}, db.String(200))\n"
        );
        let applied = playground.apply_models(&models, false);
        let run = playground.run_console(&format!("db.session.add_all([Canary(), Odd(value={p})]); db.session.commit(); print(Odd.query.one().value == {p})"));
        match (applied.run.error, run.error) {
            (None, None) => {
                assert_eq!(run.output, "True\n", "{payload:?}");
                let mut tables: Vec<(String, usize)> = playground.tables().into_iter().map(|t| (t.name, t.row_count)).collect();
                tables.sort();
                let mut expected = vec![("canary".to_owned(), 1), (payload.clone(), 1)];
                expected.sort();
                assert_eq!(tables, expected, "{payload:?}: nothing but the two tables, each with its row");
            }
            (applied, run) => {
                let error = applied.or(run).expect("one of them failed");
                assert!(!error.message.is_empty() && !error.type_name.is_empty(), "{payload:?}");
                refused.push(format!("{payload:?}: {}: {}", error.type_name, error.message));
                let canary = playground.run_console("print(db.session.query(Canary).count() >= 0)");
                assert_eq!(canary.output, "True\n", "{payload:?}: the canary table is still there");
            }
        }
    }
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
}

/// Python's sqlite3 refuses statement text holding a NUL: create_all fails at its first
/// statement naming the table (the PRAGMA check) or the column (CREATE TABLE), a text()
/// query at once; a NUL in a bound value is data. Checked with SQLAlchemy 2.0 on SQLite.
#[test]
fn a_nul_in_a_name_is_refused_as_sqlite_does() {
    let mut playground = Playground::new();
    let table = "class Odd(db.Model):\n    __tablename__ = 'nul\\x00x'\n    id = db.Column(db.Integer, primary_key=True)\n";
    let column = "class Odd(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column('na\\x00me', db.String)\n";
    // (models, what the message quotes of the statement, the refused statement's echo when it has no timing in it)
    let pragma = Some(("PRAGMA main.table_info(\"nul\0x\")", "[raw sql] ()", true));
    for (models, statement, echo) in [(table, "[SQL: PRAGMA main.table_info(\"nul\0x\")]", pragma), (column, "\t\"na\0me\" VARCHAR, \n", None)] {
        let run = playground.apply_models(models, false).run;
        // The refused statement is logged as sent, then create_all's transaction rolls back.
        let log: Vec<(&str, &str, bool)> = run.events.iter().map(|e| (e.echo.trim(), e.params.as_str(), e.error.is_some())).collect();
        let refused = log.iter().position(|(_, _, failed)| *failed).expect("a refused statement in the log");
        assert_eq!(&log[refused + 1..], [("ROLLBACK", "", false)]);
        let error = run.error.expect("SQLite refuses the name");
        assert_eq!(error.type_name, "sqlalchemy.exc.ProgrammingError", "as the traceback names it");
        assert!(error.message.starts_with("(sqlite3.ProgrammingError) the query contains a null character\n"), "{}", error.message);
        assert!(error.message.contains(statement), "{}", error.message);
        assert_eq!(playground.tables().len(), 0, "nothing was created");
        if let Some(echo) = echo {
            assert_eq!(log[refused], echo, "as SQLAlchemy echoes it");
        }
    }
    let text = playground.run_console(
        "from sqlalchemy import text\nprint(db.session.execute(text('SELECT :x'), {'x': 'a\\x00b'}).all())\ndb.session.execute(text(\"SELECT 'a\\x00b'\"))\n",
    );
    assert_eq!(text.output, "[('a\\x00b',)]\n");
    let error = text.error.expect("SQLite refuses the query");
    assert_eq!((error.type_name.as_str(), error.line), ("sqlalchemy.exc.ProgrammingError", Some(3)));
    assert!(error.message.contains("the query contains a null character\n[SQL: SELECT 'a\0b']"), "{}", error.message);
}

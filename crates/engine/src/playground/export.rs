//! Taking work out of the playground: an `app.py` that reproduces the session with the real
//! Flask-SQLAlchemy, a SQL dump of the database, a table as CSV or JSON.

use crate::script::ast::StmtKind;
use crate::script::repr_str;
use crate::script::parser::parse_module;
use crate::sql::Datum;

use super::prelude::{sets_up_app, PRELUDE};
use super::Playground;

impl Playground {
    /// A script that runs the models (after the playground's predefined set-up when they
    /// rely on it), recreates the tables empty, then replays `inputs` (console inputs that ran
    /// without error) inside an app context, printing what the console printed for
    /// expressions.
    pub fn export_app_py(&self, inputs: &[String]) -> String {
        let mut out = String::from(
            "# Exported from sqla-playground: the models, then the console session.\n\
             # Run it with Flask-SQLAlchemy installed: python app.py\n\n",
        );
        if !self.environment.is_empty() {
            // Set before the models, which read it; `setdefault`: the real environment wins.
            out.push_str("# The playground's environment variables (Settings).\nimport os\n\n");
            for (name, value) in &self.environment {
                out.push_str(&format!("os.environ.setdefault({}, {})\n", repr_str(name), repr_str(value)));
            }
            out.push('\n');
        }
        if !sets_up_app(&self.models) {
            out.push_str("# The set-up the playground predefines for models that have none.\n");
            out.push_str(PRELUDE);
            out.push('\n');
        }
        out.push_str(self.models.trim_end());
        out.push_str(
            "\n\n\ndef _show(value):\n    \"\"\"Print a value the way `flask shell` echoes an expression.\"\"\"\n    if value is not None:\n        print(repr(value))\n\n\n\
             with app.app_context():\n    \
             # The session started from empty tables: drop any rows left by an earlier run.\n    \
             db.drop_all()\n    db.create_all()\n",
        );
        for input in inputs {
            let body = console_input_as_script(input);
            for line in body.lines() {
                if line.trim().is_empty() {
                    out.push('\n');
                } else {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// The app's database as SQL (`sqlite3 .dump` style).
    pub fn sql_dump(&mut self) -> String {
        let Some(url) = self.database_url() else { return String::new() };
        let world = self.world();
        let Ok(w) = world.borrow() else { return String::new() };
        w.engine_urls
            .iter()
            .position(|u| *u == url)
            .and_then(|i| w.orm.engines.get(i))
            .map(|db| db.dump())
            .unwrap_or_default()
    }

    /// A table's rows as CSV (header line, RFC 4180 quoting).
    pub fn table_csv(&mut self, table: &str) -> Option<String> {
        let page = self.rows_page(table, 0, usize::MAX, None)?;
        let mut out = page.columns.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",");
        out.push_str("\r\n");
        for row in page.rows {
            out.push_str(&row.values.iter().map(|d| csv_field(&plain_text(d))).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        Some(out)
    }

    /// A table's rows as a JSON array of objects.
    pub fn table_json(&mut self, table: &str) -> Option<String> {
        let page = self.rows_page(table, 0, usize::MAX, None)?;
        let rows: Vec<serde_json::Value> = page
            .rows
            .iter()
            .map(|row| {
                let object = page.columns.iter().zip(&row.values).map(|(c, d)| (c.clone(), json_value(d))).collect();
                serde_json::Value::Object(object)
            })
            .collect();
        serde_json::to_string_pretty(&rows).ok()
    }
}

/// One console input as script lines: a lone expression prints its value as the console
/// did.
fn console_input_as_script(input: &str) -> String {
    let trimmed = input.trim_end();
    match parse_module(trimmed, "<console>") {
        Ok(module) if module.body.len() == 1 && matches!(module.body[0].kind, StmtKind::Expr(_)) => format!("_show({})\n", trimmed.trim()),
        _ => format!("{trimmed}\n"),
    }
}

fn plain_text(datum: &Datum) -> String {
    match datum {
        Datum::Null => String::new(),
        Datum::Text(s) => s.clone(),
        other => other.sqlite_literal().trim_matches('\'').to_string(),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn json_value(datum: &Datum) -> serde_json::Value {
    match datum {
        Datum::Null => serde_json::Value::Null,
        Datum::Int(i) => serde_json::Value::from(*i),
        Datum::Float(f) => serde_json::Number::from_f64(*f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null),
        Datum::Bool(b) => serde_json::Value::Bool(*b),
        Datum::Json(j) => (**j).clone(),
        other => serde_json::Value::String(plain_text(other)),
    }
}

//! The façade: the one type the web UI talks to.
//!
//! For now a [`Playground`] holds a GlueSQL database in memory and runs raw SQL
//! typed into the console. Everything it returns is plain data (strings and
//! tables of strings), so the UI renders it without knowing GlueSQL. When the
//! script, orm and db layers land, this type takes Python code instead and grows
//! the snapshots the other panels need; the UI keeps talking only to it.

use std::{collections::BTreeSet, fmt};

use gluesql::core::{
    executor::{Payload, PayloadVariable},
    sqlparser::{
        ast::Statement as SqlStatement, dialect::PostgreSqlDialect, parser::Parser,
        parser::ParserError,
    },
    store::{Planner, Store},
    translate::translate,
};
use gluesql::prelude::{Glue, MemoryStorage, Value};

/// An in-memory database and the console's way into it.
pub struct Playground {
    glue: Glue<MemoryStorage>,
}

/// Rows with named columns. A cell is `None` where the value is SQL `NULL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// What one statement gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A query (or `SHOW ...`) and its rows.
    Rows(ResultTable),
    /// Anything else, summed up in a sentence such as `2 rows inserted`.
    Message(String),
}

/// One statement that ran, as GlueSQL's parser prints it back, and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    pub sql: String,
    pub outcome: Outcome,
}

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    /// The statement that failed, or `None` when the text did not parse (and
    /// so nothing ran).
    pub statement: Option<FailedStatement>,
    pub message: String,
}

/// A statement that was sent to the database and failed there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedStatement {
    /// Its 1-based position in the text that was run.
    pub number: usize,
    pub sql: String,
}

/// The result of running a piece of SQL text: the statements that ran, in
/// order, and the error that stopped the rest, if any. Statements before the
/// failing one have run and stay applied: each one commits on its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SqlRun {
    pub executed: Vec<Executed>,
    pub error: Option<SqlError>,
}

/// One table's name and all its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSnapshot {
    pub name: String,
    pub contents: ResultTable,
}

impl Default for Playground {
    fn default() -> Self {
        Self::new()
    }
}

impl Playground {
    /// An empty database.
    pub fn new() -> Self {
        Self {
            glue: Glue::new(MemoryStorage::default()),
        }
    }

    /// Runs every `;`-separated statement of `sql` in order, stopping at the
    /// first failure. Nothing runs when the text does not parse.
    pub fn run_sql(&mut self, sql: &str) -> SqlRun {
        let statements = match Parser::parse_sql(&PostgreSqlDialect {}, sql) {
            Ok(statements) => statements,
            Err(error) => {
                return SqlRun {
                    executed: Vec::new(),
                    error: Some(SqlError {
                        statement: None,
                        message: syntax_error_message(error),
                    }),
                }
            }
        };
        let mut run = SqlRun::default();
        for (index, statement) in statements.iter().enumerate() {
            // Planned one at a time, after the previous statement ran: planning
            // reads the schema, which an earlier CREATE TABLE may have changed.
            match self.execute(statement) {
                Ok(outcome) => run.executed.push(Executed {
                    sql: statement.to_string(),
                    outcome,
                }),
                Err(error) => {
                    run.error = Some(SqlError {
                        statement: Some(FailedStatement {
                            number: index + 1,
                            sql: statement.to_string(),
                        }),
                        message: error.to_string(),
                    });
                    break;
                }
            }
        }
        run
    }

    /// Every table, by name, with all its rows.
    pub fn tables(&mut self) -> Result<Vec<TableSnapshot>, SqlError> {
        let schemas = self
            .glue
            .storage
            .fetch_all_schemas()
            .map_err(|error| SqlError {
                statement: None,
                message: error.to_string(),
            })?;
        schemas
            .into_iter()
            .map(|schema| {
                let select = format!("SELECT * FROM {}", quote_identifier(&schema.table_name));
                let mut payloads = self.glue.execute(&select).map_err(|error| SqlError {
                    statement: None,
                    message: format!("reading table {}: {error}", schema.table_name),
                })?;
                let contents = match payloads.pop().map(outcome) {
                    Some(Outcome::Rows(table)) => table,
                    // A `SELECT *` always yields rows; an empty table is an
                    // empty result, so anything else means no row data.
                    _ => ResultTable {
                        columns: Vec::new(),
                        rows: Vec::new(),
                    },
                };
                Ok(TableSnapshot {
                    name: schema.table_name,
                    contents,
                })
            })
            .collect()
    }

    fn execute(&mut self, statement: &SqlStatement) -> gluesql::core::error::Result<Outcome> {
        let translated = translate(statement)?;
        let plan = self.glue.storage.plan(translated.into())?;
        self.glue.execute_stmt(&plan).map(outcome)
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.statement {
            Some(failed) => write!(f, "statement {}: {}", failed.number, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for SqlError {}

fn syntax_error_message(error: ParserError) -> String {
    match error {
        ParserError::TokenizerError(detail) | ParserError::ParserError(detail) => {
            format!("syntax error: {detail}")
        }
        ParserError::RecursionLimitExceeded => {
            "syntax error: the statement is nested too deeply".to_owned()
        }
    }
}

fn outcome(payload: Payload) -> Outcome {
    match payload {
        Payload::Select { labels, rows } => Outcome::Rows(ResultTable {
            columns: labels,
            rows: rows
                .iter()
                .map(|row| row.iter().map(cell).collect())
                .collect(),
        }),
        Payload::SelectMap(rows) => {
            // Schemaless rows: each row has its own keys; show their union.
            let columns: Vec<String> = rows
                .iter()
                .flat_map(|row| row.keys().cloned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let rows = rows
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|column| row.get(column).and_then(cell))
                        .collect()
                })
                .collect();
            Outcome::Rows(ResultTable { columns, rows })
        }
        Payload::ShowColumns(columns) => Outcome::Rows(ResultTable {
            columns: vec!["column".to_owned(), "type".to_owned()],
            rows: columns
                .into_iter()
                .map(|(name, data_type)| vec![Some(name), Some(data_type.to_string())])
                .collect(),
        }),
        Payload::ShowVariable(variable) => Outcome::Rows(match variable {
            PayloadVariable::Tables(names) => single_column("table", names),
            PayloadVariable::Functions(names) => single_column("function", names),
            PayloadVariable::Version(version) => single_column("version", vec![version]),
        }),
        Payload::Insert(count) => Outcome::Message(row_count(count, "inserted")),
        Payload::Update(count) => Outcome::Message(row_count(count, "updated")),
        Payload::Delete(count) => Outcome::Message(row_count(count, "deleted")),
        Payload::DropTable(count) => Outcome::Message(match count {
            1 => "1 table dropped".to_owned(),
            _ => format!("{count} tables dropped"),
        }),
        Payload::Create => Outcome::Message("created".to_owned()),
        Payload::AlterTable => Outcome::Message("table altered".to_owned()),
        Payload::CreateIndex => Outcome::Message("index created".to_owned()),
        Payload::DropIndex => Outcome::Message("index dropped".to_owned()),
        Payload::DropFunction => Outcome::Message("function dropped".to_owned()),
        // GlueSQL's in-memory storage refuses BEGIN, so COMMIT and ROLLBACK
        // never have an open transaction: say so rather than pretend.
        Payload::StartTransaction => Outcome::Message("transaction started".to_owned()),
        Payload::Commit => {
            Outcome::Message("nothing to commit: every statement commits on its own".to_owned())
        }
        Payload::Rollback => {
            Outcome::Message("nothing rolled back: every statement commits on its own".to_owned())
        }
    }
}

fn cell(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        value => Some(String::from(value)),
    }
}

fn single_column(column: &str, values: Vec<String>) -> ResultTable {
    ResultTable {
        columns: vec![column.to_owned()],
        rows: values.into_iter().map(|value| vec![Some(value)]).collect(),
    }
}

fn row_count(count: usize, verb: &str) -> String {
    match count {
        1 => format!("1 row {verb}"),
        _ => format!("{count} rows {verb}"),
    }
}

/// Quotes a table name for the PostgreSQL dialect GlueSQL parses.
fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Option<String> {
        Some(value.to_owned())
    }

    fn messages(run: &SqlRun) -> Vec<&str> {
        run.executed
            .iter()
            .filter_map(|executed| match &executed.outcome {
                Outcome::Message(message) => Some(message.as_str()),
                Outcome::Rows(_) => None,
            })
            .collect()
    }

    #[test]
    fn statements_run_in_order_and_a_query_returns_its_rows() {
        let mut playground = Playground::new();
        let run = playground.run_sql(
            "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO author VALUES (1, 'Ada'), (2, NULL);
             SELECT id, name FROM author ORDER BY id",
        );
        assert_eq!(run.error, None);
        assert_eq!(messages(&run), ["created", "2 rows inserted"]);
        let last = run.executed.last().map(|executed| &executed.outcome);
        assert_eq!(
            last,
            Some(&Outcome::Rows(ResultTable {
                columns: vec!["id".to_owned(), "name".to_owned()],
                rows: vec![vec![text("1"), text("Ada")], vec![text("2"), None]],
            }))
        );
    }

    #[test]
    fn executed_statements_are_reported_as_sql_text() {
        let mut playground = Playground::new();
        let run = playground.run_sql("create table t (a int);   insert into t values (1)");
        let sql: Vec<&str> = run.executed.iter().map(|e| e.sql.as_str()).collect();
        assert_eq!(sql, ["CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)"]);
    }

    #[test]
    fn a_syntax_error_runs_nothing_and_says_where() {
        let mut playground = Playground::new();
        let run = playground.run_sql("CREATE TABLE t (a INT); SELEC * FROM t");
        assert!(run.executed.is_empty());
        let error = run.error.expect("a syntax error");
        assert_eq!(error.statement, None);
        assert!(
            error.message.starts_with("syntax error: "),
            "{}",
            error.message
        );
        assert!(error.message.contains("SELEC"), "{}", error.message);
        assert!(
            error.message.contains("Line: 1, Column: 25"),
            "{}",
            error.message
        );
        assert_eq!(playground.tables().map(|tables| tables.len()), Ok(0));
    }

    #[test]
    fn a_failing_statement_stops_the_run_and_keeps_what_ran_before() {
        let mut playground = Playground::new();
        let run = playground.run_sql(
            "CREATE TABLE t (a INT UNIQUE);
             INSERT INTO t VALUES (1);
             INSERT INTO t VALUES (1);
             INSERT INTO t VALUES (2)",
        );
        assert_eq!(messages(&run), ["created", "1 row inserted"]);
        let error = run.error.expect("a unique violation");
        assert_eq!(
            error.statement,
            Some(FailedStatement {
                number: 3,
                sql: "INSERT INTO t VALUES (1)".to_owned()
            })
        );
        assert!(error.to_string().starts_with("statement 3: "), "{error}");
        assert!(error.message.contains("duplicate"), "{}", error.message);
        let tables = playground.tables().expect("tables");
        assert_eq!(tables[0].contents.rows, vec![vec![text("1")]]);
    }

    #[test]
    fn an_unknown_table_is_an_error_not_a_panic() {
        let mut playground = Playground::new();
        let run = playground.run_sql("SELECT * FROM missing");
        let error = run.error.expect("an error");
        assert_eq!(error.statement.map(|failed| failed.number), Some(1));
        assert!(error.message.contains("missing"), "{}", error.message);
    }

    #[test]
    fn empty_text_runs_nothing() {
        let mut playground = Playground::new();
        assert_eq!(playground.run_sql("  ;  "), SqlRun::default());
    }

    #[test]
    fn transaction_control_says_that_every_statement_commits_on_its_own() {
        let mut playground = Playground::new();
        let run = playground.run_sql("ROLLBACK");
        assert_eq!(
            messages(&run),
            ["nothing rolled back: every statement commits on its own"]
        );
        let run = playground.run_sql("BEGIN");
        let error = run.error.expect("BEGIN is refused");
        assert!(
            error.message.contains("transaction is not supported"),
            "{}",
            error.message
        );
    }

    #[test]
    fn tables_lists_every_table_with_its_rows_including_awkward_names() {
        let mut playground = Playground::new();
        let run = playground.run_sql(
            r#"CREATE TABLE "Odd ""name""" (x TEXT);
               INSERT INTO "Odd ""name""" VALUES ('a');
               CREATE TABLE book (id INT);"#,
        );
        assert_eq!(run.error, None);
        let tables = playground.tables().expect("tables");
        let names: Vec<&str> = tables.iter().map(|table| table.name.as_str()).collect();
        assert_eq!(names, ["Odd \"name\"", "book"]);
        assert_eq!(tables[0].contents.columns, ["x"]);
        assert_eq!(tables[0].contents.rows, vec![vec![text("a")]]);
        assert!(tables[1].contents.rows.is_empty());
    }

    #[test]
    fn schemaless_rows_show_the_union_of_their_keys() {
        let mut playground = Playground::new();
        let run = playground.run_sql(
            r#"CREATE TABLE doc;
               INSERT INTO doc VALUES ('{"a": 1}'), ('{"b": "x"}');
               SELECT * FROM doc"#,
        );
        assert_eq!(run.error, None);
        let rows = run.executed.last().map(|executed| executed.outcome.clone());
        assert_eq!(
            rows,
            Some(Outcome::Rows(ResultTable {
                columns: vec!["a".to_owned(), "b".to_owned()],
                rows: vec![vec![text("1"), None], vec![None, text("x")]],
            }))
        );
    }

    #[test]
    fn show_tables_and_show_columns_return_rows() {
        let mut playground = Playground::new();
        let run =
            playground.run_sql("CREATE TABLE t (a INT, b TEXT); SHOW TABLES; SHOW COLUMNS FROM t");
        assert_eq!(run.error, None);
        let outcomes: Vec<&Outcome> = run.executed.iter().map(|e| &e.outcome).collect();
        assert_eq!(
            outcomes[1],
            &Outcome::Rows(single_column("table", vec!["t".to_owned()]))
        );
        assert_eq!(
            outcomes[2],
            &Outcome::Rows(ResultTable {
                columns: vec!["column".to_owned(), "type".to_owned()],
                rows: vec![vec![text("a"), text("INT")], vec![text("b"), text("TEXT")]],
            })
        );
    }
}

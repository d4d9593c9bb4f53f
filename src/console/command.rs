//! A command: one thing the user ran (console input, a session button, a stepper action, the
//! models) with what it printed, its error and a summary of the SQL it sent. The console lists
//! commands as its entries; the SQL log labels and links its statements by them.

use std::collections::HashMap;

use sqla_engine::playground::events::SqlEventKind;
use sqla_engine::playground::{ErrorView, SqlEvent};

/// The session buttons: the same as calling the method on `db.session`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionAction {
    Flush,
    Commit,
    Rollback,
}

impl SessionAction {
    /// The name the façade's `session_button` takes.
    pub fn method(self) -> &'static str {
        match self {
            SessionAction::Flush => "flush",
            SessionAction::Commit => "commit",
            SessionAction::Rollback => "rollback",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionAction::Flush => "Flush",
            SessionAction::Commit => "Commit",
            SessionAction::Rollback => "Rollback",
        }
    }
}

/// The stepper's buttons while a flush is paused (Rollback is the session button's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepAction {
    /// Run the next statement of the plan.
    Step,
    /// Run the rest of the plan (and the commit it was for).
    Continue,
}

impl StepAction {
    pub fn label(self) -> &'static str {
        match self {
            StepAction::Step => "Step",
            StepAction::Continue => "Continue",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum CommandSource {
    /// Python typed into the console.
    Console(String),
    Button(SessionAction),
    Stepper(StepAction),
    /// Applying the models (shown by the models editor, not the console).
    Models,
}

impl CommandSource {
    /// One line naming the command, for the SQL log.
    pub fn summary(&self) -> String {
        match self {
            CommandSource::Console(input) => {
                let first = input.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
                let more = input.trim_end().lines().count() > 1;
                format!(">>> {}{}", first.trim_end(), if more { " …" } else { "" })
            }
            CommandSource::Button(action) => format!("{} button", action.label()),
            CommandSource::Stepper(action) => format!("Stepper: {}", action.label()),
            CommandSource::Models => "Apply models".to_owned(),
        }
    }
}

/// The same SELECT sent again and again by one command with different parameters: the
/// pattern of a lazy load inside a loop (the "N+1 queries" problem).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedSelect {
    /// SQLAlchemy's echo of the statement.
    pub sql: String,
    pub count: usize,
}

/// From this many identical SELECTs with different parameters in one command on, the SQL
/// log and the console suggest eager loading. Fewer is common and harmless (a handful of
/// `get()` calls); a loop over a query result that lazy-loads a relationship reaches it
/// as soon as there are five rows.
pub const N_PLUS_ONE_THRESHOLD: usize = 5;

/// What one command sent to the database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryStats {
    /// Statements sent, transaction control (BEGIN, COMMIT, SAVEPOINT...) not counted.
    pub queries: usize,
    /// The most repeated SELECT, when it reaches [`N_PLUS_ONE_THRESHOLD`].
    pub repeated_select: Option<RepeatedSelect>,
}

impl QueryStats {
    pub fn of(events: &[SqlEvent]) -> QueryStats {
        let queries = events.iter().filter(|event| is_query(event.kind)).count();
        // Per statement text: how often it ran, and with how many distinct parameter lines.
        let mut selects: HashMap<&str, (usize, Vec<&str>)> = HashMap::new();
        for event in events.iter().filter(|event| event.kind == SqlEventKind::Select) {
            let (count, params) = selects.entry(event.echo.as_str()).or_default();
            *count += 1;
            let params_text = parameters_part(&event.params);
            if !params.contains(&params_text) {
                params.push(params_text);
            }
        }
        let repeated_select = selects
            .into_iter()
            .filter(|(_, (count, params))| *count >= N_PLUS_ONE_THRESHOLD && params.len() > 1)
            .max_by(|(sql_a, (count_a, _)), (sql_b, (count_b, _))| count_a.cmp(count_b).then_with(|| sql_b.cmp(sql_a)))
            .map(|(sql, (count, _))| RepeatedSelect { sql: sql.to_owned(), count });
        QueryStats { queries, repeated_select }
    }
}

/// Statements that do work, as opposed to transaction control.
pub fn is_query(kind: SqlEventKind) -> bool {
    !matches!(
        kind,
        SqlEventKind::Begin
            | SqlEventKind::Commit
            | SqlEventKind::Rollback
            | SqlEventKind::Savepoint
            | SqlEventKind::ReleaseSavepoint
            | SqlEventKind::RollbackToSavepoint
    )
}

/// The parameters of an echo parameter line without the `[generated in 0.00012s]` /
/// `[cached since 2.1s ago]` prefix, which differs between runs of the same parameters.
fn parameters_part(params: &str) -> &str {
    match params.strip_prefix('[').and_then(|rest| rest.split_once("] ")) {
        Some((_, values)) => values,
        None => params,
    }
}

/// One entry of the console (and a label for the SQL log).
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// Unique for the page's lifetime (the façade's entry numbers restart with the models).
    pub id: u32,
    pub source: CommandSource,
    pub output: String,
    pub error: Option<ErrorView>,
    /// In step mode: the flush plan this command paused, by its number of steps.
    pub paused_steps: Option<usize>,
    pub stats: QueryStats,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(echo: &str, params: &str) -> SqlEvent {
        SqlEvent {
            seq: 0,
            database: "sqlite://".into(),
            transaction: Some(1),
            kind: SqlEventKind::Select,
            echo: echo.into(),
            params: params.into(),
            executed: None,
            batch: None,
            rows: Some(1),
            duration_ms: 0.0,
            error: None,
            reason: "lazy load",
            line: Some(1),
            entry: 1,
        }
    }

    #[test]
    fn five_selects_of_one_statement_with_different_parameters_are_an_n_plus_one() {
        let lazy = "SELECT post.id FROM post WHERE ? = post.user_id";
        let mut events = vec![select("SELECT user.id FROM user", "[generated in 0.00010s] ()")];
        events.extend((1..=5).map(|id| select(lazy, &format!("[cached since 0.{id}s ago] ({id},)"))));
        let stats = QueryStats::of(&events);
        assert_eq!(stats.queries, 6);
        assert_eq!(stats.repeated_select, Some(RepeatedSelect { sql: lazy.into(), count: 5 }));
    }

    #[test]
    fn four_repeats_or_the_same_parameters_again_are_not() {
        let lazy = "SELECT post.id FROM post WHERE ? = post.user_id";
        let four: Vec<SqlEvent> = (1..=4).map(|id| select(lazy, &format!("[cached since 1s ago] ({id},)"))).collect();
        assert_eq!(QueryStats::of(&four).repeated_select, None);
        let same: Vec<SqlEvent> = (1..=6).map(|_| select(lazy, "[cached since 1s ago] (1,)")).collect();
        assert_eq!(QueryStats::of(&same).repeated_select, None);
    }

    #[test]
    fn transaction_control_is_not_counted() {
        let mut begin = select("BEGIN (implicit)", "");
        begin.kind = SqlEventKind::Begin;
        let mut commit = select("COMMIT", "");
        commit.kind = SqlEventKind::Commit;
        let events = [begin, select("SELECT 1", "()"), commit];
        assert_eq!(QueryStats::of(&events).queries, 1);
    }

    #[test]
    fn a_multi_line_input_is_summarised_by_its_first_line() {
        let source = CommandSource::Console("for u in users:\n    print(u.posts)\n".into());
        assert_eq!(source.summary(), ">>> for u in users: …");
        assert_eq!(CommandSource::Button(SessionAction::Commit).summary(), "Commit button");
    }
}

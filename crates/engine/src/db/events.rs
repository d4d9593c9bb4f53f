//! The statement log: one event per statement as SQLAlchemy logs it, and per
//! BEGIN / COMMIT / ROLLBACK / SAVEPOINT, with where it came from.

use std::sync::Arc;

use super::error::DbError;
use crate::sql::Datum;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Begin,
    Commit,
    Rollback,
    Savepoint,
    ReleaseSavepoint,
    RollbackToSavepoint,
    Select,
    Insert,
    Update,
    Delete,
    /// CREATE / DROP TABLE, CREATE INDEX, ALTER TABLE.
    Ddl,
    /// `PRAGMA ...` (including create_all's table-existence checks).
    Pragma,
}

/// Why the ORM sent a statement (shown next to it in the SQL panel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reason {
    /// A statement the script asked for directly (a query, `text()`, raw SQL).
    #[default]
    Statement,
    Autoflush,
    Flush,
    LazyLoad,
    Commit,
    Rollback,
    Refresh,
    CreateAll,
    DropAll,
}

/// The script line that caused an event and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    pub line: Option<u32>,
    pub reason: Reason,
}

/// Membership of an event in one statement that GlueSQL ran for several echo
/// lines (insertmanyvalues rows): all events of a batch share `id` and `glue_sql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    pub id: u64,
    /// 1-based position of this event in the batch.
    pub position: usize,
    pub size: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub seq: u64,
    /// The database transaction it ran in (BEGIN starts a new number).
    pub transaction: Option<u64>,
    pub kind: EventKind,
    /// The SQL as SQLAlchemy's echo logs it.
    pub echo_sql: Arc<str>,
    /// The echo's parameter line (`[generated in 0.00012s] ('a',)`), empty for
    /// BEGIN / COMMIT / ROLLBACK, which SQLAlchemy logs alone.
    pub echo_params: String,
    /// The parameter sets the statement was sent with (several for an executemany).
    pub parameters: Vec<Vec<Datum>>,
    /// The statement GlueSQL ran (`None` for what only our layer handles);
    /// shared by the events of one batch.
    pub glue_sql: Option<Arc<str>>,
    pub batch: Option<Batch>,
    /// Rows returned (SELECT) or affected (DML).
    pub rows: Option<usize>,
    pub duration_ms: f64,
    /// Boxed: rare, and large next to the rest of an event (a run may log 100,000 rows).
    pub error: Option<Box<DbError>>,
    pub origin: Origin,
}

impl Event {
    /// The event as SQLAlchemy's log prints it (one or two lines).
    pub fn echo_text(&self) -> String {
        if self.echo_params.is_empty() {
            self.echo_sql.to_string()
        } else {
            format!("{}\n{}", self.echo_sql, self.echo_params)
        }
    }
}

/// Sequence numbers shared by several databases' logs, so that their events sort into the
/// order they happened in (one script using two engines).
pub type EventNumbers = std::rc::Rc<std::cell::Cell<u64>>;

/// Events in order, readable incrementally by sequence number.
#[derive(Debug, Default)]
pub(crate) struct EventLog {
    events: Vec<Event>,
    next_seq: u64,
    shared: Option<EventNumbers>,
}

impl EventLog {
    /// Appends an event, numbering it; returns its sequence number.
    pub fn push(&mut self, mut event: Event) -> u64 {
        self.next_seq = match &self.shared {
            Some(numbers) => {
                numbers.set(numbers.get().max(self.next_seq) + 1);
                numbers.get()
            }
            None => self.next_seq + 1,
        };
        event.seq = self.next_seq;
        self.events.push(event);
        self.next_seq
    }

    /// Numbers the events from now on from `numbers`, shared with other logs.
    pub fn share_numbers(&mut self, numbers: EventNumbers) {
        self.shared = Some(numbers);
    }

    /// Events with a sequence number greater than `seq` (0 for all).
    pub fn since(&self, seq: u64) -> &[Event] {
        let start = self.events.partition_point(|e| e.seq <= seq);
        self.events.get(start..).unwrap_or_default()
    }

    pub fn last_seq(&self) -> u64 {
        self.next_seq
    }

    /// Forgets the events; numbering continues.
    pub fn clear(&mut self) {
        self.events.clear();
    }
}

/// Python's `%.4g`, used by SQLAlchemy for "cached since …s ago".
pub(crate) fn format_g4(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_owned();
    }
    let exponent = value.abs().log10().floor() as i32;
    let text = if !(-4..4).contains(&exponent) {
        let s = format!("{value:.3e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        let mantissa = trim_zeros(mantissa);
        let exp: i32 = exp.parse().unwrap_or(0);
        format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = usize::try_from(3 - exponent).unwrap_or(0);
        trim_zeros(&format!("{value:.decimals$}"))
    };
    text
}

fn trim_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::format_g4;

    #[test]
    fn g4_matches_python() {
        assert_eq!(format_g4(0.0009016), "0.0009016");
        assert_eq!(format_g4(1.23456), "1.235");
        assert_eq!(format_g4(0.00001234), "1.234e-05");
        assert_eq!(format_g4(12.5), "12.5");
        assert_eq!(format_g4(12345.0), "1.234e+04");
    }
}

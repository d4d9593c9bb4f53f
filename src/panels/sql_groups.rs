//! The SQL log's structure: events grouped into transactions (BEGIN … COMMIT / ROLLBACK) with
//! savepoints nested inside, and within them runs of consecutive statements from one command.
//! Plain indices into the log, so that grouping 100,000 events copies none of them.

use sqla_engine::playground::events::SqlEventKind;
use sqla_engine::playground::SqlEvent;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogNode {
    /// A transaction, or a savepoint inside one.
    Block(Block),
    /// Consecutive statements one command sent.
    Run(CommandRun),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The BEGIN or SAVEPOINT event.
    pub begin: usize,
    pub children: Vec<LogNode>,
    /// The COMMIT / ROLLBACK / RELEASE / ROLLBACK TO event; `None` while it is open.
    pub end: Option<usize>,
    pub savepoint: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandRun {
    pub command: u32,
    pub events: Vec<usize>,
}

impl LogNode {
    /// The first and last event index it covers.
    pub fn span(&self) -> (usize, usize) {
        match self {
            LogNode::Block(block) => {
                let last = block.end.or_else(|| block.children.last().map(|child| child.span().1)).unwrap_or(block.begin);
                (block.begin, last)
            }
            LogNode::Run(run) => (run.events.first().copied().unwrap_or(0), run.events.last().copied().unwrap_or(0)),
        }
    }
}

/// Nodes are built in an arena (a transaction stays open across commands and databases
/// interleave), then turned into a tree.
enum Slot {
    Block { begin: usize, end: Option<usize>, savepoint: bool, children: Vec<usize> },
    Run(CommandRun),
}

pub fn group(events: &[SqlEvent]) -> Vec<LogNode> {
    let mut arena: Vec<Slot> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    // Per database, the open transaction and savepoints (arena indices), innermost last.
    let mut open: Vec<(&str, Vec<usize>)> = Vec::new();

    for (index, event) in events.iter().enumerate() {
        let stack_position = match open.iter().position(|(database, _)| *database == event.database) {
            Some(position) => position,
            None => {
                open.push((event.database.as_str(), Vec::new()));
                open.len() - 1
            }
        };
        let stack = &mut open[stack_position].1; // `position` found it or it was just pushed
        match event.kind {
            SqlEventKind::Begin | SqlEventKind::Savepoint => {
                let block = arena.len();
                arena.push(Slot::Block { begin: index, end: None, savepoint: event.kind == SqlEventKind::Savepoint, children: Vec::new() });
                attach(&mut arena, &mut roots, stack.last().copied(), block);
                stack.push(block);
            }
            SqlEventKind::ReleaseSavepoint | SqlEventKind::RollbackToSavepoint if is_savepoint(&arena, stack.last()) => {
                if let Some(block) = stack.pop() {
                    close(&mut arena, block, index);
                }
            }
            SqlEventKind::Commit | SqlEventKind::Rollback if !stack.is_empty() => {
                // Ends the transaction and any savepoint still open in it.
                while let Some(block) = stack.pop() {
                    if !is_savepoint(&arena, Some(&block)) {
                        close(&mut arena, block, index);
                        break;
                    }
                }
            }
            _ => add_statement(&mut arena, &mut roots, stack.last().copied(), index, event.entry),
        }
    }
    roots.iter().map(|root| build(&arena, *root)).collect()
}

fn is_savepoint(arena: &[Slot], block: Option<&usize>) -> bool {
    matches!(block.and_then(|block| arena.get(*block)), Some(Slot::Block { savepoint: true, .. }))
}

fn close(arena: &mut [Slot], block: usize, index: usize) {
    if let Some(Slot::Block { end, .. }) = arena.get_mut(block) {
        *end = Some(index);
    }
}

fn attach(arena: &mut [Slot], roots: &mut Vec<usize>, parent: Option<usize>, node: usize) {
    match parent.and_then(|parent| arena.get_mut(parent)) {
        Some(Slot::Block { children, .. }) => children.push(node),
        _ => roots.push(node),
    }
}

/// Adds a statement to the last run of its container when that run is the same command's.
fn add_statement(arena: &mut Vec<Slot>, roots: &mut Vec<usize>, parent: Option<usize>, index: usize, command: u32) {
    let siblings = match parent.and_then(|parent| arena.get(parent)) {
        Some(Slot::Block { children, .. }) => children.last().copied(),
        _ => roots.last().copied(),
    };
    if let Some(Slot::Run(run)) = siblings.and_then(|last| arena.get_mut(last)) {
        if run.command == command {
            run.events.push(index);
            return;
        }
    }
    let run = arena.len();
    arena.push(Slot::Run(CommandRun { command, events: vec![index] }));
    attach(arena, roots, parent, run);
}

fn build(arena: &[Slot], node: usize) -> LogNode {
    match arena.get(node) {
        Some(Slot::Block { begin, end, savepoint, children }) => LogNode::Block(Block {
            begin: *begin,
            end: *end,
            savepoint: *savepoint,
            children: children.iter().map(|child| build(arena, *child)).collect(),
        }),
        Some(Slot::Run(run)) => LogNode::Run(run.clone()),
        // Arena indices only ever come from pushes into it.
        None => LogNode::Run(CommandRun { command: 0, events: Vec::new() }),
    }
}

/// Consecutive events with the same statement text (a bulk insert's rows): the log shows a
/// long one folded.
pub fn similar_runs(events: &[SqlEvent], indices: &[usize]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let echo = |position: usize| indices.get(position).and_then(|index| events.get(*index)).map(|event| event.echo.as_str());
    for position in 0..indices.len() {
        match runs.last_mut() {
            Some((start, end)) if echo(*start) == echo(position) => *end = position + 1,
            _ => runs.push((position, position + 1)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: SqlEventKind, echo: &str, entry: u32) -> SqlEvent {
        SqlEvent {
            seq: 0,
            database: "sqlite://".into(),
            transaction: None,
            kind,
            echo: echo.into(),
            params: String::new(),
            executed: None,
            batch: None,
            rows: None,
            duration_ms: 0.0,
            error: None,
            reason: "query",
            line: Some(1),
            entry,
        }
    }

    fn run(command: u32, events: &[usize]) -> LogNode {
        LogNode::Run(CommandRun { command, events: events.to_vec() })
    }

    #[test]
    fn a_transaction_spans_commands_and_groups_their_statements() {
        use SqlEventKind::*;
        let events = [
            event(Begin, "BEGIN (implicit)", 1),
            event(Insert, "INSERT", 1),
            event(Insert, "INSERT", 1),
            event(Select, "SELECT", 2),
            event(Commit, "COMMIT", 3),
            event(Begin, "BEGIN (implicit)", 4),
            event(Select, "SELECT", 4),
        ];
        assert_eq!(
            group(&events),
            vec![
                LogNode::Block(Block { begin: 0, children: vec![run(1, &[1, 2]), run(2, &[3])], end: Some(4), savepoint: false }),
                LogNode::Block(Block { begin: 5, children: vec![run(4, &[6])], end: None, savepoint: false }),
            ]
        );
    }

    #[test]
    fn savepoints_nest_and_a_commit_closes_what_is_left_open() {
        use SqlEventKind::*;
        let events = [
            event(Begin, "BEGIN (implicit)", 1),
            event(Savepoint, "SAVEPOINT sa_savepoint_1", 1),
            event(Insert, "INSERT", 1),
            event(RollbackToSavepoint, "ROLLBACK TO SAVEPOINT sa_savepoint_1", 1),
            event(Savepoint, "SAVEPOINT sa_savepoint_2", 2),
            event(Commit, "COMMIT", 2),
        ];
        let savepoint = |begin, children, end| LogNode::Block(Block { begin, children, end, savepoint: true });
        assert_eq!(
            group(&events),
            vec![LogNode::Block(Block {
                begin: 0,
                children: vec![savepoint(1, vec![run(1, &[2])], Some(3)), savepoint(4, vec![], None)],
                end: Some(5),
                savepoint: false,
            })]
        );
    }

    #[test]
    fn statements_outside_a_transaction_and_other_databases_stay_apart() {
        use SqlEventKind::*;
        let mut other = event(Begin, "BEGIN (implicit)", 1);
        other.database = "sqlite:///other.db".into();
        let mut other_commit = event(Commit, "COMMIT", 1);
        other_commit.database = other.database.clone();
        let events = [
            event(Pragma, "PRAGMA", 1),
            event(Begin, "BEGIN (implicit)", 1),
            other,
            event(Select, "SELECT", 1),
            other_commit,
            event(Commit, "COMMIT", 1),
        ];
        assert_eq!(
            group(&events),
            vec![
                run(1, &[0]),
                LogNode::Block(Block { begin: 1, children: vec![run(1, &[3])], end: Some(5), savepoint: false }),
                LogNode::Block(Block { begin: 2, children: vec![], end: Some(4), savepoint: false }),
            ]
        );
    }

    #[test]
    fn repeated_statement_texts_form_similar_runs() {
        use SqlEventKind::*;
        let events = [event(Insert, "A", 1), event(Insert, "A", 1), event(Insert, "B", 1), event(Insert, "A", 1)];
        assert_eq!(similar_runs(&events, &[0, 1, 2, 3]), vec![(0, 2), (2, 3), (3, 4)]);
    }
}

//! The examples menu: scenarios written for this project, one per tutorial topic
//! (examples/scenarios/*, the same files crates/engine/tests/playground_examples.rs runs
//! natively). Loading one starts over with its models applied and its console script ready
//! to run line by line.
//!
//! - [`menu`]: the choice of example in the toolbar
//! - [`script`]: the example's console lines, run one at a time

pub mod menu;
pub mod script;

use sqla_engine::playground::{split_console_script, ScriptStep};

/// One scenario, embedded in the app.
pub struct Example {
    pub title: &'static str,
    pub models: &'static str,
    /// The console lines, with comments that say what each is about.
    pub console: &'static str,
}

pub const EXAMPLES: [Example; 13] = [
    Example {
        title: "Models and columns",
        models: include_str!("../../examples/scenarios/01-models/models.py"),
        console: include_str!("../../examples/scenarios/01-models/console.py"),
    },
    Example {
        title: "Relationships",
        models: include_str!("../../examples/scenarios/02-relationships/models.py"),
        console: include_str!("../../examples/scenarios/02-relationships/console.py"),
    },
    Example {
        title: "Session, commit and rollback",
        models: include_str!("../../examples/scenarios/03-session-rollback/models.py"),
        console: include_str!("../../examples/scenarios/03-session-rollback/console.py"),
    },
    Example {
        title: "Create, read, update, delete",
        models: include_str!("../../examples/scenarios/04-crud/models.py"),
        console: include_str!("../../examples/scenarios/04-crud/console.py"),
    },
    Example {
        title: "Filtering and sorting",
        models: include_str!("../../examples/scenarios/05-filtering-sorting/models.py"),
        console: include_str!("../../examples/scenarios/05-filtering-sorting/console.py"),
    },
    Example {
        title: "Counting and aggregation",
        models: include_str!("../../examples/scenarios/06-aggregation/models.py"),
        console: include_str!("../../examples/scenarios/06-aggregation/console.py"),
    },
    Example {
        title: "Joins",
        models: include_str!("../../examples/scenarios/07-joins/models.py"),
        console: include_str!("../../examples/scenarios/07-joins/console.py"),
    },
    Example {
        title: "Lazy vs eager loading, N+1",
        models: include_str!("../../examples/scenarios/08-lazy-eager/models.py"),
        console: include_str!("../../examples/scenarios/08-lazy-eager/console.py"),
    },
    Example {
        title: "Transactions",
        models: include_str!("../../examples/scenarios/09-transactions/models.py"),
        console: include_str!("../../examples/scenarios/09-transactions/console.py"),
    },
    Example {
        title: "Handling IntegrityError",
        models: include_str!("../../examples/scenarios/10-integrity-errors/models.py"),
        console: include_str!("../../examples/scenarios/10-integrity-errors/console.py"),
    },
    Example {
        title: "A custom query class",
        models: include_str!("../../examples/scenarios/11-custom-query/models.py"),
        console: include_str!("../../examples/scenarios/11-custom-query/console.py"),
    },
    Example {
        title: "Mixins",
        models: include_str!("../../examples/scenarios/12-mixins/models.py"),
        console: include_str!("../../examples/scenarios/12-mixins/console.py"),
    },
    Example {
        title: "Raw SQL and injection",
        models: include_str!("../../examples/scenarios/13-raw-sql-injection/models.py"),
        console: include_str!("../../examples/scenarios/13-raw-sql-injection/console.py"),
    },
];

/// A loaded example's console script, cut into the inputs it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleScript {
    pub title: &'static str,
    pub steps: Vec<ScriptStep>,
}

impl Example {
    /// The console script as steps; the examples' scripts parse (a native test runs them),
    /// so an error here means a broken build, shown as a script without steps.
    pub fn script(&self) -> ExampleScript {
        ExampleScript { title: self.title, steps: split_console_script(self.console).unwrap_or_default() }
    }
}

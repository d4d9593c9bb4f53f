//! `flask shell` with an app that imports the usual names: a script, models source or console
//! input that sets up neither `app` nor `db` finds them (and the common imports) predefined.

use crate::script::ast::{Stmt, StmtKind};
use crate::script::parser::parse_module;

use super::Playground;

/// What the predefined names come from. The database is a file database, so that committed
/// data is kept across reloads in the browser like any `sqlite:///` database.
pub(super) const PRELUDE: &str = "\
from datetime import date, datetime, timedelta
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import and_, asc, delete, desc, func, insert, not_, or_, select, text, update
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, selectinload
app = Flask('app')
app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///playground.db'
db = SQLAlchemy(app)
";

/// The names whose set-up makes the prelude unnecessary.
const SET_UP_NAMES: [&str; 2] = ["app", "db"];

impl Playground {
    /// Defines the prelude's names unless the workspace or `source` sets up `app` or `db`
    /// itself; pushes an application context for the prelude's app, as `flask shell` does.
    pub(super) fn ensure_prelude(&mut self, source: &str) {
        if SET_UP_NAMES.iter().any(|name| self.main.get(name).is_some()) || sets_up_app(source) {
            return;
        }
        // The prelude is our own code: it cannot fail unless the bindings are broken, and a
        // failure then shows up as the NameError of the user's first use of `db`.
        if self.interp.run_module(&self.main, PRELUDE).is_ok() {
            self.interp.take_output();
            self.push_app_context();
        }
    }
}

/// Whether `source` assigns or imports `app` or `db` itself (anywhere in its top-level
/// blocks). `from app import db` does not count: the module `app` is the workspace itself.
pub(super) fn sets_up_app(source: &str) -> bool {
    let Ok(module) = parse_module(source, "<check>") else { return true };
    module.body.iter().any(binds_set_up_name)
}

fn binds_set_up_name(stmt: &Stmt) -> bool {
    let is_set_up = |id: &str| SET_UP_NAMES.contains(&id);
    let blocks: Vec<&Vec<Stmt>> = match &stmt.kind {
        StmtKind::Assign { targets, .. } => return targets.iter().any(|t| assigned_names(t).iter().any(|n| is_set_up(n))),
        StmtKind::AnnAssign { target, .. } => return assigned_names(target).iter().any(|n| is_set_up(n)),
        StmtKind::Import(aliases) => return aliases.iter().any(|a| is_set_up(&a.target.id)),
        StmtKind::ImportFrom { module, names, .. } => return &**module != "app" && names.iter().any(|a| is_set_up(&a.target.id)),
        // A loop's body runs too (a script that sets up its app in a loop).
        StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => vec![body, orelse],
        StmtKind::For { target, body, orelse, .. } => {
            if assigned_names(target).iter().any(|n| is_set_up(n)) {
                return true;
            }
            vec![body, orelse]
        }
        StmtKind::With { body, .. } => vec![body],
        StmtKind::Try { body, handlers, orelse, finalbody } => {
            let mut blocks = vec![body, orelse, finalbody];
            blocks.extend(handlers.iter().map(|h| &h.body));
            blocks
        }
        _ => return false,
    };
    blocks.into_iter().flatten().any(binds_set_up_name)
}

/// The plain names an assignment target binds (`a`, `a, b = ...`).
fn assigned_names(target: &crate::script::ast::Expr) -> Vec<&str> {
    use crate::script::ast::ExprKind;
    match &target.kind {
        ExprKind::Name(name) => vec![&*name.id],
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().flat_map(assigned_names).collect(),
        _ => vec![],
    }
}

//! Saves the work after each command: the models and the transcript every time, the
//! committed data of the file databases when the command committed.

use leptos::prelude::*;
use sqla_engine::playground::events::SqlEventKind;

use super::format::KeptWorkspace;
use crate::shell::Shell;

/// Watches the workspace for finished commands (every run refreshes `tables`; the SQL log
/// grows with the statements it sent) and saves them to the shell's store.
pub fn keep_work(shell: Shell) {
    let workspace = shell.workspace;
    // How much of the SQL log has been looked at (starting over clears it).
    let seen = StoredValue::new(0_usize);
    Effect::new(move |previous: Option<()>| {
        workspace.tables.track();
        let committed = workspace.sql_log.with(|log| {
            let new = log.get(seen.get_value()..).unwrap_or(log.as_slice());
            seen.set_value(log.len());
            new.iter().any(|event| event.kind == SqlEventKind::Commit && event.error.is_none())
        });
        // The first run is the work just read back: nothing new to save.
        if previous.is_none() || !shell.keeping.get_untracked() {
            return;
        }
        let kept = workspace.read(|playground| KeptWorkspace::of(playground));
        let databases = committed.then(|| workspace.read(|playground| playground.saved_databases())).flatten();
        if let Some(kept) = kept {
            shell.store.save(&kept, databases);
        }
    });
}

//! The state the shell's parts share over the workspace: the models text, the store that
//! keeps work, the loaded example, and starting over.

use leptos::prelude::*;
use sqla_engine::playground::{ApplyResult, Playground};
use sqla_engine::script::Limits;

use crate::browser_clock;
use crate::examples::ExampleScript;
use crate::storage::format::Kept;
use crate::storage::Store;
use crate::workspace::Workspace;

/// `Copy`: reactive handles only.
#[derive(Clone, Copy)]
pub struct Shell {
    pub workspace: Workspace,
    pub store: Store,
    /// The models editor's text: what Apply runs.
    pub models: RwSignal<String>,
    /// Bumped when the work starts over, so that the panels mount afresh.
    pub generation: RwSignal<u32>,
    /// The example whose console lines the user steps through.
    pub script: RwSignal<Option<ExampleScript>>,
    /// Whether work is saved to the store (not while a shared link waits for Run).
    pub keeping: RwSignal<bool>,
}

impl Shell {
    /// The shell over the kept work: its databases, models (applied again) and history.
    pub fn restore(store: Store, kept: Kept) -> Shell {
        let mut playground = Playground::with_snapshots(kept.databases, Limits::default());
        playground.set_clock(browser_clock());
        if let Some(kept) = &kept.workspace {
            playground.set_environment(kept.environment.clone());
        }
        let workspace = Workspace::new(playground);
        let models = kept.workspace.as_ref().map(|kept| kept.models.clone()).unwrap_or_default();
        if let Some(kept) = kept.workspace {
            if !kept.models.trim().is_empty() {
                workspace.apply_models(&kept.models);
            }
            let transcript = kept.transcript();
            workspace.history.set(transcript.iter().map(|input| input.source.clone()).collect());
            workspace.restored.set(transcript.clone());
            workspace.read(|playground| playground.restore_transcript(transcript));
        }
        Shell {
            workspace,
            store,
            models: RwSignal::new(models),
            generation: RwSignal::new(0),
            script: RwSignal::new(None),
            keeping: RwSignal::new(true),
        }
    }

    /// Starts over with `models` in the editor and a fresh playground without any data (the
    /// environment variables, settings, stay).
    pub fn start_over(&self, models: String) {
        let mut playground = Playground::new();
        playground.set_clock(browser_clock());
        playground.set_environment(self.workspace.read(|playground| playground.environment().to_vec()).unwrap_or_default());
        self.workspace.replace_playground(playground);
        self.models.set(models);
        self.script.set(None);
        self.generation.update(|generation| *generation += 1);
    }

    /// Sets what `os.environ` holds for what runs from now on (the models when next applied).
    pub fn replace_environment(&self, vars: Vec<(String, String)>) {
        self.workspace.read(|playground| playground.set_environment(vars));
    }

    /// Sets what `os.environ` holds and applies the models as last applied again, so that
    /// everything sees the new variables (the console's names go, as with a new `flask shell`).
    pub fn set_environment(&self, vars: Vec<(String, String)>) {
        self.replace_environment(vars);
        let applied = self.workspace.read(|playground| playground.models_source().to_owned()).unwrap_or_default();
        self.workspace.apply_models(&applied);
    }

    /// Applies the editor's models; `recreate` drops the tables whose shape changed.
    pub fn apply(&self, recreate: bool) -> ApplyResult {
        self.workspace.apply_models_recreating(&self.models.get_untracked(), recreate)
    }
}

//! What the user sees about keeping work: where the database lives and whether its data is
//! kept, the save status, a notice when nothing can be kept or a save failed, and a question
//! when what is stored cannot be read (download it, or start fresh).

use leptos::prelude::*;
use sqla_engine::playground::is_file_database;

use super::{Store, StoreStatus};
use crate::dialog::Modal;
use crate::download::download;
use crate::workspace::Workspace;

/// One line in the header: the app's database and whether its committed data is kept.
#[component]
pub fn KeepingStatus(workspace: Workspace, store: Store) -> impl IntoView {
    let database = Memo::new(move |_| {
        workspace.tables.track();
        workspace.database_url()
    });
    let kept = move || match store.status.get() {
        StoreStatus::Unavailable(_) => "not kept in this browser",
        StoreStatus::Unreadable(_) => "saving paused",
        StoreStatus::Failed(_) => "not saved",
        StoreStatus::Saving => "saving…",
        StoreStatus::Saved => "saved in this browser",
        StoreStatus::Ready => "kept in this browser",
    };
    let database_note = move || match database.get() {
        None => "no database yet".to_owned(),
        Some(url) if is_file_database(&url) => format!("{url}: committed data is kept"),
        Some(url) => format!("{url}: in memory, its data is lost on reload (as with a real in-memory database)"),
    };
    view! {
        <p class="keeping-status" role="status" aria-live="polite">
            <span class="database-note">{database_note}</span>
            " · "
            <span class="save-state" data-state=move || store.status.with(StoreStatus::name)>{kept}</span>
        </p>
    }
}

/// A banner when nothing can be kept, or the last save failed.
#[component]
pub fn StorageBanner(store: Store) -> impl IntoView {
    move || match store.status.get() {
        StoreStatus::Unavailable(reason) => Some(
            view! {
                <p class="banner warning" role="status">
                    "Your work is not kept in this browser (" {reason} "). "
                    "Everything works; use Share or Export to take your work with you."
                </p>
            }
            .into_any(),
        ),
        StoreStatus::Failed(reason) => Some(
            view! {
                <p class="banner error" role="alert">
                    "Your work could not be saved in this browser (" {reason} "). "
                    "Use Share or Export to keep it."
                </p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

/// Asks what to do with stored work that cannot be read.
#[component]
pub fn UnreadableDialog(store: Store) -> impl IntoView {
    let open = RwSignal::new(matches!(store.status.get_untracked(), StoreStatus::Unreadable(_)));
    let unreadable = move || match store.status.get() {
        StoreStatus::Unreadable(unreadable) => Some(unreadable),
        _ => None,
    };
    let download_problem = RwSignal::new(None::<String>);
    let download_raw = move |_| {
        if let Some(unreadable) = unreadable() {
            download_problem.set(download("sqla-playground-saved-data.json", "application/json", &unreadable.raw_json()).err());
        }
    };
    let start_fresh = move |_| store.clear(move || open.set(false));
    view! {
        <Modal open title="Your saved work cannot be read" dismissable=false class="unreadable">
            <p>
                "The work this browser kept for the playground cannot be used, so the playground "
                "started empty. Nothing has been deleted or overwritten yet."
            </p>
            <ul class="problems">
                {move || unreadable().map(|unreadable| unreadable.problems.into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view())}
            </ul>
            <p>"Download the raw data to keep it, then start fresh to save your new work again."</p>
            {move || download_problem.get().map(|problem| view! { <p class="error" role="alert">{problem}</p> })}
            <div class="dialog-buttons">
                <button type="button" on:click=download_raw>"Download the raw data"</button>
                <button type="button" class="danger" on:click=start_fresh>"Start fresh"</button>
            </div>
        </Modal>
    }
}

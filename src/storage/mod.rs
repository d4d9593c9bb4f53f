//! Keeping work in the browser (IndexedDB): the models, the console transcript and the
//! committed data of every file database (`sqlite:///site.db`), saved after each command and
//! read back on load. In-memory databases (`sqlite://`) are not kept, as with a real one.
//! When the store is unavailable (private mode) the app works without it and says so; when
//! what is stored cannot be read, nothing is overwritten until the user downloads it or
//! starts fresh.
//!
//! - [`format`]: the records and their versions, read back and checked
//! - [`idb`]: IndexedDB calls as futures
//! - [`keeper`]: saves the workspace after each command
//! - [`notice`]: what the user sees about it

pub mod format;
mod idb;
pub mod keeper;
pub mod notice;

use std::collections::HashMap;

use base64::Engine;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::IdbDatabase;

use self::format::{database_key, read_records, Kept, KeptWorkspace, RawRecord, WORKSPACE_KEY};

/// What the store can do right now.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreStatus {
    /// IndexedDB cannot be used; the reason.
    Unavailable(String),
    /// Nothing saved yet in this page.
    Ready,
    Saving,
    Saved,
    /// The last save failed (quota full...); the reason.
    Failed(String),
    /// What is stored cannot be read: saving waits until the user starts fresh.
    Unreadable(Unreadable),
}

impl StoreStatus {
    /// A short name of the state (the page marks it with `data-state`).
    pub fn name(&self) -> &'static str {
        match self {
            StoreStatus::Unavailable(_) => "unavailable",
            StoreStatus::Ready => "ready",
            StoreStatus::Saving => "saving",
            StoreStatus::Saved => "saved",
            StoreStatus::Failed(_) => "failed",
            StoreStatus::Unreadable(_) => "unreadable",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    /// Which records, and what is wrong with them.
    pub problems: Vec<String>,
    /// The records as stored, for the user to download.
    pub records: Vec<(String, RawRecord)>,
}

/// The browser's store for the app's lifetime; `Copy`: reactive handles only.
#[derive(Clone, Copy)]
pub struct Store {
    database: StoredValue<Option<IdbDatabase>, LocalStorage>,
    pub status: RwSignal<StoreStatus>,
}

impl Store {
    /// Opens the store and reads what it keeps; never fails: problems become the status.
    pub async fn open() -> (Store, Kept) {
        let (database, status, kept) = match idb::open().await {
            Err(reason) => (None, StoreStatus::Unavailable(reason), Kept::default()),
            Ok(database) => match idb::read_all(&database).await {
                Err(reason) => (Some(database), StoreStatus::Unavailable(format!("the saved work could not be read: {reason}")), Kept::default()),
                Ok(records) => match read_records(records.clone()) {
                    Ok(kept) => (Some(database), StoreStatus::Ready, kept),
                    Err(problems) => (Some(database), StoreStatus::Unreadable(Unreadable { problems, records }), Kept::default()),
                },
            },
        };
        let store = Store { database: StoredValue::new_local(database), status: RwSignal::new(status) };
        (store, kept)
    }

    /// Saves the workspace and, when given, the committed data of the file databases.
    pub fn save(&self, workspace: &KeptWorkspace, databases: Option<HashMap<String, Vec<u8>>>) {
        if !self.can_save() {
            return;
        }
        let Some(database) = self.database.get_value() else { return };
        let mut records = vec![(WORKSPACE_KEY.to_owned(), workspace.to_json().into())];
        for (uri, bytes) in databases.into_iter().flatten() {
            records.push((database_key(&uri), idb::bytes_value(&bytes)));
        }
        self.status.set(StoreStatus::Saving);
        let status = self.status;
        spawn_local(async move {
            match idb::put_all(&database, records).await {
                Ok(()) => status.set(StoreStatus::Saved),
                Err(reason) => status.set(StoreStatus::Failed(reason)),
            }
        });
    }

    /// Deletes everything kept, then runs `then` (also when the store is unavailable).
    pub fn clear(&self, then: impl FnOnce() + 'static) {
        let Some(database) = self.database.get_value() else {
            then();
            return;
        };
        let status = self.status;
        spawn_local(async move {
            match idb::clear(&database).await {
                Ok(()) => status.set(StoreStatus::Ready),
                Err(reason) => status.set(StoreStatus::Failed(reason)),
            }
            then();
        });
    }

    fn can_save(&self) -> bool {
        !matches!(self.status.get_untracked(), StoreStatus::Unavailable(_) | StoreStatus::Unreadable(_))
    }
}

impl Unreadable {
    /// The stored records as JSON: text as it is, bytes in base64.
    pub fn raw_json(&self) -> String {
        let records: serde_json::Map<String, serde_json::Value> = self
            .records
            .iter()
            .map(|(key, record)| {
                let value = match record {
                    RawRecord::Text(text) => serde_json::json!({ "text": text }),
                    RawRecord::Bytes(bytes) => serde_json::json!({ "base64": base64::engine::general_purpose::STANDARD.encode(bytes) }),
                    RawRecord::Other(shown) => serde_json::json!({ "other": shown }),
                };
                (key.clone(), value)
            })
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({ "sqla-playground saved data": records })).unwrap_or_default()
    }
}

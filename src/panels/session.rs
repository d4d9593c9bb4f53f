//! The session inspector: whether a transaction is open or a rollback is pending,
//! `session.new` / `.dirty` (old → new values) / `.deleted`, and every tracked object of the
//! identity map with its state, in colour and in words. Refreshed after every command.

use leptos::prelude::*;
use sqla_engine::playground::views::{ObjectView, SessionView};

use crate::workspace::Workspace;

/// Objects described in full; beyond this the inspector says how many more there are.
const SHOWN_OBJECTS: usize = 200;

#[component]
pub fn SessionInspector(workspace: Workspace) -> impl IntoView {
    let view = Memo::new(move |_| {
        workspace.revision.track();
        workspace.session_view(SHOWN_OBJECTS)
    });
    move || {
        let session = view.get();
        view! {
            <div class="session-view">
                <Badges session=session.clone()/>
                <div class="session-sets">
                    <ObjectSet title="session.new" items=session.new.clone() count=session.new_count objects=vec![]/>
                    <ObjectSet title="session.dirty" items=session.dirty.clone() count=session.dirty_count objects=session.objects.clone()/>
                    <ObjectSet title="session.deleted" items=session.deleted.clone() count=session.deleted_count objects=vec![]/>
                </div>
                <TrackedObjects session/>
            </div>
        }
    }
}

#[component]
fn Badges(session: SessionView) -> impl IntoView {
    let transaction = if session.transaction_open {
        view! { <span class="badge badge-open">"transaction open"</span> }.into_any()
    } else {
        view! { <span class="badge badge-idle">"no transaction"</span> }.into_any()
    };
    let rollback = session.rollback_pending.then(|| {
        view! {
            <span class="badge badge-rollback" title="A flush failed: everything but db.session.rollback() raises PendingRollbackError">
                "rollback pending"
            </span>
        }
    });
    view! { <p class="badges" aria-label="Session state">{transaction}{rollback}</p> }
}

/// `session.new`, `.dirty` or `.deleted`; dirty objects list their changed attributes.
#[component]
fn ObjectSet(title: &'static str, items: Vec<String>, count: usize, objects: Vec<ObjectView>) -> impl IntoView {
    let heading = format!("{title} ({count})");
    let more = (count > items.len()).then(|| view! { <li class="note">{format!("… and {} more", count - items.len())}</li> });
    let list = if items.is_empty() {
        view! { <p class="note">"empty"</p> }.into_any()
    } else {
        let entries = items
            .into_iter()
            .map(|repr| {
                let changes = objects.iter().find(|object| object.repr == repr && object.modified).map(changes_view);
                view! { <li><code>{repr}</code>{changes}</li> }
            })
            .collect_view();
        view! { <ul>{entries}{more}</ul> }.into_any()
    };
    view! {
        <section class="object-set" aria-label=title>
            <h4><code>{heading}</code></h4>
            {list}
        </section>
    }
}

/// The changed attributes of a modified object, as `name: old → new`.
fn changes_view(object: &ObjectView) -> impl IntoView {
    let changes = object
        .attributes
        .iter()
        .filter_map(|attribute| {
            let old = attribute.old.clone()?;
            let new = attribute.value.clone().unwrap_or_else(|| "<not loaded>".to_owned());
            Some(view! {
                <li class="change">
                    <span class="attribute">{attribute.name.clone()}</span>": "
                    <del>{old}</del>" → "<ins>{new}</ins>
                </li>
            })
        })
        .collect_view();
    view! { <ul class="changes">{changes}</ul> }
}

#[component]
fn TrackedObjects(session: SessionView) -> impl IntoView {
    let heading = format!("Identity map and tracked objects ({})", session.object_count);
    let more = (session.object_count > session.objects.len())
        .then(|| view! { <p class="note">{format!("Showing the first {} objects.", session.objects.len())}</p> });
    let body = if session.objects.is_empty() {
        view! { <p class="note">"The session tracks no objects."</p> }.into_any()
    } else {
        let rows = session.objects.into_iter().map(|object| view! { <ObjectRow object/> }).collect_view();
        view! {
            <table class="objects">
                <thead>
                    <tr><th scope="col">"Object"</th><th scope="col">"State"</th><th scope="col">"Attributes"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="tracked" aria-labelledby="tracked-heading">
            <h4 id="tracked-heading">{heading}</h4>
            {body}
            {more}
        </section>
    }
}

#[component]
fn ObjectRow(object: ObjectView) -> impl IntoView {
    let mut state = object.state.to_owned();
    if object.marked_for_delete && object.state != "deleted" {
        state.push_str(" (marked for delete)");
    }
    // A pending object is all new: "modified" only tells something about a persistent one.
    if object.modified && object.state == "persistent" {
        state.push_str(" (modified)");
    }
    let attributes = object
        .attributes
        .into_iter()
        .map(|attribute| {
            let value = match attribute.value {
                Some(value) => view! { <span class="value">{value}</span> }.into_any(),
                None => view! { <span class="value not-loaded" title="Expired or never loaded: reading it loads it">"not loaded"</span> }.into_any(),
            };
            let old = attribute.old.map(|old| view! { <del class="old">{old}</del>" → " });
            view! {
                <li><span class="attribute">{attribute.name}</span>" = "{old}{value}</li>
            }
        })
        .collect_view();
    view! {
        <tr class=format!("object state-{}", object.state)>
            <td><code>{object.repr}</code><span class="class-name">{object.class_name}</span></td>
            <td><span class=format!("state state-{}", object.state)>{state}</span></td>
            <td><ul class="attributes">{attributes}</ul></td>
        </tr>
    }
}

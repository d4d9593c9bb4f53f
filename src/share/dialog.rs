//! The Share dialog (the link, its length, Copy) and the question a shared link asks before
//! anything runs.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::link::{encode, page_url_with, Scenario, SharedLink};
use crate::dialog::Modal;
use crate::shell::Shell;

/// The Share button and its dialog.
#[component]
pub fn ShareButton(shell: Shell) -> impl IntoView {
    let open = RwSignal::new(false);
    let link = RwSignal::new(String::new());
    let copied = RwSignal::new(None::<&'static str>);
    let share = move |_| {
        let environment = shell.workspace.read(|playground| playground.environment().to_vec()).unwrap_or_default();
        let scenario = Scenario { models: shell.models.get_untracked(), inputs: shell.workspace.history.get_untracked(), environment };
        link.set(page_url_with(&encode(&scenario)));
        copied.set(None);
        open.set(true);
    };
    let copy = move |_| {
        let Some(clipboard) = web_sys::window().map(|window| window.navigator().clipboard()) else { return };
        let promise = clipboard.write_text(&link.get_untracked());
        spawn_local(async move {
            copied.set(Some(match JsFuture::from(promise).await {
                Ok(_) => "Copied.",
                Err(_) => "The browser did not allow copying: select the link and copy it.",
            }));
        });
    };
    let select_all = move |event: web_sys::FocusEvent| event_target::<web_sys::HtmlInputElement>(&event).select();
    view! {
        <button type="button" on:click=share>"Share"</button>
        <Modal open title="Share this session" class="share">
            <p>"The link holds your models and console inputs; whoever opens it sees them and chooses to run them. Nothing is uploaded."</p>
            <label class="field">
                "Share link"
                <input type="text" readonly prop:value=move || link.get() on:focus=select_all/>
            </label>
            <p class="note share-length">{move || format!("{} characters", link.with(|link| link.chars().count()))}</p>
            <p class="note" role="status">{move || copied.get()}</p>
            <div class="dialog-buttons">
                <button type="button" on:click=copy>"Copy link"</button>
                <button type="button" on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </Modal>
    }
}

/// On opening a share link: what it will run, Run or Cancel; or why the link cannot be read.
#[component]
pub fn SharedLinkPrompt(shell: Shell, shared: SharedLink) -> impl IntoView {
    match shared {
        SharedLink::Absent => ().into_any(),
        SharedLink::Broken(problem) => view! {
            <p class="banner error" role="alert">
                "This share link cannot be opened: " {problem} ". The playground opened without it."
            </p>
        }
        .into_any(),
        SharedLink::Scenario(scenario) => {
            shell.keeping.set(false);
            let open = RwSignal::new(true);
            let Scenario { models, inputs, environment } = scenario;
            let count = inputs.len();
            let shown_inputs = inputs.join("\n");
            let shown_environment = (!environment.is_empty()).then(|| environment.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("\n"));
            let run = {
                let (models, inputs) = (models.clone(), inputs.clone());
                move |_| {
                    shell.keeping.set(true);
                    shell.start_over(models.clone());
                    shell.replace_environment(environment.clone());
                    shell.apply(false);
                    for input in &inputs {
                        shell.workspace.run_console(input);
                    }
                    forget_fragment();
                    open.set(false);
                }
            };
            view! {
                <Modal open title="Run this shared session?" dismissable=false class="shared">
                    <p>"Someone shared these models and " {count} " console inputs with you. Nothing has run yet."</p>
                    <p class="note">"Running them starts over: your own models and console session are replaced (data kept for other databases stays)."</p>
                    <h3>"Models"</h3>
                    <pre class="shared-code">{models}</pre>
                    <h3>"Console inputs"</h3>
                    <pre class="shared-code">{shown_inputs}</pre>
                    {shown_environment.map(|shown| view! {
                        <h3>"Environment variables"</h3>
                        <pre class="shared-code">{shown}</pre>
                    })}
                    <div class="dialog-buttons">
                        <button type="button" on:click=run>"Run"</button>
                        <button type="button" on:click=move |_| {
                            forget_fragment();
                            reload();
                        }>"Cancel"</button>
                    </div>
                </Modal>
            }
            .into_any()
        }
    }
}

/// Removes the share fragment from the address, so a reload opens the kept work.
fn forget_fragment() {
    if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
        // Only the address bar is affected if this fails.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_url_with("")));
    }
}

/// Opens the page again, now without the link: the kept work comes back.
fn reload() {
    if let Some(window) = web_sys::window() {
        // A reload that is refused leaves the playground empty, still usable.
        let _ = window.location().reload();
    }
}

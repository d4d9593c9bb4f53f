//! Saving text as a file: a Blob, an object URL and a click on a download link.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `contents` as a file named `file_name` of type `mime`.
pub fn download(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not prepare {file_name} ({what})");
    let parts = js_sys::Array::of1(&contents.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail("the file"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| fail("its address"))?;
    let document = web_sys::window().and_then(|window| window.document()).ok_or_else(|| fail("no document"))?;
    let link: HtmlAnchorElement = document.create_element("a").map_err(|_| fail("a link"))?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // Revoking at once can cancel the download in some browsers: give it time to start.
    leptos::prelude::set_timeout(
        move || {
            // A URL that cannot be revoked only costs memory until the page closes.
            let _ = Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

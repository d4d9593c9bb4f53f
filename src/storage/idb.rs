//! The browser's IndexedDB, as little of it as the store needs: open the database, read every
//! record, write records in one transaction, clear. Requests become futures; every failure is
//! an error message (the name and message of the DOMException when there is one).

use js_sys::{ArrayBuffer, Array, Promise, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::format::RawRecord;

const DATABASE_NAME: &str = "sqla-playground";
/// The IndexedDB schema version: one object store of records by key.
const SCHEMA_VERSION: u32 = 1;
const STORE_NAME: &str = "kept";

/// Opens (creating on first use) the playground's database.
pub async fn open() -> Result<IdbDatabase, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let factory = window.indexed_db().map_err(|error| describe(&error))?.ok_or("this browser offers no IndexedDB here")?;
    let request = factory.open_with_u32(DATABASE_NAME, SCHEMA_VERSION).map_err(|error| describe(&error))?;
    let upgrade = Closure::once_into_js(move |event: web_sys::Event| {
        let database = event.target().and_then(|target| target.dyn_into::<IdbOpenDbRequest>().ok()).and_then(|request| request.result().ok());
        if let Some(database) = database.and_then(|result| result.dyn_into::<IdbDatabase>().ok()) {
            // A failure here aborts the upgrade, and `open` reports it.
            let _ = database.create_object_store(STORE_NAME);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let result = finished(&request).await?;
    result.dyn_into::<IdbDatabase>().map_err(|_| "IndexedDB opened something that is not a database".to_owned())
}

/// Every record: its key and value.
pub async fn read_all(database: &IdbDatabase) -> Result<Vec<(String, RawRecord)>, String> {
    let store = object_store(database, IdbTransactionMode::Readonly)?.0;
    let keys = store.get_all_keys().map_err(|error| describe(&error))?;
    let values = store.get_all().map_err(|error| describe(&error))?;
    let keys: Array = finished(&keys).await?.unchecked_into();
    let values: Array = finished(&values).await?.unchecked_into();
    Ok(keys.iter().zip(values.iter()).map(|(key, value)| (key.as_string().unwrap_or_else(|| format!("{key:?}")), raw_record(value))).collect())
}

/// Writes records (text or bytes) in one transaction; resolves when it is committed.
pub async fn put_all(database: &IdbDatabase, records: Vec<(String, JsValue)>) -> Result<(), String> {
    let (store, transaction) = object_store(database, IdbTransactionMode::Readwrite)?;
    for (key, value) in records {
        store.put_with_key(&value, &JsValue::from_str(&key)).map_err(|error| describe(&error))?;
    }
    committed(&transaction).await
}

/// Deletes every record.
pub async fn clear(database: &IdbDatabase) -> Result<(), String> {
    let (store, transaction) = object_store(database, IdbTransactionMode::Readwrite)?;
    store.clear().map_err(|error| describe(&error))?;
    committed(&transaction).await
}

pub fn bytes_value(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

fn object_store(database: &IdbDatabase, mode: IdbTransactionMode) -> Result<(IdbObjectStore, IdbTransaction), String> {
    let transaction = database.transaction_with_str_and_mode(STORE_NAME, mode).map_err(|error| describe(&error))?;
    let store = transaction.object_store(STORE_NAME).map_err(|error| describe(&error))?;
    Ok((store, transaction))
}

fn raw_record(value: JsValue) -> RawRecord {
    if let Some(text) = value.as_string() {
        RawRecord::Text(text)
    } else if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        RawRecord::Bytes(bytes.to_vec())
    } else if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        RawRecord::Bytes(Uint8Array::new(buffer).to_vec())
    } else {
        let shown = js_sys::JSON::stringify(&value).ok().and_then(|text| text.as_string());
        RawRecord::Other(shown.unwrap_or_else(|| format!("{value:?}")))
    }
}

/// Waits for a request's success (its result) or error.
async fn finished(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let succeeded = Closure::once_into_js(move |_: web_sys::Event| resolve.call0(&JsValue::NULL));
        let failed = Closure::once_into_js(move |_: web_sys::Event| reject.call0(&JsValue::NULL));
        request.set_onsuccess(Some(succeeded.unchecked_ref()));
        request.set_onerror(Some(failed.unchecked_ref()));
    });
    match JsFuture::from(promise).await {
        Ok(_) => request.result().map_err(|error| describe(&error)),
        Err(_) => Err(request.error().ok().flatten().map_or_else(|| "the request failed".to_owned(), |error| exception_text(&error))),
    }
}

/// Waits for a transaction to commit, or for its error (quota exceeded, aborted...).
async fn committed(transaction: &IdbTransaction) -> Result<(), String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let complete = Closure::once_into_js(move |_: web_sys::Event| resolve.call0(&JsValue::NULL));
        let failed = Closure::once_into_js(move |_: web_sys::Event| reject.call0(&JsValue::NULL));
        transaction.set_oncomplete(Some(complete.unchecked_ref()));
        // An error aborts the transaction: `abort` follows `error`, and either settles it.
        transaction.set_onabort(Some(failed.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| transaction.error().map_or_else(|| "the write was aborted".to_owned(), |error| exception_text(&error)))
}

fn exception_text(error: &DomException) -> String {
    format!("{}: {}", error.name(), error.message())
}

/// A thrown value as text: a DOMException's name and message, or whatever it shows.
pub fn describe(error: &JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<DomException>() {
        exception_text(exception)
    } else if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        String::from(error.message())
    } else {
        error.as_string().unwrap_or_else(|| format!("{error:?}"))
    }
}

//! What the fuzz targets share: the browser's stack and the playground's limits, small enough
//! that each input runs in milliseconds.

use sqla_engine::script::Limits;

/// wasm32's default stack: recursion that the browser could not survive crashes here too.
const BROWSER_STACK: usize = 1 << 20;

/// Runs `work` on a thread with the browser's stack. A panic in it is re-raised, so that
/// libFuzzer records the input as a crash.
pub fn on_browser_stack(work: impl FnOnce() + Send + 'static) {
    let thread = std::thread::Builder::new().stack_size(BROWSER_STACK).spawn(work);
    match thread.map(std::thread::JoinHandle::join) {
        Ok(Ok(())) => {}
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        // Not the engine's fault: the machine could not start a thread.
        Err(error) => eprintln!("fuzz: could not start a thread: {error}"),
    }
}

/// The playground's limits, scaled down so that a runaway input ends quickly.
pub fn small_limits() -> Limits {
    Limits { max_steps: 20_000, max_alloc_bytes: 1 << 20, ..Limits::default() }
}

/// Fuzz input as source text: invalid UTF-8 becomes U+FFFD, as a browser's text area would.
pub fn source_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

//! What the host provides to the standard-library modules: the wall clock,
//! a monotonic clock, the local time zone, the process environment, and a
//! random-number source.
//!
//! Natively the clock defaults to `std::time::SystemTime`; on wasm32 that call
//! panics, so there the host (the web app) must set a clock before scripts ask
//! for the time, and until it does, asking raises a clear `RuntimeError`. The
//! monotonic clock (`time.perf_counter()`) falls back to the wall clock until
//! the host sets one.

use indexmap::IndexMap;

use crate::script::{Interpreter, PyErr, PyResult};

/// Unix time in milliseconds (fractions allowed), as `Date.now()` gives it.
pub type WallClockFn = Box<dyn Fn() -> f64>;
/// Milliseconds since an arbitrary start, never going back (fractions allowed), as
/// `performance.now()` gives it.
pub type MonotonicClockFn = Box<dyn Fn() -> f64>;
/// The local offset from UTC in minutes at a Unix time in milliseconds (east positive).
pub type UtcOffsetFn = Box<dyn Fn(f64) -> i32>;

struct HostClock {
    now_millis: WallClockFn,
}

struct HostMonotonicClock {
    now_millis: MonotonicClockFn,
}

struct HostTimeZone {
    offset_minutes: UtcOffsetFn,
}

/// The variables `os.environ` starts from.
pub(crate) struct HostEnvironment(pub IndexMap<String, String>);

/// Set the clock behind `datetime.now()`, `time.time()` and friends.
pub fn set_wall_clock(interp: &mut Interpreter, now_millis: WallClockFn) {
    interp.insert_extension(HostClock { now_millis });
}

/// Set the clock behind `time.perf_counter()` and `time.monotonic()`: it times code, so the
/// host gives its finest steady clock (the wall clock may step, and the browser's `Date.now()`
/// counts whole milliseconds).
pub fn set_monotonic_clock(interp: &mut Interpreter, now_millis: MonotonicClockFn) {
    interp.insert_extension(HostMonotonicClock { now_millis });
}

/// Set the local time zone (`datetime.now()` versus `utcnow()`); UTC until set.
pub fn set_local_utc_offset(interp: &mut Interpreter, offset_minutes: UtcOffsetFn) {
    interp.insert_extension(HostTimeZone { offset_minutes });
}

/// Set the variables `os.environ` holds (empty until set). Takes effect when
/// `os` is first imported.
pub fn set_environment(interp: &mut Interpreter, vars: IndexMap<String, String>) {
    interp.insert_extension(HostEnvironment(vars));
}

/// The current Unix time in milliseconds.
pub(crate) fn now_millis(interp: &Interpreter) -> PyResult<f64> {
    let millis = match interp.extension::<HostClock>() {
        Some(clock) => (clock.now_millis)(),
        None => default_now_millis()?,
    };
    checked_time(millis)
}

/// The monotonic clock in milliseconds: the host's, or the wall clock until one is set.
pub(crate) fn monotonic_millis(interp: &Interpreter) -> PyResult<f64> {
    match interp.extension::<HostMonotonicClock>() {
        Some(clock) => checked_time((clock.now_millis)()),
        None => now_millis(interp),
    }
}

fn checked_time(millis: f64) -> PyResult<f64> {
    if millis.is_finite() {
        Ok(millis)
    } else {
        Err(PyErr::runtime_error(format!("the playground's clock returned {millis}, not a time")))
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn default_now_millis() -> PyResult<f64> {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|_| PyErr::runtime_error("the system clock is set before 1970"))?;
    Ok(since_epoch.as_secs_f64() * 1000.0)
}

#[cfg(target_arch = "wasm32")]
fn default_now_millis() -> PyResult<f64> {
    Err(PyErr::runtime_error("the playground has no clock yet (the host must call bindings::stdlib::set_wall_clock)"))
}

/// The local offset from UTC in seconds at `millis` (0 until the host sets a time zone).
pub(crate) fn local_offset_seconds(interp: &Interpreter, millis: f64) -> i64 {
    interp.extension::<HostTimeZone>().map_or(0, |tz| i64::from((tz.offset_minutes)(millis)) * 60)
}

/// `n` bytes from the host's entropy (the operating system's, `crypto.getRandomValues` in the
/// browser): what `uuid4()` and an unseeded `random` draw from.
pub(crate) fn entropy(interp: &mut Interpreter, n: usize) -> PyResult<Vec<u8>> {
    interp.check_alloc(n, 1)?;
    let mut bytes = vec![0; n];
    getrandom::getrandom(&mut bytes).map_err(|error| PyErr::new(crate::script::ExcKind::OSError, format!("the host gave no random bytes: {error}")))?;
    Ok(bytes)
}

/// A small non-cryptographic generator (SplitMix64) seeded from the clock on
/// first use: `os.urandom` and password salts draw from it. The playground
/// teaches; nothing it generates protects anything.
struct Random {
    state: u64,
}

impl Random {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `n` pseudo-random bytes (see [`Random`]).
pub(crate) fn random_bytes(interp: &mut Interpreter, n: usize) -> PyResult<Vec<u8>> {
    interp.check_alloc(n, 1)?;
    if interp.extension::<Random>().is_none() {
        let seed = now_millis(interp)?;
        interp.insert_extension(Random { state: (seed * 1000.0) as u64 ^ 0x5DEE_CE66_D1CE_4E5B });
    }
    let Some(rng) = interp.extension_mut::<Random>() else {
        return Err(PyErr::runtime_error("random source unavailable"));
    };
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let word = rng.next_u64().to_le_bytes();
        let take = (n - out.len()).min(8);
        out.extend_from_slice(&word[..take]);
    }
    Ok(out)
}

//! How much heap the current thread holds, counted by the engine's global allocator.
//!
//! The interpreter checks single allocations against `Limits::max_alloc_bytes`, but many
//! allocations that each fit can still exhaust memory (`[[0] * 10**5 for _ in range(10**5)]`),
//! and in the browser running out of memory aborts the whole wasm instance. So every
//! allocation is counted here, per thread (a playground lives on one thread; natively tests
//! run several side by side), and the interpreter raises `MemoryError` when a run would
//! grow the heap past `Limits::max_heap_bytes`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// Bytes allocated minus bytes freed on this thread (memory freed by another thread
    /// than the one that allocated it can make it negative).
    static IN_USE: Cell<isize> = const { Cell::new(0) };
}

/// The system allocator, counting what each thread holds.
pub struct CountingAllocator;

fn count(bytes: isize) {
    // A const-initialised thread-local without a destructor is usable for the thread's
    // whole life; `try_with` only guards against the impossible.
    let _ = IN_USE.try_with(|in_use| in_use.set(in_use.get().wrapping_add(bytes)));
}

// SAFETY: every call is forwarded unchanged to `System`; only a counter is updated besides.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        new
    }
}

/// Bytes of heap the current thread holds (0 when the counting allocator is not in use).
pub fn in_use() -> usize {
    IN_USE.try_with(|in_use| in_use.get().max(0) as usize).unwrap_or(0)
}

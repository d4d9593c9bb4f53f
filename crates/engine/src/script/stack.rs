//! A guard against running out of native stack.
//!
//! The parser, the scope resolver and the evaluator recurse over nested input.
//! Counting nesting levels alone is not enough: how many bytes a level takes
//! depends on the build (debug frames are several times larger) and the wasm
//! stack is small (1 MiB). So each recursive entry also compares the address of
//! a local with the one recorded when the run started; the stack grows
//! downwards on every target we build for (x86-64, aarch64, wasm32's shadow
//! stack). Should a platform grow upwards, the distance saturates at zero and
//! the nesting limits still apply.

#[derive(Clone, Copy, Debug)]
pub(crate) struct StackGuard {
    base: usize,
    limit: usize,
}

impl StackGuard {
    /// Start measuring from the caller's frame; `limit` is the number of bytes
    /// of stack the guarded work may use below this point.
    #[inline(never)]
    pub(crate) fn new(limit: usize) -> Self {
        StackGuard { base: current_stack_address(), limit }
    }

    /// True when more than `limit` bytes of stack are in use since `new`.
    #[inline]
    pub(crate) fn exceeded(&self) -> bool {
        self.base.saturating_sub(current_stack_address()) > self.limit
    }
}

#[inline(always)]
fn current_stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

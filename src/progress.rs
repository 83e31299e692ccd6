//! How far a long import has read through its input: the readers note the byte they have
//! reached (a relaxed store, nothing else), and the command line's progress bar reads it.
//! Nothing here prints.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

static REACHED: AtomicU64 = AtomicU64::new(0);
/// The input being read in memory (start address and length), for [`reached_at`].
static START: AtomicUsize = AtomicUsize::new(0);
static LEN: AtomicUsize = AtomicUsize::new(0);

/// Notes that the input has been read up to `byte`.
pub fn reached(byte: u64) {
    REACHED.store(byte, Ordering::Relaxed);
}

/// The byte of the input last noted.
pub fn get() -> u64 {
    REACHED.load(Ordering::Relaxed)
}

/// Says which text in memory is the input: [`reached_at`] measures from its start.
pub fn reading(input: &[u8]) {
    START.store(input.as_ptr() as usize, Ordering::Relaxed);
    LEN.store(input.len(), Ordering::Relaxed);
    reached(0);
}

/// Notes that the input has been read up to where `text` (borrowed from it) starts;
/// text from elsewhere is ignored.
pub fn reached_at(text: &str) {
    let at = (text.as_ptr() as usize).wrapping_sub(START.load(Ordering::Relaxed));
    if at < LEN.load(Ordering::Relaxed) {
        reached(at as u64);
    }
}

//! The history of a cell, a student or a course, as a scrollable popup: the entries the
//! filter keeps (names followed through renames), newest first.

use crate::journal::Entry;
pub use crate::journal::Filter as HistoryFilter;

/// The lines of the entries `filter` keeps, newest first (what a teacher looks for),
/// with a note when the history could not be read whole.
pub fn lines(entries: &[Entry], filter: &HistoryFilter, problem: Option<String>) -> Vec<String> {
    let mut lines: Vec<String> = filter
        .select(entries)
        .into_iter()
        .rev()
        .map(|e| crate::text::clean(&e.line()).into_owned())
        .collect();
    if lines.is_empty() {
        lines.push("No change recorded yet.".into());
    }
    if let Some(p) = problem {
        lines.insert(0, format!("Note: {p}; what could be read is below."));
    }
    lines
}

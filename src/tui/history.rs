//! The history of a cell, a student or a course, as a scrollable popup: which entries
//! belong, and their lines.

use crate::journal::Entry;
use crate::model::{same_name, search_key};

/// Which entries of the history are wanted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryFilter {
    pub course: Option<String>,
    /// A student's name and id.
    pub student: Option<(String, Option<String>)>,
    pub assessment: Option<String>,
}

impl HistoryFilter {
    pub fn keeps(&self, entry: &Entry) -> bool {
        if let Some(c) = &self.course
            && !same_name(&entry.course, c)
        {
            return false;
        }
        match entry.cell() {
            Some((student, id, assessment)) => {
                let student_ok =
                    self.student
                        .as_ref()
                        .is_none_or(|(name, want_id)| match want_id {
                            // Names may be shared: an id decides when both have one.
                            Some(want) if id.is_some() => id == Some(want.as_str()),
                            _ => same_name(student, name),
                        });
                student_ok
                    && self
                        .assessment
                        .as_ref()
                        .is_none_or(|a| same_name(assessment, a))
            }
            None => {
                let words = search_key(&entry.words());
                let names = |q: &str| words.contains(&search_key(q));
                self.student.as_ref().is_none_or(|(n, _)| names(n))
                    && self.assessment.as_ref().is_none_or(|a| names(a))
            }
        }
    }
}

/// The lines of the entries `filter` keeps, newest first (what a teacher looks for),
/// with a note when the history could not be read whole.
pub fn lines(entries: &[Entry], filter: &HistoryFilter, problem: Option<String>) -> Vec<String> {
    let mut lines: Vec<String> = entries
        .iter()
        .rev()
        .filter(|e| filter.keeps(e))
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

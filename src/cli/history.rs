//! `gradebook verify`, `log`, `undo` and `redo`: the history of the file.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use super::{emit, write};
use crate::error::Error;
use crate::interop::json::entry_json;
use crate::journal::{Entry, Record};
use crate::model::{Gradebook, same_name};
use crate::store;
use crate::text::{count, quote};

/// Recomputes the history's chain and checks the data file; says what it found. Any break
/// is an error naming the first one.
pub fn verify(path: &Path, out: &mut dyn std::io::Write) -> Result<String, Error> {
    let resolved = store::resolve(path)?;
    let (saved, records, brk) = store::load_history(path)?;
    let book = &saved.book;
    let students: usize = book.courses.iter().map(|c| c.students.len()).sum();
    let grades: usize = book
        .courses
        .iter()
        .flat_map(|c| &c.students)
        .map(|s| {
            s.marks
                .iter()
                .filter(|m| **m != crate::model::Mark::Empty)
                .count()
        })
        .sum();
    emit(
        out,
        &format!(
            "Data file {}: consistent ({}, {}, {}; {} to undo, {} to redo)\n",
            resolved.display(),
            count(book.courses.len(), "course"),
            count(students, "student"),
            count(grades, "grade"),
            count(saved.undo.len(), "step"),
            count(saved.redo.len(), "step"),
        ),
    )?;
    if let Some(b) = brk {
        return Err(Error::Refused(format!(
            "the history is broken at {b} ({} before it check out)",
            count(records.len(), "entry")
        )));
    }
    let head = saved.history;
    let last = records.last().map_or(String::new(), |r| {
        format!(
            ", the newest from {}",
            r.entry.time.format("%Y-%m-%d %H:%M:%SZ")
        )
    });
    let mut said = format!(
        "History: {}, every hash follows from the one before{last}; head {}\n",
        count(records.len(), "entry"),
        if head.entries == 0 {
            "none".to_string()
        } else {
            head.hash_hex()
        }
    );
    let tail = store::journal::uncommitted(&store::journal::journal_path(&resolved), &head);
    if tail > 0 {
        said.push_str(&format!(
            "{tail} bytes after the last entry are from a save that never finished: not \
             history (the next save removes them)\n"
        ));
    }
    Ok(said)
}

/// Which entries `log` shows.
pub struct LogFilter<'a> {
    pub student: Option<&'a str>,
    pub assessment: Option<&'a str>,
    pub course: Option<&'a str>,
    pub since: Option<&'a str>,
}

/// `YYYY-MM-DD` (midnight UTC) or RFC 3339.
fn parse_since(text: &str) -> Result<DateTime<Utc>, Error> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            Error::Refused(format!(
                "a date is YYYY-MM-DD or RFC 3339 (2026-11-27T09:30:00Z), not {}",
                quote(text)
            ))
        })
}

impl LogFilter<'_> {
    fn keeps(&self, entry: &Entry, since: Option<DateTime<Utc>>) -> bool {
        if since.is_some_and(|t| entry.time < t) {
            return false;
        }
        if let Some(c) = self.course
            && !same_name(&entry.course, c)
        {
            return false;
        }
        match entry.cell() {
            Some((student, id, assessment)) => {
                self.student
                    .is_none_or(|s| same_name(student, s) || id == Some(s.trim()))
                    && self.assessment.is_none_or(|a| same_name(assessment, a))
            }
            // A change in words is about a student or an assessment when it names them.
            None => {
                let words = crate::model::search_key(&entry.words());
                let names = |q: &str| words.contains(&crate::model::search_key(q));
                self.student.is_none_or(names) && self.assessment.is_none_or(names)
            }
        }
    }
}

/// Prints the history, oldest first, filtered; as lines or as one JSON array.
pub fn log(
    path: &Path,
    filter: LogFilter,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    let since = filter.since.map(parse_since).transpose()?;
    let (_, records, brk) = store::load_history(path)?;
    let shown: Vec<&Record> = records
        .iter()
        .filter(|r| filter.keeps(&r.entry, since))
        .collect();
    if json {
        let entries: Vec<_> = shown.iter().map(|r| entry_json(r)).collect();
        let mut text = serde_json::to_string_pretty(&entries)
            .map_err(|e| Error::Refused(format!("cannot write JSON: {e}")))?;
        text.push('\n');
        emit(out, &text)?;
    } else {
        let mut text = String::new();
        for r in &shown {
            text.push_str(&crate::text::clean(&r.entry.line()));
            text.push('\n');
        }
        if shown.is_empty() {
            text.push_str(if records.is_empty() {
                "No history yet: changes are recorded as they are saved.\n"
            } else {
                "No entry matches.\n"
            });
        }
        emit(out, &text)?;
    }
    if let Some(b) = brk {
        return Err(Error::Refused(format!(
            "the history is broken at {b}: the entries after it are not shown"
        )));
    }
    Ok(String::new())
}

/// Undoes (or redoes) the newest change, as `u` (Ctrl-R) does in the interactive
/// gradebook, whichever front end made it.
pub fn undo(path: &Path, redo: bool) -> Result<String, Error> {
    write(path, if redo { "redo" } else { "undo" }, |ed| {
        let said = if redo { ed.redo()? } else { ed.undo()? };
        Ok(match (said, redo) {
            (Some(s), false) => format!("Undone: {s}\n"),
            (Some(s), true) => format!("Redone: {s}\n"),
            (None, false) => "Nothing to undo\n".into(),
            (None, true) => "Nothing to redo\n".into(),
        })
    })
}

/// Exports the gradebook as JSON with its history.
pub fn export_with_history(path: &Path) -> Result<(Gradebook, String), Error> {
    let (saved, records, brk) = store::load_history(path)?;
    if let Some(b) = brk {
        return Err(Error::Refused(format!(
            "the history is broken at {b}: run gradebook verify"
        )));
    }
    let text = crate::interop::json::export_with_history(&saved.book, &records, &saved.history)
        .map_err(|e| Error::Refused(format!("cannot write JSON: {e}")))?;
    Ok((saved.book, text))
}

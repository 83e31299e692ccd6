//! `gradebook verify`, `log`, `undo` and `redo`: the history of the file.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use super::{emit, write};
use crate::error::Error;
use crate::interop::json::entry_json;
use crate::journal::{Entry, Record};
use crate::model::Gradebook;
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
                .filter(|m| *m != crate::model::Mark::Empty)
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
            "the history is broken at {b}; {} before it check out",
            count(records.len() - b.unverified, "entry")
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
            "{tail} bytes after the last entry are not history: a save that never finished, \
             or a data file older than its journal (the next writer keeps whole entries \
             among them aside, then cuts them)\n"
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

/// Prints the history, oldest first, filtered; as lines or as one JSON array.
pub fn log(
    path: &Path,
    filter: LogFilter,
    json: bool,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    let since = filter.since.map(parse_since).transpose()?;
    for (what, value) in [
        ("--student", filter.student),
        ("--assessment", filter.assessment),
        ("--course", filter.course),
    ] {
        if value.is_some_and(|v| v.trim().is_empty()) {
            return Err(Error::Refused(format!("{what} needs a name")));
        }
    }
    let (saved, records, brk) = store::load_history(path)?;
    // A student named now is followed by id, through renames; a shared name is refused.
    let book = &saved.book;
    let course = match filter.course {
        Some(name) => book.find_course(name),
        None => book.current_course(),
    };
    let student = match filter.student {
        Some(query) => match course.map(|c| book.courses[c].lookup_student(query)) {
            Some(Err(e)) => return Err(e.into()),
            Some(Ok(Some(s))) => {
                let s = book.courses[course.unwrap_or(0)].students.at(s);
                Some((s.name.to_string(), s.profile.id.clone()))
            }
            _ => Some((query.trim().to_string(), None)),
        },
        None => None,
    };
    let selector = crate::journal::Filter {
        course: filter
            .course
            .map(|c| course.map_or_else(|| c.trim().to_string(), |i| book.courses[i].name.clone())),
        student,
        assessment: filter.assessment.map(|a| a.trim().to_string()),
        since,
    };
    let entries: Vec<Entry> = records.iter().map(|r| r.entry.clone()).collect();
    let shown: Vec<&Record> = records
        .iter()
        .zip(selector.mask(&entries))
        .filter_map(|(r, keep)| keep.then_some(r))
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
            "the history is broken at {b}: run gradebook verify"
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

//! Reading files to import and writing exports, for the commands and the TUI alike.

use std::path::Path;

use super::{ImportError, csv_grades, csv_study, json};
use crate::model::{Command, Gradebook};

/// What is imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// CSV: `student,<assessment>...`, one row per student.
    Grades,
    /// CSV: `hours,score[,student]`.
    Study,
    /// JSON: every course with everything in it.
    Json,
}

/// Largest file an import reads.
const MAX_INPUT: u64 = 256 << 20;

/// Reads a file to import, refusing huge ones before reading them.
pub fn read_input(file: &Path) -> Result<Vec<u8>, String> {
    let fail = |e: std::io::Error| format!("cannot read {}: {e}", file.display());
    let len = std::fs::metadata(file).map_err(fail)?.len();
    if len > MAX_INPUT {
        return Err(format!("{} is larger than 256 MiB", file.display()));
    }
    std::fs::read(file).map_err(fail)
}

/// Checks the whole input and returns the one change that imports it into course `c`
/// (ignored for JSON), with a sentence saying what it does.
pub fn plan_import(
    book: &Gradebook,
    kind: Kind,
    bytes: &[u8],
    c: usize,
) -> Result<(Command, String), String> {
    let refused = |e: ImportError| e.to_string();
    let course = || {
        book.courses
            .get(c)
            .ok_or(crate::error::ModelError::NoCourse.to_string())
    };
    Ok(match kind {
        Kind::Json => {
            let (cmd, n) = json::import(book, bytes).map_err(refused)?;
            (
                cmd,
                format!("Imported {n} course{}", if n == 1 { "" } else { "s" }),
            )
        }
        Kind::Grades => {
            let (cmd, s) = csv_grades::import(course()?, c, bytes).map_err(refused)?;
            let message = format!(
                "Imported {} grades: {} new students, {} updated, {} new assessments",
                s.grades, s.new_students, s.updated_students, s.new_assessments
            );
            (cmd, message)
        }
        Kind::Study => {
            let (cmd, n) = csv_study::import(course()?, c, bytes).map_err(refused)?;
            (cmd, format!("Imported {n} observations"))
        }
    })
}

/// The export of `kind` for course `c` (ignored for JSON) as text.
pub fn export(book: &Gradebook, kind: Kind, c: usize) -> Result<String, String> {
    let course = || {
        book.courses
            .get(c)
            .ok_or(crate::error::ModelError::NoCourse.to_string())
    };
    let fail = |e: &dyn std::fmt::Display| format!("cannot export: {e}");
    match kind {
        Kind::Json => json::export(book).map_err(|e| fail(&e)),
        Kind::Grades => csv_grades::export(course()?).map_err(|e| fail(&e)),
        Kind::Study => csv_study::export(course()?).map_err(|e| fail(&e)),
    }
}

/// Writes an export file atomically, so that a crash never leaves half of it.
pub fn write_output(file: &Path, bytes: impl AsRef<[u8]>) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", file.display());
    let file = crate::store::paths::resolve(file).map_err(fail)?;
    if let Some(what) = std::fs::metadata(&file)
        .ok()
        .as_ref()
        .and_then(crate::store::paths::not_a_file)
    {
        return Err(format!("cannot write {}: it is {what}", file.display()));
    }
    crate::store::atomic::write_atomic(&file, bytes.as_ref(), &mut |_| Ok(())).map_err(fail)
}

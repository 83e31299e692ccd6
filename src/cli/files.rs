//! `gradebook import` and `export`.

use std::path::Path;

use chrono::Utc;

use super::{Failure, Kind, resolve_course};
use crate::interop::{csv_grades, csv_study, json};
use crate::model::{Command, Editor, Gradebook};

/// Largest file an import reads.
const MAX_INPUT: u64 = 256 << 20;

/// Reads a file to import, refusing huge ones before reading them.
pub fn read_input(file: &Path) -> Result<Vec<u8>, Failure> {
    let fail = |e: std::io::Error| Failure(format!("cannot read {}: {e}", file.display()));
    let len = std::fs::metadata(file).map_err(fail)?.len();
    if len > MAX_INPUT {
        return Err(Failure(format!(
            "{} is larger than 256 MiB",
            file.display()
        )));
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
) -> Result<(Command, String), Failure> {
    let refused = |e: crate::interop::ImportError| Failure(e.to_string());
    let course = || {
        book.courses
            .get(c)
            .ok_or(Failure(crate::error::ModelError::NoCourse.to_string()))
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

/// Imports from the command line: one change, the course becomes the one last used.
pub fn import(
    ed: &mut Editor,
    kind: Kind,
    bytes: &[u8],
    course: Option<&str>,
) -> Result<String, Failure> {
    let c = match kind {
        Kind::Json => 0,
        _ => resolve_course(&ed.book, course)?,
    };
    let (cmd, message) = plan_import(&ed.book, kind, bytes, c)?;
    ed.execute(cmd, Utc::now())?;
    if kind != Kind::Json {
        ed.book.current = Some(c);
    }
    Ok(format!("{message}\n"))
}

/// The export of `kind` as text.
pub fn export(book: &Gradebook, kind: Kind, course: Option<&str>) -> Result<String, Failure> {
    let fail = |e: &dyn std::fmt::Display| Failure(format!("cannot export: {e}"));
    match kind {
        Kind::Json => json::export(book).map_err(|e| fail(&e)),
        Kind::Grades => {
            csv_grades::export(&book.courses[resolve_course(book, course)?]).map_err(|e| fail(&e))
        }
        Kind::Study => {
            csv_study::export(&book.courses[resolve_course(book, course)?]).map_err(|e| fail(&e))
        }
    }
}

/// Writes an export file atomically, so a crash never leaves half of it.
pub fn write_output(file: &Path, text: &str) -> Result<(), Failure> {
    crate::store::atomic::write_atomic(file, text.as_bytes(), &mut |_| Ok(()))
        .map_err(|e| Failure(format!("cannot write {}: {e}", file.display())))
}

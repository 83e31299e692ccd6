//! `gradebook import` and `export`.

use chrono::Utc;

use super::{Failure, resolve_course};
use crate::interop::files::{Kind, plan_import};
use crate::model::{Editor, Gradebook};

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
    let (cmd, message) = plan_import(&ed.book, kind, bytes, c).map_err(Failure)?;
    ed.execute(cmd, Utc::now())?;
    if kind != Kind::Json {
        ed.book.current = Some(c);
    }
    Ok(format!("{message}\n"))
}

/// The export of `kind` as text, and what it holds in words ("5 students' grades").
pub fn export(
    book: &Gradebook,
    kind: Kind,
    course: Option<&str>,
) -> Result<(String, String), Failure> {
    let c = match kind {
        Kind::Json => 0,
        _ => resolve_course(book, course)?,
    };
    let text = crate::interop::files::export(book, kind, c).map_err(Failure)?;
    let what = match kind {
        Kind::Json => crate::text::count(book.courses.len(), "course"),
        Kind::Grades => format!(
            "the grades of {}",
            crate::text::count(book.courses[c].students.len(), "student")
        ),
        Kind::Study => crate::text::count(book.courses[c].study.len(), "observation"),
    };
    Ok((text, what))
}

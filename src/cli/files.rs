//! `gradebook import` and `export`.

use std::path::Path;

use chrono::Utc;

use super::progress::Progress;
use super::{emit, resolve_course, write};
use crate::error::Error;
use crate::interop::files::{self, Kind, plan_import};
use crate::store;

/// Imports a file: one change, made in the course (which becomes the one last used).
pub fn import(
    path: &Path,
    kind: Kind,
    input: &Path,
    course: Option<&str>,
) -> Result<String, Error> {
    let shown = input.display();
    let progress = Progress::reading(format!("Reading {shown}"), input_size(input));
    let bytes = files::read_input(input)?;
    write(path, "import", |ed| {
        let c = match kind {
            Kind::Json => 0,
            _ => resolve_course(ed.book(), course)?,
        };
        progress.read(format!("Checking {shown}"), bytes.len() as u64);
        let (cmd, message, history) = plan_import(ed.book(), kind, &bytes, c)?;
        let cmd = match kind {
            Kind::Json => cmd,
            _ => ed.book().in_course(c, cmd),
        };
        let label = format!("imported {shown}");
        // The file's own history first, then the import itself.
        progress.work("Saving");
        ed.execute_with_history(cmd, label, Utc::now(), history)?;
        Ok(format!("{message}\n"))
    })
}

/// Exports to `output`, never over the data file or its lock, or to standard output.
pub fn export(
    path: &Path,
    kind: Kind,
    course: Option<&str>,
    with_history: bool,
    output: Option<&Path>,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    if let Some(file) = output {
        store::check_output(path, file)?;
    }
    if with_history && kind != Kind::Json {
        return Err(Error::Refused(
            "--with-history goes with json: CSV exports hold no history".into(),
        ));
    }
    let progress = Progress::working("Exporting");
    let course_in = |book: &crate::model::Gradebook| match kind {
        Kind::Json => Ok(0),
        _ => resolve_course(book, course),
    };
    let (book, text, c) = if with_history {
        let (book, text) = super::history::export_with_history(path)?;
        let c = course_in(&book)?;
        (book, text, c)
    } else {
        let book = store::load(path)?;
        let c = course_in(&book)?;
        let text = files::export(&book, kind, c)?;
        (book, text, c)
    };
    match output {
        Some(file) => {
            progress.work(format!("Writing {}", file.display()));
            files::write_output(file, &text)?;
            drop(progress);
            let what = files::contents(&book, kind, c);
            Ok(format!("Wrote {what} to {}\n", file.display()))
        }
        None => {
            drop(progress);
            emit(out, &text)?;
            Ok(String::new())
        }
    }
}

/// The size of a file to import, for its progress bar (0 when it cannot be known yet:
/// reading it says why).
pub(super) fn input_size(input: &Path) -> u64 {
    std::fs::metadata(input).map_or(0, |m| m.len())
}

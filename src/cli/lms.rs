//! `import lms` and `export lms`: Canvas, Moodle and Google Classroom.

use std::path::Path;

use chrono::Utc;

use super::progress::Progress;
use super::{emit, resolve_course, write};
use crate::error::Error;
use crate::interop::files;
use crate::interop::lms::{self, System};
use crate::model::{Command, Course};
use crate::store;
use crate::text::{count, quote};

pub struct ImportOptions<'a> {
    pub course: Option<&'a str>,
    pub from: Option<System>,
    /// `Some("")`: a new course named after the file.
    pub new_course: Option<&'a str>,
    pub max_points: Option<&'a str>,
    pub dry_run: bool,
}

/// The name of a new course made from `input`: its file name without the extension.
fn course_name_of(input: &Path) -> String {
    input
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Imported course".into())
}

/// Imports an LMS export into a course (one change), or with `--dry-run` says what it
/// would do.
pub fn import(path: &Path, input: &Path, o: ImportOptions) -> Result<String, Error> {
    let shown = input.display();
    let progress = Progress::reading(format!("Reading {shown}"), super::files::input_size(input));
    let bytes = files::read_input(input)?;
    let max_points = o
        .max_points
        .map(|m| super::parse_number("max points", m))
        .transpose()?;
    if let Some(m) = max_points {
        crate::model::check_positive("max points", m)?;
    }
    let options = lms::Options { max_points };
    let plan = |book: &crate::model::Gradebook| -> Result<(Command, lms::Summary, String), Error> {
        let (course, c, new) = match o.new_course {
            Some(name) => {
                let name = if name.trim().is_empty() {
                    course_name_of(input)
                } else {
                    name.to_string()
                };
                (Course::new(name, Utc::now()), book.courses.len(), true)
            }
            None => {
                let c = resolve_course(book, o.course)?;
                (book.courses[c].clone(), c, false)
            }
        };
        progress.read(format!("Checking {shown}"), bytes.len() as u64);
        let (cmd, summary) =
            lms::import(&course, c, &bytes, o.from, options).map_err(files::FileError::from)?;
        progress.work("Saving");
        let name = course.name.clone();
        let cmd = if new {
            Command::Batch(vec![book.add_course(course), cmd])
        } else {
            book.in_course(c, cmd)
        };
        Ok((cmd, summary, name))
    };
    if o.dry_run {
        let book = store::load(path)?;
        let (_, summary, name) = plan(&book)?;
        drop(progress);
        return Ok(format!(
            "Dry run, nothing changed. Into {}: {}\n",
            quote(&name),
            summary.text(true)
        ));
    }
    write(path, "import lms", |ed| {
        let (cmd, summary, name) = plan(ed.book())?;
        let label = format!(
            "imported {} from {}",
            summary.system.map_or("LMS", System::name),
            input.display()
        );
        ed.execute_as(cmd, label, Utc::now())?;
        Ok(format!("Into {}: {}\n", quote(&name), summary.text(false)))
    })
}

/// Writes the course in the layout the LMS takes back.
pub fn export(
    path: &Path,
    course: Option<&str>,
    to: Option<System>,
    output: Option<&Path>,
    out: &mut dyn std::io::Write,
) -> Result<String, Error> {
    let Some(to) = to else {
        return Err(Error::Refused(
            "export lms needs --to canvas, moodle or classroom".into(),
        ));
    };
    if let Some(file) = output {
        store::check_output(path, file)?;
    }
    let progress = Progress::working("Exporting");
    let book = store::load(path)?;
    let c = &book.courses[resolve_course(&book, course)?];
    let exported = lms::export(c, to).map_err(files::FileError::from)?;
    let caveats = exported.caveats(to);
    let text = exported.text;
    match output {
        Some(file) => {
            progress.work(format!("Writing {}", file.display()));
            files::write_output(file, &text)?;
            drop(progress);
            let mut said = format!(
                "Wrote {} of {} for {} to {}\n",
                count(c.students.len(), "student"),
                quote(&c.name),
                to.name(),
                file.display()
            );
            for caveat in caveats {
                said.push_str(&format!("Note: {caveat}\n"));
            }
            Ok(said)
        }
        None => {
            drop(progress);
            emit(out, &text)?;
            for caveat in caveats {
                let _ = writeln!(std::io::stderr(), "gradebook: {caveat}");
            }
            Ok(String::new())
        }
    }
}

use std::io::Write as _;

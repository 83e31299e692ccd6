//! Import and export from the screens: the path prompt, then the result in the status
//! line, or an import's problems in a popup.

use std::path::PathBuf;

use super::popup::Form;
use super::screens::Ctx;
use super::theme::Tone;
use crate::interop::files::{self, Kind};
use crate::interop::lms;

/// The form asking where to import `kind` from.
pub fn import_form<K>(form_kind: K, kind: Kind) -> Form<K> {
    let title = match kind {
        Kind::Grades => "Import grades: our CSV, or a Canvas, Moodle or Classroom export",
        Kind::Study => "Import study data from CSV (hours,score[,student])",
        Kind::Json => "Import courses from a JSON export",
    };
    Form::new(form_kind, title, &[("File", String::new())]).submit_as("import")
}

/// The form asking where to export `kind` to, with a name to start from.
pub fn export_form<K>(form_kind: K, kind: Kind, course: Option<&str>) -> Form<K> {
    let stem: String = course
        .unwrap_or("gradebook")
        .chars()
        .map(|ch| if ch.is_alphanumeric() { ch } else { '-' })
        .collect();
    let (title, suggestion) = match kind {
        Kind::Grades => ("Export grades as CSV", format!("~/{stem}-grades.csv")),
        Kind::Study => ("Export study data as CSV", format!("~/{stem}-study.csv")),
        Kind::Json => (
            "Export every course as JSON",
            "~/gradebook.json".to_string(),
        ),
    };
    Form::new(form_kind, title, &[("File", suggestion)]).submit_as("export")
}

/// What an import of grades found: done, or an LMS export whose changes the teacher sees
/// before they are made.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    Done,
    /// What the LMS import would do, to show before asking again.
    Preview(String),
}

/// Imports grades from `path`: an LMS export (recognised from its header) is planned
/// and, unless `confirmed`, only described; our own CSV is imported at once.
pub fn import_grades(ctx: &mut Ctx, path: &str, confirmed: bool) -> Result<Imported, String> {
    let file = file_path(path)?;
    let bytes = match files::read_input(&file) {
        Ok(b) => b,
        Err(e) => {
            ctx.notice("Nothing imported", e.to_string());
            return Ok(Imported::Done);
        }
    };
    if lms::read(&bytes, None).is_err() {
        import(ctx, Kind::Grades, path)?;
        return Ok(Imported::Done);
    }
    let (Some(c), Some(course)) = (ctx.data.course_index(), ctx.data.course()) else {
        return Err("add a course first".into());
    };
    let planned = lms::import(course, c, &bytes, None, lms::Options::default());
    let (cmd, summary) = match planned {
        Ok(p) => p,
        Err(e) => {
            ctx.notice("Nothing imported", e.to_string());
            return Ok(Imported::Done);
        }
    };
    if !confirmed {
        return Ok(Imported::Preview(format!(
            "{}\nEnter imports it.",
            summary.text(true)
        )));
    }
    let label = format!(
        "imported {} from {}",
        summary.system.map_or("LMS", lms::System::name),
        file.display()
    );
    let cmd = ctx.data.book().in_course(c, cmd);
    match ctx.data.execute_as(cmd, label) {
        Ok(_) => ctx.say(
            Tone::Success,
            format!("{} (u undoes it)", summary.text(false).replace('\n', "; ")),
        ),
        Err(e) => ctx.notice("Nothing imported", e.to_string()),
    }
    Ok(Imported::Done)
}

/// Imports the file at `path` into the course shown: one change, one undo step. The
/// outcome goes to the status line; problems to a popup. `Err` only for an empty path.
pub fn import(ctx: &mut Ctx, kind: Kind, path: &str) -> Result<(), String> {
    let file = file_path(path)?;
    let c = ctx.data.course_index().unwrap_or(0);
    let planned = files::read_input(&file)
        .and_then(|bytes| files::plan_import(ctx.data.book(), kind, &bytes, c));
    let (cmd, message, history) = match planned {
        Ok(planned) => planned,
        Err(e) => {
            ctx.notice("Nothing imported", e.to_string());
            return Ok(());
        }
    };
    let label = format!("imported {}", file.display());
    match ctx.data.execute_with_history(cmd, label, history) {
        Ok(_) => ctx.say(Tone::Success, format!("{message} (u undoes it)")),
        Err(e) => ctx.notice("Nothing imported", e.to_string()),
    }
    Ok(())
}

/// Exports the course's grades for an LMS (`to`) to the file at `path`.
pub fn export_lms(ctx: &mut Ctx, to: lms::System, path: &str) -> Result<(), String> {
    let file = file_path(path)?;
    if let Some(own) = ctx.file {
        crate::store::check_output(own, &file).map_err(|e| e.to_string())?;
    }
    let course = ctx.data.course().ok_or("add a course first")?;
    let exported = lms::export(course, to).map_err(|e| e.to_string())?;
    files::write_output(&file, &exported.text).map_err(|e| e.to_string())?;
    let said = format!(
        "Wrote the grades of {} for {} to {}",
        crate::text::count(course.students.len(), "student"),
        to.name(),
        file.display()
    );
    let caveats = exported.caveats(to);
    if caveats.is_empty() {
        ctx.say(Tone::Success, said);
    } else {
        ctx.notice(
            "Exported, but",
            format!("{said}.\n\n{}.", caveats.join(".\n\n")),
        );
    }
    Ok(())
}

/// Exports `kind` to the file at `path`, never over the data file or its lock.
pub fn export(ctx: &mut Ctx, kind: Kind, path: &str) -> Result<(), String> {
    let file = file_path(path)?;
    if let Some(own) = ctx.file {
        crate::store::check_output(own, &file).map_err(|e| e.to_string())?;
    }
    let c = ctx.data.course_index().unwrap_or(0);
    let book = ctx.data.book();
    let written = files::export(book, kind, c).and_then(|text| files::write_output(&file, &text));
    match written {
        Ok(()) => {
            let what = files::contents(book, kind, c);
            ctx.say(Tone::Success, format!("Wrote {what} to {}", file.display()));
            Ok(())
        }
        Err(e) => Err(e.to_string()),
    }
}

fn file_path(typed: &str) -> Result<PathBuf, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("type the path of a file".into());
    }
    Ok(expand_home(typed))
}

/// `~` and `~/...` mean the home directory, as in a shell.
pub fn expand_home(path: &str) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (path.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home,
        (Some(rest), Some(home)) if rest.starts_with('/') => home.join(&rest[1..]),
        _ => PathBuf::from(path),
    }
}

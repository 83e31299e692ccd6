//! Import and export from the TUI: a path prompt, then the result or the errors in a popup.

use std::path::PathBuf;

use super::{App, Form, FormKind, Mode, Screen, Tone};
use crate::interop::files::{Kind, export, plan_import, read_input, write_output};

impl App {
    /// What the current screen imports and exports.
    fn file_kind(&self) -> Kind {
        match self.screen {
            Screen::Gradebook | Screen::Statistics => Kind::Grades,
            Screen::Predictor => Kind::Study,
            Screen::Courses => Kind::Json,
        }
    }

    pub(super) fn start_import(&mut self) {
        let kind = self.file_kind();
        if kind != Kind::Json && self.course().is_none() {
            self.say(
                Tone::Info,
                "Add a course first (a), or import a whole gradebook from the Courses screen",
            );
            return;
        }
        let title = match kind {
            Kind::Grades => "Import grades from CSV (student,<assessment>...)",
            Kind::Study => "Import study data from CSV (hours,score[,student])",
            Kind::Json => "Import courses from a JSON export",
        };
        self.mode = Mode::Form(Form::new(
            FormKind::Import(kind),
            title,
            &[("File", String::new())],
        ));
    }

    pub(super) fn start_export(&mut self) {
        let kind = self.file_kind();
        let stem: String = self
            .course()
            .map(|c| {
                c.name
                    .chars()
                    .map(|ch| if ch.is_alphanumeric() { ch } else { '-' })
                    .collect()
            })
            .unwrap_or_default();
        let (title, suggestion) = match kind {
            Kind::Grades => ("Export grades as CSV", format!("~/{stem}-grades.csv")),
            Kind::Study => ("Export study data as CSV", format!("~/{stem}-study.csv")),
            Kind::Json => (
                "Export every course as JSON",
                "~/gradebook.json".to_string(),
            ),
        };
        if kind != Kind::Json && self.course().is_none() {
            return;
        }
        self.mode = Mode::Form(Form::new(
            FormKind::Export(kind),
            title,
            &[("File", suggestion)],
        ));
    }

    /// Runs an import or export; the outcome replaces the form with a popup.
    pub(super) fn submit_file(
        &mut self,
        kind: Kind,
        import: bool,
        path: &str,
    ) -> Result<(), String> {
        if path.trim().is_empty() {
            return Err("type the path of a file".into());
        }
        let file = expand_home(path.trim());
        let c = self.view.course.unwrap_or(0);
        let (title, body) = if import {
            let outcome = read_input(&file)
                .and_then(|bytes| plan_import(&self.editor.book, kind, &bytes, c))
                .and_then(|(cmd, message)| self.execute(cmd).map(|()| message));
            match outcome {
                Ok(message) => (
                    "Imported".to_string(),
                    format!("{message}.\nPress u to undo it."),
                ),
                Err(e) => ("Nothing imported".to_string(), e),
            }
        } else {
            let guard = self.store.as_ref().map_or(Ok(()), |store| {
                crate::store::check_output(store.path(), &file).map_err(|e| e.to_string())
            });
            match guard
                .and_then(|()| export(&self.editor.book, kind, c))
                .and_then(|text| write_output(&file, &text))
            {
                Ok(()) => ("Exported".to_string(), format!("Wrote {}", file.display())),
                Err(e) => ("Nothing exported".to_string(), e),
            }
        };
        let body = crate::text::clean(&body).into_owned();
        self.mode = Mode::Notice { title, body };
        Ok(())
    }
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

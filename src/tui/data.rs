//! The teacher's data as the screens see it: the gradebook with its undo history, and
//! what is derived from the course shown, kept up to date as it changes.

use crate::error::ModelError;
use crate::model::{Cell, CellEntry, Command, Course, Editor, Gradebook, Outcome, Saved};
use crate::stats::LiveStats;

use super::session::Clock;

/// What the last changes did, for the screens to follow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// One cell of the course shown.
    Grade { student: usize, assessment: usize },
    /// Anything else in the data.
    Other,
    /// Another course is shown.
    Course,
}

impl Change {
    /// Two changes in a row, as one: the larger, and two grades as any other change.
    fn and(self, next: Change) -> Change {
        match (self, next) {
            (Change::Course, _) | (_, Change::Course) => Change::Course,
            _ => Change::Other,
        }
    }
}

/// The gradebook, its undo history, and the statistics of the course shown.
pub struct Data {
    editor: Editor,
    /// Final grades and class statistics of the course shown, kept up to date.
    pub stats: LiveStats,
    /// Whether the course's model no longer matches its observations (checked once per
    /// change, not per frame: it reads every observation).
    stale: bool,
    change: Option<Change>,
    clock: Clock,
    /// The journal beside the data file, and its head when the file was opened: the
    /// history before this session (the session's own is in the editor).
    history_file: Option<(std::path::PathBuf, crate::journal::Head)>,
}

impl Data {
    pub fn new(book: Gradebook, clock: Clock) -> Self {
        Self::from_saved(Saved::of(book), clock)
    }

    /// Over what a file keeps: the gradebook with its undo and redo steps and history.
    pub fn from_saved(saved: Saved, clock: Clock) -> Self {
        let mut data = Self {
            editor: Editor::from_saved(saved),
            stats: LiveStats::default(),
            stale: false,
            change: None,
            clock,
            history_file: None,
        };
        data.show_some_course();
        data.refresh();
        data.change = None;
        data
    }

    pub fn book(&self) -> &Gradebook {
        self.editor.book()
    }

    /// Where the history before this session is: the data file (resolved), whose
    /// journal is read up to the head it had when opened.
    pub fn set_history_file(&mut self, data_file: std::path::PathBuf) {
        let head = self.editor.history_head();
        self.history_file = Some((data_file, head));
    }

    /// The whole history, oldest first: the journal up to the head the file had when
    /// opened, then this session's entries. With it, a reason when the journal could not
    /// be read whole.
    pub fn history(&self) -> (Vec<crate::journal::Entry>, Option<String>) {
        let (mut entries, problem) = match &self.history_file {
            Some((file, head)) => match crate::store::read_journal(file, head) {
                Ok((records, brk)) => (
                    records.into_iter().map(|r| r.entry).collect(),
                    brk.map(|b| format!("the history is broken at {b}")),
                ),
                Err(e) => (Vec::new(), Some(e.to_string())),
            },
            None => (Vec::new(), None),
        };
        entries.extend(self.editor.session_history().cloned());
        (entries, problem)
    }

    /// The editor, for saving (its history entries are taken) and for reading history.
    pub fn editor_mut(&mut self) -> &mut Editor {
        &mut self.editor
    }

    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    /// Index of the course shown: the one last used.
    pub fn course_index(&self) -> Option<usize> {
        self.book().current_course()
    }

    /// The course shown.
    pub fn course(&self) -> Option<&Course> {
        self.course_index().map(|c| &self.book().courses[c])
    }

    pub fn model_is_stale(&self) -> bool {
        self.stale
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Makes a change. A single grade of the course shown is followed incrementally;
    /// anything else recomputes what is derived.
    pub fn execute(&mut self, cmd: Command) -> Result<Outcome, ModelError> {
        let label = cmd.summary(self.book());
        self.execute_as(cmd, label)
    }

    /// [`Data::execute_as`] of a change bringing history of its own (a JSON import).
    pub fn execute_with_history(
        &mut self,
        cmd: Command,
        label: String,
        earlier: Vec<crate::journal::Entry>,
    ) -> Result<Outcome, ModelError> {
        let outcome = self
            .editor
            .execute_with_history(cmd, label, self.clock.now(), earlier)?;
        if outcome == Outcome::Changed {
            self.changed(None);
        }
        Ok(outcome)
    }

    /// [`Data::execute`] with the change's own words.
    pub fn execute_as(&mut self, cmd: Command, label: String) -> Result<Outcome, ModelError> {
        let single = self.single_cell(&cmd);
        let outcome = self.editor.execute_as(cmd, label, self.clock.now())?;
        if outcome == Outcome::Changed {
            self.changed(single);
        }
        Ok(outcome)
    }

    /// What `cmd` would do to the letters of the course shown, changing nothing.
    pub fn preview(&mut self, cmd: Command) -> Result<crate::model::Preview, ModelError> {
        let c = self.course_index().ok_or(ModelError::NoCourse)?;
        self.editor.preview(c, cmd, self.clock.now())
    }

    /// Undoes the newest change; what it did in words, `None` if there was none.
    pub fn undo(&mut self) -> Result<Option<String>, ModelError> {
        let single = self.editor.next_undo().and_then(|c| self.single_cell(c));
        let done = self.editor.undo()?;
        if done.is_some() {
            self.changed(single);
        }
        Ok(done)
    }

    /// Redoes the newest undone change; what it did in words, `None` if there was none.
    pub fn redo(&mut self) -> Result<Option<String>, ModelError> {
        let single = self.editor.next_redo().and_then(|c| self.single_cell(c));
        let done = self.editor.redo()?;
        if done.is_some() {
            self.changed(single);
        }
        Ok(done)
    }

    /// Shows course `c`, remembered in the file as the course last used.
    pub fn open_course(&mut self, c: usize) -> Result<(), ModelError> {
        let before = self.course_index();
        self.editor.navigate(Some(c), self.clock.now())?;
        if before != Some(c) {
            self.refresh();
            self.note(Change::Course);
        }
        Ok(())
    }

    /// What changed since the last call, if anything.
    pub fn take_change(&mut self) -> Option<Change> {
        self.change.take()
    }

    fn note(&mut self, change: Change) {
        self.change = Some(match self.change {
            Some(earlier) => earlier.and(change),
            None => change,
        });
    }

    /// If `cmd` changes one cell of the course shown: which, and what it held.
    fn single_cell(&self, cmd: &Command) -> Option<(CellEntry, Cell)> {
        let e = cmd.single_cell()?;
        if Some(e.course) != self.course_index() {
            return None;
        }
        let student = self.course()?.students.get(e.student)?;
        (e.assessment < student.marks.len()).then(|| (e.clone(), student.cell(e.assessment)))
    }

    fn changed(&mut self, single: Option<(CellEntry, Cell)>) {
        let before = self.course_index();
        self.show_some_course();
        match single {
            Some((e, old)) if self.course_index() == before => {
                if let Some(course) = self.course_index().map(|c| &self.editor.book().courses[c]) {
                    self.stats
                        .cell_changed(course, e.student, e.assessment, &old);
                }
                self.note(Change::Grade {
                    student: e.student,
                    assessment: e.assessment,
                });
            }
            _ => {
                self.refresh();
                let course_moved = self.course_index() != before;
                self.note(if course_moved {
                    Change::Course
                } else {
                    Change::Other
                });
            }
        }
    }

    /// When the course shown went away (deleted, or undone), another one is shown.
    fn show_some_course(&mut self) {
        if self.course_index().is_none() && !self.book().courses.is_empty() {
            // Index 0 exists: navigating to it cannot fail.
            let _ = self.editor.navigate(Some(0), self.clock.now());
        }
    }

    /// Recomputes what is derived from the course shown.
    fn refresh(&mut self) {
        let (stats, stale) = match self.course() {
            Some(c) => (LiveStats::of(c), c.model_is_stale()),
            None => (LiveStats::default(), false),
        };
        self.stats = stats;
        self.stale = stale;
    }
}

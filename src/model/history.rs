//! Undo and redo over [`Command`]s, with each course's `last_updated` restored exactly.

use chrono::{DateTime, Utc};

use super::{Command, Gradebook};
use crate::error::ModelError;

/// How many changes can be undone; older ones are forgotten.
pub const UNDO_LIMIT: usize = 1000;

/// A step of history: the command that moves the state back (or forth), every course's
/// `last_updated` as it must be afterwards, and the change in words.
#[derive(Debug, Clone)]
struct Step {
    cmd: Command,
    stamps: Vec<DateTime<Utc>>,
    label: String,
}

/// What [`Editor::execute`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The change was made and can be undone.
    Changed,
    /// The command would leave everything as it is (a grade entered again, a name kept):
    /// nothing was done and no undo step was made.
    Unchanged,
}

/// A gradebook with its undo and redo history. The gradebook changes only through
/// [`Editor::execute`], [`Editor::undo`], [`Editor::redo`] and [`Editor::navigate`].
#[derive(Debug, Clone, Default)]
pub struct Editor {
    book: Gradebook,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl Editor {
    pub fn new(book: Gradebook) -> Self {
        Self {
            book,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// The data itself.
    pub fn book(&self) -> &Gradebook {
        &self.book
    }

    pub fn into_book(self) -> Gradebook {
        self.book
    }

    /// Makes a change at time `now`; it becomes the newest undo step and clears redo.
    pub fn execute(&mut self, cmd: Command, now: DateTime<Utc>) -> Result<Outcome, ModelError> {
        let label = cmd.summary(&self.book);
        self.execute_as(cmd, label, now)
    }

    /// [`Editor::execute`] with the change's own words (an import says what it read).
    pub fn execute_as(
        &mut self,
        cmd: Command,
        label: String,
        now: DateTime<Utc>,
    ) -> Result<Outcome, ModelError> {
        if !self.book.changes(&cmd) {
            return Ok(Outcome::Unchanged);
        }
        let stamps = self.book.stamps();
        let inverse = self.book.apply(cmd, now)?;
        self.undo.push(Step {
            cmd: inverse,
            stamps,
            label,
        });
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(Outcome::Changed)
    }

    /// Makes a course the one shown and last used. Moving around is not an edit: it makes
    /// no undo step, but goes through the same command as every other change.
    pub fn navigate(
        &mut self,
        course: Option<usize>,
        now: DateTime<Utc>,
    ) -> Result<(), ModelError> {
        let cmd = Command::SelectCourse { course };
        if self.book.changes(&cmd) {
            self.book.apply(cmd, now)?;
        }
        Ok(())
    }

    /// What `cmd` would do to the letters of course `c`: made and undone at once, leaving
    /// no trace in the data or its history.
    pub fn preview(
        &mut self,
        c: usize,
        cmd: Command,
        now: DateTime<Utc>,
    ) -> Result<super::Preview, ModelError> {
        self.book.preview(c, cmd, now)
    }

    /// Undoes the newest change; what it did in words, or `None` with nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>, ModelError> {
        replay(&mut self.book, &mut self.undo, &mut self.redo)
    }

    /// Redoes the newest undone change; what it did in words, or `None` with nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>, ModelError> {
        replay(&mut self.book, &mut self.redo, &mut self.undo)
    }

    /// The command the next undo will apply.
    pub fn next_undo(&self) -> Option<&Command> {
        self.undo.last().map(|s| &s.cmd)
    }

    /// The command the next redo will apply.
    pub fn next_redo(&self) -> Option<&Command> {
        self.redo.last().map(|s| &s.cmd)
    }
}

/// Applies the newest step of `from` and files its inverse in `to`. Says what happened:
/// a grade by the move it makes now (`Bob's Midterm 88 → 87`), anything else by the
/// change it takes back or makes again (`deleted student Bob`).
fn replay(
    book: &mut Gradebook,
    from: &mut Vec<Step>,
    to: &mut Vec<Step>,
) -> Result<Option<String>, ModelError> {
    let Some(step) = from.pop() else {
        return Ok(None);
    };
    let stamps = book.stamps();
    let said = match step.cmd.single_cell() {
        Some(_) => step.cmd.summary(book),
        None => step.label.clone(),
    };
    // The time passed is overwritten at once: the step restores every course's exact time.
    match book.apply(step.cmd.clone(), Utc::now()) {
        Ok(inverse) => {
            book.set_stamps(&step.stamps);
            to.push(Step {
                cmd: inverse,
                stamps,
                label: step.label,
            });
            Ok(Some(said))
        }
        Err(e) => {
            from.push(step);
            Err(e)
        }
    }
}

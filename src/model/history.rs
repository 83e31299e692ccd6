//! Undo and redo over [`Command`]s, with each course's `last_updated` restored exactly;
//! the history entries every change makes, waiting to be saved; and what of all this a
//! data file keeps ([`Saved`]), so that undo survives quitting.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Command, Gradebook, MAX_COURSES};
use crate::error::ModelError;
use crate::journal::{self, Entry, Head};

/// How many changes can be undone; older ones are forgotten.
pub const UNDO_LIMIT: usize = 1000;
/// Longest description of an undo step kept in the file.
const MAX_LABEL_CHARS: usize = 1000;

/// A step of history: the command that moves the state back (or forth), every course's
/// `last_updated` as it must be afterwards, and the change in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    cmd: Command,
    stamps: Vec<DateTime<Utc>>,
    label: String,
}

/// Everything a data file holds: the gradebook, where its history ends, and the steps
/// undo and redo take (oldest first). Cheap to copy: the rosters' runs, the study data
/// and the steps are shared (a copy handed to the writer thread costs little).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Saved {
    pub book: Gradebook,
    pub history: Head,
    pub undo: Vec<Arc<Step>>,
    pub redo: Vec<Arc<Step>>,
}

/// [`Saved`] borrowed from an editor, for encoding without a copy; it encodes to the same
/// bytes.
#[derive(Debug, Serialize)]
pub struct SavedRef<'a> {
    pub book: &'a Gradebook,
    pub history: &'a Head,
    pub undo: &'a [Arc<Step>],
    pub redo: &'a [Arc<Step>],
}

impl Saved {
    /// Borrowed, as a file is written from it.
    pub fn view(&self) -> SavedRef<'_> {
        SavedRef {
            book: &self.book,
            history: &self.history,
            undo: &self.undo,
            redo: &self.redo,
        }
    }

    /// A gradebook with no history and nothing to undo.
    pub fn of(book: Gradebook) -> Self {
        Self {
            book,
            ..Self::default()
        }
    }

    /// The rules a file's contents keep beyond the gradebook's own.
    pub fn validate(&self) -> Result<(), ModelError> {
        self.validate_vouched(&[])
    }

    /// [`Saved::validate`], trusting what the file reader vouched for of the rosters
    /// ([`Gradebook::validate_vouched`]).
    pub fn validate_vouched(&self, vouched: &[super::Vouched]) -> Result<(), ModelError> {
        self.book.validate_vouched(vouched)?;
        self.history.check().map_err(ModelError::invalid)?;
        for (which, steps) in [("undo", &self.undo), ("redo", &self.redo)] {
            if steps.len() > UNDO_LIMIT {
                return Err(ModelError::invalid(format!(
                    "it keeps {} {which} steps; at most {UNDO_LIMIT}",
                    steps.len()
                )));
            }
            for step in steps {
                if step.stamps.len() > MAX_COURSES
                    || step.label.chars().count() > MAX_LABEL_CHARS
                    || step.label.chars().any(char::is_control)
                {
                    return Err(ModelError::invalid(format!(
                        "an {which} step is not one gradebook makes"
                    )));
                }
            }
        }
        Ok(())
    }
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
    undo: Vec<Arc<Step>>,
    redo: Vec<Arc<Step>>,
    /// Where the history ends once the entries taken for saving are written.
    head: Head,
    /// History entries of changes made since they were last taken for saving.
    pending: Vec<Entry>,
    /// The entries taken for saving since this editor was made (the history of this
    /// session, for reading back without the journal).
    taken: Vec<Entry>,
    /// Who makes the changes, for the history.
    user: String,
}

impl Editor {
    pub fn new(book: Gradebook) -> Self {
        Self::from_saved(Saved::of(book))
    }

    /// An editor over what a file held: undo and redo as they were, history going on.
    pub fn from_saved(saved: Saved) -> Self {
        Self {
            book: saved.book,
            undo: saved.undo,
            redo: saved.redo,
            head: saved.history,
            pending: Vec::new(),
            taken: Vec::new(),
            user: journal::os_user(),
        }
    }

    /// A copy of what a file keeps of this editor, once [`Editor::take_history`] was
    /// called: cheap (shared runs and steps), for the writer thread to encode.
    pub fn snapshot(&self) -> Saved {
        Saved {
            book: self.book.clone(),
            history: self.head,
            undo: self.undo.clone(),
            redo: self.redo.clone(),
        }
    }

    /// What a file keeps of this editor, once [`Editor::take_history`] was called.
    pub fn saved(&self) -> SavedRef<'_> {
        SavedRef {
            book: &self.book,
            history: &self.head,
            undo: &self.undo,
            redo: &self.redo,
        }
    }

    /// The history entries made since the last call, encoded to be appended to the
    /// journal; the head moves past them. The caller must write them before (or with)
    /// the data file that [`Editor::saved`] gives now.
    pub fn take_history(&mut self) -> Result<Vec<u8>, ModelError> {
        if self.pending.is_empty() {
            return Ok(Vec::new());
        }
        let (bytes, head) = journal::encode(self.head, &self.pending)
            .map_err(|e| ModelError::invalid(format!("cannot record the history ({e})")))?;
        self.head = head;
        self.taken.append(&mut self.pending);
        Ok(bytes)
    }

    /// Every entry this editor made, taken for saving or not, oldest first.
    pub fn session_history(&self) -> impl Iterator<Item = &Entry> {
        self.taken.iter().chain(&self.pending)
    }

    /// Where the history ends (the entries taken so far).
    pub fn history_head(&self) -> Head {
        self.head
    }

    /// Starts the history again from nothing (the journal was lost), with an entry
    /// saying why.
    pub fn restart_history(&mut self, why: String, now: DateTime<Utc>) {
        self.head = Head::default();
        self.pending.insert(
            0,
            Entry {
                time: now,
                user: self.user.clone(),
                course: String::new(),
                change: journal::Change::Other(journal::one_line(&why, journal::MAX_TEXT_CHARS)),
            },
        );
    }

    /// [`Editor::execute_as`] of a change that brings history of its own (a JSON
    /// import): if it is made, `earlier` goes into the history before its own entries.
    pub fn execute_with_history(
        &mut self,
        cmd: Command,
        label: String,
        now: DateTime<Utc>,
        earlier: Vec<Entry>,
    ) -> Result<Outcome, ModelError> {
        let at = self.pending.len();
        let outcome = self.execute_as(cmd, label, now)?;
        if outcome == Outcome::Changed {
            self.pending.splice(at..at, earlier);
        }
        Ok(outcome)
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
        let cmd = cmd.with_kept_names();
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
        let cmd = cmd.with_kept_names();
        if !self.book.changes(&cmd) {
            return Ok(Outcome::Unchanged);
        }
        let stamps = self.book.stamps();
        let entries = journal::describe(&self.book, &cmd, &label, now, &self.user);
        let inverse = self.book.apply(cmd, now)?;
        self.pending.extend(entries);
        self.undo.push(Arc::new(Step {
            cmd: inverse,
            stamps,
            label,
        }));
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
        let said = replay(
            &mut self.book,
            &mut self.undo,
            &mut self.redo,
            &self.user,
            "undid",
        )?;
        Ok(said.map(|(said, entries)| {
            self.pending.extend(entries);
            said
        }))
    }

    /// Redoes the newest undone change; what it did in words, or `None` with nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>, ModelError> {
        let said = replay(
            &mut self.book,
            &mut self.redo,
            &mut self.undo,
            &self.user,
            "redid",
        )?;
        Ok(said.map(|(said, entries)| {
            self.pending.extend(entries);
            said
        }))
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
    from: &mut Vec<Arc<Step>>,
    to: &mut Vec<Arc<Step>>,
    user: &str,
    verb: &str,
) -> Result<Option<(String, Vec<Entry>)>, ModelError> {
    let Some(step) = from.pop() else {
        return Ok(None);
    };
    let stamps = book.stamps();
    let said = match step.cmd.single_cell() {
        Some(_) => step.cmd.summary(book),
        None => step.label.clone(),
    };
    // Undoing is a change too: in the history as what it does, and what it undoes.
    let now = Utc::now();
    let label = format!("{verb}: {}", step.label);
    let mut entries = journal::describe(book, &step.cmd, &label, now, user);
    // An undone grade reads as a grade change: say first that it was an undo.
    if !matches!(entries.first(), Some(e) if matches!(e.change, journal::Change::Other(_))) {
        let course = entries
            .first()
            .map(|e| e.course.clone())
            .unwrap_or_default();
        entries.insert(
            0,
            Entry {
                time: now,
                user: user.to_string(),
                course,
                change: journal::Change::Other(journal::one_line(&label, journal::MAX_TEXT_CHARS)),
            },
        );
    }
    // The time passed is overwritten at once: the step restores every course's exact time.
    match book.apply(step.cmd.clone(), now) {
        Ok(inverse) => {
            book.set_stamps(&step.stamps);
            to.push(Arc::new(Step {
                cmd: inverse,
                stamps,
                label: step.label.clone(),
            }));
            Ok(Some((said, entries)))
        }
        Err(e) => {
            from.push(step);
            Err(e)
        }
    }
}

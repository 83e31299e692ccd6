//! Undo and redo over [`Command`]s, with each course's `last_updated` restored exactly.

use chrono::{DateTime, Utc};

use super::{Command, Gradebook};
use crate::error::ModelError;

/// How many changes can be undone; older ones are forgotten.
pub const UNDO_LIMIT: usize = 1000;

/// A step of history: the command that moves the state back (or forth), and every
/// course's `last_updated` as it must be afterwards.
#[derive(Debug, Clone)]
struct Step {
    cmd: Command,
    stamps: Vec<DateTime<Utc>>,
}

/// A gradebook with its undo and redo history.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    /// The data itself.
    pub book: Gradebook,
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

    /// Makes a change at time `now`; it becomes the newest undo step and clears redo.
    pub fn execute(&mut self, cmd: Command, now: DateTime<Utc>) -> Result<(), ModelError> {
        let stamps = self.book.stamps();
        let inverse = self.book.apply(cmd, now)?;
        self.undo.push(Step {
            cmd: inverse,
            stamps,
        });
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(())
    }

    /// Undoes the newest change; `false` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<bool, ModelError> {
        replay(&mut self.book, &mut self.undo, &mut self.redo)
    }

    /// Redoes the newest undone change; `false` when there is nothing to redo.
    pub fn redo(&mut self) -> Result<bool, ModelError> {
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

/// Applies the newest step of `from` and files its inverse in `to`.
fn replay(
    book: &mut Gradebook,
    from: &mut Vec<Step>,
    to: &mut Vec<Step>,
) -> Result<bool, ModelError> {
    let Some(step) = from.pop() else {
        return Ok(false);
    };
    let stamps = book.stamps();
    // The time passed is overwritten at once: the step restores every course's exact time.
    match book.apply(step.cmd.clone(), Utc::now()) {
        Ok(inverse) => {
            book.set_stamps(&step.stamps);
            to.push(Step {
                cmd: inverse,
                stamps,
            });
            Ok(true)
        }
        Err(e) => {
            from.push(step);
            Err(e)
        }
    }
}

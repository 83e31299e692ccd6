//! The file behind the interactive gradebook: the store and its lock, the writer thread,
//! whether every change is saved, retries, and the warning before quitting unsaved.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Local, Utc};

use super::saver::{Outcome, Saver};
use crate::model::Editor;
use crate::store::{Store, StoreError};

/// The clock, injectable so that screens can be tested for exact text.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// Whether the file holds every change.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing changed since the file was opened.
    Opened,
    Saved(DateTime<Local>),
    /// The newest state is being written.
    Saving,
    /// The last save failed; it is retried.
    Failed(String),
}

/// How long a quit or a signal waits for the writer to finish.
const FINISH_WITHIN: Duration = Duration::from_secs(30);

/// The store the changes go to, and how far saving has got.
pub struct Session {
    /// The writer thread, once the app runs on a terminal; tests save synchronously.
    /// Declared before `store`, so that it finishes writing before the lock is let go.
    saver: Option<Saver>,
    /// `None` when running without a file (tests).
    store: Option<Store>,
    pub state: SaveState,
    /// A change is not yet in the file.
    unsaved: bool,
    /// A change waits to be encoded and handed to the writer thread.
    due: bool,
    /// The file could not be read: nothing is written until it is moved aside.
    recovering: bool,
    /// The teacher was told that quitting now loses changes; the next quit goes ahead.
    warned: bool,
    /// History records taken from the editor that no writer has received yet.
    unsent: Vec<u8>,
    clock: Clock,
}

impl Session {
    pub fn new(store: Option<Store>, clock: Clock) -> Self {
        Self {
            saver: None,
            store,
            state: SaveState::Opened,
            unsaved: false,
            due: false,
            recovering: false,
            warned: false,
            unsent: Vec::new(),
            clock,
        }
    }

    /// A session over a file that could not be read: it writes nothing until
    /// [`Session::move_aside`] succeeded.
    pub fn recovering(store: Store, clock: Clock) -> Self {
        Self {
            recovering: true,
            ..Self::new(Some(store), clock)
        }
    }

    /// The data file, if there is one.
    pub fn path(&self) -> Option<&Path> {
        self.store.as_ref().map(Store::path)
    }

    /// Saves from now on in a writer thread, so that a slow disk never holds up a key.
    pub fn save_in_background(&mut self) {
        if let Some(store) = &self.store {
            self.saver = Some(Saver::start(store.writer()));
        }
    }

    /// After a change: saved at once when saving synchronously (tests); with a writer
    /// thread, handed over right after the next frame is drawn.
    pub fn changed(&mut self, editor: &mut Editor) {
        self.unsaved = true;
        self.due = true;
        self.warned = false;
        if self.saver.is_none() {
            self.save_now(editor);
        }
    }

    /// Hands a change waiting since the last frame to the writer thread.
    pub fn save_if_due(&mut self, editor: &mut Editor) {
        if self.due {
            self.save_now(editor);
        }
    }

    fn save_now(&mut self, editor: &mut Editor) {
        self.due = false;
        if self.recovering {
            return;
        }
        let Some(store) = &self.store else {
            // No file (tests): the history is let go as if written.
            let _ = editor.take_history();
            self.unsaved = false;
            return;
        };
        let Some(saver) = &mut self.saver else {
            let result = store.save_editor(editor).map_err(|e| e.to_string());
            return self.saved(result);
        };
        // A copy of the data (shared runs: microseconds), encoded and written by the
        // writer thread: nothing of the save happens on the input path.
        self.state = match store.take_history(editor) {
            Ok(history) => {
                self.unsent.extend_from_slice(&history);
                if saver.send(editor.snapshot(), std::mem::take(&mut self.unsent)) {
                    SaveState::Saving
                } else {
                    SaveState::Failed("the writer thread stopped".into())
                }
            }
            Err(e) => SaveState::Failed(e.to_string()),
        };
    }

    /// Records the outcome of the save of the newest state.
    fn saved(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.unsaved = false;
                self.state = SaveState::Saved(self.clock.now().with_timezone(&Local));
            }
            Err(e) => self.state = SaveState::Failed(e),
        }
    }

    /// Takes in what the writer thread finished; only the newest state's outcome counts.
    pub fn poll(&mut self) {
        let outcomes = self.saver.as_mut().map(Saver::poll).unwrap_or_default();
        self.take(outcomes);
    }

    /// Waits (at most `limit`) for the writer thread to finish the newest state.
    pub fn wait(&mut self, limit: Duration) {
        let outcomes = self
            .saver
            .as_mut()
            .map(|s| s.wait(limit))
            .unwrap_or_default();
        self.take(outcomes);
    }

    fn take(&mut self, outcomes: Vec<Outcome>) {
        let newest = self.saver.as_ref().map_or(0, |s| s.sent);
        for (seq, result) in outcomes {
            if seq == newest {
                self.saved(result);
            }
        }
    }

    /// Whether a save is being written right now.
    pub fn saving(&self) -> bool {
        self.saver.as_ref().is_some_and(Saver::busy)
    }

    /// Whether some change is not yet in the file.
    pub fn unsaved(&self) -> bool {
        self.unsaved
    }

    /// Called when idle: tries again to save a change the last save could not.
    pub fn retry(&mut self, editor: &mut Editor) {
        if self.unsaved && !self.saving() {
            self.save_now(editor);
        }
    }

    /// Hands over anything unsaved and waits for the writer to finish it.
    pub fn finish(&mut self, editor: &mut Editor) {
        self.save_if_due(editor);
        self.wait(FINISH_WITHIN);
        if self.unsaved {
            self.save_now(editor);
            self.wait(FINISH_WITHIN);
        }
    }

    /// Whether the teacher may leave now: everything is saved, or they were already told
    /// it is not and asked again.
    pub fn may_quit(&mut self, editor: &mut Editor) -> bool {
        self.finish(editor);
        !self.unsaved || std::mem::replace(&mut self.warned, true)
    }

    /// Whether the file could not be read and has not been moved aside yet.
    pub fn is_recovering(&self) -> bool {
        self.recovering
    }

    /// Renames the unreadable file so that the teacher can start afresh; from then on,
    /// changes are saved.
    pub fn move_aside(&mut self) -> Result<PathBuf, StoreError> {
        let Some(store) = &self.store else {
            self.recovering = false;
            return Ok(PathBuf::new());
        };
        let aside = store.move_aside()?;
        self.recovering = false;
        Ok(aside)
    }
}

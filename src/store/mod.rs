//! The gradebook file: where it lives, how it is read, and how it is saved so that no crash,
//! fault or second process can lose or corrupt a teacher's data.
//!
//! The promises of the file and the tests that prove each are listed in the README
//! ("Where the data lives"): `tests/store.rs`, `tests/crash.rs`, `tests/cli.rs`,
//! `tests/tui.rs` and `tests/pty.rs`.

pub mod atomic;
mod columns;
pub mod format;
pub mod journal;
pub mod lock;
pub mod paths;
pub mod v1;

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::journal::{Break, Head, Record};
use crate::model::{Editor, Gradebook, Saved, SavedRef};
pub use atomic::SaveStep;
pub use format::FormatError;
pub use lock::WriterLock;

/// Environment variable that picks the data file, like `--file`.
pub const FILE_ENV: &str = "GRADEBOOK_FILE";

/// Why the file could not be read, written or locked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot open {}: {reason}; it was left unchanged", path.display())]
    Format { path: PathBuf, reason: FormatError },
    #[error("{} is in use by {holder}; close it there first", path.display())]
    Locked { path: PathBuf, holder: String },
    /// The lock path is unsafe to write (see [`lock::LockError::Unsafe`]).
    #[error("{reason}")]
    UnsafeLock { reason: String },
    #[error("{} is {what}, not a gradebook file", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("refusing to write over {}: it is the gradebook's own {what}", path.display())]
    OwnFile { path: PathBuf, what: &'static str },
    #[error("cannot find a data directory; choose a file with --file or {FILE_ENV}")]
    NoDataDir,
}

/// The default data file: `<data dir>/gradebook.postcard`.
pub fn default_path() -> Result<PathBuf, StoreError> {
    directories::ProjectDirs::from("", "", "gradebook")
        .map(|d| d.data_dir().join("gradebook.postcard"))
        .ok_or(StoreError::NoDataDir)
}

/// Reads the gradebook at `path` without taking the lock; a missing file is an empty
/// gradebook. Because saves are atomic renames, a reader always sees a completed save.
pub fn load(path: &Path) -> Result<Gradebook, StoreError> {
    load_saved(path).map(|saved| saved.book)
}

/// Reads everything the file at `path` keeps (gradebook, history head, undo and redo),
/// without the lock; a missing file is an empty gradebook.
pub fn load_saved(path: &Path) -> Result<Saved, StoreError> {
    let path = resolve(path)?;
    load_resolved(&path)
}

/// The history of the gradebook at `path`: its file as [`load_saved`] reads it, every
/// entry of its journal, and the first break in the chain if there is one.
pub fn load_history(path: &Path) -> Result<(Saved, Vec<Record>, Option<Break>), StoreError> {
    let path = resolve(path)?;
    let saved = load_resolved(&path)?;
    let (records, brk) = read_journal(&path, &saved.history)?;
    Ok((saved, records, brk))
}

/// The entries of the journal beside the data file at `path` (resolved) up to `head`.
pub fn read_journal(path: &Path, head: &Head) -> Result<(Vec<Record>, Option<Break>), StoreError> {
    let journal = journal::journal_path(path);
    journal::read(&journal, head).map_err(|source| StoreError::Io {
        action: "read the history in",
        path: journal,
        source,
    })
}

/// The file `path` names, symlinks followed (see [`paths::resolve`]).
pub fn resolve(path: &Path) -> Result<PathBuf, StoreError> {
    paths::resolve(path).map_err(|source| StoreError::Io {
        action: "find",
        path: path.to_path_buf(),
        source,
    })
}

fn load_resolved(path: &Path) -> Result<Saved, StoreError> {
    let io = |source| StoreError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    };
    let format = |reason| StoreError::Format {
        path: path.to_path_buf(),
        reason,
    };
    // Not blocking: a FIFO in the file's place must be refused, not waited on.
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path);
    let file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Saved::default()),
        Err(e) => return Err(io(e)),
    };
    let meta = file.metadata().map_err(io)?;
    if let Some(what) = paths::not_a_file(&meta) {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
            what,
        });
    }
    let len = meta.len();
    if len > format::MAX_FILE_LEN {
        return Err(format(FormatError::Corrupt(
            "it is larger than 1 GiB".into(),
        )));
    }
    // The header first: a foreign or inconsistent file is refused before it is read.
    let mut bytes = Vec::with_capacity(format::HEADER_LEN);
    let mut reader = file.take(len);
    (&mut reader)
        .take(format::HEADER_LEN as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let header = format::read_header(&bytes, len).map_err(format)?;
    format::read_saved(&bytes, header, &mut reader).map_err(|e| match e {
        format::ReadError::Format(reason) => format(reason),
        format::ReadError::Io(source) => io(source),
    })
}

/// Writes a store's data file and appends to its journal; made by [`Store::writer`],
/// whose lock covers it. Keeps the history entries of a save that failed, to write them
/// with the next.
#[derive(Debug, Clone)]
pub struct Writer {
    path: PathBuf,
    journal: PathBuf,
    /// Journal bytes the data file on disk counts.
    committed: u64,
    /// Journal bytes not yet committed: appended again (after `committed`) by each save
    /// until one succeeds.
    pending: Vec<u8>,
}

impl Writer {
    /// Appends `history` (new journal records) and replaces the data file with `saved`,
    /// whose history head counts every record written so far: first the records, made
    /// durable, then the data file atomically, encoded straight into it. On error nothing
    /// is committed and the records wait for the next save.
    pub fn write(&mut self, saved: &SavedRef, history: &[u8]) -> Result<(), StoreError> {
        self.write_with(saved, history, &mut |_| Ok(()))
    }

    fn write_with(
        &mut self,
        saved: &SavedRef,
        history: &[u8],
        hook: atomic::Hook,
    ) -> Result<(), StoreError> {
        self.pending.extend_from_slice(history);
        // The history is appended and synced (while a large file is written); the file
        // takes its name only once both are on disk.
        let mut history_failed = None;
        let (journal, path, committed, pending) =
            (&self.journal, &self.path, self.committed, &self.pending);
        // A small file is written sooner than a thread starts: its history goes first.
        let large = saved
            .book
            .courses
            .iter()
            .map(|c| c.students.len())
            .sum::<usize>()
            >= crate::model::PARALLEL_FROM;
        if !large && !pending.is_empty() {
            journal::append(journal, path, committed, pending).map_err(|source| {
                StoreError::Io {
                    action: "write the history to",
                    path: journal.clone(),
                    source,
                }
            })?;
        }
        let mut append = || {
            journal::append(journal, path, committed, pending).map_err(|e| {
                let kind = e.kind();
                history_failed = Some(e);
                io::Error::new(kind, "the history was not written")
            })
        };
        let alongside: Option<atomic::Alongside> = if large && !pending.is_empty() {
            Some(&mut append)
        } else {
            None
        };
        let mut contents = |out: &mut dyn std::io::Write| format::write_saved(saved, out);
        let result = atomic::write_atomic_with(path, &mut contents, alongside, hook);
        if let Some(source) = history_failed {
            return Err(StoreError::Io {
                action: "write the history to",
                path: self.journal.clone(),
                source,
            });
        }
        result.map_err(|source| match source.downcast::<FormatError>() {
            Ok(reason) => StoreError::Format {
                path: self.path.clone(),
                reason,
            },
            Err(source) => StoreError::Io {
                action: "save",
                path: self.path.clone(),
                source,
            },
        })?;
        self.committed += self.pending.len() as u64;
        self.pending.clear();
        Ok(())
    }
}

/// The data file of a writer: holds the lock for as long as it lives.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    /// Saves made through the store itself ([`Store::save_editor`]).
    writer: std::cell::RefCell<Writer>,
    _lock: WriterLock,
}

/// What the writer found when it opened the file: its contents, and whether the history
/// was lost (the journal missing or damaged; moved aside if there was one), so that the
/// history starts again.
#[derive(Debug)]
pub struct Opened {
    pub saved: Saved,
    pub history_lost: Option<String>,
    /// Whole entries found past the history's end were kept aside: where, in words.
    pub history_kept: Option<String>,
}

impl Store {
    /// Creates the directory if needed (0700), takes the writer lock, then loads.
    /// `who` says in the lock file what this process is, for a second writer to read.
    pub fn open(
        path: &Path,
        who: &str,
    ) -> Result<(Self, Result<Gradebook, StoreError>), StoreError> {
        let (store, opened) = Self::open_saved(path, who)?;
        Ok((store, opened.map(|o| o.saved.book)))
    }

    /// [`Store::open`] with everything the file keeps, its journal checked: a missing or
    /// damaged journal is moved aside and the history starts again (`history_lost`).
    pub fn open_saved(
        path: &Path,
        who: &str,
    ) -> Result<(Self, Result<Opened, StoreError>), StoreError> {
        let path = &resolve(path)?;
        if let Some(what) = fs::metadata(path).ok().as_ref().and_then(paths::not_a_file) {
            return Err(StoreError::NotAFile {
                path: path.to_path_buf(),
                what,
            });
        }
        let dir = atomic::parent_dir(path);
        atomic::create_private_dir(&dir).map_err(|source| StoreError::Io {
            action: "create the directory",
            path: dir,
            source,
        })?;
        let lock = WriterLock::acquire(path, who).map_err(|e| match e {
            lock::LockError::Held { holder } => StoreError::Locked {
                path: path.to_path_buf(),
                holder,
            },
            lock::LockError::Unsafe { .. } => StoreError::UnsafeLock {
                reason: e.to_string(),
            },
            lock::LockError::Io(source) => StoreError::Io {
                action: "lock",
                path: lock::lock_path(path),
                source,
            },
        })?;
        // Holding the lock, no save is under way: what a killed one left can go.
        atomic::remove_stale_temp_files(path);
        let journal_file = journal::journal_path(path);
        let mut committed = 0;
        let opened = load_resolved(path).and_then(|mut saved| {
            let history_lost = match journal::state(&journal_file, &saved.history) {
                journal::State::Fine => None,
                journal::State::Lost(why) => {
                    // What cannot be kept aside must not be written over: refused.
                    let kept = journal::move_aside(&journal_file)
                        .map_err(|source| StoreError::Io {
                            action: "keep aside the damaged history",
                            path: journal_file.clone(),
                            source,
                        })?
                        .map_or(String::new(), |p| {
                            format!("; it was kept as {}", p.display())
                        });
                    let lost = saved.history.entries;
                    saved.history = Head::default();
                    Some(format!(
                        "history started again: {why} ({lost} entries before this one could \
                         not be kept){kept}"
                    ))
                }
            };
            committed = saved.history.bytes;
            // Entries past the head are cut by the next save: whole ones are kept first.
            let history_kept = match journal::keep_tail(&journal_file, path, &saved.history) {
                Ok(Some((n, kept))) => Some(format!(
                    "{} after the end of this file's history (a save that never finished, \
                     or a data file older than its history) kept as {}",
                    crate::text::count(n, "entry"),
                    kept.display()
                )),
                Ok(None) => None,
                Err(e) => Some(format!(
                    "entries after the end of this file's history could not be kept aside \
                     ({e}); they will be cut"
                )),
            };
            Ok(Opened {
                saved,
                history_lost,
                history_kept,
            })
        });
        let store = Self {
            path: path.to_path_buf(),
            writer: std::cell::RefCell::new(Writer {
                path: path.to_path_buf(),
                journal: journal_file,
                committed,
                pending: Vec::new(),
            }),
            _lock: lock,
        };
        Ok((store, opened))
    }

    /// Saves a gradebook with no history of its own, atomically and durably (tests and
    /// tools; the front ends save an [`Editor`]). On error the old file is unchanged.
    pub fn save(&self, book: &Gradebook) -> Result<(), StoreError> {
        self.save_with(book, &mut |_| Ok(()))
    }

    /// [`Store::save`] with a hook called before each step (the seam for fault tests).
    pub fn save_with(&self, book: &Gradebook, hook: atomic::Hook) -> Result<(), StoreError> {
        let saved = SavedRef {
            book,
            history: &Head::default(),
            undo: &[],
            redo: &[],
        };
        self.writer.borrow_mut().write_with(&saved, &[], hook)
    }

    /// Saves an editor: its new history entries, then the data file with its gradebook,
    /// history head, undo and redo. On error the entries wait for the next save.
    pub fn save_editor(&self, editor: &mut Editor) -> Result<(), StoreError> {
        let history = self.take_history(editor)?;
        self.writer.borrow_mut().write(&editor.saved(), &history)
    }

    /// The editor's new history entries, encoded as journal records (taken: the caller
    /// must write them).
    pub fn take_history(&self, editor: &mut Editor) -> Result<Vec<u8>, StoreError> {
        editor.take_history().map_err(|e| StoreError::Format {
            path: self.path.clone(),
            reason: FormatError::Invalid(e.to_string()),
        })
    }

    /// Something that can write this store's files from another thread, while this
    /// store keeps the lock; it carries on from the store's own saves.
    pub fn writer(&self) -> Writer {
        self.writer.borrow().clone()
    }

    /// The journal beside the data file.
    pub fn journal_path(&self) -> PathBuf {
        journal::journal_path(&self.path)
    }

    /// The data file, symlinks resolved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames an unreadable file to `<name>.unreadable-<timestamp>` so the teacher can
    /// start afresh without losing it. Returns the new name.
    pub fn move_aside(&self) -> Result<PathBuf, StoreError> {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".unreadable-{stamp}"));
        let aside = PathBuf::from(name);
        if aside.exists() {
            let source = io::Error::new(io::ErrorKind::AlreadyExists, "that name is taken");
            return Err(StoreError::Io {
                action: "move aside to",
                path: aside,
                source,
            });
        }
        fs::rename(&self.path, &aside).map_err(|source| StoreError::Io {
            action: "move aside",
            path: self.path.clone(),
            source,
        })?;
        // Its history goes with it: the new file starts a history of its own.
        let journal = self.journal_path();
        if fs::symlink_metadata(&journal).is_ok() {
            fs::rename(&journal, journal::journal_path(&aside)).map_err(|source| {
                StoreError::Io {
                    action: "move aside",
                    path: journal.clone(),
                    source,
                }
            })?;
        }
        let mut writer = self.writer.borrow_mut();
        writer.committed = 0;
        writer.pending.clear();
        Ok(aside)
    }
}

/// Refuses an output path (an export, a chart) that is the data file at `data_file`, its
/// lock or its history: writing there would destroy the gradebook.
pub fn check_output(data_file: &Path, output: &Path) -> Result<(), StoreError> {
    let resolved = resolve(data_file)?;
    let lock = lock::lock_path(&resolved);
    let journal = journal::journal_path(&resolved);
    for (own, what) in [
        (data_file, "data file"),
        (lock.as_path(), "lock file"),
        (journal.as_path(), "history"),
    ] {
        if paths::same_file(own, output) {
            return Err(StoreError::OwnFile {
                path: output.to_path_buf(),
                what,
            });
        }
    }
    Ok(())
}

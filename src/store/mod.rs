//! The gradebook file: where it lives, how it is read, and how it is saved so that no crash,
//! fault or second process can lose or corrupt a teacher's data.
//!
//! The promises of the file and the tests that prove each are listed in the README
//! ("Where the data lives"): `tests/store.rs`, `tests/crash.rs`, `tests/cli.rs`,
//! `tests/tui.rs` and `tests/pty.rs`.

pub mod atomic;
pub mod format;
pub mod lock;
pub mod paths;
pub mod v1;

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::model::Gradebook;
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
    let path = resolve(path)?;
    load_resolved(&path)
}

/// The file `path` names, symlinks followed (see [`paths::resolve`]).
pub fn resolve(path: &Path) -> Result<PathBuf, StoreError> {
    paths::resolve(path).map_err(|source| StoreError::Io {
        action: "find",
        path: path.to_path_buf(),
        source,
    })
}

fn load_resolved(path: &Path) -> Result<Gradebook, StoreError> {
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
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Gradebook::default()),
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
    format::read_header(&bytes, len).map_err(format)?;
    bytes.reserve_exact((len as usize).saturating_sub(bytes.len()));
    reader.read_to_end(&mut bytes).map_err(io)?;
    format::decode(&bytes).map_err(format)
}

/// Writes encoded files to a store's path; made by [`Store::writer`], whose lock covers it.
#[derive(Debug, Clone)]
pub struct Writer {
    path: PathBuf,
}

impl Writer {
    /// Replaces the file with `bytes` atomically and durably.
    pub fn write(&self, bytes: &[u8]) -> Result<(), StoreError> {
        self.write_with(bytes, &mut |_| Ok(()))
    }

    fn write_with(&self, bytes: &[u8], hook: atomic::Hook) -> Result<(), StoreError> {
        atomic::write_atomic(&self.path, bytes, hook).map_err(|source| StoreError::Io {
            action: "save",
            path: self.path.clone(),
            source,
        })
    }
}

/// The data file of a writer: holds the lock for as long as it lives.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    _lock: WriterLock,
}

impl Store {
    /// Creates the directory if needed (0700), takes the writer lock, then loads.
    /// `who` says in the lock file what this process is, for a second writer to read.
    pub fn open(
        path: &Path,
        who: &str,
    ) -> Result<(Self, Result<Gradebook, StoreError>), StoreError> {
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
        let store = Self {
            path: path.to_path_buf(),
            _lock: lock,
        };
        let book = load_resolved(path);
        Ok((store, book))
    }

    /// Saves atomically and durably. On error the old file is unchanged.
    pub fn save(&self, book: &Gradebook) -> Result<(), StoreError> {
        self.save_with(book, &mut |_| Ok(()))
    }

    /// [`Store::save`] with a hook called before each step (the seam for fault tests).
    pub fn save_with(&self, book: &Gradebook, hook: atomic::Hook) -> Result<(), StoreError> {
        let bytes = self.encode(book)?;
        self.writer().write_with(&bytes, hook)
    }

    /// The complete file for `book`, ready for [`Writer::write`].
    pub fn encode(&self, book: &Gradebook) -> Result<Vec<u8>, StoreError> {
        format::encode(book).map_err(|reason| StoreError::Format {
            path: self.path.clone(),
            reason,
        })
    }

    /// Something that can write this store's file from another thread, while this
    /// store keeps the lock.
    pub fn writer(&self) -> Writer {
        Writer {
            path: self.path.clone(),
        }
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
        Ok(aside)
    }
}

/// Refuses an output path (an export, a chart) that is the data file at `data_file` or its
/// lock: writing there would destroy the gradebook.
pub fn check_output(data_file: &Path, output: &Path) -> Result<(), StoreError> {
    let lock = lock::lock_path(&resolve(data_file)?);
    for (own, what) in [(data_file, "data file"), (lock.as_path(), "lock file")] {
        if paths::same_file(own, output) {
            return Err(StoreError::OwnFile {
                path: output.to_path_buf(),
                what,
            });
        }
    }
    Ok(())
}

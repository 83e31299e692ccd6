//! One writer at a time: an exclusive advisory lock on `<data file>.lock`.
//! The kernel drops it when the process dies, so a crash never leaves it stale.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A held writer lock; released when dropped or when the process ends.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    path: PathBuf,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds it; `holder` is what it wrote about itself.
    Held {
        holder: String,
    },
    Io(io::Error),
}

/// The lock file that guards `data_file`.
pub fn lock_path(data_file: &Path) -> PathBuf {
    let mut name = data_file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl WriterLock {
    /// Takes the lock without waiting, and records who holds it.
    pub fn acquire(data_file: &Path, who: &str) -> Result<Self, LockError> {
        let path = lock_path(data_file);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let holder = if holder.is_empty() {
                    "another process"
                } else {
                    holder
                };
                return Err(LockError::Held {
                    holder: holder.to_string(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
        let note = format!(
            "gradebook {who} (pid {}) since {}",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
        );
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(note.as_bytes()))
            .map_err(LockError::Io)?;
        Ok(Self { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

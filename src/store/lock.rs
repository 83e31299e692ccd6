//! One writer at a time: an exclusive advisory lock on `<data file>.lock`.
//! The kernel drops it when the process dies, so a crash never leaves it stale.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A held writer lock; released when dropped or when the process ends.
#[derive(Debug)]
pub struct WriterLock {
    file: File,
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

/// How long a second writer waits for the lock before it gives up and names the holder.
pub const PATIENCE: Duration = Duration::from_millis(400);

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
        // A writer that is just finishing (a command from a script) is waited for briefly;
        // one that stays (an open interactive session) is named well within a second.
        let deadline = Instant::now() + PATIENCE;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    sleep(Duration::from_millis(20))
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        holder: read_holder(&mut file),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
        }
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
        let note = format!(
            "gradebook {who} (pid {}) since {}",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
        );
        // Overwrite, then cut: a reader sees the old note or the new one, never nothing.
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(note.as_bytes()))
            .and_then(|()| file.set_len(note.len() as u64))
            .map_err(LockError::Io)?;
        Ok(Self { file })
    }
}

impl Drop for WriterLock {
    /// A clean exit leaves no note behind (the lock itself goes with the file handle).
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

/// Who holds the lock, as they wrote it. Between taking the lock and writing its note, a
/// new holder still shows its predecessor's note (or none): a note naming no running
/// process is read again for a moment (at most 0.2 s) before it is reported as it is.
fn read_holder(file: &mut File) -> String {
    let mut note = String::new();
    for _ in 0..10 {
        note.clear();
        let _ = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut note));
        if holder_alive(&note) {
            break;
        }
        sleep(Duration::from_millis(20));
    }
    let note = note.trim();
    if note.is_empty() {
        "another process".to_string()
    } else {
        note.to_string()
    }
}

/// Whether the pid a note names still runs (where /proc tells; elsewhere, assume so).
fn holder_alive(note: &str) -> bool {
    let pid = note
        .split("(pid ")
        .nth(1)
        .and_then(|rest| rest.split(')').next());
    match pid.and_then(|p| p.parse::<u32>().ok()) {
        Some(pid) => {
            !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
        }
        None => false,
    }
}

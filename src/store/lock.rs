//! One writer at a time: an exclusive advisory lock on `<data file>.lock`.
//! The kernel drops it when the process dies, so a crash never leaves it stale.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A held writer lock; released when dropped or when the process ends.
#[derive(Debug)]
pub struct WriterLock {
    file: File,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it; `holder` is what it wrote about itself.
    #[error("in use by {holder}")]
    Held { holder: String },
    /// The lock path is a symlink, a directory, a FIFO, a hard link to another file, or a
    /// file that is not a lock note: using it could truncate someone else's file.
    #[error("{reason}: remove it if nothing else uses it, or choose another data file")]
    Unsafe { reason: String },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// How long a second writer waits for the lock before it gives up and names the holder.
pub const PATIENCE: Duration = Duration::from_millis(400);

/// Largest lock note we agree to overwrite: ours are one short line.
const MAX_NOTE: u64 = 4096;

/// The lock file that guards `data_file`.
pub fn lock_path(data_file: &Path) -> PathBuf {
    let mut name = data_file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl WriterLock {
    /// Takes the lock without waiting, and records who holds it. `data_file` must be
    /// resolved (see [`super::paths::resolve`]).
    pub fn acquire(data_file: &Path, who: &str) -> Result<Self, LockError> {
        let path = lock_path(data_file);
        let mut file = open_lock_file(&path, data_file)?;
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
        let note = format!(
            "gradebook {who} (pid {}) since {}",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
        );
        // Overwrite, then cut: a reader sees the old note or the new one, never nothing.
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(note.as_bytes()))
            .and_then(|()| file.set_len(note.len() as u64))?;
        Ok(Self { file })
    }
}

/// Opens (or creates, 0600) the lock file without following a symlink, and refuses
/// anything that is not a lock note of ours: only such a file is ever written to.
fn open_lock_file(path: &Path, data_file: &Path) -> Result<File, LockError> {
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC;
    let unsafe_lock = |what: &str| LockError::Unsafe {
        reason: format!("the lock file {} is {what}", path.display()),
    };
    let created = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(flags)
        .open(path);
    let (file, created) = match created {
        Ok(file) => (file, true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let opened = OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(flags)
                .open(path);
            match opened {
                Ok(file) => (file, false),
                Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                    return Err(unsafe_lock("a symbolic link"));
                }
                Err(e) => {
                    let meta = std::fs::symlink_metadata(path);
                    return Err(
                        match meta.ok().as_ref().and_then(super::paths::not_a_file) {
                            Some(what) => unsafe_lock(what),
                            None => e.into(),
                        },
                    );
                }
            }
        }
        Err(e) => return Err(e.into()),
    };
    let meta = file.metadata()?;
    if let Some(what) = super::paths::not_a_file(&meta) {
        return Err(unsafe_lock(what));
    }
    if meta.nlink() > 1 {
        return Err(unsafe_lock("a hard link to another file"));
    }
    if created {
        // The umask may have removed bits: set them. A lock made by another user (root)
        // belongs to the data file's owner, who must be able to take it next time.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        match std::fs::metadata(data_file) {
            Ok(owner) => {
                let _ = std::os::unix::fs::fchown(&file, Some(owner.uid()), Some(owner.gid()));
            }
            Err(_) => super::atomic::give_to_directory_owner(&file, path),
        }
    } else if meta.len() > MAX_NOTE || !holds_a_note(&file) {
        return Err(unsafe_lock("not a gradebook lock file"));
    }
    Ok(file)
}

/// Whether a lock file is empty or holds a note of ours.
fn holds_a_note(mut file: &File) -> bool {
    let mut text = String::new();
    file.read_to_string(&mut text).is_ok() && (text.is_empty() || text.starts_with("gradebook "))
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

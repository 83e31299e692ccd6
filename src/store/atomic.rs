//! Crash-safe replacement of a file: same-directory temp file, fsync, rename, fsync of the
//! directory. Killed at any moment, the target holds either its old or its new bytes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The steps of a save, in the order they happen. Tests inject faults by step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStep {
    Create,
    Write,
    SyncFile,
    Rename,
    SyncDir,
}

/// Called before each step; an error it returns fails that step as the real call would.
pub type Hook<'a> = &'a mut dyn FnMut(SaveStep) -> io::Result<()>;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// What goes into a file: written by the caller as it makes it (a gradebook encodes
/// straight into the file).
pub type Contents<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// Replaces `target` with `bytes` atomically and durably. A new file is mode 0600 whatever
/// the umask; an existing one keeps its owner, group and mode (root saving a teacher's
/// file must not take it from them). On error the target is untouched (or, if only the
/// final directory fsync failed, already replaced) and the temp file is removed.
pub fn write_atomic(target: &Path, bytes: &[u8], hook: Hook) -> io::Result<()> {
    write_atomic_with(target, &mut |out| out.write_all(bytes), None, hook)
}

/// Work that must be durable before the new file takes the target's name (the history
/// that the file counts), done on a thread of its own while the file is written: the two
/// waits for the disk overlap.
pub type Alongside<'a> = &'a mut (dyn FnMut() -> io::Result<()> + Send);

/// [`write_atomic`] of what `contents` writes (through a buffer), with `alongside` done
/// and durable before the rename (if it fails, nothing is renamed and its error is
/// returned).
pub fn write_atomic_with(
    target: &Path,
    contents: Contents,
    alongside: Option<Alongside>,
    hook: Hook,
) -> io::Result<()> {
    let dir = parent_dir(target);
    let tmp = temp_path(target);
    let existing = fs::metadata(target).ok();
    let written = std::thread::scope(|scope| {
        let other = alongside.map(|work| scope.spawn(work));
        let mine = write_temp(&tmp, contents, existing.as_ref(), hook);
        let theirs = other.map_or(Ok(()), |h| {
            h.join()
                .unwrap_or_else(|_| Err(io::Error::other("the thread writing alongside stopped")))
        });
        theirs.and(mine)
    });
    let result = written.and_then(|()| {
        hook(SaveStep::Rename)?;
        fs::rename(&tmp, target)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    hook(SaveStep::SyncDir)?;
    File::open(&dir)?.sync_all()
}

fn write_temp(
    tmp: &Path,
    contents: Contents,
    existing: Option<&fs::Metadata>,
    hook: Hook,
) -> io::Result<()> {
    hook(SaveStep::Create)?;
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(tmp)?;
    let mode = match existing {
        Some(old) => {
            let mine = file.metadata()?;
            if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
                // Only root may give a file away; anyone else keeps it as theirs.
                match std::os::unix::fs::fchown(&file, Some(old.uid()), Some(old.gid())) {
                    Err(e) if e.raw_os_error() == Some(libc::EPERM) => {}
                    other => other?,
                }
            }
            // Read and write bits only: no set-id or sticky bit survives a save.
            old.mode() & 0o777
        }
        None => {
            give_to_directory_owner(&file, tmp);
            0o600
        }
    };
    // After the chown, which clears set-id bits. The umask can only remove bits, but may
    // remove the owner's: set them explicitly.
    file.set_permissions(fs::Permissions::from_mode(mode))?;
    hook(SaveStep::Write)?;
    // A buffer the size of the file it replaces (some room to grow), at most 1 MiB.
    let hint = existing.map_or(0, |m| m.len() as usize);
    let mut out =
        io::BufWriter::with_capacity((hint + (hint >> 3)).clamp(8 << 10, 1 << 20), &mut file);
    contents(&mut out)?;
    out.flush()?;
    drop(out);
    hook(SaveStep::SyncFile)?;
    file.sync_all()
}

/// A file root creates in someone else's directory belongs to that someone: root running
/// a command on a teacher's new gradebook must not leave them a file they cannot open.
pub fn give_to_directory_owner(file: &File, path: &Path) {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    if let Ok(dir) = fs::metadata(parent_dir(path))
        && dir.uid() != 0
    {
        let _ = std::os::unix::fs::fchown(file, Some(dir.uid()), Some(dir.gid()));
    }
}

/// The directory holding `path` (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_path(target: &Path) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    parent_dir(target).join(format!("{}{}-{n}", temp_prefix(target), std::process::id()))
}

/// How the temp files of saves of `target` begin: `.<name>.tmp-`.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.tmp-")
}

/// Removes the temp files a save killed midway left beside `target`. Only the holder of
/// the writer lock may call it: then no save of `target` is in progress anywhere.
pub fn remove_stale_temp_files(target: &Path) {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(parent_dir(target)) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Creates `dir` and any missing parents with mode 0700, whatever the umask.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
        Ok(()) => fs::set_permissions(dir, fs::Permissions::from_mode(0o700)),
    }
}

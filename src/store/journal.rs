//! The journal file beside the data file (`<file>.journal`): appended to by the one
//! writer, never rewritten. What it holds is described in `crate::journal`.
//!
//! A save appends the new entries and fsyncs them, then writes the data file, whose
//! history head counts them: the data file is the commit point. Bytes a killed or failed
//! save appended past the head are cut off by the next append.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::journal::{self, Break, Head, Record};

/// Largest journal read whole (a million entries take about 100 MB).
pub const MAX_JOURNAL_LEN: u64 = 4 << 30;

/// `<data file>.journal`.
pub fn journal_path(data_file: &Path) -> PathBuf {
    let mut name = data_file.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// Opens the journal for appending without following a symlink, refusing anything but a
/// plain file with one name. A new one is 0600 (and root gives it to the directory's
/// owner, as a new data file).
fn open_for_append(path: &Path, data_file: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                io::Error::other("the journal path is a symbolic link: refusing to follow it")
            } else {
                e
            }
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("the journal path is not a regular file"));
    }
    if meta.nlink() > 1 {
        // Another name (a backup made with hard links) must not grow with this one: the
        // journal becomes a copy of its own, then it is appended to.
        drop(file);
        let copy = free_name(path, "copy");
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&copy)?;
        let mut from = File::open(path)?;
        io::copy(&mut from, &mut out)?;
        out.sync_all()?;
        fs::rename(&copy, path)?;
        return open_for_append(path, data_file);
    }
    // Private whatever it was found as.
    if meta.mode() & 0o077 != 0 {
        file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o600))?;
    }
    if meta.len() == 0 {
        // New: the data file's owner and mode, or 0600.
        match fs::metadata(data_file) {
            Ok(data) => {
                if (meta.uid(), meta.gid()) != (data.uid(), data.gid()) {
                    let _ = std::os::unix::fs::fchown(&file, Some(data.uid()), Some(data.gid()));
                }
                file.set_permissions(fs::Permissions::from_mode(0o600))?;
            }
            Err(_) => {
                super::atomic::give_to_directory_owner(&file, path);
                file.set_permissions(fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(file)
}

/// Appends `bytes` to the journal at `path` after its first `committed` bytes (anything
/// after them is a save that never committed), and makes them durable.
pub fn append(path: &Path, data_file: &Path, committed: u64, bytes: &[u8]) -> io::Result<()> {
    let mut file = open_for_append(path, data_file)?;
    let len = file.metadata()?.len();
    if len < committed {
        return Err(io::Error::other(format!(
            "the journal {} is shorter than its history ({len} of {committed} bytes): \
             something cut it while it was in use",
            path.display()
        )));
    }
    // Written over what a save that never committed left, then cut to its end: the
    // history up to `committed` is never cut, even for a moment.
    file.seek(SeekFrom::Start(committed))?;
    file.write_all(bytes)?;
    let end = committed + bytes.len() as u64;
    if len > end {
        file.set_len(end)?;
    }
    file.sync_data()?;
    if committed == 0 {
        // A new journal: its name must survive a crash too.
        File::open(super::atomic::parent_dir(path))?.sync_all()?;
    }
    Ok(())
}

/// How the journal of a data file whose history ends at `head` stands.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// It holds at least the history (and maybe the tail of a save that never committed).
    Fine,
    /// It is missing, shorter than the history, or not a journal: the history is lost.
    Lost(String),
}

/// Checks, cheaply, that the journal at `path` can hold a history ending at `head`: it
/// exists, is long enough, and starts with our header. (`verify` checks every entry.)
pub fn state(path: &Path, head: &Head) -> State {
    if head.bytes == 0 {
        return State::Fine;
    }
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return State::Lost("the history file is missing".into());
        }
        Err(e) => return State::Lost(format!("the history file cannot be read ({e})")),
    };
    if !meta.is_file() {
        return State::Lost("the history file is not a regular file".into());
    }
    if meta.len() < head.bytes {
        return State::Lost(format!(
            "the history file is shorter than its history ({} of {} bytes)",
            meta.len(),
            head.bytes
        ));
    }
    let mut first = [0u8; journal::HEADER_LEN as usize];
    let header = File::open(path).and_then(|mut f| f.read_exact(&mut first));
    if header.is_err() || first[..8] != journal::MAGIC {
        return State::Lost("the history file is not a gradebook journal".into());
    }
    State::Fine
}

/// A name beside `path` that is free: `<name>.<tag>-<time>`, then `-2`, `-3`...
fn free_name(path: &Path, tag: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let base = format!("{}.{tag}-{stamp}", path.display());
    (1..)
        .map(|n| {
            if n == 1 {
                PathBuf::from(&base)
            } else {
                PathBuf::from(format!("{base}-{n}"))
            }
        })
        .find(|p| fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| PathBuf::from(base))
}

/// Renames a damaged journal to `<name>.damaged-<time>`, kept for the teacher; never over
/// another file (a link, then the old name removed).
pub fn move_aside(path: &Path) -> io::Result<Option<PathBuf>> {
    if fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    loop {
        let aside = free_name(path, "damaged");
        match fs::hard_link(path, &aside) {
            Ok(()) => {
                fs::remove_file(path)?;
                return Ok(Some(aside));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            // A symlink or a directory cannot be hard-linked: renamed, as free as can be.
            Err(_) => {
                fs::rename(path, &aside)?;
                return Ok(Some(aside));
            }
        }
    }
}

/// Whole entries past the head of a journal (a data file older than its journal: a
/// restored copy, a deleted data file; or a save that never finished) are copied to
/// `<name>.after-<time>`, then cut from the journal (so that the next opening does not
/// copy them again); how many and where. A cut-off piece of an entry is not kept.
pub fn keep_tail(
    path: &Path,
    data_file: &Path,
    head: &Head,
) -> io::Result<Option<(usize, PathBuf)>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => m,
        _ => return Ok(None),
    };
    let start = head.bytes;
    if meta.len() <= start {
        return Ok(None);
    }
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    let tail = &tail[..];
    // Whole records: a header first when the data file knows of no journal.
    let records = if head.bytes == 0 {
        if tail.len() < journal::HEADER_LEN as usize || tail[..8] != journal::MAGIC {
            return Ok(None);
        }
        journal::count_records(&tail[journal::HEADER_LEN as usize..])
    } else {
        journal::count_records(tail)
    };
    if records == 0 {
        return Ok(None);
    }
    let kept = free_name(path, "after");
    let mut out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(&kept)?;
    out.write_all(tail)?;
    out.sync_all()?;
    File::open(super::atomic::parent_dir(path))?.sync_all()?;
    let journal = open_for_append(path, data_file)?;
    journal.set_len(start)?;
    journal.sync_data()?;
    Ok(Some((records, kept)))
}

/// Reads the history of a data file whose head is `head`: the entries, and the first
/// break if any. A reader takes no lock: the bytes up to the head never change.
pub fn read(path: &Path, head: &Head) -> io::Result<(Vec<Record>, Option<Break>)> {
    if head.bytes == 0 {
        return Ok((Vec::new(), None));
    }
    let file = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOFOLLOW)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(journal::read(&[], head));
        }
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(io::Error::other(
                "the journal is a symbolic link: it is not followed",
            ));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("the journal path is not a regular file"));
    }
    if head.bytes > MAX_JOURNAL_LEN {
        return Err(io::Error::other("the history is larger than 4 GiB"));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(head.bytes) as usize);
    file.take(head.bytes).read_to_end(&mut bytes)?;
    Ok(journal::read_lenient(&bytes, head))
}

/// How many bytes past the head the journal holds: a save that never committed.
pub fn uncommitted(path: &Path, head: &Head) -> u64 {
    fs::metadata(path).map_or(0, |m| m.len().saturating_sub(head.bytes))
}

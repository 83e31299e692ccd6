//! Which file a path really names. A data file reached through a symlink is read, locked and
//! saved as its target, so that two processes reaching it by different paths still share
//! one lock and one file, and a save never replaces the link itself.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Symlinks followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// The absolute path of the file `path` finally names: every symlink on the way followed,
/// the last one even when its target does not exist yet (it is where a save will go).
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut path = std::path::absolute(path)?;
    for _ in 0..MAX_LINKS {
        let name = path.file_name().map(ToOwned::to_owned).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file")
        })?;
        let dir = super::atomic::parent_dir(&path);
        let dir = match fs::canonicalize(&dir) {
            Ok(dir) => dir,
            // A directory still to be created: nothing in it can be a link yet.
            Err(e) if e.kind() == io::ErrorKind::NotFound => dir,
            Err(e) => return Err(e),
        };
        path = dir.join(name);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                path = dir.join(fs::read_link(&path)?);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

/// What kind of thing stands at a path that should be a regular file, in words, if it
/// is not one: a directory, a FIFO, a device or a socket.
pub fn not_a_file(meta: &fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_fifo() {
        Some("a FIFO")
    } else if t.is_char_device() || t.is_block_device() {
        Some("a device")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_symlink() {
        Some("a symbolic link")
    } else {
        Some("not a regular file")
    }
}

/// Whether two paths name the same file: the same resolved path, or (when both exist)
/// the same inode, which catches hard links too.
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    if let (Ok(a), Ok(b)) = (resolve(a), resolve(b))
        && a == b
    {
        return true;
    }
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

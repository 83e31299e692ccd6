//! Reading files to import and writing exports, for the commands and the TUI alike.

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{ImportError, csv_grades, csv_study, json};
use crate::error::ModelError;
use crate::model::{Command, Gradebook};
use crate::store::paths;
use crate::text::count;

/// What is imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// CSV: `student,<assessment>...`, one row per student.
    Grades,
    /// CSV: `hours,score[,student]`.
    Study,
    /// JSON: every course with everything in it.
    Json,
}

/// Why a file could not be imported or exported.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is larger than 256 MiB", path.display())]
    TooLarge { path: PathBuf },
    #[error("{} is {what}, not a file", path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("cannot export: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot export: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// Largest file an import reads.
const MAX_INPUT: u64 = 256 << 20;

/// Reads a file to import, refusing huge ones, and anything but a regular file (a FIFO
/// would block), before reading them.
pub fn read_input(file: &Path) -> Result<Vec<u8>, FileError> {
    let fail = |source| FileError::Read {
        path: file.to_path_buf(),
        source,
    };
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(file)
        .map_err(fail)?;
    let meta = opened.metadata().map_err(fail)?;
    if let Some(what) = paths::not_a_file(&meta) {
        return Err(FileError::NotAFile {
            path: file.to_path_buf(),
            what,
        });
    }
    if meta.len() > MAX_INPUT {
        return Err(FileError::TooLarge {
            path: file.to_path_buf(),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A few megabytes at a time, noting how far it has got (a slow disk shows progress).
    let mut reader = opened.take(MAX_INPUT);
    loop {
        let before = bytes.len();
        (&mut reader)
            .take(4 << 20)
            .read_to_end(&mut bytes)
            .map_err(fail)?;
        crate::progress::reached(bytes.len() as u64);
        if bytes.len() == before {
            return Ok(bytes);
        }
    }
}

/// Checks the whole input and returns the one change that imports it into course `c`
/// (ignored for JSON), with a sentence saying what it does.
pub fn plan_import(
    book: &Gradebook,
    kind: Kind,
    bytes: &[u8],
    c: usize,
) -> Result<(Command, String, Vec<crate::journal::Entry>), FileError> {
    let course = || book.courses.get(c).ok_or(ModelError::NoCourse);
    Ok(match kind {
        Kind::Json => {
            let imported = json::import(book, bytes)?;
            let mut message = format!("Imported {}", count(imported.courses, "course"));
            if !imported.history.is_empty() {
                message.push_str(&format!(
                    " and {} of their history (its chain checked)",
                    count(imported.history.len(), "entry")
                ));
            }
            return Ok((imported.cmd, message, imported.history));
        }
        Kind::Grades => {
            let (cmd, s) = csv_grades::import(course()?, c, bytes)?;
            let message = format!(
                "Imported {}: {}, {} updated, {}",
                count(s.grades, "grade"),
                count(s.new_students, "new student"),
                s.updated_students,
                count(s.new_assessments, "new assessment"),
            );
            (cmd, message, Vec::new())
        }
        Kind::Study => {
            let (cmd, n) = csv_study::import(course()?, c, bytes)?;
            (
                cmd,
                format!("Imported {}", count(n, "observation")),
                Vec::new(),
            )
        }
    })
}

/// The export of `kind` for course `c` (ignored for JSON) as text.
pub fn export(book: &Gradebook, kind: Kind, c: usize) -> Result<String, FileError> {
    let course = || book.courses.get(c).ok_or(ModelError::NoCourse);
    Ok(match kind {
        Kind::Json => json::export(book)?,
        Kind::Grades => csv_grades::export(course()?)?,
        Kind::Study => csv_study::export(course()?)?,
    })
}

/// What an export of `kind` for course `c` holds, in words ("the grades of 5 students").
pub fn contents(book: &Gradebook, kind: Kind, c: usize) -> String {
    match (kind, book.courses.get(c)) {
        (Kind::Json, _) => count(book.courses.len(), "course"),
        (Kind::Grades, Some(course)) => {
            format!("the grades of {}", count(course.students.len(), "student"))
        }
        (Kind::Study, Some(course)) => count(course.study.len(), "observation"),
        (_, None) => "nothing".into(),
    }
}

/// Writes an export file atomically, so that a crash never leaves half of it, through a
/// symlink to its target.
pub fn write_output(file: &Path, bytes: impl AsRef<[u8]>) -> Result<(), FileError> {
    let fail = |source| FileError::Write {
        path: file.to_path_buf(),
        source,
    };
    // Before resolving: /dev/stdout leads to a pipe that has no path.
    if let Some(what) = std::fs::metadata(file)
        .ok()
        .as_ref()
        .and_then(paths::not_a_file)
    {
        return Err(FileError::NotAFile {
            path: file.to_path_buf(),
            what,
        });
    }
    let target = paths::resolve(file).map_err(fail)?;
    crate::store::atomic::write_atomic(&target, bytes.as_ref(), &mut |_| Ok(())).map_err(fail)
}

//! Files in and out: grades and study data as CSV for spreadsheets, the whole gradebook as
//! JSON. Every import reads and checks the whole input first and turns it into one
//! [`Command`](crate::model::Command): all of it happens, as one undo step, or none.

pub mod csv_grades;
pub mod csv_study;
pub mod files;
pub mod json;
mod json_roster;
pub mod lms;

pub use files::FileError;

use std::fmt;

/// At most this many problems are reported for one file.
pub const MAX_ERRORS: usize = 20;

/// One problem in an input file, where it is and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// 1-based line, if known.
    pub line: Option<u64>,
    /// 1-based column (CSV field or JSON character), if known.
    pub column: Option<u64>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why an import was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub problems: Vec<Problem>,
    /// More problems were found than listed.
    pub more: bool,
}

impl ImportError {
    pub fn one(line: Option<u64>, column: Option<u64>, message: impl Into<String>) -> Self {
        Self {
            problems: vec![Problem {
                line,
                column,
                message: message.into(),
            }],
            more: false,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "nothing was imported: {n}{} problem{}",
            if self.more { "+" } else { "" },
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        if self.more {
            write!(f, "\n  (only the first {MAX_ERRORS} are listed)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// Collects problems up to [`MAX_ERRORS`].
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    more: bool,
}

impl Problems {
    pub fn add(&mut self, line: u64, column: Option<u64>, message: impl Into<String>) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(Problem {
                line: Some(line),
                column,
                message: message.into(),
            });
        } else {
            self.more = true;
        }
    }

    pub fn full(&self) -> bool {
        self.more
    }

    pub fn into_result(self) -> Result<(), ImportError> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ImportError {
                problems: self.list,
                more: self.more,
            })
        }
    }
}

/// What a spreadsheet runs as a formula when a cell starts with it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text for a CSV cell that no spreadsheet will run: a cell that would start a formula
/// (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`, `-2+3`) gets a leading apostrophe, which
/// spreadsheets show as text. A text already starting with apostrophes before such a
/// character gets one more, so that [`restore_text`] gives back exactly the original.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.trim_start_matches('\'').starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The original text of a cell [`neutralise`] wrote.
pub fn restore_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Line numbers of CSV records from their byte offsets. The csv crate counts only `\n`
/// and reports a CRLF file's second line as its first; here `\r\n`, `\n` and a lone `\r`
/// each end a line, as spreadsheets write them.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The line at byte `offset`; offsets must not go backwards.
    pub fn at(&mut self, offset: u64) -> u64 {
        let end = (offset as usize).clamp(self.at, self.bytes.len());
        for i in self.at..end {
            let b = self.bytes[i];
            if b == b'\n' || (b == b'\r' && self.bytes.get(i + 1) != Some(&b'\n')) {
                self.line += 1;
            }
        }
        self.at = end;
        self.line
    }

    /// The line of a record, 1-based. The csv crate may place a record's start on the
    /// `\n` of the CRLF before it; a record never starts with a line break, so those
    /// bytes are stepped over.
    pub fn of(&mut self, record: &csv::StringRecord) -> u64 {
        let Some(start) = record.position().map(|p| p.byte() as usize) else {
            return self.line;
        };
        crate::progress::reached(start as u64);
        let skip = self.bytes[start.min(self.bytes.len())..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        self.at((start + skip) as u64)
    }
}

/// Strips a UTF-8 byte-order mark.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// A number written so that it reads back exactly (shortest round-trip form).
pub fn exact(x: f64) -> String {
    format!("{x}")
}

/// Turns a csv error into a problem with its position.
pub(crate) fn csv_problem(e: &csv::Error, lines: &mut Lines) -> ImportError {
    let line = e.position().map(|p| lines.at(p.byte()));
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the file is not UTF-8 text".to_string(),
        _ => format!("not readable as CSV ({e})"),
    };
    ImportError::one(line, None, message)
}

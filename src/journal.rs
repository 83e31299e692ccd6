//! The history of a gradebook: every saved change, when, by whom, and for a grade cell its
//! old and new value, in a hash chain that `gradebook verify` can recompute.
//!
//! The history lives in a journal beside the data file (`<file>.journal`), only ever
//! appended to. Its layout, all integers little-endian:
//!
//! ```text
//! header  magic "GRADEJNL" (8 bytes), version u16 (1), 6 zero bytes
//! record  length u32 (of the body), body (postcard Entry), hash (32 bytes),
//!         CRC-32 u32 of the length, body and hash
//! ```
//!
//! A record's hash is SHA-256 of the previous record's hash (32 zero bytes for the first)
//! followed by its body, so that changing, removing or reordering any entry breaks every
//! hash after it. The data file keeps the journal's [`Head`] (entries, bytes, last hash):
//! the data file is the commit point, and journal bytes past the head (a save cut short)
//! are not history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Cell, Command, Gradebook, cell_words};
use crate::text::quote;

pub const MAGIC: [u8; 8] = *b"GRADEJNL";
pub const VERSION: u16 = 1;
pub const HEADER_LEN: u64 = 16;
/// Largest record body: every text in an entry is short (names, a comment of at most 500
/// characters, a one-line description).
pub const MAX_BODY: usize = 16 * 1024;
/// Length, hash and CRC around a body.
const FRAME: u64 = 4 + 32 + 4;

pub type Hash = [u8; 32];

/// One saved change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub time: DateTime<Utc>,
    /// The operating-system user who made it.
    pub user: String,
    /// The course it changed (its name then), or empty.
    pub course: String,
    pub change: Change,
}

/// What changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// A grade cell, old → new (mark, late days, comment).
    Cell {
        student: String,
        /// The student's id then, if any (names may be shared).
        id: Option<String>,
        assessment: String,
        old: Cell,
        new: Cell,
    },
    /// Anything else, in words: `added student Ann`, `changed the letters of "Bio"`.
    Other(String),
}

/// Where the journal ends: how many entries, how many bytes (header included), and the
/// hash of the last entry. Kept in the data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Head {
    pub entries: u64,
    pub bytes: u64,
    pub hash: Hash,
}

/// An entry as read back, with its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub entry: Entry,
    pub hash: Hash,
}

impl Head {
    /// Whether the head is possible at all (checked when a data file is read).
    pub fn check(&self) -> Result<(), String> {
        let empty = self.entries == 0;
        if empty != (self.bytes == 0) || (empty && self.hash != [0; 32]) {
            return Err("its history head is inconsistent".into());
        }
        let min = self
            .entries
            .checked_mul(FRAME + 1)
            .and_then(|b| b.checked_add(HEADER_LEN));
        if !empty && min.is_none_or(|min| self.bytes < min) {
            return Err("its history head counts more entries than bytes".into());
        }
        Ok(())
    }

    /// The last hash as hex, the way `verify` and JSON show it.
    pub fn hash_hex(&self) -> String {
        hex(&self.hash)
    }
}

pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn from_hex(text: &str) -> Option<Hash> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(hash)
}

/// The hash of an entry whose body is `body`, after an entry whose hash is `prev`.
pub fn chain(prev: &Hash, body: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(body);
    h.finalize().into()
}

/// The bytes that append `entries` to a journal ending at `head` (the header first when
/// it is empty), and the head after them.
pub fn encode(head: Head, entries: &[Entry]) -> Result<(Vec<u8>, Head), postcard::Error> {
    let mut out = Vec::new();
    let mut head = head;
    if head.bytes == 0 {
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&[0; 6]);
        head.bytes = HEADER_LEN;
    }
    for entry in entries {
        let body = postcard::to_allocvec(entry)?;
        let hash = chain(&head.hash, &body);
        let start = out.len();
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&hash);
        let crc = crc32fast::hash(&out[start..]);
        out.extend_from_slice(&crc.to_le_bytes());
        head.entries += 1;
        head.bytes += FRAME + body.len() as u64;
        head.hash = hash;
    }
    Ok((out, head))
}

/// Where and why a journal stops being history.
#[derive(Debug, Clone, PartialEq)]
pub struct Break {
    /// The entry (from 1) that is broken.
    pub entry: u64,
    /// Its first byte in the journal.
    pub offset: u64,
    pub reason: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "entry {} (byte {}): {}",
            self.entry, self.offset, self.reason
        )
    }
}

/// Reads the journal `bytes` up to `head`: every entry, its framing, checksum and place
/// in the chain checked, and the end checked against the head. The records read before a
/// break come with it.
pub fn read(bytes: &[u8], head: &Head) -> (Vec<Record>, Option<Break>) {
    if head.bytes == 0 {
        return (Vec::new(), None);
    }
    let broken = |entry: u64, offset: u64, reason: String| Break {
        entry,
        offset,
        reason,
    };
    if bytes.len() < HEADER_LEN as usize
        || bytes[..8] != MAGIC
        || bytes[8..10] != VERSION.to_le_bytes()
        || bytes[10..16] != [0; 6]
    {
        let reason = "the journal is missing or its header is not ours".to_string();
        return (Vec::new(), Some(broken(1, 0, reason)));
    }
    let len = bytes.len() as u64;
    let (records, brk, at) = read_records(&bytes[..head.bytes.min(len) as usize]);
    let n = records.len() as u64;
    if let Some(b) = brk {
        return (records, Some(b));
    }
    if len < head.bytes {
        let reason = format!(
            "the journal ends at byte {len}, where the data file counts {}: it was cut short \
             or replaced",
            head.bytes
        );
        return (records, Some(broken(n + 1, at, reason)));
    }
    if n != head.entries {
        let reason = format!(
            "the data file counts {} entries, the journal {n}",
            head.entries
        );
        return (records, Some(broken(n + 1, at, reason)));
    }
    if records.last().map_or([0; 32], |r| r.hash) != head.hash {
        let reason = "the last entry is not the one the data file names".to_string();
        return (records, Some(broken(n, at, reason)));
    }
    (records, None)
}

/// The records from the header to the end of `bytes`, each checked; the first problem
/// stops it. Also where reading stopped.
fn read_records(bytes: &[u8]) -> (Vec<Record>, Option<Break>, u64) {
    let mut records = Vec::new();
    let mut at = HEADER_LEN as usize;
    let mut prev = [0u8; 32];
    while at < bytes.len() {
        let entry = records.len() as u64 + 1;
        let broken = |reason: &str| Break {
            entry,
            offset: at as u64,
            reason: reason.to_string(),
        };
        let Some(len) = bytes.get(at..at + 4) else {
            return (records, Some(broken("cut short in its length")), at as u64);
        };
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        if len > MAX_BODY {
            let b = broken(&format!("a length of {len} bytes, more than any entry has"));
            return (records, Some(b), at as u64);
        }
        let stop = at + 4 + len + 32 + 4;
        if stop > bytes.len() {
            return (records, Some(broken("cut short")), at as u64);
        }
        let body = &bytes[at + 4..at + 4 + len];
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&bytes[at + 4 + len..stop - 4]);
        let mut crc = [0u8; 4];
        crc.copy_from_slice(&bytes[stop - 4..stop]);
        if crc32fast::hash(&bytes[at..stop - 4]) != u32::from_le_bytes(crc) {
            let b = broken("its checksum does not match: its bytes were changed");
            return (records, Some(b), at as u64);
        }
        let entry = match postcard::from_bytes::<Entry>(body) {
            Ok(e) => e,
            Err(e) => {
                let b = broken(&format!("it does not decode ({e})"));
                return (records, Some(b), at as u64);
            }
        };
        // Canonical: the body is exactly what encoding the entry gives.
        if postcard::to_allocvec(&entry).ok().as_deref() != Some(body) {
            let b = broken("it is not encoded as gradebook encodes entries");
            return (records, Some(b), at as u64);
        }
        if chain(&prev, body) != hash {
            let b = broken(
                "its hash does not follow from the entry before: an entry was changed, \
                 removed or moved",
            );
            return (records, Some(b), at as u64);
        }
        prev = hash;
        records.push(Record { entry, hash });
        at = stop;
    }
    (records, None, at as u64)
}

/// The operating-system user running this process: `$USER`, `$LOGNAME`, else the name of
/// the effective user id, else the number.
pub fn os_user() -> String {
    static USER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    USER.get_or_init(|| {
        for var in ["USER", "LOGNAME"] {
            if let Some(v) = std::env::var_os(var)
                .and_then(|v| v.into_string().ok())
                .filter(|v| !v.trim().is_empty())
            {
                return crate::text::clip(v.trim(), 64);
            }
        }
        user_of_uid()
    })
    .clone()
}

fn user_of_uid() -> String {
    // SAFETY: getpwuid_r fills `pwd` and `buf`, which live across the call; the name it
    // points to is inside `buf`.
    unsafe {
        let uid = libc::geteuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 1024];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        if libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) == 0
            && !result.is_null()
            && !pwd.pw_name.is_null()
        {
            let name = std::ffi::CStr::from_ptr(pwd.pw_name).to_string_lossy();
            if !name.is_empty() {
                return name.into_owned();
            }
        }
        format!("uid {uid}")
    }
}

/// The entries a command makes, read from the gradebook before it is applied: each grade
/// cell it sets, old → new, and one line in `label`'s words for everything else.
pub fn describe(
    book: &Gradebook,
    cmd: &Command,
    label: &str,
    time: DateTime<Utc>,
    user: &str,
) -> Vec<Entry> {
    let mut cells = Vec::new();
    let mut other = false;
    collect(book, cmd, &mut cells, &mut other, &mut Added::default());
    let course_of = |cmd: &Command| match cmd {
        Command::InsertCourse { course, .. } => course.name.clone(),
        Command::RemoveCourse { index } => book
            .courses
            .get(*index)
            .map_or_else(String::new, |c| c.name.clone()),
        // A batch (an import of courses, a grade with its new assessment): its first
        // course's.
        Command::Batch(cmds) => cmds
            .iter()
            .find_map(|c| match c {
                Command::InsertCourse { course, .. } => Some(course.name.clone()),
                other => other
                    .course_index()
                    .and_then(|i| book.courses.get(i))
                    .map(|c| c.name.clone()),
            })
            .unwrap_or_default(),
        other => other
            .course_index()
            .and_then(|c| book.courses.get(c))
            .map_or_else(String::new, |c| c.name.clone()),
    };
    let mut entries = Vec::new();
    if other || cells.is_empty() {
        entries.push(Entry {
            time,
            user: user.to_string(),
            course: course_of(cmd),
            change: Change::Other(crate::text::clip(label, 500)),
        });
    }
    entries.extend(cells.into_iter().map(|(course, change)| Entry {
        time,
        user: user.to_string(),
        course,
        change,
    }));
    entries
}

/// Students and assessments a batch adds before it grades them (a grade for a new
/// student, in a new assessment).
#[derive(Default)]
struct Added<'a> {
    students: Vec<(usize, usize, &'a crate::model::Student)>,
    assessments: Vec<(usize, usize, &'a crate::model::Assessment)>,
}

fn collect<'a>(
    book: &Gradebook,
    cmd: &'a Command,
    cells: &mut Vec<(String, Change)>,
    other: &mut bool,
    added: &mut Added<'a>,
) {
    match cmd {
        Command::SetCell(e) => {
            let Some(course) = book.courses.get(e.course) else {
                return;
            };
            let new_student = added
                .students
                .iter()
                .find(|(c, i, _)| *c == e.course && *i == e.student)
                .map(|(_, _, s)| *s);
            let student = new_student.or_else(|| course.students.get(e.student));
            let new_assessment = added
                .assessments
                .iter()
                .find(|(c, i, _)| *c == e.course && *i == e.assessment)
                .map(|(_, _, a)| *a);
            let assessment = new_assessment.or_else(|| course.assessments.get(e.assessment));
            let (Some(student), Some(assessment)) = (student, assessment) else {
                *other = true;
                return;
            };
            let old = if new_student.is_some() || new_assessment.is_some() {
                Cell::default()
            } else {
                student.cell(e.assessment)
            };
            cells.push((
                course.name.clone(),
                Change::Cell {
                    student: student.name.clone(),
                    id: student.profile.id.clone(),
                    assessment: assessment.name.clone(),
                    old,
                    new: e.cell.clone(),
                },
            ));
        }
        Command::Batch(cmds) => {
            for c in cmds {
                collect(book, c, cells, other, added);
            }
        }
        Command::SelectCourse { .. } => {}
        Command::InsertStudents {
            course,
            index,
            students,
        } => {
            added.students.extend(
                students
                    .iter()
                    .enumerate()
                    .map(|(k, s)| (*course, index + k, s)),
            );
            *other = true;
        }
        Command::InsertAssessment {
            course,
            index,
            assessment,
            ..
        } => {
            added.assessments.push((*course, *index, assessment));
            *other = true;
        }
        _ => *other = true,
    }
}

impl Entry {
    /// The student's name, id and assessment of a cell entry.
    pub fn cell(&self) -> Option<(&str, Option<&str>, &str)> {
        match &self.change {
            Change::Cell {
                student,
                id,
                assessment,
                ..
            } => Some((student, id.as_deref(), assessment)),
            Change::Other(_) => None,
        }
    }

    /// What changed, in words: `Ann Lee · Quiz 1: 18 → 19 (2 days late)`.
    pub fn words(&self) -> String {
        match &self.change {
            Change::Cell {
                student,
                assessment,
                old,
                new,
                ..
            } => format!(
                "{student} · {assessment}: {} → {}",
                cell_words(old),
                cell_words(new)
            ),
            Change::Other(text) => text.clone(),
        }
    }

    /// One line for `gradebook log` and the interactive history: time (UTC), user,
    /// course, what.
    pub fn line(&self) -> String {
        let course = if self.course.is_empty() {
            String::new()
        } else {
            format!("  {}", quote(&self.course))
        };
        format!(
            "{}  {}{course}  {}",
            self.time.format("%Y-%m-%d %H:%M:%SZ"),
            self.user,
            self.words()
        )
    }

    /// Whether this entry is about the mark of a cell (its value changed).
    pub fn changes_mark(&self) -> bool {
        matches!(&self.change, Change::Cell { old, new, .. } if old.mark != new.mark)
    }
}

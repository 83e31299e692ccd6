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
    /// A change to one student (added, deleted, who they are), in words.
    Student {
        student: String,
        id: Option<String>,
        text: String,
    },
    /// A course, student or assessment renamed (so that its history follows the name).
    Renamed {
        what: Named,
        from: String,
        to: String,
        /// A student's id, if any.
        id: Option<String>,
    },
    /// Anything else, in words: `changed the letters of "Bio"`, `imported grades.csv`.
    Other(String),
}

/// What a rename renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Named {
    Course,
    Student,
    Assessment,
}

impl Named {
    pub fn name(self) -> &'static str {
        match self {
            Named::Course => "course",
            Named::Student => "student",
            Named::Assessment => "assessment",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "course" => Some(Named::Course),
            "student" => Some(Named::Student),
            "assessment" => Some(Named::Assessment),
            _ => None,
        }
    }
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
        // What is written must read back: the reader refuses an entry its checks refuse.
        debug_assert_eq!(entry.check(), Ok(()), "{entry:?}");
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
    /// Entries read after the break anyway (whole and well-framed, but outside the
    /// verified chain), by [`read_lenient`].
    pub unverified: usize,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "entry {} (byte {}): {}",
            self.entry, self.offset, self.reason
        )?;
        if self.unverified > 0 {
            write!(
                f,
                " ({} after it can be read but not verified)",
                crate::text::count(self.unverified, "entry")
            )?;
        }
        Ok(())
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
        unverified: 0,
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

/// [`read`], and past a break the entries that are still whole and well-framed (each
/// record's own checksum right, the chain not checked), appended and counted in the break:
/// one changed byte must not hide everything after it.
pub fn read_lenient(bytes: &[u8], head: &Head) -> (Vec<Record>, Option<Break>) {
    let (mut records, brk) = read(bytes, head);
    let Some(mut brk) = brk else {
        return (records, None);
    };
    let end = (head.bytes as usize).min(bytes.len());
    let mut at = brk.offset as usize;
    // Step over the broken record by its length, if it has a plausible one.
    match bytes.get(at..at + 4) {
        Some(len) if at >= HEADER_LEN as usize => {
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            if len > MAX_BODY {
                return (records, Some(brk));
            }
            at += 4 + len + 32 + 4;
        }
        _ => return (records, Some(brk)),
    }
    while let Some(len) = bytes.get(at..at + 4).filter(|_| at < end) {
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let stop = at + 4 + len + 32 + 4;
        if len > MAX_BODY || stop > end {
            break;
        }
        let mut crc = [0u8; 4];
        crc.copy_from_slice(&bytes[stop - 4..stop]);
        if crc32fast::hash(&bytes[at..stop - 4]) == u32::from_le_bytes(crc)
            && let Ok(entry) = postcard::from_bytes::<Entry>(&bytes[at + 4..at + 4 + len])
        {
            let mut hash = [0u8; 32];
            hash.copy_from_slice(&bytes[at + 4 + len..stop - 4]);
            records.push(Record { entry, hash });
            brk.unverified += 1;
        }
        at = stop;
    }
    (records, Some(brk))
}

/// How many whole, well-framed records (length, body, hash, checksum) `bytes` starts with.
pub fn count_records(bytes: &[u8]) -> usize {
    let mut at = 0;
    let mut n = 0;
    while let Some(len) = bytes.get(at..at + 4) {
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let stop = at + 4 + len + 32 + 4;
        if len > MAX_BODY || stop > bytes.len() {
            break;
        }
        let mut crc = [0u8; 4];
        crc.copy_from_slice(&bytes[stop - 4..stop]);
        if crc32fast::hash(&bytes[at..stop - 4]) != u32::from_le_bytes(crc) {
            break;
        }
        n += 1;
        at = stop;
    }
    n
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
            unverified: 0,
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
        if let Err(why) = entry.check() {
            let b = broken(&format!("it is not an entry gradebook writes: {why}"));
            return (records, Some(b), at as u64);
        }
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
        // Who the process runs as, not what its environment claims; the environment only
        // when the system has no name for the user id.
        let user = user_of_uid().or_else(|| {
            ["USER", "LOGNAME"].iter().find_map(|var| {
                std::env::var_os(var)
                    .and_then(|v| v.into_string().ok())
                    .filter(|v| !v.trim().is_empty())
            })
        });
        let user = user.unwrap_or_else(|| {
            // SAFETY: geteuid has no preconditions and cannot fail.
            format!("uid {}", unsafe { libc::geteuid() })
        });
        one_line(user.trim(), MAX_USER_CHARS)
    })
    .clone()
}

/// Longest user name kept in an entry.
pub const MAX_USER_CHARS: usize = 64;
/// Longest text of an entry (a change in words).
pub const MAX_TEXT_CHARS: usize = 500;

/// Text on one line, safe for a terminal: control and invisible characters shown escaped
/// (line breaks too), at most `max` characters, the `…` of a cut included (an entry's
/// reader refuses more).
pub fn one_line(text: &str, max: usize) -> String {
    let line = crate::text::clip(&text.replace('\n', "\\n"), max);
    if line.chars().count() <= max {
        return line;
    }
    crate::text::clip(&line, max.saturating_sub(1))
}

fn user_of_uid() -> Option<String> {
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
                return Some(name.into_owned());
            }
        }
        None
    }
}

/// The entries a command makes, read from the gradebook before it is applied: each grade
/// cell it sets (or a new student brings), old → new; each student it adds, deletes or
/// changes, and each rename, on their own; and one line in `label`'s words for the rest.
pub fn describe(
    book: &Gradebook,
    cmd: &Command,
    label: &str,
    time: DateTime<Utc>,
    user: &str,
) -> Vec<Entry> {
    let mut found = Vec::new();
    let mut other = false;
    collect(book, cmd, &mut found, &mut other, &mut Added::default());
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
    if other || found.is_empty() {
        entries.push(Entry {
            time,
            user: user.to_string(),
            course: course_of(cmd),
            change: Change::Other(one_line(label, MAX_TEXT_CHARS)),
        });
    }
    entries.extend(found.into_iter().map(|(course, change)| Entry {
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
    students: Vec<(usize, usize, crate::model::StudentRef<'a>)>,
    assessments: Vec<(usize, usize, &'a crate::model::Assessment)>,
}

fn collect<'a>(
    book: &Gradebook,
    cmd: &'a Command,
    found: &mut Vec<(String, Change)>,
    other: &mut bool,
    added: &mut Added<'a>,
) {
    let course_name = |c: usize| {
        book.courses
            .get(c)
            .map_or_else(String::new, |c| c.name.clone())
    };
    let student_change = |c: usize, s: crate::model::StudentRef<'_>, text: String| {
        (
            course_name(c),
            Change::Student {
                student: s.name.to_string(),
                id: s.profile.id.clone(),
                text: one_line(&text, MAX_TEXT_CHARS),
            },
        )
    };
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
            found.push((
                course.name.clone(),
                Change::Cell {
                    student: student.name.to_string(),
                    id: student.profile.id.clone(),
                    assessment: assessment.name.clone(),
                    old,
                    new: e.cell.clone(),
                },
            ));
        }
        Command::Batch(cmds) => {
            for c in cmds {
                collect(book, c, found, other, added);
            }
        }
        Command::SelectCourse { .. } => {}
        Command::InsertStudents {
            course,
            index,
            students,
        } => {
            let names: Vec<&str> = book
                .courses
                .get(*course)
                .map(|c| c.assessments.iter().map(|a| a.name.as_str()).collect())
                .unwrap_or_default();
            for (k, s) in students.iter().enumerate() {
                added.students.push((*course, index + k, s.view()));
                found.push(student_change(
                    *course,
                    s.view(),
                    format!("added student {}", s.name),
                ));
                // The grades a new student comes with (an import, an undone delete).
                for (a, cell) in s.cells().enumerate() {
                    if cell.is_blank() {
                        continue;
                    }
                    let Some(assessment) = names.get(a).map(|n| n.to_string()).or_else(|| {
                        added
                            .assessments
                            .iter()
                            .find(|(c, i, _)| c == course && *i == a)
                            .map(|(_, _, x)| x.name.clone())
                    }) else {
                        continue;
                    };
                    found.push((
                        course_name(*course),
                        Change::Cell {
                            student: s.name.clone(),
                            id: s.profile.id.clone(),
                            assessment,
                            old: Cell::default(),
                            new: cell,
                        },
                    ));
                }
            }
        }
        Command::RemoveStudents {
            course,
            index,
            count,
        } => {
            let Some(c) = book.courses.get(*course) else {
                return;
            };
            for s in c.students.iter().skip(*index).take(*count) {
                let grades = s
                    .marks
                    .iter()
                    .filter(|m| *m != crate::model::Mark::Empty)
                    .count();
                let text = format!(
                    "deleted student {} and {}",
                    s.name,
                    crate::text::count(grades, "grade")
                );
                found.push(student_change(*course, s, text));
            }
        }
        Command::SetProfile {
            course, student, ..
        } => match book
            .courses
            .get(*course)
            .and_then(|c| c.students.get(*student))
        {
            Some(s) => found.push(student_change(*course, s, cmd.summary(book))),
            None => *other = true,
        },
        Command::RenameStudent {
            course,
            student,
            name,
        } => match book
            .courses
            .get(*course)
            .and_then(|c| c.students.get(*student))
        {
            Some(s) => found.push((
                course_name(*course),
                Change::Renamed {
                    what: Named::Student,
                    from: s.name.to_string(),
                    to: name.clone(),
                    id: s.profile.id.clone(),
                },
            )),
            None => *other = true,
        },
        Command::RenameCourse { course, name } => match book.courses.get(*course) {
            Some(c) => found.push((
                c.name.clone(),
                Change::Renamed {
                    what: Named::Course,
                    from: c.name.clone(),
                    to: name.clone(),
                    id: None,
                },
            )),
            None => *other = true,
        },
        Command::EditAssessment {
            course,
            index,
            assessment,
        } => {
            *other = true;
            if let Some(old) = book
                .courses
                .get(*course)
                .and_then(|c| c.assessments.get(*index))
                .filter(|old| old.name != assessment.name)
            {
                found.push((
                    course_name(*course),
                    Change::Renamed {
                        what: Named::Assessment,
                        from: old.name.clone(),
                        to: assessment.name.clone(),
                        id: None,
                    },
                ));
            }
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

/// Which entries of a history are wanted: a course's, a student's, an assessment's, from
/// a time on. Names are followed through renames (an entry made under an older name of
/// the course, student or assessment belongs); a student with an id is matched on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub course: Option<String>,
    pub student: Option<(String, Option<String>)>,
    pub assessment: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

impl Filter {
    /// The entries kept, oldest first.
    pub fn select<'a>(&self, entries: &'a [Entry]) -> Vec<&'a Entry> {
        entries
            .iter()
            .zip(self.mask(entries))
            .filter_map(|(e, keep)| keep.then_some(e))
            .collect()
    }

    /// For each entry, whether it is kept.
    pub fn mask(&self, entries: &[Entry]) -> Vec<bool> {
        use crate::model::name_key;
        use std::collections::HashSet;
        // Every name each had, following renames from the newest back.
        let mut courses: HashSet<String> = self.course.iter().map(|c| name_key(c)).collect();
        let mut students: HashSet<String> = self.student.iter().map(|(n, _)| name_key(n)).collect();
        let mut assessments: HashSet<String> =
            self.assessment.iter().map(|a| name_key(a)).collect();
        let want_id = self.student.as_ref().and_then(|(_, id)| id.clone());
        for e in entries.iter().rev() {
            if let Change::Renamed { what, from, to, id } = &e.change {
                let set = match what {
                    Named::Course => &mut courses,
                    Named::Student => &mut students,
                    Named::Assessment => &mut assessments,
                };
                let same_student = *what == Named::Student
                    && want_id.is_some()
                    && id.as_deref() == want_id.as_deref();
                if set.contains(&name_key(to)) || same_student {
                    set.insert(name_key(from));
                }
            }
        }
        let course_ok = |e: &Entry| self.course.is_none() || courses.contains(&name_key(&e.course));
        let student_ok = |name: &str, id: Option<&str>| match (&self.student, &want_id, id) {
            (None, _, _) => true,
            // Names may be shared: an id decides when both have one.
            (Some(_), Some(want), Some(id)) => want.eq_ignore_ascii_case(id),
            (Some(_), _, _) => students.contains(&name_key(name)),
        };
        entries
            .iter()
            .map(|e| {
                self.since.is_none_or(|t| e.time >= t)
                    && course_ok(e)
                    && self.about(e, &student_ok, &assessments)
            })
            .collect()
    }

    /// Whether an entry is about the student and assessment wanted.
    fn about(
        &self,
        e: &Entry,
        student_ok: &dyn Fn(&str, Option<&str>) -> bool,
        assessments: &std::collections::HashSet<String>,
    ) -> bool {
        use crate::model::name_key;
        match &e.change {
            Change::Cell {
                student,
                id,
                assessment,
                ..
            } => {
                student_ok(student, id.as_deref())
                    && (self.assessment.is_none() || assessments.contains(&name_key(assessment)))
            }
            Change::Student { student, id, .. } => {
                self.assessment.is_none() && student_ok(student, id.as_deref())
            }
            Change::Renamed { what, from, to, id } => match what {
                Named::Student => {
                    self.assessment.is_none()
                        && (student_ok(to, id.as_deref()) || student_ok(from, id.as_deref()))
                }
                Named::Assessment => {
                    self.student.is_none()
                        && (self.assessment.is_none() || assessments.contains(&name_key(to)))
                }
                Named::Course => self.student.is_none() && self.assessment.is_none(),
            },
            Change::Other(_) => self.student.is_none() && self.assessment.is_none(),
        }
    }
}

impl Entry {
    /// Whether the entry is one gradebook writes: short single-line texts without control
    /// or invisible characters, names that are names, cells that are cells, a time within
    /// years 1970 to 9999. Entries read from a file (an import) are checked with it.
    pub fn check(&self) -> Result<(), String> {
        use crate::model::{check_comment, check_stored_name};
        let text = |what: &str, t: &str, max: usize| -> Result<(), String> {
            let bad = t.is_empty()
                || t.chars().count() > max
                || t.chars()
                    .any(|c| c.is_control() || crate::model::is_hidden(c));
            if bad {
                Err(format!(
                    "its {what} is not 1 to {max} characters of plain text: {}",
                    quote(t)
                ))
            } else {
                Ok(())
            }
        };
        let year = chrono::Datelike::year(&self.time);
        if !(1970..=9999).contains(&year) {
            return Err(format!(
                "its time {} is not one gradebook writes",
                self.time
            ));
        }
        text("user", &self.user, MAX_USER_CHARS)?;
        if !self.course.is_empty() {
            check_stored_name("course", &self.course).map_err(|e| e.to_string())?;
        }
        let id = |id: &Option<String>| match id {
            Some(i) => text("id", i, crate::model::MAX_ID_CHARS),
            None => Ok(()),
        };
        match &self.change {
            Change::Cell {
                student,
                id: sid,
                assessment,
                old,
                new,
            } => {
                check_stored_name("student", student).map_err(|e| e.to_string())?;
                id(sid)?;
                check_stored_name("assessment", assessment).map_err(|e| e.to_string())?;
                for cell in [old, new] {
                    if let crate::model::Mark::Points(p) = cell.mark
                        && !(p.is_finite() && p >= 0.0)
                    {
                        return Err(format!("it holds {p} points"));
                    }
                    if cell.late_days > crate::model::MAX_LATE_DAYS {
                        return Err("it holds too many days late".into());
                    }
                    if let Some(c) = &cell.comment {
                        check_comment(c).map_err(|e| e.to_string())?;
                    }
                }
            }
            Change::Student {
                student,
                id: sid,
                text: t,
            } => {
                check_stored_name("student", student).map_err(|e| e.to_string())?;
                id(sid)?;
                text("text", t, MAX_TEXT_CHARS)?;
            }
            Change::Renamed {
                from, to, id: sid, ..
            } => {
                check_stored_name("name", from).map_err(|e| e.to_string())?;
                check_stored_name("name", to).map_err(|e| e.to_string())?;
                id(sid)?;
            }
            Change::Other(t) => text("text", t, MAX_TEXT_CHARS)?,
        }
        match postcard::to_allocvec(self) {
            Ok(body) if body.len() <= MAX_BODY => Ok(()),
            _ => Err(format!("it is larger than {MAX_BODY} bytes")),
        }
    }

    /// The student's name, id and assessment of a cell entry.
    pub fn cell(&self) -> Option<(&str, Option<&str>, &str)> {
        match &self.change {
            Change::Cell {
                student,
                id,
                assessment,
                ..
            } => Some((student, id.as_deref(), assessment)),
            _ => None,
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
            } => {
                let mut words = format!(
                    "{student} · {assessment}: {} → {}",
                    cell_words(old),
                    cell_words(new)
                );
                if new.comment.is_some() && new.comment != old.comment {
                    let comment = new
                        .comment
                        .as_deref()
                        .unwrap_or_default()
                        .replace('\n', " ");
                    words.push_str(&format!(" “{}”", crate::text::clip(&comment, 80)));
                }
                words
            }
            Change::Student { text, .. } | Change::Other(text) => text.clone(),
            Change::Renamed { what, from, to, .. } => {
                format!("renamed {} {} to {}", what.name(), quote(from), quote(to))
            }
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
        let line = format!(
            "{}  {}{course}  {}",
            self.time.format("%Y-%m-%d %H:%M:%SZ"),
            self.user,
            self.words()
        );
        crate::text::clean(&line.replace('\n', " ")).into_owned()
    }

    /// Whether this entry is about the mark of a cell (its value changed).
    pub fn changes_mark(&self) -> bool {
        matches!(&self.change, Change::Cell { old, new, .. } if old.mark != new.mark)
    }
}

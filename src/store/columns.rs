//! The body of a version-3 file: everything but the rosters in postcard, then each
//! course's roster as columns a load copies in a few blocks.
//!
//! ```text
//! u64       the length of the postcard part
//! postcard  the gradebook with each course's students left out, but for the few
//!           students with a profile or late days and comments ("extras": index,
//!           profile, notes); the history head; undo and redo
//! then, for each course in order, its roster:
//!   u32        n, the number of students
//!   u32 × n    each name's length in bytes
//!   bytes      the names, one after the other (UTF-8, NFC)
//!   u64 × n·m  the marks, student by student, m per student (m = the course's
//!              assessments): the bits of the points (finite, ≥ 0, never -0), or
//!              2^64 − 1 empty, 2^64 − 2 excused, 2^64 − 3 missing
//! ```
//!
//! Integers are little-endian. Every value has one encoding, so one gradebook has one
//! file: the postcard part is checked to be canonical, and the columns can only be
//! written one way.
//!
//! A load reads the columns from the file straight into the roster's memory (no copy of
//! the whole file first), checking the sizes against what is left of the file before
//! taking any memory, and the checksum as it goes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};

use super::format::FormatError;
use crate::journal::Head;
use crate::model::{
    Assessment, CHUNK, Category, CellNote, Course, Gradebook, LatePolicy, LetterScheme,
    MAX_STUDENTS, PARALLEL_FROM, Profile, Roster, Saved, SavedRef, Step, Study, Vouched,
    check_stored_name, first_bad_row, mark_limits, name_clashes,
};
use crate::predictor::TrainedModel;

/// The postcard part, borrowed for writing.
#[derive(Serialize)]
struct ShellOut<'a> {
    courses: Vec<CourseOut<'a>>,
    current: Option<usize>,
    history: &'a Head,
    undo: &'a [Arc<Step>],
    redo: &'a [Arc<Step>],
}

#[derive(Serialize)]
struct CourseOut<'a> {
    name: &'a str,
    last_updated: &'a DateTime<Utc>,
    categories: &'a [Category],
    assessments: &'a [Assessment],
    letters: &'a LetterScheme,
    late_policy: &'a Option<LatePolicy>,
    study: &'a Study,
    model: &'a Option<TrainedModel>,
    extras: ExtrasOut<'a>,
}

/// The students with a profile or notes, as `(index, profile, notes)`.
struct ExtrasOut<'a>(&'a Roster);

impl Serialize for ExtrasOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.extra_count()))?;
        for (i, profile, notes) in self.0.extras() {
            seq.serialize_element(&(i as u32, profile, notes))?;
        }
        seq.end()
    }
}

/// The postcard part, read.
#[derive(Serialize, Deserialize)]
struct ShellIn {
    courses: Vec<CourseIn>,
    current: Option<usize>,
    history: Head,
    undo: Vec<Arc<Step>>,
    redo: Vec<Arc<Step>>,
}

#[derive(Serialize, Deserialize)]
struct CourseIn {
    name: String,
    last_updated: DateTime<Utc>,
    categories: Vec<Category>,
    assessments: Vec<Assessment>,
    letters: LetterScheme,
    late_policy: Option<LatePolicy>,
    study: Study,
    model: Option<TrainedModel>,
    extras: Vec<(u32, Profile, Vec<CellNote>)>,
}

/// The postcard part of the body of `saved`.
pub fn shell(saved: &SavedRef) -> Result<Vec<u8>, FormatError> {
    let shell = ShellOut {
        courses: saved
            .book
            .courses
            .iter()
            .map(|c| CourseOut {
                name: &c.name,
                last_updated: &c.last_updated,
                categories: &c.categories,
                assessments: &c.assessments,
                letters: &c.letters,
                late_policy: &c.late_policy,
                study: &c.study,
                model: &c.model,
                extras: ExtrasOut(&c.students),
            })
            .collect(),
        current: saved.book.current,
        history: saved.history,
        undo: saved.undo,
        redo: saved.redo,
    };
    postcard::to_stdvec(&shell)
        .map_err(|e| FormatError::Corrupt(format!("cannot encode the gradebook ({e})")))
}

/// The length of the body of `saved`, whose postcard part is `shell`.
pub fn body_len(saved: &SavedRef, shell: &[u8]) -> u64 {
    let columns: usize = saved
        .book
        .courses
        .iter()
        .map(|c| column_bytes(&c.students, c.assessments.len()))
        .sum();
    (8 + shell.len() + columns) as u64
}

/// Writes the body of `saved`, whose postcard part is `shell`: the columns go out from
/// the roster's own memory, run by run, with no copy of the whole.
pub fn write_body(
    saved: &SavedRef,
    shell: &[u8],
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    out.write_all(&(shell.len() as u64).to_le_bytes())?;
    out.write_all(shell)?;
    for c in &saved.book.courses {
        write_roster(&c.students, c.assessments.len(), out)?;
    }
    Ok(())
}

/// The bytes of a roster's columns.
fn column_bytes(roster: &Roster, width: usize) -> usize {
    let names: usize = roster.runs().map(|r| span_bytes(r.spans)).sum();
    4 + 4 * roster.len() + names + 8 * width * roster.len()
}

fn span_bytes(spans: &[(u32, u32)]) -> usize {
    spans.iter().map(|&(_, n)| n as usize).sum()
}

fn write_roster(
    roster: &Roster,
    width: usize,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    out.write_all(&(roster.len() as u32).to_le_bytes())?;
    let mut lens = Vec::new();
    for run in roster.runs() {
        lens.clear();
        lens.extend(run.spans.iter().flat_map(|&(_, n)| n.to_le_bytes()));
        out.write_all(&lens)?;
    }
    for run in roster.runs() {
        // Names kept in order with nothing between them go out in one piece.
        let mut next = 0u32;
        let contiguous = run.spans.iter().all(|&(start, n)| {
            let fine = start == next;
            next = start + n;
            fine
        });
        if contiguous {
            out.write_all(&run.names.as_bytes()[..next as usize])?;
        } else {
            for &(start, n) in run.spans {
                out.write_all(&run.names.as_bytes()[start as usize..(start + n) as usize])?;
            }
        }
    }
    for run in roster.runs() {
        debug_assert_eq!(run.marks.len(), run.spans.len() * width);
        if cfg!(target_endian = "little") {
            out.write_all(bytemuck::cast_slice(run.marks))?;
        } else {
            let bytes: Vec<u8> = run.marks.iter().flat_map(|m| m.to_le_bytes()).collect();
            out.write_all(&bytes)?;
        }
    }
    Ok(())
}

/// Where a version-3 body comes from: a file being read (checksummed on the way) or
/// bytes already checked.
pub trait Source {
    /// Fills `buf` with the next bytes of the body.
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), FormatError>;
    /// Bytes of the body not read yet.
    fn left(&self) -> u64;
}

/// A body in memory.
pub struct Bytes<'a>(pub &'a [u8]);

impl Source for Bytes<'_> {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), FormatError> {
        if buf.len() > self.0.len() {
            return Err(short());
        }
        let (head, tail) = self.0.split_at(buf.len());
        buf.copy_from_slice(head);
        self.0 = tail;
        Ok(())
    }

    fn left(&self) -> u64 {
        self.0.len() as u64
    }
}

/// A body read from a file, its checksum computed as it comes.
pub struct Reader<R> {
    pub reader: R,
    pub left: u64,
    pub crc: crc32fast::Hasher,
    /// What went wrong reading, apart from the bytes themselves.
    pub io: Option<std::io::Error>,
}

impl<R: std::io::Read> Source for Reader<R> {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), FormatError> {
        if buf.len() as u64 > self.left {
            return Err(short());
        }
        if let Err(e) = self.reader.read_exact(buf) {
            // A file cut short while it was read is a short body; anything else is the
            // reading's own error.
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                return Err(short());
            }
            self.io = Some(e);
            return Err(FormatError::Corrupt("it could not be read".into()));
        }
        self.crc.update(buf);
        self.left -= buf.len() as u64;
        Ok(())
    }

    fn left(&self) -> u64 {
        self.left
    }
}

fn short() -> FormatError {
    FormatError::Corrupt("the body is cut short".into())
}

/// Memory for `n` items of `size` bytes, if what is left of the body holds them.
fn room(source: &impl Source, n: usize, size: usize) -> Result<usize, FormatError> {
    n.checked_mul(size)
        .filter(|&bytes| bytes as u64 <= source.left())
        .ok_or_else(short)
}

fn read_u32s(source: &mut impl Source, n: usize) -> Result<Vec<u32>, FormatError> {
    room(source, n, 4)?;
    let mut v = vec![0u32; n];
    source.fill(bytemuck::cast_slice_mut(&mut v))?;
    for x in &mut v {
        *x = u32::from_le(*x);
    }
    Ok(v)
}

/// Reads a version-3 body: the postcard part, checked canonical, then the columns.
/// Never panics, whatever the bytes; the result still has to be validated, trusting what
/// reading each roster vouched for ([`Saved::validate_vouched`]).
pub fn decode(source: &mut impl Source) -> Result<(Saved, Vec<Vouched>), FormatError> {
    let corrupt = |what: &str| FormatError::Corrupt(what.to_string());
    let mut len = [0u8; 8];
    source.fill(&mut len)?;
    let len = room(
        source,
        usize::try_from(u64::from_le_bytes(len)).unwrap_or(usize::MAX),
        1,
    )?;
    let mut head = vec![0u8; len];
    source.fill(&mut head)?;
    let (shell, rest) = postcard::take_from_bytes::<ShellIn>(&head)
        .map_err(|e| FormatError::Corrupt(format!("cannot decode the body ({e})")))?;
    if !rest.is_empty() {
        return Err(corrupt("the gradebook part has trailing bytes"));
    }
    super::format::check_canonical(&shell, &head)?;
    drop(head);
    let mut courses = Vec::with_capacity(shell.courses.len());
    let mut vouched = Vec::with_capacity(shell.courses.len());
    for c in shell.courses {
        let (mut students, checked) = read_roster(source, &c.assessments)?;
        vouched.push(checked);
        let mut last = None;
        for (i, profile, notes) in c.extras {
            let i = i as usize;
            if i >= students.len() || last.is_some_and(|l| l >= i) {
                return Err(corrupt("the students with ids or notes are out of order"));
            }
            last = Some(i);
            if notes.is_empty() && profile == Profile::default() {
                return Err(corrupt("a student listed with an id or notes has none"));
            }
            students.set_extra(i, profile, notes);
        }
        courses.push(Course {
            name: c.name,
            last_updated: c.last_updated,
            categories: c.categories,
            assessments: c.assessments,
            students,
            letters: c.letters,
            late_policy: c.late_policy,
            study: c.study,
            model: c.model,
        });
    }
    if source.left() != 0 {
        return Err(corrupt("the body has trailing bytes"));
    }
    let saved = Saved {
        book: Gradebook {
            courses,
            current: shell.current,
        },
        history: shell.history,
        undo: shell.undo,
        redo: shell.redo,
    };
    Ok((saved, vouched))
}

/// One roster's columns, read run by run into the roster's own memory.
/// A run's names as text, where each starts and ends, and their hashes.
type NamedRun = (String, Vec<(u32, u32)>, Vec<u64>);

/// Checks that a run's names are UTF-8 and cut between characters, and hashes them.
fn name_run(names: Vec<u8>, lens: &[u32]) -> Result<NamedRun, FormatError> {
    let not_utf8 = || FormatError::Corrupt("a student's name is not UTF-8".into());
    let names = String::from_utf8(names).map_err(|_| not_utf8())?;
    let mut spans = Vec::with_capacity(lens.len());
    let mut hashes = Vec::with_capacity(lens.len());
    let mut start = 0u32;
    for &l in lens {
        let end = start + l;
        let name = names
            .get(start as usize..end as usize)
            .ok_or_else(not_utf8)?;
        hashes.push(crate::model::name_hash(name));
        spans.push((start, l));
        start = end;
    }
    Ok((names, spans, hashes))
}

/// Reads a roster with one mark per assessment, checking on the way what the course's
/// validation would check of it (the names, the marks, which names share a hash): on a
/// large roster, the names on a second thread while the marks are read here.
fn read_roster(
    source: &mut impl Source,
    assessments: &[Assessment],
) -> Result<(Roster, Vouched), FormatError> {
    let width = assessments.len();
    let mut n = [0u8; 4];
    source.fill(&mut n)?;
    let n = u32::from_le_bytes(n) as usize;
    if n > MAX_STUDENTS {
        return Err(FormatError::Corrupt(format!(
            "a course has {n} students; at most {MAX_STUDENTS}"
        )));
    }
    let lens = read_u32s(source, n)?;
    let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
    if total > source.left() {
        return Err(short());
    }
    let mut raw = Vec::with_capacity(n.div_ceil(CHUNK));
    for run in lens.chunks(CHUNK) {
        let bytes: usize = run.iter().map(|&l| l as usize).sum();
        let mut names = vec![0u8; bytes];
        source.fill(&mut names)?;
        raw.push((names, run));
    }
    room(source, n, 8 * width)?;
    // The runs named, whether every name is fine, which names' hashes meet.
    type Named = (Vec<NamedRun>, bool, Vec<(usize, usize)>);
    let name_runs = move || -> Result<Named, FormatError> {
        let named = raw
            .into_iter()
            .map(|(names, lens)| name_run(names, lens))
            .collect::<Result<Vec<_>, _>>()?;
        let fine = named.iter().all(|(names, spans, _)| {
            spans.iter().all(|&(start, l)| {
                let name = &names[start as usize..(start + l) as usize];
                check_stored_name("student", name).is_ok()
            })
        });
        let clashes = name_clashes(named.iter().flat_map(|(_, _, h)| h.iter().copied()));
        Ok((named, fine, clashes))
    };
    let limits = mark_limits(assessments);
    let mut read_marks = || -> Result<(Vec<Vec<u64>>, bool), FormatError> {
        let mut fine = true;
        let marks = lens
            .chunks(CHUNK)
            .map(|run| {
                let mut marks = vec![0u64; run.len() * width];
                source.fill(bytemuck::cast_slice_mut(&mut marks))?;
                for m in &mut marks {
                    *m = u64::from_le(*m);
                }
                // Checked while they are in the cache.
                fine &= first_bad_row(&marks, &limits).is_none();
                Ok(marks)
            })
            .collect::<Result<Vec<_>, FormatError>>()?;
        Ok((marks, fine))
    };
    let (named, marks) = if n < PARALLEL_FROM {
        (name_runs(), read_marks())
    } else {
        std::thread::scope(|scope| {
            let naming = scope.spawn(name_runs);
            let marks = read_marks();
            let named = naming.join().unwrap_or_else(|_| {
                Err(FormatError::Corrupt("the names could not be read".into()))
            });
            (named, marks)
        })
    };
    let ((named, names_fine, clashes), (marks, marks_fine)) = (named?, marks?);
    let mut roster = Roster::new(width);
    for ((names, spans, hashes), marks) in named.into_iter().zip(marks) {
        roster.push_run(names, spans, hashes, marks);
    }
    let vouched = Vouched {
        names: names_fine,
        marks: marks_fine,
        clashes: Some(clashes),
    };
    Ok((roster, vouched))
}

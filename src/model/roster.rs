//! A course's students, kept by column: every name of a run of students in one string,
//! every mark in one array of 8-byte cells, and apart from them the few students with an
//! id, an e-mail, late days or comments. A class of 100,000 takes two allocations per
//! thousand students instead of two per student, and loads, copies and saves as a few
//! blocks of memory.
//!
//! The runs ("chunks", about a thousand students each) are shared between copies of the
//! roster: a copy handed to the writer thread costs a pointer per run, and a change made
//! afterwards copies only the run it touches.
//!
//! Read a student through [`StudentRef`] (`course.students.at(i)`, `course.students.iter()`);
//! the course makes every change, checked, through its commands.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Student;
use super::cell::{Cell, CellNote, Mark};
use super::identity::{LmsIds, Profile, Status};

/// Students per run when a roster is built; a run that grows past twice this splits.
pub const CHUNK: usize = 1024;

/// From this many students, loading and checking a roster use a second thread (below
/// it, starting a thread costs more than it saves).
pub const PARALLEL_FROM: usize = 8 * CHUNK;

/// A mark in 8 bytes: the bits of its points (finite, not negative), or one of three
/// codes in the negative NaNs, which no points can be.
pub mod packed {
    use super::Mark;

    pub const EMPTY: u64 = u64::MAX;
    pub const EXCUSED: u64 = u64::MAX - 1;
    pub const MISSING: u64 = u64::MAX - 2;

    pub fn pack(mark: Mark) -> u64 {
        match mark {
            // + 0.0 makes -0 a plain 0, whose sign bit is clear.
            Mark::Points(p) => (p + 0.0).to_bits(),
            Mark::Empty => EMPTY,
            Mark::Excused => EXCUSED,
            Mark::Missing => MISSING,
        }
    }

    pub fn unpack(bits: u64) -> Mark {
        if bits >> 63 == 0 {
            Mark::Points(f64::from_bits(bits))
        } else {
            match bits {
                EXCUSED => Mark::Excused,
                MISSING => Mark::Missing,
                _ => Mark::Empty,
            }
        }
    }

    /// Whether `bits` are a mark as stored: a code, or points that are finite and not
    /// negative (and not -0).
    pub fn is_valid(bits: u64) -> bool {
        bits >= MISSING || (bits >> 63 == 0 && (bits >> 52) & 0x7ff != 0x7ff)
    }
}

/// The profile of a student who has none.
static NO_PROFILE: Profile = Profile {
    id: None,
    email: None,
    section: None,
    status: Status::Active,
    note: None,
    lms: LmsIds {
        canvas_id: None,
        sis_user_id: None,
        sis_login_id: None,
        first_name: None,
        last_name: None,
    },
};

/// What only some students have: a profile, late days and comments.
#[derive(Debug, Clone, PartialEq, Default)]
struct Extra {
    profile: Profile,
    notes: Vec<CellNote>,
}

impl Extra {
    fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.profile == NO_PROFILE
    }
}

/// A run of students.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// Names, one after the other (a renamed student's old name stays until the run is
    /// compacted).
    names: String,
    /// Each student's name in `names`: start and length in bytes.
    spans: Vec<(u32, u32)>,
    /// Each name's [`super::name_hash`], so that finding a name or checking that the
    /// roster tells its students apart compares numbers first.
    hashes: Vec<u64>,
    /// `width` marks per student, packed.
    marks: Vec<u64>,
    /// Students with a profile or notes, by index in the run, sorted.
    extras: Vec<(u32, Extra)>,
}

impl Chunk {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn name(&self, l: usize) -> &str {
        let (start, len) = self.spans[l];
        &self.names[start as usize..(start + len) as usize]
    }

    fn extra_index(&self, l: usize) -> Result<usize, usize> {
        self.extras.binary_search_by_key(&(l as u32), |(i, _)| *i)
    }

    fn extra(&self, l: usize) -> Option<&Extra> {
        self.extra_index(l).ok().map(|x| &self.extras[x].1)
    }

    fn get(&self, l: usize, width: usize) -> StudentRef<'_> {
        let extra = self.extra(l);
        StudentRef {
            name: self.name(l),
            profile: extra.map_or(&NO_PROFILE, |e| &e.profile),
            marks: Marks(MarksOf::Packed(&self.marks[l * width..(l + 1) * width])),
            notes: extra.map_or(&[], |e| &e.notes),
        }
    }

    fn push_name(&mut self, name: &str) -> (u32, u32) {
        let start = self.names.len() as u32;
        self.names.push_str(name);
        (start, name.len() as u32)
    }

    /// Adds a name at the end, with its span and hash.
    fn push_student_name(&mut self, name: &str) {
        let span = self.push_name(name);
        self.spans.push(span);
        self.hashes.push(super::name_hash(name));
    }

    /// Adds a student at the end; `student.marks` has `width` marks.
    fn push(&mut self, student: Student) {
        let extra = Extra {
            profile: student.profile,
            notes: student.notes,
        };
        self.push_parts(&student.name, &student.marks, extra);
    }

    /// Adds a student at the end from their parts.
    fn push_parts(&mut self, name: &str, marks: &[Mark], extra: Extra) {
        self.push_student_name(name);
        self.marks.extend(marks.iter().map(|&m| packed::pack(m)));
        if !extra.is_empty() {
            self.extras.push((self.spans.len() as u32 - 1, extra));
        }
    }

    /// Moves the students from `l` on into a new run.
    fn split_off(&mut self, l: usize, width: usize) -> Chunk {
        let mut tail = Chunk::default();
        for k in l..self.len() {
            let span = tail.push_name(self.name(k));
            tail.spans.push(span);
        }
        tail.hashes = self.hashes.split_off(l);
        tail.marks = self.marks.split_off(l * width);
        let at = self.extra_index(l).unwrap_or_else(|x| x);
        tail.extras = self.extras.split_off(at);
        for (i, _) in &mut tail.extras {
            *i -= l as u32;
        }
        self.spans.truncate(l);
        self.compact();
        tail
    }

    /// Adds the students of `other` at the end.
    fn append(&mut self, other: Chunk) {
        let base = self.len() as u32;
        for k in 0..other.len() {
            let span = self.push_name(other.name(k));
            self.spans.push(span);
        }
        self.hashes.extend_from_slice(&other.hashes);
        self.marks.extend_from_slice(&other.marks);
        self.extras
            .extend(other.extras.into_iter().map(|(i, e)| (i + base, e)));
    }

    /// Drops the names no student uses any more, once they are most of the string.
    fn compact(&mut self) {
        let live: usize = self.spans.iter().map(|&(_, n)| n as usize).sum();
        if self.names.len() <= 2 * live + 4096 {
            return;
        }
        let mut names = String::with_capacity(live);
        for span in &mut self.spans {
            let (start, len) = *span;
            let new = names.len() as u32;
            names.push_str(&self.names[start as usize..(start + len) as usize]);
            *span = (new, len);
        }
        self.names = names;
    }

    /// The extra of student `l`, made if it has none.
    fn extra_mut(&mut self, l: usize) -> &mut Extra {
        let x = match self.extra_index(l) {
            Ok(x) => x,
            Err(x) => {
                self.extras.insert(x, (l as u32, Extra::default()));
                x
            }
        };
        &mut self.extras[x].1
    }

    /// Forgets the extra of student `l` if nothing is left in it.
    fn tidy_extra(&mut self, l: usize) {
        if let Ok(x) = self.extra_index(l)
            && self.extras[x].1.is_empty()
        {
            self.extras.remove(x);
        }
    }
}

/// A run of students as kept: names one after the other (with `spans` into them), and
/// `width` packed marks per student.
pub(crate) struct RunRef<'a> {
    pub names: &'a str,
    pub spans: &'a [(u32, u32)],
    pub marks: &'a [u64],
}

/// The students of a course, in roster order, each with one mark per assessment.
#[derive(Clone)]
pub struct Roster {
    /// Marks per student: the course's assessments (an empty roster takes the width of
    /// the first student added).
    width: usize,
    len: usize,
    /// Students per run when built ([`CHUNK`]; fewer in tests, to cross runs often).
    run: usize,
    chunks: Vec<Arc<Chunk>>,
    /// The index of each run's first student.
    starts: Vec<usize>,
    /// A student was added with another number of marks than the width: the roster is
    /// not one row per student, and validation refuses it.
    ragged: bool,
}

impl Default for Roster {
    fn default() -> Self {
        Roster::new(0)
    }
}

impl Roster {
    /// An empty roster for a course of `width` assessments.
    pub fn new(width: usize) -> Self {
        Roster {
            width,
            len: 0,
            run: CHUNK,
            chunks: Vec::new(),
            starts: Vec::new(),
            ragged: false,
        }
    }

    /// A roster of these students, each with `width` marks (the caller checks).
    pub fn from_students(width: usize, students: impl IntoIterator<Item = Student>) -> Self {
        let mut roster = Roster::new(width);
        roster.extend(students);
        roster
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Marks per student: the number of assessments.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Which run holds student `i`, and where in it.
    fn locate(&self, i: usize) -> (usize, usize) {
        let k = self.starts.partition_point(|&s| s <= i) - 1;
        (k, i - self.starts[k])
    }

    pub fn get(&self, i: usize) -> Option<StudentRef<'_>> {
        (i < self.len).then(|| self.at(i))
    }

    /// Student `i`; panics past the end, as indexing does.
    pub fn at(&self, i: usize) -> StudentRef<'_> {
        assert!(i < self.len, "student {i} of {}", self.len);
        let (k, l) = self.locate(i);
        self.chunks[k].get(l, self.width)
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter {
            chunks: &self.chunks,
            width: self.width,
            front: (0, 0),
            left: self.len,
        }
    }

    /// Every student as an owned value.
    pub fn to_students(&self) -> Vec<Student> {
        self.iter().map(StudentRef::to_owned).collect()
    }

    /// Every name, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.chunks.iter().flat_map(|c| {
            c.spans
                .iter()
                .map(|&(start, len)| &c.names[start as usize..(start + len) as usize])
        })
    }

    /// The runs of students as they are kept (for the file and for checks).
    pub(crate) fn runs(&self) -> impl Iterator<Item = RunRef<'_>> + '_ {
        self.chunks.iter().map(|c| RunRef {
            names: &c.names,
            spans: &c.spans,
            marks: &c.marks,
        })
    }

    /// Whether every student has `width` marks (a roster built from a list whose students
    /// do not is refused by validation before anything reads it by rows).
    pub fn is_rectangular(&self) -> bool {
        !self.ragged
            && self
                .chunks
                .iter()
                .all(|c| c.marks.len() == c.spans.len() * self.width)
    }

    /// Every student's name's hash ([`super::name_hash`]), in order.
    pub fn name_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.chunks.iter().flat_map(|c| c.hashes.iter().copied())
    }

    /// Every student's name and id, in order (what tells them apart), without making
    /// each student whole.
    pub fn identities(&self) -> Identities<'_> {
        Identities {
            chunks: &self.chunks,
            k: 0,
            l: 0,
            x: 0,
            left: self.len,
        }
    }

    /// The students with a profile or late days and comments: index, profile, notes.
    pub fn extras(&self) -> impl Iterator<Item = (usize, &Profile, &[CellNote])> + '_ {
        self.chunks
            .iter()
            .zip(&self.starts)
            .flat_map(|(c, &start)| {
                c.extras
                    .iter()
                    .map(move |(l, e)| (start + *l as usize, &e.profile, e.notes.as_slice()))
            })
    }

    /// How many students are withdrawn (found among the few with a profile).
    pub fn withdrawn_count(&self) -> usize {
        self.extras().filter(|(_, p, _)| p.withdrawn()).count()
    }

    /// How many students [`Roster::extras`] gives.
    pub fn extra_count(&self) -> usize {
        self.chunks.iter().map(|c| c.extras.len()).sum()
    }

    fn reindex(&mut self) {
        self.chunks.retain(|c| c.len() > 0);
        self.starts.clear();
        let mut at = 0;
        for c in &self.chunks {
            self.starts.push(at);
            at += c.len();
        }
        self.len = at;
    }

    /// Splits run `k` while it is longer than twice the run length.
    fn split_long(&mut self, k: usize) {
        let mut k = k;
        while self.chunks[k].len() > 2 * self.run {
            let tail = Arc::make_mut(&mut self.chunks[k]).split_off(self.run, self.width);
            self.chunks.insert(k + 1, Arc::new(tail));
            k += 1;
        }
    }

    /// Adds a student at the end (with `width` marks: the course checks).
    pub fn push(&mut self, student: Student) {
        self.push_parts(
            &student.name,
            &student.marks,
            student.profile,
            student.notes,
        );
    }

    /// Adds a student at the end from their parts: `marks` has `width` marks (the course
    /// checks), `notes` are sorted by assessment.
    pub fn push_parts(
        &mut self,
        name: &str,
        marks: &[Mark],
        profile: Profile,
        notes: Vec<CellNote>,
    ) {
        if self.is_empty() {
            self.width = marks.len();
        } else if marks.len() != self.width {
            self.ragged = true;
        }
        let extra = Extra { profile, notes };
        match self.chunks.last_mut() {
            Some(c) if c.len() < self.run => Arc::make_mut(c).push_parts(name, marks, extra),
            _ => {
                let mut c = Chunk::default();
                c.push_parts(name, marks, extra);
                self.chunks.push(Arc::new(c));
                self.starts.push(self.len);
            }
        }
        self.len += 1;
    }

    /// Inserts students at `index` (≤ len), each with `width` marks (the course checks).
    pub(crate) fn insert_many(&mut self, index: usize, students: Vec<Student>) {
        if index == self.len {
            self.extend(students);
            return;
        }
        let (k, l) = self.locate(index);
        let width = self.width;
        let chunk = Arc::make_mut(&mut self.chunks[k]);
        let tail = chunk.split_off(l, width);
        for s in students {
            chunk.push(s);
        }
        chunk.append(tail);
        self.split_long(k);
        self.reindex();
    }

    /// Removes students `index..index + count` (in range) and returns them.
    pub(crate) fn remove_many(&mut self, index: usize, count: usize) -> Vec<Student> {
        let removed = (index..index + count)
            .map(|i| self.at(i).to_owned())
            .collect();
        let mut left = count;
        while left > 0 {
            let (k, l) = self.locate(index);
            let width = self.width;
            let chunk = Arc::make_mut(&mut self.chunks[k]);
            let take = left.min(chunk.len() - l);
            let tail = chunk.split_off(l + take, width);
            chunk.split_off(l, width);
            chunk.append(tail);
            left -= take;
            self.reindex();
        }
        if self.is_empty() {
            self.chunks.clear();
        }
        removed
    }

    fn chunk_mut(&mut self, i: usize) -> (&mut Chunk, usize) {
        let (k, l) = self.locate(i);
        (Arc::make_mut(&mut self.chunks[k]), l)
    }

    /// Renames student `i` (< len); returns the old name.
    pub(crate) fn set_name(&mut self, i: usize, name: &str) -> String {
        let (chunk, l) = self.chunk_mut(i);
        let old = chunk.name(l).to_string();
        chunk.spans[l] = chunk.push_name(name);
        chunk.hashes[l] = super::name_hash(name);
        chunk.compact();
        old
    }

    /// Replaces student `i`'s profile (< len); returns the old one.
    pub(crate) fn set_profile(&mut self, i: usize, profile: Profile) -> Profile {
        let (chunk, l) = self.chunk_mut(i);
        let old = std::mem::replace(&mut chunk.extra_mut(l).profile, profile);
        chunk.tidy_extra(l);
        old
    }

    /// Replaces cell `a` of student `i` (both in range); returns what it was.
    pub(crate) fn set_cell(&mut self, i: usize, a: usize, cell: Cell) -> Cell {
        let width = self.width;
        let (chunk, l) = self.chunk_mut(i);
        let old = chunk.get(l, width).cell(a);
        chunk.marks[l * width + a] = packed::pack(cell.mark);
        let notes = &mut chunk.extra_mut(l).notes;
        set_note(notes, a, &cell);
        chunk.tidy_extra(l);
        old
    }

    /// Inserts a column at `a` (≤ width) holding `cells`, one per student.
    pub(crate) fn insert_column(&mut self, a: usize, cells: Vec<Cell>) {
        let width = self.width;
        let mut cells = cells.into_iter();
        for c in &mut self.chunks {
            let chunk = Arc::make_mut(c);
            let mut marks = Vec::with_capacity(chunk.len() * (width + 1));
            for l in 0..chunk.len() {
                let cell = cells.next().unwrap_or_default();
                let row = &chunk.marks[l * width..(l + 1) * width];
                marks.extend_from_slice(&row[..a]);
                marks.push(packed::pack(cell.mark));
                marks.extend_from_slice(&row[a..]);
                let shifted = chunk.extra(l).is_some();
                if shifted {
                    let notes = &mut chunk.extra_mut(l).notes;
                    for n in notes.iter_mut().filter(|n| n.assessment >= a) {
                        n.assessment += 1;
                    }
                }
                if cell.late_days > 0 || cell.comment.is_some() {
                    set_note(&mut chunk.extra_mut(l).notes, a, &cell);
                }
            }
            chunk.marks = marks;
        }
        self.width += 1;
    }

    /// Removes column `a` (< width); returns its cells, one per student.
    pub(crate) fn remove_column(&mut self, a: usize) -> Vec<Cell> {
        let width = self.width;
        let mut cells = Vec::with_capacity(self.len);
        for c in &mut self.chunks {
            let chunk = Arc::make_mut(c);
            let mut marks = Vec::with_capacity(chunk.len() * (width - 1));
            for l in 0..chunk.len() {
                cells.push(chunk.get(l, width).cell(a));
                let row = &chunk.marks[l * width..(l + 1) * width];
                marks.extend_from_slice(&row[..a]);
                marks.extend_from_slice(&row[a + 1..]);
            }
            for (_, e) in &mut chunk.extras {
                e.notes.retain(|n| n.assessment != a);
                for n in e.notes.iter_mut().filter(|n| n.assessment > a) {
                    n.assessment -= 1;
                }
            }
            chunk.extras.retain(|(_, e)| !e.is_empty());
            chunk.marks = marks;
        }
        // An empty roster's width is set again by its first student.
        self.width = self.width.saturating_sub(1);
        cells
    }

    /// Adds a run of students read from a file: their names one after the other,
    /// `spans` into them (on character boundaries: the reader checks), `width` packed
    /// marks each (checked afterwards by the course).
    pub(crate) fn push_run(
        &mut self,
        names: String,
        spans: Vec<(u32, u32)>,
        hashes: Vec<u64>,
        marks: Vec<u64>,
    ) {
        debug_assert_eq!(marks.len(), spans.len() * self.width);
        debug_assert_eq!(hashes.len(), spans.len());
        if spans.is_empty() {
            return;
        }
        let len = spans.len();
        self.chunks.push(Arc::new(Chunk {
            names,
            spans,
            hashes,
            marks,
            extras: Vec::new(),
        }));
        self.starts.push(self.len);
        self.len += len;
    }

    /// Gives student `i` (< len) this profile and these notes (the file reader's sparse
    /// list; the caller checks).
    pub(crate) fn set_extra(&mut self, i: usize, profile: Profile, notes: Vec<CellNote>) {
        let (chunk, l) = self.chunk_mut(i);
        let extra = chunk.extra_mut(l);
        extra.profile = profile;
        extra.notes = notes;
        chunk.tidy_extra(l);
    }
}

/// Puts `cell`'s late days and comment in `notes` (sorted by assessment) at `a`.
fn set_note(notes: &mut Vec<CellNote>, a: usize, cell: &Cell) {
    let at = notes.binary_search_by_key(&a, |n| n.assessment);
    match (at, cell.note(a)) {
        (Ok(i), Some(note)) => notes[i] = note,
        (Ok(i), None) => {
            notes.remove(i);
        }
        (Err(i), Some(note)) => notes.insert(i, note),
        (Err(_), None) => {}
    }
}

impl Extend<Student> for Roster {
    fn extend<I: IntoIterator<Item = Student>>(&mut self, students: I) {
        for s in students {
            self.push(s);
        }
    }
}

impl FromIterator<Student> for Roster {
    /// The width is the first student's number of marks.
    fn from_iter<I: IntoIterator<Item = Student>>(iter: I) -> Self {
        let mut roster = Roster::default();
        roster.extend(iter);
        roster
    }
}

impl From<Vec<Student>> for Roster {
    fn from(students: Vec<Student>) -> Self {
        students.into_iter().collect()
    }
}

impl PartialEq for Roster {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && (self.is_empty() || self.width == other.width)
            && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Roster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Roster {
    type Item = StudentRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The students of a roster in order, run by run.
#[derive(Clone)]
pub struct Iter<'a> {
    chunks: &'a [Arc<Chunk>],
    width: usize,
    /// The next run and the next student in it.
    front: (usize, usize),
    left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = StudentRef<'a>;

    fn next(&mut self) -> Option<StudentRef<'a>> {
        if self.left == 0 {
            return None;
        }
        let (mut k, mut l) = self.front;
        while l >= self.chunks[k].len() {
            k += 1;
            l = 0;
        }
        self.front = (k, l + 1);
        self.left -= 1;
        Some(self.chunks[k].get(l, self.width))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Each student's name and id, in order: see [`Roster::identities`].
#[derive(Clone)]
pub struct Identities<'a> {
    chunks: &'a [Arc<Chunk>],
    /// The next run, the next student in it, and the next of its extras.
    k: usize,
    l: usize,
    x: usize,
    left: usize,
}

impl<'a> Identities<'a> {
    fn step(&mut self) -> Option<(&'a Chunk, usize, Option<&'a str>)> {
        if self.left == 0 {
            return None;
        }
        while self.l >= self.chunks[self.k].len() {
            (self.k, self.l, self.x) = (self.k + 1, 0, 0);
        }
        let chunk = &*self.chunks[self.k];
        let l = self.l;
        let id = match chunk.extras.get(self.x) {
            Some((i, e)) if *i as usize == l => {
                self.x += 1;
                e.profile.id.as_deref()
            }
            _ => None,
        };
        self.l += 1;
        self.left -= 1;
        Some((chunk, l, id))
    }
}

impl<'a> Iterator for Identities<'a> {
    type Item = (&'a str, Option<&'a str>);

    fn next(&mut self) -> Option<Self::Item> {
        self.step().map(|(chunk, l, id)| (chunk.name(l), id))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Identities<'_> {}

/// One student, borrowed from a roster (or from a [`Student`]).
#[derive(Clone, Copy, PartialEq)]
pub struct StudentRef<'a> {
    pub name: &'a str,
    /// Id, e-mail, section, status and the teacher's private note.
    pub profile: &'a Profile,
    /// One per assessment of the course, in order.
    pub marks: Marks<'a>,
    /// Late days and comments, by assessment, sorted; only cells that have any.
    pub notes: &'a [CellNote],
}

impl fmt::Debug for StudentRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Student")
            .field("name", &self.name)
            .field("profile", self.profile)
            .field("marks", &self.marks)
            .field("notes", &self.notes)
            .finish()
    }
}

impl<'a> StudentRef<'a> {
    fn note(&self, a: usize) -> Option<&'a CellNote> {
        let notes = self.notes;
        notes
            .binary_search_by_key(&a, |n| n.assessment)
            .ok()
            .map(|i| &notes[i])
    }

    /// Mark `a` (empty past the end).
    pub fn mark(&self, a: usize) -> Mark {
        self.marks.get(a).unwrap_or_default()
    }

    /// Cell `a` whole (an empty cell past the end).
    pub fn cell(&self, a: usize) -> Cell {
        let mark = self.mark(a);
        match self.note(a) {
            Some(n) => Cell {
                mark,
                late_days: n.late_days,
                comment: n.comment.clone(),
            },
            None => mark.into(),
        }
    }

    /// Every cell, in assessment order.
    pub fn cells(self) -> impl Iterator<Item = Cell> + 'a {
        (0..self.marks.len()).map(move |a| self.cell(a))
    }

    pub fn late_days(&self, a: usize) -> u32 {
        self.note(a).map_or(0, |n| n.late_days)
    }

    pub fn comment(&self, a: usize) -> Option<&'a str> {
        self.note(a).and_then(|n| n.comment.as_deref())
    }

    /// The student as an owned value (for a command that removes or re-adds them).
    pub fn to_owned(self) -> Student {
        Student {
            name: self.name.to_string(),
            profile: self.profile.clone(),
            marks: self.marks.iter().collect(),
            notes: self.notes.to_vec(),
        }
    }
}

impl Student {
    /// This student as a roster lends one.
    pub fn view(&self) -> StudentRef<'_> {
        StudentRef {
            name: &self.name,
            profile: &self.profile,
            marks: Marks(MarksOf::Plain(&self.marks)),
            notes: &self.notes,
        }
    }
}

/// A student's marks, one per assessment.
#[derive(Clone, Copy)]
pub struct Marks<'a>(MarksOf<'a>);

#[derive(Clone, Copy)]
enum MarksOf<'a> {
    Packed(&'a [u64]),
    Plain(&'a [Mark]),
}

impl<'a> Marks<'a> {
    pub fn len(&self) -> usize {
        match self.0 {
            MarksOf::Packed(m) => m.len(),
            MarksOf::Plain(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, a: usize) -> Option<Mark> {
        match self.0 {
            MarksOf::Packed(m) => m.get(a).map(|&b| packed::unpack(b)),
            MarksOf::Plain(m) => m.get(a).copied(),
        }
    }

    pub fn iter(&self) -> MarksIter<'a> {
        MarksIter {
            marks: *self,
            front: 0,
            back: self.len(),
        }
    }

    pub fn contains(&self, mark: Mark) -> bool {
        self.iter().any(|m| m == mark)
    }

    pub fn to_vec(&self) -> Vec<Mark> {
        self.iter().collect()
    }
}

impl PartialEq for Marks<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl PartialEq<Vec<Mark>> for Marks<'_> {
    fn eq(&self, other: &Vec<Mark>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().copied())
    }
}

impl fmt::Debug for Marks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for Marks<'a> {
    type Item = Mark;
    type IntoIter = MarksIter<'a>;

    fn into_iter(self) -> MarksIter<'a> {
        self.iter()
    }
}

/// A student's marks in order.
#[derive(Clone)]
pub struct MarksIter<'a> {
    marks: Marks<'a>,
    front: usize,
    back: usize,
}

impl MarksIter<'_> {
    fn at(&self, a: usize) -> Mark {
        match self.marks.0 {
            MarksOf::Packed(m) => packed::unpack(m[a]),
            MarksOf::Plain(m) => m[a],
        }
    }
}

impl Iterator for MarksIter<'_> {
    type Item = Mark;

    fn next(&mut self) -> Option<Mark> {
        (self.front < self.back).then(|| {
            self.front += 1;
            self.at(self.front - 1)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for MarksIter<'_> {
    fn next_back(&mut self) -> Option<Mark> {
        (self.front < self.back).then(|| {
            self.back -= 1;
            self.at(self.back)
        })
    }
}

impl ExactSizeIterator for MarksIter<'_> {}

/// In a file's undo steps and in files of version 2, a roster is a list of students.
impl Serialize for Roster {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|s| StudentOut {
            name: s.name,
            profile: s.profile,
            marks: MarksOut(s.marks),
            notes: s.notes,
        }))
    }
}

/// A student as [`Student`] is written.
#[derive(Serialize)]
#[serde(rename = "Student")]
struct StudentOut<'a> {
    name: &'a str,
    profile: &'a Profile,
    marks: MarksOut<'a>,
    notes: &'a [CellNote],
}

struct MarksOut<'a>(Marks<'a>);

impl Serialize for MarksOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for Roster {
    /// Students read from a file must all have as many marks as the first: the roster
    /// keeps them one row each.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let students = Vec::<Student>::deserialize(deserializer)?;
        if let Some(first) = students.first()
            && let Some(other) = students.iter().find(|s| s.marks.len() != first.marks.len())
        {
            return Err(serde::de::Error::custom(format!(
                "{} has {} grades where {} has {}",
                crate::text::quote(&other.name),
                other.marks.len(),
                crate::text::quote(&first.name),
                first.marks.len()
            )));
        }
        Ok(Roster::from(students))
    }
}

#[cfg(test)]
mod tests {
    //! The roster against a plain list of students, with runs of three so that every
    //! change crosses runs, and copies that must not see later changes.

    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(usize, Vec<Student>),
        Remove(usize, usize),
        Rename(usize, String),
        Profile(usize, Option<String>),
        Cell(usize, usize, Cell),
        InsertColumn(usize, Vec<Cell>),
        RemoveColumn(usize),
    }

    fn cell() -> impl Strategy<Value = Cell> {
        (
            prop_oneof![
                Just(Mark::Empty),
                Just(Mark::Excused),
                Just(Mark::Missing),
                (0.0..200.0f64).prop_map(Mark::Points)
            ],
            0u32..3,
            proptest::option::of("[a-z]{1,4}"),
        )
            .prop_map(|(mark, late, comment)| Cell {
                mark,
                late_days: if matches!(mark, Mark::Points(_)) {
                    late
                } else {
                    0
                },
                comment,
            })
    }

    fn student(width: usize) -> impl Strategy<Value = Student> {
        ("[A-Za-zé ]{1,12}", proptest::collection::vec(cell(), width))
            .prop_map(|(name, cells)| Student::with_cells(name, cells))
    }

    fn op(width: usize) -> impl Strategy<Value = Op> {
        prop_oneof![
            (
                any::<usize>(),
                proptest::collection::vec(student(width), 1..8)
            )
                .prop_map(|(i, s)| Op::Insert(i, s)),
            (any::<usize>(), 1usize..6).prop_map(|(i, n)| Op::Remove(i, n)),
            (any::<usize>(), "[a-z]{1,30}").prop_map(|(i, n)| Op::Rename(i, n)),
            (any::<usize>(), proptest::option::of("[0-9]{1,5}"))
                .prop_map(|(i, id)| Op::Profile(i, id)),
            (any::<usize>(), any::<usize>(), cell()).prop_map(|(i, a, c)| Op::Cell(i, a, c)),
            (any::<usize>(), proptest::collection::vec(cell(), 0..40))
                .prop_map(|(a, c)| Op::InsertColumn(a, c)),
            any::<usize>().prop_map(Op::RemoveColumn),
        ]
    }

    fn apply(roster: &mut Roster, list: &mut Vec<Student>, width: &mut usize, op: Op) {
        let n = list.len();
        match op {
            Op::Insert(i, students) => {
                let i = i % (n + 1);
                let students: Vec<Student> = students
                    .into_iter()
                    .map(|mut s| {
                        s.marks.resize(*width, Mark::Empty);
                        s.notes.retain(|x| x.assessment < *width);
                        s
                    })
                    .collect();
                roster.insert_many(i, students.clone());
                list.splice(i..i, students);
            }
            Op::Remove(i, count) if n > 0 => {
                let i = i % n;
                let count = count.min(n - i);
                let removed = roster.remove_many(i, count);
                let expected: Vec<Student> = list.drain(i..i + count).collect();
                assert_eq!(removed, expected);
            }
            Op::Rename(i, name) if n > 0 => {
                let i = i % n;
                let old = roster.set_name(i, &name);
                assert_eq!(old, std::mem::replace(&mut list[i].name, name));
            }
            Op::Profile(i, id) if n > 0 => {
                let i = i % n;
                let p = Profile {
                    id,
                    ..Profile::default()
                };
                let old = roster.set_profile(i, p.clone());
                assert_eq!(old, std::mem::replace(&mut list[i].profile, p));
            }
            Op::Cell(i, a, cell) if n > 0 && *width > 0 => {
                let (i, a) = (i % n, a % *width);
                let old = roster.set_cell(i, a, cell.clone());
                assert_eq!(old, list[i].cell(a));
                let mut cells: Vec<Cell> = list[i].cells().collect();
                cells[a] = cell;
                let s = &list[i];
                let mut new = Student::with_cells(s.name.clone(), cells);
                new.profile = s.profile.clone();
                list[i] = new;
            }
            Op::InsertColumn(a, mut cells) => {
                let a = a % (*width + 1);
                cells.resize(n, Cell::default());
                roster.insert_column(a, cells.clone());
                for (s, cell) in list.iter_mut().zip(cells) {
                    let mut all: Vec<Cell> = s.cells().collect();
                    all.insert(a, cell);
                    let mut new = Student::with_cells(s.name.clone(), all);
                    new.profile = std::mem::take(&mut s.profile);
                    *s = new;
                }
                *width += 1;
            }
            Op::RemoveColumn(a) if *width > 0 => {
                let a = a % *width;
                let cells = roster.remove_column(a);
                let mut expected = Vec::new();
                for s in list.iter_mut() {
                    let mut all: Vec<Cell> = s.cells().collect();
                    expected.push(all.remove(a));
                    let mut new = Student::with_cells(s.name.clone(), all);
                    new.profile = std::mem::take(&mut s.profile);
                    *s = new;
                }
                assert_eq!(cells, expected);
                *width -= 1;
            }
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn a_roster_behaves_as_a_list_of_students(
            width in 0usize..4,
            ops in proptest::collection::vec(op(3), 1..40),
        ) {
            let mut roster = Roster::new(width);
            roster.run = 3;
            let mut list: Vec<Student> = Vec::new();
            let mut width = width;
            for op in ops {
                let before = roster.clone();
                let kept = list.clone();
                apply(&mut roster, &mut list, &mut width, op);
                prop_assert_eq!(roster.to_students(), list.clone());
                prop_assert_eq!(roster.len(), list.len());
                prop_assert!(roster.chunks.iter().all(|c| c.len() > 0 && c.len() <= 6));
                for c in &roster.chunks {
                    let hashes: Vec<u64> = (0..c.len()).map(|l| crate::model::name_hash(c.name(l))).collect();
                    prop_assert_eq!(&c.hashes, &hashes);
                }
                prop_assert_eq!(before.to_students(), kept, "a copy does not change");
                for (i, s) in list.iter().enumerate() {
                    prop_assert_eq!(roster.at(i), s.view());
                }
            }
        }

        #[test]
        fn marks_pack_and_unpack(bits in any::<u64>(), p in 0.0..1e6f64) {
            prop_assert_eq!(packed::unpack(packed::pack(Mark::Points(p))), Mark::Points(p));
            if packed::is_valid(bits) {
                prop_assert_eq!(packed::pack(packed::unpack(bits)), bits);
            }
        }
    }

    #[test]
    fn runs_build_the_same_roster() {
        let students: Vec<Student> = (0..2500)
            .map(|i| {
                Student::with_cells(
                    format!("S{i}"),
                    [Cell::points(f64::from(i % 7)), Mark::Excused.into()],
                )
            })
            .collect();
        let mut roster = Roster::new(2);
        for run in students.chunks(CHUNK) {
            let names: String = run.iter().map(|s| s.name.as_str()).collect();
            let mut start = 0;
            let spans = run
                .iter()
                .map(|s| {
                    start += s.name.len() as u32;
                    (start - s.name.len() as u32, s.name.len() as u32)
                })
                .collect();
            let marks = run
                .iter()
                .flat_map(|s| s.marks.iter().map(|&m| packed::pack(m)))
                .collect();
            let hashes = run
                .iter()
                .map(|s| super::super::name_hash(&s.name))
                .collect();
            roster.push_run(names, spans, hashes, marks);
        }
        assert_eq!(roster.to_students(), students);
        assert_eq!(roster.chunks.len(), 3);
        assert_eq!(roster.at(2048).name, "S2048");
    }
}

//! The teacher's data: courses with their syllabus (categories, letters, late policy),
//! students, assessments, grade cells and study observations.
//!
//! Everything here is plain data plus validation. Changes go through [`Command`] and
//! [`Gradebook::apply`], so that every change can be validated once and undone exactly.

mod cell;
mod command;
mod course;
mod history;
mod identity;
mod letters;
mod ops;
mod roster;
mod study;
mod validate;

pub use cell::{Cell, CellNote, MAX_COMMENT_CHARS, MAX_LATE_DAYS, Mark};
pub use command::{CellEntry, Command};
pub use course::{Vouched, check_cell, first_bad_row, mark_limits};
pub use history::{Editor, Outcome, Saved, SavedRef, Step, UNDO_LIMIT};
pub use identity::{
    LmsIds, MAX_EMAIL_CHARS, MAX_ID_CHARS, MAX_NOTE_CHARS, Profile, Status, StudentIndex,
    check_profile, check_roster, name_clashes, same_id,
};
pub use letters::{LetterGrade, LetterScheme, round2};
pub use ops::{Preview, Standings, cell_words, needed_words};
pub use roster::{CHUNK, Identities, Marks, MarksIter, PARALLEL_FROM, Roster, StudentRef, packed};
pub use study::{ObservationRef, Study};
pub use validate::{
    MAX_ASSESSMENTS, MAX_CATEGORIES, MAX_COURSES, MAX_DROP, MAX_OBSERVATIONS, MAX_STUDENTS,
    check_assessment_name, check_comment, check_hours, check_late_policy, check_name, check_points,
    check_positive, check_score, check_stored_name, fmt_num, is_computed_name, is_hidden,
    parse_number,
};

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::predictor::TrainedModel;

/// Longest name, in characters, a course, category, student or assessment may have.
pub const MAX_NAME_CHARS: usize = 100;
/// Name of the assessment created the first time a grade is entered in an empty course.
pub const DEFAULT_ASSESSMENT: &str = "Grade";
/// Name of the category a new course starts with (and every course of file version 1).
pub const DEFAULT_CATEGORY: &str = "Grades";

/// Everything a teacher keeps: the courses and the one last used.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Gradebook {
    /// Courses in the order the teacher created them.
    pub courses: Vec<Course>,
    /// Index of the course last used, the default for commands without `--course`.
    pub current: Option<usize>,
}

/// One course: its syllabus, roster, assessments, grades and study-hours data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    pub name: String,
    /// When anything in this course last changed.
    pub last_updated: DateTime<Utc>,
    /// The syllabus's categories, in order; at least one.
    pub categories: Vec<Category>,
    pub assessments: Vec<Assessment>,
    /// Students; each has one cell per assessment, in the same order.
    pub students: Roster,
    pub letters: LetterScheme,
    /// Points late work loses, if the course takes any.
    pub late_policy: Option<LatePolicy>,
    /// Weekly study hours against test score, the predictor's data.
    pub study: Study,
    /// The last trained study-hours model, if any.
    pub model: Option<TrainedModel>,
}

/// A group of assessments and its weight in the final grade: "Homework 20%, lowest two
/// dropped".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub name: String,
    /// Relative weight in the final grade, ≥ 0 (a weight of 0 still shows its percent).
    pub weight: f64,
    /// How many of its lowest items are dropped (those whose removal helps most).
    pub drop_lowest: u32,
    pub mode: CategoryMode,
}

/// How a category turns its items into a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CategoryMode {
    /// The mean of percents, weighted by assessment weight.
    Mean,
    /// Total points over total max points.
    Points,
}

/// A graded piece of work: a quiz, an exam...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub name: String,
    /// Index of its category.
    pub category: usize,
    /// Relative weight within its category (mean mode).
    pub weight: f64,
    /// Points for a perfect result.
    pub max_points: f64,
    /// Adds to its category's numerator only.
    pub extra_credit: bool,
    /// Never dropped.
    pub never_drop: bool,
    /// The LMS's id for it (Canvas's assignment id), kept for the way back.
    pub lms_id: Option<String>,
}

/// A student, who they are, and their cells, one per assessment of the course.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Student {
    pub name: String,
    /// Id, e-mail, section, status and the teacher's private note.
    pub profile: Profile,
    /// `marks[i]` is what the student has in `assessments[i]`.
    pub marks: Vec<Mark>,
    /// Late days and comments, by assessment, sorted; only cells that have any.
    pub notes: Vec<CellNote>,
}

/// Late work loses `per_day` percent of the max points a day, at most `max` percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatePolicy {
    pub per_day: f64,
    pub max: f64,
}

/// One study-hours data point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Weekly study hours, 0 to 168.
    pub hours: f64,
    /// Test score, 0 to 100.
    pub score: f64,
    /// The student this observation belongs to, by name, if any.
    pub student: Option<String>,
}

impl Category {
    /// A category with the defaults: weight 1, nothing dropped, mean of percents.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            weight: 1.0,
            drop_lowest: 0,
            mode: CategoryMode::Mean,
        }
    }
}

impl CategoryMode {
    pub fn name(self) -> &'static str {
        match self {
            CategoryMode::Mean => "mean",
            CategoryMode::Points => "points",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "mean" => Some(CategoryMode::Mean),
            "points" | "total" => Some(CategoryMode::Points),
            _ => None,
        }
    }
}

impl LatePolicy {
    /// Points after the penalty for `late_days` days.
    pub fn effective(&self, points: f64, max_points: f64, late_days: u32) -> f64 {
        if late_days == 0 {
            return points;
        }
        let percent = (self.per_day * f64::from(late_days)).min(self.max);
        (points - max_points * percent / 100.0).max(0.0)
    }
}

impl Assessment {
    /// An assessment with the defaults: category 0, weight 1, 100 points, neither extra
    /// credit nor never dropped.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            category: 0,
            weight: 1.0,
            max_points: 100.0,
            extra_credit: false,
            never_drop: false,
            lms_id: None,
        }
    }
}

impl Course {
    /// An empty course, with one category `Grades` and the default letters.
    pub fn new(name: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            name: name.into(),
            last_updated: now,
            categories: vec![Category::named(DEFAULT_CATEGORY)],
            assessments: Vec::new(),
            students: Roster::default(),
            letters: LetterScheme::default(),
            late_policy: None,
            study: Study::default(),
            model: None,
        }
    }

    /// Index of the category with this name, ignoring case.
    pub fn find_category(&self, name: &str) -> Option<usize> {
        find_by_name(self.categories.iter().map(|c| c.name.as_str()), name)
    }

    /// Category `k`'s share of the final, in percent (none when no category weighs
    /// anything).
    pub fn category_share(&self, k: usize) -> Option<f64> {
        let total: f64 = self.categories.iter().map(|c| c.weight).sum();
        (total > 0.0).then(|| self.categories[k].weight / total * 100.0)
    }

    /// The assessments of category `k`, in course order.
    pub fn assessments_in(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.assessments.len()).filter(move |&a| self.assessments[a].category == k)
    }

    /// Index of the assessment with this name, ignoring case and surrounding spaces.
    pub fn find_assessment(&self, name: &str) -> Option<usize> {
        find_by_name(self.assessments.iter().map(|a| a.name.as_str()), name)
    }

    /// A student's final grade in percent (the current grade of PRODUCT.md 2.1).
    pub fn final_grade(&self, student: StudentRef<'_>) -> Option<f64> {
        crate::grading::Plan::of(self).final_grade(student)
    }

    /// Whether the trained model no longer matches the observations.
    pub fn model_is_stale(&self) -> bool {
        self.model.as_ref().is_some_and(|m| {
            m.fingerprint != crate::predictor::fingerprint(self.study.hours(), self.study.scores())
        })
    }
}

/// Whether two names are the same name as a person reads them: trimmed, compared after
/// Unicode normalisation and full case folding (`émile` typed precomposed or decomposed,
/// `STRASSE` and `straße`), invisible joiners ignored. Used for uniqueness everywhere.
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() && !a.contains("  ") && !b.contains("  ") {
        return a.eq_ignore_ascii_case(b);
    }
    fold(a).eq(fold(b))
}

/// The characters of a name as [`same_name`] compares them: NFD(casefold(NFD(name))),
/// the canonical caseless match of Unicode (D145), without default-ignorable joiners, and
/// every run of spaces of any kind one plain space. For ASCII, its lower case with runs
/// of spaces made one.
fn fold(s: &str) -> impl Iterator<Item = char> + '_ {
    use caseless::Caseless;
    use unicode_normalization::UnicodeNormalization;
    let folded: Box<dyn Iterator<Item = char>> = if s.is_ascii() {
        Box::new(s.chars().map(|c| c.to_ascii_lowercase()))
    } else {
        Box::new(
            s.nfd()
                .default_case_fold()
                .nfd()
                .filter(|&c| !validate::is_ignorable(c))
                .map(|c| if c.is_whitespace() { ' ' } else { c }),
        )
    };
    let mut after_space = false;
    folded.filter(move |&c| {
        let repeat = c == ' ' && after_space;
        after_space = c == ' ';
        !repeat
    })
}

/// A 64-bit hash of a name as [`same_name`] compares it: a hash of its key's bytes
/// ([`name_key`]), eight at a time. An ASCII name without double spaces, most names, is
/// lower-cased eight bytes at a time on the way, with no key built.
pub fn name_hash(name: &str) -> u64 {
    let b = name.as_bytes();
    // Stored names have no spaces around them: trimming is then a no-op.
    let name = match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => name,
        _ => name.trim(),
    };
    let bytes = name.as_bytes();
    if name.is_ascii() {
        let mut h = KeyHasher::new(bytes.len());
        let mut words = bytes.chunks_exact(8);
        let mut last_space = false;
        let mut double = false;
        for w in words.by_ref() {
            let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            double |= has_double_space(word, last_space);
            last_space = w[7] == b' ';
            h.word(ascii_lower(word));
        }
        let rest = words.remainder();
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        let word = u64::from_le_bytes(tail);
        double |= has_double_space(word, last_space);
        if !double {
            if !rest.is_empty() {
                h.word(ascii_lower(word));
            }
            return h.finish();
        }
    }
    let key: String = fold(name).collect();
    let mut h = KeyHasher::new(key.len());
    let mut words = key.as_bytes().chunks_exact(8);
    for w in words.by_ref() {
        h.word(u64::from_le_bytes([
            w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
        ]));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        h.word(u64::from_le_bytes(tail));
    }
    h.finish()
}

/// Hashes a key eight bytes at a time (the last word padded with zeros; the length
/// mixed in first).
struct KeyHasher(u64);

impl KeyHasher {
    fn new(len: usize) -> Self {
        KeyHasher(0x243f_6a88_85a3_08d3 ^ len as u64)
    }

    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    /// Finalised so that every bit depends on every byte.
    fn finish(self) -> u64 {
        let h = self.0;
        let h = (h ^ (h >> 32)).wrapping_mul(0xd6e8_feb8_6659_fd93);
        h ^ (h >> 32)
    }
}

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight ASCII bytes lower-cased: 0x20 added to each byte from `A` to `Z`.
fn ascii_lower(w: u64) -> u64 {
    let at_least_a = w + LOW * (0x80 - u64::from(b'A'));
    let above_z = w + LOW * (0x80 - u64::from(b'Z') - 1);
    let upper = at_least_a & !above_z & HIGH;
    w | (upper >> 2)
}

/// Whether eight ASCII bytes hold two spaces in a row (or begin with one after a space).
/// May say yes for some `!` after a space too: that only sends the name the slow way.
fn has_double_space(w: u64, after_space: bool) -> bool {
    let x = w ^ (LOW * u64::from(b' '));
    let spaces = x.wrapping_sub(LOW) & !x & HIGH;
    spaces & (spaces >> 8) != 0 || (after_space && spaces & 0x80 != 0)
}

/// The first name that repeats an earlier one (ignoring case), checking a whole roster
/// in one pass without allocating a string per name.
pub fn find_duplicate<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let names = names.into_iter();
    let mut seen: HashMap<u64, &'a str, BuildHasherDefault<PassThrough>> =
        HashMap::with_capacity_and_hasher(names.size_hint().0, BuildHasherDefault::default());
    for name in names {
        match seen.entry(name_hash(name)) {
            Entry::Vacant(slot) => {
                slot.insert(name);
            }
            Entry::Occupied(first) if same_name(first.get(), name) => return Some(name),
            // Two different names with the same 64-bit hash: settle it the slow way.
            Entry::Occupied(_) => return find_duplicate_slowly(seen.into_values().chain([name])),
        }
    }
    None
}

fn find_duplicate_slowly<'a>(names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    names.into_iter().find(|n| !seen.insert(name_key(n)))
}

/// A hasher for keys that are already good 64-bit hashes.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A name as a search matches it: case folded and without accents, so that `chloe` finds
/// Chloé and `muller` finds Müller.
pub fn search_key(name: &str) -> String {
    use caseless::Caseless;
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let name = name.trim();
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    name.nfd()
        .default_case_fold()
        .nfd()
        .filter(|&c| !is_combining_mark(c) && !validate::is_ignorable(c))
        .collect()
}

/// Whether `name` contains `needle`, a [`search_key`]; no allocation for ASCII names, so
/// filtering a large class keeps up with typing.
pub fn name_matches(name: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if name.is_ascii() && needle.is_ascii() {
        let (name, needle) = (name.as_bytes(), needle.as_bytes());
        return needle.len() <= name.len()
            && name
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle));
    }
    search_key(name).contains(needle)
}

/// The key under which two names count as the same (see [`same_name`]).
pub fn name_key(name: &str) -> String {
    let name = name.trim();
    if name.is_ascii() && !name.contains("  ") {
        return name.to_ascii_lowercase();
    }
    fold(name).collect()
}

fn find_by_name<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> Option<usize> {
    names.position(|n| same_name(n, name))
}

impl Gradebook {
    /// Index of the course with this name, ignoring case.
    pub fn find_course(&self, name: &str) -> Option<usize> {
        find_by_name(self.courses.iter().map(|c| c.name.as_str()), name)
    }

    /// The course last used, if it still exists.
    pub fn current_course(&self) -> Option<usize> {
        self.current.filter(|&i| i < self.courses.len())
    }
}

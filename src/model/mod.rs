//! The teacher's data: courses, students, assessments, grades and study observations.
//!
//! Everything here is plain data plus validation. Changes go through [`Command`] and
//! [`Gradebook::apply`], so that every change can be validated once and undone exactly.

mod command;
mod history;
mod ops;
mod study;
mod validate;

pub use command::{Command, GradeEntry};
pub use history::{Editor, Outcome, UNDO_LIMIT};
pub use study::{ObservationRef, Study};
pub use validate::{
    MAX_ASSESSMENTS, MAX_COURSES, MAX_OBSERVATIONS, MAX_STUDENTS, check_assessment_name,
    check_hours, check_name, check_points, check_positive, check_score, check_stored_name, fmt_num,
    is_computed_name, is_hidden, parse_number,
};

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::predictor::TrainedModel;

/// Longest name, in characters, a course, student or assessment may have.
pub const MAX_NAME_CHARS: usize = 100;
/// Name of the assessment created the first time a grade is entered in an empty course.
pub const DEFAULT_ASSESSMENT: &str = "Grade";

/// Everything a teacher keeps: the courses and the one last used.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Gradebook {
    /// Courses in the order the teacher created them.
    pub courses: Vec<Course>,
    /// Index of the course last used, the default for commands without `--course`.
    pub current: Option<usize>,
}

/// One course: its roster, assessments, grades and study-hours data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    pub name: String,
    /// When anything in this course last changed.
    pub last_updated: DateTime<Utc>,
    pub assessments: Vec<Assessment>,
    /// Students; each has one grade slot per assessment, in the same order.
    pub students: Vec<Student>,
    pub thresholds: Thresholds,
    /// Weekly study hours against test score, the predictor's data.
    pub study: Study,
    /// The last trained study-hours model, if any.
    pub model: Option<TrainedModel>,
}

/// A graded piece of work: a quiz, an exam...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub name: String,
    /// Relative weight in the final grade, > 0.
    pub weight: f64,
    /// Points for a perfect result, > 0.
    pub max_points: f64,
}

/// A student and their points, one slot per assessment of the course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Student {
    pub name: String,
    /// `grades[i]` is the points in `assessments[i]`, `None` when not graded.
    pub grades: Vec<Option<f64>>,
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

/// Lowest final grade (percent) for each letter; below `d` is F.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            a: 90.0,
            b: 80.0,
            c: 70.0,
            d: 60.0,
        }
    }
}

impl Thresholds {
    /// The letter for a final grade in percent.
    pub fn letter(&self, percent: f64) -> char {
        if percent >= self.a {
            'A'
        } else if percent >= self.b {
            'B'
        } else if percent >= self.c {
            'C'
        } else if percent >= self.d {
            'D'
        } else {
            'F'
        }
    }
}

impl Assessment {
    /// An assessment with the defaults: weight 1, 100 points.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            weight: 1.0,
            max_points: 100.0,
        }
    }
}

impl Course {
    /// An empty course.
    pub fn new(name: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            name: name.into(),
            last_updated: now,
            assessments: Vec::new(),
            students: Vec::new(),
            thresholds: Thresholds::default(),
            study: Study::default(),
            model: None,
        }
    }

    /// Index of the student with this name, ignoring case and surrounding spaces.
    pub fn find_student(&self, name: &str) -> Option<usize> {
        find_by_name(self.students.iter().map(|s| s.name.as_str()), name)
    }

    /// Index of the assessment with this name, ignoring case and surrounding spaces.
    pub fn find_assessment(&self, name: &str) -> Option<usize> {
        find_by_name(self.assessments.iter().map(|a| a.name.as_str()), name)
    }

    /// A student's final grade in percent: Σ wᵢ·percentᵢ / Σ wᵢ over graded assessments.
    pub fn final_grade(&self, student: &Student) -> Option<f64> {
        final_grade(&self.assessments, &student.grades)
    }

    /// Whether the trained model no longer matches the observations.
    pub fn model_is_stale(&self) -> bool {
        self.model.as_ref().is_some_and(|m| {
            m.fingerprint != crate::predictor::fingerprint(self.study.hours(), self.study.scores())
        })
    }
}

/// Final grade in percent over the graded assessments, `None` if none is graded.
pub fn final_grade(assessments: &[Assessment], grades: &[Option<f64>]) -> Option<f64> {
    let mut weighted = 0.0;
    let mut weights = 0.0;
    for (a, g) in assessments.iter().zip(grades) {
        if let Some(points) = g {
            weighted += a.weight * (points / a.max_points * 100.0);
            weights += a.weight;
        }
    }
    (weights > 0.0).then(|| weighted / weights)
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

/// A 64-bit hash of a name as [`same_name`] compares it.
pub fn name_hash(name: &str) -> u64 {
    let step = |h: u64, c: u32| (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
    let name = name.trim();
    let h = if name.is_ascii() && !name.contains("  ") {
        name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            step(h, u32::from(b.to_ascii_lowercase()))
        })
    } else {
        fold(name).fold(0xcbf2_9ce4_8422_2325, |h, c| step(h, c as u32))
    };
    // Finalise (MurmurHash3's fmix64) so that every bit depends on every character.
    let h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    let h = (h ^ (h >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
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

//! Who a student is beyond a name: an id unique in the course, an e-mail, a section, whether
//! they are enrolled or withdrawn, and a private note; and finding a student by what a
//! teacher types (an id, or a name that may be shared).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::validate::{check_name, is_hidden};
use super::{Course, name_hash, same_name};
use crate::error::ModelError;
use crate::text::quote;

/// Longest id, in characters (LMS ids are far shorter).
pub const MAX_ID_CHARS: usize = 64;
/// Longest e-mail address (RFC 5321's limit on a path).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest private note on a student, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Enrolled, or withdrawn: a withdrawn student keeps their grades but is left out of the
/// statistics and ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Status {
    #[default]
    Active,
    Withdrawn,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "active" | "enrolled" | "" => Some(Status::Active),
            "withdrawn" | "inactive" => Some(Status::Withdrawn),
            _ => None,
        }
    }
}

/// Everything about a student but their name and grades; every part optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    /// Unique in the course when set: a school or LMS id.
    pub id: Option<String>,
    pub email: Option<String>,
    pub section: Option<String>,
    pub status: Status,
    /// The teacher's own note, never exported to an LMS.
    pub note: Option<String>,
    /// What the learning management systems call them, kept for the way back.
    pub lms: LmsIds,
}

/// A student's identity in the LMS exports they came from, kept as it was so that an
/// export back to the LMS matches them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LmsIds {
    /// Canvas's own user id (`ID`), which Canvas matches on first.
    pub canvas_id: Option<String>,
    /// Canvas's `SIS User ID` (the school's number), as the file had it.
    pub sis_user_id: Option<String>,
    /// Canvas's `SIS Login ID`.
    pub sis_login_id: Option<String>,
    /// The two parts of the name (Moodle, Classroom).
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

impl LmsIds {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Profile {
    pub fn withdrawn(&self) -> bool {
        self.status == Status::Withdrawn
    }

    /// `id 1002, section B, withdrawn`: what tells two students apart, for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.id {
            parts.push(format!("id {id}"));
        }
        if let Some(email) = &self.email {
            parts.push(email.clone());
        }
        if let Some(section) = &self.section {
            parts.push(format!("section {section}"));
        }
        if self.withdrawn() {
            parts.push("withdrawn".into());
        }
        parts.join(", ")
    }
}

/// Whether two ids are the same id: ASCII case ignored (`s-1001` is `S-1001`).
pub fn same_id(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// A field with no control, invisible or direction-changing character, trimmed; `None`
/// when empty.
fn clean_field(
    what: &str,
    text: Option<String>,
    max: usize,
    newlines: bool,
) -> Result<Option<String>, ModelError> {
    let Some(text) = text else { return Ok(None) };
    // Windows line ends are line ends.
    let text = if newlines {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(ModelError::invalid(format!(
            "{what} is at most {max} characters"
        )));
    }
    let bad = |c: char| {
        let allowed = newlines && (c == '\n' || c == '\t');
        (c.is_control() && !allowed) || is_hidden(c)
    };
    if trimmed.chars().any(bad) {
        return Err(ModelError::invalid(format!(
            "{what} cannot contain control, invisible or direction-changing characters: {}",
            quote(trimmed)
        )));
    }
    Ok(Some(trimmed.to_string()))
}

/// Checks a profile and returns it trimmed, empty parts as none.
pub fn check_profile(p: Profile) -> Result<Profile, ModelError> {
    let id = clean_field("an id", p.id, MAX_ID_CHARS, false)?;
    // Spaces inside an id are the school's (`GE 30012`); line and paragraph breaks are not.
    if let Some(id) = &id
        && id.chars().any(|c| c.is_whitespace() && c != ' ')
    {
        return Err(ModelError::invalid(format!(
            "an id holds plain spaces only (no tabs, line breaks or other spaces): {}",
            quote(id)
        )));
    }
    let email = clean_field("an e-mail address", p.email, MAX_EMAIL_CHARS, false)?;
    if let Some(email) = &email {
        let shaped = email.split('@').count() == 2
            && !email.starts_with('@')
            && !email.ends_with('@')
            && !email.chars().any(char::is_whitespace);
        if !shaped {
            return Err(ModelError::invalid(format!(
                "an e-mail address is one name@place, not {}",
                quote(email)
            )));
        }
    }
    let section = match p.section {
        Some(s) if !s.trim().is_empty() => Some(check_name("section", &s)?),
        _ => None,
    };
    let note = clean_field("a note", p.note, MAX_NOTE_CHARS, true)?;
    let lms = LmsIds {
        canvas_id: clean_field("a Canvas id", p.lms.canvas_id, MAX_ID_CHARS, false)?,
        sis_user_id: clean_field("an SIS user id", p.lms.sis_user_id, MAX_ID_CHARS, false)?,
        sis_login_id: clean_field(
            "an SIS login id",
            p.lms.sis_login_id,
            MAX_EMAIL_CHARS,
            false,
        )?,
        first_name: clean_field("a first name", p.lms.first_name, 100, false)?,
        last_name: clean_field("a last name", p.lms.last_name, 100, false)?,
    };
    Ok(Profile {
        id,
        email,
        section,
        status: p.status,
        note,
        lms,
    })
}

/// Checks that a roster tells its students apart: ids unique, and a name shared only by
/// students who all have an id. `students` gives each one's name and id.
///
/// One pass puts a hash of each name (and id) in an open-addressing table of 8-byte
/// slots; a name whose hash is already there is set aside with the first of it. Only
/// those few are then compared as text: if those two may share it, all who share it have
/// ids. Two different names with one hash send the whole roster the slow way.
pub fn check_roster<'a>(
    students: impl ExactSizeIterator<Item = (&'a str, Option<&'a str>)> + Clone,
) -> Result<(), ModelError> {
    let hashes = students.clone().map(|(name, _)| name_hash(name));
    let ids = students
        .clone()
        .enumerate()
        .filter_map(|(i, (_, id))| id.map(|id| (i, id)));
    check_hashed_roster(hashes, ids, students)
}

/// [`check_roster`] of students whose names' hashes are known: every name's hash in
/// order, the students who have an id (index, id), and every student's name and id in
/// order (read again only where hashes meet).
pub fn check_hashed_roster<'a>(
    hashes: impl Iterator<Item = u64>,
    ids: impl Iterator<Item = (usize, &'a str)>,
    students: impl Iterator<Item = (&'a str, Option<&'a str>)> + Clone,
) -> Result<(), ModelError> {
    check_clashes(name_clashes(hashes), ids, students)
}

/// The students whose names' hashes meet, `(first, later)`, from every name's hash in
/// order: what [`check_clashes`] takes.
pub fn name_clashes(hashes: impl Iterator<Item = u64>) -> Vec<(usize, usize)> {
    clashes(hashes.enumerate())
}

/// [`check_hashed_roster`] with the names' clashes found already ([`name_clashes`]).
pub fn check_clashes<'a>(
    names: Vec<(usize, usize)>,
    ids: impl Iterator<Item = (usize, &'a str)>,
    students: impl Iterator<Item = (&'a str, Option<&'a str>)> + Clone,
) -> Result<(), ModelError> {
    let ids = clashes(ids.map(|(i, id)| (i, id_hash(id))));
    if names.is_empty() && ids.is_empty() {
        return Ok(());
    }
    // The students of the clashes, by index.
    let mut wanted: Vec<usize> = names
        .iter()
        .chain(&ids)
        .flat_map(|&(a, b)| [a, b])
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = HashMap::with_capacity(wanted.len());
    let mut next = wanted.iter().peekable();
    for (i, s) in students.clone().enumerate() {
        if next.peek() == Some(&&i) {
            found.insert(i, s);
            next.next();
        }
    }
    let get = |i: usize| found.get(&i).copied().unwrap_or(("", None));
    if let Some(&(a, b)) = ids.first() {
        let (id_a, id_b) = (get(a).1.unwrap_or(""), get(b).1.unwrap_or(""));
        if same_id(id_a, id_b) {
            return Err(ModelError::invalid(format!(
                "another student has the id {}",
                quote(id_b)
            )));
        }
        // Two different ids under one hash (`É1` and `é1`): the ids the slow way, then
        // the names all the same.
        check_ids_slowly(students.clone())?;
    }
    for &(a, b) in &names {
        let ((name_a, id_a), (name_b, id_b)) = (get(a), get(b));
        if !same_name(name_a, name_b) {
            return check_names_slowly(students);
        }
        if id_a.is_none() || id_b.is_none() {
            return Err(shared_name(name_b));
        }
    }
    Ok(())
}

/// Pairs `(first, later)` of the items whose keys share a hash, `later` compared only
/// with the first of its hash. Items are `(index, key)` in order, indexes below 2^20.
///
/// The keys are first spread by their top byte into 256 buckets (in order), then each
/// bucket goes through an open-addressing table small enough to stay in the cache.
fn clashes(keys: impl Iterator<Item = (usize, u64)>) -> Vec<(usize, usize)> {
    const INDEX: u64 = (1 << 20) - 1;
    // Each key with its item's index in its low 20 bits.
    let packed: Vec<u64> = keys.map(|(i, h)| (h & !INDEX) | i as u64).collect();
    let mut starts = [0usize; 257];
    for &k in &packed {
        starts[(k >> 56) as usize + 1] += 1;
    }
    for b in 0..256 {
        starts[b + 1] += starts[b];
    }
    let mut spread = vec![0u64; packed.len()];
    let mut at = starts;
    for &k in &packed {
        let b = (k >> 56) as usize;
        spread[at[b]] = k;
        at[b] += 1;
    }
    let mut found = Vec::new();
    let mut table: Vec<u64> = Vec::new();
    for b in 0..256 {
        let bucket = &spread[starts[b]..starts[b + 1]];
        if bucket.len() < 2 {
            continue;
        }
        // At most three quarters full: few probes.
        let size = (bucket.len() + bucket.len() / 3 + 1).next_power_of_two();
        table.clear();
        table.resize(size, u64::MAX);
        for &k in bucket {
            let mut slot = (k >> 20) as usize & (size - 1);
            loop {
                let held = table[slot];
                if held == u64::MAX {
                    table[slot] = k;
                    break;
                }
                if held & !INDEX == k & !INDEX {
                    found.push(((held & INDEX) as usize, (k & INDEX) as usize));
                    break;
                }
                slot = (slot + 1) & (size - 1);
            }
        }
    }
    found.sort_unstable_by_key(|&(_, later)| later);
    found
}

/// A hash under which ids [`same_id`] takes for one fall together: a name's hash (which
/// also ignores more than ASCII case, sending such rare pairs the slow way).
fn id_hash(id: &str) -> u64 {
    name_hash(id)
}

/// [`check_roster`]'s rule on ids, by their full text.
fn check_ids_slowly<'a>(
    students: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<(), ModelError> {
    let mut seen = std::collections::HashSet::new();
    for id in students.filter_map(|(_, id)| id) {
        if !seen.insert(id.trim().to_ascii_lowercase()) {
            return Err(ModelError::invalid(format!(
                "another student has the id {}",
                quote(id)
            )));
        }
    }
    Ok(())
}

pub(super) fn shared_name(name: &str) -> ModelError {
    ModelError::invalid(format!(
        "a student named {} already exists (two may share a name when each has an id)",
        quote(name)
    ))
}

/// [`check_roster`]'s rule on names, by their full keys.
fn check_names_slowly<'a>(
    students: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<(), ModelError> {
    let mut first: HashMap<String, bool> = HashMap::new();
    for (name, id) in students {
        match first.entry(super::name_key(name)) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id.is_some());
            }
            std::collections::hash_map::Entry::Occupied(slot) => {
                if !(*slot.get() && id.is_some()) {
                    return Err(shared_name(name));
                }
            }
        }
    }
    Ok(())
}

/// A course's students by id and by name, for finding many at once (an import).
pub struct StudentIndex<'a> {
    course: &'a Course,
    by_id: HashMap<String, usize>,
    by_name: HashMap<u64, Vec<usize>>,
}

impl<'a> StudentIndex<'a> {
    pub fn of(course: &'a Course) -> Self {
        let roster = &course.students;
        let by_id = roster
            .extras()
            .filter_map(|(i, p, _)| p.id.as_ref().map(|id| (id.to_ascii_lowercase(), i)))
            .collect();
        let mut by_name: HashMap<u64, Vec<usize>> = HashMap::with_capacity(roster.len());
        for (i, hash) in roster.name_hashes().enumerate() {
            by_name.entry(hash).or_default().push(i);
        }
        Self {
            course,
            by_id,
            by_name,
        }
    }

    /// The student with this id (ASCII case ignored).
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(id.trim().to_ascii_lowercase().as_str())
            .copied()
    }

    /// As [`Course::lookup_student`]: by id, else by name, an error when shared (an id
    /// that is another student's name included).
    pub fn lookup(&self, query: &str) -> Result<Option<usize>, ModelError> {
        let matches: Vec<usize> = self
            .by_name
            .get(&name_hash(query))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| same_name(self.course.students.at(i).name, query))
            .collect();
        self.course.one_of(query, self.by_id(query), matches)
    }
}

impl Course {
    /// The student with the id `query` unless another is named so too (an id that is
    /// also another student's name names neither for sure), else the one student of
    /// `matches` (by name), none, or an error naming the candidates.
    fn one_of(
        &self,
        query: &str,
        by_id: Option<usize>,
        mut matches: Vec<usize>,
    ) -> Result<Option<usize>, ModelError> {
        if let Some(i) = by_id {
            if matches.iter().all(|&m| m == i) {
                return Ok(Some(i));
            }
            matches.insert(0, i);
        }
        match matches.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            many => Err(ModelError::Ambiguous {
                name: query.trim().to_string(),
                candidates: many
                    .iter()
                    .take(10)
                    .map(|&i| self.describe_student(i))
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }

    /// The student a teacher means by `query`: the one with that id, else the one with
    /// that name. `None` when there is none; an error naming the candidates when the name
    /// is shared.
    pub fn lookup_student(&self, query: &str) -> Result<Option<usize>, ModelError> {
        let query = query.trim();
        // The names' kept hashes first (a name is compared as text only when its hash is
        // the query's); ids among the few students with a profile.
        let hash = name_hash(query);
        let matches: Vec<usize> = self
            .students
            .name_hashes()
            .enumerate()
            .filter(|&(i, h)| h == hash && same_name(self.students.at(i).name, query))
            .map(|(i, _)| i)
            .collect();
        let by_id = self
            .students
            .extras()
            .find(|(_, p, _)| p.id.as_deref().is_some_and(|id| same_id(id, query)))
            .map(|(i, _, _)| i);
        self.one_of(query, by_id, matches)
    }

    /// The student `query` names, which must exist.
    pub fn student(&self, query: &str) -> Result<usize, ModelError> {
        self.lookup_student(query)?
            .ok_or_else(|| ModelError::UnknownStudent(query.trim().to_string()))
    }

    /// `Maria García (id 1002, section B)`, or just the name.
    pub fn describe_student(&self, s: usize) -> String {
        let Some(student) = self.students.get(s) else {
            return String::new();
        };
        let more = student.profile.describe();
        if more.is_empty() {
            student.name.to_string()
        } else {
            format!("{} ({more})", student.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items whose keys share a hash are paired with the first of it; the rest never.
    #[test]
    fn clashes_pair_each_item_with_the_first_of_its_hash() {
        let keys = [
            Some(7 << 20),
            None,
            Some(9 << 20),
            Some(7 << 20),
            Some(7 << 20),
            None,
        ];
        let some = |keys: &[Option<u64>]| {
            let keys: Vec<(usize, u64)> = keys
                .iter()
                .enumerate()
                .filter_map(|(i, k)| k.map(|h| (i, h)))
                .collect();
            clashes(keys.into_iter())
        };
        assert_eq!(some(&keys), [(0, 3), (0, 4)]);
        assert!(some(&[Some(1 << 20), Some(2 << 20), Some(3 << 20)]).is_empty());
    }

    /// The slow ways, taken when two different names or ids share a hash, keep the rule.
    #[test]
    fn the_slow_ways_keep_the_rule() {
        let ok = [("Ann", Some("1")), ("ann", Some("2")), ("Bob", None)];
        assert!(check_names_slowly(ok.into_iter()).is_ok());
        assert!(check_ids_slowly(ok.into_iter()).is_ok());
        let shared = [("Ann", Some("1")), ("Bob", None), ("ANN", None)];
        assert!(check_names_slowly(shared.into_iter()).is_err());
        let twice = [("Ann", Some("x1")), ("Bob", Some("X1 "))];
        assert!(check_ids_slowly(twice.into_iter()).is_err());
    }
}

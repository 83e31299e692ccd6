//! Gradebook exports of learning management systems, in and out (PRODUCT.md 2.3):
//! Canvas, Moodle and Google Classroom. Each system's reader (`canvas.rs`, `moodle.rs`,
//! `classroom.rs`) turns its file into an [`LmsFile`] (students with their identity,
//! assessments with max points and ids, cells); [`plan`] matches it against a course and
//! makes the one command that imports it. Each system's writer makes the file the LMS
//! takes back.

pub mod canvas;
pub mod classroom;
pub mod moodle;

use std::collections::HashMap;

use super::{ImportError, Lines, Problems, csv_problem, strip_bom};
use crate::model::{
    Assessment, Cell, CellEntry, Command, Course, LmsIds, Mark, Profile, Student, check_points,
    check_profile, fmt_num, same_name,
};
use crate::text::{count, quote};

/// The systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum System {
    Canvas,
    Moodle,
    Classroom,
}

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Canvas => "Canvas",
            System::Moodle => "Moodle",
            System::Classroom => "Google Classroom",
        }
    }
}

/// A CSV record with the line it starts on.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

impl Row {
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.as_str())
    }
}

/// A file's records, read with its separator.
pub struct Table {
    pub rows: Vec<Row>,
}

/// Reads `bytes` as CSV with `separator`; a UTF-8 BOM is dropped, CRLF is one line end.
fn read_table(bytes: &[u8], separator: u8) -> Result<Table, ImportError> {
    let bytes = strip_bom(bytes);
    let mut lines = Lines::new(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_problem(&e, &mut lines))?;
        let line = lines.of(&record);
        rows.push(Row {
            line,
            fields: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(Table { rows })
}

/// Which systems a header row could be from, the likeliest first.
fn systems_of(header: &[String]) -> Vec<System> {
    let has = |name: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    let first = header.first().map_or("", |h| h.trim());
    let mut systems = Vec::new();
    if first == "Student" && has("ID") && has("Section") {
        systems.push(System::Canvas);
    }
    // Moodle's marks: display types on grade items, its ID number, its download time.
    let moodle_like = header.iter().any(|h| {
        let h = h.trim();
        h.ends_with(" (Real)")
            || h.ends_with(" (Percentage)")
            || h.ends_with(" (Letter)")
            || h.eq_ignore_ascii_case("id number")
            || h.eq_ignore_ascii_case("last downloaded from this course")
    });
    let classroom = first.eq_ignore_ascii_case("last name")
        && header
            .get(1)
            .is_some_and(|h| h.trim().eq_ignore_ascii_case("first name"));
    let moodle = has("first name") && (has("last name") || has("surname"));
    match (classroom, moodle, moodle_like) {
        (true, true, true) => systems.extend([System::Moodle, System::Classroom]),
        (true, _, _) => systems.push(System::Classroom),
        (false, true, _) => systems.push(System::Moodle),
        _ => {}
    }
    systems
}

/// Reads an LMS export: recognises the separator and the system from the header (the
/// first two lines, for Classroom's class-name line), checks it against `from`.
pub fn read(bytes: &[u8], from: Option<System>) -> Result<(System, Table, usize), ImportError> {
    if std::str::from_utf8(strip_bom(bytes)).is_err() {
        return Err(ImportError::one(None, None, "the file is not UTF-8 text"));
    }
    for separator in [b',', b';', b'\t', b':'] {
        // The separator is the one whose first two records make a header: only they are
        // read for each; the whole file once, with the separator found.
        let first: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(separator)
            .from_reader(strip_bom(bytes))
            .records()
            .take(2)
            .map_while(Result::ok)
            .map(|r| r.iter().map(str::to_string).collect())
            .collect();
        let found = first
            .iter()
            .enumerate()
            .map(|(i, fields)| (systems_of(fields), i))
            .find(|(s, _)| !s.is_empty());
        if let Some((systems, header)) = found {
            let table = read_table(bytes, separator)?;
            // `--from` chooses among the systems the header could be from.
            let system = match from {
                Some(wanted) if systems.contains(&wanted) => wanted,
                Some(wanted) => {
                    return Err(ImportError::one(
                        Some(table.rows[header].line),
                        None,
                        format!(
                            "this is a {} export, not {}: its header says so",
                            systems[0].name(),
                            wanted.name()
                        ),
                    ));
                }
                None => systems[0],
            };
            return Ok((system, table, header));
        }
    }
    let what = match from {
        Some(s) => format!("it is not a {} export", s.name()),
        None => "it is not a Canvas, Moodle or Google Classroom export".into(),
    };
    Err(ImportError::one(
        Some(1),
        None,
        format!(
            "{what}: the header has none of Canvas's Student, ID ... Section, Moodle's \
             First name and Last name, or Classroom's Last Name, First Name, Email Address"
        ),
    ))
}

/// An assessment as an LMS file gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct LmsAssessment {
    pub name: String,
    /// `None`: the file does not say (Moodle).
    pub max_points: Option<f64>,
    pub lms_id: Option<String>,
    /// Its column (1-based), and the line that gives its max points, for messages.
    pub column: u64,
    pub line: u64,
}

/// A cell as an LMS file gives it: a mark (none: no grade) and a comment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LmsCell {
    pub mark: Option<Mark>,
    pub comment: Option<String>,
}

/// A student row.
#[derive(Debug, Clone, PartialEq)]
pub struct LmsStudent {
    pub line: u64,
    pub name: String,
    pub profile: Profile,
    /// One per assessment of the file.
    pub cells: Vec<LmsCell>,
}

/// What an LMS export holds, once read.
#[derive(Debug, Clone, PartialEq)]
pub struct LmsFile {
    pub system: System,
    pub assessments: Vec<LmsAssessment>,
    pub students: Vec<LmsStudent>,
    /// Columns that are neither identity nor grades, and are not read (for the summary):
    /// custom columns, unknown ones.
    pub skipped: Vec<String>,
    /// Columns the LMS computes (totals, scores, percentages, letters), not read.
    pub computed: usize,
}

/// The cell read from column `col` (0-based) of the row on `line`; when it cannot be read,
/// an empty cell, with the problem noted.
pub(super) fn cell_or_problem(
    read: Result<Option<Mark>, String>,
    line: u64,
    col: usize,
    problems: &mut Problems,
) -> LmsCell {
    match read {
        Ok(mark) => LmsCell {
            mark,
            comment: None,
        },
        Err(e) => {
            problems.add(line, Some(col as u64 + 1), e);
            LmsCell::default()
        }
    }
}

/// Reads a grade cell: a number (with a decimal point or comma, whatever the separator),
/// `EX`, or no grade (empty, `-`, `N/A`).
pub fn read_cell(text: &str) -> Result<Option<Mark>, String> {
    let t = text.trim();
    if t.is_empty() || t == "-" || t.eq_ignore_ascii_case("N/A") {
        return Ok(None);
    }
    if t.eq_ignore_ascii_case("EX") {
        return Ok(Some(Mark::Excused));
    }
    read_number(t)
        .map(|p| Some(Mark::Points(p)))
        .ok_or_else(|| format!("a grade is a number, EX, N/A, - or empty, not {}", quote(t)))
}

/// A number of points as LMS files write them: digits with a decimal point or a decimal
/// comma (`13.50`, `13,50`, even with a comma separator when quoted), thousands separated
/// or not (`1,000.50`, `1.000,50`); nothing else (no sign, no exponent).
pub fn read_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    let plain = match t.rfind(['.', ',']) {
        // The last mark is the decimal one when it is a point, when one or two digits
        // follow it, or when another mark comes before it; a lone comma before three
        // digits groups thousands.
        Some(i) => {
            let decimals = &t[i + 1..];
            let decimal =
                t.as_bytes()[i] == b'.' || decimals.len() != 3 || t[..i].contains(['.', ',']);
            let (int, frac) = if decimal {
                (&t[..i], decimals)
            } else {
                (t, "")
            };
            let int: String = int.chars().filter(char::is_ascii_digit).collect();
            if frac.is_empty() {
                int
            } else {
                format!("{int}.{frac}")
            }
        }
        None => t.to_string(),
    };
    plain
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .map(|x| x + 0.0)
}

/// Whether `text` is an e-mail address as a profile takes one.
pub fn is_email(text: &str) -> bool {
    text.contains('@')
        && check_profile(Profile {
            email: Some(text.to_string()),
            ..Profile::default()
        })
        .is_ok()
}

/// The options of an import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Max points for an assessment new to the course when the file gives none.
    pub max_points: Option<f64>,
}

/// What an import changes, in numbers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub system: Option<System>,
    pub students_added: usize,
    pub students_matched: usize,
    pub identities_updated: usize,
    pub assessments_added: usize,
    pub assessments_matched: usize,
    pub grades_set: usize,
    pub comments_set: usize,
    /// New assessments that got the default max points (the file has none).
    pub default_max: Vec<String>,
    /// Assessments whose max points in the file differ from the course's (kept).
    pub max_differs: Vec<String>,
    /// Columns not read (custom, unknown).
    pub skipped: Vec<String>,
    /// Columns the LMS computes, not read.
    pub computed: usize,
}

impl Summary {
    /// The summary in a few lines.
    pub fn text(&self, dry_run: bool) -> String {
        let would = if dry_run { "would be " } else { "" };
        let mut out = format!(
            "{} export: {} {would}added, {} matched{}; {} {would}added, {} matched; {} {would}set{}",
            self.system.map_or("LMS", System::name),
            count(self.students_added, "student"),
            self.students_matched,
            if self.identities_updated > 0 {
                format!(
                    " ({} {would}updated)",
                    count(self.identities_updated, "identity")
                )
            } else {
                String::new()
            },
            count(self.assessments_added, "assessment"),
            self.assessments_matched,
            count(self.grades_set, "grade"),
            if self.comments_set > 0 {
                format!(", {} {would}set", count(self.comments_set, "comment"))
            } else {
                String::new()
            },
        );
        if !self.default_max.is_empty() {
            out.push_str(&format!(
                "\nThe file gives no max points: {} {} 100 (--max-points sets another)",
                self.default_max.join(", "),
                if dry_run { "would get" } else { "got" }
            ));
        }
        if self.computed > 0 {
            out.push_str(&format!(
                "\n{}'s own totals and scores are not read: {}",
                self.system.map_or("The LMS", System::name),
                count(self.computed, "computed column")
            ));
        }
        if !self.skipped.is_empty() {
            let shown: Vec<&str> = self.skipped.iter().take(8).map(String::as_str).collect();
            out.push_str(&format!(
                "\nNot grades, not read: {}{}",
                shown.join(", "),
                if self.skipped.len() > 8 {
                    format!(" and {} more", self.skipped.len() - 8)
                } else {
                    String::new()
                }
            ));
        }
        if !self.max_differs.is_empty() {
            out.push_str(&format!(
                "\nMax points differ from the course's, which are kept: {}",
                self.max_differs.join(", ")
            ));
        }
        out
    }
}

/// A course's students by what LMS rows carry: Canvas id, id, e-mail, name.
struct Roster<'a> {
    course: &'a Course,
    canvas: HashMap<&'a str, Vec<usize>>,
    id: HashMap<String, Vec<usize>>,
    email: HashMap<String, Vec<usize>>,
    name: HashMap<String, Vec<usize>>,
}

impl<'a> Roster<'a> {
    fn of(course: &'a Course) -> Self {
        let mut r = Self {
            course,
            canvas: HashMap::new(),
            id: HashMap::new(),
            email: HashMap::new(),
            name: HashMap::new(),
        };
        for (i, s) in course.students.iter().enumerate() {
            let p = &s.profile;
            if let Some(c) = &p.lms.canvas_id {
                r.canvas.entry(c.as_str()).or_default().push(i);
            }
            if let Some(id) = &p.id {
                r.id.entry(id.to_ascii_lowercase()).or_default().push(i);
            }
            if let Some(e) = &p.email {
                r.email.entry(e.to_lowercase()).or_default().push(i);
            }
            r.name.entry(s.name.to_string()).or_default().push(i);
            // `Last, First` is also the student Moodle and Classroom call `First Last`.
            if let Some((last, first)) = s.name.split_once(',') {
                let other = full_name(first, last);
                r.name.entry(other).or_default().push(i);
            }
            if let (Some(f), Some(l)) = (&p.lms.first_name, &p.lms.last_name) {
                r.name.entry(full_name(f, l)).or_default().push(i);
            }
        }
        r
    }

    /// The students a row is: by LMS id and e-mail (any of them), else by name, but never
    /// one whose own id or e-mail says it is someone else.
    fn find(&self, row: &LmsStudent, system: System) -> Vec<usize> {
        let lms = &row.profile.lms;
        let mut found: Vec<usize> = Vec::new();
        let mut add = |v: Option<&Vec<usize>>| {
            for &i in v.into_iter().flatten() {
                if !found.contains(&i) {
                    found.push(i);
                }
            }
        };
        if system == System::Canvas
            && let Some(c) = &lms.canvas_id
        {
            add(self.canvas.get(c.as_str()));
        }
        if let Some(id) = &row.profile.id {
            add(self.id.get(&id.to_ascii_lowercase()));
        }
        if let Some(e) = &row.profile.email {
            add(self.email.get(&e.to_lowercase()));
        }
        if !found.is_empty() {
            return found;
        }
        let contradicts = |i: &usize| {
            let p = self.course.students.at(*i).profile;
            let ids = matches!((&p.id, &row.profile.id), (Some(a), Some(b)) if !crate::model::same_id(a, b));
            let canvas = matches!((&p.lms.canvas_id, &lms.canvas_id), (Some(a), Some(b)) if a != b);
            let emails = matches!((&p.email, &row.profile.email), (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b));
            ids || canvas || emails
        };
        let mut by_name: Vec<usize> = self
            .name
            .get(&row.name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|i| !contradicts(i))
            .collect();
        by_name.dedup();
        by_name
    }
}

/// Who a matched student is after the import: the LMS's ids, e-mail and section replace
/// the kept ones; an id is filled in where the course has none (ours is never replaced).
fn merged(old: &Profile, file: &Profile) -> Profile {
    let mut p = old.clone();
    let keep = |slot: &mut Option<String>, new: &Option<String>| {
        if slot.is_none() {
            slot.clone_from(new);
        }
    };
    keep(&mut p.id, &file.id);
    // The LMS knows the roster: an e-mail and a section it gives replace ours.
    let set_some = |slot: &mut Option<String>, new: &Option<String>| {
        if new.is_some() {
            slot.clone_from(new);
        }
    };
    set_some(&mut p.email, &file.email);
    set_some(&mut p.section, &file.section);
    // And so do the ids it knows them by.
    let l = &file.lms;
    set_some(&mut p.lms.canvas_id, &l.canvas_id);
    set_some(&mut p.lms.sis_user_id, &l.sis_user_id);
    set_some(&mut p.lms.sis_login_id, &l.sis_login_id);
    set_some(&mut p.lms.first_name, &l.first_name);
    set_some(&mut p.lms.last_name, &l.last_name);
    p
}

/// The command that imports `file` into course `c`, and what it does. All of it, or
/// problems with line and column.
pub fn plan(
    course: &Course,
    c: usize,
    file: &LmsFile,
    options: Options,
) -> Result<(Command, Summary), ImportError> {
    let mut summary = Summary {
        system: Some(file.system),
        skipped: file.skipped.clone(),
        computed: file.computed,
        ..Summary::default()
    };
    let mut problems = Problems::default();
    let mut cmds = Vec::new();

    // Assessments: by LMS id, then by name; new ones at the end.
    let first_new = course.assessments.len();
    let mut target = Vec::with_capacity(file.assessments.len());
    let mut new_assessments: Vec<Assessment> = Vec::new();
    for a in &file.assessments {
        // An assessment of ours takes one column of the file at most: a second column of
        // the same title (Canvas allows it) is a new assessment.
        let free = |target: &[usize], pick: &dyn Fn(&Assessment) -> bool| {
            (0..course.assessments.len())
                .find(|&i| !target.contains(&i) && pick(&course.assessments[i]))
        };
        let existing = a
            .lms_id
            .as_ref()
            .and_then(|id| free(&target, &|x| x.lms_id.as_ref() == Some(id)))
            .or_else(|| free(&target, &|x| same_name(&x.name, &a.name)));
        match existing {
            Some(i) => {
                summary.assessments_matched += 1;
                let ours = &course.assessments[i];
                if a.max_points.is_some_and(|m| m != ours.max_points) {
                    summary.max_differs.push(format!(
                        "{} ({} in the file, {} here)",
                        ours.name,
                        fmt_num(a.max_points.unwrap_or_default()),
                        fmt_num(ours.max_points)
                    ));
                }
                if ours.lms_id.is_none() && a.lms_id.is_some() {
                    cmds.push(Command::EditAssessment {
                        course: c,
                        index: i,
                        assessment: Assessment {
                            lms_id: a.lms_id.clone(),
                            ..ours.clone()
                        },
                    });
                }
                target.push(i);
            }
            None => {
                let max_points = match a.max_points.or(options.max_points) {
                    Some(m) => m,
                    None => {
                        summary.default_max.push(a.name.clone());
                        100.0
                    }
                };
                if let Err(e) = crate::model::check_positive("max points", max_points) {
                    problems.add(a.line, Some(a.column), format!("{}: {e}", quote(&a.name)));
                }
                // Two assignments of one title (Canvas allows it) are told apart by id.
                let taken = |n: &str| {
                    course.assessments.iter().any(|x| same_name(&x.name, n))
                        || new_assessments.iter().any(|x| same_name(&x.name, n))
                };
                let mut name = a.name.clone();
                if taken(&name) {
                    name = match &a.lms_id {
                        Some(id) => format!("{} #{id}", a.name),
                        None => (2..)
                            .map(|k| format!("{} #{k}", a.name))
                            .find(|n| !taken(n))
                            .unwrap_or_default(),
                    };
                }
                target.push(first_new + new_assessments.len());
                new_assessments.push(Assessment {
                    max_points,
                    lms_id: a.lms_id.clone(),
                    category: 0,
                    ..Assessment::named(name)
                });
            }
        }
    }
    summary.assessments_added = new_assessments.len();
    let total = first_new + new_assessments.len();
    let max_of = |k: usize| -> (f64, &str) {
        let a = target[k];
        if a < first_new {
            (
                course.assessments[a].max_points,
                &course.assessments[a].name,
            )
        } else {
            let n = &new_assessments[a - first_new];
            (n.max_points, &n.name)
        }
    };

    // Students: matched by LMS id, e-mail, exact name; two rows for one student refused.
    let roster = Roster::of(course);
    let mut seen_existing: HashMap<usize, u64> = HashMap::new();
    let mut seen_new: HashMap<String, u64> = HashMap::new();
    let mut new_students: Vec<Student> = Vec::new();
    let mut new_lines: Vec<u64> = Vec::new();
    let mut profiles = Vec::new();
    let mut grades = Vec::new();
    for row in &file.students {
        let found = roster.find(row, file.system);
        let existing = match found.as_slice() {
            [] => None,
            [one] => Some(*one),
            many => {
                problems.add(
                    row.line,
                    None,
                    format!(
                        "this row matches more than one student: {}",
                        many.iter()
                            .take(3)
                            .map(|&i| course.describe_student(i))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                );
                continue;
            }
        };
        // Every cell is checked whoever the row is.
        let mut cells = Vec::with_capacity(row.cells.len());
        for (k, cell) in row.cells.iter().enumerate() {
            if let Some(Mark::Points(p)) = cell.mark {
                let (max, name) = max_of(k);
                if let Err(e) = check_points(p, max, name) {
                    problems.add(row.line, Some(file.assessments[k].column), e.to_string());
                }
            }
            cells.push((target[k], cell));
        }
        match existing {
            Some(i) => {
                if let Some(first) = seen_existing.insert(i, row.line) {
                    problems.add(
                        row.line,
                        None,
                        format!(
                            "lines {first} and {} are the same student, {}",
                            row.line,
                            course.describe_student(i)
                        ),
                    );
                    continue;
                }
                summary.students_matched += 1;
                let student = course.students.at(i);
                let profile = merged(student.profile, &row.profile);
                if profile != *student.profile {
                    summary.identities_updated += 1;
                    profiles.push(Command::SetProfile {
                        course: c,
                        student: i,
                        profile,
                    });
                }
                for (a, cell) in cells {
                    let old = if a < first_new {
                        student.cell(a)
                    } else {
                        Cell::default()
                    };
                    let mut new = match cell.mark {
                        // Our exports write a missing mark as 0: it is the same grade.
                        Some(Mark::Points(p)) if p == 0.0 && old.mark == Mark::Missing => {
                            old.clone()
                        }
                        Some(mark) => old.with_mark(mark),
                        None => old.clone(),
                    };
                    if cell.comment.is_some() && cell.comment != old.comment {
                        new.comment.clone_from(&cell.comment);
                        summary.comments_set += 1;
                    }
                    if new != old {
                        if new.mark != old.mark {
                            summary.grades_set += 1;
                        }
                        grades.push(Command::SetCell(CellEntry {
                            course: c,
                            student: i,
                            assessment: a,
                            cell: new,
                        }));
                    }
                }
            }
            None => {
                let key = row
                    .profile
                    .lms
                    .canvas_id
                    .clone()
                    .or_else(|| row.profile.id.as_ref().map(|i| i.to_lowercase()))
                    .or_else(|| row.profile.email.as_ref().map(|e| e.to_lowercase()))
                    .unwrap_or_else(|| row.name.clone());
                if let Some(first) = seen_new.insert(key, row.line) {
                    problems.add(
                        row.line,
                        None,
                        format!(
                            "lines {first} and {} are the same student, {}",
                            row.line,
                            quote(&row.name)
                        ),
                    );
                    continue;
                }
                let mut all = vec![Cell::default(); total];
                for (a, cell) in cells {
                    if let Some(mark) = cell.mark {
                        all[a].mark = mark;
                        summary.grades_set += 1;
                    }
                    if cell.comment.is_some() {
                        all[a].comment.clone_from(&cell.comment);
                        summary.comments_set += 1;
                    }
                }
                let mut student = Student::with_cells(row.name.clone(), all);
                student.profile = row.profile.clone();
                new_students.push(student);
                new_lines.push(row.line);
            }
        }
        if problems.full() {
            break;
        }
    }
    // Students of one name must each have an id: say which rows clash, before the model
    // refuses the whole change without a line.
    let mut named: HashMap<String, (Option<u64>, bool)> = course
        .students
        .iter()
        .map(|s| {
            (
                crate::model::name_key(s.name),
                (None, s.profile.id.is_some()),
            )
        })
        .collect();
    for (student, line) in new_students.iter().zip(&new_lines) {
        let key = crate::model::name_key(&student.name);
        let has_id = student.profile.id.is_some();
        match named.get(&key) {
            Some(&(other, other_id)) if !(has_id && other_id) => problems.add(
                *line,
                None,
                format!(
                    "{} is also {}: two students of one name need an id each{}",
                    quote(&student.name),
                    other.map_or("a student of the course".into(), |l| format!("line {l}")),
                    if file.system == System::Classroom {
                        " (Classroom rows are told apart by their e-mail)"
                    } else {
                        ""
                    }
                ),
            ),
            _ => {
                named.insert(key, (Some(*line), has_id));
            }
        }
    }
    problems.into_result()?;
    summary.students_added = new_students.len();
    for (k, assessment) in new_assessments.into_iter().enumerate() {
        cmds.push(Command::InsertAssessment {
            course: c,
            index: first_new + k,
            assessment,
            cells: Vec::new(),
        });
    }
    if !new_students.is_empty() {
        cmds.push(Command::InsertStudents {
            course: c,
            index: course.students.len(),
            students: new_students,
        });
    }
    cmds.extend(profiles);
    cmds.extend(grades);
    Ok((Command::Batch(cmds), summary))
}

/// Reads an LMS export and plans its import into course `c`.
pub fn import(
    course: &Course,
    c: usize,
    bytes: &[u8],
    from: Option<System>,
    options: Options,
) -> Result<(Command, Summary), ImportError> {
    let (system, table, header) = read(bytes, from)?;
    let file = match system {
        System::Canvas => canvas::parse(&table, header)?,
        System::Moodle => moodle::parse_for(&table, header, Some(course))?,
        System::Classroom => classroom::parse(&table, header)?,
    };
    plan(course, c, &file, options)
}

/// A course written for an LMS, and what the teacher should know before importing it there.
#[derive(Debug)]
pub struct Exported {
    pub text: String,
    /// Excused cells the system cannot hold, written as no grade.
    pub excused: usize,
    /// Titles without an LMS id that end like one, `Chapter (5)`: Canvas would read them as
    /// assignment 5.
    pub id_like: Vec<String>,
}

impl Exported {
    /// One sentence per thing lost or at risk; empty when the file holds everything.
    pub fn caveats(&self, to: System) -> Vec<String> {
        let mut said = Vec::new();
        if self.excused > 0 {
            said.push(format!(
                "{} has no excused mark: {} written as no grade",
                to.name(),
                crate::text::count(self.excused, "excused cell")
            ));
        }
        if !self.id_like.is_empty() {
            let titles: Vec<String> = self.id_like.iter().map(|t| quote(t)).collect();
            said.push(format!(
                "Canvas reads a title ending in a number in parentheses as an assignment id: \
                 rename {} before importing there",
                titles.join(", ")
            ));
        }
        said
    }
}

/// The course as the LMS takes it back.
pub fn export(course: &Course, to: System) -> Result<Exported, csv::Error> {
    let (text, excused, id_like) = match to {
        System::Canvas => {
            let (text, id_like) = canvas::export(course)?;
            (text, 0, id_like)
        }
        System::Moodle => {
            let (text, excused) = moodle::export(course)?;
            (text, excused, Vec::new())
        }
        System::Classroom => {
            let (text, excused) = classroom::export(course)?;
            (text, excused, Vec::new())
        }
    };
    Ok(Exported {
        text,
        excused,
        id_like,
    })
}

/// A number as the LMS files write it: the shortest form that reads back exactly.
pub(crate) fn number(x: f64) -> String {
    super::exact(x)
}

/// A student's first and last name for Moodle and Classroom: the parts kept from an LMS,
/// else `Last, First` split at the comma, else the last word is the last name.
pub(crate) fn name_parts(s: crate::model::StudentRef<'_>) -> (String, String) {
    let l = &s.profile.lms;
    if let (Some(f), Some(last)) = (&l.first_name, &l.last_name) {
        return (f.clone(), last.clone());
    }
    if let Some((last, first)) = s.name.split_once(',') {
        return (first.trim().to_string(), last.trim().to_string());
    }
    match s.name.trim().rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_string(), last.to_string()),
        None => (String::new(), s.name.trim().to_string()),
    }
}

/// A name made of a first and a last name, as Moodle and Classroom rows give them.
pub(crate) fn full_name(first: &str, last: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let name = match (first.trim(), last.trim()) {
        ("", l) => l.to_string(),
        (f, "") => f.to_string(),
        (f, l) => format!("{f} {l}"),
    };
    name.nfc().collect()
}

/// A profile from an LMS row, checked; the problem (with the row's line) if it is not one
/// a student can have.
pub(crate) fn profile_of(
    line: u64,
    id: Option<&str>,
    email: Option<&str>,
    section: Option<&str>,
    lms: LmsIds,
    problems: &mut Problems,
) -> Option<Profile> {
    let text = |t: Option<&str>| {
        t.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let profile = Profile {
        id: text(id),
        email: text(email),
        section: text(section),
        lms,
        ..Profile::default()
    };
    match check_profile(profile) {
        Ok(p) => Some(p),
        Err(e) => {
            problems.add(line, None, e.to_string());
            None
        }
    }
}

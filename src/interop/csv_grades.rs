//! Grades as CSV: a header `student,<assessment>...` (an export adds computed columns, whose
//! headers end in `(computed)`), then one row per student with, per assessment, points,
//! `EX` (excused) or `M` (missing); an empty cell means no grade (and changes nothing on
//! import). Late days and comments travel in JSON only. Columns `id`, `email` and `section`
//! carry who the student is (unless the course has an assessment of that name); a row
//! with an id is matched on it.

use std::collections::HashSet;

use super::{
    ImportError, Lines, Problems, csv_problem, exact, neutralise, restore_text, strip_bom,
};
use crate::model::MAX_ASSESSMENTS;
use crate::model::{
    Assessment, Cell, CellEntry, Command, Course, Mark, Profile, Student, StudentIndex,
    check_assessment_name, check_name, check_points, check_profile, name_key,
};
use crate::stats::Report;
use crate::text::quote;

/// Headers of the columns an export adds: computed from the grades, never imported, and
/// named so that no assessment can be called the same (see [`is_computed`]).
pub const COMPUTED: [&str; 2] = ["final (computed)", "letter (computed)"];

/// Whether a header names a computed column: it ends in `(computed)`, which assessment
/// names may not.
pub fn is_computed(header: &str) -> bool {
    crate::model::is_computed_name(header)
}

/// Who a student is, as grades CSV columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Email,
    Section,
}

const FIELDS: [(Field, &str); 3] = [
    (Field::Id, "id"),
    (Field::Email, "email"),
    (Field::Section, "section"),
];

impl Field {
    fn of(profile: &Profile, field: Field) -> Option<&str> {
        match field {
            Field::Id => profile.id.as_deref(),
            Field::Email => profile.email.as_deref(),
            Field::Section => profile.section.as_deref(),
        }
    }

    fn set(profile: &mut Profile, field: Field, value: String) {
        let slot = match field {
            Field::Id => &mut profile.id,
            Field::Email => &mut profile.email,
            Field::Section => &mut profile.section,
        };
        *slot = Some(value);
    }

    /// The column for `header`, unless an assessment of the course has that name.
    fn from_header(course: &Course, header: &str) -> Option<Field> {
        let (field, _) = FIELDS
            .iter()
            .find(|(_, name)| header.eq_ignore_ascii_case(name))?;
        course.find_assessment(header).is_none().then_some(*field)
    }
}

/// The course's grades as CSV, with final grade and letter; `id`, `email` and `section`
/// columns when some student has one.
pub fn export(course: &Course) -> Result<String, csv::Error> {
    let report = Report::of(course);
    let mut w = csv::Writer::from_writer(Vec::new());
    let fields: Vec<(Field, &str)> = FIELDS
        .iter()
        .copied()
        .filter(|&(f, name)| {
            course.find_assessment(name).is_none()
                && course
                    .students
                    .iter()
                    .any(|s| Field::of(s.profile, f).is_some())
        })
        .collect();
    let mut header = vec!["student"];
    header.extend(fields.iter().map(|f| f.1));
    header.extend(course.assessments.iter().map(|a| a.name.as_str()));
    header.extend(COMPUTED);
    w.write_record(header.iter().map(|h| neutralise(h).into_owned()))?;
    for (s, fin) in course.students.iter().zip(&report.finals) {
        let mut row = vec![neutralise(s.name).into_owned()];
        row.extend(
            fields
                .iter()
                .map(|&(f, _)| neutralise(Field::of(s.profile, f).unwrap_or("")).into_owned()),
        );
        row.extend(s.marks.iter().map(|m| match m {
            Mark::Points(p) => exact(p),
            other => other.text(),
        }));
        row.push(fin.map(exact).unwrap_or_default());
        row.push(
            fin.map(|f| course.letters.letter(f).to_string())
                .unwrap_or_default(),
        );
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What an import would do, for the message after it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub new_students: usize,
    pub updated_students: usize,
    pub new_assessments: usize,
    pub grades: usize,
}

/// Reads grades for course number `c` and returns the one command that makes the change.
pub fn import(course: &Course, c: usize, bytes: &[u8]) -> Result<(Command, Summary), ImportError> {
    let bytes = strip_bom(bytes);
    let mut lines = Lines::new(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err(ImportError::one(
                None,
                None,
                "the file is empty: it needs a header `student,<assessment>...`",
            ));
        }
        Some(r) => r.map_err(|e| csv_problem(&e, &mut lines))?,
    };
    let columns = read_header(course, &header, lines.of(&header))?;
    let mut problems = Problems::default();
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    let index = StudentIndex::of(course);
    for record in records {
        let record = record.map_err(|e| csv_problem(&e, &mut lines))?;
        let line = lines.of(&record);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // blank lines, e.g. at the end
        }
        if let Some(row) = read_row(
            course,
            &index,
            &columns,
            &record,
            line,
            &mut seen,
            &mut problems,
        ) {
            rows.push(row);
        }
        if problems.full() {
            break;
        }
    }
    problems.into_result()?;
    Ok(plan(course, c, &columns, rows))
}

/// Where each CSV column goes.
struct Columns {
    /// For each CSV column after `student`: an existing assessment, a new one, a part of
    /// who the student is, or ignored.
    targets: Vec<Target>,
    /// Assessments the header names that the course does not have yet, in order.
    new: Vec<String>,
}

#[derive(Clone, Copy)]
enum Target {
    Existing(usize),
    New(usize),
    Identity(Field),
    Ignored,
}

fn read_header(
    course: &Course,
    header: &csv::StringRecord,
    line: u64,
) -> Result<Columns, ImportError> {
    let cells: Vec<&str> = header.iter().map(|c| restore_text(c.trim())).collect();
    if !cells
        .first()
        .is_some_and(|c| c.eq_ignore_ascii_case("student"))
    {
        return Err(ImportError::one(
            Some(line),
            Some(1),
            "the header must start with `student`, then one column per assessment",
        ));
    }
    // Exports of gradebook 0.1 ended with `final,letter`, computed columns with names a
    // teacher may also give assessments: which they are is the teacher's to say.
    let n = cells.len();
    if n >= 3 && cells[n - 2] == "final" && cells[n - 1] == "letter" {
        return Err(ImportError::one(
            Some(line),
            Some(n as u64 - 1),
            "the last two columns, final and letter, look like the computed columns of an \
             export from gradebook 0.1: delete them (or, if they are assessments, give them \
             other names)",
        ));
    }
    let mut problems = Problems::default();
    let mut seen = HashSet::new();
    let mut targets = Vec::new();
    let mut new = Vec::new();
    for (i, cell) in cells.iter().enumerate().skip(1) {
        let col = Some(i as u64 + 1);
        if is_computed(cell) {
            targets.push(Target::Ignored);
            continue;
        }
        if let Some(field) = Field::from_header(course, cell) {
            if targets
                .iter()
                .any(|t| matches!(t, Target::Identity(f) if *f == field))
            {
                problems.add(line, col, format!("column {} appears twice", quote(cell)));
            }
            targets.push(Target::Identity(field));
            continue;
        }
        let name = match check_assessment_name(cell) {
            Ok(name) => name,
            Err(e) => {
                problems.add(line, col, e.to_string());
                continue;
            }
        };
        if !seen.insert(name_key(&name)) {
            problems.add(
                line,
                col,
                format!("assessment {} appears twice", quote(&name)),
            );
            continue;
        }
        targets.push(match course.find_assessment(&name) {
            Some(a) => Target::Existing(a),
            None => {
                new.push(name);
                Target::New(new.len() - 1)
            }
        });
    }
    problems.into_result()?;
    let total = course.assessments.len() + new.len();
    if total > MAX_ASSESSMENTS {
        return Err(ImportError::one(
            Some(line),
            None,
            format!(
                "the file would give the course {total} assessments; at most {MAX_ASSESSMENTS} are kept"
            ),
        ));
    }
    Ok(Columns { targets, new })
}

/// One checked row: the student's name, who they are (the parts the file gives), the
/// student it is (`None`: new), and a mark per CSV column (`None`: no change).
struct RowData {
    name: String,
    profile: Profile,
    given: Vec<Field>,
    existing: Option<usize>,
    points: Vec<Option<Mark>>,
}

fn read_row(
    course: &Course,
    index: &StudentIndex,
    columns: &Columns,
    record: &csv::StringRecord,
    line: u64,
    seen: &mut HashSet<String>,
    problems: &mut Problems,
) -> Option<RowData> {
    let expected = columns.targets.len() + 1;
    if record.len() != expected {
        problems.add(
            line,
            None,
            format!("{} cells where the header has {expected}", record.len()),
        );
        return None;
    }
    let name = match check_name("student", restore_text(record[0].trim())) {
        Ok(n) => n,
        Err(e) => {
            problems.add(line, Some(1), e.to_string());
            return None;
        }
    };
    let mut ok = true;
    let mut profile = Profile::default();
    let mut given = Vec::new();
    let mut points = Vec::with_capacity(columns.targets.len());
    for (i, target) in columns.targets.iter().enumerate() {
        let cell = restore_text(record[i + 1].trim());
        let col = Some(i as u64 + 2);
        let (max, label) = match target {
            Target::Ignored => {
                points.push(None);
                continue;
            }
            Target::Identity(field) => {
                points.push(None);
                if !cell.is_empty() {
                    Field::set(&mut profile, *field, cell.to_string());
                    given.push(*field);
                }
                continue;
            }
            Target::Existing(a) => (
                course.assessments[*a].max_points,
                course.assessments[*a].name.as_str(),
            ),
            Target::New(n) => (100.0, columns.new[*n].as_str()),
        };
        if cell.is_empty() {
            points.push(None);
            continue;
        }
        let mark = Mark::parse(cell).and_then(|m| match m {
            Mark::Points(p) => check_points(p, max, label).map(|()| m),
            other => Ok(other),
        });
        match mark {
            Ok(m) => points.push(Some(m)),
            Err(e) => {
                problems.add(line, col, e.to_string());
                ok = false;
            }
        }
    }
    let profile = match check_profile(profile) {
        Ok(p) => p,
        Err(e) => {
            problems.add(line, None, e.to_string());
            return None;
        }
    };
    // The student this row is: by id when it has one, else by name.
    // By id; a student of that name who has no id yet is the one the id is for.
    let by_name = || match index.lookup(&name) {
        Ok(found) => Ok(found),
        Err(e) => Err(e.to_string()),
    };
    let existing = match &profile.id {
        Some(id) => match index.by_id(id) {
            Some(i) => Ok(Some(i)),
            // A new id with a name several students share is a new student.
            None => Ok(by_name()
                .ok()
                .flatten()
                .filter(|&i| course.students.at(i).profile.id.is_none())),
        },
        None => by_name(),
    };
    let existing = match existing {
        Ok(found) => found,
        Err(e) => {
            problems.add(line, Some(1), e);
            return None;
        }
    };
    // One student, one row: a student of ours by who they are (a row with the id and one
    // without are the same student), a new one by id or name. The kinds of key start
    // apart (no name holds a control character).
    let (key, said) = match (existing, &profile.id) {
        (Some(i), _) => (
            format!("\u{1}{i}"),
            format!(
                "student {} appears twice",
                quote(course.students.at(i).name)
            ),
        ),
        (None, Some(id)) => (
            format!("\u{2}{}", id.to_ascii_lowercase()),
            format!("the id {} appears twice", quote(id)),
        ),
        (None, None) => (
            name_key(&name),
            format!("student {} appears twice", quote(&name)),
        ),
    };
    if !seen.insert(key) {
        problems.add(line, Some(1), said);
        return None;
    }
    ok.then_some(RowData {
        name,
        profile,
        given,
        existing,
        points,
    })
}

/// The command that makes the import: new assessments, new students, then every grade.
fn plan(course: &Course, c: usize, columns: &Columns, rows: Vec<RowData>) -> (Command, Summary) {
    let first_new = course.assessments.len();
    let mut cmds: Vec<Command> = columns
        .new
        .iter()
        .enumerate()
        .map(|(i, name)| Command::InsertAssessment {
            course: c,
            index: first_new + i,
            assessment: Assessment::named(name.clone()),
            cells: Vec::new(),
        })
        .collect();
    let mut profiles = Vec::new();
    let mut new_students = Vec::new();
    let mut grades = Vec::new();
    let mut summary = Summary {
        new_assessments: columns.new.len(),
        ..Summary::default()
    };
    let total = first_new + columns.new.len();
    for row in rows {
        let existing_index = row.existing;
        let mut fresh = vec![Cell::default(); total];
        for (target, mark) in columns.targets.iter().zip(row.points) {
            let assessment = match target {
                Target::Existing(a) => *a,
                Target::New(n) => first_new + n,
                Target::Identity(_) | Target::Ignored => continue,
            };
            let Some(mark) = mark else {
                continue;
            };
            summary.grades += 1;
            match existing_index {
                Some(student) => {
                    // Late days and a comment stay with the cell when its mark changes.
                    let old = course.students.at(student).cell(assessment);
                    grades.push(Command::SetCell(CellEntry {
                        course: c,
                        student,
                        assessment,
                        cell: old.with_mark(mark),
                    }))
                }
                None => fresh[assessment] = mark.into(),
            }
        }
        match existing_index {
            Some(student) => {
                summary.updated_students += 1;
                // The parts of who they are the file gives replace the ones kept.
                let old = course.students.at(student).profile;
                let mut profile = old.clone();
                for &field in &row.given {
                    if let Some(value) = Field::of(&row.profile, field) {
                        Field::set(&mut profile, field, value.to_string());
                    }
                }
                if profile != *old {
                    profiles.push(Command::SetProfile {
                        course: c,
                        student,
                        profile,
                    });
                }
            }
            None => {
                let mut student = Student::with_cells(row.name, fresh);
                student.profile = row.profile;
                new_students.push(student);
            }
        }
    }
    summary.new_students = new_students.len();
    if !new_students.is_empty() {
        cmds.push(Command::InsertStudents {
            course: c,
            index: course.students.len(),
            students: new_students,
        });
    }
    cmds.extend(profiles);
    cmds.extend(grades);
    (Command::Batch(cmds), summary)
}

//! Moodle: Grades → Export → Plain text file, and a file for Grades → Import → CSV.
//!
//! User fields (`First name`, `Last name` or `Surname`, `ID number`, `Email address`, and
//! whatever else the site exports), then a column per grade item `Module: Item (Real)`
//! (older versions: no suffix), with `(Percentage)`, `(Letter)` and `(Feedback)` columns,
//! then totals and `Last downloaded from this course`. No max points, no excused mark.

use super::{LmsAssessment, LmsCell, LmsFile, LmsStudent, System, Table};
use crate::interop::{ImportError, Problems, neutralise, restore_text};
use crate::model::{Course, LmsIds, Mark, check_name};

/// The user fields Moodle can export, in English: never grade items.
const USER_FIELDS: [&str; 30] = [
    "first name",
    "last name",
    "surname",
    "middle name",
    "alternate name",
    "first name - phonetic",
    "last name - phonetic",
    "id number",
    "institution",
    "department",
    "email address",
    "username",
    "phone",
    "mobile phone",
    "address",
    "city/town",
    "city",
    "country",
    "suspended",
    "web page",
    "preferred language",
    "timezone",
    "description",
    "interests",
    "skype id",
    "icq number",
    "aim id",
    "yahoo id",
    "msn id",
    "last downloaded from this course",
];

/// The modules whose names Moodle puts before an activity's grade item (compared
/// ignoring case).
const MODULES: [&str; 18] = [
    "Assignment",
    "Assignment (2.2)",
    "Quiz",
    "Workshop",
    "Lesson",
    "Forum",
    "Database",
    "Glossary",
    "H5P",
    "Interactive Content",
    "SCORM package",
    "External tool",
    "Attendance",
    "HotPot",
    "Checklist",
    "BigBlueButton",
    "Questionnaire",
    "Game",
];

/// The display types Moodle writes after a grade item's name (older versions write none,
/// but may write ` (Feedback)`).
const DISPLAY: [&str; 3] = [" (Real)", " (Percentage)", " (Letter)"];

/// What a header names.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// A grade item, by its title (module prefix and `(Real)` off).
    Item(String),
    /// The feedback of a grade item.
    Feedback(String),
    /// A total, a percentage or letter display: Moodle works them out.
    Computed,
    /// A user field, the download time, anything else.
    Skip,
}

/// `Quiz: Rocks and minerals` is `Rocks and minerals`; `Lab 2: Enzymes` stays whole.
fn without_module(title: &str) -> &str {
    for m in MODULES {
        let n = m.len();
        if title.len() > n + 2
            && title.is_char_boundary(n)
            && title[..n].eq_ignore_ascii_case(m)
            && title[n..].starts_with(": ")
        {
            return title[n + 2..].trim();
        }
    }
    title
}

/// What column `header` names. `suffixed`: the file writes display types, so a column
/// without one is a user field, whatever its name (a custom profile field).
fn column_of(header: &str, course: Option<&Course>, suffixed: bool) -> Column {
    let h = restore_text(header.trim());
    let lower = h.to_lowercase();
    if USER_FIELDS.contains(&lower.as_str()) {
        return Column::Skip;
    }
    let (base, kind) = match h.rsplit_once(" (") {
        Some((base, suffix)) if suffix.ends_with(')') => {
            match &suffix[..suffix.len() - 1] {
                "Real" => (base, "real"),
                "Feedback" => (base, "feedback"),
                "Percentage" | "Letter" => return Column::Computed,
                // `Map design (submission)`: part of the name.
                _ if suffixed => return Column::Skip,
                _ => (h, "real"),
            }
        }
        _ if suffixed => return Column::Skip,
        _ => (h, "real"),
    };
    let base = base.trim();
    if base.eq_ignore_ascii_case("course total")
        || base.eq_ignore_ascii_case("category total")
        || base.to_lowercase().ends_with(" total")
    {
        return Column::Computed;
    }
    // An assessment of the course with the whole title keeps it (one made here whose
    // name starts like a module's).
    let title = match course.filter(|c| c.find_assessment(base).is_some()) {
        Some(_) => base,
        None => without_module(base),
    };
    match kind {
        "feedback" => Column::Feedback(title.to_string()),
        _ => Column::Item(title.to_string()),
    }
}

/// Reads the file; with the course it goes to, so that its own assessment names win.
pub fn parse_for(
    table: &Table,
    header: usize,
    course: Option<&Course>,
) -> Result<LmsFile, ImportError> {
    let head = &table.rows[header];
    let find = |names: &[&str]| {
        head.fields
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let (Some(first), Some(last)) = (find(&["First name"]), find(&["Last name", "Surname"])) else {
        return Err(ImportError::one(
            Some(head.line),
            None,
            "a Moodle export has First name and Last name (or Surname) columns",
        ));
    };
    let id = find(&["ID number"]);
    let email = find(&["Email address"]);
    let mut problems = Problems::default();
    let mut assessments: Vec<LmsAssessment> = Vec::new();
    let mut items = Vec::new();
    let mut feedback: Vec<(usize, String)> = Vec::new();
    let mut skipped = Vec::new();
    let mut computed = 0;
    // A file that writes display types marks every grade item with one.
    let suffixed = head
        .fields
        .iter()
        .any(|h| DISPLAY.iter().any(|d| h.trim().ends_with(d)));
    for (col, h) in head.fields.iter().enumerate() {
        let column = col as u64 + 1;
        match column_of(h, course, suffixed) {
            Column::Skip => {
                let lower = h.trim().to_lowercase();
                if !USER_FIELDS.contains(&lower.as_str()) {
                    skipped.push(h.trim().to_string());
                }
            }
            Column::Computed => computed += 1,
            Column::Feedback(title) => feedback.push((col, title)),
            Column::Item(title) => {
                if let Err(e) = crate::model::check_assessment_name(&title) {
                    problems.add(head.line, Some(column), e.to_string());
                }
                if let Some(other) = assessments
                    .iter()
                    .find(|a| crate::model::same_name(&a.name, &title))
                {
                    problems.add(
                        head.line,
                        Some(column),
                        format!(
                            "columns {} and {column} are both the grade item {}",
                            other.column,
                            crate::text::quote(&title)
                        ),
                    );
                }
                assessments.push(LmsAssessment {
                    name: title,
                    max_points: None,
                    lms_id: None,
                    column,
                    line: head.line,
                });
                items.push(col);
            }
        }
    }
    // Feedback columns go to the item of the same title.
    let feedback_of: Vec<Option<usize>> = assessments
        .iter()
        .map(|a| feedback.iter().find(|(_, t)| *t == a.name).map(|(c, _)| *c))
        .collect();

    let mut students = Vec::new();
    for row in &table.rows[header + 1..] {
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let (f, l) = (
            restore_text(row.get(first).trim()),
            restore_text(row.get(last).trim()),
        );
        let name = match check_name("student", &super::full_name(f, l)) {
            Ok(n) => n,
            Err(e) => {
                problems.add(row.line, Some(first as u64 + 1), e.to_string());
                continue;
            }
        };
        let lms = LmsIds {
            first_name: Some(f.to_string()).filter(|t| !t.is_empty()),
            last_name: Some(l.to_string()).filter(|t| !t.is_empty()),
            ..LmsIds::default()
        };
        let Some(profile) = super::profile_of(
            row.line,
            id.map(|c| restore_text(row.get(c))),
            email.map(|c| restore_text(row.get(c))),
            None,
            lms,
            &mut problems,
        ) else {
            continue;
        };
        let mut cells = Vec::with_capacity(items.len());
        for (k, &col) in items.iter().enumerate() {
            let read = super::read_cell(row.get(col)).and_then(|mark| match mark {
                Some(Mark::Excused) => {
                    Err("Moodle has no excused mark: EX cannot come from Moodle".to_string())
                }
                mark => Ok(mark),
            });
            let mark = super::cell_or_problem(read, row.line, col, &mut problems).mark;
            // The feedback as written (only an empty or blank one is none).
            let comment = feedback_of[k]
                .map(|c| restore_text(row.get(c)))
                .filter(|t| !t.trim().is_empty())
                .map(str::to_string);
            if let Some(c) = &comment
                && let Err(e) = crate::model::check_comment(c)
            {
                problems.add(
                    row.line,
                    feedback_of[k].map(|c| c as u64 + 1),
                    e.to_string(),
                );
            }
            cells.push(LmsCell { mark, comment });
        }
        students.push(LmsStudent {
            line: row.line,
            name,
            profile,
            cells,
        });
        if problems.full() {
            break;
        }
    }
    problems.into_result()?;
    Ok(LmsFile {
        system: System::Moodle,
        assessments,
        students,
        skipped,
        computed,
    })
}

/// The course as Moodle's CSV grade import takes it: `First name`, `Last name`, `ID
/// number`, `Email address` (to map the users on), a column per assessment (`Name
/// (Real)`, as Moodle's export writes it) and, where any cell has a comment, its
/// `(Feedback)` column. Moodle has no excused mark: excused cells
/// are written `-` (no grade), and their number is returned. A missing mark is 0.
pub fn export(course: &Course) -> Result<(String, usize), csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let with_feedback: Vec<bool> = (0..course.assessments.len())
        .map(|a| course.students.iter().any(|s| s.comment(a).is_some()))
        .collect();
    let mut header: Vec<String> = ["First name", "Last name", "ID number", "Email address"]
        .map(String::from)
        .to_vec();
    for (a, x) in course.assessments.iter().enumerate() {
        // As Moodle's own export writes grade items: with their display type.
        header.push(neutralise(&format!("{} (Real)", x.name)).into_owned());
        if with_feedback[a] {
            header.push(neutralise(&format!("{} (Feedback)", x.name)).into_owned());
        }
    }
    w.write_record(&header)?;
    let mut excused = 0;
    for s in &course.students {
        let (first, last) = super::name_parts(s);
        let mut row = vec![
            neutralise(&first).into_owned(),
            neutralise(&last).into_owned(),
            neutralise(s.profile.id.as_deref().unwrap_or("")).into_owned(),
            neutralise(s.profile.email.as_deref().unwrap_or("")).into_owned(),
        ];
        for (a, mark) in s.marks.iter().enumerate() {
            row.push(match mark {
                Mark::Points(x) => super::number(x),
                Mark::Missing => "0".into(),
                Mark::Excused => {
                    excused += 1;
                    "-".into()
                }
                Mark::Empty => "-".into(),
            });
            if with_feedback[a] {
                row.push(neutralise(s.comment(a).unwrap_or("")).into_owned());
            }
        }
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), excused))
}

//! Canvas: Gradebook → Export → Export Entire Gradebook, and the file its importer takes.
//!
//! `Student, ID, [SIS User ID], [SIS Login ID], Section`, custom columns, one column per
//! assignment `Title (assignment id)`, computed columns; rows: an optional Manual Posting
//! row, `    Points Possible`, the students, last `Student, Test`.

use super::{LmsAssessment, LmsFile, LmsStudent, Row, System, Table};
use crate::interop::{ImportError, Problems, neutralise, restore_text};
use crate::model::{Course, LmsIds, Mark, check_name};
use crate::text::quote;

/// `Title (12345)`: the title and the assignment id in the last parentheses.
fn title_and_id(header: &str) -> Option<(&str, &str)> {
    let h = header.trim();
    let inner = h.strip_suffix(')')?;
    let open = inner.rfind(" (")?;
    let id = &inner[open + 2..];
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| (&h[..open], id))
}

/// Columns of the identity part, by name.
struct Identity {
    student: usize,
    id: usize,
    sis_user: Option<usize>,
    sis_login: Option<usize>,
    section: usize,
}

pub fn parse(table: &Table, header: usize) -> Result<LmsFile, ImportError> {
    let head = &table.rows[header];
    let find = |name: &str| head.fields.iter().position(|h| h.trim() == name);
    let (Some(student), Some(id), Some(section)) = (find("Student"), find("ID"), find("Section"))
    else {
        return Err(ImportError::one(
            Some(head.line),
            None,
            "a Canvas export starts with Student, ID ... Section",
        ));
    };
    let who = Identity {
        student,
        id,
        sis_user: find("SIS User ID"),
        sis_login: find("SIS Login ID"),
        section,
    };
    let body = &table.rows[header + 1..];
    let is_points = |r: &Row| r.get(0).trim() == "Points Possible";
    // Rows with no student and no id are not students: Manual Posting, the old Muted row.
    let not_a_student = |r: &Row| r.get(student).trim().is_empty() && r.get(id).trim().is_empty();
    let points = body.iter().find(|r| is_points(r));
    let mut problems = Problems::default();

    // Assessments: `Title (id)` columns, and columns whose Points Possible is a number.
    let mut assessments = Vec::new();
    let mut columns = Vec::new();
    let mut skipped = Vec::new();
    let mut computed = 0;
    for (col, h) in head.fields.iter().enumerate().skip(section + 1) {
        let column = col as u64 + 1;
        let possible = points.map(|r| r.get(col).trim()).unwrap_or("");
        let h = restore_text(h.trim());
        // Computed columns say so in Points Possible, whatever their names.
        if possible.eq_ignore_ascii_case("(read only)") {
            computed += 1;
            continue;
        }
        let (name, lms_id) = match title_and_id(h) {
            Some((title, id)) => (title.trim().to_string(), Some(id.to_string())),
            None => match super::read_number(possible) {
                Some(_) => (h.to_string(), None),
                // Custom columns (Notes) and computed ones without a Points Possible row.
                None => {
                    skipped.push(h.to_string());
                    continue;
                }
            },
        };
        let max_points = if possible.is_empty() {
            None
        } else {
            match super::read_number(possible) {
                Some(m) => Some(m),
                None => {
                    let line = points.map_or(head.line, |r| r.line);
                    problems.add(
                        line,
                        Some(column),
                        format!(
                            "Points Possible of {} must be a number, not {}",
                            quote(&name),
                            quote(possible)
                        ),
                    );
                    None
                }
            }
        };
        if let Some(id) = &lms_id
            && let Some(other) = assessments
                .iter()
                .find(|a: &&LmsAssessment| a.lms_id.as_ref() == Some(id))
        {
            problems.add(
                head.line,
                Some(column),
                format!(
                    "columns {} and {column} have the same Canvas assignment id {id}",
                    other.column
                ),
            );
        }
        if let Err(e) = crate::model::check_assessment_name(&name) {
            problems.add(head.line, Some(column), e.to_string());
        }
        assessments.push(LmsAssessment {
            name,
            max_points,
            lms_id,
            column,
            line: points.map_or(head.line, |r| r.line),
        });
        columns.push(col);
    }

    let mut students = Vec::new();
    for row in body {
        let name = restore_text(row.get(who.student).trim());
        if is_points(row) || not_a_student(row) || name == "Student, Test" {
            continue;
        }
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let name = match check_name("student", name) {
            Ok(n) => n,
            Err(e) => {
                problems.add(row.line, Some(who.student as u64 + 1), e.to_string());
                continue;
            }
        };
        let canvas_id = Some(row.get(who.id).trim()).filter(|t| !t.is_empty());
        let sis_user = who
            .sis_user
            .map(|c| restore_text(row.get(c).trim()))
            .filter(|t| !t.is_empty());
        let sis_login = who
            .sis_login
            .map(|c| restore_text(row.get(c).trim()))
            .filter(|t| !t.is_empty());
        let email = sis_login.filter(|l| super::is_email(l));
        let lms = LmsIds {
            canvas_id: canvas_id.map(str::to_string),
            sis_user_id: sis_user.map(str::to_string),
            sis_login_id: sis_login.map(str::to_string),
            ..LmsIds::default()
        };
        let Some(profile) = super::profile_of(
            row.line,
            sis_user.or(canvas_id),
            email,
            Some(restore_text(row.get(who.section).trim())),
            lms,
            &mut problems,
        ) else {
            continue;
        };
        let cells = columns
            .iter()
            .map(|&col| {
                super::cell_or_problem(super::read_cell(row.get(col)), row.line, col, &mut problems)
            })
            .collect();
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
        system: System::Canvas,
        assessments,
        students,
        skipped,
        computed,
    })
}

/// The course in the layout Canvas's importer takes: the identity columns, an assessment
/// column `Title (id)` each (new ones without an id), a `Points Possible` row so that new
/// assessments come in with their points, then a row per student (`EX` stays `EX`; a
/// missing mark is 0). Also the titles without an id that Canvas would take for one.
pub fn export(course: &Course) -> Result<(String, Vec<String>), csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        .map(String::from)
        .to_vec();
    header.extend(course.assessments.iter().map(|a| {
        let title = neutralise(&a.name).into_owned();
        match &a.lms_id {
            Some(id) => format!("{title} ({id})"),
            None => title,
        }
    }));
    w.write_record(&header)?;
    let mut points = vec![
        "    Points Possible".to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ];
    points.extend(
        course
            .assessments
            .iter()
            .map(|a| super::number(a.max_points)),
    );
    w.write_record(&points)?;
    for s in &course.students {
        let p = &s.profile;
        let l = &p.lms;
        // The school's number goes in SIS User ID unless Canvas told us it has none.
        let sis_user = match (&l.sis_user_id, &l.canvas_id) {
            (Some(sis), _) => sis.clone(),
            (None, Some(_)) => String::new(),
            (None, None) => p.id.clone().unwrap_or_default(),
        };
        let mut row = vec![
            neutralise(s.name).into_owned(),
            l.canvas_id.clone().unwrap_or_default(),
            neutralise(&sis_user).into_owned(),
            neutralise(
                l.sis_login_id
                    .as_ref()
                    .or(p.email.as_ref())
                    .map_or("", |v| v),
            )
            .into_owned(),
            neutralise(p.section.as_deref().unwrap_or("")).into_owned(),
        ];
        row.extend(s.marks.iter().map(|m| match m {
            Mark::Points(x) => super::number(x),
            Mark::Excused => "EX".into(),
            Mark::Missing => "0".into(),
            Mark::Empty => String::new(),
        }));
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    let id_like = course
        .assessments
        .iter()
        .filter(|a| a.lms_id.is_none() && title_and_id(&a.name).is_some())
        .map(|a| a.name.clone())
        .collect();
    Ok((String::from_utf8_lossy(&bytes).into_owned(), id_like))
}

//! Google Classroom: the Grades page downloaded as CSV.
//!
//! Maybe a class-name line; `Last Name, First Name, Email Address`, an overall grade
//! (`86.67%`), a column per assignment by title; rows of due dates, `Points` (each
//! assignment's maximum) and `Class average` before the students. The e-mail address is
//! the only identity.

use super::{LmsAssessment, LmsFile, LmsStudent, Row, System, Table};
use crate::interop::{ImportError, Problems, neutralise, restore_text};
use crate::model::{Course, LmsIds, Mark, check_name};
use crate::text::quote;

/// Whether a column holds the overall grade: so named, or, right after the e-mail with no
/// Points, percentages all the way down.
fn is_overall(header: &str, rows: &[&Row], col: usize, first_item: usize, points: &str) -> bool {
    let h = header.trim().to_lowercase();
    if h == "overall" || h == "overall grade" || h == "average" {
        return true;
    }
    let values: Vec<&str> = rows
        .iter()
        .map(|r| r.get(col).trim())
        .filter(|v| !v.is_empty())
        .collect();
    col == first_item
        && points.is_empty()
        && !values.is_empty()
        && values.iter().all(|v| v.ends_with('%'))
}

pub fn parse(table: &Table, header: usize) -> Result<LmsFile, ImportError> {
    let head = &table.rows[header];
    let body = &table.rows[header + 1..];
    let email = head
        .fields
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("email address"));
    let mut problems = Problems::default();
    let is_points = |r: &Row| r.get(0).trim().eq_ignore_ascii_case("points");
    let is_average = |r: &Row| r.get(0).trim().eq_ignore_ascii_case("class average");
    // Due dates: no name, no e-mail, and dates or `No due date` under the assignments.
    let is_due = |r: &Row| {
        r.get(0).trim().is_empty()
            && r.get(1).trim().is_empty()
            && email.is_none_or(|e| r.get(e).trim().is_empty())
    };
    let points = body.iter().find(|r| is_points(r));
    let students_rows: Vec<&Row> = body
        .iter()
        .filter(|r| !is_points(r) && !is_average(r) && !is_due(r))
        .collect();
    let first_item = email.map_or(2, |e| e + 1);

    let mut assessments: Vec<LmsAssessment> = Vec::new();
    let mut columns = Vec::new();
    let mut skipped = Vec::new();
    let mut computed = 0;
    for (col, h) in head.fields.iter().enumerate().skip(first_item) {
        let column = col as u64 + 1;
        let possible = points.map(|r| r.get(col).trim()).unwrap_or("");
        if is_overall(h, &students_rows, col, first_item, possible) {
            computed += 1;
            continue;
        }
        if h.trim().is_empty() {
            skipped.push(format!("column {column} (no header)"));
            continue;
        }
        let name = restore_text(h.trim()).to_string();
        let max_points = if possible.is_empty() {
            None
        } else {
            match super::read_number(possible) {
                Some(m) => Some(m),
                None => {
                    problems.add(
                        points.map_or(head.line, |r| r.line),
                        Some(column),
                        format!(
                            "the Points of {} must be a number, not {}",
                            quote(&name),
                            quote(possible)
                        ),
                    );
                    None
                }
            }
        };
        if let Err(e) = crate::model::check_assessment_name(&name) {
            problems.add(head.line, Some(column), e.to_string());
        }
        if let Some(other) = assessments
            .iter()
            .find(|a| crate::model::same_name(&a.name, &name))
        {
            problems.add(
                head.line,
                Some(column),
                format!(
                    "columns {} and {column} are both the assignment {}",
                    other.column,
                    quote(&name)
                ),
            );
        }
        assessments.push(LmsAssessment {
            name,
            max_points,
            lms_id: None,
            column,
            line: points.map_or(head.line, |r| r.line),
        });
        columns.push(col);
    }

    let mut students = Vec::new();
    for row in students_rows {
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let (last, first) = (
            restore_text(row.get(0).trim()),
            restore_text(row.get(1).trim()),
        );
        let name = match check_name("student", &super::full_name(first, last)) {
            Ok(n) => n,
            Err(e) => {
                problems.add(row.line, Some(1), e.to_string());
                continue;
            }
        };
        let lms = LmsIds {
            first_name: Some(first.to_string()).filter(|t| !t.is_empty()),
            last_name: Some(last.to_string()).filter(|t| !t.is_empty()),
            ..LmsIds::default()
        };
        let Some(profile) = super::profile_of(
            row.line,
            None,
            email.map(|c| row.get(c)),
            None,
            lms,
            &mut problems,
        ) else {
            continue;
        };
        let mut cells = Vec::with_capacity(columns.len());
        for (k, &col) in columns.iter().enumerate() {
            // A percentage of an assignment with points is those points.
            let text = row.get(col).trim();
            let read = match (text.strip_suffix('%'), assessments[k].max_points) {
                (Some(pct), Some(max)) => super::read_number(pct)
                    .map(|p| Some(Mark::Points(p / 100.0 * max)))
                    .ok_or_else(|| format!("not a percentage: {}", quote(text))),
                _ => super::read_cell(text),
            };
            cells.push(super::cell_or_problem(read, row.line, col, &mut problems));
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
    // Classroom has no ids: students of one name are told apart by their e-mail, which
    // becomes their id.
    for i in 0..students.len() {
        let shared = students
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && crate::model::same_name(&o.name, &students[i].name));
        if shared && students[i].profile.id.is_none() {
            students[i].profile.id = students[i].profile.email.clone();
        }
    }
    Ok(LmsFile {
        system: System::Classroom,
        assessments,
        students,
        skipped,
        computed,
    })
}

/// The course in the layout Classroom downloads (Classroom documents no upload): the
/// names and e-mail, the overall grade, a column per assignment, a `Points` row.
/// Classroom has no excused mark: excused cells are left empty, and counted. A missing
/// mark is 0.
pub fn export(course: &Course) -> Result<(String, usize), csv::Error> {
    let report = crate::stats::Report::of(course);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["Last Name", "First Name", "Email Address", "Overall"]
        .map(String::from)
        .to_vec();
    header.extend(
        course
            .assessments
            .iter()
            .map(|a| neutralise(&a.name).into_owned()),
    );
    w.write_record(&header)?;
    let mut points = vec![
        "Points".to_string(),
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
    let mut excused = 0;
    for (s, fin) in course.students.iter().zip(&report.finals) {
        let (first, last) = super::name_parts(s);
        let mut row = vec![
            neutralise(&last).into_owned(),
            neutralise(&first).into_owned(),
            neutralise(s.profile.email.as_deref().unwrap_or("")).into_owned(),
            fin.map_or(String::new(), |f| format!("{f:.2}%")),
        ];
        row.extend(s.marks.iter().map(|m| match m {
            Mark::Points(x) => super::number(x),
            Mark::Missing => "0".into(),
            Mark::Excused => {
                excused += 1;
                String::new()
            }
            Mark::Empty => String::new(),
        }));
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), excused))
}

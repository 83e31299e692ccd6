//! Study data as CSV: `hours,score[,student]`, with or without that header.

use super::{
    ImportError, Lines, Problems, csv_problem, exact, neutralise, restore_text, strip_bom,
};
use crate::model::{
    Command, Course, Observation, check_hours, check_name, check_score, parse_number,
};

/// The course's observations as CSV.
pub fn export(course: &Course) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["hours", "score", "student"])?;
    for o in course.study.iter() {
        w.write_record([
            exact(o.hours),
            exact(o.score),
            neutralise(o.student.unwrap_or_default()).into_owned(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads observations to append to course number `c`; returns the command and their count.
pub fn import(course: &Course, c: usize, bytes: &[u8]) -> Result<(Command, usize), ImportError> {
    let bytes = strip_bom(bytes);
    let mut lines = Lines::new(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut problems = Problems::default();
    let mut observations = Vec::new();
    let mut first = true;
    for record in reader.records() {
        let record = record.map_err(|e| csv_problem(&e, &mut lines))?;
        let line = lines.of(&record);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if std::mem::take(&mut first) && is_header(&record) {
            continue;
        }
        if let Some(o) = read_row(&record, line, &mut problems) {
            observations.push(o);
        }
        if problems.full() {
            break;
        }
    }
    problems.into_result()?;
    if observations.is_empty() {
        return Err(ImportError::one(
            None,
            None,
            "the file has no observations: it needs rows `hours,score[,student]`",
        ));
    }
    let count = observations.len();
    Ok((
        Command::InsertObservations {
            course: c,
            index: course.study.len(),
            observations,
        },
        count,
    ))
}

fn is_header(record: &csv::StringRecord) -> bool {
    record
        .get(0)
        .is_some_and(|h| h.trim().eq_ignore_ascii_case("hours"))
        && record
            .get(1)
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("score"))
}

fn read_row(record: &csv::StringRecord, line: u64, problems: &mut Problems) -> Option<Observation> {
    if !(2..=3).contains(&record.len()) {
        problems.add(
            line,
            None,
            format!(
                "{} cells: each row needs hours,score and optionally student",
                record.len()
            ),
        );
        return None;
    }
    let hours = parse_number("study hours", &record[0]).and_then(|h| check_hours(h).map(|()| h));
    let score = parse_number("test score", &record[1]).and_then(|s| check_score(s).map(|()| s));
    let student = match record
        .get(2)
        .map(|s| restore_text(s.trim()))
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(name) => check_name("student", name).map(Some),
    };
    let mut report =
        |col, e: crate::error::ModelError| problems.add(line, Some(col), e.to_string());
    match (hours, score, student) {
        (Ok(hours), Ok(score), Ok(student)) => Some(Observation {
            hours,
            score,
            student,
        }),
        (h, s, st) => {
            if let Err(e) = h {
                report(1, e);
            }
            if let Err(e) = s {
                report(2, e);
            }
            if let Err(e) = st {
                report(3, e);
            }
            None
        }
    }
}

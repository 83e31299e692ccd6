//! `gradebook report`: the class report as an aligned table or as one JSON object.

use chrono::SecondsFormat;
use serde::Serialize;
use serde_json::{Map, Value};

use super::emit;
use crate::error::Error;
use crate::model::Course;
use crate::stats::Report;
use crate::text::{local_time, one_decimal, table};

#[derive(Serialize)]
struct ReportJson<'a> {
    course: &'a str,
    last_updated: String,
    students: Vec<StudentJson<'a>>,
    stats: StatsJson,
    top: Vec<TopJson<'a>>,
}

#[derive(Serialize)]
struct StudentJson<'a> {
    name: &'a str,
    #[serde(rename = "final")]
    final_grade: Option<f64>,
    letter: Option<String>,
    rank: Option<usize>,
    /// Points per assessment, in the course's order; null where not graded.
    grades: Map<String, Value>,
}

#[derive(Serialize)]
struct StatsJson {
    count: usize,
    mean: Option<f64>,
    median: Option<f64>,
    std_dev: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Serialize)]
struct TopJson<'a> {
    name: &'a str,
    #[serde(rename = "final")]
    final_grade: f64,
}

/// Prints the report of `course`.
pub fn print(course: &Course, json: bool, out: &mut dyn std::io::Write) -> Result<(), Error> {
    let report = Report::of(course);
    let text = if json {
        to_json(course, &report)?
    } else {
        to_text(course, &report)
    };
    emit(out, &text)
}

fn to_json(course: &Course, r: &Report) -> Result<String, Error> {
    let students = course
        .students
        .iter()
        .enumerate()
        .map(|(i, s)| StudentJson {
            name: &s.name,
            final_grade: r.finals[i],
            letter: r.finals[i].map(|f| course.thresholds.letter(f).to_string()),
            rank: r.ranks[i],
            grades: course
                .assessments
                .iter()
                .zip(&s.grades)
                .map(|(a, g)| (a.name.clone(), g.map_or(Value::Null, Value::from)))
                .collect(),
        })
        .collect();
    let s = r.stats;
    let doc = ReportJson {
        course: &course.name,
        last_updated: course
            .last_updated
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        students,
        stats: StatsJson {
            count: s.count,
            mean: s.mean,
            median: s.median,
            std_dev: s.std_dev,
            min: s.min,
            max: s.max,
        },
        top: r
            .top
            .iter()
            .filter_map(|&i| {
                Some(TopJson {
                    name: &course.students[i].name,
                    final_grade: r.finals[i]?,
                })
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).map_err(crate::interop::FileError::from)?;
    text.push('\n');
    Ok(text)
}

fn to_text(course: &Course, r: &Report) -> String {
    let mut out = format!(
        "{}\nLast updated {}\n\n",
        course.name,
        local_time(course.last_updated)
    );
    if course.students.is_empty() {
        out.push_str("No students yet. Add a grade with `gradebook grade NAME POINTS`.\n");
        return out;
    }
    let mut header = vec!["Rank", "Student"];
    header.extend(course.assessments.iter().map(|a| a.name.as_str()));
    header.extend(["Final", "Letter"]);
    let mut order: Vec<usize> = (0..course.students.len()).collect();
    order.sort_by_key(|&i| (r.ranks[i].unwrap_or(usize::MAX), i));
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let s = &course.students[i];
            let mut row = vec![
                r.ranks[i].map_or("–".into(), |k| k.to_string()),
                s.name.clone(),
            ];
            row.extend(s.grades.iter().map(|g| one_decimal(*g)));
            row.push(one_decimal(r.finals[i]));
            row.push(r.finals[i].map_or("–".into(), |f| course.thresholds.letter(f).to_string()));
            row
        })
        .collect();
    let mut right = vec![true, false];
    right.extend(std::iter::repeat_n(true, course.assessments.len() + 1));
    right.push(false);
    out.push_str(&table(&header, &rows, &right));
    let st = r.stats;
    out.push_str(&format!(
        "\nClass average {}  Median {}  Std dev {}  Min {}  Max {}  ({} graded of {})\n",
        one_decimal(st.mean),
        one_decimal(st.median),
        st.std_dev.map_or("–".into(), |d| format!("{d:.2}")),
        one_decimal(st.min),
        one_decimal(st.max),
        st.count,
        course.students.len()
    ));
    let top: Vec<String> = r
        .top
        .iter()
        .map(|&i| format!("{} ({})", course.students[i].name, one_decimal(r.finals[i])))
        .collect();
    let label = if top.len() > 1 {
        "Top students"
    } else {
        "Top student"
    };
    if !top.is_empty() {
        out.push_str(&format!("{label}: {}\n", top.join(", ")));
    }
    out
}

//! The tutorial's class: five students with one grade each and 30 study-hours observations.

use chrono::{DateTime, Utc};

use crate::model::{Assessment, Cell, Course, DEFAULT_ASSESSMENT, Mark, Observation, Student};

/// Name of the tutorial's course.
pub const SAMPLE_COURSE: &str = "Introduction to Machine Learning";
/// The tutorial's grades.
pub const SAMPLE_GRADES: [(&str, f64); 5] = [
    ("Alice", 95.0),
    ("Bob", 87.0),
    ("Charlie", 91.0),
    ("Diana", 84.0),
    ("Eve", 78.0),
];
/// The tutorial's 30 study-hours points, `hours,score`.
pub const SAMPLE_STUDY_CSV: &str = include_str!("../assets/study_hours_sample.csv");

/// The tutorial's course, as `gradebook sample` adds it.
pub fn course(now: DateTime<Utc>) -> Result<Course, csv::Error> {
    let mut course = Course::new(SAMPLE_COURSE, now);
    course
        .assessments
        .push(Assessment::named(DEFAULT_ASSESSMENT));
    course.students = SAMPLE_GRADES
        .iter()
        .map(|(name, g)| Student::with_cells(*name, [Cell::points(*g)]))
        .collect();
    course.study = sample_observations()?.into();
    Ok(course)
}

/// The tutorial's 30 observations, from `assets/study_hours_sample.csv`.
pub fn sample_observations() -> Result<Vec<Observation>, csv::Error> {
    let mut reader = csv::Reader::from_reader(SAMPLE_STUDY_CSV.as_bytes());
    reader
        .deserialize::<(f64, f64)>()
        .map(|row| {
            row.map(|(hours, score)| Observation {
                hours,
                score,
                student: None,
            })
        })
        .collect()
}

/// A made-up course of `students` × `assessments` with every grade filled in, for
/// benchmarks at a class, a school and a stress scale. Deterministic: student `i` has
/// `((7·i + 13·j) mod 1000) / 10` points in assessment `j`, as `benches/compare_pickle.py`
/// builds it in Python.
pub fn synthetic(
    students: usize,
    assessments: usize,
    now: DateTime<Utc>,
) -> crate::model::Gradebook {
    let mut course = Course::new("Synthetic", now);
    course.assessments = (0..assessments)
        .map(|j| Assessment::named(format!("A{j}")))
        .collect();
    course.students = (0..students)
        .map(|i| Student {
            name: format!("Student {i:06}"),
            marks: (0..assessments)
                .map(|j| Mark::Points(((7 * i + 13 * j) % 1000) as f64 / 10.0))
                .collect(),
            ..Student::default()
        })
        .collect();
    crate::model::Gradebook {
        courses: vec![course],
        current: Some(0),
    }
}

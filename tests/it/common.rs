//! Shared test helpers: proptest strategies for gradebooks and commands.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use gradebook::model::{
    Assessment, Command, Course, GradeEntry, Gradebook, Observation, Student, Thresholds,
};
use gradebook::predictor::TrainedModel;
use proptest::prelude::*;

pub fn time(secs: i64, nanos: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, nanos).single().unwrap()
}

/// Names with any printable Unicode (wide characters included), made unique by a prefix.
fn name(i: usize) -> impl Strategy<Value = String> {
    "[a-zA-Zéß漢字😀 ,\"']{0,12}".prop_map(move |s| format!("N{i} {s}").trim().to_string())
}

fn points(max: f64) -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        (0.0..=max).prop_map(Some),
        Just(Some(max)),
        Just(Some(0.0))
    ]
}

fn observation() -> impl Strategy<Value = Observation> {
    (
        0.0..=168.0f64,
        0.0..=100.0f64,
        proptest::option::of(name(0)),
    )
        .prop_map(|(hours, score, student)| Observation {
            hours,
            score,
            student,
        })
}

fn model() -> impl Strategy<Value = TrainedModel> {
    (
        any::<f64>(),
        any::<f64>(),
        any::<u64>(),
        0i64..4_000_000_000,
        0u32..1_000_000_000,
    )
        .prop_map(
            |(slope, intercept, fingerprint, secs, nanos)| TrainedModel {
                slope,
                intercept,
                mse: slope.abs(),
                r2: 0.5,
                n: fingerprint % 1000,
                hours_min: 1.0,
                hours_max: 20.0,
                hours_mean: 10.0,
                sxx: 3.5,
                sse: 17.25,
                trained_at: time(secs, nanos),
                fingerprint,
            },
        )
}

pub fn course(index: usize) -> impl Strategy<Value = Course> {
    let assessments = prop::collection::vec((0.01..10.0f64, 0.5..500.0f64), 0..4);
    (
        name(index),
        0i64..4_000_000_000,
        0u32..1_000_000_000,
        assessments,
        0usize..6,
        prop::collection::vec(observation(), 0..5),
        proptest::option::of(model()),
    )
        .prop_flat_map(
            |(course_name, secs, nanos, specs, n_students, study, model)| {
                let assessments: Vec<Assessment> = specs
                    .iter()
                    .enumerate()
                    .map(|(i, (w, m))| Assessment {
                        name: format!("A{i}"),
                        weight: *w,
                        max_points: *m,
                    })
                    .collect();
                let grade_rows = (0..n_students)
                    .map(|s| {
                        let row: Vec<_> = assessments
                            .iter()
                            .map(|a| points(a.max_points).boxed())
                            .collect();
                        (name(s), row)
                    })
                    .collect::<Vec<_>>();
                (
                    Just((course_name, secs, nanos, assessments, study, model)),
                    grade_rows,
                )
            },
        )
        .prop_map(|((name, secs, nanos, assessments, study, model), rows)| {
            let mut c = Course::new(name, time(secs, nanos));
            c.assessments = assessments;
            c.students = rows
                .into_iter()
                .map(|(name, grades)| Student { name, grades })
                .collect();
            c.study = study.into();
            c.model = model;
            c.thresholds = Thresholds::default();
            c
        })
}

/// Any valid gradebook.
pub fn gradebook() -> impl Strategy<Value = Gradebook> {
    (0usize..4)
        .prop_flat_map(|n| {
            let courses: Vec<_> = (0..n).map(|i| course(i).boxed()).collect();
            (courses, proptest::option::of(0..n.max(1)))
        })
        .prop_map(|(courses, current)| {
            let current = current.filter(|&c| c < courses.len());
            Gradebook { courses, current }
        })
}

/// Any command, valid or not, with small indices so that many apply.
pub fn command() -> impl Strategy<Value = Command> {
    let i = || 0usize..4;
    let pts = prop_oneof![
        Just(None),
        (-10.0..600.0f64).prop_map(Some),
        Just(Some(f64::NAN))
    ];
    let leaf = prop_oneof![
        (i(), course(7)).prop_map(|(index, c)| Command::InsertCourse {
            index,
            course: Box::new(c)
        }),
        i().prop_map(|index| Command::RemoveCourse { index }),
        (i(), name(8)).prop_map(|(course, name)| Command::RenameCourse { course, name }),
        (i(), i(), name(1)).prop_map(|(course, student, name)| Command::RenameStudent {
            course,
            student,
            name
        }),
        (i(), i(), name(2), 0.1..5.0f64, 1.0..300.0f64).prop_map(|(course, index, name, w, m)| {
            Command::InsertAssessment {
                course,
                index,
                assessment: Assessment {
                    name,
                    weight: w,
                    max_points: m,
                },
                grades: Vec::new(),
            }
        }),
        (i(), i()).prop_map(|(course, index)| Command::RemoveAssessment { course, index }),
        (i(), i(), name(3), -1.0..5.0f64, -1.0..300.0f64).prop_map(
            |(course, index, name, w, m)| {
                Command::EditAssessment {
                    course,
                    index,
                    assessment: Assessment {
                        name,
                        weight: w,
                        max_points: m,
                    },
                }
            }
        ),
        (i(), i(), i(), pts).prop_map(|(course, student, assessment, points)| {
            Command::SetGrade(GradeEntry {
                course,
                student,
                assessment,
                points,
            })
        }),
        (i(), i(), prop::collection::vec(name(4), 0..4)).prop_map(|(course, index, names)| {
            let students = names
                .into_iter()
                .map(|name| Student {
                    name,
                    grades: Vec::new(),
                })
                .collect();
            Command::InsertStudents {
                course,
                index,
                students,
            }
        }),
        (i(), i(), i()).prop_map(|(course, index, count)| Command::RemoveStudents {
            course,
            index,
            count
        }),
        (i(), i(), prop::collection::vec(observation(), 0..4)).prop_map(
            |(course, index, observations)| Command::InsertObservations {
                course,
                index,
                observations
            }
        ),
        (i(), i(), i()).prop_map(|(course, index, count)| Command::RemoveObservations {
            course,
            index,
            count
        }),
        (i(), proptest::option::of(model())).prop_map(|(course, m)| Command::SetModel {
            course,
            model: m.map(Box::new)
        }),
        proptest::option::of(i()).prop_map(|course| Command::SelectCourse { course }),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop::collection::vec(inner, 0..4).prop_map(Command::Batch)
    })
}

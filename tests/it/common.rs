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

/// A model as training makes one, on data of its own (so usually stale for its course).
fn model() -> impl Strategy<Value = TrainedModel> {
    (
        prop::collection::vec((0.0..=168.0f64, 0.0..=100.0f64), 2..6),
        0i64..4_000_000_000,
        0u32..1_000_000_000,
    )
        .prop_filter_map("training needs different hours", |(points, secs, nanos)| {
            let (hours, scores): (Vec<f64>, Vec<f64>) = points.into_iter().unzip();
            gradebook::predictor::fit(&hours, &scores, time(secs, nanos)).ok()
        })
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

/// The real binary on a data file of its own in a temporary directory.
pub struct Bin {
    pub dir: tempfile::TempDir,
    pub file: std::path::PathBuf,
}

impl Bin {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gradebook.postcard");
        Self { dir, file }
    }

    /// With the tutorial's course in it.
    pub fn sample() -> Self {
        let b = Self::new();
        b.ok(&["sample"]);
        b
    }

    /// A path in the directory.
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file to import and returns its path.
    pub fn input(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        Self::cmd_on(&self.file)
    }

    /// The binary on another data file.
    pub fn cmd_on(file: &std::path::Path) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("gradebook").unwrap();
        c.env_remove("GRADEBOOK_FILE")
            .arg("--file")
            .arg(file)
            .timeout(std::time::Duration::from_secs(60));
        c
    }

    /// Runs a command that must succeed; its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs a command that must fail with exit 1 and leave the data file byte-identical;
    /// its standard error, which must contain `message`.
    pub fn refused(&self, args: &[&str], message: &str) -> String {
        let before = self.contents();
        let out = self.cmd().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(self.contents(), before, "{args:?} changed the file");
        stderr
    }

    /// The data file's bytes, if it is a regular file (reading a FIFO would block).
    pub fn contents(&self) -> Option<Vec<u8>> {
        std::fs::metadata(&self.file)
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::read(&self.file).unwrap())
    }
}

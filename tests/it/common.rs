//! Shared test helpers: proptest strategies for gradebooks and commands, and the binary.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use gradebook::model::{
    Assessment, Category, CategoryMode, Cell, CellEntry, Command, Course, Gradebook, LatePolicy,
    LetterScheme, LmsIds, Mark, Observation, Profile, Status, Student,
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

/// A mark for an assessment of `max` points: empty, points (bonus up to twice the max
/// included), excused or missing.
pub fn mark(max: f64) -> impl Strategy<Value = Mark> {
    prop_oneof![
        3 => Just(Mark::Empty),
        6 => (0.0..=max).prop_map(Mark::Points),
        1 => (max..=2.0 * max).prop_map(Mark::Points),
        1 => Just(Mark::Points(max)),
        1 => Just(Mark::Points(0.0)),
        1 => Just(Mark::Excused),
        1 => Just(Mark::Missing),
    ]
}

/// A whole cell: a mark, late days on points now and then, a comment now and then.
pub fn cell(max: f64) -> impl Strategy<Value = Cell> {
    (
        mark(max),
        prop_oneof![4 => Just(0u32), 1 => 1u32..6],
        proptest::option::weighted(0.15, "[a-z ,\n]{1,20}"),
    )
        .prop_map(|(mark, late, comment)| Cell {
            late_days: if matches!(mark, Mark::Points(_)) {
                late
            } else {
                0
            },
            mark,
            comment: comment.filter(|c| !c.trim().is_empty()),
        })
}

/// Who student `i` is: an id unique by construction now and then, an e-mail, a section,
/// withdrawn now and then, a note with a line break.
pub fn profile(i: usize) -> impl Strategy<Value = Profile> {
    (
        prop::bool::weighted(0.4),
        proptest::option::weighted(0.3, "[a-z]{1,8}@[a-z]{1,6}\\.example"),
        proptest::option::weighted(0.3, "[A-Z][0-9]?"),
        prop::bool::weighted(0.15),
        proptest::option::weighted(0.2, "[a-zé]{1,10}( [a-z]{1,6}\n[a-z]{1,6})?"),
        (
            prop::bool::weighted(0.3),
            proptest::option::weighted(0.3, "[A-Z][a-zé]{0,8}"),
        ),
    )
        .prop_map(
            move |(has_id, email, section, withdrawn, note, (in_canvas, first))| Profile {
                id: has_id.then(|| format!("S{i:04}")),
                email,
                section,
                status: if withdrawn {
                    Status::Withdrawn
                } else {
                    Status::Active
                },
                note,
                lms: LmsIds {
                    canvas_id: in_canvas.then(|| format!("22{i:05}")),
                    sis_user_id: (in_canvas && has_id).then(|| format!("S{i:04}")),
                    sis_login_id: in_canvas.then(|| format!("login{i}")),
                    first_name: first.clone(),
                    last_name: first.map(|_| format!("Last{i}")),
                },
            },
        )
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

/// A category: any weight from 0, a few drops, either mode.
pub fn category(i: usize) -> impl Strategy<Value = Category> {
    (
        prop_oneof![1 => Just(0.0), 5 => 0.01..50.0f64],
        prop_oneof![3 => Just(0u32), 1 => 1u32..3],
        prop::bool::ANY,
    )
        .prop_map(move |(weight, drop_lowest, points)| Category {
            name: format!("K{i}"),
            weight,
            drop_lowest,
            mode: if points {
                CategoryMode::Points
            } else {
                CategoryMode::Mean
            },
        })
}

/// An assessment of one of `categories` categories.
fn assessment(i: usize, categories: usize) -> impl Strategy<Value = Assessment> {
    (
        0..categories.max(1),
        0.01..10.0f64,
        0.5..500.0f64,
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            move |(category, weight, max_points, extra_credit, never_drop, in_lms)| Assessment {
                name: format!("A{i}"),
                category,
                weight,
                max_points,
                extra_credit,
                never_drop,
                lms_id: in_lms.then(|| format!("88{i:04}")),
            },
        )
}

pub fn letters() -> impl Strategy<Value = LetterScheme> {
    prop_oneof![
        Just(LetterScheme::default()),
        Just(LetterScheme::plus_minus()),
        (1.0..99.0f64).prop_map(|pass| LetterScheme::parse(&format!("P={pass} F=0")).unwrap()),
    ]
}

fn late_policy() -> impl Strategy<Value = Option<LatePolicy>> {
    proptest::option::of(
        (0.0..30.0f64, 0.0..=100.0f64).prop_map(|(per_day, max)| LatePolicy { per_day, max }),
    )
}

/// A course's syllabus: categories and assessments in them.
pub fn syllabus() -> impl Strategy<Value = (Vec<Category>, Vec<Assessment>)> {
    (1usize..4, 0usize..6).prop_flat_map(|(k, n)| {
        let categories: Vec<_> = (0..k).map(|i| category(i).boxed()).collect();
        let assessments: Vec<_> = (0..n).map(|i| assessment(i, k).boxed()).collect();
        (categories, assessments)
    })
}

pub fn course(index: usize) -> impl Strategy<Value = Course> {
    (
        name(index),
        0i64..4_000_000_000,
        0u32..1_000_000_000,
        syllabus(),
        0usize..6,
        prop::collection::vec(observation(), 0..5),
        proptest::option::of(model()),
        (letters(), late_policy()),
    )
        .prop_flat_map(
            |(
                course_name,
                secs,
                nanos,
                (categories, assessments),
                n_students,
                study,
                model,
                policy,
            )| {
                let rows = (0..n_students)
                    .map(|s| {
                        let row: Vec<_> = assessments
                            .iter()
                            .map(|a| cell(a.max_points).boxed())
                            .collect();
                        ((name(s), profile(s)), row)
                    })
                    .collect::<Vec<_>>();
                (
                    Just((
                        course_name,
                        secs,
                        nanos,
                        categories,
                        assessments,
                        study,
                        model,
                        policy,
                    )),
                    rows,
                )
            },
        )
        .prop_map(
            |((name, secs, nanos, categories, assessments, study, model, policy), rows)| {
                let mut c = Course::new(name, time(secs, nanos));
                c.categories = categories;
                c.assessments = assessments;
                c.students = rows
                    .into_iter()
                    .map(|((name, profile), cells)| Student {
                        profile,
                        ..Student::with_cells(name, cells)
                    })
                    .collect();
                c.study = study.into();
                c.model = model;
                c.letters = policy.0;
                c.late_policy = policy.1;
                c
            },
        )
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
    let any_cell = prop_oneof![
        cell(100.0),
        Just(Cell::points(-1.0)),
        Just(Cell::points(f64::NAN)),
        Just(Cell {
            mark: Mark::Excused,
            late_days: 2,
            comment: None
        }),
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
        (i(), i(), assessment(9, 3)).prop_map(|(course, index, assessment)| {
            Command::InsertAssessment {
                course,
                index,
                assessment,
                cells: Vec::new(),
            }
        }),
        (i(), i()).prop_map(|(course, index)| Command::RemoveAssessment { course, index }),
        (i(), i(), assessment(3, 3)).prop_map(|(course, index, assessment)| {
            Command::EditAssessment {
                course,
                index,
                assessment,
            }
        }),
        (i(), i(), i(), any_cell).prop_map(|(course, student, assessment, cell)| {
            Command::SetCell(CellEntry {
                course,
                student,
                assessment,
                cell,
            })
        }),
        (i(), i(), category(5)).prop_map(|(course, index, category)| Command::InsertCategory {
            course,
            index,
            category
        }),
        (i(), i()).prop_map(|(course, index)| Command::RemoveCategory { course, index }),
        (i(), i(), category(6)).prop_map(|(course, index, category)| Command::EditCategory {
            course,
            index,
            category
        }),
        (i(), letters()).prop_map(|(course, letters)| Command::SetLetters { course, letters }),
        (i(), late_policy()).prop_map(|(course, policy)| Command::SetLatePolicy { course, policy }),
        (i(), i(), prop::collection::vec(name(4), 0..4)).prop_map(|(course, index, names)| {
            let students = names.into_iter().map(|n| Student::new(n, 0)).collect();
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

/// Any valid gradebook of format version 1 (its frozen types).
pub fn v1_gradebook() -> impl Strategy<Value = gradebook::store::v1::Gradebook> {
    use gradebook::store::v1;
    let course = |i: usize| {
        (
            prop::collection::vec((0.01..10.0f64, 0.5..500.0f64), 0..5),
            0usize..6,
            (0.0..=100.0f64, 0.0..=1.0f64, 0.0..=1.0f64, 0.0..=1.0f64),
        )
            .prop_flat_map(move |(specs, n, t)| {
                let rows: Vec<_> = (0..n)
                    .map(|_| {
                        specs
                            .iter()
                            .map(|&(_, m)| proptest::option::of(0.0..=m).boxed())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                (Just((specs, t)), rows)
            })
            .prop_map(move |((specs, (a, fb, fc, fd)), rows)| v1::Course {
                name: format!("C{i}"),
                last_updated: time(1_700_000_000, 0),
                assessments: specs
                    .iter()
                    .enumerate()
                    .map(|(j, &(weight, max_points))| v1::Assessment {
                        name: format!("A{j}"),
                        weight,
                        max_points,
                    })
                    .collect(),
                students: rows
                    .into_iter()
                    .enumerate()
                    .map(|(s, grades)| v1::Student {
                        name: format!("S{s}"),
                        grades,
                    })
                    .collect(),
                thresholds: v1::Thresholds {
                    a,
                    b: a * fb,
                    c: a * fb * fc,
                    d: a * fb * fc * fd,
                },
                study: Vec::new(),
                model: None,
            })
    };
    (0usize..3)
        .prop_flat_map(move |n| (0..n).map(|i| course(i).boxed()).collect::<Vec<_>>())
        .prop_map(|courses| v1::Gradebook {
            current: (!courses.is_empty()).then_some(0),
            courses,
        })
}

/// The gradebook of `tests/data/gradebook-v2.postcard`: a whole syllabus.
pub fn syllabus_sample() -> Gradebook {
    let mut c = Course::new("Biology 201", time(1_790_000_000, 123_456_789));
    c.categories = vec![
        Category {
            name: "Homework".into(),
            weight: 20.0,
            drop_lowest: 1,
            mode: CategoryMode::Mean,
        },
        Category {
            name: "Quizzes".into(),
            weight: 30.0,
            drop_lowest: 0,
            mode: CategoryMode::Points,
        },
        Category {
            name: "Exams".into(),
            weight: 50.0,
            drop_lowest: 0,
            mode: CategoryMode::Mean,
        },
    ];
    let a = |name: &str, category, max_points, extra_credit, never_drop| Assessment {
        category,
        max_points,
        extra_credit,
        never_drop,
        ..Assessment::named(name)
    };
    c.assessments = vec![
        a("HW1", 0, 10.0, false, false),
        a("HW2", 0, 10.0, false, false),
        a("HW3", 0, 10.0, false, true),
        a("Quiz 1", 1, 20.0, false, false),
        a("Quiz 2", 1, 25.0, false, false),
        a("Midterm", 2, 100.0, false, false),
        a("Project", 2, 50.0, true, false),
    ];
    c.assessments[6].weight = 0.2;
    let late = |p: f64, d: u32| Cell {
        mark: Mark::Points(p),
        late_days: d,
        comment: None,
    };
    let p = Cell::points;
    let mut students = vec![
        Student::with_cells(
            "Ann Lee",
            [
                p(9.5),
                p(4.0),
                p(10.0),
                late(18.0, 2),
                p(22.0),
                p(88.0),
                p(40.0),
            ],
        ),
        Student::with_cells(
            "Bob Okafor",
            [
                Mark::Excused.into(),
                p(7.0),
                Mark::Missing.into(),
                p(15.0),
                Cell {
                    mark: Mark::Points(20.0),
                    late_days: 0,
                    comment: Some("resubmitted, graded again".into()),
                },
                p(71.5),
                Cell::default(),
            ],
        ),
        Student::with_cells(
            "Chloé Martin",
            [
                p(8.0),
                p(8.0),
                Cell::default(),
                p(19.0),
                Cell::default(),
                Cell::default(),
                p(12.0),
            ],
        ),
    ];
    students[0].profile = Profile {
        id: Some("S1001".into()),
        email: Some("ann.lee@school.example".into()),
        section: Some("A".into()),
        ..Profile::default()
    };
    students[1].profile = Profile {
        id: Some("S1002".into()),
        section: Some("B".into()),
        ..Profile::default()
    };
    students[2].profile.note = Some("Prefers to be called Chloé; extra time on exams".into());
    c.students = students.into();
    c.letters = LetterScheme::plus_minus();
    c.late_policy = Some(LatePolicy {
        per_day: 10.0,
        max: 50.0,
    });
    Gradebook {
        courses: vec![c],
        current: Some(0),
    }
}

//! The model: numbers of PRODUCT.md and exact undo/redo.

use crate::common;

use chrono::Utc;
use gradebook::model::{
    Assessment, Cell, CellEntry, Command, Course, Editor, Gradebook, LetterScheme, Mark, Outcome,
    Student,
};
use gradebook::stats::Report;
use proptest::prelude::*;

/// Competition ranking by its definition, the reference for the ranks the statistics keep
/// up to date: 1 + how many finals are higher, two finals within float noise being the
/// same number (`gradebook::grading::noise`).
fn ranks(finals: &[Option<f64>]) -> Vec<Option<usize>> {
    let all: Vec<f64> = finals.iter().flatten().copied().collect();
    finals
        .iter()
        .map(|f| {
            f.map(|f| {
                let tie = f + gradebook::grading::noise(f);
                1 + all.iter().filter(|&&v| v > tie).count()
            })
        })
        .collect()
}

fn tutorial(extra: &[(&str, f64)]) -> Course {
    let mut ed = Editor::new(Gradebook::default());
    let now = Utc::now();
    let c = Box::new(Course::new("Introduction to Machine Learning", now));
    ed.execute(
        Command::InsertCourse {
            index: 0,
            course: c,
        },
        now,
    )
    .unwrap();
    let grades = [
        ("Alice", 95.0),
        ("Bob", 87.0),
        ("Charlie", 91.0),
        ("Diana", 84.0),
        ("Eve", 78.0),
    ];
    for (name, points) in grades.iter().chain(extra) {
        let (cmd, _) = ed
            .book()
            .grade_by_name(0, name, Cell::points(*points), None)
            .unwrap();
        ed.execute(cmd, now).unwrap();
    }
    ed.into_book().courses.remove(0)
}

#[test]
fn tutorial_statistics() {
    let c = tutorial(&[]);
    assert_eq!(
        c.assessments.len(),
        1,
        "the first grade creates one assessment"
    );
    assert_eq!(c.assessments[0].name, "Grade");
    let r = Report::of(&c);
    assert_eq!(r.stats.count, 5);
    assert_eq!(r.stats.mean, Some(87.0));
    assert_eq!(r.stats.median, Some(87.0));
    assert!((r.stats.std_dev.unwrap() - 6.519202405202649).abs() < 1e-12);
    assert_eq!((r.stats.min, r.stats.max), (Some(78.0), Some(95.0)));
    assert_eq!(r.top, vec![0]);
    assert_eq!(r.letters, [2, 2, 1, 0, 0]);
    assert_eq!(c.categories.len(), 1, "one category, Grades");

    let c = tutorial(&[("Frank", 89.0), ("Grace", 92.0), ("Hannah", 79.0)]);
    let r = Report::of(&c);
    assert_eq!(r.stats.mean, Some(86.875));
    assert_eq!(r.stats.median, Some(88.0));
    assert_eq!(c.students.at(r.top[0]).name, "Alice");
}

#[test]
fn regrading_replaces_the_grade() {
    let c = tutorial(&[("alice", 60.0)]);
    assert_eq!(c.students.len(), 5, "same student, ignoring case");
    assert_eq!(c.students.at(0).marks.to_vec(), vec![Mark::Points(60.0)]);
}

#[test]
fn weighted_final_grade_skips_ungraded_assessments() {
    let mut c = Course::new("Physics", Utc::now());
    let a = |name: &str, weight, max_points| Assessment {
        weight,
        max_points,
        ..Assessment::named(name)
    };
    c.assessments = vec![
        a("Quiz", 1.0, 20.0),
        a("Exam", 3.0, 50.0),
        a("Lab", 2.0, 10.0),
    ];
    let s = Student::with_cells(
        "Ann",
        [Cell::points(10.0), Cell::points(40.0), Cell::default()],
    );
    // (1·50 + 3·80) / 4 = 72.5
    assert_eq!(c.final_grade(s.view()), Some(72.5));
    let none = Student::new("Bo", 3);
    assert_eq!(c.final_grade(none.view()), None);
}

#[test]
fn competition_ranking_and_ties() {
    let mut c = Course::new("Ranks", Utc::now());
    c.assessments.push(Assessment::named("Grade"));
    c.students = [Some(90.0), Some(95.0), None, Some(95.0), Some(80.0)]
        .iter()
        .enumerate()
        .map(|(i, g)| {
            Student::with_cells(format!("S{i}"), [g.map_or(Cell::default(), Cell::points)])
        })
        .collect();
    let expected = vec![Some(3), Some(1), None, Some(1), Some(4)];
    assert_eq!(Report::of(&c).ranks, expected);
    assert_eq!(
        ranks(&Report::of(&c).finals),
        expected,
        "the reference agrees"
    );
    let mut c = tutorial(&[("Zed", 95.0)]);
    c.students.push(Student::new("Ungraded", 1));
    let r = Report::of(&c);
    assert_eq!(r.top, vec![0, 5], "ties are all listed");
    assert_eq!(r.stats.count, 6, "a student with no grade is left out");
}

#[test]
fn statistics_undefined_for_small_classes() {
    let mut c = Course::new("Empty", Utc::now());
    let r = Report::of(&c);
    assert_eq!(
        (r.stats.count, r.stats.mean, r.stats.std_dev),
        (0, None, None)
    );
    c.assessments.push(Assessment::named("Grade"));
    c.students
        .push(Student::with_cells("Solo", [Cell::points(70.0)]));
    let r = Report::of(&c);
    assert_eq!((r.stats.mean, r.stats.std_dev), (Some(70.0), None));
}

#[test]
fn letters_follow_the_course_scheme() {
    let mut c = Course::new("Art", Utc::now());
    assert_eq!(
        [95.0, 90.0, 89.99, 80.0, 70.0, 60.0, 59.9].map(|p| c.letters.letter(p)),
        ["A", "A", "B", "B", "C", "D", "F"]
    );
    // What the teacher sees decides: 89.995 shows as 90.00 (its exact binary value is
    // 89.995000000000004547...), 89.994999 as 89.99.
    assert_eq!(c.letters.letter(89.995), "A");
    assert_eq!(c.letters.letter(89.994999), "B");
    assert_eq!(c.letters.letter(89.99), "B");
    c.letters = LetterScheme::from_thresholds(95.0, 80.0, 70.0, 60.0);
    assert_eq!(c.letters.letter(94.0), "B");
}

fn set(student: usize, assessment: usize, cell: Cell) -> Command {
    Command::SetCell(CellEntry {
        course: 0,
        student,
        assessment,
        cell,
    })
}

#[test]
fn bad_input_changes_nothing() {
    let mut ed = Editor::new(Gradebook::default());
    let now = Utc::now();
    ed.execute(
        Command::InsertCourse {
            index: 0,
            course: Box::new(tutorial(&[])),
        },
        now,
    )
    .unwrap();
    let before = ed.book().clone();
    let bad = [
        Command::RenameStudent {
            course: 0,
            student: 0,
            name: "  ".into(),
        },
        Command::RenameStudent {
            course: 0,
            student: 0,
            name: "BOB".into(),
        },
        Command::RenameStudent {
            course: 0,
            student: 0,
            name: "a\u{7}b".into(),
        },
        Command::RenameStudent {
            course: 0,
            student: 0,
            name: "x".repeat(101),
        },
        set(0, 0, Cell::points(200.5)),
        set(0, 0, Cell::points(f64::NAN)),
        set(9, 0, Cell::points(1.0)),
        set(
            0,
            0,
            Cell {
                mark: Mark::Missing,
                late_days: 1,
                comment: None,
            },
        ),
        set(
            0,
            0,
            Cell {
                mark: Mark::Points(5.0),
                late_days: 0,
                comment: Some("x".repeat(501)),
            },
        ),
        Command::EditAssessment {
            course: 0,
            index: 0,
            assessment: Assessment {
                weight: 0.0,
                ..Assessment::named("Grade")
            },
        },
        Command::EditAssessment {
            course: 0,
            index: 0,
            assessment: Assessment {
                max_points: 40.0,
                ..Assessment::named("Grade")
            },
        },
        Command::EditAssessment {
            course: 0,
            index: 0,
            assessment: Assessment {
                category: 3,
                ..Assessment::named("Grade")
            },
        },
        Command::RemoveCategory {
            course: 0,
            index: 0,
        },
        Command::Batch(vec![
            Command::RemoveStudents {
                course: 0,
                index: 0,
                count: 1,
            },
            Command::RemoveStudents {
                course: 0,
                index: 99,
                count: 1,
            },
        ]),
    ];
    for cmd in bad {
        assert!(
            ed.execute(cmd.clone(), Utc::now()).is_err(),
            "{cmd:?} should be refused"
        );
        assert_eq!(ed.book(), &before, "{cmd:?} changed something");
    }
    assert!(
        ed.redo().unwrap().is_none(),
        "a refused change leaves nothing to redo"
    );
}

#[test]
fn names_are_trimmed_and_any_unicode() {
    let mut ed = Editor::new(Gradebook::default());
    let now = Utc::now();
    ed.execute(
        Command::InsertCourse {
            index: 0,
            course: Box::new(Course::new("  日本語 ", now)),
        },
        now,
    )
    .unwrap();
    assert_eq!(ed.book().courses[0].name, "日本語");
    let (cmd, _) = ed
        .book()
        .grade_by_name(0, "  Zoë 😀 ", Cell::points(50.0), None)
        .unwrap();
    ed.execute(cmd, now).unwrap();
    assert_eq!(ed.book().courses[0].students.at(0).name, "Zoë 😀");
    assert!(
        ed.book().courses[0]
            .lookup_student("ZOË 😀")
            .unwrap()
            .is_some()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Undo walks back through every earlier state exactly; redo walks forward again.
    #[test]
    fn undo_and_redo_restore_exact_states(
        start in common::gradebook(),
        cmds in prop::collection::vec(common::command(), 1..25),
        times in prop::collection::vec(0i64..4_000_000_000, 25),
    ) {
        let mut ed = Editor::new(start.clone());
        let mut states = vec![start];
        for (cmd, t) in cmds.into_iter().zip(times) {
            let before = ed.book().clone();
            match ed.execute(cmd, common::time(t, 0)) {
                Ok(Outcome::Changed) => states.push(ed.book().clone()),
                Ok(Outcome::Unchanged) | Err(_) => prop_assert_eq!(ed.book(), &before),
            }
            prop_assert!(ed.book().validate().is_ok());
        }
        for expected in states.iter().rev().skip(1) {
            prop_assert!(ed.undo().unwrap().is_some());
            prop_assert_eq!(ed.book(), expected);
        }
        prop_assert!(ed.undo().unwrap().is_none());
        for expected in states.iter().skip(1) {
            prop_assert!(ed.redo().unwrap().is_some());
            prop_assert_eq!(ed.book(), expected);
        }
        prop_assert!(ed.redo().unwrap().is_none());
    }
}

#[test]
fn duplicates_are_found_ignoring_case_and_spaces() {
    use gradebook::model::find_duplicate;
    assert_eq!(find_duplicate(["Ann", "Bob", "ANN"]), Some("ANN"));
    assert_eq!(find_duplicate(["Zoë", "Bob", " ZOË "]), Some(" ZOË "));
    assert_eq!(
        find_duplicate(["Straße", "STRASSE"]),
        Some("STRASSE"),
        "full case folding: ß is ss"
    );
    assert_eq!(
        find_duplicate(["\u{e9}mile", "E\u{301}MILE"]),
        Some("E\u{301}MILE"),
        "precomposed and decomposed accents are one name"
    );
    assert_eq!(
        find_duplicate(["Alice", "Alice\u{200d}"]),
        Some("Alice\u{200d}")
    );
    assert_eq!(
        find_duplicate(
            (0..10_000)
                .map(|i| format!("Student {i}"))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
        ),
        None
    );
    assert_eq!(find_duplicate(Vec::<&str>::new()), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Statistics kept up to date one grade at a time agree with statistics from scratch.
    #[test]
    fn live_statistics_follow_single_grade_changes(
        course in common::course(0),
        changes in prop::collection::vec((0usize..8, 0usize..6, common::cell(1.0)), 1..40),
    ) {
        use gradebook::stats::LiveStats;
        let mut book = Gradebook { courses: vec![course], current: Some(0) };
        let mut live = LiveStats::of(&book.courses[0]);
        for (s, a, mut cell) in changes {
            let course = &book.courses[0];
            if s >= course.students.len() || a >= course.assessments.len() {
                continue;
            }
            // The cell was made for 1 point: scaled to the assessment's.
            if let Mark::Points(p) = cell.mark {
                cell.mark = Mark::Points((p * course.assessments[a].max_points * 4.0).round() / 4.0);
            }
            let old = course.students.at(s).cell(a);
            let set = Command::SetCell(CellEntry { course: 0, student: s, assessment: a, cell });
            if book.apply(set, Utc::now()).is_err() {
                continue;
            }
            let course = &book.courses[0];
            live.cell_changed(course, s, a, &old);
            let fresh = LiveStats::of(course);
            prop_assert_eq!(&live.finals, &fresh.finals);
            prop_assert_eq!(live.top.clone(), fresh.top.clone());
            prop_assert_eq!(&live.letters, &fresh.letters);
            prop_assert_eq!(live.stats.count, fresh.stats.count);
            prop_assert_eq!((live.stats.median, live.stats.min, live.stats.max), (fresh.stats.median, fresh.stats.min, fresh.stats.max));
            prop_assert_eq!(live.stats.mean, fresh.stats.mean);
            for (x, y) in live.assessment_means.iter().zip(&fresh.assessment_means) {
                match (x, y) {
                    (Some(x), Some(y)) => prop_assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0)),
                    _ => prop_assert_eq!(x, y),
                }
            }
            // Withdrawn students have no rank and take none from the others.
            let active: Vec<Option<f64>> = fresh
                .finals
                .iter()
                .zip(&course.students)
                .map(|(f, s)| f.filter(|_| !s.profile.withdrawn()))
                .collect();
            for (f, r) in active.iter().zip(ranks(&active)) {
                prop_assert_eq!(f.map(|f| live.rank(f)), r);
            }
        }
    }
}

/// Names the same to a reader, spelled differently: case, accents typed two ways,
/// ß and ss, runs of spaces, joiners.
fn spelling() -> impl Strategy<Value = (String, String)> {
    let part = prop_oneof![
        Just(("a", "A")),
        Just(("Z", "z")),
        Just(("ß", "SS")),
        Just(("é", "e\u{301}")),
        Just((" ", "   ")),
        Just(("Ö", "o\u{308}")),
        Just(("x", "x\u{200d}")),
        Just(("!", "!")),
        Just(("Lee", "lEE")),
        Just(("字", "字")),
    ];
    prop::collection::vec(part, 1..20).prop_map(|parts| {
        let a: String = parts.iter().map(|p| p.0).collect();
        let b: String = parts.iter().map(|p| p.1).collect();
        (format!("N{a}"), format!("n{b}"))
    })
}

proptest! {
    /// Names a reader takes for one have one hash, on the quick path (ASCII, eight bytes
    /// at a time) and the slow one alike; names that differ almost never share one.
    #[test]
    fn one_name_one_hash((a, b) in spelling(), other in "[a-zA-Z !]{1,40}") {
        use gradebook::model::{name_hash, name_key, same_name};
        prop_assert!(same_name(&a, &b), "{a:?} {b:?}");
        prop_assert_eq!(name_hash(&a), name_hash(&b), "{:?} {:?}", a, b);
        prop_assert_eq!(name_key(&a), name_key(&b));
        if !same_name(&a, &other) {
            prop_assert_ne!(name_hash(&a), name_hash(&other));
        } else {
            prop_assert_eq!(name_hash(&a), name_hash(&other));
        }
    }
}

//! The syllabus's numbers (PRODUCT.md 2.1) against a reference written straight from the
//! text: every subset of drops tried, no shortcuts. Then the worked example of the README,
//! the cases the text calls out, and the command line end to end.

use crate::common::{self, Bin};
use chrono::Utc;
use gradebook::grading::Plan;
use gradebook::model::{
    Assessment, Category, CategoryMode, Cell, Course, LatePolicy, LetterScheme, Mark, Student,
    StudentRef,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// How the reference counts an empty cell.
#[derive(Clone, Copy)]
enum Empty {
    Skip,
    As(f64),
}

/// The percent of a cell, late work lost; `None` when it counts nowhere.
fn ref_percent(course: &Course, student: StudentRef<'_>, a: usize, empty: Empty) -> Option<f64> {
    let max = course.assessments[a].max_points;
    match (student.mark(a), empty) {
        (Mark::Empty, Empty::Skip) | (Mark::Excused, _) => None,
        (Mark::Empty, Empty::As(x)) => Some(x),
        (Mark::Missing, _) => Some(0.0),
        (Mark::Points(p), _) => {
            let days = f64::from(student.late_days(a));
            let lost = match course.late_policy {
                Some(l) if days > 0.0 => max * (l.per_day * days).min(l.max) / 100.0,
                _ => 0.0,
            };
            Some((p - lost).max(0.0) / max * 100.0)
        }
    }
}

/// Every subset of `0..n` with `k` members.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    (0u32..1 << n)
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| (0..n).filter(|i| m & (1 << i) != 0).collect())
        .collect()
}

/// A category's percent, the best drop found by trying every subset of droppable items.
fn ref_category(course: &Course, student: StudentRef<'_>, c: usize, empty: Empty) -> Option<f64> {
    let category = &course.categories[c];
    let (mut regular, mut extra) = (Vec::new(), 0.0);
    for (a, assessment) in course.assessments.iter().enumerate() {
        if assessment.category != c {
            continue;
        }
        let Some(q) = ref_percent(course, student, a, empty) else {
            continue;
        };
        let w = match category.mode {
            CategoryMode::Mean => assessment.weight,
            CategoryMode::Points => assessment.max_points,
        };
        if assessment.extra_credit {
            extra += w * q;
        } else {
            regular.push((w, q, !assessment.never_drop));
        }
    }
    if regular.is_empty() {
        return None;
    }
    let droppable: Vec<usize> = (0..regular.len()).filter(|&i| regular[i].2).collect();
    let k = (category.drop_lowest as usize)
        .min(droppable.len())
        .min(regular.len() - 1);
    subsets(droppable.len(), k)
        .into_iter()
        .map(|subset| {
            let dropped: Vec<usize> = subset.iter().map(|&i| droppable[i]).collect();
            let kept = (0..regular.len()).filter(|i| !dropped.contains(i));
            let (s, w) = kept.fold((0.0, 0.0), |(s, w), i| {
                (s + regular[i].0 * regular[i].1, w + regular[i].0)
            });
            (s + extra) / w
        })
        .max_by(f64::total_cmp)
}

fn ref_final(course: &Course, student: StudentRef<'_>, empty: Empty) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for (c, category) in course.categories.iter().enumerate() {
        if let Some(p) = ref_category(course, student, c, empty)
            && category.weight > 0.0
        {
            num += category.weight * p;
            den += category.weight;
        }
    }
    (den > 0.0).then(|| num / den)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        _ => false,
    }
}

/// A course with at most 12 assessments, so that every subset can be tried.
fn course() -> impl Strategy<Value = Course> {
    common::course(0).prop_filter("small enough to try every drop", |c| {
        c.assessments.len() <= 12
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The final, the final with zeros and each category's percent are those of the
    /// reference, whose drop is the best of every possible one.
    #[test]
    fn numbers_match_the_reference(course in course()) {
        let plan = Plan::of(&course);
        for s in &course.students {
            let standing = plan.standing(s);
            prop_assert!(close(standing.final_grade, ref_final(&course, s, Empty::Skip)));
            prop_assert!(close(plan.final_grade(s), standing.final_grade));
            prop_assert!(close(
                plan.final_with_zeros(s),
                ref_final(&course, s, Empty::As(0.0))
            ));
            for (c, p) in standing.categories.iter().enumerate() {
                prop_assert!(close(*p, ref_category(&course, s, c, Empty::Skip)), "category {c}");
            }
        }
    }

    /// Raising any score, or turning a missing mark into points, never lowers a final.
    #[test]
    fn raising_a_score_never_lowers_a_final(
        course in course(),
        pick in any::<prop::sample::Index>(),
        raise in 0.0..1.0f64,
    ) {
        let plan = Plan::of(&course);
        for s in &course.students {
            if s.marks.is_empty() {
                continue;
            }
            let a = pick.index(s.marks.len());
            let max = course.assessments[a].max_points;
            let higher = match s.mark(a) {
                Mark::Points(p) => Mark::Points(p + (2.0 * max - p) * raise),
                Mark::Missing => Mark::Points(2.0 * max * raise),
                _ => continue,
            };
            let mut raised = s.to_owned();
            raised.marks[a] = higher;
            for (before, after) in [
                (plan.final_grade(s), plan.final_grade(raised.view())),
                (plan.final_with_zeros(s), plan.final_with_zeros(raised.view())),
            ] {
                // A final exists or not by what counts, not by how much.
                prop_assert_eq!(before.is_some(), after.is_some());
                if let (Some(b), Some(a)) = (before, after) {
                    prop_assert!(a >= b - 1e-9, "{b} → {a}");
                }
            }
        }
    }

    /// The score needed for each letter is the smallest that reaches it: scoring it on
    /// every empty cell reaches the letter's lowest percent, 1e-6 less does not; none only
    /// when there is no empty cell or no score reaches it.
    #[test]
    fn the_score_needed_is_the_smallest_that_reaches_each_letter(course in course()) {
        let plan = Plan::of(&course);
        for s in &course.students {
            let needed = plan.needed(s);
            prop_assert_eq!(needed.len(), course.letters.0.len() - 1);
            for (x, letter) in needed.iter().zip(&course.letters.0) {
                let at = |x: f64| ref_final(&course, s, Empty::As(x)).unwrap_or(f64::NEG_INFINITY);
                match x {
                    Some(x) => {
                        prop_assert!(*x >= 0.0);
                        prop_assert!(at(*x) >= letter.min - 1e-9, "{x} gives {}", at(*x));
                        if *x >= 1e-6 {
                            prop_assert!(at(x - 1e-6) < letter.min, "{x} is not the smallest");
                        }
                    }
                    None => prop_assert!(
                        !s.marks.contains(Mark::Empty) || at(1e9) < letter.min,
                        "{} is reachable", letter.letter
                    ),
                }
            }
        }
    }
}

fn category(name: &str, weight: f64, drop_lowest: u32, mode: CategoryMode) -> Category {
    Category {
        name: name.into(),
        weight,
        drop_lowest,
        mode,
    }
}

fn assessment(name: &str, category: usize, weight: f64, max_points: f64) -> Assessment {
    Assessment {
        category,
        weight,
        max_points,
        ..Assessment::named(name)
    }
}

fn one_category(mode: CategoryMode, drop: u32, items: &[(f64, f64)]) -> Course {
    let mut c = Course::new("C", Utc::now());
    c.categories = vec![category("All", 1.0, drop, mode)];
    c.assessments = items
        .iter()
        .enumerate()
        .map(|(i, &(w, max))| assessment(&format!("A{i}"), 0, w, max))
        .collect();
    c
}

/// Dropping the lowest percent is not the best drop when weights differ.
#[test]
fn the_best_drop_is_not_always_the_lowest_percent() {
    // Weights 1, 10, 10; percents 50, 60, 100. Dropping the 50 gives 80; the 60, 95.45.
    let c = one_category(
        CategoryMode::Mean,
        1,
        &[(1.0, 100.0), (10.0, 100.0), (10.0, 100.0)],
    );
    let s = Student::with_cells("S", [50.0, 60.0, 100.0].map(Cell::points));
    let standing = Plan::of(&c).standing(s.view());
    assert_eq!(standing.dropped, vec![1]);
    assert!((standing.final_grade.unwrap() - 1050.0 / 11.0).abs() < 1e-12);

    // Points mode, max points 10, 50, 100: 5/10 is the lowest percent, yet dropping
    // 30/50 gives 105/110 against 130/150.
    let c = one_category(
        CategoryMode::Points,
        1,
        &[(1.0, 10.0), (1.0, 50.0), (1.0, 100.0)],
    );
    let s = Student::with_cells("S", [5.0, 30.0, 100.0].map(Cell::points));
    let standing = Plan::of(&c).standing(s.view());
    assert_eq!(standing.dropped, vec![1]);
    assert!((standing.final_grade.unwrap() - 105.0 / 110.0 * 100.0).abs() < 1e-12);
}

/// Exactly k items are dropped even when keeping them all would score higher, never the
/// last counted one, never a never-drop or extra-credit one, and excused ones are not
/// counted at all.
#[test]
fn drops_follow_the_rules() {
    let mut c = one_category(
        CategoryMode::Mean,
        2,
        &[(1.0, 10.0), (1.0, 10.0), (1.0, 10.0), (1.0, 10.0)],
    );
    let plan = Plan::of(&c);
    let all = |marks: [Mark; 4]| Student::with_cells("S", marks.map(Cell::from));
    let p = Mark::Points;
    // All 10/10: two are still dropped; the percent stays 100.
    let s = all([p(10.0); 4]);
    assert_eq!(plan.standing(s.view()).dropped.len(), 2);
    // Two excused: of the two counted, one is dropped (never the last).
    let s = all([Mark::Excused, p(2.0), Mark::Excused, p(8.0)]);
    let st = plan.standing(s.view());
    assert_eq!((st.dropped, st.final_grade), (vec![1], Some(80.0)));
    // Missing counts as 0 and is the one dropped.
    let s = all([Mark::Missing, p(6.0), p(7.0), Mark::Empty]);
    let st = plan.standing(s.view());
    assert_eq!((st.dropped.len(), st.final_grade), (2, Some(70.0)));
    assert!(st.dropped.contains(&0));

    c.assessments[0].never_drop = true;
    c.assessments[3].extra_credit = true;
    let plan = Plan::of(&c);
    let s = all([p(1.0), p(5.0), p(9.0), p(10.0)]);
    let st = plan.standing(s.view());
    // Regular A0 (never dropped), A1, A2; k = min(2, 2 droppable, 3 − 1) = 2: both A1
    // and A2 go although they score higher, A0 stays, extra credit on top: 10 + 100.
    assert_eq!(st.dropped, vec![1, 2]);
    assert_eq!(st.final_grade, Some(110.0));
}

/// Late work: `per_day` percent of the max points a day, at most `max`, never below 0.
#[test]
fn late_work_loses_points_by_the_policy() {
    let mut c = one_category(CategoryMode::Mean, 0, &[(1.0, 20.0)]);
    c.late_policy = Some(LatePolicy {
        per_day: 10.0,
        max: 50.0,
    });
    let plan = Plan::of(&c);
    let late = |points: f64, days: u32| {
        let s = Student::with_cells(
            "S",
            [Cell {
                mark: Mark::Points(points),
                late_days: days,
                comment: None,
            }],
        );
        plan.final_grade(s.view()).unwrap()
    };
    assert_eq!(late(18.0, 0), 90.0);
    assert_eq!(late(18.0, 2), 70.0); // 18 − 20 · 20% = 14
    assert_eq!(late(18.0, 7), 40.0); // capped at 50%: 18 − 10 = 8
    assert_eq!(late(3.0, 3), 0.0); // 3 − 6 is 0, not negative
    assert_eq!(late(40.0, 1), 190.0); // bonus points lose the same
}

/// The current grade leaves empty cells out; the final with zeros counts them as 0.
#[test]
fn final_with_zeros_counts_empty_cells_as_missing() {
    let c = one_category(CategoryMode::Mean, 0, &[(1.0, 100.0), (1.0, 100.0)]);
    let plan = Plan::of(&c);
    let s = Student::with_cells("S", [Cell::points(90.0), Cell::default()]);
    assert_eq!(plan.final_grade(s.view()), Some(90.0));
    assert_eq!(plan.final_with_zeros(s.view()), Some(45.0));
    let none = Student::new("N", 2);
    assert_eq!(plan.final_grade(none.view()), None);
    assert_eq!(plan.final_with_zeros(none.view()), Some(0.0));
}

/// The letter is that of the final as shown with two decimals.
#[test]
fn letters_are_decided_on_the_final_rounded_to_two_decimals() {
    let scheme = LetterScheme::default();
    assert_eq!(scheme.letter(89.996), "A"); // shown as 90.00
    assert_eq!(scheme.letter(89.995_000_1), "A");
    assert_eq!(scheme.letter(89.994), "B"); // shown as 89.99
    assert_eq!(scheme.letter(0.0), "F");
    let pm = LetterScheme::plus_minus();
    let letters: Vec<&str> = [97.0, 96.999, 93.0, 90.0, 60.0, 59.99]
        .iter()
        .map(|&f| pm.letter(f))
        .collect();
    assert_eq!(letters, ["A+", "A+", "A", "A−", "D−", "F"]);
}

/// The worked example of the README, by the command line: every number in it.
#[test]
fn the_readme_worked_example() {
    let b = Bin::new();
    b.ok(&["course", "add", "Biology 101"]);
    b.ok(&[
        "category", "add", "Homework", "--weight", "20", "--drop", "1",
    ]);
    b.ok(&[
        "category", "add", "Quizzes", "--weight", "30", "--mode", "points",
    ]);
    b.ok(&["category", "add", "Exams", "--weight", "50"]);
    b.ok(&["category", "delete", "Grades"]);
    for hw in ["HW1", "HW2", "HW3"] {
        b.ok(&[
            "assessment",
            "add",
            hw,
            "--category",
            "Homework",
            "--max-points",
            "10",
        ]);
    }
    b.ok(&[
        "assessment",
        "add",
        "Quiz 1",
        "--category",
        "Quizzes",
        "--max-points",
        "20",
    ]);
    b.ok(&[
        "assessment",
        "add",
        "Quiz 2",
        "--category",
        "Quizzes",
        "--max-points",
        "30",
    ]);
    b.ok(&["assessment", "add", "Midterm", "--category", "Exams"]);
    b.ok(&[
        "assessment",
        "add",
        "Final",
        "--category",
        "Exams",
        "--weight",
        "2",
    ]);
    b.ok(&[
        "assessment",
        "add",
        "Project",
        "--category",
        "Exams",
        "--max-points",
        "10",
        "--weight",
        "0.5",
        "--extra-credit",
    ]);
    b.ok(&["course", "late-policy", "10", "50"]);
    for (a, g) in [
        ("HW1", "9"),
        ("HW2", "M"),
        ("Quiz 1", "15"),
        ("Quiz 2", "27"),
    ] {
        b.ok(&["grade", "Maya", g, "-a", a]);
    }
    b.ok(&["grade", "Maya", "8", "-a", "HW3", "--late", "1"]);
    b.ok(&[
        "grade",
        "Maya",
        "72",
        "-a",
        "Midterm",
        "--comment",
        "retake offered",
    ]);

    let r = b.json(&["report", "--json"]);
    let maya = &r["students"][0];
    let near = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    assert!(near(&maya["final"], 77.2), "{maya}");
    assert_eq!(maya["letter"], "C");
    assert!(near(&maya["final_with_zeros"], 53.2));
    assert!(near(&maya["categories"]["Homework"], 80.0));
    assert!(near(&maya["categories"]["Quizzes"], 84.0));
    assert!(near(&maya["categories"]["Exams"], 72.0));
    assert_eq!(maya["dropped"], json!(["HW2"]));
    for (letter, x) in [("A", 88.32), ("B", 64.32), ("C", 40.32), ("D", 16.32)] {
        assert!(
            near(&maya["needed"][letter], x),
            "{letter}: {}",
            maya["needed"]
        );
    }
    assert_eq!(maya["grades"]["HW2"], "M");
    assert_eq!(maya["grades"]["Final"], Value::Null);

    // Full marks on the two exams left: exams (72 + 200 + 50) / 3, final 94.87, an A.
    b.ok(&["grade", "Maya", "100", "-a", "Final"]);
    b.ok(&["grade", "Maya", "10", "-a", "Project"]);
    let r = b.json(&["report", "--json"]);
    let maya = &r["students"][0];
    assert!(near(&maya["final"], 41.2 + 50.0 * 322.0 / 300.0));
    assert_eq!(maya["letter"], "A");
    assert_eq!(maya["needed"]["A"], Value::Null);

    let text = b.ok(&["report"]);
    for shown in [
        "Homework 20% (drop 1 lowest) · Quizzes 30% (total points) · Exams 50%",
        "Late work: −10% of the max points a day, at most −50%",
        "[M]",
        "8.0 L1",
        "72.0*",
        "94.87",
    ] {
        assert!(text.contains(shown), "{shown:?} not in\n{text}");
    }
}

/// Every policy command previews with --dry-run, changing nothing; then does it.
#[test]
fn dry_runs_preview_and_change_nothing() {
    let b = Bin::sample();
    b.ok(&["assessment", "add", "Quiz", "--max-points", "20"]);
    b.ok(&["grade", "Alice", "18", "-a", "Quiz"]);
    b.ok(&["grade", "Diana", "20", "-a", "Quiz"]);
    let before = b.contents();
    for args in [
        vec!["course", "letters", "--scheme", "plus-minus", "--dry-run"],
        vec!["course", "letters", "95", "85", "75", "65", "--dry-run"],
        vec!["course", "late-policy", "5", "20", "--dry-run"],
        vec!["curve", "Quiz", "--add", "2", "--dry-run"],
        vec!["category", "add", "Labs", "--weight", "3", "--dry-run"],
        vec!["category", "edit", "Grades", "--drop", "1", "--dry-run"],
    ] {
        let said = b.ok(&args);
        assert!(said.contains("finals would move"), "{args:?}: {said}");
        assert!(said.contains("nothing changed"), "{args:?}: {said}");
        assert_eq!(b.contents(), before, "{args:?} changed the file");
    }
    let said = b.ok(&["course", "letters", "95", "85", "75", "65", "--dry-run"]);
    assert!(said.contains("Alice    A  →  B"), "{said}");

    b.ok(&["curve", "Quiz", "--add", "3"]);
    let r = b.json(&["report", "--json"]);
    let quiz = |name: &str| {
        r["students"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()["grades"]["Quiz"]
            .clone()
    };
    assert_eq!(quiz("Alice"), json!(21.0));
    assert_eq!(quiz("Diana"), json!(23.0));
    assert_eq!(quiz("Charlie"), Value::Null); // not graded: not curved
}

/// A curve stops at twice the max points, and touches no excused or missing cell.
#[test]
fn curves_cap_at_twice_the_max_and_skip_marks() {
    let b = Bin::new();
    b.ok(&["course", "add", "C"]);
    b.ok(&["assessment", "add", "Lab", "--max-points", "10"]);
    b.ok(&["grade", "Ann", "19", "-a", "Lab"]);
    b.ok(&["grade", "Ben", "EX", "-a", "Lab"]);
    b.ok(&["grade", "Cy", "M", "-a", "Lab"]);
    b.ok(&["grade", "Di", "4", "-a", "Lab"]);
    b.ok(&["curve", "Lab", "--add", "5"]);
    let r = b.json(&["report", "--json"]);
    let grades: Vec<Value> = r["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["grades"]["Lab"].clone())
        .collect();
    assert_eq!(grades, [json!(20.0), json!("EX"), json!("M"), json!(9.0)]);
}

/// Categories and cells from the command line, each listed back.
#[test]
fn categories_marks_late_days_and_comments_by_command() {
    let b = Bin::sample();
    b.ok(&["assessment", "add", "Quiz", "--max-points", "20"]);
    b.ok(&[
        "category", "add", "Labs", "--weight", "2", "--drop", "1", "--mode", "points",
    ]);
    let list = b.ok(&["category", "list"]);
    assert!(list.contains("Labs"), "{list}");
    assert!(list.contains("66.7%"), "weight shown as a share: {list}");
    b.ok(&[
        "assessment",
        "edit",
        "Quiz",
        "--category",
        "Labs",
        "--never-drop",
    ]);
    b.ok(&[
        "category", "edit", "Labs", "--rename", "Lab work", "--weight", "1",
    ]);
    b.ok(&["grade", "Eve", "EX", "-a", "Quiz"]);
    b.ok(&[
        "grade",
        "Bob",
        "10",
        "-a",
        "Quiz",
        "--late",
        "3",
        "--comment",
        "flu",
    ]);
    let export = b.path("g.json");
    b.ok(&["export", "json", "-o", export.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    let course = &j["courses"][0];
    assert_eq!(course["categories"][1]["name"], "Lab work");
    assert_eq!(course["categories"][1]["mode"], "points");
    assert_eq!(course["assessments"][1]["category"], "Lab work");
    assert_eq!(course["assessments"][1]["never_drop"], true);
    let student = |name: &str| {
        course["students"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()["grades"]["Quiz"]
            .clone()
    };
    assert_eq!(student("Eve"), "EX");
    assert_eq!(
        student("Bob"),
        json!({"value": 10.0, "late_days": 3, "comment": "flu"})
    );

    // A category that holds assessments needs somewhere for them to go.
    b.refused(&["category", "delete", "Lab work"], "--move-to");
    b.ok(&["category", "delete", "Lab work", "--move-to", "Grades"]);
    assert!(!b.ok(&["category", "list"]).contains("Lab work"));
}

/// Policies that make no sense are refused in one line, and change nothing.
#[test]
fn bad_policies_are_refused() {
    let b = Bin::sample();
    b.ok(&["assessment", "add", "Quiz", "--max-points", "20"]);
    b.ok(&["category", "add", "Labs", "--drop", "1"]);
    for (args, said) in [
        (vec!["category", "add", "X", "--weight", "-1"], "weight"),
        (vec!["category", "add", "X", "--weight", "NaN"], "weight"),
        (vec!["category", "add", "X", "--mode", "median"], "mode"),
        (vec!["category", "add", "grades"], "already"),
        (vec!["category", "edit", "Grades", "--drop", "2"], "drop"),
        (
            vec!["category", "edit", "Nope", "--drop", "1"],
            "no category",
        ),
        (
            vec!["assessment", "edit", "Quiz", "--category", "Nope"],
            "no category",
        ),
        (
            vec!["course", "letters", "80", "90", "70", "60"],
            "strictly down",
        ),
        (vec!["course", "letters", "A=90", "F=10"], "0"),
        (vec!["course", "letters", "A=90", "A=80", "F=0"], "A"),
        (vec!["course", "letters", "--scheme", "pass-fail"], "scheme"),
        (vec!["course", "late-policy", "--", "-5", "20"], "late"),
        (vec!["course", "late-policy", "5", "120"], "late"),
        (vec!["curve", "Quiz", "--add", "inf"], "number"),
        (vec!["grade", "Alice", "250", "-a", "Grade"], "200"),
        (
            vec!["grade", "Alice", "90", "-a", "Grade", "--late=-1"],
            "late",
        ),
        (
            vec!["grade", "Alice", "EX", "-a", "Grade", "--late", "2"],
            "late",
        ),
    ] {
        let e = b.refused(&args, said);
        assert_eq!(e.trim_end().lines().count(), 1, "{args:?}: {e}");
    }
}

/// A final that is exact in decimals but not in binary floats is read as the decimal:
/// x.xx5 rounds up, and two finals that are the same number are a tie.
#[test]
fn float_noise_never_decides_a_letter_or_a_tie() {
    let final_69_995 = 6999.5 / 10000.0 * 100.0;
    assert!(final_69_995 < 69.995, "the float is a hair below");
    assert_eq!(LetterScheme::default().letter(final_69_995), "C");
    assert_eq!(
        gradebook::text::two_decimals(Some(final_69_995)),
        "70.00",
        "shown as the letter is decided"
    );
    assert_eq!(
        gradebook::text::two_decimals(Some(89.125)),
        "89.13",
        "halves go up"
    );

    // 30 of 50 with weight 0.739 is 59.99999999999999 computed; 60 of 100 is 60.
    let b = Bin::new();
    b.ok(&["course", "add", "T"]);
    b.ok(&[
        "assessment",
        "add",
        "a",
        "--weight",
        "0.739",
        "--max-points",
        "50",
    ]);
    b.ok(&["assessment", "add", "b"]);
    b.ok(&["grade", "s", "30", "-a", "a"]);
    b.ok(&["grade", "t", "60", "-a", "b"]);
    let r = b.json(&["report", "--json"]);
    let ranks: Vec<&Value> = r["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["rank"])
        .collect();
    assert_eq!(ranks, [&json!(1), &json!(1)]);
    assert_eq!(r["top"].as_array().unwrap().len(), 2);

    // s already reaches D (their empty cell counts in a category of weight 0): 0 is
    // needed, not "out of reach".
    b.ok(&["course", "add", "N"]);
    b.ok(&["category", "add", "Z", "--weight", "0"]);
    b.ok(&[
        "assessment",
        "add",
        "a",
        "--weight",
        "0.739",
        "--max-points",
        "50",
    ]);
    b.ok(&["assessment", "add", "b", "--category", "Z"]);
    b.ok(&["grade", "s", "30", "-a", "a"]);
    let r = b.json(&["report", "--json"]);
    let s = &r["students"][0];
    assert_eq!(s["letter"], "D");
    assert_eq!(s["needed"]["D"], json!(0.0), "{s}");
    assert_eq!(s["needed"]["C"], Value::Null, "{s}");
}

/// A JSON export of version 1 (no categories, thresholds for letters) still imports:
/// one category `Grades`, its letters, every final as it was.
#[test]
fn version_1_json_imports() {
    let b = Bin::new();
    let v1 = r#"{"format": "gradebook", "version": 1,
      "courses": [{"name": "Old", "last_updated": "2026-01-01T00:00:00Z",
        "assessments": [{"name": "Quiz", "weight": 1.0, "max_points": 20.0},
                        {"name": "Exam", "weight": 3.0, "max_points": 100.0}],
        "students": [{"name": "Ann", "grades": {"Quiz": 17.0, "Exam": 88.0}},
                     {"name": "Ben", "grades": {"Quiz": 12.5, "Exam": null}}],
        "study": [], "model": null,
        "thresholds": {"a": 95.0, "b": 85.0, "c": 75.0, "d": 65.0}}]}"#;
    let input = b.input("v1.json", v1.as_bytes());
    b.ok(&["import", "json", &input]);
    let r = b.json(&["report", "--json", "--course", "Old"]);
    let ann = &r["students"][0];
    assert_eq!(ann["final"], json!((85.0 + 3.0 * 88.0) / 4.0));
    assert_eq!(ann["letter"], "B");
    assert_eq!(ann["categories"], json!({"Grades": 87.25}));
    assert_eq!(r["students"][1]["final"], json!(62.5));
    assert_eq!(r["students"][1]["letter"], "F");
    let export = b.path("again.json");
    b.ok(&["export", "json", "-o", export.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    assert_eq!(j["version"], 2);
    assert_eq!(
        j["courses"][0]["letters"],
        json!([{"letter": "A", "min": 95.0}, {"letter": "B", "min": 85.0},
               {"letter": "C", "min": 75.0}, {"letter": "D", "min": 65.0},
               {"letter": "F", "min": 0.0}])
    );
}

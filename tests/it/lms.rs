//! The LMS round trip: Canvas, Moodle and Google Classroom exports in (the fixtures in
//! `tests/data/lms`, shaped like the real files; `EXPECTED.md` says what each must give),
//! our exports back out, and every export of ours read back to the same grades.

use crate::common::{self, Bin};
use gradebook::interop::lms::{self, System};
use gradebook::model::{Course, Gradebook, Mark, Roster};
use proptest::prelude::*;
use serde_json::{Value, json};

const DIR: &str = "tests/data/lms";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// The course after importing `name` into a new course, as `export json` writes it.
fn imported(b: &Bin, name: &str) -> Value {
    let said = b.ok(&["import", "lms", &fixture(name), "--new-course"]);
    assert!(said.contains("added"), "{said}");
    let out = b.path("all.json");
    b.ok(&["export", "json", "-o", out.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    j["courses"].as_array().unwrap().last().unwrap().clone()
}

fn assessments(course: &Value) -> Vec<(String, f64, Option<String>)> {
    course["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_string(),
                a["max_points"].as_f64().unwrap(),
                a["lms_id"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn student<'a>(course: &'a Value, name: &str, nth: usize) -> &'a Value {
    course["students"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"] == name)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {name} in {course:#}"))
}

#[test]
fn canvas_full_gives_the_roster_identity_assessments_and_grades() {
    let b = Bin::new();
    let c = imported(&b, "canvas_full.csv");
    assert_eq!(
        assessments(&c),
        [
            ("Lab Report 1".into(), 20.0, Some("8820101".into())),
            ("Reading, \"Notes\" 2".into(), 10.0, Some("8820102".into())),
            ("Project (Part 1)".into(), 50.0, Some("8820109".into())),
            ("Peer Review".into(), 5.0, Some("8820130".into())),
            ("Quiz 1".into(), 15.0, Some("8820120".into())),
            ("Quiz 2".into(), 15.0, Some("8820121".into())),
        ]
    );
    assert_eq!(
        c["students"].as_array().unwrap().len(),
        5,
        "no test student"
    );
    let abara = student(&c, "Abara, Chidi", 0);
    assert_eq!(abara["id"], "40020001");
    assert_eq!(abara["email"], "cabara@students.example.edu");
    assert_eq!(abara["section"], "BIO 210 - 01");
    assert_eq!(
        abara["lms"],
        json!({"canvas_id": "2210001", "sis_user_id": "40020001", "sis_login_id": "cabara@students.example.edu"})
    );
    assert_eq!(
        abara["grades"],
        json!({"Lab Report 1": 18.5, "Reading, \"Notes\" 2": 10.0, "Project (Part 1)": 52.0, "Quiz 1": 14.0, "Quiz 2": "EX"})
    );
    // No SIS User ID: the Canvas ID is the id, and the SIS User ID stays empty.
    let cruz = student(&c, "de la Cruz, María José", 0);
    assert_eq!(cruz["id"], "2210005");
    assert_eq!(cruz["lms"].get("sis_user_id"), None);
    // Two students of one name with different ids are both added.
    assert_eq!(student(&c, "Nguyen, An", 0)["id"], "40020002");
    assert_eq!(
        student(&c, "Nguyen, An", 0).get("email"),
        None,
        "anguyen is no address"
    );
    assert_eq!(student(&c, "Nguyen, An", 0)["section"], "Lab A and Lab B");
    assert_eq!(student(&c, "Nguyen, An", 1)["id"], "40020003");
    let obrien = student(&c, "O'Brien, Siobhán \"Shiv\"", 0);
    assert_eq!(obrien["section"], "Lab A, Lab B, and Lab C");
    assert_eq!(obrien["grades"]["Quiz 1"], json!(0.0), "a real zero");
    assert_eq!(obrien["grades"]["Reading, \"Notes\" 2"], json!(10.5));

    // The same file again changes nothing.
    let before = b.json(&["report", "--json"]);
    let said = b.ok(&["import", "lms", &fixture("canvas_full.csv")]);
    assert!(said.contains("0 students added, 5 matched"), "{said}");
    assert!(
        said.contains("0 assessments added, 6 matched; 0 grades set"),
        "{said}"
    );
    assert_eq!(
        b.json(&["report", "--json"])["students"],
        before["students"]
    );
}

#[test]
fn canvas_variants_semicolons_no_sis_and_ungraded_columns() {
    let b = Bin::new();
    let c = imported(&b, "canvas_no_sis.csv");
    assert_eq!(
        assessments(&c),
        [
            ("Essay 1".into(), 25.0, Some("7710001".into())),
            ("Quiz A".into(), 10.0, Some("7710002".into())),
            ("Participation".into(), 10.0, None),
        ]
    );
    let okafor = student(&c, "Okafor, Ngozi", 0);
    assert_eq!(okafor["id"], "3310001");
    assert_eq!(okafor["email"], "nokafor@example.edu");
    assert_eq!(student(&c, "Lindqvist, Erik", 0)["grades"]["Quiz A"], "EX");

    let c = imported(&b, "canvas_semicolon.csv");
    assert_eq!(
        assessments(&c),
        [
            ("Aufsatz 1".into(), 20.0, Some("5510001".into())),
            ("Test 1; Teil A".into(), 8.5, Some("5510002".into())),
            ("Laborbericht (Teil 1)".into(), 15.0, Some("5510003".into())),
        ]
    );
    let mueller = student(&c, "Müller, Jonas", 0);
    assert_eq!(mueller["id"], "S-1001");
    assert_eq!(
        mueller["grades"],
        json!({"Aufsatz 1": 17.5, "Test 1; Teil A": 8.5, "Laborbericht (Teil 1)": "EX"})
    );
    assert_eq!(
        student(&c, "Weiß, Zoë", 0)["grades"]["Laborbericht (Teil 1)"],
        json!(16.0)
    );
}

#[test]
fn moodle_exports_in_every_layout() {
    let b = Bin::new();
    let c = imported(&b, "moodle_full.csv");
    let names: Vec<String> = assessments(&c).into_iter().map(|a| a.0).collect();
    assert_eq!(
        names,
        [
            "Rocks and minerals",
            "Field notes",
            "Lab 2: Enzymes",
            "Microscope safety"
        ]
    );
    assert!(
        assessments(&c)
            .iter()
            .all(|a| a.1 == 100.0 && a.2.is_none())
    );
    let ines = student(&c, "Ines Carvalho", 0);
    assert_eq!(ines["id"], "GE-30012");
    assert_eq!(
        ines["lms"],
        json!({"first_name": "Ines", "last_name": "Carvalho"})
    );
    assert_eq!(
        ines["grades"]["Rocks and minerals"],
        json!({"value": 42.5, "comment": "Good work, check Q7."})
    );
    assert_eq!(
        ines["grades"]["Lab 2: Enzymes"],
        json!({"value": 21.0, "comment": "Clear method.\nDiscussion too short."})
    );
    assert_eq!(
        student(&c, "Malik Osei", 0)["grades"]["Field notes"],
        json!({"value": null, "comment": "Not submitted, please see me"}),
        "a comment on an empty cell"
    );
    assert_eq!(student(&c, "Anna Virtanen", 0).get("id"), None);

    let c = imported(&b, "moodle_old.csv");
    let names: Vec<String> = assessments(&c).into_iter().map(|a| a.0).collect();
    assert_eq!(
        names,
        ["Rocks and minerals", "Field notes", "Lab 2: Enzymes"]
    );
    assert_eq!(
        student(&c, "Lena Schmidt", 0)["grades"]["Field notes"],
        json!({"value": null, "comment": "Missing"})
    );

    let c = imported(&b, "moodle_semicolon.csv");
    let names: Vec<String> = assessments(&c).into_iter().map(|a| a.0).collect();
    assert_eq!(
        names,
        [
            "Plate tectonics",
            "Map design (submission)",
            "Map design (assessment)",
            "Week 3 discussion"
        ]
    );
    assert_eq!(
        student(&c, "Chloé Dubois", 0)["grades"]["Plate tectonics"],
        json!(7.25)
    );

    let said = b.ok(&[
        "import",
        "lms",
        &fixture("moodle_tab.txt"),
        "--new-course",
        "History",
        "--max-points",
        "120",
    ]);
    assert!(!said.contains("no max points"), "{said}");
    let r = b.json(&["report", "--json", "--course", "History"]);
    assert_eq!(
        r["students"].as_array().unwrap().len(),
        3,
        "a suspended user is imported"
    );
    assert_eq!(r["students"][1]["name"], "Oliver Park");
    let j: Value = {
        let out = b.path("h.json");
        b.ok(&["export", "json", "-o", out.to_str().unwrap()]);
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap()
    };
    let history = j["courses"].as_array().unwrap().last().unwrap();
    assert!(assessments(history).iter().all(|a| a.1 == 120.0));
}

#[test]
fn classroom_with_its_extra_rows() {
    let b = Bin::new();
    let c = imported(&b, "classroom_full.csv");
    assert_eq!(
        assessments(&c),
        [
            ("Cell Diagram".into(), 10.0, None),
            ("Lab Safety Quiz".into(), 20.0, None),
            ("Reading: Ch. 1, Part 2".into(), 50.0, None),
            ("Unit 1 Test".into(), 100.0, None),
        ]
    );
    assert_eq!(c["students"].as_array().unwrap().len(), 4);
    let sofia = student(&c, "Sofia Alvarez", 0);
    assert_eq!(
        sofia["email"],
        "sofia.alvarez@students.westfield.example.org"
    );
    assert_eq!(sofia["grades"]["Cell Diagram"], json!(9.5));
    assert_eq!(
        student(&c, "Wei Chen", 0)["grades"],
        json!({}),
        "added with no grade"
    );
}

#[test]
fn bad_exports_are_refused_with_line_and_column() {
    let b = Bin::sample();
    for (file, said) in [
        (
            "not_an_lms.csv",
            "line 1: it is not a Canvas, Moodle or Google Classroom export",
        ),
        (
            "canvas_bad_cell.csv",
            "line 4, column 6: a grade is a number, EX, N/A, - or empty, not \"abc\"",
        ),
        (
            "canvas_bad_points.csv",
            "line 2, column 7: Points Possible of \"Quiz 2\" must be a number, not \"ten\"",
        ),
        (
            "canvas_duplicate_id.csv",
            "line 1, column 7: columns 6 and 7 have the same Canvas assignment id 901",
        ),
        (
            "canvas_same_student_twice.csv",
            "line 5: lines 3 and 5 are the same student",
        ),
    ] {
        b.refused(&["import", "lms", &fixture(file)], said);
        b.refused(&["import", "lms", &fixture(file), "--dry-run"], said);
    }
    b.refused(
        &[
            "import",
            "lms",
            &fixture("canvas_full.csv"),
            "--from",
            "moodle",
        ],
        "this is a Canvas export, not Moodle",
    );
    b.refused(
        &[
            "import",
            "lms",
            &fixture("moodle_full.csv"),
            "--from",
            "canvas",
        ],
        "this is a Moodle export, not Canvas",
    );
    b.refused(
        &[
            "import",
            "lms",
            &fixture("classroom_full.csv"),
            "--from",
            "moodle",
        ],
        "not Moodle",
    );
    b.refused(
        &[
            "import",
            "lms",
            &fixture("not_an_lms.csv"),
            "--from",
            "canvas",
        ],
        "it is not a Canvas export",
    );
    b.refused(
        &[
            "import",
            "lms",
            &fixture("canvas_full.csv"),
            "--max-points=-3",
        ],
        "max points",
    );
    b.refused(
        &["import", "grades", &fixture("canvas_full.csv"), "--dry-run"],
        "go with import lms",
    );
    let out = b
        .cmd()
        .args(["export", "lms", "-o", b.path("x.csv").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--to is required");
}

#[test]
fn a_dry_run_changes_nothing_and_says_what_would() {
    let b = Bin::sample();
    let before = b.contents();
    let said = b.ok(&["import", "lms", &fixture("canvas_full.csv"), "--dry-run"]);
    assert!(said.starts_with("Dry run, nothing changed."), "{said}");
    assert!(
        said.contains("5 students would be added, 0 matched"),
        "{said}"
    );
    assert!(said.contains("21 grades would be set"), "{said}");
    // The custom column and the override are named; Canvas's totals are only counted.
    assert!(
        said.ends_with(
            "Canvas's own totals and scores are not read: 23 computed columns\nNot grades, not read: Notes, Override Score\n"
        ),
        "{said}"
    );
    assert_eq!(b.contents(), before);
}

#[test]
fn students_are_matched_by_lms_id_then_email_then_name_and_grades_update() {
    let b = Bin::new();
    b.ok(&["course", "add", "Bio 210"]);
    // Known by id, by e-mail, and by name only.
    b.ok(&["student", "add", "Chidi Abara", "--id", "40020001"]);
    b.ok(&[
        "student",
        "add",
        "M. J. de la Cruz",
        "--email",
        "MJCRUZ@students.example.edu",
    ]);
    b.ok(&["student", "add", "O'Brien, Siobhán \"Shiv\""]);
    let said = b.ok(&["import", "lms", &fixture("canvas_full.csv")]);
    assert!(said.contains("2 students added, 3 matched"), "{said}");
    let r = b.json(&["report", "--json"]);
    let names: Vec<&str> = r["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Chidi Abara",
            "M. J. de la Cruz",
            "O'Brien, Siobhán \"Shiv\"",
            "Nguyen, An",
            "Nguyen, An"
        ],
        "matched students keep their own names"
    );
    assert_eq!(r["students"][0]["grades"]["Quiz 2"], "EX");
    // A later export with a new grade updates it, and only it.
    let later = std::fs::read_to_string(fixture("canvas_full.csv"))
        .unwrap()
        .replace(
            "\"Abara, Chidi\",2210001,40020001,cabara@students.example.edu,BIO 210 - 01,,18.50",
            "\"Abara, Chidi\",2210001,40020001,cabara@students.example.edu,BIO 210 - 01,,19.50",
        );
    let input = b.input("later.csv", later.as_bytes());
    let said = b.ok(&["import", "lms", &input]);
    assert!(said.contains("1 grade set"), "{said}");
    assert_eq!(
        b.json(&["report", "--json"])["students"][0]["grades"]["Lab Report 1"],
        json!(19.5)
    );
    // A row that matches two students (id one, e-mail another) is refused.
    b.ok(&[
        "student",
        "edit",
        "M. J. de la Cruz",
        "--email",
        "cabara@students.example.edu",
    ]);
    b.refused(&["import", "lms", &input], "matches more than one student");
}

#[test]
fn our_exports_have_each_systems_layout() {
    let b = Bin::new();
    b.ok(&["import", "lms", &fixture("canvas_full.csv"), "--new-course"]);
    let canvas = b.ok(&["export", "lms", "--to", "canvas"]);
    let mut lines = canvas.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Student,ID,SIS User ID,SIS Login ID,Section,Lab Report 1 (8820101),\"Reading, \"\"Notes\"\" 2 (8820102)\",Project (Part 1) (8820109),Peer Review (8820130),Quiz 1 (8820120),Quiz 2 (8820121)"
    );
    assert_eq!(
        lines.next().unwrap(),
        "    Points Possible,,,,,20,10,50,5,15,15"
    );
    assert_eq!(
        lines.next().unwrap(),
        "\"Abara, Chidi\",2210001,40020001,cabara@students.example.edu,BIO 210 - 01,18.5,10,52,,14,EX"
    );
    assert_eq!(
        lines.next().unwrap(),
        "\"de la Cruz, María José\",2210005,,mjcruz@students.example.edu,BIO 210 - 01,15,9,38,,13.5,EX",
        "no SIS User ID invented"
    );
    let moodle = b.ok(&["export", "lms", "--to", "moodle"]);
    assert!(
        moodle.starts_with("First name,Last name,ID number,Email address,Lab Report 1 (Real),"),
        "{moodle}"
    );
    assert!(
        moodle.contains("\nChidi,Abara,40020001,cabara@students.example.edu,18.5,10,52,-,14,-\n"),
        "{moodle}"
    );
    let out = b.path("m.csv");
    let said = b.ok(&[
        "export",
        "lms",
        "--to",
        "moodle",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        said.contains("Moodle has no excused mark: 3 excused cells written as no grade"),
        "{said}"
    );
    let classroom = b.ok(&["export", "lms", "--to", "classroom"]);
    assert!(
        classroom.starts_with("Last Name,First Name,Email Address,Overall,Lab Report 1,"),
        "{classroom}"
    );
    assert!(
        classroom.contains("\nPoints,,,,20,10,50,5,15,15\n"),
        "{classroom}"
    );
    // Never over the data file or its history.
    b.refused(
        &[
            "export",
            "lms",
            "--to",
            "canvas",
            "-o",
            b.file.to_str().unwrap(),
        ],
        "data file",
    );
}

/// A course whose students can be told apart in every system (unique names, an e-mail
/// each: Classroom's only identity), with any grades.
fn round_trip_course() -> impl Strategy<Value = Course> {
    common::course(0).prop_map(|mut c| {
        let mut students = c.students.to_students();
        for (i, s) in students.iter_mut().enumerate() {
            s.name = format!("First{i} Last{i}");
            s.profile.email = Some(format!("s{i}@school.example"));
            s.profile.lms.first_name = None;
            s.profile.lms.last_name = None;
        }
        c.students = Roster::from_students(c.assessments.len(), students);
        c
    })
}

/// What a grade becomes in a system: a missing mark is 0 everywhere; Moodle and
/// Classroom have no excused mark.
fn through(mark: Mark, to: System) -> Mark {
    match (mark, to) {
        (Mark::Missing, _) => Mark::Points(0.0),
        (Mark::Excused, System::Moodle | System::Classroom) => Mark::Empty,
        (m, _) => m,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any export of ours reads back to the same grades, in every system.
    #[test]
    fn our_exports_read_back_to_the_same_grades(course in round_trip_course(), to in prop_oneof![Just(System::Canvas), Just(System::Moodle), Just(System::Classroom)]) {
        let text = lms::export(&course, to).unwrap().text;
        let mut empty = Course::new("Back", course.last_updated);
        empty.categories = course.categories.clone();
        // Moodle files carry no max points: big enough for any grade of the course.
        let options = lms::Options { max_points: (to == System::Moodle).then_some(1000.0) };
        let (cmd, summary) = lms::import(&empty, 0, text.as_bytes(), Some(to), options)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let mut book = Gradebook { courses: vec![empty], current: Some(0) };
        book.apply(cmd, course.last_updated).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = &book.courses[0];
        prop_assert_eq!(summary.students_added, course.students.len());
        prop_assert_eq!(back.students.len(), course.students.len());
        for (s, t) in course.students.iter().zip(&back.students) {
            for (a, x) in course.assessments.iter().enumerate() {
                let b = back.find_assessment(&x.name).expect("every assessment comes back");
                prop_assert_eq!(t.mark(b), through(s.mark(a), to), "{} in {}", s.name, x.name);
                if to == System::Moodle {
                    prop_assert_eq!(t.comment(b), s.comment(a));
                }
            }
            // Canvas has no e-mail column: its SIS Login ID carries the address, unless
            // the student came from Canvas with a login that is not one.
            if !(to == System::Canvas && s.profile.lms.sis_login_id.is_some()) {
                prop_assert_eq!(&t.profile.email, &s.profile.email);
            }
        }
        // And once more: the same file into what it made changes nothing.
        let (again, _) = lms::import(back, 0, text.as_bytes(), Some(to), options).unwrap();
        prop_assert!(!book.changes(&again), "a second import changed something");
    }
}

#[test]
fn the_tui_imports_an_lms_export_after_showing_what_it_will_do() {
    crate::tui::utc();
    let mut app = gradebook::tui::App::new(Gradebook::default(), None, crate::tui::clock());
    crate::tui::press(&mut app, "aBio 210\n");
    let path = std::fs::canonicalize(fixture("canvas_full.csv")).unwrap();
    crate::tui::press(&mut app, &format!("i{}\n", path.display()));
    let gradebook::tui::popup::Modal::Form(form) = &app.screens.gradebook.modal else {
        panic!("no preview before the import")
    };
    let note = form.note.clone().unwrap();
    assert!(note.contains("5 students would be added"), "{note}");
    assert!(app.course().unwrap().students.is_empty(), "nothing yet");
    crate::tui::press(&mut app, "\n");
    assert_eq!(app.course().unwrap().students.len(), 5);
    assert!(crate::tui::message(&app).contains("5 students added"));
    crate::tui::press(&mut app, "u");
    assert!(app.course().unwrap().students.is_empty(), "one undo step");
    crate::tui::press(&mut app, "\x12");
    // Out again, for Moodle.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("back.csv");
    crate::tui::press(&mut app, &format!("o\x15{}\t\x15moodle\n", out.display()));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("First name,Last name,ID number,Email address,"),
        "{text}"
    );
    let screen = crate::tui::screen_text(&mut app, 100, 30);
    assert!(screen.contains("Exported, but"), "{screen}");
    assert!(screen.contains("3 excused cells"), "{screen}");
}

/// Name, id and grades of every student of `course`, as `report --json` gives them.
fn roster(b: &Bin, course: &str) -> Vec<(String, Option<String>, Value)> {
    b.json(&["report", "--json", "--course", course])["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["id"].as_str().map(str::to_string),
                s["grades"].clone(),
            )
        })
        .collect()
}

fn row(name: &str, id: &str, grades: Value) -> (String, Option<String>, Value) {
    (name.to_string(), Some(id.to_string()), grades)
}

#[test]
fn canvas_edge_cases_test_students_namesakes_titles_decimal_commas_and_periods() {
    let b = Bin::new();
    // Test students are skipped wherever they stand.
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("canvas_test_students.csv"),
        "--new-course",
        "Bio",
    ]);
    assert!(said.contains("2 students added"), "{said}");
    // Someone of the same name with another Canvas and SIS id is a new student: the name
    // alone never hands Zoe Abbott's grades to her.
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("canvas_namesake_other_id.csv"),
        "--course",
        "Bio",
    ]);
    assert!(said.contains("1 student added, 0 matched"), "{said}");
    assert_eq!(
        roster(&b, "Bio"),
        [
            row("Abbott, Zoe", "Z1", json!({"Quiz 1": 8.0})),
            row("Zhou, Li", "Z2", json!({"Quiz 1": 9.5})),
            row("Abbott, Zoe", "Z9", json!({"Quiz 1": 2.0})),
        ]
    );

    // Two assignments of one title stay two assessments, told apart by their id.
    b.ok(&[
        "import",
        "lms",
        &fixture("canvas_duplicate_titles.csv"),
        "--new-course",
        "Refl",
    ]);
    assert_eq!(
        roster(&b, "Refl"),
        [
            row(
                "Abbott, Zoe",
                "Z1",
                json!({"Reflection": 8.0, "Reflection #81002": 9.0})
            ),
            row(
                "Zhou, Li",
                "Z2",
                json!({"Reflection": 7.0, "Reflection #81002": 10.0})
            ),
        ]
    );

    // A comma-separated export with decimal commas (a German Canvas), BOM and all.
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("canvas_decimal_comma.csv"),
        "--new-course",
        "Klasse",
    ]);
    assert!(
        said.contains("Canvas's own totals and scores are not read: 1 computed column"),
        "{said}"
    );
    assert_eq!(
        roster(&b, "Klasse"),
        [
            row(
                "Müller, Jonas",
                "S-1001",
                json!({"Aufsatz 1": 17.5, "Test 2": 8.0})
            ),
            row(
                "Weiß, Zoë",
                "S-1003",
                json!({"Aufsatz 1": 12.25, "Test 2": "EX"})
            ),
        ]
    );
    let c = b.json(&["export", "json"])["courses"][2].clone();
    assert_eq!(
        assessments(&c),
        [
            ("Aufsatz 1".into(), 20.0, Some("5510001".into())),
            ("Test 2".into(), 8.5, Some("5510002".into())),
        ]
    );

    // Grading period totals are computed columns: not assessments, and said so.
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("canvas_grading_periods.csv"),
        "--new-course",
        "Periods",
    ]);
    assert!(said.contains("1 assessment added"), "{said}");
    assert!(said.contains("not read: 12 computed columns\n"), "{said}");
    assert!(!said.contains("Not grades"), "{said}");
    assert_eq!(
        roster(&b, "Periods"),
        [row("Abbott, Zoe", "Z1", json!({"Quiz 1": 8.0}))]
    );
}

#[test]
fn moodle_edge_cases_profile_fields_last_name_first_and_namesakes() {
    let b = Bin::new();
    // A custom profile field holding numbers is not an assessment.
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("moodle_profile_field.csv"),
        "--new-course",
        "Geo",
        "--max-points",
        "10",
    ]);
    assert!(
        said.contains("own totals and scores are not read: 1 computed column\nNot grades, not read: Year of study\n"),
        "{said}"
    );
    let expected = [
        row("Ines Carvalho", "GE-30012", json!({"Unit 1 quiz": 8.5})),
        row("Malik Osei", "GE-30019", json!({"Unit 1 quiz": null})),
    ];
    assert_eq!(roster(&b, "Geo"), expected);
    // The same class exported last name first is the same students, matched, not added.
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("moodle_last_name_first.csv"),
        "--course",
        "Geo",
    ]);
    assert!(said.contains("0 students added, 2 matched"), "{said}");
    assert!(said.contains("0 grades set"), "{said}");
    assert_eq!(roster(&b, "Geo"), expected);

    // A second Ana Silva with her own id number joins the course beside the first.
    b.ok(&[
        "import",
        "lms",
        &fixture("moodle_week1.csv"),
        "--new-course",
        "Week",
    ]);
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("moodle_week1_namesake.csv"),
        "--course",
        "Week",
    ]);
    assert!(said.contains("1 student added, 2 matched"), "{said}");
    assert_eq!(
        roster(&b, "Week"),
        [
            row("Ana Silva", "GE-1001", json!({"Week 1": 8.0})),
            row("Bruno Costa", "GE-1002", json!({"Week 1": 6.0})),
            row("Ana Silva", "GE-1077", json!({"Week 1": 9.5})),
        ]
    );
}

#[test]
fn classroom_percent_cells_become_points() {
    let b = Bin::new();
    let said = b.ok(&[
        "import",
        "lms",
        &fixture("classroom_percent.csv"),
        "--new-course",
        "Lit",
    ]);
    assert!(
        said.contains("Google Classroom's own totals and scores are not read: 1 computed column"),
        "{said}"
    );
    let r = b.json(&["report", "--json", "--course", "Lit"]);
    let grades: Vec<&Value> = r["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["grades"])
        .collect();
    assert_eq!(
        grades,
        [
            &json!({"Quiz 1": 8.0, "Essay": 44.0}),
            &json!({"Quiz 1": 9.0, "Essay": null}),
        ]
    );
}

#[test]
fn a_title_canvas_would_take_for_an_id_is_pointed_out() {
    let b = Bin::new();
    b.ok(&["course", "add", "Lit"]);
    b.ok(&["assessment", "add", "Chapter (5)", "--max-points", "10"]);
    b.ok(&["grade", "Ann Lee", "7", "--assessment", "Chapter (5)"]);
    let out = b.path("c.csv");
    let said = b.ok(&[
        "export",
        "lms",
        "--to",
        "canvas",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        said.contains("as an assignment id: rename \"Chapter (5)\""),
        "{said}"
    );
    // Once it has a Canvas id of its own, the title is safe: "Chapter (5) (123)".
    let said = b.ok(&[
        "export",
        "lms",
        "--to",
        "moodle",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!said.contains("Note:"), "{said}");
}

/// Two Canvas columns of one title (Canvas allows it) into a course that has that
/// assessment: the first is matched, the second is a new assessment told apart by its
/// id, and neither grade is lost under the other.
#[test]
fn two_columns_of_one_title_land_on_two_assessments() {
    let b = Bin::sample();
    b.ok(&["assessment", "add", "Quiz", "--max-points", "10"]);
    let file = b.path("twice.csv");
    std::fs::write(
        &file,
        "Student,ID,SIS Login ID,Section,Quiz (101),Quiz (102)\n\
         \x20   Points Possible,,,,10.00,10.00\n\
         \"Alice\",1,alice,A,7.00,9.00\n",
    )
    .unwrap();
    b.ok(&["import", "lms", file.to_str().unwrap()]);
    let r = b.json(&["report", "--json"]);
    let alice = &r["students"][0];
    assert_eq!(alice["name"], "Alice");
    assert_eq!(alice["grades"]["Quiz"], 7.0, "{alice}");
    assert_eq!(alice["grades"]["Quiz #102"], 9.0, "{alice}");
}

//! Files in and out: CSV grades, CSV study data, JSON; round trips and every kind of bad
//! input, all or nothing.

use crate::common;

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use chrono::Utc;
use gradebook::interop::{csv_grades, csv_study, json};
use gradebook::model::{Course, Editor, Gradebook, Mark, Roster};
use proptest::prelude::*;

fn apply(book: &Gradebook, cmd: gradebook::model::Command) -> Gradebook {
    let mut ed = Editor::new(book.clone());
    ed.execute(cmd, Utc::now()).unwrap();
    ed.into_book()
}

fn with_course(course: Course) -> Gradebook {
    Gradebook {
        courses: vec![course],
        current: Some(0),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// An export imported into a course with the same assessments and no students gives
    /// back the same students and marks (points, EX, M, empty), exactly; late days and
    /// comments travel in JSON only.
    #[test]
    fn grades_csv_round_trip(course in common::course(0)) {
        let text = csv_grades::export(&course).unwrap();
        let mut empty = course.clone();
        empty.students = Roster::new(course.assessments.len());
        let (cmd, _) = csv_grades::import(&empty, 0, text.as_bytes()).unwrap();
        let back = apply(&with_course(empty), cmd);
        let marks = |c: &Course| -> Vec<(String, Vec<Mark>)> {
            c.students.iter().map(|s| (s.name.to_string(), s.marks.to_vec())).collect()
        };
        prop_assert_eq!(marks(&back.courses[0]), marks(&course));
        prop_assert_eq!(&back.courses[0].assessments, &course.assessments);
    }

    #[test]
    fn study_csv_round_trip(course in common::course(0)) {
        let text = csv_study::export(&course).unwrap();
        let mut empty = course.clone();
        empty.study = Default::default();
        if course.study.is_empty() {
            prop_assert!(csv_study::import(&empty, 0, text.as_bytes()).is_err());
        } else {
            let (cmd, n) = csv_study::import(&empty, 0, text.as_bytes()).unwrap();
            prop_assert_eq!(n, course.study.len());
            let back = apply(&with_course(empty), cmd);
            prop_assert_eq!(&back.courses[0].study, &course.study);
        }
    }

    /// JSON export → import into a new gradebook → export gives identical text, and the
    /// same courses.
    #[test]
    fn json_round_trip(book in common::gradebook()) {
        let text = json::export(&book).unwrap();
        let imported = json::import(&Gradebook::default(), text.as_bytes()).unwrap();
        prop_assert_eq!(imported.courses, book.courses.len());
        prop_assert!(imported.history.is_empty());
        let back = apply(&Gradebook::default(), imported.cmd);
        prop_assert_eq!(&back.courses, &book.courses);
        prop_assert_eq!(json::export(&back).unwrap(), text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Whatever a file holds, an import gives a change or a list of problems, never a
    /// panic; bytes that look like CSV get there more often than pure noise.
    #[test]
    fn imports_never_panic(
        noise in prop::collection::vec(any::<u8>(), 0..300),
        cells in prop::collection::vec("[a-zA-Z0-9 .,\"\n\ré漢-]{0,12}", 0..40),
    ) {
        let course = gradebook::sample::course(Utc::now()).unwrap();
        let book = with_course(course.clone());
        let csvish = format!("student,Grade,Quiz\n{}", cells.join(","));
        for bytes in [noise.as_slice(), csvish.as_bytes()] {
            if let Ok((cmd, _)) = csv_grades::import(&course, 0, bytes) {
                let mut ed = Editor::new(book.clone());
                ed.execute(cmd, Utc::now()).unwrap();
            }
            if let Ok((cmd, _)) = csv_study::import(&course, 0, bytes) {
                let mut ed = Editor::new(book.clone());
                ed.execute(cmd, Utc::now()).unwrap();
            }
            let _ = json::import(&book, bytes);
        }
    }
}

#[test]
fn an_export_imports_into_a_truly_empty_course() {
    let sample = gradebook::sample::course(Utc::now()).unwrap();
    let text = csv_grades::export(&sample).unwrap();
    assert!(
        text.starts_with("student,Grade,final (computed),letter (computed)\n"),
        "{text}"
    );
    let empty = Course::new("New", Utc::now());
    let (cmd, summary) = csv_grades::import(&empty, 0, text.as_bytes()).unwrap();
    assert_eq!(
        (
            summary.new_students,
            summary.new_assessments,
            summary.grades
        ),
        (5, 1, 5)
    );
    let back = apply(&with_course(empty), cmd);
    assert_eq!(back.courses[0].students, sample.students);
}

#[test]
fn spreadsheet_dialects_are_read() {
    let course = Course::new("C", Utc::now());
    let text = "\u{feff}Student,\"Quiz, part 1\",Exam\r\n\"O'Brien, \"\"Pat\"\"\",7.5,\r\nZoë 漢字,,88\r\n\r\n\r\n";
    let (cmd, s) = csv_grades::import(&course, 0, text.as_bytes()).unwrap();
    assert_eq!((s.new_students, s.new_assessments, s.grades), (2, 2, 2));
    let c = &apply(&with_course(course), cmd).courses[0];
    assert_eq!(c.assessments[0].name, "Quiz, part 1");
    assert_eq!(c.students.at(0).name, "O'Brien, \"Pat\"");
    assert_eq!(
        c.students.at(0).marks.to_vec(),
        vec![Mark::Points(7.5), Mark::Empty]
    );
    assert_eq!(
        c.students.at(1).marks.to_vec(),
        vec![Mark::Empty, Mark::Points(88.0)]
    );
}

#[test]
fn the_sample_study_file_imports_as_is() {
    let course = Course::new("C", Utc::now());
    let bytes = fs::read("assets/study_hours_sample.csv").unwrap();
    let (_, n) = csv_study::import(&course, 0, &bytes).unwrap();
    assert_eq!(n, 30);
    // Without a header, with a student column.
    let (cmd, n) = csv_study::import(&course, 0, b"1.5,50,Ann\n2,60\n").unwrap();
    assert_eq!(n, 2);
    let c = &apply(&with_course(course), cmd).courses[0];
    assert_eq!(c.study.get(0).unwrap().student, Some("Ann"));
}

#[test]
fn an_import_is_one_undo_step() {
    let sample = gradebook::sample::course(Utc::now()).unwrap();
    let book = with_course(sample.clone());
    let (cmd, _) =
        csv_grades::import(&sample, 0, b"student,Grade,Quiz\nAlice,50,10\nNew,1,2\n").unwrap();
    let mut ed = Editor::new(book.clone());
    ed.execute(cmd, Utc::now()).unwrap();
    assert_eq!(ed.book().courses[0].students.len(), 6);
    assert!(ed.undo().unwrap().is_some());
    assert_eq!(ed.book(), &book);
    assert!(ed.undo().unwrap().is_none());
}

// ---- Bad files, through the real binary: exit 1, where and what, file unchanged ----

struct Env {
    dir: tempfile::TempDir,
    file: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.postcard");
    let e = Env { dir, file };
    e.ok(&["sample"]);
    e
}

impl Env {
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("gradebook").unwrap();
        c.env_remove("GRADEBOOK_FILE").arg("--file").arg(&self.file);
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn input(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }

    /// Imports `bytes` as `kind`: must fail with every `expected` text, leaving the file.
    fn refused(&self, kind: &str, bytes: &[u8], expected: &[&str]) {
        let input = self.input("input", bytes);
        let before = fs::read(&self.file).unwrap();
        let out = self.cmd().args(["import", kind, &input]).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{kind} {:?}",
            String::from_utf8_lossy(bytes)
        );
        let err = String::from_utf8(out.stderr).unwrap();
        for e in expected {
            assert!(err.contains(e), "expected {e:?} in:\n{err}");
        }
        assert_eq!(
            fs::read(&self.file).unwrap(),
            before,
            "the data file changed"
        );
    }
}

#[test]
fn bad_grade_files_are_refused_with_line_and_column() {
    let e = env();
    e.refused(
        "grades",
        b"name,Grade\nAnn,50\n",
        &["line 1, column 1", "must start with `student`"],
    );
    e.refused(
        "grades",
        b"student,Grade\nAnn\n",
        &["line 2: 1 cells where the header has 2"],
    );
    e.refused(
        "grades",
        b"student,Grade\nAnn,50,60\n",
        &["line 2: 3 cells"],
    );
    e.refused(
        "grades",
        b"student,Grade\nAnn,fifty\n",
        &[
            "line 2, column 2",
            "a grade is points, EX (excused) or M (missing), not \"fifty\"",
        ],
    );
    e.refused(
        "grades",
        b"student,Grade\nAnn,NaN\n",
        &["line 2, column 2", "finite"],
    );
    e.refused(
        "grades",
        b"student,Grade\nAnn,200.5\n",
        &["line 2, column 2", "from 0 to 100"],
    );
    e.refused("grades", b"student,Grade\nAnn,-1\n", &["from 0 to 100"]);
    e.refused(
        "grades",
        b"student,Grade\nAnn,1\nBob,2\nann,3\n",
        &["line 4, column 1", "appears twice"],
    );
    e.refused(
        "grades",
        b"student,Grade,grade\nAnn,1,2\n",
        &["line 1, column 3", "appears twice"],
    );
    e.refused(
        "grades",
        b"student,Grade\n,50\n",
        &["line 2, column 1", "cannot be empty"],
    );
    e.refused("grades", b"", &["empty"]);
    e.refused(
        "grades",
        b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe binary",
        &["not UTF-8"],
    );
    // Several problems are all listed, up to 20.
    let mut many = b"student,Grade\n".to_vec();
    for i in 0..30 {
        many.extend_from_slice(format!("S{i},x\n").as_bytes());
    }
    e.refused(
        "grades",
        &many,
        &[
            "line 2, column 2",
            "line 21, column 2",
            "20+ problems",
            "first 20",
        ],
    );
}

#[test]
fn bad_study_and_json_files_are_refused() {
    let e = env();
    e.refused(
        "study",
        b"hours,score\n-1,50\n",
        &["line 2, column 1", "study hours cannot be negative"],
    );
    e.refused(
        "study",
        b"hours,score\n200,50\n",
        &["line 2, column 1", "168"],
    );
    e.refused(
        "study",
        b"hours,score\n5,150\n",
        &["line 2, column 2", "from 0 to 100"],
    );
    e.refused("study", b"hours,score\n5\n", &["line 2: 1 cells"]);
    e.refused("study", b"hours,score\n", &["no observations"]);
    e.refused("json", b"", &["ends too early"]);
    e.refused("json", b"student,Grade\n", &["line 1, column 1"]);
    e.refused(
        "json",
        b"{\"format\": \"gradebook\", \"version\": 1,\n \"courses\": [{\"name\": 5}]}",
        &["line 2"],
    );
    e.refused(
        "json",
        b"{\"format\": \"other\", \"version\": 1, \"courses\": []}",
        &["\"format\" is \"other\""],
    );
    e.refused(
        "json",
        b"{\"format\": \"gradebook\", \"version\": 9, \"courses\": []}",
        &["newer"],
    );
    // The course exists already.
    let export = e.ok(&["export", "json"]);
    e.refused("json", export.as_bytes(), &["already exists"]);
    // Unknown course.
    let input = e.input("ok.csv", b"student,Grade\nAnn,50\n");
    let before = fs::read(&e.file).unwrap();
    let out = e
        .cmd()
        .args(["import", "grades", &input, "--course", "Nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no course named \"Nope\""));
    assert_eq!(fs::read(&e.file).unwrap(), before);
}

#[test]
fn a_ten_megabyte_file_imports_or_is_refused_whole() {
    let e = env();
    e.ok(&["course", "add", "Big"]);
    let mut big = b"student,Q1,Q2,Q3,Q4,Q5\n".to_vec();
    let mut i = 0;
    while big.len() < 10 << 20 {
        big.extend_from_slice(
            format!(
                "Student number {i},{},{},{},{},{}\n",
                i % 101,
                50,
                60.5,
                70,
                99.25
            )
            .as_bytes(),
        );
        i += 1;
    }
    let input = e.input("big.csv", &big);
    let msg = e.ok(&["import", "grades", &input, "--course", "Big"]);
    assert!(msg.contains(&format!("{i} new students")), "{msg}");
    let report: serde_json::Value =
        serde_json::from_str(&e.ok(&["report", "--json", "--course", "Big"])).unwrap();
    assert_eq!(report["stats"]["count"], i);
    // The same file with one bad cell at the very end changes nothing.
    big.extend_from_slice(b"Last,1,2,3,4,oops\n");
    e.refused("grades", &big, &[&format!("line {}, column 6", i + 2)]);
}

#[test]
fn export_then_spreadsheet_edit_then_import() {
    let e = env();
    let csv_path = e.dir.path().join("grades.csv");
    e.ok(&["export", "grades", "-o", csv_path.to_str().unwrap()]);
    let text = fs::read_to_string(&csv_path)
        .unwrap()
        .replace("Bob,87,87,B", "Bob,90.5,87,B");
    fs::write(&csv_path, text).unwrap();
    let msg = e.ok(&["import", "grades", csv_path.to_str().unwrap()]);
    assert!(msg.contains("5 updated"), "{msg}");
    let r: serde_json::Value = serde_json::from_str(&e.ok(&["report", "--json"])).unwrap();
    assert_eq!(r["students"][1]["final"], 90.5);
    let study = e.ok(&["export", "study"]);
    assert!(
        study.starts_with("hours,score,student\n9.9889628523367,64.22295781756188,\n"),
        "{study}"
    );
}

/// A course's students are read as the parser meets them when the assessments came
/// first, and from their kept text when they came before: both give the same course, and
/// a problem is placed at its line and column in the whole file either way.
#[test]
fn json_students_before_or_after_their_assessments() {
    let assessments = r#""assessments": [{"name": "Quiz", "weight": 1.0, "max_points": 10.0},
        {"name": "Exam", "weight": 2.0, "max_points": 100.0}]"#;
    let doc = |first_students: bool, student: &str| {
        let students = format!(
            r#""students": [{{"grades": {{"Exam": 90, "Quiz": {{"value": 8.5, "late_days": 2, "comment": "late"}}}}, "name": "Ann", "id": "S1"}},
        {student}]"#
        );
        let (a, b) = if first_students {
            (students.as_str(), assessments)
        } else {
            (assessments, students.as_str())
        };
        format!(
            "{{\"format\": \"gradebook\", \"version\": 2, \"courses\": [{{\"name\": \"Two\",\n \"last_updated\": \"2026-01-01T00:00:00Z\",\n {a},\n {b},\n \"study\": [], \"model\": null}}]}}"
        )
    };
    let good = r#"{"name": "Bob", "status": "withdrawn", "grades": {"Quiz": "ex", "Exam": -0}}"#;
    let mut exports = Vec::new();
    for first_students in [false, true] {
        let e = env();
        let msg = e.ok(&[
            "import",
            "json",
            &e.input("two.json", doc(first_students, good).as_bytes()),
        ]);
        assert!(msg.contains("Imported 1 course"), "{msg}");
        let all: serde_json::Value = serde_json::from_str(&e.ok(&["export", "json"])).unwrap();
        let course = all["courses"][1].clone();
        assert_eq!(course["name"], "Two");
        assert_eq!(course["students"][0]["grades"]["Quiz"]["late_days"], 2);
        assert_eq!(course["students"][0]["grades"]["Quiz"]["comment"], "late");
        assert_eq!(course["students"][0]["grades"]["Exam"], 90.0);
        assert_eq!(course["students"][1]["status"], "withdrawn");
        assert_eq!(course["students"][1]["grades"]["Quiz"], "EX");
        assert_eq!(course["students"][1]["grades"]["Exam"], 0.0);
        exports.push(course);

        // The second student sits on line 4 when the students come first, line 6 after.
        let line = if first_students { 4 } else { 6 };
        let refused = |student: &str, expected: &[&str]| {
            e.refused("json", doc(first_students, student).as_bytes(), expected)
        };
        refused(
            r#"{"name": "Bob", "colour": "red", "grades": {}}"#,
            &[&format!("line {line}, column 32"), "unknown field `colour`"],
        );
        refused(
            r#"{"name": "Bob", "grades": {"Quiz": 1, "Quiz": 2}}"#,
            &[
                &format!("line {line}, column 52"),
                "the grade for \"Quiz\" appears twice",
            ],
        );
        refused(
            r#"{"grades": {"Quiz": true}, "name": "Bob"}"#,
            &["\"Bob\"'s grade in \"Quiz\": a grade is a number, \"EX\", \"M\" or null"],
        );
        refused(
            r#"{"name": "Bob", "grades": {"Essay": 1, "Quiz": [1]}}"#,
            &["\"Bob\" has a grade in \"Essay\", which is not an assessment"],
        );
        refused(
            r#"{"name": "Bob", "grades": {"Quiz": {"value": 1, "late": 2}}}"#,
            &["\"Bob\"'s grade in \"Quiz\": unknown field \"late\""],
        );
        refused(r#"{"grades": {}}"#, &["missing field `name`"]);

        // A student the course cannot take, then broken JSON: the JSON is reported.
        refused(
            r#"{"name": "Bob", "grades": {"Essay": 1}}, {"name": "#,
            &[&format!("line {line}, column 59")],
        );
    }
    assert_eq!(exports[0], exports[1]);
    // A negative grade is out of range, said as such.
    let e = env();
    let negative = doc(false, r#"{"name": "Bob", "grades": {"Quiz": -1}}"#);
    e.refused(
        "json",
        negative.as_bytes(),
        &["points must be from 0 to 10 for Quiz", "not -1"],
    );
}

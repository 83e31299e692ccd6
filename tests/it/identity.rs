//! Who the students are: ids, e-mails, sections, withdrawn students, notes; names that
//! several students share.

use crate::common::Bin;
use crate::tui::{clock, press, utc};
use gradebook::model::{Gradebook, Status};
use gradebook::tui::App;
use gradebook::tui::popup::Modal;
use serde_json::{Value, json};

fn two_marias() -> Bin {
    let b = Bin::new();
    b.ok(&["course", "add", "Bio"]);
    b.ok(&[
        "student",
        "add",
        "Maria García",
        "--id",
        "1001",
        "--section",
        "A",
    ]);
    b.ok(&[
        "student",
        "add",
        "Maria García",
        "--id",
        "1002",
        "--email",
        "m2@school.example",
    ]);
    b
}

#[test]
fn a_shared_name_needs_an_id_and_an_ambiguous_one_lists_the_candidates() {
    let b = two_marias();
    let e = b.refused(&["grade", "Maria García", "90"], "is more than one student");
    assert!(
        e.contains("Maria García (id 1001, section A); Maria García (id 1002, m2@school.example)"),
        "{e}"
    );
    assert!(e.contains("give the id instead"), "{e}");
    b.ok(&["grade", "1002", "85"]);
    b.ok(&["grade", "1001", "91"]);
    // A third one without an id cannot be told apart.
    b.refused(&["student", "add", "maria garcía"], "already exists");
    b.refused(
        &["student", "add", "Tom", "--id", "1001"],
        "another student has the id",
    );
    // Ids that case folding puts together but that differ (only ASCII case is ignored)
    // are two ids, and the names are still checked.
    b.ok(&["student", "add", "Xavier", "--id", "É1"]);
    b.ok(&["student", "add", "Yan", "--id", "é1"]);
    b.ok(&["student", "add", "Ann"]);
    b.refused(&["student", "add", "Ann"], "already exists");
    for name in ["Xavier", "Yan", "Ann"] {
        b.ok(&["student", "delete", name, "--yes"]);
    }
    let r = b.json(&["report", "--json"]);
    let ids: Vec<(&str, f64)> = r["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["final"].as_f64().unwrap()))
        .collect();
    assert_eq!(ids, [("1001", 91.0), ("1002", 85.0)]);
}

#[test]
fn bad_identity_is_refused_in_one_line() {
    let b = two_marias();
    for (args, said) in [
        (vec!["student", "add", "Tom", "--id", "a\u{7}b"], "control"),
        (
            vec!["student", "add", "Tom", "--id", "a\u{a0}b"],
            "plain spaces only",
        ),
        (vec!["student", "add", "Tom", "--email", "tom"], "e-mail"),
        (
            vec!["student", "add", "Tom", "--email", "t\u{202e}@x.org"],
            "direction",
        ),
        (
            vec!["student", "edit", "9999", "--section", "B"],
            "no student named",
        ),
        (
            vec!["student", "edit", "1001", "--id", "1002"],
            "another student has the id",
        ),
        (vec!["student", "withdraw", "Nobody"], "no student named"),
        (vec!["student", "reinstate", "1001"], "already active"),
        (vec!["student", "delete", "1001"], "--yes"),
    ] {
        let e = b.refused(&args, said);
        assert_eq!(e.trim_end().lines().count(), 1, "{args:?}: {e}");
    }
    // A school's id may hold plain spaces.
    b.ok(&["student", "add", "Tom", "--id", "GE 30012"]);
}

#[test]
fn withdrawn_students_keep_their_grades_and_leave_the_statistics() {
    let b = Bin::sample();
    let before = b.json(&["report", "--json"]);
    assert_eq!(before["stats"]["count"], 5);
    b.ok(&["student", "withdraw", "Alice"]);
    let r = b.json(&["report", "--json"]);
    let alice = &r["students"][0];
    assert_eq!(alice["status"], "withdrawn");
    assert_eq!(alice["final"], json!(95.0), "grades kept");
    assert_eq!(alice["rank"], Value::Null);
    assert_eq!(r["stats"]["count"], 4);
    assert_eq!(r["stats"]["max"], json!(91.0));
    assert_eq!(r["top"][0]["name"], "Charlie");
    let text = b.ok(&["report"]);
    assert!(text.contains("Alice (withdrawn)"), "{text}");
    assert!(
        text.contains("1 withdrawn student left out of the statistics"),
        "{text}"
    );
    b.ok(&["student", "reinstate", "alice"]);
    assert_eq!(b.json(&["report", "--json"])["stats"], before["stats"]);
}

#[test]
fn identity_travels_in_json_and_in_grades_csv() {
    let b = two_marias();
    b.ok(&[
        "student",
        "edit",
        "1001",
        "--note",
        "Needs a quiet room\nfor exams",
    ]);
    b.ok(&["student", "withdraw", "1002"]);
    b.ok(&["grade", "1001", "80"]);
    let out = b.path("all.json");
    b.ok(&["export", "json", "-o", out.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let first = &j["courses"][0]["students"][0];
    assert_eq!(first["id"], "1001");
    assert_eq!(first["section"], "A");
    assert_eq!(first["note"], "Needs a quiet room\nfor exams");
    assert_eq!(j["courses"][0]["students"][1]["status"], "withdrawn");
    let fresh = Bin::new();
    fresh.ok(&["import", "json", out.to_str().unwrap()]);
    let again = fresh.path("again.json");
    fresh.ok(&["export", "json", "-o", again.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());

    // Grades CSV: id, email and section columns after the name; rows match on the id.
    let csv = b.ok(&["export", "grades"]);
    assert!(
        csv.starts_with("student,id,email,section,Grade,final (computed),letter (computed)\n"),
        "{csv}"
    );
    assert!(csv.contains("Maria García,1001,,A,80,80,B"), "{csv}");
    let input = b.input(
        "back.csv",
        "student,id,section,Grade\nMaria García,1001,C,88\nMaria García,1003,D,70\n".as_bytes(),
    );
    b.ok(&["import", "grades", &input]);
    let r = b.json(&["report", "--json"]);
    let students = r["students"].as_array().unwrap();
    assert_eq!(students.len(), 3, "1003 is new");
    assert_eq!(students[0]["grades"]["Grade"], json!(88.0));
    let listed = b.ok(&["student", "list"]);
    assert!(
        listed.contains("1001") && listed.contains(" C "),
        "{listed}"
    );
    // An ambiguous row without an id is refused with its line.
    let input = b.input("amb.csv", "student,Grade\nMaria García,50\n".as_bytes());
    b.refused(&["import", "grades", &input], "line 2, column 1");
    // An assessment named like an identity column stays an assessment.
    let c = Bin::new();
    c.ok(&["course", "add", "X"]);
    c.ok(&["assessment", "add", "Section"]);
    let input = c.input("s.csv", "student,section\nAnn,77\n".as_bytes());
    c.ok(&["import", "grades", &input]);
    assert_eq!(
        c.json(&["report", "--json"])["students"][0]["grades"]["Section"],
        json!(77.0)
    );
}

fn app_with_marias() -> App {
    utc();
    let b = two_marias();
    let book: Gradebook = gradebook::store::load(&b.file).unwrap();
    App::new(book, None, clock())
}

#[test]
fn the_tui_edits_who_a_student_is_and_hides_the_withdrawn() {
    let mut app = app_with_marias();
    // e on the name: name, id, e-mail, section, status, note.
    press(&mut app, "e");
    let Modal::Form(form) = &app.screens.gradebook.modal else {
        panic!("no form")
    };
    assert_eq!(form.fields.len(), 6);
    assert_eq!(form.value(1), "1001");
    press(&mut app, "\t\t\x15not an address\n");
    let Modal::Form(form) = &app.screens.gradebook.modal else {
        panic!("the form closed on a bad e-mail")
    };
    assert_eq!(form.focus, 2);
    press(
        &mut app,
        "\x15maria@school.example\t\t\x15withdrawn\t\x15Moved away\n",
    );
    let p = &app.course().unwrap().students.at(0).profile;
    assert_eq!(p.email.as_deref(), Some("maria@school.example"));
    assert_eq!(p.status, Status::Withdrawn);
    assert_eq!(p.note.as_deref(), Some("Moved away"));
    assert_eq!(app.data().stats.stats.count, 0);
    press(&mut app, "W");
    assert_eq!(app.screens.gradebook.order, vec![1], "hidden");
    press(&mut app, "W");
    assert_eq!(app.screens.gradebook.order, vec![0, 1]);
    press(&mut app, "u");
    assert_eq!(
        app.course().unwrap().students.at(0).profile.status,
        Status::Active
    );

    // A second Maria García without an id is refused in the form.
    press(&mut app, "aMaria García\n");
    assert!(app.screens.gradebook.modal.is_open());
    press(&mut app, "\t3003\n");
    assert_eq!(app.course().unwrap().students.len(), 3);
}

proptest::proptest! {
    /// The roster check (a table of hashes, text compared only where hashes meet) says
    /// what comparing every pair says.
    #[test]
    fn the_roster_check_is_the_pairwise_rule(
        roster in proptest::collection::vec(
            (
                proptest::sample::select(vec!["Ann", "ann", "ANN", "Bob", "Zoë", "ZOË", "Ann  Lee", "ann lee", "Straße", "STRASSE"]),
                proptest::option::of(proptest::sample::select(vec!["S1", "s1", "S2", "T9", "t9 ", "ß1", "ss1", "É1", "é1"])),
            ),
            0..12,
        )
    ) {
        use gradebook::model::{check_roster, same_id, same_name};
        let pairwise = roster.iter().enumerate().all(|(i, (n, id))| {
            roster[..i].iter().all(|(m, other)| {
                let ids_clash = matches!((id, other), (Some(a), Some(b)) if same_id(a, b));
                let names_clash = same_name(n, m) && (id.is_none() || other.is_none());
                !ids_clash && !names_clash
            })
        });
        let ours = check_roster(roster.iter().map(|&(n, id)| (n, id)).collect::<Vec<_>>().into_iter());
        proptest::prop_assert_eq!(ours.is_ok(), pairwise, "{:?}", roster);
    }
}

/// One student on two rows of a grades file, once by id and once by name, is refused as
/// one student twice: neither row's grade silently wins.
#[test]
fn one_student_on_two_rows_of_a_grades_file_is_refused() {
    let b = Bin::new();
    b.ok(&["course", "add", "Bio"]);
    b.ok(&["student", "add", "Ann", "--id", "S1"]);
    b.ok(&["assessment", "add", "Quiz"]);
    let file = b.input("twice.csv", b"student,id,Quiz\nAnn,S1,7\nAnn,,9\n");
    b.refused(
        &["import", "grades", &file],
        "line 3, column 1: student \"Ann\" appears twice",
    );
    // A new student named like a key of another kind is no one else.
    let file = b.input("odd.csv", b"student,id,Quiz\nBo,S9,1\nid s9,,2\n");
    b.ok(&["import", "grades", &file]);
}

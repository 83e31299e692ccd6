//! The real binary, as scripts use it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

struct Env {
    _dir: tempfile::TempDir,
    file: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data/gradebook.postcard");
    Env { _dir: dir, file }
}

impl Env {
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("gradebook").unwrap();
        c.env_remove("GRADEBOOK_FILE")
            .arg("--file")
            .arg(&self.file)
            .timeout(Duration::from_secs(30));
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs a command that must fail with exit 1, one line on stderr, and no change on disk.
    fn refused(&self, args: &[&str], message: &str) {
        let before = fs::read(&self.file).ok();
        let out = self.cmd().args(args).assert().code(1);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert_eq!(
            fs::read(&self.file).ok(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn tutorial_flow_as_a_new_user() {
    let e = env();
    e.ok(&["sample"]);
    for (name, points) in [("Frank", "89"), ("Grace", "92"), ("Hannah", "79")] {
        e.ok(&["grade", name, points]);
    }
    let r = e.json(&["report", "--json"]);
    assert_eq!(r["course"], "Introduction to Machine Learning");
    assert_eq!(r["stats"]["mean"], 86.875);
    assert_eq!(r["stats"]["count"], 8);
    assert_eq!(
        r["top"],
        serde_json::json!([{"name": "Alice", "final": 95.0}])
    );
    assert_eq!(r["students"].as_array().unwrap().len(), 8);
    let alice = &r["students"][0];
    assert_eq!(alice["name"], "Alice");
    assert_eq!(alice["final"], 95.0);
    assert_eq!(alice["letter"], "A");
    assert_eq!(alice["rank"], 1);
    assert_eq!(alice["grades"], serde_json::json!({"Grade": 95.0}));
    assert!(chrono::DateTime::parse_from_rfc3339(r["last_updated"].as_str().unwrap()).is_ok());
}

#[test]
fn tutorial_report_numbers() {
    let e = env();
    e.ok(&["sample"]);
    let r = e.json(&["report", "--json"]);
    let s = &r["stats"];
    assert_eq!(
        (s["mean"].as_f64(), s["median"].as_f64()),
        (Some(87.0), Some(87.0))
    );
    assert!((s["std_dev"].as_f64().unwrap() - 6.519202405202649).abs() < 1e-12);
    assert_eq!(
        (s["min"].as_f64(), s["max"].as_f64()),
        (Some(78.0), Some(95.0))
    );
    let text = e.ok(&["report"]);
    assert!(text.contains("Class average 87.00"), "{text}");
    assert!(text.contains("Top student: Alice (95.00)"), "{text}");
    assert!(text.contains("Categories: Grades 100%"), "{text}");
    assert!(text.contains("Last updated"), "{text}");
}

#[test]
fn report_json_nulls_for_ungraded_students() {
    let e = env();
    e.ok(&["course", "add", "Physics"]);
    e.ok(&["assessment", "add", "Quiz", "--max-points", "20"]);
    e.ok(&[
        "assessment",
        "add",
        "Exam",
        "--weight",
        "3",
        "--max-points",
        "50",
    ]);
    e.ok(&["grade", "Ann", "10", "-a", "quiz"]);
    e.ok(&["grade", "Ann", "40", "-a", "Exam"]);
    e.ok(&["grade", "Bo", "0", "-a", "Exam"]);
    let r = e.json(&["report", "--json"]);
    assert_eq!(r["students"][0]["final"], 72.5);
    assert_eq!(
        r["students"][0]["grades"],
        serde_json::json!({"Quiz": 10.0, "Exam": 40.0})
    );
    assert_eq!(
        r["students"][1]["grades"],
        serde_json::json!({"Quiz": null, "Exam": 0.0})
    );
    assert_eq!(r["stats"]["count"], 2);

    e.ok(&["course", "add", "Empty"]);
    let r = e.json(&["report", "--json", "--course", "empty"]);
    assert_eq!(
        r["stats"],
        serde_json::json!({"count": 0, "mean": null, "median": null, "std_dev": null, "min": null, "max": null})
    );
    assert_eq!(r["top"], serde_json::json!([]));
}

#[test]
fn course_defaults_to_the_last_used() {
    let e = env();
    e.ok(&["course", "add", "Math"]);
    e.ok(&["course", "add", "Art"]);
    e.ok(&["grade", "Ann", "80"]);
    e.ok(&["grade", "Bo", "70", "--course", "math"]);
    e.ok(&["grade", "Cy", "60"]);
    let math = e.json(&["report", "--json", "--course", "Math"]);
    assert_eq!(math["students"].as_array().unwrap().len(), 2);
    let list = e.ok(&["course", "list"]);
    assert!(
        list.contains("* Math")
            || list
                .lines()
                .any(|l| l.starts_with('*') && l.contains("Math")),
        "{list}"
    );
    e.ok(&["course", "rename", "Art", "Fine Art"]);
    e.refused(&["course", "delete", "Fine Art"], "--yes");
    e.ok(&["course", "delete", "fine art", "--yes"]);
    assert!(!e.ok(&["course", "list"]).contains("Art"));
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let e = env();
    e.refused(&["grade", "Ann", "50"], "no course yet");
    e.ok(&["sample"]);
    e.refused(&["grade", "Ann", "201"], "up to 200 with bonus");
    e.refused(&["grade", "Ann", "-1"], "from 0 to 100");
    e.refused(&["grade", "Ann", "NaN"], "finite");
    e.refused(&["grade", "Ann", "inf"], "finite");
    e.refused(
        &["grade", "Ann", "ninety"],
        "a grade is points, EX (excused) or M",
    );
    e.refused(&["grade", "  ", "50"], "cannot be empty");
    e.refused(&["grade", "A\u{1b}[2J", "50"], "control characters");
    e.refused(&["grade", &"x".repeat(101), "50"], "longer than 100");
    e.refused(
        &["grade", "Ann", "50", "--course", "Nope"],
        "no course named \"Nope\"",
    );
    e.refused(
        &["grade", "Ann", "50", "--assessment", "Final"],
        "no assessment named \"Final\"",
    );
    e.refused(&["sample"], "already exists");
    e.refused(
        &["course", "add", "introduction to MACHINE learning"],
        "already exists",
    );
    e.refused(
        &["assessment", "add", "Quiz", "--weight", "0"],
        "weight must be from 0.001",
    );
    e.refused(
        &["assessment", "add", "Quiz", "--max-points", "-5"],
        "max points",
    );
    e.refused(&["assessment", "add", "grade"], "already exists");
}

#[test]
fn letter_thresholds_can_be_changed() {
    let e = env();
    e.ok(&["sample"]);
    e.ok(&["course", "letters", "95", "85", "75", "65"]);
    let r = e.json(&["report", "--json"]);
    assert_eq!(r["students"][0]["letter"], "A"); // Alice 95
    assert_eq!(r["students"][2]["letter"], "B"); // Charlie 91
    assert_eq!(r["students"][4]["letter"], "C"); // Eve 78
    e.refused(
        &["course", "letters", "80", "90", "70", "60"],
        "go strictly down",
    );
    e.refused(
        &["course", "letters", "101", "90", "70", "60"],
        "from 0 to 100",
    );
    e.refused(
        &["course", "letters", "x", "90", "70", "60"],
        "must be a number",
    );
    // What a change did is said in its own words, a student's name untouched.
    e.ok(&["grade", "Kim would Be", "95.5"]);
    let said = e.ok(&["course", "letters", "96", "85", "75", "65"]);
    assert!(
        said.contains("  Kim would Be") && said.contains("changed letter"),
        "{said}"
    );
    assert!(!said.contains("would change"), "{said}");
    // Two letters with their percents are a scheme, not four thresholds.
    assert!(
        e.ok(&["course", "letters", "P", "50", "F", "0"])
            .contains("P ≥ 50 · F")
    );
}

#[test]
fn usage_errors_exit_2() {
    let e = env();
    e.cmd().args(["grade", "Ann"]).assert().code(2);
    e.cmd().args(["frobnicate"]).assert().code(2);
    e.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("gradebook"));
}

#[test]
fn gradebook_file_variable_picks_the_file() {
    let e = env();
    let mut c = Command::cargo_bin("gradebook").unwrap();
    c.env("GRADEBOOK_FILE", &e.file)
        .arg("sample")
        .assert()
        .success();
    assert!(e.file.exists());
    assert!(e.ok(&["report"]).contains("Alice"));
}

#[test]
fn corrupt_file_is_refused_and_left_unchanged() {
    let e = env();
    e.ok(&["sample"]);
    let mut bytes = fs::read(&e.file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    fs::write(&e.file, &bytes).unwrap();
    e.refused(&["grade", "Zed", "50"], "corrupt");
    e.refused(&["report"], "corrupt");
    fs::write(&e.file, b"not a gradebook at all").unwrap();
    e.refused(&["report"], "not a gradebook file");
    e.refused(&["course", "add", "New"], "not a gradebook file");
}

#[test]
fn second_writer_says_who_holds_the_lock() {
    let e = env();
    e.ok(&["sample"]);
    let (_held, _) = gradebook::store::Store::open(&e.file, "interactive session").unwrap();
    e.refused(
        &["grade", "Zed", "50"],
        "in use by gradebook interactive session (pid",
    );
    // Readers take no lock.
    assert!(e.ok(&["report"]).contains("Alice"));
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Promise 5: 0600 file, 0700 directory, whatever the umask.
#[test]
fn file_is_private_whatever_the_umask() {
    let bin = assert_cmd::cargo::cargo_bin("gradebook");
    for umask in ["000", "022", "277"] {
        let e = env();
        let script = format!("umask {umask}; exec \"$0\" --file \"$1\" sample");
        std::process::Command::new("sh")
            .args(["-c", &script])
            .arg(&bin)
            .arg(&e.file)
            .status()
            .unwrap()
            .success()
            .then_some(())
            .unwrap();
        assert_eq!(mode(&e.file), 0o600, "umask {umask}");
        assert_eq!(mode(e.file.parent().unwrap()), 0o700, "umask {umask}");
    }
}

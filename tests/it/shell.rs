//! The harder shell (PRODUCT.md 2.4, promises 8–12): each hole an attack found, tried
//! again against the real binary or the store, and shown to hold.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::time::{Duration, Instant};

use gradebook::store::{self, Store, format};

use crate::common::Bin;

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

// ---- 8. Paths are resolved; the lock file is never followed or truncated ----

/// A `<file>.lock` that is a symlink to another file must not empty that file or change
/// its mode (as root, it could be any file on the system).
#[test]
fn a_lock_file_that_is_a_symlink_is_refused() {
    let b = Bin::new();
    let victim = b.path("victim.txt");
    fs::write(&victim, "precious").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o644)).unwrap();
    symlink(&victim, store::lock::lock_path(&b.file)).unwrap();
    b.refused(&["course", "add", "X"], "is a symbolic link");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(fs::metadata(&victim).unwrap().mode() & 0o777, 0o644);
    assert!(!b.file.exists());
}

/// Nor a hard link, a directory, a FIFO, or a file that holds something else.
#[test]
fn a_lock_path_that_is_not_a_lock_note_is_refused_and_left_alone() {
    let b = Bin::new();
    let lock = store::lock::lock_path(&b.file);
    let other = b.path("other.txt");
    fs::write(&other, "keep me").unwrap();
    fs::hard_link(&other, &lock).unwrap();
    b.refused(&["course", "add", "X"], "is a hard link");
    assert_eq!(fs::read_to_string(&other).unwrap(), "keep me");
    fs::remove_file(&lock).unwrap();

    fs::write(&lock, "someone's notes").unwrap();
    b.refused(&["course", "add", "X"], "not a gradebook lock file");
    assert_eq!(fs::read_to_string(&lock).unwrap(), "someone's notes");
    fs::remove_file(&lock).unwrap();

    fs::create_dir(&lock).unwrap();
    b.refused(&["course", "add", "X"], "is a directory");
    fs::remove_dir(&lock).unwrap();

    mkfifo(&lock);
    b.refused(&["course", "add", "X"], "is a FIFO");
    fs::remove_file(&lock).unwrap();

    // What our own lock file holds is fine, and still works after all that.
    b.ok(&["course", "add", "X"]);
}

/// A FIFO, a device or a directory in the data file's place is refused at once, by
/// readers, writers and the interactive session alike.
#[test]
fn a_fifo_device_or_directory_as_the_data_file_is_refused_at_once() {
    let b = Bin::new();
    mkfifo(&b.file);
    let start = Instant::now();
    b.refused(&["report"], "is a FIFO, not a gradebook file");
    b.refused(&["grade", "Ann", "5"], "is a FIFO, not a gradebook file");
    assert!(start.elapsed() < Duration::from_secs(30), "it blocked");
    fs::remove_file(&b.file).unwrap();
    fs::create_dir(&b.file).unwrap();
    b.refused(&["course", "list"], "is a directory, not a gradebook file");
    b.refused(&["sample"], "is a directory, not a gradebook file");
    let out = assert_cmd::Command::cargo_bin("gradebook")
        .unwrap()
        .args(["--file", "/dev/null", "report"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a device"));
    let Err(e) = Store::open(Path::new("/dev/null"), "test") else {
        panic!("a device opened as a gradebook");
    };
    assert!(e.to_string().contains("is a device"), "{e}");
}

/// A data file reached through a symlink: the save goes to the target (the link stays a
/// link), and the lock is the target's, so a session through the link and a command on
/// the target cannot both write.
#[test]
fn a_symlinked_data_file_is_saved_through_and_locked_as_its_target() {
    let b = Bin::new();
    fs::create_dir(b.path("real")).unwrap();
    let target = b.path("real/target.postcard");
    let link = b.path("link.postcard");
    symlink(&target, &link).unwrap();
    let via_link = |args: &[&str]| Bin::cmd_on(&link).args(args).output().unwrap();
    assert!(via_link(&["sample"]).status.success());
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(store::load(&target).unwrap().courses.len() == 1);
    assert!(via_link(&["grade", "Zoe", "70"]).status.success());
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!store::lock::lock_path(&link).exists());

    let (_session, _) = Store::open(&link, "interactive session").unwrap();
    let out = Bin::cmd_on(&target)
        .args(["grade", "Zoe", "80"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by gradebook"));
}

/// A link to a file that does not exist yet: the first save creates the target.
#[test]
fn a_dangling_symlink_is_saved_through_to_its_target() {
    let b = Bin::new();
    let target = b.path("later.postcard");
    symlink("later.postcard", &b.file).unwrap();
    b.ok(&["sample"]);
    assert!(
        fs::symlink_metadata(&b.file)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(store::load(&target).unwrap().courses.len(), 1);
}

// ---- 9. Ownership and mode of an existing file are kept ----

/// Root saving a teacher's 0644 file leaves it theirs and 0644; a new file is 0600.
#[test]
fn root_saving_another_users_file_keeps_owner_group_and_mode() {
    if !is_root() {
        eprintln!("skipped: only root can save another user's file");
        return;
    }
    let b = Bin::sample();
    std::os::unix::fs::chown(&b.file, Some(1234), Some(5678)).unwrap();
    fs::set_permissions(&b.file, fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_file(store::lock::lock_path(&b.file)).unwrap();
    b.ok(&["grade", "Zoe", "70"]);
    let meta = fs::metadata(&b.file).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (1234, 5678));
    assert_eq!(meta.mode() & 0o7777, 0o644);
    // The lock made by root belongs to the owner, who can take it next time.
    let lock = fs::metadata(store::lock::lock_path(&b.file)).unwrap();
    assert_eq!((lock.uid(), lock.gid()), (1234, 5678));

    let fresh = Bin::new();
    fresh.ok(&["sample"]);
    assert_eq!(fs::metadata(&fresh.file).unwrap().mode() & 0o7777, 0o600);
}

// ---- 10. Size and magic are checked from the first bytes ----

/// Bytes read by this process so far, as the kernel counts them.
fn bytes_read() -> u64 {
    let io = fs::read_to_string("/proc/self/io").unwrap();
    io.lines()
        .find_map(|l| l.strip_prefix("rchar: "))
        .unwrap()
        .parse()
        .unwrap()
}

/// A 2 GiB (sparse) file, or a large one without the magic, is refused after a few bytes.
#[test]
fn huge_or_foreign_files_are_refused_from_their_first_bytes() {
    let b = Bin::new();
    let huge = fs::File::create(&b.file).unwrap();
    huge.set_len(2 << 30).unwrap();
    let before = bytes_read();
    let e = store::load(&b.file).unwrap_err().to_string();
    assert!(e.contains("larger than 1 GiB"), "{e}");
    huge.set_len(200 << 20).unwrap();
    let e = store::load(&b.file).unwrap_err().to_string();
    assert!(e.contains("not a gradebook file"), "{e}");
    let mut header = format::MAGIC.to_vec();
    header.extend_from_slice(&format::VERSION.to_le_bytes());
    header.extend_from_slice(&5u64.to_le_bytes());
    fs::write(&b.file, &header).unwrap();
    let f = fs::OpenOptions::new().write(true).open(&b.file).unwrap();
    f.set_len(200 << 20).unwrap();
    let e = store::load(&b.file).unwrap_err().to_string();
    assert!(e.contains("unexpected bytes after the end"), "{e}");
    assert!(
        bytes_read() - before < 1 << 20,
        "read {} bytes",
        bytes_read() - before
    );
}

// ---- 11. Signals: tests/it/pty.rs (`signals_save_restore_the_terminal_and_exit_0`) ----

// ---- 12. Output is safe ----

/// Exporting onto the data file or its lock, by any path to them, is refused and leaves
/// the gradebook as it was.
#[test]
fn an_export_never_overwrites_the_data_file_or_its_lock() {
    let b = Bin::sample();
    let data = b.file.to_string_lossy().into_owned();
    let lock = store::lock::lock_path(&b.file)
        .to_string_lossy()
        .into_owned();
    let alias = b.path("alias.csv");
    symlink(&b.file, &alias).unwrap();
    let alias = alias.to_string_lossy().into_owned();
    let hard = b.path("hard.postcard");
    fs::hard_link(&b.file, &hard).unwrap();
    let hard = hard.to_string_lossy().into_owned();
    for kind in ["grades", "study", "json"] {
        b.refused(
            &["export", kind, "-o", &data],
            "it is the gradebook's own data file",
        );
        b.refused(&["export", kind, "-o", &alias], "own data file");
        b.refused(&["export", kind, "-o", &hard], "own data file");
        b.refused(
            &["export", kind, "-o", &lock],
            "it is the gradebook's own lock file",
        );
    }
    b.ok(&["train"]);
    b.refused(&["plot", "-o", &data], "own data file");
    assert_eq!(store::load(&b.file).unwrap().courses.len(), 1);
}

/// Input quoted in a message: control characters escaped, at most 80 characters.
#[test]
fn messages_never_echo_control_characters_or_floods() {
    let b = Bin::sample();
    let osc52 = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J";
    let e = b.refused(&["grade", "Alice", osc52], "a grade is points");
    assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e:?}");
    assert!(e.contains("\\u{1b}]52;c;"), "{e}");
    let e = b.refused(&["report", "--course", osc52], "no course named");
    assert!(!e.contains('\u{1b}'), "{e:?}");

    let cell = format!("student,Grade\nAlice,{osc52}\n");
    let input = b.input("attack.csv", cell.as_bytes());
    let e = b.refused(&["import", "grades", &input], "line 2, column 2");
    assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e:?}");

    let flood = format!("student,Grade\nAlice,{}\n", "9x".repeat(10 << 20));
    let input = b.input("flood.csv", flood.as_bytes());
    let e = b.refused(&["import", "grades", &input], "a grade is points");
    assert!(e.len() < 1000, "{} bytes of error", e.len());

    let json = format!(
        r#"{{"format": "gradebook", "version": 1, "courses": [], "{}": 1}}"#,
        "\\u001b[2J".repeat(100_000)
    );
    let input = b.input("attack.json", json.as_bytes());
    let e = b.refused(&["import", "json", &input], "unknown field");
    assert!(!e.contains('\u{1b}') && e.len() < 1000, "{e:?}");
}

/// Names a spreadsheet would run as formulas are written neutralised in every CSV export,
/// and our import reads back the original text.
#[test]
fn csv_cells_that_spreadsheets_would_run_are_neutralised_and_read_back() {
    let b = Bin::new();
    let names = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3",
        "'=already quoted",
    ];
    b.ok(&["course", "add", "C"]);
    b.ok(&["assessment", "add", "=1+1"]);
    for (i, n) in names.iter().enumerate() {
        b.ok(&["grade", "--", n, &(i * 10).to_string()]);
    }
    let csv = b.ok(&["export", "grades"]);
    let mut cells = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&cells.headers().unwrap()[1], "'=1+1");
    for record in cells.records() {
        let first = record.unwrap()[0].to_string();
        assert!(first.starts_with('\''), "{first} is not neutralised");
    }
    let file = b.input("grades.csv", csv.as_bytes());
    b.ok(&["course", "add", "D"]);
    b.ok(&["import", "grades", &file, "--course", "D"]);
    let report = b.json(&["report", "--json", "--course", "D"]);
    let got: Vec<&str> = report["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, names);
    assert!(report["students"][0]["grades"].get("=1+1").is_some());

    let study = b.input("study.csv", b"hours,score,student\n5,50,-2+3\n");
    b.ok(&["import", "study", &study, "--course", "D"]);
    let exported = b.ok(&["export", "study", "--course", "D"]);
    assert!(exported.contains(",'-2+3"), "{exported}");
}

/// Weights and max points are bounded, so every final is finite.
#[test]
fn weights_and_max_points_are_bounded() {
    let b = Bin::sample();
    b.refused(
        &["assessment", "add", "Q", "--weight", "1e308"],
        "to 1000000",
    );
    b.refused(
        &["assessment", "add", "Q", "--max-points", "1e300"],
        "to 1000000",
    );
    b.ok(&[
        "assessment",
        "add",
        "Q",
        "--weight",
        "1000000",
        "--max-points",
        "1000000",
    ]);
    let mut json: serde_json::Value = serde_json::from_str(&b.ok(&["export", "json"])).unwrap();
    json["courses"][0]["name"] = "Other".into();
    json["courses"][0]["assessments"][0]["weight"] = 1e308.into();
    let input = b.input("big.json", json.to_string().as_bytes());
    b.refused(&["import", "json", &input], "to 1000000");
}

/// A stored model must be one training could make: on file load and on JSON import.
#[test]
fn impossible_models_are_refused_on_load_and_import() {
    let b = Bin::sample();
    b.ok(&["train"]);
    let json: serde_json::Value = serde_json::from_str(&b.ok(&["export", "json"])).unwrap();
    let cases: [(&str, serde_json::Value, &str); 5] = [
        ("n", 0.into(), "at least two observations"),
        ("n", 29.into(), "does not match the number of observations"),
        ("hours_min", 50.into(), "impossible range of hours"),
        ("r2", 1.5.into(), "impossible sums"),
        ("mse", 3.into(), "not its sum over n"),
    ];
    for (field, value, message) in cases {
        let mut doc = json.clone();
        doc["courses"][0]["name"] = "Other".into();
        doc["courses"][0]["model"][field] = value;
        let input = b.input("model.json", doc.to_string().as_bytes());
        b.refused(&["import", "json", &input], message);
    }
    // The same through the file, with numbers JSON cannot even write.
    let mut book = store::load(&b.file).unwrap();
    for broken in [f64::NAN, f64::INFINITY] {
        book.courses[0].model.as_mut().unwrap().intercept = broken;
        let bytes = format::encode(&book).unwrap();
        let e = format::decode(&bytes).unwrap_err().to_string();
        assert!(e.contains("not finite"), "{e}");
    }
}

/// A model of any size answers: 10⁸ observations once hung `predict` and the TUI.
#[test]
fn a_model_of_any_size_answers() {
    let b = Bin::sample();
    b.ok(&["train"]);
    let mut book = store::load(&b.file).unwrap();
    let model = book.courses[0].model.as_mut().unwrap();
    model.n = 100_000_000;
    model.sse = model.mse * 1e8;
    model.fingerprint ^= 1; // trained on other (larger) data: stale
    let (st, _) = Store::open(&b.file, "test").unwrap();
    st.save(&book).unwrap();
    drop(st);
    let out = b.json(&["predict", "12.5", "--json"]);
    let p = &out["predictions"][0];
    assert!(p["high"].as_f64().unwrap() > p["low"].as_f64().unwrap());
    assert_eq!(out["model"]["n"], 100_000_000);
    b.ok(&["plot", "-o", &b.path("big.svg").to_string_lossy()]);
}

/// Names compare as a person reads them; invisible and direction-changing characters
/// are refused.
#[test]
fn look_alike_names_are_one_student_and_hidden_characters_are_refused() {
    let b = Bin::new();
    b.ok(&["course", "add", "C"]);
    b.ok(&["grade", "\u{e9}mile", "50"]);
    b.ok(&["grade", "E\u{301}MILE", "60"]);
    b.ok(&["grade", "Stra\u{df}e", "10"]);
    b.ok(&["grade", "STRASSE", "20"]);
    let report = b.json(&["report", "--json"]);
    let students = report["students"].as_array().unwrap();
    assert_eq!(students.len(), 2, "{students:?}");
    assert_eq!(students[0]["final"], 60.0);
    assert_eq!(students[1]["final"], 20.0);
    for hidden in [
        "Alice\u{200b}",
        "Bob\u{202e}evil",
        "\u{feff}Carol",
        "Da\u{2066}n",
    ] {
        b.refused(&["grade", hidden, "5"], "invisible or direction-changing");
    }
}

/// The export's computed columns never become assessments, wherever they stand, and a
/// teacher's own `Final` does not collide with them.
#[test]
fn computed_columns_never_become_assessments() {
    let b = Bin::new();
    b.ok(&["course", "add", "C"]);
    b.ok(&["assessment", "add", "Final"]);
    b.ok(&["grade", "Ann", "80", "--assessment", "Final"]);
    let csv = b.ok(&["export", "grades"]);
    assert!(
        csv.starts_with("student,Final,final (computed),letter (computed)\n"),
        "{csv}"
    );
    // A spreadsheet user deletes the letter column and moves the final one first.
    let edited: String = csv
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            format!("{},{},{}\n", cells[0], cells[2], cells[1])
        })
        .collect();
    let file = b.input("edited.csv", edited.as_bytes());
    b.ok(&["import", "grades", &file]);
    let list = b.ok(&["assessment", "list"]);
    assert_eq!(list.lines().count(), 2, "{list}");
    b.refused(
        &["assessment", "add", "Bonus (computed)"],
        "kept for the columns",
    );
}

/// Spreadsheets and Python write CRLF: problems are still reported on their own line.
#[test]
fn crlf_files_report_the_right_lines() {
    let b = Bin::new();
    b.ok(&["course", "add", "C"]);
    b.ok(&["assessment", "add", "Homework", "--max-points", "10"]);
    let file = b.input("crlf.csv", b"student,Homework\r\nAnn,5\r\n\r\nBob,21\r\n");
    b.refused(&["import", "grades", &file], "line 4, column 2");
    let file = b.input("cr.csv", b"student,Homework\rAnn,21\r");
    b.refused(&["import", "grades", &file], "line 2, column 2");
}

/// Readable errors from the chart, and one line from every command that changes data.
#[test]
fn every_outcome_is_one_readable_line() {
    let b = Bin::sample();
    let e = b.refused(&["plot", "-o", "missing_dir/x.png"], "cannot write");
    assert!(!e.contains("Os {") && !e.contains("ImageError"), "{e}");
    assert_eq!(e.lines().count(), 1);
    let out = b.path("g.csv").to_string_lossy().into_owned();
    for (args, said) in [
        (
            vec!["grade", "Alice", "90"],
            "Alice: 90 of 100 in Grade, was 95",
        ),
        (
            vec!["export", "grades", "-o", &out],
            "Wrote the grades of 5 students to",
        ),
        (vec!["course", "letters", "93", "85", "75", "65"], "A ≥ 93"),
        (
            vec!["course", "rename", "introduction to machine learning", "ML"],
            "Renamed",
        ),
        (vec!["course", "add", "Physics"], "Added course \"Physics\""),
        (
            vec!["assessment", "add", "Lab", "--max-points", "20"],
            "Added assessment",
        ),
    ] {
        // The outcome is the first line; a change of letters lists who moves below it.
        let said_now = b.ok(&args);
        let first = said_now.lines().next().unwrap_or_default();
        assert!(first.contains(said), "{args:?}: {said_now}");
        if args[1] != "letters" {
            assert_eq!(said_now.lines().count(), 1, "{args:?}: {said_now}");
        } else {
            assert!(said_now.contains("Alice    A  →  B"), "{said_now}");
        }
    }
    let fresh = Bin::new();
    assert!(
        fresh
            .ok(&["sample"])
            .contains("Added the tutorial's course")
    );
}

/// JSON imports refuse version 0 and a grade given twice for one assessment.
#[test]
fn json_version_0_and_duplicate_keys_are_refused() {
    let b = Bin::sample();
    let input = b.input(
        "v0.json",
        br#"{"format": "gradebook", "version": 0, "courses": []}"#,
    );
    b.refused(&["import", "json", &input], "version 0 does not exist");
    let twice = br#"{"format": "gradebook", "version": 1, "courses": [{"name": "X",
        "last_updated": "2026-01-01T00:00:00Z",
        "assessments": [{"name": "Grade", "weight": 1.0, "max_points": 100.0}],
        "students": [{"name": "Ann", "grades": {"Grade": 10, "Grade": 90}}],
        "study": [], "model": null}]}"#;
    let input = b.input("twice.json", twice);
    b.refused(
        &["import", "json", &input],
        "the grade for \"Grade\" appears twice",
    );
}

/// Unit of the neutralising rule: any text survives the round trip.
#[test]
fn neutralising_round_trips_any_text() {
    use gradebook::interop::{neutralise, restore_text};
    use proptest::prelude::*;
    proptest!(|(text in "['=+\\-@\t\ra-z]{0,8}")| {
        let written = neutralise(&text);
        prop_assert!(!written.starts_with(['=', '+', '-', '@', '\t', '\r']));
        prop_assert_eq!(restore_text(&written), text.as_str());
    });
}

// ---- What an adversarial review found after the first round ----

/// A FIFO or a device to import from is refused at once, not read for ever.
#[test]
fn importing_from_a_fifo_or_a_device_is_refused() {
    let b = Bin::sample();
    let fifo = b.path("pipe");
    mkfifo(&fifo);
    let fifo = fifo.to_string_lossy().into_owned();
    b.refused(&["import", "json", &fifo], "is a FIFO, not a file");
    b.refused(
        &["import", "grades", "/dev/zero"],
        "is a device, not a file",
    );
    let out = b.ok(&["export", "grades"]);
    assert!(out.starts_with("student,"));
}

/// Limits keep every check and screen fast: a file or an import past them is refused
/// with a clear line (80,000 assessments once took 25 s to load).
#[test]
fn counts_past_the_limits_are_refused() {
    let b = Bin::sample();
    let header: Vec<String> = (0..1001).map(|i| format!("A{i}")).collect();
    let csv = format!("student,{}\nAnn,\n", header.join(","));
    let input = b.input("wide.csv", csv.as_bytes());
    b.refused(&["import", "grades", &input], "at most 1000 are kept");
    let courses: Vec<String> = (0..1001)
        .map(|i| {
            format!(
                r#"{{"name": "C{i}", "last_updated": "2026-01-01T00:00:00Z", "assessments": [],
                   "students": [], "study": [], "model": null}}"#
            )
        })
        .collect();
    let json = format!(
        r#"{{"format": "gradebook", "version": 1, "courses": [{}]}}"#,
        courses.join(",")
    );
    let input = b.input("many.json", json.as_bytes());
    b.refused(&["import", "json", &input], "at most 1000 courses");
}

/// More look-alikes: other spaces inside a name are spaces; invisible fillers, tags and
/// format characters anywhere are refused; full-width brackets do not hide `(computed)`.
#[test]
fn more_look_alike_names_are_caught() {
    let b = Bin::new();
    b.ok(&["course", "add", "C"]);
    b.ok(&["grade", "Ann Lee", "50"]);
    for space in [
        "\u{a0}",
        "\u{2007}",
        "\u{202f}",
        "\u{3000}",
        "  ",
        " \u{3000} ",
    ] {
        b.ok(&["grade", &format!("Ann{space}Lee"), "60"]);
    }
    assert_eq!(
        b.json(&["report", "--json"])["students"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for hidden in [
        "\u{3164}",
        "\u{115f}",
        "\u{ffa0}",
        "\u{34f}",
        "\u{e0041}",
        "\u{206a}",
        "\u{1d173}",
        "\u{17b4}",
        "\u{fff9}",
        "\u{180b}",
        "\u{2800}",
        "\u{600}",
    ] {
        b.refused(&["grade", &format!("Ann Lee{hidden}"), "5"], "invisible");
    }
    b.refused(
        &["assessment", "add", "Final\u{ff08}computed\u{ff09}"],
        "kept for the columns",
    );
    b.refused(
        &["assessment", "add", "final (computed)\u{200d}"],
        "kept for the columns",
    );
}

/// A teacher's own Final and Letter columns are never dropped without a word.
#[test]
fn final_and_letter_columns_are_never_dropped_silently() {
    let b = Bin::new();
    b.ok(&["course", "add", "C"]);
    let input = b.input("g.csv", b"student,Essay,final,letter\nAnn,50,60,70\n");
    b.refused(
        &["import", "grades", &input],
        "look like the computed columns",
    );
    let input = b.input("g.csv", b"student,Essay,Final,Letter\nAnn,50,60,70\n");
    b.ok(&["import", "grades", &input]);
    assert_eq!(b.ok(&["assessment", "list"]).lines().count(), 4);
}

/// What a command says is safe too; odd values are refused or made plain.
#[test]
fn outputs_and_odd_values() {
    let b = Bin::sample();
    let out = b.path("x\u{1b}[31mRED.csv").to_string_lossy().into_owned();
    let said = b.ok(&["export", "grades", "-o", &out]);
    assert!(
        !said.contains('\u{1b}') && said.contains("\\u{1b}"),
        "{said:?}"
    );
    b.refused(&["export", "grades", "-o", "/dev/stdout"], "not a file");
    b.refused(
        &["assessment", "add", "T", "-w", "5e-324"],
        "from 0.001 to 1000000",
    );
    b.ok(&["grade", "--", "Bob", "-0"]);
    assert_eq!(
        b.ok(&["export", "grades"]).lines().nth(2).unwrap(),
        "Bob,0,0,F"
    );
    let json = format!(
        r#"{{"format": "gradebook", "version": 1, "courses": [], "{}": 1}}"#,
        "X".repeat(300)
    );
    let input = b.input("long.json", json.as_bytes());
    let e = b.refused(&["import", "json", &input], "unknown field");
    assert!(e.contains(&format!("{}…", "X".repeat(80))) && !e.contains(&"X".repeat(81)));
    let mut doc: serde_json::Value = serde_json::from_str(&b.ok(&["export", "json"])).unwrap();
    doc["courses"][0]["name"] = "Other".into();
    doc["courses"][0]["assessments"][0]["colour"] = "red".into();
    let input = b.input("extra.json", doc.to_string().as_bytes());
    b.refused(&["import", "json", &input], "unknown field `colour`");
}

/// A stale model must still be one some data could have given.
#[test]
fn a_model_must_be_consistent_with_itself() {
    let b = Bin::sample();
    b.ok(&["train"]);
    let mut doc: serde_json::Value = serde_json::from_str(&b.ok(&["export", "json"])).unwrap();
    doc["courses"][0]["name"] = "Other".into();
    doc["courses"][0]["model"]["slope"] = 1e300.into();
    doc["courses"][0]["model"]["fingerprint"] = 1.into();
    let input = b.input("slope.json", doc.to_string().as_bytes());
    b.refused(&["import", "json", &input], "does not pass through scores");
}

/// An empty GRADEBOOK_FILE means the default file, not a usage error.
#[test]
fn an_empty_gradebook_file_variable_is_unset() {
    let home = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("gradebook")
        .unwrap()
        .env("GRADEBOOK_FILE", "")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .args(["course", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("No courses yet"));
}

/// Root creating a teacher's new gradebook gives it (and its lock) to the directory's
/// owner; a save drops set-id bits from an existing file.
#[test]
fn root_creating_a_file_in_someone_elses_directory_gives_it_to_them() {
    if !is_root() {
        eprintln!("skipped: only root can create files for another user");
        return;
    }
    let b = Bin::new();
    std::os::unix::fs::chown(b.dir.path(), Some(1234), Some(5678)).unwrap();
    b.ok(&["sample"]);
    for f in [b.file.clone(), store::lock::lock_path(&b.file)] {
        let meta = fs::metadata(&f).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (1234, 5678), "{}", f.display());
    }
    fs::set_permissions(&b.file, fs::Permissions::from_mode(0o4640)).unwrap();
    b.ok(&["grade", "Zoe", "70"]);
    assert_eq!(fs::metadata(&b.file).unwrap().mode() & 0o7777, 0o640);
}

//! The lasting record: history entries for every saved change, the hash chain `verify`
//! recomputes, `log`, undo across restarts, history in JSON, and student pages.

use crate::common::Bin;
use crate::tui::{clock, press, screen_text, utc};
use chrono::Utc;
use gradebook::journal::{self, Change, Entry, Head};
use gradebook::model::{Cell, Mark};
use gradebook::store;
use proptest::prelude::*;
use serde_json::{Value, json};

fn journal_of(b: &Bin) -> std::path::PathBuf {
    store::journal::journal_path(&b.file)
}

fn verify(b: &Bin) -> (bool, String, String) {
    let out = b.cmd().arg("verify").output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The sample, then three grade changes and a withdrawal.
fn with_history() -> Bin {
    let b = Bin::sample();
    b.ok(&["grade", "Alice", "90"]);
    b.ok(&["grade", "Bob", "EX", "--comment", "ill all week"]);
    b.ok(&["grade", "Alice", "91"]);
    b.ok(&["student", "withdraw", "Eve"]);
    b
}

#[test]
fn every_saved_change_is_an_entry_and_log_filters_them() {
    let b = with_history();
    let log: Value = b.json(&["log", "--json"]);
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 5, "{log:#}");
    let alice = &entries[1];
    assert_eq!(alice["student"], "Alice");
    assert_eq!(alice["assessment"], "Grade");
    assert_eq!(
        alice["old"],
        json!({"value": 95.0, "late_days": 0, "comment": null})
    );
    assert_eq!(
        alice["new"],
        json!({"value": 90.0, "late_days": 0, "comment": null})
    );
    assert_eq!(alice["course"], "Introduction to Machine Learning");
    assert!(!alice["user"].as_str().unwrap().is_empty());
    assert_eq!(
        entries[2]["new"],
        json!({"value": "EX", "late_days": 0, "comment": "ill all week"})
    );
    assert_eq!(entries[4]["change"], "changed Eve: withdrawn");

    let text = b.ok(&["log", "--student", "alice"]);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.contains("Alice · Grade: 95 → 90") && text.contains("90 → 91"),
        "{text}"
    );
    let eve = b.ok(&["log", "--student", "Eve"]);
    assert!(
        eve.contains("withdrawn"),
        "changes in words that name them: {eve}"
    );
    assert_eq!(b.ok(&["log", "--assessment", "grade"]).lines().count(), 3);
    assert_eq!(
        b.ok(&["log", "--course", "nope"]).trim(),
        "No entry matches."
    );
    let tomorrow = (Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        b.ok(&["log", "--since", &tomorrow]).trim(),
        "No entry matches."
    );
    assert_eq!(
        b.ok(&["log", "--since", "2000-01-01T00:00:00Z"])
            .lines()
            .count(),
        5
    );
    b.refused(&["log", "--since", "yesterday"], "YYYY-MM-DD");

    let (ok, said, _) = verify(&b);
    assert!(ok, "{said}");
    assert!(
        said.contains("History: 5 entries, every hash follows"),
        "{said}"
    );
}

#[test]
fn undo_survives_quitting_in_either_front_end() {
    let b = Bin::sample();
    b.ok(&["grade", "Alice", "70"]);
    b.ok(&["grade", "Bob", "60"]);
    // A new process undoes what an old one did.
    assert!(b.ok(&["undo"]).contains("Undone: Bob's Grade 60 → 87"));
    assert!(b.ok(&["undo"]).contains("Alice's Grade 70 → 95"));
    assert!(b.ok(&["redo"]).contains("Redone"));
    let r = b.json(&["report", "--json"]);
    assert_eq!(r["students"][0]["grades"]["Grade"], json!(70.0));
    // The interactive gradebook opens with the same steps.
    utc();
    let (st, opened) = store::Store::open_saved(&b.file, "test").unwrap();
    let mut app = gradebook::tui::App::open(opened.unwrap(), st, clock());
    press(&mut app, "u");
    assert_eq!(
        app.course().unwrap().students.at(0).mark(0),
        Mark::Points(95.0),
        "the redo made by the command line is undone"
    );
    press(&mut app, "q");
    drop(app);
    // Undoing is itself in the history.
    let log = b.ok(&["log"]);
    assert!(log.contains("undid"), "{log}");
    let (ok, said, err) = verify(&b);
    assert!(ok, "{said}{err}");
}

#[test]
fn a_changed_byte_is_named_by_verify_and_a_torn_tail_is_not_history() {
    let b = with_history();
    let journal = journal_of(&b);
    let good = std::fs::read(&journal).unwrap();
    // A save cut short leaves bytes after the head: not history, removed by the next save.
    let mut torn = good.clone();
    torn.extend_from_slice(&[7, 0, 0, 0, 1, 2, 3]);
    std::fs::write(&journal, &torn).unwrap();
    let (ok, said, _) = verify(&b);
    assert!(
        ok && said.contains("7 bytes after the last entry"),
        "{said}"
    );
    b.ok(&["grade", "Charlie", "80"]);
    let (ok, said, _) = verify(&b);
    assert!(ok && !said.contains("bytes after"), "{said}");
    let grown = std::fs::read(&journal).unwrap();
    assert_eq!(
        &grown[..good.len()],
        &good[..],
        "history is only appended to"
    );

    // One byte changed inside an entry: verify exits 1 and names the entry.
    let mut bad = grown.clone();
    bad[40] ^= 0x20;
    std::fs::write(&journal, &bad).unwrap();
    let (ok, _, err) = verify(&b);
    assert!(!ok && err.contains("broken at entry 1"), "{err}");
    assert!(b.cmd().arg("log").output().unwrap().status.code() == Some(1));
    std::fs::write(&journal, &grown).unwrap();

    // Cut short (below what the data file counts): a writer moves it aside and starts
    // the history again, saying so; nothing else is lost.
    std::fs::write(&journal, &grown[..grown.len() - 10]).unwrap();
    let (ok, _, err) = verify(&b);
    assert!(!ok && err.contains("cut short"), "{err}");
    let said = b.ok(&["grade", "Diana", "85"]);
    assert!(said.starts_with("Note: history started again"), "{said}");
    let (ok, said, err) = verify(&b);
    assert!(ok, "{said}{err}");
    let kept = std::fs::read_dir(b.file.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".journal.damaged-")
        })
        .count();
    assert_eq!(kept, 1, "the damaged journal is kept");
    assert_eq!(
        b.json(&["report", "--json"])["students"][3]["grades"]["Grade"],
        json!(85.0)
    );
}

/// A journal of `n` entries, in memory, and its head.
fn journal_bytes(n: usize) -> (Vec<u8>, Head) {
    let entries: Vec<Entry> = (0..n)
        .map(|i| Entry {
            time: crate::common::time(1_800_000_000 + i as i64, 7),
            user: "teacher".into(),
            course: "Bio".into(),
            change: if i % 3 == 0 {
                Change::Other(format!("added student S{i}"))
            } else {
                Change::Cell {
                    student: format!("S{i}"),
                    id: (i % 2 == 0).then(|| format!("{i:04}")),
                    assessment: "Quiz".into(),
                    old: Cell::default(),
                    new: Cell::points(i as f64),
                }
            },
        })
        .collect();
    let (bytes, head) = journal::encode(Head::default(), &entries).unwrap();
    let (records, brk) = journal::read(&bytes, &head);
    assert!(brk.is_none() && records.len() == n);
    (bytes, head)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any single byte of the history changed to any other value is caught.
    #[test]
    fn verify_catches_any_single_byte_change(
        n in 1usize..12,
        at in any::<prop::sample::Index>(),
        to in any::<u8>(),
    ) {
        let (mut bytes, head) = journal_bytes(n);
        let i = at.index(bytes.len());
        prop_assume!(bytes[i] != to);
        bytes[i] = to;
        let (_, brk) = journal::read(&bytes, &head);
        prop_assert!(brk.is_some(), "byte {i} changed to {to} went unnoticed");
    }

    /// Whatever bytes a journal holds, reading it answers, never panics.
    #[test]
    fn any_journal_bytes_are_read_or_refused(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        entries in 0u64..5,
        len in 0u64..400,
    ) {
        let head = Head { entries, bytes: len, hash: [0; 32] };
        let mut with_header = journal::MAGIC.to_vec();
        with_header.extend_from_slice(&journal::VERSION.to_le_bytes());
        with_header.extend_from_slice(&[0; 6]);
        with_header.extend_from_slice(&bytes);
        let _ = journal::read(&bytes, &head);
        let _ = journal::read(&with_header, &head);
    }
}

#[test]
fn history_travels_in_json_with_its_chain() {
    let b = with_history();
    let out = b.path("with-history.json");
    b.ok(&[
        "export",
        "json",
        "--with-history",
        "-o",
        out.to_str().unwrap(),
    ]);
    let j: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(j["history"]["entries"].as_array().unwrap().len(), 5);
    let before = b.json(&["log", "--json"]);

    // Into a new file: the same entries with the same hashes, then the import.
    let fresh = Bin::new();
    let said = fresh.ok(&["import", "json", out.to_str().unwrap()]);
    assert!(said.contains("5 entries of their history"), "{said}");
    let after = fresh.json(&["log", "--json"]);
    assert_eq!(
        &after.as_array().unwrap()[..5],
        before.as_array().unwrap().as_slice()
    );
    assert!(after[5]["change"].as_str().unwrap().starts_with("imported"));
    assert!(verify(&fresh).0);

    // Into a gradebook with a history of its own: chained after it, verify still holds.
    let other = Bin::new();
    other.ok(&["course", "add", "Physics"]);
    other.ok(&["import", "json", out.to_str().unwrap()]);
    assert_eq!(other.json(&["log", "--json"]).as_array().unwrap().len(), 7);
    assert!(verify(&other).0);

    // A changed entry, or one removed, is refused and changes nothing.
    let mut tampered = j.clone();
    tampered["history"]["entries"][1]["new"]["value"] = json!(99.0);
    let input = fresh.input("t.json", tampered.to_string().as_bytes());
    Bin::new().refused(&["import", "json", &input], "history entry 2");
    let mut cut = j.clone();
    cut["history"]["entries"].as_array_mut().unwrap().pop();
    let input = fresh.input("c.json", cut.to_string().as_bytes());
    Bin::new().refused(&["import", "json", &input], "entries were removed");
    b.refused(&["export", "grades", "--with-history"], "goes with json");
    // An export is never written over the history.
    let journal = journal_of(&b);
    b.refused(
        &["export", "json", "-o", journal.to_str().unwrap()],
        "history",
    );
}

#[test]
fn a_student_page_in_text_markdown_and_html() {
    let b = Bin::new();
    let data = std::fs::read("tests/data/gradebook-v2.postcard").unwrap();
    std::fs::write(&b.file, data).unwrap();
    b.ok(&[
        "grade",
        "S1002",
        "18",
        "-a",
        "Quiz 1",
        "--comment",
        "<script>alert(1)</script> & \"done\"",
    ]);
    let text = b.ok(&["report", "--student", "Bob Okafor"]);
    for shown in [
        "Bob Okafor — Biology 201",
        "id S1002 · section B",
        "Final 61.08 (D−), rank 3 of 3",
        "  HW1      EX        –  excused",
        "  HW2  7 / 10    70.0%  dropped",
        "  HW3       M     0.0%  missing (counts 0)",
        "extra credit",
        "Bob Okafor · Quiz 1: 15 → 18 with a comment",
    ] {
        assert!(text.contains(shown), "{shown:?} not in\n{text}");
    }
    let md = b.ok(&["report", "--student", "S1001", "--format", "markdown"]);
    assert!(md.starts_with("# Ann Lee\n"), "{md}");
    assert!(md.contains("| HW2 | 4 / 10 | 40.0% | dropped |  |"), "{md}");
    assert!(md.contains("ann.lee@school.example"), "{md}");

    let dir = b.path("pages");
    let said = b.ok(&[
        "report",
        "--students",
        "--format",
        "html",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(said.contains("Wrote 3 student pages"), "{said}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "001-ann-lee.html",
            "002-bob-okafor.html",
            "003-chloe-martin.html",
            "all.html",
            "index.html"
        ]
    );
    for name in &names {
        let html = std::fs::read_to_string(dir.join(name)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        assert!(doc.errors.is_empty(), "{name}: {:?}", doc.errors);
        let scripts = scraper::Selector::parse("script").unwrap();
        assert_eq!(
            doc.select(&scripts).count(),
            0,
            "{name}: text became markup"
        );
    }
    let bob = std::fs::read_to_string(dir.join("002-bob-okafor.html")).unwrap();
    assert!(
        bob.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;done&quot;"),
        "{bob}"
    );
    let doc = scraper::Html::parse_document(&bob);
    let dropped = scraper::Selector::parse("tr.dropped td").unwrap();
    assert_eq!(
        doc.select(&dropped)
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "HW2"
    );
    let all =
        scraper::Html::parse_document(&std::fs::read_to_string(dir.join("all.html")).unwrap());
    let sections = scraper::Selector::parse("section.student").unwrap();
    assert_eq!(all.select(&sections).count(), 3, "one printed sheet each");
    // Each student's sheet ends with a page break but the last, which the footer follows:
    // the rule must pick the last section, not the body's last child (a blank sheet).
    assert!(
        bob.contains(".student { break-after: page;")
            && bob.contains("section.student:last-of-type { break-after: auto;")
            && bob.contains("</section><p class=\"made\">"),
        "{bob}"
    );
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(index.contains("href=\"003-chloe-martin.html\""), "{index}");
    assert!(index.contains("@page") && index.contains("@media print"));
    b.refused(&["report", "--student", "Nobody"], "no student named");
    b.refused(&["report", "--format", "html"], "--student");
}

#[test]
fn the_tui_opens_a_page_per_student_and_the_history() {
    let b = with_history();
    utc();
    let (st, opened) = store::Store::open_saved(&b.file, "test").unwrap();
    let mut app = gradebook::tui::App::open(opened.unwrap(), st, clock());
    press(&mut app, "\n");
    assert_eq!(
        app.screens.gradebook.page.as_ref().unwrap().page.name,
        "Alice"
    );
    let screen = screen_text(&mut app, 140, 40);
    assert!(screen.contains("Percent per assessment"), "{screen}");
    assert!(screen.contains("Alice · Grade: 90 → 91"), "{screen}");
    press(&mut app, "l");
    assert_eq!(
        app.screens.gradebook.page.as_ref().unwrap().page.name,
        "Bob"
    );
    press(&mut app, "H");
    let screen = screen_text(&mut app, 140, 40);
    assert!(screen.contains("History of Bob"), "{screen}");
    assert!(
        screen.contains("Bob · Grade: 87 → EX with a comment"),
        "{screen}"
    );
    press(&mut app, "\x1b\x1b");
    assert!(app.screens.gradebook.page.is_none());
    // A change made now is in the history at once, before any save.
    press(&mut app, "jl");
    press(&mut app, "X");
    press(&mut app, "H");
    let screen = screen_text(&mut app, 140, 40);
    assert!(screen.contains("Charlie · Grade: 91 → EX"), "{screen}");
}

/// What a review found: history is never cut without a copy, one byte does not hide the
/// rest, names are followed through renames, entries from files are checked.
#[test]
fn history_is_never_lost_to_a_replaced_or_deleted_data_file() {
    let b = with_history();
    let journal = journal_of(&b);
    let dir = b.file.parent().unwrap().to_path_buf();
    let kept = |tag: &str| {
        std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(tag)
            })
            .count()
    };
    // A backup of the data file restored: the entries after it are kept aside.
    let backup = std::fs::read(&b.file).unwrap();
    b.ok(&["grade", "Alice", "50"]);
    b.ok(&["grade", "Bob", "50"]);
    std::fs::write(&b.file, &backup).unwrap();
    // A refused command keeps them aside once, and says so; later openings find nothing
    // more to keep.
    let said = b.refused(&["grade", "Nobody", "x"], "");
    assert!(
        said.contains("Note: 2 entries after the end of this file's history"),
        "{said}"
    );
    for _ in 0..2 {
        b.refused(&["grade", "Nobody", "x"], "");
    }
    assert_eq!(kept(".journal.after-"), 1);
    let said = b.ok(&["grade", "Charlie", "60"]);
    assert!(!said.contains("Note:"), "{said}");
    assert_eq!(kept(".journal.after-"), 1);
    assert!(verify(&b).0);
    // The data file deleted: the whole journal is kept aside, a new history begins.
    std::fs::remove_file(&b.file).unwrap();
    let said = b.ok(&["course", "add", "New"]);
    assert!(said.contains("kept as"), "{said}");
    assert_eq!(kept(".journal.after-"), 2);
    assert!(verify(&b).0);
    assert!(
        std::fs::read(&journal).unwrap().len() < 300,
        "a new, short history"
    );
}

#[test]
fn two_restarts_in_one_second_keep_both_journals() {
    let b = with_history();
    let journal = journal_of(&b);
    for _ in 0..2 {
        let bytes = std::fs::read(&journal).unwrap();
        std::fs::write(&journal, &bytes[..bytes.len() - 1]).unwrap();
        assert!(
            b.ok(&["grade", "Alice", "77"])
                .contains("history started again")
        );
        b.ok(&["grade", "Alice", "78"]);
    }
    let damaged = std::fs::read_dir(b.file.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".damaged-")
        })
        .count();
    assert_eq!(damaged, 2, "the second kept copy did not replace the first");
}

#[test]
fn one_changed_byte_does_not_hide_what_comes_after() {
    let b = with_history();
    let journal = journal_of(&b);
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&journal, &bytes).unwrap();
    let out = b.cmd().arg("log").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("Alice · Grade: 90 → 91"),
        "later entries shown: {text}"
    );
    assert!(
        err.contains("4 entries after it can be read but not verified"),
        "{err}"
    );
}

#[test]
fn names_are_followed_through_renames_and_never_matched_by_parts() {
    let b = Bin::sample();
    b.ok(&["student", "add", "Steve"]);
    b.ok(&["grade", "Eve", "80"]);
    b.ok(&["grade", "Steve", "70"]);
    b.ok(&["student", "edit", "Eve", "--rename", "Evelyn"]);
    b.ok(&[
        "course",
        "rename",
        "Introduction to Machine Learning",
        "IML",
    ]);
    b.ok(&["grade", "Evelyn", "82"]);
    let log = b.ok(&["log", "--student", "Evelyn"]);
    assert!(
        log.contains("Eve · Grade: 78 → 80"),
        "her grade under her old name: {log}"
    );
    assert!(
        log.contains("renamed student \"Eve\" to \"Evelyn\""),
        "{log}"
    );
    assert!(log.contains("Evelyn · Grade: 80 → 82"), "{log}");
    assert!(!log.contains("Steve"), "not by a part of a name: {log}");
    let course = b.ok(&["log", "--course", "IML"]);
    assert!(
        course.contains("Alice") || course.contains("added course"),
        "{course}"
    );
    assert!(
        course.contains("Eve · Grade: 78 → 80"),
        "before the rename too: {course}"
    );
    b.refused(&["log", "--student", ""], "needs a name");
    // An ambiguous name is refused, as everywhere.
    b.ok(&["student", "add", "Zed", "--id", "Z1"]);
    b.ok(&["student", "add", "Zed", "--id", "Z2"]);
    b.refused(&["log", "--student", "Zed"], "more than one student");
}

#[test]
fn history_from_a_file_must_be_history_gradebook_writes() {
    let b = with_history();
    let out = b.path("h.json");
    b.ok(&[
        "export",
        "json",
        "--with-history",
        "-o",
        out.to_str().unwrap(),
    ]);
    let j: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    // Rebuild a valid chain around a forged entry: only the content rules can refuse it.
    let forge = |user: &str, change: &str| {
        let mut j = j.clone();
        let entries = j["history"]["entries"].as_array_mut().unwrap();
        entries.truncate(1);
        entries[0]["user"] = json!(user);
        entries[0]["change"] = json!(change);
        let e = Entry {
            time: serde_json::from_value(entries[0]["time"].clone()).unwrap(),
            user: user.into(),
            course: entries[0]["course"].as_str().unwrap().into(),
            change: Change::Other(change.into()),
        };
        let hash = journal::chain(&[0; 32], &postcard::to_allocvec(&e).unwrap());
        entries[0]["hash"] = json!(journal::hex(&hash));
        j["history"]["head"] = json!(journal::hex(&hash));
        j
    };
    for (user, change, said) in [
        ("x\u{1b}]0;PWNED\u{7}", "added course", "plain text"),
        ("teacher", "line one\nline two", "plain text"),
        ("teacher", &"x".repeat(17_000), "plain text"),
        ("", "added course", "plain text"),
    ] {
        let input = b.input("forged.json", forge(user, change).to_string().as_bytes());
        Bin::new().refused(&["import", "json", &input], said);
    }
    // The same entry, honest, goes in.
    let input = b.input(
        "fine.json",
        forge("teacher", "added course").to_string().as_bytes(),
    );
    Bin::new().ok(&["import", "json", &input]);
}

#[test]
fn the_user_is_who_the_process_runs_as() {
    let b = Bin::sample();
    let out = b
        .cmd()
        .env("USER", "principal\n2026-01-01 00:00:00Z  principal  fake")
        .args(["grade", "Alice", "99"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = b.json(&["log", "--json"]);
    let user = log[1]["user"].as_str().unwrap();
    assert!(
        !user.contains('\n') && !user.starts_with("principal"),
        "{user}"
    );
}

#[test]
fn pages_are_written_all_or_nothing_and_old_ones_go() {
    let b = Bin::sample();
    let dir = b.path("pages");
    b.ok(&[
        "report",
        "--students",
        "--format",
        "html",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(dir.join("001-alice.html").exists());
    b.ok(&["student", "delete", "Alice", "--yes"]);
    b.ok(&[
        "report",
        "--students",
        "--format",
        "html",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(dir.join("001-bob.html").exists());
    assert!(
        !dir.join("005-eve.html").exists(),
        "Alice's page and the old numbering went"
    );
    let victim = b.path("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::fs::remove_file(dir.join("002-charlie.html")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("002-charlie.html")).unwrap();
    let before = std::fs::read(dir.join("001-bob.html")).unwrap();
    b.ok(&["grade", "Bob", "12"]);
    b.refused(
        &[
            "report",
            "--students",
            "--format",
            "html",
            "-o",
            dir.to_str().unwrap(),
        ],
        "symbolic link",
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(
        std::fs::read(dir.join("001-bob.html")).unwrap(),
        before,
        "nothing written"
    );
}

#[test]
fn the_journal_stays_private_and_a_hard_linked_backup_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let b = with_history();
    let journal = journal_of(&b);
    std::fs::set_permissions(&journal, std::fs::Permissions::from_mode(0o644)).unwrap();
    let backup = b.path("backup.journal");
    std::fs::hard_link(&journal, &backup).unwrap();
    let saved = std::fs::read(&backup).unwrap();
    b.ok(&["grade", "Alice", "40"]);
    let mode = std::fs::metadata(&journal).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        saved,
        "the backup did not grow"
    );
    assert!(std::fs::read(&journal).unwrap().len() > saved.len());
    assert!(verify(&b).0);
}

/// A command that changes nothing in another course is no change: no history entry, no
/// undo step (undo then takes back the change before it).
#[test]
fn a_change_to_nothing_in_another_course_is_not_history() {
    let b = with_history();
    b.ok(&["course", "add", "Other"]);
    let before = b.json(&["log", "--json"]).as_array().unwrap().len();
    let course = "Introduction to Machine Learning";
    b.ok(&["grade", "--course", course, "Alice", "91"]);
    b.ok(&["student", "edit", "--course", course, "Bob"]);
    let after = b.json(&["log", "--json"]).as_array().unwrap().len();
    assert_eq!(after, before, "no entry for a change to nothing");
    assert!(
        b.ok(&["undo"]).contains("added course \"Other\""),
        "the newest step is still the one before"
    );
}

/// A change described in more words than an entry holds (an import from a long path) is
/// cut to what an entry holds, `…` included: the history still verifies and reads.
#[test]
fn a_long_description_is_cut_to_an_entry() {
    let b = Bin::sample();
    let mut dir = b.dir.path().to_path_buf();
    for part in ["a", "b", "c"] {
        dir.push(part.repeat(200));
    }
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("study.csv");
    std::fs::write(&file, "hours,score\n5,50\n").unwrap();
    b.ok(&["import", "study", file.to_str().unwrap()]);
    let (ok, out, err) = verify(&b);
    assert!(ok, "{out}{err}");
    let log = b.ok(&["log"]);
    assert!(log.contains("imported ") && log.contains('…'), "{log}");
}

/// Names typed with spaces around them (or not composed) are kept as the data keeps them,
/// in the history too: it still verifies, and the log names them trimmed.
#[test]
fn names_typed_with_spaces_are_history_as_kept() {
    let b = Bin::sample();
    b.ok(&["student", "add", "  Zed  "]);
    b.ok(&["grade", " Yara ", "50"]);
    b.ok(&["assessment", "add", " Quiz  "]);
    let (ok, out, err) = verify(&b);
    assert!(ok, "{out}{err}");
    let log = b.ok(&["log"]);
    assert!(
        log.contains("added student Zed") && log.contains("Yara"),
        "{log}"
    );
}

/// A long history in its box: the newest lines first, j scrolls down to the oldest and
/// no further (the box stays full), k comes back.
#[test]
fn a_long_history_scrolls_to_its_oldest_line_and_no_further() {
    let b = Bin::sample();
    for i in 0..40 {
        b.ok(&["grade", "Alice", &(50 + i).to_string()]);
    }
    utc();
    let (st, opened) = store::Store::open_saved(&b.file, "test").unwrap();
    let mut app = gradebook::tui::App::open(opened.unwrap(), st, clock());
    press(&mut app, "lH");
    let top = screen_text(&mut app, 140, 12);
    assert!(top.contains("Alice · Grade: 88 → 89"), "{top}");
    assert!(!top.contains("Alice · Grade: 95 → 50"), "{top}");
    press(&mut app, &"j".repeat(500));
    let bottom = screen_text(&mut app, 140, 12);
    assert!(bottom.contains("Alice · Grade: 95 → 50"), "{bottom}");
    assert!(
        bottom.contains("Alice · Grade: 50 → 51"),
        "the box stays full: {bottom}"
    );
    press(&mut app, &"k".repeat(500));
    assert_eq!(screen_text(&mut app, 140, 12), top);
}

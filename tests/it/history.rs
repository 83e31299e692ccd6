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
        app.course().unwrap().students[0].marks[0],
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

//! Crashes and races with the real binary: SIGKILL at random moments of a save, and
//! several writers at once. Promises 1 and 4 of PRODUCT.md "The file".

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gradebook::store;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("gradebook")
}

fn students(file: &Path) -> BTreeSet<String> {
    let book = store::load(file).unwrap_or_else(|e| panic!("the file must always load: {e}"));
    book.courses.first().map_or_else(BTreeSet::new, |c| {
        c.students.iter().map(|s| s.name.to_string()).collect()
    })
}

/// A tiny deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Temp files of saves in `dir`.
fn strays(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp-")
        })
        .count()
}

/// 500 times: start a command that adds a student and saves, SIGKILL it after a random
/// delay, and check that the file loads and holds the state from just before or just
/// after that save, never anything else.
#[test]
fn killed_writer_leaves_old_or_new_state() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gradebook.postcard");
    let run = |args: &[&str]| {
        Command::new(bin())
            .arg("--file")
            .arg(&file)
            .args(args)
            .env_remove("GRADEBOOK_FILE")
            .output()
            .unwrap()
    };
    assert!(run(&["sample"]).status.success());
    // Kill within twice the time a whole command takes here, so that kills land before,
    // during and after the save on any machine.
    let mut runs: Vec<Duration> = (0..5)
        .map(|i| {
            let start = Instant::now();
            assert!(
                run(&["grade", &format!("Warm-up {i}"), "50"])
                    .status
                    .success()
            );
            start.elapsed()
        })
        .collect();
    runs.sort();
    let window = (runs[2].as_micros() as u64 * 2).max(1000);
    let mut expected = students(&file);
    let mut rng = Lcg(2026);
    let (mut before, mut after) = (0, 0);
    for k in 0..500 {
        let name = format!("Killed {k}");
        let mut child = Command::new(bin())
            .arg("--file")
            .arg(&file)
            .args(["grade", &name, "50"])
            .env_remove("GRADEBOOK_FILE")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = students(&file);
        // The history always verifies, and holds this command's entries exactly when the
        // file holds its change: a kill between the journal and the data file leaves
        // entries past the head, which are not history.
        let (_, records, brk) = store::load_history(&file).unwrap();
        assert!(brk.is_none(), "kill {k}: the history broke: {brk:?}");
        let logged = records
            .iter()
            .any(|r| r.entry.words() == format!("{name} · Grade: – → 50"));
        assert_eq!(
            logged,
            now != expected,
            "kill {k}: history and data disagree"
        );
        if now == expected {
            before += 1;
            assert!(!status.success(), "a command that finished must have saved");
        } else {
            let mut with = expected.clone();
            with.insert(name);
            assert_eq!(now, with, "kill {k}: the file holds a state that never was");
            after += 1;
            expected = with;
        }
        // A kill may strand the temp file of its save, and only that one: the next
        // writer removes it when it takes the lock.
        assert!(strays(dir.path()) <= 1, "kill {k}: temp files pile up");
    }
    assert!(run(&["grade", "After", "50"]).status.success());
    assert_eq!(strays(dir.path()), 0, "the next writer cleaned up");
    // The delays must have hit both sides of the save for the test to mean anything.
    eprintln!("killed before the save: {before}, after: {after}");
    assert!(before > 20 && after > 20, "before {before}, after {after}");
}

/// Eight writers started together: those that got the lock saved, the others said who
/// held it, and no saved change was lost.
#[test]
fn racing_writers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gradebook.postcard");
    assert!(
        Command::new(bin())
            .arg("--file")
            .arg(&file)
            .arg("sample")
            .status()
            .unwrap()
            .success()
    );
    for round in 0..5 {
        let children: Vec<_> = (0..8)
            .map(|i| {
                let name = format!("Racer {round}-{i}");
                let child = Command::new(bin())
                    .arg("--file")
                    .arg(&file)
                    .args(["grade", &name, "70"])
                    .stderr(Stdio::piped())
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap();
                (name, child)
            })
            .collect();
        let mut won = BTreeSet::new();
        for (name, child) in children {
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                won.insert(name);
            } else {
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(err.contains("is in use by gradebook grade (pid"), "{err}");
            }
        }
        assert!(!won.is_empty());
        let now = students(&file);
        for name in &won {
            assert!(now.contains(name), "{name} was saved, then lost");
        }
        let racers = now
            .iter()
            .filter(|n| n.starts_with(&format!("Racer {round}-")))
            .count();
        assert_eq!(racers, won.len(), "only winners are in the file");
    }
}

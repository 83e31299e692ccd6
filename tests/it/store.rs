//! The file's promises (PRODUCT.md "The file"), each with a test that fails without it.

use crate::common;

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use gradebook::model::Gradebook;
use gradebook::store::format::{self, FormatError, HEADER_LEN, MAGIC, VERSION};
use gradebook::store::{self, SaveStep, Store, StoreError, v1};
use proptest::prelude::*;

const V1_SAMPLE: &str = "tests/data/gradebook-v1.postcard";
const V2_SAMPLE: &str = "tests/data/gradebook-v2.postcard";
const V3_SAMPLE: &str = "tests/data/gradebook-v3.postcard";

fn sample_book() -> Gradebook {
    store::load(Path::new(V1_SAMPLE)).unwrap()
}

fn temp_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gradebook.postcard");
    (dir, path)
}

/// A complete file around any body, with a correct checksum, to reach the decoder.
fn file_with_body(version: u16, body: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any gradebook survives encode → decode, and encodes again to the same bytes.
    #[test]
    fn round_trip_is_byte_exact(book in common::gradebook()) {
        let bytes = format::encode(&book).unwrap();
        let back = format::decode(&bytes).unwrap();
        prop_assert_eq!(&back, &book);
        prop_assert_eq!(format::encode(&back).unwrap(), bytes);
    }

    /// Any version-1 gradebook loads with every final unchanged, bit for bit.
    #[test]
    fn version_1_books_migrate_with_every_final_unchanged(old in crate::common::v1_gradebook()) {
        let file = file_with_body(1, &postcard::to_stdvec(&old).unwrap());
        let new = format::decode(&file).unwrap();
        assert_finals_unchanged(&old, &new);
    }

    /// Hostile bytes, even with a valid header and checksum, give an error or a valid
    /// gradebook, never a panic.
    #[test]
    fn arbitrary_bodies_never_panic(body in prop::collection::vec(any::<u8>(), 0..400)) {
        for version in 1..=VERSION {
            if let Ok(book) = format::decode(&file_with_body(version, &body)) {
                prop_assert!(book.validate().is_ok());
            }
        }
    }
}

/// The final grade as version 1 computed it: Σ wᵢ·percentᵢ / Σ wᵢ over graded
/// assessments, in this order of operations.
fn v1_final(assessments: &[v1::Assessment], grades: &[Option<f64>]) -> Option<f64> {
    let mut weighted = 0.0;
    let mut weights = 0.0;
    for (a, g) in assessments.iter().zip(grades) {
        if let Some(points) = g {
            weighted += a.weight * (points / a.max_points * 100.0);
            weights += a.weight;
        }
    }
    (weights > 0.0).then(|| weighted / weights)
}

/// Every final of a version-1 gradebook is what version 1 computed, bit for bit, once
/// migrated to one category `Grades`.
fn assert_finals_unchanged(old: &v1::Gradebook, new: &Gradebook) {
    assert_eq!(old.courses.len(), new.courses.len());
    for (o, n) in old.courses.iter().zip(&new.courses) {
        assert_eq!(n.categories.len(), 1);
        assert_eq!(n.categories[0].name, "Grades");
        assert_eq!(o.students.len(), n.students.len());
        for (os, ns) in o.students.iter().zip(&n.students) {
            let want = v1_final(&o.assessments, &os.grades).map(f64::to_bits);
            let got = n.final_grade(ns).map(f64::to_bits);
            assert_eq!(got, want, "{}'s final in {}", os.name, o.name);
        }
    }
}

/// The body of a file (header and checksum off).
fn body(bytes: &[u8]) -> &[u8] {
    &bytes[HEADER_LEN..bytes.len() - 4]
}

/// Promise 6: files of format version 1 keep loading, migrated with every final
/// unchanged; the next save writes version 2.
#[test]
fn version_1_sample_loads() {
    let bytes = fs::read(V1_SAMPLE).unwrap();
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 1);
    let book = format::decode(&bytes).unwrap();
    let names: Vec<&str> = book.courses.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Introduction to Machine Learning", "Physics 物理"]);
    let ml = &book.courses[0];
    assert_eq!(ml.students.len(), 8);
    assert_eq!(ml.study.len(), 30);
    let physics = &book.courses[1];
    assert_eq!(physics.assessments.len(), 2);
    assert_eq!(physics.assessments[1].weight, 3.0);
    let (old, _) = postcard::take_from_bytes::<v1::Gradebook>(body(&bytes)).unwrap();
    assert_finals_unchanged(&old, &book);
    let again = format::encode(&book).unwrap();
    assert_eq!(u16::from_le_bytes([again[8], again[9]]), VERSION);
    assert_eq!(format::decode(&again).unwrap(), book);
}

/// The version-2 sample: a syllabus with categories, drops, extra credit, excused and
/// missing work, late days, comments, plus-minus letters and a late policy, with ids and
/// notes. It keeps loading as the book built here.
#[test]
fn version_2_sample_loads() {
    let book = crate::common::syllabus_sample();
    let stored = fs::read(V2_SAMPLE).unwrap();
    assert_eq!(u16::from_le_bytes([stored[8], stored[9]]), 2);
    assert_eq!(format::decode(&stored).unwrap(), book);
}

/// The same gradebook in version 3 (the rosters by column): it must load as the book
/// built here, and encoding that book must give it byte for byte.
#[test]
fn version_3_sample_loads() {
    let book = crate::common::syllabus_sample();
    let bytes = format::encode(&book).unwrap();
    if std::env::var_os("GRADEBOOK_WRITE_SAMPLE").is_some() {
        fs::write(V3_SAMPLE, &bytes).unwrap();
    }
    let stored = fs::read(V3_SAMPLE).unwrap();
    assert_eq!(u16::from_le_bytes([stored[8], stored[9]]), 3);
    assert_eq!(format::decode(&stored).unwrap(), book);
    assert_eq!(stored, bytes, "version 3 is still what we write");
}

/// Promise 1: temp file in the same directory, fsync, rename, fsync of the directory.
#[test]
fn save_steps_happen_in_order() {
    let (dir, path) = temp_file();
    let (store, book) = Store::open(&path, "test").unwrap();
    assert_eq!(book.unwrap(), Gradebook::default());
    let mut steps = Vec::new();
    let mut seen_temp = false;
    store
        .save_with(&sample_book(), &mut |step| {
            if step == SaveStep::Rename {
                // The new bytes sit, complete, in a temp file beside the target.
                seen_temp = fs::read_dir(dir.path())
                    .unwrap()
                    .any(|e| e.unwrap().file_name().to_string_lossy().contains(".tmp-"));
            }
            steps.push(step);
            Ok(())
        })
        .unwrap();
    use SaveStep::*;
    assert_eq!(steps, [Create, Write, SyncFile, Rename, SyncDir]);
    assert!(seen_temp);
    assert_eq!(store::load(&path).unwrap(), sample_book());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

/// Promise 2: a save failing at any step, with any error, leaves the old file
/// byte-identical and no temp file; the state is still in memory and a retry succeeds.
#[test]
fn failed_save_leaves_the_old_file_byte_identical() {
    let errors = [28, 13, 5]; // ENOSPC, EACCES, EIO
    use SaveStep::*;
    for step in [Create, Write, SyncFile, Rename] {
        for errno in errors {
            let (dir, path) = temp_file();
            let (store, _) = Store::open(&path, "test").unwrap();
            store.save(&Gradebook::default()).unwrap();
            let old = fs::read(&path).unwrap();
            let book = sample_book();
            let err = store
                .save_with(&book, &mut |s| {
                    if s == step {
                        Err(io::Error::from_raw_os_error(errno))
                    } else {
                        Ok(())
                    }
                })
                .unwrap_err();
            assert!(matches!(err, StoreError::Io { .. }), "{step:?}: {err}");
            assert_eq!(fs::read(&path).unwrap(), old, "{step:?} errno {errno}");
            assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "{step:?}");
            store.save(&book).unwrap();
            assert_eq!(store::load(&path).unwrap(), book, "the retry saves");
        }
    }
}

/// A failed directory fsync comes after the rename: the new state is in place but may not
/// be durable, so the error is still reported and the save retried.
#[test]
fn failed_directory_sync_is_reported() {
    let (_dir, path) = temp_file();
    let (store, _) = Store::open(&path, "test").unwrap();
    let book = sample_book();
    let result = store.save_with(&book, &mut |s| {
        if s == SaveStep::SyncDir {
            Err(io::Error::from_raw_os_error(5))
        } else {
            Ok(())
        }
    });
    assert!(result.is_err());
    assert_eq!(store::load(&path).unwrap(), book);
}

/// Promise 3: corrupt, truncated, foreign and newer-version files are refused with a clear
/// reason, and neither opening nor a later save attempt changes them.
#[test]
fn refused_files_are_left_byte_identical() {
    let good = fs::read(V1_SAMPLE).unwrap();
    let mut flipped = good.clone();
    flipped[40] ^= 0x10;
    let mut newer = good.clone();
    newer[8..10].copy_from_slice(&(VERSION + 1).to_le_bytes());
    type Check = fn(&FormatError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Check)> = vec![
        ("corrupt", flipped, |e| matches!(e, FormatError::Corrupt(_))),
        ("truncated", good[..good.len() - 10].to_vec(), |e| {
            matches!(e, FormatError::Truncated { .. })
        }),
        (
            "foreign",
            b"\x80\x04\x95 a pickle, not ours".to_vec(),
            |e| matches!(e, FormatError::NotOurs),
        ),
        ("empty", Vec::new(), |e| {
            matches!(e, FormatError::Truncated { .. })
        }),
        ("newer", newer, |e| {
            matches!(e, FormatError::NewerVersion(_))
        }),
    ];
    for (what, bytes, expected) in cases {
        let (_dir, path) = temp_file();
        fs::write(&path, &bytes).unwrap();
        let (_store, book) = Store::open(&path, "test").unwrap();
        match book {
            Err(StoreError::Format { reason, .. }) => {
                assert!(expected(&reason), "{what}: {reason}")
            }
            other => panic!("{what}: expected a format error, got {other:?}"),
        }
        assert_eq!(fs::read(&path).unwrap(), bytes, "{what} was changed");
    }
}

/// A file whose contents decode but break the rules (duplicate names...) is refused too.
#[test]
fn invalid_data_is_refused() {
    let mut book = sample_book();
    let twin = book.courses[0].students.at(0).to_owned();
    book.courses[0].students.push(twin);
    let body = postcard::to_stdvec(&gradebook::model::Saved::of(book.clone())).unwrap();
    let err = format::decode(&file_with_body(2, &body)).unwrap_err();
    assert!(matches!(err, FormatError::Invalid(_)), "{err}");
    let err = format::decode(&format::encode(&book).unwrap()).unwrap_err();
    assert!(matches!(err, FormatError::Invalid(_)), "{err}");
}

/// Promise 7: every truncation and every single-bit flip is a typed error, never a panic.
#[test]
fn every_truncation_and_bit_flip_is_refused() {
    for (sample, version) in [(V1_SAMPLE, 1), (V3_SAMPLE, 3)] {
        let good = fs::read(sample).unwrap();
        for len in 0..good.len() {
            assert!(format::decode(&good[..len]).is_err(), "truncated to {len}");
        }
        for byte in 0..good.len() {
            for bit in 0..8 {
                let mut bad = good.clone();
                bad[byte] ^= 1 << bit;
                assert!(format::decode(&bad).is_err(), "bit {bit} of byte {byte}");
            }
        }
        // Past the checksum: flips inside the body with a recomputed CRC reach the
        // decoder, which refuses or gives a valid gradebook.
        let body = &good[HEADER_LEN..good.len() - 4];
        for byte in 0..body.len() {
            for bit in 0..8 {
                let mut bad = body.to_vec();
                bad[byte] ^= 1 << bit;
                if let Ok(book) = format::decode(&file_with_body(version, &bad)) {
                    assert!(book.validate().is_ok());
                }
            }
        }
    }
}

/// Promise 7: a length prefix claiming a huge list allocates nothing of that size.
#[test]
fn huge_length_prefixes_are_refused_without_allocating() {
    // Body: a list of u64::MAX courses (varint), then nothing.
    let mut body = vec![0xff; 9];
    body.push(0x01);
    let err = format::decode(&file_with_body(VERSION, &body)).unwrap_err();
    assert!(matches!(err, FormatError::Corrupt(_)), "{err}");
    // Header: a body length of u64::MAX.
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&VERSION.to_le_bytes());
    file.extend_from_slice(&u64::MAX.to_le_bytes());
    let err = format::decode(&file).unwrap_err();
    assert!(matches!(err, FormatError::Truncated { .. }), "{err}");
    // A course whose name claims 2^62 bytes.
    let mut body = vec![1];
    body.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    assert!(format::decode(&file_with_body(VERSION, &body)).is_err());
}

/// Promise 4: one writer at a time; the second is told who holds the lock; readers are
/// not blocked and see the last completed save.
#[test]
fn second_writer_is_refused() {
    let (_dir, path) = temp_file();
    let (store, _) = Store::open(&path, "session one").unwrap();
    store.save(&sample_book()).unwrap();
    let err = Store::open(&path, "two").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }), "{msg}");
    assert!(
        msg.contains("session one") && msg.contains(&format!("pid {}", std::process::id())),
        "{msg}"
    );
    assert_eq!(
        store::load(&path).unwrap(),
        sample_book(),
        "a reader needs no lock"
    );
    drop(store);
    assert!(
        Store::open(&path, "two").is_ok(),
        "the lock is released on drop"
    );
}

/// Promise 4: the lock dies with its process, even one killed with SIGKILL.
#[test]
fn lock_dies_with_a_killed_holder() {
    let (_dir, path) = temp_file();
    let mut child = Process::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store::hold_lock_helper",
            "--ignored",
            "--nocapture",
        ])
        .env("HOLD_LOCK", &path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while Store::open(&path, "test").is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the helper never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(Store::open(&path, "test").is_ok());
}

/// Not a test: the process `lock_dies_with_a_killed_holder` starts to hold the lock.
#[test]
#[ignore]
fn hold_lock_helper() {
    let Some(path) = std::env::var_os("HOLD_LOCK") else {
        return;
    };
    let _held = Store::open(Path::new(&path), "helper").unwrap();
    std::thread::sleep(Duration::from_secs(60));
}

/// Promise 5 (in-process part): the file and the lock file are 0600, new directories 0700.
#[test]
fn file_and_directory_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/nested/gradebook.postcard");
    let (store, _) = Store::open(&path, "test").unwrap();
    store.save(&sample_book()).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&store::lock::lock_path(&path)), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&dir.path().join("new")), 0o700);
}

/// One gradebook, one file: a number written in more bytes than it needs is refused.
#[test]
fn over_long_varints_are_refused() {
    // An empty gradebook: no courses (0), no course last used (0); no history (0 entries,
    // 0 bytes, a hash of 32 zeros), nothing to undo or redo (0, 0).
    let empty = postcard::to_stdvec(&gradebook::model::Saved::default()).unwrap();
    let mut expected = vec![0, 0, 0, 0];
    expected.extend([0; 32]);
    expected.extend([0, 0]);
    assert_eq!(empty, expected);
    // Version 3 puts the length of that part first, then the columns (none here).
    let v3 = |part: &[u8]| [&(part.len() as u64).to_le_bytes()[..], part].concat();
    for (version, body) in [(2, empty.clone()), (3, v3(&empty))] {
        assert_eq!(
            format::decode(&file_with_body(version, &body)).unwrap(),
            Gradebook::default()
        );
    }
    // The course count, then the count of undo steps, in two bytes instead of one.
    let long_courses = [&[0x80, 0x00][..], &empty[1..]].concat();
    let long_undo = [&empty[..empty.len() - 2], &[0x80, 0x00, 0x00][..]].concat();
    for part in [long_courses, long_undo] {
        for (version, body) in [(2, part.clone()), (3, v3(&part))] {
            let e = format::decode(&file_with_body(version, &body)).unwrap_err();
            assert!(e.to_string().contains("canonical"), "{body:?}: {e}");
        }
    }
}

/// Version 3's columns: every way they can be wrong is refused, with a recomputed
/// checksum so that the decoder itself sees them.
#[test]
fn bad_roster_columns_are_refused() {
    use gradebook::model::{Assessment, Cell, Course, Student};
    let mut c = Course::new("C", chrono::Utc::now());
    c.assessments.push(Assessment {
        max_points: 10.0,
        ..Assessment::named("Quiz")
    });
    c.students = vec![
        Student::with_cells("Zoé", [Cell::points(7.0)]),
        Student::with_cells("Bob", [Cell::points(20.0)]),
    ]
    .into();
    let book = Gradebook {
        courses: vec![c],
        current: Some(0),
    };
    let good = format::encode(&book).unwrap();
    let body = good[HEADER_LEN..good.len() - 4].to_vec();
    // The columns end the body: n, the lengths, the names, the marks.
    let names = body
        .windows(7)
        .position(|w| w == "ZoéBob".as_bytes())
        .unwrap();
    let lens = names - 8;
    let marks = names + 7;
    assert_eq!(&body[lens - 4..lens], &2u32.to_le_bytes());
    assert_eq!(body.len(), marks + 16);
    assert_eq!(format::decode(&file_with_body(3, &body)).unwrap(), book);

    let with = |at: usize, bytes: &[u8]| {
        let mut b = body.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        b
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("NaN points", with(marks, &f64::NAN.to_bits().to_le_bytes())),
        (
            "infinite points",
            with(marks, &f64::INFINITY.to_bits().to_le_bytes()),
        ),
        (
            "negative points",
            with(marks, &(-1.0f64).to_bits().to_le_bytes()),
        ),
        (
            "minus zero",
            with(marks, &(-0.0f64).to_bits().to_le_bytes()),
        ),
        (
            "above twice the max",
            with(marks, &20.5f64.to_bits().to_le_bytes()),
        ),
        (
            "an unknown code",
            with(marks, &(u64::MAX - 3).to_le_bytes()),
        ),
        (
            "a name cut inside a character",
            with(lens, &[3, 0, 0, 0, 4, 0, 0, 0]),
        ),
        ("a name that is not UTF-8", with(names, &[0xff])),
        ("an empty name", with(lens, &[0, 0, 0, 0, 7, 0, 0, 0])),
        (
            "more students than there are",
            with(lens - 4, &3u32.to_le_bytes()),
        ),
        ("a byte after the end", [&body[..], &[0]].concat()),
        ("a byte short", body[..body.len() - 1].to_vec()),
        ("two names alike", with(names, "ZoéZoé".as_bytes())),
    ];
    for (what, bad) in cases {
        assert!(
            format::decode(&file_with_body(3, &bad)).is_err(),
            "{what} was accepted"
        );
    }
    // "Zo" and "éBob" are two good names: the columns are only bytes in a row.
    let split = format::decode(&file_with_body(3, &with(lens, &[2, 0, 0, 0, 5, 0, 0, 0])));
    let names: Vec<String> = split.unwrap().courses[0]
        .students
        .names()
        .map(str::to_string)
        .collect();
    assert_eq!(names, ["Zo", "éBob"]);

    // The students with a profile or notes ("extras") are listed by index, in order, and
    // each has something.
    let mut book = book;
    let mut students = book.courses[0].students.to_students();
    for (s, id) in students.iter_mut().zip(["S7", "S8"]) {
        s.profile.id = Some(id.into());
    }
    book.courses[0].students = students.into();
    let good = format::encode(&book).unwrap();
    let body = good[HEADER_LEN..good.len() - 4].to_vec();
    assert_eq!(format::decode(&file_with_body(3, &body)).unwrap(), book);
    // Each extra: index (varint), id: 1, length 2, the id.
    let s8 = body.windows(2).position(|w| w == b"S8").unwrap();
    assert_eq!(&body[s8 - 3..s8], &[1, 1, 2]);
    let with = |at: usize, bytes: &[u8]| {
        let mut b = body.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        b
    };
    for (what, bad) in [
        ("two extras for one student", with(s8 - 3, &[0])),
        ("an extra past the roster", with(s8 - 3, &[2])),
        ("an extra with nothing in it", {
            // The id taken out (none: 0), the shell's length three bytes shorter.
            let mut b = [&body[..s8 - 2], &[0], &body[s8 + 2..]].concat();
            let len = u64::from_le_bytes(b[..8].try_into().unwrap()) - 3;
            b[..8].copy_from_slice(&len.to_le_bytes());
            b
        }),
    ] {
        assert!(
            format::decode(&file_with_body(3, &bad)).is_err(),
            "{what} was accepted"
        );
    }
}

/// A load reads version 3 from the file straight into the roster, checksumming as it
/// goes: every bit flip and every truncation of a file is still refused, never loaded
/// and never a panic, and a roster of several runs comes back whole.
#[test]
fn loading_from_the_file_checks_as_decoding_does() {
    let (_dir, path) = temp_file();
    let good = fs::read(V3_SAMPLE).unwrap();
    let book = crate::common::syllabus_sample();
    fs::write(&path, &good).unwrap();
    assert_eq!(store::load(&path).unwrap(), book);
    for byte in (HEADER_LEN..good.len()).step_by(3) {
        let mut bad = good.clone();
        bad[byte] ^= 1 << (byte % 8);
        fs::write(&path, &bad).unwrap();
        let e = store::load(&path).unwrap_err().to_string();
        assert!(e.contains("checksum mismatch"), "byte {byte}: {e}");
    }
    for len in [HEADER_LEN + 3, good.len() / 2, good.len() - 1] {
        fs::write(&path, &good[..len]).unwrap();
        assert!(store::load(&path).is_err(), "cut to {len}");
    }
    let big = gradebook::sample::synthetic(2 * gradebook::model::CHUNK + 77, 3, chrono::Utc::now());
    let (st, _) = Store::open(&path, "test").unwrap();
    st.save(&big).unwrap();
    assert_eq!(store::load(&path).unwrap(), big);

    // From PARALLEL_FROM students the names are checked on a second thread while the
    // marks are read and checked: the same rules, the same refusals.
    let n = gradebook::model::PARALLEL_FROM + 5;
    let large = gradebook::sample::synthetic(n, 2, chrono::Utc::now());
    st.save(&large).unwrap();
    assert_eq!(store::load(&path).unwrap(), large);
    let good = fs::read(&path).unwrap();
    let body = good[HEADER_LEN..good.len() - 4].to_vec();
    let last = format!("Student {:06}", n - 1);
    let at = body
        .windows(last.len())
        .rposition(|w| w == last.as_bytes())
        .unwrap();
    let with = |at: usize, bytes: &[u8]| {
        let mut b = body.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        file_with_body(3, &b)
    };
    for (what, bad) in [
        ("a name like another", with(at, b"Student 000000")),
        ("a control character", with(at + 3, b"\x07")),
        ("a name not UTF-8", with(at + 3, b"\xff")),
        (
            "a NaN mark",
            with(body.len() - 8, &f64::NAN.to_bits().to_le_bytes()),
        ),
    ] {
        fs::write(&path, &bad).unwrap();
        assert!(store::load(&path).is_err(), "{what} was loaded");
        assert!(format::decode(&bad).is_err(), "{what} was decoded");
    }
}

/// A save puts its history on disk before the data file that counts it, for a class (one
/// after the other) and for a large roster (the history on a second thread while the
/// file is written): the history reads back whole; and when the history cannot be
/// written, the data file is left byte for byte as it was, with no temp file behind.
#[test]
fn a_save_writes_its_history_first_or_nothing() {
    use gradebook::model::{Cell, CellEntry, Command, Editor, PARALLEL_FROM, Saved};
    let now = chrono::Utc::now();
    let set = |points: f64| {
        Command::SetCell(CellEntry {
            course: 0,
            student: 0,
            assessment: 0,
            cell: Cell::points(points),
        })
    };
    for students in [30, PARALLEL_FROM + 1] {
        let (dir, path) = temp_file();
        let (store, _) = Store::open_saved(&path, "test").unwrap();
        let book = gradebook::sample::synthetic(students, 2, now);
        let mut editor = Editor::from_saved(Saved::of(book));
        editor.execute(set(50.0), now).unwrap();
        store.save_editor(&mut editor).unwrap();
        let journal = store.journal_path();
        drop(store);

        let (store, opened) = Store::open_saved(&path, "test").unwrap();
        let opened = opened.unwrap();
        assert_eq!(opened.history_lost, None, "{students} students");
        assert_eq!(opened.saved.history.entries, 1, "{students} students");
        let mut editor = Editor::from_saved(opened.saved);
        let data = fs::read(&path).unwrap();
        fs::remove_file(&journal).unwrap();
        fs::create_dir(&journal).unwrap();
        editor.execute(set(60.0), now).unwrap();
        let e = store.save_editor(&mut editor).unwrap_err().to_string();
        assert!(e.contains("history"), "{students} students: {e}");
        assert_eq!(fs::read(&path).unwrap(), data, "{students} students");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

/// A file whose students have unequal numbers of grades is refused with a message, never
/// loaded with one student's grades read as the next one's, and never a panic: in version
/// 1 (migrated), in version 2 (the roster read from a list of students) and in an undo
/// step of version 3.
#[test]
fn students_with_unequal_numbers_of_grades_are_refused() {
    use gradebook::model::{Assessment, Cell, Command, Course, Editor, Saved, Student};
    let student = |name: &str, n: usize| {
        Student::with_cells(name, (0..n).map(|i| Cell::points(i as f64 + 1.0)))
    };
    let saved = |students: Vec<Student>| {
        let mut c = Course::new("C", chrono::Utc::now());
        c.assessments = vec![Assessment::named("Q1"), Assessment::named("Q2")];
        c.students = students.into();
        Saved::of(Gradebook {
            courses: vec![c],
            current: Some(0),
        })
    };
    let replace = |hay: &[u8], from: &[u8], to: &[u8]| {
        let at = hay.windows(from.len()).position(|w| w == from).unwrap();
        [&hay[..at], to, &hay[at + from.len()..]].concat()
    };
    let refused = |file: &[u8], what: &str| {
        let e = std::panic::catch_unwind(|| format::decode_saved(file))
            .unwrap_or_else(|_| panic!("{what}: a panic"))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        // Postcard keeps no message of its own: a list that cannot be read is corrupt.
        assert!(e.contains("grade") || e.contains("corrupt"), "{what}: {e}");
    };

    // Version 2: the students' list with Bob one grade short, or Bob's extra grade
    // waiting to become Cy's.
    let good = vec![student("Ann", 2), student("Bob", 2), student("Cy", 2)];
    let body = postcard::to_stdvec(&saved(good.clone())).unwrap();
    let list = postcard::to_stdvec(&good).unwrap();
    for (what, bad) in [
        (
            "short",
            vec![student("Ann", 2), student("Bob", 1), student("Cy", 2)],
        ),
        (
            "shifted",
            vec![student("Ann", 2), student("Bob", 3), student("Cy", 1)],
        ),
    ] {
        let body = replace(&body, &list, &postcard::to_stdvec(&bad).unwrap());
        refused(&file_with_body(2, &body), what);
    }

    // Version 1, migrated.
    let v1_book = |grades: Vec<Vec<Option<f64>>>| v1::Gradebook {
        courses: vec![v1::Course {
            name: "C".into(),
            last_updated: chrono::Utc::now(),
            assessments: ["Q1", "Q2"]
                .map(|name| v1::Assessment {
                    name: name.into(),
                    weight: 1.0,
                    max_points: 10.0,
                })
                .to_vec(),
            students: grades
                .into_iter()
                .zip(["Ann", "Bob", "Cy"])
                .map(|(grades, name)| v1::Student {
                    name: name.into(),
                    grades,
                })
                .collect(),
            thresholds: v1::Thresholds {
                a: 90.0,
                b: 80.0,
                c: 70.0,
                d: 60.0,
            },
            study: vec![],
            model: None,
        }],
        current: Some(0),
    };
    let shifted = v1_book(vec![
        vec![Some(1.0), Some(2.0)],
        vec![Some(3.0), Some(4.0), Some(5.0)],
        vec![Some(6.0)],
    ]);
    refused(
        &file_with_body(1, &postcard::to_stdvec(&shifted).unwrap()),
        "version 1",
    );

    // Version 3: a deleted course waits in an undo step with its roster.
    let mut editor = Editor::from_saved(saved(good.clone()));
    editor
        .execute(Command::RemoveCourse { index: 0 }, chrono::Utc::now())
        .unwrap();
    let file = format::encode_saved(&editor.saved()).unwrap();
    let body = file[HEADER_LEN..file.len() - 4].to_vec();
    let bad = postcard::to_stdvec(&vec![
        student("Ann", 2),
        student("Bob", 1),
        student("Cy", 2),
    ])
    .unwrap();
    let body = replace(&body, &list, &bad);
    // The shell's length (its first 8 bytes) one byte shorter.
    let mut body = body;
    let len = u64::from_le_bytes(body[..8].try_into().unwrap()) - 1;
    body[..8].copy_from_slice(&len.to_le_bytes());
    refused(&file_with_body(3, &body), "an undo step");
}

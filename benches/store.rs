//! Load and save at the three scales of PRODUCT.md: a class (30 × 5), a school
//! (5,000 × 40) and the stress case (100,000 × 10 = 1M grades); and a save after one
//! change with no history behind it against one with a million entries behind it.

use criterion::{Criterion, criterion_group, criterion_main};
use gradebook::journal::{self, Change, Entry, Head};
use gradebook::model::{Cell, CellEntry, Command, Editor, Saved};
use gradebook::sample::synthetic;
use gradebook::store::{self, Store};

const SCALES: [(&str, usize, usize); 3] = [
    ("class", 30, 5),
    ("school", 5_000, 40),
    ("stress", 100_000, 10),
];

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    for (label, students, assessments) in SCALES {
        let book = synthetic(students, assessments, chrono::Utc::now());
        let path = dir.path().join(format!("{label}.postcard"));
        let (st, _) = Store::open(&path, "benchmark").expect("the store opens");
        group.bench_function(format!("save {label}"), |b| {
            b.iter(|| st.save(&book).expect("saved"))
        });
        group.bench_function(format!("load {label}"), |b| {
            b.iter(|| store::load(&path).expect("loaded"))
        });
        group.bench_function(format!("encode {label}"), |b| {
            b.iter(|| store::format::encode(&book).expect("encoded"))
        });
    }
    group.finish();
}

/// A million history entries, as a journal's bytes, and their head.
fn million_entries() -> (Vec<u8>, Head) {
    let entries: Vec<Entry> = (0..1_000_000u32)
        .map(|i| Entry {
            time: chrono::Utc::now(),
            user: "teacher".into(),
            course: "Synthetic".into(),
            change: Change::Cell {
                student: format!("Student {:06}", i % 100_000),
                id: None,
                assessment: format!("A{}", i % 10),
                old: Cell::points(f64::from(i % 100)),
                new: Cell::points(f64::from((i + 1) % 100)),
            },
        })
        .collect();
    journal::encode(Head::default(), &entries).expect("encoded")
}

/// Saves after one grade change, with no history and with a million entries behind.
fn history(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (journal_bytes, head) = million_entries();
    let mut group = c.benchmark_group("history");
    group.sample_size(20);
    for (label, students, assessments) in [SCALES[0], SCALES[2]] {
        let book = synthetic(students, assessments, chrono::Utc::now());
        for (behind, with) in [("none", false), ("1M entries", true)] {
            let path = dir.path().join(format!("{label}-{}.postcard", with as u8));
            let saved = Saved {
                book: book.clone(),
                history: if with { head } else { Head::default() },
                undo: Vec::new(),
                redo: Vec::new(),
            };
            if with {
                std::fs::write(store::journal::journal_path(&path), &journal_bytes)
                    .expect("journal written");
            }
            let file = store::format::encode_saved(&gradebook::model::SavedRef {
                book: &saved.book,
                history: &saved.history,
                undo: &[],
                redo: &[],
            })
            .expect("encoded");
            std::fs::write(&path, file).expect("data file written");
            let (st, opened) = Store::open_saved(&path, "benchmark").expect("the store opens");
            let opened = opened.expect("it loads");
            assert!(opened.history_lost.is_none());
            let mut editor = Editor::from_saved(opened.saved);
            let mut points = 10.0;
            group.bench_function(format!("change and save {label}, history {behind}"), |b| {
                b.iter(|| {
                    points = if points > 50.0 { 10.0 } else { 60.0 };
                    let cmd = Command::SetCell(CellEntry {
                        course: 0,
                        student: 0,
                        assessment: 0,
                        cell: Cell::points(points),
                    });
                    editor
                        .execute(cmd, chrono::Utc::now())
                        .expect("a valid grade");
                    st.save_editor(&mut editor).expect("saved");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench, history);
criterion_main!(benches);

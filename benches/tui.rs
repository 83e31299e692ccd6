//! The interactive gradebook at the three scales: a keystroke handled and the frame drawn
//! (into an 80×24 test terminal), a key right after a change while it is saved, and the
//! statistics after one grade change.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gradebook::model::{Cell, CellEntry, Command, Editor};
use gradebook::sample::synthetic;
use gradebook::stats::{LiveStats, Report};
use gradebook::store::Store;
use gradebook::tui::{App, Clock};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SCALES: [(&str, usize, usize); 3] = [
    ("class", 30, 5),
    ("school", 5_000, 40),
    ("stress", 100_000, 10),
];

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui");
    for (label, students, assessments) in SCALES {
        let book = synthetic(students, assessments, chrono::Utc::now());
        let mut app = App::new(book.clone(), None, Clock::System);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("a test terminal");
        // Move down and up so the selection stays near the top.
        let mut down = true;
        group.bench_function(format!("move and draw {label}"), |b| {
            b.iter(|| {
                app.dispatch(app.handle_key(key(if down { 'j' } else { 'k' })));
                down = !down;
                gradebook::tui::runner::frame(&mut app, &mut terminal).expect("drawn");
            })
        });
        // Type a letter into the name filter and take it back: two keys, two frames.
        app.dispatch(app.handle_key(key('/')));
        group.bench_function(format!("filter keystroke and draw {label}"), |b| {
            b.iter(|| {
                app.dispatch(app.handle_key(key('9')));
                gradebook::tui::runner::frame(&mut app, &mut terminal).expect("drawn");
                app.dispatch(app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
                gradebook::tui::runner::frame(&mut app, &mut terminal).expect("drawn");
            })
        });
        app.dispatch(app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
        // Clear and undo a grade: two changes, each with statistics and the frame.
        app.dispatch(app.handle_key(key('l')));
        group.bench_function(format!("change a grade and draw {label}"), |b| {
            b.iter(|| {
                app.dispatch(app.handle_key(key('x')));
                gradebook::tui::runner::frame(&mut app, &mut terminal).expect("drawn");
                app.dispatch(app.handle_key(key('u')));
                gradebook::tui::runner::frame(&mut app, &mut terminal).expect("drawn");
            })
        });
        // A key right after a change, with the save of that change under way (handed to
        // the writer thread, as the session does after each frame), against the same key
        // after a pause (no save under way): only the key and its frame are timed.
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (store, _) = Store::open(&dir.path().join("g.postcard"), "bench").expect("a store");
        let mut saving = App::new(book.clone(), Some(store), Clock::System);
        saving.save_in_background();
        saving.dispatch(saving.handle_key(key('l')));
        let mut down = true;
        let mut next_key = |app: &mut App, terminal: &mut Terminal<TestBackend>| {
            let started = Instant::now();
            app.dispatch(app.handle_key(key(if down { 'j' } else { 'k' })));
            gradebook::tui::runner::frame(app, terminal).expect("drawn");
            down = !down;
            started.elapsed()
        };
        let change = |app: &mut App, terminal: &mut Terminal<TestBackend>, k: char| {
            app.dispatch(app.handle_key(key(k)));
            gradebook::tui::runner::frame(app, terminal).expect("drawn");
            app.save_if_due();
        };
        group.bench_function(format!("key right after a change, saving {label}"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for i in 0..iters {
                    change(
                        &mut saving,
                        &mut terminal,
                        if i % 2 == 0 { 'x' } else { 'u' },
                    );
                    timed += next_key(&mut saving, &mut terminal);
                }
                timed
            })
        });
        group.bench_function(format!("key after a pause, saved {label}"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for i in 0..iters {
                    change(
                        &mut saving,
                        &mut terminal,
                        if i % 2 == 0 { 'x' } else { 'u' },
                    );
                    saving.wait_for_saves(Duration::from_secs(10));
                    timed += next_key(&mut saving, &mut terminal);
                }
                timed
            })
        });
        saving.finish_saving();
        assert!(!saving.has_unsaved(), "every change was saved");
        let mut editor = Editor::new(book);
        let mut live = LiveStats::of(&editor.book().courses[0]);
        let mut points = 0.0;
        group.bench_function(format!("statistics after one grade change {label}"), |b| {
            b.iter(|| {
                points = if points > 50.0 { 10.0 } else { 60.0 };
                let old = editor.book().courses[0].students.at(0).cell(0);
                let entry = CellEntry {
                    course: 0,
                    student: 0,
                    assessment: 0,
                    cell: Cell::points(points),
                };
                editor
                    .execute(Command::SetCell(entry), chrono::Utc::now())
                    .expect("a valid grade");
                live.cell_changed(&editor.book().courses[0], 0, 0, &old);
                black_box(&live.stats);
            })
        });
        group.bench_function(format!("statistics from scratch {label}"), |b| {
            b.iter(|| black_box(Report::of(&editor.book().courses[0])))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

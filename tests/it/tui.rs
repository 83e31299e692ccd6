//! The interactive gradebook without a terminal: key table, action sequences over `App`,
//! screen snapshots at 80×24 and 40×12, and random key sequences.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gradebook::app::keymap::{self, Context, KEYS};
use gradebook::app::{Action, App, Clock, Mode, Screen};
use gradebook::model::Gradebook;
use gradebook::store::format;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap())
}

/// Local times on screen must not depend on the machine running the tests.
fn utc() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: set once, before any test of this binary reads the time zone.
    ONCE.call_once(|| unsafe { std::env::set_var("TZ", "UTC") });
}

fn sample_app() -> App {
    utc();
    let mut app = App::new(Gradebook::default(), None, clock());
    app.update(Action::LoadSample);
    app.message = None;
    app
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Types keys as a user would: through the key table, then update.
fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let k = match c {
            '\n' => key(KeyCode::Enter),
            '\x1b' => key(KeyCode::Esc),
            '\t' => key(KeyCode::Tab),
            '\x08' => key(KeyCode::Backspace),
            '\x12' => KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
            c => key(KeyCode::Char(c)),
        };
        app.dispatch(app.handle_key(k));
    }
}

fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| gradebook::ui::view(app, f)).unwrap();
    t
}

/// Snapshots of the screen at 80×24 and at 40×12, the smallest size supported.
fn snapshots(app: &App, name: &str) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24).backend());
    insta::assert_snapshot!(format!("{name}_40x12"), render(app, 40, 12).backend());
}

fn names(app: &App) -> Vec<String> {
    let c = app.course().unwrap();
    app.view
        .order
        .iter()
        .map(|&i| c.students[i].name.clone())
        .collect()
}

fn grade_of(app: &App, name: &str) -> Option<f64> {
    let c = app.course().unwrap();
    c.students[c.find_student(name).unwrap()].grades[0]
}

// ---- The key table ----

#[test]
fn key_table_maps_the_product_keys() {
    let g = |c| keymap::lookup(Context::Global, Screen::Gradebook, key(c));
    assert_eq!(g(KeyCode::Char('?')), Some(Action::Help));
    assert_eq!(g(KeyCode::Char('q')), Some(Action::Quit));
    assert_eq!(g(KeyCode::Char('a')), Some(Action::Add));
    assert_eq!(g(KeyCode::Char('e')), Some(Action::Edit));
    assert_eq!(g(KeyCode::Enter), Some(Action::Edit));
    assert_eq!(g(KeyCode::Char('d')), Some(Action::Delete));
    assert_eq!(g(KeyCode::Char('u')), Some(Action::Undo));
    assert_eq!(g(KeyCode::Char('/')), Some(Action::Filter));
    assert_eq!(g(KeyCode::Char('s')), Some(Action::CycleSort));
    assert_eq!(g(KeyCode::Char('j')), Some(Action::Down));
    assert_eq!(g(KeyCode::Down), Some(Action::Down));
    assert_eq!(g(KeyCode::Char('k')), Some(Action::Up));
    assert_eq!(g(KeyCode::Tab), Some(Action::NextScreen));
    assert_eq!(g(KeyCode::BackTab), Some(Action::PrevScreen));
    assert_eq!(g(KeyCode::Esc), Some(Action::Cancel));
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    assert_eq!(
        keymap::lookup(Context::Global, Screen::Gradebook, ctrl('r')),
        Some(Action::Redo)
    );
    assert_eq!(
        keymap::lookup(Context::Global, Screen::Statistics, ctrl('c')),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap::lookup(Context::Form, Screen::Gradebook, ctrl('c')),
        Some(Action::Quit)
    );
    // Screen keys win over global ones; Enter opens a course on the Courses screen.
    assert_eq!(
        keymap::lookup(Context::Global, Screen::Courses, key(KeyCode::Enter)),
        Some(Action::Open)
    );
    assert_eq!(
        keymap::lookup(Context::Global, Screen::Predictor, key(KeyCode::Char('t'))),
        Some(Action::Train)
    );
    // In a form, letters are text, not commands.
    assert_eq!(
        keymap::lookup(Context::Form, Screen::Gradebook, key(KeyCode::Char('q'))),
        None
    );
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    for (i, a) in KEYS.iter().enumerate() {
        for b in &KEYS[i + 1..] {
            assert!(
                !(a.context == b.context && a.code == b.code && a.mods == b.mods),
                "{:?} {:?} bound twice",
                a.context,
                a.code
            );
        }
    }
}

#[test]
fn help_lists_every_labelled_key_of_the_screen() {
    let mut app = sample_app();
    press(&mut app, "?");
    assert!(matches!(app.mode, Mode::Help(0)));
    let screen = format!("{}", render(&app, 80, 40).backend());
    for b in KEYS.iter().filter(|b| !b.label.is_empty()) {
        if matches!(
            b.context,
            Context::Global | Context::Form | Context::On(Screen::Gradebook)
        ) {
            assert!(screen.contains(b.help), "help is missing {:?}", b.help);
        }
    }
    press(&mut app, "\x1b");
    assert!(matches!(app.mode, Mode::Normal));
}

// ---- Action sequences ----

#[test]
fn add_a_student_and_grade_them() {
    let mut app = sample_app();
    press(&mut app, "aFrank\n");
    assert_eq!(names(&app).last().unwrap(), "Frank");
    assert_eq!(app.row, 5, "the new student is selected");
    press(&mut app, "le89\n");
    assert_eq!(grade_of(&app, "Frank"), Some(89.0));
    assert!(
        matches!(app.mode, Mode::Normal),
        "the last student closes fast entry"
    );
    assert_eq!(app.view.stats.stats.count, 6);
}

#[test]
fn fast_entry_moves_to_the_next_student_and_replaces_the_old_value() {
    let mut app = sample_app();
    press(&mut app, "le");
    press(&mut app, "90\n"); // Alice: replaces 95
    press(&mut app, "\n"); // Bob: empty keeps 87
    press(&mut app, "70.5\n"); // Charlie
    assert_eq!(grade_of(&app, "Alice"), Some(90.0));
    assert_eq!(grade_of(&app, "Bob"), Some(87.0));
    assert_eq!(grade_of(&app, "Charlie"), Some(70.5));
    assert!(
        matches!(app.mode, Mode::Form(_)),
        "still entering grades, now for Diana"
    );
    press(&mut app, "\x1b");
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(names(&app)[app.row], "Diana");
}

#[test]
fn invalid_input_shows_a_message_and_changes_nothing() {
    let mut app = sample_app();
    let before = app.editor.book.clone();
    press(&mut app, "le");
    press(&mut app, "abc\n");
    let Mode::Form(form) = &app.mode else {
        panic!("the form closed")
    };
    assert_eq!(
        form.error.as_deref(),
        Some("points must be a number, not \"abc\"")
    );
    press(&mut app, "\x08\x08\x08150\n");
    let Mode::Form(form) = &app.mode else {
        panic!("the form closed")
    };
    assert!(
        form.error.as_deref().unwrap().contains("from 0 to 100"),
        "{:?}",
        form.error
    );
    press(&mut app, "\x1bhe");
    press(&mut app, "\x08\x08\x08\x08\x08bob\n");
    let Mode::Form(form) = &app.mode else {
        panic!("the form closed")
    };
    assert_eq!(
        form.error.as_deref(),
        Some("a student named \"bob\" already exists")
    );
    press(&mut app, "\x1b");
    assert_eq!(app.editor.book, before);
}

#[test]
fn delete_confirm_undo_redo() {
    let mut app = sample_app();
    press(&mut app, "jdn"); // anything but y cancels
    assert_eq!(names(&app).len(), 5);
    press(&mut app, "dy");
    assert_eq!(names(&app), ["Alice", "Charlie", "Diana", "Eve"]);
    press(&mut app, "u");
    assert_eq!(names(&app), ["Alice", "Bob", "Charlie", "Diana", "Eve"]);
    press(&mut app, "\x12");
    assert_eq!(names(&app).len(), 4);
    press(&mut app, "uu"); // and the sample class itself
    assert!(app.editor.book.courses.is_empty());
}

#[test]
fn assessments_can_be_added_edited_and_deleted() {
    let mut app = sample_app();
    press(&mut app, "AQuiz\t2\t20\n");
    let c = app.course().unwrap();
    assert_eq!(c.assessments[1].name, "Quiz");
    assert_eq!(
        (c.assessments[1].weight, c.assessments[1].max_points),
        (2.0, 20.0)
    );
    assert_eq!(app.col, 2, "the new assessment is selected");
    press(&mut app, "e10\n\x1b"); // Alice: 10/20 = 50%
    assert_eq!(app.view.stats.finals[0], Some((95.0 + 2.0 * 50.0) / 3.0));
    press(&mut app, "E\t\t5\n");
    let Mode::Form(form) = &app.mode else {
        panic!("max points below a grade must be refused")
    };
    assert!(form.error.as_deref().unwrap().contains("Alice"));
    press(&mut app, "\x1bDy");
    assert_eq!(app.course().unwrap().assessments.len(), 1);
    press(&mut app, "u");
    assert_eq!(
        app.course().unwrap().students[0].grades,
        vec![Some(95.0), Some(10.0)]
    );
}

#[test]
fn sort_and_filter_keep_the_average_out_of_the_rows() {
    let mut app = sample_app();
    press(&mut app, "s");
    assert_eq!(names(&app), ["Alice", "Bob", "Charlie", "Diana", "Eve"]);
    press(&mut app, "s");
    assert_eq!(names(&app), ["Alice", "Charlie", "Bob", "Diana", "Eve"]);
    press(&mut app, "/a\n");
    assert_eq!(names(&app), ["Alice", "Charlie", "Diana"]);
    let screen = format!("{}", render(&app, 80, 24).backend());
    let rows: Vec<&str> = screen.lines().collect();
    let avg = rows.iter().position(|l| l.contains("Average")).unwrap();
    assert!(
        rows[avg - 1].contains("Diana"),
        "the average follows the last student shown"
    );
    assert!(
        rows[avg - 3].contains("Alice"),
        "sorted by final grade: {screen}"
    );
    press(&mut app, "\x1b");
    assert_eq!(names(&app).len(), 5);
}

#[test]
fn courses_can_be_added_renamed_switched_and_deleted() {
    let mut app = sample_app();
    press(&mut app, "\t\t\t");
    assert_eq!(app.screen, Screen::Courses);
    press(&mut app, "aPhysics\n");
    assert_eq!(app.course().unwrap().name, "Physics");
    press(&mut app, "\t\t\t\tkephysics\n");
    let Mode::Form(form) = &app.mode else {
        panic!("a duplicate name must be refused")
    };
    assert_eq!(
        form.error.as_deref(),
        Some("a course named \"physics\" already exists")
    );
    press(&mut app, "\x08\x08\x08\x08\x08\x08\x08Intro to ML\n");
    assert_eq!(app.editor.book.courses[0].name, "Intro to ML");
    press(&mut app, "j\n");
    assert_eq!(app.screen, Screen::Gradebook);
    assert_eq!(app.course().unwrap().name, "Physics");
    press(&mut app, "\t\t\tkdy");
    assert_eq!(app.editor.book.courses.len(), 1);
    assert_eq!(app.course().unwrap().name, "Physics");
}

#[test]
fn the_first_grade_of_a_course_creates_its_grade_column() {
    utc();
    let mut app = App::new(Gradebook::default(), None, clock());
    press(&mut app, "aArt\naAnn\naBo\n");
    assert!(app.course().unwrap().assessments.is_empty());
    let screen = format!("{}", render(&app, 80, 24).backend());
    assert!(
        screen.contains("Grade"),
        "an empty Grade column is shown: {screen}"
    );
    press(&mut app, "xDy"); // nothing to clear or delete yet
    assert!(matches!(app.mode, Mode::Normal));
    press(&mut app, "gle88\n92\n");
    let c = app.course().unwrap();
    assert_eq!(c.assessments[0].name, "Grade");
    assert_eq!(c.students[0].grades, vec![Some(88.0)]);
    assert_eq!(c.students[1].grades, vec![Some(92.0)]);
    press(&mut app, "uu");
    assert!(
        app.course().unwrap().assessments.is_empty(),
        "each first grade is one undo step"
    );
}

#[test]
fn welcome_offers_a_course_or_the_sample() {
    utc();
    let mut app = App::new(Gradebook::default(), None, clock());
    let screen = format!("{}", render(&app, 40, 12).backend());
    assert!(screen.contains("Welcome"));
    press(&mut app, "aArt\n");
    assert_eq!(app.course().unwrap().name, "Art");
}

#[test]
fn quitting_with_q_and_ctrl_c() {
    let mut app = sample_app();
    press(&mut app, "q");
    assert!(app.should_quit);
    let mut app = sample_app();
    press(&mut app, "a");
    app.dispatch(app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(app.should_quit);
}

// ---- Snapshots ----

fn snapshot_app() -> App {
    let mut app = sample_app();
    press(&mut app, "AQuiz\t2\t20\n");
    press(&mut app, "e18\n15.5\n\n20\n12\n");
    press(&mut app, "aZoë 漢字\n");
    app.message = None;
    app
}

#[test]
fn snapshot_gradebook() {
    let app = snapshot_app();
    snapshots(&app, "gradebook");
}

#[test]
fn snapshot_other_screens() {
    let mut app = snapshot_app();
    press(&mut app, "\t");
    snapshots(&app, "statistics");
    press(&mut app, "\t\t");
    snapshots(&app, "courses");
}

#[test]
fn snapshot_popups() {
    let mut app = snapshot_app();
    press(&mut app, "d");
    insta::assert_snapshot!("confirm_80x24", render(&app, 80, 24).backend());
    press(&mut app, "n");
    press(&mut app, "e");
    press(&mut app, "x");
    press(&mut app, "\n");
    insta::assert_snapshot!("form_error_80x24", render(&app, 80, 24).backend());
    let welcome = App::new(Gradebook::default(), None, clock());
    insta::assert_snapshot!("welcome_80x24", render(&welcome, 80, 24).backend());
}

// ---- Random keys ----

const KEY_CHOICES: &[KeyCode] = &[
    KeyCode::Char('a'),
    KeyCode::Char('e'),
    KeyCode::Char('d'),
    KeyCode::Char('y'),
    KeyCode::Char('u'),
    KeyCode::Char('j'),
    KeyCode::Char('k'),
    KeyCode::Char('h'),
    KeyCode::Char('l'),
    KeyCode::Char('s'),
    KeyCode::Char('/'),
    KeyCode::Char('A'),
    KeyCode::Char('E'),
    KeyCode::Char('D'),
    KeyCode::Char('x'),
    KeyCode::Char('L'),
    KeyCode::Char('t'),
    KeyCode::Char('p'),
    KeyCode::Char('?'),
    KeyCode::Char('g'),
    KeyCode::Char('G'),
    KeyCode::Char('1'),
    KeyCode::Char('5'),
    KeyCode::Char('0'),
    KeyCode::Char('.'),
    KeyCode::Char('-'),
    KeyCode::Char('é'),
    KeyCode::Char('漢'),
    KeyCode::Char(' '),
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Backspace,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::PageDown,
    KeyCode::PageUp,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Char('q'),
];

fn random_key() -> impl Strategy<Value = KeyEvent> {
    (0..KEY_CHOICES.len(), prop::bool::weighted(0.03)).prop_map(|(i, ctrl)| {
        let code = KEY_CHOICES[i];
        if ctrl {
            KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)
        } else {
            key(code)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Thousands of random keys never panic, every frame draws at 80×24 and 40×12, and the
    /// state always survives the file format.
    #[test]
    fn random_keys_never_panic(keys in prop::collection::vec(random_key(), 300..600)) {
        let mut app = sample_app();
        let mut small = Terminal::new(TestBackend::new(40, 12)).unwrap();
        let mut big = Terminal::new(TestBackend::new(80, 24)).unwrap();
        for (n, k) in keys.into_iter().enumerate() {
            app.dispatch(app.handle_key(k));
            app.should_quit = false;
            let t = if n % 2 == 0 { &mut small } else { &mut big };
            t.draw(|f| gradebook::ui::view(&app, f)).unwrap();
            if n % 50 == 0 {
                let bytes = format::encode(&app.editor.book).unwrap();
                prop_assert_eq!(&format::decode(&bytes).unwrap(), &app.editor.book);
            }
        }
        prop_assert!(app.editor.book.validate().is_ok());
        // Statistics kept up to date key by key match statistics from scratch.
        if let Some(course) = app.course() {
            let fresh = gradebook::stats::LiveStats::of(course);
            prop_assert_eq!(&app.view.stats.finals, &fresh.finals);
            prop_assert_eq!(app.view.stats.stats.count, fresh.stats.count);
            prop_assert_eq!(app.view.stats.top.clone(), fresh.top);
        }
    }
}

// ---- The file behind the app ----

#[test]
fn unreadable_file_is_moved_aside_before_anything_is_written() {
    utc();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gradebook.postcard");
    std::fs::write(&path, b"garbage, not a gradebook").unwrap();
    let (store, book) = gradebook::store::Store::open(&path, "test").unwrap();
    let reason = book.unwrap_err().to_string();
    let mut app = App::recovering(store, reason, clock());
    let screen = format!("{}", render(&app, 80, 24).backend());
    assert!(
        screen.contains("it is not a") && screen.contains("m move it aside"),
        "{screen}"
    );
    press(&mut app, "aL\n");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"garbage, not a gradebook",
        "nothing written before the move"
    );
    press(&mut app, "m");
    assert!(matches!(app.mode, Mode::Normal));
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        b"garbage, not a gradebook"
    );
    press(&mut app, "L");
    assert_eq!(gradebook::store::load(&path).unwrap(), app.editor.book);
}

#[test]
fn failed_save_says_not_saved_and_is_retried() {
    utc();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gradebook.postcard");
    let (store, book) = gradebook::store::Store::open(&path, "test").unwrap();
    let mut app = App::new(book.unwrap(), Some(store), clock());
    // A directory where the file should go makes every save fail, even as root.
    std::fs::create_dir(&path).unwrap();
    press(&mut app, "L");
    assert!(matches!(app.save, gradebook::app::SaveState::Failed(_)));
    let screen = format!("{}", render(&app, 80, 24).backend());
    assert!(screen.contains("NOT SAVED"), "{screen}");
    press(&mut app, "q");
    assert!(
        !app.should_quit,
        "quitting with unsaved changes needs a second q"
    );
    let screen = format!("{}", render(&app, 80, 24).backend());
    assert!(screen.contains("Press q again"), "{screen}");
    std::fs::remove_dir(&path).unwrap();
    app.retry_save();
    assert!(matches!(app.save, gradebook::app::SaveState::Saved(_)));
    assert_eq!(gradebook::store::load(&path).unwrap(), app.editor.book);
    press(&mut app, "q");
    assert!(app.should_quit);
}

#[test]
fn a_second_q_quits_even_when_saving_keeps_failing() {
    utc();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gradebook.postcard");
    let (store, book) = gradebook::store::Store::open(&path, "test").unwrap();
    let mut app = App::new(book.unwrap(), Some(store), clock());
    std::fs::create_dir(&path).unwrap();
    press(&mut app, "L");
    press(&mut app, "q");
    assert!(!app.should_quit);
    press(&mut app, "q");
    assert!(app.should_quit, "the teacher chose to leave");
}

// ---- The Predictor screen ----

#[test]
fn train_predict_and_edit_observations_by_keys() {
    let mut app = sample_app();
    press(&mut app, "\t\t");
    assert_eq!(app.screen, Screen::Predictor);
    press(&mut app, "p");
    assert!(app.prediction.is_none(), "no model yet");
    press(&mut app, "t");
    let model = app.course().unwrap().model.clone().unwrap();
    assert!((model.slope - 1.7097752142314138).abs() < 1e-9);
    press(&mut app, "p12.5\n");
    let p = app.prediction.unwrap();
    assert!((p.score - 73.80727135316737).abs() < 1e-9);
    press(&mut app, "a-1\t50\n");
    let Mode::Form(form) = &app.mode else {
        panic!("negative hours must be refused")
    };
    assert_eq!(
        form.error.as_deref(),
        Some("study hours cannot be negative")
    );
    press(&mut app, "\x1ba10\t75\tnobody\n");
    let Mode::Form(form) = &app.mode else {
        panic!("an unknown student must be refused")
    };
    assert!(form.error.as_deref().unwrap().contains("no student named"));
    press(&mut app, "\x08\x08\x08\x08\x08\x08alice\n");
    let c = app.course().unwrap();
    assert_eq!(c.study.len(), 31);
    assert_eq!(c.study.get(30).unwrap().student, Some("Alice"));
    assert!(c.model_is_stale());
    let screen = format!("{}", render(&app, 80, 24).backend());
    assert!(screen.contains("STALE"), "{screen}");
    press(&mut app, "u");
    assert!(!app.course().unwrap().model_is_stale());
    press(&mut app, "gdy");
    assert_eq!(app.course().unwrap().study.len(), 29);
    press(&mut app, "t");
    assert_eq!(app.course().unwrap().model.as_ref().unwrap().n, 29);
}

#[test]
fn the_tutorial_points_load_into_any_course() {
    let mut app = sample_app();
    press(&mut app, "\t\t\taPhysics\n\t\t\tL");
    assert_eq!(app.course().unwrap().name, "Physics");
    assert_eq!(app.course().unwrap().study.len(), 30);
    press(&mut app, "t");
    assert!(
        (app.course().unwrap().model.as_ref().unwrap().slope - 1.7097752142314138).abs() < 1e-9
    );
    press(&mut app, "uu");
    assert!(app.course().unwrap().study.is_empty());
}

#[test]
fn training_without_data_says_why() {
    let mut app = sample_app();
    press(&mut app, "\t\t\taEmpty\n\t\t\tt");
    let (_, msg) = app.message.clone().unwrap();
    assert!(msg.contains("at least two observations"), "{msg}");
}

#[test]
fn snapshot_predictor() {
    let mut app = sample_app();
    press(&mut app, "\t\ttp12.5\n");
    snapshots(&app, "predictor");
}

#[test]
fn letter_thresholds_are_edited_on_the_statistics_screen() {
    let mut app = sample_app();
    press(&mut app, "\te");
    let Mode::Form(form) = &app.mode else {
        panic!("no thresholds form")
    };
    assert_eq!(form.value(0), "90");
    press(&mut app, "95\t85\t75\t65\n");
    assert_eq!(app.course().unwrap().thresholds.a, 95.0);
    assert_eq!(
        app.view.stats.letters,
        [1, 2, 2, 0, 0],
        "Alice A; Bob, Charlie B; Diana, Eve C"
    );
    press(&mut app, "e\t\t\t99\n");
    let Mode::Form(form) = &app.mode else {
        panic!("D above C must be refused")
    };
    assert!(form.error.as_deref().unwrap().contains("A ≥ B ≥ C ≥ D"));
    press(&mut app, "\x1bu");
    assert_eq!(app.course().unwrap().thresholds.a, 90.0);
}

// ---- Import and export ----

#[test]
fn export_and_import_grades_by_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grades.csv");
    let mut app = sample_app();
    press(&mut app, "o");
    let Mode::Form(form) = &app.mode else {
        panic!("no path prompt")
    };
    assert!(
        form.value(0).starts_with("~/") && form.value(0).ends_with("-grades.csv"),
        "{}",
        form.value(0)
    );
    press(&mut app, &format!("{}\n", path.display()));
    let Mode::Notice { title, .. } = &app.mode else {
        panic!("no result popup")
    };
    assert_eq!(title, "Exported");
    press(&mut app, "x"); // any key closes
    assert!(matches!(app.mode, Mode::Normal));
    std::fs::write(&path, "student,Grade\nAlice,60\nNew Kid,70\nBad,abc\n").unwrap();
    press(&mut app, &format!("i{}\n", path.display()));
    let Mode::Notice { title, body } = &app.mode else {
        panic!("no result popup")
    };
    assert_eq!(title, "Nothing imported");
    assert!(body.contains("line 4, column 2"), "{body}");
    assert_eq!(grade_of(&app, "Alice"), Some(95.0));
    press(&mut app, "\x1b");
    std::fs::write(&path, "student,Grade\nAlice,60\nNew Kid,70\n").unwrap();
    press(&mut app, &format!("i{}\n", path.display()));
    let Mode::Notice { title, .. } = &app.mode else {
        panic!("no result popup")
    };
    assert_eq!(title, "Imported");
    press(&mut app, "\x1b");
    assert_eq!(grade_of(&app, "Alice"), Some(60.0));
    assert_eq!(names(&app).len(), 6);
    press(&mut app, "u");
    assert_eq!(grade_of(&app, "Alice"), Some(95.0));
    assert_eq!(names(&app).len(), 5);
}

#[test]
fn a_tilde_means_home() {
    use gradebook::app::files::expand_home;
    let home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap());
    assert_eq!(expand_home("~/a/b.csv"), home.join("a/b.csv"));
    assert_eq!(expand_home("~"), home);
    assert_eq!(expand_home("/x/~/y"), std::path::PathBuf::from("/x/~/y"));
    assert_eq!(
        expand_home("~other/y"),
        std::path::PathBuf::from("~other/y")
    );
}

#[test]
fn saves_in_the_background_reach_the_file() {
    utc();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gradebook.postcard");
    let (store, book) = gradebook::store::Store::open(&path, "test").unwrap();
    let mut app = App::new(book.unwrap(), Some(store), clock());
    app.save_in_background();
    press(&mut app, "L");
    press(&mut app, "le50\n60\n70\n");
    assert!(
        app.has_unsaved(),
        "with a writer thread, saving waits for the frame"
    );
    app.save_if_due(); // what the event loop does once the frame is drawn
    app.wait_for_saves(std::time::Duration::from_secs(20));
    assert!(!app.saving());
    assert!(matches!(app.save, gradebook::app::SaveState::Saved(_)));
    assert!(!app.has_unsaved());
    assert_eq!(gradebook::store::load(&path).unwrap(), app.editor.book);
    // A failing save in the background is reported, kept, and retried.
    std::fs::rename(&path, dir.path().join("moved")).unwrap();
    std::fs::create_dir(&path).unwrap();
    press(&mut app, "\x1bu");
    app.save_if_due();
    app.wait_for_saves(std::time::Duration::from_secs(20));
    assert!(
        matches!(app.save, gradebook::app::SaveState::Failed(_)),
        "{:?}",
        app.save
    );
    assert!(app.has_unsaved());
    std::fs::remove_dir(&path).unwrap();
    app.retry_save();
    app.wait_for_saves(std::time::Duration::from_secs(20));
    assert!(matches!(app.save, gradebook::app::SaveState::Saved(_)));
    assert_eq!(gradebook::store::load(&path).unwrap(), app.editor.book);
}

/// A prediction beyond 0–100 says it was clamped and shows the raw numbers: a clamped
/// `100.0 – 100.0` must not look certain.
#[test]
fn a_clamped_prediction_says_so_with_its_raw_interval() {
    let mut app = sample_app();
    press(&mut app, "\t\ttp168\n");
    let p = app.prediction.unwrap();
    let (lo, hi) = p.interval.unwrap();
    assert!(p.score > 100.0 && lo > 100.0);
    let screen = format!("{}", render(&app, 80, 24).backend());
    assert!(screen.contains("(clamped)"), "{screen}");
    assert!(
        screen.contains(&format!("raw 95%: {lo:.1} – {hi:.1}")),
        "{screen}"
    );
}

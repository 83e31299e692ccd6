//! The interactive gradebook without a terminal: key table, action sequences over `App`,
//! screen snapshots at 80×24 and 40×12, and random key sequences.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gradebook::model::{Gradebook, Mark};
use gradebook::store::format;
use gradebook::tui::app::Popup;
use gradebook::tui::keymap::{self, Context, KEYS};
use gradebook::tui::popup::Modal;
use gradebook::tui::screens::ScreenId as Screen;
use gradebook::tui::{Action, App, Clock, SaveState};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub(crate) fn clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap())
}

/// Local times on screen must not depend on the machine running the tests.
pub(crate) fn utc() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: set once, before any test of this binary reads the time zone.
    ONCE.call_once(|| unsafe { std::env::set_var("TZ", "UTC") });
}

fn sample_app() -> App {
    utc();
    let mut app = App::new(Gradebook::default(), None, clock());
    app.update(Action::LoadSample);
    app.clear_message();
    app
}

pub(crate) fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Types keys as a user would: through the key table, then update.
pub(crate) fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let k = match c {
            '\n' => key(KeyCode::Enter),
            '\x1b' => key(KeyCode::Esc),
            '\t' => key(KeyCode::Tab),
            '\x08' => key(KeyCode::Backspace),
            '\x12' => KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
            '\x15' => KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
            c => key(KeyCode::Char(c)),
        };
        app.dispatch(app.handle_key(k));
    }
}

/// Draws a frame as the runner does, measurements handed back to the app.
pub(crate) fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    gradebook::tui::runner::frame(app, &mut t).unwrap();
    t
}

pub(crate) fn screen_text(app: &mut App, w: u16, h: u16) -> String {
    format!("{}", render(app, w, h).backend())
}

/// Snapshots of the screen at 80×24 and at 40×12, the smallest size supported.
pub(crate) fn snapshots(app: &mut App, name: &str) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24).backend());
    insta::assert_snapshot!(format!("{name}_40x12"), render(app, 40, 12).backend());
}

fn names(app: &App) -> Vec<String> {
    let c = app.course().unwrap();
    app.screens
        .gradebook
        .order
        .iter()
        .map(|&i| c.students.at(i).name.to_string())
        .collect()
}

/// The error shown in the open form of the Gradebook screen.
pub(crate) fn form_error(app: &App) -> Option<String> {
    match &app.screens.gradebook.modal {
        Modal::Form(f) => f.error.clone(),
        _ => panic!("no form is open"),
    }
}

fn browsing(app: &App) -> bool {
    matches!(app.context(), Context::On(_))
}

pub(crate) fn message(app: &App) -> String {
    app.message().map(|m| m.1.clone()).unwrap_or_default()
}

fn grade_of(app: &App, name: &str) -> Option<f64> {
    let c = app.course().unwrap();
    c.students.at(c.student(name).unwrap()).mark(0).points()
}

// ---- The key table ----

#[test]
fn key_table_maps_the_product_keys() {
    let on = |screen| Context::On(screen);
    let g = |c| keymap::lookup(on(Screen::Gradebook), key(c));
    assert_eq!(g(KeyCode::Char('?')), Some(Action::Help));
    assert_eq!(g(KeyCode::Char('q')), Some(Action::Quit));
    assert_eq!(g(KeyCode::Char('a')), Some(Action::Add));
    assert_eq!(g(KeyCode::Char('e')), Some(Action::Edit));
    assert_eq!(g(KeyCode::Enter), Some(Action::Open));
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
        keymap::lookup(on(Screen::Gradebook), ctrl('r')),
        Some(Action::Redo)
    );
    assert_eq!(
        keymap::lookup(on(Screen::Statistics), ctrl('c')),
        Some(Action::Quit)
    );
    assert_eq!(keymap::lookup(Context::Form, ctrl('c')), Some(Action::Quit));
    assert_eq!(
        keymap::lookup(Context::Form, ctrl('u')),
        Some(Action::ClearField)
    );
    // Screen keys win over global ones; Enter opens a course on the Courses screen.
    assert_eq!(
        keymap::lookup(on(Screen::Courses), key(KeyCode::Enter)),
        Some(Action::Open)
    );
    assert_eq!(
        keymap::lookup(on(Screen::Predictor), key(KeyCode::Char('t'))),
        Some(Action::Train)
    );
    // In a form, letters are text, not commands.
    assert_eq!(keymap::lookup(Context::Form, key(KeyCode::Char('q'))), None);
    // A confirmation: y says yes, any other key no; confirm keys come from the table.
    assert_eq!(
        keymap::lookup(Context::Confirm, key(KeyCode::Char('y'))),
        Some(Action::Confirm)
    );
    assert_eq!(
        keymap::lookup(Context::Confirm, key(KeyCode::Char('n'))),
        Some(Action::Cancel)
    );
    assert_eq!(
        keymap::lookup(Context::Confirm, key(KeyCode::Enter)),
        Some(Action::Cancel)
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
    assert_eq!(app.popup(), Some(&Popup::Help(0)));
    // Long descriptions wrap: read the popup as running text.
    let screen = screen_text(&mut app, 76, 200)
        .lines()
        .map(|l| l.trim().trim_matches('"').trim_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ");
    for b in KEYS.iter().filter(|b| !b.label.is_empty()) {
        if matches!(
            b.context,
            Context::Global
                | Context::Form
                | Context::Entry
                | Context::Confirm
                | Context::On(Screen::Gradebook)
        ) {
            assert!(screen.contains(b.help), "help is missing {:?}", b.help);
        }
    }
    press(&mut app, "\x1b");
    assert_eq!(app.popup(), None);
}

/// The status line's keys and the confirmation's answers come from the key table.
#[test]
fn hints_and_confirm_keys_come_from_the_key_table() {
    let mut app = sample_app();
    let status = screen_text(&mut app, 100, 24);
    let last = status.lines().nth(23).unwrap().to_string();
    for (k, word) in keymap::hints(Context::On(Screen::Gradebook), &[Action::Add, Action::Undo]) {
        assert!(last.contains(&format!("{k} {word}")), "{last}");
    }
    press(&mut app, "d");
    let popup = screen_text(&mut app, 80, 24);
    assert!(
        popup.contains("y delete") && popup.contains("any other key cancel"),
        "{popup}"
    );
}

// ---- Action sequences ----

#[test]
fn add_a_student_and_grade_them() {
    let mut app = sample_app();
    press(&mut app, "aFrank\n");
    assert_eq!(names(&app).last().unwrap(), "Frank");
    assert_eq!(app.screens.gradebook.row, 5, "the new student is selected");
    press(&mut app, "le89\n");
    assert_eq!(grade_of(&app, "Frank"), Some(89.0));
    assert!(browsing(&app), "the last student closes fast entry");
    assert_eq!(app.data().stats.stats.count, 6);
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
    assert_eq!(
        app.context(),
        Context::Entry,
        "still entering grades, now for Diana"
    );
    press(&mut app, "\x1b");
    assert!(browsing(&app));
    assert_eq!(names(&app)[app.screens.gradebook.row], "Diana");
}

#[test]
fn invalid_input_shows_a_message_and_changes_nothing() {
    let mut app = sample_app();
    let before = app.book().clone();
    press(&mut app, "le");
    press(&mut app, "abc\n");
    let entry = app.screens.gradebook.entry.clone().expect("still typing");
    assert_eq!(
        entry.error.as_deref(),
        Some("a grade is points, EX (excused) or M (missing), not \"abc\"")
    );
    press(&mut app, "250\n");
    let entry = app.screens.gradebook.entry.clone().expect("still typing");
    assert!(
        entry
            .error
            .as_deref()
            .unwrap()
            .contains("up to 200 with bonus"),
        "{:?}",
        entry.error
    );
    press(&mut app, "\x1bhe");
    press(&mut app, "bob\n");
    assert_eq!(
        form_error(&app).as_deref(),
        Some("a student named \"bob\" already exists (two may share a name when each has an id)")
    );
    press(&mut app, "\x1b");
    assert_eq!(app.book(), &before);
}

#[test]
fn delete_confirm_undo_redo() {
    let mut app = sample_app();
    press(&mut app, "jdn"); // anything but y cancels
    assert_eq!(names(&app).len(), 5);
    assert_eq!(message(&app), "Nothing deleted");
    press(&mut app, "dy");
    assert_eq!(names(&app), ["Alice", "Charlie", "Diana", "Eve"]);
    press(&mut app, "u");
    assert_eq!(names(&app), ["Alice", "Bob", "Charlie", "Diana", "Eve"]);
    assert_eq!(message(&app), "Undone: deleted student Bob");
    press(&mut app, "\x12");
    assert_eq!(names(&app).len(), 4);
    assert_eq!(message(&app), "Redone: deleted student Bob");
    press(&mut app, "uu"); // and the sample class itself
    assert!(app.book().courses.is_empty());
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
    assert_eq!(
        app.screens.gradebook.col, 2,
        "the new assessment is selected"
    );
    assert_eq!(
        message(&app),
        "Added assessment \"Quiz\"",
        "an addition is confirmed"
    );
    press(&mut app, "e10\n\x1b"); // Alice: 10/20 = 50%
    assert_eq!(app.data().stats.finals[0], Some((95.0 + 2.0 * 50.0) / 3.0));
    press(&mut app, "E\t\t4\n");
    assert!(
        form_error(&app).unwrap().contains("Alice"),
        "max points below a grade"
    );
    press(&mut app, "\x1bDy");
    assert_eq!(app.course().unwrap().assessments.len(), 1);
    press(&mut app, "u");
    assert_eq!(
        app.course().unwrap().students.at(0).marks,
        vec![Mark::Points(95.0), Mark::Points(10.0)]
    );
}

#[test]
fn sort_and_filter_keep_the_average_out_of_the_rows() {
    let mut app = sample_app();
    press(&mut app, "s");
    assert_eq!(names(&app), ["Alice", "Bob", "Charlie", "Diana", "Eve"]);
    press(&mut app, "ss");
    assert_eq!(names(&app), ["Alice", "Charlie", "Bob", "Diana", "Eve"]);
    press(&mut app, "/a\n");
    assert_eq!(names(&app), ["Alice", "Charlie", "Diana"]);
    let screen = screen_text(&mut app, 80, 24);
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
    assert_eq!(app.screen(), Screen::Courses);
    press(&mut app, "aPhysics\n");
    assert_eq!(app.course().unwrap().name, "Physics");
    assert_eq!(
        app.screen(),
        Screen::Gradebook,
        "a new course opens, ready for students"
    );
    assert!(
        message(&app).contains("a adds students"),
        "{}",
        message(&app)
    );
    press(&mut app, "\t\t\tkephysics\n");
    let Modal::Form(form) = &app.screens.courses.modal else {
        panic!("a duplicate name must be refused")
    };
    assert_eq!(
        form.error.as_deref(),
        Some("a course named \"physics\" already exists")
    );
    press(&mut app, "Intro to ML\n");
    assert_eq!(app.book().courses[0].name, "Intro to ML");
    press(&mut app, "j\n");
    assert_eq!(app.screen(), Screen::Gradebook);
    assert_eq!(app.course().unwrap().name, "Physics");
    press(&mut app, "\t\t\tkdy");
    assert_eq!(app.book().courses.len(), 1);
    assert_eq!(app.course().unwrap().name, "Physics");
}

#[test]
fn the_first_grade_of_a_course_creates_its_grade_column() {
    utc();
    let mut app = App::new(Gradebook::default(), None, clock());
    press(&mut app, "aArt\naAnn\naBo\n");
    assert!(app.course().unwrap().assessments.is_empty());
    let screen = screen_text(&mut app, 80, 24);
    assert!(
        screen.contains("Grade"),
        "an empty Grade column is shown: {screen}"
    );
    press(&mut app, "xDy"); // nothing to clear or delete yet
    assert!(browsing(&app));
    press(&mut app, "gle88\n92\n");
    let c = app.course().unwrap();
    assert_eq!(c.assessments[0].name, "Grade");
    assert_eq!(c.students.at(0).marks, vec![Mark::Points(88.0)]);
    assert_eq!(c.students.at(1).marks, vec![Mark::Points(92.0)]);
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
    let screen = screen_text(&mut app, 40, 12);
    assert!(screen.contains("Welcome"));
    press(&mut app, "aArt\n");
    assert_eq!(app.course().unwrap().name, "Art");
}

#[test]
fn quitting_with_q_and_ctrl_c() {
    let mut app = sample_app();
    press(&mut app, "q");
    assert!(app.should_quit());
    let mut app = sample_app();
    press(&mut app, "a");
    app.dispatch(app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(app.should_quit());
}

// ---- Rough edges a new teacher hit ----

/// A course with Homework, Midterm, Final at 40×12: the selected column is always on
/// screen, and the hidden ones are hinted.
#[test]
fn the_selected_assessment_column_is_always_on_screen() {
    let mut app = sample_app();
    press(&mut app, "AHomework\t\t\nAMidterm\t\t\nAFinal exam\t\t\n");
    press(&mut app, "hhhhl");
    for (col, name) in [
        (1, "Grade"),
        (2, "Homework"),
        (3, "Midterm"),
        (4, "Final ex"),
    ] {
        assert_eq!(app.screens.gradebook.col, col);
        let screen = screen_text(&mut app, 40, 12);
        let header = screen.lines().nth(2).unwrap();
        assert!(
            header.contains(name),
            "column {col} ({name}) not shown:\n{screen}"
        );
        assert!(
            screen.contains("more"),
            "hidden columns are hinted:\n{screen}"
        );
        press(&mut app, "l");
    }
    press(&mut app, "e55\n");
    assert_eq!(
        app.course().unwrap().students.at(0).mark(3),
        Mark::Points(55.0)
    );
    let screen = screen_text(&mut app, 40, 12);
    assert!(
        screen.contains("◂"),
        "columns hidden on the left:\n{screen}"
    );
}

/// At 200 columns a long name is shown whole.
#[test]
fn the_name_column_uses_the_room_there_is() {
    let mut app = sample_app();
    let long = "Maximiliana Alexandrovna Konstantinopolous-Smith";
    press(&mut app, &format!("a{long}\n"));
    let wide = screen_text(&mut app, 200, 24);
    assert!(wide.contains(long), "{wide}");
    let narrow = screen_text(&mut app, 80, 24);
    assert!(narrow.contains("Maximiliana"), "{narrow}");
    // The status line's course name too: whole when there is room, cut when not.
    assert!(
        wide.contains("Introduction to Machine Learning │ saved"),
        "{wide}"
    );
    let small = screen_text(&mut app, 40, 12);
    assert!(small.contains("Introduction to Mac… │"), "{small}");
}

/// The per-assessment table of the Statistics screen scrolls.
#[test]
fn the_statistics_table_scrolls() {
    let mut app = sample_app();
    for i in 1..=14 {
        press(&mut app, &format!("AQuiz {i}\t\t\n"));
    }
    press(&mut app, "\t");
    let screen = screen_text(&mut app, 100, 30);
    assert!(screen.contains("of 15, j/k scroll"), "{screen}");
    assert!(!screen.contains("Quiz 14"), "{screen}");
    press(&mut app, "G");
    let screen = screen_text(&mut app, 100, 30);
    assert!(
        screen.contains("Quiz 14") && !screen.contains("Grade "),
        "{screen}"
    );
    press(&mut app, "g");
    let screen = screen_text(&mut app, 100, 30);
    assert!(
        screen.contains("Grade") && !screen.contains("Quiz 14"),
        "{screen}"
    );
}

/// A long mistake in a form wraps instead of being cut.
#[test]
fn form_errors_wrap() {
    let mut app = sample_app();
    press(&mut app, "\t\ta200\t50\n");
    let screen = screen_text(&mut app, 80, 24);
    assert!(screen.contains("not 200"), "{screen}");
}

/// An unchanged value entered again makes no undo step; undo says what it undid.
#[test]
fn an_unchanged_value_makes_no_undo_step() {
    let mut app = sample_app();
    press(&mut app, "lje88\n\x1b"); // Bob 87 → 88, then Charlie's cell: Esc
    press(&mut app, "ke\n\x1b"); // Bob's 88, Enter: unchanged
    press(&mut app, "u");
    assert_eq!(message(&app), "Undone: Bob's Grade 88 → 87");
    assert_eq!(grade_of(&app, "Bob"), Some(87.0));
}

/// After a mistake, what is typed replaces the wrong text; Ctrl-U clears a field.
#[test]
fn typing_after_an_error_replaces_the_wrong_text() {
    let mut app = sample_app();
    press(&mut app, "\t\ta");
    press(&mut app, "abc\t50\t\n");
    assert!(matches!(&app.screens.predictor.modal, Modal::Form(f) if f.error.is_some()));
    press(&mut app, "15\n");
    assert_eq!(app.course().unwrap().study.len(), 31);
    assert_eq!(app.course().unwrap().study.get(30).unwrap().hours, 15.0);
    press(&mut app, "a12");
    app.dispatch(app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    let Modal::Form(form) = &app.screens.predictor.modal else {
        panic!("the form closed")
    };
    assert_eq!(form.value(0), "");
}

/// `7,5` is 7.5, in the grid and in forms.
#[test]
fn decimal_commas_are_read() {
    let mut app = sample_app();
    press(&mut app, "le7,5\n");
    assert_eq!(grade_of(&app, "Alice"), Some(7.5));
}

/// The filter matches as people read: `chloe` finds Chloé.
#[test]
fn the_filter_ignores_accents_and_case() {
    let mut app = sample_app();
    press(&mut app, "aChloé\naZoë Müller\n/chloe\n");
    assert_eq!(names(&app), ["Chloé"]);
    press(&mut app, "\x1b/MULLER\n");
    assert_eq!(names(&app), ["Zoë Müller"]);
}

/// `L` on the Predictor twice asks before adding the same 30 points again.
#[test]
fn loading_the_tutorial_points_twice_asks_first() {
    let mut app = sample_app();
    press(&mut app, "\t\tL");
    assert!(matches!(&app.screens.predictor.modal, Modal::Confirm(_)));
    assert_eq!(app.course().unwrap().study.len(), 30);
    press(&mut app, "n");
    assert_eq!(app.course().unwrap().study.len(), 30);
    press(&mut app, "Ly");
    assert_eq!(app.course().unwrap().study.len(), 60);
}

/// A grade is typed in its cell: the row being graded stays in view, not under a popup.
#[test]
fn grades_are_typed_in_the_cell() {
    let mut app = sample_app();
    for i in 5..30 {
        press(&mut app, &format!("aS{i:02}\n"));
    }
    press(&mut app, "gjjjjjjjjjjjle");
    press(&mut app, "6");
    let screen = screen_text(&mut app, 80, 30);
    let row = screen
        .lines()
        .find(|l| l.contains("S06"))
        .unwrap_or_else(|| panic!("the row being graded is not shown:\n{screen}"));
    assert!(row.contains('6'), "{row}");
    assert!(!screen.contains('┌'), "no popup covers the grid:\n{screen}");
}

/// A result goes to the status line and the next key acts at once.
#[test]
fn results_do_not_swallow_the_next_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grades.csv");
    let mut app = sample_app();
    press(&mut app, &format!("o\x15{}\n", path.display()));
    assert!(
        message(&app).starts_with("Wrote the grades of 5 students"),
        "{}",
        message(&app)
    );
    press(&mut app, "j");
    assert_eq!(
        app.screens.gradebook.row, 1,
        "the key after the result moved"
    );
    std::fs::write(&path, "student,Grade\nAlice,60\nNew Kid,70\n").unwrap();
    press(&mut app, &format!("i{}\n", path.display()));
    assert!(
        message(&app).starts_with("Imported 2 grades: 1 new student"),
        "{}",
        message(&app)
    );
    press(&mut app, "j");
    assert_eq!(app.screens.gradebook.row, 2);
}

/// The smaller rough edges: hints after adding a course on the Courses screen, counts in
/// words, numbers as people write them, the predict form's button, the placeholder
/// column, the average row in the columns' own unit, the letter thresholds shown.
#[test]
fn the_small_rough_edges() {
    utc();
    let mut app = App::new(Gradebook::default(), None, clock());
    press(&mut app, "\t\t\taArt\n");
    assert!(
        message(&app).contains("Added course \"Art\": a adds students, A an assessment"),
        "{}",
        message(&app)
    );
    press(&mut app, "aAnn\n");
    let screen = screen_text(&mut app, 80, 24);
    let header = screen.lines().nth(2).unwrap();
    let ann = screen.lines().nth(3).unwrap();
    assert_eq!(
        header.find("Grade").map(|i| i + 5),
        ann.find('·').map(|i| i + 1),
        "{screen}"
    );
    assert!(!ann.contains("· ·"), "one placeholder cell: {screen}");

    let mut app = sample_app();
    press(&mut app, "AQuiz\t1\t20\n");
    press(&mut app, "e10\n\x1b");
    let screen = screen_text(&mut app, 80, 24);
    let average = screen.lines().find(|l| l.contains("Average")).unwrap();
    assert!(
        average.contains(" 10 ") && !average.contains('%'),
        "{average}"
    );
    press(&mut app, "\t");
    let screen = screen_text(&mut app, 80, 24);
    assert!(
        screen.contains("A ≥ 90 · B ≥ 80 · C ≥ 70 · D ≥ 60"),
        "{screen}"
    );

    press(&mut app, "\ttp");
    let screen = screen_text(&mut app, 80, 24);
    assert!(
        screen.contains("Enter predict") && !screen.contains("Enter save"),
        "{screen}"
    );
    press(&mut app, "\x1bd");
    let screen = screen_text(&mut app, 80, 24);
    assert!(
        screen.contains("9.99 h → 64.22?"),
        "short numbers: {screen}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.csv");
    std::fs::write(&file, "student,Grade\nNew,50\n").unwrap();
    press(&mut app, &format!("n\t\t\ti{}\n", file.display()));
    assert!(
        message(&app).contains("1 grade: 1 new student, 0 updated, 0 new assessments"),
        "{}",
        message(&app)
    );
}

/// Sort by surname: the last word of the name, or what comes before a comma.
#[test]
fn sort_by_surname() {
    utc();
    let mut app = App::new(Gradebook::default(), None, clock());
    press(
        &mut app,
        "aC\naAnn Zeller\naBob Adams\naLee, Mia\naAl Meyer\n",
    );
    press(&mut app, "ss");
    assert_eq!(app.screens.gradebook.sort.label(), "surname");
    assert_eq!(
        names(&app),
        ["Bob Adams", "Lee, Mia", "Al Meyer", "Ann Zeller"]
    );
}

// ---- Snapshots ----

fn snapshot_app() -> App {
    let mut app = sample_app();
    press(&mut app, "AQuiz\t2\t20\n");
    press(&mut app, "e18\n15.5\n\n20\n12\n");
    press(&mut app, "aZoë 漢字\n");
    app.clear_message();
    app
}

#[test]
fn snapshot_gradebook() {
    let mut app = snapshot_app();
    snapshots(&mut app, "gradebook");
}

#[test]
fn snapshot_other_screens() {
    let mut app = snapshot_app();
    press(&mut app, "\t");
    snapshots(&mut app, "statistics");
    press(&mut app, "\t\t");
    snapshots(&mut app, "courses");
}

#[test]
fn snapshot_popups() {
    let mut app = snapshot_app();
    press(&mut app, "d");
    insta::assert_snapshot!("confirm_80x24", render(&mut app, 80, 24).backend());
    press(&mut app, "n");
    press(&mut app, "e");
    press(&mut app, "x");
    press(&mut app, "\n");
    insta::assert_snapshot!("form_error_80x24", render(&mut app, 80, 24).backend());
    let mut welcome = App::new(Gradebook::default(), None, clock());
    insta::assert_snapshot!("welcome_80x24", render(&mut welcome, 80, 24).backend());
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
            app.keep_running();
            let t = if n % 2 == 0 { &mut small } else { &mut big };
            gradebook::tui::runner::frame(&mut app, t).unwrap();
            if n % 50 == 0 {
                let bytes = format::encode(app.book()).unwrap();
                prop_assert_eq!(&format::decode(&bytes).unwrap(), app.book());
            }
        }
        prop_assert!(app.book().validate().is_ok());
        // Statistics kept up to date key by key match statistics from scratch.
        if let Some(course) = app.course() {
            let fresh = gradebook::stats::LiveStats::of(course);
            let live = &app.data().stats;
            prop_assert_eq!(&live.finals, &fresh.finals);
            prop_assert_eq!(live.stats.count, fresh.stats.count);
            prop_assert_eq!(live.top.clone(), fresh.top);
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
    let screen = screen_text(&mut app, 80, 24);
    assert!(
        screen.contains("it is not a") && screen.contains("m move the file aside"),
        "{screen}"
    );
    press(&mut app, "aL\n");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"garbage, not a gradebook",
        "nothing written before the move"
    );
    press(&mut app, "m");
    assert_eq!(app.popup(), None);
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
    assert_eq!(&gradebook::store::load(&path).unwrap(), app.book());
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
    assert!(matches!(app.save_state(), SaveState::Failed(_)));
    let screen = screen_text(&mut app, 80, 24);
    assert!(screen.contains("NOT SAVED"), "{screen}");
    press(&mut app, "q");
    assert!(
        !app.should_quit(),
        "quitting with unsaved changes needs a second q"
    );
    let screen = screen_text(&mut app, 80, 24);
    assert!(screen.contains("Press q again"), "{screen}");
    std::fs::remove_dir(&path).unwrap();
    app.retry_save();
    assert!(matches!(app.save_state(), SaveState::Saved(_)));
    assert_eq!(&gradebook::store::load(&path).unwrap(), app.book());
    press(&mut app, "q");
    assert!(app.should_quit());
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
    assert!(!app.should_quit());
    press(&mut app, "q");
    assert!(app.should_quit(), "the teacher chose to leave");
}

// ---- The Predictor screen ----

#[test]
fn train_predict_and_edit_observations_by_keys() {
    let mut app = sample_app();
    press(&mut app, "\t\t");
    assert_eq!(app.screen(), Screen::Predictor);
    press(&mut app, "p");
    assert!(app.screens.predictor.prediction.is_none(), "no model yet");
    press(&mut app, "t");
    let model = app.course().unwrap().model.clone().unwrap();
    assert!((model.slope - 1.7097752142314138).abs() < 1e-9);
    press(&mut app, "p12.5\n");
    let p = app.screens.predictor.prediction.unwrap();
    assert!((p.score - 73.80727135316737).abs() < 1e-9);
    let predictor_error = |app: &App| match &app.screens.predictor.modal {
        Modal::Form(f) => f.error.clone().unwrap_or_default(),
        _ => panic!("the form closed"),
    };
    press(&mut app, "a-1\t50\n");
    assert_eq!(predictor_error(&app), "study hours cannot be negative");
    press(&mut app, "\x1ba10\t75\tnobody\n");
    assert!(predictor_error(&app).contains("no student named"));
    press(&mut app, "alice\n");
    let c = app.course().unwrap();
    assert_eq!(c.study.len(), 31);
    assert_eq!(c.study.get(30).unwrap().student, Some("Alice"));
    assert!(c.model_is_stale());
    let screen = screen_text(&mut app, 80, 24);
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
    press(&mut app, "\t\t\taPhysics\n\t\tL");
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
    press(&mut app, "\t\t\taEmpty\n\t\tt");
    let msg = message(&app);
    assert!(msg.contains("at least two observations"), "{msg}");
}

#[test]
fn snapshot_predictor() {
    let mut app = sample_app();
    press(&mut app, "\t\ttp12.5\n");
    app.clear_message();
    snapshots(&mut app, "predictor");
}

#[test]
fn letters_are_edited_on_the_statistics_screen_with_a_preview() {
    let mut app = sample_app();
    press(&mut app, "\te");
    let Modal::Form(form) = &app.screens.statistics.modal else {
        panic!("no letters form")
    };
    assert_eq!(form.value(0), "A=90 B=80 C=70 D=60 F=0");
    assert!(
        form.note
            .as_deref()
            .unwrap()
            .contains("no letter would change")
    );
    press(&mut app, "95 85 75 65");
    let Modal::Form(form) = &app.screens.statistics.modal else {
        panic!("the form closed")
    };
    let note = form.note.clone().unwrap();
    assert!(
        note.contains("2 letters would change") && note.contains("Charlie A → B"),
        "{note}"
    );
    press(&mut app, "\n");
    assert_eq!(app.course().unwrap().letters.0[0].min, 95.0);
    assert_eq!(
        app.data().stats.letters,
        [1, 2, 2, 0, 0],
        "Alice A; Bob, Charlie B; Diana, Eve C"
    );
    press(&mut app, "e\x15A=90 B=95 F=0\n");
    let Modal::Form(form) = &app.screens.statistics.modal else {
        panic!("letters going up must be refused")
    };
    assert!(form.error.as_deref().unwrap().contains("strictly down"));
    press(&mut app, "plus-minus\n");
    assert_eq!(app.course().unwrap().letters.0.len(), 13);
    press(&mut app, "uu");
    assert_eq!(app.course().unwrap().letters.0[0].min, 90.0);
}

// ---- Import and export ----

#[test]
fn export_and_import_grades_by_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grades.csv");
    let mut app = sample_app();
    press(&mut app, "o");
    let Modal::Form(form) = &app.screens.gradebook.modal else {
        panic!("no path prompt")
    };
    assert!(
        form.value(0).starts_with("~/") && form.value(0).ends_with("-grades.csv"),
        "{}",
        form.value(0)
    );
    press(&mut app, &format!("{}\n", path.display()));
    assert!(message(&app).starts_with("Wrote"), "{}", message(&app));
    std::fs::write(&path, "student,Grade\nAlice,60\nNew Kid,70\nBad,abc\n").unwrap();
    press(&mut app, &format!("i{}\n", path.display()));
    let Some(Popup::Notice { title, body }) = app.popup().cloned() else {
        panic!("problems are shown in a popup")
    };
    assert_eq!(title, "Nothing imported");
    assert!(body.contains("line 4, column 2"), "{body}");
    assert_eq!(grade_of(&app, "Alice"), Some(95.0));
    press(&mut app, "\x1b");
    std::fs::write(&path, "student,Grade\nAlice,60\nNew Kid,70\n").unwrap();
    press(&mut app, &format!("i{}\n", path.display()));
    assert!(
        message(&app).starts_with("Imported 2 grades"),
        "{}",
        message(&app)
    );
    assert_eq!(grade_of(&app, "Alice"), Some(60.0));
    assert_eq!(names(&app).len(), 6);
    press(&mut app, "u");
    assert_eq!(grade_of(&app, "Alice"), Some(95.0));
    assert_eq!(names(&app).len(), 5);
}

/// An export typed onto the data file itself is refused in the form.
#[test]
fn an_export_onto_the_data_file_is_refused() {
    utc();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gradebook.postcard");
    let (store, book) = gradebook::store::Store::open(&path, "test").unwrap();
    let mut app = App::new(book.unwrap(), Some(store), clock());
    press(&mut app, "L");
    let before = std::fs::read(&path).unwrap();
    press(&mut app, &format!("o\x15{}\n", path.display()));
    assert!(form_error(&app).unwrap().contains("own data file"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_tilde_means_home() {
    use gradebook::tui::files::expand_home;
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
    app.save_if_due(); // what the runner does once the frame is drawn
    app.wait_for_saves(std::time::Duration::from_secs(20));
    assert!(!app.saving());
    assert!(matches!(app.save_state(), SaveState::Saved(_)));
    assert!(!app.has_unsaved());
    assert_eq!(&gradebook::store::load(&path).unwrap(), app.book());
    // A failing save in the background is reported, kept, and retried.
    std::fs::rename(&path, dir.path().join("moved")).unwrap();
    std::fs::create_dir(&path).unwrap();
    press(&mut app, "\x1bu");
    app.save_if_due();
    app.wait_for_saves(std::time::Duration::from_secs(20));
    assert!(
        matches!(app.save_state(), SaveState::Failed(_)),
        "{:?}",
        app.save_state()
    );
    assert!(app.has_unsaved());
    std::fs::remove_dir(&path).unwrap();
    app.retry_save();
    app.wait_for_saves(std::time::Duration::from_secs(20));
    assert!(matches!(app.save_state(), SaveState::Saved(_)));
    assert_eq!(&gradebook::store::load(&path).unwrap(), app.book());
}

/// A prediction beyond 0–100 says it was clamped and shows the raw numbers: a clamped
/// `100.0 – 100.0` must not look certain.
#[test]
fn a_clamped_prediction_says_so_with_its_raw_interval() {
    let mut app = sample_app();
    press(&mut app, "\t\ttp168\n");
    let p = app.screens.predictor.prediction.unwrap();
    let (lo, hi) = p.interval.unwrap();
    assert!(p.score > 100.0 && lo > 100.0);
    let screen = screen_text(&mut app, 80, 24);
    assert!(screen.contains("(clamped)"), "{screen}");
    assert!(
        screen.contains(&format!("raw 95%: {lo:.1} – {hi:.1}")),
        "{screen}"
    );
}

//! The syllabus in the interactive gradebook: marks, late days, comments, bonus points and
//! curves in the grid; categories, letters and the late policy on the Syllabus screen,
//! each change previewed first.

use crate::common::syllabus_sample;
use crate::tui::{clock, press, render, screen_text, snapshots, utc};
use gradebook::model::{CategoryMode, Course, Mark};
use gradebook::tui::App;
use gradebook::tui::popup::Modal;
use gradebook::tui::screens::ScreenId;
use gradebook::tui::screens::syllabus::{FormKind, Pane};
use ratatui::style::Modifier;

/// Biology 201 (`common::syllabus_sample`): Homework 20% drop 1, Quizzes 30% points,
/// Exams 50%; HW1 HW2 HW3 (never dropped), Quiz 1, Quiz 2, Midterm, Project (extra
/// credit); Ann Lee, Bob Okafor, Chloé Martin; plus-minus letters; −10% a day, at most 50%.
fn biology() -> App {
    utc();
    App::new(syllabus_sample(), None, clock())
}

fn course(app: &App) -> &Course {
    app.course().unwrap()
}

fn mark(app: &App, student: usize, a: usize) -> Mark {
    course(app).students.at(student).mark(a)
}

/// The Syllabus screen, categories pane, first category.
fn syllabus() -> App {
    let mut app = biology();
    press(&mut app, "\t\t\t\t");
    assert_eq!(app.screen(), ScreenId::Syllabus);
    app
}

fn form_note(app: &App) -> String {
    match &app.screens.syllabus.modal {
        Modal::Form(f) => f.note.clone().unwrap_or_default(),
        _ => panic!("no form is open"),
    }
}

fn form_error(app: &App) -> Option<String> {
    match &app.screens.syllabus.modal {
        Modal::Form(f) => f.error.clone(),
        _ => panic!("no form is open"),
    }
}

#[test]
fn cells_are_excused_missing_late_and_commented_by_keys() {
    let mut app = biology();
    // Ann Lee, HW1.
    press(&mut app, "l");
    press(&mut app, "X");
    assert_eq!(mark(&app, 0, 0), Mark::Excused);
    press(&mut app, "X");
    assert_eq!(
        mark(&app, 0, 0),
        Mark::Points(9.5),
        "X again gives the grade back"
    );
    press(&mut app, "M");
    assert_eq!(mark(&app, 0, 0), Mark::Missing);
    press(&mut app, "uu");
    assert_eq!(
        mark(&app, 0, 0),
        Mark::Excused,
        "each mark is one undo step"
    );
    press(&mut app, "u");
    assert_eq!(mark(&app, 0, 0), Mark::Points(9.5));
    // Late days go with points: not on Bob's excused HW1.
    press(&mut app, "jt");
    assert!(!app.screens.gradebook.modal.is_open());
    assert!(crate::tui::message(&app).contains("grade the cell first"));
    press(&mut app, "k");

    // Quiz 1, two days late: set three, then refuse a word.
    press(&mut app, "lll");
    press(&mut app, "t");
    assert!(app.screens.gradebook.modal.is_open());
    press(&mut app, "\x153\n");
    assert_eq!(course(&app).students.at(0).late_days(3), 3);
    press(&mut app, "t\x15soon\n");
    assert!(app.screens.gradebook.modal.is_open(), "the form stays open");
    press(&mut app, "\x1b");
    assert_eq!(course(&app).students.at(0).late_days(3), 3);
    press(&mut app, "j");
    press(&mut app, "t\x152\n");
    assert_eq!(course(&app).students.at(1).late_days(3), 2);
    press(&mut app, "k");

    press(&mut app, "cwell argued\n");
    assert_eq!(course(&app).students.at(0).comment(3), Some("well argued"));
    let screen = screen_text(&mut app, 100, 20);
    let ann = screen.lines().find(|l| l.contains("Ann Lee")).unwrap();
    assert!(ann.contains("!*"), "late and comment markers: {ann}");
    press(&mut app, "c\x15\n");
    assert_eq!(
        course(&app).students.at(0).comment(3),
        None,
        "empty removes it"
    );
}

#[test]
fn bonus_points_are_confirmed_first() {
    let mut app = biology();
    press(&mut app, "llll"); // Quiz 1, 20 points
    press(&mut app, "e25\n");
    assert_eq!(mark(&app, 0, 3), Mark::Points(18.0), "not saved before yes");
    let screen = screen_text(&mut app, 100, 20);
    assert!(
        screen.contains("Bonus? y yes  any other key cancel · 25 is above the 20 points of Quiz 1"),
        "{screen}"
    );
    // At 40 columns the question and its keys are still whole.
    let narrow = screen_text(&mut app, 40, 12);
    assert!(
        narrow.contains("Bonus? y yes  any other key cancel"),
        "{narrow}"
    );
    press(&mut app, "y");
    assert_eq!(mark(&app, 0, 3), Mark::Points(25.0));
    // Bob is next; Esc says no.
    press(&mut app, "30\n\x1b");
    assert_eq!(mark(&app, 1, 3), Mark::Points(15.0));
    press(&mut app, "\x1b\x15");
    press(&mut app, "e41\n");
    assert!(crate::tui::message(&app).is_empty() || mark(&app, 1, 3) == Mark::Points(15.0));
    assert_eq!(
        mark(&app, 1, 3),
        Mark::Points(15.0),
        "above twice the max is refused"
    );
}

#[test]
fn a_curve_is_previewed_and_undone_in_one_step() {
    let mut app = biology();
    press(&mut app, "llll"); // Quiz 1
    press(&mut app, "C");
    let Modal::Form(form) = &app.screens.gradebook.modal else {
        panic!("no curve form")
    };
    assert!(form.title.contains("Curve Quiz 1"), "{}", form.title);
    press(&mut app, "2");
    let Modal::Form(form) = &app.screens.gradebook.modal else {
        panic!("the form closed")
    };
    let note = form.note.clone().unwrap();
    assert!(
        note.starts_with("Preview:") && note.contains("would move"),
        "{note}"
    );
    press(&mut app, "\n");
    let quiz: Vec<Mark> = (0..3).map(|s| mark(&app, s, 3)).collect();
    assert_eq!(
        quiz,
        [Mark::Points(20.0), Mark::Points(17.0), Mark::Points(21.0)]
    );
    press(&mut app, "u");
    let quiz: Vec<Mark> = (0..3).map(|s| mark(&app, s, 3)).collect();
    assert_eq!(
        quiz,
        [Mark::Points(18.0), Mark::Points(15.0), Mark::Points(19.0)]
    );
}

#[test]
fn dropped_cells_are_crossed_out_and_the_score_needed_is_shown() {
    let mut app = biology();
    let t = render(&mut app, 120, 20);
    let buffer = t.backend().buffer();
    let row = (0..buffer.area.height)
        .find(|&y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .starts_with("Ann Lee")
        })
        .unwrap();
    let crossed: String = (0..buffer.area.width)
        .filter(|&x| buffer[(x, row)].modifier.contains(Modifier::CROSSED_OUT))
        .map(|x| buffer[(x, row)].symbol())
        .collect();
    // Ann's HW2 (4 of 10) is her dropped homework.
    assert_eq!(crossed.trim(), "[4]", "{crossed:?}");

    // Chloé has empty cells: the line under the grid says what she needs.
    press(&mut app, "jj");
    let screen = screen_text(&mut app, 120, 30);
    let line = screen
        .lines()
        .find(|l| l.contains("Chloé Martin:"))
        .unwrap();
    assert!(
        line.contains("with zeros 23.07 · Homework 80.00 · Quizzes 95.00 · Exams –"),
        "{line}"
    );
    assert!(
        screen.contains("Needs on the 3 empty cells left: A+ "),
        "{screen}"
    );
    // A cell with marks says what they are: Bob's Quiz 2 has a comment.
    press(&mut app, "k");
    press(&mut app, "lllll");
    let screen = screen_text(&mut app, 120, 30);
    assert!(
        screen.contains("Quiz 2: 20 of 25 · “resubmitted, graded again”"),
        "{screen}"
    );
}

#[test]
fn categories_are_added_edited_and_refused_with_a_message() {
    let mut app = syllabus();
    press(&mut app, "aLabs\t\x1510\t\x151\t\x15points\n");
    let labs = course(&app).categories.last().unwrap().clone();
    assert_eq!(
        (labs.name.as_str(), labs.weight, labs.drop_lowest, labs.mode),
        ("Labs", 10.0, 1, CategoryMode::Points)
    );
    press(&mut app, "aBad\t\x15-3\n");
    assert!(form_error(&app).unwrap().contains("weight"));
    press(&mut app, "\x15NaN\n");
    assert!(form_error(&app).is_some());
    press(&mut app, "\x1b");
    assert_eq!(course(&app).categories.len(), 4);

    // The new category is selected. Homework: dropping all three is refused; dropping
    // two is previewed, then done.
    assert_eq!(app.screens.syllabus.category, 3);
    press(&mut app, "g");
    press(&mut app, "e\t\t\x153\n");
    assert!(form_error(&app).unwrap().contains("at most 2"));
    press(&mut app, "\x152");
    assert!(
        form_note(&app).starts_with("Preview:"),
        "{}",
        form_note(&app)
    );
    press(&mut app, "\n");
    assert_eq!(course(&app).categories[0].drop_lowest, 2);
    press(&mut app, "u");
    assert_eq!(course(&app).categories[0].drop_lowest, 1);
}

#[test]
fn assessments_move_between_categories_and_change_flags() {
    let mut app = syllabus();
    press(&mut app, "l");
    assert_eq!(app.screens.syllabus.pane, Pane::Assessments);
    press(&mut app, "m");
    press(&mut app, "\x15Nowhere\n");
    assert!(form_error(&app).unwrap().contains("Nowhere"));
    press(&mut app, "\x15exams\n");
    assert_eq!(course(&app).assessments[0].category, 2, "HW1 is in Exams");
    // HW2 is now the first of Homework. Flags are asked first, with whose letter moves.
    press(&mut app, "x");
    let Modal::Confirm(question) = &app.screens.syllabus.modal else {
        panic!("no question before a flag changes")
    };
    assert!(
        question
            .question
            .starts_with("Make \"HW2\" extra credit? Preview:"),
        "{}",
        question.question
    );
    press(&mut app, "n");
    assert!(
        !course(&app).assessments[1].extra_credit,
        "any other key says no"
    );
    press(&mut app, "xy");
    assert!(course(&app).assessments[1].extra_credit);
    press(&mut app, "ny");
    assert!(course(&app).assessments[1].never_drop);
    press(&mut app, "uuu");
    let hw = &course(&app).assessments;
    assert!(hw[0].category == 0 && !hw[1].extra_credit && !hw[1].never_drop);
}

#[test]
fn deleting_a_category_with_assessments_asks_where_they_go() {
    let mut app = syllabus();
    press(&mut app, "d");
    let Modal::Form(form) = &app.screens.syllabus.modal else {
        panic!("no question where the assessments go")
    };
    assert_eq!(form.kind, FormKind::DeleteCategory(0));
    assert_eq!(form.value(0), "Quizzes");
    press(&mut app, "\x15Homework\n");
    assert!(form_error(&app).is_some(), "not into itself");
    press(&mut app, "\x15Exams\n");
    let c = course(&app);
    assert_eq!(c.categories.len(), 2);
    assert_eq!(c.assessments[0].category, 1, "HW1 now in Exams (index 1)");
    press(&mut app, "u");
    let c = course(&app);
    assert_eq!(c.categories[0].name, "Homework");
    assert!(c.assessments[..3].iter().all(|a| a.category == 0));

    // An empty category is simply confirmed.
    press(&mut app, "aEmpty\n");
    press(&mut app, "G");
    press(&mut app, "d");
    assert!(matches!(app.screens.syllabus.modal, Modal::Confirm(_)));
    press(&mut app, "y");
    assert_eq!(course(&app).categories.len(), 3);
}

#[test]
fn letters_and_late_policy_from_the_syllabus_screen() {
    let mut app = syllabus();
    press(&mut app, "S\x15default");
    assert!(
        form_note(&app).contains("would change"),
        "{}",
        form_note(&app)
    );
    press(&mut app, "\n");
    assert_eq!(course(&app).letters.0.len(), 5);
    press(&mut app, "S\x15A=90 B=95 F=0\n");
    assert!(form_error(&app).unwrap().contains("strictly down"));
    press(&mut app, "\x15A=90 F=5\n");
    assert!(form_error(&app).unwrap().contains("0"));
    press(&mut app, "\x1b");

    press(&mut app, "P\x155\t\x1520");
    assert!(form_note(&app).starts_with("Preview:"));
    press(&mut app, "\n");
    let p = course(&app).late_policy.unwrap();
    assert_eq!((p.per_day, p.max), (5.0, 20.0));
    press(&mut app, "P\x15-1\n");
    assert!(form_error(&app).is_some());
    press(&mut app, "\x15\t\x15\n");
    assert_eq!(course(&app).late_policy, None, "both empty: no late policy");
}

#[test]
fn snapshot_syllabus() {
    let mut app = syllabus();
    snapshots(&mut app, "syllabus");
    let mut app = biology();
    snapshots(&mut app, "syllabus_gradebook");
}

#[test]
fn forms_say_what_a_change_does_and_where_a_mistake_is() {
    // A curve says nothing before a number, then whose letter moves and what the max does.
    let mut app = biology();
    press(&mut app, "llllC");
    let note = |app: &App| match &app.screens.gradebook.modal {
        Modal::Form(f) => f.note.clone(),
        _ => panic!("no form"),
    };
    assert_eq!(note(&app), None);
    press(&mut app, "3");
    let said = note(&app).unwrap();
    assert!(
        said.contains("Then 2 grades above the max of 20 (bonus)."),
        "{said}"
    );
    press(&mut app, "0");
    assert!(
        note(&app)
            .unwrap()
            .contains("3 grades at twice the max (40)")
    );
    press(&mut app, "\n");
    assert!(crate::tui::message(&app).starts_with("Curved \"Quiz 1\" by +30 points."));
    press(&mut app, "u");
    assert!(crate::tui::message(&app).contains("Undone: curved \"Quiz 1\" by +30 points"));

    // A comment is added to, not replaced, and read whole below the field.
    press(&mut app, "jl");
    press(&mut app, "c");
    assert_eq!(note(&app).as_deref(), Some("resubmitted, graded again"));
    press(&mut app, " twice\n");
    assert_eq!(
        course(&app).students.at(1).comment(4),
        Some("resubmitted, graded again twice")
    );

    // The late policy's mistakes land on their own field.
    let mut app = syllabus();
    press(&mut app, "P\x155\t\x15300");
    press(&mut app, "\n");
    let Modal::Form(form) = &app.screens.syllabus.modal else {
        panic!("the form closed")
    };
    assert_eq!(form.focus, 1, "{:?}", form.error);
    assert!(form.error.as_deref().unwrap().contains("300"));
}

#[test]
fn the_only_category_is_not_deleted() {
    let mut app = syllabus();
    press(&mut app, "d\x15Exams\n");
    press(&mut app, "d\x15Exams\n");
    assert_eq!(course(&app).categories.len(), 1);
    press(&mut app, "d");
    assert!(!app.screens.syllabus.modal.is_open());
    assert!(crate::tui::message(&app).contains("at least one category"));
}

#[test]
fn a_preview_names_every_student_whose_letter_changes() {
    utc();
    let mut book = gradebook::model::Gradebook::default();
    let mut c = Course::new("Big", chrono::Utc::now());
    c.assessments = vec![gradebook::model::Assessment::named("Test")];
    c.students = (0..30)
        .map(|i| {
            gradebook::model::Student::with_cells(
                format!("Student {i:02}"),
                [gradebook::model::Cell::points(91.0)],
            )
        })
        .collect();
    book.courses.push(c);
    book.current = Some(0);
    let mut app = App::new(book, None, clock());
    press(&mut app, "\t\t\t\tS\x15A=95 F=0");
    let note = form_note(&app);
    assert!(note.contains("30 letters would change"), "{note}");
    assert!(note.contains("Student 29 A → F"), "{note}");
    let screen = screen_text(&mut app, 100, 40);
    assert!(screen.contains("Student 29 A → F"), "{screen}");
    // On a short terminal the list says how much more there is.
    let screen = screen_text(&mut app, 80, 12);
    assert!(
        screen.contains("more (a taller terminal shows them)"),
        "{screen}"
    );
}

#[test]
fn a_wider_terminal_brings_hidden_columns_back() {
    let mut app = biology();
    render(&mut app, 40, 12);
    press(&mut app, "lllllll");
    render(&mut app, 40, 12);
    let narrow = screen_text(&mut app, 40, 12);
    assert!(!narrow.contains("HW1"), "{narrow}");
    let wide = screen_text(&mut app, 120, 24);
    assert!(wide.contains("HW1") && wide.contains("Project"), "{wide}");
}

#[test]
fn help_explains_the_marks_of_the_grid() {
    let mut app = biology();
    press(&mut app, "?");
    let screen = screen_text(&mut app, 100, 60);
    assert!(screen.contains("[4] dropped"), "{screen}");
    assert!(screen.contains("18! late"), "{screen}");
}

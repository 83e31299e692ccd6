//! Everything the teacher can ask for. Keys become actions through the key table
//! ([`super::keymap`]); screens and popups answer them.

use crossterm::event::KeyEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // The application
    /// Leave, saving anything not yet saved.
    Quit,
    /// Show the keys.
    Help,
    NextScreen,
    PrevScreen,
    /// Close a form, popup or filter; on a screen, clear the filter.
    Cancel,

    // Moving
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,

    // Changing data
    /// Add a student, course or observation, depending on the screen.
    Add,
    /// Edit the selection: rename, enter a grade, change letters.
    Edit,
    /// Ask to delete the selection.
    Delete,
    /// Say yes to what a confirmation asks.
    Confirm,
    AddAssessment,
    EditAssessment,
    DeleteAssessment,
    ClearGrade,
    /// Mark the selected cell excused (`EX`), or take the mark back.
    Excuse,
    /// Mark the selected cell missing (`M`, counts 0), or take the mark back.
    Missing,
    /// Ask for the days the selected work was late.
    LateDays,
    /// Read or write the comment of the selected cell.
    Comment,
    /// Ask for points to add to every graded cell of the selected assessment.
    Curve,
    /// Hide or show withdrawn students.
    ToggleWithdrawn,
    /// The history of the selected cell, student or course.
    History,
    /// Turn extra credit on or off for the selected assessment.
    ToggleExtraCredit,
    /// Turn "never dropped" on or off for the selected assessment.
    ToggleNeverDrop,
    /// Move the selected assessment to another category.
    MoveAssessment,
    /// Edit the course's letters (presets or custom).
    EditLetters,
    /// Edit the course's late policy.
    EditLatePolicy,
    Undo,
    Redo,
    /// Add the tutorial's course.
    LoadSample,
    /// Add the tutorial's 30 study-hours observations to the course shown.
    LoadSamplePoints,
    /// Show the selected course.
    Open,
    /// Fit the study-hours model of the course shown.
    Train,
    /// Ask for study hours and predict a score.
    Predict,
    /// Ask for a file to import (grades, study data or courses, by screen).
    Import,
    /// Ask for a file to export to.
    Export,

    // Viewing
    /// Start typing a filter on student names.
    Filter,
    /// Roster order, then by name, surname and final grade.
    CycleSort,

    // Typing: forms, grade entry, the filter
    /// A key typed into the text being edited.
    Input(KeyEvent),
    NextField,
    PrevField,
    /// Clear the text being edited.
    ClearField,
    Submit,

    // Unreadable file
    /// Rename the unreadable file and start with an empty gradebook.
    MoveAside,
}

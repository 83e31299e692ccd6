//! The one key table: which key means which action in which context, with its help text.
//! Key handling and the help screen both read it, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, Screen};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing, on every screen.
    Global,
    /// Browsing, on one screen only (looked up before `Global`).
    On(Screen),
    /// Typing in a form.
    Form,
    /// Typing a filter.
    Filter,
    /// The help screen.
    Help,
    /// The data file could not be read.
    Recover,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// Key as shown to the user.
    pub label: &'static str,
    pub help: &'static str,
}

const fn key(
    context: Context,
    code: KeyCode,
    label: &'static str,
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        code,
        mods: KeyModifiers::NONE,
        action,
        label,
        help,
    }
}

const fn ctrl(
    context: Context,
    c: char,
    label: &'static str,
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
        action,
        label,
        help,
    }
}

use Action as A;
use Context::*;
use KeyCode::*;
use Screen as S;

/// Every key binding. Order matters only for the help screen.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    key(Global, Char('?'), "?", A::Help, "help"),
    key(Global, Char('q'), "q", A::Quit, "quit"),
    ctrl(Global, 'c', "Ctrl-C", A::Quit, "quit"),
    key(Global, Tab, "Tab", A::NextScreen, "next screen"),
    key(Global, BackTab, "Shift-Tab", A::PrevScreen, "previous screen"),
    key(Global, Char('j'), "j ↓", A::Down, "move down"),
    key(Global, Down, "", A::Down, ""),
    key(Global, Char('k'), "k ↑", A::Up, "move up"),
    key(Global, Up, "", A::Up, ""),
    key(Global, PageDown, "PgDn", A::PageDown, "page down"),
    key(Global, PageUp, "PgUp", A::PageUp, "page up"),
    key(Global, Char('g'), "g Home", A::Home, "first row"),
    key(Global, Home, "", A::Home, ""),
    key(Global, Char('G'), "G End", A::End, "last row"),
    key(Global, End, "", A::End, ""),
    key(Global, Char('a'), "a", A::Add, "add (student, course, observation)"),
    key(Global, Char('e'), "e Enter", A::Edit, "edit the selection"),
    key(Global, Enter, "", A::Edit, ""),
    key(Global, Char('d'), "d", A::Delete, "delete the selection (then y to confirm)"),
    key(Global, Char('u'), "u", A::Undo, "undo"),
    ctrl(Global, 'r', "Ctrl-R", A::Redo, "redo"),
    key(Global, Char('L'), "L", A::LoadSample, "load the tutorial's sample class"),
    key(Global, Char('i'), "i", A::Import, "import a file (grades, study data, courses)"),
    key(Global, Char('o'), "o", A::Export, "export to a file (grades, study data, courses)"),
    key(Global, Esc, "Esc", A::Cancel, "cancel, clear the filter"),
    key(On(S::Gradebook), Char('h'), "h ←", A::Left, "previous column"),
    key(On(S::Gradebook), Left, "", A::Left, ""),
    key(On(S::Gradebook), Char('l'), "l →", A::Right, "next column"),
    key(On(S::Gradebook), Right, "", A::Right, ""),
    key(On(S::Gradebook), Char('/'), "/", A::Filter, "filter students by name"),
    key(On(S::Gradebook), Char('s'), "s", A::CycleSort, "sort by roster / name / final grade"),
    key(On(S::Gradebook), Char('A'), "A", A::AddAssessment, "add an assessment"),
    key(On(S::Gradebook), Char('E'), "E", A::EditAssessment, "edit the selected assessment"),
    key(On(S::Gradebook), Char('D'), "D", A::DeleteAssessment, "delete the selected assessment"),
    key(On(S::Gradebook), Char('x'), "x", A::ClearGrade, "clear the selected grade"),
    key(On(S::Statistics), Char('e'), "e", A::Edit, "edit the letter thresholds"),
    key(On(S::Predictor), Char('t'), "t", A::Train, "train the model on the observations"),
    key(On(S::Predictor), Char('L'), "L", A::LoadSamplePoints, "add the tutorial's 30 study-hours points"),
    key(On(S::Predictor), Char('p'), "p", A::Predict, "predict a score from study hours"),
    key(On(S::Courses), Enter, "Enter", A::Open, "switch to the course"),
    key(On(S::Courses), Char('e'), "e", A::Edit, "rename the course"),
    key(Form, Enter, "Enter", A::Submit, "save (grades: save and go to the next student)"),
    key(Form, Tab, "Tab", A::NextField, "next field"),
    key(Form, Down, "", A::NextField, ""),
    key(Form, BackTab, "Shift-Tab", A::PrevField, "previous field"),
    key(Form, Up, "", A::PrevField, ""),
    key(Form, Esc, "Esc", A::Cancel, "close without saving"),
    ctrl(Form, 'c', "Ctrl-C", A::Quit, "quit"),
    key(Filter, Enter, "Enter", A::Submit, "keep the filter"),
    key(Filter, Esc, "Esc", A::Cancel, "clear the filter"),
    ctrl(Filter, 'c', "Ctrl-C", A::Quit, "quit"),
    key(Help, Esc, "Esc ? q", A::Cancel, "close help"),
    key(Help, Char('?'), "", A::Cancel, ""),
    key(Help, Char('q'), "", A::Cancel, ""),
    key(Help, Char('j'), "j ↓", A::Down, "scroll down"),
    key(Help, Down, "", A::Down, ""),
    key(Help, Char('k'), "k ↑", A::Up, "scroll up"),
    key(Help, Up, "", A::Up, ""),
    ctrl(Help, 'c', "Ctrl-C", A::Quit, "quit"),
    key(Recover, Char('m'), "m", A::MoveAside, "move the file aside and start empty"),
    key(Recover, Char('q'), "q", A::Quit, "quit, leaving the file as it is"),
    ctrl(Recover, 'c', "Ctrl-C", A::Quit, "quit"),
];

/// What a key means in `context` on `screen`; `None` if nothing.
pub fn lookup(context: Context, screen: Screen, key: KeyEvent) -> Option<Action> {
    // Shift is implied by upper-case letters and BackTab; ignore it when comparing.
    let mods = key.modifiers - KeyModifiers::SHIFT;
    let find = |ctx: Context| {
        KEYS.iter()
            .find(|b| b.context == ctx && b.code == key.code && b.mods == mods)
            .map(|b| b.action)
    };
    match context {
        Global => find(On(screen)).or_else(|| find(Global)),
        other => find(other),
    }
}

/// The bindings to list in help for a context, with their labels (hidden aliases skipped).
pub fn help_rows(context: Context) -> impl Iterator<Item = &'static Binding> {
    KEYS.iter()
        .filter(move |b| b.context == context && !b.label.is_empty())
}

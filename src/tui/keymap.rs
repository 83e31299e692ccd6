//! The one key table: which key means which action in which context, with its label, its
//! help text and the word the status line uses. Key handling, the help screen, the status
//! line, confirmations and form hints all read it, so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::screens::ScreenId;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing, on every screen.
    Global,
    /// Browsing, on one screen only (looked up before `Global`).
    On(ScreenId),
    /// Typing in a form.
    Form,
    /// Typing a grade into the grid.
    Entry,
    /// Typing a filter.
    Filter,
    /// A question waiting for yes.
    Confirm,
    /// The help screen.
    Help,
    /// A message in a popup: any key closes it and then acts.
    Notice,
    /// The data file could not be read.
    Recover,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    /// [`KeyCode::Null`] stands for any other key.
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// The key as shown to the user; empty for an alias not listed in help.
    pub label: &'static str,
    pub help: &'static str,
    /// One word for the status line and form hints.
    pub short: &'static str,
}

const fn key(
    context: Context,
    code: KeyCode,
    label: &'static str,
    action: Action,
    short: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        code,
        mods: KeyModifiers::NONE,
        action,
        label,
        help,
        short,
    }
}

const fn ctrl(
    context: Context,
    c: char,
    label: &'static str,
    action: Action,
    short: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
        action,
        label,
        help,
        short,
    }
}

/// A key that only repeats another row's meaning (an arrow beside a letter).
const fn alias(context: Context, code: KeyCode, action: Action) -> Binding {
    key(context, code, "", action, "", "")
}

/// Any key not bound otherwise in the context.
const ANY: KeyCode = KeyCode::Null;

use Action as A;
use Context::*;
use KeyCode::*;
use ScreenId as S;

/// Every key binding. Order matters only for help and hints.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    key(Global, Char('?'), "?", A::Help, "help", "help"),
    key(Global, Char('q'), "q", A::Quit, "quit", "quit"),
    ctrl(Global, 'c', "Ctrl-C", A::Quit, "quit", "quit"),
    key(Global, Tab, "Tab", A::NextScreen, "next", "next screen"),
    key(Global, BackTab, "Shift-Tab", A::PrevScreen, "previous", "previous screen"),
    key(Global, Char('j'), "j ↓", A::Down, "down", "move down"),
    alias(Global, Down, A::Down),
    key(Global, Char('k'), "k ↑", A::Up, "up", "move up"),
    alias(Global, Up, A::Up),
    key(Global, PageDown, "PgDn", A::PageDown, "page", "page down"),
    key(Global, PageUp, "PgUp", A::PageUp, "page", "page up"),
    key(Global, Char('g'), "g Home", A::Home, "first", "first row"),
    alias(Global, Home, A::Home),
    key(Global, Char('G'), "G End", A::End, "last", "last row"),
    alias(Global, End, A::End),
    key(Global, Char('a'), "a", A::Add, "add", "add (student, course, observation)"),
    key(Global, Char('e'), "e Enter", A::Edit, "edit", "edit the selection"),
    alias(Global, Enter, A::Edit),
    key(Global, Char('d'), "d", A::Delete, "del", "delete the selection (then y to confirm)"),
    key(Global, Char('u'), "u", A::Undo, "undo", "undo (says what it undid)"),
    ctrl(Global, 'r', "Ctrl-R", A::Redo, "redo", "redo"),
    key(Global, Char('L'), "L", A::LoadSample, "sample", "load the tutorial's sample class"),
    key(Global, Char('H'), "H", A::History, "history", "history: of the selected cell or student (Gradebook), else of the course"),
    key(Global, Char('i'), "i", A::Import, "import", "import a file (grades, study data, courses)"),
    key(Global, Char('o'), "o", A::Export, "export", "export to a file (grades, study data, courses)"),
    key(Global, Esc, "Esc", A::Cancel, "cancel", "cancel, clear the filter"),
    key(On(S::Gradebook), Enter, "Enter", A::Open, "open", "the student's page (on a name: grades, marks, chart, history; ←/→ next), or type the grade"),
    key(On(S::Gradebook), Char('h'), "h ←", A::Left, "left", "previous column"),
    alias(On(S::Gradebook), Left, A::Left),
    key(On(S::Gradebook), Char('l'), "l →", A::Right, "right", "next column"),
    alias(On(S::Gradebook), Right, A::Right),
    key(On(S::Gradebook), Char('/'), "/", A::Filter, "filter", "filter students by name (accents and case ignored)"),
    key(On(S::Gradebook), Char('s'), "s", A::CycleSort, "sort", "sort by roster / name / surname / final grade"),
    key(On(S::Gradebook), Char('A'), "A", A::AddAssessment, "assessment", "add an assessment"),
    key(On(S::Gradebook), Char('E'), "E", A::EditAssessment, "edit assessment", "edit the selected assessment"),
    key(On(S::Gradebook), Char('D'), "D", A::DeleteAssessment, "del assessment", "delete the selected assessment"),
    key(On(S::Gradebook), Char('x'), "x", A::ClearGrade, "clear", "clear the selected grade (its comment stays)"),
    key(On(S::Gradebook), Char('X'), "X", A::Excuse, "excuse", "mark the selected cell excused (EX, counts nowhere), or not"),
    key(On(S::Gradebook), Char('M'), "M", A::Missing, "missing", "mark the selected cell missing (M, counts 0), or not"),
    key(On(S::Gradebook), Char('t'), "t", A::LateDays, "late", "set the days the selected work was late"),
    key(On(S::Gradebook), Char('c'), "c", A::Comment, "comment", "read or write the comment of the selected cell"),
    key(On(S::Gradebook), Char('C'), "C", A::Curve, "curve", "curve the selected assessment (add points, with a preview)"),
    key(On(S::Gradebook), Char('W'), "W", A::ToggleWithdrawn, "withdrawn", "hide or show withdrawn students (shown dimmed, left out of statistics)"),
    key(On(S::Syllabus), Char('h'), "h ←", A::Left, "categories", "the categories"),
    alias(On(S::Syllabus), Left, A::Left),
    key(On(S::Syllabus), Char('l'), "l →", A::Right, "assessments", "the assessments of the category"),
    alias(On(S::Syllabus), Right, A::Right),
    key(On(S::Syllabus), Char('a'), "a", A::Add, "add", "add a category"),
    key(On(S::Syllabus), Char('e'), "e Enter", A::Edit, "edit", "edit the category or assessment (with a preview)"),
    alias(On(S::Syllabus), Enter, A::Edit),
    key(On(S::Syllabus), Char('d'), "d", A::Delete, "del", "delete the category (its assessments move to another)"),
    key(On(S::Syllabus), Char('m'), "m", A::MoveAssessment, "move", "move the assessment to another category"),
    key(On(S::Syllabus), Char('x'), "x", A::ToggleExtraCredit, "extra credit", "the assessment is extra credit, or not"),
    key(On(S::Syllabus), Char('n'), "n", A::ToggleNeverDrop, "never drop", "the assessment is never dropped, or is"),
    key(On(S::Syllabus), Char('C'), "C", A::Curve, "curve", "curve the assessment (add points, with a preview)"),
    key(On(S::Syllabus), Char('S'), "S", A::EditLetters, "letters", "the letter scheme: a preset or your own (with a preview)"),
    key(On(S::Syllabus), Char('P'), "P", A::EditLatePolicy, "late policy", "the late policy (with a preview)"),
    key(On(S::Statistics), Char('e'), "e", A::Edit, "letters", "edit the letter thresholds"),
    key(On(S::Predictor), Char('t'), "t", A::Train, "train", "train the model on the observations"),
    key(On(S::Predictor), Char('L'), "L", A::LoadSamplePoints, "sample points", "add the tutorial's 30 study-hours points"),
    key(On(S::Predictor), Char('p'), "p", A::Predict, "predict", "predict a score from study hours"),
    key(On(S::Courses), Enter, "Enter", A::Open, "open", "open the course"),
    key(On(S::Courses), Char('e'), "e", A::Edit, "rename", "rename the course"),
    key(Form, Enter, "Enter", A::Submit, "save", "save"),
    key(Form, Tab, "Tab", A::NextField, "next field", "next field"),
    alias(Form, Down, A::NextField),
    key(Form, BackTab, "Shift-Tab", A::PrevField, "previous field", "previous field"),
    alias(Form, Up, A::PrevField),
    ctrl(Form, 'u', "Ctrl-U", A::ClearField, "clear", "clear the field"),
    key(Form, Esc, "Esc", A::Cancel, "cancel", "close without saving"),
    ctrl(Form, 'c', "Ctrl-C", A::Quit, "quit", "quit"),
    key(Entry, Enter, "Enter", A::Submit, "save, next", "save the grade (points, EX or M) and go to the next student (empty: skip)"),
    ctrl(Entry, 'u', "Ctrl-U", A::ClearField, "clear", "clear what is typed"),
    key(Entry, Esc, "Esc", A::Cancel, "stop", "stop entering grades"),
    ctrl(Entry, 'c', "Ctrl-C", A::Quit, "quit", "quit"),
    key(Filter, Enter, "Enter", A::Submit, "keep", "keep the filter"),
    key(Filter, Esc, "Esc", A::Cancel, "clear", "clear the filter"),
    ctrl(Filter, 'c', "Ctrl-C", A::Quit, "quit", "quit"),
    key(Confirm, Char('y'), "y", A::Confirm, "yes", "yes, go ahead"),
    ctrl(Confirm, 'c', "Ctrl-C", A::Quit, "quit", "quit"),
    key(Confirm, ANY, "any other key", A::Cancel, "cancel", "no, leave everything as it is"),
    key(Help, Esc, "Esc ? q", A::Cancel, "close", "close help"),
    alias(Help, Char('?'), A::Cancel),
    alias(Help, Char('q'), A::Cancel),
    key(Help, Char('j'), "j ↓", A::Down, "down", "scroll down"),
    alias(Help, Down, A::Down),
    key(Help, Char('k'), "k ↑", A::Up, "up", "scroll up"),
    alias(Help, Up, A::Up),
    ctrl(Help, 'c', "Ctrl-C", A::Quit, "quit", "quit"),
    key(Notice, Esc, "Esc", A::Cancel, "close", "close"),
    key(Notice, ANY, "any other key", A::Cancel, "close", "close, and do what the key does"),
    key(Recover, Char('m'), "m", A::MoveAside, "move aside", "move the file aside (renamed, kept) and start empty"),
    key(Recover, Char('q'), "q", A::Quit, "quit", "quit, leaving the file as it is"),
    ctrl(Recover, 'c', "Ctrl-C", A::Quit, "quit", "quit"),
];

/// The row a key matches in `context` (a screen's own rows first, then the global ones;
/// then a context's row for any other key).
pub fn binding(context: Context, key: KeyEvent) -> Option<&'static Binding> {
    // Shift is implied by upper-case letters and BackTab; ignore it when comparing.
    let mods = key.modifiers - KeyModifiers::SHIFT;
    let find = |ctx: Context, code: KeyCode| {
        KEYS.iter()
            .find(|b| b.context == ctx && b.code == code && (b.mods == mods || code == ANY))
    };
    let found = match context {
        On(screen) => find(On(screen), key.code).or_else(|| find(Global, key.code)),
        other => find(other, key.code),
    };
    found.or_else(|| find(context, ANY))
}

/// What a key means in `context`; `None` if nothing.
pub fn lookup(context: Context, key: KeyEvent) -> Option<Action> {
    binding(context, key).map(|b| b.action)
}

/// The bindings to list in help for a context, with their labels (aliases skipped).
pub fn help_rows(context: Context) -> impl Iterator<Item = &'static Binding> {
    KEYS.iter()
        .filter(move |b| b.context == context && !b.label.is_empty())
}

/// The first listed key for `action` in `context` (for a screen: its own, then global).
pub fn key_for(context: Context, action: Action) -> Option<&'static Binding> {
    let find = |ctx: Context| {
        KEYS.iter()
            .find(|b| b.context == ctx && b.action == action && !b.label.is_empty())
    };
    match context {
        On(screen) => find(On(screen)).or_else(|| find(Global)),
        other => find(other),
    }
}

/// `label short` for each action that has a key in `context`, as the status line and the
/// hints under forms show them: `? help  a add  q quit`.
pub fn hints(context: Context, actions: &[Action]) -> Vec<(&'static str, &'static str)> {
    actions
        .iter()
        .filter_map(|&a| key_for(context, a))
        .map(|b| {
            // "j ↓" is shown as "j"; "any other key" whole.
            let key = match b.code {
                ANY => b.label,
                _ => b.label.split(' ').next().unwrap_or(b.label),
            };
            (key, b.short)
        })
        .collect()
}

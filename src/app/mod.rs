//! The interactive gradebook in the Elm Architecture: [`App`] is the model, [`Action`] the
//! message, [`App::update`] the only place state changes, `crate::ui::view` the view, and
//! [`App::handle_key`] a pure mapping from keys to actions through [`keymap::KEYS`].

mod actions;
pub mod files;
pub mod form;
pub mod keymap;
mod predictor;
mod saver;

use std::cell::Cell;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use tui_input::Input;

use crate::model::{Command, Editor, GradeEntry, Gradebook};
use crate::stats::LiveStats;
use crate::store::Store;
pub use form::{Form, FormKind};
use keymap::Context;
use saver::Saver;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// How often the loop looks for a signal and for the outcome of a save while no key comes.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);
/// How often a failed save is tried again while the teacher does nothing.
const RETRY_EVERY: Duration = Duration::from_secs(2);
use unicode_width::UnicodeWidthStr;

/// The screens, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Gradebook,
    Statistics,
    Predictor,
    Courses,
}

impl Screen {
    pub const ALL: [Screen; 4] = [
        Screen::Gradebook,
        Screen::Statistics,
        Screen::Predictor,
        Screen::Courses,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Gradebook => "Gradebook",
            Screen::Statistics => "Statistics",
            Screen::Predictor => "Predictor",
            Screen::Courses => "Courses",
        }
    }

    /// Title for narrow terminals.
    pub fn short_title(self) -> &'static str {
        match self {
            Screen::Gradebook => "Grades",
            Screen::Statistics => "Stats",
            Screen::Predictor => "Model",
            Screen::Courses => "Courses",
        }
    }

    fn step(self, by: isize) -> Screen {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0) as isize;
        Self::ALL[(i + by).rem_euclid(Self::ALL.len() as isize) as usize]
    }
}

/// Everything the user can ask for. Keys map to these through the key table.
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
    /// Edit the selection: rename, or enter a grade.
    Edit,
    /// Ask to delete the selection.
    Delete,
    /// The user confirmed a pending delete.
    Confirm,
    AddAssessment,
    EditAssessment,
    DeleteAssessment,
    ClearGrade,
    Undo,
    Redo,
    /// Add the tutorial's course.
    LoadSample,
    /// Add the tutorial's 30 study-hours observations to the course shown.
    LoadSamplePoints,
    /// Make the selected course the current one.
    Open,
    /// Fit the study-hours model of the current course.
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
    /// Roster order, then by name, then by final grade.
    CycleSort,

    // Forms and the filter
    /// A key typed into the focused text field.
    Input(KeyEvent),
    NextField,
    PrevField,
    Submit,

    // Unreadable file
    /// Rename the unreadable file and start with an empty gradebook.
    MoveAside,
}

/// How keys are read right now.
#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    /// The key list, scrolled down by this many lines.
    Help(u16),
    /// A destructive action waits for `y`.
    Confirm(Pending),
    Form(Form),
    /// Typing the student filter.
    Filter,
    /// The data file could not be read; nothing is written until it is moved aside.
    Recover {
        reason: String,
    },
    /// A message in a popup (an import's result or errors); any key closes it.
    Notice {
        title: String,
        body: String,
    },
}

/// A delete waiting for confirmation, with what it would remove.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    Student(usize),
    Assessment(usize),
    Course(usize),
    Observation(usize),
}

/// Order of the students on the Gradebook screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Roster,
    Name,
    Final,
}

impl Sort {
    pub fn label(self) -> &'static str {
        match self {
            Sort::Roster => "roster order",
            Sort::Name => "name",
            Sort::Final => "final grade",
        }
    }
}

/// How the last message to the user should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Warning,
    Error,
}

/// Whether the file holds every change.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Nothing changed since the file was opened.
    Opened,
    Saved(DateTime<Local>),
    /// The newest state is being written.
    Saving,
    /// The last save failed; it is retried.
    Failed(String),
}

/// The clock, injectable so screens can be tested for exact text.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// What the screens show of the current course, recomputed only when the data, the course,
/// the sort or the filter change, never on a mere cursor move.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The course shown.
    pub course: Option<usize>,
    /// Roster indices of the students shown, in display order.
    pub order: Vec<usize>,
    /// Final grades and class statistics, kept up to date.
    pub stats: LiveStats,
    /// Display width of the longest student name.
    pub name_width: usize,
}

/// The state of the interactive gradebook.
pub struct App {
    /// The teacher's data and its undo history.
    pub editor: Editor,
    /// The writer thread, once the app runs on a terminal; tests save synchronously.
    /// Declared before `store`, so that it finishes writing before the lock is let go.
    saver: Option<Saver>,
    /// The file changes are saved to; `None` when running without one (tests).
    store: Option<Store>,
    /// The screen shown.
    pub screen: Screen,
    /// How keys are read.
    pub mode: Mode,
    /// Selected display row on the Gradebook screen.
    pub row: usize,
    /// Selected column on the Gradebook screen: 0 is the name, `i + 1` assessment `i`.
    pub col: usize,
    /// Selected course on the Courses screen.
    pub course_row: usize,
    /// Selected observation on the Predictor screen.
    pub obs_row: usize,
    pub sort: Sort,
    /// Student-name filter on the Gradebook screen.
    pub filter: Input,
    /// Cached order and statistics of the current course.
    pub view: View,
    /// Whether the file holds every change.
    pub save: SaveState,
    /// The last message to the user.
    pub message: Option<(Tone, String)>,
    /// Set when the user asked to leave and nothing is left unsaved.
    pub should_quit: bool,
    pub clock: Clock,
    /// First row drawn on the Gradebook grid, kept by the view so scrolling is smooth.
    pub grid_offset: Cell<usize>,
    /// Rows that fit in the last drawn table, for page up and down.
    pub page: Cell<usize>,
    /// The last prediction asked for on the Predictor screen.
    pub prediction: Option<crate::predictor::Prediction>,
    /// A change is not yet in the file.
    unsaved: bool,
    /// A change waits to be encoded and handed to the writer thread.
    save_due: bool,
    /// The user was told that quitting now loses changes; the next quit goes ahead.
    warned_unsaved: bool,
}

impl App {
    /// An app over `book`, saving to `store` if given.
    pub fn new(book: Gradebook, store: Option<Store>, clock: Clock) -> Self {
        let mut book = book;
        if book.current_course().is_none() && !book.courses.is_empty() {
            book.current = Some(0);
        }
        let mut app = Self {
            editor: Editor::new(book),
            store,
            screen: Screen::Gradebook,
            mode: Mode::Normal,
            row: 0,
            col: 0,
            course_row: 0,
            obs_row: 0,
            sort: Sort::Roster,
            filter: Input::default(),
            view: View::default(),
            save: SaveState::Opened,
            message: None,
            should_quit: false,
            clock,
            grid_offset: Cell::new(0),
            page: Cell::new(10),
            prediction: None,
            saver: None,
            unsaved: false,
            save_due: false,
            warned_unsaved: false,
        };
        app.course_row = app.editor.book.current.unwrap_or(0);
        app.refresh();
        app
    }

    /// An app whose file could not be read: it shows why and offers to move it aside.
    pub fn recovering(store: Store, reason: String, clock: Clock) -> Self {
        let mut app = Self::new(Gradebook::default(), Some(store), clock);
        app.mode = Mode::Recover { reason };
        app
    }

    /// Runs until the user quits or a signal (SIGTERM, SIGHUP, SIGINT) asks it to end.
    /// Either way, and even when the terminal is gone, every change is saved before it
    /// returns. The caller sets up and restores the terminal.
    pub fn run(mut self, terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
        let stop = Arc::new(AtomicBool::new(false));
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register(signal, Arc::clone(&stop))?;
        }
        self.save_in_background();
        let result = self.event_loop(terminal, &stop);
        self.finish_saving();
        // After SIGHUP the terminal is gone and drawing fails: that is how the session
        // ends, not an error.
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        result
    }

    fn event_loop(
        &mut self,
        terminal: &mut ratatui::DefaultTerminal,
        stop: &AtomicBool,
    ) -> io::Result<()> {
        let mut idle = Duration::ZERO;
        while !self.should_quit && !stop.load(Ordering::Relaxed) {
            terminal.draw(|frame| crate::ui::view(self, frame))?;
            self.save_if_due();
            // Wake up often enough to see a signal and the outcome of a save.
            if event::poll(SIGNAL_CHECK)? {
                idle = Duration::ZERO;
                if let Event::Key(key) = event::read()?
                    && key.kind != KeyEventKind::Release
                {
                    self.dispatch(self.handle_key(key));
                }
            } else {
                idle += SIGNAL_CHECK;
                if idle >= RETRY_EVERY {
                    idle = Duration::ZERO;
                    self.retry_save();
                }
            }
            self.poll_saves();
        }
        Ok(())
    }

    /// Hands over anything unsaved and waits for the writer to finish it (a signal gives
    /// no chance to ask the teacher, so this goes as far as it can and no further).
    fn finish_saving(&mut self) {
        self.save_if_due();
        self.wait_for_saves(Duration::from_secs(30));
        if self.unsaved {
            self.save_now();
            self.wait_for_saves(Duration::from_secs(30));
        }
    }

    /// The course shown, if there is one.
    pub fn course(&self) -> Option<&crate::model::Course> {
        self.view
            .course
            .and_then(|c| self.editor.book.courses.get(c))
    }

    /// The key-table context for the current mode.
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Normal | Mode::Confirm(_) => Context::Global,
            Mode::Help(_) | Mode::Notice { .. } => Context::Help,
            Mode::Form(_) => Context::Form,
            Mode::Filter => Context::Filter,
            Mode::Recover { .. } => Context::Recover,
        }
    }

    /// What a key means now. Pure: reads the mode and the key table, changes nothing.
    pub fn handle_key(&self, key: KeyEvent) -> Option<Action> {
        if let Mode::Confirm(_) = self.mode {
            let yes = key.code == crossterm::event::KeyCode::Char('y') && key.modifiers.is_empty();
            return Some(if yes { Action::Confirm } else { Action::Cancel });
        }
        let context = self.context();
        let found = keymap::lookup(context, self.screen, key);
        if let Mode::Notice { .. } = self.mode {
            return found.or(Some(Action::Cancel));
        }
        match context {
            Context::Form | Context::Filter => found.or(Some(Action::Input(key))),
            _ => found,
        }
    }

    /// Applies an action and any follow-up it produces.
    pub fn dispatch(&mut self, action: Option<Action>) {
        let mut next = action;
        while let Some(action) = next {
            next = self.update(action);
        }
    }

    /// The only place the state changes.
    pub fn update(&mut self, action: Action) -> Option<Action> {
        if matches!(self.mode, Mode::Recover { .. }) {
            return self.update_recover(action);
        }
        if let Mode::Form(_) = self.mode {
            return self.update_form(action);
        }
        if let Mode::Filter = self.mode {
            return self.update_filter(action);
        }
        if let Mode::Confirm(_) = self.mode {
            return self.update_confirm(action);
        }
        if let Mode::Notice { .. } = self.mode {
            if action == Action::Quit {
                return self.quit();
            }
            self.mode = Mode::Normal;
            return None;
        }
        if let Mode::Help(scroll) = &mut self.mode {
            match action {
                Action::Quit => return self.quit(),
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::Up => *scroll = scroll.saturating_sub(1),
                _ => self.mode = Mode::Normal,
            }
            return None;
        }
        self.update_normal(action)
    }

    fn update_normal(&mut self, action: Action) -> Option<Action> {
        self.message = None;
        match action {
            Action::Quit => return self.quit(),
            Action::Help => self.mode = Mode::Help(0),
            Action::NextScreen => self.screen = self.screen.step(1),
            Action::PrevScreen => self.screen = self.screen.step(-1),
            Action::Cancel => self.clear_filter(),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End => self.move_rows(action),
            Action::Left => self.col = self.col.saturating_sub(1),
            Action::Right => self.col = (self.col + 1).min(self.grade_columns()),
            Action::Undo => self.undo_redo(true),
            Action::Redo => self.undo_redo(false),
            Action::Filter if self.course().is_some() => self.mode = Mode::Filter,
            Action::CycleSort => self.cycle_sort(),
            Action::LoadSample => self.load_sample(),
            Action::LoadSamplePoints => self.load_sample_points(),
            Action::Open => self.open_course(),
            Action::Add => self.start_add(),
            Action::Edit => self.start_edit(),
            Action::Delete => self.ask_delete(),
            Action::AddAssessment => self.start_assessment_form(None),
            Action::EditAssessment => self.start_edit_assessment(),
            Action::DeleteAssessment => self.ask_delete_assessment(),
            Action::ClearGrade => self.clear_grade(),
            Action::Train => self.train(),
            Action::Predict => self.start_query(),
            Action::Import => self.start_import(),
            Action::Export => self.start_export(),
            _ => {}
        }
        None
    }

    fn update_recover(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::Quit => self.should_quit = true,
            Action::MoveAside => match self.store.as_ref().map(Store::move_aside) {
                Some(Ok(aside)) => {
                    self.mode = Mode::Normal;
                    self.say(
                        Tone::Success,
                        format!("The old file is now {}; starting empty.", aside.display()),
                    );
                }
                Some(Err(e)) => self.say(Tone::Error, format!("Could not move it aside: {e}")),
                None => self.mode = Mode::Normal,
            },
            _ => {}
        }
        None
    }

    fn update_filter(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::Quit => return self.quit(),
            Action::Submit => self.mode = Mode::Normal,
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.clear_filter();
            }
            Action::Input(key) => {
                if let Some(req) = tui_input::backend::crossterm::to_input_request(&Event::Key(key))
                {
                    self.filter.handle(req);
                    self.row = 0;
                    self.reorder();
                }
            }
            _ => {}
        }
        None
    }

    fn clear_filter(&mut self) {
        if !self.filter.value().is_empty() {
            self.filter.reset();
            self.reorder();
        }
    }

    fn cycle_sort(&mut self) {
        self.sort = match self.sort {
            Sort::Roster => Sort::Name,
            Sort::Name => Sort::Final,
            Sort::Final => Sort::Roster,
        };
        self.reorder();
        self.say(Tone::Info, format!("Sorted by {}", self.sort.label()));
    }

    fn move_rows(&mut self, action: Action) {
        let (len, row) = match self.screen {
            Screen::Gradebook => (self.view.order.len(), &mut self.row),
            Screen::Courses => (self.editor.book.courses.len(), &mut self.course_row),
            Screen::Predictor => (
                self.course().map_or(0, |c| c.study.len()),
                &mut self.obs_row,
            ),
            Screen::Statistics => return,
        };
        let page = self.page.get().max(1);
        let last = len.saturating_sub(1);
        *row = match action {
            Action::Up => row.saturating_sub(1),
            Action::Down => (*row + 1).min(last),
            Action::PageUp => row.saturating_sub(page),
            Action::PageDown => (*row + page).min(last),
            Action::Home => 0,
            _ => last,
        };
    }

    /// Shows a message in the status line.
    pub fn say(&mut self, tone: Tone, text: impl Into<String>) {
        let text = text.into();
        let text = crate::text::clean(&text).into_owned();
        self.message = Some((tone, text));
    }

    /// Makes a change, then refreshes what is shown and saves. Returns the error, if any,
    /// for a form to show inline.
    fn execute(&mut self, cmd: Command) -> Result<(), String> {
        let single = self.single_grade(&cmd);
        match self.editor.execute(cmd, self.clock.now()) {
            Ok(()) => {
                self.changed(single);
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// If `cmd` changes one grade of the course shown: which, and the points it had.
    fn single_grade(&self, cmd: &Command) -> Option<(GradeEntry, Option<f64>)> {
        let Command::SetGrade(e) = cmd else {
            return None;
        };
        if Some(e.course) != self.view.course {
            return None;
        }
        let student = self
            .editor
            .book
            .courses
            .get(e.course)?
            .students
            .get(e.student)?;
        Some((*e, *student.grades.get(e.assessment)?))
    }

    fn undo_redo(&mut self, undo: bool) {
        let next = if undo {
            self.editor.next_undo()
        } else {
            self.editor.next_redo()
        };
        let single = next.and_then(|cmd| self.single_grade(cmd));
        let result = if undo {
            self.editor.undo()
        } else {
            self.editor.redo()
        };
        let word = if undo { "undo" } else { "redo" };
        match result {
            Ok(true) => {
                self.changed(single);
                let done = if undo { "Undone" } else { "Redone" };
                self.say(Tone::Success, done);
            }
            Ok(false) => self.say(Tone::Info, format!("Nothing to {word}")),
            Err(e) => self.say(Tone::Error, format!("Cannot {word}: {e}")),
        }
    }

    /// After any change of data: bring the view up to date and save. A single grade
    /// change is followed incrementally; anything else recomputes the view.
    fn changed(&mut self, single: Option<(GradeEntry, Option<f64>)>) {
        self.unsaved = true;
        match single {
            Some((entry, old)) => self.grade_changed(entry, old),
            None => self.refresh(),
        }
        self.request_save();
    }

    /// Asks for the state to be saved: at once when saving synchronously (tests); with
    /// a writer thread, right after the next frame is drawn, so that encoding never
    /// delays what the teacher sees.
    pub(super) fn request_save(&mut self) {
        self.unsaved = true;
        self.save_due = true;
        if self.saver.is_none() {
            self.save_now();
        }
    }

    fn save_now(&mut self) {
        self.save_due = false;
        if matches!(self.mode, Mode::Recover { .. }) {
            return;
        }
        let Some(store) = &self.store else {
            self.unsaved = false;
            return;
        };
        let Some(saver) = &mut self.saver else {
            let result = store.save(&self.editor.book).map_err(|e| e.to_string());
            return self.saved(result);
        };
        self.save = match store
            .encode(&self.editor.book)
            .map(|bytes| saver.send(bytes))
        {
            Ok(true) => SaveState::Saving,
            Ok(false) => SaveState::Failed("the writer thread stopped".into()),
            Err(e) => SaveState::Failed(e.to_string()),
        };
    }

    /// Records the outcome of the save of the newest state.
    fn saved(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.unsaved = false;
                self.save = SaveState::Saved(self.clock.now().with_timezone(&Local));
            }
            Err(e) => self.save = SaveState::Failed(e),
        }
    }

    /// Hands a change waiting since the last frame to the writer thread.
    pub fn save_if_due(&mut self) {
        if self.save_due {
            self.save_now();
        }
    }

    /// Saves from now on in a writer thread, so that a slow disk never holds up a key.
    pub fn save_in_background(&mut self) {
        if let Some(store) = &self.store {
            self.saver = Some(Saver::start(store.writer()));
        }
    }

    /// Takes in what the writer thread finished; only the newest state's outcome counts.
    pub fn poll_saves(&mut self) {
        let outcomes = self.saver.as_mut().map(Saver::poll).unwrap_or_default();
        self.take_outcomes(outcomes);
    }

    /// Waits (at most `limit`) for the writer thread to finish the newest state.
    pub fn wait_for_saves(&mut self, limit: Duration) {
        let outcomes = self
            .saver
            .as_mut()
            .map(|s| s.wait(limit))
            .unwrap_or_default();
        self.take_outcomes(outcomes);
    }

    fn take_outcomes(&mut self, outcomes: Vec<saver::Outcome>) {
        let newest = self.saver.as_ref().map_or(0, |s| s.sent);
        for (seq, result) in outcomes {
            if seq == newest {
                self.saved(result);
            }
        }
    }

    /// Whether a save is being written right now.
    pub fn saving(&self) -> bool {
        self.saver.as_ref().is_some_and(Saver::busy)
    }

    /// Called when idle: tries again to save a change the last save could not.
    pub fn retry_save(&mut self) {
        if self.unsaved && !self.saving() {
            self.save_now();
        }
    }

    fn quit(&mut self) -> Option<Action> {
        self.finish_saving();
        if self.unsaved && !std::mem::replace(&mut self.warned_unsaved, true) {
            self.say(
                Tone::Warning,
                "Changes are NOT SAVED. Press q again to quit anyway, or fix the problem.",
            );
            return None;
        }
        self.should_quit = true;
        None
    }

    /// Whether some change is not yet in the file.
    pub fn has_unsaved(&self) -> bool {
        self.unsaved
    }

    /// Recomputes the order and statistics of the current course and keeps the
    /// selections within bounds.
    pub fn refresh(&mut self) {
        let book = &self.editor.book;
        let course = book.current_course();
        let (order, stats, name_width) = match course.map(|c| &book.courses[c]) {
            Some(c) => {
                let stats = LiveStats::of(c);
                let order = display_order(c, &stats, self.sort, self.filter.value());
                let width = c.students.iter().map(|s| s.name.width()).max().unwrap_or(0);
                (order, stats, width)
            }
            None => (Vec::new(), LiveStats::default(), 0),
        };
        let columns = course.map_or(0, |c| book.courses[c].assessments.len().max(1));
        let observations = course.map_or(0, |c| book.courses[c].study.len());
        self.row = self.row.min(order.len().saturating_sub(1));
        self.col = self.col.min(columns);
        self.course_row = self.course_row.min(book.courses.len().saturating_sub(1));
        self.obs_row = self.obs_row.min(observations.saturating_sub(1));
        self.view = View {
            course,
            order,
            stats,
            name_width,
        };
    }

    /// Grade columns on the Gradebook screen: the assessments, or the `Grade` column a
    /// course without assessments shows.
    fn grade_columns(&self) -> usize {
        self.course().map_or(0, |c| c.assessments.len().max(1))
    }

    /// After the filter or the sort changed: only the order of the students is redone.
    fn reorder(&mut self) {
        match self.course() {
            Some(course) => {
                self.view.order =
                    display_order(course, &self.view.stats, self.sort, self.filter.value());
                self.row = self.row.min(self.view.order.len().saturating_sub(1));
            }
            None => self.refresh(),
        }
    }

    /// After one grade of the course shown changed: statistics and order follow without
    /// rescanning the roster.
    fn grade_changed(&mut self, entry: GradeEntry, old: Option<f64>) {
        let Some(course) = self
            .view
            .course
            .and_then(|c| self.editor.book.courses.get(c))
        else {
            return self.refresh();
        };
        let s = entry.student;
        self.view
            .stats
            .grade_changed(course, s, entry.assessment, old);
        if self.sort == Sort::Final
            && let Some(pos) = self.view.order.iter().position(|&i| i == s)
        {
            self.view.order.remove(pos);
            let finals = &self.view.stats.finals;
            let at = self
                .view
                .order
                .partition_point(|&i| final_order(finals, i, s).is_lt());
            self.view.order.insert(at, s);
        }
    }
}

/// The order of the Final sort: graded first, highest first, then roster order.
fn final_order(finals: &[Option<f64>], a: usize, b: usize) -> std::cmp::Ordering {
    let (fa, fb) = (finals[a], finals[b]);
    fb.is_some()
        .cmp(&fa.is_some())
        .then(fb.unwrap_or(0.0).total_cmp(&fa.unwrap_or(0.0)))
        .then(a.cmp(&b))
}

/// Whether `name` contains `needle` (already folded by `name_key`), ignoring case; no
/// allocation for ASCII names, so filtering a large class keeps up with typing.
fn name_contains(name: &str, needle: &str) -> bool {
    if name.is_ascii() && needle.is_ascii() {
        let (name, needle) = (name.as_bytes(), needle.as_bytes());
        needle.len() <= name.len()
            && name
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
    } else {
        crate::model::name_key(name).contains(needle)
    }
}

/// The students to show, filtered by name and sorted.
fn display_order(
    course: &crate::model::Course,
    stats: &LiveStats,
    sort: Sort,
    filter: &str,
) -> Vec<usize> {
    let needle = crate::model::name_key(filter);
    let mut order: Vec<usize> = (0..course.students.len())
        .filter(|&i| needle.is_empty() || name_contains(&course.students[i].name, &needle))
        .collect();
    match sort {
        Sort::Roster => {}
        Sort::Name => {
            order.sort_by_cached_key(|&i| crate::model::name_key(&course.students[i].name))
        }
        Sort::Final => order.sort_by(|&a, &b| final_order(&stats.finals, a, b)),
    }
    order
}

/// Opens the data file as its one writer and runs the interactive gradebook on the
/// terminal, which is restored on exit and on panic. A file in use is refused before
/// anything is drawn; an unreadable one is offered to be moved aside.
pub fn start(path: &std::path::Path) -> Result<(), crate::cli::Failure> {
    use crate::store::StoreError;
    let (store, book) = Store::open(path, "interactive session")?;
    let app = match book {
        Ok(book) => App::new(book, Some(store), Clock::System),
        Err(e @ StoreError::Format { .. }) => App::recovering(store, e.to_string(), Clock::System),
        Err(e) => return Err(e.into()),
    };
    ratatui::run(|terminal| app.run(terminal))
        .map_err(|e| crate::cli::Failure(format!("the terminal failed: {e}")))
}

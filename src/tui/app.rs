//! The app: routes each action to the popup or the screen in front, takes what the screen
//! does not (screens, undo, help, quit), follows changes of the data to the screens and
//! the session, and lays out the frame. It keeps no screen's state itself.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs, Wrap};

use super::action::Action;
use super::data::Data;
use super::keymap::{self, Context};
use super::popup::{self, Form, Modal, Reply};
use super::screens::courses::CoursesScreen;
use super::screens::gradebook::GradebookScreen;
use super::screens::predictor::PredictorScreen;
use super::screens::statistics::StatisticsScreen;
use super::screens::syllabus::SyllabusScreen;
use super::screens::{Ctx, Effect, Measured, Screen, ScreenId};
use super::session::{Clock, SaveState, Session};
use super::theme::{Tone, theme};
use super::widgets::{capitalise, hints_for, truncate};
use crate::model::{Course, Gradebook, Saved};
use crate::store::{Opened, Store};

/// Every screen's state, one field each.
pub struct Screens {
    pub gradebook: GradebookScreen,
    pub statistics: StatisticsScreen,
    pub predictor: PredictorScreen,
    pub courses: CoursesScreen,
    pub syllabus: SyllabusScreen,
}

impl Screens {
    fn new(data: &Data) -> Self {
        Self {
            gradebook: GradebookScreen::new(data),
            statistics: StatisticsScreen::default(),
            predictor: PredictorScreen::default(),
            courses: CoursesScreen::new(data),
            syllabus: SyllabusScreen::default(),
        }
    }

    pub fn get(&self, id: ScreenId) -> &dyn Screen {
        match id {
            ScreenId::Gradebook => &self.gradebook,
            ScreenId::Statistics => &self.statistics,
            ScreenId::Predictor => &self.predictor,
            ScreenId::Courses => &self.courses,
            ScreenId::Syllabus => &self.syllabus,
        }
    }

    fn get_mut(&mut self, id: ScreenId) -> &mut dyn Screen {
        match id {
            ScreenId::Gradebook => &mut self.gradebook,
            ScreenId::Statistics => &mut self.statistics,
            ScreenId::Predictor => &mut self.predictor,
            ScreenId::Courses => &mut self.courses,
            ScreenId::Syllabus => &mut self.syllabus,
        }
    }
}

/// A popup of the app's own, in front of every screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    /// The keys, scrolled down by this many lines.
    Help(u16),
    /// A message too long for the status line; any key closes it, then acts.
    Notice { title: String, body: String },
    /// The data file could not be read; nothing is written until it is moved aside.
    Recover { reason: String },
    /// History lines, newest first, scrolled down by `scroll` lines.
    History {
        title: String,
        lines: Vec<String>,
        scroll: u16,
    },
}

/// The interactive gradebook.
pub struct App {
    /// The teacher's data and what is derived from it.
    data: Data,
    /// The file behind it.
    session: Session,
    pub screens: Screens,
    /// The screen shown.
    screen: ScreenId,
    popup: Option<Popup>,
    /// Asking for the name of a new course (from any screen, and the welcome).
    add_course: Modal<(), ()>,
    /// The last message to the teacher.
    message: Option<(Tone, String)>,
    should_quit: bool,
}

impl App {
    /// An app over `book`, saving to `store` if given.
    pub fn new(book: Gradebook, store: Option<Store>, clock: Clock) -> Self {
        Self::with_session(Saved::of(book), Session::new(store, clock), clock)
    }

    /// An app over what a file keeps (undo and redo as they were), saving to `store`.
    /// When the file's history was lost, it starts again with an entry saying so, saved
    /// at once.
    pub fn open(opened: Opened, store: Store, clock: Clock) -> Self {
        let file = store.path().to_path_buf();
        let mut app = Self::with_session(opened.saved, Session::new(Some(store), clock), clock);
        app.data.set_history_file(file);
        if let Some(kept) = opened.history_kept {
            app.say(Tone::Warning, capitalise(&kept));
        }
        if let Some(why) = opened.history_lost {
            let now = clock.now();
            app.data.editor_mut().restart_history(why.clone(), now);
            app.session.changed(app.data.editor_mut());
            app.say(Tone::Warning, capitalise(&why));
        }
        app
    }

    /// An app whose file could not be read: it shows why and offers to move it aside.
    pub fn recovering(store: Store, reason: String, clock: Clock) -> Self {
        let mut app =
            Self::with_session(Saved::default(), Session::recovering(store, clock), clock);
        app.popup = Some(Popup::Recover { reason });
        app
    }

    fn with_session(saved: Saved, session: Session, clock: Clock) -> Self {
        let data = Data::from_saved(saved, clock);
        Self {
            screens: Screens::new(&data),
            data,
            session,
            screen: ScreenId::Gradebook,
            popup: None,
            add_course: Modal::None,
            message: None,
            should_quit: false,
        }
    }

    pub fn book(&self) -> &Gradebook {
        self.data.book()
    }

    /// The course shown, if there is one.
    pub fn course(&self) -> Option<&Course> {
        self.data.course()
    }

    pub fn data(&self) -> &Data {
        &self.data
    }

    pub fn screen(&self) -> ScreenId {
        self.screen
    }

    pub fn popup(&self) -> Option<&Popup> {
        self.popup.as_ref()
    }

    pub fn message(&self) -> Option<&(Tone, String)> {
        self.message.as_ref()
    }

    pub fn clear_message(&mut self) {
        self.message = None;
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// Lets the app go on after a quit (for tests that press every key).
    pub fn keep_running(&mut self) {
        self.should_quit = false;
    }

    pub fn save_state(&self) -> &SaveState {
        &self.session.state
    }

    // ---- Saving, as the runner (or a test standing in for it) drives it ----

    /// Saves from now on in a writer thread.
    pub fn save_in_background(&mut self) {
        self.session.save_in_background();
    }

    /// Hands a change waiting since the last frame to the writer thread.
    pub fn save_if_due(&mut self) {
        self.session.save_if_due(self.data.editor_mut());
    }

    /// Takes in what the writer thread finished.
    pub fn poll_saves(&mut self) {
        self.session.poll();
    }

    /// Waits (at most `limit`) for the writer thread to finish the newest state.
    pub fn wait_for_saves(&mut self, limit: std::time::Duration) {
        self.session.wait(limit);
    }

    /// Called when idle: tries again to save a change the last save could not.
    pub fn retry_save(&mut self) {
        self.session.retry(self.data.editor_mut());
    }

    /// Saves anything unsaved and waits for it (on leaving).
    pub fn finish_saving(&mut self) {
        self.session.finish(self.data.editor_mut());
    }

    pub fn saving(&self) -> bool {
        self.session.saving()
    }

    /// Whether some change is not yet in the file.
    pub fn has_unsaved(&self) -> bool {
        self.session.unsaved()
    }

    /// How keys are read now.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Help(_) | Popup::History { .. }) => Context::Help,
            Some(Popup::Notice { .. }) => Context::Notice,
            Some(Popup::Recover { .. }) => Context::Recover,
            None => self
                .add_course
                .context()
                .unwrap_or_else(|| self.screens.get(self.screen).context()),
        }
    }

    /// What a key means now. Pure: reads the context and the key table, changes nothing.
    /// In a typing context a key with no row is text.
    pub fn handle_key(&self, key: KeyEvent) -> Option<Action> {
        let context = self.context();
        let found = keymap::lookup(context, key);
        match context {
            Context::Form | Context::Entry | Context::Filter => found.or(Some(Action::Input(key))),
            _ => found,
        }
    }

    /// Applies an action, if any.
    pub fn dispatch(&mut self, action: Option<Action>) {
        if let Some(action) = action {
            self.update(action);
        }
    }

    /// The only place the state changes: the popup in front takes the action, else the
    /// screen, else the app; then every screen and the session follow what changed.
    pub fn update(&mut self, action: Action) {
        if let Some(popup) = self.popup.take() {
            return self.popup_action(popup, action);
        }
        if matches!(self.context(), Context::On(_)) {
            self.message = None;
        }
        if self.add_course.is_open() {
            self.add_course_action(action);
        } else {
            let mut effects = Vec::new();
            let mut ctx = Ctx::new(&mut self.data, self.session.path(), &mut effects);
            let taken = self.screens.get_mut(self.screen).update(action, &mut ctx);
            if !taken {
                self.global(action);
            }
            self.effects(effects);
        }
        self.follow_changes();
    }

    fn popup_action(&mut self, popup: Popup, action: Action) {
        match popup {
            Popup::Help(scroll) => match action {
                Action::Quit => self.quit(),
                Action::Down => self.popup = Some(Popup::Help(scroll.saturating_add(1))),
                Action::Up => self.popup = Some(Popup::Help(scroll.saturating_sub(1))),
                _ => {}
            },
            Popup::History {
                title,
                lines,
                scroll,
            } => {
                let scroll = match action {
                    Action::Down => scroll.saturating_add(1),
                    Action::Up => scroll.saturating_sub(1),
                    Action::PageDown => scroll.saturating_add(10),
                    Action::PageUp => scroll.saturating_sub(10),
                    Action::Quit => return self.quit(),
                    _ => return,
                };
                self.popup = Some(Popup::History {
                    title,
                    lines,
                    scroll,
                });
            }
            // Closed; the key that closed it does what it does (Esc only closes).
            Popup::Notice { .. } if action == Action::Cancel => {}
            Popup::Notice { .. } => self.update(action),
            Popup::Recover { reason } => match action {
                Action::Quit => self.should_quit = true,
                Action::MoveAside => match self.session.move_aside() {
                    Ok(aside) => self.say(
                        Tone::Success,
                        format!("The old file is now {}; starting empty.", aside.display()),
                    ),
                    Err(e) => {
                        self.say(Tone::Error, format!("Could not move it aside: {e}"));
                        self.popup = Some(Popup::Recover { reason });
                    }
                },
                _ => self.popup = Some(Popup::Recover { reason }),
            },
        }
    }

    /// What no screen took.
    fn global(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit(),
            Action::Help => self.popup = Some(Popup::Help(0)),
            Action::NextScreen => self.screen = self.screen.step(1),
            Action::PrevScreen => self.screen = self.screen.step(-1),
            Action::Undo => self.undo_redo(true),
            Action::Redo => self.undo_redo(false),
            Action::LoadSample => self.load_sample(),
            Action::History => match self.data.course() {
                Some(course) => {
                    let title = format!("History of {}", crate::text::quote(&course.name));
                    let filter = crate::tui::history::HistoryFilter {
                        course: Some(course.name.clone()),
                        ..Default::default()
                    };
                    self.show_history(title, &filter);
                }
                None => self.say(Tone::Info, "No course yet: nothing has a history"),
            },
            Action::Import | Action::Export if self.data.course().is_none() => self.say(
                Tone::Info,
                "Add a course first (a), or import a whole gradebook on the Courses screen",
            ),
            _ => {}
        }
    }

    fn effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Say(tone, text) => self.say(tone, text),
                Effect::Notice { title, body } => {
                    let body = crate::text::clean(&body).into_owned();
                    self.popup = Some(Popup::Notice { title, body });
                }
                Effect::Goto(screen) => self.screen = screen,
                Effect::History { title, filter } => self.show_history(title, &filter),
                Effect::AddCourse => {
                    let form = Form::new((), "Add a course", &[("Name", String::new())]);
                    self.add_course = Modal::Form(form);
                }
            }
        }
    }

    /// Opens the history entries `filter` keeps, newest first.
    fn show_history(&mut self, title: String, filter: &crate::tui::history::HistoryFilter) {
        let (entries, problem) = self.data.history();
        let lines = crate::tui::history::lines(&entries, filter, problem);
        self.popup = Some(Popup::History {
            title,
            lines,
            scroll: 0,
        });
    }

    fn add_course_action(&mut self, action: Action) {
        match self.add_course.handle(action) {
            Reply::Ignored if action == Action::Quit => self.quit(),
            Reply::Submit => {
                let Modal::Form(form) = &self.add_course else {
                    return;
                };
                let course = Course::new(form.value(0), self.data.now());
                let cmd = self.data.book().add_course(course);
                match self.data.execute(cmd) {
                    Ok(_) => {
                        self.add_course = Modal::None;
                        self.screen = ScreenId::Gradebook;
                        let name = self.data.course().map_or("", |c| c.name.as_str());
                        let said = format!(
                            "Added course {}: a adds students, A an assessment",
                            crate::text::quote(name)
                        );
                        self.say(Tone::Success, said);
                    }
                    Err(e) => self.add_course.fail(e.to_string()),
                }
            }
            _ => {}
        }
    }

    /// Shows a message in the status area, made safe for the terminal.
    pub fn say(&mut self, tone: Tone, text: impl Into<String>) {
        let text = text.into();
        self.message = Some((tone, crate::text::clean(&text).into_owned()));
    }

    fn undo_redo(&mut self, undo: bool) {
        let (result, word, done) = if undo {
            (self.data.undo(), "undo", "Undone")
        } else {
            (self.data.redo(), "redo", "Redone")
        };
        match result {
            Ok(Some(what)) => self.say(Tone::Success, format!("{done}: {what}")),
            Ok(None) => self.say(Tone::Info, format!("Nothing to {word}")),
            Err(e) => self.say(Tone::Error, format!("Cannot {word}: {e}")),
        }
    }

    fn load_sample(&mut self) {
        let course = match crate::sample::course(self.data.now()) {
            Ok(course) => course,
            Err(e) => return self.say(Tone::Error, format!("The sample data is damaged: {e}")),
        };
        let cmd = self.data.book().add_course(course);
        match self.data.execute(cmd) {
            Ok(_) => {
                self.screen = ScreenId::Gradebook;
                self.say(Tone::Success, "Added the sample class (u undoes it)");
            }
            Err(e) => self.say(Tone::Error, capitalise(&e.to_string())),
        }
    }

    fn quit(&mut self) {
        if self.session.may_quit(self.data.editor_mut()) {
            self.should_quit = true;
        } else {
            self.say(
                Tone::Warning,
                "Changes are NOT SAVED. Press q again to quit anyway, or fix the problem.",
            );
        }
    }

    /// After any change of the data: every screen follows it, and it is saved.
    fn follow_changes(&mut self) {
        let Some(change) = self.data.take_change() else {
            return;
        };
        self.session.changed(self.data.editor_mut());
        for id in ScreenId::ALL {
            self.screens.get_mut(id).data_changed(&self.data, change);
        }
    }

    // ---- The frame ----

    /// Draws the whole screen; says what the screen shown measured, for
    /// [`App::measured`]. Reads, never changes, the app.
    pub fn view(&self, frame: &mut Frame) -> Measured {
        let [tabs, body, message, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(frame.area());
        self.draw_tabs(frame, tabs);
        let screen = self.screens.get(self.screen);
        let measured = if self.data.book().courses.is_empty() && self.screen != ScreenId::Courses {
            draw_welcome(frame, body);
            Measured::default()
        } else {
            screen.draw(frame, body, &self.data)
        };
        self.draw_message(frame, message);
        self.draw_status(frame, status);
        self.add_course.draw(frame);
        match &self.popup {
            Some(Popup::Help(scroll)) => {
                let extra: &[(Context, &str)] = match self.screen {
                    ScreenId::Gradebook => &[
                        (Context::Entry, "Typing a grade"),
                        (Context::Filter, "Typing a filter"),
                    ],
                    _ => &[],
                };
                // What the marks in the grid mean, under the keys.
                let legend: &[&str] = match self.screen {
                    ScreenId::Gradebook => &[
                        "In the grid: · not graded · EX excused (counts nowhere) · M missing \
                         (counts 0) · 18! late (the late policy takes its points) · 18* has a \
                         comment · [4] dropped. The line under the grid says what the \
                         selected student needs, and what the selected cell's marks are.",
                    ],
                    _ => &[],
                };
                popup::draw_help(
                    Context::On(self.screen),
                    self.screen.title(),
                    extra,
                    legend,
                    *scroll,
                    frame,
                )
            }
            Some(Popup::Notice { title, body }) => popup::draw_notice(title, body, frame),
            Some(Popup::History {
                title,
                lines,
                scroll,
            }) => popup::draw_history(title, lines, *scroll, frame),
            Some(Popup::Recover { reason }) => popup::draw_recover(reason, frame),
            None => {}
        }
        measured
    }

    /// Takes what the last frame measured of the screen shown.
    pub fn measured(&mut self, m: Measured) {
        self.screens.get_mut(self.screen).measured(m);
    }

    fn draw_tabs(&self, frame: &mut Frame, area: Rect) {
        let narrow = area.width < 48;
        let titles = ScreenId::ALL
            .iter()
            .map(|s| if narrow { s.short_title() } else { s.title() });
        let selected = ScreenId::ALL.iter().position(|s| *s == self.screen);
        let tabs = Tabs::new(titles)
            .select(selected)
            .highlight_style(theme().tab_selected)
            .divider("│");
        frame.render_widget(tabs, area);
    }

    fn draw_message(&self, frame: &mut Frame, area: Rect) {
        let t = theme();
        let prompt = self.screens.get(self.screen).prompt(&self.data);
        let (line, cursor) = match (prompt, &self.message) {
            (Some(p), _) if p.cursor.is_some() || self.message.is_none() => (p.line, p.cursor),
            (_, Some((tone, text))) => (Line::styled(text.clone(), t.tone(*tone)), None),
            (Some(p), None) => (p.line, p.cursor),
            (None, None) => (Line::raw(""), None),
        };
        frame.render_widget(Paragraph::new(line), area);
        if let Some(x) = cursor {
            let x = area.x + x;
            frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        }
    }

    /// Course, save state and the most useful keys of the screen, from the key table.
    fn draw_status(&self, frame: &mut Frame, area: Rect) {
        let t = theme();
        let course = self.data.course().map_or("no course", |c| c.name.as_str());
        let save = match &self.session.state {
            SaveState::Opened => Span::styled("saved", t.saved),
            SaveState::Saving => Span::styled("saving…", t.dim),
            SaveState::Saved(at) => {
                Span::styled(format!("saved {}", at.format("%H:%M:%S")), t.saved)
            }
            SaveState::Failed(reason) => Span::styled(format!("NOT SAVED: {reason}"), t.not_saved),
        };
        let screen = self.screens.get(self.screen);
        let hints = Line::from(hints_for(Context::On(self.screen), screen.hints()));
        // The course's name takes what the save state and the hints leave, at least 20.
        let room = (area.width as usize).saturating_sub(save.width() + hints.width() + 6);
        let mut spans = vec![
            Span::styled(truncate(course, room.max(20)), t.title),
            Span::raw(" │ "),
            save,
            Span::raw(" │ "),
        ];
        spans.extend(hints.spans);
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}

fn draw_welcome(frame: &mut Frame, area: Rect) {
    let t = theme();
    let k = |s: &'static str| Span::styled(s, t.key);
    let text = vec![
        Line::styled("Welcome to gradebook", t.title),
        Line::raw(""),
        Line::from(vec![
            Span::raw("Press "),
            k("a"),
            Span::raw(" to add your first course,"),
        ]),
        Line::from(vec![
            Span::raw("or "),
            k("L"),
            Span::raw(" to load the tutorial's sample class."),
        ]),
        Line::raw(""),
        Line::from(vec![
            k("?"),
            Span::raw(" shows every key, "),
            k("q"),
            Span::raw(" quits."),
        ]),
        Line::raw("Every change is saved at once."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), area);
}

//! The screens. Each is one file that owns its state (selection, sort, filter, scroll, its
//! open form), answers the actions meant for it, and draws itself. Adding a screen is one
//! file, one [`ScreenId`] variant (and its place in [`super::app::Screens`]), and its
//! rows in the key table.

pub mod courses;
pub mod gradebook;
pub mod predictor;
pub mod statistics;
pub mod syllabus;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::action::Action;
use super::data::{Change, Data};
use super::keymap::Context;
use super::theme::Tone;

/// The screens, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenId {
    Gradebook,
    Statistics,
    Predictor,
    Courses,
    Syllabus,
}

impl ScreenId {
    pub const ALL: [ScreenId; 5] = [
        ScreenId::Gradebook,
        ScreenId::Statistics,
        ScreenId::Predictor,
        ScreenId::Courses,
        ScreenId::Syllabus,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Gradebook => "Gradebook",
            ScreenId::Statistics => "Statistics",
            ScreenId::Predictor => "Predictor",
            ScreenId::Courses => "Courses",
            ScreenId::Syllabus => "Syllabus",
        }
    }

    /// Title for narrow terminals.
    pub fn short_title(self) -> &'static str {
        match self {
            ScreenId::Gradebook => "Grade",
            ScreenId::Statistics => "Stats",
            ScreenId::Predictor => "Model",
            ScreenId::Courses => "Course",
            ScreenId::Syllabus => "Plan",
        }
    }

    pub fn step(self, by: isize) -> ScreenId {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0) as isize;
        Self::ALL[(i + by).rem_euclid(Self::ALL.len() as isize) as usize]
    }
}

/// What a screen asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A message in the status area.
    Say(Tone, String),
    /// A message too long for one line (an import's problems), in a popup.
    Notice { title: String, body: String },
    /// Show another screen.
    Goto(ScreenId),
    /// Ask for the name of a new course.
    AddCourse,
    /// Show the history entries the filter keeps.
    History {
        title: String,
        filter: crate::tui::history::HistoryFilter,
    },
}

/// What a screen may use while it answers an action: the data, and a way to ask the app
/// for what is beyond the screen.
pub struct Ctx<'a> {
    pub data: &'a mut Data,
    /// The data file, to keep exports off it.
    pub file: Option<&'a std::path::Path>,
    effects: &'a mut Vec<Effect>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        data: &'a mut Data,
        file: Option<&'a std::path::Path>,
        effects: &'a mut Vec<Effect>,
    ) -> Self {
        Self {
            data,
            file,
            effects,
        }
    }
    /// Shows the history entries `filter` keeps.
    pub fn history(&mut self, title: String, filter: crate::tui::history::HistoryFilter) {
        self.effects.push(Effect::History { title, filter });
    }

    pub fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.effects.push(Effect::Say(tone, text.into()));
    }

    pub fn notice(&mut self, title: impl Into<String>, body: impl Into<String>) {
        self.effects.push(Effect::Notice {
            title: title.into(),
            body: body.into(),
        });
    }

    pub fn goto(&mut self, screen: ScreenId) {
        self.effects.push(Effect::Goto(screen));
    }

    pub fn add_course(&mut self) {
        self.effects.push(Effect::AddCourse);
    }
}

/// What the last frame measured of a screen, handed back to it by the runner: how many
/// rows fit, and the first one shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measured {
    pub page: usize,
    pub offset: usize,
    /// The first assessment column shown (the Gradebook screen).
    pub first_column: usize,
}

/// A line for the message area, with the cursor's column in it when text is typed there.
pub struct Prompt {
    pub line: Line<'static>,
    pub cursor: Option<u16>,
}

/// A screen of the interactive gradebook.
pub trait Screen {
    /// How keys are read on it now: browsing (`On(id)`), or typing in its form or filter.
    fn context(&self) -> Context;

    /// Answers an action; `false` if it is not one for this screen (the app may take it).
    fn update(&mut self, action: Action, ctx: &mut Ctx) -> bool;

    /// Follows a change of the data (made here, elsewhere, or undone).
    fn data_changed(&mut self, data: &Data, change: Change);

    /// Draws it, with its open form; says what it measured.
    fn draw(&self, frame: &mut Frame, area: Rect, data: &Data) -> Measured;

    /// Takes what the last frame measured.
    fn measured(&mut self, m: Measured);

    /// The line above the status line while it has something to say there (the filter
    /// being typed, the grade being entered).
    fn prompt(&self, _data: &Data) -> Option<Prompt> {
        None
    }

    /// The actions the status line shows the keys of.
    fn hints(&self) -> &'static [Action];
}

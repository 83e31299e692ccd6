//! Named styles, in one struct. With NO_COLOR set, colours are dropped and only bold,
//! reverse, dim and underline remain, so every screen still reads.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

/// How the last message to the teacher should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Warning,
    Error,
}

/// Every style the screens use.
#[derive(Debug, Clone)]
pub struct Theme {
    pub title: Style,
    pub tab_selected: Style,
    pub header: Style,
    pub selected_row: Style,
    pub selected_cell: Style,
    /// A cell being typed into.
    pub editing: Style,
    pub dim: Style,
    pub key: Style,
    pub average_row: Style,
    pub points: Style,
    pub line: Style,
    pub band: Style,
    pub saved: Style,
    pub not_saved: Style,
    pub info: Style,
    pub success: Style,
    pub warning: Style,
    pub error: Style,
    /// Letters A, B, C, D, F.
    pub letters: [Style; 5],
}

impl Theme {
    fn new(colour: bool) -> Self {
        let fg = |c: Color| {
            if colour {
                Style::new().fg(c)
            } else {
                Style::new()
            }
        };
        let bold = Modifier::BOLD;
        Self {
            title: Style::new().add_modifier(bold),
            tab_selected: fg(Color::Cyan).add_modifier(bold | Modifier::REVERSED),
            header: fg(Color::Yellow).add_modifier(bold),
            selected_row: if colour {
                Style::new().bg(Color::DarkGray)
            } else {
                Style::new().add_modifier(bold)
            },
            selected_cell: Style::new().add_modifier(Modifier::REVERSED),
            editing: Style::new().add_modifier(Modifier::UNDERLINED | bold),
            dim: if colour {
                Style::new().fg(Color::DarkGray)
            } else {
                Style::new().add_modifier(Modifier::DIM)
            },
            key: fg(Color::Cyan).add_modifier(bold),
            average_row: fg(Color::Magenta).add_modifier(bold),
            points: fg(Color::Cyan),
            line: fg(Color::Red),
            band: fg(Color::Yellow),
            saved: fg(Color::Green),
            not_saved: fg(Color::Red).add_modifier(bold | Modifier::REVERSED),
            info: Style::new(),
            success: fg(Color::Green),
            warning: fg(Color::Yellow).add_modifier(bold),
            error: fg(Color::Red).add_modifier(bold),
            letters: [
                fg(Color::Green),
                fg(Color::LightGreen),
                fg(Color::Yellow),
                fg(Color::LightRed),
                fg(Color::Red),
            ],
        }
    }

    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Info => self.info,
            Tone::Success => self.success,
            Tone::Warning => self.warning,
            Tone::Error => self.error,
        }
    }

    /// The style of a letter grade.
    pub fn letter(&self, letter: char) -> Style {
        match letter {
            'A' => self.letters[0],
            'B' => self.letters[1],
            'C' => self.letters[2],
            'D' => self.letters[3],
            _ => self.letters[4],
        }
    }
}

/// The theme, read once: colours unless NO_COLOR is set to something.
pub fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| Theme::new(std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())))
}

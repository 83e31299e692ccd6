//! Named styles. With NO_COLOR set, colours are dropped and only bold, reverse and
//! underline remain, so every screen still reads.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};

use crate::app::Tone;

fn colour() -> bool {
    static COLOUR: OnceLock<bool> = OnceLock::new();
    *COLOUR.get_or_init(|| std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
}

fn fg(c: Color) -> Style {
    if colour() {
        Style::new().fg(c)
    } else {
        Style::new()
    }
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn tab_selected() -> Style {
    fg(Color::Cyan).add_modifier(Modifier::BOLD | Modifier::REVERSED)
}

pub fn header() -> Style {
    fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn selected_row() -> Style {
    if colour() {
        Style::new().bg(Color::DarkGray)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

pub fn selected_cell() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn dim() -> Style {
    if colour() {
        Style::new().fg(Color::DarkGray)
    } else {
        Style::new().add_modifier(Modifier::DIM)
    }
}

pub fn key() -> Style {
    fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn average_row() -> Style {
    fg(Color::Magenta).add_modifier(Modifier::BOLD)
}

pub fn points() -> Style {
    fg(Color::Cyan)
}

pub fn line() -> Style {
    fg(Color::Red)
}

pub fn band() -> Style {
    fg(Color::Yellow)
}

pub fn tone(t: Tone) -> Style {
    match t {
        Tone::Info => Style::new(),
        Tone::Success => fg(Color::Green),
        Tone::Warning => fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Tone::Error => fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

pub fn saved() -> Style {
    fg(Color::Green)
}

pub fn not_saved() -> Style {
    fg(Color::Red).add_modifier(Modifier::BOLD | Modifier::REVERSED)
}

pub fn letter(l: char) -> Style {
    match l {
        'A' => fg(Color::Green),
        'B' => fg(Color::LightGreen),
        'C' => fg(Color::Yellow),
        'D' => fg(Color::LightRed),
        _ => fg(Color::Red),
    }
}

//! The view: draws the app's state, one module per screen. Reads, never changes, the app.

mod courses;
mod gradebook;
mod popup;
mod predictor;
mod statistics;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Mode, SaveState, Screen};

/// Draws the whole screen.
pub fn view(app: &App, frame: &mut Frame) {
    let [tabs, body, message, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_tabs(app, frame, tabs);
    if app.editor.book.courses.is_empty() && app.screen != Screen::Courses {
        draw_welcome(frame, body);
    } else {
        match app.screen {
            Screen::Gradebook => gradebook::draw(app, frame, body),
            Screen::Statistics => statistics::draw(app, frame, body),
            Screen::Predictor => predictor::draw(app, frame, body),
            Screen::Courses => courses::draw(app, frame, body),
        }
    }
    draw_message(app, frame, message);
    draw_status(app, frame, status);
    match &app.mode {
        Mode::Help(scroll) => popup::help(app, *scroll, frame),
        Mode::Confirm(p) => popup::confirm(&app.describe(p), frame),
        Mode::Form(form) => popup::form(form, frame),
        Mode::Recover { reason } => popup::recover(reason, frame),
        Mode::Notice { title, body } => popup::notice(title, body, frame),
        Mode::Normal | Mode::Filter => {}
    }
}

fn draw_tabs(app: &App, frame: &mut Frame, area: Rect) {
    let narrow = area.width < 48;
    let titles = Screen::ALL
        .iter()
        .map(|s| if narrow { s.short_title() } else { s.title() });
    let selected = Screen::ALL.iter().position(|s| *s == app.screen);
    let tabs = Tabs::new(titles)
        .select(selected)
        .highlight_style(theme::tab_selected())
        .divider("│");
    frame.render_widget(tabs, area);
}

fn draw_welcome(frame: &mut Frame, area: Rect) {
    let k = |s: &'static str| Span::styled(s, theme::key());
    let text = vec![
        Line::styled("Welcome to gradebook", theme::title()),
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

fn draw_message(app: &App, frame: &mut Frame, area: Rect) {
    let line = match (&app.mode, &app.message) {
        (Mode::Filter, _) => Line::from(vec![
            Span::styled("Filter: ", theme::key()),
            Span::raw(app.filter.value()),
            Span::styled("  (Enter keep, Esc clear)", theme::dim()),
        ]),
        (_, Some((tone, text))) => Line::styled(text.as_str(), theme::tone(*tone)),
        _ if !app.filter.value().is_empty() => Line::styled(
            format!("Filter: {}  (Esc clears)", app.filter.value()),
            theme::dim(),
        ),
        _ => Line::raw(""),
    };
    frame.render_widget(Paragraph::new(line), area);
    if let Mode::Filter = app.mode {
        let x = area.x + 8 + app.filter.visual_cursor() as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// Course, save state and the most useful keys, cut to the width available.
fn draw_status(app: &App, frame: &mut Frame, area: Rect) {
    let course = app.course().map_or("no course", |c| c.name.as_str());
    let save = match &app.save {
        SaveState::Opened => Span::styled("saved", theme::saved()),
        SaveState::Saving => Span::styled("saving…", theme::dim()),
        SaveState::Saved(t) => {
            Span::styled(format!("saved {}", t.format("%H:%M:%S")), theme::saved())
        }
        SaveState::Failed(reason) => {
            Span::styled(format!("NOT SAVED: {reason}"), theme::not_saved())
        }
    };
    let keys = match app.screen {
        Screen::Gradebook => "? help a add e edit d del u undo q quit",
        Screen::Predictor => "? help t train p predict a add q quit",
        Screen::Courses => "? help Enter open a add d del q quit",
        Screen::Statistics => "? help e letters u undo q quit",
    };
    let spans = vec![
        Span::styled(truncate(course, 20), theme::title()),
        Span::raw(" │ "),
        save,
        Span::raw(" │ "),
        Span::styled(keys, theme::dim()),
    ];
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Cuts `s` to at most `width` display columns, marking the cut with `…`.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    out
}

pub use crate::text::one_decimal;

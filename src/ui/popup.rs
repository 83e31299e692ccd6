//! Popups drawn over the screen: help, delete confirmation, forms, unreadable file.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{theme, truncate};
use crate::app::keymap::{self, Context};
use crate::app::{App, Form};

/// A rectangle of at most `width`×`height` in the middle of the frame, cleared.
fn centered(frame: &mut Frame, width: u16, height: u16) -> Rect {
    let area = frame.area();
    let w = width.min(area.width);
    let h = height.min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    rect
}

/// A bordered popup with a bold title.
fn titled(title: String) -> Block<'static> {
    Block::bordered().title(title).title_style(theme::title())
}

/// Help, generated from the key table for the screen shown.
pub fn help(app: &App, scroll: u16, frame: &mut Frame) {
    let mut lines = Vec::new();
    let section = |title: &str, context: Context, lines: &mut Vec<Line>| {
        lines.push(Line::styled(title.to_string(), theme::header()));
        for b in keymap::help_rows(context) {
            lines.push(Line::from(vec![
                Span::styled(format!("{:>10}  ", b.label), theme::key()),
                Span::raw(b.help),
            ]));
        }
    };
    section(
        &format!("{} screen", app.screen.title()),
        Context::On(app.screen),
        &mut lines,
    );
    section("Everywhere", Context::Global, &mut lines);
    section("In a form", Context::Form, &mut lines);
    lines.push(Line::styled("Deleting", theme::header()));
    lines.push(Line::from(vec![
        Span::styled(format!("{:>10}  ", "y"), theme::key()),
        Span::raw("confirm a delete; any other key cancels"),
    ]));
    let area = centered(frame, 64, lines.len() as u16 + 2);
    let block = titled(" Keys (j/k scroll, Esc closes) ".into());
    let scroll = scroll.min((lines.len() as u16).saturating_sub(area.height.saturating_sub(2)));
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

pub fn confirm(question: &str, frame: &mut Frame) {
    let area = centered(frame, 56, 5);
    let text = vec![
        Line::raw(question.to_string()),
        Line::from(vec![
            Span::styled("y", theme::key()),
            Span::raw(" delete   "),
            Span::styled("any other key", theme::key()),
            Span::raw(" cancel"),
        ]),
    ];
    let block = titled(" Confirm ".into());
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

/// A form: one line per field, the focused one with the cursor, the error below.
pub fn form(form: &Form, frame: &mut Frame) {
    let height = form.fields.len() as u16 + 4;
    let area = centered(frame, 60, height);
    let block = titled(format!(
        " {} ",
        truncate(&form.title, area.width.saturating_sub(4) as usize)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let label_width = form.fields.iter().map(|f| f.label.len()).max().unwrap_or(0) as u16 + 2;
    let rows = Layout::vertical(vec![Constraint::Length(1); form.fields.len() + 2]).split(inner);
    for (i, field) in form.fields.iter().enumerate() {
        let [label, input] =
            Layout::horizontal([Constraint::Length(label_width), Constraint::Min(1)])
                .areas(rows[i]);
        let style = if i == form.focus {
            theme::key()
        } else {
            theme::dim()
        };
        frame.render_widget(Paragraph::new(Span::styled(field.label, style)), label);
        let scroll = field
            .input
            .visual_scroll(input.width.saturating_sub(1) as usize);
        frame.render_widget(
            Paragraph::new(field.input.value()).scroll((0, scroll as u16)),
            input,
        );
        if i == form.focus {
            let x = input.x + (field.input.visual_cursor().saturating_sub(scroll)) as u16;
            frame.set_cursor_position((x.min(input.right().saturating_sub(1)), input.y));
        }
    }
    let hint = match &form.error {
        Some(e) => Line::styled(e.clone(), theme::tone(crate::app::Tone::Error)),
        None => Line::styled("Enter save · Tab next field · Esc cancel", theme::dim()),
    };
    if let Some(area) = rows.get(form.fields.len() + 1) {
        frame.render_widget(Paragraph::new(hint), *area);
    }
}

pub fn recover(reason: &str, frame: &mut Frame) {
    let area = centered(frame, 70, 10);
    let text = vec![
        Line::styled(
            "The gradebook file cannot be opened",
            theme::tone(crate::app::Tone::Error),
        ),
        Line::raw(reason.to_string()),
        Line::raw(""),
        Line::from(vec![
            Span::styled("m", theme::key()),
            Span::raw(" move it aside (renamed, kept) and start empty"),
        ]),
        Line::from(vec![
            Span::styled("q", theme::key()),
            Span::raw(" quit and leave it as it is"),
        ]),
    ];
    let block = titled(" Unreadable file ".into());
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

/// A message with a title; any key closes it.
pub fn notice(title: &str, body: &str, frame: &mut Frame) {
    let lines: Vec<Line> = body.lines().map(|l| Line::raw(l.to_string())).collect();
    let area = centered(frame, 76, lines.len() as u16 + 3);
    let block = titled(format!(" {title} (any key closes) "));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

//! Small drawing helpers the screens and popups share.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::keymap::{self, Context};
use super::theme::theme;

/// Cuts `s` to at most `width` display columns, marking the cut with `…`.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    out
}

/// Text cut to `width` and aligned right in its cell.
pub fn right(text: impl AsRef<str>, width: u16) -> Line<'static> {
    Line::from(truncate(text.as_ref(), width as usize)).right_aligned()
}

/// The first row to draw so that `selected` is visible, moving as little as possible.
pub fn scroll(offset: usize, selected: usize, page: usize, len: usize) -> usize {
    let page = page.max(1);
    let mut offset = offset.min(len.saturating_sub(page));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + page {
        offset = selected + 1 - page;
    }
    offset
}

/// A row index moved by a movement action over `len` rows, `page` at a time.
pub fn moved(row: usize, action: super::Action, len: usize, page: usize) -> usize {
    use super::Action::*;
    let last = len.saturating_sub(1);
    let page = page.max(1);
    match action {
        Up => row.saturating_sub(1),
        Down => (row + 1).min(last),
        PageUp => row.saturating_sub(page),
        PageDown => (row + page).min(last),
        Home => 0,
        End => last,
        _ => row,
    }
    .min(last)
}

/// A rectangle of at most `width`×`height` in the middle of the frame, cleared.
pub fn centered(frame: &mut Frame, width: u16, height: u16) -> Rect {
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
pub fn titled(title: String) -> Block<'static> {
    Block::bordered().title(title).title_style(theme().title)
}

/// Key hints as spans: the key in the key style, then its word.
pub fn hint_spans(hints: &[(&'static str, &'static str)]) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (i, (key, word)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(*key, theme().key));
        spans.push(Span::styled(format!(" {word}"), theme().dim));
    }
    spans
}

/// Hints for `actions` in `context`, straight from the key table.
pub fn hints_for(context: Context, actions: &[super::Action]) -> Vec<Span<'static>> {
    hint_spans(&keymap::hints(context, actions))
}

/// A number for a person to read: at most two decimals, no trailing zeros
/// (`2.1148099052799454` is `2.11`, `7.50` is `7.5`).
pub fn short_num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// "added assessment Quiz" as the start of a sentence.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

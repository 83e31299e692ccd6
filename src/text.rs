//! Text for people: aligned tables for any Unicode (wide characters included), times,
//! numbers. Shared by the commands and the screens.

use std::borrow::Cow;
use std::fmt::Write;

use chrono::{DateTime, Local, Utc};
use unicode_width::UnicodeWidthStr;

use crate::model::is_hidden;

/// How much of a user's input a message quotes.
pub const QUOTE_CHARS: usize = 80;

/// Input as a message quotes it: in double quotes, at most [`QUOTE_CHARS`] characters of
/// it (then `…`), control and invisible characters shown escaped (`\u{1b}`), so that
/// nothing typed or read from a file can drive the terminal or flood it.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4 * QUOTE_CHARS) + 2);
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        if i == QUOTE_CHARS {
            out.push('…');
            break;
        }
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

/// A message of someone else's (a parser's) that may quote input: made safe as [`clean`]
/// does and cut to `max` characters.
pub fn clip(s: &str, max: usize) -> String {
    let cleaned = clean(s);
    match cleaned.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &cleaned[..i]),
        None => cleaned.into_owned(),
    }
}

/// A parser's message with every quoted part (between backticks or double quotes) cut
/// to [`QUOTE_CHARS`] characters, then made safe as [`clip`] makes it.
pub fn clip_quotes(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut quote: Option<char> = None;
    let mut quoted = 0;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {
                quoted += 1;
                if quoted <= QUOTE_CHARS {
                    out.push(c);
                } else if quoted == QUOTE_CHARS + 1 {
                    out.push('…');
                }
            }
            None => {
                if c == '`' || c == '"' {
                    quote = Some(c);
                    quoted = 0;
                }
                out.push(c);
            }
        }
    }
    clip(&out, max)
}

/// A message made safe for a terminal: control and invisible characters escaped, line
/// breaks kept. The last line of defence before anything is printed.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_hidden(c))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() || is_hidden(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// Pads `s` to `width` display columns, on the left when `right` is set.
pub fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// A table with an optional header row; columns separated by two spaces, no trailing blanks.
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let cols = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0; cols];
    let header_row: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let all = std::iter::once(&header_row)
        .filter(|h| !h.is_empty())
        .chain(rows);
    for row in all.clone() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in all {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i], right.get(i).copied().unwrap_or(false)))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// A time as the teacher's clock shows it.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// A percentage or points with one decimal, or "–" when there is none.
pub fn one_decimal(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |x| format!("{x:.1}"))
}

/// A final as the teacher sees it, with two decimals (the letter is decided on this), or
/// "–".
pub fn two_decimals(x: Option<f64>) -> String {
    x.map_or_else(
        || "–".to_string(),
        |x| format!("{:.2}", crate::model::round2(x) + 0.0),
    )
}

/// "1 student", "3 students".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    // "entry" → "entries", "day" → "days".
    match noun.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

/// Text as a table or a sentence shows it: `–` for none (a student without a letter).
pub fn or_dash(s: &str) -> &str {
    if s.is_empty() { "–" } else { s }
}
